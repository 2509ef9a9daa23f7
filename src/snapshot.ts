import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Cache } from './cache.js';
import { dataVersion, parseDataFiles, readDataFiles } from './domain/load.js';
import { StoreData } from './domain/schema.js';
import { ReviewStore } from './domain/store.js';
import type { Logger } from './log.js';

/**
 * Warm start: the parsed store kept in the cache under `snapshot:<data version>`, so a restart with
 * unchanged data skips parsing. The version hashes the parser version, the manifest and every page
 * (`dataVersion`), so any changed, added or removed file, or a parser change, reads as a miss.
 *
 * The snapshot is not the `StoreData` JSON itself, for speed:
 *  - Keyv's deserialiser runs `JSON.parse` with a reviver over whatever is stored, and its serialiser
 *    walks objects in JavaScript; a 48 MB object tree costs seconds both ways. One base64 string costs
 *    one native scan each way (no escapes), so the data travels as base64 strings.
 *  - In pieces of CHUNK_CHARS under `snapshot:<version>:<n>`, so no single cache operation moves tens
 *    of megabytes (each has a time limit, 500 ms by default, and a timed-out write would mark the
 *    cache as failing). `snapshot:<version>` holds `{ format, version, metaBytes, sha1, chunks }` and is
 *    written last, so a head whose pieces are missing is a miss.
 *  - `data` is UTF-8 bytes: the `StoreData` JSON with every review body and critic excerpt replaced by
 *    its length ("meta"), then all those texts run together. Reading parses only the small meta JSON;
 *    the texts become slices of one string (no copy), in the order they were written.
 *
 * Validity without running zod over 50,000 records at every start (~0.5 s): the data is validated
 * with the `StoreData` schema once, before it is written, and the sha1 of the exact bytes is stored
 * with them. On read the sha1 must match, so the bytes are the ones that passed the schema; the meta
 * must then put back exactly the texts' length in non-negative integer pieces, or it is a miss. Any
 * mismatch, a value of another shape, or a throw while decoding is a miss: the data is parsed again
 * (and a fresh snapshot written). A broken cache is a miss too (the cache itself never throws).
 */

export const SNAPSHOT_FORMAT = 'marquee-snapshot/1';
/** Snapshots are keyed by content, so a long life is safe; stale ones simply age out. */
export const SNAPSHOT_TTL_MS = 30 * 24 * 3600 * 1000;

/** Base64 characters per cache entry (3 MB of data). */
export const CHUNK_CHARS = 4 * 1024 * 1024;

const SnapshotHead = z.object({
	format: z.literal(SNAPSHOT_FORMAT),
	version: z.string(),
	metaBytes: z.number().int().nonnegative(),
	sha1: z.string(),
	chunks: z.number().int().nonnegative(),
});
type SnapshotHead = z.infer<typeof SnapshotHead>;

/** A whole snapshot: the head and its base64 data (in one piece). */
export interface Snapshot extends Omit<SnapshotHead, 'chunks'> {
	readonly data: string;
}

export function snapshotKey(version: string): string {
	return `snapshot:${version}`;
}

function chunkKey(version: string, n: number): string {
	return `snapshot:${version}:${n}`;
}

export interface LoadedStore {
	readonly store: ReviewStore;
	readonly source: 'snapshot' | 'parsed';
	/** From the start of the call until the store was built (not including the snapshot write). */
	readonly ms: number;
	/** The snapshot write under way after a parse, if any (it never rejects); for tests and clean shutdowns. */
	readonly written?: Promise<void>;
}

/**
 * Reads `dir`, then takes the store from the snapshot when one matches the data, or parses and builds
 * it and writes a snapshot in the background (failures are logged, never thrown). Bad data is in
 * `store.data.errors` either way; this only throws where `readDataFiles`/`parseDataFiles` would.
 */
export async function loadStore(dir: string, cache: Cache, logger: Logger): Promise<LoadedStore> {
	const started = performance.now();
	const files = await readDataFiles(dir);
	const version = dataVersion(files);
	const key = snapshotKey(version);

	const cached = await readSnapshot(cache, version);
	if (cached !== undefined) {
		let data: StoreData | undefined;
		try {
			data = decodeSnapshot(cached, version);
		} catch (error) {
			logger.debug({ key, err: error }, 'snapshot could not be decoded');
		}
		if (data !== undefined) {
			const store = new ReviewStore(data);
			const ms = performance.now() - started;
			logger.debug({ key, ms: Math.round(ms) }, 'store loaded from the snapshot');
			return { store, source: 'snapshot', ms };
		}
		logger.warn({ key }, 'cached snapshot is invalid; parsing the data again');
	}

	const data = parseDataFiles(files);
	const store = new ReviewStore(data);
	const ms = performance.now() - started;
	// Readiness does not wait for the write: encode and store it on a later turn of the event loop.
	const written = new Promise<void>((resolve) => setImmediate(resolve))
		.then(() => writeSnapshot(cache, version, data))
		.catch((error: unknown) => logger.warn({ key, err: error }, 'could not write the store snapshot'));
	return { store, source: 'parsed', ms, written };
}

/** The head and every piece, or undefined when the head or any piece is missing (or the cache fails). */
async function readSnapshot(cache: Cache, version: string): Promise<Snapshot | undefined> {
	const head = await cache.get(snapshotKey(version), SnapshotHead);
	if (head === undefined) return undefined;
	const pieces = await Promise.all(Array.from({ length: head.chunks }, async (_, n) => cache.get(chunkKey(version, n), z.string())));
	if (pieces.some((p) => p === undefined)) return undefined;
	const { chunks: _, ...rest } = head;
	return { ...rest, data: pieces.join('') };
}

async function writeSnapshot(cache: Cache, version: string, data: StoreData): Promise<void> {
	// Validated once here, so reading can trust bytes whose checksum matches.
	const valid = StoreData.safeParse(data);
	if (!valid.success) throw new Error(`parsed data does not match the StoreData schema: ${valid.error.issues[0]?.message ?? ''}`);
	const { data: base64, ...head } = encodeSnapshot(data);
	const chunks = Math.ceil(base64.length / CHUNK_CHARS);
	for (let n = 0; n < chunks; n++) await cache.set(chunkKey(version, n), base64.slice(n * CHUNK_CHARS, (n + 1) * CHUNK_CHARS), SNAPSHOT_TTL_MS);
	await cache.set(snapshotKey(version), { ...head, chunks }, SNAPSHOT_TTL_MS);
}

/** The cache value for `data` (see the top of this file). */
export function encodeSnapshot(data: StoreData): Snapshot {
	const texts: string[] = [];
	const films = data.films.map((record) => ({
		...record,
		criticReviews: record.criticReviews.map((r) => {
			texts.push(r.excerpt);
			return { ...r, excerpt: r.excerpt.length };
		}),
		userReviews: record.userReviews.map((r) => {
			texts.push(r.body);
			return { ...r, body: r.body.length };
		}),
	}));
	const meta = Buffer.from(JSON.stringify({ version: data.version, films, errors: data.errors }));
	const bytes = Buffer.concat([meta, Buffer.from(texts.join(''))]);
	return {
		format: SNAPSHOT_FORMAT,
		version: data.version,
		metaBytes: meta.length,
		sha1: createHash('sha1').update(bytes).digest('hex'),
		data: bytes.toString('base64'),
	};
}

/** The `StoreData` a snapshot holds, or undefined when it is not one this code wrote for `version`. */
export function decodeSnapshot(snapshot: Snapshot, version: string): StoreData | undefined {
	if (snapshot.version !== version) return undefined;
	const bytes = Buffer.from(snapshot.data, 'base64');
	if (snapshot.metaBytes > bytes.length) return undefined;
	if (createHash('sha1').update(bytes).digest('hex') !== snapshot.sha1) return undefined;
	const meta = JSON.parse(bytes.toString('utf8', 0, snapshot.metaBytes)) as StoreData;
	const text = bytes.toString('utf8', snapshot.metaBytes);
	if (meta.version !== version || !Array.isArray(meta.films) || !Array.isArray(meta.errors)) return undefined;
	// Put the texts back: each length takes the next piece of `text`; together they must use it exactly.
	let at = 0;
	const take = (length: unknown): string | undefined => {
		if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || at + length > text.length) return undefined;
		const piece = text.slice(at, at + length);
		at += length;
		return piece;
	};
	for (const record of meta.films) {
		for (const r of record.criticReviews as { excerpt: unknown }[]) {
			const excerpt = take(r.excerpt);
			if (excerpt === undefined) return undefined;
			r.excerpt = excerpt;
		}
		for (const r of record.userReviews as { body: unknown }[]) {
			const body = take(r.body);
			if (body === undefined) return undefined;
			r.body = body;
		}
	}
	return at === text.length ? meta : undefined;
}
