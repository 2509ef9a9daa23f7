import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filmIdOf, main } from '../src/cli/data-add.js';
import { main as check } from '../src/cli/data-check.js';
import { loadDataDir } from '../src/domain/load.js';
import { layoutOf } from '../src/domain/parse/layout.js';
import { tempDir } from './helpers.js';

const FIXTURES = join('test', 'fixtures');
const fixture = (name: string): string => join(FIXTURES, name);
const AMELIE_CRITICS = fixture('amelie-2001.critics.metacritic.txt');
const AMELIE_USERS = fixture('amelie-2001.users.imdb.txt');
const ZOE_CRITICS = fixture('zoe-2020.critics.metacritic.txt');
const ZOE_USERS = fixture('zoe-2020.users.imdb.txt');
const USAGE = 'usage: data:add --title TITLE --year YEAR [--id ID] [--alias ALIAS]... [--data DIR] PAGE...';

/** data:add in this process, its lines captured; the environment is only what a test gives it. */
function add(argv: readonly string[], env: Record<string, string> = {}): { code: number; out: string; err: string } {
	let out = '';
	let err = '';
	const code = main(argv, { env, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
	return { code, out, err };
}

/** A copy of the repository's data/ to add to. */
function dataCopy(): string {
	const dir = join(tempDir(), 'data');
	// The data as a fresh clone has it: not the cache or review database a local run leaves beside it.
	cpSync('data', dir, { recursive: true, filter: (src) => !/\.(?:sqlite|db)/.test(src) });
	return dir;
}

/** Every file of a directory and its bytes: what "nothing changed" compares. */
function contents(dir: string): Record<string, Buffer> {
	return Object.fromEntries(
		readdirSync(dir)
			.sort()
			.map((name) => [name, readFileSync(join(dir, name))]),
	);
}

/** A directory of pages named as a user might have saved them. */
function pages(files: Record<string, string>): string {
	const dir = tempDir();
	for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
	return dir;
}

const BAD_CRITICS =
	'Generally favorable reviews - based on 2 Critics\nCritic Reviews\n  1. 150\n    Too much.\n  2. Reviewed by: Ann\n    Jul 1, 2013\n    Fine.\n';

describe('data:add', () => {
	it("adds a film from a critic page and a user page: pages copied in, the entry appended in the manifest's style, the loader reads it", async () => {
		const dir = dataCopy();
		const before = readFileSync(join(dir, 'films.json'), 'utf8');
		const { code, out, err } = add([
			'--title',
			'Amélie',
			'--year',
			'2001',
			'--alias',
			"Le Fabuleux Destin d'Amélie Poulain",
			'--data',
			dir,
			AMELIE_CRITICS,
			AMELIE_USERS,
		]);
		expect(err).toBe('');
		expect(code).toBe(0);
		expect(out.split('\n')).toEqual([
			`amelie-2001.critics.metacritic.txt  metacritic  4 critic reviews (1 scored, 2 uncredited)  from ${AMELIE_CRITICS}`,
			`amelie-2001.users.imdb.txt          imdb        4 user reviews (3 rated, 1 spoiler)  from ${AMELIE_USERS}`,
			'',
			`${join(dir, 'films.json')}: added "amelie-2001" (Amélie, 2001), 8 reviews`,
			'',
		]);
		// The other entries byte for byte; the new one in data/films.json's style.
		expect(readFileSync(join(dir, 'films.json'), 'utf8')).toBe(
			before.replace(
				'\t\t}\n\t]\n}',
				[
					'\t\t},',
					'\t\t{',
					'\t\t\t"id": "amelie-2001",',
					'\t\t\t"title": "Amélie",',
					'\t\t\t"year": 2001,',
					'\t\t\t"aliases": ["Le Fabuleux Destin d\'Amélie Poulain"],',
					'\t\t\t"sources": [{ "file": "amelie-2001.critics.metacritic.txt", "layout": "metacritic" }, { "file": "amelie-2001.users.imdb.txt", "layout": "imdb" }]',
					'\t\t}',
					'\t]',
					'}',
				].join('\n'),
			),
		);
		expect(Object.keys(contents(dir))).toEqual([
			'amelie-2001.critics.metacritic.txt',
			'amelie-2001.users.imdb.txt',
			'films.json',
			'pusher-1996.critics.metacritic.txt',
			'pusher-ii-2004.users.imdb.txt',
		]);
		// The loader sees the same film the fixtures' own manifest describes, and the seed films unchanged.
		const [data, seed, fixtures] = await Promise.all([loadDataDir(dir), loadDataDir('data'), loadDataDir(FIXTURES)]);
		expect(data.errors).toEqual([]);
		expect(data.films.slice(0, -1)).toEqual(seed.films);
		const amelie = fixtures.films.find((f) => f.film.id === 'amelie-2001');
		expect(amelie?.criticReviews.length).toBe(4);
		expect(data.films.at(-1)).toEqual(amelie);
	});

	it("tells each page's layout from its content when the file names lie, reads DATA_DIR, and makes the id from the title", async () => {
		const dir = dataCopy();
		const src = tempDir();
		copyFileSync(ZOE_CRITICS, join(src, 'zoe.users.imdb.txt'));
		copyFileSync(ZOE_USERS, join(src, 'zoe.critics.metacritic.txt'));
		const { code, out } = add(
			['--title', 'Zoë || @everyone', '--year', '2020', join(src, 'zoe.critics.metacritic.txt'), join(src, 'zoe.users.imdb.txt')],
			{ DATA_DIR: dir },
		);
		expect(code).toBe(0);
		expect(out).toContain(
			`zoe-everyone-2020.users.imdb.txt          imdb        1 user review (0 rated, 0 spoilers)  from ${join(src, 'zoe.critics.metacritic.txt')}\n`,
		);
		expect(readFileSync(join(dir, 'zoe-everyone-2020.critics.metacritic.txt'), 'utf8')).toBe(readFileSync(ZOE_CRITICS, 'utf8'));
		expect(readFileSync(join(dir, 'zoe-everyone-2020.users.imdb.txt'), 'utf8')).toBe(readFileSync(ZOE_USERS, 'utf8'));
		const data = await loadDataDir(dir);
		expect(data.errors).toEqual([]);
		const zoe = data.films.find((f) => f.film.id === 'zoe-everyone-2020');
		expect(zoe?.film.sources).toEqual([
			{ file: 'zoe-everyone-2020.users.imdb.txt', layout: 'imdb' },
			{ file: 'zoe-everyone-2020.critics.metacritic.txt', layout: 'metacritic' },
		]);
		expect([zoe?.criticReviews.length, zoe?.userReviews.length, zoe?.consensus?.verdict]).toEqual([1, 1, 'Mixed or average reviews']);
	});

	it('makes ids that are valid slugs of at most 50 characters', () => {
		expect(filmIdOf('Pusher III', 2005)).toBe('pusher-iii-2005');
		expect(filmIdOf("I'm the Angel of Death: Pusher III", 2005)).toBe('im-the-angel-of-death-pusher-iii-2005');
		expect(filmIdOf('Amélie & Nino', 2001)).toBe('amelie-and-nino-2001');
		// Long titles are cut after a whole word, or inside a word longer than the room.
		expect(filmIdOf('The Assassination of Jesse James by the Coward Robert Ford', 2007)).toBe(
			'the-assassination-of-jesse-james-by-the-2007',
		);
		expect(filmIdOf('Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb', 1964)).toBe(
			'dr-strangelove-or-how-i-learned-to-stop-1964',
		);
		expect(filmIdOf('Aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeee', 2000)).toBe('aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeee-2000');
		expect(filmIdOf(`${'a'.repeat(20)} ${'b'.repeat(24)} c`, 2000)).toBe(`${'a'.repeat(20)}-${'b'.repeat(24)}-2000`);
		expect(filmIdOf('ゾーイ', 2020)).toBeUndefined();
	});

	it('refuses a page with problems with its file:line reasons, and changes nothing', () => {
		const dir = dataCopy();
		const before = contents(dir);
		const src = pages({
			'critics.txt': BAD_CRITICS,
			'users.txt': 'Fine\nbob12 March 2020\nBody.\n1 out of 2 found this helpful.\nPermalink\nNext\nann3 May 2011\nBody.\n',
		});
		const { code, out, err } = add([
			'--title',
			'Pusher III',
			'--year',
			'2005',
			'--data',
			dir,
			join(src, 'critics.txt'),
			join(src, 'users.txt'),
		]);
		expect({ code, out }).toEqual({ code: 1, out: '' });
		expect(err.split('\n')).toEqual([
			`${join(src, 'critics.txt')}:3: review 1: score 150 is not on the 0-100 scale`,
			`${join(src, 'users.txt')}:6: review block with no "Permalink" line after it (truncated page?)`,
			'data:add: nothing changed',
			'',
		]);
		expect(contents(dir)).toEqual(before);
	});

	it('refuses pages that cannot be read as the loader reads them, whose layout cannot be told, or two of one layout', () => {
		const dir = dataCopy();
		const before = contents(dir);
		const src = pages({ 'notes.txt': 'Just some notes\nabout a film.\n', 'empty.txt': '\n\n', 'big.txt': `${'x'.repeat(1024 * 1024)}\n` });
		mkdirSync(join(src, 'folder'));
		symlinkSync('/dev/zero', join(src, 'zero.txt'));
		const at = (name: string): string => join(src, name);
		const { code, err } = add(
			[
				'--title',
				'Pusher III',
				'--year',
				'2005',
				'--data',
				dir,
				...['notes.txt', 'empty.txt', 'big.txt', 'folder', 'zero.txt', 'missing.txt'].map(at),
				ZOE_USERS,
				AMELIE_USERS,
			],
			{ MAX_PAGE_MB: '1' },
		);
		expect(code).toBe(1);
		expect(err.split('\n')).toEqual([
			`${at('notes.txt')}:1: cannot tell the layout: neither a Metacritic critic page ("based on N Critics", "Reviewed by:") nor an IMDb user-review page ("found this helpful", "Permalink")`,
			`${at('empty.txt')}:1: empty file (only blank lines)`,
			`${at('big.txt')}:0: cannot be read: larger than MAX_PAGE_MB (1 MB)`,
			`${at('folder')}:0: cannot be read: a directory, not a regular file`,
			`${at('zero.txt')}:0: cannot be read: a character device, not a regular file`,
			`${at('missing.txt')}:0: cannot be read: no such file`,
			`${AMELIE_USERS}:0: a second imdb page (${ZOE_USERS} is one); a film added here takes one page of each layout`,
			'data:add: nothing changed',
			'',
		]);
		expect(contents(dir)).toEqual(before);
	});

	it('refuses an id, or a title and year, the manifest already has', () => {
		const dir = dataCopy();
		const before = contents(dir);
		const taken = add(['--title', 'Pusher', '--year', '1996', '--data', dir, ZOE_USERS]);
		expect(taken).toEqual({
			code: 1,
			out: '',
			err: 'data:add: films.json already has a film "pusher-1996" (Pusher, 1996); give another id with --id\ndata:add: nothing changed\n',
		});
		// "Pusher 2" is an alias of Pusher II (2004); the bot could not tell the two apart.
		const twin = add(['--title', 'Pusher 2', '--year', '2004', '--id', 'pusher-two', '--data', dir, ZOE_USERS]);
		expect(twin).toEqual({
			code: 1,
			out: '',
			err: 'data:add: films.json already has "Pusher 2" (2004) as film "pusher-ii-2004"\ndata:add: nothing changed\n',
		});
		const alias = add(['--title', 'Pusher III', '--year', '2004', '--alias', 'With Blood on My Hands', '--data', dir, ZOE_USERS]);
		expect(alias.err).toBe(
			'data:add: films.json already has "With Blood on My Hands" (2004) as film "pusher-ii-2004"\ndata:add: nothing changed\n',
		);
		expect(contents(dir)).toEqual(before);
		// The same title in another year is another film.
		expect(add(['--title', 'Pusher', '--year', '2012', '--data', dir, ZOE_USERS]).code).toBe(0);
	});

	it('refuses to add to a manifest with problems of its own', () => {
		const dir = tempDir();
		const manifest =
			'{\n\t"films": [\n\t\t{ "id": "a", "title": "A", "year": 2001, "sources": [{ "file": "a.txt", "layout": "imdb" }] },\n\t\t{ "id": "a", "title": "B", "year": 2002, "sources": [{ "file": "b.txt", "layout": "imdb" }] }\n\t]\n}\n';
		writeFileSync(join(dir, 'films.json'), manifest);
		const { code, err } = add(['--title', 'C', '--year', '2003', '--data', dir, ZOE_USERS]);
		expect(code).toBe(1);
		expect(err).toBe(
			`films.json:4: films[1]: duplicate id "a"\ndata:add: ${join(dir, 'films.json')} has problems; fix them first\ndata:add: nothing changed\n`,
		);
		expect(readdirSync(dir)).toEqual(['films.json']);
		expect(readFileSync(join(dir, 'films.json'), 'utf8')).toBe(manifest);
	});

	it("adds to an empty films array at the manifest's own indentation, keeping what follows it", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, 'films.json'), '{\n  "films": [],\n  "note": "kept"\n}\n');
		expect(add(['--title', 'Zoë', '--year', '2020', '--data', dir, ZOE_CRITICS]).code).toBe(0);
		expect(readFileSync(join(dir, 'films.json'), 'utf8')).toBe(
			'{\n  "films": [\n    {\n      "id": "zoe-2020",\n      "title": "Zoë",\n      "year": 2020,\n      "aliases": [],\n' +
				'      "sources": [{ "file": "zoe-2020.critics.metacritic.txt", "layout": "metacritic" }]\n    }\n  ],\n  "note": "kept"\n}\n',
		);
		expect((await loadDataDir(dir)).films.map((f) => [f.film.id, f.criticReviews.length])).toEqual([['zoe-2020', 1]]);
	});

	it('bad usage prints the problems and the usage and exits 2; --help exits 0', () => {
		expect(add([])).toEqual({ code: 2, out: '', err: `--title is required\n--year is required\nno PAGE given\n${USAGE}\n` });
		expect(add(['--title', 'X', '--year', 'MMV', ZOE_USERS])).toEqual({
			code: 2,
			out: '',
			err: `--year: expected a year like 2005, got "MMV"\n${USAGE}\n`,
		});
		expect(add(['--title', 'X', '--year', '1700', ZOE_USERS])).toEqual({
			code: 2,
			out: '',
			err: `--year: Too small: expected number to be >=1870\n${USAGE}\n`,
		});
		expect(add(['--title', 'X', '--year', '2005', '--id', 'Pusher_3', ZOE_USERS])).toEqual({
			code: 2,
			out: '',
			err: `--id: must be a lowercase slug like "pusher-ii-2004"\n${USAGE}\n`,
		});
		expect(add(['--title', 'ゾーイ', '--year', '2005', ZOE_USERS])).toEqual({
			code: 2,
			out: '',
			err: `--title: "ゾーイ" has no letter or digit an id can be made of; give one with --id\n${USAGE}\n`,
		});
		const unknown = add(['--title', 'X', '--year', '2005', '--dta', 'data', ZOE_USERS]);
		expect(unknown.code).toBe(2);
		expect(unknown.err).toMatch(/^Unknown option '--dta'.*\nusage: data:add /);
		expect(add(['--help'])).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
		expect(add(['--title', 'X', '--year', '2005', ZOE_USERS], { MAX_PAGE_MB: 'lots' })).toEqual({
			code: 2,
			out: '',
			err: 'data:add: MAX_PAGE_MB: must be a whole number of megabytes from 1 to 512, got "lots"\n',
		});
		const missing = join(tempDir(), 'nope');
		expect(add(['--title', 'X', '--year', '2005', '--data', missing, ZOE_USERS])).toEqual({
			code: 1,
			out: '',
			err: `data:add: ${missing}: no such data directory\n`,
		});
	});
});

describe('layoutOf', () => {
	const page = (text: string) => ({ file: 'page.txt', lines: text.split('\n') });

	it('goes by the lines only one site prints, so a review quoting the other site keeps its layout', () => {
		/** A user page with Metacritic's lines quoted in a review body, before `line`. */
		const quoting = (file: string, line: string): string => {
			const text = readFileSync(file, 'utf8');
			expect(text).toContain(`\n${line}\n`);
			return text.replace(`\n${line}\n`, `\nCritic Reviews\nMixed or average reviews - based on 1 Critic\n${line}\n`);
		};
		expect(layoutOf(page(quoting(AMELIE_USERS, 'Lines that look like other things:')))).toEqual({ layout: 'imdb' });
		// As many lines of each (one review's two against the quote's two): the parser that reads a review wins.
		expect(layoutOf(page(quoting(ZOE_USERS, 'Only one.')))).toEqual({ layout: 'imdb' });
		expect(layoutOf(page(readFileSync(ZOE_CRITICS, 'utf8')))).toEqual({ layout: 'metacritic' });
		// NBSPs and stray spaces as the parsers clean them.
		expect(layoutOf(page('  1. Reviewed by:\u00a0 Noel Murray\n    Text.'))).toEqual({ layout: 'metacritic' });
	});

	it('cannot tell a page with as many lines of each, from which neither parser reads more', () => {
		expect(layoutOf(page('Critic Reviews\nTitle\nbob12 March 2020\nPermalink\n'))).toEqual({
			problem: 'cannot tell the layout: it reads as much as a Metacritic critic page as an IMDb user-review page',
		});
	});
});

describe('data:add, then data:check', () => {
	it('adds a film that data:check then passes', async () => {
		const dir = dataCopy();
		const added = add(['--data', dir, '--title', 'Amélie', '--year', '2001', AMELIE_USERS, AMELIE_CRITICS]);
		expect(added.err).toBe('');
		expect(added.code).toBe(0);
		let out = '';
		const code = await check(['--data', dir], { env: {}, stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true } });
		expect(code).toBe(0);
		expect(out).toContain('amelie-2001.users.imdb.txt          imdb        4 user reviews (3 rated, 1 spoiler)\n');
		expect(out).toMatch(/: 3 films, 44 reviews, 0 errors \(version [0-9a-f]{16}\)\n$/);
	});
});
