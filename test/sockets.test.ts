// Sockets (test/guest/sockets.c) on every arch against qemu-user: TCP and UDP over IPv4 and
// IPv6 loopback, AF_UNIX of each type, SCM_RIGHTS and SCM_CREDENTIALS, options, timeouts,
// SIGPIPE, a thread blocked in accept, a host program on a socket (see test/support/process-cases.ts).
// /proc/net's address tables: qemu-user hands a big-endian guest the host's little-endian
// words, so mips is checked against the golden of the other arches (Linux's answer everywhere).
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { BIN_DIR, GOLDEN_DIR } from './fixtures/cases.mjs';
import { processCases } from './support/process-cases.js';
import { urunAsync } from './support/urun.js';

processCases(['sockets', 'sockets-procnet']);

describe('/proc/net on mips', () => {
  it('prints addresses as a big-endian kernel does, as the little-endian golden reads them', async () => {
    const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR as string, 'process', 'sockets-procnet.procnet.json'), 'utf8')) as { stdout: string };
    const r = await urunAsync([path.join(BIN_DIR as string, 'mips', 'sockets'), 'procnet'], { env: {} });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(golden.stdout);
  });
});
