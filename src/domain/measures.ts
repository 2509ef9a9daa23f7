/**
 * How far critics, the audience and a server's members agree, and whether a film's ratings are divisive. Pure.
 *
 * **One scale.** Everything is compared on critics' 0-100 scale. A 1-10 rating (the audience's, a member's) is
 * multiplied by 10: that is how Metacritic turns a critic's "7/10" into a 70 in the first place, and how the
 * bands already read a user mean (`userBand`), so an audience mean of 7.7 and a critic mean of 77 say the same
 * thing. (Stretching 1-10 onto 0-100 by (x − 1)/9 · 100 would instead put 7.7 at 74 and disagree with the bands.)
 *
 * **The gap** between two of them is the difference of their means on that scale, in whole points (rounded, so
 * the words never disagree with the number shown). Under 10 points (less than one rating point out of 10) they
 * *agree*; 10-19 they *part ways*; 20 or more (two rating points, the width of Metacritic's mixed band, 40-60)
 * they *disagree sharply*. A side needs at least GAP_MIN scores or ratings to count: one member's 2/10 is no
 * server's opinion.
 *
 * **Divisiveness** is van der Eijk's agreement A (C. van der Eijk, "Measuring agreement in ordered rating
 * scales", Quality & Quantity 35, 2001), made for exactly this: ratings on an ordered scale. A is 1 when every
 * rating is the same, 0 for a flat histogram and −1 when the ratings sit half at each end. A film with at least
 * DIVISIVE_MIN ratings whose A is below 0 is *divisive*: its ratings gather in two camps apart more than a flat
 * spread's would (U-shaped, or two peaks with a gap between), rather than around one rating or nowhere. Why not the alternatives: the standard
 * deviation is as high for a flat histogram (2.9) as for a mild U, so it cannot tell "no consensus" from "two
 * camps"; Sarle's bimodality coefficient reads a single peak at 10 with a long tail (common for films) as
 * bimodal, since it grows with skewness. A flat histogram has A = 0: no consensus, but no camps either, so not
 * divisive. Below DIVISIVE_MIN ratings there is no verdict: with fewer, one rating moves A by a tenth or more.
 */

import { z } from 'zod';

/** A 1-10 rating (or a mean of them) on the 0-100 scale. */
export function onHundred(outOfTen: number): number {
	return outOfTen * 10;
}

/** Scores or ratings a side needs for its gap to another to be shown. */
export const GAP_MIN = 5;
/** Below this gap (points on 0-100) two sides agree; from it they part ways. */
export const PART_AT = 10;
/** From this gap (points on 0-100) two sides disagree sharply. */
export const SHARP_AT = 20;

export type GapLevel = 'agree' | 'part' | 'disagree';

/** The gap between two 0-100 means, in whole points, and what it amounts to. */
export interface Gap {
	readonly points: number;
	readonly level: GapLevel;
}

export function gapOf(a: number, b: number): Gap {
	const points = Math.round(Math.abs(a - b));
	return { points, level: points >= SHARP_AT ? 'disagree' : points >= PART_AT ? 'part' : 'agree' };
}

/** A side of a comparison: its mean on 0-100 and how many scores or ratings made it. */
const Side = z.object({ mean: z.number(), count: z.number().int().nonnegative() });
export type Side = Readonly<z.infer<typeof Side>>;

/** A side when it has a mean from at least GAP_MIN scores, else null. */
export function sideOf(mean: number | null, count: number): Side | null {
	return mean === null || count < GAP_MIN ? null : { mean, count };
}

/** Ratings a histogram needs for a divisiveness verdict. */
export const DIVISIVE_MIN = 10;
/**
 * Van der Eijk's agreement of one layer's pattern (which categories are used): U · (1 − (S − 1)/(K − 1)), where S
 * categories of K are used and U weighs the triples of categories that fit one peak (110, 011) against those
 * that have a gap between two used ones (101).
 */
function patternAgreement(used: readonly boolean[]): number {
	const k = used.length;
	const s = used.filter(Boolean).length;
	if (s === 1) return 1;
	let tu = 0;
	let tdu = 0;
	for (let i = 0; i < k - 2; i++)
		for (let j = i + 1; j < k - 1; j++)
			for (let m = j + 1; m < k; m++) {
				if (used[i] && !used[j] && used[m]) tdu++;
				else if ((used[i] && used[j] && !used[m]) || (!used[i] && used[j] && used[m])) tu++;
			}
	const u = tu + tdu === 0 ? 0 : ((k - 2) * tu - (k - 1) * tdu) / ((k - 2) * (tu + tdu));
	return u * (1 - (s - 1) / (k - 1));
}

/**
 * Van der Eijk's agreement A of a histogram (counts of ordered categories, at least three), from −1 (half at
 * each end) through 0 (flat) to 1 (all alike); null when it holds no rating. The histogram is peeled into
 * layers, each the smallest non-zero count across the categories in use; A is the layers' agreements weighed
 * by the ratings each holds.
 */
export function agreement(histogram: readonly number[]): number | null {
	const rest = histogram.map((n) => Math.max(0, n));
	const total = rest.reduce((a, b) => a + b, 0);
	if (total === 0 || rest.length < 3) return null;
	let a = 0;
	for (;;) {
		const used = rest.map((n) => n > 0);
		const layer = Math.min(...rest.filter((n) => n > 0));
		if (!Number.isFinite(layer)) return a;
		const s = used.filter(Boolean).length;
		a += ((layer * s) / total) * patternAgreement(used);
		for (let i = 0; i < rest.length; i++) if (used[i]) rest[i] = (rest[i] ?? 0) - layer;
	}
}

/** A histogram's divisiveness: its agreement and whether that makes it divisive; null below DIVISIVE_MIN ratings. */
const Divisiveness = z.object({ agreement: z.number(), count: z.number().int().nonnegative(), divisive: z.boolean() });
export type Divisiveness = Readonly<z.infer<typeof Divisiveness>>;

export function divisiveness(histogram: readonly number[]): Divisiveness | null {
	const count = histogram.reduce((a, b) => a + b, 0);
	const a = agreement(histogram);
	if (count < DIVISIVE_MIN || a === null) return null;
	return { agreement: a, count, divisive: a < 0 };
}

/** What the measures need of a film's site reviews, kept in memory with each film (the store computes it at build). */
export const FilmMeasures = z.object({
	/** The critics' mean score (0-100) and how many scores made it. */
	critics: Side.nullable(),
	/** The audience's mean rating on 0-100 and how many ratings made it. */
	audience: Side.nullable(),
	/** The audience histogram's divisiveness, null below DIVISIVE_MIN ratings. */
	divisiveness: Divisiveness.nullable(),
});
export type FilmMeasures = Readonly<z.infer<typeof FilmMeasures>>;

/** No critic or audience number, no verdict. */
export const NO_MEASURES: FilmMeasures = { critics: null, audience: null, divisiveness: null };

/** A film's measures from its summary's critic mean and audience histogram. */
export function measuresOf(
	critics: { meanScore: number | null; scoredCount: number } | null,
	histogram: readonly number[] | null,
): FilmMeasures {
	const rated = histogram?.reduce((a, b) => a + b, 0) ?? 0;
	const mean = histogram === null || rated === 0 ? null : histogram.reduce((sum, n, i) => sum + n * (i + 1), 0) / rated;
	return {
		critics: critics === null ? null : sideOf(critics.meanScore, critics.scoredCount),
		audience: mean === null ? null : sideOf(onHundred(mean), rated),
		divisiveness: histogram === null ? null : divisiveness(histogram),
	};
}

/** The divisive ones of `items`, most divisive (lowest agreement) first; ties: more ratings first. */
export function mostDivisive<T>(items: readonly T[], of: (item: T) => Divisiveness | null): { item: T; divisiveness: Divisiveness }[] {
	return items
		.flatMap((item) => {
			const d = of(item);
			return d?.divisive === true ? [{ item, divisiveness: d }] : [];
		})
		.sort((a, b) => a.divisiveness.agreement - b.divisiveness.agreement || b.divisiveness.count - a.divisiveness.count);
}

/** Two sides of one item, compared. */
export interface Compared<T> {
	readonly item: T;
	readonly a: Side;
	readonly b: Side;
	readonly gap: Gap;
}

/** The items whose two sides at least part ways, widest gap first; ties: more scores on both sides first. */
export function widestGaps<T>(items: readonly T[], of: (item: T) => readonly [Side | null, Side | null]): Compared<T>[] {
	return items
		.flatMap((item) => {
			const [a, b] = of(item);
			if (a === null || b === null) return [];
			const gap = gapOf(a.mean, b.mean);
			return gap.level === 'agree' ? [] : [{ item, a, b, gap }];
		})
		.sort((x, y) => y.gap.points - x.gap.points || Math.min(y.a.count, y.b.count) - Math.min(x.a.count, x.b.count));
}
