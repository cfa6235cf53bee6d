// A multi-threaded guest process. A process starts with its one thread running in-line on
// the main Node thread. At its first clone of a thread it becomes a ThreadGroup: every
// guest thread (the first one too, moved with its registers) runs in a Worker (worker.ts)
// over the shared guest memory, so threads run in parallel on the host's cores, and the
// main thread becomes the process's server: it owns the Kernel (files, memory layout,
// signal dispositions) and answers the syscalls the Workers forward through their request
// slots, waiting with Atomics.waitAsync so its event loop (host signals, Worker messages)
// stays free. Workers are pooled: starting one costs tens of milliseconds, so one is kept
// started ahead of need and an exited thread's Worker runs the next new thread.
import { existsSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { GUEST_THREAD_ARG, SAVE_THREAD_CACHE, workerThreads } from '../host/workers.js';
import { functionSet } from '../host/v8cache.js';
import type { GuestMemory } from '../memory/memory.js';
import type { Kernel } from '../syscalls/kernel.js';
import type { Dispatcher } from '../syscalls/dispatch.js';
import { CTL_LIVE_THREADS, CTL_NEXT_TID, type ThreadHost } from '../syscalls/threads.js';
import type { CpuState } from './cpu.js';
import { FUTEX_AT, GuestExit, GuestFault, INTERRUPT_WORDS, IRQ, WaitForHostFds, sigBit, loadSigset, storeSigset, type SigInfo } from './signals.js';
import { ExecGuest, type ThreadsStarted } from './control.js';
import { TICK_MS } from './ticker.js';
import { listenForHostSignals, nextTimerDue, timersFired } from '../syscalls/signals.js';
import { KIN_CHECK_MS, answerParent, parentChannel } from './kin.js';
import { threadDebugBlock } from '../debug/thread-debug.js';
import type { CloneRequest, VforkTables } from '../syscalls/kernel.js';
import { E } from '../syscalls/errno.js';
import { programName } from '../syscalls/procfs.js';
import type { TranslationCache } from './codecache.js';
import { ENGINE_COUNTERS, type EngineCounters } from './engine.js';
import { newDirectIoTable, publishDirectIo, unpublishDirectIo } from './direct-io.js';
import {
  CONTROL_WORDS, CTL_DOORBELL, MAX_WORKERS, REPLY, REQUEST, SLOT_INTERRUPT, SLOT_MASK, SLOT_PROCESS_SIGNALS, SLOT_ARGS, SLOT_HAS_SECOND, SLOT_NR, SLOT_RESULT, SLOT_WAIT,
  SLOT_SECOND, SLOT_SIGWAIT, SLOT_SPAWNED, SLOT_STARTED, SLOT_WAITING, SLOT_STATE, SLOT_ENDED, SLOT_WAKE_FD, SignalRing, putSlotName, slotName, WORKER_ENTRY, countersBytes, WaitArea, codeLogOf, slotOf, heldSignalsOf, NR_CLAIM_HELD, NR_SYNC_SHARED_PAGE, NR_VFORK_BEGIN, NR_VFORK_EXIT,
  hostThreadAttrs, type RunThread, type WorkerInit, type WorkerReport,
} from './worker.js';

// Atomics.waitAsync is in Node 20 but not in this TypeScript lib.
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, index: number, value: number, timeout?: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/**
 * A guest thread's young generation, in MB. V8 grows its default to tens of MB per isolate
 * in a thread whose syscalls allocate (a Go program doing file I/O on 4 goroutines, 7
 * threads: peak RSS 421 -> 327 MB, mean of 4 runs, wall time the same); a thread's hot loop
 * allocates nothing, so a small one costs it nothing (8 busy threads: 217 vs 221 MB, CPU equal).
 */
const WORKER_YOUNG_GENERATION_MB = 4;
/** How long an execve waits for a Worker still starting (see SLOT_STARTED). */
const WORKER_START_WAIT_MS = 5000;

/** What bin/urun tells a Worker about loading the bundle (globalThis.urunBundleLoader). */
interface BundleLoader {
  /** bin/urun's loadBundle. */
  source: string;
  bundle: string;
  /** The main thread's code cache, null when none. */
  cacheFile: string | null;
  /** Where the Workers' code cache is kept, null when none is. */
  threadCache: string | null;
}

/**
 * A Worker running worker.ts. From TypeScript sources (tsx, vitest) the Worker first
 * registers tsx's loader, which a Worker does not inherit; the built bundle needs none.
 */
function startWorker(init: WorkerInit): Worker {
  const { Worker } = workerThreads();
  const argv = [GUEST_THREAD_ARG];
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
  // Started by bin/urun: the Worker loads the bundle as bin/urun did, through V8's code cache
  // (which saves it most of compiling urun again; every Go program starts several threads).
  // Workers have a code cache of their own (threadCache): they run code the main thread may
  // never have compiled (the interpreter and engine, when a Go program's first thread starts
  // in one), and with the main thread's cache each Worker parsed and compiled those again
  // (a quarter of its start-up CPU). A Worker without it writes it as the process ends.
  const loader = (globalThis as { urunBundleLoader?: BundleLoader }).urunBundleLoader;
  if (loader) {
    const own = loader.threadCache !== null && existsSync(loader.threadCache);
    const readFrom = JSON.stringify(own ? loader.threadCache : loader.cacheFile);
    const load = `const { readFileSync, writeFileSync, renameSync } = require('node:fs');
let cachedData;
try { cachedData = ${readFrom} === null ? undefined : readFileSync(${readFrom}); } catch {}
const { script } = (${loader.source})(require, ${JSON.stringify(loader.bundle)}, readFileSync(${JSON.stringify(loader.bundle)}, 'utf8'), cachedData);
const saveTo = ${JSON.stringify(loader.threadCache)};
if (saveTo !== null && (!${own} || script.cachedDataRejected)) globalThis.${SAVE_THREAD_CACHE} = () => {
  const temp = saveTo + '.' + process.pid + '.' + require('node:worker_threads').threadId;
  try { writeFileSync(temp, script.createCachedData()); renameSync(temp, saveTo); } catch {}
};`;
    return new Worker(load, { eval: true, workerData: init, stdin: false, argv, resourceLimits });
  }
  if (!WORKER_ENTRY.pathname.endsWith('.ts')) return new Worker(WORKER_ENTRY, { workerData: init, stdin: false, argv, resourceLimits });
  const load = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_ENTRY.href)}); });`;
  return new Worker(load, { eval: true, workerData: init, stdin: false, argv, resourceLimits });
}

const HOST_CPUS = availableParallelism();
/** What a signal writes to a thread's wake eventfd (SLOT_WAKE_FD). */
const WAKE_ONE = new BigUint64Array([1n]);

/** How the process ends: the same outcomes a single-threaded run throws out of its engine. */
export type ProcessEnd = (e: unknown) => never;

interface PooledWorker {
  worker: Worker;
  slot: Int32Array;
  wait: WaitArea;
  /** Its engine's counters (ENGINE_COUNTERS order), which it keeps up to date. */
  counters: Float64Array;
  signals: SignalRing;
  /** The guest thread it runs (while busy). */
  tid: number;
  /** How many threads it was given (RunThread.run of the current one). */
  runs: number;
  /** The tables of the vfork child its thread runs in place (ProcessHooks.vforkTables), or null. */
  vforkChild: VforkTables | null;
  /** Started: it runs a thread it is given at once. */
  ready: boolean;
  /** When it was given a thread before it was ready (performance.now()), else null. */
  givenEarly: number | null;
}

export interface ThreadGroupOptions {
  kernel: Kernel;
  dispatcher: Dispatcher;
  mem: GuestMemory;
  /** The ArchAbi name, for the Workers to set up the same CPU and syscall ABI. */
  abi: string;
  /** The CPU model's name (--cpu), for the Workers' CPUs. */
  cpu: string;
  strace: boolean;
  /** The process's translation cache: Workers read it too, and hand it the regions they compile. */
  cache: TranslationCache | null;
  /** Starts a child process from a thread's registers (fork and vfork of a thread). */
  fork(state: CpuState, req: CloneRequest): number;
}

const slotSigset = (w: PooledWorker, at: number): bigint => loadSigset(w.slot, at);
const blocks = (w: PooledWorker, guestSig: number): boolean => (slotSigset(w, SLOT_MASK) & sigBit(guestSig)) !== 0n;

export class ThreadGroup implements ThreadHost {
  readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  /** The plain files the Workers may read and write themselves (direct-io.ts). */
  private readonly directIo = newDirectIoTable();
  private readonly all: PooledWorker[] = [];
  private readonly idle: PooledWorker[] = [];
  private readonly busy = new Set<PooledWorker>();
  private readonly byTid = new Map<number, PooledWorker>();
  /** Signals for the process that every thread blocked when they came. */
  private unclaimed: SigInfo[] = [];
  /** A guest execve that ends every thread (answered by the run loop, not a reply). */
  private exec: ExecGuest | null = null;
  /** Workers started but not yet ready to run guest code. */
  private starting = 0;
  /** For --stats: the threads run, and those that waited for their Worker to start (how long in all). */
  readonly started = { threads: 0, waited: 0, waitedMs: 0 };
  private end: ProcessEnd = (e) => {
    throw e;
  };

  constructor(private readonly opts: ThreadGroupOptions) {
    opts.kernel.fds.onChange = (fd) => unpublishDirectIo(this.directIo, fd);
    this.control[CTL_NEXT_TID] = opts.kernel.thread.tid + 1;
    this.control[CTL_LIVE_THREADS] = 1; // the thread that is cloning
    // From now on a code change anywhere reaches every thread's translations.
    const log = codeLogOf(this.control);
    opts.mem.onCodeWrite = (page) => log.publish(page);
  }

  /**
   * A signal for the process goes to one running thread, through its slot: the main thread
   * unless it blocks it, else the first that does not. That thread takes it at its next
   * block boundary, or its wait ends with EINTR.
   */
  postSignal(info: SigInfo): void {
    const w = this.takerOf(info.signo);
    if (w) this.postTo(w, info);
    // Every thread blocks it: it stays pending for the process until one lets it through
    // (sigprocmask, or ppoll/pselect/sigsuspend's temporary mask; see offerUnclaimed). A
    // standard signal is pending at most once.
    else if (this.busy.size > 0 && (info.signo >= 32 || !this.unclaimed.some((u) => u.signo === info.signo))) {
      this.unclaimed.push(info);
      this.publishHeld();
    }
  }

  /** Mirrors the held signals' set where every thread's sigpending and mask changes read it. */
  private publishHeld(): void {
    storeSigset(heldSignalsOf(this.control), 0, this.unclaimed.reduce((set, info) => set | sigBit(info.signo), 0n));
  }

  /**
   * The running thread to take a signal: the main thread unless it blocks it, else the
   * first that does not, else one waiting for it in sigtimedwait.
   */
  private takerOf(guestSig: number): PooledWorker | undefined {
    // Linux offers it to the main thread first (the thread group leader).
    const leader = this.byTid.get(this.opts.kernel.pid);
    const candidates = leader ? [leader, ...this.busy] : [...this.busy];
    return candidates.find((w) => !blocks(w, guestSig)) ?? candidates.find((w) => (slotSigset(w, SLOT_SIGWAIT) & sigBit(guestSig)) !== 0n);
  }

  threadName(tid: number): string | null | undefined {
    const w = this.byTid.get(tid);
    if (w) return slotName(w.slot);
    // Created, its 'spawn' report not here yet: named as its creator, or as renamed since.
    const creator = this.creatorOf(tid);
    return creator ? this.pendingNames.get(tid) ?? slotName(creator.slot) : undefined;
  }

  setThreadName(tid: number, name: string): boolean {
    const w = this.byTid.get(tid);
    if (w) putSlotName(w.slot, name);
    else if (this.creatorOf(tid)) this.pendingNames.set(tid, name);
    else return false;
    return true;
  }

  /** Names given to threads not started yet (setThreadName before their 'spawn' report). */
  private readonly pendingNames = new Map<number, string>();

  /** The Worker whose thread just created thread `tid`, while the main thread has not started it. */
  private creatorOf(tid: number): PooledWorker | undefined {
    return tid > 0 && !this.byTid.has(tid) ? this.all.find((w) => Atomics.load(w.slot, SLOT_SPAWNED) === tid) : undefined;
  }

  letsThrough(guestSig: number, tid: number | null): boolean {
    if (tid === null) return [...this.busy].some((w) => !blocks(w, guestSig));
    const w = this.byTid.get(tid);
    return w !== undefined && !blocks(w, guestSig);
  }

  /** Hands the signals pending for the process to threads that now let them through. */
  private offerUnclaimed(): void {
    if (this.unclaimed.length === 0) return;
    this.unclaimed = this.unclaimed.filter((info) => {
      const w = this.takerOf(info.signo);
      if (w) this.postTo(w, info);
      return !w;
    });
    this.publishHeld();
  }

  holdsPending(info: SigInfo): boolean {
    return this.unclaimed.includes(info);
  }

  /** tgkill/tkill of another thread: false if no running thread has that id. */
  signalThread(tid: number, info: SigInfo): boolean {
    const w = this.byTid.get(tid);
    if (!w) {
      // Created, its 'spawn' report not here yet (pthread_kill just after pthread_create):
      // the signal waits for it, pending for that thread as Linux keeps it.
      if (!this.creatorOf(tid)) return false;
      const held = this.pendingSignals.get(tid);
      if (held) held.push(info);
      else this.pendingSignals.set(tid, [info]);
      return true;
    }
    this.postTo(w, info);
    return true;
  }

  /** Signals sent to threads not started yet (signalThread before their 'spawn' report). */
  private readonly pendingSignals = new Map<number, SigInfo[]>();

  private postTo(w: PooledWorker, info: SigInfo): void {
    // (A full ring: the signal still arrives, its siginfo that of a kill().)
    if (!w.signals.push(info)) Atomics.or(w.slot, SLOT_PROCESS_SIGNALS + ((info.signo - 1) >> 5), 1 << ((info.signo - 1) & 31));
    Atomics.store(w.slot, SLOT_INTERRUPT + IRQ, 1);
    Atomics.notify(w.slot, SLOT_INTERRUPT + IRQ);
    // A thread waiting on a futex or on host descriptors hears of it now, not at its next check.
    const futex = Atomics.load(w.slot, SLOT_INTERRUPT + FUTEX_AT);
    if (futex !== 0) Atomics.notify(this.opts.mem.i32, futex - 1);
    const wakeFd = Atomics.load(w.slot, SLOT_WAKE_FD);
    if (wakeFd > 0) {
      try {
        writeSync(wakeFd, WAKE_ONE);
      } catch {
        // The thread has ended and its descriptor with it.
      }
    }
  }

  spawn(state: CpuState, tid: number, clearChildTid: number): void {
    this.run({ state, tid, clearChildTid, sigmask: this.opts.kernel.signals.mask, name: this.opts.kernel.thread.name });
  }

  private run(thread: RunThread): void {
    // A Worker still starting comes after one whose thread has just ended: that one is ready.
    const w = this.takeReadyIdle() ?? this.takeEnded() ?? this.idle.shift() ?? this.addWorker();
    // Its mask, as the Worker will mirror it, from now on: a signal sent before the Worker
    // starts the thread must not go to it if it blocks it (nor end the process).
    storeSigset(w.slot, SLOT_MASK, thread.sigmask);
    putSlotName(w.slot, thread.name);
    this.busy.add(w);
    this.byTid.set(thread.tid, w);
    w.tid = thread.tid;
    const held = this.pendingSignals.get(thread.tid);
    if (held) {
      this.pendingSignals.delete(thread.tid);
      for (const info of held) this.postTo(w, info);
    }
    // The thread finds which file its code came from (its cache partition) in this copy.
    thread.mappings = this.opts.kernel.mappingNames;
    thread.comm = programName(this.opts.kernel);
    thread.run = ++w.runs;
    this.started.threads++;
    if (!w.ready) w.givenEarly = performance.now();
    w.worker.postMessage(thread);
    this.keepSpare();
  }

  /**
   * Starts `count` Workers while the program is still starting up, on another core: those its
   * first threads will need (the process's first thread moves into one).
   */
  prestart(count: number): void {
    while (this.idle.length < count) this.idle.push(this.addWorker());
  }

  /**
   * Of the idle Workers that are ready, the one that became idle last (its code is the
   * warmest). Those still starting are taken first started first (they get ready in about
   * that order: a Go program's first thread waited ~100 ms for the last of those prestart()
   * started).
   */
  private takeReadyIdle(): PooledWorker | undefined {
    for (let i = this.idle.length - 1; i >= 0; i--) if (this.idle[i].ready) return this.idle.splice(i, 1)[0];
    return undefined;
  }

  /** A Worker whose thread has ended, its 'idle' report not yet here. */
  private takeEnded(): PooledWorker | undefined {
    for (const w of this.busy) {
      if (Atomics.load(w.slot, SLOT_ENDED) !== w.runs) continue;
      this.busy.delete(w);
      if (this.byTid.get(w.tid) === w) this.byTid.delete(w.tid);
      return w;
    }
    return undefined;
  }

  /**
   * Keeps one Worker started ahead of need, so that a new thread starts in microseconds.
   * Not while others are starting, nor while as many threads run as there are host cores: on
   * a machine of few cores that would slow those down (two threads computing on two cores
   * lost ~100 ms to a spare that nothing used). Threads that wait (SLOT_WAITING: a Go
   * program's sysmon sleeping, a pool's threads on their condition variable) leave a core free.
   */
  private keepSpare(): void {
    if (this.idle.length !== 0 || this.starting !== 0) return;
    let running = 0;
    for (const w of this.busy) if (Atomics.load(w.slot, SLOT_WAITING) === 0) running++;
    if (running < HOST_CPUS) this.idle.push(this.addWorker());
  }

  /** The guest threads handed to Workers and not yet ended (gdb's stub waits for each to stop). */
  threadIds(): number[] {
    return [...this.byTid.keys()];
  }

  /** The threads /proc/self/task lists: those running, and those just created (SLOT_SPAWNED). */
  taskIds(): number[] {
    const pending = this.all.map((w) => Atomics.load(w.slot, SLOT_SPAWNED)).filter((tid) => tid > 0 && !this.byTid.has(tid));
    return [...this.byTid.keys(), ...pending];
  }

  /** The interrupt word of the Worker in slot `slot` (gdb's stub stops threads through it). */
  interruptOf(slot: number): Int32Array {
    return slotOf(this.control, slot).subarray(SLOT_INTERRUPT, SLOT_INTERRUPT + INTERRUPT_WORDS);
  }

  private addWorker(): PooledWorker {
    if (this.all.length >= MAX_WORKERS) this.end(new GuestExit(1));
    const wait = new WaitArea();
    const counters = new Float64Array(new SharedArrayBuffer(countersBytes()));
    const signals = new SignalRing();
    const init: WorkerInit = {
      urunThread: true, abi: this.opts.abi, cpu: this.opts.cpu, memory: this.opts.mem.shared, littleEndian: this.opts.mem.littleEndian,
      control: this.control.buffer as SharedArrayBuffer, slot: this.all.length, wait: wait.buffer, signals: signals.buffer, strace: this.opts.strace,
      directIo: this.directIo.buffer as SharedArrayBuffer,
      cache: this.opts.cache?.shareable ?? null, counters: counters.buffer as SharedArrayBuffer,
      debug: threadDebugBlock(),
    };
    const worker = startWorker(init);
    this.starting++;
    const w: PooledWorker = { worker, slot: slotOf(this.control, this.all.length), wait, counters, signals, tid: 0, runs: 0, vforkChild: null, ready: false, givenEarly: null };
    this.all.push(w);
    worker.on('message', (r: WorkerReport) => this.onReport(w, r));
    worker.on('error', (e) => this.end(e));
    return w;
  }

  /** How many Workers were started. */
  get workers(): number {
    return this.all.length;
  }

  /** The sum of `base` and every Worker's engine counters. */
  addCounters(base: EngineCounters): EngineCounters {
    const sum = { ...base };
    for (const w of this.all) ENGINE_COUNTERS.forEach((k, i) => (sum[k] += w.counters[i]));
    return sum;
  }

  private onReport(w: PooledWorker, r: WorkerReport): void {
    switch (r.type) {
      case 'ready':
        w.ready = true;
        if (w.givenEarly !== null) {
          this.started.waited++;
          this.started.waitedMs += performance.now() - w.givenEarly;
        }
        this.starting--;
        return this.keepSpare();
      case 'spawn': {
        Atomics.compareExchange(w.slot, SLOT_SPAWNED, r.thread.tid, 0);
        const named = this.pendingNames.get(r.thread.tid);
        this.pendingNames.delete(r.thread.tid);
        return this.run(named === undefined ? r.thread : { ...r.thread, name: named });
      }
      case 'idle':
        if (r.run !== w.runs) return; // taken for a new thread already (takeEnded)
        this.busy.delete(w);
        this.byTid.delete(w.tid);
        this.idle.push(w);
        return;
      case 'warn':
        this.opts.cache?.warnOnce(r.message);
        return;
      case 'cached':
        this.opts.cache?.adopt(r.name, r.entry, r.region);
        return;
      case 'scans':
        for (const { name, record } of r.scans) this.opts.cache?.adoptScan(name, record);
        return;
      case 'function':
        functionSet(r.set, r.prelude).adopt(r.key, r.src);
        return;
      case 'exit': return this.end(new GuestExit(r.status, r.signal));
      case 'fork': {
        // The child has the forking thread's signal mask (the main thread's Kernel keeps
        // the one the process had when its threads started).
        const signals = this.opts.kernel.signals;
        const processMask = signals.mask;
        signals.mask = r.sigmask;
        try {
          w.slot[SLOT_RESULT] = this.opts.fork(r.state, r.req);
        } finally {
          signals.mask = processMask;
        }
        Atomics.store(w.slot, SLOT_STATE, REPLY);
        Atomics.notify(w.slot, SLOT_STATE);
        return;
      }
      case 'fault': {
        const f = new GuestFault(r.signal, r.addr, '');
        f.message = r.message;
        return this.end(f);
      }
      case 'error': return this.end(new Error(r.message));
    }
  }

  /**
   * Moves the process's first thread into a Worker and serves the threads' syscalls until
   * the process ends (through `end`, which never returns).
   */
  async serve(first: ThreadsStarted, end: ProcessEnd): Promise<ExecGuest> {
    this.end = end;
    const k = this.opts.kernel;
    listenForHostSignals(k); // (see blockedAtDefault)
    // The first thread keeps its alternate signal stack (Go's runtime relies on it), and its
    // host thread attributes, the parent-death signal too (kept across an execve).
    this.run({ state: first.state, tid: k.thread.tid, clearChildTid: k.thread.clearChildTid, sigmask: k.signals.mask, name: k.thread.name, altStack: k.signals.altStack, threadAttrs: hostThreadAttrs(true) });
    const control = this.control;
    for (;;) {
      const bell = Atomics.load(control, CTL_DOORBELL);
      for (const w of this.busy) if (Atomics.load(w.slot, SLOT_STATE) === REQUEST) this.answer(w);
      if (this.exec) {
        // execve of a guest program: every thread ends; the new image runs in-line again.
        // (Not a Worker still loading the native layer, which would abort the process: a
        // spare started with the thread that execs. It gets a few seconds to get past it.)
        k.fds.onChange = null;
        for (const w of this.all) if (Atomics.load(w.slot, SLOT_STARTED) === 0) Atomics.wait(w.slot, SLOT_STARTED, 0, WORKER_START_WAIT_MS);
        for (const w of this.all) void w.worker.terminate();
        return this.exec;
      }
      // The process's timers (alarm, setitimer, timer_create) fire here: their signals go to
      // a thread like any other signal for the process.
      timersFired(k);
      this.offerUnclaimed();
      // A forked child answers its parent (kin.ts) between the threads' calls.
      answerParent();
      const due = nextTimerDue(k);
      const timeout = Math.min(k.ticker ? TICK_MS : parentChannel() < 0 ? Infinity : KIN_CHECK_MS, due === null ? Infinity : Math.max(0, due - performance.now()));
      const wait = waitAsync(control, CTL_DOORBELL, bell, timeout);
      if (wait.async) await wait.value;
    }
  }

  private answer(w: PooledWorker): void {
    const { slot, wait } = w;
    const k = this.opts.kernel;
    if (slot[SLOT_NR] === NR_CLAIM_HELD) {
      this.offerUnclaimed();
      return this.reply(slot, 0);
    }
    if (slot[SLOT_NR] === NR_SYNC_SHARED_PAGE) {
      k.mem.syncSharedPage(slot[SLOT_ARGS] >>> 0);
      return this.reply(slot, 0);
    }
    const hooks = k.process;
    if (slot[SLOT_NR] === NR_VFORK_BEGIN) {
      w.vforkChild = hooks?.vforkTables?.() ?? null;
      return this.reply(slot, w.vforkChild ? 0 : -E.ENOSYS);
    }
    const child = w.vforkChild;
    if (slot[SLOT_NR] === NR_VFORK_EXIT && child) {
      w.vforkChild = null;
      return this.reply(slot, hooks!.endVforkChild!(child, slot[SLOT_ARGS]));
    }
    const nr = slot[SLOT_NR] >>> 0;
    const args = Array.from(slot.subarray(SLOT_ARGS, SLOT_ARGS + 8));
    let r = 0;
    k.secondResult = null;
    slot[SLOT_WAIT] = 0;
    // The main thread's signal state stands in for the calling thread's wait state.
    wait.takeState(k.signals);
    k.servingTid = w.tid;
    try {
      const call = () => this.opts.dispatcher.callForwarded(nr, args);
      r = child ? hooks!.asVforkChild!(child, slotSigset(w, SLOT_MASK), call) : call();
    } catch (e) {
      if (e instanceof WaitForHostFds && wait.putWait(e)) slot[SLOT_WAIT] = 1;
      else if (e instanceof ExecGuest) {
        // The new program has the calling thread's mask (the main thread's Kernel keeps the
        // one the process had when its threads started: glibc's pthread_create blocks all then).
        k.signals.mask = slotSigset(w, SLOT_MASK);
        this.exec = e;
        return;
      } else return this.end(e);
    } finally {
      k.servingTid = null;
      k.signals.waitDeadline = null;
      k.signals.waitInterrupted = false;
    }
    if (child !== null && child.became !== null) {
      w.vforkChild = null;
      hooks!.endVforkChild!(child, null);
    }
    if (r >= 0 && !child) publishDirectIo(this.directIo, k, k.syscallName, args[0]);
    this.reply(slot, r, k.secondResult);
  }

  private reply(slot: Int32Array, result: number, second: number | null = null): void {
    slot[SLOT_RESULT] = result;
    slot[SLOT_HAS_SECOND] = second === null ? 0 : 1;
    slot[SLOT_SECOND] = second ?? 0;
    Atomics.store(slot, SLOT_STATE, REPLY);
    Atomics.notify(slot, SLOT_STATE);
  }
}
