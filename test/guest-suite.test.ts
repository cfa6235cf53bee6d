// The guest C suite on every arch against qemu-user's golden output (see test/support/guest-suite.ts).
import { guestSuite } from './support/guest-suite.js';

// @ts-expect-error: plain ESM helper shared with the fixture build script
import { loadCases } from './fixtures/cases.mjs';

// The thread program's cases (seconds each) do not run on mipsel, whose code differs from
// mips only in byte order (mips, the harder one, keeps them); the heaviest also skip armel
// (ARM-mode code, whose atomics the others there still use). test/threads-guest.test.ts
// covers the same primitives with pthreads.c and C++ threads on the other arches.
const THREAD_CASES = new Set(loadCases().filter((c: { program: string }) => c.program === 'threads').map((c: { name: string }) => c.name));
const HEAVY_THREAD_CASES = new Set(['condvar', 'compute', 'atomic', 'create', 'pingpong']);
guestSuite(['mips', 'mipsel', 'armhf', 'armel'], [], 'guest suite',
  (arch, name) => THREAD_CASES.has(name) && (arch === 'mipsel' || (arch === 'armel' && HEAVY_THREAD_CASES.has(name))));
