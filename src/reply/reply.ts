import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord-api-types/v10';
import { z } from 'zod';

/**
 * What every command handler returns: a plain, Discord-shaped message payload.
 * It knows nothing of discord.js; the gateway adapter, the HTTP endpoint and the
 * local console each turn it into their own output. `finalizeReply` (src/reply/respond.ts)
 * is the one place that enforces Discord's limits and sets `allowed_mentions`.
 */
export interface Reply {
	readonly content?: string;
	readonly embeds?: readonly APIEmbed[];
	readonly components?: readonly APIActionRowComponent<APIButtonComponent>[];
	/**
	 * Files sent with the message (charts), shown by an embed whose image is `attachment://<name>`. An empty list
	 * says the message has none: an edit then drops the files the message had.
	 */
	readonly files?: readonly ReplyFile[];
	/** Only the invoking user sees it. */
	readonly ephemeral?: boolean;
}

/** A file of a reply: a PNG (a chart) with the alt text Discord shows for it. */
export interface ReplyFile {
	/** `[a-z0-9_-]+.png`, unique in the reply; an embed shows it as `attachment://<name>`. */
	readonly name: string;
	readonly data: Uint8Array;
	/** The alt text: it says the numbers the image shows (at most 1,024 characters). */
	readonly description: string;
}

/** An autocomplete answer: at most 25 choices, names 1-100 chars, values <= 100 chars. */
export interface Choice {
	readonly name: string;
	readonly value: string;
}

/**
 * The subset of Discord's message shape that Marquee's replies use, for reading a rendered reply
 * back from the cache: a cached value that does not match is a miss, never a malformed message.
 */
export const EmbedSchema: z.ZodType<APIEmbed> = z.object({
	title: z.string().exactOptional(),
	description: z.string().exactOptional(),
	color: z.number().int().exactOptional(),
	fields: z.array(z.object({ name: z.string(), value: z.string(), inline: z.boolean().exactOptional() })).exactOptional(),
	footer: z.object({ text: z.string() }).exactOptional(),
	author: z.object({ name: z.string() }).exactOptional(),
});
