/** `/top [min_ratings]`: the server's best-rated films, ranked by a Bayesian average of its members' ratings. */

import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { t, whole } from '../src/i18n/index.js';
import type { Reply } from '../src/reply/reply.js';
import { filmNames, guildOnly, readUnavailable, TOP_SIZE, topEmbed } from './members-render.js';
import { notice } from './render.js';
import type { Command, CommandData } from './types.js';

const data = {
	name: 'top',
	description: "This server's best-rated films, by its members' ratings",
	options: [
		{
			type: ApplicationCommandOptionType.Integer,
			name: 'min_ratings',
			description: 'Only films with at least this many ratings (default 1)',
			min_value: 1,
			max_value: 1000,
		},
	],
} as const satisfies CommandData;

export const top: Command<typeof data> = {
	data,
	async run({ min_ratings: minRatings = 1 }, ctx): Promise<Reply> {
		const { locale } = ctx;
		if (ctx.guildId === null) return guildOnly(locale, 'top');
		const list = await ctx.members.top(ctx.guildId, minRatings, TOP_SIZE);
		if (!list.ok) return list.reason === 'invalid' ? notice(t(locale, 'top.invalid')) : readUnavailable(locale);
		const { prior, films } = list.value;
		// Nothing to rank is an answer, not a mistake: a plain message.
		if (prior.mean === null) return { content: t(locale, 'top.nobody') };
		if (films.length === 0) return { content: t(locale, 'top.tooFew', { n: whole(locale, minRatings) }) };
		return { embeds: [topEmbed(list.value, filmNames(ctx.store), minRatings, locale)] };
	},
};
