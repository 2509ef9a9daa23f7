import { compare } from './compare.js';
import { critic } from './critic.js';
import { divisive } from './divisive.js';
import { forgetMe } from './forget-me.js';
import { localised } from './localise.js';
import { member } from './member.js';
import { quote } from './quote.js';
import { rate } from './rate.js';
import { reviews } from './reviews.js';
import { top } from './top.js';
import type { Command, CommandData } from './types.js';

const all: readonly Command<CommandData>[] = [reviews, critic, quote, rate, top, member, forgetMe, divisive, compare];

/**
 * Every command the bot handles and deploys. Listed by hand: what is here is what Discord gets, each
 * command's data with its names and descriptions in every locale Marquee speaks (./localise.ts).
 */
export const commands: readonly Command<CommandData>[] = all.map((c) => ({ ...c, data: localised(c.data) }));

export function findCommand(name: string): Command<CommandData> | undefined {
	return commands.find((c) => c.data.name === name);
}

export function findButtonOwner(customId: string): Command<CommandData> | undefined {
	return commands.find((c) => c.buttonPrefix !== undefined && customId.startsWith(c.buttonPrefix));
}
