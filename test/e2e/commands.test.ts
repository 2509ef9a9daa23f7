// Scenario 2: every command, autocomplete and button through the real discord.js client and the fake Discord.
// What crosses the wire is asserted here: the callback type, and that the message data Discord received is what the
// handlers answer for the same input (handlerReply), flags and allowed_mentions included. The copy itself is asserted
// once, in test/commands.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionRecord } from '../fake-discord/index.js';
import type { FinalReply } from '../../src/reply/respond.js';
import { type Bot, button, buttonId, expectHandlerReply, handlerChoices, messageBodyOf, startBot } from './harness.js';

const EPHEMERAL = 64;
/** random 0: quotes are deterministic (the first candidate, its first fitting sentence). */
const random = (): number => 0;
let bot: Bot;

beforeAll(async () => {
	bot = await startBot({ random });
});
afterEach(() => {
	bot.fake.assertNoViolations();
});
afterAll(async () => {
	await bot.stop();
});

/**
 * `r` was answered with one response of callback type `type` (4: a new message, 7: an update of the clicked one)
 * whose message data is the handlers' reply to the same input, unchanged; returns that reply.
 */
async function expectDelivered(r: InteractionRecord, type: 4 | 7): Promise<FinalReply> {
	expect(r.responses).toHaveLength(1);
	expect(r.responses[0]?.type).toBe(type);
	expect(messageBodyOf(r.responses[0]).allowed_mentions).toEqual({ parse: [] });
	return expectHandlerReply(r, bot.store, { random });
}

/** The message as Discord shows it: the reply's embeds (rich) and components, its flags. */
function expectShown(r: InteractionRecord, reply: FinalReply): void {
	expect(r.message.embeds).toEqual((reply.embeds ?? []).map((embed) => ({ type: 'rich', ...embed })));
	expect(r.message.components).toEqual(reply.components ?? []);
	expect(r.message.flags ?? 0).toBe(reply.flags ?? 0);
}

describe('scenario 2: commands through the gateway', () => {
	it('/reviews: the overview, its embed and page buttons, replied publicly to the user who ran it', async () => {
		const r = await bot.fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice' });
		const reply = await expectDelivered(r, 4);
		expect(reply.embeds).toHaveLength(1);
		expect(reply.components).toHaveLength(2);
		expect(messageBodyOf(r.responses[0]).flags ?? 0).toBe(0);
		expectShown(r, reply);
		expect(r.message.interaction_metadata.user.username).toBe('alice');
	});

	it('/reviews with an unknown film, /critic with an unknown name: ephemeral replies', async () => {
		for (const r of [await bot.fake.slash('reviews', { film: 'Pushr 2' }), await bot.fake.slash('critic', { name: 'Noel Muray' })]) {
			const reply = await expectDelivered(r, 4);
			expect(messageBodyOf(r.responses[0]).flags).toBe(EPHEMERAL);
			expectShown(r, reply);
		}
	});

	it('/reviews Pusher and /critic by full name and by surname', async () => {
		for (const r of [
			await bot.fake.slash('reviews', { film: 'pusher' }),
			await bot.fake.slash('critic', { name: 'Noel Murray' }),
			await bot.fake.slash('critic', { name: 'murray' }),
		]) {
			expectShown(r, await expectDelivered(r, 4));
		}
	});

	it('/quote random, with film and with kind; the same channel does not get the same quote twice in a row', async () => {
		const channelId = bot.fake.guilds[0]!.channelId;
		const first = await bot.fake.slash('quote', {}, { subcommand: 'random', channelId });
		expectShown(first, await expectDelivered(first, 4));
		// The channel's last quote travels between the two interactions: the same draw gives another quote.
		const again = await bot.fake.slash('quote', {}, { subcommand: 'random', channelId });
		expect(again.responses[0]?.type).toBe(4);
		expect(again.message.embeds).toHaveLength(1);
		expect(again.message.embeds).not.toEqual(first.message.embeds);
		const quotes = [{ film: 'Pusher II', kind: 'user' }, { kind: 'critic' }, { film: 'Pusher', kind: 'user' }];
		for (const [i, options] of quotes.entries()) {
			// A channel of its own each, with no last quote in it, as handlerReply's fresh cache has none.
			const r = await bot.fake.slash('quote', options, { subcommand: 'random', channelId: String(BigInt(channelId) + BigInt(i + 1)) });
			expectShown(r, await expectDelivered(r, 4));
		}
	});

	it("autocomplete on every autocomplete option offers the handlers' choices, and the value offered is what the command receives", async () => {
		const records = [
			await bot.fake.autocompleteRecord('reviews', 'film', 'pus'),
			await bot.fake.autocompleteRecord('critic', 'name', 'mur'),
			await bot.fake.autocompleteRecord('critic', 'name', ''),
			await bot.fake.autocompleteRecord('quote', 'film', 'blood', { subcommand: 'random', options: { kind: 'user' } }),
			await bot.fake.autocompleteRecord('reviews', 'film', 'zzzzqqq'),
		];
		for (const r of records) {
			expect(r.callbackType).toBe(8);
			expect(r.choices).toEqual(await handlerChoices(r, bot.store));
		}
		expect(records.map((r) => r.choices?.length)).toEqual([2, 1, 11, 1, 0]);
		const offered = records[0]!.choices![1]!.value;
		const byValue = await bot.fake.slash('reviews', { film: String(offered) });
		const byTitle = await bot.fake.slash('reviews', { film: 'Pusher II' });
		expect(byValue.message.embeds).toEqual(byTitle.message.embeds);
	});

	it('pages through all 25 reviews with Next and back with Previous, each page an update of the same message', async () => {
		const r = await bot.fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice' });
		const overview = await expectDelivered(r, 4);
		const messageId = r.message.id;
		let message = r.message;
		const pages = new Set<string>();
		for (let page = 1; page <= 25; page++) {
			const c = await bot.fake.click(message, buttonId(message, 'Next ▶'), { user: 'alice' });
			expectShown(c, await expectDelivered(c, 7));
			message = c.message;
			expect(message.id).toBe(messageId);
			pages.add(JSON.stringify(message.embeds));
		}
		expect(pages.size).toBe(25);
		expect(button(message, 'Next ▶')?.disabled).toBe(true);
		await expect(bot.fake.click(message, buttonId(message, 'Next ▶'), { user: 'alice' })).rejects.toThrow(/disabled/);
		const back = new Set<string>([JSON.stringify(message.embeds)]);
		for (let page = 24; page >= 0; page--) {
			const c = await bot.fake.click(message, buttonId(message, '◀ Previous'), { user: 'alice' });
			expectShown(c, await expectDelivered(c, 7));
			message = c.message;
			back.add(JSON.stringify(message.embeds));
		}
		expect(back.size).toBe(26);
		expect(message.id).toBe(messageId);
		expect(message.embeds).toEqual(r.message.embeds);
		expect(message.components).toEqual(overview.components);
	});

	it("another user's click gets an ephemeral note and leaves the message alone; Overview jumps back", async () => {
		const r = await bot.fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice' });
		const overview = r.message.embeds;
		const next = await bot.fake.click(r.message, buttonId(r.message, 'Next ▶'), { user: 'alice' });
		const before = JSON.stringify([next.message.embeds, next.message.components]);
		const c = await bot.fake.click(next.message, buttonId(next.message, 'Next ▶'), { user: 'bob' });
		await expectDelivered(c, 4);
		expect(messageBodyOf(c.responses[0]).flags).toBe(EPHEMERAL);
		expect(c.message.id).not.toBe(r.message.id);
		const clicked = bot.fake.messages.get(r.message.id);
		expect(JSON.stringify([clicked?.embeds, clicked?.components])).toBe(before);
		const back = await bot.fake.click(next.message, buttonId(next.message, 'Overview'), { user: 'alice' });
		expectShown(back, await expectDelivered(back, 7));
		expect(back.message.embeds).toEqual(overview);
	});

	it('sort buttons, paging after a sort, and the critic pages of a film with critics only: each an update of the same message', async () => {
		const r = await bot.fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice' });
		let message = r.message;
		for (const label of ['Newest', 'Next ▶', 'Highest rated']) {
			const c = await bot.fake.click(message, buttonId(message, label), { user: 'alice' });
			expectShown(c, await expectDelivered(c, 7));
			expect(c.message.id).toBe(r.message.id);
			message = c.message;
		}
		const critics = await bot.fake.slash('reviews', { film: 'Pusher' }, { user: 'carol' });
		const first = await bot.fake.click(critics.message, buttonId(critics.message, 'Next ▶'), { user: 'carol' });
		expectShown(first, await expectDelivered(first, 7));
	});
});
