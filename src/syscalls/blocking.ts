// Blocking calls. A syscall that would block never blocks inside its handler: it checks
// whether its host descriptors are ready and, if not, asks its thread to wait for them
// (WaitForHostFds), after which it runs again. So a guest thread in a Worker waits by
// itself while the main thread goes on serving the other threads, and a signal can end
// the wait with EINTR, or restart the call after a SA_RESTART handler, as on Linux.
import * as fs from 'node:fs';
import { libc } from '../host/libc.js';
import { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, WaitForHostFds, wallMs, type HostWait } from '../engine/signals.js';
import type { Kernel, OpenFile } from './kernel.js';
import { E } from './errno.js';
import { SIG_DFL, SIG_IGN } from './kernel.js';
import { backgroundTerminalRead, terminalReadLimitMs } from './terminals.js';
import { SA_RESTART, deliverPending } from './signals.js';
import { socketTimeoutMs } from './socket-data.js';
import { answerParent, parentChannel } from '../engine/kin.js';

/** How often a thread that waits (on host descriptors, a futex) looks for signals, when they can come. */
export const SIGNAL_CHECK_MS = 50;

/** How a wait ended when the descriptors did not become ready. */
export type WaitEnd = 'timeout' | 'interrupted';

/**
 * Waits until one of `fds` is ready (timeoutMs null: no limit): throws WaitForHostFds, and
 * the syscall runs again afterwards. Returns only when the wait is over without the
 * descriptors becoming ready; the caller then answers its timeout result, or -EINTR.
 * With `retryMs`, the call also runs again after that long (for what no descriptor tells:
 * SysV semaphores and queues), its own timeout still counted from the first attempt.
 */
export function waitForFds(k: Kernel, fds: HostWait[], timeoutMs: number | null, restartable: boolean, retryMs?: number): WaitEnd {
  const t = k.signals;
  if (t.waitInterrupted) {
    t.waitInterrupted = false;
    t.waitDeadline = null;
    return 'interrupted';
  }
  const deadline = t.waitDeadline ?? (timeoutMs === null ? Infinity : wallMs() + Math.max(0, timeoutMs));
  if (wallMs() >= deadline) {
    t.waitDeadline = null;
    return 'timeout';
  }
  t.waitDeadline = deadline;
  const until = retryMs === undefined ? deadline : Math.min(deadline, wallMs() + retryMs);
  throw new WaitForHostFds(fds, until, restartable, deadline);
}

/** The revents of each of `fds` now, without waiting. */
export function pollNow(fds: HostWait[]): number[] {
  const buf = pollfds(fds);
  const r = libc().poll(buf, fds.length, 0);
  return fds.map((_, i) => (r > 0 ? buf.readInt16LE(8 * i + 6) : 0));
}

/** Struct pollfd array for the host's poll(2). */
export function pollfds(fds: HostWait[]): Buffer {
  const buf = Buffer.alloc(8 * fds.length);
  fds.forEach((f, i) => {
    buf.writeInt32LE(f.fd, 8 * i);
    buf.writeInt16LE(f.events, 8 * i + 4);
  });
  return buf;
}

/**
 * Waits on the host for `fds`, at most `sliceMs` (-1: no limit) and never past `until`:
 * true when some descriptor is ready, false on a timeout, a slice's end or a host signal.
 * A forked child answers its parent meanwhile (kin.ts: the parent waits for that answer).
 */
export function hostWait(fds: HostWait[], until: number, sliceMs: number): boolean {
  for (;;) {
    const left = until === Infinity ? -1 : Math.max(0, Math.ceil(until - wallMs()));
    const ms = sliceMs < 0 ? left : left < 0 ? sliceMs : Math.min(left, sliceMs);
    const parent = parentChannel();
    const all = parent < 0 ? fds : [...fds, { fd: parent, events: POLLIN }];
    const buf = pollfds(all);
    const r = libc().poll(buf, all.length, ms);
    if (r <= 0) return false;
    if (parent < 0 || buf.readInt16LE(8 * fds.length + 6) === 0) return true;
    answerParent();
    if (r > 1) return true;
  }
}

/** The memory devices (major 1) whose I/O never waits: /dev/null, /dev/zero, /dev/full, /dev/urandom. */
const NEVER_WAITING_DEVICES = new Set([0x103, 0x105, 0x107, 0x109]);

/** Whether st is /dev/null or one of its kind (NEVER_WAITING_DEVICES): no terminal, never waits. */
export const isNeverWaitingDevice = (st: fs.Stats): boolean => st.isCharacterDevice() && NEVER_WAITING_DEVICES.has(st.rdev);

/**
 * Whether I/O on this file can block: pipes, sockets, terminals, FIFOs (not regular files, nor
 * /dev/null and its kind: output thrown away needs no poll, nor the FFI it takes to poll).
 */
export function mayBlock(k: Kernel, f: OpenFile): boolean {
  if (f.isDir || f.flags & k.abi.openFlags.O_NONBLOCK) return false;
  if (f.mayBlock === undefined) {
    try {
      const st = fs.fstatSync(f.hostFd);
      f.mayBlock = !st.isFile() && !isNeverWaitingDevice(st);
      f.fifo = st.isFIFO();
      f.chardev = f.mayBlock && st.isCharacterDevice();
    } catch {
      f.mayBlock = false; // the call itself reports the error
    }
  }
  return f.mayBlock;
}

/** What awaitReady answers when the read is over before it starts: it returns 0, reading nothing. */
export const READS_NOTHING = 1;

/**
 * Before a read (or write) that may block: returns when it will not block (or fails at
 * once), or waits for the descriptor. A signal that comes meanwhile ends it with -EINTR.
 * READS_NOTHING: a terminal read whose VTIME ran out (or VMIN and VTIME 0) with no input.
 */
export function awaitReady(k: Kernel, f: OpenFile, write: boolean): number {
  if (!mayBlock(k, f)) return 0;
  const events = write ? POLLOUT : POLLIN;
  const w: HostWait = { fd: f.hostFd, events };
  if (pollNow([w])[0] & (events | POLLERR | POLLHUP | POLLNVAL)) return 0;
  if (!write && f.chardev) {
    const bg = backgroundTerminalRead(k, f);
    if (bg !== null) return bg;
  }
  const limit = write ? null : terminalReadLimitMs(f);
  if (limit !== null) {
    if (limit === 0) return READS_NOTHING;
    return waitForFds(k, [w], limit, true) === 'timeout' ? READS_NOTHING : -E.EINTR;
  }
  // A socket's SO_RCVTIMEO/SO_SNDTIMEO bounds read() and write() too (EAGAIN), and makes a
  // signal end them with EINTR even after a SA_RESTART handler, as Linux does.
  const timeout = socketTimeoutMs(f, write);
  return waitForFds(k, [w], timeout, timeout === null) === 'timeout' ? -E.EAGAIN : -E.EINTR;
}

/**
 * A signal came while a thread waited (WaitForHostFds): if it has a SA_RESTART handler and
 * the call is restartable (or the call is restarted whatever the handler), the signal is
 * delivered now, with the PC still on the syscall, which runs again after the handler;
 * otherwise the call, run again, fails with EINTR. Returns whether a signal ended the wait.
 */
export function endWaitBySignal(k: Kernel, e: WaitForHostFds): boolean {
  const t = k.signals;
  const info = t.deliverable(t.mask);
  if (!info) return false;
  const act = k.disposition(info.signo);
  const restart = e.restartable === 'always' || (e.restartable && act.handler !== SIG_DFL && act.handler !== SIG_IGN && act.flags & SA_RESTART);
  if (restart) {
    t.waitDeadline = null;
    deliverPending(k);
  } else {
    t.waitInterrupted = true;
  }
  return true;
}

/**
 * For a call that has no descriptor to wait on (a lock held elsewhere): the calling thread
 * sleeps `ms` (a wait on no descriptors), then the call runs again from scratch and tries
 * again. A signal meanwhile ends it with -EINTR, or restarts it after a SA_RESTART handler.
 */
export function retryAfter(k: Kernel, ms: number, restartable = true): number {
  return waitForFds(k, [], null, restartable, ms) === 'interrupted' ? -E.EINTR : -E.EAGAIN;
}

/**
 * Waits for a pipe or socket to be readable (or writable), as its blocking call does: honours
 * a socket's SO_RCVTIMEO/SO_SNDTIMEO; restarted after a SA_RESTART handler only when no
 * timeout is set and nothing was transferred yet (as Linux). Throws to wait; returns how the
 * wait ended.
 */
export function waitForTransfer(k: Kernel, f: OpenFile, write: boolean, transferred: boolean): 'timeout' | 'interrupted' {
  const timeout = socketTimeoutMs(f, write);
  return waitForFds(k, [{ fd: f.hostFd, events: write ? POLLOUT : POLLIN }], timeout, timeout === null && !transferred);
}

/**
 * What a call had done before it waited. The handler runs again from scratch after a wait, so
 * a send, a receive or a write to a pipe or socket that moved part of its data keeps the count here, keyed by the call and
 * its arguments (two threads do not make the same call on the same buffer). A first run (no
 * wait deadline yet) starts afresh, whatever an abandoned call left.
 */
const progress = new WeakMap<Kernel, Map<string, number>>();

/** Names a call by its arguments; made only when a call waits with part of its work done. */
export type CallKey = () => string;

export function resumed(k: Kernel, key: CallKey): number {
  const m = progress.get(k);
  if (!m?.size) return 0;
  const name = key();
  const n = k.signals.waitDeadline === null ? 0 : m.get(name) ?? 0;
  m.delete(name);
  return n;
}

export function remember(k: Kernel, key: CallKey, n: number): void {
  if (n <= 0) return;
  let m = progress.get(k);
  if (!m) progress.set(k, (m = new Map()));
  m.set(key(), n);
}
