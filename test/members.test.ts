import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Sqlite from 'better-sqlite3';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main as backupMain } from '../src/cli/db-backup.js';
import { plural } from '../src/domain/text.js';
import { databaseTarget, type DatabaseTarget, loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { type MemberStore, type MemberStoreOptions, openMemberStore, type ReviewOrder } from '../src/members/store.js';
import { createTestDatabase, findPostgres, postgresRelay, type TestDatabase } from './postgres-server.js';

const postgresUser = await findPostgres();
if (postgresUser === undefined) {
	console.warn(
		'no PostgreSQL server answers on 127.0.0.1:5432: skipping the PostgreSQL member store tests (start one with trust auth to run them)',
	);
}

const LogLine = z.object({ level: z.number(), msg: z.string() });

/** A pino logger whose JSON lines land in `lines`. */
function captureLogger() {
	const lines: z.infer<typeof LogLine>[] = [];
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			for (const text of chunk.toString('utf8').split('\n')) if (text.trim() !== '') lines.push(LogLine.parse(JSON.parse(text)));
			done();
		},
	});
	return {
		logger: createLogger('debug', stream),
		lines,
		warnings: () => lines.filter((line) => line.level === 40).map((line) => line.msg),
	};
}

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check()` is true (polling), failing after 5 s. */
async function until(check: () => boolean): Promise<void> {
	for (let waited = 0; !check(); waited += 20) {
		if (waited > 5000) throw new Error('timed out');
		await sleep(20);
	}
}

/** Fresh snowflakes, so tests sharing a database never see each other's rows. */
let nextId = 10n ** 17n + BigInt(Math.floor(Math.random() * 1e9)) * 10_000n;
const id = (): string => String((nextId += 1n));

const ok = <T>(result: { ok: true; value: T } | { ok: false; reason: string }): T => {
	if (!result.ok) throw new Error(`expected ok, got ${result.reason}`);
	return result.value;
};

describe('DATABASE_URL', () => {
	const target = (env: NodeJS.ProcessEnv): DatabaseTarget | string[] => {
		const result = loadConfig(env);
		return result.ok ? databaseTarget(result.config.DATA_DIR, result.config.DATABASE_URL) : result.errors;
	};

	it('defaults to marquee.db in DATA_DIR, and reads sqlite:// and postgres(ql):// URLs', () => {
		expect(target({})).toEqual({ kind: 'sqlite', file: 'data/marquee.db' });
		expect(target({ DATA_DIR: '/srv/m', DATABASE_URL: ' ' })).toEqual({ kind: 'sqlite', file: '/srv/m/marquee.db' });
		expect(target({ DATABASE_URL: 'sqlite://var/members.db' })).toEqual({ kind: 'sqlite', file: 'var/members.db' });
		expect(target({ DATABASE_URL: 'postgres://bot:pw@db:5432/marquee' })).toEqual({
			kind: 'postgres',
			url: 'postgres://bot:pw@db:5432/marquee',
		});
		expect(target({ DATABASE_URL: 'postgresql://db/marquee' })).toEqual({ kind: 'postgres', url: 'postgresql://db/marquee' });
	});

	it('refuses anything else in one line, without echoing a postgres URL', () => {
		const hint = 'must be sqlite://PATH or postgres://USER@HOST:PORT/DB (or postgresql://)';
		expect(target({ DATABASE_URL: 'mysql://db/x' })).toEqual([`DATABASE_URL: ${hint}, got "mysql://db/x"`]);
		expect(target({ DATABASE_URL: 'postgres://bot:secret@[db' })).toEqual([`DATABASE_URL: ${hint}, got an unparseable postgres URL`]);
		expect(target({ DATABASE_URL: 'sqlite://' })).toEqual(['DATABASE_URL: sqlite:// needs a file path, e.g. sqlite://data/marquee.db']);
		expect(target({ DATABASE_URL: 'sqlite://:memory:' })).toEqual([
			'DATABASE_URL: must be a file path, e.g. sqlite://data/marquee.db (:memory: would lose every rating at exit)',
		]);
	});
});

/** Runs two worker processes rating one (guild, member, film) at once; the scores each wrote last. */
async function raceWorkers(target: DatabaseTarget, guild: string, user: string, film: string): Promise<number[]> {
	const sequences = [
		[1, 2, 3],
		[8, 9, 10],
	].map((cycle) => Array.from({ length: 60 }, (_, i) => cycle[i % 3] ?? 0));
	const workers = sequences.map((scores) =>
		spawn(process.execPath, ['--import', 'tsx', 'test/members-worker.ts', JSON.stringify(target), guild, user, film, scores.join(',')], {
			stdio: ['pipe', 'pipe', 'inherit'],
		}),
	);
	const outputs = workers.map((worker) => {
		let out = '';
		worker.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
		const exited = new Promise<number | null>((resolve) => worker.once('exit', resolve));
		return { out: () => out, exited };
	});
	await until(() => outputs.every(({ out }) => out().startsWith('ready\n')));
	for (const worker of workers) worker.stdin.end('go\n');
	expect(await Promise.all(outputs.map(({ exited }) => exited))).toEqual([0, 0]);
	expect(outputs.map(({ out }) => out())).toEqual(['ready\n{"failures":0}\n', 'ready\n{"failures":0}\n']);
	return sequences.map((scores) => scores.at(-1) ?? 0);
}

interface Backend {
	/** A target in the suite's database (the same one for every call). */
	target(): DatabaseTarget;
	/** Rows of `table` in the suite's database, read around the store. */
	rows(table: 'ratings' | 'member_reviews', guild: string): Promise<number>;
}

/** The store's behaviour, the same on both databases. */
function storeSuite(backend: () => Backend) {
	const opened: MemberStore[] = [];
	let clock = 1_000_000;
	const open = async (options: Partial<MemberStoreOptions> = {}): Promise<MemberStore> => {
		const store = openMemberStore(backend().target(), { logger: captureLogger().logger, now: () => clock, ...options });
		opened.push(store);
		expect(await store.ready()).toBe(true);
		return store;
	};
	afterEach(async () => {
		await Promise.all(opened.splice(0).map((store) => store.close()));
	});

	it('answers a film summary with the exact count, mean and histogram', async () => {
		const store = await open();
		const guild = id();
		for (const score of [8, 9, 4, 8]) ok(await store.rate(guild, id(), 'pusher-1996', score));
		ok(await store.rate(guild, id(), 'pusher-ii-2004', 1));
		expect(ok(await store.filmSummary(guild, 'pusher-1996'))).toEqual({ count: 4, mean: 7.25, histogram: [0, 0, 0, 1, 0, 0, 0, 2, 1, 0] });
		expect(ok(await store.filmSummary(guild, 'unrated-film'))).toEqual({ count: 0, mean: null, histogram: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
	});

	it("reads every film the guild's members rated, with its exact count, mean and histogram, in one list by film id", async () => {
		const store = await open();
		const [guild, other] = [id(), id()];
		const plan: [string, number[]][] = [
			['pusher-ii-2004', [1, 1, 1, 10, 10, 10, 10, 5]],
			['pusher-1996', [8, 9, 4, 8]],
			['pusher', [6]],
		];
		for (const [film, scores] of plan) for (const score of scores) ok(await store.rate(guild, id(), film, score));
		ok(await store.rate(other, id(), 'pusher-1996', 2));
		expect(ok(await store.ratedFilms(guild))).toEqual([
			{ filmId: 'pusher', count: 1, mean: 6, histogram: [0, 0, 0, 0, 0, 1, 0, 0, 0, 0] },
			{ filmId: 'pusher-1996', count: 4, mean: 7.25, histogram: [0, 0, 0, 1, 0, 0, 0, 2, 1, 0] },
			{ filmId: 'pusher-ii-2004', count: 8, mean: 6, histogram: [3, 0, 0, 0, 1, 0, 0, 0, 0, 4] },
		]);
		expect(ok(await store.ratedFilms(other))).toEqual([
			{ filmId: 'pusher-1996', count: 1, mean: 2, histogram: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0] },
		]);
		expect(await store.ratedFilms(id())).toEqual({ ok: true, value: [] });
		expect(await store.ratedFilms('12345')).toEqual({ ok: false, reason: 'invalid' });
	});

	it('keeps one rating per member and film: a new score replaces the old and says what it was', async () => {
		const store = await open();
		const [guild, user] = [id(), id()];
		clock = 1000;
		expect(await store.rate(guild, user, 'pusher-1996', 6)).toEqual({ ok: true, value: null });
		clock = 2000;
		expect(await store.rate(guild, user, 'pusher-1996', 9)).toEqual({ ok: true, value: 6 });
		expect(await store.rate(guild, user, 'pusher-1996', 9)).toEqual({ ok: true, value: 9 });
		expect(await backend().rows('ratings', guild)).toBe(1);
		expect(ok(await store.member(guild, user)).ratings).toEqual([{ filmId: 'pusher-1996', score: 9, createdAt: 1000, updatedAt: 2000 }]);
		expect(await store.unrate(guild, user, 'pusher-1996')).toEqual({ ok: true, value: 9 });
		expect(await store.unrate(guild, user, 'pusher-1996')).toEqual({ ok: true, value: null });
		expect(ok(await store.filmSummary(guild, 'pusher-1996')).count).toBe(0);
	});

	it("writes, edits, reads and removes a member review, with the author's score beside it", async () => {
		const store = await open();
		const [guild, user] = [id(), id()];
		clock = 5000;
		const title = '🎬'.repeat(100); // 100 characters, 200 UTF-16 units: the limit counts characters
		expect(await store.writeReview(guild, user, 'pusher-1996', { title, body: '  Tense. \n', spoiler: false })).toEqual({
			ok: true,
			value: 'created',
		});
		clock = 6000;
		ok(await store.rate(guild, user, 'pusher-1996', 7));
		expect(await store.writeReview(guild, user, 'pusher-1996', { title, body: 'x'.repeat(4000), spoiler: true })).toEqual({
			ok: true,
			value: 'updated',
		});
		const review = {
			userId: user,
			filmId: 'pusher-1996',
			title,
			body: 'x'.repeat(4000),
			spoiler: true,
			score: 7,
			createdAt: 5000,
			updatedAt: 6000,
		};
		expect(ok(await store.getReview(guild, user, 'pusher-1996'))).toEqual(review);
		expect(ok(await store.member(guild, user)).reviews).toEqual([review]);
		expect(ok(await store.randomReview(guild))).toEqual(review);
		expect(await store.removeReview(guild, user, 'pusher-1996')).toEqual({ ok: true, value: true });
		expect(await store.removeReview(guild, user, 'pusher-1996')).toEqual({ ok: true, value: false });
		expect(await store.getReview(guild, user, 'pusher-1996')).toEqual({ ok: true, value: null });
		expect(await store.randomReview(guild)).toEqual({ ok: true, value: null });
		expect(ok(await store.member(guild, user)).ratings).toHaveLength(1);
	});

	it('keeps each guild to itself', async () => {
		const store = await open();
		const [a, b, user] = [id(), id(), id()];
		ok(await store.rate(a, user, 'pusher-1996', 10));
		ok(await store.rate(b, user, 'pusher-1996', 2));
		ok(await store.writeReview(a, user, 'pusher-1996', { title: '', body: 'Only in A.', spoiler: false }));
		expect(ok(await store.filmSummary(b, 'pusher-1996'))).toEqual({ count: 1, mean: 2, histogram: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0] });
		expect(ok(await store.member(b, user))).toEqual({
			ratings: [{ filmId: 'pusher-1996', score: 2, createdAt: clock, updatedAt: clock }],
			reviews: [],
		});
		expect(ok(await store.memberReviews(b, 'pusher-1996', { order: 'newest', limit: 5 }))).toEqual({ reviews: [], total: 0, next: null });
		expect(ok(await store.randomReview(b))).toBeNull();
		expect(ok(await store.top(b, 1, 10)).films).toEqual([{ filmId: 'pusher-1996', count: 1, mean: 2, score: 2 }]);
		expect(ok(await store.getReview(a, user, 'pusher-1996'))?.body).toBe('Only in A.');
	});

	it('forgets a member in every guild, and nobody else', async () => {
		const store = await open();
		const [a, b, user, other] = [id(), id(), id(), id()];
		for (const guild of [a, b]) {
			ok(await store.rate(guild, user, 'pusher-1996', 5));
			ok(await store.writeReview(guild, user, 'pusher-1996', { title: 't', body: 'mine', spoiler: false }));
			ok(await store.rate(guild, other, 'pusher-1996', 9));
		}
		ok(await store.rate(a, user, 'pusher-ii-2004', 6));
		expect(await store.forgetMe(user)).toEqual({ ok: true, value: { ratings: 3, reviews: 2 } });
		for (const guild of [a, b]) {
			expect(ok(await store.member(guild, user))).toEqual({ ratings: [], reviews: [] });
			expect(ok(await store.filmSummary(guild, 'pusher-1996'))).toEqual({ count: 1, mean: 9, histogram: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0] });
		}
		expect(await store.forgetMe(user)).toEqual({ ok: true, value: { ratings: 0, reviews: 0 } });
	});

	it('ranks the top films by a Bayesian average, so one 10/10 does not top the list', async () => {
		const store = await open();
		const guild = id();
		const ratings: [string, number[]][] = [
			['lone-ten', [10]],
			['well-liked', [9, 9, 8, 8]],
			['disliked', [2, 3]],
		];
		for (const [film, scores] of ratings) for (const score of scores) ok(await store.rate(guild, id(), film, score));
		// The guild's mean C = 49 / 7 = 7, the prior weight m = 3: (sum + 21) / (count + 3).
		expect(ok(await store.top(guild, 1, 10))).toEqual({
			prior: { weight: 3, mean: 7 },
			films: [
				{ filmId: 'well-liked', count: 4, mean: 8.5, score: 55 / 7 },
				{ filmId: 'lone-ten', count: 1, mean: 10, score: 7.75 },
				{ filmId: 'disliked', count: 2, mean: 2.5, score: 5.2 },
			],
		});
		expect(ok(await store.top(guild, 2, 1)).films.map((f) => f.filmId)).toEqual(['well-liked']);
		expect(ok(await store.top(id(), 1, 10))).toEqual({ prior: { weight: 3, mean: null }, films: [] });
	});

	it('pages member reviews by keyset, newest first or highest rated first, without repeats or gaps', async () => {
		const store = await open();
		const guild = id();
		const [u0, u1, u2, u3, u4] = [id(), id(), id(), id(), id()];
		// [member, written at, score]: u1 and u2 in the same millisecond (the later id first), u3 unrated.
		const plan: [string, number, number | null][] = [
			[u0, 100, 6],
			[u1, 300, 9],
			[u2, 300, 3],
			[u3, 200, null],
			[u4, 400, 9],
		];
		for (const [user, at, score] of plan) {
			clock = at;
			if (score !== null) ok(await store.rate(guild, user, 'pusher-1996', score));
			ok(await store.writeReview(guild, user, 'pusher-1996', { title: '', body: `by ${user}`, spoiler: false }));
		}
		const page = async (order: ReviewOrder, after?: string | null) =>
			ok(await store.memberReviews(guild, 'pusher-1996', after == null ? { order, limit: 2 } : { order, limit: 2, after }));
		const users = (p: { reviews: readonly { userId: string }[] }) => p.reviews.map((r) => r.userId);

		const n1 = await page('newest');
		expect([users(n1), n1.total, n1.next]).toEqual([[u4, u2], 5, `300.${u2}`]);
		clock = 999; // a review written meanwhile sorts first: it shifts none of the pages still to come
		const late = id();
		ok(await store.writeReview(guild, late, 'pusher-1996', { title: '', body: 'late', spoiler: false }));
		const n2 = await page('newest', n1.next);
		expect([users(n2), n2.total]).toEqual([[u1, u3], 6]);
		const n3 = await page('newest', n2.next);
		expect([users(n3), n3.next]).toEqual([[u0], null]);

		// Highest: by score, newest first among equal scores; unrated last.
		const h1 = await page('highest');
		expect([users(h1), h1.next]).toEqual([[u4, u1], `9.300.${u1}`]);
		const h2 = await page('highest', h1.next);
		const h3 = await page('highest', h2.next);
		expect([users(h2), users(h3), h3.next]).toEqual([[u0, u2], [late, u3], null]);
	});

	it('answers invalid for input outside the limits, and stores nothing', async () => {
		const store = await open();
		const [guild, user] = [id(), id()];
		const invalid = { ok: false, reason: 'invalid' };
		for (const score of [0, 11, 7.5, Number.NaN]) expect(await store.rate(guild, user, 'pusher-1996', score)).toEqual(invalid);
		expect(await store.rate('12345', user, 'pusher-1996', 5)).toEqual(invalid);
		expect(await store.rate(guild, user, 'Not A Slug', 5)).toEqual(invalid);
		for (const review of [
			{ title: 'x'.repeat(101), body: 'ok', spoiler: false },
			{ title: '', body: 'x'.repeat(4001), spoiler: false },
			{ title: '', body: ' \n ', spoiler: false },
			{ title: '', body: 'nul \0 byte', spoiler: false },
		]) {
			expect(await store.writeReview(guild, user, 'pusher-1996', review)).toEqual(invalid);
		}
		expect(await store.memberReviews(guild, 'pusher-1996', { order: 'newest', limit: 26 })).toEqual(invalid);
		expect(await store.memberReviews(guild, 'pusher-1996', { order: 'newest', limit: 5, after: '9.300.1' })).toEqual(invalid);
		expect(await store.top(guild, 0, 10)).toEqual(invalid);
		expect(await store.forgetMe('me')).toEqual(invalid);
		expect(ok(await store.member(guild, user))).toEqual({ ratings: [], reviews: [] });
		expect(store.available()).toBe(true);
	});

	it('keeps its data when reopened: the migrations run again as a no-op', async () => {
		const [guild, user] = [id(), id()];
		const first = await open();
		ok(await first.rate(guild, user, 'pusher-1996', 4));
		await first.close();
		expect(await first.rate(guild, user, 'pusher-1996', 5)).toEqual({ ok: false, reason: 'unavailable' });
		const second = await open();
		expect(ok(await second.filmSummary(guild, 'pusher-1996'))).toEqual({ count: 1, mean: 4, histogram: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0] });
	});

	it('leaves exactly one row, the last score written, when two processes rate the same film for the same member at once', async () => {
		const [guild, user] = [id(), id()];
		const lastScores = await raceWorkers(backend().target(), guild, user, 'pusher-1996');
		expect(await backend().rows('ratings', guild)).toBe(1);
		const { ratings } = ok(await (await open()).member(guild, user));
		expect(ratings).toHaveLength(1);
		expect(lastScores).toContain(ratings[0]?.score);
	});
}

describe('member store on SQLite', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'marquee-members-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	const file = () => join(dir, 'data', 'marquee.db');

	storeSuite(() => ({
		target: () => ({ kind: 'sqlite', file: file() }),
		rows: (table, guild) => {
			const db = new Sqlite(file(), { readonly: true });
			try {
				return Promise.resolve(Number(db.prepare(`SELECT count(*) FROM ${table} WHERE guild_id = ?`).pluck().get(guild)));
			} finally {
				db.close();
			}
		},
	}));

	it('opens the file in WAL mode', async () => {
		const store = openMemberStore({ kind: 'sqlite', file: file() }, { logger: captureLogger().logger });
		expect(await store.ready()).toBe(true);
		const db = new Sqlite(file(), { readonly: true });
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		db.close();
		await store.close();
	});

	it('answers unavailable while the file cannot be opened, warns once, and recovers without a restart', async () => {
		const blocked = join(dir, 'blocked');
		writeFileSync(blocked, 'a file where the directory should be');
		const { logger, lines, warnings } = captureLogger();
		const store = openMemberStore({ kind: 'sqlite', file: join(blocked, 'marquee.db') }, { logger, retryMs: 20 });
		expect(await store.ready()).toBe(false);
		expect(await store.rate(id(), id(), 'pusher-1996', 5)).toEqual({ ok: false, reason: 'unavailable' });
		expect(await store.filmSummary(id(), 'pusher-1996')).toEqual({ ok: false, reason: 'unavailable' });
		await sleep(100); // several retries fail meanwhile
		expect(warnings()).toEqual([
			'member data unavailable (cannot open the database): ratings and member reviews cannot be read or saved until the database answers again',
		]);
		rmSync(blocked);
		await until(() => store.available());
		expect(await store.rate(id(), id(), 'pusher-1996', 5)).toEqual({ ok: true, value: null });
		expect(lines.at(-1)?.msg).toBe('member data available again');
		await store.close();
	});

	it('npm run db:backup copies the file while a store has it open', async () => {
		const store = openMemberStore({ kind: 'sqlite', file: file() }, { logger: captureLogger().logger });
		const guild = id();
		ok(await store.rate(guild, id(), 'pusher-1996', 8));
		const copy = join(dir, 'copy.db');
		const source = new Sqlite(file(), { readonly: true });
		const count = (table: string) => z.number().parse(source.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
		const [ratings, reviews] = [count('ratings'), count('member_reviews')];
		source.close();
		let out = '';
		const write = (text: string) => (out += text);
		const code = backupMain([copy], { env: { DATA_DIR: join(dir, 'data'), DATABASE_URL: '' }, stdout: { write }, stderr: { write } });
		expect(out).toMatch(
			new RegExp(`^${copy}: ${plural(ratings, 'rating')}, ${plural(reviews, 'member review')} from ${file()}, in \\d+ ms\\n$`),
		);
		expect(code).toBe(0);
		const backup = new Sqlite(copy, { readonly: true });
		expect(backup.prepare('SELECT score FROM ratings WHERE guild_id = ?').pluck().all(guild)).toEqual([8]);
		backup.close();
		await store.close();
	});
});

describe.skipIf(postgresUser === undefined)('member store on PostgreSQL', () => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(postgresUser ?? '');
	});
	afterAll(async () => {
		await database.drop();
	});

	storeSuite(() => ({
		target: () => ({ kind: 'postgres', url: database.url }),
		rows: async (table, guild) => {
			const { Client } = await import('pg');
			const client = new Client({ connectionString: database.url });
			await client.connect();
			try {
				const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE guild_id = $1`, [guild]);
				return Number(result.rows[0]?.n);
			} finally {
				await client.end();
			}
		},
	}));

	it('answers unavailable while the server is away, warns once per failure streak, and recovers without a restart', async () => {
		const relay = await postgresRelay();
		const { logger, lines, warnings } = captureLogger();
		const store = openMemberStore({ kind: 'postgres', url: database.urlOnPort(relay.port) }, { logger, retryMs: 20 });
		const [guild, user] = [id(), id()];
		try {
			expect(await store.ready()).toBe(false);
			expect(await store.rate(guild, user, 'pusher-1996', 5)).toEqual({ ok: false, reason: 'unavailable' });
			await sleep(100);
			expect(warnings()).toEqual([
				'member data unavailable (cannot open the database): ratings and member reviews cannot be read or saved until the database answers again',
			]);
			await relay.start();
			await until(() => store.available());
			expect(await store.rate(guild, user, 'pusher-1996', 5)).toEqual({ ok: true, value: null });
			expect(lines.at(-1)?.msg).toBe('member data available again');

			await relay.stop(); // the server goes away under an open store
			expect(await store.rate(guild, user, 'pusher-1996', 6)).toEqual({ ok: false, reason: 'unavailable' });
			expect(await store.filmSummary(guild, 'pusher-1996')).toEqual({ ok: false, reason: 'unavailable' });
			expect(store.available()).toBe(false);
			expect(warnings()).toHaveLength(2);
			await relay.start();
			expect(await store.rate(guild, user, 'pusher-1996', 6)).toEqual({ ok: true, value: 5 });
			expect(store.available()).toBe(true);
		} finally {
			await store.close();
			await relay.stop();
		}
	});
});
