// Guest threads: C++ std::thread/future/thread_local (test/guest/cxxthreads.cc) and POSIX
// threads (test/guest/pthreads.c); against qemu-user.
//
// What qemu-user gets wrong is checked here against Linux itself: /proc/self/task lists
// the process's threads and nothing else (qemu-user's lists its own helper thread too).
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { BIN_DIR } from './fixtures/cases.mjs';
import { processCases } from './support/process-cases.js';
import { urunAsync } from './support/urun.js';

processCases(['cxx', 'pthreads']);

describe.each(['mipsel', 'armhf'])('/proc/self/task on %s', (arch) => {
  it.concurrent('lists the guest\'s four threads by the ids gettid gives, and none of the host\'s', async () => {
    const r = await urunAsync([path.join(BIN_DIR as string, arch, 'pthreads'), 'tasks', 'count'], { env: {} });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('listed in /proc/self/task: yes yes yes yes\nother entries: 0\n');
  });
});
