/** What every layout parser shares: a page read from bytes into lines, the parse result, and small readers. */

import type { LoadError } from '../schema.js';
import { cleanSpaces } from '../text.js';

/** A page's lines, 1-based line numbers kept, ready for a layout parser. */
export interface Page {
	readonly file: string;
	readonly lines: readonly string[];
}

/** What a layout parser gives back: the records it could read, and one error per part it could not. */
export interface Parsed<T> {
	readonly value: T | null;
	readonly errors: readonly LoadError[];
}

export function fail<T>(file: string, line: number, reason: string): Parsed<T> {
	return { value: null, errors: [{ file, line, reason }] };
}

/** A count or number as the sites print it, thousands separators and all: "1,204" → 1204. */
export const int = (s: string): number => Number.parseInt(s.replace(/,/g, ''), 10);

/** A line quoted in an error: spaces cleaned, cut to `max` characters with an ellipsis. */
export function preview(text: string, max = 60): string {
	const t = cleanSpaces(text);
	return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes to lines, refusing what is not a text page: empty files, invalid UTF-8, binary data.
 * A BOM is dropped and CRLF/CR line ends become LF.
 */
export function readPage(file: string, bytes: Uint8Array): Parsed<Page> {
	if (bytes.length === 0) return fail(file, 1, 'empty file');
	let text: string;
	try {
		text = decoder.decode(bytes);
	} catch {
		return fail(file, lineOfByte(bytes, firstInvalidUtf8(bytes)), 'not UTF-8 text (invalid byte sequence)');
	}
	const nul = firstControl(text);
	if (nul !== -1) return fail(file, text.slice(0, nul).split(/\r\n|\r|\n/).length, 'binary data (control characters) in a text page');
	const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	// Splitting on one character is several times faster than on the regex; most pages have no CR.
	const lines = body.includes('\r') ? body.split(/\r\n|\r|\n/) : body.split('\n');
	if (lines.every((l) => l.trim() === '')) return fail(file, 1, 'empty file (only blank lines)');
	return { value: { file, lines }, errors: [] };
}

/** Where the first control character other than a tab or line/page break (\t \n \v \f \r) stands, or -1. */
function firstControl(text: string): number {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x20 && (c < 0x09 || c > 0x0d)) return i;
	}
	return -1;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
	let line = 1;
	for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
	return line;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
	for (let i = 0; i < bytes.length;) {
		const b = bytes[i] ?? 0;
		const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
		if (len === 0) return i;
		for (let k = 1; k < len; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
		i += len;
	}
	return bytes.length;
}
