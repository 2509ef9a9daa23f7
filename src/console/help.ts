// The console's help: each command's usage line and the help text /help prints.
import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import { commands } from '../../commands/index.js';
import type { CommandData } from '../../commands/types.js';
import { type Basic, basicOptions, subcommands } from './declared.js';

function describeOption(o: Basic): string {
	if (o.required === true) return `<${o.name}>`;
	const choices: readonly APIApplicationCommandOptionChoice[] = 'choices' in o && o.choices ? o.choices : [];
	return `[${o.name}:${choices.length > 0 ? choices.map((c) => String(c.value)).join('|') : '…'}]`;
}

function usageLines(data: CommandData): { usage: string; description: string }[] {
	const subs = subcommands(data);
	if (subs.length > 0) {
		return subs.map((s) => ({
			usage: [`/${data.name} ${s.name}`, ...s.options.map(describeOption)].join(' '),
			description: s.description,
		}));
	}
	return [{ usage: [`/${data.name}`, ...basicOptions(data.options).map(describeOption)].join(' '), description: data.description }];
}

export function usage(data: CommandData): string {
	return usageLines(data)
		.map((u) => u.usage)
		.join(', ');
}

export function helpText(): string {
	const lines = [
		"Marquee local console: the bot's commands, answered here instead of in Discord.",
		'',
		'Commands:',
		...commands.flatMap((c) => usageLines(c.data).map((u) => `  ${u.usage}\n      ${u.description}`)),
		'',
		'Options: bare text goes to the first required text option (/reviews Pusher II),',
		'  or name them: /reviews film:Pusher II, /quote random film:Pusher II kind:user',
		'Suggestions: ?reviews pus   or   /reviews film:pus?',
		"Buttons: type a button's number or label (e.g. 4 or next) to press it.",
		'Forms: a button that opens one (Write a review) lists its fields; /submit body:Great title:Yes spoiler:false sends it.',
		'Members: /as alice acts as another member (the same fake id every time), /as me comes back, /as says who;',
		'  /guild ID acts in another server, /guild dm as in a DM (start with --guild ID to choose the first).',
		"Images: a reply's files (charts) are listed with their size and alt text; start with --save-attachments DIR to write them there.",
		'/help shows this, /quit (or end of input) leaves.',
	];
	return lines.join('\n');
}
