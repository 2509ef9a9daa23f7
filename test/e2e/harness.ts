// Shared pieces of the end-to-end scenarios: the real bot (createClient + attachDispatcher, exactly what
// src/app.ts wires) logged in to the fake Discord, a log capture, and helpers to read replies.
import { type ChildProcess, spawn } from 'node:child_process';
import {
	type APIApplicationCommandInteractionDataOption,
	type APIApplicationCommandOptionChoice,
	type APIEmbed,
	type APIMessageTopLevelComponent,
	ComponentType,
} from 'discord-api-types/v10';
import type { Client } from 'discord.js';
import { expect } from 'vitest';
import { commands } from '../../commands/index.js';
import type { Cache } from '../../src/cache.js';
import { dispatch, type Deps, type Incoming } from '../../src/discord/dispatch.js';
import { attachDispatcher, createClient } from '../../src/discord/gateway.js';
import { ReviewStore } from '../../src/domain/store.js';
import { type MemberStore, openMemberStore } from '../../src/members/store.js';
import { registerCommands } from '../../src/deploy.js';
import type { FinalReply } from '../../src/reply/respond.js';
import {
	type FakeDiscordOptions,
	type FakeDiscordServer,
	type FakeMessage,
	type InteractionRecord,
	type MessageData,
	type RecordedResponse,
	startFakeDiscord,
} from '../fake-discord/index.js';
import { captureLogger, memoryCache, seedStore, silent, textOf } from '../helpers.js';

import { childDatabaseUrl, logLines, ROOT, waitForOutput } from './process.js';

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
	/** The member database the bot reads and writes; default an empty one shared by the test file (emptyMemberStore). */
	members?: MemberStore;
}

let emptyMembers: Promise<MemberStore> | undefined;

/**
 * A member database nobody has rated in (SQLite in memory, one per test process), open: what a bot started on a new
 * DATABASE_URL reads, so a reply's server block is the same in handlerReply as from such a bot.
 */
export function emptyMemberStore(): Promise<MemberStore> {
	emptyMembers ??= (async () => {
		const members = openMemberStore({ kind: 'sqlite', file: ':memory:' }, { logger: silent });
		if (!(await members.ready())) throw new Error('the empty member store did not open');
		return members;
	})();
	return emptyMembers;
}

/** The bot, in-process, logged in to the fake (which it starts unless given one), after clientReady. */
export async function startBot(opts: BotOptions = {}): Promise<Bot> {
	const fake = opts.fake ?? (await startFakeDiscord(opts.fakeOptions ?? {}));
	const { logger, lines } = captureLogger();
	const store = opts.store ?? (await seedStore());
	const cache = opts.cache ?? (await memoryCache(logger));
	const members = opts.members ?? (await emptyMemberStore());
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
				members,
				...(opts.random ? { random: opts.random } : {}),
			}
		: { store, cache, logger, members, ...(opts.random ? { random: opts.random } : {}) };
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

export interface Button {
	label: string | undefined;
	disabled: boolean;
	custom_id: string | undefined;
}

/** The buttons of action row `row` of a stored message or a reply, in order. */
export function rowButtons(message: { components?: readonly APIMessageTopLevelComponent[] | null | undefined }, row: number): Button[] {
	const r = message.components?.[row];
	if (r?.type !== ComponentType.ActionRow) return [];
	return r.components.flatMap((c) =>
		c.type === ComponentType.Button
			? [
					{
						label: 'label' in c ? c.label : undefined,
						disabled: c.disabled ?? false,
						custom_id: 'custom_id' in c ? c.custom_id : undefined,
					},
				]
			: [],
	);
}

/** The button labelled `label` on a stored message. */
export function button(message: FakeMessage, label: string): Button | undefined {
	return [0, 1, 2, 3, 4].flatMap((row) => rowButtons(message, row)).find((b) => b.label === label);
}

/** The custom_id of the button labelled `label` on a stored message. */
export function buttonId(message: FakeMessage, label: string): string {
	const id = button(message, label)?.custom_id;
	if (id === undefined) throw new Error(`no button "${label}" on message ${message.id}`);
	return id;
}

/** The page indicator ("3 / 25" on review 3, "25 reviews" on the overview), the disabled middle button. */
export function pageIndicator(message: FakeMessage): string {
	const indicator = rowButtons(message, 0).find((c) => /^(\d+ \/ \d+|\d+ reviews?)$/.test(String(c.label)));
	if (!indicator) throw new Error('no page indicator');
	return String(indicator.label);
}

/** The user-visible texts of a message body (content and embeds; not custom_ids, which carry ids by design). */
function visibleText(data: MessageData): string {
	return textOf({
		content: data.content,
		embeds: data.embeds,
		labels: [0, 1, 2, 3, 4].flatMap((row) => rowButtons(data, row).map((c) => c.label)),
	});
}

/** Fails if a reply could ping anyone: mentions must be suppressed and the text carries no raw mention. */
export function assertNoPing(data: MessageData, where: string): void {
	const allowed = data.allowed_mentions;
	if (
		!allowed ||
		(allowed.parse !== undefined && allowed.parse.length > 0) ||
		(allowed.users?.length ?? 0) > 0 ||
		(allowed.roles?.length ?? 0) > 0
	) {
		throw new Error(`${where}: allowed_mentions does not suppress pings: ${JSON.stringify(allowed)}`);
	}
	const text = visibleText(data);
	const raw = /@everyone|@here|<@!?&?\d/.exec(text);
	if (raw)
		throw new Error(
			`${where}: raw mention ${JSON.stringify(raw[0])} in ${JSON.stringify(text.slice(Math.max(0, raw.index - 40), raw.index + 40))}`,
		);
}

/** The message data a recorded response sent (a callback's `data`, a follow-up's or edit's body); throws if it sent none. */
export function messageBodyOf(response: RecordedResponse | undefined): MessageData {
	if (!response?.data)
		throw new Error(`response ${JSON.stringify(response?.body)?.slice(0, 300)} sent no message data matching Discord's spec`);
	return response.data;
}

/** The first embed of a stored message (throws if it has none). */
export function embedOf(message: FakeMessage, index = 0): APIEmbed {
	const embed = message.embeds[index];
	if (!embed) throw new Error(`message ${message.id} has no embed ${index}`);
	return embed;
}

/** What an injected interaction was, as dispatch receives it (the input the transport hands on). */
export function incomingOf(record: InteractionRecord): Incoming {
	const { data } = record.payload;
	const origin = { userId: record.user.id, channelId: record.payload.channel.id, guildId: record.payload.guild_id ?? null };
	const locales = { locale: record.payload.locale, guildLocale: record.payload.guild_locale ?? null };
	if ('components' in data) {
		const fields = data.components.flatMap(({ component: c }) =>
			c.type === ComponentType.TextInput || c.type === ComponentType.Checkbox ? [{ customId: c.custom_id, value: c.value }] : [],
		);
		return { type: 'modal', customId: data.custom_id, fields, ...origin, ...locales };
	}
	if ('custom_id' in data) return { type: 'button', customId: data.custom_id, ...origin, ...locales };
	if (record.kind === 'slash') return { type: 'command', name: data.name, options: data.options, ...origin, ...locales };
	const focused = focusedOption(data.options);
	if (!focused) throw new Error(`${record.label}: no focused option`);
	return { type: 'autocomplete', name: data.name, options: data.options, focused, ...origin, ...locales };
}

/** The focused option of an autocomplete interaction's options, down its subcommand (group). */
function focusedOption(options: readonly APIApplicationCommandInteractionDataOption[]): { name: string; value: string } | undefined {
	for (const option of options) {
		if ('options' in option) {
			const inner = focusedOption(option.options);
			if (inner) return inner;
		} else if ('focused' in option && option.focused) {
			return { name: option.name, value: String(option.value) };
		}
	}
	return undefined;
}

/** What a handler run sees besides the review store: the bot's random draw and member store, when it has them. */
export interface HandlerOptions {
	readonly random?: () => number;
	/** The member store the bot answered from; without one, an empty member database (emptyMemberStore). */
	readonly members?: MemberStore;
	/** Answer as if the user's Discord (and the server) spoke this locale instead of the record's. */
	readonly locale?: string;
}

/**
 * What the handlers answer `record`'s input with (dispatch, through finalizeReply), on `store` and `members` (else an
 * empty member database) with a fresh memory cache: the reply a transport must deliver unchanged. Copy is asserted in
 * test/commands.test.ts; end-to-end tests compare what crossed the wire with this. Only for inputs that read: a
 * handler that writes would write twice.
 */
export async function handlerReply(record: InteractionRecord, store: ReviewStore, options: HandlerOptions = {}): Promise<FinalReply> {
	const incoming = incomingOf(record);
	const outcome = await dispatch(
		options.locale === undefined ? incoming : { ...incoming, locale: options.locale, guildLocale: options.locale },
		{
			store,
			cache: await memoryCache(),
			logger: silent,
			...(options.random ? { random: options.random } : {}),
			members: options.members ?? (await emptyMemberStore()),
		},
	);
	if (outcome.kind === 'choices' || outcome.kind === 'modal') throw new Error(`${record.label}: the handler answered with ${outcome.kind}`);
	return outcome.data;
}

/** Asserts that `r`'s first response sent the handlers' reply to the same input (handlerReply), unchanged; returns that reply. */
export async function expectHandlerReply(r: InteractionRecord, store: ReviewStore, options: HandlerOptions = {}): Promise<FinalReply> {
	const expected = await handlerReply(r, store, options);
	expect(wireFields(messageBodyOf(r.responses[0]))).toEqual(wireFields(expected));
	return expected;
}

/** A public reply with one embed: for a quote, drawn at random and so not comparable with a handler run. */
export function expectEmbedReply(r: InteractionRecord): void {
	expect(r.responses[0]?.type).toBe(4);
	expect(messageBodyOf(r.responses[0]).flags ?? 0).toBe(0);
	expect(r.message.embeds).toHaveLength(1);
}

/** The choices the handlers offer for an autocomplete interaction's input (see handlerReply). */
export async function handlerChoices(record: InteractionRecord, store: ReviewStore): Promise<APIApplicationCommandOptionChoice[]> {
	const outcome = await dispatch(incomingOf(record), { store, cache: await memoryCache(), logger: silent });
	if (outcome.kind !== 'choices') throw new Error(`${record.label}: the handler answered with a message`);
	return outcome.choices;
}

/** The message data Discord received for `data` (a FinalReply): the fields a reply sets, as discord.js sends them. */
export function wireFields(data: MessageData): Pick<MessageData, 'allowed_mentions' | 'components' | 'content' | 'embeds' | 'flags'> {
	const { allowed_mentions, components, content, embeds, flags } = data;
	return {
		...(allowed_mentions ? { allowed_mentions } : {}),
		...(components?.length ? { components } : {}),
		...(content ? { content } : {}),
		...(embeds?.length ? { embeds } : {}),
		...(flags ? { flags } : {}),
	};
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
	const proc = spawn(command, args, {
		cwd,
		env: { ...process.env, LOG_LEVEL: 'info', DATABASE_URL: childDatabaseUrl(), ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
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
			return waitForOutput(proc, found, `${pattern} from the child`, () => `stderr:\n${child.stderr.slice(-3000)}`, timeoutMs).then(
				() => undefined,
			);
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
	await Promise.all(
		running.map(
			(proc) =>
				new Promise<void>((resolve) =>
					proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve()),
				),
		),
	);
}
