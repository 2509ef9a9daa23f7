// Scenario 4: faults. A broken cache, malformed data next to good data, a handler that throws, a dropped gateway.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadStore } from '../../src/app.js';
import { type Cache, openCache, wrapKeyv } from '../../src/cache.js';
import { loadDataDir } from '../../src/domain/load.js';
import { ReviewStore } from '../../src/domain/store.js';
import { tempDir } from '../helpers.js';
import {
	type Bot,
	buttonId,
	captureLogger,
	expectEmbedReply,
	expectHandlerReply,
	handlerChoices,
	messageBodyOf,
	ROOT,
	startBot,
} from './harness.js';

const EPHEMERAL = 64;
let bot: Bot | undefined;

afterEach(async () => {
	if (bot) bot.fake.assertNoViolations();
	await bot?.stop();
	bot = undefined;
});

/** Every command, a button and autocomplete, through the gateway: each delivers what the handlers answer on the seed data. */
async function everyCommandAnswers(b: Bot): Promise<void> {
	for (let round = 0; round < 2; round++) {
		const r = await b.fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice' });
		const next = await b.fake.click(r.message, buttonId(r.message, 'Next ▶'), { user: 'alice' });
		const critic = await b.fake.slash('critic', { name: 'Noel Murray' });
		for (const answered of [r, next, critic]) {
			const reply = await expectHandlerReply(answered, b.store);
			expect(reply.embeds).toHaveLength(1);
		}
		expectEmbedReply(await b.fake.slash('quote', { film: 'Pusher II', kind: 'user' }, { subcommand: 'random' }));
		const choices = await b.fake.autocompleteRecord('reviews', 'film', 'pus');
		expect(choices.choices).toEqual(await handlerChoices(choices, b.store));
		expect(choices.choices).toHaveLength(2);
	}
}

function throwingKeyv(): Keyv {
	const fail = (): Promise<never> => Promise.reject(new Error('disk on fire'));
	return new Keyv({ store: { get: fail, set: fail, delete: fail, clear: fail, has: fail, getMany: fail, on: () => undefined } });
}

describe('scenario 4: faults', () => {
	describe('(a) a broken cache: every command still answers through the gateway', () => {
		it('an unwritable SQLite path (its parent is a regular file): falls back to memory', async () => {
			const dir = tempDir();
			writeFileSync(join(dir, 'not-a-dir'), 'plain file');
			const { logger, lines } = captureLogger();
			const cache = await openCache({ kind: 'sqlite', file: join(dir, 'not-a-dir', 'cache.sqlite') }, { ttlMs: 60_000, logger });
			expect(cache.kind).toBe('memory');
			expect(cache.stats.degraded).toBe(true);
			expect(lines.some((l) => String(l['msg']).includes('could not open the sqlite cache'))).toBe(true);
			bot = await startBot({ cache });
			await everyCommandAnswers(bot);
			expect(cache.stats.hits).toBeGreaterThan(0);
		});

		it('a corrupt SQLite file (garbage bytes)', async () => {
			const dir = tempDir();
			const file = join(dir, 'cache.sqlite');
			writeFileSync(file, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256)));
			const { logger } = captureLogger();
			const cache = await openCache({ kind: 'sqlite', file }, { ttlMs: 60_000, logger, timeoutMs: 200, openTimeoutMs: 1000 });
			// Either the open is refused (memory stand-in) or every operation fails: both count as degraded.
			bot = await startBot({ cache });
			await everyCommandAnswers(bot);
			expect(cache.kind === 'memory' || cache.stats.errors > 0).toBe(true);
			expect(cache.stats.degraded).toBe(true);
		});

		it('a Keyv store that throws on every call', async () => {
			const { logger, lines } = captureLogger();
			const cache: Cache = wrapKeyv(throwingKeyv(), { kind: 'sqlite', ttlMs: 60_000, logger, retryAfterMs: 0 });
			bot = await startBot({ cache });
			await everyCommandAnswers(bot);
			// At least every awaited operation failed: the first round's reads for its four replies, the second
			// round's quote read, and both rounds' "last quote" writes (other writes are in the background).
			expect(cache.stats.errors).toBeGreaterThanOrEqual(7);
			// The store answered nothing (any hit is a repeat served from getOrCompute's in-process memo).
			expect(lines.some((l) => String(l['msg']).includes('cache failing'))).toBe(true);
			expect(bot.logs.filter((l) => l['msg'] === 'handler failed')).toEqual([]);
		});
	});

	describe('(b) malformed data next to good data', () => {
		const block = (title: string, author: string, rating = '8/10') =>
			`${rating}\n${title}\n${author}\nBody of ${title}.\n3 out of 4 found this helpful. Was this review helpful? Sign in to vote.\nPermalink\n`;

		it('the good films answer; the load errors name file:line; the broken page keeps its good blocks', async () => {
			const dir = tempDir();
			for (const f of ['pusher-1996.critics.metacritic.txt', 'pusher-ii-2004.users.imdb.txt'])
				writeFileSync(join(dir, f), readFileSync(join(ROOT, 'data', f)));
			const manifest = z.object({ films: z.array(z.unknown()) }).parse(JSON.parse(readFileSync(join(ROOT, 'data', 'films.json'), 'utf8')));
			manifest.films.push(
				{ id: 'broken-2001', title: 'Broken', year: 2001, aliases: [], sources: [{ file: 'broken-2001.users.imdb.txt', layout: 'imdb' }] },
				{
					id: 'missing-2002',
					title: 'Missing',
					year: 2002,
					aliases: [],
					sources: [{ file: 'missing-2002.users.imdb.txt', layout: 'imdb' }],
				},
			);
			writeFileSync(join(dir, 'films.json'), JSON.stringify(manifest, null, '\t'));
			// Line 7 starts a block rated 11/10; line 13 an author line without a date.
			writeFileSync(
				join(dir, 'broken-2001.users.imdb.txt'),
				block('Good one', 'bob12 March 2020') +
					block('Too high', 'ann3 May 2011', '11/10') +
					block('No date', 'cy') +
					block('Also good', 'dee4 June 2012'),
			);
			const { logger, lines } = captureLogger();
			const loaded = await loadStore(dir, logger);
			expect(loaded.ok).toBe(true);
			if (!loaded.ok) return;
			const store = loaded.store;
			const errors = store.errors().map((e) => `${e.file}:${e.line}`);
			expect(errors).toEqual(['broken-2001.users.imdb.txt:7', 'broken-2001.users.imdb.txt:15', 'missing-2002.users.imdb.txt:0']);
			const warnings = lines.filter((l) => l['level'] === 40).map((l) => String(l['msg']));
			expect(warnings).toContain('data error broken-2001.users.imdb.txt:7: rating 11/10 is not between 1/10 and 10/10');
			expect(warnings.some((w) => w.startsWith('data error broken-2001.users.imdb.txt:15: '))).toBe(true);
			expect(warnings.some((w) => w.startsWith('data error missing-2002.users.imdb.txt:0: '))).toBe(true);

			bot = await startBot({ store });
			await everyCommandAnswers(bot);
			const broken = await bot.fake.slash('reviews', { film: 'Broken' }, { user: 'alice' });
			await expectHandlerReply(broken, store);
			// (record.message is the message's latest state: read each page's title before turning it.)
			const first = (await bot.fake.click(broken.message, buttonId(broken.message, 'Next ▶'), { user: 'alice' })).message.embeds[0]?.title;
			const second = (await bot.fake.click(broken.message, buttonId(broken.message, 'Next ▶'), { user: 'alice' })).message.embeds[0]?.title;
			expect([first, second].sort()).toEqual(['Also good', 'Good one']);
		});
	});

	describe('(c) a handler that throws', () => {
		it('gets an ephemeral apology through the gateway, and the client answers the next interaction', async () => {
			class Exploding extends ReviewStore {
				override summary(): never {
					throw new Error('secret internal detail');
				}
			}
			const store = Exploding.fromData(await loadDataDir(join(ROOT, 'data')));
			bot = await startBot({ store });
			const r = await bot.fake.slash('reviews', { film: 'Pusher II' });
			expect(r.responses).toHaveLength(1);
			// The apology the handlers' dispatch gives (its copy is asserted in test/commands.test.ts), ephemeral.
			await expectHandlerReply(r, store);
			expect(messageBodyOf(r.responses[0]).flags).toBe(EPHEMERAL);
			expect(JSON.stringify(r.responses)).not.toContain('secret');
			const failed = bot.logs.filter((l) => l['msg'] === 'handler failed');
			expect(failed).toHaveLength(1);
			expect(JSON.stringify(failed[0])).toContain('secret internal detail');
			// The same client keeps answering: other commands, and the failing one again.
			const critic = await bot.fake.slash('critic', { name: 'Noel Murray' });
			expect((await expectHandlerReply(critic, store)).embeds).toHaveLength(1);
			const again = await bot.fake.slash('reviews', { film: 'Pusher' });
			expect(messageBodyOf(again.responses[0]).flags).toBe(EPHEMERAL);
			// Commands that never call summary() are unaffected.
			expectEmbedReply(await bot.fake.slash('quote', { kind: 'critic' }, { subcommand: 'random' }));
		});
	});

	describe('(d) the gateway connection dropped', () => {
		it('close 4000 and a TCP drop (1006): the client resumes, gets the interaction sent meanwhile, answers again', async () => {
			bot = await startBot();
			const fake = bot.fake;
			expect(fake.readies).toBe(1);
			const before = await fake.slash('reviews', { film: 'Pusher II' }, { user: 'alice' });
			await expectHandlerReply(before, bot.store);

			fake.dropConnections();
			// Sent while the socket is down: queued by the fake and replayed on RESUME.
			const queued = fake.slash('critic', { name: 'Noel Murray' });
			await fake.waitForResumed(1);
			await expectHandlerReply(await queued, bot.store);
			const afterResume = await fake.click(before.message, buttonId(before.message, 'Next ▶'), { user: 'alice' });
			expect(afterResume.responses[0]?.type).toBe(7);
			await expectHandlerReply(afterResume, bot.store);

			fake.dropConnections({ terminate: true });
			await fake.waitForResumed(2);
			expectEmbedReply(await fake.slash('quote', { film: 'Pusher II', kind: 'user' }, { subcommand: 'random' }));
			// Resumed, not re-identified: one READY in all.
			expect(fake.readies).toBe(1);
			expect(fake.openConnections).toBe(1);
		});
	});
});
