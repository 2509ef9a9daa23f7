// The catalogues and their Intl helpers, and the Danish localisations of every command's data.
//
// What counts as a missing translation, beyond what `tsc` checks (every English key has a Danish one):
// an empty text, a `{parameter}` the English text has and the Danish lacks (or the other way round), and a
// Danish text equal to the English one, unless its key is listed in SAME_IN_DANISH (a film is a film).
import type { APIApplicationCommandOption } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { compare } from '../commands/compare.js';
import { critic } from '../commands/critic.js';
import { divisive } from '../commands/divisive.js';
import { forgetMe } from '../commands/forget-me.js';
import { commands } from '../commands/index.js';
import { member } from '../commands/member.js';
import { quote } from '../commands/quote.js';
import { rate } from '../commands/rate.js';
import { reviews } from '../commands/reviews.js';
import { top } from '../commands/top.js';
import { da, SAME_IN_DANISH } from '../src/i18n/da.js';
import { en, type Key } from '../src/i18n/en.js';
import { count, date, decimal, integer, localeOf, t } from '../src/i18n/index.js';

const keys = Object.keys(en).filter((k): k is Key => k in en);
const params = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('the Danish catalogue', () => {
	it('has a text of its own for every key, with the same parameters', () => {
		const empty = keys.filter((k) => da[k].trim() === '');
		const english = keys.filter((k) => da[k] === en[k] && !SAME_IN_DANISH.has(k));
		const parameters = keys.filter((k) => params(da[k]).join() !== params(en[k]).join());
		expect({ empty, english, parameters }).toEqual({ empty: [], english: [], parameters: [] });
	});

	it('lists as the same in Danish only texts that are', () => {
		expect([...SAME_IN_DANISH].filter((k) => da[k] !== en[k])).toEqual([]);
	});
});

describe('t', () => {
	it('fills in parameters in the locale asked for', () => {
		expect(t('en', 'dispatch.unknownCommand', { name: 'nope' })).toBe("I don't have a `/nope` command (any more). Try `/reviews`.");
		expect(t('da', 'dispatch.unknownCommand', { name: 'nope' })).toBe('Jeg har ikke (længere) en `/nope`-kommando. Prøv `/anmeldelser`.');
	});
});

describe('localeOf', () => {
	it("takes the user's locale, then the server's, then English; only Discord's da is Danish", () => {
		expect(localeOf('da', 'en-US')).toBe('da');
		expect(localeOf('en-US', 'da')).toBe('en');
		expect(localeOf('en-GB', undefined)).toBe('en');
		expect(localeOf(undefined, 'da')).toBe('da');
		expect(localeOf(null, 'en-GB')).toBe('en');
		expect(localeOf('de', 'da')).toBe('en');
		expect(localeOf('da-DK', undefined)).toBe('en');
		expect(localeOf(undefined, undefined)).toBe('en');
	});
});

describe('numbers, dates and plurals through Intl', () => {
	it('writes numbers the locale’s way', () => {
		expect([decimal('en', 7.66667), decimal('da', 7.66667), decimal('da', 10)]).toEqual(['7.7', '7,7', '10,0']);
		expect([integer('en', 12345), integer('da', 12345)]).toEqual(['12,345', '12.345']);
	});

	it('writes dates the locale’s way (English keeps Marquee’s “Sep”)', () => {
		expect([date('en', '2009-02-08'), date('en', '2009-09-08'), date('en', null)]).toEqual(['8 Feb 2009', '8 Sep 2009', 'undated']);
		expect([date('da', '2009-02-08'), date('da', '2004-05-17'), date('da', null)]).toEqual(['8. feb. 2009', '17. maj 2004', 'udateret']);
	});

	it('chooses the noun by the locale’s plural rules', () => {
		expect([0, 1, 2, 1500].map((n) => count('en', n, 'rating'))).toEqual(['0 ratings', '1 rating', '2 ratings', '1,500 ratings']);
		expect([0, 1, 2, 1500].map((n) => count('da', n, 'member'))).toEqual(['0 medlemmer', '1 medlem', '2 medlemmer', '1.500 medlemmer']);
	});
});

/** Discord's rules for a localised command or option name, and a description's length. */
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface Localised {
	readonly name: string;
	readonly description?: string;
	readonly name_localizations?: { readonly da?: string | null | undefined } | null | undefined;
	readonly description_localizations?: { readonly da?: string | null | undefined } | null | undefined;
}

/** Every command, option and choice of the deployed data, with where it is (`/quote random kind`). */
function everything(): { where: string; item: Localised; choice: boolean }[] {
	const out: { where: string; item: Localised; choice: boolean }[] = [];
	const walk = (options: readonly APIApplicationCommandOption[], where: string): void => {
		for (const o of options) {
			out.push({ where: `${where} ${o.name}`, item: o, choice: false });
			if ('choices' in o) for (const c of o.choices ?? []) out.push({ where: `${where} ${o.name}:${c.name}`, item: c, choice: true });
			if ('options' in o) walk(o.options ?? [], `${where} ${o.name}`);
		}
	};
	for (const c of commands) {
		out.push({ where: `/${c.data.name}`, item: c.data, choice: false });
		walk(c.data.options ?? [], `/${c.data.name}`);
	}
	return out;
}

describe('the commands in Danish', () => {
	it('gives every command, option and choice a Danish name (and description) within Discord’s limits', () => {
		const all = everything();
		// One for each name in the catalogue: 9 commands, 13 options, 5 choices.
		expect(all).toHaveLength(keys.filter((k) => /^cmd\..*(\.name|\.choice\.[^.]+)$/.test(k)).length);
		expect(all).toHaveLength(27);
		const wrong = all.flatMap(({ where, item, choice }) => {
			const name = item.name_localizations?.da;
			const description = item.description_localizations?.da;
			const problems: string[] = [];
			// Choice names are shown, not typed: 1-100 characters of anything. Command and option names follow the regex, in lower case.
			if (typeof name !== 'string' || (choice ? name.length > 100 : !NAME.test(name) || name !== name.toLowerCase()))
				problems.push(`${where}: name ${String(name)}`);
			if (!choice && (typeof description !== 'string' || description.length < 1 || description.length > 100))
				problems.push(`${where}: description ${String(description)}`);
			return problems;
		});
		expect(wrong).toEqual([]);
	});

	it('reads them from the catalogue, whose English is the data’s own', () => {
		const reviews = commands.find((c) => c.data.name === 'reviews')?.data;
		expect(reviews?.name_localizations).toEqual({ da: 'anmeldelser' });
		expect(reviews?.description).toBe(en['cmd.reviews.description']);
		const quote = everything().find((e) => e.where === '/quote random kind:member');
		expect(quote?.item.name_localizations).toEqual({ da: 'medlem' });
		// The English catalogue says what the data says (an option renamed in one place but not the other fails here).
		const englishOf = (item: Localised): string[] => [item.name, ...(item.description === undefined ? [] : [item.description])];
		const inData = everything().flatMap((e) => englishOf(e.item));
		const inCatalogue = keys.filter((k) => k.startsWith('cmd.')).map((k) => en[k]);
		expect(new Set(inData)).toEqual(new Set(inCatalogue));
	});

	it('adds nothing but localisations: the names handlers see are the data’s own', () => {
		const strip = (value: unknown): unknown =>
			Array.isArray(value)
				? value.map(strip)
				: typeof value === 'object' && value !== null
					? Object.fromEntries(
							Object.entries(value)
								.filter(([k]) => !k.endsWith('_localizations'))
								.map(([k, v]) => [k, strip(v)]),
						)
					: value;
		const own = [reviews, critic, quote, rate, top, member, forgetMe, divisive, compare].map((c) => c.data);
		expect(commands.map((c) => strip(c.data))).toEqual(own);
		expect(own.some((d) => 'name_localizations' in d)).toBe(false);
	});
});
