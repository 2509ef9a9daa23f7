// A throwaway redis-server for the Redis tests: no persistence, loopback only, a free port.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** Whether `redis-server` is on PATH (CI installs it; locally the scenario is skipped without it). */
export function hasRedisServer(): boolean {
	return spawnSync('redis-server', ['--version']).error === undefined;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address !== null ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

export interface Redis {
	readonly url: string;
	readonly port: number;
	/** `redis-cli -p PORT ARGS...`, trimmed stdout. */
	cli(...args: string[]): string;
	stop(): Promise<void>;
}

/** Starts a redis-server without persistence on a free loopback port; resolves once it accepts connections. */
export async function startRedis(port?: number): Promise<Redis> {
	port ??= await freePort();
	const bound = port;
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	await new Promise<void>((resolve, reject) => {
		let output = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`redis-server did not start within 10 s:\n${output}`));
		}, 10_000);
		const onData = (chunk: Buffer): void => {
			output += chunk.toString('utf8');
			if (output.includes('Ready to accept connections')) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`redis-server exited with ${String(code)}:\n${output}`));
		});
	});
	return {
		url: `redis://127.0.0.1:${bound}`,
		port: bound,
		cli(...args) {
			const result = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(bound), ...args], { encoding: 'utf8', timeout: 5000 });
			if (result.error) throw result.error;
			return result.stdout.trim();
		},
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
		},
	};
}
