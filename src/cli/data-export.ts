/**
 * `npm run data:export [-- --data DIR]`: prints the parsed store (`StoreData`) as pretty JSON on stdout.
 * Data errors are part of the output (`errors`); exit 1 only when the directory or its manifest cannot be read
 * (missing, or not a regular file), 2 on bad usage.
 */
import { parseDataFiles, readDataFiles } from '../domain/load.js';
import { StoreData } from '../domain/schema.js';
import { dataDirArg, runTool } from './data-dir.js';

async function main(argv: readonly string[]): Promise<number> {
	const arg = await dataDirArg('data:export', argv);
	if ('exit' in arg) return arg.exit;
	const { dir, limits } = arg;
	const files = await readDataFiles(dir, limits);
	if (files.manifest === null) {
		process.stderr.write(`data:export: ${files.errors[0]?.reason ?? `cannot read ${dir}`}\n`);
		return 1;
	}
	// Validate what goes out, so the printed JSON is always a StoreData.
	const data = StoreData.parse(parseDataFiles(files));
	process.stdout.write(`${JSON.stringify(data, null, '\t')}\n`);
	return 0;
}

runTool('data:export', main);
