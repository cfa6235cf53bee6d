// Runs the urun CLI as a user would (a child process) and collects what it did.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const URUN = path.join(ROOT, 'bin/urun');

export interface Result {
  stdout: string;
  stderr: string;
  /** Exit status as a shell reports it: 128 + signal number for a death by signal. */
  status: number;
}

const SIGNUMS: Record<string, number> = { SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

export function urun(args: string[], opts: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}): Result {
  const r = spawnSync(process.execPath, [URUN, ...args], {
    input: opts.stdin ?? '',
    env: opts.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    cwd: opts.cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  const status = r.signal ? 128 + (SIGNUMS[r.signal] ?? 0) : (r.status ?? -1);
  return { stdout: r.stdout, stderr: r.stderr, status };
}
