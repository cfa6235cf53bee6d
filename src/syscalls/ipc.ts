// System V IPC: shared memory segments, semaphore sets and message queues are the host's own,
// so they work between guest processes and with host programs, and keys, ids, permissions,
// IPC_RMID and SEM_UNDO behave as Linux's. What is urun's: the guest's struct layouts (per
// arch), the attachment of segments into guest memory (a SysvRegion), and blocking: an
// operation is made with IPC_NOWAIT on the host and, when it would block, the calling thread
// waits a few milliseconds and makes it again (a blocked host thread would stall every guest
// thread whose calls it serves). ARM has the direct calls; MIPS o32 glibc uses `ipc`.
import * as fs from 'node:fs';
import { libc } from '../host/libc.js';
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, pageAlignUp } from '../memory/memory.js';
import { StructWriter } from './abi.js';
import { waitForFds } from './blocking.js';
import { E } from './errno.js';
import type { Kernel } from './kernel.js';
import { R } from './records.js';
import type { SyscallRecord } from './records.js';
import { timespecArg } from './time.js';

// Flags and commands (the same numbers on every Linux arch).
const IPC_NOWAIT = 0o4000, IPC_64 = 0x100;
const IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_INFO = 3;
const SHM_RDONLY = 0o10000, SHM_RND = 0o20000, SHM_REMAP = 0o40000, SHM_EXEC = 0o100000;
const SHM_LOCK = 11, SHM_UNLOCK = 12, SHM_STAT = 13, SHM_INFO = 14, SHM_STAT_ANY = 15;
const GETPID = 11, GETVAL = 12, GETALL = 13, GETNCNT = 14, GETZCNT = 15, SETVAL = 16, SETALL = 17;
const SEM_STAT = 18, SEM_INFO = 19, SEM_STAT_ANY = 20;
const MSG_STAT = 11, MSG_INFO = 12, MSG_STAT_ANY = 13;
const ENOMSG = 42, EIDRM = 43, E2BIG = 7;

/**
 * How long a blocked semop, msgsnd or msgrcv waits before trying again: from 1 ms, doubling
 * up to 25 ms while the process's waits go on, back to 1 ms once one succeeds. Short waits
 * (a contended lock) end quickly, long ones (a server waiting for messages) cost little.
 * (One value per process: its threads' waits share it.)
 */
const RETRY_MIN_MS = 1, RETRY_MAX_MS = 25;
let retryMs = RETRY_MIN_MS;

// Host (x86-64) struct sizes and offsets: ipc64_perm is 48 bytes.
const HOST_SHMID_DS = 112, HOST_SEMID_DS = 104, HOST_MSQID_DS = 120;
// Guest structs (ipc64_perm, their first member, is 36 bytes on both arches).
const GUEST_SIZE = {
  shm: { mips: 72, generic: 84 },
  sem: { mips: 56, generic: 64 },
  msg: { mips: 88, generic: 88 },
};

/** A host limit from /proc/sys/kernel (read once), or `fallback`. */
const limits = new Map<string, number>();
function hostLimit(name: string, field: number, fallback: number): number {
  const key = `${name}:${field}`;
  let v = limits.get(key);
  if (v === undefined) {
    try {
      v = Number(fs.readFileSync(`/proc/sys/kernel/${name}`, 'latin1').trim().split(/\s+/)[field]);
    } catch {
      v = NaN;
    }
    if (!Number.isFinite(v) || v <= 0) v = fallback;
    limits.set(key, v);
  }
  return v;
}

/**
 * Makes a SysV operation that would block (`wouldBlock`, with IPC_NOWAIT on the host) wait
 * and try again, as the guest asked; `timeoutMs` null: no limit. A signal during the wait ends
 * it with EINTR (SysV calls are never restarted, SA_RESTART or not). An id that stops being
 * valid between attempts was removed: EIDRM, as Linux tells its sleepers.
 */
function blocking(k: Kernel, attempt: () => number, wouldBlock: number, noWait: boolean, timeoutMs: number | null): number {
  const t = k.signals;
  const retry = t.waitDeadline !== null;
  if (t.waitInterrupted) {
    t.waitInterrupted = false;
    t.waitDeadline = null;
    return -E.EINTR;
  }
  const r = attempt();
  if (retry && r === -E.EINVAL) return -EIDRM;
  if (r !== -wouldBlock || noWait) {
    if (retry) retryMs = RETRY_MIN_MS;
    return r;
  }
  const wait = retryMs;
  retryMs = Math.min(2 * retryMs, RETRY_MAX_MS);
  return waitForFds(k, [], timeoutMs, false, wait) === 'timeout' ? -E.EAGAIN : -E.EINTR;
}

// ---- struct conversion ----

const u64 = (b: Buffer, off: number): number => Number(b.readBigUInt64LE(off));
const i64 = (b: Buffer, off: number): bigint => b.readBigInt64LE(off);

/** A 64-bit host time as the guest's two halves. */
const lowHigh = (t: bigint): [number, number] => [Number(BigInt.asUintN(32, t)), Number(BigInt.asUintN(32, t >> 32n))];

function writePerm(k: Kernel, w: StructWriter, host: Buffer): void {
  w.i32(0, host.readInt32LE(0)); // key
  for (let off = 4; off <= 16; off += 4) w.u32(off, host.readUInt32LE(off)); // uid gid cuid cgid
  const mode = host.readUInt32LE(20);
  if (k.abi.sysvIpc.layout === 'mips') w.u32(20, mode);
  else w.u16(20, mode).u16(22, 0);
  w.u16(24, host.readUInt16LE(24)).u16(26, 0).u32(28, 0).u32(32, 0); // seq, padding
}

/** Reads what IPC_SET takes from a guest ipc64_perm (uid, gid, mode) into a host one. */
function readPerm(k: Kernel, addr: number, host: Buffer): void {
  const v = k.mem.view, le = k.mem.littleEndian;
  host.writeUInt32LE(v.getUint32(addr + 4, le), 4);
  host.writeUInt32LE(v.getUint32(addr + 8, le), 8);
  host.writeUInt32LE(k.abi.sysvIpc.layout === 'mips' ? v.getUint32(addr + 20, le) : v.getUint16(addr + 20, le), 20);
}

function writeShmid(k: Kernel, addr: number, h: Buffer): void {
  const w = new StructWriter(k.mem, addr);
  writePerm(k, w, h);
  const [at, atHi] = lowHigh(i64(h, 56)), [dt, dtHi] = lowHigh(i64(h, 64)), [ct, ctHi] = lowHigh(i64(h, 72));
  w.u32(36, u64(h, 48)); // segsz
  if (k.abi.sysvIpc.layout === 'mips') {
    w.u32(40, at).u32(44, dt).u32(48, ct).i32(52, h.readInt32LE(80)).i32(56, h.readInt32LE(84)).u32(60, u64(h, 88))
      .u16(64, atHi).u16(66, dtHi).u16(68, ctHi).u16(70, 0);
  } else {
    w.u32(40, at).u32(44, atHi).u32(48, dt).u32(52, dtHi).u32(56, ct).u32(60, ctHi)
      .i32(64, h.readInt32LE(80)).i32(68, h.readInt32LE(84)).u32(72, u64(h, 88)).u32(76, 0).u32(80, 0);
  }
}

function writeSemid(k: Kernel, addr: number, h: Buffer): void {
  const w = new StructWriter(k.mem, addr);
  writePerm(k, w, h);
  const [ot, otHi] = lowHigh(i64(h, 48)), [ct, ctHi] = lowHigh(i64(h, 64));
  const nsems = u64(h, 80);
  if (k.abi.sysvIpc.layout === 'mips') w.u32(36, ot).u32(40, ct).u32(44, nsems).u32(48, otHi).u32(52, ctHi);
  else w.u32(36, ot).u32(40, otHi).u32(44, ct).u32(48, ctHi).u32(52, nsems).u32(56, 0).u32(60, 0);
}

function writeMsqid(k: Kernel, addr: number, h: Buffer): void {
  const w = new StructWriter(k.mem, addr);
  writePerm(k, w, h);
  // Each time as two words, the high one first on big-endian MIPS.
  const highFirst = k.abi.sysvIpc.layout === 'mips' && !k.mem.littleEndian;
  [48, 56, 64].forEach((hostOff, i) => {
    const [lo, hi] = lowHigh(i64(h, hostOff));
    w.u32(36 + 8 * i, highFirst ? hi : lo).u32(40 + 8 * i, highFirst ? lo : hi);
  });
  w.u32(60, u64(h, 72)).u32(64, u64(h, 80)).u32(68, u64(h, 88)).i32(72, h.readInt32LE(96)).i32(76, h.readInt32LE(100))
    .u32(80, 0).u32(84, 0);
}

/** A host unsigned long as a guest one (saturating). */
const clampU32 = (v: bigint): number => Number(v > 0xffffffffn ? 0xffffffffn : v);

type Kind = 'shm' | 'sem' | 'msg';

/**
 * The commands with a struct argument (IPC_STAT, IPC_SET, the *_STAT and *_INFO ones): only
 * the IPC_64 layouts, which glibc and musl always ask for, are converted.
 */
function oldLayout(k: Kernel, kind: Kind, cmd: number): number {
  k.warnOnce(`ipc-old-${kind}`, `urun: ${kind}ctl command ${cmd} without IPC_64 (old struct layouts) is not supported: returning EINVAL`);
  return -E.EINVAL;
}

/** IPC_STAT and the *_STAT commands: the host's struct, converted into the guest's. */
function stat(k: Kernel, kind: Kind, buf: number, hostCall: (b: Buffer) => number): number {
  const size = GUEST_SIZE[kind][k.abi.sysvIpc.layout];
  const host = Buffer.alloc(kind === 'shm' ? HOST_SHMID_DS : kind === 'sem' ? HOST_SEMID_DS : HOST_MSQID_DS);
  const r = hostCall(host);
  if (r < 0) return r;
  if (!k.mem.checkRange(buf, size, true)) return -E.EFAULT;
  (kind === 'shm' ? writeShmid : kind === 'sem' ? writeSemid : writeMsqid)(k, buf, host);
  return r;
}

/** IPC_SET: uid, gid and mode (and a queue's msg_qbytes) from the guest's struct. */
function set(k: Kernel, kind: Kind, buf: number, hostCall: (b: Buffer) => number): number {
  if (!k.mem.checkRange(buf, GUEST_SIZE[kind][k.abi.sysvIpc.layout], false)) return -E.EFAULT;
  const host = Buffer.alloc(kind === 'shm' ? HOST_SHMID_DS : kind === 'sem' ? HOST_SEMID_DS : HOST_MSQID_DS);
  readPerm(k, buf, host);
  if (kind === 'msg') host.writeBigUInt64LE(BigInt(k.mem.view.getUint32(buf + 68, k.mem.littleEndian)), 88);
  return hostCall(host);
}

/** Copies `count` host 32-bit words into the guest (the info structs of int fields). */
function writeWords(k: Kernel, addr: number, host: Buffer, count: number): boolean {
  if (!k.mem.checkRange(addr, 4 * count, true)) return false;
  const w = new StructWriter(k.mem, addr);
  for (let i = 0; i < count; i++) w.i32(4 * i, host.readInt32LE(4 * i));
  return true;
}

// ---- shared memory ----

function shmat(k: Kernel, shmid: number, addr: number, flags: number): number {
  const h = libc();
  const lba = k.abi.sysvIpc.shmlba;
  if (addr !== 0) {
    if (addr & (lba - 1)) {
      if (!(flags & SHM_RND)) return -E.EINVAL;
      addr -= addr & (lba - 1);
      if (addr === 0) return -E.EINVAL; // (Linux tries to map page 0, which is never allowed)
    }
  } else if (flags & SHM_REMAP) {
    return -E.EINVAL;
  }
  const st = Buffer.alloc(HOST_SHMID_DS);
  const r = h.shmctl(shmid, IPC_STAT, st);
  if (r < 0) return r;
  const size = pageAlignUp(u64(st, 48));
  if (size === 0 || size > 0xffffffff) return -E.ENOMEM;
  if (addr + size > k.layout.taskSize) return -E.EINVAL;
  if (addr !== 0 && !(flags & SHM_REMAP)) {
    if (k.mem.anyMapped(addr, size)) return -E.EINVAL;
  }
  const writable = !(flags & SHM_RDONLY);
  const prot = PROT_READ | (writable ? PROT_WRITE : 0) | (flags & SHM_EXEC ? PROT_EXEC : 0);
  // At a given address the attachment replaces what is there (SHM_REMAP) only once it is
  // made: a failed shmat leaves the old mapping, and a segment attached there stays attached.
  const at = addr !== 0 ? addr : k.mapRegion(0, size, prot, false, false, { shared: true });
  if (at < 0) return at;
  const err = k.mem.attachSysv(at, size, prot, shmid, 0, size, writable);
  if (err < 0) {
    if (addr === 0) k.mem.unmap(at, size);
    return err;
  }
  // /proc/self/maps names the segment as Linux does (its file in the internal shm mount).
  const key = st.readUInt32LE(0).toString(16).padStart(8, '0');
  k.nameRange(at, at + size, `/SYSV${key} (deleted)`);
  return at;
}

/** Detaches the attachment made at `addr` (what is left of it, if parts were unmapped). */
function shmdt(k: Kernel, addr: number): number {
  if (addr % PAGE_SIZE) return -E.EINVAL;
  let parts = k.mem.sharedRegions.filter((r) => r.shmid !== undefined && r.addr - r.offset === addr);
  if (parts.length === 0) return -E.EINVAL;
  // The segment of the lowest such part is detached (as Linux, which goes up from addr).
  const first = parts.reduce((a, b) => (b.addr < a.addr ? b : a));
  parts = parts.filter((r) => r.shmid === first.shmid);
  for (const r of parts) {
    k.mem.unmap(r.addr, r.len);
    k.nameRange(r.addr, r.addr + r.len, null);
  }
  return 0;
}

function shmctl(k: Kernel, shmid: number, cmd: number, buf: number): number {
  const h = libc();
  const v64 = (cmd & IPC_64) !== 0;
  cmd &= ~IPC_64;
  switch (cmd) {
    case IPC_RMID: case SHM_LOCK: case SHM_UNLOCK:
      return h.shmctl(shmid, cmd, null);
    case IPC_STAT: case SHM_STAT: case SHM_STAT_ANY:
      return v64 ? stat(k, 'shm', buf, (b) => h.shmctl(shmid, cmd, b)) : oldLayout(k, 'shm', cmd);
    case IPC_SET:
      return v64 ? set(k, 'shm', buf, (b) => h.shmctl(shmid, cmd, b)) : oldLayout(k, 'shm', cmd);
    case IPC_INFO: {
      // struct shminfo64: nine unsigned longs. shmmax as a compat (32-bit) kernel caps it.
      if (!v64) return oldLayout(k, 'shm', cmd);
      const host = Buffer.alloc(72);
      const r = h.shmctl(shmid, cmd, host);
      if (r < 0) return r;
      if (!k.mem.checkRange(buf, 36, true)) return -E.EFAULT;
      const w = new StructWriter(k.mem, buf);
      for (let i = 0; i < 9; i++) {
        const v = host.readBigUInt64LE(8 * i);
        w.u32(4 * i, i === 0 && v > 0x7fffffffn ? 0x7fffffff : clampU32(v));
      }
      return r;
    }
    case SHM_INFO: {
      // struct shm_info: int used_ids, then five unsigned longs.
      const host = Buffer.alloc(48);
      const r = h.shmctl(shmid, cmd, host);
      if (r < 0) return r;
      if (!k.mem.checkRange(buf, 24, true)) return -E.EFAULT;
      const w = new StructWriter(k.mem, buf).i32(0, host.readInt32LE(0));
      for (let i = 1; i < 6; i++) w.u32(4 * i, clampU32(host.readBigUInt64LE(8 * i)));
      return r;
    }
    default:
      return -E.EINVAL;
  }
}

// ---- semaphores ----

function nsemsOf(semid: number): number {
  const host = Buffer.alloc(HOST_SEMID_DS);
  const r = libc().semctl(semid, 0, IPC_STAT, host);
  return r < 0 ? r : u64(host, 80);
}

/** semctl; `arg` is union semun as the guest passed it (a value or an address). */
function semctl(k: Kernel, semid: number, semnum: number, cmd: number, arg: number): number {
  const h = libc();
  const v64 = (cmd & IPC_64) !== 0;
  cmd &= ~IPC_64;
  const le = k.mem.littleEndian;
  switch (cmd) {
    case IPC_RMID: case GETPID: case GETVAL: case GETNCNT: case GETZCNT:
      return h.semctl(semid, semnum, cmd, 0);
    case SETVAL:
      return h.semctl(semid, semnum, cmd, arg | 0);
    case GETALL: {
      const n = nsemsOf(semid);
      if (n < 0) return n;
      const host = Buffer.alloc(2 * n);
      const r = h.semctl(semid, 0, cmd, host);
      if (r < 0) return r;
      if (!k.mem.checkRange(arg, 2 * n, true)) return -E.EFAULT;
      for (let i = 0; i < n; i++) k.mem.view.setUint16(arg + 2 * i, host.readUInt16LE(2 * i), le);
      return r;
    }
    case SETALL: {
      const n = nsemsOf(semid);
      if (n < 0) return n;
      if (!k.mem.checkRange(arg, 2 * n, false)) return -E.EFAULT;
      const host = Buffer.alloc(2 * n);
      for (let i = 0; i < n; i++) host.writeUInt16LE(k.mem.view.getUint16(arg + 2 * i, le), 2 * i);
      return h.semctl(semid, 0, cmd, host);
    }
    case IPC_STAT: case SEM_STAT: case SEM_STAT_ANY:
      return v64 ? stat(k, 'sem', arg, (b) => h.semctl(semid, semnum, cmd, b)) : oldLayout(k, 'sem', cmd);
    case IPC_SET:
      return v64 ? set(k, 'sem', arg, (b) => h.semctl(semid, semnum, cmd, b)) : oldLayout(k, 'sem', cmd);
    case IPC_INFO: case SEM_INFO: {
      // struct seminfo: ten ints, the same everywhere.
      const host = Buffer.alloc(40);
      const r = h.semctl(semid, semnum, cmd, host);
      if (r < 0) return r;
      return writeWords(k, arg, host, 10) ? r : -E.EFAULT;
    }
    default:
      return -E.EINVAL;
  }
}

/**
 * semop/semtimedop: `timeout` 0 for none, else a struct timespec (64-bit fields with
 * `time64`). Each struct sembuf is three shorts in guest byte order.
 */
function semtimedop(k: Kernel, semid: number, sops: number, nsops: number, timeout: number, time64: boolean): number {
  nsops >>>= 0;
  if (nsops < 1 || semid < 0) return -E.EINVAL;
  if (nsops > hostLimit('sem', 2, 500)) return -E2BIG;
  if (!k.mem.checkRange(sops, 6 * nsops, false)) return -E.EFAULT;
  let timeoutMs: number | null = null;
  if (timeout !== 0) {
    const ns = timespecArg(k, timeout, time64);
    if (typeof ns === 'number') return ns;
    timeoutMs = Number(ns) / 1e6;
  }
  const le = k.mem.littleEndian, v = k.mem.view;
  const host = Buffer.alloc(6 * nsops);
  let noWait = true;
  for (let i = 0; i < nsops; i++) {
    const at = sops + 6 * i;
    const flg = v.getInt16(at + 4, le);
    // (When the ops differ, a wait follows if any may wait; Linux goes by the op that blocks.)
    if (!(flg & IPC_NOWAIT)) noWait = false;
    host.writeUInt16LE(v.getUint16(at, le), 6 * i);
    host.writeInt16LE(v.getInt16(at + 2, le), 6 * i + 2);
    host.writeInt16LE(flg | IPC_NOWAIT, 6 * i + 4);
  }
  return blocking(k, () => libc().semop(semid, host, nsops), E.EAGAIN, noWait, timeoutMs);
}

// ---- message queues ----

/** The largest message the host takes (a receive buffer never needs more). */
const msgMax = (): number => hostLimit('msgmax', 0, 8192);

function msgsnd(k: Kernel, msqid: number, msgp: number, msgsz: number, flags: number): number {
  if (!k.mem.checkRange(msgp, 4, false)) return -E.EFAULT;
  const type = k.mem.view.getInt32(msgp, k.mem.littleEndian);
  if ((msgsz | 0) < 0 || msgsz > msgMax() || msqid < 0 || type < 1) return -E.EINVAL;
  if (!k.mem.checkRange(msgp + 4, msgsz, false)) return -E.EFAULT;
  const host = Buffer.alloc(8 + msgsz);
  host.writeBigInt64LE(BigInt(type), 0);
  host.set(k.mem.bytes.subarray(msgp + 4, msgp + 4 + msgsz), 8);
  return blocking(k, () => libc().msgsnd(msqid, host, msgsz, flags | IPC_NOWAIT), E.EAGAIN, (flags & IPC_NOWAIT) !== 0, null);
}

function msgrcv(k: Kernel, msqid: number, msgp: number, msgsz: number, msgtyp: number, flags: number): number {
  if ((msgsz | 0) < 0 || msqid < 0) return -E.EINVAL;
  // A message is never longer than msgmax: a bigger host buffer would only cost memory.
  const room = Math.min(msgsz, Math.max(msgMax(), 65536));
  const host = Buffer.alloc(8 + room);
  const r = blocking(k, () => libc().msgrcv(msqid, host, room, msgtyp, flags | IPC_NOWAIT), ENOMSG, (flags & IPC_NOWAIT) !== 0, null);
  if (r < 0) return r;
  if (!k.mem.checkRange(msgp, 4 + r, true)) return -E.EFAULT; // (the message is gone, as on Linux)
  k.mem.view.setInt32(msgp, Number(host.readBigInt64LE(0)), k.mem.littleEndian);
  k.mem.bytes.set(host.subarray(8, 8 + r), msgp + 4);
  return r;
}

function msgctl(k: Kernel, msqid: number, cmd: number, buf: number): number {
  const h = libc();
  const v64 = (cmd & IPC_64) !== 0;
  cmd &= ~IPC_64;
  switch (cmd) {
    case IPC_RMID:
      return h.msgctl(msqid, cmd, null);
    case IPC_STAT: case MSG_STAT: case MSG_STAT_ANY:
      return v64 ? stat(k, 'msg', buf, (b) => h.msgctl(msqid, cmd, b)) : oldLayout(k, 'msg', cmd);
    case IPC_SET:
      return v64 ? set(k, 'msg', buf, (b) => h.msgctl(msqid, cmd, b)) : oldLayout(k, 'msg', cmd);
    case IPC_INFO: case MSG_INFO: {
      // struct msginfo: seven ints and an unsigned short.
      const host = Buffer.alloc(32);
      const r = h.msgctl(msqid, cmd, host);
      if (r < 0) return r;
      if (!writeWords(k, buf, host, 7)) return -E.EFAULT;
      new StructWriter(k.mem, buf).u16(28, host.readUInt16LE(28)).u16(30, 0);
      return r;
    }
    default:
      return -E.EINVAL;
  }
}

// ---- the MIPS o32 multiplexer ----

/** ipc(call, first, second, third, ptr, fifth), as Linux's compat ipc syscall reads them. */
function ipc(k: Kernel, a: number[]): number {
  const call = a[0] & 0xffff, version = a[0] >>> 16;
  const first = a[1] | 0, second = a[2], third = a[3], ptr = a[4] >>> 0, fifth = a[5];
  const mem = k.mem;
  switch (call) {
    case 1: // SEMOP
      return semtimedop(k, first, ptr, second, 0, false);
    case 4: // SEMTIMEDOP
      return semtimedop(k, first, ptr, second, fifth >>> 0, false);
    case 2: // SEMGET
      return libc().semget(first, second | 0, third | 0);
    case 3: // SEMCTL: ptr points at the union semun
      if (ptr === 0) return -E.EINVAL;
      if (!mem.checkRange(ptr, 4, false)) return -E.EFAULT;
      return semctl(k, first, second | 0, third | 0, mem.view.getUint32(ptr, mem.littleEndian));
    case 11: // MSGSND
      return msgsnd(k, first, ptr, second >>> 0, third | 0);
    case 12: // MSGRCV: version 0 passes msgp and msgtyp in a struct ipc_kludge
      if (version === 0) {
        if (ptr === 0) return -E.EINVAL;
        if (!mem.checkRange(ptr, 8, false)) return -E.EFAULT;
        const msgp = mem.view.getUint32(ptr, mem.littleEndian), msgtyp = mem.view.getInt32(ptr + 4, mem.littleEndian);
        return msgrcv(k, first, msgp, second >>> 0, msgtyp, third | 0);
      }
      return msgrcv(k, first, ptr, second >>> 0, fifth | 0, third | 0);
    case 13: // MSGGET
      return libc().msgget(first, second | 0);
    case 14: // MSGCTL
      return msgctl(k, first, second | 0, ptr);
    case 21: { // SHMAT: the address goes back through `third`
      if (version === 1) return -E.EINVAL;
      const at = shmat(k, first, ptr, second | 0);
      if (at < 0 && at > -4096) return at;
      if (!mem.checkRange(third >>> 0, 4, true)) return -E.EFAULT;
      mem.view.setUint32(third >>> 0, at >>> 0, mem.littleEndian);
      return 0;
    }
    case 22: // SHMDT
      return shmdt(k, ptr);
    case 23: // SHMGET
      return libc().shmget(first, second >>> 0, third | 0);
    case 24: // SHMCTL
      return shmctl(k, first, second | 0, ptr);
    default:
      return -E.ENOSYS;
  }
}

export const IPC_SYSCALLS: SyscallRecord[] = [
  R('ipc', ['uint', 'int', 'int', 'int', 'ptr', 'hex'], ipc),
  R('shmget', ['int', 'uint', 'hex'], (k, a) => libc().shmget(a[0] | 0, a[1] >>> 0, a[2] | 0)),
  R('shmat', ['int', 'ptr', 'hex'], (k, a) => shmat(k, a[0] | 0, a[1] >>> 0, a[2] | 0), true),
  R('shmdt', ['ptr'], (k, a) => shmdt(k, a[0] >>> 0)),
  R('shmctl', ['int', 'hex', 'ptr'], (k, a) => shmctl(k, a[0] | 0, a[1] | 0, a[2] >>> 0)),
  R('semget', ['int', 'int', 'hex'], (k, a) => libc().semget(a[0] | 0, a[1] | 0, a[2] | 0)),
  R('semctl', ['int', 'int', 'hex', 'hex'], (k, a) => semctl(k, a[0] | 0, a[1] | 0, a[2] | 0, a[3] >>> 0)),
  R('semop', ['int', 'ptr', 'uint'], (k, a) => semtimedop(k, a[0] | 0, a[1] >>> 0, a[2], 0, false)),
  R('semtimedop', ['int', 'ptr', 'uint', 'ptr'], (k, a) => semtimedop(k, a[0] | 0, a[1] >>> 0, a[2], a[3] >>> 0, false)),
  R('semtimedop_time64', ['int', 'ptr', 'uint', 'ptr'], (k, a) => semtimedop(k, a[0] | 0, a[1] >>> 0, a[2], a[3] >>> 0, true)),
  R('msgget', ['int', 'hex'], (k, a) => libc().msgget(a[0] | 0, a[1] | 0)),
  R('msgsnd', ['int', 'ptr', 'uint', 'hex'], (k, a) => msgsnd(k, a[0] | 0, a[1] >>> 0, a[2] >>> 0, a[3] | 0)),
  R('msgrcv', ['int', 'ptr', 'uint', 'int', 'hex'], (k, a) => msgrcv(k, a[0] | 0, a[1] >>> 0, a[2] >>> 0, a[3] | 0, a[4] | 0)),
  R('msgctl', ['int', 'hex', 'ptr'], (k, a) => msgctl(k, a[0] | 0, a[1] | 0, a[2] >>> 0)),
];
