import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compare } from '../commands/compare.js';
import { histogram } from '../commands/render.js';
import type { Cache } from '../src/cache.js';
import type { ReviewStore } from '../src/domain/store.js';
import type { MemberStore } from '../src/members/store.js';
import { Limits } from '../src/reply/limits.js';
import { finalizeReply } from '../src/reply/respond.js';
import { CHANNEL, command, criticReview, film, memoryCache, polarisedFilm, run, seedStore, storeOf, USER, userReview } from './helpers.js';
import { answer, contextOf, GUILD_A, ok, openMembers } from './member-views.js';

const memberId = (n: number): string => String(500000000000000000n + BigInt(n));

let store: ReviewStore;
let members: MemberStore;
let cache: Cache;
beforeAll(async () => {
	store = await seedStore();
	members = await openMembers();
	for (let i = 0; i < 5; i++) ok(await members.rate(GUILD_A, memberId(i), 'pusher-ii-2004', 4));
});
beforeEach(async () => {
	cache = await memoryCache();
});

const send = async (a: string, b: string, guildId: string | null, s = store) =>
	(await answer(command('compare', { film_a: a, film_b: b }), guildId, { store: s, cache, members })).data;

describe('/compare', () => {
	it('sets the seed films side by side: critics against audience, and the most helpful quote of each', async () => {
		const embed = (await send('Pusher', 'Pusher II', null)).embeds?.[0];
		expect(embed?.title).toBe('Pusher (1996) vs Pusher II (2004)');
		expect(embed?.description).toBe('No one has scored both films enough to set them side by side on one scale yet.');
		expect(embed?.fields?.map((f) => [f.name, f.inline ?? false])).toEqual([
			['Pusher (1996)', true],
			['Pusher II (2004)', true],
			['Pusher (1996) · critic quote', false],
			["Pusher II (2004) · Nicolas Winding Refn's Pusher 2 is even better than the first one", false],
		]);
		expect(embed?.fields?.[0]?.value).toBe(
			[
				'**Critics** Generally favorable · 11 critics',
				'9 positive · 2 mixed · 0 negative · mean **80/100** (1 scored)',
				'**Audience** no ratings yet',
			].join('\n'),
		);
		// The audience's histogram as the text histograms are drawn (their exact text: test/chart-fallback.test.ts).
		const record = store.film('pusher-ii-2004');
		const users = record === undefined ? undefined : store.summary(record).users;
		const ratings = users ? histogram(users.histogram) : 'no audience';
		expect(embed?.fields?.[1]?.value).toBe(['**Critics** no reviews yet', '**Audience** **7.7/10** from 24 ratings', ratings].join('\n'));
	});

	it("in a server, each column has the members' side and the gap between the audience and the server", async () => {
		const embed = (await send('pusher-ii-2004', 'pusher-1996', GUILD_A)).embeds?.[0];
		expect(embed?.title).toBe('Pusher II (2004) vs Pusher (1996)');
		const lines = embed?.fields?.[0]?.value.split('\n') ?? [];
		expect(lines.slice(14, 15)).toEqual(['**This server** **4.0/10** from 5 members']);
		expect(lines.at(-1)).toBe('Audience **77** · server **40** (of 100): they disagree sharply (37 points apart).');
		expect(embed?.fields?.[1]?.value.split('\n').at(-1)).toBe('**This server** no ratings yet');
		const closed = await openMembers();
		await closed.close();
		const down = (await answer(command('compare', { film_a: 'Pusher', film_b: 'Pusher II' }), GUILD_A, { store, cache, members: closed }))
			.data.embeds?.[0];
		expect(down?.fields?.slice(0, 2).map((f) => f.value.split('\n').at(-1))).toEqual([
			'**This server** unavailable right now',
			'**This server** unavailable right now',
		]);
	});

	it('refuses the same film twice, politely', async () => {
		expect(await send('Pusher 2', 'pusher-ii-2004', null)).toMatchObject({
			content: 'Both options name **Pusher II (2004)**: pick two different films to compare.',
			flags: 64,
		});
	});

	it('answers an unknown film of either option as /reviews does', async () => {
		const reviews = (await answer(command('reviews', { film: 'Pushr' }), null, { store, cache, members })).data;
		expect((await send('Pushr', 'Pusher', null)).content).toBe(reviews.content);
		expect((await send('Pusher', 'Pushr', null)).content).toBe(reviews.content);
	});

	it('autocompletes both options as /reviews does', async () => {
		const choices = async (name: string, focused: string) =>
			run(
				{ type: 'autocomplete', name, options: [], focused: { name: focused, value: 'push' }, userId: USER, channelId: CHANNEL },
				{ store, cache },
			);
		const reviews = await choices('reviews', 'film');
		expect(reviews).toMatchObject({ kind: 'choices', choices: [{ name: 'Pusher (1996)' }, { name: 'Pusher II (2004)' }] });
		expect(await choices('compare', 'film_a')).toEqual(reviews);
		expect(await choices('compare', 'film_b')).toEqual(reviews);
	});

	it('sets the gap between the films on each side both have, and hides a spoiler quote', async () => {
		const twin = (id: string, rating: number, critic: number, spoiler: boolean) =>
			film(id, id.toUpperCase(), {
				userReviews: Array.from({ length: 6 }, (_, i) => userReview(id, i + 1, { rating, spoiler, body: `Secret ${i}.` })),
				criticReviews: Array.from({ length: 5 }, (_, i) => criticReview(id, i + 1, { score: critic })),
			});
		const s = storeOf([twin('alpha', 9, 50, true), twin('beta', 4, 55, false)]);
		const embed = (await send('alpha', 'beta', null, s)).embeds?.[0];
		expect(embed?.description).toBe('On one 0-100 scale, critics 50 and 55, 5 points apart · audience 90 and 40, 50 points apart.');
		expect(embed?.fields?.[2]).toEqual({
			name: 'ALPHA (2001) · Review 1 · ⚠️ Spoiler',
			value: '||Secret 0.||\n— author1 · ★ 9/10 · 1 Jan 2020 · 1 of 2 found this helpful',
		});
		expect(embed?.fields?.[3]?.value).toBe('Secret 0.\n— author1 · ★ 4/10 · 1 Jan 2020 · 1 of 2 found this helpful');
	});

	it('stays within Discord’s limits, uncut, for the longest names, verdicts, reviews and counts', async () => {
		const long = (n: number, word: string) => Array.from({ length: n }, () => word).join(' ');
		const huge = (id: string) =>
			film(id, `${id} ${long(38, '**|_')}`.slice(0, 200), {
				consensus: { verdict: long(500, '@everyone'), critics: 2 ** 40, positive: 2 ** 40, mixed: 2 ** 40, negative: 2 ** 40 },
				criticReviews: Array.from({ length: 6 }, (_, i) => criticReview(id, i + 1, { score: 100, credit: long(60, '`x`') })),
				userReviews: Array.from({ length: 30 }, (_, i) =>
					userReview(id, i + 1, {
						rating: (i % 10) + 1,
						title: long(60, '||**Bold**||'),
						author: long(60, '<@123>'),
						body: long(900, '||spoil||'),
						spoiler: true,
						helpful: { up: 2 ** 40, total: 2 ** 41 },
					}),
				),
			});
		const s = storeOf([huge('left'), huge('right')]);
		const crowd = await openMembers();
		for (let i = 0; i < 40; i++) {
			ok(await crowd.rate(GUILD_A, memberId(i), 'left', (i % 10) + 1));
			ok(await crowd.rate(GUILD_A, memberId(i), 'right', 10 - (i % 10)));
		}
		const reply = await compare.run({ film_a: 'left', film_b: 'right' }, contextOf({ store: s, cache, members: crowd }, GUILD_A));
		const embeds = reply.embeds ?? [];
		// What the handler made is what Discord gets: nothing had to be cut (a cut could open a code block).
		expect(finalizeReply(reply).embeds).toEqual(embeds);
		const embed = embeds[0];
		const texts = [embed?.title, embed?.description, embed?.footer?.text, ...(embed?.fields ?? []).flatMap((f) => [f.name, f.value])];
		expect(texts.join('').length).toBeLessThanOrEqual(Limits.embedTotal);
		expect(Math.max(...(embed?.fields ?? []).map((f) => f.value.length))).toBeLessThanOrEqual(Limits.fieldValue);
		// Through dispatch the reply passes the fake Discord's checks: limits, no pings, closed spoilers.
		await answer(command('compare', { film_a: 'left', film_b: 'right' }), GUILD_A, { store: s, cache, members: crowd });
	});

	it("a column that would pass a field's limit gives up its text histograms, the server's first, and nothing is cut", async () => {
		const split = (id: string) => polarisedFilm(id, `${id} ${'x'.repeat(90)}`);
		const s = storeOf([split('left'), split('right')]);
		const crowd = await openMembers();
		for (let i = 0; i < 10; i++) ok(await crowd.rate(GUILD_A, memberId(i), 'left', i % 2 === 0 ? 1 : 10));
		const reply = await compare.run({ film_a: 'left', film_b: 'right' }, contextOf({ store: s, cache, members: crowd }, GUILD_A));
		expect(finalizeReply(reply).embeds).toEqual(reply.embeds);
		const [left, right] = reply.embeds?.[0]?.fields ?? [];
		// Both sides divisive and every pair named: the server's histogram gives way, its mean and divisive mark stay.
		expect(left?.value.split('\n').filter((l) => !/^( ?\d+ [█░]|```)/.test(l))).toEqual([
			'**Critics** vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv… · 1099511627776 critics',
			'1099511627776 positive · 1099511627776 mixed · 1099511627776 negative · mean **100/100** (6 scored)',
			'**Audience** **5.5/10** from 30 ratings',
			'**This server** **5.5/10** from 10 members',
			'Critics **100** · audience **55** · server **55** (of 100): critics and audience disagree sharply (45 points apart), critics and server disagree sharply (45 points apart), audience and server agree (0 points apart).',
			"**Divisive**: the audience's ratings split into camps (agreement −1.00 from 30 ratings).",
			"**Divisive**: this server's ratings split into camps (agreement −1.00 from 10 ratings).",
		]);
		expect(left?.value).toContain(histogram([15, 0, 0, 0, 0, 0, 0, 0, 0, 15]));
		expect(left?.value).not.toContain(histogram([5, 0, 0, 0, 0, 0, 0, 0, 0, 5]));
		expect(left?.value.length).toBeLessThanOrEqual(Limits.fieldValue);
		// The other film, which no member rated, keeps its audience histogram: its column is within the limit.
		expect(right?.value).toContain(histogram([15, 0, 0, 0, 0, 0, 0, 0, 0, 15]));
	});
});
