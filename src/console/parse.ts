// A typed console line → what to do: quit, help, a button press, or a command with its options.
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { commands } from '../../commands/index.js';
import { type Named, shownName } from '../../commands/localise.js';
import type { RawOption } from '../../commands/options.js';
import type { CommandData } from '../../commands/types.js';
import { type Locale, t, whole } from '../i18n/index.js';
import { type Basic, basicOptions, type Subcommand, subcommands } from './declared.js';
import { userIdFor } from './identity.js';
import { usage } from './help.js';

/** Longer lines are refused rather than parsed (nothing in Discord takes more than a few hundred characters). */
export const MAX_LINE = 4000;

/** Whether `typed` names a command, subcommand or option: its own name or, in another locale, the name Discord shows there; any case. */
function names(named: Named, typed: string, locale: Locale): boolean {
	const wanted = typed.toLowerCase();
	return named.name.toLowerCase() === wanted || shownName(named, locale).toLowerCase() === wanted;
}

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
	keys: readonly string[],
	locale: Locale,
): { bare: string; pairs: { key: string; value: string }[] } | { error: string } {
	const marks: { key: string; start: number; valueStart: number }[] = [];
	for (const m of text.matchAll(/(^|\s)([\p{L}\p{N}_-]+):/gu)) {
		const word = m[2] ?? '';
		const start = m.index + (m[1] ?? '').length;
		const valueStart = start + word.length + 1;
		const known = keys.find((n) => n.toLowerCase() === word.toLowerCase());
		const optionShaped = /^[a-z][a-z0-9_-]*$/.test(word) && /\S/.test(text[valueStart] ?? ' ');
		if (known !== undefined || optionShaped) marks.push({ key: known ?? word, start, valueStart });
	}
	const bare = text.slice(0, marks[0]?.start ?? text.length).trim();
	const pairs: { key: string; value: string }[] = [];
	for (const [i, mark] of marks.entries()) {
		const value = text.slice(mark.valueStart, marks[i + 1]?.start ?? text.length).trim();
		if (pairs.some((p) => p.key === mark.key)) return { error: t(locale, 'console.twice', { key: mark.key }) };
		pairs.push({ key: mark.key, value });
	}
	return { bare, pairs };
}

/**
 * Typed text as Discord's client sends it for the option's type: a number for a number option, true or
 * false for a boolean one, a member's id for a user one (`alice` as `/as alice` names her, an id, or a mention), a
 * choice's value for its name as the locale shows it (`bruger` in Danish sends `user`). Text that reads as none of
 * these goes on as typed, and readArgs refuses it as it refuses a wrong type or choice from any transport.
 */
function asSent(def: Basic | undefined, text: string, locale: Locale): string | number | boolean {
	const choice = def && 'choices' in def ? def.choices?.find((c) => shownName(c, locale) === text) : undefined;
	if (choice) return choice.value;
	switch (def?.type) {
		case ApplicationCommandOptionType.Integer:
			return /^-?\d+$/.test(text) ? Number(text) : text;
		case ApplicationCommandOptionType.Number:
			return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
		case ApplicationCommandOptionType.Boolean:
			return text === 'true' ? true : text === 'false' ? false : text;
		case ApplicationCommandOptionType.User:
			// Discord's client sends the picked member's id; the console names members as `/as NAME` does.
			return /^\d{17,20}$/.test(text) ? text : (/^<@!?(\d{17,20})>$/.exec(text)?.[1] ?? userIdFor(text) ?? text);
		default:
			return text;
	}
}

/** The registered commands' data: what a line may name. */
const REGISTERED: readonly CommandData[] = commands.map((c) => c.data);

/**
 * Parses one console line into what to do. Never throws. A command's options come out as typed, named
 * by the command's declared options: readArgs checks them (types, choices, subcommands, unknown
 * options) as it checks a Discord interaction's, and refuses them in the same words. In another locale
 * than English, commands, subcommands, options and choices may be named as Discord shows them there
 * (`/anmeldelser`, `slags:bruger`) as well as by their own names; they go on under their own, and the
 * parser's messages are in that locale.
 */
export function parseLine(line: string, locale: Locale = 'en', known: readonly CommandData[] = REGISTERED): ConsoleAction {
	const text = line.replace(/[\r\n]+/g, ' ').trim();
	if (text === '') return { kind: 'empty' };
	// The whole line counts: a pipe's long line arrives cut to MAX_LINE + 1 characters (capLines).
	if (line.length > MAX_LINE) return { kind: 'error', message: t(locale, 'console.tooLong', { max: whole(locale, MAX_LINE) }) };
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
	if (!/^[\p{L}\p{N}_-]+$/u.test(name)) return { kind: 'error', message: t(locale, 'console.badLine', { text: text.slice(0, 80) }) };
	if (!autocomplete && name === 'as') return { kind: 'as', name: rest };
	if (!autocomplete && name === 'guild') return { kind: 'guild', guild: rest };
	if (!autocomplete && name === 'submit') return { kind: 'submit', text: rest };
	// A command by its own name, or in another locale by the name Discord shows there too.
	const data = known.find((d) => names(d, name, locale));
	if (!data) {
		const close = known.filter((d) => [d.name, shownName(d, locale)].some((n) => n.startsWith(name.slice(0, 2))));
		const hint =
			close.length > 0 ? ` ${t(locale, 'unknown.didYouMean', { names: close.map((d) => `\`/${shownName(d, locale)}\``).join(', ') })}` : '';
		return { kind: 'error', message: t(locale, 'console.noCommand', { name, hint }) };
	}
	const command = shownName(data, locale);

	// Subcommands: the first word names one; with a single subcommand it may be left out. A word that
	// names none goes on as the subcommand, for readArgs to refuse.
	const subs = subcommands(data);
	let sub: Subcommand | undefined;
	if (subs.length > 0) {
		const firstWord = (rest.split(/\s+/, 1)[0] ?? '').toLowerCase();
		sub = subs.find((s) => names(s, firstWord, locale));
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
	// An option is named by its own name or the one the locale shows; it goes on under its own, as Discord sends it.
	const keys = [...new Set(defs.flatMap((d) => [d.name, shownName(d, locale)]))];
	const defOf = (key: string): Basic | undefined => defs.find((d) => names(d, key, locale));

	// `/reviews film:pus?` completes the option whose value ends in `?`; `?reviews pus` the first autocomplete option.
	let focusName: string | undefined;
	if (!autocomplete && rest.endsWith('?')) {
		const split = splitPairs(rest, keys, locale);
		const last = 'pairs' in split ? split.pairs.at(-1) : undefined;
		const def = last ? defOf(last.key) : undefined;
		if (last && def && 'autocomplete' in def && def.autocomplete === true) {
			focusName = def.name;
			rest = rest.slice(0, -1);
		}
	}
	const split = splitPairs(rest, keys, locale);
	if ('error' in split) return { kind: 'error', message: split.error };

	const pairs: { key: string; value: string }[] = [];
	for (const pair of split.pairs) {
		const key = defOf(pair.key)?.name ?? pair.key;
		// An option named twice, once in each language.
		if (pairs.some((p) => p.key === key)) return { kind: 'error', message: t(locale, 'console.twice', { key: pair.key }) };
		pairs.push({ key, value: pair.value });
	}
	if (split.bare !== '') {
		const target = autocomplete && focusName === undefined ? (autocompleteTarget(defs) ?? bareTarget(defs)) : bareTarget(defs);
		if (!target)
			return { kind: 'error', message: t(locale, 'console.noText', { name: command, text: split.bare, usage: usage(data, locale) }) };
		if (pairs.some((p) => p.key === target.name))
			return {
				kind: 'error',
				message: t(locale, 'console.twiceAsText', { name: shownName(target, locale), usage: usage(data, locale) }),
			};
		pairs.unshift({ key: target.name, value: split.bare });
	}
	if (autocomplete && focusName === undefined) {
		const target = autocompleteTarget(defs);
		if (!target) return { kind: 'error', message: t(locale, 'console.noSuggestionOption', { name: command }) };
		focusName = target.name;
		if (!pairs.some((p) => p.key === target.name)) pairs.push({ key: target.name, value: '' });
	}

	// Options the command does not declare go on too (as text), for readArgs to refuse as Discord would.
	const options: RawOption[] = pairs.map((p) => {
		const def = defs.find((d) => d.name === p.key);
		return {
			name: p.key,
			type: def?.type ?? ApplicationCommandOptionType.String,
			value: p.key === focusName ? p.value : asSent(def, p.value, locale),
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
