// finalizeReply itself: every Discord limit holds for any reply, the 6,000 total across all embeds of a message
// included (issue #9, item 8).
import type { APIEmbed } from 'discord-api-types/v10';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safe, spoilerTag } from '../src/reply/format.js';
import { Limits } from '../src/reply/limits.js';
import { finalizeReply, type FinalReply } from '../src/reply/respond.js';
import { checkMessageLimits, checkSpoilers, emptyFindings, markdown, type MarkdownNode, shownText } from './fake-discord/validate.js';

function violations(data: FinalReply, spoilers = true): string[] {
	const findings = emptyFindings();
	checkMessageLimits('reply', data, true, findings);
	if (spoilers) checkSpoilers('reply', data, findings);
	return findings.violations;
}

/** Characters of every embed together, as Discord counts them for its 6,000 limit. */
function total(data: FinalReply): number {
	return (data.embeds ?? []).reduce(
		(n, e) =>
			n +
			(e.title?.length ?? 0) +
			(e.description?.length ?? 0) +
			(e.footer?.text.length ?? 0) +
			(e.author?.name.length ?? 0) +
			(e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
		0,
	);
}

const words = (n: number): string => 'lorem ipsum dolor sit amet '.repeat(Math.ceil(n / 27)).slice(0, n);
const fullField = (i: number) => ({ name: `${i} ${words(Limits.fieldName)}`, value: words(Limits.fieldValue) });

describe('finalizeReply keeps all embeds of a message within 6,000 characters', () => {
	// Totals today: 6,081, 6,621 and 7,881. 25 full names alone pass 6,000: then the names give up a share too.
	it.each([
		[15, 100, 256],
		[20, 30, 256],
		[25, 30, 200],
	])('%i full fields: every field keeps a share of its value (over %i characters), none blank, names at most %i', (n, value, name) => {
		const data = finalizeReply({ embeds: [{ title: 'Many', fields: Array.from({ length: n }, (_, i) => fullField(i)) }] });
		expect(violations(data)).toEqual([]);
		expect(total(data)).toBeLessThanOrEqual(Limits.embedTotal);
		const fields = data.embeds![0]!.fields!;
		expect(fields).toHaveLength(n);
		for (const f of fields) {
			expect(f.value.length).toBeGreaterThan(value);
			expect(f.name.length).toBeLessThanOrEqual(name);
		}
	});

	it('three 4,000-character embeds share the total: each keeps a third of it', () => {
		const data = finalizeReply({ embeds: [1, 2, 3].map((i) => ({ title: `Embed ${i}`, description: words(4000) })) });
		expect(violations(data)).toEqual([]);
		expect(total(data)).toBeLessThanOrEqual(Limits.embedTotal);
		for (const e of data.embeds!) expect(e.description!.length).toBeGreaterThan(1900);
	});

	it('field names are shortened too when names alone pass the total; no field is dropped or blank', () => {
		const data = finalizeReply({
			embeds: Array.from({ length: 10 }, (_, e) => ({
				title: `Embed ${e}`,
				fields: Array.from({ length: 25 }, (_, i) => ({ name: `${i} ${words(300)}`, value: 'v' })),
			})),
		});
		expect(violations(data)).toEqual([]);
		expect(total(data)).toBeLessThanOrEqual(Limits.embedTotal);
		for (const e of data.embeds!) {
			expect(e.fields).toHaveLength(25);
			for (const f of e.fields!) expect(f.value).toBe('v');
		}
	});

	it('a spoiler cut by the total is closed again, and what shows of it stays inside', () => {
		const body = `${words(300)} ||| the butler did it ${words(3000)}`;
		const data = finalizeReply({ embeds: [{ description: words(5000) }, { description: spoilerTag(safe(body), 4096) }] });
		expect(violations(data)).toEqual([]);
		const [first, ...rest] = markdown(data.embeds![1]!.description!);
		expect(first?.type).toBe('spoiler');
		expect(rest).toEqual([]);
		const hidden = shownText((first?.content ?? []) as MarkdownNode[]);
		expect(body.startsWith(hidden.slice(0, -1))).toBe(true);
	});
});

const long = (unit: fc.Arbitrary<string>) =>
	fc
		.tuple(fc.string({ unit, minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 8000 }))
		.map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n));
/** Markdown as commands make it: escaped text, spoilers (an escaped body behind a tag) among it, of any size. */
const marked = fc.oneof(
	fc.string({ unit: fc.constantFrom('|', '\\', '*', '~', '_', '`', 'a', ' ', '\n', '\u200b'), maxLength: 80 }).map(safe),
	long(fc.constantFrom('|', '\\', '*', '~', '_', '`', 'a', ' ', '\n')).map(safe),
	fc
		.tuple(
			fc.string({ unit: fc.constantFrom('|', '\\', '*', '_', 'a', 'b', ' '), minLength: 1, maxLength: 30 }),
			fc.integer({ min: 1, max: 3000 }),
			fc.string({ maxLength: 30 }),
		)
		.map(([s, n, after]) => `${spoilerTag(safe(s.repeat(Math.ceil(n / s.length)).slice(0, n)), 6000)}\n${safe(after)}`),
);
/** Any text at all, some huge. */
const any = fc.oneof(
	fc.string({ maxLength: 60 }),
	fc.string({ unit: 'grapheme', maxLength: 300 }),
	long(fc.string({ minLength: 1, maxLength: 1 })),
	marked,
);

const embedOf = (text: fc.Arbitrary<string>): fc.Arbitrary<APIEmbed> =>
	fc.record(
		{
			title: text,
			description: text,
			fields: fc.array(fc.record({ name: text, value: text, inline: fc.boolean() }, { requiredKeys: ['name', 'value'] }), {
				maxLength: 30,
			}),
			footer: text.map((t) => ({ text: t })),
			author: text.map((name) => ({ name })),
		},
		{ requiredKeys: [] },
	);

/** The embeds finalizeReply made of `embeds` kept every field given (up to 25 an embed): each gave up a share instead. */
function expectEveryField(data: FinalReply, embeds: readonly APIEmbed[]): void {
	expect(data.embeds).toHaveLength(Math.min(embeds.length, Limits.embeds));
	data.embeds!.forEach((e, i) => expect(e.fields?.length ?? 0).toBe(Math.min(embeds[i]!.fields?.length ?? 0, Limits.embedFields)));
}

describe('property: finalizeReply on any reply', () => {
	it('any text: every limit holds, the total of all embeds included, and no field is blank or dropped', () => {
		fc.assert(
			fc.property(fc.array(embedOf(any), { maxLength: 12 }), fc.option(any, { nil: undefined }), (embeds, content) => {
				const data = finalizeReply({ embeds, ...(content === undefined ? {} : { content }) });
				expect(violations(data, false)).toEqual([]);
				expect(total(data)).toBeLessThanOrEqual(Limits.embedTotal);
				expectEveryField(data, embeds);
			}),
			{ numRuns: 100 },
		);
	});

	it('markdown as commands make it: the same, and every spoiler still closed after shrinking', () => {
		fc.assert(
			fc.property(fc.array(embedOf(marked), { maxLength: 12 }), fc.option(marked, { nil: undefined }), (embeds, content) => {
				const data = finalizeReply({ embeds, ...(content === undefined ? {} : { content }) });
				expect(violations(data)).toEqual([]);
				expect(total(data)).toBeLessThanOrEqual(Limits.embedTotal);
				expectEveryField(data, embeds);
			}),
			{ numRuns: 40 },
		);
	});
});
