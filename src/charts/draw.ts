/** What the charts draw with: the card's palette and the SVG pieces (escaped text, the card itself). */
import type { Band } from '../domain/schema.js';
import { FONT_FAMILY } from './png.js';

/**
 * Colours. The card is opaque, so its contrast does not depend on the theme behind it: a slate mid-tone
 * (#3a3f5c) that reads as a card on Discord's dark theme (#313338: lighter and bluer, with a lighter border)
 * and on the light theme (#ffffff: a dark card). On it, white text has a contrast of 10.6:1, the muted text
 * 7.1:1, and the bars (the embed colours of the rating bands, the red lightened; the two films' blue and
 * orange) at least 3.3:1, above the 3:1 WCAG asks of graphics.
 */
export const COLOURS = {
	card: '#3a3f5c',
	border: '#5d6390',
	text: '#ffffff',
	muted: '#c9cde0',
	axis: '#8a90b8',
	grid: '#4b5175',
	mean: '#ffffff',
} as const;
export const BAR: Readonly<Record<Band, string>> = { positive: '#66cc33', mixed: '#ffcc33', negative: '#ff6b6b' };
/** The two films of a comparison: a blue and an orange, told apart with any colour vision (5.5:1 and 5.8:1 on the card). */
export const FILM = ['#7cc4ff', '#ffb454'] as const;

/** A text's halo of the card's colour: it stays legible over a line or a bar. */
export const HALO = ` stroke="${COLOURS.card}" stroke-width="4" paint-order="stroke"`;
export const round = (n: number): number => Math.round(n * 10) / 10;
export const sum = (ns: readonly number[]): number => ns.reduce((a, b) => a + b, 0);
/** Text for SVG: the five XML specials escaped. */
const xml = (text: string): string =>
	text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

export function text(x: number, y: number, content: string, size: number, fill: string, extra = ''): string {
	return `<text x="${round(x)}" y="${round(y)}" font-size="${size}" fill="${fill}"${extra}>${xml(content)}</text>`;
}

export function rect(x: number, y: number, width: number, height: number, fill: string, radius = 3): string {
	return `<rect x="${round(x)}" y="${round(y)}" width="${round(width)}" height="${round(height)}" rx="${radius}" fill="${fill}"/>`;
}

/** The whole chart: `body` on an opaque card `width` × `height`, in Inter. */
export function card(width: number, height: number, body: string): { svg: string; width: number; height: number } {
	const svg =
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">` +
		`<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" rx="10" fill="${COLOURS.card}" stroke="${COLOURS.border}"/>` +
		`${body}</svg>`;
	return { svg, width, height };
}
