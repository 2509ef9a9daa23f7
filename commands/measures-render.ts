/**
 * How the measures read (src/domain/measures.ts): the line saying where critics, the audience and the server
 * agree or part, the divisive mark, and the rankings' lines, in the locale asked for. Pure: each takes numbers
 * and returns text.
 */

import {
	type Divisiveness,
	divisiveness,
	DIVISIVE_MIN,
	type FilmMeasures,
	GAP_MIN,
	type GapLevel,
	gapOf,
	onHundred,
	PART_AT,
	SHARP_AT,
	type Side,
	sideOf,
} from '../src/domain/measures.js';
import { counted, fixed, type Locale, t } from '../src/i18n/index.js';
import type { FilmSummary as ServerSummary } from '../src/members/store.js';

/** Who a side is, as the line names it. */
export type Who = 'critics' | 'audience' | 'server';

/** The server's side and divisiveness from the member store's summary of a film (none when it has no summary). */
export function serverMeasures(summary: ServerSummary | undefined): { side: Side | null; divisiveness: Divisiveness | null } {
	if (summary === undefined) return { side: null, divisiveness: null };
	return {
		side: summary.mean === null ? null : sideOf(onHundred(summary.mean), summary.count),
		divisiveness: divisiveness(summary.histogram),
	};
}

/** A mean on 0-100, as shown: whole points. */
export const points = (side: Side): string => String(Math.round(side.mean));

/** An agreement, as shown: two decimals with a real minus sign, `−0.45` in English and `−0,45` in Danish. */
export function agreementText(locale: Locale, a: number): string {
	const digits = fixed(locale, Math.abs(a), 2);
	return a < 0 ? `−${digits}` : digits;
}

/** A side's name in `locale`: "critics", "kritikerne". */
export const whoText = (locale: Locale, who: Who): string => t(locale, `measures.who.${who}`);

/** "3 points apart", "3 point fra hinanden". */
export const apartText = (locale: Locale, n: number): string => t(locale, 'measures.apart', { points: counted(locale, n, 'point') });

/** What a gap's level says of two sides: "agree", "part ways", "disagree sharply" (Danish: "er enige", …). */
const gapWords = (locale: Locale, level: GapLevel): string => t(locale, `measures.gap.${level}`);

/**
 * "Critics **80** · audience **77** · server **45** (of 100): critics and audience agree (3 points apart), …" for
 * the sides with at least GAP_MIN scores each; null when fewer than two have. At most ~240 characters.
 */
export function gapLine(locale: Locale, sides: readonly { who: Who; side: Side | null }[]): string | null {
	const present = sides.flatMap(({ who, side }) => (side === null ? [] : [{ who, side }]));
	if (present.length < 2) return null;
	const head = present
		.map(({ who, side }, i) => `${i === 0 ? cap(whoText(locale, who)) : whoText(locale, who)} **${points(side)}**`)
		.join(' · ');
	const pairs = present.flatMap((x, i) => present.slice(i + 1).map((y) => ({ x: x.who, y: y.who, gap: gapOf(x.side.mean, y.side.mean) })));
	const [first] = pairs;
	if (first === undefined) return null;
	if (pairs.length === 1)
		return t(locale, 'measures.gap.two', {
			sides: head,
			words: gapWords(locale, first.gap.level),
			apart: apartText(locale, first.gap.points),
		});
	const widest = Math.max(...pairs.map((p) => p.gap.points));
	if (pairs.every((p) => p.gap.level === first.gap.level))
		return t(locale, 'measures.gap.allThree', { sides: head, words: gapWords(locale, first.gap.level), apart: apartText(locale, widest) });
	const each = pairs.map((p) =>
		t(locale, 'measures.gap.pair', {
			x: whoText(locale, p.x),
			y: whoText(locale, p.y),
			words: gapWords(locale, p.gap.level),
			apart: apartText(locale, p.gap.points),
		}),
	);
	return t(locale, 'measures.gap.pairs', { sides: head, pairs: each.join(', ') });
}

const cap = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/** "**Divisive**: the audience's ratings split into camps (agreement −0.45 from 20 ratings)." when divisive, else null. */
export function divisiveLine(who: 'audience' | 'server', d: Divisiveness | null, locale: Locale): string | null {
	if (d?.divisive !== true) return null;
	return t(locale, `measures.divisive.${who}`, {
		agreement: agreementText(locale, d.agreement),
		ratings: counted(locale, d.count, 'rating'),
	});
}

/**
 * The overview's description: where critics, the audience and the server (in a server, when its summary was read)
 * agree or part, and a divisive mark for each histogram that earns one; nothing when there is nothing to say.
 */
export function overviewMeasures(locale: Locale, film: FilmMeasures, server: ServerSummary | undefined): { description?: string } {
	const members = serverMeasures(server);
	const lines = [
		gapLine(locale, [
			{ who: 'critics', side: film.critics },
			{ who: 'audience', side: film.audience },
			{ who: 'server', side: members.side },
		]),
		divisiveLine('audience', film.divisiveness, locale),
		divisiveLine('server', members.divisiveness, locale),
	].filter((l) => l !== null);
	return lines.length === 0 ? {} : { description: lines.join('\n') };
}

/** How the measures are made, in a footer's words. */
export function measuresFooter(locale: Locale): string {
	return t(locale, 'measures.footer', {
		gapMin: String(GAP_MIN),
		partAt: String(PART_AT),
		sharpAt: String(SHARP_AT),
		divisiveMin: String(DIVISIVE_MIN),
	});
}
