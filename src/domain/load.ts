import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Film, type FilmRecord, type LoadError, Manifest, type StoreData } from './schema.js';
import { parseImdb } from './parse/imdb.js';
import { parseMetacritic } from './parse/metacritic.js';
import { readPage } from './parse/page.js';

/** Bumped whenever parsing changes what a page yields, so cached snapshots of old output are not reused. */
export const PARSER_VERSION = '2';
export const MANIFEST_FILE = 'films.json';
/** What every hash of the data starts with, so a parser change changes them all. */
const PARSER_PREFIX = `marquee-parser-${PARSER_VERSION}\0`;

/** The raw bytes of a data directory: the manifest and every page it names. */
export interface DataFiles {
	readonly manifest: Uint8Array | null;
	readonly pages: ReadonlyMap<string, Uint8Array | null>;
	readonly errors: readonly LoadError[];
	readonly films: readonly Film[];
	/** A hash of the parser version, the manifest and every page, so any change shows (`dataVersion`). */
	readonly version: string;
}

/** Reads the manifest and the pages it names. Nothing is parsed yet; missing files are errors, not throws. */
export async function readDataFiles(dir: string): Promise<DataFiles> {
	const errors: LoadError[] = [];
	const manifest = await readFile(join(dir, MANIFEST_FILE)).catch(() => null);
	if (manifest === null) {
		const pages = new Map<string, Uint8Array | null>();
		return { manifest, pages, films: [], errors: [{ file: MANIFEST_FILE, line: 0, reason: `cannot read ${join(dir, MANIFEST_FILE)}` }], version: dataVersion(manifest, pages) };
	}
	const films = parseManifest(manifest, errors);
	const pages = await readPages(dir, pageNames(films));
	return { manifest, pages, films, errors, version: dataVersion(manifest, pages) };
}

/** Every page the films name, once each. */
function pageNames(films: readonly Film[]): string[] {
	return [...new Set(films.flatMap((f) => f.sources.map((s) => s.file)))];
}

/** Pages read in one go per batch: how many before the event loop gets a turn. */
const READ_BATCH = 64;

/**
 * Every named page's bytes, null where unreadable. Synchronous reads in small batches: for a thousand
 * small files that is several times faster than `fs.promises.readFile` (one thread-pool round trip
 * per open, stat, read and close), and the event loop still gets a turn between batches.
 */
async function readPages(dir: string, names: readonly string[]): Promise<Map<string, Uint8Array | null>> {
	const pages = new Map<string, Uint8Array | null>();
	for (let i = 0; i < names.length; i++) {
		const name = names[i] ?? '';
		let bytes: Uint8Array | null;
		try {
			bytes = readFileSync(join(dir, name));
		} catch {
			bytes = null;
		}
		pages.set(name, bytes);
		if (i % READ_BATCH === READ_BATCH - 1) await new Promise((resolve) => setImmediate(resolve));
	}
	return pages;
}

/** The data version: a hash of the parser version, the manifest and every page, so any change shows. */
function dataVersion(manifest: Uint8Array | null, pages: ReadonlyMap<string, Uint8Array | null>): string {
	const hash = createHash('sha256').update(PARSER_PREFIX);
	hash.update(manifest ?? new Uint8Array());
	for (const name of [...pages.keys()].sort()) {
		hash.update(`\0${name}\0`);
		hash.update(pages.get(name) ?? new Uint8Array());
	}
	return hash.digest('hex').slice(0, 16);
}

/**
 * What the file system says of the data, without reading a page: the parser version, the manifest's
 * bytes, and for every page it names its size, device, inode, and modification and status-change times
 * in nanoseconds. Any write to a page changes its ctime, which no program can set back, so a page whose
 * fingerprint part is unchanged has unchanged bytes; a touched or copied page reads as changed (a miss
 * that only costs a full read). Undefined when the manifest cannot be read or named no pages.
 */
export async function filesFingerprint(dir: string): Promise<string | undefined> {
	const manifest = await readFile(join(dir, MANIFEST_FILE)).catch(() => null);
	if (manifest === null) return undefined;
	// The pages `readDataFiles` would read: those of the manifest's valid entries (its errors are in the data).
	const names = pageNames(parseManifest(manifest, [])).sort();
	if (names.length === 0) return undefined;
	const hash = createHash('sha256').update(PARSER_PREFIX).update(manifest);
	for (const name of names) {
		const st = statSync(join(dir, name), { bigint: true, throwIfNoEntry: false });
		hash.update(`\0${name}\0${st === undefined ? 'missing' : `${st.size}:${st.dev}:${st.ino}:${st.mtimeNs}:${st.ctimeNs}`}`);
	}
	return hash.digest('hex').slice(0, 32);
}

function parseManifest(bytes: Uint8Array, errors: LoadError[]): Film[] {
	const text = new TextDecoder().decode(bytes);
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		errors.push({ file: MANIFEST_FILE, line: jsonErrorLine(text), reason: 'not valid JSON' });
		return [];
	}
	const manifest = Manifest.safeParse(json);
	if (!manifest.success) {
		errors.push({ file: MANIFEST_FILE, line: 1, reason: 'expected an object with a "films" array' });
		return [];
	}
	const films: Film[] = [];
	const ids = new Set<string>();
	// Entry lines are needed only for errors: scan the manifest once, and only if something is wrong.
	let entries: readonly number[] | undefined;
	const entryLine = (index: number): number => {
		entries ??= scanJson(text).entries;
		const at = entries[index];
		return at === undefined ? 1 : lineAt(text, at);
	};
	manifest.data.films.forEach((entry, index) => {
		const film = Film.safeParse(entry);
		if (!film.success) {
			const line = entryLine(index);
			for (const issue of film.error.issues) {
				errors.push({ file: MANIFEST_FILE, line, reason: `films[${index}].${issue.path.join('.')}: ${issue.message}` });
			}
			return;
		}
		if (ids.has(film.data.id)) {
			errors.push({ file: MANIFEST_FILE, line: entryLine(index), reason: `films[${index}]: duplicate id "${film.data.id}"` });
			return;
		}
		ids.add(film.data.id);
		films.push(film.data);
	});
	return films;
}

/** The line of a JSON syntax error. V8's messages give a position only for some errors, so find it ourselves. */
function jsonErrorLine(text: string): number {
	return lineAt(text, scanJson(text).errorAt ?? text.length);
}

/** 1-based line of `offset` (where the manifest's `films[index]` starts, or a syntax error). */
function lineAt(text: string, offset: number): number {
	let line = 1;
	for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
	return line;
}

class JsonSyntaxError {
	constructor(readonly at: number) {}
}

/**
 * A small JSON scanner (strings, escapes and nesting respected): where the first syntax error is, and
 * where each element of the top-level "films" array starts.
 */
function scanJson(text: string): { errorAt: number | null; entries: number[] } {
	let i = 0;
	const entries: number[] = [];
	const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
	const fail = (): never => {
		throw new JsonSyntaxError(i);
	};
	const ws = (): void => {
		while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++;
	};
	const str = (): string => {
		const start = i++;
		while (i < text.length) {
			const c = text[i] ?? '';
			if (c === '"') return text.slice(start, ++i);
			if (c < ' ') fail();
			i += c === '\\' ? 2 : 1;
		}
		return fail();
	};
	const value = (where: 'top' | 'films' | 'other'): void => {
		ws();
		const c = text[i];
		if (c === '{') {
			i++;
			ws();
			if (text[i] === '}') return void i++;
			for (;;) {
				ws();
				if (text[i] !== '"') fail();
				const key = str();
				ws();
				if (text[i] !== ':') fail();
				i++;
				ws();
				if (where === 'top' && key === '"films"' && text[i] === '[') {
					entries.length = 0;
					value('films');
				} else value('other');
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === '}') return void i++;
				else fail();
			}
		}
		if (c === '[') {
			i++;
			ws();
			if (text[i] === ']') return void i++;
			for (;;) {
				ws();
				if (where === 'films') entries.push(i);
				value('other');
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === ']') return void i++;
				else fail();
			}
		}
		if (c === '"') return void str();
		literal.lastIndex = i;
		const m = literal.exec(text);
		if (!m) fail();
		else i += m[0].length;
	};
	try {
		value('top');
		ws();
		if (i < text.length) fail();
		return { errorAt: null, entries };
	} catch (error) {
		return { errorAt: error instanceof JsonSyntaxError ? error.at : null, entries };
	}
}

/** Parses every page the manifest names. Bad pages and bad records are reported; the rest loads. */
export function parseDataFiles(files: DataFiles): StoreData {
	const errors: LoadError[] = [...files.errors];
	const films: FilmRecord[] = [];
	for (const film of files.films) {
		const record: FilmRecord = { film, consensus: null, criticReviews: [], userPage: null, userReviews: [] };
		for (const source of film.sources) {
			const bytes = files.pages.get(source.file);
			if (bytes === undefined || bytes === null) {
				errors.push({ file: source.file, line: 0, reason: `file named by film "${film.id}" cannot be read` });
				continue;
			}
			const page = readPage(source.file, bytes);
			errors.push(...page.errors);
			if (page.value === null) continue;
			if (source.layout === 'metacritic') {
				const parsed = parseMetacritic(page.value);
				errors.push(...parsed.errors);
				if (parsed.value === null) continue;
				record.consensus ??= parsed.value.consensus;
				const offset = record.criticReviews.length;
				// The parser's objects are new and ours: add the ids in place (same keys, same order as a copy).
				parsed.value.reviews.forEach((r, i) => record.criticReviews.push(Object.assign(r, { id: `${film.id}#c${offset + i + 1}`, filmId: film.id })));
			} else {
				const parsed = parseImdb(page.value);
				errors.push(...parsed.errors);
				if (parsed.value === null) continue;
				record.userPage ??= parsed.value.info;
				const offset = record.userReviews.length;
				parsed.value.reviews.forEach((r, i) => record.userReviews.push(Object.assign(r, { id: `${film.id}#u${offset + i + 1}`, filmId: film.id })));
			}
		}
		films.push(record);
	}
	return { version: files.version, films, errors };
}

/** Reads and parses a data directory. Never throws for bad data: everything wrong is in `errors`. */
export async function loadDataDir(dir: string): Promise<StoreData> {
	return parseDataFiles(await readDataFiles(dir));
}
