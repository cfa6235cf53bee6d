// node:worker_threads, loaded when first needed: most guests never start a thread, and
// loading the module costs a few milliseconds of every start.
import { createRequire } from 'node:module';

export type WorkerThreads = typeof import('node:worker_threads');

let loaded: WorkerThreads | null = null;

export function workerThreads(): WorkerThreads {
  return (loaded ??= createRequire(import.meta.url)('node:worker_threads') as WorkerThreads);
}

/**
 * The argument a guest-thread Worker is started with (Worker `argv`), so that a module can
 * tell it runs in one without loading worker_threads.
 */
export const GUEST_THREAD_ARG = '--urun-guest-thread';

/** The global a guest-thread Worker finds set when it is to write the Workers' code cache (see threads.ts). */
export const SAVE_THREAD_CACHE = 'urunSaveThreadCache';

/**
 * Writes the Workers' V8 code cache if this Worker is to (once): as the process ends, when
 * its code cache holds every function the run has compiled. Takes about as long as the
 * first run's compiling of one Worker saves each later Worker.
 */
export function saveThreadCache(): void {
  const g = globalThis as Record<string, unknown>;
  const save = g[SAVE_THREAD_CACHE] as (() => void) | undefined;
  g[SAVE_THREAD_CACHE] = undefined;
  save?.();
}
