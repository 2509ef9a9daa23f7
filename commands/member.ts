/** `/member user:`: a member's ratings and reviews in this server, newest first, paged when long. */

import {
	type APIActionRowComponent,
	type APIButtonComponent,
	ApplicationCommandOptionType,
	ButtonStyle,
	ComponentType,
} from 'discord-api-types/v10';
import type { Reply } from '../src/reply/reply.js';
import { filmNames, guildOnly, memberEmbed, memberPages, mention, READ_UNAVAILABLE } from './members-render.js';
import { notice } from './render.js';
import type { ButtonResult, Command, CommandData, Context } from './types.js';

const data = {
	name: 'member',
	description: "A member's ratings and reviews in this server",
	options: [{ type: ApplicationCommandOptionType.User, name: 'user', description: 'Whose ratings and reviews', required: true }],
} as const satisfies CommandData;

// custom_id: mb:<action>:<page>:<member id>:<owner id>, at most 3+2+6+21+20 = 52 characters.
const PREFIX = 'mb:';
const CUSTOM_ID = /^mb:([pin]):(\d{1,6}):(\d{1,20}):(\d{1,20})$/;

interface MemberPage {
	readonly user: string;
	readonly page: number;
	readonly owner: string;
}

const encode = (action: string, s: MemberPage): string => `${PREFIX}${action}:${s.page}:${s.user}:${s.owner}`;

function decode(customId: string): MemberPage | undefined {
	const m = CUSTOM_ID.exec(customId);
	return m?.[2] === undefined || m[3] === undefined || m[4] === undefined ? undefined : { page: Number(m[2]), user: m[3], owner: m[4] };
}

function pageButtons(s: MemberPage, pages: number): APIActionRowComponent<APIButtonComponent>[] {
	if (pages <= 1) return [];
	const button = (action: string, page: number, label: string, disabled: boolean, primary = false): APIButtonComponent => ({
		type: ComponentType.Button,
		style: primary ? ButtonStyle.Primary : ButtonStyle.Secondary,
		custom_id: encode(action, { ...s, page }),
		label,
		disabled,
	});
	return [
		{
			type: ComponentType.ActionRow,
			components: [
				button('p', Math.max(0, s.page - 1), '◀ Previous', s.page === 0),
				button('i', s.page, `${s.page + 1} / ${pages}`, true),
				button('n', Math.min(pages - 1, s.page + 1), 'Next ▶', s.page >= pages - 1, true),
			],
		},
	];
}

/** Page `s.page` of the member's activity (the last page when it has fewer now), or the line saying why not. */
async function render(ctx: Context, guildId: string, s: MemberPage): Promise<Reply> {
	const activity = await ctx.members.member(guildId, s.user);
	if (!activity.ok) return activity.reason === 'invalid' ? notice("That isn't a member I can look up.") : READ_UNAVAILABLE;
	const { ratings, reviews } = activity.value;
	if (ratings.length === 0 && reviews.length === 0)
		return { content: `${mention(s.user)} hasn't rated or reviewed a film in this server yet.` };
	const pages = memberPages(activity.value);
	const state = { ...s, page: Math.min(s.page, pages - 1) };
	return { embeds: [memberEmbed(s.user, activity.value, filmNames(ctx.store), state.page)], components: pageButtons(state, pages) };
}

export const member: Command<typeof data> = {
	data,
	async run({ user }, ctx) {
		if (ctx.guildId === null) return guildOnly('/member');
		return render(ctx, ctx.guildId, { user, page: 0, owner: ctx.userId });
	},
	buttonPrefix: PREFIX,
	async button(customId, ctx): Promise<ButtonResult> {
		const state = decode(customId);
		if (!state)
			return { kind: 'reply', reply: notice("That button isn't one I recognise any more. Run `/member` again to get fresh pages.") };
		if (state.owner !== ctx.userId)
			return {
				kind: 'reply',
				reply: notice('Only the person who ran this `/member` can turn its pages. Run `/member` yourself to browse.'),
			};
		if (ctx.guildId === null) return { kind: 'reply', reply: guildOnly('/member') };
		const reply = await render(ctx, ctx.guildId, state);
		return reply.ephemeral === true ? { kind: 'reply', reply } : { kind: 'update', reply };
	},
};
