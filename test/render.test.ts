import { describe, expect, it } from 'vitest';
import { unknownCritic, unknownFilm } from '../commands/render.js';

describe('unknown names', () => {
	it('a film with no close title: the autocomplete hint', () => {
		expect(unknownFilm('Zzqq', [])).toEqual({
			content: "I don't know a film called “Zzqq”. Try the autocomplete list as you type.",
			ephemeral: true,
		});
	});

	it('a critic: the closest credits, escaped, or nothing more when none is close; what was typed is escaped and cut', () => {
		expect(
			unknownCritic('Murr', [
				{ credit: 'Noel Murray', person: true, count: 1 },
				{ credit: 'Staff [Not Credited]', person: false, count: 1 },
			]),
		).toEqual({
			content: "I don't know a critic called “Murr”. Did you mean **Noel Murray**, **Staff \\[Not Credited]**?",
			ephemeral: true,
		});
		expect(unknownCritic(`@everyone ${'x'.repeat(200)}`, [])).toEqual({
			content: `I don't know a critic called “@\u200beveryone ${'x'.repeat(88)}…”.`,
			ephemeral: true,
		});
	});
});
