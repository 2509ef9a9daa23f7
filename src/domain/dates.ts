/** Month names and calendar checks for the dates the review sites print. */

export const MONTHS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
] as const;

const MONTH_INDEX = new Map<string, number>();
MONTHS.forEach((name, i) => {
	MONTH_INDEX.set(name.toLowerCase(), i + 1);
	MONTH_INDEX.set(name.slice(0, 3).toLowerCase(), i + 1);
});
MONTH_INDEX.set('sept', 9);

/** 1-12 for a full or three-letter English month name, any case; undefined otherwise. */
export function monthNumber(name: string): number | undefined {
	return MONTH_INDEX.get(name.toLowerCase().replace(/\.$/, ''));
}

export function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `YYYY-MM-DD`, or undefined when the day does not exist in that month. */
export function isoDate(year: number, month: number, day: number): string | undefined {
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || year < 1000 || year > 9999) return undefined;
	return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
