// The failure guard: store operations under a time limit that never reject, so a cache failure never fails a reply; one warning per failure streak.
import type Keyv from 'keyv';
import type { CacheKind } from './types.js';
import type { Logger } from '../log.js';

export interface GuardOptions {
	readonly kind: CacheKind;
	readonly logger: Logger;
	/** Per-operation time limit. Default 500 ms. */
	readonly timeoutMs?: number;
	/** How long the store is skipped after a failure. Default 5000 ms; 0 disables. */
	readonly retryAfterMs?: number;
	/** Closes the underlying store; default `keyv.disconnect()`. */
	readonly closeStore?: () => Promise<void>;
	/** The configured store could not be opened and this is the in-memory stand-in (counted as one error, degraded for good). */
	readonly fellBack?: boolean;
}

/** What a guarded operation gave: the store's answer, or none (`failed`: the store failed or is skipped while failing; else it is closed). */
export type Guarded<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly failed: boolean };

/** A Keyv store whose operations never reject nor hang: a failure is logged, counted, and answered as `ok: false`. */
export class GuardedStore {
	readonly #keyv: Keyv;
	readonly #kind: CacheKind;
	readonly #log: Logger;
	readonly #timeoutMs: number;
	readonly #retryAfterMs: number;
	readonly #closeStore: () => Promise<void>;
	readonly #fellBack: boolean;
	#errors = 0;
	/** In a failure streak: warned already, store skipped until `#retryAt`. */
	#failing = false;
	#retryAt = 0;
	#closing: Promise<void> | undefined;
	/** Set once the work pending at close() has settled, right before the store is closed. */
	#closed = false;

	constructor(keyv: Keyv, opts: GuardOptions) {
		this.#keyv = keyv;
		this.#kind = opts.kind;
		this.#log = opts.logger;
		this.#timeoutMs = opts.timeoutMs ?? 500;
		this.#retryAfterMs = opts.retryAfterMs ?? 5000;
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

	/** Failed or timed-out operations (and 1 for a failed open). */
	get errors(): number {
		return this.#errors;
	}

	/** True while the store is failing, and for good after a fallback. */
	get degraded(): boolean {
		return this.#fellBack || this.#failing;
	}

	async get(key: string): Promise<Guarded<unknown>> {
		return this.#run('get', async () => this.#keyv.get<unknown>(key));
	}

	async set(key: string, value: unknown, ttlMs: number): Promise<void> {
		await this.#run('set', async () => {
			const stored = await this.#keyv.set(key, value, ttlMs);
			if (stored === false) throw new Error('the store did not accept the write');
		});
	}

	/**
	 * Closes the store once `pending` (work begun before, whose operations still run) has settled; later
	 * operations answer `ok: false` at once. Failures are no longer logged. Idempotent; never rejects.
	 */
	async close(pending: () => Promise<unknown>): Promise<void> {
		this.#closing ??= (async () => {
			await pending();
			this.#closed = true;
			try {
				await withTimeout(this.#closeStore(), Math.max(this.#timeoutMs, 1000), 'close');
			} catch (error) {
				this.#log.debug({ cache: this.#kind, reason: shortReason(error) }, 'cache close failed');
			}
		})();
		return this.#closing;
	}

	/** Runs a store operation with a time limit; never rejects. */
	async #run<R>(op: string, fn: () => Promise<R>): Promise<Guarded<R>> {
		if (this.#closed) return { ok: false, failed: false };
		if (this.#failing && Date.now() < this.#retryAt) return { ok: false, failed: true };
		try {
			const value = await withTimeout(fn(), this.#timeoutMs, op);
			if (this.#failing) {
				this.#failing = false;
				this.#log.info({ cache: this.#kind }, 'cache recovered');
			}
			return { ok: true, value };
		} catch (error) {
			this.#noteFailure(op, error, true);
			return { ok: false, failed: true };
		}
	}

	#noteFailure(op: string, error: unknown, countIt: boolean): void {
		if (this.#closing !== undefined) return;
		if (countIt) this.#errors++;
		this.#retryAt = Date.now() + this.#retryAfterMs;
		if (this.#failing) {
			this.#log.debug({ cache: this.#kind, op, reason: shortReason(error) }, 'cache still failing');
			return;
		}
		this.#failing = true;
		this.#log.warn(
			{ cache: this.#kind, op, reason: shortReason(error) },
			`${this.#kind} cache failing; answering uncached until it recovers`,
		);
	}
}

class TimeoutError extends Error {
	constructor(op: string, ms: number) {
		super(`${op} timed out after ${ms} ms`);
		this.name = 'TimeoutError';
	}
}

/** Races `promise` against a timer. A late rejection of `promise` stays handled (by the race). */
export async function withTimeout<T>(promise: Promise<T>, ms: number, op: string): Promise<T> {
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
export function shortReason(error: unknown): string {
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
