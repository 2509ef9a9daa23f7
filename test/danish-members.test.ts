// /rate (its answers, buttons and review modal), /top, /member and /forget-me in Danish, through dispatch as every
// transport calls it, against a real member store on a temp SQLite file. Film titles, names and review text stay as written.
import { ButtonStyle, ComponentType, MessageFlags } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../src/cache.js';
import { dispatch, type Incoming, type Outcome } from '../src/discord/dispatch.js';
import type { ReviewStore } from '../src/domain/store.js';
import type { MemberStore } from '../src/members/store.js';
import type { ModalField } from '../src/reply/modal.js';
import type { FinalReply } from '../src/reply/respond.js';
import { CHANNEL, click, command, memoryCache, OTHER_USER, seedStore, silent, USER } from './helpers.js';
import { ALICE, answer, BOB, buttonRows, clock, GUILD_A, GUILD_B, ok, openMembers, reviewModal } from './member-views.js';

let store: ReviewStore;
let cache: Cache;
let members: MemberStore;
/** A member store that is closed: every call answers `unavailable`, as while the database is down. */
let down: MemberStore;
const DAY = 86_400_000;

beforeAll(async () => {
	store = await seedStore();
	cache = await memoryCache();
	members = await openMembers();
	down = await openMembers();
	await down.close();
	clock.now = Date.UTC(2026, 1, 8, 12);
	ok(await members.rate(GUILD_A, ALICE, 'pusher-1996', 7));
	clock.now += DAY;
	ok(await members.rate(GUILD_A, ALICE, 'pusher-ii-2004', 10));
	ok(await members.writeReview(GUILD_A, ALICE, 'pusher-ii-2004', { title: 'Tonny', body: 'Faderen **dør**.', spoiler: true }));
	// Bob rates 17 films, one a day: two pages of ratings, most of the films gone from the library (shown by id).
	for (let i = 0; i < 17; i++) {
		clock.now = Date.UTC(2026, 1, 1 + i, 12);
		ok(await members.rate(GUILD_A, BOB, i === 16 ? 'pusher-1996' : `film-${String(i).padStart(2, '0')}`, 8));
	}
});

/** `incoming` sent in `guildId` (null: a DM) by a user whose Discord speaks Danish, checked against Discord's rules. */
const danish = async (incoming: Incoming, guildId: string | null = GUILD_A, db: MemberStore = members): Promise<FinalReply> =>
	(await answer({ ...incoming, locale: 'da' }, guildId, { store, cache, members: db })).data;
/** The same, with whether it is a new message or an edit of the one the button sits on. */
const danishOutcome = (incoming: Incoming, guildId: string | null = GUILD_A, db: MemberStore = members): Promise<Outcome> =>
	dispatch({ ...incoming, locale: 'da', guildId }, { store, cache, logger: silent, members: db });

/** `/rate` with integer and boolean options, as Discord sends them. */
function rate(options: Record<string, string | number | boolean>, userId = USER): Incoming {
	const raw = Object.entries(options).map(([name, value]) => ({
		name,
		type: typeof value === 'string' ? 3 : typeof value === 'number' ? 4 : 5,
		value,
	}));
	return { type: 'command', name: 'rate', options: raw, userId, channelId: CHANNEL };
}
const submit = (customId: string, fields: readonly ModalField[], userId = USER): Incoming => ({
	type: 'modal',
	customId,
	fields,
	userId,
	channelId: CHANNEL,
});

/** An ephemeral message as finalizeReply shapes it. */
const ephemeral = (content: string, components: unknown[] = []) => ({
	allowed_mentions: { parse: [] },
	content,
	embeds: [],
	components,
	flags: MessageFlags.Ephemeral,
});
const update = (content: string): Outcome => ({
	kind: 'update',
	data: { allowed_mentions: { parse: [] }, content, embeds: [], components: [] },
});

describe('/rate in Danish', () => {
	const user = '100000000000000201';

	it('confirms a score with Danish buttons, says the previous one, and takes it back by button or remove:true', async () => {
		const buttons = [
			{
				type: ComponentType.ActionRow,
				components: [
					{
						type: ComponentType.Button,
						style: ButtonStyle.Primary,
						custom_id: `rt:w:pusher-ii-2004:${user}`,
						label: 'Skriv en anmeldelse',
					},
					{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `rt:x:pusher-ii-2004:${user}`, label: 'Fjern bedømmelse' },
				],
			},
		];
		expect(await danish(rate({ film: 'Pusher II', score: 8 }, user))).toEqual(
			ephemeral('Du gav **Pusher II (2004)** **8/10** i denne server.', buttons),
		);
		expect(await danish(rate({ film: 'Pusher II', score: 6 }, user))).toEqual(
			ephemeral('Du gav **Pusher II (2004)** **6/10** i denne server (før 8/10).', buttons),
		);
		expect((await danish(rate({ film: 'Pusher II', score: 6 }, user))).content).toBe(
			'Du gav **Pusher II (2004)** **6/10** i denne server (uændret).',
		);
		expect(await danishOutcome(click(`rt:x:pusher-ii-2004:${user}`, user))).toEqual(
			update('Din bedømmelse af **Pusher II (2004)** er fjernet (den var 6/10). En anmeldelse, du har skrevet af den, bliver stående.'),
		);
		expect(await danish(rate({ film: 'Pusher II', remove: true }, user))).toEqual(
			ephemeral('Du havde ikke bedømt **Pusher II (2004)** i denne server.'),
		);
	});

	it('asks for a score, and refuses one out of range, one beside remove, a DM and buttons not its own, in Danish', async () => {
		expect(await danish(rate({ film: 'Pusher' }))).toEqual(
			ephemeral('Giv en `karakter` fra 1 til 10, eller vælg `fjern` for at tage din bedømmelse tilbage.'),
		);
		expect(await danish(rate({ film: 'Pusher', score: 11 }))).toEqual(ephemeral('`karakter` skal være et helt tal fra 1 til 10.'));
		expect(await danish(rate({ film: 'Pusher', score: 7, remove: true }))).toEqual(
			ephemeral('Giv enten en `karakter` eller `fjern`, ikke begge dele.'),
		);
		const inDm = ephemeral(
			'Bedømmelser hører til en server: kør `/bedøm` i en server, hvor Marquee er, så tæller din bedømmelse dér. (`/glem-mig` virker overalt.)',
		);
		expect(await danish(rate({ film: 'Pusher', score: 7 }), null)).toEqual(inDm);
		expect(await danish(click(`rt:w:pusher-1996:${USER}`), null)).toEqual(inDm);
		expect(await danish(submit('rt:m:pusher-1996', [{ customId: 'body', value: 'God.' }]), null)).toEqual(inDm);
		expect(await danish(click(`rt:x:pusher-1996:${USER}`, OTHER_USER))).toEqual(
			ephemeral('Knapperne tilhører den, der kørte denne `/bedøm`. Kør selv `/bedøm` for at bedømme en film.'),
		);
		expect(await danish(click(`rt:q:pusher-1996:${USER}`))).toEqual(ephemeral('Den knap kender jeg ikke længere. Kør `/bedøm` igen.'));
		expect(await danish(click(`rt:w:gone-2020:${USER}`))).toEqual(
			ephemeral('Denne film er ikke længere i Marquees bibliotek. Kør `/bedøm` igen.'),
		);
	});

	it('says in Danish that nothing can be saved while the database is down', async () => {
		const ratings = ephemeral('Bedømmelser kan ikke gemmes lige nu; prøv igen om et minut.');
		expect(await danish(rate({ film: 'Pusher', score: 7 }), GUILD_A, down)).toEqual(ratings);
		expect(await danish(rate({ film: 'Pusher', remove: true }), GUILD_A, down)).toEqual(ratings);
		const reviews = ephemeral('Anmeldelser kan ikke gemmes lige nu; prøv igen om et minut.');
		expect(await danish(click(`rt:w:pusher-1996:${USER}`), GUILD_A, down)).toEqual(reviews);
		expect(await danish(submit('rt:m:pusher-1996', [{ customId: 'body', value: 'God.' }]), GUILD_A, down)).toEqual(reviews);
	});

	it('the review modal in Danish: empty, then pre-filled to edit; its answers, and its refusal with Danish numbers', async () => {
		const words = {
			title: 'Titel',
			body: 'Din anmeldelse',
			spoiler: 'Indeholder spoilere',
			hint: 'Skjules bag en spoilermarkering, indtil læseren klikker på den',
		};
		expect(await danishOutcome(click(`rt:w:pusher-ii-2004:${user}`, user))).toEqual(
			reviewModal('pusher-ii-2004', { ...words, heading: 'Anmeld Pusher II (2004)' }, { spoiler: false }),
		);
		const written = [
			{ customId: 'title', value: 'Tonny går i stykker' },
			{ customId: 'body', value: 'Scenen med faderen *knuser* dig.' },
			{ customId: 'spoiler', value: true },
		];
		expect(await danish(submit('rt:m:pusher-ii-2004', written, user))).toEqual(
			ephemeral('Din anmeldelse af **Pusher II (2004)** er gemt i denne server, markeret med spoileradvarsel.'),
		);
		expect(await danishOutcome(click(`rt:w:pusher-ii-2004:${user}`, user))).toEqual(
			reviewModal(
				'pusher-ii-2004',
				{ ...words, heading: 'Ret din anmeldelse af Pusher II (2004)' },
				{ title: 'Tonny går i stykker', body: 'Scenen med faderen *knuser* dig.', spoiler: true },
			),
		);
		expect(await danish(submit('rt:m:pusher-ii-2004', [{ customId: 'body', value: 'Bedre anden gang.' }], user))).toEqual(
			ephemeral('Din anmeldelse af **Pusher II (2004)** er opdateret i denne server.'),
		);
		expect(await danish(submit('rt:m:pusher-ii-2004', [{ customId: 'body', value: '   ' }], user))).toEqual(
			ephemeral('Din anmeldelse blev ikke gemt: den skal have en tekst på 1 til 4.000 tegn og en titel på højst 100 tegn.'),
		);
	});
});

describe('/top in Danish', () => {
	const top = (minRatings?: number): Incoming => ({
		type: 'command',
		name: 'top',
		options: minRatings === undefined ? [] : [{ name: 'min_ratings', type: 4, value: minRatings }],
		userId: USER,
		channelId: CHANNEL,
	});

	it('the list with Danish decimals and plurals, and its footer', async () => {
		expect((await danish(top(2))).embeds).toEqual([
			{
				title: 'Denne servers bedst bedømte film',
				description: '1. **Pusher (1996)** · **7,8** (gennemsnit 7,5 fra 2 bedømmelser)',
				color: 0x66cc33,
				footer: {
					text: 'Rangeret efter et bayesiansk gennemsnit: hver films bedømmelser plus 3 tænkte bedømmelser svarende til serverens gennemsnit på 8,1, så én 10/10 ikke topper listen · film med mindst 2 bedømmelser',
				},
			},
		]);
		expect((await danish(top())).embeds![0]!.description!.split('\n')[0]).toBe(
			'1. **Pusher II (2004)** · **8,5** (gennemsnit 10,0 fra 1 bedømmelse)',
		);
	});

	it('says in Danish when there is nothing to rank, a bad min_ratings, a DM, and a database that does not answer', async () => {
		expect((await danish(top(1000))).content).toBe('Ingen film har 1.000 eller flere bedømmelser i denne server endnu.');
		expect((await danish(top(), GUILD_B)).content).toBe('Intet medlem af denne server har bedømt en film endnu: start med `/bedøm`.');
		expect(await danish(top(), null)).toEqual(ephemeral('Bedømmelser hører til en server: kør `/top` i en server, hvor Marquee er.'));
		expect(await danish(top(), GUILD_A, down)).toEqual(
			ephemeral('Medlemmernes bedømmelser kan ikke læses lige nu; prøv igen om et minut.'),
		);
	});
});

describe('/member in Danish', () => {
	const member = (user: string): Incoming => ({
		type: 'command',
		name: 'member',
		options: [{ name: 'user', type: 6, value: user }],
		userId: USER,
		channelId: CHANNEL,
	});

	it("a member's ratings and review: Danish plurals, dates and footer; the review as written, behind its spoiler tag", async () => {
		expect((await danish(member(ALICE))).embeds).toEqual([
			{
				title: 'Bedømmelser og anmeldelser',
				description: [
					`<@${ALICE}> har bedømt 2 film og skrevet 1 anmeldelse i denne server.`,
					'',
					'**Pusher II (2004)** · ★ 10/10 · 9. feb. 2026',
					'**Pusher (1996)** · ★ 7/10 · 8. feb. 2026',
				].join('\n'),
				color: 0x66cc33,
				fields: [{ name: 'Tonny · ⚠️ Spoiler', value: '||Faderen \\*\\*dør\\*\\*.||\n— om *Pusher II (2004)* · ★ 10/10 · 9. feb. 2026' }],
				footer: { text: 'Gennemsnit 8,5/10 · nyeste først' },
			},
		]);
	});

	it('pages with Danish buttons and footer; refuses another user’s and unknown buttons in Danish', async () => {
		const first = await danish(member(BOB));
		expect(first.embeds![0]!.description!.split('\n')[0]).toBe(`<@${BOB}> har bedømt 17 film og skrevet 0 anmeldelser i denne server.`);
		expect(first.embeds![0]!.footer!.text).toBe('Gennemsnit 8,0/10 · side 1 af 2 · nyeste først');
		expect(buttonRows(first)).toEqual([
			[
				{ label: '◀ Forrige', id: `mb:p:0:${BOB}:${USER}`, disabled: true },
				{ label: '1 / 2', id: `mb:i:0:${BOB}:${USER}`, disabled: true },
				{ label: 'Næste ▶', id: `mb:n:1:${BOB}:${USER}`, disabled: false },
			],
		]);
		expect(await danish(click(`mb:n:1:${BOB}:${USER}`, OTHER_USER))).toEqual(
			ephemeral('Kun den, der kørte denne `/medlem`, kan bladre i siderne. Kør selv `/medlem` for at bladre.'),
		);
		expect(await danish(click(`mb:z:1:${BOB}:${USER}`))).toEqual(
			ephemeral('Den knap kender jeg ikke længere. Kør `/medlem` igen for at få friske sider.'),
		);
	});

	it('says in Danish when a member has nothing here, in a DM, and while the database is down', async () => {
		expect((await danish(member(BOB), GUILD_B)).content).toBe(`<@${BOB}> har ikke bedømt eller anmeldt en film i denne server endnu.`);
		expect(await danish(member(ALICE), null)).toEqual(
			ephemeral('Bedømmelser hører til en server: kør `/medlem` i en server, hvor Marquee er.'),
		);
		expect(await danish(member(ALICE), GUILD_A, down)).toEqual(
			ephemeral('Medlemmernes bedømmelser kan ikke læses lige nu; prøv igen om et minut.'),
		);
	});
});

describe('/forget-me in Danish', () => {
	const user = '100000000000000202';

	it('asks first with Danish buttons; cancels, refuses another user, and deletes with Danish plurals', async () => {
		ok(await members.rate(GUILD_A, user, 'pusher-1996', 6));
		ok(await members.rate(GUILD_B, user, 'pusher-1996', 4));
		ok(await members.writeReview(GUILD_A, user, 'pusher-1996', { title: '', body: 'Kold og god.', spoiler: false }));
		expect(await danish({ type: 'command', name: 'forget-me', options: [], userId: user, channelId: CHANNEL }, null)).toEqual(
			ephemeral('Det her sletter alle de bedømmelser og anmeldelser, du har givet med Marquee, i alle servere. Det kan ikke fortrydes.', [
				{
					type: ComponentType.ActionRow,
					components: [
						{ type: ComponentType.Button, style: ButtonStyle.Danger, custom_id: `fm:y:${user}`, label: 'Slet alt' },
						{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `fm:n:${user}`, label: 'Annuller' },
					],
				},
			]),
		);
		expect(await danishOutcome(click(`fm:n:${user}`, user))).toEqual(update('Intet blev slettet.'));
		expect(await danish(click(`fm:y:${user}`, OTHER_USER))).toEqual(
			ephemeral('Kun den, der kørte denne `/glem-mig`, kan bekræfte den. Kør selv `/glem-mig` for at slette dine egne data.'),
		);
		expect(await danish(click('fm:q:1'))).toEqual(ephemeral('Den knap kender jeg ikke længere. Kør `/glem-mig` igen.'));
		expect(await danishOutcome(click(`fm:y:${user}`, user), null)).toEqual(
			update('2 bedømmelser og 1 anmeldelse fra dig er slettet i alle servere.'),
		);
		expect(await danishOutcome(click(`fm:y:${user}`, user))).toEqual(
			update('Der var intet at slette: du har ingen bedømmelser eller anmeldelser hos Marquee.'),
		);
		expect(await danish(click(`fm:y:${user}`, user), GUILD_A, down)).toEqual(
			ephemeral('Dine bedømmelser og anmeldelser kan ikke slettes lige nu; prøv igen om et minut.'),
		);
	});
});

describe('the members’ DM answers of /quote and /divisive in Danish', () => {
	it('name the Danish command to run in a server', async () => {
		expect(await danish(command('quote', { kind: 'member' }, 'random'), null)).toEqual(
			ephemeral('Medlemsanmeldelser hører til en server: kør `/citat tilfældigt slags:medlem` i en server, hvor Marquee er.'),
		);
		expect(await danish(command('divisive', { kind: 'server' }), null)).toEqual(
			ephemeral('Medlemmernes bedømmelser hører til en server: kør `/splittende slags:server` i en server, hvor Marquee er.'),
		);
	});
});
