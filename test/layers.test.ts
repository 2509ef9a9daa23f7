// The layer rule in eslint.config.js (imports run one way: transports → dispatch → commands → reply
// shaping and domain) catches an import that runs up, and lets the ones that run down through.
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

function isConfig(block: unknown): block is Linter.Config {
	return typeof block === 'object' && block !== null && !Array.isArray(block);
}

/** The project's layer blocks alone (the type-aware rules need files on disk and a project). */
async function layerLinter(): Promise<ESLint> {
	const mod: unknown = await import(pathToFileURL('eslint.config.js').href);
	const blocks =
		typeof mod === 'object' && mod !== null && 'default' in mod && Array.isArray(mod.default) ? mod.default.filter(isConfig) : [];
	const layers = blocks.filter((b) => b.rules?.['no-restricted-imports'] !== undefined);
	expect(layers.length).toBeGreaterThanOrEqual(5);
	return new ESLint({
		overrideConfigFile: true,
		overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...layers],
	});
}

async function problems(eslint: ESLint, filePath: string, imports: string): Promise<string[]> {
	const [result] = await eslint.lintText(`${imports}\nexport {};\n`, { filePath });
	return (result?.messages ?? []).map((m) => `${m.line}: ${m.message}`);
}

describe('the layer rule', () => {
	it('refuses an import that runs up a layer, with the reason', async () => {
		const eslint = await layerLinter();
		expect(
			await problems(eslint, 'src/domain/new.ts', "import { Client } from 'discord.js';\nimport { safe } from '../reply/format.js';"),
		).toEqual([
			"1: 'discord.js' import is restricted from being used by a pattern. The domain knows nothing of Discord.",
			"2: '../reply/format.js' import is restricted from being used by a pattern. The domain imports only itself (and the bounded map).",
		]);
		expect(await problems(eslint, 'src/domain/parse/new.ts', "import type { Reply } from '../../reply/reply.js';")).toHaveLength(1);
		expect(await problems(eslint, 'src/reply/new.ts', "import { data } from '../../commands/reviews.js';")).toEqual([
			"1: '../../commands/reviews.js' import is restricted from being used by a pattern. Reply shaping sits below the commands and transports: it imports only itself and the domain.",
		]);
		expect(
			await problems(
				eslint,
				'commands/new.ts',
				"import { dispatch } from '../src/discord/dispatch.js';\nimport { startApp } from '../src/app.js';",
			),
		).toHaveLength(2);
		expect(await problems(eslint, 'src/discord/dispatch.ts', "import { startBot } from '../app.js';")).toHaveLength(1);
		expect(
			await problems(
				eslint,
				'src/i18n/new.ts',
				"import { Locale } from 'discord-api-types/v10';\nimport { safe } from '../reply/format.js';",
			),
		).toEqual([
			"1: 'discord-api-types/v10' import is restricted from being used by a pattern. The catalogues sit below everything that speaks: they import only themselves.",
			"2: '../reply/format.js' import is restricted from being used by a pattern. The catalogues sit below everything that speaks: they import only themselves.",
		]);
	});

	it('lets imports that run down (or stay in their layer) through', async () => {
		const eslint = await layerLinter();
		expect(
			await problems(
				eslint,
				'src/domain/new.ts',
				"import { z } from 'zod';\nimport { nameKey } from './text.js';\nimport { BoundedMap } from '../bounded-map.js';",
			),
		).toEqual([]);
		expect(await problems(eslint, 'src/reply/new.ts', "import type { ReviewStore } from '../domain/store.js';")).toEqual([]);
		expect(
			await problems(
				eslint,
				'commands/new.ts',
				"import { safe } from '../src/reply/format.js';\nimport type { ReviewStore } from '../src/domain/store.js';",
			),
		).toEqual([]);
		expect(await problems(eslint, 'src/discord/dispatch.ts', "import { commands } from '../../commands/index.js';")).toEqual([]);
		expect(await problems(eslint, 'commands/new.ts', "import { t } from '../src/i18n/index.js';")).toEqual([]);
	});
});
