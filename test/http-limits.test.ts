// Issue #9 item 3: the HTTP endpoint is not held by unsigned, stalled or trickled requests. Real
// sockets against the real server: each test asserts what the client receives and that the server
// closes the connection, with short limits so nothing waits long.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { request, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInteractionsServer, type HttpLimits } from '../src/discord/http.js';
import { memoryCache, seedStore } from './helpers.js';

const pair = generateKeyPairSync('ed25519');
const privateKey: KeyObject = pair.privateKey;
const publicHex = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

const LogLine = z.record(z.string(), z.unknown());
type LogLine = z.infer<typeof LogLine>;
const servers: Server[] = [];
afterEach(async () => {
	await Promise.all(
		servers.splice(0).map(
			(s) =>
				new Promise<void>((resolve) => {
					s.closeAllConnections();
					s.close(() => resolve());
				}),
		),
	);
});

async function start(limits: Partial<HttpLimits> = {}): Promise<{ port: number; server: Server; logs: LogLine[] }> {
	const logs: LogLine[] = [];
	const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(LogLine.parse(JSON.parse(line))) });
	const server = createInteractionsServer(publicHex, { store: await seedStore(), cache: await memoryCache(), logger }, new Set(), limits);
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	return { port: address.port, server, logs };
}

/** A raw connection: what the server sent, and a promise of everything it sent once it closed the connection (or 'still open' after `waitMs`). */
function raw(port: number, initial: string): { socket: Socket; closed: (waitMs?: number) => Promise<string> } {
	const socket = connect(port, '127.0.0.1');
	let received = '';
	socket.on('data', (chunk: Buffer) => {
		received += chunk.toString('latin1');
	});
	// The server may reset a connection whose body it never read; that is a close too.
	socket.on('error', () => {});
	const ended = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
	socket.write(initial);
	return {
		socket,
		closed: (waitMs = 3000) =>
			Promise.race([
				ended,
				new Promise<string>((resolve) => setTimeout(() => resolve(`still open after ${waitMs} ms; received: ${received}`), waitMs).unref()),
			]),
	};
}

const head = (headers: Record<string, string | number>): string =>
	`POST /interactions HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
		.map(([k, v]) => `${k}: ${v}\r\n`)
		.join('')}\r\n`;
/** Headers shaped like Discord's (a 128-hex-digit signature, a timestamp) but not signing anything. */
const forged = { 'x-signature-ed25519': 'ab'.repeat(64), 'x-signature-timestamp': '1700000000' };

/** A signed POST over a fresh connection (no keep-alive, so it holds no connection afterwards). */
function signedPost(port: number, body: string): Promise<{ status: number; json: unknown }> {
	const timestamp = String(Math.floor(Date.now() / 1000));
	const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port,
				path: '/interactions',
				method: 'POST',
				agent: false,
				headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
			},
			(res) => {
				let text = '';
				res.on('data', (chunk: Buffer) => {
					text += chunk.toString('utf8');
				});
				res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

const statusOf = (response: string): string => response.split('\r\n')[0] ?? '';
const above = (logs: LogLine[], level: number): LogLine[] => logs.filter((l) => typeof l['level'] === 'number' && l['level'] > level);

describe('HTTP endpoint limits', () => {
	it('refuses missing or malformed signature headers with 401 before reading the body, and closes the connection', async () => {
		const { port, logs } = await start();
		const cases = [
			{},
			{ 'x-signature-timestamp': '1700000000' },
			{ 'x-signature-ed25519': 'ab'.repeat(64) },
			{ 'x-signature-ed25519': 'zz'.repeat(64), 'x-signature-timestamp': '1700000000' },
			{ 'x-signature-ed25519': 'ab'.repeat(63), 'x-signature-timestamp': '1700000000' },
			{ 'x-signature-ed25519': 'ab'.repeat(64), 'x-signature-timestamp': 'soon' },
		];
		// Each declares a body of 1 MB − 1 byte and sends 10 bytes of it: the answer must not wait for the rest.
		const answers = await Promise.all(
			cases.map((headers) => raw(port, `${head({ ...headers, 'content-length': (1 << 20) - 1 })}{"type":1,`).closed()),
		);
		for (const answer of answers) {
			expect(statusOf(answer)).toBe('HTTP/1.1 401 Unauthorized');
			expect(answer).toMatch(/\r\nconnection: close\r\n/i);
			expect(answer.endsWith('\r\n\r\n{"error":"invalid request signature"}')).toBe(true);
		}
		expect(above(logs, 20)).toEqual([]);
		expect(logs.filter((l) => l['reason'] === 'missing or malformed signature headers')).toHaveLength(cases.length);
	});

	it('refuses a declared body over 1 MB with 413 before reading it, and a chunked one once it passes 1 MB', async () => {
		const { port } = await start();
		const answer = await raw(port, `${head({ ...forged, 'content-length': (1 << 20) + 1 })}{`).closed();
		expect(statusOf(answer)).toBe('HTTP/1.1 413 Payload Too Large');
		const chunked = raw(port, head({ ...forged, 'transfer-encoding': 'chunked' }));
		for (let i = 0; i < 17; i++) chunked.socket.write(`10000\r\n${'a'.repeat(0x10000)}\r\n`);
		expect(statusOf(await chunked.closed())).toBe('HTTP/1.1 413 Payload Too Large');
	});

	it('closes a connection whose headers stall with 408', async () => {
		const { port } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 300 });
		const answer = await raw(port, 'POST /interactions HTTP/1.1\r\nHost: 127.0.0.1\r\nx-signature-').closed();
		expect(statusOf(answer)).toBe('HTTP/1.1 408 Request Timeout');
	});

	it('closes a connection whose body is trickled with 408, and logs it at debug without a stack', async () => {
		const { port, logs } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 400 });
		const conn = raw(port, `${head({ ...forged, 'content-length': 1000 })}{`);
		const trickle = setInterval(() => conn.socket.write(' '), 50);
		const answer = await conn.closed();
		clearInterval(trickle);
		expect(statusOf(answer)).toBe('HTTP/1.1 408 Request Timeout');
		await expect.poll(() => logs.filter((l) => l['reason'] === 'request body not received').length).toBe(1);
		expect(above(logs, 20)).toEqual([]);
	});

	it('logs bodies aborted mid-way at debug, one short line each, no stack', async () => {
		const { port, server, logs } = await start();
		let requests = 0;
		server.on('request', () => requests++);
		const conns = Array.from({ length: 20 }, () => raw(port, `${head({ ...forged, 'content-length': 1000 })}${'{'.repeat(500)}`));
		// Aborted once the server is reading each body.
		await expect.poll(() => requests).toBe(20);
		for (const conn of conns) conn.socket.destroy();
		const aborted = () => logs.filter((l) => l['reason'] === 'request body not received');
		await expect.poll(() => aborted().length).toBe(20);
		expect(above(logs, 20)).toEqual([]);
		for (const line of aborted()) {
			expect(line['level']).toBe(20);
			expect(line).not.toHaveProperty('err');
			expect(JSON.stringify(line).length).toBeLessThan(300);
		}
	});

	it('caps open connections; a signed request answers beside stalled ones, and again once they time out', async () => {
		const { port, server } = await start({ headersTimeoutMs: 2000, requestTimeoutMs: 2000, maxConnections: 4 });
		const stalled = Array.from({ length: 3 }, () => raw(port, 'POST /interactions HTTP/1.1\r\n'));
		// Unsigned bodies are refused at once, so one after another they never hold the last connection.
		for (let i = 0; i < 10; i++)
			expect(statusOf(await raw(port, `${head({ 'content-length': 100_000 })}{`).closed())).toBe('HTTP/1.1 401 Unauthorized');
		expect(await signedPost(port, '{"type":1}')).toEqual({ status: 200, json: { type: 1 } });

		stalled.push(raw(port, 'POST /interactions HTTP/1.1\r\n'));
		await expect.poll(() => new Promise<number>((resolve) => server.getConnections((_, n) => resolve(n)))).toBe(4);
		// Over the cap: the server drops the connection without an answer.
		expect(await raw(port, head(forged)).closed()).toBe('');
		for (const conn of stalled) expect(statusOf(await conn.closed())).toBe('HTTP/1.1 408 Request Timeout');
		expect(await signedPost(port, '{"type":1}')).toEqual({ status: 200, json: { type: 1 } });
	});

	it('answers options nested deeper than Discord nests them (three levels) with 400, and logs no error', async () => {
		const { port, logs } = await start();
		// Built as text: JSON.stringify itself recurses.
		const nested = (depth: number): string => {
			let option = '{"name":"film","type":3,"value":"pus","focused":true}';
			for (let i = 1; i < depth; i++) option = `{"name":"g","type":1,"options":[${option}]}`;
			return `{"type":4,"data":{"name":"quote","options":[${option}]},"channel":{"id":"200000000000000001"},"member":{"user":{"id":"100000000000000001"}}}`;
		};
		for (const depth of [4, 1000, 30_000]) {
			const body = nested(depth);
			expect(body.length).toBeLessThan(1 << 20);
			const response = await signedPost(port, body);
			expect(response).toEqual({ status: 400, json: { error: 'not an interaction' } });
		}
		// Three levels (group > subcommand > option) is still an interaction; /quote has no group `g`, so no choices.
		expect(await signedPost(port, nested(3))).toEqual({ status: 200, json: { type: 8, data: { choices: [] } } });
		expect(above(logs, 30)).toEqual([]);
	});
});
