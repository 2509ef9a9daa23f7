/** `/reviews`: a film's overview (critics, audience, the server's members, most helpful reviews) and buttons to page through every review, members' too. */

import {
	type APIActionRowComponent,
	type APIButtonComponent,
	type APIEmbed,
	type APIEmbedField,
	ComponentType,
} from 'discord-api-types/v10';
import { cachedChart, type Chart } from '../src/charts/chart.js';
import { ratingChart, type RatingSeries } from '../src/charts/histogram.js';
import { userBand } from '../src/domain/bands.js';
import type { AnyReview, FilmInfo, ReviewKind, ReviewSort } from '../src/domain/store.js';
import { type Locale, t, counted, oneDecimalIn } from '../src/i18n/index.js';
import { type FilmSummary, type MemberReview, PAGE_MAX, type Result, type ReviewOrder } from '../src/members/store.js';
import { safe } from '../src/reply/format.js';
import { Limits } from '../src/reply/limits.js';
import { EmbedSchema, type Reply } from '../src/reply/reply.js';
import {
	bandColour,
	button,
	criticScoreText,
	filmChoices,
	filmLabel,
	filmOption,
	helpfulText,
	histogram,
	humanDate,
	notice,
	pageKey,
	reviewText,
	reviewTitle,
	stars,
	unknownFilm,
	userReviewField,
} from './render.js';
import { overviewMeasures } from './measures-render.js';
import { memberReviewEmbed, readUnavailable, serverFields } from './members-render.js';
import type { ButtonResult, Command, CommandData, Context } from './types.js';

const data = {
	name: 'reviews',
	description: "A film's critic verdict, audience rating and most helpful reviews, with pages for every review",
	options: [filmOption('film')],
} as const satisfies CommandData;

/** Where a /reviews message about the site's reviews is: film, which reviews, in what order, which page (0 = overview), whose. */
interface SiteState {
	readonly filmId: string;
	readonly kind: ReviewKind;
	readonly sort: ReviewSort;
	readonly page: number;
	readonly owner: string;
}

/**
 * Where a /reviews message about the server members' reviews is. `after` is the member store's keyset cursor
 * of the review before this page (Next carries it: a review written meanwhile shifts no page); null when the
 * page is found by its number instead (Previous, a new order).
 */
interface MemberState {
	readonly filmId: string;
	readonly kind: 'member';
	readonly sort: ReviewOrder;
	readonly page: number;
	readonly after: string | null;
	readonly owner: string;
}

type PageState = SiteState | MemberState;
type PageKind = PageState['kind'];

// custom_id: rv:<action>:<film id>:<kind><sort>:<page>:<owner id>, at most 3+3+51+3+11+20 = 91 of Discord's 100
// characters. A page number has up to 10 digits, far more reviews than a film can have (the review store
// ranks them with SQLite integers): every page of any film fits, so Next and Previous never make an id the decoder refuses.
// Members' pages: rv:<action>:<film id>:m<sort>:<page>:<cursor>:<owner>, numbers packed in base 64 (a page
// ≤ 4 characters, 16.7 million reviews of one film in one server; the cursor's score, time and author id ≤ 1+9+11
// with two dots; the owner ≤ 11, as ids below 2^64 are, the only ones dispatch admits): at most
// 3+3+51+3+5+24+11 = 100.
const PREFIX = 'rv:';
const CUSTOM_ID = /^rv:([pnoikst]\d?):([a-z0-9-]{1,50}):([cu])([hnr]):(\d{1,10}):(\d{1,20})$/;
const B64 = '[0-9A-Za-z_-]';
const MEMBER_ID = new RegExp(
	`^rv:([pnoikst]\\d?):([a-z0-9-]{1,50}):m([nh]):(${B64}{1,4}):((?:${B64}{1,11}(?:\\.${B64}{1,11}){1,2})?):(${B64}{1,11})$`,
);
const KIND = { c: 'critic', u: 'user' } as const;
const SORT = { h: 'helpful', n: 'newest', r: 'rating' } as const;
const SORT_LABEL = {
	helpful: 'reviews.sort.helpful',
	newest: 'reviews.sort.newest',
	rating: 'reviews.sort.rating',
	highest: 'reviews.sort.rating',
} as const satisfies Record<ReviewSort | ReviewOrder, string>;
/** Critics carry no helpful votes: their "most helpful" order is the page's own. */
const inPageOrder = (s: PageState): boolean => s.kind === 'critic' && s.sort === 'helpful';
const sortLabel = (locale: Locale, s: PageState): string => t(locale, inPageOrder(s) ? 'reviews.sort.pageOrder' : SORT_LABEL[s.sort]);
const orderText = (locale: Locale, s: PageState): string =>
	inPageOrder(s) ? t(locale, 'reviews.order.pageOrder') : t(locale, 'reviews.order.first', { label: sortLabel(locale, s).toLowerCase() });

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
/** A decimal number (a snowflake, a time, a page) in base 64: a snowflake's 20 digits take 11 characters. */
function pack(decimal: string): string {
	let n = BigInt(decimal);
	let out = '';
	do {
		out = DIGITS[Number(n % 64n)] + out;
		n /= 64n;
	} while (n > 0n);
	return out;
}
/** The decimal number `pack` made. */
function unpack(packed: string): string {
	let n = 0n;
	for (const c of packed) n = n * 64n + BigInt(DIGITS.indexOf(c));
	return n.toString();
}

export function encodeState(action: string, s: PageState): string {
	if (s.kind !== 'member') return `${PREFIX}${action}:${s.filmId}:${s.kind[0]}${s.sort[0]}:${s.page}:${s.owner}`;
	const cursor = s.after === null ? '' : s.after.split('.').map(pack).join('.');
	return `${PREFIX}${action}:${s.filmId}:m${s.sort[0]}:${pack(String(s.page))}:${cursor}:${pack(s.owner)}`;
}

export function decodeState(customId: string): PageState | undefined {
	const member = MEMBER_ID.exec(customId);
	if (member) {
		const [, , filmId = '', sort, page = '0', cursor = '', owner = ''] = member;
		const after = cursor === '' ? null : cursor.split('.').map(unpack).join('.');
		return { filmId, kind: 'member', sort: sort === 'h' ? 'highest' : 'newest', page: Number(unpack(page)), after, owner: unpack(owner) };
	}
	const m = CUSTOM_ID.exec(customId);
	if (!m) return undefined;
	const kind = m[3] === 'c' ? KIND.c : KIND.u;
	const sort = m[4] === 'n' ? SORT.n : m[4] === 'r' ? SORT.r : SORT.h;
	return { filmId: m[2] ?? '', kind, sort, page: Number(m[5]), owner: m[6] ?? '' };
}

function defaultKind(record: FilmInfo): ReviewKind {
	return record.userCount > 0 || record.criticCount === 0 ? 'user' : 'critic';
}

/**
 * The overview: critic verdict and spread, audience mean, the most helpful reviews; the audience's text histogram
 * too unless the chart shows it (`charted`).
 */
function overviewEmbed(ctx: Context, record: FilmInfo, charted: boolean): APIEmbed {
	const { locale } = ctx;
	const { critics, users } = ctx.store.summary(record);
	const fields: { name: string; value: string; inline?: boolean }[] = [];
	const n = (x: number): { n: string } => ({ n: String(x) });
	if (critics) {
		const spread = [
			critics.verdict === null ? null : safe(critics.verdict.replace(/ reviews$/i, '')),
			counted(locale, critics.critics, 'critic'),
			t(locale, 'reviews.positive', n(critics.positive)),
			t(locale, 'reviews.mixed', n(critics.mixed)),
			t(locale, 'reviews.negative', n(critics.negative)),
		].filter((p) => p !== null);
		const mean =
			critics.meanScore === null
				? ''
				: `\n${t(locale, 'reviews.criticMean', { score: String(Math.round(critics.meanScore)), n: String(critics.scoredCount) })}`;
		fields.push({ name: t(locale, 'reviews.critics'), value: `${spread.join(' · ')}${mean}` });
	} else {
		fields.push({ name: t(locale, 'reviews.critics'), value: t(locale, 'reviews.noCritics') });
	}
	if (users) {
		const mean =
			users.mean === null
				? t(locale, 'reviews.noRatings')
				: t(locale, 'reviews.mean', { mean: oneDecimalIn(locale, users.mean), ratings: counted(locale, users.ratedCount, 'rating') });
		const site =
			users.siteReviewCount !== null && users.siteReviewCount > users.count ? t(locale, 'reviews.onSite', n(users.siteReviewCount)) : '';
		fields.push({
			name: t(locale, 'reviews.audience'),
			value: t(locale, 'reviews.here', { mean, reviews: counted(locale, users.count, 'review'), site }),
		});
		if (!charted) fields.push({ name: t(locale, 'reviews.ratings'), value: histogram(users.histogram) });
		users.mostHelpful.forEach((r, i) => {
			fields.push(userReviewField(r, locale, 280, i === 0 ? t(locale, 'reviews.mostHelpfulPrefix') : ''));
		});
	} else {
		fields.push({ name: t(locale, 'reviews.audience'), value: t(locale, 'reviews.noUsers') });
	}
	const band = critics?.band ?? userBand(users?.mean ?? null);
	return {
		title: safe(filmLabel(record.film)),
		color: bandColour(band),
		fields,
	};
}

/** One review, in full as far as an embed allows; numbered (title and footer alike) by its place in the order shown. */
function reviewEmbed(locale: Locale, record: FilmInfo, review: AnyReview, index: number, total: number, s: SiteState): APIEmbed {
	const where = t(locale, 'reviews.where', {
		film: filmLabel(record.film),
		kind: t(locale, `reviews.kind.${review.kind}`),
		n: String(index + 1),
		total: String(total),
		order: orderText(locale, s),
	});
	const more = `\n\n${t(locale, 'reviews.readMore')}`;
	const date = { name: t(locale, 'reviews.date'), value: humanDate(review.date, locale), inline: true };
	if (review.kind === 'critic') {
		return {
			author: { name: review.credit },
			title: t(locale, 'reviews.criticTitle', { n: String(index + 1) }),
			description: reviewText(review.excerpt, false, 3800, more),
			color: bandColour(review.band),
			fields: [{ name: t(locale, 'reviews.score'), value: criticScoreText(review, locale), inline: true }, date],
			footer: { text: where },
		};
	}
	return {
		author: { name: review.author },
		title: reviewTitle(review, Limits.embedTitle),
		description: reviewText(review.body, review.spoiler, 3800, more),
		color: bandColour(userBand(review.rating)),
		fields: [
			{ name: t(locale, 'reviews.rating'), value: stars(review.rating, locale), inline: true },
			date,
			{ name: t(locale, 'reviews.helpful'), value: helpfulText(review, locale), inline: true },
		],
		footer: { text: where },
	};
}

/**
 * The overview with the server block after the Critics and Audience blocks (the audience's histogram, when
 * there is one, directly follows its field; the most helpful reviews come after).
 */
function withServer(locale: Locale, embed: APIEmbed, server: readonly APIEmbedField[]): APIEmbed {
	const fields = embed.fields ?? [];
	const audience = fields.findIndex((f) => f.name === t(locale, 'reviews.audience'));
	const at = audience === -1 ? fields.length : audience + (fields[audience + 1]?.name === t(locale, 'reviews.ratings') ? 2 : 1);
	return { ...embed, fields: [...fields.slice(0, at), ...server, ...fields.slice(at)] };
}

/** How many reviews of each kind there are to page through (members' only in a server, and while the database answers). */
type Counts = Readonly<Record<PageKind, number>>;

const KINDS = [
	{ kind: 'critic', action: 'k1', label: 'reviews.critics' },
	{ kind: 'user', action: 'k2', label: 'reviews.users' },
	{ kind: 'member', action: 'k3', label: 'reviews.members' },
] as const;

/** The same message at another page; a member page found by its number (no cursor). */
const atPage = (s: PageState, page: number): PageState => (s.kind === 'member' ? { ...s, page, after: null } : { ...s, page });

/** Another kind of the site's reviews at `page`, in the nearest order it has. */
function toSite(s: PageState, kind: ReviewKind, page: number): SiteState {
	const sort = s.kind !== 'member' ? s.sort : s.sort === 'highest' ? 'rating' : 'newest';
	return { filmId: s.filmId, kind, sort, page, owner: s.owner };
}

/** Page 1 of another kind of reviews, in the nearest order it has. */
function switchKind(s: PageState, kind: PageKind): PageState {
	if (kind !== 'member') return toSite(s, kind, 1);
	return {
		filmId: s.filmId,
		kind,
		sort: s.sort === 'rating' || s.sort === 'highest' ? 'highest' : 'newest',
		page: 1,
		after: null,
		owner: s.owner,
	};
}

/** The order buttons of the reviews shown, each keeping the page number. */
function sortButtons(locale: Locale, s: PageState): APIButtonComponent[] {
	const page = Math.max(1, s.page);
	if (s.kind === 'member') {
		return (['newest', 'highest'] as const).map((sort, i) => {
			const to: MemberState = { ...s, sort, page, after: null };
			return button(encodeState(`s${i + 1}`, to), sortLabel(locale, to), { disabled: s.sort === sort });
		});
	}
	return (['helpful', 'newest', 'rating'] as const).map((sort, i) => {
		const to: SiteState = { ...s, sort, page };
		return button(encodeState(`s${i}`, to), sortLabel(locale, to), { disabled: s.sort === sort });
	});
}

/**
 * Page buttons; every custom_id is distinct (the action letter differs) and carries the whole state. The
 * overview is no numbered page: it shows how many reviews there are, and review N shows "N / count". On a
 * member page Next carries the cursor after the review shown (`next`, null on the last).
 */
function pageComponents(
	locale: Locale,
	s: PageState,
	counts: Counts,
	next: string | null = null,
): APIActionRowComponent<APIButtonComponent>[] {
	const count = counts[s.kind];
	const where = s.page === 0 ? counted(locale, count, 'review') : `${s.page} / ${count}`;
	const last = s.page >= count || (s.kind === 'member' && s.page > 0 && next === null);
	const after: PageState =
		s.kind === 'member' ? { ...s, page: s.page + 1, after: s.page === 0 ? null : next } : { ...s, page: Math.min(count, s.page + 1) };
	const nav: APIButtonComponent[] = [
		button(encodeState('o', atPage(s, 0)), t(locale, 'reviews.overview'), { disabled: s.page === 0 }),
		button(encodeState('p', atPage(s, Math.max(0, s.page - 1))), t(locale, 'reviews.previous'), { disabled: s.page === 0 }),
		button(encodeState('i', s), where, { disabled: true }),
		button(encodeState('n', after), t(locale, 'reviews.next'), { disabled: last, primary: true }),
	];
	const rows: APIActionRowComponent<APIButtonComponent>[] = [{ type: ComponentType.ActionRow, components: nav }];
	if (count === 0) return rows;
	const kinds = KINDS.filter((k) => counts[k.kind] > 0);
	const kindButtons =
		kinds.length < 2
			? []
			: kinds.map((k) => button(encodeState(k.action, switchKind(s, k.kind)), t(locale, k.label), { disabled: s.kind === k.kind }));
	const sorts = sortButtons(locale, s);
	// One row while kinds and orders fit in five buttons; with all three kinds, each gets its own row.
	if (kindButtons.length + sorts.length <= 5) rows.push({ type: ComponentType.ActionRow, components: [...kindButtons, ...sorts] });
	else rows.push({ type: ComponentType.ActionRow, components: kindButtons }, { type: ComponentType.ActionRow, components: sorts });
	return rows;
}

/** How many member reviews of the film the server has, or the store's failure; null in a DM. */
async function memberTotal(ctx: Context, filmId: string): Promise<Result<number> | null> {
	if (ctx.guildId === null) return null;
	const page = await ctx.members.memberReviews(ctx.guildId, filmId, { order: 'newest', limit: 1 });
	return page.ok ? { ok: true, value: page.value.total } : page;
}

/** The overview (page 0) or a site review's page, with the server block on the overview in a server. */
async function sitePage(ctx: Context, record: FilmInfo, s: PageState): Promise<Reply> {
	const guildId = ctx.guildId;
	const [members, summary] = await Promise.all([
		memberTotal(ctx, record.film.id),
		guildId === null || s.page > 0 ? undefined : ctx.members.filmSummary(guildId, record.film.id),
	]);
	const counts: Counts = { critic: record.criticCount, user: record.userCount, member: members?.ok ? members.value : 0 };
	// A member page comes here only as the overview; with no member reviews (left) it is the site's.
	const state: PageState =
		s.kind !== 'member'
			? { ...s, page: Math.min(s.page, counts[s.kind]) }
			: counts.member > 0
				? atPage(s, 0)
				: toSite(s, defaultKind(record), 0);
	const site = state.kind === 'member' ? toSite(state, defaultKind(record), 0) : state;
	const rated = summary?.ok === true ? summary.value : undefined;
	// The overview's chart, when there is one: its text histograms (the audience's field after Audience, the server
	// block's second) then give way to it. An overview whose chart could not be drawn keeps them, cached apart.
	const drawn = state.page === 0 ? ratingsChart(ctx, record, rated) : 'nothing';
	const chart = typeof drawn === 'string' ? undefined : drawn;
	const failed = drawn === 'failed' ? ['text'] : [];
	const key = pageKey('reviews', ctx.store, ctx.locale, record.film.id, `${site.kind[0]}${site.sort[0]}`, site.page, ...failed);
	const { value: embed } = await ctx.cache.getOrCompute(key, EmbedSchema, () => {
		if (site.page === 0) return overviewEmbed(ctx, record, chart !== undefined);
		// One indexed lookup of the review at this place in this order, however deep the page.
		const review = ctx.store.review(record, site.kind, site.sort, site.page - 1);
		return review ? reviewEmbed(ctx.locale, record, review, site.page - 1, counts[site.kind], site) : overviewEmbed(ctx, record, false);
	});
	// A page shows no chart: `files: []` drops the overview's when a button turns the message to it.
	const components = pageComponents(ctx.locale, state, counts);
	if (state.page > 0) return { embeds: [embed], components, files: [] };
	const block = summary === undefined ? [] : serverFields(rated, counts.member, ctx.locale).slice(0, chart ? 1 : 2);
	const server = summary === undefined ? embed : withServer(ctx.locale, embed, block);
	const reviews = counted(ctx.locale, counts[state.kind], `${state.kind}Review`);
	const footer = { text: t(ctx.locale, 'reviews.footer', { reviews, order: orderText(ctx.locale, state) }) };
	const measures = overviewMeasures(ctx.locale, record.measures, rated);
	if (!chart) return { embeds: [{ ...server, ...measures, footer }], components, files: [] };
	return {
		embeds: [{ ...server, ...measures, footer, image: { url: `attachment://${chart.name}` } }],
		components,
		files: [{ name: chart.name, data: chart.png, description: chart.alt }],
	};
}

/**
 * The overview's rating histogram as an image: the audience's ratings, and the server's when members rated the
 * film. `nothing` when there is nothing to draw (the overview has no text histogram either); `failed` when
 * drawing failed (logged): the overview then keeps its text histograms. Cached by data version (the review
 * store's, the film, and the server's ratings) and locale.
 */
function ratingsChart(ctx: Context, record: FilmInfo, server: FilmSummary | undefined): Chart | 'nothing' | 'failed' {
	const { users } = ctx.store.summary(record);
	const series: RatingSeries[] = [];
	if (users) series.push({ who: 'audience', counts: users.histogram, mean: users.mean });
	const rated = server !== undefined && server.mean !== null;
	if (rated) series.push({ who: 'server', counts: server.histogram, mean: server.mean });
	if (series.length === 0) return 'nothing';
	const key = ['ratings', ctx.store.version, record.film.id, rated ? server.histogram.join(',') : '', ctx.locale].join(':');
	try {
		return cachedChart(key, () => ratingChart(ctx.locale, filmLabel(record.film), series));
	} catch (error) {
		ctx.logger?.warn({ err: error, film: record.film.id }, 'could not draw the rating chart; the overview shows its text histogram');
		return 'failed';
	}
}

/**
 * The review at `index` in a film's member reviews: the one after the cursor `after` when there is one (a
 * single keyset read), else found by its number, PAGE_MAX at a time (Previous and a new order; a film's
 * member reviews in one server are rarely more than one such read). Past the end, the last review.
 */
export async function memberReviewAt(
	ctx: Context,
	guildId: string,
	filmId: string,
	order: ReviewOrder,
	index: number,
	after: string | null,
): Promise<Result<{ review: MemberReview | undefined; index: number; next: string | null; total: number }>> {
	if (after !== null) {
		const page = await ctx.members.memberReviews(guildId, filmId, { order, limit: 1, after });
		if (!page.ok) return page;
		const review = page.value.reviews[0];
		if (review !== undefined) return { ok: true, value: { review, index, next: page.value.next, total: page.value.total } };
	}
	let cursor: string | undefined;
	let skip = index;
	let read = 0;
	for (;;) {
		const page = await ctx.members.memberReviews(guildId, filmId, {
			order,
			limit: Math.min(PAGE_MAX, skip + 1),
			...(cursor === undefined ? {} : { after: cursor }),
		});
		if (!page.ok) return page;
		const { reviews, next, total } = page.value;
		// Read with a limit of skip + 1, the review asked for is the read's last (past the end, the last there is):
		// `next` is the cursor after it.
		if (skip < reviews.length || next === null)
			return { ok: true, value: { review: reviews.at(-1), index: read + Math.max(0, reviews.length - 1), next, total } };
		read += reviews.length;
		skip -= reviews.length;
		cursor = next;
	}
}

/** A member review's page; the overview when the film has none (left) in this server. */
async function memberPage(ctx: Context, guildId: string, record: FilmInfo, s: MemberState): Promise<ButtonResult> {
	const found = await memberReviewAt(ctx, guildId, record.film.id, s.sort, s.page - 1, s.after);
	if (!found.ok) return { kind: 'reply', reply: found.reason === 'invalid' ? unrecognised(ctx.locale) : readUnavailable(ctx.locale) };
	const { review, index, next, total } = found.value;
	if (review === undefined) return { kind: 'update', reply: await sitePage(ctx, record, atPage(s, 0)) };
	const state: MemberState = { ...s, page: index + 1 };
	const counts: Counts = { critic: record.criticCount, user: record.userCount, member: total };
	const embed = memberReviewEmbed(filmLabel(record.film), review, index, total, s.sort, ctx.locale);
	return { kind: 'update', reply: { embeds: [embed], components: pageComponents(ctx.locale, state, counts, next), files: [] } };
}

/**
 * Resolves what the user typed (a title, an alias, or the film id autocomplete sends). Not cached: the
 * in-memory lookup takes ~20 µs, a round trip to an external cache store 10-100 times that.
 */
export function resolveFilm(ctx: Context, query: string): { record: FilmInfo } | { reply: Reply } {
	const found = ctx.store.findFilm(query);
	if (found.found) return { record: found.record };
	return { reply: unknownFilm(ctx.locale, query, found.suggestions) };
}

const unrecognised = (locale: Locale): Reply => notice(t(locale, 'reviews.unrecognised'));

export const reviews: Command<typeof data> = {
	data,
	async run({ film }, ctx) {
		const resolved = resolveFilm(ctx, film);
		if ('reply' in resolved) return resolved.reply;
		const record = resolved.record;
		return sitePage(ctx, record, { filmId: record.film.id, kind: defaultKind(record), sort: 'helpful', page: 0, owner: ctx.userId });
	},
	autocomplete(_option, typed, ctx) {
		return filmChoices(ctx.store, typed);
	},
	buttonPrefix: PREFIX,
	async button(customId, ctx): Promise<ButtonResult> {
		const state = decodeState(customId);
		if (!state) return { kind: 'reply', reply: unrecognised(ctx.locale) };
		if (state.owner !== ctx.userId) return { kind: 'reply', reply: notice(t(ctx.locale, 'reviews.notYours')) };
		const record = ctx.store.film(state.filmId);
		if (!record) return { kind: 'reply', reply: notice(t(ctx.locale, 'reviews.filmGone')) };
		if (state.kind === 'member') {
			// Members' pages belong to the server the message is in; a DM has none.
			if (ctx.guildId !== null && state.page > 0) return memberPage(ctx, ctx.guildId, record, state);
			return { kind: 'update', reply: await sitePage(ctx, record, state) };
		}
		if (state.kind === 'critic' && record.criticCount === 0)
			return { kind: 'update', reply: await sitePage(ctx, record, { ...state, kind: 'user' }) };
		if (state.kind === 'user' && record.userCount === 0)
			return { kind: 'update', reply: await sitePage(ctx, record, { ...state, kind: 'critic' }) };
		return { kind: 'update', reply: await sitePage(ctx, record, state) };
	},
};
