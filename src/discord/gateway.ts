import {
	Client,
	type ClientOptions,
	ComponentType,
	GatewayIntentBits,
	type Interaction,
	MessageFlags,
	type ModalSubmitInteraction,
	Options,
	Status,
} from 'discord.js';
import type { Config } from '../config.js';
import { dispatch, type Deps, type Incoming, type ModalField, type Outcome } from './dispatch.js';
import type { FinalReply } from '../reply/respond.js';

/**
 * The discord.js side of the bot, and the only code that touches an `Interaction`: it turns one into
 * an `Incoming`, lets `dispatch` answer, and sends the `Outcome` back. Guilds intent only; mentions
 * are never parsed, on the client and on every payload.
 */
export function createClient(config: Pick<Config, 'DISCORD_API_BASE' | 'SHARD_COUNT'>): Client {
	const options: ClientOptions = {
		intents: [GatewayIntentBits.Guilds],
		allowedMentions: { parse: [] },
		// Marquee reads nothing from messages or members; keep the caches small.
		makeCache: Options.cacheWithLimits({
			MessageManager: 0,
			GuildMemberManager: 0,
			UserManager: 0,
			PresenceManager: 0,
			ReactionManager: 0,
		}),
		...(config.DISCORD_API_BASE === undefined ? {} : { rest: { api: config.DISCORD_API_BASE } }),
	};
	// Under `npm run start:sharded` the ShardingManager sets SHARDS and SHARD_COUNT (numbers) for this shard, and the client reads them.
	if (process.env['SHARDING_MANAGER'] !== undefined) return new Client(options);
	return withoutShardVariables(() => new Client({ ...options, ...shardsFor(config.SHARD_COUNT) }));
}

/** One process runs every shard: SHARD_COUNT of them, or Discord's recommendation when it is unset or "auto". */
function shardsFor(count: Config['SHARD_COUNT']): Pick<ClientOptions, 'shards' | 'shardCount'> {
	if (count === undefined || count === 'auto') return { shards: 'auto' };
	return { shards: Array.from({ length: count }, (_, i) => i), shardCount: count };
}

/**
 * discord.js's Client reads SHARDS and SHARD_COUNT from process.env whenever its shard count is left at
 * one, expecting the ShardingManager's numbers there. Outside the manager SHARD_COUNT is Marquee's own
 * setting ("auto", or empty in a copied .env.example), which it would read as NaN or 0 and throw: the
 * client is built with the validated value and without those two variables in sight.
 */
function withoutShardVariables<T>(make: () => T): T {
	const saved = { SHARDS: process.env['SHARDS'], SHARD_COUNT: process.env['SHARD_COUNT'] };
	delete process.env['SHARDS'];
	delete process.env['SHARD_COUNT'];
	try {
		return make();
	} finally {
		for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
	}
}

/** For GET /readyz: ready once logged in and while every shard of this process is connected. */
export function gatewayCheck(client: Client): { readonly ok: boolean; readonly detail: string } {
	const shards = [...client.ws.shards.values()];
	const connected = shards.filter((shard) => shard.status === Status.Ready).length;
	const ok = client.isReady() && connected === shards.length;
	return { ok, detail: `${client.isReady() ? 'logged in' : 'not logged in'}, ${connected} of ${shards.length} shards connected` };
}

export function toIncoming(interaction: Interaction): Incoming | undefined {
	const userId = interaction.user.id;
	// No channel (Discord sends one with every interaction now): the user's own, for a user id is never a channel's.
	const channelId = interaction.channelId ?? userId;
	const origin = { userId, channelId, guildId: interaction.guildId, locale: interaction.locale, guildLocale: interaction.guildLocale };
	if (interaction.isChatInputCommand()) {
		return { type: 'command', name: interaction.commandName, options: interaction.options.data, ...origin };
	}
	if (interaction.isAutocomplete()) {
		const focused = interaction.options.getFocused(true);
		return {
			type: 'autocomplete',
			name: interaction.commandName,
			options: interaction.options.data,
			focused: { name: focused.name, value: String(focused.value) },
			...origin,
		};
	}
	if (interaction.isButton()) return { type: 'button', customId: interaction.customId, ...origin };
	if (interaction.isModalSubmit()) return { type: 'modal', customId: interaction.customId, fields: modalFields(interaction), ...origin };
	return undefined;
}

/** A submitted modal's text inputs (their text) and checkboxes (ticked or not); other fields Marquee never shows. */
function modalFields(interaction: ModalSubmitInteraction): ModalField[] {
	const fields: ModalField[] = [];
	for (const field of interaction.fields.fields.values()) {
		if (field.type === ComponentType.TextInput || field.type === ComponentType.Checkbox)
			fields.push({ customId: field.customId, value: field.value });
	}
	return fields;
}

/**
 * discord.js's options for a reply or an edit. Files go as multipart parts: discord.js numbers them in order, as
 * finalizeReply did, and sends an empty list as `attachments: []`, which drops an edited message's old files.
 */
export function messageOptions(data: FinalReply) {
	return {
		content: data.content ?? '',
		embeds: data.embeds ?? [],
		components: data.components ?? [],
		allowedMentions: { parse: [] },
		...(data.files === undefined
			? {}
			: {
					files: data.files.map((file) => ({
						attachment: Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength),
						name: file.name,
						description: file.description,
					})),
				}),
	};
}

async function send(interaction: Interaction, outcome: Outcome): Promise<void> {
	if (outcome.kind === 'choices') {
		if (interaction.isAutocomplete()) await interaction.respond(outcome.choices);
		return;
	}
	if (outcome.kind === 'modal') {
		// discord.js sends a plain object as it is: Labels and Checkboxes need no builder of its own.
		if (interaction.isButton() || interaction.isChatInputCommand()) await interaction.showModal(outcome.data);
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
