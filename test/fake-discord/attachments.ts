// Files in message bodies, as Discord takes them: a multipart/form-data body whose `payload_json` part is the JSON
// body and whose `files[n]` parts are the files, each named by an `attachments` entry `{ id: n }` of the payload.
// `readMultipart` splits such a body; `checkAttachments` ties the files to the payload (ids, file names, PNG
// signature, size, `attachment://` URLs in embeds); `pngSize` reads a PNG's pixel size from its IHDR chunk.
import { arrayOf, isPlainObject, prop, type Findings } from './validate.js';

/** One file part of a multipart body, as the fake records it. */
export interface RecordedFile {
	/** The part's form field, e.g. `files[0]`. */
	field: string;
	/** The part's filename. */
	name: string;
	size: number;
	contentType: string;
	/** The file's bytes. */
	data: Uint8Array;
	/** Pixel size from a PNG's IHDR chunk; null for anything that is not a PNG. */
	width: number | null;
	height: number | null;
}

/** What Discord allows in one message, and this project's own cap on a file (its charts are small PNGs). */
export const AttachmentLimits = {
	files: 10,
	/** 100 KB: the project's cap for a chart, well under Discord's own upload limit; `maxAttachmentBytes` changes it. */
	fileBytes: 100 * 1024,
} as const;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function hasPngSignature(bytes: Uint8Array): boolean {
	return PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

/** A PNG's width and height (its first chunk must be a 13-byte IHDR), or null when `bytes` is no PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
	if (bytes.length < 24 || !hasPngSignature(bytes)) return null;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const ihdr = String.fromCharCode(...bytes.subarray(12, 16));
	if (view.getUint32(8) !== 13 || ihdr !== 'IHDR') return null;
	return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * A multipart body's JSON payload (`payload_json`, parsed; undefined when absent) and its file parts. Plain fields
 * other than `payload_json` are warnings (Discord ignores them); a `payload_json` that is not JSON is a violation.
 * Throws when the body is not multipart/form-data at all (the caller answers 400).
 */
export async function readMultipart(
	raw: Buffer,
	contentType: string,
	route: string,
	findings: Findings,
): Promise<{ body: unknown; files: RecordedFile[] }> {
	const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
	let body: unknown;
	const files: RecordedFile[] = [];
	for (const [field, value] of form.entries()) {
		if (typeof value !== 'string') {
			const data = new Uint8Array(await value.arrayBuffer());
			const size = pngSize(data);
			files.push({
				field,
				name: value.name,
				size: data.byteLength,
				contentType: value.type,
				data,
				width: size?.width ?? null,
				height: size?.height ?? null,
			});
		} else if (field !== 'payload_json') {
			findings.warnings.push(`${route}: multipart field "${field}" is not payload_json; Discord ignores plain fields`);
		} else {
			try {
				body = JSON.parse(value);
			} catch {
				findings.violations.push(`${route}: payload_json is not JSON`);
			}
		}
	}
	return { body, files };
}

/** The `files[n]` part for the attachment id `n`. */
export function fileForAttachment(files: readonly RecordedFile[], id: unknown): RecordedFile | undefined {
	return files.find((file) => file.field === `files[${String(id)}]`);
}

/** URLs of an embed that may point at an attached file. */
function embedUrls(embed: unknown): Array<[string, unknown]> {
	return [
		['image.url', prop(prop(embed, 'image'), 'url')],
		['thumbnail.url', prop(prop(embed, 'thumbnail'), 'url')],
		['author.icon_url', prop(prop(embed, 'author'), 'icon_url')],
		['footer.icon_url', prop(prop(embed, 'footer'), 'icon_url')],
	];
}

/** What the message being edited already has: its attachments' ids and file names. */
export interface KeptAttachment {
	id: string;
	filename: string;
}

/**
 * Checks a message body's files against its payload `data` (a callback's `data`, a follow-up's or an edit's body):
 * every new `attachments[].id` has a `files[id]` part and every part is named by one; at most 10 files; a given
 * `filename` is the part's; a `.png` starts with the PNG signature; each file is at most `maxBytes`; an embed's
 * `attachment://name` names a file the message will have. `existing`: the attachments of the message an edit or
 * update changes (an `attachments` entry with one of their ids keeps it).
 */
export function checkAttachments(
	route: string,
	data: unknown,
	files: readonly RecordedFile[],
	existing: readonly KeptAttachment[],
	maxBytes: number,
	findings: Findings,
): void {
	const v = (message: string): void => {
		findings.violations.push(`${route}: ${message}`);
	};
	const given = prop(data, 'attachments');
	const entries = arrayOf(given);
	/** The file names the message has once this body is applied. */
	const names: string[] = given === undefined ? existing.map((a) => a.filename) : [];
	const named = new Set<string>();
	entries.forEach((entry, i) => {
		const id = prop(entry, 'id');
		const kept = existing.find((a) => a.id === String(id));
		if (kept) {
			names.push(kept.filename);
			return;
		}
		const file = fileForAttachment(files, id);
		if (!file) {
			v(`attachments[${i}] (id ${String(id)}) has no files[${String(id)}] part`);
			return;
		}
		named.add(file.field);
		const filename = prop(entry, 'filename');
		if (filename !== undefined && filename !== file.name) {
			v(`attachments[${i}].filename ${JSON.stringify(filename)} is not the name of its part ${file.field} ("${file.name}")`);
		}
		names.push(typeof filename === 'string' ? filename : file.name);
	});
	if (files.length > AttachmentLimits.files) v(`${files.length} files (limit ${AttachmentLimits.files})`);
	const fields = new Set<string>();
	for (const file of files) {
		const label = `${file.field} ("${file.name}")`;
		if (fields.has(file.field)) v(`${file.field} is sent twice`);
		fields.add(file.field);
		if (!named.has(file.field)) v(`${label} is not named by any attachments[].id`);
		if (file.name === '') v(`${file.field} has no filename`);
		if (/\.png$/i.test(file.name) && !hasPngSignature(file.data)) v(`${label} is not a PNG (no PNG signature)`);
		if (file.size > maxBytes) v(`${label} is ${file.size} bytes (limit ${maxBytes})`);
	}
	arrayOf(prop(data, 'embeds')).forEach((embed, i) => {
		if (!isPlainObject(embed)) return;
		for (const [where, url] of embedUrls(embed)) {
			if (typeof url !== 'string' || !url.startsWith('attachment://')) continue;
			const name = url.slice('attachment://'.length);
			if (!names.includes(name)) v(`embeds[${i}].${where} "${url}" names no attached file`);
		}
	});
}
