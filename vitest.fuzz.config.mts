import { defineConfig } from 'vitest/config';
import { cedarText } from './test/support/cedarText.mjs';

/**
 * The fuzz suite (issue 8), on its own after the other tests: one file at a time, since both
 * fuzzers keep both cores busy and the server's must answer within a second.
 */
export default defineConfig({
  plugins: [cedarText],
  test: {
    include: ['test/fuzz/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 1_800_000,
    pool: 'forks',
  },
});
