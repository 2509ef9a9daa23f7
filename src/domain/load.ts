/** Reading a data directory: the manifest and the pages it names (safely, within limits), their fingerprint, and parsing them into records. */

import { createHash } from 'node:crypto';
import {
	type BigIntStats,
	closeSync,
	constants,
	fstatSync,
	lstatSync,
	openSync,
	readSync,
	realpathSync,
	type Stats,
	statSync,
} from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
	type CriticConsensus,
	type CriticReview,
	Film,
	type FilmRecord,
	type FilmSource,
	type LoadError,
	Manifest,
	type StoreData,
	type UserPageInfo,
	type UserReview,
} from './schema.js';
import { parseImdb } from './parse/imdb.js';
import { parseMetacritic } from './parse/metacritic.js';
import { readPage } from './parse/page.js';

/** Bumped whenever parsing changes what a page yields, so a review store compiled from old output is rebuilt. */
export const PARSER_VERSION = '2';
export const MANIFEST_FILE = 'films.json';
/** What every hash of the data starts with, so a parser change changes them all. */
const PARSER_PREFIX = `marquee-parser-${PARSER_VERSION}\0`;

/** The largest page (or manifest) read by default, in MB (`MAX_PAGE_MB`): far above any real page, far below what fills the memory. */
export const DEFAULT_MAX_PAGE_MB = 256;

export interface DataLimits {
	/** A page or manifest larger than this many MB (of 1,048,576 bytes) is not read (a data error). Default `DEFAULT_MAX_PAGE_MB`. */
	readonly maxPageMb?: number;
}

/** A data file's bytes, or why it was not read (`no such file`, `a FIFO, not a regular file`, ...). */
export type FileBytes = Uint8Array | { readonly problem: string };

/** The raw bytes of a data directory: the manifest and every page it names. */
interface DataFiles {
	readonly manifest: Uint8Array | null;
	readonly pages: ReadonlyMap<string, FileBytes>;
	readonly errors: readonly LoadError[];
	readonly films: readonly Film[];
	/** A hash of the parser version, the manifest and every page, so any change shows (`dataVersion`). */
	readonly version: string;
}

/** Reads the manifest and the pages it names. Nothing is parsed yet; unreadable files are errors, not throws. */
export async function readDataFiles(dir: string, limits: DataLimits = {}): Promise<DataFiles> {
	const reader = dataFileReader(dir, limits);
	const errors: LoadError[] = [];
	const manifest = reader(MANIFEST_FILE);
	if (!(manifest instanceof Uint8Array)) {
		const pages = new Map<string, FileBytes>();
		return {
			manifest: null,
			pages,
			films: [],
			errors: [{ file: MANIFEST_FILE, line: 0, reason: manifestProblem(dir, manifest.problem) }],
			version: dataVersion(null, pages),
		};
	}
	const films = parseManifest(manifest, errors);
	const pages = await readPages(reader, pageNames(films));
	return { manifest, pages, films, errors, version: dataVersion(manifest, pages) };
}

function manifestProblem(dir: string, problem: string): string {
	return `cannot read ${join(dir, MANIFEST_FILE)}: ${problem}`;
}

/** Why the manifest of `dir` cannot be read (`no such file`, `a directory, not a regular file`...); undefined when it can. */
export function manifestUnreadable(dir: string, limits: DataLimits = {}): string | undefined {
	const manifest = dataFileReader(dir, limits)(MANIFEST_FILE);
	return manifest instanceof Uint8Array ? undefined : manifest.problem;
}

/** Every page the films name, once each. */
function pageNames(films: readonly Film[]): string[] {
	return [...new Set(films.flatMap((f) => f.sources.map((s) => s.file)))];
}

/** Pages read (or, for the fingerprint, stat'ed) in one go per batch: how many before the event loop gets a turn. */
const READ_BATCH = 64;

/**
 * Every named page's bytes, or why it was not read. Synchronous reads in small batches: for a thousand
 * small files that is several times faster than `fs.promises.readFile` (one thread-pool round trip
 * per open, stat, read and close), and the event loop still gets a turn between batches.
 */
async function readPages(read: (name: string) => FileBytes, names: readonly string[]): Promise<Map<string, FileBytes>> {
	const pages = new Map<string, FileBytes>();
	for (let i = 0; i < names.length; i++) {
		const name = names[i] ?? '';
		pages.set(name, read(name));
		if (i % READ_BATCH === READ_BATCH - 1) await new Promise((resolve) => setImmediate(resolve));
	}
	return pages;
}

/** Opening never waits (a FIFO would wait for a writer) and never takes a terminal as the controlling one. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
/** A symlink fails to open (ELOOP) rather than being followed, so it is followed only after its target is checked. */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * A reader of the data directory's files (plain names in it). A file is read only if it is a regular
 * file of at most `maxPageMb`: it is opened without blocking and checked on the open handle (no race
 * between a check and the open), so a FIFO, a device or a directory is refused before a byte is read,
 * and a file growing past the limit while it is read is refused too. A symlink is followed only to a
 * file inside the data directory: one to anywhere else (`/etc/passwd`, `/dev/zero`) is refused.
 */
export function dataFileReader(dir: string, limits: DataLimits): (name: string) => FileBytes {
	const mb = limits.maxPageMb ?? DEFAULT_MAX_PAGE_MB;
	const maxBytes = mb * 1024 * 1024;
	const tooLarge = { problem: `larger than MAX_PAGE_MB (${mb} MB)` };
	let realDir: string | undefined;
	return (name) => {
		const path = join(dir, name);
		let fd: number;
		try {
			fd = openSync(path, OPEN_FLAGS | NO_FOLLOW);
		} catch (error) {
			if (codeOf(error) !== 'ELOOP') return { problem: openProblem(error) };
			try {
				const real = realpathSync.native(path);
				realDir ??= realpathSync.native(resolve(dir));
				const inside = relative(realDir, real);
				if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
					return { problem: 'a symlink to a file outside the data directory' };
				fd = openSync(real, OPEN_FLAGS | NO_FOLLOW);
			} catch (inner) {
				return { problem: openProblem(inner) };
			}
		}
		try {
			const stats = fstatSync(fd);
			if (!stats.isFile()) return { problem: `${kindOf(stats)}, not a regular file` };
			if (stats.size > maxBytes) return tooLarge;
			return readAtMost(fd, stats.size, maxBytes) ?? tooLarge;
		} catch (error) {
			return { problem: openProblem(error) };
		} finally {
			closeSync(fd);
		}
	};
}

/** The open file's bytes to its end, or undefined when there are more than `max` (the size is fstat's, which a file may outgrow). */
function readAtMost(fd: number, size: number, max: number): Uint8Array | undefined {
	// One byte over the expected size, so the end shows without growing the buffer.
	let buffer = Buffer.allocUnsafeSlow(Math.min(size, max) + 1);
	let length = 0;
	for (;;) {
		if (length === buffer.length) {
			if (length > max) return undefined;
			const bigger = Buffer.allocUnsafeSlow(Math.min(length * 2, max + 1));
			buffer.copy(bigger, 0, 0, length);
			buffer = bigger;
		}
		const read = readSync(fd, buffer, length, buffer.length - length, null);
		if (read === 0) return buffer.subarray(0, length);
		length += read;
	}
}

function codeOf(error: unknown): string | undefined {
	return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** A failed open or read in a few words (the error's code, never its message). */
function openProblem(error: unknown): string {
	const code = codeOf(error);
	if (code === 'ENOENT') return 'no such file';
	if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
	// A socket (or a device with no driver) cannot be opened at all.
	if (code === 'ENXIO') return 'not a regular file';
	if (code === 'ELOOP') return 'a symlink loop';
	return code ?? 'unknown error';
}

function kindOf(stats: Stats): string {
	if (stats.isDirectory()) return 'a directory';
	if (stats.isFIFO()) return 'a FIFO';
	if (stats.isCharacterDevice()) return 'a character device';
	if (stats.isBlockDevice()) return 'a block device';
	if (stats.isSocket()) return 'a socket';
	return 'something else';
}

/** The data version: a hash of the parser version, the manifest and every page (or why it was not read), so any change shows. */
function dataVersion(manifest: Uint8Array | null, pages: ReadonlyMap<string, FileBytes>): string {
	const hash = createHash('sha256').update(PARSER_PREFIX);
	hash.update(manifest ?? new Uint8Array());
	for (const name of [...pages.keys()].sort()) {
		const page = pages.get(name);
		if (page instanceof Uint8Array) hash.update(`\0${name}\0`).update(page);
		else hash.update(`\0${name}\x01${page?.problem ?? ''}`);
	}
	return hash.digest('hex').slice(0, 16);
}

/**
 * What the file system says of the data, without reading a page: the parser version, the size limit,
 * the manifest's bytes, and for every page it names its size, device, inode, and modification and
 * status-change times in nanoseconds (of a symlink, and of what it points to). Any write to a page
 * changes its ctime, which no program can set back, so a page whose fingerprint part is unchanged has
 * unchanged bytes; a touched or copied page reads as changed (a miss that only costs a full read).
 * Undefined when the manifest cannot be read or named no pages.
 */
export async function filesFingerprint(dir: string, limits: DataLimits = {}): Promise<string | undefined> {
	const manifest = dataFileReader(dir, limits)(MANIFEST_FILE);
	if (!(manifest instanceof Uint8Array)) return undefined;
	// The pages `readDataFiles` would read: those of the manifest's valid entries (its errors are in the data).
	const names = pageNames(parseManifest(manifest, [])).sort();
	if (names.length === 0) return undefined;
	const hash = createHash('sha256')
		.update(PARSER_PREFIX)
		.update(`${limits.maxPageMb ?? DEFAULT_MAX_PAGE_MB}\0`)
		.update(manifest);
	const status = (st: BigIntStats | undefined): string =>
		st === undefined ? 'missing' : `${st.size}:${st.dev}:${st.ino}:${st.mtimeNs}:${st.ctimeNs}`;
	for (const [i, name] of names.entries()) {
		const path = join(dir, name);
		const link = lstatSync(path, { bigint: true, throwIfNoEntry: false });
		const target = link?.isSymbolicLink() === true ? `>${status(statSync(path, { bigint: true, throwIfNoEntry: false }))}` : '';
		hash.update(`\0${name}\0${status(link)}${target}`);
		// As `readPages` does: the event loop gets a turn between batches of synchronous calls.
		if (i % READ_BATCH === READ_BATCH - 1) await new Promise((resolve) => setImmediate(resolve));
	}
	return hash.digest('hex').slice(0, 32);
}

/** The manifest's valid films; each problem (bad JSON, a bad entry, a duplicate id) is pushed onto `errors` as `films.json:line: reason`. */
export function parseManifest(bytes: Uint8Array, errors: LoadError[]): Film[] {
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

class JsonSyntaxError extends Error {
	constructor(readonly at: number) {
		super(`JSON syntax error at offset ${at}`);
	}
}

/** Where the manifest's top-level "films" array closes (the offset of its `]`), so an entry can be added without rewriting the others. */
export function filmsArrayEnd(text: string): number | undefined {
	return scanJson(text).filmsEnd;
}

/**
 * A small JSON scanner (strings, escapes and nesting respected): where the first syntax error is,
 * where each element of the top-level "films" array starts, and where that array closes.
 */
function scanJson(text: string): { errorAt: number | null; entries: number[]; filmsEnd?: number | undefined } {
	let i = 0;
	const entries: number[] = [];
	let filmsEnd: number | undefined;
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
			if (text[i] === ']') {
				if (where === 'films') filmsEnd = i;
				return void i++;
			}
			for (;;) {
				ws();
				if (where === 'films') entries.push(i);
				value('other');
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === ']') {
					if (where === 'films') filmsEnd = i;
					return void i++;
				} else fail();
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
		return { errorAt: null, entries, filmsEnd };
	} catch (error) {
		return { errorAt: error instanceof JsonSyntaxError ? error.at : null, entries };
	}
}

/** What one page yields, before its reviews get their film's ids: the errors, its header, its reviews. */
export interface PageResult {
	readonly errors: readonly LoadError[];
	readonly consensus: CriticConsensus | null;
	readonly userPage: UserPageInfo | null;
	readonly criticReviews: readonly Omit<CriticReview, 'id' | 'filmId'>[];
	readonly userReviews: readonly Omit<UserReview, 'id' | 'filmId'>[];
}

/** Parses one readable page with the parser of its layout. */
export function parsePage(source: FilmSource, bytes: Uint8Array): PageResult {
	const empty = { consensus: null, userPage: null, criticReviews: [], userReviews: [] };
	const page = readPage(source.file, bytes);
	if (page.value === null) return { ...empty, errors: page.errors };
	if (source.layout === 'metacritic') {
		const parsed = parseMetacritic(page.value);
		const errors = [...page.errors, ...parsed.errors];
		return parsed.value === null
			? { ...empty, errors }
			: { ...empty, errors, consensus: parsed.value.consensus, criticReviews: parsed.value.reviews };
	}
	const parsed = parseImdb(page.value);
	const errors = [...page.errors, ...parsed.errors];
	return parsed.value === null
		? { ...empty, errors }
		: { ...empty, errors, userPage: parsed.value.info, userReviews: parsed.value.reviews };
}

/** A page's result: parsed, or for a file that cannot be read, its one error and nothing else. */
export function pageResult(film: Film, source: FilmSource, bytes: FileBytes): PageResult {
	if (bytes instanceof Uint8Array) return parsePage(source, bytes);
	const reason = `file named by film "${film.id}" cannot be read: ${bytes.problem}`;
	return { consensus: null, userPage: null, criticReviews: [], userReviews: [], errors: [{ file: source.file, line: 0, reason }] };
}

/**
 * Where a page's result comes from: `pageResult`, or (for `npm run data:build`) the last build when the
 * page is unchanged or broken since.
 */
type PageSource = (film: Film, source: FilmSource, bytes: FileBytes) => PageResult;

/** Parses every page the manifest names. Bad pages and bad records are reported; the rest loads. */
export function parseDataFiles(files: DataFiles, pageOf: PageSource = pageResult): StoreData {
	const errors: LoadError[] = [...files.errors];
	const films: FilmRecord[] = [];
	for (const film of files.films) {
		const record: FilmRecord = { film, consensus: null, criticReviews: [], userPage: null, userReviews: [] };
		for (const source of film.sources) {
			const page = pageOf(film, source, files.pages.get(source.file) ?? { problem: 'not read' });
			errors.push(...page.errors);
			record.consensus ??= page.consensus;
			record.userPage ??= page.userPage;
			const critics = record.criticReviews.length;
			page.criticReviews.forEach((r, i) => record.criticReviews.push({ ...r, id: `${film.id}#c${critics + i + 1}`, filmId: film.id }));
			const users = record.userReviews.length;
			page.userReviews.forEach((r, i) => record.userReviews.push({ ...r, id: `${film.id}#u${users + i + 1}`, filmId: film.id }));
		}
		films.push(record);
	}
	return { version: files.version, films, errors };
}

/** Reads and parses a data directory. Never throws for bad data: everything wrong is in `errors`. */
export async function loadDataDir(dir: string, limits: DataLimits = {}): Promise<StoreData> {
	return parseDataFiles(await readDataFiles(dir, limits));
}
