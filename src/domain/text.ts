/** Text helpers shared by the parsers and the indexes. Pure, no I/O. */

const ROMAN: Readonly<Record<string, string>> = {
	i: '1', ii: '2', iii: '3', iv: '4', v: '5', vi: '6', vii: '7', viii: '8', ix: '9', x: '10',
	xi: '11', xii: '12', xiii: '13', xiv: '14', xv: '15', xvi: '16', xvii: '17', xviii: '18', xix: '19', xx: '20',
};
const ARTICLES = new Set(['the', 'a', 'an']);

/** Lowercase, accents stripped, `&` as "and", punctuation as spaces, whitespace collapsed. */
export function fold(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/\p{M}+/gu, '')
		.toLowerCase()
		// Letters NFKD leaves whole.
		.replace(/ø/g, 'o')
		.replace(/æ/g, 'ae')
		.replace(/ß/g, 'ss')
		.replace(/ł/g, 'l')
		.replace(/đ/g, 'd')
		.replace(/þ/g, 'th')
		.replace(/œ/g, 'oe')
		.replace(/&/g, ' and ')
		.replace(/['’`]/g, '')
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

/**
 * The key a film title or alias is indexed under: folded, roman numerals as digits ("II" → "2"),
 * articles dropped. "Pusher II" → "pusher 2", "The Pusher" → "pusher"; "Pusher" stays "pusher", so
 * "Pusher" and "Pusher II" never share a key.
 */
export function titleKey(title: string): string {
	return fold(title)
		.split(' ')
		.filter((word) => word !== '' && !ARTICLES.has(word))
		.map((word) => ROMAN[word] ?? word)
		.join(' ');
}

/** The key a person's name is indexed under: folded, so "Noel  Murray" and "noël murray" meet. */
export function nameKey(name: string): string {
	return fold(name);
}

const SPACES = /[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g;

/** Whether `c`, a code unit of 0x80 or above, is one `\s` (and so SPACES) matches. */
function isWideSpace(c: number): boolean {
	return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function isSpace(c: number): boolean {
	return c === 32 || (c >= 9 && c <= 13) || (c >= 0xa0 && isWideSpace(c));
}

/** Non-breaking and other odd spaces as plain spaces, runs collapsed, ends trimmed. */
export function cleanSpaces(text: string): string {
	// Most lines need at most their ends trimmed (single plain spaces inside): one scan, and a slice
	// rather than the regex and a new string. Anything else takes the regex.
	let start = 0;
	let end = text.length;
	while (start < end && isSpace(text.charCodeAt(start))) start++;
	while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
	let prevSpace = false;
	for (let i = start; i < end; i++) {
		const c = text.charCodeAt(i);
		if (c > 32) {
			if (c >= 0xa0 && isWideSpace(c)) return text.replace(SPACES, ' ').trim();
			prevSpace = false;
		} else if (c === 32) {
			if (prevSpace) return text.replace(SPACES, ' ').trim();
			prevSpace = true;
		} else if (c >= 9 && c <= 13) return text.replace(SPACES, ' ').trim();
		else prevSpace = false;
	}
	return start === 0 && end === text.length ? text : text.slice(start, end);
}
