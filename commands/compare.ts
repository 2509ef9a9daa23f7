/** `/compare film_a film_b`: two films side by side (critics, audience, the server), the most helpful quote of each, the gaps. */

import { type APIEmbed, type APIEmbedField } from 'discord-api-types/v10';
import { type FilmMeasures, gapOf, type Side } from '../src/domain/measures.js';
import type { FilmInfo } from '../src/domain/store.js';
import type { FilmSummary } from '../src/domain/summary.js';
import { type Locale, t, counted, oneDecimalIn } from '../src/i18n/index.js';
import type { FilmSummary as ServerSummary, Result } from '../src/members/store.js';
import { safe, truncate } from '../src/reply/format.js';
import { Limits } from '../src/reply/limits.js';
import type { Reply } from '../src/reply/reply.js';
import { withCompareChart } from './compare-chart.js';
import { apartText, divisiveLine, gapLine, measuresFooter, points, serverMeasures, type Who, whoText } from './measures-render.js';
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

/** A column's line about one side: its name in bold, then what it says. */
const said = (label: string, text: string): string => `**${label}** ${text}`;

/** One film's column: critics, audience with its histogram, the server's with its own, who agrees, what is divisive. */
function column(locale: Locale, record: FilmInfo, summary: FilmSummary, server: ServerRead): APIEmbedField {
	const { critics, users } = summary;
	const lines: string[] = [];
	const criticsName = t(locale, 'reviews.critics');
	if (critics) {
		const verdict = critics.verdict === null ? '' : `${truncate(safe(critics.verdict.replace(/ reviews$/i, '')), VERDICT_MAX)} · `;
		const spread = [
			t(locale, 'reviews.positive', { n: String(critics.positive) }),
			t(locale, 'reviews.mixed', { n: String(critics.mixed) }),
			t(locale, 'reviews.negative', { n: String(critics.negative) }),
		];
		if (critics.meanScore !== null)
			spread.push(t(locale, 'compare.criticMean', { score: String(Math.round(critics.meanScore)), n: String(critics.scoredCount) }));
		lines.push(said(criticsName, `${verdict}${counted(locale, critics.critics, 'critic')}`), spread.join(' · '));
	} else lines.push(said(criticsName, t(locale, 'compare.noReviews')));
	const audienceName = t(locale, 'reviews.audience');
	let audienceHistogram: number | undefined;
	let serverHistogram: number | undefined;
	if (users && users.mean !== null) {
		const mean = t(locale, 'reviews.mean', {
			mean: oneDecimalIn(locale, users.mean),
			ratings: counted(locale, users.ratedCount, 'rating'),
		});
		lines.push(said(audienceName, mean));
		audienceHistogram = lines.push(histogram(users.histogram)) - 1;
	} else lines.push(said(audienceName, t(locale, 'compare.noRatings')));
	const members = server?.ok === true ? server.value : undefined;
	if (server !== null) {
		const serverName = t(locale, 'server.name');
		if (!server.ok) lines.push(said(serverName, t(locale, 'compare.unavailable')));
		else if (server.value.mean === null) lines.push(said(serverName, t(locale, 'compare.noRatings')));
		else {
			const mean = oneDecimalIn(locale, server.value.mean);
			const text = t(locale, 'server.mean', { mean, members: counted(locale, server.value.count, 'member'), written: '' });
			lines.push(said(serverName, text));
			serverHistogram = lines.push(histogram(server.value.histogram)) - 1;
		}
	}
	const m = serverMeasures(members);
	const measures = [
		gapLine(locale, [
			{ who: 'critics', side: record.measures.critics },
			{ who: 'audience', side: record.measures.audience },
			{ who: 'server', side: m.side },
		]),
		divisiveLine('audience', record.measures.divisiveness, locale),
		divisiveLine('server', m.divisiveness, locale),
	].filter((l) => l !== null);
	const value = fitted([...lines, ...measures], [serverHistogram, audienceHistogram]);
	return { name: truncate(safe(filmLabel(record.film)), NAME_MAX), value, inline: true };
}

/**
 * A column's lines, joined. Past a field's limit (large counts, both sides divisive, the longer Danish words) the
 * text histograms at `droppable` give way, the server's first, rather than the reply's check cutting the last line.
 */
function fitted(lines: readonly string[], droppable: readonly (number | undefined)[]): string {
	const dropped = new Set<number>();
	const text = (): string => lines.filter((_, i) => !dropped.has(i)).join('\n');
	for (const i of droppable) if (i !== undefined && text().length > Limits.fieldValue) dropped.add(i);
	return text();
}

/** The most helpful user review of the film as a field, else its first critic review's; none when it has neither. */
function quoteField(ctx: Context, record: FilmInfo, summary: FilmSummary): APIEmbedField | undefined {
	const name = truncate(safe(filmLabel(record.film)), NAME_MAX);
	const helpful = summary.users?.mostHelpful[0];
	if (helpful) return userReviewField(helpful, ctx.locale, QUOTE_MAX, `${name} · `);
	const critic = ctx.store.review(record, 'critic', 'helpful', 0);
	if (critic?.kind !== 'critic') return undefined;
	return {
		name: t(ctx.locale, 'compare.criticQuote', { film: name }),
		value: `“${reviewText(critic.excerpt, false, QUOTE_MAX)}”\n— ${truncate(safe(critic.credit), NAME_MAX)} · ${criticScoreText(critic, ctx.locale)}`,
	};
}

/** "Critics 80 and 65, 15 points apart · audience …": each side both films have, film A's first. */
function betweenLine(locale: Locale, a: FilmMeasures, b: FilmMeasures, sa: Side | null, sb: Side | null): string {
	const sides: [Who, Side | null, Side | null][] = [
		['critics', a.critics, b.critics],
		['audience', a.audience, b.audience],
		['server', sa, sb],
	];
	const parts = sides.flatMap(([who, x, y]) =>
		x === null || y === null
			? []
			: [
					t(locale, 'compare.betweenSide', {
						who: whoText(locale, who),
						a: points(x),
						b: points(y),
						apart: apartText(locale, gapOf(x.mean, y.mean).points),
					}),
				],
	);
	return parts.length === 0 ? t(locale, 'compare.betweenNone') : t(locale, 'compare.between', { sides: parts.join(' · ') });
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
		if (a.record.film.id === b.record.film.id) return notice(t(ctx.locale, 'compare.sameFilm', { film: safe(filmLabel(a.record.film)) }));
		const [serverA, serverB] = await Promise.all([serverRead(ctx, a.record.film.id), serverRead(ctx, b.record.film.id)]);
		const [summaryA, summaryB] = [ctx.store.summary(a.record), ctx.store.summary(b.record)];
		const sideA = serverMeasures(serverA?.ok === true ? serverA.value : undefined).side;
		const sideB = serverMeasures(serverB?.ok === true ? serverB.value : undefined).side;
		const quotes = [quoteField(ctx, a.record, summaryA), quoteField(ctx, b.record, summaryB)].filter((f) => f !== undefined);
		const embed: APIEmbed = {
			title: t(ctx.locale, 'compare.title', {
				a: truncate(safe(filmLabel(a.record.film)), NAME_MAX),
				b: truncate(safe(filmLabel(b.record.film)), NAME_MAX),
			}),
			description: betweenLine(ctx.locale, a.record.measures, b.record.measures, sideA, sideB),
			fields: [column(ctx.locale, a.record, summaryA, serverA), column(ctx.locale, b.record, summaryB, serverB), ...quotes],
			footer: { text: measuresFooter(ctx.locale) },
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
