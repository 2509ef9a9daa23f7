/** `/divisive [kind]`: the most divisive films (the site's audience, or this server's members), and where critics and they disagree most. */

import { type APIEmbed, ApplicationCommandOptionType } from 'discord-api-types/v10';
import {
	type Compared,
	type Divisiveness,
	divisiveness,
	DIVISIVE_MIN,
	GAP_MIN,
	GAP_WORDS,
	mostDivisive,
	onHundred,
	PART_AT,
	sideOf,
	widestGaps,
} from '../src/domain/measures.js';
import { oneDecimal, plural } from '../src/domain/text.js';
import { TOP_MAX } from '../src/members/store.js';
import { truncate } from '../src/reply/format.js';
import type { Reply } from '../src/reply/reply.js';
import { agreementText, MEASURES_FOOTER, points } from './measures-render.js';
import { filmNames, guildOnly, READ_UNAVAILABLE } from './members-render.js';
import {} from './render.js';
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
const WHOSE: Record<Kind, { readonly title: string; readonly them: string }> = {
	audience: { title: 'audience', them: 'the audience' },
	server: { title: 'this server', them: 'this server' },
};

/** A divisive film: its id, how divided, and its mean out of 10. */
interface DivisiveFilm {
	readonly filmId: string;
	readonly divisiveness: Divisiveness;
	readonly mean: number;
}

/** The two lists as embeds: the divisive films, then the widest gaps between critics and `kind`, with how both are measured. */
function listsEmbeds(
	ctx: Context,
	kind: Kind,
	divisive: readonly DivisiveFilm[],
	gaps: readonly Compared<string>[],
	note = '',
): APIEmbed[] {
	const name = filmNames(ctx.store);
	const whose = WHOSE[kind];
	const divisiveLines = divisive
		.slice(0, LIST_SIZE)
		.map(
			(f, i) =>
				`${i + 1}. **${truncate(name(f.filmId), NAME_MAX)}** · agreement ${agreementText(f.divisiveness.agreement)} from ${plural(f.divisiveness.count, 'rating')} · mean ${oneDecimal(f.mean)}/10`,
		);
	const gapLines = gaps
		.slice(0, LIST_SIZE)
		.map(
			(g, i) =>
				`${i + 1}. **${truncate(name(g.item), NAME_MAX)}** · ${plural(g.gap.points, 'point')} apart: critics ${points(g.a)}, ${kind === 'audience' ? 'audience' : 'server'} ${points(g.b)} (${GAP_WORDS[g.gap.level]})`,
		);
	return [
		{
			title: `The most divisive films · ${whose.title}`,
			description:
				divisiveLines.length > 0
					? divisiveLines.join('\n')
					: `No film with at least ${plural(DIVISIVE_MIN, 'rating')} from ${whose.them} is divisive.`,
		},
		{
			title: `Where critics and ${whose.them} disagree most`,
			description:
				gapLines.length > 0
					? gapLines.join('\n')
					: `No film where critics and ${whose.them} part ways (${PART_AT} points or more, with at least ${GAP_MIN} scores of each).`,
			footer: { text: `${MEASURES_FOOTER}${note}` },
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
 * The server's lists, from its films with at least GAP_MIN ratings: the member store ranks them (up to TOP_MAX,
 * best-rated first) with their means; the films with DIVISIVE_MIN or more are read for their histograms.
 */
async function server(ctx: Context, guildId: string): Promise<Reply> {
	const top = await ctx.members.top(guildId, GAP_MIN, TOP_MAX);
	if (!top.ok) return READ_UNAVAILABLE;
	if (top.value.prior.mean === null) return { content: 'No member of this server has rated a film yet: start with `/rate`.' };
	const rated = top.value.films;
	const read = await Promise.all(
		rated.filter((f) => f.count >= DIVISIVE_MIN).map(async (f) => ({ film: f, summary: await ctx.members.filmSummary(guildId, f.filmId) })),
	);
	const histograms: DivisiveFilm[] = [];
	for (const { film, summary } of read) {
		if (!summary.ok) return READ_UNAVAILABLE;
		const d = divisiveness(summary.value.histogram);
		if (d !== null) histograms.push({ filmId: film.filmId, divisiveness: d, mean: film.mean });
	}
	const divisive = mostDivisive(histograms, (f) => f.divisiveness).map((r) => r.item);
	const gaps = widestGaps(rated, (f) => [ctx.store.film(f.filmId)?.measures.critics ?? null, sideOf(onHundred(f.mean), f.count)]).map(
		(g) => ({ ...g, item: g.item.filmId }),
	);
	const note = rated.length >= TOP_MAX ? ` Among the server's ${TOP_MAX} best-rated films with ${GAP_MIN} or more ratings.` : '';
	return { embeds: listsEmbeds(ctx, 'server', divisive, gaps, note) };
}

export const divisive: Command<typeof data> = {
	data,
	async run({ kind = 'audience' }, ctx): Promise<Reply> {
		if (kind === 'audience') return audience(ctx);
		if (ctx.guildId === null) return guildOnly(ctx.locale, 'divisive');
		return server(ctx, ctx.guildId);
	},
};
