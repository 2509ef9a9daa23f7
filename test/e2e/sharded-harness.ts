// Pieces of scenario 6 (sharded bot, shared Redis cache): a throwaway redis-server, the sharding manager as a
// child process (its own process group, so the shards it forks can be found and killed), its JSON log lines,
// and the processes it forked (read from /proc).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

import { childDatabaseUrl, type LogLine, logLines, ROOT, waitForOutput } from './process.js';

export { hasRedisServer, type Redis, startRedis } from '../redis-server.js';

export type { LogLine };

export interface Manager {
	readonly proc: ChildProcess;
	readonly pid: number;
	/** Everything the manager and its shards wrote to stderr (the shards inherit the manager's stderr). */
	stderr(): string;
	/** The JSON log lines on stderr so far. */
	logs(): LogLine[];
	/** Resolves with the first log line matching `predicate` (waiting for more output), rejects after `timeoutMs` or at exit. */
	waitForLog(predicate: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
	/** Resolves once `count` log lines match. */
	waitForLogs(predicate: (line: LogLine) => boolean, count: number, what: string, timeoutMs?: number): Promise<LogLine[]>;
	/** Resolves with [code, signal] once the manager exited. */
	readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
	/** SIGKILL to the manager's whole process group (itself and the shards it forked); waits for the manager. */
	kill(): Promise<void>;
}

/** Every configuration variable of src/config.ts, set empty (= unset) so neither the test runner's environment nor a local .env leaks in. */
const CONFIG_KEYS = [
	'DISCORD_TOKEN',
	'DISCORD_APPLICATION_ID',
	'DISCORD_GUILD_ID',
	'DATA_DIR',
	'CACHE_URL',
	'CACHE_TTL_SECONDS',
	'LOG_LEVEL',
	'DISCORD_API_BASE',
	'DISCORD_PUBLIC_KEY',
	'HTTP_PORT',
	'SHARD_COUNT',
] as const;
/** What discord.js's ShardingManager sets for its shards: never inherited from the test runner. */
const SHARDING_KEYS = ['SHARDS', 'SHARDING_MANAGER', 'SHARDING_MANAGER_MODE'] as const;

/**
 * Starts the sharding manager in its own process group: `via: 'node'` runs `node dist/src/sharded.js` (what `npm
 * run start:sharded` runs after its build; the manager is the spawned process itself, and its shards run
 * dist/src/main.js); `via: 'tsx'` runs `tsx src/sharded.ts` (the tsx CLI, which runs node as its child and relays
 * signals to it; the shards run src/main.ts under tsx). The build is made by the tests' global setup.
 */
export function startManager(env: Record<string, string>, via: 'tsx' | 'node' = 'node'): Manager {
	const clean: NodeJS.ProcessEnv = { ...process.env };
	for (const key of CONFIG_KEYS) clean[key] = '';
	for (const key of SHARDING_KEYS) delete clean[key];
	const [command, args] =
		via === 'tsx' ? [`${ROOT}node_modules/.bin/tsx`, ['src/sharded.ts']] : [process.execPath, ['dist/src/sharded.js']];
	const proc = spawn(command, args, {
		cwd: ROOT,
		env: { ...clean, DATABASE_URL: childDatabaseUrl(), ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	const pid = proc.pid;
	if (pid === undefined) throw new Error('could not start the sharding manager');
	let stderr = '';
	let stdout = '';
	proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
		proc.once('exit', (code, signal) => resolve([code, signal]));
	});
	let done = false;
	void exited.then(() => {
		done = true;
	});
	const tail = (): string =>
		`stderr (last 4000 characters):\n${stderr.slice(-4000)}${stdout === '' ? '' : `\nstdout:\n${stdout.slice(-1000)}`}`;

	const waitForLogs = (predicate: (line: LogLine) => boolean, count: number, what: string, timeoutMs = 20_000): Promise<LogLine[]> => {
		const found = (): LogLine[] | undefined => {
			const lines = logLines(stderr).filter(predicate);
			return lines.length >= count ? lines : undefined;
		};
		return waitForOutput(proc, found, `${what} from the sharding manager`, tail, timeoutMs);
	};

	return {
		proc,
		pid,
		stderr: () => stderr,
		logs: () => logLines(stderr),
		waitForLogs,
		waitForLog: async (predicate, what, timeoutMs) => (await waitForLogs(predicate, 1, what, timeoutMs))[0]!,
		exited,
		async kill() {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				// the group is gone already
			}
			if (!done) await exited;
		},
	};
}

/** The fields of /proc/PID/stat after `pid (comm)`: state, ppid, pgrp, ... (undefined once the process is gone). */
function statFields(pid: number | string): string[] | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// comm may hold spaces and parentheses: read after the last ')'.
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	} catch {
		return undefined;
	}
}

function livePids(): number[] {
	return readdirSync('/proc')
		.filter((entry) => /^\d+$/.test(entry))
		.map(Number)
		.sort((a, b) => a - b);
}

/** Every running process descended from `root` (from /proc; Linux only). */
export function descendantPids(root: number): number[] {
	const parents = new Map<number, number>();
	for (const pid of livePids()) {
		const fields = statFields(pid);
		if (fields && fields[0] !== 'Z') parents.set(pid, Number(fields[1]));
	}
	const isDescendant = (pid: number): boolean => {
		for (let p = parents.get(pid), hops = 0; p !== undefined && hops < 64; p = parents.get(p), hops++) if (p === root) return true;
		return false;
	};
	return [...parents.keys()].filter(isDescendant);
}

/** Processes in process group `pgid` that are still running (zombies excluded). */
export function groupPids(pgid: number): number[] {
	return livePids().filter((pid) => {
		const fields = statFields(pid);
		return fields !== undefined && fields[0] !== 'Z' && Number(fields[2]) === pgid;
	});
}

/** One environment variable of a running process (from /proc; Linux only), or undefined. */
export function processEnv(pid: number, name: string): string | undefined {
	try {
		const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
		const entry = entries.find((e) => e.startsWith(`${name}=`));
		return entry?.slice(name.length + 1);
	} catch {
		return undefined;
	}
}

/** The command line of a running process, arguments joined by spaces (from /proc; Linux only), or ''. */
export function processCommand(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
	} catch {
		return '';
	}
}

/** Whether `pid` is still running (a zombie counts as gone). */
export function isRunning(pid: number): boolean {
	const fields = statFields(pid);
	return fields !== undefined && fields[0] !== 'Z';
}

export async function until(predicate: () => boolean, what: string, timeoutMs = 10_000, stepMs = 50): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, stepMs));
	}
}
