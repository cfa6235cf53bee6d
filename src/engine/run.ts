// Runs a guest process: the engine runs guest code synchronously until it asks to be
// interrupted (a signal is pending, a timer fired, sigreturn, a periodic tick while host
// signals could arrive); between runs urun visits the event loop, where Node's host
// signal listeners run, and delivers what is pending by building signal frames.
import type { GuestProcess } from './process.js';
import { GuestExit, GuestFault, IRQ, NO_SIGNALS, WaitForHostFds, WaitForSignal, wallMs } from './signals.js';
import { releaseRobustList } from '../syscalls/threads.js';
import { deliverFault, deliverPending, finishSigreturn, nextTimerDue, signalsCanArrive, takeResumedFromStop, timersFired } from '../syscalls/signals.js';
import { SIGNAL_CHECK_MS, endWaitBySignal, hostWait } from '../syscalls/blocking.js';
import type { Kernel } from '../syscalls/kernel.js';
import { KIN_CHECK_MS, answerParent, parentChannel } from './kin.js';
import type { DebugHook } from './debug-hook.js';

/** One turn of the event loop: enough for every pending host signal's listener to run. */
const eventLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs the guest until it exits (as GuestExit), dies of a fault (GuestFault) or urun fails. */
export async function runGuest(proc: GuestProcess): Promise<never> {
  try {
    return await runThread(proc);
  } catch (e) {
    // The process ends: the mutexes its robust list holds (in shared memory) are released.
    if (e instanceof GuestExit || e instanceof GuestFault) releaseRobustList(proc.kernel);
    throw e;
  }
}

async function runThread(proc: GuestProcess): Promise<never> {
  const { engine, kernel } = proc;
  const t = kernel.signals;
  const irq = t.interrupt;
  for (;;) {
    const debug = proc.debug;
    try {
      if (debug) await debug.run();
      else engine.run();
    } catch (e) {
      if (e instanceof GuestFault) {
        // An attached debugger sees the fault first, and may have it dropped.
        if (debug && !(await debug.fault(e))) continue;
        deliverFault(kernel, e);
        continue;
      }
      if (e instanceof WaitForHostFds) {
        await waitForHostFds(kernel, e, debug);
        continue;
      }
      if (!(e instanceof WaitForSignal)) throw e;
      // The syscall runs again (cpu.pc is on it) once a signal came or its time is up; a
      // deliverable signal queued meanwhile sets the interrupt word again, so it is
      // delivered as the syscall returns EINTR.
      const queued = t.pending.length;
      t.waitingFor = e.wanted;
      // No ticks while waiting in the event loop, where the host signals' listeners run anyway:
      // they woke a sleeping guest every 5 ms (5% of a CPU, which its CPU-time timers counted).
      const ticking = kernel.ticker?.isTicking === true;
      if (ticking) kernel.ticker!.setTicking(false);
      do {
        Atomics.store(irq, IRQ, 0);
        // A timer due before the interrupt word was cleared (its wake-up just lost) is taken
        // now, not waited for; and the wait ends when the next timer is due, whether or not
        // the ticker's wake-up comes in time (its worker may still be starting on a busy host).
        timersFired(kernel);
        if (t.pending.length !== queued) break;
        const due = nextTimerDue(kernel) ?? Infinity;
        // A forked child answers its parent (kin.ts) between short waits.
        const kinCheck = parentChannel() < 0 ? Infinity : performance.now() + KIN_CHECK_MS;
        const end = Math.min(e.until ?? Infinity, due, kinCheck);
        await waitForInterrupt(irq, end === Infinity ? null : end);
        answerParent();
        await eventLoopTurn();
        timersFired(kernel);
      } while (t.pending.length === queued && (e.until === null || performance.now() < e.until) && !debug?.stopRequested());
      if (ticking) kernel.ticker!.setTicking(true);
      t.waitingFor = NO_SIGNALS;
      continue;
    }
    Atomics.store(irq, IRQ, 0);
    answerParent();
    finishSigreturn(kernel);
    const resumed = takeResumedFromStop();
    if (kernel.ticker || resumed) {
      // Host signals reach their listeners only in the event loop.
      await eventLoopTurn();
      timersFired(kernel);
      kernel.ticker?.renew();
    }
    if (debug?.signal) await offerSignals(kernel, debug);
    deliverPending(kernel);
  }
}

/** An attached debugger hears of the signals about to be delivered; those it holds back are discarded. */
async function offerSignals(k: Kernel, debug: DebugHook): Promise<void> {
  const t = k.signals;
  for (const info of t.unblocked()) {
    if (!(await debug.signal!(k.hostSignal(info.signo)))) t.take(info);
  }
}

/**
 * The guest waits for host descriptors (then its syscall runs again). The wait is one host
 * poll(2); when a guest signal could come meanwhile (a timer, a handled host signal) it is
 * cut into slices with a visit to the event loop between them. A debugger's stop request
 * ends the wait (the syscall runs again when the guest goes on).
 */
async function waitForHostFds(k: Kernel, e: WaitForHostFds, debug: DebugHook | undefined): Promise<void> {
  for (;;) {
    // An attached debugger's Ctrl-C is seen in the event loop, so the wait is sliced then too.
    const due = nextTimerDue(k);
    const slice = due !== null ? Math.min(SIGNAL_CHECK_MS, Math.max(0, Math.ceil(due - performance.now()))) : signalsCanArrive(k) || debug ? SIGNAL_CHECK_MS : -1;
    if (hostWait(e.fds, e.until, slice)) return;
    // A call restarted whatever the signal gets every deliverable one below: the interrupt
    // word, left set, would only end its next wait at once.
    if (e.restartable === 'always') Atomics.store(k.signals.interrupt, IRQ, 0);
    await eventLoopTurn();
    timersFired(k);
    if (endWaitBySignal(k, e) || wallMs() >= e.until || debug?.stopRequested()) return;
  }
}

/** Node 20 has Atomics.waitAsync; the TypeScript library this project targets does not declare it. */
interface AtomicsWaitAsync {
  waitAsync(a: Int32Array, index: number, value: number, timeout: number): { async: boolean; value: Promise<string> | string };
}

/** Waits in the event loop until the interrupt word is set (a signal, a timer, a tick) or `until` passes. */
async function waitForInterrupt(irq: Int32Array, until: number | null): Promise<void> {
  const timeout = until === null ? Infinity : Math.max(0, until - performance.now());
  if (Atomics.load(irq, IRQ) === 0 && timeout > 0) {
    const w = (Atomics as unknown as AtomicsWaitAsync).waitAsync(irq, IRQ, 0, timeout);
    // A pending waitAsync does not keep Node running: this timer does, while the guest waits.
    const keepAlive = setInterval(() => {}, 1 << 30);
    try {
      if (w.async) await w.value;
    } finally {
      clearInterval(keepAlive);
    }
  }
}
