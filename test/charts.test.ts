// Issue #13's charts: the rating histogram as a PNG (size, pixels, alt text, determinism) and its in-process cache.
import { describe, expect, it } from 'vitest';
import { cachedChart, type Chart } from '../src/charts/chart.js';
import { histogramAlt, histogramSvg, ratingChart, type RatingSeries } from '../src/charts/histogram.js';
import { pngSize } from '../src/charts/png.js';
import { dispatch } from '../src/discord/dispatch.js';
import { Limits } from '../src/reply/limits.js';
import { command, expectValid, memoryCache, seedStore, silent } from './helpers.js';

const AUDIENCE: RatingSeries = { who: 'audience', counts: [1, 0, 2, 1, 3, 2, 4, 6, 3, 3], mean: 7.1 };
const SERVER: RatingSeries = { who: 'server', counts: [0, 0, 0, 0, 1, 0, 1, 1, 0, 0], mean: 6.6667 };
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('the rating histogram', () => {
	it('is a PNG of 520 × 220 pixels for one panel and 520 × 420 for two, each within 100 KB', () => {
		for (const [series, height] of [
			[[AUDIENCE], 220],
			[[AUDIENCE, SERVER], 420],
		] as const) {
			const chart = ratingChart('en', 'Pusher II (2004)', series);
			expect([...chart.png.subarray(0, 8)]).toEqual(SIGNATURE);
			expect(pngSize(chart.png)).toEqual({ width: 520, height });
			expect([chart.width, chart.height]).toEqual([520, height]);
			expect(chart.png.byteLength).toBeLessThanOrEqual(Limits.fileBytes);
			expect(chart.name).toBe('ratings.png');
		}
	});

	it('stays within 100 KB with six-digit counts', () => {
		const chart = ratingChart('en', 'Big', [{ who: 'audience', counts: [1e5, 2e5, 3e5, 4e5, 5e5, 6e5, 7e5, 8e5, 9e5, 999999], mean: 6.9 }]);
		expect(chart.png.byteLength).toBeLessThanOrEqual(Limits.fileBytes);
	});

	it('says every bar and the mean in its alt text', () => {
		expect(ratingChart('en', 'Pusher II (2004)', [AUDIENCE, SERVER]).alt).toBe(
			'Rating histogram of Pusher II (2004). ' +
				'Audience, 25 ratings, mean 7.1. Ratings 1 to 10: 1: 1, 2: 0, 3: 2, 4: 1, 5: 3, 6: 2, 7: 4, 8: 6, 9: 3, 10: 3. ' +
				'This server, 3 ratings, mean 6.7. Ratings 1 to 10: 1: 0, 2: 0, 3: 0, 4: 0, 5: 1, 6: 0, 7: 1, 8: 1, 9: 0, 10: 0.',
		);
		expect(histogramAlt('en', 'Nobody', [{ who: 'audience', counts: Array<number>(10).fill(0), mean: null }])).toBe(
			'Rating histogram of Nobody. Audience, no ratings. Ratings 1 to 10: 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0.',
		);
	});

	it('draws the same bytes for the same input', () => {
		const a = ratingChart('en', 'Pusher', [AUDIENCE, SERVER]);
		const b = ratingChart('en', 'Pusher', [AUDIENCE, SERVER]);
		expect(a.png).not.toBe(b.png);
		expect(Buffer.from(a.png).equals(Buffer.from(b.png))).toBe(true);
		const other = ratingChart('en', 'Pusher', [AUDIENCE, { ...SERVER, counts: [0, 0, 0, 0, 1, 0, 1, 2, 0, 0] }]);
		expect(Buffer.from(a.png).equals(Buffer.from(other.png))).toBe(false);
	});
});

describe('the rating histogram in Danish', () => {
	it('says its labels, means and counts in Danish', () => {
		const { svg } = histogramSvg('da', [AUDIENCE, SERVER, { who: 'server', counts: Array<number>(10).fill(0), mean: null }]);
		const texts = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
		expect(texts.filter((s) => !/^\d+$/.test(s ?? ''))).toEqual([
			'Publikum',
			'gennemsnit 7,1 · 25 bedømmelser',
			'Denne server',
			'gennemsnit 6,7 · 3 bedømmelser',
			'Denne server',
			'ingen bedømmelser',
		]);
		expect(histogramSvg('en', [AUDIENCE]).svg).toContain('>mean 7.1 · 25 ratings</text>');
	});

	it('says every bar and the mean in Danish in its alt text, counts written the Danish way', () => {
		expect(ratingChart('da', 'Pusher II (2004)', [AUDIENCE, SERVER]).alt).toBe(
			'Histogram over bedømmelserne af Pusher II (2004). ' +
				'Publikum, 25 bedømmelser, gennemsnit 7,1. Bedømmelser fra 1 til 10: 1: 1, 2: 0, 3: 2, 4: 1, 5: 3, 6: 2, 7: 4, 8: 6, 9: 3, 10: 3. ' +
				'Denne server, 3 bedømmelser, gennemsnit 6,7. Bedømmelser fra 1 til 10: 1: 0, 2: 0, 3: 0, 4: 0, 5: 1, 6: 0, 7: 1, 8: 1, 9: 0, 10: 0.',
		);
		const big: RatingSeries = { who: 'audience', counts: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1234], mean: 9.99 };
		expect(histogramAlt('da', 'Big', [big])).toBe(
			'Histogram over bedømmelserne af Big. Publikum, 1.235 bedømmelser, gennemsnit 10,0. Bedømmelser fra 1 til 10: 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 1, 10: 1.234.',
		);
		expect(histogramAlt('en', 'Big', [big])).toBe(
			'Rating histogram of Big. Audience, 1235 ratings, mean 10.0. Ratings 1 to 10: 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 1, 10: 1234.',
		);
		expect(histogramAlt('da', 'Nobody', [{ who: 'audience', counts: Array<number>(10).fill(0), mean: null }])).toBe(
			'Histogram over bedømmelserne af Nobody. Publikum, ingen bedømmelser. Bedømmelser fra 1 til 10: 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0.',
		);
	});

	it('/reviews: a Danish user gets the Danish chart, an English user the English one, each the same buffer again', async () => {
		const deps = { store: await seedStore(), cache: await memoryCache(), logger: silent };
		const ask = async (locale: 'en' | 'da') => expectValid(await dispatch({ ...command('reviews', { film: 'Pusher II' }), locale }, deps))!;
		const [danish, english, again] = [await ask('da'), await ask('en'), await ask('da')];
		expect(danish.attachments?.[0]?.description).toBe(
			'Histogram over bedømmelserne af Pusher II (2004). Publikum, 24 bedømmelser, gennemsnit 7,7. Bedømmelser fra 1 til 10: 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2, 7: 7, 8: 6, 9: 4, 10: 3.',
		);
		expect(english.attachments?.[0]?.description).toMatch(/^Rating histogram of Pusher II \(2004\)\. Audience, 24 ratings, mean 7\.7\./);
		expect(danish.embeds?.[0]?.image).toEqual({ url: 'attachment://ratings.png' });
		const png = (r: typeof danish): Uint8Array | undefined => r.files?.[0]?.data;
		expect(Buffer.from(png(danish) ?? []).equals(Buffer.from(png(english) ?? []))).toBe(false);
		expect(png(again)).toBe(png(danish));
	});
});

describe('cachedChart', () => {
	it('draws once per data version and then returns the same chart, buffer and all', () => {
		let draws = 0;
		const draw = (): Chart => {
			draws++;
			return ratingChart('en', 'Pusher', [AUDIENCE]);
		};
		const first = cachedChart('test:v1:pusher:', draw);
		const again = cachedChart('test:v1:pusher:', draw);
		expect(again).toBe(first);
		expect(again.png).toBe(first.png);
		expect(draws).toBe(1);
		const next = cachedChart('test:v2:pusher:', draw);
		expect(next).not.toBe(first);
		expect(draws).toBe(2);
	});
});

describe('pngSize', () => {
	it('reads nothing from bytes that are no PNG, or too short to hold a header', () => {
		expect(pngSize(new TextEncoder().encode('GIF89a and more bytes than a header'))).toBeUndefined();
		expect(pngSize(new Uint8Array(SIGNATURE))).toBeUndefined();
	});
});
