// Asynchronous signal sources for a guest that runs synchronously on the main thread.
// JavaScript sees host signals only in the event loop, and timers only fire there, so a
// small Worker does the waiting: it sets the guest thread's interrupt word (which the
// engine polls between blocks and at backward branches) when a guest timer expires, and
// every TICK_MS while the guest has handlers for host signals, so that the main thread
// returns to the event loop where Node's signal listeners run. Started only when first
// needed: a program that never arms a timer or catches a host signal pays nothing (a
// host signal it does not handle kills it natively: urun has no listener for it then).
// Starting it costs ~30 ms of CPU, so for its first WORKER_AFTER_MS of ticking the engine
// ticks itself (ThreadSignals.tick: it reads the clock every few dozen blocks): a short
// program that only sets a SIGINT handler (sqlite3, lua, a shell) never starts the Worker.
// Only the Worker interrupts a loop that runs long inside one compiled region.
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '../host/workers.js';
import { IRQ } from './signals.js';

/** How often the main thread visits the event loop while the guest handles host signals. */
export const TICK_MS = 5;
/**
 * How long the engine ticks by itself before the Worker takes over. Warm cache, 25 runs:
 * lua5.4 -e 'print(1)' (mipsel, a SIGINT handler around its chunk) 185 -> 174 ms, sqlite3
 * :memory: 'select 1;' (armhf) 287 -> 283 ms. (Most of what is left of ticking's cost is a
 * major GC that V8's tasks start once the main thread visits the event loop at all.)
 */
const WORKER_AFTER_MS = 100;

// The worker: { op: 'tick', on } starts/stops the periodic request; { op: 'arm', slot, ms,
// interval } arms timer `slot` to wake the guest after ms and then every interval ms (0:
// once); { op: 'disarm', slot } cancels it. The guest decides on its own clock which timers
// are due (timersFired), so each wake-up is scheduled a little after the due time, never before.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const words = new Int32Array(workerData.sab);
const wake = () => { Atomics.store(words, ${IRQ}, 1); Atomics.notify(words, ${IRQ}); };
const LATE_MS = 2;
const timers = new Map();
let ticker = null;
parentPort.on('message', (m) => {
  if (m.op === 'tick') {
    if (m.on && !ticker) ticker = setInterval(wake, ${TICK_MS});
    if (!m.on && ticker) { clearInterval(ticker); ticker = null; }
    return;
  }
  clearTimeout(timers.get(m.slot));
  timers.delete(m.slot);
  if (m.op !== 'arm') return;
  let due = performance.now() + m.ms;
  const fire = () => {
    wake();
    if (m.interval > 0) {
      due += m.interval;
      timers.set(m.slot, setTimeout(fire, Math.max(0, due - performance.now()) + LATE_MS));
    } else timers.delete(m.slot);
  };
  timers.set(m.slot, setTimeout(fire, m.ms + LATE_MS));
});
`;

export class SignalTicker {
  private worker: Worker | null = null;
  private ticking = false;
  /** When ticking without the Worker began (performance.now() ms), or null. */
  private selfSince: number | null = null;

  constructor(private readonly interrupt: Int32Array, private readonly tick: Float64Array) {}

  private post(msg: object): void {
    if (!this.worker) {
      this.worker = new (workerThreads().Worker)(WORKER_SOURCE, { eval: true, workerData: { sab: this.interrupt.buffer } });
      // Never keeps urun alive, never reports an error as urun's own.
      this.worker.unref();
      this.worker.on('error', () => {});
    }
    this.worker.postMessage(msg);
  }

  /** Periodic trips to the event loop on (the guest handles host signals) or off. */
  setTicking(on: boolean): void {
    if (on === this.ticking) return;
    this.ticking = on;
    if (on && !this.worker) {
      this.selfSince = performance.now();
      this.tick[0] = this.selfSince + TICK_MS;
      return;
    }
    this.endSelfTicking();
    if (on || this.worker) this.post({ op: 'tick', on });
  }

  /** The engine stops ticking by itself. */
  private endSelfTicking(): void {
    this.selfSince = null;
    this.tick[0] = 0;
  }

  /** The Worker ticks from now on, in place of the engine. */
  private handOverTicks(): void {
    this.endSelfTicking();
    this.post({ op: 'tick', on: true });
  }

  /**
   * After a trip to the event loop: the engine's next tick, or the Worker from now on once
   * the engine has ticked for WORKER_AFTER_MS.
   */
  renew(): void {
    if (this.selfSince === null) return;
    const now = performance.now();
    if (now - this.selfSince < WORKER_AFTER_MS) this.tick[0] = now + TICK_MS;
    else this.handOverTicks();
  }

  get isTicking(): boolean {
    return this.ticking;
  }

  arm(slot: number, ms: number, intervalMs: number): void {
    // The Worker is started for the timer: it ticks too from now on.
    if (this.selfSince !== null) this.handOverTicks();
    this.post({ op: 'arm', slot, ms: Math.max(0, ms), interval: Math.max(0, intervalMs) });
  }

  disarm(slot: number): void {
    if (this.worker) this.post({ op: 'disarm', slot });
  }

  stop(): void {
    void this.worker?.terminate();
    this.worker = null;
    this.endSelfTicking();
  }
}
