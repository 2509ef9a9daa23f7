import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';

const APP_ID = '123456789012345678';

function ok(env: NodeJS.ProcessEnv): Config {
	const result = loadConfig(env);
	if (!result.ok) throw new Error(`expected ok, got: ${result.errors.join('; ')}`);
	return result.config;
}

function errors(env: NodeJS.ProcessEnv): string[] {
	const result = loadConfig(env);
	if (result.ok) throw new Error('expected errors, got a config');
	return result.errors;
}

describe('loadConfig', () => {
	it('applies defaults to an empty environment (local console mode)', () => {
		expect(ok({})).toEqual({
			DISCORD_TOKEN: undefined,
			DISCORD_APPLICATION_ID: undefined,
			DISCORD_GUILD_ID: undefined,
			DATA_DIR: 'data',
			CACHE_URL: { kind: 'sqlite', file: 'data/cache.sqlite' },
			CACHE_TTL_SECONDS: 3600,
			CACHE_WAIT_MS: 1,
			MAX_PAGE_MB: 256,
			LOG_LEVEL: 'info',
			LOG_FORMAT: 'json',
			DISCORD_API_BASE: undefined,
			SHARD_COUNT: undefined,
		});
	});

	it('treats empty and whitespace-only strings as unset', () => {
		const config = ok({
			DISCORD_TOKEN: '',
			DISCORD_APPLICATION_ID: '',
			DISCORD_GUILD_ID: '  ',
			DATA_DIR: '',
			CACHE_URL: '',
			CACHE_TTL_SECONDS: '',
			CACHE_WAIT_MS: ' ',
			LOG_LEVEL: '',
			DISCORD_API_BASE: '',
			SHARD_COUNT: '',
		});
		expect(config).toEqual(ok({}));
	});

	it('reads valid values', () => {
		const config = ok({
			DISCORD_TOKEN: 'abc.def.ghi',
			DISCORD_APPLICATION_ID: APP_ID,
			DISCORD_GUILD_ID: '98765432109876543',
			DATA_DIR: '/srv/marquee',
			CACHE_URL: 'redis://127.0.0.1:6379',
			CACHE_TTL_SECONDS: ' 60 ',
			CACHE_WAIT_MS: '0',
			LOG_LEVEL: 'DEBUG',
			DISCORD_API_BASE: 'http://127.0.0.1:8080/api/',
			SHARD_COUNT: 'auto',
			UNRELATED: 'ignored',
		});
		expect(config).toMatchObject({
			DISCORD_TOKEN: 'abc.def.ghi',
			DISCORD_APPLICATION_ID: APP_ID,
			DISCORD_GUILD_ID: '98765432109876543',
			DATA_DIR: '/srv/marquee',
			CACHE_URL: { kind: 'redis', url: 'redis://127.0.0.1:6379' },
			CACHE_TTL_SECONDS: 60,
			CACHE_WAIT_MS: 0,
			LOG_LEVEL: 'debug',
			DISCORD_API_BASE: 'http://127.0.0.1:8080/api',
			SHARD_COUNT: 'auto',
		});
		expect(config).not.toHaveProperty('UNRELATED');
		expect(ok({ SHARD_COUNT: '4' }).SHARD_COUNT).toBe(4);
		expect(ok({ CACHE_URL: 'memory' }).CACHE_URL).toEqual({ kind: 'memory' });
		expect(ok({ CACHE_URL: 'rediss://cache.example:6380' }).CACHE_URL).toEqual({ kind: 'redis', url: 'rediss://cache.example:6380' });
		expect(ok({ CACHE_URL: 'sqlite:///var/cache/marquee.sqlite' }).CACHE_URL).toEqual({
			kind: 'sqlite',
			file: '/var/cache/marquee.sqlite',
		});
	});

	it.each([
		['CACHE_URL', 'foo', 'CACHE_URL: must be "memory", sqlite://PATH or redis://HOST:PORT (or rediss://), got "foo"'],
		['CACHE_URL', 'sqlite://', 'CACHE_URL: sqlite:// needs a file path'],
		[
			'CACHE_URL',
			'redis://',
			'CACHE_URL: must be "memory", sqlite://PATH or redis://HOST:PORT (or rediss://), got a redis URL without a host',
		],
		[
			'CACHE_URL',
			'redis://[::1',
			'CACHE_URL: must be "memory", sqlite://PATH or redis://HOST:PORT (or rediss://), got an unparseable redis URL',
		],
		['CACHE_TTL_SECONDS', '0', 'CACHE_TTL_SECONDS: must be a positive whole number of seconds, got "0"'],
		['CACHE_TTL_SECONDS', '-5', 'CACHE_TTL_SECONDS: must be a positive whole number of seconds, got "-5"'],
		['CACHE_TTL_SECONDS', '1.5', 'CACHE_TTL_SECONDS: must be a positive whole number of seconds, got "1.5"'],
		['CACHE_TTL_SECONDS', '1h', 'CACHE_TTL_SECONDS: must be a positive whole number of seconds, got "1h"'],
		['CACHE_WAIT_MS', '-1', 'CACHE_WAIT_MS: must be a whole number of milliseconds from 0 to 60000, got "-1"'],
		['CACHE_WAIT_MS', '2.5', 'CACHE_WAIT_MS: must be a whole number of milliseconds from 0 to 60000, got "2.5"'],
		['CACHE_WAIT_MS', '60001', 'CACHE_WAIT_MS: must be a whole number of milliseconds from 0 to 60000, got "60001"'],
		['LOG_LEVEL', 'verbose', 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"'],
		['DISCORD_GUILD_ID', '1234', 'DISCORD_GUILD_ID: must be a guild id (a snowflake of 17-20 digits), got "1234"'],
		['DISCORD_APPLICATION_ID', 'my-bot', 'DISCORD_APPLICATION_ID: must be the application id (a snowflake of 17-20 digits), got "my-bot"'],
		['DISCORD_API_BASE', 'localhost:8080', 'DISCORD_API_BASE: must be an http(s) URL'],
		['DISCORD_API_BASE', 'not a url', 'DISCORD_API_BASE: must be an http(s) URL'],
		['DISCORD_API_BASE', 'http://127.0.0.1:8080/api/v10', 'DISCORD_API_BASE: must not end with an API version such as /v10'],
		['DISCORD_API_BASE', 'http://127.0.0.1:8080/api/v10/', 'DISCORD_API_BASE: must not end with an API version such as /v10'],
		['SHARD_COUNT', '0', 'SHARD_COUNT: must be a positive whole number or "auto", got "0"'],
		['SHARD_COUNT', 'many', 'SHARD_COUNT: must be a positive whole number or "auto", got "many"'],
	])('%s=%j gives its own clear message', (name, value, message) => {
		const list = errors({ [name]: value });
		expect(list).toHaveLength(1);
		expect(list[0]).toContain(message);
	});

	it('reports every bad variable at once, one line each', () => {
		const list = errors({ CACHE_URL: 'foo', CACHE_TTL_SECONDS: 'x', LOG_LEVEL: 'loud', SHARD_COUNT: '-1' });
		expect(list).toHaveLength(4);
		expect(list.map((line) => line.split(':')[0])).toEqual(['CACHE_URL', 'CACHE_TTL_SECONDS', 'LOG_LEVEL', 'SHARD_COUNT']);
	});

	it('requires an application id when a token is set', () => {
		expect(errors({ DISCORD_TOKEN: 'abc.def.ghi' })).toEqual([
			'DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set (the bot application id from the Developer Portal, 17-20 digits)',
		]);
		expect(errors({ DISCORD_TOKEN: 'abc.def.ghi', DISCORD_APPLICATION_ID: '' })).toHaveLength(1);
		// Reported together with unrelated mistakes, not only after they are fixed.
		const list = errors({ DISCORD_TOKEN: 'abc.def.ghi', LOG_LEVEL: 'loud' });
		expect(list).toHaveLength(2);
		expect(list.some((line) => line.startsWith('DISCORD_APPLICATION_ID: required'))).toBe(true);
		// An application id alone is fine.
		expect(ok({ DISCORD_APPLICATION_ID: APP_ID }).DISCORD_APPLICATION_ID).toBe(APP_ID);
	});

	it('never echoes secrets: the token or a redis password', () => {
		const token = 'Bot secret.token.value';
		const list = errors({ DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: APP_ID, CACHE_URL: 'redis://:hunter2@' });
		expect(list).toHaveLength(2);
		expect(list.join('\n')).not.toContain('secret');
		expect(list.join('\n')).not.toContain('hunter2');
		expect(list[0]).toMatch(/^DISCORD_TOKEN: must not contain whitespace/);
	});

	it('shortens very long bad values in messages', () => {
		const [line] = errors({ LOG_LEVEL: 'x'.repeat(500) });
		expect(line).toBeDefined();
		expect(line?.length ?? 0).toBeLessThan(200);
	});
});
