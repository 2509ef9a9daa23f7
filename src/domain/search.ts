/**
 * Ranked prefix search for autocomplete and "did you mean" suggestions. Entries are indexed once
 * under every prefix (up to PREFIX_MAX characters) of their keys and of each word in them, so a
 * keystroke looks up a short candidate list instead of scanning every title.
 */

import { BoundedMap } from '../bounded-map.js';

const PREFIX_MAX = 4;
/** Results kept per index, by query and limit: autocomplete asks the same short prefixes again and again. */
const RESULTS_CACHED = 2000;
/** Longer queries get no edit-distance suggestions. */
const TYPO_QUERY_MAX = 40;

interface SearchEntry<T> {
	/** Normalised keys (title and aliases, or a name). The first is the main one. */
	readonly keys: readonly string[];
	readonly item: T;
	/** Ties are broken by weight (higher first), then by the main key. */
	readonly weight: number;
}

export interface Hit<T> {
	readonly item: T;
	readonly score: number;
}

export class SearchIndex<T> {
	readonly #entries: readonly SearchEntry<T>[];
	readonly #byPrefix = new Map<string, number[]>();
	readonly #normalise: (query: string) => string;
	/** Each entry's keys split into words, for scoring without splitting on every keystroke. */
	readonly #words: readonly (readonly string[])[][];
	/** Each entry's place in the tie-break order (weight, then main key); computed on first use. */
	#rank: Int32Array | undefined;
	/** Recent `search` results by normalised query and limit, oldest first (the index never changes). */
	readonly #results = new BoundedMap<string, readonly Hit<T>[]>(RESULTS_CACHED);

	constructor(entries: readonly SearchEntry<T>[], normalise: (query: string) => string) {
		this.#entries = entries;
		this.#normalise = normalise;
		this.#words = entries.map((entry) => entry.keys.map((key) => key.split(' ')));
		entries.forEach((entry, index) => {
			const seen = new Set<string>();
			entry.keys.forEach((key, k) => {
				for (const word of [key, ...(this.#words[index]?.[k] ?? [])]) {
					for (let n = 1; n <= Math.min(PREFIX_MAX, word.length); n++) seen.add(word.slice(0, n));
				}
			});
			for (const prefix of seen) {
				let list = this.#byPrefix.get(prefix);
				if (!list) this.#byPrefix.set(prefix, (list = []));
				list.push(index);
			}
		});
	}

	/** Entries whose key equals the normalised query. */
	exact(query: string): T[] {
		const q = this.#normalise(query);
		if (q === '') return [];
		return this.#candidates(q)
			.filter((i) => this.#entries[i]?.keys.includes(q))
			.flatMap((i) => {
				const entry = this.#entries[i];
				return entry ? [entry.item] : [];
			});
	}

	/**
	 * Best matches for what has been typed so far, best first: exact key, key prefix, all words
	 * prefixed in order, word prefix, substring. An empty query lists the heaviest entries.
	 */
	search(query: string, limit = 25): Hit<T>[] {
		const q = this.#normalise(query);
		const key = `${limit}\0${q}`;
		const cached = this.#results.get(key);
		if (cached) return [...cached];
		const result = this.#search(q, limit);
		this.#results.set(key, result);
		return [...result];
	}

	#search(q: string, limit: number): Hit<T>[] {
		const hits: { index: number; score: number }[] = [];
		if (q === '') {
			this.#entries.forEach((_, index) => hits.push({ index, score: 0 }));
		} else {
			const qWords = q.split(' ');
			for (const index of this.#candidates(q)) {
				const entry = this.#entries[index];
				const words = this.#words[index];
				if (!entry || !words) continue;
				let best = 0;
				entry.keys.forEach((key, k) => {
					best = Math.max(best, scoreWords(key, words[k] ?? [], q, qWords));
				});
				if (best > 0) hits.push({ index, score: best });
			}
		}
		return this.#top(hits, limit);
	}

	/** For a query that matched nothing: the closest keys by edit distance, for "Did you mean ...?". */
	closest(query: string, limit = 3): Hit<T>[] {
		const q = this.#normalise(query);
		if (q === '') return [];
		const prefixed = this.search(query, limit);
		if (prefixed.length >= limit) return prefixed;
		// Typos are a few characters apart: a long query is no typo, and bounding it keeps the
		// distance computation small whatever someone pastes.
		if (q.length > TYPO_QUERY_MAX) return prefixed;
		const hits: { index: number; score: number }[] = [];
		const budget = Math.min(3, Math.max(1, Math.floor(q.length / 3)));
		this.#entries.forEach((entry, index) => {
			let best = Infinity;
			entry.keys.forEach((key, k) => {
				// A whole key as close as one of its words ranks first: "pushr" is nearer "Pusher" than "Pusher II".
				const words = this.#words[index]?.[k] ?? [key];
				for (const word of words.length > 1 ? [key, ...words] : words) {
					const penalty = word === key ? 0 : 0.5;
					if (Math.abs(word.length - q.length) <= budget) best = Math.min(best, editDistance(word, q, budget) + penalty);
				}
			});
			if (best <= budget + 0.5) hits.push({ index, score: 100 - best });
		});
		const seen = new Set(prefixed.map((h) => h.item));
		return [...prefixed, ...this.#top(hits, limit).filter((h) => !seen.has(h.item))].slice(0, limit);
	}

	#candidates(q: string): readonly number[] {
		const words = q.split(' ');
		// The rarest word prefix gives the shortest candidate list; every match contains it.
		let best: readonly number[] | undefined;
		for (const word of words) {
			const list = this.#byPrefix.get(word.slice(0, PREFIX_MAX)) ?? [];
			if (best === undefined || list.length < best.length) best = list;
		}
		if (best && best.length > 0) return best;
		// A query with no word-prefix hit can still be a substring of a key.
		return q.length >= 3 ? this.#entries.map((_, i) => i) : [];
	}

	/**
	 * Ties are broken by weight (higher first), then by the main key (`localeCompare`), then by index
	 * (hits arrive in index order and the sort is stable). That order does not depend on the query, so
	 * it is computed once, as each entry's rank, and a search sorts by score and rank: numbers only.
	 */
	#ranks(): Int32Array {
		if (this.#rank) return this.#rank;
		const entries = this.#entries;
		const collator = new Intl.Collator();
		const order = entries.map((_, i) => i);
		order.sort((a, b) => {
			const ea = entries[a];
			const eb = entries[b];
			if (!ea || !eb) return 0;
			if (eb.weight !== ea.weight) return eb.weight - ea.weight;
			return collator.compare(ea.keys[0] ?? '', eb.keys[0] ?? '');
		});
		const rank = new Int32Array(entries.length);
		order.forEach((index, r) => {
			rank[index] = r;
		});
		this.#rank = rank;
		return rank;
	}

	#top(hits: { index: number; score: number }[], limit: number): Hit<T>[] {
		const entries = this.#entries;
		const rank = this.#ranks();
		hits.sort((a, b) => b.score - a.score || (rank[a.index] ?? 0) - (rank[b.index] ?? 0));
		return hits.slice(0, limit).flatMap(({ index, score }) => {
			const entry = entries[index];
			return entry ? [{ item: entry.item, score }] : [];
		});
	}
}

/** How well `key` (split into `words`) matches the query `q` (split into `qWords`); 0 for no match. */
function scoreWords(key: string, words: readonly string[], q: string, qWords: readonly string[]): number {
	if (key === q) return 1000;
	if (key.startsWith(q)) return 900 - Math.min(99, key.length - q.length);
	// Every typed word starts a word of the key: "murray" in "noel murray", "pus 2" in "pusher 2".
	if (qWords.every((qw) => words.some((kw) => kw.startsWith(qw)))) return qWords.length > 1 ? 700 : 600;
	if (key.includes(q)) return 400;
	return 0;
}

/** Levenshtein distance with an early exit once every cell exceeds `max` (then returns max + 1). */
function editDistance(a: string, b: string, max: number): number {
	if (a === b) return 0;
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const cur = [i];
		let rowMin = i;
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
			cur.push(v);
			rowMin = Math.min(rowMin, v);
		}
		if (rowMin > max) return max + 1;
		prev = cur;
	}
	return prev[b.length] ?? max + 1;
}
