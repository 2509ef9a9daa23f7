/**
 * `/rate`: a member's score (1-10) of a film in this server, taken back with `remove:true` or the confirmation's
 * button, and their written review of it, through a modal (title, body, spoiler checkbox) pre-filled when editing.
 */

import {
	type APIActionRowComponent,
	type APIButtonComponent,
	ApplicationCommandOptionType,
	ButtonStyle,
	ComponentType,
} from 'discord-api-types/v10';
import type { FilmInfo } from '../src/domain/store.js';
import { integer, type Locale, t } from '../src/i18n/index.js';
import type { MemberReview } from '../src/members/store.js';
import { BODY_MAX, SCORE_MAX, SCORE_MIN, TITLE_MAX } from '../src/members/schema.js';
import { safe } from '../src/reply/format.js';
import type { Modal, ModalField } from '../src/reply/modal.js';
import type { Reply } from '../src/reply/reply.js';
import { filmChoices, filmLabel, filmOption, notice } from './render.js';
import { resolveFilm } from './reviews.js';
import type { ButtonResult, Command, CommandData, Context } from './types.js';

const data = {
	name: 'rate',
	description: "Rate a film from 1 to 10 for this server's verdict, or take your rating back",
	options: [
		filmOption('film'),
		{
			type: ApplicationCommandOptionType.Integer,
			name: 'score',
			description: 'Your score, 1 (worst) to 10 (best)',
			min_value: SCORE_MIN,
			max_value: SCORE_MAX,
		},
		{ type: ApplicationCommandOptionType.Boolean, name: 'remove', description: 'Take your rating of the film back' },
	],
} as const satisfies CommandData;

// custom_id: rt:<action>:<film id>:<owner id> (at most 3+2+50+1+20 = 76 characters); the modal's is rt:m:<film id>.
const PREFIX = 'rt:';
const BUTTON_ID = /^rt:([xw]):([a-z0-9-]{1,50}):(\d{1,20})$/;
const MODAL_ID = /^rt:m:([a-z0-9-]{1,50})$/;
/** The modal's fields. */
const FIELD = { title: 'title', body: 'body', spoiler: 'spoiler' } as const;

/** The ephemeral answer, in `locale`, that a review was not saved: what its body and title may be. */
const invalidReview = (locale: Locale): Reply =>
	notice(t(locale, 'rate.invalidReview', { body: integer(locale, BODY_MAX), title: integer(locale, TITLE_MAX) }));

const filmName = (record: FilmInfo): string => `**${safe(filmLabel(record.film))}**`;

function button(
	customId: string,
	label: string,
	style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger,
): APIButtonComponent {
	return { type: ComponentType.Button, style, custom_id: customId, label };
}

/** Remove rating and Write a review, under a confirmation. */
function confirmationButtons(locale: Locale, filmId: string, owner: string): APIActionRowComponent<APIButtonComponent>[] {
	return [
		{
			type: ComponentType.ActionRow,
			components: [
				button(`${PREFIX}w:${filmId}:${owner}`, t(locale, 'rate.writeReview'), ButtonStyle.Primary),
				button(`${PREFIX}x:${filmId}:${owner}`, t(locale, 'rate.removeRating'), ButtonStyle.Secondary),
			],
		},
	];
}

/** "It was 6/10", or nothing when the score is new or the same. */
function change(locale: Locale, previous: number | null, score: number): string {
	if (previous === null) return '';
	return previous === score ? t(locale, 'rate.unchanged') : t(locale, 'rate.was', { score: String(previous) });
}

/** Why a rating or review could not be saved: the database is down, or Discord sent ids the store refuses. */
const unsaved = (locale: Locale, reason: 'unavailable' | 'invalid', what: 'rate.unavailable' | 'rate.reviewsUnavailable'): string =>
	t(locale, reason === 'unavailable' ? what : 'rate.invalid');

async function removeRating(ctx: Context, guildId: string, record: FilmInfo): Promise<string> {
	const removed = await ctx.members.unrate(guildId, ctx.userId, record.film.id);
	if (!removed.ok) return unsaved(ctx.locale, removed.reason, 'rate.unavailable');
	if (removed.value === null) return t(ctx.locale, 'rate.notRated', { film: filmName(record) });
	return t(ctx.locale, 'rate.removed', { film: filmName(record), score: String(removed.value) });
}

/** The review modal, in `locale`, pre-filled with the member's review when they have one. */
function reviewModal(locale: Locale, record: FilmInfo, review: MemberReview | null): Modal {
	return {
		customId: `${PREFIX}m:${record.film.id}`,
		title: t(locale, review === null ? 'rate.modal.new' : 'rate.modal.edit', { film: filmLabel(record.film) }),
		fields: [
			{
				kind: 'text',
				customId: FIELD.title,
				label: t(locale, 'rate.modal.title'),
				style: 'short',
				required: false,
				maxLength: TITLE_MAX,
				...(review ? { value: review.title } : {}),
			},
			{
				kind: 'text',
				customId: FIELD.body,
				label: t(locale, 'rate.modal.body'),
				style: 'paragraph',
				required: true,
				minLength: 1,
				maxLength: BODY_MAX,
				...(review ? { value: review.body } : {}),
			},
			{
				kind: 'checkbox',
				customId: FIELD.spoiler,
				label: t(locale, 'rate.modal.spoiler'),
				description: t(locale, 'rate.modal.spoilerHint'),
				checked: review?.spoiler ?? false,
			},
		],
	};
}

/** The submitted review's fields, or undefined when one is missing or of the wrong kind. */
function readReview(fields: readonly ModalField[]): { title: string; body: string; spoiler: boolean } | undefined {
	const value = (id: string) => fields.find((f) => f.customId === id)?.value;
	const title = value(FIELD.title) ?? '';
	const body = value(FIELD.body);
	const spoiler = value(FIELD.spoiler) ?? false;
	if (typeof title !== 'string' || typeof body !== 'string' || typeof spoiler !== 'boolean') return undefined;
	return { title, body, spoiler };
}

export const rate: Command<typeof data> = {
	data,
	async run({ film, score, remove }, ctx): Promise<Reply> {
		const { locale } = ctx;
		if (ctx.guildId === null) return notice(t(locale, 'rate.inDm'));
		if (remove === true && score !== undefined) return notice(t(locale, 'rate.both'));
		const resolved = resolveFilm(ctx, film);
		if ('reply' in resolved) return resolved.reply;
		const { record } = resolved;
		if (remove === true) return notice(await removeRating(ctx, ctx.guildId, record));
		if (score === undefined) return notice(t(locale, 'rate.noScore'));
		if (!Number.isInteger(score) || score < SCORE_MIN || score > SCORE_MAX) return notice(t(locale, 'rate.badScore'));
		const rated = await ctx.members.rate(ctx.guildId, ctx.userId, record.film.id, score);
		if (!rated.ok) return notice(unsaved(locale, rated.reason, 'rate.unavailable'));
		return {
			content: t(locale, 'rate.rated', { film: filmName(record), score: String(score), change: change(locale, rated.value, score) }),
			components: confirmationButtons(locale, record.film.id, ctx.userId),
			ephemeral: true,
		};
	},
	autocomplete(_option, typed, ctx) {
		return filmChoices(ctx.store, typed);
	},
	buttonPrefix: PREFIX,
	async button(customId, ctx): Promise<ButtonResult> {
		const { locale } = ctx;
		const m = BUTTON_ID.exec(customId);
		if (!m?.[2]) return { kind: 'reply', reply: notice(t(locale, 'rate.stale')) };
		if (m[3] !== ctx.userId) return { kind: 'reply', reply: notice(t(locale, 'rate.notYours')) };
		if (ctx.guildId === null) return { kind: 'reply', reply: notice(t(locale, 'rate.inDm')) };
		const record = ctx.store.film(m[2]);
		if (!record) return { kind: 'reply', reply: notice(t(locale, 'rate.gone')) };
		if (m[1] === 'x') return { kind: 'update', reply: { content: await removeRating(ctx, ctx.guildId, record), components: [] } };
		const review = await ctx.members.getReview(ctx.guildId, ctx.userId, record.film.id);
		if (!review.ok) return { kind: 'reply', reply: notice(unsaved(locale, review.reason, 'rate.reviewsUnavailable')) };
		return { kind: 'modal', modal: reviewModal(locale, record, review.value) };
	},
	async modal(customId, fields, ctx): Promise<Reply> {
		const { locale } = ctx;
		const m = MODAL_ID.exec(customId);
		if (!m?.[1]) return notice(t(locale, 'rate.stale'));
		if (ctx.guildId === null) return notice(t(locale, 'rate.inDm'));
		const record = ctx.store.film(m[1]);
		if (!record) return notice(t(locale, 'rate.gone'));
		const review = readReview(fields);
		if (review === undefined) return invalidReview(locale);
		const written = await ctx.members.writeReview(ctx.guildId, ctx.userId, record.film.id, review);
		if (!written.ok) return written.reason === 'unavailable' ? notice(t(locale, 'rate.reviewsUnavailable')) : invalidReview(locale);
		const spoiler = review.spoiler ? t(locale, 'rate.markedSpoiler') : '';
		return notice(t(locale, written.value === 'created' ? 'rate.saved' : 'rate.updated', { film: filmName(record), spoiler }));
	},
};
