/**
 * `npm run data:check [-- --data DIR]`: validates a data directory (default: `DATA_DIR` or `data`).
 * Prints what each page yields, then every problem as `file:line: reason`, then a summary.
 * Exit 0 when clean, 1 on any data error, 2 on bad usage. A manifest that cannot be read (missing, or
 * not a regular file) is one line on stderr and exit 1. Bad data never produces a stack trace.
 */
import { parseDataFiles, readDataFiles } from '../domain/load.js';
import type { StoreData } from '../domain/schema.js';
import { isMain } from '../is-main.js';
import { criticCounts, formatError, userCounts } from './report.js';
import { dataDirArg } from './data-dir.js';
import { type CliIo, runTool } from './tool.js';
import { plural } from '../domain/text.js';

/** One line per page the manifest names: file, layout and what it yielded. */
export function fileSummaries(data: StoreData): string[] {
	const out: string[] = [];
	const seen = new Set<string>();
	const width = Math.max(0, ...data.films.flatMap((f) => f.film.sources.map((s) => s.file.length)));
	for (const { film, criticReviews, userReviews } of data.films) {
		for (const { file, layout } of film.sources) {
			if (seen.has(file)) continue;
			seen.add(file);
			const counts =
				layout === 'metacritic'
					? criticCounts(criticReviews.filter((r) => r.source.file === file))
					: userCounts(userReviews.filter((r) => r.source.file === file));
			out.push(`${file.padEnd(width)}  ${layout.padEnd(10)}  ${counts}`);
		}
	}
	return out;
}

/** The tool: its exit code, its lines written to `io`. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
	const arg = await dataDirArg('data:check', argv, io);
	if ('exit' in arg) return arg.exit;
	const { dir, limits } = arg;
	const files = await readDataFiles(dir, limits);
	if (files.manifest === null) {
		io.stderr.write(`data:check: ${files.errors[0]?.reason ?? `cannot read ${dir}`}\n`);
		return 1;
	}
	const data = parseDataFiles(files);
	const lines = fileSummaries(data);
	const reviews = data.films.reduce((n, f) => n + f.criticReviews.length + f.userReviews.length, 0);
	if (data.errors.length > 0) lines.push('', ...data.errors.map(formatError));
	lines.push(
		'',
		`${dir}: ${plural(data.films.length, 'film')}, ${plural(reviews, 'review')}, ${plural(data.errors.length, 'error')} (version ${data.version})`,
	);
	io.stdout.write(`${lines.join('\n')}\n`);
	return data.errors.length > 0 ? 1 : 0;
}

if (isMain(import.meta.url)) runTool('data:check', main);
