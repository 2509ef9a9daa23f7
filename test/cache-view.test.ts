// The interaction log line's `cache` field: dispatch notes every command's cache lookups itself, through a view of the shared cache.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { encodeState } from '../commands/reviews.js';
import { cacheView } from '../src/cache/view.js';
import { dispatch, type Incoming } from '../src/discord/dispatch.js';
import { captureLogger, CHANNEL, click, command, memoryCache, seedStore, USER } from './helpers.js';

/** Runs `incomings` one after another on one fresh memory cache; gives each interaction line's [command, cache]. */
async function logged(incomings: readonly Incoming[]): Promise<unknown[][]> {
	const { logger, lines } = captureLogger('info');
	const store = await seedStore();
	const cache = await memoryCache();
	for (const incoming of incomings) await dispatch(incoming, { store, cache, logger, random: () => 0 });
	await cache.close();
	return lines.filter((line) => line['msg'] === 'interaction').map((line) => [line['command'], line['cache']]);
}

describe('the interaction log line says how the cache was used', () => {
	it('/reviews, /critic and a page button: a miss, then a hit', async () => {
		const page = click(encodeState('n', { filmId: 'pusher-ii-2004', kind: 'user', sort: 'helpful', page: 1, owner: USER }));
		const reviews = command('reviews', { film: 'Pusher II' });
		const critic = command('critic', { name: 'Noel Murray' });
		expect(await logged([reviews, reviews, critic, critic, page, page])).toEqual([
			['reviews', 'miss'],
			['reviews', 'hit'],
			['critic', 'miss'],
			['critic', 'hit'],
			['rv', 'miss'],
			['rv', 'hit'],
		]);
	});

	it("/quote: the channel's last quote is looked up, a miss in a new channel and a hit after", async () => {
		const quote = command('quote', {}, 'random');
		expect(await logged([quote, quote])).toEqual([
			['quote', 'miss'],
			['quote', 'hit'],
		]);
	});

	it('autocomplete, an unknown command and a refused interaction look nothing up', async () => {
		const autocomplete: Incoming = {
			type: 'autocomplete',
			name: 'reviews',
			options: [],
			focused: { name: 'film', value: 'pus' },
			userId: USER,
			channelId: CHANNEL,
		};
		const unknown = command('nope', {});
		const lines = await logged([autocomplete, unknown, { ...unknown, userId: 'me' }]);
		// The refused one is logged as refused, without an interaction line.
		expect(lines).toEqual([
			['reviews', 'none'],
			['nope', 'none'],
		]);
	});

	it('interactions under way together each log their own lookups', async () => {
		const { logger, lines } = captureLogger('info');
		const store = await seedStore();
		const cache = await memoryCache();
		const reviews = command('reviews', { film: 'Pusher II' });
		await dispatch(reviews, { store, cache, logger });
		await Promise.all([
			dispatch(reviews, { store, cache, logger }),
			dispatch(command('critic', { name: 'Noel Murray' }), { store, cache, logger }),
		]);
		await cache.close();
		const together = lines
			.filter((line) => line['msg'] === 'interaction')
			.slice(1)
			.map((line) => `${String(line['command'])} ${String(line['cache'])}`);
		expect(together.sort()).toEqual(['critic miss', 'reviews hit']);
	});
});

describe('cacheView', () => {
	it('is none before a lookup, hit while every lookup hits, and miss from the first miss on; set is no lookup', async () => {
		const shared = await memoryCache();
		await shared.set('a', 1);
		const view = cacheView(shared);
		expect(view.use()).toBe('none');
		await view.cache.set('b', 2);
		expect(view.use()).toBe('none');
		expect(await view.cache.get('a', z.number())).toBe(1);
		expect(await view.cache.getOrCompute('b', z.number(), () => 0)).toEqual({ value: 2, hit: true });
		expect(view.use()).toBe('hit');
		expect(await view.cache.getOrCompute('c', z.number(), () => 3)).toEqual({ value: 3, hit: false });
		expect(view.use()).toBe('miss');
		expect(await view.cache.get('a', z.number())).toBe(1);
		expect(view.use()).toBe('miss');
		// The view writes to the shared cache: another interaction's view finds what this one stored.
		expect(await cacheView(shared).cache.get('c', z.number())).toBe(3);
		await shared.close();
	});
});
