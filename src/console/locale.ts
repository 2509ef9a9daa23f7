// The language the console is answered in: `--locale da` (or `--locale=da`) on the command line, as Discord sends a user's locale.
import { LOCALES, type Locale } from '../i18n/index.js';

const USAGE = `--locale needs one of: ${LOCALES.join(', ')}.`;

function isLocale(text: string): text is Locale {
	return LOCALES.some((l) => l === text);
}

/** The locale `--locale` names (English without one) and the other arguments, or why it cannot be read. */
export function localeFromArgs(args: readonly string[]): { locale: Locale; rest: string[] } | { error: string } {
	let locale: Locale = 'en';
	const rest: string[] = [];
	for (let i = 0; i < args.length; i++) {
		const arg = args[i] ?? '';
		if (arg !== '--locale' && !arg.startsWith('--locale=')) {
			rest.push(arg);
			continue;
		}
		const value = (arg === '--locale' ? args[++i] : arg.slice('--locale='.length))?.trim().toLowerCase() ?? '';
		if (!isLocale(value)) return { error: USAGE };
		locale = value;
	}
	return { locale, rest };
}
