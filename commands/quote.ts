/** `/quote random`: a few whole sentences of a random review, never the channel's last quote twice in a row. */

import { type APIEmbed, ApplicationCommandOptionType } from 'discord-api-types/v10';
import { z } from 'zod';
import { userBand } from '../src/domain/bands.js';
import type { AnyReview } from '../src/domain/store.js';
import { sentences } from '../src/domain/text.js';
import { safe, truncate } from '../src/reply/format.js';
import type { Reply } from '../src/reply/reply.js';
import { resolveFilm } from './reviews.js';
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
					description: 'Only from user reviews or only from critics',
					choices: [
						{ name: 'user', value: 'user' },
						{ name: 'critic', value: 'critic' },
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

function quoteEmbed(ctx: Context, review: AnyReview, quote: string): APIEmbed {
	const record = ctx.store.film(review.filmId);
	const film = record ? filmLabel(record.film) : review.filmId;
	const spoiler = review.kind === 'user' && review.spoiler;
	const text = `“${safe(quote)}”`;
	const who = review.kind === 'user' ? review.author : review.credit;
	const fields =
		review.kind === 'user'
			? [
					{ name: 'Rating', value: stars(review.rating), inline: true },
					{ name: 'Date', value: humanDate(review.date), inline: true },
					{ name: 'From the review', value: safe(review.title), inline: false },
				]
			: [
					{ name: 'Score', value: criticScoreText(review), inline: true },
					{ name: 'Date', value: humanDate(review.date), inline: true },
				];
	return {
		...(spoiler ? { title: `${SPOILER_LABEL}: this review warns of spoilers` } : {}),
		description: `${spoiler ? `||${text}||` : text}\n— **${safe(who)}** on *${safe(film)}*`,
		color: bandColour(review.kind === 'user' ? userBand(review.rating) : review.band),
		fields,
		footer: { text: `${review.kind === 'user' ? 'User review' : 'Critic review'} · ${film}` },
	};
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
		// Reviews are numbered film by film (users, then critics); the store finds the n-th on its indexes.
		const pool = { kind, filmId };
		const total = ctx.store.quoteTotal(pool);
		// The same channel does not get the same quote twice in a row while others remain.
		const lastKey = `quote:last:${ctx.channelId}`;
		const last = await ctx.cache.get(lastKey, z.string());
		const lastAt = last === undefined ? undefined : ctx.store.quoteIndexOf(pool, last);
		if (total === 0) {
			return notice(
				`There are no ${kind === undefined ? '' : `${kind} `}reviews to quote${film === undefined ? '' : ' for that film'} yet.`,
			);
		}
		// With the last quote in the pool: draw among all but the last slot, and if the draw is the last
		// quote, take the last slot's review instead (uniform over every other review).
		const avoid = total > 1 && lastAt !== undefined;
		const drawn = Math.floor(ctx.random() * (avoid ? total - 1 : total));
		const review = ctx.store.quoteAt(pool, avoid && drawn === lastAt ? total - 1 : drawn);
		if (!review) return notice('There is nothing to quote yet.');
		// Remembered for the cache's lifetime (CACHE_TTL_SECONDS), as the README says.
		await ctx.cache.set(lastKey, review.id);
		const text = review.kind === 'user' ? review.body : review.excerpt;
		return { embeds: [quoteEmbed(ctx, review, pickQuote(text, ctx.random))] };
	},
	autocomplete(_option, typed, ctx) {
		return filmChoices(ctx.store, typed);
	},
};
