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
