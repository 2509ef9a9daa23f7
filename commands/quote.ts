/** `/quote random`: a few whole sentences of a random review, never the channel's last quote twice in a row. */

import { type APIEmbed, type APIEmbedField, ApplicationCommandOptionType } from 'discord-api-types/v10';
import { z } from 'zod';
import { userBand } from '../src/domain/bands.js';
import type { Band } from '../src/domain/schema.js';
import type { AnyReview } from '../src/domain/store.js';
import { sentences } from '../src/domain/text.js';
import { t } from '../src/i18n/index.js';
import type { MemberReview, Result } from '../src/members/store.js';
import { safe, truncate } from '../src/reply/format.js';
import type { Reply } from '../src/reply/reply.js';
import { guildOnly, memberDate, mention, readUnavailable } from './members-render.js';
import { memberReviewAt, resolveFilm } from './reviews.js';
import { bandColour, criticScoreText, filmChoices, filmLabel, humanDate, notice, SPOILER_LABEL, stars } from './render.js';
import type { Command, CommandData, Context } from './types.js';

const data = {
	name: 'quote',
	description: 'Quotes from the reviews',
	options: [
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'random',
			description: 'A random quote from a review, with who said it',
			options: [
				{
					type: ApplicationCommandOptionType.String,
					name: 'film',
					description: 'Only from this film',
					autocomplete: true,
					max_length: 200,
				},
				{
					type: ApplicationCommandOptionType.String,
					name: 'kind',
					description: "Only from user reviews, only from critics, or only from this server's members",
					choices: [
						{ name: 'user', value: 'user' },
						{ name: 'critic', value: 'critic' },
						{ name: 'member', value: 'member' },
					],
				},
			],
		},
	],
} as const satisfies CommandData;

/** A quote is whole sentences: up to this many characters, or one sentence cut on a word if even that is longer. */
const QUOTE_MAX = 300;

/** One or a few whole sentences of `text`, starting at a sentence picked with `random`. */
function pickQuote(text: string, random: () => number): string {
	const all = sentences(text);
	const indexed = all.map((s, i) => ({ ...s, i }));
	const fits = indexed.filter((s) => s.text.length >= 20 && s.text.length <= QUOTE_MAX);
	const pool = fits.length > 0 ? fits : indexed;
	const start = pool[Math.floor(random() * pool.length)] ?? { text, i: 0, paragraph: 0 };
	let quote = start.text;
	// Add following sentences of the same paragraph while the quote is short.
	for (let i = start.i + 1; i < all.length; i++) {
		const next = all[i];
		if (!next || next.paragraph !== start.paragraph || quote.length + 1 + next.text.length > QUOTE_MAX || quote.length >= 120) break;
		quote = `${quote} ${next.text}`;
	}
	return quote.length > QUOTE_MAX * 2 ? truncate(quote, QUOTE_MAX * 2) : quote;
}

/** A quote as an embed: the words (behind a spoiler tag when the review warns of spoilers), who said them, and about what. */
interface QuoteCard {
	readonly quote: string;
	/** Who said it, as markdown. */
	readonly who: string;
	readonly filmId: string;
	readonly spoiler: boolean;
	readonly band: Band | null;
	readonly fields: APIEmbedField[];
	/** Whose review it is: the footer says "User review", "Critic review" or "Member review". */
	readonly source: 'user' | 'critic' | 'member';
}

function quoteEmbed(ctx: Context, card: QuoteCard): APIEmbed {
	const { locale } = ctx;
	const record = ctx.store.film(card.filmId);
	const film = record ? filmLabel(record.film) : card.filmId;
	const text = `“${safe(card.quote)}”`;
	return {
		...(card.spoiler ? { title: `${SPOILER_LABEL}: ${t(locale, 'quote.spoiler')}` } : {}),
		description: `${card.spoiler ? `||${text}||` : text}\n${t(locale, 'quote.byline', { who: card.who, film: safe(film) })}`,
		color: bandColour(card.band),
		fields: card.fields,
		footer: { text: `${t(locale, `quote.source.${card.source}`)} · ${film}` },
	};
}

/** What a rated review's quote shows beside the words (a user's or a member's): its rating, date and title. */
interface Rated {
	readonly filmId: string;
	readonly rating: number | null;
	/** Shown as is. */
	readonly date: string;
	/** None when empty. */
	readonly title: string;
	readonly spoiler: boolean;
}

function ratedQuote(ctx: Context, quote: string, review: Rated, who: string, source: 'user' | 'member'): APIEmbed {
	const { locale } = ctx;
	const fields = [
		{ name: t(locale, 'reviews.rating'), value: stars(review.rating, locale), inline: true },
		{ name: t(locale, 'reviews.date'), value: review.date, inline: true },
		...(review.title === '' ? [] : [{ name: t(locale, 'quote.fromReview'), value: safe(review.title), inline: false }]),
	];
	return quoteEmbed(ctx, { quote, who, filmId: review.filmId, spoiler: review.spoiler, band: userBand(review.rating), fields, source });
}

function siteQuote(ctx: Context, review: AnyReview, quote: string): APIEmbed {
	const { locale } = ctx;
	if (review.kind === 'user')
		return ratedQuote(ctx, quote, { ...review, date: humanDate(review.date, locale) }, `**${safe(review.author)}**`, 'user');
	const fields = [
		{ name: t(locale, 'reviews.score'), value: criticScoreText(review, locale), inline: true },
		{ name: t(locale, 'reviews.date'), value: humanDate(review.date, locale), inline: true },
	];
	return quoteEmbed(ctx, {
		quote,
		who: `**${safe(review.credit)}**`,
		filmId: review.filmId,
		spoiler: false,
		band: review.band,
		fields,
		source: 'critic',
	});
}

function memberQuote(ctx: Context, review: MemberReview, quote: string): APIEmbed {
	const rated = { ...review, rating: review.score, date: memberDate(review.createdAt, ctx.locale) };
	return ratedQuote(ctx, quote, rated, `**${mention(review.userId)}**`, 'member');
}

/** One of a film's member reviews in the server, drawn with `ctx.random`; null when it has none. */
async function drawFilmReview(ctx: Context, guildId: string, filmId: string): Promise<Result<MemberReview | null>> {
	const count = await ctx.members.memberReviews(guildId, filmId, { order: 'newest', limit: 1 });
	if (!count.ok) return count;
	if (count.value.total === 0) return { ok: true, value: null };
	const drawn = await memberReviewAt(ctx, guildId, filmId, 'newest', Math.floor(ctx.random() * count.value.total), null);
	return drawn.ok ? { ok: true, value: drawn.value.review ?? null } : drawn;
}

/**
 * A quote of a member review of this server (of one film, or of any: the database draws). Member quotes
 * are drawn afresh each time: the channel's last quote is not held back as site quotes' is.
 */
async function quoteMember(ctx: Context, filmId: string | undefined): Promise<Reply> {
	if (ctx.guildId === null) return guildOnly(ctx.locale, 'quote');
	const drawn = filmId === undefined ? await ctx.members.randomReview(ctx.guildId) : await drawFilmReview(ctx, ctx.guildId, filmId);
	if (!drawn.ok) return readUnavailable(ctx.locale);
	if (drawn.value === null) {
		const ofFilm = filmId === undefined ? '' : t(ctx.locale, 'quote.noMemberReview.ofFilm');
		return notice(t(ctx.locale, 'quote.noMemberReview', { ofFilm }));
	}
	return { embeds: [memberQuote(ctx, drawn.value, pickQuote(drawn.value.body, ctx.random))] };
}

export const quote: Command<typeof data> = {
	data,
	async run({ film, kind }, ctx): Promise<Reply> {
		let filmId: string | undefined;
		if (film !== undefined) {
			const resolved = resolveFilm(ctx, film);
			if ('reply' in resolved) return resolved.reply;
			filmId = resolved.record.film.id;
		}
		if (kind === 'member') return quoteMember(ctx, filmId);
		// Reviews are numbered film by film (users, then critics); the store finds the n-th on its indexes.
		const pool = { kind, filmId };
		const total = ctx.store.quoteTotal(pool);
		// The same channel does not get the same quote twice in a row while others remain.
		const lastKey = `quote:last:${ctx.channelId}`;
		const last = await ctx.cache.get(lastKey, z.string());
		const lastAt = last === undefined ? undefined : ctx.store.quoteIndexOf(pool, last);
		if (total === 0) {
			const reviews = t(ctx.locale, `quote.none.${kind ?? 'any'}`);
			const forFilm = film === undefined ? '' : t(ctx.locale, 'quote.none.forFilm');
			return notice(t(ctx.locale, 'quote.none', { reviews, forFilm }));
		}
		// With the last quote in the pool: draw among all but the last slot, and if the draw is the last
		// quote, take the last slot's review instead (uniform over every other review).
		const avoid = total > 1 && lastAt !== undefined;
		const drawn = Math.floor(ctx.random() * (avoid ? total - 1 : total));
		const review = ctx.store.quoteAt(pool, avoid && drawn === lastAt ? total - 1 : drawn);
		if (!review) return notice(t(ctx.locale, 'quote.nothing'));
		// Remembered for the cache's lifetime (CACHE_TTL_SECONDS), as the README says.
		await ctx.cache.set(lastKey, review.id);
		const text = review.kind === 'user' ? review.body : review.excerpt;
		return { embeds: [siteQuote(ctx, review, pickQuote(text, ctx.random))] };
	},
	autocomplete(_option, typed, ctx) {
		return filmChoices(ctx.store, typed);
	},
};
