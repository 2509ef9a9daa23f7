import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from './config.js';

export type Logger = PinoLogger;

/**
 * A pino logger writing JSON lines. Goes to stderr by default so the local console's
 * stdout stays clean for replies; tests pass their own destination stream.
 */
export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
	const dest = destination ?? pino.destination({ dest: 2, sync: true });
	return pino({ level, base: { app: 'marquee' } }, dest);
}
