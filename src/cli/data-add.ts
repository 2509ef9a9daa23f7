/**
 * `npm run data:add -- --title TITLE --year YEAR [--id ID] [--alias ALIAS]... [--data DIR] PAGE...`:
 * adds a film to a data directory without editing JSON by hand. Each page's layout is told from its
 * content; every page is checked with the loader's reader and parsers before anything is written; the
 * pages are copied in under canonical names (`<id>.critics.metacritic.txt`, `<id>.users.imdb.txt`) and
 * then the manifest entry is added, each file written beside its target and renamed over it, so a
 * crash never leaves a manifest naming a missing page. Exit 0 when added, 1 when refused (nothing is
 * changed), 2 on bad usage.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { MaxPageMb } from '../config.js';
import { dataFileReader, type DataLimits, type FileBytes, filmsArrayEnd, MANIFEST_FILE, parseManifest, parsePage } from '../domain/load.js';
import { layoutOf } from '../domain/parse/layout.js';
import { readPage } from '../domain/parse/page.js';
import { Film, type Layout, type LoadError } from '../domain/schema.js';
import { fold, plural, titleKey } from '../domain/text.js';
import { isMain } from '../is-main.js';
import { criticCounts, formatError, userCounts } from './report.js';
import { type CliIo, runTool } from './tool.js';

const USAGE = 'usage: data:add --title TITLE --year YEAR [--id ID] [--alias ALIAS]... [--data DIR] PAGE...';

/** The canonical page names of data/, by layout. */
const SUFFIX: Readonly<Record<Layout, string>> = { metacritic: 'critics.metacritic.txt', imdb: 'users.imdb.txt' };

/** A checked page, ready to copy in. */
interface NewPage {
	readonly path: string;
	readonly name: string;
	readonly layout: Layout;
	readonly bytes: Uint8Array;
	readonly reviews: number;
	/** What it yields, as data:check prints it. */
	readonly counts: string;
}

/**
 * The default film id: a slug of the title and year (`pusher-iii-2005`), at most 50 characters (a long
 * title cut after a whole word where it can be); undefined when the title has no letter or digit a slug can hold.
 */
export function filmIdOf(title: string, year: number): string | undefined {
	const tail = `-${year}`;
	const room = 50 - tail.length;
	const words = fold(title)
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
	if (words === '') return undefined;
	const cut = words.length <= room ? words.length : words.lastIndexOf('-', room);
	return `${words.slice(0, cut > 0 ? cut : room)}${tail}`;
}

/** The command line: the film's fields (checked as the manifest checks them), the data directory flag and the pages; or what is wrong with it. */
function readArgs(
	argv: readonly string[],
): { fields: Omit<Film, 'sources'>; data: string | undefined; paths: readonly string[] } | { help: true } | { wrong: string[] } {
	let args;
	try {
		args = parseArgs({
			args: [...argv],
			options: {
				title: { type: 'string' },
				year: { type: 'string' },
				id: { type: 'string' },
				alias: { type: 'string', multiple: true },
				data: { type: 'string' },
				help: { type: 'boolean', short: 'h' },
			},
			strict: true,
			allowPositionals: true,
		});
	} catch (error) {
		return { wrong: [error instanceof Error ? error.message : String(error)] };
	}
	const { values, positionals: paths } = args;
	if (values.help === true) return { help: true };
	const wrong: string[] = [];
	if (values.title === undefined) wrong.push('--title is required');
	if (values.year === undefined) wrong.push('--year is required');
	else if (!/^\d{1,4}$/.test(values.year)) wrong.push(`--year: expected a year like 2005, got "${values.year}"`);
	if (paths.length === 0) wrong.push('no PAGE given');
	const year = Number(values.year);
	const id = values.id ?? filmIdOf(values.title ?? '', year);
	if (id === undefined && values.title !== undefined)
		wrong.push(`--title: "${values.title}" has no letter or digit an id can be made of; give one with --id`);
	if (wrong.length > 0) return { wrong };
	const fields = Film.pick({ id: true, title: true, year: true, aliases: true }).safeParse({
		id,
		title: values.title,
		year,
		aliases: values.alias ?? [],
	});
	if (!fields.success) return { wrong: fields.error.issues.map((i) => `${FLAGS[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`) };
	return { fields: fields.data, data: values.data, paths };
}

/** The flag each field of the entry comes from, for its problems. */
const FLAGS: Readonly<Record<string, string>> = { id: '--id', title: '--title', year: '--year', aliases: '--alias' };

/** The tool: its exit code, its lines written to `io`. */
export function main(argv: readonly string[], io: CliIo): number {
	const args = readArgs(argv);
	if ('help' in args) {
		io.stdout.write(`${USAGE}\n`);
		return 0;
	}
	if ('wrong' in args) {
		io.stderr.write(`${[...args.wrong, USAGE].join('\n')}\n`);
		return 2;
	}
	const { fields, paths } = args;
	const dir = args.data ?? io.env['DATA_DIR'] ?? 'data';
	const maxPageMb = MaxPageMb.safeParse(io.env['MAX_PAGE_MB']);
	if (!maxPageMb.success) {
		io.stderr.write(`data:add: MAX_PAGE_MB: ${maxPageMb.error.issues[0]?.message ?? 'invalid'}\n`);
		return 2;
	}
	const limits: DataLimits = { maxPageMb: maxPageMb.data };
	if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() !== true) {
		io.stderr.write(`data:add: ${dir}: no such data directory\n`);
		return 1;
	}
	const manifest = dataFileReader(dir, limits)(MANIFEST_FILE);
	if (!(manifest instanceof Uint8Array)) {
		io.stderr.write(`data:add: cannot read ${join(dir, MANIFEST_FILE)}: ${manifest.problem}\n`);
		return 1;
	}
	const manifestErrors: LoadError[] = [];
	const films = parseManifest(manifest, manifestErrors);
	if (manifestErrors.length > 0)
		return refuse(io, [...manifestErrors.map(formatError), `data:add: ${join(dir, MANIFEST_FILE)} has problems; fix them first`]);

	const { pages, problems } = checkPages(paths, fields.id, limits);
	const entry: Film = { ...fields, sources: pages.map((p) => ({ file: p.name, layout: p.layout })) };
	problems.push(...conflicts(films, entry, pages, dir));
	if (problems.length > 0) return refuse(io, problems);
	const text = withFilm(new TextDecoder().decode(manifest), entry);
	// The scanner found where the films array closes; check the result reads as the old films and the new one.
	if (text === undefined || !isDeepStrictEqual(parseManifest(new TextEncoder().encode(text), []), [...films, entry])) {
		return refuse(io, [`data:add: cannot add an entry to ${join(dir, MANIFEST_FILE)} without rewriting it`]);
	}

	const failed = install(dir, pages, manifest, new TextEncoder().encode(text), limits);
	if (failed !== undefined) return refuse(io, [`data:add: ${failed}`]);
	const width = Math.max(...pages.map((p) => p.name.length));
	const reviews = pages.reduce((n, p) => n + p.reviews, 0);
	io.stdout.write(
		[
			...pages.map((p) => `${p.name.padEnd(width)}  ${p.layout.padEnd(10)}  ${p.counts}  from ${p.path}`),
			'',
			`${join(dir, MANIFEST_FILE)}: added "${entry.id}" (${entry.title}, ${entry.year}), ${plural(reviews, 'review')}`,
			'',
		].join('\n'),
	);
	return 0;
}

function refuse(io: CliIo, problems: readonly string[]): number {
	io.stderr.write(`${problems.join('\n')}\ndata:add: nothing changed\n`);
	return 1;
}

/** Every page read as the loader reads one and parsed with the parser of the layout its content shows; each problem as `file:line: reason`. */
function checkPages(paths: readonly string[], id: string, limits: DataLimits): { pages: NewPage[]; problems: string[] } {
	const pages: NewPage[] = [];
	const problems: string[] = [];
	for (const path of paths) {
		const bytes = readNamedFile(path, limits);
		if (!(bytes instanceof Uint8Array)) {
			problems.push(`${path}:0: cannot be read: ${bytes.problem}`);
			continue;
		}
		const page = readPage(path, bytes);
		if (page.value === null) {
			problems.push(...page.errors.map(formatError));
			continue;
		}
		const told = layoutOf(page.value);
		if ('problem' in told) {
			problems.push(`${path}:1: ${told.problem}`);
			continue;
		}
		const { layout } = told;
		// The loader's own page parse, with the layout the content shows.
		const parsed = parsePage({ file: path, layout }, bytes);
		problems.push(...parsed.errors.map(formatError));
		const yields =
			layout === 'metacritic'
				? { reviews: parsed.criticReviews.length, counts: criticCounts(parsed.criticReviews) }
				: { reviews: parsed.userReviews.length, counts: userCounts(parsed.userReviews) };
		const first = pages.find((p) => p.layout === layout);
		if (first !== undefined)
			problems.push(`${path}:0: a second ${layout} page (${first.path} is one); a film added here takes one page of each layout`);
		else pages.push({ path, name: `${id}.${SUFFIX[layout]}`, layout, bytes, ...yields });
	}
	return { pages, problems };
}

/** What the manifest and the directory already hold that the new film would clash with. */
function conflicts(films: readonly Film[], entry: Film, pages: readonly NewPage[], dir: string): string[] {
	const problems: string[] = [];
	const same = films.find((f) => f.id === entry.id);
	if (same !== undefined)
		problems.push(
			`data:add: ${MANIFEST_FILE} already has a film "${entry.id}" (${same.title}, ${same.year ?? 'no year'}); give another id with --id`,
		);
	// The bot finds films by title key ("Pusher III" = "Pusher 3"): a second film of that key and year could not be told apart.
	for (const title of [entry.title, ...entry.aliases]) {
		const key = titleKey(title);
		const twin = films.find((f) => f.id !== entry.id && f.year === entry.year && [f.title, ...f.aliases].some((t) => titleKey(t) === key));
		if (twin !== undefined) problems.push(`data:add: ${MANIFEST_FILE} already has "${title}" (${entry.year}) as film "${twin.id}"`);
	}
	const named = new Map(films.flatMap((f) => f.sources.map((s) => [s.file, f.id] as const)));
	for (const { name } of pages) {
		const owner = named.get(name);
		// (A page of the film whose id is taken is that clash already.)
		if (owner !== undefined && owner !== same?.id) problems.push(`data:add: ${MANIFEST_FILE} already names ${name} (film "${owner}")`);
		const there = lstatSync(join(dir, name), { throwIfNoEntry: false });
		if (there !== undefined && !there.isFile() && !there.isSymbolicLink())
			problems.push(`data:add: ${join(dir, name)} exists and is not a file`);
	}
	return problems;
}

/**
 * A page named on the command line, read with the loader's rules (a regular file, at most
 * MAX_PAGE_MB, opened without waiting) from wherever it really is.
 */
function readNamedFile(path: string, limits: DataLimits): FileBytes {
	let real = path;
	try {
		real = realpathSync.native(path);
	} catch {
		// The reader says why it cannot be read.
	}
	return dataFileReader(dirname(real), limits)(basename(real));
}

/**
 * The manifest's text with `entry` added at the end of its films array, in the style of data/films.json
 * (one field a line, lists on one line) at the manifest's own indentation; the rest of the text is kept
 * byte for byte. Undefined when the text has no films array.
 */
export function withFilm(text: string, entry: Film): string | undefined {
	const end = filmsArrayEnd(text);
	if (end === undefined) return undefined;
	const unit = /\n([ \t]+)\S/.exec(text)?.[1] ?? '\t';
	const before = text.slice(0, end).trimEnd();
	const indentOf = (offset: number): string => /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', offset - 1) + 1))?.[0] ?? '';
	const j = (value: unknown): string => JSON.stringify(value);
	const format = (indent: string): string =>
		[
			`${indent}{`,
			`${indent}${unit}"id": ${j(entry.id)},`,
			`${indent}${unit}"title": ${j(entry.title)},`,
			`${indent}${unit}"year": ${j(entry.year)},`,
			`${indent}${unit}"aliases": [${entry.aliases.map(j).join(', ')}],`,
			`${indent}${unit}"sources": [${entry.sources.map((s) => `{ "file": ${j(s.file)}, "layout": ${j(s.layout)} }`).join(', ')}]`,
			`${indent}}`,
		].join('\n');
	if (before.endsWith('[')) {
		// An empty array: entries one unit deeper than the line that opens it, which closes on its own line.
		const outer = indentOf(before.length - 1);
		return `${before}\n${format(outer + unit)}\n${outer}${text.slice(end)}`;
	}
	// After the last entry, at its indentation (that of the line it closes on).
	return `${before},\n${format(indentOf(before.length - 1))}${text.slice(before.length)}`;
}

/**
 * Copies the pages in, then writes the manifest, each whole or not at all; on a failure the pages
 * copied are removed again and the manifest is as it was. Returns why it failed.
 */
function install(dir: string, pages: readonly NewPage[], before: Uint8Array, after: Uint8Array, limits: DataLimits): string | undefined {
	const written: string[] = [];
	const undo = (why: string): string => {
		for (const file of written) rmSync(file, { force: true });
		return why;
	};
	try {
		for (const page of pages) {
			writeAtomic(join(dir, page.name), page.bytes);
			written.push(join(dir, page.name));
		}
		syncDir(dir);
		// Written since it was read (another data:add, an editor)? Then writing it would undo that change.
		const now = dataFileReader(dir, limits)(MANIFEST_FILE);
		if (!(now instanceof Uint8Array) || !Buffer.from(now).equals(before))
			return undo(`${join(dir, MANIFEST_FILE)} changed while the pages were checked; run data:add again`);
		// Through a symlinked manifest, to the file it names, so the link stays.
		const target = realpathSync.native(join(dir, MANIFEST_FILE));
		writeAtomic(target, after);
		syncDir(dirname(target));
		return undefined;
	} catch (error) {
		return undo(`cannot write to ${dir} (${codeOf(error)})`);
	}
}

/** Writes `path` whole or not at all: a new file beside it, flushed, then renamed over it. */
function writeAtomic(path: string, bytes: Uint8Array): void {
	const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
	let fd = openSync(temp, 'wx');
	try {
		for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
		fsyncSync(fd);
		closeSync(fd);
		fd = -1;
		renameSync(temp, path);
	} catch (error) {
		if (fd !== -1) closeSync(fd);
		rmSync(temp, { force: true });
		throw error;
	}
}

/** Flushes a directory's entries, so the renames of the pages are on disk before the manifest's. */
function syncDir(dir: string): void {
	const fd = openSync(dir, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

function codeOf(error: unknown): string {
	return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'unknown error';
}

if (isMain(import.meta.url)) runTool('data:add', main);
