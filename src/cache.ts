import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import type { z } from 'zod';
import { BoundedMap } from './bounded-map.js';
import type { CacheUrl } from './config.js';
import type { Logger } from './log.js';

/**
 * A cache that never fails a reply.
 *
 * Every operation is guarded: a store error or a hung store (timeout) is logged once per
 * failure streak, counted in `stats.errors`, marks the cache `degraded` and behaves as a
 * miss / no-op, so the caller answers uncached. A store that cannot be opened at start is
 * replaced by an in-memory cache (one warning with the reason).
 */

export type CacheKind = 'memory' | 'sqlite' | 'redis';

export interface CacheStats {
	readonly hits: number;
	readonly misses: number;
	/** Failed or timed-out store operations (including a failed open). */
	readonly errors: number;
	/** True while the store is failing, and for good when the configured store could not be opened. */
	readonly degraded: boolean;
}

export interface Cache {
	/** Validates what comes back with `schema`; an invalid or unreadable value is a miss. Sees getOrCompute's memo. */
	get<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined>;
	/** Never throws. `value` must be JSON-serialisable. */
	set(key: string, value: unknown, ttlMs?: number): Promise<void>;
	/**
	 * Cached value if valid, else `compute()` (whose errors do propagate) stored for next time. Only
	 * for values that are a pure function of their key (keys carry the data version): they are also
	 * kept in a small in-process memo, and the write to the store is not waited for. A store read that
	 * takes longer than `waitMs` is not waited for either (a hedged read): the value is computed, which
	 * gives the same value, and written once the read turns out a miss. So a slow store, or one
	 * read's tail latency, costs a reply at most `waitMs`.
	 */
	getOrCompute<T>(
		key: string,
		schema: z.ZodType<T>,
		compute: () => T | Promise<T>,
		ttlMs?: number,
	): Promise<{ value: T; hit: boolean }>;
	/** A snapshot of the counters. */
	readonly stats: CacheStats;
	/** The store actually in use ('memory' after a fallback). */
	readonly kind: CacheKind;
	/** Idempotent. Later operations are misses / no-ops. */
	close(): Promise<void>;
}

export interface CacheOptions {
	/** Default time to live of an entry. */
	readonly ttlMs: number;
	/** Key prefix, so several apps can share a store. Default 'marquee'. */
	readonly namespace?: string;
	readonly logger: Logger;
	/** Per-operation time limit. Default 500 ms. */
	readonly timeoutMs?: number;
	/** Time limit for opening and probing the store. Default 3000 ms. */
	readonly openTimeoutMs?: number;
	/**
	 * After a failure, skip the store (answer as a miss) for this long before trying it again,
	 * so a broken store costs one timeout per window rather than one per request. Default 5000 ms; 0 disables.
	 */
	readonly retryAfterMs?: number;
	/** Maximum entries of the in-memory store (oldest dropped first). Default 10 000. */
	readonly maxMemoryEntries?: number;
	/**
	 * How long getOrCompute waits for the store before computing the value itself (see there).
	 * Default 1 ms; at least `timeoutMs` means always wait.
	 */
	readonly waitMs?: number;
}

/** Entries of getOrCompute's in-process memo. */
const MEMO_ENTRIES = 2000;

const DEFAULTS = {
	namespace: 'marquee',
	timeoutMs: 500,
	openTimeoutMs: 3000,
	retryAfterMs: 5000,
	maxMemoryEntries: 10_000,
	waitMs: 1,
} as const;

/**
 * Opens the cache `target` names (parsed from CACHE_URL by the config).
 * Never rejects: if the store cannot be opened and probed in time, it logs one warning and
 * returns an in-memory cache (with `stats.degraded` set).
 */
export async function openCache(target: CacheUrl, opts: CacheOptions): Promise<Cache> {
	const namespace = opts.namespace ?? DEFAULTS.namespace;
	if (target.kind === 'memory') return wrapKeyv(memoryKeyv(opts), { ...opts, kind: 'memory' });

	let opened: OpenedStore;
	try {
		opened = target.kind === 'sqlite' ? await openSqlite(target.file, namespace, opts) : await openRedis(target.url, namespace, opts);
	} catch (error) {
		opts.logger.warn(
			{ cache: target.kind, reason: shortReason(error) },
			`could not open the ${target.kind} cache; using an in-memory cache instead`,
		);
		return wrapKeyv(memoryKeyv(opts), { ...opts, kind: 'memory', fellBack: true });
	}
	return wrapKeyv(opened.keyv, { ...opts, kind: target.kind, closeStore: opened.close });
}

interface WrapOptions extends CacheOptions {
	readonly kind: CacheKind;
	/** Closes the underlying store; default `keyv.disconnect()`. */
	readonly closeStore?: () => Promise<void>;
	/** The configured store could not be opened and this is the in-memory stand-in. */
	readonly fellBack?: boolean;
}

/**
 * Wraps an existing Keyv (no probe). `openCache` is the normal entry point; this one lets tests
 * and special setups bring their own store. Sets `keyv.throwOnErrors` so failures are visible.
 */
export function wrapKeyv(keyv: Keyv, opts: WrapOptions): Cache {
	return new GuardedCache(keyv, opts);
}

// ---------------------------------------------------------------------------------------------

class GuardedCache implements Cache {
	readonly kind: CacheKind;
	readonly #keyv: Keyv;
	readonly #log: Logger;
	readonly #ttlMs: number;
	readonly #timeoutMs: number;
	readonly #retryAfterMs: number;
	readonly #waitMs: number;
	readonly #closeStore: () => Promise<void>;
	readonly #fellBack: boolean;
	#hits = 0;
	#misses = 0;
	#errors = 0;
	/** In a failure streak: warned already, store skipped until `#retryAt`. */
	#failing = false;
	#retryAt = 0;
	#closing: Promise<void> | undefined;
	#warnedUnserialisable = false;
	/** getOrCompute's in-process memo, oldest first (a Map keeps insertion order). */
	readonly #memo = new BoundedMap<string, { value: unknown; expires: number }>(MEMO_ENTRIES);
	/** Background writes of getOrCompute, awaited by close(). */
	readonly #writes = new Set<Promise<void>>();

	constructor(keyv: Keyv, opts: WrapOptions) {
		this.kind = opts.kind;
		this.#keyv = keyv;
		this.#log = opts.logger;
		this.#ttlMs = opts.ttlMs;
		this.#timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
		this.#retryAfterMs = opts.retryAfterMs ?? DEFAULTS.retryAfterMs;
		this.#waitMs = opts.waitMs ?? DEFAULTS.waitMs;
		this.#closeStore = opts.closeStore ?? (async () => keyv.disconnect());
		this.#fellBack = opts.fellBack ?? false;
		if (this.#fellBack) this.#errors = 1;
		// Keyv's get() swallows store errors and returns undefined unless throwOnErrors is set;
		// with it, every failing operation rejects and we count it here.
		keyv.throwOnErrors = true;
		// Errors the store emits outside an operation (e.g. a redis reconnect) mark the streak
		// without counting as a failed operation.
		keyv.on('error', (error: unknown) => this.#noteFailure('event', error, false));
	}

	get stats(): CacheStats {
		return {
			hits: this.#hits,
			misses: this.#misses,
			errors: this.#errors,
			degraded: this.#fellBack || this.#failing,
		};
	}

	/** getOrCompute's memo entry for `key`, if live and valid (counted as a hit). */
	#fromMemo<T>(key: string, schema: z.ZodType<T>): T | undefined {
		const memo = this.#memo.get(key);
		if (memo === undefined || memo.expires <= Date.now()) return undefined;
		const parsed = schema.safeParse(memo.value);
		if (!parsed.success) return undefined;
		this.#hits++;
		return parsed.data;
	}

	async get<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> {
		const memo = this.#fromMemo(key, schema);
		if (memo !== undefined) return memo;
		const result = await this.#guard('get', async () => this.#keyv.get<unknown>(key));
		if (!result.ok || result.value === undefined) {
			this.#misses++;
			return undefined;
		}
		const parsed = schema.safeParse(result.value);
		if (!parsed.success) {
			this.#misses++;
			this.#log.debug({ cache: this.kind, key }, 'cached value does not match its schema; treating as a miss');
			return undefined;
		}
		this.#hits++;
		return parsed.data;
	}

	async set(key: string, value: unknown, ttlMs?: number): Promise<void> {
		// A value set from outside replaces whatever getOrCompute remembered for the key.
		this.#memo.delete(key);
		if (!isJsonSerialisable(value)) {
			this.#warnUnserialisable(key);
			return;
		}
		await this.#store(key, value, ttlMs ?? this.#ttlMs);
	}

	async #store(key: string, value: unknown, ttlMs: number): Promise<void> {
		await this.#guard('set', async () => {
			const stored = await this.#keyv.set(key, value, ttlMs);
			if (stored === false) throw new Error('the store did not accept the write');
		});
	}

	async getOrCompute<T>(
		key: string,
		schema: z.ZodType<T>,
		compute: () => T | Promise<T>,
		ttlMs?: number,
	): Promise<{ value: T; hit: boolean }> {
		const ttl = ttlMs ?? this.#ttlMs;
		// A memo hit answers at once: no store read, no timer.
		const memo = this.#fromMemo(key, schema);
		if (memo !== undefined) return { value: memo, hit: true };
		const read = this.get(key, schema);
		// `get` never rejects: the only rejection is the wait running out.
		const cached = await withTimeout(read, this.#waitMs, 'cache wait').catch((): typeof LATE => LATE);
		if (cached !== LATE && cached !== undefined) {
			this.#memo.set(key, { value: cached, expires: Date.now() + ttl });
			return { value: cached, hit: true };
		}
		const value = await compute();
		// Only cache what will read back as valid: a Date or a Map, say, would come back as
		// something else and make this key a silent permanent miss.
		if (survivesRoundTrip(value, schema)) {
			// A late read still decides: the store keeps a value it has, and gets this one if it has none.
			const store = async (): Promise<void> => {
				if (cached === LATE && (await read) !== undefined) return;
				await this.#store(key, value, ttl);
			};
			const write = store().finally(() => this.#writes.delete(write));
			this.#writes.add(write);
			this.#memo.set(key, { value, expires: Date.now() + ttl });
		} else this.#warnUnserialisable(key);
		return { value, hit: false };
	}

	async close(): Promise<void> {
		this.#closing ??= (async () => {
			await Promise.allSettled([...this.#writes]);
			try {
				await withTimeout(this.#closeStore(), Math.max(this.#timeoutMs, 1000), 'close');
			} catch (error) {
				this.#log.debug({ cache: this.kind, reason: shortReason(error) }, 'cache close failed');
			}
		})();
		return this.#closing;
	}

	/** Runs a store operation with a time limit; never rejects. */
	async #guard<R>(op: string, fn: () => Promise<R>): Promise<{ ok: true; value: R } | { ok: false }> {
		if (this.#closing !== undefined) return { ok: false };
		if (this.#failing && Date.now() < this.#retryAt) return { ok: false };
		try {
			const value = await withTimeout(fn(), this.#timeoutMs, op);
			if (this.#failing) {
				this.#failing = false;
				this.#log.info({ cache: this.kind }, 'cache recovered');
			}
			return { ok: true, value };
		} catch (error) {
			this.#noteFailure(op, error, true);
			return { ok: false };
		}
	}

	#noteFailure(op: string, error: unknown, countIt: boolean): void {
		if (this.#closing !== undefined) return;
		if (countIt) this.#errors++;
		this.#retryAt = Date.now() + this.#retryAfterMs;
		if (this.#failing) {
			this.#log.debug({ cache: this.kind, op, reason: shortReason(error) }, 'cache still failing');
			return;
		}
		this.#failing = true;
		this.#log.warn(
			{ cache: this.kind, op, reason: shortReason(error) },
			`${this.kind} cache failing; answering uncached until it recovers`,
		);
	}

	#warnUnserialisable(key: string): void {
		const level = this.#warnedUnserialisable ? 'debug' : 'warn';
		this.#warnedUnserialisable = true;
		this.#log[level]({ cache: this.kind, key }, 'value does not survive a JSON round trip; not cached');
	}
}

// ---------------------------------------------------------------------------------------------

interface OpenedStore {
	readonly keyv: Keyv;
	readonly close: () => Promise<void>;
}


function memoryKeyv(opts: CacheOptions): Keyv {
	const store = new BoundedMap<string, unknown>(opts.maxMemoryEntries ?? DEFAULTS.maxMemoryEntries);
	return new Keyv({ store, namespace: opts.namespace ?? DEFAULTS.namespace, throwOnErrors: true });
}

async function openSqlite(file: string, namespace: string, opts: CacheOptions): Promise<OpenedStore> {
	if (file !== ':memory:') await mkdir(dirname(file), { recursive: true });

	const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 1000 });
	// The adapter opens the database in its constructor and its connection promise rejects with
	// nobody listening unless a query follows at once; on Node 20 that unhandled rejection kills
	// the process. So the first query is issued synchronously, before any await.
	const journal: Promise<unknown> = store.query('PRAGMA journal_mode = WAL');
	const keyv = new Keyv({ store, namespace, throwOnErrors: true });
	keyv.on('error', () => {}); // failures surface as rejections below
	const close = async (): Promise<void> => store.disconnect();
	const openMs = opts.openTimeoutMs ?? DEFAULTS.openTimeoutMs;
	try {
		const mode = await withTimeout(journal, openMs, 'open');
		// With WAL, NORMAL never corrupts the file; it only skips an fsync per write (a cache loses at
		// most its last writes on power loss).
		await withTimeout(store.query('PRAGMA synchronous = NORMAL'), openMs, 'open');
		opts.logger.debug({ cache: 'sqlite', file, journal: mode }, 'sqlite cache opened');
		await withTimeout(probe(keyv), openMs, 'probe');
	} catch (error) {
		await close().catch(() => {});
		throw error;
	}
	return { keyv, close };
}

async function openRedis(url: string, namespace: string, opts: CacheOptions): Promise<OpenedStore> {
	// Imported here: the Redis client takes longer to load than the rest of the cache, and only Redis needs it.
	const { default: KeyvRedis, createClient } = await import('@keyv/redis');
	let connected = false;
	const client = createClient({
		url,
		// Commands fail at once while disconnected instead of queueing (a miss, not a hang).
		disableOfflineQueue: true,
		socket: {
			connectTimeout: 2000,
			// Fail fast on the first connection; once up, reconnect in the background with backoff.
			reconnectStrategy: (retries: number) => (connected ? Math.min(100 * 2 ** retries, 5000) : false),
		},
	});
	const store = new KeyvRedis(client, { namespace, throwOnConnectError: true, throwOnErrors: true });
	// KeyvRedis prefixes keys with its namespace itself.
	const keyv = new Keyv({ store, namespace, useKeyPrefix: false, throwOnErrors: true });
	keyv.on('error', () => {});
	const close = async (): Promise<void> => {
		if (!client.isOpen) return;
		if (client.isReady) await client.close();
		else client.destroy();
	};
	try {
		await withTimeout(probe(keyv), opts.openTimeoutMs ?? DEFAULTS.openTimeoutMs, 'probe');
	} catch (error) {
		// Stop any connection attempt still running so nothing retries in the background.
		if (client.isOpen) client.destroy();
		throw error;
	}
	connected = true;
	return { keyv, close };
}

/** A set/get/delete round trip on a key of its own. */
async function probe(keyv: Keyv): Promise<void> {
	const key = `__probe__:${process.pid}:${randomUUID()}`;
	const token = randomUUID();
	await keyv.set(key, token, 60_000);
	const back: unknown = await keyv.get(key);
	if (back !== token) throw new Error('probe read back a different value');
	await keyv.delete(key);
}

// ---------------------------------------------------------------------------------------------

/** getOrCompute's store read did not answer within `waitMs`. */
const LATE: unique symbol = Symbol('late');

class TimeoutError extends Error {
	constructor(op: string, ms: number) {
		super(`${op} timed out after ${ms} ms`);
		this.name = 'TimeoutError';
	}
}

/** Races `promise` against a timer. A late rejection of `promise` stays handled (by the race). */
async function withTimeout<T>(promise: Promise<T>, ms: number, op: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new TimeoutError(op, ms)), ms);
		timer.unref();
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** A one-line reason for the logs (never shown to users). */
function shortReason(error: unknown): string {
	let text: string;
	if (error instanceof Error) {
		const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
		text = code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
		if (text === '') text = error.name;
	} else {
		text = String(error);
	}
	const line = text.split('\n', 1)[0] ?? '';
	return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function isJsonSerialisable(value: unknown): boolean {
	try {
		return JSON.stringify(value) !== undefined;
	} catch {
		return false;
	}
}

function survivesRoundTrip<T>(value: T, schema: z.ZodType<T>): boolean {
	try {
		const text = JSON.stringify(value);
		if (text === undefined) return false;
		const back: unknown = JSON.parse(text);
		return schema.safeParse(back).success;
	} catch {
		return false;
	}
}
