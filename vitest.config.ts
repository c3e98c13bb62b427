import { defineConfig } from 'vitest/config'

// Two tiers: `unit` (pure logic, fast) and `jvm` (real Kafka broker + real Spark from Maven jars).
// The jvm tier shares one broker through a globalSetup and runs its files one at a time: 2 cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/*.jvm.test.ts', '**/*.docker.test.ts', 'node_modules/**', 'results/**'],
        },
      },
      {
        test: {
          name: 'jvm',
          include: ['**/*.jvm.test.ts', '**/*.docker.test.ts'],
          exclude: ['node_modules/**', 'results/**'],
          globalSetup: ['test/jvm-global-setup.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
})
