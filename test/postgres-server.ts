// PostgreSQL for the member tests: the server the development and CI machines run on 127.0.0.1:5432 with trust
// auth. Each test file creates a database of its own and drops it; without a server the tests say so and skip.
// Also a TCP relay in front of it, to take the server away from a store and give it back.
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket, connect as connectTcp } from 'node:net';
import { userInfo } from 'node:os';
import pg from 'pg';
import { freePort } from './redis-server.js';

export const POSTGRES_PORT = 5432;

/** Runs one statement as `user` on `database`; throws when the server does not answer or refuses. */
async function query(user: string, database: string, text: string): Promise<void> {
	const client = new pg.Client({ host: '127.0.0.1', port: POSTGRES_PORT, user, database, connectionTimeoutMillis: 2000 });
	await client.connect();
	try {
		await client.query(text);
	} finally {
		await client.end();
	}
}

/** The user the server lets in (postgres, else the current user), or undefined when no server answers. */
export async function findPostgres(): Promise<string | undefined> {
	for (const user of ['postgres', userInfo().username]) {
		try {
			await query(user, 'postgres', 'SELECT 1');
			return user;
		} catch {
			// try the next user
		}
	}
	return undefined;
}

export interface TestDatabase {
	/** postgres://USER@127.0.0.1:5432/marquee_test_<random> */
	readonly url: string;
	/** The same database through another port (the relay's). */
	urlOnPort(port: number): string;
	/** Drops the database, closing whatever connections are left. */
	drop(): Promise<void>;
}

export async function createTestDatabase(user: string): Promise<TestDatabase> {
	const name = `marquee_test_${randomBytes(6).toString('hex')}`;
	await query(user, 'postgres', `CREATE DATABASE ${name}`);
	const urlOnPort = (port: number): string => `postgres://${user}@127.0.0.1:${port}/${name}`;
	return {
		url: urlOnPort(POSTGRES_PORT),
		urlOnPort,
		drop: () => query(user, 'postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
	};
}

export interface Relay {
	readonly port: number;
	/** Accepts connections again (on the same port). */
	start(): Promise<void>;
	/** Stops accepting and cuts every open connection, as a server going down does. */
	stop(): Promise<void>;
}

/** A TCP relay on a free loopback port to the PostgreSQL server; created stopped. */
export async function postgresRelay(): Promise<Relay> {
	const port = await freePort();
	const sockets = new Set<Socket>();
	let server: Server | undefined;
	const track = (socket: Socket): void => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
	};
	return {
		port,
		async start() {
			const listening = createServer((client) => {
				const upstream = connectTcp(POSTGRES_PORT, '127.0.0.1');
				track(client);
				track(upstream);
				client.pipe(upstream).pipe(client);
				client.once('close', () => upstream.destroy());
				upstream.once('close', () => client.destroy());
			});
			server = listening;
			await new Promise<void>((resolve, reject) => {
				listening.once('error', reject);
				listening.listen(port, '127.0.0.1', resolve);
			});
		},
		async stop() {
			const stopping = server;
			server = undefined;
			for (const socket of sockets) socket.destroy();
			if (stopping !== undefined) await new Promise((resolve) => stopping.close(resolve));
		},
	};
}
