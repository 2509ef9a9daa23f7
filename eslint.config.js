// Lint: typescript-eslint's type-aware recommended rules, and the layer rule: imports run one way,
// transports → dispatch → commands → reply shaping and domain. A lower layer importing a higher one fails.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const DISCORD = { regex: '^(discord\\.js|discord-api-types|@discordjs/)', message: 'The domain knows nothing of Discord.' };

/** `no-restricted-imports` for one layer: what it may not import, and why. */
function layer(files, patterns) {
	return { files, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

export default tseslint.config(
	{ ignores: ['dist/', 'coverage/', 'bench/.corpus/', 'node_modules/'] },
	js.configs.recommended,
	...tseslint.configs.recommendedTypeChecked,
	{
		languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
			],
		},
	},
	{ files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
	// The layers, lowest first.
	layer(
		['src/domain/*.ts'],
		[DISCORD, { regex: '^\\.\\./(?!bounded-map\\.js$)', message: 'The domain imports only itself (and the bounded map).' }],
	),
	layer(
		['src/domain/*/**/*.ts'],
		[DISCORD, { regex: '^\\.\\./\\.\\./(?!bounded-map\\.js$)', message: 'The domain imports only itself (and the bounded map).' }],
	),
	layer(
		['src/i18n/**/*.ts'],
		[{ regex: `^\\.\\./|${DISCORD.regex}`, message: 'The catalogues sit below everything that speaks: they import only themselves.' }],
	),
	layer(
		['src/reply/**/*.ts'],
		[
			{
				regex: '^\\.\\./(?!domain/)',
				message: 'Reply shaping sits below the commands and transports: it imports only itself and the domain.',
			},
		],
	),
	layer(
		['commands/**/*.ts'],
		[
			{
				regex: '^\\.\\./src/(discord|console|cli)/|^\\.\\./src/(app|main|sharded|deploy|reload)\\.js$',
				message: 'Commands sit below dispatch and the transports.',
			},
		],
	),
	layer(
		['src/discord/dispatch.ts'],
		[
			{
				regex: '^\\./(gateway|http)\\.js$|^\\.\\./(app|console|main|sharded)\\.js$|^\\.\\./console/',
				message: 'Dispatch sits below the transports.',
			},
		],
	),
);
