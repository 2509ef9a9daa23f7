// The buttons of the message shown last: what they are, how they print, and which one a typed line names.
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { type Locale, t } from '../i18n/index.js';
import type { FinalReply } from '../reply/respond.js';

/** A button as the console shows it: its number is its position, counted from 1. */
export interface ShownButton {
	readonly label: string;
	readonly customId: string | undefined;
	readonly disabled: boolean;
}

export function buttonsOf(rows: FinalReply['components']): ShownButton[][] {
	const out: ShownButton[][] = [];
	for (const row of rows ?? []) {
		if (row.type !== ComponentType.ActionRow) continue;
		const shown: ShownButton[] = [];
		for (const b of row.components) {
			if (b.type !== ComponentType.Button) continue;
			shown.push({
				label: 'label' in b && b.label !== undefined ? b.label : '?',
				customId: 'custom_id' in b ? b.custom_id : undefined,
				disabled: b.disabled === true || b.style === ButtonStyle.Link || b.style === ButtonStyle.Premium,
			});
		}
		out.push(shown);
	}
	return out;
}

/** `[Label]` for a button that can be pressed, `(Label)` for a disabled one, each with its number; the rows under the heading in `locale`. */
export function renderButtons(rows: readonly ShownButton[][], locale: Locale): string {
	let n = 0;
	const lines = rows.map((row) => row.map((b) => `${++n} ${b.disabled ? `(${b.label})` : `[${b.label}]`}`).join('  '));
	const heading = `${t(locale, 'console.buttons')} `;
	return lines.map((line, i) => `${i === 0 ? heading : ' '.repeat(heading.length)}${line}`).join('\n');
}

function normaliseLabel(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

/** The button `text` names: its number, its label (case and symbols ignored) or a unique label prefix. */
export function findButton(buttons: readonly ShownButton[], text: string): ShownButton | undefined {
	const t = text.trim();
	if (/^\d+$/.test(t)) return buttons[Number(t) - 1];
	const wanted = normaliseLabel(t);
	if (wanted === '') return undefined;
	const exact = buttons.filter((b) => b.label.toLowerCase() === t.toLowerCase() || normaliseLabel(b.label) === wanted);
	if (exact.length > 0) return exact.find((b) => !b.disabled) ?? exact[0];
	const prefix = buttons.filter((b) => normaliseLabel(b.label).startsWith(wanted));
	return prefix.length === 1 ? prefix[0] : undefined;
}
