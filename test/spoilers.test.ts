// Spoilers judged as Discord reads markdown (discord-markdown-parser, via the fake Discord's validator): after an
// opening `||`, the first two adjacent bars of the raw text close it, escaped or not (issue #9, item 1).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeState } from '../commands/reviews.js';
import { reviewText, userReviewField } from '../commands/render.js';
import { safe, spoilerTag, truncateMarkdown } from '../src/reply/format.js';
import { markdown, type MarkdownNode, shownText, spoilerProblems } from './fake-discord/validate.js';
import { click, command, expectValid, film, memoryCache, run, storeOf, USER, userReview } from './helpers.js';

const ISSUE_BODY = 'Great film, watch it. ||| The killer is the butler, who dies in the last scene.';
const ZWSP = /\u200b/g;

/** The spoiler `text` opens with, and what shows after it, as Discord reads it. */
function split(text: string): { hidden: string; after: string } {
	const [first, ...rest] = markdown(text);
	expect(first?.type, JSON.stringify(text)).toBe('spoiler');
	return { hidden: shownText((first?.content ?? []) as MarkdownNode[]).replace(ZWSP, ''), after: shownText(rest) };
}

/** Every character of `body` shown inside the spoiler: all of it, or a cut of it ending in an ellipsis. */
function expectHidden(hidden: string, body: string): void {
	if (hidden === body) return;
	expect(hidden.endsWith('…'), JSON.stringify({ hidden, body })).toBe(true);
	expect(body.startsWith(hidden.slice(0, -1)), JSON.stringify({ hidden, body })).toBe(true);
}

/** Review-like text, heavy in the characters that make or break markdown. */
const marky = (maxLength: number) =>
	fc.string({ unit: fc.constantFrom('|', '|', '|', '\\', '*', '~', '_', '`', 'a', 'b', ' ', ' ', '\n', '.'), maxLength });

describe('a spoiler review whose body holds an odd run of bars (the leak of issue #9)', () => {
	const s = storeOf([
		film('x', 'X', { userReviews: [userReview('x', 1, { body: ISSUE_BODY, spoiler: true, helpful: { up: 5, total: 5 } })] }),
	]);

	it('every bar is escaped on its own: no two raw bars are ever adjacent', () => {
		expect(safe('a ||| b || c |')).toBe('a \\|\\|\\| b \\|\\| c \\|');
		expect(safe('\\||')).toBe('\\\\\\|\\|');
	});

	it('every backtick is escaped too: of four in a row escapeMarkdown left the fourth, which opened code in the spoiler', () => {
		expect(safe('````|`')).toBe('\\`\\`\\`\\`\\|\\`');
		expect(split(reviewText('````|` and more', true, 100))).toEqual({ hidden: '````|` and more', after: '' });
	});

	it('the overview field, the review page and /quote keep the whole body inside the spoiler', async () => {
		const cache = await memoryCache();
		const overview = expectValid(await run(command('reviews', { film: 'X' }), { store: s, cache }))!;
		const field = overview.embeds![0]!.fields!.find((f) => f.name.startsWith('Most helpful: '))!;
		expect(split(field.value)).toEqual({ hidden: ISSUE_BODY, after: '\n— author1 · ★ 7/10 · 1 Jan 2020 · 5 of 5 found this helpful' });
		const page = expectValid(
			await run(click(encodeState('n', { filmId: 'x', kind: 'user', sort: 'helpful', page: 1, owner: USER })), { store: s, cache }),
		)!;
		expect(split(page.embeds![0]!.description!)).toEqual({ hidden: ISSUE_BODY, after: '' });
		// The second sentence ("||| The killer …") is the one /quote can pick that holds the bars.
		const quote = expectValid(await run(command('quote', { film: 'X', kind: 'user' }, 'random'), { store: s, cache, random: () => 0.99 }))!;
		const { hidden, after } = split(quote.embeds![0]!.description!);
		expect(hidden).toBe('“||| The killer is the butler, who dies in the last scene.”');
		expect(after).toBe('\n— author1 on X (2001)');
	});

	it('a body ending in a bar, or in a backslash, neither closes the spoiler early nor eats its closing tag', () => {
		for (const body of ['the end |', 'the end ||', 'the end \\', 'the end \\|', '|', '\\']) {
			const tagged = reviewText(body, true, 100);
			expect(spoilerProblems(tagged), tagged).toEqual([]);
			expect(split(tagged)).toEqual({ hidden: body, after: '' });
		}
	});
});

describe('truncation reads spoilers as Discord does', () => {
	it('a cut inside a spoiler whose body holds escaped bars closes it again', () => {
		const body = `${'word '.repeat(3)}||| ${'the butler did it '.repeat(5)}`;
		const cut = truncateMarkdown(`||${safe(body)}||`, 60);
		expect(cut.length).toBeLessThanOrEqual(60);
		expect(spoilerProblems(cut)).toEqual([]);
		expectHidden(split(cut).hidden, body);
	});

	it('a spoiler closed right after an escaped backslash is closed: the cut after it adds no closing tag', () => {
		const text = `${spoilerTag(safe('C:\\'), 100)} ${safe('and more words '.repeat(10))}`;
		const cut = truncateMarkdown(text, 40);
		expect(cut).toBe('||C:\\\\|| and more words and more…');
		expect(spoilerProblems(cut)).toEqual([]);
	});
});

describe('property: every character of a spoiler body stays inside the spoiler', () => {
	it('reviewText at any length, cut at any point, with any suffix', () => {
		fc.assert(
			fc.property(
				marky(400),
				fc.integer({ min: 8, max: 450 }),
				fc.constantFrom('', '\n\n*(read more on the source site)*', ' |'),
				(body, room, suffix) => {
					const max = room + suffix.length;
					const text = reviewText(body, true, max, suffix);
					expect(text.length).toBeLessThanOrEqual(max);
					expect(spoilerProblems(text), text).toEqual([]);
					const { hidden, after } = split(text);
					expectHidden(hidden, body);
					expect(after).toBe(hidden === body ? '' : shownText(markdown(suffix)));
				},
			),
			{ numRuns: 2000 },
		);
	});

	it('spoilerTag and truncateMarkdown on escaped text, before and after other escaped text', () => {
		fc.assert(
			fc.property(marky(200), marky(200), fc.integer({ min: 1, max: 500 }), (body, tail, max) => {
				const text = truncateMarkdown(`${spoilerTag(safe(body), 4000)}\n${safe(tail)}`, max);
				expect(text.length).toBeLessThanOrEqual(max);
				expect(spoilerProblems(text), text).toEqual([]);
				const [first] = markdown(text);
				if (first?.type !== 'spoiler') {
					// Cut before the spoiler could close: nothing of the body may show.
					expect(shownText(markdown(text)).replace(/[|…]/g, '')).toBe('');
					return;
				}
				expectHidden(split(text).hidden, body);
			}),
			{ numRuns: 2000 },
		);
	});

	it('the user review field, whatever the body, title and author', () => {
		fc.assert(
			fc.property(marky(600), marky(60), marky(30), fc.integer({ min: 40, max: 900 }), (body, title, author, max) => {
				const field = userReviewField(userReview('x', 1, { body, title, author, spoiler: true }), 'en', max);
				expect(spoilerProblems(field.value), field.value).toEqual([]);
				expect(spoilerProblems(field.name), field.name).toEqual([]);
				expectHidden(split(field.value).hidden, body);
			}),
			{ numRuns: 1000 },
		);
	});
});
