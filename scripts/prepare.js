// `npm ci` and `npm install` run this (the `prepare` script): it builds dist/ once, at install, so that
// `npm start` and the tools run plain `node dist/...`. An install without the dev dependencies
// (`npm ci --omit=dev`) has no TypeScript: it says so in one line and builds nothing (such an install
// runs a dist/ built where the dev dependencies are).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import console from 'node:console';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

let tsc;
try {
	tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
	console.log('prepare: TypeScript is not installed (an install without dev dependencies): dist/ is not built here.');
	process.exit(0);
}
const build = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
process.exit(build.status ?? 1);
