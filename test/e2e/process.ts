// Child-process helpers shared by the e2e harnesses (the bot as a child, the sharding manager).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPlainObject } from '../fake-discord/validate.js';

export const ROOT = new URL('../../', import.meta.url).pathname;

export type LogLine = Record<string, unknown>;

/** The JSON log lines in `text` (a partial last line is skipped: the rest comes with the next chunk). */
export function logLines(text: string): LogLine[] {
	const lines: LogLine[] = [];
	for (const l of text.split('\n')) {
		if (!l.startsWith('{')) continue;
		try {
			const parsed: unknown = JSON.parse(l);
			if (isPlainObject(parsed)) lines.push(parsed);
		} catch {
			// not JSON after all, or cut off
		}
	}
	return lines;
}

function hasExited(proc: ChildProcess): boolean {
	return proc.exitCode !== null || proc.signalCode !== null;
}

/**
 * Resolves with `check()`'s first defined result, checked now and whenever `proc` writes to stderr; rejects
 * after `timeoutMs`, or when `proc` exits (or has exited) without it, with `what` and `tail()` in the message.
 */
export function waitForOutput<T>(
	proc: ChildProcess,
	check: () => T | undefined,
	what: string,
	tail: () => string,
	timeoutMs: number,
): Promise<T> {
	return new Promise((resolve, reject) => {
		const attempt = (): boolean => {
			const found = check();
			if (found === undefined) return false;
			cleanup();
			resolve(found);
			return true;
		};
		const timer = setTimeout(() => {
			cleanup();
			reject(new Error(`no ${what} within ${timeoutMs} ms; ${tail()}`));
		}, timeoutMs);
		const onData = (): void => {
			attempt();
		};
		const onExit = (): void => {
			// The last output may arrive with the exit.
			setImmediate(() => {
				if (attempt()) return;
				cleanup();
				reject(new Error(`exited before ${what}; ${tail()}`));
			});
		};
		const cleanup = (): void => {
			clearTimeout(timer);
			proc.stderr?.off('data', onData);
			proc.off('exit', onExit);
		};
		proc.stderr?.on('data', onData);
		proc.once('exit', onExit);
		if (!attempt() && hasExited(proc)) onExit();
	});
}

/** A DATABASE_URL for a bot started as a process: a fresh SQLite file in a directory removed when the worker exits. */
export function childDatabaseUrl(): string {
	const dir = mkdtempSync(join(tmpdir(), 'marquee-e2e-db-'));
	process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
	return `sqlite://${join(dir, 'marquee.db')}`;
}
