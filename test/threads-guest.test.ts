// Guest threads: C++ std::thread/future/thread_local (test/guest/cxxthreads.cc) and POSIX
// threads (test/guest/pthreads.c); against qemu-user.
//
// What qemu-user gets wrong is checked here against Linux itself: /proc/self/task lists
// the process's threads and nothing else (qemu-user's lists its own helper thread too), and
// /proc/self/status and /proc/self/stat count them (qemu-user's count its own);
// a robust mutex whose owner ended goes to the next locker with EOWNERDEAD (qemu-user
// keeps no robust lists: the lock hangs).
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { BIN_DIR } from './fixtures/cases.mjs';
import { processCases } from './support/process-cases.js';
import { urunAsync } from './support/urun.js';

processCases(['cxx', 'pthreads', 'pthreads-pi']);

describe.each(['mipsel', 'armhf'])('/proc/self/task on %s', (arch) => {
  it.concurrent('lists the guest\'s four threads by the ids gettid gives, and none of the host\'s; status and stat count four', async () => {
    const r = await urunAsync([path.join(BIN_DIR as string, arch, 'pthreads'), 'tasks', 'count'], { env: {} });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('listed in /proc/self/task: yes yes yes yes\nother entries: 0\nthreads in status: 4, in stat: 4\n');
  });
});

describe.each(['mips', 'armel'])('robust mutexes on %s', (arch) => {
  it.concurrent('are handed on with EOWNERDEAD when the owning thread or process ends, as on Linux', async () => {
    const r = await urunAsync([path.join(BIN_DIR as string, arch, 'pthreads'), 'robust'], { env: {} });
    expect(r.status, r.stderr).toBe(0);
    // What an x86-64 build of the same source prints on Linux 6.x.
    expect(r.stdout).toBe([
      'owner thread ended: EOWNERDEAD',
      'consistent: OK',
      'lock again: OK',
      'owner process exited (3): EOWNERDEAD',
      'unlocked without consistent, lock: ENOTRECOVERABLE',
      '',
    ].join('\n'));
  });
});

// A barrier is a full one on the host too (x86-64 lets a store wait behind a later load):
// store buffering with one between each thread's store and load never sees both loads early.
// guest-suite runs this case on mips and armhf (DMB, SYNC); here armel's barrier is the
// kernel helper at 0xffff0fa0 (__sync_synchronize calls it), and mipsel's SYNC.
describe.each(['armel', 'mipsel'])('barriers on %s', (arch) => {
  it.concurrent('order a store before a later load, as qemu-user\'s and the hardware\'s do', async () => {
    const golden = JSON.parse(fs.readFileSync(path.join(BIN_DIR as string, '..', 'golden', 'fences.json'), 'utf8'));
    const r = await urunAsync([path.join(BIN_DIR as string, arch, 'threads'), 'fences'], { env: {} });
    expect(r.stdout, r.stderr).toBe(golden.stdout);
    expect(r.status).toBe(golden.status);
  });
});
