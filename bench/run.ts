// `npm run bench [-- --quick] [-- --json] [-- --out FILE]`: Marquee's performance figures on two sizes of
// a synthetic library.
//
// The bot's own start is measured as `npm start` runs it: `node dist/src/main.js` in HTTP mode, timed from
// the spawn to its first answered, signed request. Every other measurement runs in a fresh child process
// (bench/child.ts, built into dist/ first and run by plain node), so heaps and RSS are clean; each figure
// is the median over repeated runs, with the spread (min–max) beside it.
// The members' commands (/rate, the /reviews server block) run on the smaller size against a SQLite member
// database and a PostgreSQL one (a database of its own on 127.0.0.1:5432, trust auth, dropped after; left out
// with a note when no server answers).
// `/compare` runs on the 50k library (the smaller size, or the larger of --quick), outside a server and in one
// whose members' ratings are in SQLite.
// The corpora (1,000 films / 50,000 reviews and 10,000 films / 500,000 reviews, seed 1; --quick: 300 /
// 12,000 and 1,000 / 50,000) are generated into bench/.corpus/ (git-ignored) once and reused.
// --json prints one JSON object on stdout (names in the README's Performance section) and nothing else.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem, userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { encodeState } from '../commands/reviews.js';
import { ReviewStore } from '../src/domain/store.js';
import { interactionBody, signatureHeaders } from '../test/signed.js';
import { generateCorpus, writeCorpus } from './corpus.js';

const ROOT = new URL('../', import.meta.url).pathname;

const { values } = parseArgs({
	options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, out: { type: 'string' } },
	strict: true,
});
const quick = values.quick === true;

interface Size {
	readonly films: number;
	readonly reviews: number;
	/** Full builds (each into a new file); the incremental builds are two (one page changed, then changed back). */
	readonly buildRuns: number;
}
const SIZES: readonly [Size, Size] = quick
	? [
			{ films: 300, reviews: 12_000, buildRuns: 1 },
			{ films: 1000, reviews: 50_000, buildRuns: 1 },
		]
	: [
			{ films: 1000, reviews: 50_000, buildRuns: 3 },
			{ films: 10_000, reviews: 500_000, buildRuns: 1 },
		];
const P = quick
	? {
			starts: 3,
			mixed: 1000,
			handlerRuns: 1,
			handlerCount: 100,
			acFilms: 10_000,
			acCount: 200,
			acRuns: 1,
			chartCount: 100,
			e2e: true,
			e2eRounds: 1,
			e2eSeq: 30,
			e2eLoad: 150,
			concurrency: 16,
		}
	: {
			starts: 5,
			mixed: 1000,
			handlerRuns: 3,
			handlerCount: 600,
			acFilms: 10_000,
			acCount: 2000,
			acRuns: 3,
			chartCount: 500,
			e2e: true,
			e2eRounds: 3,
			e2eSeq: 100,
			e2eLoad: 1000,
			concurrency: 16,
		};
const SEED = 1;

const TARGET = {
	startMs: 300,
	startRatio: 1.2,
	rssMb: 120,
	coldP99Ms: 2,
	warmP99Ms: 0.5,
	autocompleteP99Ms: 1,
	buildMbS: 40,
	chartP99Ms: 20,
};

// ---------------------------------------------------------------------------------------------------
// Statistics

function median(xs: readonly number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
}

function fmt(x: number, digits?: number): string {
	const d = digits ?? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : Math.abs(x) >= 1 ? 2 : 3);
	return x.toFixed(d);
}

/** "median (min–max)" */
function spread(xs: readonly number[], digits?: number): string {
	if (xs.length === 1) return fmt(xs[0] ?? NaN, digits);
	return `${fmt(median(xs), digits)} (${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)})`;
}

function round(x: number): number {
	return Number(x.toPrecision(4));
}

// ---------------------------------------------------------------------------------------------------
// Children

function child(args: string[], opts: { keepOpen?: boolean } = {}): { proc: ChildProcess; lines: AsyncIterableIterator<string> } {
	const proc = spawn(process.execPath, [join(ROOT, 'dist/bench/child.js'), ...args], {
		cwd: ROOT,
		stdio: [opts.keepOpen ? 'pipe' : 'ignore', 'pipe', 'inherit'],
		env: { ...process.env, NODE_ENV: 'production' },
	});
	if (!proc.stdout) throw new Error('no stdout');
	const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
	return { proc, lines };
}

async function runChild<T>(args: string[]): Promise<T> {
	const { proc, lines } = child(args);
	const exited = new Promise<number>((resolve) => proc.once('exit', (code) => resolve(code ?? 1)));
	let value: T | undefined;
	for await (const line of lines) if (line.startsWith('RESULT ')) value = JSON.parse(line.slice(7)) as T;
	const code = await exited;
	if (code !== 0 || value === undefined) throw new Error(`bench child ${args.join(' ')} failed (exit ${code})`);
	return value;
}

function progress(text: string): void {
	process.stderr.write(`  ${text}\n`);
}

// ---------------------------------------------------------------------------------------------------
// Corpus

async function corpusDir(size: Size): Promise<{ dir: string; bytes: number }> {
	const dir = join(ROOT, 'bench/.corpus', `corpus-${size.films}-${size.reviews}-${SEED}`);
	const stamp = join(dir, '.complete');
	if (existsSync(stamp)) return { dir, bytes: Number((await readFile(stamp, 'utf8')).trim()) };
	const t = performance.now();
	await rm(dir, { recursive: true, force: true });
	const { bytes } = await writeCorpus(dir, generateCorpus({ films: size.films, reviews: size.reviews, seed: SEED }));
	await writeFile(stamp, `${bytes}\n`);
	progress(
		`generated ${size.films} films / ${size.reviews} reviews (${(bytes / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s -> ${dir}`,
	);
	return { dir, bytes };
}

// ---------------------------------------------------------------------------------------------------
// The bot as `npm start` runs it, in HTTP mode

const keys = generateKeyPairSync('ed25519');
const PUBLIC_KEY = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const USER = '100000000000000001';

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	if (address === null || typeof address === 'string') throw new Error('no port');
	return address.port;
}

/** A callback's JSON: the body itself, or a multipart answer's `payload_json` (a reply that carries a chart). */
async function callbackJson(body: Buffer, type: string | undefined): Promise<{ type?: number }> {
	if (type?.startsWith('multipart/form-data')) {
		const payload = (await new Response(body, { headers: { 'content-type': type } }).formData()).get('payload_json');
		if (typeof payload !== 'string') throw new Error('a multipart answer without payload_json');
		return JSON.parse(payload) as { type?: number };
	}
	return JSON.parse(body.toString('utf8')) as { type?: number };
}

/** One signed interaction to the bot's endpoint; its status and callback JSON (rejects when nothing listens). */
function post(port: number, body: unknown): Promise<{ status: number; json: { type?: number } }> {
	const text = JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port,
				path: '/interactions',
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(text),
					...signatureHeaders(text, keys.privateKey),
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					callbackJson(Buffer.concat(chunks), res.headers['content-type']).then(
						(json) => resolve({ status: res.statusCode ?? 0, json }),
						(error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
					);
				});
			},
		);
		req.on('error', reject);
		req.end(text);
	});
}

const interaction = (type: number, data: object, channel = '200000000000000001') => interactionBody(type, data, { user: USER, channel });
const slash = (name: string, options: Record<string, string>, channel?: string) =>
	interaction(2, { name, options: Object.entries(options).map(([k, v]) => ({ name: k, type: 3, value: v })) }, channel);

interface Bot {
	readonly pid: number;
	readonly port: number;
	/** From the spawn to the first answered /reviews. */
	readonly readyMs: number;
	stop(): Promise<void>;
}

/** `node dist/src/main.js` in HTTP mode on the compiled file `db` (fresh: not rebuilt), with a new SQLite cache; resolves once it answers a /reviews. */
async function startBot(dir: string, db: string, tmp: string, n: number, film: string): Promise<Bot> {
	const port = await freePort();
	const { DISCORD_TOKEN: _token, ...env } = process.env;
	const started = performance.now();
	// cwd is the temporary directory: no .env of the checkout is read.
	const proc = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
		cwd: tmp,
		stdio: ['ignore', 'ignore', 'pipe'],
		env: {
			...env,
			NODE_ENV: 'production',
			LOG_LEVEL: 'warn',
			DATA_DIR: dir,
			REVIEWS_DB: db,
			HTTP_PORT: String(port),
			DISCORD_PUBLIC_KEY: PUBLIC_KEY,
			CACHE_URL: `sqlite://${join(tmp, `bot-cache-${n}.sqlite`)}`,
		},
	});
	let stderr = '';
	proc.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
	let exited = false;
	const exit = new Promise<void>((resolve) => proc.once('exit', () => ((exited = true), resolve())));
	for (;;) {
		if (exited) throw new Error(`the bot exited before answering: ${stderr}`);
		const answered = await post(port, slash('reviews', { film })).catch(() => undefined);
		if (answered !== undefined) {
			if (answered.status !== 200 || answered.json.type !== 4)
				throw new Error(`the bot answered ${answered.status}: ${JSON.stringify(answered.json)}`);
			break;
		}
		await sleep(2);
	}
	const readyMs = performance.now() - started;
	if (proc.pid === undefined) throw new Error('no pid');
	return {
		pid: proc.pid,
		port,
		readyMs,
		async stop() {
			proc.kill('SIGTERM');
			const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
			await exit;
			clearTimeout(timer);
		},
	};
}

/**
 * A process's RSS, in MB, and its parts: anonymous (heaps, SQLite's page caches) and file-backed (the
 * node binary's and native modules' code, shared between processes); PSS divides shared pages among the
 * processes sharing them.
 */
async function memory(pid: number): Promise<{ rss: number; anon: number; file: number; pss: number }> {
	const kb = (text: string, field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) / 1024;
	const status = await readFile(`/proc/${pid}/status`, 'utf8');
	return {
		rss: kb(status, 'VmRSS'),
		anon: kb(status, 'RssAnon'),
		file: kb(status, 'RssFile'),
		pss: kb(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss'),
	};
}

interface Library {
	readonly films: readonly { id: string; title: string; userCount: number }[];
	readonly critics: readonly string[];
}

/** 1,000 mixed interactions, one at a time: /reviews, a review page, /critic, /quote random, autocomplete. */
async function mixed(port: number, lib: Library, count: number): Promise<void> {
	const paged = lib.films.filter((f) => f.userCount > 0);
	for (let i = 0; i < count; i++) {
		const film = lib.films[(i * 7) % lib.films.length];
		let body: object;
		switch (i % 5) {
			case 0:
				body = slash('reviews', { film: film?.title ?? '' });
				break;
			case 1: {
				const f = paged[(i * 13) % paged.length];
				body = interaction(3, {
					component_type: 2,
					custom_id: encodeState('n', {
						filmId: f?.id ?? '',
						kind: 'user',
						sort: 'helpful',
						page: 1 + ((i * 31) % (f?.userCount ?? 1)),
						owner: USER,
					}),
				});
				break;
			}
			case 2:
				body = slash('critic', { name: lib.critics[(i * 11) % lib.critics.length] ?? '' });
				break;
			case 3:
				body = interaction(2, { name: 'quote', options: [{ name: 'random', type: 1, options: [] }] }, `3${String(i).padStart(17, '0')}`);
				break;
			default: {
				const value = (film?.title ?? 'a').slice(0, 1 + (i % 4));
				body = interaction(4, { name: 'reviews', options: [{ name: 'film', type: 3, value, focused: true }] });
			}
		}
		const answer = await post(port, body);
		if (answer.status !== 200 || ![4, 7, 8].includes(answer.json.type ?? 0))
			throw new Error(`mixed interaction ${i}: ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
	}
}

// ---------------------------------------------------------------------------------------------------
// One size

interface BuildResult {
	ms: number;
	parsed: number;
	reused: number;
	films: number;
	reviews: number;
	errors: number;
	peakRssMb: number;
}

interface OpenResult {
	sinceStartMs: number;
	bootMs: number;
	importMs: number;
	discordJsMs: number;
	rssImportsMb: number;
	fingerprintMs: number;
	freshMs: number;
	openMs: number;
	rssMb: number;
	heapMb: number;
}

type HandlerResult = Record<string, { missP50: number; missP99: number; hitP50: number; hitP99: number; n: number }>;
/** One run of the chart child (bench/child.ts `charts`). */
interface ChartResult {
	readonly firstMs: number;
	readonly coldP50: number;
	readonly coldP99: number;
	readonly warmP99: number;
	readonly largestKb: number;
}

type AutocompleteResult = Record<string, { p50: number; p99: number; n: number; meanChoices: number }>;

const HANDLERS = ['reviews', 'deep_page', 'critic', 'quote_random'] as const;

/** The figures of one size, under the names --json prints; `runs` keeps every run for the table's spreads. */
interface SizeFigures {
	figures: Record<string, number>;
	runs: Record<string, number[]>;
	notes: string[];
}

async function benchSize(size: Size, tmp: string): Promise<SizeFigures> {
	const label = `${size.reviews / 1000}k`;
	const { dir, bytes } = await corpusDir(size);
	const mb = bytes / 1e6;
	const db = join(tmp, `reviews-${size.reviews}.db`);
	const runs: Record<string, number[]> = {};
	const add = (name: string, value: number): void => void (runs[name] ??= []).push(value);
	const notes: string[] = [];

	progress(`${label}: full build × ${size.buildRuns} (${fmt(mb, 1)} MB)`);
	let full: BuildResult | undefined;
	for (let i = 0; i < size.buildRuns; i++) {
		await rm(db, { force: true });
		full = await runChild<BuildResult>(['build', dir, db]);
		add('build_full_ms', full.ms);
		add('build_full_mb_s', mb / (full.ms / 1000));
		add('build_peak_rss_mb', full.peakRssMb);
	}
	if (full === undefined) throw new Error('no build');
	if (full.errors > 0) notes.push(`${label}: the build found ${full.errors} data errors`);

	if (size === SIZES[0]) {
		progress(`${label}: a full build's steps, one by one`);
		const phases = await runChild<Record<'readMs' | 'parseMs' | 'writeMs' | 'analyzeMs', number>>([
			'build-phases',
			dir,
			join(tmp, 'phases.db'),
		]);
		add('build_read_ms', phases.readMs);
		add('build_parse_ms', phases.parseMs);
		add('build_write_ms', phases.writeMs);
		add('build_analyze_ms', phases.analyzeMs);
		await rm(join(tmp, 'phases.db'), { force: true });
	}

	// One page changed (a line added at its end), built; then changed back and built again.
	const pages = (await readdir(dir)).filter((f) => f.endsWith('.txt')).sort();
	const page = join(dir, pages[Math.floor(pages.length / 2)] ?? '');
	const original = await readFile(page);
	progress(`${label}: incremental build × 2 (${page.slice(dir.length + 1)} changed)`);
	let changed: BuildResult;
	try {
		await writeFile(page, Buffer.concat([original, Buffer.from('\n')]));
		changed = await runChild<BuildResult>(['build', dir, db]);
	} finally {
		await writeFile(page, original);
	}
	const back = await runChild<BuildResult>(['build', dir, db]);
	for (const r of [changed, back]) {
		if (r.parsed !== 1) notes.push(`${label}: an incremental build parsed ${r.parsed} pages, not 1`);
		add('build_incremental_ms', r.ms);
		add('build_incremental_mb_s', mb / (r.ms / 1000));
	}

	progress(`${label}: start phases × ${P.starts}`);
	const phases: OpenResult[] = [];
	for (let i = 0; i < P.starts; i++) phases.push(await runChild<OpenResult>(['open', dir, db]));
	for (const [name, key] of [
		['start_node_ms', 'bootMs'],
		['start_imports_ms', 'importMs'],
		['start_imports_discordjs_ms', 'discordJsMs'],
		['start_rss_after_imports_mb', 'rssImportsMb'],
		['start_rss_after_open_mb', 'rssMb'],
		['start_fingerprint_ms', 'fingerprintMs'],
		['start_fresh_check_ms', 'freshMs'],
		['start_open_ms', 'openMs'],
		['start_store_heap_mb', 'heapMb'],
	] as const) {
		for (const p of phases) add(name, p[key]);
	}

	const store = ReviewStore.open(db);
	const lib: Library = {
		films: store.films.map((f) => ({ id: f.film.id, title: f.film.title, userCount: f.userCount })),
		critics: [...store.critics].filter((c) => c.person).map((c) => c.credit),
	};
	store.close();
	const probe = lib.films[0]?.title ?? '';

	progress(`${label}: npm start (HTTP mode) → first answer, 1 + ${P.starts} starts; ${P.mixed} mixed interactions on the last`);
	for (let i = 0; i <= P.starts; i++) {
		const bot = await startBot(dir, db, tmp, i, probe);
		try {
			if (i === 0) add('start_ready_first_ms', bot.readyMs);
			else {
				add('start_ready_ms', bot.readyMs);
				add('rss_start_mb', (await memory(bot.pid)).rss);
			}
			if (i === P.starts) {
				await mixed(bot.port, lib, P.mixed);
				const m = await memory(bot.pid);
				add('rss_after_mixed_mb', m.rss);
				add('rss_after_mixed_anon_mb', m.anon);
				add('rss_after_mixed_file_mb', m.file);
			}
		} finally {
			await bot.stop();
		}
	}

	progress(`${label}: two processes on the same file, ${P.mixed} mixed interactions each`);
	const a = await startBot(dir, db, tmp, 100, probe);
	try {
		const b = await startBot(dir, db, tmp, 101, probe);
		try {
			await mixed(a.port, lib, P.mixed);
			await mixed(b.port, lib, P.mixed);
			const [ma, mb2] = [await memory(a.pid), await memory(b.pid)];
			add('two_processes_rss_mb', ma.rss + mb2.rss);
			add('two_processes_pss_mb', ma.pss + mb2.pss);
		} finally {
			await b.stop();
		}
	} finally {
		await a.stop();
	}

	progress(
		`${label}: handlers (sqlite cache): ${P.handlerRuns} runs, and 1 with the cache in memory, × ${P.handlerCount} items per command`,
	);
	for (let i = 0; i < P.handlerRuns; i++) {
		const r = await runChild<HandlerResult>([
			'handlers',
			db,
			`sqlite://${join(tmp, `handlers-${size.reviews}-${i}.sqlite`)}`,
			String(P.handlerCount),
		]);
		for (const name of HANDLERS) {
			const h = r[name];
			if (!h) throw new Error(`no handler figures for ${name}`);
			add(`${name}_cold_p50_ms`, h.missP50);
			add(`${name}_cold_p99_ms`, h.missP99);
			add(`${name}_warm_p50_ms`, h.hitP50);
			add(`${name}_warm_p99_ms`, h.hitP99);
		}
	}
	// For comparison: the same with the cache in memory (no SQLite cache file written or read).
	const inMemory = await runChild<HandlerResult>(['handlers', db, 'memory', String(P.handlerCount)]);
	for (const name of HANDLERS) {
		add(`${name}_cold_p50_memory_cache_ms`, inMemory[name]?.missP50 ?? NaN);
		add(`${name}_cold_p99_memory_cache_ms`, inMemory[name]?.missP99 ?? NaN);
	}

	const figures: Record<string, number> = {
		films: full.films,
		reviews: full.reviews,
		pages_mb: round(mb),
		db_mb: round((await stat(db)).size / 1e6),
	};
	for (const [name, xs] of Object.entries(runs)) figures[name] = round(median(xs));
	return { figures, runs, notes };
}

// ---------------------------------------------------------------------------------------------------
// Members' commands (the smaller size only), on SQLite and on PostgreSQL

/** The figures of one member database (names as --json prints them, and the child's): one value per run. */
const MEMBER_FIGURES = [
	['rate_p50_ms', 'rateP50'],
	['rate_p99_ms', 'rateP99'],
	['reviews_server_cold_p50_ms', 'serverColdP50'],
	['reviews_server_cold_p99_ms', 'serverColdP99'],
	['reviews_server_warm_p50_ms', 'serverWarmP50'],
	['reviews_server_warm_p99_ms', 'serverWarmP99'],
] as const;
type MemberRuns = Record<string, number[]>;

const POSTGRES = { host: '127.0.0.1', port: 5432 };

/** Runs one statement on the server's `postgres` database as `user`. */
async function pgQuery(user: string, text: string): Promise<void> {
	const client = new pg.Client({ ...POSTGRES, user, database: 'postgres', connectionTimeoutMillis: 2000 });
	await client.connect();
	try {
		await client.query(text);
	} finally {
		await client.end();
	}
}

/** A new database on the PostgreSQL server at 127.0.0.1:5432 (trust auth, as postgres or the current user), or undefined without one. */
async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
	for (const user of ['postgres', userInfo().username]) {
		const name = `marquee_bench_${process.pid}_${Math.floor(performance.now())}`;
		try {
			await pgQuery(user, `CREATE DATABASE ${name}`);
		} catch {
			continue;
		}
		return {
			url: `postgres://${user}@${POSTGRES.host}:${POSTGRES.port}/${name}`,
			drop: () => pgQuery(user, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
		};
	}
	return undefined;
}

/** The medians of a member database's runs, under their --json names. */
function memberFigures(runs: MemberRuns): Record<string, number> {
	return Object.fromEntries(MEMBER_FIGURES.map(([name]) => [name, round(median(runs[name] ?? [NaN]))]));
}

async function benchMembers(db: string, tmp: string): Promise<{ sqlite: MemberRuns; postgres: MemberRuns | undefined; notes: string[] }> {
	const measure = async (url: string, into: MemberRuns): Promise<void> => {
		const r = await runChild<Record<string, number>>(['members', db, url, String(P.handlerCount)]);
		for (const [name, key] of MEMBER_FIGURES) (into[name] ??= []).push(r[key] ?? NaN);
	};
	const notes: string[] = [];
	progress(`members: /rate and the /reviews server block, ${P.handlerRuns} runs × ${P.handlerCount} on SQLite, then on PostgreSQL`);
	const sqlite: MemberRuns = {};
	for (let i = 0; i < P.handlerRuns; i++) await measure(`sqlite://${join(tmp, `members-${i}.db`)}`, sqlite);
	let postgres: MemberRuns | undefined = {};
	for (let i = 0; i < P.handlerRuns && postgres !== undefined; i++) {
		const database = await postgresDatabase();
		if (database === undefined) {
			notes.push(`no PostgreSQL server at ${POSTGRES.host}:${POSTGRES.port} (trust auth): the PostgreSQL member rows are left out`);
			postgres = undefined;
			break;
		}
		try {
			await measure(database.url, postgres);
		} finally {
			await database.drop();
		}
	}
	return { sqlite, postgres, notes };
}

// ---------------------------------------------------------------------------------------------------
// /compare (the 50k library only)

/** The /compare figures (names as --json prints them, and the child's): one value per run. */
const COMPARE_FIGURES = [
	['cold_p50_ms', 'coldP50'],
	['cold_p99_ms', 'coldP99'],
	['warm_p50_ms', 'warmP50'],
	['warm_p99_ms', 'warmP99'],
	['server_cold_p50_ms', 'serverColdP50'],
	['server_cold_p99_ms', 'serverColdP99'],
	['server_warm_p50_ms', 'serverWarmP50'],
	['server_warm_p99_ms', 'serverWarmP99'],
] as const;
/** The library /compare is measured on (the smaller size of a full run, the larger of --quick). */
const COMPARE_REVIEWS = 50_000;

/** `/compare` on the compiled 50k file `db`, P.handlerRuns runs of P.handlerCount pairs, each with a SQLite member database of its own. */
async function benchCompare(db: string, tmp: string): Promise<Record<string, number[]>> {
	progress(`compare: ${P.handlerRuns} runs × ${P.handlerCount} pairs, outside a server and in one (SQLite member database)`);
	const runs: Record<string, number[]> = {};
	for (let i = 0; i < P.handlerRuns; i++) {
		const r = await runChild<Record<string, number>>([
			'compare',
			db,
			`sqlite://${join(tmp, `compare-members-${i}.db`)}`,
			String(P.handlerCount),
		]);
		for (const [name, key] of COMPARE_FIGURES) (runs[name] ??= []).push(r[key] ?? NaN);
	}
	return runs;
}

// ---------------------------------------------------------------------------------------------------
// End to end (the smaller size only)

interface BotChild {
	stop(): Promise<void>;
}

type BotKind = 'marquee' | 'minimal' | 'same-reply';

async function startBotChild(kind: BotKind, apiBase: string, token: string, dir: string, cacheFile: string, db: string): Promise<BotChild> {
	const { proc, lines } = child(['bot', kind, apiBase, token, dir, cacheFile, db], { keepOpen: true });
	const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
	for (;;) {
		const next = await lines.next();
		if (next.done === true) throw new Error(`${kind} bot exited before READY`);
		if (next.value === 'READY') break;
	}
	return {
		async stop() {
			proc.stdin?.end();
			const timer = setTimeout(() => proc.kill(), 5000);
			await exited;
			clearTimeout(timer);
		},
	};
}

interface E2e {
	marquee: { median: number; perSecond: number }[];
	minimal: { median: number; perSecond: number }[];
	sameReply: { median: number; perSecond: number }[];
}

async function benchE2e(dir: string, db: string, tmp: string): Promise<E2e> {
	const { startFakeDiscord } = await import('../test/fake-discord/index.js');
	const { registerCommands } = await import('../src/deploy.js');
	const manifest = JSON.parse(await readFile(join(dir, 'films.json'), 'utf8')) as { films: { title: string }[] };
	const titles = manifest.films.slice(0, 50).map((f) => f.title);

	const measure = async (kind: BotKind, round: number): Promise<{ median: number; perSecond: number }> => {
		// Validation after the answer: the fake's schema check (~0.7 ms a reply) is the harness's cost, not the bot's.
		const fake = await startFakeDiscord({ ackTimeoutMs: 10_000, deferValidation: true });
		try {
			await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.apiBase });
			const bot = await startBotChild(kind, fake.apiBase, fake.token, dir, join(tmp, `e2e-${kind}-${round}.sqlite`), db);
			try {
				let i = 0;
				const one = async (): Promise<number> => {
					const film = titles[i++ % titles.length] ?? 'x';
					const t = performance.now();
					const record = await fake.slash('reviews', { film });
					const ms = performance.now() - t;
					if (record.responses.length === 0) throw new Error('no response');
					return ms;
				};
				// Warm-up: JIT, the REST agent's connections, and the cache for these films.
				for (let k = 0; k < 2 * titles.length; k++) await one();
				const latencies: number[] = [];
				for (let k = 0; k < P.e2eSeq; k++) latencies.push(await one());
				const t = performance.now();
				let left = P.e2eLoad;
				await Promise.all(
					Array.from({ length: P.concurrency }, async () => {
						while (left-- > 0) await one();
					}),
				);
				const perSecond = P.e2eLoad / ((performance.now() - t) / 1000);
				return { median: median(latencies), perSecond };
			} finally {
				await bot.stop();
			}
		} finally {
			await fake.close();
		}
	};

	progress(
		`end to end: ${P.e2eRounds} rounds, the bot and two minimal bots in turn (${P.e2eSeq} sequential + ${P.e2eLoad} at concurrency ${P.concurrency} each)`,
	);
	const out: E2e = { marquee: [], minimal: [], sameReply: [] };
	for (let r = 0; r < P.e2eRounds; r++) {
		out.marquee.push(await measure('marquee', r));
		out.minimal.push(await measure('minimal', r));
		out.sameReply.push(await measure('same-reply', r));
	}
	return out;
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const started = performance.now();
	// The children run the build, as `npm start` does (no TypeScript loader in the measured processes). Its output goes to stderr: stdout is the report.
	execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
		cwd: ROOT,
		stdio: ['ignore', 2, 2],
	});
	const tmp = await mkdtemp(join(tmpdir(), 'marquee-bench-'));
	let small: SizeFigures;
	let large: SizeFigures;
	let autocomplete: AutocompleteResult[] = [];
	let e2e: E2e | undefined;
	let members: Awaited<ReturnType<typeof benchMembers>>;
	const charts: ChartResult[] = [];
	const compareCharts: ChartResult[] = [];
	let compare: Record<string, number[]>;
	try {
		small = await benchSize(SIZES[0], tmp);
		members = await benchMembers(join(tmp, `reviews-${SIZES[0].reviews}.db`), tmp);
		large = await benchSize(SIZES[1], tmp);
		compare = await benchCompare(join(tmp, `reviews-${COMPARE_REVIEWS}.db`), tmp);
		progress(`autocomplete: ${P.acRuns} runs × ${P.acCount} queries per length on ${P.acFilms} titles`);
		autocomplete = [];
		for (let i = 0; i < P.acRuns; i++)
			autocomplete.push(await runChild<AutocompleteResult>(['autocomplete', String(P.acFilms), String(P.acCount)]));
		progress(`charts: ${P.acRuns} runs × ${P.chartCount} charts drawn, then read from the cache`);
		for (let i = 0; i < P.acRuns; i++) charts.push(await runChild<ChartResult>(['charts', String(P.chartCount), 'ratings']));
		progress(`compare charts: ${P.acRuns} runs × ${P.chartCount} charts drawn, then read from the cache`);
		for (let i = 0; i < P.acRuns; i++) compareCharts.push(await runChild<ChartResult>(['charts', String(P.chartCount), 'compare']));
		if (P.e2e) e2e = await benchE2e((await corpusDir(SIZES[0])).dir, join(tmp, `reviews-${SIZES[0].reviews}.db`), tmp);
	} finally {
		await rm(tmp, { recursive: true, force: true });
	}
	const minutes = (performance.now() - started) / 60_000;
	const cpu = cpus();
	const command = `npm run bench${quick ? ' -- --quick' : ''}`;
	const acP99 = [1, 2, 3, 4].map((n) => autocomplete.map((r) => r[String(n)]?.p99 ?? NaN));
	const acP50 = [1, 2, 3, 4].map((n) => autocomplete.map((r) => r[String(n)]?.p50 ?? NaN));
	const s = small.figures;
	const l = large.figures;
	const get = (f: Record<string, number>, name: string): number => f[name] ?? NaN;
	const ratio = get(l, 'start_ready_ms') / get(s, 'start_ready_ms');

	// Each target, per size where it applies: the figure it is judged on, and whether it is met.
	const targets: { name: string; figure: string; target: string; value: number; met: boolean }[] = [];
	const judge = (figure: string, value: number, op: '<' | '≥' | '≤', limit: number, unit: string): void => {
		targets.push({
			name: figure,
			figure,
			target: `${op} ${limit} ${unit}`,
			value: round(value),
			met: op === '<' ? value < limit : op === '≤' ? value <= limit : value >= limit,
		});
	};
	for (const [key, f] of [
		['small', s],
		['large', l],
	] as const) {
		judge(`${key}.start_ready_ms`, get(f, 'start_ready_ms'), '<', TARGET.startMs, 'ms');
		judge(`${key}.rss_start_mb`, get(f, 'rss_start_mb'), '<', TARGET.rssMb, 'MB');
		judge(`${key}.rss_after_mixed_mb`, get(f, 'rss_after_mixed_mb'), '<', TARGET.rssMb, 'MB');
		judge(`${key}.two_processes_rss_mb`, get(f, 'two_processes_rss_mb'), '<', 2 * TARGET.rssMb, 'MB');
		judge(`${key}.build_full_mb_s`, get(f, 'build_full_mb_s'), '≥', TARGET.buildMbS, 'MB/s');
		judge(`${key}.build_incremental_mb_s`, get(f, 'build_incremental_mb_s'), '≥', TARGET.buildMbS, 'MB/s');
		for (const h of HANDLERS) {
			judge(`${key}.${h}_cold_p99_ms`, get(f, `${h}_cold_p99_ms`), '<', TARGET.coldP99Ms, 'ms');
			judge(`${key}.${h}_warm_p99_ms`, get(f, `${h}_warm_p99_ms`), '<', TARGET.warmP99Ms, 'ms');
		}
	}
	judge('start_ratio_large_small', ratio, '≤', TARGET.startRatio, '×');
	const acWorst = Math.max(...acP99.map((xs) => median(xs)));
	judge('autocomplete_p99_ms', acWorst, '<', TARGET.autocompleteP99Ms, 'ms');
	const chart = (key: keyof ChartResult): number => median(charts.map((c) => c[key]));
	const compareChart = (key: keyof ChartResult): number => median(compareCharts.map((c) => c[key]));
	judge('chart_cold_p99_ms', chart('coldP99'), '<', TARGET.chartP99Ms, 'ms');

	const json = {
		command: `${command}${quick ? '' : ' --'} --json`,
		date: new Date().toISOString(),
		quick,
		minutes: round(minutes),
		machine: {
			cpus: cpu.length,
			model: cpu[0]?.model.trim() ?? 'unknown',
			memory_gb: Math.round(totalmem() / 2 ** 30),
			node: process.version,
			loadavg: loadavg().map((x) => round(x)),
		},
		small: s,
		large: l,
		start_ratio_large_small: round(ratio),
		autocomplete_titles: P.acFilms,
		autocomplete_p99_ms: round(acWorst),
		autocomplete_p99_by_length_ms: acP99.map((xs) => round(median(xs))),
		chart_first_ms: round(chart('firstMs')),
		chart_cold_p50_ms: round(chart('coldP50')),
		chart_cold_p99_ms: round(chart('coldP99')),
		chart_warm_p99_ms: round(chart('warmP99')),
		chart_largest_kb: round(chart('largestKb')),
		compare_chart_first_ms: round(compareChart('firstMs')),
		compare_chart_cold_p50_ms: round(compareChart('coldP50')),
		compare_chart_cold_p99_ms: round(compareChart('coldP99')),
		compare_chart_warm_p99_ms: round(compareChart('warmP99')),
		compare_chart_largest_kb: round(compareChart('largestKb')),
		...(e2e === undefined
			? {}
			: {
					e2e_marquee_median_ms: round(median(e2e.marquee.map((r) => r.median))),
					e2e_marquee_per_s: round(median(e2e.marquee.map((r) => r.perSecond))),
					e2e_minimal_median_ms: round(median(e2e.minimal.map((r) => r.median))),
					e2e_same_reply_median_ms: round(median(e2e.sameReply.map((r) => r.median))),
				}),
		members: {
			sqlite: memberFigures(members.sqlite),
			postgres: members.postgres === undefined ? null : memberFigures(members.postgres),
		},
		compare: {
			reviews: COMPARE_REVIEWS,
			...Object.fromEntries(COMPARE_FIGURES.map(([name]) => [name, round(median(compare[name] ?? [NaN]))])),
		},
		targets: targets.map(({ name, target, value, met }) => ({ name, target, value, met })),
		notes: [...small.notes, ...large.notes, ...members.notes],
	};

	const met = (name: string): string => {
		const t = targets.find((x) => x.name === name);
		return t === undefined ? '' : t.met ? ' ✓' : ' ✗';
	};
	const rows: string[][] = [];
	const both = (what: string, name: string, unit: string, target: string, digits?: number): void => {
		const cell = (key: 'small' | 'large', f: SizeFigures): string =>
			`${spread(f.runs[name] ?? [NaN], digits)} ${unit}${met(`${key}.${name}`)}`;
		rows.push([what, cell('small', small), cell('large', large), target]);
	};
	rows.push([
		'pages / compiled file',
		`${fmt(get(s, 'pages_mb'), 1)} / ${fmt(get(s, 'db_mb'), 1)} MB`,
		`${fmt(get(l, 'pages_mb'), 1)} / ${fmt(get(l, 'db_mb'), 1)} MB`,
		'',
	]);
	both('`data:build`, full', 'build_full_mb_s', 'MB/s', `≥ ${TARGET.buildMbS} MB/s`, 1);
	both('… time', 'build_full_ms', 'ms', '');
	both('`data:build`, one page changed (whole library ÷ time)', 'build_incremental_mb_s', 'MB/s', `≥ ${TARGET.buildMbS} MB/s`, 1);
	both('… time', 'build_incremental_ms', 'ms', '');
	rows.push([
		`… a full build's steps one by one: read files / parse / write tables and indexes / ANALYZE`,
		`${['build_read_ms', 'build_parse_ms', 'build_write_ms', 'build_analyze_ms'].map((n) => fmt(get(s, n))).join(' / ')} ms`,
		'(measured on the smaller size)',
		'',
	]);
	both('… peak RSS of a full build', 'build_peak_rss_mb', 'MB', '', 0);
	both('`npm start` (HTTP) → first answer, median of starts after the first', 'start_ready_ms', 'ms', `< ${TARGET.startMs} ms`);
	rows.push(['… 500k / 50k ratio (large / small)', '', `${fmt(ratio, 2)}×${met('start_ratio_large_small')}`, `≤ ${TARGET.startRatio}×`]);
	both('… the first start', 'start_ready_first_ms', 'ms', '');
	both('… of which Node boot (to the first line of code)', 'start_node_ms', 'ms', '');
	both('… imports (the app and its libraries)', 'start_imports_ms', 'ms', '');
	both('… of which discord.js', 'start_imports_discordjs_ms', 'ms', '');
	both('… files fingerprint (is the file stale?)', 'start_fingerprint_ms', 'ms', '');
	both("… fresh check (the file's schema, parser and fingerprint)", 'start_fresh_check_ms', 'ms', '');
	both('… `ReviewStore.open` (titles, aliases, critic names into memory)', 'start_open_ms', 'ms', '');
	both('RSS after start', 'rss_start_mb', 'MB', `< ${TARGET.rssMb} MB`, 0);
	both('… RSS after the imports alone (start phases child)', 'start_rss_after_imports_mb', 'MB', '', 0);
	both('… RSS once the store is open (same child)', 'start_rss_after_open_mb', 'MB', '', 0);
	both('… store in the JS heap after opening (heap used)', 'start_store_heap_mb', 'MB', '', 0);
	both(`RSS after ${P.mixed} mixed interactions`, 'rss_after_mixed_mb', 'MB', `< ${TARGET.rssMb} MB`, 0);
	both('… of which anonymous (heaps, SQLite page caches)', 'rss_after_mixed_anon_mb', 'MB', '', 0);
	both('… of which file-backed (node and native code, shared)', 'rss_after_mixed_file_mb', 'MB', '', 0);
	both('two processes on the same file: RSS together', 'two_processes_rss_mb', 'MB', `< ${2 * TARGET.rssMb} MB`, 0);
	both('… PSS together (shared pages counted once)', 'two_processes_pss_mb', 'MB', '', 0);
	const handlerLabel: Record<(typeof HANDLERS)[number], string> = {
		reviews: '`/reviews` overview',
		deep_page: 'a deep review page (the last page of the biggest films, each order)',
		critic: '`/critic`',
		quote_random: '`/quote random`',
	};
	for (const h of HANDLERS) {
		const cell = (key: 'small' | 'large', f: SizeFigures, c: 'cold' | 'warm'): string =>
			`${spread(f.runs[`${h}_${c}_p50_ms`] ?? [NaN])} / ${spread(f.runs[`${h}_${c}_p99_ms`] ?? [NaN])} ms${met(`${key}.${h}_${c}_p99_ms`)}`;
		rows.push([
			`${handlerLabel[h]} p50 / p99, cold cache`,
			cell('small', small, 'cold'),
			cell('large', large, 'cold'),
			`p99 < ${TARGET.coldP99Ms} ms`,
		]);
		rows.push([
			`${handlerLabel[h]} p50 / p99, warm cache`,
			cell('small', small, 'warm'),
			cell('large', large, 'warm'),
			`p99 < ${TARGET.warmP99Ms} ms`,
		]);
		const mem = (f: SizeFigures): string =>
			`${fmt(get(f.figures, `${h}_cold_p50_memory_cache_ms`))} / ${fmt(get(f.figures, `${h}_cold_p99_memory_cache_ms`))} ms`;
		rows.push([`… cold, with the cache in memory instead (1 run, for comparison)`, mem(small), mem(large), '']);
	}
	for (const [database, runs] of [
		['SQLite', members.sqlite],
		['PostgreSQL', members.postgres],
	] as const) {
		if (runs === undefined) continue;
		const cell = (figure: string): string =>
			`${spread(runs[`${figure}_p50_ms`] ?? [NaN])} / ${spread(runs[`${figure}_p99_ms`] ?? [NaN])} ms`;
		const note = '(measured on the smaller size)';
		rows.push([`\`/rate\` p50 / p99 (a new score: write + previous score), ${database} member database`, cell('rate'), note, '']);
		rows.push([`\`/reviews\` overview with the server block p50 / p99, cold cache, ${database}`, cell('reviews_server_cold'), note, '']);
		rows.push([`… warm cache (the server block is read from ${database} each time)`, cell('reviews_server_warm'), note, '']);
	}
	{
		const cell = (figure: string): string =>
			`${spread(compare[`${figure}_p50_ms`] ?? [NaN])} / ${spread(compare[`${figure}_p99_ms`] ?? [NaN])} ms`;
		const at = (figure: string): string[] =>
			SIZES.map((z) => (z.reviews === COMPARE_REVIEWS ? cell(figure) : `(measured on the ${COMPARE_REVIEWS / 1000}k library)`));
		rows.push(['`/compare` p50 / p99, a new pair (no server)', ...at('cold'), '']);
		rows.push(['… the same pair again (/compare keeps only its chart, in the process)', ...at('warm'), '']);
		rows.push(["… in a server, each column's server side read from SQLite: a new pair", ...at('server_cold'), '']);
		rows.push(['… the same pair again', ...at('server_warm'), '']);
	}
	rows.push([
		`autocomplete, ${P.acFilms} titles, 1-4 characters: p50 / p99`,
		acP50.map((xs, i) => `${fmt(median(xs))} / ${fmt(median(acP99[i] ?? []))}`).join(' · ') + ` ms${met('autocomplete_p99_ms')}`,
		'(size-independent)',
		`p99 < ${TARGET.autocompleteP99Ms} ms`,
	]);
	rows.push([
		`rating chart, two panels (${P.chartCount} drawn): first · p50 / p99 cold (drawn) · p99 warm (cached) · largest`,
		`${fmt(chart('firstMs'))} · ${fmt(chart('coldP50'))} / ${spread(
			charts.map((c) => c.coldP99),
		)} ms${met('chart_cold_p99_ms')} · ${fmt(chart('warmP99'), 4)} ms · ${fmt(chart('largestKb'))} KB`,
		'',
		`cold p99 < ${TARGET.chartP99Ms} ms`,
	]);
	rows.push([
		`compare chart, server row and histograms (${P.chartCount} drawn): first · p50 / p99 cold (drawn) · p99 warm (cached) · largest`,
		`${fmt(compareChart('firstMs'))} · ${fmt(compareChart('coldP50'))} / ${spread(
			compareCharts.map((c) => c.coldP99),
		)} ms · ${fmt(compareChart('warmP99'), 4)} ms · ${fmt(compareChart('largestKb'))} KB`,
		'',
		'',
	]);
	if (e2e !== undefined) {
		const ratioMin = e2e.marquee.map((b, i) => b.median / (e2e.minimal[i]?.median ?? NaN));
		const ratioSame = e2e.marquee.map((b, i) => b.median / (e2e.sameReply[i]?.median ?? NaN));
		rows.push([
			'end to end (discord.js ↔ fake Discord, /reviews): Marquee median / per s',
			`${spread(e2e.marquee.map((b) => b.median))} ms / ${spread(
				e2e.marquee.map((b) => b.perSecond),
				0,
			)}`,
			'',
			'',
		]);
		rows.push([
			'… minimal bot, fixed embed',
			`${spread(e2e.minimal.map((b) => b.median))} ms / ${spread(
				e2e.minimal.map((b) => b.perSecond),
				0,
			)} (Marquee ${spread(ratioMin, 2)}×)`,
			'',
			'',
		]);
		rows.push([
			"… minimal bot sending Marquee's replies, precomputed",
			`${spread(e2e.sameReply.map((b) => b.median))} ms / ${spread(
				e2e.sameReply.map((b) => b.perSecond),
				0,
			)} (Marquee ${spread(ratioSame, 2)}×)`,
			'',
			'',
		]);
	}
	const header = [
		`# Marquee bench${quick ? ' (--quick)' : ''}`,
		'',
		`Command: \`${command}\` · ${new Date().toISOString()} · ${minutes.toFixed(1)} min`,
		`Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, load average at the end ${loadavg()
			.map((x) => x.toFixed(1))
			.join(' ')}`,
		`Corpora: ${SIZES.map((z) => `${z.films} films / ${z.reviews} reviews`).join(' and ')}, seed ${SEED} (bench/corpus.ts). Figures: median (min–max across runs); latency percentiles per run, then their median. Cold cache: the rendered page is not in the cache (read from the store and rendered); warm: it is.`,
		'',
	];
	const sizeName = (z: Size): string => `${z.reviews / 1000}k reviews`;
	const table = [
		`| Measure | ${sizeName(SIZES[0])} | ${sizeName(SIZES[1])} | Target |`,
		'|---|---|---|---|',
		...rows.map((r) => `| ${r.join(' | ')} |`),
	];
	const text = [...header, ...table, '', ...[...small.notes, ...large.notes, ...members.notes].map((n) => `Note: ${n}`), ''].join('\n');
	// --out writes the table in either case; --json prints the figures instead of it.
	if (values.out !== undefined) {
		await mkdir(join(values.out, '..'), { recursive: true });
		await writeFile(values.out, text);
	}
	process.stdout.write(values.json === true ? `${JSON.stringify(json, null, '\t')}\n` : text);
}

await main();
