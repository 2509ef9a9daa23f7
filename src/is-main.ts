import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** True when the module at `moduleUrl` is the script this process was started with (not an import). */
export function isMain(moduleUrl: string): boolean {
	const script = process.argv[1];
	if (script === undefined) return false;
	try {
		return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
	} catch {
		return false;
	}
}
