import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 20_000, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // One PostgreSQL cluster for the run; every test file gets its own database on it.
          globalSetup: ['tests/support/postgresGlobalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: more parallel files only make each one slower and timing-sensitive.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
