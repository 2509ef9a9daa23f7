/**
 * What Marquee says, in the locale of the person it answers: `t(locale, key, params)` over one typed
 * catalogue per locale, the locale an interaction is answered in (`localeOf`), and numbers, dates and
 * plurals through `Intl`.
 *
 * A typed catalogue rather than an i18n library: the keys are checked at compile time (a missing
 * Danish text or a misspelt key fails `tsc`, and a text's `{parameters}` are the type of `t`'s last
 * argument), nothing is loaded at run time (the catalogues are modules), and Node's `Intl` already does
 * what a library would add (plural rules, number and date formats). Two locales do not need more.
 *
 * To add a language: a catalogue `xx.ts` that `satisfies Catalogue`, its entry in CATALOGUES, INTL_TAG
 * and DISCORD_LOCALES below, and its branch in `localeOf`.
 */

import { da } from './da.js';
import { type Catalogue, en, type Key } from './en.js';

export type { Key } from './en.js';

export type Locale = 'en' | 'da';
export const LOCALES: readonly Locale[] = ['en', 'da'];

const CATALOGUES: Readonly<Record<Locale, Catalogue>> = { en, da };
/** The BCP 47 tag `Intl` formats each locale's numbers, dates and plurals with. */
const INTL_TAG: Readonly<Record<Locale, string>> = { en: 'en-GB', da: 'da-DK' };
/** Discord's locale for each of ours but English (the commands' canonical language): `name_localizations` keys. */
export const DISCORD_LOCALES = { da: 'da' } as const satisfies Readonly<Record<Exclude<Locale, 'en'>, string>>;

/** Whether `key` is one of the catalogue's (for keys built at run time, such as a command option's). */
export function isKey(key: string): key is Key {
	return Object.hasOwn(en, key);
}

/** The text of `key` in `locale` as the catalogue has it, parameters unfilled (for texts that have none, such as command data). */
export function catalogueText(locale: Locale, key: Key): string {
	return CATALOGUES[locale][key];
}

/** The `{parameter}` names in a text: `'Hi {name}, {n}'` → `'name' | 'n'`. */
type ParamsOf<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | ParamsOf<Rest> : never;
/** `t`'s parameters for `key`: none, or an object with exactly the text's `{parameters}`. */
type Args<K extends Key> = [ParamsOf<(typeof en)[K]>] extends [never] ? [] : [Readonly<Record<ParamsOf<(typeof en)[K]>, string>>];

/** The text of `key` in `locale`, its `{parameters}` filled in from `params` (given as they are: escape user text first). */
export function t<K extends Key>(locale: Locale, key: K, ...params: Args<K>): string {
	const text = catalogueText(locale, key);
	const values: Readonly<Record<string, string>> = params[0] ?? {};
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * The locale to answer an interaction in: the user's own (Discord's `locale`), else the server's
 * (`guild_locale`), else English. The first one given decides: Discord's `da` is Danish, anything else
 * (`en-US`, `en-GB`, or a language Marquee does not speak) is English.
 */
export function localeOf(interactionLocale?: string | null, guildLocale?: string | null): Locale {
	const given = interactionLocale ?? guildLocale;
	return given === 'da' ? 'da' : 'en';
}

/**
 * Whether replies group thousands: Danish does (`1.234`); English writes numbers as Marquee always has
 * (`1234`), where Intl's own English would write `1,234`.
 */
const GROUPED: Readonly<Record<Locale, boolean>> = { en: false, da: true };

/** Number formats by locale, digits and grouping: built once (building an Intl.NumberFormat costs far more than using one). */
const formats = new Map<string, Intl.NumberFormat>();
function format(locale: Locale, digits: number, grouping: boolean): Intl.NumberFormat {
	const key = `${locale}:${digits}:${grouping}`;
	let made = formats.get(key);
	if (made === undefined) {
		made = new Intl.NumberFormat(INTL_TAG[locale], { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: grouping });
		formats.set(key, made);
	}
	return made;
}

/** `n` with `digits` decimals in the locale's way: `7.7` in English, `7,7` in Danish (thousands grouped unless `grouping` is false). */
export function decimal(locale: Locale, n: number, digits = 1, grouping = true): string {
	return format(locale, digits, grouping).format(n);
}

/** A whole number in the locale's way: `1,234` in English, `1.234` in Danish (grouped unless `grouping` is false). */
export function integer(locale: Locale, n: number, grouping = true): string {
	return format(locale, 0, grouping).format(n);
}

/** The nouns `count` knows, each with a `count.<noun>.one` and `count.<noun>.other` text. */
export type Noun = Key extends infer K ? (K extends `count.${infer N}.one` ? N : never) : never;

const plurals = new Map<Locale, Intl.PluralRules>();

/** `n` and its noun, chosen by the locale's plural rules: `1 rating`, `2 ratings`; `1 bedømmelse`, `2 bedømmelser`. */
export function count(locale: Locale, n: number, noun: Noun, grouping = true): string {
	let rules = plurals.get(locale);
	if (rules === undefined) plurals.set(locale, (rules = new Intl.PluralRules(INTL_TAG[locale])));
	const form = rules.select(n) === 'one' ? 'one' : 'other';
	return t(locale, `count.${noun}.${form}`, { n: integer(locale, n, grouping) });
}

/** A number with `digits` decimals as replies write it: `1234.5` in English, `1.234,5` in Danish. */
export const fixed = (locale: Locale, n: number, digits: number): string => decimal(locale, n, digits, GROUPED[locale]);

/** A whole number as replies write it: `1234` in English, `1.234` in Danish. */
export const whole = (locale: Locale, n: number): string => integer(locale, n, GROUPED[locale]);

/** A mean with one decimal as replies write it, rounded half up: `7.6667` → `7.7` in English, `7,7` in Danish. */
export const oneDecimalIn = (locale: Locale, n: number): string => fixed(locale, Math.round(n * 10) / 10 + 0, 1);

/** `n` and its noun as replies write them: `1234 ratings` in English, `1.234 bedømmelser` in Danish. */
export const counted = (locale: Locale, n: number, noun: Noun): string => count(locale, n, noun, GROUPED[locale]);

/**
 * An ISO date (`2009-02-08`) for people: `8 Feb 2009` in English (Marquee's own short month, where
 * en-GB's `Intl` writes `Sept`), `8. feb. 2009` in Danish; `undated` / `udateret` for null.
 */
export function date(locale: Locale, iso: string | null): string {
	if (iso === null) return t(locale, 'date.undated');
	const when = new Date(`${iso}T00:00:00Z`);
	if (locale === 'en') {
		const month = new Intl.DateTimeFormat('en-US', { month: 'short', timeZone: 'UTC' }).format(when);
		return `${when.getUTCDate()} ${month} ${when.getUTCFullYear()}`;
	}
	return new Intl.DateTimeFormat(INTL_TAG[locale], { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(when);
}
