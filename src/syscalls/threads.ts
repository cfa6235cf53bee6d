// Guest threads as the syscalls see them: clone of a thread, thread identity and exit,
// futexes over the shared guest memory, and the scheduling calls. A multi-threaded process
// runs each guest thread in a Worker (src/engine/threads.ts); these records run in that
// Worker, on the calling thread's own Kernel, without a round trip to the main thread.
import * as os from 'node:os';
import type { CpuState } from '../engine/cpu.js';
import { bswap32 } from '../memory/access.js';
import { PAGE_SHARED, PAGE_SHIFT } from '../memory/memory.js';
import { libc } from '../host/libc.js';
import { ThreadsStarted } from '../engine/control.js';
import { FUTEX_AT, IRQ, WaitForHostFds, wallMs, type SigInfo } from '../engine/signals.js';
import { cloneChildState } from '../engine/lifecycle.js';
import { E } from './errno.js';
import { SCHED_RESET_ON_FORK, type CloneRequest, type Kernel } from './kernel.js';
import { clockNs, timespecArg, writeTimespec } from './time.js';
import type { ArgKind, SyscallRecord } from './records.js';
import { SIGNAL_CHECK_MS, waitForFds } from './blocking.js';
import { signalsCanArrive } from './signals.js';
import { exit as exitProcess } from './processes.js';

/** The calling guest thread's identity and exit-time duties. */
export interface GuestThread {
  tid: number;
  /** set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the thread exits. */
  clearChildTid: number;
  robustList: number;
  robustListLen: number;
  /** Its name (prctl PR_SET_NAME, /proc/self/task/<tid>/comm); null: the program's. */
  name: string | null;
  /** The CPU mask sched_setaffinity gave it (32-bit words); unset: every host CPU. */
  affinity?: number[];
  /** The normal policy sched_setscheduler gave it, with SCHED_RESET_ON_FORK; unset: SCHED_OTHER. */
  policy?: number;
  /** prctl PR_SET_IO_FLUSHER's flag. */
  ioFlusher?: boolean;
}

/** What the syscalls need from the process's thread machinery. */
export interface ThreadHost {
  /** Counters shared by every thread of the process: see CTL_NEXT_TID, CTL_LIVE_THREADS. */
  readonly control: Int32Array;
  /** Starts running a new guest thread with the given registers. */
  spawn(state: CpuState, tid: number, clearChildTid: number): void;
  /** Hands a signal sent to the process to one of its threads (the main thread's host only). */
  postSignal?(info: SigInfo): void;
  /** Whether a signal for the process waits, every thread blocking it (the main thread's host only). */
  holdsPending?(info: SigInfo): boolean;
  /** Hands a signal to the thread `tid` (tgkill); false if there is none (the main thread's host only). */
  signalThread?(tid: number, info: SigInfo): boolean;
  /** Whether a running thread (the thread `tid`, or any) does not block the signal (the main thread's host only). */
  letsThrough?(guestSig: number, tid: number | null): boolean;
  /** The name of the running thread `tid` (null: the program's; undefined: no such thread; a Worker's host: its own only). */
  threadName?(tid: number): string | null | undefined;
  /** Renames the running thread `tid`; false if there is none (the main thread's host only). */
  setThreadName?(tid: number, name: string): boolean;
  /** The running guest threads' ids (the main thread's host only). */
  threadIds?(): number[];
  /** Those and the threads just created, not started yet: what /proc/self/task lists (the main thread's host only). */
  taskIds?(): number[];
  /** Publishes the calling thread's new name (a Worker's host only). */
  nameChanged?(name: string): void;
}

/** Indices in ThreadHost.control. */
export const CTL_NEXT_TID = 0, CTL_LIVE_THREADS = 1;

/** A guest thread called exit: only that thread ends (its Worker catches this). */
export class ThreadExit extends Error {
  constructor(readonly status: number) {
    super(`thread exit ${status}`);
  }
}

// ---- clone ----

const CLONE_VM = 0x100, CLONE_SIGHAND = 0x800, CLONE_THREAD = 0x10000;
const CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000;
/** The flags that make a clone a thread of the same process (what glibc's and Go's threads pass). */
export const CLONE_THREAD_FLAGS = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;

/**
 * clone() of a thread (flags include CLONE_VM | CLONE_SIGHAND | CLONE_THREAD): the new thread
 * starts after the clone with the caller's registers, clone returning 0 there, on its own
 * stack if req.stack is not 0. CLONE_FS, CLONE_FILES and CLONE_SYSVSEM are implied: the
 * threads share the one Kernel. Returns the new thread's id, or a negative errno.
 */
export function startThread(k: Kernel, req: CloneRequest): number {
  const { flags } = req;
  const cpu = k.cpu;
  if ((flags & CLONE_THREAD_FLAGS) !== CLONE_THREAD_FLAGS || cpu === null) return -E.EINVAL;
  const setTid = [flags & CLONE_PARENT_SETTID ? req.parentTid : 0, flags & CLONE_CHILD_SETTID ? req.childTid : 0].filter((a) => a !== 0);
  if (setTid.some((a) => a & 3 || !k.mem.checkRange(a, 4, true))) return -E.EFAULT;
  const first = k.threads === null;
  const host = k.threads ?? k.startThreads?.();
  if (!host) return -E.ENOSYS;
  k.threads = host;
  const tid = Atomics.add(host.control, CTL_NEXT_TID, 1);
  for (const a of setTid) k.mem.write32(a, tid);
  const state = cloneChildState(k, cpu, req);
  Atomics.add(host.control, CTL_LIVE_THREADS, 1);
  host.spawn(state, tid, flags & CLONE_CHILD_CLEARTID ? req.childTid : 0);
  if (first) {
    // The caller moves to a Worker too, from the state its clone returns to.
    const caller = cpu.saveState();
    k.abi.syscallReturn(caller, k.syscallPc, tid);
    throw new ThreadsStarted(caller);
  }
  return tid;
}

/**
 * What an exiting thread owes: release the robust mutexes it holds, then zero its
 * clear_child_tid word and wake a joiner waiting on it (Linux's order: a joiner that then
 * locks such a mutex gets EOWNERDEAD).
 */
export function threadExited(k: Kernel): void {
  releaseRobustList(k);
  const a = k.thread.clearChildTid;
  k.thread.clearChildTid = 0;
  if (a === 0 || a & 3 || !k.mem.checkRange(a, 4, true)) return;
  Atomics.store(k.mem.i32, a >>> 2, 0);
  Atomics.notify(k.mem.i32, a >>> 2, 1);
}

// ---- futex ----

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5;
const FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8;
const FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10, FUTEX_LOCK_PI2 = 13;
const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1;
/** The bits of a PI or robust futex word: its owner's tid, and what the kernel adds to it. */
const FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;
const WAKE_ALL = 0x7fffffff;

// ---- robust mutexes ----

/** How many entries of a robust list the kernel walks at most (ROBUST_LIST_LIMIT). */
const ROBUST_LIST_LIMIT = 2048;

/**
 * When a thread ends, each mutex on its robust list (set_robust_list: a circular list of
 * 32-bit pointers, the futex word `futex_offset` bytes from each entry, bit 0 of an entry
 * marking a PI mutex, and `list_op_pending` for one being taken or released) that it still
 * owns is marked FUTEX_OWNER_DIED and one waiter woken: the next locker gets EOWNERDEAD.
 */
export function releaseRobustList(k: Kernel): void {
  const head = k.thread.robustList;
  k.thread.robustList = 0;
  if (head === 0 || head & 3 || !k.mem.checkRange(head, 12, false)) return;
  const offset = k.mem.read32(head + 4) | 0;
  const pending = k.mem.read32(head + 8);
  let entry = k.mem.read32(head);
  for (let n = 0; entry >>> 0 !== head >>> 0 && n < ROBUST_LIST_LIMIT; n++) {
    const at = entry & ~1;
    if (!k.mem.checkRange(at, 4, false)) return;
    const next = k.mem.read32(at);
    if (at !== (pending & ~1)) robustOwnerDied(k, (at + offset) >>> 0, (entry & 1) !== 0, false);
    entry = next;
  }
  if (pending !== 0) robustOwnerDied(k, ((pending & ~1) + offset) >>> 0, (pending & 1) !== 0, true);
}

/** One futex of a dead thread's robust list (the kernel's handle_futex_death). */
function robustOwnerDied(k: Kernel, uaddr: number, pi: boolean, pendingOp: boolean): void {
  if (uaddr & 3 || !k.mem.checkRange(uaddr, 4, true)) return;
  const word = new FutexWord(k, uaddr);
  for (;;) {
    const cur = word.load();
    // Released but not yet unlocked in full when the thread died: a waiter may need waking.
    if (pendingOp && !pi && cur === 0) {
      word.wake(1);
      return;
    }
    if ((cur & FUTEX_TID_MASK) !== k.thread.tid) return;
    if (!word.compareExchange(cur, ((cur & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0)) continue;
    // PI waiters here wait on the word itself (lockPi), so they are woken too.
    if (pi || cur & FUTEX_WAITERS) word.wake(pi ? WAKE_ALL : 1);
    return;
  }
}

/**
 * A guest futex word, in the guest's byte order: loads, compare-and-swaps, and waits and
 * wakes that reach other processes when it is in a shared mapping (a host futex there).
 */
class FutexWord {
  readonly index: number;
  private readonly host: bigint | null;
  /** In a shared mapping: waits and wakes are host futexes, seen by other processes. */
  readonly shared: boolean;

  constructor(private readonly k: Kernel, readonly uaddr: number) {
    this.index = uaddr >>> 2;
    this.shared = (k.mem.perm[uaddr >>> PAGE_SHIFT] & PAGE_SHARED) !== 0;
    this.host = this.shared ? k.mem.hostAddress(uaddr) : null;
  }

  private raw(v: number): number {
    return this.k.mem.littleEndian ? v | 0 : bswap32(v);
  }

  load(): number {
    return this.raw(Atomics.load(this.k.mem.i32, this.index)) >>> 0;
  }

  compareExchange(from: number, to: number): boolean {
    const expect = this.raw(from);
    return Atomics.compareExchange(this.k.mem.i32, this.index, expect, this.raw(to)) === expect;
  }

  /** Waits at most `ms` while the word holds `value`: 0 when woken, -EAGAIN when it did not hold it, null when the time ended. */
  waitSlice(value: number, ms: number): number | null {
    const expect = this.raw(value);
    if (this.host !== null) {
      const r = libc().futexWait(this.host, expect, ms);
      return r === -E.ETIMEDOUT || r === -E.EINTR ? null : r;
    }
    const r = Atomics.wait(this.k.mem.i32, this.index, expect, ms);
    return r === 'ok' ? 0 : r === 'not-equal' ? -E.EAGAIN : null;
  }

  wake(count: number): number {
    if (this.host !== null) return libc().futexWake(this.host, count);
    return Atomics.notify(this.k.mem.i32, this.index, count);
  }
}

// ---- priority-inheritance futexes ----

/**
 * FUTEX_LOCK_PI / LOCK_PI2 / TRYLOCK_PI: takes the word for the calling thread (its tid, any
 * FUTEX_OWNER_DIED kept) when it has no owner; else sets FUTEX_WAITERS, so that the owner's
 * unlock comes here, and waits. Priorities are not inherited (every guest thread has the
 * same), and the unlock wakes every waiter to take the word again rather than handing it to
 * one. `deadline`: wall-clock ms on `clock`, or null. A signal makes the thread run its
 * handler and the call again (Linux restarts it: glibc cannot take an EINTR here).
 */
function lockPi(k: Kernel, uaddr: number, deadlineNs: bigint | null, clock: number, tryOnly: boolean): number {
  if (!k.mem.checkRange(uaddr, 4, true)) return -E.EFAULT;
  const word = new FutexWord(k, uaddr);
  const tid = k.thread.tid;
  const irq = k.signals.interrupt;
  for (;;) {
    const cur = word.load();
    const owner = cur & FUTEX_TID_MASK;
    if (owner === 0) {
      if (word.compareExchange(cur, ((cur & (FUTEX_OWNER_DIED | FUTEX_WAITERS)) | tid) >>> 0)) return 0;
      continue;
    }
    if (owner === tid) return -E.EDEADLK;
    if (tryOnly) return -E.EAGAIN;
    if (!(cur & FUTEX_WAITERS) && !word.compareExchange(cur, (cur | FUTEX_WAITERS) >>> 0)) continue;
    let left = SIGNAL_CHECK_MS;
    if (deadlineNs !== null) {
      left = Math.min(left, Number(deadlineNs - clockNs(clock)!) / 1e6);
      if (left <= 0) return -E.ETIMEDOUT;
    }
    if (Atomics.load(irq, IRQ) !== 0) throw new WaitForHostFds([], wallMs(), 'always');
    word.waitSlice((cur | FUTEX_WAITERS) >>> 0, left);
  }
}

/** FUTEX_UNLOCK_PI: the owner gives the word up (0) and wakes every waiter to take it. */
function unlockPi(k: Kernel, uaddr: number): number {
  if (!k.mem.checkRange(uaddr, 4, true)) return -E.EFAULT;
  const word = new FutexWord(k, uaddr);
  for (;;) {
    const cur = word.load();
    if ((cur & FUTEX_TID_MASK) !== k.thread.tid) return -E.EPERM;
    if (!word.compareExchange(cur, 0)) continue;
    if (cur & FUTEX_WAITERS) word.wake(WAKE_ALL);
    return 0;
  }
}


/**
 * futex(uaddr, op, val, timeout | val2, uaddr2, val3). Waiters block in Atomics.wait on the
 * guest word itself, so a wake from any Worker reaches them. Bitsets are not tracked: a
 * bitset wake wakes waiters of any bitset, which is a spurious wakeup the waiter re-checks
 * (as FUTEX_REQUEUE's requeued waiters are woken instead of moved).
 */
function futex(k: Kernel, a: number[], time64: boolean): number {
  const [uaddr, op, val, timeoutOrVal2, uaddr2, val3] = a;
  // The fourth argument is a pointer to a timeout for the waits, a count (val2) for the others.
  const timeout = timeoutOrVal2 >>> 0, val2 = timeoutOrVal2 | 0;
  if (uaddr & 3) return -E.EINVAL;
  if (!k.mem.checkRange(uaddr, 4, false)) return -E.EFAULT;
  switch (op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)) {
    case FUTEX_WAIT:
      return futexWait(k, uaddr, val, timeout, time64, null);
    case FUTEX_WAIT_BITSET:
      if (val3 === 0) return -E.EINVAL;
      return futexWait(k, uaddr, val, timeout, time64, op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC);
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
      return wake(k, uaddr, val);
    case FUTEX_CMP_REQUEUE:
    case FUTEX_REQUEUE:
      if ((op & 0x7f) === FUTEX_CMP_REQUEUE && k.mem.view.getInt32(uaddr, k.mem.littleEndian) !== (val3 | 0)) return -E.EAGAIN;
      if (uaddr2 & 3 || !k.mem.checkRange(uaddr2, 4, false)) return -E.EFAULT;
      return wake(k, uaddr, val) + (val2 > 0 ? wake(k, uaddr, val2) : 0);
    case FUTEX_WAKE_OP:
      return wakeOp(k, uaddr, val, uaddr2, val2, val3);
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2: {
      // (The timeout is a time on the lock's clock.)
      const deadline = timeout === 0 ? null : timespecArg(k, timeout, time64);
      if (typeof deadline === 'number') return deadline;
      // LOCK_PI's timeout is on CLOCK_REALTIME; LOCK_PI2's on CLOCK_MONOTONIC unless asked.
      const realtime = (op & 0x7f) === FUTEX_LOCK_PI || op & FUTEX_CLOCK_REALTIME;
      return lockPi(k, uaddr, deadline, realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, false);
    }
    case FUTEX_TRYLOCK_PI:
      return lockPi(k, uaddr, null, CLOCK_MONOTONIC, true);
    case FUTEX_UNLOCK_PI:
      return unlockPi(k, uaddr);
    default:
      return -E.ENOSYS;
  }
}

/** Waits while the word holds val; `absoluteClock` null: the timeout is relative. */
function futexWait(k: Kernel, uaddr: number, val: number, timeout: number, time64: boolean, absoluteClock: number | null): number {
  let ms = Infinity;
  if (timeout !== 0) {
    let ns = timespecArg(k, timeout, time64);
    if (typeof ns === 'number') return ns;
    if (absoluteClock !== null) ns -= clockNs(absoluteClock)!;
    ms = ns > 0n ? Number(ns) / 1e6 : 0;
  }
  const word = new FutexWord(k, uaddr);
  // An untimed wait a signal ended, run again after the handler (see interrupted below).
  const t = k.signals;
  if (t.waitInterrupted) {
    t.waitInterrupted = false;
    return -E.EINTR;
  }
  if (!word.shared && k.threads === null) {
    // Alone in its process, only a signal handler can change the word (sem_post in a
    // handler), so the thread waits for a signal, as pause does, or its time. With no signal
    // to come nothing could wake it: rather than hang, say it timed out. (The interrupt word
    // polled below is no sign of a signal here: the ticker sets it for timers not yet due
    // and for visits to the event loop, where the signal, if any, is made.) As on Linux, a
    // SA_RESTART handler restarts an untimed wait (ERESTARTSYS), not a timed one.
    if (word.load() !== val >>> 0) return -E.EAGAIN;
    if (ms === Infinity && !signalsCanArrive(k)) return -E.ETIMEDOUT;
    return waitForFds(k, [], ms === Infinity ? null : ms, ms === Infinity) === 'timeout' ? -E.ETIMEDOUT : -E.EINTR;
  }
  // Wait in slices, so that a signal for this thread (its interrupt word) ends the wait
  // within SIGNAL_CHECK_MS. A futex in a shared mapping may be woken from another process:
  // its wait is the host's own futex on the same host page (FutexWord).
  const irq = k.signals.interrupt;
  const until = performance.now() + ms;
  // A signal for the thread wakes the word it publishes here at once. Linux then restarts an
  // untimed wait after a SA_RESTART handler (its ERESTARTSYS) and fails it with EINTR
  // otherwise; a timed wait fails with EINTR. The thread waits on nothing (WaitForHostFds),
  // so that the signal is delivered with the PC on the syscall, which then runs again or
  // answers EINTR (waitInterrupted). The call run again with the interrupt word still set
  // (waitDeadline marks it) was interrupted by no signal (a debugger's stop): it returns 0,
  // a wake-up futex users take as spurious, and the thread stops as the call returns.
  const again = t.waitDeadline !== null;
  const interrupted = (): number => {
    if (ms !== Infinity) return -E.EINTR;
    if (again) return 0;
    t.waitDeadline = Infinity;
    throw new WaitForHostFds([], wallMs(), true);
  };
  if (!word.shared) Atomics.store(irq, FUTEX_AT, word.index + 1);
  t.waiting(true);
  try {
    for (;;) {
      if (Atomics.load(irq, IRQ) !== 0) return interrupted();
      const left = until - performance.now();
      if (left <= 0) return -E.ETIMEDOUT;
      const r = word.waitSlice(val >>> 0, Math.min(left, SIGNAL_CHECK_MS));
      // (Woken with the word unchanged and a signal come: the signal's wake, most likely.
      // A waker changes the word first, and a wake taken for the signal's is only spurious.)
      if (r === 0 && Atomics.load(irq, IRQ) !== 0 && word.load() === val >>> 0) return interrupted();
      if (r !== null) return r;
    }
  } finally {
    Atomics.store(irq, FUTEX_AT, 0);
    t.waiting(false);
  }
}

function wake(k: Kernel, uaddr: number, count: number): number {
  return new FutexWord(k, uaddr).wake(count > 0 ? count : 1);
}

const sext12 = (v: number): number => (v << 20) >> 20;

/** FUTEX_WAKE_OP: atomically op on *uaddr2, wake uaddr, and wake uaddr2 too if the old value passes the test. */
function wakeOp(k: Kernel, uaddr: number, val: number, uaddr2: number, val2: number, code: number): number {
  if (uaddr2 & 3 || !k.mem.checkRange(uaddr2, 4, true)) return -E.EFAULT;
  const opShift = (code >>> 28) & 8, op = (code >>> 28) & 7, cmp = (code >>> 24) & 15;
  let oparg = sext12(code >>> 12);
  const cmparg = sext12(code);
  if (opShift) oparg = 1 << (oparg & 31);
  if (op > 4 || cmp > 5) return -E.ENOSYS;
  const word = new FutexWord(k, uaddr2);
  let old: number;
  for (;;) {
    old = word.load() | 0;
    if (word.compareExchange(old, [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg][op])) break;
  }
  const pass = [old === cmparg, old !== cmparg, old < cmparg, old <= cmparg, old > cmparg, old >= cmparg][cmp];
  return wake(k, uaddr, val) + (pass ? wake(k, uaddr2, val2) : 0);
}

// ---- the records ----

const MEMBARRIER_CMD_QUERY = 0, MEMBARRIER_CMD_GLOBAL = 1, MEMBARRIER_CMD_PRIVATE_EXPEDITED = 8;
const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 16;
const MEMBARRIER_SUPPORTED = MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_PRIVATE_EXPEDITED | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;

const SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5, SCHED_DEADLINE = 6;

/** A policy's [min, max] static priority, as Linux gives them; undefined for no such policy. */
function schedPriorityRange(policy: number): [number, number] | undefined {
  if (policy === SCHED_FIFO || policy === SCHED_RR) return [1, 99];
  if (policy === SCHED_OTHER || policy === SCHED_BATCH || policy === SCHED_IDLE || policy === SCHED_DEADLINE) return [0, 0];
  return undefined;
}

/** 0 when `pid` names a process the scheduling calls may look at, or -errno. */
function schedTarget(k: Kernel, pid: number): number {
  if (pid < 0) return -E.EINVAL;
  if (pid === 0 || pid === k.pid || pid === k.thread.tid) return 0;
  return libc().kill(pid, 0) === -E.ESRCH ? -E.ESRCH : 0;
}

/** sched_rr_get_interval: the host's time slice for the process (its own threads: urun's). */
function rrInterval(k: Kernel, pid: number, addr: number, is64: boolean): number {
  const err = schedTarget(k, pid);
  if (err) return err;
  const out = Buffer.alloc(16);
  const own = pid === 0 || pid === k.pid || pid === k.thread.tid;
  const r = libc().schedRrGetInterval(own ? 0 : pid, out);
  return r < 0 ? r : writeTimespec(k, addr, out.readBigInt64LE(0) * 1_000_000_000n + out.readBigInt64LE(8), is64);
}

/** struct sched_attr's fields (offset, bytes) up to util_max: size, sched_policy, sched_flags,
 * sched_nice, sched_priority, sched_runtime, sched_deadline, sched_period, sched_util_min/max. */
const SCHED_ATTR_FIELDS: [number, number][] = [[0, 4], [4, 4], [8, 8], [16, 4], [20, 4], [24, 8], [32, 8], [40, 8], [48, 4], [52, 4]];
const SCHED_ATTR_SIZE_VER0 = 48;
/** sched_flags that belong to the policy: SCHED_FLAG_RESET_ON_FORK, RECLAIM, DL_OVERRUN. */
const SCHED_FLAG_POLICY_BITS = 0x7n;

/** sched_getattr: the host's answer for the host thread or process (a guest process is one),
 * but the calling process's own policy is SCHED_OTHER at priority 0, as sched_getscheduler
 * says (its nice value, time slice and clamps are the host's). As Linux, the struct is written
 * up to the size both sides know, its size field saying how much, and zeroed beyond that. */
function getSchedAttr(k: Kernel, pid: number, addr: number, usize: number, flags: number): number {
  if (addr === 0 || pid < 0 || flags !== 0) return -E.EINVAL;
  if (usize > 4096 || usize < SCHED_ATTR_SIZE_VER0) return -E.EINVAL;
  const err = schedTarget(k, pid);
  if (err) return err;
  const own = pid === 0 || pid === k.pid || pid === k.thread.tid;
  const host = Buffer.alloc(usize);
  const r = libc().schedGetattr(own ? 0 : pid, host);
  if (r < 0) return r;
  if (own) {
    const mine = pid === 0 || pid === k.thread.tid ? k.thread.policy ?? SCHED_OTHER : SCHED_OTHER;
    host.writeUInt32LE(mine & ~SCHED_RESET_ON_FORK, 4);
    host.writeBigUInt64LE((host.readBigUInt64LE(8) & ~SCHED_FLAG_POLICY_BITS) | (mine & SCHED_RESET_ON_FORK ? 1n : 0n), 8);
    host.writeUInt32LE(0, 20);
  }
  const size = Math.min(host.readUInt32LE(0), usize);
  host.fill(0, size);
  if (!k.mem.littleEndian) {
    for (const [off, bytes] of SCHED_ATTR_FIELDS) if (off + bytes <= size) host.subarray(off, off + bytes).reverse();
  }
  const out = k.mem.slice(addr, usize, true);
  if (!out) return -E.EFAULT;
  out.set(host);
  return 0;
}

/** sched_attr's size with the utilisation clamps (SCHED_ATTR_SIZE_VER1), the most Linux reads. */
const SCHED_ATTR_SIZE_VER1 = 56;
const SCHED_FLAG_RESET_ON_FORK = 0x01n, SCHED_FLAG_KEEP_POLICY = 0x08n, SCHED_FLAG_KEEP_PARAMS = 0x10n;
const SCHED_FLAG_UTIL_CLAMP = 0x60n, SCHED_FLAG_ALL = 0x7fn;
/** The largest utilisation clamp (SCHED_CAPACITY_SCALE). */
const UCLAMP_MAX = 1024;
const MIN_NICE = -20, MAX_NICE = 19;
const PRIO_PROCESS = 0;

/**
 * sched_setattr, checked as Linux checks it (sched_copy_attr, then __sched_setscheduler): a
 * struct of an unknown size is E2BIG with the size Linux knows written back. A normal policy
 * (SCHED_OTHER, SCHED_BATCH, SCHED_IDLE) is kept for the calling thread as sched_setscheduler
 * keeps it, and its nice value is set on the host (a lower one needs the host's permission, as
 * setpriority); SCHED_FIFO, SCHED_RR and SCHED_DEADLINE are refused as sched_setscheduler
 * refuses real-time policies (EPERM), once their parameters are found valid.
 */
function setSchedAttr(k: Kernel, pid: number, addr: number, flags: number): number {
  if (addr === 0 || pid < 0 || flags !== 0) return -E.EINVAL;
  if (!k.mem.checkRange(addr, 4, false)) return -E.EFAULT;
  const le = k.mem.littleEndian;
  let size = k.mem.read32(addr) >>> 0;
  if (size === 0) size = SCHED_ATTR_SIZE_VER0;
  const tooBig = (): number => {
    if (!k.mem.checkRange(addr, 4, true)) return -E.EFAULT;
    k.mem.write32(addr, SCHED_ATTR_SIZE_VER1);
    return -E.E2BIG;
  };
  if (size < SCHED_ATTR_SIZE_VER0 || size > 4096) return tooBig();
  const raw = k.mem.slice(addr, size, false);
  if (!raw) return -E.EFAULT;
  // Fields past what Linux knows must be zero.
  for (let i = SCHED_ATTR_SIZE_VER1; i < size; i++) if (raw[i] !== 0) return tooBig();
  const attr = Buffer.alloc(SCHED_ATTR_SIZE_VER1);
  attr.set(raw.subarray(0, Math.min(size, SCHED_ATTR_SIZE_VER1)));
  const view = new DataView(attr.buffer, attr.byteOffset, attr.length);
  const u64 = (off: number) => view.getBigUint64(off, le);
  const schedFlags = u64(8);
  if (schedFlags & SCHED_FLAG_UTIL_CLAMP && size < SCHED_ATTR_SIZE_VER1) return -E.EINVAL;
  const nice = Math.min(MAX_NICE, Math.max(MIN_NICE, view.getInt32(16, le)));
  const priority = view.getUint32(20, le);
  const err = schedTarget(k, pid);
  if (err) return err;
  const own = pid === 0 || pid === k.thread.tid;
  const current = own ? k.thread.policy ?? SCHED_OTHER : SCHED_OTHER;
  const keepPolicy = (schedFlags & SCHED_FLAG_KEEP_POLICY) !== 0n;
  const policy = keepPolicy ? current & ~SCHED_RESET_ON_FORK : view.getUint32(4, le);
  const range = schedPriorityRange(policy);
  if (!range || schedFlags & ~SCHED_FLAG_ALL) return -E.EINVAL;
  if (priority > 99 || (policy === SCHED_FIFO || policy === SCHED_RR) !== (priority !== 0)) return -E.EINVAL;
  if (policy === SCHED_DEADLINE) {
    // __checkparam_dl: a runtime of at least 1024 ns, runtime <= deadline <= period (0: the deadline).
    const runtime = u64(24), deadline = u64(32), period = u64(40);
    const top = 1n << 63n;
    if (deadline === 0n || deadline & top || period & top || runtime < 1024n) return -E.EINVAL;
    if (deadline < runtime || (period !== 0n && period < deadline)) return -E.EINVAL;
  }
  if (schedFlags & SCHED_FLAG_UTIL_CLAMP) {
    const min = view.getUint32(48, le), max = view.getUint32(52, le);
    if ((schedFlags & 0x20n && min > UCLAMP_MAX) || (schedFlags & 0x40n && max > UCLAMP_MAX)) return -E.EINVAL;
  }
  if (range[1] !== 0 || policy === SCHED_DEADLINE) return -E.EPERM;
  if (!(schedFlags & SCHED_FLAG_KEEP_PARAMS)) {
    const r = libc().priority(true, PRIO_PROCESS, own ? 0 : pid, nice);
    if (r < 0) return r;
  }
  if (own && !keepPolicy) {
    const kept = policy | (schedFlags & SCHED_FLAG_RESET_ON_FORK ? SCHED_RESET_ON_FORK : 0);
    k.thread.policy = kept === SCHED_OTHER ? undefined : kept;
  }
  return 0;
}

/** sched_setscheduler and sched_setparam (policy null: the thread's own): a normal policy at
 * priority 0 is kept for the calling thread, which sched_getscheduler reads back (host threads
 * stay as they are); a real-time one is refused. */
function setScheduler(k: Kernel, pid: number, given: number | null, param: number): number {
  const own = pid === 0 || pid === k.thread.tid;
  const policy = (given ?? (own ? k.thread.policy ?? SCHED_OTHER : SCHED_OTHER)) & ~SCHED_RESET_ON_FORK;
  const range = schedPriorityRange(policy);
  if (!range || param === 0) return -E.EINVAL;
  const err = schedTarget(k, pid);
  if (err) return err;
  if (!k.mem.checkRange(param, 4, false)) return -E.EFAULT;
  const priority = k.mem.read32(param) | 0;
  if (priority < range[0] || priority > range[1]) return -E.EINVAL;
  if (range[1] !== 0) return -E.EPERM;
  if (own && given !== null) k.thread.policy = given === SCHED_OTHER ? undefined : given;
  return 0;
}

/** The host's CPUs as a CPU mask: an array of 32-bit words, CPU n is bit n % 32 of word n / 32. */
function hostCpuMask(): number[] {
  const cpus = os.availableParallelism();
  const words: number[] = [];
  for (let w = 0; w * 32 < cpus; w++) {
    const n = Math.min(32, cpus - w * 32);
    words.push(n === 32 ? 0xffffffff : 2 ** n - 1);
  }
  return words;
}

/** 0 when `pid` names a thread the affinity calls may look at, or -errno: unlike the
 * scheduling-policy calls, Linux looks a negative pid up (finding none: ESRCH, not EINVAL). */
function affinityTarget(k: Kernel, pid: number): number {
  return pid < 0 ? -E.ESRCH : schedTarget(k, pid);
}

/** sched_getaffinity: the calling thread's mask (what sched_setaffinity left, else the host's
 * CPUs), the host's CPUs for another thread or process. The mask is an array of the guest's
 * unsigned longs, so in guest byte order. */
function getAffinity(k: Kernel, pid: number, size: number, addr: number): number {
  const host = hostCpuMask();
  const bytes = host.length * 4;
  if (size < bytes || size & 3) return -E.EINVAL;
  const err = affinityTarget(k, pid);
  if (err) return err;
  const words = (pid === 0 || pid === k.thread.tid) && k.thread.affinity ? k.thread.affinity : host;
  const out = k.mem.slice(addr, bytes, true);
  if (!out) return -E.EFAULT;
  const view = new DataView(out.buffer, out.byteOffset, bytes);
  for (let w = 0; w < words.length; w++) view.setUint32(w * 4, words[w], k.mem.littleEndian);
  return bytes;
}

/** sched_setaffinity: the mask is cut to the host's CPUs (none left: EINVAL, as Linux) and kept
 * for the calling thread, so that its sched_getaffinity reads it back; another thread's or
 * process's is accepted and not kept (urun does not pin host threads). A mask shorter than the
 * kernel's is zero-extended. */
function setAffinity(k: Kernel, pid: number, size: number, addr: number): number {
  if (!k.mem.checkRange(addr, size, false)) return -E.EFAULT;
  const err = affinityTarget(k, pid);
  if (err) return err;
  const words = hostCpuMask().map((host, w) => {
    if (w * 4 >= size) return 0;
    let given = 0;
    for (let b = 0; b < 4 && w * 4 + b < size; b++) {
      const byte = k.mem.read8(addr + w * 4 + b);
      given |= byte << (8 * (k.mem.littleEndian ? b : 3 - b));
    }
    return (given & host) >>> 0;
  });
  if (words.every((w) => w === 0)) return -E.EINVAL;
  if (pid === 0 || pid === k.thread.tid) k.thread.affinity = words;
  return 0;
}

// Not linux.ts's R: linux.ts imports this module (through processes.ts) before defining it.
const R = (name: string, args: ArgKind[], run: SyscallRecord['run']): SyscallRecord => ({ name, args, run });

export const THREAD_SYSCALLS: SyscallRecord[] = [
  // exit ends the calling thread; the process ends with its last thread (or alone, at once).
  R('exit', ['int'], (k, a) => {
    if (k.threads === null) return exitProcess(k, a[0]);
    throw new ThreadExit(a[0] & 0xff);
  }),
  R('gettid', [], (k) => k.thread.tid),
  R('set_tid_address', ['ptr'], (k, a) => ((k.thread.clearChildTid = a[0]), k.thread.tid)),
  R('set_robust_list', ['ptr', 'uint'], (k, a) => {
    if (a[1] !== 12) return -E.EINVAL; // sizeof(struct robust_list_head) on 32-bit
    k.thread.robustList = a[0];
    k.thread.robustListLen = a[1];
    return 0;
  }),
  R('get_robust_list', ['int', 'ptr', 'ptr'], (k, a) => {
    if (a[0] !== 0 && a[0] !== k.thread.tid) return -E.ESRCH;
    if (!k.mem.checkRange(a[1], 4, true) || !k.mem.checkRange(a[2], 4, true)) return -E.EFAULT;
    k.mem.write32(a[1], k.thread.robustList);
    k.mem.write32(a[2], k.thread.robustListLen);
    return 0;
  }),
  R('futex', ['ptr', 'int', 'int', 'hex', 'ptr', 'hex'], (k, a) => futex(k, a, false)),
  R('futex_time64', ['ptr', 'int', 'int', 'hex', 'ptr', 'hex'], (k, a) => futex(k, a, true)),
  R('sched_yield', [], () => 0),
  // Every guest thread runs under SCHED_OTHER at priority 0; real-time policies are not granted.
  R('sched_get_priority_max', ['int'], (_k, a) => schedPriorityRange(a[0])?.[1] ?? -E.EINVAL),
  R('sched_get_priority_min', ['int'], (_k, a) => schedPriorityRange(a[0])?.[0] ?? -E.EINVAL),
  R('sched_getscheduler', ['int'], (k, a) => schedTarget(k, a[0]) || ((a[0] === 0 || a[0] === k.thread.tid) && k.thread.policy) || SCHED_OTHER),
  R('sched_getparam', ['int', 'ptr'], (k, a) => {
    const err = a[1] === 0 ? -E.EINVAL : schedTarget(k, a[0]);
    if (err) return err;
    if (!k.mem.checkRange(a[1], 4, true)) return -E.EFAULT;
    k.mem.write32(a[1], 0);
    return 0;
  }),
  R('sched_getattr', ['int', 'ptr', 'uint', 'hex'], (k, a) => getSchedAttr(k, a[0], a[1], a[2], a[3])),
  R('sched_setattr', ['int', 'ptr', 'hex'], (k, a) => setSchedAttr(k, a[0], a[1], a[2])),
  R('sched_setscheduler', ['int', 'int', 'ptr'], (k, a) => setScheduler(k, a[0], a[1], a[2])),
  R('sched_setparam', ['int', 'ptr'], (k, a) => setScheduler(k, a[0], null, a[1])),
  R('sched_rr_get_interval', ['int', 'ptr'], (k, a) => rrInterval(k, a[0], a[1], false)),
  R('sched_rr_get_interval_time64', ['int', 'ptr'], (k, a) => rrInterval(k, a[0], a[1], true)),
  R('sched_getaffinity', ['int', 'uint', 'ptr'], (k, a) => getAffinity(k, a[0], a[1], a[2])),
  R('sched_setaffinity', ['int', 'uint', 'ptr'], (k, a) => setAffinity(k, a[0], a[1], a[2])),
  R('membarrier', ['int', 'hex', 'int'], (k, a) => {
    // Atomics and the host's ordering make every guest store visible: nothing to force.
    if (a[0] === MEMBARRIER_CMD_QUERY) return MEMBARRIER_SUPPORTED;
    return a[0] & MEMBARRIER_SUPPORTED && (a[0] & (a[0] - 1)) === 0 ? 0 : -E.EINVAL;
  }),
];

/** The calls a thread in a Worker answers itself; everything else goes to the process's Kernel. */
export const THREAD_LOCAL_SYSCALLS = new Set([
  ...THREAD_SYSCALLS.map((r) => r.name),
  // A thread's own signal state: its alternate stack, and the frame it returns from.
  'sigaltstack', 'rt_sigreturn', 'sigreturn',
  // Waiting for this thread's signals, and the signals pending for it.
  'pause', 'sigsuspend', 'rt_sigsuspend', 'rt_sigtimedwait', 'rt_sigtimedwait_time64', 'rt_sigpending', 'sigpending',
  'exit_group', 'clone', 'fork', 'vfork', 'set_thread_area', 'ARM_set_tls', 'cacheflush', 'ARM_cacheflush', 'rt_sigprocmask', 'sigprocmask',
  'clock_gettime', 'clock_gettime64', 'gettimeofday', 'nanosleep', 'clock_nanosleep', 'clock_nanosleep_time64',
  'getpid', 'getppid', 'getuid', 'geteuid', 'getgid', 'getegid', 'uname', 'prctl', 'rseq', 'getrandom',
  // Only zeroes pages of the shared guest memory: glibc calls it on the stack of every thread
  // that exits, which then need not wait for the main thread.
  'madvise',
]);
