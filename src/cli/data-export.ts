/**
 * `npm run data:export [-- --data DIR]`: prints the parsed store (`StoreData`) as pretty JSON on stdout.
 * Data errors are part of the output (`errors`); exit 1 only when the directory or its manifest cannot be read, 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { stat } from 'node:fs/promises';
import { parseDataFiles, readDataFiles } from '../domain/load.js';
import { StoreData } from '../domain/schema.js';

const USAGE = 'usage: data:export [--data DIR]   (default: $DATA_DIR or "data")';

async function main(argv: readonly string[]): Promise<number> {
	let dir: string;
	try {
		const { values } = parseArgs({ args: [...argv], options: { data: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
		if (values.help === true) {
			process.stdout.write(`${USAGE}\n`);
			return 0;
		}
		dir = values.data ?? process.env['DATA_DIR'] ?? 'data';
	} catch (error) {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
		return 2;
	}
	const info = await stat(dir).catch(() => null);
	if (info === null || !info.isDirectory()) {
		process.stderr.write(`data:export: ${dir}: no such data directory\n`);
		return 1;
	}
	const files = await readDataFiles(dir);
	if (files.manifest === null) {
		process.stderr.write(`data:export: ${files.errors[0]?.reason ?? `cannot read ${dir}`}\n`);
		return 1;
	}
	// Validate what goes out, so the printed JSON is always a StoreData.
	const data = StoreData.parse(parseDataFiles(files));
	process.stdout.write(`${JSON.stringify(data, null, '\t')}\n`);
	return 0;
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		process.stderr.write(`data:export: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = 1;
	},
);
