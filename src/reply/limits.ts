/** Discord's documented message limits. Marquee measures in UTF-16 code units (JavaScript's length), never fewer than the characters Discord counts, so a fit here fits there. */
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
	buttonsPerRow: 5,
	buttonLabel: 80,
	customId: 100,
	choices: 25,
	choiceName: 100,
	choiceValue: 100,
	/** Files of one message. */
	files: 10,
	/** Bytes of one file: Marquee's own cap for its charts (Discord takes megabytes), so a reply stays quick to send and show. */
	fileBytes: 100 * 1024,
	/** An attachment's description (its alt text). */
	fileDescription: 1024,
} as const;
