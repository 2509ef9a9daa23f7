import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as dataCheck } from '../src/cli/data-check.js';
import { main as dataExport } from '../src/cli/data-export.js';
import type { Main } from '../src/cli/tool.js';
import { loadDataDir } from '../src/domain/load.js';
import { StoreData } from '../src/domain/schema.js';

/** A data tool in this process, its output captured; the environment is only what a test gives it. */
async function run(
	main: Main,
	args: readonly string[],
	env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
	const text = { stdout: '', stderr: '' };
	const code = await main(args, {
		env,
		stdout: { write: (t: string) => (text.stdout += t) },
		stderr: { write: (t: string) => (text.stderr += t) },
	});
	return { code, ...text };
}

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
	writeFileSync(
		join(broken, 'good.txt'),
		'9/10\nFine\nbob12 March 2020\nWarning: Spoilers\nBody.\n1 out of 2 found this helpful.\nPermalink\n',
	);
	writeFileSync(
		join(broken, 'bad.txt'),
		'Generally favorable reviews - based on 2 Critics\nCritic Reviews\n  1. 150\n    Too much.\n  2. Reviewed by: Ann\n    Jul 1, 2013\n    Fine.\n',
	);
});
afterAll(() => rmSync(broken, { recursive: true, force: true }));

describe.concurrent('data:check', () => {
	it('passes the seed data, with counts for both files', async () => {
		const { code, stdout, stderr } = await run(dataCheck, ['--data', 'data']);
		expect(stderr).toBe('');
		expect(code).toBe(0);
		expect(stdout).toMatch(/^pusher-1996\.critics\.metacritic\.txt +metacritic +11 critic reviews \(1 scored, 2 uncredited\)$/m);
		expect(stdout).toMatch(/^pusher-ii-2004\.users\.imdb\.txt +imdb +25 user reviews \(24 rated, 2 spoilers\)$/m);
		expect(stdout).toMatch(/^data: 2 films, 36 reviews, 0 errors \(version [0-9a-f]{16}\)$/m);
	});

	it('defaults to DATA_DIR', async () => {
		const { code, stdout } = await run(dataCheck, [], { DATA_DIR: broken });
		expect(code).toBe(1);
		expect(stdout).toContain('good.txt');
	});

	it("fails a dir with one broken file, printing file:line: reason and the good file's counts", async () => {
		const { code, stdout } = await run(dataCheck, ['--data', broken]);
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
		const bad = await run(dataCheck, ['--dta', 'data']);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/usage: data:check \[--data DIR\]/);
		const missing = await run(dataCheck, ['--data', join(broken, 'nope')]);
		expect(missing.code).toBe(1);
		expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^data:check: .*nope: no such data directory$/)]);
		expect(missing.stdout).toBe('');
	});
});

describe.concurrent('data:export', () => {
	it('prints the seed store as StoreData JSON, equal to loadDataDir', async () => {
		const { code, stdout } = await run(dataExport, ['--data', 'data']);
		expect(code).toBe(0);
		const printed: unknown = JSON.parse(stdout);
		expect(StoreData.parse(printed)).toEqual(await loadDataDir('data'));
	});

	it('keeps data errors in the output and exits 0', async () => {
		const { code, stdout } = await run(dataExport, ['--data', broken]);
		expect(code).toBe(0);
		const data = StoreData.parse(JSON.parse(stdout));
		expect(data.errors).toEqual([{ file: 'bad.txt', line: 3, reason: 'review 1: score 150 is not on the 0-100 scale' }]);
		expect(data).toEqual(await loadDataDir(broken));
	});

	it('exits 1 when the dir cannot be read, 2 on bad flags', async () => {
		const missing = await run(dataExport, ['--data', join(broken, 'nope')]);
		expect(missing).toMatchObject({ code: 1, stdout: '' });
		expect(missing.stderr).toMatch(/^data:export: .*nope: no such data directory\n$/);
		expect((await run(dataExport, ['extra'])).code).toBe(2);
	});
});

describe('a data tool as npm run starts it', () => {
	it('the built data:check (node dist/src/cli/data-check.js) prints its report and exits with its code', async () => {
		const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
			const child = execFile(process.execPath, ['dist/src/cli/data-check.js', '--data', broken], (_error, stdout, stderr) =>
				resolve({ code: child.exitCode, stdout, stderr }),
			);
		});
		expect(stderr).toBe('');
		expect(code).toBe(1);
		expect(stdout).toContain('\nbad.txt:3: review 1: score 150 is not on the 0-100 scale\n');
	});
});
