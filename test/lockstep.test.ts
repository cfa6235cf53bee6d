// The whole guest suite again with --check-jit: translated code runs in lockstep with the
// interpreter, and any difference ends the run with a report (so the golden check fails).
import { guestSuite } from './support/guest-suite.js';

guestSuite(['mips', 'mipsel', 'armhf', 'armel'], ['--check-jit'], 'lockstep (--check-jit) guest suite');
