// The guest C suite (test/guest/suite.c), built by Debian's cross compilers, run under urun
// and compared with golden output recorded from qemu-user (see test/fixtures/build.sh).
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { loadCases, goldenPath, BIN_DIR, TMPDIR_PLACEHOLDER } from '../fixtures/cases.mjs';
import { urunAsync } from './urun.js';

interface Case { name: string; program: string; args: string[]; env: Record<string, string>; stdin: string; checkStderr: boolean; perArch: boolean }
interface Golden { args: string[]; stdout: string; stderr?: string; status: number }

const cases = loadCases() as Case[];

/** Defines one test per suite case and arch (but those `skip` names); `urunOptions` go before the program. */
export function guestSuite(arches: string[], urunOptions: string[] = [], label = 'guest suite',
  skip: (arch: string, caseName: string) => boolean = () => false): void {
  for (const arch of arches) {
    describe(`${label} on ${arch}`, () => {
      it.concurrent.each(cases.filter((c) => !skip(arch, c.name)).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
        const golden = JSON.parse(fs.readFileSync(goldenPath(c, arch), 'utf8')) as Golden;
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-test-'));
        try {
          const args = c.args.map((a) => (a === TMPDIR_PLACEHOLDER ? tmp : a));
          const r = await urunAsync([...urunOptions, path.join(BIN_DIR, arch, c.program), c.name, ...args], { stdin: c.stdin, env: c.env });
          expect(r.stdout).toBe(golden.stdout);
          if (c.checkStderr) expect(r.stderr).toBe(golden.stderr);
          expect(r.status).toBe(golden.status);
        } finally {
          fs.rmSync(tmp, { recursive: true, force: true });
        }
      });
    });
  }
}
