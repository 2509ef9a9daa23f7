import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCache } from '../src/cache.js';
import { critic } from '../commands/critic.js';
import { type RawOption, readArgs } from '../commands/options.js';
import { quote } from '../commands/quote.js';
import { reviews } from '../commands/reviews.js';
import type { CommandData } from '../commands/types.js';
import { runConsole } from '../src/console.js';
import { findButton } from '../src/console/buttons.js';
import { capLines } from '../src/console/cap-lines.js';
import { parseLine } from '../src/console/parse.js';
import { markdownToText } from '../src/console/render.js';
import type { Deps } from '../src/discord/dispatch.js';
import { loadDataDir } from '../src/domain/load.js';
import { ReviewStore } from '../src/domain/store.js';

const logger = pino({ level: 'silent' });
let store: ReviewStore;

beforeAll(async () => {
	store = ReviewStore.fromData(await loadDataDir('data'));
});

async function deps(random: () => number = () => 0): Promise<Deps> {
	return { store, cache: await openCache('memory', { ttlMs: 60_000, logger }), logger, random };
}

/** Feeds `lines` to the console as a pipe and returns everything it printed. */
async function consoleRun(lines: readonly string[], random?: () => number): Promise<string> {
	const input = new PassThrough();
	const output = new PassThrough();
	let text = '';
	output.on('data', (chunk: Buffer) => {
		text += chunk.toString('utf8');
	});
	const done = runConsole(await deps(random), { input, output, interactive: false });
	input.end(lines.map((l) => `${l}\n`).join(''));
	await done;
	return text;
}

/** The reply to each input line, keyed by the echoed line. */
function replies(text: string): Map<string, string> {
	const out = new Map<string, string>();
	for (const block of text.split(/\n\n(?=> )/)) {
		const [head, ...rest] = block.split('\n');
		if (head?.startsWith('> ')) out.set(head.slice(2), rest.join('\n').trim());
	}
	return out;
}

describe('parseLine', () => {
	it('maps bare text to the first required string option, and key:value pairs with spaces', () => {
		const film = { name: 'film', type: ApplicationCommandOptionType.String, value: 'Pusher II' };
		expect(parseLine('/reviews Pusher II')).toEqual({ kind: 'command', name: 'reviews', options: [film] });
		expect(parseLine('/reviews film:Pusher II')).toEqual({ kind: 'command', name: 'reviews', options: [film] });
		expect(parseLine('/critic name:murray')).toEqual({ kind: 'command', name: 'critic', options: [{ name: 'name', type: 3, value: 'murray' }] });
	});

	it('wraps a subcommand\'s options, passing their values as typed (readArgs checks choices)', () => {
		expect(parseLine('/quote random film:Pusher II kind:User')).toEqual({
			kind: 'command',
			name: 'quote',
			options: [
				{
					name: 'random',
					type: ApplicationCommandOptionType.Subcommand,
					options: [
						{ name: 'film', type: 3, value: 'Pusher II' },
						{ name: 'kind', type: 3, value: 'User' },
					],
				},
			],
		});
		expect(parseLine('/quote random')).toEqual({ kind: 'command', name: 'quote', options: [{ name: 'random', type: 1, options: [] }] });
		// the only subcommand may be left out; an empty value goes on empty (readArgs reads it as not given)
		expect(parseLine('/quote kind:')).toEqual({ kind: 'command', name: 'quote', options: [{ name: 'random', type: 1, options: [{ name: 'kind', type: 3, value: '' }] }] });
	});

	it('sends numbers and booleans as Discord\'s client does, and anything else as typed for readArgs to refuse', () => {
		const data = {
			name: 'count',
			description: 'A command with typed options',
			options: [
				{ type: ApplicationCommandOptionType.Integer, name: 'n', description: 'n', required: true },
				{ type: ApplicationCommandOptionType.Number, name: 'x', description: 'x' },
				{ type: ApplicationCommandOptionType.Boolean, name: 'b', description: 'b' },
			],
		} as const satisfies CommandData;
		const parsed = (line: string) => {
			const action = parseLine(line, [data]);
			return action.kind === 'command' ? action.options : action;
		};
		expect(parsed('/count n:-3 x:2.5 b:false')).toEqual([
			{ name: 'n', type: ApplicationCommandOptionType.Integer, value: -3 },
			{ name: 'x', type: ApplicationCommandOptionType.Number, value: 2.5 },
			{ name: 'b', type: ApplicationCommandOptionType.Boolean, value: false },
		]);
		const typed = [
			['/count n:three', 'n', 'three'],
			['/count n:1.5', 'n', '1.5'],
			['/count n:1 x:lots', 'x', 'lots'],
			['/count n:1 b:yes', 'b', 'yes'],
		] as const;
		for (const [line, name, text] of typed) {
			const options = parsed(line);
			expect(options).toContainEqual({ name, type: data.options.find((o) => o.name === name)?.type, value: text });
			expect(readArgs(data, Array.isArray(options) ? options : [])).toEqual({ ok: false, message: `The \`${name}\` option has the wrong type.` });
		}
	});

	it('passes a word that names no subcommand on as one, for readArgs to refuse', () => {
		const data = {
			name: 'two',
			description: 'Two subcommands',
			options: [
				{ type: ApplicationCommandOptionType.Subcommand, name: 'add', description: 'add' },
				{ type: ApplicationCommandOptionType.Subcommand, name: 'drop', description: 'drop' },
			],
		} as const satisfies CommandData;
		const refusal = { ok: false, message: 'Use one of: /two add, /two drop.' };
		for (const [line, options] of [
			['/two', []],
			['/two keep this', [{ name: 'keep', type: ApplicationCommandOptionType.Subcommand, options: [] }]],
		] as const) {
			expect(parseLine(line, [data])).toEqual({ kind: 'command', name: 'two', options });
			expect(readArgs(data, options)).toEqual(refusal);
		}
		expect(parseLine('/two DROP', [data])).toEqual({ kind: 'command', name: 'two', options: [{ name: 'drop', type: ApplicationCommandOptionType.Subcommand, options: [] }] });
	});

	it('keeps a colon in a title that is not an option name', () => {
		// "Mission:" is followed by a space; "re:" comes inside film's value
		for (const title of ['Star Wars: Episode IV', 'Mission: Impossible']) expect(parseLine(`/reviews ${title}`)).toMatchObject({ options: [{ name: 'film', value: title }] });
		expect(parseLine('/reviews film:re:animator')).toMatchObject({ options: [{ name: 'film', value: 're:animator' }] });
	});

	it('reads autocomplete as ?command text or key:value?', () => {
		const expected = { kind: 'autocomplete', name: 'reviews', options: [{ name: 'film', type: 3, value: 'pus' }], focused: { name: 'film', value: 'pus' } };
		expect(parseLine('?reviews pus')).toEqual(expected);
		expect(parseLine('/reviews film:pus?')).toEqual(expected);
		expect(parseLine('?quote random pus')).toMatchObject({ kind: 'autocomplete', focused: { name: 'film', value: 'pus' } });
	});

	it('answers garbage with a message, never a throw', () => {
		for (const line of ['/nope', '/reviews film:a film:b', '???', '/' + 'x'.repeat(10_000), '\u0000\u0001', '/quote random kind:', 'Next']) {
			expect(() => parseLine(line)).not.toThrow();
		}
		expect(parseLine('/nope')).toMatchObject({ kind: 'error' });
		expect(parseLine('/reviews film:a film:b')).toMatchObject({ kind: 'error' });
		expect(parseLine('/quit')).toEqual({ kind: 'quit' });
	});

	it('finds buttons by number, label or label without symbols', () => {
		const buttons = [
			{ label: 'Overview', customId: 'o', disabled: true },
			{ label: '◀ Previous', customId: 'p', disabled: true },
			{ label: '1 / 26', customId: 'i', disabled: true },
			{ label: 'Next ▶', customId: 'n', disabled: false },
		];
		for (const text of ['4', 'next', 'Next ▶', 'NEXT', 'ne']) expect(findButton(buttons, text)?.customId).toBe('n');
		expect(findButton(buttons, 'previous')?.customId).toBe('p');
		expect(findButton(buttons, '9')).toBeUndefined();
		expect(findButton(buttons, 'zzz')).toBeUndefined();
	});

	it('renders markdown as text, keeping spoilers and undoing escapes', () => {
		expect(markdownToText('**7.7/10** from *x* Jack\\_Coen ||secret|| \\*')).toBe('7.7/10 from x Jack_Coen ||secret|| *');
		expect(markdownToText('```\n10 ██ 3\n```')).toBe('10 ██ 3');
	});
});

describe('the console, in process', () => {
	it('shows /reviews with the mean, histogram and buttons; next shows the first review', async () => {
		const out = replies(await consoleRun(['/reviews Pusher II', 'next', 'Next ▶', '/reviews Pusher II', '2']));
		const overview = out.get('/reviews Pusher II') ?? '';
		expect(overview).toContain('== Pusher II (2004) ==');
		expect(overview).toContain('7.7/10');
		expect(overview).toMatch(/^ {4}10 [█░]+ 3$/m);
		expect(overview).toMatch(/^ {5}1 [█░]+ 0$/m);
		expect(overview).toContain('[Next ▶]');
		expect(overview).toContain('(◀ Previous)');
		const first = out.get('next') ?? '';
		expect(first).toContain('by UlrikSander');
		expect(first).toContain('user review 1 of 25');
		expect(first).toContain('[◀ Previous]');
		expect(out.get('Next ▶')).toContain('user review 2 of 25');
		// a disabled button is not pressed
		expect(out.get('2')).toMatch(/disabled/);
	});

	it('shows a critic with his excerpt', async () => {
		const out = replies(await consoleRun(['/critic Noel Murray', '/critic name:murray']));
		for (const reply of out.values()) {
			expect(reply).toContain('Noel Murray');
			expect(reply).toContain('ratchets up the tension');
		}
	});

	it('renders a random quote, and a spoiler quote inside ||', async () => {
		const plain = replies(await consoleRun(['/quote random'], () => 0)).get('/quote random') ?? '';
		expect(plain).toMatch(/“.+”\n— /);
		// the fifth user review of Pusher II is marked as a spoiler
		const spoiler = replies(await consoleRun(['/quote random film:Pusher II kind:user'], () => 4.5 / 25)).get('/quote random film:Pusher II kind:user') ?? '';
		expect(spoiler).toContain('Spoiler');
		expect(spoiler).toMatch(/\|\|“.+”\|\|/);
	});

	it('prints autocomplete choices', async () => {
		const out = replies(await consoleRun(['?reviews pus', '/reviews film:pusher ii?']));
		expect(out.get('?reviews pus')).toContain('Pusher II (2004)');
		expect(out.get('/reviews film:pusher ii?')).toMatch(/1\. Pusher II \(2004\)/);
	});

	it('suggests a film for an unknown title, ephemerally', async () => {
		const reply = replies(await consoleRun(['/reviews Pushr 2'])).get('/reviews Pushr 2') ?? '';
		expect(reply).toContain('(only you can see this)');
		expect(reply).toContain('Did you mean');
	});

	it('survives garbage and keeps answering', async () => {
		const garbage = ['hello', '/nope', '???', '\u0000\u0007', '/reviews', '/quote random kind:nonsense', '42', `/reviews ${'x'.repeat(5000)}`, '/critic name:', ':::'];
		const text = await consoleRun([...garbage, '/critic murray']);
		const out = replies(text);
		expect(out.get('hello')).toMatch(/didn't understand/);
		expect(out.get('/nope')).toMatch(/no `\/nope` command/);
		expect(out.get('/reviews')).toMatch(/film/);
		expect(out.get('/critic murray')).toContain('Noel Murray');
		expect(text).not.toMatch(/at .+\.ts:\d+/); // no stack traces
	});

	it('stops at /quit', async () => {
		const out = replies(await consoleRun(['/quit', '/critic murray']));
		expect(out.has('/critic murray')).toBe(false);
	});
});

describe('issue #9: the console on closed pipes, huge lines and its own messages', () => {
	it('refuses a 20 MB line with one short message, without echoing it, and answers the next line', async () => {
		const input = new PassThrough();
		const output = new PassThrough();
		let text = '';
		output.on('data', (chunk: Buffer) => {
			text += chunk.toString('utf8');
		});
		const done = runConsole(await deps(), { input, output, interactive: false });
		// As a pipe delivers it: 64 KiB at a time, no newline for 20 MiB.
		const chunk = Buffer.alloc(64 * 1024, 'x');
		for (let i = 0; i < 320; i++) input.write(chunk);
		input.end('\n/critic murray\n');
		await done;
		expect(text.length).toBeLessThan(5000);
		expect(text.match(/That line is too long/g)).toHaveLength(1);
		expect(text).toContain('That line is too long (more than 4000 characters). Type /help for the commands.');
		expect(replies(text).get('/critic murray')).toContain('Noel Murray');
	});

	it('never holds more of a line than the cap while reading', async () => {
		const cap = capLines(10);
		const seen: string[] = [];
		cap.on('data', (c: Buffer) => seen.push(c.toString('utf8')));
		const ended = new Promise((resolve) => cap.on('end', resolve));
		for (let i = 0; i < 100; i++) cap.write(Buffer.alloc(1000, 'y'));
		cap.write('é'.repeat(20)); // no line end yet: still the same long line
		cap.end('\r\nshort\nabcdefghijkl\n');
		await ended;
		expect(seen.join('')).toBe(`${'y'.repeat(11)}\r\nshort\nabcdefghijk\n`);
	});

	it('a line of exactly the cap is read, one more is refused', () => {
		expect(parseLine(`/critic ${'x'.repeat(3992)}`)).toMatchObject({ kind: 'command', name: 'critic' });
		expect(parseLine(`/critic ${'x'.repeat(3993)}`)).toEqual({ kind: 'error', message: 'That line is too long (more than 4000 characters). Type /help for the commands.' });
	});

	it('a non-spoiler quote has no empty heading', async () => {
		const plain = replies(await consoleRun(['/quote random'], () => 0)).get('/quote random') ?? '';
		expect(plain.split('\n')[0]).toMatch(/^“.+”$/);
		expect(plain).not.toContain('==');
	});

	it('refuses unknown options, bad choices and missing options with the reply a Discord user gets', async () => {
		// Each line, and the options a Discord interaction carries for it.
		const film = (value: string) => ({ name: 'film', type: 3, value });
		const random = (...options: RawOption[]) => [{ name: 'random', type: 1, options }];
		const cases: [string, CommandData, RawOption[]][] = [
			['/reviews film:Pusher extra:1', reviews.data, [film('Pusher'), { name: 'extra', type: 3, value: '1' }]],
			['/quote random kind:user time:3', quote.data, random({ name: 'kind', type: 3, value: 'user' }, { name: 'time', type: 3, value: '3' })],
			['/quote random kind:nonsense', quote.data, random({ name: 'kind', type: 3, value: 'nonsense' })],
			['/quote random kind:User', quote.data, random({ name: 'kind', type: 3, value: 'User' })],
			['/reviews', reviews.data, []],
			['/critic name:', critic.data, []],
		];
		const out = replies(await consoleRun(cases.map(([line]) => line)));
		for (const [line, data, options] of cases) {
			const refusal = readArgs(data, options);
			if (refusal.ok) throw new Error(`${line}: Discord's options were accepted`);
			expect(out.get(line)).toBe(`(only you can see this)\n${refusal.message}`);
		}
	});

	it('points to ?command for suggestions, not to Discord\'s autocomplete list', async () => {
		const out = replies(await consoleRun(['/reviews Zzqqxx', '/quote random film:Zzqqxx']));
		expect(out.get('/reviews Zzqqxx')).toBe('(only you can see this)\nI don\'t know a film called “Zzqqxx”. Type ?reviews and part of the title to see suggestions.');
		expect(out.get('/quote random film:Zzqqxx')).toBe('(only you can see this)\nI don\'t know a film called “Zzqqxx”. Type ?quote random and part of the title to see suggestions.');
	});
});

describe('issue #9: npm start when its reader goes away (child process)', () => {
	it('stops quietly with exit 0 when stdout is closed after the first lines', async () => {
		const child = spawn(process.execPath, ['dist/src/main.js'], {
			env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', CACHE_URL: 'memory', DATA_DIR: 'data' },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
		// Like `| head -30`: read the first chunk, then close the pipe while replies (well over a pipe's buffer) are still coming.
		child.stdout.once('data', () => child.stdout.destroy());
		child.stdin.end('/reviews Pusher II\nnext\n'.repeat(300));
		const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
		expect(stderr).toBe('No DISCORD_TOKEN set: opening the local console (type /help).\n');
		expect(code).toBe(0);
	});
});
