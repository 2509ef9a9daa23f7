/**
 * The one IPC message between the sharding manager (`src/sharded.ts`) and a shard (`src/app.ts`): a
 * request to shut down cleanly. Its own module so the manager does not import the whole app for it.
 */

/** The IPC message `src/sharded.ts` sends each shard to shut it down cleanly. */
export const SHUTDOWN_MESSAGE = { marquee: 'shutdown' } as const;

export function isShutdownMessage(message: unknown): boolean {
	return typeof message === 'object' && message !== null && 'marquee' in message && message.marquee === SHUTDOWN_MESSAGE.marquee;
}
