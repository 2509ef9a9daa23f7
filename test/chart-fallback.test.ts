// When the chart cannot be drawn, /reviews still answers: the overview keeps its text histograms (the audience's and
// the server's), sends no file, and the failure is logged. The renderer is replaced by one that throws until told not to.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../src/discord/dispatch.js';
import type { ReviewStore } from '../src/domain/store.js';
import type { MemberStore } from '../src/members/store.js';
import { captureLogger, command, expectValid, memoryCache, seedStore, silent } from './helpers.js';
import { GUILD_A, openMembers, rateInA } from './member-views.js';

const renderer = vi.hoisted(() => ({ fails: true }));
vi.mock(import('../src/charts/png.js'), async (original) => {
	const real = await original();
	return {
		...real,
		svgToPng: (svg: string) => {
			if (renderer.fails) throw new Error('no renderer here');
			return real.svgToPng(svg);
		},
	};
});

let store: ReviewStore;
let members: MemberStore;
beforeAll(async () => {
	store = await seedStore();
	members = await openMembers();
	await rateInA(members);
});

describe('/reviews without a chart', () => {
	it('shows the text histograms, sends no file, and logs why', async () => {
		const { logger, lines } = captureLogger();
		const outcome = await dispatch(
			{ ...command('reviews', { film: 'Pusher II' }), guildId: GUILD_A },
			{ store, cache: await memoryCache(), logger, members },
		);
		const data = expectValid(outcome)!;
		const embed = data.embeds![0]!;
		expect(embed.fields!.slice(0, 5).map((f) => f.name)).toEqual(['Critics', 'Audience', 'Ratings', 'This server', 'Server ratings']);
		expect(embed.fields![2]!.value.split('\n')).toEqual([
			'```',
			'10 █████░░░░░░░ 3',
			' 9 ███████░░░░░ 4',
			' 8 ██████████░░ 6',
			' 7 ████████████ 7',
			' 6 ███░░░░░░░░░ 2',
			' 5 ██░░░░░░░░░░ 1',
			' 4 ██░░░░░░░░░░ 1',
			' 3 ░░░░░░░░░░░░ 0',
			' 2 ░░░░░░░░░░░░ 0',
			' 1 ░░░░░░░░░░░░ 0',
			'```',
		]);
		expect(embed.fields![4]!.value.split('\n')).toEqual([
			'```',
			'10 ░░░░░░░░░░░░ 0',
			' 9 ████████████ 1',
			' 8 ████████████ 1',
			' 7 ████████████ 1',
			' 6 ░░░░░░░░░░░░ 0',
			' 5 ░░░░░░░░░░░░ 0',
			' 4 ░░░░░░░░░░░░ 0',
			' 3 ░░░░░░░░░░░░ 0',
			' 2 ░░░░░░░░░░░░ 0',
			' 1 ░░░░░░░░░░░░ 0',
			'```',
		]);
		expect(embed.image).toBeUndefined();
		expect(data.files).toEqual([]);
		expect(data.attachments).toEqual([]);
		const warning = lines.find((line) => line['msg'] === 'could not draw the rating chart; the overview shows its text histogram');
		expect(warning).toMatchObject({ level: 40, film: 'pusher-ii-2004', err: { message: 'no renderer here' } });
	});

	it('an overview cached with its text histogram is not the one shown beside a chart drawn later', async () => {
		const deps = { store, cache: await memoryCache(), logger: silent, members };
		const ask = async () => expectValid(await dispatch({ ...command('reviews', { film: 'Pusher II' }), locale: 'da' }, deps))!;
		const text = await ask();
		expect(text.embeds![0]!.fields!.slice(0, 3).map((f) => f.name)).toEqual(['Kritikere', 'Publikum', 'Bedømmelser']);
		renderer.fails = false;
		const charted = await ask();
		expect(charted.embeds![0]!.fields!.slice(0, 3).map((f) => f.name)).toEqual([
			'Kritikere',
			'Publikum',
			"Mest hjælpsomme: Nicolas Winding Refn's Pusher 2 is even better than the first one",
		]);
		expect(charted.embeds![0]!.image).toEqual({ url: 'attachment://ratings.png' });
		expect(charted.files?.map((f) => f.name)).toEqual(['ratings.png']);
	});
});
