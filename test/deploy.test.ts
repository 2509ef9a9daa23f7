import { createServer, type IncomingMessage, type Server } from 'node:http';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { deploy, main, registerCommands } from '../src/deploy.js';
import { startFakeDiscord } from './fake-discord/index.js';

const APP = '123456789012345678';
const GUILD = '234567890123456789';
const TOKEN = 'test-token';

interface Recorded {
	readonly method: string;
	readonly url: string;
	readonly authorization: string | undefined;
	readonly body: unknown;
}

let server: Server;
let base: string;
const requests: Recorded[] = [];
let status = 200;

async function readBody(req: IncomingMessage): Promise<string> {
	let text = '';
	for await (const chunk of req) text += String(chunk);
	return text;
}

beforeAll(async () => {
	server = createServer((req, res) => {
		void readBody(req).then((text) => {
			const body: unknown = text === '' ? undefined : JSON.parse(text);
			requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
			res.setHeader('content-type', 'application/json');
			if (status !== 200) {
				res.statusCode = status;
				res.end(JSON.stringify({ message: 'Missing Access', code: 50001 }));
				return;
			}
			const list = Array.isArray(body) ? body : [];
			res.end(
				JSON.stringify(
					list.map((c: unknown, i) => ({
						...(typeof c === 'object' && c !== null ? c : {}),
						id: `99999999999999999${i}`,
						application_id: APP,
					})),
				),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	base = `http://127.0.0.1:${address.port}/api`;
});

afterAll(async () => {
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
	requests.length = 0;
	status = 200;
});

function io() {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	const text = { out: '', err: '' };
	stdout.on('data', (c: Buffer) => (text.out += c.toString()));
	stderr.on('data', (c: Buffer) => (text.err += c.toString()));
	return { stdout, stderr, text };
}

const expectedBody: unknown = JSON.parse(JSON.stringify(commands.map((c) => c.data)));

describe('deploy', () => {
	it('PUTs exactly the commands’ data to the global route (the CLI, its settings from its io)', async () => {
		const out = io();
		const code = await main([], { env: { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP, DISCORD_API_BASE: base }, ...out });
		expect(code).toBe(0);
		expect(requests).toHaveLength(1);
		const [put] = requests;
		expect(put?.method).toBe('PUT');
		expect(put?.url).toBe(`/api/v10/applications/${APP}/commands`);
		expect(put?.authorization).toBe(`Bot ${TOKEN}`);
		expect(put?.body).toEqual(expectedBody);
		// With the Danish names and descriptions Discord shows a user whose client is in Danish.
		expect(put?.body).toContainEqual(
			expect.objectContaining({
				name: 'rate',
				name_localizations: { da: 'bedøm' },
				options: expect.arrayContaining([
					expect.objectContaining({
						name: 'score',
						name_localizations: { da: 'karakter' },
						description_localizations: { da: 'Din karakter, 1 (dårligst) til 10 (bedst)' },
					}),
				]) as unknown,
			}),
		);
		expect(out.text.out).toContain(`Registered ${commands.length} commands globally`);
		for (const c of commands) expect(out.text.out).toContain(`/${c.data.name}`);
		expect(out.text.out).toContain('id 999999999999999990');
	});

	it('PUTs to the guild route when DISCORD_GUILD_ID is set', async () => {
		const out = io();
		const code = await deploy(
			{ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP, DISCORD_GUILD_ID: GUILD, DISCORD_API_BASE: `${base}/` },
			out,
		);
		expect(code).toBe(0);
		expect(requests.map((r) => [r.method, r.url])).toEqual([['PUT', `/api/v10/applications/${APP}/guilds/${GUILD}/commands`]]);
		expect(requests[0]?.body).toEqual(expectedBody);
		expect(out.text.out).toContain(`to guild ${GUILD}`);
	});

	it('registerCommands reports the route and the ids Discord gave', async () => {
		const result = await registerCommands({ token: TOKEN, applicationId: APP, apiBase: base });
		expect(result.route).toBe(`/applications/${APP}/commands`);
		expect(result.registered.map((r) => r.name)).toEqual(commands.map((c) => c.data.name));
	});

	it('needs a token and an application id', async () => {
		for (const env of [{}, { DISCORD_APPLICATION_ID: APP }, { DISCORD_TOKEN: TOKEN }]) {
			const out = io();
			expect(await deploy({ ...env, DISCORD_API_BASE: base }, out)).toBe(1);
			expect(out.text.err).toMatch(/DISCORD_TOKEN|DISCORD_APPLICATION_ID/);
		}
		expect(requests).toHaveLength(0);
	});

	it('says why Discord refused, without a stack trace, and exits 1', async () => {
		status = 403;
		const out = io();
		expect(await deploy({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP, DISCORD_GUILD_ID: GUILD, DISCORD_API_BASE: base }, out)).toBe(
			1,
		);
		expect(out.text.err).toMatch(/HTTP 403, error code 50001/);
		expect(out.text.err).not.toMatch(/\n\s+at /);
	});

	it('registers commands the fake Discord accepts as valid', async () => {
		const fake = await startFakeDiscord({ applicationId: APP });
		try {
			const out = io();
			expect(await deploy({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APP, DISCORD_API_BASE: fake.apiBase }, out)).toBe(0);
			expect(fake.commands().map((c: { name: string }) => c.name)).toEqual(commands.map((c) => c.data.name));
			fake.assertNoViolations();
		} finally {
			await fake.close();
		}
	});
});
