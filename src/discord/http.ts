import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import { z } from 'zod';
import type { RawOption } from '../../commands/options.js';
import { dispatch, type Deps, type Incoming, type Outcome } from './dispatch.js';

/**
 * Discord's other transport: interactions POSTed to an HTTP endpoint, signed with the application's
 * Ed25519 key. The same `dispatch` answers them; the response body is the interaction callback.
 */

const MAX_BODY = 1 << 20;
// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it.
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

export function publicKeyFromHex(hex: string): KeyObject {
	return createPublicKey({ key: Buffer.concat([ED25519_SPKI, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

const RawOptionSchema: z.ZodType<RawOption> = z.lazy(() =>
	z.object({
		name: z.string(),
		type: z.number().int(),
		value: z.union([z.string(), z.number(), z.boolean()]).exactOptional(),
		options: z.array(RawOptionSchema).exactOptional(),
		focused: z.boolean().exactOptional(),
	}),
);
const User = z.object({ id: z.string() });
/** The fields of an interaction that Marquee reads; everything else is ignored. */
const InteractionBody = z.object({
	type: z.number().int(),
	data: z
		.object({ name: z.string().exactOptional(), custom_id: z.string().exactOptional(), options: z.array(RawOptionSchema).exactOptional() })
		.exactOptional(),
	member: z.object({ user: User }).exactOptional(),
	user: User.exactOptional(),
	channel: z.object({ id: z.string() }).exactOptional(),
	channel_id: z.string().exactOptional(),
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

export function toIncoming(body: InteractionBody): Incoming | undefined {
	const userId = body.member?.user.id ?? body.user?.id;
	const channelId = body.channel?.id ?? body.channel_id ?? `dm-${userId}`;
	if (userId === undefined || body.data === undefined) return undefined;
	const options = body.data.options ?? [];
	if (body.type === InteractionType.ApplicationCommand && body.data.name !== undefined) {
		return { type: 'command', name: body.data.name, options, userId, channelId };
	}
	if (body.type === InteractionType.ApplicationCommandAutocomplete && body.data.name !== undefined) {
		const focused = focusedOption(options);
		return focused && { type: 'autocomplete', name: body.data.name, options, focused, userId, channelId };
	}
	if (body.type === InteractionType.MessageComponent && body.data.custom_id !== undefined) {
		return { type: 'button', customId: body.data.custom_id, userId, channelId };
	}
	return undefined;
}

export function callbackFor(outcome: Outcome): object {
	if (outcome.kind === 'choices') return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: outcome.choices } };
	return { type: outcome.kind === 'update' ? InteractionResponseType.UpdateMessage : InteractionResponseType.ChannelMessageWithSource, data: outcome.data };
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
		size += buf.length;
		if (size > MAX_BODY) return undefined;
		chunks.push(buf);
	}
	return Buffer.concat(chunks);
}

/** `POST /interactions`: 401 for a bad signature, 400 for a body that is not an interaction. */
export function createInteractionsServer(publicKeyHex: string, deps: Deps, inFlight: Set<Promise<void>>): Server {
	const key = publicKeyFromHex(publicKeyHex);
	return createServer((req, res) => {
		const send = (status: number, body: object): void => {
			res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
		};
		if (req.method !== 'POST' || req.url !== '/interactions') return send(404, { error: 'not found' });
		const job = (async () => {
			const raw = await readBody(req);
			if (raw === undefined) return send(413, { error: 'body too large' });
			const signature = req.headers['x-signature-ed25519'];
			const timestamp = req.headers['x-signature-timestamp'];
			const valid =
				typeof signature === 'string' && typeof timestamp === 'string' && /^[0-9a-f]{128}$/i.test(signature) &&
				verify(null, Buffer.concat([Buffer.from(timestamp), raw]), key, Buffer.from(signature, 'hex'));
			if (!valid) return send(401, { error: 'invalid request signature' });
			let json: unknown;
			try {
				json = JSON.parse(raw.toString('utf8'));
			} catch {
				return send(400, { error: 'body is not JSON' });
			}
			const body = InteractionBody.safeParse(json);
			if (!body.success) return send(400, { error: 'not an interaction' });
			if (body.data.type === InteractionType.Ping) return send(200, { type: InteractionResponseType.Pong });
			const incoming = toIncoming(body.data);
			if (!incoming) return send(400, { error: 'unsupported interaction' });
			send(200, callbackFor(await dispatch(incoming, deps)));
		})()
			.catch((error: unknown) => {
				deps.logger.warn({ err: error }, 'HTTP interaction failed');
				if (!res.headersSent) send(500, { error: 'internal error' });
			})
			.finally(() => inFlight.delete(job));
		inFlight.add(job);
	});
}
