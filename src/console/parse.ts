// A typed console line → what to do: quit, help, a button press, or a command with its options.
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { commands } from '../../commands/index.js';
import type { RawOption } from '../../commands/options.js';
import type { CommandData } from '../../commands/types.js';
import { type Basic, basicOptions, type Subcommand, subcommands } from './declared.js';
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
	| {
			readonly kind: 'autocomplete';
			readonly name: string;
			readonly options: RawOption[];
			readonly focused: { readonly name: string; readonly value: string };
	  }
	| { readonly kind: 'press'; readonly text: string }
	/** `/as NAME`: act as another member (`/as` alone says who). */
	| { readonly kind: 'as'; readonly name: string }
	/** `/guild ID` or `/guild dm`: act in another server, or as in a DM. */
	| { readonly kind: 'guild'; readonly guild: string }
	/** `/submit field:value ...`: fill in and send the form shown last. */
	| { readonly kind: 'submit'; readonly text: string };

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
export function splitPairs(
	text: string,
	names: readonly string[],
): { bare: string; pairs: { key: string; value: string }[] } | { error: string } {
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

/**
 * Typed text as Discord's client sends it for the option's type: a number for a number option, true or
 * false for a boolean one. Text that reads as neither goes on as typed, and readArgs refuses it as it
 * refuses a wrong type from any transport.
 */
function asSent(def: Basic | undefined, text: string): string | number | boolean {
	switch (def?.type) {
		case ApplicationCommandOptionType.Integer:
			return /^-?\d+$/.test(text) ? Number(text) : text;
		case ApplicationCommandOptionType.Number:
			return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
		case ApplicationCommandOptionType.Boolean:
			return text === 'true' ? true : text === 'false' ? false : text;
		default:
			return text;
	}
}

/** The registered commands' data: what a line may name. */
const REGISTERED: readonly CommandData[] = commands.map((c) => c.data);

/**
 * Parses one console line into what to do. Never throws. A command's options come out as typed, named
 * by the command's declared options: readArgs checks them (types, choices, subcommands, unknown
 * options) as it checks a Discord interaction's, and refuses them in the same words.
 */
export function parseLine(line: string, known: readonly CommandData[] = REGISTERED): ConsoleAction {
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
	if (!/^[\p{L}\p{N}_-]+$/u.test(name))
		return {
			kind: 'error',
			message: `I didn't understand “${text.slice(0, 80)}”. Commands look like /reviews Pusher II; type /help for the list.`,
		};
	if (!autocomplete && name === 'as') return { kind: 'as', name: rest };
	if (!autocomplete && name === 'guild') return { kind: 'guild', guild: rest };
	if (!autocomplete && name === 'submit') return { kind: 'submit', text: rest };
	const data = known.find((d) => d.name.toLowerCase() === name);
	if (!data) {
		const close = known.filter((d) => d.name.startsWith(name.slice(0, 2)));
		const hint = close.length > 0 ? ` Did you mean ${close.map((d) => `\`/${d.name}\``).join(', ')}?` : '';
		return { kind: 'error', message: `There is no \`/${name}\` command.${hint} Type /help for the list.` };
	}

	// Subcommands: the first word names one; with a single subcommand it may be left out. A word that
	// names none goes on as the subcommand, for readArgs to refuse.
	const subs = subcommands(data);
	let sub: Subcommand | undefined;
	if (subs.length > 0) {
		const firstWord = (rest.split(/\s+/, 1)[0] ?? '').toLowerCase();
		sub = subs.find((s) => s.name === firstWord);
		if (sub) rest = rest.slice(firstWord.length).trim();
		else if (subs.length === 1) sub = subs[0];
		else
			return {
				kind: 'command',
				name: data.name,
				options: firstWord === '' ? [] : [{ name: firstWord, type: ApplicationCommandOptionType.Subcommand, options: [] }],
			};
	}
	const defs = sub ? sub.options : basicOptions(data.options);

	// `/reviews film:pus?` completes the option whose value ends in `?`; `?reviews pus` the first autocomplete option.
	let focusName: string | undefined;
	if (!autocomplete && rest.endsWith('?')) {
		const split = splitPairs(
			rest,
			defs.map((d) => d.name),
		);
		const last = 'pairs' in split ? split.pairs.at(-1) : undefined;
		const def = last ? defs.find((d) => d.name === last.key) : undefined;
		if (last && def && 'autocomplete' in def && def.autocomplete === true) {
			focusName = last.key;
			rest = rest.slice(0, -1);
		}
	}
	const split = splitPairs(
		rest,
		defs.map((d) => d.name),
	);
	if ('error' in split) return { kind: 'error', message: split.error };

	const pairs = [...split.pairs];
	if (split.bare !== '') {
		const target = autocomplete && focusName === undefined ? (autocompleteTarget(defs) ?? bareTarget(defs)) : bareTarget(defs);
		if (!target) return { kind: 'error', message: `\`/${data.name}\` takes no text like “${split.bare}”. Usage: ${usage(data)}` };
		if (pairs.some((p) => p.key === target.name))
			return { kind: 'error', message: `You gave \`${target.name}\` twice (as text and as \`${target.name}:\`). Usage: ${usage(data)}` };
		pairs.unshift({ key: target.name, value: split.bare });
	}
	if (autocomplete && focusName === undefined) {
		const target = autocompleteTarget(defs);
		if (!target) return { kind: 'error', message: `\`/${data.name}\` has no option with suggestions.` };
		focusName = target.name;
		if (!pairs.some((p) => p.key === target.name)) pairs.push({ key: target.name, value: '' });
	}

	// Options the command does not declare go on too (as text), for readArgs to refuse as Discord would.
	const options: RawOption[] = pairs.map((p) => {
		const def = defs.find((d) => d.name === p.key);
		return {
			name: p.key,
			type: def?.type ?? ApplicationCommandOptionType.String,
			value: p.key === focusName ? p.value : asSent(def, p.value),
		};
	});
	const wrapped: RawOption[] = sub ? [{ name: sub.name, type: ApplicationCommandOptionType.Subcommand, options }] : options;
	if (focusName !== undefined) {
		return {
			kind: 'autocomplete',
			name: data.name,
			options: wrapped,
			focused: { name: focusName, value: pairs.find((p) => p.key === focusName)?.value ?? '' },
		};
	}
	return { kind: 'command', name: data.name, options: wrapped };
}
