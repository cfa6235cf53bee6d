// gdb's all-stop mode for a multi-threaded guest (urun -g). Guest threads run in Workers
// (engine/worker.ts); the stub (gdb-stub.ts) serves gdb on the main thread. They meet in one
// shared block of int32 words:
//
// - a stop flag: when set, every thread parks at its next step or block boundary (the main
//   thread also raises each thread's interrupt word, so that running code comes back and a
//   futex wait ends early, EINTR, as a signal would end it);
// - the breakpoint addresses and the watchpoints, which every Worker checks at each step while
//   there are any (it then runs through the interpreter, as the single-threaded stub does);
// - per Worker: whether it runs a thread, which, why it parked (a trap, a watchpoint it hit,
//   a fault, which gdb sees before the guest's handler does), what gdb wants next (stay,
//   continue, step; deliver the fault or not) and its registers, published when it parks or
//   blocks in a wait (gdb reads and writes them there; a parked thread takes written ones
//   back when it resumes).
//
// A thread blocked in a host wait (read of an empty pipe, sigsuspend...) publishes its
// registers first and counts as stopped; it parks when the wait ends if gdb still has the
// process stopped.
import type { CpuState, GuestCpu } from '../engine/cpu.js';
import type { Engine } from '../engine/engine.js';
import type { DebuggedThreads } from '../engine/debug-hook.js';
import { IRQ } from '../engine/signals.js';
import { Stepper } from './stepper.js';
import { WATCH_KINDS, WatchedMemory, hitAddress, watchStopPart, type Watchpoint } from './watch.js';

const STOP = 0, RESUME = 1, EVENT = 2, BP_COUNT = 3, BP_ADDRS = 4;
export const MAX_BREAKPOINTS = 256;
const WP_COUNT = BP_ADDRS + MAX_BREAKPOINTS, WP_LIST = WP_COUNT + 1;
/** Watchpoints (kind, address, length: three words each). */
export const MAX_WATCHPOINTS = 64;
/** Set when gdb has gone (detached): a fault then goes straight to the guest. */
const DETACHED = WP_LIST + 3 * MAX_WATCHPOINTS;
/** The host signals gdb lets through without a stop (QPassSignals): a bit each, signals 1-64 in two words. */
const PASS = DETACHED + 1;
/**
 * The pid of a child forked by a thread that gdb is to hear of (fork events): set by the
 * stub as the fork is made; the forking thread takes it and parks, reporting the fork.
 */
const FORK_HELD = PASS + 2;
const SLOTS = FORK_HELD + 1;
/** Workers a debugged process may have (a slot each, by the Worker's slot number). */
export const MAX_DEBUG_SLOTS = 256;
const S_STATE = 0, S_TID = 1, S_REASON = 2, S_ACTION = 3, S_DIRTY = 4, S_PC = 5, S_FPCONTROL = 6, S_FPMODE = 7, S_TLS = 8;
/**
 * Why it parked, in detail: the watchpoint hit (kind, index in WATCH_KINDS; first watched
 * address touched), the fault's signal; whether to deliver the fault on resume; the host
 * signal gdb resumed it with, when another than the one it stopped for (`signal SIG`); the
 * child whose fork it stopped after.
 */
const S_HIT_KIND = 9, S_HIT_ADDR = 10, S_FAULT = 11, S_DELIVER = 12, S_SIGNAL = 13, S_FORKED = 14, S_R = 15;
const R_WORDS = 64, FPU_WORDS = 64;
const S_FPU = S_R + R_WORDS;
const SLOT_WORDS = S_FPU + FPU_WORDS;
export const DEBUG_BLOCK_WORDS = SLOTS + MAX_DEBUG_SLOTS * SLOT_WORDS;

/** What a Worker slot is doing. */
export const enum SlotState { Free = 0, Running = 1, Parked = 2, Waiting = 3 }
/** Why a thread parked. */
export const enum ParkReason { Stopped = 0, Trap = 1, Watch = 2, Fault = 3, Fork = 4 }
/** What gdb wants a parked thread to do when the process resumes. */
export const enum Action { Stay = 0, Continue = 1, Step = 2 }

/**
 * How long a stop waits for a thread handed to a Worker that has not started it yet (a
 * Worker starting on a loaded machine can take seconds; a thread that ended leaves the
 * list as soon as its Worker says so, so this bounds only a lost Worker).
 */
const NEW_THREAD_MS = 30_000;
/** Steps between looks at the stop flag and the interrupt word while stepping. */
const STEPS_PER_CHECK = 10000;

let block: SharedArrayBuffer | null = null;

/** The debug block new guest-thread Workers are given (the stub makes it when gdb attaches). */
export function threadDebugBlock(): SharedArrayBuffer | null {
  return block;
}

/** Whether gdb is attached to this process (urun -g; the stub makes the block at once), and not detached from its threads. */
export function debuggerAttached(): boolean {
  return block !== null && Atomics.load(new Int32Array(block), DETACHED) === 0;
}

export function makeThreadDebugBlock(): SharedArrayBuffer {
  return (block ??= new SharedArrayBuffer(DEBUG_BLOCK_WORDS * 4));
}

const slotBase = (slot: number): number => SLOTS + slot * SLOT_WORDS;

/** Which host signals reach the guest's threads without stopping them for gdb (QPassSignals). */
export function setPassSignals(hosts: ReadonlySet<number>): void {
  if (block === null) return;
  const w = new Int32Array(block);
  for (let word = 0; word < 2; word++) {
    let bits = 0;
    for (const h of hosts) if (h >= 1 && h <= 64 && ((h - 1) >> 5) === word) bits |= 1 << ((h - 1) & 31);
    Atomics.store(w, PASS + word, bits);
  }
}

const passes = (w: Int32Array, host: number): boolean =>
  host >= 1 && host <= 64 && (Atomics.load(w, PASS + ((host - 1) >> 5)) & (1 << ((host - 1) & 31))) !== 0;

function publish(w: Int32Array, base: number, s: CpuState): void {
  w[base + S_PC] = s.pc;
  w[base + S_FPCONTROL] = s.fpControl;
  w[base + S_FPMODE] = s.fpMode;
  w[base + S_TLS] = s.tls;
  w.set(s.R.subarray(0, R_WORDS), base + S_R);
  w.set(new Int32Array(s.fpu.buffer, s.fpu.byteOffset, Math.min(FPU_WORDS, s.fpu.length >> 2)), base + S_FPU);
}

function published(w: Int32Array, base: number, like: CpuState): CpuState {
  const fpu = new Uint8Array(like.fpu.length);
  new Int32Array(fpu.buffer).set(w.subarray(base + S_FPU, base + S_FPU + (fpu.length >> 2)));
  return {
    pc: w[base + S_PC], fpControl: w[base + S_FPCONTROL], fpMode: w[base + S_FPMODE], tls: w[base + S_TLS],
    R: w.slice(base + S_R, base + S_R + like.R.length), fpu,
  };
}

/** A Worker's side: runs its guest thread so that gdb can stop it, step it and break in it. */
export class WorkerDebug {
  private readonly w: Int32Array;
  private readonly base: number;
  private readonly stepper: Stepper;
  private leaving = false;
  private readonly bps = new Set<number>();
  private bpSeen = -1;
  private readonly watched: WatchedMemory;
  /** The signal (host) gdb gave this thread as it resumed it last, until the thread takes it. */
  private given = 0;
  /** That signal, queued: delivered without another stop. */
  private injected = 0;
  /** A child this thread forked that gdb is to hear of: the thread parks at its next turn (see forkReturned). */
  private forkStop = 0;

  /**
   * `kernel` is the thread's side of the kernel: `give` queues a host signal for the thread
   * (one gdb resumed it with), `finishSigreturn` restores the context a sigreturn asked for.
   */
  constructor(shared: SharedArrayBuffer, slot: number, private readonly cpu: GuestCpu, private readonly engine: Engine, private readonly irq: Int32Array,
    private readonly kernel: { give(host: number): void; finishSigreturn(): void } = { give: () => {}, finishSigreturn: () => {} }) {
    this.w = new Int32Array(shared);
    this.base = slotBase(slot);
    this.watched = new WatchedMemory(() => engine.mem.bytes);
    this.stepper = new Stepper(cpu, (acc) => this.watched.wrap(acc));
  }

  threadStarted(tid: number): void {
    this.w[this.base + S_TID] = tid;
    this.w[this.base + S_REASON] = ParkReason.Stopped;
    Atomics.store(this.w, this.base + S_STATE, SlotState.Running);
  }

  threadEnded(): void {
    Atomics.store(this.w, this.base + S_STATE, SlotState.Free);
    this.event();
  }

  /** The thread is about to wait for the host: it counts as stopped meanwhile. */
  waiting(): void {
    publish(this.w, this.base, this.cpu.saveState());
    Atomics.store(this.w, this.base + S_STATE, SlotState.Waiting);
    this.event();
  }

  waited(): void {
    Atomics.store(this.w, this.base + S_STATE, SlotState.Running);
  }

  /**
   * This thread's fork returned `pid` in the parent: when the stub holds that child for gdb's
   * choice (fork events), the thread stops right after the fork's syscall, every thread with
   * it, and gdb hears of the fork there (the main thread's run loop does the same for a
   * single-threaded process).
   */
  forkReturned(pid: number): void {
    if (pid <= 0 || Atomics.compareExchange(this.w, FORK_HELD, pid, 0) !== pid) return;
    this.forkStop = pid;
    Atomics.store(this.irq, IRQ, 1);
  }

  /** In place of engine.run(): the same outcomes, with stops for gdb. */
  run(): void {
    const w = this.w;
    if (this.forkStop !== 0) {
      w[this.base + S_FORKED] = this.forkStop;
      this.forkStop = 0;
      // (gdb gone meanwhile: it let the child go.)
      if (Atomics.load(w, DETACHED) === 0) {
        this.trap(ParkReason.Fork);
        return;
      }
    }
    if (Atomics.load(w, STOP) !== 0) {
      this.park(ParkReason.Stopped);
      // Resumed with a signal: it is delivered first (a step then starts in its handler).
      if (this.injected !== 0) return;
    }
    this.refreshPoints();
    const action = w[this.base + S_ACTION];
    if (action === Action.Step) {
      w[this.base + S_ACTION] = Action.Continue;
      if (this.step()) return;
      // A sigreturn the step made takes effect before gdb looks (see the stub's runForward).
      this.kernel.finishSigreturn();
      this.trap(ParkReason.Trap);
      return;
    }
    if (this.bps.size === 0 && !this.watched.active) {
      this.leaving = false;
      this.engine.run();
      return;
    }
    for (let n = 0; n < STEPS_PER_CHECK; n++) {
      if (!this.leaving && this.bps.has(this.cpu.pc & ~1)) {
        this.trap(ParkReason.Trap);
        return;
      }
      if (this.step()) return;
      if (this.irq[IRQ] !== 0 || Atomics.load(w, STOP) !== 0) return;
    }
  }

  /**
   * One step through the interpreter; true when it touched a watchpoint instead: undone, the
   * thread parks before it (not when leaving the place it stopped at: gdb steps over a hit).
   */
  private step(): boolean {
    const leaving = this.leaving;
    this.leaving = false;
    if (!this.watched.active) {
      this.stepper.step(false);
      return false;
    }
    const saved = this.cpu.saveState();
    this.watched.begin();
    this.stepper.step(true);
    const hit = this.watched.hit;
    if (hit === null || leaving) return false;
    this.watched.rollback();
    this.cpu.loadState(saved);
    this.w[this.base + S_HIT_KIND] = WATCH_KINDS.indexOf(hit.wp.kind);
    this.w[this.base + S_HIT_ADDR] = hitAddress(hit);
    this.trap(ParkReason.Watch);
    return true;
  }

  /**
   * A fault in this thread: gdb sees it first (every thread stops). Returns whether the guest
   * gets it (gdb resumed with the signal), else the faulting instruction runs again.
   */
  fault(signal: number): boolean {
    if (Atomics.load(this.w, DETACHED) !== 0) return true;
    this.w[this.base + S_FAULT] = signal;
    this.trap(ParkReason.Fault);
    // Resumed with another signal: that one is delivered instead, as under ptrace.
    if (this.given !== 0 && this.given !== signal) {
      this.inject();
      return false;
    }
    this.given = 0;
    return this.w[this.base + S_DELIVER] !== 0;
  }

  /** Queues the signal gdb resumed this thread with, for delivery without another stop. */
  private inject(): void {
    this.injected = this.given;
    this.given = 0;
    this.kernel.give(this.injected);
  }

  /**
   * A signal is about to be delivered to this thread: gdb hears of it first (every thread
   * stops), unless gdb passes it (QPassSignals) and the thread is not being stepped (a signal
   * met while stepping is gdb's to handle: it runs the handler, then steps on). Returns
   * whether the guest gets it (gdb resumed with the signal), else it is discarded.
   */
  signal(host: number): boolean {
    const w = this.w;
    if (this.injected === host) {
      this.injected = 0;
      return true;
    }
    if (Atomics.load(w, DETACHED) !== 0) return true;
    if (passes(w, host) && w[this.base + S_ACTION] !== Action.Step) return true;
    return this.fault(host);
  }

  /** This thread stopped for gdb (a breakpoint, a finished step, a watchpoint, a fault): every thread stops. */
  private trap(reason: ParkReason): void {
    Atomics.store(this.w, STOP, 1);
    this.park(reason);
  }

  private park(reason: ParkReason): void {
    const w = this.w, base = this.base;
    const gen = Atomics.load(w, RESUME);
    publish(w, base, this.cpu.saveState());
    w[base + S_REASON] = reason;
    w[base + S_ACTION] = Action.Stay;
    Atomics.store(w, base + S_STATE, SlotState.Parked);
    this.event();
    let seen = gen;
    for (;;) {
      Atomics.wait(w, RESUME, seen);
      seen = Atomics.load(w, RESUME);
      if (seen !== gen && w[base + S_ACTION] !== Action.Stay) break;
    }
    if (w[base + S_DIRTY]) {
      this.cpu.loadState(published(w, base, this.cpu.saveState()));
      w[base + S_DIRTY] = 0;
    }
    w[base + S_REASON] = ParkReason.Stopped;
    this.leaving = true;
    this.injected = 0;
    this.given = w[base + S_SIGNAL];
    // Resumed with a signal from a breakpoint or a step (gdb's `signal SIG`): the thread gets it
    // (a fault or a signal it stopped for sorts out its own, see fault).
    if (this.given !== 0 && reason !== ParkReason.Fault) this.inject();
    Atomics.store(w, base + S_STATE, SlotState.Running);
  }

  private event(): void {
    Atomics.add(this.w, EVENT, 1);
    Atomics.notify(this.w, EVENT);
  }

  private refreshPoints(): void {
    const w = this.w;
    const n = Atomics.load(w, BP_COUNT);
    if (n !== this.bpSeen || n !== 0) {
      this.bps.clear();
      for (let i = 0; i < n; i++) this.bps.add(w[BP_ADDRS + i]);
      this.bpSeen = n;
    }
    const wps = this.watched.watchpoints;
    const m = Atomics.load(w, WP_COUNT);
    if (m === 0 && wps.length === 0) return;
    wps.length = 0;
    for (let i = 0; i < m; i++) wps.push({ kind: WATCH_KINDS[w[WP_LIST + 3 * i]], addr: w[WP_LIST + 3 * i + 1] >>> 0, len: w[WP_LIST + 3 * i + 2] });
  }
}

/** One guest thread as the stub sees it. */
export interface DebuggedThread {
  slot: number;
  tid: number;
  state: SlotState;
  /** It stopped by itself (a trap, a watchpoint, a fault), not because another thread did. */
  trapped: boolean;
}

/** What gdb wants of one thread when the process resumes: `deliver` the fault it stopped at. */
export interface ThreadResume {
  action: Action;
  deliver: boolean;
  /** The host signal gdb resumes it with, if any (C/S with a signal): delivered unless it is the one it stopped for. */
  signal?: number;
}

// Atomics.waitAsync is in Node 20 but not in this TypeScript lib.
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, index: number, value: number, timeout?: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** The stub's side: the threads, stopping and resuming them, their registers and the breakpoints. */
export class ThreadStops {
  private readonly w: Int32Array;
  private seen = 0;

  constructor(shared: SharedArrayBuffer, private readonly group: DebuggedThreads) {
    this.w = new Int32Array(shared);
  }

  threads(): DebuggedThread[] {
    const out: DebuggedThread[] = [];
    for (let slot = 0; slot < MAX_DEBUG_SLOTS; slot++) {
      const base = slotBase(slot);
      const state = Atomics.load(this.w, base + S_STATE) as SlotState;
      if (state !== SlotState.Free) out.push({ slot, tid: this.w[base + S_TID], state, trapped: this.w[base + S_REASON] !== ParkReason.Stopped });
    }
    return out;
  }

  setBreakpoints(addrs: Iterable<number>): void {
    const list = [...addrs].slice(0, MAX_BREAKPOINTS);
    this.w.set(list, BP_ADDRS);
    Atomics.store(this.w, BP_COUNT, list.length);
  }

  /** False when there are more than the block holds. */
  setWatchpoints(wps: readonly Watchpoint[]): boolean {
    const list = wps.slice(0, MAX_WATCHPOINTS);
    list.forEach((wp, i) => this.w.set([WATCH_KINDS.indexOf(wp.kind), wp.addr | 0, wp.len], WP_LIST + 3 * i));
    Atomics.store(this.w, WP_COUNT, list.length);
    return wps.length <= MAX_WATCHPOINTS;
  }

  /**
   * Why a thread stopped, for the stop reply: the signal (Linux's number) and what follows
   * `thread:`; or the child whose fork it stopped after (the stub names it).
   */
  stopReason(slot: number): { signal: number; part: string; forked?: number } | null {
    const w = this.w, base = slotBase(slot);
    switch (w[base + S_REASON] as ParkReason) {
      case ParkReason.Trap: return { signal: 5, part: '' };
      case ParkReason.Fork: return { signal: 5, part: '', forked: w[base + S_FORKED] };
      case ParkReason.Watch: return { signal: 5, part: watchStopPart(WATCH_KINDS[w[base + S_HIT_KIND]], w[base + S_HIT_ADDR]) };
      case ParkReason.Fault: return { signal: w[base + S_FAULT], part: '' };
      default: return null;
    }
  }

  /**
   * Whether the threads gdb resumed have all ended while the others stay held (gdb's
   * scheduler-locking): every thread left is parked with nothing to do, and none is starting.
   * (A held thread blocked in a wait may still wake and run: not this.)
   */
  noneResumed(): boolean {
    const threads = this.threads();
    if (threads.length === 0 || Atomics.load(this.w, STOP) !== 0) return false;
    const known = new Set(threads.map((t) => t.tid));
    if (this.group.threadIds().some((tid) => !known.has(tid))) return false;
    return threads.every((t) => t.state === SlotState.Parked && Atomics.load(this.w, slotBase(t.slot) + S_ACTION) === Action.Stay);
  }

  /** A thread's fork made child `pid`, which the stub holds for gdb: the thread stops after the fork (WorkerDebug.forkReturned). */
  holdFork(pid: number): void {
    Atomics.store(this.w, FORK_HELD, pid);
  }

  /** Whether a thread has asked for every thread to stop (a breakpoint, a step done). */
  stopRequested(): boolean {
    return Atomics.load(this.w, STOP) !== 0;
  }

  /** Resolves when a thread parks or blocks, or after `ms`. */
  async changed(ms: number): Promise<void> {
    const now = Atomics.load(this.w, EVENT);
    if (now !== this.seen) {
      this.seen = now;
      return;
    }
    const r = waitAsync(this.w, EVENT, now, ms);
    if (r.async) await r.value;
    this.seen = Atomics.load(this.w, EVENT);
  }

  /**
   * Stops every thread; resolves when none runs guest code. A thread just handed to its
   * Worker is waited for (up to NEW_THREAD_MS) until it has started and parked too.
   */
  async stopAll(): Promise<void> {
    Atomics.store(this.w, STOP, 1);
    const until = performance.now() + NEW_THREAD_MS;
    for (;;) {
      const threads = this.threads();
      const running = threads.filter((t) => t.state === SlotState.Running);
      const known = new Set(threads.map((t) => t.tid));
      const unseen = this.group.threadIds().filter((tid) => !known.has(tid));
      if (running.length === 0 && (unseen.length === 0 || performance.now() > until)) return;
      for (const t of running) {
        const irq = this.group.interruptOf(t.slot);
        Atomics.store(irq, IRQ, 1);
        Atomics.notify(irq, IRQ);
      }
      await this.changed(20);
    }
  }

  /** The process's threads are gone (it exec'd): the block starts over for the next program's. */
  reset(): void {
    this.w.fill(0);
    this.seen = 0;
  }

  /** gdb has gone: the threads run on by themselves (see letGo in gdb-stub.ts). */
  detach(): void {
    Atomics.store(this.w, DETACHED, 1);
  }

  /** Resumes the parked threads, each as `plan` says. */
  resume(plan: (tid: number) => ThreadResume): void {
    for (const t of this.threads()) {
      const base = slotBase(t.slot);
      const { action, deliver, signal } = plan(t.tid);
      this.w[base + S_REASON] = ParkReason.Stopped;
      this.w[base + S_ACTION] = action;
      this.w[base + S_DELIVER] = deliver ? 1 : 0;
      this.w[base + S_SIGNAL] = signal ?? 0;
    }
    Atomics.store(this.w, STOP, 0);
    Atomics.add(this.w, RESUME, 1);
    Atomics.notify(this.w, RESUME);
  }

  registers(slot: number, like: CpuState): CpuState {
    return published(this.w, slotBase(slot), like);
  }

  setRegisters(slot: number, s: CpuState): void {
    const base = slotBase(slot);
    publish(this.w, base, s);
    this.w[base + S_DIRTY] = 1;
  }
}
