// The whole guest suite again with --check-jit: translated code runs in lockstep with the
// interpreter, and any difference ends the run with a report (so the golden check fails).
import { guestSuite } from './support/guest-suite.js';

// The two longest cases (a third of the time under --check-jit) run on one arch per ISA:
// their code is the same C library code on the other byte order / float ABI.
const LONG_CASES = new Set(['libm', 'malloc']);
guestSuite(['mips', 'mipsel', 'armhf', 'armel'], ['--check-jit'], 'lockstep (--check-jit) guest suite',
  (arch, name) => LONG_CASES.has(name) && (arch === 'mipsel' || arch === 'armel'));
