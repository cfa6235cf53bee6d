// Host signals sent to a running urun: a guest with handlers gets them (even while it
// spins in translated code), a guest without dies of them as the native program would,
// and SIGUSR1 never opens Node's inspector (127.0.0.1:9229).
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { ROOT, URUN } from './support/urun.js';

const signalsBin = (arch: string) => path.join(ROOT, 'test/fixtures/bin', arch, 'signals');

/** The urun processes the tests started: one a failing test leaves running (a guest that ignored the signal) is killed. */
const started: Running[] = [];
afterEach(() => {
  for (const r of started.splice(0)) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
});

/** A running urun and a way to wait for a line of its output. */
class Running {
  readonly child: ChildProcessWithoutNullStreams;
  private out = '';
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [URUN, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    started.push(this);
    this.child.stdout.on('data', (d: Buffer) => {
      this.out += d.toString();
      for (const w of this.waiters.splice(0)) w();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => resolve(signal ? 128 + (SIGNUMS[signal] ?? 0) : (code ?? -1)));
    });
  }

  /** Resolves once `line` has been printed (the test's own timeout catches a guest that never does). */
  async line(line: string): Promise<void> {
    while (!this.out.split('\n').includes(line)) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  get output(): string {
    return this.out;
  }
}

const SIGNUMS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGUSR1: 10, SIGTERM: 15 };

/** Whether something accepts connections on 127.0.0.1:9229 (Node's inspector port). */
function inspectorListening(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port: 9229 });
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

describe('host signals', () => {
  for (const arch of ['mips', 'mipsel', 'armhf', 'armel']) {
    it(`reach the guest's handlers while it spins (${arch})`, async () => {
      const r = new Running([signalsBin(arch), 'sig_wait']);
      await r.line('ready');
      for (const [sig, line] of [['SIGINT', 'got SIGINT'], ['SIGUSR1', 'got SIGUSR1'], ['SIGHUP', 'got SIGHUP']] as const) {
        r.child.kill(sig);
        await r.line(line);
      }
      expect(await inspectorListening()).toBe(false);
      // The first ones came while the engine ticked by itself (the ticker's first 100 ms);
      // this one comes through the ticker's Worker.
      await new Promise((resolve) => setTimeout(resolve, 300));
      r.child.kill('SIGTERM');
      expect(await r.exited).toBe(0);
      expect(r.output).toBe('ready\ngot SIGINT\ngot SIGUSR1\ngot SIGHUP\ngot SIGTERM\n');
    }, 60_000);
  }

  // Node can listen for these too (a Go program has handlers for every signal): they must
  // reach the guest's handlers, not end urun as if it had none.
  // (SIGSTKFLT is ARM's only: a Go program ignores it, where urun died of it.)
  it('reach the guest\'s handlers for SIGABRT, SIGPWR, SIGSYS and SIGSTKFLT', async () => {
    const r = new Running([signalsBin('armhf'), 'sig_wait']);
    await r.line('ready');
    for (const sig of ['SIGABRT', 'SIGPWR', 'SIGSYS', 'SIGSTKFLT'] as const) {
      r.child.kill(sig);
      await r.line(`got ${sig}`);
    }
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect(r.output).toBe('ready\ngot SIGABRT\ngot SIGPWR\ngot SIGSYS\ngot SIGSTKFLT\ngot SIGTERM\n');
  }, 60_000);

  for (const [sig, status] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGUSR1', 138]] as const) {
    it(`kill a guest without a handler: ${sig} gives status ${status}`, async () => {
      const r = new Running([signalsBin('armhf'), 'sig_spin']);
      await r.line('ready');
      r.child.kill(sig);
      expect(await r.exited).toBe(status);
      expect(await inspectorListening()).toBe(false);
    }, 60_000);
  }

  it('kill a guest that blocked and unblocked the signal before it spins', async () => {
    const r = new Running([signalsBin('armhf'), 'sig_spin_unmasked']);
    await r.line('ready');
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(143);
  }, 60_000);
});
