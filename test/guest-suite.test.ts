// The guest C suite on every arch against qemu-user's golden output (see test/support/guest-suite.ts).
import { guestSuite } from './support/guest-suite.js';

guestSuite(['mips', 'mipsel', 'armhf', 'armel']);
