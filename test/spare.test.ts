// What a forked child gets when the spare urun (started after the parent's first fork, see
// src/engine/lifecycle.ts) becomes it: the parent's state at the fork, not at the spare's start.
// busybox sh forks for each command; a host program reads the host's view of the child.
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { BIN_DIR } from './fixtures/cases.mjs';
import { urunAsync } from './support/urun.js';

const BUSYBOX_ARCHES = ['mipsel', 'armhf', 'armel'];

describe.each(BUSYBOX_ARCHES)('a fork the spare becomes, on %s', (arch) => {
  it.concurrent('has the niceness the parent set after the spare started (renice between two forks; it had the one from before)', async () => {
    // The fork for /bin/true starts the spare; renice raises the shell's niceness by 3; the
    // subshell's fork goes to the spare; the last fork is a new process, for comparison.
    const script = '/bin/true; renice -n 3 -p $$ >/dev/null; (exec /bin/cut -d" " -f19 /proc/self/stat); /bin/cut -d" " -f19 /proc/$$/stat';
    const r = await urunAsync([path.join(BIN_DIR as string, arch, 'busybox'), 'sh', '-c', script], { env: { PATH: '/usr/bin:/bin' } });
    expect(r.status, r.stderr).toBe(0);
    const [child, parent] = r.stdout.trim().split('\n').map(Number);
    expect(child).toBe(parent);
  });
});
