/**
 * How the measures read (src/domain/measures.ts): the line saying where critics, the audience and the server
 * agree or part, the divisive mark, and the rankings' lines. Pure: each takes numbers and returns text.
 */

import {
	type Divisiveness,
	divisiveness,
	DIVISIVE_MIN,
	type FilmMeasures,
	GAP_MIN,
	GAP_WORDS,
	gapOf,
	onHundred,
	PART_AT,
	SHARP_AT,
	type Side,
	sideOf,
} from '../src/domain/measures.js';
import { plural } from '../src/domain/text.js';
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

/** An agreement, as shown: two decimals with a real minus sign. */
export const agreementText = (a: number): string => (a < 0 ? `−${(-a).toFixed(2)}` : a.toFixed(2));

/**
 * "Critics **80** · audience **77** · server **45** (of 100): critics and audience agree (3 points apart), …" for
 * the sides with at least GAP_MIN scores each; null when fewer than two have. At most ~240 characters.
 */
export function gapLine(sides: readonly { who: Who; side: Side | null }[]): string | null {
	const present = sides.flatMap(({ who, side }) => (side === null ? [] : [{ who, side }]));
	if (present.length < 2) return null;
	const head = present.map(({ who, side }, i) => `${i === 0 ? cap(who) : who} **${points(side)}**`).join(' · ');
	const pairs = present.flatMap((x, i) => present.slice(i + 1).map((y) => ({ x: x.who, y: y.who, gap: gapOf(x.side.mean, y.side.mean) })));
	const [first] = pairs;
	if (first === undefined) return null;
	if (pairs.length === 1) return `${head} (of 100): they ${GAP_WORDS[first.gap.level]} (${apart(first.gap.points)}).`;
	const widest = Math.max(...pairs.map((p) => p.gap.points));
	if (pairs.every((p) => p.gap.level === first.gap.level))
		return `${head} (of 100): all three ${GAP_WORDS[first.gap.level]} (up to ${apart(widest)}).`;
	return `${head} (of 100): ${pairs.map((p) => `${p.x} and ${p.y} ${GAP_WORDS[p.gap.level]} (${apart(p.gap.points)})`).join(', ')}.`;
}

const cap = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
const apart = (n: number): string => `${plural(n, 'point')} apart`;

/** "**Divisive**: the audience's ratings split into camps (agreement −0.45 from 20 ratings)." when divisive, else null. */
export function divisiveLine(who: 'audience' | 'server', d: Divisiveness | null): string | null {
	if (d?.divisive !== true) return null;
	const whose = who === 'audience' ? "the audience's" : "this server's";
	return `**Divisive**: ${whose} ratings split into camps (agreement ${agreementText(d.agreement)} from ${plural(d.count, 'rating')}).`;
}

/**
 * The overview's description: where critics, the audience and the server (in a server, when its summary was read)
 * agree or part, and a divisive mark for each histogram that earns one; nothing when there is nothing to say.
 */
export function overviewMeasures(film: FilmMeasures, server: ServerSummary | undefined): { description?: string } {
	const members = serverMeasures(server);
	const lines = [
		gapLine([
			{ who: 'critics', side: film.critics },
			{ who: 'audience', side: film.audience },
			{ who: 'server', side: members.side },
		]),
		divisiveLine('audience', film.divisiveness),
		divisiveLine('server', members.divisiveness),
	].filter((l) => l !== null);
	return lines.length === 0 ? {} : { description: lines.join('\n') };
}

/** How the measures are made, in a footer's words. */
export const MEASURES_FOOTER =
	`Means on one 0-100 scale (ratings out of 10 ×10, from ${GAP_MIN} scores a side): under ${PART_AT} points apart agree, from ${SHARP_AT} disagree sharply. ` +
	`Divisive: van der Eijk's agreement below 0 (1 all alike, 0 flat, −1 two camps) from ${DIVISIVE_MIN} ratings.`;
