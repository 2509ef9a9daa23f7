import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataDir } from '../src/domain/load.js';
import { StoreData } from '../src/domain/schema.js';

/** The data CLIs as child processes, the way `npm run data:check` / `data:export` run them. */
const run = (script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> =>
	new Promise((resolve) => {
		const options = { env: { ...process.env, ...env }, maxBuffer: 32 * 1024 * 1024 };
		execFile(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], options, (error, stdout, stderr) => {
			resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
		});
	});

let broken: string;
beforeAll(() => {
	broken = mkdtempSync(join(tmpdir(), 'marquee-cli-'));
	const manifest = {
		films: [
			{ id: 'good', title: 'Good', year: 2001, sources: [{ file: 'good.txt', layout: 'imdb' }] },
			{ id: 'bad', title: 'Bad', year: 2002, sources: [{ file: 'bad.txt', layout: 'metacritic' }] },
		],
	};
	writeFileSync(join(broken, 'films.json'), JSON.stringify(manifest, null, '\t'));
	writeFileSync(join(broken, 'good.txt'), '9/10\nFine\nbob12 March 2020\nWarning: Spoilers\nBody.\n1 out of 2 found this helpful.\nPermalink\n');
	writeFileSync(join(broken, 'bad.txt'), 'Generally favorable reviews - based on 2 Critics\nCritic Reviews\n  1. 150\n    Too much.\n  2. Reviewed by: Ann\n    Jul 1, 2013\n    Fine.\n');
});
afterAll(() => rmSync(broken, { recursive: true, force: true }));

describe.concurrent('data:check', () => {
	it('passes the seed data, with counts for both files', async () => {
		const { code, stdout, stderr } = await run('data-check', ['--data', 'data']);
		expect(stderr).toBe('');
		expect(code).toBe(0);
		expect(stdout).toMatch(/^pusher-1996\.critics\.metacritic\.txt +metacritic +11 critic reviews \(1 scored, 2 uncredited\)$/m);
		expect(stdout).toMatch(/^pusher-ii-2004\.users\.imdb\.txt +imdb +25 user reviews \(24 rated, 2 spoilers\)$/m);
		expect(stdout).toMatch(/^data: 2 films, 36 reviews, 0 errors \(version [0-9a-f]{16}\)$/m);
	});

	it('defaults to DATA_DIR', async () => {
		const { code, stdout } = await run('data-check', [], { DATA_DIR: broken });
		expect(code).toBe(1);
		expect(stdout).toContain('good.txt');
	});

	it('fails a dir with one broken file, printing file:line: reason and the good file\'s counts', async () => {
		const { code, stdout } = await run('data-check', ['--data', broken]);
		expect(code).toBe(1);
		expect(stdout.split('\n')).toEqual([
			'good.txt  imdb        1 user review (1 rated, 1 spoiler)',
			'bad.txt   metacritic  1 critic review (0 scored, 0 uncredited)',
			'',
			'bad.txt:3: review 1: score 150 is not on the 0-100 scale',
			'',
			expect.stringMatching(/^.*marquee-cli-\w+: 2 films, 2 reviews, 1 error \(version [0-9a-f]{16}\)$/),
			'',
		]);
	});

	it('unknown flags print usage and exit 2; a missing dir is one line, no stack trace', async () => {
		const bad = await run('data-check', ['--dta', 'data']);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/usage: data:check \[--data DIR\]/);
		const missing = await run('data-check', ['--data', join(broken, 'nope')]);
		expect(missing.code).toBe(1);
		expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^data:check: .*nope: no such data directory$/)]);
		expect(missing.stdout).toBe('');
	});
});

describe.concurrent('data:export', () => {
	it('prints the seed store as StoreData JSON, equal to loadDataDir', async () => {
		const { code, stdout } = await run('data-export', ['--data', 'data']);
		expect(code).toBe(0);
		const printed: unknown = JSON.parse(stdout);
		expect(StoreData.parse(printed)).toEqual(await loadDataDir('data'));
	});

	it('keeps data errors in the output and exits 0', async () => {
		const { code, stdout } = await run('data-export', ['--data', broken]);
		expect(code).toBe(0);
		const data = StoreData.parse(JSON.parse(stdout));
		expect(data.errors).toEqual([{ file: 'bad.txt', line: 3, reason: 'review 1: score 150 is not on the 0-100 scale' }]);
		expect(data).toEqual(await loadDataDir(broken));
	});

	it('exits 1 when the dir cannot be read, 2 on bad flags', async () => {
		const missing = await run('data-export', ['--data', join(broken, 'nope')]);
		expect(missing).toMatchObject({ code: 1, stdout: '' });
		expect(missing.stderr).toMatch(/^data:export: .*nope: no such data directory\n$/);
		expect((await run('data-export', ['extra'])).code).toBe(2);
	});
});
