import { describe, expect, it } from 'vitest';
import { bandOf, userBand, verdictBand } from '../src/domain/bands.js';

describe('bands', () => {
	it('a critic score: 61-100 positive, 40-60 mixed, 0-39 negative', () => {
		expect([100, 61, 60, 40, 39, 0].map(bandOf)).toEqual(['positive', 'positive', 'mixed', 'mixed', 'negative', 'negative']);
	});

	it('a user mean out of 10 on the same scale; no mean, no band', () => {
		expect([10, 6.1, 61 / 10, 6.09, 4, 3.99, 1].map(userBand)).toEqual([
			'positive',
			'positive',
			'positive',
			'mixed',
			'mixed',
			'negative',
			'negative',
		]);
		expect(userBand(null)).toBeNull();
	});

	it('a verdict: the band it names, "unfavorable" before "favorable"; none for a verdict naming none', () => {
		expect(
			['Universal acclaim', 'Mixed or average reviews', 'Generally unfavorable reviews', 'Overwhelming dislike', 'No score yet'].map(
				verdictBand,
			),
		).toEqual(['positive', 'mixed', 'negative', 'negative', null]);
	});
});
