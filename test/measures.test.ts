import { describe, expect, it } from 'vitest';
import { agreement, divisiveness, gapOf, measuresOf, mostDivisive, onHundred, sideOf, widestGaps } from '../src/domain/measures.js';

describe('one scale', () => {
	it('puts a 1-10 rating on 0-100 as Metacritic converts a critic’s 7/10 (×10)', () => {
		expect([1, 7.7, 10].map(onHundred)).toEqual([10, 77, 100]);
	});
});

describe('gap', () => {
	it('is whole points, and its words follow the rounded number at 10 and 20', () => {
		expect(gapOf(80, 77)).toEqual({ points: 3, level: 'agree' });
		expect(gapOf(70, 79.4)).toEqual({ points: 9, level: 'agree' });
		expect(gapOf(70, 79.5)).toEqual({ points: 10, level: 'part' });
		expect(gapOf(40, 59.4)).toEqual({ points: 19, level: 'part' });
		expect(gapOf(59.5, 40)).toEqual({ points: 20, level: 'disagree' });
		expect(gapOf(100, 10)).toEqual({ points: 90, level: 'disagree' });
	});

	it('needs five scores or ratings a side', () => {
		expect(sideOf(80, 4)).toBeNull();
		expect(sideOf(null, 50)).toBeNull();
		expect(sideOf(80, 5)).toEqual({ mean: 80, count: 5 });
	});
});

describe('agreement (van der Eijk’s A)', () => {
	it('gives the published value of the agrmt package’s example', () => {
		expect(agreement([30, 40, 210, 130, 530, 50, 10])).toBeCloseTo(0.6113333, 6);
	});

	it('is −1 for half at each end, 0 for a flat histogram, 1 for one rating', () => {
		expect(agreement([5, 0, 0, 0, 0, 0, 0, 0, 0, 5])).toBe(-1);
		expect(agreement([2, 2, 2, 2, 2, 2, 2, 2, 2, 2])).toBe(0);
		expect(agreement([0, 0, 0, 0, 0, 0, 12, 0, 0, 0])).toBe(1);
		expect(agreement([0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBeNull();
	});

	it('weighs layers: 10% at 1 and 90% at 10 is −1 on a fifth of the ratings and 1 on the rest', () => {
		expect(agreement([1, 0, 0, 0, 0, 0, 0, 0, 0, 9])).toBeCloseTo(0.2 * -1 + 0.8 * 1, 12);
	});
});

/** A verdict with its agreement to four decimals. */
function verdict(histogram: readonly number[]): { agreement: number; count: number; divisive: boolean } | null {
	const d = divisiveness(histogram);
	return d === null ? null : { ...d, agreement: Math.round(d.agreement * 1e4) / 1e4 };
}

describe('divisiveness', () => {
	it('marks a U-shaped histogram', () => {
		expect(verdict([6, 3, 1, 0, 0, 0, 0, 1, 3, 6])).toEqual({ agreement: -0.4478, count: 20, divisive: true });
	});

	it('marks two camps with a gap between, even off the ends', () => {
		// One layer: S = 2 of K = 10, 4 triples 101 and 4 unimodal: U = (8·4 − 9·4)/(8·8), A = U · 8/9 = −1/18.
		expect(verdict([0, 0, 5, 0, 0, 0, 0, 5, 0, 0])).toEqual({ agreement: -0.0556, count: 10, divisive: true });
	});

	it('does not mark a single peak, nor the seed film’s ratings', () => {
		expect(verdict([0, 0, 0, 1, 3, 6, 3, 1, 0, 0])).toEqual({ agreement: 0.746, count: 14, divisive: false });
		expect(verdict([0, 0, 0, 1, 1, 2, 7, 6, 4, 3])).toEqual({ agreement: 0.6111, count: 24, divisive: false });
	});

	it('does not mark a flat histogram: A = 0, no consensus but no camps', () => {
		expect(verdict([1, 1, 1, 1, 1, 1, 1, 1, 1, 1])).toEqual({ agreement: 0, count: 10, divisive: false });
	});

	it('gives no verdict below ten ratings, however polarised', () => {
		expect(verdict([5, 0, 0, 0, 0, 0, 0, 0, 0, 4])).toBeNull();
	});
});

describe('rankings', () => {
	const films = [
		{ id: 'u', h: [6, 3, 1, 0, 0, 0, 0, 1, 3, 6] },
		{ id: 'poles', h: [5, 0, 0, 0, 0, 0, 0, 0, 0, 5] },
		{ id: 'peak', h: [0, 0, 0, 1, 3, 6, 3, 1, 0, 0] },
		{ id: 'few', h: [1, 0, 0, 0, 0, 0, 0, 0, 0, 1] },
	];

	it('lists the divisive films, lowest agreement first', () => {
		expect(mostDivisive(films, (f) => divisiveness(f.h)).map((r) => r.item.id)).toEqual(['poles', 'u']);
	});

	it('lists where two sides at least part ways, widest first', () => {
		const pairs = [
			{ id: 'close', a: 80, b: 77 },
			{ id: 'part', a: 80, b: 65 },
			{ id: 'sharp', a: 30, b: 85 },
		];
		const ranked = widestGaps(pairs, (p) => [sideOf(p.a, 10), sideOf(p.b, 10)]);
		expect(ranked.map((r) => [r.item.id, r.gap.points, r.gap.level])).toEqual([
			['sharp', 55, 'disagree'],
			['part', 15, 'part'],
		]);
	});
});

describe('a film’s measures', () => {
	it('take the critic mean and the audience histogram’s mean on 0-100', () => {
		const m = measuresOf({ meanScore: 80, scoredCount: 11 }, [0, 0, 0, 1, 1, 2, 7, 6, 4, 3]);
		expect(m.critics).toEqual({ mean: 80, count: 11 });
		expect(m.audience?.count).toBe(24);
		expect(m.audience?.mean).toBeCloseTo(76.667, 3);
		expect(m.divisiveness?.divisive).toBe(false);
		expect(measuresOf(null, null)).toEqual({ critics: null, audience: null, divisiveness: null });
	});
});
