// The cache over a guarded store: getOrCompute's in-process memo and hedged reads, and one counted result per lookup.
import type { z } from 'zod';
import { BoundedMap } from '../bounded-map.js';
import type { Cache, CacheKind, CacheResult, CacheStats, WrapOptions } from './types.js';
import type { Logger } from '../log.js';
import { type GuardedStore, shortReason, withTimeout } from './guard.js';

/** Entries of getOrCompute's in-process memo. */
const MEMO_ENTRIES = 2000;

/** getOrCompute's store read did not answer within `waitMs`. */
const LATE: unique symbol = Symbol('late');

/** A lookup's answer: the valid value found, or how it went without one. */
type Lookup<T> = Hit<T> | { readonly result: 'miss' | 'failure' };
type Hit<T> = { readonly result: 'hit'; readonly value: T };

export class MemoCache implements Cache {
	readonly kind: CacheKind;
	readonly #store: GuardedStore;
	readonly #log: Logger;
	readonly #ttlMs: number;
	readonly #waitMs: number;
	readonly #onResult: ((result: CacheResult) => void) | undefined;
	#hits = 0;
	#misses = 0;
	#warnedUnserialisable = false;
	/** close() was called: later lookups are misses and later writes no-ops, while work begun before finishes. */
	#closed = false;
	/** getOrCompute's in-process memo, oldest first. */
	readonly #memo = new BoundedMap<string, { value: unknown; expires: number }>(MEMO_ENTRIES);
	/** getOrCompute's background work (late reads, writes), awaited by close(). */
	readonly #pending = new Set<Promise<void>>();

	constructor(store: GuardedStore, opts: WrapOptions) {
		this.kind = opts.kind;
		this.#store = store;
		this.#log = opts.logger;
		this.#ttlMs = opts.ttlMs;
		this.#waitMs = opts.waitMs ?? 1;
		this.#onResult = opts.onResult;
	}

	get stats(): CacheStats {
		return { hits: this.#hits, misses: this.#misses, errors: this.#store.errors, degraded: this.#store.degraded };
	}

	async get<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> {
		const lookup = this.#fromMemo(key, schema) ?? (await this.#read(key, schema));
		this.#count(lookup.result);
		return lookup.result === 'hit' ? lookup.value : undefined;
	}

	async set(key: string, value: unknown, ttlMs?: number): Promise<void> {
		// A value set from outside replaces whatever getOrCompute remembered for the key.
		this.#memo.delete(key);
		if (this.#closed) return;
		if (!isJsonSerialisable(value)) {
			this.#warnUnserialisable(key);
			return;
		}
		await this.#store.set(key, value, ttlMs ?? this.#ttlMs);
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
		if (memo !== undefined) {
			this.#count('hit');
			return { value: memo.value, hit: true };
		}
		const read = this.#read(key, schema);
		// `#read` never rejects: the only rejection is the wait running out.
		const early = await withTimeout(read, this.#waitMs, 'cache wait').catch((): typeof LATE => LATE);
		if (early === LATE) {
			// Counted once the read settles; whatever it finds, this lookup's value is computed.
			this.#track(read.then((late) => this.#count(late.result === 'failure' ? 'failure' : 'miss')));
		} else {
			this.#count(early.result);
			if (early.result === 'hit') {
				this.#memo.set(key, { value: early.value, expires: Date.now() + ttl });
				return { value: early.value, hit: true };
			}
		}
		const value = await compute();
		// Only cache what will read back as valid: a Date or a Map, say, would come back as
		// something else and make this key a silent permanent miss.
		if (survivesRoundTrip(value, schema)) {
			// A late read still decides: the store keeps a value it has, and gets this one if it has none.
			if (!this.#closed) {
				this.#track(
					(async () => {
						if (early === LATE && (await read).result === 'hit') return;
						await this.#store.set(key, value, ttl);
					})(),
				);
			}
			this.#memo.set(key, { value, expires: Date.now() + ttl });
		} else this.#warnUnserialisable(key);
		return { value, hit: false };
	}

	/** Waits for the background work begun before (late reads, writes), then closes the store. */
	async close(): Promise<void> {
		this.#closed = true;
		return this.#store.close(async () => Promise.allSettled([...this.#pending]));
	}

	/** getOrCompute's memo entry for `key`, if live and valid. */
	#fromMemo<T>(key: string, schema: z.ZodType<T>): Hit<T> | undefined {
		const memo = this.#memo.get(key);
		if (memo === undefined || memo.expires <= Date.now()) return undefined;
		const parsed = schema.safeParse(memo.value);
		return parsed.success ? { result: 'hit', value: parsed.data } : undefined;
	}

	/** The store's value for `key`, if valid. Never rejects. */
	async #read<T>(key: string, schema: z.ZodType<T>): Promise<Lookup<T>> {
		if (this.#closed) return { result: 'miss' };
		const found = await this.#store.get(key);
		if (!found.ok) return { result: found.failed ? 'failure' : 'miss' };
		if (found.value === undefined) return { result: 'miss' };
		const parsed = schema.safeParse(found.value);
		if (!parsed.success) {
			this.#log.debug({ cache: this.kind, key }, 'cached value does not match its schema; treating as a miss');
			return { result: 'miss' };
		}
		return { result: 'hit', value: parsed.data };
	}

	/** Counts one lookup and tells `onResult`, whose own errors never reach a reply. */
	#count(result: CacheResult): void {
		if (result === 'hit') this.#hits++;
		else this.#misses++;
		try {
			this.#onResult?.(result);
		} catch (error) {
			this.#log.warn({ cache: this.kind, reason: shortReason(error) }, 'the cache onResult hook threw');
		}
	}

	#track(work: Promise<void>): void {
		const tracked = work.finally(() => this.#pending.delete(tracked));
		this.#pending.add(tracked);
	}

	#warnUnserialisable(key: string): void {
		const level = this.#warnedUnserialisable ? 'debug' : 'warn';
		this.#warnedUnserialisable = true;
		this.#log[level]({ cache: this.kind, key }, 'value does not survive a JSON round trip; not cached');
	}
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
