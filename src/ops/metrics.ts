import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Observed } from '../discord/dispatch.js';
import type { ReloadOutcome } from '../reload.js';

/**
 * The bot's Prometheus metrics, in a registry of its own (not prom-client's global one, so two apps in
 * one process, as in the tests, count apart): interactions by type, command and outcome, their
 * latency, cache results, the store served and its reloads, and prom-client's process metrics.
 * `src/ops/server.ts` serves them on GET /metrics.
 */

/** One cache read of a reply: found, not found (computed), or the cache failing. */
export type CacheResult = 'hit' | 'miss' | 'failure';

/** What the store gauges read at each scrape: the store served now. */
export interface StoreFacts {
	readonly version: string;
	readonly films: number;
	readonly userReviews: number;
	readonly criticReviews: number;
}

export interface Metrics {
	readonly registry: Registry;
	/** Dispatch's observer (`Deps.observe`). */
	readonly interaction: (observed: Observed) => void;
	/** The cache's observer (openCache's `onResult`). */
	readonly cacheResult: (result: CacheResult) => void;
	/** Live reload's observer (`LiveStore`'s `onReload`). */
	readonly reload: (outcome: ReloadOutcome) => void;
	/** Where the store gauges read the store served, at each scrape; until this is called, they show nothing. */
	readonly storeFrom: (facts: () => StoreFacts) => void;
	/** The Prometheus text exposition of every metric. */
	readonly text: () => Promise<string>;
	readonly contentType: string;
}

/** Up to Discord's 3 s to answer, and beyond. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];

export function createMetrics(): Metrics {
	let store: () => StoreFacts | undefined = () => undefined;
	const registry = new Registry();
	collectDefaultMetrics({ register: registry });
	const registers = [registry];
	const interactions = new Counter({
		name: 'marquee_interactions_total',
		help: 'Interactions answered, by type (command, autocomplete, button, modal), command and outcome (ok, user_error, refused, error).',
		labelNames: ['type', 'command', 'outcome'] as const,
		registers,
	});
	const duration = new Histogram({
		name: 'marquee_interaction_duration_seconds',
		help: 'Time from an interaction reaching dispatch to its answer being ready, by type and command.',
		labelNames: ['type', 'command'] as const,
		buckets: LATENCY_BUCKETS,
		registers,
	});
	const cache = new Counter({
		name: 'marquee_cache_results_total',
		help: 'Cache reads of replies, by result (hit, miss, failure).',
		labelNames: ['result'] as const,
		registers,
	});
	const reloads = new Counter({
		name: 'marquee_store_reloads_total',
		help: 'Live reloads of the review store, by outcome (reloaded, unchanged, failed).',
		labelNames: ['outcome'] as const,
		registers,
	});
	for (const result of ['hit', 'miss', 'failure'] as const) cache.inc({ result }, 0);
	for (const outcome of ['reloaded', 'unchanged', 'failed'] as const) reloads.inc({ outcome }, 0);
	new Gauge({
		name: 'marquee_store_info',
		help: 'The review store served: its data version, as a label (the value is always 1).',
		labelNames: ['version'] as const,
		registers,
		collect() {
			this.reset();
			const facts = store();
			if (facts) this.set({ version: facts.version }, 1);
		},
	});
	new Gauge({
		name: 'marquee_store_films',
		help: 'Films in the review store served.',
		registers,
		collect() {
			const facts = store();
			if (facts) this.set(facts.films);
		},
	});
	new Gauge({
		name: 'marquee_store_reviews',
		help: 'Reviews in the review store served, by kind (user, critic).',
		labelNames: ['kind'] as const,
		registers,
		collect() {
			const facts = store();
			if (!facts) return;
			this.set({ kind: 'user' }, facts.userReviews);
			this.set({ kind: 'critic' }, facts.criticReviews);
		},
	});
	return {
		registry,
		interaction: ({ type, command, result, seconds }) => {
			interactions.inc({ type, command, outcome: result });
			duration.observe({ type, command }, seconds);
		},
		cacheResult: (result) => cache.inc({ result }),
		reload: (outcome) => reloads.inc({ outcome }),
		storeFrom: (facts) => {
			store = facts;
		},
		text: () => registry.metrics(),
		contentType: registry.contentType,
	};
}
