// The guest C suite on every arch against qemu-user's golden output (see test/support/guest-suite.ts).
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guestSuite } from './support/guest-suite.js';
import { urunAsync } from './support/urun.js';

// @ts-expect-error: plain ESM helper shared with the fixture build script
import { BIN_DIR, loadCases } from './fixtures/cases.mjs';

// The thread program's cases (seconds each) test the kernel side, which every arch shares:
// each runs on one of mips and armhf, in turn, except those whose ISA side differs (atomics and barriers:
// LL/SC against LDREX/STREX; TLS: rdhwr against TPIDRURO; signal frames), which run on both.
// test/threads-guest.test.ts runs the same primitives with pthreads.c and C++ threads on armel
// (whose atomics go through the kernel's helpers) and mipsel. (This keeps npm test near its 5 minutes.)
const THREAD_CASES: string[] = loadCases().filter((c: { program: string }) => c.program === 'threads').map((c: { name: string }) => c.name);
const BOTH_ISAS = new Set(['atomic', 'fences', 'tls', 'sigthread']);
const threadArch = (name: string): string | null => {
  if (BOTH_ISAS.has(name)) return null;
  const i = THREAD_CASES.filter((n) => !BOTH_ISAS.has(n)).indexOf(name);
  return i % 2 === 0 ? 'mips' : 'armhf';
};
guestSuite(['mips', 'mipsel', 'armhf', 'armel'], [], 'guest suite',
  (arch, name) => THREAD_CASES.includes(name) && (arch === 'mipsel' || arch === 'armel' || (threadArch(name) ?? arch) !== arch));

// The highest real-time signals, which qemu-user cannot give the guest (it keeps the host's top
// ones for itself): checked against native x86 Linux's output for the same C (SIGRTMAX 64, as
// on ARM; MIPS's is 127, whose four-word sigset_t every call must keep whole).
const RTMAX_LINUX = [
  'SIGRTMAX - SIGRTMIN + 1 = at least 30', 'sa_mask read back keeps SIGRTMAX-2: 1', 'mask holds SIGRTMAX: 1, SIGRTMAX-1: 1',
  'blocked, raised twice: still here, hits=0', 'pending: SIGRTMAX 1, SIGRTMAX-1 0', 'rt_sigprocmask with a half-size set: -1 EINVAL',
  'rt_sigpending with a double-size set: -1 EINVAL', 'rt_sigpending of 4 bytes: 0, the 5th byte untouched: 1', 'sigtimedwait takes SIGRTMAX: 1',
  'unblocked: hits=1, signal SIGRTMAX: 1, si_code SI_TKILL: 1', 'in the handler, SIGRTMAX-2 and SIGRTMAX blocked: 1; uc_sigmask held SIGRTMAX-1: 1',
  'after the handler: SIGRTMAX blocked 0, SIGRTMAX-2 blocked 0, SIGRTMAX-1 blocked 1', 'ignored, pending SIGRTMAX-1 discarded: 1', '',
].join('\n');
// MIPS's address errors as Linux's do_ade reports them (qemu-user says SIGSEGV, or gives the
// address): a user access to kseg0 and above, a misaligned LL or SC, a misaligned or kernel fetch.
const KSEG_LINUX = ['load from 0x80000000', 'store to 0xfffffff0', 'misaligned load reaching 0x80000000', 'misaligned LL', 'misaligned SC',
  'jump to 0x80001000', 'jump to a misaligned address'].map((what) => `${what}: SIGBUS, si_code 128, address none\n`).join('') +
  'load from 0x1000: SIGSEGV, si_code 1, address given\n';
describe.each(['mips', 'mipsel'])('address errors on %s', (arch) => {
  it.concurrent('are SIGBUS from the kernel (SI_KERNEL, no address), where a bad user address is SIGSEGV', async () => {
    const r = await urunAsync([path.join(BIN_DIR as string, arch, 'signals'), 'sig_kseg'], { env: {} });
    expect(r.stdout, r.stderr).toBe(KSEG_LINUX);
    expect(r.status).toBe(0);
  });
});

describe.each(['mips', 'mipsel', 'armhf', 'armel'])('SIGRTMAX as Linux gives it, on %s', (arch) => {
  it.concurrent('blocks, queues, waits for and delivers it; sa_mask, the frame\'s mask and the sizes the rt_ calls take', async () => {
    const r = await urunAsync([path.join(BIN_DIR as string, arch, 'signals'), 'sig_rtmax'], { env: {} });
    expect(r.stdout, r.stderr).toBe(RTMAX_LINUX);
    expect(r.status).toBe(0);
  });

  it.concurrent('goes to the thread that does not block it, not to one whose mask holds it', async () => {
    const r = await urunAsync([path.join(BIN_DIR as string, arch, 'signals'), 'sig_rtmax_threads'], { env: {} });
    expect(r.stdout, r.stderr).toBe('SIGRTMAX for the process taken by: the thread that does not block it\n');
  });
});
