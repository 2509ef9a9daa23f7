import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type PinoPretty from 'pino-pretty';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The logger: pino, writing JSON lines (`LOG_FORMAT=json`, the default), or readable lines through
 * pino-pretty for development (`LOG_FORMAT=pretty`; pino-pretty is a dev dependency, which an
 * `npm ci --omit=dev` install does not have, so config refuses `pretty` there).
 */

export type Logger = PinoLogger;

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const require = createRequire(import.meta.url);

/** Whether pino-pretty can be loaded (without loading it). */
export function prettyInstalled(): boolean {
	try {
		require.resolve('pino-pretty');
		return true;
	} catch {
		return false;
	}
}

function isPrettyFactory(value: unknown): value is typeof PinoPretty {
	return typeof value === 'function';
}

/** pino-pretty's stream factory, loaded only when asked for; undefined when it is not installed. */
function prettyFactory(): typeof PinoPretty | undefined {
	try {
		const loaded: unknown = require('pino-pretty');
		return isPrettyFactory(loaded) ? loaded : undefined;
	} catch {
		return undefined;
	}
}

/**
 * A pino logger. Goes to stderr by default so the local console's stdout stays clean for replies; tests
 * pass their own destination stream. `pretty` without pino-pretty (which config does not let through)
 * writes JSON.
 */
export function createLogger(level: LogLevel = 'info', destination?: DestinationStream, format: LogFormat = 'json'): Logger {
	const pretty = format === 'pretty' ? prettyFactory() : undefined;
	const dest =
		pretty !== undefined
			? pretty({
					destination: destination ?? 2,
					sync: true,
					colorize: destination === undefined && process.stderr.isTTY,
					ignore: 'app',
					translateTime: 'SYS:HH:MM:ss.l',
				})
			: (destination ?? pino.destination({ dest: 2, sync: true }));
	return pino({ level, base: { app: 'marquee' } }, dest);
}
