import { describe, expect, it } from 'vitest';
import { critic } from '../commands/critic.js';
import { forgetMe } from '../commands/forget-me.js';
import { localised } from '../commands/localise.js';
import { type RawOption, readArgs } from '../commands/options.js';
import { quote } from '../commands/quote.js';
import { reviews } from '../commands/reviews.js';
import { top } from '../commands/top.js';
import { dispatch, type Incoming } from '../src/discord/dispatch.js';
import { CHANNEL, expectValid, memoryCache, seedStore, silent, USER } from './helpers.js';

// Discord never sends an option a command does not declare; any transport that does (the console, a
// forged HTTP request) gets the refusal Discord's client would give instead of the option folded in or dropped.
describe('readArgs refuses options the command does not declare', () => {
	it('names the unknown option and lists the ones the command has', () => {
		expect(
			readArgs(
				reviews.data,
				[
					{ name: 'film', type: 3, value: 'Pusher' },
					{ name: 'extra', type: 3, value: '1' },
				],
				'en',
			),
		).toEqual({
			ok: false,
			message: '`/reviews` has no option `extra`. Its options: `film`.',
		});
		// before asking for a missing required option
		expect(readArgs(critic.data, [{ name: 'film', type: 3, value: 'Pusher' }], 'en')).toEqual({
			ok: false,
			message: '`/critic` has no option `film`. Its options: `name`.',
		});
	});

	it("checks a subcommand's options against that subcommand", () => {
		const random = (options: { name: string; type: number; value: string }[]) =>
			readArgs(quote.data, [{ name: 'random', type: 1, options }], 'en');
		expect(random([{ name: 'kind', type: 3, value: 'user' }])).toEqual({
			ok: true,
			args: { subcommand: 'random', film: undefined, kind: 'user' },
		});
		expect(random([{ name: 'time', type: 3, value: '3' }])).toEqual({
			ok: false,
			message: '`/quote random` has no option `time`. Its options: `film`, `kind`.',
		});
		// a subcommand where the command takes plain options is an unknown option too
		expect(readArgs(reviews.data, [{ name: 'random', type: 1, options: [] }], 'en')).toMatchObject({
			ok: false,
			message: '`/reviews` has no option `random`. Its options: `film`.',
		});
	});

	it('does not repeat a name that is no option name (markdown, mentions, length)', () => {
		for (const name of ['`@everyone`', '**x**', 'a'.repeat(33), '']) {
			expect(
				readArgs(
					reviews.data,
					[
						{ name: 'film', type: 3, value: 'Pusher' },
						{ name, type: 3, value: '1' },
					],
					'en',
				),
			).toEqual({
				ok: false,
				message: '`/reviews` was given an option it does not have. Its options: `film`.',
			});
		}
	});
});

// A Danish user sees the commands, options and choices under their Danish names (commands/localise.ts),
// so a refusal names them so too; the interaction still carries the canonical names.
describe('readArgs in Danish', () => {
	const string = (name: string, value: string): RawOption => ({ name, type: 3, value });
	const random = (...options: RawOption[]): RawOption[] => [{ name: 'random', type: 1, options }];
	const cases: [string, ReturnType<typeof localised>, RawOption[], string][] = [
		[
			'an unknown option',
			localised(reviews.data),
			[string('film', 'Pusher'), string('extra', '1')],
			'`/anmeldelser` har intet felt, der hedder `extra`. Dens felter: `film`.',
		],
		[
			'an unknown option of a subcommand',
			localised(quote.data),
			random(string('time', '3')),
			'`/citat tilfældigt` har intet felt, der hedder `time`. Dens felter: `film`, `slags`.',
		],
		[
			'an option that is no name',
			localised(reviews.data),
			[string('**x**', '1')],
			'`/anmeldelser` fik et felt, den ikke har. Dens felter: `film`.',
		],
		[
			'an option of a command that takes none',
			localised(forgetMe.data),
			[string('now', 'yes')],
			'`/glem-mig` har intet felt, der hedder `now`. Den har ingen felter.',
		],
		['no subcommand', localised(quote.data), [], 'Brug en af disse: /citat tilfældigt.'],
		['a missing option', localised(critic.data), [], 'Udfyld venligst feltet `navn`.'],
		['a wrong type', localised(top.data), [string('min_ratings', 'three')], 'Feltet `min_bedømmelser` har en forkert type.'],
		['too long a value', localised(critic.data), [string('name', 'x'.repeat(201))], 'Feltet `navn` må højst være 200 tegn.'],
		[
			'a value that is no choice',
			localised(quote.data),
			random(string('kind', 'nonsense')),
			'`slags` skal være en af: bruger, kritiker, medlem.',
		],
	];

	it.each(cases)('refuses %s in Danish names', (_what, data, options, message) => {
		expect(readArgs(data, options, 'da')).toEqual({ ok: false, message });
	});

	it('keeps the English refusals as they were, localised data or not', () => {
		expect(cases.map(([, data, options]) => readArgs(data, options, 'en'))).toEqual(
			[
				'`/reviews` has no option `extra`. Its options: `film`.',
				'`/quote random` has no option `time`. Its options: `film`, `kind`.',
				'`/reviews` was given an option it does not have. Its options: `film`.',
				'`/forget-me` has no option `now`. It takes none.',
				'Use one of: /quote random.',
				'Please give the `name` option.',
				'The `min_ratings` option has the wrong type.',
				'The `name` option can be at most 200 characters.',
				'`kind` must be one of: user, critic, member.',
			].map((message) => ({ ok: false, message })),
		);
	});

	it("answers in the interaction's locale through dispatch", async () => {
		const deps = { store: await seedStore(), cache: await memoryCache(), logger: silent };
		const incoming: Incoming = { type: 'command', name: 'critic', options: [], userId: USER, channelId: CHANNEL };
		const content = async (locale: string) => expectValid(await dispatch({ ...incoming, locale }, deps))?.content;
		expect(await content('da')).toBe('Udfyld venligst feltet `navn`.');
		expect(await content('en-US')).toBe('Please give the `name` option.');
	});
});
