/** /compare's chart on its reply: the two films' sides on one scale as an image (src/charts/compare.ts), or the text alone. */

import type { APIEmbed } from 'discord-api-types/v10';
import { cachedChart, type Chart } from '../src/charts/chart.js';
import { type CompareFilm, compareChart } from '../src/charts/compare.js';
import type { FilmInfo } from '../src/domain/store.js';
import type { FilmSummary } from '../src/domain/summary.js';
import type { Result, FilmSummary as ServerSummary } from '../src/members/store.js';
import type { Reply } from '../src/reply/reply.js';
import { filmLabel } from './render.js';
import type { Context } from './types.js';

/** One film as /compare read it: the film, what its reviews add up to, and the server's ratings (null in a DM). */
export interface Compared {
	readonly record: FilmInfo;
	readonly summary: FilmSummary;
	readonly server: Result<ServerSummary> | null;
}

/** The server's ratings of the film when members rated it. */
const rated = (c: Compared): ServerSummary | undefined =>
	c.server?.ok === true && c.server.value.mean !== null ? c.server.value : undefined;

function film(c: Compared): CompareFilm {
	const { critics, users } = c.summary;
	return {
		name: filmLabel(c.record.film),
		critics: critics?.meanScore ?? null,
		audience: users?.mean ?? null,
		server: rated(c)?.mean ?? null,
		ratings: users?.histogram ?? Array<number>(10).fill(0),
	};
}

/** Whether the film has a number the chart would show. */
const drawable = (f: CompareFilm): boolean =>
	f.critics !== null || f.audience !== null || f.server !== null || f.ratings.some((n) => n > 0);

/**
 * The chart of `a` and `b`; undefined when neither film has a number to draw, or drawing failed (logged). Cached
 * by data version (the review store's, both films, the server's ratings of each) and locale.
 */
function chartOf(ctx: Context, a: Compared, b: Compared): Chart | undefined {
	const [fa, fb] = [film(a), film(b)];
	if (!drawable(fa) && !drawable(fb)) return undefined;
	const server = (c: Compared): string => rated(c)?.histogram.join(',') ?? '';
	const key = ['compare', ctx.store.version, a.record.film.id, b.record.film.id, server(a), server(b), ctx.locale].join(':');
	try {
		return cachedChart(key, () => compareChart(ctx.locale, fa, fb));
	} catch (error) {
		ctx.logger?.warn(
			{ err: error, films: [a.record.film.id, b.record.film.id] },
			'could not draw the compare chart; /compare shows its text alone',
		);
		return undefined;
	}
}

/** /compare's reply: `embed` with the chart as its image and the chart's file (its alt text as description), or `embed` alone. */
export function withCompareChart(ctx: Context, embed: APIEmbed, a: Compared, b: Compared): Reply {
	const chart = chartOf(ctx, a, b);
	if (chart === undefined) return { embeds: [embed] };
	return {
		embeds: [{ ...embed, image: { url: `attachment://${chart.name}` } }],
		files: [{ name: chart.name, data: chart.png, description: chart.alt }],
	};
}
