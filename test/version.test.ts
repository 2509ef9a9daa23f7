import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDataDir } from '../src/domain/load.js';

const dirs: string[] = [];
afterEach(async () => {
	await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function copyOfData(): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'marquee-version-'));
	dirs.push(dir);
	await cp('data', dir, { recursive: true, filter: (src) => !src.includes('cache.sqlite') });
	return dir;
}

describe('the data version hash', () => {
	it('is stable: the same files give the same version, wherever they are', async () => {
		const a = await loadDataDir('data');
		const b = await loadDataDir(await copyOfData());
		expect(a.version).toMatch(/^[0-9a-f]{16}$/);
		expect(b.version).toBe(a.version);
	});

	it('changes when any page or the manifest changes, even by one character', async () => {
		const base = (await loadDataDir('data')).version;
		const page = await copyOfData();
		const file = join(page, 'pusher-ii-2004.users.imdb.txt');
		await writeFile(file, (await readFile(file, 'utf8')).replace('54 out of 62', '55 out of 62'));
		expect((await loadDataDir(page)).version).not.toBe(base);
		const manifest = await copyOfData();
		const films = join(manifest, 'films.json');
		await writeFile(films, (await readFile(films, 'utf8')).replace('"Pusher 2"', '"Pusher Two"'));
		expect((await loadDataDir(manifest)).version).not.toBe(base);
	});
});
