/**
 * `npm run db:backup -- FILE`: a consistent copy of the member database (SQLite, `DATABASE_URL` or `marquee.db`
 * in `DATA_DIR`) into FILE, safe while the bot runs and writes: SQLite's `VACUUM INTO` copies one read snapshot
 * (in WAL mode it does not stop the writers), into a temporary file renamed to FILE once complete and checked.
 * FILE must not exist yet. A PostgreSQL `DATABASE_URL` is refused with a pointer to pg_dump. Exit 0 on success,
 * 1 when the database cannot be read or the copy fails, 2 on bad usage.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Sqlite from 'better-sqlite3';
import { databaseTarget, DatabaseUrl } from '../config.js';
import { SQLITE_BUSY_TIMEOUT_MS } from '../members/connect.js';
import { isMain } from '../is-main.js';
import { type CliIo, runTool } from './tool.js';
import { plural } from '../domain/text.js';

const USAGE = 'usage: db:backup FILE   (copies the SQLite member database: $DATABASE_URL, or marquee.db in $DATA_DIR or "data")';

/** Copies `source` into `file` through a temporary file beside it; the copy's row counts. */
function backup(source: string, file: string): { ratings: number; reviews: number } {
	const temp = `${file}.${process.pid}.tmp`;
	const db = new Sqlite(source, { readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
	try {
		db.prepare('VACUUM INTO ?').run(temp);
	} catch (error) {
		rmSync(temp, { force: true });
		throw error;
	} finally {
		db.close();
	}
	try {
		const copy = new Sqlite(temp, { readonly: true, fileMustExist: true });
		try {
			const check = copy.pragma('quick_check', { simple: true });
			if (check !== 'ok') throw new Error(`the copy fails its integrity check: ${String(check)}`);
			const count = (table: string): number => Number(copy.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
			const counts = { ratings: count('ratings'), reviews: count('member_reviews') };
			renameSync(temp, file);
			return counts;
		} finally {
			copy.close();
		}
	} finally {
		rmSync(temp, { force: true });
	}
}

export function main(argv: readonly string[], io: CliIo): number {
	let file: string | undefined;
	try {
		const { values, positionals } = parseArgs({
			args: [...argv],
			options: { help: { type: 'boolean', short: 'h' } },
			strict: true,
			allowPositionals: true,
		});
		if (values.help === true) {
			io.stdout.write(`${USAGE}\n`);
			return 0;
		}
		if (positionals.length !== 1) throw new Error(positionals.length === 0 ? 'name the file to write the copy to' : 'one FILE only');
		file = positionals[0];
	} catch (error) {
		io.stderr.write(`db:backup: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
		return 2;
	}
	if (file === undefined) return 2;
	const url = DatabaseUrl.safeParse(io.env['DATABASE_URL']);
	if (!url.success) {
		io.stderr.write(`db:backup: DATABASE_URL: ${url.error.issues[0]?.message ?? 'invalid'}\n`);
		return 2;
	}
	const target = databaseTarget(io.env['DATA_DIR']?.trim() || 'data', url.data);
	if (target.kind === 'postgres') {
		io.stderr.write(
			'db:backup: DATABASE_URL is a PostgreSQL server: back it up with pg_dump, e.g. pg_dump --format=custom --file FILE "$DATABASE_URL"\n',
		);
		return 2;
	}
	if (existsSync(file)) {
		io.stderr.write(`db:backup: ${file} exists; name a new file (a backup never overwrites one)\n`);
		return 2;
	}
	if (!existsSync(target.file)) {
		io.stderr.write(`db:backup: ${target.file}: no member database there (the bot creates it at start)\n`);
		return 1;
	}
	const started = performance.now();
	const { ratings, reviews } = backup(target.file, file);
	io.stdout.write(
		`${file}: ${plural(ratings, 'rating')}, ${plural(reviews, 'member review')} from ${target.file}, in ${Math.round(performance.now() - started)} ms\n`,
	);
	return 0;
}

if (isMain(import.meta.url)) runTool('db:backup', main);
