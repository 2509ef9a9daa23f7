// Danish end to end: users whose Discord speaks Danish run every command through the real discord.js client and the
// fake Discord (and the HTTP endpoint), and get on the wire exactly the handlers' Danish reply to the same input (the
// record's payload carries `locale` and `guild_locale`, which incomingOf passes on), which is not the English one.
// The Danish copy itself is asserted in the handler tests (test/danish-*.test.ts).
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInteractionsServer } from '../../src/discord/http.js';
import { type MemberStore, openMemberStore } from '../../src/members/store.js';
import type { FinalReply } from '../../src/reply/respond.js';
import type { InteractionRecord } from '../fake-discord/index.js';
import { silent, tempDir } from '../helpers.js';
import { type Bot, buttonId, handlerReply, messageBodyOf, startBot, wireFields } from './harness.js';

const EPHEMERAL = 64;
/** Quotes are drawn with random 0 (the first candidate), so the handlers' draw is the bot's. */
const random = (): number => 0;
const DA = { locale: 'da' } as const;

let bot: Bot;
let members: MemberStore;
let http: Server;
let endpoint: string;
let guild: string;

beforeAll(async () => {
	members = openMemberStore({ kind: 'sqlite', file: join(tempDir('marquee-danish-e2e-'), 'members.db') }, { logger: silent });
	if (!(await members.ready())) throw new Error('the member database did not open');
	bot = await startBot({ members, random });
	guild = bot.fake.guilds[0]!.id;
	http = createInteractionsServer(
		bot.fake.publicKeyHex,
		{ store: bot.store, cache: bot.cache, logger: silent, members, random },
		new Set(),
	);
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const address = http.address();
	endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/interactions`;
});
afterEach(() => {
	bot.fake.assertNoViolations();
	bot.fake.setInteractionsEndpoint(null);
});
afterAll(async () => {
	await new Promise<void>((resolve) => http.close(() => resolve()));
	await bot.stop();
	await members.close();
});

/**
 * `r`'s first response carried the handlers' reply to the same input, with no pings, and that reply is not the one an
 * English-speaking user gets: it was said in Danish. Every attachment the reply has arrived with its description (the
 * fake Discord checks the files against the payload). Only for inputs that read.
 */
async function expectDanish(r: InteractionRecord, flags: 0 | typeof EPHEMERAL): Promise<FinalReply> {
	const body = messageBodyOf(r.responses[0]);
	expect([body.allowed_mentions, body.flags ?? 0]).toEqual([{ parse: [] }, flags]);
	const expected = await handlerReply(r, bot.store, { members, random });
	expect(wireFields(body)).toEqual(wireFields(expected));
	const english = await handlerReply(r, bot.store, { members, random, locale: 'en-US' });
	expect(wireFields(english)).not.toEqual(wireFields(expected));
	const files = expected.files ?? [];
	expect(r.message.attachments.map((a) => [a.filename, a.size, a.description])).toEqual(
		files.map((f) => [f.name, f.data.byteLength, f.description]),
	);
	return expected;
}

describe('every command in Danish through the gateway', () => {
	it('/critic and /quote random: the handlers’ Danish answers', async () => {
		await expectDanish(await bot.fake.slash('critic', { name: 'Noel Murray' }, DA), 0);
		await expectDanish(await bot.fake.slash('critic', { name: 'Nobody Atall' }, DA), EPHEMERAL);
		for (const [i, options] of [{ film: 'Pusher II', kind: 'user' }, { kind: 'critic' }, {}].entries()) {
			await expectDanish(
				await bot.fake.slash('quote', options, { ...DA, subcommand: 'random', channelId: String(910000000000000001n + BigInt(i)) }),
				0,
			);
		}
	});

	it('/rate, then /member, /top, /divisive, /compare and the /reviews overview with the server block and its chart', async () => {
		for (const [user, score] of [
			['alice', 8],
			['bob', 6],
			['carol', 9],
		] as const) {
			const r = await bot.fake.slash('rate', { film: 'Pusher II', score }, { ...DA, user, guildId: guild });
			expect(messageBodyOf(r.responses[0]).flags).toBe(EPHEMERAL);
		}
		await expectDanish(await bot.fake.slash('member', { user: 'alice' }, { ...DA, guildId: guild }), 0);
		await expectDanish(await bot.fake.slash('top', {}, { ...DA, guildId: guild }), 0);
		for (const kind of ['audience', 'server']) await expectDanish(await bot.fake.slash('divisive', { kind }, { ...DA, guildId: guild }), 0);
		await expectDanish(await bot.fake.slash('compare', { film_a: 'Pusher', film_b: 'Pusher II' }, { ...DA, guildId: guild }), 0);
		await expectDanish(await bot.fake.slash('compare', { film_a: 'Pusher', film_b: 'pusher' }, DA), EPHEMERAL);
		const overview = await bot.fake.slash('reviews', { film: 'Pusher II' }, { ...DA, user: 'alice', guildId: guild });
		const reply = await expectDanish(overview, 0);
		expect(reply.files?.map((f) => f.name)).toEqual(['ratings.png']);

		const next = await bot.fake.click(overview.message, buttonId(overview.message, 'Næste ▶'), { ...DA, user: 'alice' });
		expect(next.responses[0]?.type).toBe(7);
		expect(next.message.embeds[0]?.footer?.text).toBe('Pusher II (2004) · brugeranmeldelse 1 af 25 · mest hjælpsomme først');
	});

	it('/forget-me asks in Danish, and its Danish buttons answer in Danish', async () => {
		const r = await bot.fake.slash('forget-me', {}, { ...DA, user: 'bob', guildId: guild });
		await expectDanish(r, EPHEMERAL);
		const ids = (r.message.components ?? []).flatMap((row) =>
			'components' in row ? row.components.flatMap((c) => ('custom_id' in c ? [c.custom_id] : [])) : [],
		);
		const cancel = ids.find((id) => id.startsWith('fm:n:'));
		if (cancel === undefined) throw new Error('no cancel button');
		const c = await bot.fake.click(r, cancel, { ...DA, user: 'bob' });
		expect(c.responses.map((x) => x.type)).toEqual([7]);
		const english = await handlerReply(c, bot.store, { members, locale: 'en-US' });
		expect(c.message.content).not.toBe(english.content);
	});
});

describe('Danish through the HTTP endpoint', () => {
	it('/compare and the /reviews overview: the handlers’ Danish answers, charts in the multipart callback', async () => {
		bot.fake.setInteractionsEndpoint(endpoint);
		const compared = await expectDanish(
			await bot.fake.slash('compare', { film_a: 'Pusher II', film_b: 'Pusher' }, { ...DA, guildId: guild }),
			0,
		);
		expect(compared.files?.map((f) => f.name)).toEqual(['compare.png']);
		const r = await bot.fake.slash('reviews', { film: 'Pusher II' }, { ...DA, guildId: guild });
		expect((await expectDanish(r, 0)).files?.map((f) => f.name)).toEqual(['ratings.png']);
	});
});
