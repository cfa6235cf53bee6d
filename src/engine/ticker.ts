// Asynchronous signal sources for a guest that runs synchronously on the main thread.
// JavaScript sees host signals only in the event loop, and timers only fire there, so a
// small Worker does the waiting: it sets the guest thread's interrupt word (which the
// engine polls between blocks and at backward branches) when a guest timer expires, and
// every TICK_MS while the guest has handlers for host signals, so that the main thread
// returns to the event loop where Node's signal listeners run. Started only when first
// needed: a program that never arms a timer or catches a host signal pays nothing (a
// host signal it does not handle kills it natively: urun has no listener for it then).
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '../host/workers.js';
import { IRQ } from './signals.js';

/** How often the main thread visits the event loop while the guest handles host signals. */
export const TICK_MS = 5;

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

  constructor(private readonly interrupt: Int32Array) {}

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
    if (on || this.worker) this.post({ op: 'tick', on });
  }

  get isTicking(): boolean {
    return this.ticking;
  }

  arm(slot: number, ms: number, intervalMs: number): void {
    this.post({ op: 'arm', slot, ms: Math.max(0, ms), interval: Math.max(0, intervalMs) });
  }

  disarm(slot: number): void {
    if (this.worker) this.post({ op: 'disarm', slot });
  }

  stop(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}
