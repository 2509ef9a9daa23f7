import { beforeAll, describe, expect, it } from 'vitest';
import { decodeState, encodeState } from '../commands/reviews.js';
import type { FinalReply } from '../src/reply/respond.js';
import type { ReviewStore } from '../src/domain/store.js';
import { click, command, expectValid, film, memoryCache, run, seedStore, storeOf, USER, userReview } from './helpers.js';

/** The page buttons of a reply, by label. */
const buttons = (data: FinalReply): { label: string; customId: string; disabled: boolean }[] =>
	(data.components ?? []).flatMap((row) =>
		'components' in row
			? row.components.flatMap((c) =>
					'label' in c && 'custom_id' in c && c.label && c.custom_id
						? [{ label: c.label, customId: c.custom_id, disabled: c.disabled ?? false }]
						: [],
				)
			: [],
	);
const button = (data: FinalReply, label: string) => {
	const found = buttons(data).find((b) => b.label === label);
	if (!found) throw new Error(`no button ${label}`);
	return found;
};
/** The disabled middle button of the first row: where the reader is. */
const indicator = (data: FinalReply): string => buttons(data)[2]?.label ?? '';

describe('/reviews paging on a film with more than 99,999 reviews', () => {
	const COUNT = 158_525;
	// Equal helpful votes: the most-helpful order is the page's own, so page N is review N.
	const big = storeOf([film('big', 'Big', { userReviews: Array.from({ length: COUNT }, (_, i) => userReview('big', i + 1)) })]);

	it('Next on page 99,999 turns to page 100,000, and paging reaches the last review', async () => {
		const cache = await memoryCache();
		const page = async (customId: string): Promise<FinalReply> => {
			const outcome = await run(click(customId), { store: big, cache });
			expect(outcome.kind).toBe('update');
			return expectValid(outcome)!;
		};
		const p99999 = await page(encodeState('n', { filmId: 'big', kind: 'user', sort: 'helpful', page: 99_999, owner: USER }));
		expect(p99999.embeds![0]!.author!.name).toBe('author99999');
		const p100000 = await page(button(p99999, 'Next ▶').customId);
		expect(p100000.embeds![0]!.author!.name).toBe('author100000');
		expect(p100000.embeds![0]!.footer!.text).toBe(`Big (2001) · user review 100000 of ${COUNT} · most helpful first`);
		const back = await page(button(p100000, '◀ Previous').customId);
		expect(back.embeds![0]!.author!.name).toBe('author99999');

		const beforeLast = await page(encodeState('n', { filmId: 'big', kind: 'user', sort: 'helpful', page: COUNT - 1, owner: USER }));
		const last = await page(button(beforeLast, 'Next ▶').customId);
		expect(last.embeds![0]!.author!.name).toBe(`author${COUNT}`);
		expect(last.embeds![0]!.footer!.text).toBe(`Big (2001) · user review ${COUNT} of ${COUNT} · most helpful first`);
		expect(button(last, 'Next ▶').disabled).toBe(true);
		// The sort buttons on the last page keep it, and work too.
		const newest = await page(button(last, 'Newest').customId);
		expect(newest.embeds![0]!.footer!.text).toBe(`Big (2001) · user review ${COUNT} of ${COUNT} · newest first`);
	});

	it('the longest state any film can have (a 50-character film id, 20-digit user id, the largest page an array allows) fits 100 characters and round-trips', () => {
		// A page is a position in a JavaScript array, which holds at most 2^32 - 1 elements.
		const state = { filmId: 'a'.repeat(50), kind: 'critic' as const, sort: 'rating' as const, page: 2 ** 32 - 1, owner: '9'.repeat(20) };
		for (const action of ['o', 'p', 'i', 'n', 'k1', 'k2', 's0', 's1', 's2']) {
			const id = encodeState(action, state);
			expect(id.length).toBeLessThanOrEqual(100);
			expect(decodeState(id)).toEqual(state);
		}
		// Anything longer is no page a film can have, and no button this bot made.
		expect(decodeState(encodeState('n', { ...state, page: 10 ** 10 }))).toBeUndefined();
	});
});

describe('/reviews page numbering', () => {
	let store: ReviewStore;
	beforeAll(async () => {
		store = await seedStore();
	});

	it('the overview is not counted as a page: 25 reviews page from "1 / 25" to "25 / 25", as the footer counts them', async () => {
		const cache = await memoryCache();
		let data = expectValid(await run(command('reviews', { film: 'Pusher II' }), { store, cache }))!;
		expect(
			buttons(data)
				.slice(0, 4)
				.map((b) => [b.label, b.disabled]),
		).toEqual([
			['Overview', true],
			['◀ Previous', true],
			['25 reviews', true],
			['Next ▶', false],
		]);
		for (let n = 1; n <= 25; n++) {
			data = expectValid(await run(click(button(data, 'Next ▶').customId), { store, cache }))!;
			expect(indicator(data)).toBe(`${n} / 25`);
			expect(data.embeds![0]!.footer!.text).toBe(`Pusher II (2004) · user review ${n} of 25 · most helpful first`);
		}
		expect(button(data, 'Next ▶').disabled).toBe(true);
	});

	it('a critic page is numbered by its place in the order shown: title, footer and indicator agree under every sort', async () => {
		const cache = await memoryCache();
		const overview = expectValid(await run(command('reviews', { film: 'Pusher' }), { store, cache }))!;
		// Highest rated: the one scored review (second on the source page) comes first.
		const rated = expectValid(await run(click(button(overview, 'Highest rated').customId), { store, cache }))!;
		expect(rated.embeds![0]!.title).toBe('Critic review #1');
		expect(rated.embeds![0]!.author!.name).toBe('Uncredited');
		expect(rated.embeds![0]!.footer!.text).toBe('Pusher (1996) · critic review 1 of 11 · highest rated first');
		expect(indicator(rated)).toBe('1 / 11');
		expect(indicator(overview)).toBe('11 reviews');
		for (const sort of ['helpful', 'newest', 'rating'] as const) {
			for (let page = 1; page <= 11; page++) {
				const data = expectValid(
					await run(click(encodeState('i', { filmId: 'pusher-1996', kind: 'critic', sort, page, owner: USER })), { store, cache }),
				)!;
				const embed = data.embeds![0]!;
				expect(embed.title, `${sort} ${page}`).toBe(`Critic review #${page}`);
				expect(embed.footer!.text).toMatch(new RegExp(`^Pusher \\(1996\\) · critic review ${page} of 11 · `));
				expect(indicator(data)).toBe(`${page} / 11`);
			}
		}
	});
});
