import { defineConfig } from 'vitest/config';
import { cedarText } from './test/support/cedarText.mjs';

export default defineConfig({
  plugins: [cedarText],
  test: {
    include: [
      'test/core/**/*.test.ts',
      'test/server/**/*.test.ts',
      'test/cli/**/*.test.ts',
      'test/grammar/**/*.test.ts',
      'test/editors/**/*.test.ts',
      'test/client/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
