/**
 * Every migration of the member data, by name (applied in name order). A static list, not a folder scan, so it
 * works the same from the sources and from the build. A new migration is a new file here with the next number;
 * a migration already released is never edited.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-members.js';

const MIGRATIONS: Record<string, Migration> = {
	'0001-members': m0001,
};

export const migrationProvider: MigrationProvider = {
	getMigrations: () => Promise.resolve(MIGRATIONS),
};
