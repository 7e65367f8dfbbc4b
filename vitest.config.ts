import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI and worker-thread tests run the compiled code in dist/, as users do.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
  },
});
