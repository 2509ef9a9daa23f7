import { execFile, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain, startApp } from '../src/app.js';
import { openCache } from '../src/cache.js';
import { capLines, findButton, markdownToText, parseLine, runConsole } from '../src/console.js';
import type { Deps } from '../src/discord/dispatch.js';
import { loadDataDir } from '../src/domain/load.js';
import { ReviewStore } from '../src/domain/store.js';
import { startFakeDiscord } from './fake-discord/index.js';

const logger = pino({ level: 'silent' });
let store: ReviewStore;

beforeAll(async () => {
	store = ReviewStore.fromData(await loadDataDir('data'));
});

async function deps(random: () => number = () => 0): Promise<Deps> {
	return { store, cache: await openCache({ kind: 'memory' }, { ttlMs: 60_000, logger }), logger, random };
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

	it('builds subcommand options, with choices matched case-insensitively', () => {
		expect(parseLine('/quote random film:Pusher II kind:User')).toEqual({
			kind: 'command',
			name: 'quote',
			options: [
				{
					name: 'random',
					type: ApplicationCommandOptionType.Subcommand,
					options: [
						{ name: 'film', type: 3, value: 'Pusher II' },
						{ name: 'kind', type: 3, value: 'user' },
					],
				},
			],
		});
		expect(parseLine('/quote random')).toEqual({ kind: 'command', name: 'quote', options: [{ name: 'random', type: 1, options: [] }] });
	});

	it('keeps a colon in a title that is not an option name', () => {
		expect(parseLine('/reviews Star Wars: Episode IV')).toMatchObject({ options: [{ name: 'film', value: 'Star Wars: Episode IV' }] });
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

function runMain(env: Record<string, string>, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const base: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
		const child = execFile(process.execPath, ['dist/src/main.js'], { env: { ...base, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
			const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
			resolve({ code, stdout, stderr });
		});
		child.stdin?.end(input);
	});
}

describe('npm start without a token (child process)', () => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'marquee-console-'));
	});
	afterAll(async () => {
		await rm(dir, { recursive: true, force: true });
	});

	it.each([
		['memory', () => 'memory'],
		['sqlite', () => `sqlite://${dir}/c.sqlite`],
	])('answers piped commands and exits 0 (%s cache)', async (_name, cacheUrl) => {
		const { code, stdout, stderr } = await runMain({ CACHE_URL: cacheUrl(), DATA_DIR: 'data' }, '/reviews Pusher II\n/critic murray\n');
		expect(code).toBe(0);
		expect(stderr).toContain('No DISCORD_TOKEN set: opening the local console');
		expect(stdout).toContain('7.7/10');
		expect(stdout).toContain('[Next ▶]');
		expect(stdout).toContain('Noel Murray');
		expect(stdout).not.toContain('marquee>');
	});

	it('exits 1 with one line per config problem, and on an unreadable data dir', async () => {
		const bad = await runMain({ CACHE_URL: 'nope', CACHE_TTL_SECONDS: '-1' }, '');
		expect(bad.code).toBe(1);
		expect(bad.stderr).toMatch(/CACHE_URL: /);
		expect(bad.stderr).toMatch(/CACHE_TTL_SECONDS: /);
		const missing = await runMain({ CACHE_URL: 'memory', DATA_DIR: join(dir, 'absent') }, '');
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/Cannot read the data directory/);
	});
});

describe('startApp, in process', () => {
	function streams() {
		const stdin = new PassThrough();
		const stdout = new PassThrough();
		const stderr = new PassThrough();
		const logs = new PassThrough();
		const text = { out: '', err: '', logs: '' };
		stdout.on('data', (c: Buffer) => (text.out += c.toString()));
		stderr.on('data', (c: Buffer) => (text.err += c.toString()));
		logs.on('data', (c: Buffer) => (text.logs += c.toString()));
		const events = new EventEmitter();
		return { io: { stdin, stdout, stderr, logDestination: logs, events, exit: () => {} }, text, events, stdin };
	}

	it('runs the console without a token and ends at a signal', async () => {
		const { io, text, events, stdin } = streams();
		const done = startApp({ CACHE_URL: 'memory', DATA_DIR: 'data' }, { ...io, interactive: false });
		stdin.write('/critic murray\n');
		await expect.poll(() => text.out, { timeout: 5000 }).toContain('Noel Murray');
		events.emit('SIGTERM', 'SIGTERM');
		expect(await done).toBe(0);
		expect(text.err).toContain('No DISCORD_TOKEN set: opening the local console (type /help).');
	});

	it('drain waits for replies under way, including ones added meanwhile, within its bound', async () => {
		// As attachDispatcher does: each job removes itself from the set when it settles.
		const inFlight = new Set<Promise<unknown>>();
		const track = (p: Promise<unknown>): void => {
			const job: Promise<unknown> = p.finally(() => inFlight.delete(job));
			inFlight.add(job);
		};
		const later = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
		track(later(30).then(() => track(later(30))));
		const started = Date.now();
		expect(await drain(inFlight, 2000)).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(50);
		track(new Promise(() => {}));
		expect(await drain(inFlight, 50)).toBe(false);
	});

	it('exits 1 with each config problem on stderr', async () => {
		const { io, text } = streams();
		expect(await startApp({ CACHE_TTL_SECONDS: 'soon', LOG_LEVEL: 'loud' }, io)).toBe(1);
		expect(text.err).toMatch(/^ {2}CACHE_TTL_SECONDS: /m);
		expect(text.err).toMatch(/^ {2}LOG_LEVEL: /m);
	});

	it('answers on the fake Discord and shuts down cleanly on SIGTERM', async () => {
		const app = '123456789012345678';
		const fake = await startFakeDiscord({ applicationId: app });
		const { io, text, events } = streams();
		try {
			const done = startApp({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: app, DISCORD_API_BASE: fake.apiBase, CACHE_URL: 'memory', DATA_DIR: 'data' }, io);
			await expect.poll(() => text.logs, { timeout: 10_000 }).toContain('"msg":"clientReady"');
			const reply = await fake.slash('reviews', { film: 'Pusher II' });
			expect(JSON.stringify(reply.message)).toContain('7.7/10');
			events.emit('SIGTERM', 'SIGTERM');
			expect(await done).toBe(0);
			expect(text.logs).toContain('"msg":"shut down"');
			fake.assertNoViolations();
		} finally {
			await fake.close();
		}
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

	it('refuses an option the command does not declare, naming it and the options it has', async () => {
		const out = replies(await consoleRun(['/reviews film:Pusher extra:1', '/quote random kind:user time:3', '/reviews Mission: Impossible', '/reviews film:re:animator']));
		expect(out.get('/reviews film:Pusher extra:1')).toBe('(only you can see this)\n`/reviews` has no option `extra`. Its options: `film`.');
		expect(out.get('/quote random kind:user time:3')).toBe('(only you can see this)\n`/quote random` has no option `time`. Its options: `film`, `kind`.');
		// a colon in a title is not an option: "Mission:" is followed by a space, "re:" comes inside film's value
		expect(out.get('/reviews Mission: Impossible')).toContain('I don\'t know a film called “Mission: Impossible”');
		expect(out.get('/reviews film:re:animator')).toContain('I don\'t know a film called “re:animator”');
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
