import { beforeAll, describe, expect, it } from 'vitest';
import { top } from '../commands/top.js';
import type { ReviewStore } from '../src/domain/store.js';
import type { MemberStore } from '../src/members/store.js';
import { memoryCache, seedStore } from './helpers.js';
import { contextOf, final, GUILD_A, GUILD_B, ok, openMembers } from './member-views.js';

let store: ReviewStore;
let members: MemberStore;
const member = (n: number): string => String(600000000000000000n + BigInt(n));
beforeAll(async () => {
	store = await seedStore();
	members = await openMembers();
	// The guild's mean is 6: (10·8 + 10 + 6·2) / 17. Ten 8s outrank one 10; a film gone from the library keeps its id.
	for (let i = 0; i < 10; i++) ok(await members.rate(GUILD_A, member(i), 'pusher-1996', 8));
	ok(await members.rate(GUILD_A, member(0), 'pusher-ii-2004', 10));
	for (let i = 0; i < 6; i++) ok(await members.rate(GUILD_A, member(i), 'gone-film', 2));
});

const runTop = async (minRatings: number | undefined, guildId: string | null = GUILD_A, deps: { members?: MemberStore } = {}) =>
	final(await top.run({ min_ratings: minRatings }, contextOf({ store, cache: await memoryCache(), members, ...deps }, guildId)));

describe('/top', () => {
	it('ranks by the Bayesian average (3 ratings at the guild mean): one 10/10 does not top ten 8s; shows the raw mean and count', async () => {
		const data = await runTop(undefined);
		expect(data.embeds).toEqual([
			{
				title: "This server's best-rated films",
				description: [
					'1. **Pusher (1996)** · **7.5** (mean 8.0 from 10 ratings)',
					'2. **Pusher II (2004)** · **7.0** (mean 10.0 from 1 rating)',
					'3. **`gone-film`** · **3.3** (mean 2.0 from 6 ratings)',
				].join('\n'),
				color: 0x66cc33,
				footer: {
					text: "Ranked by a Bayesian average: each film's ratings plus 3 imagined ratings at the server's mean, 6.0, so one 10/10 does not top the list",
				},
			},
		]);
		expect(data.flags).toBeUndefined();
	});

	it('min_ratings leaves out films with fewer ratings, and says so in the footer', async () => {
		const embed = (await runTop(2)).embeds![0]!;
		expect(embed.description!.split('\n').map((line) => line.split(' · ')[0])).toEqual(['1. **Pusher (1996)**', '2. **`gone-film`**']);
		expect(embed.footer!.text).toMatch(/ · films with at least 2 ratings$/);
		expect((await runTop(11)).content).toBe('No film has 11 or more ratings in this server yet.');
		expect((await runTop(0)).content).toBe('`min_ratings` must be a whole number, at least 1.');
	});

	it('another server has its own list; a DM and a database that does not answer get a clear line', async () => {
		expect((await runTop(undefined, GUILD_B)).content).toBe('No member of this server has rated a film yet: start with `/rate`.');
		expect(await runTop(undefined, null)).toMatchObject({
			content: 'Ratings belong to a server: run `/top` in a server where Marquee is.',
			flags: 64,
		});
		const closed = await openMembers();
		await closed.close();
		expect(await runTop(undefined, GUILD_A, { members: closed })).toMatchObject({
			content: "Member ratings can't be read right now; try again in a minute.",
			flags: 64,
		});
	});
});
