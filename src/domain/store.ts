import type { CriticReview, FilmRecord, StoreData, UserReview } from './schema.js';
import { type Hit, SearchIndex } from './search.js';
import { byHelpful, type FilmSummary, summarize } from './summary.js';
import { nameKey, titleKey } from './text.js';

export type ReviewKind = 'critic' | 'user';
export type ReviewSort = 'helpful' | 'newest' | 'rating';
export type AnyReview = ({ kind: 'critic' } & CriticReview) | ({ kind: 'user' } & UserReview);

/** Everything one credit (a critic, or a staff/uncredited credit) wrote, across films. */
export interface CriticEntry {
	readonly credit: string;
	/** False for "Staff [Not Credited]" and score-only entries: no person to name. */
	readonly person: boolean;
	readonly reviews: readonly CriticReview[];
}

export type FilmLookup =
	| { readonly found: true; readonly record: FilmRecord }
	| { readonly found: false; readonly suggestions: readonly FilmRecord[] };

export type CriticLookup =
	| { readonly found: true; readonly critic: CriticEntry }
	| { readonly found: false; readonly suggestions: readonly CriticEntry[] };

const YEAR_SUFFIX = /^(.*?)[\s,]*\(?((?:18|19|20)\d\d)\)?\s*$/;

/**
 * The loaded reviews with their indexes: films by title and alias, critics and users by name,
 * ranked search for autocomplete, and per-film summaries (computed once, on first use).
 */
export class ReviewStore {
	readonly version: string;
	readonly data: StoreData;
	readonly #films = new Map<string, FilmRecord>();
	readonly #filmSearch: SearchIndex<FilmRecord>;
	readonly #critics = new Map<string, CriticEntry>();
	readonly #criticSearch: SearchIndex<CriticEntry>;
	/** Users by name: built on first use (folding tens of thousands of names would slow every start). */
	#users: Map<string, UserReview[]> | undefined;
	readonly #summaries = new Map<string, FilmSummary>();
	readonly #sorted = new Map<string, readonly AnyReview[]>();

	constructor(data: StoreData) {
		this.version = data.version;
		this.data = data;
		const critics = new Map<string, { credit: string; person: boolean; reviews: CriticReview[] }>();
		// Names repeat across reviews (a critic's credit on every review): fold each distinct one once.
		const keys = new Map<string, string>();
		const keyOf = (name: string): string => {
			let key = keys.get(name);
			if (key === undefined) keys.set(name, (key = nameKey(name)));
			return key;
		};
		for (const record of data.films) {
			this.#films.set(record.film.id, record);
			for (const review of record.criticReviews) {
				const key = keyOf(review.credit);
				let entry = critics.get(key);
				if (!entry) critics.set(key, (entry = { credit: review.credit, person: review.critic !== null, reviews: [] }));
				entry.reviews.push(review);
			}
		}
		for (const [key, entry] of critics) this.#critics.set(key, entry);
		this.#filmSearch = new SearchIndex(
			data.films.map((record) => ({
				keys: [record.film.title, ...record.film.aliases].map(titleKey),
				item: record,
				weight: record.criticReviews.length + record.userReviews.length,
			})),
			titleKey,
		);
		this.#criticSearch = new SearchIndex(
			[...this.#critics.entries()].map(([key, entry]) => ({ keys: [key], item: entry, weight: entry.reviews.length })),
			nameKey,
		);
	}

	get films(): readonly FilmRecord[] {
		return this.data.films;
	}

	film(id: string): FilmRecord | undefined {
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

	searchFilms(query: string, limit = 25): Hit<FilmRecord>[] {
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

	/** A user's reviews across films, by the name shown on the site. */
	userReviews(author: string): readonly UserReview[] {
		if (this.#users === undefined) {
			const users = new Map<string, UserReview[]>();
			for (const record of this.data.films) {
				for (const review of record.userReviews) {
					const key = nameKey(review.author);
					const list = users.get(key);
					if (list) list.push(review);
					else users.set(key, [review]);
				}
			}
			this.#users = users;
		}
		return this.#users.get(nameKey(author)) ?? [];
	}

	summary(record: FilmRecord): FilmSummary {
		let summary = this.#summaries.get(record.film.id);
		if (!summary) this.#summaries.set(record.film.id, (summary = summarize(record)));
		return summary;
	}

	/**
	 * A film's reviews of one kind, in a stable order: most helpful first (critics in page order),
	 * newest first, or highest rated first. Computed once per film, kind and order.
	 */
	reviews(record: FilmRecord, kind: ReviewKind, sort: ReviewSort): readonly AnyReview[] {
		const key = `${record.film.id}\0${kind}\0${sort}`;
		const cached = this.#sorted.get(key);
		if (cached) return cached;
		let list: AnyReview[];
		if (kind === 'critic') {
			const critics = record.criticReviews.map((r) => ({ kind: 'critic' as const, ...r }));
			list =
				sort === 'newest'
					? critics.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.position - b.position)
					: sort === 'rating'
						? critics.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.position - b.position)
						: critics;
		} else {
			const users = [...record.userReviews];
			users.sort(sort === 'newest' ? (a, b) => b.date.localeCompare(a.date) : sort === 'rating' ? (a, b) => (b.rating ?? 0) - (a.rating ?? 0) || byHelpful(a, b) : byHelpful);
			list = users.map((r) => ({ kind: 'user' as const, ...r }));
		}
		this.#sorted.set(key, list);
		return list;
	}
}
