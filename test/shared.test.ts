// Shared memory (test/guest/shared.c): MAP_SHARED anonymous and file mappings across fork,
// process-shared mutexes, coherence with read/pwrite, mremap, shm_open, POSIX message
// queues; on every arch against qemu-user (see test/support/process-cases.ts). qemu-user's
// mq_setattr fails on MIPS, so there the queues are checked against the ARM golden: Linux
// answers the same on every arch.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { BIN_DIR, GOLDEN_DIR } from './fixtures/cases.mjs';
import { processCases } from './support/process-cases.js';
import { urunAsync } from './support/urun.js';

processCases(['shared', 'shared-mq']);

describe('POSIX message queues on mips', () => {
  it('answer as the ARM golden recorded under qemu-user does', async () => {
    const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR as string, 'process', 'shared-mq.mqueue.json'), 'utf8')) as { stdout: string };
    const r = await urunAsync([path.join(BIN_DIR as string, 'mips', 'shared'), 'mqueue', os.tmpdir()], { env: {} });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(golden.stdout);
  });
});
