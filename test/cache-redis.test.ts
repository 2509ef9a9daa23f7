import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../src/cache.js';
import { createLogger } from '../src/log.js';
import { freePort, hasRedisServer, type Redis, startRedis } from './redis-server.js';

const hasRedis = hasRedisServer();
if (!hasRedis) {
	console.warn('redis-server is not on PATH: skipping the redis cache tests (apt-get install -y redis-server to run them)');
}

const LogLine = z.object({ level: z.number(), msg: z.string(), cache: z.string().optional(), reason: z.string().optional() });
type LogLine = z.infer<typeof LogLine>;

function captureLogger() {
	const lines: LogLine[] = [];
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			for (const text of chunk.toString('utf8').split('\n')) {
				if (text.trim() !== '') lines.push(LogLine.parse(JSON.parse(text)));
			}
			done();
		},
	});
	return { logger: createLogger('debug', stream), lines, warnings: () => lines.filter((line) => line.level === 40) };
}

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const Film = z.object({ title: z.string(), year: z.number().int() });
const PUSHER = { title: 'Pusher', year: 1996 };

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const opened: Cache[] = [];

beforeAll(() => {
	process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
	process.off('unhandledRejection', onUnhandled);
});
afterEach(async () => {
	await Promise.all(opened.splice(0).map(async (cache) => cache.close()));
	await sleep(50);
	expect(unhandled).toEqual([]);
});

async function open(url: string, extra: Partial<Parameters<typeof openCache>[1]> = {}) {
	const log = captureLogger();
	const cache = await openCache({ kind: 'redis', url }, { ttlMs: 60_000, logger: log.logger, ...extra });
	opened.push(cache);
	return { cache, ...log };
}

describe.skipIf(!hasRedis)('redis cache', () => {
	let server: Redis | undefined;
	let url = '';

	beforeAll(async () => {
		server = await startRedis();
		url = server.url;
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('two caches (two bot processes) share values', async () => {
		// Waiting for every read (not just 1 ms), so a's write is on its way before b reads however busy the machine is.
		const a = await open(url, { waitMs: 5000 });
		const b = await open(url, { waitMs: 5000 });
		expect(a.cache.kind).toBe('redis');
		expect(b.cache.kind).toBe('redis');
		expect(await b.cache.get('film:1', Film)).toBeUndefined();
		await a.cache.set('film:1', PUSHER);
		expect(await b.cache.get('film:1', Film)).toEqual(PUSHER);
		let calls = 0;
		const compute = () => {
			calls++;
			return { title: 'Pusher II', year: 2004 };
		};
		expect((await a.cache.getOrCompute('film:2', Film, compute)).hit).toBe(false);
		expect((await b.cache.getOrCompute('film:2', Film, compute)).hit).toBe(true);
		expect(calls).toBe(1);
		expect(a.warnings()).toEqual([]);
		expect(b.warnings()).toEqual([]);
	});

	it('expires entries after their TTL', async () => {
		const { cache } = await open(url, { ttlMs: 80 });
		await cache.set('short', PUSHER);
		expect(await cache.get('short', Film)).toEqual(PUSHER);
		await sleep(150);
		expect(await cache.get('short', Film)).toBeUndefined();
	});

	it('keeps namespaces apart and treats schema-invalid values as misses', async () => {
		const a = await open(url, { namespace: 'one' });
		const b = await open(url, { namespace: 'two' });
		await a.cache.set('k', PUSHER);
		expect(await b.cache.get('k', Film)).toBeUndefined();
		await b.cache.set('k', { title: 'Pusher', year: 'ninety-six' });
		expect(await b.cache.get('k', Film)).toBeUndefined();
		expect(await a.cache.get('k', Film)).toEqual(PUSHER);
	});

	it('close() twice is fine', async () => {
		const { cache } = await open(url);
		await cache.set('k', PUSHER);
		await cache.close();
		await cache.close();
		const again = await open(url);
		expect(await again.cache.get('k', Film)).toEqual(PUSHER);
	});
});

describe.skipIf(!hasRedis)('redis cache failures', () => {
	it('a URL pointing at a closed port falls back to memory, quickly, and stops trying', async () => {
		const port = await freePort();
		const started = Date.now();
		const { cache, warnings } = await open(`redis://127.0.0.1:${port}`);
		expect(Date.now() - started).toBeLessThan(3000);
		expect(cache.kind).toBe('memory');
		expect(cache.stats.degraded).toBe(true);
		expect(await cache.getOrCompute('k', Film, () => PUSHER)).toEqual({ value: PUSHER, hit: false });
		expect(await cache.getOrCompute('k', Film, () => PUSHER)).toEqual({ value: PUSHER, hit: true });
		expect(warnings()).toHaveLength(1);
		expect(warnings()[0]).toMatchObject({ cache: 'redis' });
		expect(warnings()[0]?.reason).toMatch(/ECONNREFUSED|not connected/);

		// No client left reconnecting in the background: once the port listens, nothing connects to it
		// (a reconnect with the backoff, 100 ms doubling, would within 700 ms) and nothing new is logged.
		let connections = 0;
		const listener = createServer((socket) => {
			connections++;
			socket.destroy();
		});
		await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
		await sleep(700);
		await new Promise((resolve) => listener.close(resolve));
		expect(connections).toBe(0);
		expect(warnings()).toHaveLength(1);
	});

	it('a server that goes away mid-run: replies are computed, one warning, and it recovers when the server is back', async () => {
		const port = await freePort();
		let server: Redis | undefined = await startRedis(port);
		try {
			const { cache, warnings, lines } = await open(`redis://127.0.0.1:${port}`, { retryAfterMs: 0 });
			expect(cache.kind).toBe('redis');
			await cache.set('k', PUSHER);

			await server?.stop();
			server = undefined;
			await sleep(100);
			const started = Date.now();
			for (let i = 0; i < 5; i++) {
				expect(await cache.getOrCompute(`down:${i}`, Film, () => PUSHER)).toEqual({ value: PUSHER, hit: false });
			}
			expect(Date.now() - started).toBeLessThan(5 * 2 * 600);
			expect(cache.stats.degraded).toBe(true);
			expect(cache.stats.errors).toBeGreaterThanOrEqual(5);
			expect(warnings()).toHaveLength(1);

			server = await startRedis(port);
			// The client reconnects in the background (backoff capped at 5 s); a fresh server is empty.
			const deadline = Date.now() + 10_000;
			let hit = false;
			while (!hit && Date.now() < deadline) {
				await cache.set('back', PUSHER);
				hit = (await cache.get('back', Film)) !== undefined;
				if (!hit) await sleep(200);
			}
			expect(hit).toBe(true);
			expect(cache.stats.degraded).toBe(false);
			expect(lines.some((line) => line.msg === 'cache recovered')).toBe(true);
		} finally {
			await Promise.all(opened.splice(0).map(async (cache) => cache.close()));
			await server?.stop();
		}
	});
});
