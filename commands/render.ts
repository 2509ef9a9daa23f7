import { type APIButtonComponent, ApplicationCommandOptionType, ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { date, type Locale, t } from '../src/i18n/index.js';
import type { Band, CriticReview, Film, UserReview } from '../src/domain/schema.js';
import type { CriticEntry, FilmInfo, ReviewStore } from '../src/domain/store.js';
import { plain, safe, spoilerTag, truncate } from '../src/reply/format.js';
import { Limits } from '../src/reply/limits.js';
import type { Choice, Reply } from '../src/reply/reply.js';

/** A required film option that autocompletes titles and aliases (`/reviews film`, `/rate film`, `/compare film_a`). */
export function filmOption<N extends string>(name: N, description = 'Title or alias, e.g. Pusher II') {
	return { type: ApplicationCommandOptionType.String, name, description, required: true, autocomplete: true, max_length: 200 } as const;
}

/** Shared pieces of the commands' replies. Everything from a review passes `safe` before it is shown. */

/**
 * Part of the cache key of every rendered page, beside the data version. Bump it with any change to what a
 * page shows (escaping, layout, numbering): a persistent or shared cache then never serves a page drawn by
 * older code (for instance one that escaped a spoiler the old, leaky way) after an upgrade.
 */
const RENDER_VERSION = 3;

/** The cache key of a rendered page: what it is, the render and data versions, the locale it is written in, then `parts`. */
export function pageKey(
	what: 'reviews' | 'critic-page',
	store: ReviewStore,
	locale: Locale,
	...parts: readonly (string | number)[]
): string {
	return [what, `r${RENDER_VERSION}`, store.version, locale, ...parts].join(':');
}

export const Colours = { positive: 0x66cc33, mixed: 0xffcc33, negative: 0xff3333, none: 0x5865f2 } as const;
/** Each embed colour's name, for a transport that shows no colour (the local console). */
export const COLOUR_NAMES: Readonly<Record<number, string>> = {
	[Colours.positive]: 'green',
	[Colours.mixed]: 'yellow',
	[Colours.negative]: 'red',
	[Colours.none]: 'blurple',
};

export function bandColour(band: Band | null): number {
	return band === null ? Colours.none : Colours[band];
}

/** A horizontal bar of `value` out of `max`, `width` cells wide. */
export function bar(value: number, max: number, width = 12): string {
	const cells = max === 0 ? 0 : Math.round((value / max) * width);
	return '█'.repeat(cells) + '░'.repeat(width - cells);
}

/** Ratings 1-10 (counts at indexes 0-9) as a code block of bars, 10 at the top. */
export function histogram(counts: readonly number[]): string {
	const max = Math.max(...counts);
	const rows = counts.map((n, i) => `${String(i + 1).padStart(2)} ${bar(n, max)} ${n}`).reverse();
	return `\`\`\`\n${rows.join('\n')}\n\`\`\``;
}

/** `2009-02-08` → `8 Feb 2009` (`8. feb. 2009` in Danish); `undated` for none. */
export function humanDate(iso: string | null, locale: Locale): string {
	return date(locale, iso);
}

/** "Pusher II (2004)", as plain text (for autocomplete, labels and footers). */
export function filmLabel(film: Film): string {
	return film.year === null ? film.title : `${film.title} (${film.year})`;
}

export const SPOILER_LABEL = '⚠️ Spoiler';

/** A review's text for an embed: escaped, cut to `max`, behind a spoiler tag when the review warns of spoilers. */
export function reviewText(text: string, spoiler: boolean, max: number, suffix = ''): string {
	// Escaping only lengthens text, so only the part that can be shown is escaped (it is not cheap).
	const escaped = safe(text.length > max ? text.slice(0, max + 1) : text);
	return spoiler ? spoilerTag(escaped, max, suffix) : truncate(escaped, max, suffix);
}

export function stars(rating: number | null, locale: Locale): string {
	return rating === null ? t(locale, 'reviews.noRating') : `★ ${rating}/10`;
}

export function helpfulText(r: UserReview, locale: Locale): string {
	const { up, total } = r.helpful;
	return total === 0 ? t(locale, 'reviews.noVotes') : t(locale, 'reviews.foundHelpful', { up: String(up), total: String(total) });
}

export function criticScoreText(r: CriticReview, locale: Locale): string {
	return r.score === null
		? t(locale, 'reviews.noScore')
		: `${r.score}/100 (${r.band === null ? 'null' : t(locale, `reviews.band.${r.band}`)})`;
}

/** A review title, escaped and cut to `max` with `prefix`, keeping the spoiler warning whole after it. */
export function reviewTitle(r: UserReview, max: number, prefix = ''): string {
	const label = r.spoiler ? ` · ${SPOILER_LABEL}` : '';
	return `${prefix}${truncate(safe(r.title), max - prefix.length - label.length)}${label}`;
}

/** A user review as an embed field: the title stays visible; the body hides behind a spoiler tag if marked. */
export function userReviewField(r: UserReview, locale: Locale, max = 300, prefix = ''): { name: string; value: string } {
	const byline = `— ${safe(r.author)} · ${stars(r.rating, locale)} · ${humanDate(r.date, locale)} · ${helpfulText(r, locale)}`;
	return {
		name: reviewTitle(r, Limits.fieldName, prefix),
		value: `${reviewText(r.body, r.spoiler, max)}\n${byline}`,
	};
}

/** A page button: secondary unless `primary`, enabled unless `disabled`. */
export function button(customId: string, label: string, opts: { disabled?: boolean; primary?: boolean } = {}): APIButtonComponent {
	return {
		type: ComponentType.Button,
		style: opts.primary ? ButtonStyle.Primary : ButtonStyle.Secondary,
		custom_id: customId,
		label,
		disabled: opts.disabled ?? false,
	};
}

/** Film choices for autocomplete: ranked titles, each labelled with its year; the value is the film id. */
export function filmChoices(store: ReviewStore, typed: string): Choice[] {
	return store.searchFilms(typed, 25).map(({ item }) => ({ name: filmLabel(item.film), value: item.film.id }));
}

/** The ephemeral answer, in `locale`, to a film name that matched nothing. */
export function unknownFilm(locale: Locale, query: string, suggestions: readonly FilmInfo[]): Reply {
	return unknown(
		locale,
		'unknown.film',
		query,
		suggestions.map((s) => filmLabel(s.film)),
		` ${t(locale, 'hint.autocomplete')}`,
	);
}

/** The ephemeral answer, in `locale`, to a critic name that matched nothing. */
export function unknownCritic(locale: Locale, query: string, suggestions: readonly CriticEntry[]): Reply {
	return unknown(
		locale,
		'unknown.critic',
		query,
		suggestions.map((c) => c.credit),
		'',
	);
}

/** "I don't know a film called “…”." and the names it might have meant, or `otherwise` when there are none. */
function unknown(
	locale: Locale,
	what: 'unknown.film' | 'unknown.critic',
	query: string,
	suggestions: readonly string[],
	otherwise: string,
): Reply {
	const said = t(locale, what, { query: truncate(safe(plain(query)), 100) });
	if (suggestions.length === 0) return notice(`${said}${otherwise}`);
	return notice(`${said} ${t(locale, 'unknown.didYouMean', { names: suggestions.map((s) => `**${safe(s)}**`).join(', ') })}`);
}

/** An ephemeral message: every "I can't do that" answer is one. Its text comes in the context's locale (`t(ctx.locale, …)`). */
export function notice(content: string): Reply {
	return { content, ephemeral: true };
}
