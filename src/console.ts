import { createInterface } from 'node:readline';
import { type Readable, Transform, type Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import {
	type APIApplicationCommandBasicOption,
	type APIApplicationCommandOption,
	type APIApplicationCommandOptionChoice,
	type APIEmbed,
	ApplicationCommandOptionType,
	ButtonStyle,
	ComponentType,
	MessageFlags,
} from 'discord-api-types/v10';
import { commands, findCommand } from '../commands/index.js';
import type { RawOption } from '../commands/options.js';
import { AUTOCOMPLETE_HINT } from '../commands/render.js';
import type { Command, CommandData } from '../commands/types.js';
import { dispatch, type Deps, type Incoming, type Outcome } from './discord/dispatch.js';
import type { FinalReply } from './reply/respond.js';

/**
 * The local console: the same `dispatch`, handlers, cache and config as the bot, driven by typed
 * lines instead of Discord. It is only a transport: it turns a line into an `Incoming` and an
 * `Outcome` into readable text, and keeps the last message's buttons so they can be pressed.
 */

/** Snowflake-shaped, so custom_ids that embed the owner id stay valid. */
export const CONSOLE_USER_ID = '100000000000000001';
export const CONSOLE_CHANNEL_ID = '100000000000000002';

/** Longer lines are refused rather than parsed (nothing in Discord takes more than a few hundred characters). */
const MAX_LINE = 4000;
const TOO_LONG = `That line is too long (more than ${MAX_LINE} characters). Type /help for the commands.`;

export interface ConsoleIo {
	readonly input: Readable;
	readonly output: Writable;
	/** Prompt and echo behaviour; default: whether `input` is a TTY. A pipe gets no prompt. */
	readonly interactive?: boolean;
}

export interface ConsoleOptions {
	readonly userId?: string;
	readonly channelId?: string;
	/** Ends the console (after the line being answered), like the end of input. */
	readonly signal?: AbortSignal;
}

/** One parsed console line. */
export type ConsoleAction =
	| { readonly kind: 'empty' }
	| { readonly kind: 'quit' }
	| { readonly kind: 'help' }
	| { readonly kind: 'error'; readonly message: string }
	| { readonly kind: 'command'; readonly name: string; readonly options: RawOption[] }
	| { readonly kind: 'autocomplete'; readonly name: string; readonly options: RawOption[]; readonly focused: { readonly name: string; readonly value: string } }
	| { readonly kind: 'press'; readonly text: string };

/** A button as the console shows it: its number is its position, counted from 1. */
export interface ShownButton {
	readonly label: string;
	readonly customId: string | undefined;
	readonly disabled: boolean;
}

type Basic = APIApplicationCommandBasicOption;

function isSubcommand(o: APIApplicationCommandOption): boolean {
	return o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup;
}

function basicOptions(options: readonly APIApplicationCommandOption[] | undefined): Basic[] {
	return (options ?? []).filter((o): o is Basic => !isSubcommand(o));
}

function subcommands(data: CommandData): { name: string; options: Basic[] }[] {
	return (data.options ?? []).flatMap((o) => (o.type === ApplicationCommandOptionType.Subcommand ? [{ name: o.name, options: basicOptions(o.options) }] : []));
}

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
export function splitPairs(text: string, names: readonly string[]): { bare: string; pairs: { key: string; value: string }[] } | { error: string } {
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

function describeOption(o: Basic): string {
	if (o.required === true) return `<${o.name}>`;
	const choices: readonly APIApplicationCommandOptionChoice[] = 'choices' in o && o.choices ? o.choices : [];
	return `[${o.name}:${choices.length > 0 ? choices.map((c) => String(c.value)).join('|') : '…'}]`;
}

function usageLines(data: CommandData): { usage: string; description: string }[] {
	const subs = (data.options ?? []).flatMap((o) => (o.type === ApplicationCommandOptionType.Subcommand ? [o] : []));
	if (subs.length > 0) {
		return subs.map((s) => ({ usage: [`/${data.name} ${s.name}`, ...basicOptions(s.options).map(describeOption)].join(' '), description: s.description }));
	}
	return [{ usage: [`/${data.name}`, ...basicOptions(data.options).map(describeOption)].join(' '), description: data.description }];
}

function usage(data: CommandData): string {
	return usageLines(data)
		.map((u) => u.usage)
		.join(', ');
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

// ---------------------------------------------------------------------------------------------
// Rendering

const COLOUR_WORDS: readonly [number, string][] = [
	[0x66cc33, 'green'],
	[0xffcc33, 'yellow'],
	[0xff3333, 'red'],
	[0x5865f2, 'blurple'],
	[0x57f287, 'green'],
	[0xfee75c, 'yellow'],
	[0xed4245, 'red'],
	[0xeb459e, 'pink'],
	[0xffffff, 'white'],
	[0x000000, 'black'],
	[0x808080, 'grey'],
	[0x3498db, 'blue'],
	[0xe67e22, 'orange'],
	[0x9b59b6, 'purple'],
];

/** The nearest colour word for an embed colour. */
export function colourWord(colour: number): string {
	const rgb = (c: number): [number, number, number] => [(c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff];
	const [r, g, b] = rgb(colour);
	let best = 'grey';
	let bestDistance = Infinity;
	for (const [value, word] of COLOUR_WORDS) {
		const [r2, g2, b2] = rgb(value);
		const d = (r - r2) ** 2 + (g - g2) ** 2 + (b - b2) ** 2;
		if (d < bestDistance) {
			bestDistance = d;
			best = word;
		}
	}
	return best;
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

export function renderEmbed(embed: APIEmbed): string {
	const out: string[] = [];
	const title = visible(embed.title);
	const colour = embed.color === undefined ? '' : ` (${colourWord(embed.color)})`;
	// An embed without a title (a quote) gets no heading: its colour alone is no heading.
	if (title !== undefined) out.push(`== ${markdownToText(title)} ==${colour}`);
	const author = visible(embed.author?.name);
	if (author !== undefined) out.push(`by ${author}`);
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

export function buttonsOf(rows: FinalReply['components']): ShownButton[][] {
	const out: ShownButton[][] = [];
	for (const row of rows ?? []) {
		if (row.type !== ComponentType.ActionRow) continue;
		const shown: ShownButton[] = [];
		for (const b of row.components) {
			if (b.type !== ComponentType.Button) continue;
			shown.push({
				label: 'label' in b && b.label !== undefined ? b.label : '?',
				customId: 'custom_id' in b ? b.custom_id : undefined,
				disabled: b.disabled === true || b.style === ButtonStyle.Link || b.style === ButtonStyle.Premium,
			});
		}
		out.push(shown);
	}
	return out;
}

/** `[Label]` for a button that can be pressed, `(Label)` for a disabled one, each with its number. */
export function renderButtons(rows: readonly ShownButton[][]): string {
	let n = 0;
	const lines = rows.map((row) => row.map((b) => `${++n} ${b.disabled ? `(${b.label})` : `[${b.label}]`}`).join('  '));
	return lines.map((line, i) => `${i === 0 ? 'Buttons: ' : '         '}${line}`).join('\n');
}

export function renderReply(data: FinalReply): string {
	const out: string[] = [];
	const ephemeral = data.flags !== undefined && (Number(data.flags) & MessageFlags.Ephemeral) !== 0;
	if (ephemeral) out.push('(only you can see this)');
	const content = visible(data.content);
	if (content !== undefined) out.push(markdownToText(content));
	for (const embed of data.embeds ?? []) out.push(renderEmbed(embed));
	const buttons = buttonsOf(data.components);
	if (buttons.some((row) => row.length > 0)) out.push(renderButtons(buttons));
	return out.join('\n');
}

export function renderOutcome(outcome: Outcome): string {
	if (outcome.kind === 'choices') {
		if (outcome.choices.length === 0) return 'No suggestions.';
		const width = Math.max(...outcome.choices.map((c) => c.name.length));
		return ['Suggestions:', ...outcome.choices.map((c, i) => `${String(i + 1).padStart(2)}. ${c.name.padEnd(width)}  (${String(c.value)})`)].join('\n');
	}
	return renderReply(outcome.data);
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

// ---------------------------------------------------------------------------------------------
// The loop

export function helpText(): string {
	const lines = [
		'Marquee local console: the bot\'s commands, answered here instead of in Discord.',
		'',
		'Commands:',
		...commands.flatMap((c) => usageLines(c.data).map((u) => `  ${u.usage}\n      ${u.description}`)),
		'',
		'Options: bare text goes to the first required text option (/reviews Pusher II),',
		'  or name them: /reviews film:Pusher II, /quote random film:Pusher II kind:user',
		'Suggestions: ?reviews pus   or   /reviews film:pus?',
		'Buttons: type a button\'s number or label (e.g. 4 or next) to press it.',
		'/help shows this, /quit (or end of input) leaves.',
	];
	return lines.join('\n');
}

function normaliseLabel(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

/** The button `text` names: its number, its label (case and symbols ignored) or a unique label prefix. */
export function findButton(buttons: readonly ShownButton[], text: string): ShownButton | undefined {
	const t = text.trim();
	if (/^\d+$/.test(t)) return buttons[Number(t) - 1];
	const wanted = normaliseLabel(t);
	if (wanted === '') return undefined;
	const exact = buttons.filter((b) => b.label.toLowerCase() === t.toLowerCase() || normaliseLabel(b.label) === wanted);
	if (exact.length > 0) return exact.find((b) => !b.disabled) ?? exact[0];
	const prefix = buttons.filter((b) => normaliseLabel(b.label).startsWith(wanted));
	return prefix.length === 1 ? prefix[0] : undefined;
}

/**
 * Passes text through with each line cut to `max` + 1 characters. readline holds a whole line before
 * handing it over, so a pipe's endless line (a file with no newline) would otherwise be held whole,
 * up to a string too long for V8; cut, it is still over `max` and refused as too long, never read as
 * a shorter command. A line ends at `\n` or `\r`, as readline reads it.
 */
export function capLines(max: number): Transform {
	const decoder = new StringDecoder('utf8');
	// Characters of the current line so far, kept or not.
	let length = 0;
	const cut = (text: string): string | undefined => {
		let out = '';
		let from = 0;
		const keep = (to: number): void => {
			const room = max + 1 - length;
			if (room > 0) out += text.slice(from, from + Math.min(room, to - from));
			length += to - from;
		};
		for (const end of text.matchAll(/[\r\n]/g)) {
			keep(end.index);
			out += end[0];
			length = 0;
			from = end.index + 1;
		}
		keep(text.length);
		return out === '' ? undefined : out;
	};
	return new Transform({
		transform(chunk: unknown, _encoding, done) {
			done(null, cut(Buffer.isBuffer(chunk) ? decoder.write(chunk) : String(chunk)));
		},
		flush(done) {
			done(null, cut(decoder.end()));
		},
	});
}

/** The hint a handler wrote for Discord's client, in the console's words: here `?command` lists suggestions. */
function withConsoleHint(data: FinalReply, name: string, options: readonly RawOption[]): FinalReply {
	if (data.content === undefined || !data.content.includes(AUTOCOMPLETE_HINT)) return data;
	const first = options[0];
	const path = first?.type === ApplicationCommandOptionType.Subcommand ? `${name} ${first.name}` : name;
	return { ...data, content: data.content.replace(AUTOCOMPLETE_HINT, `Type ?${path} and part of the title to see suggestions.`) };
}

/**
 * Runs the console until the input ends or `/quit`. Each line is answered before the next is read.
 * Bad input gets a message; nothing a user types ends the loop except quitting.
 */
export async function runConsole(deps: Deps, io: ConsoleIo, options: ConsoleOptions = {}): Promise<void> {
	const userId = options.userId ?? CONSOLE_USER_ID;
	const channelId = options.channelId ?? CONSOLE_CHANNEL_ID;
	const interactive = io.interactive ?? ('isTTY' in io.input && io.input.isTTY === true);
	// A pipe's lines are cut to a bounded length before readline holds them (a terminal's are typed).
	const capped = interactive ? undefined : capLines(MAX_LINE);
	const failInput = (error: Error): void => {
		capped?.destroy(error);
	};
	if (capped) io.input.on('error', failInput).pipe(capped);
	const rl = createInterface({ input: capped ?? io.input, ...(interactive ? { output: io.output, terminal: true } : { terminal: false }), crlfDelay: Infinity });
	// A terminal gets lines wrapped to its width; a pipe gets them whole.
	const columns = interactive && 'columns' in io.output && typeof io.output.columns === 'number' ? io.output.columns - 1 : Infinity;
	let outputGone = false;
	const write = (text: string): void => {
		if (!outputGone) io.output.write(`${wrap(text, columns)}\n`);
	};
	let buttons: ShownButton[] = [];
	// Set by /quit, Ctrl-C or the abort signal. The end of piped input is not a stop: the lines
	// read before it are still answered.
	let stopped = false;
	const stop = (): void => {
		stopped = true;
		rl.close();
	};
	// Ctrl-C at the prompt leaves the console like /quit.
	rl.on('SIGINT', stop);
	if (options.signal?.aborted === true) stop();
	options.signal?.addEventListener('abort', stop, { once: true });
	// A reader that went away (`| head`) ends the console quietly, like the end of input. The listener
	// stays: a reply still in flight may fail after the console has returned, and nobody reads it either.
	io.output.on('error', (error: Error) => {
		if (outputGone) return;
		outputGone = true;
		const code = 'code' in error ? error.code : undefined;
		if (code !== 'EPIPE') deps.logger.warn({ code }, 'console output failed; stopping');
		stop();
	});

	const run = async (incoming: Incoming): Promise<void> => {
		const outcome = await dispatch(incoming, deps);
		if (outcome.kind === 'choices') {
			write(renderOutcome(outcome));
			return;
		}
		const data = incoming.type === 'command' ? withConsoleHint(outcome.data, incoming.name, incoming.options) : outcome.data;
		write(renderReply(data));
		const shown = buttonsOf(data.components).flat();
		// A click's update replaces the message (and its buttons); a reply with buttons becomes the current
		// message. A reply without buttons (a notice, a quote) leaves the earlier message's buttons usable.
		if (outcome.kind === 'update' || shown.length > 0) buttons = shown;
	};

	const handle = async (line: string): Promise<boolean> => {
		const action = parseLine(line);
		switch (action.kind) {
			case 'empty':
				return true;
			case 'quit':
				return false;
			case 'help':
				write(helpText());
				return true;
			case 'error':
				write(action.message);
				return true;
			case 'command':
				await run({ type: 'command', name: action.name, options: action.options, userId, channelId });
				return true;
			case 'autocomplete':
				await run({ type: 'autocomplete', name: action.name, options: action.options, focused: action.focused, userId, channelId });
				return true;
			case 'press': {
				const button = findButton(buttons, action.text);
				if (!button) {
					const hint = buttons.length > 0 ? ` To press a button, type its number (1-${buttons.length}) or its label.` : '';
					write(`I didn't understand “${action.text.slice(0, 80)}”. Commands start with / (try /help).${hint}`);
					return true;
				}
				if (button.disabled || button.customId === undefined) {
					write(`The “${button.label}” button is disabled here.`);
					return true;
				}
				await run({ type: 'button', customId: button.customId, userId, channelId });
				return true;
			}
		}
	};

	if (interactive) {
		rl.setPrompt('marquee> ');
		rl.prompt();
	}
	for await (const line of rl) {
		// The echo of a line too long to read shows its start only.
		if (!interactive && line.trim() !== '') write(`> ${line.length > MAX_LINE ? `${line.trim().slice(0, 80)}…` : line.trim()}`);
		let more: boolean;
		try {
			more = await handle(line);
		} catch (error) {
			deps.logger.error({ err: error }, 'console line failed');
			write('Something went wrong with that line. It has been logged; try again or type /help.');
			more = true;
		}
		if (!more || stopped) break;
		if (line.trim() !== '') write('');
		if (interactive) rl.prompt();
	}
	rl.close();
	if (capped) io.input.off('error', failInput).unpipe(capped);
}
