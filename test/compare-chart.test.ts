// /compare's chart: the two films on one 0-100 scale as a PNG (size, pixels, alt text in English and Danish), cached
// by data version and locale, attached to the reply through dispatch; without a renderer, the text alone.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHART_MAX_BYTES } from '../src/charts/chart.js';
import { type CompareFilm, compareChart } from '../src/charts/compare.js';
import { pngSize } from '../src/charts/png.js';
import type { Cache } from '../src/cache.js';
import { dispatch } from '../src/discord/dispatch.js';
import type { ReviewStore } from '../src/domain/store.js';
import type { Locale } from '../src/i18n/index.js';
import type { MemberStore } from '../src/members/store.js';
import { captureLogger, command, expectValid, memoryCache, seedStore, silent } from './helpers.js';
import { GUILD_A, ok, openMembers } from './member-views.js';

const renderer = vi.hoisted(() => ({ fails: false }));
vi.mock(import('../src/charts/png.js'), async (original) => {
	const real = await original();
	return {
		...real,
		svgToPng: (svg: string) => {
			if (renderer.fails) throw new Error('no renderer here');
			return real.svgToPng(svg);
		},
	};
});

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const NO_RATINGS = Array<number>(10).fill(0);
const A: CompareFilm = { name: 'Pusher (1996)', critics: 79.6, audience: 8.14, server: null, ratings: [0, 0, 1, 0, 2, 3, 6, 12, 8, 5] };
const B: CompareFilm = { name: 'Pusher II (2004)', critics: null, audience: 7.6667, server: 4, ratings: [0, 0, 0, 1, 1, 2, 7, 6, 4, 3] };

let store: ReviewStore;
let members: MemberStore;
let cache: Cache;
beforeAll(async () => {
	store = await seedStore();
	members = await openMembers();
	cache = await memoryCache();
	for (let i = 0; i < 5; i++) ok(await members.rate(GUILD_A, String(500000000000000000n + BigInt(i)), 'pusher-ii-2004', 4));
});

describe('the compare chart', () => {
	it('is a PNG 520 pixels wide, 416 high with the server and the histograms, less without them, each within 100 KB', () => {
		for (const [a, b, height] of [
			[A, B, 416],
			[A, { ...B, server: null }, 368],
			[{ ...A, ratings: NO_RATINGS }, { ...B, ratings: NO_RATINGS, server: null }, 236],
		] as const) {
			const chart = compareChart('en', a, b);
			expect([...chart.png.subarray(0, 8)]).toEqual(SIGNATURE);
			expect(pngSize(chart.png)).toEqual({ width: 520, height });
			expect([chart.width, chart.height, chart.name]).toEqual([520, height, 'compare.png']);
			expect(chart.png.byteLength).toBeLessThanOrEqual(CHART_MAX_BYTES);
		}
	});

	it('stays within 100 KB for the longest names and six-digit counts', () => {
		const long = (f: CompareFilm): CompareFilm => ({ ...f, name: 'W'.repeat(200), ratings: f.ratings.map((n) => n * 99_999) });
		expect(compareChart('da', long(A), long(B)).png.byteLength).toBeLessThanOrEqual(CHART_MAX_BYTES);
	});

	it('says every number in its alt text, in English and in Danish', () => {
		expect(compareChart('en', A, B).alt).toBe(
			'Pusher (1996) and Pusher II (2004) on one 0-100 scale (ratings out of 10 times 10). ' +
				'Critics: 80 and none. Audience: 81 and 77. This server: none and 40. ' +
				'Audience ratings 1 to 10 of Pusher (1996), 37 ratings: 1: 0, 2: 0, 3: 1, 4: 0, 5: 2, 6: 3, 7: 6, 8: 12, 9: 8, 10: 5. ' +
				'Audience ratings 1 to 10 of Pusher II (2004), 24 ratings: 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2, 7: 7, 8: 6, 9: 4, 10: 3.',
		);
		expect(compareChart('da', { ...A, ratings: A.ratings.map((n) => n * 100) }, B).alt).toBe(
			'Pusher (1996) og Pusher II (2004) på én skala fra 0 til 100 (bedømmelser ud af 10 gange 10). ' +
				'Kritikere: 80 og ingen. Publikum: 81 og 77. Denne server: ingen og 40. ' +
				'Publikums bedømmelser fra 1 til 10 af Pusher (1996), 3.700 bedømmelser: 1: 0, 2: 0, 3: 100, 4: 0, 5: 200, 6: 300, 7: 600, 8: 1.200, 9: 800, 10: 500. ' +
				'Publikums bedømmelser fra 1 til 10 af Pusher II (2004), 24 bedømmelser: 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2, 7: 7, 8: 6, 9: 4, 10: 3.',
		);
		expect(
			compareChart('en', { ...A, ratings: NO_RATINGS, audience: null }, { ...B, ratings: NO_RATINGS, audience: null, server: null }).alt,
		).toBe(
			'Pusher (1996) and Pusher II (2004) on one 0-100 scale (ratings out of 10 times 10). Critics: 80 and none. Audience: none and none.',
		);
	});
});

/** /compare in `locale`, in the server with the members' ratings unless `guildId` says otherwise. */
async function compare(locale: Locale, a = 'Pusher', b = 'Pusher II', guildId: string | null = GUILD_A, logger = silent) {
	const outcome = await dispatch({ ...command('compare', { film_a: a, film_b: b }), locale, guildId }, { store, cache, members, logger });
	const data = expectValid(outcome);
	if (data === undefined) throw new Error('no reply');
	return data;
}

describe('/compare with its chart', () => {
	it('attaches the chart: the embed shows compare.png, the file carries the alt text as its description', async () => {
		const reply = await compare('en');
		const alt =
			'Pusher (1996) and Pusher II (2004) on one 0-100 scale (ratings out of 10 times 10). ' +
			'Critics: 80 and none. Audience: none and 77. This server: none and 40. ' +
			'No audience ratings of Pusher (1996). ' +
			'Audience ratings 1 to 10 of Pusher II (2004), 24 ratings: 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2, 7: 7, 8: 6, 9: 4, 10: 3.';
		expect(reply.embeds?.[0]?.image).toEqual({ url: 'attachment://compare.png' });
		expect(reply.files?.map((f) => [f.name, f.description])).toEqual([['compare.png', alt]]);
		expect(reply.attachments).toEqual([{ id: '0', filename: 'compare.png', description: alt }]);
		const png = reply.files?.[0]?.data ?? new Uint8Array();
		expect(pngSize(png)).toEqual({ width: 520, height: 416 });
		expect(png.byteLength).toBeLessThanOrEqual(CHART_MAX_BYTES);
	});

	it('in Danish, a chart of its own; the same question again gets the same buffer', async () => {
		const danish = await compare('da');
		expect(danish.attachments).toEqual([
			{
				id: '0',
				filename: 'compare.png',
				description:
					'Pusher (1996) og Pusher II (2004) på én skala fra 0 til 100 (bedømmelser ud af 10 gange 10). ' +
					'Kritikere: 80 og ingen. Publikum: ingen og 77. Denne server: ingen og 40. ' +
					'Ingen publikumsbedømmelser af Pusher (1996). ' +
					'Publikums bedømmelser fra 1 til 10 af Pusher II (2004), 24 bedømmelser: 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2, 7: 7, 8: 6, 9: 4, 10: 3.',
			},
		]);
		const english = await compare('en');
		const again = await compare('da');
		expect(again.files?.[0]?.data).toBe(danish.files?.[0]?.data);
		expect(Buffer.from(english.files?.[0]?.data ?? []).equals(Buffer.from(danish.files?.[0]?.data ?? []))).toBe(false);
	});

	it('in a DM, no server row: a chart of its own, 368 pixels high', async () => {
		const reply = await compare('en', 'Pusher', 'Pusher II', null);
		expect(reply.attachments?.[0]?.description).toBe(
			'Pusher (1996) and Pusher II (2004) on one 0-100 scale (ratings out of 10 times 10). Critics: 80 and none. Audience: none and 77. ' +
				'No audience ratings of Pusher (1996). ' +
				'Audience ratings 1 to 10 of Pusher II (2004), 24 ratings: 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2, 7: 7, 8: 6, 9: 4, 10: 3.',
		);
		expect(pngSize(reply.files?.[0]?.data ?? new Uint8Array())).toEqual({ width: 520, height: 368 });
	});

	it('when the chart cannot be drawn: the text alone, no file, and the failure logged', async () => {
		const { logger, lines } = captureLogger();
		renderer.fails = true;
		try {
			const reply = await compare('en', 'Pusher II', 'Pusher', GUILD_A, logger);
			expect(reply.embeds?.[0]?.title).toBe('Pusher II (2004) vs Pusher (1996)');
			expect(reply.embeds?.[0]?.fields?.length).toBe(4);
			expect(reply.embeds?.[0]?.image).toBeUndefined();
			expect('files' in reply || 'attachments' in reply).toBe(false);
		} finally {
			renderer.fails = false;
		}
		const warning = lines.find((line) => line['msg'] === 'could not draw the compare chart; /compare shows its text alone');
		expect(warning).toMatchObject({ level: 40, films: ['pusher-ii-2004', 'pusher-1996'], err: { message: 'no renderer here' } });
	});
});
