// /rate: scores per server, their removal, the review modal and its submit, against a real member store on a temp SQLite file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ButtonStyle, ComponentType, MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../src/cache.js';
import { dispatch, type Incoming, type Outcome } from '../src/discord/dispatch.js';
import type { ReviewStore } from '../src/domain/store.js';
import { type MemberStore, openMemberStore } from '../src/members/store.js';
import type { ModalField } from '../src/reply/modal.js';
import { CHANNEL, memoryCache, OTHER_USER, seedStore, silent, tempDir, USER } from './helpers.js';
import { reviewModal } from './member-views.js';

const GUILD_A = '300000000000000001';
const GUILD_B = '300000000000000002';

let store: ReviewStore;
let cache: Cache;
let members: MemberStore;
let down: MemberStore;

beforeAll(async () => {
	store = await seedStore();
	cache = await memoryCache();
	const dir = tempDir();
	members = openMemberStore({ kind: 'sqlite', file: join(dir, 'members.db') }, { logger: silent });
	expect(await members.ready()).toBe(true);
	// A file where the database's directory should be: the store cannot open, and answers unavailable.
	writeFileSync(join(dir, 'blocked'), 'not a directory');
	down = openMemberStore({ kind: 'sqlite', file: join(dir, 'blocked', 'members.db') }, { logger: silent, retryMs: 60_000 });
	expect(await down.ready()).toBe(false);
});
afterAll(async () => {
	await members.close();
	await down.close();
	await cache.close();
});

interface Where {
	readonly guildId?: string | null;
	readonly userId?: string;
	readonly db?: MemberStore;
}

const send = (incoming: Incoming, db: MemberStore = members): Promise<Outcome> =>
	dispatch(incoming, { store, cache, logger: silent, members: db });
const origin = ({ guildId = GUILD_A, userId = USER }: Where) => ({ userId, channelId: CHANNEL, guildId });

function rate(options: Record<string, string | number | boolean>, where: Where = {}): Promise<Outcome> {
	const raw = Object.entries(options).map(([name, value]) => ({
		name,
		type: typeof value === 'string' ? 3 : typeof value === 'number' ? 4 : 5,
		value,
	}));
	return send({ type: 'command', name: 'rate', options: raw, ...origin(where) }, where.db);
}
const press = (customId: string, where: Where = {}): Promise<Outcome> => send({ type: 'button', customId, ...origin(where) }, where.db);
const submit = (customId: string, fields: readonly ModalField[], where: Where = {}): Promise<Outcome> =>
	send({ type: 'modal', customId, fields, ...origin(where) }, where.db);

/** An ephemeral message as finalizeReply shapes it. */
const ephemeral = (content: string, components: unknown[] = []) => ({
	kind: 'reply',
	data: { allowed_mentions: { parse: [] }, content, embeds: [], components, flags: MessageFlags.Ephemeral },
});
const confirmation = (content: string, film: string, owner = USER) =>
	ephemeral(content, [
		{
			type: ComponentType.ActionRow,
			components: [
				{ type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: `rt:w:${film}:${owner}`, label: 'Write a review' },
				{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `rt:x:${film}:${owner}`, label: 'Remove rating' },
			],
		},
	]);
const summary = async (guild: string, film: string) => {
	const result = await members.filmSummary(guild, film);
	return result.ok ? { count: result.value.count, mean: result.value.mean } : result;
};

describe('/rate', () => {
	it('saves a score, says the previous one when it changed, and keeps each server apart', async () => {
		const user = '100000000000000101';
		expect(await rate({ film: 'Pusher II', score: 8 }, { userId: user })).toEqual(
			confirmation('You rated **Pusher II (2004)** **8/10** in this server.', 'pusher-ii-2004', user),
		);
		expect(await rate({ film: 'pusher-ii-2004', score: 6 }, { userId: user })).toEqual(
			confirmation('You rated **Pusher II (2004)** **6/10** in this server (it was 8/10).', 'pusher-ii-2004', user),
		);
		expect(await rate({ film: 'Pusher 2', score: 6 }, { userId: user })).toEqual(
			confirmation('You rated **Pusher II (2004)** **6/10** in this server (unchanged).', 'pusher-ii-2004', user),
		);
		// The same member in another server starts afresh there.
		expect(await rate({ film: 'Pusher II', score: 3 }, { userId: user, guildId: GUILD_B })).toEqual(
			confirmation('You rated **Pusher II (2004)** **3/10** in this server.', 'pusher-ii-2004', user),
		);
		expect(await summary(GUILD_A, 'pusher-ii-2004')).toEqual({ count: 1, mean: 6 });
		expect(await summary(GUILD_B, 'pusher-ii-2004')).toEqual({ count: 1, mean: 3 });
	});

	it('takes a rating back with remove:true or the Remove rating button, in that server only', async () => {
		const user = '100000000000000102';
		await rate({ film: 'Pusher', score: 9 }, { userId: user });
		await rate({ film: 'Pusher', score: 4 }, { userId: user, guildId: GUILD_B });
		expect(await rate({ film: 'Pusher', remove: true }, { userId: user })).toEqual(
			ephemeral('Removed your rating of **Pusher (1996)** (it was 9/10). A review you wrote of it stays.'),
		);
		expect(await rate({ film: 'Pusher', remove: true }, { userId: user })).toEqual(
			ephemeral("You hadn't rated **Pusher (1996)** in this server."),
		);
		expect(await summary(GUILD_B, 'pusher-1996')).toMatchObject({ count: 1 });
		expect(await press(`rt:x:pusher-1996:${user}`, { userId: user, guildId: GUILD_B })).toEqual({
			kind: 'update',
			data: {
				allowed_mentions: { parse: [] },
				content: 'Removed your rating of **Pusher (1996)** (it was 4/10). A review you wrote of it stays.',
				embeds: [],
				components: [],
			},
		});
		expect(await summary(GUILD_B, 'pusher-1996')).toMatchObject({ count: 0 });
	});

	it('asks for a score, refuses one out of range or beside remove:true, and answers an unknown film as /reviews does', async () => {
		expect(await rate({ film: 'Pusher' })).toEqual(ephemeral('Give a `score` from 1 to 10, or `remove:true` to take your rating back.'));
		expect(await rate({ film: 'Pusher', score: 11 })).toEqual(ephemeral('The `score` must be a whole number from 1 to 10.'));
		expect(await rate({ film: 'Pusher', score: 0 })).toEqual(ephemeral('The `score` must be a whole number from 1 to 10.'));
		expect(await rate({ film: 'Pusher', score: 7.5 })).toEqual(ephemeral('The `score` must be a whole number from 1 to 10.'));
		expect(await rate({ film: 'Pusher', score: 7, remove: true })).toEqual(ephemeral('Give a `score` or `remove:true`, not both.'));
		expect(await rate({ film: 'Zzqqxx', score: 7 })).toEqual(
			ephemeral("I don't know a film called “Zzqqxx”. Try the autocomplete list as you type."),
		);
	});

	it('says in a DM why it cannot rate there', async () => {
		const inDm = ephemeral(
			'Ratings belong to a server: run `/rate` in a server where Marquee is, and your rating counts there. (`/forget-me` works anywhere.)',
		);
		expect(await rate({ film: 'Pusher', score: 7 }, { guildId: null })).toEqual(inDm);
		expect(await press(`rt:w:pusher-1996:${USER}`, { guildId: null })).toEqual(inDm);
		expect(await submit('rt:m:pusher-1996', [{ customId: 'body', value: 'Good.' }], { guildId: null })).toEqual(inDm);
	});

	it('answers clearly, and saves nothing, while the database is down', async () => {
		expect(await rate({ film: 'Pusher', score: 7 }, { db: down })).toEqual(
			ephemeral("Ratings can't be saved right now; try again in a minute."),
		);
		expect(await rate({ film: 'Pusher', remove: true }, { db: down })).toEqual(
			ephemeral("Ratings can't be saved right now; try again in a minute."),
		);
		expect(await press(`rt:w:pusher-1996:${USER}`, { db: down })).toEqual(
			ephemeral("Reviews can't be saved right now; try again in a minute."),
		);
		expect(await submit('rt:m:pusher-1996', [{ customId: 'body', value: 'Good.' }], { db: down })).toEqual(
			ephemeral("Reviews can't be saved right now; try again in a minute."),
		);
	});

	it("refuses someone else's buttons and ones it no longer knows", async () => {
		expect(await press(`rt:x:pusher-1996:${USER}`, { userId: OTHER_USER })).toEqual(
			ephemeral('These buttons belong to whoever ran this `/rate`. Run `/rate` yourself to rate a film.'),
		);
		expect(await press(`rt:q:pusher-1996:${USER}`)).toEqual(ephemeral("That button isn't one I recognise any more. Run `/rate` again."));
		expect(await press(`rt:w:gone-2020:${USER}`)).toEqual(ephemeral("This film is no longer in Marquee's library. Run `/rate` again."));
		expect(await submit('rt:m:gone-2020', [{ customId: 'body', value: 'Good.' }])).toEqual(
			ephemeral("This film is no longer in Marquee's library. Run `/rate` again."),
		);
	});
});

/** The review modal's words in English. */
const ENGLISH_MODAL = {
	title: 'Title',
	body: 'Your review',
	spoiler: 'Contains spoilers',
	hint: 'Hidden behind a spoiler tag until a reader clicks it',
} as const;

describe('/rate reviews', () => {
	const user = '100000000000000103';
	const modal = (heading: string, prefill: { title?: string; body?: string; spoiler: boolean }) =>
		reviewModal('pusher-ii-2004', { ...ENGLISH_MODAL, heading }, prefill);

	it('opens an empty modal, saves the submit, and opens it pre-filled to edit', async () => {
		expect(await press(`rt:w:pusher-ii-2004:${user}`, { userId: user })).toEqual(modal('Review Pusher II (2004)', { spoiler: false }));
		const fields = [
			{ customId: 'title', value: ' Tonny falls apart ' },
			{ customId: 'body', value: 'The father scene *wrecks* you.' },
			{ customId: 'spoiler', value: true },
		];
		expect(await submit('rt:m:pusher-ii-2004', fields, { userId: user })).toEqual(
			ephemeral('Saved your review of **Pusher II (2004)** in this server, marked as containing spoilers.'),
		);
		// Edited: the modal shows what was saved (trimmed), the spoiler box ticked.
		expect(await press(`rt:w:pusher-ii-2004:${user}`, { userId: user })).toEqual(
			modal('Edit your review of Pusher II (2004)', { title: 'Tonny falls apart', body: 'The father scene *wrecks* you.', spoiler: true }),
		);
		expect(
			await submit(
				'rt:m:pusher-ii-2004',
				[
					{ customId: 'title', value: '' },
					{ customId: 'body', value: 'Better the second time.' },
					{ customId: 'spoiler', value: false },
				],
				{ userId: user },
			),
		).toEqual(ephemeral('Updated your review of **Pusher II (2004)** in this server.'));
		const saved = await members.getReview(GUILD_A, user, 'pusher-ii-2004');
		expect(saved.ok && saved.value && { title: saved.value.title, body: saved.value.body, spoiler: saved.value.spoiler }).toEqual({
			title: '',
			body: 'Better the second time.',
			spoiler: false,
		});
		// Nothing of it in the other server.
		expect(await members.getReview(GUILD_B, user, 'pusher-ii-2004')).toEqual({ ok: true, value: null });
	});

	it('refuses a blank body, one over 4,000 characters, a title over 100 and a field of the wrong kind, saving nothing', async () => {
		const refused = ephemeral("Your review wasn't saved: it needs a body of 1 to 4,000 characters, and a title of at most 100.");
		const other = '100000000000000104';
		for (const fields of [
			[{ customId: 'body', value: '   ' }],
			[
				{ customId: 'title', value: 't'.repeat(101) },
				{ customId: 'body', value: 'Fine.' },
			],
			[{ customId: 'body', value: true }],
			[
				{ customId: 'body', value: 'Fine.' },
				{ customId: 'spoiler', value: 'yes' },
			],
			[],
		]) {
			expect(await submit('rt:m:pusher-ii-2004', fields, { userId: other })).toEqual(refused);
		}
		// Over 4,000 characters is no submit Discord sends: dispatch refuses it before the handler.
		expect(await submit('rt:m:pusher-ii-2004', [{ customId: 'body', value: 'x'.repeat(4001) }], { userId: other })).toEqual(
			ephemeral("That interaction didn't come as Discord sends them (a modal field is longer than Discord allows), so I didn't answer it."),
		);
		expect(await members.getReview(GUILD_A, other, 'pusher-ii-2004')).toEqual({ ok: true, value: null });
	});
});
