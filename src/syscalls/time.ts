// Time syscalls: clocks, sleeps and process CPU times.
import { NS, StructWriter, nsec, sec, secBig } from './abi.js';
import { E } from './errno.js';
import { Kernel } from './kernel.js';
import { libc } from '../host/libc.js';
import { clockMs, sleepSyscall } from './signals.js';
import { R } from './records.js';
import type { SyscallRecord } from './records.js';

const realtimeBase = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

const CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3;

/**
 * A clock id as the clock calls take it: the CPU-time clocks glibc builds (timer_create of
 * CLOCK_PROCESS_CPUTIME_ID, clock_getcpuclockid, pthread_getcpuclockid: negative, ~pid << 3,
 * 4 for a thread, then the kind) become CLOCK_PROCESS_CPUTIME_ID or CLOCK_THREAD_CPUTIME_ID
 * when they are this process's or one of its threads'; -1 for another process's or a bad one.
 */
function plainClock(clock: number): number {
  if (clock >= 0) return clock;
  if ((clock & 3) === 3) return -1; // no such kind (CPUCLOCK_MAX)
  if (clock & 4) return CLOCK_THREAD_CPUTIME_ID; // (another thread's clock reads as the caller's)
  const pid = ~(clock >> 3);
  return pid === 0 || pid === process.pid ? CLOCK_PROCESS_CPUTIME_ID : -1;
}

/** Whether a clock id (clockNs takes it) is the process's CPU-time clock, which timers run on (see GuestTimer.cpu). */
export const isProcessCpuClock = (clock: number): boolean => plainClock(clock) === CLOCK_PROCESS_CPUTIME_ID;

export function clockNs(clock: number, k?: Kernel): bigint | null {
  const plain = plainClock(clock);
  switch (plain) {
    case 0: case 5: case 8: case 11: // REALTIME, REALTIME_COARSE, REALTIME_ALARM, TAI
      return process.hrtime.bigint() + realtimeBase;
    case 1: case 4: case 6: case 7: case 9: // MONOTONIC, _RAW, _COARSE, BOOTTIME, BOOTTIME_ALARM
      return process.hrtime.bigint();
    case 2: case 3: { // PROCESS/THREAD_CPUTIME_ID
      // A thread's: that of the host thread running it (each guest thread has its own); the
      // process's without the FFI.
      if (plain === CLOCK_THREAD_CPUTIME_ID) {
        try {
          return libc().threadCpuNs();
        } catch {
          // no FFI on this host
        }
      }
      // A single-threaded guest's is urun's main thread's, as its timers see it (signals.ts
      // clockMs), not what V8's compiler and GC threads spend beside it. Once it has threads,
      // the whole process's: the same clock whichever thread reads it.
      if (k && k.threads === null) return BigInt(Math.round(clockMs(k, 'all') * 1e6));
      const u = process.cpuUsage();
      return BigInt(u.user + u.system) * 1000n;
    }
    default:
      return null;
  }
}

const CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6;
/** A CPU-time clock id's kind (its low two bits when negative): CPUCLOCK_SCHED is the precise one. */
const CPUCLOCK_SCHED = 2;
let tickNs: bigint | null = null;

/** The host's timer tick (TICK_NSEC, what Linux gives as the coarse clocks' resolution). */
function hostTickNs(): bigint {
  if (tickNs === null) {
    try {
      const r = libc().clockResNs(CLOCK_REALTIME_COARSE);
      tickNs = r > 0n ? r : 4_000_000n;
    } catch {
      tickNs = 4_000_000n; // no FFI: HZ=250, as Debian's kernels
    }
  }
  return tickNs;
}

/** clock_getres: as Linux: EINVAL for a clock clock_gettime refuses, the tick for the coarse
 * clocks and the CPU clocks other than CPUCLOCK_SCHED's, 1 ns (high-resolution timers) for the rest. */
function clockRes(k: Kernel, clock: number, addr: number, is64: boolean): number {
  if (clockNs(clock) === null) return -E.EINVAL;
  const coarse = clock === CLOCK_REALTIME_COARSE || clock === CLOCK_MONOTONIC_COARSE || (clock < 0 && (clock & 3) !== CPUCLOCK_SCHED);
  return addr ? writeTimespec(k, addr, coarse ? hostTickNs() : 1n, is64) : 0;
}

const RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;

/** Writes a struct timespec (32- or 64-bit) holding `ns`; -EFAULT if it cannot. */
export function writeTimespec(k: Kernel, addr: number, ns: bigint, is64: boolean): number {
  if (!k.mem.checkRange(addr, is64 ? 16 : 8, true)) return -E.EFAULT;
  const w = new StructWriter(k.mem, addr);
  if (is64) w.u64(0, secBig(ns)).u64(8, nsec(ns));
  else w.i32(0, sec(ns)).i32(4, nsec(ns));
  return 0;
}

export function readTimespecNs(k: Kernel, addr: number, is64: boolean): bigint | null {
  if (!k.mem.checkRange(addr, is64 ? 16 : 8, false)) return null;
  const le = k.mem.littleEndian;
  const s = is64 ? k.mem.view.getBigInt64(addr, le) : BigInt(k.mem.view.getInt32(addr, le));
  // A 32-bit process's tv_nsec is 32 bits wide in the 64-bit layout too: the kernel drops the
  // padding, which glibc leaves uninitialised (armel's timer_settime64).
  const ns = is64 ? BigInt.asIntN(32, k.mem.view.getBigInt64(addr + 8, le)) : BigInt(k.mem.view.getInt32(addr + 4, le));
  if (ns < 0n || ns >= NS) return -1n; // invalid: callers answer EINVAL
  return s * NS + ns;
}

/** A timespec argument in ns, or (a number) -EFAULT or -EINVAL, as Linux answers a bad one. */
export function timespecArg(k: Kernel, addr: number, is64: boolean): bigint | number {
  const ns = readTimespecNs(k, addr, is64);
  return ns === null ? -E.EFAULT : ns < 0n ? -E.EINVAL : ns;
}

function nanosleep(k: Kernel, req: number, rem: number, is64: boolean): number {
  const ns = timespecArg(k, req, is64);
  if (typeof ns === 'number') return ns;
  return sleepSyscall(k, Number(ns) / 1e6, rem, is64);
}

/** MONOTONIC_RAW, REALTIME_COARSE, MONOTONIC_COARSE: readable, but no sleep or timer runs on them. */
const CLOCKS_WITHOUT_TIMERS = new Set([4, 5, 6]);

function clockNanosleep(k: Kernel, clock: number, flags: number, req: number, rem: number, is64: boolean): number {
  const ns = timespecArg(k, req, is64);
  if (typeof ns === 'number') return ns;
  const now = clockNs(clock, k);
  // Linux sleeps on neither a thread's CPU clock nor an unknown one, and not on the raw and
  // coarse clocks, which have no timers.
  if (now === null || plainClock(clock) === CLOCK_THREAD_CPUTIME_ID) return -E.EINVAL;
  if (CLOCKS_WITHOUT_TIMERS.has(clock)) return -E.EOPNOTSUPP;
  let wait = ns;
  if (flags & 1) { // TIMER_ABSTIME: nothing is left to report when interrupted
    wait = ns - now;
    rem = 0;
  }
  return sleepSyscall(k, wait > 0n ? Number(wait) / 1e6 : 0, rem, is64);
}

// struct timex: 21 fields, the 4-byte ones (modes, status, shift, tai) padded to 8 in x86-64's
// layout, which is also __kernel_timex, what clock_adjtime64 takes; every field 4 bytes in the
// 32-bit struct adjtimex and clock_adjtime take. Then padding (208 and 128 bytes in all).
const TIMEX_INTS = new Set([0, 5, 14, 20]);
const TIMEX_FIELDS = 21, TIMEX64_SIZE = 208, TIMEX32_SIZE = 128;
const ADJ_OFFSET_SS_READ = 0xa001;

/**
 * adjtimex, clock_adjtime and clock_adjtime64: the host clock's state (what adjtimex(8) and
 * ntptime print). Only reading it: a change (any other `modes`) is refused with EPERM, so
 * that no guest sets the host's clock.
 */
function clockAdjtime(k: Kernel, clock: number, addr: number, is64: boolean): number {
  const size = is64 ? TIMEX64_SIZE : TIMEX32_SIZE;
  if (!k.mem.checkRange(addr, size, true)) return -E.EFAULT;
  const modes = k.mem.view.getUint32(addr >>> 0, k.mem.littleEndian);
  if (modes !== 0 && modes !== ADJ_OFFSET_SS_READ) return -E.EPERM;
  const host = Buffer.alloc(TIMEX64_SIZE);
  const r = libc().clockAdjtime(clock, host);
  if (r < 0) return r;
  const le = k.mem.littleEndian, view = k.mem.view;
  k.mem.bytes.fill(0, addr, addr + size);
  for (let i = 0; i < TIMEX_FIELDS; i++) {
    const v = TIMEX_INTS.has(i) ? BigInt(host.readInt32LE(i * 8)) : host.readBigInt64LE(i * 8);
    if (i === 0) view.setUint32(addr >>> 0, modes, le);
    else if (!is64) view.setInt32((addr + i * 4) >>> 0, Number(BigInt.asIntN(32, v)), le);
    else if (TIMEX_INTS.has(i)) view.setInt32((addr + i * 8) >>> 0, Number(v), le);
    else view.setBigInt64((addr + i * 8) >>> 0, v, le);
  }
  return r;
}

/** The latest time Linux lets the clock be set to (TIME_SETTOD_SEC_MAX: KTIME_SEC_MAX less 30 years of uptime). */
const SETTOD_SEC_MAX = 8277292036n;

/**
 * Setting the clock: refused (EPERM), as adjtimex's changes are, rather than setting the
 * host's clock for every program on it; a clock that cannot be set at all is EINVAL, and so
 * (checked first, as Linux does, before the privilege) is a time it would not take: a bad
 * timespec, a negative one, one past SETTOD_SEC_MAX. `usec`: a struct timeval (settimeofday).
 */
function setClock(k: Kernel, clock: number, addr: number, size: number, usec = false): number {
  if (!k.mem.checkRange(addr, size, false)) return -E.EFAULT;
  if (clock !== 0) return -E.EINVAL;
  const ns = readTimespecNs(k, addr, size === 16);
  if (ns === null) return -E.EFAULT;
  if (ns < 0n || ns / NS >= SETTOD_SEC_MAX || (usec && ns % NS >= 1_000_000n)) return -E.EINVAL;
  return -E.EPERM;
}

export const TIME_SYSCALLS: SyscallRecord[] = [
  R('clock_settime', ['clock', 'ptr'], (k, a) => setClock(k, a[0], a[1], 8)),
  R('clock_settime64', ['clock', 'ptr'], (k, a) => setClock(k, a[0], a[1], 16)),
  R('settimeofday', ['ptr', 'ptr'], (k, a) => (a[0] === 0 && a[1] === 0 ? 0 : a[0] ? setClock(k, 0, a[0], 8, true) : -E.EPERM)),
  R('adjtimex', ['ptr'], (k, a) => clockAdjtime(k, 0, a[0], false)),
  R('clock_adjtime', ['clock', 'ptr'], (k, a) => clockAdjtime(k, a[0], a[1], false)),
  R('clock_adjtime64', ['clock', 'ptr'], (k, a) => clockAdjtime(k, a[0], a[1], true)),
  R('clock_gettime', ['clock', 'ptr'], (k, a) => {
    const ns = clockNs(a[0], k);
    return ns === null ? -E.EINVAL : writeTimespec(k, a[1], ns, false);
  }),
  R('clock_gettime64', ['clock', 'ptr'], (k, a) => {
    const ns = clockNs(a[0], k);
    return ns === null ? -E.EINVAL : writeTimespec(k, a[1], ns, true);
  }),
  R('clock_getres', ['clock', 'ptr'], (k, a) => clockRes(k, a[0] | 0, a[1], false)),
  R('clock_getres_time64', ['clock', 'ptr'], (k, a) => clockRes(k, a[0] | 0, a[1], true)),
  R('gettimeofday', ['ptr', 'ptr'], (k, a) => {
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
  R('time', ['ptr'], (k, a) => {
    const t = sec(clockNs(0)!);
    if (a[0]) {
      if (!k.mem.checkRange(a[0], 4, true)) return -E.EFAULT;
      k.mem.write32(a[0], t);
    }
    return t;
  }),
  R('nanosleep', ['ptr', 'ptr'], (k, a) => nanosleep(k, a[0], a[1], false)),
  R('clock_nanosleep', ['clock', 'int', 'ptr', 'ptr'], (k, a) => clockNanosleep(k, a[0], a[1], a[2], a[3], false)),
  R('clock_nanosleep_time64', ['clock', 'int', 'ptr', 'ptr'], (k, a) => clockNanosleep(k, a[0], a[1], a[2], a[3], true)),
  R('getrusage', ['int', 'ptr'], (k, a) => {
    const who = a[0] | 0;
    if (who !== RUSAGE_SELF && who !== RUSAGE_CHILDREN && who !== RUSAGE_THREAD) return -E.EINVAL;
    if (!k.mem.checkRange(a[1], 72, true)) return -E.EFAULT;
    k.mem.bytes.fill(0, a[1], a[1] + 72);
    const w = new StructWriter(k.mem, a[1]);
    const timeval = (at: number, us: number) => w.i32(at, Math.floor(us / 1e6)).i32(at + 4, us % 1e6);
    if (who === RUSAGE_CHILDREN) {
      // The host's figures for this process's reaped children (each guest child is a host process).
      const c = libc().childrenCpuUs();
      timeval(0, c.user);
      timeval(8, c.system);
      return 0;
    }
    const u = process.cpuUsage();
    timeval(0, u.user);
    timeval(8, u.system);
    w.i32(16, Math.floor(process.memoryUsage.rss() / 1024));
    return 0;
  }),
  R('times', ['ptr'], (k, a) => {
    const u = process.cpuUsage();
    if (a[0]) {
      if (!k.mem.checkRange(a[0], 16, true)) return -E.EFAULT;
      const c = libc().childrenCpuUs();
      new StructWriter(k.mem, a[0]).u32(0, u.user / 1e4).u32(4, u.system / 1e4).u32(8, c.user / 1e4).u32(12, c.system / 1e4);
    }
    return Math.floor(performance.now() / 10) | 0;
  }),
];
