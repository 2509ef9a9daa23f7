import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Keyv from 'keyv';
import sqlite3 from 'sqlite3';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCache, wrapKeyv, type Cache, type CacheResult } from '../src/cache.js';
import type { CacheUrl } from '../src/config.js';
import { createLogger } from '../src/log.js';

const LogLine = z.object({ level: z.number(), msg: z.string(), cache: z.string().optional(), reason: z.string().optional() });
type LogLine = z.infer<typeof LogLine>;

/** A pino logger whose JSON lines land in `lines`. */
function captureLogger() {
	const lines: LogLine[] = [];
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			for (const text of chunk.toString('utf8').split('\n')) {
				if (text.trim() !== '') lines.push(LogLine.parse(JSON.parse(text)));
			}
			done();
		},
	});
	const logger = createLogger('debug', stream);
	const warnings = () => lines.filter((line) => line.level === 40);
	return { logger, lines, warnings };
}

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const Film = z.object({ title: z.string(), year: z.number().int() });
const PUSHER = { title: 'Pusher', year: 1996 };

let dir: string;
const opened: Cache[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(() => {
	process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
	process.off('unhandledRejection', onUnhandled);
});
beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'marquee-cache-'));
	unhandled.length = 0;
});
afterEach(async () => {
	// Give a late adapter rejection the chance to surface before checking.
	await sleep(50);
	await Promise.all(opened.splice(0).map(async (cache) => cache.close()));
	await rm(dir, { recursive: true, force: true });
	expect(unhandled).toEqual([]);
});

const sqlite = (file: string): CacheUrl => ({ kind: 'sqlite', file });

async function open(url: CacheUrl, extra: Partial<Parameters<typeof openCache>[1]> = {}) {
	const log = captureLogger();
	const cache = await openCache(url, { ttlMs: 60_000, logger: log.logger, ...extra });
	opened.push(cache);
	return { cache, ...log };
}

/** Reads a PRAGMA straight from the file, outside Keyv. */
async function pragma(file: string, name: string): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const db = new sqlite3.Database(file, (error) => {
			if (error) return reject(error);
			db.get(`PRAGMA ${name}`, (err, row) => {
				db.close();
				if (err) reject(err);
				else resolve(row);
			});
		});
	});
}

describe.each(['memory', 'sqlite'] as const)('%s cache', (kind) => {
	const url = (): CacheUrl => (kind === 'memory' ? { kind } : sqlite(join(dir, 'nested', 'cache.sqlite')));

	it('round-trips values and counts hits and misses', async () => {
		const { cache, warnings } = await open(url());
		expect(cache.kind).toBe(kind);
		expect(await cache.get('film:1', Film)).toBeUndefined();
		await cache.set('film:1', PUSHER);
		expect(await cache.get('film:1', Film)).toEqual(PUSHER);
		await cache.set('nothing', null);
		expect(await cache.get('nothing', z.null())).toBeNull();
		expect(cache.stats).toEqual({ hits: 2, misses: 1, errors: 0, degraded: false });
		expect(warnings()).toEqual([]);
	});

	it('expires entries after their TTL (default and per call)', async () => {
		const { cache } = await open(url(), { ttlMs: 60 });
		await cache.set('short', PUSHER);
		await cache.set('long', PUSHER, 60_000);
		expect(await cache.get('short', Film)).toEqual(PUSHER);
		await sleep(120);
		expect(await cache.get('short', Film)).toBeUndefined();
		expect(await cache.get('long', Film)).toEqual(PUSHER);
	});

	it('getOrCompute computes once, then hits', async () => {
		const { cache } = await open(url());
		let calls = 0;
		const compute = () => {
			calls++;
			return Promise.resolve(PUSHER);
		};
		expect(await cache.getOrCompute('k', Film, compute)).toEqual({ value: PUSHER, hit: false });
		expect(await cache.getOrCompute('k', Film, compute)).toEqual({ value: PUSHER, hit: true });
		expect(calls).toBe(1);
	});

	it('treats a cached value that fails its schema as a miss', async () => {
		// Waiting for every read, so each lookup is counted before it returns.
		const { cache } = await open(url(), { waitMs: 5000 });
		await cache.set('film:2', { title: 'Pusher II', year: 'two thousand four' });
		expect(await cache.get('film:2', Film)).toBeUndefined();
		const fresh = { title: 'Pusher II', year: 2004 };
		expect(await cache.getOrCompute('film:2', Film, () => fresh)).toEqual({ value: fresh, hit: false });
		expect(cache.stats).toEqual({ hits: 0, misses: 2, errors: 0, degraded: false });
	});

	it('onResult hears one result per lookup, in order, and set is no lookup', async () => {
		const results: CacheResult[] = [];
		// Waiting for every read, so each result is reported before its lookup returns.
		const { cache } = await open(url(), { waitMs: 5000, onResult: (result) => results.push(result) });
		await cache.get('k', Film);
		await cache.set('k', PUSHER);
		expect(results).toEqual(['miss']);
		await cache.get('k', Film);
		await cache.get('k', z.string());
		await cache.getOrCompute('k', Film, () => PUSHER);
		await cache.getOrCompute('m', Film, () => PUSHER);
		await cache.getOrCompute('m', Film, () => PUSHER);
		await cache.get('m', Film);
		expect(results).toEqual(['miss', 'hit', 'miss', 'hit', 'miss', 'hit', 'hit']);
		expect(cache.stats).toEqual({ hits: 4, misses: 3, errors: 0, degraded: false });
	});

	it('does not cache a value that would not read back valid (e.g. a Date)', async () => {
		const { cache, warnings } = await open(url());
		const Dated = z.object({ at: z.date() });
		let calls = 0;
		const compute = () => {
			calls++;
			return { at: new Date(0) };
		};
		await cache.getOrCompute('dated', Dated, compute);
		const second = await cache.getOrCompute('dated', Dated, compute);
		expect(second.hit).toBe(false);
		expect(calls).toBe(2);
		expect(warnings()).toHaveLength(1);
		expect(cache.stats.degraded).toBe(false);
	});

	it('lets errors of compute() through (they are not cache failures)', async () => {
		const { cache } = await open(url());
		await expect(
			cache.getOrCompute('boom', Film, () => {
				throw new Error('parser failed');
			}),
		).rejects.toThrow('parser failed');
		expect(cache.stats.errors).toBe(0);
	});

	it('close() is idempotent and later calls are misses / no-ops', async () => {
		const { cache } = await open(url());
		await cache.set('a', PUSHER);
		await cache.close();
		await cache.close();
		await Promise.all([cache.close(), cache.close()]);
		await cache.set('b', PUSHER);
		expect(await cache.get('a', Film)).toBeUndefined();
		expect((await cache.getOrCompute('a', Film, () => PUSHER)).hit).toBe(false);
		expect(cache.stats.errors).toBe(0);
	});
});

describe('sqlite cache file', () => {
	it('creates the parent directory, uses WAL, and reopens cleanly after close', async () => {
		const file = join(dir, 'a', 'b', 'cache.sqlite');
		const first = await open(sqlite(file));
		await first.cache.set('film:1', PUSHER);
		await first.cache.close();
		expect(existsSync(file)).toBe(true);
		expect(await pragma(file, 'journal_mode')).toEqual({ journal_mode: 'wal' });

		const second = await open(sqlite(file));
		expect(second.cache.kind).toBe('sqlite');
		expect(await second.cache.get('film:1', Film)).toEqual(PUSHER);
		expect(second.warnings()).toEqual([]);
	});

	it('two caches on one file (two bot processes) share values', async () => {
		const file = join(dir, 'shared.sqlite');
		const a = await open(sqlite(file));
		const b = await open(sqlite(file));
		await a.cache.set('film:1', PUSHER);
		expect(await b.cache.get('film:1', Film)).toEqual(PUSHER);
	});

	it('a value that fails its schema is replaced in the file by the computed one', async () => {
		const file = join(dir, 'replaced.sqlite');
		const first = await open(sqlite(file));
		await first.cache.set('film:2', { title: 'Pusher II', year: 'two thousand four' });
		const fresh = { title: 'Pusher II', year: 2004 };
		expect(await first.cache.getOrCompute('film:2', Film, () => fresh)).toEqual({ value: fresh, hit: false });
		await first.cache.close(); // waits for the background write
		const second = await open(sqlite(file));
		expect(await second.cache.get('film:2', Film)).toEqual(fresh);
	});

	it('keeps namespaces apart', async () => {
		const file = join(dir, 'ns.sqlite');
		const a = await open(sqlite(file), { namespace: 'one' });
		const b = await open(sqlite(file), { namespace: 'two' });
		await a.cache.set('k', PUSHER);
		expect(await b.cache.get('k', Film)).toBeUndefined();
		expect(await a.cache.get('k', Film)).toEqual(PUSHER);
	});
});

describe('fallback to memory when the store cannot be opened', () => {
	async function expectMemoryFallback(file: string, reason: RegExp) {
		const { cache, warnings } = await open(sqlite(file));
		expect(cache.kind).toBe('memory');
		expect(cache.stats).toMatchObject({ degraded: true, errors: 1 });
		// Works as a cache all the same.
		expect(await cache.getOrCompute('k', Film, () => PUSHER)).toEqual({ value: PUSHER, hit: false });
		expect(await cache.getOrCompute('k', Film, () => PUSHER)).toEqual({ value: PUSHER, hit: true });
		await sleep(100);
		expect(warnings()).toHaveLength(1);
		expect(warnings()[0]).toMatchObject({ cache: 'sqlite' });
		expect(warnings()[0]?.msg).toContain('using an in-memory cache instead');
		expect(warnings()[0]?.reason).toMatch(reason);
	}

	it('a path whose parent is a regular file', async () => {
		const blocker = join(dir, 'not-a-dir');
		await writeFile(blocker, 'just a file');
		await expectMemoryFallback(join(blocker, 'cache.sqlite'), /ENOTDIR|EEXIST/);
	});

	it('a path that is a directory (the adapter itself fails to open it)', async () => {
		const target = join(dir, 'is-a-dir');
		await mkdir(target);
		await expectMemoryFallback(target, /SQLITE_CANTOPEN/);
	});

	it('a corrupt SQLite file', async () => {
		const file = join(dir, 'cache.sqlite');
		await writeFile(file, Buffer.from('this is not a database, just garbage bytes '.repeat(200)));
		await expectMemoryFallback(file, /SQLITE_NOTADB|not a database/);
	});
});

/** A Keyv store whose behaviour the test switches: working (Map-backed), throwing, rejecting or hanging. */
class FlakyStore {
	mode: 'ok' | 'throw' | 'reject' | 'hang' | 'slow' = 'ok';
	/** How long a 'slow' operation takes. */
	slowMs = 60;
	/** The store operations asked for, in order. */
	readonly ops: string[] = [];
	get calls(): number {
		return this.ops.length;
	}
	readonly opts = {};
	namespace?: string | undefined;
	readonly #data = new Map<string, unknown>();
	on() {
		return this;
	}
	#act<T>(op: string, ok: () => T): Promise<T> {
		this.ops.push(op);
		switch (this.mode) {
			case 'ok':
				return Promise.resolve(ok());
			case 'throw':
				throw new Error('disk on fire');
			case 'reject':
				return Promise.reject(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }));
			case 'hang':
				return new Promise<T>(() => {});
			case 'slow':
				return new Promise<T>((resolve) => setTimeout(() => resolve(ok()), this.slowMs));
		}
	}
	async get(key: string) {
		return this.#act('get', () => this.#data.get(key));
	}
	async set(key: string, value: unknown) {
		return this.#act('set', () => {
			this.#data.set(key, value);
			return true;
		});
	}
	async delete(key: string) {
		return this.#act('delete', () => this.#data.delete(key));
	}
	async clear() {
		return this.#act('clear', () => this.#data.clear());
	}
	async disconnect() {
		return this.#act('disconnect', () => undefined);
	}
}

function flaky(extra: { timeoutMs?: number; retryAfterMs?: number; waitMs?: number; onResult?: (result: CacheResult) => void } = {}) {
	const store = new FlakyStore();
	const log = captureLogger();
	const cache = wrapKeyv(new Keyv({ store }), { kind: 'redis', ttlMs: 60_000, logger: log.logger, ...extra });
	opened.push(cache);
	return { store, cache, ...log };
}

describe('a failing store never fails a reply', () => {
	it.each(['throw', 'reject'] as const)('store methods that %s: values are computed, errors counted, one warning', async (mode) => {
		const { store, cache, warnings } = flaky({ retryAfterMs: 0 });
		store.mode = mode;
		for (let i = 0; i < 5; i++) {
			expect(await cache.getOrCompute(`k${i}`, Film, () => PUSHER)).toEqual({ value: PUSHER, hit: false });
		}
		await cache.set('x', PUSHER);
		expect(await cache.get('x', Film)).toBeUndefined();
		// 5 x (get + set) + set + get
		expect(cache.stats).toEqual({ hits: 0, misses: 6, errors: 12, degraded: true });
		expect(warnings()).toHaveLength(1);
		expect(warnings()[0]).toMatchObject({ cache: 'redis' });
		expect(warnings()[0]?.reason).toMatch(mode === 'throw' ? /disk on fire/ : /ECONNRESET/);
	});

	it('recovers, logs it, and warns again on a new failure streak', async () => {
		const { store, cache, warnings, lines } = flaky({ retryAfterMs: 0 });
		store.mode = 'reject';
		await cache.set('a', PUSHER);
		await cache.set('a', PUSHER);
		expect(cache.stats.degraded).toBe(true);
		store.mode = 'ok';
		await cache.set('a', PUSHER);
		expect(cache.stats.degraded).toBe(false);
		expect(await cache.get('a', Film)).toEqual(PUSHER);
		expect(lines.some((line) => line.msg === 'cache recovered')).toBe(true);
		store.mode = 'throw';
		expect(await cache.get('a', Film)).toBeUndefined();
		expect(warnings()).toHaveLength(2);
	});

	it('skips a failing store for retryAfterMs instead of paying for it on every call', async () => {
		const { store, cache } = flaky({ retryAfterMs: 80 });
		store.mode = 'reject';
		await cache.get('k', Film);
		const callsAfterFailure = store.calls;
		// Distinct keys: getOrCompute's in-process memo would answer a repeated one without the store.
		for (let i = 0; i < 5; i++) await cache.getOrCompute(`k${i}`, Film, () => PUSHER);
		expect(store.calls).toBe(callsAfterFailure);
		expect(cache.stats.errors).toBe(1);
		store.mode = 'ok';
		await sleep(100);
		expect(await cache.getOrCompute('fresh', Film, () => PUSHER)).toEqual({ value: PUSHER, hit: false });
		await sleep(20);
		expect(await cache.get('fresh', Film)).toEqual(PUSHER);
		expect(cache.stats.degraded).toBe(false);
	});

	it('getOrCompute remembers values in process: a repeat does not touch the store; close() waits for the write', async () => {
		const { store, cache } = flaky({});
		expect(await cache.getOrCompute('m', Film, () => PUSHER)).toEqual({ value: PUSHER, hit: false });
		expect(await cache.getOrCompute('m', Film, () => PUSHER)).toEqual({ value: PUSHER, hit: true });
		await cache.close();
		// One read (the repeat read nothing), the background write, and only then the disconnect.
		expect(store.ops).toEqual(['get', 'set', 'disconnect']);
		expect(await new Keyv({ store }).get('m')).toEqual(PUSHER);
	});

	it('a slow read is not waited for past waitMs: the value is computed, and stored once the read turns out a miss', async () => {
		const { store, cache } = flaky({ waitMs: 5, timeoutMs: 1000 });
		store.mode = 'slow';
		let computed = 0;
		const compute = () => {
			computed++;
			return PUSHER;
		};
		const started = performance.now();
		expect(await cache.getOrCompute('k', Film, compute)).toEqual({ value: PUSHER, hit: false });
		expect(performance.now() - started).toBeLessThan(store.slowMs);
		expect(computed).toBe(1);
		await cache.close(); // waits for the late read (a miss), then the write
		expect(store.ops).toEqual(['get', 'set', 'disconnect']);
		store.mode = 'ok';
		expect(await new Keyv({ store }).get('k')).toEqual(PUSHER);
	});

	it('a slow read that finds a value keeps it: nothing is written over it', async () => {
		const { store, cache } = flaky({ waitMs: 5, timeoutMs: 1000 });
		await cache.set('k', PUSHER);
		store.mode = 'slow';
		expect(await cache.getOrCompute('k', Film, () => ({ ...PUSHER, year: 1999 }))).toEqual({
			value: { ...PUSHER, year: 1999 },
			hit: false,
		});
		await cache.close(); // waits for the late read
		expect(store.ops).toEqual(['set', 'get', 'disconnect']); // no write after the read
		store.mode = 'ok';
		expect(await new Keyv({ store }).get('k')).toEqual(PUSHER);
	});

	it('waits for a read within waitMs: a store hit is a hit', async () => {
		const { store, cache } = flaky({ waitMs: 500, timeoutMs: 1000 });
		await cache.set('k', PUSHER);
		store.mode = 'slow';
		store.slowMs = 20;
		expect(await cache.getOrCompute('k', Film, () => ({ ...PUSHER, year: 1999 }))).toEqual({ value: PUSHER, hit: true });
	});

	it('a hung store times out and the value is computed', async () => {
		const { store, cache, warnings } = flaky({ timeoutMs: 50, retryAfterMs: 0 });
		store.mode = 'hang';
		const started = Date.now();
		expect(await cache.getOrCompute('k', Film, () => PUSHER)).toEqual({ value: PUSHER, hit: false });
		expect(Date.now() - started).toBeLessThan(500);
		// The store write runs in the background and times out too.
		await expect.poll(() => cache.stats.errors).toBe(2);
		expect(cache.stats.degraded).toBe(true);
		expect(warnings()).toHaveLength(1);
		expect(warnings()[0]?.reason).toMatch(/timed out after 50 ms/);
	});

	it('onResult: a failing or skipped store is a failure, a closed one a miss', async () => {
		const results: CacheResult[] = [];
		const { store, cache } = flaky({ retryAfterMs: 60_000, waitMs: 5000, onResult: (result) => results.push(result) });
		store.mode = 'reject';
		expect(await cache.get('a', Film)).toBeUndefined();
		store.mode = 'ok';
		// Skipped while failing (retryAfterMs), though the store works again.
		expect(await cache.getOrCompute('b', Film, () => PUSHER)).toEqual({ value: PUSHER, hit: false });
		expect(await cache.get('c', Film)).toBeUndefined();
		expect(await cache.getOrCompute('b', Film, () => PUSHER)).toEqual({ value: PUSHER, hit: true });
		await cache.close();
		expect(await cache.get('c', Film)).toBeUndefined();
		expect(results).toEqual(['failure', 'failure', 'failure', 'hit', 'miss']);
		expect(store.ops).toEqual(['get', 'disconnect']);
		expect(cache.stats).toEqual({ hits: 1, misses: 4, errors: 1, degraded: true });
	});

	it('onResult: a hedged read not waited for is reported when it settles, a miss (computed) or a failure', async () => {
		const results: CacheResult[] = [];
		const { store, cache } = flaky({ waitMs: 5, timeoutMs: 150, retryAfterMs: 0, onResult: (result) => results.push(result) });
		await cache.set('k', PUSHER);
		store.mode = 'slow';
		expect(await cache.getOrCompute('k', Film, () => PUSHER)).toEqual({ value: PUSHER, hit: false });
		expect(results).toEqual([]);
		// The late read finds the value, but this lookup's value was computed.
		await expect.poll(() => results).toEqual(['miss']);
		store.mode = 'hang';
		expect(await cache.getOrCompute('h', Film, () => PUSHER)).toEqual({ value: PUSHER, hit: false });
		expect(results).toEqual(['miss']);
		await expect.poll(() => results).toEqual(['miss', 'failure']);
		expect(cache.stats).toMatchObject({ hits: 0, misses: 2 });
	});

	it('an onResult that throws fails no lookup: one warning each time, nothing unhandled', async () => {
		const { store, cache, warnings } = flaky({
			waitMs: 5,
			onResult: () => {
				throw new Error('metrics down');
			},
		});
		expect(await cache.get('a', Film)).toBeUndefined();
		store.mode = 'slow';
		expect(await cache.getOrCompute('b', Film, () => PUSHER)).toEqual({ value: PUSHER, hit: false });
		await cache.close(); // the late read is reported (and its hook throws) before close returns
		expect(warnings().map((line) => [line.msg, line.reason])).toEqual([
			['the cache onResult hook threw', 'metrics down'],
			['the cache onResult hook threw', 'metrics down'],
		]);
	});

	it.each(['hang', 'reject'] as const)('close() returns even when the store disconnect %ss', async (mode) => {
		const { store, cache } = flaky({ timeoutMs: 50 });
		store.mode = mode;
		const started = Date.now();
		await cache.close();
		await cache.close();
		expect(Date.now() - started).toBeLessThan(1500);
		expect(store.calls).toBe(1);
	});
});
