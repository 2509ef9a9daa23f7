import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		environment: 'node',
		globalSetup: ['./test/build.global.ts'],
		setupFiles: ['./test/setup.ts'],
		reporters: ['default', './test/summary-reporter.ts'],
		testTimeout: 20_000,
		hookTimeout: 30_000,
	},
});
