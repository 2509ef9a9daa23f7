import { describe, expect, it } from 'vitest';
import { unknownCritic, unknownFilm } from '../commands/render.js';

describe('unknown names', () => {
	it('a film with no close title: the autocomplete hint', () => {
		expect(unknownFilm('en', 'Zzqq', [])).toEqual({
			content: "I don't know a film called “Zzqq”. Try the autocomplete list as you type.",
			ephemeral: true,
		});
	});

	it('a critic: the closest credits, escaped, or nothing more when none is close; what was typed is escaped and cut', () => {
		expect(
			unknownCritic('en', 'Murr', [
				{ credit: 'Noel Murray', person: true, count: 1 },
				{ credit: 'Staff [Not Credited]', person: false, count: 1 },
			]),
		).toEqual({
			content: "I don't know a critic called “Murr”. Did you mean **Noel Murray**, **Staff \\[Not Credited]**?",
			ephemeral: true,
		});
		expect(unknownCritic('en', `@everyone ${'x'.repeat(200)}`, [])).toEqual({
			content: `I don't know a critic called “@\u200beveryone ${'x'.repeat(88)}…”.`,
			ephemeral: true,
		});
	});

	it('in Danish: the same answers in the Danish catalogue’s words; what was typed and the names stay as they are', () => {
		expect(unknownFilm('da', 'Zzqq', [])).toEqual({
			content: 'Jeg kender ingen film, der hedder »Zzqq«. Brug forslagslisten, mens du skriver.',
			ephemeral: true,
		});
		expect(unknownCritic('da', 'Murr', [{ credit: 'Noel Murray', person: true, count: 1 }])).toEqual({
			content: 'Jeg kender ingen kritiker, der hedder »Murr«. Mente du **Noel Murray**?',
			ephemeral: true,
		});
	});
});
