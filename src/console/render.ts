// A finalized reply or autocomplete choices → terminal text.
import { type APIApplicationCommandOptionChoice, type APIEmbed, ApplicationCommandOptionType, MessageFlags } from 'discord-api-types/v10';
import { findCommand } from '../../commands/index.js';
import { shownName } from '../../commands/localise.js';
import type { RawOption } from '../../commands/options.js';
import { COLOUR_NAMES } from '../../commands/render.js';
import { pngSize } from '../charts/png.js';
import { catalogueText, fixed, isKey, type Locale, t } from '../i18n/index.js';
import type { ReplyFile } from '../reply/reply.js';
import type { FinalReply } from '../reply/respond.js';
import { buttonsOf, renderButtons } from './buttons.js';

/** An embed colour's name in `locale`, or its hex code for a colour no command uses. */
function colourName(colour: number, locale: Locale): string {
	const name = COLOUR_NAMES[colour];
	if (name === undefined) return `#${colour.toString(16).padStart(6, '0')}`;
	const key = `console.colour.${name}`;
	return isKey(key) ? catalogueText(locale, key) : name;
}

/**
 * Discord markdown as plain text: code fences and bold/italic markers go, backslash escapes are
 * undone, spoilers stay as `||...||` (the console shows them, marked).
 */
export function markdownToText(text: string): string {
	const lines = text.split('\n').filter((line) => !/^```\w*$/.test(line.trim()));
	return lines
		.map((line) => {
			let out = '';
			for (let i = 0; i < line.length; i++) {
				const c = line[i] ?? '';
				const next = line[i + 1] ?? '';
				if (c === '\\' && /[^\p{L}\p{N}\s]/u.test(next)) {
					out += next;
					i++;
				} else if (c === '*' && next === '*') {
					i++;
				} else if (c === '_' && next === '_') {
					i++;
				} else if (c === '*') {
					// a lone star is italics
				} else {
					out += c;
				}
			}
			return out;
		})
		.join('\n');
}

function indent(text: string, by = '    '): string {
	return text
		.split('\n')
		.map((l) => (l === '' ? l : `${by}${l}`))
		.join('\n');
}

function visible(text: string | undefined): string | undefined {
	if (text === undefined) return undefined;
	return text.replace(/\u200b/g, '').trim() === '' ? undefined : text;
}

function renderEmbed(embed: APIEmbed, locale: Locale): string {
	const out: string[] = [];
	const title = visible(embed.title);
	const colour = embed.color === undefined ? '' : ` (${colourName(embed.color, locale)})`;
	// An embed without a title (a quote) gets no heading: its colour alone is no heading.
	if (title !== undefined) out.push(`== ${markdownToText(title)} ==${colour}`);
	const author = visible(embed.author?.name);
	if (author !== undefined) out.push(t(locale, 'console.by', { name: author }));
	const description = visible(embed.description);
	if (description !== undefined) out.push(markdownToText(description));
	for (const field of embed.fields ?? []) {
		const name = visible(field.name);
		const value = visible(field.value);
		if (name !== undefined) out.push(markdownToText(name));
		if (value !== undefined) out.push(indent(markdownToText(value)));
	}
	const footer = visible(embed.footer?.text);
	if (footer !== undefined) out.push(`-- ${footer}`);
	return out.join('\n');
}

/** A file as the console shows it: name, size and pixel size, then its alt text (which says the numbers). */
export function renderAttachment(file: ReplyFile, locale: Locale): string {
	const size = pngSize(file.data);
	const pixels = size === undefined ? t(locale, 'console.notPng') : `${size.width}×${size.height} px`;
	const kb = file.data.byteLength / 1024;
	// English keeps its number as it always was (toFixed); another locale writes its own decimal sign.
	const head = t(locale, 'console.attachment', {
		name: file.name,
		size: fixed(locale, kb, 1),
		pixels,
	});
	return file.description === '' ? head : `${head}\n${indent(file.description)}`;
}

/** A reply as text, the console's own words (the ephemeral mark, headings) in `locale`. */
export function renderReply(data: FinalReply, locale: Locale): string {
	const out: string[] = [];
	const ephemeral = data.flags !== undefined && (Number(data.flags) & MessageFlags.Ephemeral) !== 0;
	if (ephemeral) out.push(t(locale, 'console.onlyYou'));
	const content = visible(data.content);
	if (content !== undefined) out.push(markdownToText(content));
	for (const embed of data.embeds ?? []) out.push(renderEmbed(embed, locale));
	for (const file of data.files ?? []) out.push(renderAttachment(file, locale));
	const buttons = buttonsOf(data.components);
	if (buttons.some((row) => row.length > 0)) out.push(renderButtons(buttons, locale));
	return out.join('\n');
}

/** Autocomplete choices as a numbered list, each with the value it sends. */
export function renderChoices(choices: readonly APIApplicationCommandOptionChoice[], locale: Locale): string {
	if (choices.length === 0) return t(locale, 'console.noSuggestions');
	const width = Math.max(...choices.map((c) => c.name.length));
	return [
		t(locale, 'console.suggestions'),
		...choices.map((c, i) => `${String(i + 1).padStart(2)}. ${c.name.padEnd(width)}  (${String(c.value)})`),
	].join('\n');
}

/** Wraps lines longer than `width` on spaces; continuation lines keep the line's indentation. */
export function wrap(text: string, width: number): string {
	if (!Number.isFinite(width) || width < 20) return text;
	return text
		.split('\n')
		.map((line) => {
			if (line.length <= width) return line;
			const lead = /^\s*/.exec(line)?.[0] ?? '';
			const words = line.slice(lead.length).split(' ');
			const out: string[] = [];
			let current = lead;
			for (const word of words) {
				if (current.trim() !== '' && current.length + 1 + word.length > width) {
					out.push(current);
					current = lead + word;
				} else {
					current = current.trim() === '' ? lead + word : `${current} ${word}`;
				}
			}
			out.push(current);
			return out.join('\n');
		})
		.join('\n');
}

/**
 * The hint a handler wrote for Discord's client (in `locale`), in the console's words: here `?command` lists
 * suggestions, the command (and subcommand) named as `locale` shows it.
 */
export function withConsoleHint(data: FinalReply, name: string, options: readonly RawOption[], locale: Locale): FinalReply {
	const hint = t(locale, 'hint.autocomplete');
	const command = findCommand(name)?.data;
	if (data.content === undefined || !data.content.includes(hint) || !command) return data;
	const first = options[0];
	const sub = first?.type === ApplicationCommandOptionType.Subcommand ? command.options?.find((o) => o.name === first.name) : undefined;
	const shown = shownName(command, locale);
	const path = sub ? `${shown} ${shownName(sub, locale)}` : shown;
	return { ...data, content: data.content.replace(hint, t(locale, 'console.hint', { path })) };
}
