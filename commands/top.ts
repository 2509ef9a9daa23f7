/** `/top [min_ratings]`: the server's best-rated films, ranked by a Bayesian average of its members' ratings. */

import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { Reply } from '../src/reply/reply.js';
import { filmNames, guildOnly, READ_UNAVAILABLE, TOP_SIZE, topEmbed } from './members-render.js';
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
		if (ctx.guildId === null) return guildOnly('/top');
		const list = await ctx.members.top(ctx.guildId, minRatings, TOP_SIZE);
		if (!list.ok) return list.reason === 'invalid' ? notice('`min_ratings` must be a whole number, at least 1.') : READ_UNAVAILABLE;
		const { prior, films } = list.value;
		// Nothing to rank is an answer, not a mistake: a plain message.
		if (prior.mean === null) return { content: 'No member of this server has rated a film yet: start with `/rate`.' };
		if (films.length === 0) return { content: `No film has ${minRatings} or more ratings in this server yet.` };
		return { embeds: [topEmbed(list.value, filmNames(ctx.store), minRatings)] };
	},
};
