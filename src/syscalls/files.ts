// File syscalls: descriptors, reads and writes, paths, metadata, directories, pipes, ioctl and fcntl.
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { SIGPIPE } from '../engine/signals.js';
import { NS, StructWriter } from './abi.js';
import { readTimespecNs } from './time.js';
import { awaitReady, mayBlock, pollNow } from './blocking.js';
import { eventFileIo, isEventFile } from './eventfds.js';
import { POLLIN, POLLOUT } from '../engine/signals.js';
import type { HostStat, OpenFlag } from './abi.js';
import { E, hostErrno } from './errno.js';
import { Kernel, OpenFile, Dirent64, hostFile } from './kernel.js';
import { sleepMs } from './signals.js';
import { openProcSelf, procSelfLink } from './procfs.js';
import { F_GETFL, F_SETFL, HOST_O_CLOEXEC, HOST_O_NONBLOCK, libc } from '../host/libc.js';
import { R, arg64, AT_FDCWD, AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, AT_EMPTY_PATH } from './records.js';
import type { SyscallRecord } from './records.js';

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
  if (pos === null && isEventFile(f)) return eventFileIo(k, f, addr, len, write); // eventfd, timerfd, signalfd
  if (!k.mem.checkRange(addr, len, !write)) return -E.EFAULT;
  const ready = pos === null ? awaitReady(k, f, write) : 0;
  return ready < 0 ? ready : transfer(k, f, addr, len, write, pos);
}

function transfer(k: Kernel, f: OpenFile, addr: number, len: number, write: boolean, pos: number | null): number {
  const buf = k.mem.slice(addr, len, !write);
  if (!buf) return -E.EFAULT;
  return write ? writeFrom(k, f, buf, pos) : readInto(k, f, buf, pos);
}

function rwv(k: Kernel, fd: number, iov: number, cnt: number, write: boolean, pos: number | null): number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  const vecs = iovecs(k, iov, cnt);
  if (!vecs) return cnt < 0 || cnt > 1024 ? -E.EINVAL : -E.EFAULT;
  const ready = pos === null ? awaitReady(k, f, write) : 0;
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

export const FILE_SYSCALLS: SyscallRecord[] = [
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
  R('sendfile64', ['fd', 'fd', 'hex', 'uint'], (k, a) => sendfile(k, a[0], a[1], a[2], a[3], true)),
  R('sendfile', ['fd', 'fd', 'hex', 'uint'], (k, a) => sendfile(k, a[0], a[1], a[2], a[3], false)),
  R('fadvise64', ['fd', 'int', 'int', 'int', 'int', 'int', 'int'], (k, a) => (k.file(a[0]) ? 0 : -E.EBADF)),
  R('fadvise64_64', ['fd', 'int', 'int', 'int', 'int', 'int'], (k, a) => (k.file(a[0]) ? 0 : -E.EBADF)),
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
];

