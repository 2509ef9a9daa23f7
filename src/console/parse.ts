// A typed console line → what to do: quit, help, a button press, or a command with its options.
import { type APIApplicationCommandOptionChoice, ApplicationCommandOptionType } from 'discord-api-types/v10';
import { commands, findCommand } from '../../commands/index.js';
import type { RawOption } from '../../commands/options.js';
import type { Command, CommandData } from '../../commands/types.js';
import { type Basic, basicOptions, subcommands } from './declared.js';
import { usage } from './help.js';

/** Longer lines are refused rather than parsed (nothing in Discord takes more than a few hundred characters). */
export const MAX_LINE = 4000;
const TOO_LONG = `That line is too long (more than ${MAX_LINE} characters). Type /help for the commands.`;

/** One parsed console line. */
export type ConsoleAction =
	| { readonly kind: 'empty' }
	| { readonly kind: 'quit' }
	| { readonly kind: 'help' }
	| { readonly kind: 'error'; readonly message: string }
	| { readonly kind: 'command'; readonly name: string; readonly options: RawOption[] }
	| { readonly kind: 'autocomplete'; readonly name: string; readonly options: RawOption[]; readonly focused: { readonly name: string; readonly value: string } }
	| { readonly kind: 'press'; readonly text: string };

function findCommandLoose(name: string): Command<CommandData> | undefined {
	return findCommand(name) ?? commands.find((c) => c.data.name.toLowerCase() === name.toLowerCase());
}

/** The option bare text goes to: the first required string option, else the first string option. */
function bareTarget(options: readonly Basic[]): Basic | undefined {
	const strings = options.filter((o) => o.type === ApplicationCommandOptionType.String);
	return strings.find((o) => o.required === true) ?? strings[0];
}

/** The option `?command text` completes: the first autocomplete option. */
function autocompleteTarget(options: readonly Basic[]): Basic | undefined {
	return options.find((o) => 'autocomplete' in o && o.autocomplete === true);
}

/**
 * Splits `text` into bare text and `key:value` pairs. A key starts the text or follows a space, and is
 * one of the command's option names (any case), or a word shaped like an option name (lowercase, from
 * a letter) with its value right after the colon, such as `extra:1`: that one is handed on for
 * `readArgs` to refuse as Discord would. So "Mission: Impossible" and "Star Wars: Episode IV" stay
 * text. A value runs until the next key.
 */
function splitPairs(text: string, names: readonly string[]): { bare: string; pairs: { key: string; value: string }[] } | { error: string } {
	const marks: { key: string; start: number; valueStart: number }[] = [];
	for (const m of text.matchAll(/(^|\s)([\p{L}\p{N}_-]+):/gu)) {
		const word = m[2] ?? '';
		const start = m.index + (m[1] ?? '').length;
		const valueStart = start + word.length + 1;
		const known = names.find((n) => n.toLowerCase() === word.toLowerCase());
		const optionShaped = /^[a-z][a-z0-9_-]*$/.test(word) && /\S/.test(text[valueStart] ?? ' ');
		if (known !== undefined || optionShaped) marks.push({ key: known ?? word, start, valueStart });
	}
	const bare = text.slice(0, marks[0]?.start ?? text.length).trim();
	const pairs: { key: string; value: string }[] = [];
	for (const [i, mark] of marks.entries()) {
		const value = text.slice(mark.valueStart, marks[i + 1]?.start ?? text.length).trim();
		if (pairs.some((p) => p.key === mark.key)) return { error: `You gave \`${mark.key}:\` twice.` };
		pairs.push({ key: mark.key, value });
	}
	return { bare, pairs };
}

/** A typed value as the option's type, or a message saying what was expected. */
function convert(def: Basic, text: string): { ok: true; value: string | number | boolean } | { ok: false; message: string } {
	switch (def.type) {
		case ApplicationCommandOptionType.Integer: {
			if (!/^-?\d+$/.test(text)) return { ok: false, message: `\`${def.name}\` must be a whole number, got “${text}”.` };
			return { ok: true, value: Number(text) };
		}
		case ApplicationCommandOptionType.Number: {
			const n = Number(text);
			if (text === '' || !Number.isFinite(n)) return { ok: false, message: `\`${def.name}\` must be a number, got “${text}”.` };
			return { ok: true, value: n };
		}
		case ApplicationCommandOptionType.Boolean: {
			const t = text.toLowerCase();
			if (['true', 'yes', 'y', '1', 'on'].includes(t)) return { ok: true, value: true };
			if (['false', 'no', 'n', '0', 'off'].includes(t)) return { ok: true, value: false };
			return { ok: false, message: `\`${def.name}\` must be true or false, got “${text}”.` };
		}
		default: {
			// A choice typed in another case still selects it (Discord shows choices as a list).
			if ('choices' in def && def.choices) {
				const choices: readonly APIApplicationCommandOptionChoice[] = def.choices;
				const match = choices.find((c) => String(c.value).toLowerCase() === text.toLowerCase() || c.name.toLowerCase() === text.toLowerCase());
				if (match) return { ok: true, value: match.value };
			}
			return { ok: true, value: text };
		}
	}
}

/** Parses one console line into what to do. Never throws. */
export function parseLine(line: string): ConsoleAction {
	const text = line.replace(/[\r\n]+/g, ' ').trim();
	if (text === '') return { kind: 'empty' };
	// The whole line counts: a pipe's long line arrives cut to MAX_LINE + 1 characters (capLines).
	if (line.length > MAX_LINE) return { kind: 'error', message: TOO_LONG };
	const lead = text[0];
	if (lead !== '/' && lead !== '?') {
		if (['quit', 'exit'].includes(text.toLowerCase())) return { kind: 'quit' };
		if (text.toLowerCase() === 'help') return { kind: 'help' };
		return { kind: 'press', text };
	}
	const autocomplete = lead === '?';
	const body = text.slice(1).trim();
	const space = body.search(/\s/);
	const name = (space === -1 ? body : body.slice(0, space)).toLowerCase();
	let rest = space === -1 ? '' : body.slice(space + 1).trim();
	if (!autocomplete && ['quit', 'exit', 'q'].includes(name)) return { kind: 'quit' };
	if (name === 'help' || name === '') return { kind: 'help' };
	if (!/^[\p{L}\p{N}_-]+$/u.test(name)) return { kind: 'error', message: `I didn't understand “${text.slice(0, 80)}”. Commands look like /reviews Pusher II; type /help for the list.` };
	const command = findCommandLoose(name);
	if (!command) {
		const close = commands.filter((c) => c.data.name.startsWith(name.slice(0, 2)));
		const hint = close.length > 0 ? ` Did you mean ${close.map((c) => `\`/${c.data.name}\``).join(', ')}?` : '';
		return { kind: 'error', message: `There is no \`/${name}\` command.${hint} Type /help for the list.` };
	}
	const data = command.data;

	// Subcommands: the first word names one; with a single subcommand it may be left out.
	const subs = subcommands(data);
	let sub: { name: string; options: Basic[] } | undefined;
	if (subs.length > 0) {
		const firstWord = (rest.split(/\s+/, 1)[0] ?? '').toLowerCase();
		sub = subs.find((s) => s.name === firstWord);
		if (sub) rest = rest.slice(firstWord.length).trim();
		else if (subs.length === 1) sub = subs[0];
		else return { kind: 'error', message: `Use one of: ${subs.map((s) => `/${data.name} ${s.name}`).join(', ')}.` };
	}
	const defs = sub ? sub.options : basicOptions(data.options);

	// `/reviews film:pus?` completes the option whose value ends in `?`; `?reviews pus` the first autocomplete option.
	let focusName: string | undefined;
	if (!autocomplete && rest.endsWith('?')) {
		const split = splitPairs(rest, defs.map((d) => d.name));
		const last = 'pairs' in split ? split.pairs.at(-1) : undefined;
		const def = last ? defs.find((d) => d.name === last.key) : undefined;
		if (last && def && 'autocomplete' in def && def.autocomplete === true) {
			focusName = last.key;
			rest = rest.slice(0, -1);
		}
	}
	const split = splitPairs(rest, defs.map((d) => d.name));
	if ('error' in split) return { kind: 'error', message: split.error };

	const given = new Map<string, string>();
	for (const p of split.pairs) given.set(p.key, p.value);
	if (split.bare !== '') {
		const target = autocomplete && focusName === undefined ? (autocompleteTarget(defs) ?? bareTarget(defs)) : bareTarget(defs);
		if (!target) return { kind: 'error', message: `\`/${data.name}\` takes no text like “${split.bare}”. Usage: ${usage(data)}` };
		if (given.has(target.name)) return { kind: 'error', message: `You gave \`${target.name}\` twice (as text and as \`${target.name}:\`). Usage: ${usage(data)}` };
		given.set(target.name, split.bare);
	}
	if (autocomplete && focusName === undefined) {
		const target = autocompleteTarget(defs);
		if (!target) return { kind: 'error', message: `\`/${data.name}\` has no option with suggestions.` };
		focusName = target.name;
		if (!given.has(target.name)) given.set(target.name, '');
	}

	const options: RawOption[] = [];
	for (const def of defs) {
		const value = given.get(def.name);
		if (value === undefined) continue;
		if (def.name === focusName) {
			options.push({ name: def.name, type: def.type, value });
			continue;
		}
		if (value === '') continue;
		const converted = convert(def, value);
		if (!converted.ok) return { kind: 'error', message: converted.message };
		options.push({ name: def.name, type: def.type, value: converted.value });
	}
	// Options the command does not declare go on as typed, for readArgs to refuse as Discord would.
	for (const p of split.pairs) {
		if (!defs.some((d) => d.name === p.key)) options.push({ name: p.key, type: ApplicationCommandOptionType.String, value: p.value });
	}
	const wrapped: RawOption[] = sub ? [{ name: sub.name, type: ApplicationCommandOptionType.Subcommand, options }] : options;
	if (focusName !== undefined) {
		return { kind: 'autocomplete', name: data.name, options: wrapped, focused: { name: focusName, value: given.get(focusName) ?? '' } };
	}
	return { kind: 'command', name: data.name, options: wrapped };
}
