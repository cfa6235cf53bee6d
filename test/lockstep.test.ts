// The whole guest suite again with --check-jit: translated code runs in lockstep with the
// interpreter, and any difference ends the run with a report (so the golden check fails).
import { guestSuite } from './support/guest-suite.js';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { loadCases } from './fixtures/cases.mjs';

// --check-jit costs several times a plain run, so it runs on one arch per ISA family the
// translator has (MIPS, and ARM with Thumb-2 and VFP: armhf); mipsel and armel (ARM-mode
// code) have their plain runs checked in the guest suite. The thread cases test the kernel
// side, not translation, and run plain in the guest suite, so not here. malloc and
// libm, the longest cases under lockstep (30-110 s each on a busy machine, close to the
// run's timeout; mostly libc code, whose FPU paths the float, fround, nan and int64 cases
// check too), run plain only. (This keeps npm test near its 5 minutes.)
const THREAD_CASES = new Set(loadCases().filter((c: { program: string }) => c.program === 'threads').map((c: { name: string }) => c.name));
const LONGEST = new Set(['malloc', 'libm']);
// Mostly libc loops, no ISA feature of their own: each on one of the two.
const ONE_ARCH: Record<string, string> = { strings: 'mips', fileio: 'armhf' };
guestSuite(['mips', 'armhf'], ['--check-jit'], 'lockstep (--check-jit) guest suite',
  (arch, name) => THREAD_CASES.has(name) || LONGEST.has(name) || (ONE_ARCH[name] !== undefined && ONE_ARCH[name] !== arch));
