// A stop request while the bot is still starting (the cache opening, the data loading) is a clean exit, not a kill.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGNAL_REPEAT_MS } from '../../src/signals.js';
import { killChildren, logLines, ROOT, spawnChild } from './harness.js';

/** A "Redis" that accepts connections and never answers: the bot's start stays in its cache-opening step (up to 3 s). */
async function stallingServer(): Promise<{ port: number; connected: Promise<void>; close: () => Promise<void> }> {
	const sockets = new Set<Socket>();
	let onConnect: () => void = () => {};
	const connected = new Promise<void>((resolve) => {
		onConnect = resolve;
	});
	const server: Server = createServer((socket) => {
		sockets.add(socket);
		socket.on('error', () => {});
		onConnect();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		port,
		connected,
		close: () => {
			for (const s of sockets) s.destroy();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

let stall: Awaited<ReturnType<typeof stallingServer>> | undefined;
afterEach(async () => {
	await killChildren();
	await stall?.close();
	stall = undefined;
});

async function startingBot() {
	stall = await stallingServer();
	const child = spawnChild(process.execPath, [join(ROOT, 'dist/src/main.js')], {
		CACHE_URL: `redis://127.0.0.1:${stall.port}`,
		DATA_DIR: 'data',
	});
	await stall.connected;
	return child;
}

describe('a signal during start-up', () => {
	it('SIGTERM while the cache opens: the start stops there and the process exits 0', async () => {
		const child = await startingBot();
		child.proc.kill('SIGTERM');
		expect(await child.exited).toEqual([0, null]);
		const messages = logLines(child.stderr).map((l) => l['msg']);
		expect(messages).toContain('stopping before the bot has started');
		expect(messages.at(-1)).toBe('stopped before starting');
		expect(child.stderr).not.toContain('opening the local console');
	});

	it('a second Ctrl-C (later than the repeat window) exits 1 at once, without waiting for the start', async () => {
		const child = await startingBot();
		child.proc.kill('SIGINT');
		await child.waitFor(/stopping before the bot has started/);
		await new Promise((resolve) => setTimeout(resolve, SIGNAL_REPEAT_MS + 100));
		child.proc.kill('SIGINT');
		expect(await child.exited).toEqual([1, null]);
		expect(logLines(child.stderr).map((l) => l['msg'])).toContain('second signal: exiting at once');
		expect(child.stderr).not.toContain('stopped before starting');
	});
});
