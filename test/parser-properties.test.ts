import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { daysInMonth, isoDate, MONTHS } from '../src/domain/dates.js';
import { loadDataDir } from '../src/domain/load.js';
import { parseImdb, splitAuthorDate } from '../src/domain/parse/imdb.js';
import { parseMetacritic } from '../src/domain/parse/metacritic.js';
import { readPage } from '../src/domain/parse/page.js';
import { type FilmRecord, type StoreData, StoreData as StoreDataSchema } from '../src/domain/schema.js';

/* ------------------------------------------------------------------ hand-written tricky fixtures */

describe('tricky fixtures (test/fixtures)', () => {
	let data: StoreData;
	let amelie: FilmRecord;
	let zoe: FilmRecord;
	beforeAll(async () => {
		data = await loadDataDir('test/fixtures');
		const find = (id: string) => data.films.find((f) => f.film.id === id);
		amelie = find('amelie-2001')!;
		zoe = find('zoe-2020')!;
	});

	it('load with no errors, as valid StoreData', () => {
		expect(data.errors).toEqual([]);
		expect(StoreDataSchema.parse(data)).toEqual(data);
		expect(data.films.map((f) => f.film.title)).toEqual(['Amélie', 'Zoë || @everyone']);
	});

	it('IMDb: markdown and mentions kept verbatim in titles and bodies, commas in helpful counts', () => {
		expect(amelie.userPage).toEqual({ title: 'Amélie', year: 2001, siteReviewCount: 1204 });
		const [one] = amelie.userReviews;
		expect(one).toEqual({
			id: 'amelie-2001#u1',
			filmId: 'amelie-2001',
			source: { file: 'amelie-2001.users.imdb.txt', line: 11 },
			rating: 9,
			title: '**Bold** _claims_ ~~struck~~ `code` @everyone <@123> ||spoiler||',
			author: 'Jørgen_L',
			date: '2020-03-12',
			spoiler: false,
			body: '# Not a heading, > not a quote, and @here too.\n<@123> and <@&456> and <#789> should stay as text; ||hidden|| and **stars**.\n\nSecond paragraph with a `backtick` and a trailing backslash \\',
			helpful: { up: 1234, total: 2000 },
		});
	});

	it('IMDb: a title "10/10" with no rating, a body of lines that look like ratings and dates, 0 out of 0', () => {
		expect(amelie.userReviews[1]).toMatchObject({
			source: { line: 20 },
			rating: null,
			title: '10/10',
			author: 'Zoë-90', // "Zoë-905 June": "05" is no day, so the 5th
			date: '2019-06-05',
			body: 'Lines that look like other things:\n9/10\nann3 May 2011\n\nJul 15, 2013\n3 out of 4 people agree\nPermalink is just a word here.',
			helpful: { up: 0, total: 0 },
		});
	});

	it('IMDb: rating 10/10 and a title 10/10, hyphen rule, spoiler, a 7,000-character body', () => {
		const three = amelie.userReviews[2]!;
		expect(three).toMatchObject({
			source: { line: 31 },
			rating: 10,
			title: '10/10',
			author: 'x-1-2',
			date: '2005-01-03',
			spoiler: true,
			helpful: { up: 12, total: 12 },
		});
		const line35 = readFileSync('test/fixtures/amelie-2001.users.imdb.txt', 'utf8').split('\n')[34];
		expect(three.body).toHaveLength(7000);
		expect(three.body).toBe(line35);
	});

	it('IMDb: non-Latin author, NBSP and space runs in a body collapse', () => {
		expect(amelie.userReviews[3]).toMatchObject({
			rating: 1,
			title: 'Amélie — ½ of a film',
			author: '名前',
			date: '2007-07-07',
			body: 'Indented text with NBSP runs.',
		});
		expect(amelie.userReviews).toHaveLength(4);
		expect(JSON.stringify(amelie.userReviews)).not.toMatch(/See also|Recently Viewed|Permalink"/);
	});

	it('IMDb: a "1 Review" header', () => {
		expect(zoe.userPage).toEqual({ title: 'Zoë || @everyone', year: 2020, siteReviewCount: 1 });
		expect(zoe.userReviews).toEqual([
			{
				id: 'zoe-2020#u1',
				filmId: 'zoe-2020',
				source: { file: 'zoe-2020.users.imdb.txt', line: 5 },
				rating: null,
				title: '||Not a spoiler|| `@everyone`',
				author: 'Zoë',
				date: '2020-09-09',
				spoiler: false,
				body: 'Only one.',
				helpful: { up: 0, total: 0 },
			},
		]);
	});

	it('Metacritic: names with stray spaces and NBSPs, Staff [Not Credited], Sept, 40 is mixed, deeper numbered lines are text', () => {
		expect(amelie.consensus).toEqual({ verdict: 'Universal acclaim', critics: 4, positive: 2, mixed: 1, negative: 1 });
		expect(
			amelie.criticReviews.map(({ position, critic, credit, score, band, date, source }) => ({
				position,
				critic,
				credit,
				score,
				band,
				date,
				line: source.line,
			})),
		).toEqual([
			{ position: 1, critic: 'Jørgen Leth', credit: 'Jørgen Leth', score: null, band: null, date: '2013-07-04', line: 10 },
			{ position: 2, critic: null, credit: 'Staff [Not Credited]', score: null, band: null, date: '2014-09-05', line: 14 },
			{ position: 3, critic: null, credit: 'Uncredited', score: 40, band: 'mixed', date: null, line: 17 },
			{ position: 4, critic: 'Zoë Ångström', credit: 'Zoë Ångström', score: null, band: null, date: '2016-02-29', line: 19 },
		]);
		expect(amelie.criticReviews.map((r) => r.excerpt)).toEqual([
			'**Loud** praise for @everyone and <@123>; ||the ending|| stays hidden.\nA second line of the same excerpt.',
			'Unsigned, and still right.',
			'Exactly on the line between mixed and negative: mixed.',
			'Two things:\n2. this numbered line is deeper, so it is excerpt text.',
		]);
	});

	it('Metacritic: "based on 1 Critic" (singular), mixed being the rest; 39 is negative', () => {
		expect(zoe.consensus).toEqual({ verdict: 'Mixed or average reviews', critics: 1, positive: 0, mixed: 1, negative: 0 });
		expect(zoe.criticReviews).toMatchObject([
			{ position: 1, critic: null, credit: 'Uncredited', score: 39, band: 'negative', date: null, excerpt: 'One critic, one line.' },
		]);
	});
});

/* ------------------------------------------------------------------ property tests */

const RUNS = { numRuns: 200 };
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ODD_SPACE = /[\s\u00a0\u2000-\u200a\u202f\u205f\u3000\p{C}]/gu;

/** A word of printable unicode (no spaces, no control or format characters), sometimes a tricky token. */
const word = fc.oneof(
	{
		weight: 6,
		arbitrary: fc
			.string({ unit: 'grapheme', minLength: 1, maxLength: 10 })
			.map((s) => s.replace(ODD_SPACE, ''))
			.filter((s) => s !== ''),
	},
	{
		weight: 1,
		arbitrary: fc.constantFrom(
			'9/10',
			'10/10',
			'Permalink',
			'March',
			'2009',
			'out',
			'of',
			'found',
			'**',
			'||',
			'@everyone',
			'<@123>',
			'Jul',
			'15,',
			'Warning:',
			'Spoilers',
			'1.',
			'Reviewed',
			'by:',
		),
	},
);
const line = fc.array(word, { minLength: 1, maxLength: 12 }).map((ws) => ws.join(' '));

const HELPFUL_LIKE = /^[\d,]+ out of [\d,]+ found this helpful/i;
const RATING_LIKE = /^\d{1,2}\/10$/;
/** A body line may be anything but a block's end. */
const bodyLine = line.filter((l) => !/^permalink$/i.test(l) && !HELPFUL_LIKE.test(l));
const paragraph = fc.array(bodyLine, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('\n'));
const body = fc
	.array(paragraph, { minLength: 1, maxLength: 8 })
	.map((ps) => ps.join('\n\n'))
	.filter((b) => {
		const ls = b.split('\n');
		if (/^warning:\s*spoilers$/i.test(ls[0] ?? '')) return false;
		// Documented limit: a rating line, a line, an author/date line inside a body reads as a new review.
		return !ls.some(
			(l, j) =>
				RATING_LIKE.test(l) &&
				(ls[j + 1] ?? '') !== '' &&
				!splitAuthorDate(ls[j + 1] ?? '') &&
				splitAuthorDate(ls[j + 2] ?? '') !== undefined,
		);
	});
const title = line.filter(
	(t) => !/^permalink$/i.test(t) && splitAuthorDate(t) === undefined && !/^[\d,]+\s+reviews?$|^(filter by rating:?|sort by:?)$/i.test(t),
);

/** IMDb-style user names: letters, digits, `_`, `.`, `-`, a few accented letters; never ending in "-". */
const author = fc.oneof(
	fc.stringMatching(/^[A-Za-zøéë][A-Za-z0-9øéë_.-]{0,15}$/).filter((a) => !a.endsWith('-')),
	fc.constantFrom('PAolo-10', 'alke-2', 'Pjtaylor-96-138044', 'UlrikSander', 'slake09', 'x-1', 'a1'),
);
const calendarDate = fc
	.record({ year: fc.integer({ min: 1990, max: 2030 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
	.map(({ year, month, day }) => ({ year, month, day: Math.min(day, daysInMonth(year, month)) }));

/**
 * The documented split rule, applied to what was generated: when the author ends in a digit and that
 * digit with a one-digit day makes a valid two-digit day (leaving a name that is non-empty and does not
 * end in "-"), the two-digit day wins. Otherwise the line splits back into exactly what was rendered.
 */
function expectedSplit(name: string, date: { year: number; month: number; day: number }): { author: string; date: string } {
	const last = name.at(-1) ?? '';
	const rest = name.slice(0, -1);
	if (date.day < 10 && /[1-9]/.test(last) && rest !== '' && !rest.endsWith('-')) {
		const two = isoDate(date.year, date.month, Number(last + String(date.day)));
		if (two !== undefined) return { author: rest, date: two };
	}
	return { author: name, date: isoDate(date.year, date.month, date.day) ?? 'invalid' };
}

const authorLine = (name: string, d: { year: number; month: number; day: number }) => `${name}${d.day} ${MONTHS[d.month - 1]} ${d.year}`;
const withCommas = (n: number, commas: boolean) => (commas ? n.toLocaleString('en-US') : String(n));

describe('splitAuthorDate', () => {
	it('round-trips author + day + month + year whenever the pair is unambiguous', () => {
		fc.assert(
			fc.property(author, calendarDate, (name, d) => {
				const expected = expectedSplit(name, d);
				fc.pre(expected.author === name);
				expect(splitAuthorDate(authorLine(name, d))).toEqual({ author: name, date: isoDate(d.year, d.month, d.day) });
			}),
			RUNS,
		);
	});

	it('follows the documented rule on every pair, ambiguous ones included', () => {
		fc.assert(
			fc.property(author, calendarDate, (name, d) => {
				expect(splitAuthorDate(authorLine(name, d))).toEqual(expectedSplit(name, d));
			}),
			RUNS,
		);
		expect(splitAuthorDate('PAolo-108 February 2009')).toEqual({ author: 'PAolo-10', date: '2009-02-08' });
		expect(splitAuthorDate('alke-23 January 2005')).toEqual({ author: 'alke-2', date: '2005-01-03' });
		expect(splitAuthorDate('Pjtaylor-96-13804426 April 2022')).toEqual({ author: 'Pjtaylor-96-138044', date: '2022-04-26' });
		expect(splitAuthorDate('UlrikSander11 March 2006')).toEqual({ author: 'UlrikSander', date: '2006-03-11' });
	});
});

const userRecord = fc.record({
	rating: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
	title,
	author,
	date: calendarDate,
	spoiler: fc.boolean(),
	body,
	helpful: fc
		.integer({ min: 0, max: 5000 })
		.chain((total) => fc.record({ up: fc.integer({ min: 0, max: total }), total: fc.constant(total), commas: fc.boolean() })),
});

describe('IMDb layout: render records, parse them back', () => {
	it('parses exactly the generated reviews, line numbers included', () => {
		fc.assert(
			fc.property(fc.array(userRecord, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.boolean(), (records, crlf, chrome) => {
				const out = ['Some Film (2001) Poster', '', `${records.length + 3} Reviews`, 'Sort by:', 'Filter by Rating:'];
				const expected = records.map((r) => {
					const first = out.length + 1;
					if (r.rating !== null) out.push(`${r.rating}/10`);
					out.push(r.title, authorLine(r.author, r.date));
					if (r.spoiler) out.push('Warning: Spoilers');
					out.push(...r.body.split('\n'));
					out.push(
						`${withCommas(r.helpful.up, r.helpful.commas)} out of ${withCommas(r.helpful.total, r.helpful.commas)} found this helpful. Was this review helpful? Sign in to vote.`,
						'Permalink',
					);
					const who = expectedSplit(r.author, r.date);
					return {
						source: { file: 'p.txt', line: first },
						rating: r.rating,
						title: r.title,
						author: who.author,
						date: who.date,
						spoiler: r.spoiler,
						body: r.body,
						helpful: { up: r.helpful.up, total: r.helpful.total },
					};
				});
				if (chrome) out.push('An error has occured. Please try again.', '', 'See also', '');
				const page = readPage('p.txt', new TextEncoder().encode(out.join(crlf ? '\r\n' : '\n')));
				expect(page.errors).toEqual([]);
				const parsed = parseImdb(page.value!);
				expect(parsed.errors).toEqual([]);
				expect(parsed.value?.info).toEqual({ title: 'Some Film', year: 2001, siteReviewCount: records.length + 3 });
				expect(parsed.value?.reviews).toEqual(expected);
			}),
			RUNS,
		);
	});
});

const criticName = fc
	.array(fc.stringMatching(/^[A-Z][a-zøéëåO'.-]{0,10}$/), { minLength: 1, maxLength: 3 })
	.map((ws) => ws.join(' '))
	.filter((n) => !/\[\s*not credited\s*\]|^uncredited$|^unknown$/i.test(n));
const excerptLine = line.filter((l) => !/^\d+\.\s/.test(l));
const criticRecord = fc.oneof(
	fc.record({
		kind: fc.constant('named' as const),
		name: criticName,
		pad: fc.constantFrom('\u00a0', '\u00a0 ', ' \u00a0\u00a0', '  '),
		date: fc.option(calendarDate, { nil: null }),
		excerpt: fc.array(excerptLine, { minLength: 1, maxLength: 3 }),
	}),
	fc.record({
		kind: fc.constant('staff' as const),
		date: fc.option(calendarDate, { nil: null }),
		excerpt: fc.array(excerptLine, { minLength: 1, maxLength: 3 }),
	}),
	fc.record({
		kind: fc.constant('score' as const),
		score: fc.integer({ min: 0, max: 100 }),
		excerpt: fc.array(excerptLine, { minLength: 1, maxLength: 3 }),
	}),
);
const DATE_LIKE = /^([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s+(\d{4})$/;

const distribution = fc.integer({ min: 1, max: 3000 }).chain((critics) =>
	fc.integer({ min: 0, max: critics }).chain((positive) =>
		fc.record({
			critics: fc.constant(critics),
			positive: fc.constant(positive),
			negative: fc.integer({ min: 0, max: critics - positive }),
			printMixed: fc.boolean(),
		}),
	),
);

describe('Metacritic layout: render records, parse them back', () => {
	it('parses exactly the generated entries and the consensus', () => {
		fc.assert(
			fc.property(
				fc.array(criticRecord, { minLength: 1, maxLength: 8 }).filter((rs) => rs.every((r) => !DATE_LIKE.test(r.excerpt[0] ?? ''))),
				distribution,
				fc.constantFrom('Generally favorable reviews', 'Mixed or average reviews', 'Universal acclaim'),
				(records, counts, verdict) => {
					const { critics, positive, negative } = counts;
					const mixed = critics - positive - negative;
					const n = (k: number) => withCommas(k, true);
					const out = [
						`${verdict} - based on ${n(critics)} Critic${critics === 1 ? '' : 's'}`,
						'',
						'Critic score distribution:',
						`  1. Positive: ${n(positive)} out of ${n(critics)}`,
					];
					if (counts.printMixed) out.push(`  2. Mixed: ${n(mixed)} out of ${n(critics)}`);
					out.push(`  3. Negative: ${n(negative)} out of ${n(critics)}`, '', 'Critic Reviews', '');
					const expected = records.map((r, i) => {
						const position = i + 1;
						const line = out.length + 1;
						const date = r.kind === 'score' || r.date === null ? null : r.date;
						if (r.kind === 'named') out.push(`  ${position}. Reviewed by:${r.pad}${r.name.replace(/ /g, r.pad)}${r.pad}`);
						else if (r.kind === 'staff') out.push(`  ${position}. Reviewed by:\u00a0Staff [Not Credited]`);
						else out.push(`  ${position}. ${r.score}`);
						if (date !== null) out.push(`    ${SHORT_MONTHS[date.month - 1]} ${date.day}, ${date.year}`);
						out.push(...r.excerpt.map((l) => `    ${l}`));
						const score = r.kind === 'score' ? r.score : null;
						return {
							source: { file: 'm.txt', line },
							position,
							critic: r.kind === 'named' ? r.name : null,
							credit: r.kind === 'named' ? r.name : r.kind === 'staff' ? 'Staff [Not Credited]' : 'Uncredited',
							score,
							band: score === null ? null : score >= 61 ? 'positive' : score >= 40 ? 'mixed' : 'negative',
							date: date === null ? null : isoDate(date.year, date.month, date.day),
							excerpt: r.excerpt.join('\n'),
						};
					});
					const page = readPage('m.txt', new TextEncoder().encode(`${out.join('\n')}\n`));
					expect(page.errors).toEqual([]);
					const parsed = parseMetacritic(page.value!);
					expect(parsed.errors).toEqual([]);
					expect(parsed.value).toEqual({ consensus: { verdict, critics, positive, mixed, negative }, reviews: expected });
				},
			),
			RUNS,
		);
	});
});
