import { type FSWatcher, statSync, watch } from 'node:fs';
import { basename } from 'node:path';
import type { Logger } from './log.js';
import { SIGNALS } from './signals.js';

/**
 * Live reload: the store the bot serves, replaced by a freshly loaded one when the data directory
 * changes (a debounced watcher) or on SIGHUP, without a restart. It does not know how a store is
 * loaded: it runs the `load` it is given. Dispatch reads `current` once at the start of each
 * interaction, so a swap happens between requests and a request under way finishes on the store it
 * started with. Every process (each shard, each HTTP replica) runs its own.
 */

/** What the reloader needs of a store: its data version, which tells an unchanged reload, and a way to let it go. */
export interface Versioned {
	readonly version: string;
	close(): void;
}

/** A loaded store with its counts (for the log). */
export interface Served<S> {
	readonly store: S;
	readonly films: number;
	readonly errors: number;
}

/** What a load gives: a store, or why there is none (its problems already logged by the loader). */
export type Loaded<S> = ({ readonly ok: true } & Served<S>) | { readonly ok: false; readonly message: string };

/** What one reload did: swapped the store in, found the data unchanged, or failed (the old store kept). */
export type ReloadOutcome = 'reloaded' | 'unchanged' | 'failed';

/** How long the directory must be quiet after a change before the reload: an editor's save is several writes. */
export const RELOAD_DEBOUNCE_MS = 500;

/**
 * How long a replaced store stays open: a request that started on it finishes on it (Discord wants an
 * answer within 3 s, and shutdown waits 5 s for replies), so it is closed well after the last could.
 */
export const RETIRE_MS = 30_000;

/**
 * Names in the data directory that are not data: the bot's own cache and database files (`*.sqlite*`,
 * `*.db*`, with their `-wal`, `-journal` and temporary siblings), dot-files, and editors' temporary
 * and backup files. A write to one of them reloads nothing.
 */
const NOT_DATA = /^\.|~$|\.(?:tmp|swp|swx)$|\.(?:sqlite|db)(?:[-.].*)?$/i;

export function isDataFileName(name: string): boolean {
	return !NOT_DATA.test(name);
}

/**
 * The store being served, and its reloads: one at a time; a reload asked for while one runs makes
 * exactly one more run after it (however many were asked for), so the last change is always loaded.
 * A reload that fails, or finds no film at all (a manifest that is not valid JSON, or emptied by a
 * save still under way), keeps the old store; one whose data version is unchanged swaps nothing.
 */
export class LiveStore<S extends Versioned> {
	#served: Served<S>;
	#running: Promise<void> | undefined;
	/** The trigger of the reload asked for while one runs, if any. */
	#again: string | undefined;
	#closed = false;
	/** Replaced stores still open for the requests that started on them, with their closing timers. */
	readonly #retired = new Map<S, NodeJS.Timeout>();

	constructor(
		initial: Served<S>,
		private readonly load: () => Promise<Loaded<S>>,
		private readonly logger: Logger,
		/** Told what each reload did (the metrics). */
		private readonly onReload: (outcome: ReloadOutcome) => void = () => {},
	) {
		this.#served = initial;
	}

	get current(): S {
		return this.#served.store;
	}

	/** Reloads now, or once more after the reload under way. Resolves when no reload is left to run. */
	reload(trigger: string): Promise<void> {
		if (this.#closed) return Promise.resolve();
		if (this.#running !== undefined) {
			this.#again = trigger;
			return this.#running;
		}
		this.#running = (async () => {
			let next: string | undefined = trigger;
			while (next !== undefined && !this.#closed) {
				this.#again = undefined;
				await this.#reloadOnce(next);
				next = this.#again;
			}
		})().finally(() => {
			this.#running = undefined;
		});
		return this.#running;
	}

	/** No more reloads; resolves once the one under way has finished, and closes every store it holds. */
	async close(): Promise<void> {
		this.#closed = true;
		await this.#running;
		for (const [store, timer] of this.#retired) {
			clearTimeout(timer);
			store.close();
		}
		this.#retired.clear();
		this.#served.store.close();
	}

	/** Closes `store` once the requests that may have started on it are over. */
	#retire(store: S): void {
		const timer = setTimeout(() => {
			this.#retired.delete(store);
			store.close();
		}, RETIRE_MS).unref();
		this.#retired.set(store, timer);
	}

	async #reloadOnce(trigger: string): Promise<void> {
		const started = performance.now();
		const old = this.#served;
		let loaded: Loaded<S>;
		try {
			loaded = await this.load();
		} catch (error) {
			this.logger.error({ err: error }, 'the store loader threw');
			loaded = { ok: false, message: 'the loader failed (see the log above)' };
		}
		const ms = Math.round(performance.now() - started);
		if (!loaded.ok || loaded.films === 0) {
			if (loaded.ok) loaded.store.close();
			const reason = loaded.ok ? 'the new data has no films (is films.json valid?)' : loaded.message;
			this.logger.warn({ trigger, version: old.store.version, ms, reason }, `reload failed, the old data keeps serving: ${reason}`);
			this.onReload('failed');
			return;
		}
		const fields = {
			trigger,
			oldVersion: old.store.version,
			version: loaded.store.version,
			films: loaded.films,
			errors: loaded.errors,
			ms,
		};
		if (loaded.store.version === old.store.version) {
			loaded.store.close();
			this.logger.info(fields, 'reload: data unchanged');
			this.onReload('unchanged');
			return;
		}
		this.#served = loaded;
		this.#retire(old.store);
		this.logger.info(fields, 'store reloaded');
		this.onReload('reloaded');
	}
}

/**
 * Watches `dir` (node's `fs.watch` on the directory) and calls `onChange` with the last file name seen
 * once it has been quiet for `debounceMs` after a change to a data file. `rearm` watches the directory
 * again if it was replaced (a new inode at the same path) or the watch failed. The watcher does not
 * keep the process alive. Where the file system gives no events (some network mounts), SIGHUP reloads.
 */
export class DataDirWatcher {
	#watcher: FSWatcher | undefined;
	#watched: string | undefined;
	#timer: NodeJS.Timeout | undefined;
	#changed = '';
	#stopped = false;

	constructor(
		private readonly dir: string,
		private readonly onChange: (changed: string) => void,
		private readonly logger: Logger,
		private readonly debounceMs = RELOAD_DEBOUNCE_MS,
	) {
		this.rearm();
	}

	/** Watches the directory at `dir` unless it is the one already watched. */
	rearm(): void {
		if (this.#stopped) return;
		const identity = this.#identity();
		if (identity !== undefined && identity === this.#watched && this.#watcher !== undefined) return;
		this.#watcher?.close();
		this.#watcher = undefined;
		this.#watched = undefined;
		if (identity === undefined) return;
		try {
			const watcher = watch(this.dir, { persistent: false }, (_event, name) => this.#seen(name));
			watcher.on('error', (error) => {
				this.logger.warn({ err: error, dir: this.dir }, 'watching the data directory stopped; SIGHUP still reloads');
				watcher.close();
				if (this.#watcher === watcher) this.#watcher = undefined;
			});
			this.#watcher = watcher;
			this.#watched = identity;
		} catch (error) {
			this.logger.warn({ err: error, dir: this.dir }, 'cannot watch the data directory; SIGHUP still reloads');
		}
	}

	stop(): void {
		this.#stopped = true;
		clearTimeout(this.#timer);
		this.#watcher?.close();
		this.#watcher = undefined;
	}

	#seen(name: string | null): void {
		if (this.#stopped || (name !== null && !isDataFileName(name))) return;
		// The directory itself was removed or moved (the event names it): watch whatever is at `dir` after the reload.
		if (name === basename(this.dir)) this.#watched = undefined;
		this.#changed = name ?? '';
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => this.onChange(this.#changed), this.debounceMs);
	}

	/** The directory's device and inode, or undefined when there is none at `dir`. */
	#identity(): string | undefined {
		const stats = statSync(this.dir, { throwIfNoEntry: false });
		return stats?.isDirectory() === true ? `${stats.dev}:${stats.ino}` : undefined;
	}
}

/**
 * Live reload of `live` from `dir`: on a change there (debounced) and on SIGHUP from `events`. After
 * each reload the watcher is re-armed, so a data directory that was replaced is watched again. Both
 * stop at the first stop signal (the bot is shutting down) or when the returned function is called;
 * the reload under way is awaited by `live.close()`.
 */
export function startLiveReload<S extends Versioned>(
	live: LiveStore<S>,
	dir: string,
	events: NodeJS.EventEmitter,
	logger: Logger,
	debounceMs = RELOAD_DEBOUNCE_MS,
): () => void {
	const reload = (trigger: string): void => {
		void live.reload(trigger).then(() => watcher.rearm());
	};
	const watcher = new DataDirWatcher(dir, (changed) => reload(changed === '' ? 'watch' : `watch:${changed}`), logger, debounceMs);
	const onHangup = (): void => {
		logger.info({ signal: 'SIGHUP' }, 'reloading the data');
		reload('SIGHUP');
	};
	const stop = (): void => {
		events.off('SIGHUP', onHangup);
		for (const signal of SIGNALS) events.off(signal, stop);
		watcher.stop();
	};
	events.on('SIGHUP', onHangup);
	for (const signal of SIGNALS) events.on(signal, stop);
	return stop;
}
