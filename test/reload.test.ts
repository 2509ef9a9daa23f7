// Live reload (#10): the data directory changes while the bot runs, and the next request is answered from the
// new data without a restart; a broken change keeps the old data serving; SIGHUP reloads.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startApp } from '../src/app.js';
import { registerCommands } from '../src/deploy.js';
import type { Cache } from '../src/cache.js';
import { type Deps, dispatch } from '../src/discord/dispatch.js';
import { loadDataDir } from '../src/domain/load.js';
import { ReviewStore } from '../src/domain/store.js';
import { isDataFileName, LiveStore, type Loaded, type Served, type Versioned } from '../src/reload.js';
import { killChildren, logLines, spawnChild } from './e2e/harness.js';
import { type Manager, startManager } from './e2e/sharded-harness.js';
import { type FakeDiscordServer, startFakeDiscord } from './fake-discord/index.js';
import { captureLogger, command, expectValid, memoryCache, silent, tempDir, textOf } from './helpers.js';

const PAGE = 'pusher-ii-2004.users.imdb.txt';
const NEW_TITLE = 'A reloaded review, live';

function served(store: ReviewStore): Served<ReviewStore> {
	return { store, films: store.films.length, errors: store.errors().length };
}

/** A copy of the repository's data/ (pages and manifest only) to change. */
function dataCopy(): string {
	const dir = tempDir('marquee-reload-');
	for (const name of ['films.json', 'pusher-1996.critics.metacritic.txt', PAGE]) cpSync(join('data', name), join(dir, name));
	return dir;
}

/** Adds a user review, the most helpful of the page, to Pusher II's page in `dir` (before the page's footer). */
function addReview(dir: string): void {
	const file = join(dir, PAGE);
	const footer = 'An error has occured. Please try again.';
	const page = readFileSync(file, 'utf8');
	expect(page).toContain(footer);
	const block = `10/10\n${NEW_TITLE}\nreloadtester9 November 2020\nAdded while the bot ran: it is answered without a restart.\n99 out of 100 found this helpful. Was this review helpful? Sign in to vote.\nPermalink\n`;
	writeFileSync(file, page.replace(footer, block + footer));
}

/** The manifest of `dir` with a third film, Amélie (its pages copied in from the test fixtures). */
function amelieManifest(dir: string): string {
	for (const name of ['amelie-2001.critics.metacritic.txt', 'amelie-2001.users.imdb.txt'])
		cpSync(join('test/fixtures', name), join(dir, name));
	const manifest = z.object({ films: z.array(z.unknown()) }).parse(JSON.parse(readFileSync(join('data', 'films.json'), 'utf8')));
	const fixtures = z
		.object({ films: z.array(z.looseObject({ id: z.string() })) })
		.parse(JSON.parse(readFileSync(join('test/fixtures', 'films.json'), 'utf8')));
	manifest.films.push(fixtures.films.find((f) => f.id === 'amelie-2001'));
	return JSON.stringify(manifest, null, '\t');
}

/** The app in process on the console, as `npm start` runs it without a token; signals come from `events`. */
function consoleApp(dir: string) {
	const stdin = new PassThrough();
	const stdout = new PassThrough();
	const logStream = new PassThrough();
	let out = '';
	let logText = '';
	stdout.on('data', (c: Buffer) => (out += c.toString()));
	logStream.on('data', (c: Buffer) => (logText += c.toString()));
	const events = new EventEmitter();
	const done = startApp(
		{ CACHE_URL: 'memory', DATA_DIR: dir, LOG_LEVEL: 'info' },
		{ stdin, stdout, stderr: new PassThrough(), logDestination: logStream, events, exit: () => {}, interactive: false },
	);
	const logs = (msg: string): Array<Record<string, unknown>> => logLines(logText).filter((l) => l['msg'] === msg);
	return {
		done,
		events,
		logs,
		/** Resolves once `count` log lines say `msg`. */
		async waitForLog(msg: string, count = 1): Promise<void> {
			await expect.poll(() => logs(msg).length, { timeout: 15_000, interval: 20 }).toBeGreaterThanOrEqual(count);
		},
		/** Types `line` and resolves with the reply once it shows `expected`. */
		async ask(line: string, expected: string): Promise<string> {
			const mark = out.length;
			stdin.write(`${line}\n`);
			await expect.poll(() => out.slice(mark), { timeout: 10_000, interval: 20 }).toContain(expected);
			return out.slice(mark);
		},
		/** The `cache` field of the last interaction logged. */
		lastCache(): unknown {
			return logs('interaction').at(-1)?.['cache'];
		},
	};
}

describe('live reload, in process on the console', () => {
	it('a review added to a page while the bot runs is answered without a restart, and the cached page of the old data is not served', async () => {
		const dir = dataCopy();
		const app = consoleApp(dir);
		const before = await app.ask('/reviews Pusher II', '25 user reviews to page through');
		expect(before).toContain("Most helpful: Nicolas Winding Refn's Pusher 2 is even better than the first one");
		// Asked again, the overview comes from the cache.
		await app.ask('/reviews Pusher II', '25 user reviews to page through');
		await expect.poll(() => app.lastCache()).toBe('hit');
		const [loaded] = app.logs('store loaded');

		addReview(dir);
		await app.waitForLog('store reloaded');
		const [reloaded] = app.logs('store reloaded');
		expect(reloaded).toMatchObject({ trigger: `watch:${PAGE}`, oldVersion: loaded?.['version'], films: 2, errors: 0 });
		expect(reloaded?.['version']).not.toBe(loaded?.['version']);
		expect(reloaded?.['ms']).toEqual(expect.any(Number));
		// The start built the file here; the reload, in a child process, while this one went on answering.
		expect(app.logs('review store built').map((l) => l['in'] ?? 'here')).toEqual(['here', 'child process']);

		const after = await app.ask('/reviews Pusher II', '26 user reviews to page through');
		expect(after).toContain(`Most helpful: ${NEW_TITLE}`);
		expect(app.lastCache()).toBe('miss');
		app.events.emit('SIGTERM', 'SIGTERM');
		expect(await app.done).toBe(0);
		// One reload for the one change (the write is a truncate and a write: two events).
		expect(app.logs('store reloaded')).toHaveLength(1);
	});

	it('films.json broken during a reload keeps the old data serving with a warning; fixing it reloads, and the saves of an edit make one reload', async () => {
		const dir = dataCopy();
		const manifest = join(dir, 'films.json');
		const app = consoleApp(dir);
		await app.ask('/reviews Pusher', 'Pusher (1996)');

		writeFileSync(manifest, '{ "films": [ {"id": ');
		await app.waitForLog('reload failed, the old data keeps serving: the new data has no films (is films.json valid?)');
		const [failed] = app.logs('reload failed, the old data keeps serving: the new data has no films (is films.json valid?)');
		expect(failed).toMatchObject({ level: 40, trigger: 'watch:films.json' });
		// The loader's own line for the problem, as at a start.
		expect(app.logs('data error films.json:1: not valid JSON')).toHaveLength(1);
		await app.ask('/reviews Pusher II', '25 user reviews to page through');

		// An editor's save in three writes, the first two not valid JSON: one reload, of the whole file.
		const fixed = amelieManifest(dir);
		const third = Math.floor(fixed.length / 3);
		writeFileSync(manifest, fixed.slice(0, third));
		await new Promise((resolve) => setTimeout(resolve, 50));
		writeFileSync(manifest, fixed.slice(0, 2 * third));
		await new Promise((resolve) => setTimeout(resolve, 50));
		writeFileSync(manifest, fixed);
		await app.waitForLog('store reloaded');
		expect(app.logs('store reloaded')[0]).toMatchObject({ trigger: 'watch:films.json', films: 3, errors: 0 });
		expect(app.logs('reload failed, the old data keeps serving: the new data has no films (is films.json valid?)')).toHaveLength(1);
		expect(app.logs('data error films.json:1: not valid JSON')).toHaveLength(1);
		await app.ask('/reviews Amélie', 'Amélie (2001)');
		app.events.emit('SIGTERM', 'SIGTERM');
		expect(await app.done).toBe(0);
	});

	it('a page broken during a reload keeps its old reviews serving, with its problems logged; the fixed page then reloads', async () => {
		const dir = dataCopy();
		const app = consoleApp(dir);
		const page = readFileSync(join(dir, PAGE), 'utf8');
		await app.ask('/reviews Pusher II', '25 user reviews to page through');

		writeFileSync(join(dir, PAGE), '\u0000 a page saved half-way');
		await app.waitForLog('store reloaded');
		expect(app.logs('store reloaded')[0]).toMatchObject({ trigger: `watch:${PAGE}`, films: 2, errors: 2 });
		expect(app.logs(`data error ${PAGE}:1: binary data (control characters) in a text page`)).toHaveLength(1);
		expect(
			app.logs(`data error ${PAGE}:0: the last version without problems (25 reviews) is served until this page is fixed`),
		).toHaveLength(1);
		const during = await app.ask('/reviews Pusher II', '25 user reviews to page through');
		expect(during).toContain("Most helpful: Nicolas Winding Refn's Pusher 2 is even better than the first one");

		writeFileSync(join(dir, PAGE), page);
		addReview(dir);
		await app.waitForLog('store reloaded', 2);
		expect(app.logs('store reloaded')[1]).toMatchObject({ films: 2, errors: 0 });
		await app.ask('/reviews Pusher II', '26 user reviews to page through');
		app.events.emit('SIGTERM', 'SIGTERM');
		expect(await app.done).toBe(0);
	});

	it('the data directory gone keeps the old data serving; SIGHUP after it is back reloads and watches it again', async () => {
		const dir = dataCopy();
		const app = consoleApp(dir);
		await app.ask('/reviews Pusher II', '25 user reviews to page through');
		rmSync(dir, { recursive: true });
		await app.waitForLog('reload failed, the old data keeps serving: Cannot read the data directory "' + dir + '" (DATA_DIR): ENOENT.');
		await app.ask('/reviews Pusher II', '25 user reviews to page through');

		mkdirSync(dir);
		cpSync('data/films.json', join(dir, 'films.json'));
		cpSync('data/pusher-1996.critics.metacritic.txt', join(dir, 'pusher-1996.critics.metacritic.txt'));
		cpSync(join('data', PAGE), join(dir, PAGE));
		app.events.emit('SIGHUP', 'SIGHUP');
		await app.waitForLog('reload: data unchanged');
		expect(app.logs('reload: data unchanged')[0]).toMatchObject({ trigger: 'SIGHUP', films: 2 });
		// Watched again: a change is picked up without a signal.
		addReview(dir);
		await app.waitForLog('store reloaded');
		expect(app.logs('store reloaded')[0]).toMatchObject({ trigger: `watch:${PAGE}` });
		await app.ask('/reviews Pusher II', '26 user reviews to page through');
		app.events.emit('SIGTERM', 'SIGTERM');
		expect(await app.done).toBe(0);
	});
});

describe('what the watcher reloads for', () => {
	it("the manifest and pages, not the bot's own cache and database files or editors' temporary files", () => {
		for (const name of ['films.json', PAGE, 'dbase.imdb.txt', 'sqlite-notes.txt']) expect(isDataFileName(name), name).toBe(true);
		for (const name of [
			'cache.sqlite',
			'cache.sqlite-wal',
			'cache.sqlite-shm',
			'reviews.db',
			'reviews.db-journal',
			'reviews.db.tmp-4242',
			'.films.json.swp',
			'.#films.json',
			'films.json~',
			'films.json.tmp',
			'x.swp',
		]) {
			expect(isDataFileName(name), name).toBe(false);
		}
	});
});

describe('LiveStore', () => {
	it('runs one reload at a time: reloads asked for during one make exactly one more, which loads the last change', async () => {
		const { logger, lines } = captureLogger();
		let version = 1;
		const closed: string[] = [];
		const store = (v: string): Versioned => ({ version: v, close: () => closed.push(v) });
		const gates: Array<() => void> = [];
		const load = async (): Promise<Loaded<Versioned>> => {
			const loaded = store(`v${version}`);
			await new Promise<void>((resolve) => gates.push(resolve));
			return { ok: true, store: loaded, films: 1, errors: 0 };
		};
		const live = new LiveStore<Versioned>({ store: store('v1'), films: 1, errors: 0 }, load, logger);
		version = 2;
		const first = live.reload('a');
		version = 3;
		const again = [live.reload('b'), live.reload('c'), live.reload('d')];
		expect(gates).toHaveLength(1);
		// The store is swapped only when a load is done.
		expect(live.current.version).toBe('v1');
		gates.shift()?.();
		await expect.poll(() => gates.length).toBe(1);
		expect(live.current.version).toBe('v2');
		gates.shift()?.();
		await Promise.all([first, ...again]);
		expect(gates).toHaveLength(0);
		expect(live.current.version).toBe('v3');
		const reloads = lines.filter((l) => l['msg'] === 'store reloaded').map((l) => [l['trigger'], l['oldVersion'], l['version']]);
		expect(reloads).toEqual([
			['a', 'v1', 'v2'],
			['d', 'v2', 'v3'],
		]);
		// Replaced stores stay open for the requests that started on them; closing the LiveStore closes every one.
		expect(closed).toEqual([]);
		await live.close();
		expect(closed.sort()).toEqual(['v1', 'v2', 'v3']);
		await live.reload('after close');
		expect(gates).toHaveLength(0);
	});
	it('a store a reload does not swap in (same data version, or no films) is closed at once; the served one stays open', async () => {
		const closed: string[] = [];
		const store = (v: string): Versioned => ({ version: v, close: () => closed.push(v) });
		const results: Array<Loaded<Versioned>> = [
			{ ok: true, store: store('v1'), films: 1, errors: 0 },
			{ ok: true, store: store('v2'), films: 0, errors: 1 },
		];
		const live = new LiveStore<Versioned>(
			{ store: store('v1'), films: 1, errors: 0 },
			() => Promise.resolve(results.shift() ?? { ok: false, message: 'gone' }),
			silent,
		);
		await live.reload('same');
		await live.reload('empty');
		await live.reload('failed');
		expect(live.current.version).toBe('v1');
		expect(closed).toEqual(['v1', 'v2']);
		await live.close();
		expect(closed).toEqual(['v1', 'v2', 'v1']);
	});
});

describe('a swap during a request', () => {
	it('the request under way finishes on the store it started with; the next one gets the new store', async () => {
		const dir = dataCopy();
		const old = ReviewStore.fromData(await loadDataDir(dir));
		addReview(dir);
		const added = ReviewStore.fromData(await loadDataDir(dir));
		const live = new LiveStore(served(old), () => Promise.resolve({ ok: true as const, ...served(added) }), silent);
		// A cache whose page lookups wait for `release`: the handler is then under way, its summary done, its page not yet rendered.
		const cache = await memoryCache();
		let release: () => void = () => {};
		let reached: () => void = () => {};
		/** Resolves when the next page lookup is waiting. */
		const arrival = (): Promise<void> => new Promise<void>((resolve) => (reached = resolve));
		const gated: Cache = {
			get: (key, schema) => cache.get(key, schema),
			set: (key, value, ttlMs) => cache.set(key, value, ttlMs),
			async getOrCompute(key, schema, compute, ttlMs) {
				reached();
				await new Promise<void>((resolve) => (release = resolve));
				return cache.getOrCompute(key, schema, compute, ttlMs);
			},
			stats: cache.stats,
			kind: cache.kind,
			close: () => cache.close(),
		};
		const deps: Deps = {
			get store() {
				return live.current;
			},
			cache: gated,
			logger: silent,
		};
		let waiting = arrival();
		const underWay = dispatch(command('reviews', { film: 'Pusher II' }), deps);
		await waiting;
		await live.reload('test');
		expect(live.current).toBe(added);
		release();
		const before = expectValid(await underWay);
		expect(before?.embeds?.[0]?.footer?.text).toBe('25 user reviews to page through · most helpful first');
		expect(textOf(before)).toContain('from 24 ratings · 25 reviews here');
		expect(textOf(before)).not.toContain(NEW_TITLE);

		waiting = arrival();
		const next = dispatch(command('reviews', { film: 'Pusher II' }), deps);
		await waiting;
		release();
		const after = expectValid(await next);
		expect(after?.embeds?.[0]?.footer?.text).toBe('26 user reviews to page through · most helpful first');
		expect(textOf(after)).toContain(NEW_TITLE);
		await cache.close();
	});
});

let fake: FakeDiscordServer | undefined;
let manager: Manager | undefined;
afterEach(async () => {
	await killChildren();
	await manager?.kill();
	manager = undefined;
	await fake?.close();
	fake = undefined;
});

describe('live reload of the bot as `npm start` runs it', () => {
	it('SIGHUP reloads at once, the process goes on answering, and SIGTERM still stops it with 0', async () => {
		const dir = dataCopy();
		fake = await startFakeDiscord();
		await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.apiBase });
		const child = spawnChild(process.execPath, ['dist/src/main.js'], {
			DISCORD_TOKEN: fake.token,
			DISCORD_APPLICATION_ID: fake.applicationId,
			DISCORD_API_BASE: fake.apiBase,
			CACHE_URL: 'memory',
			DATA_DIR: dir,
		});
		await child.waitFor(/"msg":"clientReady"/);
		const before = await fake.slash('reviews', { film: 'Pusher II' });
		expect(before.message.embeds[0]?.footer?.text).toMatch(/^25 user reviews/);

		// The signal comes before the watcher's debounce is over: the reload it starts loads the change.
		addReview(dir);
		expect(child.proc.kill('SIGHUP')).toBe(true);
		await child.waitFor(/"msg":"store reloaded"/);
		const reloaded = logLines(child.stderr).find((l) => l['msg'] === 'store reloaded');
		expect(reloaded).toMatchObject({ trigger: 'SIGHUP', films: 2, errors: 0 });
		const after = await fake.slash('reviews', { film: 'Pusher II' });
		expect(after.message.embeds[0]?.footer?.text).toMatch(/^26 user reviews/);
		expect(JSON.stringify(after.message.embeds)).toContain(NEW_TITLE);

		// The watcher's reload of the same change follows, and swaps nothing.
		await child.waitFor(/"msg":"reload: data unchanged"/);
		expect(child.proc.kill('SIGTERM')).toBe(true);
		const [code, signal] = await child.exited;
		expect({ code, signal }).toEqual({ code: 0, signal: null });
		expect(logLines(child.stderr).filter((l) => (l['level'] as number) >= 50)).toEqual([]);
		fake.assertNoViolations();
	});
});

describe('live reload under the sharding manager', () => {
	it('each shard process picks a change up itself, and SIGHUP to the manager reaches every shard', { timeout: 45_000 }, async () => {
		const dir = dataCopy();
		fake = await startFakeDiscord({ shards: 2 });
		await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.apiBase });
		const [, guild1] = fake.guilds;
		if (!guild1) throw new Error('the fake has fewer than 2 guilds');
		const running = startManager({
			DISCORD_TOKEN: fake.token,
			DISCORD_APPLICATION_ID: fake.applicationId,
			DISCORD_API_BASE: fake.apiBase,
			CACHE_URL: 'memory',
			DATA_DIR: dir,
			LOG_LEVEL: 'info',
		});
		manager = running;
		await running.waitForLogs((l) => l['msg'] === 'clientReady', 2, 'clientReady from 2 shards', 30_000);

		addReview(dir);
		const reloaded = await running.waitForLogs((l) => l['msg'] === 'store reloaded', 2, 'a reload in each shard');
		expect(reloaded.map((l) => [l['shard'], l['trigger'], l['films']]).sort()).toEqual([
			['0', `watch:${PAGE}`, 2],
			['1', `watch:${PAGE}`, 2],
		]);
		const answer = await fake.slash('reviews', { film: 'Pusher II' }, { guildId: guild1.id });
		expect(answer.message.embeds[0]?.footer?.text).toMatch(/^26 user reviews/);

		expect(running.proc.kill('SIGHUP')).toBe(true);
		const unchanged = await running.waitForLogs((l) => l['msg'] === 'reload: data unchanged', 2, 'a SIGHUP reload in each shard');
		expect(unchanged.map((l) => [l['shard'], l['trigger']]).sort()).toEqual([
			['0', 'SIGHUP'],
			['1', 'SIGHUP'],
		]);
		running.proc.kill('SIGTERM');
		expect(await running.exited).toEqual([0, null]);
		expect(running.logs().filter((l) => typeof l['level'] === 'number' && l['level'] >= 40)).toEqual([]);
	});
});
