// File locks: fcntl's record locks (F_GETLK/F_SETLK/F_SETLKW, their 64-bit twins and the
// open-file-description F_OFD_* locks) and flock(2), all taken on the host descriptor, so
// that they hold between guest processes and against host programs, and F_GETLK names the
// holder's pid (a guest pid is its host pid). A lock that must wait is retried from the
// waiting guest thread (retryAfter) instead of blocking the host thread.
import type { Kernel } from './kernel.js';
import { E } from './errno.js';
import { libc } from '../host/libc.js';
import { retryAfter } from './blocking.js';

/** Host (x86-64) fcntl lock commands and struct flock: l_type, l_whence, l_start@8, l_len@16, l_pid@24. */
const HOST_F_GETLK = 5, HOST_F_SETLK = 6;
const HOST_F_OFD_GETLK = 36, HOST_F_OFD_SETLK = 37, HOST_F_OFD_SETLKW = 38;
const HOST_FLOCK_SIZE = 32;
const F_UNLCK = 2;
const LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
/** How long a waiting lock sleeps between tries. */
const LOCK_RETRY_MS = 10;

type Layout = 'flock' | 'flock64';

/** Whether `cmd` is a lock command; if so, runs it. fcntl64 passes `wide`: F_OFD_* then take struct flock64. */
export function fcntlLock(k: Kernel, fd: number, cmd: number, arg: number, wide: boolean): number | undefined {
  const c = k.abi.fcntlLocks;
  arg >>>= 0; // a struct flock's address
  switch (cmd) {
    case c.GETLK: return recordLock(k, fd, 'get', false, arg, 'flock');
    case c.SETLK: return recordLock(k, fd, 'set', false, arg, 'flock');
    case c.SETLKW: return recordLock(k, fd, 'wait', false, arg, 'flock');
    case c.GETLK64: return recordLock(k, fd, 'get', false, arg, 'flock64');
    case c.SETLK64: return recordLock(k, fd, 'set', false, arg, 'flock64');
    case c.SETLKW64: return recordLock(k, fd, 'wait', false, arg, 'flock64');
    case HOST_F_OFD_GETLK: return recordLock(k, fd, 'get', true, arg, wide ? 'flock64' : 'flock');
    case HOST_F_OFD_SETLK: return recordLock(k, fd, 'set', true, arg, wide ? 'flock64' : 'flock');
    case HOST_F_OFD_SETLKW: return recordLock(k, fd, 'wait', true, arg, wide ? 'flock64' : 'flock');
    default: return undefined;
  }
}

/** Reads the guest's struct flock/flock64 into the host's layout; null on a bad address. */
function readFlock(k: Kernel, addr: number, layout: Layout): Buffer | null {
  const size = layout === 'flock64' ? 32 : k.abi.fcntlLocks.flockSize;
  if (!k.mem.checkRange(addr, size, false)) return null;
  const v = k.mem.view, le = k.mem.littleEndian;
  const host = Buffer.alloc(HOST_FLOCK_SIZE);
  host.writeInt16LE(v.getInt16(addr, le), 0);
  host.writeInt16LE(v.getInt16(addr + 2, le), 2);
  if (layout === 'flock64') {
    // 64-bit members are 8-byte aligned on both o32 and EABI: padding after l_whence.
    host.writeBigInt64LE(v.getBigInt64(addr + 8, le), 8);
    host.writeBigInt64LE(v.getBigInt64(addr + 16, le), 16);
    host.writeInt32LE(v.getInt32(addr + 24, le), 24);
  } else {
    host.writeBigInt64LE(BigInt(v.getInt32(addr + 4, le)), 8);
    host.writeBigInt64LE(BigInt(v.getInt32(addr + 8, le)), 16);
    host.writeInt32LE(v.getInt32(addr + k.abi.fcntlLocks.flockPidAt, le), 24);
  }
  return host;
}

/** Writes F_GETLK's answer back; EOVERFLOW when a 32-bit struct flock cannot hold it. */
function writeFlock(k: Kernel, addr: number, layout: Layout, host: Buffer): number {
  const v = k.mem.view, le = k.mem.littleEndian;
  const start = host.readBigInt64LE(8), len = host.readBigInt64LE(16);
  v.setInt16(addr, host.readInt16LE(0), le);
  v.setInt16(addr + 2, host.readInt16LE(2), le);
  if (layout === 'flock64') {
    v.setBigInt64(addr + 8, start, le);
    v.setBigInt64(addr + 16, len, le);
    v.setInt32(addr + 24, host.readInt32LE(24), le);
    return 0;
  }
  const fits = (n: bigint) => n >= -(2n ** 31n) && n < 2n ** 31n;
  if (host.readInt16LE(0) !== F_UNLCK && (!fits(start) || !fits(len))) return -E.EOVERFLOW;
  v.setInt32(addr + 4, Number(start), le);
  v.setInt32(addr + 8, Number(len), le);
  v.setInt32(addr + k.abi.fcntlLocks.flockPidAt, host.readInt32LE(24), le);
  return 0;
}

function recordLock(k: Kernel, fd: number, op: 'get' | 'set' | 'wait', ofd: boolean, addr: number, layout: Layout): number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  const lock = readFlock(k, addr, layout);
  if (!lock) return -E.EFAULT;
  const h = libc();
  if (op === 'get') {
    const r = h.fcntlPtr(f.hostFd, ofd ? HOST_F_OFD_GETLK : HOST_F_GETLK, lock);
    return r < 0 ? r : writeFlock(k, addr, layout, lock);
  }
  // F_SETLKW is F_SETLK tried again until it succeeds (or a signal comes).
  const r = h.fcntlPtr(f.hostFd, ofd ? HOST_F_OFD_SETLK : HOST_F_SETLK, lock);
  if (op === 'wait' && (r === -E.EAGAIN || r === -E.EACCES)) return retryAfter(k, LOCK_RETRY_MS);
  return r;
}

/** flock(2) on the host description; a blocking request is retried as LOCK_NB. */
export function flock(k: Kernel, fd: number, op: number): number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  const kind = op & ~LOCK_NB;
  if (kind !== LOCK_SH && kind !== LOCK_EX && kind !== LOCK_UN) return -E.EINVAL;
  const r = libc().flock(f.hostFd, op | LOCK_NB);
  if (r === -E.EAGAIN && !(op & LOCK_NB)) return retryAfter(k, LOCK_RETRY_MS);
  return r;
}
