import { isoDate, MONTHS, monthNumber } from '../dates.js';
import type { LoadError, UserPageInfo, UserReview } from '../schema.js';
import { cleanSpaces } from '../text.js';
import { fail, int, type Page, type Parsed, preview } from './page.js';

/**
 * The IMDb user-review layout: a header ("Pusher II (2004) Poster", "(2004)", "44 Reviews",
 * "Sort by:", "Filter by Rating:"), then blocks that each end in a `Permalink` line:
 *
 *     8/10                                   optional rating
 *     Gritty, bleak and unforgettable        title
 *     PAolo-108 February 2009                author run straight into the date
 *     Warning: Spoilers                      optional
 *     body paragraphs, blank lines between   (may contain lines like "9/10")
 *     23 out of 26 found this helpful. Was this review helpful? Sign in to vote.
 *     Permalink
 *
 * Whatever follows the last `Permalink` is site chrome, unless it holds a helpful-votes line or an
 * author/date line, in which case it is a review cut short and is reported.
 */
interface UserPage {
	readonly info: UserPageInfo;
	readonly reviews: readonly Omit<UserReview, 'id' | 'filmId'>[];
}

const RATING = /^(\d{1,2})\/10$/;
const HELPFUL = /^([\d,]+) out of ([\d,]+) found this helpful\.?/i;
const SPOILERS = /^warning:\s*spoilers$/i;
const PERMALINK = /^permalink$/i;
const HEADER_TITLE = /^(.+?)\s+\((\d{4})(?:[–-]\d{0,4})?\)(?:\s+poster)?$/i;
const HEADER_COUNT = /^([\d,]+)\s+reviews?$/i;
const HEADER_END = /^(filter by rating:?|sort by:?)$/i;
const AUTHOR_DATE = new RegExp(`^(.*\\d) (${MONTHS.join('|')}) (\\d{4})$`, 'i');

/**
 * Splits "PAolo-108 February 2009" into author and date. The site prints the day without a leading
 * zero and a name never ends in a hyphen, so the day is the last one or two digits before the month,
 * such that the date exists and the name left over is non-empty and does not end in "-". Where both a
 * two-digit and a one-digit day qualify ("UlrikSander11 March" could be "UlrikSander1" on the 1st),
 * the two-digit day wins: names ending in a digit are rarer than days from 10 to 31.
 */
export function splitAuthorDate(line: string): { author: string; date: string } | undefined {
	return splitClean(cleanSpaces(line));
}

/** `splitAuthorDate` of a line that is clean already (`cleanSpaces`). */
function splitClean(line: string): { author: string; date: string } | undefined {
	// The line must end in the year's digits: a cheap test that spares body lines the regex.
	const end = line.charCodeAt(line.length - 1);
	if (!(end >= 48 && end <= 57)) return undefined;
	const m = AUTHOR_DATE.exec(line);
	if (!m) return undefined;
	const head = m[1] ?? '';
	const month = monthNumber(m[2] ?? '');
	const year = int(m[3] ?? '');
	if (month === undefined) return undefined;
	for (const width of [2, 1]) {
		const day = head.slice(-width);
		const author = head.slice(0, -width).trim();
		if (!/^[1-9]\d?$/.test(day) || day.length !== width || author === '' || author.endsWith('-')) continue;
		const date = isoDate(year, month, int(day));
		if (date !== undefined) return { author, date };
	}
	return undefined;
}

export function parseImdb(page: Page): Parsed<UserPage> {
	const { file } = page;
	// Every line with its spaces cleaned, once: the parse looks at most lines several times.
	const lines = page.lines.map(cleanSpaces);
	const errors: LoadError[] = [];
	const info: { title: string | null; year: number | null; siteReviewCount: number | null } = {
		title: null,
		year: null,
		siteReviewCount: null,
	};
	let countLine = 1;

	const firstPermalink = lines.findIndex((l) => PERMALINK.test(l));
	if (firstPermalink === -1) {
		return fail(file, 1, 'not an IMDb user-review page: no "Permalink" lines end a review');
	}

	// Header: title and year, the site's review count; blocks start after the sort/filter controls.
	let start = 0;
	for (let i = 0; i < firstPermalink; i++) {
		const line = lines[i] ?? '';
		const t = HEADER_TITLE.exec(line);
		if (t && info.title === null && i < 5) {
			info.title = cleanSpaces(t[1] ?? '') || null;
			info.year = int(t[2] ?? '');
			continue;
		}
		const c = HEADER_COUNT.exec(line);
		if (c && info.siteReviewCount === null) {
			info.siteReviewCount = int(c[1] ?? '0');
			countLine = i + 1;
			start = i + 1;
			continue;
		}
		if (HEADER_END.test(line)) start = i + 1;
		if (RATING.test(line) || splitClean(line)) break;
	}

	const reviews: Omit<UserReview, 'id' | 'filmId'>[] = [];
	let blockStart = start;
	for (let i = start; i < lines.length; i++) {
		if (!PERMALINK.test(lines[i] ?? '')) continue;
		// A block cut short mid-page runs into the next review: report it and parse the rest on its own.
		for (let next = nextBlockStart(lines, blockStart, i); next !== -1; next = nextBlockStart(lines, blockStart, i)) {
			const first = lines.findIndex((l, n) => n >= blockStart && l !== '');
			errors.push({
				file,
				line: first + 1,
				reason: 'review block with no "found this helpful" and "Permalink" lines before the next review (truncated block?)',
			});
			blockStart = next;
		}
		const block = parseBlock(file, lines, blockStart, i);
		if ('reason' in block) errors.push(block);
		else reviews.push(block);
		blockStart = i + 1;
	}

	// After the last Permalink: chrome, unless it looks like a review that was cut off.
	for (let i = blockStart; i < lines.length; i++) {
		const line = lines[i] ?? '';
		if (HELPFUL.test(line) || splitClean(line)) {
			// Name the cut review's first line, as a review's source line does.
			const first = lines.findIndex((l, n) => n >= blockStart && l !== '');
			errors.push({ file, line: first + 1, reason: 'review block with no "Permalink" line after it (truncated page?)' });
			break;
		}
	}

	if (info.siteReviewCount !== null && info.siteReviewCount < reviews.length) {
		errors.push({ file, line: countLine, reason: `header says ${info.siteReviewCount} reviews but the page holds ${reviews.length}` });
	}
	return { value: { info, reviews }, errors };
}

/**
 * Where a second review starts inside lines [from, to), or -1: after the block's author line, a rating
 * line straight followed by a title and an author/date line ("7/10", "Title", "name3 May 2011"). A
 * review whose rating is missing is not told apart from body text this way, so it stays in the body.
 */
function nextBlockStart(lines: readonly string[], from: number, to: number): number {
	// `lines` are clean (`cleanSpaces`).
	let author = -1;
	for (let i = from; i < to && i < from + 4; i++) {
		if (splitClean(lines[i] ?? '')) {
			author = i;
			break;
		}
	}
	if (author === -1) return -1;
	for (let j = author + 1; j + 2 < to; j++) {
		const title = lines[j + 1] ?? '';
		if (RATING.test(lines[j] ?? '') && title !== '' && !splitClean(title) && splitClean(lines[j + 2] ?? '')) return j;
	}
	return -1;
}

/** One block, lines [from, permalink) of the clean lines: rating?, title, author+date, spoiler?, body, helpful line. */
function parseBlock(
	file: string,
	lines: readonly string[],
	from: number,
	permalink: number,
): Omit<UserReview, 'id' | 'filmId'> | LoadError {
	// Non-blank lines with their numbers; blank lines matter only inside the body.
	const at: number[] = [];
	for (let i = from; i < permalink; i++) if (lines[i] !== '') at.push(i);
	const text = (k: number): string => lines[at[k] ?? -1] ?? '';
	const lineNo = (k: number): number => (at[k] ?? from) + 1;
	if (at.length === 0) return { file, line: permalink + 1, reason: '"Permalink" with no review before it' };

	let rating: number | null = null;
	let k = 0;
	const r = RATING.exec(text(0));
	// "8/10" then a title then the author line; a title that itself reads "8/10" has the author line next.
	// (Without an author line in either place, "8/10" is taken as the rating, so the error names the line
	// where the author belongs.)
	if (r && !splitClean(text(1))) {
		rating = int(r[1] ?? '0');
		if (rating < 1 || rating > 10) return { file, line: lineNo(0), reason: `rating ${text(0)} is not between 1/10 and 10/10` };
		k = 1;
	}
	const title = text(k);
	const who = splitClean(text(k + 1));
	if (!who)
		return {
			file,
			line: lineNo(k + 1),
			reason: `expected the author run into a date ("name8 February 2009") after the title "${preview(title)}", got "${preview(text(k + 1))}"`,
		};
	k += 2;
	let spoiler = false;
	if (SPOILERS.test(text(k))) {
		spoiler = true;
		k++;
	}
	const last = at.length - 1;
	const helpful = HELPFUL.exec(text(last));
	if (!helpful)
		return { file, line: lineNo(last), reason: `review "${preview(title)}": no "X out of Y found this helpful." line before "Permalink"` };
	const up = int(helpful[1] ?? '0');
	const total = int(helpful[2] ?? '0');
	if (up > total)
		return { file, line: lineNo(last), reason: `review "${preview(title)}": ${up} out of ${total} found it helpful is more than voted` };
	if (k > last - 1) return { file, line: lineNo(last), reason: `review "${preview(title)}" has no body (truncated block?)` };

	// The body keeps its paragraphs: blank lines between body lines separate them.
	const paragraphs: string[] = [];
	let current: string[] = [];
	for (let i = at[k] ?? from; i < (at[last] ?? permalink); i++) {
		const line = lines[i] ?? '';
		if (line === '') {
			if (current.length > 0) paragraphs.push(current.join('\n'));
			current = [];
		} else current.push(line);
	}
	if (current.length > 0) paragraphs.push(current.join('\n'));

	return {
		source: { file, line: lineNo(0) },
		rating,
		title,
		author: who.author,
		date: who.date,
		spoiler,
		body: paragraphs.join('\n\n'),
		helpful: { up, total },
	};
}
