// The README's set-up as a new user follows it: `cp .env.example .env`, fill in what it asks, start.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { deploy } from '../../src/deploy.js';
import { type FakeDiscordServer, startFakeDiscord } from '../fake-discord/index.js';
import { tempDir } from '../helpers.js';
import { expectHandlerReply, killChildren, logLines, ROOT, seedStore, spawnChild } from './harness.js';

const EXAMPLE = readFileSync(join(ROOT, '.env.example'), 'utf8');

let fake: FakeDiscordServer | undefined;

afterEach(async () => {
	await killChildren();
	await fake?.close();
	fake = undefined;
});

/** A fresh working directory holding a copy of the seed data and `.env.example` as `.env`, with `fill` set in it. */
function checkout(fill: Record<string, string> = {}): string {
	const dir = tempDir('marquee-env-');
	cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true, filter: (src) => !src.includes('.sqlite') });
	let env = EXAMPLE;
	for (const [name, value] of Object.entries(fill)) {
		const line = new RegExp(`^${name}=.*$`, 'm');
		expect(env).toMatch(line);
		env = env.replace(line, `${name}=${value}`);
	}
	writeFileSync(join(dir, '.env'), env);
	return dir;
}

/** The environment of a user's shell: none of Marquee's variables set (the test runner's own are dropped). */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const names = [...EXAMPLE.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
	const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
	for (const name of [...names, 'SHARDS', 'SHARDING_MANAGER']) if (name !== undefined && !(name in extra)) delete env[name];
	return env;
}

/** Runs `node <args>` in `cwd`, with `input` on stdin; resolves with its exit code and output. */
function runNode(
	args: string[],
	cwd: string,
	input: string,
	env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const proc = spawn(process.execPath, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		proc.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
		proc.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
		proc.on('error', reject);
		proc.on('close', (code) => resolve({ code, stdout, stderr }));
		proc.stdin.end(input);
	});
}

describe('.env.example copied as the README says', () => {
	it('with the token and application id filled in, the built bot reaches Discord and answers (SHARD_COUNT= empty is not a crash)', async () => {
		fake = await startFakeDiscord();
		const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
		expect(
			await deploy(
				{ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_BASE: fake.apiBase },
				{ stdout: sink, stderr: sink },
			),
		).toBe(0);
		const dir = checkout({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId });
		// Only the API base is the test's own: it points discord.js at the fake instead of discord.com.
		const child = spawnChild(process.execPath, [join(ROOT, 'dist/src/main.js')], { DISCORD_API_BASE: fake.apiBase }, dir);
		await child.waitFor(/"msg":"clientReady"/);
		expect(child.stderr).not.toMatch(/ClientInvalidOption|shardCount/);
		const ready = logLines(child.stderr).find((l) => l['msg'] === 'clientReady');
		// Unset SHARD_COUNT: Discord's recommendation (the fake recommends one shard).
		expect(ready?.['shards']).toEqual([0]);
		const r = await fake.slash('reviews', { film: 'Pusher II' });
		await expectHandlerReply(r, await seedStore());
		fake.assertNoViolations();
		// The cache file is where .env.example puts it, under the working directory's data/.
		expect(readFileSync(join(dir, 'data', 'cache.sqlite')).length).toBeGreaterThan(0);
	});

	it("SHARD_COUNT=auto and SHARD_COUNT=2 start one process that runs Discord's recommended or the given number of shards", async () => {
		fake = await startFakeDiscord({ shards: 2 });
		for (const [count, shards] of [
			['auto', [0, 1]],
			['2', [0, 1]],
		] as const) {
			const dir = checkout({
				DISCORD_TOKEN: fake.token,
				DISCORD_APPLICATION_ID: fake.applicationId,
				SHARD_COUNT: count,
				CACHE_URL: 'memory',
			});
			const child = spawnChild(process.execPath, [join(ROOT, 'dist/src/main.js')], { DISCORD_API_BASE: fake.apiBase }, dir);
			await child.waitFor(/"msg":"clientReady"/);
			expect(logLines(child.stderr).find((l) => l['msg'] === 'clientReady')?.['shards']).toEqual(shards);
			await killChildren();
		}
	});

	it('with no token, the console answers and prints no log lines between replies', async () => {
		const dir = checkout();
		const { code, stdout, stderr } = await runNode([join(ROOT, 'dist/src/main.js')], dir, '/reviews Pusher II\n', userEnv());
		expect(code).toBe(0);
		expect(stdout).toContain('== Pusher II (2004) ==');
		expect(stderr).toBe('No DISCORD_TOKEN set: opening the local console (type /help).\n');
	});

	it('data:check reads DATA_DIR from .env, as npm start does', async () => {
		const dir = checkout({ DATA_DIR: 'other-data' });
		mkdirSync(join(dir, 'other-data'));
		writeFileSync(
			join(dir, 'other-data', 'films.json'),
			JSON.stringify({ films: [{ id: 'bad', title: 'Bad', year: 2002, sources: [{ file: 'bad.txt', layout: 'metacritic' }] }] }),
		);
		writeFileSync(
			join(dir, 'other-data', 'bad.txt'),
			'Generally favorable reviews - based on 1 Critic\nCritic Reviews\n  1. 150\n    Too much.\n',
		);
		const { code, stdout } = await runNode(
			['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli/data-check.ts')],
			dir,
			'',
			userEnv(),
		);
		expect(stdout).toContain('bad.txt:3: review 1: score 150 is not on the 0-100 scale');
		expect(stdout).toMatch(/^other-data: 1 film, 0 reviews, 1 error /m);
		expect(code).toBe(1);
	});
});
