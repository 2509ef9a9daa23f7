import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataDir } from '../src/domain/load.js';
import { ReviewStore } from '../src/domain/store.js';
import { criticMean, wilsonLowerBound } from '../src/domain/summary.js';
import { titleKey } from '../src/domain/text.js';
import { criticReview } from './helpers.js';

let store: ReviewStore;
beforeAll(async () => {
	store = ReviewStore.fromData(await loadDataDir('data'));
});
const film = (q: string) => {
	const r = store.findFilm(q);
	return r.found ? r.record.film.id : null;
};

describe('film lookup', () => {
	it('ignores case, accents, punctuation, articles and II/2, but never mixes Pusher and Pusher II', () => {
		for (const q of [
			'Pusher II',
			'pusher ii',
			'PUSHER 2',
			'Pusher-2',
			'the pusher ii',
			'Pushér II',
			'Pusher II (2004)',
			'pusher ii: with blood on my hands',
			'With Blood On My Hands',
			'pusher-ii-2004',
		])
			expect(film(q), q).toBe('pusher-ii-2004');
		for (const q of ['Pusher', 'pusher', 'The Pusher', 'PUSHER!', 'Pusher (1996)', 'pusher 1996']) expect(film(q), q).toBe('pusher-1996');
		expect(film('Pusher III')).toBeNull();
		expect(film('Pusher (2004)')).toBeNull();
	});

	it('suggests the closest titles for a miss, typos included', () => {
		const miss = store.findFilm('Pushr 2');
		expect(miss.found).toBe(false);
		if (!miss.found) expect(miss.suggestions.map((r) => r.film.id)).toContain('pusher-ii-2004');
		const typo = store.findFilm('Pushr');
		expect(typo.found === false && typo.suggestions.map((r) => r.film.id)).toEqual(['pusher-1996', 'pusher-ii-2004']);
		const none = store.findFilm('zzzzzz qqqq');
		expect(none).toEqual({ found: false, suggestions: [] });
	});

	it('ranks autocomplete: exact, then prefix, then word prefix', () => {
		expect(store.searchFilms('pusher').map((h) => h.item.film.id)).toEqual(['pusher-1996', 'pusher-ii-2004']);
		expect(store.searchFilms('pusher 2').map((h) => h.item.film.id)).toEqual(['pusher-ii-2004']);
		expect(store.searchFilms('blood').map((h) => h.item.film.id)).toEqual(['pusher-ii-2004']);
		expect(store.searchFilms('').length).toBe(2);
	});

	it('titleKey folds roman numerals and articles as documented', () => {
		expect(titleKey('The Godfather: Part II')).toBe('godfather part 2');
		expect(titleKey('Amélie')).toBe('amelie');
		expect(titleKey('Pusher')).not.toBe(titleKey('Pusher II'));
		fc.assert(
			fc.property(fc.string(), (s) => {
				expect(titleKey(titleKey(s))).toBe(titleKey(s));
			}),
		);
	});
});

describe('critic lookup', () => {
	it('finds Noel Murray by full name in any case, and by surname', () => {
		for (const q of ['Noel Murray', 'noel murray', 'Murray', 'murr', 'Noël Murray']) {
			const r = store.findCritic(q);
			expect(r.found && r.critic.credit, q).toBe('Noel Murray');
		}
	});

	it('reaches unattributed entries by their credit', () => {
		const staff = store.findCritic('Staff');
		expect(staff.found && staff.critic).toMatchObject({ credit: 'Staff [Not Credited]', person: false });
		const unc = store.findCritic('uncredited');
		expect(unc.found && store.criticReviews(unc.critic).map((r) => r.score)).toEqual([80]);
	});

	it('offers suggestions for a miss', () => {
		const r = store.findCritic('Noel Muray');
		expect(r.found).toBe(false);
		if (!r.found) expect(r.suggestions[0]?.credit).toBe('Noel Murray');
	});
});

describe('summaries', () => {
	it('Pusher II: 25 user reviews, 24 rated, mean 7.67, the histogram', () => {
		const s = store.summary(store.film('pusher-ii-2004')!);
		expect(s.critics).toBeNull();
		expect(s.users).toMatchObject({ count: 25, ratedCount: 24, siteReviewCount: 44 });
		expect(s.users!.mean).toBeCloseTo(7.6667, 4);
		expect(s.users!.histogram).toEqual([0, 0, 0, 1, 1, 2, 7, 6, 4, 3]);
	});

	it('ranks the most helpful by the Wilson lower bound: 54 of 62 beats 5 of 5', () => {
		const s = store.summary(store.film('pusher-ii-2004')!);
		expect(s.users!.mostHelpful.map((r) => `${r.author} ${r.helpful.up}/${r.helpful.total}`)).toEqual([
			'UlrikSander 54/62',
			'PAolo-10 23/26',
			'nesfilmreviews 14/15',
		]);
		expect(wilsonLowerBound(54, 62)).toBeGreaterThan(wilsonLowerBound(5, 5));
		expect(wilsonLowerBound(0, 0)).toBe(0);
		fc.assert(
			fc.property(fc.nat(1000), fc.nat(1000), (a, b) => {
				const [up, total] = a <= b ? [a, b] : [b, a];
				const w = wilsonLowerBound(up, total);
				expect(w).toBeGreaterThanOrEqual(0);
				expect(w).toBeLessThanOrEqual(total === 0 ? 0 : up / total + 1e-12);
			}),
		);
	});

	it('Pusher: the critic verdict, 9/2/0, the one numeric score as the mean', () => {
		const s = store.summary(store.film('pusher-1996')!);
		expect(s.users).toBeNull();
		expect(s.critics).toEqual({
			verdict: 'Generally favorable reviews',
			band: 'positive',
			critics: 11,
			positive: 9,
			mixed: 2,
			negative: 0,
			meanScore: 80,
			scoredCount: 1,
		});
	});

	it('the critic mean leaves unscored reviews out, and is null when none is scored', () => {
		const scored = (...scores: (number | null)[]) => criticMean(scores.map((score, i) => criticReview('f', i + 1, { score })));
		expect(scored(80, null, 65)).toEqual({ mean: 72.5, scored: 2 });
		expect(scored(null, null)).toEqual({ mean: null, scored: 0 });
		expect(scored()).toEqual({ mean: null, scored: 0 });
	});

	it('sorts a film’s reviews by helpful, newest and rating', () => {
		const p2 = store.film('pusher-ii-2004')!;
		expect(store.reviews(p2, 'user', 'newest')[0]).toMatchObject({ author: 'Uriah43', date: '2024-03-30' });
		expect(store.reviews(p2, 'user', 'rating').at(-1)).toMatchObject({ author: 'Jack_Coen', rating: null });
		expect(store.reviews(p2, 'user', 'helpful')[0]).toMatchObject({ author: 'UlrikSander' });
		const p1 = store.film('pusher-1996')!;
		expect(store.reviews(p1, 'critic', 'rating')[0]).toMatchObject({ score: 80 });
		expect(store.reviews(p1, 'critic', 'helpful').map((r) => r.kind === 'critic' && r.position)).toEqual([
			1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
		]);
	});
});
