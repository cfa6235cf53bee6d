// Guest signals as the emulator raises them. A guest fault unwinds the CPU loop as a
// GuestFault; the engine then applies the signal's default action (terminate the
// emulator with the same signal, so the shell reports what it would for the native program).

export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6,
  SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12,
  SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15;

/** Host (x86 Linux) signal names by number: the numbering urun's generic layer uses. */
export const SIGNAL_NAMES: Record<number, NodeJS.Signals> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS',
  8: 'SIGFPE', 9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE',
  14: 'SIGALRM', 15: 'SIGTERM', 17: 'SIGCHLD', 18: 'SIGCONT', 19: 'SIGSTOP', 20: 'SIGTSTP',
  21: 'SIGTTIN', 22: 'SIGTTOU', 23: 'SIGURG', 24: 'SIGXCPU', 25: 'SIGXFSZ', 26: 'SIGVTALRM',
  27: 'SIGPROF', 28: 'SIGWINCH', 29: 'SIGIO', 30: 'SIGPWR', 31: 'SIGSYS',
};

/** Signals whose default action is to be ignored rather than to terminate. */
export const IGNORED_BY_DEFAULT = new Set([17, 18, 23, 28]);

/** A synchronous guest fault (bad access, illegal instruction, trap). */
export class GuestFault extends Error {
  constructor(readonly signal: number, readonly addr: number, what: string) {
    super(`${what} 0x${(addr >>> 0).toString(16).padStart(8, '0')}`);
  }
}

/** The guest asked to exit (exit_group), or was killed by a signal it sent itself. */
export class GuestExit extends Error {
  constructor(readonly status: number, readonly signal = 0) {
    super(signal ? `killed by signal ${signal}` : `exit ${status}`);
  }
}
