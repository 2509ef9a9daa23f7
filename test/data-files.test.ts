import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { loadDataDir } from '../src/domain/load.js';
import { StoreData } from '../src/domain/schema.js';
import { tempDir } from './helpers.js';

/**
 * Files in the data directory that are not regular files inside it: a FIFO, symlinks to /dev/zero and
 * /etc/passwd, a directory, a page over MAX_PAGE_MB. Each is one `file:0: reason` problem and the rest
 * loads, for the bot and for the data tools alike. A FIFO or /dev/zero used to hang the loader (or fill
 * memory), so those run in child processes killed after a while: a hang fails the test, never the suite.
 */

/** One IMDb block, six lines. */
const block = (title: string, author: string) =>
	`8/10\n${title}\n${author}\nBody of ${title}.\n3 out of 4 found this helpful. Was this review helpful? Sign in to vote.\nPermalink\n`;
const GOOD = block('Fine', 'bob12 March 2020') + block('Also fine', 'ann3 May 2011');
const MB = 1024 * 1024;

/** A valid IMDb page of exactly `bytes` bytes (blocks, then blank lines). */
function pageOf(bytes: number): string {
	const one = block('Again', 'cy4 June 2012');
	const text = one.repeat(Math.floor(bytes / one.length));
	return text + '\n'.repeat(bytes - text.length);
}

const film = (id: string, file = `${id}.txt`) => ({
	id,
	title: id[0]?.toUpperCase() + id.slice(1),
	year: 2001,
	sources: [{ file, layout: 'imdb' }],
});

/** A data dir: the manifest names `ids` in order (page `<id>.txt` each); `setup` makes the pages. */
function dataDir(ids: readonly string[], setup: (dir: string) => void): string {
	const dir = tempDir();
	writeFileSync(join(dir, 'films.json'), JSON.stringify({ films: ids.map((id) => film(id)) }, null, '\t'));
	setup(dir);
	return dir;
}

const reason = (id: string, why: string) => `file named by film "${id}" cannot be read: ${why}`;
const OUTSIDE = 'a symlink to a file outside the data directory';

/** The hostile directory: every kind of bad page, between good ones (the FIFO first: on a blocking read it stops everything). */
function hostileDir(): string {
	return dataDir(['fifo', 'good', 'zero', 'passwd', 'folder', 'big', 'linked'], (dir) => {
		execFileSync('mkfifo', [join(dir, 'fifo.txt')]);
		writeFileSync(join(dir, 'good.txt'), GOOD);
		symlinkSync('/dev/zero', join(dir, 'zero.txt'));
		symlinkSync('/etc/passwd', join(dir, 'passwd.txt'));
		mkdirSync(join(dir, 'folder.txt'));
		writeFileSync(join(dir, 'big.txt'), pageOf(MB + 1));
		// A symlink to a page inside the data directory is followed.
		mkdirSync(join(dir, 'pages'));
		writeFileSync(join(dir, 'pages', 'linked.txt'), block('Linked', 'dee4 June 2012'));
		symlinkSync(join('pages', 'linked.txt'), join(dir, 'linked.txt'));
	});
}

/** The problems of `hostileDir()` with MAX_PAGE_MB=1, as `file:line: reason`. */
const HOSTILE_PROBLEMS = [
	`fifo.txt:0: ${reason('fifo', 'a FIFO, not a regular file')}`,
	`zero.txt:0: ${reason('zero', OUTSIDE)}`,
	`passwd.txt:0: ${reason('passwd', OUTSIDE)}`,
	`folder.txt:0: ${reason('folder', 'a directory, not a regular file')}`,
	`big.txt:0: ${reason('big', 'larger than MAX_PAGE_MB (1 MB)')}`,
];

interface Run {
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly stdout: string;
	readonly stderr: string;
}

/** A child process, killed after 15 s: a loader that hangs on a FIFO (or reads /dev/zero forever) fails here. */
function run(args: readonly string[], env: Record<string, string>, input = ''): Promise<Run> {
	return new Promise((resolve) => {
		const base: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
		const child = execFile(
			process.execPath,
			[...args],
			{ env: { ...base, ...env }, timeout: 15_000, killSignal: 'SIGKILL', maxBuffer: 16 * MB },
			(error, stdout, stderr) => {
				const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
				resolve({ code, signal: error?.signal ?? null, stdout, stderr });
			},
		);
		child.stdin?.end(input);
	});
}

const tool = (name: string, dir: string, env: Record<string, string> = {}) =>
	run(['--import', 'tsx', `src/cli/${name}.ts`, '--data', dir], env);
/** The bot as `npm start` runs it, in console mode (no token): it loads the store, answers `input`, exits. */
const bot = (dir: string, env: Record<string, string>, input: string) => run(['dist/src/main.js'], { DATA_DIR: dir, ...env }, input);

/** The `data error file:line: reason` warnings of the bot's JSON log. */
function dataErrors(stderr: string): string[] {
	return stderr
		.split('\n')
		.filter((l) => l.startsWith('{'))
		.map((l) => String((JSON.parse(l) as { msg?: unknown }).msg))
		.filter((m) => m.startsWith('data error '))
		.map((m) => m.slice('data error '.length));
}

describe.concurrent('pages that are not regular files inside the data directory', () => {
	it('the loader refuses a symlink out of the directory, a directory and a page over the cap; a symlink inside is followed', async () => {
		const dir = dataDir(['passwd', 'good', 'folder', 'big', 'linked', 'exact'], (d) => {
			symlinkSync('/etc/passwd', join(d, 'passwd.txt'));
			writeFileSync(join(d, 'good.txt'), GOOD);
			mkdirSync(join(d, 'folder.txt'));
			writeFileSync(join(d, 'big.txt'), pageOf(MB + 1));
			writeFileSync(join(d, 'target.txt'), block('Linked', 'dee4 June 2012'));
			symlinkSync('target.txt', join(d, 'linked.txt'));
			// Exactly the cap: read.
			writeFileSync(join(d, 'exact.txt'), pageOf(MB));
		});
		const data = await loadDataDir(dir, { maxPageMb: 1 });
		expect(StoreData.parse(data)).toEqual(data);
		expect(data.errors).toEqual([
			{ file: 'passwd.txt', line: 0, reason: reason('passwd', OUTSIDE) },
			{ file: 'folder.txt', line: 0, reason: reason('folder', 'a directory, not a regular file') },
			{ file: 'big.txt', line: 0, reason: reason('big', 'larger than MAX_PAGE_MB (1 MB)') },
		]);
		const counts = Object.fromEntries(data.films.map((f) => [f.film.id, f.userReviews.length]));
		expect(counts).toEqual({
			passwd: 0,
			good: 2,
			folder: 0,
			big: 0,
			linked: 1,
			exact: Math.floor(MB / block('Again', 'cy4 June 2012').length),
		});
		// The default cap (256 MB) reads the big page.
		expect((await loadDataDir(dir)).films.find((f) => f.film.id === 'big')?.userReviews.length).toBeGreaterThan(0);
	});

	it('data:check reports a FIFO, /dev/zero, /etc/passwd, a directory and an oversized page, and still checks the rest', async () => {
		const { code, signal, stdout, stderr } = await tool('data-check', hostileDir(), { MAX_PAGE_MB: '1' });
		expect(signal).toBeNull();
		expect(stderr).toBe('');
		expect(code).toBe(1);
		const lines = stdout.split('\n');
		expect(lines.filter((l) => /^\w+\.txt:\d+: /.test(l))).toEqual(HOSTILE_PROBLEMS);
		expect(lines).toContain('good.txt    imdb        2 user reviews (2 rated, 0 spoilers)');
		expect(lines).toContain('linked.txt  imdb        1 user review (1 rated, 0 spoilers)');
		expect(stdout).toMatch(/: 7 films, 3 reviews, 5 errors \(version [0-9a-f]{16}\)\n$/);
	}, 30_000);

	it('data:export keeps them as errors and exits 0', async () => {
		const { code, signal, stdout } = await tool('data-export', hostileDir(), { MAX_PAGE_MB: '1' });
		expect(signal).toBeNull();
		expect(code).toBe(0);
		const data = StoreData.parse(JSON.parse(stdout));
		expect(data.errors.map((e) => `${e.file}:${e.line}: ${e.reason}`)).toEqual(HOSTILE_PROBLEMS);
	}, 30_000);

	it('the bot starts with the good films and logs each bad page as a data error, from a store it builds and then from the one built', async () => {
		const dir = hostileDir();
		const db = join(tempDir(), 'reviews.db');
		for (const start of ['cold', 'warm']) {
			const { code, signal, stdout, stderr } = await bot(
				dir,
				{ CACHE_URL: 'memory', REVIEWS_DB: db, MAX_PAGE_MB: '1', LOG_LEVEL: 'debug' },
				'/reviews Good\n',
			);
			expect(signal, start).toBeNull();
			expect(code, start).toBe(0);
			expect(dataErrors(stderr), start).toEqual(HOSTILE_PROBLEMS);
			expect(stderr.includes('"msg":"review store built"'), start).toBe(start === 'cold');
			expect(stdout, start).toContain('Also fine');
		}
	}, 45_000);

	it('MAX_PAGE_MB is validated like the other numbers; the data tools read it too', async () => {
		const result = loadConfig({});
		expect(result.ok && result.config.MAX_PAGE_MB).toBe(256);
		const low = loadConfig({ MAX_PAGE_MB: '0' });
		expect(low.ok ? [] : low.errors).toEqual(['MAX_PAGE_MB: must be a whole number of megabytes from 1 to 512, got "0"']);
		const high = loadConfig({ MAX_PAGE_MB: '513' });
		expect(high.ok ? [] : high.errors).toEqual(['MAX_PAGE_MB: must be a whole number of megabytes from 1 to 512, got "513"']);
		const bad = await tool('data-check', 'data', { MAX_PAGE_MB: 'lots' });
		expect(bad).toMatchObject({
			code: 2,
			stdout: '',
			stderr: 'data:check: MAX_PAGE_MB: must be a whole number of megabytes from 1 to 512, got "lots"\n',
		});
	});
});

describe.concurrent('a films.json that is not a regular file is the same error as a missing one', () => {
	/** The same data dir, its films.json missing, a directory or a FIFO. */
	const manifests = {
		missing: (): string => tempDir(),
		directory: (): string => {
			const dir = tempDir();
			mkdirSync(join(dir, 'films.json'));
			return dir;
		},
		FIFO: (): string => {
			const dir = tempDir();
			execFileSync('mkfifo', [join(dir, 'films.json')]);
			return dir;
		},
	};
	const why = { missing: 'no such file', directory: 'a directory, not a regular file', FIFO: 'a FIFO, not a regular file' };

	it.each(Object.keys(manifests) as (keyof typeof manifests)[])(
		'%s: the bot exits 1 with one line',
		async (kind) => {
			const dir = manifests[kind]();
			const { code, signal, stderr } = await bot(dir, { CACHE_URL: `sqlite://${join(dir, 'cache.sqlite')}` }, '/reviews Good\n');
			expect(signal).toBeNull();
			expect(code).toBe(1);
			expect(stderr).toBe(`The data directory "${dir}" has no readable films.json (${why[kind]}); it lists the films to load.\n`);
		},
		30_000,
	);

	it.each(Object.keys(manifests) as (keyof typeof manifests)[])(
		'%s: data:check and data:export exit 1 with one line',
		async (kind) => {
			const dir = manifests[kind]();
			for (const name of ['data-check', 'data-export']) {
				const { code, signal, stdout, stderr } = await tool(name, dir);
				expect(signal, name).toBeNull();
				expect({ code, stdout, stderr }, name).toEqual({
					code: 1,
					stdout: '',
					stderr: `${name.replace('-', ':')}: cannot read ${join(dir, 'films.json')}: ${why[kind]}\n`,
				});
			}
		},
		45_000,
	);
});
