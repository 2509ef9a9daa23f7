// `npm run bench [-- --quick] [-- --out FILE]`: Marquee's performance figures on a synthetic corpus.
//
// Every measurement but the end-to-end one runs in a fresh child process (bench/child.ts, built into
// dist/ first and run by plain node, as `npm start` runs the bot), so heaps and RSS are clean; each
// figure is the median over repeated runs, with the spread (min–max) beside it.
// The corpus (1,000 films / 50,000 reviews, seed 1; --quick: 300 / 12,000) is generated into
// bench/.corpus/ (git-ignored) once and reused while its options are unchanged.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { generateCorpus, writeCorpus } from './corpus.js';

const ROOT = new URL('../', import.meta.url).pathname;

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } }, strict: true });
const quick = values.quick === true;

const P = quick
	? { films: 300, reviews: 12_000, parseRuns: 3, warmRuns: 3, handlerRuns: 1, handlerCount: 100, acFilms: 10_000, acCount: 200, acRuns: 1, e2eRounds: 2, e2eSeq: 30, e2eLoad: 150, concurrency: 16 }
	: { films: 1000, reviews: 50_000, parseRuns: 7, warmRuns: 7, handlerRuns: 3, handlerCount: 600, acFilms: 10_000, acCount: 2000, acRuns: 3, e2eRounds: 4, e2eSeq: 100, e2eLoad: 1000, concurrency: 16 };
const SEED = 1;

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
	if (xs.length === 1) return `${fmt(xs[0] ?? NaN, digits)} (1 run)`;
	return `${fmt(median(xs), digits)} (${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)})`;
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

async function corpusDir(): Promise<string> {
	const dir = join(ROOT, 'bench/.corpus', `corpus-${P.films}-${P.reviews}-${SEED}`);
	const stamp = join(dir, '.complete');
	if (existsSync(stamp)) return dir;
	const t = performance.now();
	await rm(dir, { recursive: true, force: true });
	const { bytes } = await writeCorpus(dir, generateCorpus({ films: P.films, reviews: P.reviews, seed: SEED }));
	await writeFile(stamp, `${bytes}\n`);
	progress(`generated ${P.films} films / ${P.reviews} reviews (${(bytes / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s -> ${dir}`);
	return dir;
}

// ---------------------------------------------------------------------------------------------------
// Sections

interface ParseResult {
	readMs: number;
	parseMs: number;
	indexMs: number;
	totalMs: number;
	bytes: number;
	reviews: number;
	errors: number;
	films: number;
	peakRssMb: number;
}

interface WarmResult {
	source: string;
	sinceStartMs: number;
	bootMs: number;
	importMs: number;
	cacheOpenMs: number;
	loadStoreMs: number;
	peakRssMb: number;
}

type HandlerResult = Record<string, { missP50: number; missP99: number; hitP50: number; hitP99: number; n: number }>;
type AutocompleteResult = Record<string, { p50: number; p99: number; n: number; meanChoices: number }>;

const rows: string[][] = [];
const notes: string[] = [];
function row(...cells: string[]): void {
	rows.push(cells);
}

async function benchParse(dir: string): Promise<void> {
	progress(`parse + index: ${P.parseRuns} runs`);
	const runs: ParseResult[] = [];
	for (let i = 0; i < P.parseRuns; i++) runs.push(await runChild<ParseResult>(['parse', dir]));
	const r0 = runs[0];
	if (!r0) return;
	const mb = r0.bytes / 1e6;
	row('Parse + index', `${fmt(mb, 1)} MB, ${r0.films} films, ${r0.reviews} reviews (${r0.errors} load errors)`, '', '');
	row('', 'total (read + parse + index)', `${spread(runs.map((r) => r.totalMs))} ms`, '< 1000 ms');
	row('', 'throughput', `${spread(runs.map((r) => mb / (r.totalMs / 1000)), 1)} MB/s`, '');
	row('', 'read files / parse / build indexes', `${fmt(median(runs.map((r) => r.readMs)))} / ${fmt(median(runs.map((r) => r.parseMs)))} / ${fmt(median(runs.map((r) => r.indexMs)))} ms`, '');
	row('', 'peak RSS (whole process, after load)', `${spread(runs.map((r) => r.peakRssMb), 0)} MB`, '< 250 MB');
}

/** Returns the path the end-to-end bots keep their cache at (their review store is beside it). */
async function benchWarm(dir: string, tmp: string): Promise<string> {
	const cacheFile = join(tmp, 'warm.sqlite');
	const dbFile = `${cacheFile}.reviews.db`;
	progress('warm start: building the review store');
	const primed = await runChild<WarmResult>(['prime', dir, dbFile]);
	progress(`warm start: ${P.warmRuns} runs (prime run: ${primed.source}, ${fmt(primed.loadStoreMs)} ms)`);
	const runs: WarmResult[] = [];
	for (let i = 0; i < P.warmRuns; i++) runs.push(await runChild<WarmResult>(['warm', dir, dbFile]));
	const bad = runs.filter((r) => r.source !== 'opened').length;
	if (bad > 0) notes.push(`warm start: ${bad} of ${runs.length} runs rebuilt the review store`);
	row('Warm start (review store up to date)', 'process start → store ready', `${spread(runs.map((r) => r.sinceStartMs))} ms`, '< 300 ms');
	row('', 'of which: Node boot / imports', `${fmt(median(runs.map((r) => r.bootMs)))} / ${fmt(median(runs.map((r) => r.importMs)))} ms`, '');
	row('', 'of which: files fingerprint, open, in-memory indexes', `${spread(runs.map((r) => r.loadStoreMs))} ms`, '');
	row('', 'cold start for comparison (full build + open)', `${fmt(primed.loadStoreMs)} ms (1 run)`, '');
	row('', 'peak RSS', `${spread(runs.map((r) => r.peakRssMb), 0)} MB`, '');
	return cacheFile;
}

async function benchHandlers(dir: string, tmp: string): Promise<void> {
	for (const kind of ['sqlite', 'memory'] as const) {
		progress(`handlers (${kind} cache): ${P.handlerRuns} runs × ${P.handlerCount} items per command`);
		const runs: HandlerResult[] = [];
		for (let i = 0; i < P.handlerRuns; i++) {
			const url = kind === 'memory' ? 'memory' : `sqlite://${join(tmp, `handlers-${i}.sqlite`)}`;
			runs.push(await runChild<HandlerResult>(['handlers', dir, url, String(P.handlerCount)]));
		}
		const names = Object.keys(runs[0] ?? {});
		for (const [i, name] of names.entries()) {
			const get = (k: 'missP50' | 'missP99' | 'hitP50' | 'hitP99') => runs.map((r) => r[name]?.[k] ?? NaN);
			const first = i === 0 && kind === 'sqlite';
			row(i === 0 ? `Handler latency (dispatch, ${kind} cache${kind === 'memory' ? ', for comparison' : ''})` : '', `${name}: warm cache p50 / p99`, `${spread(get('hitP50'))} / ${spread(get('hitP99'))} ms`, first ? 'p99 < 0.5 ms' : '');
			row('', `${name}: cold cache p50 / p99`, `${spread(get('missP50'))} / ${spread(get('missP99'))} ms`, first ? 'p99 < 2 ms' : '');
		}
	}
}

async function benchAutocomplete(): Promise<void> {
	progress(`autocomplete: ${P.acRuns} runs × ${P.acCount} queries per length on ${P.acFilms} titles`);
	const runs: AutocompleteResult[] = [];
	for (let i = 0; i < P.acRuns; i++) runs.push(await runChild<AutocompleteResult>(['autocomplete', String(P.acFilms), String(P.acCount)]));
	for (let n = 1; n <= 4; n++) {
		const k = String(n);
		row(n === 1 ? `Autocomplete (/reviews film, ${P.acFilms} titles, dispatch)` : '', `${n} character${n === 1 ? '' : 's'} typed: p50 / p99`, `${spread(runs.map((r) => r[k]?.p50 ?? NaN))} / ${spread(runs.map((r) => r[k]?.p99 ?? NaN))} ms`, n === 1 ? 'p99 < 1 ms' : '');
	}
}

interface BotChild {
	stop(): Promise<void>;
}

type BotKind = 'marquee' | 'minimal' | 'same-reply';

async function startBotChild(kind: BotKind, apiBase: string, token: string, dir: string, cacheFile: string): Promise<BotChild> {
	const { proc, lines } = child(['bot', kind, apiBase, token, dir, cacheFile], { keepOpen: true });
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

async function benchE2e(dir: string, cacheFile: string): Promise<void> {
	const { startFakeDiscord } = await import('../test/fake-discord/index.js');
	const { registerCommands } = await import('../src/deploy.js');
	const manifest = JSON.parse(await readFile(join(dir, 'films.json'), 'utf8')) as { films: { title: string }[] };
	const titles = manifest.films.slice(0, 50).map((f) => f.title);
	// `cacheFile` holds the snapshot for the bots' start (the bot child uses loadStore like src/app.ts).

	const measure = async (kind: BotKind): Promise<{ median: number; perSecond: number }> => {
		// Validation after the answer: the fake's schema check (~0.7 ms a reply) is the harness's cost, not the bot's.
		const fake = await startFakeDiscord({ ackTimeoutMs: 10_000, deferValidation: true });
		try {
			await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.apiBase });
			const bot = await startBotChild(kind, fake.apiBase, fake.token, dir, cacheFile);
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

	progress(`end to end: ${P.e2eRounds} rounds, the bot and two minimal bots in turn (${P.e2eSeq} sequential + ${P.e2eLoad} at concurrency ${P.concurrency} each)`);
	const bot: { median: number; perSecond: number }[] = [];
	const minimal: { median: number; perSecond: number }[] = [];
	const sameReply: { median: number; perSecond: number }[] = [];
	for (let r = 0; r < P.e2eRounds; r++) {
		bot.push(await measure('marquee'));
		minimal.push(await measure('minimal'));
		sameReply.push(await measure('same-reply'));
	}
	const ratio = bot.map((b, i) => b.median / (minimal[i]?.median ?? NaN));
	const sameRatio = bot.map((b, i) => b.median / (sameReply[i]?.median ?? NaN));
	row('End to end (discord.js client ↔ fake Discord on loopback, /reviews film)', 'Marquee: median latency / interactions per s', `${spread(bot.map((b) => b.median))} ms / ${spread(bot.map((b) => b.perSecond), 0)}`, '');
	row('', 'minimal bot (fixed embed): median latency / interactions per s', `${spread(minimal.map((b) => b.median))} ms / ${spread(minimal.map((b) => b.perSecond), 0)}`, '');
	row('', 'ratio Marquee / minimal (median latency, per round)', `${spread(ratio, 2)}×`, '≤ 1.2×');
	row('', "minimal bot sending Marquee's /reviews reply (fixed): median latency / interactions per s", `${spread(sameReply.map((b) => b.median))} ms / ${spread(sameReply.map((b) => b.perSecond), 0)}`, '');
	row('', 'ratio Marquee / same-reply bot (the handler and cache alone)', `${spread(sameRatio, 2)}×`, '');
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const started = performance.now();
	// The children run the build, as `npm start` does (no TypeScript loader in the measured processes).
	execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
	const dir = await corpusDir();
	const tmp = await mkdtemp(join(tmpdir(), 'marquee-bench-'));
	try {
		await benchParse(dir);
		const snapshotCache = await benchWarm(dir, tmp);
		await benchHandlers(dir, tmp);
		await benchAutocomplete();
		await benchE2e(dir, snapshotCache);
	} finally {
		await rm(tmp, { recursive: true, force: true });
	}
	const minutes = (performance.now() - started) / 60_000;
	const cpu = cpus();
	const header = [
		`# Marquee bench${quick ? ' (--quick)' : ''}`,
		'',
		`Command: \`npm run bench${quick ? ' -- --quick' : ''}\` · ${new Date().toISOString()} · ${minutes.toFixed(1)} min`,
		`Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
		`Corpus: ${P.films} films / ${P.reviews} reviews, seed ${SEED} (bench/corpus.ts). Figures: median over runs (min–max across runs); latency percentiles per run, then median of those.`,
		'',
	];
	const table = ['| Measure | What | Result | Target |', '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)];
	const text = [...header, ...table, '', ...notes.map((n) => `Note: ${n}`), ''].join('\n');
	process.stdout.write(text);
	if (values.out !== undefined) {
		await mkdir(join(values.out, '..'), { recursive: true });
		await writeFile(values.out, text);
	}
}

await main();
