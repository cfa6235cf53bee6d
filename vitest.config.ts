import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/support/sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    pool: 'forks',
    // Two test files at a time: most of a guest test is process start-up and waiting, so on
    // a 2-core machine a second file fills the gaps (one at a time took 370 s, over budget).
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
    sequence: { sequencer: LongestFirstSequencer },
  },
});
