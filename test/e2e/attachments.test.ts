// #13's attachments end to end: the /reviews overview carries its rating chart (a PNG) through the real discord.js
// client on the gateway (multipart REST) and through the HTTP endpoint (a multipart callback). The fake Discord checks
// each file against the payload (ids, names, PNG signature, size, the embed's attachment:// URL) and records it; what
// it recorded is compared with the handlers' reply to the same input.
import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInteractionsServer } from '../../src/discord/http.js';
import type { FinalReply } from '../../src/reply/respond.js';
import type { InteractionRecord } from '../fake-discord/index.js';
import { silent } from '../helpers.js';
import { type Bot, buttonId, emptyMemberStore, expectHandlerReply, startBot } from './harness.js';

let bot: Bot;
let http: Server;
let endpoint: string;

beforeAll(async () => {
	bot = await startBot();
	const deps = { store: bot.store, cache: bot.cache, logger: silent, members: await emptyMemberStore() };
	http = createInteractionsServer(bot.fake.publicKeyHex, deps, new Set());
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const address = http.address();
	endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/interactions`;
});
afterAll(async () => {
	await new Promise<void>((resolve) => http.close(() => resolve()));
	await bot.stop();
});

/** The pixel size of a chart of the audience's ratings alone (the member database is empty): one panel. */
const CHART_WIDTH = 520;
const CHART_HEIGHT = 220;

/** The chart of `expected` (its one file) as `r`'s message carries it: bytes, size, pixel size, alt text, shown by the embed. */
function expectChart(r: InteractionRecord, expected: FinalReply): void {
	const [chart] = expected.files ?? [];
	if (!chart) throw new Error(`${r.label}: the handlers' reply has no chart`);
	const [sent] = r.responses.at(-1)?.files ?? [];
	expect(sent && [sent.name, sent.contentType, Buffer.from(sent.data).equals(chart.data)]).toEqual([chart.name, 'image/png', true]);
	expect(r.message.attachments).toEqual([
		expect.objectContaining({
			filename: chart.name,
			size: chart.data.byteLength,
			width: CHART_WIDTH,
			height: CHART_HEIGHT,
			content_type: 'image/png',
			description: chart.description,
		}),
	]);
	expect(r.message.embeds[0]?.image?.url).toBe(`attachment://${chart.name}`);
}

describe.each([
	['the gateway (discord.js, multipart REST)', false],
	['the HTTP endpoint (a multipart callback)', true],
])('the /reviews chart through %s', (_, overHttp) => {
	beforeEach(() => {
		bot.fake.setInteractionsEndpoint(overHttp ? endpoint : null);
		bot.fake.clearViolations();
	});

	it('carries the PNG the handlers drew; a page drops it, the overview brings it back', async () => {
		const r = await bot.fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice' });
		expectChart(r, await expectHandlerReply(r, bot.store));

		const next = await bot.fake.click(r.message, buttonId(r.message, 'Next ▶'), { user: 'alice' });
		expect(next.responses[0]?.type).toBe(7);
		expect(next.message.attachments).toEqual([]);
		expect(next.message.embeds[0]?.image).toBeUndefined();

		const back = await bot.fake.click(next.message, buttonId(next.message, 'Overview'), { user: 'alice' });
		expectChart(back, await expectHandlerReply(back, bot.store));
		bot.fake.assertNoViolations();
	});
});
