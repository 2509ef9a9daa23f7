import { describe, expect, it } from 'vitest';
import { critic } from '../commands/critic.js';
import { readArgs } from '../commands/options.js';
import { quote } from '../commands/quote.js';
import { reviews } from '../commands/reviews.js';

// Discord never sends an option a command does not declare; any transport that does (the console, a
// forged HTTP request) gets the refusal Discord's client would give instead of the option folded in or dropped.
describe('readArgs refuses options the command does not declare', () => {
	it('names the unknown option and lists the ones the command has', () => {
		expect(
			readArgs(reviews.data, [
				{ name: 'film', type: 3, value: 'Pusher' },
				{ name: 'extra', type: 3, value: '1' },
			]),
		).toEqual({
			ok: false,
			message: '`/reviews` has no option `extra`. Its options: `film`.',
		});
		// before asking for a missing required option
		expect(readArgs(critic.data, [{ name: 'film', type: 3, value: 'Pusher' }])).toEqual({
			ok: false,
			message: '`/critic` has no option `film`. Its options: `name`.',
		});
	});

	it("checks a subcommand's options against that subcommand", () => {
		const random = (options: { name: string; type: number; value: string }[]) =>
			readArgs(quote.data, [{ name: 'random', type: 1, options }]);
		expect(random([{ name: 'kind', type: 3, value: 'user' }])).toEqual({
			ok: true,
			args: { subcommand: 'random', film: undefined, kind: 'user' },
		});
		expect(random([{ name: 'time', type: 3, value: '3' }])).toEqual({
			ok: false,
			message: '`/quote random` has no option `time`. Its options: `film`, `kind`.',
		});
		// a subcommand where the command takes plain options is an unknown option too
		expect(readArgs(reviews.data, [{ name: 'random', type: 1, options: [] }])).toMatchObject({
			ok: false,
			message: '`/reviews` has no option `random`. Its options: `film`.',
		});
	});

	it('does not repeat a name that is no option name (markdown, mentions, length)', () => {
		for (const name of ['`@everyone`', '**x**', 'a'.repeat(33), '']) {
			expect(
				readArgs(reviews.data, [
					{ name: 'film', type: 3, value: 'Pusher' },
					{ name, type: 3, value: '1' },
				]),
			).toEqual({
				ok: false,
				message: '`/reviews` was given an option it does not have. Its options: `film`.',
			});
		}
	});
});
