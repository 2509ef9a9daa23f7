import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MaxPageMb } from '../config.js';
import type { DataLimits } from '../domain/load.js';
import type { CliIo } from './tool.js';

/**
 * The `--data DIR` argument shared by the data tools: the directory (default `DATA_DIR` or `data`) and
 * the page size limit (`MAX_PAGE_MB`, as the bot reads it), or the exit code to stop with (0 after
 * `--help`, 2 for bad usage or a bad MAX_PAGE_MB, 1 for a missing directory), with the message already printed.
 */
export async function dataDirArg(
	tool: string,
	argv: readonly string[],
	io: CliIo,
): Promise<{ dir: string; limits: DataLimits } | { exit: number }> {
	const usage = `usage: ${tool} [--data DIR]   (default: $DATA_DIR or "data")`;
	let dir: string;
	try {
		const { values } = parseArgs({
			args: [...argv],
			options: { data: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
			strict: true,
			allowPositionals: false,
		});
		if (values.help === true) {
			io.stdout.write(`${usage}\n`);
			return { exit: 0 };
		}
		dir = values.data ?? io.env['DATA_DIR'] ?? 'data';
	} catch (error) {
		io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
		return { exit: 2 };
	}
	const maxPageMb = MaxPageMb.safeParse(io.env['MAX_PAGE_MB']);
	if (!maxPageMb.success) {
		io.stderr.write(`${tool}: MAX_PAGE_MB: ${maxPageMb.error.issues[0]?.message ?? 'invalid'}\n`);
		return { exit: 2 };
	}
	const info = await stat(dir).catch(() => null);
	if (info === null || !info.isDirectory()) {
		io.stderr.write(`${tool}: ${dir}: no such data directory\n`);
		return { exit: 1 };
	}
	return { dir, limits: { maxPageMb: maxPageMb.data } };
}
