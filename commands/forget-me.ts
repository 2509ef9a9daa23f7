/** `/forget-me`: deletes every rating and review of the caller, in every server, once they confirm with a button. */

import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { plural } from '../src/domain/text.js';
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
			content: "This deletes every rating and review you have given with Marquee, in every server. It can't be undone.",
			components: [
				{
					type: ComponentType.ActionRow,
					components: [
						{ type: ComponentType.Button, style: ButtonStyle.Danger, custom_id: `${PREFIX}y:${ctx.userId}`, label: 'Delete everything' },
						{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `${PREFIX}n:${ctx.userId}`, label: 'Cancel' },
					],
				},
			],
			ephemeral: true,
		});
	},
	buttonPrefix: PREFIX,
	async button(customId, ctx): Promise<ButtonResult> {
		const m = CUSTOM_ID.exec(customId);
		if (!m) return { kind: 'reply', reply: notice("That button isn't one I recognise any more. Run `/forget-me` again.") };
		if (m[2] !== ctx.userId)
			return {
				kind: 'reply',
				reply: notice('Only the person who ran this `/forget-me` can confirm it. Run `/forget-me` yourself to delete your own data.'),
			};
		if (m[1] === 'n') return { kind: 'update', reply: { content: 'Nothing was deleted.', components: [] } };
		const forgotten = await ctx.members.forgetMe(ctx.userId);
		if (!forgotten.ok)
			return { kind: 'reply', reply: notice("Your ratings and reviews can't be deleted right now; try again in a minute.") };
		const { ratings, reviews } = forgotten.value;
		const content =
			ratings + reviews === 0
				? 'There was nothing to delete: you have no ratings or reviews with Marquee.'
				: `Deleted ${plural(ratings, 'rating')} and ${plural(reviews, 'review')} of yours, in every server.`;
		return { kind: 'update', reply: { content, components: [] } };
	},
};
