// `/divisive`, `/compare` and the measures' lines of the `/reviews` overview in Danish, through dispatch as every
// transport calls it, with members' ratings in a real member store. Film titles and review text stay as written.
import { beforeAll, describe, expect, it } from 'vitest';
import { histogram } from '../commands/render.js';
import { dispatch, type Incoming } from '../src/discord/dispatch.js';
import type { FilmRecord } from '../src/domain/schema.js';
import type { ReviewStore } from '../src/domain/store.js';
import type { MemberStore } from '../src/members/store.js';
import { Limits } from '../src/reply/limits.js';
import type { FinalReply } from '../src/reply/respond.js';
import { command, criticReview, expectValid, film, memoryCache, polarisedFilm, seedStore, silent, storeOf, userReview } from './helpers.js';
import { GUILD_A, ok, openMembers } from './member-views.js';

/** A film whose audience rated it as `histogram` (counts of 1..10) and whose critics scored it `critics`. */
function rated(id: string, title: string, counts: readonly number[], critics: readonly number[] = []): FilmRecord {
	const ratings = counts.flatMap((n, i) => Array.from({ length: n }, () => i + 1));
	return film(id, title, {
		userReviews: ratings.map((rating, n) => userReview(id, n + 1, { rating })),
		criticReviews: critics.map((score, n) => criticReview(id, n + 1, { score })),
	});
}

const GUILD_C = '400000000000000004';
const memberId = (n: number): string => String(500000000000000000n + BigInt(n));

const FOOTER =
	'Gennemsnit på én skala fra 0 til 100 (bedømmelser ud af 10 ×10, fra 5 karakterer pr. side): under 10 point fra hinanden er de enige, fra 20 er de stærkt uenige. Splittende: van der Eijks enighed under 0 (1 alle ens, 0 jævnt fordelt, −1 to lejre) fra 10 bedømmelser.';

let seed: ReviewStore;
let synthetic: ReviewStore;
let members: MemberStore;
beforeAll(async () => {
	seed = await seedStore();
	synthetic = storeOf([
		rated('u-shape', 'U Shape', [6, 3, 1, 0, 0, 0, 0, 1, 3, 6], [80, 80, 80, 80, 80]),
		rated('poles', 'Poles', [5, 0, 0, 0, 0, 0, 0, 0, 0, 5]),
		rated('peak', 'Peak', [0, 0, 0, 1, 3, 6, 3, 1, 0, 0], [62, 62, 62, 62, 62]),
		rated('flat', 'Flat', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [70, 70, 70, 70, 70]),
		rated('hated', 'Hated', [0, 0, 1, 4, 1, 0, 0, 0, 0, 0], [90, 90, 90, 90, 90, 90]),
	]);
	members = await openMembers();
	// Pusher II in server A: ten members, half at 1 and half at 10. In server C: Hated five times at 2, Peak five times at 3.
	for (let i = 0; i < 10; i++) ok(await members.rate(GUILD_A, memberId(i), 'pusher-ii-2004', i < 5 ? 1 : 10));
	for (let i = 0; i < 5; i++) {
		ok(await members.rate(GUILD_C, memberId(i), 'hated', 2));
		ok(await members.rate(GUILD_C, memberId(i), 'peak', 3));
	}
});

/** The reply to `incoming`, run in `guildId` (null: a DM) by a user whose Discord speaks Danish. */
async function danish(incoming: Incoming, guildId: string | null, store = seed, m = members): Promise<FinalReply> {
	const outcome = await dispatch({ ...incoming, guildId, locale: 'da' }, { logger: silent, store, cache: await memoryCache(), members: m });
	const reply = expectValid(outcome);
	if (reply === undefined) throw new Error(`expected a message, got ${outcome.kind}`);
	return reply;
}

const texts = (reply: FinalReply) => (reply.embeds ?? []).map((e) => ({ title: e.title, description: e.description }));

describe('/divisive in Danish', () => {
	it("the audience's divisive films and widest gaps: Danish words, decimals with a comma and a real minus", async () => {
		const reply = await danish(command('divisive', {}), null, synthetic);
		expect(texts(reply)).toEqual([
			{
				title: 'De mest splittende film · publikum',
				description: [
					'1. **Poles (2001)** · enighed −1,00 fra 10 bedømmelser · gennemsnit 5,5/10',
					'2. **U Shape (2001)** · enighed −0,45 fra 20 bedømmelser · gennemsnit 5,5/10',
				].join('\n'),
			},
			{
				title: 'Hvor kritikerne og publikum er mest uenige',
				description: [
					'1. **Hated (2001)** · 50 point fra hinanden: kritikerne 90, publikum 40 (stærkt uenige)',
					'2. **U Shape (2001)** · 25 point fra hinanden: kritikerne 80, publikum 55 (stærkt uenige)',
					'3. **Flat (2001)** · 15 point fra hinanden: kritikerne 70, publikum 55 (uenige)',
				].join('\n'),
			},
		]);
		expect(reply.embeds?.[1]?.footer?.text).toBe(FOOTER);
	});

	it('says in Danish when no film is divisive and no gap is wide enough', async () => {
		expect(texts(await danish(command('divisive', { kind: 'audience' }), null))).toEqual([
			{ title: 'De mest splittende film · publikum', description: 'Ingen film med mindst 10 bedømmelser fra publikum er splittende.' },
			{
				title: 'Hvor kritikerne og publikum er mest uenige',
				description: 'Ingen film, hvor kritikerne og publikum er uenige (10 point eller mere, med mindst 5 karakterer fra hver side).',
			},
		]);
	});

	it("kind server: the members' divisive films and where the server parts from critics", async () => {
		expect(texts(await danish(command('divisive', { kind: 'server' }), GUILD_A))).toEqual([
			{
				title: 'De mest splittende film · denne server',
				description: '1. **Pusher II (2004)** · enighed −1,00 fra 10 bedømmelser · gennemsnit 5,5/10',
			},
			{
				title: 'Hvor kritikerne og denne server er mest uenige',
				description: 'Ingen film, hvor kritikerne og denne server er uenige (10 point eller mere, med mindst 5 karakterer fra hver side).',
			},
		]);
		expect(texts(await danish(command('divisive', { kind: 'server' }), GUILD_C, synthetic))).toEqual([
			{
				title: 'De mest splittende film · denne server',
				description: 'Ingen film med mindst 10 bedømmelser fra denne server er splittende.',
			},
			{
				title: 'Hvor kritikerne og denne server er mest uenige',
				description: [
					'1. **Hated (2001)** · 70 point fra hinanden: kritikerne 90, serveren 20 (stærkt uenige)',
					'2. **Peak (2001)** · 32 point fra hinanden: kritikerne 62, serveren 30 (stærkt uenige)',
				].join('\n'),
			},
		]);
	});

	it('kind server: a server nobody rated in, a DM, and a database that does not answer, in Danish', async () => {
		expect((await danish(command('divisive', { kind: 'server' }), '400000000000000003')).content).toBe(
			'Intet medlem af denne server har bedømt en film endnu: begynd med `/bedøm`.',
		);
		expect(await danish(command('divisive', { kind: 'server' }), null)).toMatchObject({
			content: 'Medlemmernes bedømmelser hører til en server: kør `/splittende slags:server` i en server, hvor Marquee er.',
			flags: 64,
		});
		const closed = await openMembers();
		await closed.close();
		expect(await danish(command('divisive', { kind: 'server' }), GUILD_A, seed, closed)).toMatchObject({
			content: 'Medlemmernes bedømmelser kan ikke læses lige nu; prøv igen om et minut.',
			flags: 64,
		});
	});
});

describe('/compare in Danish', () => {
	it("sets the films side by side in Danish: columns, the server's side, who agrees, the quotes' names", async () => {
		const embed = (await danish(command('compare', { film_a: 'Pusher II', film_b: 'Pusher' }), GUILD_A)).embeds?.[0];
		expect(embed?.title).toBe('Pusher II (2004) mod Pusher (1996)');
		expect(embed?.description).toBe('Ingen har endnu givet begge film karakterer nok til at sætte dem side om side på én skala.');
		const record = seed.film('pusher-ii-2004');
		const audience = record === undefined ? undefined : seed.summary(record).users?.histogram;
		expect(embed?.fields?.[0]).toEqual({
			name: 'Pusher II (2004)',
			value: [
				'**Kritikere** ingen anmeldelser endnu',
				'**Publikum** **7,7/10** fra 24 bedømmelser',
				histogram(audience ?? []),
				'**Denne server** **5,5/10** fra 10 medlemmer',
				histogram([5, 0, 0, 0, 0, 0, 0, 0, 0, 5]),
				'Publikum **77** · serveren **55** (af 100): de er stærkt uenige (22 point fra hinanden).',
				'**Splittende**: denne servers bedømmelser deler sig i lejre (enighed −1,00 fra 10 bedømmelser).',
			].join('\n'),
			inline: true,
		});
		expect(embed?.fields?.[1]).toEqual({
			name: 'Pusher (1996)',
			value: [
				'**Kritikere** Generally favorable · 11 kritikere',
				'9 positive · 2 blandede · 0 negative · gennemsnit **80/100** (1 med karakter)',
				'**Publikum** ingen bedømmelser endnu',
				'**Denne server** ingen bedømmelser endnu',
			].join('\n'),
			inline: true,
		});
		expect(embed?.fields?.[2]?.value).toMatch(/\n— UlrikSander · ★ 8\/10 · 11\. mar\. 2006 · 54 af 62 fandt den hjælpsom$/);
		expect(embed?.fields?.[3]?.name).toBe('Pusher (1996) · kritikercitat');
		expect(embed?.fields?.[3]?.value).toMatch(/\n— Noel Murray · ingen karakter$/);
		expect(embed?.footer?.text).toBe(FOOTER);
	});

	it('sets the gap between the films on one scale, in Danish', async () => {
		const twin = (id: string, rating: number, critic: number) =>
			film(id, id.toUpperCase(), {
				userReviews: Array.from({ length: 6 }, (_, i) => userReview(id, i + 1, { rating })),
				criticReviews: Array.from({ length: 5 }, (_, i) => criticReview(id, i + 1, { score: critic })),
			});
		const s = storeOf([twin('alpha', 9, 50), twin('beta', 4, 55)]);
		expect((await danish(command('compare', { film_a: 'alpha', film_b: 'beta' }), null, s)).embeds?.[0]?.description).toBe(
			'På én skala fra 0 til 100: kritikerne 50 og 55, 5 point fra hinanden · publikum 90 og 40, 50 point fra hinanden.',
		);
	});

	it("refuses the same film twice, and says the server's ratings are unavailable, in Danish", async () => {
		expect(await danish(command('compare', { film_a: 'Pusher 2', film_b: 'pusher-ii-2004' }), null)).toMatchObject({
			content: 'Begge felter nævner **Pusher II (2004)**: vælg to forskellige film, der skal sammenlignes.',
			flags: 64,
		});
		const closed = await openMembers();
		await closed.close();
		const down = (await danish(command('compare', { film_a: 'Pusher', film_b: 'Pusher II' }), GUILD_A, seed, closed)).embeds?.[0];
		expect(down?.fields?.slice(0, 2).map((f) => f.value.split('\n').at(-1))).toEqual([
			'**Denne server** kan ikke hentes lige nu',
			'**Denne server** kan ikke hentes lige nu',
		]);
	});
	it('keeps a long Danish column within a field, uncut: the server’s text histogram gives way first', async () => {
		const split = (id: string) => polarisedFilm(id, id);
		const s = storeOf([split('left'), split('right')]);
		const crowd = await openMembers();
		for (let i = 0; i < 10; i++) ok(await crowd.rate(GUILD_A, memberId(i), 'left', i % 2 === 0 ? 1 : 10));
		const left = (await danish(command('compare', { film_a: 'left', film_b: 'right' }), GUILD_A, s, crowd)).embeds?.[0]?.fields?.[0];
		expect(left?.value.split('\n').filter((l) => !/^( ?\d+ [█░]|```)/.test(l))).toEqual([
			'**Kritikere** vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv… · 1.099.511.627.776 kritikere',
			'1099511627776 positive · 1099511627776 blandede · 1099511627776 negative · gennemsnit **100/100** (6 med karakter)',
			'**Publikum** **5,5/10** fra 30 bedømmelser',
			'**Denne server** **5,5/10** fra 10 medlemmer',
			'Kritikerne **100** · publikum **55** · serveren **55** (af 100): kritikerne og publikum er stærkt uenige (45 point fra hinanden), kritikerne og serveren er stærkt uenige (45 point fra hinanden), publikum og serveren er enige (0 point fra hinanden).',
			'**Splittende**: publikums bedømmelser deler sig i lejre (enighed −1,00 fra 30 bedømmelser).',
			'**Splittende**: denne servers bedømmelser deler sig i lejre (enighed −1,00 fra 10 bedømmelser).',
		]);
		expect(left?.value).toContain(histogram([15, 0, 0, 0, 0, 0, 0, 0, 0, 15]));
		expect(left?.value.length).toBeLessThanOrEqual(Limits.fieldValue);
	});
});

describe("/reviews overview: the measures' description in Danish", () => {
	const overview = async (store: ReviewStore, name: string, guildId: string | null) =>
		(await danish(command('reviews', { film: name }), guildId, store)).embeds?.[0]?.description;

	it('two sides that disagree, and a divisive audience', async () => {
		expect(await overview(synthetic, 'U Shape', null)).toBe(
			[
				'Kritikerne **80** · publikum **55** (af 100): de er stærkt uenige (25 point fra hinanden).',
				'**Splittende**: publikums bedømmelser deler sig i lejre (enighed −0,45 fra 20 bedømmelser).',
			].join('\n'),
		);
		expect(await overview(synthetic, 'Flat', null)).toBe(
			'Kritikerne **70** · publikum **55** (af 100): de er uenige (15 point fra hinanden).',
		);
	});

	it("in a server: each pair, all three alike, and the members' divisive mark", async () => {
		expect(await overview(synthetic, 'Peak', GUILD_C)).toBe(
			'Kritikerne **62** · publikum **60** · serveren **30** (af 100): kritikerne og publikum er enige (2 point fra hinanden), kritikerne og serveren er stærkt uenige (32 point fra hinanden), publikum og serveren er stærkt uenige (30 point fra hinanden).',
		);
		expect(await overview(synthetic, 'Hated', GUILD_C)).toBe(
			'Kritikerne **90** · publikum **40** · serveren **20** (af 100): alle tre er stærkt uenige (op til 70 point fra hinanden).',
		);
		expect(await overview(seed, 'Pusher II', GUILD_A)).toBe(
			[
				'Publikum **77** · serveren **55** (af 100): de er stærkt uenige (22 point fra hinanden).',
				'**Splittende**: denne servers bedømmelser deler sig i lejre (enighed −1,00 fra 10 bedømmelser).',
			].join('\n'),
		);
	});
});
