import { cp, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type Cache, openCache } from '../src/cache.js';
import { loadDataDir } from '../src/domain/load.js';
import { encodeSnapshot, loadStore, snapshotKey } from '../src/snapshot.js';
import pino from 'pino';
import { silent } from './helpers.js';

/**
 * A snapshot in many pieces on SQLite (issue #9, item 9). A 200 MB library makes ~50 pieces of 4M
 * characters; SQLite answers one query at a time, so pieces asked for all at once wait for each other,
 * and each read's time limit ran out in the queue: every warm start found the cache "failing" and parsed
 * the whole library again. The same queue, small: the seeds' snapshot in ~3,000 pieces on a cache whose
 * per-read limit (200 ms) is well above one read and well below all of them in a row.
 */

/** A debug logger whose lines are kept. */
function captureLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
	const lines: Record<string, unknown>[] = [];
	const logger = pino({ level: 'debug' }, { write: (chunk: string) => void lines.push(JSON.parse(chunk) as Record<string, unknown>) });
	return { logger, lines };
}

let tmp: string;
let dataDir: string;
const opened: Cache[] = [];

beforeEach(async () => {
	tmp = await mkdtemp(join(tmpdir(), 'marquee-snapshot-large-'));
	dataDir = join(tmp, 'data');
	await cp('data', dataDir, { recursive: true });
});

afterEach(async () => {
	await Promise.all(opened.splice(0).map(async (c) => c.close()));
	await rm(tmp, { recursive: true, force: true });
});

async function sqliteCache(logger: pino.Logger = silent, timeoutMs = 200): Promise<Cache> {
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
