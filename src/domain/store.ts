/** The review store as the bot queries it: films and critics in memory, reviews and summaries from the compiled file. */

import Sqlite, { type Database, type Statement } from 'better-sqlite3';
import { z } from 'zod';
import {
	CRITIC_COLUMNS,
	CriticReviewRow,
	errorsOf,
	parseJson,
	readMeta,
	readRow,
	type ReviewKind,
	type ReviewSort,
	SCHEMA_VERSION,
	USER_COLUMNS,
	UserReviewRow,
	writeStore,
} from './db.js';
import { Film, type CriticReview, type LoadError, type StoreData, type UserReview } from './schema.js';
import { type Compared, type Divisiveness, FilmMeasures, mostDivisive, NO_MEASURES, widestGaps } from './measures.js';
import { type Hit, SearchIndex } from './search.js';
import { FilmSummary } from './summary.js';
import { nameKey, titleKey } from './text.js';

export type { ReviewKind, ReviewSort } from './db.js';
export type AnyReview = ({ kind: 'critic' } & CriticReview) | ({ kind: 'user' } & UserReview);

/** A film and how many reviews of each kind it has: what the store keeps in memory per film. */
export interface FilmInfo {
	readonly film: Film;
	readonly criticCount: number;
	readonly userCount: number;
	/** What the gap and divisiveness need (src/domain/measures.ts). */
	readonly measures: FilmMeasures;
}

/** One credit (a critic, or a staff/uncredited credit) and how many reviews it has across films. */
export interface CriticEntry {
	readonly credit: string;
	/** False for "Staff [Not Credited]" and score-only entries: no person to name. */
	readonly person: boolean;
	readonly count: number;
}

/** The films ranked by the measures: the divisive ones of the audience, and where critics and audience part. */
interface FilmRankings {
	readonly divisive: readonly { item: FilmInfo; divisiveness: Divisiveness }[];
	readonly gaps: readonly Compared<FilmInfo>[];
}

type FilmLookup =
	{ readonly found: true; readonly record: FilmInfo } | { readonly found: false; readonly suggestions: readonly FilmInfo[] };

type CriticLookup =
	{ readonly found: true; readonly critic: CriticEntry } | { readonly found: false; readonly suggestions: readonly CriticEntry[] };

/** The reviews `/quote random` draws from: every review, of one kind, of one film, or both. */
interface QuotePool {
	readonly kind?: ReviewKind | undefined;
	readonly filmId?: string | undefined;
}

const YEAR_SUFFIX = /^(.*?)[\s,]*\(?((?:18|19|20)\d\d)\)?\s*$/;

const RANK_COLUMN: Record<ReviewSort, string> = { helpful: 'r_helpful', newest: 'r_newest', rating: 'r_rating' };

/** The queries a store runs per request. Their rows are read with `readRow` and the row schemas below. */
interface Statements {
	readonly page: Record<ReviewKind, Record<ReviewSort, Statement<[string, number, number]>>>;
	readonly summary: Statement<[string]>;
	readonly byCredit: Statement<[string]>;
	readonly byOrd: Record<ReviewKind, Statement<[string, number]>>;
	readonly idOrd: Record<ReviewKind, Statement<[string]>>;
	readonly filmAt: Record<'all' | ReviewKind, Statement<[number]>>;
	readonly filmStart: Record<'all' | ReviewKind, Statement<[string]>>;
}

const FilmRow = z.object({ film: z.string(), critic_count: z.number(), user_count: z.number(), measures: z.string() });
const CriticRow = z.object({ key: z.string(), credit: z.string(), person: z.number(), count: z.number() });
const SummaryRow = z.object({ summary: z.string() });
const IdOrdRow = z.object({ film_id: z.string(), ord: z.number() });
const FilmAtRow = z.object({ id: z.string(), start: z.number() });
const StartRow = z.object({ start: z.number() });

/**
 * The review store: a compiled SQLite file (`src/domain/build.ts`, `npm run data:build`) queried per
 * request, so memory and start time do not grow with the reviews. In memory are only the films (title,
 * aliases, counts) and the critics' names, for lookups, autocomplete and "did you mean"; a page of
 * reviews, a summary or a critic's reviews is one indexed query.
 */
export class ReviewStore {
	readonly version: string;
	readonly films: readonly FilmInfo[];
	readonly #db: Database;
	readonly #films = new Map<string, FilmInfo>();
	readonly #filmSearch: SearchIndex<FilmInfo>;
	readonly #critics = new Map<string, CriticEntry>();
	readonly #criticSearch: SearchIndex<CriticEntry>;
	readonly #sql: Statements;
	/** How many reviews of each kind the store holds. */
	readonly #totals = { all: 0, user: 0, critic: 0 };
	#rankings: FilmRankings | undefined;

	/** Opens the compiled store `db` (which it then owns); throws if it is not one of this schema. */
	constructor(db: Database) {
		const meta = readMeta(db);
		if (meta === undefined || meta.schema !== SCHEMA_VERSION) throw new Error(`not a review store of schema ${SCHEMA_VERSION}`);
		this.#db = db;
		this.version = meta.version;
		const films = db
			.prepare('SELECT film, critic_count, user_count, measures FROM films ORDER BY ord')
			.all()
			.map((row) => readRow(FilmRow, row, 'films'));
		// The file is ours, but it is read from disk: each film passes the manifest's schema again.
		this.films = films.map((f) => {
			const measures = FilmMeasures.safeParse(parseJson(f.measures));
			return {
				film: Film.parse(JSON.parse(f.film)),
				criticCount: f.critic_count,
				userCount: f.user_count,
				measures: measures.success ? measures.data : NO_MEASURES,
			};
		});
		for (const info of this.films) this.#films.set(info.film.id, info);
		const critics = db
			.prepare('SELECT key, credit, person, count FROM critics ORDER BY ord')
			.all()
			.map((row) => readRow(CriticRow, row, 'critics'));
		for (const c of critics) this.#critics.set(c.key, { credit: c.credit, person: c.person === 1, count: c.count });
		this.#filmSearch = new SearchIndex(
			this.films.map((info) => ({
				keys: [info.film.title, ...info.film.aliases].map(titleKey),
				item: info,
				weight: info.criticCount + info.userCount,
			})),
			titleKey,
		);
		this.#criticSearch = new SearchIndex(
			[...this.#critics.entries()].map(([key, entry]) => ({ keys: [key], item: entry, weight: entry.count })),
			nameKey,
		);
		const page = (kind: ReviewKind, sort: ReviewSort): Statement<[string, number, number]> =>
			db.prepare(
				`SELECT ${kind === 'user' ? USER_COLUMNS : CRITIC_COLUMNS} FROM ${kind}_reviews WHERE film_id = ? AND ${RANK_COLUMN[sort]} BETWEEN ? AND ? ORDER BY ${RANK_COLUMN[sort]}`,
			);
		const pages = (kind: ReviewKind): Record<ReviewSort, Statement<[string, number, number]>> => ({
			helpful: page(kind, 'helpful'),
			newest: page(kind, 'newest'),
			rating: page(kind, 'rating'),
		});
		const filmAt = (column: string): Statement<[number]> =>
			db.prepare(`SELECT id, ${column} AS start FROM films WHERE ${column} <= ? ORDER BY ${column} DESC, ord DESC LIMIT 1`);
		const filmStart = (column: string): Statement<[string]> => db.prepare(`SELECT ${column} AS start FROM films WHERE id = ?`);
		this.#sql = {
			page: { user: pages('user'), critic: pages('critic') },
			summary: db.prepare('SELECT summary FROM films WHERE id = ?'),
			byCredit: db.prepare(`SELECT ${CRITIC_COLUMNS} FROM critic_reviews WHERE credit_key = ? ORDER BY film_ord, ord`),
			byOrd: {
				user: db.prepare(`SELECT ${USER_COLUMNS} FROM user_reviews WHERE film_id = ? AND ord = ?`),
				critic: db.prepare(`SELECT ${CRITIC_COLUMNS} FROM critic_reviews WHERE film_id = ? AND ord = ?`),
			},
			idOrd: {
				user: db.prepare('SELECT film_id, ord FROM user_reviews WHERE id = ?'),
				critic: db.prepare('SELECT film_id, ord FROM critic_reviews WHERE id = ?'),
			},
			filmAt: { all: filmAt('q_all'), user: filmAt('q_user'), critic: filmAt('q_critic') },
			filmStart: { all: filmStart('q_all'), user: filmStart('q_user'), critic: filmStart('q_critic') },
		};
		for (const f of this.films) {
			this.#totals.user += f.userCount;
			this.#totals.critic += f.criticCount;
		}
		this.#totals.all = this.#totals.user + this.#totals.critic;
	}

	/** Opens a compiled store file read-only. */
	static open(path: string): ReviewStore {
		const db = new Sqlite(path, { readonly: true, fileMustExist: true });
		try {
			return new ReviewStore(db);
		} catch (error) {
			db.close();
			throw error;
		}
	}

	/** A store of `data` in memory, compiled by the same code as a file (tests, benchmarks). */
	static fromData<T extends ReviewStore>(this: new (db: Database) => T, data: StoreData): T {
		const db = new Sqlite(':memory:');
		writeStore(db, data, { parser: '', fingerprint: '' });
		return new this(db);
	}

	close(): void {
		this.#db.close();
	}

	/** The films ranked by the measures (src/domain/measures.ts), worked out once on first use. */
	rankings(): FilmRankings {
		this.#rankings ??= {
			divisive: mostDivisive(this.films, (f) => f.measures.divisiveness),
			gaps: widestGaps(this.films, (f) => [f.measures.critics, f.measures.audience]),
		};
		return this.#rankings;
	}

	/** The data problems the build found, `{ file, line, reason }`. */
	errors(): LoadError[] {
		return errorsOf(this.#db);
	}

	film(id: string): FilmInfo | undefined {
		return this.#films.get(id);
	}

	/**
	 * The film a title or alias names, ignoring case, accents, punctuation, articles and II/2; a
	 * trailing year ("Pusher (1996)") picks among remakes. Otherwise the closest titles, for "Did you mean".
	 */
	findFilm(query: string): FilmLookup {
		const byId = this.#films.get(query);
		if (byId) return { found: true, record: byId };
		let matches = this.#filmSearch.exact(query);
		const y = YEAR_SUFFIX.exec(query.trim());
		if (y) {
			const year = Number(y[2]);
			const withYear = this.#filmSearch.exact(y[1] ?? '').filter((r) => r.film.year === year);
			if (withYear.length > 0) matches = withYear;
		}
		if (matches.length === 1 && matches[0]) return { found: true, record: matches[0] };
		if (matches.length > 1) return { found: false, suggestions: matches.slice(0, 5) };
		return { found: false, suggestions: this.#filmSearch.closest(query, 3).map((h) => h.item) };
	}

	searchFilms(query: string, limit = 25): Hit<FilmInfo>[] {
		return this.#filmSearch.search(query, limit);
	}

	/** A critic by full name, or by a part that names exactly one ("Murray" → Noel Murray). */
	findCritic(query: string): CriticLookup {
		const exact = this.#critics.get(nameKey(query));
		if (exact) return { found: true, critic: exact };
		const hits = this.#criticSearch.search(query, 5);
		const [first, second] = hits;
		if (first && first.score >= 600 && (!second || second.score < first.score)) return { found: true, critic: first.item };
		if (hits.length > 0) return { found: false, suggestions: hits.map((h) => h.item) };
		return { found: false, suggestions: this.#criticSearch.closest(query, 3).map((h) => h.item) };
	}

	searchCritics(query: string, limit = 25): Hit<CriticEntry>[] {
		return this.#criticSearch.search(query, limit);
	}

	get critics(): IterableIterator<CriticEntry> {
		return this.#critics.values();
	}

	/** Everything one credit wrote, film by film in page order. */
	criticReviews(critic: CriticEntry): CriticReview[] {
		return this.#sql.byCredit.all(nameKey(critic.credit)).map((row) => readRow(CriticReviewRow, row, 'critic_reviews'));
	}

	summary(film: FilmInfo): FilmSummary {
		const row = SummaryRow.safeParse(this.#sql.summary.get(film.film.id));
		// Read from disk: a summary that does not parse (a file changed by hand, a bad write) is no summary.
		const parsed = row.success ? FilmSummary.safeParse(parseJson(row.data.summary)) : undefined;
		return parsed?.success === true ? parsed.data : { critics: null, users: null };
	}

	/**
	 * A film's reviews of one kind, in a stable order: most helpful first (critics in page order), newest
	 * first, or highest rated first; from the `from`-th (0-based), at most `count`. An indexed range read.
	 */
	reviews(film: FilmInfo, kind: ReviewKind, sort: ReviewSort, from = 0, count = Number.MAX_SAFE_INTEGER): AnyReview[] {
		const rows = this.#sql.page[kind][sort].all(film.film.id, from + 1, from + Math.min(count, Number.MAX_SAFE_INTEGER - from));
		return rows.map((row) => this.#review(kind, row));
	}

	/** The `index`-th (0-based) review of a film in an order, or undefined past the end. */
	review(film: FilmInfo, kind: ReviewKind, sort: ReviewSort, index: number): AnyReview | undefined {
		return this.reviews(film, kind, sort, index, 1)[0];
	}

	#review(kind: ReviewKind, row: unknown): AnyReview {
		// Each statement selects its own kind's columns.
		return kind === 'user'
			? { kind, ...readRow(UserReviewRow, row, 'user_reviews') }
			: { kind, ...readRow(CriticReviewRow, row, 'critic_reviews') };
	}

	/** How many reviews `pool` holds: numbered film by film in manifest order, each film's users before its critics. */
	quoteTotal(pool: QuotePool): number {
		if (pool.filmId === undefined) return this.#totals[pool.kind ?? 'all'];
		const film = this.#films.get(pool.filmId);
		return film === undefined ? 0 : this.#inFilm(film, pool.kind);
	}

	/** Where the review `id` stands in `pool` (as `quoteAt` numbers it), or undefined when it is not in it. */
	quoteIndexOf(pool: QuotePool, id: string): number | undefined {
		for (const kind of ['user', 'critic'] as const) {
			if (pool.kind !== undefined && pool.kind !== kind) continue;
			const found = this.#sql.idOrd[kind].get(id);
			if (found === undefined) continue;
			const row = readRow(IdOrdRow, found, `${kind}_reviews`);
			const film = this.#films.get(row.film_id);
			if (film === undefined || (pool.filmId !== undefined && pool.filmId !== row.film_id)) return undefined;
			const within = (kind === 'critic' && pool.kind === undefined ? film.userCount : 0) + row.ord;
			return this.#filmStart(pool, film) + within;
		}
		return undefined;
	}

	/** The `n`-th (0-based) review of `pool`: the film found on an index of where each film's reviews start, then the review by its place. */
	quoteAt(pool: QuotePool, n: number): AnyReview | undefined {
		let film: FilmInfo | undefined;
		let index = n;
		if (pool.filmId === undefined) {
			const found = this.#sql.filmAt[pool.kind ?? 'all'].get(n);
			const row = found === undefined ? undefined : readRow(FilmAtRow, found, 'films');
			film = row === undefined ? undefined : this.#films.get(row.id);
			index -= row?.start ?? 0;
		} else film = this.#films.get(pool.filmId);
		if (film === undefined || index < 0 || index >= this.#inFilm(film, pool.kind)) return undefined;
		const users = pool.kind === 'critic' ? 0 : film.userCount;
		const kind: ReviewKind = index < users ? 'user' : 'critic';
		const row = this.#sql.byOrd[kind].get(film.film.id, kind === 'user' ? index : index - users);
		return row === undefined ? undefined : this.#review(kind, row);
	}

	#inFilm(film: FilmInfo, kind: ReviewKind | undefined): number {
		return (kind === 'critic' ? 0 : film.userCount) + (kind === 'user' ? 0 : film.criticCount);
	}

	/** Where a film's reviews start in `pool`. */
	#filmStart(pool: QuotePool, film: FilmInfo): number {
		if (pool.filmId !== undefined) return 0;
		const found = this.#sql.filmStart[pool.kind ?? 'all'].get(film.film.id);
		return found === undefined ? 0 : readRow(StartRow, found, 'films').start;
	}
}
