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
import { FIRED_TIMERS, IRQ } from './signals.js';

/** How often the main thread visits the event loop while the guest handles host signals. */
export const TICK_MS = 5;

// The worker: { op: 'tick', on } starts/stops the periodic request; { op: 'arm', slot, ms,
// interval } arms timer `slot` (0-31) to fire after ms and then every interval ms (0: once);
// { op: 'disarm', slot } cancels it. A fired timer sets its bit in FIRED_TIMERS.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const words = new Int32Array(workerData.sab);
const wake = () => { Atomics.store(words, ${IRQ}, 1); Atomics.notify(words, ${IRQ}); };
const timers = new Map();
let ticker = null;
parentPort.on('message', (m) => {
  if (m.op === 'tick') {
    if (m.on && !ticker) ticker = setInterval(wake, ${TICK_MS});
    if (!m.on && ticker) { clearInterval(ticker); ticker = null; }
    return;
  }
  const old = timers.get(m.slot);
  if (old) { clearTimeout(old); clearInterval(old); timers.delete(m.slot); }
  if (m.op !== 'arm') return;
  const fire = () => { Atomics.or(words, ${FIRED_TIMERS}, 1 << m.slot); wake(); };
  timers.set(m.slot, setTimeout(() => {
    fire();
    if (m.interval > 0) timers.set(m.slot, setInterval(fire, m.interval));
    else timers.delete(m.slot);
  }, m.ms));
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

  /** The timer slots that fired since the last call. */
  takeFired(): number {
    return Atomics.exchange(this.interrupt, FIRED_TIMERS, 0);
  }

  stop(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}
