/** The domain's text helpers: folding and index keys (parsers, indexes), counted words, sentences. Pure, no I/O. */

const ROMAN: Readonly<Record<string, string>> = {
	i: '1',
	ii: '2',
	iii: '3',
	iv: '4',
	v: '5',
	vi: '6',
	vii: '7',
	viii: '8',
	ix: '9',
	x: '10',
	xi: '11',
	xii: '12',
	xiii: '13',
	xiv: '14',
	xv: '15',
	xvi: '16',
	xvii: '17',
	xviii: '18',
	xix: '19',
	xx: '20',
};
const ARTICLES = new Set(['the', 'a', 'an']);

/**
 * Plain ASCII letters, digits, spaces and punctuation that `fold` only lowercases or turns into spaces
 * (no `&`, apostrophes or backquotes). Most names and titles are like this, and the general path's
 * Unicode normalisation and dozen regexes cost far more than the result needs.
 */
const PLAIN_ASCII = /^[A-Za-z0-9 .,:;!?()_/-]*$/;

/** Lowercase, accents stripped, `&` as "and", punctuation as spaces, whitespace collapsed. */
export function fold(text: string): string {
	// Same result as below for these characters: NFKD and the letter replacements leave them alone.
	if (PLAIN_ASCII.test(text))
		return text
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, ' ')
			.trim();
	return (
		text
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
			.trim()
	);
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
/** After a trim: anything SPACES would change (a `\s` other than a plain space, or two spaces in a row). */
const UNCLEAN = /[\t-\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]| {2}/;

/** Non-breaking and other odd spaces as plain spaces, runs collapsed, ends trimmed. */
export function cleanSpaces(text: string): string {
	// `trim` removes exactly the characters SPACES matches, from the ends. Most lines are clean inside
	// (single plain spaces): one native scan, no regex replace and no new string.
	const trimmed = text.trim();
	return UNCLEAN.test(trimmed) ? trimmed.replace(SPACES, ' ') : trimmed;
}

/** "1 review", "2 reviews": the count and the word, singular for exactly one; `words` for a plural not made with "s". */
export function plural(n: number, word: string, words = `${word}s`): string {
	return `${n} ${n === 1 ? word : words}`;
}

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Whole sentences of `text` (Unicode sentence boundaries), paragraph by paragraph. */
export function sentences(text: string): { text: string; paragraph: number }[] {
	return text
		.split(/\n\s*\n/)
		.flatMap((para, paragraph) =>
			[...sentenceSegmenter.segment(para.replace(/\s*\n\s*/g, ' '))]
				.map((s) => ({ text: s.segment.trim(), paragraph }))
				.filter((s) => s.text !== ''),
		);
}

/** A mean to one decimal, `7.7`: rounded half up (`Math.round`), as every mean Marquee shows. */
export function oneDecimal(n: number): string {
	return (Math.round(n * 10) / 10).toFixed(1);
}
