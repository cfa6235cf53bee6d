// Event descriptors: eventfd and timerfd are the host's (a host descriptor in the guest's
// table), with their 8-byte counters converted to the guest's byte order on read and write.
// signalfd is emulated, since guest signals are urun's and not the host's: a host eventfd
// stands for it, readable while a signal in its mask is pending for the thread, and its
// read() takes those signals off the pending list as struct signalfd_siginfo.
import * as fs from 'node:fs';
import { E, hostErrno } from './errno.js';
import type { Kernel, OpenFile } from './kernel.js';
import { hostFile } from './kernel.js';
import { R } from './records.js';
import type { SyscallRecord } from './records.js';
import { HOST_O_CLOEXEC, HOST_O_NONBLOCK, libc } from '../host/libc.js';
import { NO_SIGNALS, POLLIN, type SigInfo, type SigSet } from '../engine/signals.js';
import { awaitReady, waitForFds } from './blocking.js';
import { allSignals, listenForHostSignals, readSigset, unblockable } from './signals.js';

export const EVENTFD_PATH = 'anon_inode:[eventfd]', TIMERFD_PATH = 'anon_inode:[timerfd]', SIGNALFD_PATH = 'anon_inode:[signalfd]';
const EFD_SEMAPHORE = 1;
/** EFD_/TFD_/SFD_CLOEXEC: O_CLOEXEC, the same number on MIPS and ARM (the NONBLOCKs are the arch's O_NONBLOCK). */
const O_CLOEXEC = 0x80000;
const TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;
const SIGNALFD_SIGINFO = 128;

/** Whether `f` is one of these descriptors, whose read and write go through eventFileIo. */
export const isEventFile = (f: OpenFile): boolean =>
  f.path === EVENTFD_PATH || f.path === TIMERFD_PATH || f.path === SIGNALFD_PATH;

/** Status flags (F_GETFL) and host O_NONBLOCK for a new descriptor with the guest's flags. */
function newFlags(k: Kernel, flags: number): { status: number; host: number } {
  const nonblock = (flags & k.abi.openFlags.O_NONBLOCK) !== 0;
  return { status: 2 | (nonblock ? k.abi.openFlags.O_NONBLOCK : 0), host: nonblock ? HOST_O_NONBLOCK : 0 };
}

/** Puts a fresh host descriptor in the guest's table (closing it if the table is full). */
function install(k: Kernel, hostFd: number, path: string, status: number, flags: number): number {
  if (hostFd < 0) return hostFd;
  const file = hostFile(hostFd, path, null, true, status);
  file.mayBlock = true;
  const fd = k.allocFd(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) k.release(file);
  return fd;
}

// ---- eventfd ----

function eventfd(k: Kernel, initval: number, flags: number): number {
  if (flags & ~(EFD_SEMAPHORE | O_CLOEXEC | k.abi.openFlags.O_NONBLOCK)) return -E.EINVAL;
  const { status, host } = newFlags(k, flags);
  return install(k, libc().eventfd(initval, HOST_O_CLOEXEC | host | (flags & EFD_SEMAPHORE)), EVENTFD_PATH, status, flags);
}

// ---- memfd ----

const MFD_CLOEXEC = 1, MFD_NAME_MAX = 249;
/** memfd_create: a host memfd (always close-on-exec there; the guest's flag is its table's), its
 * other flags (sealing, huge pages) the host's to accept or refuse. */
function memfdCreate(k: Kernel, nameAddr: number, flags: number): number {
  const name = k.mem.readCBytes(nameAddr);
  if (!name) return -E.EFAULT;
  if (name.length > MFD_NAME_MAX) return -E.EINVAL;
  const hostFd = libc().memfd(name.toString('latin1'), flags & ~MFD_CLOEXEC);
  if (hostFd < 0) return hostFd;
  const file = hostFile(hostFd, `/memfd:${name.toString('latin1')} (deleted)`, null, true, 2 /* O_RDWR */);
  const fd = k.allocFd(file, (flags & MFD_CLOEXEC) !== 0);
  if (fd < 0) k.release(file);
  return fd;
}

// ---- timerfd ----

/** Converts a guest struct itimerspec (32- or 64-bit timespecs) to the host's (4 x int64); null on EFAULT, 'invalid'. */
function hostItimerspec(k: Kernel, addr: number, is64: boolean): Buffer | null | 'invalid' {
  const ts = is64 ? 16 : 8;
  if (!k.mem.checkRange(addr, 2 * ts, false)) return null;
  const out = Buffer.alloc(32);
  const le = k.mem.littleEndian, v = k.mem.view;
  for (let i = 0; i < 4; i++) {
    const at = addr + (i >> 1) * ts + (i & 1) * (ts / 2);
    const n = is64 ? v.getBigInt64(at, le) : BigInt(v.getInt32(at, le));
    // Linux takes only the low 32 bits of a 32-bit program's 64-bit tv_nsec (the rest is padding).
    out.writeBigInt64LE(is64 && i & 1 ? BigInt(v.getUint32(at + (le ? 0 : 4), le)) : n, 8 * i);
  }
  for (const i of [1, 3]) {
    const ns = out.readBigInt64LE(8 * i);
    if (ns < 0n || ns >= 1_000_000_000n) return 'invalid';
  }
  return out;
}

function writeItimerspec(k: Kernel, addr: number, host: Buffer, is64: boolean): boolean {
  const ts = is64 ? 16 : 8;
  if (!k.mem.checkRange(addr, 2 * ts, true)) return false;
  const le = k.mem.littleEndian, v = k.mem.view;
  for (let i = 0; i < 4; i++) {
    const at = addr + (i >> 1) * ts + (i & 1) * (ts / 2);
    const n = host.readBigInt64LE(8 * i);
    if (is64) v.setBigInt64(at, n, le);
    else v.setInt32(at, Number(n), le);
  }
  return true;
}

function timerfdCreate(k: Kernel, clock: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | k.abi.openFlags.O_NONBLOCK)) return -E.EINVAL;
  const { status, host } = newFlags(k, flags);
  return install(k, libc().timerfdCreate(clock, HOST_O_CLOEXEC | host), TIMERFD_PATH, status, flags);
}

function timerFile(k: Kernel, fd: number): OpenFile | number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  return f.path === TIMERFD_PATH ? f : -E.EINVAL;
}

function timerfdSettime(k: Kernel, fd: number, flags: number, value: number, old: number, is64: boolean): number {
  const f = timerFile(k, fd);
  if (typeof f === 'number') return f;
  if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) return -E.EINVAL;
  const spec = hostItimerspec(k, value, is64);
  if (spec === null) return -E.EFAULT;
  if (spec === 'invalid') return -E.EINVAL;
  if (old && !k.mem.checkRange(old, is64 ? 32 : 16, true)) return -E.EFAULT;
  const prev = Buffer.alloc(32);
  const r = libc().timerfdSettime(f.hostFd, flags, spec, prev);
  if (r < 0) return r;
  if (old) writeItimerspec(k, old, prev, is64);
  return 0;
}

function timerfdGettime(k: Kernel, fd: number, out: number, is64: boolean): number {
  const f = timerFile(k, fd);
  if (typeof f === 'number') return f;
  const cur = Buffer.alloc(32);
  const r = libc().timerfdGettime(f.hostFd, cur);
  if (r < 0) return r;
  return writeItimerspec(k, out, cur, is64) ? 0 : -E.EFAULT;
}

// ---- signalfd ----

/** A signalfd's own state in its process (its mask is the open file's, OpenFile.signalfdMask, which a fork carries). */
interface SignalfdState {
  /** Whether the host eventfd standing for it is readable now. */
  signaled: boolean;
}

/** The mask of a signalfd (an open file in signalfds, which always has one). */
const maskOf = (f: OpenFile): SigSet => f.signalfdMask ?? NO_SIGNALS;

/** The signalfds of each process (by its Kernel). */
const signalfds = new WeakMap<Kernel, Map<OpenFile, SignalfdState>>();

function signalfdsOf(k: Kernel): Map<OpenFile, SignalfdState> {
  let m = signalfds.get(k);
  if (!m) signalfds.set(k, (m = new Map()));
  return m;
}

/** The guest signals some open signalfd of `k` waits for (urun listens for them on the host). */
function watchedSignals(k: Kernel): SigSet {
  let s = NO_SIGNALS;
  for (const f of signalfds.get(k)?.keys() ?? []) if (f.refs > 0) s |= maskOf(f);
  return s;
}

/** The first pending signal of the thread in `mask`, or null. */
const pendingIn = (k: Kernel, mask: SigSet): SigInfo | null => k.signals.deliverable(~mask & allSignals(k));

/**
 * Makes each signalfd's host eventfd readable exactly while a signal in its mask is
 * pending: called when a signal is queued and before anything looks at readiness.
 */
export function syncSignalfds(k: Kernel): void {
  const all = signalfds.get(k);
  if (!all) return;
  for (const [f, st] of all) {
    if (f.refs <= 0) {
      all.delete(f);
      continue;
    }
    const ready = pendingIn(k, maskOf(f)) !== null;
    if (ready === st.signaled) continue;
    try {
      if (ready) fs.writeSync(f.hostFd, Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]));
      else fs.readSync(f.hostFd, Buffer.alloc(8));
      st.signaled = ready;
    } catch {
      st.signaled = !ready ? false : st.signaled; // an empty eventfd (EAGAIN) is what "not ready" wants
    }
  }
}

function signalfd(k: Kernel, fd: number, maskAddr: number, size: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | k.abi.openFlags.O_NONBLOCK)) return -E.EINVAL;
  if (size !== k.abi.sigsetBytes) return -E.EINVAL;
  const read = readSigset(k, maskAddr);
  if (read === null) return -E.EFAULT;
  const mask = read & ~unblockable(k);
  const all = signalfdsOf(k);
  let result: number;
  if ((fd | 0) === -1) {
    const { status } = newFlags(k, flags);
    // The eventfd itself is always non-blocking: urun writes and drains it.
    result = install(k, libc().eventfd(0, HOST_O_CLOEXEC | HOST_O_NONBLOCK), SIGNALFD_PATH, status, flags);
    if (result >= 0) {
      const f = k.file(result)!;
      f.signalfdMask = mask;
      all.set(f, { signaled: false });
    }
  } else {
    const f = k.file(fd);
    if (!f) return -E.EBADF;
    if (!all.has(f)) return -E.EINVAL;
    f.signalfdMask = mask;
    result = fd;
  }
  if (result >= 0) watchSignalfds(k);
  return result;
}

function watchSignalfds(k: Kernel): void {
  k.signals.onQueue ??= () => syncSignalfds(k);
  k.signalfdSignals ??= () => watchedSignals(k);
  listenForHostSignals(k);
  syncSignalfds(k);
}

/**
 * A forked child's signalfds (its copy of the parent's descriptor table): each reads the
 * child's own pending signals, as on Linux, so each gets a host eventfd of its own (the
 * parent's, shared, is readable while the parent has a signal pending, not the child).
 */
export function adoptSignalfds(k: Kernel): void {
  const all = signalfdsOf(k);
  for (const { file: f } of k.fds.values()) {
    if (f.path !== SIGNALFD_PATH || f.signalfdMask === undefined || all.has(f)) continue;
    const own = libc().eventfd(0, HOST_O_CLOEXEC | HOST_O_NONBLOCK);
    if (own < 0) continue;
    if (f.ownsFd) fs.closeSync(f.hostFd);
    f.hostFd = own;
    f.ownsFd = true;
    all.set(f, { signaled: false });
  }
  if (all.size > 0) watchSignalfds(k);
}

/** read() of a signalfd: as many pending signals of its mask as fit, as struct signalfd_siginfo. */
function readSignalfd(k: Kernel, f: OpenFile, addr: number, len: number): number {
  if (!signalfds.get(k)?.has(f)) return -E.EINVAL; // (a forked child adopts its copies: adoptSignalfds)
  const mask = maskOf(f);
  if (len < SIGNALFD_SIGINFO) return -E.EINVAL;
  if (!k.mem.checkRange(addr, len - (len % SIGNALFD_SIGINFO), true)) return -E.EFAULT;
  let n = 0;
  for (let info = pendingIn(k, mask); info && (n + 1) * SIGNALFD_SIGINFO <= len; info = pendingIn(k, mask)) {
    k.signals.take(info);
    writeSignalfdSiginfo(k, addr + n * SIGNALFD_SIGINFO, info);
    n++;
  }
  syncSignalfds(k);
  if (n > 0) return n * SIGNALFD_SIGINFO;
  if (f.flags & k.abi.openFlags.O_NONBLOCK) return -E.EAGAIN;
  waitForFds(k, [{ fd: f.hostFd, events: POLLIN }], null, true);
  return -E.EINTR;
}

/** struct signalfd_siginfo: fixed-width fields, the same layout on every arch. */
function writeSignalfdSiginfo(k: Kernel, at: number, info: SigInfo): void {
  k.mem.bytes.fill(0, at, at + SIGNALFD_SIGINFO);
  const le = k.mem.littleEndian, v = k.mem.view;
  v.setUint32(at, info.signo, le);
  v.setInt32(at + 8, info.code, le);
  if (info.addr !== undefined) {
    v.setBigUint64(at + 72, BigInt(info.addr >>> 0), le); // ssi_addr
    return;
  }
  if (info.timerId !== undefined) {
    v.setUint32(at + 24, info.timerId, le); // ssi_tid: the timer id
    v.setUint32(at + 32, info.overrun ?? 0, le);
  } else {
    v.setUint32(at + 12, info.pid ?? 0, le);
    v.setUint32(at + 16, info.uid ?? 0, le);
  }
  if (info.child) {
    v.setInt32(at + 40, info.child.status, le); // ssi_status
    v.setBigUint64(at + 56, BigInt(info.child.utime), le);
    v.setBigUint64(at + 64, BigInt(info.child.stime), le);
  }
  v.setInt32(at + 44, info.value ?? 0, le); // ssi_int
  v.setBigUint64(at + 48, BigInt((info.value ?? 0) >>> 0), le); // ssi_ptr
}

// ---- read and write ----

/**
 * read()/write() on an eventfd, timerfd or signalfd (files.ts sends them here). The counters
 * are u64 in the guest's byte order; the host's are little-endian.
 */
export function eventFileIo(k: Kernel, f: OpenFile, addr: number, len: number, write: boolean): number {
  // A timerfd or signalfd has no write operation: Linux's vfs_write fails with EINVAL before
  // it looks at the buffer (waiting for POLLOUT, which a timerfd never reports, hung forever).
  if (write && f.path !== EVENTFD_PATH) return -E.EINVAL;
  if (!k.mem.checkRange(addr, Math.min(len, 8), !write)) return -E.EFAULT;
  if (f.path === SIGNALFD_PATH) return readSignalfd(k, f, addr, len);
  if (len < 8) return -E.EINVAL;
  const ready = awaitReady(k, f, write);
  if (ready < 0) return ready;
  const buf = Buffer.alloc(8);
  try {
    if (write) {
      buf.set(k.mem.bytes.subarray(addr, addr + 8));
      if (!k.mem.littleEndian) buf.reverse();
      return fs.writeSync(f.hostFd, buf);
    }
    const n = fs.readSync(f.hostFd, buf);
    if (!k.mem.littleEndian) buf.reverse();
    k.mem.bytes.set(buf, addr);
    return n;
  } catch (e) {
    return hostErrno(e);
  }
}

export const EVENTFD_SYSCALLS: SyscallRecord[] = [
  R('eventfd', ['uint'], (k, a) => eventfd(k, a[0], 0)),
  R('eventfd2', ['uint', 'hex'], (k, a) => eventfd(k, a[0], a[1])),
  R('memfd_create', ['ptr', 'hex'], (k, a) => memfdCreate(k, a[0], a[1])),
  R('timerfd_create', ['clock', 'oflags'], (k, a) => timerfdCreate(k, a[0], a[1])),
  R('timerfd_settime', ['fd', 'int', 'ptr', 'ptr'], (k, a) => timerfdSettime(k, a[0], a[1], a[2], a[3], false)),
  R('timerfd_settime64', ['fd', 'int', 'ptr', 'ptr'], (k, a) => timerfdSettime(k, a[0], a[1], a[2], a[3], true)),
  R('timerfd_gettime', ['fd', 'ptr'], (k, a) => timerfdGettime(k, a[0], a[1], false)),
  R('timerfd_gettime64', ['fd', 'ptr'], (k, a) => timerfdGettime(k, a[0], a[1], true)),
  R('signalfd', ['fd', 'ptr', 'uint'], (k, a) => signalfd(k, a[0], a[1], a[2], 0)),
  R('signalfd4', ['fd', 'ptr', 'uint', 'oflags'], (k, a) => signalfd(k, a[0], a[1], a[2], a[3])),
];
