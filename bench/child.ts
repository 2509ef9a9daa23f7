// One measurement in a fresh process, so each starts with a clean heap and its RSS is its own.
// Started by bench/run.ts as `node dist/bench/child.js MODE ARGS...` (the build); prints one line
// `RESULT {json}` on stdout. Imports are dynamic so a mode loads only what it measures.

const [mode = '', ...args] = process.argv.slice(2);

function result(value: unknown): void {
	process.stdout.write(`RESULT ${JSON.stringify(value)}\n`);
}

/** A small deterministic generator (the same sequence every run), so runs are comparable. */
function lcg(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

function arg(n: number): string {
	const value = args[n];
	if (value === undefined) throw new Error(`bench/child.ts ${mode}: missing argument ${n + 1}`);
	return value;
}

async function silentLogger() {
	const { pino } = await import('pino');
	return pino({ level: 'silent' });
}

/** One `npm run data:build` of `dir` into `target` (full when `target` is missing, else incremental); peak RSS of the whole process. */
async function build(dir: string, target: string): Promise<void> {
	const { buildReviewsDb } = await import('../src/domain/build.js');
	const t = performance.now();
	const built = await buildReviewsDb(dir, target);
	const ms = performance.now() - t;
	const reviews = built.data.films.reduce((n, f) => n + f.criticReviews.length + f.userReviews.length, 0);
	result({
		ms,
		parsed: built.parsed,
		reused: built.reused,
		films: built.data.films.length,
		reviews,
		errors: built.data.errors.length,
		peakRssMb: process.resourceUsage().maxRSS / 1024,
	});
}

/**
 * Where a full build's time goes, in the build's steps run one by one (`buildReviewsDb` does them in one
 * call): read the files, parse every page, write the tables and indexes into a new file, ANALYZE.
 */
async function buildPhases(dir: string, target: string): Promise<void> {
	const { readDataFiles, parseDataFiles } = await import('../src/domain/load.js');
	const { writeStore } = await import('../src/domain/db.js');
	const { default: Sqlite } = await import('better-sqlite3');
	const t0 = performance.now();
	const files = await readDataFiles(dir);
	const t1 = performance.now();
	const data = parseDataFiles(files);
	const t2 = performance.now();
	const db = new Sqlite(target);
	db.pragma('journal_mode = OFF');
	db.pragma('synchronous = OFF');
	writeStore(db, data, { parser: '', fingerprint: '' });
	const t3 = performance.now();
	db.exec('ANALYZE');
	db.close();
	const t4 = performance.now();
	result({ readMs: t1 - t0, parseMs: t2 - t1, writeMs: t3 - t2, analyzeMs: t4 - t3 });
}

/** Where the start goes: what `npm start` does before it answers (src/app.ts's loadStore on a fresh file), in phases, timed from the process's start. */
async function open(dir: string, dbFile: string): Promise<void> {
	const importStart = performance.now();
	await import('discord.js');
	const discordJs = performance.now();
	await import('../src/app.js');
	const { isFresh } = await import('../src/domain/build.js');
	const { filesFingerprint } = await import('../src/domain/load.js');
	const { ReviewStore } = await import('../src/domain/store.js');
	const imported = performance.now();
	const rssImportsMb = process.memoryUsage().rss / 2 ** 20;
	const fingerprint = await filesFingerprint(dir);
	const fingerprinted = performance.now();
	if (!isFresh(dbFile, fingerprint)) throw new Error(`${dbFile} is not fresh`);
	const checked = performance.now();
	const store = ReviewStore.open(dbFile);
	const ready = performance.now();
	result({
		// performance.now() counts from the process's time origin (its start), before Node's own boot.
		sinceStartMs: ready,
		bootMs: importStart,
		importMs: imported - importStart,
		discordJsMs: discordJs - importStart,
		rssImportsMb,
		fingerprintMs: fingerprinted - imported,
		freshMs: checked - fingerprinted,
		openMs: ready - checked,
		films: store.films.length,
		rssMb: process.memoryUsage().rss / 2 ** 20,
		heapMb: process.memoryUsage().heapUsed / 2 ** 20,
	});
	store.close();
}

type BotKind = 'marquee' | 'minimal' | 'same-reply';

interface Sample {
	miss: number[];
	hit: number[];
}

function pct(values: readonly number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * Handler latency through dispatch on the compiled file `dbFile` opened as `npm start` opens it, with a
 * fresh cache (`memory` or a new sqlite file): each item first with a cold cache (a miss: the page is read
 * from the store and rendered), then the same again with a warm one (a hit).
 */
async function handlers(dbFile: string, cacheUrl: string, count: number): Promise<void> {
	const { openCache } = await import('../src/cache.js');
	const { CacheUrl } = await import('../src/config.js');
	const { ReviewStore } = await import('../src/domain/store.js');
	const { dispatch } = await import('../src/discord/dispatch.js');
	const { encodeState } = await import('../commands/reviews.js');
	type Incoming = import('../src/discord/dispatch.js').Incoming;
	const logger = await silentLogger();
	const store = ReviewStore.open(dbFile);
	const cache = await openCache(CacheUrl.parse(cacheUrl), { ttlMs: 3600_000, logger, timeoutMs: 5000 });
	const deps = { store, cache, logger, random: lcg(7) };
	const USER = '100000000000000001';
	const cmd = (name: string, options: Record<string, string>, sub?: string, channelId = '200000000000000001'): Incoming => {
		const opts = Object.entries(options).map(([k, v]) => ({ name: k, type: 3, value: v }));
		return { type: 'command', name, options: sub ? [{ name: sub, type: 1, options: opts }] : opts, userId: USER, channelId };
	};
	const time = async (incoming: Incoming): Promise<number> => {
		const t = performance.now();
		const outcome = await dispatch(incoming, deps);
		const ms = performance.now() - t;
		if (outcome.kind === 'choices' || outcome.kind === 'modal' || outcome.data.flags !== undefined)
			throw new Error(
				`${JSON.stringify(incoming)}: not answered (${outcome.kind === 'choices' || outcome.kind === 'modal' ? outcome.kind : (outcome.data.content ?? '')})`,
			);
		return ms;
	};
	const films = store.films.map((r) => r.film.title);
	const critics = [...store.critics].filter((c) => c.person).map((c) => c.credit);
	// The deep pages: the last page of the biggest films, in each order of each kind (the films with most
	// reviews first; the warm-up uses films after the measured ones).
	const big = [...store.films]
		.filter((f) => f.userCount > 0 && f.criticCount > 0)
		.sort((a, b) => b.userCount + b.criticCount - (a.userCount + a.criticCount));
	const orders = [
		['user', 'helpful'],
		['user', 'newest'],
		['user', 'rating'],
		['critic', 'helpful'],
		['critic', 'newest'],
		['critic', 'rating'],
	] as const;
	const deep = (i: number): Incoming => {
		const film = big[Math.floor(i / orders.length) % big.length] ?? big[0];
		const [kind, sort] = orders[i % orders.length] ?? orders[0];
		if (film === undefined) throw new Error('no film with both kinds of reviews');
		const page = kind === 'user' ? film.userCount : film.criticCount;
		return {
			type: 'button',
			customId: encodeState('n', { filmId: film.film.id, kind, sort, page, owner: USER }),
			userId: USER,
			channelId: '200000000000000001',
		};
	};
	// Warm the JIT on items the measurement does not use, then measure on the next `count`.
	const pick = (list: readonly string[], from: number, i: number): string => list[(from + i) % list.length] ?? '';
	const cases: Record<string, (i: number, warmup: boolean) => Incoming> = {
		reviews: (i, w) => cmd('reviews', { film: pick(films, w ? 0 : 100, i) }),
		deep_page: (i, w) => deep(w ? count + i : i),
		critic: (i, w) => cmd('critic', { name: pick(critics, w ? 0 : 100, i) }),
		quote_random: (i, w) => cmd('quote', {}, 'random', `3${String(w ? i : 100_000 + i).padStart(17, '0')}`),
	};
	const out: Record<string, Sample> = {};
	for (const [name, make] of Object.entries(cases)) {
		for (let i = 0; i < Math.min(count, 100); i++) {
			await time(make(i, true));
			await time(make(i, true));
		}
		const sample: Sample = { miss: [], hit: [] };
		for (let i = 0; i < count; i++) {
			// The same command twice: first a cache miss, then a hit.
			const incoming = make(i, false);
			sample.miss.push(await time(incoming));
			sample.hit.push(await time(incoming));
		}
		out[name] = sample;
	}
	result(
		Object.fromEntries(
			Object.entries(out).map(([k, s]) => [
				k,
				{ missP50: pct(s.miss, 50), missP99: pct(s.miss, 99), hitP50: pct(s.hit, 50), hitP99: pct(s.hit, 99), n: s.miss.length },
			]),
		),
	);
	await cache.close();
	store.close();
}

/**
 * What the modes on a member database start with: dispatch, the compiled file `dbFile` opened as `npm start` opens
 * it, the member database `databaseUrl` (sqlite://FILE or postgres://...) once it is ready, and a memory cache.
 */
async function withMembers(mode: string, dbFile: string, databaseUrl: string) {
	const { openCache } = await import('../src/cache.js');
	const { databaseTarget } = await import('../src/config.js');
	const { ReviewStore } = await import('../src/domain/store.js');
	const { dispatch } = await import('../src/discord/dispatch.js');
	const { openMemberStore } = await import('../src/members/store.js');
	const logger = await silentLogger();
	const store = ReviewStore.open(dbFile);
	const memberStore = openMemberStore(databaseTarget('.', databaseUrl), { logger });
	if (!(await memberStore.ready()))
		throw new Error(`bench/child.ts ${mode}: the member database ${databaseUrl.split('@').pop() ?? ''} did not open`);
	const cache = await openCache({ kind: 'memory' }, { ttlMs: 3600_000, logger });
	return { dispatch, store, memberStore, logger, cache };
}

/**
 * The members' commands on the compiled file `dbFile` and the member database `databaseUrl` (sqlite://FILE or
 * postgres://..., empty: the bench made it for this run): `/rate` (a new score each time, spread over members and
 * films: a write and a read of the previous score), then the `/reviews` overview with the server block (the
 * members' mean and histogram, read from the database each time) of films 10 members rated, cold then warm cache.
 */
async function members(dbFile: string, databaseUrl: string, count: number): Promise<void> {
	const { openCache } = await import('../src/cache.js');
	type Incoming = import('../src/discord/dispatch.js').Incoming;
	const { dispatch, store, memberStore, logger, cache } = await withMembers('members', dbFile, databaseUrl);
	const deps = { store, cache, logger, members: memberStore };
	const GUILD = '300000000000000001';
	const WARMUP_GUILD = '300000000000000002';
	const user = (n: number): string => String(100_000_000_000_000_000n + BigInt(n));
	const films = store.films.slice(0, 100);
	const film = (i: number): string => films[i % films.length]?.film.title ?? '';
	const rate = (i: number, guildId: string): Incoming => ({
		type: 'command',
		name: 'rate',
		options: [
			{ name: 'film', type: 3, value: film(i) },
			{ name: 'score', type: 4, value: 1 + (i % 10) },
		],
		userId: user(i % 500),
		channelId: '200000000000000001',
		guildId,
	});
	const overview = (i: number, guildId: string): Incoming => ({
		type: 'command',
		name: 'reviews',
		options: [{ name: 'film', type: 3, value: film(i) }],
		userId: user(0),
		channelId: '200000000000000001',
		guildId,
	});
	/** The time dispatch took; throws unless the answer is the one measured (a rating's confirmation, an overview with its server block). */
	const time = async (incoming: Incoming, expect: 'rate' | 'server'): Promise<number> => {
		const t = performance.now();
		const outcome = await dispatch(incoming, deps);
		const ms = performance.now() - t;
		const data = outcome.kind === 'reply' ? outcome.data : undefined;
		const ok =
			expect === 'rate'
				? (data?.components?.length ?? 0) > 0
				: (data?.embeds?.[0]?.fields ?? []).some((f) => f.name === 'This server' && f.value.includes('/10'));
		if (!ok)
			throw new Error(`${JSON.stringify(incoming)}: not answered as measured (${JSON.stringify(data ?? outcome.kind).slice(0, 300)})`);
		return ms;
	};
	// 10 members rate each of the films the overview measures (and the warm-up's), so each has a server block.
	for (const guildId of [GUILD, WARMUP_GUILD])
		for (let f = 0; f < films.length; f++)
			for (let m = 0; m < 10; m++) {
				const rated = await memberStore.rate(guildId, user(1000 + m), films[f]?.film.id ?? '', 1 + ((f + m) % 10));
				if (!rated.ok) throw new Error(`seeding the member database: ${rated.reason}`);
			}
	const out: Record<string, number> = {};
	for (let i = 0; i < Math.min(count, 100); i++) await time(rate(i, WARMUP_GUILD), 'rate');
	const rates: number[] = [];
	for (let i = 0; i < count; i++) rates.push(await time(rate(i, GUILD), 'rate'));
	out['rateP50'] = pct(rates, 50);
	out['rateP99'] = pct(rates, 99);
	for (let i = 0; i < Math.min(count, films.length); i++) {
		await time(overview(i, WARMUP_GUILD), 'server');
		await time(overview(i, WARMUP_GUILD), 'server');
	}
	// A new cache: every film's overview is first a miss, then a hit.
	const sample: Sample = { miss: [], hit: [] };
	deps.cache = await openCache({ kind: 'memory' }, { ttlMs: 3600_000, logger });
	for (let i = 0; i < count; i++) {
		const incoming = overview(i, GUILD);
		if (i < films.length) sample.miss.push(await time(incoming, 'server'));
		sample.hit.push(await time(incoming, 'server'));
	}
	out['serverColdP50'] = pct(sample.miss, 50);
	out['serverColdP99'] = pct(sample.miss, 99);
	out['serverWarmP50'] = pct(sample.hit, 50);
	out['serverWarmP99'] = pct(sample.hit, 99);
	result(out);
	await cache.close();
	await deps.cache.close();
	await memberStore.close();
	store.close();
}

/**
 * `/compare film_a film_b` on the compiled file `dbFile`, as a user sends it (the films' ids, which the autocomplete
 * offers): `count` pairs of films, each asked twice in a row. /compare keeps nothing in Marquee's cache but its chart
 * (in the process's chart cache), so "cold" is a pair this process has not asked before (its two summaries and first
 * helpful reviews read from the file, its chart drawn) and "warm" the same pair at once again (the same rows, now in
 * SQLite's page cache; the chart drawn before). First outside a server (critics,
 * audience, quotes), then in one whose five members rated every film, in the member database `databaseUrl` (each
 * column's server side is read from it every time).
 */
async function compareBench(dbFile: string, databaseUrl: string, count: number): Promise<void> {
	type Incoming = import('../src/discord/dispatch.js').Incoming;
	const { dispatch, store, memberStore, logger, cache } = await withMembers('compare', dbFile, databaseUrl);
	const deps = { store, cache, logger, members: memberStore };
	const GUILD = '300000000000000001';
	const films = store.films.map((f) => f.film.id);
	const half = Math.floor(films.length / 2);
	const user = (n: number): string => String(100_000_000_000_000_000n + BigInt(n));
	for (const [f, filmId] of films.entries())
		for (let m = 0; m < 5; m++) {
			const rated = await memberStore.rate(GUILD, user(1000 + m), filmId, 1 + ((f + 3 * m) % 10));
			if (!rated.ok) throw new Error(`seeding the member database: ${rated.reason}`);
		}
	/** The i-th pair: a film and the one half the library further on. */
	const pair = (i: number, guildId: string | undefined): Incoming => ({
		type: 'command',
		name: 'compare',
		options: [
			{ name: 'film_a', type: 3, value: films[i % films.length] ?? '' },
			{ name: 'film_b', type: 3, value: films[(i + half) % films.length] ?? '' },
		],
		userId: user(0),
		channelId: '200000000000000001',
		...(guildId === undefined ? {} : { guildId }),
	});
	/** The time dispatch took; throws unless the answer is the comparison (in a server: with the server's side read). */
	const time = async (incoming: Incoming, server: boolean): Promise<number> => {
		const t = performance.now();
		const outcome = await dispatch(incoming, deps);
		const ms = performance.now() - t;
		const fields = outcome.kind === 'reply' && outcome.data.flags === undefined ? (outcome.data.embeds?.[0]?.fields ?? []) : [];
		const columns = fields.slice(0, 2).filter((f) => f.inline === true && f.value.includes('**This server**') === server);
		if (columns.length !== 2)
			throw new Error(`${JSON.stringify(incoming)}: not answered as measured (${JSON.stringify(outcome).slice(0, 300)})`);
		return ms;
	};
	const out: Record<string, number> = { n: count };
	for (const [name, guildId] of [
		['', undefined],
		['server', GUILD],
	] as const) {
		const server = guildId !== undefined;
		// Warm the JIT on pairs the measurement does not use (past the measured ones), then measure.
		for (let i = 0; i < Math.min(count, 100); i++) await time(pair(count + i, guildId), server);
		const sample: Sample = { miss: [], hit: [] };
		for (let i = 0; i < count; i++) {
			const incoming = pair(i, guildId);
			sample.miss.push(await time(incoming, server));
			sample.hit.push(await time(incoming, server));
		}
		const key = (k: string): string => (name === '' ? k : `${name}${k.charAt(0).toUpperCase()}${k.slice(1)}`);
		out[key('coldP50')] = pct(sample.miss, 50);
		out[key('coldP99')] = pct(sample.miss, 99);
		out[key('warmP50')] = pct(sample.hit, 50);
		out[key('warmP99')] = pct(sample.hit, 99);
	}
	result(out);
	await cache.close();
	await memberStore.close();
	store.close();
}

/** Autocomplete on a store of `films` titles (records without reviews), 1-4 typed characters. */
async function autocomplete(films: number, count: number): Promise<void> {
	const { generateCorpus } = await import('./corpus.js');
	const { openCache } = await import('../src/cache.js');
	const { ReviewStore } = await import('../src/domain/store.js');
	const { dispatch } = await import('../src/discord/dispatch.js');
	const logger = await silentLogger();
	const corpus = generateCorpus({ films, reviews: films, seed: 11 });
	const store = ReviewStore.fromData({
		version: 'bench-titles',
		films: corpus.manifest.films.map((film) => ({ film, consensus: null, criticReviews: [], userPage: null, userReviews: [] })),
		errors: [],
	});
	const cache = await openCache({ kind: 'memory' }, { ttlMs: 3600_000, logger });
	const deps = { store, cache, logger };
	// What someone types: the start of a word of a real title (the first word most often).
	const random = lcg(3);
	const typed = (n: number): string => {
		const title = corpus.manifest.films[Math.floor(random() * films)]?.title ?? 'a';
		const words = title.split(' ');
		const word = random() < 0.6 ? (words[0] ?? title) : (words[Math.floor(random() * words.length)] ?? title);
		return word.slice(0, n);
	};
	const out: Record<string, { p50: number; p99: number; n: number; meanChoices: number }> = {};
	for (let n = 1; n <= 4; n++) {
		const times: number[] = [];
		let choices = 0;
		for (let i = 0; i < count + 200; i++) {
			const value = typed(n);
			const t = performance.now();
			const outcome = await dispatch(
				{
					type: 'autocomplete',
					name: 'reviews',
					options: [{ name: 'film', type: 3, value }],
					focused: { name: 'film', value },
					userId: '1',
					channelId: '2',
				},
				deps,
			);
			const ms = performance.now() - t;
			if (i >= 200) {
				times.push(ms);
				choices += outcome.kind === 'choices' ? outcome.choices.length : 0;
			}
		}
		out[String(n)] = { p50: pct(times, 50), p99: pct(times, 99), n: times.length, meanChoices: choices / times.length };
	}
	result(out);
}

/**
 * A chart drawn `count` times cold (each a new data version: SVG, resvg with the Inter font, PNG), then read
 * `count` times warm (the cached chart of a recent version). `kind` `ratings`: the /reviews rating chart with
 * both panels (audience and server); `compare`: the /compare chart with the server's row and both histograms.
 */
async function charts(count: number, kind: string): Promise<void> {
	const { cachedChart } = await import('../src/charts/chart.js');
	const { ratingChart } = await import('../src/charts/histogram.js');
	const { compareChart } = await import('../src/charts/compare.js');
	const random = lcg(5);
	const counts = (max: number): number[] => Array.from({ length: 10 }, () => Math.floor(random() * max));
	const film = (name: string) => ({
		name,
		critics: random() * 100,
		audience: 1 + random() * 9,
		server: 1 + random() * 9,
		ratings: counts(500),
	});
	const draw =
		kind === 'compare'
			? () => {
					const [a, b] = [film('Bench Film (2001)'), film('Bench Film II (2004)')];
					return () => compareChart('en', a, b);
				}
			: () => {
					const series = [
						{ who: 'audience' as const, counts: counts(500), mean: 1 + random() * 9 },
						{ who: 'server' as const, counts: counts(20), mean: 1 + random() * 9 },
					];
					return () => ratingChart('en', 'Bench Film (2001)', series);
				};
	const cold: number[] = [];
	let largest = 0;
	for (let i = 0; i < count; i++) {
		const drawn = draw();
		const t = performance.now();
		const chart = cachedChart(`bench:${kind}:${i}`, drawn);
		cold.push(performance.now() - t);
		largest = Math.max(largest, chart.png.byteLength);
	}
	const warm: number[] = [];
	for (let i = 0; i < count; i++) {
		const t = performance.now();
		// The last 100 versions drawn are still cached (the cache keeps 128).
		cachedChart(`bench:${kind}:${count - 1 - (i % 100)}`, () => {
			throw new Error('a warm read drew the chart');
		});
		warm.push(performance.now() - t);
	}
	result({ firstMs: cold[0] ?? NaN, coldP50: pct(cold, 50), coldP99: pct(cold, 99), warmP99: pct(warm, 99), largestKb: largest / 1024 });
}

/** A bot logged in to the fake Discord at API_BASE with TOKEN; prints READY, runs until stdin closes. */
async function bot(kind: BotKind, apiBase: string, token: string, dir: string, cacheFile: string, dbFile: string): Promise<void> {
	const { Client, GatewayIntentBits, Events } = await import('discord.js');
	const logger = await silentLogger();
	let client: import('discord.js').Client;
	let close: () => Promise<void> = async () => {};
	if (kind === 'marquee') {
		const { openCache } = await import('../src/cache.js');
		const { loadStore } = await import('../src/app.js');
		const { attachDispatcher, createClient } = await import('../src/discord/gateway.js');
		const cache = await openCache({ kind: 'sqlite', file: cacheFile }, { ttlMs: 3600_000, logger });
		const loaded = await loadStore(dir, logger, {}, dbFile);
		if (!loaded.ok) throw new Error(loaded.message);
		const { store } = loaded;
		client = createClient({ DISCORD_API_BASE: apiBase, SHARD_COUNT: undefined });
		attachDispatcher(client, { store, cache, logger }, new Set());
		close = async () => cache.close();
	} else if (kind === 'same-reply') {
		// Marquee's reply to /reviews for the first film, computed once and sent for every command: what
		// the bot costs without the handler (discord.js and the fake handle exactly the same payload).
		const { openCache } = await import('../src/cache.js');
		const { loadStore } = await import('../src/app.js');
		const { dispatch } = await import('../src/discord/dispatch.js');
		const cache = await openCache({ kind: 'sqlite', file: cacheFile }, { ttlMs: 3600_000, logger });
		const loaded = await loadStore(dir, logger, {}, dbFile);
		if (!loaded.ok) throw new Error(loaded.message);
		const { store } = loaded;
		// One reply per film the bench asks for (its first 50), so the payloads are Marquee's, size included.
		const toReply = (data: import('../src/reply/respond.js').FinalReply) => ({
			content: data.content ?? '',
			embeds: data.embeds ?? [],
			components: data.components ?? [],
			allowedMentions: { parse: [] },
		});
		const replies = new Map<string, ReturnType<typeof toReply>>();
		for (const record of store.films.slice(0, 50)) {
			const title = record.film.title;
			const outcome = await dispatch(
				{ type: 'command', name: 'reviews', options: [{ name: 'film', type: 3, value: title }], userId: '1', channelId: '2' },
				{ store, cache, logger },
			);
			if (outcome.kind !== 'reply') throw new Error('expected a reply');
			if (!replies.has(title)) replies.set(title, toReply(outcome.data));
		}
		await cache.close();
		client = new Client({ intents: [GatewayIntentBits.Guilds], allowedMentions: { parse: [] }, rest: { api: apiBase } });
		client.on(Events.InteractionCreate, (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			const reply = replies.get(interaction.options.getString('film') ?? '');
			if (reply) void interaction.reply(reply).catch(() => {});
		});
	} else {
		// The least a discord.js bot can do: the same client options, one fixed embed for every command.
		client = new Client({ intents: [GatewayIntentBits.Guilds], allowedMentions: { parse: [] }, rest: { api: apiBase } });
		const embed = {
			title: 'Pusher II (2004)',
			description: 'A fixed reply.',
			color: 0x2ecc71,
			fields: [{ name: 'Critics', value: '11 critics' }],
		};
		client.on(Events.InteractionCreate, (interaction) => {
			if (interaction.isRepliable()) void interaction.reply({ embeds: [embed], allowedMentions: { parse: [] } }).catch(() => {});
		});
	}
	await client.login(token);
	if (!client.isReady()) await new Promise((resolve) => client.once(Events.ClientReady, resolve));
	process.stdout.write('READY\n');
	process.stdin.resume();
	await new Promise((resolve) => process.stdin.once('end', resolve));
	await client.destroy();
	await close();
}

switch (mode) {
	case 'build':
		await build(arg(0), arg(1));
		break;
	case 'build-phases':
		await buildPhases(arg(0), arg(1));
		break;
	case 'open':
		await open(arg(0), arg(1));
		break;
	case 'handlers':
		await handlers(arg(0), arg(1), Number(arg(2)));
		break;
	case 'autocomplete':
		await autocomplete(Number(arg(0)), Number(arg(1)));
		break;
	case 'members':
		await members(arg(0), arg(1), Number(arg(2)));
		break;
	case 'charts':
		await charts(Number(arg(0)), arg(1));
		break;
	case 'compare':
		await compareBench(arg(0), arg(1), Number(arg(2)));
		break;
	case 'bot':
		await bot(
			arg(0) === 'minimal' ? 'minimal' : arg(0) === 'same-reply' ? 'same-reply' : 'marquee',
			arg(1),
			arg(2),
			arg(3),
			arg(4),
			arg(5),
		);
		break;
	default:
		throw new Error(`bench/child.ts: unknown mode "${mode}"`);
}
