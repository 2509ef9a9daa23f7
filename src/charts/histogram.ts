/**
 * The rating histogram as an image: one panel per set of 1-10 ratings (the audience's, then the server's when
 * members rated the film), drawn as an SVG built here and rendered to a PNG, with alt text that says every count
 * and the mean, in the locale asked for.
 */
import { userBand } from '../domain/bands.js';
import { counted, type Locale, oneDecimalIn, t, whole } from '../i18n/index.js';
import { type Chart, renderChart } from './chart.js';
import { BAR, card, COLOURS, HALO, rect, round, sum, text } from './draw.js';

/** One panel: whose ratings, ten counts (`counts[0]` gave 1, ..., `counts[9]` gave 10) and their mean. */
export interface RatingSeries {
	readonly who: 'audience' | 'server';
	readonly counts: readonly number[];
	readonly mean: number | null;
}

export const HISTOGRAM_NAME = 'ratings.png';

const WIDTH = 520;
const PAD = 16;
/** One panel: header, count labels, bars, rating labels. */
const PANEL = 188;
const GAP = 12;
const BAR_MAX = 104;

/** "Audience", "Denne server". */
export const seriesLabel = (locale: Locale, who: RatingSeries['who']): string =>
	t(locale, who === 'audience' ? 'reviews.audience' : 'server.name');

function panel(locale: Locale, series: RatingSeries, top: number): string {
	const total = sum(series.counts);
	const max = Math.max(1, ...series.counts);
	const mean =
		series.mean === null
			? t(locale, 'chart.noRatings')
			: t(locale, 'chart.mean', { mean: oneDecimalIn(locale, series.mean), ratings: counted(locale, total, 'rating') });
	const out = [
		text(PAD, top + 20, seriesLabel(locale, series.who), 17, COLOURS.text, ' font-weight="700"'),
		text(WIDTH - PAD, top + 20, mean, 14, COLOURS.muted, ' text-anchor="end"'),
	];
	const left = PAD + 4;
	const slot = (WIDTH - 2 * (PAD + 4)) / 10;
	const base = top + 36 + 18 + BAR_MAX;
	const heights = series.counts.map((count) => (count === 0 ? 0 : Math.max(2, (count / max) * BAR_MAX)));
	const centre = (i: number): number => left + slot * (i + 0.5);
	heights.forEach((height, i) => {
		if (height === 0) return;
		out.push(rect(centre(i) - slot * 0.35, base - height, slot * 0.7, height, BAR[userBand(i + 1) ?? 'mixed']));
	});
	if (series.mean !== null) {
		// The mean on the bars' axis (rating r sits at the centre of slot r): white, dashed, edged in the card's
		// colour so it shows over a bar as over the card.
		const x = round(left + slot * (series.mean - 0.5));
		const line = `x1="${x}" y1="${top + 40}" x2="${x}" y2="${base}"`;
		out.push(`<line ${line} stroke="${COLOURS.card}" stroke-width="4"/>`);
		out.push(`<line ${line} stroke="${COLOURS.mean}" stroke-width="2" stroke-dasharray="5 4"/>`);
	}
	heights.forEach((height, i) => {
		// A halo of the card's colour keeps a count legible where the mean's line passes behind it.
		out.push(text(centre(i), base - height - 5, whole(locale, series.counts[i] ?? 0), 12, COLOURS.muted, ` text-anchor="middle"${HALO}`));
		out.push(text(centre(i), base + 18, String(i + 1), 13, COLOURS.text, ' text-anchor="middle" font-weight="700"'));
	});
	out.push(`<line x1="${left}" y1="${base + 0.5}" x2="${WIDTH - left}" y2="${base + 0.5}" stroke="${COLOURS.axis}" stroke-width="1"/>`);
	return out.join('');
}

/** The histogram's SVG: one panel per series, stacked, on an opaque card. */
export function histogramSvg(locale: Locale, series: readonly RatingSeries[]): { svg: string; width: number; height: number } {
	const height = 2 * PAD + series.length * PANEL + Math.max(0, series.length - 1) * GAP;
	return card(WIDTH, height, series.map((s, i) => panel(locale, s, PAD + i * (PANEL + GAP))).join(''));
}

/** "1: 0, 2: 3, …, 10: 12": every bar's count. */
export const barsAlt = (locale: Locale, counts: readonly number[]): string =>
	counts.map((n, i) => `${i + 1}: ${whole(locale, n)}`).join(', ');

/** The alt text: what the chart is of, then each series' count, mean and every bar's count. */
export function histogramAlt(locale: Locale, film: string, series: readonly RatingSeries[]): string {
	const parts = series.map((s) => {
		const summary =
			s.mean === null
				? t(locale, 'chart.noRatings')
				: t(locale, 'chart.summary', { ratings: counted(locale, sum(s.counts), 'rating'), mean: oneDecimalIn(locale, s.mean) });
		return t(locale, 'chart.seriesAlt', { label: seriesLabel(locale, s.who), summary, bars: barsAlt(locale, s.counts) });
	});
	return t(locale, 'chart.histogramAlt', { film, series: parts.join(' ') });
}

/** The histogram of `series` for `film` in `locale`, drawn now. Throws when it would pass CHART_MAX_BYTES. */
export function ratingChart(locale: Locale, film: string, series: readonly RatingSeries[]): Chart {
	return renderChart(HISTOGRAM_NAME, histogramSvg(locale, series), histogramAlt(locale, film, series));
}
