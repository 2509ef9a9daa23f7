import {
	type APIActionRowComponent,
	type APIButtonComponent,
	type APIEmbed,
	type APIInteractionResponseCallbackData,
	type APIApplicationCommandOptionChoice,
	ButtonStyle,
	MessageFlags,
} from 'discord-api-types/v10';
import type { Choice, Reply } from '../reply.js';
import { breakMentions, plain, truncate, truncateMarkdown } from './format.js';
import { Limits } from './limits.js';

export type FinalReply = APIInteractionResponseCallbackData & { allowed_mentions: { parse: [] } };

/**
 * Every reply passes through here on its way to Discord (gateway, HTTP endpoint or console alike):
 * each text is cut to its limit on a word boundary without breaking a spoiler, the embed total is
 * kept under 6,000, components are capped, the ephemeral flag is set and `allowed_mentions` is empty.
 */
export function finalizeReply(reply: Reply): FinalReply {
	const data: FinalReply = { allowed_mentions: { parse: [] } };
	if (reply.content !== undefined && reply.content !== '') data.content = truncateMarkdown(reply.content, Limits.content);
	data.embeds = (reply.embeds ?? []).slice(0, Limits.embeds).map(fitEmbed);
	if (data.embeds.length === 0 && data.content === undefined) data.content = '\u200b';
	let budget = Limits.embedTotal;
	data.embeds = data.embeds.map((embed) => {
		const fitted = shrinkToTotal(embed, budget);
		budget -= embedLength(fitted);
		return fitted;
	});
	data.components = fitComponents(reply.components ?? []);
	if (reply.ephemeral) data.flags = MessageFlags.Ephemeral;
	return data;
}

/** Autocomplete choices within Discord's limits: at most 25, names 1-100, values at most 100, values unique. */
export function finalizeChoices(choices: readonly Choice[]): APIApplicationCommandOptionChoice<string>[] {
	const seen = new Set<string>();
	const out: APIApplicationCommandOptionChoice<string>[] = [];
	for (const choice of choices) {
		const value = choice.value.slice(0, Limits.choiceValue);
		const name = truncate(plain(choice.name), Limits.choiceName) || value || '?';
		if (value === '' || seen.has(value)) continue;
		seen.add(value);
		out.push({ name, value });
		if (out.length === Limits.choices) break;
	}
	return out;
}

export function embedLength(embed: APIEmbed): number {
	return (
		(embed.title?.length ?? 0) +
		(embed.description?.length ?? 0) +
		(embed.footer?.text.length ?? 0) +
		(embed.author?.name.length ?? 0) +
		(embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
	);
}


/** Discord refuses blank field names and values; a zero-width space stands in. */
const nonBlank = (text: string): string => (text.trim() === '' ? '\u200b' : text);

function fitEmbed(embed: APIEmbed): APIEmbed {
	const out: APIEmbed = { ...embed };
	if (embed.title !== undefined) out.title = nonBlank(truncateMarkdown(embed.title, Limits.embedTitle));
	if (embed.description !== undefined) out.description = nonBlank(truncateMarkdown(embed.description, Limits.embedDescription));
	// Footers and author names are plain text (no markdown), but review data lands there raw: their mentions are broken too.
	if (embed.footer) out.footer = { ...embed.footer, text: truncate(breakMentions(plain(embed.footer.text)), Limits.footerText) || '\u200b' };
	if (embed.author) out.author = { ...embed.author, name: truncate(breakMentions(plain(embed.author.name)), Limits.authorName) || '\u200b' };
	if (embed.fields) {
		out.fields = embed.fields.slice(0, Limits.embedFields).map((f) => ({
			...f,
			name: nonBlank(truncateMarkdown(f.name, Limits.fieldName)),
			value: nonBlank(truncateMarkdown(f.value, Limits.fieldValue)),
		}));
	}
	return out;
}

/** Shortest a description or field value is cut to; past that, fields are dropped instead (never a blank value). */
const MIN_TEXT = 40;

/**
 * Shortens the longest texts (description first, then field values) until the embed fits `budget`.
 * A field value gives up its share of the excess (the excess over the number of fields), so ten long
 * values all shrink a little rather than the first one to nothing.
 */
function shrinkToTotal(embed: APIEmbed, budget: number): APIEmbed {
	let out = embed;
	for (let guard = 0; embedLength(out) > budget && guard < 64; guard++) {
		const over = embedLength(out) - budget;
		const fields = out.fields ?? [];
		const longest = fields.reduce((best, f, i) => (f.value.length > (fields[best]?.value.length ?? -1) ? i : best), -1);
		const descLength = out.description?.length ?? 0;
		const longestField = fields[longest];
		if (out.description !== undefined && descLength >= (longestField?.value.length ?? 0) && descLength > MIN_TEXT) {
			out = { ...out, description: truncateMarkdown(out.description, Math.max(MIN_TEXT, descLength - over)) };
		} else if (longestField && longestField.value.length > MIN_TEXT) {
			const value = truncateMarkdown(longestField.value, Math.max(MIN_TEXT, longestField.value.length - Math.ceil(over / fields.length)));
			out = { ...out, fields: fields.map((f, i) => (i === longest ? { ...f, value } : f)) };
		} else if (fields.length > 0) {
			out = { ...out, fields: fields.slice(0, -1) };
		} else {
			out = { ...out, title: truncate(out.title ?? '', Math.max(0, (out.title?.length ?? 0) - over)) };
		}
	}
	return out;
}

function fitComponents(rows: readonly APIActionRowComponent<APIButtonComponent>[]): APIActionRowComponent<APIButtonComponent>[] {
	const ids = new Set<string>();
	return rows
		.slice(0, Limits.actionRows)
		.map((row) => ({
			...row,
			components: row.components
				.filter((button) => {
					if (button.style === ButtonStyle.Link || button.style === ButtonStyle.Premium) return true;
					// A custom_id that is too long or repeated would make Discord refuse the whole message.
					if (button.custom_id.length > Limits.customId || ids.has(button.custom_id)) return false;
					ids.add(button.custom_id);
					return true;
				})
				.slice(0, Limits.buttonsPerRow)
				.map((button) => ('label' in button && button.label !== undefined ? { ...button, label: truncate(plain(button.label), Limits.buttonLabel) } : button)),
		}))
		.filter((row) => row.components.length > 0);
}
