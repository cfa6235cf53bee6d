// The whole guest suite again with --check-jit: translated code runs in lockstep with the
// interpreter, and any difference ends the run with a report (so the golden check fails).
import { guestSuite } from './support/guest-suite.js';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { loadCases } from './fixtures/cases.mjs';

// --check-jit costs several times a plain run, so not every case runs on every arch: mipsel
// differs from mips only in byte order (its plain runs are in the guest suite); the two
// longest cases (libm, malloc: C library code) run on one arch per ISA; the thread cases
// (which test the kernel side, not translation) on mips only.
const LONG_CASES = new Set(['libm', 'malloc']);
const THREAD_CASES = new Set(loadCases().filter((c: { program: string }) => c.program === 'threads').map((c: { name: string }) => c.name));
guestSuite(['mips', 'armhf', 'armel'], ['--check-jit'], 'lockstep (--check-jit) guest suite',
  (arch, name) => (LONG_CASES.has(name) && arch === 'armel') || (THREAD_CASES.has(name) && arch !== 'mips'));
