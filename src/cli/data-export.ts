/**
 * `npm run data:export [-- --data DIR]`: prints the parsed store (`StoreData`) as pretty JSON on stdout.
 * Data errors are part of the output (`errors`); exit 1 only when the directory or its manifest cannot be read
 * (missing, or not a regular file), 2 on bad usage.
 */
import { parseDataFiles, readDataFiles } from '../domain/load.js';
import { StoreData } from '../domain/schema.js';
import { isMain } from '../is-main.js';
import { dataDirArg } from './data-dir.js';
import { type CliIo, runTool } from './tool.js';

/** The tool: its exit code, its output written to `io`. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
	const arg = await dataDirArg('data:export', argv, io);
	if ('exit' in arg) return arg.exit;
	const { dir, limits } = arg;
	const files = await readDataFiles(dir, limits);
	if (files.manifest === null) {
		io.stderr.write(`data:export: ${files.errors[0]?.reason ?? `cannot read ${dir}`}\n`);
		return 1;
	}
	// Validate what goes out, so the printed JSON is always a StoreData.
	const data = StoreData.parse(parseDataFiles(files));
	io.stdout.write(`${JSON.stringify(data, null, '\t')}\n`);
	return 0;
}

if (isMain(import.meta.url)) runTool('data:export', main);
