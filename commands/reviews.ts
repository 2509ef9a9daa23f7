/** `/reviews`: a film's overview (critics, audience, most helpful reviews) and buttons to page through every review. */

import {
	type APIActionRowComponent,
	type APIButtonComponent,
	type APIEmbed,
	ApplicationCommandOptionType,
	ButtonStyle,
	ComponentType,
} from 'discord-api-types/v10';
import { userBand } from '../src/domain/bands.js';
import type { AnyReview, FilmInfo, ReviewKind, ReviewSort } from '../src/domain/store.js';
import { plural } from '../src/domain/text.js';
import { safe } from '../src/reply/format.js';
import { Limits } from '../src/reply/limits.js';
import { EmbedSchema, type Reply } from '../src/reply/reply.js';
import {
	bandColour,
	bar,
	criticScoreText,
	filmChoices,
	filmLabel,
	helpfulText,
	humanDate,
	notice,
	oneDecimal,
	pageKey,
	reviewText,
	reviewTitle,
	stars,
	unknownFilm,
	userReviewField,
} from './render.js';
import type { ButtonResult, Command, CommandData, Context } from './types.js';

const data = {
	name: 'reviews',
	description: "A film's critic verdict, audience rating and most helpful reviews, with pages for every review",
	options: [
		{
			type: ApplicationCommandOptionType.String,
			name: 'film',
			description: 'Title or alias, e.g. Pusher II',
			required: true,
			autocomplete: true,
			max_length: 200,
		},
	],
} as const satisfies CommandData;

/** Where a /reviews message is: film, which reviews, in what order, which page (0 = overview), whose. */
interface PageState {
	readonly filmId: string;
	readonly kind: ReviewKind;
	readonly sort: ReviewSort;
	readonly page: number;
	readonly owner: string;
}

// custom_id: rv:<action>:<film id>:<kind><sort>:<page>:<owner id>, at most 3+3+51+3+11+20 = 91 of Discord's 100
// characters. A page number has up to 10 digits, far more reviews than a film can have (the review store
// ranks them with SQLite integers): every page of any film fits, so Next and Previous never make an id the decoder refuses.
const PREFIX = 'rv:';
const CUSTOM_ID = /^rv:([pnoikst]\d?):([a-z0-9-]{1,50}):([cu])([hnr]):(\d{1,10}):(\d{1,20})$/;
const KIND = { c: 'critic', u: 'user' } as const;
const SORT = { h: 'helpful', n: 'newest', r: 'rating' } as const;
const SORT_LABEL: Record<ReviewSort, string> = { helpful: 'Most helpful', newest: 'Newest', rating: 'Highest rated' };
/** Critics carry no helpful votes: their "most helpful" order is the page's own. */
const sortLabel = (kind: ReviewKind, sort: ReviewSort): string =>
	kind === 'critic' && sort === 'helpful' ? 'Page order' : SORT_LABEL[sort];
const orderText = (kind: ReviewKind, sort: ReviewSort): string => {
	const label = sortLabel(kind, sort);
	return label === 'Page order' ? 'in page order' : `${label.toLowerCase()} first`;
};

export function encodeState(action: string, s: PageState): string {
	return `${PREFIX}${action}:${s.filmId}:${s.kind[0]}${s.sort[0]}:${s.page}:${s.owner}`;
}

export function decodeState(customId: string): PageState | undefined {
	const m = CUSTOM_ID.exec(customId);
	if (!m) return undefined;
	const kind = m[3] === 'c' ? KIND.c : KIND.u;
	const sort = m[4] === 'n' ? SORT.n : m[4] === 'r' ? SORT.r : SORT.h;
	return { filmId: m[2] ?? '', kind, sort, page: Number(m[5]), owner: m[6] ?? '' };
}

function defaultKind(record: FilmInfo): ReviewKind {
	return record.userCount > 0 || record.criticCount === 0 ? 'user' : 'critic';
}

/** The overview: critic verdict and spread, audience mean and histogram, the most helpful reviews. */
function overviewEmbed(ctx: Context, record: FilmInfo): APIEmbed {
	const { critics, users } = ctx.store.summary(record);
	const fields: { name: string; value: string; inline?: boolean }[] = [];
	if (critics) {
		const spread = [
			critics.verdict === null ? null : safe(critics.verdict.replace(/ reviews$/i, '')),
			plural(critics.critics, 'critic'),
			`${critics.positive} positive`,
			`${critics.mixed} mixed`,
			`${critics.negative} negative`,
		].filter((p) => p !== null);
		const mean =
			critics.meanScore === null ? '' : `\nMean critic score **${Math.round(critics.meanScore)}/100** (${critics.scoredCount} scored)`;
		fields.push({ name: 'Critics', value: `${spread.join(' · ')}${mean}` });
	} else {
		fields.push({ name: 'Critics', value: 'No critic reviews for this film yet.' });
	}
	if (users) {
		const mean = users.mean === null ? 'No ratings yet' : `**${oneDecimal(users.mean)}/10** from ${plural(users.ratedCount, 'rating')}`;
		const site = users.siteReviewCount !== null && users.siteReviewCount > users.count ? ` (of ${users.siteReviewCount} on the site)` : '';
		fields.push({ name: 'Audience', value: `${mean} · ${plural(users.count, 'review')} here${site}` });
		const max = Math.max(...users.histogram);
		const rows = users.histogram.map((n, i) => `${String(i + 1).padStart(2)} ${bar(n, max)} ${n}`).reverse();
		fields.push({ name: 'Ratings', value: `\`\`\`\n${rows.join('\n')}\n\`\`\`` });
		users.mostHelpful.forEach((r, i) => {
			fields.push(userReviewField(r, 280, i === 0 ? 'Most helpful: ' : ''));
		});
	} else {
		fields.push({ name: 'Audience', value: 'No user reviews for this film yet.' });
	}
	const band = critics?.band ?? userBand(users?.mean ?? null);
	return {
		title: safe(filmLabel(record.film)),
		color: bandColour(band),
		fields,
	};
}

/** One review, in full as far as an embed allows; numbered (title and footer alike) by its place in the order shown. */
function reviewEmbed(record: FilmInfo, review: AnyReview, index: number, total: number, sort: ReviewSort): APIEmbed {
	const where = `${filmLabel(record.film)} · ${review.kind} review ${index + 1} of ${total} · ${orderText(review.kind, sort)}`;
	const more = '\n\n*(read more on the source site)*';
	if (review.kind === 'critic') {
		return {
			author: { name: review.credit },
			title: `Critic review #${index + 1}`,
			description: reviewText(review.excerpt, false, 3800, more),
			color: bandColour(review.band),
			fields: [
				{ name: 'Score', value: criticScoreText(review), inline: true },
				{ name: 'Date', value: humanDate(review.date), inline: true },
			],
			footer: { text: where },
		};
	}
	return {
		author: { name: review.author },
		title: reviewTitle(review, Limits.embedTitle),
		description: reviewText(review.body, review.spoiler, 3800, more),
		color: bandColour(userBand(review.rating)),
		fields: [
			{ name: 'Rating', value: stars(review.rating), inline: true },
			{ name: 'Date', value: humanDate(review.date), inline: true },
			{ name: 'Helpful', value: helpfulText(review), inline: true },
		],
		footer: { text: where },
	};
}

function button(customId: string, label: string, opts: { disabled?: boolean; primary?: boolean } = {}): APIButtonComponent {
	return {
		type: ComponentType.Button,
		style: opts.primary ? ButtonStyle.Primary : ButtonStyle.Secondary,
		custom_id: customId,
		label,
		disabled: opts.disabled ?? false,
	};
}

/**
 * Page buttons; every custom_id is distinct (the action letter differs) and carries the whole state. The
 * overview is no numbered page: it shows how many reviews there are, and review N shows "N / count".
 */
function pageComponents(record: FilmInfo, s: PageState, count: number): APIActionRowComponent<APIButtonComponent>[] {
	const where = s.page === 0 ? plural(count, 'review') : `${s.page} / ${count}`;
	const nav: APIButtonComponent[] = [
		button(encodeState('o', { ...s, page: 0 }), 'Overview', { disabled: s.page === 0 }),
		button(encodeState('p', { ...s, page: Math.max(0, s.page - 1) }), '◀ Previous', { disabled: s.page === 0 }),
		button(encodeState('i', s), where, { disabled: true }),
		button(encodeState('n', { ...s, page: Math.min(count, s.page + 1) }), 'Next ▶', { disabled: s.page >= count, primary: true }),
	];
	const rows: APIActionRowComponent<APIButtonComponent>[] = [{ type: ComponentType.ActionRow, components: nav }];
	const options: APIButtonComponent[] = [];
	if (record.criticCount > 0 && record.userCount > 0) {
		for (const kind of ['critic', 'user'] as const) {
			options.push(
				button(encodeState(`k${kind === 'critic' ? 1 : 2}`, { ...s, kind, page: 1 }), kind === 'critic' ? 'Critics' : 'Users', {
					disabled: s.kind === kind,
				}),
			);
		}
	}
	for (const [i, sort] of (['helpful', 'newest', 'rating'] as const).entries()) {
		options.push(
			button(encodeState(`s${i}`, { ...s, sort, page: Math.max(1, s.page) }), sortLabel(s.kind, sort), { disabled: s.sort === sort }),
		);
	}
	if (count > 0) rows.push({ type: ComponentType.ActionRow, components: options.slice(0, 5) });
	return rows;
}

async function renderPage(ctx: Context, record: FilmInfo, s: PageState): Promise<Reply> {
	const count = s.kind === 'critic' ? record.criticCount : record.userCount;
	const state = { ...s, page: Math.min(s.page, count) };
	const key = pageKey('reviews', ctx.store, record.film.id, `${state.kind[0]}${state.sort[0]}`, state.page);
	const { value: embed } = await ctx.cache.getOrCompute(key, EmbedSchema, () => {
		if (state.page === 0) return overviewEmbed(ctx, record);
		// One indexed lookup of the review at this place in this order, however deep the page.
		const review = ctx.store.review(record, state.kind, state.sort, state.page - 1);
		return review ? reviewEmbed(record, review, state.page - 1, count, state.sort) : overviewEmbed(ctx, record);
	});
	const footer =
		state.page === 0
			? { footer: { text: `${plural(count, `${state.kind} review`)} to page through · ${orderText(state.kind, state.sort)}` } }
			: {};
	return { embeds: [{ ...embed, ...footer }], components: pageComponents(record, state, count) };
}

/**
 * Resolves what the user typed (a title, an alias, or the film id autocomplete sends). Not cached: the
 * in-memory lookup takes ~20 µs, a round trip to an external cache store 10-100 times that.
 */
export function resolveFilm(ctx: Context, query: string): { record: FilmInfo } | { reply: Reply } {
	const found = ctx.store.findFilm(query);
	if (found.found) return { record: found.record };
	return { reply: unknownFilm(query, found.suggestions) };
}

export const reviews: Command<typeof data> = {
	data,
	async run({ film }, ctx) {
		const resolved = resolveFilm(ctx, film);
		if ('reply' in resolved) return resolved.reply;
		const record = resolved.record;
		return renderPage(ctx, record, { filmId: record.film.id, kind: defaultKind(record), sort: 'helpful', page: 0, owner: ctx.userId });
	},
	autocomplete(_option, typed, ctx) {
		return filmChoices(ctx.store, typed);
	},
	buttonPrefix: PREFIX,
	async button(customId, ctx): Promise<ButtonResult> {
		const state = decodeState(customId);
		if (!state)
			return { kind: 'reply', reply: notice("That button isn't one I recognise any more. Run `/reviews` again to get fresh pages.") };
		if (state.owner !== ctx.userId) {
			return {
				kind: 'reply',
				reply: notice('Only the person who ran this `/reviews` can turn its pages. Run `/reviews` yourself to browse.'),
			};
		}
		const record = ctx.store.film(state.filmId);
		if (!record)
			return {
				kind: 'reply',
				reply: notice("This film is no longer in Marquee's library, so these pages can't be turned. Run `/reviews` again."),
			};
		if (state.kind === 'critic' && record.criticCount === 0)
			return { kind: 'update', reply: await renderPage(ctx, record, { ...state, kind: 'user' }) };
		if (state.kind === 'user' && record.userCount === 0)
			return { kind: 'update', reply: await renderPage(ctx, record, { ...state, kind: 'critic' }) };
		return { kind: 'update', reply: await renderPage(ctx, record, state) };
	},
};
