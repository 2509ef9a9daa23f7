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
import { dataDirArg, runTool } from './data-dir.js';
import { formatError } from './report.js';

async function main(argv: readonly string[]): Promise<number> {
	const arg = await dataDirArg('data:build', argv);
	if ('exit' in arg) return arg.exit;
	const { dir, limits } = arg;
	const db = ReviewsDb.safeParse(process.env['REVIEWS_DB']);
	if (!db.success) {
		process.stderr.write(`data:build: REVIEWS_DB: ${db.error.issues[0]?.message ?? 'invalid'}\n`);
		return 2;
	}
	const unreadable = manifestUnreadable(dir, limits);
	if (unreadable !== undefined) {
		process.stderr.write(`data:build: ${dir}: cannot read films.json: ${unreadable}\n`);
		return 1;
	}
	const target = reviewsDbPath(dir, db.data);
	const { data, parsed, reused, kept, ms } = await buildReviewsDb(dir, target, limits);
	for (const e of data.errors) process.stderr.write(`${formatError(e)}\n`);
	const reviews = data.films.reduce((n, f) => n + f.criticReviews.length + f.userReviews.length, 0);
	const s = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
	process.stdout.write(
		`${target}: ${s(data.films.length, 'film')}, ${s(reviews, 'review')}, ${s(data.errors.length, 'error')} (version ${data.version}); ${s(parsed, 'page')} parsed, ${reused} reused${kept > 0 ? `, ${kept} kept as last built` : ''}, in ${Math.round(ms)} ms\n`,
	);
	return data.errors.length > 0 ? 1 : 0;
}

runTool('data:build', main);
