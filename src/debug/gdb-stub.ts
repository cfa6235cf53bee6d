// The GDB remote stub (urun -g PORT): gdb-multiarch connects over TCP on 127.0.0.1 and
// drives the guest with the remote serial protocol. The guest stops before its first
// instruction. A continued guest runs in the engine at full speed (a small Worker makes it
// come back to the event loop every few ms, so a Ctrl-C from gdb is seen), except the
// blocks holding a breakpoint, which the engine leaves to the stub: it steps through them
// with the interpreter (stepper.ts), so every breakpoint is seen whatever the engine would
// have translated. While a watchpoint is set, every step goes through the interpreter, its
// loads and stores checked against the watchpoints.
//
// With --reverse the whole run goes through the interpreter and is recorded (history.ts),
// so that gdb can go back: bs / bc (reverse-stepi, reverse-continue and what gdb builds on
// them: reverse-step, reverse-next, reverse-finish) rewind to a checkpoint and replay.
//
// A watchpoint stops the guest before the instruction that touches the watched range (its
// effects undone), as MIPS and ARM hardware do and as gdb expects of them: gdb then steps
// over it and shows the old and new values.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { Worker } from 'node:worker_threads';
import type { DebugHook, DebuggedThreads, DebuggerHandOff } from '../engine/debug-hook.js';
import type { GuestProcess } from '../engine/process.js';
import type { CpuState } from '../engine/cpu.js';
import { GuestExit, GuestFault, IRQ, SI_USER } from '../engine/signals.js';
import { PAGE_SHIFT, PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory/memory.js';
import { ET_DYN, PT_DYNAMIC, PT_PHDR } from '../elf/parse.js';
import { finishSigreturn } from '../syscalls/signals.js';
import { gdbRegisters, type GdbRegisters } from './gdb-regs.js';
import { Stepper } from './stepper.js';
import { History } from './history.js';
import { Action, makeThreadDebugBlock, setPassSignals, ThreadStops, type ThreadResume } from './thread-debug.js';
import { WatchedMemory, hitAddress, setWatchpoint, watchKindOf, watchStopPart, type WatchHit, type Watchpoint } from './watch.js';

/** gdb's own signal numbers (they differ from Linux's for BUS, USR1, USR2, CHLD...). */
const GDB_SIGNALS: Record<number, number> = {
  1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 10, 8: 8, 9: 9, 10: 30, 11: 11, 12: 31, 13: 13, 14: 14, 15: 15,
  17: 20, 18: 19, 19: 17, 20: 18, 21: 21, 22: 22, 23: 16, 24: 24, 25: 25, 26: 26, 27: 27, 28: 28, 29: 23, 30: 32, 31: 12,
};
const gdbSignal = (host: number): number => GDB_SIGNALS[host] ?? 143; // GDB_SIGNAL_UNKNOWN
const HOST_SIGNALS: Record<number, number> = Object.fromEntries(Object.entries(GDB_SIGNALS).map(([h, g]) => [g, Number(h)]));
const SIGTRAP = 5, SIGINT = 2;
/** auxv's AT_ENTRY: the program's entry point as loaded; its program headers. */
const AT_ENTRY = 9, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5;
const DT_NULL = 0, DT_DEBUG = 21, DT_MIPS_RLD_MAP = 0x70000016, DT_MIPS_RLD_MAP_REL = 0x70000035;

/** How often a free-running guest comes back to the event loop to look for gdb's Ctrl-C. */
const POLL_MS = 100;
/** Steps outside the blocks holding breakpoints after which the stub lets the engine run again. */
const STEPS_OFF_STOPS = 2000;
/** Steps between visits to the event loop while stepping through the interpreter. */
const STEPS_PER_VISIT = 20000;

interface Resume {
  step: boolean;
  /** Backwards in time (bs, bc). */
  reverse: boolean;
  /** The signal gdb resumes with (gdb's number; 0 for none). */
  signal: number;
}

/** gdb's Ctrl-C among the packets, when it came behind one not handled yet. */
const INTERRUPT = '\x03';
/** Whether a packet resumes the guest (continue or step, vCont). */
const resumes = (p: string): boolean => p.startsWith('vCont;') || 'cCsS'.includes(p[0]);
const hex2 = (n: number): string => (n & 0xff).toString(16).padStart(2, '0');
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const textHex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

export class GdbStub implements DebugHook {
  private socket: net.Socket | null = null;
  private regs: GdbRegisters;
  private inbox = '';
  private readonly packets: string[] = [];
  private wake: (() => void) | null = null;
  private noAck = false;
  private swbreak = false;
  private connected: Promise<void>;
  /** null while the guest is stopped. */
  private resume: Resume | null = null;
  private lastStop = 'S05';
  private interruptRequested = false;
  private detached = false;
  /** Set on resume: the first step runs without checking breakpoints and watchpoints there. */
  private leaving = false;
  private readonly breakpoints = new Set<number>();
  /** The breakpoints the engine leaves to the stub (see syncStops), as a key. */
  private stopsKey = '';
  private readonly watched = new WatchedMemory(() => this.proc.mem.bytes, (a, size) => this.history?.noteStore(a, size));
  private stepper: Stepper;
  /** gdb follows exec events (exec-events+). */
  private execEvents = false;
  /** A child forked while gdb follows forks, waiting to hear whether gdb follows it (forkHold). */
  private heldFork: HeldFork | null = null;
  /** The process gdb's Hg selected (multiprocess): this one, or a held child (its breakpoints are kept apart). */
  private selectedPid = 0;
  /** gdb names threads p<pid>.<tid> and processes in D and vKill (multiprocess+). */
  private multiprocess = false;
  /** gdb is told of forks and decides which process it follows (fork-events+, with multiprocess). */
  private forkEvents = false;
  /** gdb is told of vforks (vfork-events+, with multiprocess). */
  private vforkEvents = false;
  /** A vfork child running in place of this process (urun's vfork), while gdb is told of vforks. */
  private vfork: VforkChild | null = null;
  /** The forked child gdb keeps as well (detach-on-fork off): its stub, reached through this one. */
  private relay: ChildRelay | null = null;
  /** The guest has ended (gdb was told): only a kept child's threads are left. */
  private exited = false;
  /** The kept child's threads, as its stub last listed them. */
  private relayThreads: string[] = [];
  /** This process and the kept child both run (gdb's schedule-multiple): see resumeBoth. */
  private both: BothRunning | null = null;
  /** A stop of the kept child gdb has not heard of yet (this process's stop was told first): told at the next resume of the child. */
  private pendingChildStop: string | null = null;
  /** This process's stop, not told yet (the kept child's end was told first): told at its next resume, which runs nothing. */
  private pendingOwnStop: string | null = null;
  /** gdb understands `N`: the threads it resumed have all ended (no-resumed+). */
  private noResumed = false;
  private ticker: Worker | null = null;
  private lastVisit = performance.now();
  /** The recording that lets gdb go back (--reverse), while gdb is attached. */
  private history: History | null;
  /** Why there is no history any more although --reverse asked for one (the guest started a thread). */
  private historyEnded: string | null = null;
  /** Once the guest runs threads (in Workers): how the stub stops and resumes them. */
  private stops: ThreadStops | null = null;
  /** Host signals gdb lets through without a stop (QPassSignals). */
  private passSignals = new Set<number>();
  /** Host signals gdb gave the guest itself (`signal SIG`): delivered without another stop. */
  private injected = new Set<number>();
  /**
   * The last signal delivered that gdb gave or let through (host), if the guest has not
   * stopped since: killed by it, the guest dies without another stop for it.
   */
  private signalGdbSaw = 0;
  /** The thread gdb's register packets are about (Hg), once there are threads. */
  private selected = 0;

  private constructor(private proc: GuestProcess, accepted: Promise<net.Socket>, reverse: boolean) {
    this.connected = accepted.then((s) => this.attach(s));
    this.regs = gdbRegisters(proc.cpu, proc.mem.littleEndian);
    this.stepper = new Stepper(proc.cpu, (acc) => this.watched.wrap(acc));
    this.history = reverse ? new History(proc) : null;
    // Guest threads made from here on can be stopped by gdb.
    makeThreadDebugBlock();
  }

  /** Listens on 127.0.0.1:port (0: any free port); resolves with the stub and the port it got. */
  static async listen(proc: GuestProcess, port: number, reverse = false): Promise<{ stub: GdbStub; port: number }> {
    const server = net.createServer();
    let accept!: (s: net.Socket) => void;
    const accepted = new Promise<net.Socket>((resolve) => (accept = resolve));
    server.on('connection', (s) => {
      server.close();
      accept(s);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const stub = new GdbStub(proc, accepted, reverse);
    return { stub, port: (server.address() as net.AddressInfo).port };
  }

  /**
   * In a forked child gdb follows: the stub on the connection the parent's stub handed over
   * (see handOver), with what gdb had set up there; the child is stopped where fork returned.
   */
  static adopt(proc: GuestProcess, fd: number, state: unknown): GdbStub {
    const socket = new net.Socket({ fd, readable: true, writable: true });
    const stub = new GdbStub(proc, Promise.resolve(socket), false);
    const h = state as HandedOver;
    Object.assign(stub, {
      noAck: h.noAck, swbreak: h.swbreak, execEvents: h.execEvents, multiprocess: h.multiprocess, forkEvents: h.forkEvents, vforkEvents: h.vforkEvents, noResumed: h.noResumed,
    });
    for (const a of h.breakpoints) stub.breakpoints.add(a);
    for (const wp of h.watchpoints) stub.watched.set(true, wp);
    stub.passSignals = new Set(h.passSignals ?? []);
    setPassSignals(stub.passSignals);
    stub.packets.push(...h.packets);
    stub.inbox = h.inbox;
    stub.lastStop = h.lastStop ?? `T${hex2(SIGTRAP)}${stub.threadPart()}`;
    return stub;
  }

  private attach(s: net.Socket): void {
    this.socket = s;
    s.setNoDelay(true);
    s.on('data', (d) => this.receive(d.toString('latin1')));
    s.on('error', () => {});
    s.on('close', () => {
      // gdb went away without detaching or killing: the guest goes on by itself.
      this.socket = null;
      this.letGo();
      this.notify();
    });
  }

  // ---- the run loop's side ----

  async run(): Promise<void> {
    const { proc } = this;
    for (;;) {
      if (this.detached) return proc.engine.run();
      if (this.reportFork() || this.reportVfork()) continue;
      if (this.resume === null) {
        await this.serve();
        // Resumed from a breakpoint or a step with a signal (gdb's `signal SIG`): the guest gets
        // it before it runs on (the run loop delivers it; a step then starts in the handler).
        const r = this.resume as Resume | null;
        if (r !== null && r.signal !== 0 && !r.reverse) {
          this.inject(r);
          return;
        }
        continue;
      }
      if (performance.now() - this.lastVisit > POLL_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        this.lastVisit = performance.now();
      }
      if (this.interruptRequested) {
        this.interruptRequested = false;
        this.stop(`T${hex2(SIGINT)}${this.threadPart()}`);
        continue;
      }
      const h = this.history;
      if (h !== null) {
        if (this.resume.reverse) {
          this.runBackward(h);
          continue;
        }
        h.sync();
        try {
          if (!this.runForward()) return;
        } finally {
          h.leave();
        }
        continue;
      }
      if (!this.runForward()) return;
    }
  }

  /**
   * Runs the guest forward for a while: one step, or up to STEPS_PER_VISIT steps of a
   * continue. Returns false when the run loop should have its turn (an interrupt request;
   * not while replaying the past, where the guest takes no signals).
   */
  private runForward(): boolean {
    const { proc } = this;
    const resume = this.resume!;
    if (resume.step) {
      const leaving = this.leaving;
      this.leaving = false;
      if (this.runStep(this.watched.active, leaving)) return true;
      // A sigreturn the step made takes effect before gdb looks (as the kernel's does within
      // the call), not when the run loop next has its turn: gdb sees the interrupted context.
      finishSigreturn(proc.kernel);
      if (!this.reportFork()) this.stop(`T${hex2(SIGTRAP)}${this.threadPart()}`);
      return true;
    }
    // With breakpoints only, the engine runs everything but the blocks holding them, which are stepped.
    const fast = !this.watched.active && this.history === null;
    if (fast) {
      this.syncStops();
      if (!proc.engine.stopsAt(proc.cpu.pc)) {
        this.startTicker();
        this.leaving = false;
        proc.engine.run();
        return false;
      }
    }
    // Step through the interpreter until a breakpoint, a watchpoint or an interrupt request.
    const irq = proc.kernel.signals.interrupt;
    const watching = this.watched.active;
    let away = 0;
    for (let n = 0; n < STEPS_PER_VISIT; n++) {
      const leaving = this.leaving;
      this.leaving = false;
      if (!leaving && this.breakpoints.has(proc.cpu.pc & ~1)) {
        this.stop(`T${hex2(SIGTRAP)}${this.threadPart()}${this.swbreak ? 'swbreak:;' : ''}`);
        break;
      }
      if (this.runStep(watching, leaving)) break;
      if (irq[IRQ] !== 0 && !this.history?.replaying) return false;
      // Back to the engine once execution has stayed out of the stepped blocks for a while: a
      // loop through one would otherwise cost a return from the engine per iteration.
      if (fast) {
        if (proc.engine.stopsAt(proc.cpu.pc)) away = 0;
        else if (++away >= STEPS_OFF_STOPS) return true;
      }
    }
    return this.resume === null || this.history?.replaying === true;
  }

  async fault(f: GuestFault): Promise<boolean> {
    if (this.detached) return true;
    this.stop(`T${hex2(gdbSignal(f.signal))}${this.threadPart()}`);
    await this.serve();
    // gdb went back in time: the fault is not delivered now; the faulting instruction
    // faults again when the replay comes back to it.
    if (this.history !== null && this.resume !== null && (this.resume.reverse || this.history.replaying)) return false;
    return this.resumedWith(f.signal);
  }

  /**
   * A signal is about to be delivered: gdb hears of it first and resumes with it (delivered)
   * or without (discarded), as gdbserver does; unless gdb passes it (QPassSignals) and is not
   * stepping (a signal met while stepping is gdb's to handle: it runs the handler, then steps
   * on). A recorded run (--reverse) takes its signals without a stop.
   */
  async signal(host: number): Promise<boolean> {
    if (this.injected.delete(host)) {
      this.signalGdbSaw = host;
      return true;
    }
    if (this.detached || this.socket === null || this.history !== null) return true;
    if (this.passSignals.has(host) && this.resume?.step !== true) return true;
    this.stop(`T${hex2(gdbSignal(host))}${this.threadPart()}`);
    await this.serve();
    return this.resumedWith(host);
  }

  /**
   * Whether the signal (host) gdb stopped for is delivered: gdb resumed with it. Resumed with
   * another one (`signal SIGUSR2`), the guest gets that one instead, as under ptrace.
   */
  private resumedWith(host: number): boolean {
    const r = this.resume;
    if (r === null || r.signal === 0) return this.detached;
    if (r.signal === gdbSignal(host)) {
      r.signal = 0;
      this.signalGdbSaw = host;
      return true;
    }
    this.inject(r);
    return false;
  }

  /** Queues the signal gdb resumed with (`r.signal`, gdb's number) for the guest, as ptrace's PTRACE_CONT with a signal does. */
  private inject(r: { signal: number }): void {
    const host = HOST_SIGNALS[r.signal];
    r.signal = 0;
    if (host === undefined) return;
    const k = this.proc.kernel;
    this.injected.add(host);
    k.queueSignal({ signo: k.guestSignal(host), code: SI_USER, pid: 0, uid: process.getuid?.() ?? 0 });
  }

  async end(e: unknown): Promise<void> {
    if (this.detached || !this.socket) return;
    this.stopTicker();
    if (e instanceof GuestExit && e.signal !== 0 && e.signal !== this.signalGdbSaw && !this.injected.has(e.signal)) {
      // Killed by a signal (abort's SIGABRT...): gdb sees it arrive before the process dies
      // (once: not again after its stop, nor for one gdb gave it).
      this.stop(`T${hex2(gdbSignal(e.signal))}${this.threadPart()}`);
      await this.serve();
      if (!this.socket) return;
    }
    const reply = this.exitReply(e);
    if (reply === null) return;
    if (this.both !== null) await this.stopBoth(reply);
    else this.send(reply);
    // A forked child gdb keeps goes on being served (urun exits once gdb is done with it).
    this.exited = true;
    while (this.relay !== null && this.socket !== null) {
      this.resume = null;
      await this.serve();
    }
    const s = this.socket;
    if (s === null) return;
    await new Promise<void>((resolve) => s.end(resolve));
  }

  forkHold(): number | null {
    // (One child at a time: another thread's fork made meanwhile runs free.)
    if (!this.forkEvents || this.detached || this.history !== null || this.heldFork !== null) return null;
    return socketFd(this.socket);
  }

  forked(pid: number, decision: number, relay: number): void {
    // The child's copy of the program has the breakpoints in it too (gdb takes them out).
    this.heldFork = { pid, decision, relay, reported: false, breakpoints: new Set(this.breakpoints), watchpoints: [...this.watched.watchpoints] };
    // A thread forked: it stops after the fork's syscall, every thread with it (see stopThreads).
    if (this.stops !== null) {
      this.stops.holdFork(pid);
      return;
    }
    // Back to the run loop after the fork's syscall, where the fork is reported.
    const irq = this.proc.kernel.signals.interrupt;
    Atomics.store(irq, IRQ, 1);
  }

  /** Tells gdb of a fork not yet reported (the parent stopped just after it); false if none. */
  private reportFork(): boolean {
    const held = this.heldFork;
    if (held === null || held.reported || this.detached || this.stops !== null) return false;
    held.reported = true;
    this.stop(`T${hex2(SIGTRAP)}fork:p${held.pid.toString(16)}.${held.pid.toString(16)};${this.threadPart()}`);
    return true;
  }

  /** Tells the held child what gdb decided: follow it (with the stub's state), or let it run free. */
  private decideFork(follow: HandedOver | null, keep = false): void {
    const held = this.heldFork!;
    this.heldFork = null;
    try {
      fs.writeSync(held.decision, JSON.stringify(follow ? { [keep ? 'relay' : 'follow']: true, state: follow } : { follow: false }));
    } catch {
      // The child is gone.
    }
    fs.closeSync(held.decision);
    if (!keep) fs.closeSync(held.relay);
  }

  /**
   * gdb resumes with the forked child still attached (detach-on-fork off): it keeps both. The
   * child's stub serves gdb through this one (see relayed), from where fork returned there.
   */
  private keepForkedChild(): void {
    const held = this.heldFork!;
    // (No acks on the relay. The kept child reports its forks, whose children it may keep in
    // turn, served through its own relay; not its vforks: those children run free.)
    const state = { ...this.stateToHand([...held.breakpoints], held.watchpoints), noAck: true, vforkEvents: false, packets: [], inbox: '' };
    this.decideFork(state, true);
    this.relay = new ChildRelay(held.pid, held.relay);
  }

  /**
   * With a kept forked child (detach-on-fork off): passes gdb's packet to the child's stub
   * when it is about the child or a process the child kept in turn (the process Hg selected,
   * a thread of it, its pid), and gdb the answer; a resume waits for the stop, this process
   * staying stopped (gdb resumes one inferior at a time, schedule-multiple being off). False:
   * this stub answers.
   */
  private async relayed(p: string): Promise<boolean> {
    const relay = this.relay!;
    const pidOf = (id: string): number => (/^p([0-9a-f]+)(\.|$)/.exec(id) ? parseInt(id.slice(1), 16) : NaN);
    const names = (id: string | undefined): boolean => id !== undefined && relay.pids.has(pidOf(id));
    const selected = relay.pids.has(this.selectedPid);
    let forChild = false, resume = false;
    switch (p[0]) {
      case 'g': case 'G': case 'p': case 'P': case 'm': case 'M': case 'X': case 'Z': case 'z':
        forChild = selected;
        break;
      case 'H':
        // The child's stub selects its thread too; this one notes the process.
        if (names(p.slice(2))) await relay.ask(p);
        return false;
      case 'T': forChild = names(p.slice(1)); break;
      case 'D': forChild = p.startsWith('D;') && relay.pids.has(parseInt(p.slice(2), 16)); break;
      case 'v':
        resume = p.startsWith('vCont;');
        forChild = resume ? p.slice(6).split(';').some((a) => names(a.split(':')[1])) : p.startsWith('vKill;') && relay.pids.has(parseInt(p.slice(6), 16));
        break;
      case 'q':
        if (p === 'qfThreadInfo' || p.startsWith('qXfer:threads:read:')) {
          this.relayThreads = await relay.threads();
          return false;
        }
        forChild = p.startsWith('qThreadExtraInfo,') ? names(p.slice(17))
          : p.startsWith('qXfer:exec-file:read:') ? relay.pids.has(parseInt(p.split(':')[3], 16))
            : selected && (p.startsWith('qXfer:auxv:') || p.startsWith('qXfer:libraries-svr4:') || p === 'qOffsets');
        break;
      default:
    }
    if (!forChild) return false;
    let reply: string | null;
    if (resume && this.pendingChildStop !== null) {
      // The child stopped already, while gdb heard of this process's stop: that stop is told now.
      reply = this.pendingChildStop;
      this.pendingChildStop = null;
    } else {
      relay.running = resume;
      reply = await relay.ask(p, resume);
      relay.running = false;
    }
    this.childAnswered(p, reply, resume);
    return true;
  }

  /** gdb hears the kept child's answer to `p` (its stop, for a resume); the relay notes which processes it still serves. */
  private childAnswered(p: string, reply: string | null, resume: boolean): void {
    const relay = this.relay!;
    if (resume && reply !== null && reply.startsWith('T')) {
      const field = (name: string): number => parseInt(new RegExp(`(?:^T..|;)${name}:p([0-9a-f]+)`).exec(reply)?.[1] ?? '', 16);
      // The process that stopped; and a child it forked, which it holds for gdb's choice.
      this.selectedPid = field('thread') || relay.pid;
      const forked = field('fork');
      if (forked) relay.pids.add(forked);
    }
    // The child went away without a word: gdb hears it was killed.
    this.send(reply ?? (resume ? `X09;process:${relay.pid.toString(16)}` : 'E01'));
    // A process gdb is done with leaves the relay's: it ended (an exit naming no process is
    // the child's), or gdb detached or killed it.
    if (reply !== null && /^[WX]/.test(reply)) relay.pids.delete(parseInt(/;process:([0-9a-f]+)/.exec(reply)?.[1] ?? '', 16) || relay.pid);
    else if (reply === 'OK' && /^(D|vKill);/.test(p)) relay.pids.delete(parseInt(p.slice(p.indexOf(';') + 1), 16));
    if (reply === null || relay.pids.size === 0) {
      relay.close();
      this.relay = null;
      this.relayThreads = [];
      this.pendingChildStop = null;
    }
  }

  /**
   * Whether a resume is for this process and the kept child both: gdb's `set schedule-multiple
   * on` resumes every inferior (`vCont;c`, an action naming no thread or p-1).
   */
  private resumesBoth(p: string): boolean {
    if (!p.startsWith('vCont;') || this.exited || this.relay === null) return false;
    const actions = p.slice(6).split(';');
    return actions.some((a) => this.actsHere(a)) && actions.some((a) => {
      const x = actionPid(a);
      return x === null || x === -1 || this.relay!.pids.has(x);
    });
  }

  /** Whether a vCont action is for this process: it names no process, all of them, or this one. */
  private actsHere(action: string): boolean {
    const x = actionPid(action);
    return x === null || x === -1 || x === this.proc.kernel.pid;
  }

  /** Tells gdb of this process's stop it has not heard of yet, if any (see stopBoth): the resume then runs nothing. */
  private tellPendingOwnStop(): boolean {
    const reply = this.pendingOwnStop;
    if (reply === null) return false;
    this.pendingOwnStop = null;
    this.stop(reply);
    return true;
  }

  /**
   * Resumes this process and the kept child together (schedule-multiple). The first to stop
   * stops the other (gdb's all-stop: a Ctrl-C to the child, or an interrupt of this process as
   * for gdb's Ctrl-C) and gdb hears of the first; a real event of the child met meanwhile
   * (not the interrupt) waits for the child's next resume (pendingChildStop).
   */
  private async resumeBoth(p: string): Promise<void> {
    const relay = this.relay!;
    const actions = p.slice(6).split(';');
    // A stop not yet told comes first; nothing runs.
    if (this.tellPendingOwnStop()) return;
    if (this.pendingChildStop !== null) {
      const reply = this.pendingChildStop;
      this.pendingChildStop = null;
      this.childAnswered(p, reply, true);
      return;
    }
    const both: BothRunning = { childReply: null, parentReply: null, childStopped: Promise.resolve(), interrupted: false };
    this.both = both;
    relay.running = true;
    both.childStopped = relay.ask(`vCont;${actions.filter((a) => actionPid(a) !== this.proc.kernel.pid).join(';')}`, true).then((reply) => {
      relay.running = false;
      both.childReply = reply ?? `X09;process:${relay.pid.toString(16)}`;
      if (both.parentReply !== null) return;
      // The child stopped first: this process stops too, as for gdb's Ctrl-C.
      both.interrupted = true;
      this.interruptNow();
      this.notify();
    });
    const reply = this.handle(`vCont;${actions.filter((a) => this.actsHere(a)).join(';')}`);
    if (reply !== null) this.send(reply);
  }

  /**
   * This process stopped (or ended: `reply`) while the kept child ran too: the child is
   * stopped, then gdb hears of one stop, the other's kept for later unless it only obeyed
   * the interrupt. The child's goes first when this process only obeyed the interrupt its
   * stop caused, or when the child ended (before this process saw it end: a waitpid
   * returning here comes after).
   */
  private async stopBoth(reply: string): Promise<void> {
    const both = this.both!;
    both.parentReply = reply;
    if (both.childReply === null) this.relay?.interrupt();
    await both.childStopped;
    this.both = null;
    const child = both.childReply!;
    const ownObeyed = both.interrupted && /^T02/.test(reply), childObeyed = !both.interrupted && /^T02/.test(child);
    if (ownObeyed || (/^[WX]/.test(child) && /^T/.test(reply))) {
      if (!ownObeyed) this.pendingOwnStop = reply;
      this.childAnswered('vCont;c', child, true);
      return;
    }
    if (!childObeyed) this.pendingChildStop = child;
    this.send(reply);
  }

  /**
   * gdb follows the child and detaches this process (D;PID after a fork event): the child
   * gets gdb's connection, and what gdb set up here (its breakpoints are in the child's copy
   * of the program too); this process runs on free.
   */
  private handOver(): void {
    const s = this.socket!;
    // gdb's next packets are the child's: this process reads no more of them.
    s.pause();
    this.sendNow('OK');
    this.decideFork(this.stateToHand([...this.heldFork!.breakpoints], this.heldFork!.watchpoints));
    this.packets.length = 0;
    this.inbox = '';
    this.socket = null;
    s.destroy();
    this.letGo();
  }

  /** What another urun's stub takes over to serve gdb from where this one is (the packets gdb sent meanwhile too). */
  private stateToHand(breakpoints: number[], watchpoints: Watchpoint[], lastStop?: string): HandedOver {
    return {
      noAck: this.noAck, swbreak: this.swbreak, execEvents: this.execEvents, multiprocess: this.multiprocess, forkEvents: this.forkEvents,
      vforkEvents: this.vforkEvents, noResumed: this.noResumed, breakpoints, watchpoints, packets: [...this.packets], inbox: this.inbox, lastStop,
      passSignals: [...this.passSignals],
    };
  }

  reportsVforks(): boolean {
    return this.vforkEvents && !this.detached && this.socket !== null && this.stops === null && this.history === null && this.vfork === null;
  }

  vforked(pid: number, parentState: CpuState): void {
    this.vfork = { pid, parentState, reported: false, detached: false, followed: false, done: null };
  }

  /**
   * The CPU runs the vfork child: gdb's register packets about the parent's thread (selected
   * by Hg, or named by the last stop) see and change the parent's registers, which it resumes with.
   */
  private withParentRegisters<T>(packet: () => T): T {
    const v = this.vfork;
    const parent = this.selectedPid === this.proc.kernel.pid || (this.selectedPid === 0 && v?.followed === false);
    if (v === null || v.done !== null || !parent) return packet();
    const cpu = this.proc.cpu;
    const child = cpu.saveState();
    cpu.loadState(v.parentState);
    try {
      return packet();
    } finally {
      Object.assign(v.parentState, cpu.saveState());
      cpu.loadState(child);
    }
  }

  vforkExec(path: string): DebuggerHandOff | null {
    const v = this.vfork;
    const fd = socketFd(this.socket);
    if (v === null || !v.followed || this.detached || fd === null) return null;
    // gdb reloads the program and sets its breakpoints again in it.
    v.execStop = `T${hex2(SIGTRAP)}${this.threadPart()}exec:${textHex(path)};`;
    return { fd, state: this.stateToHand([], [], v.execStop) };
  }

  vforkDone(pid: number, exitStatus: number | null): void {
    const v = this.vfork;
    if (v === null) return;
    v.done = { exitStatus };
    if (!v.followed || exitStatus !== null || this.detached) return;
    this.vfork = null;
    if (pid !== v.pid || v.execStop === undefined) {
      this.detach('the vfork child gdb follows runs a program that urun cannot hand gdb\'s connection to (a host program, or one not started by a spare urun)');
      return;
    }
    // The new program's urun serves gdb from here (its stub took the packets already here);
    // it is stopped at its first instruction: gdb hears of the exec, and this process runs free.
    const s = this.socket!;
    s.pause();
    this.sendNow(v.execStop);
    this.packets.length = 0;
    this.inbox = '';
    this.socket = null;
    s.destroy();
    this.letGo();
  }

  /**
   * Tells gdb of a vfork not yet reported (the child runs in place: its registers are the
   * CPU's, the parent's thread is named), or of its end: `vforkdone` in the parent gdb stayed
   * with, the exit of the child gdb follows (gdb then detaches the parent). False if none.
   */
  private reportVfork(): boolean {
    const v = this.vfork;
    if (v === null || this.detached) return false;
    if (!v.reported) {
      v.reported = true;
      this.stop(`T${hex2(SIGTRAP)}vfork:${this.pidThread(v.pid)};thread:${this.threadId(this.proc.kernel.thread.tid)};`);
      return true;
    }
    if (v.done === null) return false;
    this.vfork = null;
    if (!v.followed) {
      this.stop(`T${hex2(SIGTRAP)}vforkdone:;${this.threadPart()}`);
      return true;
    }
    if (v.done.exitStatus === null) return false;
    this.stop(`W${hex2(v.done.exitStatus)};process:${v.pid.toString(16)}`);
    this.lastStop = `T${hex2(SIGTRAP)}${this.threadPart()}`;
    return true;
  }

  /** The single thread of process `pid` as gdb names it. */
  private pidThread(pid: number): string {
    return `p${pid.toString(16)}.${pid.toString(16)}`;
  }

  /** The vfork child gdb keeps (follows, or has not let go yet), running in place: null if none. */
  private keptVforkChild(): VforkChild | null {
    const v = this.vfork;
    return v !== null && v.reported && !v.detached && v.done === null ? v : null;
  }

  stopRequested(): boolean {
    return this.interruptRequested && !this.detached;
  }

  exec(next: GuestProcess): void {
    if (this.detached) return;
    if (!this.execEvents) {
      this.detach(`the guest runs another program (${next.kernel.opts.exePath}) and gdb did not ask for exec events`);
      return;
    }
    if (this.stops !== null) {
      // A multi-threaded program's exec: the new program runs alone, in the run loop again.
      this.stops.reset();
      this.stops = null;
      this.notify();
    }
    // The new program: its registers and code; gdb reloads its symbols and sets its breakpoints again.
    this.proc = next;
    this.stopsKey = '';
    next.debug = this;
    this.regs = gdbRegisters(next.cpu, next.mem.littleEndian);
    this.stepper = new Stepper(next.cpu, (acc) => this.watched.wrap(acc));
    if (this.history !== null || this.historyEnded !== null) {
      // The old program's history ends with it; the new one is recorded from its first instruction.
      this.history?.dispose();
      this.history = new History(next);
      this.historyEnded = null;
    }
    this.breakpoints.clear();
    this.watched.watchpoints.length = 0;
    this.stop(`T${hex2(SIGTRAP)}${this.threadPart()}exec:${textHex(next.kernel.opts.exePath)};`);
  }

  threadsStarted(group: DebuggedThreads): boolean {
    if (this.detached) return false;
    if (this.history !== null) this.endHistory();
    this.stops = new ThreadStops(makeThreadDebugBlock(), group);
    this.stops.setBreakpoints(this.breakpoints);
    this.stops.setWatchpoints(this.watched.watchpoints);
    this.stopTicker();
    this.selected = this.proc.kernel.thread.tid;
    void this.serveThreads();
    return true;
  }

  /**
   * The guest started a thread: its threads run in parallel Workers, which the history cannot
   * record, so it ends here. gdb stays attached; going back now reports the start of the
   * history (see noHistory). A later exec records the new program again.
   */
  private endHistory(): void {
    const h = this.history!;
    this.historyEnded = `urun: reverse execution stopped at step ${h.end}, when the guest started a thread: ` +
      'urun records single-threaded runs only; gdb stays attached, without history\n';
    h.dispose();
    this.history = null;
    this.send(`O${textHex(this.historyEnded)}`);
  }

  /** gdb's reverse step or continue with no history left: says why, and stops where the guest is. */
  private noHistory(): null {
    this.send(`O${textHex(this.historyEnded!)}`);
    this.stop(`T${hex2(SIGTRAP)}${this.threadPart()}replaylog:begin;`);
    return null;
  }

  endNow(e: unknown): void {
    if (this.detached) return;
    const reply = this.exitReply(e);
    if (reply !== null) this.sendNow(reply);
  }

  /** Sends a packet at once, not through the event loop (urun exits, or hands the connection on, right after). */
  private sendNow(payload: string): void {
    const fd = socketFd(this.socket);
    if (fd === null) return;
    try {
      fs.writeSync(fd, Buffer.from(packet(payload), 'latin1'));
    } catch {
      // gdb is gone already.
    }
  }

  /**
   * gdb's side of a multi-threaded guest: its threads run in Workers (the run loop serves
   * them); this loop answers gdb while they are stopped, and waits for one of them to stop
   * (a breakpoint, a step) or for gdb's Ctrl-C while they run.
   */
  private async serveThreads(): Promise<void> {
    try {
      await this.serveThreadsLoop();
    } catch (e) {
      // gdb's kill: the process dies of SIGKILL, as the program would.
      if (e instanceof GuestExit && e.signal === 9) process.kill(process.pid, 'SIGKILL');
      throw e;
    }
  }

  private async serveThreadsLoop(): Promise<void> {
    const stops = this.stops!;
    // gdb was stepping when the first thread started: that step ends here, every thread stopped.
    if (this.resume?.step) {
      await stops.stopAll();
      this.stopThreads(SIGTRAP);
    }
    // Until gdb goes, or the guest execs another program (which runs in-line again, see exec()).
    const ours = (): boolean => !this.detached && this.stops === stops;
    for (;;) {
      if (!ours()) return;
      if (this.resume === null) {
        await this.serve();
        if (!ours() || this.resume === null) return;
        continue;
      }
      let wake: (() => void) | null = null;
      await Promise.race([stops.changed(POLL_MS), new Promise<void>((resolve) => (this.wake = wake = resolve))]);
      // (After an exec, the run loop's serve() may be waiting on this.wake already.)
      if (this.wake === wake) this.wake = null;
      if (!ours()) return;
      if (this.interruptRequested) {
        this.interruptRequested = false;
        await stops.stopAll();
        this.stopThreads(SIGINT);
      } else if (stops.stopRequested()) {
        await stops.stopAll();
        this.stopThreads(SIGTRAP);
      } else if (this.noResumed && stops.noneResumed()) {
        // Every thread gdb resumed has ended; the rest stay held: nothing will stop.
        this.selected = stops.threads()[0]?.tid ?? this.selected;
        this.stop('N');
        this.lastStop = `T${hex2(SIGTRAP)}${this.threadPart()}`;
      }
    }
  }

  /**
   * Every thread is stopped: tells gdb, naming the thread that stopped by itself and why (a
   * breakpoint or step, a watchpoint, a fault), else `signal` (SIGINT for gdb's Ctrl-C).
   */
  private stopThreads(signal: number): void {
    const stops = this.stops!;
    const threads = stops.threads();
    // A fork gdb has not heard of goes first, whatever else stopped: its child waits for gdb's choice.
    const forking = threads.find((x) => x.trapped && stops.stopReason(x.slot)?.forked !== undefined);
    const trapped = forking ?? (signal === SIGINT ? undefined : threads.find((x) => x.trapped));
    const t = trapped ?? threads.find((x) => x.tid === this.selected) ?? threads[0];
    if (t) this.selected = t.tid;
    const why = trapped ? stops.stopReason(trapped.slot) : null;
    let part = why?.part ?? '';
    if (why?.forked !== undefined && this.heldFork?.pid === why.forked) {
      this.heldFork.reported = true;
      part = `fork:${this.pidThread(why.forked)};`;
    }
    this.stop(`T${hex2(why ? gdbSignal(why.signal) : signal)}${this.threadPart()}${part}`);
  }

  /** Resumes the threads as gdb asked (`plan`: what each does); `step`: one of them single-steps. */
  private resumeThreads(plan: (tid: number) => ThreadResume, step: boolean): null {
    this.resume = { step, reverse: false, signal: 0 };
    this.stops!.setBreakpoints(this.breakpoints);
    this.stops!.setWatchpoints(this.watched.watchpoints);
    this.stops!.resume(plan);
    return null;
  }

  /** The registers of the selected thread into the main thread's (otherwise idle) CPU, where gdbRegisters reads them. */
  private loadSelected(): number {
    const cpu = this.proc.cpu;
    const t = this.stops!.threads().find((x) => x.tid === this.selected) ?? this.stops!.threads()[0];
    if (!t) return -1;
    cpu.loadState(this.stops!.registers(t.slot, cpu.saveState()));
    return t.slot;
  }

  detach(reason: string): void {
    if (this.detached) return;
    this.proc.config.warn(`urun: -g: ${reason}; gdb is detached (urun's stub follows one program)`);
    this.letGo();
    this.socket?.destroy();
  }

  private letGo(): void {
    if (this.heldFork !== null) this.decideFork(null);
    // gdb leaves: the kept child's stub loses its connection and lets its process go too.
    this.relay?.close();
    this.relay = null;
    if (this.stops !== null) {
      this.stops.detach();
      this.stops.setBreakpoints([]);
      this.stops.setWatchpoints([]);
      // A thread stopped at a fault gets it, as it would have without gdb.
      this.stops.resume(() => ({ action: Action.Continue, deliver: true }));
    }
    const h = this.history;
    if (h !== null) {
      // Back to the present first: the kernel's state is the present's.
      if (h.replaying) this.replayTo(h.end);
      h.dispose();
      this.history = null;
    }
    this.detached = true;
    this.breakpoints.clear();
    this.syncStops();
    this.watched.watchpoints.length = 0;
    this.stopTicker();
    if (this.resume === null) this.resume = { step: false, reverse: false, signal: 0 };
  }

  private stop(reply: string): void {
    // gdb takes the thread a stop names as the one its register packets are about (as after Hg).
    this.selectedPid = 0;
    this.signalGdbSaw = 0;
    // (One still held back by the guest's mask stops gdb again when it comes, as under ptrace.)
    this.injected.clear();
    this.resume = null;
    this.stopTicker();
    this.lastStop = reply;
    if (this.both !== null) {
      void this.stopBoth(reply);
      return;
    }
    this.send(reply);
  }

  private threadPart(): string {
    return `thread:${this.currentThread()};`;
  }

  /** The thread gdb's stops name: the selected one, or the vfork child gdb follows (running in place). */
  private currentThread(): string {
    const v = this.keptVforkChild();
    if (v !== null && v.followed) return this.pidThread(v.pid);
    return this.threadId(this.stops !== null ? this.selected : this.proc.kernel.thread.tid);
  }

  /** A thread as gdb names it: `p<pid>.<tid>` once gdb speaks the multiprocess extensions. */
  private threadId(tid: number): string {
    return this.multiprocess ? `p${this.proc.kernel.pid.toString(16)}.${tid.toString(16)}` : tid.toString(16);
  }

  /** The W/X packet for the end of the process (null: not an end gdb is told of). */
  private exitReply(e: unknown): string | null {
    const whose = this.multiprocess ? `;process:${this.proc.kernel.pid.toString(16)}` : '';
    if (e instanceof GuestExit) return (e.signal !== 0 ? `X${hex2(gdbSignal(e.signal))}` : `W${hex2(e.status)}`) + whose;
    if (e instanceof GuestFault) return `X${hex2(gdbSignal(e.signal))}${whose}`;
    return null;
  }

  /** Has the engine leave the blocks holding a breakpoint to the stub (Engine.setStops), when they changed. */
  private syncStops(): void {
    const key = [...this.breakpoints].join(',');
    if (key === this.stopsKey) return;
    this.stopsKey = key;
    this.proc.engine.setStops(new Set(this.breakpoints));
  }

  // ---- stepping ----

  /**
   * Runs one step of guest code at cpu.pc through the interpreter. Returns true when the
   * guest stopped instead (a watchpoint, with the step's effects undone; not when `leaving`
   * the place it stopped at).
   */
  private runStep(watching: boolean, leaving: boolean): boolean {
    const h = this.history;
    if (h !== null && h.replaying && h.loggedHere()) {
      // Not run again: what it did then is applied (kernel writes are not watched, as live).
      h.replayLogged();
      h.advance();
      return false;
    }
    if (!watching) {
      this.stepRecorded(h);
      return false;
    }
    const cpu = this.proc.cpu;
    const saved = cpu.saveState();
    const hit = this.stepRecorded(h, leaving);
    if (hit === null || leaving) return false;
    // The step does not happen after all (nor is it recorded).
    this.watched.rollback();
    cpu.loadState(saved);
    this.stop(`T${hex2(SIGTRAP)}${this.threadPart()}${watchStopPart(hit.wp.kind, hitAddress(hit))}`);
    return true;
  }

  /**
   * Runs the step at cpu.pc, recorded or replayed when there is a history; returns the
   * watchpoint it touched, if any. A step that touched one counts (in the history) only
   * when `keepHit`: otherwise the caller undoes it.
   */
  private stepRecorded(h: History | null, keepHit = true): WatchHit | null {
    this.watched.begin();
    if (h === null) {
      this.stepper.step(this.watched.active);
      return this.watched.hit;
    }
    const live = !h.replaying;
    const external = live && this.stepper.externalAt(this.proc.cpu.pc);
    if (live) h.beginStep();
    this.stepper.step(true);
    if (this.watched.hit !== null && !keepHit) return this.watched.hit;
    if (live) h.endStep(external);
    else h.advance();
    return this.watched.hit;
  }

  /** Replays from the present position (in the past) up to step `target`, stopping for nothing. */
  private replayTo(target: number): void {
    const h = this.history!;
    try {
      while (h.pos < target) {
        if (h.loggedHere()) {
          h.replayLogged();
          h.advance();
        } else this.stepRecorded(h);
      }
    } catch (e) {
      // Replay runs what already ran once: it cannot fault unless urun is wrong.
      throw new Error(`reverse execution: the replay of step ${h.pos} diverged from the recording (${(e as Error).message})`);
    }
  }

  /** Goes to step `target` of the recording: back to a checkpoint, then forward. */
  private travelTo(target: number): void {
    this.history!.rewind(target);
    this.replayTo(target);
  }

  /**
   * bs / bc: one step back, or back to the latest breakpoint or watchpoint hit before the
   * present position, or to the start of the recording. A watchpoint is reported just after
   * the step that touched it (where a forward run would have reported it just before): gdb
   * then steps back over it, as it steps forward over a hit going forward.
   */
  private runBackward(h: History): void {
    this.leaving = false;
    const thread = this.threadPart();
    if (h.pos === 0) {
      this.stop(`T${hex2(SIGTRAP)}${thread}replaylog:begin;`);
      return;
    }
    if (this.resume!.step) {
      this.travelTo(h.pos - 1);
      this.stop(`T${hex2(SIGTRAP)}${thread}`);
      return;
    }
    const cpu = this.proc.cpu;
    let limit = h.pos;
    for (;;) {
      h.rewind(limit - 1);
      const from = h.pos;
      let found: { pos: number; reply: string } | null = null;
      while (h.pos < limit) {
        const at = h.pos;
        if (this.breakpoints.has(cpu.pc & ~1)) found = { pos: at, reply: this.swbreak ? 'swbreak:;' : '' };
        if (h.loggedHere()) {
          h.replayLogged();
          h.advance();
          continue;
        }
        const hit = this.stepRecorded(h);
        if (hit !== null) found = { pos: at + 1, reply: watchStopPart(hit.wp.kind, hitAddress(hit)) };
      }
      if (found !== null) {
        this.travelTo(found.pos);
        this.stop(`T${hex2(SIGTRAP)}${thread}${found.reply}`);
        return;
      }
      if (from === 0) {
        this.travelTo(0);
        this.stop(`T${hex2(SIGTRAP)}${thread}replaylog:begin;`);
        return;
      }
      limit = from;
    }
  }

  private startTicker(): void {
    if (this.ticker) return;
    const src = `const { workerData } = require('node:worker_threads');
const w = new Int32Array(workerData.sab);
setInterval(() => { Atomics.store(w, ${IRQ}, 1); Atomics.notify(w, ${IRQ}); }, ${POLL_MS});`;
    this.ticker = new Worker(src, { eval: true, workerData: { sab: this.proc.kernel.signals.interrupt.buffer } });
    this.ticker.unref();
    this.ticker.on('error', () => {});
  }

  private stopTicker(): void {
    void this.ticker?.terminate();
    this.ticker = null;
  }

  // ---- the protocol ----

  private receive(data: string): void {
    this.inbox += data;
    for (;;) {
      const b = this.inbox;
      if (b.length === 0) break;
      if (b[0] === '+' || b[0] === '-') {
        this.inbox = b.slice(1);
        continue;
      }
      if (b[0] === '\x03') {
        this.inbox = b.slice(1);
        // Behind a packet not handled yet (the resume gdb sent just before it): after that one.
        if (this.packets.length > 0) this.packets.push(INTERRUPT);
        else this.interruptNow();
        continue;
      }
      const start = b.indexOf('$');
      if (start < 0) {
        this.inbox = '';
        break;
      }
      const hash = b.indexOf('#', start);
      if (hash < 0 || b.length < hash + 3) {
        this.inbox = b.slice(start);
        break;
      }
      this.inbox = b.slice(hash + 3);
      if (!this.noAck) this.socket?.write('+');
      this.packets.push(unescape(b.slice(start + 1, hash)));
    }
    this.notify();
  }

  /** gdb's Ctrl-C: to the kept child when it runs (this process is stopped, or stops with it), else to this process. */
  private interruptNow(): void {
    if (this.relay?.running) {
      this.relay.interrupt();
      return;
    }
    this.interruptRequested = true;
    // A guest waiting for a signal wakes up to see it.
    const irq = this.proc.kernel.signals.interrupt;
    Atomics.store(irq, IRQ, 1);
    Atomics.notify(irq, IRQ);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private send(payload: string): void {
    if (!this.socket) return;
    this.socket.write(Buffer.from(packet(payload), 'latin1'));
  }

  /** Answers gdb until it resumes the guest (or goes away). */
  private async serve(): Promise<void> {
    await this.connected;
    while (this.resume === null) {
      const p = this.packets.shift();
      if (p === undefined) {
        if (!this.socket) {
          this.letGo();
          break;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      // A Ctrl-C that came while the guest was stopped is gdb's late one: nothing to stop.
      if (p === INTERRUPT) continue;
      if (this.interruptRequested && this.resume === null) this.interruptRequested = false;
      // One right behind a resume interrupts what it resumed, once that runs (a kept child
      // too: the resume is passed on before anything awaits).
      if (this.packets[0] === INTERRUPT && resumes(p)) {
        this.packets.shift();
        setImmediate(() => this.interruptNow());
      }
      if (this.heldFork?.reported && resumes(p)) this.keepForkedChild();
      if (this.relay !== null && this.resumesBoth(p)) {
        await this.resumeBoth(p);
        continue;
      }
      if (this.relay !== null && (await this.relayed(p))) continue;
      if (resumes(p) && this.tellPendingOwnStop()) continue;
      const reply = this.handle(p);
      if (reply !== null) this.send(reply);
    }
    this.lastVisit = performance.now();
  }

  /** One packet's answer, or null when it resumes the guest (the stop reply comes later). */
  private handle(p: string): string | null {
    if (this.stops !== null) {
      const reply = this.handleThreaded(p);
      if (reply !== undefined) return reply;
    }
    if (this.vfork !== null && 'gGpP'.includes(p[0])) return this.withParentRegisters(() => this.handleSingle(p));
    return this.handleSingle(p);
  }

  /** One packet's answer for a single-threaded guest (or the selected thread's registers). */
  private handleSingle(p: string): string | null {
    switch (p[0]) {
      case '?': return this.lastStop;
      case 'g': return this.regs.regs.map((r) => toHex(this.regs.read(r.regnum) ?? new Uint8Array(r.bytes))).join('');
      case 'G': {
        if (this.history?.replaying) return 'E01';
        let at = 1;
        for (const r of this.regs.regs) {
          const h = p.slice(at, at + r.bytes * 2);
          at += r.bytes * 2;
          if (h.length === r.bytes * 2 && !h.includes('x')) this.regs.write(r.regnum, Buffer.from(h, 'hex'));
        }
        return 'OK';
      }
      case 'p': {
        const v = this.regs.read(parseInt(p.slice(1), 16));
        return v ? toHex(v) : 'E00';
      }
      case 'P': {
        if (this.history?.replaying) return 'E01';
        const [n, v] = p.slice(1).split('=');
        return this.regs.write(parseInt(n, 16), Buffer.from(v, 'hex')) ? 'OK' : 'E00';
      }
      case 'm': {
        const [a, l] = p.slice(1).split(',').map((x) => parseInt(x, 16));
        const data = this.readMemory(a, Math.min(l, 0x4000));
        return data.length > 0 || l === 0 ? toHex(data) : 'E14';
      }
      case 'M': {
        const [head, data] = p.slice(1).split(':');
        const [a, l] = head.split(',').map((x) => parseInt(x, 16));
        return this.writeMemory(a, Buffer.from(data, 'hex').subarray(0, l)) ? 'OK' : 'E14';
      }
      case 'X': {
        const colon = p.indexOf(':');
        const [a, l] = p.slice(1, colon).split(',').map((x) => parseInt(x, 16));
        return this.writeMemory(a, Buffer.from(p.slice(colon + 1), 'latin1').subarray(0, l)) ? 'OK' : 'E14';
      }
      case 'Z': case 'z': return this.point(p[0] === 'Z', p.slice(1));
      case 'b':
        if (p !== 'bs' && p !== 'bc') return '';
        if (this.history === null) return this.historyEnded !== null ? this.noHistory() : '';
        this.resume = { step: p === 'bs', reverse: true, signal: 0 };
        return null;
      case 'c': return this.go(false, 0);
      case 's': return this.go(true, 0);
      case 'C': return this.go(false, parseInt(p.slice(1), 16));
      case 'S': return this.go(true, parseInt(p.slice(1), 16));
      case 'H':
        if (p[1] === 'g') this.selectedPid = p[2] === 'p' ? parseInt(p.slice(3), 16) : 0;
        return 'OK';
      case 'T': return 'OK';
      case 'D': {
        const pid = p.startsWith('D;') ? parseInt(p.slice(2), 16) : this.proc.kernel.pid;
        if (this.heldFork !== null && pid === this.heldFork.pid) {
          this.decideFork(null);
          return 'OK';
        }
        if (this.heldFork !== null && this.heldFork.reported && p.startsWith('D;') && pid === this.proc.kernel.pid) {
          this.handOver();
          return null;
        }
        // gdb stays with the parent: the vfork child goes on in place, gdb no longer told of it.
        if (this.vfork !== null && pid === this.vfork.pid) {
          this.vfork.detached = true;
          return 'OK';
        }
        // A process this stub does not run (the vfork parent of the program gdb followed here).
        if (pid !== this.proc.kernel.pid) return 'OK';
        this.send('OK');
        this.letGo();
        this.socket?.end();
        return null;
      }
      case 'k':
        return this.kill();
      case 'v': return this.vPacket(p);
      case 'q': case 'Q': return this.query(p);
      default: return '';
    }
  }

  /**
   * The packets that differ once the guest runs threads: registers are the selected
   * thread's, resuming resumes Workers. undefined: as for one thread.
   */
  private handleThreaded(p: string): string | null | undefined {
    const stops = this.stops!;
    switch (p[0]) {
      case 'g': case 'p': case 'G': case 'P': {
        const slot = this.loadSelected();
        if (slot < 0) return 'E01';
        const reply = this.handleSingle(p);
        if (p[0] === 'G' || p[0] === 'P') stops.setRegisters(slot, this.proc.cpu.saveState());
        return reply;
      }
      case 'H': {
        if (p[1] !== 'g') return 'OK';
        // A thread of a forked child gdb holds or keeps names that process (the relay serves it).
        this.selectedPid = p[2] === 'p' ? parseInt(p.slice(3), 16) : 0;
        const tid = threadOf(p.slice(2));
        if (tid > 0 && (this.selectedPid === 0 || this.selectedPid === this.proc.kernel.pid)) this.selected = tid;
        return 'OK';
      }
      case 'T': return stops.threads().some((t) => t.tid === threadOf(p.slice(1))) ? 'OK' : 'E01';
      case 'c': case 'C': case 's': case 'S': {
        // The selected thread steps (the others run meanwhile) and gets the signal, if any.
        const step = p[0] === 's' || p[0] === 'S', signal = p.length > 1 ? parseInt(p.slice(1, 3), 16) : 0;
        const selected = this.selected;
        return this.resumeThreads((tid) => ({ action: step && tid === selected ? Action.Step : Action.Continue, deliver: signal !== 0 && tid === selected,
          signal: tid === selected ? HOST_SIGNALS[signal] : undefined }), step);
      }
      case 'Z': case 'z': {
        const reply = this.point(p[0] === 'Z', p.slice(1));
        if (reply !== 'OK') return reply;
        stops.setBreakpoints(this.breakpoints);
        if (stops.setWatchpoints(this.watched.watchpoints)) return 'OK';
        this.point(false, p.slice(1));
        return 'E01';
      }
      case 'v':
        if (!p.startsWith('vCont;')) return undefined;
        return this.vContThreads(p.slice(6).split(';'));
      case 'q': {
        const list = stops.threads();
        const kept = this.relay !== null ? this.relayThreads : [];
        if (p === 'qfThreadInfo') return `m${[...list.map((t) => this.threadId(t.tid)), ...kept].join(',')}`;
        if (p === 'qC') return `QC${this.threadId(this.selected)}`;
        if (p.startsWith('qThreadExtraInfo,')) {
          const t = list.find((x) => x.tid === threadOf(p.slice(17)));
          return textHex(t ? this.threadLabel(t.tid) : 'gone');
        }
        if (p.startsWith('qXfer:threads:read::')) {
          const [off, len] = p.slice(20).split(',').map((x) => parseInt(x, 16));
          const entries = [...list.map((t) => [this.threadId(t.tid), this.threadLabel(t.tid)]), ...kept.map((id) => [id, this.threadLabel(0)])];
          const xml = Buffer.from(`<?xml version="1.0"?><threads>${entries.map(([id, name]) => `<thread id="${id}" name="${name}"/>`).join('')}</threads>`);
          const part = xml.subarray(off, off + len);
          return (off + part.length >= xml.length ? 'l' : 'm') + escape(part.toString('latin1'));
        }
        return undefined;
      }
      default: return undefined;
    }
  }

  /** The threads gdb is told of when the guest is single-threaded: its own, and a vfork child gdb has kept. */
  private threadIds(): string[] {
    const child = this.keptVforkChild();
    const own = this.exited ? [] : [this.threadId(this.proc.kernel.thread.tid)];
    return [...own, ...(child ? [this.pidThread(child.pid)] : []), ...(this.relay !== null ? this.relayThreads : [])];
  }

  /** A thread's name for gdb: the program's (every thread of a process starts with it, as on Linux). */
  private threadLabel(tid: number): string {
    const k = this.proc.kernel;
    void tid;
    return threadName(k.argv[0] ?? k.opts.exePath);
  }

  /**
   * vCont with threads: each thread takes the first action that names it (or names no
   * thread): `s` steps it, `c` continues it, `C`/`S` with a signal deliver the fault it
   * stopped at; a thread no action names stays stopped (`vCont;c:TID` runs that one alone).
   */
  private vContThreads(actions: string[]): string | null {
    const parsed: (ThreadResume & { tid: number })[] = [];
    for (const a of actions) {
      const [what, thread] = a.split(':');
      const tid = thread === undefined ? -1 : threadOf(thread);
      const gdbSig = what.length > 1 ? parseInt(what.slice(1), 16) : 0;
      const deliver = gdbSig !== 0, signal = HOST_SIGNALS[gdbSig];
      if (what[0] === 's' || what[0] === 'S') parsed.push({ tid: tid === -1 ? this.selected : tid, action: Action.Step, deliver, signal });
      else if (what[0] === 'c' || what[0] === 'C') parsed.push({ tid, action: Action.Continue, deliver, signal });
      else return 'E01';
    }
    const stay: ThreadResume = { action: Action.Stay, deliver: false };
    const plan = (tid: number): ThreadResume => parsed.find((x) => x.tid === -1 || x.tid === tid) ?? stay;
    return this.resumeThreads(plan, parsed.some((x) => x.action === Action.Step));
  }

  /** gdb kills the guest: urun dies of SIGKILL, as the program would. */
  private kill(): never {
    this.detached = true;
    this.stopTicker();
    throw new GuestExit(137, 9);
  }

  private go(step: boolean, signal: number): null {
    // gdb resumes with the vfork child still attached: it follows the child (gdb holds the parent until the child execs or exits).
    const child = this.keptVforkChild();
    if (child !== null) child.followed = true;
    this.resume = { step, reverse: false, signal };
    this.leaving = true;
    return null;
  }

  private vPacket(p: string): string | null {
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (p.startsWith('vCont;')) {
      const tid = this.proc.kernel.thread.tid;
      for (const action of p.slice(6).split(';')) {
        const [what, thread] = action.split(':');
        if (thread !== undefined && threadOf(thread) !== -1 && threadOf(thread) !== tid && threadOf(thread) !== this.keptVforkChild()?.pid) continue;
        const signal = what.length > 1 ? parseInt(what.slice(1), 16) : 0;
        if (what[0] === 'c' || what[0] === 'C') return this.go(false, signal);
        if (what[0] === 's' || what[0] === 'S') return this.go(true, signal);
        return '';
      }
      return 'E01';
    }
    if (p.startsWith('vKill')) {
      const pid = p.startsWith('vKill;') ? parseInt(p.slice(6), 16) : this.proc.kernel.pid;
      if (pid !== this.proc.kernel.pid) {
        // A forked child gdb has not let go yet (a kept one's stub is asked through the relay).
        if (this.heldFork?.pid === pid) {
          process.kill(pid, 'SIGKILL');
          this.decideFork(null);
        }
        return 'OK';
      }
      this.send('OK');
      return this.kill();
    }
    return '';
  }

  private query(p: string): string {
    const tid = this.currentThread();
    const k = this.proc.kernel;
    if (p.startsWith('qSupported')) {
      this.swbreak = p.includes('swbreak+');
      this.execEvents = p.includes('exec-events+');
      this.multiprocess = p.includes('multiprocess+');
      this.forkEvents = this.multiprocess && p.includes('fork-events+');
      this.vforkEvents = this.multiprocess && p.includes('vfork-events+');
      this.noResumed = p.includes('no-resumed+');
      return 'PacketSize=4000;QStartNoAckMode+;qXfer:features:read+;qXfer:auxv:read+;qXfer:exec-file:read+;qXfer:libraries-svr4:read+;' +
        `qXfer:threads:read+;swbreak+;hwbreak+;vContSupported+;QPassSignals+${this.execEvents ? ';exec-events+' : ''}` +
        `${this.multiprocess ? ';multiprocess+' : ''}${this.forkEvents ? ';fork-events+' : ''}${this.vforkEvents ? ';vfork-events+' : ''}${this.noResumed ? ';no-resumed+' : ''}` +
        (this.history !== null || this.historyEnded !== null ? ';ReverseStep+;ReverseContinue+' : '');
    }
    if (p.startsWith('QPassSignals:')) {
      // The signals gdb would let through without a word (handle ... nostop noprint pass).
      this.passSignals = new Set(p.slice(13).split(';').filter((x) => x !== '').map((x) => HOST_SIGNALS[parseInt(x, 16)]).filter((h) => h !== undefined));
      setPassSignals(this.passSignals);
      return 'OK';
    }
    if (p === 'QStartNoAckMode') {
      this.noAck = true;
      return 'OK';
    }
    // urun started the process (not attached to it): gdb kills it when it quits, as it does gdbserver's.
    if (p === 'qAttached' || p.startsWith('qAttached:')) return '0';
    if (p === 'qC') return `QC${tid}`;
    if (p === 'qfThreadInfo') return this.threadIds().length > 0 ? `m${this.threadIds().join(',')}` : 'l';
    if (p === 'qsThreadInfo') return 'l';
    if (p.startsWith('qSymbol')) return 'OK';
    if (p === 'qOffsets') {
      const bias = this.loadBias().toString(16);
      return `Text=${bias};Data=${bias};Bss=${bias}`;
    }
    if (p.startsWith('qRcmd,')) return this.monitor(Buffer.from(p.slice(6), 'hex').toString('utf8').trim());
    if (p.startsWith('qThreadExtraInfo')) return textHex(threadName(k.argv[0] ?? k.opts.exePath));
    if (p.startsWith('qXfer:')) {
      const [, object, , annex, range] = p.split(':');
      const [off, len] = range.split(',').map((x) => parseInt(x, 16));
      let data: Buffer | null = null;
      if (object === 'features' && annex === 'target.xml') data = Buffer.from(this.regs.xml);
      else if (object === 'auxv') data = this.auxvBytes();
      else if (object === 'exec-file') data = Buffer.from(k.opts.exePath);
      else if (object === 'libraries-svr4') data = Buffer.from(this.svr4Libraries());
      else if (object === 'threads') {
        const name = threadName(k.argv[0] ?? k.opts.exePath);
        data = Buffer.from(`<?xml version="1.0"?><threads>${this.threadIds().map((id) => `<thread id="${id}" name="${name}"/>`).join('')}</threads>`);
      }
      if (data === null) return 'E00';
      const part = data.subarray(off, off + len);
      return (off + part.length >= data.length ? 'l' : 'm') + escape(part.toString('latin1'));
    }
    return '';
  }

  /**
   * Where the program was loaded relative to its link addresses: 0 for a fixed-address
   * (ET_EXEC) program, the load bias of a position-independent one (AT_ENTRY less the ELF's entry).
   */
  private loadBias(): number {
    const k = this.proc.kernel;
    let header: Buffer;
    try {
      header = Buffer.alloc(28);
      const fd = fs.openSync(k.opts.exePath, 'r');
      try {
        fs.readSync(fd, header, 0, 28, 0);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return 0;
    }
    const little = header[5] === 1;
    const type = little ? header.readUInt16LE(16) : header.readUInt16BE(16);
    if (type !== ET_DYN) return 0;
    const entry = little ? header.readUInt32LE(24) : header.readUInt32BE(24);
    const auxv = k.auxv;
    for (let i = 0; i + 1 < auxv.length; i += 2) if (auxv[i] === AT_ENTRY) return ((auxv[i + 1] >>> 0) - entry) >>> 0;
    return 0;
  }

  /**
   * The dynamic loader's list of loaded objects (its r_debug.r_map link_map chain), which
   * gdb would otherwise walk itself a word at a time: the program's PT_DYNAMIC gives
   * r_debug through DT_DEBUG (MIPS: DT_MIPS_RLD_MAP / _REL, its dynamic section being
   * read-only). Empty for a static program, and until the loader has filled it in.
   */
  private svr4Libraries(): string {
    const empty = '<library-list-svr4 version="1.0"/>';
    const { mem } = this.proc;
    const auxv = this.proc.kernel.auxv;
    const aux = (type: number): number => {
      for (let i = 0; i + 1 < auxv.length; i += 2) if (auxv[i] === type) return auxv[i + 1] >>> 0;
      return 0;
    };
    const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;
    try {
      const phdr = aux(AT_PHDR), phent = aux(AT_PHENT), phnum = aux(AT_PHNUM);
      let bias = 0, dynamic = 0;
      for (let i = 0; i < phnum; i++) {
        const type = mem.read32(phdr + i * phent), vaddr = mem.read32(phdr + i * phent + 8);
        if (type === PT_PHDR) bias = phdr - vaddr;
        else if (type === PT_DYNAMIC) dynamic = vaddr;
      }
      if (dynamic === 0) return empty;
      let rDebug = 0;
      for (let at = (dynamic + bias) >>> 0; ; at += 8) {
        const tag = mem.read32(at), value = mem.read32(at + 4);
        if (tag === DT_NULL) break;
        if (tag === DT_DEBUG && value !== 0) rDebug = value;
        else if (tag === DT_MIPS_RLD_MAP && value !== 0) rDebug = mem.read32(value);
        else if (tag === DT_MIPS_RLD_MAP_REL) rDebug = mem.read32((at + value) >>> 0);
      }
      const first = rDebug === 0 ? 0 : mem.read32(rDebug + 4);
      if (first === 0) return empty;
      // The first entry is the program itself. Every library is in the default namespace
      // (lmid 0: gdb 13 rejects the whole list, with a warning, when one has no lmid).
      let libs = '';
      for (let lm = mem.read32(first + 12); lm !== 0; lm = mem.read32(lm + 12)) {
        const name = mem.readCString(mem.read32(lm + 4)) ?? '';
        if (name === '') continue;
        libs += `<library name="${name.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)}" lm="${hex(lm)}" l_addr="${hex(mem.read32(lm))}" l_ld="${hex(mem.read32(lm + 8))}" lmid="0x0"/>`;
      }
      return `<library-list-svr4 version="1.0" main-lm="${hex(first)}">${libs}</library-list-svr4>`;
    } catch {
      // The list is being built, or was never there: as if empty.
      return empty;
    }
  }

  /** gdb's `monitor CMD`: the text goes to gdb's console. */
  private monitor(cmd: string): string {
    let text: string;
    if (cmd === 'history') text = this.history ? `${this.history.summary()}\n` : this.historyEnded ?? 'urun: no history: run urun with -g PORT --reverse to record one\n';
    else text = `urun: unknown monitor command '${cmd}' (known: history)\n`;
    this.send(`O${textHex(text)}`);
    return 'OK';
  }

  private auxvBytes(): Buffer {
    const words = this.proc.kernel.auxv;
    const b = Buffer.alloc(words.length * 4);
    words.forEach((w, i) => (this.proc.mem.littleEndian ? b.writeUInt32LE(w >>> 0, i * 4) : b.writeUInt32BE(w >>> 0, i * 4)));
    return b;
  }

  private point(insert: boolean, args: string): string {
    const [type, a, l] = args.split(/[,;]/);
    const addr = parseInt(a, 16) >>> 0;
    const len = parseInt(l, 16);
    // Those of a held child (gdb selected it) are its own, for its stub if gdb follows it.
    const child = this.heldFork !== null && this.selectedPid === this.heldFork.pid ? this.heldFork : null;
    if (type === '0' || type === '1') {
      const set = child?.breakpoints ?? this.breakpoints;
      if (insert) set.add(addr);
      else set.delete(addr);
      return 'OK';
    }
    const kind = watchKindOf(type);
    if (!kind) return '';
    setWatchpoint(child?.watchpoints ?? this.watched.watchpoints, insert, { kind, addr, len });
    return 'OK';
  }

  private readMemory(addr: number, len: number): Uint8Array {
    const { mem } = this.proc;
    let n = 0;
    while (n < len && addr + n < 2 ** 32 && (mem.perm[(addr + n) >>> PAGE_SHIFT] & (PROT_READ | PROT_EXEC | PROT_WRITE)) !== 0) n++;
    return mem.bytes.slice(addr >>> 0, (addr >>> 0) + n);
  }

  private writeMemory(addr: number, data: Uint8Array): boolean {
    const { mem } = this.proc;
    // The past is replayed as it was recorded.
    if (this.history?.replaying) return false;
    for (let i = 0; i < data.length; i++) {
      if ((mem.perm[(addr + i) >>> PAGE_SHIFT] & (PROT_READ | PROT_EXEC | PROT_WRITE)) === 0) return false;
    }
    this.history?.noteKernelWrite(addr, data.length);
    mem.bytes.set(data, addr >>> 0);
    this.proc.engine.invalidateRange(addr, data.length);
    return true;
  }
}

/** A packet as sent: `$payload#checksum`. */
function packet(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) sum = (sum + payload.charCodeAt(i)) & 0xff;
  return `$${payload}#${hex2(sum)}`;
}

/** This process and the kept child running together (schedule-multiple), until one stops. */
interface BothRunning {
  /** The child's stop (or end), once it came. */
  childReply: string | null;
  /** This process's stop (or end), once it came. */
  parentReply: string | null;
  /** Resolves when the child has stopped. */
  childStopped: Promise<void>;
  /** The child stopped first and this process was interrupted for it. */
  interrupted: boolean;
}

/** A child forked while gdb follows forks: where to tell it gdb's choice, and the breakpoints in its copy of the program. */
interface HeldFork {
  pid: number;
  decision: number;
  /** This end of the socket the child's stub serves gdb on, if gdb keeps both (detach-on-fork off). */
  relay: number;
  reported: boolean;
  breakpoints: Set<number>;
  watchpoints: Watchpoint[];
}

/** What a forked child's stub (or the stub of the program a vfork child execs) takes over from its parent's when gdb follows the child. */
interface HandedOver {
  noAck: boolean;
  swbreak: boolean;
  execEvents: boolean;
  multiprocess: boolean;
  forkEvents: boolean;
  vforkEvents: boolean;
  noResumed: boolean;
  breakpoints: number[];
  watchpoints: Watchpoint[];
  packets: string[];
  inbox: string;
  /** The stop gdb was told of last (the exec of a vfork child), for `?`. */
  lastStop?: string;
  /** The host signals gdb passes without a stop (QPassSignals). */
  passSignals?: number[];
}

/** A vfork child running in place of its parent (urun's vfork) while gdb is told of vforks. */
interface VforkChild {
  /** The pid it will have (a spare urun's, kept for it). */
  pid: number;
  /** The parent's registers, which it resumes with (the vfork's result set then). */
  parentState: CpuState;
  reported: boolean;
  /** gdb let it go (D;PID): it stays with the parent, and hears `vforkdone` when the child is done. */
  detached: boolean;
  /** gdb resumed with it attached: gdb follows it. */
  followed: boolean;
  /** The child exec'd (null) or exited (its status): its parent resumes. */
  done: { exitStatus: number | null } | null;
  /** The exec stop gdb hears when the followed child's program takes over gdb's connection. */
  execStop?: string;
}

/**
 * The stub of a forked child gdb keeps as well as the parent (detach-on-fork off), on a
 * socket to the parent's stub, which passes it gdb's packets about the child: the same
 * protocol, without acks.
 */
class ChildRelay {
  /** The child runs (a resume was passed on): gdb's Ctrl-C goes to it. */
  running = false;
  /** The processes served through the relay: the child, and those it forked and kept (told to gdb by its fork stops). */
  readonly pids: Set<number>;
  private readonly socket: net.Socket;
  private inbox = '';
  private readonly replies: string[] = [];
  private wake: (() => void) | null = null;
  private gone = false;

  constructor(readonly pid: number, fd: number) {
    this.pids = new Set([pid]);
    this.socket = new net.Socket({ fd, readable: true, writable: true });
    this.socket.on('data', (d) => this.receive(d.toString('latin1')));
    this.socket.on('error', () => {});
    this.socket.on('close', () => {
      this.gone = true;
      this.notify();
    });
  }

  /**
   * Sends a packet and resolves with the child's answer as it came (escaped), or with its stop
   * (console output skipped) for a resume; null once the child has gone.
   */
  async ask(p: string, resume = false): Promise<string | null> {
    if (this.gone) return null;
    this.socket.write(Buffer.from(packet(escape(p)), 'latin1'));
    for (;;) {
      const reply = this.replies.shift();
      if (reply !== undefined) {
        if (resume && reply.startsWith('O') && reply !== 'OK') continue;
        return reply;
      }
      if (this.gone) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** The child's threads as gdb names them (qfThreadInfo). */
  async threads(): Promise<string[]> {
    const list = await this.ask('qfThreadInfo');
    return list?.startsWith('m') ? list.slice(1).split(',') : [];
  }

  interrupt(): void {
    // Written on the descriptor: a child that has just ended makes the write fail, and the
    // socket's own write would then destroy it with the child's last answer still unread.
    const fd = socketFd(this.socket);
    if (this.gone || fd === null) return;
    try {
      fs.writeSync(fd, '\x03');
    } catch {
      // The child is gone: its end of file comes after its last answer.
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(data: string): void {
    this.inbox += data;
    for (;;) {
      const start = this.inbox.indexOf('$');
      const hash = start < 0 ? -1 : this.inbox.indexOf('#', start);
      if (hash < 0 || this.inbox.length < hash + 3) break;
      this.replies.push(this.inbox.slice(start + 1, hash));
      this.inbox = this.inbox.slice(hash + 3);
    }
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}

/** The host descriptor of a connected socket (null when closed). */
function socketFd(s: net.Socket | null): number | null {
  const fd = (s as unknown as { _handle?: { fd?: number } } | null)?._handle?.fd;
  return fd === undefined || fd < 0 ? null : fd;
}

/** The process a vCont action's thread-id names (`c:pPID.TID`): null for no thread-id or no pid in it, -1 for all. */
const actionPid = (action: string): number | null => {
  const id = action.split(':')[1];
  return id === undefined || !id.startsWith('p') ? null : parseInt(id.slice(1), 16);
};

/** The thread a thread-id names (`TID`, `pPID.TID`; `pPID` alone: all its threads): -1 for all, 0 for any. */
const threadOf = (id: string): number => parseInt(id.startsWith('p') && !id.includes('.') ? '-1' : id.split('.').pop()!, 16);

const threadName = (argv0: string): string => argv0.split('/').pop()!.slice(0, 15).replace(/[<>&"]/g, '_');

/** The protocol's binary escape: `}` then the byte xor 0x20. */
function unescape(s: string): string {
  return s.includes('}') ? s.replace(/\}([\s\S])/g, (_, c: string) => String.fromCharCode(c.charCodeAt(0) ^ 0x20)) : s;
}

function escape(s: string): string {
  return s.replace(/[$#}*]/g, (c) => '}' + String.fromCharCode(c.charCodeAt(0) ^ 0x20));
}
