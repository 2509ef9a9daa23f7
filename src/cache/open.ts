// Opening the Keyv store a CACHE_URL names: in memory, a SQLite file (WAL) or Redis, probed before use.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import { BoundedMap } from '../bounded-map.js';
import type { CacheOptions } from './types.js';
import type { CacheUrl } from '../config.js';
import { withTimeout } from './guard.js';

const NAMESPACE = 'marquee';

export interface OpenedStore {
	readonly keyv: Keyv;
	readonly close: () => Promise<void>;
}

/** An in-process store of at most `maxMemoryEntries` (default 10 000; oldest dropped first). */
export function memoryKeyv(opts: CacheOptions): Keyv {
	const store = new BoundedMap<string, unknown>(opts.maxMemoryEntries ?? 10_000);
	return new Keyv({ store, namespace: opts.namespace ?? NAMESPACE, throwOnErrors: true });
}

/** Opens and probes a SQLite or Redis store within `openTimeoutMs` (default 3000 ms), or rejects with the reason. */
export async function openStore(target: Exclude<CacheUrl, { kind: 'memory' }>, opts: CacheOptions): Promise<OpenedStore> {
	const namespace = opts.namespace ?? NAMESPACE;
	const openMs = opts.openTimeoutMs ?? 3000;
	return target.kind === 'sqlite' ? openSqlite(target.file, namespace, openMs, opts) : openRedis(target.url, namespace, openMs);
}

async function openSqlite(file: string, namespace: string, openMs: number, opts: CacheOptions): Promise<OpenedStore> {
	if (file !== ':memory:') await mkdir(dirname(file), { recursive: true });

	const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 1000 });
	// The adapter opens the database in its constructor and its connection promise rejects with
	// nobody listening unless a query follows at once; on Node 20 that unhandled rejection kills
	// the process. So the first query is issued synchronously, before any await.
	const journal: Promise<unknown> = store.query('PRAGMA journal_mode = WAL');
	const keyv = new Keyv({ store, namespace, throwOnErrors: true });
	keyv.on('error', () => {}); // failures surface as rejections below
	const close = async (): Promise<void> => store.disconnect();
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

async function openRedis(url: string, namespace: string, openMs: number): Promise<OpenedStore> {
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
		await withTimeout(probe(keyv), openMs, 'probe');
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
