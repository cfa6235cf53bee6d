// The process, shell, Go and thread programs (test/fixtures/process-cases.json) run under
// urun and compared with golden output recorded under qemu-user (build-processes.sh).
// Only the cases in test/fixtures/enabled-process-cases.json run; the others are listed
// as todo, so a run shows which cases urun does not pass yet. URUN_PROCESS_CASES=all
// runs every case.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { PROCESS_GOLDEN_DIR, expandCase, loadEnabled, loadProcessCases, processGoldenPath } from '../fixtures/process-cases.mjs';
import { urunAsync } from './urun.js';

interface ProcessCase { family: string; name: string; id: string; arches: string[]; checkStderr: boolean }
interface Golden { stdout: string; stderr?: string; status: number }

const cases = loadProcessCases() as ProcessCase[];
const isEnabled = loadEnabled(cases) as (c: ProcessCase, arch: string) => boolean;

/**
 * A hung case (a missing wake-up, a lost child) fails after this instead of stalling the run.
 * Generous (under the file's 180 s test timeout): busybox's `pipes`, twenty-odd processes,
 * took 18 s alone on a machine with a load average of 40, and ran past 60 s among other tests there.
 */
const CASE_TIMEOUT_MS = 150_000;

async function runCase(c: ProcessCase, arch: string): Promise<void> {
  const golden = JSON.parse(fs.readFileSync(processGoldenPath(c), 'utf8')) as Golden;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-proc-'));
  try {
    const { bin, args, env, stdinFile } = expandCase(c, arch, tmp) as { bin: string; args: string[]; env: Record<string, string>; stdinFile?: string };
    const r = await urunAsync([bin, ...args], { env, cwd: tmp, timeoutMs: CASE_TIMEOUT_MS, ownProcessGroup: true, stdinFile });
    // urun's own complaints (an unsupported syscall...) are on stderr: show them on failure
    const context = `stderr:\n${r.stderr}`;
    expect(r.stdout, context).toBe(golden.stdout);
    if (c.checkStderr) expect(r.stderr).toBe(golden.stderr);
    expect(r.status, context).toBe(golden.status);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** One test per case and arch of the families, each one either run or todo. */
export function processCases(families: string[]): void {
  for (const family of families) {
    const ofFamily = cases.filter((c) => c.family === family);
    if (ofFamily.length === 0) throw new Error(`no process cases in family '${family}'`);
    for (const arch of ofFamily[0].arches) {
      describe(`${family} on ${arch}`, () => {
        for (const c of ofFamily) {
          if (isEnabled(c, arch)) it.concurrent(c.name, () => runCase(c, arch));
          else it.todo(c.name);
        }
      });
    }
  }
}

/** Every case has its binaries and golden file, and every golden file belongs to a case. */
export function processFixturesAreComplete(): void {
  it('every process case has its binaries and a golden file, and no golden file is stray', () => {
    const missing: string[] = [];
    for (const c of cases) {
      if (!fs.existsSync(processGoldenPath(c))) missing.push(processGoldenPath(c));
      for (const arch of c.arches) {
        const { bin } = expandCase(c, arch, '') as { bin: string };
        if (!fs.existsSync(bin)) missing.push(bin);
      }
    }
    expect(missing).toEqual([]);
    const expected = new Set(cases.map((c) => path.basename(processGoldenPath(c))));
    const stray = fs.readdirSync(PROCESS_GOLDEN_DIR).filter((f) => !expected.has(f));
    expect(stray).toEqual([]);
  });
}
