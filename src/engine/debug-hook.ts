// What the run loop asks of a debugger attached to the guest (urun -g). The loop consults
// it only when one is present, so a run without a debugger pays nothing.
import type { GuestFault } from './signals.js';
import type { GuestProcess } from './process.js';
import type { CpuState } from './cpu.js';

/** What the debugger needs of the process's threads once they run in Workers (threads.ts). */
export interface DebuggedThreads {
  /** The interrupt word of the Worker in a slot. */
  interruptOf(slot: number): Int32Array;
  /** The guest threads handed to Workers and not yet ended. */
  threadIds(): number[];
}

export interface DebugHook {
  /**
   * Runs guest code in place of engine.run(), with the same outcomes (returns when an
   * interrupt is requested; throws faults, exits and waits), after waiting for the debugger
   * to resume the guest when it is stopped.
   */
  run(): Promise<void>;
  /** A fault is about to reach the guest: stops in the debugger; resolves whether to deliver it. */
  fault(f: GuestFault): Promise<boolean>;
  /**
   * A signal (host number) is about to be delivered: the debugger may stop to hear of it
   * first; resolves whether the guest gets it (else it is discarded).
   */
  signal?(host: number): Promise<boolean>;
  /** The process ends (GuestExit, or a fault that kills it): tells the debugger before urun exits. */
  end(e: unknown): Promise<void>;
  /** The debugger wants the guest stopped (gdb's Ctrl-C): a syscall waiting for the host gives up its wait. */
  stopRequested(): boolean;
  /** The guest replaced its program (execve): `next` runs from here on, debugged or not. */
  exec(next: GuestProcess): void;
  /** The debugger cannot follow what the guest does next (a thread, an exec): it lets the guest go. */
  detach(reason: string): void;
  /**
   * The guest became multi-threaded: its threads run in Workers from now on, the run loop
   * serves them and no longer calls run(). True when the debugger follows them (stopping
   * them through thread-debug.ts), false when it cannot (it then detaches).
   */
  threadsStarted?(group: DebuggedThreads): boolean;
  /** The multi-threaded process ends now (urun exits right after): tells the debugger at once. */
  endNow?(e: unknown): void;
  /**
   * The guest forks: when the debugger is told of forks, the host descriptor of its
   * connection (the child then waits to hear whether the debugger follows it), else null.
   */
  forkHold?(): number | null;
  /**
   * The held child started: its pid, the pipe on which to tell it the debugger's choice, and
   * the socket its stub serves the debugger on when the debugger keeps both processes.
   */
  forked?(pid: number, decision: number, relay: number): void;
  /**
   * The guest vforks (its child runs in place until it execs or exits): whether the debugger
   * is told of it. It then needs the pid the child will have (a spare urun kept for it).
   */
  reportsVforks?(): boolean;
  /** The vfork child, with the pid it will have, starts running in place of its parent (`parent`: the registers it resumes with). */
  vforked?(childPid: number, parent: CpuState): void;
  /** The vfork child execs a guest program: what to hand its new urun when the debugger follows the child, else null. */
  vforkExec?(path: string): DebuggerHandOff | null;
  /** The vfork child exec'd (the new process's pid) or exited (its status; null for an exec): its parent resumes. */
  vforkDone?(pid: number, exitStatus: number | null): void;
}

/** The debugger's connection (a host descriptor) and its state, for another urun that takes the debugging over. */
export interface DebuggerHandOff {
  fd: number;
  state: unknown;
}
