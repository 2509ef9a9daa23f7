// Scenario 2: every command, autocomplete and button through the real discord.js client and the fake Discord.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, buttonId, messageBodyOf, pageIndicator, startBot } from './harness.js';

const EPHEMERAL = 64;
let bot: Bot;

beforeAll(async () => {
	// random 0: quotes are deterministic (the first candidate, its first fitting sentence).
	bot = await startBot({ random: () => 0 });
});
afterEach(() => {
	bot.fake.assertNoViolations();
});
afterAll(async () => {
	await bot.stop();
});

const author = (message: any): string => message.embeds[0].author.name;

describe('scenario 2: commands through the gateway', () => {
	it('/reviews Pusher II: the overview embed, its audience field and the page buttons, replied publicly', async () => {
		const r = await bot.fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice' });
		expect(r.responses).toHaveLength(1);
		expect(r.responses[0]!.type).toBe(4);
		const data = messageBodyOf(r.responses[0]!);
		expect(data.allowed_mentions).toEqual({ parse: [] });
		expect(data.flags ?? 0).toBe(0);
		const embed = r.message.embeds[0];
		expect(embed.title).toBe('Pusher II (2004)');
		expect(embed.fields[0]).toEqual({ name: 'Critics', value: 'No critic reviews for this film yet.' });
		expect(embed.fields[1]).toEqual({ name: 'Audience', value: '**7.7/10** from 24 ratings · 25 reviews here (of 44 on the site)' });
		expect(embed.fields[1].value).toContain('**7.7/10** from 24 ratings');
		expect(embed.footer.text).toBe('25 user reviews to page through · most helpful first');
		expect(pageIndicator(r.message)).toBe('25 reviews');
		expect(r.message.components[0].components.map((c: any) => [c.label, c.disabled])).toEqual([
			['Overview', true],
			['◀ Previous', true],
			['25 reviews', true],
			['Next ▶', false],
		]);
		expect(r.message.components[1].components.map((c: any) => c.label)).toEqual(['Most helpful', 'Newest', 'Highest rated']);
		expect(r.message.interaction_metadata?.user?.username).toBe('alice');
	});

	it('/reviews with an unknown film: an ephemeral "Did you mean"', async () => {
		const r = await bot.fake.slash('reviews', { film: 'Pushr 2' });
		const data = messageBodyOf(r.responses[0]!);
		expect(data.flags).toBe(EPHEMERAL);
		expect(data.content).toBe("I don't know a film called “Pushr 2”. Did you mean **Pusher II (2004)**?");
	});

	it('/reviews Pusher: the critic verdict', async () => {
		const r = await bot.fake.slash('reviews', { film: 'pusher' });
		expect(r.message.embeds[0].title).toBe('Pusher (1996)');
		expect(r.message.embeds[0].fields[0]).toEqual({ name: 'Critics', value: 'Generally favorable · 11 critics · 9 positive · 2 mixed · 0 negative\nMean critic score **80/100** (1 scored)' });
	});

	it('/critic Noel Murray (and by surname)', async () => {
		for (const name of ['Noel Murray', 'murray']) {
			const r = await bot.fake.slash('critic', { name });
			const embed = r.message.embeds[0];
			expect(embed.title).toBe('Noel Murray');
			expect(embed.description).toBe('1 review across 1 film');
			expect(embed.fields).toEqual([
				{
					name: 'Pusher (1996) · 15 Jul 2013',
					value: 'As Refn counts down the days and ratchets up the tension, Pusher shifts from a subdued lowlife sketch, with lots of raunchy conversation between Buric and his horndog ex-con buddy Mads Mikkelsen, to a nail-biting look at a man running out of options.',
				},
			]);
		}
		const unknown = await bot.fake.slash('critic', { name: 'Noel Muray' });
		expect(messageBodyOf(unknown.responses[0]!)).toMatchObject({ flags: EPHEMERAL, content: "I don't know a critic called “Noel Muray”. Did you mean **Noel Murray**?" });
	});

	it('/quote random, with film and with kind', async () => {
		const any = await bot.fake.slash('quote', {}, { subcommand: 'random' });
		expect(any.message.embeds[0].description).toMatch(/^“[^”]+”\n— \*\*Noel Murray\*\* on \*Pusher \(1996\)\*$/);
		// The same channel does not get the same quote twice in a row.
		const again = await bot.fake.slash('quote', {}, { subcommand: 'random' });
		expect(again.message.embeds[0].description).not.toBe(any.message.embeds[0].description);
		const user = await bot.fake.slash('quote', { film: 'Pusher II', kind: 'user' }, { subcommand: 'random' });
		const embed = user.message.embeds[0];
		expect(embed.description).toMatch(/^“[^”]+[.!?]”\n— \*\*UlrikSander\*\* on \*Pusher II \(2004\)\*$/);
		expect(embed.fields).toEqual([
			{ name: 'Rating', value: '★ 8/10', inline: true },
			{ name: 'Date', value: '11 Mar 2006', inline: true },
			{ name: 'From the review', value: "Nicolas Winding Refn's Pusher 2 is even better than the first one", inline: false },
		]);
		const critic = await bot.fake.slash('quote', { kind: 'critic' }, { subcommand: 'random' });
		expect(critic.message.embeds[0].footer.text).toBe('Critic review · Pusher (1996)');
		const none = await bot.fake.slash('quote', { film: 'Pusher', kind: 'user' }, { subcommand: 'random' });
		expect(messageBodyOf(none.responses[0]!)).toMatchObject({ flags: EPHEMERAL, content: expect.stringMatching(/no user reviews to quote for that film/) });
	});

	it('autocomplete on every autocomplete option', async () => {
		expect(await bot.fake.autocomplete('reviews', 'film', 'pus')).toEqual([
			{ name: 'Pusher (1996)', value: 'pusher-1996' },
			{ name: 'Pusher II (2004)', value: 'pusher-ii-2004' },
		]);
		expect(await bot.fake.autocomplete('critic', 'name', 'mur')).toEqual([{ name: 'Noel Murray · 1 review', value: 'Noel Murray' }]);
		expect(await bot.fake.autocomplete('critic', 'name', '')).toHaveLength(11);
		expect((await bot.fake.autocomplete('quote', 'film', 'blood', { subcommand: 'random', options: { kind: 'user' } })).map((c) => c.value)).toEqual(['pusher-ii-2004']);
		expect(await bot.fake.autocomplete('reviews', 'film', 'zzzzqqq')).toEqual([]);
		// The value autocomplete offers is what the command then receives.
		const r = await bot.fake.slash('reviews', { film: 'pusher-ii-2004' });
		expect(r.message.embeds[0].title).toBe('Pusher II (2004)');
		const types = bot.fake.interactions.filter((i) => i.kind === 'autocomplete').map((i) => i.callbackType);
		expect(types).toEqual([8, 8, 8, 8, 8]);
	});

	it('pages through all 25 reviews with Next, back with Previous, each page the expected review', async () => {
		const record = bot.store.film('pusher-ii-2004')!;
		const expected = bot.store.reviews(record, 'user', 'helpful').map((r) => (r.kind === 'user' ? r.author : r.credit));
		expect(expected).toHaveLength(25);
		const r = await bot.fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice' });
		const messageId = r.message.id;
		let message = r.message;
		const forward: string[] = [];
		for (let page = 1; page <= 25; page++) {
			const c = await bot.fake.click(message, buttonId(message, 'Next ▶'), { user: 'alice' });
			expect(c.responses[0]!.type).toBe(7);
			message = c.message;
			expect(message.id).toBe(messageId);
			expect(pageIndicator(message)).toBe(`${page} / 25`);
			forward.push(author(message));
			expect(message.embeds[0].footer.text).toBe(`Pusher II (2004) · user review ${page} of 25 · most helpful first`);
		}
		expect(forward).toEqual(expected);
		const nav = message.components[0].components;
		expect(nav.find((c: any) => c.label === 'Next ▶').disabled).toBe(true);
		await expect(bot.fake.click(message, buttonId(message, 'Next ▶'), { user: 'alice' })).rejects.toThrow(/disabled/);
		const back: string[] = [author(message)];
		for (let page = 24; page >= 1; page--) {
			message = (await bot.fake.click(message, buttonId(message, '◀ Previous'), { user: 'alice' })).message;
			expect(pageIndicator(message)).toBe(`${page} / 25`);
			back.push(author(message));
		}
		expect(back).toEqual([...expected].reverse());
		message = (await bot.fake.click(message, buttonId(message, '◀ Previous'), { user: 'alice' })).message;
		expect(pageIndicator(message)).toBe('25 reviews');
		expect(message.embeds[0].title).toBe('Pusher II (2004)');
		expect(message.embeds[0].fields[1].value).toContain('**7.7/10** from 24 ratings');
	});

	it("another user's click gets an ephemeral note and leaves the message alone; Overview jumps back", async () => {
		const r = await bot.fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice' });
		const next = await bot.fake.click(r.message, buttonId(r.message, 'Next ▶'), { user: 'alice' });
		const before = JSON.stringify(next.message.embeds);
		const c = await bot.fake.click(next.message, buttonId(next.message, 'Next ▶'), { user: 'bob' });
		expect(c.responses[0]!.type).toBe(4);
		expect(messageBodyOf(c.responses[0]!)).toMatchObject({
			flags: EPHEMERAL,
			content: 'Only the person who ran this `/reviews` can turn its pages. Run `/reviews` yourself to browse.',
		});
		expect(JSON.stringify(bot.fake.messages.get(r.message.id).embeds)).toBe(before);
		expect(pageIndicator(bot.fake.messages.get(r.message.id))).toBe('1 / 25');
		const overview = await bot.fake.click(next.message, buttonId(next.message, 'Overview'), { user: 'alice' });
		expect(pageIndicator(overview.message)).toBe('25 reviews');
		expect(overview.message.embeds[0].title).toBe('Pusher II (2004)');
	});

	it('sort buttons: newest first and highest rated first, then paging keeps the sort', async () => {
		const record = bot.store.film('pusher-ii-2004')!;
		const newestList = bot.store.reviews(record, 'user', 'newest');
		const ratedList = bot.store.reviews(record, 'user', 'rating');
		const r = await bot.fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice' });
		const newest = (await bot.fake.click(r.message, buttonId(r.message, 'Newest'), { user: 'alice' })).message;
		expect(author(newest)).toBe('Uriah43');
		expect(author(newest)).toBe(newestList[0]!.kind === 'user' ? newestList[0]!.author : '');
		expect(pageIndicator(newest)).toBe('1 / 25');
		expect(newest.embeds[0].footer.text).toBe('Pusher II (2004) · user review 1 of 25 · newest first');
		const sorts = newest.components[1].components.map((c: any) => [c.label, c.disabled]);
		expect(sorts).toEqual([
			['Most helpful', false],
			['Newest', true],
			['Highest rated', false],
		]);
		const second = (await bot.fake.click(newest, buttonId(newest, 'Next ▶'), { user: 'alice' })).message;
		expect(author(second)).toBe(newestList[1]!.kind === 'user' ? newestList[1]!.author : '');
		const rated = (await bot.fake.click(second, buttonId(second, 'Highest rated'), { user: 'alice' })).message;
		expect(pageIndicator(rated)).toBe('2 / 25');
		expect(author(rated)).toBe(ratedList[1]!.kind === 'user' ? ratedList[1]!.author : '');
		expect(rated.embeds[0].fields[0]).toEqual({ name: 'Rating', value: '★ 10/10', inline: true });
	});

	it('Pusher (critics only): pages through critic reviews', async () => {
		const record = bot.store.film('pusher-1996')!;
		const critics = bot.store.reviews(record, 'critic', 'helpful');
		const r = await bot.fake.slash('reviews', { film: 'Pusher' }, { user: 'carol' });
		expect(pageIndicator(r.message)).toBe(`${critics.length} reviews`);
		const first = (await bot.fake.click(r.message, buttonId(r.message, 'Next ▶'), { user: 'carol' })).message;
		expect(first.embeds[0].title).toBe('Critic review #1');
		expect(author(first)).toBe(critics[0]!.kind === 'critic' ? critics[0]!.credit : '');
		expect(author(first)).toBe('Noel Murray');
	});
});
