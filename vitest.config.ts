import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{functions,lib,local,bin,test}/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
