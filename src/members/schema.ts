/**
 * The member data's tables, as Kysely sees them: one rating and at most one written review per member,
 * film and guild. Times are milliseconds since the epoch; `spoiler` is 0 or 1 (SQLite has no boolean).
 * The migrations in `migrations/` create exactly these columns.
 */

export interface RatingsTable {
	guild_id: string;
	user_id: string;
	film_id: string;
	/** 1 to 10. */
	score: number;
	created_at: number;
	updated_at: number;
}

export interface MemberReviewsTable {
	guild_id: string;
	user_id: string;
	film_id: string;
	/** At most 100 characters (code points); may be empty. */
	title: string;
	/** 1 to 4,000 characters (code points). */
	body: string;
	spoiler: number;
	created_at: number;
	updated_at: number;
}

export interface Database {
	ratings: RatingsTable;
	member_reviews: MemberReviewsTable;
}

/** Limits shared by the store's validation and the tables' CHECK constraints. */
export const SCORE_MIN = 1;
export const SCORE_MAX = 10;
export const TITLE_MAX = 100;
export const BODY_MAX = 4000;
