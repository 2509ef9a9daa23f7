import { beforeAll, describe, expect, it } from 'vitest';
import { readUnavailable } from '../commands/members-render.js';
import type { ReviewStore } from '../src/domain/store.js';
import type { MemberStore } from '../src/members/store.js';
import { command, memoryCache, seedStore } from './helpers.js';
import { ALICE, answer, BOB, GUILD_A, GUILD_B, ok, openMembers } from './member-views.js';

let store: ReviewStore;
let members: MemberStore;
beforeAll(async () => {
	store = await seedStore();
	members = await openMembers();
	ok(await members.rate(GUILD_A, ALICE, 'pusher-ii-2004', 9));
	ok(
		await members.writeReview(GUILD_A, ALICE, 'pusher-ii-2004', {
			title: 'Tonny',
			body: 'Mads Mikkelsen carries the whole film on his shaved head.',
			spoiler: false,
		}),
	);
	ok(
		await members.writeReview(GUILD_B, BOB, 'pusher-1996', {
			title: '',
			body: 'The last scene: *Frank* sits alone, and the film just stops.',
			spoiler: true,
		}),
	);
});

const quote = async (guildId: string | null, options: Record<string, string>, deps: { members: MemberStore } = { members }) =>
	(await answer(command('quote', options, 'random'), guildId, { store, cache: await memoryCache(), random: () => 0, ...deps })).data;

describe('/quote random kind:member', () => {
	it("quotes a member review of this server, with the member's mention, rating and the review's title", async () => {
		expect((await quote(GUILD_A, { kind: 'member' })).embeds).toEqual([
			{
				description: `“Mads Mikkelsen carries the whole film on his shaved head.”\n— **<@${ALICE}>** on *Pusher II (2004)*`,
				color: 0x66cc33,
				fields: [
					{ name: 'Rating', value: '★ 9/10', inline: true },
					{ name: 'Date', value: '20 Nov 2026', inline: true },
					{ name: 'From the review', value: 'Tonny', inline: false },
				],
				footer: { text: 'Member review · Pusher II (2004)' },
			},
		]);
	});

	it('hides a spoiler member review like a site one, escaped; another server quotes only its own', async () => {
		const [embed] = (await quote(GUILD_B, { kind: 'member', film: 'Pusher' })).embeds!;
		expect(embed!.title).toBe('⚠️ Spoiler: this review warns of spoilers');
		expect(embed!.description).toBe(
			`||“The last scene: \\*Frank\\* sits alone, and the film just stops.”||\n— **<@${BOB}>** on *Pusher (1996)*`,
		);
		expect(embed!.fields!.map((f) => f.name)).toEqual(['Rating', 'Date']);
	});

	it('says so when there is none yet, in a DM, and when the database does not answer', async () => {
		expect((await quote(GUILD_A, { kind: 'member', film: 'Pusher' })).content).toBe(
			'No member of this server has written a review of that film yet: `/rate` a film to write one.',
		);
		expect((await quote('400000000000000003', { kind: 'member' })).content).toBe(
			'No member of this server has written a review yet: `/rate` a film to write one.',
		);
		expect((await quote(null, { kind: 'member' })).content).toBe(
			'Member reviews belong to a server: run `/quote random kind:member` in a server where Marquee is.',
		);
		const closed = await openMembers();
		await closed.close();
		expect((await quote(GUILD_A, { kind: 'member' }, { members: closed })).content).toBe(readUnavailable('en').content);
	});
});
