// Who and where the console acts: a member named by `/as NAME` and a server (`--guild ID`, `/guild ID`), as fixed fake snowflakes.
import { createHash } from 'node:crypto';
import { t } from '../i18n/index.js';

/** The console's own user (`/as me`) and default server: snowflake-shaped, so custom_ids that embed them stay valid. */
export const CONSOLE_USER = '100000000000000001';
export const CONSOLE_GUILD = '100000000000000003';

const NAME = /^[\p{L}\p{N}_.-]{1,32}$/u;
/** Discord ids the member store accepts: 17 to 20 digits. */
const GUILD_ID = /^\d{17,20}$/;

/** The user `/as NAME` acts as: the same id for the same name (any case), every run; `me` is the console's own. */
export function userIdFor(name: string): string | undefined {
	const key = name.trim().toLowerCase();
	if (!NAME.test(key)) return undefined;
	if (key === 'me') return CONSOLE_USER;
	const digits = BigInt(`0x${createHash('sha256').update(key).digest('hex').slice(0, 15)}`) % 10n ** 17n;
	return `2${digits.toString().padStart(17, '0')}`;
}

/** `ID` (17-20 digits) or `dm` (null: as in a DM), or undefined for anything else. */
export function guildFor(text: string): string | null | undefined {
	const t = text.trim().toLowerCase();
	if (t === 'dm') return null;
	return GUILD_ID.test(t) ? t : undefined;
}

/** What `--guild` and `/guild` take, in English (the command line's language). */
export const GUILD_USAGE = t('en', 'console.guildIds');
