// Runs the urun CLI as a user would (a child process) and collects what it did.
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const URUN = path.join(ROOT, 'bin/urun');

export interface Result {
  stdout: string;
  stderr: string;
  /** Exit status as a shell reports it: 128 + signal number for a death by signal. */
  status: number;
}

const SIGNUMS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGUSR1: 10, SIGUSR2: 12, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

interface RunOptions { stdin?: string; env?: Record<string, string>; cwd?: string }

export function urun(args: string[], opts: RunOptions = {}): Result {
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

/** As urun(), without blocking the test worker, so that concurrent tests really overlap. */
export function urunAsync(args: string[], opts: RunOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [URUN, ...args], {
      env: opts.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      cwd: opts.cwd,
      timeout: 120_000,
    });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.stdin.on('error', () => {}); // the guest may exit without reading its input
    child.stdin.end(opts.stdin ?? '');
    child.on('close', (code, signal) => {
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        status: signal ? 128 + (SIGNUMS[signal] ?? 0) : (code ?? -1),
      });
    });
  });
}
