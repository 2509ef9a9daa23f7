// The operations endpoints (METRICS_PORT) of the real app, started as `npm start` starts it: in console mode and in
// HTTP mode, with real interactions, a real reload and a real shutdown.
import { generateKeyPairSync, sign } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startApp } from '../src/app.js';
import { opsPort } from '../src/ops/server.js';
import { startFakeDiscord } from './fake-discord/index.js';
import { CHANNEL } from './helpers.js';
import { freePort } from './redis-server.js';

function app(env: Record<string, string>) {
	const stdin = new PassThrough();
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	const text = { out: '', err: '' };
	stdout.on('data', (c: Buffer) => (text.out += c.toString()));
	stderr.on('data', (c: Buffer) => (text.err += c.toString()));
	const events = new EventEmitter();
	const io = { stdin, stdout, stderr, events, logDestination: new PassThrough(), interactive: false, exit: () => {} };
	return { done: startApp({ CACHE_URL: 'memory', DATA_DIR: 'data', ...env }, io), stdin, text, events };
}

async function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string | null; body: string }> {
	const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
	return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

/** The value of the metric line starting with `series` (name and labels exactly), or undefined. */
function sample(metrics: string, series: string): string | undefined {
	return metrics
		.split('\n')
		.find((l) => l.startsWith(`${series} `))
		?.slice(series.length + 1);
}

describe('the operations endpoints of the app', () => {
	it('in console mode: alive, ready with the store and cache checks, and exact interaction and reload counts', async () => {
		const port = await freePort();
		const bot = app({ METRICS_PORT: String(port) });
		await expect.poll(() => get(port, '/readyz').then((r) => r.status), { timeout: 10_000 }).toBe(200);

		expect(await get(port, '/healthz')).toEqual({ status: 200, type: 'application/json', body: '{"status":"alive"}\n' });
		// The member database opens in the background (and is not needed to be ready).
		await expect.poll(() => get(port, '/readyz').then((r) => r.body), { timeout: 10_000 }).toContain('"sqlite, available"');
		const ready = (await get(port, '/readyz')).body;
		const version = /"open, version ([0-9a-f]+), 2 films"/.exec(ready)?.[1];
		expect(JSON.parse(ready)).toEqual({
			ready: true,
			phase: 'ready',
			checks: {
				store: { ok: true, detail: `open, version ${version}, 2 films` },
				cache: { ok: true, detail: 'memory' },
				members: { ok: true, detail: 'sqlite, available' },
			},
		});

		bot.stdin.write('/reviews Pusher II\n/reviews film:Pusher II\n/reviews Zzqqxx\n/critic murray\n');
		await expect
			.poll(
				() =>
					get(port, '/metrics').then((r) => sample(r.body, 'marquee_interaction_duration_seconds_count{type="command",command="critic"}')),
				{ timeout: 10_000 },
			)
			.toBe('1');
		bot.events.emit('SIGHUP', 'SIGHUP');
		await expect
			.poll(() => get(port, '/metrics').then((r) => sample(r.body, 'marquee_store_reloads_total{outcome="unchanged"}')), {
				timeout: 10_000,
			})
			.toBe('1');

		const metrics = await get(port, '/metrics');
		expect(metrics.status).toBe(200);
		expect(metrics.type).toBe('text/plain; version=0.0.4; charset=utf-8');
		const expected: Record<string, string> = {
			'marquee_interactions_total{type="command",command="reviews",outcome="ok"}': '2',
			'marquee_interactions_total{type="command",command="reviews",outcome="user_error"}': '1',
			'marquee_interactions_total{type="command",command="critic",outcome="ok"}': '1',
			'marquee_interaction_duration_seconds_count{type="command",command="reviews"}': '3',
			// The first /reviews of Pusher II computes its overview, the second finds it; /critic computes its own.
			'marquee_cache_results_total{result="miss"}': '2',
			'marquee_cache_results_total{result="hit"}': '1',
			'marquee_cache_results_total{result="failure"}': '0',
			'marquee_store_reloads_total{outcome="reloaded"}': '0',
			'marquee_store_reloads_total{outcome="failed"}': '0',
			[`marquee_store_info{version="${version}"}`]: '1',
			marquee_store_films: '2',
			'marquee_store_reviews{kind="user"}': '25',
			'marquee_store_reviews{kind="critic"}': '11',
		};
		for (const [series, value] of Object.entries(expected)) expect([series, sample(metrics.body, series)]).toEqual([series, value]);
		expect(metrics.body).toMatch(/^process_cpu_user_seconds_total \d/m);
		expect(metrics.body).toMatch(/^nodejs_heap_size_used_bytes \d/m);

		expect((await get(port, '/')).status).toBe(404);
		expect((await get(port, '/metrics/extra')).status).toBe(404);
		expect((await get(port, '/metrics', 'POST')).status).toBe(404);

		bot.events.emit('SIGTERM', 'SIGTERM');
		expect(await bot.done).toBe(0);
		await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
	});

	it('in HTTP mode: the endpoint check, refused interactions counted, and 503 from /readyz while replies are drained at shutdown', async () => {
		const [httpPort, port] = [await freePort(), await freePort()];
		const pair = generateKeyPairSync('ed25519');
		const publicHex = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
		const bot = app({ METRICS_PORT: String(port), HTTP_PORT: String(httpPort), DISCORD_PUBLIC_KEY: publicHex });
		await expect.poll(() => get(port, '/readyz').then((r) => r.status), { timeout: 10_000 }).toBe(200);
		expect(JSON.parse((await get(port, '/readyz')).body)).toMatchObject({
			ready: true,
			phase: 'ready',
			checks: { http: { ok: true, detail: `serving POST /interactions on port ${httpPort}` } },
		});

		// An interaction from a user id that is no Discord id: dispatch refuses it.
		const body = JSON.stringify({
			type: 2,
			data: { name: 'reviews', options: [{ name: 'film', type: 3, value: 'Pusher' }] },
			channel: { id: CHANNEL },
			member: { user: { id: 'someone' } },
		});
		const timestamp = '1700000000';
		const signature = sign(null, Buffer.from(timestamp + body), pair.privateKey).toString('hex');
		const res = await fetch(`http://127.0.0.1:${httpPort}/interactions`, {
			method: 'POST',
			body,
			headers: { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
		});
		expect(res.status).toBe(200);
		expect(
			sample((await get(port, '/metrics')).body, 'marquee_interactions_total{type="command",command="reviews",outcome="refused"}'),
		).toBe('1');

		// A request under way (its body not sent yet) holds the shutdown in its wait for replies.
		const socket = connect(httpPort, '127.0.0.1');
		socket.on('error', () => {});
		await new Promise<void>((resolve) => socket.once('connect', resolve));
		socket.write(
			`POST /interactions HTTP/1.1\r\nHost: bot\r\nx-signature-ed25519: ${'ab'.repeat(64)}\r\nx-signature-timestamp: ${timestamp}\r\ncontent-length: 100\r\n\r\n{`,
		);
		await new Promise((resolve) => setTimeout(resolve, 100));
		bot.events.emit('SIGTERM', 'SIGTERM');
		const stopping = await get(port, '/readyz');
		expect(stopping.status).toBe(503);
		expect(JSON.parse(stopping.body)).toMatchObject({ ready: false, phase: 'stopping', checks: { http: { ok: false, detail: 'closed' } } });
		expect((await get(port, '/healthz')).status).toBe(200);
		socket.destroy();
		expect(await bot.done).toBe(0);
	});

	it('on the gateway: ready once logged in with every shard connected, and the interaction counted', async () => {
		const application = '123456789012345678';
		const fake = await startFakeDiscord({ applicationId: application });
		const port = await freePort();
		try {
			const bot = app({
				METRICS_PORT: String(port),
				DISCORD_TOKEN: fake.token,
				DISCORD_APPLICATION_ID: application,
				DISCORD_API_BASE: fake.apiBase,
			});
			await expect.poll(() => get(port, '/readyz').then((r) => r.status), { timeout: 10_000 }).toBe(200);
			expect(JSON.parse((await get(port, '/readyz')).body)).toMatchObject({
				ready: true,
				phase: 'ready',
				checks: { gateway: { ok: true, detail: 'logged in, 1 of 1 shards connected' } },
			});
			await fake.slash('reviews', { film: 'Pusher II' });
			expect(sample((await get(port, '/metrics')).body, 'marquee_interactions_total{type="command",command="reviews",outcome="ok"}')).toBe(
				'1',
			);
			bot.events.emit('SIGTERM', 'SIGTERM');
			expect(await bot.done).toBe(0);
		} finally {
			await fake.close();
		}
	});

	it("refuses a METRICS_PORT that is no port, the HTTP endpoint's own or one in use, with one clear line", async () => {
		const bad = app({ METRICS_PORT: '70000' });
		expect(await bad.done).toBe(1);
		expect(bad.text.err).toBe(
			'Marquee cannot start: the configuration has problems.\n  METRICS_PORT: must be a TCP port from 1 to 65535, got "70000"\n',
		);
		const same = app({ METRICS_PORT: '8080', HTTP_PORT: '8080', DISCORD_PUBLIC_KEY: 'ab'.repeat(32) });
		expect(await same.done).toBe(1);
		expect(same.text.err).toBe(
			'Marquee cannot start: the configuration has problems.\n  METRICS_PORT: must differ from HTTP_PORT (8080): the operations endpoints are served apart from the interactions endpoint\n',
		);
		const taken = createServer();
		await new Promise<void>((resolve) => taken.listen(0, resolve));
		const address = taken.address();
		const port = typeof address === 'object' && address !== null ? address.port : 0;
		try {
			const busy = app({ METRICS_PORT: String(port) });
			expect(await busy.done).toBe(1);
			expect(busy.text.err).toBe(`Cannot serve the operations endpoints on port ${port} (METRICS_PORT): EADDRINUSE.\n`);
		} finally {
			await new Promise<void>((resolve) => taken.close(() => resolve()));
		}
	});

	it('serves shard N of `npm run start:sharded` on METRICS_PORT + N', () => {
		expect(opsPort(9100, {})).toBe(9100);
		expect(opsPort(9100, { SHARDING_MANAGER: 'true', SHARDS: '3' })).toBe(9103);
		expect(opsPort(65535, { SHARDING_MANAGER: 'true', SHARDS: '1' })).toBeUndefined();
	});
});
