// Scenario #13: /compare and /divisive through the real discord.js client and the fake Discord. The bot reads the
// seed films plus a small page whose most helpful review is a spoiler (a temp data dir), and a SQLite member
// database the members fill through /rate. What crosses the wire is compared with the handlers' answer to the same
// input (expectHandlerReply); the copy is asserted in test/compare.test.ts and test/divisive.test.ts.
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { divisiveLine } from '../../commands/measures-render.js';
import { filmNames } from '../../commands/members-render.js';
import { divisiveness } from '../../src/domain/measures.js';
import { loadDataDir } from '../../src/domain/load.js';
import { ReviewStore } from '../../src/domain/store.js';
import { type MemberStore, openMemberStore } from '../../src/members/store.js';
import type { FinalReply } from '../../src/reply/respond.js';
import type { InteractionRecord } from '../fake-discord/index.js';
import { silent, tempDir, textOf } from '../helpers.js';
import { type Bot, expectHandlerReply, handlerChoices, messageBodyOf, ROOT, startBot } from './harness.js';

const EPHEMERAL = 64;
const SPOILER = 'The detective was the killer all along, and the last shot shows it.';
/** An IMDb user page of two reviews: the most helpful one is marked as a spoiler. */
const TWIST_PAGE = [
	'The Twist (2020)',
	'2 Reviews',
	'Sort by:',
	'Filter by Rating:',
	'9/10',
	'The last ten minutes',
	'ann3 May 2021',
	'Warning: Spoilers',
	SPOILER,
	'40 out of 41 found this helpful. Was this review helpful? Sign in to vote.',
	'Permalink',
	'6/10',
	'Fine',
	'bob12 March 2021',
	'A solid thriller.',
	'1 out of 5 found this helpful. Was this review helpful? Sign in to vote.',
	'Permalink',
	'',
].join('\n');
/** Twelve members' scores for one film: two camps at the ends of the scale (van der Eijk's agreement well below 0). */
const U_SHAPED = [1, 1, 1, 1, 2, 2, 9, 9, 10, 10, 10, 10];

let bot: Bot;
let store: ReviewStore;
let members: MemberStore;

beforeAll(async () => {
	const dir = tempDir('marquee-discussion-e2e-');
	for (const file of readdirSync(join(ROOT, 'data'))) copyFileSync(join(ROOT, 'data', file), join(dir, file));
	const seeds = z.object({ films: z.array(z.unknown()) }).parse(JSON.parse(readFileSync(join(ROOT, 'data', 'films.json'), 'utf8')));
	const twist = {
		id: 'twist-2020',
		title: 'The Twist',
		year: 2020,
		aliases: [],
		sources: [{ file: 'twist-2020.users.imdb.txt', layout: 'imdb' }],
	};
	writeFileSync(join(dir, 'films.json'), JSON.stringify({ films: [...seeds.films, twist] }));
	writeFileSync(join(dir, 'twist-2020.users.imdb.txt'), TWIST_PAGE);
	const data = await loadDataDir(dir);
	expect(data.errors).toEqual([]);
	store = ReviewStore.fromData(data);
	members = openMemberStore({ kind: 'sqlite', file: join(dir, 'members.db') }, { logger: silent });
	if (!(await members.ready())) throw new Error('the member database did not open');
	bot = await startBot({ store, members });
});
afterEach(() => {
	bot.fake.assertNoViolations();
});
afterAll(async () => {
	await bot.stop();
	await members.close();
});

/** `r` got one response, a new message (type 4) with no pings, which is the handlers' reply to the same input. */
async function expectDelivered(r: InteractionRecord, flags: 0 | typeof EPHEMERAL): Promise<FinalReply> {
	expect(r.responses.map((x) => x.type)).toEqual([4]);
	const body = messageBodyOf(r.responses[0]);
	expect(body.allowed_mentions).toEqual({ parse: [] });
	expect(body.flags ?? 0).toBe(flags);
	const reply = await expectHandlerReply(r, store, { members });
	expect(r.message.embeds).toEqual((reply.embeds ?? []).map((embed) => ({ type: 'rich', ...embed })));
	return reply;
}

/** The member store's answer, or the test fails. */
function value<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
	if (!result.ok) throw new Error(`member store: ${result.reason}`);
	return result.value;
}

describe('scenario #13: /compare through the gateway', () => {
	it('two films side by side, in a guild and in a DM: one public embed, the handlers’ answer', async () => {
		for (const where of [{ user: 'alice' }, { user: 'alice', dm: true }]) {
			const r = await bot.fake.slash('compare', { film_a: 'Pusher', film_b: 'Pusher II' }, where);
			const reply = await expectDelivered(r, 0);
			expect(reply.embeds).toHaveLength(1);
		}
	});

	it('the same film twice gets the ephemeral polite refusal; an unknown film the ephemeral "did you mean"', async () => {
		for (const [a, b] of [
			['Pusher 2', 'pusher-ii-2004'],
			['Pushr', 'Pusher II'],
			['Pusher', 'Pushr 2'],
		] as const) {
			const r = await bot.fake.slash('compare', { film_a: a, film_b: b });
			const reply = await expectDelivered(r, EPHEMERAL);
			expect(reply.embeds ?? []).toEqual([]);
		}
	});

	it("both options autocomplete with the handlers' choices, and the values offered compare the films named", async () => {
		const a = await bot.fake.autocompleteRecord('compare', 'film_a', 'pus');
		const b = await bot.fake.autocompleteRecord('compare', 'film_b', 'twi', { options: { film_a: 'pusher-1996' } });
		for (const r of [a, b]) {
			expect(r.callbackType).toBe(8);
			expect(r.choices).toEqual(await handlerChoices(r, store));
		}
		expect([a.choices?.length, b.choices?.length]).toEqual([2, 1]);
		const byValue = await bot.fake.slash('compare', { film_a: String(a.choices?.[1]?.value), film_b: String(b.choices?.[0]?.value) });
		const byTitle = await bot.fake.slash('compare', { film_a: 'Pusher II', film_b: 'The Twist' });
		await expectDelivered(byValue, 0);
		expect(byValue.message.embeds).toEqual(byTitle.message.embeds);
	});

	it('a spoiler review as the quote stays hidden on the wire', async () => {
		const r = await bot.fake.slash('compare', { film_a: 'The Twist', film_b: 'Pusher II' });
		await expectDelivered(r, 0);
		expect(r.message.embeds[0]?.fields?.map((f) => f.value).filter((v) => v.includes(SPOILER))).toEqual([
			expect.stringContaining(`||${SPOILER}||`),
		]);
		const wire = JSON.stringify(bot.fake.interactions.flatMap((x) => x.responses.map((y) => y.data ?? null)));
		expect(wire.split(SPOILER).length - 1).toBe(wire.split(`||${SPOILER}||`).length - 1);
	});
});

describe("scenario #13: /divisive through the gateway, with a guild's members rating through /rate", () => {
	let guildA: string;
	let guildB: string;

	beforeAll(() => {
		guildA = bot.fake.guilds[0]!.id;
		guildB = bot.fake.guilds[1]!.id;
	});

	it("/divisive, /divisive kind:audience and kind:server before anyone rated: the handlers' answer", async () => {
		for (const options of [{}, { kind: 'audience' }, { kind: 'server' }]) {
			const r = await bot.fake.slash('divisive', options, { guildId: guildA });
			await expectDelivered(r, 0);
		}
	});

	it('/divisive kind:server in a DM says why, ephemerally', async () => {
		const r = await bot.fake.slash('divisive', { kind: 'server' }, { user: 'erin', dm: true });
		expect(r.payload.guild_id).toBeUndefined();
		await expectDelivered(r, EPHEMERAL);
	});

	it("twelve members rate Pusher II in two camps: kind:server lists it in their guild, and the guild's /reviews overview marks it divisive", async () => {
		for (const [i, score] of U_SHAPED.entries()) {
			const r = await bot.fake.slash('rate', { film: 'Pusher II', score }, { user: `member${i}`, guildId: guildA });
			expect(messageBodyOf(r.responses[0]).flags).toBe(EPHEMERAL);
		}
		const summary = value(await members.filmSummary(guildA, 'pusher-ii-2004'));
		expect(summary.count).toBe(U_SHAPED.length);
		const split = divisiveness(summary.histogram);
		expect(split?.divisive).toBe(true);
		const mark = divisiveLine('server', split, 'en');
		const name = `**${filmNames(store)('pusher-ii-2004')}**`;

		const list = await bot.fake.slash('divisive', { kind: 'server' }, { guildId: guildA });
		await expectDelivered(list, 0);
		expect(list.message.embeds[0]?.description?.split('\n')[0]).toContain(name);
		// Another guild's members have not rated it: neither its list nor its overview names it divisive.
		const other = await bot.fake.slash('divisive', { kind: 'server' }, { guildId: guildB });
		await expectDelivered(other, 0);
		expect(textOf([other.message.content, other.message.embeds])).not.toContain(name);

		const overview = await bot.fake.slash('reviews', { film: 'Pusher II' }, { guildId: guildA });
		await expectDelivered(overview, 0);
		expect(overview.message.embeds[0]?.description?.split('\n')).toContain(mark);
		const elsewhere = await bot.fake.slash('reviews', { film: 'Pusher II' }, { guildId: guildB });
		await expectDelivered(elsewhere, 0);
		expect(elsewhere.message.embeds[0]?.description?.split('\n') ?? []).not.toContain(mark);

		// /compare in the guild sets the members' side, with the same mark, beside the audience's.
		const compared = await bot.fake.slash('compare', { film_a: 'Pusher II', film_b: 'Pusher' }, { guildId: guildA });
		await expectDelivered(compared, 0);
		expect(compared.message.embeds[0]?.fields?.[0]?.value.split('\n')).toContain(mark);
	});
});
