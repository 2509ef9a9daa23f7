// Request-body validation for the fake Discord server:
// 1. Discord's OpenAPI description (zod schemas from `discord-api-spec/zod`); fields the spec does not declare are
//    reported as warnings (discord.js sends a few, e.g. `enforce_nonce`, `tts` on edits).
// 2. Discord's documented limits (content, embeds, components, autocomplete choices, modals).
// 3. `allowed_mentions` policy: present and suppressing every ping.
// 4. Spoilers as Discord's markdown reads them (discord-markdown-parser): none left open, none closed early.
// Bodies come in as `unknown`; a body that matched its spec schema is narrowed to its discord-api-types type by the
// guards at the end (`isCallbackBody`, ...), never cast.
import {
	ApplicationCommandAutocompleteCallbackRequestSchema,
	ApplicationCommandCreateRequestSchema,
	ApplicationCommandPatchRequestPartialSchema,
	ApplicationCommandUpdateRequestSchema,
	CreateMessageInteractionCallbackRequestSchema,
	IncomingWebhookRequestPartialSchema,
	IncomingWebhookUpdateRequestPartialSchema,
	LaunchActivityInteractionCallbackRequestSchema,
	ModalInteractionCallbackRequestSchema,
	PongInteractionCallbackRequestSchema,
	UpdateMessageInteractionCallbackRequestSchema,
} from 'discord-api-spec/zod';
import type {
	APIInteractionResponse,
	RESTPostAPIApplicationCommandsJSONBody,
	RESTPostAPIWebhookWithTokenJSONBody,
} from 'discord-api-types/v10';
import { rulesExtended, SimpleMarkdown } from 'discord-markdown-parser';
import { z, type ZodMiniType } from 'zod/mini';

export interface Findings {
	violations: string[];
	warnings: string[];
}

export function emptyFindings(): Findings {
	return { violations: [], warnings: [] };
}

/** Number of characters as Discord counts them (Unicode code points). */
export function charLength(value: unknown): number {
	if (typeof value !== 'string') return 0;
	let n = 0;
	for (const _ of value) n++;
	return n;
}

function formatPath(path: readonly PropertyKey[]): string {
	if (path.length === 0) return '(body)';
	return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

type Issue = z.core.$ZodIssue;

function formatIssue(issue: Issue): string {
	const where = formatPath(issue.path);
	const parts: string[] = [issue.code];
	if ('maximum' in issue) parts.push(`maximum ${String(issue.maximum)}`);
	if ('minimum' in issue) parts.push(`minimum ${String(issue.minimum)}`);
	if ('expected' in issue) parts.push(`expected ${String(issue.expected)}`);
	if ('values' in issue) parts.push(`allowed ${issue.values.map(String).join('|')}`);
	if (issue.code === 'invalid_union') {
		// Report the closest alternative (fewest issues) instead of every branch.
		const best = issue.errors.reduce<Issue[] | undefined>((a, b) => (a === undefined || b.length < a.length ? b : a), undefined);
		if (best && best.length > 0) {
			return best.map((sub) => formatIssue({ ...sub, path: [...issue.path, ...sub.path] })).join('; ');
		}
	}
	return `${where}: ${parts.join(', ')}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` if it is an array, else an empty one. */
export function arrayOf(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

/** The property `key` of `value` if `value` is an object. */
export function prop(value: unknown, key: string): unknown {
	return isPlainObject(value) ? value[key] : undefined;
}

/** Paths of keys present in `value` that `schema` does not declare. */
export function undeclaredKeys(schema: z.core.$ZodType, value: unknown, path = '', depth = 0): string[] {
	const c = z.core;
	if (depth > 40) return [];
	const inner = (next: z.core.$ZodType): string[] => undeclaredKeys(next, value, path, depth + 1);
	if (schema instanceof c.$ZodLazy) return inner(schema._zod.def.getter());
	if (
		schema instanceof c.$ZodOptional ||
		schema instanceof c.$ZodNullable ||
		schema instanceof c.$ZodNonOptional ||
		schema instanceof c.$ZodDefault ||
		schema instanceof c.$ZodPrefault ||
		schema instanceof c.$ZodReadonly ||
		schema instanceof c.$ZodCatch
	) {
		if (value === undefined || value === null) return [];
		return inner(schema._zod.def.innerType);
	}
	if (schema instanceof c.$ZodPipe) return inner(schema._zod.def.in);
	if (schema instanceof c.$ZodObject) {
		if (!isPlainObject(value)) return [];
		const shape: Readonly<Record<string, z.core.$ZodType>> = schema._zod.def.shape;
		const out: string[] = [];
		for (const [key, child] of Object.entries(value)) {
			const childPath = path ? `${path}.${key}` : key;
			const declared = shape[key];
			if (declared === undefined) out.push(childPath);
			else out.push(...undeclaredKeys(declared, child, childPath, depth + 1));
		}
		return out;
	}
	if (schema instanceof c.$ZodArray) {
		if (!Array.isArray(value)) return [];
		const element = schema._zod.def.element;
		return value.flatMap((item, i) => undeclaredKeys(element, item, `${path}[${i}]`, depth + 1));
	}
	if (schema instanceof c.$ZodRecord) {
		if (!isPlainObject(value)) return [];
		const valueType = schema._zod.def.valueType;
		return Object.entries(value).flatMap(([k, v]) => undeclaredKeys(valueType, v, `${path}.${k}`, depth + 1));
	}
	if (schema instanceof c.$ZodUnion) {
		const options = schema._zod.def.options;
		const matching = options.filter((o) => z.safeParse(o, value).success);
		const candidates = matching.length > 0 ? matching : options;
		let best: string[] | undefined;
		for (const candidate of candidates) {
			const found = inner(candidate);
			if (best === undefined || found.length < best.length) best = found;
			if (best.length === 0) break;
		}
		return best ?? [];
	}
	if (schema instanceof c.$ZodIntersection) return [...inner(schema._zod.def.left), ...inner(schema._zod.def.right)];
	return [];
}

/** Validates `body` against one or more alternative schemas (anyOf); true when one matched. */
export function checkSchema(
	route: string,
	schemaName: string,
	schemas: readonly ZodMiniType[],
	body: unknown,
	findings: Findings,
): boolean {
	let bestIssues: Issue[] | undefined;
	const matched: ZodMiniType[] = [];
	for (const schema of schemas) {
		const result = schema.safeParse(body);
		if (result.success) {
			matched.push(schema);
			continue;
		}
		if (matched.length === 0 && (bestIssues === undefined || result.error.issues.length < bestIssues.length))
			bestIssues = result.error.issues;
	}
	if (matched.length === 0) {
		for (const issue of bestIssues ?? []) {
			findings.violations.push(`${route}: does not match ${schemaName}: ${formatIssue(issue)}`);
		}
		return false;
	}
	let fewest: string[] | undefined;
	for (const schema of matched) {
		const keys = undeclaredKeys(schema, body);
		if (fewest === undefined || keys.length < fewest.length) fewest = keys;
	}
	for (const key of fewest ?? []) {
		findings.warnings.push(`${route}: field "${key}" is not declared by ${schemaName}`);
	}
	return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Documented limits

export const Limits = {
	content: 2000,
	embeds: 10,
	embedTitle: 256,
	embedDescription: 4096,
	embedFields: 25,
	fieldName: 256,
	fieldValue: 1024,
	footerText: 2048,
	authorName: 256,
	embedTotal: 6000,
	actionRows: 5,
	componentsPerRow: 5,
	customId: 100,
	buttonLabel: 80,
	choices: 25,
	choiceName: 100,
	choiceValue: 100,
	modalTitle: 45,
	modalComponents: 5,
	labelText: 45,
	labelDescription: 100,
	textInputLength: 4000,
} as const;

const IS_COMPONENTS_V2 = 1 << 15;

function walkComponents(components: unknown, visit: (component: Record<string, unknown>) => void): void {
	if (!Array.isArray(components)) return;
	for (const component of components) {
		if (!isPlainObject(component)) continue;
		visit(component);
		walkComponents(component['components'], visit);
		const accessory = component['accessory'];
		if (isPlainObject(accessory)) walkComponents([accessory], visit);
	}
}

/**
 * Checks message data (content, embeds, components) against Discord's documented limits.
 * `creating` additionally rejects empty messages.
 */
export function checkMessageLimits(route: string, data: unknown, creating: boolean, findings: Findings): void {
	const v = (msg: string): void => {
		findings.violations.push(`${route}: ${msg}`);
	};
	if (!isPlainObject(data)) {
		if (creating) v('message data is missing');
		return;
	}
	const content = data['content'];
	if (content !== undefined && content !== null) {
		if (typeof content !== 'string') v('content must be a string');
		else if (charLength(content) > Limits.content) v(`content is ${charLength(content)} characters (limit ${Limits.content})`);
	}

	const embeds = data['embeds'];
	if (embeds !== undefined && embeds !== null) {
		if (!Array.isArray(embeds)) v('embeds must be an array');
		else {
			if (embeds.length > Limits.embeds) v(`${embeds.length} embeds (limit ${Limits.embeds})`);
			let total = 0;
			embeds.forEach((embed: unknown, i: number) => {
				const at = `embeds[${i}]`;
				if (!isPlainObject(embed)) {
					v(`${at} must be an object`);
					return;
				}
				const title = charLength(embed['title']);
				const description = charLength(embed['description']);
				if (title > Limits.embedTitle) v(`${at}.title is ${title} characters (limit ${Limits.embedTitle})`);
				if (description > Limits.embedDescription) v(`${at}.description is ${description} characters (limit ${Limits.embedDescription})`);
				total += title + description;
				const fields = embed['fields'];
				if (Array.isArray(fields)) {
					if (fields.length > Limits.embedFields) v(`${at} has ${fields.length} fields (limit ${Limits.embedFields})`);
					fields.forEach((field: unknown, j: number) => {
						const name = prop(field, 'name');
						const value = prop(field, 'value');
						if (typeof name !== 'string' || name.trim() === '') v(`${at}.fields[${j}].name is empty`);
						if (typeof value !== 'string' || value.trim() === '') v(`${at}.fields[${j}].value is empty`);
						const nameLength = charLength(name);
						const valueLength = charLength(value);
						if (nameLength > Limits.fieldName) v(`${at}.fields[${j}].name is ${nameLength} characters (limit ${Limits.fieldName})`);
						if (valueLength > Limits.fieldValue) v(`${at}.fields[${j}].value is ${valueLength} characters (limit ${Limits.fieldValue})`);
						total += nameLength + valueLength;
					});
				}
				const footer = charLength(prop(embed['footer'], 'text'));
				if (footer > Limits.footerText) v(`${at}.footer.text is ${footer} characters (limit ${Limits.footerText})`);
				const author = charLength(prop(embed['author'], 'name'));
				if (author > Limits.authorName) v(`${at}.author.name is ${author} characters (limit ${Limits.authorName})`);
				total += footer + author;
			});
			if (total > Limits.embedTotal) v(`embeds total ${total} characters (limit ${Limits.embedTotal} per message)`);
		}
	}

	const components = data['components'];
	const flags = typeof data['flags'] === 'number' ? data['flags'] : 0;
	if (components !== undefined && components !== null) {
		if (!Array.isArray(components)) v('components must be an array');
		else {
			if ((flags & IS_COMPONENTS_V2) === 0) {
				if (components.length > Limits.actionRows) v(`${components.length} action rows (limit ${Limits.actionRows})`);
				components.forEach((row: unknown, i: number) => {
					const rowType = prop(row, 'type');
					if (rowType !== 1) {
						v(`components[${i}] is type ${String(rowType)}, top-level components must be action rows (type 1) without IS_COMPONENTS_V2`);
						return;
					}
					const children = arrayOf(prop(row, 'components'));
					if (children.length === 0) v(`components[${i}] is an empty action row`);
					const buttons = children.filter((c) => prop(c, 'type') === 2).length;
					if (buttons > Limits.componentsPerRow) v(`components[${i}] has ${buttons} buttons (limit ${Limits.componentsPerRow})`);
					if (children.length > Limits.componentsPerRow)
						v(`components[${i}] has ${children.length} components (limit ${Limits.componentsPerRow})`);
					const selects = children.filter((c) => [3, 5, 6, 7, 8].includes(Number(prop(c, 'type')))).length;
					if (selects > 0 && children.length > 1) v(`components[${i}]: a select menu must be alone in its action row`);
				});
			}
			const seen = new Map<string, number>();
			walkComponents(components, (component) => {
				const customId = component['custom_id'];
				if (component['type'] === 2) {
					const style = component['style'];
					if (style === 5) {
						if (typeof component['url'] !== 'string') v('link button without url');
						if (customId !== undefined) v('link button must not have a custom_id');
					} else if (style === 6) {
						if (typeof component['sku_id'] !== 'string') v('premium button without sku_id');
					} else if (typeof customId !== 'string') {
						v(`button "${String(component['label'])}" has no custom_id`);
					}
					const label = charLength(component['label']);
					if (label > Limits.buttonLabel) v(`button label is ${label} characters (limit ${Limits.buttonLabel})`);
				}
				if (typeof customId === 'string') {
					const length = charLength(customId);
					if (length === 0) v('custom_id is empty');
					if (length > Limits.customId) v(`custom_id "${customId.slice(0, 30)}…" is ${length} characters (limit ${Limits.customId})`);
					seen.set(customId, (seen.get(customId) ?? 0) + 1);
				}
			});
			for (const [customId, count] of seen) {
				if (count > 1) v(`custom_id "${customId}" is used ${count} times (must be unique within the message)`);
			}
		}
	}

	if (creating) {
		const hasContent = typeof content === 'string' && content.length > 0;
		const hasEmbeds = Array.isArray(embeds) && embeds.length > 0;
		const hasComponents = Array.isArray(components) && components.length > 0;
		const hasAttachments = Array.isArray(data['attachments']) && data['attachments'].length > 0;
		const hasPoll = isPlainObject(data['poll']);
		const hasStickers = Array.isArray(data['sticker_ids']) && data['sticker_ids'].length > 0;
		if (!hasContent && !hasEmbeds && !hasComponents && !hasAttachments && !hasPoll && !hasStickers) {
			v('cannot send an empty message (no content, embeds, components, attachments or poll)');
		}
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Spoilers, as Discord reads markdown

export type MarkdownNode = { type: string; content?: unknown };

function isMarkdownNode(value: unknown): value is MarkdownNode {
	return isPlainObject(value) && typeof value['type'] === 'string';
}

/** The nodes inside `node` (a spoiler's, a bold's...), or undefined for a leaf (text, a line break). */
function childNodes(node: MarkdownNode): MarkdownNode[] | undefined {
	return Array.isArray(node.content) ? arrayOf(node.content).filter(isMarkdownNode) : undefined;
}

/**
 * Discord's markdown (simple-markdown with Discord's rules; embeds allow masked links, so the extended set), with
 * one change: an escape (`\|`) becomes an `escape` node rather than plain `text`, so a check can tell it from a raw bar.
 */
const discordParser = SimpleMarkdown.parserFor({
	...rulesExtended,
	escape: { ...rulesExtended['escape']!, parse: (capture) => ({ content: capture[1] }) },
});

export function markdown(text: string): MarkdownNode[] {
	return discordParser(text, { inline: true });
}

/** The text a reader sees of `nodes`: escapes undone, markup gone. */
export function shownText(nodes: readonly MarkdownNode[]): string {
	return nodes
		.map((n) => {
			if (typeof n.content === 'string') return n.content;
			const children = childNodes(n);
			if (children) return shownText(children);
			return n.type === 'br' || n.type === 'newline' ? '\n' : '';
		})
		.join('');
}

/**
 * What is wrong with the spoilers of `text` as Discord reads it: after an opening `||`, the first two adjacent bars of
 * the raw text close it, escaped or not. Two raw bars shown as text are a spoiler left open (or closed early, its real
 * closing tag then shows); a spoiler whose text ends in a raw backslash closed on an escaped bar (`\||`) it was meant to hide.
 */
export function spoilerProblems(text: string): string[] {
	const problems: string[] = [];
	const walk = (nodes: readonly MarkdownNode[]): void => {
		nodes.forEach((node, i) => {
			const before = nodes[i - 1];
			if (node.type === 'text' && before?.type === 'text' && String(before.content).endsWith('|') && String(node.content).startsWith('|')) {
				problems.push('"||" shown as text: a spoiler left open or closed early');
			}
			const children = childNodes(node);
			if (!children) return;
			const last = children.at(-1);
			if (node.type === 'spoiler' && last?.type === 'text' && String(last.content).endsWith('\\'))
				problems.push('a spoiler closed right after a backslash: on a bar it was meant to hide');
			walk(children);
		});
	};
	walk(markdown(text));
	return problems;
}

/** Every markdown text of a message (content, embed titles, descriptions, field names and values) keeps its spoilers closed. */
export function checkSpoilers(route: string, data: unknown, findings: Findings): void {
	if (!isPlainObject(data)) return;
	const texts: Array<[string, unknown]> = [['content', data['content']]];
	arrayOf(data['embeds']).forEach((embed, i) => {
		texts.push([`embeds[${i}].title`, prop(embed, 'title')], [`embeds[${i}].description`, prop(embed, 'description')]);
		arrayOf(prop(embed, 'fields')).forEach((f, j) =>
			texts.push([`embeds[${i}].fields[${j}].name`, prop(f, 'name')], [`embeds[${i}].fields[${j}].value`, prop(f, 'value')]),
		);
	});
	for (const [where, text] of texts) {
		if (typeof text !== 'string') continue;
		for (const problem of spoilerProblems(text))
			findings.violations.push(`${route}: ${where}: ${problem}: ${JSON.stringify(text.slice(0, 200))}`);
	}
}

/** `allowed_mentions` must be present and must not allow any ping. */
export function checkAllowedMentions(route: string, data: unknown, findings: Findings): void {
	const v = (msg: string): void => {
		findings.violations.push(`${route}: ${msg}`);
	};
	if (!isPlainObject(data)) return;
	const allowed = data['allowed_mentions'];
	if (allowed === undefined || allowed === null) {
		v('allowed_mentions is missing (must be present and suppress pings, e.g. {"parse":[]})');
		return;
	}
	if (!isPlainObject(allowed)) {
		v('allowed_mentions must be an object');
		return;
	}
	const parse = allowed['parse'];
	if (parse !== undefined && (!Array.isArray(parse) || parse.length > 0)) {
		v(`allowed_mentions.parse must be empty, got ${JSON.stringify(parse)}`);
	}
	for (const key of ['users', 'roles'] as const) {
		const list = allowed[key];
		if (list !== undefined && (!Array.isArray(list) || list.length > 0)) {
			v(`allowed_mentions.${key} must not list ids, got ${JSON.stringify(list)}`);
		}
	}
	if (allowed['replied_user'] === true) {
		findings.warnings.push(`${route}: allowed_mentions.replied_user is true`);
	}
}

export function checkAutocompleteChoices(route: string, data: unknown, findings: Findings): void {
	const v = (msg: string): void => {
		findings.violations.push(`${route}: ${msg}`);
	};
	const choices = prop(data, 'choices');
	if (!Array.isArray(choices)) {
		v('autocomplete response without a choices array');
		return;
	}
	if (choices.length > Limits.choices) v(`${choices.length} autocomplete choices (limit ${Limits.choices})`);
	choices.forEach((choice: unknown, i: number) => {
		const name = charLength(prop(choice, 'name'));
		if (name < 1 || name > Limits.choiceName) v(`choices[${i}].name is ${name} characters (must be 1-${Limits.choiceName})`);
		const value = prop(choice, 'value');
		if (typeof value === 'string') {
			if (charLength(value) > Limits.choiceValue) v(`choices[${i}].value is ${charLength(value)} characters (limit ${Limits.choiceValue})`);
		} else if (typeof value !== 'number') {
			v(`choices[${i}].value must be a string or number`);
		}
	});
}

// ---------------------------------------------------------------------------------------------------------------
// Modals

const TEXT_INPUT = 4;
const LABEL = 18;
const CHECKBOX = 23;

/**
 * A modal (callback type 9's data) against Discord's documented limits: custom_id 1-100, title 1-45, 1-5 Labels
 * (label 1-45, description ≤ 100) each wrapping a text input (no label of its own; min_length 0-4000, max_length
 * 1-4000, min ≤ max, a pre-filled value within max_length) or a checkbox; custom_ids unique. Action rows of text
 * inputs are deprecated in modals, and other Label contents are not modelled (the fake could not submit them).
 */
export function checkModal(route: string, data: unknown, findings: Findings): void {
	const v = (msg: string): void => {
		findings.violations.push(`${route}: modal ${msg}`);
	};
	if (!isPlainObject(data)) return v('data is missing');
	const customId = charLength(data['custom_id']);
	if (customId < 1 || customId > Limits.customId) v(`custom_id is ${customId} characters (must be 1-${Limits.customId})`);
	const title = charLength(data['title']);
	if (title < 1 || title > Limits.modalTitle) v(`title is ${title} characters (must be 1-${Limits.modalTitle})`);
	const components = arrayOf(data['components']);
	if (components.length < 1 || components.length > Limits.modalComponents)
		v(`has ${components.length} components (must be 1-${Limits.modalComponents})`);
	const seen = new Set<unknown>();
	components.forEach((label, i) => {
		const at = `components[${i}]`;
		const type = prop(label, 'type');
		if (type !== LABEL) return v(`${at} is type ${String(type)}; a modal's components must be Labels (type ${LABEL})`);
		const text = charLength(prop(label, 'label'));
		if (text < 1 || text > Limits.labelText) v(`${at}.label is ${text} characters (must be 1-${Limits.labelText})`);
		const description = charLength(prop(label, 'description'));
		if (description > Limits.labelDescription) v(`${at}.description is ${description} characters (limit ${Limits.labelDescription})`);
		const inner = prop(label, 'component');
		const innerType = prop(inner, 'type');
		const id = prop(inner, 'custom_id');
		if (seen.has(id)) v(`${at}.component: custom_id ${JSON.stringify(id)} is used twice`);
		seen.add(id);
		if (innerType === CHECKBOX) return;
		if (innerType !== TEXT_INPUT)
			return v(`${at}.component is type ${String(innerType)}; the fake models text inputs (${TEXT_INPUT}) and checkboxes (${CHECKBOX})`);
		if (prop(inner, 'label') !== undefined) v(`${at}.component: a text input inside a Label has no label of its own`);
		const min = prop(inner, 'min_length');
		const max = prop(inner, 'max_length');
		const length = (n: unknown, low: number): boolean =>
			typeof n === 'number' && Number.isInteger(n) && n >= low && n <= Limits.textInputLength;
		if (min !== undefined && !length(min, 0)) v(`${at}.component.min_length ${JSON.stringify(min)} is not 0-${Limits.textInputLength}`);
		if (max !== undefined && !length(max, 1)) v(`${at}.component.max_length ${JSON.stringify(max)} is not 1-${Limits.textInputLength}`);
		if (typeof min === 'number' && typeof max === 'number' && min > max) v(`${at}.component.min_length ${min} is over max_length ${max}`);
		const value = charLength(prop(inner, 'value'));
		const limit = typeof max === 'number' ? Math.min(max, Limits.textInputLength) : Limits.textInputLength;
		if (value > limit) v(`${at}.component.value is ${value} characters (max_length ${limit})`);
	});
}

const CALLBACK_SCHEMAS: Partial<Record<number, [string, ZodMiniType]>> = {
	1: ['PongInteractionCallbackRequest', PongInteractionCallbackRequestSchema],
	// 4/5 create a message (5 deferred, no body yet), 6/7 update the component's message (6 deferred).
	4: ['CreateMessageInteractionCallbackRequest', CreateMessageInteractionCallbackRequestSchema],
	5: ['CreateMessageInteractionCallbackRequest', CreateMessageInteractionCallbackRequestSchema],
	6: ['UpdateMessageInteractionCallbackRequest', UpdateMessageInteractionCallbackRequestSchema],
	7: ['UpdateMessageInteractionCallbackRequest', UpdateMessageInteractionCallbackRequestSchema],
	8: ['ApplicationCommandAutocompleteCallbackRequest', ApplicationCommandAutocompleteCallbackRequestSchema],
	9: ['ModalInteractionCallbackRequest', ModalInteractionCallbackRequestSchema],
	12: ['LaunchActivityInteractionCallbackRequest', LaunchActivityInteractionCallbackRequestSchema],
};

/** Every check of an interaction callback body (`type` is the callback type): schema, limits, mentions, spoilers, choices. */
export function checkCallback(label: string, type: unknown, body: unknown, findings: Findings): void {
	const entry = typeof type === 'number' ? CALLBACK_SCHEMAS[type] : undefined;
	if (!entry) {
		findings.violations.push(`${label}: unknown callback type ${String(type)}`);
		return;
	}
	checkSchema(label, entry[0], [entry[1]], body, findings);
	const data = prop(body, 'data');
	if (type === 4 || type === 7) {
		checkMessageLimits(label, data, type === 4, findings);
		checkAllowedMentions(label, data, findings);
		checkSpoilers(label, data, findings);
	}
	if (type === 8) checkAutocompleteChoices(label, data, findings);
	if (type === 9) checkModal(label, data, findings);
}

/** Checks of a webhook body: a follow-up (POST, creating) or an edit (PATCH). */
export function checkWebhookBody(label: string, body: unknown, creating: boolean, findings: Findings): void {
	if (creating)
		checkSchema(
			label,
			'IncomingWebhookRequestPartial',
			[IncomingWebhookRequestPartialSchema, IncomingWebhookUpdateRequestPartialSchema],
			body,
			findings,
		);
	else checkSchema(label, 'IncomingWebhookUpdateRequestPartial', [IncomingWebhookUpdateRequestPartialSchema], body, findings);
	checkMessageLimits(label, body, creating, findings);
	checkAllowedMentions(label, body, findings);
	checkSpoilers(label, body, findings);
}

// ---------------------------------------------------------------------------------------------------------------
// Guards: a body that matches Discord's spec for its route has the shape discord-api-types gives that route.

/** An interaction callback body that matches the spec schema of its `type`. */
export function isCallbackBody(body: unknown): body is APIInteractionResponse {
	const type = prop(body, 'type');
	const entry = typeof type === 'number' ? CALLBACK_SCHEMAS[type] : undefined;
	return entry !== undefined && entry[1].safeParse(body).success;
}

/** A follow-up body (POST /webhooks/:app/:token) that matches the spec. */
export function isFollowUpBody(body: unknown): body is RESTPostAPIWebhookWithTokenJSONBody {
	return IncomingWebhookRequestPartialSchema.safeParse(body).success || IncomingWebhookUpdateRequestPartialSchema.safeParse(body).success;
}

/**
 * An edit's body: a follow-up's message fields, each of which may be null (to clear it). (discord-api-types' own
 * edit type also admits `undefined` values, which JSON cannot carry.)
 */
export type EditBody = {
	[K in 'allowed_mentions' | 'attachments' | 'components' | 'content' | 'embeds' | 'flags']?: RESTPostAPIWebhookWithTokenJSONBody[K] | null;
};

/** An edit body (PATCH /webhooks/:app/:token/messages/:id) that matches the spec. */
export function isEditBody(body: unknown): body is EditBody {
	return IncomingWebhookUpdateRequestPartialSchema.safeParse(body).success;
}

/** One command of a bulk overwrite (PUT) that matches the spec. */
export function isCommandUpdate(body: unknown): body is RESTPostAPIApplicationCommandsJSONBody {
	return ApplicationCommandUpdateRequestSchema.safeParse(body).success;
}

/** A command creation (POST) that matches the spec. */
export function isCommandCreate(body: unknown): body is RESTPostAPIApplicationCommandsJSONBody {
	return ApplicationCommandCreateRequestSchema.safeParse(body).success;
}

/** A command edit (PATCH) that matches the spec. */
export function isCommandPatch(body: unknown): body is Partial<RESTPostAPIApplicationCommandsJSONBody> {
	return ApplicationCommandPatchRequestPartialSchema.safeParse(body).success;
}
