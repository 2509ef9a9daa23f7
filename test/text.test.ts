import { describe, expect, it } from 'vitest';
import { plural } from '../src/domain/text.js';

describe('plural', () => {
	it('singular for exactly one, the plural otherwise (zero included), an irregular plural when given', () => {
		expect([0, 1, 2].map((n) => plural(n, 'user review'))).toEqual(['0 user reviews', '1 user review', '2 user reviews']);
		expect([1, 3].map((n) => plural(n, 'person', 'people'))).toEqual(['1 person', '3 people']);
	});
});
