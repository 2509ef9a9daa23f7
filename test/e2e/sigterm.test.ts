// Scenario 5: SIGTERM while replies are in flight. The bot runs as `npm start` does (node dist/src/main.js) with a SQLite
// cache; its REST calls go through a small proxy that holds interaction callbacks, so replies are provably under way
// when the signal arrives. Every held reply must still reach Discord, the process must exit 0, and the cache file
// must be intact afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { pageKey } from '../../commands/render.js';
import { openCache } from '../../src/cache.js';
import { registerCommands } from '../../src/deploy.js';
import { nameKey } from '../../src/domain/text.js';
import { EmbedSchema } from '../../src/reply/reply.js';
import { type FakeDiscordServer, type InteractionRecord, startFakeDiscord } from '../fake-discord/index.js';
import { prop } from '../fake-discord/validate.js';
import {
	assertNoPing,
	buttonId,
	captureLogger,
	expectEmbedReply,
	expectHandlerReply,
	handlerChoices,
	killChildren,
	logLines,
	messageBodyOf,
	seedStore,
	spawnChild,
} from './harness.js';

/** An HTTP proxy to the fake's REST API that can hold interaction callbacks until released. */
class HoldingProxy {
	holding = false;
	readonly held: Array<{ path: string; forward: () => void }> = [];
	private readonly server: Server;
	private readonly waiters: Array<() => void> = [];

	constructor(private readonly target: string) {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const forward = (): void => {
					const upstream = request(`${this.target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (up) => {
						res.writeHead(up.statusCode ?? 502, up.headers);
						up.pipe(res);
					});
					upstream.on('error', () => res.destroy());
					upstream.end(Buffer.concat(chunks));
				};
				const path = req.url ?? '';
				if (this.holding && /^\/v10\/interactions\/\d+\/[^/]+\/callback/.test(path)) {
					this.held.push({ path, forward });
					for (const w of this.waiters.splice(0)) w();
				} else {
					forward();
				}
			});
		});
	}

	async listen(): Promise<string> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async waitForHeld(count: number, timeoutMs = 10_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (this.held.length < count) {
			if (Date.now() > deadline) throw new Error(`proxy: only ${this.held.length} of ${count} callbacks arrived`);
			await new Promise<void>((resolve) => {
				this.waiters.push(resolve);
				setTimeout(resolve, 100);
			});
		}
	}

	release(): void {
		this.holding = false;
		for (const h of this.held.splice(0)) h.forward();
	}

	close(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((resolve) => this.server.close(() => resolve()));
	}
}

const dirs: string[] = [];
let fake: FakeDiscordServer | undefined;
let proxy: HoldingProxy | undefined;

afterEach(async () => {
	await killChildren();
	await proxy?.close();
	proxy = undefined;
	await fake?.close();
	fake = undefined;
});
afterAll(() => {
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function integrityCheck(file: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (openError) => {
			if (openError) return reject(openError);
			db.get('PRAGMA integrity_check', (error: Error | null, row: unknown) => {
				db.close();
				if (error) reject(error);
				else resolve(String(prop(row, 'integrity_check')));
			});
		});
	});
}

describe('scenario 5: SIGTERM during traffic', () => {
	it('every reply under way is delivered, the process exits 0 and the SQLite cache is intact', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'marquee-e2e-sigterm-'));
		dirs.push(dir);
		const cacheFile = join(dir, 'cache.sqlite');
		fake = await startFakeDiscord();
		await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.apiBase });
		proxy = new HoldingProxy(fake.apiBase);
		const apiBase = await proxy.listen();
		const child = spawnChild(process.execPath, ['dist/src/main.js'], {
			DISCORD_TOKEN: fake.token,
			DISCORD_APPLICATION_ID: fake.applicationId,
			DISCORD_API_BASE: apiBase,
			CACHE_URL: `sqlite://${cacheFile}`,
			LOG_LEVEL: 'info',
		});
		await child.waitFor(/"msg":"clientReady"/);

		// Warm-up, not held: fills the cache and gives a message with page buttons.
		const store = await seedStore();
		const warm = await fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice' });
		await expectHandlerReply(warm, store);
		// (warm.message is the message's latest state: the Next click below turns its page.)
		const overviewTitle = warm.message.embeds[0]?.title;

		proxy.holding = true;
		const inFlight: Array<[string, Promise<InteractionRecord>]> = [
			['reviews', fake.slash('reviews', { film: 'Pusher' }, { user: 'bob' })],
			['critic', fake.slash('critic', { name: 'Noel Murray' })],
			['quote', fake.slash('quote', { film: 'Pusher II', kind: 'user' }, { subcommand: 'random' })],
			['next', fake.click(warm.message, buttonId(warm.message, 'Next ▶'), { user: 'alice' })],
			['autocomplete', fake.autocompleteRecord('reviews', 'film', 'pus')],
			['unknown', fake.slash('reviews', { film: 'Nope Nothing' })],
		];
		// All six replies have left the bot and are stuck on their way to Discord: they are in flight.
		await proxy.waitForHeld(inFlight.length);
		expect(child.proc.kill('SIGTERM')).toBe(true);
		await child.waitFor(/"msg":"shutting down"/, 5000);
		// The bot waits for them: it has not exited while they are held.
		await new Promise((resolve) => setTimeout(resolve, 400));
		expect(child.proc.exitCode).toBeNull();
		expect(child.stderr).not.toMatch(/"msg":"shut down"/);
		proxy.release();

		const records = await Promise.all(inFlight.map(([, p]) => p));
		const [code, signal] = await child.exited;
		expect({ code, signal }).toEqual({ code: 0, signal: null });

		for (const [i, r] of records.entries()) {
			const what = inFlight[i]![0];
			expect(r.responses, what).toHaveLength(1);
			expect(r.responses[0]?.status, what).toBeLessThan(300);
			if (r.responses[0]?.type !== 8) assertNoPing(messageBodyOf(r.responses[0]), what);
		}
		const [reviews, critic, quote, next, autocomplete, unknown] = records;
		// Each held reply arrived whole: what the handlers answer for the same input.
		for (const r of [reviews, critic, next, unknown]) await expectHandlerReply(r!, store);
		expectEmbedReply(quote!);
		expect(next!.responses[0]?.type).toBe(7);
		expect(autocomplete!.choices).toEqual(await handlerChoices(autocomplete!, store));
		expect(messageBodyOf(unknown!.responses[0]).flags).toBe(64);
		fake.assertNoViolations();

		const logs = logLines(child.stderr);
		const msgs = logs.map((l) => l['msg']);
		expect(logs.find((l) => l['msg'] === 'shutting down')?.['signal']).toBe('SIGTERM');
		expect(logs.find((l) => l['msg'] === 'replies under way finished')?.['pending']).toBe(inFlight.length);
		expect(msgs.indexOf('replies under way finished')).toBeLessThan(msgs.indexOf('shut down'));
		expect(logs.filter((l) => (l['level'] as number) >= 50)).toEqual([]);
		expect(logs.filter((l) => l['msg'] === 'interaction').length).toBe(inFlight.length + 1);

		// The cache file is intact and holds what the bot cached.
		expect(await integrityCheck(cacheFile)).toBe('ok');
		const { logger } = captureLogger();
		const cache = await openCache({ kind: 'sqlite', file: cacheFile }, { ttlMs: 60_000, logger });
		try {
			expect(cache.kind).toBe('sqlite');
			// The pages rendered before the signal and while it was handled (their writes finished before the exit).
			expect((await cache.get(pageKey('reviews', store, 'en', 'pusher-ii-2004', 'uh', 0), EmbedSchema))?.title).toBe(overviewTitle);
			expect((await cache.get(pageKey('reviews', store, 'en', 'pusher-1996', 'ch', 0), EmbedSchema))?.title).toBe(
				reviews!.message.embeds[0]?.title,
			);
			expect((await cache.get(pageKey('critic-page', store, 'en', nameKey('Noel Murray')), EmbedSchema))?.title).toBe(
				critic!.message.embeds[0]?.title,
			);
			expect(cache.stats.errors).toBe(0);
		} finally {
			await cache.close();
		}
	});
});
