import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MaxPageMb } from '../config.js';
import type { DataLimits } from '../domain/load.js';
import { loadLocalEnv } from '../env-file.js';

/**
 * The `--data DIR` argument shared by the data tools: the directory (default `DATA_DIR` or `data`) and
 * the page size limit (`MAX_PAGE_MB`, as the bot reads it), or the exit code to stop with (0 after
 * `--help`, 2 for bad usage or a bad MAX_PAGE_MB, 1 for a missing directory), with the message already printed.
 */
export async function dataDirArg(tool: string, argv: readonly string[]): Promise<{ dir: string; limits: DataLimits } | { exit: number }> {
	const usage = `usage: ${tool} [--data DIR]   (default: $DATA_DIR or "data")`;
	let dir: string;
	try {
		const { values } = parseArgs({ args: [...argv], options: { data: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
		if (values.help === true) {
			process.stdout.write(`${usage}\n`);
			return { exit: 0 };
		}
		dir = values.data ?? process.env['DATA_DIR'] ?? 'data';
	} catch (error) {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
		return { exit: 2 };
	}
	const maxPageMb = MaxPageMb.safeParse(process.env['MAX_PAGE_MB']);
	if (!maxPageMb.success) {
		process.stderr.write(`${tool}: MAX_PAGE_MB: ${maxPageMb.error.issues[0]?.message ?? 'invalid'}\n`);
		return { exit: 2 };
	}
	const info = await stat(dir).catch(() => null);
	if (info === null || !info.isDirectory()) {
		process.stderr.write(`${tool}: ${dir}: no such data directory\n`);
		return { exit: 1 };
	}
	return { dir, limits: { maxPageMb: maxPageMb.data } };
}

/** Runs a tool's main (after a local .env, as `npm start` reads it) and sets the exit code; an unexpected failure is one line, not a stack trace. */
export function runTool(tool: string, main: (argv: readonly string[]) => Promise<number>): void {
	loadLocalEnv();
	main(process.argv.slice(2)).then(
		(code) => {
			process.exitCode = code;
		},
		(error: unknown) => {
			process.stderr.write(`${tool}: ${error instanceof Error ? error.message : String(error)}\n`);
			process.exitCode = 1;
		},
	);
}
