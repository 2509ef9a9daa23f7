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

const RATE_TEXT = {
	inDm: 'Ratings belong to a server: run `/rate` in a server where Marquee is, and your rating counts there. (`/forget-me` works anywhere.)',
	unavailable: "Ratings can't be saved right now; try again in a minute.",
	reviewsUnavailable: "Reviews can't be saved right now; try again in a minute.",
	noScore: 'Give a `score` from 1 to 10, or `remove:true` to take your rating back.',
	both: 'Give a `score` or `remove:true`, not both.',
	badScore: 'The `score` must be a whole number from 1 to 10.',
	invalid: "That couldn't be saved: Discord sent ids I don't recognise.",
	invalidReview: `Your review wasn't saved: it needs a body of 1 to ${BODY_MAX.toLocaleString('en')} characters, and a title of at most ${TITLE_MAX}.`,
	notYours: 'These buttons belong to whoever ran this `/rate`. Run `/rate` yourself to rate a film.',
	stale: "That button isn't one I recognise any more. Run `/rate` again.",
	gone: "This film is no longer in Marquee's library. Run `/rate` again.",
} as const;

const filmName = (record: FilmInfo): string => `**${safe(filmLabel(record.film))}**`;

function button(
	customId: string,
	label: string,
	style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger,
): APIButtonComponent {
	return { type: ComponentType.Button, style, custom_id: customId, label };
}

/** Remove rating and Write a review, under a confirmation. */
function confirmationButtons(filmId: string, owner: string): APIActionRowComponent<APIButtonComponent>[] {
	return [
		{
			type: ComponentType.ActionRow,
			components: [
				button(`${PREFIX}w:${filmId}:${owner}`, 'Write a review', ButtonStyle.Primary),
				button(`${PREFIX}x:${filmId}:${owner}`, 'Remove rating', ButtonStyle.Secondary),
			],
		},
	];
}

/** "It was 6/10", or nothing when the score is new or the same. */
function change(previous: number | null, score: number): string {
	if (previous === null) return '';
	return previous === score ? ' (unchanged)' : ` (it was ${previous}/10)`;
}

async function removeRating(ctx: Context, guildId: string, record: FilmInfo): Promise<string> {
	const removed = await ctx.members.unrate(guildId, ctx.userId, record.film.id);
	if (!removed.ok) return removed.reason === 'unavailable' ? RATE_TEXT.unavailable : RATE_TEXT.invalid;
	if (removed.value === null) return `You hadn't rated ${filmName(record)} in this server.`;
	return `Removed your rating of ${filmName(record)} (it was ${removed.value}/10). A review you wrote of it stays.`;
}

/** The review modal, pre-filled with the member's review when they have one. */
function reviewModal(record: FilmInfo, review: MemberReview | null): Modal {
	return {
		customId: `${PREFIX}m:${record.film.id}`,
		title: `${review === null ? 'Review' : 'Edit your review of'} ${filmLabel(record.film)}`,
		fields: [
			{
				kind: 'text',
				customId: FIELD.title,
				label: 'Title',
				style: 'short',
				required: false,
				maxLength: TITLE_MAX,
				...(review ? { value: review.title } : {}),
			},
			{
				kind: 'text',
				customId: FIELD.body,
				label: 'Your review',
				style: 'paragraph',
				required: true,
				minLength: 1,
				maxLength: BODY_MAX,
				...(review ? { value: review.body } : {}),
			},
			{
				kind: 'checkbox',
				customId: FIELD.spoiler,
				label: 'Contains spoilers',
				description: 'Hidden behind a spoiler tag until a reader clicks it',
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
		if (ctx.guildId === null) return notice(RATE_TEXT.inDm);
		if (remove === true && score !== undefined) return notice(RATE_TEXT.both);
		const resolved = resolveFilm(ctx, film);
		if ('reply' in resolved) return resolved.reply;
		const { record } = resolved;
		if (remove === true) return notice(await removeRating(ctx, ctx.guildId, record));
		if (score === undefined) return notice(RATE_TEXT.noScore);
		if (!Number.isInteger(score) || score < SCORE_MIN || score > SCORE_MAX) return notice(RATE_TEXT.badScore);
		const rated = await ctx.members.rate(ctx.guildId, ctx.userId, record.film.id, score);
		if (!rated.ok) return notice(rated.reason === 'unavailable' ? RATE_TEXT.unavailable : RATE_TEXT.invalid);
		return {
			content: `You rated ${filmName(record)} **${score}/10** in this server${change(rated.value, score)}.`,
			components: confirmationButtons(record.film.id, ctx.userId),
			ephemeral: true,
		};
	},
	autocomplete(_option, typed, ctx) {
		return filmChoices(ctx.store, typed);
	},
	buttonPrefix: PREFIX,
	async button(customId, ctx): Promise<ButtonResult> {
		const m = BUTTON_ID.exec(customId);
		if (!m?.[2]) return { kind: 'reply', reply: notice(RATE_TEXT.stale) };
		if (m[3] !== ctx.userId) return { kind: 'reply', reply: notice(RATE_TEXT.notYours) };
		if (ctx.guildId === null) return { kind: 'reply', reply: notice(RATE_TEXT.inDm) };
		const record = ctx.store.film(m[2]);
		if (!record) return { kind: 'reply', reply: notice(RATE_TEXT.gone) };
		if (m[1] === 'x') return { kind: 'update', reply: { content: await removeRating(ctx, ctx.guildId, record), components: [] } };
		const review = await ctx.members.getReview(ctx.guildId, ctx.userId, record.film.id);
		if (!review.ok)
			return { kind: 'reply', reply: notice(review.reason === 'unavailable' ? RATE_TEXT.reviewsUnavailable : RATE_TEXT.invalid) };
		return { kind: 'modal', modal: reviewModal(record, review.value) };
	},
	async modal(customId, fields, ctx): Promise<Reply> {
		const m = MODAL_ID.exec(customId);
		if (!m?.[1]) return notice(RATE_TEXT.stale);
		if (ctx.guildId === null) return notice(RATE_TEXT.inDm);
		const record = ctx.store.film(m[1]);
		if (!record) return notice(RATE_TEXT.gone);
		const review = readReview(fields);
		if (review === undefined) return notice(RATE_TEXT.invalidReview);
		const written = await ctx.members.writeReview(ctx.guildId, ctx.userId, record.film.id, review);
		if (!written.ok) return notice(written.reason === 'unavailable' ? RATE_TEXT.reviewsUnavailable : RATE_TEXT.invalidReview);
		const spoiler = review.spoiler ? ', marked as containing spoilers' : '';
		return notice(`${written.value === 'created' ? 'Saved' : 'Updated'} your review of ${filmName(record)} in this server${spoiler}.`);
	},
};
