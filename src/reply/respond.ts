/** The last step of every reply: Discord's limits applied (files' too), mentions off, the ephemeral flag set. */

import {
	type APIActionRowComponent,
	type APIButtonComponent,
	type APIEmbed,
	type APIInteractionResponseCallbackData,
	type APIApplicationCommandOptionChoice,
	ButtonStyle,
	MessageFlags,
} from 'discord-api-types/v10';
import type { Choice, Reply, ReplyFile } from './reply.js';
import { breakMentions, plain, truncate, truncateMarkdown } from './format.js';
import { Limits } from './limits.js';

/**
 * The callback data Discord's JSON expects, plus the files that go beside it (multipart): `files[i]` is the
 * attachment `attachments[i]` (id i) describes. Both are there, or neither: an empty pair drops an edited
 * message's files. The transports send `files` as multipart parts and never inside the JSON.
 */
export type FinalReply = APIInteractionResponseCallbackData & { allowed_mentions: { parse: [] }; files?: readonly ReplyFile[] };

/** A file name Marquee sends: lower-case letters, digits, `_` and `-`, then `.png` (an `attachment://` URL needs no escaping). */
export const FILE_NAME = /^[a-z0-9_-]{1,64}\.png$/;
const ATTACHMENT = 'attachment://';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const isPng = (data: Uint8Array): boolean => PNG_SIGNATURE.every((byte, i) => data[i] === byte);

/**
 * Every reply passes through here on its way to Discord (gateway, HTTP endpoint or console alike):
 * each text is cut to its limit on a word boundary without breaking a spoiler, all embeds together are
 * kept within 6,000 characters, components are capped, the ephemeral flag is set and `allowed_mentions` is empty.
 * Files keep their limits (see fitFiles), and an embed's `attachment://` image shows only a file the reply sends.
 */
export function finalizeReply(reply: Reply): FinalReply {
	const data: FinalReply = { allowed_mentions: { parse: [] } };
	if (reply.content !== undefined && reply.content !== '') data.content = truncateMarkdown(reply.content, Limits.content);
	const files = fitFiles(reply.files ?? []);
	if (reply.files !== undefined) {
		data.files = files;
		data.attachments = files.map((file, id) => ({ id: String(id), filename: file.name, description: file.description }));
	}
	const names = new Set(files.map((file) => file.name));
	data.embeds = fitTotal((reply.embeds ?? []).slice(0, Limits.embeds).map((embed) => fitEmbed(withSentImage(embed, names))));
	if (data.embeds.length === 0 && data.content === undefined) data.content = '\u200b';
	data.components = fitComponents(reply.components ?? []);
	if (reply.ephemeral) data.flags = MessageFlags.Ephemeral;
	return data;
}

/**
 * The files Discord takes: at most 10, each a PNG (by its signature) of at most 100 KB named as FILE_NAME says and unique in
 * the reply, its description (alt text) plain, with mentions broken (it holds film titles), within 1,024 characters. A file that breaks a rule is left out
 * (handlers keep to them; the charts check their size as they draw), so the rest of the reply still goes.
 */
function fitFiles(files: readonly ReplyFile[]): ReplyFile[] {
	const names = new Set<string>();
	const out: ReplyFile[] = [];
	for (const file of files) {
		const size = file.data.byteLength;
		if (!FILE_NAME.test(file.name) || names.has(file.name) || size > Limits.fileBytes || !isPng(file.data)) continue;
		names.add(file.name);
		out.push({ name: file.name, data: file.data, description: truncate(breakMentions(plain(file.description)), Limits.fileDescription) });
		if (out.length === Limits.files) break;
	}
	return out;
}

/** `embed`, less an image at an `attachment://` URL that names none of the reply's files (`names`): it would show nothing. */
function withSentImage(embed: APIEmbed, names: ReadonlySet<string>): APIEmbed {
	const url = embed.image?.url;
	if (url === undefined || !url.startsWith(ATTACHMENT) || names.has(url.slice(ATTACHMENT.length))) return embed;
	const { image: _image, ...rest } = embed;
	return rest;
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

type Kind = 'title' | 'description' | 'name' | 'value' | 'footer' | 'author';

const LIMIT: Record<Kind, number> = {
	title: Limits.embedTitle,
	description: Limits.embedDescription,
	name: Limits.fieldName,
	value: Limits.fieldValue,
	footer: Limits.footerText,
	author: Limits.authorName,
};

/** `embed` with `f` applied to each of its texts that count towards Discord's 6,000 characters. */
function mapTexts(embed: APIEmbed, f: (text: string, kind: Kind) => string): APIEmbed {
	const out: APIEmbed = { ...embed };
	if (embed.title !== undefined) out.title = f(embed.title, 'title');
	if (embed.description !== undefined) out.description = f(embed.description, 'description');
	if (embed.fields) out.fields = embed.fields.map((field) => ({ ...field, name: f(field.name, 'name'), value: f(field.value, 'value') }));
	if (embed.footer) out.footer = { ...embed.footer, text: f(embed.footer.text, 'footer') };
	if (embed.author) out.author = { ...embed.author, name: f(embed.author.name, 'author') };
	return out;
}

/**
 * `text` cut to at most `max` (at least 1) characters, never blank: Discord refuses blank field names and
 * values, and a zero-width space stands in. Footers and author names are plain text (no markdown).
 */
function cut(text: string, kind: Kind, max: number): string {
	const short = kind === 'footer' || kind === 'author' ? truncate(text, max) : truncateMarkdown(text, max);
	return short.trim() === '' ? '\u200b' : short;
}

function fitEmbed(embed: APIEmbed): APIEmbed {
	const fields = embed.fields?.slice(0, Limits.embedFields);
	// Footers and author names are plain text, but review data lands there raw: their mentions are broken too.
	return mapTexts({ ...embed, ...(fields ? { fields } : {}) }, (text, kind) =>
		cut(kind === 'footer' || kind === 'author' ? breakMentions(plain(text)) : text, kind, LIMIT[kind]),
	);
}

/** Shortest a description or field value is cut to before every other text gives up a share too. */
const MIN_TEXT = 40;
const isLong = (kind: Kind): boolean => kind === 'description' || kind === 'value';

/**
 * Keeps all embeds of a message together within Discord's 6,000 characters, in one pass: every text longer
 * than a cap is cut to it, the cap being the largest that fits, so ten long values all shrink a little rather
 * than the first one to nothing. Descriptions and field values give up their share first, down to MIN_TEXT;
 * past that every text does, field names included, down to one character. Ten embeds hold at most 540 texts,
 * so that always fits: no field is dropped and none is blank.
 */
function fitTotal(embeds: readonly APIEmbed[]): APIEmbed[] {
	const texts: { length: number; long: boolean }[] = [];
	for (const embed of embeds) {
		mapTexts(embed, (text, kind) => {
			texts.push({ length: text.length, long: isLong(kind) });
			return text;
		});
	}
	const fixed = sum(texts.filter((t) => !t.long).map((t) => t.length));
	const long = texts.filter((t) => t.long).map((t) => t.length);
	const longCap = capFor(long, Limits.embedTotal - fixed, MIN_TEXT);
	const anyCap = capFor(
		texts.map((t) => (t.long ? Math.min(t.length, longCap) : t.length)),
		Limits.embedTotal,
		1,
	);
	return embeds.map((embed) =>
		mapTexts(embed, (text, kind) => {
			const max = Math.min(anyCap, isLong(kind) ? longCap : Infinity);
			return text.length > max ? cut(text, kind, max) : text;
		}),
	);
}

/**
 * The largest cap (at least `floor`) that texts of these `lengths`, each cut to it, fit `budget` with; `floor`
 * when even that does not fit, Infinity when nothing needs cutting.
 */
function capFor(lengths: readonly number[], budget: number, floor: number): number {
	const fits = (cap: number): boolean => sum(lengths.map((n) => Math.min(n, cap))) <= budget;
	if (fits(Infinity)) return Infinity;
	let low = floor;
	let high = Math.max(floor, ...lengths);
	while (low < high) {
		const mid = Math.ceil((low + high) / 2);
		if (fits(mid)) low = mid;
		else high = mid - 1;
	}
	return low;
}

const sum = (ns: readonly number[]): number => ns.reduce((a, b) => a + b, 0);

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
				.map((button) =>
					'label' in button && button.label !== undefined
						? { ...button, label: truncate(plain(button.label), Limits.buttonLabel) }
						: button,
				),
		}))
		.filter((row) => row.components.length > 0);
}
