/**
 * `npm run deploy`: registers the slash commands with Discord in one bulk PUT (what is in
 * `commands/index.ts` is exactly what Discord gets; commands no longer listed are removed).
 * To one guild when DISCORD_GUILD_ID is set (instant, for testing), else globally.
 * Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID; honours DISCORD_API_BASE.
 */
import { DiscordAPIError, HTTPError, REST, Routes } from 'discord.js';
import { z } from 'zod';
import { commands } from '../commands/index.js';
import type { CommandData } from '../commands/types.js';
import { configProblems, loadConfig } from './config.js';
import { type CliIo, runTool } from './cli/tool.js';
import { isMain } from './is-main.js';
import { plural } from './domain/text.js';

export interface DeployTarget {
	readonly token: string;
	readonly applicationId: string;
	/** Register to this guild only; otherwise globally. */
	readonly guildId?: string | undefined;
	/** A Discord-compatible REST base without `/v10` (e2e tests). */
	readonly apiBase?: string | undefined;
}

export interface DeployResult {
	/** The route the PUT went to, e.g. `/applications/123/commands`. */
	readonly route: string;
	readonly scope: 'global' | 'guild';
	/** What Discord answered: each registered command's name and id. */
	readonly registered: readonly { readonly name: string; readonly id: string }[];
}

const Registered = z.array(z.object({ id: z.string(), name: z.string() }).loose());

/** The bodies `deploy` sends: every command's data, in order. */
export function commandBodies(): CommandData[] {
	return commands.map((c) => c.data);
}

/** The bulk PUT. Rejects with discord.js's error when Discord refuses it. */
export async function registerCommands(target: DeployTarget, body: readonly CommandData[] = commandBodies()): Promise<DeployResult> {
	const rest = new REST({ version: '10', ...(target.apiBase === undefined ? {} : { api: target.apiBase }) }).setToken(target.token);
	const route =
		target.guildId === undefined
			? Routes.applicationCommands(target.applicationId)
			: Routes.applicationGuildCommands(target.applicationId, target.guildId);
	const answer: unknown = await rest.put(route, { body });
	const parsed = Registered.safeParse(answer);
	const registered = parsed.success ? parsed.data.map((c) => ({ name: c.name, id: c.id })) : [];
	return { route, scope: target.guildId === undefined ? 'global' : 'guild', registered };
}

/** Why the PUT failed, in one line, without echoing anything secret. */
export function describeFailure(error: unknown): string {
	if (error instanceof DiscordAPIError) {
		const hint =
			error.status === 401
				? ' (is DISCORD_TOKEN right?)'
				: error.status === 403 || error.status === 404
					? ' (is DISCORD_APPLICATION_ID / DISCORD_GUILD_ID right, and is the bot in that guild?)'
					: '';
		return `Discord refused the commands: HTTP ${error.status}, error code ${String(error.code)}${hint}.`;
	}
	if (error instanceof HTTPError) return `Discord answered HTTP ${error.status}; try again later.`;
	const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
	if (error instanceof Error && error.name === 'AbortError') return 'Discord did not answer in time; try again later.';
	const cause =
		error instanceof Error && error.cause instanceof Error && 'code' in error.cause && typeof error.cause.code === 'string'
			? error.cause.code
			: undefined;
	return `Could not reach Discord${(code ?? cause) ? ` (${code ?? cause})` : ''}.`;
}

/** Registers the commands with the settings of `env`, printing what it did to `io`. Resolves with the exit code. */
export async function deploy(env: CliIo['env'], io: Pick<CliIo, 'stdout' | 'stderr'>): Promise<number> {
	const say = (out: CliIo['stdout'], text: string): void => {
		out.write(`${text}\n`);
	};
	const loaded = loadConfig(env);
	if (!loaded.ok) {
		io.stderr.write(configProblems('Cannot deploy: the configuration has problems.', loaded.errors));
		return 1;
	}
	const {
		DISCORD_TOKEN: token,
		DISCORD_APPLICATION_ID: applicationId,
		DISCORD_GUILD_ID: guildId,
		DISCORD_API_BASE: apiBase,
	} = loaded.config;
	if (token === undefined || applicationId === undefined) {
		const missing = [
			token === undefined ? 'DISCORD_TOKEN' : undefined,
			applicationId === undefined ? 'DISCORD_APPLICATION_ID' : undefined,
		].filter((m) => m !== undefined);
		say(io.stderr, `Cannot deploy: set ${missing.join(' and ')} (the bot token and application id from the Developer Portal).`);
		return 1;
	}
	const body = commandBodies();
	const where = guildId === undefined ? 'globally (may take up to an hour to show everywhere)' : `to guild ${guildId}`;
	let result: DeployResult;
	try {
		result = await registerCommands({ token, applicationId, guildId, apiBase }, body);
	} catch (error) {
		say(io.stderr, describeFailure(error));
		return 1;
	}
	say(
		io.stdout,
		`Registered ${plural(body.length, 'command')} ${where}: PUT ${result.route}${apiBase === undefined ? '' : ` on ${apiBase}`}`,
	);
	for (const data of body) {
		const id = result.registered.find((r) => r.name === data.name)?.id;
		say(io.stdout, `  /${data.name}${id === undefined ? '' : ` (id ${id})`}: ${data.description}`);
	}
	return 0;
}

/** The CLI (`npm run deploy`, no arguments): reads its settings from `io.env`. */
export function main(_argv: readonly string[], io: CliIo): Promise<number> {
	return deploy(io.env, io);
}

if (isMain(import.meta.url)) runTool('deploy', main);
