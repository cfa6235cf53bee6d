// Guest signals as the emulator raises them. A guest fault unwinds the CPU loop as a
// GuestFault; the engine then applies the signal's default action (terminate the
// emulator with the same signal, so the shell reports what it would for the native program).
import { writeSync } from 'node:fs';
import { libc } from '../host/libc.js';
import { closeInbox } from './senders.js';

export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6,
  SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12,
  SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15;

/** Host (x86 Linux) signal names by number: the numbering urun's generic layer uses. */
export const SIGNAL_NAMES: Record<number, NodeJS.Signals> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS',
  8: 'SIGFPE', 9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE',
  14: 'SIGALRM', 15: 'SIGTERM', 16: 'SIGSTKFLT', 17: 'SIGCHLD', 18: 'SIGCONT', 19: 'SIGSTOP', 20: 'SIGTSTP',
  21: 'SIGTTIN', 22: 'SIGTTOU', 23: 'SIGURG', 24: 'SIGXCPU', 25: 'SIGXFSZ', 26: 'SIGVTALRM',
  27: 'SIGPROF', 28: 'SIGWINCH', 29: 'SIGIO', 30: 'SIGPWR', 31: 'SIGSYS',
};

/** Signals whose default action is to be ignored rather than to terminate. */
export const IGNORED_BY_DEFAULT = new Set([17, 18, 23, 28]);

/**
 * A synchronous guest fault (bad access, illegal instruction, trap). `code` is the si_code
 * where the signal alone does not tell it (see faultCode in syscalls/signals.ts).
 */
export class GuestFault extends Error {
  /** The fault's address is its instruction's (cpu.pc once the engine has unwound): see atInstruction. */
  atPc = false;
  /** Its signal carries no address (si_addr 0), as a MIPS break's SIGTRAP: Linux sends it with none. */
  noAddress = false;

  constructor(readonly signal: number, readonly addr: number, what: string, readonly code?: number) {
    super(`${what} 0x${(addr >>> 0).toString(16).padStart(8, '0')}`);
  }

  /**
   * A fault whose si_addr is the address of the instruction that raised it, for helpers that
   * do not know it (translated code keeps the guest pc in a local until it unwinds).
   */
  static atInstruction(signal: number, what: string, code?: number): GuestFault {
    const f = new GuestFault(signal, 0, what, code);
    f.message = what;
    f.atPc = true;
    return f;
  }
}

/** The guest asked to exit (exit_group), or was killed by a signal it sent itself. */
export class GuestExit extends Error {
  constructor(readonly status: number, readonly signal = 0) {
    super(signal ? `killed by signal ${signal}` : `exit ${status}`);
  }
}

/**
 * What the kernel tells a handler about a signal (siginfo_t). Numbers are the guest's;
 * `code` is an SI_* / SEGV_* value in the generic numbering (see ArchAbi.siCode).
 */
export interface SigInfo {
  signo: number;
  code: number;
  /** Sender (kill, sigqueue, tgkill). */
  pid?: number;
  uid?: number;
  /** sigqueue / timer value (sival_int, also the pointer). */
  value?: number;
  /** Faulting address (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP). */
  addr?: number;
  /** POSIX timer id and overrun count (SI_TIMER). */
  timerId?: number;
  overrun?: number;
  /** SIGCHLD: the child's exit status (or signal, guest-numbered) and CPU times in clock ticks. */
  child?: { status: number; utime: number; stime: number };
}

// si_code values (generic numbering; MIPS renumbers SI_TIMER, see ArchAbi.siCode).
export const SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_TKILL = -6;
export const SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRALN = 1, BUS_ADRERR = 2, ILL_ILLOPC = 1, ILL_ILLTRP = 4, TRAP_BRKPT = 1;
export const FPE_INTDIV = 1, FPE_INTOVF = 2, FPE_FLTDIV = 3, FPE_FLTOVF = 4, FPE_FLTUND = 5, FPE_FLTRES = 6, FPE_FLTINV = 7;

/** A set of guest signals (1-64; 1-127 on MIPS): bit (n - 1). */
export type SigSet = bigint;
export const sigBit = (sig: number): SigSet => 1n << BigInt(sig - 1);
export const NO_SIGNALS: SigSet = 0n;
export const sigsetFromWords = (lo: number, hi: number): SigSet => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
export const sigsetWords = (s: SigSet): [number, number] => [Number(s & 0xffffffffn), Number((s >> 32n) & 0xffffffffn)];
/** A set from any number of 32-bit words, lowest first (MIPS's sigset_t has four: _NSIG is 128). */
export const sigsetFromWordList = (words: number[]): SigSet => words.reduceRight((s, w) => (s << 32n) | BigInt(w >>> 0), 0n);
/** A set as `n` 32-bit words, lowest first. */
export const sigsetWordList = (s: SigSet, n: number): number[] => Array.from({ length: n }, (_, i) => Number((s >> BigInt(32 * i)) & 0xffffffffn));
/** The words a set takes in shared memory (a thread's mask, the process's held signals): enough for any arch's. */
export const SHARED_SIGSET_WORDS = 4;
/** Stores a set in shared memory at `words[at]`, SHARED_SIGSET_WORDS words, lowest first. */
export function storeSigset(words: Int32Array, at: number, s: SigSet): void {
  for (let i = 0; i < SHARED_SIGSET_WORDS; i++) Atomics.store(words, at + i, Number((s >> BigInt(32 * i)) & 0xffffffffn) | 0);
}
/** The set stored at `words[at]` by storeSigset. */
export function loadSigset(words: Int32Array, at: number): SigSet {
  let s = NO_SIGNALS;
  for (let i = SHARED_SIGSET_WORDS - 1; i >= 0; i--) s = (s << 32n) | BigInt(Atomics.load(words, at + i) >>> 0);
  return s;
}

/** An alternate signal stack (sigaltstack). */
export interface AltStack { sp: number; size: number; enabled: boolean }

/**
 * The signal state of one guest thread: its blocked mask, the signals pending for it, its
 * alternate stack, and the interrupt-request word its engine polls between blocks. The
 * word lives in a SharedArrayBuffer so that another thread (the timer worker, a sibling
 * guest thread) can set it.
 */
export class ThreadSignals {
  private blocked: SigSet = NO_SIGNALS;
  /** Where the mask is mirrored for the main thread to read (a Worker thread's slot), if anywhere. */
  maskMirror: Int32Array | null = null;
  /** Where a Worker thread says it waits (its slot's SLOT_WAITING word), if anywhere. */
  waitingMirror: Int32Array | null = null;
  /**
   * A thread of a multi-threaded process (a Worker): the signals pending for the process
   * that every thread blocked when they came (two words the main thread keeps, see
   * ThreadGroup.postSignal), and how this thread claims them when its mask lets one through.
   */
  processHeld: { words: Int32Array; claim: () => void } | null = null;
  /** Queued signals, oldest first; a standard signal (below 32) is queued at most once. */
  readonly pending: SigInfo[] = [];
  altStack: AltStack = { sp: 0, size: 0, enabled: false };
  /** The mask to restore after a handler that interrupted sigsuspend (set while it waits). */
  suspendedMask: SigSet | null = null;
  /** When a blocking call that is being waited out (nanosleep, sigtimedwait) is due, in ms since start-up. */
  blockedUntil: number | null = null;
  /**
   * A call waiting on host descriptors (WaitForHostFds): when it gives up, in wall-clock ms
   * (Infinity: never); null when no such wait is in progress. Cleared when a syscall returns.
   */
  waitDeadline: number | null = null;
  /** The wait was ended by a signal: the call, run again, fails with EINTR. */
  waitInterrupted = false;
  /** rt_sigreturn / sigreturn asked for its frame to be restored at the end of the current block. */
  sigreturn: 'rt' | 'plain' | null = null;
  readonly interrupt: Int32Array;
  /**
   * When the engine running this thread is to request the interrupt itself (in [0]: performance.now()
   * ms; 0: never): the ticker's ticks while it has no Worker (see SignalTicker). A typed array:
   * an object's field that went from 0 to a fractional time changed the object's map, which
   * deoptimised Engine.loop where it reads it.
   */
  readonly tick = new Float64Array(1);

  constructor(interrupt = new Int32Array(new SharedArrayBuffer(INTERRUPT_WORDS * 4))) {
    this.interrupt = interrupt;
  }

  /** The blocked signals. */
  get mask(): SigSet {
    return this.blocked;
  }

  set mask(m: SigSet) {
    this.blocked = m;
    if (this.maskMirror) storeSigset(this.maskMirror, 0, m);
    // Linux delivers a held signal as the call that unblocks it returns (sigprocmask,
    // sigsuspend, a handler's sigreturn): the main thread hands it over before that.
    if (this.processHeld && (this.heldForProcess() & ~m) !== NO_SIGNALS) this.processHeld.claim();
  }

  private heldForProcess(): SigSet {
    const held = this.processHeld;
    return held ? loadSigset(held.words, 0) : NO_SIGNALS;
  }

  /** Asks the engine to stop at its next block boundary (or backward branch). */
  requestInterrupt(): void {
    Atomics.store(this.interrupt, IRQ, 1);
    Atomics.notify(this.interrupt, IRQ);
  }

  queue(info: SigInfo): void {
    if (info.signo < 32 && this.pending.some((p) => p.signo === info.signo)) return;
    this.pending.push(info);
    // (A blocked signal a sigwait waits for ends that wait too.)
    if (!this.interruptIfDeliverable() && (this.waitingFor & sigBit(info.signo)) !== 0n) this.requestInterrupt();
    this.onQueue?.();
  }

  /** The blocked signals a sigtimedwait of this thread waits for (WaitForSignal.wanted), while it waits. */
  waitingFor: SigSet = NO_SIGNALS;

  /**
   * Requests the interrupt when a pending signal is not in the mask (it is then delivered at
   * the next block boundary, or as the current syscall returns); whether there is one.
   */
  interruptIfDeliverable(): boolean {
    if (this.deliverable(this.mask) === null) return false;
    this.requestInterrupt();
    return true;
  }

  /** Called after a signal is queued (a signalfd becomes readable: src/syscalls/eventfds.ts). */
  onQueue: (() => void) | null = null;

  /** The first pending signal not in `mask`, or null. Standard signals go first, lowest number first. */
  deliverable(mask: SigSet): SigInfo | null {
    let best: SigInfo | null = null;
    for (const p of this.pending) {
      if ((mask & sigBit(p.signo)) !== 0n) continue;
      if (best === null || p.signo < best.signo) best = p;
    }
    return best;
  }

  /** The pending signals the thread's mask lets through (a debugger hears of each before delivery). */
  unblocked(): SigInfo[] {
    return this.pending.filter((p) => (this.mask & sigBit(p.signo)) === NO_SIGNALS);
  }

  take(info: SigInfo): void {
    this.pending.splice(this.pending.indexOf(info), 1);
  }

  /** The signals pending for the thread and for its process (sigpending). */
  pendingSet(): SigSet {
    let s = this.heldForProcess();
    for (const p of this.pending) s |= sigBit(p.signo);
    return s;
  }

  /** Marks the start and end of a wait (see waitingMirror). */
  waiting(on: boolean): void {
    if (this.waitingMirror) Atomics.store(this.waitingMirror, 0, on ? 1 : 0);
  }

  /** Whether `sp` lies on the alternate stack. */
  onAltStack(sp: number): boolean {
    const a = this.altStack;
    return a.enabled && (sp >>> 0) > (a.sp >>> 0) && (sp >>> 0) <= (a.sp >>> 0) + a.size;
  }
}

/** The interrupt word's slots: the request itself. */
export const IRQ = 0, INTERRUPT_WORDS = 2;
/**
 * The futex word a thread waits on (its index in guest memory's int32 view, plus 1; 0 while
 * it waits on none): a signal for the thread wakes that word, not to wait out a slice.
 */
export const FUTEX_AT = 1;

/** Signals that can be neither caught, blocked nor ignored (host numbering). */
export const UNBLOCKABLE_HOST = [9, 19];

/**
 * A syscall must wait for a signal (pause, sigsuspend) or a signal-or-deadline (nanosleep,
 * sigtimedwait). It unwinds with the PC on the syscall instruction; the runner goes back to
 * the event loop, where host signals arrive, and runs the instruction again afterwards.
 */
export class WaitForSignal extends Error {
  /** `wanted`: blocked signals the call waits for too (sigtimedwait's set). */
  constructor(readonly until: number | null, readonly wanted: SigSet = NO_SIGNALS) {
    super('waiting for a signal');
  }
}

/** A host descriptor and the poll(2) events a blocked syscall waits for on it. */
export interface HostWait { fd: number; events: number }
export const POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;

/**
 * urun throws for control flow (a guest fault, a wait, a thread's exit, code it does not
 * translate); capturing a stack trace for each throw cost more than the rest of the throw,
 * and nothing reads it but URUN_DEBUG's report of an internal error.
 */
export function skipErrorStacks(): void {
  if (!process.env.URUN_DEBUG) Error.stackTraceLimit = 0;
}

/** Wall-clock ms, comparable between threads (performance.now() is per thread). */
export const wallMs = (): number => performance.timeOrigin + performance.now();

/**
 * Whether a call that a signal interrupts runs again after the handler: true, after a
 * SA_RESTART handler (read, write, accept...); 'always', whatever the signal's disposition
 * (Linux's ERESTARTNOINTR: FUTEX_LOCK_PI, whose caller cannot take an EINTR).
 */
export type Restartable = boolean | 'always';

/**
 * A syscall must wait until one of `fds` is ready, a signal comes or `until` (wallMs) passes.
 * It unwinds with the PC on the syscall instruction; the thread that made it waits on the host
 * descriptors itself (a thread in a Worker too, so that other threads go on) and then runs
 * the instruction again. `restartable`: a call Linux restarts after a SA_RESTART handler
 * (read, write, accept, connect, recv...); poll, select and epoll_wait are not.
 */
export class WaitForHostFds extends Error {
  /**
   * The thread waits until `until` (wall-clock ms); `deadline` is when the call itself gives
   * up, later than `until` for a call that polls (retries every few ms) and keeps its own
   * deadline across the retries.
   */
  constructor(readonly fds: HostWait[], readonly until: number, readonly restartable: Restartable, readonly deadline = until) {
    super('waiting for host descriptors');
  }
}

/** Ends urun with the host signal, so the shell reports what it would for the native program. */
export function dieBySignal(hostSig: number): never {
  closeInbox();
  const name = SIGNAL_NAMES[hostSig];
  if (name) process.removeAllListeners(name);
  try {
    // Straight to the default action: Node ignores SIGPIPE, and its own handlers must not run.
    // (By number: Node has no name for the real-time signals, which end a
    // process too, and its parent must see that signal, not an exit status.)
    libc().setSignalDisposition(hostSig, 0);
    libc().kill(process.pid, hostSig);
  } catch {
    // No FFI on this host: Node's kill, for the signals it names.
    if (name) process.kill(process.pid, name);
  }
  process.exit(128 + hostSig);
}

/**
 * Ends urun with `status` as process.exit does (its 'exit' listeners run: bin/urun writes its
 * code cache there), then by _exit(2) rather than Node's teardown. That teardown waits for
 * V8's background compile jobs, and as a short program ends one is usually running (the
 * optimised compile of urun's decoder or of a region): 10-15 ms of every run, measured on
 * an armhf hello. Nothing is lost: urun writes guest output, its messages and its caches
 * synchronously, and a guest thread's Worker would end with the process anyway.
 */
export function exitNow(status: number): never {
  // Node writes CPU and heap profiles and coverage in its teardown.
  if (nodeWritesAtExit) process.exit(status);
  process.exitCode = status;
  process.emit('exit', status);
  try {
    return libc().exitNow(status);
  } catch {
    // No FFI on this host: Node's own exit, only slower (the listeners have run once already).
    process.removeAllListeners('exit');
    process.exit(status);
  }
}
const NODE_EXIT_OUTPUT = /--(cpu-prof|heap-prof|prof\b)/;
const nodeOptions = [...process.execArgv, process.env.NODE_OPTIONS ?? ''];
const nodeWritesAtExit = process.env.NODE_V8_COVERAGE !== undefined || nodeOptions.some((a) => NODE_EXIT_OUTPUT.test(a));
/** Node samples urun with SIGPROF (--cpu-prof, --prof). */
export const nodeProfiles = nodeOptions.some((a) => /--(cpu-prof|prof)\b/.test(a));

/**
 * Where a host signal Node caught goes: the running guest's kernel once there is one
 * (it queues it, ignores it, or dies of it as the guest's disposition says), death by
 * that signal before.
 */
export const hostSignalRoute: { deliver: (hostSig: number) => void } = { deliver: dieBySignal };

/**
 * Writes one of urun's own lines (a warning, --strace) to stderr. The guest may have made its
 * stderr, the same host description, non-blocking: wait out EAGAIN rather than fail.
 */
export function sayToStderr(line: string): void {
  const data = Buffer.from(line + '\n');
  for (let done = 0; done < data.length;) {
    try {
      done += writeSync(2, data, done, data.length - done);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}
