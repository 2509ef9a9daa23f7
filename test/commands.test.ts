import fc from 'fast-check';
import Keyv from 'keyv';
import { MessageFlags } from 'discord-api-types/v10';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeState, encodeState } from '../commands/reviews.js';
import { type Cache, wrapKeyv } from '../src/cache.js';
import type { FinalReply } from '../src/reply/respond.js';
import { loadDataDir } from '../src/domain/load.js';
import { ReviewStore } from '../src/domain/store.js';
import { markdown } from './fake-discord/validate.js';
import {
	CHANNEL,
	click,
	command,
	criticReview,
	expectValid,
	film,
	memoryCache,
	OTHER_USER,
	run,
	seedStore,
	silent,
	storeOf,
	textOf,
	USER,
	userReview,
} from './helpers.js';

let store: ReviewStore;
let cache: Cache;
beforeAll(async () => {
	store = await seedStore();
});
beforeEach(async () => {
	cache = await memoryCache();
});

const reply = async (incoming: Parameters<typeof run>[0], random?: () => number): Promise<FinalReply> => {
	const outcome = await run(incoming, { store, cache, ...(random ? { random } : {}) });
	expect(outcome.kind).not.toBe('choices');
	return expectValid(outcome)!;
};
const ids = (data: FinalReply): string[] =>
	(data.components ?? []).flatMap((row) =>
		'components' in row ? row.components.flatMap((c) => ('custom_id' in c && c.custom_id ? [c.custom_id] : [])) : [],
	);
const buttonId = (data: FinalReply, label: string): string => {
	for (const row of data.components ?? []) {
		if (!('components' in row)) continue;
		for (const c of row.components) if ('label' in c && c.label === label && 'custom_id' in c && c.custom_id) return c.custom_id;
	}
	throw new Error(`no button ${label}`);
};
/** [label, disabled] of each button of action row `row`. */
const buttons = (data: FinalReply, row: number): Array<[string | undefined, boolean]> => {
	const r = data.components?.[row];
	if (!r || !('components' in r)) return [];
	return r.components.flatMap((c): Array<[string | undefined, boolean]> => ('label' in c ? [[c.label, c.disabled ?? false]] : []));
};

describe('/reviews', () => {
	it('Pusher II: audience mean 7.7/10, the histogram (an image), the most helpful reviews, and says critics are missing', async () => {
		const data = await reply(command('reviews', { film: 'Pusher II' }));
		const embed = data.embeds![0]!;
		expect(embed.title).toBe('Pusher II (2004)');
		expect(embed.fields![0]).toEqual({ name: 'Critics', value: 'No critic reviews for this film yet.' });
		expect(embed.fields![1]).toEqual({ name: 'Audience', value: '**7.7/10** from 24 ratings · 25 reviews here (of 44 on the site)' });
		// The histogram is an image: its numbers are in the alt text.
		expect(embed.image).toEqual({ url: 'attachment://ratings.png' });
		expect(data.attachments).toEqual([
			{
				id: '0',
				filename: 'ratings.png',
				description:
					'Rating histogram of Pusher II (2004). Audience, 24 ratings, mean 7.7. Ratings 1 to 10: 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2, 7: 7, 8: 6, 9: 4, 10: 3.',
			},
		]);
		expect(embed.fields![2]!.name).toBe("Most helpful: Nicolas Winding Refn's Pusher 2 is even better than the first one");
		expect(embed.fields![2]!.value).toMatch(/\n— UlrikSander · ★ 8\/10 · 11 Mar 2006 · 54 of 62 found this helpful$/);
		expect(embed.fields!.slice(3).map((f) => f.value.split('\n— ')[1]?.split(' · ')[0])).toEqual(['PAolo-10', 'nesfilmreviews']);
		expect(embed.color).toBe(0x66cc33);
		expect(embed.footer?.text).toBe('25 user reviews to page through · most helpful first');
		expect(data.flags).toBeUndefined();
		expect(buttons(data, 0)).toEqual([
			['Overview', true],
			['◀ Previous', true],
			['25 reviews', true],
			['Next ▶', false],
		]);
		expect(buttons(data, 1)).toEqual([
			['Most helpful', true],
			['Newest', false],
			['Highest rated', false],
		]);
	});

	it('Pusher: the critic verdict and spread, the mean numeric score, and says users are missing', async () => {
		const embed = (await reply(command('reviews', { film: 'pusher' }))).embeds![0]!;
		expect(embed.title).toBe('Pusher (1996)');
		expect(embed.fields![0]).toEqual({
			name: 'Critics',
			value: 'Generally favorable · 11 critics · 9 positive · 2 mixed · 0 negative\nMean critic score **80/100** (1 scored)',
		});
		expect(embed.fields![1]).toEqual({ name: 'Audience', value: 'No user reviews for this film yet.' });
	});

	it('an unknown film gets an ephemeral "Did you mean"', async () => {
		const data = await reply(command('reviews', { film: 'Pushr 2' }));
		expect(data.flags).toBe(MessageFlags.Ephemeral);
		expect(data.content).toBe("I don't know a film called “Pushr 2”. Did you mean **Pusher II (2004)**?");
	});

	it('pages through every review and back, state travelling only in custom_id', async () => {
		const p2 = store.film('pusher-ii-2004')!;
		const expected = store.reviews(p2, 'user', 'helpful').map((r) => (r.kind === 'user' ? r.author : ''));
		let data = await reply(command('reviews', { film: 'Pusher II' }));
		const seen: string[] = [];
		for (let page = 1; page <= 25; page++) {
			const next = await run(click(buttonId(data, 'Next ▶')), { store, cache });
			expect(next.kind).toBe('update');
			data = expectValid(next)!;
			seen.push(data.embeds![0]!.author!.name);
			expect(buttons(data, 0)[2]).toEqual([`${page} / 25`, true]);
			expect(data.embeds![0]!.footer!.text).toBe(`Pusher II (2004) · user review ${page} of 25 · most helpful first`);
			expect(ids(data).every((id) => id.length <= 100)).toBe(true);
			expect(new Set(ids(data)).size).toBe(ids(data).length);
		}
		expect(seen).toEqual(expected);
		expect(buttons(data, 0)[3]).toEqual(['Next ▶', true]);
		const back: string[] = [data.embeds![0]!.author!.name];
		for (let page = 24; page >= 1; page--) {
			data = expectValid(await run(click(buttonId(data, '◀ Previous')), { store, cache }))!;
			back.push(data.embeds![0]!.author!.name);
		}
		expect(back).toEqual([...expected].reverse());
		data = expectValid(await run(click(buttonId(data, '◀ Previous')), { store, cache }))!;
		expect(data.embeds![0]!.title).toBe('Pusher II (2004)');
		expect(buttons(data, 0)[2]).toEqual(['25 reviews', true]);
	});

	it('Overview jumps from any page back to the overview', async () => {
		const first = await reply(command('reviews', { film: 'Pusher II' }));
		const page = expectValid(await run(click(buttonId(first, 'Next ▶')), { store, cache }))!;
		const overview = expectValid(await run(click(buttonId(page, 'Overview')), { store, cache }))!;
		expect(overview.embeds).toEqual(first.embeds);
		expect(buttons(overview, 0)[2]).toEqual(['25 reviews', true]);
	});

	it('Pusher (critics only): its pages are the critic reviews, numbered', async () => {
		const data = await reply(command('reviews', { film: 'Pusher' }));
		expect(buttons(data, 0)[2]).toEqual(['11 reviews', true]);
		const first = expectValid(await run(click(buttonId(data, 'Next ▶')), { store, cache }))!;
		expect(first.embeds![0]!.title).toBe('Critic review #1');
		expect(first.embeds![0]!.author!.name).toBe('Noel Murray');
	});

	it('sorts by newest and by rating', async () => {
		const data = await reply(command('reviews', { film: 'Pusher II' }));
		const newest = expectValid(await run(click(buttonId(data, 'Newest')), { store, cache }))!;
		expect(newest.embeds![0]!.author!.name).toBe('Uriah43');
		expect(newest.embeds![0]!.footer!.text).toBe('Pusher II (2004) · user review 1 of 25 · newest first');
		expect(buttons(newest, 0)[2]).toEqual(['1 / 25', true]);
		expect(buttons(newest, 1)).toEqual([
			['Most helpful', false],
			['Newest', true],
			['Highest rated', false],
		]);
		// Paging keeps the sort, and a sort keeps the page.
		const second = expectValid(await run(click(buttonId(newest, 'Next ▶')), { store, cache }))!;
		expect(second.embeds![0]!.footer!.text).toBe('Pusher II (2004) · user review 2 of 25 · newest first');
		const rated = expectValid(await run(click(buttonId(second, 'Highest rated')), { store, cache }))!;
		expect(buttons(rated, 0)[2]).toEqual(['2 / 25', true]);
		expect(rated.embeds![0]!.footer!.text).toBe('Pusher II (2004) · user review 2 of 25 · highest rated first');
		expect(rated.embeds![0]!.fields![0]).toEqual({ name: 'Rating', value: '★ 10/10', inline: true });
	});

	it('hides a spoiler review body behind a spoiler tag; title, rating, author and date stay visible', async () => {
		const p2 = store.film('pusher-ii-2004')!;
		const index = store.reviews(p2, 'user', 'helpful').findIndex((r) => r.kind === 'user' && r.author === 'kristianbk');
		const id = encodeState('n', { filmId: 'pusher-ii-2004', kind: 'user', sort: 'helpful', page: index + 1, owner: USER });
		const embed = expectValid(await run(click(id), { store, cache }))!.embeds![0]!;
		expect(embed.title).toBe(
			'Tonni is out of jail again, and the world he is returning to is not friendly. Family, friends and girlfriend are still the same. Not to be trusted! · ⚠️ Spoiler',
		);
		expect(embed.description).toMatch(/^\|\|Movies that describe and draws a picture.*\|\|$/s);
		expect(embed.author!.name).toBe('kristianbk');
		expect(embed.fields!.map((f) => f.value)).toEqual(['★ 10/10', '6 Jan 2005', '31 of 39 found this helpful']);
	});

	it('only the invoker can page; forged and stale custom_ids get a polite ephemeral note', async () => {
		const data = await reply(command('reviews', { film: 'Pusher II' }));
		const other = expectValid(await run(click(buttonId(data, 'Next ▶'), OTHER_USER), { store, cache }))!;
		expect(other.flags).toBe(MessageFlags.Ephemeral);
		expect(other.content).toBe('Only the person who ran this `/reviews` can turn its pages. Run `/reviews` yourself to browse.');
		for (const forged of ['rv:n:../etc:uh:1:1', 'rv:x', 'rv:n:pusher-ii-2004:uh:99999999999:1', `rv:n:${'a'.repeat(60)}:uh:1:${USER}`]) {
			const r = expectValid(await run(click(forged), { store, cache }))!;
			expect(r.flags, forged).toBe(MessageFlags.Ephemeral);
			expect(r.content).toMatch(/isn't one I recognise/);
		}
		const stale = expectValid(await run(click(`rv:n:pusher-iii-2008:uh:1:${USER}`), { store, cache }))!;
		expect(stale.content).toMatch(/no longer in Marquee's library/);
		const far = expectValid(await run(click(`rv:n:pusher-ii-2004:uh:500:${USER}`), { store, cache }))!;
		expect(far.embeds![0]!.footer!.text).toMatch(/user review 25 of 25/);
	});

	it('custom_id state round-trips for every kind, sort, page and owner', () => {
		fc.assert(
			fc.property(
				fc.constantFrom('critic' as const, 'user' as const),
				fc.constantFrom('helpful' as const, 'newest' as const, 'rating' as const),
				fc.integer({ min: 0, max: 2 ** 32 - 1 }),
				fc.stringMatching(/^[1-9]\d{16,19}$/),
				fc.stringMatching(/^[a-z0-9]{1,20}(-[a-z0-9]{1,9}){0,2}$/),
				(kind, sort, page, owner, filmId) => {
					const state = { filmId, kind, sort, page, owner };
					const id = encodeState('n', state);
					expect(id.length).toBeLessThanOrEqual(100);
					expect(decodeState(id)).toEqual(state);
				},
			),
		);
	});
});

describe('/critic', () => {
	it('Noel Murray, by full name or surname, with date and excerpt', async () => {
		for (const name of ['Noel Murray', 'noel murray', 'Murray']) {
			const embed = (await reply(command('critic', { name }))).embeds![0]!;
			expect(embed.title).toBe('Noel Murray');
			expect(embed.description).toBe('1 review across 1 film');
			expect(embed.fields).toEqual([
				{
					name: 'Pusher (1996) · 15 Jul 2013',
					value:
						'As Refn counts down the days and ratchets up the tension, Pusher shifts from a subdued lowlife sketch, with lots of raunchy conversation between Buric and his horndog ex-con buddy Mads Mikkelsen, to a nail-biting look at a man running out of options.',
				},
			]);
		}
	});

	it('unattributed entries are reachable by their credit, never a blank name', async () => {
		const staff = (await reply(command('critic', { name: 'staff' }))).embeds![0]!;
		expect(staff.title).toBe('Staff \\[Not Credited]'); // renders as Staff [Not Credited]
		expect(staff.description).toBe('1 review across 1 film · an unattributed credit: the site names no critic');
		const unc = (await reply(command('critic', { name: 'Uncredited' }))).embeds![0]!;
		expect(unc.title).toBe('Uncredited');
		expect(unc.fields![0]!.name).toBe('Pusher (1996) · undated · 80/100');
	});

	it('an unknown critic gets the closest names', async () => {
		const data = await reply(command('critic', { name: 'Noel Muray' }));
		expect(data.flags).toBe(MessageFlags.Ephemeral);
		expect(data.content).toBe("I don't know a critic called “Noel Muray”. Did you mean **Noel Murray**?");
	});
});

describe('/quote random', () => {
	it('gives whole sentences with author, rating, film and date', async () => {
		const embed = (await reply(command('quote', { film: 'Pusher II', kind: 'user' }, 'random'), () => 0)).embeds![0]!;
		expect(embed.description).toMatch(/^“[^”]+[.!?]”\n— \*\*UlrikSander\*\* on \*Pusher II \(2004\)\*$/);
		expect(embed.fields).toEqual([
			{ name: 'Rating', value: '★ 8/10', inline: true },
			{ name: 'Date', value: '11 Mar 2006', inline: true },
			{ name: 'From the review', value: "Nicolas Winding Refn's Pusher 2 is even better than the first one", inline: false },
		]);
	});

	it('wraps a quote from a spoiler review in spoiler tags and labels it', async () => {
		// kristianbk's is the 5th user review of Pusher II: random 4/25 picks it.
		const embed = (await reply(command('quote', { film: 'pusher 2', kind: 'user' }, 'random'), () => 4 / 25 + 0.001)).embeds![0]!;
		expect(embed.title).toBe('⚠️ Spoiler: this review warns of spoilers');
		expect(embed.description).toMatch(/^\|\|“[^|]+”\|\|\n— \*\*kristianbk\*\* on \*Pusher II \(2004\)\*$/);
	});

	it('critic quotes, and never the same quote twice in a row in a channel', async () => {
		const first = (await reply(command('quote', { kind: 'critic' }, 'random'), () => 0)).embeds![0]!;
		const second = (await reply(command('quote', { kind: 'critic' }, 'random'), () => 0)).embeds![0]!;
		expect(first.description).toMatch(/— \*\*Noel Murray\*\* on \*Pusher \(1996\)\*$/);
		expect(first.footer?.text).toBe('Critic review · Pusher (1996)');
		// The same draw lands on the last quote, so the last slot's review stands in for it.
		expect(second.description).toMatch(/— \*\*Anita Gates\*\* on \*Pusher \(1996\)\*$/);
		const third = (await reply(command('quote', { kind: 'critic' }, 'random'), () => 1 / 10 + 0.001)).embeds![0]!;
		expect(third.description).toMatch(/— \*\*Uncredited\*\* on \*Pusher \(1996\)\*$/);
		expect(third.fields![0]).toEqual({ name: 'Score', value: '80/100 (positive)', inline: true });
	});

	it('a film without reviews of the asked kind gets an ephemeral note', async () => {
		const data = await reply(command('quote', { film: 'Pusher', kind: 'user' }, 'random'));
		expect(data.flags).toBe(MessageFlags.Ephemeral);
		expect(data.content).toMatch(/no user reviews to quote for that film/);
	});

	it('a last quote from another film narrows nothing: every review of this film can still be drawn', async () => {
		const s = storeOf([
			film('alpha', 'Alpha', { userReviews: [userReview('alpha', 1, { body: 'Alpha one is fine.' })] }),
			film('beta', 'Beta', {
				userReviews: [userReview('beta', 1, { body: 'Beta first.' }), userReview('beta', 2, { body: 'Beta second.' })],
			}),
		]);
		const cache = await memoryCache();
		const quote = async (name: string, r: number) =>
			textOf(await run(command('quote', { film: name }, 'random'), { store: s, cache, random: () => r }));
		expect(await quote('Alpha', 0)).toContain('Alpha one is fine.');
		expect(await quote('Beta', 0)).toContain('Beta first.');
		expect(await quote('Alpha', 0)).toContain('Alpha one is fine.');
		expect(await quote('Beta', 0.99)).toContain('Beta second.');
	});

	it('a page that older code cached for the same data (the key without a render version) is not served after an upgrade', async () => {
		await cache.set(`reviews:${store.version}:pusher-ii-2004:uh:0`, { title: 'Drawn by older code' });
		await cache.set(`critic-page:${store.version}:noel murray`, { title: 'Drawn by older code' });
		expect((await reply(command('reviews', { film: 'Pusher II' }))).embeds![0]!.title).toBe('Pusher II (2004)');
		expect((await reply(command('critic', { name: 'Noel Murray' }))).embeds![0]!.title).toBe('Noel Murray');
	});

	it('the last quote of a channel is kept for CACHE_TTL_SECONDS: after that the same quote may come again', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		try {
			const quote = async (r: number) =>
				textOf(await reply(command('quote', { kind: 'critic' }, 'random'), () => r)).match(/— \*\*(.+?)\*\*/)?.[1];
			expect(await quote(0)).toBe('Noel Murray');
			vi.advanceTimersByTime(59_000);
			// Still remembered: the draw that was Noel Murray's goes to the last of the 11 (Anita Gates).
			expect(await quote(0)).toBe('Anita Gates');
			// memoryCache() entries live 60 s: a minute later the channel's last quote is forgotten and can be drawn again.
			vi.advanceTimersByTime(61_000);
			expect(await quote(10 / 11 + 0.001)).toBe('Anita Gates');
		} finally {
			vi.useRealTimers();
		}
	});

	it('quotes never cut a word: each is whole sentences of the review', async () => {
		const p2 = store.film('pusher-ii-2004')!;
		for (let i = 0; i < 25; i++) {
			const d = (await reply(command('quote', { film: 'Pusher II', kind: 'user' }, 'random'), () => i / 25)).embeds![0]!.description!;
			const quote = /“(.*)”/s.exec(d)![1]!.replace(/\\(.)/g, '$1');
			// Whole sentences of one paragraph: found in it, starting at its start or after a sentence, ending at a word's end.
			const paragraphs = store
				.reviews(p2, 'user', 'helpful')
				.flatMap((r) => (r.kind === 'user' ? [r] : []))
				.flatMap((r) => r.body.split('\n\n').map((p) => p.replace(/\s*\n\s*/g, ' ')));
			const home = paragraphs.find((p) => p.includes(quote));
			expect(home, quote).toBeDefined();
			const at = home!.indexOf(quote);
			expect(at === 0 || /[.!?…)"'] $/.test(home!.slice(0, at)), quote).toBe(true);
			expect(home!.slice(at + quote.length)).toMatch(/^($|\s)/);
		}
	});
});

describe('autocomplete', () => {
	it('films by title prefix, labelled with the year, valued by id', async () => {
		const outcome = await run(
			{ type: 'autocomplete', name: 'reviews', options: [], focused: { name: 'film', value: 'pus' }, userId: USER, channelId: CHANNEL },
			{ store, cache },
		);
		expectValid(outcome);
		expect(outcome).toEqual({
			kind: 'choices',
			choices: [
				{ name: 'Pusher (1996)', value: 'pusher-1996' },
				{ name: 'Pusher II (2004)', value: 'pusher-ii-2004' },
			],
		});
		const id = await reply(command('reviews', { film: 'pusher-ii-2004' }));
		expect(id.embeds![0]!.title).toBe('Pusher II (2004)');
	});

	it('critics by any part of the name; quote films too', async () => {
		const critics = await run(
			{ type: 'autocomplete', name: 'critic', options: [], focused: { name: 'name', value: 'mur' }, userId: USER, channelId: CHANNEL },
			{ store, cache },
		);
		expect(critics).toEqual({ kind: 'choices', choices: [{ name: 'Noel Murray · 1 review', value: 'Noel Murray' }] });
		const all = await run(
			{ type: 'autocomplete', name: 'critic', options: [], focused: { name: 'name', value: '' }, userId: USER, channelId: CHANNEL },
			{ store, cache },
		);
		expect(all.kind === 'choices' && all.choices.length).toBe(11);
		const films = await run(
			{
				type: 'autocomplete',
				name: 'quote',
				options: [{ name: 'random', type: 1, options: [{ name: 'film', type: 3, value: 'blood' }] }],
				focused: { name: 'film', value: 'blood' },
				userId: USER,
				channelId: CHANNEL,
			},
			{ store, cache },
		);
		expect(films.kind === 'choices' && films.choices.map((c) => c.value)).toEqual(['pusher-ii-2004']);
	});

	it('never more than 25 choices', async () => {
		const many = storeOf(
			Array.from({ length: 60 }, (_, i) =>
				film(`night-harbor-${i}`, `Night Harbor ${i}`, { userReviews: [userReview(`night-harbor-${i}`, 1)] }),
			),
		);
		const outcome = await run(
			{ type: 'autocomplete', name: 'reviews', options: [], focused: { name: 'film', value: 'night' }, userId: USER, channelId: CHANNEL },
			{ store: many, cache },
		);
		expectValid(outcome);
		expect(outcome.kind === 'choices' && outcome.choices.length).toBe(25);
	});
});

describe('escaping and limits', () => {
	const nasty =
		'@everyone @here <@123456789012345678> <@&987654321098765432> ||not a spoiler|| **bold** _it_ ~~s~~ `code`\n# Heading\n- list\n[click](https://evil.example) > quote';
	const hostile = storeOf([
		film('nasty', '**Nasty** @everyone', {
			userReviews: [
				userReview('nasty', 1, { title: `||${nasty}`, author: '@everyone', body: nasty, helpful: { up: 9, total: 9 } }),
				userReview('nasty', 2, {
					title: 'Long and spoilery',
					body: `${'Word '.repeat(1400)}||end||`,
					spoiler: true,
					helpful: { up: 1, total: 1 },
				}),
			],
			criticReviews: [criticReview('nasty', 1, { critic: '<@1>', credit: '<@1>', excerpt: nasty })],
		}),
	]);

	it('a review can never ping, break formatting or un-hide a spoiler', async () => {
		const data = expectValid(await run(command('reviews', { film: 'nasty' }), { store: hostile, cache }))!;
		const text = textOf(data);
		expect(text).not.toMatch(/@everyone|@here|<@\d|<@&/);
		expect(text).toContain('@\u200beveryone');
		expect(text).toContain('\\|\\|not a spoiler\\|\\|');
		expect(text).toContain('\\*\\*bold\\*\\*');
		expect(text).toContain('\\# Heading');
		expect(text).toContain('\\[click](');
		expect(data.embeds![0]!.title).toBe('\\*\\*Nasty\\*\\* @\u200beveryone (2001)');
		const critic = expectValid(await run(command('critic', { name: '<@1>' }), { store: hostile, cache }))!;
		expect(textOf(critic)).not.toMatch(/<@\d/);
	});

	it('names and titles in embed authors and footers carry no raw mention', async () => {
		const s = storeOf([
			film('x', '@here <@&123456789012345678>', {
				userReviews: [userReview('x', 1, { author: '@everyone', title: '<@123456789012345678>' })],
				criticReviews: [criticReview('x', 1, { credit: '<@!123456789012345678>', critic: '<@!123456789012345678>' })],
			}),
		]);
		const overview = expectValid(await run(command('reviews', { film: 'x' }), { store: s, cache }))!;
		const user = expectValid(await run(click(buttonId(overview, 'Next ▶')), { store: s, cache }))!;
		expect(user.embeds![0]!.author!.name).toBe('@\u200beveryone');
		expect(user.embeds![0]!.footer!.text).toBe('@\u200bhere <\u200b@&123456789012345678> (2001) · user review 1 of 1 · most helpful first');
		const critic = expectValid(await run(click(buttonId(user, 'Critics')), { store: s, cache }))!;
		expect(critic.embeds![0]!.author!.name).toBe('<\u200b@!123456789012345678>');
	});

	it('no masked link survives: every "[" is escaped, also after a literal backslash and past the first link', async () => {
		const { safe } = await import('../src/reply/format.js');
		expect(safe('[a](http://x) and [b](http://y)')).toBe('\\[a](http://x) and \\[b](http://y)');
		// A literal backslash before "[" becomes "\\", and the "[" still gets its own escape.
		expect(safe('\\[c](http://z)')).toBe('\\\\\\[c](http://z)');
		const long = `${'word '.repeat(300)}[d](http://w) **b** _i_ @everyone`;
		const escaped = safe(long);
		expect(escaped).toContain('\\[d](http://w) \\*\\*b\\*\\* \\_i\\_ @\u200beveryone');
	});

	it("escaping skips escapeMarkdown's slow italic pass only where it could change nothing (no * or _)", async () => {
		const { safe } = await import('../src/reply/format.js');
		const { escapeMarkdown } = await import('@discordjs/formatters');
		const options = { heading: true, bulletedList: true, numberedList: true };
		const text = fc.string({
			unit: fc.constantFrom('a', ' ', '\n', '#', '-', '1', '.', '~', '|', '`', '>', '[', ']', '(', ')', '\\', 'é'),
			maxLength: 200,
		});
		fc.assert(
			fc.property(text, (t) => {
				expect(escapeMarkdown(t, { ...options, italic: false })).toBe(escapeMarkdown(t, options));
			}),
			{ numRuns: 500 },
		);
		expect(safe('*a* _b_ plain')).toBe('\\*a\\* \\_b\\_ plain');
	});

	it('a critic with ten long excerpts: every field keeps some text (no blank value) and the embed fits 6,000', async () => {
		const long = 'This film is a long meditation on crime and loyalty. '.repeat(20);
		const films = Array.from({ length: 10 }, (_, i) =>
			film(`f${i}`, `Film ${i}`, {
				criticReviews: [criticReview(`f${i}`, 1, { critic: 'Noel Murray', credit: 'Noel Murray', excerpt: long })],
			}),
		);
		const data = expectValid(await run(command('critic', { name: 'Noel Murray' }), { store: storeOf(films), cache: await memoryCache() }))!;
		const fields = data.embeds![0]!.fields!;
		expect(fields).toHaveLength(10);
		for (const f of fields) expect(f.value.length).toBeGreaterThan(100);
	});

	it('a spoiler review with a very long title keeps its spoiler warning in the page title and the overview field', async () => {
		const title = 'A very long review title '.repeat(14);
		const s = storeOf([film('x', 'X', { userReviews: [userReview('x', 1, { title, spoiler: true })] })]);
		const c = await memoryCache();
		const overview = expectValid(await run(command('reviews', { film: 'X' }), { store: s, cache: c }))!;
		expect(overview.embeds![0]!.fields!.find((f) => f.name.startsWith('Most helpful: '))?.name).toMatch(/… · ⚠️ Spoiler$/);
		const page = expectValid(
			await run(click(encodeState('n', { filmId: 'x', kind: 'user', sort: 'helpful', page: 1, owner: USER })), { store: s, cache: c }),
		)!;
		expect(page.embeds![0]!.title).toMatch(/ · ⚠️ Spoiler$/);
		expect(page.embeds![0]!.title!.length).toBeLessThanOrEqual(256);
	});

	it('a "||" or "~~" where long text is cut into pieces for escaping is still escaped (a spoiler cannot close early)', async () => {
		const { safe } = await import('../src/reply/format.js');
		const { reviewText } = await import('../commands/render.js');
		for (const at of [238, 239, 240, 241]) {
			const body = `${'a'.repeat(at)}|| THE KILLER IS BOB ~~ ${'filler words here '.repeat(30)}`;
			expect(safe(body)).not.toMatch(/\|\||(?<!\\)~~/);
			expect(markdown(reviewText(body, true, 3800)).map((n) => n.type)).toEqual(['spoiler']);
		}
	});

	it('a 7,000-character spoiler review still yields a valid embed, cut on a word, spoiler closed', async () => {
		const id = encodeState('n', { filmId: 'nasty', kind: 'user', sort: 'newest', page: 2, owner: USER });
		const data = expectValid(await run(click(id), { store: hostile, cache }))!;
		const description = data.embeds![0]!.description!;
		expect(description.length).toBeLessThanOrEqual(4096);
		expect(description.startsWith('||Word Word')).toBe(true);
		expect(description).toMatch(/Word…\|\|\n\n\*\(read more on the source site\)\*$/);
		expect(markdown(description).map((n) => n.type)).toEqual(['spoiler', 'br', 'br', 'em']);
	});

	// expectValid checks spoilers as Discord reads them (the fake Discord's check).
	it('random review texts in every reply type: valid, no pings, spoilers closed', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3000 }),
				fc.string({ minLength: 1, maxLength: 400 }),
				fc.boolean(),
				async (body, title, spoiler) => {
					const s = storeOf([
						film('x', title.trim() || 'x', {
							userReviews: [userReview('x', 1, { body, title, author: title, spoiler })],
							criticReviews: [criticReview('x', 1, { excerpt: body, credit: title })],
						}),
					]);
					const c = await memoryCache();
					for (const incoming of [
						command('reviews', { film: 'x' }),
						click(encodeState('n', { filmId: 'x', kind: 'user', sort: 'helpful', page: 1, owner: USER })),
						command('quote', {}, 'random'),
						command('critic', { name: title }),
					]) {
						expectValid(await run(incoming, { store: s, cache: c, random: () => 0 }));
					}
				},
			),
			{ numRuns: 60 },
		);
	});
});

describe('failures', () => {
	it('a cache whose store throws on every call: every command still answers, uncached', async () => {
		const broken = new Keyv({
			store: {
				get: () => Promise.reject(new Error('disk on fire')),
				set: () => Promise.reject(new Error('disk on fire')),
				delete: () => Promise.reject(new Error('disk on fire')),
				clear: () => Promise.reject(new Error('disk on fire')),
				on: () => undefined,
			},
		});
		const bad = wrapKeyv(broken, { kind: 'sqlite', ttlMs: 1000, logger: silent, retryAfterMs: 0 });
		const good = await memoryCache();
		for (const incoming of [
			command('reviews', { film: 'Pusher II' }),
			command('critic', { name: 'murray' }),
			command('quote', {}, 'random'),
		]) {
			const a = expectValid(await run(incoming, { store, cache: bad, random: () => 0.5 }));
			const b = expectValid(await run(incoming, { store, cache: good, random: () => 0.5 }));
			expect(a).toEqual(b);
		}
		expect(bad.stats.errors).toBeGreaterThan(0);
	});

	it('a handler that throws becomes an ephemeral apology, without the error text', async () => {
		class Exploding extends ReviewStore {
			override summary(): never {
				throw new Error('secret internal detail');
			}
		}
		const exploding = Exploding.fromData(await loadDataDir('data'));
		const data = expectValid(await run(command('reviews', { film: 'Pusher II' }), { store: exploding, cache }))!;
		expect(data.flags).toBe(MessageFlags.Ephemeral);
		expect(data.content).toBe('Something went wrong while answering that. It has been logged; please try again in a moment.');
		expect(textOf(data)).not.toContain('secret');
	});

	it('bad options get a clear ephemeral message', async () => {
		const missing = expectValid(
			await run({ type: 'command', name: 'reviews', options: [], userId: USER, channelId: CHANNEL }, { store, cache }),
		)!;
		expect(missing.content).toBe('Please give the `film` option.');
		const kind = expectValid(await run(command('quote', { kind: 'both' }, 'random'), { store, cache }))!;
		expect(kind.content).toBe('`kind` must be one of: user, critic, member.');
		const gone = expectValid(await run(command('nope', {}), { store, cache }))!;
		expect(gone.flags).toBe(MessageFlags.Ephemeral);
	});
});
