import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import type { Logger } from 'pino';
import { findButtonOwner, findCommand } from '../../commands/index.js';
import { type RawOption, readArgs } from '../../commands/options.js';
import type { Context } from '../../commands/types.js';
import type { Cache } from '../cache.js';
import type { ReviewStore } from '../domain/store.js';
import type { Reply } from '../reply.js';
import { type FinalReply, finalizeChoices, finalizeReply } from './respond.js';

/**
 * One incoming interaction, whatever carried it (the gateway, an HTTP endpoint or the local console).
 * The transports translate into this; nothing below knows about discord.js.
 */
export type Incoming =
	| { readonly type: 'command'; readonly name: string; readonly options: readonly RawOption[]; readonly userId: string; readonly channelId: string }
	| { readonly type: 'autocomplete'; readonly name: string; readonly options: readonly RawOption[]; readonly focused: { readonly name: string; readonly value: string }; readonly userId: string; readonly channelId: string }
	| { readonly type: 'button'; readonly customId: string; readonly userId: string; readonly channelId: string };

/** What to send back: a new message, an edit of the message the button sits on, or autocomplete choices. */
export type Outcome =
	| { readonly kind: 'reply'; readonly data: FinalReply }
	| { readonly kind: 'update'; readonly data: FinalReply }
	| { readonly kind: 'choices'; readonly choices: APIApplicationCommandOptionChoice<string>[] };

export interface Deps {
	readonly store: ReviewStore;
	readonly cache: Cache;
	readonly logger: Logger;
	readonly random?: () => number;
}

const FAILED: Reply = { content: 'Something went wrong while answering that. It has been logged; please try again in a moment.', ephemeral: true };

/**
 * The one place interactions are answered: it finds the handler, reads its options against the
 * command's data, runs it, makes the reply fit Discord's limits, and logs one line per interaction
 * with its latency and cache use. A handler that throws becomes an ephemeral apology and an error
 * log line; it never escapes as an exception.
 */
export async function dispatch(incoming: Incoming, deps: Deps): Promise<Outcome> {
	const started = performance.now();
	let cache: 'hit' | 'miss' | 'none' = 'none';
	const ctx: Context = {
		store: deps.store,
		cache: deps.cache,
		logger: deps.logger,
		userId: incoming.userId,
		channelId: incoming.channelId,
		random: deps.random ?? Math.random,
		noteCache: (hit) => {
			cache = hit && cache !== 'miss' ? 'hit' : 'miss';
		},
	};
	const what = incoming.type === 'button' ? incoming.customId.split(':')[0] ?? 'button' : incoming.name;
	let outcome: Outcome;
	let failed = false;
	try {
		outcome = await answer(incoming, ctx);
	} catch (error) {
		failed = true;
		deps.logger.error({ err: error, interaction: incoming.type, command: what }, 'handler failed');
		outcome = incoming.type === 'autocomplete' ? { kind: 'choices', choices: [] } : { kind: 'reply', data: finalizeReply(FAILED) };
	}
	deps.logger.info({ interaction: incoming.type, command: what, ms: Math.round((performance.now() - started) * 1000) / 1000, cache, failed }, 'interaction');
	return outcome;
}

async function answer(incoming: Incoming, ctx: Context): Promise<Outcome> {
	if (incoming.type === 'button') {
		const owner = findButtonOwner(incoming.customId);
		if (!owner?.button) {
			return { kind: 'reply', data: finalizeReply({ content: "That button isn't one I recognise any more. Run the command again.", ephemeral: true }) };
		}
		const result = await owner.button(incoming.customId, ctx);
		return { kind: result.kind, data: finalizeReply(result.reply) };
	}
	const command = findCommand(incoming.name);
	if (incoming.type === 'autocomplete') {
		if (!command?.autocomplete) return { kind: 'choices', choices: [] };
		return { kind: 'choices', choices: finalizeChoices(await command.autocomplete(incoming.focused.name, incoming.focused.value, ctx)) };
	}
	if (!command) return { kind: 'reply', data: finalizeReply({ content: `I don't have a \`/${incoming.name}\` command (any more). Try \`/reviews\`.`, ephemeral: true }) };
	const args = readArgs(command.data, incoming.options);
	if (!args.ok) return { kind: 'reply', data: finalizeReply({ content: args.message, ephemeral: true }) };
	return { kind: 'reply', data: finalizeReply(await command.run(args.args, ctx)) };
}
