/** `/divisive [kind]`: the most divisive films (the site's audience, or this server's members), and where critics and they disagree most. */

import { type APIEmbed, ApplicationCommandOptionType } from 'discord-api-types/v10';
import { type Compared, type Divisiveness, DIVISIVE_MIN, GAP_MIN, mostDivisive, PART_AT, widestGaps } from '../src/domain/measures.js';
import { t, counted, oneDecimalIn } from '../src/i18n/index.js';
import { truncate } from '../src/reply/format.js';
import type { Reply } from '../src/reply/reply.js';
import { agreementText, apartText, measuresFooter, points, serverMeasures, whoText } from './measures-render.js';
import { filmNames, guildOnly, readUnavailable } from './members-render.js';
import type { Command, CommandData, Context } from './types.js';

const data = {
	name: 'divisive',
	description: 'The most divisive films, and where critics and the audience (or this server) disagree most',
	options: [
		{
			type: ApplicationCommandOptionType.String,
			name: 'kind',
			description: "Whose ratings: the site's audience (default) or this server's members",
			choices: [
				{ name: 'audience', value: 'audience' },
				{ name: 'server', value: 'server' },
			],
		},
	],
} as const satisfies CommandData;

/** Films per list. */
export const LIST_SIZE = 10;
/** Film names in the lists are cut to this many characters: ten lines stay far within a description. */
const NAME_MAX = 80;

type Kind = 'audience' | 'server';

/** A divisive film: its id, how divided, and its mean out of 10. */
interface DivisiveFilm {
	readonly filmId: string;
	readonly divisiveness: Divisiveness;
	readonly mean: number;
}

/** The two lists as embeds: the divisive films, then the widest gaps between critics and `kind`, with how both are measured. */
function listsEmbeds(ctx: Context, kind: Kind, divisive: readonly DivisiveFilm[], gaps: readonly Compared<string>[]): APIEmbed[] {
	const { locale } = ctx;
	const name = filmNames(ctx.store);
	const divisiveLines = divisive.slice(0, LIST_SIZE).map((f, i) =>
		t(locale, 'divisive.line', {
			rank: String(i + 1),
			film: truncate(name(f.filmId), NAME_MAX),
			agreement: agreementText(locale, f.divisiveness.agreement),
			ratings: counted(locale, f.divisiveness.count, 'rating'),
			mean: oneDecimalIn(locale, f.mean),
		}),
	);
	const gapLines = gaps.slice(0, LIST_SIZE).map((g, i) =>
		t(locale, 'divisive.gapLine', {
			rank: String(i + 1),
			film: truncate(name(g.item), NAME_MAX),
			apart: apartText(locale, g.gap.points),
			a: points(g.a),
			who: whoText(locale, kind),
			b: points(g.b),
			level: t(locale, `divisive.level.${g.gap.level}`),
		}),
	);
	return [
		{
			title: t(locale, `divisive.title.${kind}`),
			description:
				divisiveLines.length > 0
					? divisiveLines.join('\n')
					: t(locale, `divisive.noneDivisive.${kind}`, { ratings: counted(locale, DIVISIVE_MIN, 'rating') }),
		},
		{
			title: t(locale, `divisive.gapsTitle.${kind}`),
			description:
				gapLines.length > 0
					? gapLines.join('\n')
					: t(locale, `divisive.noGaps.${kind}`, { partAt: String(PART_AT), gapMin: String(GAP_MIN) }),
			footer: { text: measuresFooter(locale) },
		},
	];
}

function audience(ctx: Context): Reply {
	const { divisive, gaps } = ctx.store.rankings();
	const films = divisive.map(({ item, divisiveness: d }) => ({
		filmId: item.film.id,
		divisiveness: d,
		mean: (item.measures.audience?.mean ?? 0) / 10,
	}));
	const compared = gaps.map((g) => ({ ...g, item: g.item.film.id }));
	return { embeds: listsEmbeds(ctx, 'audience', films, compared) };
}

/**
 * The server's lists, from every film its members rated, read with their histograms in one query: the divisive
 * ones of those with DIVISIVE_MIN or more ratings, and where critics and the server part (GAP_MIN or more each).
 */
async function server(ctx: Context, guildId: string): Promise<Reply> {
	const rated = await ctx.members.ratedFilms(guildId);
	if (!rated.ok) return readUnavailable(ctx.locale);
	if (rated.value.length === 0) return { content: t(ctx.locale, 'divisive.noRatings') };
	const films = rated.value.map((f) => ({ filmId: f.filmId, mean: f.mean, ...serverMeasures(f) }));
	const divisive = mostDivisive(films, (f) => f.divisiveness).map(({ item, divisiveness: d }) => ({
		filmId: item.filmId,
		divisiveness: d,
		mean: item.mean,
	}));
	const gaps = widestGaps(films, (f) => [ctx.store.film(f.filmId)?.measures.critics ?? null, f.side]).map((g) => ({
		...g,
		item: g.item.filmId,
	}));
	return { embeds: listsEmbeds(ctx, 'server', divisive, gaps) };
}

export const divisive: Command<typeof data> = {
	data,
	async run({ kind = 'audience' }, ctx): Promise<Reply> {
		if (kind === 'audience') return audience(ctx);
		if (ctx.guildId === null) return guildOnly(ctx.locale, 'divisive');
		return server(ctx, ctx.guildId);
	},
};
