// The local console: how a typed line is parsed, how a reply is shown as text, and the loop between them.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ApplicationCommandOptionType, ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { critic } from '../commands/critic.js';
import { type RawOption, readArgs } from '../commands/options.js';
import { quote } from '../commands/quote.js';
import { reviews } from '../commands/reviews.js';
import { COLOUR_NAMES, Colours } from '../commands/render.js';
import type { CommandData } from '../commands/types.js';
import { openCache } from '../src/cache.js';
import { runConsole } from '../src/console.js';
import { findButton } from '../src/console/buttons.js';
import { capLines } from '../src/console/cap-lines.js';
import { consoleArgs } from '../src/console/args.js';
import { userIdFor } from '../src/console/identity.js';
import { readSubmit, renderModal } from '../src/console/modal.js';
import { parseLine } from '../src/console/parse.js';
import { markdownToText, renderReply } from '../src/console/render.js';
import type { Deps } from '../src/discord/dispatch.js';
import { loadDataDir } from '../src/domain/load.js';
import { ReviewStore } from '../src/domain/store.js';
import { openMemberStore } from '../src/members/store.js';
import { type Locale, t } from '../src/i18n/index.js';
import { finalizeModal } from '../src/reply/modal.js';
import { finalizeReply } from '../src/reply/respond.js';
import { tempDir } from './helpers.js';

const logger = pino({ level: 'silent' });
let store: ReviewStore;

beforeAll(async () => {
	store = ReviewStore.fromData(await loadDataDir('data'));
});

async function deps(random: () => number = () => 0): Promise<Deps> {
	return { store, cache: await openCache({ kind: 'memory' }, { ttlMs: 60_000, logger }), logger, random };
}

/** Feeds `lines` to the console as a pipe and returns everything it printed. */
async function consoleRun(lines: readonly string[], random?: () => number, saveAttachments?: string, locale?: Locale): Promise<string> {
	const input = new PassThrough();
	const output = new PassThrough();
	let text = '';
	output.on('data', (chunk: Buffer) => {
		text += chunk.toString('utf8');
	});
	const done = runConsole(await deps(random), { input, output, interactive: false }, { saveAttachments, locale });
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

describe('parsing a line', () => {
	it('maps bare text to the first required string option, and key:value pairs with spaces', () => {
		const film = { name: 'film', type: ApplicationCommandOptionType.String, value: 'Pusher II' };
		expect(parseLine('/reviews Pusher II')).toEqual({ kind: 'command', name: 'reviews', options: [film] });
		expect(parseLine('/reviews film:Pusher II')).toEqual({ kind: 'command', name: 'reviews', options: [film] });
		expect(parseLine('/critic name:murray')).toEqual({
			kind: 'command',
			name: 'critic',
			options: [{ name: 'name', type: 3, value: 'murray' }],
		});
	});

	it("wraps a subcommand's options, passing their values as typed (readArgs checks choices)", () => {
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
		expect(parseLine('/quote kind:')).toEqual({
			kind: 'command',
			name: 'quote',
			options: [{ name: 'random', type: 1, options: [{ name: 'kind', type: 3, value: '' }] }],
		});
	});

	it("sends numbers and booleans as Discord's client does, and anything else as typed for readArgs to refuse", () => {
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
			const action = parseLine(line, 'en', [data]);
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
			expect(readArgs(data, Array.isArray(options) ? options : [], 'en')).toEqual({
				ok: false,
				message: `The \`${name}\` option has the wrong type.`,
			});
		}
	});

	it('sends a user option as the member id Discord would: a name as /as names them, an id, or a mention', () => {
		const alice = userIdFor('alice');
		const value = (line: string) => {
			const action = parseLine(line);
			return action.kind === 'command' ? action.options[0]?.value : action;
		};
		expect(alice).toMatch(/^\d{18}$/);
		expect(value('/member user:Alice')).toBe(alice);
		expect(value('/member user:123456789012345678')).toBe('123456789012345678');
		expect(value('/member user:<@!123456789012345678>')).toBe('123456789012345678');
		expect(value('/member user:no one here')).toBe('no one here');
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
			expect(parseLine(line, 'en', [data])).toEqual({ kind: 'command', name: 'two', options });
			expect(readArgs(data, options, 'en')).toEqual(refusal);
		}
		expect(parseLine('/two DROP', 'en', [data])).toEqual({
			kind: 'command',
			name: 'two',
			options: [{ name: 'drop', type: ApplicationCommandOptionType.Subcommand, options: [] }],
		});
	});

	it('keeps a colon in a title that is not an option name', () => {
		// "Mission:" is followed by a space; "re:" comes inside film's value
		for (const title of ['Star Wars: Episode IV', 'Mission: Impossible'])
			expect(parseLine(`/reviews ${title}`)).toMatchObject({ options: [{ name: 'film', value: title }] });
		expect(parseLine('/reviews film:re:animator')).toMatchObject({ options: [{ name: 'film', value: 're:animator' }] });
	});

	it('reads autocomplete as ?command text or key:value?', () => {
		const expected = {
			kind: 'autocomplete',
			name: 'reviews',
			options: [{ name: 'film', type: 3, value: 'pus' }],
			focused: { name: 'film', value: 'pus' },
		};
		expect(parseLine('?reviews pus')).toEqual(expected);
		expect(parseLine('/reviews film:pus?')).toEqual(expected);
		expect(parseLine('?quote random pus')).toMatchObject({ kind: 'autocomplete', focused: { name: 'film', value: 'pus' } });
	});

	it('answers garbage with a message, never a throw', () => {
		for (const line of [
			'/nope',
			'/reviews film:a film:b',
			'???',
			'/' + 'x'.repeat(10_000),
			'\u0000\u0001',
			'/quote random kind:',
			'Next',
		]) {
			expect(() => parseLine(line)).not.toThrow();
		}
		expect(parseLine('/nope')).toMatchObject({ kind: 'error' });
		expect(parseLine('/reviews film:a film:b')).toMatchObject({ kind: 'error' });
		expect(parseLine('/quit')).toEqual({ kind: 'quit' });
	});

	it('a line of exactly the cap is read, one more is refused', () => {
		expect(parseLine(`/critic ${'x'.repeat(3992)}`)).toMatchObject({ kind: 'command', name: 'critic' });
		expect(parseLine(`/critic ${'x'.repeat(3993)}`)).toEqual({
			kind: 'error',
			message: 'That line is too long (more than 4000 characters). Type /help for the commands.',
		});
	});
});

describe('rendering a reply as text', () => {
	it("shows the ephemeral mark, content, an embed's parts and the buttons, each in its place", () => {
		const button = (custom_id: string, label: string, disabled = false) =>
			({ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id, label, disabled }) as const;
		const reply = finalizeReply({
			ephemeral: true,
			content: '**Hello** there',
			embeds: [
				{
					title: 'A *title*',
					color: Colours.negative,
					author: { name: 'Someone' },
					description: 'From **x**\n```\n10 ██ 3\n```',
					fields: [
						{ name: 'Field', value: 'line one\nline two' },
						{ name: '\u200b', value: 'under no name' },
					],
					footer: { text: 'page 1 of 2' },
				},
				{ description: 'no title, no heading', color: Colours.positive },
			],
			components: [
				{ type: ComponentType.ActionRow, components: [button('a', 'Back', true), button('b', 'Next ▶')] },
				{ type: ComponentType.ActionRow, components: [button('c', 'Newest')] },
			],
		});
		expect(renderReply(reply, 'en')).toBe(
			[
				'(only you can see this)',
				'Hello there',
				`== A title == (${COLOUR_NAMES[Colours.negative]})`,
				'by Someone',
				'From x',
				'10 ██ 3',
				'Field',
				'    line one',
				'    line two',
				'    under no name',
				'-- page 1 of 2',
				'no title, no heading',
				'Buttons: 1 (Back)  2 [Next ▶]',
				'         3 [Newest]',
			].join('\n'),
		);
	});

	it('names every colour the commands use, and shows any other as its hex code', () => {
		const heading = (color: number) => renderReply(finalizeReply({ embeds: [{ title: 'T', color }] }), 'en');
		for (const colour of Object.values(Colours))
			expect(heading(colour)).toMatch(new RegExp(`^== T == \\(${COLOUR_NAMES[colour] ?? '#'}\\)$`));
		expect(heading(0x12ab)).toBe('== T == (#0012ab)');
	});

	it('renders markdown as text, keeping spoilers and undoing escapes', () => {
		expect(markdownToText('**7.7/10** from *x* Jack\\_Coen ||secret|| \\*')).toBe('7.7/10 from x Jack_Coen ||secret|| *');
		expect(markdownToText('```\n10 ██ 3\n```')).toBe('10 ██ 3');
	});
});

describe('pressing a button by what is typed', () => {
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
});

describe('the console, in process', () => {
	it('shows /reviews with its histogram chart and buttons; a button is pressed by label or number, a disabled one not', async () => {
		const out = replies(await consoleRun(['/reviews Pusher II', 'next', 'Next ▶', '/reviews Pusher II', '2']));
		const overview = out.get('/reviews Pusher II') ?? '';
		expect(overview.split('\n')[0]).toBe('== Pusher II (2004) == (green)');
		// the chart: its name, size and pixel size, then its alt text with the numbers
		expect(overview).toMatch(/^Attachment: ratings\.png · \d+\.\d KB · 520×220 px$/m);
		expect(overview).toContain(
			'\n    Rating histogram of Pusher II (2004). Audience, 24 ratings, mean 7.7. Ratings 1 to 10: 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2, 7: 7, 8: 6, 9: 4, 10: 3.\n',
		);
		expect(overview).not.toContain('```');
		expect(overview).toMatch(/^Buttons: 1 \(Overview\) {2}2 \(◀ Previous\) {2}.+ {2}4 \[Next ▶\]$/m);
		const first = out.get('next') ?? '';
		expect(first.split('\n').slice(0, 2)).toEqual([expect.stringMatching(/^== .+ == \(green\)$/), 'by UlrikSander']);
		expect(first).toMatch(/^Buttons: 1 \[Overview\] {2}2 \[◀ Previous\]/m);
		expect(out.get('Next ▶')?.split('\n')[1]).toBe('by PAolo-10');
		expect(out.get('2')).toBe('The “◀ Previous” button is disabled here.');
	});

	it("writes each reply's files with --save-attachments, and says where", async () => {
		const dir = join(tempDir(), 'charts');
		const out = replies(await consoleRun(['/reviews Pusher II', 'next'], undefined, dir));
		const saved = readFileSync(join(dir, 'ratings.png'));
		expect(out.get('/reviews Pusher II')).toMatch(
			new RegExp(`^Attachment: ratings\\.png · ${(saved.byteLength / 1024).toFixed(1)} KB · 520×220 px$`, 'm'),
		);
		expect(out.get('/reviews Pusher II')?.split('\n').at(-1)).toBe(`Saved ratings.png to ${join(dir, 'ratings.png')}`);
		expect([...saved.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
		// A page has no files: nothing more is written.
		expect(out.get('next')).not.toContain('Saved');
		expect(readdirSync(dir)).toEqual(['ratings.png']);
	});

	it('says why a file could not be saved, and goes on', async () => {
		const file = join(tempDir(), 'not-a-dir');
		await import('node:fs/promises').then((fs) => fs.writeFile(file, 'x'));
		const out = replies(await consoleRun(['/reviews Pusher II', '/reviews Pusher'], undefined, file));
		expect(out.get('/reviews Pusher II')?.split('\n').at(-1)).toBe(`Could not save ratings.png to ${join(file, 'ratings.png')} (EEXIST).`);
		expect(out.get('/reviews Pusher')?.split('\n')[0]).toBe('== Pusher (1996) == (green)');
	});

	it("keeps the last message's buttons when a reply without buttons comes after it", async () => {
		const out = replies(await consoleRun(['/reviews Pusher II', '/quote random', 'next', '/quote random', 'zzz']));
		expect(out.get('next')?.split('\n')[1]).toBe('by UlrikSander');
		expect(out.get('zzz')).toBe(
			"I didn't understand “zzz”. Commands start with / (try /help). To press a button, type its number (1-7) or its label.",
		);
	});

	it('answers bare text and named options alike', async () => {
		const out = replies(await consoleRun(['/critic Noel Murray', '/critic name:Noel Murray']));
		expect(out.get('/critic Noel Murray')?.split('\n')[0]).toBe('== Noel Murray == (blurple)');
		expect(out.get('/critic name:Noel Murray')).toBe(out.get('/critic Noel Murray'));
	});

	it('shows a quote without a heading, and a spoiler quote inside ||', async () => {
		const plain = replies(await consoleRun(['/quote random'], () => 0)).get('/quote random') ?? '';
		expect(plain).toMatch(/^“[^\n]+”\n— /);
		expect(plain).not.toContain('==');
		// the fifth user review of Pusher II is marked as a spoiler
		const spoiler =
			replies(await consoleRun(['/quote random film:Pusher II kind:user'], () => 4.5 / 25)).get('/quote random film:Pusher II kind:user') ??
			'';
		expect(spoiler).toMatch(/\|\|“.+”\|\|/);
	});

	it('lists suggestions with their numbers and values', async () => {
		const out = replies(await consoleRun(['?reviews pus', '/reviews film:pusher ii?', '?critic zzqqxx']));
		expect(out.get('?reviews pus')).toBe('Suggestions:\n 1. Pusher (1996)     (pusher-1996)\n 2. Pusher II (2004)  (pusher-ii-2004)');
		expect(out.get('/reviews film:pusher ii?')).toMatch(/^Suggestions:\n 1\. Pusher II \(2004\) +\(pusher-ii-2004\)/);
		expect(out.get('?critic zzqqxx')).toBe('No suggestions.');
	});

	it('refuses unknown options, bad choices and missing options with the reply a Discord user gets', async () => {
		// Each line, and the options a Discord interaction carries for it.
		const film = (value: string) => ({ name: 'film', type: 3, value });
		const random = (...options: RawOption[]) => [{ name: 'random', type: 1, options }];
		const cases: [string, CommandData, RawOption[]][] = [
			['/reviews film:Pusher extra:1', reviews.data, [film('Pusher'), { name: 'extra', type: 3, value: '1' }]],
			[
				'/quote random kind:user time:3',
				quote.data,
				random({ name: 'kind', type: 3, value: 'user' }, { name: 'time', type: 3, value: '3' }),
			],
			['/quote random kind:nonsense', quote.data, random({ name: 'kind', type: 3, value: 'nonsense' })],
			['/quote random kind:User', quote.data, random({ name: 'kind', type: 3, value: 'User' })],
			['/reviews', reviews.data, []],
			['/critic name:', critic.data, []],
		];
		const out = replies(await consoleRun(cases.map(([line]) => line)));
		for (const [line, data, options] of cases) {
			const refusal = readArgs(data, options, 'en');
			if (refusal.ok) throw new Error(`${line}: Discord's options were accepted`);
			expect(out.get(line)).toBe(`(only you can see this)\n${refusal.message}`);
		}
	});

	it("points to ?command for suggestions, not to Discord's autocomplete list", async () => {
		const out = replies(await consoleRun(['/reviews Zzqqxx', '/quote random film:Zzqqxx']));
		expect(out.get('/reviews Zzqqxx')).toMatch(/ Type \?reviews and part of the title to see suggestions\.$/);
		expect(out.get('/quote random film:Zzqqxx')).toMatch(/ Type \?quote random and part of the title to see suggestions\.$/);
		for (const reply of out.values()) expect(reply).not.toContain(t('en', 'hint.autocomplete'));
	});

	it('survives garbage and keeps answering', async () => {
		const garbage = ['hello', '/nope', '/rev', '???', '\u0000\u0007', '42', `/reviews ${'x'.repeat(5000)}`, ':::'];
		const text = await consoleRun([...garbage, '/critic murray']);
		const out = replies(text);
		expect(out.get('hello')).toBe("I didn't understand “hello”. Commands start with / (try /help).");
		expect(out.get('/nope')).toBe('There is no `/nope` command. Type /help for the list.');
		expect(out.get('/rev')).toBe('There is no `/rev` command. Did you mean `/reviews`? Type /help for the list.');
		expect(out.get('/critic murray')?.split('\n')[0]).toBe('== Noel Murray == (blurple)');
		expect(text).not.toMatch(/at .+\.ts:\d+/); // no stack traces
	});

	it('stops at /quit', async () => {
		const out = replies(await consoleRun(['/quit', '/critic murray']));
		expect(out.has('/critic murray')).toBe(false);
	});
});

describe('reading input: huge lines and closed pipes', () => {
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
});

describe('npm start when its reader goes away (child process)', () => {
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

describe('acting as members of a server', () => {
	it('rates as several members (/as), in several servers (/guild, --guild), and fills in the review form (/submit)', async () => {
		const members = openMemberStore({ kind: 'sqlite', file: join(tempDir(), 'members.db') }, { logger });
		const input = new PassThrough();
		const output = new PassThrough();
		let text = '';
		output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
		const done = runConsole({ ...(await deps()), members }, { input, output, interactive: false }, { guildId: '300000000000000001' });
		const lines = [
			'/as',
			'/rate Pusher score:8',
			'/as Alice',
			'/rate Pusher score:6',
			'/as two words',
			'/guild 300000000000000002',
			'/rate film:Pusher remove:true',
			'/guild dm',
			'/rate Pusher score:5',
			'/guild 12',
			'/guild 300000000000000001',
			'/as me',
			'/submit body:x',
			'/rate Pusher score:9',
			'Write a review',
			'/submit body:Bleak spoiler:maybe',
			'/submit nope:1',
			'/submit title:Cold',
			'/submit title:Cold body:Bleak, and great. spoiler:true',
			'1',
			'/submit',
		];
		input.end(lines.map((l) => `${l}\n`).join(''));
		await done;
		const out = replies(text);
		expect(lines.map((l) => out.get(l))).toEqual([
			'Acting as me (user 100000000000000001) in server 300000000000000001. /as NAME acts as another member; /as me comes back.',
			'(only you can see this)\nYou rated Pusher (1996) 8/10 in this server.\nButtons: 1 [Write a review]  2 [Remove rating]',
			'Acting as alice (user 297455162568138762) in server 300000000000000001.',
			'(only you can see this)\nYou rated Pusher (1996) 6/10 in this server.\nButtons: 1 [Write a review]  2 [Remove rating]',
			'A name is 1 to 32 letters, digits, dots, dashes or underscores: /as alice.',
			'Acting as alice in server 300000000000000002.',
			"(only you can see this)\nYou hadn't rated Pusher (1996) in this server.",
			'Acting as alice in a DM.',
			'(only you can see this)\nRatings belong to a server: run `/rate` in a server where Marquee is, and your rating counts there. (`/forget-me` works anywhere.)',
			'/guild takes a server id of 17 to 20 digits, or dm to act as in a DM. Acting in a DM.',
			'Acting as alice in server 300000000000000001.',
			'Acting as me (user 100000000000000001) in server 300000000000000001.',
			'No form is open: press a button that opens one (such as “Write a review” after /rate) first.',
			'(only you can see this)\nYou rated Pusher (1996) 9/10 in this server (it was 8/10).\nButtons: 1 [Write a review]  2 [Remove rating]',
			[
				'Form: Review Pusher (1996)',
				'  title: Title (one line, optional, up to 100 characters).',
				'  body: Your review (text, required, up to 4000 characters).',
				'  spoiler: Contains spoilers (checkbox, true or false). Now: false',
				'Send it with /submit body:… (a field left out keeps what it holds).',
			].join('\n'),
			'`spoiler` is a checkbox: give true or false.',
			'The form has no field `nope`. Its fields: `title`, `body`, `spoiler`.',
			'The form needs `body` (Your review).',
			'(only you can see this)\nSaved your review of Pusher (1996) in this server, marked as containing spoilers.',
			[
				'Form: Edit your review of Pusher (1996)',
				'  title: Title (one line, optional, up to 100 characters). Now: “Cold”',
				'  body: Your review (text, required, up to 4000 characters). Now: “Bleak, and great.”',
				'  spoiler: Contains spoilers (checkbox, true or false). Now: true',
				'Send it with /submit body:… (a field left out keeps what it holds).',
			].join('\n'),
			'(only you can see this)\nUpdated your review of Pusher (1996) in this server, marked as containing spoilers.',
		]);
		expect(await members.filmSummary('300000000000000001', 'pusher-1996')).toEqual({
			ok: true,
			value: { count: 2, mean: 7.5, histogram: [0, 0, 0, 0, 0, 1, 0, 0, 1, 0] },
		});
		await members.close();
	});

	it('reads --guild and --save-attachments from the command line', () => {
		expect(consoleArgs([])).toEqual({ guildId: '100000000000000003', saveAttachments: undefined });
		expect(consoleArgs(['--guild', '300000000000000001'])).toEqual({ guildId: '300000000000000001', saveAttachments: undefined });
		expect(consoleArgs(['--guild=dm', '--save-attachments', 'out/charts'])).toEqual({ guildId: null, saveAttachments: 'out/charts' });
		expect(consoleArgs(['--save-attachments=docs'])).toEqual({ guildId: '100000000000000003', saveAttachments: 'docs' });
		expect(consoleArgs(['--guild'])).toEqual({ error: '--guild needs a server id of 17 to 20 digits, or dm to act as in a DM.' });
		expect(consoleArgs(['--save-attachments'])).toEqual({ error: '--save-attachments needs a directory.' });
		expect(consoleArgs(['--gild', '1'])).toEqual({
			error:
				'Unknown argument "--gild". The console takes --guild ID (a server id of 17 to 20 digits, or dm to act as in a DM), --save-attachments DIR and --locale en|da.',
		});
	});
});

// `--locale da`: the console's own words in Danish, and the commands, options and choices by the names a
// Danish Discord user sees (the English names work too); what the handlers answer is theirs.
describe('the console in Danish', () => {
	/** The console's reply to each of `lines` (a line too long to echo whole by its echo), in Danish. */
	async function inDanish(lines: readonly string[]): Promise<(string | undefined)[]> {
		const out = replies(await consoleRun(lines, undefined, undefined, 'da'));
		return lines.map((l) => out.get(l.length > 4000 ? `${l.slice(0, 80)}…` : l));
	}

	it('reads Danish and English command, subcommand, option and choice names, and sends the canonical ones', () => {
		const film = { name: 'film', type: 3, value: 'Pusher II' };
		for (const line of ['/anmeldelser Pusher II', '/ANMELDELSER film:Pusher II', '/reviews Pusher II'])
			expect(parseLine(line, 'da')).toEqual({ kind: 'command', name: 'reviews', options: [film] });
		expect(parseLine('/citat tilfældigt film:Pusher II slags:bruger', 'da')).toEqual({
			kind: 'command',
			name: 'quote',
			options: [{ name: 'random', type: 1, options: [film, { name: 'kind', type: 3, value: 'user' }] }],
		});
		expect(parseLine('/bedøm Pusher karakter:8', 'da')).toEqual({
			kind: 'command',
			name: 'rate',
			options: [
				{ name: 'film', type: 3, value: 'Pusher' },
				{ name: 'score', type: 4, value: 8 },
			],
		});
		expect(parseLine('?anmeldelser pus', 'da')).toEqual({
			kind: 'autocomplete',
			name: 'reviews',
			options: [{ name: 'film', type: 3, value: 'pus' }],
			focused: { name: 'film', value: 'pus' },
		});
		// English is as it was: Danish names are no commands there
		expect(parseLine('/anmeldelser Pusher II')).toEqual({
			kind: 'error',
			message: 'There is no `/anmeldelser` command. Type /help for the list.',
		});
	});

	it('lists the commands in Danish in /help', async () => {
		expect(replies(await consoleRun(['/help'], undefined, undefined, 'da')).get('/help')).toBe(
			[
				'Marquees lokale konsol: botens kommandoer, besvaret her i stedet for i Discord.',
				'',
				'Kommandoer:',
				'  /anmeldelser <film>',
				'      En films kritikerdom, publikumsbedømmelse og mest hjælpsomme anmeldelser, med sider for dem alle',
				'  /kritiker <navn>',
				'      Én kritikers anmeldelser på tværs af film',
				'  /citat tilfældigt [film:…] [slags:bruger|kritiker|medlem]',
				'      Et tilfældigt citat fra en anmeldelse, og hvem der sagde det',
				'  /bedøm <film> [karakter:…] [fjern:…]',
				'      Giv en film 1 til 10 til denne servers dom, eller tag din bedømmelse tilbage',
				'  /top [min_bedømmelser:…]',
				'      Denne servers bedst bedømte film efter medlemmernes bedømmelser',
				'  /medlem <bruger>',
				'      Et medlems bedømmelser og anmeldelser i denne server',
				'  /glem-mig',
				'      Slet alle de bedømmelser og anmeldelser, du har givet, i alle servere',
				'  /splittende [slags:publikum|server]',
				'      De mest splittende film, og hvor kritikere og publikum (eller denne server) er mest uenige',
				'  /sammenlign <første_film> <anden_film>',
				'      To film side om side: kritikere, publikum, denne server og det mest hjælpsomme citat fra hver',
				'',
				'Kommandoerne kan også skrives med deres engelske navne (/reviews Pusher II).',
				'Felter: tekst uden navn går til det første påkrævede tekstfelt (/anmeldelser Pusher II),',
				'  eller navngiv dem: /anmeldelser film:Pusher II, /citat tilfældigt film:Pusher II slags:bruger',
				'Forslag: ?anmeldelser pus   eller   /anmeldelser film:pus?',
				'Knapper: skriv en knaps nummer eller tekst (fx 4 eller næste) for at trykke på den.',
				'Formularer: en knap, der åbner en (som knappen til at skrive en anmeldelse efter /bedøm), viser dens felter; /submit body:Fremragende title:Ja spoiler:false sender den.',
				'Medlemmer: /as alice handler som et andet medlem (med det samme falske id hver gang), /as me vender tilbage, /as siger, hvem du er;',
				'  /guild ID handler i en anden server, /guild dm som i en DM (start med --guild ID for at vælge den første).',
				'Billeder: et svars filer (diagrammer) vises med deres størrelse og alternative tekst; start med --save-attachments MAPPE for at gemme dem der.',
				'/help viser dette, /quit (eller slutningen af input) afslutter.',
			].join('\n'),
		);
	});

	it('shows a reply, its attachment and its buttons in Danish, and presses a button by its Danish label', async () => {
		const dir = join(tempDir(), 'diagrammer');
		const out = replies(await consoleRun(['/anmeldelser Pusher II', '2', 'næste', '/reviews Pusher'], undefined, dir, 'da'));
		const overview = (out.get('/anmeldelser Pusher II') ?? '').split('\n');
		const kb = readFileSync(join(dir, 'ratings.png')).byteLength / 1024;
		expect(overview[0]).toBe('== Pusher II (2004) == (grøn)');
		expect(overview.slice(-5)).toEqual([
			`Vedhæftet fil: ratings.png · ${kb.toFixed(1).replace('.', ',')} kB · 520×220 px`,
			'    Histogram over bedømmelserne af Pusher II (2004). Publikum, 24 bedømmelser, gennemsnit 7,7. Bedømmelser fra 1 til 10: 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2, 7: 7, 8: 6, 9: 4, 10: 3.',
			'Knapper: 1 (Oversigt)  2 (◀ Forrige)  3 (25 anmeldelser)  4 [Næste ▶]',
			'         5 (Mest hjælpsomme)  6 [Nyeste]  7 [Højest bedømt]',
			`Gemte ratings.png i ${join(dir, 'ratings.png')}`,
		]);
		expect(out.get('næste')?.split('\n').slice(0, 2)).toEqual([
			"== Nicolas Winding Refn's Pusher 2 is even better than the first one == (grøn)",
			'af UlrikSander',
		]);
		expect(out.get('2')).toBe('Knappen »◀ Forrige« kan ikke bruges her.');
		expect(out.get('/reviews Pusher')?.split('\n')[0]).toBe('== Pusher (1996) == (grøn)');
	});

	it('says in Danish why a file could not be saved', async () => {
		const file = join(tempDir(), 'ikke-en-mappe');
		await import('node:fs/promises').then((fs) => fs.writeFile(file, 'x'));
		const out = replies(await consoleRun(['/anmeldelser Pusher II'], undefined, file, 'da'));
		expect(out.get('/anmeldelser Pusher II')?.split('\n').at(-1)).toBe(
			`Kunne ikke gemme ratings.png i ${join(file, 'ratings.png')} (EEXIST).`,
		);
	});

	it('lists suggestions and points to ?command under its Danish name', async () => {
		const lines = [
			'?anmeldelser pus',
			'/anmeldelser film:pusher ii?',
			'?kritiker zzqqxx',
			'/anmeldelser Zzqqxx',
			'/citat tilfældigt film:Zzqqxx',
		];
		expect(await inDanish(lines)).toEqual([
			'Forslag:\n 1. Pusher (1996)     (pusher-1996)\n 2. Pusher II (2004)  (pusher-ii-2004)',
			'Forslag:\n 1. Pusher II (2004)  (pusher-ii-2004)',
			'Ingen forslag.',
			'(kun du kan se dette)\nJeg kender ingen film, der hedder »Zzqqxx«. Skriv ?anmeldelser og en del af titlen for at se forslag.',
			'(kun du kan se dette)\nJeg kender ingen film, der hedder »Zzqqxx«. Skriv ?citat tilfældigt og en del af titlen for at se forslag.',
		]);
	});

	it('answers bad input in Danish: its own parser, and readArgs in Danish names', async () => {
		const lines = [
			'hej',
			'/nej',
			'/an',
			'/:::',
			'/anmeldelser film:a film:b',
			'/bedøm Pusher karakter:8 score:9',
			'/glem-mig nu',
			'?glem-mig',
			'/kritiker Murray navn:Murray',
			`/kritiker ${'x'.repeat(3993)}`,
			'/kritiker',
			'/citat tilfældigt slags:ingen',
			'/top min_bedømmelser:tre',
			'/anmeldelser film:Pusher ekstra:1',
		];
		expect(await inDanish(lines)).toEqual([
			'Det forstod jeg ikke: »hej«. Kommandoer starter med / (prøv /help).',
			'Der er ingen `/nej`-kommando. Skriv /help for at se listen.',
			'Der er ingen `/an`-kommando. Mente du `/anmeldelser`? Skriv /help for at se listen.',
			'Det forstod jeg ikke: »/:::«. Kommandoer ser sådan ud: /anmeldelser Pusher II; skriv /help for at se listen.',
			'Du gav `film:` to gange.',
			'Du gav `score:` to gange.',
			'`/glem-mig` tager ingen tekst som »nu«. Brug: /glem-mig',
			'`/glem-mig` har intet felt med forslag.',
			'Du gav `navn` to gange (som tekst og som `navn:`). Brug: /kritiker <navn>',
			'Den linje er for lang (mere end 4.000 tegn). Skriv /help for at se kommandoerne.',
			'(kun du kan se dette)\nUdfyld venligst feltet `navn`.',
			'(kun du kan se dette)\n`slags` skal være en af: bruger, kritiker, medlem.',
			'(kun du kan se dette)\nFeltet `min_bedømmelser` har en forkert type.',
			'(kun du kan se dette)\n`/anmeldelser` har intet felt, der hedder `ekstra`. Dens felter: `film`.',
		]);
	});

	it('says who and where it acts, and that no form is open, in Danish', async () => {
		const lines = ['/as', '/as to ord', '/as Alice', '/guild 12', '/guild dm', '/submit body:x'];
		expect(await inDanish(lines)).toEqual([
			'Handler som me (bruger 100000000000000001) i serveren 100000000000000003. /as NAVN handler som et andet medlem; /as me vender tilbage.',
			'Et navn er 1 til 32 bogstaver, cifre, punktummer, bindestreger eller understregninger: /as alice.',
			'Handler som alice (bruger 297455162568138762) i serveren 100000000000000003.',
			'/guild tager et server-id på 17 til 20 cifre, eller dm for at handle som i en DM. Handler i serveren 100000000000000003.',
			'Handler som alice i en DM.',
			'Ingen formular er åben: tryk først på en knap, der åbner en (som knappen til at skrive en anmeldelse efter /bedøm).',
		]);
	});

	it('shows a form and refuses a bad /submit in Danish', () => {
		const form = finalizeModal({
			customId: 'rate:x',
			title: 'Anmeld Pusher (1996)',
			fields: [
				{ kind: 'text', customId: 'title', label: 'Titel', style: 'short', maxLength: 100, required: false, value: 'Kold  og\nbarsk' },
				{ kind: 'text', customId: 'body', label: 'Din anmeldelse', style: 'paragraph', maxLength: 4000, required: true },
				{ kind: 'checkbox', customId: 'spoiler', label: 'Indeholder spoilere', checked: false },
			],
		});
		expect(renderModal(form, 'da')).toBe(
			[
				'Formular: Anmeld Pusher (1996)',
				'  title: Titel (én linje, valgfrit, højst 100 tegn). Nu: »Kold og barsk«',
				'  body: Din anmeldelse (tekst, skal udfyldes, højst 4.000 tegn).',
				'  spoiler: Indeholder spoilere (afkrydsningsfelt, true eller false). Nu: false',
				'Send den med /submit body:… (et felt, du udelader, beholder sit indhold).',
			].join('\n'),
		);
		expect(
			['Fremragende', 'body:x body:y', 'nope:1', 'body:x spoiler:måske', 'title:Kold', `body:${'x'.repeat(4001)}`].map((text) =>
				readSubmit(form, text, 'da'),
			),
		).toEqual(
			[
				'Navngiv hvert felt: /submit title:… (dens felter: `title`, `body`, `spoiler`).',
				'Du gav `body:` to gange.',
				'Formularen har intet felt, der hedder `nope`. Dens felter: `title`, `body`, `spoiler`.',
				'`spoiler` er et afkrydsningsfelt: giv true eller false.',
				'Formularen mangler `body` (Din anmeldelse).',
				'`body` må højst være 4.000 tegn.',
			].map((error) => ({ error })),
		);
	});
});
