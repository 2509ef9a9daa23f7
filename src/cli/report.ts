import type { CriticReview, LoadError, UserReview } from '../domain/schema.js';
import { plural } from '../domain/text.js';

/** How the data tools print what they found: page counts and problems. */

/** What a page yields, as the data tools print it: "11 critic reviews (1 scored, 2 uncredited)". */
export function criticCounts(reviews: readonly Pick<CriticReview, 'score' | 'critic'>[]): string {
	const scored = reviews.filter((r) => r.score !== null).length;
	const uncredited = reviews.filter((r) => r.critic === null).length;
	return `${plural(reviews.length, 'critic review')} (${scored} scored, ${uncredited} uncredited)`;
}

/** "25 user reviews (24 rated, 2 spoilers)". */
export function userCounts(reviews: readonly Pick<UserReview, 'rating' | 'spoiler'>[]): string {
	const rated = reviews.filter((r) => r.rating !== null).length;
	const spoilers = reviews.filter((r) => r.spoiler).length;
	return `${plural(reviews.length, 'user review')} (${rated} rated, ${plural(spoilers, 'spoiler')})`;
}

/** A data problem as every data tool prints it: `file:line: reason`. */
export function formatError(e: LoadError): string {
	return `${e.file}:${e.line}: ${e.reason}`;
}
