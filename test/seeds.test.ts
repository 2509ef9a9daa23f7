import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataDir } from '../src/domain/load.js';
import type { FilmRecord, StoreData } from '../src/domain/schema.js';
import { StoreData as StoreDataSchema } from '../src/domain/schema.js';

let data: StoreData;
let pusher: FilmRecord;
let pusher2: FilmRecord;

beforeAll(async () => {
	data = await loadDataDir('data');
	pusher = data.films.find((f) => f.film.id === 'pusher-1996')!;
	pusher2 = data.films.find((f) => f.film.id === 'pusher-ii-2004')!;
});

describe('the seed pages', () => {
	it('load without a single error, and the result is a valid StoreData', () => {
		expect(data.errors).toEqual([]);
		expect(StoreDataSchema.parse(data)).toEqual(data);
		expect(data.films.map((f) => f.film.id)).toEqual(['pusher-1996', 'pusher-ii-2004']);
	});

	describe('Pusher (1996), Metacritic critic page', () => {
		it('reads the verdict and the score distribution, mixed being the rest', () => {
			expect(pusher.consensus).toEqual({ verdict: 'Generally favorable reviews', critics: 11, positive: 9, mixed: 2, negative: 0 });
		});

		it('reads all 11 entries, with names cleaned of NBSP and stray spaces', () => {
			expect(pusher.criticReviews.map((r) => r.credit)).toEqual([
				'Noel Murray',
				'Uncredited',
				'Staff [Not Credited]',
				'Dennis Lim',
				'Robert Abele',
				'Gunnar Rehlin',
				'V.A. Musetto',
				'Ethan Gilsdorf',
				"Andrew O'Hehir",
				'Wendy Richmond',
				'Anita Gates',
			]);
			expect(pusher.criticReviews.map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
			expect(pusher.criticReviews.filter((r) => r.critic === null).map((r) => r.position)).toEqual([2, 3]);
		});

		it('entry 2 is the score 80 (positive band), with no name and no date', () => {
			const two = pusher.criticReviews[1]!;
			expect(two).toMatchObject({ critic: null, credit: 'Uncredited', score: 80, band: 'positive', date: null });
			expect(two.excerpt).toMatch(/^Each film in Nicolas Winding Refn's mesmerizingly brutal Pusher trilogy/);
			expect(pusher.criticReviews.filter((r) => r.score !== null)).toHaveLength(1);
		});

		it('dates and excerpts are exact, unicode intact', () => {
			const murray = pusher.criticReviews[0]!;
			expect(murray).toMatchObject({
				critic: 'Noel Murray',
				date: '2013-07-15',
				source: { file: 'pusher-1996.critics.metacritic.txt', line: 9 },
			});
			expect(murray.excerpt).toBe(
				'As Refn counts down the days and ratchets up the tension, Pusher shifts from a subdued lowlife sketch, with lots of raunchy conversation between Buric and his horndog ex-con buddy Mads Mikkelsen, to a nail-biting look at a man running out of options.',
			);
			expect(pusher.criticReviews[3]!.excerpt).toContain('deep— its surface clichés give way');
			expect(pusher.userReviews).toEqual([]);
		});
	});

	describe('Pusher II (2004), IMDb user page', () => {
		it('reads the header and exactly the 25 reviews on the page, no chrome', () => {
			expect(pusher2.userPage).toEqual({ title: 'Pusher II', year: 2004, siteReviewCount: 44 });
			expect(pusher2.userReviews).toHaveLength(25);
			const text = JSON.stringify(pusher2.userReviews);
			for (const chrome of ['An error has occured', 'See also', 'Recently Viewed', 'Permalink', 'Sign in to vote'])
				expect(text).not.toContain(chrome);
			expect(pusher2.criticReviews).toEqual([]);
			expect(pusher2.consensus).toBeNull();
		});

		it('splits every author from the date the way the site prints them', () => {
			expect(pusher2.userReviews.map((r) => `${r.author} ${r.date}`)).toEqual([
				'UlrikSander 2006-03-11',
				'PAolo-10 2009-02-08',
				'nesfilmreviews 2014-11-09',
				'johanevander 2006-03-17',
				'kristianbk 2005-01-06',
				'slake09 2008-07-12',
				'gotchast 2005-07-19',
				'Martinjnl 2005-03-19',
				'leon-smoothy 2018-03-24',
				'Pjtaylor-96-138044 2022-04-26',
				'yoshi-33 2005-08-15',
				'robo8 2006-07-29',
				'peterroeder34 2014-10-08',
				'brchthethird 2015-04-04',
				'methodman-70252 2020-04-27',
				'lastliberal 2010-07-17',
				'ocosis 2019-12-16',
				'Jack_Coen 2011-10-10',
				'masonfisk 2023-06-23',
				'alke-2 2005-01-03',
				'r96sk 2023-09-24',
				'ivansv 2004-12-16',
				'Uriah43 2024-03-30',
				'theshanecarr 2021-05-25',
				'evileyereviews 2010-08-11',
			]);
		});

		it('reads ratings (one missing) and helpful votes', () => {
			expect(pusher2.userReviews.map((r) => r.rating)).toEqual([
				8,
				8,
				8,
				7,
				10,
				7,
				10,
				7,
				9,
				7,
				9,
				7,
				5,
				7,
				9,
				6,
				10,
				null,
				6,
				8,
				7,
				9,
				4,
				8,
				8,
			]);
			expect(pusher2.userReviews.map((r) => `${r.helpful.up}/${r.helpful.total}`)).toEqual([
				'54/62',
				'23/26',
				'14/15',
				'15/19',
				'31/39',
				'17/22',
				'43/57',
				'12/19',
				'10/11',
				'2/2',
				'22/28',
				'8/22',
				'8/19',
				'1/2',
				'5/5',
				'3/14',
				'5/5',
				'1/4',
				'0/0',
				'30/42',
				'0/1',
				'25/41',
				'1/1',
				'4/5',
				'9/15',
			]);
			expect(pusher2.userReviews.find((r) => r.rating === null)).toMatchObject({ author: 'Jack_Coen', title: 'Amazing film..' });
		});

		it('marks exactly the two reviews that warn of spoilers', () => {
			expect(pusher2.userReviews.filter((r) => r.spoiler).map((r) => r.author)).toEqual(['kristianbk', 'lastliberal']);
			expect(pusher2.userReviews.find((r) => r.author === 'kristianbk')!.body).toMatch(/^Movies that describe and draws a picture/);
		});

		it('keeps multi-paragraph bodies intact, including lines like "9/10" inside them', () => {
			const first = pusher2.userReviews[0]!;
			expect(first.title).toBe("Nicolas Winding Refn's Pusher 2 is even better than the first one");
			const paragraphs = first.body.split('\n\n');
			expect(paragraphs).toHaveLength(6);
			expect(paragraphs[0]).toMatch(/^Nicolas Winding Refn's Pusher 1-3 is my favorite trilogy/);
			expect(paragraphs[1]).toContain('Charlotte (Anne Sørensen)');
			expect(paragraphs[5]).toBe(
				'I highly recommend Pusher II (and the rest of the trilogy) to everyone! A perfect example of an artistic film that actually works for all audiences! 9/10',
			);
			const martin = pusher2.userReviews.find((r) => r.author === 'Martinjnl')!;
			expect(martin.body.split('\n\n')[1]).toBe('I gave it 7/10 stars.');
			expect(pusher2.userReviews.find((r) => r.author === 'theshanecarr')!.body.split('\n\n')).toHaveLength(8);
			const evil = pusher2.userReviews.at(-1)!;
			expect(evil.body.endsWith('Overall, this was an impossibly terrific followup of the original.\n\nEvil Eye Reviews')).toBe(true);
		});

		it('points each review at its first line in the file', () => {
			expect(pusher2.userReviews[0]!.source).toEqual({ file: 'pusher-ii-2004.users.imdb.txt', line: 11 });
			expect(pusher2.userReviews[17]!.source.line).toBe(163); // the unrated one starts at its title
		});
	});
});
