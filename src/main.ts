/**
 * `npm start`: the bot, or the local console when no DISCORD_TOKEN is set.
 * Under `npm run start:sharded` each shard runs this file; discord.js's Client reads its shard ids
 * from the environment the ShardingManager sets (SHARDS, SHARD_COUNT), so nothing here differs.
 */
import { startApp } from './app.js';
import { loadLocalEnv } from './env-file.js';

loadLocalEnv();

const code = await startApp(process.env, {
	stdin: process.stdin,
	stdout: process.stdout,
	stderr: process.stderr,
	args: process.argv.slice(2),
});
// Let stdout drain (a pipe may still hold the last reply), then exit even if a handle lingers.
process.stdout.write('', () => process.exit(code));
