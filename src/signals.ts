import type { Logger } from './log.js';

/** SIGINT/SIGTERM handling shared by the bot (`src/app.ts`) and the sharding manager (`src/sharded.ts`). */

/** The stop signals. Not SIGHUP: it reloads the data (`src/reload.ts`). */
export const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * A signal this soon after the first is the same stop request delivered twice, not a second one: a
 * terminal's Ctrl-C reaches every process of the foreground group, npm relays a signal to the script it
 * runs, and the tsx CLI (`npm run dev`) relays one to its child when the child has not reported it within 30 ms.
 */
export const SIGNAL_REPEAT_MS = 1000;

/**
 * Calls `onSignal` on the first SIGINT/SIGTERM (logged as `what`); a second one (later than SIGNAL_REPEAT_MS)
 * calls `exit(1)` at once. Returns a function that removes the listeners (a repeat of the first signal still
 * finds one that ignores it until SIGNAL_REPEAT_MS after it).
 */
export function onSignals(
	events: NodeJS.EventEmitter,
	logger: Logger,
	exit: (code: number) => void,
	onSignal: (signal: string) => void,
	what = 'shutting down',
): () => void {
	let seen: number | undefined;
	const listener = (signal: string): void => {
		if (seen !== undefined) {
			if (performance.now() - seen < SIGNAL_REPEAT_MS) {
				logger.debug({ signal }, 'signal repeated at once (a terminal, npm or tsx relaying it): already shutting down');
				return;
			}
			logger.warn({ signal }, 'second signal: exiting at once');
			exit(1);
			return;
		}
		seen = performance.now();
		logger.info({ signal }, what);
		onSignal(signal);
	};
	for (const s of SIGNALS) events.on(s, listener);
	return () => {
		for (const s of SIGNALS) events.off(s, listener);
		// The first signal's relayed repeat may still be on its way while the process exits: with no listener, Node
		// would give it the default action and it would kill the process mid-exit. It is ignored until
		// SIGNAL_REPEAT_MS after the first, as the listener above ignores it.
		const left = seen === undefined ? 0 : SIGNAL_REPEAT_MS - (performance.now() - seen);
		if (left <= 0) return;
		const ignore = (): void => {};
		for (const s of SIGNALS) events.on(s, ignore);
		setTimeout(() => {
			for (const s of SIGNALS) events.off(s, ignore);
		}, left).unref();
	};
}
