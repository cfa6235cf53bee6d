// POSIX message queues (mq_open and the rest): the host's, so guests share them with each
// other and with host programs, and a queue descriptor is a host descriptor in the guest's
// table (it crosses fork and exec, and poll/epoll wait on it). The host descriptor is always
// non-blocking: a send to a full queue or a receive from an empty one waits in urun (so a
// thread in a Worker waits by itself and signals interrupt it), unless the guest asked
// for O_NONBLOCK. struct mq_attr is four longs: converted between 32-bit and the host's.
import { E } from './errno.js';
import type { Kernel, OpenFile } from './kernel.js';
import { hostFile } from './kernel.js';
import { R } from './records.js';
import type { SyscallRecord } from './records.js';
import { libc } from '../host/libc.js';
import { POLLIN, POLLOUT } from '../engine/signals.js';
import { waitForFds } from './blocking.js';
import { clockNs, timespecArg } from './time.js';

/** The host's O_CREAT, O_EXCL, O_NONBLOCK and O_CLOEXEC (x86-64 and the other Linux hosts alike). */
const HOST_O_CREAT = 0o100, HOST_O_EXCL = 0o200, HOST_O_NONBLOCK = 0o4000, HOST_O_CLOEXEC = 0o2000000;
const GUEST_MQ_ATTR_BYTES = 32, HOST_MQ_ATTR_BYTES = 64;
const SIGEV_NONE = 1;
const CLOCK_REALTIME = 0;

/** What /proc/self/fd/N shows for a queue (Linux: its path under the mqueue mount). */
const queuePath = (name: string): string => `/dev/mqueue/${name}`;
const isQueue = (f: OpenFile): boolean => f.path.startsWith('/dev/mqueue/');

function queueFile(k: Kernel, fd: number): OpenFile | number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  return isQueue(f) ? f : -E.EBADF;
}

/** mq_open(name, oflag, mode, attr): glibc passes the name without its leading '/'. */
function mqOpen(k: Kernel, nameAddr: number, oflag: number, mode: number, attrAddr: number): number {
  const name = k.mem.readCBytes(nameAddr);
  if (!name) return -E.EFAULT;
  const g = k.abi.openFlags;
  let host = (oflag & 3) | HOST_O_NONBLOCK | HOST_O_CLOEXEC;
  if (oflag & g.O_CREAT) host |= HOST_O_CREAT;
  if (oflag & g.O_EXCL) host |= HOST_O_EXCL;
  let attr: Buffer | null = null;
  if (oflag & g.O_CREAT && attrAddr !== 0) {
    if (!k.mem.checkRange(attrAddr, GUEST_MQ_ATTR_BYTES, false)) return -E.EFAULT;
    attr = Buffer.alloc(HOST_MQ_ATTR_BYTES);
    for (let i = 0; i < 4; i++) attr.writeBigInt64LE(BigInt(k.mem.read32(attrAddr + 4 * i) | 0), 8 * i);
  }
  const hostFd = libc().mqOpen(name, host, mode, attr);
  if (hostFd < 0) return hostFd;
  const file = hostFile(hostFd, queuePath(name.toString('latin1')), null, true, (oflag & 3) | (oflag & g.O_NONBLOCK));
  file.mayBlock = true;
  const fd = k.allocFd(file, (oflag & g.O_CLOEXEC) !== 0);
  if (fd < 0) k.release(file);
  return fd;
}

function mqUnlink(k: Kernel, nameAddr: number): number {
  const name = k.mem.readCBytes(nameAddr);
  if (!name) return -E.EFAULT;
  return libc().mqUnlink(name);
}

/** The ms left until an absolute CLOCK_REALTIME timeout (null: none), or -errno for a bad one. */
function timeoutMs(k: Kernel, addr: number, is64: boolean): { ms: number | null } | number {
  if (addr === 0) return { ms: null };
  const ns = timespecArg(k, addr, is64);
  if (typeof ns === 'number') return ns;
  return { ms: Math.max(0, Number(ns - clockNs(CLOCK_REALTIME)!) / 1e6) };
}

/**
 * Runs a send or receive on the non-blocking host descriptor; when the queue is full (or
 * empty) and the guest's descriptor blocks, waits for it (restarted after a SA_RESTART
 * handler, as Linux does) until the timeout: ETIMEDOUT then.
 */
function transfer(k: Kernel, f: OpenFile, timeout: number, is64: boolean, events: number, op: () => number): number {
  const limit = timeoutMs(k, timeout, is64);
  if (typeof limit === 'number') return limit;
  const r = op();
  if (r !== -E.EAGAIN || f.flags & k.abi.openFlags.O_NONBLOCK) return r;
  return waitForFds(k, [{ fd: f.hostFd, events }], limit.ms, true) === 'timeout' ? -E.ETIMEDOUT : -E.EINTR;
}

function mqSend(k: Kernel, fd: number, msg: number, len: number, prio: number, timeout: number, is64: boolean): number {
  const f = queueFile(k, fd);
  if (typeof f === 'number') return f;
  if ((f.flags & 3) === 0) return -E.EBADF; // opened for reading only
  const data = k.mem.slice(msg, len, false);
  if (!data) return -E.EFAULT;
  return transfer(k, f, timeout, is64, POLLOUT, () => libc().mqSend(f.hostFd, data, len, prio >>> 0));
}

function mqReceive(k: Kernel, fd: number, msg: number, len: number, prioAddr: number, timeout: number, is64: boolean): number {
  const f = queueFile(k, fd);
  if (typeof f === 'number') return f;
  if ((f.flags & 3) === 1) return -E.EBADF; // opened for writing only
  const data = k.mem.slice(msg, len, true);
  if (!data || (prioAddr !== 0 && !k.mem.checkRange(prioAddr, 4, true))) return -E.EFAULT;
  const prio = Buffer.alloc(4);
  const r = transfer(k, f, timeout, is64, POLLIN, () => libc().mqReceive(f.hostFd, data, len, prio));
  if (r >= 0 && prioAddr !== 0) k.mem.write32(prioAddr, prio.readUInt32LE(0));
  return r;
}

/** mq_notify: only unregistering and SIGEV_NONE; a signal or thread notification is not delivered yet. */
function mqNotify(k: Kernel, fd: number, sevp: number): number {
  const f = queueFile(k, fd);
  if (typeof f === 'number') return f;
  if (sevp === 0) return libc().mqNotify(f.hostFd, null);
  if (!k.mem.checkRange(sevp, 12, false)) return -E.EFAULT;
  if (k.mem.read32(sevp + 8) !== SIGEV_NONE) return -E.ENOSYS;
  const sev = Buffer.alloc(64);
  sev.writeInt32LE(SIGEV_NONE, 12);
  return libc().mqNotify(f.hostFd, sev);
}

/** mq_getsetattr: the queue's sizes are the host's; its O_NONBLOCK is the guest descriptor's. */
function mqGetsetattr(k: Kernel, fd: number, newAddr: number, oldAddr: number): number {
  const f = queueFile(k, fd);
  if (typeof f === 'number') return f;
  const nonblock = k.abi.openFlags.O_NONBLOCK;
  if (newAddr !== 0 && !k.mem.checkRange(newAddr, GUEST_MQ_ATTR_BYTES, false)) return -E.EFAULT;
  if (oldAddr !== 0) {
    if (!k.mem.checkRange(oldAddr, GUEST_MQ_ATTR_BYTES, true)) return -E.EFAULT;
    const old = Buffer.alloc(HOST_MQ_ATTR_BYTES);
    const r = libc().mqGetsetattr(f.hostFd, null, old);
    if (r < 0) return r;
    k.mem.write32(oldAddr, f.flags & nonblock);
    for (let i = 1; i < 4; i++) k.mem.write32(oldAddr + 4 * i, Number(old.readBigInt64LE(8 * i)));
    for (let i = 4; i < 8; i++) k.mem.write32(oldAddr + 4 * i, 0);
  }
  if (newAddr !== 0) f.flags = (f.flags & ~nonblock) | (k.mem.read32(newAddr) & nonblock);
  return 0;
}

export const MQUEUE_SYSCALLS: SyscallRecord[] = [
  R('mq_open', ['str', 'oflags', 'mode', 'ptr'], (k, a) => mqOpen(k, a[0], a[1], a[2], a[3])),
  R('mq_unlink', ['str'], (k, a) => mqUnlink(k, a[0])),
  R('mq_timedsend', ['fd', 'inbuf', 'uint', 'uint', 'ptr'], (k, a) => mqSend(k, a[0], a[1], a[2], a[3], a[4], false)),
  R('mq_timedsend_time64', ['fd', 'inbuf', 'uint', 'uint', 'ptr'], (k, a) => mqSend(k, a[0], a[1], a[2], a[3], a[4], true)),
  R('mq_timedreceive', ['fd', 'ptr', 'uint', 'ptr', 'ptr'], (k, a) => mqReceive(k, a[0], a[1], a[2], a[3], a[4], false)),
  R('mq_timedreceive_time64', ['fd', 'ptr', 'uint', 'ptr', 'ptr'], (k, a) => mqReceive(k, a[0], a[1], a[2], a[3], a[4], true)),
  R('mq_notify', ['fd', 'ptr'], (k, a) => mqNotify(k, a[0], a[1])),
  R('mq_getsetattr', ['fd', 'ptr', 'ptr'], (k, a) => mqGetsetattr(k, a[0], a[1], a[2])),
];
