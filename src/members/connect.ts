/**
 * Opens the member database and brings its tables up to date: a SQLite file through better-sqlite3, or a
 * PostgreSQL server through a pg pool, both behind one Kysely query layer. Also the one place that knows how
 * each dialect takes a write lock (`writeTransaction`).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect } from 'kysely';
import { Pool, TypeOverrides } from 'pg';
import type { DatabaseTarget } from '../config.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type DatabaseKind = DatabaseTarget['kind'];

export interface MemberDb {
	readonly kind: DatabaseKind;
	readonly db: Kysely<Database>;
}

/**
 * How long a SQLite write waits for another process's write lock (every shard process of the sharding
 * manager opens the same file) before it fails as unavailable. Writes are single-row and take well under
 * a millisecond, so the wait is normally nothing. better-sqlite3 waits synchronously.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** PostgreSQL: connections per process, and how long to wait for a connection or a query before answering unavailable. */
const PG_POOL_SIZE = 5;
const PG_CONNECT_TIMEOUT_MS = 3000;
const PG_QUERY_TIMEOUT_MS = 5000;

/** PostgreSQL's int8 (bigint columns, count(*), sum(integer)) as a JavaScript number, as SQLite returns it: every value here is far below 2^53. */
const INT8_OID = 20;

/**
 * Opens a connection (SQLite) or a pool (PostgreSQL). Does not touch the database yet for PostgreSQL;
 * `migrate` is the first query. `onPoolError` receives the errors of pooled connections that drop (a restarted
 * server), which would otherwise crash the process.
 */
export function connect(target: DatabaseTarget, onPoolError: (error: Error) => void): MemberDb {
	if (target.kind === 'sqlite') {
		mkdirSync(dirname(target.file), { recursive: true });
		const database = new Sqlite(target.file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
		try {
			// WAL: readers never block the writer, and the shard processes can share the file.
			database.pragma('journal_mode = WAL');
			// FULL: every commit is synced to disk before it returns, so a rating the member was told is saved
			// survives a power loss or an OS crash (WAL with NORMAL may lose the last commits then). A commit costs
			// one fsync, which member writes (a few per minute) can afford.
			database.pragma('synchronous = FULL');
		} catch (error) {
			database.close();
			throw error;
		}
		return { kind: 'sqlite', db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }) };
	}
	const types = new TypeOverrides();
	types.setTypeParser(INT8_OID, Number);
	const pool = new Pool({
		connectionString: target.url,
		max: PG_POOL_SIZE,
		connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
		query_timeout: PG_QUERY_TIMEOUT_MS,
		types,
	});
	pool.on('error', onPoolError);
	// A connection that drops while a query holds it emits 'error' on its client, which the pool does not
	// listen to then: without this listener that would crash the process. The query itself fails too.
	pool.on('connect', (client) => client.on('error', onPoolError));
	return { kind: 'postgres', db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }) };
}

/**
 * Runs `work` in a transaction that holds the write lock from its first statement, so a read followed by a
 * write (the previous score, then the upsert) sees no other writer in between. SQLite: BEGIN IMMEDIATE (a
 * plain BEGIN would fail with SQLITE_BUSY when two processes upgrade their read locks at once); PostgreSQL:
 * a transaction whose reads take row locks where they need them (`forUpdate`).
 */
export async function writeTransaction<T>({ kind, db }: MemberDb, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
	if (kind === 'postgres') return db.transaction().execute(work);
	return db.connection().execute(async (conn) => {
		await sql`begin immediate`.execute(conn);
		try {
			const result = await work(conn);
			await sql`commit`.execute(conn);
			return result;
		} catch (error) {
			// SQLite may have rolled back already (e.g. a full disk); the original error is the one to report.
			await sql`rollback`.execute(conn).catch(() => undefined);
			throw error;
		}
	});
}

/**
 * Applies the pending migrations; a no-op when the tables are up to date. Shard processes starting together
 * take turns: PostgreSQL through Kysely's advisory lock, SQLite through the write lock of `writeTransaction`
 * (Kysely's SQLite migrator takes no lock across processes). Throws the migration's error.
 */
export async function migrate(member: MemberDb): Promise<void> {
	const run = async (db: Kysely<Database>): Promise<void> => {
		const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
		if (error !== undefined) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
	};
	if (member.kind === 'postgres') await run(member.db);
	else await writeTransaction(member, run);
}
