// `npm ci --omit=dev`, then the built bot: the production dependencies alone run dist/ (no TypeScript, no
// tsx, no pino-pretty). The install is offline, from npm's cache (when the cache lacks a package the test
// says so and skips), with install scripts ignored, so the compiled addons of better-sqlite3 and sqlite3 are
// copied in from this checkout's node_modules. And the check `npm start` runs first (scripts/check-build.js).
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { tempDir } from './helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Ran {
	readonly code: number | null;
	readonly stdout: string;
	readonly stderr: string;
}

/** Runs `command` in `cwd` to its end, with `input` on its stdin. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env, input = ''): Promise<Ran> {
	return new Promise((resolve) => {
		const child = execFile(command, args, { cwd, env, timeout: 60_000 }, (_error, stdout, stderr) =>
			resolve({ code: child.exitCode, stdout, stderr }),
		);
		child.stdin?.end(input);
	});
}

/** The bot as `npm start` runs it, in `dir`, with only the environment a fresh machine would give it and `env`. */
const bot = (dir: string, env: Record<string, string>, input: string): Promise<Ran> =>
	run(process.execPath, ['dist/src/main.js'], dir, { PATH: process.env['PATH'], CACHE_URL: 'memory', ...env }, input);

describe('npm ci --omit=dev, then the built bot', () => {
	let dir = '';
	/** Why the install could not be made here, when it could not. */
	let skipped: string | undefined;

	beforeAll(async () => {
		dir = tempDir('marquee-install-');
		for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, file), join(dir, file));
		for (const sub of ['dist', 'scripts']) cpSync(join(ROOT, sub), join(dir, sub), { recursive: true });
		// The seed data, without the store or cache a local run leaves beside it.
		cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true, filter: (src) => !/\.(?:sqlite|db)/.test(src) });
		const ci = await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'], dir);
		if (ci.code !== 0 && /ENOTCACHED/.test(ci.stderr)) {
			skipped = "npm's cache lacks a package of package-lock.json (run npm ci online once): the install is not tested";
			process.stderr.write(`install.test.ts: ${skipped}\n`);
			return;
		}
		expect(ci.stderr).toBe('');
		expect(ci.code).toBe(0);
		// Scripts were ignored: the addons better-sqlite3 (the review store) and sqlite3 (the cache's SQLite store)
		// compile at install, from this checkout's own install.
		for (const [name, addon] of [
			['better-sqlite3', 'better_sqlite3.node'],
			['sqlite3', 'node_sqlite3.node'],
		] as const) {
			const release = join('node_modules', name, 'build', 'Release');
			mkdirSync(join(dir, release), { recursive: true });
			copyFileSync(join(ROOT, release, addon), join(dir, release, addon));
		}
	}, 120_000);

	const needsInstall = (ctx: TestContext): void => {
		if (skipped !== undefined) ctx.skip(skipped);
	};

	it('installs no dev dependency, and its build step says in one line that it builds nothing', async (ctx) => {
		needsInstall(ctx);
		expect(['typescript', 'tsx', 'pino-pretty', 'vitest'].filter((name) => existsSync(join(dir, 'node_modules', name)))).toEqual([]);
		expect(existsSync(join(dir, 'node_modules', 'discord.js'))).toBe(true);
		expect(await run(process.execPath, ['scripts/prepare.js'], dir)).toEqual({
			code: 0,
			stdout: 'prepare: TypeScript is not installed (an install without dev dependencies): dist/ is not built here.\n',
			stderr: '',
		});
	});

	it('the built bot opens the local console without a token and answers /reviews', async (ctx) => {
		needsInstall(ctx);
		const { code, stdout, stderr } = await bot(dir, {}, '/reviews Pusher II\n');
		expect(stderr).toBe('No DISCORD_TOKEN set: opening the local console (type /help).\n');
		expect(code).toBe(0);
		expect(stdout).toContain('== Pusher II (2004) == (green)\n');
		expect(stdout).toContain('    7.7/10 from 24 ratings · 25 reviews here (of 44 on the site)\n');
	});

	it('refuses LOG_FORMAT=pretty there, with one config line, as pino-pretty is a dev dependency', async (ctx) => {
		needsInstall(ctx);
		expect(await bot(dir, { LOG_FORMAT: 'pretty' }, '')).toEqual({
			code: 1,
			stdout: '',
			stderr:
				'Marquee cannot start: the configuration has problems.\n' +
				'  LOG_FORMAT: pretty needs pino-pretty, a dev dependency this install does not have (npm ci --omit=dev): unset LOG_FORMAT or set json\n',
		});
	});
});

describe('the check before npm start (scripts/check-build.js)', () => {
	it('says to run npm run build when dist/ is missing or older than a source, and lets an up-to-date build run', async () => {
		const dir = tempDir('marquee-check-');
		mkdirSync(join(dir, 'scripts'));
		copyFileSync(join(ROOT, 'scripts', 'check-build.js'), join(dir, 'scripts', 'check-build.js'));
		writeFileSync(join(dir, 'tsconfig.build.json'), JSON.stringify({ include: ['src', 'commands'] }));
		mkdirSync(join(dir, 'src', 'cli'), { recursive: true });
		writeFileSync(join(dir, 'src', 'cli', 'tool.ts'), '');
		writeFileSync(join(dir, 'src', 'notes.md'), '');
		const check = (): Promise<Ran> => run(process.execPath, ['scripts/check-build.js'], dir);
		expect(await check()).toEqual({ code: 1, stdout: '', stderr: 'Marquee is not built (no dist/): run npm run build.\n' });
		mkdirSync(join(dir, 'dist'));
		writeFileSync(join(dir, 'dist', '.tsbuildinfo'), '');
		const [before, built, after] = [new Date(2026, 0, 1), new Date(2026, 0, 2), new Date(2026, 0, 3)];
		for (const file of ['tsconfig.build.json', 'src/cli/tool.ts']) utimesSync(join(dir, file), before, before);
		utimesSync(join(dir, 'dist', '.tsbuildinfo'), built, built);
		// Only sources count: a newer note beside them does not.
		utimesSync(join(dir, 'src', 'notes.md'), after, after);
		expect(await check()).toEqual({ code: 0, stdout: '', stderr: '' });
		utimesSync(join(dir, 'src', 'cli', 'tool.ts'), after, after);
		expect(await check()).toEqual({
			code: 1,
			stdout: '',
			stderr: `The build in dist/ is older than ${join('src', 'cli', 'tool.ts')}: run npm run build.\n`,
		});
	});
});
