// The whole guest suite again with --check-jit: translated code runs in lockstep with the
// interpreter, and any difference ends the run with a report (so the golden check fails).
import { guestSuite } from './support/guest-suite.js';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { loadCases } from './fixtures/cases.mjs';

// --check-jit costs several times a plain run, so it runs on one arch per ISA family the
// translator has (MIPS, and ARM with Thumb-2 and VFP: armhf); mipsel and armel (ARM-mode
// code) have their plain runs checked in the guest suite. The thread cases test the kernel
// side, not translation, and run plain on all four arches there, so not here. malloc and
// libm, the longest cases under lockstep (25-50 s each on mips; mostly libc code, whose MIPS
// FPU paths the float, fround, nan and int64 cases check too), run on armhf only. (This
// keeps npm test near its 5 minutes.)
const THREAD_CASES = new Set(loadCases().filter((c: { program: string }) => c.program === 'threads').map((c: { name: string }) => c.name));
guestSuite(['mips', 'armhf'], ['--check-jit'], 'lockstep (--check-jit) guest suite',
  (arch, name) => THREAD_CASES.has(name) || ((name === 'malloc' || name === 'libm') && arch === 'mips'));
