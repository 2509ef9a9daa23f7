// A small Discord-compatible server on loopback (REST + gateway on one port) for end-to-end tests of the real,
// unmodified discord.js client. Point a client at it with `rest: { api: fake.apiBase }`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { WebSocketServer, type WebSocket } from 'ws';
import {
	type APIApplicationCommand,
	type APIApplicationCommandInteractionDataBasicOption,
	type APIApplicationCommandInteractionDataOption,
	type APIApplicationCommandInteractionDataSubcommandOption,
	type APIApplicationCommandOption,
	type APIApplicationCommandOptionChoice,
	type APIAttachment,
	type APIInteractionResponseCallbackData,
	type APIMessage,
	type APIMessageInteractionMetadata,
	type APIModalInteractionResponseCallbackData,
	type ModalSubmitLabelComponent,
	type APIUser,
	ApplicationCommandOptionType,
	ApplicationCommandType,
	ApplicationIntegrationType,
	ComponentType,
	EmbedType,
	InteractionContextType,
	InteractionResponseType,
	InteractionType,
	Locale,
	MessageType,
	type RESTPostAPIApplicationCommandsJSONBody,
	type RESTPostAPIWebhookWithTokenJSONBody,
} from 'discord-api-types/v10';
import {
	ApplicationCommandCreateRequestSchema,
	ApplicationCommandPatchRequestPartialSchema,
	ApplicationCommandUpdateRequestSchema,
} from 'discord-api-spec/zod';
import {
	checkCallback,
	checkSchema,
	checkWebhookBody,
	type EditBody,
	emptyFindings,
	type Findings,
	isCallbackBody,
	isCommandCreate,
	isCommandPatch,
	isCommandUpdate,
	isEditBody,
	isFollowUpBody,
	isPlainObject,
	prop,
	arrayOf,
	charLength,
	Limits,
} from './validate.js';

import {
	checkAttachments,
	fileForAttachment,
	type KeptAttachment,
	readMultipart,
	type RecordedFile,
	AttachmentLimits,
} from './attachments.js';

export { Limits } from './validate.js';
export { AttachmentLimits, type RecordedFile } from './attachments.js';

// ---------------------------------------------------------------------------------------------------------------
// Public types

export interface FakeDiscordOptions {
	/** Application id (also the bot user id, as for real bots). Default: a fixed snowflake. */
	applicationId?: string;
	/** `shards` recommended by `GET /gateway/bot` (used when the client has `shards: 'auto'`). Default 1. */
	shards?: number;
	/** Number of test guilds (each with one text channel). Default 2; with 2 shards guild 0 → shard 0, guild 1 → shard 1. */
	guilds?: number;
	/** The token the fake hands out in `fake.token`. Any non-empty token is accepted; all are recorded. */
	token?: string;
	/** The first response to an interaction must arrive within this many ms. Default 3000 (Discord's limit). */
	ackTimeoutMs?: number;
	/** After a deferred response, the follow-up/edit must arrive within this many ms. Default 10000. */
	followUpTimeoutMs?: number;
	/** Gateway heartbeat interval sent in HELLO. Default 41250. */
	heartbeatIntervalMs?: number;
	/** Log every request and gateway frame to stderr. */
	debug?: boolean;
	/**
	 * Validate message callbacks (types 4-7) after answering instead of before, so a benchmark's latency
	 * does not include the fake's schema check (~0.7 ms for a /reviews reply). Findings are still
	 * recorded, one macrotask later. Default false.
	 */
	deferValidation?: boolean;
	/** The largest file a message may carry, in bytes. Default 100 KB (`AttachmentLimits.fileBytes`, this project's cap for a chart). */
	maxAttachmentBytes?: number;
}

export type FakeUser = APIUser;

export type UserInput = string | Partial<FakeUser>;

export interface FakeGuild {
	id: string;
	name: string;
	channelId: string;
	channelName: string;
}

export interface InjectOptions {
	/** A username, or a partial user object. Default: user "tester". */
	user?: UserInput;
	/** Guild the interaction comes from. Default: the first test guild. */
	guildId?: string;
	/** From the user's DM with the bot instead of a guild: no guild_id, no member, a top-level user, context 1. */
	dm?: boolean;
	/** Channel; default: the guild's text channel. */
	channelId?: string;
	locale?: string;
	/** Resolve only once at least this many responses (callbacks + webhook bodies) were received. */
	responses?: number;
	/** Overall time limit for the returned promise. */
	timeoutMs?: number;
}

export interface SlashOptions extends InjectOptions {
	subcommand?: string;
	subcommandGroup?: string;
}

export interface AutocompleteOptions extends SlashOptions {
	/** Other (already filled-in) options sent along with the focused one. */
	options?: Record<string, string | number | boolean>;
}

export interface ClickOptions extends InjectOptions {
	/** Selected values, for select menus. */
	values?: string[];
}

/** What a modal's fields are submitted with, by custom_id: text for a text input, ticked or not for a checkbox. */
export type ModalValues = Record<string, string | boolean>;

/** A modal submit comes from where the modal was shown, by the user it was shown to; only the time limits can be set. */
export type SubmitOptions = Pick<InjectOptions, 'responses' | 'timeoutMs'>;

export type OptionValue = string | number | boolean;

/** The message data a response sends: a callback's `data` (types 4 and 7), a follow-up's or an edit's body. */
export type MessageData = APIInteractionResponseCallbackData | RESTPostAPIWebhookWithTokenJSONBody | EditBody;

export interface RecordedResponse {
	/** 'callback' (initial response), 'followup' (POST webhook), 'edit' (PATCH webhook message). */
	kind: 'callback' | 'followup' | 'edit';
	method: string;
	path: string;
	/** Callback type for 'callback'. */
	type?: number;
	/** The JSON body as received (for multipart: the parsed payload_json). */
	body: unknown;
	/** The message data of the body once it matched Discord's spec (undefined if it did not, or sends no message). */
	data?: MessageData;
	files: RecordedFile[];
	/** ms since dispatch. */
	at: number;
	status: number;
}

export type Choice = APIApplicationCommandOptionChoice;

/** A message as the fake stores it: an API message, with the guild it is in (none in a DM) and the interaction it answers. */
export type FakeMessage = Omit<APIMessage, 'interaction_metadata'> & {
	guild_id?: string;
	/** Discord also sends the command's name and type for a slash command's reply. */
	interaction_metadata: APIMessageInteractionMetadata & { name?: string; command_type?: ApplicationCommandType };
};

/** The `data` of an injected interaction: a slash command's or autocomplete's, a component's, or a modal submit's. */
export type InteractionData =
	| {
			id: string;
			name: string;
			type: ApplicationCommandType.ChatInput;
			options: APIApplicationCommandInteractionDataOption[];
			guild_id?: string;
			resolved?: { users: Record<string, APIUser> };
	  }
	| { custom_id: string; component_type: ComponentType; values?: string[] }
	| { custom_id: string; components: ModalSubmitLabelComponent[] };

/** The INTERACTION_CREATE payload the fake sends (the fields it reads back are typed; the rest is as Discord sends it). */
export interface InteractionPayload {
	id: string;
	application_id: string;
	type: InteractionType;
	data: InteractionData;
	/** Absent in a DM. */
	guild_id?: string;
	channel: { id: string; [key: string]: unknown };
	/** In a guild: the member (with the user); in a DM, `user` instead. */
	member?: { user: APIUser; [key: string]: unknown };
	user?: APIUser;
	token: string;
	message?: FakeMessage;
	/** The user's locale; the server's (`guild_locale`) only in a guild. */
	locale: string;
	guild_locale?: string;
	[key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Snowflakes

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;
export function snowflake(timestamp: number = Date.now()): string {
	increment = (increment + 1n) & 0xfffn;
	return (((BigInt(timestamp) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

export function shardForGuild(guildId: string, shardCount: number): number {
	return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

const PERMISSIONS_ALL_TEXT = '2248473465835073';
/** No user flags (discord-api-types' flag enums have no member for 0). */
const NO_FLAGS: number = 0;
const MESSAGE_FLAG_EPHEMERAL = 1 << 6;
const MESSAGE_FLAG_LOADING = 1 << 7;

/** A deep copy (the fake's values are JSON data: bodies as received, and messages built from them). */
function clone<T>(value: T): T {
	return structuredClone(value);
}

function parseJson(text: string): unknown {
	return JSON.parse(text);
}

function nowIso(): string {
	return new Date().toISOString();
}

/** Whether a (global) command can be used in the bot's DMs: its contexts name BOT_DM, or (without contexts) dm_permission is not false. */
function usableInDms(command: APIApplicationCommand): boolean {
	if (command.contexts) return command.contexts.includes(InteractionContextType.BotDM);
	return command.dm_permission !== false;
}

/** A guild member object of `user` (no roles, no nick, joined 2024-01-01). */
function guildMember(user: APIUser): { user: APIUser; [key: string]: unknown } {
	return {
		user,
		roles: [],
		premium_since: null,
		pending: false,
		nick: null,
		mute: false,
		joined_at: '2024-01-01T00:00:00.000000+00:00',
		flags: 0,
		deaf: false,
		communication_disabled_until: null,
		avatar: null,
		banner: null,
	};
}

function userOf(payload: InteractionPayload): APIUser {
	const user = payload.member?.user ?? payload.user;
	if (!user) throw new Error(`fake discord: interaction ${payload.id} has no user`);
	return user;
}

// ---------------------------------------------------------------------------------------------------------------
// Interaction record

type Kind = 'slash' | 'autocomplete' | 'component' | 'modal';

interface Waiter {
	predicate: () => boolean;
	resolve: () => void;
	reject: (error: Error) => void;
	timer: NodeJS.Timeout;
}

/** Everything the fake saw for one injected interaction. Live: later follow-ups/edits keep being added. */
export class InteractionRecord {
	readonly responses: RecordedResponse[] = [];
	/** Ids of messages created by follow-ups (not counting a follow-up that replaced a deferred reply). */
	readonly followUpIds: string[] = [];
	readonly violations: string[] = [];
	callbackType: number | null = null;
	acknowledgedAt: number | null = null;
	originalMessageId: string | null = null;
	originalDeleted = false;
	choices: Choice[] | null = null;
	/** The modal a type 9 callback showed (its `data`), once it matched the spec and Discord's limits. */
	modal: APIModalInteractionResponseCallbackData | null = null;
	/** Whether `modal` was submitted (a shown modal closes once submitted). */
	modalSubmitted = false;
	/** For a modal submit: the interaction that showed the modal. */
	modalFrom: InteractionRecord | null = null;
	readonly dispatchedAt = Date.now();
	/** @internal */ waiters: Waiter[] = [];
	/** @internal */ ackTimer: NodeJS.Timeout | null = null;
	/** @internal */ followUpTimer: NodeJS.Timeout | null = null;

	constructor(
		private readonly fake: FakeDiscordServer,
		readonly id: string,
		readonly token: string,
		readonly kind: Kind,
		readonly label: string,
		readonly payload: InteractionPayload,
	) {}

	get type(): InteractionType {
		return this.payload.type;
	}

	/** The user who interacted (the member's user in a guild, the top-level user in a DM). */
	get user(): APIUser {
		return userOf(this.payload);
	}

	/** The message the initial response created (or, for updates, the component's message), in its latest state; throws if there is none. */
	get message(): FakeMessage {
		const message = this.originalMessageId ? this.fake.messages.get(this.originalMessageId) : undefined;
		if (!message) throw new Error(`${this.label}: no message (the response created none, or it was deleted)`);
		return message;
	}

	/** Messages created by follow-ups, latest state. */
	get followUps(): FakeMessage[] {
		return this.followUpIds.map((id) => this.fake.messages.get(id)).filter((m) => m !== undefined);
	}

	get deferred(): boolean {
		return this.callbackType === 5 || this.callbackType === 6;
	}

	/** True once the interaction has the response a user would see (deferred ones need an edit/follow-up). */
	get complete(): boolean {
		if (this.callbackType === null) return false;
		if (!this.deferred) return true;
		return this.responses.some((r) => r.kind !== 'callback');
	}

	/** Waits until at least `count` responses (callback + webhook bodies) were received. */
	waitForResponses(count: number, timeoutMs = 5000): Promise<this> {
		return this.waitUntil(() => this.responses.length >= count, timeoutMs, `${count} responses`).then(() => this);
	}

	/** @internal */
	waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
		if (predicate()) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const waiter: Waiter = {
				predicate,
				resolve,
				reject,
				timer: setTimeout(() => {
					this.waiters = this.waiters.filter((w) => w !== waiter);
					reject(
						new Error(
							`${this.label}: timed out after ${timeoutMs} ms waiting for ${what} (got ${this.responses.length} responses` +
								`${this.violations.length ? `; violations: ${this.violations.join(' | ')}` : ''})`,
						),
					);
				}, timeoutMs),
			};
			this.waiters.push(waiter);
		});
	}

	/** @internal */
	changed(): void {
		if (this.complete && this.followUpTimer) {
			clearTimeout(this.followUpTimer);
			this.followUpTimer = null;
		}
		for (const waiter of [...this.waiters]) {
			if (waiter.predicate()) {
				clearTimeout(waiter.timer);
				this.waiters = this.waiters.filter((w) => w !== waiter);
				waiter.resolve();
			}
		}
	}

	/** @internal */
	fail(message: string): void {
		for (const waiter of this.waiters) {
			clearTimeout(waiter.timer);
			waiter.reject(new Error(`${this.label}: ${message}`));
		}
		this.waiters = [];
	}

	/** @internal */
	dispose(): void {
		if (this.ackTimer) clearTimeout(this.ackTimer);
		if (this.followUpTimer) clearTimeout(this.followUpTimer);
		for (const waiter of this.waiters) clearTimeout(waiter.timer);
		this.waiters = [];
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Gateway sessions

interface Session {
	id: string;
	shard: [number, number];
	token: string;
	seq: number;
	socket: WebSocket | null;
	/** Dispatches sent (or queued) in this session, for RESUME replays. */
	events: Array<{ s: number; t: string; d: unknown }>;
	intents: number;
}

interface Connection {
	socket: WebSocket;
	path: string;
	session: Session | null;
}

export interface GatewayLogEntry {
	direction: 'in' | 'out';
	shard: [number, number] | null;
	op: number;
	t?: string | null;
	at: number;
}

export interface RequestLogEntry {
	method: string;
	path: string;
	status: number;
	body: unknown;
	auth: string | null;
}

class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: { message: string; code: number; errors?: unknown },
	) {
		super(body.message);
	}
}

// ---------------------------------------------------------------------------------------------------------------

export class FakeDiscordServer {
	readonly applicationId: string;
	readonly token: string;
	readonly botUser: FakeUser;
	readonly guilds: FakeGuild[];
	readonly violations: string[] = [];
	readonly warnings: string[] = [];
	readonly tokensSeen = new Set<string>();
	readonly requests: RequestLogEntry[] = [];
	readonly gatewayLog: GatewayLogEntry[] = [];
	readonly interactions: InteractionRecord[] = [];
	/** Messages by id, as the fake stores them (API message objects). */
	readonly messages = new Map<string, FakeMessage>();
	/** Registered commands: key 'global' or a guild id. */
	private readonly commandStore = new Map<string, Map<string, APIApplicationCommand>>();
	private readonly sessions = new Map<string, Session>();
	private readonly connections = new Set<Connection>();
	private readonly byToken = new Map<string, InteractionRecord>();
	private readonly gatewayWaiters: Array<{ predicate: () => boolean; resolve: () => void }> = [];
	private readyCount = 0;
	private resumedCount = 0;
	private closed = false;
	private readonly ackTimeoutMs: number;
	private readonly deferValidation: boolean;
	private readonly maxAttachmentBytes: number;
	private readonly followUpTimeoutMs: number;
	private readonly heartbeatIntervalMs: number;
	private readonly recommendedShards: number;
	private readonly debug: boolean;
	private readonly server: Server;
	private readonly wss: WebSocketServer;
	private port = 0;
	private readonly defaultUser: FakeUser;
	/** The users user options named, by id: the `resolved.users` of the interaction that names them. */
	private readonly namedUsers = new Map<string, FakeUser>();
	/** The application's Ed25519 key: the fake signs what it POSTs to an interactions endpoint with it. */
	private readonly signingKey: KeyObject;
	/** The application's public key in hex (Discord's "public key", DISCORD_PUBLIC_KEY for the bot). */
	readonly publicKeyHex: string;
	private endpoint: string | null = null;

	constructor(options: FakeDiscordOptions = {}) {
		this.applicationId = options.applicationId ?? '1180000000000000001';
		this.token = options.token ?? `fake.${randomBytes(12).toString('base64url')}`;
		this.ackTimeoutMs = options.ackTimeoutMs ?? 3000;
		this.followUpTimeoutMs = options.followUpTimeoutMs ?? 10_000;
		this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
		this.recommendedShards = options.shards ?? 1;
		this.debug = options.debug ?? false;
		this.deferValidation = options.deferValidation ?? false;
		this.maxAttachmentBytes = options.maxAttachmentBytes ?? AttachmentLimits.fileBytes;
		this.botUser = {
			id: this.applicationId,
			username: 'Fake Bot',
			global_name: null,
			discriminator: '0',
			avatar: null,
			public_flags: NO_FLAGS,
			bot: true,
			flags: NO_FLAGS,
			verified: true,
			mfa_enabled: false,
		};
		this.defaultUser = this.makeUser('tester');
		const keys = generateKeyPairSync('ed25519');
		this.signingKey = keys.privateKey;
		this.publicKeyHex = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
		// Guild ids whose timestamp part is consecutive: (id >> 22) % 2 alternates, so with 2 shards each shard owns one.
		const base = 1_000_000_000_000n;
		const count = options.guilds ?? 2;
		this.guilds = Array.from({ length: count }, (_, i) => ({
			id: (((base + BigInt(i)) << 22n) | 7n).toString(),
			name: `Test Guild ${i}`,
			channelId: (((base + BigInt(i)) << 22n) | 8n).toString(),
			channelName: 'general',
		}));
		this.server = createServer((req, res) => {
			void this.handleHttp(req, res);
		});
		this.wss = new WebSocketServer({ server: this.server });
		this.wss.on('connection', (socket, req) => this.handleConnection(socket, req));
	}

	/** @internal */
	async listen(): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(0, '127.0.0.1', () => resolve());
		});
		const address = this.server.address();
		if (address === null || typeof address === 'string') throw new Error('fake discord: the server has no TCP address');
		this.port = address.port;
	}

	/** REST base for discord.js: `rest: { api: fake.apiBase }` (discord.js appends `/v10`). */
	get apiBase(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get gatewayUrl(): string {
		return `ws://127.0.0.1:${this.port}`;
	}

	get guildId(): string {
		return this.guilds[0]!.id;
	}

	get channelId(): string {
		return this.guilds[0]!.channelId;
	}

	/**
	 * Delivers interactions as Discord does to an app with an interactions endpoint URL: POSTed to `url`, signed with
	 * the key of `publicKeyHex`; the response body is the initial callback. `null` goes back to the gateway.
	 */
	setInteractionsEndpoint(url: string | null): void {
		this.endpoint = url;
	}

	/** Number of READY dispatches sent so far (one per successful IDENTIFY). */
	get readies(): number {
		return this.readyCount;
	}

	/** Number of RESUMED dispatches sent so far. */
	get resumes(): number {
		return this.resumedCount;
	}

	/** Currently open gateway sockets. */
	get openConnections(): number {
		let n = 0;
		for (const c of this.connections) if (c.socket.readyState === c.socket.OPEN) n++;
		return n;
	}

	// ------------------------------------------------------------------------------------------------ assertions

	violation(message: string, record?: InteractionRecord): void {
		this.violations.push(message);
		record?.violations.push(message);
		this.log(`VIOLATION ${message}`);
	}

	warning(message: string): void {
		this.warnings.push(message);
		this.log(`warning ${message}`);
	}

	/** Throws an Error listing every recorded violation. */
	assertNoViolations(): void {
		if (this.violations.length > 0) {
			throw new Error(`Fake Discord recorded ${this.violations.length} violation(s):\n- ${this.violations.join('\n- ')}`);
		}
	}

	/** Forget recorded violations and warnings (e.g. after a test that provokes them on purpose). */
	clearViolations(): void {
		this.violations.length = 0;
		this.warnings.length = 0;
	}

	/** Registered commands: global ones without an argument, a guild's with its id. */
	commands(guildId?: string): APIApplicationCommand[] {
		return [...(this.commandStore.get(guildId ?? 'global')?.values() ?? [])].map((c) => clone(c));
	}

	// ------------------------------------------------------------------------------------------------ waiting

	private notifyGateway(): void {
		for (const waiter of [...this.gatewayWaiters]) {
			if (waiter.predicate()) {
				this.gatewayWaiters.splice(this.gatewayWaiters.indexOf(waiter), 1);
				waiter.resolve();
			}
		}
	}

	private waitGateway(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
		if (predicate()) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				const i = this.gatewayWaiters.indexOf(entry);
				if (i >= 0) this.gatewayWaiters.splice(i, 1);
				reject(new Error(`fake discord: timed out after ${timeoutMs} ms waiting for ${what}`));
			}, timeoutMs);
			const entry = {
				predicate,
				resolve: () => {
					clearTimeout(timer);
					resolve();
				},
			};
			this.gatewayWaiters.push(entry);
		});
	}

	/** Resolves once `count` READY dispatches were sent in total (default: the recommended shard count). */
	waitForReady(count = this.recommendedShards, timeoutMs = 10_000): Promise<void> {
		return this.waitGateway(() => this.readyCount >= count, timeoutMs, `${count} READY`);
	}

	/** Resolves once `count` RESUMED dispatches were sent in total. */
	waitForResumed(count = 1, timeoutMs = 10_000): Promise<void> {
		return this.waitGateway(() => this.resumedCount >= count, timeoutMs, `${count} RESUMED`);
	}

	// ------------------------------------------------------------------------------------------------ injection

	/** Injects a slash command (CHAT_INPUT). Resolves with the record once it is answered (see InteractionRecord.complete). */
	async slash(name: string, options: Record<string, OptionValue> = {}, opts: SlashOptions = {}): Promise<InteractionRecord> {
		const guild = this.placeFor(opts);
		const command = this.findCommand(name, guild);
		const label = `/${[name, opts.subcommandGroup, opts.subcommand].filter(Boolean).join(' ')}`;
		const problems: string[] = [];
		if (command && !guild && !usableInDms(command)) problems.push('the command is not usable in DMs (its contexts or dm_permission)');
		const leafDefs = command ? this.leafOptionDefs(command, opts, problems) : undefined;
		if (!command) this.warning(`${label}: command "${name}" is not registered; option types are inferred`);
		const built = Object.entries(options).map(([optionName, value]) => this.buildOption(optionName, value, leafDefs, problems, false));
		if (leafDefs) {
			for (const def of leafDefs) {
				if (def.required && !(def.name in options)) problems.push(`required option "${def.name}" is missing`);
			}
		}
		if (problems.length > 0) {
			return Promise.reject(new Error(`${label}: cannot build interaction: ${problems.join('; ')}`));
		}
		const data = this.commandData(command, name, built, opts);
		const record = this.dispatchInteraction('slash', label, InteractionType.ApplicationCommand, data, guild, opts);
		return this.settle(record, opts);
	}

	/** Injects an autocomplete interaction with `focused` being typed as `value`. Resolves with the offered choices. */
	async autocomplete(name: string, focused: string, value: string, opts: AutocompleteOptions = {}): Promise<Choice[]> {
		const record = await this.autocompleteRecord(name, focused, value, opts);
		return record.choices ?? [];
	}

	/** Like autocomplete() but resolves with the whole InteractionRecord. */
	async autocompleteRecord(name: string, focused: string, value: string, opts: AutocompleteOptions = {}): Promise<InteractionRecord> {
		const guild = this.placeFor(opts);
		const command = this.findCommand(name, guild);
		const label = `autocomplete /${[name, opts.subcommandGroup, opts.subcommand].filter(Boolean).join(' ')} ${focused}`;
		const problems: string[] = [];
		const leafDefs = command ? this.leafOptionDefs(command, opts, problems) : undefined;
		if (!command) this.warning(`${label}: command "${name}" is not registered; option types are inferred`);
		const focusedDef = leafDefs?.find((d) => d.name === focused);
		if (leafDefs && !focusedDef) problems.push(`option "${focused}" is not declared`);
		if (focusedDef && !('autocomplete' in focusedDef && focusedDef.autocomplete))
			problems.push(`option "${focused}" does not have autocomplete: true`);
		const built = Object.entries(opts.options ?? {})
			.filter(([n]) => n !== focused)
			.map(([n, v]) => this.buildOption(n, v, leafDefs, problems, false));
		built.push({ name: focused, type: ApplicationCommandOptionType.String, value, focused: true });
		if (focusedDef && focusedDef.type !== ApplicationCommandOptionType.String)
			problems.push(`option "${focused}" is not a string option (the fake types autocomplete values as strings)`);
		if (problems.length > 0) {
			return Promise.reject(new Error(`${label}: cannot build interaction: ${problems.join('; ')}`));
		}
		const data = this.commandData(command, name, built, opts);
		const record = this.dispatchInteraction('autocomplete', label, InteractionType.ApplicationCommandAutocomplete, data, guild, opts);
		return this.settle(record, opts);
	}

	/**
	 * Presses the button (or picks `values` of the select menu) with `customId` on `message`
	 * (a stored message, a message id, or an InteractionRecord whose `.message` is used).
	 */
	async click(message: FakeMessage | InteractionRecord | string, customId: string, opts: ClickOptions = {}): Promise<InteractionRecord> {
		const messageId = message instanceof InteractionRecord ? message.originalMessageId : typeof message === 'string' ? message : message.id;
		const stored = messageId !== null ? this.messages.get(messageId) : undefined;
		if (!stored) return Promise.reject(new Error(`click ${customId}: unknown message ${String(messageId)}`));
		let component: { type: ComponentType; disabled: boolean } | undefined;
		const walk = (list: unknown): void => {
			for (const c of arrayOf(list)) {
				if (!isPlainObject(c)) continue;
				if (c['custom_id'] === customId && typeof c['type'] === 'number') component = { type: c['type'], disabled: c['disabled'] === true };
				walk(c['components']);
				if (c['accessory'] !== undefined) walk([c['accessory']]);
			}
		};
		walk(stored.components);
		if (!component) {
			return Promise.reject(new Error(`click ${customId}: message ${stored.id} has no component with that custom_id`));
		}
		if (component.disabled) return Promise.reject(new Error(`click ${customId}: the component is disabled`));
		// A message in a DM is clicked in that DM; a guild's, in its guild.
		const guild = stored.guild_id === undefined ? null : (this.guilds.find((g) => g.id === stored.guild_id) ?? this.guildFor(opts.guildId));
		const isButton = component.type === ComponentType.Button;
		const data: InteractionData = {
			custom_id: customId,
			component_type: component.type,
			...(isButton ? {} : { values: opts.values ?? [] }),
		};
		const label = `${isButton ? 'button' : 'select'} ${customId}`;
		const record = this.dispatchInteraction('component', label, InteractionType.MessageComponent, data, guild, {
			...opts,
			channelId: stored.channel_id,
			message: clone(stored),
		});
		return this.settle(record, opts);
	}

	/**
	 * Submits the modal that `shown` (the interaction answered with it) showed: by the same user, from the same place,
	 * with the clicked message when a component showed it. Fields left out of `values` keep what the modal pre-filled
	 * (a text input's `value`, a checkbox's `default`). Rejects a modal never shown or already submitted, an unknown
	 * custom_id, a value of the wrong kind, and text that is empty when required or outside the input's length limits.
	 */
	async submitModal(shown: InteractionRecord, values: ModalValues = {}, opts: SubmitOptions = {}): Promise<InteractionRecord> {
		const { modal } = shown;
		if (!modal) return Promise.reject(new Error(`submit: ${shown.label} showed no modal`));
		const label = `modal ${modal.custom_id}`;
		if (shown.modalSubmitted) return Promise.reject(new Error(`${label}: already submitted (a modal closes once submitted)`));
		const problems: string[] = [];
		const unused = new Set(Object.keys(values));
		let nextId = 1;
		const components: ModalSubmitLabelComponent[] = [];
		for (const component of modal.components) {
			const labelId = component.id ?? nextId++;
			if (component.type !== ComponentType.Label) continue;
			const inner = component.component;
			const id = inner.id ?? nextId++;
			const given = values[inner.custom_id];
			unused.delete(inner.custom_id);
			if (inner.type === ComponentType.TextInput) {
				const value = given ?? inner.value ?? '';
				if (typeof value !== 'string') {
					problems.push(`"${inner.custom_id}" is a text input; got ${typeof value}`);
					continue;
				}
				const length = charLength(value);
				const required = inner.required ?? true;
				if (required && length === 0) problems.push(`"${inner.custom_id}" is required`);
				if (length > 0 && length < (inner.min_length ?? 0))
					problems.push(`"${inner.custom_id}" is ${length} characters (min_length ${inner.min_length})`);
				const max = inner.max_length ?? Limits.textInputLength;
				if (length > max) problems.push(`"${inner.custom_id}" is ${length} characters (max_length ${max})`);
				components.push({
					type: ComponentType.Label,
					id: labelId,
					component: { type: ComponentType.TextInput, id, custom_id: inner.custom_id, value },
				});
			} else if (inner.type === ComponentType.Checkbox) {
				const value = given ?? inner.default ?? false;
				if (typeof value !== 'boolean') {
					problems.push(`"${inner.custom_id}" is a checkbox; got ${typeof value}`);
					continue;
				}
				components.push({
					type: ComponentType.Label,
					id: labelId,
					component: { type: ComponentType.Checkbox, id, custom_id: inner.custom_id, value },
				});
			} else {
				problems.push(`"${inner.custom_id}" is a component of type ${inner.type}, which the fake does not submit`);
			}
		}
		for (const customId of unused) problems.push(`the modal has no field "${customId}"`);
		if (problems.length > 0) return Promise.reject(new Error(`${label}: cannot submit: ${problems.join('; ')}`));
		shown.modalSubmitted = true;
		const guildId = shown.payload.guild_id;
		const guild = guildId === undefined ? null : this.guildFor(guildId);
		const clicked = shown.kind === 'component' ? this.messages.get(this.componentMessage(shown).id) : undefined;
		const record = this.dispatchInteraction(
			'modal',
			label,
			InteractionType.ModalSubmit,
			{ custom_id: modal.custom_id, components },
			guild,
			{
				...opts,
				user: shown.user,
				channelId: shown.payload.channel.id,
				...(clicked ? { message: clone(clicked) } : {}),
			},
			shown,
		);
		return this.settle(record, opts);
	}

	private settle(record: InteractionRecord, opts: InjectOptions): Promise<InteractionRecord> {
		const min = opts.responses ?? 0;
		const timeout = opts.timeoutMs ?? this.ackTimeoutMs + this.followUpTimeoutMs + 500;
		return record.waitUntil(() => record.complete && record.responses.length >= min, timeout, 'a complete response').then(() => record);
	}

	private guildFor(guildId: string | undefined): FakeGuild {
		const guild = guildId ? this.guilds.find((g) => g.id === guildId) : this.guilds[0];
		if (!guild) throw new Error(`fake discord: unknown guild ${String(guildId)}`);
		return guild;
	}

	/** Where an injected interaction comes from: a guild, or (`dm`) the user's DM with the bot (null). */
	private placeFor(opts: InjectOptions): FakeGuild | null {
		if (!opts.dm) return this.guildFor(opts.guildId);
		if (opts.guildId !== undefined) throw new Error('fake discord: an interaction comes from a guild or a DM, not both');
		return null;
	}

	/** A chat input command by name: the guild's own first, then the global ones (only those in a DM). */
	private findCommand(name: string, guild: FakeGuild | null): APIApplicationCommand | undefined {
		for (const key of guild ? [guild.id, 'global'] : ['global']) {
			for (const command of this.commandStore.get(key)?.values() ?? []) {
				if (command.name === name && command.type === ApplicationCommandType.ChatInput) return command;
			}
		}
		return undefined;
	}

	private leafOptionDefs(command: APIApplicationCommand, opts: SlashOptions, problems: string[]): APIApplicationCommandOption[] {
		let defs: APIApplicationCommandOption[] = command.options ?? [];
		if (opts.subcommandGroup) {
			const group = defs.find((d) => d.type === ApplicationCommandOptionType.SubcommandGroup && d.name === opts.subcommandGroup);
			if (!group) problems.push(`subcommand group "${opts.subcommandGroup}" is not declared`);
			defs = group?.type === ApplicationCommandOptionType.SubcommandGroup ? (group.options ?? []) : [];
		}
		if (opts.subcommand) {
			const sub = defs.find((d) => d.type === ApplicationCommandOptionType.Subcommand && d.name === opts.subcommand);
			if (!sub) problems.push(`subcommand "${opts.subcommand}" is not declared`);
			defs = sub?.type === ApplicationCommandOptionType.Subcommand ? (sub.options ?? []) : [];
		} else if (
			defs.some((d) => d.type === ApplicationCommandOptionType.Subcommand || d.type === ApplicationCommandOptionType.SubcommandGroup)
		) {
			problems.push('the command has subcommands; pass { subcommand }');
		}
		return defs;
	}

	private buildOption(
		name: string,
		value: OptionValue,
		defs: APIApplicationCommandOption[] | undefined,
		problems: string[],
		focused: boolean,
	): APIApplicationCommandInteractionDataBasicOption {
		const def = defs?.find((d) => d.name === name);
		if (defs && !def) problems.push(`option "${name}" is not declared`);
		const T = ApplicationCommandOptionType;
		const type = def
			? def.type
			: typeof value === 'boolean'
				? T.Boolean
				: typeof value === 'number'
					? Number.isInteger(value)
						? T.Integer
						: T.Number
					: T.String;
		if (def && 'choices' in def && def.choices && !focused && !def.choices.some((c) => c.value === value)) {
			problems.push(`option "${name}": ${JSON.stringify(value)} is not one of its choices`);
		}
		const wrong = (): APIApplicationCommandInteractionDataBasicOption => {
			problems.push(`option "${name}" has type ${type} but got ${typeof value}`);
			return { name, type: T.String, value: String(value) };
		};
		switch (type) {
			case T.String:
				return typeof value === 'string' ? { name, type, value } : wrong();
			case T.Boolean:
				return typeof value === 'boolean' ? { name, type, value } : wrong();
			case T.Integer:
				if (typeof value === 'number' && !Number.isInteger(value)) problems.push(`option "${name}" is an integer option but got ${value}`);
				return typeof value === 'number' ? { name, type, value } : wrong();
			case T.Number:
				return typeof value === 'number' ? { name, type, value } : wrong();
			case T.User: {
				// A username (as `user:` takes it): the option carries that user's id, as Discord's does.
				if (typeof value !== 'string') return wrong();
				const user = this.makeUser(value);
				this.namedUsers.set(user.id, user);
				return { name, type, value: user.id };
			}
			default:
				problems.push(`option "${name}" has type ${type}, which the fake does not inject`);
				return { name, type: T.String, value: String(value) };
		}
	}

	/** The `data` of a slash command or autocomplete interaction: the command, its options under the subcommand (group). */
	private commandData(
		command: APIApplicationCommand | undefined,
		name: string,
		options: APIApplicationCommandInteractionDataBasicOption[],
		opts: SlashOptions,
	): InteractionData {
		// Discord resolves the users a user option names: `resolved.users` by id.
		const users = options.flatMap((o) => (o.type === ApplicationCommandOptionType.User ? [o.value] : []));
		const resolved = users.length === 0 ? {} : { resolved: { users: Object.fromEntries(users.map((id) => [id, this.userById(id)])) } };
		return {
			id: command?.id ?? snowflake(),
			name,
			type: ApplicationCommandType.ChatInput,
			options: this.wrapSub(options, opts),
			...(command?.guild_id ? { guild_id: command.guild_id } : {}),
			...resolved,
		};
	}

	private wrapSub(
		options: APIApplicationCommandInteractionDataBasicOption[],
		opts: SlashOptions,
	): APIApplicationCommandInteractionDataOption[] {
		if (!opts.subcommand) return options;
		const sub: APIApplicationCommandInteractionDataSubcommandOption = {
			name: opts.subcommand,
			type: ApplicationCommandOptionType.Subcommand,
			options,
		};
		return opts.subcommandGroup
			? [{ name: opts.subcommandGroup, type: ApplicationCommandOptionType.SubcommandGroup, options: [sub] }]
			: [sub];
	}

	/** The user a user option named (built by makeUser from the username when the option was built). */
	private userById(id: string): FakeUser {
		const user = this.namedUsers.get(id);
		if (!user) throw new Error(`fake discord: no user ${id} was named in an option`);
		return user;
	}

	private makeUser(input: UserInput | undefined): FakeUser {
		if (input === undefined && this.defaultUser) return this.defaultUser;
		const partial = typeof input === 'string' ? { username: input } : (input ?? {});
		const username = partial.username ?? 'tester';
		let id = partial.id;
		if (!id) {
			// Stable id per username.
			let h = 0n;
			for (const ch of username) h = (h * 131n + BigInt(ch.codePointAt(0)!)) & 0xffffffffn;
			id = (((1_100_000_000_000n + h) << 22n) | 3n).toString();
		}
		return {
			id,
			username,
			global_name: partial.global_name ?? username.charAt(0).toUpperCase() + username.slice(1),
			discriminator: '0',
			avatar: null,
			public_flags: NO_FLAGS,
			avatar_decoration_data: null,
			collectibles: null,
			primary_guild: null,
			...partial,
		};
	}

	/** The DM channel between `user` and the bot (a stable id per user). */
	private dmChannelPayload(user: APIUser): { id: string; [key: string]: unknown } {
		const id = (((BigInt(user.id) >> 22n) << 22n) | 9n).toString();
		return { id, type: 1, last_message_id: null, flags: 0, recipients: [user] };
	}

	private channelPayload(guild: FakeGuild): { id: string; [key: string]: unknown } {
		return {
			id: guild.channelId,
			type: 0,
			guild_id: guild.id,
			name: guild.channelName,
			position: 0,
			parent_id: null,
			permission_overwrites: [],
			nsfw: false,
			topic: null,
			last_message_id: null,
			rate_limit_per_user: 0,
			flags: 0,
		};
	}

	private dispatchInteraction(
		kind: Kind,
		label: string,
		type: InteractionType,
		data: InteractionData,
		guild: FakeGuild | null,
		opts: InjectOptions & { message?: FakeMessage },
		modalFrom: InteractionRecord | null = null,
	): InteractionRecord {
		const id = snowflake();
		const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(24).toString('base64url')}`;
		const user = this.makeUser(opts.user);
		const channel = { ...(guild ? this.channelPayload(guild) : this.dmChannelPayload(user)), permissions: PERMISSIONS_ALL_TEXT };
		if (opts.channelId) channel.id = opts.channelId;
		// Where it happened: a guild (its id, the member) or the bot's DM (the user on top, context BOT_DM, owner "0").
		const place = guild
			? {
					guild: { id: guild.id, locale: 'en-US', features: [] },
					guild_id: guild.id,
					member: { ...guildMember(user), permissions: PERMISSIONS_ALL_TEXT, unusual_dm_activity_until: null },
					guild_locale: 'en-US',
					authorizing_integration_owners: { '0': guild.id },
					context: 0,
				}
			: { user, authorizing_integration_owners: { '0': '0' }, context: 1 };
		const payload: InteractionPayload = {
			id,
			application_id: this.applicationId,
			type,
			data,
			...place,
			channel,
			channel_id: channel.id,
			token,
			version: 1,
			app_permissions: PERMISSIONS_ALL_TEXT,
			locale: opts.locale ?? 'en-US',
			entitlements: [],
			attachment_size_limit: 10_485_760,
			...(opts.message ? { message: opts.message } : {}),
		};
		const record = new InteractionRecord(this, id, token, kind, label, payload);
		record.modalFrom = modalFrom;
		this.interactions.push(record);
		this.byToken.set(token, record);
		this.byToken.set(id, record);

		if (this.endpoint !== null) {
			void this.postToEndpoint(this.endpoint, record);
		} else {
			// DMs arrive on shard 0.
			const session = this.sessionForGuild(guild?.id ?? '0');
			if (!session) {
				this.byToken.delete(token);
				throw new Error(`fake discord: no gateway session owns ${guild ? `guild ${guild.id}` : 'DMs (shard 0)'}; did the client log in?`);
			}
			this.dispatch(session, 'INTERACTION_CREATE', payload);
		}
		record.ackTimer = setTimeout(() => {
			record.ackTimer = null;
			if (record.callbackType === null) {
				this.violation(`${label}: no initial response within ${this.ackTimeoutMs} ms (interaction ${id})`, record);
				record.fail(`no initial response within ${this.ackTimeoutMs} ms`);
			}
		}, this.ackTimeoutMs);
		return record;
	}

	/** POSTs `record`'s interaction to the bot's endpoint, signed; a 200 JSON answer is its initial callback. */
	private async postToEndpoint(url: string, record: InteractionRecord): Promise<void> {
		const route = `ENDPOINT POST ${new URL(url).pathname}`;
		const text = JSON.stringify(record.payload);
		const timestamp = String(Math.floor(Date.now() / 1000));
		const signature = sign(null, Buffer.from(timestamp + text), this.signingKey).toString('hex');
		let status: number;
		let answer: Buffer;
		let type: string;
		try {
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
				body: text,
			});
			status = res.status;
			type = res.headers.get('content-type') ?? '';
			answer = Buffer.from(await res.arrayBuffer());
		} catch (error) {
			if (!this.closed) this.violation(`${route} [${record.label}]: the endpoint could not be reached: ${String(error)}`, record);
			return;
		}
		this.log(`${route} [${record.label}] -> ${status}`);
		if (this.closed) return;
		// A 200 with the callback as JSON, or as multipart/form-data when it carries files.
		let parsed: { body: unknown; files: RecordedFile[] } | undefined;
		try {
			parsed = status === 200 ? await this.parseBody(answer, type, route) : undefined;
		} catch {
			parsed = undefined;
		}
		if (parsed?.body === undefined) {
			const shown = JSON.stringify(answer.toString('utf8').slice(0, 200));
			this.violation(`${route} [${record.label}]: the endpoint answered ${status} ${type} ${shown}, not a callback`, record);
			return;
		}
		try {
			this.acceptCallback(record, route, undefined, parsed.body, parsed.files);
		} catch (error) {
			// A refused callback was recorded as a violation; anything else is the fake's own bug.
			if (!(error instanceof HttpError)) throw error;
		}
	}

	private sessionForGuild(guildId: string): Session | undefined {
		let found: Session | undefined;
		for (const session of this.sessions.values()) {
			const [shardId, count] = session.shard;
			if (shardForGuild(guildId, count) === shardId) found = session; // latest wins
		}
		return found;
	}

	// ------------------------------------------------------------------------------------------------ gateway

	/** Closes every gateway socket abruptly. Default code 4000 (clients resume); `terminate: true` drops TCP (1006). */
	dropConnections(opts: { code?: number; terminate?: boolean } = {}): void {
		for (const connection of this.connections) {
			if (opts.terminate) connection.socket.terminate();
			else connection.socket.close(opts.code ?? 4000, 'fake discord: dropped');
			if (connection.session && connection.session.socket === connection.socket) connection.session.socket = null;
		}
		this.connections.clear();
	}

	/** Sends a raw dispatch on the gateway session that owns `guildId` (default: first guild). */
	dispatchRaw(t: string, d: unknown, guildId: string = this.guildId): void {
		const session = this.sessionForGuild(guildId);
		if (!session) throw new Error(`fake discord: no gateway session owns guild ${guildId}`);
		this.dispatch(session, t, d);
	}

	private send(
		socket: WebSocket,
		payload: { op: number; d: unknown; s?: number | null; t?: string | null },
		shard: [number, number] | null,
	): void {
		this.gatewayLog.push({ direction: 'out', shard, op: payload.op, t: payload.t ?? null, at: Date.now() });
		if (socket.readyState !== socket.OPEN) return;
		socket.send(JSON.stringify({ s: null, t: null, ...payload }));
	}

	private dispatch(session: Session, t: string, d: unknown): void {
		session.seq++;
		const event = { s: session.seq, t, d };
		session.events.push(event);
		if (session.events.length > 1000) session.events.shift();
		if (session.socket) this.send(session.socket, { op: 0, ...event }, session.shard);
	}

	private handleConnection(socket: WebSocket, req: IncomingMessage): void {
		const url = new URL(req.url ?? '/', this.apiBase);
		const connection: Connection = { socket, path: url.pathname, session: null };
		this.connections.add(connection);
		const v = url.searchParams.get('v');
		if (v !== '10') this.violation(`GATEWAY ${req.url}: expected ?v=10, got ${String(v)}`);
		if (url.searchParams.get('encoding') !== 'json') {
			this.violation(`GATEWAY ${req.url}: only encoding=json is supported`);
		}
		if (url.searchParams.has('compress')) {
			this.violation(`GATEWAY ${req.url}: transport compression is not supported by the fake`);
			socket.close(4000, 'compression unsupported');
			return;
		}
		socket.on('message', (raw: Buffer) => this.handleFrame(connection, raw.toString('utf8')));
		socket.on('close', () => {
			this.connections.delete(connection);
			if (connection.session?.socket === socket) connection.session.socket = null;
		});
		socket.on('error', () => {});
		this.send(socket, { op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs, _trace: ['["fake-discord"]'] } }, null);
	}

	private handleFrame(connection: Connection, text: string): void {
		let payload: unknown;
		try {
			payload = JSON.parse(text);
		} catch {
			this.violation('GATEWAY: received a frame that is not JSON');
			connection.socket.close(4002, 'Error while decoding payload.');
			return;
		}
		const frame = isPlainObject(payload) ? payload : {};
		const op = typeof frame['op'] === 'number' ? frame['op'] : NaN;
		this.log(`gateway in op ${String(frame['op'])}`);
		this.gatewayLog.push({ direction: 'in', shard: connection.session?.shard ?? null, op, at: Date.now() });
		const { socket } = connection;
		const d = isPlainObject(frame['d']) ? frame['d'] : {};
		switch (op) {
			case 1:
				this.send(socket, { op: 11, d: null }, connection.session?.shard ?? null);
				return;
			case 2:
				this.identify(connection, d);
				return;
			case 6:
				this.resume(connection, d);
				return;
			case 3:
			case 4:
			case 8:
				if (!connection.session) {
					socket.close(4003, 'Not authenticated.');
					this.violation(`GATEWAY: op ${op} before IDENTIFY`);
				}
				return;
			default:
				this.violation(`GATEWAY: unknown opcode ${String(frame['op'])}`);
				socket.close(4001, 'Unknown opcode.');
		}
	}

	private identify(connection: Connection, d: Record<string, unknown>): void {
		const { socket } = connection;
		if (connection.session) {
			this.violation('GATEWAY: IDENTIFY sent twice on one connection');
			socket.close(4005, 'Already authenticated.');
			return;
		}
		const token = d['token'];
		if (typeof token !== 'string' || token.length === 0) {
			this.violation('GATEWAY IDENTIFY: missing token');
			socket.close(4004, 'Authentication failed.');
			return;
		}
		this.tokensSeen.add(token);
		const intents = d['intents'];
		if (typeof intents !== 'number') this.violation('GATEWAY IDENTIFY: intents must be a number');
		if (!isPlainObject(d['properties'])) {
			this.violation('GATEWAY IDENTIFY: properties {os, browser, device} are required');
		}
		let shard: [number, number] = [0, 1];
		if (d['shard'] !== undefined) {
			const [id, count] = arrayOf(d['shard']);
			if (
				typeof id !== 'number' ||
				typeof count !== 'number' ||
				!Number.isInteger(id) ||
				!Number.isInteger(count) ||
				count < 1 ||
				id < 0 ||
				id >= count
			) {
				this.violation(`GATEWAY IDENTIFY: invalid shard ${JSON.stringify(d['shard'])}`);
				socket.close(4010, 'Invalid shard.');
				return;
			}
			shard = [id, count];
		}
		const session: Session = {
			id: randomBytes(16).toString('hex'),
			shard,
			token,
			seq: 0,
			socket,
			events: [],
			intents: typeof intents === 'number' ? intents : 0,
		};
		// A new IDENTIFY for the same shard replaces the old session.
		for (const [id, old] of this.sessions) {
			if (old.shard[0] === shard[0] && old.shard[1] === shard[1]) this.sessions.delete(id);
		}
		this.sessions.set(session.id, session);
		connection.session = session;
		const owned = this.guilds.filter((g) => shardForGuild(g.id, shard[1]) === shard[0]);
		const ready = {
			v: 10,
			user: this.botUser,
			user_settings: {},
			private_channels: [],
			presences: [],
			relationships: [],
			guild_join_requests: [],
			geo_ordered_rtc_regions: ['fake'],
			guilds: owned.map((g) => ({ id: g.id, unavailable: true })),
			session_id: session.id,
			session_type: 'normal',
			resume_gateway_url: `${this.gatewayUrl}/resume`,
			application: { id: this.applicationId, flags: 565248 },
			auth: {},
			_trace: ['["fake-discord"]'],
			...(d['shard'] !== undefined ? { shard } : {}),
		};
		this.dispatch(session, 'READY', ready);
		for (const guild of owned) this.dispatch(session, 'GUILD_CREATE', this.guildCreatePayload(guild));
		this.readyCount++;
		this.notifyGateway();
	}

	private resume(connection: Connection, d: Record<string, unknown>): void {
		const sessionId = d['session_id'];
		const session = typeof sessionId === 'string' ? this.sessions.get(sessionId) : undefined;
		if (!session || session.token !== d['token']) {
			this.send(connection.socket, { op: 9, d: false }, null);
			return;
		}
		if (connection.path !== '/resume') {
			this.warning(`GATEWAY RESUME on ${connection.path} instead of READY's resume_gateway_url`);
		}
		const seq = d['seq'];
		if (typeof seq !== 'number' && seq !== null) this.violation('GATEWAY RESUME: seq must be a number');
		connection.session = session;
		session.socket = connection.socket;
		const from = typeof seq === 'number' ? seq : 0;
		for (const event of session.events) {
			if (event.s > from) this.send(connection.socket, { op: 0, ...event }, session.shard);
		}
		this.dispatch(session, 'RESUMED', { _trace: ['["fake-discord"]'] });
		this.resumedCount++;
		this.notifyGateway();
	}

	private guildCreatePayload(guild: FakeGuild): { channels: unknown[]; members: unknown[]; [key: string]: unknown } {
		return {
			id: guild.id,
			name: guild.name,
			icon: null,
			splash: null,
			discovery_splash: null,
			banner: null,
			description: null,
			owner_id: this.defaultUser.id,
			afk_channel_id: null,
			afk_timeout: 300,
			verification_level: 0,
			default_message_notifications: 0,
			explicit_content_filter: 0,
			roles: [
				{
					id: guild.id,
					name: '@everyone',
					color: 0,
					colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
					hoist: false,
					icon: null,
					unicode_emoji: null,
					position: 0,
					permissions: PERMISSIONS_ALL_TEXT,
					managed: false,
					mentionable: false,
					flags: 0,
				},
			],
			emojis: [],
			stickers: [],
			features: [],
			mfa_level: 0,
			application_id: null,
			system_channel_id: null,
			system_channel_flags: 0,
			rules_channel_id: null,
			public_updates_channel_id: null,
			safety_alerts_channel_id: null,
			max_members: 500000,
			vanity_url_code: null,
			premium_tier: 0,
			premium_subscription_count: 0,
			premium_progress_bar_enabled: false,
			preferred_locale: 'en-US',
			nsfw_level: 0,
			nsfw: false,
			joined_at: '2024-01-01T00:00:00.000000+00:00',
			large: false,
			unavailable: false,
			member_count: 2,
			lazy: true,
			voice_states: [],
			members: [guildMember(this.botUser)],
			channels: [this.channelPayload(guild)],
			threads: [],
			presences: [],
			stage_instances: [],
			guild_scheduled_events: [],
			soundboard_sounds: [],
			embedded_activities: [],
			activity_instances: [],
			incidents_data: null,
			hub_type: null,
			home_header: null,
			latest_onboarding_question_id: null,
			inventory_settings: null,
			version: 0,
		};
	}

	// ------------------------------------------------------------------------------------------------ HTTP

	private log(message: string): void {
		if (this.debug) process.stderr.write(`[fake-discord] ${message}\n`);
	}

	/**
	 * A body by its content type: JSON, or multipart/form-data (its `payload_json` and its files; see attachments.ts).
	 * Empty: no body. Throws a 400 for any other type and for a body its type cannot read.
	 */
	private async parseBody(raw: Buffer, type: string, route: string): Promise<{ body: unknown; files: RecordedFile[] }> {
		if (raw.length === 0) return { body: undefined, files: [] };
		const unreadable = new HttpError(400, { message: '400: Bad Request', code: 50109 });
		if (type.startsWith('application/json')) {
			try {
				return { body: parseJson(raw.toString('utf8')), files: [] };
			} catch {
				throw unreadable;
			}
		}
		if (type.startsWith('multipart/form-data')) {
			const findings = emptyFindings();
			let parsed: { body: unknown; files: RecordedFile[] };
			try {
				parsed = await readMultipart(raw, type, route, findings);
			} catch {
				throw unreadable;
			}
			this.report(findings);
			return parsed;
		}
		throw new HttpError(400, { message: `unsupported content-type ${type}`, code: 0 });
	}

	private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', this.apiBase);
		const method = req.method ?? 'GET';
		const auth = typeof req.headers.authorization === 'string' ? req.headers.authorization : null;
		let status: number;
		let responseBody: unknown;
		let body: unknown;
		try {
			const parsed = await this.parseBody(await buffer(req), req.headers['content-type'] ?? '', `${method} ${url.pathname}`);
			body = parsed.body;
			const result = this.route(method, url, auth, parsed.body, parsed.files);
			status = result.status;
			responseBody = result.body;
		} catch (error) {
			if (error instanceof HttpError) {
				status = error.status;
				responseBody = error.body;
			} else {
				status = 500;
				responseBody = { message: String(error), code: 0 };
				this.violation(`${method} ${url.pathname}: fake crashed: ${error instanceof Error ? String(error.stack) : String(error)}`);
			}
		}
		this.requests.push({ method, path: url.pathname + url.search, status, body, auth });
		this.log(`${method} ${url.pathname}${url.search} -> ${status}`);
		if (status === 204 || responseBody === null) {
			res.writeHead(status === 200 ? 204 : status).end();
			return;
		}
		const text = JSON.stringify(responseBody);
		res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
	}

	private requireAuth(route: string, auth: string | null): void {
		if (!auth || !/^Bot \S+$/.test(auth)) {
			this.violation(`${route}: missing or malformed "Authorization: Bot <token>" header`);
			throw new HttpError(401, { message: '401: Unauthorized', code: 0 });
		}
		this.tokensSeen.add(auth.slice(4));
	}

	private route(method: string, url: URL, auth: string | null, body: unknown, files: RecordedFile[]): { status: number; body: unknown } {
		const path = url.pathname;
		if (!path.startsWith('/v10/')) {
			this.violation(`${method} ${path}: not an API v10 route`);
			throw new HttpError(404, { message: '404: Not Found', code: 0 });
		}
		const segments = path
			.slice('/v10/'.length)
			.split('/')
			.map((s) => decodeURIComponent(s));
		const [a, b, c, d, e, f] = segments;
		const n = segments.length;
		const route = `${method} /${segments.map((s) => (/^\d{15,}$/.test(s) ? ':id' : s.length > 40 ? ':token' : s)).join('/')}`;
		const ok = (value: unknown, status = 200): { status: number; body: unknown } => ({ status, body: value });

		if (a === 'gateway' && b === 'bot' && n === 2 && method === 'GET') {
			this.requireAuth(route, auth);
			return ok({
				url: this.gatewayUrl,
				shards: this.recommendedShards,
				session_start_limit: { total: 1000, remaining: 1000, reset_after: 14_400_000, max_concurrency: 16 },
			});
		}
		if (a === 'gateway' && n === 1 && method === 'GET') return ok({ url: this.gatewayUrl });
		if (a === 'users' && b && n === 2 && method === 'GET') {
			this.requireAuth(route, auth);
			if (b === '@me' || b === this.botUser.id) return ok(this.botUser);
			const user = this.interactions.map((r) => r.user).find((u) => u.id === b);
			if (user) return ok(user);
			throw new HttpError(404, { message: 'Unknown User', code: 10013 });
		}
		if (a === 'applications' && b === '@me' && n === 2 && method === 'GET') {
			this.requireAuth(route, auth);
			return ok(this.applicationPayload());
		}
		if (a === 'applications' && (c === 'commands' || (c === 'guilds' && e === 'commands'))) {
			this.requireAuth(route, auth);
			if (b !== this.applicationId) {
				this.violation(`${route}: unknown application ${String(b)}`);
				throw new HttpError(404, { message: 'Unknown Application', code: 10002 });
			}
			const guildId = c === 'guilds' ? d : undefined;
			if (guildId !== undefined && !this.guilds.some((g) => g.id === guildId)) {
				this.violation(`${route}: unknown guild ${guildId}`);
				throw new HttpError(403, { message: 'Missing Access', code: 50001 });
			}
			const commandId = c === 'guilds' ? f : d;
			const rest = c === 'guilds' ? n - 5 : n - 3;
			if (rest === 0 || (rest === 1 && commandId)) {
				return ok(...this.commandsRoute(route, method, guildId, rest === 1 ? commandId : undefined, body));
			}
		}
		if (a === 'interactions' && n === 4 && d === 'callback' && method === 'POST' && b && c) {
			return this.interactionCallback(route, b, c, url, body, files);
		}
		if (a === 'webhooks' && b && c) {
			if (n === 3 && method === 'POST') return this.webhookPost(route, b, c, url, body, files);
			if (n === 5 && d === 'messages' && e) return this.webhookMessage(route, method, b, c, e, body, files);
		}
		if (a === 'channels' && b && n === 2 && method === 'GET') {
			this.requireAuth(route, auth);
			const guild = this.guilds.find((g) => g.channelId === b);
			if (guild) return ok(this.channelPayload(guild));
			throw new HttpError(404, { message: 'Unknown Channel', code: 10003 });
		}
		if (a === 'channels' && b && c === 'messages' && d && n === 4 && method === 'GET') {
			this.requireAuth(route, auth);
			const message = this.messages.get(d);
			if (message && message.channel_id === b && !((message.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL)) return ok(message);
			throw new HttpError(404, { message: 'Unknown Message', code: 10008 });
		}
		if (a === 'guilds' && b && n === 2 && method === 'GET') {
			this.requireAuth(route, auth);
			const guild = this.guilds.find((g) => g.id === b);
			if (guild) {
				const { channels: _c, members: _m, ...rest } = this.guildCreatePayload(guild);
				return ok(rest);
			}
			throw new HttpError(404, { message: 'Unknown Guild', code: 10004 });
		}
		this.violation(`${method} ${path}: route not implemented by the fake (or unknown to Discord)`);
		throw new HttpError(404, { message: '404: Not Found', code: 0 });
	}

	private applicationPayload(): Record<string, unknown> {
		return {
			id: this.applicationId,
			name: this.botUser.username,
			icon: null,
			description: '',
			summary: '',
			type: null,
			hook: true,
			bot_public: true,
			bot_require_code_grant: false,
			verify_key: '0'.repeat(64),
			flags: 565248,
			bot: this.botUser,
			owner: this.defaultUser,
			team: null,
			tags: [],
			approximate_guild_count: this.guilds.length,
			interactions_endpoint_url: null,
			redirect_uris: [],
			integration_types_config: { '0': {} },
		};
	}

	// ------------------------------------------------------------------------------------------------ commands

	private normalizeCommand(
		input: RESTPostAPIApplicationCommandsJSONBody,
		guildId: string | undefined,
		existing: APIApplicationCommand | undefined,
	): APIApplicationCommand {
		return {
			id: existing?.id ?? snowflake(),
			application_id: this.applicationId,
			version: snowflake(),
			type: ApplicationCommandType.ChatInput,
			name: input.name,
			description: '',
			default_member_permissions: null,
			name_localizations: null,
			description_localizations: null,
			dm_permission: true,
			contexts: null,
			integration_types: [ApplicationIntegrationType.GuildInstall],
			nsfw: false,
			...commandFields(input),
			...(guildId ? { guild_id: guildId } : {}),
		};
	}

	private commandsRoute(
		route: string,
		method: string,
		guildId: string | undefined,
		commandId: string | undefined,
		body: unknown,
	): [unknown, number] {
		const key = guildId ?? 'global';
		let store = this.commandStore.get(key);
		if (!store) {
			store = new Map();
			this.commandStore.set(key, store);
		}
		const findings = emptyFindings();
		const invalid = (): HttpError => new HttpError(400, { message: 'Invalid Form Body', code: 50035, errors: findings.violations });
		if (commandId) {
			const existing = store.get(commandId);
			if (!existing) throw new HttpError(404, { message: 'Unknown application command', code: 10063 });
			if (method === 'GET') return [existing, 200];
			if (method === 'DELETE') {
				store.delete(commandId);
				return [null, 204];
			}
			if (method === 'PATCH') {
				checkSchema(route, 'ApplicationCommandPatchRequestPartial', [ApplicationCommandPatchRequestPartialSchema], body, findings);
				this.report(findings);
				if (!isCommandPatch(body)) throw invalid();
				const updated: APIApplicationCommand = { ...existing, ...commandFields(body) };
				store.set(commandId, updated);
				return [updated, 200];
			}
		} else if (method === 'GET') {
			return [[...store.values()], 200];
		} else if (method === 'PUT') {
			if (!Array.isArray(body)) {
				this.violation(`${route}: body must be an array of commands`);
				throw new HttpError(400, { message: 'Invalid Form Body', code: 50035 });
			}
			const inputs = arrayOf(body);
			if (inputs.length > 100) findings.violations.push(`${route}: ${inputs.length} commands (limit 100 chat input commands)`);
			inputs.forEach((command, i) =>
				checkSchema(
					`${route} [${i}] ${String(prop(command, 'name'))}`,
					'ApplicationCommandUpdateRequest',
					[ApplicationCommandUpdateRequestSchema],
					command,
					findings,
				),
			);
			const names = new Set<string>();
			for (const command of inputs) {
				const k = `${JSON.stringify(prop(command, 'type') ?? 1)}:${String(prop(command, 'name'))}`;
				if (names.has(k)) findings.violations.push(`${route}: duplicate command name "${String(prop(command, 'name'))}"`);
				names.add(k);
				this.checkCommandOptions(route, command, findings);
			}
			this.report(findings);
			const valid = inputs.filter(isCommandUpdate);
			if (findings.violations.length > 0 || valid.length < inputs.length) throw invalid();
			const byName = new Map([...store.values()].map((cmd) => [`${cmd.type}:${cmd.name}`, cmd]));
			store.clear();
			for (const input of valid) {
				const command = this.normalizeCommand(
					input,
					guildId,
					byName.get(`${input.type ?? ApplicationCommandType.ChatInput}:${input.name}`),
				);
				store.set(command.id, command);
			}
			return [[...store.values()], 200];
		} else if (method === 'POST') {
			checkSchema(route, 'ApplicationCommandCreateRequest', [ApplicationCommandCreateRequestSchema], body, findings);
			this.checkCommandOptions(route, body, findings);
			this.report(findings);
			if (findings.violations.length > 0 || !isCommandCreate(body)) throw invalid();
			const type = body.type ?? ApplicationCommandType.ChatInput;
			const existing = [...store.values()].find((cmd) => cmd.name === body.name && cmd.type === type);
			const command = this.normalizeCommand(body, guildId, existing);
			store.set(command.id, command);
			return [command, existing ? 200 : 201];
		}
		this.violation(`${route}: method not supported`);
		throw new HttpError(405, { message: '405: Method Not Allowed', code: 0 });
	}

	/** Documented rules the OpenAPI spec does not encode (CHAT_INPUT names, descriptions, option order, choices). */
	private checkCommandOptions(route: string, command: unknown, findings: Findings): void {
		const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
		const checkNamed = (item: unknown, where: string): void => {
			const name = prop(item, 'name');
			if (typeof name !== 'string' || !NAME.test(name) || name !== name.toLowerCase()) {
				findings.violations.push(`${route}: ${where}: name ${JSON.stringify(name)} must match ${NAME.source} and be lowercase`);
			}
			const description = prop(item, 'description');
			if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
				findings.violations.push(`${route}: ${where}: description must be 1-100 characters`);
			}
			const choices = arrayOf(prop(item, 'choices'));
			if (choices.length > 25) {
				findings.violations.push(`${route}: ${where}: ${choices.length} choices (limit 25)`);
			}
		};
		if ((prop(command, 'type') ?? 1) !== 1) return;
		checkNamed(command, `/${String(prop(command, 'name'))}`);
		const walk = (options: unknown, where: string): void => {
			if (!Array.isArray(options)) return;
			const list = arrayOf(options);
			if (list.length > 25) findings.violations.push(`${route}: ${where} has ${list.length} options (limit 25)`);
			const names = new Set<unknown>();
			let seenOptional = false;
			for (const option of list) {
				const name = String(prop(option, 'name'));
				checkNamed(option, `${where} option ${name}`);
				if (names.has(prop(option, 'name'))) findings.violations.push(`${route}: ${where}: duplicate option "${name}"`);
				names.add(prop(option, 'name'));
				const type = prop(option, 'type');
				if (type === 1 || type === 2) {
					walk(prop(option, 'options'), `${where} ${name}`);
					continue;
				}
				const required = Boolean(prop(option, 'required'));
				if (required && seenOptional) {
					findings.violations.push(`${route}: ${where}: required option "${name}" after an optional one`);
				}
				if (!required) seenOptional = true;
				if (prop(option, 'autocomplete') && arrayOf(prop(option, 'choices')).length > 0) {
					findings.violations.push(`${route}: ${where}: option "${name}" has both autocomplete and choices`);
				}
			}
		};
		walk(prop(command, 'options'), `/${String(prop(command, 'name'))}`);
	}

	private report(findings: Findings, record?: InteractionRecord): void {
		for (const v of findings.violations) this.violation(v, record);
		for (const w of findings.warnings) this.warning(w);
	}

	// ------------------------------------------------------------------------------------------------ interactions

	private lookupInteraction(route: string, idOrApp: string, token: string, isWebhook: boolean): InteractionRecord {
		const record = this.byToken.get(token);
		if (!record || (!isWebhook && record.id !== idOrApp)) {
			this.violation(`${route}: unknown interaction${isWebhook ? ' webhook' : ''} (id/token do not match an injected interaction)`);
			throw new HttpError(404, isWebhook ? { message: 'Unknown Webhook', code: 10015 } : { message: 'Unknown interaction', code: 10062 });
		}
		if (isWebhook && idOrApp !== this.applicationId) {
			this.violation(`${route} [${record.label}]: webhook id must be the application id ${this.applicationId}, got ${idOrApp}`);
			throw new HttpError(404, { message: 'Unknown Webhook', code: 10015 });
		}
		return record;
	}

	private recordResponse(record: InteractionRecord, response: Omit<RecordedResponse, 'at'>): void {
		record.responses.push({ ...response, at: Date.now() - record.dispatchedAt });
	}

	/** The message a component interaction was on (throws for other interactions: a bug of the fake). */
	private componentMessage(record: InteractionRecord): FakeMessage {
		const message = record.payload.message;
		if (!message) throw new Error(`fake discord: ${record.label} carries no message`);
		return message;
	}

	private newMessage(record: InteractionRecord, data: MessageData | undefined, files: RecordedFile[], flags = 0): FakeMessage {
		const { payload } = record;
		const guildId = payload.guild_id;
		const user = record.user;
		const owners = { [ApplicationIntegrationType.GuildInstall]: guildId ?? '0' };
		const message: FakeMessage = {
			id: snowflake(),
			type: record.kind === 'slash' ? MessageType.ChatInputCommand : MessageType.Default,
			channel_id: payload.channel.id,
			...(guildId !== undefined ? { guild_id: guildId } : {}),
			author: this.botUser,
			content: '',
			embeds: [],
			components: [],
			attachments: [],
			mentions: [],
			mention_roles: [],
			mention_everyone: false,
			pinned: false,
			tts: false,
			timestamp: nowIso(),
			edited_timestamp: null,
			flags,
			webhook_id: this.applicationId,
			application_id: this.applicationId,
			position: 0,
			interaction_metadata: this.interactionMetadata(record, record.kind, owners),
			interaction: {
				id: record.id,
				type: payload.type,
				name: 'name' in payload.data ? payload.data.name : payload.data.custom_id,
				user,
			},
		};
		this.applyMessageData(message, data, files);
		this.messages.set(message.id, message);
		return message;
	}

	/** The `interaction_metadata` of a message answering `record` (as `kind`): what was used, by whom; for a modal submit, what showed the modal. */
	private interactionMetadata(record: InteractionRecord, kind: Kind, owners: Record<string, string>): FakeMessage['interaction_metadata'] {
		const { payload } = record;
		const base = { id: record.id, user: record.user, authorizing_integration_owners: owners };
		if (kind === 'component') {
			return { ...base, type: InteractionType.MessageComponent, interacted_message_id: this.componentMessage(record).id };
		}
		if (kind === 'modal') {
			const shownBy = record.modalFrom;
			const trigger = shownBy ? this.interactionMetadata(shownBy, shownBy.kind, owners) : undefined;
			if (trigger?.type === InteractionType.ApplicationCommand || trigger?.type === InteractionType.MessageComponent)
				return { ...base, type: InteractionType.ModalSubmit, triggering_interaction_metadata: trigger };
		}
		return {
			...base,
			type: InteractionType.ApplicationCommand,
			...('name' in payload.data ? { name: payload.data.name, command_type: ApplicationCommandType.ChatInput } : {}),
		};
	}

	private applyMessageData(message: FakeMessage, data: MessageData | undefined, files: RecordedFile[]): void {
		if (!data) return;
		if ('content' in data) message.content = data.content ?? '';
		if ('embeds' in data) message.embeds = (data.embeds ?? []).map((embed) => ({ type: EmbedType.Rich, ...clone(embed) }));
		if ('components' in data) message.components = clone(data.components ?? []);
		if (typeof data.flags === 'number') {
			// Only EPHEMERAL, SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2 can be set; keep ephemeral once set.
			const keep = (message.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL;
			message.flags = (data.flags & ((1 << 2) | (1 << 12) | (1 << 15) | MESSAGE_FLAG_EPHEMERAL)) | keep;
		}
		if ('attachments' in data || files.length > 0) {
			const attachments: APIAttachment[] = [];
			for (const attachment of data.attachments ?? []) {
				const existing = message.attachments.find((a) => a.id === String(attachment.id));
				if (existing) {
					attachments.push(existing);
					continue;
				}
				const file = fileForAttachment(files, attachment.id);
				if (!file) continue;
				const id = snowflake();
				const url = `${this.apiBase}/attachments/${message.channel_id}/${id}/${encodeURIComponent(file.name)}`;
				attachments.push({
					id,
					filename: attachment.filename ?? file.name,
					size: file.size,
					content_type: file.contentType,
					url,
					proxy_url: url,
					...(file.width !== null && file.height !== null ? { width: file.width, height: file.height } : {}),
					...(attachment.description ? { description: attachment.description } : {}),
				});
			}
			message.attachments = attachments;
		}
	}

	private interactionCallback(
		route: string,
		interactionId: string,
		token: string,
		url: URL,
		body: unknown,
		files: RecordedFile[],
	): { status: number; body: unknown } {
		const record = this.lookupInteraction(route, interactionId, token, false);
		return this.acceptCallback(record, route, url, body, files);
	}

	/**
	 * The initial response to `record`, from the callback route (`url` with its query) or, for an interaction POSTed
	 * to the bot's endpoint, from the endpoint's HTTP response (`url` undefined): checked, recorded, applied.
	 */
	private acceptCallback(
		record: InteractionRecord,
		route: string,
		url: URL | undefined,
		body: unknown,
		files: RecordedFile[],
	): { status: number; body: unknown } {
		const rawType = prop(body, 'type');
		/** The callback type; -1 when the body has none (a violation below). */
		const type = typeof rawType === 'number' ? rawType : -1;
		const label = `${route} [${record.label}, type ${String(rawType)}]`;
		const elapsed = Date.now() - record.dispatchedAt;
		const callback = isCallbackBody(body) ? body : undefined;
		const data =
			callback?.type === InteractionResponseType.ChannelMessageWithSource || callback?.type === InteractionResponseType.UpdateMessage
				? callback.data
				: undefined;
		const path = url?.pathname ?? route;
		const recorded = { kind: 'callback', method: 'POST', path, type, body, ...(data ? { data } : {}), files } as const;
		if (record.callbackType !== null) {
			this.recordResponse(record, { ...recorded, status: 400 });
			record.changed();
			const why = type === 9 ? 'a modal must be the first response' : 'interaction answered twice';
			this.violation(`${label}: ${why} (already acknowledged with type ${record.callbackType})`, record);
			throw new HttpError(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
		}
		if (elapsed > this.ackTimeoutMs) {
			this.violation(`${label}: initial response after ${elapsed} ms (limit ${this.ackTimeoutMs} ms)`, record);
			throw new HttpError(404, { message: 'Unknown interaction', code: 10062 });
		}
		const withResponse = url?.searchParams.get('with_response');
		if (type !== 8 && withResponse === null) {
			this.warning(`${label}: no with_response query parameter`);
		}
		const findings = emptyFindings();
		// A modal answers a command or a component, never a modal submit; a submit updates the message only when a component showed the modal.
		const allowedTypes: Record<Kind, number[]> = {
			slash: [4, 5, 9],
			autocomplete: [8],
			component: [4, 5, 6, 7, 9],
			modal: record.payload.message ? [4, 5, 6, 7] : [4, 5],
		};
		if (!allowedTypes[record.kind].includes(type)) {
			findings.violations.push(`${label}: callback type ${String(rawType)} is not valid for a ${record.kind} interaction`);
		}
		const check = (): void => {
			checkCallback(label, rawType, body, findings);
			if (type === 4 || type === 7) {
				// An update keeps the clicked message's attachments that its `attachments` names.
				const kept = type === 7 && record.payload.message ? keptAttachments(record.payload.message) : [];
				checkAttachments(label, prop(body, 'data'), files, kept, this.maxAttachmentBytes, findings);
			} else if (files.length > 0) {
				findings.violations.push(`${label}: files sent with a callback of type ${String(rawType)}, which carries no message`);
			}
		};
		if (this.deferValidation && type >= 4 && type <= 7 && findings.violations.length === 0) {
			setImmediate(() => {
				check();
				this.report(findings, record);
			});
		} else {
			check();
			this.report(findings, record);
		}
		this.recordResponse(record, { ...recorded, status: 200 });
		// Discord refuses a bad body of any type but a message's (those are accepted, so a test sees what was sent).
		if (findings.violations.length > 0 && (type < 4 || type > 7)) {
			record.changed();
			throw new HttpError(400, { message: 'Invalid Form Body', code: 50035, errors: findings.violations });
		}
		record.callbackType = type;
		record.acknowledgedAt = Date.now();
		if (record.ackTimer) {
			clearTimeout(record.ackTimer);
			record.ackTimer = null;
		}

		let message: FakeMessage | null = null;
		if (type === 4) {
			message = this.newMessage(record, data, files);
			record.originalMessageId = message.id;
		} else if (type === 5) {
			const flags = prop(prop(body, 'data'), 'flags');
			message = this.newMessage(
				record,
				undefined,
				[],
				((typeof flags === 'number' ? flags : 0) & MESSAGE_FLAG_EPHEMERAL) | MESSAGE_FLAG_LOADING,
			);
			record.originalMessageId = message.id;
		} else if (type === 6 || type === 7) {
			const clicked = this.componentMessage(record).id;
			message = this.messages.get(clicked) ?? null;
			record.originalMessageId = clicked;
			if (type === 7 && message) {
				this.applyMessageData(message, data, files);
				message.edited_timestamp = nowIso();
			}
		} else if (type === 8) {
			record.choices =
				callback?.type === InteractionResponseType.ApplicationCommandAutocompleteResult ? clone(callback.data.choices ?? []) : [];
		} else if (callback?.type === InteractionResponseType.Modal) {
			record.modal = clone(callback.data);
		}
		if (type === 5 || type === 6) {
			record.followUpTimer = setTimeout(() => {
				record.followUpTimer = null;
				if (!record.complete) {
					this.violation(`${record.label}: deferred (type ${type}) but no edit/follow-up within ${this.followUpTimeoutMs} ms`, record);
					record.fail(`deferred but never completed`);
				}
			}, this.followUpTimeoutMs);
		}
		record.changed();

		if (withResponse === 'true') {
			return {
				status: 200,
				body: {
					interaction: {
						id: record.id,
						type: record.payload.type,
						...(message
							? {
									response_message_id: message.id,
									response_message_loading: type === 5,
									response_message_ephemeral: Boolean((message.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL),
								}
							: {}),
					},
					resource: { type, ...(message && type !== 6 ? { message: clone(message) } : {}) },
				},
			};
		}
		return { status: 204, body: null };
	}

	private requireAcknowledged(route: string, record: InteractionRecord): void {
		if (record.callbackType === null) {
			this.violation(`${route} [${record.label}]: webhook used before the interaction was acknowledged`, record);
			throw new HttpError(404, { message: 'Unknown Webhook', code: 10015 });
		}
		if (record.callbackType === 8 || record.callbackType === 9) {
			this.violation(`${route} [${record.label}]: no message to follow up after callback type ${record.callbackType}`, record);
			throw new HttpError(400, { message: 'Invalid interaction state', code: 40007 });
		}
	}

	private webhookPost(
		route: string,
		appId: string,
		token: string,
		url: URL,
		body: unknown,
		files: RecordedFile[],
	): { status: number; body: unknown } {
		const record = this.lookupInteraction(route, appId, token, true);
		const label = `${route} [${record.label}]`;
		const findings = emptyFindings();
		checkWebhookBody(label, body, true, findings);
		checkAttachments(label, body, files, [], this.maxAttachmentBytes, findings);
		this.report(findings, record);
		const data = isFollowUpBody(body) ? body : undefined;
		this.recordResponse(record, {
			kind: 'followup',
			method: 'POST',
			path: url.pathname,
			body,
			...(data ? { data } : {}),
			files,
			status: 200,
		});
		try {
			this.requireAcknowledged(route, record);
		} finally {
			record.changed();
		}
		let message: FakeMessage;
		const original = record.originalMessageId ? this.messages.get(record.originalMessageId) : undefined;
		if (record.callbackType === 5 && original && (original.flags ?? 0) & MESSAGE_FLAG_LOADING) {
			// Discord: the first follow-up after deferReply() replaces the loading message.
			this.applyMessageData(original, data, files);
			original.flags = (original.flags ?? 0) & ~MESSAGE_FLAG_LOADING;
			message = original;
		} else {
			message = this.newMessage(record, data, files, (data?.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL);
			message.type = MessageType.Default;
			if (record.originalMessageId) message.interaction_metadata.original_response_message_id = record.originalMessageId;
			record.followUpIds.push(message.id);
		}
		record.changed();
		if (url.searchParams.get('wait') === 'true') return { status: 200, body: clone(message) };
		return { status: 204, body: null };
	}

	private webhookMessage(
		route: string,
		method: string,
		appId: string,
		token: string,
		messageRef: string,
		body: unknown,
		files: RecordedFile[],
	): { status: number; body: unknown } {
		const record = this.lookupInteraction(route, appId, token, true);
		const label = `${route} [${record.label}]`;
		const data = isEditBody(body) ? body : undefined;
		if (method === 'PATCH') {
			const findings = emptyFindings();
			checkWebhookBody(label, body, false, findings);
			this.report(findings, record);
			this.recordResponse(record, { kind: 'edit', method, path: route, body, ...(data ? { data } : {}), files, status: 200 });
		}
		try {
			this.requireAcknowledged(route, record);
		} finally {
			record.changed();
		}
		const messageId = messageRef === '@original' ? record.originalMessageId : messageRef;
		const known = messageId === record.originalMessageId || record.followUpIds.includes(messageId ?? '');
		const message = messageId && known ? this.messages.get(messageId) : undefined;
		if (!message || (messageRef === '@original' && record.originalDeleted)) {
			this.violation(`${label}: unknown message ${messageRef}`, record);
			throw new HttpError(404, { message: 'Unknown Message', code: 10008 });
		}
		if (method === 'GET') return { status: 200, body: clone(message) };
		if (method === 'DELETE') {
			this.messages.delete(message.id);
			if (message.id === record.originalMessageId) record.originalDeleted = true;
			record.changed();
			return { status: 204, body: null };
		}
		if (method === 'PATCH') {
			const findings = emptyFindings();
			checkAttachments(label, body, files, keptAttachments(message), this.maxAttachmentBytes, findings);
			this.report(findings, record);
			this.applyMessageData(message, data, files);
			message.flags = (message.flags ?? 0) & ~MESSAGE_FLAG_LOADING;
			message.edited_timestamp = nowIso();
			record.changed();
			return { status: 200, body: clone(message) };
		}
		this.violation(`${label}: method ${method} not supported`);
		throw new HttpError(405, { message: '405: Method Not Allowed', code: 0 });
	}

	// ------------------------------------------------------------------------------------------------ shutdown

	/** Closes all sockets and the HTTP server. Pending interaction waits are rejected. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		for (const record of this.interactions) {
			record.fail('fake discord closed');
			record.dispose();
		}
		for (const connection of this.connections) connection.socket.terminate();
		this.connections.clear();
		await new Promise<void>((resolve) => this.wss.close(() => resolve()));
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

/** A stored message's attachments, as an edit of it may keep them. */
function keptAttachments(message: FakeMessage): KeptAttachment[] {
	return message.attachments.map(({ id, filename }) => ({ id, filename }));
}

/** A localization map without the `undefined` entries discord-api-types' request types admit (JSON has none). */
function localizations(map: Partial<Record<Locale, string | null | undefined>> | null): Partial<Record<Locale, string | null>> | null {
	if (map === null) return null;
	const out: Partial<Record<Locale, string | null>> = {};
	for (const locale of Object.values(Locale)) {
		const value = map[locale];
		if (value !== undefined) out[locale] = value;
	}
	return out;
}

/** The fields of a command body (create, overwrite or edit) as the stored command carries them; absent ones are left out. */
function commandFields(input: Partial<RESTPostAPIApplicationCommandsJSONBody>): Partial<APIApplicationCommand> {
	const fields: Partial<APIApplicationCommand> = {};
	const body = clone(input);
	if (body.type !== undefined) fields.type = body.type;
	if (body.name !== undefined) fields.name = body.name;
	if (body.name_localizations !== undefined) fields.name_localizations = localizations(body.name_localizations);
	if ('description' in body && body.description !== undefined) fields.description = body.description;
	if ('description_localizations' in body && body.description_localizations !== undefined)
		fields.description_localizations = localizations(body.description_localizations);
	if ('options' in body && body.options !== undefined) fields.options = body.options;
	if (body.default_member_permissions !== undefined) fields.default_member_permissions = body.default_member_permissions;
	if (body.dm_permission !== undefined) fields.dm_permission = body.dm_permission;
	if (body.contexts !== undefined) fields.contexts = body.contexts;
	if (body.integration_types !== undefined) fields.integration_types = body.integration_types;
	if (body.nsfw !== undefined) fields.nsfw = body.nsfw;
	return fields;
}

/** Starts the fake on 127.0.0.1 with a random free port. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscordServer> {
	const fake = new FakeDiscordServer(options);
	await fake.listen();
	return fake;
}
