// Generic Linux syscalls: one record per syscall (name, argument kinds, handler). The
// same record drives dispatch and --strace. Handlers get the raw argument words and
// return a result or a negative generic errno.
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import * as os from 'node:os';
import { randomFillSync } from 'node:crypto';
import { SIGPIPE } from '../engine/signals.js';
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, pageAlignUp } from '../memory/memory.js';
import { NS, StructWriter, nsec, sec } from './abi.js';
import type { HostStat, OpenFlag } from './abi.js';
import { E, hostErrno } from './errno.js';
import { Kernel, OpenFile, Dirent64, SIG_DFL, SIG_IGN, hostFile } from './kernel.js';
import { PROCESS_SYSCALLS } from './processes.js';
import { SIGNAL_SYSCALLS, sleepMs, sleepSyscall } from './signals.js';
import { openProcSelf, procSelfLink } from './procfs.js';
import { F_GETFL, F_SETFL, HOST_O_CLOEXEC, HOST_O_NONBLOCK, libc } from '../host/libc.js';

/** How --strace shows an argument. */
export type ArgKind =
  | 'int' | 'uint' | 'hex' | 'fd' | 'dirfd' | 'path' | 'str' | 'inbuf' | 'outbuf' | 'oflags' | 'mode'
  | 'prot' | 'mflags' | 'sig' | 'clock' | 'whence' | 'ioctl' | 'fcntl' | 'atflags' | 'how';

export interface SyscallRecord {
  name: string;
  args: ArgKind[];
  run(k: Kernel, a: number[]): number;
  /** Show the result in hex (addresses). */
  hexResult?: boolean;
}

// ---- helpers ----

const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;


const realtimeBase = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
export function clockNs(clock: number): bigint | null {
  switch (clock) {
    case 0: case 5: case 8: case 11: // REALTIME, REALTIME_COARSE, REALTIME_ALARM, TAI
      return process.hrtime.bigint() + realtimeBase;
    case 1: case 4: case 6: case 7: case 9: // MONOTONIC, _RAW, _COARSE, BOOTTIME, BOOTTIME_ALARM
      return process.hrtime.bigint();
    case 2: case 3: { // PROCESS/THREAD_CPUTIME_ID
      const u = process.cpuUsage();
      return BigInt(u.user + u.system) * 1000n;
    }
    default:
      return null;
  }
}

function writeTimespec(k: Kernel, addr: number, ns: bigint, is64: boolean): number {
  if (!k.mem.checkRange(addr, is64 ? 16 : 8, true)) return -E.EFAULT;
  const w = new StructWriter(k.mem, addr);
  if (is64) w.u64(0, ns / NS).u64(8, ns % NS);
  else w.i32(0, sec(ns)).i32(4, nsec(ns));
  return 0;
}

export function readTimespecNs(k: Kernel, addr: number, is64: boolean): bigint | null {
  if (!k.mem.checkRange(addr, is64 ? 16 : 8, false)) return null;
  const le = k.mem.littleEndian;
  const s = is64 ? k.mem.view.getBigInt64(addr, le) : BigInt(k.mem.view.getInt32(addr, le));
  const ns = is64 ? k.mem.view.getBigInt64(addr + 8, le) : BigInt(k.mem.view.getInt32(addr + 4, le));
  if (ns < 0n || ns >= NS) return -1n; // invalid: callers answer EINVAL
  return s * NS + ns;
}

function hostOpenFlags(k: Kernel, guest: number): { flags: number; unknown: number } {
  const g = k.abi.openFlags;
  const c = fs.constants as Record<string, number>;
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

function doStat(k: Kernel, hostPath: string, follow: boolean): HostStat | number {
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
  const p = k.pathArg(pathAddr, dirfd);
  if (typeof p === 'number') return p;
  return doStat(k, p, (flags & AT_SYMLINK_NOFOLLOW) === 0);
}

function stat64Out(k: Kernel, st: HostStat | number, addr: number): number {
  if (typeof st === 'number') return st;
  if (!k.mem.checkRange(addr, 104, true)) return -E.EFAULT;
  k.abi.writeStat64(k.mem, addr, st);
  return 0;
}

function statxOut(k: Kernel, st: HostStat | number, addr: number): number {
  if (typeof st === 'number') return st;
  if (!k.mem.checkRange(addr, 256, true)) return -E.EFAULT;
  k.mem.bytes.fill(0, addr, addr + 256);
  const ts = (off: number, ns: bigint) => w.u64(off, ns / NS).u32(off + 8, Number(ns % NS));
  const w = new StructWriter(k.mem, addr)
    .u32(0, 0x7ff).u32(4, st.blksize).u32(16, st.nlink).u32(20, st.uid).u32(24, st.gid).u16(28, st.mode)
    .u64(32, st.ino).u64(40, st.size).u64(48, st.blocks)
    .u32(128, Number((st.rdev >> 8n) & 0xfffn)).u32(132, Number((st.rdev & 0xffn) | ((st.rdev >> 12n) & 0xfff00n)))
    .u32(136, Number((st.dev >> 8n) & 0xfffn)).u32(140, Number((st.dev & 0xffn) | ((st.dev >> 12n) & 0xfff00n)));
  ts(64, st.atimeNs);
  ts(80, st.birthtimeNs);
  ts(96, st.ctimeNs);
  ts(112, st.mtimeNs);
  return 0;
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

// Reads and writes go through the host descriptor's own offset (position null), so a
// forked child and its parent share it, and O_APPEND is the host kernel's.
export function readInto(k: Kernel, f: OpenFile, buf: Uint8Array, pos: number | null): number {
  if (f.isDir) return -E.EISDIR;
  try {
    return retryAgain(k, f, () => fs.readSync(f.hostFd, buf, 0, buf.length, pos));
  } catch (e) {
    return hostErrno(e);
  }
}

function writeFrom(k: Kernel, f: OpenFile, buf: Uint8Array, pos: number | null): number {
  try {
    let done = 0;
    while (done < buf.length) {
      done += retryAgain(k, f, () => fs.writeSync(f.hostFd, buf, done, buf.length - done, pos === null ? null : pos + done));
    }
    return done;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') k.raise(k.guestSignal(SIGPIPE));
    return hostErrno(e);
  }
}

function rw(k: Kernel, fd: number, addr: number, len: number, write: boolean, pos: number | null): number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  if (len === 0) return 0;
  const buf = k.mem.slice(addr, len, !write);
  if (!buf) return -E.EFAULT;
  return write ? writeFrom(k, f, buf, pos) : readInto(k, f, buf, pos);
}

function rwv(k: Kernel, fd: number, iov: number, cnt: number, write: boolean, pos: number | null): number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  const vecs = iovecs(k, iov, cnt);
  if (!vecs) return cnt < 0 || cnt > 1024 ? -E.EINVAL : -E.EFAULT;
  let total = 0;
  for (const [base, len] of vecs) {
    if (len === 0) continue;
    const r = rw(k, fd, base, len, write, pos === null ? null : pos + total);
    if (r < 0) return total > 0 ? total : r;
    total += r;
    if (r < len) break;
  }
  return total;
}

function arg64(k: Kernel, a: number[], i: number): number {
  // A 64-bit argument in an aligned register pair, in guest word order.
  const [lo, hi] = k.mem.littleEndian ? [a[i], a[i + 1]] : [a[i + 1], a[i]];
  return (hi | 0) * 4294967296 + (lo >>> 0);
}

function openAt(k: Kernel, dirfd: number, pathAddr: number, flags: number, mode: number): number {
  const p = k.pathArg(pathAddr, dirfd);
  if (typeof p === 'number') return p;
  const { flags: hostFlags } = hostOpenFlags(k, flags);
  const cloexec = (flags & k.abi.openFlags.O_CLOEXEC) !== 0;
  let hostFd: number;
  try {
    hostFd = openProcSelf(k, p) ?? fs.openSync(p, hostFlags, mode & ~k.umask & 0o7777);
  } catch (e) {
    return hostErrno(e);
  }
  let st: fs.Stats;
  try {
    st = fs.fstatSync(hostFd);
  } catch (e) {
    fs.closeSync(hostFd);
    return hostErrno(e);
  }
  const file = hostFile(hostFd, p, st, true, flags & ~k.abi.openFlags.O_CLOEXEC);
  const fd = k.allocFd(file, cloexec);
  if (fd < 0) fs.closeSync(hostFd);
  return fd;
}

function lseek(k: Kernel, fd: number, off: number, whence: number): number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  if (f.isDir) {
    if (whence === 0 && off === 0) {
      f.dirPos = 0;
      f.dirents = null;
      return 0;
    }
    return -E.EINVAL;
  }
  if (whence > 4) return -E.EINVAL;
  const r = libc().lseek(f.hostFd, off, whence);
  return r; // x86-64 errno numbers are the generic ones
}

function readDirents(f: OpenFile): Dirent64[] | number {
  try {
    const list: Dirent64[] = [];
    const self = fs.statSync(f.path, { bigint: true });
    let parent = self;
    try {
      parent = fs.statSync(f.path + '/..', { bigint: true });
    } catch { /* root */ }
    list.push({ ino: self.ino, type: 4, name: Buffer.from('.') }, { ino: parent.ino, type: 4, name: Buffer.from('..') });
    for (const d of fs.readdirSync(f.path, { withFileTypes: true, encoding: 'buffer' })) {
      let ino = 0n;
      try {
        ino = fs.lstatSync(Buffer.concat([Buffer.from(f.path + '/'), d.name]), { bigint: true }).ino;
      } catch { /* raced away */ }
      const type = d.isFIFO() ? 1 : d.isCharacterDevice() ? 2 : d.isDirectory() ? 4 : d.isBlockDevice() ? 6
        : d.isFile() ? 8 : d.isSymbolicLink() ? 10 : d.isSocket() ? 12 : 0;
      list.push({ ino, type, name: d.name });
    }
    return list;
  } catch (e) {
    return hostErrno(e);
  }
}

function getdents64(k: Kernel, fd: number, addr: number, count: number): number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  if (!f.isDir) return -E.ENOTDIR;
  if (!f.dirents) {
    const r = readDirents(f);
    if (typeof r === 'number') return r;
    f.dirents = r;
  }
  if (!k.mem.checkRange(addr, count, true)) return -E.EFAULT;
  let off = 0;
  while (f.dirPos < f.dirents.length) {
    const d = f.dirents[f.dirPos];
    const reclen = (19 + d.name.length + 1 + 7) & ~7;
    if (off + reclen > count) {
      if (off === 0) return -E.EINVAL;
      break;
    }
    const w = new StructWriter(k.mem, addr + off);
    w.u64(0, d.ino).u64(8, f.dirPos + 1).u16(16, reclen).u8(18, d.type);
    k.mem.bytes.fill(0, addr + off + 19, addr + off + reclen);
    k.mem.bytes.set(d.name, addr + off + 19);
    off += reclen;
    f.dirPos++;
  }
  return off;
}

function mmap(k: Kernel, addr: number, len: number, prot: number, flags: number, fd: number, offset: number): number {
  const m = k.abi.mmap;
  if (len === 0) return -E.EINVAL;
  if (offset % PAGE_SIZE !== 0) return -E.EINVAL;
  const anon = (flags & m.ANONYMOUS) !== 0;
  const fixed = (flags & (m.FIXED | m.FIXED_NOREPLACE)) !== 0;
  let file: OpenFile | null = null;
  if (!anon) {
    file = k.file(fd);
    if (!file) return -E.EBADF;
    if (file.isDir) return -E.ENODEV;
    if ((flags & m.SHARED) && (prot & PROT_WRITE)) {
      k.warnOnce('mmap-shared', `urun: warning: shared writable file mapping of ${file.path} is private (writes are not written back)`);
    }
  }
  const at = k.mapRegion(addr, len, prot | (file ? PROT_WRITE : 0), fixed, (flags & m.FIXED_NOREPLACE) !== 0);
  if (at < 0) return at;
  if (file) {
    k.mappingNames = k.mappingNames.filter((m) => m.end <= at || m.start >= at + len);
    k.mappingNames.push({ start: at, end: at + pageAlignUp(len), name: file.path });
    const buf = k.mem.bytes.subarray(at, at + len);
    try {
      let done = 0;
      while (done < len) {
        const n = fs.readSync(file.hostFd, buf, done, len - done, offset + done);
        if (n === 0) break;
        done += n;
      }
    } catch (e) {
      k.mem.unmap(at, pageAlignUp(len));
      return hostErrno(e);
    }
    k.mem.protect(at, pageAlignUp(len), prot);
  }
  return at;
}

function setId(which: 'uid' | 'gid', id: number): number {
  const current = which === 'uid' ? process.geteuid?.() : process.getegid?.();
  if (current === undefined || id >>> 0 === current) return 0;
  try {
    if (which === 'uid') process.setuid?.(id >>> 0);
    else process.setgid?.(id >>> 0);
    return 0;
  } catch {
    return -E.EPERM;
  }
}

/** setre*id/setres*id: each id is -1 (unchanged) or must be one the host accepts. */
function setIds(which: 'uid' | 'gid', ids: number[]): number {
  for (const id of ids) {
    if ((id | 0) === -1) continue;
    const r = setId(which, id);
    if (r < 0) return r;
  }
  return 0;
}

function wrapPath(fn: (k: Kernel, p: string, a: number[]) => number, dirArg = -1, pathArg = 0) {
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

function readlinkOut(k: Kernel, target: string, buf: number, size: number): number {
  const bytes = Buffer.from(target);
  const n = Math.min(bytes.length, size);
  const out = k.mem.slice(buf, n, true);
  if (!out) return -E.EFAULT;
  out.set(bytes.subarray(0, n));
  return n;
}

function readlinkAt(k: Kernel, dirfd: number, pathAddr: number, buf: number, size: number): number {
  const raw = k.mem.readCString(pathAddr);
  if (raw === null) return -E.EFAULT;
  const own = procSelfLink(k, raw);
  if (own !== null) return readlinkOut(k, own, buf, size);
  const p = k.hostPath(raw, dirfd);
  if (p === null) return -E.EBADF;
  try {
    return readlinkOut(k, fs.readlinkSync(p), buf, size);
  } catch (e) {
    return hostErrno(e);
  }
}

function unlinkAt(k: Kernel, p: string, flags: number): number {
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
  try {
    if (flags & 1 /* RENAME_NOREPLACE */ && fs.existsSync(to)) return -E.EEXIST;
    if (flags & ~1) return -E.EINVAL;
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
  if (newfd < 0 || newfd >= 1024) return -E.EBADF;
  if (oldfd === newfd) return newfd;
  if (k.fds.has(newfd)) k.closeFd(newfd);
  f.refs++;
  k.fds.set(newfd, { file: f, cloexec });
  return newfd;
}

function pipe(k: Kernel, flags: number): [number, number] | number {
  const cloexec = (flags & k.abi.openFlags.O_CLOEXEC) !== 0;
  const nonblock = (flags & k.abi.openFlags.O_NONBLOCK) !== 0;
  // Host descriptors are always close-on-exec; the guest's flag is kept in its fd table.
  const r = libc().pipe2(HOST_O_CLOEXEC | (nonblock ? HOST_O_NONBLOCK : 0));
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
  const io = k.abi.ioctl;
  const isTty = !f.isDir && tty.isatty(f.hostFd);
  switch (req >>> 0) {
    case io.TCGETS: {
      if (!isTty) return -E.ENOTTY;
      const size = 17 + k.abi.termiosNccs;
      if (!k.mem.checkRange(arg, size, true)) return -E.EFAULT;
      k.mem.bytes.fill(0, arg, arg + size);
      // A cooked terminal: ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD, ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN.
      new StructWriter(k.mem, arg).u32(0, 0x500).u32(4, 0x5).u32(8, 0xbf).u32(12, 0x8a3b);
      return 0;
    }
    case io.TCSETS: case io.TCSETSW: case io.TCSETSF:
      return isTty ? 0 : -E.ENOTTY;
    case io.TIOCGWINSZ: {
      if (!isTty) return -E.ENOTTY;
      if (!k.mem.checkRange(arg, 8, true)) return -E.EFAULT;
      const t = new tty.WriteStream(f.hostFd);
      const [cols, rows] = t.getWindowSize?.() ?? [80, 24];
      new StructWriter(k.mem, arg).u16(0, rows).u16(2, cols).u16(4, 0).u16(6, 0);
      return 0;
    }
    case io.TIOCGPGRP:
      if (!isTty) return -E.ENOTTY;
      if (!k.mem.checkRange(arg, 4, true)) return -E.EFAULT;
      k.mem.write32(arg, k.pid);
      return 0;
    case io.FIONREAD:
      if (!k.mem.checkRange(arg, 4, true)) return -E.EFAULT;
      k.mem.write32(arg, bytesReadable(f.hostFd));
      return 0;
    case io.FIONBIO:
      return 0;
    default:
      k.warnOnce(`ioctl-${req}`, `urun: warning: ioctl request 0x${(req >>> 0).toString(16)} on fd ${fd} is not supported (ENOTTY)`);
      return -E.ENOTTY;
  }
}

function fcntl(k: Kernel, fd: number, cmd: number, arg: number): number {
  const entry = k.fds.get(fd);
  if (!entry) return -E.EBADF;
  switch (cmd) {
    case 0: return arg < 0 || arg >= 1024 ? -E.EINVAL : (entry.file.refs++, k.allocFd(entry.file, false, arg)); // F_DUPFD
    case 1030: return arg < 0 || arg >= 1024 ? -E.EINVAL : (entry.file.refs++, k.allocFd(entry.file, true, arg)); // F_DUPFD_CLOEXEC
    case 1: return entry.cloexec ? 1 : 0; // F_GETFD
    case 2: entry.cloexec = (arg & 1) !== 0; return 0; // F_SETFD
    case 3: return entry.file.flags; // F_GETFL
    case 4: return setStatusFlags(k, entry.file, arg); // F_SETFL
    case 5: case 6: case 7: case 33: case 34: case 35: case 12: case 13: case 14: return 0; // locks: single process
    default: return -E.EINVAL;
  }
}

/** F_SETFL: O_APPEND, O_NONBLOCK (and the rest of the status flags) go to the host description. */
function setStatusFlags(k: Kernel, f: OpenFile, guestFlags: number): number {
  const o = k.abi.openFlags;
  const settable = o.O_APPEND | o.O_NONBLOCK | o.O_DIRECT | o.O_NOATIME | o.O_DSYNC;
  const { flags: hostFlags } = hostOpenFlags(k, guestFlags & settable);
  const h = libc();
  const cur = h.fcntl(f.hostFd, F_GETFL, 0);
  if (cur < 0) return cur;
  const r = h.fcntl(f.hostFd, F_SETFL, (cur & ~(HOST_O_NONBLOCK | fs.constants.O_APPEND)) | hostFlags);
  if (r < 0) return r;
  f.flags = (f.flags & ~settable) | (guestFlags & settable);
  return 0;
}

/** FIONREAD: bytes waiting in a pipe, socket or terminal (0 where the host cannot say). */
function bytesReadable(hostFd: number): number {
  const n = libc().ioctlInt(hostFd, 0x541b);
  return n < 0 ? 0 : n;
}

function uname(k: Kernel, addr: number): number {
  if (!k.mem.checkRange(addr, 390, true)) return -E.EFAULT;
  const fields = ['Linux', os.hostname(), os.release(), os.version(), k.abi.unameMachine, '(none)'];
  k.mem.bytes.fill(0, addr, addr + 390);
  fields.forEach((s, i) => k.mem.bytes.set(Buffer.from(s).subarray(0, 64), addr + 65 * i));
  return 0;
}

function sysinfo(k: Kernel, addr: number): number {
  if (!k.mem.checkRange(addr, 64, true)) return -E.EFAULT;
  k.mem.bytes.fill(0, addr, addr + 64);
  // uptime, totalram, freeram, procs, mem_unit (struct sysinfo, 32-bit layout).
  new StructWriter(k.mem, addr)
    .u32(0, Math.floor(performance.now() / 1000) + 1000)
    .u32(16, 0x40000000).u32(20, 0x20000000).u16(40, 1).u32(52, 1);
  return 0;
}

function rlimit(k: Kernel, resource: number, addr: number, is64: boolean): number {
  if (addr === 0) return 0;
  if (!k.mem.checkRange(addr, is64 ? 16 : 8, true)) return -E.EFAULT;
  const INF = is64 ? 0xffffffffffffffffn : 0xffffffff;
  // RLIMIT_STACK 3: 8 MiB soft; RLIMIT_NOFILE 7: 1024; others unlimited.
  const [cur, max] = resource === 3 ? [8 << 20, INF] : resource === 7 ? [1024, 4096] : [INF, INF];
  const w = new StructWriter(k.mem, addr);
  if (is64) w.u64(0, BigInt(cur)).u64(8, BigInt(max));
  else w.u32(0, Number(cur)).u32(4, Number(max));
  return 0;
}

function nanosleep(k: Kernel, req: number, rem: number, is64: boolean): number {
  const ns = readTimespecNs(k, req, is64);
  if (ns === null) return -E.EFAULT;
  if (ns < 0n) return -E.EINVAL;
  return sleepSyscall(k, Number(ns) / 1e6, rem, is64);
}

function clockNanosleep(k: Kernel, clock: number, flags: number, req: number, rem: number, is64: boolean): number {
  const ns = readTimespecNs(k, req, is64);
  if (ns === null) return -E.EFAULT;
  if (ns < 0n) return -E.EINVAL;
  let wait = ns;
  if (flags & 1) { // TIMER_ABSTIME: nothing is left to report when interrupted
    const now = clockNs(clock);
    if (now === null) return -E.EINVAL;
    wait = ns - now;
    rem = 0;
  }
  return sleepSyscall(k, wait > 0n ? Number(wait) / 1e6 : 0, rem, is64);
}

function getcwd(k: Kernel, buf: number, size: number): number {
  const cwd = Buffer.from(process.cwd() + '\0');
  if (cwd.length > size) return -E.ERANGE;
  const out = k.mem.slice(buf, cwd.length, true);
  if (!out) return -E.EFAULT;
  out.set(cwd);
  return cwd.length;
}

/** sendfile: a read/write loop through a bounce buffer, honouring the offset pointer. */
function sendfile(k: Kernel, outFd: number, inFd: number, offAddr: number, count: number, off64: boolean): number {
  const out = k.file(outFd), inp = k.file(inFd);
  if (!out || !inp) return -E.EBADF;
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

function pollReady(k: Kernel, fds: number, n: number): number {
  if (n > 1024) return -E.EINVAL;
  if (!k.mem.checkRange(fds, n * 8, true)) return -E.EFAULT;
  let ready = 0;
  for (let i = 0; i < n; i++) {
    const at = fds + 8 * i;
    const fd = k.mem.view.getInt32(at, k.mem.littleEndian);
    const events = k.mem.view.getInt16(at + 4, k.mem.littleEndian);
    if (fd < 0) {
      k.mem.view.setInt16(at + 6, 0, k.mem.littleEndian);
      continue;
    }
    const revents = k.file(fd) ? events & (0x1 | 0x4 | 0x40 | 0x100) /* IN OUT RDNORM WRNORM */ : 0x20; /* NVAL */
    k.mem.view.setInt16(at + 6, revents, k.mem.littleEndian);
    if (revents) ready++;
  }
  return ready;
}

function selectReady(k: Kernel, nfds: number, sets: number[]): number {
  if (nfds < 0 || nfds > 1024) return -E.EINVAL;
  const bytes = Math.ceil(nfds / 32) * 4;
  let ready = 0;
  for (const set of sets.slice(0, 2)) {
    if (!set) continue;
    if (!k.mem.checkRange(set, bytes, true)) return -E.EFAULT;
    for (let fd = 0; fd < nfds; fd++) {
      const word = set + 4 * (fd >> 5);
      const v = k.mem.read32(word);
      if (v & (1 << (fd & 31))) {
        if (!k.file(fd)) return -E.EBADF;
        ready++;
      }
    }
  }
  if (sets[2]) {
    if (!k.mem.checkRange(sets[2], bytes, true)) return -E.EFAULT;
    k.mem.bytes.fill(0, sets[2], sets[2] + bytes);
  }
  return ready;
}

function statfs(k: Kernel, pathAddr: number, fd: number | null, size: number, buf: number): number {
  let p: string | number;
  if (fd === null) p = k.pathArg(pathAddr);
  else {
    const f = k.file(fd);
    p = !f ? -E.EBADF : f.path;
  }
  if (typeof p === 'number') return p;
  if (size !== k.abi.statfs64Size) return -E.EINVAL;
  if (!k.mem.checkRange(buf, size, true)) return -E.EFAULT;
  try {
    const s = fs.statfsSync(p);
    k.abi.writeStatfs64(k.mem, buf, { type: s.type, bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree });
    return 0;
  } catch (e) {
    return hostErrno(e);
  }
}

let threadName: Uint8Array = Buffer.from('urun');
function prctl(k: Kernel, a: number[]): number {
  switch (a[0]) {
    case 15: { // PR_SET_NAME
      const n = k.mem.readCBytes(a[1], 16);
      if (!n) return -E.EFAULT;
      threadName = n.subarray(0, 15);
      return 0;
    }
    case 16: { // PR_GET_NAME
      const out = k.mem.slice(a[1], 16, true);
      if (!out) return -E.EFAULT;
      out.fill(0);
      out.set(threadName);
      return 0;
    }
    case 45: return a[1] === 0 ? 0 : -E.EOPNOTSUPP; // PR_SET_FP_MODE: only FR=0
    case 46: return 0; // PR_GET_FP_MODE: FR=0
    case 4: return 0; // PR_SET_DUMPABLE
    case 3: return 1; // PR_GET_DUMPABLE
    default: return -E.EINVAL;
  }
}

// ---- the table ----

const R = (name: string, args: ArgKind[], run: SyscallRecord['run'], hexResult = false): SyscallRecord =>
  ({ name, args, run, hexResult });

const records: SyscallRecord[] = [
  R('read', ['fd', 'outbuf', 'uint'], (k, a) => rw(k, a[0], a[1], a[2], false, null)),
  R('write', ['fd', 'inbuf', 'uint'], (k, a) => rw(k, a[0], a[1], a[2], true, null)),
  R('readv', ['fd', 'hex', 'int'], (k, a) => rwv(k, a[0], a[1], a[2], false, null)),
  R('writev', ['fd', 'hex', 'int'], (k, a) => rwv(k, a[0], a[1], a[2], true, null)),
  R('pread64', ['fd', 'outbuf', 'uint', 'int', 'int', 'int'], (k, a) => rw(k, a[0], a[1], a[2], false, arg64(k, a, 4))),
  R('pwrite64', ['fd', 'inbuf', 'uint', 'int', 'int', 'int'], (k, a) => rw(k, a[0], a[1], a[2], true, arg64(k, a, 4))),
  R('preadv', ['fd', 'hex', 'int', 'int', 'int'], (k, a) => rwv(k, a[0], a[1], a[2], false, (a[4] | 0) * 4294967296 + (a[3] >>> 0))),
  R('pwritev', ['fd', 'hex', 'int', 'int', 'int'], (k, a) => rwv(k, a[0], a[1], a[2], true, (a[4] | 0) * 4294967296 + (a[3] >>> 0))),
  R('open', ['path', 'oflags', 'mode'], (k, a) => openAt(k, AT_FDCWD, a[0], a[1], a[2])),
  R('openat', ['dirfd', 'path', 'oflags', 'mode'], (k, a) => openAt(k, a[0] | 0, a[1], a[2], a[3])),
  R('creat', ['path', 'mode'], (k, a) => openAt(k, AT_FDCWD, a[0],
    k.abi.openFlags.O_CREAT | k.abi.openFlags.O_TRUNC | k.abi.openFlags.O_WRONLY, a[1])),
  R('close', ['fd'], (k, a) => k.closeFd(a[0])),
  R('lseek', ['fd', 'int', 'whence'], (k, a) => lseek(k, a[0], a[1] | 0, a[2])),
  R('_llseek', ['fd', 'uint', 'uint', 'hex', 'whence'], (k, a) => {
    const r = lseek(k, a[0], (a[1] | 0) * 4294967296 + (a[2] >>> 0), a[4]);
    if (r < 0) return r;
    if (!k.mem.checkRange(a[3], 8, true)) return -E.EFAULT;
    new StructWriter(k.mem, a[3]).u64(0, BigInt(r));
    return 0;
  }),
  R('stat64', ['path', 'hex'], (k, a) => stat64Out(k, statAt(k, AT_FDCWD, a[0], 0), a[1])),
  R('lstat64', ['path', 'hex'], (k, a) => stat64Out(k, statAt(k, AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW), a[1])),
  R('fstat64', ['fd', 'hex'], (k, a) => stat64Out(k, k.fstat(a[0]), a[1])),
  R('fstatat64', ['dirfd', 'path', 'hex', 'atflags'], (k, a) => stat64Out(k, statAt(k, a[0] | 0, a[1], a[3]), a[2])),
  R('statx', ['dirfd', 'path', 'atflags', 'hex', 'hex'], (k, a) => statxOut(k, statAt(k, a[0] | 0, a[1], a[2]), a[4])),
  R('access', ['path', 'int'], (k, a) => accessAt(k, AT_FDCWD, a[0], a[1])),
  R('faccessat', ['dirfd', 'path', 'int'], (k, a) => accessAt(k, a[0] | 0, a[1], a[2])),
  R('faccessat2', ['dirfd', 'path', 'int', 'atflags'], (k, a) => accessAt(k, a[0] | 0, a[1], a[2])),
  R('getcwd', ['outbuf', 'uint'], (k, a) => getcwd(k, a[0], a[1])),
  R('chdir', ['path'], wrapPath((k, p) => (process.chdir(p), 0))),
  R('fchdir', ['fd'], (k, a) => {
    const f = k.file(a[0]);
    if (!f) return -E.EBADF;
    if (!f.isDir) return -E.ENOTDIR;
    process.chdir(f.path);
    return 0;
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
    const target = k.mem.readCString(a[0]);
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
  R('fchownat', ['dirfd', 'path', 'int', 'int', 'hex'], wrapPath((k, p, a) => {
    const uid = (a[2] | 0) === -1 ? -1 : a[2] >>> 0, gid = (a[3] | 0) === -1 ? -1 : a[3] >>> 0;
    (a[4] & 0x100 ? fs.lchownSync : fs.chownSync)(p, uid, gid); // AT_SYMLINK_NOFOLLOW
    return 0;
  }, 0, 1)),
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
  R('ftruncate64', ['fd', 'int', 'int', 'int'], (k, a) => {
    const f = k.file(a[0]);
    if (!f) return -E.EBADF;
    try {
      fs.ftruncateSync(f.hostFd, arg64(k, a, 2));
      return 0;
    } catch (e) {
      return hostErrno(e);
    }
  }),
  R('truncate64', ['path', 'int', 'int', 'int'], wrapPath((k, p, a) => (fs.truncateSync(p, arg64(k, a, 2)), 0))),
  R('fsync', ['fd'], (k, a) => (k.file(a[0]) ? 0 : -E.EBADF)),
  R('fdatasync', ['fd'], (k, a) => (k.file(a[0]) ? 0 : -E.EBADF)),
  R('getdents64', ['fd', 'outbuf', 'uint'], (k, a) => getdents64(k, a[0], a[1], a[2])),
  R('brk', ['hex'], (k, a) => k.setBrk(a[0] >>> 0), true),
  // MIPS o32's mmap (the only arch here that has one) takes six arguments like any other call,
  // the offset in bytes; only i386-style old_mmap reads them through a pointer.
  R('mmap', ['hex', 'uint', 'prot', 'mflags', 'fd', 'hex'],
    (k, a) => ((a[5] >>> 0) % PAGE_SIZE ? -E.EINVAL : mmap(k, a[0], a[1], a[2], a[3], a[4] | 0, a[5] >>> 0)), true),
  R('mmap2', ['hex', 'uint', 'prot', 'mflags', 'fd', 'hex'], (k, a) => mmap(k, a[0], a[1], a[2], a[3], a[4] | 0, a[5] * 4096), true),
  R('munmap', ['hex', 'uint'], (k, a) => {
    if (a[0] % PAGE_SIZE) return -E.EINVAL;
    const len = pageAlignUp(a[1]);
    if (len === 0 || a[0] + len > 2 ** 32) return -E.EINVAL;
    k.mem.unmap(a[0], len);
    return 0;
  }),
  R('mprotect', ['hex', 'uint', 'prot'], (k, a) => {
    if (a[0] % PAGE_SIZE) return -E.EINVAL;
    const len = pageAlignUp(a[1]);
    if (a[0] + len > 2 ** 32) return -E.ENOMEM;
    return k.mem.protect(a[0], len, a[2] & (PROT_READ | PROT_WRITE | PROT_EXEC)) ? 0 : -E.ENOMEM;
  }),
  R('mremap', ['hex', 'uint', 'uint', 'hex', 'hex'], (k, a) => {
    const [old, oldLen, newLen, flags] = [a[0], pageAlignUp(a[1]), pageAlignUp(a[2]), a[3]];
    if (old % PAGE_SIZE || newLen === 0) return -E.EINVAL;
    if (newLen <= oldLen) {
      if (newLen < oldLen) k.mem.unmap(old + newLen, oldLen - newLen);
      return old;
    }
    let free = old + newLen <= 2 ** 32;
    for (let p = (old + oldLen) / PAGE_SIZE; free && p < (old + newLen) / PAGE_SIZE; p++) free = !k.mem.isMapped(p);
    const prot = k.mem.perm[old / PAGE_SIZE] & 7;
    if (free) {
      k.mem.map(old + oldLen, newLen - oldLen, prot);
      return old;
    }
    if (!(flags & 1)) return -E.ENOMEM; // MREMAP_MAYMOVE
    const at = k.mapRegion(0, newLen, PROT_READ | PROT_WRITE, false, false);
    if (at < 0) return at;
    k.mem.bytes.copyWithin(at, old, old + oldLen);
    k.mem.protect(at, newLen, prot);
    k.mem.unmap(old, oldLen);
    return at;
  }, true),
  R('madvise', ['hex', 'uint', 'int'], (k, a) => {
    if (a[2] === 4) { // MADV_DONTNEED: anonymous private pages read back as zero
      const len = pageAlignUp(a[1]);
      for (let p = a[0]; p < a[0] + len; p += PAGE_SIZE) {
        if ((k.mem.perm[p / PAGE_SIZE] & PROT_WRITE) !== 0) k.mem.clearPage(p / PAGE_SIZE);
      }
    }
    return 0;
  }),
  R('uname', ['hex'], (k, a) => uname(k, a[0])),
  R('getuid', [], () => process.getuid?.() ?? 0),
  R('geteuid', [], () => process.geteuid?.() ?? 0),
  R('getgid', [], () => process.getgid?.() ?? 0),
  R('getegid', [], () => process.getegid?.() ?? 0),
  R('getresuid', ['hex', 'hex', 'hex'], (k, a) => {
    const id = process.getuid?.() ?? 0;
    for (const p of a.slice(0, 3)) if (p) k.mem.write32(p, id);
    return 0;
  }),
  R('getresgid', ['hex', 'hex', 'hex'], (k, a) => {
    const id = process.getgid?.() ?? 0;
    for (const p of a.slice(0, 3)) if (p) k.mem.write32(p, id);
    return 0;
  }),
  R('getgroups', ['int', 'hex'], () => 0),
  // Changing identity: setting the ids the process already has succeeds; anything else
  // goes to the host (so it works as root and fails with EPERM otherwise, as natively).
  R('setuid', ['int'], (k, a) => setId('uid', a[0])),
  R('setgid', ['int'], (k, a) => setId('gid', a[0])),
  R('setreuid', ['int', 'int'], (k, a) => setIds('uid', a.slice(0, 2))),
  R('setregid', ['int', 'int'], (k, a) => setIds('gid', a.slice(0, 2))),
  R('setresuid', ['int', 'int', 'int'], (k, a) => setIds('uid', a.slice(0, 3))),
  R('setresgid', ['int', 'int', 'int'], (k, a) => setIds('gid', a.slice(0, 3))),
  R('setfsuid', ['int'], () => process.geteuid?.() ?? 0),
  R('setfsgid', ['int'], () => process.getegid?.() ?? 0),
  R('setgroups', ['int', 'hex'], (k, a) => (a[0] === 0 || (process.geteuid?.() ?? 0) === 0 ? 0 : -E.EPERM)),
  R('rseq', ['hex', 'uint', 'int', 'hex'], () => -E.ENOSYS),
  R('clock_gettime', ['clock', 'hex'], (k, a) => {
    const ns = clockNs(a[0]);
    return ns === null ? -E.EINVAL : writeTimespec(k, a[1], ns, false);
  }),
  R('clock_gettime64', ['clock', 'hex'], (k, a) => {
    const ns = clockNs(a[0]);
    return ns === null ? -E.EINVAL : writeTimespec(k, a[1], ns, true);
  }),
  R('clock_getres', ['clock', 'hex'], (k, a) => (a[1] ? writeTimespec(k, a[1], 1n, false) : 0)),
  R('clock_getres_time64', ['clock', 'hex'], (k, a) => (a[1] ? writeTimespec(k, a[1], 1n, true) : 0)),
  R('gettimeofday', ['hex', 'hex'], (k, a) => {
    if (a[0]) {
      const ns = clockNs(0)!;
      if (!k.mem.checkRange(a[0], 8, true)) return -E.EFAULT;
      new StructWriter(k.mem, a[0]).i32(0, sec(ns)).i32(4, nsec(ns) / 1000);
    }
    if (a[1]) {
      if (!k.mem.checkRange(a[1], 8, true)) return -E.EFAULT;
      new StructWriter(k.mem, a[1]).u32(0, 0).u32(4, 0);
    }
    return 0;
  }),
  R('time', ['hex'], (k, a) => {
    const t = sec(clockNs(0)!);
    if (a[0]) {
      if (!k.mem.checkRange(a[0], 4, true)) return -E.EFAULT;
      k.mem.write32(a[0], t);
    }
    return t;
  }),
  R('nanosleep', ['hex', 'hex'], (k, a) => nanosleep(k, a[0], a[1], false)),
  R('clock_nanosleep', ['clock', 'int', 'hex', 'hex'], (k, a) => clockNanosleep(k, a[0], a[1], a[2], a[3], false)),
  R('clock_nanosleep_time64', ['clock', 'int', 'hex', 'hex'], (k, a) => clockNanosleep(k, a[0], a[1], a[2], a[3], true)),
  R('getrandom', ['outbuf', 'uint', 'hex'], (k, a) => {
    const out = k.mem.slice(a[0], a[1], true);
    if (!out) return -E.EFAULT;
    randomFillSync(out);
    return a[1];
  }),
  R('ioctl', ['fd', 'ioctl', 'hex'], (k, a) => ioctl(k, a[0], a[1], a[2])),
  R('fcntl', ['fd', 'fcntl', 'hex'], (k, a) => fcntl(k, a[0], a[1], a[2])),
  R('fcntl64', ['fd', 'fcntl', 'hex'], (k, a) => fcntl(k, a[0], a[1], a[2])),
  R('dup', ['fd'], (k, a) => {
    const f = k.file(a[0]);
    if (!f) return -E.EBADF;
    f.refs++;
    return k.allocFd(f, false);
  }),
  R('dup2', ['fd', 'fd'], (k, a) => dupTo(k, a[0], a[1], false)),
  R('dup3', ['fd', 'fd', 'oflags'], (k, a) => (a[0] === a[1] ? -E.EINVAL
    : dupTo(k, a[0], a[1], (a[2] & k.abi.openFlags.O_CLOEXEC) !== 0))),
  R('pipe', ['hex'], (k, a) => {
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
  R('pipe2', ['hex', 'oflags'], (k, a) => {
    if (!k.mem.checkRange(a[0], 8, true)) return -E.EFAULT;
    const r = pipe(k, a[1]);
    if (typeof r === 'number') return r;
    k.mem.write32(a[0], r[0]);
    k.mem.write32(a[0] + 4, r[1]);
    return 0;
  }),
  R('sysinfo', ['hex'], (k, a) => sysinfo(k, a[0])),
  R('prlimit64', ['int', 'int', 'hex', 'hex'], (k, a) => (a[0] !== 0 && a[0] !== k.pid ? -E.ESRCH : rlimit(k, a[1], a[3], true))),
  R('getrlimit', ['int', 'hex'], (k, a) => rlimit(k, a[0], a[1], false)),
  R('ugetrlimit', ['int', 'hex'], (k, a) => rlimit(k, a[0], a[1], false)),
  R('setrlimit', ['int', 'hex'], () => 0),
  R('umask', ['mode'], (k, a) => {
    const old = k.umask;
    k.umask = a[0] & 0o777;
    return old;
  }),
  R('getcpu', ['hex', 'hex', 'hex'], (k, a) => {
    if (a[0]) k.mem.write32(a[0], 0);
    if (a[1]) k.mem.write32(a[1], 0);
    return 0;
  }),
  R('socket', ['int', 'int', 'int'], () => -E.EAFNOSUPPORT),
  R('sendfile64', ['fd', 'fd', 'hex', 'uint'], (k, a) => sendfile(k, a[0], a[1], a[2], a[3], true)),
  R('sendfile', ['fd', 'fd', 'hex', 'uint'], (k, a) => sendfile(k, a[0], a[1], a[2], a[3], false)),
  R('fadvise64', ['fd', 'int', 'int', 'int', 'int', 'int', 'int'], (k, a) => (k.file(a[0]) ? 0 : -E.EBADF)),
  R('fadvise64_64', ['fd', 'int', 'int', 'int', 'int', 'int'], (k, a) => (k.file(a[0]) ? 0 : -E.EBADF)),
  // One thread, blocking I/O: every descriptor a guest polls is reported ready, and the
  // read or write that follows blocks as the host's does.
  R('poll', ['hex', 'uint', 'int'], (k, a) => pollReady(k, a[0], a[1])),
  R('ppoll', ['hex', 'uint', 'hex', 'hex'], (k, a) => pollReady(k, a[0], a[1])),
  R('ppoll_time64', ['hex', 'uint', 'hex', 'hex'], (k, a) => pollReady(k, a[0], a[1])),
  R('_newselect', ['int', 'hex', 'hex', 'hex', 'hex'], (k, a) => selectReady(k, a[0], [a[1], a[2], a[3]])),
  R('pselect6', ['int', 'hex', 'hex', 'hex', 'hex', 'hex'], (k, a) => selectReady(k, a[0], [a[1], a[2], a[3]])),
  R('pselect6_time64', ['int', 'hex', 'hex', 'hex', 'hex', 'hex'], (k, a) => selectReady(k, a[0], [a[1], a[2], a[3]])),
  R('getrusage', ['int', 'hex'], (k, a) => {
    if (!k.mem.checkRange(a[1], 72, true)) return -E.EFAULT;
    k.mem.bytes.fill(0, a[1], a[1] + 72);
    const u = process.cpuUsage();
    new StructWriter(k.mem, a[1]).i32(0, Math.floor(u.user / 1e6)).i32(4, u.user % 1e6)
      .i32(8, Math.floor(u.system / 1e6)).i32(12, u.system % 1e6).i32(16, Math.floor(process.memoryUsage.rss() / 1024));
    return 0;
  }),
  R('times', ['hex'], (k, a) => {
    const u = process.cpuUsage();
    if (a[0]) {
      if (!k.mem.checkRange(a[0], 16, true)) return -E.EFAULT;
      new StructWriter(k.mem, a[0]).u32(0, u.user / 1e4).u32(4, u.system / 1e4).u32(8, 0).u32(12, 0);
    }
    return Math.floor(performance.now() / 10) | 0;
  }),
  R('utimensat', ['dirfd', 'path', 'hex', 'atflags'], (k, a) => {
    const p = a[1] ? k.pathArg(a[1], a[0] | 0) : null;
    if (typeof p === 'number') return p;
    if (p === null) return -E.ENOSYS;
    try {
      const now = Date.now() / 1000;
      let at = now, mt = now;
      if (a[2]) {
        // Each timespec is a time, or UTIME_NOW ((1 << 30) - 1) or UTIME_OMIT ((1 << 30) - 2) in tv_nsec.
        const UTIME_NOW = 0x3fffffff, UTIME_OMIT = 0x3ffffffe;
        const nsec = [k.mem.read32(a[2] + 4), k.mem.read32(a[2] + 12)];
        const st = nsec.includes(UTIME_OMIT) ? fs.statSync(p) : null;
        const time = (i: number, omitted: number) => (nsec[i] === UTIME_NOW ? now : nsec[i] === UTIME_OMIT ? omitted
          : Number(readTimespecNs(k, a[2] + 8 * i, false)) / 1e9);
        at = time(0, st ? st.atimeMs / 1000 : now);
        mt = time(1, st ? st.mtimeMs / 1000 : now);
      }
      fs.utimesSync(p, at, mt);
      return 0;
    } catch (e) {
      return hostErrno(e);
    }
  }),
  R('statfs64', ['path', 'uint', 'hex'], (k, a) => statfs(k, a[0], null, a[1], a[2])),
  R('fstatfs64', ['fd', 'uint', 'hex'], (k, a) => statfs(k, 0, a[0], a[1], a[2])),
  R('prctl', ['int', 'hex', 'hex', 'hex', 'hex'], (k, a) => prctl(k, a)),
];

// An arch's private extras (set_thread_area, cacheflush...) are added by the arch layer.
export const GENERIC_SYSCALLS = new Map([...records, ...PROCESS_SYSCALLS, ...SIGNAL_SYSCALLS].map((r) => [r.name, r]));

export { SIG_DFL, SIG_IGN };
