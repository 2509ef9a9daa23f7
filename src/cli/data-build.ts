/**
 * `npm run data:build [-- --data DIR]`: compiles a data directory (default: `DATA_DIR` or `data`) into the
 * review store file the bot opens (`REVIEWS_DB`, default `reviews.db` in the directory). Pages unchanged since
 * the last build are not parsed again. Prints every data problem as `file:line: reason` on stderr and a summary
 * on stdout; the good films are built either way. Exit 0 when clean, 1 on data errors or an unreadable manifest,
 * 2 on bad usage.
 */
import { reviewsDbPath, ReviewsDb } from '../config.js';
import { buildReviewsDb } from '../domain/build.js';
import { manifestUnreadable } from '../domain/load.js';
import { isMain } from '../is-main.js';
import { dataDirArg } from './data-dir.js';
import { formatError } from './report.js';
import { type CliIo, runTool } from './tool.js';
import { plural } from '../domain/text.js';

/** The tool: its exit code, its lines written to `io`. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
	const arg = await dataDirArg('data:build', argv, io);
	if ('exit' in arg) return arg.exit;
	const { dir, limits } = arg;
	const db = ReviewsDb.safeParse(io.env['REVIEWS_DB']);
	if (!db.success) {
		io.stderr.write(`data:build: REVIEWS_DB: ${db.error.issues[0]?.message ?? 'invalid'}\n`);
		return 2;
	}
	const unreadable = manifestUnreadable(dir, limits);
	if (unreadable !== undefined) {
		io.stderr.write(`data:build: ${dir}: cannot read films.json: ${unreadable}\n`);
		return 1;
	}
	const target = reviewsDbPath(dir, db.data);
	const { data, parsed, reused, kept, ms } = await buildReviewsDb(dir, target, limits);
	for (const e of data.errors) io.stderr.write(`${formatError(e)}\n`);
	const reviews = data.films.reduce((n, f) => n + f.criticReviews.length + f.userReviews.length, 0);
	io.stdout.write(
		`${target}: ${plural(data.films.length, 'film')}, ${plural(reviews, 'review')}, ${plural(data.errors.length, 'error')} (version ${data.version}); ${plural(parsed, 'page')} parsed, ${reused} reused${kept > 0 ? `, ${kept} kept as last built` : ''}, in ${Math.round(ms)} ms\n`,
	);
	return data.errors.length > 0 ? 1 : 0;
}

if (isMain(import.meta.url)) runTool('data:build', main);
