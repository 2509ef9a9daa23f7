import { existsSync } from 'node:fs';

/** A local .env (see .env.example) fills in what the environment does not set: for every entry point (start, deploy, sharded, the data tools). */
export function loadLocalEnv(): void {
	if (existsSync('.env')) process.loadEnvFile('.env');
}
