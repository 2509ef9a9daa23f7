// The console's help: each command's usage line and the help text /help prints, in the console's locale.
import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import { commands } from '../../commands/index.js';
import { shownDescription, shownName } from '../../commands/localise.js';
import type { CommandData } from '../../commands/types.js';
import { type Locale, t } from '../i18n/index.js';
import { type Basic, basicOptions, subcommands } from './declared.js';

function describeOption(o: Basic, locale: Locale): string {
	const name = shownName(o, locale);
	if (o.required === true) return `<${name}>`;
	const choices: readonly APIApplicationCommandOptionChoice[] = 'choices' in o && o.choices ? o.choices : [];
	// A choice is typed by its value in English (as it always was), by its shown name in another locale.
	const shown = choices.map((c) => (locale === 'en' ? String(c.value) : shownName(c, locale)));
	return `[${name}:${shown.length > 0 ? shown.join('|') : '…'}]`;
}

function usageLines(data: CommandData, locale: Locale): { usage: string; description: string }[] {
	const command = `/${shownName(data, locale)}`;
	const subs = subcommands(data);
	if (subs.length > 0) {
		return subs.map((s) => ({
			usage: [`${command} ${shownName(s, locale)}`, ...s.options.map((o) => describeOption(o, locale))].join(' '),
			description: shownDescription(s, locale),
		}));
	}
	return [
		{
			usage: [command, ...basicOptions(data.options).map((o) => describeOption(o, locale))].join(' '),
			description: shownDescription(data, locale),
		},
	];
}

export function usage(data: CommandData, locale: Locale): string {
	return usageLines(data, locale)
		.map((u) => u.usage)
		.join(', ');
}

export function helpText(locale: Locale): string {
	const lines = [
		t(locale, 'console.help.intro'),
		'',
		t(locale, 'console.help.commands'),
		...commands.flatMap((c) => usageLines(c.data, locale).map((u) => `  ${u.usage}\n      ${u.description}`)),
		'',
		t(locale, 'console.help.usage'),
	];
	return lines.join('\n');
}
