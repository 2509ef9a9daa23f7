// /forget-me: a confirmation, then every rating and review of the caller deleted in every server (and no one else's).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ButtonStyle, ComponentType, MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../src/cache.js';
import { dispatch, type Incoming, type Outcome } from '../src/discord/dispatch.js';
import type { ReviewStore } from '../src/domain/store.js';
import { type MemberStore, openMemberStore } from '../src/members/store.js';
import { CHANNEL, memoryCache, OTHER_USER, seedStore, silent, tempDir, USER } from './helpers.js';

const GUILD_A = '300000000000000001';
const GUILD_B = '300000000000000002';

let store: ReviewStore;
let cache: Cache;
let members: MemberStore;

beforeAll(async () => {
	store = await seedStore();
	cache = await memoryCache();
	members = openMemberStore({ kind: 'sqlite', file: join(tempDir(), 'members.db') }, { logger: silent });
	expect(await members.ready()).toBe(true);
});
afterAll(async () => {
	await members.close();
	await cache.close();
});

const send = (incoming: Incoming, db = members): Promise<Outcome> => dispatch(incoming, { store, cache, logger: silent, members: db });
const origin = (userId = USER, guildId: string | null = GUILD_A) => ({ userId, channelId: CHANNEL, guildId });
const update = (content: string) => ({ kind: 'update', data: { allowed_mentions: { parse: [] }, content, embeds: [], components: [] } });
const notice = (content: string) => ({
	kind: 'reply',
	data: { allowed_mentions: { parse: [] }, content, embeds: [], components: [], flags: MessageFlags.Ephemeral },
});
const review = { title: 'Mine', body: 'Loved it.', spoiler: false };

describe('/forget-me', () => {
	it('asks first, then deletes every rating and review of the caller in every server, and says how many', async () => {
		expect(await members.rate(GUILD_A, USER, 'pusher-1996', 7)).toEqual({ ok: true, value: null });
		expect(await members.rate(GUILD_B, USER, 'pusher-1996', 2)).toEqual({ ok: true, value: null });
		expect(await members.writeReview(GUILD_B, USER, 'pusher-ii-2004', review)).toEqual({ ok: true, value: 'created' });
		expect(await members.rate(GUILD_A, OTHER_USER, 'pusher-1996', 9)).toEqual({ ok: true, value: null });
		expect(await members.writeReview(GUILD_A, OTHER_USER, 'pusher-1996', review)).toEqual({ ok: true, value: 'created' });

		// Run in a DM: it works anywhere.
		expect(await send({ type: 'command', name: 'forget-me', options: [], ...origin(USER, null) })).toEqual({
			kind: 'reply',
			data: {
				allowed_mentions: { parse: [] },
				content: "This deletes every rating and review you have given with Marquee, in every server. It can't be undone.",
				embeds: [],
				components: [
					{
						type: ComponentType.ActionRow,
						components: [
							{ type: ComponentType.Button, style: ButtonStyle.Danger, custom_id: `fm:y:${USER}`, label: 'Delete everything' },
							{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `fm:n:${USER}`, label: 'Cancel' },
						],
					},
				],
				flags: MessageFlags.Ephemeral,
			},
		});
		// Confirming does nothing for anyone else: the button is the caller's.
		expect(await send({ type: 'button', customId: `fm:y:${USER}`, ...origin(OTHER_USER) })).toEqual(
			notice('Only the person who ran this `/forget-me` can confirm it. Run `/forget-me` yourself to delete your own data.'),
		);
		expect(await send({ type: 'button', customId: `fm:y:${USER}`, ...origin(USER, null) })).toEqual(
			update('Deleted 2 ratings and 1 review of yours, in every server.'),
		);

		expect(await members.member(GUILD_A, USER)).toEqual({ ok: true, value: { ratings: [], reviews: [] } });
		expect(await members.member(GUILD_B, USER)).toEqual({ ok: true, value: { ratings: [], reviews: [] } });
		const other = await members.member(GUILD_A, OTHER_USER);
		expect(other.ok && [other.value.ratings.length, other.value.reviews.length]).toEqual([1, 1]);

		expect(await send({ type: 'button', customId: `fm:y:${USER}`, ...origin() })).toEqual(
			update('There was nothing to delete: you have no ratings or reviews with Marquee.'),
		);
	});

	it('deletes nothing on Cancel', async () => {
		expect(await members.rate(GUILD_A, USER, 'pusher-ii-2004', 5)).toEqual({ ok: true, value: null });
		expect(await send({ type: 'button', customId: `fm:n:${USER}`, ...origin() })).toEqual(update('Nothing was deleted.'));
		expect(await members.filmSummary(GUILD_A, 'pusher-ii-2004')).toMatchObject({ ok: true, value: { count: 1 } });
	});

	it('says so while the database is down, and leaves the confirmation to try again', async () => {
		const dir = tempDir();
		writeFileSync(join(dir, 'blocked'), 'not a directory');
		const down = openMemberStore({ kind: 'sqlite', file: join(dir, 'blocked', 'members.db') }, { logger: silent, retryMs: 60_000 });
		expect(await send({ type: 'button', customId: `fm:y:${USER}`, ...origin() }, down)).toEqual(
			notice("Your ratings and reviews can't be deleted right now; try again in a minute."),
		);
		await down.close();
	});
});
