// A second process writing member ratings, for the concurrency test (run with `node --import tsx`):
//   members-worker.ts TARGET_JSON GUILD USER FILM SCORES
// Opens the store, prints "ready", waits for "go" on stdin, rates FILM with each score of the comma-separated
// SCORES in turn, prints {"failures": N} and exits 0 when every write answered ok, else 1.
import { z } from 'zod';
import { createLogger } from '../src/log.js';
import { openMemberStore } from '../src/members/store.js';

const Target = z.union([
	z.object({ kind: z.literal('sqlite'), file: z.string() }),
	z.object({ kind: z.literal('postgres'), url: z.string() }),
]);

const [targetJson = '', guild = '', user = '', film = '', scores = ''] = process.argv.slice(2);
const store = openMemberStore(Target.parse(JSON.parse(targetJson)), { logger: createLogger('warn') });
if (!(await store.ready())) process.exit(2);
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
let failures = 0;
for (const score of scores.split(',').map(Number)) {
	const result = await store.rate(guild, user, film, score);
	if (!result.ok) failures += 1;
}
await store.close();
process.stdout.write(`${JSON.stringify({ failures })}\n`);
process.exitCode = failures === 0 ? 0 : 1;
