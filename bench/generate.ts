import { parseArgs } from 'node:util';
import { generateCorpus, writeCorpus } from './corpus.js';

/** `tsx bench/generate.ts --out DIR [--films 1000] [--reviews 50000] [--seed 1]`: writes a synthetic data directory. */
const usage = 'usage: tsx bench/generate.ts --out DIR [--films 1000] [--reviews 50000] [--seed 1]';

function int(name: string, value: string | undefined, fallback: number): number {
	if (value === undefined) return fallback;
	const n = Number(value);
	if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
		console.error(`--${name} must be an integer, got "${value}"\n${usage}`);
		process.exit(2);
	}
	return n;
}

async function main(): Promise<void> {
	let values: {
		out?: string | undefined;
		films?: string | undefined;
		reviews?: string | undefined;
		seed?: string | undefined;
		help?: boolean | undefined;
	};
	try {
		({ values } = parseArgs({
			options: {
				out: { type: 'string', short: 'o' },
				films: { type: 'string' },
				reviews: { type: 'string' },
				seed: { type: 'string' },
				help: { type: 'boolean', short: 'h' },
			},
			strict: true,
		}));
	} catch (error) {
		console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
		process.exit(2);
	}
	if (values.help) {
		console.log(usage);
		return;
	}
	if (values.out === undefined || values.out === '') {
		console.error(usage);
		process.exit(2);
	}
	const opts = {
		films: int('films', values.films, 1000),
		reviews: int('reviews', values.reviews, 50_000),
		seed: int('seed', values.seed, 1),
	};
	const started = performance.now();
	let corpus;
	try {
		corpus = generateCorpus(opts);
	} catch (error) {
		console.error(error instanceof Error ? error.message : String(error));
		process.exit(2);
	}
	const generatedMs = performance.now() - started;
	const { bytes } = await writeCorpus(values.out, corpus);
	const totalMs = performance.now() - started;
	const critic = corpus.truth.reduce((s, t) => s + t.criticReviews.length, 0);
	const user = corpus.truth.reduce((s, t) => s + t.userReviews.length, 0);
	console.log(
		`${opts.films} films, ${critic + user} reviews (${critic} critic, ${user} user), ${corpus.files.size} pages, ` +
			`${(bytes / 1e6).toFixed(1)} MB -> ${values.out} (seed ${opts.seed}; generated in ${generatedMs.toFixed(0)} ms, written in ${(totalMs - generatedMs).toFixed(0)} ms)`,
	);
}

await main();
