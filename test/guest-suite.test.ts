// The guest C suite on every arch against qemu-user's golden output (see test/support/guest-suite.ts).
import { guestSuite } from './support/guest-suite.js';

// The heaviest thread cases (seconds each) run on one arch per ISA: test/threads-guest.test.ts
// covers the same primitives with pthreads.c and C++ threads on the others.
const HEAVY_THREAD_CASES = new Set(['condvar', 'compute', 'atomic', 'create', 'pingpong']);
guestSuite(['mips', 'mipsel', 'armhf', 'armel'], [], 'guest suite',
  (arch, name) => HEAVY_THREAD_CASES.has(name) && (arch === 'mipsel' || arch === 'armel'));
