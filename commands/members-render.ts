/**
 * How a server's own ratings and reviews look: the `/reviews` server block, one member review, the `/top`
 * list and a member's page. Pure: each takes what the member store answered and returns embed parts.
 */

import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import { userBand } from '../src/domain/bands.js';
import type { ReviewStore } from '../src/domain/store.js';
import { counted, type Key, type Locale, oneDecimalIn, t, whole } from '../src/i18n/index.js';
import type { FilmSummary, MemberActivity, MemberRating, MemberReview, ReviewOrder, TopList } from '../src/members/store.js';
import { safe, truncate } from '../src/reply/format.js';
import { Limits } from '../src/reply/limits.js';
import type { Reply } from '../src/reply/reply.js';
import { bandColour, filmLabel, histogram, humanDate, notice, reviewText, SPOILER_LABEL, stars } from './render.js';

/** The ephemeral answer, in `locale`, of a command that only reads member data, when the database does not answer. */
export const readUnavailable = (locale: Locale): Reply => notice(t(locale, 'server.readUnavailable'));

/** The commands that say, in a DM, that what they show belongs to a server: each has a `members.guildOnly.<command>` text. */
export type GuildOnlyCommand = Key extends infer K ? (K extends `members.guildOnly.${infer C}` ? C : never) : never;

/** Why `command` (about the server's ratings or reviews) has nothing to show in a DM, in `locale`. */
export function guildOnly(locale: Locale, command: GuildOnlyCommand): Reply {
	return notice(t(locale, `members.guildOnly.${command}`));
}

/** A member, as a mention: rendered as their name in Discord, and never a ping (every reply's allowed_mentions is empty). */
export const mention = (userId: string): string => `<@${userId}>`;

/** A member store time (ms since the epoch) as a day, like review dates. */
export const memberDate = (ms: number, locale: Locale): string => humanDate(new Date(ms).toISOString().slice(0, 10), locale);

/**
 * The server block of a film's overview: the members' mean and count with their histogram, a line inviting
 * `/rate` when nobody rated it, or a line saying the ratings are unavailable (`summary` undefined). At most
 * two fields of under 300 characters, whatever the counts: the overview stays within Discord's limits.
 */
export function serverFields(summary: FilmSummary | undefined, reviews: number, locale: Locale): APIEmbedField[] {
	const name = t(locale, 'server.name');
	if (summary === undefined) return [{ name, value: t(locale, 'server.unavailable') }];
	const written = reviews > 0 ? ` · ${counted(locale, reviews, 'memberReview')}` : '';
	if (summary.mean === null) return [{ name, value: t(locale, 'server.unrated', { written }) }];
	const members = counted(locale, summary.count, 'member');
	return [
		{ name, value: t(locale, 'server.mean', { mean: oneDecimalIn(locale, summary.mean), members, written }) },
		{ name: t(locale, 'server.ratings'), value: histogram(summary.histogram) },
	];
}

const ORDER_LABEL = { newest: 'reviews.sort.newest', highest: 'reviews.sort.rating' } as const satisfies Record<ReviewOrder, string>;

/** "newest first", "highest rated first" (in `locale`): the order members' reviews are shown in. */
export const memberOrderText = (locale: Locale, order: ReviewOrder): string =>
	t(locale, 'reviews.order.first', { label: t(locale, ORDER_LABEL[order]).toLowerCase() });

/** A member review's title, escaped and cut, with the spoiler warning kept whole; "Member review" when it has none. */
function memberTitle(review: MemberReview, max: number, locale: Locale): string {
	const label = review.spoiler ? ` · ${SPOILER_LABEL}` : '';
	return `${review.title === '' ? t(locale, 'server.memberReview') : truncate(safe(review.title), max - label.length)}${label}`;
}

/** One member review, as far as an embed allows (as a site review's page), numbered by its place in the order shown. */
export function memberReviewEmbed(
	film: string,
	review: MemberReview,
	index: number,
	total: number,
	order: ReviewOrder,
	locale: Locale,
): APIEmbed {
	const where = {
		film,
		kind: t(locale, 'reviews.kind.member'),
		n: String(index + 1),
		total: String(total),
		order: memberOrderText(locale, order),
	};
	return {
		title: memberTitle(review, Limits.embedTitle, locale),
		description: reviewText(review.body, review.spoiler, 3800),
		color: bandColour(userBand(review.score)),
		fields: [
			{ name: t(locale, 'server.member'), value: mention(review.userId), inline: true },
			{ name: t(locale, 'reviews.rating'), value: stars(review.score, locale), inline: true },
			{ name: t(locale, 'reviews.date'), value: memberDate(review.createdAt, locale), inline: true },
		],
		footer: { text: t(locale, 'reviews.where', where) },
	};
}

/** A film's name, escaped for markdown. */
type FilmName = (filmId: string) => string;

/** Film names from the review store; a film no longer in the library is shown by its id (in code). */
export function filmNames(store: ReviewStore): FilmName {
	return (filmId) => {
		const record = store.film(filmId);
		return record === undefined ? `\`${filmId}\`` : safe(filmLabel(record.film));
	};
}

/** Film names in lists are cut to this many characters: ten lines of the top list stay far within a description. */
const NAME_MAX = 100;
export const TOP_SIZE = 10;

/**
 * The top list: rank, film, the Bayesian average it is ranked by, the raw mean and the count; the footer
 * says how the average is made. At most TOP_SIZE lines of at most ~190 characters.
 */
export function topEmbed(list: TopList, name: FilmName, minRatings: number, locale: Locale): APIEmbed {
	const lines = list.films.slice(0, TOP_SIZE).map((f, i) =>
		t(locale, 'top.line', {
			rank: String(i + 1),
			film: truncate(name(f.filmId), NAME_MAX),
			score: oneDecimalIn(locale, f.score),
			mean: oneDecimalIn(locale, f.mean),
			ratings: counted(locale, f.count, 'rating'),
		}),
	);
	const prior = list.prior.mean === null ? '' : t(locale, 'top.prior', { mean: oneDecimalIn(locale, list.prior.mean) });
	const floor = minRatings > 1 ? t(locale, 'top.floor', { n: whole(locale, minRatings) }) : '';
	return {
		title: t(locale, 'top.title'),
		description: lines.join('\n'),
		color: bandColour(userBand(list.films[0]?.mean ?? null)),
		footer: { text: t(locale, 'top.footer', { weight: whole(locale, list.prior.weight), prior, floor }) },
	};
}

/** A member's page: up to this many ratings (one line each) and this many reviews (one field each). */
const MEMBER_RATINGS_PER_PAGE = 15;
const MEMBER_REVIEWS_PER_PAGE = 3;
/** A review's text on a member's page: with its byline within a field's 1,024, and three with their names beside 15 rating lines within 6,000. */
const MEMBER_REVIEW_MAX = 850;

/** How many pages a member's activity takes (at least one). */
export function memberPages(activity: MemberActivity): number {
	return Math.max(
		1,
		Math.ceil(activity.ratings.length / MEMBER_RATINGS_PER_PAGE),
		Math.ceil(activity.reviews.length / MEMBER_REVIEWS_PER_PAGE),
	);
}

const ratingLine = (r: MemberRating, name: FilmName, locale: Locale): string =>
	`**${truncate(name(r.filmId), NAME_MAX)}** · ${stars(r.score, locale)} · ${memberDate(r.updatedAt, locale)}`;

function reviewField(review: MemberReview, name: FilmName, locale: Locale): APIEmbedField {
	const byline = t(locale, 'member.byline', {
		film: truncate(name(review.filmId), NAME_MAX),
		rating: stars(review.score, locale),
		date: memberDate(review.createdAt, locale),
	});
	return {
		name: memberTitle(review, Limits.fieldName, locale),
		value: `${reviewText(review.body, review.spoiler, MEMBER_REVIEW_MAX)}\n${byline}`,
	};
}

/** Page `page` (0-based) of a member's ratings and reviews in the server, newest first. */
export function memberEmbed(userId: string, activity: MemberActivity, name: FilmName, page: number, locale: Locale): APIEmbed {
	const { ratings, reviews } = activity;
	const shownRatings = ratings.slice(page * MEMBER_RATINGS_PER_PAGE, (page + 1) * MEMBER_RATINGS_PER_PAGE);
	const shownReviews = reviews.slice(page * MEMBER_REVIEWS_PER_PAGE, (page + 1) * MEMBER_REVIEWS_PER_PAGE);
	const head = t(locale, 'member.head', {
		member: mention(userId),
		films: counted(locale, ratings.length, 'film'),
		reviews: counted(locale, reviews.length, 'review'),
	});
	const list = shownRatings.length === 0 ? '' : `\n\n${shownRatings.map((r) => ratingLine(r, name, locale)).join('\n')}`;
	const mean = ratings.length === 0 ? null : ratings.reduce((n, r) => n + r.score, 0) / ratings.length;
	const pages = memberPages(activity);
	const average = mean === null ? t(locale, 'member.noRatings') : t(locale, 'member.mean', { mean: oneDecimalIn(locale, mean) });
	const paged = pages > 1 ? t(locale, 'member.page', { page: whole(locale, page + 1), pages: whole(locale, pages) }) : '';
	return {
		title: t(locale, 'member.title'),
		description: `${head}${list}`,
		color: bandColour(userBand(mean)),
		fields: shownReviews.map((r) => reviewField(r, name, locale)),
		footer: { text: `${average}${paged} · ${memberOrderText(locale, 'newest')}` },
	};
}
