/** What the tests of the member views share: a real member store on a temp SQLite file, and dispatch in a server or a DM. */

import { join } from 'node:path';
import { ComponentType, TextInputStyle } from 'discord-api-types/v10';
import { afterAll } from 'vitest';
import type { Context } from '../commands/types.js';
import type { Cache } from '../src/cache.js';
import { cacheView } from '../src/cache/view.js';
import { dispatch, type Incoming, type Outcome } from '../src/discord/dispatch.js';
import type { ReviewStore } from '../src/domain/store.js';
import { type MemberStore, openMemberStore } from '../src/members/store.js';
import type { Reply } from '../src/reply/reply.js';
import { type FinalReply, finalizeReply } from '../src/reply/respond.js';
import { CHANNEL, expectValid, silent, tempDir, USER } from './helpers.js';

export const GUILD_A = '400000000000000001';
export const GUILD_B = '400000000000000002';
/** Members who rate and review (USER, from helpers, is the one who runs the commands). */
export const ALICE = '300000000000000001';
export const BOB = '300000000000000002';
export const CAROL = '300000000000000003';

/** The store's clock: tests set it before a write to give rows known times. */
export const clock = { now: Date.UTC(2026, 10, 20, 12) };

const opened: MemberStore[] = [];
afterAll(async () => {
	await Promise.all(opened.splice(0).map((m) => m.close()));
});

/** A member store on a new SQLite file, open and migrated. */
export async function openMembers(): Promise<MemberStore> {
	const members = openMemberStore(
		{ kind: 'sqlite', file: join(tempDir('marquee-views-'), 'members.db') },
		{ logger: silent, now: () => clock.now },
	);
	opened.push(members);
	if (!(await members.ready())) throw new Error('the member store did not open');
	return members;
}

/** Pusher II rated 8, 9 and 7 by Alice, Bob and Carol in GUILD_A: a server block with a mean of 8.0 from 3 members. */
export async function rateInA(members: MemberStore): Promise<void> {
	for (const [user, score] of [
		[ALICE, 8],
		[BOB, 9],
		[CAROL, 7],
	] as const)
		ok(await members.rate(GUILD_A, user, 'pusher-ii-2004', score));
}

/** A store result's value; a failed result fails the test. */
export function ok<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
	if (!result.ok) throw new Error(`expected ok, got ${result.reason}`);
	return result.value;
}

export interface Deps {
	readonly store: ReviewStore;
	readonly cache: Cache;
	readonly members: MemberStore;
	readonly random?: () => number;
}

/** Dispatches `incoming` in the server `guildId` (null: a DM) and checks the answer against Discord's rules. */
export async function answer(incoming: Incoming, guildId: string | null, deps: Deps): Promise<{ kind: Outcome['kind']; data: FinalReply }> {
	const outcome = await dispatch({ ...incoming, guildId }, { logger: silent, ...deps });
	const data = expectValid(outcome);
	if (data === undefined) throw new Error(`expected a message, got ${outcome.kind}`);
	return { kind: outcome.kind, data };
}

/** The buttons of a reply, row by row: label, custom_id and whether it is disabled. */
export function buttonRows(data: FinalReply): { label: string; id: string; disabled: boolean }[][] {
	return (data.components ?? []).map((row) =>
		'components' in row
			? row.components.flatMap((c) =>
					'label' in c && 'custom_id' in c && c.label !== undefined && c.custom_id !== undefined
						? [{ label: c.label, id: c.custom_id, disabled: c.disabled ?? false }]
						: [],
				)
			: [],
	);
}

export function buttonId(data: FinalReply, label: string): string {
	const found = buttonRows(data)
		.flat()
		.find((b) => b.label === label);
	if (!found) throw new Error(`no button ${label}`);
	return found.id;
}

/** The context dispatch would give a handler run by `userId` in the server `guildId` (null: a DM): for commands not yet registered. */
export function contextOf(deps: Deps, guildId: string | null, userId = USER): Context {
	return {
		store: deps.store,
		cache: cacheView(deps.cache).cache,
		members: deps.members,
		userId,
		channelId: CHANNEL,
		guildId,
		locale: 'en',
		random: deps.random ?? Math.random,
	};
}

/** A handler's reply as Discord gets it, checked against Discord's rules. */
export function final(reply: Reply): FinalReply {
	const data = expectValid({ kind: 'reply', data: finalizeReply(reply) });
	if (data === undefined) throw new Error('expected a message');
	return data;
}

/** The Label around a review-title text input (`/rate`'s first modal field) as finalizeModal shapes it; `extra` is what it is pre-filled with. */
export const titleLabel = (label: string, extra: { readonly value?: string; readonly placeholder?: string } = {}) => ({
	type: ComponentType.Label,
	label,
	component: {
		type: ComponentType.TextInput,
		custom_id: 'title',
		style: TextInputStyle.Short,
		required: false,
		max_length: 100,
		...extra,
	},
});

/** What `/rate`'s review modal says, in one language. */
export interface ReviewModalWords {
	readonly heading: string;
	readonly title: string;
	readonly body: string;
	readonly spoiler: string;
	readonly hint: string;
}

/** `/rate`'s review modal of `film` as dispatch answers a Write a review press, in `words`, pre-filled with a saved review. */
export function reviewModal(film: string, words: ReviewModalWords, prefill: { title?: string; body?: string; spoiler: boolean }) {
	return {
		kind: 'modal',
		data: {
			custom_id: `rt:m:${film}`,
			title: words.heading,
			components: [
				titleLabel(words.title, prefill.title === undefined ? {} : { value: prefill.title }),
				{
					type: ComponentType.Label,
					label: words.body,
					component: {
						type: ComponentType.TextInput,
						custom_id: 'body',
						style: TextInputStyle.Paragraph,
						required: true,
						max_length: 4000,
						min_length: 1,
						...(prefill.body === undefined ? {} : { value: prefill.body }),
					},
				},
				{
					type: ComponentType.Label,
					label: words.spoiler,
					description: words.hint,
					component: { type: ComponentType.Checkbox, custom_id: 'spoiler', default: prefill.spoiler },
				},
			],
		},
	};
}
