/** Metacritic's three bands: for a 0-100 critic score, a user mean out of 10, and a printed verdict. Pure. */

import type { Band } from './schema.js';

/** The band of a 0-100 critic score: 61-100 positive, 40-60 mixed, 0-39 negative. */
export function bandOf(score: number): Band {
	return score >= 61 ? 'positive' : score >= 40 ? 'mixed' : 'negative';
}

/** The band a user mean out of 10 falls in, on the same scale as critics' 0-100. */
export function userBand(mean: number | null): Band | null {
	return mean === null ? null : bandOf(mean * 10);
}

/** The band a Metacritic verdict names ("Generally unfavorable" is tested before "favorable"). */
export function verdictBand(verdict: string): Band | null {
	if (/unfavou?rable|dislike|negative/i.test(verdict)) return 'negative';
	if (/acclaim|favou?rable|positive/i.test(verdict)) return 'positive';
	if (/mixed|average/i.test(verdict)) return 'mixed';
	return null;
}
