/**
 * The member store: members' ratings (1-10) and written reviews of films, per guild, in the member database.
 *
 * Every method answers a typed result and never throws: `invalid` for input outside the limits (checked
 * before any query), `unavailable` when the database cannot answer. A database that is down at start leaves
 * the store unavailable while it retries in the background; it becomes available without a restart. One
 * warning is logged per failure streak, and one line when it ends.
 */
import { type Kysely, sql } from 'kysely';
import type { DatabaseTarget } from '../config.js';
import type { Logger } from '../log.js';
import { connect, type DatabaseKind, type MemberDb, migrate, writeTransaction } from './connect.js';
import { BODY_MAX, type Database, SCORE_MAX, SCORE_MIN, TITLE_MAX } from './schema.js';

export type Result<T> = { ok: true; value: T } | { ok: false; reason: 'unavailable' | 'invalid' };

export interface ReviewInput {
	/** At most 100 characters after trimming; may be empty. */
	readonly title: string;
	/** 1 to 4,000 characters after trimming. */
	readonly body: string;
	readonly spoiler: boolean;
}

export interface MemberReview {
	readonly userId: string;
	readonly filmId: string;
	readonly title: string;
	readonly body: string;
	readonly spoiler: boolean;
	/** The author's rating of the film, or null when they wrote without rating. */
	readonly score: number | null;
	/** Milliseconds since the epoch. */
	readonly createdAt: number;
	readonly updatedAt: number;
}

export interface MemberRating {
	readonly filmId: string;
	readonly score: number;
	readonly createdAt: number;
	readonly updatedAt: number;
}

export interface FilmSummary {
	/** How many members rated the film. */
	readonly count: number;
	/** The mean score, or null when nobody rated it. */
	readonly mean: number | null;
	/** Ten counts: `histogram[0]` members gave 1, ..., `histogram[9]` gave 10. */
	readonly histogram: readonly number[];
}

/** A film the guild's members rated, with their summary of it (its mean is a number: someone rated it). */
export interface RatedFilm extends FilmSummary {
	readonly filmId: string;
	readonly mean: number;
}

/** `newest`: by when the review was first written. `highest`: by the author's score (unrated last), then newest. */
export type ReviewOrder = 'newest' | 'highest';

export interface ReviewPageQuery {
	readonly order: ReviewOrder;
	/** 1 to 25. */
	readonly limit: number;
	/** The `next` of the previous page, for the page after it. */
	readonly after?: string;
}

export interface ReviewPage {
	readonly reviews: readonly MemberReview[];
	/** Member reviews of the film in the guild, all pages. */
	readonly total: number;
	/** Cursor of the next page (short: fits a custom_id), or null on the last page. */
	readonly next: string | null;
}

export interface TopFilm {
	readonly filmId: string;
	readonly count: number;
	readonly mean: number;
	/** The Bayesian average the list is ordered by: (sum + m·C) / (count + m). */
	readonly score: number;
}

export interface TopList {
	/** The prior: `weight` (m) imagined ratings of the guild's mean score (C); C is null when the guild has no ratings. */
	readonly prior: { readonly weight: number; readonly mean: number | null };
	readonly films: readonly TopFilm[];
}

export interface MemberActivity {
	/** Newest first. */
	readonly ratings: readonly MemberRating[];
	/** Newest first. */
	readonly reviews: readonly MemberReview[];
}

export interface MemberStore {
	readonly kind: DatabaseKind;
	/**
	 * Sets the member's score of the film; the previous score, or null when they had not rated it. Two first
	 * ratings racing on PostgreSQL both answer null (neither saw a row); the later one's score is kept.
	 */
	rate(guildId: string, userId: string, filmId: string, score: number): Promise<Result<number | null>>;
	/** Removes the member's score (their review stays); the removed score, or null when there was none. */
	unrate(guildId: string, userId: string, filmId: string): Promise<Result<number | null>>;
	/** Writes or replaces the member's review of the film (an edit keeps its first-written time). */
	writeReview(guildId: string, userId: string, filmId: string, review: ReviewInput): Promise<Result<'created' | 'updated'>>;
	getReview(guildId: string, userId: string, filmId: string): Promise<Result<MemberReview | null>>;
	/** Whether there was a review to remove. */
	removeReview(guildId: string, userId: string, filmId: string): Promise<Result<boolean>>;
	filmSummary(guildId: string, filmId: string): Promise<Result<FilmSummary>>;
	/** Every film the guild's members rated, each with its count, mean and histogram, by film id: one query, however many films. */
	ratedFilms(guildId: string): Promise<Result<readonly RatedFilm[]>>;
	/** A page of the film's member reviews in the guild, keyset-paged (stable while members write). */
	memberReviews(guildId: string, filmId: string, query: ReviewPageQuery): Promise<Result<ReviewPage>>;
	/** The guild's best-rated films with at least `minRatings` ratings, `limit` (1-100) of them, by Bayesian average. */
	top(guildId: string, minRatings: number, limit: number): Promise<Result<TopList>>;
	/** A member's ratings and reviews in the guild. */
	member(guildId: string, userId: string): Promise<Result<MemberActivity>>;
	/** Deletes every rating and review of the user, in every guild; how many of each went. */
	forgetMe(userId: string): Promise<Result<{ ratings: number; reviews: number }>>;
	/** A review picked at random among the guild's member reviews (spoilers included: the caller hides them), or null. */
	randomReview(guildId: string): Promise<Result<MemberReview | null>>;
	/** Whether the database answered its last query (false while it is down, or before it first opened). */
	available(): boolean;
	/** Resolves once the first attempt to open the database has finished: whether it is available. */
	ready(): Promise<boolean>;
	/** Idempotent. Later calls answer unavailable. */
	close(): Promise<void>;
}

export interface MemberStoreOptions {
	readonly logger: Logger;
	/** While the database is down at start, how often to try again. Default 5000 ms. */
	readonly retryMs?: number;
	/** The clock of created_at / updated_at. Default `Date.now`. */
	readonly now?: () => number;
}

/**
 * The prior of `top`: m = 3 imagined ratings at the guild's mean C. A film rated once 10/10 in a guild whose
 * mean is 6 scores (10 + 3·6) / 4 = 7, below a film rated 8 by ten members ((80 + 18) / 13 ≈ 7.54): a film
 * climbs by many good ratings, not one.
 */
export const TOP_PRIOR_WEIGHT = 3;
export const PAGE_MAX = 25;
export const TOP_MAX = 100;

const SNOWFLAKE = /^\d{17,20}$/;
/** The review store's film ids: a lowercase slug of at most 50 characters. */
const FILM_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const NEWEST_CURSOR = /^(\d{1,15})\.(\d{17,20})$/;
const HIGHEST_CURSOR = /^(\d{1,2})\.(\d{1,15})\.(\d{17,20})$/;

const INVALID = { ok: false, reason: 'invalid' } as const;
const UNAVAILABLE = { ok: false, reason: 'unavailable' } as const;

/** The primary key of a rating or a review, as a where clause: `.where((eb) => eb.and(keyOf(...)))`. */
const keyOf = (guildId: string, userId: string, filmId: string) => ({ guild_id: guildId, user_id: userId, film_id: filmId });
const isId = (id: string): boolean => SNOWFLAKE.test(id);
const isFilm = (id: string): boolean => id.length <= 50 && FILM_ID.test(id);
const isCount = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;
/** Length in characters (code points), as SQLite's length() and PostgreSQL's count them. */
const chars = (text: string): number => [...text].length;

/** A review's text trimmed, or undefined when it breaks a limit (PostgreSQL cannot store a NUL character). */
function cleanReview(review: ReviewInput): ReviewInput | undefined {
	if (typeof review.title !== 'string' || typeof review.body !== 'string' || typeof review.spoiler !== 'boolean') return undefined;
	const title = review.title.trim();
	const body = review.body.trim();
	if (chars(title) > TITLE_MAX || body === '' || chars(body) > BODY_MAX) return undefined;
	if (title.includes('\0') || body.includes('\0')) return undefined;
	return { title, body, spoiler: review.spoiler };
}

type ReviewRow = Omit<Database['member_reviews'], 'guild_id'> & { score: number | null };

function toReview(row: ReviewRow): MemberReview {
	return {
		userId: row.user_id,
		filmId: row.film_id,
		title: row.title,
		body: row.body,
		spoiler: row.spoiler === 1,
		score: row.score,
		createdAt: Number(row.created_at),
		updatedAt: Number(row.updated_at),
	};
}

/** Member reviews with their author's score, of one guild. */
function reviewsOf(db: Kysely<Database>, guildId: string) {
	return db
		.selectFrom('member_reviews as v')
		.leftJoin('ratings as r', (join) =>
			join.onRef('r.guild_id', '=', 'v.guild_id').onRef('r.user_id', '=', 'v.user_id').onRef('r.film_id', '=', 'v.film_id'),
		)
		.select(['v.user_id', 'v.film_id', 'v.title', 'v.body', 'v.spoiler', 'v.created_at', 'v.updated_at', 'r.score'])
		.where('v.guild_id', '=', guildId);
}

type Cursor = { order: 'newest'; at: number; user: string } | { order: 'highest'; score: number; at: number; user: string };

function parseCursor(order: ReviewOrder, text: string): Cursor | undefined {
	if (order === 'newest') {
		const m = NEWEST_CURSOR.exec(text);
		return m?.[1] === undefined || m[2] === undefined ? undefined : { order, at: Number(m[1]), user: m[2] };
	}
	const m = HIGHEST_CURSOR.exec(text);
	if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined) return undefined;
	return { order, score: Number(m[1]), at: Number(m[2]), user: m[3] };
}

function cursorOf(order: ReviewOrder, review: MemberReview): string {
	const tail = `${review.createdAt}.${review.userId}`;
	return order === 'newest' ? tail : `${review.score ?? 0}.${tail}`;
}

/** A histogram (ten counts: `histogram[0]` gave 1) with its count and sum, from rows of a score and how many gave it (PostgreSQL's count comes as a string). */
function tally(rows: readonly { score: number; n: number }[]): { count: number; sum: number; histogram: number[] } {
	const histogram = Array.from({ length: SCORE_MAX }, () => 0);
	let count = 0;
	let sum = 0;
	for (const row of rows) {
		const n = Number(row.n);
		histogram[row.score - SCORE_MIN] = n;
		count += n;
		sum += n * row.score;
	}
	return { count, sum, histogram };
}

/** What a failed query says in the log: its message and code, never a connection string. */
function describe(error: unknown): { reason: string; code?: string } {
	const reason = error instanceof Error ? error.message : String(error);
	const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
	return code === undefined ? { reason } : { reason, code };
}

/** Opens the store at once; the database opens (and migrates) in the background: see `ready()`. */
export function openMemberStore(target: DatabaseTarget, options: MemberStoreOptions): MemberStore {
	const { logger } = options;
	const retryMs = options.retryMs ?? 5000;
	const now = options.now ?? Date.now;
	let member: MemberDb | undefined;
	let failing = false;
	let closed = false;
	let retry: NodeJS.Timeout | undefined;

	const failed = (error: unknown, what: string): void => {
		if (failing) return;
		failing = true;
		logger.warn(
			{ ...describe(error), database: target.kind },
			`member data unavailable (${what}): ratings and member reviews cannot be read or saved until the database answers again`,
		);
	};
	const recovered = (): void => {
		if (!failing) return;
		failing = false;
		logger.info({ database: target.kind }, 'member data available again');
	};

	/** One attempt to connect and migrate; on failure, the next one is scheduled. */
	const open = async (): Promise<boolean> => {
		let attempt: MemberDb | undefined;
		try {
			attempt = connect(target, (error) => failed(error, 'connection lost'));
			await migrate(attempt);
		} catch (error) {
			await attempt?.db.destroy().catch(() => undefined);
			failed(error, 'cannot open the database');
			if (!closed) {
				retry = setTimeout(() => void open(), retryMs);
				retry.unref();
			}
			return false;
		}
		if (closed) {
			await attempt.db.destroy();
			return false;
		}
		member = attempt;
		recovered();
		return true;
	};
	const opening = open();

	/** Runs a query; a failure is `unavailable`, logged once per streak. */
	const run = async <T>(what: string, work: (member: MemberDb) => Promise<T>): Promise<Result<T>> => {
		if (member === undefined) await opening;
		if (member === undefined || closed) return UNAVAILABLE;
		try {
			const value = await work(member);
			recovered();
			return { ok: true, value };
		} catch (error) {
			failed(error, what);
			return UNAVAILABLE;
		}
	};

	return {
		kind: target.kind,

		async rate(guildId, userId, filmId, score) {
			if (!isId(guildId) || !isId(userId) || !isFilm(filmId) || !isCount(score, SCORE_MIN, SCORE_MAX)) return INVALID;
			return run('rate', (m) =>
				writeTransaction(m, async (trx) => {
					const previous = await trx
						.selectFrom('ratings')
						.select('score')
						.where((eb) => eb.and(keyOf(guildId, userId, filmId)))
						.$if(m.kind === 'postgres', (q) => q.forUpdate())
						.executeTakeFirst();
					const at = now();
					await trx
						.insertInto('ratings')
						.values({ ...keyOf(guildId, userId, filmId), score, created_at: at, updated_at: at })
						.onConflict((oc) =>
							oc
								.columns(['guild_id', 'user_id', 'film_id'])
								.doUpdateSet((eb) => ({ score: eb.ref('excluded.score'), updated_at: eb.ref('excluded.updated_at') })),
						)
						.execute();
					return previous?.score ?? null;
				}),
			);
		},

		async unrate(guildId, userId, filmId) {
			if (!isId(guildId) || !isId(userId) || !isFilm(filmId)) return INVALID;
			return run('unrate', async ({ db }) => {
				const removed = await db
					.deleteFrom('ratings')
					.where((eb) => eb.and(keyOf(guildId, userId, filmId)))
					.returning('score')
					.executeTakeFirst();
				return removed?.score ?? null;
			});
		},

		async writeReview(guildId, userId, filmId, review) {
			const clean = cleanReview(review);
			if (!isId(guildId) || !isId(userId) || !isFilm(filmId) || clean === undefined) return INVALID;
			return run('write a review', (m) =>
				writeTransaction(m, async (trx) => {
					const previous = await trx
						.selectFrom('member_reviews')
						.select('created_at')
						.where((eb) => eb.and(keyOf(guildId, userId, filmId)))
						.$if(m.kind === 'postgres', (q) => q.forUpdate())
						.executeTakeFirst();
					const at = now();
					const text = { title: clean.title, body: clean.body, spoiler: clean.spoiler ? 1 : 0, updated_at: at };
					await trx
						.insertInto('member_reviews')
						.values({ ...keyOf(guildId, userId, filmId), ...text, created_at: at })
						.onConflict((oc) => oc.columns(['guild_id', 'user_id', 'film_id']).doUpdateSet(text))
						.execute();
					return previous === undefined ? 'created' : 'updated';
				}),
			);
		},

		async getReview(guildId, userId, filmId) {
			if (!isId(guildId) || !isId(userId) || !isFilm(filmId)) return INVALID;
			return run('read a review', async ({ db }) => {
				const row = await reviewsOf(db, guildId).where('v.user_id', '=', userId).where('v.film_id', '=', filmId).executeTakeFirst();
				return row === undefined ? null : toReview(row);
			});
		},

		async removeReview(guildId, userId, filmId) {
			if (!isId(guildId) || !isId(userId) || !isFilm(filmId)) return INVALID;
			return run('remove a review', async ({ db }) => {
				const result = await db
					.deleteFrom('member_reviews')
					.where((eb) => eb.and(keyOf(guildId, userId, filmId)))
					.executeTakeFirst();
				return result.numDeletedRows > 0n;
			});
		},

		async filmSummary(guildId, filmId) {
			if (!isId(guildId) || !isFilm(filmId)) return INVALID;
			return run('read a film summary', async ({ db }) => {
				const rows = await db
					.selectFrom('ratings')
					.select(['score', (eb) => eb.fn.countAll<number>().as('n')])
					.where('guild_id', '=', guildId)
					.where('film_id', '=', filmId)
					.groupBy('score')
					.execute();
				const { count, sum, histogram } = tally(rows);
				return { count, mean: count === 0 ? null : sum / count, histogram };
			});
		},

		async ratedFilms(guildId) {
			if (!isId(guildId)) return INVALID;
			return run('read the rated films', async ({ db }) => {
				const rows = await db
					.selectFrom('ratings')
					.select(['film_id', 'score', (eb) => eb.fn.countAll<number>().as('n')])
					.where('guild_id', '=', guildId)
					.groupBy(['film_id', 'score'])
					.execute();
				const byFilm = new Map<string, { score: number; n: number }[]>();
				for (const row of rows) {
					const scores = byFilm.get(row.film_id);
					if (scores === undefined) byFilm.set(row.film_id, [row]);
					else scores.push(row);
				}
				// Sorted here, not in SQL: PostgreSQL's collation may order `-` apart from SQLite's byte order.
				return [...byFilm]
					.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
					.map(([filmId, scores]) => {
						const { count, sum, histogram } = tally(scores);
						return { filmId, count, mean: sum / count, histogram };
					});
			});
		},

		async memberReviews(guildId, filmId, { order, limit, after }) {
			if (!isId(guildId) || !isFilm(filmId) || !isCount(limit, 1, PAGE_MAX) || (order !== 'newest' && order !== 'highest')) return INVALID;
			const cursor = after === undefined ? undefined : parseCursor(order, after);
			if (after !== undefined && cursor === undefined) return INVALID;
			return run('read member reviews', async ({ db }) => {
				const score = sql<number>`coalesce(r.score, 0)`;
				let query = reviewsOf(db, guildId).where('v.film_id', '=', filmId);
				if (cursor !== undefined) {
					query = query.where((eb) => {
						const older = eb.or([
							eb('v.created_at', '<', cursor.at),
							eb.and([eb('v.created_at', '=', cursor.at), eb('v.user_id', '<', cursor.user)]),
						]);
						if (cursor.order === 'newest') return older;
						return eb.or([eb(score, '<', cursor.score), eb.and([eb(score, '=', cursor.score), older])]);
					});
				}
				if (order === 'highest') query = query.orderBy(score, 'desc');
				const rows = await query
					.orderBy('v.created_at', 'desc')
					.orderBy('v.user_id', 'desc')
					.limit(limit + 1)
					.execute();
				const total = await db
					.selectFrom('member_reviews')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.where('guild_id', '=', guildId)
					.where('film_id', '=', filmId)
					.executeTakeFirstOrThrow();
				const reviews = rows.slice(0, limit).map(toReview);
				const last = reviews.at(-1);
				return { reviews, total: Number(total.n), next: rows.length > limit && last !== undefined ? cursorOf(order, last) : null };
			});
		},

		async top(guildId, minRatings, limit) {
			if (!isId(guildId) || !isCount(minRatings, 1, Number.MAX_SAFE_INTEGER) || !isCount(limit, 1, TOP_MAX)) return INVALID;
			return run('read the top films', async ({ db }) => {
				const rows = await db
					.selectFrom('ratings')
					.select(['film_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('score').as('total')])
					.where('guild_id', '=', guildId)
					.groupBy('film_id')
					.execute();
				const films = rows.map((row) => ({ filmId: row.film_id, count: Number(row.n), sum: Number(row.total) }));
				const count = films.reduce((n, f) => n + f.count, 0);
				const mean = count === 0 ? null : films.reduce((n, f) => n + f.sum, 0) / count;
				const m = TOP_PRIOR_WEIGHT;
				const ranked = films
					.filter((f) => f.count >= minRatings)
					.map((f) => ({ filmId: f.filmId, count: f.count, mean: f.sum / f.count, score: (f.sum + m * (mean ?? 0)) / (f.count + m) }))
					.sort((a, b) => b.score - a.score || b.count - a.count || (a.filmId < b.filmId ? -1 : a.filmId > b.filmId ? 1 : 0));
				return { prior: { weight: m, mean }, films: ranked.slice(0, limit) };
			});
		},

		async member(guildId, userId) {
			if (!isId(guildId) || !isId(userId)) return INVALID;
			return run('read a member', async ({ db }) => {
				const ratings = await db
					.selectFrom('ratings')
					.select(['film_id', 'score', 'created_at', 'updated_at'])
					.where('guild_id', '=', guildId)
					.where('user_id', '=', userId)
					.orderBy('updated_at', 'desc')
					.orderBy('film_id')
					.execute();
				const reviews = await reviewsOf(db, guildId)
					.where('v.user_id', '=', userId)
					.orderBy('v.created_at', 'desc')
					.orderBy('v.film_id')
					.execute();
				return {
					ratings: ratings.map((r) => ({
						filmId: r.film_id,
						score: r.score,
						createdAt: Number(r.created_at),
						updatedAt: Number(r.updated_at),
					})),
					reviews: reviews.map(toReview),
				};
			});
		},

		async forgetMe(userId) {
			if (!isId(userId)) return INVALID;
			return run('forget a member', (m) =>
				writeTransaction(m, async (trx) => {
					const reviews = await trx.deleteFrom('member_reviews').where('user_id', '=', userId).executeTakeFirst();
					const ratings = await trx.deleteFrom('ratings').where('user_id', '=', userId).executeTakeFirst();
					return { ratings: Number(ratings.numDeletedRows), reviews: Number(reviews.numDeletedRows) };
				}),
			);
		},

		async randomReview(guildId) {
			if (!isId(guildId)) return INVALID;
			return run('read a random review', async ({ db }) => {
				const row = await reviewsOf(db, guildId)
					.orderBy(sql`random()`)
					.limit(1)
					.executeTakeFirst();
				return row === undefined ? null : toReview(row);
			});
		},

		available: () => member !== undefined && !closed && !failing,
		ready: () => opening,

		async close() {
			if (closed) return;
			closed = true;
			clearTimeout(retry);
			const open = member;
			member = undefined;
			await open?.db.destroy();
		},
	};
}
