import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serverFields } from '../commands/members-render.js';
import type { Cache } from '../src/cache.js';
import type { ReviewStore } from '../src/domain/store.js';
import type { MemberStore } from '../src/members/store.js';
import { Limits } from '../src/reply/limits.js';
import { command, criticReview, film, memoryCache, seedStore, storeOf, userReview } from './helpers.js';
import { ALICE, answer, GUILD_A, GUILD_B, ok, openMembers, rateInA } from './member-views.js';

let store: ReviewStore;
let members: MemberStore;
let cache: Cache;
beforeAll(async () => {
	store = await seedStore();
	members = await openMembers();
	await rateInA(members);
	ok(await members.rate(GUILD_B, ALICE, 'pusher-ii-2004', 2));
});
beforeEach(async () => {
	cache = await memoryCache();
});

const reply = async (guildId: string | null, deps: { members: MemberStore; store?: ReviewStore }, film = 'Pusher II') =>
	(await answer(command('reviews', { film }), guildId, { store, cache, ...deps })).data;
const overview = async (guildId: string | null, deps: { members: MemberStore; store?: ReviewStore }, film = 'Pusher II') =>
	(await reply(guildId, deps, film)).embeds![0]!;
/** The alt text of the overview's chart. */
const alt = async (guildId: string | null, deps: { members: MemberStore; store?: ReviewStore }, film = 'Pusher II') =>
	(await reply(guildId, deps, film)).attachments?.map((a) => a.description);
const AUDIENCE =
	'Rating histogram of Pusher II (2004). Audience, 24 ratings, mean 7.7. Ratings 1 to 10: 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2, 7: 7, 8: 6, 9: 4, 10: 3.';
const names = (embed: { fields?: { name: string }[] }): string[] => (embed.fields ?? []).map((f) => f.name);

describe('/reviews: the server block', () => {
	it("in a server: the members' mean and count after the audience, their histogram in the chart; the most helpful reviews follow", async () => {
		const data = await reply(GUILD_A, { members });
		const embed = data.embeds![0]!;
		expect(names(embed).slice(0, 3)).toEqual(['Critics', 'Audience', 'This server']);
		expect(embed.fields![2]!.value).toBe('**8.0/10** from 3 members');
		expect(embed.fields![3]!.name).toMatch(/^Most helpful: /);
		expect(embed.image).toEqual({ url: 'attachment://ratings.png' });
		expect(data.attachments?.map((a) => a.description)).toEqual([
			`${AUDIENCE} This server, 3 ratings, mean 8.0. Ratings 1 to 10: 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 1, 8: 1, 9: 1, 10: 0.`,
		]);
	});

	it("each server sees only its own members' ratings", async () => {
		expect((await overview(GUILD_B, { members })).fields![2]!.value).toBe('**2.0/10** from 1 member');
		expect(await alt(GUILD_B, { members })).toEqual([
			`${AUDIENCE} This server, 1 rating, mean 2.0. Ratings 1 to 10: 1: 0, 2: 1, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0.`,
		]);
		const other = await overview('400000000000000003', { members });
		expect(other.fields![2]).toEqual({ name: 'This server', value: 'No member has rated this film yet: be the first with `/rate`.' });
		expect(await alt('400000000000000003', { members })).toEqual([AUDIENCE]);
	});

	it('a film without user reviews gets the block after its Audience line', async () => {
		expect(names(await overview(GUILD_A, { members }, 'Pusher'))).toEqual(['Critics', 'Audience', 'This server']);
	});

	it('in a DM there is no server block', async () => {
		expect(names(await overview(null, { members }))).toEqual([
			'Critics',
			'Audience',
			...names(await overview(GUILD_A, { members })).slice(3),
		]);
		expect(await alt(null, { members })).toEqual([AUDIENCE]);
	});

	it('says so when the member database does not answer, and the rest of the overview is unchanged', async () => {
		const closed = await openMembers();
		await closed.close();
		const embed = await overview(GUILD_A, { members: closed });
		expect(embed.fields![2]).toEqual({ name: 'This server', value: 'Member ratings are unavailable right now; try again in a minute.' });
		expect(names(embed)).toEqual(['Critics', 'Audience', 'This server', ...names(await overview(null, { members })).slice(2)]);
		expect(await alt(GUILD_A, { members: closed })).toEqual([AUDIENCE]);
	});

	it('counts the written member reviews beside the mean', () => {
		expect(serverFields({ count: 2, mean: 7.25, histogram: [0, 0, 0, 0, 0, 0, 1, 1, 0, 0] }, 1, 'en')[0]!.value).toBe(
			'**7.3/10** from 2 members · 1 member review',
		);
		expect(serverFields({ count: 0, mean: null, histogram: Array.from({ length: 10 }, () => 0) }, 3, 'en')).toEqual([
			{ name: 'This server', value: 'No member has rated this film yet: be the first with `/rate`. · 3 member reviews' },
		]);
	});

	it('stays within the 25 fields and 6,000 characters, block whole, for the longest titles, verdicts and reviews', async () => {
		const long = (n: number, word: string) => Array.from({ length: n }, () => word).join(' ');
		const huge = storeOf([
			film('huge', long(33, 'Title'), {
				consensus: { verdict: long(200, 'Acclaimed'), critics: 900, positive: 900, mixed: 0, negative: 0 },
				criticReviews: Array.from({ length: 40 }, (_, i) => criticReview('huge', i + 1, { score: 90 })),
				userReviews: Array.from({ length: 40 }, (_, i) =>
					userReview('huge', i + 1, {
						title: long(60, '**Bold**'),
						author: long(60, '@everyone'),
						body: long(800, '||word||'),
						rating: 10,
						helpful: { up: 9, total: 9 },
					}),
				),
			}),
		]);
		const crowd = await openMembers();
		for (let i = 0; i < 120; i++) ok(await crowd.rate(GUILD_A, String(500000000000000000n + BigInt(i)), 'huge', (i % 10) + 1));
		const data = await reply(GUILD_A, { members: crowd, store: huge }, 'huge');
		const embed = data.embeds![0]!;
		const block = serverFields(ok(await crowd.filmSummary(GUILD_A, 'huge')), 0, 'en');
		// The block's text histogram is in the chart.
		expect(embed.fields!.slice(2, 3)).toEqual(block.slice(0, 1));
		expect(data.attachments?.[0]?.description).toMatch(
			/This server, 120 ratings, mean 5\.5\. Ratings 1 to 10: 1: 12, 2: 12, 3: 12, 4: 12, 5: 12, 6: 12, 7: 12, 8: 12, 9: 12, 10: 12\.$/,
		);
		expect(block[0]!.value).toBe('**5.5/10** from 120 members');
		expect(embed.fields!.length).toBeLessThanOrEqual(Limits.embedFields);
		const texts = [embed.title, embed.footer?.text, ...embed.fields!.flatMap((f) => [f.name, f.value])].join('');
		expect(texts.length).toBeLessThanOrEqual(Limits.embedTotal);
	});
});
