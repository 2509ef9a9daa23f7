// The cache's types: what handlers and dispatch see (Cache, CacheLookups), how it is opened, and how a lookup went.
import type { z } from 'zod';
import type { CacheUrl } from '../config.js';
import type { Logger } from '../log.js';

/**
 * A cache that never fails a reply.
 *
 * Every operation is guarded: a store error or a hung store (timeout) is logged once per
 * failure streak, counted in `stats.errors`, marks the cache `degraded` and behaves as a
 * miss / no-op, so the caller answers uncached. A store that cannot be opened at start is
 * replaced by an in-memory cache (one warning with the reason).
 */

export type CacheKind = CacheUrl['kind'];

/** How one lookup went: found, not found (or not valid), or the store failed (error, timeout, skipped while failing). */
export type CacheResult = 'hit' | 'miss' | 'failure';

export interface CacheStats {
	/** Lookups answered from the cache. */
	readonly hits: number;
	/** Lookups not answered from the cache, failures included. */
	readonly misses: number;
	/** Failed or timed-out store operations (including a failed open). */
	readonly errors: number;
	/** True while the store is failing, and for good when the configured store could not be opened. */
	readonly degraded: boolean;
}

/** What a command handler does with the cache: look values up and store them. */
export interface CacheLookups {
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
	getOrCompute<T>(key: string, schema: z.ZodType<T>, compute: () => T | Promise<T>, ttlMs?: number): Promise<{ value: T; hit: boolean }>;
}

export interface Cache extends CacheLookups {
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
	/**
	 * Called once per lookup (`get`, `getOrCompute`; not `set`), for metrics. A hedged read that is not
	 * waited for is reported when it settles: 'failure' if the store failed, else 'miss' (the value was computed).
	 */
	readonly onResult?: (result: CacheResult) => void;
}

export interface WrapOptions extends CacheOptions {
	readonly kind: CacheKind;
	/** Closes the underlying store; default `keyv.disconnect()`. */
	readonly closeStore?: () => Promise<void>;
	/** The configured store could not be opened and this is the in-memory stand-in. */
	readonly fellBack?: boolean;
}
