// Scenario #12: members rate and review films, end to end. The whole app (startApp, as `npm start` runs it: the
// gateway and the HTTP endpoint) answers the fake Discord with a real SQLite member database in a temp dir, and is
// restarted on the same DATABASE_URL. What crosses the wire is compared with the handlers' answer to the same input
// (expectHandlerReply) for what only reads, and with the member store itself for what writes; the copy is asserted
// in the commands' own tests.
import { EventEmitter } from 'node:events';
import { type APIEmbedField, ComponentType } from 'discord-api-types/v10';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverFields } from '../../commands/members-render.js';
import { startApp } from '../../src/app.js';
import { registerCommands } from '../../src/deploy.js';
import { type MemberStore, openMemberStore } from '../../src/members/store.js';
import { type FakeDiscordServer, type InteractionRecord, startFakeDiscord } from '../fake-discord/index.js';
import { silent } from '../helpers.js';
import { freePort } from '../redis-server.js';
import { button, buttonId, expectHandlerReply, messageBodyOf, ROOT, seedStore } from './harness.js';

const EPHEMERAL = 64;
const REVIEW = 'The ending is the bleakest thing in the trilogy';

interface App {
	readonly port: number;
	/** SIGTERM, then the exit code. */
	stop(): Promise<number>;
}

let dir: string;
let fake: FakeDiscordServer;
let members: MemberStore;
let app: App | undefined;

/** The app, in process, on the fake (gateway and HTTP endpoint) and the member database of `dir`; once it is ready. */
async function start(): Promise<App> {
	const port = await freePort();
	const events = new EventEmitter();
	const logs = new PassThrough();
	let text = '';
	const ready = new Promise<void>((resolve) =>
		logs.on('data', (c: Buffer) => {
			text += c.toString();
			if (text.includes('"msg":"clientReady"')) resolve();
		}),
	);
	const done = startApp(
		{
			DISCORD_TOKEN: fake.token,
			DISCORD_APPLICATION_ID: fake.applicationId,
			DISCORD_API_BASE: fake.apiBase,
			DISCORD_PUBLIC_KEY: fake.publicKeyHex,
			HTTP_PORT: String(port),
			CACHE_URL: 'memory',
			DATA_DIR: join(ROOT, 'data'),
			REVIEWS_DB: join(dir, 'reviews.db'),
			DATABASE_URL: `sqlite://${join(dir, 'members.db')}`,
		},
		{ stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), logDestination: logs, events, exit: () => {} },
	);
	const exited = done.then((code) => Promise.reject(new Error(`the app exited ${code} before it was ready:\n${text.slice(-3000)}`)));
	await Promise.race([ready, exited]);
	return {
		port,
		async stop() {
			events.emit('SIGTERM', 'SIGTERM');
			return done;
		},
	};
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'marquee-members-e2e-'));
	fake = await startFakeDiscord();
	await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.apiBase });
	// The test's own view of the database the app writes (SQLite: another connection to the same file).
	members = openMemberStore({ kind: 'sqlite', file: join(dir, 'members.db') }, { logger: silent });
	app = await start();
});
afterEach(() => {
	fake.assertNoViolations();
});
afterAll(async () => {
	await app?.stop();
	await members.close();
	await fake.close();
	rmSync(dir, { recursive: true, force: true });
});

/** The film id and owner a /rate confirmation's "Write a review" button carries (rt:w:<film>:<owner>). */
function rateButton(r: InteractionRecord): { customId: string; film: string; owner: string } {
	const customId = buttonId(r.message, 'Write a review');
	const [, , film = '', owner = ''] = customId.split(':');
	return { customId, film, owner };
}

/** The fields of a /reviews overview from its first field named as `block`'s first on, as many as `block` has. */
function blockOf(r: InteractionRecord, block: readonly APIEmbedField[]): APIEmbedField[] {
	const fields = r.message.embeds[0]?.fields ?? [];
	const at = fields.findIndex((f) => f.name === block[0]?.name);
	return at < 0 ? [] : fields.slice(at, at + block.length);
}

/** The member store's answer, or the test fails. */
function value<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
	if (!result.ok) throw new Error(`member store: ${result.reason}`);
	return result.value;
}

/** A /rate answered with an ephemeral confirmation carrying the caller's buttons. */
async function rate(user: string, score: number, guildId: string): Promise<InteractionRecord> {
	const r = await fake.slash('rate', { film: 'Pusher II', score }, { user, guildId });
	expect(r.responses.map((x) => x.type)).toEqual([4]);
	expect(messageBodyOf(r.responses[0]).flags).toBe(EPHEMERAL);
	expect(rateButton(r).owner).toBe(r.user.id);
	return r;
}

describe('scenario #12 through the gateway: ratings per server, the review modal, a restart, /forget-me, DMs', () => {
	let guildA: string;
	let guildB: string;
	let alice: InteractionRecord;
	let film: string;

	beforeAll(() => {
		guildA = fake.guilds[0]!.id;
		guildB = fake.guilds[1]!.id;
	});

	it('two members rate in guild A and one in guild B; each guild sees only its own ratings', async () => {
		alice = await rate('alice', 8, guildA);
		await rate('bob', 5, guildA);
		const carol = await rate('carol', 10, guildB);
		film = rateButton(alice).film;
		expect(value(await members.filmSummary(guildA, film))).toMatchObject({ count: 2, mean: 6.5 });
		expect(value(await members.filmSummary(guildB, film))).toMatchObject({ count: 1, mean: 10 });
		expect(rateButton(carol).film).toBe(film);
	});

	it("each guild's /reviews overview is the handlers' answer with its own members' ratings", async () => {
		const store = await seedStore();
		const a = await fake.slash('reviews', { film: 'Pusher II' }, { guildId: guildA });
		const b = await fake.slash('reviews', { film: 'Pusher II' }, { guildId: guildB });
		await expectHandlerReply(a, store, { members });
		await expectHandlerReply(b, store, { members });
		// The server block's first field; its histogram is drawn in the overview's chart (test/e2e/attachments.test.ts).
		const blockA = serverFields(value(await members.filmSummary(guildA, film)), 0, 'en').slice(0, 1);
		const blockB = serverFields(value(await members.filmSummary(guildB, film)), 0, 'en').slice(0, 1);
		expect(blockOf(a, blockA)).toEqual(blockA);
		expect(blockOf(b, blockB)).toEqual(blockB);
		expect(blockA[0]).not.toEqual(blockB[0]);
	});

	it('Write a review opens the modal; the submit saves the review, and a spoiler review stays hidden on the wire', async () => {
		const shown = await fake.click(alice, rateButton(alice).customId, { user: 'alice' });
		expect(shown.callbackType).toBe(9);
		expect(shown.modal?.custom_id).toBe(`rt:m:${film}`);
		const body = REVIEW;
		const s = await fake.submitModal(shown, { title: 'Grim', body, spoiler: true });
		expect(s.responses.map((x) => x.type)).toEqual([4]);
		expect(messageBodyOf(s.responses[0]).flags).toBe(EPHEMERAL);
		expect(value(await members.getReview(guildA, alice.user.id, film))).toMatchObject({ title: 'Grim', body, spoiler: true });
		expect(value(await members.getReview(guildB, alice.user.id, film))).toBeNull();
		// Every member review that reaches the wire hides its spoiler: the body shows only inside ||…||.
		const a = await fake.slash('reviews', { film: 'Pusher II' }, { guildId: guildA, user: 'alice' });
		await expectHandlerReply(a, await seedStore(), { members });
		const block = serverFields(value(await members.filmSummary(guildA, film)), 1, 'en').slice(0, 1);
		expect(blockOf(a, block)).toEqual(block);
		const page = await fake.click(a, buttonId(a.message, 'Members'), { user: 'alice' });
		await expectHandlerReply(page, await seedStore(), { members });
		expect(page.message.embeds[0]?.description).toContain(`||${body}||`);
		const wire = JSON.stringify(fake.interactions.flatMap((r) => r.responses.map((x) => x.data ?? null)));
		expect(wire.split(body).length - 1).toBe(wire.split(`||${body}||`).length - 1);
	});

	it('after a restart on the same DATABASE_URL the ratings and the review are still there', async () => {
		const before = await fake.slash('reviews', { film: 'Pusher II' }, { guildId: guildA });
		expect(await app!.stop()).toBe(0);
		app = await start();
		const after = await fake.slash('reviews', { film: 'Pusher II' }, { guildId: guildA });
		expect(after.message.embeds).toEqual(before.message.embeds);
		await expectHandlerReply(after, await seedStore(), { members });
		expect(value(await members.filmSummary(guildA, film))).toMatchObject({ count: 2, mean: 6.5 });
		// The restarted app reads the saved review: Write a review opens the modal pre-filled with it.
		const edit = await fake.click(alice, rateButton(alice).customId, { user: 'alice' });
		const fields = edit.modal?.components.flatMap((c) => (c.type === ComponentType.Label ? [c.component] : []));
		expect(
			fields?.map((c) => (c.type === ComponentType.TextInput ? c.value : c.type === ComponentType.Checkbox ? c.default : undefined)),
		).toEqual(['Grim', REVIEW, true]);
	});

	it('SIGTERM while ratings are being saved: every rating a member was told is saved is there after the restart', async () => {
		const users = ['dan', 'eve', 'fay', 'gus', 'hal', 'ivy'];
		const pending = users.map((user, i) =>
			fake.slash('rate', { film: 'Pusher', score: i + 3 }, { user, guildId: guildB, timeoutMs: 5000 }),
		);
		// The stop comes as soon as the first member has been answered, with the others' ratings under way.
		await Promise.race(pending);
		expect(await app!.stop()).toBe(0);
		const settled = await Promise.allSettled(pending);
		app = await start();
		const confirmed = settled.flatMap((s) =>
			s.status === 'fulfilled' && /^You rated/.test(messageBodyOf(s.value.responses[0]).content ?? '') ? [s.value] : [],
		);
		expect(confirmed.length).toBeGreaterThan(0);
		for (const r of confirmed) {
			const score = users.indexOf(r.user.username) + 3;
			expect(messageBodyOf(r.responses[0]).content).toContain(`**${score}/10**`);
			const ratings = value(await members.member(guildB, r.user.id)).ratings;
			expect(ratings.map((x) => [x.filmId, x.score])).toEqual([['pusher-1996', score]]);
		}
	});

	it('/forget-me with its confirm button removes every rating and review of the caller, in every guild', async () => {
		await rate('alice', 7, guildB);
		const r = await fake.slash('forget-me', {}, { user: 'alice', guildId: guildA });
		expect(messageBodyOf(r.responses[0]).flags).toBe(EPHEMERAL);
		expect(button(r.message, 'Delete everything')?.custom_id).toBe(`fm:y:${r.user.id}`);
		const c = await fake.click(r, `fm:y:${r.user.id}`, { user: 'alice' });
		expect(c.responses.map((x) => x.type)).toEqual([7]);
		expect(c.message.components).toEqual([]);
		expect(value(await members.getReview(guildA, r.user.id, film))).toBeNull();
		expect(value(await members.filmSummary(guildA, film))).toMatchObject({ count: 1, mean: 5 });
		expect(value(await members.filmSummary(guildB, film))).toMatchObject({ count: 1, mean: 10 });
	});

	it('in a DM, /rate says why and saves nothing; /forget-me works there', async () => {
		const r = await fake.slash('rate', { film: 'Pusher II', score: 3 }, { user: 'erin', dm: true });
		expect(r.payload.guild_id).toBeUndefined();
		expect(messageBodyOf(r.responses[0]).flags).toBe(EPHEMERAL);
		await expectHandlerReply(r, await seedStore(), { members });
		expect(value(await members.member(guildA, r.user.id)).ratings).toEqual([]);
		const f = await fake.slash('forget-me', {}, { user: 'erin', dm: true });
		const c = await fake.click(f, `fm:y:${f.user.id}`, { user: 'erin' });
		expect(c.responses.map((x) => x.type)).toEqual([7]);
	});
});

describe('scenario #12 through the HTTP endpoint', () => {
	beforeAll(() => {
		fake.setInteractionsEndpoint(`http://127.0.0.1:${app!.port}/interactions`);
	});
	afterAll(() => {
		fake.setInteractionsEndpoint(null);
	});

	it('/rate, the review modal and its submit, and /rate in a DM', async () => {
		const guildB = fake.guilds[1]!.id;
		const r = await rate('dana', 9, guildB);
		const { film, customId } = rateButton(r);
		expect(value(await members.filmSummary(guildB, film))).toMatchObject({ count: 2, mean: 9.5 });
		const shown = await fake.click(r, customId, { user: 'dana' });
		expect(shown.callbackType).toBe(9);
		const s = await fake.submitModal(shown, { body: 'Sprawling and tense' });
		expect(messageBodyOf(s.responses[0]).flags).toBe(EPHEMERAL);
		expect(value(await members.getReview(guildB, r.user.id, film))).toMatchObject({
			title: '',
			body: 'Sprawling and tense',
			spoiler: false,
		});
		const dm = await fake.slash('rate', { film: 'Pusher II', score: 3 }, { user: 'dana', dm: true });
		await expectHandlerReply(dm, await seedStore(), { members });
	});
});
