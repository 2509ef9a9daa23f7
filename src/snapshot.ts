import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Cache } from './cache.js';
import { type DataLimits, filesFingerprint, parseDataFiles, readDataFiles } from './domain/load.js';
import { StoreData } from './domain/schema.js';
import { ReviewStore } from './domain/store.js';
import type { Logger } from './log.js';

/**
 * Warm start: the parsed store kept in the cache under `snapshot:<data version>`, so a restart with
 * unchanged data skips parsing. The version hashes the parser version, the manifest and every page
 * (`DataFiles.version`), so any changed, added or removed file, or a parser change, reads as a miss.
 *
 * Finding it need not read the pages: `snapshot:files:<fingerprint>` records the data version of files
 * with that `filesFingerprint` (the manifest's bytes, and each page's size, inode, mtime and ctime), set
 * whenever a snapshot is read or written after a full read. An unchanged fingerprint goes straight to the
 * snapshot; any other (a page written, touched or copied) reads and hashes every page as before.
 *
 * The snapshot is not the `StoreData` JSON itself, for speed:
 *  - Keyv's deserialiser runs `JSON.parse` with a reviver over whatever is stored, and its serialiser
 *    walks objects in JavaScript; a 48 MB object tree costs seconds both ways. A string costs one
 *    native scan each way, so the snapshot travels as three strings:
 *    - `meta`: the `StoreData` JSON with every review body and critic excerpt replaced by its length;
 *    - `narrow`: the texts whose characters all fit in one byte (U+0000-U+00FF), run together;
 *    - `wide`: the other texts, run together; their lengths are stored as `-1 - length`.
 *    Reading parses only the small meta JSON; the texts become slices of the two strings (no copy), in
 *    the order they were written. Kept apart, the narrow texts (most of them) stay a one-byte string
 *    in V8: half the memory, and no UTF-8 decoding, of one string that holds a single wide character.
 *  - Each string in pieces of CHUNK_CHARS under `snapshot:<version>:<part>:<n>`, so no single cache
 *    operation moves tens of megabytes (each has a time limit, 500 ms by default, and a timed-out one
 *    marks the cache as failing). The pieces are written and read one at a time, each with its own time
 *    limit: a 200 MB library is some 50 pieces, which SQLite would answer one by one anyway.
 *    `snapshot:<version>` holds the head `{ format, version, sha1, chunks: { meta, narrow, wide } }` and
 *    is written last, so a head whose pieces are missing is a miss.
 *  - In the meta, a film's reviews are a table, `{ keys, rows }`: the keys once, then one array of
 *    values per review, with what the record itself gives left out: an `id` that is the film's id and
 *    the review's place (`pusher-1996#c3`) and a `filmId` that is the film's are null, and a `source`
 *    in the same file as the review before is just its line. That halves the JSON to parse. Reviews
 *    whose keys differ from the first one's (not what the parser makes) are kept as objects.
 *
 * Validity without running zod over 50,000 records at every start (~0.5 s): the data is validated
 * with the `StoreData` schema once, before it is written, and the sha1 of the meta is stored with it.
 * On read the sha1 must match, so every value but the texts is one that passed the schema; the meta's
 * lengths must then use up both text strings exactly, in integer pieces. The schema asks nothing of a
 * text but its length (at least 1), so texts of the recorded lengths pass it too. Any mismatch, a value
 * of another shape, or a throw while decoding is a miss: the data is parsed again (and a fresh snapshot
 * written). A broken cache is a miss too (the cache itself never throws).
 */

export const SNAPSHOT_FORMAT = 'marquee-snapshot/3';
/** Snapshots are keyed by content, so a long life is safe; stale ones simply age out. */
const SNAPSHOT_TTL_MS = 30 * 24 * 3600 * 1000;

/** Characters per cache entry. */
const CHUNK_CHARS = 4 * 1024 * 1024;

const PARTS = ['meta', 'narrow', 'wide'] as const;
type Part = (typeof PARTS)[number];

const SnapshotHead = z.object({
	format: z.literal(SNAPSHOT_FORMAT),
	version: z.string(),
	sha1: z.string(),
	chunks: z.object({ meta: z.number().int().nonnegative(), narrow: z.number().int().nonnegative(), wide: z.number().int().nonnegative() }),
});
type SnapshotHead = z.infer<typeof SnapshotHead>;

/** A whole snapshot: the head and its three strings, each whole or in the pieces read from the cache. */
export interface Snapshot extends Omit<SnapshotHead, 'chunks'> {
	readonly meta: string | readonly string[];
	readonly narrow: string | readonly string[];
	readonly wide: string | readonly string[];
}

export function snapshotKey(version: string): string {
	return `snapshot:${version}`;
}

function chunkKey(version: string, part: Part, n: number): string {
	return `snapshot:${version}:${part}:${n}`;
}

export interface LoadedStore {
	readonly store: ReviewStore;
	readonly source: 'snapshot' | 'parsed';
	/** False when the files' fingerprint found the snapshot and no page was read. */
	readonly filesRead: boolean;
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
export async function loadStore(dir: string, cache: Cache, logger: Logger, limits: DataLimits = {}): Promise<LoadedStore> {
	const started = performance.now();
	// An in-memory cache (configured, or standing in for one that could not be opened) dies with the
	// process, so it never holds a snapshot, and no later start could use one written into it.
	const persistent = cache.kind !== 'memory';
	// Fast path: the files are as the file system last saw them when a snapshot was read or written, so
	// the data version is the one recorded then, and no page needs reading.
	const fingerprint = persistent ? await filesFingerprint(dir, limits).catch(() => undefined) : undefined;
	/** A version whose snapshot was found invalid already (not decoded twice). */
	let invalid: string | undefined;
	if (fingerprint !== undefined) {
		const known = await cache.get(filesKey(fingerprint), z.string());
		const snapshot = known === undefined ? undefined : await readSnapshot(cache, known);
		const data = snapshot === undefined || known === undefined ? undefined : validData(snapshot, known, logger);
		if (data !== undefined) return fromSnapshot(data, started, logger, false);
		if (snapshot !== undefined) invalid = known;
	}

	const files = await readDataFiles(dir, limits);
	const { version } = files;
	const key = snapshotKey(version);
	const remember = async (): Promise<void> => {
		if (fingerprint !== undefined) await cache.set(filesKey(fingerprint), version, SNAPSHOT_TTL_MS);
	};

	// Asked for only now: the files are read and hashed synchronously, and a cache read under way meanwhile
	// would find its time limit up before its answer is taken (a large page takes longer than the limit).
	// Not the version just found invalid: tens of megabytes read again only to be refused.
	const snapshot = persistent && version !== invalid ? await readSnapshot(cache, version) : undefined;
	const cached = snapshot === undefined ? undefined : validData(snapshot, version, logger);
	if (cached !== undefined) {
		// Recorded once the store is built, for the same reason: building a large one takes a while.
		const loaded = fromSnapshot(cached, started, logger, true);
		void remember();
		return loaded;
	}

	const data = parseDataFiles(files);
	const store = new ReviewStore(data);
	const ms = performance.now() - started;
	if (!persistent) return { store, source: 'parsed', filesRead: true, ms };
	// Readiness does not wait for the write: encode and store it on a later turn of the event loop.
	const written = new Promise<void>((resolve) => setImmediate(resolve))
		.then(async () => {
			await writeSnapshot(cache, version, data);
			await remember();
		})
		.catch((error: unknown) => logger.warn({ key, err: error }, 'could not write the store snapshot'));
	return { store, source: 'parsed', filesRead: true, ms, written };
}

/** Where the data version of files with this `filesFingerprint` is recorded. */
function filesKey(fingerprint: string): string {
	return `snapshot:files:${fingerprint}`;
}

function fromSnapshot(data: StoreData, started: number, logger: Logger, filesRead: boolean): LoadedStore {
	const store = new ReviewStore(data);
	const ms = performance.now() - started;
	logger.debug({ version: data.version, filesRead, ms: Math.round(ms) }, 'store loaded from the snapshot');
	return { store, source: 'snapshot', filesRead, ms };
}

/** `snapshot` decoded, or undefined when it is not a valid one of `version` (logged). */
function validData(snapshot: Snapshot, version: string, logger: Logger): StoreData | undefined {
	try {
		const data = decodeSnapshot(snapshot, version);
		if (data !== undefined) return data;
	} catch (error) {
		logger.debug({ version, err: error }, 'snapshot could not be decoded');
	}
	logger.warn({ key: snapshotKey(version) }, 'cached snapshot is invalid; parsing the data again');
	return undefined;
}

/** The head and every piece, or undefined when the head or a piece is missing (or the cache fails); stops at the first missing piece. */
async function readSnapshot(cache: Cache, version: string): Promise<Snapshot | undefined> {
	const head = await cache.get(snapshotKey(version), SnapshotHead);
	if (head === undefined) return undefined;
	// One piece at a time: each read has the cache's time limit, and SQLite answers one query at a time, so
	// pieces asked for all at once wait for each other and the later ones ran out of time in the queue.
	const pieces: Record<Part, string[]> = { meta: [], narrow: [], wide: [] };
	for (const part of PARTS) {
		for (let n = 0; n < head.chunks[part]; n++) {
			const piece = await cache.get(chunkKey(version, part, n), z.string());
			if (piece === undefined) return undefined;
			pieces[part].push(piece);
		}
	}
	const { chunks: _, ...rest } = head;
	return { ...rest, ...pieces };
}

async function writeSnapshot(cache: Cache, version: string, data: StoreData): Promise<void> {
	// Validated once here, so reading can trust a meta whose checksum matches.
	const valid = StoreData.safeParse(data);
	if (!valid.success) throw new Error(`parsed data does not match the StoreData schema: ${valid.error.issues[0]?.message ?? ''}`);
	const snapshot = encodeSnapshot(data);
	const chunks = { meta: 0, narrow: 0, wide: 0 };
	for (const part of PARTS) {
		const text = snapshot[part];
		chunks[part] = Math.ceil(text.length / CHUNK_CHARS);
		for (let n = 0; n < chunks[part]; n++) await cache.set(chunkKey(version, part, n), text.slice(n * CHUNK_CHARS, (n + 1) * CHUNK_CHARS), SNAPSHOT_TTL_MS);
	}
	await cache.set(snapshotKey(version), { format: snapshot.format, version: snapshot.version, sha1: snapshot.sha1, chunks }, SNAPSHOT_TTL_MS);
}

type Review = Readonly<Record<string, unknown>>;
interface Texts {
	readonly narrow: string[];
	readonly wide: string[];
}

/** A character a one-byte string cannot hold. */
const WIDE = /[^\u0000-\u00ff]/;
interface Table {
	readonly keys: readonly string[];
	readonly rows: readonly unknown[][];
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((k, i) => k === b[i]);
}

function isSource(v: unknown): v is { file: string; line: number } {
	return typeof v === 'object' && v !== null && sameKeys(Object.keys(v), ['file', 'line']) && typeof (v as { file: unknown }).file === 'string';
}

/** A film's reviews as a table (or as objects, text replaced by its length, if their keys differ). */
function encodeReviews(reviews: readonly Review[], filmId: string, letter: 'c' | 'u', textKey: string, texts: Texts): Table | Review[] {
	const text = (r: Review): number => {
		const t = String(r[textKey]);
		if (WIDE.test(t)) {
			texts.wide.push(t);
			return -1 - t.length;
		}
		texts.narrow.push(t);
		return t.length;
	};
	const keys = Object.keys(reviews[0] ?? {});
	if (!reviews.every((r) => sameKeys(Object.keys(r), keys))) return reviews.map((r) => ({ ...r, [textKey]: text(r) }));
	let lastFile: string | undefined;
	const rows = reviews.map((r, i) =>
		keys.map((k) => {
			const v = r[k];
			if (k === textKey) return text(r);
			if (k === 'id') return v === `${filmId}#${letter}${i + 1}` ? null : v;
			if (k === 'filmId') return v === filmId ? null : v;
			if (k === 'source' && isSource(v)) {
				if (v.file === lastFile) return v.line;
				lastFile = v.file;
				return [v.file, v.line];
			}
			return v;
		}),
	);
	return { keys, rows };
}

/**
 * A function making an object with `keys`, in that order, from an array of values. Objects made
 * property by property with computed keys are several times slower to build (and to read later);
 * an object literal gets its final shape at once. The keys are quoted with JSON.stringify.
 */
function objectMaker(keys: readonly string[]): (values: readonly unknown[]) => Record<string, unknown> {
	return new Function('v', `return { ${keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(', ')} };`) as (values: readonly unknown[]) => Record<string, unknown>;
}

const makers = new Map<string, (values: readonly unknown[]) => Record<string, unknown>>();

/** `encodeReviews` undone, texts taken in order by `take`; undefined if anything does not fit. */
function decodeReviews(encoded: unknown, filmId: string, letter: 'c' | 'u', textKey: string, take: (length: unknown) => string | undefined): Review[] | undefined {
	if (Array.isArray(encoded)) {
		for (const r of encoded as Record<string, unknown>[]) {
			const t = take(r[textKey]);
			if (t === undefined) return undefined;
			r[textKey] = t;
		}
		return encoded as Review[];
	}
	const { keys, rows } = (encoded ?? {}) as Partial<Table>;
	if (!Array.isArray(keys) || !Array.isArray(rows)) return undefined;
	// ("__proto__" in a literal would set the prototype, not a key; the parser never makes one.)
	if (!keys.every((k) => typeof k === 'string' && k !== '__proto__')) return undefined;
	const signature = JSON.stringify(keys);
	let make = makers.get(signature);
	if (!make) makers.set(signature, (make = objectMaker(keys)));
	const out: Review[] = [];
	let lastFile: string | undefined;
	const values: unknown[] = new Array<unknown>(keys.length);
	for (let i = 0; i < rows.length; i++) {
		const row = rows[i];
		if (!Array.isArray(row) || row.length !== keys.length) return undefined;
		for (let j = 0; j < keys.length; j++) {
			const k = keys[j] as string;
			const v: unknown = row[j];
			if (k === textKey) {
				const t = take(v);
				if (t === undefined) return undefined;
				values[j] = t;
			} else if (k === 'id') values[j] = v === null ? `${filmId}#${letter}${i + 1}` : v;
			else if (k === 'filmId') values[j] = v === null ? filmId : v;
			else if (k === 'source' && typeof v === 'number') {
				if (lastFile === undefined) return undefined;
				values[j] = { file: lastFile, line: v };
			} else if (k === 'source' && Array.isArray(v)) {
				lastFile = String(v[0]);
				values[j] = { file: lastFile, line: v[1] };
			} else values[j] = v;
		}
		out.push(make(values));
	}
	return out;
}

/** The cache value for `data` (see the top of this file), its strings whole. */
export function encodeSnapshot(data: StoreData): Snapshot & { readonly meta: string; readonly narrow: string; readonly wide: string } {
	const texts: Texts = { narrow: [], wide: [] };
	const films = data.films.map((record) => {
		const criticReviews = encodeReviews(record.criticReviews, record.film.id, 'c', 'excerpt', texts);
		const userReviews = encodeReviews(record.userReviews, record.film.id, 'u', 'body', texts);
		return { ...record, criticReviews, userReviews };
	});
	const meta = JSON.stringify({ version: data.version, films, errors: data.errors });
	return {
		format: SNAPSHOT_FORMAT,
		version: data.version,
		sha1: createHash('sha1').update(meta).digest('hex'),
		meta,
		narrow: texts.narrow.join(''),
		wide: texts.wide.join(''),
	};
}

function whole(text: string | readonly string[]): string {
	return typeof text === 'string' ? text : text.join('');
}

/** The `StoreData` a snapshot holds, or undefined when it is not one this code wrote for `version`. */
export function decodeSnapshot(snapshot: Snapshot, version: string): StoreData | undefined {
	if (snapshot.version !== version) return undefined;
	const metaText = whole(snapshot.meta);
	if (createHash('sha1').update(metaText).digest('hex') !== snapshot.sha1) return undefined;
	const meta = JSON.parse(metaText) as StoreData;
	if (meta.version !== version || !Array.isArray(meta.films) || !Array.isArray(meta.errors)) return undefined;
	const narrow = whole(snapshot.narrow);
	const wide = whole(snapshot.wide);
	// Put the texts back: each length takes the next piece of its string; together they must use both exactly.
	let at = 0;
	let wideAt = 0;
	const take = (length: unknown): string | undefined => {
		if (typeof length !== 'number' || !Number.isInteger(length)) return undefined;
		if (length >= 0) {
			if (at + length > narrow.length) return undefined;
			return narrow.slice(at, (at += length));
		}
		const n = -1 - length;
		if (wideAt + n > wide.length) return undefined;
		return wide.slice(wideAt, (wideAt += n));
	};
	for (const record of meta.films as { film: { id: unknown }; criticReviews: unknown; userReviews: unknown }[]) {
		const filmId = record.film.id;
		if (typeof filmId !== 'string') return undefined;
		const critic = decodeReviews(record.criticReviews, filmId, 'c', 'excerpt', take);
		const user = critic && decodeReviews(record.userReviews, filmId, 'u', 'body', take);
		if (!critic || !user) return undefined;
		record.criticReviews = critic;
		record.userReviews = user;
	}
	return at === narrow.length && wideAt === wide.length ? meta : undefined;
}
