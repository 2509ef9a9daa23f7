// Scenario 1: the bot starts against the fake Discord, and deploy registers exactly the commands it handles.
import { afterEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { deploy } from '../../src/deploy.js';
import { type FakeDiscordServer, startFakeDiscord } from '../fake-discord/index.js';
import type { APIApplicationCommand } from 'discord-api-types/v10';
import {
	type Bot,
	commandShapes,
	expectEmbedReply,
	expectHandlerReply,
	killChildren,
	messageBodyOf,
	ROOT,
	seedStore,
	spawnChild,
	startBot,
} from './harness.js';

let bot: Bot | undefined;
let fake: FakeDiscordServer | undefined;

afterEach(async () => {
	await killChildren();
	await bot?.stop();
	bot = undefined;
	await fake?.close();
	fake = undefined;
});

function sink(): { stream: Writable; text: () => string } {
	let text = '';
	return {
		stream: new Writable({
			write(chunk: Buffer, _enc, done) {
				text += chunk.toString();
				done();
			},
		}),
		text: () => text,
	};
}

const shapes = (registered: APIApplicationCommand[]) =>
	registered.map((c) => ({ name: c.name, description: c.description, options: c.options }));

describe('scenario 1: start and deploy', () => {
	it('the in-process bot reaches clientReady on the fake and answers /reviews Pusher II', async () => {
		bot = await startBot();
		expect(bot.client.isReady()).toBe(true);
		expect(bot.fake.readies).toBe(1);
		expect(bot.client.user?.id).toBe(bot.fake.applicationId);
		expect(bot.client.guilds.cache.size).toBe(bot.fake.guilds.length);
		const r = await bot.fake.slash('reviews', { film: 'Pusher II' });
		await expectHandlerReply(r, bot.store);
		bot.fake.assertNoViolations();
	});

	it('deploy() registers exactly commands/index.ts, globally and to one guild, replacing what was there', async () => {
		fake = await startFakeDiscord();
		const env = { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_BASE: fake.apiBase };
		const out = sink();
		const err = sink();
		expect(await deploy(env, { stdout: out.stream, stderr: err.stream })).toBe(0);
		expect(err.text()).toBe('');
		expect(shapes(fake.commands())).toEqual(commandShapes());
		expect(shapes(fake.commands()).map((c) => c.name)).toEqual(['reviews', 'critic', 'quote', 'rate', 'top', 'member', 'forget-me']);
		expect(out.text()).toContain(`PUT /applications/${fake.applicationId}/commands`);
		for (const c of fake.commands()) expect(out.text()).toContain(`/${c.name} (id ${c.id})`);
		expect(fake.commands(fake.guildId)).toEqual([]);

		expect(await deploy({ ...env, DISCORD_GUILD_ID: fake.guildId }, { stdout: out.stream, stderr: err.stream })).toBe(0);
		expect(shapes(fake.commands(fake.guildId))).toEqual(commandShapes());
		expect(fake.commands(fake.guildId).every((c) => c.guild_id === fake!.guildId)).toBe(true);
		// Deploying again keeps the ids (a bulk overwrite, not duplicates).
		const ids = fake.commands().map((c) => c.id);
		expect(await deploy(env, { stdout: out.stream, stderr: err.stream })).toBe(0);
		expect(fake.commands().map((c) => c.id)).toEqual(ids);
		fake.assertNoViolations();
		expect(fake.warnings).toEqual([]);
	});

	it('the deploy script (what npm run deploy runs: tsx src/deploy.ts) as a child process (guild), then the bot answers the deployed command with typed options', async () => {
		fake = await startFakeDiscord();
		const child = spawnChild(`${ROOT}node_modules/.bin/tsx`, ['src/deploy.ts'], {
			DISCORD_TOKEN: fake.token,
			DISCORD_APPLICATION_ID: fake.applicationId,
			DISCORD_API_BASE: fake.apiBase,
			DISCORD_GUILD_ID: fake.guildId,
		});
		const [code] = await child.exited;
		expect(child.stderr).toBe('');
		expect(code).toBe(0);
		expect(child.stdout).toMatch(
			/^Registered 7 commands to guild \d+: PUT \/applications\/\d+\/guilds\/\d+\/commands on http:\/\/127\.0\.0\.1:\d+\n/,
		);
		expect(shapes(fake.commands(fake.guildId))).toEqual(commandShapes());
		expect(fake.commands()).toEqual([]);
		bot = await startBot({ fake, register: false });
		expectEmbedReply(await bot.fake.slash('quote', { film: 'Pusher', kind: 'critic' }, { subcommand: 'random' }));
		fake.assertNoViolations();
		// The command was registered, so the fake did not have to guess option types.
		expect(fake.warnings.filter((w) => w.includes('not registered'))).toEqual([]);
	});

	it('npm run dev (npx tsx src/main.ts, CACHE_URL=memory) reaches READY and answers /reviews Pusher II', async () => {
		fake = await startFakeDiscord();
		expect(
			await deploy(
				{ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_BASE: fake.apiBase },
				{ stdout: sink().stream, stderr: sink().stream },
			),
		).toBe(0);
		const child = spawnChild('npx', ['tsx', 'src/main.ts'], {
			DISCORD_TOKEN: fake.token,
			DISCORD_APPLICATION_ID: fake.applicationId,
			DISCORD_API_BASE: fake.apiBase,
			CACHE_URL: 'memory',
		});
		await child.waitFor(/"msg":"clientReady"/);
		expect(fake.readies).toBe(1);
		const r = await fake.slash('reviews', { film: 'Pusher II' });
		await expectHandlerReply(r, await seedStore());
		expect(messageBodyOf(r.responses[0]).allowed_mentions).toEqual({ parse: [] });
		fake.assertNoViolations();
		await child.waitFor(/"msg":"interaction"/);
		expect(child.stderr).toMatch(/"command":"reviews"/);
	});
});
