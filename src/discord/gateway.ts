import { Client, GatewayIntentBits, type Interaction, MessageFlags, Options } from 'discord.js';
import type { Config } from '../config.js';
import { dispatch, type Deps, type Incoming, type Outcome } from './dispatch.js';
import type { FinalReply } from './respond.js';

/**
 * The discord.js side of the bot, and the only code that touches an `Interaction`: it turns one into
 * an `Incoming`, lets `dispatch` answer, and sends the `Outcome` back. Guilds intent only; mentions
 * are never parsed, on the client and on every payload.
 */
export function createClient(config: Pick<Config, 'DISCORD_API_BASE'>): Client {
	return new Client({
		intents: [GatewayIntentBits.Guilds],
		allowedMentions: { parse: [] },
		// Marquee reads nothing from messages or members; keep the caches small.
		makeCache: Options.cacheWithLimits({ MessageManager: 0, GuildMemberManager: 0, UserManager: 0, PresenceManager: 0, ReactionManager: 0 }),
		...(config.DISCORD_API_BASE === undefined ? {} : { rest: { api: config.DISCORD_API_BASE } }),
	});
}

export function toIncoming(interaction: Interaction): Incoming | undefined {
	const userId = interaction.user.id;
	// No channel (Discord sends one with every interaction now): the user's own, for a user id is never a channel's.
	const channelId = interaction.channelId ?? userId;
	if (interaction.isChatInputCommand()) {
		return { type: 'command', name: interaction.commandName, options: interaction.options.data, userId, channelId };
	}
	if (interaction.isAutocomplete()) {
		const focused = interaction.options.getFocused(true);
		return { type: 'autocomplete', name: interaction.commandName, options: interaction.options.data, focused: { name: focused.name, value: String(focused.value) }, userId, channelId };
	}
	if (interaction.isButton()) return { type: 'button', customId: interaction.customId, userId, channelId };
	return undefined;
}

function messageOptions(data: FinalReply) {
	return {
		content: data.content ?? '',
		embeds: data.embeds ?? [],
		components: data.components ?? [],
		allowedMentions: { parse: [] },
	};
}

async function send(interaction: Interaction, outcome: Outcome): Promise<void> {
	if (outcome.kind === 'choices') {
		if (interaction.isAutocomplete()) await interaction.respond(outcome.choices);
		return;
	}
	if (!interaction.isRepliable()) return;
	if (outcome.kind === 'update' && interaction.isButton()) {
		await interaction.update(messageOptions(outcome.data));
		return;
	}
	const ephemeral = outcome.data.flags !== undefined && (Number(outcome.data.flags) & MessageFlags.Ephemeral) !== 0;
	await interaction.reply({ ...messageOptions(outcome.data), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
}

/** Answers interactions on `client`; `inFlight` holds the replies under way, for a clean shutdown. */
export function attachDispatcher(client: Client, deps: Deps, inFlight: Set<Promise<void>>): void {
	client.on('interactionCreate', (interaction) => {
		let incoming: Incoming | undefined;
		try {
			incoming = toIncoming(interaction);
		} catch (error) {
			deps.logger.warn({ err: error }, 'could not read an interaction');
			return;
		}
		if (!incoming) return;
		const kind = incoming.type;
		const job = dispatch(incoming, deps)
			.then((outcome) => send(interaction, outcome))
			.catch((error: unknown) => {
				// Sending failed (the token expired, Discord refused it): nothing more to tell the user.
				deps.logger.warn({ err: error, interaction: kind }, 'could not send the reply');
			})
			.finally(() => inFlight.delete(job));
		inFlight.add(job);
	});
}
