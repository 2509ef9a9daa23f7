import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import { type Cache, openCache } from './cache.js';
import { type Config, configProblems, databaseTarget, loadConfig, reviewsDbPath } from './config.js';
import { runConsole } from './console.js';
import { consoleArgs } from './console/args.js';
import type { Deps } from './discord/dispatch.js';
import { createInteractionsServer } from './discord/http.js';
import { buildReviewsDb, isFresh } from './domain/build.js';
import { type DataLimits, DEFAULT_MAX_PAGE_MB, filesFingerprint, MANIFEST_FILE, manifestUnreadable } from './domain/load.js';
import { ReviewStore } from './domain/store.js';
import { createLogger, type Logger, type LogLevel } from './log.js';
import { type MemberStore, openMemberStore } from './members/store.js';
import { type Loaded, LiveStore, type Served, startLiveReload } from './reload.js';
import { scriptArgs } from './script.js';
import { isShutdownMessage } from './shard-message.js';
import { onSignals } from './signals.js';
import type { StoreFacts } from './ops/metrics.js';
import { type Ops, opsPort, startOps } from './ops/server.js';

/**
 * The bot's start-up, in pieces a test can run in-process: config, logger, store, cache, then either
 * the Discord client or the local console, and a clean shutdown on SIGINT/SIGTERM. Nothing here calls
 * `process.exit`; `startApp` resolves with the exit code and `src/main.ts` exits with it.
 */

export interface AppIo {
	readonly stdin: Readable;
	readonly stdout: Writable;
	readonly stderr: Writable;
	/** Where SIGINT/SIGTERM and unhandled rejections come from; default `process`. */
	readonly events?: NodeJS.EventEmitter;
	/** Ends the process at once (a second signal during shutdown); default `process.exit`. */
	readonly exit?: (code: number) => void;
	/** Where log lines go; default stderr (fd 2) when `stderr` is the process's, else `stderr`. */
	readonly logDestination?: DestinationStream;
	/** The console's prompt behaviour; default: whether stdin is a TTY. */
	readonly interactive?: boolean;
	/** For deterministic quotes in tests. */
	readonly random?: () => number;
	/** The command line's arguments (the local console's `--guild ID`, `--save-attachments DIR`); default none. */
	readonly args?: readonly string[];
}

export interface AppParts {
	readonly config: Config;
	readonly logger: Logger;
	readonly store: ReviewStore;
	readonly cache: Cache;
	/** Members' ratings and reviews (DATABASE_URL); it opens in the background and answers `unavailable` until then. */
	readonly members: MemberStore;
	/** The store as reloaded since (set by `startApp`); each interaction reads it when it starts, else `store`. */
	readonly live?: LiveStore<ReviewStore>;
	/** The operations endpoints (METRICS_PORT), when served: told of interactions, readiness and stops. */
	readonly ops?: Ops;
}

/** How long shutdown waits for replies under way before closing anyway. */
export const SHUTDOWN_WAIT_MS = 5000;

function line(out: Writable, text: string): void {
	out.write(`${text}\n`);
}

/** The code of a file-system error, never its message (which may carry more than the user needs). */
function errorCode(error: unknown): string {
	return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'unreadable';
}

/**
 * The log level: `LOG_LEVEL` when set. Otherwise `info` for the bot (gateway or HTTP endpoint), and `warn` for the local console,
 * whose user reads replies on the same terminal (set LOG_LEVEL=info to see one line per interaction).
 */
export function logLevelFor(env: NodeJS.ProcessEnv, config: Config): LogLevel {
	const explicit = (env['LOG_LEVEL'] ?? '').trim() !== '';
	const localConsole = config.DISCORD_TOKEN === undefined && config.HTTP_PORT === undefined;
	return explicit || !localConsole ? config.LOG_LEVEL : 'warn';
}

/**
 * Opens the review store of `dir`: the compiled file `db` (REVIEWS_DB), built first when it is missing
 * or stale (its files fingerprint is not the directory's), then opened read-only. One warning per data
 * error (`file:line: reason`), the good films kept. Fails (one clear message) only when the directory or
 * its manifest cannot be read at all (a manifest that is not a regular file, a directory or a FIFO say,
 * is as missing as an absent one), or the file cannot be written or opened.
 */
export async function loadStore(
	dir: string,
	logger: Logger,
	limits: DataLimits = {},
	db: string = reviewsDbPath(dir, undefined),
	build: Build = buildHere,
): Promise<{ ok: true; store: ReviewStore } | { ok: false; message: string }> {
	try {
		await readdir(dir);
	} catch (error) {
		return { ok: false, message: `Cannot read the data directory "${dir}" (DATA_DIR): ${errorCode(error)}.` };
	}
	const unreadable = manifestUnreadable(dir, limits);
	if (unreadable !== undefined) {
		return {
			ok: false,
			message: `The data directory "${dir}" has no readable ${MANIFEST_FILE} (${unreadable}); it lists the films to load.`,
		};
	}
	const fingerprint = await filesFingerprint(dir, limits).catch(() => undefined);
	if (!isFresh(db, fingerprint)) {
		try {
			logger.info({ db, ...(await build(dir, db, limits, fingerprint)) }, 'review store built');
		} catch (error) {
			logger.error({ err: error, db }, 'building the review store failed');
			return {
				ok: false,
				message: `Could not build the review store "${db}" (REVIEWS_DB): ${errorCode(error)}. Its directory must be writable: set REVIEWS_DB to a path in one that is.`,
			};
		}
	}
	let store: ReviewStore;
	try {
		store = ReviewStore.open(db);
	} catch (error) {
		logger.error({ err: error, db }, 'opening the review store failed');
		return { ok: false, message: `Could not open the review store "${db}" (REVIEWS_DB): ${errorCode(error)}.` };
	}
	for (const e of store.errors())
		logger.warn({ file: e.file, line: e.line, reason: e.reason }, `data error ${e.file}:${e.line}: ${e.reason}`);
	return { ok: true, store };
}

/** What the start logs and the metrics show of a store. */
function storeFacts(store: ReviewStore): StoreFacts {
	const userReviews = store.films.reduce((n, f) => n + f.userCount, 0);
	const criticReviews = store.films.reduce((n, f) => n + f.criticCount, 0);
	return { films: store.films.length, userReviews, criticReviews, version: store.version };
}

/** The start's one line on the store it opened (a reload logs its own: `src/reload.ts`). */
function logStoreLoaded(store: ReviewStore, fields: { dir: string; db: string }, logger: Logger): void {
	const { films, userReviews, criticReviews, version } = storeFacts(store);
	const all = { ...fields, films, userReviews, criticReviews, errors: store.errors().length, version };
	if (store.films.length === 0) logger.warn(all, 'no films loaded; every command will answer that it knows no film');
	else logger.info(all, 'store loaded');
}

/** Builds the review store file `db` from `dir`; resolves with what to log of it, rejects when no file was built. */
type Build = (dir: string, db: string, limits: DataLimits, fingerprint: string | undefined) => Promise<Record<string, number | string>>;

/** At start, in this process: nothing is being answered yet. */
const buildHere: Build = async (dir, db, limits, fingerprint) => {
	const built = await buildReviewsDb(dir, db, limits, fingerprint);
	return { parsed: built.parsed, reused: built.reused, kept: built.kept, ms: Math.round(built.ms) };
};

/**
 * For a reload, in a child process (`npm run data:build`): the bot goes on answering from the old file
 * meanwhile (better-sqlite3 and the parsers are synchronous, so a build here would hold every reply up
 * for seconds), and the build's memory (the whole library at once) is the child's, returned when it exits.
 */
const buildInChild: Build = (dir, db, limits) =>
	new Promise((resolve, reject) => {
		const started = performance.now();
		const { file, execArgv } = scriptArgs('cli/data-build');
		const env = { ...process.env, REVIEWS_DB: db, MAX_PAGE_MB: String(limits.maxPageMb ?? DEFAULT_MAX_PAGE_MB) };
		const child = spawn(process.execPath, [...execArgv, file, '--data', dir], { env, stdio: 'ignore' });
		child.once('error', reject);
		child.once('exit', (code, signal) => {
			// 0: built; 1: built, with data errors (logged when the file is opened).
			if (code === 0 || code === 1) resolve({ in: 'child process', ms: Math.round(performance.now() - started) });
			else reject(new Error(`the build process exited with ${signal ?? `code ${code}`}`));
		});
	});

/** Config and logger; on bad config, prints one line per problem to `io.stderr` and gives undefined. */
function configure(env: NodeJS.ProcessEnv, io: AppIo): { config: Config; logger: Logger } | undefined {
	const loaded = loadConfig(env);
	if (!loaded.ok) {
		io.stderr.write(configProblems('Marquee cannot start: the configuration has problems.', loaded.errors));
		return undefined;
	}
	const config = loaded.config;
	const destination = io.logDestination ?? (io.stderr === process.stderr ? undefined : io.stderr);
	const base = createLogger(logLevelFor(env, config), destination, config.LOG_FORMAT);
	// Under the ShardingManager every shard logs to the same stderr: say which shard a line is from.
	const shards = (env['SHARDS'] ?? '').trim();
	const logger = env['SHARDING_MANAGER'] !== undefined && shards !== '' ? base.child({ shard: shards }) : base;
	return { config, logger };
}

/**
 * The cache (its lookups counted by the metrics, when served), the review store, then the member store. On
 * unreadable data, prints to `io.stderr` and gives undefined. A member database that is down is no reason not
 * to start: the member store retries in the background and answers `unavailable` meanwhile.
 */
async function openParts(config: Config, logger: Logger, io: AppIo, ops?: Ops): Promise<AppParts | undefined> {
	const cache = await openCache(config.CACHE_URL, {
		ttlMs: config.CACHE_TTL_SECONDS * 1000,
		waitMs: config.CACHE_WAIT_MS,
		logger,
		...(ops ? { onResult: ops.metrics.cacheResult } : {}),
	});
	logger.debug({ cache: cache.kind }, 'cache opened');
	const store = await openStore(config, logger);
	if (!store.ok) {
		await cache.close();
		line(io.stderr, store.message);
		return undefined;
	}
	logStoreLoaded(store.store, { dir: config.DATA_DIR, db: reviewsDbPath(config.DATA_DIR, config.REVIEWS_DB) }, logger);
	const members = openMemberStore(databaseTarget(config.DATA_DIR, config.DATABASE_URL), { logger });
	logger.debug({ database: members.kind }, 'member store opening');
	return { config, logger, store: store.store, cache, members };
}

/**
 * Config, logger, store and cache. On bad config or unreadable data, prints to `io.stderr` and
 * resolves `{ ok: false, exitCode: 1 }`.
 */
export async function prepareApp(
	env: NodeJS.ProcessEnv,
	io: AppIo,
): Promise<{ ok: true; parts: AppParts } | { ok: false; exitCode: number }> {
	const configured = configure(env, io);
	const parts = configured && (await openParts(configured.config, configured.logger, io));
	return parts === undefined ? { ok: false, exitCode: 1 } : { ok: true, parts };
}

/** Where signals come from and how to exit at once: the process's own unless `io` says otherwise (tests). */
function processOf(io: AppIo): { events: NodeJS.EventEmitter; exit: (code: number) => void } {
	return { events: io.events ?? process, exit: io.exit ?? ((code: number) => process.exit(code)) };
}

function depsOf(parts: AppParts, io: AppIo): Deps {
	const { live } = parts;
	return {
		get store() {
			return live?.current ?? parts.store;
		},
		cache: parts.cache,
		logger: parts.logger,
		members: parts.members,
		...(io.random ? { random: io.random } : {}),
		...(parts.ops ? { observe: parts.ops.metrics.interaction } : {}),
	};
}

/** A store with the counts live reload logs. */
function served(store: ReviewStore): Served<ReviewStore> {
	return { store, films: store.films.length, errors: store.errors().length };
}

/** The review store of `config`: built from the data directory when missing or stale, then opened. */
function openStore(config: Config, logger: Logger, build?: Build): ReturnType<typeof loadStore> {
	return loadStore(config.DATA_DIR, logger, { maxPageMb: config.MAX_PAGE_MB }, reviewsDbPath(config.DATA_DIR, config.REVIEWS_DB), build);
}

/** What a live reload runs: the start's load again (an incremental build, in a child process, then a new read-only open). */
async function reloadStore(parts: AppParts): Promise<Loaded<ReviewStore>> {
	const loaded = await openStore(parts.config, parts.logger, buildInChild);
	return loaded.ok ? { ok: true, ...served(loaded.store) } : loaded;
}

/** Waits for every promise in `inFlight` (including ones added meanwhile), at most `ms`. True if all settled. */
export async function drain(inFlight: ReadonlySet<Promise<unknown>>, ms: number): Promise<boolean> {
	const deadline = Date.now() + ms;
	while (inFlight.size > 0) {
		const left = deadline - Date.now();
		if (left <= 0) return false;
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<'timeout'>((resolve) => {
			timer = setTimeout(() => resolve('timeout'), left);
		});
		const result = await Promise.race([Promise.allSettled([...inFlight]).then(() => 'done' as const), timeout]);
		clearTimeout(timer);
		if (result === 'timeout') return false;
	}
	return true;
}

/** The local console over the same dispatch; resolves 0 when the input ends, `/quit` or a signal. */
export async function runLocalConsole(parts: AppParts, io: AppIo): Promise<number> {
	const where = consoleArgs(io.args ?? []);
	if ('error' in where) {
		line(io.stderr, where.error);
		return 1;
	}
	line(io.stderr, 'No DISCORD_TOKEN set: opening the local console (type /help).');
	// A signal ends the console like the end of input: the line being answered finishes first.
	const stop = new AbortController();
	const off = onStopRequest(parts, io, () => stop.abort());
	parts.ops?.readiness.set('ready');
	try {
		await runConsole(
			depsOf(parts, io),
			{ input: io.stdin, output: io.stdout, ...(io.interactive === undefined ? {} : { interactive: io.interactive }) },
			{ signal: stop.signal, guildId: where.guildId, saveAttachments: where.saveAttachments, locale: where.locale },
		);
	} finally {
		off();
	}
	return 0;
}

export interface Running {
	/** Resolves with the exit code once the transport has shut down (after a stop request, or a failed start). */
	readonly done: Promise<number>;
}

/**
 * Calls `stop` at the first stop request: SIGINT/SIGTERM (a second one exits at once, see `onSignals`),
 * or the IPC message the sharding manager sends each shard under `npm run start:sharded` (a terminal's
 * Ctrl-C also reaches the shards directly; the message then adds nothing, where a second signal would
 * cut the wait for replies short). `stop` may be called more than once. From then on the process is not
 * ready (GET /readyz). Returns the listeners' remover.
 */
function onStopRequest(parts: AppParts, io: AppIo, stop: () => void): () => void {
	const { logger, ops } = parts;
	const { events, exit } = processOf(io);
	const stopping = (): void => {
		ops?.readiness.set('stopping');
		stop();
	};
	const offSignals = onSignals(events, logger, exit, stopping);
	const onMessage = (message: unknown): void => {
		if (!isShutdownMessage(message)) return;
		logger.info('shutdown requested by the sharding manager');
		stopping();
	};
	events.on('message', onMessage);
	return () => {
		offSignals();
		events.off('message', onMessage);
	};
}

/** A transport being served: its replies under way, and how it stops taking new ones and closes. */
interface Serving {
	/** For the log lines of its shutdown. */
	readonly name: string;
	readonly inFlight: ReadonlySet<Promise<unknown>>;
	/** No new interactions from now on. */
	stopTaking(): void;
	/** After the replies under way (or the wait for them) are over. */
	close(): Promise<void>;
}

/**
 * Serves `serving` until the first stop request, then stops taking interactions, waits for the replies
 * under way (at most SHUTDOWN_WAIT_MS), closes it, and resolves `done` with 0. `stop(code)` does the
 * same at once (a failed start) and resolves `done` with `code`; `stopping()` says whether either began.
 */
function serveUntilStopped(
	parts: AppParts,
	io: AppIo,
	serving: Serving,
): Running & { stop(code: number): Promise<void>; stopping(): boolean } {
	const { logger } = parts;
	let resolveDone: (code: number) => void = () => {};
	const done = new Promise<number>((resolve) => {
		resolveDone = resolve;
	});
	let shuttingDown: Promise<void> | undefined;
	const shutdown = (): Promise<void> => {
		shuttingDown ??= (async () => {
			serving.stopTaking();
			const pending = serving.inFlight.size;
			const settled = await drain(serving.inFlight, SHUTDOWN_WAIT_MS);
			if (!settled)
				logger.warn(
					{ pending: serving.inFlight.size, transport: serving.name },
					`replies still under way after ${SHUTDOWN_WAIT_MS} ms; closing anyway`,
				);
			else if (pending > 0) logger.info({ pending, transport: serving.name }, 'replies under way finished');
			await serving.close();
			logger.info({ transport: serving.name }, 'shut down');
		})();
		return shuttingDown;
	};
	const stop = async (code: number): Promise<void> => {
		await shutdown();
		off();
		resolveDone(code);
	};
	const off = onStopRequest(parts, io, () => void stop(0));
	return { done, stop, stopping: () => shuttingDown !== undefined };
}

/** Logs in to Discord and answers interactions until a stop request. */
export async function startBot(parts: AppParts, io: AppIo, token: string): Promise<Running> {
	const { config, logger } = parts;
	// discord.js is imported only here, for the gateway: it is most of the start-up's imports (about
	// 400 ms), which the local console and the HTTP endpoint do not need.
	const [{ Events }, { attachDispatcher, createClient, gatewayCheck }] = await Promise.all([
		import('discord.js'),
		import('./discord/gateway.js'),
	]);
	const client = createClient(config);
	parts.ops?.readiness.check('gateway', () => gatewayCheck(client));
	const inFlight = new Set<Promise<void>>();
	attachDispatcher(client, depsOf(parts, io), inFlight);
	const serving = serveUntilStopped(parts, io, {
		name: 'gateway',
		inFlight,
		// The interactions Discord sends from now on go unanswered (it shows the user a failure).
		stopTaking: () => client.removeAllListeners(Events.InteractionCreate),
		close: () => client.destroy().catch((error: unknown) => logger.warn({ err: error }, 'client destroy failed')),
	});
	client.once(Events.ClientReady, (ready) => {
		logger.info(
			{ user: ready.user.tag, id: ready.user.id, guilds: ready.guilds.cache.size, shards: [...ready.ws.shards.keys()] },
			'clientReady',
		);
	});
	client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
	client.on(Events.Warn, (message) => logger.warn({ discord: message }, 'discord client warning'));
	client.on(Events.ShardDisconnect, (event, shardId) => logger.warn({ shardId, code: event.code }, 'shard disconnected'));
	client.on(Events.ShardReconnecting, (shardId) => {
		if (!serving.stopping()) logger.info({ shardId }, 'shard reconnecting');
	});
	try {
		await client.login(token);
	} catch (error) {
		const code = error instanceof Error && 'code' in error ? String(error.code) : undefined;
		logger.error({ err: error }, 'login failed');
		line(
			io.stderr,
			code === 'TokenInvalid'
				? 'Discord refused the token (DISCORD_TOKEN is invalid).'
				: `Could not log in to Discord${code === undefined ? '' : ` (${code})`}; see the log.`,
		);
		await serving.stop(1);
	}
	return { done: serving.done };
}

/**
 * Serves the HTTP interactions endpoint on `port` until a stop request, then stops taking requests,
 * waits for the answers under way and resolves `done` with 0. The cache is closed by the caller.
 */
export async function startHttp(parts: AppParts, io: AppIo, port: number, publicKey: string): Promise<Running & { port: number }> {
	const inFlight = new Set<Promise<void>>();
	const server = createInteractionsServer(publicKey, depsOf(parts, io), inFlight);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, () => resolve());
	});
	const address = server.address();
	const bound = typeof address === 'object' && address !== null ? address.port : port;
	parts.logger.info({ port: bound }, 'HTTP interactions endpoint listening on POST /interactions');
	parts.ops?.readiness.check('http', () => ({
		ok: server.listening,
		detail: server.listening ? `serving POST /interactions on port ${bound}` : 'closed',
	}));
	// server.close() stops accepting connections at once; its callback would wait for idle keep-alive ones too.
	const serving = serveUntilStopped(parts, io, {
		name: 'HTTP endpoint',
		inFlight,
		stopTaking: () => server.close(),
		close: () => Promise.resolve(),
	});
	return { port: bound, done: serving.done };
}

/** The operations endpoints when METRICS_PORT is set; on a port it cannot serve, prints why to `io.stderr`. */
async function openOps(config: Config, env: NodeJS.ProcessEnv, logger: Logger, io: AppIo): Promise<Ops | undefined | 'failed'> {
	if (config.METRICS_PORT === undefined) return undefined;
	const port = opsPort(config.METRICS_PORT, env);
	if (port === undefined) {
		line(io.stderr, `METRICS_PORT ${config.METRICS_PORT} plus this shard's id (${env['SHARDS']}) passes 65535: set a lower METRICS_PORT.`);
		return 'failed';
	}
	try {
		return await startOps(port, logger);
	} catch (error) {
		logger.error({ err: error, port }, 'the operations endpoints could not listen');
		line(io.stderr, `Cannot serve the operations endpoints on port ${port} (METRICS_PORT): ${errorCode(error)}.`);
		return 'failed';
	}
}

/** What GET /readyz and the store gauges read of the running parts. */
function watchParts(ops: Ops, live: LiveStore<ReviewStore>, cache: Cache, members: MemberStore): void {
	ops.metrics.storeFrom(() => storeFacts(live.current));
	ops.readiness.check('store', () => ({ ok: true, detail: `open, version ${live.current.version}, ${live.current.films.length} films` }));
	// A failing cache is no reason to stop sending the bot traffic: it answers uncached meanwhile.
	ops.readiness.check('cache', () => ({ ok: true, detail: `${cache.kind}${cache.stats.degraded ? ', failing: answering uncached' : ''}` }));
	// Nor is the member database: reviews are served without it, and /rate says ratings can't be saved meanwhile.
	ops.readiness.check('members', () => ({
		ok: true,
		detail: `${members.kind}${members.available() ? ', available' : ', unavailable: ratings cannot be saved'}`,
	}));
}

/**
 * The whole start-up. Resolves with the process's exit code: 1 for bad config or data, 0 after the
 * console's input ends or after a signal shut the bot down cleanly. With METRICS_PORT the operations
 * endpoints are served from the first step to the last (GET /readyz: 503 until ready and once stopping).
 */
export async function startApp(env: NodeJS.ProcessEnv, io: AppIo): Promise<number> {
	const configured = configure(env, io);
	if (configured === undefined) return 1;
	const ops = await openOps(configured.config, env, configured.logger, io);
	if (ops === 'failed') return 1;
	try {
		return await runApp(configured.config, configured.logger, ops, io);
	} finally {
		await ops?.close();
	}
}

/** `startApp` once the operations endpoints (if any) are up. */
async function runApp(config: Config, logger: Logger, ops: Ops | undefined, io: AppIo): Promise<number> {
	const { events, exit } = processOf(io);
	// A signal while the cache opens and the data loads stops the start once that step is done (a
	// second one, later than SIGNAL_REPEAT_MS, exits at once): nothing is being answered yet.
	let stopRequested = false;
	const offStarting = onSignals(
		events,
		logger,
		exit,
		() => {
			stopRequested = true;
			ops?.readiness.set('stopping');
		},
		'stopping before the bot has started',
	);
	const opened = await openParts(config, logger, io, ops).finally(offStarting);
	if (opened === undefined) return 1;
	const parts: AppParts = ops ? { ...opened, ops } : opened;
	if (stopRequested) {
		await parts.cache.close();
		await parts.members.close();
		parts.store.close();
		parts.logger.info('stopped before starting');
		return 0;
	}
	const onRejection = (reason: unknown): void => {
		parts.logger.error({ err: reason }, 'unhandled promise rejection');
	};
	events.on('unhandledRejection', onRejection);
	// Live reload: every process watches the data directory itself (and reloads on SIGHUP).
	const live = new LiveStore(served(parts.store), () => reloadStore(parts), parts.logger, ops?.metrics.reload);
	const stopReloading = startLiveReload(live, parts.config.DATA_DIR, events, parts.logger);
	const running: AppParts = { ...parts, live };
	if (ops) watchParts(ops, live, parts.cache, parts.members);
	try {
		const { DISCORD_TOKEN: token, HTTP_PORT: port, DISCORD_PUBLIC_KEY: publicKey } = parts.config;
		const http = port !== undefined && publicKey !== undefined ? await startHttp(running, io, port, publicKey) : undefined;
		const bot = token === undefined ? undefined : await startBot(running, io, token);
		if (http === undefined && bot === undefined) return await runLocalConsole(running, io);
		ops?.readiness.set('ready');
		return Math.max((await bot?.done) ?? 0, (await http?.done) ?? 0);
	} finally {
		events.off('unhandledRejection', onRejection);
		// The one place the stores and the cache are closed: after every transport has finished its replies,
		// and after the reload under way (the stores, the one served and any replaced one still open, go with `live`).
		stopReloading();
		await live.close();
		await parts.cache.close();
		await parts.members.close();
	}
}
