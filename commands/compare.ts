/** `/compare film_a film_b`: two films side by side (critics, audience, the server), the most helpful quote of each, the gaps. */

import { type APIEmbed, type APIEmbedField } from 'discord-api-types/v10';
import { type FilmMeasures, gapOf, type Side } from '../src/domain/measures.js';
import type { FilmInfo } from '../src/domain/store.js';
import type { FilmSummary } from '../src/domain/summary.js';
import { oneDecimal, plural } from '../src/domain/text.js';
import type { FilmSummary as ServerSummary, Result } from '../src/members/store.js';
import { safe, truncate } from '../src/reply/format.js';
import type { Reply } from '../src/reply/reply.js';
import { withCompareChart } from './compare-chart.js';
import { divisiveLine, gapLine, MEASURES_FOOTER, points, serverMeasures, type Who } from './measures-render.js';
import { resolveFilm } from './reviews.js';
import { criticScoreText, filmChoices, filmLabel, filmOption, histogram, notice, reviewText, userReviewField } from './render.js';
import type { Command, CommandData, Context } from './types.js';

const data = {
	name: 'compare',
	description: 'Two films side by side: critics, audience, this server, the most helpful quote of each',
	options: [filmOption('film_a', 'The first film: title or alias'), filmOption('film_b', 'The second film: title or alias')],
} as const satisfies CommandData;

/** A film's name in a column's title, the embed's title, a quote's field name. */
const NAME_MAX = 100;
/** A verdict ("Generally favorable") as printed by the page, cut: it comes from data. */
const VERDICT_MAX = 60;
/** A quote's text: with its byline within a field's 1,024, two of them beside two columns within 6,000. */
const QUOTE_MAX = 280;

/** What the server's side of a film is: its summary, unavailable, or none (a DM). */
type ServerRead = Result<ServerSummary> | null;

/** One film's column: critics, audience with its histogram, the server's with its own, who agrees, what is divisive. */
function column(record: FilmInfo, summary: FilmSummary, server: ServerRead): APIEmbedField {
	const { critics, users } = summary;
	const lines: string[] = [];
	if (critics) {
		const verdict = critics.verdict === null ? '' : `${truncate(safe(critics.verdict.replace(/ reviews$/i, '')), VERDICT_MAX)} · `;
		const mean = critics.meanScore === null ? '' : ` · mean **${Math.round(critics.meanScore)}/100** (${critics.scoredCount} scored)`;
		lines.push(`**Critics** ${verdict}${plural(critics.critics, 'critic')}`);
		lines.push(`${critics.positive} positive · ${critics.mixed} mixed · ${critics.negative} negative${mean}`);
	} else lines.push('**Critics** no reviews yet');
	if (users && users.mean !== null) {
		lines.push(`**Audience** **${oneDecimal(users.mean)}/10** from ${plural(users.ratedCount, 'rating')}`, histogram(users.histogram));
	} else lines.push('**Audience** no ratings yet');
	const members = server?.ok === true ? server.value : undefined;
	if (server !== null) {
		if (!server.ok) lines.push('**This server** unavailable right now');
		else if (server.value.mean === null) lines.push('**This server** no ratings yet');
		else
			lines.push(
				`**This server** **${oneDecimal(server.value.mean)}/10** from ${plural(server.value.count, 'member')}`,
				histogram(server.value.histogram),
			);
	}
	const m = serverMeasures(members);
	const said = [
		gapLine([
			{ who: 'critics', side: record.measures.critics },
			{ who: 'audience', side: record.measures.audience },
			{ who: 'server', side: m.side },
		]),
		divisiveLine('audience', record.measures.divisiveness),
		divisiveLine('server', m.divisiveness),
	].filter((l) => l !== null);
	return { name: truncate(safe(filmLabel(record.film)), NAME_MAX), value: [...lines, ...said].join('\n'), inline: true };
}

/** The most helpful user review of the film as a field, else its first critic review's; none when it has neither. */
function quoteField(ctx: Context, record: FilmInfo, summary: FilmSummary): APIEmbedField | undefined {
	const name = truncate(safe(filmLabel(record.film)), NAME_MAX);
	const helpful = summary.users?.mostHelpful[0];
	if (helpful) return userReviewField(helpful, QUOTE_MAX, `${name} · `);
	const critic = ctx.store.review(record, 'critic', 'helpful', 0);
	if (critic?.kind !== 'critic') return undefined;
	return {
		name: `${name} · critic quote`,
		value: `“${reviewText(critic.excerpt, false, QUOTE_MAX)}”\n— ${truncate(safe(critic.credit), NAME_MAX)} · ${criticScoreText(critic)}`,
	};
}

/** "Critics 80 and 65, 15 points apart · audience …": each side both films have, film A's first. */
function betweenLine(a: FilmMeasures, b: FilmMeasures, sa: Side | null, sb: Side | null): string {
	const sides: [Who, Side | null, Side | null][] = [
		['critics', a.critics, b.critics],
		['audience', a.audience, b.audience],
		['server', sa, sb],
	];
	const parts = sides.flatMap(([who, x, y]) =>
		x === null || y === null ? [] : [`${who} ${points(x)} and ${points(y)}, ${plural(gapOf(x.mean, y.mean).points, 'point')} apart`],
	);
	return parts.length === 0
		? 'No one has scored both films enough to set them side by side on one scale yet.'
		: `On one 0-100 scale, ${parts.join(' · ')}.`;
}

async function serverRead(ctx: Context, filmId: string): Promise<ServerRead> {
	return ctx.guildId === null ? null : ctx.members.filmSummary(ctx.guildId, filmId);
}

export const compare: Command<typeof data> = {
	data,
	async run({ film_a: filmA, film_b: filmB }, ctx): Promise<Reply> {
		const a = resolveFilm(ctx, filmA);
		if ('reply' in a) return a.reply;
		const b = resolveFilm(ctx, filmB);
		if ('reply' in b) return b.reply;
		if (a.record.film.id === b.record.film.id)
			return notice(`Both options name **${safe(filmLabel(a.record.film))}**: pick two different films to compare.`);
		const [serverA, serverB] = await Promise.all([serverRead(ctx, a.record.film.id), serverRead(ctx, b.record.film.id)]);
		const [summaryA, summaryB] = [ctx.store.summary(a.record), ctx.store.summary(b.record)];
		const sideA = serverMeasures(serverA?.ok === true ? serverA.value : undefined).side;
		const sideB = serverMeasures(serverB?.ok === true ? serverB.value : undefined).side;
		const quotes = [quoteField(ctx, a.record, summaryA), quoteField(ctx, b.record, summaryB)].filter((f) => f !== undefined);
		const embed: APIEmbed = {
			title: `${truncate(safe(filmLabel(a.record.film)), NAME_MAX)} vs ${truncate(safe(filmLabel(b.record.film)), NAME_MAX)}`,
			description: betweenLine(a.record.measures, b.record.measures, sideA, sideB),
			fields: [column(a.record, summaryA, serverA), column(b.record, summaryB, serverB), ...quotes],
			footer: { text: MEASURES_FOOTER },
		};
		const [comparedA, comparedB] = [
			{ record: a.record, summary: summaryA, server: serverA },
			{ record: b.record, summary: summaryB, server: serverB },
		];
		return withCompareChart(ctx, embed, comparedA, comparedB);
	},
	autocomplete(_option, typed, ctx) {
		return filmChoices(ctx.store, typed);
	},
};
