// The guest C suite on every arch against qemu-user's golden output (see test/support/guest-suite.ts).
import { guestSuite } from './support/guest-suite.js';

// @ts-expect-error: plain ESM helper shared with the fixture build script
import { loadCases } from './fixtures/cases.mjs';

// The thread program's cases (seconds each) run on one arch per ISA, mips and armhf: mipsel
// differs from mips only in byte order, and test/threads-guest.test.ts runs the same
// primitives with pthreads.c and C++ threads on armel (whose atomics go through the kernel's
// helpers) and mipsel. (This keeps npm test near its 5 minutes.)
const THREAD_CASES = new Set(loadCases().filter((c: { program: string }) => c.program === 'threads').map((c: { name: string }) => c.name));
guestSuite(['mips', 'mipsel', 'armhf', 'armel'], [], 'guest suite',
  (arch, name) => THREAD_CASES.has(name) && (arch === 'mipsel' || arch === 'armel'));
