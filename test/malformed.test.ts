import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataDir } from '../src/domain/load.js';
import { parseImdb } from '../src/domain/parse/imdb.js';
import { parseMetacritic } from '../src/domain/parse/metacritic.js';
import { readPage } from '../src/domain/parse/page.js';
import { type LoadError, StoreData } from '../src/domain/schema.js';
import { tempDir } from './helpers.js';

/**
 * Malformed data: every case gives one clear `file:line: reason`, and nothing else is lost: the good
 * files, and the good blocks around the bad one in the same file, still load.
 */

/** A data dir in a temp folder: a manifest (text or an object) and pages. */
function dataDir(manifest: string | object, pages: Record<string, string | Uint8Array>): string {
	const dir = tempDir('marquee-malformed-');
	writeFileSync(join(dir, 'films.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, '\t'));
	for (const [name, content] of Object.entries(pages)) writeFileSync(join(dir, name), content);
	return dir;
}

async function load(manifest: string | object, pages: Record<string, string | Uint8Array>): Promise<StoreData> {
	const data = await loadDataDir(dataDir(manifest, pages));
	expect(StoreData.parse(data)).toEqual(data);
	return data;
}

const film = (id: string, file: string, layout: string, extra: object = {}) => ({
	id,
	title: id,
	year: 2001,
	sources: [{ file, layout }],
	...extra,
});

/** One IMDb block, exactly six lines: rating, title, author+date, body, helpful, Permalink. */
const block = (title: string, author: string, o: { rating?: string; helpful?: string } = {}) =>
	`${o.rating ?? '8/10'}\n${title}\n${author}\nBody of ${title}.\n${o.helpful ?? '3 out of 4'} found this helpful. Was this review helpful? Sign in to vote.\nPermalink\n`;

const GOOD_IMDB = block('First', 'bob12 March 2020') + block('Second', 'ann3 May 2011');
const GOOD_MC = [
	'Generally favorable reviews - based on 2 Critics', //  1
	'Critic score distribution:', //                        2
	'  1. Positive: 1 out of 2', //                         3
	'  2. Negative: 0 out of 2', //                         4
	'Critic Reviews', //                                    5
	'  1. Reviewed by:\u00a0Jane Doe', //                   6
	'    Jul 15, 2013', //                                  7
	'    Sharp and cold.', //                               8
	'  2. 50', //                                           9
	'    Middling.', //                                     10
	'',
].join('\n');

/** A two-film dir: the good Metacritic page, and an IMDb page with the content under test. */
async function withImdb(page: string | Uint8Array) {
	const data = await load(
		{ films: [film('good', 'good.txt', 'metacritic'), film('bad', 'bad.txt', 'imdb')] },
		{ 'good.txt': GOOD_MC, 'bad.txt': page },
	);
	const good = data.films.find((f) => f.film.id === 'good');
	expect(good?.criticReviews.map((r) => r.credit)).toEqual(['Jane Doe', 'Uncredited']);
	expect(good?.consensus).toEqual({ verdict: 'Generally favorable reviews', critics: 2, positive: 1, mixed: 1, negative: 0 });
	const bad = data.films.find((f) => f.film.id === 'bad');
	return { errors: data.errors, reviews: bad?.userReviews ?? [], data };
}

async function withMetacritic(page: string) {
	const data = await load(
		{ films: [film('good', 'good.txt', 'imdb'), film('bad', 'bad.txt', 'metacritic')] },
		{ 'good.txt': GOOD_IMDB, 'bad.txt': page },
	);
	expect(data.films.find((f) => f.film.id === 'good')?.userReviews.map((r) => r.title)).toEqual(['First', 'Second']);
	const bad = data.films.find((f) => f.film.id === 'bad');
	return { errors: data.errors, reviews: bad?.criticReviews ?? [], consensus: bad?.consensus ?? null };
}

/** An expected error; a RegExp reason matches the reason's text. */
const at = (file: string, line: number, reason: RegExp | string): { file: string; line: number; reason: unknown } => ({
	file,
	line,
	reason: typeof reason === 'string' ? reason : expect.stringMatching(reason),
});
const lines = (errors: readonly LoadError[]) => errors.map((e) => `${e.file}:${e.line}`);

describe('IMDb blocks', () => {
	it('a block cut mid-body at the end of the page (no helpful line, no Permalink) is reported at its first line', async () => {
		const { errors, reviews } = await withImdb(`${block('First', 'bob12 March 2020')}7/10\nCut\nann3 May 2011\nThe body stops mid-sent`);
		expect(errors).toEqual([at('bad.txt', 7, /no "Permalink" line after it \(truncated page\?\)/)]);
		expect(reviews.map((r) => r.title)).toEqual(['First']);
	});

	it('a block cut mid-body in the middle of the page does not swallow the next review', async () => {
		const { errors, reviews } = await withImdb(
			`${block('First', 'bob12 March 2020')}7/10\nCut\nann3 May 2011\nThe body stops mid-sent\n${block('Third', 'zed4 June 2012')}`,
		);
		expect(errors).toEqual([at('bad.txt', 7, /truncated block/)]);
		expect(reviews.map((r) => [r.title, r.author, r.source.line, r.body])).toEqual([
			['First', 'bob', 1, 'Body of First.'],
			['Third', 'zed', 11, 'Body of Third.'],
		]);
	});

	it('an author line without a date names the author line', async () => {
		const { errors, reviews } = await withImdb(block('First', 'bob') + block('Second', 'ann3 May 2011'));
		expect(errors).toEqual([at('bad.txt', 3, /expected the author run into a date .* after the title "First", got "bob"/)]);
		expect(reviews.map((r) => r.title)).toEqual(['Second']);
	});

	it('an impossible date on the author line is an error; "foo31 February 2009" is not one, by the split rule', async () => {
		const { errors, reviews } = await withImdb(
			block('First', 'foo30 February 2009') + block('Second', 'foo31 February 2009') + block('Third', 'bar0 May 2011'),
		);
		expect(errors).toEqual([at('bad.txt', 3, /got "foo30 February 2009"/), at('bad.txt', 15, /got "bar0 May 2011"/)]);
		// 31 February does not exist, so the day is the 1st and the name is "foo3" (see splitAuthorDate).
		expect(reviews.map((r) => [r.title, r.author, r.date])).toEqual([['Second', 'foo3', '2009-02-01']]);
	});

	it('more helpful votes than votes names the helpful line', async () => {
		const { errors, reviews } = await withImdb(
			block('First', 'bob12 March 2020', { helpful: '5 out of 4' }) + block('Second', 'ann3 May 2011'),
		);
		expect(errors).toEqual([at('bad.txt', 5, 'review "First": 5 out of 4 found it helpful is more than voted')]);
		expect(reviews.map((r) => r.title)).toEqual(['Second']);
	});

	it('ratings of 11/10 and 0/10 name the rating line', async () => {
		const { errors, reviews } = await withImdb(
			block('First', 'bob12 March 2020', { rating: '11/10' }) +
				block('Second', 'ann3 May 2011') +
				block('Third', 'cy4 May 2011', { rating: '0/10' }),
		);
		expect(errors).toEqual([
			at('bad.txt', 1, 'rating 11/10 is not between 1/10 and 10/10'),
			at('bad.txt', 13, 'rating 0/10 is not between 1/10 and 10/10'),
		]);
		expect(reviews.map((r) => r.title)).toEqual(['Second']);
	});

	it('a block with no body, and a Permalink with nothing before it', async () => {
		const page = `${block('First', 'bob12 March 2020')}T\nann3 May 2011\nWarning: Spoilers\n0 out of 0 found this helpful.\nPermalink\n\nPermalink\n${block('Last', 'cy4 May 2011')}`;
		const { errors, reviews } = await withImdb(page);
		expect(errors).toEqual([
			at('bad.txt', 10, 'review "T" has no body (truncated block?)'),
			at('bad.txt', 13, '"Permalink" with no review before it'),
		]);
		expect(reviews.map((r) => r.title)).toEqual(['First', 'Last']);
	});

	it('CRLF line ends and a BOM parse exactly as LF', async () => {
		const page = `Some Film (2001) Poster\n\n2 Reviews\nSort by:\nFilter by Rating:\n${GOOD_IMDB}\nSee also\n`;
		const lf = await withImdb(page);
		const crlf = await withImdb(`\uFEFF${page.replace(/\n/g, '\r\n')}`);
		const cr = await withImdb(page.replace(/\n/g, '\r'));
		expect(lf.errors).toEqual([]);
		expect(lf.reviews.map((r) => r.source.line)).toEqual([6, 12]);
		expect(crlf.errors).toEqual([]);
		expect(crlf.reviews).toEqual(lf.reviews);
		expect(crlf.data.films).toEqual(lf.data.films);
		expect(cr.data.films).toEqual(lf.data.films);
	});

	it('a page that ends right after a block, with no chrome and no final newline', async () => {
		const { errors, reviews } = await withImdb(GOOD_IMDB.trimEnd());
		expect(errors).toEqual([]);
		expect(reviews.map((r) => [r.title, r.helpful])).toEqual([
			['First', { up: 3, total: 4 }],
			['Second', { up: 3, total: 4 }],
		]);
	});

	it('a header count below the reviews on the page names the count line', async () => {
		const { errors, reviews } = await withImdb(`Film (2001)\n\n1 Review\nSort by:\n${GOOD_IMDB}`);
		expect(errors).toEqual([at('bad.txt', 3, 'header says 1 reviews but the page holds 2')]);
		expect(reviews).toHaveLength(2);
	});
});

describe('bytes that are not a text page', () => {
	it('invalid UTF-8 names the line of the first bad byte', async () => {
		const bytes = new Uint8Array([...new TextEncoder().encode('Film\nok line\nbad '), 0xff, 0xfe, 0x0a, 0x41]);
		const { errors, reviews } = await withImdb(bytes);
		expect(errors).toEqual([at('bad.txt', 3, 'not UTF-8 text (invalid byte sequence)')]);
		expect(reviews).toEqual([]);
		// A lone continuation byte and a truncated multi-byte sequence.
		expect(readPage('x.txt', new Uint8Array([0x41, 0x0a, 0x80])).errors).toEqual([at('x.txt', 2, /not UTF-8/)]);
		expect(readPage('x.txt', new Uint8Array([0x0a, 0x0a, 0x41, 0xe2, 0x82])).errors).toEqual([at('x.txt', 3, /not UTF-8/)]);
	});

	it('NUL bytes are binary data, named by line (CR line ends counted too)', async () => {
		const { errors } = await withImdb(`${GOOD_IMDB}\u0000\u0000`);
		expect(errors).toEqual([at('bad.txt', 13, 'binary data (control characters) in a text page')]);
		expect(readPage('x.txt', new TextEncoder().encode('a\rb\r\u0000')).errors).toEqual([at('x.txt', 3, /binary data/)]);
		// Tabs, vertical tabs and form feeds are text; the other control characters below a space are not.
		expect(readPage('x.txt', new TextEncoder().encode('a\tb\v\fc\r\n')).errors).toEqual([]);
		expect(['\u0008', '\u000e', '\u001f'].map((c) => readPage('x.txt', new TextEncoder().encode(`a\n${c}`)).errors)).toEqual(
			Array.from({ length: 3 }, () => [at('x.txt', 2, /binary data/)]),
		);
	});

	it('an empty file and a whitespace-only file', async () => {
		expect((await withImdb('')).errors).toEqual([at('bad.txt', 1, 'empty file')]);
		expect((await withImdb(' \n\t\n\u00a0\r\n  ')).errors).toEqual([at('bad.txt', 1, 'empty file (only blank lines)')]);
		expect((await withMetacritic('\n\n')).errors).toEqual([at('bad.txt', 1, 'empty file (only blank lines)')]);
	});
});

describe('the manifest', () => {
	const pages = { 'good.txt': GOOD_IMDB, 'mc.txt': GOOD_MC };
	const good = film('good', 'good.txt', 'imdb');

	it('an unknown layout names the entry', async () => {
		const data = await load({ films: [good, film('rt', 'mc.txt', 'rottentomatoes')] }, pages);
		// JSON.stringify(…, '\t') puts each entry on 11 lines: the second one opens on line 14.
		expect(data.errors).toEqual([at('films.json', 14, 'films[1].sources.0.layout: Invalid option: expected one of "metacritic"|"imdb"')]);
		expect(data.films.map((f) => [f.film.id, f.userReviews.length])).toEqual([['good', 2]]);
	});

	it('a page given the wrong layout, both ways', async () => {
		const data = await load({ films: [good, film('mc-as-imdb', 'mc.txt', 'imdb'), film('imdb-as-mc', 'good.txt', 'metacritic')] }, pages);
		expect(data.errors).toEqual([
			at('mc.txt', 1, 'not an IMDb user-review page: no "Permalink" lines end a review'),
			at('good.txt', 1, 'not a Metacritic critic page: no "based on N Critics" verdict and no "Reviewed by" entries'),
		]);
		expect(data.films.map((f) => [f.film.id, f.userReviews.length + f.criticReviews.length])).toEqual([
			['good', 2],
			['mc-as-imdb', 0],
			['imdb-as-mc', 0],
		]);
	});

	it('a manifest that is not JSON names the line of the syntax error', async () => {
		const text = `{\n\t"films": [\n\t\t${JSON.stringify(good)},\n\t]\n}\n`; // trailing comma
		const data = await load(text, pages);
		expect(data.errors).toEqual([at('films.json', 4, 'not valid JSON')]);
		expect(data.films).toEqual([]);
		expect((await load('{\n"films": [\n', pages)).errors).toEqual([at('films.json', 3, 'not valid JSON')]);
		expect((await load('{"films": {}}', pages)).errors).toEqual([at('films.json', 1, 'expected an object with a "films" array')]);
	});

	it('an entry missing fields names that entry, even when a string before it holds braces', async () => {
		const text = `{\n\t"note": "[{ not an entry",\n\t"films": [\n\t\t${JSON.stringify({ ...good, aliases: ['{', '}{'] })},\n\t\t{ "title": "No id" },\n\t\t{ "id": "no-sources", "title": "T", "year": null }\n\t]\n}\n`;
		const data = await load(text, pages);
		expect(data.errors).toEqual([
			at('films.json', 5, 'films[1].id: Invalid input: expected string, received undefined'),
			at('films.json', 5, 'films[1].year: Invalid input: expected number, received undefined'),
			at('films.json', 5, 'films[1].sources: Invalid input: expected array, received undefined'),
			at('films.json', 6, 'films[2].sources: Invalid input: expected array, received undefined'),
		]);
		expect(data.films.map((f) => f.film.id)).toEqual(['good']);
	});

	it('a duplicate film id names the duplicate, not the first', async () => {
		const text = `{\n\t"films": [\n\t\t${JSON.stringify(good)},\n\t\t${JSON.stringify(film('other', 'mc.txt', 'metacritic'))},\n\t\t${JSON.stringify(film('good', 'mc.txt', 'metacritic'))}\n\t]\n}\n`;
		const data = await load(text, pages);
		expect(data.errors).toEqual([at('films.json', 5, 'films[2]: duplicate id "good"')]);
		expect(data.films.map((f) => [f.film.id, f.film.sources[0]?.file])).toEqual([
			['good', 'good.txt'],
			['other', 'mc.txt'],
		]);
	});

	it('a file the manifest names that does not exist', async () => {
		const data = await load({ films: [good, film('gone', 'missing.txt', 'imdb')] }, pages);
		expect(data.errors).toEqual([at('missing.txt', 0, 'file named by film "gone" cannot be read: no such file')]);
		expect(data.films.map((f) => [f.film.id, f.userReviews.length])).toEqual([
			['good', 2],
			['gone', 0],
		]);
	});

	it('path traversal in a file name is refused before anything is read', async () => {
		const data = await load(
			{ films: [good, film('up', '../x', 'imdb'), film('abs', '/etc/passwd', 'imdb'), film('dots', '..', 'imdb')] },
			pages,
		);
		expect(data.errors.map((e) => e.reason)).toEqual([
			'films[1].sources.0.file: must be a file name inside the data directory',
			'films[2].sources.0.file: must be a file name inside the data directory',
			'films[3].sources.0.file: must be a file name inside the data directory',
		]);
		expect(lines(data.errors)).toEqual(['films.json:14', 'films.json:25', 'films.json:36']);
		expect(data.films.map((f) => f.film.id)).toEqual(['good']);
	});

	it('a missing manifest is one error', async () => {
		const data = await loadDataDir(join(tmpdir(), 'marquee-no-such-dir'));
		expect(data.errors).toEqual([at('films.json', 0, /^cannot read .*films\.json: no such file$/)]);
		expect(data.films).toEqual([]);
	});
});

describe('Metacritic entries', () => {
	const head = 'Generally favorable reviews - based on 3 Critics\nCritic Reviews\n';

	it('an entry with no excerpt names its head line; the next entry still loads', async () => {
		const { errors, reviews } = await withMetacritic(
			`${head}  1. Reviewed by: Bob\n    Jul 15, 2013\n  2. 80\n    Good.\n  3. Reviewed by: Cy\n`,
		);
		expect(errors).toEqual([
			at('bad.txt', 3, 'review 1: no excerpt (truncated entry?)'),
			at('bad.txt', 7, 'review 3: no excerpt (truncated entry?)'),
		]);
		expect(reviews.map((r) => [r.position, r.score, r.source.line])).toEqual([[2, 80, 5]]);
	});

	it('"Reviewed by:" with no name (NBSP and spaces only)', async () => {
		const { errors, reviews } = await withMetacritic(`${head}  1. Reviewed by:\u00a0  \n    Jul 15, 2013\n    Text.\n  2. 80\n    Good.\n`);
		expect(errors).toEqual([at('bad.txt', 3, 'review 1: "Reviewed by:" with no name')]);
		expect(reviews.map((r) => r.position)).toEqual([2]);
	});

	it('a score of 150, and a head that is neither name nor score', async () => {
		const { errors, reviews } = await withMetacritic(
			`${head}  1. 150\n    Too good.\n  2. 80\n    Good.\n  3. Written by Bob\n    Text.\n`,
		);
		expect(errors).toEqual([
			at('bad.txt', 3, 'review 1: score 150 is not on the 0-100 scale'),
			at('bad.txt', 7, /review 3: expected "Reviewed by: NAME" or a 0-100 score, got "Written by Bob"/),
		]);
		expect(reviews.map((r) => [r.position, r.score, r.band])).toEqual([[2, 80, 'positive']]);
	});

	it('an impossible date names the date line', async () => {
		const { errors, reviews } = await withMetacritic(`${head}  1. Reviewed by: Bob\n    Feb 30, 2013\n    Text.\n  2. 0\n    Awful.\n`);
		expect(errors).toEqual([at('bad.txt', 4, 'review 1: "Feb 30, 2013" is not a calendar date')]);
		expect(reviews.map((r) => [r.score, r.band])).toEqual([[0, 'negative']]);
	});

	it('distribution counts that do not add up drop the consensus (named at the verdict), not the reviews', async () => {
		const page = `\n\nGenerally favorable reviews - based on 2 Critics\nCritic score distribution:\n  1. Positive: 2 out of 2\n  2. Negative: 1 out of 2\nCritic Reviews\n  1. 70\n    A.\n  2. 20\n    B.\n`;
		const { errors, reviews, consensus } = await withMetacritic(page);
		expect(errors).toEqual([at('bad.txt', 3, 'score distribution (2 positive, -1 mixed, 1 negative) does not add up to 2 critics')]);
		expect(consensus).toBeNull();
		expect(reviews.map((r) => r.band)).toEqual(['positive', 'negative']);
		const withMixed = await withMetacritic(page.replace('  2. Negative: 1 out of 2', '  2. Mixed: 1 out of 2\n  3. Negative: 0 out of 2'));
		expect(withMixed.errors).toEqual([at('bad.txt', 3, /does not add up to 2 critics/)]);
	});

	it('text before the first entry is reported, and a page with no entries at all', async () => {
		const { errors } = await withMetacritic(`${head}stray text\n  1. 80\n    Good.\n`);
		expect(errors).toEqual([at('bad.txt', 3, 'text outside any numbered review entry: "stray text"')]);
		expect((await withMetacritic(`${head}\n\n`)).errors).toEqual([at('bad.txt', 3, 'no critic reviews on the page')]);
	});
});

describe('the parsers called directly', () => {
	const page = (text: string) => {
		const p = readPage('p.txt', new TextEncoder().encode(text));
		if (p.value === null) throw new Error(JSON.stringify(p.errors));
		return p.value;
	};

	it('parseImdb and parseMetacritic agree with the loader on line numbers', () => {
		expect(parseImdb(page(block('A', 'bob')))).toEqual({
			value: { info: { title: null, year: null, siteReviewCount: null }, reviews: [] },
			errors: [at('p.txt', 3, /got "bob"/)],
		});
		expect(parseMetacritic(page('Mixed or average reviews - based on 1 Critic\nCritic Reviews\n  1. 101\n    x\n')).errors).toEqual([
			at('p.txt', 3, /score 101/),
		]);
	});
});
