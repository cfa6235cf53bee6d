// A Worker running guest threads of a multi-threaded process, one at a time (threads.ts
// keeps a pool of them). It has its own CPU, engine and translation cache over the
// process's shared guest memory, and a Kernel of its own for the calling thread's state
// (tid, signal mask, TLS); it answers the thread-local syscalls itself and forwards every
// other one to the process's Kernel on the main thread through its request slot.
//
// This module is also the Worker's entry point: the Worker loads the file this code was
// loaded from (src/engine/worker.ts under tsx, the one bundle dist/urun.cjs when built),
// and the check at the bottom starts the thread loop there.
import { readSync } from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import { GUEST_THREAD_ARG, saveThreadCache, workerThreads } from '../host/workers.js';
import { HOST_O_CLOEXEC, HOST_O_NONBLOCK, libc } from '../host/libc.js';
import { reportBuiltFunctions, setScriptCacheDir } from '../host/v8cache.js';
import { GuestMemory, type SharedGuestMemory } from '../memory/memory.js';
import { Kernel } from '../syscalls/kernel.js';
import { Dispatcher } from '../syscalls/dispatch.js';
import { SIGNAL_CHECK_MS, endWaitBySignal, hostWait } from '../syscalls/blocking.js';
import { threadWaitMask } from '../syscalls/events.js';
import { E } from '../syscalls/errno.js';
import { directIo } from './direct-io.js';
import { CTL_LIVE_THREADS, THREAD_LOCAL_SYSCALLS, ThreadExit, releaseRobustList, threadExited, type ThreadHost } from '../syscalls/threads.js';
import { archFor, cpuModelFor } from '../isa/arches.js';
import { Engine, ENGINE_COUNTERS } from './engine.js';
import { CodeLog, CODE_LOG_WORDS } from './codelog.js';
import { TranslationCache, engineCache, type CachedRegion, type EngineCache, type NamedMapping, type SharedCacheSettings } from './codecache.js';
import {
  GuestExit, GuestFault, INTERRUPT_WORDS, type AltStack, IRQ, POLLIN, SI_USER, type SigInfo, type SigSet, ThreadSignals, WaitForHostFds, WaitForSignal, sayToStderr,
  sigsetFromWordList, sigsetWordList, SHARED_SIGSET_WORDS, storeSigset, NO_SIGNALS, skipErrorStacks, wallMs, type HostWait,
} from './signals.js';
import { deliverFault, deliverPending, finishSigreturn } from '../syscalls/signals.js';
import type { CpuState } from './cpu.js';
import type { CloneRequest } from '../syscalls/kernel.js';
import { cloneChildState } from './lifecycle.js';
import { SwitchContext } from './control.js';
import { MAX_DEBUG_SLOTS, WorkerDebug } from '../debug/thread-debug.js';

/** Where this module was loaded from: what a new guest-thread Worker runs. */
export const WORKER_ENTRY = new URL(import.meta.url);

// The process's control block (a SharedArrayBuffer of int32): the ThreadHost counters, the
// doorbell the main thread waits on, the code log, then one request slot per Worker.
export const CTL_DOORBELL = 2;
const CTL_CODE_LOG = 4;
/** The signals held for the process (a shared sigset): every thread blocked them when they came. */
const CTL_HELD = CTL_CODE_LOG + CODE_LOG_WORDS;
const CTL_SLOTS = CTL_HELD + SHARED_SIGSET_WORDS;
const SLOT_WORDS = 37;
export const MAX_WORKERS = 1024;
export const CONTROL_WORDS = CTL_SLOTS + MAX_WORKERS * SLOT_WORDS;
// A request slot: the Worker fills in the call and sets STATE to REQUEST; the main thread
// answers and sets it to REPLY; the Worker takes the result and sets it back to IDLE.
export const SLOT_STATE = 0, SLOT_NR = 1, SLOT_ARGS = 2, SLOT_RESULT = 10, SLOT_HAS_SECOND = 11, SLOT_SECOND = 12;
/**
 * Set in a reply when the call must wait for host descriptors (WaitForHostFds): the thread
 * waits itself, on the descriptors in its wait area, and makes the call again. The main
 * thread serves every other thread's syscalls meanwhile.
 */
export const SLOT_WAIT = 13;
/** The thread's interrupt word (ThreadSignals.interrupt), and signals the process hands it (a shared sigset). */
export const SLOT_INTERRUPT = 14, SLOT_PROCESS_SIGNALS = 16;
/** The thread's blocked mask (a shared sigset), mirrored for the main thread choosing who takes a signal. */
export const SLOT_MASK = 20;
/**
 * The blocked signals the thread waits for in sigtimedwait (a shared sigset): the main thread
 * hands it such a signal sent to the process, as to a thread that does not block it.
 */
export const SLOT_SIGWAIT = 24;
/** The thread's name (prctl PR_SET_NAME): up to 15 bytes, NUL-padded; empty for the program's name. */
export const SLOT_NAME = 28, SLOT_NAME_WORDS = 4;
/**
 * The run (RunThread.run) whose thread has ended, set before a joiner can wake: the main
 * thread may give the Worker a new thread before its 'idle' report arrives (a thread
 * created right after a join would otherwise start another Worker).
 */
export const SLOT_ENDED = 32;
/**
 * The thread's wake descriptor (a host eventfd): the main thread writes to it with a signal
 * for the thread, which a wait on host descriptors includes (0: none yet).
 */
export const SLOT_WAKE_FD = 33;
/**
 * A thread this one has just created, until the main thread has its 'spawn' report: its
 * /proc/self/task entry exists meanwhile (pthread_setname_np right after pthread_create).
 */
export const SLOT_SPAWNED = 34;
/**
 * 1 once the Worker is past loading the native layer: a Worker ended during that (an
 * execve ends every thread) aborts the whole process (Node's fatal "napi_throw").
 */
export const SLOT_STARTED = 35;
/**
 * 1 while the thread waits (a futex, a sleep, host descriptors): the main thread counts only
 * the others as running when it decides whether to start a spare Worker (ThreadGroup.keepSpare).
 */
export const SLOT_WAITING = 36;

/** Writes a thread's name into its slot (null: the program's). */
export function putSlotName(slot: Int32Array, name: string | null): void {
  const bytes = Buffer.alloc(4 * SLOT_NAME_WORDS);
  if (name !== null) bytes.write(name.slice(0, 15), 'latin1');
  for (let i = 0; i < SLOT_NAME_WORDS; i++) Atomics.store(slot, SLOT_NAME + i, bytes.readInt32LE(4 * i));
}

/** A thread's name from its slot (null: the program's). */
export function slotName(slot: Int32Array): string | null {
  const bytes = Buffer.alloc(4 * SLOT_NAME_WORDS);
  for (let i = 0; i < SLOT_NAME_WORDS; i++) bytes.writeInt32LE(Atomics.load(slot, SLOT_NAME + i), 4 * i);
  const end = bytes.indexOf(0);
  return end === 0 ? null : bytes.toString('latin1', 0, end < 0 ? bytes.length : end);
}
export const IDLE = 0, REQUEST = 1, REPLY = 2;
/** A fork posted as a message (it carries the thread's registers): the main thread replies. */
export const FORKING = 3;

export const countersBytes = (): number => ENGINE_COUNTERS.length * 8;

export const heldSignalsOf = (control: Int32Array): Int32Array => control.subarray(CTL_HELD, CTL_HELD + SHARED_SIGSET_WORDS);
/**
 * Not a syscall: a Worker whose mask now lets through a signal held for the process asks the
 * main thread to hand it over (ThreadGroup.offerUnclaimed) before it goes on.
 */
export const NR_CLAIM_HELD = -1;
/** Not a syscall: a Worker's touch of a shared page past the end of its file asks the main thread to look at the file again (GuestMemory.syncSharedPage). */
export const NR_SYNC_SHARED_PAGE = -4;
/** Not syscalls: a thread's vfork child starts in place in its Worker, or ends by _exit (the status its argument). */
export const NR_VFORK_BEGIN = -2, NR_VFORK_EXIT = -3;

export const codeLogOf = (control: Int32Array): CodeLog => new CodeLog(control.subarray(CTL_CODE_LOG, CTL_SLOTS));
export const slotOf = (control: Int32Array, index: number): Int32Array =>
  control.subarray(CTL_SLOTS + index * SLOT_WORDS, CTL_SLOTS + (index + 1) * SLOT_WORDS);

/** What a Worker is started with. */
export interface WorkerInit {
  urunThread: true;
  abi: string;
  cpu: string;
  memory: SharedGuestMemory;
  littleEndian: boolean;
  control: SharedArrayBuffer;
  slot: number;
  /** The thread's WaitArea buffer. */
  wait: SharedArrayBuffer;
  /** The thread's SignalRing buffer. */
  signals: SharedArrayBuffer;
  strace: boolean;
  /** The process's translation cache, when it has one. */
  cache: SharedCacheSettings | null;
  /** Float64 per ENGINE_COUNTERS entry: this Worker's engine counters, for --stats. */
  counters: SharedArrayBuffer;
  /** With gdb attached (urun -g): the block through which the stub stops and steps threads (thread-debug.ts). */
  debug?: SharedArrayBuffer | null;
  /** The descriptors this Worker may read and write itself (direct-io.ts). */
  directIo: SharedArrayBuffer;
}

/**
 * Where a blocked call's wait crosses between a Worker and the main thread: its deadline,
 * whether it was interrupted (Worker → main), and the host descriptors to wait on with
 * whether the call is restartable (main → Worker).
 */
export class WaitArea {
  static readonly MAX_FDS = 4096;
  static readonly BYTES = 24 + 8 * WaitArea.MAX_FDS;
  /** [0]: the thread's waitDeadline, or a wait's `until`; [1]: a wait's own `deadline`. */
  private readonly deadline: Float64Array;
  private readonly words: Int32Array;

  constructor(readonly buffer = new SharedArrayBuffer(WaitArea.BYTES)) {
    this.deadline = new Float64Array(buffer, 0, 2);
    this.words = new Int32Array(buffer, 16);
  }

  /** The calling thread's wait state, before its call goes to the main thread. */
  putState(t: ThreadSignals): void {
    this.deadline[0] = t.waitDeadline ?? NaN;
    this.words[0] = t.waitInterrupted ? 1 : 0;
  }

  takeState(t: ThreadSignals): void {
    t.waitDeadline = Number.isNaN(this.deadline[0]) ? null : this.deadline[0];
    t.waitInterrupted = this.words[0] === 1;
  }

  putWait(e: WaitForHostFds): boolean {
    if (e.fds.length > WaitArea.MAX_FDS) return false;
    this.deadline[0] = e.until;
    this.deadline[1] = e.deadline;
    this.words[0] = e.restartable === 'always' ? 2 : e.restartable ? 1 : 0;
    this.words[1] = e.fds.length;
    e.fds.forEach((f, i) => {
      this.words[2 + 2 * i] = f.fd;
      this.words[3 + 2 * i] = f.events;
    });
    return true;
  }

  takeWait(): WaitForHostFds {
    const fds: HostWait[] = [];
    for (let i = 0; i < this.words[1]; i++) fds.push({ fd: this.words[2 + 2 * i], events: this.words[3 + 2 * i] });
    const restartable = this.words[0] === 2 ? 'always' : this.words[0] === 1;
    return new WaitForHostFds(fds, this.deadline[0], restartable, this.deadline[1]);
  }
}

/**
 * Signals the main thread hands a Worker's thread, with what its handler learns of them
 * (the siginfo: glibc's cancellation handler checks that si_code is SI_TKILL and si_pid
 * its own pid). A ring the main thread fills and the Worker empties; when it is full, the
 * signal still goes through the slot's bits (SLOT_PROCESS_SIGNALS), as sent by kill().
 */
export class SignalRing {
  private static readonly ENTRIES = 64;
  /** present-fields mask, signo, code, pid, uid, value, timerId, overrun */
  private static readonly ENTRY_WORDS = 8;
  /** [0]: entries pushed (main thread), [1]: entries taken (Worker), then the entries. */
  private readonly words: Int32Array;

  constructor(readonly buffer = new SharedArrayBuffer(4 * (2 + SignalRing.ENTRIES * SignalRing.ENTRY_WORDS))) {
    this.words = new Int32Array(buffer);
  }

  /** Queues a signal (main thread); false if the ring is full. */
  push(info: SigInfo): boolean {
    const w = this.words;
    const head = Atomics.load(w, 0);
    if (head - Atomics.load(w, 1) >= SignalRing.ENTRIES) return false;
    const at = 2 + (head % SignalRing.ENTRIES) * SignalRing.ENTRY_WORDS;
    const optional = [info.pid, info.uid, info.value, info.timerId, info.overrun];
    let present = 0;
    optional.forEach((v, i) => {
      if (v !== undefined) present |= 1 << i;
      w[at + 3 + i] = v ?? 0;
    });
    w[at] = present;
    w[at + 1] = info.signo;
    w[at + 2] = info.code;
    Atomics.store(w, 0, head + 1);
    return true;
  }

  /** Takes every queued signal, oldest first (the Worker). */
  drain(take: (info: SigInfo) => void): void {
    const w = this.words;
    const head = Atomics.load(w, 0);
    for (let tail = Atomics.load(w, 1); tail !== head; tail++) {
      const at = 2 + (tail % SignalRing.ENTRIES) * SignalRing.ENTRY_WORDS;
      const present = w[at];
      const field = (i: number): number | undefined => (present & (1 << i) ? w[at + 3 + i] : undefined);
      const info: SigInfo = { signo: w[at + 1], code: w[at + 2] };
      const [pid, uid, value, timerId, overrun] = [0, 1, 2, 3, 4].map(field);
      if (pid !== undefined) info.pid = pid;
      if (uid !== undefined) info.uid = uid;
      if (value !== undefined) info.value = value;
      if (timerId !== undefined) info.timerId = timerId;
      if (overrun !== undefined) info.overrun = overrun;
      Atomics.store(w, 1, tail + 1);
      take(info);
    }
  }
}

/** main thread → Worker: run this guest thread. */
export interface RunThread {
  state: CpuState;
  tid: number;
  clearChildTid: number;
  sigmask: bigint;
  /** Its name: the creating thread's (null: the program's). */
  name: string | null;
  /** The process's first thread keeps its alternate signal stack; a new thread has none (as after clone). */
  altStack?: AltStack;
  /** The process's file mappings when the thread started (set by ThreadGroup.run). */
  mappings?: NamedMapping[];
  /** The program's name, an unnamed thread's (set by ThreadGroup.run). */
  comm?: string;
  /** Which of its Worker's runs this is (set by ThreadGroup.run). */
  run?: number;
  /**
   * The creating thread's per-thread host attributes that clone copies (PR_GET_KEEPCAPS,
   * PR_GET_TIMERSLACK), and the parent-death signal (host numbering), which a clone clears
   * but an execve keeps: a pooled Worker's host thread still has the last guest thread's.
   */
  threadAttrs?: [number, number, number];
}

/**
 * PR_GET_KEEPCAPS, PR_GET_TIMERSLACK of this host thread (what a clone copies to the new
 * thread), and its PR_GET_PDEATHSIG when `deathSignal` (a process's first thread moved to a
 * Worker keeps it, as the thread that called execve does), else 0 (a clone's is cleared).
 */
export function hostThreadAttrs(deathSignal = false): [number, number, number] {
  return [libc().prctl(7, 0, 0, 0, 0), libc().prctl(30, 0, 0, 0, 0), deathSignal ? Math.max(0, libc().prctlGetInt(2)) : 0];
}

/** Gives this host thread the attributes hostThreadAttrs read in the creating thread. */
function setHostThreadAttrs([keepcaps, slack, deathSignal]: [number, number, number]): void {
  const [myKeepcaps, mySlack, myDeathSignal] = hostThreadAttrs(true);
  if (keepcaps >= 0 && keepcaps !== myKeepcaps) libc().prctl(8, keepcaps, 0, 0, 0); // PR_SET_KEEPCAPS
  if (slack > 0 && slack !== mySlack) libc().prctl(29, slack, 0, 0, 0); // PR_SET_TIMERSLACK
  if (deathSignal !== myDeathSignal) libc().prctl(1, deathSignal, 0, 0, 0); // PR_SET_PDEATHSIG
}

/** Worker → main thread. */
export type WorkerReport =
  | { type: 'ready' }
  | { type: 'spawn'; thread: RunThread }
  | { type: 'idle'; run: number }
  | { type: 'warn'; message: string }
  | { type: 'cached'; name: string; entry: number; region: CachedRegion }
  /** Blocks this thread decoded, each the record of its file (scancache.ts). */
  | { type: 'scans'; scans: { name: string; record: Int32Array }[] }
  /** An interpreter handler this thread built (not in the script cache), for the main thread to write there. */
  | { type: 'function'; set: string; prelude: string; key: number; src: string }
  | { type: 'exit'; status: number; signal: number }
  | { type: 'fork'; state: CpuState; req: CloneRequest; sigmask: bigint }
  | { type: 'fault'; signal: number; addr: number; message: string }
  | { type: 'error'; message: string };

/** Decoded blocks a Worker sends at once (see runWorker's report). */
const SCAN_BATCH = 64;

async function runWorker(init: WorkerInit, port: MessagePort): Promise<void> {
  skipErrorStacks();
  // Decoded blocks go to the main thread in batches, and before any other report (a thread's
  // end, the process's exit), in order.
  let scans: { name: string; record: Int32Array }[] = [];
  const sendScans = () => {
    port.postMessage({ type: 'scans', scans } satisfies WorkerReport);
    scans = [];
  };
  const report = (r: WorkerReport) => {
    if (scans.length > 0) sendScans();
    port.postMessage(r);
  };
  const say = sayToStderr;
  const control = new Int32Array(init.control);
  const slot = slotOf(control, init.slot);
  const waitArea = new WaitArea(init.wait);
  const signalRing = new SignalRing(init.signals);
  const mem = new GuestMemory(init.littleEndian, init.memory);
  mem.threads = true;
  const arch = archFor(init.abi);
  const kernel = new Kernel(mem, arch.abi, { exePath: '', sysroot: null, warn: say });
  const dispatcher = new Dispatcher(kernel, arch.syscalls, init.strace ? (line) => say(`${kernel.thread.tid} ${line}`) : null);
  const forward = (nr: number, args: number[]): number => {
    for (let i = 0; i < 8; i++) slot[SLOT_ARGS + i] = args[i] ?? 0;
    slot[SLOT_NR] = nr;
    waitArea.putState(kernel.signals);
    Atomics.store(slot, SLOT_STATE, REQUEST);
    Atomics.add(control, CTL_DOORBELL, 1);
    Atomics.notify(control, CTL_DOORBELL);
    while (Atomics.load(slot, SLOT_STATE) === REQUEST) Atomics.wait(slot, SLOT_STATE, REQUEST);
    if (slot[SLOT_HAS_SECOND]) kernel.secondResult = slot[SLOT_SECOND];
    const r = slot[SLOT_RESULT];
    const wait = slot[SLOT_WAIT] ? waitArea.takeWait() : null;
    Atomics.store(slot, SLOT_STATE, IDLE);
    if (wait) {
      // The call's deadline goes with it when it is made again after the wait.
      kernel.signals.waitDeadline = wait.deadline;
      throw wait;
    }
    kernel.signals.waitInterrupted = false;
    kernel.signals.waitDeadline = null;
    return r;
  };
  // ppoll, pselect6 and epoll_pwait change this thread's mask for their wait (events.ts).
  const directIoTable = new Int32Array(init.directIo);
  /** The parent of the vfork child this thread runs in place: its registers, its call's address, its mask. */
  let vforkParent: { state: CpuState; pc: number; mask: bigint } | null = null;
  /** The vfork child is done (it exec'd, or exited as the process `pid`): its parent goes on, its vfork returning `pid`. */
  const vforkParentState = (pid: number): CpuState => {
    const p = vforkParent!;
    vforkParent = null;
    kernel.signals.mask = p.mask;
    kernel.abi.syscallReturn(p.state, p.pc, pid);
    return p.state;
  };
  const resumeVforkParent = (pid: number): never => {
    throw new SwitchContext(vforkParentState(pid));
  };
  dispatcher.forwardExcept(THREAD_LOCAL_SYSCALLS, (nr, args) => {
    const name = arch.abi.syscallNames[nr];
    if (vforkParent) {
      // Not direct I/O, which knows the parent's descriptors. An execve that worked started
      // the new program as a child process (the main thread answered with its pid).
      const r = threadWaitMask(kernel, name, args, () => forward(nr, args));
      if (r >= 0 && (name === 'execve' || name === 'execveat')) resumeVforkParent(r);
      return r;
    }
    return directIo(directIoTable, kernel, mem, name, args) ?? threadWaitMask(kernel, name, args, () => forward(nr, args));
  });
  const rtSigactionNr = Number(Object.entries(arch.abi.syscallNames).find(([, n]) => n === 'rt_sigaction')![0]);
  /**
   * A call urun makes for itself (rt_sigaction, below), which may come while the guest's own
   * call waits (a signal taken in waitForHostFds): the wait's state (its deadline, which also
   * tells a call run again after the wait what it had moved before, see resumed in blocking.ts;
   * whether a signal ended it) is the guest call's, and stays as it was.
   */
  const forwardOwn = (nr: number, args: number[]): number => {
    const t = kernel.signals;
    const { waitDeadline, waitInterrupted } = t;
    t.waitDeadline = null;
    t.waitInterrupted = false;
    try {
      return forward(nr, args);
    } finally {
      t.waitDeadline = waitDeadline;
      t.waitInterrupted = waitInterrupted;
    }
  };
  /**
   * Dispositions are the process's, kept by the main thread: before this thread enters a
   * handler it asks for the current one (rt_sigaction with no new action, the old one written
   * just below the guest's stack, as a signal frame would be).
   */
  const refreshDisposition = (guestSig: number): void => {
    const scratch = scratchRoom();
    if (scratch === null || forwardOwn(rtSigactionNr, [guestSig, 0, scratch, arch.abi.sigsetBytes, 0, 0, 0, 0]) !== 0) return;
    const a = arch.abi.readSigaction(mem, scratch);
    kernel.sigactions.set(guestSig, { handler: a.handler, flags: a.flags, mask: sigsetFromWordList(a.mask), restorer: a.restorer ?? 0 });
  };
  /**
   * Scratch room for a struct sigaction below the stack pointer or, when the fault is the
   * stack's own overflow, on the alternate signal stack (where the handler's frame goes next).
   */
  const scratchRoom = (): number | null => {
    const alt = kernel.signals.altStack;
    let scratch = (((cpu.R[arch.abi.stackRegister] >>> 0) - 512) & ~7) >>> 0;
    if (!mem.checkRange(scratch, 32, true) && alt.enabled) scratch = ((alt.sp + alt.size - 64) & ~7) >>> 0;
    return mem.checkRange(scratch, 32, true) ? scratch : null;
  };
  // A handler SA_RESETHAND reset here is reset for the whole process (the main thread's copy).
  kernel.onHandlerReset = (guestSig, act) => {
    const scratch = scratchRoom();
    if (scratch === null) return;
    arch.abi.writeSigaction(mem, scratch, { handler: act.handler, flags: act.flags, mask: sigsetWordList(act.mask, arch.abi.sigsetBytes / 4), restorer: act.restorer });
    forwardOwn(rtSigactionNr, [guestSig, scratch, 0, arch.abi.sigsetBytes, 0, 0, 0, 0]);
  };
  // The interpreter's handlers from the process's script cache, as the main thread takes them:
  // built again here, each was a `new Function` for V8 to parse and compile in every Worker.
  setScriptCacheDir(init.cache?.dir ?? null);
  if (init.cache) reportBuiltFunctions((set, prelude, key, src) => report({ type: 'function', set, prelude, key, src }));
  const cpu = await arch.makeCpu(mem, dispatcher, cpuModelFor(arch, init.cpu));
  kernel.cpu = cpu;
  // The interrupt word lives in the slot, where the main thread can reach it.
  kernel.signals = new ThreadSignals(slot.subarray(SLOT_INTERRUPT, SLOT_INTERRUPT + INTERRUPT_WORDS) as Int32Array<SharedArrayBuffer>);
  kernel.signals.maskMirror = slot.subarray(SLOT_MASK, SLOT_MASK + SHARED_SIGSET_WORDS);
  kernel.signals.waitingMirror = slot.subarray(SLOT_WAITING, SLOT_WAITING + 1);
  kernel.signals.processHeld = { words: heldSignalsOf(control), claim: () => void forwardOwn(NR_CLAIM_HELD, []) };
  mem.syncSharedPage = (addr) => void forwardOwn(NR_SYNC_SHARED_PAGE, [addr]);
  // The thread's copy of the process's file mappings, renewed at each thread it runs: a
  // stale copy only misses the cache (a region is used only if its bytes still match).
  let mappings: readonly NamedMapping[] = [];
  let cache: EngineCache | null = null;
  if (init.cache) {
    const store = new TranslationCache({ ...init.cache, warn: (message) => report({ type: 'warn', message }) }, init.cache.isaKey);
    store.onAdd = (name, entry, region) => report({ type: 'cached', name, entry, region: { blocks: region.blocks, hash: region.hash, src: region.src, v8: region.v8 } });
    store.keepsScans = true;
    store.onScan = (name, record) => {
      scans.push({ name, record });
      if (scans.length >= SCAN_BATCH) sendScans();
    };
    cache = engineCache(store, () => mappings);
  }
  const engine = new Engine(cpu, mem, { warn: say, codeLog: codeLogOf(control), interrupt: kernel.signals.interrupt, cache,
    countersOut: new Float64Array(init.counters) });
  const debug = init.debug && init.slot < MAX_DEBUG_SLOTS ? new WorkerDebug(init.debug, init.slot, cpu, engine, kernel.signals.interrupt, {
    // (A signal gdb resumes a thread with is the thread's, as ptrace's PTRACE_CONT gives it.)
    give: (host) => kernel.signals.queue({ signo: kernel.guestSignal(host), code: SI_USER, pid: 0, uid: process.getuid?.() ?? 0 }),
    finishSigreturn: () => finishSigreturn(kernel),
  }) : null;
  /**
   * Queues the signals the main thread handed this thread, and fetches the current
   * disposition of every signal pending for it (they are the process's, kept by the main thread).
   */
  const takeSignals = (): void => {
    for (const info of kernel.signals.pending) refreshDisposition(info.signo);
    signalRing.drain((info) => {
      refreshDisposition(info.signo); // (queueing drops a signal the process ignores)
      kernel.queueSignal(info);
    });
    for (let w = 0; w < SHARED_SIGSET_WORDS; w++) {
      const bits = Atomics.exchange(slot, SLOT_PROCESS_SIGNALS + w, 0);
      for (let b = 0; b < 32; b++) {
        if (!(bits & (1 << b))) continue;
        const signo = 32 * w + b + 1;
        refreshDisposition(signo); // (queueing drops a signal the process ignores)
        kernel.queueSignal({ signo, code: SI_USER, pid: 0 });
      }
    }
  };
  kernel.setTls = (v) => (cpu.tls = v);
  kernel.invalidateCode = (a, len) => engine.invalidateRange(a, len);
  // sigaltstack tells from it whether the thread runs on its alternate stack (SS_ONSTACK, EPERM).
  kernel.stackPointer = () => cpu.R[arch.abi.stackRegister];
  // fork of a thread: the child is a copy of the process with this thread only, made by the
  // main thread.
  const forkFromThread = (req: CloneRequest): number => {
    Atomics.store(slot, SLOT_STATE, FORKING);
    report({ type: 'fork', state: cloneChildState(kernel, cpu, req), req, sigmask: kernel.signals.mask });
    while (Atomics.load(slot, SLOT_STATE) === FORKING) Atomics.wait(slot, SLOT_STATE, FORKING);
    const r = slot[SLOT_RESULT];
    Atomics.store(slot, SLOT_STATE, IDLE);
    debug?.forkReturned(r);
    return r;
  };
  kernel.process = {
    fork: forkFromThread,
    // A vfork child (glibc's posix_spawn, with a stack of its own: see clone in processes.ts)
    // runs in place in this thread, on the shared memory, as on Linux: what it writes there
    // (posix_spawn's error code) its parent sees. Under gdb it gets a copy of the process.
    vfork: (req) => {
      if (vforkParent || debug) return vforkParent ? -E.EAGAIN : forkFromThread(req);
      const child = cloneChildState(kernel, cpu, req);
      const r = forwardOwn(NR_VFORK_BEGIN, []);
      if (r < 0) return r;
      vforkParent = { state: cpu.saveState(), pc: kernel.syscallPc, mask: kernel.signals.mask };
      throw new SwitchContext(child);
    },
    exec: () => -E.ENOSYS, // forwarded to the main thread before it gets here
    exit: (status) => {
      if (vforkParent) resumeVforkParent(forwardOwn(NR_VFORK_EXIT, [status & 0xff]));
      throw new GuestExit(status & 0xff);
    },
  };
  const host: ThreadHost = {
    control,
    // The slot holds the name: another thread may have renamed this one (writing its comm file).
    spawn: (state, tid, clearChildTid) => {
      Atomics.store(slot, SLOT_SPAWNED, tid);
      report({ type: 'spawn', thread: { state, tid, clearChildTid, sigmask: kernel.signals.mask, name: slotName(slot), threadAttrs: hostThreadAttrs() } });
    },
    threadName: (tid) => (tid === kernel.thread.tid ? slotName(slot) : undefined),
    nameChanged: (name) => putSlotName(slot, name),
  };

  // A signal for this thread ends its wait on host descriptors at once (the main thread
  // writes this eventfd), not after a slice of SIGNAL_CHECK_MS.
  let wakeFd = -1;
  try {
    wakeFd = libc().eventfd(0, HOST_O_NONBLOCK | HOST_O_CLOEXEC);
  } finally {
    Atomics.store(slot, SLOT_STARTED, 1);
    Atomics.notify(slot, SLOT_STARTED);
  }
  if (wakeFd > 0) Atomics.store(slot, SLOT_WAKE_FD, wakeFd);
  const drained = Buffer.alloc(8);
  const drainWake = (): void => {
    try {
      readSync(wakeFd, drained, 0, 8, null);
    } catch {
      // EAGAIN: no signal came.
    }
  };
  /** Waits on host descriptors (and the wake eventfd) in slices, looking for signals to this thread between them. */
  const waitForHostFds = (e: WaitForHostFds): void => {
    const t = kernel.signals;
    const fds = wakeFd > 0 ? [...e.fds, { fd: wakeFd, events: POLLIN }] : e.fds;
    t.waiting(true);
    try {
      for (;;) {
        const ready = hostWait(fds, e.until, SIGNAL_CHECK_MS);
        if (wakeFd > 0) drainWake();
        if (Atomics.load(t.interrupt, IRQ)) {
          // A call restarted whatever the signal gets every deliverable one now: the word,
          // left set, would only end its next wait at once.
          if (e.restartable === 'always') Atomics.store(t.interrupt, IRQ, 0);
          takeSignals();
          if (endWaitBySignal(kernel, e)) return;
        }
        // Ready, and no signal ends the call: it runs again. (Also when the word is still set by
        // a signal that turned out to be nothing to deliver, a SIGCHLD at its default: waiting
        // again would find the descriptors ready at once, again and again, a busy loop that
        // never ran the call again. The run loop clears the word.)
        if (ready) return;
        if (wallMs() >= e.until) return;
      }
    } finally {
      t.waiting(false);
    }
  };

  /**
   * pause, sigsuspend, sigtimedwait, a sleep that a signal may end (WaitForSignal): waits on
   * this thread's interrupt word until a signal it can take comes or the time is up; the
   * call then runs again.
   */
  const waitForSignal = (until: number | null, wanted: SigSet): void => {
    const t = kernel.signals;
    const irq = t.interrupt;
    const queued = t.pending.length;
    if (wanted !== 0n) {
      // Signals for the process that every thread blocks may now come to this one: the
      // main thread looks again when rung.
      storeSigset(slot, SLOT_SIGWAIT, wanted);
      Atomics.add(control, CTL_DOORBELL, 1);
      Atomics.notify(control, CTL_DOORBELL);
    }
    t.waiting(true);
    try {
      for (;;) {
        Atomics.store(irq, IRQ, 0);
        takeSignals(); // (queueing a signal it can take sets the word again)
        if (t.deliverable(t.mask) || t.pending.length !== queued) return;
        const left = until === null ? SIGNAL_CHECK_MS : until - performance.now();
        if (left <= 0) return;
        Atomics.wait(irq, IRQ, 0, Math.min(left, SIGNAL_CHECK_MS));
      }
    } finally {
      storeSigset(slot, SLOT_SIGWAIT, NO_SIGNALS);
      t.waiting(false);
    }
  };

  if (!debug) kernel.waitInPlace = waitForSignal;

  const runThread = (t: RunThread): void => {
    kernel.thread = { tid: t.tid, clearChildTid: t.clearChildTid, robustList: 0, robustListLen: 0, name: t.name };
    mappings = t.mappings ?? mappings;
    // PR_GET_NAME of a thread not renamed answers the program's name (programName).
    kernel.comm = t.comm ?? kernel.comm;
    kernel.threads = host;
    kernel.signals.mask = t.sigmask;
    kernel.signals.altStack = t.altStack ?? { sp: 0, size: 0, enabled: false };
    cpu.loadState(t.state);
    if (t.threadAttrs) setHostThreadAttrs(t.threadAttrs);
    debug?.threadStarted(t.tid);
    const irq = kernel.signals.interrupt;
    try {
      for (;;) {
        try {
          if (debug) debug.run();
          else engine.run();
        } catch (e) {
          if (e instanceof WaitForHostFds || e instanceof WaitForSignal) {
            debug?.waiting();
            if (e instanceof WaitForHostFds) waitForHostFds(e);
            else waitForSignal(e.until, e.wanted);
            debug?.waited();
            continue;
          }
          if (e instanceof SwitchContext) {
            cpu.loadState(e.state);
            continue;
          }
          if (e instanceof ThreadExit && vforkParent) {
            cpu.loadState(vforkParentState(forwardOwn(NR_VFORK_EXIT, [e.status])));
            continue;
          }
          if (!(e instanceof GuestFault)) throw e;
          // gdb sees a fault first, and may take it away (the instruction then runs again).
          if (debug && !debug.fault(e.signal)) continue;
          // A fault goes to the guest's handler if it has one (deliverFault rethrows otherwise).
          refreshDisposition(kernel.guestSignal(e.signal));
          deliverFault(kernel, e);
          continue;
        }
        Atomics.store(irq, IRQ, 0);
        takeSignals();
        finishSigreturn(kernel);
        // An attached gdb hears of each signal first (those it holds back are discarded).
        if (debug) {
          const t = kernel.signals;
          for (const info of t.unblocked()) if (!debug.signal(kernel.hostSignal(info.signo))) t.take(info);
        }
        deliverPending(kernel);
      }
    } catch (e) {
      debug?.threadEnded();
      if (e instanceof ThreadExit) {
        const left = Atomics.sub(control, CTL_LIVE_THREADS, 1) - 1;
        if (left > 0) Atomics.store(slot, SLOT_ENDED, t.run ?? 0);
        threadExited(kernel);
        if (left === 0) saveThreadCache();
        report(left === 0 ? { type: 'exit', status: e.status, signal: 0 } : { type: 'idle', run: t.run ?? 0 });
      } else if (e instanceof GuestFault) {
        releaseRobustList(kernel);
        report({ type: 'fault', signal: e.signal, addr: e.addr, message: e.message });
      } else if (e instanceof GuestExit) {
        releaseRobustList(kernel);
        saveThreadCache();
        report({ type: 'exit', status: e.status, signal: e.signal });
      } else {
        report({ type: 'error', message: `${(e as Error)?.message ?? String(e)} at guest pc 0x${(cpu.pc >>> 0).toString(16)}` });
      }
    }
  };
  port.on('message', runThread);
  report({ type: 'ready' });
}

if (process.argv.includes(GUEST_THREAD_ARG)) {
  const { parentPort, workerData } = workerThreads();
  const init = workerData as WorkerInit | null;
  // After every module has loaded: this one may be evaluated before those it imports finish.
  if (parentPort && init?.urunThread === true) setImmediate(() => void runWorker(init, parentPort));
}
