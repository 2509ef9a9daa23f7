/** `/critic`: one critic's reviews across films, newest first. */

import { type APIEmbed, ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { CriticEntry } from '../src/domain/store.js';
import { criticMean } from '../src/domain/summary.js';
import { nameKey } from '../src/domain/text.js';
import { counted, t } from '../src/i18n/index.js';
import { safe, truncate } from '../src/reply/format.js';
import { EmbedSchema } from '../src/reply/reply.js';
import { bandColour, filmLabel, humanDate, pageKey, reviewText, unknownCritic } from './render.js';
import type { Command, CommandData, Context } from './types.js';

const data = {
	name: 'critic',
	description: "One critic's reviews across films",
	options: [
		{
			type: ApplicationCommandOptionType.String,
			name: 'name',
			description: 'Critic name, e.g. Noel Murray (a surname is enough)',
			required: true,
			autocomplete: true,
			max_length: 200,
		},
	],
} as const satisfies CommandData;

const SHOWN = 10;

function criticEmbed(ctx: Context, critic: CriticEntry): APIEmbed {
	const { locale } = ctx;
	const all = ctx.store.criticReviews(critic);
	const filmIds = new Set(all.map((r) => r.filmId));
	const reviews = all.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
	const { mean } = criticMean(reviews);
	const summary = [
		t(locale, 'critic.summary', { reviews: counted(locale, reviews.length, 'review'), films: counted(locale, filmIds.size, 'film') }),
		mean === null ? null : t(locale, 'critic.mean', { score: String(Math.round(mean)) }),
		critic.person ? null : t(locale, 'critic.unattributed'),
	].filter((p) => p !== null);
	const band = reviews.find((r) => r.band !== null)?.band ?? null;
	return {
		title: safe(critic.credit),
		description: summary.join(' · '),
		color: bandColour(band),
		fields: reviews.slice(0, SHOWN).map((r) => {
			const film = ctx.store.film(r.filmId);
			const head = [film ? filmLabel(film.film) : r.filmId, humanDate(r.date, locale), r.score === null ? null : `${r.score}/100`].filter(
				(p) => p !== null,
			);
			return { name: truncate(safe(head.join(' · ')), 256), value: reviewText(r.excerpt, false, 900) };
		}),
		...(reviews.length > SHOWN
			? { footer: { text: t(locale, 'critic.footer', { shown: String(SHOWN), reviews: counted(locale, reviews.length, 'review') }) } }
			: {}),
	};
}

export const critic: Command<typeof data> = {
	data,
	async run({ name }, ctx) {
		// Not cached: the in-memory lookup is far cheaper than a round trip to an external cache store.
		const found = ctx.store.findCritic(name);
		if (!found.found) return unknownCritic(ctx.locale, name, found.suggestions);
		const critic = found.critic;
		const key = pageKey('critic-page', ctx.store, ctx.locale, nameKey(critic.credit));
		const { value } = await ctx.cache.getOrCompute(key, EmbedSchema, () => criticEmbed(ctx, critic));
		return { embeds: [value] };
	},
	autocomplete(_option, typed, ctx) {
		return ctx.store.searchCritics(typed, 25).map(({ item }) => ({
			name: `${item.credit} · ${counted(ctx.locale, item.count, 'review')}`,
			value: item.credit,
		}));
	},
};
