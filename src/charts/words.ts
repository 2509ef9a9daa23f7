/**
 * The charts' numbers in the locale: Danish through Intl (7,7; 1.234 bedømmelser), English as Marquee has
 * always written them on its charts and in its replies (7.7; 1234 ratings), as commands/render.ts keeps them.
 */
import { count, decimal, integer, type Locale } from '../i18n/index.js';
import { oneDecimal, plural } from '../domain/text.js';

/** A 1-10 mean with one decimal: `7.7`, `7,7`. */
export const meanIn = (locale: Locale, n: number): string => (locale === 'en' ? oneDecimal(n) : decimal(locale, Math.round(n * 10) / 10));

/** A count: `1234`, `1.234`. */
export const wholeIn = (locale: Locale, n: number): string => (locale === 'en' ? String(n) : integer(locale, n));

/** Ratings counted: `24 ratings`, `24 bedømmelser`. */
export const ratingsIn = (locale: Locale, n: number): string => (locale === 'en' ? plural(n, 'rating') : count(locale, n, 'rating'));
