/**
 * /compare's chart: two films side by side on one 0-100 scale (critics' mean score; the audience's and the
 * server's mean rating out of 10, times 10, as src/domain/measures.ts compares them), as paired bars with their
 * numbers, and below them the two audience histograms, small. Alt text that says every number, in the locale.
 */
import { onHundred } from '../domain/measures.js';
import { counted, type Locale, t } from '../i18n/index.js';
import { type Chart, renderChart } from './chart.js';
import { card, COLOURS, FILM, rect, sum, text } from './draw.js';
import { barsAlt, seriesLabel } from './histogram.js';

/** One film of the two: its name, its means (null: none), the audience's ten counts (`ratings[0]` gave 1). */
export interface CompareFilm {
	readonly name: string;
	/** The critics' mean score, 0-100. */
	readonly critics: number | null;
	/** The audience's mean rating, 1-10. */
	readonly audience: number | null;
	/** This server's members' mean rating, 1-10 (null outside a server, or when none rated it). */
	readonly server: number | null;
	readonly ratings: readonly number[];
}

export const COMPARE_NAME = 'compare.png';

const WIDTH = 520;
const PAD = 16;
/** The films' names, one a line with their colour; a name is cut to fit the card. */
const NAME_MAX = 48;
/** Where the bars start (their labels are left of it) and how long 100 is. */
const BARS_X = PAD + 108;
const BARS_W = WIDTH - PAD - 36 - BARS_X;
/** One side (critics, audience, server): two bars of BAR_H, 4 apart. */
const ROW = 48;
const BAR_H = 16;
/** The small histograms: each half the card, bars up to MINI_MAX high. */
const MINI_GAP = 24;
const MINI_W = (WIDTH - 2 * PAD - MINI_GAP) / 2;
const MINI_MAX = 52;

type Row = { readonly label: string; readonly values: readonly [number | null, number | null] };

/** The sides either film has, each as whole points on 0-100 (as measures-render prints them). */
function rows(locale: Locale, a: CompareFilm, b: CompareFilm): Row[] {
	const points = (n: number | null): number | null => (n === null ? null : Math.round(n));
	const hundred = (n: number | null): number | null => (n === null ? null : Math.round(onHundred(n)));
	const all: Row[] = [
		{ label: t(locale, 'reviews.critics'), values: [points(a.critics), points(b.critics)] },
		{ label: seriesLabel(locale, 'audience'), values: [hundred(a.audience), hundred(b.audience)] },
	];
	if (a.server !== null || b.server !== null)
		all.push({ label: seriesLabel(locale, 'server'), values: [hundred(a.server), hundred(b.server)] });
	return all;
}

const cut = (name: string): string => (name.length > NAME_MAX ? `${name.slice(0, NAME_MAX - 1).trimEnd()}…` : name);
const hasRatings = (a: CompareFilm, b: CompareFilm): boolean => sum(a.ratings) + sum(b.ratings) > 0;

function legend(films: readonly [CompareFilm, CompareFilm], locale: Locale): string {
	// A name of wide letters may be wider than the card even when cut: the clip keeps it inside.
	const out = [`<clipPath id="names"><rect x="${PAD}" y="0" width="${WIDTH - 2 * PAD}" height="${PAD + 52}"/></clipPath>`];
	films.forEach((f, i) => {
		const y = PAD + 4 + i * 24;
		out.push(rect(PAD, y + 2, 14, 14, FILM[i] ?? COLOURS.text));
		out.push(text(PAD + 22, y + 14, cut(f.name), 15, COLOURS.text, ' font-weight="700" clip-path="url(#names)"'));
	});
	out.push(text(PAD, PAD + 70, t(locale, 'chart.compare.scale'), 12, COLOURS.muted));
	return out.join('');
}

function bars(locale: Locale, sides: readonly Row[], top: number): string {
	const out: string[] = [];
	const bottom = top + sides.length * ROW;
	for (const tick of [0, 25, 50, 75, 100]) {
		const x = BARS_X + (tick / 100) * BARS_W + 0.5;
		out.push(
			`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${bottom}" stroke="${tick === 0 ? COLOURS.axis : COLOURS.grid}" stroke-width="1"/>`,
		);
		out.push(text(x, bottom + 15, String(tick), 11, COLOURS.muted, ' text-anchor="middle"'));
	}
	sides.forEach((side, r) => {
		const y = top + r * ROW;
		out.push(text(PAD, y + 25, side.label, 14, COLOURS.text, ' font-weight="700"'));
		side.values.forEach((value, i) => {
			const barY = y + 4 + i * (BAR_H + 4);
			if (value === null) {
				out.push(text(BARS_X + 6, barY + 12, t(locale, 'chart.none'), 12, COLOURS.muted));
				return;
			}
			const width = Math.max(2, (Math.min(100, Math.max(0, value)) / 100) * BARS_W);
			out.push(rect(BARS_X + 1, barY, width, BAR_H, FILM[i] ?? COLOURS.text, 2));
			out.push(text(BARS_X + 1 + width + 6, barY + 13, String(value), 13, COLOURS.text, ' font-weight="700"'));
		});
	});
	return out.join('');
}

function minis(locale: Locale, films: readonly [CompareFilm, CompareFilm], top: number): string {
	const out = [text(PAD, top + 14, t(locale, 'chart.compare.ratings'), 13, COLOURS.text, ' font-weight="700"')];
	films.forEach((film, f) => {
		const left = PAD + f * (MINI_W + MINI_GAP);
		const colour = FILM[f] ?? COLOURS.text;
		out.push(rect(left, top + 25, 10, 10, colour, 2));
		const total = sum(film.ratings);
		out.push(text(left + 16, top + 34, total === 0 ? t(locale, 'chart.noRatings') : counted(locale, total, 'rating'), 12, COLOURS.muted));
		const max = Math.max(1, ...film.ratings);
		const slot = MINI_W / 10;
		const base = top + 44 + MINI_MAX;
		film.ratings.forEach((count, i) => {
			if (count > 0) {
				const height = Math.max(2, (count / max) * MINI_MAX);
				out.push(rect(left + slot * (i + 0.15), base - height, slot * 0.7, height, colour, 2));
			}
			out.push(text(left + slot * (i + 0.5), base + 14, String(i + 1), 11, COLOURS.muted, ' text-anchor="middle"'));
		});
		out.push(`<line x1="${left}" y1="${base + 0.5}" x2="${left + MINI_W}" y2="${base + 0.5}" stroke="${COLOURS.axis}" stroke-width="1"/>`);
	});
	return out.join('');
}

/** The chart's SVG: the films' names, the bars of each side either film has, the audience histograms when either has ratings. */
export function compareSvg(locale: Locale, a: CompareFilm, b: CompareFilm): { svg: string; width: number; height: number } {
	const sides = rows(locale, a, b);
	const barsTop = PAD + 88;
	const barsEnd = barsTop + sides.length * ROW + 20;
	const withMinis = hasRatings(a, b);
	const height = (withMinis ? barsEnd + 16 + 44 + MINI_MAX + 20 : barsEnd) + PAD;
	const body = legend([a, b], locale) + bars(locale, sides, barsTop) + (withMinis ? minis(locale, [a, b], barsEnd + 16) : '');
	return card(WIDTH, height, body);
}

/** The alt text: the two films, each side's two numbers, then every bar of the two histograms. */
export function compareAlt(locale: Locale, a: CompareFilm, b: CompareFilm): string {
	const shown = (n: number | null): string => (n === null ? t(locale, 'chart.none') : String(n));
	const said = rows(locale, a, b).map((r) =>
		t(locale, 'chart.compare.row', { label: r.label, a: shown(r.values[0]), b: shown(r.values[1]) }),
	);
	const histograms = hasRatings(a, b)
		? [a, b].map((f) =>
				sum(f.ratings) === 0
					? t(locale, 'chart.compare.noHistogram', { film: f.name })
					: t(locale, 'chart.compare.histogramAlt', {
							film: f.name,
							ratings: counted(locale, sum(f.ratings), 'rating'),
							bars: barsAlt(locale, f.ratings),
						}),
			)
		: [];
	return t(locale, 'chart.compare.alt', {
		a: a.name,
		b: b.name,
		rows: said.join(' '),
		histograms: histograms.map((h) => ` ${h}`).join(''),
	});
}

/** The chart of films `a` and `b` in `locale`, drawn now. Throws when it would pass CHART_MAX_BYTES (the caller shows text only). */
export function compareChart(locale: Locale, a: CompareFilm, b: CompareFilm): Chart {
	return renderChart(COMPARE_NAME, compareSvg(locale, a, b), compareAlt(locale, a, b));
}
