// The chart through the gateway: discord.js sends the overview's PNG as a multipart file the fake Discord stores as
// the message's attachment (with its alt text), and turning to a review page drops it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ratingChart } from '../src/charts/histogram.js';
import type { FakeDiscordServer } from './fake-discord/index.js';
import { type GatewayBot, startGatewayBot } from './gateway-bot.js';
import { memoryCache, seedStore, silent } from './helpers.js';

let bot: GatewayBot;
let fake: FakeDiscordServer;

beforeAll(async () => {
	bot = await startGatewayBot({ store: await seedStore(), cache: await memoryCache(), logger: silent });
	fake = bot.fake;
});
afterAll(async () => {
	await bot.close();
});

describe('the rating chart through the gateway', () => {
	it('arrives as the attachment the embed shows, with its alt text; a review page drops it', async () => {
		const r = await fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice' });
		expect(r.violations).toEqual([]);
		// What the handler drew (the same bytes every time: see test/charts.test.ts).
		const chart = ratingChart('Pusher II (2004)', [{ label: 'Audience', counts: [0, 0, 0, 1, 1, 2, 7, 6, 4, 3], mean: 184 / 24 }]);
		expect(r.responses[0]?.files).toEqual([
			{ field: 'files[0]', name: 'ratings.png', size: chart.png.byteLength, contentType: 'image/png' },
		]);
		expect(r.message.attachments).toEqual([
			expect.objectContaining({ filename: 'ratings.png', size: chart.png.byteLength, description: chart.alt }),
		]);
		expect(r.message.embeds[0]?.image).toEqual({ url: 'attachment://ratings.png' });

		const next = /"custom_id":"(rv:n:[^"]+)"/.exec(JSON.stringify(r.message.components))?.[1] ?? '';
		const page = await fake.click(r, next);
		expect(page.violations).toEqual([]);
		expect(page.message.attachments).toEqual([]);
		expect(page.message.embeds[0]?.image).toBeUndefined();
	});
});
