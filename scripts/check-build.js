// Runs before `npm start`, `npm run start:sharded`, `npm run deploy` and the data tools (their `pre`
// scripts), which all run the build in dist/: when dist/ is missing, or older than a source file, it says
// to run `npm run build` and stops them. Cheap: one stat per source file, no TypeScript. A dist/ deployed
// without its sources is taken as it is.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import console from 'node:console';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** `tsc -b` writes it on every build that finds something changed, so its time is the build's. */
const stamp = join(root, 'dist', '.tsbuildinfo');

/** The sources of the build: tsconfig.build.json's `include` (the project's own default if it cannot be read), and the configs. */
function sources() {
	let include = ['src', 'commands'];
	try {
		const config = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8'));
		if (Array.isArray(config.include)) include = config.include.filter((entry) => typeof entry === 'string');
	} catch {
		// The default above.
	}
	return ['tsconfig.json', 'tsconfig.build.json', ...include].map((entry) => join(root, entry));
}

/** The newest file (a `.ts` one in a directory) of `path`, or undefined when there is none. */
function newest(path, best = undefined) {
	const info = statSync(path, { throwIfNoEntry: false });
	if (info === undefined) return best;
	if (info.isDirectory()) {
		for (const entry of readdirSync(path, { withFileTypes: true })) {
			if (entry.isDirectory() || entry.name.endsWith('.ts')) best = newest(join(path, entry.name), best);
		}
		return best;
	}
	return best === undefined || info.mtimeMs > best.mtimeMs ? { path, mtimeMs: info.mtimeMs } : best;
}

const built = statSync(stamp, { throwIfNoEntry: false });
if (built === undefined) {
	console.error('Marquee is not built (no dist/): run npm run build.');
	process.exit(1);
}
const latest = sources().reduce((best, path) => newest(path, best), undefined);
if (latest !== undefined && latest.mtimeMs > built.mtimeMs) {
	console.error(`The build in dist/ is older than ${relative(root, latest.path)}: run npm run build.`);
	process.exit(1);
}
