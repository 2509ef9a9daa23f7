/**
 * Modals: the form a handler asks Discord to show (a title and up to five labelled fields: text inputs and
 * checkboxes), the one place their limits are enforced (`finalizeModal`), and the fields a submitted modal
 * carries back (`ModalField`).
 */
import { type APIModalInteractionResponseCallbackData, ComponentType, TextInputStyle } from 'discord-api-types/v10';
import { plain, truncate } from './format.js';

export interface ModalTextInput {
	readonly kind: 'text';
	readonly customId: string;
	readonly label: string;
	readonly description?: string;
	/** One line, or several. */
	readonly style: 'short' | 'paragraph';
	readonly minLength?: number;
	readonly maxLength?: number;
	readonly required: boolean;
	/** Pre-filled text (an edit shows what was written). */
	readonly value?: string;
	readonly placeholder?: string;
}

export interface ModalCheckbox {
	readonly kind: 'checkbox';
	readonly customId: string;
	readonly label: string;
	readonly description?: string;
	/** Ticked when the modal opens. */
	readonly checked: boolean;
}

/** What a handler returns to open a modal (from a command's button). */
export interface Modal {
	/** Carried back by the submit; starts with the owning command's `buttonPrefix`. */
	readonly customId: string;
	readonly title: string;
	readonly fields: readonly (ModalTextInput | ModalCheckbox)[];
}

/** One field of a submitted modal: a text input's text, or whether a checkbox was ticked. */
export interface ModalField {
	readonly customId: string;
	readonly value: string | boolean;
}

/** The data of an interaction callback of type 9 (MODAL). */
export type FinalModal = APIModalInteractionResponseCallbackData;

/** Discord's modal limits (a modal over any of them is refused whole). */
export const ModalLimits = {
	title: 45,
	customId: 100,
	labels: 5,
	label: 45,
	description: 100,
	textLength: 4000,
	placeholder: 100,
} as const;

/** Plain text, cut to `max`, never empty (Discord refuses an empty label or title). */
const text = (value: string, max: number): string => truncate(plain(value), max).trim() || '…';
const length = (n: number | undefined): number | undefined =>
	n === undefined ? undefined : Math.max(0, Math.min(ModalLimits.textLength, Math.floor(n)));

/**
 * The modal within Discord's limits: title and labels cut to 45 characters, descriptions to 100, at most five
 * fields, lengths within 0-4,000 (min never above max), a pre-filled value cut to the field's maximum. A
 * custom_id over 100 characters is a programming error: it throws (dispatch answers with its apology).
 */
export function finalizeModal(modal: Modal): FinalModal {
	const ids = [modal.customId, ...modal.fields.map((f) => f.customId)];
	const bad = ids.find((id) => id.length === 0 || id.length > ModalLimits.customId);
	if (bad !== undefined) throw new Error(`modal custom_id of ${bad.length} characters (1-${ModalLimits.customId} allowed)`);
	return {
		custom_id: modal.customId,
		title: text(modal.title, ModalLimits.title),
		components: modal.fields.slice(0, ModalLimits.labels).map((field) => {
			const description = field.description === undefined ? {} : { description: text(field.description, ModalLimits.description) };
			const label = { type: ComponentType.Label, label: text(field.label, ModalLimits.label), ...description } as const;
			if (field.kind === 'checkbox')
				return { ...label, component: { type: ComponentType.Checkbox, custom_id: field.customId, default: field.checked } };
			const max = length(field.maxLength) ?? ModalLimits.textLength;
			const min = length(field.minLength);
			const value = field.value === undefined || field.value === '' ? undefined : [...field.value].slice(0, max).join('');
			return {
				...label,
				component: {
					type: ComponentType.TextInput,
					custom_id: field.customId,
					style: field.style === 'short' ? TextInputStyle.Short : TextInputStyle.Paragraph,
					required: field.required,
					max_length: max,
					...(min === undefined ? {} : { min_length: Math.min(min, max) }),
					...(value === undefined ? {} : { value }),
					...(field.placeholder === undefined ? {} : { placeholder: text(field.placeholder, ModalLimits.placeholder) }),
				},
			};
		}),
	};
}
