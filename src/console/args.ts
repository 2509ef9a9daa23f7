// The console's command line: `--guild ID` (the server it acts in), `--save-attachments DIR` (where replies' files are written)
// and `--locale da` (the language it is answered in, as Discord sends a user's locale).
import { LOCALES, type Locale } from '../i18n/index.js';
import { CONSOLE_GUILD, GUILD_USAGE, guildFor } from './identity.js';

export interface ConsoleArgs {
	readonly guildId: string | null;
	/** The directory each reply's files are written to; undefined: they are only described. */
	readonly saveAttachments: string | undefined;
	/** The locale every interaction is sent with; left out: none, so English. */
	readonly locale?: Locale;
}

const USAGE = `The console takes --guild ID (${GUILD_USAGE}), --save-attachments DIR and --locale ${LOCALES.join('|')}.`;

const isLocale = (text: string): text is Locale => LOCALES.some((l) => l === text);

/** The options of the command line (`--name value` or `--name=value`), or why they cannot be read. */
export function consoleArgs(args: readonly string[]): ConsoleArgs | { error: string } {
	let guildId: string | null = CONSOLE_GUILD;
	let saveAttachments: string | undefined;
	let locale: Locale | undefined;
	for (let i = 0; i < args.length; i++) {
		const arg = args[i] ?? '';
		const [name = '', inline] =
			arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg];
		const value = inline ?? args[++i];
		if (name === '--guild') {
			const guild = value === undefined ? undefined : guildFor(value);
			if (guild === undefined) return { error: `--guild needs ${GUILD_USAGE}.` };
			guildId = guild;
		} else if (name === '--save-attachments') {
			if (value === undefined || value.trim() === '') return { error: '--save-attachments needs a directory.' };
			saveAttachments = value;
		} else if (name === '--locale') {
			const chosen = value?.trim().toLowerCase() ?? '';
			if (!isLocale(chosen)) return { error: `--locale needs one of: ${LOCALES.join(', ')}.` };
			locale = chosen;
		} else return { error: `Unknown argument "${arg}". ${USAGE}` };
	}
	return { guildId, saveAttachments, ...(locale === undefined ? {} : { locale }) };
}
