// The local console's loop: reads typed lines, answers each through dispatch, prints the reply as text.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { dispatch, type Deps, type Incoming } from './discord/dispatch.js';
import { buttonsOf, findButton, type ShownButton } from './console/buttons.js';
import { capLines } from './console/cap-lines.js';
import { helpText } from './console/help.js';
import { CONSOLE_GUILD, CONSOLE_USER, guildFor, userIdFor } from './console/identity.js';
import { readSubmit, renderModal } from './console/modal.js';
import { MAX_LINE, parseLine } from './console/parse.js';
import { renderChoices, renderReply, withConsoleHint, wrap } from './console/render.js';
import { type Locale, t } from './i18n/index.js';
import type { FinalModal } from './reply/modal.js';
import type { ReplyFile } from './reply/reply.js';

/** The console's channel: snowflake-shaped, like its user and server (`console/identity.ts`). */
const channelId = '100000000000000002';

export interface ConsoleIo {
	readonly input: Readable;
	readonly output: Writable;
	/** Prompt and echo behaviour; default: whether `input` is a TTY. A pipe gets no prompt. */
	readonly interactive?: boolean;
}

export interface ConsoleOptions {
	/** Ends the console (after the line being answered), like the end of input. */
	readonly signal?: AbortSignal;
	/** The server the console acts in (default CONSOLE_GUILD); null acts as in a DM. */
	readonly guildId?: string | null;
	/** The language every interaction is sent with, as Discord sends a user's (`--locale da`); default English. */
	readonly locale?: Locale | undefined;
	/** Where each reply's files are written (`--save-attachments DIR`), replacing files of the same name; default nowhere. */
	readonly saveAttachments?: string | undefined;
}

/** Writes `files` to `dir` (made if missing) and says where each went, or why it could not, in `locale`. Names are safe: finalizeReply allows `[a-z0-9_-]+.png` only. */
async function saveFiles(files: readonly ReplyFile[], dir: string, locale: Locale): Promise<string[]> {
	const said: string[] = [];
	for (const file of files) {
		const path = join(dir, file.name);
		try {
			await mkdir(dir, { recursive: true });
			await writeFile(path, file.data);
			said.push(t(locale, 'console.saved', { file: file.name, path }));
		} catch (error) {
			const code = error instanceof Error && 'code' in error ? String(error.code) : t(locale, 'console.anError');
			said.push(t(locale, 'console.notSaved', { file: file.name, path, code }));
		}
	}
	return said;
}

/**
 * Runs the console until the input ends or `/quit`: the same `dispatch`, handlers, cache and config as
 * the bot, driven by typed lines. Each line is answered before the next is read, and the last
 * message's buttons are kept so they can be pressed. Bad input gets a message; nothing a user types
 * ends the loop except quitting. With a locale, the console speaks it too, and takes the commands'
 * names in it as well as in English.
 */
export async function runConsole(deps: Deps, io: ConsoleIo, options: ConsoleOptions = {}): Promise<void> {
	const locale = options.locale ?? 'en';
	const interactive = io.interactive ?? ('isTTY' in io.input && io.input.isTTY === true);
	// A pipe's lines are cut to a bounded length before readline holds them (a terminal's are typed).
	const capped = interactive ? undefined : capLines(MAX_LINE);
	const failInput = (error: Error): void => {
		capped?.destroy(error);
	};
	if (capped) io.input.on('error', failInput).pipe(capped);
	const rl = createInterface({
		input: capped ?? io.input,
		...(interactive ? { output: io.output, terminal: true } : { terminal: false }),
		crlfDelay: Infinity,
	});
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

	// Who the console acts as (`/as`), where (`--guild`, `/guild`), and the form a button opened (`/submit` sends it).
	let user = { name: 'me', id: CONSOLE_USER };
	let guildId = options.guildId === undefined ? CONSOLE_GUILD : options.guildId;
	let form: FinalModal | undefined;
	const where = (): string => (guildId === null ? t(locale, 'console.dm') : t(locale, 'console.server', { id: guildId }));
	const run = async (incoming: Incoming): Promise<void> => {
		const outcome = await dispatch({ ...incoming, locale: options.locale }, deps);
		if (outcome.kind === 'choices') {
			write(renderChoices(outcome.choices, locale));
			return;
		}
		if (outcome.kind === 'modal') {
			form = outcome.data;
			write(renderModal(form, locale));
			return;
		}
		const data = incoming.type === 'command' ? withConsoleHint(outcome.data, incoming.name, incoming.options, locale) : outcome.data;
		write(renderReply(data, locale));
		if (options.saveAttachments !== undefined)
			for (const line of await saveFiles(data.files ?? [], options.saveAttachments, locale)) write(line);
		const shown = buttonsOf(data.components).flat();
		// A click's update replaces the message (and its buttons); a reply with buttons becomes the current
		// message. A reply without buttons (a notice, a quote) leaves the earlier message's buttons usable.
		if (outcome.kind === 'update' || shown.length > 0) buttons = shown;
	};

	const handle = async (line: string): Promise<boolean> => {
		const action = parseLine(line, locale);
		switch (action.kind) {
			case 'empty':
				return true;
			case 'quit':
				return false;
			case 'help':
				write(helpText(locale));
				return true;
			case 'error':
				write(action.message);
				return true;
			case 'command':
				await run({ type: 'command', name: action.name, options: action.options, userId: user.id, channelId, guildId });
				return true;
			case 'autocomplete':
				await run({
					type: 'autocomplete',
					name: action.name,
					options: action.options,
					focused: action.focused,
					userId: user.id,
					channelId,
					guildId,
				});
				return true;
			case 'press': {
				const button = findButton(buttons, action.text);
				if (!button) {
					const hint = buttons.length > 0 ? t(locale, 'console.pressHint', { n: String(buttons.length) }) : '';
					write(t(locale, 'console.notUnderstood', { text: action.text.slice(0, 80), hint }));
					return true;
				}
				if (button.disabled || button.customId === undefined) {
					write(t(locale, 'console.disabled', { label: button.label }));
					return true;
				}
				await run({ type: 'button', customId: button.customId, userId: user.id, channelId, guildId });
				return true;
			}
			case 'as': {
				if (action.name === '') {
					write(`${t(locale, 'console.actingAsId', { name: user.name, id: user.id, where: where() })} ${t(locale, 'console.asHint')}`);
					return true;
				}
				const id = userIdFor(action.name);
				if (id === undefined) write(t(locale, 'console.badName'));
				else {
					user = { name: action.name.trim().toLowerCase(), id };
					write(t(locale, 'console.actingAsId', { name: user.name, id: user.id, where: where() }));
				}
				return true;
			}
			case 'guild': {
				const guild = guildFor(action.guild);
				if (guild === undefined) write(t(locale, 'console.guildUsage', { usage: t(locale, 'console.guildIds'), where: where() }));
				else {
					guildId = guild;
					write(t(locale, 'console.actingAs', { name: user.name, where: where() }));
				}
				return true;
			}
			case 'submit': {
				if (form === undefined) {
					write(t(locale, 'console.noForm'));
					return true;
				}
				const submitted = readSubmit(form, action.text, locale);
				if ('error' in submitted) {
					write(submitted.error);
					return true;
				}
				const customId = form.custom_id;
				form = undefined;
				await run({ type: 'modal', customId, fields: submitted.fields, userId: user.id, channelId, guildId });
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
			write(t(locale, 'console.lineFailed'));
			more = true;
		}
		if (!more || stopped) break;
		if (line.trim() !== '') write('');
		if (interactive) rl.prompt();
	}
	rl.close();
	if (capped) io.input.off('error', failInput).unpipe(capped);
}
