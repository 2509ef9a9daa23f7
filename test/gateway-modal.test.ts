// The gateway's side of #12: guild ids reach the handlers, a button's modal goes out through discord.js's
// showModal as plain API JSON (Label + Checkbox), and a submitted modal's fields are read back.
import { join } from 'node:path';
import { Client, ModalSubmitInteraction } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toIncoming } from '../src/discord/gateway.js';
import { type MemberStore, openMemberStore } from '../src/members/store.js';
import type { FakeDiscordServer } from './fake-discord/index.js';
import { type GatewayBot, startGatewayBot } from './gateway-bot.js';
import { memoryCache, seedStore, silent, tempDir, USER } from './helpers.js';

let bot: GatewayBot;
let fake: FakeDiscordServer;
let client: Client;
let members: MemberStore;

beforeAll(async () => {
	members = openMemberStore({ kind: 'sqlite', file: join(tempDir(), 'members.db') }, { logger: silent });
	bot = await startGatewayBot({ store: await seedStore(), cache: await memoryCache(), logger: silent, members });
	({ fake, client } = bot);
});
afterAll(async () => {
	await bot.close();
	await members.close();
});

describe('the gateway and modals', () => {
	it("rates in the interaction's guild, and opens the review modal with showModal", async () => {
		const rated = await fake.slash('rate', { film: 'Pusher', score: 7 });
		expect(z.object({ content: z.string() }).parse(rated.message).content).toBe('You rated **Pusher (1996)** **7/10** in this server.');
		const payload = z.object({ guild_id: z.string(), member: z.object({ user: z.object({ id: z.string() }) }) }).parse(rated.payload);
		const user = payload.member.user.id;
		const summary = await members.filmSummary(payload.guild_id, 'pusher-1996');
		expect(summary.ok && summary.value.count).toBe(1);

		const opened = await fake.click(rated, `rt:w:pusher-1996:${user}`);
		expect(opened.modal).toEqual({
			custom_id: 'rt:m:pusher-1996',
			title: 'Review Pusher (1996)',
			components: [
				{ type: 18, label: 'Title', component: { type: 4, custom_id: 'title', style: 1, required: false, max_length: 100 } },
				{
					type: 18,
					label: 'Your review',
					component: { type: 4, custom_id: 'body', style: 2, required: true, max_length: 4000, min_length: 1 },
				},
				{
					type: 18,
					label: 'Contains spoilers',
					description: 'Hidden behind a spoiler tag until a reader clicks it',
					component: { type: 23, custom_id: 'spoiler', default: false },
				},
			],
		});
		fake.assertNoViolations();
	});

	it("reads a submitted modal's text inputs and checkbox, with its guild (none in a DM)", () => {
		const submit = (extra: object): unknown =>
			Reflect.construct(ModalSubmitInteraction, [
				client,
				{
					id: '900000000000000001',
					application_id: fake.applicationId,
					type: 5,
					token: 'token',
					version: 1,
					entitlements: [],
					locale: 'en-US',
					app_permissions: '0',
					authorizing_integration_owners: {},
					channel_id: '200000000000000001',
					channel: { id: '200000000000000001', type: 1 },
					user: { id: USER, username: 'tester', discriminator: '0', global_name: null, avatar: null },
					data: {
						custom_id: 'rt:m:pusher-1996',
						components: [
							{ type: 18, id: 1, component: { type: 4, id: 2, custom_id: 'body', value: 'Bleak.' } },
							{ type: 18, id: 3, component: { type: 23, id: 4, custom_id: 'spoiler', value: true } },
							{ type: 10, id: 5, content: 'A note' },
						],
					},
					...extra,
				},
			]);
		const inDm = submit({});
		if (!(inDm instanceof ModalSubmitInteraction)) throw new Error('not a modal submit');
		const fields = [
			{ customId: 'body', value: 'Bleak.' },
			{ customId: 'spoiler', value: true },
		];
		expect(toIncoming(inDm)).toEqual({
			type: 'modal',
			customId: 'rt:m:pusher-1996',
			fields,
			userId: USER,
			channelId: '200000000000000001',
			guildId: null,
			locale: 'en-US',
			guildLocale: null,
		});
		// The user's locale and the server's pass through, for dispatch to choose the reply's language.
		const inGuild = submit({ guild_id: '300000000000000001', locale: 'da', guild_locale: 'en-GB' });
		if (!(inGuild instanceof ModalSubmitInteraction)) throw new Error('not a modal submit');
		expect(toIncoming(inGuild)).toMatchObject({ type: 'modal', guildId: '300000000000000001', locale: 'da', guildLocale: 'en-GB' });
	});
});
