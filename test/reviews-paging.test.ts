import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from '../commands/reviews.js';
import type { FinalReply } from '../src/discord/respond.js';
import { click, expectValid, film, memoryCache, run, storeOf, USER, userReview } from './helpers.js';

/** The page buttons of a reply, by label. */
const buttons = (data: FinalReply): { label: string; customId: string; disabled: boolean }[] =>
	(data.components ?? []).flatMap((row) =>
		'components' in row ? row.components.flatMap((c) => ('label' in c && 'custom_id' in c && c.label && c.custom_id ? [{ label: c.label, customId: c.custom_id, disabled: c.disabled ?? false }] : [])) : [],
	);
const button = (data: FinalReply, label: string) => {
	const found = buttons(data).find((b) => b.label === label);
	if (!found) throw new Error(`no button ${label}`);
	return found;
};

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
