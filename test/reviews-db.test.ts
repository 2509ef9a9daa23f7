import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildReviewsDb } from '../src/domain/build.js';
import { readMeta, SCHEMA_VERSION, SORTS, sortReviews } from '../src/domain/db.js';
import { filesFingerprint, loadDataDir, PARSER_VERSION } from '../src/domain/load.js';
import { summarize } from '../src/domain/summary.js';
import { loadStore } from '../src/app.js';
import { ReviewStore } from '../src/domain/store.js';
import { captureLogger, criticReview, film, storeOf, tempDir, userReview } from './helpers.js';

/** A copy of the seed data (or of `from`) in a new temp directory. */
function dataCopy(from = 'data'): string {
	const dir = tempDir('marquee-db-');
	for (const name of readdirSync(from).filter((n) => n === 'films.json' || n.endsWith('.txt'))) cpSync(join(from, name), join(dir, name));
	return dir;
}

const USERS = 'pusher-ii-2004.users.imdb.txt';
/** Edits a page in place: its first review gets 900 more helpful votes. */
function addVotes(dir: string, file: string, from: string): void {
	const text = readFileSync(join(dir, file), 'utf8');
	const [up, total] = from.split(' out of ').map(Number);
	writeFileSync(join(dir, file), text.replace(`${from} found this helpful`, `${up! + 900} out of ${total! + 900} found this helpful`));
}
const HELPFUL_VOTES = "SELECT sum(helpful_up) FROM user_reviews WHERE film_id = 'pusher-ii-2004'";

describe('npm run data:build (buildReviewsDb)', () => {
	it('stores every film, review, summary and error, with a rank per order exactly as the store sorts, and the meta', async () => {
		const dir = dataCopy();
		const target = join(dir, 'reviews.db');
		const fingerprint = await filesFingerprint(dir);
		const built = await buildReviewsDb(dir, target);
		const expected = await loadDataDir(dir);
		expect(built.data).toEqual(expected);
		expect([built.parsed, built.reused]).toEqual([2, 0]);
		const db = new Sqlite(target, { readonly: true });
		expect(readMeta(db)).toEqual({ version: expected.version, parser: PARSER_VERSION, schema: SCHEMA_VERSION, fingerprint });
		expect(db.prepare('SELECT id, critic_count, user_count, q_all, q_user, q_critic FROM films ORDER BY ord').all()).toEqual([
			{ id: 'pusher-1996', critic_count: 11, user_count: 0, q_all: 0, q_user: 0, q_critic: 0 },
			{ id: 'pusher-ii-2004', critic_count: 0, user_count: 25, q_all: 11, q_user: 0, q_critic: 11 },
		]);
		for (const record of expected.films) {
			expect(
				JSON.parse(db.prepare<[string], { summary: string }>('SELECT summary FROM films WHERE id = ?').get(record.film.id)!.summary),
			).toEqual(summarize(record));
			for (const kind of ['user', 'critic'] as const) {
				for (const sort of SORTS) {
					const ids = db.prepare(`SELECT id FROM ${kind}_reviews WHERE film_id = ? ORDER BY r_${sort}`).pluck().all(record.film.id);
					expect(ids, `${record.film.id} ${kind} ${sort}`).toEqual(sortReviews(record, kind as 'user', sort).map((r) => r.id));
				}
			}
		}
		// Page N of an order is an equality lookup on an index, never a scan.
		const plan = db
			.prepare('EXPLAIN QUERY PLAN SELECT * FROM user_reviews WHERE film_id = ? AND r_newest BETWEEN ? AND ?')
			.all('pusher-ii-2004', 5, 5);
		expect(plan.map((p) => (p as { detail: string }).detail)).toEqual([
			'SEARCH user_reviews USING INDEX user_newest (film_id=? AND r_newest>? AND r_newest<?)',
		]);
		expect(db.prepare('SELECT key, credit, person, count FROM critics ORDER BY ord LIMIT 2').all()).toEqual([
			{ key: 'noel murray', credit: 'Noel Murray', person: 1, count: 1 },
			{ key: 'uncredited', credit: 'Uncredited', person: 0, count: 1 },
		]);
		db.close();
	});

	it('parses only the page that changed, and takes the others from the previous file', async () => {
		const dir = dataCopy('test/fixtures');
		const target = join(dir, 'reviews.db');
		const first = await buildReviewsDb(dir, target);
		expect([first.parsed, first.reused]).toEqual([4, 0]);
		const again = await buildReviewsDb(dir, target);
		expect([again.parsed, again.reused]).toEqual([0, 4]);
		expect(again.data).toEqual(first.data);
		addVotes(dir, 'amelie-2001.users.imdb.txt', '0 out of 0');
		const changed = await buildReviewsDb(dir, target);
		expect([changed.parsed, changed.reused]).toEqual([1, 3]);
		// What the reused pages give is what parsing them gives: ids, sources, headers and errors alike.
		expect(changed.data).toEqual(await loadDataDir(dir));
		expect(changed.data.films[0]!.userReviews[1]!.helpful).toEqual({ up: 900, total: 900 });
	});

	it('a page moved to another film, or read with another layout, is parsed again', async () => {
		const dir = dataCopy();
		const target = join(dir, 'reviews.db');
		await buildReviewsDb(dir, target);
		const manifest = readFileSync(join(dir, 'films.json'), 'utf8');
		writeFileSync(join(dir, 'films.json'), manifest.replace('"id": "pusher-ii-2004"', '"id": "pusher-2-2004"'));
		const moved = await buildReviewsDb(dir, target);
		expect([moved.parsed, moved.reused]).toEqual([1, 1]);
		expect(moved.data).toEqual(await loadDataDir(dir));
	});

	it('a film that names the same page twice gets its reviews twice, parsed or reused', async () => {
		const dir = dataCopy();
		const manifest = JSON.parse(readFileSync(join(dir, 'films.json'), 'utf8')) as { films: { sources: unknown[] }[] };
		const second = manifest.films[1]!;
		second.sources = [...second.sources, ...second.sources];
		writeFileSync(join(dir, 'films.json'), JSON.stringify(manifest));
		const target = join(dir, 'reviews.db');
		const expected = await loadDataDir(dir);
		expect(expected.films[1]!.userReviews).toHaveLength(50);
		expect((await buildReviewsDb(dir, target)).data).toEqual(expected);
		const again = await buildReviewsDb(dir, target);
		expect([again.parsed, again.reused]).toEqual([0, 3]);
		expect(again.data).toEqual(expected);
	});

	it('replaces the file by a rename: a reader holding the old file keeps reading the old data, and no temp file is left', async () => {
		const dir = dataCopy();
		const target = join(dir, 'reviews.db');
		const before = await buildReviewsDb(dir, target);
		const reader = new Sqlite(target, { readonly: true, fileMustExist: true });
		const votes = reader.prepare<[], number>(HELPFUL_VOTES).pluck();
		const old = votes.get()!;
		addVotes(dir, USERS, '54 out of 62');
		const after = await buildReviewsDb(dir, target);
		expect(after.data.version).not.toBe(before.data.version);
		expect(votes.get()).toBe(old);
		expect(readMeta(reader)?.version).toBe(before.data.version);
		reader.close();
		const fresh = new Sqlite(target, { readonly: true });
		expect(fresh.prepare(HELPFUL_VOTES).pluck().get()).toBe(old + 900);
		expect(readMeta(fresh)?.version).toBe(after.data.version);
		fresh.close();
		expect(readdirSync(dir).filter((n) => !n.endsWith('.txt') && n !== 'films.json')).toEqual(['reviews.db']);
	});

	it('removes the temp files of builds killed half-way (their process gone), not those of builds under way', async () => {
		const dir = dataCopy();
		const target = join(dir, 'reviews.db');
		const child = spawn(process.execPath, ['-e', '']);
		const [gonePid] = await once(child, 'exit').then(() => [child.pid]);
		const killed = `.reviews.db.${gonePid}.0badf00d.tmp`;
		const running = `.reviews.db.${process.ppid}.00c0ffee.tmp`;
		const other = `.other.db.${gonePid}.0badf00d.tmp`;
		for (const name of [killed, running, other]) writeFileSync(join(dir, name), 'half a database');
		await buildReviewsDb(dir, target);
		const left = readdirSync(dir).filter((n) => n.startsWith('.'));
		expect(left.sort()).toEqual([running, other].sort());
	});

	it('a build with bad pages keeps the good films and records every problem', async () => {
		const dir = dataCopy();
		writeFileSync(
			join(dir, 'pusher-1996.critics.metacritic.txt'),
			'Generally favorable reviews - based on 2 Critics\nCritic Reviews\n  1. 150\n    Too much.\n',
		);
		const target = join(dir, 'reviews.db');
		const built = await buildReviewsDb(dir, target);
		const expected = await loadDataDir(dir);
		expect(expected.errors.length).toBeGreaterThan(0);
		const db = new Sqlite(target, { readonly: true });
		expect(db.prepare('SELECT file, line, reason FROM errors ORDER BY ord').all()).toEqual(expected.errors);
		expect(db.prepare("SELECT count(*) FROM user_reviews WHERE film_id = 'pusher-ii-2004'").pluck().get()).toBe(25);
		db.close();
		// Reused, the bad page's problems are still reported.
		const again = await buildReviewsDb(dir, target);
		expect([again.reused, again.data.errors]).toEqual([2, built.data.errors]);
	});

	it('a page edited into one with problems, or gone, keeps serving its last version without problems until it is fixed', async () => {
		const dir = dataCopy();
		const target = join(dir, 'reviews.db');
		const good = await buildReviewsDb(dir, target);
		const page = readFileSync(join(dir, USERS), 'utf8');
		const userReviews = (data: typeof good.data): number => data.films.find((f) => f.film.id === 'pusher-ii-2004')!.userReviews.length;
		const note = { file: USERS, line: 0, reason: 'the last version without problems (25 reviews) is served until this page is fixed' };

		// One review's rating made impossible: the page parses with a problem, so its last good rows stay.
		writeFileSync(join(dir, USERS), page.replace('8/10\nNicolas Winding Refn', '80/10\nNicolas Winding Refn'));
		const broken = await buildReviewsDb(dir, target);
		const fresh = await loadDataDir(dir);
		expect(fresh.errors).toHaveLength(1);
		expect(userReviews(fresh)).toBe(24);
		expect([broken.parsed, broken.reused, broken.kept]).toEqual([1, 1, 1]);
		expect(broken.data.errors).toEqual([...fresh.errors, note]);
		expect(broken.data.films).toEqual(good.data.films);
		// Built again, the page is tried again (the kept rows carry the good version's fingerprint) and still kept.
		const again = await buildReviewsDb(dir, target);
		expect([again.parsed, again.kept, again.data.errors]).toEqual([1, 1, broken.data.errors]);

		// Gone: the same.
		rmSync(join(dir, USERS));
		const gone = await buildReviewsDb(dir, target);
		expect(gone.data.errors).toEqual([
			{ file: USERS, line: 0, reason: 'file named by film "pusher-ii-2004" cannot be read: no such file' },
			note,
		]);
		expect(gone.data.films).toEqual(good.data.films);

		// Fixed with a change: parsed, and nothing kept.
		writeFileSync(join(dir, USERS), page.replace('54 out of 62 found', '55 out of 63 found'));
		const fixed = await buildReviewsDb(dir, target);
		expect([fixed.parsed, fixed.kept, fixed.data.errors]).toEqual([1, 0, []]);
		expect(fixed.data).toEqual(await loadDataDir(dir));
		expect(userReviews(fixed.data)).toBe(25);
	});

	it('a page with problems at its first build gives what it can: there is no earlier version to keep', async () => {
		const dir = dataCopy();
		const page = readFileSync(join(dir, USERS), 'utf8');
		writeFileSync(join(dir, USERS), page.replace('8/10\nNicolas Winding Refn', '80/10\nNicolas Winding Refn'));
		const built = await buildReviewsDb(dir, join(dir, 'reviews.db'));
		expect(built.kept).toBe(0);
		expect(built.data).toEqual(await loadDataDir(dir));
	});

	it('the CLI builds REVIEWS_DB, prints a summary line, and exits 1 with file:line problems on stderr for bad data', async () => {
		const dir = dataCopy();
		const target = join(tempDir(), 'store.db');
		const run = (env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> =>
			new Promise((resolve) => {
				execFile(
					process.execPath,
					['--import', 'tsx', 'src/cli/data-build.ts', '--data', dir],
					{ env: { ...process.env, ...env } },
					(error, stdout, stderr) => {
						resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
					},
				);
			});
		const ok = await run({ REVIEWS_DB: target });
		expect(ok.stderr).toBe('');
		expect(ok.stdout).toMatch(
			new RegExp(
				`^${target.replaceAll('.', '\\.')}: 2 films, 36 reviews, 0 errors \\(version [0-9a-f]{16}\\); 2 pages parsed, 0 reused, in \\d+ ms\\n$`,
			),
		);
		expect(ok.code).toBe(0);
		writeFileSync(join(dir, USERS), '\u0000');
		const bad = await run({ REVIEWS_DB: target });
		expect(bad.stderr).toBe(
			'pusher-ii-2004.users.imdb.txt:1: binary data (control characters) in a text page\n' +
				'pusher-ii-2004.users.imdb.txt:0: the last version without problems (25 reviews) is served until this page is fixed\n',
		);
		expect(bad.stdout).toMatch(
			/: 2 films, 36 reviews, 2 errors \(version [0-9a-f]{16}\); 1 page parsed, 1 reused, 1 kept as last built, in /,
		);
		expect(bad.code).toBe(1);
		expect(await run({ REVIEWS_DB: ':memory:' })).toMatchObject({
			code: 2,
			stderr: 'data:build: REVIEWS_DB: must be a file path, e.g. data/reviews.db\n',
		});
	});
});

describe('the store the bot serves from', () => {
	it('a start builds the file when it is missing or stale (or not a store), and only opens it when it is up to date', async () => {
		const dir = dataCopy();
		const db = join(tempDir(), 'reviews.db');
		const { logger, lines } = captureLogger();
		const builds = (): unknown[] => lines.filter((l) => l['msg'] === 'review store built').map((l) => [l['parsed'], l['reused']]);
		const start = async (): Promise<ReviewStore> => {
			const loaded = await loadStore(dir, logger, {}, db);
			if (!loaded.ok) throw new Error(loaded.message);
			return loaded.store;
		};
		const first = await start();
		expect(builds()).toEqual([[2, 0]]);
		expect(first.version).toBe((await loadDataDir(dir)).version);
		first.close();
		(await start()).close();
		expect(builds()).toEqual([[2, 0]]);
		addVotes(dir, USERS, '54 out of 62');
		const stale = await start();
		expect(builds()).toEqual([
			[2, 0],
			[1, 1],
		]);
		expect(stale.version).toBe((await loadDataDir(dir)).version);
		expect(stale.review(stale.film('pusher-ii-2004')!, 'user', 'helpful', 0)).toMatchObject({
			author: 'UlrikSander',
			helpful: { up: 954, total: 962 },
		});
		stale.close();
		writeFileSync(db, 'not a database');
		(await start()).close();
		expect(builds()).toEqual([
			[2, 0],
			[1, 1],
			[2, 0],
		]);
	});

	it('a file that cannot be written where REVIEWS_DB says gives one message saying what to change', async () => {
		const dir = dataCopy();
		const db = join(dir, 'films.json', 'reviews.db');
		const { logger } = captureLogger();
		expect(await loadStore(dir, logger, {}, db)).toEqual({
			ok: false,
			message: `Could not build the review store "${db}" (REVIEWS_DB): ENOTDIR. Its directory must be writable: set REVIEWS_DB to a path in one that is.`,
		});
	});

	it('a summary in the file that does not read back as one (a hand-edited file) is no summary: the film still answers', async () => {
		const dir = dataCopy();
		const target = join(dir, 'reviews.db');
		await buildReviewsDb(dir, target);
		const writer = new Sqlite(target);
		writer
			.prepare("UPDATE films SET summary = ? WHERE id = 'pusher-ii-2004'")
			.run(JSON.stringify({ critics: null, users: { count: 'many' } }));
		writer.prepare("UPDATE films SET summary = 'not json' WHERE id = 'pusher-1996'").run();
		writer.close();
		const store = ReviewStore.open(target);
		expect(store.summary(store.film('pusher-ii-2004')!)).toEqual({ critics: null, users: null });
		expect(store.summary(store.film('pusher-1996')!)).toEqual({ critics: null, users: null });
		expect(store.review(store.film('pusher-ii-2004')!, 'user', 'helpful', 0)).toMatchObject({ author: 'UlrikSander' });
		store.close();
	});

	it('a review row of another shape is refused with its table named, never handed on as a review; the next build parses its page again', async () => {
		const dir = dataCopy();
		const target = join(dir, 'reviews.db');
		await buildReviewsDb(dir, target);
		const writer = new Sqlite(target);
		writer.prepare("UPDATE user_reviews SET rating = 'ten' WHERE film_id = 'pusher-ii-2004' AND r_helpful = 1").run();
		writer.prepare("UPDATE pages SET errors = 'not json' WHERE film_id = 'pusher-1996'").run();
		writer.close();
		const store = ReviewStore.open(target);
		const p2 = store.film('pusher-ii-2004')!;
		expect(() => store.review(p2, 'user', 'helpful', 0)).toThrow("the review store's user_reviews table holds a row it cannot read");
		expect(store.review(p2, 'user', 'helpful', 1)).toMatchObject({ author: 'PAolo-10', helpful: { up: 23, total: 26 } });
		store.close();
		const rebuilt = await buildReviewsDb(dir, target);
		expect([rebuilt.parsed, rebuilt.reused]).toEqual([2, 0]);
		expect(rebuilt.data).toEqual(await loadDataDir(dir));
	});

	it('a store open on a file keeps answering from it while a build renames a new one over it', async () => {
		const dir = dataCopy();
		const db = join(dir, 'reviews.db');
		await buildReviewsDb(dir, db);
		const old = ReviewStore.open(db);
		addVotes(dir, USERS, '54 out of 62');
		await buildReviewsDb(dir, db);
		const fresh = ReviewStore.open(db);
		const top = (store: ReviewStore) => store.review(store.film('pusher-ii-2004')!, 'user', 'helpful', 0);
		expect([top(old), top(fresh)]).toMatchObject([
			{ author: 'UlrikSander', helpful: { up: 54, total: 62 } },
			{ author: 'UlrikSander', helpful: { up: 954, total: 962 } },
		]);
		expect(old.version).not.toBe(fresh.version);
		old.close();
		fresh.close();
	});

	it('opens read-only: a missing file is an error, never a new empty database, and a file of another kind is refused', () => {
		const dir = tempDir();
		const missing = join(dir, 'reviews.db');
		expect(() => ReviewStore.open(missing)).toThrow();
		expect(existsSync(missing)).toBe(false);
		const other = join(dir, 'other.db');
		new Sqlite(other).exec('CREATE TABLE t (x)').close();
		expect(() => ReviewStore.open(other)).toThrow(`not a review store of schema ${SCHEMA_VERSION}`);
	});

	it('/quote numbering: review n of every pool is the n-th of the films walked in order, users then critics, films without reviews skipped', () => {
		const users = (id: string, n: number) => Array.from({ length: n }, (_, i) => userReview(id, i + 1));
		const critics = (id: string, n: number) => Array.from({ length: n }, (_, i) => criticReview(id, i + 1));
		const films = [
			film('a', 'A', { userReviews: users('a', 2), criticReviews: critics('a', 1) }),
			film('b', 'B'),
			film('c', 'C', { criticReviews: critics('c', 2) }),
			film('d', 'D', { userReviews: users('d', 3) }),
		];
		const store = storeOf(films);
		for (const kind of [undefined, 'user', 'critic'] as const) {
			for (const filmId of [undefined, 'a', 'b', 'c', 'd']) {
				const walked = films
					.filter((f) => filmId === undefined || f.film.id === filmId)
					.flatMap((f) => [...(kind === 'critic' ? [] : f.userReviews), ...(kind === 'user' ? [] : f.criticReviews)].map((r) => r.id));
				const pool = { kind, filmId };
				expect(store.quoteTotal(pool), `${kind} ${filmId}`).toBe(walked.length);
				expect(
					Array.from({ length: walked.length }, (_, n) => store.quoteAt(pool, n)?.id),
					`${kind} ${filmId}`,
				).toEqual(walked);
				expect(walked.map((id) => store.quoteIndexOf(pool, id))).toEqual(walked.map((_, n) => n));
				expect(store.quoteAt(pool, walked.length)).toBeUndefined();
			}
		}
		expect(store.quoteIndexOf({ kind: 'user' }, 'a#c1')).toBeUndefined();
		expect(store.quoteIndexOf({ filmId: 'c' }, 'a#u1')).toBeUndefined();
		expect(store.quoteIndexOf({}, 'nothing#u1')).toBeUndefined();
	});
});
