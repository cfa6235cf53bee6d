// The guest C suite on every arch against qemu-user's golden output (see test/support/guest-suite.ts).
import { guestSuite } from './support/guest-suite.js';

// @ts-expect-error: plain ESM helper shared with the fixture build script
import { loadCases } from './fixtures/cases.mjs';

// The thread program's cases (seconds each) test the kernel side, which every arch shares:
// each runs on one of mips and armhf, in turn, except those whose ISA side differs (atomics:
// LL/SC against LDREX/STREX; TLS: rdhwr against TPIDRURO; signal frames), which run on both.
// test/threads-guest.test.ts runs the same primitives with pthreads.c and C++ threads on armel
// (whose atomics go through the kernel's helpers) and mipsel. (This keeps npm test near its 5 minutes.)
const THREAD_CASES: string[] = loadCases().filter((c: { program: string }) => c.program === 'threads').map((c: { name: string }) => c.name);
const BOTH_ISAS = new Set(['atomic', 'tls', 'sigthread']);
const threadArch = (name: string): string | null => {
  if (BOTH_ISAS.has(name)) return null;
  const i = THREAD_CASES.filter((n) => !BOTH_ISAS.has(n)).indexOf(name);
  return i % 2 === 0 ? 'mips' : 'armhf';
};
guestSuite(['mips', 'mipsel', 'armhf', 'armel'], [], 'guest suite',
  (arch, name) => THREAD_CASES.includes(name) && (arch === 'mipsel' || arch === 'armel' || (threadArch(name) ?? arch) !== arch));
