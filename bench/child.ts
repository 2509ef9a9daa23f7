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

/** read + parse + index from the files, timed in phases; peak RSS of the whole process. */
async function parse(dir: string): Promise<void> {
	const { readDataFiles, parseDataFiles } = await import('../src/domain/load.js');
	const { ReviewStore } = await import('../src/domain/store.js');
	const t0 = performance.now();
	const files = await readDataFiles(dir);
	const t1 = performance.now();
	const data = parseDataFiles(files);
	const t2 = performance.now();
	const store = ReviewStore.fromData(data);
	const t3 = performance.now();
	let bytes = files.manifest?.length ?? 0;
	for (const page of files.pages.values()) if (page instanceof Uint8Array) bytes += page.length;
	const reviews = data.films.reduce((n, f) => n + f.criticReviews.length + f.userReviews.length, 0);
	result({
		readMs: t1 - t0,
		parseMs: t2 - t1,
		indexMs: t3 - t2,
		totalMs: t3 - t0,
		bytes,
		reviews,
		errors: data.errors.length,
		films: store.films.length,
		peakRssMb: process.resourceUsage().maxRSS / 1024,
	});
}

/** The review store as `npm start` gets it (src/app.ts's loadStore): built when missing or stale (`prime`), then opened; time since process start. */
async function warm(dir: string, dbFile: string): Promise<void> {
	const importStart = performance.now();
	const { buildReviewsDb, isFresh } = await import('../src/domain/build.js');
	const { filesFingerprint } = await import('../src/domain/load.js');
	const { ReviewStore } = await import('../src/domain/store.js');
	const imported = performance.now();
	const fresh = isFresh(dbFile, await filesFingerprint(dir));
	if (!fresh) await buildReviewsDb(dir, dbFile);
	const store = ReviewStore.open(dbFile);
	const ready = performance.now();
	result({
		source: fresh ? 'opened' : 'built',
		// performance.now() counts from the process's time origin (its start), before Node's own boot.
		sinceStartMs: ready,
		bootMs: importStart,
		importMs: imported - importStart,
		cacheOpenMs: 0,
		loadStoreMs: ready - imported,
		peakRssMb: process.resourceUsage().maxRSS / 1024,
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

/** Handler latency through dispatch with a fresh cache (`memory` or a new sqlite file): first call (miss) then the same again (hit). */
async function handlers(dir: string, cacheUrl: string, count: number): Promise<void> {
	const { openCache } = await import('../src/cache.js');
	const { loadDataDir } = await import('../src/domain/load.js');
	const { ReviewStore } = await import('../src/domain/store.js');
	const { dispatch } = await import('../src/discord/dispatch.js');
	type Incoming = import('../src/discord/dispatch.js').Incoming;
	const logger = await silentLogger();
	const store = ReviewStore.fromData(await loadDataDir(dir));
	const cache = await openCache(cacheUrl, { ttlMs: 3600_000, logger, timeoutMs: 5000 });
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
		if (outcome.kind === 'reply' && outcome.data.flags !== undefined && outcome.data.content?.startsWith('Something went wrong')) throw new Error('handler failed');
		return ms;
	};
	const films = store.films.map((r) => r.film.title);
	const critics = [...store.critics].filter((c) => c.person).map((c) => c.credit);
	// Warm the JIT on items the measurement does not use, then measure on the next `count`.
	const pick = (list: readonly string[], from: number, i: number): string => list[(from + i) % list.length] ?? '';
	const cases: Record<string, (i: number, warmup: boolean) => Incoming> = {
		'/reviews film': (i, w) => cmd('reviews', { film: pick(films, w ? 0 : 100, i) }),
		'/critic name': (i, w) => cmd('critic', { name: pick(critics, w ? 0 : 100, i) }),
		'/quote random': (i, w) => cmd('quote', {}, 'random', `3${String(w ? i : 100_000 + i).padStart(17, '0')}`),
		'/quote random film': (i, w) => cmd('quote', { film: pick(films, w ? 50 : 100 + count, i) }, 'random', '200000000000000009'),
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
	result(Object.fromEntries(Object.entries(out).map(([k, s]) => [k, { missP50: pct(s.miss, 50), missP99: pct(s.miss, 99), hitP50: pct(s.hit, 50), hitP99: pct(s.hit, 99), n: s.miss.length }])));
	await cache.close();
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
	const cache = await openCache('memory', { ttlMs: 3600_000, logger });
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
				{ type: 'autocomplete', name: 'reviews', options: [{ name: 'film', type: 3, value }], focused: { name: 'film', value }, userId: '1', channelId: '2' },
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

/** A bot logged in to the fake Discord at API_BASE with TOKEN; prints READY, runs until stdin closes. */
async function bot(kind: BotKind, apiBase: string, token: string, dir: string, cacheFile: string): Promise<void> {
	const { Client, GatewayIntentBits, Events } = await import('discord.js');
	const logger = await silentLogger();
	let client: import('discord.js').Client;
	let close: () => Promise<void> = async () => {};
	if (kind === 'marquee') {
		const { openCache } = await import('../src/cache.js');
		const { loadStore } = await import('../src/app.js');
		const { attachDispatcher, createClient } = await import('../src/discord/gateway.js');
		const cache = await openCache(`sqlite://${cacheFile}`, { ttlMs: 3600_000, logger });
		const loaded = await loadStore(dir, logger, {}, `${cacheFile}.reviews.db`);
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
		const cache = await openCache(`sqlite://${cacheFile}`, { ttlMs: 3600_000, logger });
		const loaded = await loadStore(dir, logger, {}, `${cacheFile}.reviews.db`);
		if (!loaded.ok) throw new Error(loaded.message);
		const { store } = loaded;
		// One reply per film the bench asks for (its first 50), so the payloads are Marquee's, size included.
		const toReply = (data: import('../src/discord/respond.js').FinalReply) => ({ content: data.content ?? '', embeds: data.embeds ?? [], components: data.components ?? [], allowedMentions: { parse: [] } });
		const replies = new Map<string, ReturnType<typeof toReply>>();
		for (const record of store.films.slice(0, 50)) {
			const title = record.film.title;
			const outcome = await dispatch({ type: 'command', name: 'reviews', options: [{ name: 'film', type: 3, value: title }], userId: '1', channelId: '2' }, { store, cache, logger });
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
		const embed = { title: 'Pusher II (2004)', description: 'A fixed reply.', color: 0x2ecc71, fields: [{ name: 'Critics', value: '11 critics' }] };
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
	case 'parse':
		await parse(arg(0));
		break;
	case 'prime':
	case 'warm':
		await warm(arg(0), arg(1));
		break;
	case 'handlers':
		await handlers(arg(0), arg(1), Number(arg(2)));
		break;
	case 'autocomplete':
		await autocomplete(Number(arg(0)), Number(arg(1)));
		break;
	case 'bot':
		await bot(arg(0) === 'minimal' ? 'minimal' : arg(0) === 'same-reply' ? 'same-reply' : 'marquee', arg(1), arg(2), arg(3), arg(4));
		break;
	default:
		throw new Error(`bench/child.ts: unknown mode "${mode}"`);
}
