/**
 * Whether the bot is ready to answer, for GET /readyz: its phase (starting, ready, stopping) and the
 * checks each part registers (the store open, the cache's state, the gateway connected or the HTTP
 * endpoint serving). Ready means the phase is `ready` and every check passes.
 */

export type Phase = 'starting' | 'ready' | 'stopping';

/** One check's answer: whether it passes, and a few words an operator can read. */
export interface Check {
	readonly ok: boolean;
	readonly detail: string;
}

export interface ReadinessReport {
	readonly ready: boolean;
	readonly phase: Phase;
	readonly checks: Readonly<Record<string, Check>>;
}

export class Readiness {
	#phase: Phase = 'starting';
	readonly #checks = new Map<string, () => Check>();

	get phase(): Phase {
		return this.#phase;
	}

	/** Ready once started; stopping is for good (a later `ready` does not undo it). */
	set(phase: Phase): void {
		if (this.#phase !== 'stopping') this.#phase = phase;
	}

	/** Adds (or replaces) the check `name`, run at each report. */
	check(name: string, run: () => Check): void {
		this.#checks.set(name, run);
	}

	report(): ReadinessReport {
		const checks: Record<string, Check> = {};
		for (const [name, run] of this.#checks) {
			try {
				checks[name] = run();
			} catch {
				checks[name] = { ok: false, detail: 'the check failed' };
			}
		}
		const ready = this.#phase === 'ready' && Object.values(checks).every((c) => c.ok);
		return { ready, phase: this.#phase, checks };
	}
}
