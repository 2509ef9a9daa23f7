import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord-api-types/v10';

/**
 * What every command handler returns: a plain, Discord-shaped message payload.
 * It knows nothing of discord.js; the gateway adapter, the HTTP endpoint and the
 * local console each turn it into their own output. `finalizeReply` (src/discord/respond.ts)
 * is the one place that enforces Discord's limits and sets `allowed_mentions`.
 */
export interface Reply {
	readonly content?: string;
	readonly embeds?: readonly APIEmbed[];
	readonly components?: readonly APIActionRowComponent<APIButtonComponent>[];
	/** Only the invoking user sees it. */
	readonly ephemeral?: boolean;
}

/** An autocomplete answer: at most 25 choices, names 1-100 chars, values <= 100 chars. */
export interface Choice {
	readonly name: string;
	readonly value: string;
}
