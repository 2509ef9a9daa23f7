// Issue #9 item 4: what Discord guarantees of an interaction (snowflake ids, names and custom ids within
// its lengths, an autocomplete value within its option's max_length) is checked in `dispatch`, where
// the gateway, the HTTP endpoint and the console all pass, before any handler, search or cache sees it.
import { generateKeyPairSync, sign } from 'node:crypto';
import type { Server } from 'node:http';
import { PassThrough } from 'node:stream';
import Keyv from 'keyv';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RawOption } from '../commands/options.js';
import { type Cache, wrapKeyv } from '../src/cache.js';
import { runConsole } from '../src/console.js';
import { dispatch, type Deps, type Incoming } from '../src/discord/dispatch.js';
import { createInteractionsServer } from '../src/discord/http.js';
import type { ReviewStore } from '../src/domain/store.js';
import { CHANNEL, command, seedStore, USER } from './helpers.js';

type LogLine = Record<string, unknown>;
let store: ReviewStore;
let logs: LogLine[];
const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });

/** A cache over a Map we can look into: the keys written are the proof of what reached the cache. */
function inspectableCache(): { cache: Cache; keys: () => string[] } {
	const map = new Map<string, unknown>();
	const cache = wrapKeyv(new Keyv({ store: map, namespace: 'marquee' }), { ttlMs: 60_000, logger, kind: 'memory' });
	return { cache, keys: () => [...map.keys()] };
}

/** Every query the store's film and critic searches were asked (the searches run for real). */
function searches(): { films: string[]; critics: string[] } {
	const films = vi.spyOn(store, 'searchFilms');
	const critics = vi.spyOn(store, 'searchCritics');
	return {
		get films() {
			return films.mock.calls.map((c) => c[0]);
		},
		get critics() {
			return critics.mock.calls.map((c) => c[0]);
		},
	};
}

beforeAll(async () => {
	store = await seedStore();
});
afterEach(() => {
	vi.restoreAllMocks();
	logs = [];
});
logs = [];

/** An autocomplete interaction as Discord nests it: `path` names the subcommand group and subcommand, if any. */
const autocomplete = (name: string, path: readonly string[], option: string, value: string): Incoming => {
	let options: RawOption[] = [{ name: option, type: 3, value }];
	for (const sub of [...path].reverse()) options = [{ name: sub, type: 1, options }];
	return { type: 'autocomplete', name, options, focused: { name: option, value }, userId: USER, channelId: CHANNEL };
};
const contentOf = (outcome: Awaited<ReturnType<typeof dispatch>>): string | undefined =>
	outcome.kind === 'choices' || outcome.kind === 'modal' ? undefined : outcome.data.content;
const refused = (reason: string): LogLine[] => logs.filter((l) => l['msg'] === 'interaction refused' && l['reason'] === reason);

describe('dispatch checks what Discord guarantees, for every transport', () => {
	it("an autocomplete value longer than its option's max_length is never searched or cached", async () => {
		const asked = searches();
		const deps: Deps = { store, cache: inspectableCache().cache, logger };
		for (const value of ['p'.repeat(201), 'p'.repeat(900_000)]) {
			expect(await dispatch(autocomplete('reviews', [], 'film', value), deps)).toEqual({ kind: 'choices', choices: [] });
			expect(await dispatch(autocomplete('critic', [], 'name', value), deps)).toEqual({ kind: 'choices', choices: [] });
			expect(await dispatch(autocomplete('quote', ['random'], 'film', value), deps)).toEqual({ kind: 'choices', choices: [] });
		}
		expect(asked.films).toEqual([]);
		expect(asked.critics).toEqual([]);
		expect(refused('the autocomplete value is longer than its option allows')).toHaveLength(6);
		// 200 characters, astral ones counted once as Discord counts them, is searched.
		const edge = '🎬'.repeat(200);
		await dispatch(autocomplete('reviews', [], 'film', edge), deps);
		expect(asked.films).toEqual([edge]);
	});

	it('autocomplete for an option the command does not offer it on gets no choices and no search', async () => {
		const asked = searches();
		const deps: Deps = { store, cache: inspectableCache().cache, logger };
		for (const incoming of [
			autocomplete('quote', ['random'], 'kind', 'pus'),
			autocomplete('quote', [], 'film', 'pus'),
			autocomplete('quote', ['nope'], 'film', 'pus'),
			autocomplete('quote', ['random', 'deeper'], 'film', 'pus'),
			autocomplete('reviews', [], 'nope', 'pus'),
		]) {
			expect(await dispatch(incoming, deps)).toEqual({ kind: 'choices', choices: [] });
		}
		expect(asked.films).toEqual([]);
		expect(await dispatch(autocomplete('quote', ['random'], 'film', 'pus'), deps)).toEqual({
			kind: 'choices',
			choices: [
				{ name: 'Pusher (1996)', value: 'pusher-1996' },
				{ name: 'Pusher II (2004)', value: 'pusher-ii-2004' },
			],
		});
	});

	it('user and channel ids that are not snowflakes are refused before the handler: no quote:last key is written', async () => {
		const { cache, keys } = inspectableCache();
		const deps: Deps = { store, cache, logger, random: () => 0 };
		const quote = command('quote', {}, 'random');
		for (const bad of ['x'.repeat(900_000), `dm-${USER}`, '', '-1', '18446744073709551616', '1'.repeat(21), `${CHANNEL} `]) {
			const asChannel = await dispatch({ ...quote, channelId: bad }, deps);
			expect(asChannel).toMatchObject({
				kind: 'reply',
				data: {
					flags: 64,
					content: "That interaction didn't come as Discord sends them (the channel id is not a Discord id), so I didn't answer it.",
				},
			});
			const asUser = await dispatch({ ...quote, userId: bad }, deps);
			expect(contentOf(asUser)).toBe(
				"That interaction didn't come as Discord sends them (the user id is not a Discord id), so I didn't answer it.",
			);
		}
		expect(keys()).toEqual([]);
		expect(logs.filter((l) => l['msg'] === 'interaction refused')).toHaveLength(14);
		expect(logs.every((l) => JSON.stringify(l).length < 300)).toBe(true);
		// The largest snowflake is still one; a real channel gets its last quote remembered.
		await dispatch({ ...quote, channelId: '18446744073709551615' }, deps);
		await dispatch(quote, deps);
		expect(keys().map((k) => k.replace(/^marquee:/, ''))).toEqual(['quote:last:18446744073709551615', `quote:last:${CHANNEL}`]);
	});

	it('a custom_id over 100 characters and a name Discord could not register are refused without echoing them', async () => {
		const deps: Deps = { store, cache: inspectableCache().cache, logger };
		const longId = `rv:n:pusher-ii-2004:uh:1:${USER}`.padEnd(101, 'x');
		expect(contentOf(await dispatch({ type: 'button', customId: longId, userId: USER, channelId: CHANNEL }, deps))).toBe(
			"That interaction didn't come as Discord sends them (the button's custom id is too long), so I didn't answer it.",
		);
		for (const name of ['r'.repeat(33), 'x'.repeat(900_000), 'two words', '<@&1>', '']) {
			const outcome = await dispatch(
				{ type: 'command', name, options: [{ name: 'film', type: 3, value: 'Pusher' }], userId: USER, channelId: CHANNEL },
				deps,
			);
			expect(contentOf(outcome)).toBe(
				"That interaction didn't come as Discord sends them (the command name is not one Discord allows), so I didn't answer it.",
			);
		}
		// An unknown command with a name Discord allows still gets its own answer.
		expect(contentOf(await dispatch({ type: 'command', name: 'ratings', options: [], userId: USER, channelId: CHANNEL }, deps))).toBe(
			"I don't have a `/ratings` command (any more). Try `/reviews`.",
		);
	});
});

describe('through the transports', () => {
	const pair = generateKeyPairSync('ed25519');
	const publicHex = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
	let server: Server;
	let url: string;
	let keys: () => string[];
	beforeAll(async () => {
		const inspectable = inspectableCache();
		keys = inspectable.keys;
		server = createInteractionsServer(publicHex, { store, cache: inspectable.cache, logger, random: () => 0 }, new Set());
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const address = server.address();
		if (address === null || typeof address === 'string') throw new Error('no port');
		url = `http://127.0.0.1:${address.port}/interactions`;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	async function post(body: object): Promise<unknown> {
		const text = JSON.stringify(body);
		const timestamp = String(Math.floor(Date.now() / 1000));
		const signature = sign(null, Buffer.from(timestamp + text), pair.privateKey).toString('hex');
		const res = await fetch(url, {
			method: 'POST',
			body: text,
			headers: { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
		});
		expect(res.status).toBe(200);
		return res.json();
	}
	const quoteBody = {
		type: 2,
		data: { name: 'quote', options: [{ name: 'random', type: 1, options: [] }] },
		member: { user: { id: USER } },
	};

	it("HTTP: a 900 KB channel_id gets an ephemeral refusal and no cache key; no channel at all is the user's own", async () => {
		const huge = '1'.repeat(900_000);
		expect(await post({ ...quoteBody, channel_id: huge })).toMatchObject({
			type: 4,
			data: {
				flags: 64,
				content: "That interaction didn't come as Discord sends them (the channel id is not a Discord id), so I didn't answer it.",
			},
		});
		expect(await post({ ...quoteBody, channel: { id: huge } })).toMatchObject({ type: 4, data: { flags: 64 } });
		expect(keys()).toEqual([]);
		expect(await post(quoteBody)).toMatchObject({ type: 4, data: { embeds: [{}] } });
		expect(keys()).toEqual([`marquee:quote:last:${USER}`]);
	});

	it('HTTP: a 900 KB focused value gets no choices and is never searched', async () => {
		const asked = searches();
		const value = 'p'.repeat(900_000);
		const body = {
			type: 4,
			data: { name: 'reviews', options: [{ name: 'film', type: 3, value, focused: true }] },
			channel_id: CHANNEL,
			member: { user: { id: USER } },
		};
		expect(await post(body)).toEqual({ type: 8, data: { choices: [] } });
		expect(asked.films).toEqual([]);
	});

	it('console: an over-long value typed for suggestions is never searched', async () => {
		const asked = searches();
		const input = new PassThrough();
		const output = new PassThrough();
		let text = '';
		output.on('data', (chunk: Buffer) => {
			text += chunk.toString('utf8');
		});
		const done = runConsole({ store, cache: inspectableCache().cache, logger }, { input, output, interactive: false });
		input.end(`?reviews ${'p'.repeat(300)}\n?reviews pus\n`);
		await done;
		expect(text).toContain('No suggestions.');
		expect(asked.films).toEqual(['pus']);
	});
});
