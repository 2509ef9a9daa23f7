/**
 * The rating histogram as an image: one panel per set of 1-10 ratings (the audience's, then the server's when
 * members rated the film), drawn as an SVG built here and rendered to a PNG, with alt text that says every count
 * and the mean. Charts are cached in-process by the caller's data version.
 */
import { BoundedMap } from '../bounded-map.js';
import { userBand } from '../domain/bands.js';
import type { Band } from '../domain/schema.js';
import { oneDecimal, plural } from '../domain/text.js';
import { FONT_FAMILY, svgToPng } from './png.js';

/** One panel: ten counts (`counts[0]` gave 1, ..., `counts[9]` gave 10) and their mean. */
export interface RatingSeries {
	/** "Audience", "This server". */
	readonly label: string;
	readonly counts: readonly number[];
	readonly mean: number | null;
}

/** A rendered chart: the PNG, its pixel size, and the alt text its attachment carries. */
export interface Chart {
	readonly name: string;
	readonly png: Uint8Array;
	readonly width: number;
	readonly height: number;
	readonly alt: string;
}

/** The largest chart Marquee sends (Limits.fileBytes: a reply stays quick to send and show). */
export const CHART_MAX_BYTES = 100 * 1024;
export const HISTOGRAM_NAME = 'ratings.png';

/**
 * Colours. The card is opaque, so its contrast does not depend on the theme behind it: a slate mid-tone
 * (#3a3f5c) that reads as a card on Discord's dark theme (#313338: lighter and bluer, with a lighter border)
 * and on the light theme (#ffffff: a dark card). On it, white text has a contrast of 10.6:1, the muted text
 * 7.1:1, and the bars (the embed colours of the rating bands, the red lightened) at least 3.3:1, above the
 * 3:1 WCAG asks of graphics.
 */
const COLOURS = {
	card: '#3a3f5c',
	border: '#5d6390',
	text: '#ffffff',
	muted: '#c9cde0',
	axis: '#8a90b8',
	mean: '#ffffff',
} as const;
const BAR: Record<Band, string> = { positive: '#66cc33', mixed: '#ffcc33', negative: '#ff6b6b' };

const WIDTH = 520;
const PAD = 16;
/** One panel: header, count labels, bars, rating labels. */
const PANEL = 188;
const GAP = 12;
const BAR_MAX = 104;

const HALO = ` text-anchor="middle" stroke="${COLOURS.card}" stroke-width="4" paint-order="stroke"`;
const round = (n: number): number => Math.round(n * 10) / 10;
const sum = (ns: readonly number[]): number => ns.reduce((a, b) => a + b, 0);
/** Text for SVG: the five XML specials escaped. */
const xml = (text: string): string =>
	text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

function text(x: number, y: number, content: string, size: number, fill: string, extra = ''): string {
	return `<text x="${round(x)}" y="${round(y)}" font-size="${size}" fill="${fill}"${extra}>${xml(content)}</text>`;
}

function panel(series: RatingSeries, top: number): string {
	const total = sum(series.counts);
	const max = Math.max(1, ...series.counts);
	const mean = series.mean === null ? 'no ratings' : `mean ${oneDecimal(series.mean)} · ${plural(total, 'rating')}`;
	const out = [
		text(PAD, top + 20, series.label, 17, COLOURS.text, ' font-weight="700"'),
		text(WIDTH - PAD, top + 20, mean, 14, COLOURS.muted, ' text-anchor="end"'),
	];
	const left = PAD + 4;
	const slot = (WIDTH - 2 * (PAD + 4)) / 10;
	const base = top + 36 + 18 + BAR_MAX;
	const heights = series.counts.map((count) => (count === 0 ? 0 : Math.max(2, (count / max) * BAR_MAX)));
	const centre = (i: number): number => left + slot * (i + 0.5);
	heights.forEach((height, i) => {
		if (height === 0) return;
		const fill = BAR[userBand(i + 1) ?? 'mixed'];
		out.push(
			`<rect x="${round(centre(i) - slot * 0.35)}" y="${round(base - height)}" width="${round(slot * 0.7)}" height="${round(height)}" rx="3" fill="${fill}"/>`,
		);
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
		out.push(text(centre(i), base - height - 5, String(series.counts[i] ?? 0), 12, COLOURS.muted, HALO));
		out.push(text(centre(i), base + 18, String(i + 1), 13, COLOURS.text, ' text-anchor="middle" font-weight="700"'));
	});
	out.push(`<line x1="${left}" y1="${base + 0.5}" x2="${WIDTH - left}" y2="${base + 0.5}" stroke="${COLOURS.axis}" stroke-width="1"/>`);
	return out.join('');
}

/** The histogram's SVG: one panel per series, stacked, on an opaque card. */
export function histogramSvg(series: readonly RatingSeries[]): { svg: string; width: number; height: number } {
	const height = 2 * PAD + series.length * PANEL + Math.max(0, series.length - 1) * GAP;
	const panels = series.map((s, i) => panel(s, PAD + i * (PANEL + GAP))).join('');
	const svg =
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT_FAMILY}">` +
		`<rect x="0.5" y="0.5" width="${WIDTH - 1}" height="${height - 1}" rx="10" fill="${COLOURS.card}" stroke="${COLOURS.border}"/>` +
		`${panels}</svg>`;
	return { svg, width: WIDTH, height };
}

/** The alt text: what the chart is of, then each series' count, mean and every bar's count. */
export function histogramAlt(film: string, series: readonly RatingSeries[]): string {
	const parts = series.map((s) => {
		const bars = s.counts.map((n, i) => `${i + 1}: ${n}`).join(', ');
		const mean = s.mean === null ? 'no ratings' : `${plural(sum(s.counts), 'rating')}, mean ${oneDecimal(s.mean)}`;
		return `${s.label}, ${mean}. Ratings 1 to 10: ${bars}.`;
	});
	return `Rating histogram of ${film}. ${parts.join(' ')}`;
}

/** The histogram of `series` for `film`, drawn now. Throws when it would pass CHART_MAX_BYTES (the caller shows text instead). */
export function ratingChart(film: string, series: readonly RatingSeries[]): Chart {
	const { svg, width, height } = histogramSvg(series);
	const png = svgToPng(svg);
	if (png.byteLength > CHART_MAX_BYTES) throw new Error(`rating chart of ${png.byteLength} bytes (at most ${CHART_MAX_BYTES})`);
	return { name: HISTOGRAM_NAME, png, width, height, alt: histogramAlt(film, series) };
}

/** Charts drawn lately, by data version: a chart is ~20 KB, so this holds a few megabytes at most. */
const drawn = new BoundedMap<string, Chart>(128);

/**
 * The chart for `key` (the data version: the review store's version, the film and the server's ratings): drawn
 * once by `draw`, then the same chart (the same buffer) until the data changes or it is among the oldest.
 */
export function cachedChart(key: string, draw: () => Chart): Chart {
	const hit = drawn.get(key);
	if (hit !== undefined) return hit;
	const chart = draw();
	drawn.set(key, chart);
	return chart;
}
