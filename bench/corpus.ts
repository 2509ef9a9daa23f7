import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MONTHS } from '../src/domain/dates.js';
import type { CriticConsensus, CriticReview, Film, UserPageInfo, UserReview } from '../src/domain/schema.js';
import { fold, titleKey } from '../src/domain/text.js';

/**
 * A deterministic synthetic corpus in the two real page layouts (see `data/`): Metacritic critic pages
 * and IMDb user-review pages, plus the `films.json` manifest and the truth a correct parser recovers.
 * Everything comes from one seeded PRNG (mulberry32): the same options give byte-identical pages.
 */

export interface CorpusOptions {
	films: number;
	reviews: number;
	seed: number;
}

export interface TruthFilm {
	film: Film;
	consensus: CriticConsensus | null;
	criticReviews: Array<Pick<CriticReview, 'position' | 'critic' | 'credit' | 'score' | 'date' | 'excerpt'>>;
	userPage: UserPageInfo | null;
	userReviews: Array<Pick<UserReview, 'rating' | 'title' | 'author' | 'date' | 'spoiler' | 'body' | 'helpful'>>;
}

export interface GeneratedCorpus {
	manifest: { films: Film[] };
	/** File name -> page text. The manifest is not in here; `writeCorpus` writes it as films.json. */
	files: Map<string, string>;
	truth: TruthFilm[];
}

/** Most critic entries on one Metacritic page, most blocks on one IMDb page. */
export const CRITIC_MAX = 60;
export const USER_MAX = 25;

// ---------------------------------------------------------------------------------------------------
// PRNG

class Rng {
	private state: number;
	constructor(seed: number) {
		this.state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
	}
	/** mulberry32: [0, 1). */
	next(): number {
		let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
	/** Integer in [lo, hi]. */
	int(lo: number, hi: number): number {
		return lo + Math.floor(this.next() * (hi - lo + 1));
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)] as T;
	}
	/** Roughly normal, mean 0, sd about 1. */
	normal(): number {
		return (this.next() + this.next() + this.next() + this.next() - 2) * 1.73;
	}
	shuffle<T>(items: T[]): T[] {
		for (let i = items.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			const t = items[i] as T;
			items[i] = items[j] as T;
			items[j] = t;
		}
		return items;
	}
}

// ---------------------------------------------------------------------------------------------------
// Dates and the author/date rule

export function daysInMonth(year: number, month: number): number {
	return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function iso(year: number, month: number, day: number): string {
	return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/**
 * The parser's rule for "PAolo-108 February 2009": the day is the last one or two digits before the
 * month (no leading zero, valid for the month and year), the author left over is non-empty and does
 * not end in "-", and a valid two-digit day wins over a one-digit one.
 */
export function splitAuthorDate(line: string): { author: string; date: string } | undefined {
	const m = /^(.*\d) ([A-Za-z]+) (\d{4})$/.exec(line);
	if (!m) return undefined;
	const head = m[1] ?? '';
	const month = MONTHS.findIndex((name) => name.toLowerCase() === (m[2] ?? '').toLowerCase()) + 1;
	const year = Number(m[3]);
	if (month === 0) return undefined;
	for (const width of [2, 1]) {
		const day = head.slice(-width);
		const author = head.slice(0, -width).trim();
		if (!/^[1-9]\d?$/.test(day) || day.length !== width || author === '' || author.endsWith('-')) continue;
		if (Number(day) > daysInMonth(year, month)) continue;
		return { author, date: iso(year, month, Number(day)) };
	}
	return undefined;
}

interface Day {
	year: number;
	month: number;
	day: number;
}

function randomDay(rng: Rng, fromYear: number, toYear: number): Day {
	const year = rng.int(Math.min(fromYear, toYear), toYear);
	const month = rng.int(1, 12);
	return { year, month, day: rng.int(1, daysInMonth(year, month)) };
}

// ---------------------------------------------------------------------------------------------------
// Word pools

const ADJ = [
	'Silent',
	'Crimson',
	'Last',
	'Hollow',
	'Broken',
	'Golden',
	'Midnight',
	'Northern',
	'Bitter',
	'Quiet',
	'Burning',
	'Lonely',
	'Iron',
	'Paper',
	'Glass',
	'Velvet',
	'Savage',
	'Distant',
	'Frozen',
	'Wild',
	'Pale',
	'Secret',
	'Electric',
	'Restless',
	'Forgotten',
	'Black',
	'White',
	'Blue',
	'Scarlet',
	'Endless',
	'Little',
	'Dark',
	'Sweet',
	'Cold',
	'Long',
	'Red',
];
const NOUN = [
	'Harbor',
	'Orchard',
	'River',
	'Kingdom',
	'Winter',
	'Summer',
	'Lighthouse',
	'Garden',
	'Empire',
	'Road',
	'City',
	'Mirror',
	'Storm',
	'Machine',
	'Echo',
	'Signal',
	'Tide',
	'Frontier',
	'Parade',
	'Horizon',
	'Station',
	'Carnival',
	'Valley',
	'Island',
	'Country',
	'Hotel',
	'Bridge',
	'Circus',
	'Desert',
	'Forest',
	'Highway',
	'Ocean',
	'Palace',
	'Prairie',
	'Canyon',
	'Meadow',
];
const PLURAL = [
	'Ashes',
	'Wolves',
	'Strangers',
	'Saints',
	'Ghosts',
	'Thieves',
	'Lovers',
	'Kings',
	'Shadows',
	'Sparrows',
	'Giants',
	'Mirrors',
	'Rivers',
	'Bones',
];
const TIME = ['Night', 'Dawn', 'Dusk', 'Morning', 'Sunday', 'Winter', 'Summer', 'Midnight', 'Autumn', 'Twilight'];
const HERO = [
	'Amélie',
	'Søren',
	'Zoë',
	'Björn',
	'Chloé',
	'José',
	'Renée',
	'Åsa',
	'Jürgen',
	'Inés',
	'Margot',
	'Tonny',
	'Milo',
	'Frank',
	'Vic',
	'Lena',
	'Oskar',
	'Noor',
	'Ilse',
	'Dagny',
];
const SUBTITLE = [
	'A Love Story',
	'The Reckoning',
	'Blood on the Water',
	'The Long Night',
	'Homecoming',
	'The Last Summer',
	'Requiem',
	'With Blood on My Hands',
	'Rise of the Tide',
	'The Final Chapter',
	'Origins',
	'Redemption',
	'The Lost Years',
	'Under the Ice',
];
const FOREIGN = [
	'La Nuit Blanche',
	'Les Enfants du Port',
	'Det Sidste Vinter',
	'Der Himmel über Kreuzberg',
	'El Último Verano',
	'Il Silenzio',
	'Smörgåsbord',
	'Festen i Skagen',
	'Les Amants du Pont',
	'Die Stille',
	'La Dolce Notte',
	'Mørke Vande',
	'Café Lumière',
	'Ménage',
	'Sjælen',
	'Ærø Blues',
	'Noël à Paris',
	'Über den Wolken',
	'O Céu de Lisboa',
	'Kärlek och Stål',
];
const FOREIGN_EN = [
	'The White Night',
	'Children of the Harbor',
	'The Last Winter',
	'The Sky over Kreuzberg',
	'The Last Summer',
	'The Silence',
	'Smorgasbord',
	'The Party at Skagen',
	'Lovers of the Bridge',
	'Stillness',
	'The Sweet Night',
	'Dark Waters',
	'Café Light',
	'Household',
	'The Soul',
	'Island Blues',
	'Christmas in Paris',
	'Above the Clouds',
	'The Sky of Lisbon',
	'Love and Steel',
];
const ONE_WORD = [
	'Pusher',
	'Drifter',
	'Undertow',
	'Bleeder',
	'Fearless',
	'Crossfire',
	'Heatwave',
	'Outsider',
	'Lowlife',
	'Blackout',
	'Vertigo',
	'Kingpin',
	'Nightcrawler',
	'Deadline',
	'Getaway',
];
const ROMAN = ['', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];

const FIRST = [
	'Noel',
	'Dennis',
	'Robert',
	'Gunnar',
	'Ethan',
	'Andrew',
	'Wendy',
	'Anita',
	'Manohla',
	'Stephanie',
	'Peter',
	'Kenneth',
	'Owen',
	'Noël',
	'Søren',
	'Jürgen',
	'Åsa',
	'Zoë',
	'Amélie',
	'François',
	'Mikael',
	'Björn',
	'Siân',
	'Inés',
	'José',
	'Renée',
	'Chloé',
	'Mark',
	'Lisa',
	'David',
	'Kim',
	'Anne',
	'Mads',
	'Ulrik',
	'Hanne',
	'Pernille',
	'Tomás',
	'Ève',
	'Dorothée',
	'Kaj',
	'Jacob',
];
const LAST = [
	'Murray',
	'Lim',
	'Abele',
	'Rehlin',
	'Gilsdorf',
	"O'Hehir",
	'Richmond',
	'Gates',
	'Dargis',
	'Kermode',
	'Bradshaw',
	'Turan',
	'Hornaday',
	'Zacharek',
	'Ehrlich',
	'Brody',
	'Wilkinson',
	'Nørgaard',
	'Østergaard',
	'Müller',
	'Lefèvre',
	'García',
	'Dubois',
	'Kowalski',
	'Nakamura',
	'Sørensen',
	'Ærenlund',
	'Holm',
	'Schäfer',
	'Nuñez',
	'Thompson',
	'McCarthy',
	'Lodge',
	'Debruge',
];
const INITIALS = ['V.A.', 'A.O.', 'J.', 'J.R.', 'M.', 'K.', 'E.J.', 'B.'];

const HANDLE = [
	'nesfilmreviews',
	'lastliberal',
	'ocosis',
	'johanevander',
	'masonfisk',
	'theshanecarr',
	'evileyereviews',
	'brchthethird',
	'ivansv',
	'kristianbk',
	'gotchast',
	'cinephile',
	'reelbuff',
	'popcornjunkie',
	'noirfan',
	'filmnerd',
	'moviemaven',
	'celluloid',
	'framebyframe',
	'darkroom',
	'nightowl',
	'kinofreak',
	'sofacritic',
	'matineeidol',
	'bmoviebuff',
	'slowcinema',
	'screenwriter',
	'projectionist',
];
const HANDLE_WORDS = [
	'leon',
	'smoothy',
	'evil',
	'eye',
	'film',
	'buff',
	'dark',
	'knight',
	'cine',
	'fan',
	'blue',
	'velvet',
	'mad',
	'max',
	'big',
	'lebowski',
	'red',
	'wolf',
	'lazy',
	'sunday',
];
const ODD_NAMES = [
	'Jørgen',
	'Zoë',
	'Björn',
	'Émile',
	'Søren',
	'Åse',
	'Müller',
	'Łukasz',
	'Håkon',
	'Ñico',
	'François',
	'Inès',
	'Thérèse',
	'Ødegaard',
];

// ---------------------------------------------------------------------------------------------------
// Templates: literal parts, each followed by a slot name, split once at load time.

interface Ctx {
	title: string;
	year: number;
	director: string;
	actor: string;
	actor2: string;
	character: string;
	city: string;
}

const SLOTS = ['T', 'Y', 'D', 'A', 'A2', 'CH', 'C', 'N', 'ADJ', 'R'] as const;
type Slot = (typeof SLOTS)[number];
/** Each literal part and the slot that follows it (none after the last). */
type Template = readonly { readonly text: string; readonly slot: Slot | undefined }[];

function slotOf(name: string | undefined): Slot | undefined {
	if (name === undefined) return undefined;
	const slot = SLOTS.find((s) => s === name);
	if (slot === undefined) throw new Error(`unknown template slot {${name}}`);
	return slot;
}

function compile(templates: readonly string[]): Template[] {
	return templates.map((t) => {
		const parts = t.split(/\{(\w+)\}/);
		return parts.filter((_, i) => i % 2 === 0).map((text, i) => ({ text, slot: slotOf(parts[2 * i + 1]) }));
	});
}

const CITIES = [
	'Copenhagen',
	'Malmö',
	'Aarhus',
	'Marseille',
	'Lisbon',
	'Reykjavík',
	'Göteborg',
	'Kraków',
	'Zürich',
	'Bergen',
	'Antwerp',
	'Ålborg',
];
const CHARACTERS = ['Tonny', 'Milo', 'Frank', 'Vic', 'Kurt', 'Charlotte', 'the Duke', 'Radovan', 'Ørnulf', 'Céline', 'Günther', 'Maja'];
const REVIEW_ADJ = [
	'gritty',
	'bleak',
	'tender',
	'relentless',
	'clumsy',
	'hypnotic',
	'overlong',
	'naïve',
	'ruthless',
	'gorgeous',
	'muddled',
	'sly',
	'brutal',
	'haunting',
	'uneven',
	'electric',
];

const USER_SENTENCES = compile([
	'{T} ({Y}) is one of the most {ADJ} films I have seen in years.',
	'I went in expecting very little and came out completely shaken.',
	'{A} gives a performance that is hard to shake off, especially in the scenes with {A2}.',
	'The story follows {CH}, who has just come back to {C} and finds that nothing has changed.',
	'{D} shoots everything with a hand-held camera, so you feel like you are standing in the room.',
	'It is not a perfect film: the middle section drags, and a couple of subplots go nowhere.',
	'Some of the dialogue feels improvised, which gives it a documentary-like rawness.',
	'The soundtrack is mostly synthesizers and it works better than it has any right to.',
	'If you liked the first one, you will probably like this even more.',
	'My friends thought it was boring, but I was glued to the screen from beginning to end.',
	'There is a scene in a café near the end that I will not forget anytime soon.',
	'The cinematography is {ADJ}, all sodium streetlights and wet concrete.',
	'Honestly, the ending left me a bit cold; it felt rushed after such a slow build.',
	'{CH} is a character you can like on the screen but would be horrified to live next door to.',
	'The supporting cast is made up of non-actors and most of them are terrific.',
	"It's déjà vu in the best possible way: familiar territory, but told with real conviction.",
	'I saw it at a festival in {C} and the audience was completely silent when the lights came on.',
	'Compared to the Hollywood versions of this story, this one feels much more honest.',
	'Not for everyone - the violence is sudden and ugly, and the film never glamorizes it.',
	'The pacing is deliberate, maybe too deliberate for some viewers.',
	'What surprised me most was how funny it is, in a pitch-black way.',
	'{A} is superb, portraying a litany of emotions often without saying a word.',
	'The relationship between {CH} and his father is the heart of the film.',
	'By the last twenty minutes I was holding my breath.',
	'This is the kind of film that stays with you for days afterwards.',
	'I have watched it {N} times now and it still gets to me.',
	'The script has a few clichés, but {D} mostly avoids the obvious choices.',
	'Every frame looks like it was shot at 4 a.m. after a very long night.',
	'Some reviewers call it slow; I would call it patient.',
	"It's a {ADJ} little film about fathers and sons, disguised as a crime thriller.",
	'The colors - reds and greens everywhere - make it feel almost dream-like at times.',
	'I was expecting an action film and got a character study instead, which was a pleasant surprise.',
	'{Y} was a good year for this kind of cinema, and this is one of the best of the bunch.',
	'The naïve fiancée subplot is the weakest part of the whole thing.',
	'Über-stylish without ever being empty, which is rare.',
	'It lost me a little in the second act, but the finale won me back.',
	'Watch it in the original language with subtitles; the dub is dreadful.',
	'The photography of {C} at night is worth the price of admission alone.',
	"I'd rank it just below the director's best work, but not by much.",
	"There's no real hero here, just people making one bad decision after another.",
	'My only real complaint is the runtime; twenty minutes could easily have been cut.',
	'{A2} steals every scene he is in, which is saying something next to {A}.',
	'It feels less like a movie and more like eavesdropping on real lives.',
	"The ending is ambiguous, and I think that's exactly right.",
	'If you are squeamish, there is one scene you may want to skip.',
	'Smörgåsbord of styles, but somehow it hangs together.',
	'The plot (such as it is) is almost beside the point.',
	"It's the rare sequel that justifies its own existence.",
]);

const CRITIC_SENTENCES = compile([
	'{D} ratchets up the tension until {T} becomes a nail-biting look at a man running out of options.',
	'As botched-deal tales go, {T} digs surprisingly deep\u2014its surface clichés give way to an existential despair that finally swallows the movie whole.',
	'The film practically vibrates with youthful aggression, sly humor and gathering tension.',
	'The subject has been done before, but {D} avoids the clichés, both in the story itself and its telling.',
	'[{D}] mixes jittery hand-held camerawork, improvised dialogue and available light to create a nightmarish world.',
	'{A} is a revelation, all nervous energy and wounded pride.',
	"There's something rotten in {C}, and {T} is still well worth seeing.",
	'A promising debut.',
	'Despite the gritty subject matter, interest is retained right through to the bleak end.',
	'{T} begins as a fairly standard \u201990s crime saga... But something happens on the way to the film\u2019s haunting conclusion.',
	"It's a {ADJ}, often exhilarating piece of work that never quite settles for the easy answer.",
	"Each film in the trilogy can stand on its own, but it's fun to see how the bad guys in one become the heroes in another.",
	'The result is {ADJ} and, in its final stretch, genuinely moving.',
	"{D}'s direction exhibits an uncanny prescience for techniques that would peak a decade later.",
	'Too long by half, and too pleased with its own grubbiness.',
	'A film of small gestures and enormous consequences.',
	'{A} and {A2} make a formidable pair.',
	'Mr. {R} may yet have justification for boasting about his natural talent.',
	'It will turn off many viewers while delighting others.',
	'What lingers is not the violence but the loneliness.',
]);

const USER_TITLES = compile([
	'{T} is even better than the first one',
	'Gritty, bleak and unforgettable',
	'{A} is in top form',
	'Quiet with the smell of salt water and concrete',
	'Worth viewing',
	'A brutal masterpiece about the modern underworld',
	'Outstanding movie',
	'Great acting but weaker plot!',
	'Disappointing',
	'Not Nearly as Good as the First Film',
	'Equal To The First',
	'An impossibly great sequel',
	'Improves upon its predecessor, if only by a little',
	'Great film, enjoyed every moment of it',
	'This is a great movie!!',
	'Overrated',
	'{ADJ} and beautiful',
	"{CH} can't get no respect",
	'As powerful as "once were warriors"',
	'The {Y} film nobody talks about',
	'A {ADJ} ride through {C}',
	'Skip it.',
	'Mixed feelings...',
	'Why is this so underrated?',
	'Déjà vu, but good',
	'Slow burn, huge payoff',
	'Zero stars if I could',
	'Best of the trilogy',
]);

function fill(t: Template, ctx: Ctx, rng: Rng): string {
	let s = '';
	for (const { text, slot } of t) {
		s += text;
		switch (slot) {
			case undefined:
				break;
			case 'T':
				s += ctx.title;
				break;
			case 'Y':
				s += String(ctx.year);
				break;
			case 'D':
				s += ctx.director;
				break;
			case 'A':
				s += ctx.actor;
				break;
			case 'A2':
				s += ctx.actor2;
				break;
			case 'CH':
				s += ctx.character;
				break;
			case 'C':
				s += ctx.city;
				break;
			case 'N':
				s += String(rng.int(2, 12));
				break;
			case 'ADJ':
				s += rng.pick(REVIEW_ADJ);
				break;
			case 'R':
				s += ctx.director.split(' ').pop() ?? ctx.director;
				break;
		}
	}
	return s;
}

// ---------------------------------------------------------------------------------------------------
// Films

interface FilmPlan {
	title: string;
	year: number;
	aliases: string[];
}

function slug(text: string): string {
	return fold(text)
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

/** Film ids are slugs of at most ID_MAX characters (they travel in Discord custom_ids): the title's slug cut at a hyphen, then the year. */
export const ID_MAX = 50;

function filmId(title: string, suffix: string): string {
	let base = slug(title) || 'film';
	const room = ID_MAX - suffix.length - 1;
	if (base.length > room) {
		base = base.slice(0, room + 1);
		base = base.includes('-') ? base.slice(0, base.lastIndexOf('-')) : base.slice(0, room);
		base = base.replace(/-+$/, '') || 'film';
	}
	return `${base}-${suffix}`;
}

function baseTitle(rng: Rng): { title: string; alias?: string } {
	const r = rng.next();
	if (r < 0.22) return { title: `${rng.pick(ADJ)} ${rng.pick(NOUN)}` };
	if (r < 0.36) return { title: `The ${rng.pick(ADJ)} ${rng.pick(NOUN)}` };
	if (r < 0.46) return { title: `${rng.pick(TIME)} ${rng.pick(NOUN)}` };
	if (r < 0.56) return { title: `${rng.pick(NOUN)} of ${rng.pick(PLURAL)}` };
	if (r < 0.64) return { title: `${rng.pick(HERO)} and the ${rng.pick(NOUN)}` };
	if (r < 0.69) return { title: `${rng.pick(HERO)} in ${rng.pick(TIME)}` };
	if (r < 0.77) return { title: `${rng.pick(ADJ)} ${rng.pick(NOUN)}: ${rng.pick(SUBTITLE)}` };
	if (r < 0.85) {
		const i = rng.int(0, FOREIGN.length - 1);
		return { title: FOREIGN[i] as string, alias: FOREIGN_EN[i] as string };
	}
	if (r < 0.92) return { title: rng.pick(ONE_WORD) };
	if (r < 0.96) return { title: `The ${rng.pick(PLURAL)}` };
	return { title: `${rng.pick(HERO)}'s ${rng.pick(NOUN)}` };
}

function planFilms(rng: Rng, count: number): FilmPlan[] {
	const films: FilmPlan[] = [];
	const keys = new Set<string>();
	let guard = 0;
	while (films.length < count) {
		if (++guard > count * 200) throw new Error(`cannot make ${count} unique film titles`);
		const base = baseTitle(rng);
		// Disambiguate a taken title the way real catalogues do: a distinct variant, never a duplicate.
		let title = base.title;
		if (keys.has(titleKey(title))) {
			const variant = rng.next();
			title =
				variant < 0.4
					? `${rng.pick(ADJ)} ${title.replace(/^The /, '')}`
					: variant < 0.7
						? `${title}: ${rng.pick(SUBTITLE)}`
						: `${title} ${rng.pick(NOUN)}`;
			if (keys.has(titleKey(title))) continue;
		}
		if (base.alias !== undefined && keys.has(titleKey(base.alias))) continue;
		const year = rng.int(1920, 2025);
		keys.add(titleKey(title));
		const aliases: string[] = [];
		if (base.alias !== undefined && base.alias !== title) {
			keys.add(titleKey(base.alias));
			aliases.push(base.alias);
		}
		if (title.includes(': ') && rng.chance(0.6)) {
			const after = title.slice(title.indexOf(': ') + 2);
			if (!keys.has(titleKey(after))) {
				keys.add(titleKey(after));
				aliases.push(after);
			}
		}
		films.push({ title, year, aliases });

		// Sequels: "Night Harbor II", "Night Harbor 3", sometimes with a subtitle.
		if (!/\d$/.test(title) && !title.includes(':') && rng.chance(0.12)) {
			const parts = rng.int(2, 5);
			let y = year;
			for (let n = 2; n <= parts && films.length < count && y < 2025; n++) {
				y = Math.min(2025, y + rng.int(1, 6));
				const roman = rng.chance(0.55);
				let sequel = `${title} ${roman ? ROMAN[n] : String(n)}`;
				if (rng.chance(0.25)) sequel += `: ${rng.pick(SUBTITLE)}`;
				const key = titleKey(sequel);
				if (keys.has(key)) continue;
				keys.add(key);
				const alt: string[] = [];
				// "Pusher 2" for "Pusher II" (same key, as the real manifest has).
				const other = `${title} ${roman ? String(n) : ROMAN[n]}`;
				if (rng.chance(0.5) && (titleKey(other) === key || !keys.has(titleKey(other)))) {
					keys.add(titleKey(other));
					alt.push(other);
				}
				if (sequel.includes(': ') && rng.chance(0.5)) {
					const after = sequel.slice(sequel.indexOf(': ') + 2);
					if (!keys.has(titleKey(after))) {
						keys.add(titleKey(after));
						alt.push(after);
					}
				}
				films.push({ title: sequel, year: y, aliases: alt });
			}
		}
	}
	return rng.shuffle(films);
}

// ---------------------------------------------------------------------------------------------------
// How many reviews each film gets

type Kind = 'critic' | 'user' | 'both';
const cap = (k: Kind): number => (k === 'critic' ? CRITIC_MAX : k === 'user' ? USER_MAX : CRITIC_MAX + USER_MAX);
const floor = (k: Kind): number => (k === 'both' ? 2 : 1);

function allocate(rng: Rng, films: number, reviews: number): { kind: Kind; critic: number; user: number }[] {
	if (!Number.isInteger(films) || films < 1) throw new RangeError(`films must be a positive integer, got ${films}`);
	if (!Number.isInteger(reviews) || reviews < films || reviews > films * (CRITIC_MAX + USER_MAX)) {
		throw new RangeError(
			`reviews must be an integer from ${films} to ${films * (CRITIC_MAX + USER_MAX)} for ${films} films, got ${reviews}`,
		);
	}
	const kinds: Kind[] = [];
	for (let i = 0; i < films; i++) {
		const r = rng.next();
		kinds.push(r < 0.2 ? 'critic' : r < 0.33 ? 'user' : 'both');
	}
	let capacity = kinds.reduce((s, k) => s + cap(k), 0);
	for (let i = 0; i < films && capacity < reviews; i++) {
		if (kinds[i] !== 'both') {
			capacity += cap('both') - cap(kinds[i] as Kind);
			kinds[i] = 'both';
		}
	}
	let minimum = kinds.reduce((s, k) => s + floor(k), 0);
	for (let i = 0; i < films && minimum > reviews; i++) {
		if (kinds[i] === 'both') {
			kinds[i] = rng.chance(0.6) ? 'critic' : 'user';
			minimum--;
		}
	}

	// Heavy-tailed weights: most films get a modest number, some a lot.
	const weights = kinds.map(() => {
		const u = rng.next();
		return 0.15 + u * u * 2;
	});
	const totalWeight = weights.reduce((s, w) => s + w, 0);
	const spare = reviews - minimum;
	const counts = kinds.map((k, i) => Math.min(cap(k), floor(k) + Math.floor((spare * (weights[i] ?? 0)) / totalWeight)));
	let left = reviews - counts.reduce((s, c) => s + c, 0);
	let i = rng.int(0, films - 1);
	while (left > 0) {
		const c = counts[i] ?? 0;
		if (c < cap(kinds[i] as Kind)) {
			const add = Math.min(left, cap(kinds[i] as Kind) - c, 1 + Math.floor(rng.next() * 4));
			counts[i] = c + add;
			left -= add;
		}
		i = (i + 1) % films;
	}

	return kinds.map((kind, k) => {
		const n = counts[k] ?? 0;
		if (kind === 'critic') return { kind, critic: n, user: 0 };
		if (kind === 'user') return { kind, critic: 0, user: n };
		const user = Math.max(1, n - CRITIC_MAX, Math.min(USER_MAX, n - 1, Math.round(n * (0.2 + rng.next() * 0.45))));
		return { kind, critic: n - user, user };
	});
}

// ---------------------------------------------------------------------------------------------------
// Decorations: markdown, mentions, emoji, the things a Discord renderer must escape.

const EMOJI = ['🎬', '🔥', '👍', '👍🏻', '❤️', '😱', '🍿', '💀', '⭐', '👨‍👩‍👦', '🇩🇰', '😂'];

function decorate(rng: Rng, text: string): string {
	const r = rng.next();
	if (r < 0.05) return `**${text}**`;
	if (r < 0.08) return `_${text}_`;
	if (r < 0.1) return `~~${rng.pick(['I hated it.', 'Meh.', 'First impressions lie.'])}~~ ${text}`;
	if (r < 0.12) return `${text} \`${rng.pick(['rm -rf /', 'console.log(1)', 'SELECT * FROM films', 'npm i'])}\``;
	if (r < 0.15) return `> ${text}`;
	if (r < 0.17) return `# ${text}`;
	if (r < 0.2) return `${text} [trailer](http://example.com/trailer/${rng.int(100, 99999)})`;
	if (r < 0.22) return `@everyone ${text}`;
	if (r < 0.24) return `${text} @here`;
	if (r < 0.26) return `<@${rng.int(100000000, 999999999)}${rng.int(100000000, 999999999)}> ${text}`;
	if (r < 0.29) return `${text} ||the ending is a dream||`;
	if (r < 0.36) return `${text} ${rng.pick(EMOJI)}`;
	if (r < 0.38) return `${text} *****`;
	return text;
}

// ---------------------------------------------------------------------------------------------------
// Authors

function authorName(rng: Rng): string {
	const r = rng.next();
	if (r < 0.14) return `${rng.pick(FIRST)}${rng.pick(LAST)}`.replace(/['\s]/g, '');
	if (r < 0.3) return rng.pick(HANDLE);
	if (r < 0.44) {
		const name = rng.pick(FIRST);
		const cased = rng.chance(0.3) ? name.slice(0, 2).toUpperCase() + name.slice(2) : rng.chance(0.5) ? name.toLowerCase() : name;
		return `${cased}-${rng.int(1, rng.chance(0.5) ? 99 : 999)}`;
	}
	if (r < 0.58) return `${rng.pick(rng.chance(0.5) ? HANDLE : LAST).replace(/['\s]/g, '')}${rng.chance(0.3) ? '0' : ''}${rng.int(1, 99)}`;
	if (r < 0.64)
		return `${rng.pick(FIRST).toLowerCase()}${rng.pick(LAST).toLowerCase().replace(/['\s]/g, '')}-${rng.int(10, 99)}-${rng.int(100000, 999999)}`;
	if (r < 0.72) return `${rng.pick(HANDLE_WORDS)}-${rng.pick(HANDLE_WORDS)}`;
	if (r < 0.8) return `${rng.pick(FIRST)}_${rng.pick(LAST)}`.replace(/['\s]/g, '');
	if (r < 0.86) return `${rng.pick(HANDLE)}-${rng.int(10000, 99999)}`;
	if (r < 0.95) {
		const name = rng.pick(ODD_NAMES);
		const s = rng.next();
		return s < 0.3
			? name
			: s < 0.55
				? `${name}_${rng.pick(LAST).replace(/['\s]/g, '')}`
				: s < 0.8
					? `${name}-${rng.int(1, 99)}`
					: `${name}${rng.int(1950, 2005)}`;
	}
	if (r < 0.98) return `r${rng.int(10, 99)}sk`;
	return `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
}

/** An author and a day whose "author + day" concatenation the parser's rule splits back exactly. */
function authorDateLine(rng: Rng, author: string, d: Day): { line: string; date: string } {
	let day = d.day;
	for (let attempt = 0; ; attempt++) {
		const line = `${author}${day} ${MONTHS[d.month - 1]} ${d.year}`;
		const split = splitAuthorDate(line);
		if (split && split.author === author && split.date === iso(d.year, d.month, day)) return { line, date: split.date };
		// A two-digit day always splits back (the author is non-empty and never ends in "-").
		day = rng.int(10, daysInMonth(d.year, d.month));
		if (attempt > 3) throw new Error(`cannot place a date after author "${author}"`);
	}
}

// ---------------------------------------------------------------------------------------------------
// Pages

const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function verdictOf(score: number): string {
	return score >= 81
		? 'Universal acclaim'
		: score >= 61
			? 'Generally favorable reviews'
			: score >= 40
				? 'Mixed or average reviews'
				: score >= 20
					? 'Generally unfavorable reviews'
					: 'Overwhelming dislike';
}

function sentencesTo(rng: Rng, pool: readonly Template[], ctx: Ctx, target: number, max: number): string {
	let s = '';
	let last: Template | undefined;
	for (let tries = 0; s.length < target && tries < 200; tries++) {
		const template = rng.pick(pool);
		if (template === last) continue;
		last = template;
		const next = fill(template, ctx, rng);
		if (s !== '' && s.length + 1 + next.length > max) continue;
		s = s === '' ? next : `${s} ${next}`;
	}
	return s;
}

function criticPage(rng: Rng, ctx: Ctx, count: number): { text: string; consensus: CriticConsensus; reviews: TruthFilm['criticReviews'] } {
	const meta = Math.max(5, Math.min(97, Math.round(60 + rng.normal() * 17)));
	const spread = 8 + rng.next() * 12;
	const scores: number[] = [];
	for (let i = 0; i < count; i++) scores.push(Math.max(0, Math.min(100, Math.round(meta + rng.normal() * spread))));
	const average = Math.round(scores.reduce((s, x) => s + x, 0) / count);
	const positive = scores.filter((s) => s >= 61).length;
	const negative = scores.filter((s) => s <= 39).length;
	const verdict = verdictOf(average);
	const consensus: CriticConsensus = { verdict, critics: count, positive, mixed: count - positive - negative, negative };

	const lines: string[] = [
		`${verdict} - based on ${count} ${count === 1 ? 'Critic' : 'Critics'}`,
		'',
		'Critic score distribution:',
		`  1. Positive: ${positive} out of ${count}`,
		`  2. Negative: ${negative} out of ${count}`,
		'',
		'Critic Reviews',
		'',
	];
	const reviews: TruthFilm['criticReviews'] = [];
	// Re-release pages often carry one import date for every entry (the real page: all Jul 15, 2013).
	const oneDate = rng.chance(0.3) ? randomDay(rng, Math.max(ctx.year, 1999), 2025) : null;
	const used = new Set<string>();
	for (let position = 1; position <= count; position++) {
		const score = scores[position - 1] ?? 50;
		const excerpt = sentencesTo(rng, CRITIC_SENTENCES, ctx, rng.int(100, 400), 400);
		const form = rng.next();
		if (form < 0.06) {
			lines.push(`  ${position}. ${score}`, `    ${excerpt}`);
			reviews.push({ position, critic: null, credit: 'Uncredited', score, date: null, excerpt });
			continue;
		}
		const d = oneDate ?? randomDay(rng, Math.max(ctx.year - 1, 1995), 2025);
		const dateLine = `${MONTHS_SHORT[d.month - 1]} ${d.day}, ${d.year}`;
		const date = iso(d.year, d.month, d.day);
		if (form < 0.09) {
			lines.push(`  ${position}. Reviewed by:\u00a0Staff [Not Credited]`, `    ${dateLine}`, `    ${excerpt}`);
			reviews.push({ position, critic: null, credit: 'Staff [Not Credited]', score: null, date, excerpt });
			continue;
		}
		let critic = '';
		for (let tries = 0; tries < 20 && (critic === '' || used.has(critic)); tries++) {
			const r = rng.next();
			critic =
				r < 0.08
					? `${rng.pick(INITIALS)} ${rng.pick(LAST)}`
					: r < 0.12
						? `${rng.pick(FIRST)} ${rng.pick(INITIALS)} ${rng.pick(LAST)}`
						: `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
		}
		used.add(critic);
		// Stray spaces as the real page has them: NBSP + space, doubled inner spaces, trailing blanks.
		const s = rng.next();
		const printed =
			s < 0.06
				? `\u00a0 ${critic}`
				: s < 0.08
					? `\u00a0${critic.replace(' ', '  ')}`
					: s < 0.1
						? `\u00a0${critic} `
						: s < 0.11
							? `\u00a0${critic}\u00a0`
							: s < 0.12
								? ` ${critic}`
								: `\u00a0${critic}`;
		lines.push(`  ${position}. Reviewed by:${printed}`, `    ${dateLine}`, `    ${excerpt}`);
		reviews.push({ position, critic, credit: critic, score: null, date, excerpt });
	}
	lines.push('', '');
	return { text: lines.join('\n'), consensus, reviews };
}

function userBody(rng: Rng, ctx: Ctx, rating: number | null): string[] {
	const r = rng.next();
	const length =
		r < 0.005
			? rng.int(6000, 12000)
			: r < 0.06
				? rng.int(80, 300)
				: r < 0.9
					? Math.round(300 + 2200 * rng.next() ** 1.6)
					: rng.int(2500, 4500);
	const p = rng.next();
	const paragraphs =
		length > 6000
			? rng.int(4, 8)
			: p < 0.22 || length < 400
				? 1
				: p < 0.97
					? Math.max(2, Math.min(8, Math.round(length / rng.int(250, 700))))
					: 8;
	const out: string[] = [];
	const per = Math.max(60, Math.floor(length / paragraphs));
	const decorated = rng.chance(0.2);
	for (let i = 0; i < paragraphs; i++) {
		let text = sentencesTo(rng, USER_SENTENCES, ctx, per, per + 400);
		if (decorated || rng.chance(0.04)) text = decorate(rng, text);
		out.push(text);
	}
	// Score lines inside the body, as the real page has ("... 9/10", "I gave it 7/10 stars.").
	const tail = rng.next();
	const stated = rating ?? rng.int(1, 10);
	if (tail < 0.05) out.push(`${stated}/10`);
	else if (tail < 0.08) out.push(`I gave it ${stated}/10 stars.`);
	else if (tail < 0.11) out[out.length - 1] = `${out[out.length - 1] ?? ''} ${stated}/10`;
	else if (tail < 0.13) out.push(rng.pick(['Love.', 'Evil Eye Reviews', 'Enjoy!', 'Highly recommended.', 'Just my two cents.']));
	return out;
}

function userTitle(rng: Rng, ctx: Ctx): string {
	const r = rng.next();
	if (r < 0.003) return `${rng.int(1, 10)}/10`;
	if (r < 0.05) return sentencesTo(rng, USER_SENTENCES, ctx, 60, 200);
	let t = fill(rng.pick(USER_TITLES), ctx, rng);
	const v = rng.next();
	if (v < 0.05) t = t.toUpperCase();
	else if (v < 0.08) t = `${t} ${rng.pick(EMOJI)}`;
	else if (v < 0.1) t = `**${t}**`;
	else if (v < 0.11) t = `@everyone ${t}`;
	return t;
}

function helpfulVotes(rng: Rng): { up: number; total: number } {
	const r = rng.next();
	if (r < 0.08) return { up: 0, total: 0 };
	const total = r < 0.1 ? rng.int(1000, 4000) : r < 0.75 ? rng.int(1, 30) : rng.int(30, 400);
	const share = rng.next();
	return { up: Math.round(total * share * share ** 0.2), total };
}

function thousands(n: number): string {
	return n.toLocaleString('en-US');
}

function userPage(rng: Rng, ctx: Ctx, count: number): { text: string; info: UserPageInfo; reviews: TruthFilm['userReviews'] } {
	const site =
		count < USER_MAX
			? rng.chance(0.8)
				? count
				: count + rng.int(1, 5)
			: count + (rng.chance(0.2) ? rng.int(0, 20) : rng.chance(0.9) ? rng.int(20, 600) : rng.int(1000, 5000));
	const info: UserPageInfo = { title: ctx.title, year: ctx.year, siteReviewCount: site };
	const lines: string[] = [
		`${ctx.title} (${ctx.year}) Poster`,
		'',
		`(${ctx.year})`,
		'',
		'User Reviews',
		'',
		'Review this title',
		`${thousands(site)} ${site === 1 ? 'Review' : 'Reviews'}`,
		'Sort by:',
		'Filter by Rating:',
	];
	const reviews: TruthFilm['userReviews'] = [];
	for (let i = 0; i < count; i++) {
		const rating = rng.chance(0.04) ? null : Math.max(1, Math.min(10, Math.round(7 + rng.normal() * 2.2)));
		const title = userTitle(rng, ctx);
		const author = authorName(rng);
		const { line, date } = authorDateLine(rng, author, randomDay(rng, Math.max(ctx.year, 1998), 2025));
		const spoiler = rng.chance(0.06);
		const paragraphs = userBody(rng, ctx, rating);
		const helpful = helpfulVotes(rng);
		if (rating !== null) lines.push(`${rating}/10`);
		lines.push(title, line);
		if (spoiler) lines.push('Warning: Spoilers');
		for (let p = 0; p < paragraphs.length; p++) {
			if (p > 0) lines.push('');
			lines.push(paragraphs[p] as string);
		}
		lines.push(
			`${thousands(helpful.up)} out of ${thousands(helpful.total)} found this helpful. Was this review helpful? Sign in to vote.`,
			'Permalink',
		);
		reviews.push({ rating, title, author, date, spoiler, body: paragraphs.join('\n\n'), helpful });
	}
	lines.push(
		'An error has occured. Please try again.',
		'',
		'See also',
		'',
		'Awards | FAQ | User Ratings | External Reviews | Metacritic Reviews',
		'',
		'',
		'Recently Viewed',
	);
	return { text: lines.join('\n'), info, reviews };
}

// ---------------------------------------------------------------------------------------------------

export function generateCorpus(opts: CorpusOptions): GeneratedCorpus {
	const rng = new Rng(opts.seed);
	const plans = planFilms(rng, opts.films);
	const counts = allocate(rng, opts.films, opts.reviews);
	const files = new Map<string, string>();
	const ids = new Set<string>();
	const films: Film[] = [];
	const truth: TruthFilm[] = [];

	plans.forEach((plan, index) => {
		const c = counts[index] ?? { kind: 'critic', critic: 1, user: 0 };
		let id = filmId(plan.title, `${plan.year}`);
		for (let n = 2; ids.has(id); n++) id = filmId(plan.title, `${plan.year}-${n}`);
		ids.add(id);
		const ctx: Ctx = {
			title: plan.title,
			year: plan.year,
			director: `${rng.pick(FIRST)} ${rng.pick(LAST)}`,
			actor: `${rng.pick(FIRST)} ${rng.pick(LAST)}`,
			actor2: `${rng.pick(FIRST)} ${rng.pick(LAST)}`,
			character: rng.pick(CHARACTERS),
			city: rng.pick(CITIES),
		};
		const film: Film = { id, title: plan.title, year: plan.year, aliases: plan.aliases, sources: [] };
		const t: TruthFilm = { film, consensus: null, criticReviews: [], userPage: null, userReviews: [] };
		if (c.critic > 0) {
			const file = `${id}.critics.metacritic.txt`;
			const page = criticPage(rng, ctx, c.critic);
			files.set(file, page.text);
			film.sources.push({ file, layout: 'metacritic' });
			t.consensus = page.consensus;
			t.criticReviews = page.reviews;
		}
		if (c.user > 0) {
			const file = `${id}.users.imdb.txt`;
			const page = userPage(rng, ctx, c.user);
			files.set(file, page.text);
			film.sources.push({ file, layout: 'imdb' });
			t.userPage = page.info;
			t.userReviews = page.reviews;
		}
		films.push(film);
		truth.push(t);
	});
	return { manifest: { films }, files, truth };
}

/** Writes films.json and every page into `dir` (created if missing). */
export async function writeCorpus(dir: string, corpus: GeneratedCorpus): Promise<{ bytes: number }> {
	await mkdir(dir, { recursive: true });
	const manifest = `${JSON.stringify(corpus.manifest, null, '\t')}\n`;
	let bytes = Buffer.byteLength(manifest);
	await writeFile(join(dir, 'films.json'), manifest);
	const entries = [...corpus.files];
	for (let i = 0; i < entries.length; i += 64) {
		await Promise.all(
			entries.slice(i, i + 64).map(([name, text]) => {
				bytes += Buffer.byteLength(text);
				return writeFile(join(dir, name), text);
			}),
		);
	}
	return { bytes };
}
