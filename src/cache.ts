// The cache the handlers use: its interface, and openCache, which opens the configured store behind a failure guard.
import type Keyv from 'keyv';
import type { CacheUrl } from './config.js';
import { GuardedStore, shortReason } from './cache/guard.js';
import { MemoCache } from './cache/memo.js';
import { memoryKeyv, openStore } from './cache/open.js';
import type { Cache, CacheOptions, WrapOptions } from './cache/types.js';

export type { Cache, CacheKind, CacheLookups, CacheOptions, CacheResult, CacheStats, WrapOptions } from './cache/types.js';

/**
 * Opens the cache `target` names (parsed from CACHE_URL by the config).
 * Never rejects: if the store cannot be opened and probed in time, it logs one warning and
 * returns an in-memory cache (with `stats.degraded` set).
 */
export async function openCache(target: CacheUrl, opts: CacheOptions): Promise<Cache> {
	if (target.kind === 'memory') return wrapKeyv(memoryKeyv(opts), { ...opts, kind: 'memory' });
	try {
		const opened = await openStore(target, opts);
		return wrapKeyv(opened.keyv, { ...opts, kind: target.kind, closeStore: opened.close });
	} catch (error) {
		opts.logger.warn(
			{ cache: target.kind, reason: shortReason(error) },
			`could not open the ${target.kind} cache; using an in-memory cache instead`,
		);
		return wrapKeyv(memoryKeyv(opts), { ...opts, kind: 'memory', fellBack: true });
	}
}

/**
 * Wraps an existing Keyv (no probe). `openCache` is the normal entry point; this one lets tests
 * and special setups bring their own store. Sets `keyv.throwOnErrors` so failures are visible.
 */
export function wrapKeyv(keyv: Keyv, opts: WrapOptions): Cache {
	return new MemoCache(new GuardedStore(keyv, opts), opts);
}
