import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readUnavailable } from '../commands/members-render.js';
import { decodeState, encodeState } from '../commands/reviews.js';
import type { Cache } from '../src/cache.js';
import type { ReviewStore } from '../src/domain/store.js';
import type { MemberStore } from '../src/members/store.js';
import { finalizeReply } from '../src/reply/respond.js';
import { click, command, criticReview, film, memoryCache, OTHER_USER, seedStore, storeOf, USER, userReview } from './helpers.js';
import { ALICE, answer, BOB, buttonId, buttonRows, CAROL, clock, GUILD_A, GUILD_B, ok, openMembers } from './member-views.js';

let store: ReviewStore;
let members: MemberStore;
let cache: Cache;
const FILM = 'pusher-ii-2004';
const DAY = 86_400_000;
beforeAll(async () => {
	store = await seedStore();
	members = await openMembers();
	const start = clock.now;
	ok(await members.rate(GUILD_A, ALICE, FILM, 9));
	ok(await members.writeReview(GUILD_A, ALICE, FILM, { title: 'Better than the first', body: 'Tonny carries it.', spoiler: false }));
	clock.now = start + DAY;
	ok(await members.rate(GUILD_A, BOB, FILM, 6));
	ok(await members.writeReview(GUILD_A, BOB, FILM, { title: 'The ending', body: 'He **walks** away @everyone ||free||', spoiler: true }));
	clock.now = start + 2 * DAY;
	ok(await members.writeReview(GUILD_A, CAROL, FILM, { title: '', body: 'Not rated, just thoughts.', spoiler: false }));
	ok(await members.writeReview(GUILD_B, CAROL, FILM, { title: 'Guild B only', body: 'Elsewhere.', spoiler: false }));
});
beforeEach(async () => {
	cache = await memoryCache();
});

const inA = async (incoming: Parameters<typeof answer>[0], user = USER) =>
	answer({ ...incoming, userId: user }, GUILD_A, { store, cache, members });
const labels = (data: Awaited<ReturnType<typeof inA>>['data']) =>
	buttonRows(data).map((row) => row.map((b) => (b.disabled ? `(${b.label})` : b.label)));

describe("/reviews: members' reviews", () => {
	it('a Members kind beside Users; newest first, one review a page, spoilers hidden and text escaped like site reviews', async () => {
		const overview = (await inA(command('reviews', { film: 'Pusher II' }))).data;
		expect(overview.embeds![0]!.fields![2]!.value).toBe('**7.5/10** from 2 members · 3 member reviews');
		expect(labels(overview)[1]).toEqual(['(Users)', 'Members', '(Most helpful)', 'Newest', 'Highest rated']);

		const first = await inA(click(buttonId(overview, 'Members')));
		expect(first.kind).toBe('update');
		expect(first.data.embeds).toEqual([
			{
				title: 'Member review',
				description: 'Not rated, just thoughts.',
				color: 0x5865f2,
				fields: [
					{ name: 'Member', value: `<@${CAROL}>`, inline: true },
					{ name: 'Rating', value: 'no rating', inline: true },
					{ name: 'Date', value: '22 Nov 2026', inline: true },
				],
				footer: { text: 'Pusher II (2004) · member review 1 of 3 · newest first' },
			},
		]);
		expect(labels(first.data)).toEqual([
			['Overview', '◀ Previous', '(1 / 3)', 'Next ▶'],
			['Users', '(Members)', '(Newest)', 'Highest rated'],
		]);

		const second = (await inA(click(buttonId(first.data, 'Next ▶')))).data;
		expect(second.embeds![0]!.title).toBe('The ending · ⚠️ Spoiler');
		expect(second.embeds![0]!.description).toBe('||He \\*\\*walks\\*\\* away @\u200beveryone \\|\\|free\\|\\|\u200b||');
		expect(second.embeds![0]!.fields![1]).toEqual({ name: 'Rating', value: '★ 6/10', inline: true });

		const third = (await inA(click(buttonId(second, 'Next ▶')))).data;
		expect(third.embeds![0]!.footer!.text).toBe('Pusher II (2004) · member review 3 of 3 · newest first');
		expect(labels(third)[0]).toEqual(['Overview', '◀ Previous', '(3 / 3)', '(Next ▶)']);
		const back = (await inA(click(buttonId(third, '◀ Previous')))).data;
		expect(back.embeds![0]!.title).toBe('The ending · ⚠️ Spoiler');
		expect(labels(back)[0]).toEqual(['Overview', '◀ Previous', '(2 / 3)', 'Next ▶']);
		const home = (await inA(click(buttonId(back, 'Overview')))).data;
		expect(home.embeds![0]!.fields!.slice(0, 4)).toEqual(overview.embeds![0]!.fields!.slice(0, 4));
		expect(home.embeds![0]!.footer!.text).toBe('3 member reviews to page through · newest first');
		expect(labels(home)[0]).toEqual(['(Overview)', '(◀ Previous)', '(3 reviews)', 'Next ▶']);
	});

	it('with critics, users and members, the kinds take a row of their own above the orders', async () => {
		const both = storeOf([
			film('both', 'Both', { criticReviews: [criticReview('both', 1)], userReviews: [userReview('both', 1), userReview('both', 2)] }),
		]);
		const local = await openMembers();
		ok(await local.writeReview(GUILD_A, ALICE, 'both', { title: 'Mine', body: 'Text.', spoiler: false }));
		const overview = (await answer(command('reviews', { film: 'Both' }), GUILD_A, { store: both, cache, members: local })).data;
		expect(labels(overview)).toEqual([
			['(Overview)', '(◀ Previous)', '(2 reviews)', 'Next ▶'],
			['Critics', '(Users)', 'Members'],
			['(Most helpful)', 'Newest', 'Highest rated'],
		]);
	});

	it('highest rated first, unrated last; the order button keeps the page number', async () => {
		const overview = (await inA(command('reviews', { film: 'Pusher II' }))).data;
		const newest = (await inA(click(buttonId(overview, 'Members')))).data;
		const highest = (await inA(click(buttonId(newest, 'Highest rated')))).data;
		expect(highest.embeds![0]!.title).toBe('Better than the first');
		const titles = [highest.embeds![0]!.title];
		let page = highest;
		for (let i = 0; i < 2; i++) {
			page = (await inA(click(buttonId(page, 'Next ▶')))).data;
			titles.push(page.embeds![0]!.title);
		}
		expect(titles).toEqual(['Better than the first', 'The ending · ⚠️ Spoiler', 'Member review']);
		expect(page.embeds![0]!.footer!.text).toBe('Pusher II (2004) · member review 3 of 3 · highest rated first');
		expect((await inA(click(buttonId(page, 'Newest')))).data.embeds![0]!.footer!.text).toBe(
			'Pusher II (2004) · member review 3 of 3 · newest first',
		);
	});

	it("Next carries a keyset cursor: a review written meanwhile shifts no page; the Users button leaves members' pages", async () => {
		const local = await openMembers();
		const start = clock.now;
		for (const [i, user] of [ALICE, BOB].entries()) {
			clock.now = start + i * DAY;
			ok(await local.writeReview(GUILD_A, user, FILM, { title: `By ${i}`, body: 'Text.', spoiler: false }));
		}
		const deps = { store, cache, members: local };
		const overview = (await answer(command('reviews', { film: 'Pusher II' }), GUILD_A, deps)).data;
		const first = (await answer(click(buttonId(overview, 'Members')), GUILD_A, deps)).data;
		expect(first.embeds![0]!.title).toBe('By 1');
		clock.now = start + 5 * DAY;
		ok(await local.writeReview(GUILD_A, CAROL, FILM, { title: 'Newer', body: 'Text.', spoiler: false }));
		const second = (await answer(click(buttonId(first, 'Next ▶')), GUILD_A, deps)).data;
		expect(second.embeds![0]!.title).toBe('By 0');
		expect(second.embeds![0]!.footer!.text).toBe('Pusher II (2004) · member review 2 of 3 · newest first');
		const users = (await answer(click(buttonId(second, 'Users')), GUILD_A, deps)).data;
		expect(users.embeds![0]!.footer!.text).toBe('Pusher II (2004) · user review 1 of 25 · newest first');
	});

	it("each server pages through its own members' reviews; a DM has none", async () => {
		const overview = (await answer(command('reviews', { film: 'Pusher II' }), GUILD_B, { store, cache, members })).data;
		const page = (await answer(click(buttonId(overview, 'Members')), GUILD_B, { store, cache, members })).data;
		expect(page.embeds![0]!.title).toBe('Guild B only');
		expect(page.embeds![0]!.footer!.text).toBe('Pusher II (2004) · member review 1 of 1 · newest first');
		const dm = (await answer(command('reviews', { film: 'Pusher II' }), null, { store, cache, members })).data;
		expect(labels(dm)[1]).toEqual(['(Most helpful)', 'Newest', 'Highest rated']);
		// A member page's button pressed where there are no member reviews: the overview of the site's reviews, in the nearest order.
		const stray = (await answer(click(buttonId(page, 'Next ▶')), null, { store, cache, members })).data;
		expect(stray.embeds![0]!.footer!.text).toBe('25 user reviews to page through · newest first');
	});

	it('pages forward by cursor and back by number through more than one read of the store (30 reviews)', async () => {
		const local = await openMembers();
		const start = clock.now;
		for (let i = 0; i < 30; i++) {
			clock.now = start + i * 1000;
			ok(
				await local.writeReview(GUILD_A, String(700000000000000000n + BigInt(i)), FILM, {
					title: `Review ${i}`,
					body: 'Text.',
					spoiler: false,
				}),
			);
		}
		const deps = { store, cache, members: local };
		let page = (
			await answer(click(buttonId((await answer(command('reviews', { film: 'Pusher II' }), GUILD_A, deps)).data, 'Members')), GUILD_A, deps)
		).data;
		const forward = [page.embeds![0]!.title];
		for (let i = 1; i < 30; i++) {
			page = (await answer(click(buttonId(page, 'Next ▶')), GUILD_A, deps)).data;
			forward.push(page.embeds![0]!.title);
		}
		expect(forward).toEqual(Array.from({ length: 30 }, (_, i) => `Review ${29 - i}`));
		const back = [page.embeds![0]!.title];
		for (let i = 1; i < 30; i++) {
			page = (await answer(click(buttonId(page, '◀ Previous')), GUILD_A, deps)).data;
			back.push(page.embeds![0]!.title);
		}
		expect(back).toEqual([...forward].reverse());
		expect(labels(page)[0]).toEqual(['Overview', '◀ Previous', '(1 / 30)', 'Next ▶']);
	});

	it('only the invoker turns pages; a page past the end shows the last; a forged cursor or an unavailable store gets a polite ephemeral line', async () => {
		const overview = (await inA(command('reviews', { film: 'Pusher II' }))).data;
		const first = (await inA(click(buttonId(overview, 'Members')))).data;
		const next = buttonId(first, 'Next ▶');
		// The same answer as to a site page's button.
		expect((await inA(click(next), OTHER_USER)).data).toEqual((await inA(click(buttonId(overview, 'Next ▶')), OTHER_USER)).data);
		const forged = next.replace(/:mn:(\w+):[^:]+:/, ':mn:$1:zz.zz:');
		expect((await inA(click(forged))).data).toMatchObject({
			content: "That button isn't one I recognise any more. Run `/reviews` again to get fresh pages.",
			flags: 64,
		});
		const far = encodeState('n', { filmId: FILM, kind: 'member', sort: 'newest', page: 99, after: null, owner: USER });
		expect((await inA(click(far))).data.embeds![0]!.footer!.text).toBe('Pusher II (2004) · member review 3 of 3 · newest first');
		const closed = await openMembers();
		await closed.close();
		const down = await answer(click(next), GUILD_A, { store, cache, members: closed });
		expect(down).toEqual({ kind: 'reply', data: finalizeReply(readUnavailable('en')) });
	});

	it('a member page state round-trips in at most 100 characters, for the longest film id, cursor, page and owner', () => {
		const snowflake = fc.bigInt({ min: 10n ** 16n, max: 2n ** 64n - 1n }).map(String);
		const cursor = fc.oneof(
			fc.constant(null),
			fc
				.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 999_999_999_999_999 }), snowflake)
				.map(([s, at, u]) => `${s}.${at}.${u}`),
			fc.tuple(fc.integer({ min: 0, max: 999_999_999_999_999 }), snowflake).map(([at, u]) => `${at}.${u}`),
		);
		fc.assert(
			fc.property(
				fc.stringMatching(/^[a-z0-9]{1,30}(-[a-z0-9]{1,9}){0,2}$/).map((id) => id.slice(0, 50).replace(/-$/, '')),
				fc.constantFrom('newest' as const, 'highest' as const),
				fc.integer({ min: 0, max: 64 ** 4 - 1 }),
				cursor,
				snowflake,
				(filmId, sort, page, after, owner) => {
					const state = { filmId, kind: 'member' as const, sort, page, after, owner };
					const id = encodeState('n', state);
					expect(id.length).toBeLessThanOrEqual(100);
					expect(decodeState(id)).toEqual(state);
				},
			),
		);
		const longest = {
			filmId: `${'a'.repeat(49)}b`,
			kind: 'member' as const,
			sort: 'highest' as const,
			page: 64 ** 4 - 1,
			after: `10.999999999999999.${2n ** 64n - 1n}`,
			owner: String(2n ** 64n - 1n),
		};
		expect(encodeState('k3', longest)).toHaveLength(100);
		expect(decodeState(encodeState('k3', longest))).toEqual(longest);
	});
});
