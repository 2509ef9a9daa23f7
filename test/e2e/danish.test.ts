// Danish end to end: a user whose Discord speaks Danish runs `/reviews` through the real discord.js client and the
// fake Discord, and gets on the wire exactly the handlers' Danish reply to the same input (the record's payload
// carries `locale` and `guild_locale`, which incomingOf passes on). The Danish copy itself is asserted in
// test/danish-reviews.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, buttonId, expectHandlerReply, startBot } from './harness.js';

let bot: Bot;

beforeAll(async () => {
	bot = await startBot();
});
afterEach(() => {
	bot.fake.assertNoViolations();
});
afterAll(async () => {
	await bot.stop();
});

describe('Danish through the gateway', () => {
	it('/reviews Pusher II with locale da: the handlers’ Danish overview on the wire, and its Danish Next turns to a Danish page', async () => {
		const r = await bot.fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice', locale: 'da' });
		expect(r.responses).toHaveLength(1);
		const reply = await expectHandlerReply(r, bot.store);
		expect(reply.embeds?.[0]?.fields?.[1]?.name).toBe('Publikum');
		expect(r.message.embeds[0]?.footer?.text).toBe('25 brugeranmeldelser at bladre i · mest hjælpsomme først');

		const c = await bot.fake.click(r.message, buttonId(r.message, 'Næste ▶'), { user: 'alice', locale: 'da' });
		expect(c.responses[0]?.type).toBe(7);
		await expectHandlerReply(c, bot.store);
		expect(c.message.embeds[0]?.footer?.text).toBe('Pusher II (2004) · brugeranmeldelse 1 af 25 · mest hjælpsomme først');
	});
});
