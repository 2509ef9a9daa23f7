import {
	type APIApplicationCommandOption,
	type APIApplicationCommandOptionChoice,
	ApplicationCommandOptionType,
	MessageFlags,
} from 'discord-api-types/v10';
import type { Logger } from 'pino';
import { findButtonOwner, findCommand } from '../../commands/index.js';
import { type RawOption, readArgs } from '../../commands/options.js';
import type { CommandData, Context } from '../../commands/types.js';
import type { Cache } from '../cache.js';
import { cacheView } from '../cache/view.js';
import type { ReviewStore } from '../domain/store.js';
import { type Key, localeOf, t } from '../i18n/index.js';
import type { MemberStore } from '../members/store.js';
import { Limits } from '../reply/limits.js';
import { type FinalModal, finalizeModal, type ModalField, ModalLimits } from '../reply/modal.js';
import { type FinalReply, finalizeChoices, finalizeReply } from '../reply/respond.js';

export type { ModalField };

/** Who sent an interaction, and where: the server is null (or left out) in a DM. */
interface Origin {
	readonly userId: string;
	readonly channelId: string;
	/** The transports always say; left out, it reads as a DM. */
	readonly guildId?: string | null;
	/** The user's Discord locale (`da`, `en-US`…) and the server's: the reply's language is chosen from them (`localeOf`). */
	readonly locale?: string | null | undefined;
	readonly guildLocale?: string | null | undefined;
}

/**
 * One incoming interaction, whatever carried it (the gateway, an HTTP endpoint or the local console).
 * The transports translate into this; nothing below knows about discord.js.
 */
export type Incoming = Origin &
	(
		| { readonly type: 'command'; readonly name: string; readonly options: readonly RawOption[] }
		| {
				readonly type: 'autocomplete';
				readonly name: string;
				readonly options: readonly RawOption[];
				readonly focused: { readonly name: string; readonly value: string };
		  }
		| { readonly type: 'button'; readonly customId: string }
		| { readonly type: 'modal'; readonly customId: string; readonly fields: readonly ModalField[] }
	);

/**
 * What to send back: a new message, an edit of the message the button sits on, autocomplete choices, or a
 * modal to open (its `data` is the type 9 callback's, as a message's is the type 4 callback's).
 */
export type Outcome =
	| { readonly kind: 'reply'; readonly data: FinalReply }
	| { readonly kind: 'update'; readonly data: FinalReply }
	| { readonly kind: 'choices'; readonly choices: APIApplicationCommandOptionChoice<string>[] }
	| { readonly kind: 'modal'; readonly data: FinalModal };

export interface Deps {
	/** Read once, when an interaction starts: with live reload it is a getter, and an interaction under way keeps the store it began with. */
	readonly store: ReviewStore;
	readonly cache: Cache;
	readonly logger: Logger;
	/** Members' ratings and reviews; without it (tests that need none) every member answer is `unavailable`. */
	readonly members?: MemberStore;
	readonly random?: () => number;
	/** Told of every interaction once it is answered (the metrics, `src/ops/metrics.ts`). */
	readonly observe?: (observed: Observed) => void;
}

/**
 * How an interaction went: answered (`ok`); answered with an ephemeral notice, which every "I can't do
 * that" reply is (an unknown film or command, a bad option, someone else's button: `user_error`); not
 * one Discord would send (`refused`); or its handler threw (`error`).
 */
export type Result = 'ok' | 'user_error' | 'refused' | 'error';

export interface Observed {
	readonly type: Incoming['type'];
	/** A command Marquee has (a button's is the command it belongs to), else `unknown`: the values stay few. */
	readonly command: string;
	readonly result: Result;
	readonly seconds: number;
}

function observe(deps: Deps, incoming: Incoming, outcome: Outcome, failed: boolean | 'refused', started: number): void {
	if (!deps.observe) return;
	const known = 'customId' in incoming ? findButtonOwner(incoming.customId) : findCommand(incoming.name);
	const notice = (outcome.kind === 'reply' || outcome.kind === 'update') && ((outcome.data.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
	const result = failed === 'refused' ? 'refused' : failed ? 'error' : notice ? 'user_error' : 'ok';
	deps.observe({ type: incoming.type, command: known?.data.name ?? 'unknown', result, seconds: (performance.now() - started) / 1000 });
}

const UNAVAILABLE = Promise.resolve({ ok: false, reason: 'unavailable' } as const);
/** The member store of deps that have none: every answer `unavailable`, as when the database is down. */
const NO_MEMBERS: MemberStore = {
	kind: 'sqlite',
	rate: () => UNAVAILABLE,
	unrate: () => UNAVAILABLE,
	writeReview: () => UNAVAILABLE,
	getReview: () => UNAVAILABLE,
	removeReview: () => UNAVAILABLE,
	filmSummary: () => UNAVAILABLE,
	ratedFilms: () => UNAVAILABLE,
	memberReviews: () => UNAVAILABLE,
	top: () => UNAVAILABLE,
	member: () => UNAVAILABLE,
	forgetMe: () => UNAVAILABLE,
	randomReview: () => UNAVAILABLE,
	available: () => false,
	ready: () => Promise.resolve(false),
	close: () => Promise.resolve(),
};

/** Why an interaction was refused: a catalogue text, logged in English and told to the user in theirs. */
type ProblemKey = Extract<Key, `problem.${string}`>;

/** Discord ids are snowflakes: unsigned 64-bit integers, in decimal. */
const isSnowflake = (id: string): boolean => /^\d{1,20}$/.test(id) && BigInt(id) < 2n ** 64n;
/** The names Discord lets a command have. */
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
/** Discord's longest string option, for an option without its own max_length. */
const STRING_MAX = 6000;

/** More than `max` characters as Discord counts them (code points); a long text is not spread to find out. */
const tooLong = (text: string, max: number): boolean => text.length > max && (text.length > 2 * max || [...text].length > max);

/**
 * The option a focused value is typed in: down the subcommand group and subcommand the interaction
 * names, as Discord nests them, and only if every option given at that level is one the command has.
 */
function focusedDefinition(data: CommandData, options: readonly RawOption[], name: string): APIApplicationCommandOption | undefined {
	let defs: readonly APIApplicationCommandOption[] = data.options ?? [];
	let given = options;
	for (let level = 0; level < 2; level++) {
		const sub = given[0];
		const nested = defs.find(
			(d) =>
				(d.type === ApplicationCommandOptionType.Subcommand || d.type === ApplicationCommandOptionType.SubcommandGroup) &&
				d.name === sub?.name,
		);
		if (
			!sub ||
			!nested ||
			(nested.type !== ApplicationCommandOptionType.Subcommand && nested.type !== ApplicationCommandOptionType.SubcommandGroup)
		)
			break;
		defs = nested.options ?? [];
		given = sub.options ?? [];
	}
	if (!given.every((o) => defs.some((d) => d.name === o.name))) return undefined;
	return defs.find((d) => d.name === name);
}

/**
 * Why `incoming` is not an interaction as Discord sends them, or undefined. Checked here because every
 * transport passes here (Discord checks its own; the console, a forged HTTP body or a changed client
 * might not): ids are snowflakes, a command name or custom id within Discord's rules, and an
 * autocomplete value is for an autocomplete option of the command, within its max_length. Option
 * values of a command are checked by readArgs.
 */
function incomingProblem(incoming: Incoming): ProblemKey | undefined {
	if (!isSnowflake(incoming.userId)) return 'problem.userId';
	if (!isSnowflake(incoming.channelId)) return 'problem.channelId';
	if (incoming.guildId != null && !isSnowflake(incoming.guildId)) return 'problem.guildId';
	if (incoming.type === 'button') return incoming.customId.length > Limits.customId ? 'problem.buttonId' : undefined;
	if (incoming.type === 'modal') return modalProblem(incoming.customId, incoming.fields);
	if (!COMMAND_NAME.test(incoming.name)) return 'problem.commandName';
	const command = findCommand(incoming.name);
	if (incoming.type === 'command' || !command) return undefined;
	const def = focusedDefinition(command.data, incoming.options, incoming.focused.name);
	if (!def || !('autocomplete' in def) || def.autocomplete !== true) return 'problem.noAutocomplete';
	const max = 'max_length' in def && def.max_length !== undefined ? def.max_length : STRING_MAX;
	return tooLong(incoming.focused.value, max) ? 'problem.autocompleteLength' : undefined;
}

/** Why a modal submit is not one Discord would send: ids within 100 characters, at most five fields, texts within 4,000. */
function modalProblem(customId: string, fields: readonly ModalField[]): ProblemKey | undefined {
	if (customId.length > ModalLimits.customId) return 'problem.modalId';
	if (fields.length > ModalLimits.labels) return 'problem.modalFields';
	if (fields.some((f) => f.customId.length > ModalLimits.customId)) return 'problem.modalFieldId';
	if (fields.some((f) => typeof f.value === 'string' && tooLong(f.value, ModalLimits.textLength))) return 'problem.modalFieldLength';
	return undefined;
}

/**
 * The one place interactions are answered: it refuses what Discord would never send (see
 * incomingProblem), finds the handler, reads its options against the
 * command's data, runs it, makes the reply fit Discord's limits, and logs one line per interaction
 * with its latency and cache use. A handler that throws becomes an ephemeral apology and an error
 * log line; it never escapes as an exception.
 */
export async function dispatch(incoming: Incoming, deps: Deps): Promise<Outcome> {
	const started = performance.now();
	const locale = localeOf(incoming.locale, incoming.guildLocale);
	const problem = incomingProblem(incoming);
	if (problem !== undefined) {
		deps.logger.info({ interaction: incoming.type, reason: t('en', problem) }, 'interaction refused');
		const refused: Outcome =
			incoming.type === 'autocomplete'
				? { kind: 'choices', choices: [] }
				: {
						kind: 'reply',
						data: finalizeReply({
							content: t(locale, 'dispatch.refused', { problem: t(locale, problem) }),
							ephemeral: true,
						}),
					};
		observe(deps, incoming, refused, 'refused', started);
		return refused;
	}
	// The handler's lookups go through a view of the shared cache that notes them for the log line.
	const view = cacheView(deps.cache);
	const ctx: Context = {
		store: deps.store,
		cache: view.cache,
		userId: incoming.userId,
		channelId: incoming.channelId,
		guildId: incoming.guildId ?? null,
		locale,
		members: deps.members ?? NO_MEMBERS,
		random: deps.random ?? Math.random,
		logger: deps.logger,
	};
	const what = 'customId' in incoming ? (incoming.customId.split(':')[0] ?? incoming.type) : incoming.name;
	let outcome: Outcome;
	let failed = false;
	try {
		outcome = await answer(incoming, ctx);
	} catch (error) {
		failed = true;
		deps.logger.error({ err: error, interaction: incoming.type, command: what }, 'handler failed');
		outcome = incoming.type === 'autocomplete' ? { kind: 'choices', choices: [] } : notice(t(locale, 'dispatch.failed'));
	}
	deps.logger.info(
		{ interaction: incoming.type, command: what, ms: Math.round((performance.now() - started) * 1000) / 1000, cache: view.use(), failed },
		'interaction',
	);
	observe(deps, incoming, outcome, failed, started);
	return outcome;
}

/** An ephemeral message: every "I can't do that" answer is one. */
function notice(content: string): Outcome {
	return { kind: 'reply', data: finalizeReply({ content, ephemeral: true }) };
}

async function answer(incoming: Incoming, ctx: Context): Promise<Outcome> {
	if (incoming.type === 'button') {
		const owner = findButtonOwner(incoming.customId);
		if (!owner?.button) {
			return notice(t(ctx.locale, 'dispatch.unknownButton'));
		}
		const result = await owner.button(incoming.customId, ctx);
		return result.kind === 'modal'
			? { kind: 'modal', data: finalizeModal(result.modal) }
			: { kind: result.kind, data: finalizeReply(result.reply) };
	}
	if (incoming.type === 'modal') {
		const owner = findButtonOwner(incoming.customId);
		if (!owner?.modal) return notice(t(ctx.locale, 'dispatch.unknownForm'));
		return { kind: 'reply', data: finalizeReply(await owner.modal(incoming.customId, incoming.fields, ctx)) };
	}
	const command = findCommand(incoming.name);
	if (incoming.type === 'autocomplete') {
		if (!command?.autocomplete) return { kind: 'choices', choices: [] };
		return { kind: 'choices', choices: finalizeChoices(await command.autocomplete(incoming.focused.name, incoming.focused.value, ctx)) };
	}
	if (!command) return notice(t(ctx.locale, 'dispatch.unknownCommand', { name: incoming.name }));
	const args = readArgs(command.data, incoming.options, ctx.locale);
	if (!args.ok) return notice(args.message);
	return { kind: 'reply', data: finalizeReply(await command.run(args.args, ctx)) };
}
