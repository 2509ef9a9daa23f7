/** What a film's reviews add up to (critic spread and mean, audience mean and histogram, most helpful), stored with each film. */

import { z } from 'zod';
import { Band, type CriticConsensus, type CriticReview, type FilmRecord, UserReview } from './schema.js';
import { bandOf, verdictBand } from './bands.js';

/** What a film's reviews add up to. Pure data; rendering is the commands' business. */
const CriticSummary = z.object({
	/** "Generally favorable reviews", or null when the page printed no verdict. */
	verdict: z.string().nullable(),
	/** The band the verdict (or the counts) lean to; drives the embed colour. */
	band: Band.nullable(),
	critics: z.number().int().nonnegative(),
	positive: z.number().int().nonnegative(),
	mixed: z.number().int().nonnegative(),
	negative: z.number().int().nonnegative(),
	meanScore: z.number().nullable(),
	scoredCount: z.number().int().nonnegative(),
});
type CriticSummary = z.infer<typeof CriticSummary>;

const UserSummary = z.object({
	count: z.number().int().nonnegative(),
	ratedCount: z.number().int().nonnegative(),
	mean: z.number().nullable(),
	/** Ratings 1..10 at indexes 0..9. */
	histogram: z.array(z.number().int().nonnegative()).length(10),
	/** The site's own count of reviews, more than the page holds. */
	siteReviewCount: z.number().int().nonnegative().nullable(),
	mostHelpful: z.array(UserReview),
});
type UserSummary = z.infer<typeof UserSummary>;

/** Stored with each film in the review store file and read back through this schema. */
export const FilmSummary = z.object({ critics: CriticSummary.nullable(), users: UserSummary.nullable() });
export type FilmSummary = z.infer<typeof FilmSummary>;

/**
 * The lower bound of the Wilson score interval (95%) for `up` of `total` votes: how helpful a review
 * is at least, given how many voted. 5 of 5 scores about 0.57, 54 of 62 about 0.77.
 */
export function wilsonLowerBound(up: number, total: number, z = 1.959964): number {
	if (total <= 0) return 0;
	const p = up / total;
	const z2 = z * z;
	// Clamped: for 0 of N the formula lands a rounding error below zero.
	return Math.max(0, (p + z2 / (2 * total) - z * Math.sqrt((p * (1 - p) + z2 / (4 * total)) / total)) / (1 + z2 / total));
}

export const byHelpful = (a: UserReview, b: UserReview): number =>
	wilsonLowerBound(b.helpful.up, b.helpful.total) - wilsonLowerBound(a.helpful.up, a.helpful.total) || b.helpful.up - a.helpful.up;

/** The mean 0-100 score of the critic reviews that carry one (null when none does), and how many do. */
export function criticMean(reviews: readonly CriticReview[]): { readonly mean: number | null; readonly scored: number } {
	let sum = 0;
	let scored = 0;
	for (const r of reviews) {
		if (r.score === null) continue;
		sum += r.score;
		scored++;
	}
	return { mean: scored === 0 ? null : sum / scored, scored };
}

function summarizeCritics(consensus: CriticConsensus | null, reviews: readonly CriticReview[]): CriticSummary | null {
	if (consensus === null && reviews.length === 0) return null;
	const { mean: meanScore, scored: scoredCount } = criticMean(reviews);
	if (consensus !== null) {
		const band = verdictBand(consensus.verdict) ?? majority(consensus);
		return { ...consensus, band, meanScore, scoredCount };
	}
	// No header: count the bands of the scores the entries carry.
	const counts = { positive: 0, mixed: 0, negative: 0 };
	for (const r of reviews) if (r.score !== null) counts[bandOf(r.score)]++;
	return { verdict: null, band: scoredCount === 0 ? null : majority(counts), critics: reviews.length, ...counts, meanScore, scoredCount };
}

function majority(c: { positive: number; mixed: number; negative: number }): Band | null {
	const max = Math.max(c.positive, c.mixed, c.negative);
	if (max === 0) return null;
	return c.positive === max ? 'positive' : c.mixed === max ? 'mixed' : 'negative';
}

function summarizeUsers(record: FilmRecord, top = 3): UserSummary | null {
	const reviews = record.userReviews;
	if (reviews.length === 0) return null;
	const histogram = Array.from({ length: 10 }, () => 0);
	let sum = 0;
	let rated = 0;
	for (const r of reviews) {
		if (r.rating === null) continue;
		histogram[r.rating - 1] = (histogram[r.rating - 1] ?? 0) + 1;
		sum += r.rating;
		rated++;
	}
	return {
		count: reviews.length,
		ratedCount: rated,
		mean: rated === 0 ? null : sum / rated,
		histogram,
		siteReviewCount: record.userPage?.siteReviewCount ?? null,
		mostHelpful: [...reviews].sort(byHelpful).slice(0, top),
	};
}

export function summarize(record: FilmRecord): FilmSummary {
	return { critics: summarizeCritics(record.consensus, record.criticReviews), users: summarizeUsers(record) };
}
