// Resource limits: each arch's numbering (MIPS has its own for NOFILE, AS, RSS, NPROC,
// MEMLOCK) maps to the limits urun itself runs under, as qemu-user reports the host's;
// another process's are the host's for that process (prlimit64).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { ROOT, urunAsync } from './support/urun.js';

const ARCHES = ['mips', 'mipsel', 'armhf', 'armel'];

const LABELS: Record<string, string> = {
  cpu: 'Max cpu time', fsize: 'Max file size', data: 'Max data size', stack: 'Max stack size', core: 'Max core file size',
  rss: 'Max resident set', nproc: 'Max processes', nofile: 'Max open files', memlock: 'Max locked memory',
  as: 'Max address space', locks: 'Max file locks', sigpending: 'Max pending signals', msgqueue: 'Max msgqueue size',
  nice: 'Max nice priority', rtprio: 'Max realtime priority', rttime: 'Max realtime timeout',
};
const INFINITY = '18446744073709551615';

/** This process's limits (a urun child inherits them), by name. */
function ownLimits(): Map<string, [string, string]> {
  const rows = readFileSync('/proc/self/limits', 'utf8').split('\n');
  const out = new Map<string, [string, string]>();
  for (const [name, label] of Object.entries(LABELS)) {
    const row = rows.find((r) => r.startsWith(label));
    if (!row) continue;
    const [soft, hard] = row.slice(label.length).trim().split(/\s+/).map((v) => (v === 'unlimited' ? INFINITY : v));
    out.set(name, [soft, hard]);
  }
  return out;
}

/** Whether this process (and so a urun child) has a capability in its effective set. */
function capable(cap: number): boolean {
  const m = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m !== null && ((BigInt('0x' + m[1]) >> BigInt(cap)) & 1n) === 1n;
}

// RLIMIT_* as each arch's headers number them.
const MIPS_NUMBERS = { nofile: 5, as: 6, rss: 7, nproc: 8, memlock: 9 };
const GENERIC_NUMBERS = { rss: 5, nproc: 6, nofile: 7, memlock: 8, as: 9 };

describe('resource limits', () => {
  for (const arch of ARCHES) {
    it(`${arch}: getrlimit gives the host's limits under the arch's numbers; setrlimit is kept`, async () => {
      const r = await urunAsync([path.join(ROOT, 'test/fixtures/bin', arch, 'limits')]);
      expect(r.status).toBe(0);
      const lines = r.stdout.trim().split('\n');
      const own = ownLimits();
      const numbers: Record<string, number> = arch.startsWith('mips') ? MIPS_NUMBERS : GENERIC_NUMBERS;
      for (const line of lines.slice(0, 16)) {
        const [name, num, soft, hard] = line.split(' ');
        if (name in numbers) expect(Number(num)).toBe(numbers[name]);
        // Node may raise its own soft limit on open files after the test runner read it.
        if (name !== 'nofile') expect([soft, hard], name).toEqual(own.get(name));
        else expect(hard).toBe(own.get(name)![1]);
      }
      // EPERM (1) without CAP_SYS_RESOURCE, as Linux (old urun raised any hard limit).
      const raised = capable(24) ? 0 : 1;
      expect(lines.slice(16, 19)).toEqual(['core after setrlimit 100 200', 'soft above hard: -1', `hard raised: ${raised}`]);
      // prlimit64 of the parent (this test's process) gives its limits, as on Linux (urun said ESRCH).
      for (const line of lines.slice(19, 35)) {
        const [word, name, soft, hard] = line.split(' ');
        expect(word).toBe('parent');
        if (name !== 'nofile') expect([soft, hard], name).toEqual(own.get(name));
        else expect(hard).toBe(own.get(name)![1]);
      }
      expect(lines.slice(35)).toEqual(['no such process: 3']);
    });
  }
});
