/** A bot on the gateway in process: the fake Discord, the commands registered, a discord.js client logged in and answering through dispatch. */
import type { Client } from 'discord.js';
import { registerCommands } from '../src/deploy.js';
import { attachDispatcher, createClient } from '../src/discord/gateway.js';
import type { Deps } from '../src/discord/dispatch.js';
import { type FakeDiscordServer, startFakeDiscord } from './fake-discord/index.js';

export interface GatewayBot {
	readonly fake: FakeDiscordServer;
	readonly client: Client;
	/** Logs the client out and closes the fake Discord. */
	close(): Promise<void>;
}

export async function startGatewayBot(deps: Deps): Promise<GatewayBot> {
	const fake = await startFakeDiscord();
	await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.apiBase });
	const client = createClient({ DISCORD_API_BASE: fake.apiBase, SHARD_COUNT: undefined });
	attachDispatcher(client, deps, new Set());
	const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
	await client.login(fake.token);
	await ready;
	return {
		fake,
		client,
		close: async () => {
			await client.destroy();
			await fake.close();
		},
	};
}
