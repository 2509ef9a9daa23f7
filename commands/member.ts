/** `/member user:`: a member's ratings and reviews in this server, newest first, paged when long. */

import { type APIActionRowComponent, type APIButtonComponent, ApplicationCommandOptionType, ComponentType } from 'discord-api-types/v10';
import { type Locale, t, whole } from '../src/i18n/index.js';
import type { Reply } from '../src/reply/reply.js';
import { filmNames, guildOnly, memberEmbed, memberPages, mention, readUnavailable } from './members-render.js';
import { button, notice } from './render.js';
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

function pageButtons(locale: Locale, s: MemberPage, pages: number): APIActionRowComponent<APIButtonComponent>[] {
	if (pages <= 1) return [];
	const nav = [
		button(encode('p', { ...s, page: Math.max(0, s.page - 1) }), t(locale, 'reviews.previous'), { disabled: s.page === 0 }),
		button(encode('i', s), `${whole(locale, s.page + 1)} / ${whole(locale, pages)}`, { disabled: true }),
		button(encode('n', { ...s, page: Math.min(pages - 1, s.page + 1) }), t(locale, 'reviews.next'), {
			disabled: s.page >= pages - 1,
			primary: true,
		}),
	];
	return [{ type: ComponentType.ActionRow, components: nav }];
}

/** Page `s.page` of the member's activity (the last page when it has fewer now), or the line saying why not. */
async function render(ctx: Context, guildId: string, s: MemberPage): Promise<Reply> {
	const activity = await ctx.members.member(guildId, s.user);
	const { locale } = ctx;
	if (!activity.ok) return activity.reason === 'invalid' ? notice(t(locale, 'member.invalid')) : readUnavailable(locale);
	const { ratings, reviews } = activity.value;
	if (ratings.length === 0 && reviews.length === 0) return { content: t(locale, 'member.nothing', { member: mention(s.user) }) };
	const pages = memberPages(activity.value);
	const state = { ...s, page: Math.min(s.page, pages - 1) };
	return {
		embeds: [memberEmbed(s.user, activity.value, filmNames(ctx.store), state.page, locale)],
		components: pageButtons(locale, state, pages),
	};
}

export const member: Command<typeof data> = {
	data,
	async run({ user }, ctx) {
		if (ctx.guildId === null) return guildOnly(ctx.locale, 'member');
		return render(ctx, ctx.guildId, { user, page: 0, owner: ctx.userId });
	},
	buttonPrefix: PREFIX,
	async button(customId, ctx): Promise<ButtonResult> {
		const state = decode(customId);
		if (!state) return { kind: 'reply', reply: notice(t(ctx.locale, 'member.unrecognised')) };
		if (state.owner !== ctx.userId) return { kind: 'reply', reply: notice(t(ctx.locale, 'member.notYours')) };
		if (ctx.guildId === null) return { kind: 'reply', reply: guildOnly(ctx.locale, 'member') };
		const reply = await render(ctx, ctx.guildId, state);
		return reply.ephemeral === true ? { kind: 'reply', reply } : { kind: 'update', reply };
	},
};
