// The stop signals: the first SIGINT/SIGTERM asks to stop, a repeat within SIGNAL_REPEAT_MS is the same request
// relayed (a terminal's Ctrl-C to the whole group, npm or tsx passing it on), a later one exits at once.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { onSignals, SIGNAL_REPEAT_MS } from '../src/signals.js';
import { silent } from './helpers.js';

beforeEach(() => {
	vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
	vi.useRealTimers();
});

function watched(): { events: EventEmitter; stops: string[]; exits: number[]; off: () => void } {
	const events = new EventEmitter();
	const stops: string[] = [];
	const exits: number[] = [];
	const off = onSignals(
		events,
		silent,
		(code) => exits.push(code),
		(signal) => stops.push(signal),
	);
	return { events, stops, exits, off };
}

describe('onSignals', () => {
	it('stops at the first signal, ignores a repeat within SIGNAL_REPEAT_MS, exits at a later one', () => {
		const { events, stops, exits } = watched();
		events.emit('SIGINT', 'SIGINT');
		events.emit('SIGINT', 'SIGINT');
		expect([stops, exits]).toEqual([['SIGINT'], []]);
		vi.advanceTimersByTime(SIGNAL_REPEAT_MS);
		events.emit('SIGTERM', 'SIGTERM');
		expect([stops, exits]).toEqual([['SIGINT'], [1]]);
	});

	it('a relayed repeat arriving after the listeners were removed (the process exiting) still finds a listener until SIGNAL_REPEAT_MS', () => {
		// Without one, Node gives the signal back its default action and the repeat kills the process as it exits.
		const { events, stops, exits, off } = watched();
		events.emit('SIGINT', 'SIGINT');
		vi.advanceTimersByTime(40);
		off();
		expect([events.listenerCount('SIGINT'), events.listenerCount('SIGTERM')]).toEqual([1, 1]);
		events.emit('SIGINT', 'SIGINT');
		expect([stops, exits]).toEqual([['SIGINT'], []]);
		vi.advanceTimersByTime(SIGNAL_REPEAT_MS - 40);
		expect([events.listenerCount('SIGINT'), events.listenerCount('SIGTERM')]).toEqual([0, 0]);
	});

	it('removes every listener at once when no signal came', () => {
		const { events, off } = watched();
		off();
		expect([events.listenerCount('SIGINT'), events.listenerCount('SIGTERM')]).toEqual([0, 0]);
	});
});
