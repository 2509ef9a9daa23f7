import { bandOf } from '../bands.js';
import { isoDate, monthNumber } from '../dates.js';
import type { Band, CriticConsensus, CriticReview, LoadError } from '../schema.js';
import { cleanSpaces } from '../text.js';
import { fail, int, type Page, type Parsed, preview } from './page.js';

/**
 * The Metacritic critic-review layout:
 *
 *     Generally favorable reviews - based on 11 Critics
 *     Critic score distribution:
 *       1. Positive: 9 out of 11
 *       2. Negative: 0 out of 11
 *     Critic Reviews
 *       1. Reviewed by: Noel Murray        (an NBSP after the colon; stray spaces happen)
 *         Jul 15, 2013
 *         excerpt...
 *       2. 80                              (a score in place of the reviewer: no name, no date)
 *         excerpt...
 *
 * Bands per score follow Metacritic: 61-100 positive, 40-60 mixed, 0-39 negative. The page prints
 * only positive and negative counts; mixed is the rest.
 */
interface CriticPage {
	readonly consensus: CriticConsensus | null;
	readonly reviews: readonly Omit<CriticReview, 'id' | 'filmId'>[];
}

const VERDICT = /^(.+?)\s+-\s+based on\s+([\d,]+)\s+critics?\s*$/i;
const DISTRIBUTION = /^\s*(?:\d+\.\s*)?(positive|mixed|negative)\s*:\s*([\d,]+)\s+out of\s+([\d,]+)\s*$/i;
const ENTRY = /^\s*(\d+)\.\s+(.*)$/;
const REVIEWED_BY = /^reviewed by\s*:\s*(.*)$/i;
const SCORE = /^(\d{1,3})$/;
const DATE = /^([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s+(\d{4})$/;
const UNCREDITED = /\[\s*not credited\s*\]|^uncredited$|^unknown$/i;

const UNCREDITED_CREDIT = 'Uncredited';

export function parseMetacritic(page: Page): Parsed<CriticPage> {
	const { file, lines } = page;
	// Every line with its spaces cleaned, once (entry heads still read the raw line, for its indent).
	const clean = lines.map(cleanSpaces);
	const errors: LoadError[] = [];
	let verdict: { text: string; critics: number; line: number } | null = null;
	const counts: Partial<Record<Band, number>> = {};
	let start = -1;

	// The header: everything up to the "Critic Reviews" line (or the first "Reviewed by" entry).
	for (let i = 0; i < lines.length; i++) {
		const line = clean[i] ?? '';
		const v = VERDICT.exec(line);
		if (v && verdict === null) {
			verdict = { text: cleanSpaces(v[1] ?? ''), critics: int(v[2] ?? '0'), line: i + 1 };
			continue;
		}
		const d = DISTRIBUTION.exec(line);
		if (d) {
			const band = (d[1] ?? '').toLowerCase();
			if (band === 'positive' || band === 'mixed' || band === 'negative') counts[band] = int(d[2] ?? '0');
			continue;
		}
		if (/^critic reviews$/i.test(line)) {
			start = i + 1;
			break;
		}
		const e = ENTRY.exec(line);
		if (e && REVIEWED_BY.test(cleanSpaces(e[2] ?? ''))) {
			start = i;
			break;
		}
	}
	if (start === -1) {
		return fail(
			file,
			1,
			verdict
				? 'no "Critic Reviews" section and no "Reviewed by" entries'
				: 'not a Metacritic critic page: no "based on N Critics" verdict and no "Reviewed by" entries',
		);
	}

	// Entries: a numbered head line, then an optional date line, then the excerpt. A numbered line is a
	// head when it names a reviewer or a score, or is indented no deeper than the first head; an
	// excerpt line that happens to start with "2. " is deeper, so it stays text.
	const reviews: Omit<CriticReview, 'id' | 'filmId'>[] = [];
	let headIndent = -1;
	const headAt = (n: number): RegExpExecArray | null => {
		const line = lines[n] ?? '';
		const m = ENTRY.exec(line);
		if (!m) return null;
		const indent = line.length - line.trimStart().length;
		const what = cleanSpaces(m[2] ?? '');
		if (REVIEWED_BY.test(what) || SCORE.test(what) || headIndent === -1 || indent <= headIndent) {
			if (headIndent === -1) headIndent = indent;
			return m;
		}
		return null;
	};
	let i = start;
	while (i < lines.length) {
		const head = headAt(i);
		if (!head) {
			if (clean[i] !== '')
				errors.push({ file, line: i + 1, reason: `text outside any numbered review entry: "${preview(lines[i] ?? '')}"` });
			i++;
			continue;
		}
		const headLine = i + 1;
		const position = int(head[1] ?? '0');
		const what = cleanSpaces(head[2] ?? '');
		i++;
		const body: string[] = [];
		while (i < lines.length && !headAt(i)) {
			body.push(clean[i] ?? '');
			i++;
		}
		while (body.length > 0 && body[body.length - 1] === '') body.pop();
		while (body.length > 0 && body[0] === '') body.shift();

		let critic: string | null = null;
		let credit = UNCREDITED_CREDIT;
		let score: number | null = null;
		const by = REVIEWED_BY.exec(what);
		const sc = SCORE.exec(what);
		if (by) {
			const name = cleanSpaces(by[1] ?? '');
			if (name === '') {
				errors.push({ file, line: headLine, reason: `review ${position}: "Reviewed by:" with no name` });
				continue;
			}
			if (UNCREDITED.test(name)) credit = name;
			else credit = critic = name;
		} else if (sc) {
			score = int(sc[1] ?? '0');
			if (score > 100) {
				errors.push({ file, line: headLine, reason: `review ${position}: score ${score} is not on the 0-100 scale` });
				continue;
			}
		} else {
			errors.push({
				file,
				line: headLine,
				reason: `review ${position}: expected "Reviewed by: NAME" or a 0-100 score, got "${preview(what)}"`,
			});
			continue;
		}

		let date: string | null = null;
		const first = body[0];
		const dm = first === undefined ? null : DATE.exec(first);
		if (dm) {
			const month = monthNumber(dm[1] ?? '');
			date = month === undefined ? null : (isoDate(int(dm[3] ?? '0'), month, int(dm[2] ?? '0')) ?? null);
			if (date === null) {
				errors.push({ file, line: headLine + 1, reason: `review ${position}: "${first}" is not a calendar date` });
				continue;
			}
			body.shift();
		}
		const excerpt = body.filter((l) => l !== '').join('\n');
		if (excerpt === '') {
			errors.push({ file, line: headLine, reason: `review ${position}: no excerpt (truncated entry?)` });
			continue;
		}
		reviews.push({
			source: { file, line: headLine },
			position,
			critic,
			credit,
			score,
			band: score === null ? null : bandOf(score),
			date,
			excerpt,
		});
	}

	if (reviews.length === 0 && errors.length === 0) return fail(file, start + 1, 'no critic reviews on the page');

	let consensus: CriticConsensus | null = null;
	if (verdict) {
		const positive = counts.positive ?? 0;
		const negative = counts.negative ?? 0;
		const mixed = counts.mixed ?? verdict.critics - positive - negative;
		if (positive + negative + mixed !== verdict.critics || mixed < 0) {
			errors.push({
				file,
				line: verdict.line,
				reason: `score distribution (${positive} positive, ${mixed} mixed, ${negative} negative) does not add up to ${verdict.critics} critics`,
			});
		} else {
			consensus = { verdict: verdict.text, critics: verdict.critics, positive, mixed, negative };
		}
	}
	return { value: { consensus, reviews }, errors };
}
