import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Sqlite, { type Database } from 'better-sqlite3';
import {
	CRITIC_COLUMNS,
	CriticReviewRow,
	PageRow,
	parseJson,
	readMeta,
	SCHEMA_VERSION,
	USER_COLUMNS,
	UserReviewRow,
	writeStore,
} from './db.js';
import { type DataLimits, filesFingerprint, PARSER_VERSION, type PageResult, pageResult, parseDataFiles, readDataFiles } from './load.js';
import { CriticConsensus, type LoadError, UserPageInfo, type StoreData } from './schema.js';
import { plural } from './text.js';
import { z } from 'zod';

interface BuildResult {
	readonly data: StoreData;
	/** Pages parsed, and pages whose rows were taken from the previous file (bytes, film, layout and parser unchanged). */
	readonly parsed: number;
	readonly reused: number;
	/** Pages changed into ones with problems (or unreadable) whose last version without problems is kept. */
	readonly kept: number;
	readonly ms: number;
}

const Errors = z.array(z.object({ file: z.string(), line: z.number(), reason: z.string() }));

/**
 * Compiles the data directory `dir` into the SQLite file `target` (`npm run data:build`, and `npm start`
 * when the file is missing or stale). The file is written beside the target and renamed over it, so a
 * reader never sees a half-built one (one holding the old file keeps reading it). A page unchanged since
 * the previous build (same bytes, film, layout and parser version) is not parsed again: its reviews are
 * copied from the previous file. Bad data is recorded in the file (`errors`), as `loadDataDir` reports it;
 * this throws only for a file-system failure writing the target.
 */
export async function buildReviewsDb(dir: string, target: string, limits: DataLimits = {}, known?: string): Promise<BuildResult> {
	const started = performance.now();
	// Taken before the pages are read (`known`: a caller that just took it to see the file stale): a page
	// written meanwhile makes the next start see a stale file.
	const fingerprint = known ?? (await filesFingerprint(dir, limits).catch(() => undefined)) ?? '';
	const files = await readDataFiles(dir, limits);
	const previous = openPrevious(target);
	let parsed = 0;
	let reused = 0;
	let kept = 0;
	const pages: PageRow[] = [];
	try {
		const oldPage = previous?.prepare<[string, string]>(
			'SELECT film_id AS filmId, file, sha256, layout, parser, consensus, user_page AS userPage, errors, reviews FROM pages WHERE film_id = ? AND file = ?',
		);
		const oldUsers = previous?.prepare<[string, string, number]>(
			`SELECT ${USER_COLUMNS} FROM user_reviews WHERE film_id = ? AND file = ? AND page_index < ? ORDER BY page_index`,
		);
		const oldCritics = previous?.prepare<[string, string, number]>(
			`SELECT ${CRITIC_COLUMNS} FROM critic_reviews WHERE film_id = ? AND file = ? AND page_index < ? ORDER BY page_index`,
		);
		const data = parseDataFiles(files, (film, source, bytes) => {
			// A page row that does not read back is no previous version: the page is parsed.
			const old = PageRow.safeParse(oldPage?.get(film.id, source.file)).data;
			const oldResult = (): PageResult | undefined =>
				old === undefined
					? undefined
					: reusedPage(
							old,
							oldUsers?.all(film.id, source.file, old.reviews) ?? [],
							oldCritics?.all(film.id, source.file, old.reviews) ?? [],
						);
			const sha256 = bytes instanceof Uint8Array ? createHash('sha256').update(bytes).digest('hex') : '';
			const unchanged = old !== undefined && old.sha256 === sha256 && old.layout === source.layout && old.parser === PARSER_VERSION;
			const same = unchanged ? oldResult() : undefined;
			if (same !== undefined) {
				reused++;
				pages.push(pageRow(film.id, source.file, sha256, source.layout, PARSER_VERSION, same));
				return same;
			}
			parsed++;
			const result = pageResult(film, source, bytes);
			// A page edited into one with problems (or gone) keeps serving its last version without any, under
			// that version's fingerprint, so every build tries the page again until it is fixed.
			const lastGood = result.errors.length > 0 && old?.errors === '[]' && old.layout === source.layout ? oldResult() : undefined;
			if (old !== undefined && lastGood !== undefined) {
				kept++;
				pages.push(pageRow(film.id, source.file, old.sha256, old.layout, old.parser, lastGood));
				const reviews = lastGood.criticReviews.length + lastGood.userReviews.length;
				const note = {
					file: source.file,
					line: 0,
					reason: `the last version without problems (${plural(reviews, 'review')}) is served until this page is fixed`,
				};
				return { ...lastGood, errors: [...result.errors, note] };
			}
			pages.push(pageRow(film.id, source.file, sha256, source.layout, PARSER_VERSION, result));
			return result;
		});
		previous?.close();
		writeAtomically(target, (db) => writeStore(db, data, { parser: PARSER_VERSION, fingerprint }, pages));
		return { data, parsed, reused, kept, ms: performance.now() - started };
	} finally {
		if (previous?.open === true) previous.close();
	}
}

function pageRow(filmId: string, file: string, sha256: string, layout: string, parser: string, result: PageResult): PageRow {
	return {
		filmId,
		file,
		sha256,
		layout,
		parser,
		consensus: result.consensus === null ? null : JSON.stringify(result.consensus),
		userPage: result.userPage === null ? null : JSON.stringify(result.userPage),
		errors: JSON.stringify(result.errors),
		reviews: result.criticReviews.length + result.userReviews.length,
	};
}

/** Whether `target` is a store of this schema built from files with this `filesFingerprint` (undefined: never fresh). */
export function isFresh(target: string, fingerprint: string | undefined): boolean {
	if (fingerprint === undefined || !existsSync(target)) return false;
	try {
		const db = new Sqlite(target, { readonly: true, fileMustExist: true });
		try {
			const meta = readMeta(db);
			return meta?.schema === SCHEMA_VERSION && meta.parser === PARSER_VERSION && meta.fingerprint === fingerprint;
		} finally {
			db.close();
		}
	} catch {
		return false;
	}
}

/** The previous build's file, read-only, when it is one of this schema; otherwise nothing is reused. */
function openPrevious(target: string): Database | undefined {
	if (!existsSync(target)) return undefined;
	try {
		const db = new Sqlite(target, { readonly: true, fileMustExist: true });
		if (readMeta(db)?.schema === SCHEMA_VERSION) return db;
		db.close();
	} catch {
		// Not a database (or a broken one): built from scratch.
	}
	return undefined;
}

/** A page's result as the previous build stored it; undefined if anything stored does not read back (then it is parsed). */
function reusedPage(page: PageRow, users: readonly unknown[], critics: readonly unknown[]): PageResult | undefined {
	const consensus = page.consensus === null ? null : CriticConsensus.safeParse(parseJson(page.consensus));
	const userPage = page.userPage === null ? null : UserPageInfo.safeParse(parseJson(page.userPage));
	const errors = Errors.safeParse(parseJson(page.errors));
	const userReviews = z.array(UserReviewRow).safeParse(users);
	const criticReviews = z.array(CriticReviewRow).safeParse(critics);
	if (consensus?.success === false || userPage?.success === false || !errors.success || !userReviews.success || !criticReviews.success)
		return undefined;
	// The film's ids are given again when the film's pages are put together.
	const strip = <T extends { id: string; filmId: string }>({ id: _id, filmId: _filmId, ...rest }: T): Omit<T, 'id' | 'filmId'> => rest;
	return {
		errors: errors.data satisfies LoadError[],
		consensus: consensus?.data ?? null,
		userPage: userPage?.data ?? null,
		criticReviews: criticReviews.data.map(strip),
		userReviews: userReviews.data.map(strip),
	};
}

/** Writes a new database beside `target` and renames it over `target` once complete; a failed write leaves `target` as it was. */
function writeAtomically(target: string, write: (db: Database) => void): void {
	removeStaleTemps(target);
	const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
	try {
		const db = new Sqlite(temp);
		try {
			// Nothing reads the file before the rename: no journal needed while it is written.
			db.pragma('journal_mode = OFF');
			db.pragma('synchronous = OFF');
			write(db);
			db.exec('ANALYZE');
		} finally {
			db.close();
		}
		// On disk before it takes the target's name, so a crash cannot leave a half-written file under it.
		const fd = openSync(temp, 'r+');
		try {
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		renameSync(temp, target);
	} catch (error) {
		rmSync(temp, { force: true });
		throw error;
	}
}

/** Temp files of builds whose process is gone (killed mid-build): nothing will ever rename them. */
function removeStaleTemps(target: string): void {
	const pattern = new RegExp(`^\\.${basename(target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);
	let names: string[];
	try {
		names = readdirSync(dirname(target));
	} catch {
		return;
	}
	for (const name of names) {
		const pid = Number(pattern.exec(name)?.[1]);
		if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(join(dirname(target), name), { force: true });
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists, as another user's process.
		return error instanceof Error && 'code' in error && error.code === 'EPERM';
	}
}
