// `/reviews` in Danish, through dispatch as every transport calls it: the seed overviews' fields, footers and
// buttons, a review page, the server block, and its notices. Review text, titles and authors stay as written.
import { describe, expect, it } from 'vitest';
import { serverFields } from '../commands/members-render.js';
import type { Deps, Incoming } from '../src/discord/dispatch.js';
import { dispatch } from '../src/discord/dispatch.js';
import type { FinalReply } from '../src/reply/respond.js';
import { click, command, expectValid, memoryCache, OTHER_USER, seedStore, silent } from './helpers.js';

async function deps(): Promise<Deps> {
	return { store: await seedStore(), cache: await memoryCache(), logger: silent };
}

/** The reply to `incoming` sent by a user whose Discord speaks Danish. */
async function danish(incoming: Incoming, d?: Deps): Promise<FinalReply> {
	const reply = expectValid(await dispatch({ ...incoming, locale: 'da' }, d ?? (await deps())));
	if (reply === undefined) throw new Error('no reply');
	return reply;
}

const labels = (reply: FinalReply, row: number): Array<string | undefined> => {
	const r = reply.components?.[row];
	return r && 'components' in r ? r.components.map((c) => ('label' in c ? c.label : undefined)) : [];
};

describe('/reviews in Danish', () => {
	it('Pusher II: the audience in Danish numbers and plurals, dates the Danish way, review text as written', async () => {
		const reply = await danish(command('reviews', { film: 'Pusher II' }));
		const embed = reply.embeds![0]!;
		expect(embed.title).toBe('Pusher II (2004)');
		expect(embed.fields![0]).toEqual({ name: 'Kritikere', value: 'Ingen kritikeranmeldelser af denne film endnu.' });
		expect(embed.fields![1]).toEqual({ name: 'Publikum', value: '**7,7/10** fra 24 bedømmelser · 25 anmeldelser her (af 44 på siden)' });
		expect(embed.fields![2]!.name).toBe("Mest hjælpsomme: Nicolas Winding Refn's Pusher 2 is even better than the first one");
		expect(embed.fields![2]!.value).toMatch(/\n— UlrikSander · ★ 8\/10 · 11\. mar\. 2006 · 54 af 62 fandt den hjælpsom$/);
		expect(embed.footer?.text).toBe('25 brugeranmeldelser at bladre i · mest hjælpsomme først');
		expect(labels(reply, 0)).toEqual(['Oversigt', '◀ Forrige', '25 anmeldelser', 'Næste ▶']);
		expect(labels(reply, 1)).toEqual(['Mest hjælpsomme', 'Nyeste', 'Højest bedømt']);
	});

	it('Pusher: the critics’ spread and mean in Danish (the site’s verdict as the site words it)', async () => {
		const reply = await danish(command('reviews', { film: 'pusher' }));
		expect(reply.embeds![0]!.fields).toEqual([
			{
				name: 'Kritikere',
				value:
					'Generally favorable · 11 kritikere · 9 positive · 2 blandede · 0 negative\nKritikernes gennemsnit **80/100** (1 med karakter)',
			},
			{ name: 'Publikum', value: 'Ingen brugeranmeldelser af denne film endnu.' },
		]);
		expect(reply.embeds![0]!.footer?.text).toBe('11 kritikeranmeldelser at bladre i · i sidens rækkefølge');
		expect(labels(reply, 1)).toEqual(['Sidens rækkefølge', 'Nyeste', 'Højest bedømt']);
	});

	it('a review page: its fields and footer in Danish; English and Danish pages are cached apart', async () => {
		const d = await deps();
		const english = expectValid(await dispatch(click('rv:n:pusher-ii-2004:uh:1:100000000000000001'), d));
		const page = await danish(click('rv:n:pusher-ii-2004:uh:1:100000000000000001'), d);
		const embed = page.embeds![0]!;
		expect(embed.fields).toEqual([
			{ name: 'Bedømmelse', value: '★ 8/10', inline: true },
			{ name: 'Dato', value: '11. mar. 2006', inline: true },
			{ name: 'Hjælpsom', value: '54 af 62 fandt den hjælpsom', inline: true },
		]);
		expect(embed.footer?.text).toBe('Pusher II (2004) · brugeranmeldelse 1 af 25 · mest hjælpsomme først');
		expect(english?.embeds![0]!.footer?.text).toBe('Pusher II (2004) · user review 1 of 25 · most helpful first');
		expect(labels(page, 0)).toEqual(['Oversigt', '◀ Forrige', '1 / 25', 'Næste ▶']);
	});

	it('the server block in Danish: the members’ mean, how many, and their reviews', () => {
		const histogram = [0, 0, 0, 0, 0, 0, 1, 0, 1, 0];
		expect(serverFields({ count: 2, mean: 8, histogram }, 1, 'da')[0]).toEqual({
			name: 'Denne server',
			value: '**8,0/10** fra 2 medlemmer · 1 medlemsanmeldelse',
		});
		expect(serverFields({ count: 0, mean: null, histogram: new Array<number>(10).fill(0) }, 0, 'da')).toEqual([
			{ name: 'Denne server', value: 'Intet medlem har bedømt denne film endnu: vær den første med `/bedøm`.' },
		]);
		expect(serverFields(undefined, 0, 'da')).toEqual([
			{ name: 'Denne server', value: 'Medlemmernes bedømmelser kan ikke hentes lige nu; prøv igen om et minut.' },
		]);
	});

	it('says in Danish that another user’s pages are not theirs to turn', async () => {
		const reply = await danish(click('rv:n:pusher-ii-2004:uh:1:100000000000000001', OTHER_USER));
		expect(reply.content).toBe('Kun den, der kørte denne `/anmeldelser`, kan bladre i siderne. Kør selv `/anmeldelser` for at bladre.');
	});
});
