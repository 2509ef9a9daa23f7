import { beforeAll, describe, expect, it } from 'vitest';
import { member } from '../commands/member.js';
import { readUnavailable } from '../commands/members-render.js';
import { readArgs } from '../commands/options.js';
import type { Context } from '../commands/types.js';
import type { ReviewStore } from '../src/domain/store.js';
import type { MemberStore } from '../src/members/store.js';
import { Limits } from '../src/reply/limits.js';
import { film, memoryCache, OTHER_USER, seedStore, storeOf } from './helpers.js';
import { ALICE, BOB, buttonId, buttonRows, clock, contextOf, final, GUILD_A, GUILD_B, ok, openMembers } from './member-views.js';

let store: ReviewStore;
let members: MemberStore;
const DAY = 86_400_000;
beforeAll(async () => {
	store = await seedStore();
	members = await openMembers();
	const start = clock.now;
	ok(await members.rate(GUILD_A, ALICE, 'pusher-1996', 7));
	clock.now = start + DAY;
	ok(await members.rate(GUILD_A, ALICE, 'pusher-ii-2004', 9));
	ok(await members.writeReview(GUILD_A, ALICE, 'pusher-ii-2004', { title: 'Tonny @here', body: 'The father **dies**.', spoiler: true }));
	ok(await members.rate(GUILD_B, ALICE, 'pusher-1996', 2));
	// Bob rates more than a page: 20 films, one a day, some gone from the library (shown by id).
	for (let i = 0; i < 20; i++) {
		clock.now = start + i * DAY;
		ok(await members.rate(GUILD_A, BOB, `film-${String(i).padStart(2, '0')}`, (i % 10) + 1));
	}
});

const ctxIn = async (guildId: string | null, over: Partial<Context> = {}): Promise<Context> => ({
	...contextOf({ store, cache: await memoryCache(), members }, guildId),
	...over,
});

describe('/member', () => {
	it("a member's ratings, newest first, and reviews with spoilers hidden and text escaped; the mention never pings", async () => {
		const data = final(await member.run({ user: ALICE }, await ctxIn(GUILD_A)));
		expect(data.embeds).toEqual([
			{
				title: 'Ratings and reviews',
				description: [
					`<@${ALICE}> has rated 2 films and written 1 review in this server.`,
					'',
					`**Pusher II (2004)** · ★ 9/10 · 21 Nov 2026`,
					`**Pusher (1996)** · ★ 7/10 · 20 Nov 2026`,
				].join('\n'),
				color: 0x66cc33,
				fields: [
					{
						name: 'Tonny @\u200bhere · ⚠️ Spoiler',
						value: '||The father \\*\\*dies\\*\\*.||\n— on *Pusher II (2004)* · ★ 9/10 · 21 Nov 2026',
					},
				],
				footer: { text: 'Mean rating 8.0/10 · newest first' },
			},
		]);
		expect(data.components).toEqual([]);
		expect(data.allowed_mentions).toEqual({ parse: [] });
	});

	it('only this server: the same member elsewhere, and a member with nothing here', async () => {
		expect(final(await member.run({ user: ALICE }, await ctxIn(GUILD_B))).embeds![0]!.description).toBe(
			`<@${ALICE}> has rated 1 film and written 0 reviews in this server.\n\n**Pusher (1996)** · ★ 2/10 · 21 Nov 2026`,
		);
		expect(final(await member.run({ user: BOB }, await ctxIn(GUILD_B))).content).toBe(
			`<@${BOB}> hasn't rated or reviewed a film in this server yet.`,
		);
	});

	it('pages a long list (15 ratings a page); only the invoker turns pages', async () => {
		const first = final(await member.run({ user: BOB }, await ctxIn(GUILD_A)));
		const lines = first.embeds![0]!.description!.split('\n').slice(2);
		expect(lines).toHaveLength(15);
		expect(lines[0]).toBe('**`film-19`** · ★ 10/10 · 9 Dec 2026');
		expect(first.embeds![0]!.footer!.text).toBe('Mean rating 5.5/10 · page 1 of 2 · newest first');
		expect(buttonRows(first)).toEqual([
			[
				{ label: '◀ Previous', id: `mb:p:0:${BOB}:100000000000000001`, disabled: true },
				{ label: '1 / 2', id: `mb:i:0:${BOB}:100000000000000001`, disabled: true },
				{ label: 'Next ▶', id: `mb:n:1:${BOB}:100000000000000001`, disabled: false },
			],
		]);
		const second = await member.button!(buttonId(first, 'Next ▶'), await ctxIn(GUILD_A));
		expect(second.kind).toBe('update');
		const page2 = second.kind === 'update' ? final(second.reply) : undefined;
		expect(page2!.embeds![0]!.description!.split('\n').slice(2)).toEqual([
			'**`film-04`** · ★ 5/10 · 24 Nov 2026',
			'**`film-03`** · ★ 4/10 · 23 Nov 2026',
			'**`film-02`** · ★ 3/10 · 22 Nov 2026',
			'**`film-01`** · ★ 2/10 · 21 Nov 2026',
			'**`film-00`** · ★ 1/10 · 20 Nov 2026',
		]);
		const other = await member.button!(buttonId(first, 'Next ▶'), await ctxIn(GUILD_A, { userId: OTHER_USER }));
		expect(other).toEqual({
			kind: 'reply',
			reply: { content: 'Only the person who ran this `/member` can turn its pages. Run `/member` yourself to browse.', ephemeral: true },
		});
		expect(await member.button!('mb:n:1:x:1', await ctxIn(GUILD_A))).toEqual({
			kind: 'reply',
			reply: { content: "That button isn't one I recognise any more. Run `/member` again to get fresh pages.", ephemeral: true },
		});
	});

	it("reads the user option as the member's id", () => {
		expect(readArgs(member.data, [{ name: 'user', type: 6, value: ALICE }], 'en')).toEqual({ ok: true, args: { user: ALICE } });
		expect(readArgs(member.data, [{ name: 'user', type: 6, value: 3 }], 'en')).toEqual({
			ok: false,
			message: 'The `user` option has the wrong type.',
		});
	});

	it('a DM, an id that is no member and a database that does not answer get a clear line', async () => {
		expect(await member.run({ user: '12' }, await ctxIn(GUILD_A))).toEqual({
			content: "That isn't a member I can look up.",
			ephemeral: true,
		});
		expect(await member.run({ user: ALICE }, await ctxIn(null))).toEqual({
			content: 'Ratings belong to a server: run `/member` in a server where Marquee is.',
			ephemeral: true,
		});
		const closed = await openMembers();
		await closed.close();
		expect(await member.run({ user: ALICE }, await ctxIn(GUILD_A, { members: closed }))).toEqual(readUnavailable('en'));
	});

	it('stays within the limits with the longest titles and reviews on every page', async () => {
		const title = 'Title '.repeat(33).trim();
		const long = storeOf(Array.from({ length: 20 }, (_, i) => film(`long-${i}`, `${title} ${i}`)));
		const local = await openMembers();
		for (let i = 0; i < 20; i++) {
			ok(await local.rate(GUILD_A, ALICE, `long-${i}`, 10));
			ok(await local.writeReview(GUILD_A, ALICE, `long-${i}`, { title: '*'.repeat(100), body: '|'.repeat(4000), spoiler: i % 2 === 0 }));
		}
		const ctx = contextOf({ store: long, cache: await memoryCache(), members: local }, GUILD_A);
		let reply = await member.run({ user: ALICE }, ctx);
		for (let page = 1; page <= 7; page++) {
			// Measured before finalizeReply: the page fits by construction, nothing is cut to make it fit.
			const embed = reply.embeds![0]!;
			const texts = [embed.title, embed.description, embed.footer?.text, ...(embed.fields ?? []).flatMap((f) => [f.name, f.value])].join(
				'',
			);
			expect(texts.length).toBeLessThanOrEqual(Limits.embedTotal);
			expect(embed.fields!.every((f) => f.name.length <= Limits.fieldName && f.value.length <= Limits.fieldValue)).toBe(true);
			expect(embed.description!.length).toBeLessThanOrEqual(Limits.embedDescription);
			expect(embed.footer!.text).toBe(`Mean rating 10.0/10 · page ${page} of 7 · newest first`);
			if (page === 7) break;
			const next = await member.button!(buttonId(final(reply), 'Next ▶'), ctx);
			if (next.kind !== 'update') throw new Error('expected an update');
			reply = next.reply;
		}
	});
});
