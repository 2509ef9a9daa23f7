// A command's declared options as the console reads them: its subcommands and its plain options.
import {
	type APIApplicationCommandBasicOption,
	type APIApplicationCommandOption,
	ApplicationCommandOptionType,
	type LocalizationMap,
} from 'discord-api-types/v10';
import type { CommandData } from '../../commands/types.js';

export type Basic = APIApplicationCommandBasicOption;

function isSubcommand(o: APIApplicationCommandOption): boolean {
	return o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup;
}

export function basicOptions(options: readonly APIApplicationCommandOption[] | undefined): Basic[] {
	return (options ?? []).filter((o): o is Basic => !isSubcommand(o));
}

export interface Subcommand {
	readonly name: string;
	readonly description: string;
	readonly name_localizations?: LocalizationMap | null | undefined;
	readonly description_localizations?: LocalizationMap | null | undefined;
	readonly options: Basic[];
}

export function subcommands(data: CommandData): Subcommand[] {
	return (data.options ?? []).flatMap((o) =>
		o.type === ApplicationCommandOptionType.Subcommand
			? [
					{
						name: o.name,
						description: o.description,
						name_localizations: o.name_localizations,
						description_localizations: o.description_localizations,
						options: basicOptions(o.options),
					},
				]
			: [],
	);
}
