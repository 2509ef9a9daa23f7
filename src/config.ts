import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_MAX_PAGE_MB } from './domain/load.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel, prettyInstalled } from './log.js';

/**
 * Environment configuration, validated once at start.
 *
 * Keys are the environment variable names, so `config.CACHE_URL` reads like the
 * `.env` file. Empty (or whitespace-only) values count as unset; all values are trimmed.
 * `loadConfig` never throws and never exits: it returns either the config or one
 * message per bad variable, and the caller decides how to print them.
 */

const SNOWFLAKE = /^\d{17,20}$/;
const POSITIVE_INT = /^[1-9]\d*$/;

/** Shows a received value in an error message, shortened so a pasted secret cannot flood the log. */
function shown(value: string): string {
	const short = value.length > 60 ? `${value.slice(0, 57)}...` : value;
	return JSON.stringify(short);
}

/** An optional, trimmed string where '' means unset. */
const optionalText = z.preprocess((value) => {
	if (typeof value !== 'string') return value;
	const trimmed = value.trim();
	return trimmed === '' ? undefined : trimmed;
}, z.string().optional());

function snowflake(what: string) {
	return optionalText.transform((value, ctx) => {
		if (value === undefined) return undefined;
		if (!SNOWFLAKE.test(value)) {
			ctx.addIssue({ code: 'custom', message: `must be ${what} (a snowflake of 17-20 digits), got ${shown(value)}` });
			return z.NEVER;
		}
		return value;
	});
}

function positiveInt(value: string): number | undefined {
	if (!POSITIVE_INT.test(value)) return undefined;
	const n = Number(value);
	return Number.isSafeInteger(n) ? n : undefined;
}

/** A whole number from `min` to `max` (`fallback` when unset), else the issue "`must`, got VALUE". */
function wholeNumber<F extends number | undefined>(fallback: F, min: 0 | 1, max: number, must: string) {
	return optionalText.transform((value, ctx): number | F => {
		if (value === undefined) return fallback;
		const n = min === 0 && value === '0' ? 0 : positiveInt(value);
		if (n === undefined || n > max) {
			ctx.addIssue({ code: 'custom', message: `${must}, got ${shown(value)}` });
			return z.NEVER;
		}
		return n;
	});
}

/** `MAX_PAGE_MB`, also read by the data tools. At most 512: a longer page would not fit in one JavaScript string. */
export const MaxPageMb = wholeNumber(DEFAULT_MAX_PAGE_MB, 1, 512, 'must be a whole number of megabytes from 1 to 512');

/** `REVIEWS_DB`, also read by `npm run data:build`: a file path (`:memory:` would build a store no other process can open). */
export const ReviewsDb = optionalText.refine((value) => value !== ':memory:', 'must be a file path, e.g. data/reviews.db');

/** Where the compiled review store is: `REVIEWS_DB`, or `reviews.db` beside the pages. */
export function reviewsDbPath(dataDir: string, reviewsDb: string | undefined): string {
	return reviewsDb ?? join(dataDir, 'reviews.db');
}

const DATABASE_URL_HINT = 'must be sqlite://PATH or postgres://USER@HOST:PORT/DB (or postgresql://)';

/** Where member data lives: a SQLite file, or a PostgreSQL server (connection string as given). */
export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** Does not echo a postgres URL back: it may carry a password. */
function databaseUrlProblem(value: string): string | undefined {
	if (value.startsWith('sqlite://')) {
		const file = value.slice('sqlite://'.length);
		if (file === '') return 'sqlite:// needs a file path, e.g. sqlite://data/marquee.db';
		if (file === ':memory:') return 'must be a file path, e.g. sqlite://data/marquee.db (:memory: would lose every rating at exit)';
		return undefined;
	}
	if (value.startsWith('postgres://') || value.startsWith('postgresql://')) {
		return URL.canParse(value) ? undefined : `${DATABASE_URL_HINT}, got an unparseable postgres URL`;
	}
	return `${DATABASE_URL_HINT}, got ${shown(value)}`;
}

/** `DATABASE_URL`, also read by `npm run db:backup`: unset, sqlite://PATH or postgres(ql)://... */
export const DatabaseUrl = optionalText.refine((value) => value === undefined || databaseUrlProblem(value) === undefined, {
	error: (issue) => (typeof issue.input === 'string' ? databaseUrlProblem(issue.input) : undefined) ?? DATABASE_URL_HINT,
});

/** Where member data lives: `DATABASE_URL` (validated by `DatabaseUrl`), or the file `marquee.db` beside the pages. */
export function databaseTarget(dataDir: string, databaseUrl: string | undefined): DatabaseTarget {
	if (databaseUrl === undefined) return { kind: 'sqlite', file: join(dataDir, 'marquee.db') };
	if (databaseUrl.startsWith('sqlite://')) return { kind: 'sqlite', file: databaseUrl.slice('sqlite://'.length) };
	return { kind: 'postgres', url: databaseUrl };
}

const CACHE_URL_HINT = 'must be "memory", sqlite://PATH or redis://HOST:PORT (or rediss://)';

/** Where the cache lives: in process, in a SQLite file, or on a Redis server (the URL as given). */
export type CacheUrl =
	{ readonly kind: 'memory' } | { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'redis'; readonly url: string };

/** `CACHE_URL` text, parsed once: `memory`, `sqlite://PATH`, `redis://HOST:PORT` or `rediss://...`. Never echoes a redis URL back: it may carry a password. */
export const CacheUrl = z.string().transform((value, ctx): CacheUrl => {
	const problem = (message: string): never => {
		ctx.addIssue({ code: 'custom', message });
		return z.NEVER;
	};
	if (value === 'memory') return { kind: 'memory' };
	if (value.startsWith('sqlite://')) {
		const file = value.slice('sqlite://'.length);
		return file === '' ? problem('sqlite:// needs a file path, e.g. sqlite://data/cache.sqlite') : { kind: 'sqlite', file };
	}
	if (value.startsWith('redis://') || value.startsWith('rediss://')) {
		if (!URL.canParse(value)) return problem(`${CACHE_URL_HINT}, got an unparseable redis URL`);
		if (new URL(value).hostname === '') return problem(`${CACHE_URL_HINT}, got a redis URL without a host`);
		return { kind: 'redis', url: value };
	}
	return problem(`${CACHE_URL_HINT}, got ${shown(value)}`);
});

export const Config = z
	.object({
		/** Bot token. When absent the bot runs the local console instead of connecting to Discord. */
		DISCORD_TOKEN: optionalText.transform((value, ctx) => {
			if (value === undefined) return undefined;
			if (/\s/.test(value)) {
				// Never echo the token itself.
				ctx.addIssue({ code: 'custom', message: 'must not contain whitespace (check for a pasted "Bot " prefix or a line break)' });
				return z.NEVER;
			}
			return value;
		}),
		DISCORD_APPLICATION_ID: snowflake('the application id'),
		DISCORD_GUILD_ID: snowflake('a guild id'),
		DATA_DIR: optionalText.transform((value) => value ?? 'data'),
		/** The compiled review store (`npm run data:build`); default `reviews.db` in DATA_DIR. */
		REVIEWS_DB: ReviewsDb,
		CACHE_URL: optionalText.transform((value) => value ?? 'sqlite://data/cache.sqlite').pipe(CacheUrl),
		CACHE_TTL_SECONDS: wholeNumber(3600, 1, Number.MAX_SAFE_INTEGER, 'must be a positive whole number of seconds'),
		CACHE_WAIT_MS: wholeNumber(1, 0, 60_000, 'must be a whole number of milliseconds from 0 to 60000'),
		/** The largest page (or manifest) the loader reads, in MB; a larger one is a data error, not read. */
		MAX_PAGE_MB: MaxPageMb,
		/** Member ratings and reviews: unset → `marquee.db` in DATA_DIR; sqlite://PATH or postgres://... */
		DATABASE_URL: DatabaseUrl,
		LOG_LEVEL: optionalText.transform((value, ctx): LogLevel => {
			if (value === undefined) return 'info';
			const level = LOG_LEVELS.find((l) => l === value.toLowerCase());
			if (level === undefined) {
				ctx.addIssue({ code: 'custom', message: `must be one of ${LOG_LEVELS.join(', ')}, got ${shown(value)}` });
				return z.NEVER;
			}
			return level;
		}),
		/** `json` (default): JSON lines; `pretty`: readable lines for development, via pino-pretty (a dev dependency). */
		LOG_FORMAT: optionalText.transform((value, ctx): LogFormat => {
			if (value === undefined) return 'json';
			const format = LOG_FORMATS.find((f) => f === value.toLowerCase());
			if (format === undefined) {
				ctx.addIssue({ code: 'custom', message: `must be json or pretty, got ${shown(value)}` });
				return z.NEVER;
			}
			if (format === 'pretty' && !prettyInstalled()) {
				ctx.addIssue({
					code: 'custom',
					message:
						'pretty needs pino-pretty, a dev dependency this install does not have (npm ci --omit=dev): unset LOG_FORMAT or set json',
				});
				return z.NEVER;
			}
			return format;
		}),
		/** REST base of a Discord-compatible server (e2e tests), without the /v10 suffix. */
		DISCORD_API_BASE: optionalText.transform((value, ctx) => {
			if (value === undefined) return undefined;
			let url: URL;
			try {
				url = new URL(value);
			} catch {
				ctx.addIssue({ code: 'custom', message: `must be an http(s) URL such as http://127.0.0.1:8080/api, got ${shown(value)}` });
				return z.NEVER;
			}
			if (url.protocol !== 'http:' && url.protocol !== 'https:') {
				ctx.addIssue({ code: 'custom', message: `must be an http(s) URL, got ${shown(value)}` });
				return z.NEVER;
			}
			const base = value.replace(/\/+$/, '');
			if (/\/v\d+$/.test(base)) {
				ctx.addIssue({
					code: 'custom',
					message: `must not end with an API version such as /v10 (discord.js adds it), got ${shown(value)}`,
				});
				return z.NEVER;
			}
			return base;
		}),
		/** Application public key (64 hex characters): turns on the HTTP interactions endpoint with HTTP_PORT. */
		DISCORD_PUBLIC_KEY: optionalText.transform((value, ctx) => {
			if (value === undefined) return undefined;
			if (!/^[0-9a-f]{64}$/i.test(value)) {
				ctx.addIssue({ code: 'custom', message: `must be the application's public key, 64 hex characters, got ${shown(value)}` });
				return z.NEVER;
			}
			return value.toLowerCase();
		}),
		/** Port for the HTTP interactions endpoint (POST /interactions); needs DISCORD_PUBLIC_KEY. */
		HTTP_PORT: wholeNumber(undefined, 1, 65535, 'must be a TCP port from 1 to 65535'),
		/**
		 * Port for the operations endpoints (GET /healthz, /readyz, /metrics: `src/ops/server.ts`); unset: off.
		 * Under `npm run start:sharded` shard N serves on METRICS_PORT + N.
		 */
		METRICS_PORT: wholeNumber(undefined, 1, 65535, 'must be a TCP port from 1 to 65535'),
		SHARD_COUNT: optionalText.transform((value, ctx): number | 'auto' | undefined => {
			if (value === undefined) return undefined;
			if (value.toLowerCase() === 'auto') return 'auto';
			const n = positiveInt(value);
			if (n === undefined) {
				ctx.addIssue({ code: 'custom', message: `must be a positive whole number or "auto", got ${shown(value)}` });
				return z.NEVER;
			}
			return n;
		}),
	})
	.superRefine((config, ctx) => {
		const problem = crossFieldProblem(config.DISCORD_TOKEN, config.DISCORD_APPLICATION_ID);
		if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['DISCORD_APPLICATION_ID'], message: problem });
		if ((config.HTTP_PORT === undefined) !== (config.DISCORD_PUBLIC_KEY === undefined)) {
			ctx.addIssue({
				code: 'custom',
				path: ['HTTP_PORT'],
				message: 'HTTP_PORT and DISCORD_PUBLIC_KEY go together: set both to serve the HTTP interactions endpoint, or neither',
			});
		}
		if (config.METRICS_PORT !== undefined && config.METRICS_PORT === config.HTTP_PORT) {
			ctx.addIssue({
				code: 'custom',
				path: ['METRICS_PORT'],
				message: `must differ from HTTP_PORT (${config.HTTP_PORT}): the operations endpoints are served apart from the interactions endpoint`,
			});
		}
	});
export type Config = z.infer<typeof Config>;

function crossFieldProblem(token: string | undefined, applicationId: string | undefined): string | undefined {
	if (token !== undefined && applicationId === undefined) {
		return 'required when DISCORD_TOKEN is set (the bot application id from the Developer Portal, 17-20 digits)';
	}
	return undefined;
}

export type LoadConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** What a tool prints for a failed `loadConfig`: its heading, then one indented line per problem. */
export function configProblems(heading: string, errors: readonly string[]): string {
	return [heading, ...errors.map((error) => `  ${error}`)].map((l) => `${l}\n`).join('');
}

/** Validates the environment. Never throws, never exits: on failure returns one line per problem, e.g. `CACHE_TTL_SECONDS: must be ...`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadConfigResult {
	const result = Config.safeParse(env);
	if (result.success) return { ok: true, config: result.data };

	const errors = result.error.issues.map((issue) => {
		const name = issue.path.map(String).join('.');
		return name === '' ? issue.message : `${name}: ${issue.message}`;
	});
	// zod skips object-level refinements when a field failed; still report the cross-field problem
	// so the user sees every mistake in one go.
	const token = env['DISCORD_TOKEN']?.trim() || undefined;
	const applicationId = env['DISCORD_APPLICATION_ID']?.trim() || undefined;
	const cross = crossFieldProblem(token, applicationId);
	const crossLine = cross === undefined ? undefined : `DISCORD_APPLICATION_ID: ${cross}`;
	if (crossLine !== undefined && !errors.includes(crossLine)) errors.push(crossLine);
	return { ok: false, errors };
}
