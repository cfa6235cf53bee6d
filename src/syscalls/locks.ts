// File locks: fcntl's record locks (F_GETLK/F_SETLK/F_SETLKW, their 64-bit twins and the
// open-file-description F_OFD_* locks) and flock(2), all taken on the host descriptor, so
// that they hold between guest processes and against host programs, and F_GETLK names the
// holder's pid (a guest pid is its host pid). A lock that must wait is retried from the
// waiting guest thread (retryAfter) instead of blocking the host thread. The host kernel
// then never sees that waiter, so it cannot find a deadlock through it: a waiting urun
// process says what it waits for in a small file of its own (lockWaits), and a F_SETLKW
// about to wait looks for the cycle itself, in /proc/locks and those files (EDEADLK).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Kernel, OpenFile } from './kernel.js';
import { E } from './errno.js';
import { libc } from '../host/libc.js';
import { retryAfter } from './blocking.js';
import { hostStatFields } from '../host/proc-stat.js';

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
  if (op !== 'wait') return r;
  const tid = k.callerTid;
  if (r !== -E.EAGAIN && r !== -E.EACCES) {
    lockWaits.end(tid);
    return r;
  }
  // Linux looks for a deadlock each time a POSIX lock would wait (OFD locks: never).
  if (!ofd) {
    const want = wantedRange(f, lock);
    if (want && deadlocked(want)) {
      lockWaits.end(tid);
      return -E.EDEADLK;
    }
    if (want) lockWaits.begin(tid, want);
  }
  const w = retryAfter(k, LOCK_RETRY_MS);
  lockWaits.end(tid); // interrupted (a wait throws)
  return w;
}

// ---- deadlock detection for F_SETLKW ----

/** A lock, held or wanted, as /proc/locks names it: the file, the bytes (end inclusive), the owner. */
interface LockRange { dev: string; ino: string; start: bigint; end: bigint; write: boolean; pid: number }

const OFFSET_MAX = 2n ** 63n - 1n;
/** How far Linux follows a chain of waiters (MAX_DEADLK_ITERATIONS). */
const MAX_DEADLOCK_STEPS = 10;

/** The file and absolute range a host struct flock asks for (flock_to_posix_lock); null: not a lock to look at. */
function wantedRange(f: OpenFile, lock: Buffer): LockRange | null {
  const type = lock.readInt16LE(0);
  if (type === F_UNLCK) return null;
  let st: fs.BigIntStats;
  try {
    st = fs.fstatSync(f.hostFd, { bigint: true });
  } catch {
    return null;
  }
  const whence = lock.readInt16LE(2);
  let base = 0n;
  if (whence === 1) base = libc().lseekExact(f.hostFd, 0n, 1);
  else if (whence === 2) base = st.size;
  if (base < 0n) return null;
  let start = base + lock.readBigInt64LE(8), end = OFFSET_MAX;
  const len = lock.readBigInt64LE(16);
  if (len > 0n) end = start + len - 1n;
  else if (len < 0n) {
    end = start - 1n;
    start += len;
  }
  // /proc/locks's "%02x:%02x:%lu": the device's major and minor (new_encode_dev's split), the inode.
  const dev = st.dev;
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  const hex = (n: bigint) => n.toString(16).padStart(2, '0');
  return { dev: `${hex(major)}:${hex(minor)}`, ino: st.ino.toString(), start, end, write: type === 1, pid: process.pid };
}

const conflicts = (a: LockRange, b: LockRange): boolean =>
  a.dev === b.dev && a.ino === b.ino && a.pid !== b.pid && (a.write || b.write) && a.start <= b.end && b.start <= a.end;

/** The POSIX locks /proc/locks lists: those held, and the waits of host processes blocked in the kernel. */
function hostLocks(): { held: LockRange[]; waits: LockRange[] } {
  const held: LockRange[] = [], waits: LockRange[] = [];
  let text: string;
  try {
    text = fs.readFileSync('/proc/locks', 'latin1');
  } catch {
    return { held, waits };
  }
  // "1: POSIX  ADVISORY  WRITE 1234 fe:00:2506798 5 14", a waiter "1: -> POSIX ..."
  const re = /^\d+: (-> )?POSIX +\S+ +(READ|WRITE) +(-?\d+) +([0-9a-f]+:[0-9a-f]+):(\d+) +(\d+) +(\d+|EOF)$/gm;
  for (const m of text.matchAll(re)) {
    const l: LockRange = { dev: m[4], ino: m[5], start: BigInt(m[6]), end: m[7] === 'EOF' ? OFFSET_MAX : BigInt(m[7]), write: m[2] === 'WRITE', pid: Number(m[3]) };
    (m[1] ? waits : held).push(l);
  }
  return { held, waits };
}

/**
 * Whether waiting for `want` would close a cycle of waiters (posix_locks_deadlock): a holder
 * of a conflicting lock waits, through other waiters, for a lock this process holds. Looked
 * at on every try, as Linux does at every wake-up: a host program that came to wait in the
 * kernel since cannot see this process wait, so here this process is the one that fails.
 */
function deadlocked(want: LockRange): boolean {
  const others = lockWaits.othersWaiting();
  const { held, waits } = hostLocks();
  const waitsOf = (pid: number): LockRange[] => [...(others.get(pid) ?? []), ...waits.filter((w) => w.pid === pid)];
  let frontier = [want];
  const seen = new Set<number>();
  for (let step = 0; step < MAX_DEADLOCK_STEPS && frontier.length > 0; step++) {
    const next: LockRange[] = [];
    for (const w of frontier) {
      for (const h of held) {
        if (!conflicts(w, h)) continue;
        if (h.pid === want.pid) return true;
        if (seen.has(h.pid)) continue;
        seen.add(h.pid);
        next.push(...waitsOf(h.pid));
      }
    }
    frontier = next;
  }
  return false;
}

/**
 * The record locks this process's threads wait for, in a file of its own that other urun
 * processes read (/dev/shm/urun-locks-<uid>/<pid>: a line per waiting thread), with the
 * process's start time so that a file a dead process left is not taken for a new one's.
 */
const lockWaits = new (class {
  private waiting = new Map<number, LockRange>();
  private dir = path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), `urun-locks-${process.getuid?.() ?? 0}`);
  private written = '';
  private cleanup = false;

  begin(tid: number, want: LockRange): void {
    this.waiting.set(tid, want);
    this.write();
  }

  end(tid: number): void {
    if (this.waiting.delete(tid)) this.write();
  }

  /** Every other urun process that waits now: what it waits for. */
  othersWaiting(): Map<number, LockRange[]> {
    const all = new Map<number, LockRange[]>();
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return all;
    }
    for (const name of names) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || pid === process.pid) continue;
      let lines: string[];
      try {
        lines = fs.readFileSync(path.join(this.dir, name), 'latin1').split('\n');
      } catch {
        continue;
      }
      const started = startTime(pid);
      if (lines[0] !== started) {
        // Left by a process gone (killed by a signal urun did not hear): removed. (An empty
        // first line is a file being written.)
        if (started === '' || lines[0] !== '') fs.rmSync(path.join(this.dir, name), { force: true });
        continue;
      }
      const waits = lines.slice(1).filter((l) => l).map((l) => {
        const [dev, ino, start, end, write] = l.split(' ');
        return { dev, ino, start: BigInt(start), end: BigInt(end), write: write === '1', pid };
      });
      if (waits.length > 0) all.set(pid, waits);
    }
    return all;
  }

  private write(): void {
    const file = path.join(this.dir, String(process.pid));
    const text = this.waiting.size === 0 ? '' : [startTime(process.pid), ...[...this.waiting.values()].map((w) => `${w.dev} ${w.ino} ${w.start} ${w.end} ${w.write ? 1 : 0}`)].join('\n') + '\n';
    if (text === this.written) return;
    try {
      if (text === '') {
        fs.rmSync(file, { force: true });
      } else {
        if (!this.cleanup) {
          this.cleanup = true;
          fs.mkdirSync(this.dir, { mode: 0o700, recursive: true });
          process.once('exit', () => fs.rmSync(file, { force: true }));
        }
        fs.writeFileSync(file, text, { mode: 0o600 });
      }
      this.written = text;
    } catch {
      // Not published: other processes find no deadlock through this one.
    }
  }
})();

/** A process's start time (/proc/<pid>/stat's 22nd field), '' for one gone. */
const startTime = (pid: number): string => hostStatFields(pid)?.[22 - 3] ?? '';

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
