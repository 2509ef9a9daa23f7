// Shared pieces of the end-to-end scenarios: the real bot (createClient + attachDispatcher, exactly what
// src/app.ts wires) logged in to the fake Discord, a log capture, and helpers to read replies.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Client } from 'discord.js';
import { commands } from '../../commands/index.js';
import type { Cache } from '../../src/cache.js';
import type { Deps } from '../../src/discord/dispatch.js';
import { attachDispatcher, createClient } from '../../src/discord/gateway.js';
import { ReviewStore } from '../../src/domain/store.js';
import { registerCommands } from '../../src/deploy.js';
import { type FakeDiscordOptions, type FakeDiscordServer, startFakeDiscord } from '../fake-discord/index.js';
import { captureLogger, memoryCache, seedStore, textOf } from '../helpers.js';

import { logLines, ROOT, waitForOutput } from './process.js';

export { logLines, ROOT };

export { captureLogger, memoryCache, seedStore };

export interface Bot {
	readonly fake: FakeDiscordServer;
	readonly client: Client;
	readonly store: ReviewStore;
	readonly cache: Cache;
	readonly inFlight: Set<Promise<void>>;
	readonly logs: Array<Record<string, unknown>>;
	/** Destroys the client, closes the cache and (if this bot started it) the fake. */
	stop(): Promise<void>;
}

export interface BotOptions {
	fake?: FakeDiscordServer;
	fakeOptions?: FakeDiscordOptions;
	store?: ReviewStore;
	cache?: Cache;
	random?: () => number;
	/** Read the store at each interaction (attachDispatcher reads `deps.store` per interaction): one client, many stores. */
	storeRef?: () => ReviewStore;
	/** Register the commands (bulk PUT, as `npm run deploy` does) before logging in. Default true. */
	register?: boolean;
}

/** The bot, in-process, logged in to the fake (which it starts unless given one), after clientReady. */
export async function startBot(opts: BotOptions = {}): Promise<Bot> {
	const fake = opts.fake ?? (await startFakeDiscord(opts.fakeOptions ?? {}));
	const { logger, lines } = captureLogger();
	const store = opts.store ?? (await seedStore());
	const cache = opts.cache ?? (await memoryCache(logger));
	if (opts.register ?? true) await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.apiBase });
	const client = createClient({ DISCORD_API_BASE: fake.apiBase, SHARD_COUNT: undefined });
	const inFlight = new Set<Promise<void>>();
	const storeRef = opts.storeRef;
	const deps: Deps = storeRef
		? {
				get store() {
					return storeRef();
				},
				cache,
				logger,
				...(opts.random ? { random: opts.random } : {}),
			}
		: { store, cache, logger, ...(opts.random ? { random: opts.random } : {}) };
	attachDispatcher(client, deps, inFlight);
	const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
	await client.login(fake.token);
	await ready;
	let stopped = false;
	return {
		fake,
		client,
		store,
		cache,
		inFlight,
		logs: lines,
		async stop() {
			if (stopped) return;
			stopped = true;
			await client.destroy();
			await cache.close();
			if (!opts.fake) await fake.close();
		},
	};
}

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The custom_id of the button labelled `label` on a stored message. */
export function buttonId(message: any, label: string): string {
	for (const row of message?.components ?? []) {
		for (const c of row.components ?? []) if (c.label === label && typeof c.custom_id === 'string') return c.custom_id;
	}
	throw new Error(`no button "${label}" on message ${String(message?.id)}`);
}

/** The page indicator ("3 / 25" on review 3, "25 reviews" on the overview), the disabled middle button. */
export function pageIndicator(message: any): string {
	const nav = message?.components?.[0]?.components ?? [];
	const indicator = nav.find((c: any) => /^(\d+ \/ \d+|\d+ reviews?)$/.test(String(c.label)));
	if (!indicator) throw new Error('no page indicator');
	return String(indicator.label);
}

/** The user-visible texts of a message body (content and embeds; not custom_ids, which carry ids by design). */
function visibleText(data: any): string {
	return textOf({ content: data?.content, embeds: data?.embeds, labels: (data?.components ?? []).flatMap((r: any) => (r.components ?? []).map((c: any) => c.label)) });
}

/** Fails if a reply could ping anyone: mentions must be suppressed and the text carries no raw mention. */
export function assertNoPing(data: any, where: string): void {
	const allowed = data?.allowed_mentions;
	if (!allowed || (allowed.parse !== undefined && allowed.parse.length > 0) || (allowed.users?.length ?? 0) > 0 || (allowed.roles?.length ?? 0) > 0) {
		throw new Error(`${where}: allowed_mentions does not suppress pings: ${JSON.stringify(allowed)}`);
	}
	const text = visibleText(data);
	const raw = /@everyone|@here|<@!?&?\d/.exec(text);
	if (raw) throw new Error(`${where}: raw mention ${JSON.stringify(raw[0])} in ${JSON.stringify(text.slice(Math.max(0, raw.index - 40), raw.index + 40))}`);
}

/** The `data` of a recorded callback or the body of a webhook follow-up/edit. */
export function messageBodyOf(response: { kind: string; body: any }): any {
	return response.kind === 'callback' ? response.body?.data : response.body;
}

export function commandShapes(): Array<{ name: string; description: string; options: unknown }> {
	return commands.map((c) => ({ name: c.data.name, description: c.data.description, options: c.data.options }));
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes

export interface Child {
	readonly proc: ChildProcess;
	stdout: string;
	stderr: string;
	/** Resolves with [code, signal] at exit. */
	readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
	/** Resolves once `pattern` appears `count` times in stderr (the JSON log), rejects after `timeoutMs` or at exit. */
	waitFor(pattern: RegExp, timeoutMs?: number, count?: number): Promise<void>;
}

const children = new Set<ChildProcess>();

/** Spawns `command` in `cwd` (default the repository) with the test's environment, LOG_LEVEL=info and `env` on top. */
export function spawnChild(command: string, args: string[], env: Record<string, string>, cwd = ROOT): Child {
	const proc = spawn(command, args, { cwd, env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	children.add(proc);
	const child: Child = {
		proc,
		stdout: '',
		stderr: '',
		exited: new Promise((resolve) => {
			proc.on('exit', (code, signal) => {
				children.delete(proc);
				resolve([code, signal]);
			});
		}),
		waitFor(pattern, timeoutMs = 20_000, count = 1) {
			const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
			const found = (): true | undefined => ((child.stderr.match(global)?.length ?? 0) >= count ? true : undefined);
			return waitForOutput(proc, found, `${pattern} from the child`, () => `stderr:\n${child.stderr.slice(-3000)}`, timeoutMs).then(() => undefined);
		},
	};
	proc.stdout?.setEncoding('utf8').on('data', (c: string) => {
		child.stdout += c;
	});
	proc.stderr?.setEncoding('utf8').on('data', (c: string) => {
		child.stderr += c;
	});
	return child;
}

/** Kills (SIGKILL) every child still running; for afterEach. */
export async function killChildren(): Promise<void> {
	const running = [...children];
	for (const proc of running) {
		// Each child leads its own process group (npx → tsx → node): kill the whole group.
		if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined) {
			try {
				process.kill(-proc.pid, 'SIGKILL');
			} catch {
				proc.kill('SIGKILL');
			}
		}
	}
	await Promise.all(running.map((proc) => new Promise<void>((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())))));
}

