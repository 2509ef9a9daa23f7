/** `/forget-me`: deletes every rating and review of the caller, in every server, once they confirm with a button. */

import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { t, counted } from '../src/i18n/index.js';
import { notice } from './render.js';
import type { ButtonResult, Command, CommandData } from './types.js';

const data = {
	name: 'forget-me',
	description: 'Delete every rating and review you have given, in every server',
} as const satisfies CommandData;

// custom_id: fm:<y (delete) | n (cancel)>:<owner id>.
const PREFIX = 'fm:';
const CUSTOM_ID = /^fm:([yn]):(\d{1,20})$/;

export const forgetMe: Command<typeof data> = {
	data,
	run(_args, ctx) {
		return Promise.resolve({
			content: t(ctx.locale, 'forgetMe.confirm'),
			components: [
				{
					type: ComponentType.ActionRow,
					components: [
						{
							type: ComponentType.Button,
							style: ButtonStyle.Danger,
							custom_id: `${PREFIX}y:${ctx.userId}`,
							label: t(ctx.locale, 'forgetMe.delete'),
						},
						{
							type: ComponentType.Button,
							style: ButtonStyle.Secondary,
							custom_id: `${PREFIX}n:${ctx.userId}`,
							label: t(ctx.locale, 'forgetMe.cancel'),
						},
					],
				},
			],
			ephemeral: true,
		});
	},
	buttonPrefix: PREFIX,
	async button(customId, ctx): Promise<ButtonResult> {
		const { locale } = ctx;
		const m = CUSTOM_ID.exec(customId);
		if (!m) return { kind: 'reply', reply: notice(t(locale, 'forgetMe.unrecognised')) };
		if (m[2] !== ctx.userId) return { kind: 'reply', reply: notice(t(locale, 'forgetMe.notYours')) };
		if (m[1] === 'n') return { kind: 'update', reply: { content: t(locale, 'forgetMe.cancelled'), components: [] } };
		const forgotten = await ctx.members.forgetMe(ctx.userId);
		if (!forgotten.ok) return { kind: 'reply', reply: notice(t(locale, 'forgetMe.unavailable')) };
		const { ratings, reviews } = forgotten.value;
		const content =
			ratings + reviews === 0
				? t(locale, 'forgetMe.nothing')
				: t(locale, 'forgetMe.deleted', { ratings: counted(locale, ratings, 'rating'), reviews: counted(locale, reviews, 'review') });
		return { kind: 'update', reply: { content, components: [] } };
	},
};
