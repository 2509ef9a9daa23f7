/** What every chart is: a PNG within CHART_MAX_BYTES with its pixel size and alt text, drawn once per data version. */
import { BoundedMap } from '../bounded-map.js';
import { svgToPng } from './png.js';

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

/** `svg` rendered as the chart `name`. Throws when it would pass CHART_MAX_BYTES (the caller shows text instead). */
export function renderChart(name: string, svg: { svg: string; width: number; height: number }, alt: string): Chart {
	const png = svgToPng(svg.svg);
	if (png.byteLength > CHART_MAX_BYTES) throw new Error(`${name} of ${png.byteLength} bytes (at most ${CHART_MAX_BYTES})`);
	return { name, png, width: svg.width, height: svg.height, alt };
}

/** Charts drawn lately, by data version: a chart is ~10-30 KB, so this holds a few megabytes at most. */
const drawn = new BoundedMap<string, Chart>(128);

/**
 * The chart for `key` (which chart, its data version and its locale: an English and a Danish chart of the same
 * data are two charts): drawn once by `draw`, then the same chart (the same buffer) until the data changes or it
 * is among the oldest.
 */
export function cachedChart(key: string, draw: () => Chart): Chart {
	const hit = drawn.get(key);
	if (hit !== undefined) return hit;
	const chart = draw();
	drawn.set(key, chart);
	return chart;
}
