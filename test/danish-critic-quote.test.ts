// `/critic` and `/quote random` in Danish, through dispatch as every transport calls it: the critic page's
// summary, fields and footer, every kind of quote (user, critic, member; with and without a film) and their
// notices. Review text, titles, film titles and names stay as written.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deps, Incoming } from '../src/discord/dispatch.js';
import { dispatch } from '../src/discord/dispatch.js';
import type { MemberStore } from '../src/members/store.js';
import type { FinalReply } from '../src/reply/respond.js';
import { CHANNEL, command, criticReview, expectValid, film, memoryCache, seedStore, silent, storeOf, USER } from './helpers.js';
import { ALICE, answer, GUILD_A, ok, openMembers } from './member-views.js';

async function deps(over: Partial<Deps> = {}): Promise<Deps> {
	return { store: await seedStore(), cache: await memoryCache(), logger: silent, random: () => 0, ...over };
}

/** The reply to `incoming` sent by a user whose Discord speaks Danish. */
async function danish(incoming: Incoming, d?: Deps): Promise<FinalReply> {
	const reply = expectValid(await dispatch({ ...incoming, locale: 'da' }, d ?? (await deps())));
	if (reply === undefined) throw new Error('no reply');
	return reply;
}

const MURRAY =
	'As Refn counts down the days and ratchets up the tension, Pusher shifts from a subdued lowlife sketch, with lots of raunchy conversation between Buric and his horndog ex-con buddy Mads Mikkelsen, to a nail-biting look at a man running out of options.';

/** One critic with twelve scored reviews, one a film: more than a page shows, so the footer says how many. */
const prolific = () =>
	storeOf(
		Array.from({ length: 12 }, (_, i) =>
			film(`f${i}`, `Film ${i}`, {
				criticReviews: [
					criticReview(`f${i}`, 1, {
						critic: 'Noel Murray',
						credit: 'Noel Murray',
						excerpt: `Excerpt ${i}.`,
						date: `${2010 + i}-02-01`,
						score: 50 + i,
					}),
				],
			}),
		),
	);

describe('/critic in Danish', () => {
	it('Noel Murray: the count in Danish, the date the Danish way, the excerpt as written', async () => {
		expect((await danish(command('critic', { name: 'Noel Murray' }))).embeds).toEqual([
			{
				title: 'Noel Murray',
				description: '1 anmeldelse af 1 film',
				color: 0x5865f2,
				fields: [{ name: 'Pusher (1996) · 15. jul. 2013', value: MURRAY }],
			},
		]);
	});

	it('a page of the newest ten: the mean score and the footer in Danish (and in English as before)', async () => {
		const d = await deps({ store: prolific() });
		const embed = (await danish(command('critic', { name: 'Noel Murray' }), d)).embeds![0]!;
		expect(embed.description).toBe('12 anmeldelser af 12 film · gennemsnitskarakter 56/100');
		expect(embed.fields![0]).toEqual({ name: 'Film 11 (2001) · 1. feb. 2021 · 61/100', value: 'Excerpt 11.' });
		expect(embed.footer).toEqual({ text: 'Viser de 10 nyeste af 12 anmeldelser' });
		// English and Danish pages are cached apart: the English one, drawn after the Danish, is English.
		const english = expectValid(await dispatch(command('critic', { name: 'Noel Murray' }), d))!.embeds![0]!;
		expect(english.description).toBe('12 reviews across 12 films · mean score 56/100');
		expect(english.footer).toEqual({ text: 'Showing the 10 newest of 12 reviews' });
	});

	it('an unattributed credit says so in Danish', async () => {
		expect((await danish(command('critic', { name: 'staff' }))).embeds![0]!.description).toBe(
			'1 anmeldelse af 1 film · en kreditering uden navn: siden nævner ingen kritiker',
		);
	});

	it('an unknown critic with no name near it', async () => {
		expect((await danish(command('critic', { name: 'Zzqq' }))).content).toBe('Jeg kender ingen kritiker, der hedder »Zzqq«.');
	});

	it('autocompletes critics with their count of reviews in Danish', async () => {
		const incoming: Incoming = {
			type: 'autocomplete',
			name: 'critic',
			options: [],
			focused: { name: 'name', value: 'mur' },
			userId: USER,
			channelId: CHANNEL,
			locale: 'da',
		};
		expect(await dispatch(incoming, await deps())).toEqual({
			kind: 'choices',
			choices: [{ name: 'Noel Murray · 1 anmeldelse', value: 'Noel Murray' }],
		});
	});
});

describe('/quote random in Danish', () => {
	it('a user review of a film: its fields and footer in Danish, the words and the title as written', async () => {
		expect((await danish(command('quote', { film: 'Pusher II', kind: 'user' }, 'random'))).embeds).toEqual([
			{
				description:
					"“Nicolas Winding Refn's Pusher 1-3 is my favorite trilogy of danish film history. Pusher II (2004) is the best part of it.”\n— **UlrikSander** om *Pusher II (2004)*",
				color: 0x66cc33,
				fields: [
					{ name: 'Bedømmelse', value: '★ 8/10', inline: true },
					{ name: 'Dato', value: '11. mar. 2006', inline: true },
					{ name: 'Fra anmeldelsen', value: "Nicolas Winding Refn's Pusher 2 is even better than the first one", inline: false },
				],
				footer: { text: 'Brugeranmeldelse · Pusher II (2004)' },
			},
		]);
	});

	it('a spoiler review is labelled in Danish', async () => {
		// kristianbk's is the 5th user review of Pusher II: random 4/25 picks it.
		const embed = (
			await danish(command('quote', { film: 'pusher 2', kind: 'user' }, 'random'), await deps({ random: () => 4 / 25 + 0.001 }))
		).embeds![0]!;
		expect(embed.title).toBe('⚠️ Spoiler: denne anmeldelse advarer om spoilere');
		expect(embed.description).toMatch(/^\|\|“[^|]+”\|\|\n— \*\*kristianbk\*\* om \*Pusher II \(2004\)\*$/);
	});

	it('a critic review, of any film: score, band and date in Danish', async () => {
		expect((await danish(command('quote', { kind: 'critic' }, 'random'))).embeds).toEqual([
			{
				description: `“${MURRAY}”\n— **Noel Murray** om *Pusher (1996)*`,
				color: 0x5865f2,
				fields: [
					{ name: 'Karakter', value: 'ingen karakter', inline: true },
					{ name: 'Dato', value: '15. jul. 2013', inline: true },
				],
				footer: { text: 'Kritikeranmeldelse · Pusher (1996)' },
			},
		]);
		const uncredited = (await danish(command('quote', { kind: 'critic' }, 'random'), await deps({ random: () => 1 / 10 + 0.001 })))
			.embeds![0]!;
		expect(uncredited.fields).toEqual([
			{ name: 'Karakter', value: '80/100 (positiv)', inline: true },
			{ name: 'Dato', value: 'udateret', inline: true },
		]);
	});

	it('says in Danish when there is nothing of the kind to quote', async () => {
		expect((await danish(command('quote', { film: 'Pusher', kind: 'user' }, 'random'))).content).toBe(
			'Der er ingen brugeranmeldelser at citere fra den film endnu.',
		);
		expect((await danish(command('quote', { film: 'Pusher II', kind: 'critic' }, 'random'))).content).toBe(
			'Der er ingen kritikeranmeldelser at citere fra den film endnu.',
		);
		const empty = await deps({ store: storeOf([film('silent', 'Silent')]) });
		expect((await danish(command('quote', {}, 'random'), empty)).content).toBe('Der er ingen anmeldelser at citere endnu.');
		expect(expectValid(await dispatch(command('quote', {}, 'random'), empty))!.content).toBe('There are no reviews to quote yet.');
	});
});

describe('/quote random kind:member in Danish', () => {
	let members: MemberStore;
	beforeAll(async () => {
		members = await openMembers();
		ok(await members.rate(GUILD_A, ALICE, 'pusher-ii-2004', 9));
		ok(
			await members.writeReview(GUILD_A, ALICE, 'pusher-ii-2004', {
				title: 'Tonny',
				body: 'Mads Mikkelsen carries the whole film on his shaved head.',
				spoiler: false,
			}),
		);
	});

	const quote = async (options: Record<string, string>, over: { members?: MemberStore } = {}) =>
		(
			await answer({ ...command('quote', options, 'random'), locale: 'da' }, GUILD_A, {
				store: await seedStore(),
				cache: await memoryCache(),
				members,
				random: () => 0,
				...over,
			})
		).data;

	it('quotes a member review with its fields and footer in Danish', async () => {
		expect((await quote({ kind: 'member' })).embeds).toEqual([
			{
				description: `“Mads Mikkelsen carries the whole film on his shaved head.”\n— **<@${ALICE}>** om *Pusher II (2004)*`,
				color: 0x66cc33,
				fields: [
					{ name: 'Bedømmelse', value: '★ 9/10', inline: true },
					{ name: 'Dato', value: '20. nov. 2026', inline: true },
					{ name: 'Fra anmeldelsen', value: 'Tonny', inline: false },
				],
				footer: { text: 'Medlemsanmeldelse · Pusher II (2004)' },
			},
		]);
	});

	it('says in Danish when no member has written one, and when the database does not answer', async () => {
		expect((await quote({ kind: 'member', film: 'Pusher' })).content).toBe(
			'Intet medlem af denne server har skrevet en anmeldelse af den film endnu: `/bedøm` en film for at skrive en.',
		);
		const closed = await openMembers();
		await closed.close();
		expect((await quote({ kind: 'member' }, { members: closed })).content).toBe(
			'Medlemmernes bedømmelser kan ikke læses lige nu; prøv igen om et minut.',
		);
	});
});
