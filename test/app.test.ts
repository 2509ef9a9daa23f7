// Start-up of the app (src/app.ts, as `npm start` runs it): the console without a token, the gateway with
// one, config problems, and the drain of replies under way at shutdown.
import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain, startApp } from '../src/app.js';
import { startFakeDiscord } from './fake-discord/index.js';

function runMain(env: Record<string, string>, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const base: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
		const child = execFile(
			process.execPath,
			['dist/src/main.js'],
			{ env: { ...base, ...env }, timeout: 30_000 },
			(error, stdout, stderr) => {
				const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
				resolve({ code, stdout, stderr });
			},
		);
		child.stdin?.end(input);
	});
}

describe('npm start without a token (child process)', () => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'marquee-console-'));
	});
	afterAll(async () => {
		await rm(dir, { recursive: true, force: true });
	});

	it.each([
		['memory', () => 'memory'],
		['sqlite', () => `sqlite://${dir}/c.sqlite`],
	])('answers piped commands and exits 0 (%s cache)', async (_name, cacheUrl) => {
		const { code, stdout, stderr } = await runMain({ CACHE_URL: cacheUrl(), DATA_DIR: 'data' }, '/reviews Pusher II\n/critic murray\n');
		expect(code).toBe(0);
		expect(stderr).toContain('No DISCORD_TOKEN set: opening the local console');
		expect(stdout).toContain('7.7/10');
		expect(stdout).toContain('[Next ▶]');
		expect(stdout).toContain('Noel Murray');
		expect(stdout).not.toContain('marquee>');
	});

	it('exits 1 with one line per config problem, and on an unreadable data dir', async () => {
		const bad = await runMain({ CACHE_URL: 'nope', CACHE_TTL_SECONDS: '-1' }, '');
		expect(bad.code).toBe(1);
		expect(bad.stderr).toMatch(/CACHE_URL: /);
		expect(bad.stderr).toMatch(/CACHE_TTL_SECONDS: /);
		const missing = await runMain({ CACHE_URL: 'memory', DATA_DIR: join(dir, 'absent') }, '');
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/Cannot read the data directory/);
	});
});

describe('startApp, in process', () => {
	function streams() {
		const stdin = new PassThrough();
		const stdout = new PassThrough();
		const stderr = new PassThrough();
		const logs = new PassThrough();
		const text = { out: '', err: '', logs: '' };
		stdout.on('data', (c: Buffer) => (text.out += c.toString()));
		stderr.on('data', (c: Buffer) => (text.err += c.toString()));
		logs.on('data', (c: Buffer) => (text.logs += c.toString()));
		const events = new EventEmitter();
		return { io: { stdin, stdout, stderr, logDestination: logs, events, exit: () => {} }, text, events, stdin };
	}

	it('runs the console without a token and ends at a signal', async () => {
		const { io, text, events, stdin } = streams();
		const done = startApp({ CACHE_URL: 'memory', DATA_DIR: 'data' }, { ...io, interactive: false });
		stdin.write('/critic murray\n');
		await expect.poll(() => text.out, { timeout: 5000 }).toContain('Noel Murray');
		events.emit('SIGTERM', 'SIGTERM');
		expect(await done).toBe(0);
		expect(text.err).toContain('No DISCORD_TOKEN set: opening the local console (type /help).');
	});

	it('drain waits for replies under way, including ones added meanwhile, within its bound', async () => {
		// As attachDispatcher does: each job removes itself from the set when it settles.
		const inFlight = new Set<Promise<unknown>>();
		const track = (p: Promise<unknown>): void => {
			const job: Promise<unknown> = p.finally(() => inFlight.delete(job));
			inFlight.add(job);
		};
		const later = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
		track(later(30).then(() => track(later(30))));
		const started = Date.now();
		expect(await drain(inFlight, 2000)).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(50);
		track(new Promise(() => {}));
		expect(await drain(inFlight, 50)).toBe(false);
	});

	it('exits 1 with each config problem on stderr', async () => {
		const { io, text } = streams();
		expect(await startApp({ CACHE_TTL_SECONDS: 'soon', LOG_LEVEL: 'loud' }, io)).toBe(1);
		expect(text.err).toMatch(/^ {2}CACHE_TTL_SECONDS: /m);
		expect(text.err).toMatch(/^ {2}LOG_LEVEL: /m);
	});

	it('answers on the fake Discord and shuts down cleanly on SIGTERM', async () => {
		const app = '123456789012345678';
		const fake = await startFakeDiscord({ applicationId: app });
		const { io, text, events } = streams();
		try {
			const done = startApp(
				{ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: app, DISCORD_API_BASE: fake.apiBase, CACHE_URL: 'memory', DATA_DIR: 'data' },
				io,
			);
			await expect.poll(() => text.logs, { timeout: 10_000 }).toContain('"msg":"clientReady"');
			const reply = await fake.slash('reviews', { film: 'Pusher II' });
			expect(JSON.stringify(reply.message)).toContain('7.7/10');
			events.emit('SIGTERM', 'SIGTERM');
			expect(await done).toBe(0);
			expect(text.logs).toContain('"msg":"shut down"');
			fake.assertNoViolations();
		} finally {
			await fake.close();
		}
	});
});
