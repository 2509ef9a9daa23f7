import { createServer, type Server } from 'node:http';
import type { Logger } from '../log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { Readiness } from './readiness.js';

/**
 * The operations endpoints, on METRICS_PORT, apart from the interactions endpoint: GET /healthz (200
 * while the process answers at all), GET /readyz (the readiness report as JSON: 200 when ready, 503
 * while starting or stopping or when a check fails) and GET /metrics (Prometheus text). Anything else
 * is a 404; a request body is never read, and a failing scrape is a 500, never a crash.
 */
export function createOpsServer(metrics: Metrics, readiness: Readiness, logger: Logger): Server {
	const server = createServer((req, res) => {
		const send = (status: number, type: string, body: string): void => {
			res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' }).end(body);
		};
		const json = (status: number, body: object): void => send(status, 'application/json', `${JSON.stringify(body)}\n`);
		const path = (req.url ?? '').split('?')[0];
		if (req.method !== 'GET' && req.method !== 'HEAD') return json(404, { error: 'not found' });
		if (path === '/healthz') return json(200, { status: 'alive' });
		if (path === '/readyz') {
			const report = readiness.report();
			return json(report.ready ? 200 : 503, report);
		}
		if (path === '/metrics') {
			metrics.text().then(
				(text) => send(200, metrics.contentType, text),
				(error: unknown) => {
					logger.warn({ err: error }, 'collecting the metrics failed');
					json(500, { error: 'metrics unavailable' });
				},
			);
			return;
		}
		json(404, { error: 'not found' });
	});
	server.on('clientError', (_error, socket) => {
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		else socket.destroy();
	});
	return server;
}

/** The operations endpoints being served, and what they report. */
export interface Ops {
	readonly metrics: Metrics;
	readonly readiness: Readiness;
	readonly port: number;
	close(): Promise<void>;
}

/**
 * The port of this process's operations endpoints: METRICS_PORT, plus the shard id under
 * `npm run start:sharded` (the ShardingManager sets SHARDS to it), so each shard has its own.
 * Undefined when that passes 65535.
 */
export function opsPort(base: number, env: NodeJS.ProcessEnv): number | undefined {
	const shard = env['SHARDING_MANAGER'] !== undefined && /^\d+$/.test(env['SHARDS'] ?? '') ? Number(env['SHARDS']) : 0;
	return base + shard <= 65535 ? base + shard : undefined;
}

/** Serves the operations endpoints on `port` (0: any free one); rejects when it cannot listen. */
export async function startOps(port: number, logger: Logger): Promise<Ops> {
	const metrics = createMetrics();
	const readiness = new Readiness();
	const server = createOpsServer(metrics, readiness, logger);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	const bound = typeof address === 'object' && address !== null ? address.port : port;
	logger.info({ port: bound }, 'operations endpoints listening on GET /healthz, /readyz and /metrics');
	return {
		metrics,
		readiness,
		port: bound,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
