// Waiting on many descriptors: poll, ppoll, select, pselect6 and epoll. Guest descriptors
// are host descriptors behind the guest's table, so readiness is the host kernel's: a call
// checks its host descriptors without blocking and, when nothing is ready, has its thread
// wait on them (waitForFds, blocking.ts), then runs again. epoll is a real host epoll
// instance, a host descriptor in the guest's table like any other (it survives fork).
// The event descriptors themselves (eventfd, timerfd, signalfd) are in eventfds.ts.
import { E } from './errno.js';
import type { Kernel, OpenFile } from './kernel.js';
import { hostFile } from './kernel.js';
import { R } from './records.js';
import type { SyscallRecord } from './records.js';
import * as fs from 'node:fs';
import { F_DUPFD_CLOEXEC, libc } from '../host/libc.js';
import { POLLIN, wallMs, type HostWait } from '../engine/signals.js';
import { pollfds, waitForFds } from './blocking.js';
import { readSigset, unblockable } from './signals.js';
import { syncSignalfds } from './eventfds.js';
import { writeTimespec } from './time.js';
import { NS, StructWriter } from './abi.js';

const POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
const POLLRDNORM = 0x40, POLLRDBAND = 0x80, POLLWRNORM = 0x100, POLLWRBAND = 0x200;
/** MIPS numbers POLLWRNORM as POLLOUT (0x4) and POLLWRBAND as 0x100 (arch/mips/include/uapi/asm/poll.h). */
const MIPS_POLLWRBAND = 0x100;
/**
 * How many descriptors select looks at when asked for `nfds`: as Linux, no more than the
 * process's descriptor table holds (64 slots, grown for the highest descriptor it has held to a
 * power of two times 128), so a larger nfds (a program's own bigger fd_set, or any) is no error.
 */
function selectLimit(k: Kernel, nfds: number): number {
  const highest = k.fds.highest;
  let table = 64;
  if (highest >= 64) for (table = 128; table <= highest; ) table *= 2;
  return Math.min(nfds, Math.max(table, highest + 1));
}

const isMips = (k: Kernel): boolean => k.abi.name.startsWith('mips');

/** Guest poll events → host (generic) numbering. */
function hostEvents(k: Kernel, ev: number): number {
  ev &= 0xffff;
  if (!isMips(k)) return ev;
  const rest = ev & ~(POLLWRNORM | POLLWRBAND);
  return rest | (ev & MIPS_POLLWRBAND ? POLLWRBAND : 0) | (ev & POLLOUT ? POLLWRNORM : 0);
}

/** Host revents → guest numbering. */
function guestEvents(k: Kernel, ev: number): number {
  if (!isMips(k)) return ev;
  const rest = ev & ~(POLLWRNORM | POLLWRBAND);
  return rest | (ev & POLLWRNORM ? POLLOUT : 0) | (ev & POLLWRBAND ? MIPS_POLLWRBAND : 0);
}

// ---- timeouts and the temporary signal mask ----

/** A wait's timeout: null for none (wait forever), else ms from the call's first run. */
type Timeout = number | null;

/** Reads a struct timespec (32- or 64-bit) as ms; -E.EFAULT / -E.EINVAL as a string code. */
function readTimespec(k: Kernel, addr: number, is64: boolean): Timeout | 'fault' | 'invalid' {
  if (!addr) return null;
  if (!k.mem.checkRange(addr, is64 ? 16 : 8, false)) return 'fault';
  const le = k.mem.littleEndian;
  const s = is64 ? Number(k.mem.view.getBigInt64(addr, le)) : k.mem.view.getInt32(addr, le);
  // Linux takes only the low 32 bits of a 32-bit program's 64-bit tv_nsec (the rest is padding).
  const ns = is64 ? k.mem.view.getUint32(addr + (le ? 8 : 12), le) : k.mem.view.getInt32(addr + 4, le);
  if (s < 0 || ns < 0 || ns >= 1e9) return 'invalid';
  return s * 1e3 + ns / 1e6;
}

/** select's struct timeval (two 32-bit words): microseconds may exceed a second, as Linux allows. */
function readTimeval(k: Kernel, addr: number): Timeout | 'fault' | 'invalid' {
  if (!addr) return null;
  if (!k.mem.checkRange(addr, 8, false)) return 'fault';
  const s = k.mem.view.getInt32(addr, k.mem.littleEndian), us = k.mem.view.getInt32(addr + 4, k.mem.littleEndian);
  if (s < 0 || us < 0) return 'invalid';
  return s * 1e3 + us / 1e3;
}

/** When the call's timeout ends (wallMs), kept across re-runs by waitForFds. */
function deadlineOf(k: Kernel, timeout: Timeout): number | null {
  return timeout === null ? null : k.signals.waitDeadline ?? wallMs() + timeout;
}

/** What select, pselect6 and ppoll write back into their timeout: the time left (never for a zero timeout). */
function writeTimeLeft(k: Kernel, addr: number, timeout: Timeout, deadline: number | null, kind: 'timeval' | 'timespec' | 'timespec64'): void {
  if (!addr || timeout === null || timeout === 0 || deadline === null) return;
  const ns = BigInt(Math.max(0, Math.round((deadline - wallMs()) * 1e6)));
  if (kind !== 'timeval') {
    writeTimespec(k, addr, ns, kind === 'timespec64');
    return;
  }
  if (!k.mem.checkRange(addr, 8, true)) return;
  new StructWriter(k.mem, addr).i32(0, Number(ns / NS)).i32(4, Number((ns % NS) / 1000n));
}

/**
 * ppoll, pselect6, epoll_pwait: the thread waits with `maskAddr`'s mask in place of its own.
 * The old mask comes back when the call returns, or, when a signal the temporary mask lets
 * through ends it with EINTR, after that signal's handler (as sigsuspend's does). A
 * multi-threaded process's calls run here on behalf of a Worker's thread, whose mask this
 * Kernel does not hold: the Worker applies it itself (threadWaitMask), not this.
 */
function withWaitMask(k: Kernel, maskAddr: number, maskSize: number, run: () => number): number {
  return k.threads === null ? applyWaitMask(k, maskAddr, maskSize, false, run) : run();
}

function applyWaitMask(k: Kernel, maskAddr: number, maskSize: number, inWorker: boolean, run: () => number): number {
  const t = k.signals;
  if (maskAddr) {
    if (maskSize !== k.abi.sigsetBytes) return -E.EINVAL;
    const mask = readSigset(k, maskAddr);
    if (mask === null) return -E.EFAULT;
    // A re-run after a wait finds the temporary mask in place: the one to restore is the first.
    t.suspendedMask ??= t.mask;
    t.mask = mask & ~unblockable(k);
  }
  // In a Worker the process's Kernel cannot see this thread's signals: one the temporary mask
  // lets through ends the call at once (before its descriptors are looked at).
  const r = inWorker && t.suspendedMask !== null && t.deliverable(t.mask) ? -E.EINTR : run();
  if (t.suspendedMask !== null) {
    // Ended by a signal the temporary mask lets through: delivered as the call returns, its
    // handler's frame keeping the old mask. Otherwise the old mask comes back now.
    if (r !== -E.EINTR || !t.interruptIfDeliverable()) {
      t.mask = t.suspendedMask;
      t.suspendedMask = null;
    }
  }
  return r;
}

/** Where each masked wait keeps its signal mask: [address, size] or null. */
const WAIT_MASK_ARGS = new Map<string, (k: Kernel, a: number[]) => [number, number] | null>([
  ['ppoll', (_k, a) => [a[3], a[4]]],
  ['ppoll_time64', (_k, a) => [a[3], a[4]]],
  ['epoll_pwait', (_k, a) => [a[4], a[5]]],
  ['epoll_pwait2', (_k, a) => [a[4], a[5]]],
  ['pselect6', (k, a) => pselectMask(k, a[5])],
  ['pselect6_time64', (k, a) => pselectMask(k, a[5])],
]);

/** pselect6's sixth argument points at { const sigset_t *ss; size_t ss_len; }. */
function pselectMask(k: Kernel, addr: number): [number, number] | null {
  if (!addr || !k.mem.checkRange(addr, 8, false)) return null;
  return [k.mem.read32(addr), k.mem.read32(addr + 4)];
}

/**
 * A thread in a Worker makes syscall `name` (forwarded to the process's Kernel by `call`):
 * for ppoll, pselect6 and epoll_pwait, it sets its own temporary signal mask around the call.
 */
export function threadWaitMask(k: Kernel, name: string | undefined, a: number[], call: () => number): number {
  const where = name === undefined ? undefined : WAIT_MASK_ARGS.get(name);
  const mask = where?.(k, a);
  if (!mask || !mask[0]) return call();
  return applyWaitMask(k, mask[0], mask[1], true, call);
}

/**
 * Nothing is ready: fails with EINTR if a signal the thread does not block is pending, else
 * waits (throws WaitForHostFds; the call runs again afterwards) unless the time is up.
 * Returns 0 on a timeout, -EINTR when a signal ended the wait.
 */
function nothingReady(k: Kernel, fds: HostWait[], timeout: Timeout): number {
  const t = k.signals;
  if (k.threads === null && t.interruptIfDeliverable()) {
    // (The signal may have ended a wait already: that wait is over too.)
    t.waitDeadline = null;
    t.waitInterrupted = false;
    return -E.EINTR;
  }
  if (timeout === 0) return 0;
  return waitForFds(k, fds, timeout, false) === 'timeout' ? 0 : -E.EINTR;
}

/** Host poll(2) without waiting over `fds`: their revents. */
function pollHost(fds: HostWait[]): number[] {
  if (fds.length === 0) return [];
  const buf = pollfds(fds);
  const r = libc().poll(buf, fds.length, 0);
  return fds.map((_, i) => (r > 0 ? buf.readUInt16LE(8 * i + 6) : 0));
}

// ---- poll ----

function poll(k: Kernel, addr: number, n: number, timeout: Timeout): number {
  if (n > k.fdLimit()) return -E.EINVAL; // Linux: nfds above RLIMIT_NOFILE
  if (!k.mem.checkRange(addr, n * 8, true)) return -E.EFAULT;
  syncSignalfds(k);
  const le = k.mem.littleEndian, v = k.mem.view;
  const waits: HostWait[] = [];
  /** Per guest entry: its index in `waits`, or -1 (negative fd), -2 (not open: POLLNVAL). */
  const slots: number[] = [];
  for (let i = 0; i < n; i++) {
    const fd = v.getInt32(addr + 8 * i, le);
    const f = fd < 0 ? null : k.file(fd);
    if (fd < 0) slots.push(-1);
    else if (!f) slots.push(-2);
    else slots.push(waits.push({ fd: f.hostFd, events: hostEvents(k, v.getUint16(addr + 8 * i + 4, le)) }) - 1);
  }
  const revents = pollHost(waits);
  let ready = 0;
  const out = slots.map((s) => {
    const r = s === -1 ? 0 : s === -2 ? POLLNVAL : guestEvents(k, revents[s]);
    if (r) ready++;
    return r;
  });
  if (ready === 0) {
    const r = nothingReady(k, waits, timeout);
    if (r < 0) return r;
  }
  out.forEach((r, i) => v.setUint16(addr + 8 * i + 6, r, le));
  return ready;
}

function ppoll(k: Kernel, a: number[], is64: boolean): number {
  const timeout = readTimespec(k, a[2], is64);
  if (timeout === 'fault') return -E.EFAULT;
  if (timeout === 'invalid') return -E.EINVAL;
  const deadline = deadlineOf(k, timeout);
  const r = withWaitMask(k, a[3], a[4], () => poll(k, a[0], a[1] >>> 0, timeout));
  writeTimeLeft(k, a[2], timeout, deadline, is64 ? 'timespec64' : 'timespec');
  return r;
}

// ---- select ----

const SELECT_IN = POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR;
const SELECT_OUT = POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR;
const SELECT_EX = POLLPRI;

/**
 * select over three fd_sets: arrays of 32-bit words in guest byte order (unsigned long on
 * these ABIs), descriptor n being bit n % 32 of word n / 32.
 */
function select(k: Kernel, nfds: number, sets: number[], timeout: Timeout): number {
  if (nfds < 0) return -E.EINVAL;
  nfds = selectLimit(k, nfds);
  const words = Math.ceil(nfds / 32);
  for (const set of sets) if (set && !k.mem.checkRange(set, words * 4, true)) return -E.EFAULT;
  syncSignalfds(k);
  const asked = sets.map((set) => {
    const bits: number[] = [];
    for (let w = 0; set && w < words; w++) bits.push(k.mem.read32(set + 4 * w));
    return bits;
  });
  const has = (which: number, fd: number): boolean => ((asked[which][fd >> 5] ?? 0) & (1 << (fd & 31))) !== 0;
  const fds: number[] = [];
  const waits: HostWait[] = [];
  for (let fd = 0; fd < nfds; fd++) {
    const events = (has(0, fd) ? POLLIN : 0) | (has(1, fd) ? POLLOUT : 0) | (has(2, fd) ? POLLPRI : 0);
    if (!events) continue;
    const f = k.file(fd);
    if (!f) return -E.EBADF;
    fds.push(fd);
    waits.push({ fd: f.hostFd, events });
  }
  const revents = pollHost(waits);
  if (revents.some((r) => r & POLLNVAL)) return -E.EBADF;
  const result = sets.map(() => new Array<number>(words).fill(0));
  let ready = 0;
  fds.forEach((fd, i) => {
    const r = revents[i];
    [SELECT_IN, SELECT_OUT, SELECT_EX].forEach((mask, which) => {
      if (has(which, fd) && r & mask) {
        result[which][fd >> 5] |= 1 << (fd & 31);
        ready++;
      }
    });
  });
  if (ready === 0) {
    const r = nothingReady(k, waits, timeout);
    if (r < 0) return r; // the sets are left as they were
  }
  sets.forEach((set, which) => {
    if (set) result[which].forEach((w, i) => k.mem.write32(set + 4 * i, w));
  });
  return ready;
}

function newselect(k: Kernel, a: number[]): number {
  const timeout = readTimeval(k, a[4]);
  if (timeout === 'fault') return -E.EFAULT;
  if (timeout === 'invalid') return -E.EINVAL;
  const deadline = deadlineOf(k, timeout);
  const r = select(k, a[0] | 0, [a[1], a[2], a[3]], timeout);
  writeTimeLeft(k, a[4], timeout, deadline, 'timeval');
  return r;
}

/** pselect6: select with a timespec and a signal mask. */
function pselect6(k: Kernel, a: number[], is64: boolean): number {
  const timeout = readTimespec(k, a[4], is64);
  if (timeout === 'fault') return -E.EFAULT;
  if (timeout === 'invalid') return -E.EINVAL;
  if (a[5] && !k.mem.checkRange(a[5], 8, false)) return -E.EFAULT;
  const [maskAddr, maskSize] = pselectMask(k, a[5]) ?? [0, 0];
  const deadline = deadlineOf(k, timeout);
  const r = withWaitMask(k, maskAddr, maskSize, () => select(k, a[0] | 0, [a[1], a[2], a[3]], timeout));
  writeTimeLeft(k, a[4], timeout, deadline, is64 ? 'timespec64' : 'timespec');
  return r;
}

// ---- epoll ----

const EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
/** EPOLL_CLOEXEC is O_CLOEXEC, the same number on MIPS and ARM. */
const EPOLL_CLOEXEC = 0x80000;
/** struct epoll_event on MIPS o32 and ARM EABI: u32 events, 4 bytes of padding, u64 data. The host's is packed: 12 bytes. */
const GUEST_EVENT = 16, HOST_EVENT = 12;
/**
 * The most events one epoll_wait hands over (more stay for the next call, as Linux allows).
 * Linux gives as many as maxevents asks: at 1,024 Python's selectors test with 10,000 ready
 * descriptors saw 1,024 of them; 65,536 keeps the host buffer under 1 MB.
 */
const MAX_EVENTS_PER_CALL = 65536;
export const EPOLL_PATH = 'anon_inode:[eventpoll]';

function epollCreate(k: Kernel, flags: number): number {
  if (flags & ~EPOLL_CLOEXEC) return -E.EINVAL;
  const fd = libc().epollCreate();
  if (fd < 0) return fd;
  const r = k.allocFd(hostFile(fd, EPOLL_PATH, null, true, 2), (flags & EPOLL_CLOEXEC) !== 0);
  if (r < 0) k.release(hostFile(fd, EPOLL_PATH, null, true, 2));
  return r;
}

/**
 * epoll_ctl on the host epoll with the target's host descriptor. The guest's 64-bit data is
 * handed to the host as the same 8 bytes, so it comes back byte for byte (a pointer stored
 * in data.ptr too, whichever half it lies in). Guest descriptors dup'd from one another share
 * one host descriptor, but Linux registers a (file, descriptor) pair: so the first of them
 * in a set is registered with the shared host descriptor and each other one with a host dup
 * of its own (an alias, kept until its registration or the file goes).
 */
function epollCtl(k: Kernel, epfd: number, op: number, fd: number, event: number): number {
  const ep = k.file(epfd), target = k.file(fd);
  if (!ep || !target) return -E.EBADF;
  if (op !== EPOLL_CTL_ADD && op !== EPOLL_CTL_DEL && op !== EPOLL_CTL_MOD) return -E.EINVAL;
  let events = 0, data = 0n;
  if (op !== EPOLL_CTL_DEL) {
    if (!k.mem.checkRange(event, GUEST_EVENT, false)) return -E.EFAULT;
    events = k.mem.read32(event);
    data = k.mem.view.getBigUint64(event + 8, true); // raw bytes, not a number
  }
  if (fd === epfd) return -E.EINVAL;
  const c = libc();
  const key = `${ep.hostFd}:${fd}`;
  const alias = target.epollAliases?.get(key);
  if (alias !== undefined) {
    const r = c.epollCtl(ep.hostFd, op, alias, events, data);
    if (op === EPOLL_CTL_DEL) {
      target.epollAliases!.delete(key);
      fs.closeSync(alias);
    }
    return r;
  }
  const owners = (target.epollOwners ??= new Map());
  const r = c.epollCtl(ep.hostFd, op, target.hostFd, events, data);
  if (r === 0 && op !== EPOLL_CTL_MOD) {
    if (op === EPOLL_CTL_ADD) owners.set(ep.hostFd, fd);
    else owners.delete(ep.hostFd);
  }
  if (r !== -HOST_EEXIST || op !== EPOLL_CTL_ADD || owners.get(ep.hostFd) === fd) return r;
  const own = c.fcntl(target.hostFd, F_DUPFD_CLOEXEC, 0);
  if (own < 0) return own;
  const added = c.epollCtl(ep.hostFd, op, own, events, data);
  if (added < 0) fs.closeSync(own);
  else (target.epollAliases ??= new Map()).set(key, own);
  return added;
}

const HOST_EEXIST = 17;

/** The host events of the last epoll_wait (reused: Go's netpoller calls it often). */
let epollBuffer = Buffer.alloc(128 * HOST_EVENT);

function epollWait(k: Kernel, epfd: number, out: number, max: number, timeout: Timeout): number {
  const ep = k.file(epfd);
  if (!ep) return -E.EBADF;
  if (max <= 0 || max > 0x7fffffff / GUEST_EVENT) return -E.EINVAL;
  if (ep.path !== EPOLL_PATH) return -E.EINVAL;
  syncSignalfds(k);
  const count = Math.min(max, MAX_EVENTS_PER_CALL);
  if (!k.mem.checkRange(out, count * GUEST_EVENT, true)) return -E.EFAULT;
  if (epollBuffer.length < count * HOST_EVENT) epollBuffer = Buffer.alloc(count * HOST_EVENT);
  const buf = epollBuffer;
  const n = libc().epollWait(ep.hostFd, buf, count, 0);
  if (n < 0) return n;
  if (n === 0) return nothingReady(k, [{ fd: ep.hostFd, events: POLLIN }], timeout);
  for (let i = 0; i < n; i++) {
    const at = out + i * GUEST_EVENT;
    k.mem.write32(at, buf.readUInt32LE(i * HOST_EVENT));
    k.mem.bytes.set(buf.subarray(i * HOST_EVENT + 4, i * HOST_EVENT + 12), at + 8);
  }
  return n;
}

function epollPwait2(k: Kernel, a: number[]): number {
  const timeout = readTimespec(k, a[3], true);
  if (timeout === 'fault') return -E.EFAULT;
  if (timeout === 'invalid') return -E.EINVAL;
  return withWaitMask(k, a[4], a[5], () => epollWait(k, a[0], a[1], a[2] | 0, timeout));
}

/** poll's and epoll_wait's int timeout in ms: negative waits forever. */
const msTimeout = (ms: number): Timeout => ((ms | 0) < 0 ? null : ms | 0);

/** Whether `f` is an epoll instance (for /proc and fcntl users). */
export const isEpoll = (f: OpenFile): boolean => f.path === EPOLL_PATH;

export const EVENTS_SYSCALLS: SyscallRecord[] = [
  R('poll', ['ptr', 'uint', 'int'], (k, a) => poll(k, a[0], a[1] >>> 0, msTimeout(a[2]))),
  R('ppoll', ['ptr', 'uint', 'ptr', 'ptr', 'uint'], (k, a) => ppoll(k, a, false)),
  R('ppoll_time64', ['ptr', 'uint', 'ptr', 'ptr', 'uint'], (k, a) => ppoll(k, a, true)),
  R('_newselect', ['int', 'ptr', 'ptr', 'ptr', 'ptr'], (k, a) => newselect(k, a)),
  R('pselect6', ['int', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], (k, a) => pselect6(k, a, false)),
  R('pselect6_time64', ['int', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], (k, a) => pselect6(k, a, true)),
  R('epoll_create', ['int'], (k, a) => ((a[0] | 0) <= 0 ? -E.EINVAL : epollCreate(k, 0))),
  R('epoll_create1', ['hex'], (k, a) => epollCreate(k, a[0])),
  R('epoll_ctl', ['fd', 'int', 'fd', 'ptr'], (k, a) => epollCtl(k, a[0], a[1], a[2], a[3])),
  R('epoll_wait', ['fd', 'ptr', 'int', 'int'], (k, a) => epollWait(k, a[0], a[1], a[2] | 0, msTimeout(a[3]))),
  R('epoll_pwait', ['fd', 'ptr', 'int', 'int', 'ptr', 'uint'], (k, a) =>
    withWaitMask(k, a[4], a[5], () => epollWait(k, a[0], a[1], a[2] | 0, msTimeout(a[3])))),
  R('epoll_pwait2', ['fd', 'ptr', 'int', 'ptr', 'ptr', 'uint'], (k, a) => epollPwait2(k, a)),
];
