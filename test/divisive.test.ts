import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord-api-types/v10';
import type { Cache } from '../src/cache.js';
import type { ReviewStore } from '../src/domain/store.js';
import type { FilmRecord } from '../src/domain/schema.js';
import type { MemberStore } from '../src/members/store.js';
import { finalizeReply } from '../src/reply/respond.js';
import { divisive } from '../commands/divisive.js';
import { command, criticReview, film, memoryCache, seedStore, storeOf, userReview } from './helpers.js';
import { answer, contextOf, GUILD_A, GUILD_B, ok, openMembers } from './member-views.js';

/** A film whose audience rated it as `histogram` (counts of 1..10) and whose critics scored it `critics`. */
function rated(id: string, title: string, histogram: readonly number[], critics: readonly number[] = []): FilmRecord {
	const ratings = histogram.flatMap((n, i) => Array.from({ length: n }, () => i + 1));
	return film(id, title, {
		userReviews: ratings.map((rating, n) => userReview(id, n + 1, { rating })),
		criticReviews: critics.map((score, n) => criticReview(id, n + 1, { score })),
	});
}

const U = [6, 3, 1, 0, 0, 0, 0, 1, 3, 6];
const POLES = [5, 0, 0, 0, 0, 0, 0, 0, 0, 5];
const PEAK = [0, 0, 0, 1, 3, 6, 3, 1, 0, 0];
const FLAT = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
const FEW = [4, 0, 0, 0, 0, 0, 0, 0, 0, 4];

const GUILD_C = '400000000000000004';
/** A member id: the n-th of a crowd. */
const memberId = (n: number): string => String(500000000000000000n + BigInt(n));

const FOOTER =
	"Means on one 0-100 scale (ratings out of 10 ×10, from 5 scores a side): under 10 points apart agree, from 20 disagree sharply. Divisive: van der Eijk's agreement below 0 (1 all alike, 0 flat, −1 two camps) from 10 ratings.";

let seed: ReviewStore;
let synthetic: ReviewStore;
let members: MemberStore;
let cache: Cache;
beforeAll(async () => {
	seed = await seedStore();
	synthetic = storeOf([
		rated('u-shape', 'U Shape', U, [80, 80, 80, 80, 80]),
		rated('poles', 'Poles', POLES),
		rated('peak', 'Peak', PEAK, [62, 62, 62, 62, 62]),
		rated('flat', 'Flat', FLAT, [70, 70, 70, 70, 70]),
		rated('few', 'Few', FEW, [90, 90, 90, 90, 90]),
		rated('hated', 'Hated', [0, 0, 1, 4, 1, 0, 0, 0, 0, 0], [90, 90, 90, 90, 90, 90]),
	]);
	members = await openMembers();
	// Pusher II in server A: ten members, half at 1 and half at 10. Pusher: five members at 2 (critics: 80).
	for (let i = 0; i < 10; i++) ok(await members.rate(GUILD_A, memberId(i), 'pusher-ii-2004', i < 5 ? 1 : 10));
	for (let i = 0; i < 5; i++) ok(await members.rate(GUILD_A, memberId(i), 'pusher-1996', 2));
	ok(await members.rate(GUILD_B, memberId(0), 'pusher-ii-2004', 9));
	// The synthetic films in server C: Hated five times at 2 (critics 90, audience 40), Peak five times at 3.
	for (let i = 0; i < 5; i++) {
		ok(await members.rate(GUILD_C, memberId(i), 'hated', 2));
		ok(await members.rate(GUILD_C, memberId(i), 'peak', 3));
	}
});
beforeEach(async () => {
	cache = await memoryCache();
});

const send = async (options: Record<string, string>, guildId: string | null, store = seed, m = members) =>
	(await answer(command('divisive', options), guildId, { store, cache, members: m })).data;
const texts = (embeds: readonly APIEmbed[] | undefined) => (embeds ?? []).map((e) => ({ title: e.title, description: e.description }));

describe('/divisive', () => {
	it('on the seed store: no film has ten audience ratings apart, nor critics and audience both', async () => {
		const data = await send({}, null);
		expect(texts(data.embeds)).toEqual([
			{ title: 'The most divisive films · audience', description: 'No film with at least 10 ratings from the audience is divisive.' },
			{
				title: 'Where critics and the audience disagree most',
				description: 'No film where critics and the audience part ways (10 points or more, with at least 5 scores of each).',
			},
		]);
		expect(data.embeds?.[1]?.footer?.text).toBe(FOOTER);
	});

	it('lists the divisive films, lowest agreement first, and the widest critic-audience gaps', async () => {
		const data = await send({ kind: 'audience' }, null, synthetic);
		expect(texts(data.embeds)).toEqual([
			{
				title: 'The most divisive films · audience',
				description: [
					'1. **Poles (2001)** · agreement −1.00 from 10 ratings · mean 5.5/10',
					'2. **U Shape (2001)** · agreement −0.45 from 20 ratings · mean 5.5/10',
				].join('\n'),
			},
			{
				title: 'Where critics and the audience disagree most',
				description: [
					'1. **Hated (2001)** · 50 points apart: critics 90, audience 40 (disagree sharply)',
					'2. **Few (2001)** · 35 points apart: critics 90, audience 55 (disagree sharply)',
					'3. **U Shape (2001)** · 25 points apart: critics 80, audience 55 (disagree sharply)',
					'4. **Flat (2001)** · 15 points apart: critics 70, audience 55 (part ways)',
				].join('\n'),
			},
		]);
	});

	it("kind server: this server's members' divisive films and where they part from critics", async () => {
		const data = await send({ kind: 'server' }, GUILD_A);
		expect(texts(data.embeds)).toEqual([
			{
				title: 'The most divisive films · this server',
				description: '1. **Pusher II (2004)** · agreement −1.00 from 10 ratings · mean 5.5/10',
			},
			{
				title: 'Where critics and this server disagree most',
				description: 'No film where critics and this server part ways (10 points or more, with at least 5 scores of each).',
			},
		]);
		expect(data.embeds?.[1]?.footer?.text).toBe(FOOTER);
		expect(texts((await send({ kind: 'server' }, GUILD_C, synthetic)).embeds)[1]?.description).toBe(
			[
				'1. **Hated (2001)** · 70 points apart: critics 90, server 20 (disagree sharply)',
				'2. **Peak (2001)** · 32 points apart: critics 62, server 30 (disagree sharply)',
			].join('\n'),
		);
	});

	it('kind server: a server with too few ratings, one with none, a DM, and a database that does not answer', async () => {
		expect(texts((await send({ kind: 'server' }, GUILD_B)).embeds).map((e) => e.description)).toEqual([
			'No film with at least 10 ratings from this server is divisive.',
			'No film where critics and this server part ways (10 points or more, with at least 5 scores of each).',
		]);
		expect((await send({ kind: 'server' }, '400000000000000003')).content).toBe(
			'No member of this server has rated a film yet: start with `/rate`.',
		);
		expect(await send({ kind: 'server' }, null)).toMatchObject({
			content: 'Member ratings belong to a server: run `/divisive kind:server` in a server where Marquee is.',
			flags: 64,
		});
		const closed = await openMembers();
		await closed.close();
		expect((await send({ kind: 'server' }, GUILD_A, seed, closed)).content).toBe(
			"Member ratings can't be read right now; try again in a minute.",
		);
	});

	it('kind server reads every film the server rated: a divisive film below its 100 best-rated is listed, and the footer says no more', async () => {
		const guild = '400000000000000005';
		const crowd = await openMembers();
		// 100 films rated 10 by five members each rank above Split (mean 3.7): it is the server's 101st.
		for (let f = 0; f < 100; f++) for (let i = 0; i < 5; i++) ok(await crowd.rate(guild, memberId(i), `liked-${f}`, 10));
		for (let i = 0; i < 10; i++) ok(await crowd.rate(guild, memberId(i), 'split', i < 7 ? 1 : 10));
		const store = storeOf([rated('split', 'Split', [7, 0, 0, 0, 0, 0, 0, 0, 0, 3])]);
		const data = await send({ kind: 'server' }, guild, store, crowd);
		expect(data.embeds?.[0]?.description).toBe('1. **Split (2001)** · agreement −0.20 from 10 ratings · mean 3.7/10');
		expect(data.embeds?.[1]?.footer?.text).toBe(FOOTER);
	});

	it('lists ten films at most, and long markdown-laden names stay within the limits uncut', async () => {
		const title = Array.from({ length: 30 }, () => '**_|').join('') + 'x'.repeat(70);
		const many = storeOf(Array.from({ length: 30 }, (_, i) => rated(`film-${i}`, `${title}${i}`, POLES, [95, 95, 95, 95, 95])));
		const reply = await divisive.run({ kind: 'audience' }, contextOf({ store: many, cache, members }, null));
		expect(reply.embeds?.map((e) => e.description?.split('\n').length)).toEqual([10, 10]);
		// What the handler made is what Discord gets: nothing had to be cut.
		expect(finalizeReply(reply).embeds).toEqual(reply.embeds);
	});
});

describe('/reviews overview: where critics, audience and server agree, and the divisive mark', () => {
	const overview = async (store: ReviewStore, film: string, guildId: string | null) =>
		(await answer(command('reviews', { film }), guildId, { store, cache, members })).data.embeds?.[0];

	it('says where critics and audience part, and marks a divisive audience', async () => {
		expect((await overview(synthetic, 'U Shape', null))?.description).toBe(
			[
				'Critics **80** · audience **55** (of 100): they disagree sharply (25 points apart).',
				"**Divisive**: the audience's ratings split into camps (agreement −0.45 from 20 ratings).",
			].join('\n'),
		);
		expect((await overview(synthetic, 'Peak', null))?.description).toBe(
			'Critics **62** · audience **60** (of 100): they agree (2 points apart).',
		);
	});

	it('a flat histogram is not divisive, eight ratings give a gap but no verdict, and no critic scores no gap', async () => {
		expect((await overview(synthetic, 'Flat', null))?.description).toBe(
			'Critics **70** · audience **55** (of 100): they part ways (15 points apart).',
		);
		expect((await overview(synthetic, 'Few', null))?.description).toBe(
			'Critics **90** · audience **55** (of 100): they disagree sharply (35 points apart).',
		);
		expect((await overview(synthetic, 'Poles', null))?.description).toBe(
			"**Divisive**: the audience's ratings split into camps (agreement −1.00 from 10 ratings).",
		);
	});

	it("in a server, the members' side joins the line and their histogram can be divisive", async () => {
		expect((await overview(synthetic, 'Peak', GUILD_C))?.description).toBe(
			'Critics **62** · audience **60** · server **30** (of 100): critics and audience agree (2 points apart), critics and server disagree sharply (32 points apart), audience and server disagree sharply (30 points apart).',
		);
		expect((await overview(synthetic, 'Hated', GUILD_C))?.description).toBe(
			'Critics **90** · audience **40** · server **20** (of 100): all three disagree sharply (up to 70 points apart).',
		);
		expect((await overview(seed, 'Pusher II', GUILD_A))?.description).toBe(
			[
				'Audience **77** · server **55** (of 100): they disagree sharply (22 points apart).',
				"**Divisive**: this server's ratings split into camps (agreement −1.00 from 10 ratings).",
			].join('\n'),
		);
		// One member's rating is no server's opinion; in a DM there is no server side.
		expect((await overview(seed, 'Pusher II', GUILD_B))?.description).toBeUndefined();
		// Pusher's page scores one critic review of eleven: no critic side, so nothing to set against the server's.
		expect((await overview(seed, 'Pusher', GUILD_A))?.description).toBeUndefined();
	});
});
