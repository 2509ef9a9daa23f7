import { fileURLToPath } from 'node:url';

/**
 * How this package runs one of its own scripts in a child `node` process (the shards, a reload's build):
 * from the build under plain node when this code runs from `dist/` (as `npm start` runs it), else from
 * the sources under the tsx loader (`npm run dev`, the tests).
 */

const compiled = import.meta.url.endsWith('.js');

/** `node` arguments that run `script` (a path under src/ without its extension, e.g. `cli/data-build`). */
export function scriptArgs(script: string): { file: string; execArgv: string[] } {
	const file = fileURLToPath(new URL(`./${script}.${compiled ? 'js' : 'ts'}`, import.meta.url));
	return { file, execArgv: compiled ? [] : ['--import', tsxLoader()] };
}

/** The tsx loader, resolved from here so it works whatever the working directory. */
function tsxLoader(): string {
	try {
		return import.meta.resolve('tsx');
	} catch {
		return 'tsx';
	}
}
