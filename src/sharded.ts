/**
 * `npm run start:sharded`: runs the bot's main once per shard under discord.js's ShardingManager.
 *
 * - Shard count: SHARD_COUNT, or Discord's recommendation (`GET /gateway/bot`) when it is unset or
 *   "auto". discord.js's own `fetchRecommendedShardCount` always asks https://discord.com, so the
 *   manager asks itself, through a REST client on DISCORD_API_BASE when that is set, and hands the
 *   ShardingManager a number.
 * - Each shard is `node dist/src/main.js` (from the build; `node --import tsx src/main.ts` when this file runs
 *   under tsx) with SHARDS / SHARD_COUNT / SHARDING_MANAGER in its
 *   environment (set by discord.js's Shard); the discord.js Client reads those in its constructor, so
 *   main.ts needs nothing special.
 * - SIGINT/SIGTERM: no more respawns; each shard is asked over IPC to shut down (finish its replies,
 *   close its cache) and is signalled if it has not exited in time; exit 0 once all have exited.
 *   A second signal kills the shards and exits at once; one within SIGNAL_REPEAT_MS of the first is the same
 *   request delivered twice (Ctrl-C reaches npm or the tsx CLI and this process, and they may relay it) and is ignored.
 * - SIGHUP is passed on to every shard, which reloads the data (each also watches the data directory itself).
 * - METRICS_PORT: each shard serves its operations endpoints on METRICS_PORT + its shard id (`src/ops/server.ts`);
 *   the manager serves none.
 */
import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { REST, Routes, type Shard, ShardingManager } from 'discord.js';
import { z } from 'zod';
import { configProblems, loadConfig } from './config.js';
import { createLogger, type Logger } from './log.js';
import { loadLocalEnv } from './env-file.js';
import { isMain } from './is-main.js';
import { scriptArgs } from './script.js';
import { SHUTDOWN_MESSAGE } from './shard-message.js';
import { onSignals } from './signals.js';

const GatewayBot = z.object({ shards: z.number().int().positive() }).loose();

/** How long a shard gets to shut down after the IPC request before it is sent SIGTERM, then SIGKILL. */
export const SHARD_STOP_MS = 10_000;

/** Discord's recommended shard count, from `GET /gateway/bot` on `apiBase` (default discord.com). */
export async function recommendedShardCount(token: string, apiBase?: string): Promise<number> {
	const rest = new REST({ version: '10', ...(apiBase === undefined ? {} : { api: apiBase }) }).setToken(token);
	const parsed = GatewayBot.safeParse(await rest.get(Routes.gatewayBot()));
	if (!parsed.success) throw new Error('GET /gateway/bot answered without a positive shard count');
	return parsed.data.shards;
}

export interface ShardedIo {
	readonly stderr: Writable;
	/** Where SIGINT/SIGTERM come from; default `process`. */
	readonly events?: NodeJS.EventEmitter;
	/** Immediate exit on a second signal; default `process.exit`. */
	readonly exit?: (code: number) => void;
	/** The script each shard runs; default the main.js beside this file when built, else src/main.ts. */
	readonly file?: string;
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

function sleep(ms: number): Promise<'timeout'> {
	return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
}

/** Stops one shard: IPC request, then SIGTERM, then SIGKILL, each after a bounded wait. */
async function stopShard(shard: Shard, logger: Logger): Promise<void> {
	const child = shard.process;
	if (!child) return;
	const gone = exited(child);
	if (child.connected)
		child.send(SHUTDOWN_MESSAGE, (error) => error && logger.debug({ shard: shard.id }, 'shutdown message not delivered'));
	else child.kill('SIGTERM');
	if ((await Promise.race([gone, sleep(SHARD_STOP_MS)])) !== 'timeout') return;
	logger.warn({ shard: shard.id }, 'shard did not stop in time; sending SIGTERM');
	child.kill('SIGTERM');
	if ((await Promise.race([gone, sleep(3000)])) !== 'timeout') return;
	child.kill('SIGKILL');
	await gone;
}

/** Runs the sharded bot; resolves with the exit code (0 after a signal once every shard has exited). */
export async function startSharded(env: NodeJS.ProcessEnv, io: ShardedIo): Promise<number> {
	const say = (text: string): void => {
		io.stderr.write(`${text}\n`);
	};
	const loaded = loadConfig(env);
	if (!loaded.ok) {
		io.stderr.write(configProblems('Marquee cannot start: the configuration has problems.', loaded.errors));
		return 1;
	}
	const config = loaded.config;
	const token = config.DISCORD_TOKEN;
	if (token === undefined) {
		say('Sharded mode needs DISCORD_TOKEN (and DISCORD_APPLICATION_ID). For the local console, use npm start without a token.');
		return 1;
	}
	const logger = createLogger(config.LOG_LEVEL, undefined, config.LOG_FORMAT);
	const events = io.events ?? process;
	const exit = io.exit ?? ((code: number) => process.exit(code));

	let totalShards: number;
	if (typeof config.SHARD_COUNT === 'number') {
		totalShards = config.SHARD_COUNT;
	} else {
		try {
			totalShards = await recommendedShardCount(token, config.DISCORD_API_BASE);
		} catch (error) {
			logger.error({ err: error }, 'could not fetch the recommended shard count');
			say('Could not ask Discord for the recommended shard count (check DISCORD_TOKEN, or set SHARD_COUNT).');
			return 1;
		}
	}

	const main = scriptArgs('main');
	const file = io.file ?? main.file;
	const manager = new ShardingManager(file, {
		totalShards,
		token,
		mode: 'process',
		respawn: true,
		execArgv: main.execArgv,
	});
	let stopping = false;
	let spawnSettled = false;
	manager.on('shardCreate', (shard) => {
		logger.info({ shard: shard.id, totalShards }, 'shard starting');
		shard.on('death', (child) => {
			const code = 'exitCode' in child ? child.exitCode : null;
			if (!stopping) logger.warn({ shard: shard.id, code }, manager.respawn ? 'shard exited; respawning' : 'shard exited');
		});
		shard.on('ready', () => logger.info({ shard: shard.id }, 'shard ready'));
	});

	let resolveStopped: (code: number) => void = () => {};
	const stopped = new Promise<number>((resolve) => {
		resolveStopped = resolve;
	});
	let stoppingAll: Promise<void> | undefined;
	const stopAll = (code: number): Promise<void> => {
		stoppingAll ??= (async () => {
			manager.respawn = false;
			// A spawn still under way may start another shard after this began: loop until none is left.
			for (;;) {
				await Promise.all([...manager.shards.values()].map((shard) => stopShard(shard, logger)));
				if (spawnSettled && [...manager.shards.values()].every((shard) => shard.process === null)) break;
				await sleep(200);
			}
			logger.info('all shards stopped');
			resolveStopped(code);
		})();
		return stoppingAll;
	};
	const killAll = (): void => {
		manager.respawn = false;
		for (const shard of manager.shards.values()) shard.process?.kill('SIGKILL');
	};
	const offSignals = onSignals(
		events,
		logger,
		(code) => {
			killAll();
			exit(code);
		},
		() => {
			// Already stopping after a failed start: a signal now means "stop waiting".
			if (stopping) {
				killAll();
				exit(1);
				return;
			}
			stopping = true;
			void stopAll(0);
		},
		'stopping the shards',
	);

	const onHangup = (): void => {
		logger.info({ signal: 'SIGHUP' }, 'asking every shard to reload the data');
		for (const shard of manager.shards.values()) shard.process?.kill('SIGHUP');
	};
	events.on('SIGHUP', onHangup);

	try {
		await manager.spawn({ amount: totalShards, timeout: 60_000 });
		spawnSettled = true;
		logger.info({ totalShards }, 'every shard is ready');
	} catch (error) {
		spawnSettled = true;
		if (!stopping) {
			stopping = true;
			logger.error({ err: error }, 'a shard failed to start');
			say('A shard failed to start (see the log); stopping the others.');
			void stopAll(1);
		}
	}
	const code = await stopped;
	offSignals();
	events.off('SIGHUP', onHangup);
	return code;
}

if (isMain(import.meta.url)) {
	loadLocalEnv();
	const code = await startSharded(process.env, { stderr: process.stderr });
	process.exit(code);
}
