// A modal the console was asked to open: shown as a list of its fields, and filled in by `/submit field:value ...`.
import { ComponentType, TextInputStyle } from 'discord-api-types/v10';
import { type Locale, t, whole } from '../i18n/index.js';
import type { FinalModal, ModalField } from '../reply/modal.js';
import { splitPairs } from './parse.js';

/** One field of an open modal, as the console reads it. */
interface FormField {
	readonly customId: string;
	readonly label: string;
	readonly kind: 'text' | 'checkbox';
	readonly required: boolean;
	readonly maxLength: number;
	/** What Discord would submit untouched: the pre-filled text, or the checkbox's default. */
	readonly initial: string | boolean;
	readonly multiline: boolean;
}

function formFields(modal: FinalModal): FormField[] {
	const fields: FormField[] = [];
	for (const top of modal.components) {
		if (top.type !== ComponentType.Label) continue;
		const c = top.component;
		if (c.type === ComponentType.Checkbox)
			fields.push({
				customId: c.custom_id,
				label: top.label,
				kind: 'checkbox',
				required: false,
				maxLength: 0,
				initial: c.default === true,
				multiline: false,
			});
		if (c.type === ComponentType.TextInput) {
			fields.push({
				customId: c.custom_id,
				label: top.label,
				kind: 'text',
				required: c.required !== false,
				maxLength: c.max_length ?? 4000,
				initial: c.value ?? '',
				multiline: c.style === TextInputStyle.Paragraph,
			});
		}
	}
	return fields;
}

/** The modal as text in `locale`: its title, then one line per field (its name for `/submit`, label, kind, and what it holds now). */
export function renderModal(modal: FinalModal, locale: Locale): string {
	const lines = formFields(modal).map((f) => {
		const kind =
			f.kind === 'checkbox'
				? t(locale, 'console.form.checkbox')
				: [
						t(locale, f.multiline ? 'console.form.text' : 'console.form.line'),
						t(locale, f.required ? 'console.form.required' : 'console.form.optional'),
						t(locale, 'console.form.upTo', { max: whole(locale, f.maxLength) }),
					].join(', ');
		const value =
			typeof f.initial === 'boolean' ? String(f.initial) : t(locale, 'console.form.quoted', { text: f.initial.replace(/\s+/g, ' ') });
		const now = f.initial === '' ? '' : ` ${t(locale, 'console.form.now', { value })}`;
		return `  ${f.customId}: ${f.label} (${kind}).${now}`;
	});
	const fields = formFields(modal);
	const example = (fields.some((f) => f.required) ? fields.filter((f) => f.required) : fields.slice(0, 1)).map((f) => `${f.customId}:…`);
	return [t(locale, 'console.form', { title: modal.title }), ...lines, t(locale, 'console.form.send', { example: example.join(' ') })].join(
		'\n',
	);
}

/**
 * The fields `/submit <text>` sends for `modal`, as Discord's client would: every field, those left out with
 * what they held; or why the client would not send it (an unknown field, a required one empty, text too long,
 * a checkbox neither true nor false).
 */
export function readSubmit(modal: FinalModal, text: string, locale: Locale): { fields: ModalField[] } | { error: string } {
	const form = formFields(modal);
	const split = splitPairs(
		text,
		form.map((f) => f.customId),
		locale,
	);
	if ('error' in split) return split;
	const names = form.map((f) => `\`${f.customId}\``).join(', ');
	if (split.bare !== '') return { error: t(locale, 'console.form.nameEach', { field: form[0]?.customId ?? 'field', names }) };
	const unknown = split.pairs.find((p) => !form.some((f) => f.customId === p.key));
	if (unknown) return { error: t(locale, 'console.form.noField', { key: unknown.key, names }) };
	const fields: ModalField[] = [];
	for (const f of form) {
		const given = split.pairs.find((p) => p.key === f.customId)?.value;
		if (f.kind === 'checkbox') {
			if (given !== undefined && given !== 'true' && given !== 'false')
				return { error: t(locale, 'console.form.notBoolean', { field: f.customId }) };
			fields.push({ customId: f.customId, value: given === undefined ? f.initial : given === 'true' });
			continue;
		}
		const value = given ?? f.initial;
		if (typeof value !== 'string') continue;
		if (f.required && value.trim() === '') return { error: t(locale, 'console.form.needs', { field: f.customId, label: f.label }) };
		if ([...value].length > f.maxLength)
			return { error: t(locale, 'console.form.tooLong', { field: f.customId, max: whole(locale, f.maxLength) }) };
		fields.push({ customId: f.customId, value });
	}
	return { fields };
}
