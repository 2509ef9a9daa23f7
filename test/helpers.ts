import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, expect } from 'vitest';
import { type Cache, openCache } from '../src/cache.js';
import { dispatch, type Incoming, type Outcome } from '../src/discord/dispatch.js';
import type { FinalReply } from '../src/reply/respond.js';
import { loadDataDir } from '../src/domain/load.js';
import type { CriticReview, FilmRecord, StoreData, UserReview } from '../src/domain/schema.js';
import { ReviewStore } from '../src/domain/store.js';
import {
	checkAllowedMentions,
	checkAutocompleteChoices,
	checkMessageLimits,
	checkSpoilers,
	emptyFindings,
} from './fake-discord/validate.js';

export const USER = '100000000000000001';
export const OTHER_USER = '100000000000000002';
export const CHANNEL = '200000000000000001';

export const silent = pino({ level: 'silent' });

/** A pino logger whose JSON lines are kept in `lines` (parsed). */
export function captureLogger(level: pino.Level = 'debug'): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
	const lines: Array<Record<string, unknown>> = [];
	const logger = pino(
		{ level },
		{
			write(chunk: string) {
				for (const l of chunk.split('\n')) if (l.trim() !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
			},
		},
	);
	return { logger, lines };
}

const tempDirs: string[] = [];
afterAll(() => {
	for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
/** A new empty directory under the system's temp folder; every one a test file made is removed after its tests. */
export function tempDir(prefix = 'marquee-'): string {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	tempDirs.push(dir);
	return dir;
}

let seedStorePromise: Promise<ReviewStore> | undefined;
/** The store built from the repository's `data/` (loaded once per test file; no test changes it). */
export function seedStore(): Promise<ReviewStore> {
	seedStorePromise ??= loadDataDir(new URL('../data', import.meta.url).pathname).then((d) => ReviewStore.fromData(d));
	return seedStorePromise;
}

export function memoryCache(logger: pino.Logger = silent): Promise<Cache> {
	return openCache({ kind: 'memory' }, { ttlMs: 60_000, logger });
}

/** A user review with sensible defaults, for building adversarial stores in tests. */
export function userReview(filmId: string, n: number, over: Partial<UserReview> = {}): UserReview {
	return {
		id: `${filmId}#u${n}`,
		filmId,
		source: { file: 'test.txt', line: n },
		rating: 7,
		title: `Review ${n}`,
		author: `author${n}`,
		date: '2020-01-01',
		spoiler: false,
		body: `Body of review ${n}.`,
		helpful: { up: 1, total: 2 },
		...over,
	};
}

export function criticReview(filmId: string, n: number, over: Partial<CriticReview> = {}): CriticReview {
	return {
		id: `${filmId}#c${n}`,
		filmId,
		source: { file: 'test.txt', line: n },
		position: n,
		critic: `Critic ${n}`,
		credit: `Critic ${n}`,
		score: null,
		band: null,
		date: '2013-07-15',
		excerpt: `Excerpt ${n}.`,
		...over,
	};
}

export function film(id: string, title: string, over: Partial<FilmRecord> = {}): FilmRecord {
	return {
		film: { id, title, year: 2001, aliases: [], sources: [{ file: 'test.txt', layout: 'imdb' }] },
		consensus: null,
		criticReviews: [],
		userPage: null,
		userReviews: [],
		...over,
	};
}

/**
 * A film that fills /compare's column to its limit: a long verdict, 2^40 critics, six scored 100, and thirty user
 * ratings in two camps (1 and 10): both sides divisive, every number as long as it gets.
 */
export function polarisedFilm(id: string, title: string): FilmRecord {
	return film(id, title, {
		consensus: { verdict: 'v'.repeat(80), critics: 2 ** 40, positive: 2 ** 40, mixed: 2 ** 40, negative: 2 ** 40 },
		criticReviews: Array.from({ length: 6 }, (_, i) => criticReview(id, i + 1, { score: 100 })),
		userReviews: Array.from({ length: 30 }, (_, i) => userReview(id, i + 1, { rating: i % 2 === 0 ? 1 : 10 })),
	});
}

export function storeOf(films: FilmRecord[]): ReviewStore {
	const data: StoreData = { version: 'test', films, errors: [] };
	return ReviewStore.fromData(data);
}

export function command(name: string, options: Record<string, string>, sub?: string, userId = USER): Incoming {
	const opts = Object.entries(options).map(([k, v]) => ({ name: k, type: 3, value: v }));
	return { type: 'command', name, options: sub ? [{ name: sub, type: 1, options: opts }] : opts, userId, channelId: CHANNEL };
}

export function click(customId: string, userId = USER): Incoming {
	return { type: 'button', customId, userId, channelId: CHANNEL };
}

/** Discord's limits, the no-ping rule and closed spoilers, checked by the same validator the fake Discord server uses. */
export function expectValid(outcome: Outcome): FinalReply | undefined {
	const findings = emptyFindings();
	if (outcome.kind === 'choices') {
		checkAutocompleteChoices('choices', { choices: outcome.choices }, findings);
		expect(findings.violations).toEqual([]);
		return undefined;
	}
	if (outcome.kind === 'modal') throw new Error('expected a message, got a modal');
	checkMessageLimits('reply', outcome.data, true, findings);
	checkAllowedMentions('reply', outcome.data, findings);
	checkSpoilers('reply', outcome.data, findings);
	expect(findings.violations).toEqual([]);
	expect(outcome.data.allowed_mentions).toEqual({ parse: [] });
	return outcome.data;
}

export async function run(incoming: Incoming, deps: { store: ReviewStore; cache: Cache; random?: () => number }): Promise<Outcome> {
	return dispatch(incoming, { logger: silent, ...deps });
}

/** Every string in a payload, joined: for asserting what a reply shows. */
export function textOf(data: unknown): string {
	const parts: string[] = [];
	const walk = (v: unknown): void => {
		if (typeof v === 'string') parts.push(v);
		else if (Array.isArray(v)) v.forEach(walk);
		else if (v && typeof v === 'object') Object.values(v).forEach(walk);
	};
	walk(data);
	return parts.join('\n');
}
