import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { Band, type CriticReview, type FilmRecord, LoadError, type StoreData, type UserReview } from './schema.js';
import { measuresOf } from './measures.js';
import { byHelpful, summarize } from './summary.js';
import { nameKey } from './text.js';

/**
 * The compiled review store's tables (`npm run data:build` writes them into `REVIEWS_DB`; tests into
 * memory), the one writer both use, and the checked readers of its rows. Every order the bot pages through
 * is precomputed as a rank (1-based) with an index on (film, rank), so review N of any film in any order is
 * one indexed lookup.
 */

/** Bumped with any change to the tables, so a file of another layout is rebuilt, never misread. */
export const SCHEMA_VERSION = '4';

export type ReviewKind = 'critic' | 'user';
export type ReviewSort = 'helpful' | 'newest' | 'rating';
export const SORTS: readonly ReviewSort[] = ['helpful', 'newest', 'rating'];

const TABLES = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- Films in manifest order. q_* number the reviews /quote random draws from, film by film (users, then critics):
-- the film's first review in the pool of all reviews, of user reviews, of critic reviews. measures: JSON of
-- what the gap and divisiveness need (src/domain/measures.ts), read into memory with the film.
CREATE TABLE films (
	ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, film TEXT NOT NULL, consensus TEXT, user_page TEXT,
	critic_count INTEGER NOT NULL, user_count INTEGER NOT NULL, summary TEXT NOT NULL, measures TEXT NOT NULL,
	q_all INTEGER NOT NULL, q_user INTEGER NOT NULL, q_critic INTEGER NOT NULL
);
CREATE TABLE aliases (film_id TEXT NOT NULL, alias TEXT NOT NULL);
CREATE TABLE user_reviews (
	id TEXT NOT NULL, film_id TEXT NOT NULL, film_ord INTEGER NOT NULL, ord INTEGER NOT NULL, file TEXT NOT NULL, page_index INTEGER NOT NULL, line INTEGER NOT NULL,
	rating INTEGER, title TEXT NOT NULL, author TEXT NOT NULL, date TEXT NOT NULL, spoiler INTEGER NOT NULL, body TEXT NOT NULL,
	helpful_up INTEGER NOT NULL, helpful_total INTEGER NOT NULL, r_helpful INTEGER NOT NULL, r_newest INTEGER NOT NULL, r_rating INTEGER NOT NULL
);
-- Critic reviews; r_helpful is the page's own order (critics carry no helpful votes).
CREATE TABLE critic_reviews (
	id TEXT NOT NULL, film_id TEXT NOT NULL, film_ord INTEGER NOT NULL, ord INTEGER NOT NULL, file TEXT NOT NULL, page_index INTEGER NOT NULL, line INTEGER NOT NULL,
	position INTEGER NOT NULL, critic TEXT, credit TEXT NOT NULL, credit_key TEXT NOT NULL, score INTEGER, band TEXT, date TEXT, excerpt TEXT NOT NULL,
	r_helpful INTEGER NOT NULL, r_newest INTEGER NOT NULL, r_rating INTEGER NOT NULL
);
-- One row per credit, in order of first appearance: the credit as first written, whether a person wrote it, how many reviews.
CREATE TABLE critics (ord INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, credit TEXT NOT NULL, person INTEGER NOT NULL, count INTEGER NOT NULL);
CREATE TABLE errors (ord INTEGER PRIMARY KEY, file TEXT NOT NULL, line INTEGER NOT NULL, reason TEXT NOT NULL);
-- What each page of each film gave at the last build, so an unchanged page is not parsed again.
CREATE TABLE pages (
	film_id TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL, layout TEXT NOT NULL, parser TEXT NOT NULL,
	consensus TEXT, user_page TEXT, errors TEXT NOT NULL, reviews INTEGER NOT NULL, PRIMARY KEY (film_id, file)
) WITHOUT ROWID;
`;

/** A review table's indexes: by id, by place in the film, one per served order, by page. */
const reviewIndexes = (kind: ReviewKind): string => `
CREATE UNIQUE INDEX ${kind}_id ON ${kind}_reviews (id);
CREATE INDEX ${kind}_ord ON ${kind}_reviews (film_id, ord);
CREATE INDEX ${kind}_helpful ON ${kind}_reviews (film_id, r_helpful);
CREATE INDEX ${kind}_newest ON ${kind}_reviews (film_id, r_newest);
CREATE INDEX ${kind}_rating ON ${kind}_reviews (film_id, r_rating);
CREATE INDEX ${kind}_page ON ${kind}_reviews (film_id, file, page_index);
`;

/** Created once the rows are in: building an index over sorted rows is faster than updating it at every insert. */
const INDEXES = `
CREATE INDEX films_q_all ON films (q_all, ord);
CREATE INDEX films_q_user ON films (q_user, ord);
CREATE INDEX films_q_critic ON films (q_critic, ord);
${reviewIndexes('user')}${reviewIndexes('critic')}
-- A credit's reviews, film by film (/critic).
CREATE INDEX critic_credit ON critic_reviews (credit_key, film_ord, ord);
`;

/** A page's fingerprint at build time and what it gave besides its reviews (which are in the review tables). */
export const PageRow = z.object({
	filmId: z.string(),
	file: z.string(),
	sha256: z.string(),
	layout: z.string(),
	parser: z.string(),
	/** JSON, as the page's result holds it. */
	consensus: z.string().nullable(),
	userPage: z.string().nullable(),
	errors: z.string(),
	/** How many reviews the page gave (a film naming a page twice has its rows twice, numbered on). */
	reviews: z.number(),
});
export type PageRow = Readonly<z.infer<typeof PageRow>>;

interface Meta {
	readonly version: string;
	readonly parser: string;
	readonly schema: string;
	/** `filesFingerprint` of the data directory as the build found it; '' for a store built from records. */
	readonly fingerprint: string;
}

/**
 * A film's reviews of one kind in one order: most helpful first (critics in page order), newest first, or
 * highest rated first. Stable sorts, so ties keep the page's order.
 */
export function sortReviews(record: FilmRecord, kind: 'critic', sort: ReviewSort): CriticReview[];
export function sortReviews(record: FilmRecord, kind: 'user', sort: ReviewSort): UserReview[];
export function sortReviews(record: FilmRecord, kind: ReviewKind, sort: ReviewSort): (CriticReview | UserReview)[] {
	if (kind === 'critic') {
		const critics = [...record.criticReviews];
		return sort === 'newest'
			? critics.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.position - b.position)
			: sort === 'rating'
				? critics.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.position - b.position)
				: critics;
	}
	const users = [...record.userReviews];
	return users.sort(
		sort === 'newest'
			? (a, b) => b.date.localeCompare(a.date)
			: sort === 'rating'
				? (a, b) => (b.rating ?? 0) - (a.rating ?? 0) || byHelpful(a, b)
				: byHelpful,
	);
}

/** Each review's 1-based place in `sorted`, by id. */
function ranks(sorted: readonly { id: string }[]): Map<string, number> {
	return new Map(sorted.map((r, i) => [r.id, i + 1]));
}

/** Writes `data` into the empty database `db`, in one transaction. */
export function writeStore(db: Database, data: StoreData, meta: Omit<Meta, 'version' | 'schema'>, pages: readonly PageRow[] = []): void {
	db.exec(TABLES);
	const insertMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
	const insertFilm = db.prepare(
		'INSERT INTO films (ord, id, film, consensus, user_page, critic_count, user_count, summary, measures, q_all, q_user, q_critic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
	);
	const insertAlias = db.prepare('INSERT INTO aliases (film_id, alias) VALUES (?, ?)');
	const insertUser = db.prepare(
		`INSERT INTO user_reviews (id, film_id, film_ord, ord, file, page_index, line, rating, title, author, date, spoiler, body, helpful_up, helpful_total, r_helpful, r_newest, r_rating)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	);
	const insertCritic = db.prepare(
		`INSERT INTO critic_reviews (id, film_id, film_ord, ord, file, page_index, line, position, critic, credit, credit_key, score, band, date, excerpt, r_helpful, r_newest, r_rating)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	);
	const insertCriticEntry = db.prepare('INSERT INTO critics (ord, key, credit, person, count) VALUES (?, ?, ?, ?, ?)');
	const insertError = db.prepare('INSERT INTO errors (ord, file, line, reason) VALUES (?, ?, ?, ?)');
	const insertPage = db.prepare(
		'INSERT OR REPLACE INTO pages (film_id, file, sha256, layout, parser, consensus, user_page, errors, reviews) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
	);
	// Names repeat across reviews (a critic's credit on every review): fold each distinct one once.
	const keys = new Map<string, string>();
	const keyOf = (name: string): string => {
		let key = keys.get(name);
		if (key === undefined) keys.set(name, (key = nameKey(name)));
		return key;
	};
	db.transaction(() => {
		for (const [key, value] of Object.entries({ ...meta, version: data.version, schema: SCHEMA_VERSION })) insertMeta.run(key, value);
		const critics = new Map<string, { credit: string; person: boolean; count: number }>();
		const q = { all: 0, user: 0, critic: 0 };
		data.films.forEach((record, filmOrd) => {
			const { film } = record;
			const users = record.userReviews.length;
			const criticCount = record.criticReviews.length;
			const summary = summarize(record);
			insertFilm.run(
				filmOrd,
				film.id,
				JSON.stringify(film),
				json(record.consensus),
				json(record.userPage),
				criticCount,
				users,
				JSON.stringify(summary),
				JSON.stringify(measuresOf(summary.critics, summary.users?.histogram ?? null)),
				q.all,
				q.user,
				q.critic,
			);
			q.all += users + criticCount;
			q.user += users;
			q.critic += criticCount;
			for (const alias of film.aliases) insertAlias.run(film.id, alias);
			// A review's place on its page, so a later build can take a page's reviews back in order.
			const pageIndex = new Map<string, number>();
			const nextIndex = (file: string): number => {
				const n = pageIndex.get(file) ?? 0;
				pageIndex.set(file, n + 1);
				return n;
			};
			const [uh, un, ur] = SORTS.map((sort) => ranks(sortReviews(record, 'user', sort)));
			record.userReviews.forEach((r, ord) => {
				insertUser.run(
					r.id,
					film.id,
					filmOrd,
					ord,
					r.source.file,
					nextIndex(r.source.file),
					r.source.line,
					r.rating,
					r.title,
					r.author,
					r.date,
					r.spoiler ? 1 : 0,
					r.body,
					r.helpful.up,
					r.helpful.total,
					uh?.get(r.id),
					un?.get(r.id),
					ur?.get(r.id),
				);
			});
			const [ch, cn, cr] = SORTS.map((sort) => ranks(sortReviews(record, 'critic', sort)));
			record.criticReviews.forEach((r, ord) => {
				const key = keyOf(r.credit);
				const entry = critics.get(key);
				if (entry) entry.count++;
				else critics.set(key, { credit: r.credit, person: r.critic !== null, count: 1 });
				insertCritic.run(
					r.id,
					film.id,
					filmOrd,
					ord,
					r.source.file,
					nextIndex(r.source.file),
					r.source.line,
					r.position,
					r.critic,
					r.credit,
					key,
					r.score,
					r.band,
					r.date,
					r.excerpt,
					ch?.get(r.id),
					cn?.get(r.id),
					cr?.get(r.id),
				);
			});
		});
		let ord = 0;
		for (const [key, c] of critics) insertCriticEntry.run(ord++, key, c.credit, c.person ? 1 : 0, c.count);
		data.errors.forEach((e, i) => insertError.run(i, e.file, e.line, e.reason));
		for (const p of pages) insertPage.run(p.filmId, p.file, p.sha256, p.layout, p.parser, p.consensus, p.userPage, p.errors, p.reviews);
		db.exec(INDEXES);
	})();
}

function json(value: unknown): string | null {
	return value === null ? null : JSON.stringify(value);
}

/**
 * A row as read from the file, checked: the file is ours, but it is read from disk, so a row of another
 * shape (a file changed by hand, a bad write) is refused with an error naming its table, never cast.
 */
export function readRow<T>(schema: z.ZodType<T>, row: unknown, table: string): T {
	const parsed = schema.safeParse(row);
	if (!parsed.success) throw new Error(`the review store's ${table} table holds a row it cannot read`);
	return parsed.data;
}

/** A JSON column's value, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

const MetaRow = z.object({ key: z.string(), value: z.string() });

/** The meta table of an open store, or undefined when it has none or cannot be read (not a store file). */
export function readMeta(db: Database): Meta | undefined {
	try {
		const rows = db
			.prepare('SELECT key, value FROM meta')
			.all()
			.map((row) => readRow(MetaRow, row, 'meta'));
		const m = new Map(rows.map((r) => [r.key, r.value]));
		const [version, parser, schema, fingerprint] = ['version', 'parser', 'schema', 'fingerprint'].map((k) => m.get(k));
		if (version === undefined || parser === undefined || schema === undefined || fingerprint === undefined) return undefined;
		return { version, parser, schema, fingerprint };
	} catch {
		return undefined;
	}
}

export const USER_COLUMNS = 'id, film_id, file, line, rating, title, author, date, spoiler, body, helpful_up, helpful_total';

/** A row of `user_reviews` as selected by USER_COLUMNS, read into the review it holds. */
export const UserReviewRow = z
	.object({
		id: z.string(),
		film_id: z.string(),
		file: z.string(),
		line: z.number(),
		rating: z.number().nullable(),
		title: z.string(),
		author: z.string(),
		date: z.string(),
		spoiler: z.number(),
		body: z.string(),
		helpful_up: z.number(),
		helpful_total: z.number(),
	})
	.transform((r): UserReview => ({
		id: r.id,
		filmId: r.film_id,
		source: { file: r.file, line: r.line },
		rating: r.rating,
		title: r.title,
		author: r.author,
		date: r.date,
		spoiler: r.spoiler === 1,
		body: r.body,
		helpful: { up: r.helpful_up, total: r.helpful_total },
	}));

export const CRITIC_COLUMNS = 'id, film_id, file, line, position, critic, credit, score, band, date, excerpt';

/** A row of `critic_reviews` as selected by CRITIC_COLUMNS, read into the review it holds. */
export const CriticReviewRow = z
	.object({
		id: z.string(),
		film_id: z.string(),
		file: z.string(),
		line: z.number(),
		position: z.number(),
		critic: z.string().nullable(),
		credit: z.string(),
		score: z.number().nullable(),
		band: Band.nullable(),
		date: z.string().nullable(),
		excerpt: z.string(),
	})
	.transform((r): CriticReview => ({
		id: r.id,
		filmId: r.film_id,
		source: { file: r.file, line: r.line },
		position: r.position,
		critic: r.critic,
		credit: r.credit,
		score: r.score,
		band: r.band,
		date: r.date,
		excerpt: r.excerpt,
	}));

export function errorsOf(db: Database): LoadError[] {
	return db
		.prepare('SELECT file, line, reason FROM errors ORDER BY ord')
		.all()
		.map((row) => readRow(LoadError, row, 'errors'));
}
