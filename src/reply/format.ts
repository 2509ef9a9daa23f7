/** Text made fit for Discord: markdown escaped, mentions broken, cut to a limit without un-hiding a spoiler. */

import { escapeMarkdown } from '@discordjs/formatters';

/**
 * Text from a review or a user, made safe for Discord markdown: every formatting character escaped
 * (headings, lists and masked links too), every `|` escaped so it can neither open nor close a spoiler,
 * and mentions broken with a zero-width space so they neither ping nor render as a mention.
 */
export function safe(text: string): string {
	return breakMentions(
		escapeChunks(text)
			// Every bar on its own: Discord ends a spoiler at the first two adjacent bars of the raw text,
			// escaped or not, so "|||" escaped as "\|\||" would close one. "~~" is escaped on the whole text,
			// not per piece: a piece boundary can fall between its two "~".
			.replaceAll('|', '\\|')
			.replaceAll('~~', '\\~\\~')
			// escapeMarkdown's masked-link option escapes only the first link of a line, and its code escapes
			// leave the fourth of four backticks: escape every "[" and every backtick.
			.replace(/(?<!\\)((?:\\\\)*)([[`])/g, '$1\\$2'),
	);
}

/** `@everyone`/`@here` and `<@…>`-style mentions broken with a zero-width space: they neither ping nor render. */
export function breakMentions(text: string): string {
	return text.replace(/@(everyone|here)/gi, '@\u200b$1').replace(/<([@#][!&]?|\/|a?:)/g, '<\u200b$1');
}

const ESCAPE_CHUNK = 240;

/** Per piece; spoiler and strikethrough markers are escaped by `safe` on the joined text. */
const OPTIONS = { heading: true, bulletedList: true, numberedList: true, spoiler: false, strikethrough: false };
/**
 * escapeMarkdown's italic pass costs ~180 µs per 400 characters even when there is nothing to escape
 * (its `_` pattern has a lookbehind that scans back to the start of the line at every position). It
 * can only change a text holding `*` or `_`, and no earlier pass adds either: skipping it otherwise
 * gives the same output.
 */
const NO_ITALIC = { ...OPTIONS, italic: false };
function escapeChunk(text: string): string {
	return escapeMarkdown(text, text.includes('*') || text.includes('_') ? OPTIONS : NO_ITALIC);
}

/**
 * escapeMarkdown's italic and underline patterns look back along the whole line, which is quadratic:
 * a 5,000-character paragraph took 40 ms. Escaping in pieces cut at white space keeps it linear. A
 * markdown run cannot span white space in a way that matters here: every formatting character is
 * escaped wherever it stands, and a piece that starts mid-line at most gains a harmless extra
 * backslash (`\#`, `\-`, `\1.` render as the plain character).
 */
function escapeChunks(text: string): string {
	if (text.length <= ESCAPE_CHUNK * 2) return escapeChunk(text);
	const out: string[] = [];
	for (let i = 0; i < text.length;) {
		let end = Math.min(text.length, i + ESCAPE_CHUNK);
		if (end < text.length) {
			const space = text.slice(i + ESCAPE_CHUNK / 2, end).search(/\s\S*$/);
			if (space !== -1) end = i + ESCAPE_CHUNK / 2 + space + 1;
		}
		out.push(escapeChunk(text.slice(i, end)));
		i = end;
	}
	return out.join('');
}

/** Plain-text places (footers, author names, button labels, choice names): no markdown, so only breaks runs of whitespace. */
export function plain(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

const ELLIPSIS = '…';

/** Cuts `text` to at most `max` characters on a word boundary, ending in an ellipsis (and `suffix` if given). */
export function truncate(text: string, max: number, suffix = ''): string {
	if (text.length <= max) return text;
	const room = max - ELLIPSIS.length - suffix.length;
	// No room for the ellipsis: a plain cut.
	let cut = text.slice(0, Math.max(0, room > 0 ? room : max));
	const space = cut.search(/\s\S*$/);
	if (room > 0 && space > room * 0.6) cut = cut.slice(0, space);
	// Never leave half a surrogate pair or a dangling escape backslash.
	cut = cut.replace(/[\uD800-\uDBFF]$/, '').replace(/\\+$/, (b) => (b.length % 2 === 0 ? b : b.slice(1)));
	return room > 0 ? `${cut.trimEnd()}${ELLIPSIS}${suffix}` : cut;
}

/**
 * Where the spoiler `text` ends inside opens, or -1, as Discord reads markdown: outside a spoiler a backslash
 * escapes the next character and `||` opens one; inside, the first two adjacent bars of the raw text close it,
 * escaped or not (the spoiler rule runs on the source before escapes are read), after at least one character.
 */
function openSpoiler(text: string): number {
	let open = -1;
	for (let i = 0; i < text.length; i++) {
		if (open === -1) {
			if (text[i] === '\\') i++;
			else if (text.startsWith('||', i)) open = i++;
		} else if (i >= open + 3 && text.startsWith('||', i)) {
			open = -1;
			i++;
		}
	}
	return open;
}

/**
 * Truncates markdown without un-hiding a spoiler: if the cut ends inside a spoiler, it is closed again.
 * The result is at most `max` characters.
 */
export function truncateMarkdown(text: string, max: number): string {
	if (text.length <= max) return text;
	const cut = truncate(text, max - 2);
	const open = openSpoiler(cut);
	if (open === -1) return cut;
	// Closed again after what the cut kept of it (which ends in an ellipsis), less a bar right before the
	// ellipsis: half a closing tag, or an escaped bar ("\|||" would close a bar early). Nothing kept: no spoiler.
	const kept = cut.slice(open + 2).replace(/\\?\|?…$/, '');
	return kept === '' ? `${cut.slice(0, open)}…` : `${cut.slice(0, open + 2)}${kept}…||`;
}

/**
 * Escaped text behind a spoiler tag. A body ending in an (escaped) bar gets a zero-width space before the
 * closing tag, as "\|||" would close the spoiler on the escaped bar; an empty one gets one too ("||||" is no spoiler).
 */
function spoiler(escaped: string): string {
	return escaped === '' || escaped.endsWith('|') ? `||${escaped}\u200b||` : `||${escaped}||`;
}

/** Review text behind a spoiler tag, already escaped; cut to `max` including the tags. */
export function spoilerTag(escaped: string, max: number, suffix = ''): string {
	const whole = spoiler(escaped);
	if (whole.length <= max) return whole;
	return `${spoiler(truncate(escaped, max - 5 - suffix.length))}${suffix}`;
}
