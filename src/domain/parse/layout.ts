import type { Layout } from '../schema.js';
import { cleanSpaces } from '../text.js';
import { parseImdb } from './imdb.js';
import { parseMetacritic } from './metacritic.js';
import type { Page } from './page.js';

/**
 * Lines only one site prints: Metacritic's verdict, section and "Reviewed by" heads; IMDb's helpful
 * votes and the `Permalink` that ends every review. Each layout's parser refuses a page without them.
 */
const MARKS: Readonly<Record<Layout, readonly RegExp[]>> = {
	metacritic: [/^.+\s-\sbased on [\d,]+ critics?$/i, /^critic (?:reviews|score distribution:?)$/i, /^\d+\.\s*reviewed by\s*:/i],
	imdb: [/^permalink$/i, /^[\d,]+ out of [\d,]+ found this helpful/i],
};

/**
 * A page's layout told from its content, not its file name: the layout whose marks it holds. A page
 * with marks of both (a review quoting the other site) is the one with more of them or, as many, the
 * one whose parser reads more reviews from it.
 */
export function layoutOf(page: Page): { layout: Layout } | { problem: string } {
	const counts = { metacritic: 0, imdb: 0 };
	for (const raw of page.lines) {
		const line = cleanSpaces(raw);
		if (MARKS.metacritic.some((m) => m.test(line))) counts.metacritic++;
		else if (MARKS.imdb.some((m) => m.test(line))) counts.imdb++;
	}
	if (counts.imdb === 0 && counts.metacritic === 0) {
		return {
			problem:
				'cannot tell the layout: neither a Metacritic critic page ("based on N Critics", "Reviewed by:") nor an IMDb user-review page ("found this helpful", "Permalink")',
		};
	}
	if (counts.metacritic !== counts.imdb) return { layout: counts.metacritic > counts.imdb ? 'metacritic' : 'imdb' };
	const critic = parseMetacritic(page).value?.reviews.length ?? 0;
	const user = parseImdb(page).value?.reviews.length ?? 0;
	if (critic !== user) return { layout: critic > user ? 'metacritic' : 'imdb' };
	return { problem: 'cannot tell the layout: it reads as much as a Metacritic critic page as an IMDb user-review page' };
}
