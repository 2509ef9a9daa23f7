/**
 * How a command-line tool (the data tools, deploy) runs: its `main(argv, io)` reads its settings from
 * `io.env`, writes only to `io.stdout` / `io.stderr` and returns the exit code, so a test runs it in its own
 * process; `runTool` runs it as the script `node` was started with.
 */
import { loadLocalEnv } from '../env-file.js';

/** Where a tool writes its text: `process.stdout`, a stream, or a test's collector. */
export interface Writer {
	write(text: string): unknown;
}

export interface CliIo {
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly stdout: Writer;
	readonly stderr: Writer;
}

/** A tool: its exit code (0 done, 1 refused or failed, 2 bad usage, by the data tools' convention). */
export type Main = (argv: readonly string[], io: CliIo) => number | Promise<number>;

/**
 * Runs `main` on this process's arguments, environment (after a local .env, as `npm start` reads it) and
 * output, and sets the exit code; an unexpected failure is one line, not a stack trace.
 */
export function runTool(tool: string, main: Main): void {
	loadLocalEnv();
	Promise.resolve()
		.then(() => main(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }))
		.then(
			(code) => {
				process.exitCode = code;
			},
			(error: unknown) => {
				process.stderr.write(`${tool}: ${error instanceof Error ? error.message : String(error)}\n`);
				process.exitCode = 1;
			},
		);
}
