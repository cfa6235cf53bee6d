// File syscalls: descriptors, reads and writes, paths, metadata, directories, pipes, ioctl and fcntl.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SIGPIPE } from '../engine/signals.js';
import { StructWriter, nsec, oldStatOverflow, secBig, writeStatfs } from './abi.js';
import { READS_NOTHING, awaitReady, mayBlock, pollNow, remember, resumed, retryAfter, waitForFds, waitForTransfer, type CallKey } from './blocking.js';
import { eventFileIo, isEventFile } from './eventfds.js';
import { PAGE_SIZE } from '../memory/memory.js';
import { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT } from '../engine/signals.js';
import type { HostStat, OpenFlag } from './abi.js';
import { E, hostErrno } from './errno.js';
import { HOST_FD_DIR, Kernel, OpenFile, descriptorPath, hostFdPath, hostFile } from './kernel.js';
import { fcntlLock, flock } from './locks.js';
import { terminalIoctl } from './terminals.js';
import { sleepMs } from './signals.js';
import { guestMemoryIo, guestTids, isOwnMemFile, isOwnTaskDir, openProcSelf, procSelfLink, taskDirName, writeComm } from './procfs.js';
import { concatBytes } from '../host/bytes.js';
import { F_GETFL, F_SETFL, HOST_O_CLOEXEC, HOST_O_NONBLOCK, HOST_O_ASYNC, HOST_O_PATH, HOST_O_TMPFILE, libc, type XattrOp } from '../host/libc.js';
import { R, arg64, arg64Exact, exact64, AT_FDCWD, AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, AT_EMPTY_PATH } from './records.js';
import type { SyscallRecord } from './records.js';
import { SIOCETHTOOL, ethtoolCarried, ethtoolIoctl, interfaceIoctl, isInterfaceIoctl } from './ifreq.js';
import { netlinkToGuest, netlinkToHost } from './netlink.js';

/** send(2) flags, the host's: never wait, and no SIGPIPE (urun raises the guest's). */
const HOST_MSG_DONTWAIT = 0x40, HOST_MSG_NOSIGNAL = 0x4000;

/** The host's open flags by name: Node's fs.constants, and the three it leaves out. */
const HOST_OPEN_FLAGS: Record<string, number> = { ...fs.constants, O_PATH: HOST_O_PATH, O_TMPFILE: HOST_O_TMPFILE, O_ASYNC: HOST_O_ASYNC };

function hostOpenFlags(k: Kernel, guest: number): { flags: number; unknown: number } {
  const g = k.abi.openFlags;
  const c = HOST_OPEN_FLAGS;
  let flags = guest & 3;
  let rest = guest & ~3;
  for (const [name, bit] of Object.entries(g) as [OpenFlag, number][]) {
    if (name === 'O_WRONLY' || name === 'O_RDWR') continue;
    if ((guest & bit) === bit) {
      rest &= ~bit;
      if (name === 'O_LARGEFILE' || name === 'O_CLOEXEC') continue;
      if (c[name] !== undefined) flags |= c[name];
    }
  }
  return { flags, unknown: rest };
}

function doStat(k: Kernel, hostPath: string | Buffer, follow: boolean): HostStat | number {
  try {
    return Kernel.hostStat(follow ? fs.statSync(hostPath, { bigint: true }) : fs.lstatSync(hostPath, { bigint: true }));
  } catch (e) {
    return hostErrno(e);
  }
}

function statAt(k: Kernel, dirfd: number, pathAddr: number, flags: number): HostStat | number {
  if (flags & AT_EMPTY_PATH) {
    const p = k.mem.readCString(pathAddr);
    if (p === '') return dirfd === AT_FDCWD ? doStat(k, '.', true) : k.fstat(dirfd);
  }
  const p = k.pathArg(pathAddr, dirfd, (flags & AT_SYMLINK_NOFOLLOW) !== 0);
  if (typeof p === 'number') return p;
  return doStat(k, p, (flags & AT_SYMLINK_NOFOLLOW) === 0);
}

function stat64Out(k: Kernel, st: HostStat | number, addr: number): number {
  if (typeof st === 'number') return st;
  if (!k.mem.checkRange(addr, 104, true)) return -E.EFAULT;
  k.abi.writeStat64(k.mem, addr, st);
  return 0;
}

/** The old struct stat (old programs' stat, lstat, fstat): EOVERFLOW for what 32 bits cannot hold. */
function statOut(k: Kernel, st: HostStat | number, addr: number): number {
  if (typeof st === 'number') return st;
  const over = oldStatOverflow(st, k.abi.statSize === 64 ? 0xffff : 0xffffffff);
  if (over) return over;
  if (!k.mem.checkRange(addr, k.abi.statSize, true)) return -E.EFAULT;
  k.abi.writeStat(k.mem, addr, st);
  return 0;
}

/** struct statx: which members are 64-bit and 16-bit (the rest are 32-bit words), for byte order. */
const STATX_U64_AT = [8, 32, 40, 48, 56, 64, 80, 96, 112, 144, 160];
const STATX_U16_AT = [28, 30];
const STATX_SIZE = 256;

/** AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC: the sync type, one of the two or neither. */
const AT_STATX_SYNC_TYPE = 0x6000;
/** The flags statx accepts: AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT, AT_EMPTY_PATH, AT_STATX_SYNC_TYPE. */
const STATX_FLAGS = 0x100 | 0x800 | 0x1000 | AT_STATX_SYNC_TYPE;
const STATX_RESERVED = 0x80000000;
const STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800;
const BIG = { bigint: true } as const;

/**
 * statx through Node's stat (so that the common case loads no native code): the basic
 * fields and the birth time, as struct statx in guest byte order.
 */
function statx(k: Kernel, dirfd: number, pathAddr: number, flags: number, mask: number, addr: number): number {
  // (Both sync-type bits together are no sync type: EINVAL, as Linux.)
  if (flags & ~STATX_FLAGS || (flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE || mask & STATX_RESERVED) return -E.EINVAL;
  const at = atPath(k, dirfd, pathAddr, flags);
  if (typeof at === 'number') return at;
  const out = k.mem.slice(addr, STATX_SIZE, true);
  if (!out) return -E.EFAULT;
  const [fd, p] = at;
  let st: fs.BigIntStats;
  try {
    if (p === '') st = fd === AT_FDCWD ? fs.statSync('.', BIG) : fs.fstatSync(fd, BIG);
    else {
      // Relative to a directory descriptor: through its /proc/self/fd link, as the *at call would.
      const full = fd === AT_FDCWD || typeof p !== 'string' || p.startsWith('/') ? p : `${HOST_FD_DIR}${fd}/${p}`;
      st = flags & AT_SYMLINK_NOFOLLOW ? fs.lstatSync(full, BIG) : fs.statSync(full, BIG);
    }
  } catch (e) {
    return hostErrno(e);
  }
  const buf = Buffer.alloc(STATX_SIZE);
  if (st.birthtimeNs === 0n) {
    // Node cannot tell a birth time of 0 from none: ask the host (a native call).
    const r = libc().statx(fd, p, flags, mask, buf);
    if (r < 0) return r;
  } else writeStatx(buf, st);
  if (!k.mem.littleEndian) {
    for (let off = 0; off < STATX_SIZE; off += 4) {
      if (off === STATX_U16_AT[0]) for (const at of STATX_U16_AT) swapAt(buf, at, 2);
      else swapAt(buf, off, 4);
    }
    // 64-bit members: their two (swapped) words trade places too.
    for (const off of STATX_U64_AT) {
      const first = buf.readUInt32BE(off);
      buf.writeUInt32BE(buf.readUInt32BE(off + 4), off);
      buf.writeUInt32BE(first, off + 4);
    }
  }
  out.set(buf);
  return 0;
}

/** struct statx (host byte order) from Node's stat. */
function writeStatx(buf: Buffer, st: fs.BigIntStats): void {
  buf.writeUInt32LE(STATX_BASIC_STATS | STATX_BTIME, 0);
  buf.writeUInt32LE(Number(st.blksize), 4);
  buf.writeUInt32LE(Number(st.nlink), 16);
  buf.writeUInt32LE(Number(st.uid), 20);
  buf.writeUInt32LE(Number(st.gid), 24);
  buf.writeUInt16LE(Number(st.mode) & 0xffff, 28);
  buf.writeBigUInt64LE(st.ino, 32);
  buf.writeBigUInt64LE(st.size, 40);
  buf.writeBigUInt64LE(st.blocks, 48);
  const time = (off: number, ns: bigint) => {
    buf.writeBigInt64LE(secBig(ns), off);
    buf.writeUInt32LE(nsec(ns), off + 8);
  };
  time(64, st.atimeNs);
  time(80, st.birthtimeNs);
  time(96, st.ctimeNs);
  time(112, st.mtimeNs);
  // dev_t as glibc encodes it: 12 bits of major and 20 of minor, split over both words.
  const dev = (off: number, d: bigint) => {
    const n = BigInt.asUintN(64, d);
    buf.writeUInt32LE(Number(((n >> 8n) & 0xfffn) | ((n >> 32n) & ~0xfffn & 0xffffffffn)), off);
    buf.writeUInt32LE(Number((n & 0xffn) | ((n >> 12n) & ~0xffn & 0xffffffffn)), off + 4);
  };
  dev(128, st.rdev);
  dev(136, st.dev);
}

function swapAt(buf: Buffer, off: number, size: 2 | 4): void {
  buf.subarray(off, off + size).reverse();
}

/**
 * A path argument for a host *at call: the host directory descriptor and path. With
 * AT_EMPTY_PATH an empty path names the descriptor itself.
 */
function atPath(k: Kernel, dirfd: number, addr: number, flags: number): [number, string | Buffer] | number {
  if (flags & AT_EMPTY_PATH) {
    const raw = k.mem.readCBytes(addr, 1);
    if (raw !== null && raw.length === 0) {
      if (dirfd === AT_FDCWD) return [AT_FDCWD, ''];
      const f = k.file(dirfd);
      return f ? [f.hostFd, ''] : -E.EBADF;
    }
  }
  const p = k.pathArg(addr, dirfd, (flags & AT_SYMLINK_NOFOLLOW) !== 0);
  return typeof p === 'number' ? p : [AT_FDCWD, p];
}

const MAX_HANDLE_SZ = 128, AT_SYMLINK_FOLLOW = 0x400, AT_HANDLE_FID = 0x200;

/**
 * A guest struct file_handle {u32 handle_bytes; s32 handle_type; u8 f_handle[]} as the host's
 * (its two words little-endian), f_handle as long as handle_bytes says, up to MAX_HANDLE_SZ
 * (the host checks it); or -errno.
 */
function hostHandle(k: Kernel, addr: number, withBytes: boolean): Buffer | number {
  if (!k.mem.checkRange(addr, 8, false)) return -E.EFAULT;
  const bytes = k.mem.read32(addr) >>> 0;
  const host = Buffer.alloc(8 + Math.min(bytes, MAX_HANDLE_SZ));
  host.writeUInt32LE(bytes, 0);
  host.writeInt32LE(k.mem.read32(addr + 4) | 0, 4);
  if (withBytes && bytes <= MAX_HANDLE_SZ) {
    const raw = k.mem.slice(addr + 8, bytes, false);
    if (!raw) return -E.EFAULT;
    host.set(raw, 8);
  }
  return host;
}

/**
 * name_to_handle_at: the host's handle for the file (a guest file is a host file), which
 * open_by_handle_at takes back. The handle's bytes are the host kernel's, opaque to the guest.
 */
function nameToHandleAt(k: Kernel, dirfd: number, pathAddr: number, handleAddr: number, mountIdAddr: number, flags: number): number {
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH | AT_HANDLE_FID)) return -E.EINVAL;
  const at = atPath(k, dirfd, pathAddr, (flags & AT_EMPTY_PATH) | (flags & AT_SYMLINK_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW));
  if (typeof at === 'number') return at;
  const handle = hostHandle(k, handleAddr, false);
  if (typeof handle === 'number') return handle;
  const mountId = Buffer.alloc(4);
  const r = libc().nameToHandleAt(at[0], at[1], handle, mountId, flags);
  // EOVERFLOW tells the size the handle needs, in handle_bytes.
  if (r === -E.EOVERFLOW) k.mem.write32(handleAddr, handle.readUInt32LE(0));
  if (r < 0) return r;
  const bytes = handle.readUInt32LE(0);
  const out = k.mem.slice(handleAddr, 8 + bytes, true);
  if (!out || !k.mem.checkRange(mountIdAddr, 4, true)) return -E.EFAULT;
  out.set(handle.subarray(8, 8 + bytes), 8);
  k.mem.write32(handleAddr, bytes);
  k.mem.write32(handleAddr + 4, handle.readInt32LE(4));
  k.mem.write32(mountIdAddr, mountId.readInt32LE(0));
  return 0;
}

/** open_by_handle_at: the host opens the file a name_to_handle_at handle names (CAP_DAC_READ_SEARCH, as on Linux). */
function openByHandleAt(k: Kernel, mountFd: number, handleAddr: number, flags: number): number {
  const mount = mountFd === AT_FDCWD ? AT_FDCWD : k.file(mountFd)?.hostFd;
  if (mount === undefined) return -E.EBADF;
  const handle = hostHandle(k, handleAddr, true);
  if (typeof handle === 'number') return handle;
  const { flags: hostFlags } = hostOpenFlags(k, flags);
  const hostFd = libc().openByHandleAt(mount, handle, hostFlags);
  if (hostFd < 0) return hostFd;
  let st: fs.Stats | null = null;
  try {
    st = fs.fstatSync(hostFd);
  } catch {
    // (A descriptor fstat cannot describe stays a plain file.)
  }
  const name = st ? descriptorPath(hostFd, st) : `/dev/fd/${hostFd}`;
  const fd = k.allocFd(hostFile(hostFd, name, st, true, flags & ~k.abi.openFlags.O_CLOEXEC), (flags & k.abi.openFlags.O_CLOEXEC) !== 0);
  if (fd < 0) fs.closeSync(hostFd);
  return fd;
}

/** utimensat: a path, or (path NULL) the descriptor itself; times as two timespecs or NULL for now. */
function utimensat(k: Kernel, dirfd: number, pathAddr: number, timesAddr: number, flags: number, time64: boolean): number {
  let times: Buffer | null = null;
  if (timesAddr) {
    const size = time64 ? 16 : 8;
    if (!k.mem.checkRange(timesAddr, 2 * size, false)) return -E.EFAULT;
    const v = k.mem.view, le = k.mem.littleEndian;
    times = Buffer.alloc(32);
    for (let i = 0; i < 2; i++) {
      const at = timesAddr + i * size;
      const sec = time64 ? v.getBigInt64(at, le) : BigInt(v.getInt32(at, le));
      // A 32-bit process's tv_nsec is 32 bits wide, in the 64-bit layout too.
      const nsec = time64 ? Number(BigInt.asIntN(32, v.getBigInt64(at + 8, le))) : v.getInt32(at + 4, le);
      times.writeBigInt64LE(sec, 16 * i);
      times.writeBigInt64LE(BigInt(nsec), 16 * i + 8);
    }
  }
  return setTimes(k, dirfd, pathAddr, times, flags);
}

/**
 * The old utimes and futimesat: times as two struct timevals (microseconds, which must be
 * below a second), or NULL for now; futimesat with a NULL path sets the descriptor's.
 */
function utimes(k: Kernel, dirfd: number, pathAddr: number, tvAddr: number): number {
  let times: Buffer | null = null;
  if (tvAddr) {
    if (!k.mem.checkRange(tvAddr, 16, false)) return -E.EFAULT;
    times = Buffer.alloc(32);
    for (let i = 0; i < 2; i++) {
      const usec = k.mem.read32(tvAddr + 8 * i + 4) | 0;
      if (usec < 0 || usec >= 1_000_000) return -E.EINVAL;
      times.writeBigInt64LE(BigInt(k.mem.read32(tvAddr + 8 * i) | 0), 16 * i);
      times.writeBigInt64LE(BigInt(usec * 1000), 16 * i + 8);
    }
  }
  return setTimes(k, dirfd, pathAddr, times, 0);
}

/** Sets a file's access and modification times (host struct timespec[2], or null for now). */
function setTimes(k: Kernel, dirfd: number, pathAddr: number, times: Buffer | null, flags: number): number {
  if (pathAddr === 0) {
    // utimensat(fd, NULL, ...) is futimens(fd); with AT_FDCWD, Linux reads the NULL path (EFAULT).
    if (dirfd === AT_FDCWD) return -E.EFAULT;
    const f = k.file(dirfd);
    if (!f) return -E.EBADF;
    return flags ? -E.EINVAL : libc().futimens(f.hostFd, times);
  }
  const at = atPath(k, dirfd, pathAddr, flags);
  return typeof at === 'number' ? at : libc().utimensat(at[0], at[1], times, flags);
}

/** What an inotify descriptor's path is: its events are turned into guest byte order on read. */
const INOTIFY_PATH = 'anon_inode:inotify';

/** struct inotify_event { s32 wd; u32 mask; u32 cookie; u32 len; char name[len]; }, in place. */
function swapInotifyEvents(buf: Uint8Array, n: number): void {
  const b = Buffer.from(buf.buffer, buf.byteOffset, n);
  for (let at = 0; at + 16 <= n;) {
    const len = b.readUInt32LE(at + 12);
    for (let i = 0; i < 4; i++) swapAt(b, at + 4 * i, 4);
    at += 16 + len;
  }
}

/** Gathers iovecs into (address, length) pairs; null on a bad address. */
function iovecs(k: Kernel, addr: number, count: number): [number, number][] | null {
  if (count < 0 || count > 1024) return null;
  if (!k.mem.checkRange(addr, count * 8, false)) return null;
  const out: [number, number][] = [];
  for (let i = 0; i < count; i++) out.push([k.mem.read32(addr + 8 * i), k.mem.read32(addr + 8 * i + 4)]);
  return out;
}

function retryAgain<T>(k: Kernel, f: OpenFile, fn: () => T): T {
  // Node leaves inherited stdio non-blocking at times; a guest that did not ask for
  // O_NONBLOCK expects blocking I/O.
  for (;;) {
    try {
      return fn();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' || f.flags & k.abi.openFlags.O_NONBLOCK) throw e;
      sleepMs(1);
    }
  }
}

/** A position no file has (negative, or past the largest 64-bit offset with the count): EINVAL, as Linux. */
const badPosition = (pos: number | null, len: number): boolean => pos !== null && (pos < 0 || pos + len >= 2 ** 63);

// Reads and writes go through the host descriptor's own offset (position null), so a
// forked child and its parent share it, and O_APPEND is the host kernel's.
export function readInto(k: Kernel, f: OpenFile, buf: Uint8Array, pos: number | null): number {
  if (badPosition(pos, buf.length)) return -E.EINVAL;
  if (f.isDir) return -E.EISDIR;
  if (isOwnMemFile(k, f.path)) return guestMemoryIo(k, f.hostFd, buf, pos, false);
  try {
    const n = retryAgain(k, f, () => fs.readSync(f.hostFd, buf, 0, buf.length, pos));
    if (f.path === INOTIFY_PATH && !k.mem.littleEndian) swapInotifyEvents(buf, n);
    return n;
  } catch (e) {
    return hostErrno(e);
  }
}

function writeFrom(k: Kernel, f: OpenFile, buf: Uint8Array, pos: number | null): number {
  // (Node takes a negative position as none: the write went to the file's offset.)
  if (badPosition(pos, buf.length)) return -E.EINVAL;
  if (f.path.endsWith('/comm')) {
    const named = writeComm(k, f.path, buf);
    if (named !== null) return named;
  }
  if (isOwnMemFile(k, f.path)) return guestMemoryIo(k, f.hostFd, buf, pos, true);
  let done = 0;
  try {
    while (done < buf.length) {
      done += retryAgain(k, f, () => fs.writeSync(f.hostFd, buf, done, buf.length - done, pos === null ? null : pos + done));
    }
    return done;
  } catch (e) {
    // What was written stays written: a non-blocking pipe that filled up part way (EAGAIN),
    // or a reader gone after part of it, returns the count as Linux does (the error, and
    // SIGPIPE, come with the next write).
    if (done > 0) return done;
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') k.raise(k.guestSignal(SIGPIPE));
    return hostErrno(e);
  }
}

/**
 * A read from a descriptor opened write-only, or a write to one opened read-only: Linux fails it
 * with EBADF at once (waiting for the host descriptor to become readable would wait forever on
 * a pipe's write end: vim -es reads from a dup of stderr when stdin ends).
 */
const wrongWay = (f: OpenFile, write: boolean): boolean => (f.flags & 3) === (write ? 0 : 1);

function rw(k: Kernel, fd: number, addr: number, len: number, write: boolean, pos: number | bigint | null): number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  if (len === 0) return 0;
  if (pos === null && isEventFile(f)) return eventFileIo(k, f, addr, len, write); // eventfd, timerfd, signalfd
  if (wrongWay(f, write)) return -E.EBADF;
  if (!k.mem.checkRange(addr, len, !write)) return -E.EFAULT;
  if (typeof pos === 'bigint') return farIo(k, f, [[addr, len]], write, pos);
  // A write to a pipe or socket waits by itself, keeping what it moved across its waits.
  const pieces = write && pos === null && waitsInPieces(k, f);
  const ready = pos === null && !pieces ? awaitReady(k, f, write) : 0;
  if (ready === READS_NOTHING) return 0;
  return ready < 0 ? ready : transfer(k, f, addr, len, write, pos, pieces);
}

/**
 * Whether a write to `f` is one that may have to wait for room and that urun does in pieces
 * that never block the host thread (streamWrite): a blocking pipe, FIFO or socket.
 */
function waitsInPieces(k: Kernel, f: OpenFile): boolean {
  return mayBlock(k, f) && (f.fifo === true || f.path.startsWith('socket:'));
}

/** What a write to a pipe puts in at most, when poll(2) says it has room: one page, which never waits. */
const PIPE_PIECE = 4096;

/**
 * A blocking write to a pipe, FIFO or socket. The host descriptor is written only as far as
 * it takes without waiting, since the thread doing it may be the main thread, which serves
 * every guest thread's calls (the reader may be one of them: a write there that waited on the
 * host would wait forever). A pipe that poll(2) finds writable has a free page, so it takes a
 * page-sized piece without waiting (a write of up to PIPE_BUF stays atomic); a socket is
 * written with MSG_DONTWAIT. When it is full, the calling thread waits for room (WaitForHostFds)
 * and the call runs again, from what it moved so far (`key`, as sends do): as on Linux, it
 * returns once everything is written, or with what was moved when a signal or SO_SNDTIMEO ends
 * the wait. Without `key` (a later buffer of a writev), it returns what it moved rather than wait.
 */
function streamWrite(k: Kernel, f: OpenFile, buf: Uint8Array, key: CallKey | null): number {
  let done = key ? resumed(k, key) : 0;
  const socket = f.path.startsWith('socket:');
  while (done < buf.length) {
    let n: number;
    if (socket) {
      n = libc().sendTo(f.hostFd, buf.subarray(done), null, HOST_MSG_DONTWAIT | HOST_MSG_NOSIGNAL);
    } else if (!(pollNow([{ fd: f.hostFd, events: POLLOUT }])[0] & (POLLOUT | POLLERR | POLLHUP | POLLNVAL))) {
      n = -E.EAGAIN;
    } else {
      try {
        n = fs.writeSync(f.hostFd, buf, done, Math.min(PIPE_PIECE, buf.length - done), null);
      } catch (e) {
        n = hostErrno(e);
      }
    }
    if (n === -E.EAGAIN) {
      if (key === null && done > 0) return done;
      if (key) remember(k, key, done);
      const end = waitForTransfer(k, f, true, done > 0);
      return done > 0 ? done : end === 'timeout' ? -E.EAGAIN : -E.EINTR;
    }
    if (n < 0) {
      // What was written stays written: the error, and SIGPIPE, come with the next write.
      if (done > 0) return done;
      if (n === -E.EPIPE) k.raise(k.guestSignal(SIGPIPE));
      return n;
    }
    done += n;
  }
  return done;
}

/**
 * Moves one buffer. `pieces`: a write to a blocking pipe or socket (waitsInPieces), done by
 * streamWrite, which keeps what it moved across its waits when `resumable`.
 */
function transfer(k: Kernel, f: OpenFile, addr: number, len: number, write: boolean, pos: number | null, pieces = false, resumable = pieces): number {
  const buf = k.mem.slice(addr, len, !write);
  if (!buf) return -E.EFAULT;
  // read/write on a netlink socket carry messages as send/recv do: converted on the way.
  const socket = f.path.startsWith('socket:');
  if (write) {
    const data = socket ? netlinkToHost(k, f, [buf])[0] : buf;
    return pieces ? streamWrite(k, f, data, resumable ? () => `write:${f.hostFd}:${addr}:${len}` : null) : writeFrom(k, f, data, pos);
  }
  const r = readInto(k, f, buf, pos);
  if (socket && r > 0) netlinkToGuest(k, f, [buf], r);
  return r;
}

/**
 * readv/writev on an eventfd, timerfd or signalfd: Linux calls their read or write once per
 * buffer (do_loop_readv_writev), so each goes through eventFileIo as a read() or write() would,
 * counters in the guest's byte order (a host readv/writev took them unconverted).
 */
function eventFileIov(k: Kernel, f: OpenFile, vecs: [number, number][], write: boolean): number {
  let total = 0;
  for (const [base, len] of vecs) {
    if (len === 0) continue;
    const r = eventFileIo(k, f, base, len, write);
    if (r < 0) return total > 0 ? total : r;
    total += r;
    if (r < len) break;
  }
  return total;
}

function rwv(k: Kernel, fd: number, iov: number, cnt: number, write: boolean, pos: number | bigint | null): number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  if (wrongWay(f, write)) return -E.EBADF;
  const vecs = iovecs(k, iov, cnt);
  if (!vecs) return cnt < 0 || cnt > 1024 ? -E.EINVAL : -E.EFAULT;
  if (typeof pos === 'bigint') return farIo(k, f, vecs, write, pos);
  if (pos === null && isEventFile(f)) return eventFileIov(k, f, vecs, write);
  if (write && pos === null) return gatheredWrite(k, f, iov, vecs);
  const ready = pos === null ? awaitReady(k, f, write) : 0;
  if (ready === READS_NOTHING) return 0;
  if (ready < 0) return ready;
  let total = 0;
  for (const [base, len] of vecs) {
    if (len === 0) continue;
    // Once something moved, the call returns rather than wait for more.
    if (total > 0 && mayBlock(k, f) && !(pollNow([{ fd: f.hostFd, events: write ? POLLOUT : POLLIN }])[0])) break;
    const r = transfer(k, f, base, len, write, pos === null ? null : pos + total);
    if (r < 0) return total > 0 ? total : r;
    total += r;
    if (r < len) break;
  }
  return total;
}

/**
 * writev (at the file position): the buffers go out together, as one write, since Linux
 * copies the whole vector in one pipe_write or sendmsg. A vector of up to PIPE_BUF bytes then
 * goes into a pipe at once or not at all (urun wrote it buffer by buffer: a blocking writev
 * returned after the buffer that filled the pipe's last page, 256 of four 256-byte buffers to
 * a one-page pipe; a non-blocking one wrote the buffers that fitted where Linux says EAGAIN),
 * and a datagram socket sends one datagram. A write to a blocking pipe, FIFO or socket waits
 * by itself (streamWrite). A buffer that cannot be read ends the vector there (EFAULT when it
 * is the first).
 */
function gatheredWrite(k: Kernel, f: OpenFile, iov: number, vecs: [number, number][]): number {
  const bufs: Uint8Array[] = [];
  for (const [base, len] of vecs) {
    if (len === 0) continue;
    const buf = k.mem.slice(base, len, false);
    if (!buf) {
      if (bufs.length === 0) return -E.EFAULT;
      break;
    }
    bufs.push(buf);
  }
  const parts = f.path.startsWith('socket:') ? netlinkToHost(k, f, bufs) : bufs;
  const data = parts.length === 1 ? parts[0] : concatBytes(parts);
  if (waitsInPieces(k, f)) return streamWrite(k, f, data, () => `writev:${f.hostFd}:${iov}:${data.length}`);
  const ready = awaitReady(k, f, true);
  return ready < 0 ? ready : writeFrom(k, f, data, null);
}

/**
 * pread/pwrite and their vector forms at a position a number cannot hold exactly (past 2^53),
 * which Node's fs cannot take either (a read throws, a write goes to the file's offset):
 * through the host's pread64/pwrite64, which answer as Linux does (EFBIG for a write past
 * the file system's largest file, 0 for a read there, ESPIPE on a pipe). A position past
 * 2^63 - 1 with the count added is EINVAL, as Linux's rw_verify_area says.
 */
function farIo(k: Kernel, f: OpenFile, vecs: [number, number][], write: boolean, pos: bigint): number {
  const count = vecs.reduce((n, [, len]) => n + len, 0);
  if (pos < 0n || pos + BigInt(count) > 2n ** 63n - 1n) return -E.EINVAL;
  let total = 0;
  for (const [base, len] of vecs) {
    if (len === 0) continue;
    const buf = k.mem.slice(base, len, !write);
    if (!buf) return total > 0 ? total : -E.EFAULT;
    const host = write ? Buffer.from(buf) : Buffer.alloc(len);
    const r = libc().pioExact(write, f.hostFd, host, pos + BigInt(total));
    if (r < 0) return total > 0 ? total : r;
    if (!write) buf.set(host.subarray(0, r));
    total += r;
    if (r < len) break;
  }
  return total;
}

const RWF_HIPRI = 1;
/**
 * preadv2/pwritev2 (fd, iov, count, offset low, offset high, flags): an offset of -1 is the
 * file position, as readv/writev. Of the flags only RWF_HIPRI, a polling hint, is taken (as
 * none); the others (DSYNC, SYNC, NOWAIT, APPEND) are refused as an older kernel would.
 */
function rwv2(k: Kernel, a: number[], write: boolean): number {
  if (a[5] & ~RWF_HIPRI) return -E.EOPNOTSUPP;
  const pos = exact64(a[3], a[4]);
  return rwv(k, a[0], a[1], a[2], write, pos === -1 ? null : pos);
}

/** How often a FIFO's writer looks for a reader while its open waits. */
const FIFO_RETRY_MS = 5;

/**
 * The host descriptors of FIFO readers waiting in open for a writer, by path, kept between
 * the runs of their calls (any thread's run of an open of that path takes one).
 */
const fifoReaders = new Map<string, number[]>();
/** A pipe that tee(2) copies into, to look into a FIFO without taking its data. */
let fifoProbe: [number, number] | null = null;

/**
 * Whether a FIFO open for reading has a writer: a tee(2) from it finds data, or no data and
 * a writer (EAGAIN), or no data and no writer (0), and consumes nothing.
 */
function fifoHasWriter(fd: number): boolean {
  if (!fifoProbe) {
    const p = libc().pipe2(HOST_O_NONBLOCK | HOST_O_CLOEXEC);
    if (typeof p === 'number') return true; // no probe: open at once, as before
    fifoProbe = p;
  }
  const r = libc().tee(fd, fifoProbe[1], 1, SPLICE_F_NONBLOCK);
  if (r > 0) fs.readSync(fifoProbe[0], Buffer.alloc(r));
  return r !== 0;
}

/**
 * Whether a descriptor is an anonymous pipe (pipe(2), reached again through /proc/self/fd or
 * /dev/fd): Linux opens one at once, writer or not, where a named FIFO's open waits.
 */
function isAnonPipe(hostFd: number): boolean {
  return hostFdPath(hostFd)?.startsWith('pipe:') ?? false;
}

function isFifo(p: string | Buffer): boolean {
  try {
    return fs.statSync(p).isFIFO();
  } catch {
    return false;
  }
}

function openAt(k: Kernel, dirfd: number, pathAddr: number, flags: number, mode: number): number {
  const p = k.pathArg(pathAddr, dirfd);
  if (typeof p === 'number') return p;
  // The name urun's own /proc and FIFO bookkeeping go by (a non-UTF-8 path is none of /proc's).
  const pName = typeof p === 'string' ? p : `\0${p.toString('latin1')}`;
  const { flags: hostFlags } = hostOpenFlags(k, flags);
  const cloexec = (flags & k.abi.openFlags.O_CLOEXEC) !== 0;
  // A FIFO's open waits for the other end. Made on the host it would stall every guest
  // thread (the main thread serves their calls), so the host open never waits: a writer
  // that finds no reader yet (ENXIO), or a reader no writer, waits in its own thread and
  // the call runs again (a waiting reader keeps its descriptor, so that writers see it, as
  // Linux counts a reader blocked in open). The descriptor is then made blocking again, as
  // the guest asked (host programs it execs inherit it).
  const noWait = (hostFlags & (HOST_O_NONBLOCK | HOST_O_PATH)) === 0;
  const reader = noWait && (hostFlags & 3) === fs.constants.O_RDONLY;
  const parked = reader ? fifoReaders.get(pName)?.pop() : undefined;
  let hostFd: number;
  try {
    hostFd = parked ?? (typeof p === 'string' ? openProcSelf(k, p) : undefined) ?? fs.openSync(p, noWait ? hostFlags | HOST_O_NONBLOCK : hostFlags, mode & ~k.umask & 0o7777);
  } catch (e) {
    if (noWait && (e as NodeJS.ErrnoException).code === 'ENXIO' && (hostFlags & 3) === fs.constants.O_WRONLY && isFifo(p)) return retryAfter(k, FIFO_RETRY_MS);
    return hostErrno(e);
  }
  let st: fs.Stats;
  try {
    st = fs.fstatSync(hostFd);
  } catch (e) {
    fs.closeSync(hostFd);
    return hostErrno(e);
  }
  if (reader && st.isFIFO() && !fifoHasWriter(hostFd) && !isAnonPipe(hostFd)) {
    const waiting = fifoReaders.get(pName) ?? [];
    fifoReaders.set(pName, waiting);
    waiting.push(hostFd);
    const r = retryAfter(k, FIFO_RETRY_MS); // returns only when a signal ended the wait
    const at = waiting.indexOf(hostFd);
    if (at >= 0) waiting.splice(at, 1);
    if (waiting.length === 0) fifoReaders.delete(pName);
    fs.closeSync(hostFd);
    return r;
  }
  if (noWait) libc().fcntl(hostFd, F_SETFL, libc().fcntl(hostFd, F_GETFL, 0) & ~HOST_O_NONBLOCK);
  const name = typeof p === 'string' ? openedName(k, dirfd, pathAddr, p, hostFd) : hostFdPath(hostFd) ?? p.toString();
  const file = hostFile(hostFd, name, st, true, flags & ~k.abi.openFlags.O_CLOEXEC);
  if (st.isDirectory()) {
    const listing = typeof p !== 'string' ? null : isOwnFdDir(k, p) ? (p.includes('/fdinfo') ? 'fdinfo' : 'fd') : isOwnTaskDir(k, p) ? 'task' : null;
    if (listing) guestListings.set(file, { listing, next: 0 });
  }
  const fd = k.allocFd(file, cloexec);
  if (fd < 0) fs.closeSync(hostFd);
  return fd;
}

/**
 * The name a descriptor opened at host path `p` keeps (for /proc/self/fd, fchdir, and *at
 * calls under /proc). Any path, absolute or relative, is recorded as the kernel names the
 * file now (as /proc/self/fd shows it: symlinks resolved), since the cwd or that descriptor
 * may be gone when the name is used; in a tree too deep for the kernel to name, the
 * directory's name and the guest's path.
 */
function openedName(k: Kernel, dirfd: number, pathAddr: number, p: string, hostFd: number): string {
  if (!p.startsWith('/')) return hostFdPath(hostFd) ?? resolvedName(p);
  const guest = k.mem.readCString(pathAddr) ?? '';
  const dir = k.file(dirfd);
  const guestFull = guest.startsWith('/') || !dir ? guest : `${dir.path}/${guest}`;
  if (p.startsWith(HOST_FD_DIR)) return hostFdPath(hostFd) ?? (guest.startsWith('/') ? p : guestFull);
  // A guest thread's /proc directory: the host's stands in for it, the name keeps its tid.
  if (p.startsWith('/proc/')) return taskDirName(k, guestFull) ?? p;
  // The file the path led to, symlinks followed, as the kernel names it (Linux's
  // /proc/self/fd/N is never a symlink: valgrind reopens that name with O_NOFOLLOW).
  return hostFdPath(hostFd) ?? p;
}

/** A relative path made absolute; as it is when the current directory is too deep to name. */
function resolvedName(p: string): string {
  try {
    return path.resolve(p);
  } catch {
    return p;
  }
}

/**
 * lseek: the new offset (a bigint past 2^53, where a number is not exact) or -errno. The
 * offset goes to the host as the guest gave it, all 64 bits.
 */
function lseek(k: Kernel, fd: number, to: number | bigint, whence: number): number | bigint {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  // SEEK_SET..SEEK_HOLE; anything else is EINVAL before the file is looked at (a pipe too).
  if (whence >>> 0 > 4) return -E.EINVAL;
  // The host's lseek: a pipe says ESPIPE, a directory takes the kernel's d_off cookies.
  if (!f.isDir) {
    const r = libc().lseekExact(f.hostFd, BigInt(to), whence);
    return r <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r) : r;
  }
  const off = Number(to);
  const listed = guestListings.get(f);
  if (listed !== undefined) {
    if (whence === 0 && off >= 0) listed.next = off;
    return whence === 0 ? (off >= 0 ? off : -E.EINVAL) : whence === 1 && off === 0 ? listed.next : -E.EINVAL;
  }
  let cookies = dirCookies.get(f);
  const host = whence === 0 && cookies && off > 0 ? cookies.toHost[off - 1] ?? BigInt(off) : BigInt(off);
  const r = libc().lseekExact(f.hostFd, host, whence);
  if (r <= 0n) return Number(r);
  if (!cookies) dirCookies.set(f, cookies = { toGuest: new Map(), toHost: [] });
  return guestCookie(cookies, r);
}

/** linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; } */
const DIRENT_NAME_AT = 19;

/**
 * A directory's d_off cookies as the guest sees them. A 64-bit host process gets 64-bit
 * cookies from ext4 (hashes), which 32-bit glibc cannot pass through readdir (EOVERFLOW);
 * a 32-bit process gets 31-bit ones from the kernel. So each host cookie becomes a small
 * number, in the order first seen, and lseek maps it back.
 */
interface DirCookies { toGuest: Map<bigint, number>; toHost: bigint[] }
const dirCookies = new WeakMap<OpenFile, DirCookies>();

function guestCookie(c: DirCookies, host: bigint): number {
  let g = c.toGuest.get(host);
  if (g === undefined) {
    g = c.toHost.push(host);
    c.toGuest.set(host, g);
  }
  return g;
}

/**
 * getdents64 on the host descriptor: the kernel's order, d_type and inode numbers, the
 * records turned into guest byte order and d_off into guest cookies.
 */
function getdents64(k: Kernel, fd: number, addr: number, count: number): number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  count = Math.min(count >>> 0, 1 << 20);
  const out = k.mem.slice(addr, count, true);
  if (!out) return -E.EFAULT;
  if (guestListings.has(f)) return listGuestEntries(k, f, addr, count);
  const buf = Buffer.alloc(count);
  const n = libc().getdents64(f.hostFd, buf);
  if (n <= 0) return n;
  let cookies = dirCookies.get(f);
  if (!cookies) dirCookies.set(f, cookies = { toGuest: new Map(), toHost: [] });
  for (let at = 0; at < n;) {
    const reclen = buf.readUInt16LE(at + 16);
    if (reclen < DIRENT_NAME_AT + 1 || at + reclen > n) return -E.EIO;
    new StructWriter(k.mem, addr + at).u64(0, buf.readBigUInt64LE(at))
      .u64(8, guestCookie(cookies, buf.readBigInt64LE(at + 8))).u16(16, reclen);
    out.set(buf.subarray(at + 18, at + reclen), at + 18);
    at += reclen;
  }
  return n;
}

/**
 * The old getdents: getdents64's records, made in the guest's buffer and then rewritten there
 * as struct linux_dirent { u32 d_ino; u32 d_off; u16 d_reclen; char d_name[]; ...; u8 d_type
 * last }, 4-aligned, each no longer than its getdents64 record (so front to back in place).
 * An inode number past 32 bits is cut to its low half, as qemu-user does (Linux: EOVERFLOW).
 */
function getdents(k: Kernel, fd: number, addr: number, count: number): number {
  const n = getdents64(k, fd, addr, count);
  if (n <= 0) return n;
  const m = k.mem, v = m.view, le = m.littleEndian;
  let to = addr;
  for (let at = addr; at < addr + n;) {
    const reclen = v.getUint16(at + 16, le);
    const ino = Number(v.getBigUint64(at, le) & 0xffffffffn), off = Number(v.getBigUint64(at + 8, le) & 0xffffffffn);
    const type = m.bytes[at + 18];
    const nameEnd = m.bytes.indexOf(0, at + DIRENT_NAME_AT);
    const name = m.bytes.slice(at + DIRENT_NAME_AT, nameEnd < 0 || nameEnd > at + reclen ? at + reclen : nameEnd);
    const size = (10 + name.length + 2 + 3) & ~3;
    m.bytes.fill(0, to, to + size);
    new StructWriter(m, to).u32(0, ino).u32(4, off).u16(8, size);
    m.bytes.set(name, to + 10);
    m.bytes[to + size - 1] = type;
    to += size;
    at += reclen;
  }
  return to - addr;
}

/**
 * /proc/self/fd (and /dev/fd, /proc/<own pid>/fd, and /proc/self/fdinfo) opened as a directory lists the guest's
 * descriptors, not the host process's, and /proc/self/task the guest's threads, not Node's:
 * which listing, and the entries already read, per open directory.
 */
const guestListings = new WeakMap<OpenFile, { listing: 'fd' | 'fdinfo' | 'task'; next: number }>();
const FD_DIR = /^\/(?:proc\/(self|thread-self|\d+)\/fd(?:info)?|dev\/fd)\/?$/;
const isOwnFdDir = (k: Kernel, p: string): boolean => {
  const m = FD_DIR.exec(p);
  return m !== null && (m[1] === undefined || m[1] === 'self' || m[1] === 'thread-self' || Number(m[1]) === k.pid);
};
const DT_DIR = 4, DT_REG = 8, DT_LNK = 10;

function listGuestEntries(k: Kernel, f: OpenFile, addr: number, count: number): number {
  const listed = guestListings.get(f)!;
  const ids = listed.listing === 'task' ? guestTids(k) : [...k.fds.keys()].sort((a, b) => a - b);
  const names = ['.', '..', ...ids.map(String)];
  const type = listed.listing === 'fd' ? DT_LNK : listed.listing === 'fdinfo' ? DT_REG : DT_DIR;
  let at = 0, i = listed.next;
  for (; i < names.length; i++) {
    const name = Buffer.from(names[i]);
    const reclen = (DIRENT_NAME_AT + name.length + 1 + 7) & ~7;
    if (at + reclen > count) break;
    k.mem.bytes.fill(0, addr + at, addr + at + reclen);
    new StructWriter(k.mem, addr + at).u64(0, BigInt(i + 1)).u64(8, BigInt(i + 1)).u16(16, reclen);
    k.mem.bytes[addr + at + 18] = i < 2 ? DT_DIR : type;
    k.mem.bytes.set(name, addr + at + DIRENT_NAME_AT);
    at += reclen;
  }
  if (at === 0 && i < names.length) return -E.EINVAL;
  listed.next = i;
  return at;
}

/** Runs `fn` on a guest descriptor's host descriptor; host errors (thrown by Node) become -errno. */
function onHostFd(k: Kernel, fd: number, fn: (hostFd: number) => number): number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  try {
    return fn(f.hostFd);
  } catch (e) {
    return hostErrno(e);
  }
}

/** Whether a descriptor is a pipe, which the range calls refuse with ESPIPE. */
const isPipe = (k: Kernel, fd: number): boolean => k.file(fd)?.path.startsWith('pipe:') ?? false;

/**
 * posix_fadvise (fadvise64, ARM's arm_fadvise64_64): only a hint, so checked as Linux does
 * (EBADF, ESPIPE for a pipe, EINVAL for a negative length or an unknown advice) and dropped.
 */
export function fadvise(k: Kernel, fd: number, len: number, advice: number): number {
  if (!k.file(fd)) return -E.EBADF;
  if (isPipe(k, fd)) return -E.ESPIPE;
  return len < 0 || advice >>> 0 > POSIX_FADV_NOREUSE ? -E.EINVAL : 0;
}
const POSIX_FADV_NOREUSE = 5;


/** ftruncate: a negative length is EINVAL (Node's ftruncateSync would make it 0 and empty the file). */
/** After a truncation (result `r`): pages of the process's shared file mappings now past the end of their file fault as SIGBUS. */
function truncated(k: Kernel, r: number): number {
  if (r === 0 && k.mem.sharedRegions.length > 0) k.mem.syncSharedEof();
  return r;
}

function ftruncate(k: Kernel, fd: number, len: number | bigint): number {
  if (len < 0) return -E.EINVAL;
  // A length past 2^53 (Node's fs refuses one) goes to the host's ftruncate64 as it is.
  if (typeof len === 'bigint') return onHostFd(k, fd, (host) => libc().truncateExact(host, len));
  return onHostFd(k, fd, (host) => (fs.ftruncateSync(host, len), 0));
}

/** truncate, under the same rule (wrapPath turns a host error into its errno). */
function truncatePath(p: string | Buffer, len: number | bigint): number {
  if (len < 0) return -E.EINVAL;
  if (typeof len === 'bigint') return libc().truncateExact(p, len);
  fs.truncateSync(p, len);
  return 0;
}

/**
 * sync_file_range (ARM's arm_sync_file_range too): flags and range checked first, as Linux
 * does, then the file's data synced (all of it) unless no flag asks for anything.
 */
export function syncFileRange(k: Kernel, fd: number, offset: number, nbytes: number, flags: number): number {
  if ((flags & ~7) !== 0 || offset < 0 || nbytes < 0 || offset + nbytes >= 2 ** 63) return -E.EINVAL;
  if (!k.file(fd)) return -E.EBADF;
  if (isPipe(k, fd)) return -E.ESPIPE;
  return flags === 0 ? 0 : onHostFd(k, fd, (h) => libc().fdatasync(h));
}

const SPLICE_F_NONBLOCK = 2;

/**
 * copy_file_range and splice: offsets (loff_t pointers, or NULL for the file position) in
 * guest byte order around the host call. splice runs non-blocking on the host; when it
 * would wait and the guest did not ask for that, the guest thread waits for the pipes.
 */
function copyRange(k: Kernel, which: 'copy' | 'splice', a: number[]): number {
  const from = k.file(a[0]), to = k.file(a[2]);
  if (!from || !to) return -E.EBADF;
  const le = k.mem.littleEndian;
  const offs: (Buffer | null)[] = [];
  for (const addr of [a[1] >>> 0, a[3] >>> 0]) {
    if (addr === 0) {
      offs.push(null);
      continue;
    }
    if (!k.mem.checkRange(addr, 8, true)) return -E.EFAULT;
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(k.mem.view.getBigInt64(addr, le));
    offs.push(b);
  }
  const h = libc();
  const len = a[4] >>> 0, flags = a[5] >>> 0;
  let r: number;
  if (which === 'copy') r = h.copyFileRange(from.hostFd, offs[0], to.hostFd, offs[1], len, flags);
  else {
    r = h.splice(from.hostFd, offs[0], to.hostFd, offs[1], len, flags | SPLICE_F_NONBLOCK);
    if (r === -E.EAGAIN && !(flags & SPLICE_F_NONBLOCK)) return waitForPipes(k, from, to);
  }
  if (r < 0) return r;
  [a[1] >>> 0, a[3] >>> 0].forEach((addr, i) => {
    if (addr) k.mem.view.setBigInt64(addr, offs[i]!.readBigInt64LE(), le);
  });
  return r;
}

/** splice/tee would block: the thread waits until the source can be read and the sink written, then the call runs again. */
function waitForPipes(k: Kernel, from: OpenFile, to: OpenFile): number {
  const want = [{ fd: from.hostFd, events: POLLIN }, { fd: to.hostFd, events: POLLOUT }];
  const ready = pollNow(want);
  const waits = want.filter((_, i) => !ready[i]);
  // Both ready yet EAGAIN (a full pipe buffer pair, say): try again shortly.
  if (waits.length === 0) return retryAfter(k, 5);
  return waitForFds(k, waits, null, true) === 'interrupted' ? -E.EINTR : -E.EAGAIN;
}

/** mincore: every mapped page of the guest reads as resident (its memory is the host's, committed on use). */
function mincore(k: Kernel, addr: number, len: number, vec: number): number {
  if (addr & (PAGE_SIZE - 1)) return -E.EINVAL;
  const pages = Math.ceil(len / PAGE_SIZE);
  if (addr + pages * PAGE_SIZE > 2 ** 32) return -E.ENOMEM;
  if (!k.mem.allMapped(addr, pages * PAGE_SIZE)) return -E.ENOMEM;
  if (!k.mem.checkRange(vec, pages, true)) return -E.EFAULT;
  // The guest's pages are the host's, in urun's buffer: resident once touched, as on Linux
  // (a file's shared pages: in the page cache). Without the FFI: all resident.
  const out = k.mem.bytes.subarray(vec, vec + pages);
  try {
    if (libc().mincore(k.mem.hostAddress(addr), pages * PAGE_SIZE, out) === 0) {
      for (let i = 0; i < out.length; i++) out[i] &= 1;
      return 0;
    }
  } catch {
    // no FFI on this host
  }
  out.fill(1);
  return 0;
}

/** inotify_init1: IN_NONBLOCK and IN_CLOEXEC are the arch's O_NONBLOCK and O_CLOEXEC. */
function inotifyInit(k: Kernel, flags: number): number {
  const o = k.abi.openFlags;
  if (flags & ~(o.O_NONBLOCK | o.O_CLOEXEC)) return -E.EINVAL;
  const nonblock = (flags & o.O_NONBLOCK) !== 0;
  const hostFd = libc().inotifyInit(HOST_O_CLOEXEC | (nonblock ? HOST_O_NONBLOCK : 0));
  if (hostFd < 0) return hostFd;
  const fd = k.allocFd(hostFile(hostFd, INOTIFY_PATH, null, true, nonblock ? o.O_NONBLOCK : 0), (flags & o.O_CLOEXEC) !== 0);
  if (fd < 0) fs.closeSync(hostFd);
  return fd;
}

/** mknodat: a 32-bit dev_t (new_encode_dev: 12-bit major, 20-bit minor) made into the host's. */
function mknodAt(k: Kernel, dirfd: number, pathAddr: number, mode: number, dev: number): number {
  const p = k.pathArg(pathAddr, dirfd);
  if (typeof p === 'number') return p;
  dev >>>= 0;
  const major = BigInt((dev & 0xfff00) >>> 8), minor = BigInt((dev & 0xff) | ((dev >>> 12) & 0xfff00));
  const hostDev = ((major & 0xfffn) << 8n) | ((major & ~0xfffn) << 32n) | (minor & 0xffn) | ((minor & ~0xffn) << 12n);
  return libc().mknodat(AT_FDCWD, p, mode & ~k.umask, hostDev);
}

/** XATTR_SIZE_MAX: the largest attribute value or list the kernel handles. */
const XATTR_SIZE_MAX = 65536;

/**
 * getxattr, setxattr, listxattr, removexattr in their path (following links), l* (not
 * following) and f* (descriptor) forms, on the host file. Values are bytes, the same in
 * either byte order.
 */
function xattrRecords(): SyscallRecord[] {
  type Form = { prefix: '' | 'l' | 'f'; target: 'path' | 'fd' };
  const forms: Form[] = [{ prefix: '', target: 'path' }, { prefix: 'l', target: 'path' }, { prefix: 'f', target: 'fd' }];
  const call = (k: Kernel, form: Form, targetArg: number, op: XattrOp, nameAddr: number, bufAddr: number, size: number, flags = 0): number => {
    let on: string | Buffer | number;
    if (form.target === 'fd') {
      const f = k.file(targetArg);
      if (!f) return -E.EBADF;
      on = f.hostFd;
    } else {
      const p = k.pathArg(targetArg, AT_FDCWD);
      if (typeof p === 'number') return p;
      on = p;
    }
    let name = '';
    if (op !== 'list') {
      const n = k.mem.readCString(nameAddr);
      if (n === null) return -E.EFAULT;
      name = n;
    }
    // A value longer than that is E2BIG (after the name, as Linux's setxattr_copy checks); a buffer for one is cut to it.
    if (op === 'set' && size >>> 0 > XATTR_SIZE_MAX) return -E.E2BIG;
    size = Math.min(size >>> 0, XATTR_SIZE_MAX);
    const buf = size > 0 ? Buffer.alloc(size) : null;
    if (op === 'set' && buf) {
      const value = k.mem.slice(bufAddr, size, false);
      if (!value) return -E.EFAULT;
      buf.set(value);
    }
    if ((op === 'get' || op === 'list') && buf && !k.mem.checkRange(bufAddr, size, true)) return -E.EFAULT;
    const r = libc().xattr(op, on, form.prefix !== 'l', name, buf, size, flags);
    if (r > 0 && buf && (op === 'get' || op === 'list')) k.mem.slice(bufAddr, r, true)!.set(buf.subarray(0, r));
    return r;
  };
  return forms.flatMap((form) => [
    R(`${form.prefix}getxattr`, [form.target, 'str', 'outbuf', 'uint'], (k, a) => call(k, form, a[0], 'get', a[1], a[2], a[3])),
    R(`${form.prefix}setxattr`, [form.target, 'str', 'inbuf', 'uint', 'hex'], (k, a) => call(k, form, a[0], 'set', a[1], a[2], a[3], a[4])),
    R(`${form.prefix}listxattr`, [form.target, 'outbuf', 'uint'], (k, a) => call(k, form, a[0], 'list', 0, a[1], a[2])),
    R(`${form.prefix}removexattr`, [form.target, 'str'], (k, a) => call(k, form, a[0], 'remove', a[1], 0, 0)),
  ]);
}

function wrapPath(fn: (k: Kernel, p: string | Buffer, a: number[]) => number, dirArg = -1, pathArg = 0) {
  return (k: Kernel, a: number[]): number => {
    const p = k.pathArg(a[pathArg], dirArg >= 0 ? a[dirArg] : AT_FDCWD);
    if (typeof p === 'number') return p;
    try {
      return fn(k, p, a);
    } catch (e) {
      return hostErrno(e);
    }
  };
}

function readlinkOut(k: Kernel, target: string | Buffer, buf: number, size: number): number {
  const bytes = typeof target === 'string' ? Buffer.from(target) : target;
  const n = Math.min(bytes.length, size);
  const out = k.mem.slice(buf, n, true);
  if (!out) return -E.EFAULT;
  out.set(bytes.subarray(0, n));
  return n;
}

/** A process's cwd link in the host's /proc, as hostPath gives it. */
const CWD_LINK = /^\/proc\/[^/]+\/(task\/\d+\/)?cwd$/;

function readlinkAt(k: Kernel, dirfd: number, pathAddr: number, buf: number, size: number): number {
  const raw = k.mem.readCString(pathAddr);
  if (raw === null) return -E.EFAULT;
  const own = procSelfLink(k, raw);
  if (own !== null) return readlinkOut(k, own, buf, size);
  const p = k.pathArg(pathAddr, dirfd, true);
  if (typeof p === 'number') return p;
  try {
    // The target's bytes as they are (a name that is not UTF-8 too).
    const target = fs.readlinkSync(p, { encoding: 'buffer' });
    return readlinkOut(k, typeof p === 'string' && CWD_LINK.test(p) ? k.guestView(target) : target, buf, size);
  } catch (e) {
    return hostErrno(e);
  }
}

function unlinkAt(k: Kernel, p: string | Buffer, flags: number): number {
  if (flags & AT_REMOVEDIR) fs.rmdirSync(p);
  else {
    if (fs.lstatSync(p).isDirectory()) return -E.EISDIR;
    fs.unlinkSync(p);
  }
  return 0;
}

function renameAt(k: Kernel, olddir: number, oldAddr: number, newdir: number, newAddr: number, flags: number): number {
  const from = k.pathArg(oldAddr, olddir);
  if (typeof from === 'number') return from;
  const to = k.pathArg(newAddr, newdir);
  if (typeof to === 'number') return to;
  // With flags (RENAME_NOREPLACE, RENAME_EXCHANGE), the host's renameat2: atomic, and a
  // dangling symlink is a name that exists.
  if (flags !== 0) return libc().renameat2(AT_FDCWD, from, AT_FDCWD, to, flags);
  try {
    fs.renameSync(from, to);
    return 0;
  } catch (e) {
    return hostErrno(e);
  }
}

function accessAt(k: Kernel, dirfd: number, pathAddr: number, mode: number): number {
  const p = k.pathArg(pathAddr, dirfd);
  if (typeof p === 'number') return p;
  try {
    fs.accessSync(p, mode & 7);
    return 0;
  } catch (e) {
    return hostErrno(e);
  }
}

function dupTo(k: Kernel, oldfd: number, newfd: number, cloexec: boolean): number {
  const f = k.file(oldfd);
  if (!f) return -E.EBADF;
  if (newfd < 0 || newfd >= k.fdLimit()) return -E.EBADF;
  if (oldfd === newfd) return newfd;
  if (k.fds.has(newfd)) k.closeFd(newfd);
  f.refs++;
  k.fds.set(newfd, { file: f, cloexec });
  return newfd;
}

function pipe(k: Kernel, flags: number): [number, number] | number {
  const cloexec = (flags & k.abi.openFlags.O_CLOEXEC) !== 0;
  const nonblock = (flags & k.abi.openFlags.O_NONBLOCK) !== 0;
  // O_DIRECT is a packet-mode pipe: each write() one packet, each read() at most one.
  const packets = (flags & k.abi.openFlags.O_DIRECT) !== 0;
  // Host descriptors are always close-on-exec; the guest's flag is kept in its fd table.
  const r = libc().pipe2(HOST_O_CLOEXEC | (nonblock ? HOST_O_NONBLOCK : 0) | (packets ? fs.constants.O_DIRECT : 0));
  if (typeof r === 'number') return r;
  const st = fs.fstatSync(r[0]);
  const status = flags & (k.abi.openFlags.O_NONBLOCK | k.abi.openFlags.O_DIRECT);
  const rd = k.allocFd(hostFile(r[0], `pipe:[${st.ino}]`, null, true, status), cloexec);
  const wr = rd < 0 ? rd : k.allocFd(hostFile(r[1], `pipe:[${st.ino}]`, null, true, status | 1), cloexec);
  if (rd < 0 || wr < 0) {
    if (rd >= 0) k.closeFd(rd);
    else fs.closeSync(r[0]);
    fs.closeSync(r[1]);
    return -E.EMFILE;
  }
  return [rd, wr];
}

function ioctl(k: Kernel, fd: number, req: number, arg: number): number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  req >>>= 0;
  const tty = terminalIoctl(k, fd, f, req, arg);
  if (tty !== undefined) return tty;
  const io = k.abi.ioctl;
  switch (req) {
    case io.FIONREAD: {
      // Bytes waiting in a pipe, socket or terminal, or left in a regular file: the host's answer.
      if (!k.mem.checkRange(arg, 4, true)) return -E.EFAULT;
      const n = libc().ioctlInt(f.hostFd, HOST_FIONREAD);
      if (n < 0) return n;
      k.mem.write32(arg, n);
      return 0;
    }
    case io.FIONBIO: {
      if (!k.mem.checkRange(arg, 4, false)) return -E.EFAULT;
      const o = k.abi.openFlags;
      return setStatusFlags(k, f, k.mem.read32(arg) !== 0 ? f.flags | o.O_NONBLOCK : f.flags & ~o.O_NONBLOCK);
    }
    case io.FICLONE: {
      // cp's reflink attempt: the host file system answers (EOPNOTSUPP, EXDEV...), and cp copies.
      const src = k.file(arg);
      return src ? libc().ioctlArg(f.hostFd, HOST_FICLONE, src.hostFd) : -E.EBADF;
    }
    case io.FICLONERANGE: {
      // struct file_clone_range { s64 src_fd; u64 src_offset, src_length, dest_offset; }
      const guest = k.mem.slice(arg, 32, false);
      if (!guest) return -E.EFAULT;
      const range = Buffer.from(guest);
      if (!k.mem.littleEndian) for (let i = 0; i < 32; i += 8) range.subarray(i, i + 8).reverse();
      const src = k.file(Number(BigInt.asIntN(32, range.readBigInt64LE(0))));
      if (!src) return -E.EBADF;
      range.writeBigInt64LE(BigInt(src.hostFd), 0);
      return libc().ioctlPtr(f.hostFd, HOST_FICLONERANGE, range);
    }
    case FS_IOC_FIEMAP:
      return fiemap(k, f, arg);
    case io.FIGETBSZ:
      return hostIntOut(k, f, HOST_FIGETBSZ, arg);
    case io.RNDGETENTCNT:
      return hostIntOut(k, f, HOST_RNDGETENTCNT, arg);
    case io.FS_IOC_GETVERSION:
      // (The kernel writes an int, whatever the request's long says.)
      return hostIntOut(k, f, HOST_FS_IOC_GETVERSION, arg);
    case io.FS_IOC_FSGETXATTR: case io.FS_IOC_FSSETXATTR: {
      // struct fsxattr: five u32s and 8 bytes of padding, in the guest's byte order.
      const get = req === io.FS_IOC_FSGETXATTR;
      const guest = k.mem.slice(arg, FSXATTR_BYTES, get);
      if (!guest) return -E.EFAULT;
      const host = Buffer.from(guest);
      if (!k.mem.littleEndian) for (let i = 0; i < 20; i += 4) host.subarray(i, i + 4).reverse();
      const r = libc().ioctlPtr(f.hostFd, get ? HOST_FS_IOC_FSGETXATTR : HOST_FS_IOC_FSSETXATTR, host);
      if (r < 0 || !get) return r;
      if (!k.mem.littleEndian) for (let i = 0; i < 20; i += 4) host.subarray(i, i + 4).reverse();
      guest.set(host);
      return r;
    }
    case io.FIOQSIZE: {
      if (!k.mem.checkRange(arg, 8, true)) return -E.EFAULT;
      const out = Buffer.alloc(8);
      const r = libc().ioctlPtr(f.hostFd, HOST_FIOQSIZE, out);
      if (r < 0) return r;
      k.mem.view.setBigInt64(arg >>> 0, out.readBigInt64LE(0), k.mem.littleEndian);
      return 0;
    }
    case io.FS_IOC_GETFLAGS:
      // The inode flags (chattr's): a 32-bit guest's long is an int, and so is what the host's
      // kernel reads and writes whatever the request's size says.
      return hostIntOut(k, f, HOST_FS_IOC_GETFLAGS, arg);
    case io.FS_IOC_SETFLAGS: {
      if (!k.mem.checkRange(arg, 4, false)) return -E.EFAULT;
      const flags = Buffer.alloc(8);
      flags.writeUInt32LE(k.mem.read32(arg) >>> 0, 0);
      return libc().ioctlPtr(f.hostFd, HOST_FS_IOC_SETFLAGS, flags);
    }
    case io.SIOCATMARK:
      // Whether a TCP socket's reading has reached the urgent mark (sockatmark).
      return hostIntOut(k, f, HOST_SIOCATMARK, arg);
    case SIOCGSTAMP_OLD: case SIOCGSTAMPNS_OLD: case io.SIOCGSTAMP_NEW: case io.SIOCGSTAMPNS_NEW: {
      // The last packet's arrival time (ping, traceroute): the host's two 64-bit words, given
      // to the guest as a 32-bit timeval/timespec (the _OLD requests) or as two 64-bit words.
      const wide = req === io.SIOCGSTAMP_NEW || req === io.SIOCGSTAMPNS_NEW;
      if (!k.mem.checkRange(arg, wide ? 16 : 8, true)) return -E.EFAULT;
      const ts = Buffer.alloc(16);
      const ns = req === SIOCGSTAMPNS_OLD || req === io.SIOCGSTAMPNS_NEW;
      const r = libc().ioctlPtr(f.hostFd, ns ? SIOCGSTAMPNS_OLD : SIOCGSTAMP_OLD, ts);
      if (r < 0) return r;
      const sec = ts.readBigInt64LE(0), frac = ts.readBigInt64LE(8);
      const v = k.mem.view, le = k.mem.littleEndian;
      if (wide) {
        v.setBigInt64(arg >>> 0, sec, le);
        v.setBigInt64((arg + 8) >>> 0, frac, le);
      } else {
        v.setInt32(arg >>> 0, Number(BigInt.asIntN(32, sec)), le);
        v.setInt32((arg + 4) >>> 0, Number(frac), le);
      }
      return 0;
    }
    case io.NS_GET_USERNS: case io.NS_GET_PARENT: {
      // lsns: a new descriptor for the namespace's owning user namespace or its parent (the
      // host's, close-on-exec as Linux opens it), or EPERM when it lies outside the caller's.
      const r = libc().ioctlArg(f.hostFd, req === io.NS_GET_USERNS ? HOST_NS_GET_USERNS : HOST_NS_GET_PARENT, 0);
      if (r < 0) return r;
      const nfd = k.allocFd(hostFile(r, descriptorPath(r, fs.fstatSync(r)), null, true, 0), true);
      if (nfd < 0) fs.closeSync(r);
      return nfd;
    }
    case io.NS_GET_NSTYPE:
      // The CLONE_NEW* flag of the namespace's kind (numbered alike everywhere).
      return libc().ioctlArg(f.hostFd, HOST_NS_GET_NSTYPE, 0);
    case io.NS_GET_OWNER_UID:
      // A user namespace's owner (uid_t, 32 bits on every arch).
      return hostIntOut(k, f, HOST_NS_GET_OWNER_UID, arg);
    default:
      if (isInterfaceIoctl(req)) return k.sandbox?.checkInterfaceIoctl() || interfaceIoctl(k, f, req, arg);
      if (req === SIOCETHTOOL && ethtoolCarried(k)) return k.sandbox?.checkInterfaceIoctl() || ethtoolIoctl(k, f, arg);
      // The block-device requests (BLKSSZGET, BLKGETSIZE64..., the floppy FDGETPRM) that mke2fs,
      // e2fsck or mkfs.fat ask of the image file they are given: anything but a block device
      // answers ENOTTY, as they expect.
      if (BLOCK_IOCTL_TYPES.includes((req >>> 8) & 0xff) && !isDevice(f.hostFd, 'block')) return -E.ENOTTY;
      // The magnetic-tape requests (MTIOCTOP, MTIOCGET, MTIOCPOS) that tar asks of its archive
      // before -r, -u or --delete: anything but a character device answers ENOTTY, as tar expects.
      if (((req >>> 8) & 0xff) === TAPE_IOCTL_TYPE && !isDevice(f.hostFd, 'character')) return -E.ENOTTY;
      // The Linux console's requests (KDGKBTYPE, KDGETMODE, VT_GETSTATE...) that nano, setterm
      // or kbd ask of their terminal to learn whether it is a virtual console: anything else
      // (a pty, a pipe, a file) answers ENOTTY, as they expect.
      if (CONSOLE_IOCTL_TYPES.includes(req >>> 8) && !isVirtualConsole(f.hostFd)) return -E.ENOTTY;
      k.warnOnce(`ioctl-${req}`, `urun: warning: ioctl request 0x${req.toString(16)} on fd ${fd} is not supported (ENOTTY)`);
      return -E.ENOTTY;
  }
}

/**
 * FS_IOC_FIEMAP: where a file's extents lie on disk (filefrag; dpkg and man-db order the
 * files they read by it). struct fiemap is a 32-byte header (u64 fm_start, fm_length; u32
 * fm_flags, fm_mapped_extents, fm_extent_count, fm_reserved) and fm_extent_count 56-byte
 * extents (u64 fe_logical, fe_physical, fe_length, 2 reserved; u32 fe_flags, 3 reserved),
 * laid out alike on every arch and the host: only the byte order differs. Linux copies the
 * header back and fills at most fm_extent_count extents (none when it is 0: it then only
 * counts them).
 */
function fiemap(k: Kernel, f: OpenFile, arg: number): number {
  if (!k.mem.checkRange(arg, FIEMAP_HEADER, true)) return -E.EFAULT;
  const v = k.mem.view, le = k.mem.littleEndian, a = arg >>> 0;
  const count = v.getUint32(a + 24, le);
  if (count > FIEMAP_MAX_EXTENTS) return -E.EINVAL;
  // The kernel writes extents one at a time and faults at the first it cannot store; the
  // guest's array must hold the count it gives.
  if (count > 0 && !k.mem.checkRange(arg + FIEMAP_HEADER, count * FIEMAP_EXTENT, true)) return -E.EFAULT;
  const host = Buffer.alloc(FIEMAP_HEADER + count * FIEMAP_EXTENT);
  host.writeBigUInt64LE(v.getBigUint64(a, le), 0);
  host.writeBigUInt64LE(v.getBigUint64(a + 8, le), 8);
  host.writeUInt32LE(v.getUint32(a + 16, le), 16);
  host.writeUInt32LE(count, 24);
  const r = libc().ioctlPtr(f.hostFd, HOST_FS_IOC_FIEMAP, host);
  // Like Linux, the header goes back even when the call failed part-way (EINTR, EFAULT...).
  v.setUint32(a + 16, host.readUInt32LE(16), le);
  const mapped = host.readUInt32LE(20);
  v.setUint32(a + 20, mapped, le);
  for (let i = 0; i < Math.min(mapped, count); i++) {
    const h = FIEMAP_HEADER + i * FIEMAP_EXTENT, g = a + h;
    for (let w = 0; w < 40; w += 8) v.setBigUint64(g + w, host.readBigUInt64LE(h + w), le);
    for (let w = 40; w < 56; w += 4) v.setUint32(g + w, host.readUInt32LE(h + w), le);
  }
  return r;
}

/** A host ioctl that writes an int: the guest's at `arg`, in its byte order. */
function hostIntOut(k: Kernel, f: OpenFile, hostReq: number, arg: number): number {
  if (!k.mem.checkRange(arg, 4, true)) return -E.EFAULT;
  const out = Buffer.alloc(8);
  const r = libc().ioctlPtr(f.hostFd, hostReq, out);
  if (r < 0) return r;
  k.mem.write32(arg, out.readUInt32LE(0));
  return 0;
}

/** The same on every architecture (the _OLD ones are the host's own, with 64-bit words on x86-64). */
const SIOCGSTAMP_OLD = 0x8906, SIOCGSTAMPNS_OLD = 0x8907, HOST_SIOCATMARK = 0x8905;
const HOST_FIONREAD = 0x541b, HOST_FICLONE = 0x40049409, HOST_FICLONERANGE = 0x4020940d;
const HOST_FS_IOC_GETFLAGS = 0x80086601, HOST_FS_IOC_SETFLAGS = 0x40086602;
const HOST_FIGETBSZ = 0x2, HOST_FIOQSIZE = 0x5460;
const HOST_RNDGETENTCNT = 0x80045200, HOST_FS_IOC_GETVERSION = 0x80087601;
const HOST_FS_IOC_FSGETXATTR = 0x801c581f, HOST_FS_IOC_FSSETXATTR = 0x401c5820, FSXATTR_BYTES = 28;
/** _IOWR('f', 11, struct fiemap): the same number on every arch (MIPS's read|write bits are 0xc0000000 too) and the host. */
const FS_IOC_FIEMAP = 0xc020660b, HOST_FS_IOC_FIEMAP = 0xc020660b;
const FIEMAP_HEADER = 32, FIEMAP_EXTENT = 56;
/** FIEMAP_MAX_EXTENTS: UINT_MAX / sizeof(struct fiemap_extent); more is EINVAL. */
const FIEMAP_MAX_EXTENTS = Math.floor(0xffffffff / FIEMAP_EXTENT);
const HOST_NS_GET_USERNS = 0xb701, HOST_NS_GET_PARENT = 0xb702, HOST_NS_GET_NSTYPE = 0xb703, HOST_NS_GET_OWNER_UID = 0xb704;
/** The ioctl types of block devices: 0x02 floppies, 0x12 block devices in general. */
const BLOCK_IOCTL_TYPES = [0x02, 0x12];
/** The ioctl type of magnetic tapes ('m'). */
const TAPE_IOCTL_TYPE = 0x6d;
/** The ioctl types of the Linux console's keyboard ('K') and virtual terminal ('V') requests, old-style: no size or direction. */
const CONSOLE_IOCTL_TYPES = [0x4b, 0x56];
/** Whether a descriptor may be a virtual console: /dev/ttyN (major 4, below 64), /dev/tty0, /dev/console, or /dev/tty (major 5). */
function isVirtualConsole(hostFd: number): boolean {
  try {
    const st = fs.fstatSync(hostFd);
    const major = st.rdev >>> 8 & 0xfff, minor = st.rdev & 0xff;
    return st.isCharacterDevice() && ((major === 4 && minor < 64) || (major === 5 && minor <= 1));
  } catch {
    return false;
  }
}
function isDevice(hostFd: number, kind: 'block' | 'character'): boolean {
  try {
    const st = fs.fstatSync(hostFd);
    return kind === 'block' ? st.isBlockDevice() : st.isCharacterDevice();
  } catch {
    return false;
  }
}
/** fcntl commands whose argument is a plain int, the same on every arch and the host. */
const F_SETSIG = 10, F_GETSIG = 11, F_SETLEASE = 1024, F_GETLEASE = 1025, F_NOTIFY = 1026;
const F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032, F_ADD_SEALS = 1033, F_GET_SEALS = 1034;
const F_GET_RW_HINT = 1035, F_SET_RW_HINT = 1036;
const HOST_F_SETOWN = 8, HOST_F_GETOWN = 9;
const F_SETOWN_EX = 15, F_GETOWN_EX = 16; // the same on every arch and the host
const INT_FCNTLS = new Set([F_SETSIG, F_GETSIG, F_SETLEASE, F_GETLEASE, F_NOTIFY, F_SETPIPE_SZ, F_GETPIPE_SZ, F_ADD_SEALS, F_GET_SEALS]);

/** fcntl (`wide`: fcntl64, where F_OFD_* locks take struct flock64). */
function fcntl(k: Kernel, fd: number, cmd: number, arg: number, wide: boolean): number {
  const entry = k.fds.get(fd);
  if (!entry) return -E.EBADF;
  const f = entry.file;
  switch (cmd) {
    case 0: return arg < 0 || arg >= k.fdLimit() ? -E.EINVAL : (f.refs++, k.allocFd(f, false, arg)); // F_DUPFD
    case 1030: return arg < 0 || arg >= k.fdLimit() ? -E.EINVAL : (f.refs++, k.allocFd(f, true, arg)); // F_DUPFD_CLOEXEC
    case 1: return entry.cloexec ? 1 : 0; // F_GETFD
    case 2: entry.cloexec = (arg & 1) !== 0; return 0; // F_SETFD
    case 3: return f.flags; // F_GETFL
    case 4: return setStatusFlags(k, f, arg); // F_SETFL
  }
  const lock = fcntlLock(k, fd, cmd, arg, wide);
  if (lock !== undefined) return lock;
  const c = k.abi.fcntlLocks;
  if (cmd === c.SETOWN) return libc().fcntl(f.hostFd, HOST_F_SETOWN, arg);
  if (cmd === c.GETOWN) return libc().fcntl(f.hostFd, HOST_F_GETOWN, 0);
  if (cmd === F_SETOWN_EX || cmd === F_GETOWN_EX) return fcntlOwnerEx(k, f.hostFd, cmd, arg);
  if (cmd === F_GETSIG) {
    const r = libc().fcntl(f.hostFd, cmd, 0);
    return r > 0 ? k.guestSignal(r) : r;
  }
  if (INT_FCNTLS.has(cmd)) return libc().fcntl(f.hostFd, cmd, cmd === F_SETSIG && arg ? k.hostSignal(arg) : arg);
  if (cmd === F_GET_RW_HINT || cmd === F_SET_RW_HINT) return fcntlWriteHint(k, f.hostFd, cmd, arg);
  return -E.EINVAL;
}

/** F_GET_RW_HINT/F_SET_RW_HINT: the inode's write-life hint, a u64 in the guest's byte order, the host's. */
function fcntlWriteHint(k: Kernel, hostFd: number, cmd: number, addr: number): number {
  if (!k.mem.checkRange(addr, 8, cmd === F_GET_RW_HINT)) return -E.EFAULT;
  const hint = Buffer.alloc(8);
  if (cmd === F_SET_RW_HINT) hint.writeBigUInt64LE(k.mem.view.getBigUint64(addr >>> 0, k.mem.littleEndian));
  const r = libc().fcntlPtr(hostFd, cmd, hint);
  if (r >= 0 && cmd === F_GET_RW_HINT) k.mem.view.setBigUint64(addr >>> 0, hint.readBigUInt64LE(0), k.mem.littleEndian);
  return r;
}

/**
 * F_SETOWN_EX/F_GETOWN_EX: struct f_owner_ex { int type; pid_t pid; }, two 32-bit words in
 * the guest's byte order, the same numbers on every arch and the host. (glibc's
 * fcntl(F_GETOWN) is F_GETOWN_EX.)
 */
function fcntlOwnerEx(k: Kernel, hostFd: number, cmd: number, addr: number): number {
  if (!k.mem.checkRange(addr, 8, cmd === F_GETOWN_EX)) return -E.EFAULT;
  const v = k.mem.view, le = k.mem.littleEndian;
  const owner = Buffer.alloc(8);
  if (cmd === F_SETOWN_EX) {
    owner.writeInt32LE(v.getInt32(addr, le), 0);
    owner.writeInt32LE(v.getInt32(addr + 4, le), 4);
  }
  const r = libc().fcntlPtr(hostFd, cmd, owner);
  if (r < 0 || cmd === F_SETOWN_EX) return r;
  v.setInt32(addr, owner.readInt32LE(0), le);
  v.setInt32(addr + 4, owner.readInt32LE(4), le);
  return r;
}

/** F_SETFL: O_APPEND, O_NONBLOCK (and the rest of the status flags) go to the host description. */
function setStatusFlags(k: Kernel, f: OpenFile, guestFlags: number): number {
  const o = k.abi.openFlags;
  // (O_ASYNC: the host kernel sends the SIGIO, to the owner F_SETOWN gave it, urun's process.)
  const settable = o.O_APPEND | o.O_NONBLOCK | o.O_DIRECT | o.O_NOATIME | o.O_DSYNC | o.O_ASYNC;
  const { flags: hostFlags } = hostOpenFlags(k, guestFlags & settable);
  // Every settable flag the guest leaves out is cleared on the host too (O_DIRECT, O_NOATIME...).
  const { flags: hostSettable } = hostOpenFlags(k, settable);
  const h = libc();
  const cur = h.fcntl(f.hostFd, F_GETFL, 0);
  if (cur < 0) return cur;
  const r = h.fcntl(f.hostFd, F_SETFL, (cur & ~(hostSettable | HOST_O_NONBLOCK | fs.constants.O_APPEND)) | hostFlags);
  if (r < 0) return r;
  f.flags = (f.flags & ~settable) | (guestFlags & settable);
  return 0;
}

function getcwd(k: Kernel, buf: number, size: number): number {
  // The host's own call: Node's process.cwd() keeps answering after the directory is removed.
  const hostCwd = Buffer.alloc(4096);
  const len = libc().getcwd(hostCwd);
  if (len < 0) return len;
  // (The length counts the NUL.)
  const cwd = Buffer.concat([k.guestView(hostCwd.subarray(0, len - 1)), Buffer.of(0)]);
  const n = cwd.length;
  if (n > size) return -E.ERANGE;
  const out = k.mem.slice(buf, n, true);
  if (!out) return -E.EFAULT;
  out.set(cwd);
  return n;
}

const CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4; // the same on every arch

/**
 * close_range: closes the guest's descriptors from `first` to `last`, or with
 * CLOSE_RANGE_CLOEXEC marks them close-on-exec. CLOSE_RANGE_UNSHARE changes nothing here:
 * what it would unshare (a table shared with CLONE_FILES) is the one the caller keeps using.
 */
function closeRange(k: Kernel, first: number, last: number, flags: number): number {
  if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last) return -E.EINVAL;
  for (const [fd, entry] of [...k.fds]) {
    if (fd < first || fd > last) continue;
    if (flags & CLOSE_RANGE_CLOEXEC) entry.cloexec = true;
    else k.closeFd(fd);
  }
  return 0;
}

const SEEK_CUR = 1;

/** sendfile: a read/write loop through a bounce buffer, honouring the offset pointer. */
function sendfile(k: Kernel, outFd: number, inFd: number, offAddr: number, count: number, off64: boolean): number {
  const out = k.file(outFd), inp = k.file(inFd);
  if (!out || !inp) return -E.EBADF;
  // As Linux (splice_direct_to_actor): the input must be seekable, a regular file or a block
  // device; from a pipe or a socket it is EINVAL (Go's TCPConn.ReadFrom then falls back to
  // read and write), rather than data read and lost or a wait that nothing ends.
  try {
    const st = fs.fstatSync(inp.hostFd);
    if (!st.isFile() && !st.isBlockDevice()) return -E.EINVAL;
  } catch {
    return -E.EBADF;
  }
  // Nor to a file opened O_APPEND (do_splice_direct): EINVAL, nothing written.
  if (out.flags & k.abi.openFlags.O_APPEND) return -E.EINVAL;
  let pos: number | null = null;
  const le = k.mem.littleEndian;
  if (offAddr) {
    if (!k.mem.checkRange(offAddr, off64 ? 8 : 4, true)) return -E.EFAULT;
    pos = off64 ? Number(k.mem.view.getBigInt64(offAddr, le)) : k.mem.view.getInt32(offAddr, le);
  }
  const buf = Buffer.alloc(Math.min(count, 1 << 20));
  let total = 0;
  while (total < count) {
    const chunk = buf.subarray(0, Math.min(buf.length, count - total));
    const n = readInto(k, inp, chunk, pos === null ? null : pos + total);
    if (n < 0) return total > 0 ? total : n;
    if (n === 0) break;
    const w = writeFrom(k, out, chunk.subarray(0, n), null);
    // Linux moves the input's offset by what was sent: what was read but not taken (a
    // non-blocking socket or pipe that filled, an error) is given back to the input.
    if (pos === null && w < n) libc().lseek(inp.hostFd, Math.max(w, 0) - n, SEEK_CUR);
    if (w < 0) return total > 0 ? total : w;
    total += w;
    if (w < n) break;
  }
  if (offAddr) {
    if (off64) k.mem.view.setBigInt64(offAddr, BigInt(pos! + total), le);
    else k.mem.view.setInt32(offAddr, pos! + total, le);
  }
  return total;
}

/** statfs64/fstatfs64 (`size`: the struct's, as the caller gives it), or the old statfs/fstatfs (size null). */
function statfs(k: Kernel, pathAddr: number, fd: number | null, size: number | null, buf: number): number {
  // A path, or the host descriptor (fstatfs of a pipe or socket answers for its own filesystem).
  let on: string | Buffer | number;
  if (fd === null) {
    const p = k.pathArg(pathAddr);
    if (typeof p === 'number') return p;
    on = p;
  } else {
    const f = k.file(fd);
    if (!f) return -E.EBADF;
    on = f.hostFd;
  }
  if (size !== null && size !== k.abi.statfs64Size && size !== k.abi.statfs64SizeAlias) return -E.EINVAL;
  if (!k.mem.checkRange(buf, size ?? k.abi.statfsSize, true)) return -E.EFAULT;
  // x86-64's struct statfs: eleven longs (f_fsid is two ints in the eighth), then spare room.
  const host = Buffer.alloc(120);
  const r = libc().statfs(on, host);
  if (r < 0) return r;
  const long = (i: number) => Number(host.readBigInt64LE(i * 8));
  return writeStatfs(k.mem, buf, { type: long(0), bsize: long(1), blocks: long(2), bfree: long(3), bavail: long(4),
    files: long(5), ffree: long(6), fsid: [host.readInt32LE(56), host.readInt32LE(60)], namelen: long(8), frsize: long(9),
    flags: long(10) }, k.abi, size !== null);
}

export const FILE_SYSCALLS: SyscallRecord[] = [
  R('read', ['fd', 'outbuf', 'uint'], (k, a) => rw(k, a[0], a[1], a[2], false, null)),
  R('write', ['fd', 'inbuf', 'uint'], (k, a) => rw(k, a[0], a[1], a[2], true, null)),
  R('readv', ['fd', 'ptr', 'int'], (k, a) => rwv(k, a[0], a[1], a[2], false, null)),
  R('writev', ['fd', 'ptr', 'int'], (k, a) => rwv(k, a[0], a[1], a[2], true, null)),
  R('pread64', ['fd', 'outbuf', 'uint', 'int', 'int', 'int'], (k, a) => rw(k, a[0], a[1], a[2], false, arg64Exact(k, a, 4))),
  R('pwrite64', ['fd', 'inbuf', 'uint', 'int', 'int', 'int'], (k, a) => rw(k, a[0], a[1], a[2], true, arg64Exact(k, a, 4))),
  R('preadv', ['fd', 'ptr', 'int', 'int', 'int'], (k, a) => rwv(k, a[0], a[1], a[2], false, exact64(a[3], a[4]))),
  R('pwritev', ['fd', 'ptr', 'int', 'int', 'int'], (k, a) => rwv(k, a[0], a[1], a[2], true, exact64(a[3], a[4]))),
  R('preadv2', ['fd', 'ptr', 'int', 'int', 'int', 'hex'], (k, a) => rwv2(k, a, false)),
  R('pwritev2', ['fd', 'ptr', 'int', 'int', 'int', 'hex'], (k, a) => rwv2(k, a, true)),
  R('open', ['path', 'oflags', 'mode'], (k, a) => openAt(k, AT_FDCWD, a[0], a[1], a[2])),
  R('openat', ['dirfd', 'path', 'oflags', 'mode'], (k, a) => openAt(k, a[0] | 0, a[1], a[2], a[3])),
  R('creat', ['path', 'mode'], (k, a) => openAt(k, AT_FDCWD, a[0],
    k.abi.openFlags.O_CREAT | k.abi.openFlags.O_TRUNC | k.abi.openFlags.O_WRONLY, a[1])),
  R('close', ['fd'], (k, a) => k.closeFd(a[0])),
  R('close_range', ['uint', 'uint', 'hex'], (k, a) => closeRange(k, a[0] >>> 0, a[1] >>> 0, a[2])),
  R('lseek', ['fd', 'int', 'whence'], (k, a) => {
    const r = lseek(k, a[0], a[1] | 0, a[2]);
    return r > 0x7fffffff ? -E.EOVERFLOW : Number(r); // a 32-bit off_t cannot say where it went
  }),
  R('_llseek', ['fd', 'uint', 'uint', 'ptr', 'whence'], (k, a) => {
    const r = lseek(k, a[0], exact64(a[2], a[1]), a[4]);
    if (r < 0) return Number(r);
    if (!k.mem.checkRange(a[3], 8, true)) return -E.EFAULT;
    new StructWriter(k.mem, a[3]).u64(0, BigInt(r));
    return 0;
  }),
  R('stat', ['path', 'ptr'], (k, a) => statOut(k, statAt(k, AT_FDCWD, a[0], 0), a[1])),
  R('lstat', ['path', 'ptr'], (k, a) => statOut(k, statAt(k, AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW), a[1])),
  R('fstat', ['fd', 'ptr'], (k, a) => statOut(k, k.fstat(a[0]), a[1])),
  R('stat64', ['path', 'ptr'], (k, a) => stat64Out(k, statAt(k, AT_FDCWD, a[0], 0), a[1])),
  R('lstat64', ['path', 'ptr'], (k, a) => stat64Out(k, statAt(k, AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW), a[1])),
  R('fstat64', ['fd', 'ptr'], (k, a) => stat64Out(k, k.fstat(a[0]), a[1])),
  R('fstatat64', ['dirfd', 'path', 'ptr', 'atflags'], (k, a) => stat64Out(k, statAt(k, a[0] | 0, a[1], a[3]), a[2])),
  R('statx', ['dirfd', 'path', 'atflags', 'hex', 'ptr'], (k, a) => statx(k, a[0] | 0, a[1], a[2], a[3], a[4])),
  R('access', ['path', 'int'], (k, a) => accessAt(k, AT_FDCWD, a[0], a[1])),
  R('faccessat', ['dirfd', 'path', 'int'], (k, a) => accessAt(k, a[0] | 0, a[1], a[2])),
  R('faccessat2', ['dirfd', 'path', 'int', 'atflags'], (k, a) => accessAt(k, a[0] | 0, a[1], a[2])),
  R('getcwd', ['outbuf', 'uint'], (k, a) => getcwd(k, a[0], a[1])),
  R('chdir', ['path'], (k, a) => wrapPath((k2, p) => {
    if (typeof p !== 'string') return libc().chdir(p);
    process.chdir(p);
    // An absolute path decides whether the directory is the sysroot's (a relative step stays where it was).
    if (k2.mem.bytes[a[0] >>> 0] === 0x2f) k2.cwdInSysroot = k2.inSysroot(process.cwd());
    return 0;
  })(k, a)),
  R('fchdir', ['fd'], (k, a) => {
    const f = k.file(a[0]);
    if (!f) return -E.EBADF;
    if (!f.isDir) return -E.ENOTDIR;
    try {
      // Through the descriptor, not its recorded path: the directory may have moved since.
      process.chdir(`${HOST_FD_DIR}${f.hostFd}`);
      k.cwdInSysroot = false;
      return 0;
    } catch (e) {
      return hostErrno(e);
    }
  }),
  R('mkdir', ['path', 'mode'], wrapPath((k, p, a) => (fs.mkdirSync(p, a[1] & ~k.umask & 0o7777), 0))),
  R('mkdirat', ['dirfd', 'path', 'mode'], wrapPath((k, p, a) => (fs.mkdirSync(p, a[2] & ~k.umask & 0o7777), 0), 0, 1)),
  R('rmdir', ['path'], wrapPath((k, p) => (fs.rmdirSync(p), 0))),
  R('unlink', ['path'], wrapPath((k, p) => unlinkAt(k, p, 0))),
  R('unlinkat', ['dirfd', 'path', 'atflags'], wrapPath((k, p, a) => unlinkAt(k, p, a[2]), 0, 1)),
  R('rename', ['path', 'path'], (k, a) => renameAt(k, AT_FDCWD, a[0], AT_FDCWD, a[1], 0)),
  R('renameat', ['dirfd', 'path', 'dirfd', 'path'], (k, a) => renameAt(k, a[0] | 0, a[1], a[2] | 0, a[3], 0)),
  R('renameat2', ['dirfd', 'path', 'dirfd', 'path', 'hex'], (k, a) => renameAt(k, a[0] | 0, a[1], a[2] | 0, a[3], a[4])),
  R('readlink', ['path', 'outbuf', 'uint'], (k, a) => readlinkAt(k, AT_FDCWD, a[0], a[1], a[2])),
  R('readlinkat', ['dirfd', 'path', 'outbuf', 'uint'], (k, a) => readlinkAt(k, a[0] | 0, a[1], a[2], a[3])),
  R('symlink', ['str', 'path'], (k, a) => {
    const target = k.mem.readCBytes(a[0]);
    if (target === null) return -E.EFAULT;
    return wrapPath((k2, p) => (fs.symlinkSync(target, p), 0), -1, 1)(k, a);
  }),
  R('link', ['path', 'path'], (k, a) => {
    const from = k.pathArg(a[0]);
    if (typeof from === 'number') return from;
    return wrapPath((k2, p) => (fs.linkSync(from, p), 0), -1, 1)(k, a);
  }),
  R('chmod', ['path', 'mode'], wrapPath((k, p, a) => (fs.chmodSync(p, a[1] & 0o7777), 0))),
  R('fchmodat', ['dirfd', 'path', 'mode'], wrapPath((k, p, a) => (fs.chmodSync(p, a[2] & 0o7777), 0), 0, 1)),
  // Owners: -1 (as an unsigned 32-bit id) leaves one unchanged, as Node's -1 does.
  R('chown', ['path', 'int', 'int'], wrapPath((k, p, a) => (fs.chownSync(p, (a[1] | 0) === -1 ? -1 : a[1] >>> 0, (a[2] | 0) === -1 ? -1 : a[2] >>> 0), 0))),
  R('lchown', ['path', 'int', 'int'], wrapPath((k, p, a) => (fs.lchownSync(p, (a[1] | 0) === -1 ? -1 : a[1] >>> 0, (a[2] | 0) === -1 ? -1 : a[2] >>> 0), 0))),
  R('name_to_handle_at', ['dirfd', 'path', 'ptr', 'ptr', 'hex'], (k, a) => nameToHandleAt(k, a[0] | 0, a[1], a[2], a[3], a[4])),
  R('open_by_handle_at', ['fd', 'ptr', 'hex'], (k, a) => openByHandleAt(k, a[0] | 0, a[1], a[2])),
  R('fchownat', ['dirfd', 'path', 'int', 'int', 'atflags'], (k, a) => {
    const at = atPath(k, a[0] | 0, a[1], a[4]);
    return typeof at === 'number' ? at : libc().fchownat(at[0], at[1], a[2] >>> 0, a[3] >>> 0, a[4]);
  }),
  R('fchown', ['fd', 'int', 'int'], (k, a) => {
    const f = k.file(a[0]);
    if (!f) return -E.EBADF;
    try {
      fs.fchownSync(f.hostFd, (a[1] | 0) === -1 ? -1 : a[1] >>> 0, (a[2] | 0) === -1 ? -1 : a[2] >>> 0);
      return 0;
    } catch (e) {
      return hostErrno(e);
    }
  }),
  R('fchmod', ['fd', 'mode'], (k, a) => {
    const f = k.file(a[0]);
    if (!f) return -E.EBADF;
    try {
      fs.fchmodSync(f.hostFd, a[1] & 0o7777);
      return 0;
    } catch (e) {
      return hostErrno(e);
    }
  }),
  R('ftruncate64', ['fd', 'int', 'int', 'int'], (k, a) => truncated(k, ftruncate(k, a[0], arg64Exact(k, a, 2)))),
  R('truncate64', ['path', 'int', 'int', 'int'], wrapPath((k, p, a) => truncated(k, truncatePath(p, arg64Exact(k, a, 2))))),
  R('fsync', ['fd'], (k, a) => onHostFd(k, a[0], (fd) => libc().fsync(fd))),
  ...xattrRecords(),
  R('fdatasync', ['fd'], (k, a) => onHostFd(k, a[0], (fd) => libc().fdatasync(fd))),
  R('syncfs', ['fd'], (k, a) => onHostFd(k, a[0], (fd) => libc().syncfs(fd))),
  R('sync', [], () => (libc().sync(), 0)),
  // sync_file_range(fd, offset, nbytes, flags) (o32: a pad word, then 64-bit pairs, flags last).
  R('sync_file_range', ['fd', 'int', 'int', 'int', 'int', 'int', 'hex'], (k, a) => syncFileRange(k, a[0], arg64(k, a, 2), arg64(k, a, 4), a[6])),
  // readahead(fd, offset, count) (a pad word before the 64-bit offset on both ABIs).
  R('readahead', ['fd', 'int', 'int', 'int', 'uint'], (k, a) => onHostFd(k, a[0], (fd) => libc().readahead(fd, arg64(k, a, 2), a[4] >>> 0))),
  R('ftruncate', ['fd', 'int'], (k, a) => truncated(k, ftruncate(k, a[0], a[1] | 0))),
  R('truncate', ['path', 'int'], wrapPath((k, p, a) => truncated(k, truncatePath(p, a[1] | 0)))),
  R('fallocate', ['fd', 'hex', 'int', 'int', 'int', 'int'], (k, a) => onHostFd(k, a[0], (fd) => libc().fallocate(fd, a[1], arg64(k, a, 2), arg64(k, a, 4)))),
  R('copy_file_range', ['fd', 'ptr', 'fd', 'ptr', 'uint', 'hex'], (k, a) => copyRange(k, 'copy', a)),
  R('splice', ['fd', 'ptr', 'fd', 'ptr', 'uint', 'hex'], (k, a) => copyRange(k, 'splice', a)),
  R('tee', ['fd', 'fd', 'uint', 'hex'], (k, a) => {
    const from = k.file(a[0]), to = k.file(a[1]);
    if (!from || !to) return -E.EBADF;
    // Non-blocking on the host; when it would wait, the guest thread waits for the pipes.
    const r = libc().tee(from.hostFd, to.hostFd, a[2] >>> 0, a[3] | SPLICE_F_NONBLOCK);
    return r === -E.EAGAIN && !(a[3] & SPLICE_F_NONBLOCK) ? waitForPipes(k, from, to) : r;
  }),
  // vmsplice(pipe, iov, count, flags): the guest's buffers into a pipe's write end, or out of
  // its read end, as writev and readv move them (copied: urun has no pages to lend).
  R('vmsplice', ['fd', 'ptr', 'int', 'hex'], (k, a) => {
    const f = k.file(a[0]);
    if (!f) return -E.EBADF;
    try {
      if (!fs.fstatSync(f.hostFd).isFIFO()) return -E.EBADF;
    } catch (e) {
      return hostErrno(e);
    }
    return rwv(k, a[0], a[1], a[2], (f.flags & 3) !== 0, null);
  }),
  R('mincore', ['ptr', 'uint', 'ptr'], (k, a) => mincore(k, a[0] >>> 0, a[1] >>> 0, a[2] >>> 0)),
  R('inotify_init', [], (k) => inotifyInit(k, 0)),
  R('inotify_init1', ['oflags'], (k, a) => inotifyInit(k, a[0])),
  R('inotify_add_watch', ['fd', 'path', 'hex'], (k, a) => {
    const f = k.file(a[0]);
    if (!f) return -E.EBADF;
    const p = k.pathArg(a[1]);
    return typeof p === 'number' ? p : libc().inotifyAddWatch(f.hostFd, p, a[2] >>> 0);
  }),
  R('inotify_rm_watch', ['fd', 'int'], (k, a) => onHostFd(k, a[0], (fd) => libc().inotifyRmWatch(fd, a[1] | 0))),
  R('symlinkat', ['str', 'dirfd', 'path'], (k, a) => {
    const target = k.mem.readCBytes(a[0]);
    if (target === null) return -E.EFAULT;
    const p = k.pathArg(a[2], a[1] | 0);
    return typeof p === 'number' ? p : libc().symlinkat(target, AT_FDCWD, p);
  }),
  R('linkat', ['dirfd', 'path', 'dirfd', 'path', 'atflags'], (k, a) => {
    const from = atPath(k, a[0] | 0, a[1], a[4]);
    if (typeof from === 'number') return from;
    const to = k.pathArg(a[3], a[2] | 0);
    return typeof to === 'number' ? to : libc().linkat(from[0], from[1], AT_FDCWD, to, a[4]);
  }),
  R('mknodat', ['dirfd', 'path', 'mode', 'hex'], (k, a) => mknodAt(k, a[0] | 0, a[1], a[2], a[3])),
  R('mknod', ['path', 'mode', 'hex'], (k, a) => mknodAt(k, AT_FDCWD, a[0], a[1], a[2])),
  // openat2 (struct open_how) is not carried: glibc falls back to openat.
  R('openat2', ['dirfd', 'path', 'ptr', 'uint'], () => -E.ENOSYS),
  R('getdents64', ['fd', 'outbuf', 'uint'], (k, a) => getdents64(k, a[0], a[1], a[2])),
  R('getdents', ['fd', 'outbuf', 'uint'], (k, a) => getdents(k, a[0], a[1], a[2])),
  R('ioctl', ['fd', 'ioctl', 'hex'], (k, a) => ioctl(k, a[0], a[1], a[2])),
  R('fcntl', ['fd', 'fcntl', 'hex'], (k, a) => fcntl(k, a[0], a[1], a[2], false)),
  R('fcntl64', ['fd', 'fcntl', 'hex'], (k, a) => fcntl(k, a[0], a[1], a[2], true)),
  R('flock', ['fd', 'int'], (k, a) => flock(k, a[0], a[1])),
  R('dup', ['fd'], (k, a) => {
    const f = k.file(a[0]);
    if (!f) return -E.EBADF;
    f.refs++;
    return k.allocFd(f, false);
  }),
  R('dup2', ['fd', 'fd'], (k, a) => dupTo(k, a[0], a[1], false)),
  R('dup3', ['fd', 'fd', 'oflags'], (k, a) => (a[0] === a[1] ? -E.EINVAL
    : dupTo(k, a[0], a[1], (a[2] & k.abi.openFlags.O_CLOEXEC) !== 0))),
  R('pipe', ['ptr'], (k, a) => {
    const r = pipe(k, 0);
    if (typeof r === 'number') return r;
    if (k.abi.name.startsWith('mips')) {
      k.secondResult = r[1];
      return r[0];
    }
    k.mem.write32(a[0], r[0]);
    k.mem.write32(a[0] + 4, r[1]);
    return 0;
  }),
  R('pipe2', ['ptr', 'oflags'], (k, a) => {
    if (!k.mem.checkRange(a[0], 8, true)) return -E.EFAULT;
    const r = pipe(k, a[1]);
    if (typeof r === 'number') return r;
    k.mem.write32(a[0], r[0]);
    k.mem.write32(a[0] + 4, r[1]);
    return 0;
  }),
  R('sendfile64', ['fd', 'fd', 'ptr', 'uint'], (k, a) => sendfile(k, a[0], a[1], a[2], a[3], true)),
  R('sendfile', ['fd', 'fd', 'ptr', 'uint'], (k, a) => sendfile(k, a[0], a[1], a[2], a[3], false)),
  // fadvise64(fd, offset, len, advice) (o32: a pad word, then 64-bit pairs, advice last).
  R('fadvise64', ['fd', 'int', 'int', 'int', 'int', 'int', 'int'], (k, a) => fadvise(k, a[0], arg64(k, a, 4), a[6])),
  R('fadvise64_64', ['fd', 'int', 'int', 'int', 'int', 'int'], (k, a) => fadvise(k, a[0], arg64(k, a, 3), a[5])),
  R('utimensat', ['dirfd', 'path', 'ptr', 'atflags'], (k, a) => utimensat(k, a[0] | 0, a[1], a[2], a[3], false)),
  R('utimensat_time64', ['dirfd', 'path', 'ptr', 'atflags'], (k, a) => utimensat(k, a[0] | 0, a[1], a[2], a[3], true)),
  R('utimes', ['path', 'ptr'], (k, a) => (a[0] === 0 ? -E.EFAULT : utimes(k, AT_FDCWD, a[0], a[1]))),
  R('futimesat', ['dirfd', 'path', 'ptr'], (k, a) => utimes(k, a[0] | 0, a[1], a[2])),
  R('statfs64', ['path', 'uint', 'ptr'], (k, a) => statfs(k, a[0], null, a[1], a[2])),
  R('fstatfs64', ['fd', 'uint', 'ptr'], (k, a) => statfs(k, 0, a[0], a[1], a[2])),
  R('statfs', ['path', 'ptr'], (k, a) => statfs(k, a[0], null, null, a[1])),
  R('fstatfs', ['fd', 'ptr'], (k, a) => statfs(k, 0, a[0], null, a[1])),
];

