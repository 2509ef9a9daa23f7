// The cache as one interaction sees it: the shared cache's lookups, and a note of whether they hit, for the interaction's log line.
import type { CacheLookups } from './types.js';

/** How an interaction used the cache: no lookup, every lookup a hit, or at least one miss. */
export type CacheUse = 'none' | 'hit' | 'miss';

export interface CacheView {
	/** Looks up and stores through the shared cache, noting each lookup. */
	readonly cache: CacheLookups;
	/** The lookups so far. */
	use(): CacheUse;
}

export function cacheView(shared: CacheLookups): CacheView {
	let use: CacheUse = 'none';
	const note = (hit: boolean): void => {
		use = hit && use !== 'miss' ? 'hit' : 'miss';
	};
	return {
		cache: {
			async get(key, schema) {
				const value = await shared.get(key, schema);
				note(value !== undefined);
				return value;
			},
			async set(key, value, ttlMs) {
				await shared.set(key, value, ttlMs);
			},
			async getOrCompute(key, schema, compute, ttlMs) {
				const result = await shared.getOrCompute(key, schema, compute, ttlMs);
				note(result.hit);
				return result;
			},
		},
		use: () => use,
	};
}
