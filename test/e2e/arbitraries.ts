// fast-check generators and a payload validator shared by the e2e property tests.
import fc from 'fast-check';
import type { Outcome } from '../../src/discord/dispatch.js';
import type { CriticReview, FilmRecord, UserReview } from '../../src/domain/schema.js';
import { checkCallback, emptyFindings } from '../fake-discord/validate.js';
import { criticReview, film, userReview } from '../helpers.js';
import { assertNoPing } from './harness.js';

/** Texts chosen to break things: empty, blank, zero-width, mentions, spoilers, markdown, SQL/HTML, huge. */
export const NASTY = [
	'',
	' ',
	'\u200b',
	'\u200b\u200d\ufeff',
	'\t\n',
	'@everyone',
	'@here',
	'@EveryOne hi',
	'<@123456789012345678>',
	'<@!123456789012345678>',
	'<@&123456789012345678>',
	'<#123456789012345678>',
	'</reviews:123456789012345678>',
	'<a:wave:123456789012345678>',
	'||',
	'||spoiler||',
	'|||',
	'**bold** __u__ *i* ~~s~~',
	'`code`',
	'```js\nx\n```',
	'# Heading',
	'-# small',
	'> quote',
	'[link](https://evil.example)',
	'https://discord.gg/abc',
	"'; DROP TABLE reviews; --",
	'" OR 1=1 --',
	'<script>alert(1)</script>',
	'<img src=x onerror=alert(1)>',
	'%s %d {{x}} ${x}',
	'\\',
	'\\||',
	'Pusher II',
	'pusher-ii-2004',
	'Murray',
	'🎬🍿👨‍👩‍👧',
	'e\u0301\u0301\u0301',
	'\u202eevil',
	'\ud800',
	'x'.repeat(6000),
	`${'word '.repeat(1199)}end`,
	'@'.repeat(2000),
	'|'.repeat(4001),
];

/** One option value: a nasty constant, a mix of them, random unicode, or a long random string. */
export const optionText: fc.Arbitrary<string> = fc.oneof(
	{ arbitrary: fc.constantFrom(...NASTY), weight: 4 },
	{
		arbitrary: fc.array(fc.constantFrom(...NASTY.filter((s) => s.length < 100)), { minLength: 1, maxLength: 6 }).map((a) => a.join(' ')),
		weight: 3,
	},
	{ arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }), weight: 3 },
	{ arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 1 },
	{ arbitrary: fc.string({ minLength: 5000, maxLength: 6000 }), weight: 1 },
);

export type Op =
	| { readonly type: 'slash'; readonly name: string; readonly options: Record<string, string>; readonly subcommand?: string }
	| { readonly type: 'autocomplete'; readonly name: string; readonly option: string; readonly typed: string; readonly subcommand?: string };

const kindOption = fc.option(fc.constantFrom('user', 'critic'), { nil: undefined });

/** A random interaction on every command and option (only values the command's choices allow for `kind`). */
export const op: fc.Arbitrary<Op> = fc.oneof(
	optionText.map((film): Op => ({ type: 'slash', name: 'reviews', options: { film } })),
	optionText.map((name): Op => ({ type: 'slash', name: 'critic', options: { name } })),
	fc.tuple(fc.option(optionText, { nil: undefined }), kindOption).map(([film, kind]): Op => ({
		type: 'slash',
		name: 'quote',
		subcommand: 'random',
		options: { ...(film === undefined ? {} : { film }), ...(kind === undefined ? {} : { kind }) },
	})),
	optionText.map((typed): Op => ({ type: 'autocomplete', name: 'reviews', option: 'film', typed })),
	optionText.map((typed): Op => ({ type: 'autocomplete', name: 'critic', option: 'name', typed })),
	optionText.map((typed): Op => ({ type: 'autocomplete', name: 'quote', option: 'film', typed, subcommand: 'random' })),
);

// ---------------------------------------------------------------------------------------------------------------
// Random stores

/** Review-ish text: anything non-empty (the loader never yields an empty field). */
const reviewText: fc.Arbitrary<string> = fc.oneof(
	optionText.filter((s) => s.length > 0),
	fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3000 }),
	fc
		.array(fc.constantFrom(...NASTY.filter((s) => s.length > 0 && s.length < 100), 'A sentence. ', 'Another one!\n\n', '||'), {
			minLength: 1,
			maxLength: 40,
		})
		.map((a) => a.join('')),
	// Runs of the characters that make or break a spoiler, at any length, so every cut point meets them.
	fc
		.tuple(
			fc.string({ unit: fc.constantFrom('|', '|', '\\', '*', '~', '_', '`', 'word', ' ', '. ', '\n'), minLength: 1, maxLength: 60 }),
			fc.integer({ min: 1, max: 5000 }),
		)
		.map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n)),
);
const shortText = fc.oneof(
	optionText.filter((s) => s.length > 0 && s.length <= 300),
	fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
);

export interface RandomFilm {
	readonly record: FilmRecord;
}

/** A film "x" whose titles, names and texts are all hostile; 0-4 user and 0-4 critic reviews. */
export const hostileFilm: fc.Arbitrary<FilmRecord> = fc
	.record({
		title: shortText.filter((t) => t.trim() !== '' && t.trim().length <= 200),
		users: fc.array(
			fc.record({
				body: reviewText,
				title: shortText,
				author: shortText,
				spoiler: fc.boolean(),
				rating: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
				up: fc.nat(50),
			}),
			{ maxLength: 4 },
		),
		critics: fc.array(
			fc.record({
				excerpt: reviewText,
				credit: shortText,
				score: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
				band: fc.option(fc.constantFrom('positive' as const, 'mixed' as const, 'negative' as const), { nil: null }),
			}),
			{ maxLength: 4 },
		),
	})
	.map(({ title, users, critics }) => {
		const userReviews: UserReview[] = users.map((u, i) =>
			userReview('x', i + 1, {
				body: u.body,
				title: u.title,
				author: u.author,
				spoiler: u.spoiler,
				rating: u.rating,
				helpful: { up: u.up, total: u.up + 3 },
			}),
		);
		const criticReviews: CriticReview[] = critics.map((c, i) =>
			criticReview('x', i + 1, { excerpt: c.excerpt, credit: c.credit, critic: c.credit, score: c.score, band: c.band }),
		);
		return film('x', title.trim(), { userReviews, criticReviews });
	});

// ---------------------------------------------------------------------------------------------------------------
// Validation of a dispatch outcome with the fake's own validators

/** Throws listing every violation the fake Discord would record for this outcome sent as a callback (spoilers included). */
export function validateOutcome(outcome: Outcome, where: string): void {
	const f = emptyFindings();
	const type = outcome.kind === 'choices' ? 8 : outcome.kind === 'update' ? 7 : outcome.kind === 'modal' ? 9 : 4;
	checkCallback(where, type, { type, data: outcome.kind === 'choices' ? { choices: outcome.choices } : outcome.data }, f);
	if (f.violations.length > 0) throw new Error(`${where}: invalid payload:\n- ${f.violations.join('\n- ')}`);
	if (outcome.kind === 'reply' || outcome.kind === 'update') {
		assertNoPing(outcome.data, where);
	}
}
