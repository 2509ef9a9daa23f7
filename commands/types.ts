/** The shape of a command: its typed data, the arguments inferred from it, its handlers and the context they get. */

import type {
	APIApplicationCommandBasicOption,
	APIApplicationCommandOption,
	ApplicationCommandOptionType,
	RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { CacheLookups } from '../src/cache.js';
import type { Locale } from '../src/i18n/index.js';
import type { ReviewStore } from '../src/domain/store.js';
import type { Logger } from '../src/log.js';
import type { MemberStore } from '../src/members/store.js';
import type { Modal, ModalField } from '../src/reply/modal.js';
import type { Choice, Reply } from '../src/reply/reply.js';

/** What a handler may use. Handlers read it; only the adapter knows where a request came from. */
export interface Context {
	readonly store: ReviewStore;
	/** Lookups are noted for the interaction's log line by dispatch; handlers need not report them. */
	readonly cache: CacheLookups;
	/** The user who ran the command or pressed the button. */
	readonly userId: string;
	/** Where it was run; quotes avoid repeating themselves per channel. */
	readonly channelId: string;
	/** The server it was run in; null in a DM (member ratings belong to a server). */
	readonly guildId: string | null;
	/** The language to answer in: the user's, else the server's, else English (`localeOf` in src/i18n). Review text is never translated. */
	readonly locale: Locale;
	/** Members' ratings and reviews. Always there; it answers `unavailable` while the database is down. */
	readonly members: MemberStore;
	/** A number in [0, 1); injected so tests are deterministic. */
	readonly random: () => number;
	/** For what goes wrong without failing the reply (a chart that could not be drawn); dispatch passes its own. */
	readonly logger?: Logger;
}

/** Command data is a typed constant; the handler's argument type is inferred from it. */
export type CommandData = RESTPostAPIChatInputApplicationCommandsJSONBody & { readonly name: string };

type ValueOf<O> = O extends { type: ApplicationCommandOptionType.String }
	? O extends { choices: readonly { value: infer V }[] }
		? V
		: string
	: O extends { type: ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number }
		? number
		: O extends { type: ApplicationCommandOptionType.Boolean }
			? boolean
			: O extends { type: ApplicationCommandOptionType.User }
				? string
				: never;

type BasicArgs<Options> = Options extends readonly APIApplicationCommandBasicOption[]
	? { readonly [O in Options[number] as O['name']]: O extends { required: true } ? ValueOf<O> : ValueOf<O> | undefined }
	: Record<never, never>;

/**
 * The parsed options of a command: `{ film: string }` for `/reviews film:...`; for a command with
 * subcommands, a union tagged by `subcommand`: `{ subcommand: 'random', film: string | undefined, ... }`.
 */
export type ArgsOf<D extends CommandData> = D['options'] extends readonly APIApplicationCommandOption[]
	? D['options'][number] extends { type: ApplicationCommandOptionType.Subcommand }
		? {
				[S in D['options'][number] as S['name']]: { readonly subcommand: S['name'] } & BasicArgs<S extends { options: infer O } ? O : []>;
			}[D['options'][number]['name']]
		: BasicArgs<D['options']>
	: Record<never, never>;

/**
 * A button press answered by editing the message it sits on, by a separate (usually ephemeral) reply, or by
 * opening a modal (whose submit comes back to the command's `modal` handler).
 */
export type ButtonResult =
	| { readonly kind: 'update'; readonly reply: Reply }
	| { readonly kind: 'reply'; readonly reply: Reply }
	| { readonly kind: 'modal'; readonly modal: Modal };

export interface Command<D extends CommandData = CommandData> {
	readonly data: D;
	run(args: ArgsOf<D>, ctx: Context): Promise<Reply>;
	/** Suggestions for the focused option while the user types (the store answers them at once, without a promise). */
	autocomplete?(option: string, typed: string, ctx: Context): readonly Choice[] | Promise<readonly Choice[]>;
	/** The prefix of the custom_ids this command's buttons carry, and their handler. */
	readonly buttonPrefix?: string;
	button?(customId: string, ctx: Context): Promise<ButtonResult>;
	/** A submitted modal whose custom_id starts with `buttonPrefix`; the answer is a new (usually ephemeral) message. */
	modal?(customId: string, fields: readonly ModalField[], ctx: Context): Promise<Reply>;
}
