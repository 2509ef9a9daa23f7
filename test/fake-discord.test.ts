// End-to-end tests of the fake Discord server (test/fake-discord) with the REAL, unmodified discord.js client.
// The bot here is a minimal in-test bot, not Marquee.
import { verify } from 'node:crypto';
import { createServer } from 'node:http';
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import {
	ActionRowBuilder,
	AttachmentBuilder,
	ButtonBuilder,
	ButtonStyle,
	Client,
	StringSelectMenuBuilder,
	ComponentType,
	EmbedBuilder,
	Events,
	GatewayIntentBits,
	InteractionContextType,
	MessageFlags,
	REST,
	Routes,
	SlashCommandBuilder,
	type AutocompleteInteraction,
	type ButtonInteraction,
	type ChatInputCommandInteraction,
	type ClientOptions,
	type Interaction,
} from 'discord.js';
import { Resvg } from '@resvg/resvg-js';
import { startFakeDiscord, type FakeDiscordOptions, type FakeDiscordServer } from './fake-discord/index.js';
import { prop } from './fake-discord/validate.js';
import { publicKeyFromHex } from '../src/discord/http.js';

const commands = [
	new SlashCommandBuilder()
		.setName('reviews')
		.setDescription('Film reviews')
		.addSubcommand((s) =>
			s
				.setName('film')
				.setDescription('Reviews of one film')
				.addStringOption((o) => o.setName('film').setDescription('Film title').setRequired(true).setAutocomplete(true))
				.addIntegerOption((o) => o.setName('limit').setDescription('How many').setMinValue(1).setMaxValue(10))
				.addBooleanOption((o) => o.setName('spoilers').setDescription('Show spoilers')),
		)
		.addSubcommand((s) => s.setName('random').setDescription('A random review')),
	new SlashCommandBuilder().setName('slow').setDescription('Deferred answer'),
	new SlashCommandBuilder().setName('pager').setDescription('Buttons'),
	new SlashCommandBuilder().setName('poster').setDescription('Sends a file'),
	new SlashCommandBuilder().setName('pick').setDescription('A select menu'),
	new SlashCommandBuilder()
		.setName('bad')
		.setDescription('Misbehaves on purpose')
		.addStringOption((o) =>
			o
				.setName('how')
				.setDescription('Which violation')
				.setRequired(true)
				.addChoices(
					{ name: 'long content', value: 'long' },
					{ name: 'big embeds', value: 'embed' },
					{ name: 'duplicate custom id', value: 'dup' },
					{ name: 'no allowed mentions', value: 'mentions' },
					{ name: 'double ack', value: 'double' },
					{ name: 'slow', value: 'slow' },
				),
		),
].map((c) => c.toJSON());

/** Client options; `allowedMentions: undefined` removes the bot's default `{ parse: [] }`. */
type BotOptions = { [K in keyof ClientOptions]?: ClientOptions[K] | undefined };

type Handler = (interaction: ChatInputCommandInteraction, client: Client) => Promise<void>;

const FILMS = ['Pusher', 'Pusher II', 'Pusher 3', 'Drive', 'Only God Forgives'];
const noPings = { parse: [] as [] };

let fake: FakeDiscordServer | undefined;
const clients: Client[] = [];
const botErrors: unknown[] = [];
const seen: Array<{ shard: number; command: string; options: unknown }> = [];

afterEach(async () => {
	await Promise.all(clients.splice(0).map((c) => c.destroy()));
	await fake?.close();
	fake = undefined;
	botErrors.length = 0;
	seen.length = 0;
});

async function start(options: FakeDiscordOptions = {}): Promise<FakeDiscordServer> {
	fake = await startFakeDiscord(options);
	return fake;
}

/** A minimal bot wired to the fake; `handlers` answer slash commands by name. */
async function bot(f: FakeDiscordServer, handlers: Record<string, Handler>, extra: BotOptions = {}): Promise<Client> {
	const client = new Client({
		intents: [GatewayIntentBits.Guilds],
		rest: { api: f.apiBase },
		allowedMentions: noPings,
		...(extra as Partial<ClientOptions>),
	});
	clients.push(client);
	const onInteraction = async (interaction: Interaction): Promise<void> => {
		try {
			if (interaction.isAutocomplete()) return await autocomplete(interaction);
			if (interaction.isChatInputCommand()) {
				seen.push({
					shard: interaction.guild?.shardId ?? -1,
					command: interaction.commandName,
					options: {
						sub: interaction.options.getSubcommand(false),
						film: interaction.options.getString('film'),
						limit: interaction.options.getInteger('limit'),
						spoilers: interaction.options.getBoolean('spoilers'),
					},
				});
				const handler = handlers[interaction.commandName];
				if (!handler) throw new Error(`no handler for /${interaction.commandName}`);
				await handler(interaction, client);
			}
		} catch (error) {
			botErrors.push(error);
		}
	};
	client.on(Events.InteractionCreate, (interaction) => void onInteraction(interaction));
	let readyFired = false;
	client.once(Events.ClientReady, () => {
		readyFired = true;
	});
	await client.login(f.token);
	expect(readyFired).toBe(true);
	return client;
}

async function autocomplete(interaction: AutocompleteInteraction): Promise<void> {
	const typed = interaction.options.getFocused().toLowerCase();
	const matches = FILMS.filter((f) => f.toLowerCase().includes(typed));
	await interaction.respond(matches.map((f) => ({ name: f, value: f })));
}

const reviewsHandler: Handler = async (interaction) => {
	const film = interaction.options.getString('film') ?? 'Pusher';
	const embed = new EmbedBuilder()
		.setTitle(film)
		.setDescription('Critics are divided.')
		.addFields({ name: 'Critics', value: '78%' }, { name: 'Audience', value: '91%' })
		.setFooter({ text: 'fake data' });
	const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder().setCustomId('reviews:more').setLabel('More').setStyle(ButtonStyle.Primary),
	);
	await interaction.reply({ embeds: [embed], components: [row], allowedMentions: { parse: [] } });
};

function botErrorsMessage(): string {
	return botErrors.map((e) => String((e as Error)?.stack ?? e)).join('\n');
}

describe('fake Discord with the real discord.js client', () => {
	it('logs in and reaches clientReady with the test guild cached', async () => {
		const f = await start();
		const client = await bot(f, {});
		expect(client.isReady()).toBe(true);
		expect(client.user?.id).toBe(f.applicationId);
		expect(client.application?.id).toBe(f.applicationId);
		const guild = client.guilds.cache.get(f.guildId);
		expect(guild?.name).toBe('Test Guild 0');
		expect(guild?.channels.cache.get(f.channelId)?.isTextBased()).toBe(true);
		expect(f.tokensSeen.has(f.token)).toBe(true);
		expect(f.readies).toBe(1);
		const me = await client.user?.fetch(true);
		expect(me?.id).toBe(f.applicationId);
		await client.application?.fetch();
		f.assertNoViolations();
	});

	it('stores commands registered through client.application.commands.set and a standalone REST', async () => {
		const f = await start();
		const client = await bot(f, {});
		const registered = await client.application!.commands.set(commands);
		expect(registered.size).toBe(commands.length);
		expect(f.commands().map((c) => c.name)).toEqual(commands.map((c) => c.name));

		const rest = new REST({ api: f.apiBase }).setToken(f.token);
		await rest.put(Routes.applicationGuildCommands(f.applicationId, f.guildId), { body: [commands[0]] });
		expect(f.commands(f.guildId).map((c) => c.name)).toEqual(['reviews']);
		const listed = (await rest.get(Routes.applicationCommands(f.applicationId))) as Array<{ name: string }>;
		expect(listed).toHaveLength(commands.length);
		await rest.post(Routes.applicationCommands(f.applicationId), {
			body: new SlashCommandBuilder().setName('extra').setDescription('One more').toJSON(),
		});
		const fetched = await client.application!.commands.fetch();
		expect(fetched.map((c) => c.name)).toContain('extra');
		f.assertNoViolations();
	});

	it('answers a slash command with an embed and a button (options parsed by discord.js)', async () => {
		const f = await start();
		const client = await bot(f, { reviews: reviewsHandler });
		await client.application!.commands.set(commands);
		const r = await f.slash('reviews', { film: 'Pusher II', limit: 3, spoilers: true }, { subcommand: 'film', user: 'alice' });
		expect(botErrors, botErrorsMessage()).toEqual([]);
		expect(seen[0]?.options).toEqual({ sub: 'film', film: 'Pusher II', limit: 3, spoilers: true });
		expect(r.responses).toHaveLength(1);
		expect(r.responses[0]?.type).toBe(4);
		expect(r.responses[0]!.at).toBeLessThan(3000);
		expect(r.message.embeds[0]?.title).toBe('Pusher II');
		expect(r.message.embeds[0]?.fields).toHaveLength(2);
		expect(r.message.components).toMatchObject([{ type: ComponentType.ActionRow, components: [{ custom_id: 'reviews:more' }] }]);
		expect(r.message.interaction_metadata.id).toBe(r.id);
		expect(r.message.interaction_metadata.user.username).toBe('alice');
		expect(r.message.author.id).toBe(f.applicationId);
		// discord.js sends `enforce_nonce`, which the OpenAPI spec does not declare: a warning, not a violation.
		expect(f.warnings.join('\n')).toMatch(/data\.enforce_nonce" is not declared/);
		f.assertNoViolations();
	});

	it('returns {interaction, resource} for with_response=true', async () => {
		const f = await start();
		let resourceContent: string | undefined;
		let callbackId: string | undefined;
		const client = await bot(f, {
			reviews: async (interaction) => {
				const response = await interaction.reply({ content: 'With response', withResponse: true });
				resourceContent = response.resource?.message?.content;
				callbackId = response.interaction.id;
			},
		});
		await client.application!.commands.set(commands);
		const r = await f.slash('reviews', {}, { subcommand: 'random' });
		await expect.poll(() => resourceContent).toBe('With response');
		expect(callbackId).toBe(r.id);
		expect(f.requests.some((q) => q.path.includes('with_response=true') && q.status === 200)).toBe(true);
		f.assertNoViolations();
	});

	it('handles deferReply + editReply + followUp + fetchReply + deleteReply', async () => {
		const f = await start();
		let fetched = '';
		const client = await bot(f, {
			slow: async (interaction) => {
				await interaction.deferReply();
				await interaction.editReply({ content: 'Here are the reviews.' });
				fetched = (await interaction.fetchReply()).content;
				const follow = await interaction.followUp({ content: 'One more thing.' });
				await interaction.deleteReply(follow);
			},
		});
		await client.application!.commands.set(commands);
		const r = await f.slash('slow', {}, { responses: 2 });
		expect(r.responses.map((x) => x.kind)).toEqual(['callback', 'edit']);
		expect(r.responses[0]?.type).toBe(5);
		expect(r.message.content).toBe('Here are the reviews.');
		expect((r.message.flags ?? 0) & (1 << 7)).toBe(0);
		await r.waitForResponses(3);
		await expect.poll(() => f.requests.filter((q) => q.method === 'DELETE').length).toBe(1);
		expect(fetched).toBe('Here are the reviews.');
		expect(r.followUpIds).toHaveLength(1);
		expect(r.followUps).toHaveLength(0); // deleted
		expect(botErrors, botErrorsMessage()).toEqual([]);
		f.assertNoViolations();
	});

	it('turns the first follow-up after deferReply into the reply', async () => {
		const f = await start();
		const client = await bot(f, {
			slow: async (interaction) => {
				await interaction.deferReply({ flags: 64 });
				await interaction.followUp({ content: 'Done.', flags: 64 });
			},
		});
		await client.application!.commands.set(commands);
		const r = await f.slash('slow');
		expect(r.message.content).toBe('Done.');
		expect((r.message.flags ?? 0) & 64).toBe(64);
		expect(r.followUps).toHaveLength(0);
		f.assertNoViolations();
	});

	it('answers autocomplete with choices', async () => {
		const f = await start();
		const client = await bot(f, {});
		await client.application!.commands.set(commands);
		const choices = await f.autocomplete('reviews', 'film', 'pus', { subcommand: 'film' });
		expect(choices.map((c) => c.name)).toEqual(['Pusher', 'Pusher II', 'Pusher 3']);
		f.assertNoViolations();
	});

	it('delivers button clicks to a collector and records interaction.update()', async () => {
		const f = await start();
		const client = await bot(f, {
			pager: async (interaction) => {
				const row = (page: number): ActionRowBuilder<ButtonBuilder> =>
					new ActionRowBuilder<ButtonBuilder>().addComponents(
						new ButtonBuilder()
							.setCustomId('prev')
							.setLabel('Prev')
							.setStyle(ButtonStyle.Secondary)
							.setDisabled(page === 1),
						new ButtonBuilder().setCustomId('next').setLabel('Next').setStyle(ButtonStyle.Primary),
					);
				let page = 1;
				const response = await interaction.reply({ content: 'Page 1', components: [row(page)] });
				const collector = response.createMessageComponentCollector({ componentType: ComponentType.Button, time: 5000 });
				collector.on('collect', (click: ButtonInteraction) => {
					page += click.customId === 'next' ? 1 : -1;
					click.update({ content: `Page ${page}`, components: [row(page)] }).catch((error: unknown) => botErrors.push(error));
				});
			},
		});
		await client.application!.commands.set(commands);
		const r = await f.slash('pager');
		expect(r.message.content).toBe('Page 1');
		const c1 = await f.click(r.message, 'next', { user: 'bob' });
		expect(c1.responses[0]?.type).toBe(7);
		expect(c1.message.id).toBe(r.message.id);
		expect(c1.message.content).toBe('Page 2');
		expect(c1.payload.message?.interaction_metadata.id).toBe(r.id);
		const c2 = await f.click(r, 'prev');
		expect(c2.message.content).toBe('Page 1');
		await expect(f.click(r, 'prev')).rejects.toThrow(/disabled/);
		expect(botErrors, botErrorsMessage()).toEqual([]);
		f.assertNoViolations();
	});

	it('delivers select menu values; a component answered with reply() creates a new message', async () => {
		const f = await start();
		const client = await bot(f, {
			pick: async (interaction) => {
				const menu = new StringSelectMenuBuilder()
					.setCustomId('film')
					.setPlaceholder('Pick a film')
					.addOptions(FILMS.map((film) => ({ label: film, value: film })));
				await interaction.reply({
					content: 'Pick one',
					components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
				});
			},
		});
		client.on(Events.InteractionCreate, (interaction) => {
			if (!interaction.isStringSelectMenu()) return;
			interaction
				.reply({ content: `You picked ${interaction.values.join(', ')}`, flags: 64 })
				.catch((error: unknown) => botErrors.push(error));
		});
		await client.application!.commands.set(commands);
		const r = await f.slash('pick');
		const c = await f.click(r, 'film', { values: ['Drive'] });
		expect(c.responses[0]?.type).toBe(4);
		expect(c.message.id).not.toBe(r.message.id);
		expect(c.message.content).toBe('You picked Drive');
		expect((c.message.flags ?? 0) & 64).toBe(64);
		expect(c.message.interaction_metadata).toMatchObject({ interacted_message_id: r.message.id });
		expect(botErrors, botErrorsMessage()).toEqual([]);
		f.assertNoViolations();
	});

	it('accepts multipart bodies (files + payload_json)', async () => {
		const f = await start();
		const client = await bot(f, {
			poster: async (interaction) => {
				const file = new AttachmentBuilder(Buffer.from('fake poster bytes'), { name: 'poster.txt' });
				await interaction.reply({ content: 'Poster:', files: [file] });
			},
		});
		await client.application!.commands.set(commands);
		const r = await f.slash('poster');
		expect(r.responses[0]?.files).toEqual([expect.objectContaining({ name: 'poster.txt', size: 17 })]);
		expect(r.message.attachments[0]?.filename).toBe('poster.txt');
		expect(r.message.content).toBe('Poster:');
		f.assertNoViolations();
	});

	it('reconnects and resumes after dropped connections', async () => {
		const f = await start();
		const client = await bot(f, { reviews: reviewsHandler });
		await client.application!.commands.set(commands);
		await f.slash('reviews', {}, { subcommand: 'random' });
		f.dropConnections();
		await f.waitForResumed(1);
		const r = await f.slash('reviews', {}, { subcommand: 'random' });
		expect(r.message.embeds[0]?.title).toBe('Pusher');
		// An interaction injected while the socket is down is replayed on RESUME.
		f.dropConnections({ terminate: true });
		const queued = f.slash('reviews', { film: 'Drive' }, { subcommand: 'film' });
		const r2 = await queued;
		expect(r2.message.embeds[0]?.title).toBe('Drive');
		expect(f.resumes).toBe(2);
		expect(f.readies).toBe(1);
		expect(botErrors, botErrorsMessage()).toEqual([]);
		f.assertNoViolations();
	});

	it('routes interactions to the shard that owns the guild (2 clients, 1 shard each)', async () => {
		const f = await start({ shards: 2 });
		const [a, b] = await Promise.all([
			bot(f, { reviews: reviewsHandler }, { shards: 0, shardCount: 2 }),
			bot(f, { reviews: reviewsHandler }, { shards: 1, shardCount: 2 }),
		]);
		await f.waitForReady(2);
		expect(a.guilds.cache.has(f.guilds[0]!.id)).toBe(true);
		expect(b.guilds.cache.has(f.guilds[1]!.id)).toBe(true);
		expect(a.guilds.cache.size + b.guilds.cache.size).toBe(2);
		await a.application!.commands.set(commands);
		await f.slash('reviews', {}, { subcommand: 'random', guildId: f.guilds[0]!.id });
		await f.slash('reviews', {}, { subcommand: 'random', guildId: f.guilds[1]!.id });
		expect(seen.map((s) => s.shard)).toEqual([0, 1]);
		f.assertNoViolations();
	});

	it('rejects an interaction for an undeclared option', async () => {
		const f = await start();
		const client = await bot(f, { reviews: reviewsHandler });
		await client.application!.commands.set(commands);
		await expect(f.slash('reviews', { flim: 'x' }, { subcommand: 'film' })).rejects.toThrow(/"flim" is not declared/);
	});
});

/** A 40×20 PNG (one flat rectangle), as the charts are rendered. */
const PNG = new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#5865f2"/></svg>')
	.render()
	.asPng();

/** One part of a hand-built multipart/form-data body: a plain field (no filename) or a file. */
interface Part {
	name: string;
	filename?: string;
	type?: string;
	data: string | Uint8Array;
}

/** A multipart/form-data body written out byte by byte, as a client sends it. */
function multipart(parts: readonly Part[]): { body: Buffer; contentType: string } {
	const boundary = '----marquee-test-boundary';
	const chunks = parts.flatMap((part) => [
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"` +
				(part.filename === undefined ? '' : `; filename="${part.filename}"`) +
				(part.type === undefined ? '' : `\r\nContent-Type: ${part.type}`) +
				'\r\n\r\n',
		),
		Buffer.from(part.data),
		Buffer.from('\r\n'),
	]);
	return { body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('attachments: multipart bodies checked against their payload', () => {
	const chartEmbed = { title: 'Ratings', image: { url: 'attachment://chart.png' } };
	/** A reply's payload_json: an embed showing `chart.png`, and the given attachments. */
	const payload = (attachments: unknown[], embed: unknown = chartEmbed): Part => ({
		name: 'payload_json',
		type: 'application/json',
		data: JSON.stringify({ type: 4, data: { embeds: [embed], attachments, allowed_mentions: { parse: [] } } }),
	});
	const chart = (field = 'files[0]', data: Uint8Array = PNG, filename = 'chart.png'): Part => ({
		name: field,
		filename,
		type: 'image/png',
		data,
	});
	const described = { id: '0', filename: 'chart.png', description: 'Audience ratings: 3 of 10, 5 of 9' };

	/** Answers /poster with `parts` as one raw multipart callback; resolves with the record and the HTTP status. */
	async function answerWith(parts: readonly Part[], options: FakeDiscordOptions = {}): Promise<{ f: FakeDiscordServer; status: number }> {
		const f = await start(options);
		let answered: Promise<number> | undefined;
		const client = await bot(f, {
			poster: async (interaction) => {
				const { body, contentType } = multipart(parts);
				const url = `${f.apiBase}/v10/interactions/${interaction.id}/${interaction.token}/callback?with_response=true`;
				answered = fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body }).then((res) => res.status);
				await answered;
			},
		});
		await client.application!.commands.set(commands);
		await f.slash('poster');
		return { f, status: await answered! };
	}

	it('records each file on the message: name, size, pixel size from the IHDR, description', async () => {
		const { f, status } = await answerWith([payload([described]), chart()]);
		expect(status).toBe(200);
		const [record] = f.interactions;
		expect(record?.responses[0]?.files).toEqual([
			{
				field: 'files[0]',
				name: 'chart.png',
				size: PNG.length,
				contentType: 'image/png',
				data: new Uint8Array(PNG),
				width: 40,
				height: 20,
			},
		]);
		expect(record?.message.attachments).toEqual([
			expect.objectContaining({
				filename: 'chart.png',
				size: PNG.length,
				width: 40,
				height: 20,
				content_type: 'image/png',
				description: 'Audience ratings: 3 of 10, 5 of 9',
			}),
		]);
		expect(record?.message.embeds[0]?.image?.url).toBe('attachment://chart.png');
		f.assertNoViolations();
	});

	const tooBig = new Uint8Array(100 * 1024 + 1);
	tooBig.set(PNG);
	it.each([
		['an attachment without its file', [payload([described, { id: '1' }]), chart()], /attachments\[1\] \(id 1\) has no files\[1\] part/],
		[
			'a file no attachment names',
			[payload([described]), chart(), chart('files[1]', PNG, 'extra.png')],
			/files\[1\] \("extra\.png"\) is not named by any attachments\[\]\.id/,
		],
		[
			"a filename other than the part's",
			[payload([{ ...described, filename: 'other.png' }], { ...chartEmbed, image: { url: 'attachment://other.png' } }), chart()],
			/attachments\[0\]\.filename "other\.png" is not the name of its part files\[0\] \("chart\.png"\)/,
		],
		[
			'a .png without the PNG signature',
			[payload([described]), chart('files[0]', Buffer.from('GIF89a not a png'))],
			/files\[0\] \("chart\.png"\) is not a PNG/,
		],
		[
			'a file over 100 KB',
			[payload([described]), chart('files[0]', tooBig)],
			/files\[0\] \("chart\.png"\) is 102401 bytes \(limit 102400\)/,
		],
		[
			"an embed's attachment:// URL that names no file",
			[payload([described], { ...chartEmbed, image: { url: 'attachment://chart-2.png' } }), chart()],
			/embeds\[0\]\.image\.url "attachment:\/\/chart-2\.png" names no attached file/,
		],
	])('flags %s', async (_, parts, violation) => {
		const { f } = await answerWith(parts);
		expect(f.violations).toHaveLength(1);
		expect(f.violations[0]).toMatch(violation);
		expect(f.interactions[0]?.violations).toEqual(f.violations);
	});

	it('takes a larger file when maxAttachmentBytes allows it', async () => {
		const { f } = await answerWith([payload([described]), chart('files[0]', tooBig)], { maxAttachmentBytes: 200_000 });
		expect(f.interactions[0]?.message.attachments[0]).toMatchObject({ size: 102_401, width: 40, height: 20 });
		f.assertNoViolations();
	});

	it('reads an interactions endpoint answer sent as multipart/form-data, and checks its files', async () => {
		const f = await start();
		const answers = [
			multipart([payload([described]), chart()]),
			multipart([payload([described]), chart('files[0]', Buffer.from('no png'))]),
		];
		const endpoint = createServer((req, res) => {
			const answer = answers.shift();
			req.resume();
			res.writeHead(200, { 'content-type': answer?.contentType ?? 'text/plain' }).end(answer?.body);
		});
		await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
		try {
			const address = endpoint.address();
			f.setInteractionsEndpoint(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/interactions`);
			const good = await f.slash('poster');
			expect(good.responses[0]?.files.map((file) => [file.field, file.name, file.size, file.width, file.height])).toEqual([
				['files[0]', 'chart.png', PNG.length, 40, 20],
			]);
			expect(good.message.attachments).toEqual([expect.objectContaining({ filename: 'chart.png', width: 40, height: 20 })]);
			f.assertNoViolations();
			await f.slash('poster');
			expect(f.violations).toEqual([expect.stringMatching(/^ENDPOINT POST \/interactions .*files\[0\] \("chart\.png"\) is not a PNG/)]);
		} finally {
			await new Promise<void>((resolve) => endpoint.close(() => resolve()));
		}
	});

	it('checks the files of follow-ups and edits sent by discord.js (deferReply, editReply, followUp)', async () => {
		const f = await start();
		const client = await bot(f, {
			poster: async (interaction) => {
				await interaction.deferReply();
				const file = (name: string): AttachmentBuilder => new AttachmentBuilder(Buffer.from(PNG), { name, description: `alt ${name}` });
				await interaction.editReply({ embeds: [{ title: 'A', image: { url: 'attachment://a.png' } }], files: [file('a.png')] });
				await interaction.followUp({ embeds: [{ title: 'B', image: { url: 'attachment://b.png' } }], files: [file('b.png')] });
				// An edit keeping a.png (by its attachment id) may point the embed at it; c.png is named nowhere.
				const kept = (await interaction.fetchReply()).attachments.map((a) => ({ id: a.id }));
				await interaction.editReply({ embeds: [{ title: 'A2', image: { url: 'attachment://c.png' } }], attachments: kept, files: [] });
			},
		});
		await client.application!.commands.set(commands);
		const r = await f.slash('poster');
		await r.waitForResponses(4);
		const pixels = { size: PNG.length, width: 40, height: 20, content_type: 'image/png' };
		expect(r.message.attachments).toEqual([expect.objectContaining({ filename: 'a.png', description: 'alt a.png', ...pixels })]);
		expect(r.followUps[0]?.attachments).toEqual([expect.objectContaining({ filename: 'b.png', description: 'alt b.png', ...pixels })]);
		expect(f.violations).toEqual([expect.stringMatching(/PATCH .*embeds\[0\]\.image\.url "attachment:\/\/c\.png" names no attached file/)]);
		expect(botErrors, botErrorsMessage()).toEqual([]);
	});
});

describe('the validator catches violations', () => {
	async function misbehave(how: string, options: FakeDiscordOptions = {}, extra: BotOptions = {}) {
		const f = await start(options);
		const client = await bot(
			f,
			{
				bad: async (interaction, c) => {
					switch (interaction.options.getString('how', true)) {
						case 'long':
							await interaction.reply({ content: 'x'.repeat(2001) });
							return;
						case 'embed':
							await interaction.reply({
								embeds: [
									new EmbedBuilder()
										.setTitle('t'.repeat(256))
										.setDescription('d'.repeat(4096))
										.addFields({ name: 'n', value: 'v'.repeat(1024) }, { name: 'm', value: 'w'.repeat(623) }),
								],
							});
							return;
						case 'dup':
							await interaction.reply({
								content: 'Pick one',
								components: [
									new ActionRowBuilder<ButtonBuilder>().addComponents(
										new ButtonBuilder().setCustomId('same').setLabel('A').setStyle(ButtonStyle.Primary),
										new ButtonBuilder().setCustomId('same').setLabel('B').setStyle(ButtonStyle.Primary),
									),
								],
							});
							return;
						case 'mentions':
							await interaction.reply({ content: 'Hello <@123456789012345678>' });
							return;
						case 'double':
							await interaction.reply({ content: 'first' });
							try {
								await c.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
									body: { type: 4, data: { content: 'second', allowed_mentions: { parse: [] } } },
									auth: false,
								});
							} catch (error) {
								botErrors.push(error);
							}
							return;
						case 'slow':
							await new Promise((resolve) => setTimeout(resolve, 400));
							await interaction.reply({ content: 'too late' }).catch((error: unknown) => botErrors.push(error));
							return;
					}
				},
			},
			extra,
		);
		await client.application!.commands.set(commands);
		return { f, r: f.slash('bad', { how }) };
	}

	it('flags content over 2000 characters', async () => {
		const { f, r } = await misbehave('long');
		await r;
		expect(f.violations.join('\n')).toMatch(/content is 2001 characters \(limit 2000\)/);
		expect(() => f.assertNoViolations()).toThrow(/2001/);
	});

	it('flags more than 6000 embed characters in one message', async () => {
		const { f, r } = await misbehave('embed');
		await r;
		expect(f.violations).toHaveLength(1);
		expect(f.violations[0]).toMatch(/embeds total 6001 characters \(limit 6000/);
	});

	it('flags duplicate custom_ids', async () => {
		const { f, r } = await misbehave('dup');
		await r;
		expect(f.violations.join('\n')).toMatch(/custom_id "same" is used 2 times/);
	});

	it('flags a missing allowed_mentions', async () => {
		const { f, r } = await misbehave('mentions', {}, { allowedMentions: undefined });
		await r;
		expect(f.violations.join('\n')).toMatch(/allowed_mentions is missing/);
	});

	it('flags allowed_mentions that can ping', async () => {
		const { f, r } = await misbehave('mentions', {}, { allowedMentions: { parse: ['users'] } });
		await r;
		expect(f.violations.join('\n')).toMatch(/allowed_mentions.parse must be empty/);
	});

	it('flags a double acknowledgement and answers 400/40060 like Discord', async () => {
		const { f, r } = await misbehave('double');
		const record = await r.then((x) => x.waitForResponses(2));
		expect(f.violations.join('\n')).toMatch(/interaction answered twice/);
		expect(record.violations).toHaveLength(1);
		await expect.poll(() => botErrors.length).toBe(1);
		expect(botErrors[0]).toMatchObject({ status: 400, code: 40060 });
		botErrors.length = 0;
	});

	it('flags a first response that comes too late', async () => {
		const { f, r } = await misbehave('slow', { ackTimeoutMs: 200 });
		await expect(r).rejects.toThrow(/no initial response within 200 ms/);
		await expect.poll(() => botErrors.length).toBe(1);
		expect(botErrors[0]).toMatchObject({ status: 404, code: 10062 });
		expect(f.violations.join('\n')).toMatch(/initial response after \d+ ms \(limit 200 ms\)/);
		botErrors.length = 0;
	});

	it('rejects invalid command registrations', async () => {
		const f = await start();
		const rest = new REST({ api: f.apiBase }).setToken(f.token);
		await expect(
			rest.put(Routes.applicationCommands(f.applicationId), {
				body: [
					{ name: 'Bad Name', description: 'x' },
					{ name: 'ok', description: '' },
				],
			}),
		).rejects.toMatchObject({ status: 400 });
		expect(f.violations.join('\n')).toMatch(/\/Bad Name: name "Bad Name" must match/);
		expect(f.violations.join('\n')).toMatch(/\/ok: description must be 1-100 characters/);
		expect(f.commands()).toEqual([]);
	});

	it('records unknown routes', async () => {
		const f = await start();
		const client = await bot(f, {});
		await expect(client.rest.get('/nonexistent/route')).rejects.toMatchObject({ status: 404 });
		expect(f.violations.join('\n')).toMatch(/GET \/v10\/nonexistent\/route: route not implemented/);
	});
});

describe('modals (callback type 9, modal submits of type 5) and DMs', () => {
	/** A modal as Marquee shows one: Labels wrapping text inputs (no label of their own) and a checkbox. */
	const goodModal = {
		custom_id: 'form:42',
		title: 'Your review of Pusher II',
		components: [
			{ type: 18, label: 'Title', component: { type: 4, custom_id: 'title', style: 1, max_length: 100, required: false } },
			{
				type: 18,
				label: 'Review',
				description: 'What did you think?',
				component: { type: 4, custom_id: 'body', style: 2, min_length: 2, max_length: 50, value: 'Pre-filled' },
			},
			{ type: 18, label: 'Contains spoilers', component: { type: 23, custom_id: 'spoiler' } },
		],
	};
	let nextModal: unknown = goodModal;

	/**
	 * A bot that shows `nextModal` to /form and to the button of /pager's message, answers a modal submit with what
	 * discord.js read of it (ephemeral; an update of the message when a button showed the modal), and /whereami with
	 * where it was used. Modals go out raw, as Marquee sends them; a refused one is answered with a message instead.
	 */
	async function modalBot(f: FakeDiscordServer): Promise<Client> {
		const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: f.apiBase }, allowedMentions: noPings });
		clients.push(client);
		const show = async (interaction: ChatInputCommandInteraction | ButtonInteraction): Promise<void> => {
			try {
				await client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
					body: { type: 9, data: nextModal },
					auth: false,
				});
			} catch {
				await interaction.reply({ content: 'modal refused', flags: MessageFlags.Ephemeral });
			}
		};
		client.on(Events.InteractionCreate, (interaction) => {
			const run = async (): Promise<void> => {
				if (interaction.isChatInputCommand() && interaction.commandName === 'form') return show(interaction);
				if (interaction.isChatInputCommand() && interaction.commandName === 'pager') {
					const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
						new ButtonBuilder().setCustomId('open').setLabel('Write').setStyle(ButtonStyle.Primary),
					);
					await interaction.reply({ content: 'A page', components: [row] });
					return;
				}
				if (interaction.isChatInputCommand() && interaction.commandName === 'whereami') {
					await interaction.reply({ content: `guild ${String(interaction.guildId)}, user ${interaction.user.username}` });
					return;
				}
				if (interaction.isButton()) return show(interaction);
				if (interaction.isModalSubmit()) {
					const { fields } = interaction;
					const content = [
						interaction.customId,
						fields.getTextInputValue('title'),
						fields.getTextInputValue('body'),
						String(fields.getCheckbox('spoiler')),
						String(interaction.guildId),
					].join(' | ');
					if (interaction.isFromMessage()) await interaction.update({ content, components: [] });
					else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
				}
			};
			run().catch((error: unknown) => botErrors.push(error));
		});
		await client.login(f.token);
		await client.application!.commands.set([
			...commands,
			new SlashCommandBuilder().setName('form').setDescription('Shows a modal').toJSON(),
			new SlashCommandBuilder().setName('whereami').setDescription('Where it was used').toJSON(),
		]);
		return client;
	}

	afterEach(() => {
		nextModal = goodModal;
	});

	it('records a modal a command shows, and a submit comes back as a type 5 interaction discord.js reads', async () => {
		const f = await start();
		await modalBot(f);
		const shown = await f.slash('form', {}, { user: 'alice' });
		expect(shown.callbackType).toBe(9);
		expect(shown.modal).toEqual(goodModal);
		const s = await f.submitModal(shown, { title: 'Grim', spoiler: true });
		expect(botErrors, botErrorsMessage()).toEqual([]);
		expect(s.type).toBe(5);
		expect(s.payload.guild_id).toBe(f.guildId);
		expect(s.user.username).toBe('alice');
		expect(s.payload.data).toEqual({
			custom_id: 'form:42',
			components: [
				{ type: 18, id: 1, component: { type: 4, id: 2, custom_id: 'title', value: 'Grim' } },
				{ type: 18, id: 3, component: { type: 4, id: 4, custom_id: 'body', value: 'Pre-filled' } },
				{ type: 18, id: 5, component: { type: 23, id: 6, custom_id: 'spoiler', value: true } },
			],
		});
		expect(s.responses.map((r) => r.type)).toEqual([4]);
		expect(s.message.content).toBe(`form:42 | Grim | Pre-filled | true | ${f.guildId}`);
		expect(s.message.flags).toBe(MessageFlags.Ephemeral);
		expect(s.message.interaction_metadata).toMatchObject({ type: 5, triggering_interaction_metadata: { id: shown.id, type: 2 } });
		f.assertNoViolations();
	});

	it('a modal a button shows: the submit carries the clicked message and may update it', async () => {
		const f = await start();
		await modalBot(f);
		const page = await f.slash('pager', {}, { user: 'bob' });
		const shown = await f.click(page, 'open', { user: 'bob' });
		expect(shown.callbackType).toBe(9);
		const s = await f.submitModal(shown, { body: 'Bleak and brilliant' });
		expect(s.payload.message?.id).toBe(page.message.id);
		expect(s.responses.map((r) => r.type)).toEqual([7]);
		expect(f.messages.get(page.message.id)?.content).toBe(`form:42 |  | Bleak and brilliant | false | ${f.guildId}`);
		f.assertNoViolations();
	});

	it('refuses to submit a modal never shown, one already submitted, or values its fields do not take', async () => {
		const f = await start();
		await modalBot(f);
		const page = await f.slash('pager');
		await expect(f.submitModal(page)).rejects.toThrow(/showed no modal/);
		const shown = await f.slash('form');
		await expect(f.submitModal(shown, { rating: '9' })).rejects.toThrow(/the modal has no field "rating"/);
		await expect(f.submitModal(shown, { spoiler: 'yes' })).rejects.toThrow(/"spoiler" is a checkbox; got string/);
		await expect(f.submitModal(shown, { body: true })).rejects.toThrow(/"body" is a text input; got boolean/);
		await expect(f.submitModal(shown, { body: '' })).rejects.toThrow(/"body" is required/);
		await expect(f.submitModal(shown, { body: 'x' })).rejects.toThrow(/"body" is 1 characters \(min_length 2\)/);
		await expect(f.submitModal(shown, { body: 'x'.repeat(51) })).rejects.toThrow(/"body" is 51 characters \(max_length 50\)/);
		await f.submitModal(shown);
		await expect(f.submitModal(shown)).rejects.toThrow(/already submitted/);
		f.assertNoViolations();
	});

	it("flags a modal outside Discord's limits, and refuses it with 400 like Discord", async () => {
		const label = (component: unknown, extra = {}): unknown => ({ type: 18, label: 'Field', component, ...extra });
		const text = (extra = {}): unknown => ({ type: 4, custom_id: 'body', style: 2, ...extra });
		const cases: Array<[unknown, RegExp]> = [
			[{ ...goodModal, title: 't'.repeat(46) }, /title/],
			[{ ...goodModal, title: '' }, /title/],
			[{ ...goodModal, custom_id: 'c'.repeat(101) }, /custom_id/],
			[{ ...goodModal, components: [] }, /components/],
			[
				{ ...goodModal, components: [1, 2, 3, 4, 5, 6].map((i) => label(text({ custom_id: `f${i}` }))) },
				/has 6 components \(must be 1-5\)/,
			],
			[{ ...goodModal, components: [label(text(), { label: 'l'.repeat(46) })] }, /label/],
			[{ ...goodModal, components: [label(text(), { description: 'd'.repeat(101) })] }, /description/],
			[{ ...goodModal, components: [label(text({ label: 'Body' }))] }, /a text input inside a Label has no label of its own/],
			[{ ...goodModal, components: [label(text({ max_length: 4001 }))] }, /max_length/],
			[{ ...goodModal, components: [label(text({ max_length: 10, value: 'v'.repeat(11) }))] }, /value is 11 characters \(max_length 10\)/],
			[{ ...goodModal, components: [label(text({ min_length: 20, max_length: 10 }))] }, /min_length 20 is over max_length 10/],
			[{ ...goodModal, components: [{ type: 1, components: [text({ label: 'Body' })] }] }, /must be Labels \(type 18\)/],
			[{ ...goodModal, components: [label(text()), label(text())] }, /custom_id "body" is used twice/],
		];
		const f = await start();
		await modalBot(f);
		for (const [modal, problem] of cases) {
			nextModal = modal;
			const r = await f.slash('form');
			expect(r.modal).toBeNull();
			expect(r.message.content).toBe('modal refused');
			expect(r.violations.join('\n')).toMatch(problem);
		}
		expect(botErrors, botErrorsMessage()).toEqual([]);
	});

	it('flags a modal that is not the first response to a command or a component', async () => {
		const f = await start();
		const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: f.apiBase }, allowedMentions: noPings });
		clients.push(client);
		const modal = (interaction: Interaction): Promise<unknown> =>
			client.rest
				.post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 9, data: goodModal }, auth: false })
				.catch((error: unknown) => error);
		const refusals: unknown[] = [];
		client.on(Events.InteractionCreate, (interaction) => {
			const run = async (): Promise<void> => {
				if (interaction.isAutocomplete()) {
					refusals.push(await modal(interaction));
					await interaction.respond([]);
				} else if (interaction.isChatInputCommand() && interaction.commandName === 'slow') {
					await interaction.deferReply();
					refusals.push(await modal(interaction));
					await interaction.editReply({ content: 'done' });
				} else if (interaction.isChatInputCommand()) {
					await modal(interaction);
				} else if (interaction.isModalSubmit()) {
					refusals.push(await modal(interaction));
					await interaction.reply({ content: 'thanks' });
				}
			};
			run().catch((error: unknown) => botErrors.push(error));
		});
		await client.login(f.token);
		await client.application!.commands.set(commands);
		const completion = await f.autocompleteRecord('reviews', 'film', 'pus', { subcommand: 'film' });
		expect(completion.violations.join('\n')).toMatch(/callback type 9 is not valid for a autocomplete interaction/);
		const deferred = await f.slash('slow');
		expect(deferred.violations.join('\n')).toMatch(/a modal must be the first response \(already acknowledged with type 5\)/);
		const shown = await f.slash('pager');
		const submitted = await f.submitModal(shown, { title: 'x', body: 'yy' });
		expect(submitted.violations.join('\n')).toMatch(/callback type 9 is not valid for a modal interaction/);
		expect(refusals).toMatchObject([{ status: 400 }, { status: 400, code: 40060 }, { status: 400 }]);
		expect(botErrors, botErrorsMessage()).toEqual([]);
	});

	it('a DM: no guild_id and no member, the user on top; a modal shown there is submitted from there', async () => {
		const f = await start();
		await modalBot(f);
		const r = await f.slash('whereami', {}, { dm: true, user: 'carol' });
		expect(r.payload.guild_id).toBeUndefined();
		expect(r.payload.member).toBeUndefined();
		expect(r.payload).toMatchObject({ user: { username: 'carol' }, context: 1, channel: { type: 1 } });
		expect(r.message.content).toBe('guild null, user carol');
		expect(r.message.guild_id).toBeUndefined();
		const shown = await f.slash('form', {}, { dm: true, user: 'carol' });
		const s = await f.submitModal(shown, { body: 'In private' });
		expect(s.payload.guild_id).toBeUndefined();
		expect(s.message.content).toBe('form:42 |  | In private | false | null');
		await expect(f.slash('whereami', {}, { dm: true, guildId: f.guildId })).rejects.toThrow(/a guild or a DM, not both/);
		f.assertNoViolations();
	});

	it('through an interactions endpoint: signed POSTs, the HTTP answer is the callback, a submit arrives the same way', async () => {
		const f = await start();
		const received: unknown[] = [];
		const endpoint = createServer((req, res) => {
			void (async () => {
				const raw = await buffer(req);
				const key = publicKeyFromHex(f.publicKeyHex);
				const signed = Buffer.concat([Buffer.from(String(req.headers['x-signature-timestamp'])), raw]);
				if (!verify(null, signed, key, Buffer.from(String(req.headers['x-signature-ed25519']), 'hex'))) {
					res.writeHead(401).end();
					return;
				}
				const body: unknown = JSON.parse(raw.toString('utf8'));
				received.push(body);
				const answer =
					prop(body, 'type') === 2
						? { type: 9, data: goodModal }
						: { type: 4, data: { content: JSON.stringify(prop(body, 'data')), flags: 64, allowed_mentions: { parse: [] } } };
				res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
			})();
		});
		await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
		try {
			const address = endpoint.address();
			f.setInteractionsEndpoint(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/interactions`);
			const shown = await f.slash('form', {}, { dm: true, user: 'dana' });
			expect(shown.modal).toEqual(goodModal);
			const s = await f.submitModal(shown, { body: 'Over HTTP' });
			expect(received.map((b) => [prop(b, 'type'), prop(b, 'guild_id'), prop(prop(b, 'user'), 'username')])).toEqual([
				[2, undefined, 'dana'],
				[5, undefined, 'dana'],
			]);
			expect(JSON.parse(s.message.content)).toEqual(s.payload.data);
			expect(s.message.flags).toBe(64);
			// the command was not registered: a warning, not a violation
			f.assertNoViolations();
		} finally {
			await new Promise<void>((resolve) => endpoint.close(() => resolve()));
		}
	});

	it('refuses a DM use of a command that is not usable in DMs', async () => {
		const f = await start();
		const client = await bot(f, {});
		await client.application!.commands.set([
			new SlashCommandBuilder().setName('guildonly').setDescription('Servers only').setContexts(InteractionContextType.Guild).toJSON(),
		]);
		await expect(f.slash('guildonly', {}, { dm: true })).rejects.toThrow(/not usable in DMs/);
	});
});
