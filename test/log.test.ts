import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { tempDir } from './helpers.js';

/** A stream and everything written to it so far. */
function collector(): { stream: PassThrough; text: () => string } {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', (c: Buffer) => (text += c.toString()));
	return { stream, text: () => text };
}

const TIME = String.raw`\[\d\d:\d\d:\d\d\.\d{3}\]`;

describe('LOG_FORMAT', () => {
	it('is json unless set; json or pretty in any case; anything else is one config line', () => {
		const format = (value?: string): unknown => {
			const loaded = loadConfig(value === undefined ? {} : { LOG_FORMAT: value });
			return loaded.ok ? loaded.config.LOG_FORMAT : loaded.errors;
		};
		expect([format(), format(' '), format('json'), format(' Pretty ')]).toEqual(['json', 'json', 'json', 'pretty']);
		expect(format('xml')).toEqual(['LOG_FORMAT: must be json or pretty, got "xml"']);
	});

	it('json writes one JSON object a line; pretty a readable line with its fields below, without colour when not to a terminal', async () => {
		const json = collector();
		createLogger('info', json.stream, 'json').info({ films: 2 }, 'store loaded');
		expect(JSON.parse(json.text())).toMatchObject({ level: 30, app: 'marquee', films: 2, msg: 'store loaded' });
		const pretty = collector();
		const logger = createLogger('info', pretty.stream, 'pretty');
		logger.debug('not at info');
		logger.info({ films: 2, db: 'data/reviews.db' }, 'store loaded');
		await expect.poll(pretty.text).toMatch(new RegExp(`^${TIME} INFO: store loaded\n {4}films: 2\n {4}db: "data/reviews.db"\n$`));
	});

	it('the bot started with LOG_FORMAT=pretty logs readable lines', async () => {
		const logs = collector();
		const stdin = new PassThrough();
		const done = startApp(
			{ DATA_DIR: 'data', REVIEWS_DB: join(tempDir(), 'reviews.db'), CACHE_URL: 'memory', LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' },
			{
				stdin,
				stdout: new PassThrough(),
				stderr: new PassThrough(),
				logDestination: logs.stream,
				events: new EventEmitter(),
				exit: () => {},
				interactive: false,
			},
		);
		stdin.end('/reviews Pushr\n');
		expect(await done).toBe(0);
		await expect
			.poll(logs.text)
			.toMatch(new RegExp(`^${TIME} INFO: interaction\n {4}interaction: "command"\n {4}command: "reviews"\n`, 'm'));
		expect(logs.text()).toMatch(new RegExp(`^${TIME} INFO: store loaded\n {4}dir: "data"\n`, 'm'));
		expect(logs.text()).not.toContain('{"level"');
	});
});
