// Ways a syscall changes which guest code runs next, beyond returning a result. Each
// unwinds the running block like a fault (translated code writes its registers back
// first) and is handled by the run loop (runGuest in process.ts).
import type { CpuState } from './cpu.js';
import type { GuestImage } from './process.js';

/** Continue with this register state (a vfork child starting, its parent resuming). */
export class SwitchContext {
  constructor(readonly state: CpuState) {}
}

/** A successful execve of a guest program: the image is loaded, the old one is dropped. */
export class ExecGuest {
  constructor(readonly image: GuestImage) {}
}

/**
 * The process has just become multi-threaded (its first clone of a thread): its first
 * thread goes on in a Worker from `state`, and the main thread starts serving the threads.
 */
export class ThreadsStarted {
  constructor(readonly state: CpuState) {}
}
