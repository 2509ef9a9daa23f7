import { createPublicKey, type KeyObject, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { ComponentType, InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import { z } from 'zod';
import type { RawOption } from '../../commands/options.js';
import type { ReplyFile } from '../reply/reply.js';
import { dispatch, type Deps, type Incoming, type ModalField, type Outcome } from './dispatch.js';

/**
 * Discord's other transport: interactions POSTed to an HTTP endpoint, signed with the application's
 * Ed25519 key. The same `dispatch` answers them; the response body is the interaction callback (multipart/form-data
 * when the reply carries files).
 */

const MAX_BODY = 1 << 20;
// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it.
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

export function publicKeyFromHex(hex: string): KeyObject {
	return createPublicKey({ key: Buffer.concat([ED25519_SPKI, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

const OptionValue = z.union([z.string(), z.number(), z.boolean()]);
/**
 * One level of options holding `inner` ones. Discord nests at most three levels (subcommand group >
 * subcommand > option) and 25 options a level, so the schema has three levels and no recursion: a
 * deeper body is no interaction (a 400), and nothing below walks more than three levels.
 */
const optionLevel = <T extends z.ZodType<RawOption>>(inner: T) =>
	z.object({
		name: z.string(),
		type: z.number().int(),
		value: OptionValue.exactOptional(),
		options: z.array(inner).max(25).exactOptional(),
		focused: z.boolean().exactOptional(),
	});
const Options = z.array(optionLevel(optionLevel(optionLevel(z.never())))).max(25);
const User = z.object({ id: z.string() });
/** A field of a submitted modal: a text input's `value` is its text, a checkbox's whether it was ticked. */
const SubmittedField = z.object({
	type: z.number().int(),
	custom_id: z.string().exactOptional(),
	value: z.union([z.string(), z.boolean(), z.null()]).exactOptional(),
});
/** A modal's top-level component as submitted: a Label holding one field (or a legacy action row holding text inputs). */
const SubmittedComponent = z.object({
	type: z.number().int(),
	component: SubmittedField.exactOptional(),
	components: z.array(SubmittedField).max(5).exactOptional(),
});
/** The fields of an interaction that Marquee reads; everything else is ignored. */
const InteractionBody = z.object({
	type: z.number().int(),
	data: z
		.object({
			name: z.string().exactOptional(),
			custom_id: z.string().exactOptional(),
			options: Options.exactOptional(),
			components: z.array(SubmittedComponent).max(5).exactOptional(),
		})
		.exactOptional(),
	guild_id: z.string().exactOptional(),
	member: z.object({ user: User }).exactOptional(),
	user: User.exactOptional(),
	channel: z.object({ id: z.string() }).exactOptional(),
	channel_id: z.string().exactOptional(),
	// The user's and the server's language (Discord locales such as `da`, `en-US`): what a reply is written in.
	locale: z.string().exactOptional(),
	guild_locale: z.string().exactOptional(),
});
type InteractionBody = z.infer<typeof InteractionBody>;

function focusedOption(options: readonly (RawOption & { focused?: boolean })[]): { name: string; value: string } | undefined {
	for (const o of options) {
		if (o.focused) return { name: o.name, value: String(o.value ?? '') };
		const inner = o.options && focusedOption(o.options);
		if (inner) return inner;
	}
	return undefined;
}

/** A submitted modal's text inputs and checkboxes, wherever they sit (in a Label, or an action row); other fields Marquee never shows. */
function modalFields(components: readonly z.infer<typeof SubmittedComponent>[]): ModalField[] {
	const fields: ModalField[] = [];
	for (const top of components) {
		for (const field of [...(top.component ? [top.component] : []), ...(top.components ?? [])]) {
			const { type, custom_id: customId, value } = field;
			if (customId === undefined) continue;
			if (
				(type === Number(ComponentType.TextInput) && typeof value === 'string') ||
				(type === Number(ComponentType.Checkbox) && typeof value === 'boolean')
			)
				fields.push({ customId, value });
		}
	}
	return fields;
}

/** Whether an interaction's `type` (a number in the body) is `type`. */
const isType = (body: { type: number }, type: InteractionType): boolean => body.type === Number(type);

export function toIncoming(body: InteractionBody): Incoming | undefined {
	const userId = body.member?.user.id ?? body.user?.id;
	if (userId === undefined || body.data === undefined) return undefined;
	// No channel (Discord sends one with every interaction now): the user's own, for a user id is never a channel's.
	const channelId = body.channel?.id ?? body.channel_id ?? userId;
	const origin = { userId, channelId, guildId: body.guild_id ?? null, locale: body.locale, guildLocale: body.guild_locale };
	const options = body.data.options ?? [];
	if (isType(body, InteractionType.ApplicationCommand) && body.data.name !== undefined) {
		return { type: 'command', name: body.data.name, options, ...origin };
	}
	if (isType(body, InteractionType.ApplicationCommandAutocomplete) && body.data.name !== undefined) {
		const focused = focusedOption(options);
		return focused && { type: 'autocomplete', name: body.data.name, options, focused, ...origin };
	}
	if (isType(body, InteractionType.MessageComponent) && body.data.custom_id !== undefined) {
		return { type: 'button', customId: body.data.custom_id, ...origin };
	}
	if (isType(body, InteractionType.ModalSubmit) && body.data.custom_id !== undefined) {
		return { type: 'modal', customId: body.data.custom_id, fields: modalFields(body.data.components ?? []), ...origin };
	}
	return undefined;
}

/**
 * The interaction callback for `outcome`, as JSON, and the files that go beside it. A message's files never go in the
 * JSON: its `data.attachments` names each, and `files[i]` is the file of `attachments[i]` (see FinalReply).
 */
function callbackFor(outcome: Outcome): { callback: object; files: readonly ReplyFile[] } {
	if (outcome.kind === 'choices')
		return {
			callback: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: outcome.choices } },
			files: [],
		};
	if (outcome.kind === 'modal') return { callback: { type: InteractionResponseType.Modal, data: outcome.data }, files: [] };
	const { files = [], ...data } = outcome.data;
	return {
		callback: {
			type: outcome.kind === 'update' ? InteractionResponseType.UpdateMessage : InteractionResponseType.ChannelMessageWithSource,
			data,
		},
		files,
	};
}

/**
 * The HTTP answer to an interaction: its callback as JSON; with files, multipart/form-data as Discord takes it — the
 * callback in a `payload_json` part, then each file in a part `files[i]` (i its attachment's id) with its name and `image/png`.
 */
export function callbackAnswer(outcome: Outcome): { contentType: string; body: Buffer } {
	const { callback, files } = callbackFor(outcome);
	const json = JSON.stringify(callback);
	if (files.length === 0) return { contentType: 'application/json', body: Buffer.from(json) };
	// A random boundary: a PNG's bytes cannot be known not to hold a fixed one.
	const boundary = `marquee-${randomBytes(16).toString('hex')}`;
	const part = (headers: string, data: Uint8Array): Buffer[] => [
		Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`),
		Buffer.from(data.buffer, data.byteOffset, data.byteLength),
		Buffer.from('\r\n'),
	];
	const body = Buffer.concat([
		...part('Content-Disposition: form-data; name="payload_json"\r\nContent-Type: application/json', Buffer.from(json)),
		// finalizeReply made the names safe in a header ([a-z0-9_-]+.png) and numbered the attachments as the files.
		...files.flatMap((file, i) =>
			part(`Content-Disposition: form-data; name="files[${i}]"; filename="${file.name}"\r\nContent-Type: image/png`, file.data),
		),
		Buffer.from(`--${boundary}--\r\n`),
	]);
	return { contentType: `multipart/form-data; boundary=${boundary}`, body };
}

/**
 * How long a request may take to arrive, and how many connections may be open at once. Discord sends an
 * interaction whole and wants the answer within 3 s, so a request still arriving after a few seconds is
 * no interaction; the cap keeps stalled connections from taking every file descriptor.
 */
export interface HttpLimits {
	/** Until the request's headers are in (Node answers 408 and closes). */
	readonly headersTimeoutMs: number;
	/** Until the whole request is in, body included (Node answers 408 and closes). */
	readonly requestTimeoutMs: number;
	/** Open connections; Node drops new ones beyond it. */
	readonly maxConnections: number;
}
export const HTTP_LIMITS: HttpLimits = { headersTimeoutMs: 3000, requestTimeoutMs: 3000, maxConnections: 128 };

/** Discord's signature headers, if both are there and well-formed: 64 bytes in hex, and a Unix time in seconds. */
function signatureHeaders(req: IncomingMessage): { signature: Buffer; timestamp: string } | undefined {
	const signature = req.headers['x-signature-ed25519'];
	const timestamp = req.headers['x-signature-timestamp'];
	if (
		typeof signature !== 'string' ||
		typeof timestamp !== 'string' ||
		!/^[0-9a-f]{128}$/i.test(signature) ||
		!/^\d{1,16}$/.test(timestamp)
	)
		return undefined;
	return { signature: Buffer.from(signature, 'hex'), timestamp };
}

/** The body, or why there is none: too large, or the client stopped sending it (it went away, or the request timed out). */
async function readBody(req: IncomingMessage): Promise<Buffer | 'too large' | 'not received'> {
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of req) {
			const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
			size += buf.length;
			if (size > MAX_BODY) return 'too large';
			chunks.push(buf);
		}
	} catch {
		return 'not received';
	}
	return Buffer.concat(chunks);
}

/**
 * `POST /interactions`: 401 for missing, malformed or bad signature headers, 413 for a body over
 * 1 MB, 400 for a body that is not an interaction. Headers are checked before the body is read,
 * and a refused request's connection is closed, so unsigned requests hold nothing. Refusals and
 * bodies that never arrived are logged at debug, one short line each (anyone can cause them).
 */
export function createInteractionsServer(
	publicKeyHex: string,
	deps: Deps,
	inFlight: Set<Promise<void>>,
	limits: Partial<HttpLimits> = {},
): Server {
	const key = publicKeyFromHex(publicKeyHex);
	const { headersTimeoutMs, requestTimeoutMs, maxConnections } = { ...HTTP_LIMITS, ...limits };
	const server = createServer(
		// Node checks the two timeouts every connectionsCheckingInterval (30 s by default).
		{ headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(500, headersTimeoutMs) },
		(req, res) => {
			const send = (status: number, body: object, headers: Record<string, string> = {}): void => {
				const text = JSON.stringify(body);
				res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
			};
			/** Answers without reading (the rest of) the body; Node closes the connection after a `Connection: close` answer instead of draining it. */
			const refuse = (status: number, error: string, reason: string): void => {
				deps.logger.debug({ status, reason }, 'HTTP request refused');
				send(status, { error }, { connection: 'close' });
			};
			if (req.method !== 'POST' || req.url !== '/interactions') return refuse(404, 'not found', 'not POST /interactions');
			const headers = signatureHeaders(req);
			if (!headers) return refuse(401, 'invalid request signature', 'missing or malformed signature headers');
			if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) return refuse(413, 'body too large', 'declared body over 1 MB');
			const job = (async () => {
				const raw = await readBody(req);
				if (raw === 'not received') return deps.logger.debug({ reason: 'request body not received' }, 'HTTP request dropped');
				if (raw === 'too large') return refuse(413, 'body too large', 'body over 1 MB');
				if (!verify(null, Buffer.concat([Buffer.from(headers.timestamp), raw]), key, headers.signature))
					return refuse(401, 'invalid request signature', 'bad signature');
				let json: unknown;
				try {
					json = JSON.parse(raw.toString('utf8'));
				} catch {
					return send(400, { error: 'body is not JSON' });
				}
				const body = InteractionBody.safeParse(json);
				if (!body.success) return send(400, { error: 'not an interaction' });
				if (isType(body.data, InteractionType.Ping)) return send(200, { type: InteractionResponseType.Pong });
				const incoming = toIncoming(body.data);
				if (!incoming) return send(400, { error: 'unsupported interaction' });
				const answer = callbackAnswer(await dispatch(incoming, deps));
				res.writeHead(200, { 'content-type': answer.contentType, 'content-length': answer.body.length }).end(answer.body);
			})()
				.catch((error: unknown) => {
					deps.logger.warn({ err: error }, 'HTTP interaction failed');
					if (!res.headersSent) send(500, { error: 'internal error' });
				})
				.finally(() => inFlight.delete(job));
			inFlight.add(job);
		},
	);
	server.maxConnections = maxConnections;
	return server;
}
