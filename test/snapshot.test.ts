import { appendFile, cp, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Cache, openCache, wrapKeyv } from '../src/cache.js';
import { loadDataDir, readDataFiles } from '../src/domain/load.js';
import { StoreData } from '../src/domain/schema.js';
import { decodeSnapshot, encodeSnapshot, loadStore, type Snapshot, SNAPSHOT_FORMAT, snapshotKey } from '../src/snapshot.js';
import type { Logger } from 'pino';
import { captureLogger, silent } from './helpers.js';

let tmp: string;
let dataDir: string;
const opened: Cache[] = [];

beforeEach(async () => {
	tmp = await mkdtemp(join(tmpdir(), 'marquee-snapshot-'));
	dataDir = join(tmp, 'data');
	await cp('data', dataDir, { recursive: true });
});

afterEach(async () => {
	await Promise.all(opened.splice(0).map(async (c) => c.close()));
	await rm(tmp, { recursive: true, force: true });
});

async function sqliteCache(name = 'cache.sqlite'): Promise<Cache> {
	const cache = await openCache(`sqlite://${join(tmp, name)}`, { ttlMs: 60_000, logger: silent, timeoutMs: 5000 });
	opened.push(cache);
	return cache;
}

async function versionOf(dir: string): Promise<string> {
	return (await readDataFiles(dir)).version;
}

async function until(check: () => Promise<boolean>): Promise<void> {
	for (let i = 0; i < 100; i++) {
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	throw new Error('condition not met within 2 s');
}

/** Stores `snapshot` as loadStore would find it: each string in one piece, then the head. */
async function put(cache: Cache, version: string, snapshot: Snapshot): Promise<void> {
	const { meta, narrow, wide, ...head } = snapshot;
	await cache.set(`${snapshotKey(version)}:meta:0`, meta);
	await cache.set(`${snapshotKey(version)}:narrow:0`, narrow);
	await cache.set(`${snapshotKey(version)}:wide:0`, wide);
	await cache.set(snapshotKey(version), { ...head, chunks: { meta: 1, narrow: 1, wide: 1 } });
}

describe('loadStore', () => {
	it('parses on a miss, writes the snapshot, and a second start (a new cache on the same file) reads it back equal', async () => {
		const expected = await loadDataDir(dataDir);
		const first = await sqliteCache();
		const miss = await loadStore(dataDir, first, silent);
		expect(miss.source).toBe('parsed');
		expect(miss.store.data).toEqual(expected);
		expect(miss.ms).toBeGreaterThan(0);
		await miss.written;
		await first.close();

		const second = await sqliteCache();
		const hit = await loadStore(dataDir, second, silent);
		expect(hit.source).toBe('snapshot');
		expect(hit.written).toBeUndefined();
		expect(hit.store.data).toEqual(expected);
		expect(StoreData.parse(hit.store.data)).toEqual(expected);
		expect(hit.store.version).toBe(expected.version);
		// The indexes work on the snapshot's data as on parsed data.
		expect(hit.store.findFilm('Pusher II').found).toBe(true);
		// Found by the files' fingerprint: the version recorded for it, the head and its three strings (one piece
		// each); no page read.
		expect(hit.filesRead).toBe(false);
		expect(second.stats.hits).toBe(5);
	});

	it('finds the snapshot without reading a page only while every page is as the file system last saw it', async () => {
		const cache = await sqliteCache();
		const page = join(dataDir, 'pusher-ii-2004.users.imdb.txt');
		const first = await loadStore(dataDir, cache, silent);
		await first.written;
		expect(await loadStore(dataDir, cache, silent)).toMatchObject({ source: 'snapshot', filesRead: false });

		// Touched, same bytes: the fingerprint changes, the pages are read and hashed, the snapshot still fits
		// (and the new fingerprint is recorded for the next start).
		const { atime, mtime } = await stat(page);
		await utimes(page, atime, new Date(mtime.getTime() + 5000));
		expect(await loadStore(dataDir, cache, silent)).toMatchObject({ source: 'snapshot', filesRead: true });
		await until(async () => (await loadStore(dataDir, cache, silent)).filesRead === false);

		// One byte changed in place, size and mtime put back as they were: the ctime still moves, so the data
		// is read, hashed as a new version and parsed.
		const before = await stat(page);
		const bytes = await readFile(page);
		const at = bytes.indexOf('Permalink');
		bytes[at] = 'p'.charCodeAt(0);
		await writeFile(page, bytes);
		await utimes(page, before.atime, before.mtime);
		expect((await stat(page)).size).toBe(before.size);
		const changed = await loadStore(dataDir, cache, silent);
		expect(changed).toMatchObject({ source: 'parsed', filesRead: true });
		expect(changed.store.version).not.toBe(first.store.version);
		expect(changed.store.data).toEqual(await loadDataDir(dataDir));
	});

	it('reparses when a data file changes: a new version, a new snapshot', async () => {
		const cache = await sqliteCache();
		const before = await loadStore(dataDir, cache, silent);
		await before.written;
		expect((await loadStore(dataDir, cache, silent)).source).toBe('snapshot');

		await appendFile(join(dataDir, 'pusher-ii-2004.users.imdb.txt'), '\nSite footer text\n');
		const after = await loadStore(dataDir, cache, silent);
		expect(after.source).toBe('parsed');
		expect(after.store.version).not.toBe(before.store.version);
		expect(after.store.data).toEqual(await loadDataDir(dataDir));
		await after.written;
		expect((await loadStore(dataDir, cache, silent)).source).toBe('snapshot');
	});

	it('treats a corrupt or foreign snapshot value as a miss: parses, never throws, and writes a good one', async () => {
		const cache = await sqliteCache();
		const version = await versionOf(dataDir);
		const key = snapshotKey(version);
		const good = encodeSnapshot(await loadDataDir(dataDir));
		const flipped = `${good.meta.slice(0, 10)}${good.meta[10] === '1' ? '2' : '1'}${good.meta.slice(11)}`;
		const corrupt: (() => Promise<void>)[] = [
			async () => cache.set(key, 'not a snapshot'),
			async () => cache.set(key, { films: [] }),
			async () => put(cache, version, { ...good, format: 'something-else/9' } as unknown as Snapshot),
			async () => put(cache, version, { ...good, meta: flipped }),
			async () => put(cache, version, { ...good, meta: good.meta.slice(0, good.meta.length / 2) }),
			async () => put(cache, version, { ...good, narrow: good.narrow.slice(1) }),
			async () => put(cache, version, { ...good, narrow: `${good.narrow}x` }),
			async () => put(cache, version, { ...good, sha1: '0'.repeat(40) }),
			async () => cache.set(`${key}:narrow:0`, 42),
			// A head whose second narrow piece is missing.
			async () => cache.set(key, { format: good.format, version, sha1: good.sha1, chunks: { meta: 1, narrow: 2, wide: 1 } }),
		];
		for (const corrupt_ of corrupt) {
			await corrupt_();
			const loaded = await loadStore(dataDir, cache, silent);
			expect(loaded.source).toBe('parsed');
			expect(loaded.store.films.length).toBeGreaterThan(0);
			await loaded.written;
			expect((await loadStore(dataDir, cache, silent)).source).toBe('snapshot');
		}
	});

	it('checks what the checksum cannot: lengths that do not use the texts exactly, or another version', async () => {
		const data = await loadDataDir(dataDir);
		const good = encodeSnapshot(data);
		expect(good.format).toBe(SNAPSHOT_FORMAT);
		expect(decodeSnapshot(good, data.version)).toEqual(data);
		expect(decodeSnapshot(good, 'another-version')).toBeUndefined();
		// Read back in pieces, as from the cache.
		const pieces = (text: string): string[] => [text.slice(0, 400), text.slice(400, 1000), text.slice(1000)];
		expect(decodeSnapshot({ ...good, meta: pieces(good.meta), narrow: pieces(good.narrow), wide: pieces(good.wide) }, data.version)).toEqual(data);
		// Texts with a character beyond U+00FF (the seeds have some) are in the wide string, the others in the narrow one.
		expect(good.wide.length).toBeGreaterThan(0);
		expect(good.narrow).toMatch(/^[\u0000-\u00ff]+$/);
		// A snapshot written by this code, but of data whose texts were tampered with before encoding: a length
		// that does not use the texts up exactly.
		const meta = JSON.parse(good.meta) as { films: { userReviews: { keys: string[]; rows: unknown[][] } }[] };
		const table = meta.films.find((f) => f.userReviews.rows.length > 0)?.userReviews;
		const row = table?.rows[0];
		expect(row).toBeDefined();
		if (table && row) row[table.keys.indexOf('body')] = 4;
		const forgedMeta = JSON.stringify(meta);
		const { createHash } = await import('node:crypto');
		const forged = { ...good, meta: forgedMeta, sha1: createHash('sha1').update(forgedMeta).digest('hex') };
		expect(decodeSnapshot(forged, data.version)).toBeUndefined();
	});

	it('round-trips exactly, key order included, reviews whose ids, film ids, files or keys are not the usual ones', async () => {
		const data = await loadDataDir(dataDir);
		expect(JSON.stringify(decodeSnapshot(encodeSnapshot(data), data.version))).toBe(JSON.stringify(data));
		const odd: StoreData = {
			...data,
			films: data.films.map((record) => ({
				...record,
				criticReviews: record.criticReviews.map((r, i) => (i === 1 ? { ...r, id: 'other#c9', filmId: 'other', source: { file: 'elsewhere.txt', line: 3 } } : r)),
				userReviews: record.userReviews.map((r, i) => (i === 0 ? (Object.fromEntries(Object.entries(r).reverse()) as typeof r) : r)),
			})),
		};
		expect(odd.films.some((f) => f.criticReviews.length > 1) && odd.films.some((f) => f.userReviews.length > 0)).toBe(true);
		expect(JSON.stringify(decodeSnapshot(encodeSnapshot(odd), odd.version))).toBe(JSON.stringify(odd));
	});

	it('parses when the cache is broken: every operation fails, and loading still succeeds', async () => {
		const failing = new Map<string, unknown>();
		failing.get = () => {
			throw new Error('disk on fire');
		};
		failing.set = () => {
			throw new Error('disk on fire');
		};
		const cache = wrapKeyv(new Keyv({ store: failing }), { ttlMs: 60_000, logger: silent, kind: 'sqlite' });
		opened.push(cache);
		const loaded = await loadStore(dataDir, cache, silent);
		expect(loaded.source).toBe('parsed');
		expect(loaded.store.data).toEqual(await loadDataDir(dataDir));
		await loaded.written;
		expect(cache.stats.errors).toBeGreaterThan(0);

		const closed = await sqliteCache('closed.sqlite');
		await closed.close();
		const again = await loadStore(dataDir, closed, silent);
		expect(again.source).toBe('parsed');
		await again.written;
	});

	it('parses when the configured sqlite cache cannot be opened, and writes no snapshot into the in-memory stand-in', async () => {
		const cache = await openCache(`sqlite://${join(tmp, 'data', 'films.json', 'x.sqlite')}`, { ttlMs: 60_000, logger: silent, openTimeoutMs: 2000 });
		opened.push(cache);
		expect(cache.stats.degraded).toBe(true);
		const loaded = await loadStore(dataDir, cache, silent);
		expect(loaded.source).toBe('parsed');
		expect(loaded.store.data).toEqual(await loadDataDir(dataDir));
		// No snapshot in a cache that dies with the process.
		expect(loaded.written).toBeUndefined();
		expect((await loadStore(dataDir, cache, silent)).source).toBe('parsed');
	});
});

/**
 * A snapshot in many pieces on SQLite (issue #9, item 9). A 200 MB library makes ~50 pieces of 4M
 * characters; SQLite answers one query at a time, so pieces asked for all at once wait for each other,
 * and each read's time limit ran out in the queue: every warm start found the cache "failing" and parsed
 * the whole library again. The same queue, small: the seeds' snapshot in ~3,000 pieces on a cache whose
 * per-read limit (200 ms) is well above one read and well below all of them in a row.
 */

describe('a snapshot in many pieces on SQLite', () => {
	async function sqliteCache(logger: Logger = silent, timeoutMs = 200): Promise<Cache> {
		const cache = await openCache(`sqlite://${join(tmp, 'cache.sqlite')}`, { ttlMs: 60_000, logger, timeoutMs });
		opened.push(cache);
		return cache;
	}

	/** Rewrites the snapshot of `version` as `loadStore` would store it with pieces of `size` characters. */
	async function rewriteInPieces(cache: Cache, size: number): Promise<number> {
		const data = await loadDataDir(dataDir);
		const snapshot = encodeSnapshot(data);
		const chunks = { meta: 0, narrow: 0, wide: 0 };
		for (const part of ['meta', 'narrow', 'wide'] as const) {
			const text = snapshot[part];
			chunks[part] = Math.ceil(text.length / size);
			for (let n = 0; n < chunks[part]; n++) await cache.set(`${snapshotKey(data.version)}:${part}:${n}`, text.slice(n * size, (n + 1) * size));
		}
		await cache.set(snapshotKey(data.version), { format: snapshot.format, version: snapshot.version, sha1: snapshot.sha1, chunks });
		return chunks.meta + chunks.narrow + chunks.wide;
	}

	it('a restart reads a snapshot of thousands of pieces from SQLite: no read times out, nothing is parsed again', async () => {
		// A first start parses and writes the snapshot (and records the files' fingerprint for it).
		const first = await sqliteCache();
		const parsed = await loadStore(dataDir, first, silent);
		expect(parsed.source).toBe('parsed');
		await parsed.written;
		// The same snapshot in small pieces: what a library a hundred times larger stores in 4M-character ones.
		expect(await rewriteInPieces(first, 12)).toBeGreaterThan(3000);
		await first.close();

		const { logger, lines } = captureLogger();
		const cache = await sqliteCache(logger);
		const warm = await loadStore(dataDir, cache, logger);
		expect(lines.filter((l) => Number(l['level']) >= 40).map((l) => l['msg'])).toEqual([]);
		expect(warm).toMatchObject({ source: 'snapshot', filesRead: false });
		expect(warm.written).toBeUndefined();
		expect(warm.store.data).toEqual(parsed.store.data);
		expect(cache.stats).toMatchObject({ errors: 0, degraded: false });
	}, 20_000);

	it('a start that must read a large page first reads the snapshot after the files, not while (no read times out behind them)', async () => {
		// One 64 MB page (a single line the IMDb parser refuses at once): reading and hashing it keeps the
		// event loop busy far longer than the cache's 50 ms limit, so a cache read started before it finds its
		// time up before its answer is taken.
		await writeFile(join(dataDir, 'films.json'), JSON.stringify({ films: [{ id: 'big', title: 'Big', year: 2001, sources: [{ file: 'big.txt', layout: 'imdb' }] }] }));
		const page = join(dataDir, 'big.txt');
		await writeFile(page, 'x'.repeat(64 * 1024 * 1024));
		const starts: { source: string; filesRead: boolean; warnings: unknown[] }[] = [];
		for (let i = 0; i < 2; i++) {
			const { logger, lines } = captureLogger();
			const cache = await sqliteCache(logger, 50);
			const loaded = await loadStore(dataDir, cache, logger);
			await loaded.written;
			await cache.close();
			starts.push({ source: loaded.source, filesRead: loaded.filesRead, warnings: lines.filter((l) => Number(l['level']) >= 40).map((l) => l['msg']) });
			expect(loaded.store.data.errors.map((e) => e.file)).toEqual(['big.txt']);
			// Touched: the files' fingerprint no longer matches, so the next start reads (and hashes) every page.
			const now = new Date();
			await utimes(page, now, new Date(now.getTime() + 5000));
		}
		expect(starts).toEqual([
			{ source: 'parsed', filesRead: true, warnings: [] },
			{ source: 'snapshot', filesRead: true, warnings: [] },
		]);
	}, 20_000);
});
