/** Reads an interaction's options against a command's data: what a handler gets is what its data declares. */

import { type APIApplicationCommandBasicOption, ApplicationCommandOptionType } from 'discord-api-types/v10';
import { type Locale, t, whole } from '../src/i18n/index.js';
import { shownName } from './localise.js';
import type { ArgsOf, CommandData } from './types.js';

/** An option as an interaction carries it (Discord's shape; discord.js's `options.data` has it too). */
export interface RawOption {
	readonly name: string;
	readonly type: number;
	readonly value?: string | number | boolean | undefined;
	readonly options?: readonly RawOption[] | undefined;
}

type ArgsResult<D extends CommandData> = { readonly ok: true; readonly args: ArgsOf<D> } | { readonly ok: false; readonly message: string };

/**
 * Reads an interaction's options against the command's own definition: names, types, required
 * options and choices are checked here, so a handler only ever sees arguments its data declares.
 * A refusal is in `locale` (English where not given), naming the command, its options and choices as
 * Discord shows them to that user.
 */
export function readArgs<D extends CommandData>(data: D, raw: readonly RawOption[], locale: Locale): ArgsResult<D> {
	const defs = data.options ?? [];
	let options = raw;
	let basic: readonly APIApplicationCommandBasicOption[] = [];
	const command = `/${shownName(data, locale)}`;
	let path = command;
	const args: Record<string, string | number | boolean | undefined> = {};
	const sub = defs.find((d) => d.type === ApplicationCommandOptionType.Subcommand);
	if (sub) {
		const given = raw[0];
		const def = defs.find((d) => d.type === ApplicationCommandOptionType.Subcommand && d.name === given?.name);
		if (!given || !def || def.type !== ApplicationCommandOptionType.Subcommand) {
			const commands = defs.map((d) => `${command} ${shownName(d, locale)}`).join(', ');
			return { ok: false, message: t(locale, 'options.useOneOf', { commands }) };
		}
		args['subcommand'] = def.name;
		path += ` ${shownName(def, locale)}`;
		options = given.options ?? [];
		basic = def.options ?? [];
	} else {
		basic = defs.filter(
			(d): d is APIApplicationCommandBasicOption =>
				d.type !== ApplicationCommandOptionType.Subcommand && d.type !== ApplicationCommandOptionType.SubcommandGroup,
		);
	}
	// Discord sends only the options a command declares; another transport gets the refusal Discord would give.
	const unknown = options.find((o) => !basic.some((d) => d.name === o.name));
	if (unknown) {
		// A name that could be an option name is repeated; anything else (markdown, mentions) is not.
		const list =
			basic.length === 0
				? t(locale, 'options.none')
				: t(locale, 'options.list', { names: basic.map((d) => `\`${shownName(d, locale)}\``).join(', ') });
		const message = /^[-_\p{L}\p{N}]{1,32}$/u.test(unknown.name)
			? t(locale, 'options.unknown', { path, name: unknown.name, list })
			: t(locale, 'options.unknownUnnamed', { path, list });
		return { ok: false, message };
	}
	for (const def of basic) {
		const name = shownName(def, locale);
		const given = options.find((o) => o.name === def.name);
		const value = given?.value;
		if (value === undefined || value === '') {
			if (def.required) return { ok: false, message: t(locale, 'options.missing', { name }) };
			args[def.name] = undefined;
			continue;
		}
		// A user option's value is the user's id, a string.
		const text = def.type === ApplicationCommandOptionType.String || def.type === ApplicationCommandOptionType.User;
		const expected = text ? 'string' : def.type === ApplicationCommandOptionType.Boolean ? 'boolean' : 'number';
		if (typeof value !== expected) return { ok: false, message: t(locale, 'options.wrongType', { name }) };
		// Discord enforces max_length before sending; other transports must not hand a handler more (fuzzy search is quadratic).
		if (typeof value === 'string' && 'max_length' in def && def.max_length !== undefined && [...value].length > def.max_length) {
			return { ok: false, message: t(locale, 'options.tooLong', { name, max: whole(locale, def.max_length) }) };
		}
		if ('choices' in def && def.choices && !def.choices.some((c) => c.value === value)) {
			const choices = def.choices.map((c) => shownName(c, locale)).join(', ');
			return { ok: false, message: t(locale, 'options.notAChoice', { name, choices }) };
		}
		args[def.name] = value;
	}
	// Checked above against the same definition the type is inferred from.
	return { ok: true, args: args as ArgsOf<D> };
}
