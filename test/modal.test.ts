// finalizeModal: any modal a handler builds leaves within Discord's limits, in the Label + TextInput / Checkbox shape.
import { ComponentType, TextInputStyle } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { dispatch, type Observed } from '../src/discord/dispatch.js';
import { finalizeModal } from '../src/reply/modal.js';
import { CHANNEL, memoryCache, seedStore, silent, USER } from './helpers.js';
import { titleLabel } from './member-views.js';

describe('finalizeModal', () => {
	it('builds Labels around text inputs and checkboxes, pre-filled', () => {
		expect(
			finalizeModal({
				customId: 'rt:m:pusher-1996',
				title: 'Review Pusher (1996)',
				fields: [
					{
						kind: 'text',
						customId: 'title',
						label: 'Title',
						style: 'short',
						required: false,
						maxLength: 100,
						value: 'Cold',
						placeholder: 'A headline',
					},
					{ kind: 'checkbox', customId: 'spoiler', label: 'Contains spoilers', description: 'Hidden until clicked', checked: true },
				],
			}),
		).toEqual({
			custom_id: 'rt:m:pusher-1996',
			title: 'Review Pusher (1996)',
			components: [
				titleLabel('Title', { value: 'Cold', placeholder: 'A headline' }),
				{
					type: ComponentType.Label,
					label: 'Contains spoilers',
					description: 'Hidden until clicked',
					component: { type: ComponentType.Checkbox, custom_id: 'spoiler', default: true },
				},
			],
		});
	});

	it('cuts the title and labels to 45 characters and descriptions to 100 on a word boundary, and fields to five, lengths to 0-4,000 and a pre-filled value to its maximum', () => {
		const long = 'word '.repeat(40);
		const text = (n: number) => ({
			kind: 'text' as const,
			customId: `f${n}`,
			label: long,
			description: long,
			style: 'paragraph' as const,
			required: true,
			minLength: 5000,
			maxLength: 9000,
			value: '🎬'.repeat(4100),
		});
		const modal = finalizeModal({ customId: 'x', title: long, fields: [1, 2, 3, 4, 5, 6].map(text) });
		expect(modal.title).toBe(`${'word '.repeat(7)}word…`);
		expect(modal.components).toHaveLength(5);
		const first = modal.components[0];
		if (first?.type !== ComponentType.Label || first.component.type !== ComponentType.TextInput)
			throw new Error('expected a Label holding a text input');
		expect([first.label, first.description]).toEqual([`${'word '.repeat(7)}word…`, `${'word '.repeat(18)}word…`]);
		expect([first.component.min_length, first.component.max_length, [...(first.component.value ?? '')].length]).toEqual([4000, 4000, 4000]);
		expect(
			finalizeModal({
				customId: 'x',
				title: '  ',
				fields: [{ ...text(1), label: '', minLength: -3, maxLength: 10, value: 'abcdefghijkl' }],
			}),
		).toEqual({
			custom_id: 'x',
			title: '…',
			components: [
				{
					type: ComponentType.Label,
					label: '…',
					description: `${'word '.repeat(18)}word…`,
					component: {
						type: ComponentType.TextInput,
						custom_id: 'f1',
						style: TextInputStyle.Paragraph,
						required: true,
						min_length: 0,
						max_length: 10,
						value: 'abcdefghij',
					},
				},
			],
		});
	});

	it('refuses a custom_id Discord would refuse, rather than send a modal that fails whole', () => {
		expect(() => finalizeModal({ customId: 'x'.repeat(101), title: 'T', fields: [] })).toThrow(
			'modal custom_id of 101 characters (1-100 allowed)',
		);
		expect(() =>
			finalizeModal({ customId: 'x', title: 'T', fields: [{ kind: 'checkbox', customId: '', label: 'L', checked: false }] }),
		).toThrow('modal custom_id of 0 characters (1-100 allowed)');
	});
});

describe('dispatching a modal submit', () => {
	it("refuses one Discord would not send, answers one no command owns, and counts one by its command's name", async () => {
		const observed: Observed[] = [];
		const deps = { store: await seedStore(), cache: await memoryCache(), logger: silent, observe: (o: Observed) => observed.push(o) };
		const submit = (
			customId: string,
			fields: { customId: string; value: string | boolean }[],
			guildId: string | null = '300000000000000001',
		) => dispatch({ type: 'modal', customId, fields, userId: USER, channelId: CHANNEL, guildId }, deps);
		const content = async (outcome: ReturnType<typeof submit>) => {
			const o = await outcome;
			return o.kind === 'reply' ? o.data.content : o.kind;
		};
		const refused = (why: string) => `That interaction didn't come as Discord sends them (${why}), so I didn't answer it.`;
		const field = { customId: 'body', value: 'Fine.' };
		expect(
			await content(
				submit(
					'rt:m:pusher-1996',
					Array.from({ length: 6 }, () => field),
				),
			),
		).toBe(refused('the modal has too many fields'));
		expect(await content(submit(`rt:m:${'x'.repeat(100)}`, [field]))).toBe(refused("the modal's custom id is too long"));
		expect(await content(submit('rt:m:pusher-1996', [{ customId: 'b'.repeat(101), value: 'Fine.' }]))).toBe(
			refused("a modal field's custom id is too long"),
		);
		expect(await content(submit('rt:m:pusher-1996', [field], 'guild'))).toBe(refused('the server id is not a Discord id'));
		expect(await content(submit('zz:1', [field]))).toBe("That form isn't one I recognise any more. Run the command again.");
		// Without a member store in its deps, dispatch hands handlers one that is always unavailable.
		expect(await content(submit('rt:m:pusher-1996', [field]))).toBe("Reviews can't be saved right now; try again in a minute.");
		expect(observed.map((o) => [o.type, o.command, o.result])).toEqual([
			['modal', 'rate', 'refused'],
			['modal', 'rate', 'refused'],
			['modal', 'rate', 'refused'],
			['modal', 'rate', 'refused'],
			['modal', 'unknown', 'user_error'],
			['modal', 'rate', 'user_error'],
		]);
	});
});
