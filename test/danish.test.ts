// Replies in the interaction's language: the dispatcher's own notices and the shared unknown-name answers,
// through dispatch as every transport calls it, in Danish (and English where the locale says so).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { consoleArgs } from '../src/console/args.js';
import { runConsole } from '../src/console.js';
import { dispatch, type Deps, type Incoming } from '../src/discord/dispatch.js';
import { loadDataDir } from '../src/domain/load.js';
import { ReviewStore } from '../src/domain/store.js';
import { CHANNEL, captureLogger, click, command, expectValid, memoryCache, seedStore, silent, USER } from './helpers.js';

async function deps(over: Partial<Deps> = {}): Promise<Deps> {
	return { store: await seedStore(), cache: await memoryCache(), logger: silent, random: () => 0, ...over };
}

/** The content of the reply `incoming` gets, sent with `locale` (the user's) and `guildLocale` (the server's). */
async function contentOf(incoming: Incoming, locale?: string, guildLocale?: string, over: Partial<Deps> = {}): Promise<string | undefined> {
	return expectValid(await dispatch({ ...incoming, locale, guildLocale }, await deps(over)))?.content;
}

const unknownInDanish = 'Jeg kender ingen film, der hedder »Zzqq«. Brug forslagslisten, mens du skriver.';

describe('replies in the interaction’s locale', () => {
	it('answers in the user’s locale, else the server’s, else English', async () => {
		const reviews = command('reviews', { film: 'Zzqq' });
		expect(await contentOf(reviews, 'da')).toBe(unknownInDanish);
		expect(await contentOf(reviews, undefined, 'da')).toBe(unknownInDanish);
		const english = "I don't know a film called “Zzqq”. Try the autocomplete list as you type.";
		expect(await contentOf(reviews, 'en-US', 'da')).toBe(english);
		expect(await contentOf(reviews)).toBe(english);
	});

	it('says in Danish that a critic is unknown, with the credits it might mean', async () => {
		expect(await contentOf(command('critic', { name: 'Murrey' }), 'da')).toBe(
			'Jeg kender ingen kritiker, der hedder »Murrey«. Mente du **Noel Murray**?',
		);
	});

	it('says in Danish that a button, a form or a command is unknown', async () => {
		expect(await contentOf(click('zz:1'), 'da')).toBe('Den knap kender jeg ikke længere. Kør kommandoen igen.');
		expect(await contentOf({ type: 'modal', customId: 'zz:1', fields: [], userId: USER, channelId: CHANNEL }, 'da')).toBe(
			'Den formular kender jeg ikke længere. Kør kommandoen igen.',
		);
		expect(await contentOf(command('nope', {}), 'da')).toBe('Jeg har ikke (længere) en `/nope`-kommando. Prøv `/anmeldelser`.');
	});

	it('refuses in Danish what Discord would not send, and logs why in English', async () => {
		const { logger, lines } = captureLogger('info');
		expect(await contentOf({ ...click('zz:1'), userId: 'me' }, 'da', undefined, { logger })).toBe(
			'Den interaktion kom ikke, som Discord sender dem (brugerens id er ikke et Discord-id), så jeg svarede ikke på den.',
		);
		expect(lines.find((l) => l['msg'] === 'interaction refused')?.['reason']).toBe('the user id is not a Discord id');
	});

	it('apologises in Danish for a handler that throws, without the error text', async () => {
		class Exploding extends ReviewStore {
			override summary(): never {
				throw new Error('secret internal detail');
			}
		}
		const store = Exploding.fromData(await loadDataDir('data'));
		expect(await contentOf(command('reviews', { film: 'Pusher II' }), 'da', undefined, { store })).toBe(
			'Noget gik galt, da jeg skulle svare. Det er logget; prøv igen om et øjeblik.',
		);
	});
});

describe('the console’s --locale', () => {
	it('reads --locale da (or --locale=en) beside the other arguments; anything else is refused', () => {
		expect(consoleArgs(['--guild', 'dm', '--locale', 'da'])).toEqual({ guildId: null, saveAttachments: undefined, locale: 'da' });
		expect(consoleArgs(['--locale=EN'])).toEqual({ guildId: '100000000000000003', saveAttachments: undefined, locale: 'en' });
		expect(consoleArgs(['--locale', 'dk'])).toEqual({ error: '--locale needs one of: en, da.' });
		expect(consoleArgs(['--locale'])).toEqual({ error: '--locale needs one of: en, da.' });
	});

	it('sends every line with its locale, so the replies come in Danish', async () => {
		const input = new PassThrough();
		const output = new PassThrough();
		let text = '';
		output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
		const done = runConsole(await deps(), { input, output, interactive: false }, { locale: 'da' });
		input.end('/critic name:Murrey\n');
		await done;
		// The console's own words are Danish too (test/console.test.ts has them).
		expect(text).toBe(
			'> /critic name:Murrey\n(kun du kan se dette)\nJeg kender ingen kritiker, der hedder »Murrey«. Mente du Noel Murray?\n\n',
		);
	});
});
