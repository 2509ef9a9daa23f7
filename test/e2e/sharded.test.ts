// Scenario 6: `npm run start:sharded` (src/sharded.ts, discord.js's ShardingManager) against the fake Discord, two
// shard processes sharing one real Redis cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommands } from '../../src/deploy.js';
import { type FakeDiscordServer, type InteractionRecord, startFakeDiscord } from '../fake-discord/index.js';
import {
	descendantPids,
	groupPids,
	hasRedisServer,
	isRunning,
	type LogLine,
	type Manager,
	processCommand,
	processEnv,
	type Redis,
	startManager,
	startRedis,
	until,
} from './sharded-harness.js';
import { expectEmbedReply, expectHandlerReply, seedStore } from './harness.js';

const hasRedis = hasRedisServer();
if (!hasRedis) {
	console.warn(
		'redis-server is not on PATH: skipping scenario 6 (sharded bot, shared Redis cache); apt-get install -y redis-server to run it',
	);
}

/** Start-up of three tsx processes (manager + 2 shards) takes a few seconds on 2 cores; bounded but generous. */
const START_MS = 30_000;
/** The manager must be gone this soon after SIGTERM. */
const STOP_MS = 8_000;

let redis: Redis | undefined;
const fakes: FakeDiscordServer[] = [];
const managers: Manager[] = [];

async function fakeWithCommands(shards: number): Promise<FakeDiscordServer> {
	const fake = await startFakeDiscord({ shards });
	fakes.push(fake);
	await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.apiBase });
	return fake;
}

function launch(fake: FakeDiscordServer, via: 'tsx' | 'node', extra: Record<string, string> = {}): Manager {
	if (!redis) throw new Error('redis is not running');
	const manager = startManager(
		{
			DISCORD_TOKEN: fake.token,
			DISCORD_APPLICATION_ID: fake.applicationId,
			DISCORD_API_BASE: fake.apiBase,
			CACHE_URL: redis.url,
			// Shard 1's answers are asserted to be hits from shard 0's work: wait for Redis however busy the machine.
			CACHE_WAIT_MS: '2000',
			DATA_DIR: 'data',
			LOG_LEVEL: 'info',
			...extra,
		},
		via,
	);
	managers.push(manager);
	return manager;
}

const isInteraction = (command: string) => (line: LogLine) => line['msg'] === 'interaction' && line['command'] === command;

/** Every interaction log line of `command` so far (shards log their id as the SHARDS string: '0', '1'). */
function interactionLines(manager: Manager, command: string): LogLine[] {
	return manager.logs().filter(isInteraction(command));
}

/** Waits for both shards: READY on the fake, and clientReady logged by two shard processes; returns shard id → pid. */
async function bothShardsUp(fake: FakeDiscordServer, manager: Manager): Promise<Map<string, number>> {
	await fake.waitForReady(2, START_MS);
	const ready = await manager.waitForLogs((l) => l['msg'] === 'clientReady', 2, 'clientReady from 2 shards', START_MS);
	expect(ready.map((l) => l['shard']).sort()).toEqual(['0', '1']);
	expect(ready.map((l) => l['shards'])).toEqual(expect.arrayContaining([[0], [1]]));
	// The cache each shard opened is the redis one (a failed open would fall back to memory with a warning).
	expect(manager.logs().filter((l) => l['cache'] !== undefined && l['level'] === 40)).toEqual([]);
	// Two shard processes (node running dist/src/main.js, or src/main.ts under tsx), forked by the manager, each with
	// its own SHARDS (other descendants may be tsx's esbuild services, and the node process the tsx CLI runs).
	const pids = descendantPids(manager.pid).filter(
		(pid) => processEnv(pid, 'SHARDING_MANAGER') !== undefined && /(dist\/src\/main\.js|src\/main\.ts)$/.test(processCommand(pid)),
	);
	expect(pids).toHaveLength(2);
	const byShard = new Map<string, number>();
	for (const pid of pids) byShard.set(processEnv(pid, 'SHARDS') ?? '?', pid);
	expect([...byShard.keys()].sort()).toEqual(['0', '1']);
	for (const pid of pids) expect(processEnv(pid, 'SHARD_COUNT')).toBe('2');
	return byShard;
}

/**
 * A fake Discord recommending `recommended` shards, with the commands registered and two guilds, and a manager
 * `launch`ed on it; resolves once both shards are up, each started as one of 2.
 */
async function twoShardsUp(recommended: number, via: 'tsx' | 'node', extra: Record<string, string> = {}) {
	const fake = await fakeWithCommands(recommended);
	const [guild0, guild1] = fake.guilds;
	if (!guild0 || !guild1) throw new Error('the fake has fewer than 2 guilds');
	const manager = launch(fake, via, extra);
	const byShard = await bothShardsUp(fake, manager);
	expect(
		manager
			.logs()
			.filter((l) => l['msg'] === 'shard starting')
			.map((l) => l['totalShards']),
	).toEqual([2, 2]);
	return { fake, guild0, guild1, manager, byShard };
}

/** The shard the fake dispatched interaction `record` on (from its gateway log: the INTERACTION_CREATE sent at dispatch). */
function dispatchedOn(fake: FakeDiscordServer, record: InteractionRecord): number | undefined {
	const sent = fake.gatewayLog.filter((e) => e.direction === 'out' && e.t === 'INTERACTION_CREATE' && e.at >= record.dispatchedAt);
	return sent[0]?.shard?.[0];
}

/** `stop()` (signals), then: exit 0 within STOP_MS, every shard shut down cleanly, no process of the group left. */
async function expectCleanStop(manager: Manager, shardPids: readonly number[], stop: () => void, { byManager = true } = {}): Promise<void> {
	const started = Date.now();
	stop();
	const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_MS).unref());
	const result = await Promise.race([manager.exited, timeout]);
	if (result === 'timeout')
		throw new Error(`the manager did not exit within ${STOP_MS} ms of the signal; stderr:\n${manager.stderr().slice(-4000)}`);
	expect(result, manager.stderr().slice(-4000)).toEqual([0, null]);
	expect(Date.now() - started).toBeLessThan(STOP_MS);
	await until(
		() => shardPids.every((pid) => !isRunning(pid)) && groupPids(manager.pid).length === 0,
		'the shard processes to be gone',
		2000,
	);
	const logs = manager.logs();
	// A signal to the manager alone reaches the shards as its IPC request; a terminal's Ctrl-C reaches each shard
	// itself as well, and a shard may be done before the manager's request arrives.
	if (byManager)
		expect(
			logs
				.filter((l) => l['msg'] === 'shutdown requested by the sharding manager')
				.map((l) => l['shard'])
				.sort(),
		).toEqual(['0', '1']);
	expect(
		logs
			.filter((l) => l['msg'] === 'shut down')
			.map((l) => l['shard'])
			.sort(),
	).toEqual(['0', '1']);
	expect(logs.some((l) => l['msg'] === 'all shards stopped')).toBe(true);
	// A clean stop: no respawn, no error, no warning from anyone.
	expect(logs.filter((l) => typeof l['level'] === 'number' && l['level'] >= 40)).toEqual([]);
}

beforeAll(async () => {
	if (hasRedis) redis = await startRedis();
});

afterAll(async () => {
	await Promise.all(managers.map(async (m) => m.kill()));
	await Promise.all(fakes.map(async (f) => f.close()));
	await redis?.stop();
});

describe.skipIf(!hasRedis)('scenario 6: sharded, shared Redis cache', () => {
	it(
		'the recommended 2 shards run as 2 processes, answer their own guilds and share one Redis cache; SIGTERM stops all',
		{ timeout: 45_000 },
		async () => {
			// `tsx src/sharded.ts` (the shards run under tsx); no SHARD_COUNT: the manager asks GET /gateway/bot.
			const { fake, guild0, guild1, manager, byShard } = await twoShardsUp(2, 'tsx');
			expect(fake.requests.some((r) => r.method === 'GET' && r.path.endsWith('/gateway/bot'))).toBe(true);

			// /reviews Pusher II in the guild of shard 0, then of shard 1.
			const first = await fake.slash('reviews', { film: 'Pusher II' }, { guildId: guild0.id, user: 'alice' });
			const second = await fake.slash('reviews', { film: 'Pusher II' }, { guildId: guild1.id, user: 'bob' });
			const store = await seedStore();
			for (const r of [first, second]) {
				expect(r.responses[0]?.type).toBe(4);
				await expectHandlerReply(r, store);
				expect(r.message.guild_id).toBe(r === first ? guild0.id : guild1.id);
			}
			expect(second.message.embeds).toEqual(first.message.embeds);
			expect(dispatchedOn(fake, first)).toBe(0);
			expect(dispatchedOn(fake, second)).toBe(1);
			const reviews = await manager.waitForLogs(isInteraction('reviews'), 2, '2 /reviews interaction lines');
			// Answered by the shard that owns the guild, in another process: shard 0 computed and stored it (miss),
			// shard 1 found both the title lookup and the embed in Redis (hit).
			expect(reviews.map((l) => [l['shard'], l['cache'], l['failed']])).toEqual([
				['0', 'miss', false],
				['1', 'hit', false],
			]);
			expect(byShard.get('0')).not.toBe(byShard.get('1'));
			// Redis itself holds the entry (not a per-process memory cache): the one rendered page both shards served.
			expect(Number(redis!.cli('DBSIZE'))).toBe(1);

			// /quote random twice in one channel, from the two shards: the second process reads the first one's
			// last quote for that channel from Redis and picks another.
			const quote1 = await fake.slash('quote', {}, { subcommand: 'random', guildId: guild0.id, channelId: guild0.channelId });
			const lastKeys = redis!
				.cli('--scan', '--pattern', `*quote:last:${guild0.channelId}*`)
				.split('\n')
				.filter((k) => k !== '');
			expect(lastKeys).toHaveLength(1);
			const lastAfterFirst = redis!.cli('GET', lastKeys[0]!);
			expect(lastAfterFirst).not.toBe('');
			const quote2 = await fake.slash('quote', {}, { subcommand: 'random', guildId: guild1.id, channelId: guild0.channelId });
			const lastAfterSecond = redis!.cli('GET', lastKeys[0]!);
			expect(dispatchedOn(fake, quote1)).toBe(0);
			expect(dispatchedOn(fake, quote2)).toBe(1);
			for (const q of [quote1, quote2]) expectEmbedReply(q);
			expect(quote2.message.embeds).not.toEqual(quote1.message.embeds);
			expect(lastAfterSecond).not.toBe(lastAfterFirst);
			const quotes = await manager.waitForLogs(isInteraction('quote'), 2, '2 /quote interaction lines');
			expect(quotes.map((l) => [l['shard'], l['failed']])).toEqual([
				['0', false],
				['1', false],
			]);
			expect(interactionLines(manager, 'reviews')).toHaveLength(2);

			// SIGTERM to the tsx CLI, which relays it to the manager.
			await expectCleanStop(manager, [...byShard.values()], () => manager.proc.kill('SIGTERM'));
			fake.assertNoViolations();
		},
	);

	it(
		'SHARD_COUNT=2 overrides the recommendation (1): 2 shard processes sharing the Redis cache; Ctrl-C stops all once',
		{ timeout: 45_000 },
		async () => {
			// The build, as `npm run start:sharded` runs it.
			const { fake, guild0, guild1, manager, byShard } = await twoShardsUp(1, 'node', { SHARD_COUNT: '2' });

			// Shard 0 hits what the first run stored (a miss when this test runs alone); shard 1 hits either way.
			const first = await fake.slash('reviews', { film: 'Pusher II' }, { guildId: guild0.id });
			const second = await fake.slash('reviews', { film: 'Pusher II' }, { guildId: guild1.id });
			const store = await seedStore();
			for (const r of [first, second]) await expectHandlerReply(r, store);
			expect([dispatchedOn(fake, first), dispatchedOn(fake, second)]).toEqual([0, 1]);
			const lines = await manager.waitForLogs(isInteraction('reviews'), 2, '2 /reviews interaction lines');
			expect(lines.map((l) => l['shard'])).toEqual(['0', '1']);
			expect(['hit', 'miss']).toContain(lines[0]?.['cache']);
			expect(lines[1]?.['cache']).toBe('hit');

			// Ctrl-C in a terminal: SIGINT to the whole process group (manager and shards), and the same SIGINT again a
			// moment later, as npm (or the tsx CLI) relays it to the script it runs. One stop request, not a second one
			// that kills the shards mid-reply.
			await expectCleanStop(
				manager,
				[...byShard.values()],
				() => {
					process.kill(-manager.pid, 'SIGINT');
					setTimeout(() => manager.proc.kill('SIGINT'), 50);
				},
				{ byManager: false },
			);
			expect(
				manager
					.logs()
					.filter((l) => l['msg'] === 'shutting down')
					.map((l) => [l['shard'], l['signal']])
					.sort(),
			).toEqual([
				['0', 'SIGINT'],
				['1', 'SIGINT'],
			]);
			fake.assertNoViolations();
		},
	);
});
