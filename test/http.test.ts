import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import {
	ApplicationCommandAutocompleteCallbackRequestSchema,
	CreateMessageInteractionCallbackRequestSchema,
	ModalInteractionCallbackRequestSchema,
	UpdateMessageInteractionCallbackRequestSchema,
} from 'discord-api-spec/zod';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ZodMiniType } from 'zod/mini';
import { Resvg } from '@resvg/resvg-js';
import { callbackAnswer, createInteractionsServer } from '../src/discord/http.js';
import type { ReplyFile } from '../src/reply/reply.js';
import { finalizeReply } from '../src/reply/respond.js';
import { type MemberStore, openMemberStore } from '../src/members/store.js';
import { CHANNEL, memoryCache, OTHER_USER, seedStore, silent, tempDir, USER } from './helpers.js';
import { interactionBody, signatureHeaders } from './signed.js';
import { AttachmentLimits, checkAttachments, readMultipart } from './fake-discord/attachments.js';
import { checkAllowedMentions, checkCallback, checkMessageLimits, checkSchema, emptyFindings, prop } from './fake-discord/validate.js';

let server: Server;
let url: string;
let privateKey: KeyObject;
let members: MemberStore;

beforeAll(async () => {
	const pair = generateKeyPairSync('ed25519');
	privateKey = pair.privateKey;
	const publicHex = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
	members = openMemberStore({ kind: 'sqlite', file: join(tempDir(), 'members.db') }, { logger: silent });
	server = createInteractionsServer(
		publicHex,
		{ store: await seedStore(), cache: await memoryCache(), logger: silent, members, random: () => 0 },
		new Set(),
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/interactions`;
});
afterAll(async () => {
	await new Promise<void>((resolve) => server.close(() => resolve()));
	await members.close();
});

/** The parts of an interaction callback these tests read. */
const Callback = z.looseObject({
	type: z.number(),
	data: z
		.looseObject({
			embeds: z
				.array(
					z.looseObject({
						title: z.string().optional(),
						author: z.object({ name: z.string() }).optional(),
						image: z.object({ url: z.string() }).optional(),
					}),
				)
				.optional(),
			attachments: z.array(z.object({ id: z.string(), filename: z.string(), description: z.string() })).optional(),
			components: z
				.array(z.looseObject({ components: z.array(z.looseObject({ label: z.string().optional(), custom_id: z.string().optional() })) }))
				.optional(),
			content: z.string().optional(),
			allowed_mentions: z.unknown().optional(),
			flags: z.number().optional(),
		})
		.optional(),
});

/**
 * `json` is the callback as sent (a multipart answer's `payload_json`); `files` a multipart answer's other parts, by
 * field; `callback` what the tests read of it (undefined when it is no callback).
 */
async function post(
	body: unknown,
	opts: { badSignature?: boolean; raw?: string } = {},
): Promise<{ status: number; json: unknown; files: Array<[string, File]>; callback: z.infer<typeof Callback> | undefined }> {
	const text = opts.raw ?? JSON.stringify(body);
	const signed = signatureHeaders(text, privateKey);
	const signature = opts.badSignature
		? signed['x-signature-ed25519'].replace(/^./, (c) => (c === '0' ? '1' : '0'))
		: signed['x-signature-ed25519'];
	const res = await fetch(url, {
		method: 'POST',
		body: text,
		headers: { 'content-type': 'application/json', ...signed, 'x-signature-ed25519': signature },
	});
	let json: unknown;
	const files: Array<[string, File]> = [];
	if (res.headers.get('content-type')?.startsWith('multipart/form-data')) {
		for (const [field, value] of (await res.formData()).entries()) {
			if (typeof value === 'string') json = field === 'payload_json' ? JSON.parse(value) : value;
			else files.push([field, value]);
		}
	} else {
		json = await res.json();
	}
	const callback = Callback.safeParse(json);
	return { status: res.status, json, files, callback: callback.success ? callback.data : undefined };
}

const interaction = (type: number, data: object, user = USER) => interactionBody(type, data, { user, channel: CHANNEL });

function expectValidCallback(json: unknown, schema: ZodMiniType): void {
	const findings = emptyFindings();
	checkSchema('callback', 'callback', [schema], json, findings);
	const callback = Callback.parse(json);
	if (callback.type !== 8) {
		checkMessageLimits('callback', callback.data, true, findings);
		checkAllowedMentions('callback', callback.data, findings);
	}
	expect(findings.violations).toEqual([]);
}

describe('HTTP interactions endpoint', () => {
	it('answers a PING with a PONG, and refuses bad signatures and bodies', async () => {
		const pong = await post({ type: 1 });
		expect([pong.status, pong.json]).toEqual([200, { type: 1 }]);
		expect((await post({ type: 1 }, { badSignature: true })).status).toBe(401);
		expect((await post(undefined, { raw: '{not json' })).status).toBe(400);
		expect((await post({ type: 'nope' })).status).toBe(400);
	});

	it('serves /reviews with the same handlers as the gateway, as a valid callback (multipart: the chart goes beside it)', async () => {
		const { status, json, files, callback } = await post(
			interaction(2, { name: 'reviews', options: [{ name: 'film', type: 3, value: 'Pusher II' }] }),
		);
		expect(status).toBe(200);
		expect(callback?.type).toBe(4);
		expect(callback?.data?.embeds?.[0]?.title).toBe('Pusher II (2004)');
		expect(callback?.data?.embeds?.[0]?.image).toEqual({ url: 'attachment://ratings.png' });
		expect(callback?.data?.attachments).toEqual([
			{
				id: '0',
				filename: 'ratings.png',
				description: expect.stringMatching(/^Rating histogram of Pusher II \(2004\)\. Audience, /) as unknown,
			},
		]);
		expect(files.map(([field, file]) => [field, file.name, file.type])).toEqual([['files[0]', 'ratings.png', 'image/png']]);
		expect(callback?.data?.allowed_mentions).toEqual({ parse: [] });
		expectValidCallback(json, CreateMessageInteractionCallbackRequestSchema);

		const next = callback?.data?.components?.[0]?.components.find((c) => c.label === 'Next ▶')?.custom_id;
		const page = await post(interaction(3, { custom_id: next, component_type: 2 }));
		expect(page.callback?.type).toBe(7);
		expect(page.callback?.data?.embeds?.[0]?.author?.name).toBe('UlrikSander');
		expectValidCallback(page.json, UpdateMessageInteractionCallbackRequestSchema);

		const other = await post(interaction(3, { custom_id: next, component_type: 2 }, OTHER_USER));
		expect(other.callback?.type).toBe(4);
		expect(other.callback?.data?.flags).toBe(64);
	});

	it("answers in the body's locale, else its guild_locale", async () => {
		const unknown = interaction(2, { name: 'reviews', options: [{ name: 'film', type: 3, value: 'Zzqq' }] });
		const danish = 'Jeg kender ingen film, der hedder »Zzqq«. Brug forslagslisten, mens du skriver.';
		expect((await post({ ...unknown, locale: 'da', guild_locale: 'en-US' })).callback?.data?.content).toBe(danish);
		expect((await post({ ...unknown, guild_locale: 'da' })).callback?.data?.content).toBe(danish);
		expect((await post({ ...unknown, locale: 'en-GB', guild_locale: 'da' })).callback?.data?.content).toBe(
			"I don't know a film called “Zzqq”. Try the autocomplete list as you type.",
		);
	});

	it('answers autocomplete from the focused option, subcommands included', async () => {
		const { json } = await post(
			interaction(4, {
				name: 'quote',
				options: [{ name: 'random', type: 1, options: [{ name: 'film', type: 3, value: 'pus', focused: true }] }],
			}),
		);
		expect(json).toEqual({
			type: 8,
			data: {
				choices: [
					{ name: 'Pusher (1996)', value: 'pusher-1996' },
					{ name: 'Pusher II (2004)', value: 'pusher-ii-2004' },
				],
			},
		});
		expectValidCallback(json, ApplicationCommandAutocompleteCallbackRequestSchema);
	});

	it('opens a modal as a type 9 callback, and reads a submit (type 5) with its server, text inputs and checkbox', async () => {
		const GUILD = '300000000000000009';
		const inGuild = (type: number, data: object) => ({ ...interaction(type, data), guild_id: GUILD });
		const opened = await post(inGuild(3, { custom_id: `rt:w:pusher-1996:${USER}`, component_type: 2 }));
		expect(opened.json).toMatchObject({ type: 9, data: { custom_id: 'rt:m:pusher-1996', title: 'Review Pusher (1996)' } });
		const findings = emptyFindings();
		checkSchema('callback', 'callback', [ModalInteractionCallbackRequestSchema], opened.json, findings);
		expect(findings.violations).toEqual([]);

		const components = [
			{ type: 18, id: 1, component: { type: 4, id: 2, custom_id: 'title', value: 'Cold' } },
			{ type: 18, id: 3, component: { type: 4, id: 4, custom_id: 'body', value: 'Copenhagen at its bleakest.' } },
			{ type: 18, id: 5, component: { type: 23, id: 6, custom_id: 'spoiler', value: true } },
			{ type: 10, id: 7 },
		];
		const saved = await post(inGuild(5, { custom_id: 'rt:m:pusher-1996', components }));
		expect(saved.json).toMatchObject({
			type: 4,
			data: { content: 'Saved your review of **Pusher (1996)** in this server, marked as containing spoilers.', flags: 64 },
		});
		const review = await members.getReview(GUILD, USER, 'pusher-1996');
		expect(review.ok && review.value && [review.value.title, review.value.body, review.value.spoiler]).toEqual([
			'Cold',
			'Copenhagen at its bleakest.',
			true,
		]);

		// An action row of text inputs (the older modal layout) reads the same; without a guild_id it is a DM.
		const legacy = [{ type: 1, components: [{ type: 4, custom_id: 'body', value: 'Again.' }] }];
		const edited = await post(inGuild(5, { custom_id: 'rt:m:pusher-1996', components: legacy }));
		expect(edited.json).toMatchObject({ type: 4, data: { content: 'Updated your review of **Pusher (1996)** in this server.' } });
		const inDm = await post(interaction(5, { custom_id: 'rt:m:pusher-1996', components: legacy }));
		expect(inDm.json).toMatchObject({ type: 4, data: { content: expect.stringMatching(/^Ratings belong to a server/) as unknown } });
		expect(
			(await post(inGuild(5, { custom_id: 'rt:m:pusher-1996', components: Array.from({ length: 6 }, () => components[0]) }))).status,
		).toBe(400);
	});
});

describe('HTTP endpoint answers with files', () => {
	/** A 40×20 PNG, rendered as the charts are. */
	const png = new Resvg(
		'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#5865f2"/></svg>',
	)
		.render()
		.asPng();
	const chart: ReplyFile = { name: 'ratings.png', data: new Uint8Array(png), description: 'Audience ratings: 10 ×2, 9 ×1' };
	const embed = { title: 'Pusher (1996)', image: { url: 'attachment://ratings.png' } };

	it('answers a reply carrying a PNG as multipart/form-data: payload_json, then files[0] (image/png)', async () => {
		const answer = callbackAnswer({ kind: 'reply', data: finalizeReply({ embeds: [embed], files: [chart] }) });
		expect(answer.contentType).toMatch(/^multipart\/form-data; boundary=marquee-[0-9a-f]{32}$/);
		const form = await new Response(answer.body, { headers: { 'content-type': answer.contentType } }).formData();
		const parts = [...form.entries()];
		expect(parts.map(([name]) => name)).toEqual(['payload_json', 'files[0]']);
		const payload = form.get('payload_json');
		expect(typeof payload === 'string' && JSON.parse(payload)).toEqual({
			type: 4,
			data: {
				allowed_mentions: { parse: [] },
				attachments: [{ id: '0', filename: 'ratings.png', description: 'Audience ratings: 10 ×2, 9 ×1' }],
				embeds: [embed],
				components: [],
			},
		});
		const file = form.get('files[0]');
		expect(file instanceof File && [file.name, file.type, Buffer.from(await file.arrayBuffer()).equals(png)]).toEqual([
			'ratings.png',
			'image/png',
			true,
		]);

		// What the fake Discord checks of such a body: the callback's schema and limits, and the files against it.
		const findings = emptyFindings();
		const { body, files } = await readMultipart(answer.body, answer.contentType, 'answer', findings);
		checkCallback('answer', 4, body, findings);
		checkAttachments('answer', prop(body, 'data'), files, [], AttachmentLimits.fileBytes, findings);
		expect(findings).toEqual({ violations: [], warnings: [] });
		expect(files.map((f) => [f.name, f.size, f.width, f.height])).toEqual([['ratings.png', png.length, 40, 20]]);
	});

	it('answers JSON when no file goes: an update dropping its files says attachments: [], a plain reply says nothing of them', () => {
		const json = (outcome: Parameters<typeof callbackAnswer>[0]): unknown => {
			const answer = callbackAnswer(outcome);
			expect(answer.contentType).toBe('application/json');
			return JSON.parse(answer.body.toString('utf8'));
		};
		expect(json({ kind: 'update', data: finalizeReply({ content: 'No chart', files: [] }) })).toEqual({
			type: 7,
			data: { content: 'No chart', allowed_mentions: { parse: [] }, attachments: [], embeds: [], components: [] },
		});
		expect(json({ kind: 'reply', data: finalizeReply({ content: 'Hi' }) })).toEqual({
			type: 4,
			data: { content: 'Hi', allowed_mentions: { parse: [] }, embeds: [], components: [] },
		});
	});
});

describe('HTTP mode of the app', () => {
	it('serves the endpoint from start-up, and a signal stops it cleanly with exit code 0', async () => {
		const { EventEmitter } = await import('node:events');
		const { PassThrough } = await import('node:stream');
		const { prepareApp, startHttp } = await import('../src/app.js');
		const pair = generateKeyPairSync('ed25519');
		const publicHex = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
		const events = new EventEmitter();
		const io = {
			stdin: new PassThrough(),
			stdout: new PassThrough(),
			stderr: new PassThrough(),
			events,
			logDestination: new PassThrough(),
		};
		const prepared = await prepareApp({ DATA_DIR: 'data', CACHE_URL: 'memory', LOG_LEVEL: 'silent' }, io);
		if (!prepared.ok) throw new Error('app did not prepare');
		const http = await startHttp(prepared.parts, io, 0, publicHex);
		const body = JSON.stringify(interaction(2, { name: 'critic', options: [{ name: 'name', type: 3, value: 'murray' }] }));
		const res = await fetch(`http://127.0.0.1:${http.port}/interactions`, {
			method: 'POST',
			body,
			headers: signatureHeaders(body, pair.privateKey, '1700000000'),
		});
		expect(Callback.parse(await res.json()).data?.embeds?.[0]?.title).toBe('Noel Murray');
		events.emit('SIGTERM', 'SIGTERM');
		expect(await http.done).toBe(0);
		await prepared.parts.cache.close();
		await prepared.parts.members.close();
	});
});
