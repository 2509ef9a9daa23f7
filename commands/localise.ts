/**
 * A command's data with the `name_localizations` and `description_localizations` of every locale but
 * English, from the catalogue (src/i18n), for the command, each option and each choice. The data itself
 * stays English: Discord shows a user the localised names but sends interactions with the canonical ones,
 * so readArgs and the handlers never see a localised name.
 *
 * Catalogue keys follow the data: `cmd.<command>.name`, `cmd.<command>[.<subcommand>].<option>.description`,
 * `cmd.<command>.<option>.choice.<value>`.
 */

import {
	type APIApplicationCommandBasicOption,
	type APIApplicationCommandOption,
	type APIApplicationCommandSubcommandOption,
	ApplicationCommandOptionType,
	type LocalizationMap,
} from 'discord-api-types/v10';
import { catalogueText, DISCORD_LOCALES, isKey, LOCALES, type Locale } from '../src/i18n/index.js';
import type { CommandData } from './types.js';

const TRANSLATED = LOCALES.filter((l): l is Exclude<Locale, 'en'> => l !== 'en');

/** Each other locale's text for `key`. A key the catalogue lacks is a mistake in the code, so it throws (at start-up). */
function localisations(key: string): LocalizationMap {
	if (!isKey(key)) throw new Error(`The catalogue (src/i18n/en.ts) has no text for the command data's ${key}.`);
	return Object.fromEntries(TRANSLATED.map((locale) => [DISCORD_LOCALES[locale], catalogueText(locale, key)]));
}

function named(path: string): { name_localizations: LocalizationMap; description_localizations: LocalizationMap } {
	return { name_localizations: localisations(`${path}.name`), description_localizations: localisations(`${path}.description`) };
}

function localisedBasic(option: APIApplicationCommandBasicOption, parent: string): APIApplicationCommandBasicOption {
	const path = `${parent}.${option.name}`;
	if (option.type === ApplicationCommandOptionType.String && option.autocomplete !== true && option.choices) {
		const choices = option.choices.map((c) => ({ ...c, name_localizations: localisations(`${path}.choice.${c.value}`) }));
		return { ...option, ...named(path), choices };
	}
	return { ...option, ...named(path) };
}

function localisedSubcommand(option: APIApplicationCommandSubcommandOption, parent: string): APIApplicationCommandSubcommandOption {
	const path = `${parent}.${option.name}`;
	return { ...option, ...named(path), ...(option.options ? { options: option.options.map((o) => localisedBasic(o, path)) } : {}) };
}

function localisedOption(option: APIApplicationCommandOption, parent: string): APIApplicationCommandOption {
	if (option.type === ApplicationCommandOptionType.Subcommand) return localisedSubcommand(option, parent);
	if (option.type !== ApplicationCommandOptionType.SubcommandGroup) return localisedBasic(option, parent);
	const path = `${parent}.${option.name}`;
	return { ...option, ...named(path), ...(option.options ? { options: option.options.map((o) => localisedSubcommand(o, path)) } : {}) };
}

/** A text's localisations as a command's data may carry them, by Discord's locale (commands typed `as const` have `undefined` in them). */
type Localisations = { readonly [L in (typeof DISCORD_LOCALES)[keyof typeof DISCORD_LOCALES]]?: string | null | undefined };

/** A command, option or choice as Discord's data carries it: its name and its names in other locales. */
export interface Named {
	readonly name: string;
	readonly name_localizations?: Localisations | null | undefined;
}

/** A command, subcommand or option as Discord's data carries it: its description and its descriptions in other locales. */
export interface Described {
	readonly description: string;
	readonly description_localizations?: Localisations | null | undefined;
}

/** The English text, else its localisation for `locale` when the data has one: what Discord shows a user of `locale`. */
function shown(english: string, localisations: Localisations | null | undefined, locale: Locale): string {
	return locale === 'en' ? english : (localisations?.[DISCORD_LOCALES[locale]] ?? english);
}

/** A name as Discord shows it to a user of `locale`. */
export const shownName = (named: Named, locale: Locale): string => shown(named.name, named.name_localizations, locale);

/** A description as Discord shows it to a user of `locale`. */
export const shownDescription = (described: Described, locale: Locale): string =>
	shown(described.description, described.description_localizations, locale);

/** `data` with its localisations: the same command, shown in the user's language in Discord's command picker. */
export function localised(data: CommandData): CommandData {
	const path = `cmd.${data.name}`;
	return { ...data, ...named(path), ...(data.options ? { options: data.options.map((o) => localisedOption(o, path)) } : {}) };
}
