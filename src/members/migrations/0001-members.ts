/**
 * Migration 0001: the ratings and member_reviews tables, keyed by guild, member and film, with the indexes
 * the reads need: a film's ratings and reviews in a guild (summary, paging newest first), and everything of
 * one member across guilds (forget-me). A member's own rows in a guild are read through the primary key.
 * The limits are written out, not imported, so this file never changes once released.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('ratings')
		.ifNotExists()
		.addColumn('guild_id', 'text', (c) => c.notNull())
		.addColumn('user_id', 'text', (c) => c.notNull())
		.addColumn('film_id', 'text', (c) => c.notNull())
		.addColumn('score', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.addPrimaryKeyConstraint('ratings_pk', ['guild_id', 'user_id', 'film_id'])
		.addCheckConstraint('ratings_score', sql`score between 1 and 10`)
		.execute();
	await db.schema.createIndex('ratings_by_film').ifNotExists().on('ratings').columns(['guild_id', 'film_id', 'score']).execute();
	await db.schema.createIndex('ratings_by_user').ifNotExists().on('ratings').column('user_id').execute();

	await db.schema
		.createTable('member_reviews')
		.ifNotExists()
		.addColumn('guild_id', 'text', (c) => c.notNull())
		.addColumn('user_id', 'text', (c) => c.notNull())
		.addColumn('film_id', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('spoiler', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.addPrimaryKeyConstraint('member_reviews_pk', ['guild_id', 'user_id', 'film_id'])
		.addCheckConstraint('member_reviews_title', sql`length(title) <= 100`)
		.addCheckConstraint('member_reviews_body', sql`length(body) between 1 and 4000`)
		.addCheckConstraint('member_reviews_spoiler', sql`spoiler in (0, 1)`)
		.execute();
	await db.schema
		.createIndex('member_reviews_by_film')
		.ifNotExists()
		.on('member_reviews')
		.columns(['guild_id', 'film_id', 'created_at', 'user_id'])
		.execute();
	await db.schema.createIndex('member_reviews_by_user').ifNotExists().on('member_reviews').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('member_reviews').ifExists().execute();
	await db.schema.dropTable('ratings').ifExists().execute();
}
