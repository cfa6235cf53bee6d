// Runs the urun CLI as a user would (a child process) and collects what it did.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const URUN = path.join(ROOT, 'bin/urun');

export interface Result {
  stdout: string;
  stderr: string;
  /** Exit status as a shell reports it: 128 + signal number for a death by signal. */
  status: number;
}

/** A host signal's number by name (the host's: urun dies of the host signal the guest's maps to). */
const signum = (name: NodeJS.Signals): number => os.constants.signals[name];

interface RunOptions {
  stdin?: string;
  env?: Record<string, string>;
  cwd?: string;
  /** Kill the run (as SIGKILL, status 137) after this long; default 120 s. */
  timeoutMs?: number;
  /**
   * Run urun in a process group of its own and kill the whole group when the run ends or
   * times out, so that no guest child outlives its test (urunAsync only).
   */
  ownProcessGroup?: boolean;
  /** A file to give the program as its standard input (urunAsync only; instead of `stdin`). */
  stdinFile?: string;
}

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
  const status = r.signal ? 128 + signum(r.signal) : (r.status ?? -1);
  return { stdout: r.stdout, stderr: r.stderr, status };
}

/** As urun(), without blocking the test worker, so that concurrent tests really overlap. */
export function urunAsync(args: string[], opts: RunOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const group = opts.ownProcessGroup === true;
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const stdinFd = opts.stdinFile === undefined ? null : fs.openSync(opts.stdinFile, 'r');
    const child = spawn(process.execPath, [URUN, ...args], {
      env: opts.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      cwd: opts.cwd,
      timeout: group ? undefined : timeoutMs,
      detached: group,
      stdio: [stdinFd ?? 'pipe', 'pipe', 'pipe'],
    });
    if (stdinFd !== null) fs.closeSync(stdinFd);
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    };
    const out: Buffer[] = [], err: Buffer[] = [];
    const timer = group ? setTimeout(() => {
      // What each process of the run was doing (spinning or asleep, and where) goes with its stderr.
      if (child.pid !== undefined) err.push(Buffer.from(`\n[test] timed out after ${timeoutMs} ms:\n${describeGroup(child.pid)}`));
      killGroup();
    }, timeoutMs) : undefined;
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    if (child.stdin) {
      child.stdin.on('error', () => {}); // the guest may exit without reading its input
      child.stdin.end(opts.stdin ?? '');
    }
    child.on('close', (code, signal) => {
      if (group) {
        clearTimeout(timer);
        killGroup();
      }
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        status: signal ? 128 + signum(signal) : (code ?? -1),
      });
    });
  });
}

/** One line per process of group `pgid`: pid, state, CPU seconds, kernel wait channel and command. */
function describeGroup(pgid: number): string {
  const lines: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) !== pgid) continue; // (fields after the command: state, ppid, pgrp, ...)
      const cpu = (Number(f[11]) + Number(f[12])) / 100;
      const wchan = fs.readFileSync(`/proc/${pid}/wchan`, 'utf8');
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 160);
      lines.push(`  pid ${pid} ppid ${f[1]} state ${f[0]} cpu ${cpu.toFixed(2)} s wchan ${wchan || '-'}: ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return lines.join('\n') + '\n';
}
