import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CRITIC_MAX, generateCorpus, type GeneratedCorpus, USER_MAX, writeCorpus } from '../bench/corpus.js';
import { Film } from '../src/domain/schema.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const VERDICTS = [
	'Universal acclaim',
	'Generally favorable reviews',
	'Mixed or average reviews',
	'Generally unfavorable reviews',
	'Overwhelming dislike',
];
const HELPFUL_LINE = /^([\d,]+) out of ([\d,]+) found this helpful\. Was this review helpful\? Sign in to vote\.$/;
const CHROME =
	'\nPermalink\nAn error has occured. Please try again.\n\nSee also\n\nAwards | FAQ | User Ratings | External Reviews | Metacritic Reviews\n\n\nRecently Viewed';

/**
 * The parser's documented author/date rule, written out independently of the generator: the day is
 * the last one or two digits before the month, with no leading zero and valid for the month and year;
 * the author left over is non-empty and does not end in "-"; a valid two-digit day wins.
 */
function splitAuthorDate(line: string): { author: string; date: string } | undefined {
	const m = /^(.*\d) (\p{L}+) (\d{4})$/u.exec(line);
	if (!m) return undefined;
	const head = m[1] ?? '';
	const month = MONTHS.indexOf(m[2] ?? '') + 1;
	const year = Number(m[3]);
	if (month === 0) return undefined;
	const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
	for (const width of [2, 1]) {
		if (head.length <= width) continue;
		const day = head.slice(head.length - width);
		const author = head.slice(0, head.length - width);
		if (day.startsWith('0') || !/^\d+$/.test(day)) continue;
		if (author.trim() === '' || author.endsWith('-') || Number(day) < 1 || Number(day) > lastDay) continue;
		return { author: author.trim(), date: `${year}-${String(month).padStart(2, '0')}-${day.padStart(2, '0')}` };
	}
	return undefined;
}

/** The line the site prints for an author and an ISO date: "PAolo-10" + "8 February 2009". */
function authorLine(author: string, iso: string): string {
	const [y, m, d] = iso.split('-').map(Number);
	return `${author}${d} ${MONTHS[(m ?? 1) - 1]} ${y}`;
}

const clean = (s: string): string => s.replace(/[\s\u00a0]+/g, ' ').trim();

const small = generateCorpus({ films: 40, reviews: 800, seed: 7 });

describe('generateCorpus', () => {
	it('is deterministic: same seed, same bytes; another seed, other pages', () => {
		const again = generateCorpus({ films: 40, reviews: 800, seed: 7 });
		expect([...again.files]).toEqual([...small.files]);
		expect(again.manifest).toEqual(small.manifest);
		expect(again.truth).toEqual(small.truth);
		const other = generateCorpus({ films: 40, reviews: 800, seed: 8 });
		expect([...other.files]).not.toEqual([...small.files]);
	});

	it('writes exactly the number of reviews asked for, within the per-page limits', () => {
		const critic = small.truth.reduce((s, t) => s + t.criticReviews.length, 0);
		const user = small.truth.reduce((s, t) => s + t.userReviews.length, 0);
		expect(critic + user).toBe(800);
		for (const t of small.truth) {
			expect(t.criticReviews.length).toBeLessThanOrEqual(CRITIC_MAX);
			expect(t.userReviews.length).toBeLessThanOrEqual(USER_MAX);
			expect(t.criticReviews.length + t.userReviews.length).toBeGreaterThan(0);
		}
		for (const opts of [
			{ films: 1, reviews: 1, seed: 1 },
			{ films: 3, reviews: 3 * (CRITIC_MAX + USER_MAX), seed: 2 },
			{ films: 10, reviews: 11, seed: 3 },
		]) {
			const c = generateCorpus(opts);
			expect(c.truth.reduce((s, t) => s + t.criticReviews.length + t.userReviews.length, 0)).toBe(opts.reviews);
		}
		expect(() => generateCorpus({ films: 2, reviews: 1, seed: 1 })).toThrow(RangeError);
		expect(() => generateCorpus({ films: 1, reviews: CRITIC_MAX + USER_MAX + 1, seed: 1 })).toThrow(RangeError);
	});

	it('makes a manifest of valid, unique films whose sources are exactly the pages', () => {
		expect(small.manifest.films).toHaveLength(40);
		const ids = new Set<string>();
		const titles = new Set<string>();
		const named = new Set<string>();
		small.manifest.films.forEach((film, i) => {
			expect(Film.parse(JSON.parse(JSON.stringify(film)))).toEqual(film);
			expect(small.truth[i]?.film).toBe(film);
			ids.add(film.id);
			titles.add(film.title);
			for (const s of film.sources) {
				expect(small.files.has(s.file)).toBe(true);
				expect(s.file.endsWith(s.layout === 'metacritic' ? '.critics.metacritic.txt' : '.users.imdb.txt')).toBe(true);
				named.add(s.file);
			}
			expect(film.year).toBeGreaterThanOrEqual(1920);
			expect(film.year).toBeLessThanOrEqual(2025);
		});
		expect(ids.size).toBe(40);
		expect(titles.size).toBe(40);
		expect([...named].sort()).toEqual([...small.files.keys()].sort());
	});

	it('writes Metacritic pages in the real layout, with truth that follows the rules', () => {
		for (const t of small.truth) {
			const source = t.film.sources.find((s) => s.layout === 'metacritic');
			if (!source) {
				expect(t.consensus).toBeNull();
				expect(t.criticReviews).toEqual([]);
				continue;
			}
			const text = small.files.get(source.file) ?? '';
			const lines = text.split('\n');
			const n = t.criticReviews.length;
			const c = t.consensus;
			expect(c).not.toBeNull();
			if (!c) continue;
			expect(VERDICTS).toContain(c.verdict);
			expect(c.critics).toBe(n);
			expect(c.mixed).toBe(c.critics - c.positive - c.negative);
			expect(c.mixed).toBeGreaterThanOrEqual(0);
			expect(lines.slice(0, 8)).toEqual([
				`${c.verdict} - based on ${n} ${n === 1 ? 'Critic' : 'Critics'}`,
				'',
				'Critic score distribution:',
				`  1. Positive: ${c.positive} out of ${n}`,
				`  2. Negative: ${c.negative} out of ${n}`,
				'',
				'Critic Reviews',
				'',
			]);
			expect(text.endsWith('\n\n')).toBe(true);
			expect(text).not.toContain('\r');

			let i = 8;
			for (const r of t.criticReviews) {
				const head = lines[i++] ?? '';
				expect(head.startsWith(`  ${r.position}. `)).toBe(true);
				const what = head.slice(`  ${r.position}. `.length);
				if (r.score !== null) {
					expect(what).toBe(String(r.score));
					expect(r).toMatchObject({ critic: null, credit: 'Uncredited', date: null });
				} else {
					expect(what.startsWith('Reviewed by:\u00a0') || what.startsWith('Reviewed by: ')).toBe(true);
					const name = clean(what.slice('Reviewed by:'.length));
					expect(name).toBe(r.credit);
					if (name.includes('[Not Credited]')) expect(r.critic).toBeNull();
					else expect(r.critic).toBe(name);
					expect(r.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
					const [y, m, d] = (r.date ?? '').split('-').map(Number);
					const short = MONTHS[(m ?? 1) - 1]?.slice(0, 3);
					expect(lines[i++]).toBe(`    ${short} ${d}, ${y}`);
				}
				const excerpt = lines[i++] ?? '';
				expect(excerpt.startsWith('    ')).toBe(true);
				expect(clean(excerpt)).toBe(r.excerpt);
				expect(r.excerpt.length).toBeGreaterThanOrEqual(60);
			}
			expect(lines.slice(i)).toEqual(['', '']);
		}
	});

	it('writes IMDb pages in the real layout, with truth that follows the rules', () => {
		for (const t of small.truth) {
			const source = t.film.sources.find((s) => s.layout === 'imdb');
			if (!source) {
				expect(t.userPage).toBeNull();
				expect(t.userReviews).toEqual([]);
				continue;
			}
			const text = small.files.get(source.file) ?? '';
			const lines = text.split('\n');
			const p = t.userPage;
			const page: Record<string, unknown> = { title: t.film.title, year: t.film.year, siteReviewCount: expect.any(Number) };
			expect(p).toEqual(page);
			if (!p) continue;
			expect(p.siteReviewCount).toBeGreaterThanOrEqual(t.userReviews.length);
			expect(lines.slice(0, 10)).toEqual([
				`${p.title} (${p.year}) Poster`,
				'',
				`(${p.year})`,
				'',
				'User Reviews',
				'',
				'Review this title',
				`${(p.siteReviewCount ?? 0).toLocaleString('en-US')} ${p.siteReviewCount === 1 ? 'Review' : 'Reviews'}`,
				'Sort by:',
				'Filter by Rating:',
			]);
			expect(text.endsWith(CHROME)).toBe(true);
			expect(lines.filter((l) => l === 'Permalink')).toHaveLength(t.userReviews.length);
			expect(lines.filter((l) => HELPFUL_LINE.test(l))).toHaveLength(t.userReviews.length);
			expect(lines.filter((l) => l === 'Warning: Spoilers')).toHaveLength(t.userReviews.filter((r) => r.spoiler).length);

			// Walk the blocks line by line against the truth.
			let i = 10;
			for (const r of t.userReviews) {
				if (r.rating !== null) {
					expect(r.rating).toBeGreaterThanOrEqual(1);
					expect(r.rating).toBeLessThanOrEqual(10);
					expect(lines[i++]).toBe(`${r.rating}/10`);
				}
				expect(lines[i++]).toBe(r.title);
				expect(lines[i++]).toBe(authorLine(r.author, r.date));
				if (r.spoiler) expect(lines[i++]).toBe('Warning: Spoilers');
				const body: string[] = [];
				while (i < lines.length && !HELPFUL_LINE.test(lines[i] ?? '')) body.push(lines[i++] ?? '');
				expect(body.join('\n').split('\n\n')).toEqual(r.body.split('\n\n'));
				const h = HELPFUL_LINE.exec(lines[i++] ?? '');
				expect(h && { up: Number(h[1]?.replace(/,/g, '')), total: Number(h[2]?.replace(/,/g, '')) }).toEqual(r.helpful);
				expect(r.helpful.up).toBeLessThanOrEqual(r.helpful.total);
				expect(lines[i++]).toBe('Permalink');
			}
		}
	});

	it('never prints an author/date pair that the split rule reads differently', () => {
		const splitsTo = (line: string) => splitAuthorDate(line);
		// The rule itself, on the real page's lines.
		expect(splitsTo('PAolo-108 February 2009')).toEqual({ author: 'PAolo-10', date: '2009-02-08' });
		expect(splitsTo('UlrikSander11 March 2006')).toEqual({ author: 'UlrikSander', date: '2006-03-11' });
		expect(splitsTo('alke-23 January 2005')).toEqual({ author: 'alke-2', date: '2005-01-03' });
		expect(splitsTo('robo829 July 2006')).toEqual({ author: 'robo8', date: '2006-07-29' });
		expect(splitsTo('Pjtaylor-96-13804426 April 2022')).toEqual({ author: 'Pjtaylor-96-138044', date: '2022-04-26' });
		expect(splitsTo('slake0912 July 2008')).toEqual({ author: 'slake09', date: '2008-07-12' });

		const corpora: GeneratedCorpus[] = [small, generateCorpus({ films: 60, reviews: 3000, seed: 99 })];
		let pairs = 0;
		for (const corpus of corpora) {
			for (const t of corpus.truth) {
				for (const r of t.userReviews) {
					expect(r.author).not.toMatch(/-$/);
					expect(r.author).toBe(r.author.trim());
					expect(splitsTo(authorLine(r.author, r.date))).toEqual({ author: r.author, date: r.date });
					pairs++;
				}
			}
		}
		expect(pairs).toBeGreaterThan(500);
	});

	it('keeps truth bodies clean: no CR, paragraphs trimmed and single-spaced', () => {
		for (const t of small.truth) {
			for (const r of t.userReviews) {
				expect(r.body).not.toContain('\r');
				expect(r.title).not.toContain('\r');
				for (const para of r.body.split('\n\n')) {
					expect(para).not.toBe('');
					expect(clean(para)).toBe(para);
				}
			}
			for (const r of t.criticReviews) expect(clean(r.excerpt)).toBe(r.excerpt);
		}
	});

	it('at the default size, has the exact counts and the variety the parser must survive', () => {
		const started = performance.now();
		const big = generateCorpus({ films: 1000, reviews: 50_000, seed: 1 });
		expect(performance.now() - started).toBeLessThan(3000);
		const critic = big.truth.flatMap((t) => t.criticReviews);
		const user = big.truth.flatMap((t) => t.userReviews);
		expect(big.manifest.films).toHaveLength(1000);
		expect(new Set(big.manifest.films.map((f) => f.id)).size).toBe(1000);
		for (const film of big.manifest.films) expect(Film.parse(film)).toEqual(film);
		expect(big.manifest.films.some((f) => f.id.length > 40)).toBe(true);
		expect(new Set(big.manifest.films.map((f) => f.title)).size).toBe(1000);
		expect(critic.length + user.length).toBe(50_000);

		const kinds = big.manifest.films.map((f) => f.sources.map((s) => s.layout).join('+'));
		for (const k of ['metacritic', 'imdb', 'metacritic+imdb']) expect(kinds.filter((x) => x === k).length).toBeGreaterThan(50);
		const titles = big.manifest.films.map((f) => f.title);
		expect(titles.some((t) => / (II|III|IV)(:|$)/.test(t))).toBe(true);
		expect(titles.some((t) => / [2-5](:|$)/.test(t))).toBe(true);
		expect(titles.some((t) => t.startsWith('The '))).toBe(true);
		expect(titles.some((t) => t.includes(': '))).toBe(true);
		expect(titles.some((t) => /[éøæüö]/.test(t))).toBe(true);
		expect(big.manifest.films.filter((f) => f.aliases.length > 0).length).toBeGreaterThan(50);

		const share = (n: number) => n / user.length;
		expect(share(user.filter((r) => r.rating === null).length)).toBeGreaterThan(0.02);
		expect(share(user.filter((r) => r.rating === null).length)).toBeLessThan(0.07);
		expect(share(user.filter((r) => r.spoiler).length)).toBeGreaterThan(0.03);
		expect(share(user.filter((r) => r.spoiler).length)).toBeLessThan(0.1);
		expect(user.some((r) => r.helpful.total === 0)).toBe(true);
		expect(user.some((r) => r.body.length >= 6000)).toBe(true);
		expect(user.some((r) => !r.body.includes('\n\n'))).toBe(true);
		expect(user.some((r) => r.body.split('\n\n').length >= 8)).toBe(true);
		const lengths = user.map((r) => r.body.length).sort((a, b) => a - b);
		expect(lengths[Math.floor(lengths.length / 2)]).toBeGreaterThan(300);
		expect(lengths[Math.floor(lengths.length / 2)]).toBeLessThan(2500);
		for (const needle of ['**', '~~', '`', '> ', '# ', '](http://', '@everyone', '@here', '<@', '||', 'é', 'ø', '🎬']) {
			expect(
				user.some((r) => r.body.includes(needle)),
				needle,
			).toBe(true);
		}
		expect(user.some((r) => /^\d{1,2}\/10$/m.test(r.body.replace(/\n\n/g, '\n')))).toBe(true);
		expect(user.some((r) => /I gave it \d+\/10 stars\./.test(r.body))).toBe(true);
		expect(user.some((r) => /[0-9]$/.test(r.author))).toBe(true);
		expect(user.some((r) => /-/.test(r.author))).toBe(true);
		expect(user.some((r) => /[øëöé]/.test(r.author))).toBe(true);

		expect(critic.some((r) => r.score !== null && r.credit === 'Uncredited')).toBe(true);
		expect(critic.some((r) => r.credit === 'Staff [Not Credited]' && r.critic === null)).toBe(true);
		expect(critic.every((r) => r.excerpt.length <= 400)).toBe(true);
		const pages = [...big.files].filter(([name]) => name.endsWith('.metacritic.txt')).map(([, text]) => text);
		expect(pages.some((p) => p.includes('Reviewed by:\u00a0 '))).toBe(true);
		const verdicts = new Set(big.truth.flatMap((t) => (t.consensus ? [t.consensus.verdict] : [])));
		expect(verdicts.size).toBeGreaterThanOrEqual(4);
	});
});

describe('writeCorpus', () => {
	const dirs: string[] = [];
	afterAll(async () => {
		for (const dir of dirs) await rm(dir, { recursive: true, force: true });
	});

	it('writes films.json and every page, and they read back equal', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'marquee-corpus-'));
		dirs.push(dir);
		const { bytes } = await writeCorpus(join(dir, 'data'), small);
		const names = await readdir(join(dir, 'data'));
		expect(names.sort()).toEqual(['films.json', ...small.files.keys()].sort());
		let total = 0;
		for (const [name, text] of small.files) {
			const back = await readFile(join(dir, 'data', name));
			total += back.length;
			expect(back.toString('utf8')).toBe(text);
		}
		const manifest = await readFile(join(dir, 'data', 'films.json'));
		total += manifest.length;
		expect(JSON.parse(manifest.toString('utf8'))).toEqual(small.manifest);
		expect(bytes).toBe(total);
	});
});
