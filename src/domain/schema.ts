import { z } from 'zod';

/**
 * The review store's data model. Each schema and the type it validates share a name
 * (`Film` the schema, `Film` the type), so a record is a `Film` exactly when `Film.parse` accepts it.
 * The parsed store's JSON export (`npm run data:export`) is `StoreData`.
 */

/** A calendar date as `YYYY-MM-DD`. */
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a YYYY-MM-DD date');

/** Where a record came from: a data file and its 1-based line. */
const SourceRef = z.object({
	file: z.string().min(1),
	line: z.number().int().positive(),
});

export const Layout = z.enum(['metacritic', 'imdb']);
export type Layout = z.infer<typeof Layout>;

export const FilmSource = z.object({
	file: z
		.string()
		.min(1)
		.refine((f) => !f.includes('/') && !f.includes('\\') && f !== '..' && f !== '.', 'must be a file name inside the data directory'),
	layout: Layout,
});
export type FilmSource = z.infer<typeof FilmSource>;

/** One film as the manifest (`data/films.json`) names it. */
export const Film = z.object({
	// At most 50 characters: the id travels in button custom_ids, which Discord caps at 100.
	id: z
		.string()
		.max(50)
		.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug like "pusher-ii-2004"'),
	title: z.string().trim().min(1).max(200),
	year: z.number().int().min(1870).max(2100).nullable(),
	aliases: z.array(z.string().trim().min(1).max(200)).default([]),
	sources: z.array(FilmSource).min(1),
});
export type Film = z.infer<typeof Film>;

export const Manifest = z.object({ films: z.array(z.unknown()) });
export type Manifest = z.infer<typeof Manifest>;

/** Metacritic's three bands for a 0-100 critic score. */
export const Band = z.enum(['positive', 'mixed', 'negative']);
export type Band = z.infer<typeof Band>;

export const CriticReview = z.object({
	id: z.string().min(1),
	filmId: z.string().min(1),
	source: SourceRef,
	/** The entry's number on its page. */
	position: z.number().int().positive(),
	/** The person who wrote it, or null for an unattributed entry. */
	critic: z.string().min(1).nullable(),
	/** What the review is credited to: the critic's name, a staff credit, or "Uncredited". Never blank. */
	credit: z.string().min(1),
	score: z.number().int().min(0).max(100).nullable(),
	band: Band.nullable(),
	date: IsoDate.nullable(),
	excerpt: z.string().min(1),
});
export type CriticReview = z.infer<typeof CriticReview>;

/** The critic page's header: "Generally favorable reviews - based on 11 Critics" and the distribution. */
export const CriticConsensus = z.object({
	verdict: z.string().min(1),
	critics: z.number().int().nonnegative(),
	positive: z.number().int().nonnegative(),
	mixed: z.number().int().nonnegative(),
	negative: z.number().int().nonnegative(),
});
export type CriticConsensus = z.infer<typeof CriticConsensus>;

const Helpful = z
	.object({ up: z.number().int().nonnegative(), total: z.number().int().nonnegative() })
	.refine((h) => h.up <= h.total, 'more helpful votes than votes');

export const UserReview = z.object({
	id: z.string().min(1),
	filmId: z.string().min(1),
	source: SourceRef,
	rating: z.number().int().min(1).max(10).nullable(),
	title: z.string().min(1),
	author: z.string().min(1),
	date: IsoDate,
	spoiler: z.boolean(),
	/** Paragraphs separated by a blank line ("\n\n"). */
	body: z.string().min(1),
	helpful: Helpful,
});
export type UserReview = z.infer<typeof UserReview>;

/** The user page's header: the site's own count of reviews (more than the page holds). */
export const UserPageInfo = z.object({
	title: z.string().min(1).nullable(),
	year: z.number().int().nullable(),
	siteReviewCount: z.number().int().nonnegative().nullable(),
});
export type UserPageInfo = z.infer<typeof UserPageInfo>;

export const LoadError = z.object({
	file: z.string(),
	line: z.number().int().nonnegative(),
	reason: z.string(),
});
export type LoadError = z.infer<typeof LoadError>;

export const FilmRecord = z.object({
	film: Film,
	consensus: CriticConsensus.nullable(),
	criticReviews: z.array(CriticReview),
	userPage: UserPageInfo.nullable(),
	userReviews: z.array(UserReview),
});
export type FilmRecord = z.infer<typeof FilmRecord>;

/** The whole parsed store, as `npm run data:export` prints it and `npm run data:build` compiles it. */
export const StoreData = z.object({
	version: z.string().min(1),
	films: z.array(FilmRecord),
	errors: z.array(LoadError),
});
export type StoreData = z.infer<typeof StoreData>;
