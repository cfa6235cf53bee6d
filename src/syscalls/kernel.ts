// The emulated process's kernel-side state: file descriptors, the address-space layout
// (brk and mmap placement), signal dispositions, the guest's view of paths. Generic over
// architectures; arch differences come in through the ArchAbi.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GuestMemory, PAGE_SIZE, PROT_READ, PROT_WRITE, devIno, pageAlignUp, type AddressLayout } from '../memory/memory.js';
import type { ArchAbi, HostStat, RlimitName } from './abi.js';
import { E, hostErrno } from './errno.js';
import { SIGKILL, SigInfo, SI_KERNEL, SigSet, ThreadSignals, sigBit, IGNORED_BY_DEFAULT } from '../engine/signals.js';
import type { SignalTicker } from '../engine/ticker.js';
import type { GuestThread, ThreadHost } from './threads.js';
import type { GuestCpu } from '../engine/cpu.js';
import type { CpuModel } from '../isa/models.js';
import { FD_CLOEXEC, F_SETFD, HOST_O_NONBLOCK, closeOnExecBeforeSpawn, libc, libcLoaded } from '../host/libc.js';
import { bytesToString, stringToBytes } from '../host/bytes.js';
import { Sandbox, type SandboxPolicy } from './sandbox.js';
import { ownProcFile, taskPath } from './procfs.js';
import { isOwnDescriptor } from '../host/files.js';

/**
 * An open file description: a host file descriptor, shared by the guest descriptors dup'd
 * from it. Offsets, O_APPEND, pipes and terminals are the host kernel's, so a forked child
 * (which inherits the host descriptor) shares them with its parent as on Linux.
 */
export interface OpenFile {
  hostFd: number;
  /** Its name for /proc/self/fd and for *at calls under /proc (pipe:[inode] for pipes); other *at calls go through hostFd. */
  path: string;
  isDir: boolean;
  refs: number;
  /** Whether closing the last reference closes the host descriptor. */
  ownsFd: boolean;
  /** O_RDONLY/O_WRONLY/O_RDWR plus the status flags in guest numbering (F_GETFL). */
  flags: number;
  /** Whether I/O on it can block (not a regular file); found out on first use. */
  mayBlock?: boolean;
  /** Whether it is a pipe or FIFO (found out with mayBlock). */
  fifo?: boolean;
  /** Whether it is a character device that may block, a terminal perhaps (found out with mayBlock). */
  chardev?: boolean;
  /** Which guest descriptor of it each host epoll set holds it by (events.ts), by the set's host descriptor. */
  epollOwners?: Map<number, number>;
  /** Host dups that register its other guest descriptors in epoll sets, by `set:guest fd`. */
  epollAliases?: Map<string, number>;
  /** A signalfd's mask (eventfds.ts), which a forked child's copy keeps. */
  signalfdMask?: SigSet;
}

export interface FdEntry { file: OpenFile; cloexec: boolean }

/** The descriptor table: a Map that says which descriptor changed (direct-io.ts listens). */
export class FdTable extends Map<number, FdEntry> {
  /** Called after a descriptor is set or removed (null: all were). */
  onChange: ((fd: number | null) => void) | null = null;
  /** The highest descriptor this table has held: Linux's table grows to fit it and never shrinks (select looks that far). */
  highest = -1;

  override set(fd: number, entry: FdEntry): this {
    super.set(fd, entry);
    if (fd > this.highest) this.highest = fd;
    this.onChange?.(fd);
    return this;
  }

  override delete(fd: number): boolean {
    const had = super.delete(fd);
    this.onChange?.(fd);
    return had;
  }

  override clear(): void {
    super.clear();
    this.onChange?.(null);
  }
}

/** A signal's disposition (struct sigaction), per process. */
export interface SigAction { handler: number; flags: number; mask: SigSet; restorer: number }

/** What the arch's signal frames code (arch/*-signal.ts) does for the generic layer. */
export interface SignalFrames {
  /**
   * Saves the interrupted context (cpu.pc and the registers) in a frame on the guest stack
   * (below `stackTop`) and enters the handler. `info` null: the non-SA_SIGINFO frame.
   * Returns false when the frame cannot be written (the process then dies of SIGSEGV).
   */
  enter(info: SigInfo, act: SigAction, siginfo: boolean, oldMask: SigSet, thread: ThreadSignals): boolean;
  /** Restores the context saved in the frame at the stack pointer; returns its mask, or null for a bad frame. */
  restore(siginfo: boolean, thread: ThreadSignals): SigSet | null;
}

/** A guest interval timer (setitimer, alarm, timer_create), run by the SignalTicker's worker. */
export interface GuestTimer {
  signo: number;
  /** Expiry and period in ms on the timer's clock (see cpu); period 0 for a one-shot timer. */
  due: number;
  period: number;
  code: number;
  value: number;
  timerId: number;
  /** The overrun count of its last signal delivered (timer_getoverrun). */
  overrun: number;
  /** SIGEV_THREAD_ID: the thread the signal goes to (0: the process). */
  tid: number;
  /** A POSIX timer's last signal, which may still be pending: Linux queues one per timer. */
  queued?: SigInfo;
  /**
   * The process's CPU time the timer runs on: its user time (ITIMER_VIRTUAL) or user and
   * system time (ITIMER_PROF, CLOCK_PROCESS_CPUTIME_ID); none: elapsed time (performance.now()).
   */
  cpu?: 'user' | 'all';
}

/**
 * What a program started by a vfork child's execve (a new urun process) keeps from that
 * child besides its umask, which the host process carries (see Kernel.umask): as
 * inheritAcrossExec keeps it within one process.
 */
export interface ExecInheritance {
  /** The guest descriptors kept, at the same numbers on the host (unless hostFds says otherwise). */
  fds: number[];
  /** Where each of `fds` above 2 is on the host, when not at its own number (a spare received them). */
  hostFds?: number[];
  /** The signal mask, and the ignored signals (guest numbers). */
  sigmask: string;
  ignored: number[];
  rlimits: KernelState['rlimits'];
  personality: number;
  /** See Kernel.cwdInSysroot. */
  cwdInSysroot?: boolean;
  /** The CPU mask sched_setaffinity gave the thread that calls execve, and its scheduling policy (kept, as Linux keeps them). */
  affinity?: number[];
  policy?: number;
}

export interface KernelOptions {
  /** Host path of the running guest program (what /proc/self/exe names). */
  exePath: string;
  sysroot: string | null;
  warn: (msg: string) => void;
  /** What the execve of a vfork child that started us kept (descriptors at the same numbers, mask, ...). */
  inherited?: ExecInheritance;
  /** --sandbox: what the guest may reach (absent: everything urun can). */
  sandbox?: SandboxPolicy | null;
  /**
   * The guest is the program urun was started for: it also gets the descriptors above 2 that
   * urun's parent left open for it (a shell's `3>log`, a jobserver's pipe), at their numbers.
   */
  hostDescriptors?: boolean;
}

/**
 * The host descriptors above 2 that urun's parent left open for the program. Node's own are
 * told apart by kind (the Kernel then marks the guest's close-on-exec): event loop
 * descriptors (anon_inode: epoll, eventfd), libuv's non-blocking pipes, and pipes with both
 * ends here (libuv's signal lock). An inherited pipe of those kinds (a jobserver's two ends)
 * is taken for Node's own.
 */
function descriptorsFromParent(): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(HOST_FD_DIR);
  } catch {
    return [];
  }
  const links = new Map<number, string>();
  for (const fd of names.map(Number)) {
    try {
      // (Not one urun holds for itself: the program file it is loading, its cache files.)
      if (Number.isInteger(fd) && fd > 2 && !isOwnDescriptor(fd)) links.set(fd, fs.readlinkSync(`${HOST_FD_DIR}${fd}`));
    } catch {
      // (the directory listing's own descriptor, closed by now)
    }
  }
  const pipes = [...links.values()].filter((l) => l.startsWith('pipe:'));
  const inherited = (fd: number, link: string): boolean => {
    if (link.startsWith('anon_inode:')) return false;
    if (!link.startsWith('pipe:') && !link.startsWith('socket:')) return true;
    if (pipes.indexOf(link) !== pipes.lastIndexOf(link)) return false;
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
      return flags !== null && (parseInt(flags[1], 8) & HOST_O_NONBLOCK) === 0;
    } catch {
      return false;
    }
  };
  return [...links].filter(([fd, link]) => inherited(fd, link)).map(([fd]) => fd).sort((a, b) => a - b);
}

/**
 * Which of descriptors 0-2 were closed where urun started (bin/urun's shell line notes them):
 * Node opens /dev/null in their place as it starts, and the guest must find them closed (a
 * write to a closed stdout is EBADF, not a write to /dev/null). None when urun was not
 * started by bin/urun.
 */
function closedStdioAtStart(): number[] {
  const closed = (globalThis as { urunHostClosed?: string }).urunHostClosed ?? '';
  return [0, 1, 2].filter((fd) => closed.includes(String(fd)));
}

export const SIG_DFL = 0, SIG_IGN = 1;
/** The action of an ignored signal that an execve keeps. */
const IGNORED: SigAction = Object.freeze({ handler: SIG_IGN, flags: 0, mask: 0n, restorer: 0 });

/** The host signals ignored where urun started (bin/urun's mask), but SIGKILL and SIGSTOP; none when urun was not started by bin/urun. */
function ignoredAtStart(): number[] {
  const mask = (globalThis as { urunHostIgnored?: bigint }).urunHostIgnored ?? 0n;
  const out: number[] = [];
  for (let host = 1; host <= 64; host++) if ((mask >> BigInt(host - 1)) & 1n && host !== 9 && host !== 19) out.push(host);
  return out;
}
/** The longest path the kernel takes, its NUL included. */
const PATH_MAX = 4096;
const PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4;
/** Where the host names its own descriptors: `${HOST_FD_DIR}N/name` is a lookup relative to host descriptor N. */
export const HOST_FD_DIR = '/proc/self/fd/';

/** The path the host kernel gives an open descriptor, or null. */
export function hostFdPath(hostFd: number): string | null {
  try {
    return fs.readlinkSync(`${HOST_FD_DIR}${hostFd}`);
  } catch {
    return null;
  }
}

/** This process's working directory as the host has it (Node's process.cwd() is cached), or null once it was removed. */
export function hostCwd(): string | null {
  const buf = Buffer.alloc(4096);
  const len = libc().getcwd(buf);
  return len > 0 ? buf.toString('utf8', 0, len - 1) : null;
}
/** Absolute guest paths never looked for in the sysroot: /proc, /dev, /tmp and what is under them. */
const HOST_TOPS = /^\/(proc|dev|tmp)(\/|$)/;

/** What clone/fork/vfork asked for the child, beyond a copy of the caller. */
export interface CloneRequest {
  flags: number;
  /** The child's stack pointer, or 0 to keep the caller's. */
  stack: number;
  parentTid: number;
  childTid: number;
  tls: number;
}

/** Process creation and replacement, which need the CPU and engine: set by the process layer. */
export interface ProcessHooks {
  /** A child with a copy of the address space; returns its pid (or -errno). */
  fork(req: CloneRequest): number;
  /** A child sharing the address space until it execs or exits, the parent suspended (vfork). */
  vfork(req: CloneRequest): number;
  /** execve: returns -errno, or does not return. */
  exec(path: string, argv: string[], envp: string[]): number;
  /** exit/exit_group: does not return. */
  exit(status: number): never;
  /**
   * setpgid (pgid, 0 for its own pid) or setsid of itself in a vfork child running in place:
   * kept for the program it execs (moving this host process would move the parent). Null
   * when not in such a child, or when `pid` names another process.
   */
  vforkGroup?(pid: number, pgid: number | 'setsid'): number | null;
  /**
   * The vfork child of a thread in a Worker runs in place there, on the shared memory, while
   * the main thread answers its calls with a descriptor table and dispositions of its own:
   * those tables (copies of the process's), made at its vfork.
   */
  vforkTables?(): VforkTables;
  /**
   * Answers one call of such a child, its tables in the Kernel for that time (and `sigmask`,
   * its thread's). An execve that works starts the new program as a child process and
   * returns its pid (also left in `became`).
   */
  asVforkChild?<T>(child: VforkTables, sigmask: bigint, answer: () => T): T;
  /** Such a child's end: by its execve (`status` null), or by _exit, as a child process that exited so (its pid returned). */
  endVforkChild?(child: VforkTables, status: number | null): number;
}

/**
 * What a vfork child has of its own while it shares its parent's memory: descriptors,
 * dispositions, mask, working directory (host path; null when there is none: removed, and
 * whether it is the sysroot's) and umask.
 */
export interface VforkOwn {
  fds: Map<number, FdEntry>;
  sigactions: Map<number, SigAction>;
  sigmask: bigint;
  cwd: string | null;
  cwdInSysroot: boolean;
  umask: number;
}

/** A thread's vfork child's own tables (ProcessHooks.vforkTables). */
export interface VforkTables extends VforkOwn {
  /** What it asked for its group or session (setpgid, setsid), for the program it execs. */
  group: { pgroup?: number; setsid?: boolean };
  /** The pid of the program its execve started. */
  became: number | null;
}

/** The per-process kernel state a forked child starts from (structured-clonable). */
export interface KernelState {
  layout: AddressLayout;
  brkStart: number;
  brk: number;
  /** Dispositions and the mask, their signal sets as decimal strings (JSON has no bigint). */
  sigactions: [number, Omit<SigAction, 'mask'> & { mask: string }][];
  sigmask: string;
  umask: number;
  /** The resource limits the guest set: [name, soft, hard], as decimal strings. */
  rlimits: [string, string, string][];
  personality?: number;
  /** PR_GET_DUMPABLE's answer (the host process's): a forked child keeps it. */
  dumpable?: number;
  cwdInSysroot?: boolean;
  /** The forking thread's CPU mask, if sched_setaffinity set one, and policy: the child's thread inherits them. */
  affinity?: number[];
  policy?: number;
  /** Guest fd → [host fd, close-on-exec, index into files]. */
  fds: [number, number, boolean, number][];
  /** signalfdMask: a signalfd's mask as a decimal string. */
  files: { hostFd: number; path: string; isDir: boolean; flags: number; ownsFd: boolean; signalfdMask?: string }[];
  argv: string[];
  envp: string[];
  argArea?: [number, number, number] | null;
  comm?: string | null;
  mappingNames: { start: number; end: number; name: string; offset?: number }[];
  auxv: number[];
}

export const RLIM_INFINITY = 0xffffffffffffffffn;
/** The stack a new program starts with on Linux (128 KiB and the arguments' pages), as RLIMIT_AS counts it. */
const INITIAL_STACK_PAGES = 33;

/**
 * How a new mapping counts against RLIMIT_AS and RLIMIT_DATA (Kernel.mayExpand): shared (not
 * data), its protection when mapped with another one at first, bytes the caller unmaps after.
 */
export interface ExpandLimits { shared?: boolean; prot?: number; released?: number }
/** /proc/self/limits' row labels. */
const LIMIT_LABELS: Record<string, RlimitName> = {
  'Max cpu time': 'cpu', 'Max file size': 'fsize', 'Max data size': 'data', 'Max stack size': 'stack',
  'Max core file size': 'core', 'Max resident set': 'rss', 'Max processes': 'nproc', 'Max open files': 'nofile',
  'Max locked memory': 'memlock', 'Max address space': 'as', 'Max file locks': 'locks', 'Max pending signals': 'sigpending',
  'Max msgqueue size': 'msgqueue', 'Max nice priority': 'nice', 'Max realtime priority': 'rtprio', 'Max realtime timeout': 'rttime',
};
let hostLimits: Map<RlimitName, [bigint, bigint]> | null = null;

/** The umask this process started with: what the guest starts with too. */
function hostUmask(): number {
  return process.umask();
}

/** A path's real path (symlinks resolved), or the path itself when it cannot be resolved. */
export function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * The host's resource limits (what qemu-user reports too), read from /proc/self/limits: the
 * limits urun runs under (Node raises the soft limit on open files to the hard one).
 */
export function hostLimit(name: RlimitName): [bigint, bigint] {
  if (!hostLimits) {
    hostLimits = new Map();
    try {
      for (const line of fs.readFileSync('/proc/self/limits', 'utf8').split('\n')) {
        const label = Object.keys(LIMIT_LABELS).find((l) => line.startsWith(l));
        if (!label) continue;
        const [soft, hard] = line.slice(label.length).trim().split(/\s+/).slice(0, 2)
          .map((v) => (v === 'unlimited' ? RLIM_INFINITY : BigInt(v)));
        hostLimits.set(LIMIT_LABELS[label], [soft, hard]);
      }
    } catch {
      // No /proc: every limit reads as unlimited.
    }
  }
  return hostLimits.get(name) ?? [RLIM_INFINITY, RLIM_INFINITY];
}

/**
 * RLIMIT_CPU is enforced by the host on urun's process (the guest's CPU time is that
 * process's): SIGXCPU at the soft limit, SIGKILL at the hard one, as Linux does.
 */
export const HOST_RLIMIT_CPU = 0;

/**
 * RLIMIT_FSIZE is enforced by the host too, during the guest's own calls that write to or
 * grow a file (see withFileSizeLimit), not during urun's (a fork's memory snapshot, the
 * translation cache): a write is cut short at the limit, one past it fails with EFBIG. The
 * host's SIGXFSZ is ignored so that it does not end urun; the guest gets its own.
 */
const HOST_RLIMIT_FSIZE = 1;
export const HOST_SIGXFSZ = 25;

/** Has the host enforce a limit the guest set, where urun does (CPU time, file size); 0 or -errno. */
export function setEnforcedRlimit(name: RlimitName, soft: bigint, hard: bigint): number {
  if (name === 'cpu') return libc().setHostRlimit(HOST_RLIMIT_CPU, soft, hard);
  if (name === 'fsize' && soft !== RLIM_INFINITY) libc().setSignalDisposition(HOST_SIGXFSZ, 1);
  return 0;
}

/** Has the guest a finite RLIMIT_FSIZE (set by itself or inherited through urun)? */
export function fileSizeLimited(k: Kernel): boolean {
  return k.rlimit('fsize')[0] !== RLIM_INFINITY;
}

/** Runs `call` (a guest write or truncate) under the guest's RLIMIT_FSIZE, set as the host's soft limit meanwhile. */
export function withFileSizeLimit(k: Kernel, call: () => number): number {
  const limit = k.rlimits.get('fsize');
  if (limit === undefined || limit[0] === RLIM_INFINITY) return call();
  const [soft, hard] = hostLimit('fsize');
  // (The host's hard limit stays: the guest's may be lower, and only root could raise it back.)
  if (libc().setHostRlimit(HOST_RLIMIT_FSIZE, limit[0] < hard ? limit[0] : hard, hard) < 0) return call();
  try {
    return call();
  } finally {
    libc().setHostRlimit(HOST_RLIMIT_FSIZE, soft, hard);
  }
}

/** Linux's default ceiling on RLIMIT_NOFILE (fs.nr_open). */
const NR_OPEN = 1n << 20n;
/** Linux keeps 256 pages free below a stack (stack_guard_gap). */
const STACK_GUARD_GAP = 256 * PAGE_SIZE;

export class Kernel {
  readonly fds = new FdTable();
  /** Where the stack and mappings go: the arch's Linux layout, or the low one (elf/load.ts chooseLayout). */
  layout: AddressLayout;
  brkStart = 0;
  brk = 0;
  mmapBottom = 0x01000000;
  /** Dispositions by guest signal number (absent: SIG_DFL). */
  readonly sigactions = new Map<number, SigAction>();
  /** The signal state of the (one) guest thread. */
  signals = new ThreadSignals();
  /** Armed timers by slot (0-2 the itimers REAL, VIRTUAL, PROF; POSIX timers after). */
  readonly timers = new Map<number, GuestTimer>();
  /** POSIX timers created (timer_create) by id: their signal and value, whether armed or not. */
  /** timer_create's timers: their notification and clock id (as clockNs takes it). */
  readonly posixTimers = new Map<number, { signo: number; value: number; notify: number; tid: number; clock: number }>();
  /** Arch code that builds and unwinds signal frames (set up with the CPU). */
  frames: SignalFrames | null = null;
  /** Told when delivery reset a handler (SA_RESETHAND): a Worker passes it on to the process's dispositions. */
  onHandlerReset: ((sig: number, act: SigAction) => void) | null = null;
  /** The worker behind timers and host-signal polling, started on first use. */
  ticker: SignalTicker | null = null;
  /** Where the CPU-time timers' clock went on from once the guest had threads (see signals.ts clockMs). */
  cpuClockOffsets?: { user?: number; all?: number };
  /**
   * The working directory was reached through the sysroot: a chdir to an absolute path that
   * -L redirected into it (and relative steps from there). Host programs the guest runs then
   * start in the guest's name for it (lifecycle.ts hostProgramCwd); not when urun itself was
   * started in a directory of the sysroot.
   */
  cwdInSysroot = false;
  /** While not null: when a forked child's ticker may start (this process's CPU ms; see deferTicking). */
  tickDeferredUntil: number | null = null;
  /**
   * An execve that went to the event loop first (for the host signals Node caught), to run
   * again: hostSignalsRouted() when it went (see quietHostSignalsForExec); else null.
   */
  execTurn: number | null = null;
  private umaskBits = hostUmask();
  /** The guest thread this Kernel serves syscalls for (see src/syscalls/threads.ts). */
  thread: GuestThread = { tid: process.pid, clearChildTid: 0, robustList: 0, robustListLen: 0, name: null };
  /** The thread whose forwarded call the main thread is answering (src/engine/threads.ts), else null. */
  servingTid: number | null = null;
  /** The process's threads once it has more than one; null while it runs single-threaded. */
  threads: ThreadHost | null = null;
  /** Makes this process multi-threaded at its first clone (set up with the process). */
  startThreads: (() => ThreadHost) | null = null;
  readonly pid = process.pid;

  /** The guest thread making the running call (gettid's answer there). */
  get callerTid(): number {
    return this.servingTid ?? this.thread.tid;
  }
  /**
   * Set on a thread that may block its host thread (a guest thread in a Worker, no debugger
   * attached): a call that waits for a signal (WaitForSignal) waits here and then runs again,
   * instead of unwinding the engine to wait there and run the syscall instruction again. Go's
   * sysmon sleeps 20 µs at a time, thousands of times: the unwinding cost more than the sleep.
   * (A wait for host descriptors still unwinds: a signal that ends it may restart the call
   * after its handler, whose frame must hold the syscall instruction's address.)
   */
  waitInPlace: ((until: number | null, wanted: SigSet) => void) | null = null;
  /** A second result register (MIPS's legacy pipe() returns its fds in $v0 and $v1). */
  secondResult: number | null = null;
  private readonly warned = new Set<string>();
  /**
   * The signals an open signalfd of the process waits for (src/syscalls/eventfds.ts): urun
   * listens for them on the host, and in a multi-threaded process they stay pending here, for
   * the signalfd to read, rather than going to a thread.
   */
  signalfdSignals: (() => SigSet) | null = null;
  /** The CPU whose syscall is running, and that syscall's address (for fork and signals). */
  cpu: GuestCpu | null = null;
  /** The CPU model the process runs on (--cpu), which /proc/cpuinfo describes. */
  cpuModel: CpuModel | null = null;
  syscallPc = 0;
  /** The running syscall's name and arguments (set by the dispatcher): how the sandbox knows what a path is for. */
  syscallName = '';
  syscallArgs: number[] = [];
  /** --sandbox's policy checks, or null when the guest is trusted. */
  readonly sandbox: Sandbox | null;
  process: ProcessHooks | null = null;
  /** The program's arguments and initial environment (/proc/self/cmdline, environ). */
  argv: string[] = [];
  envp: string[] = [];
  /**
   * Where the argument strings lie in guest memory: [start, end of argv's, end of envp's]
   * (Linux's arg_start, arg_end, env_end), or null when unknown. /proc/self/cmdline reads them
   * there, as the program may have rewritten them since (perl's `$0 = ...`, setproctitle).
   */
  argArea: [number, number, number] | null = null;
  /** The program's name (comm): the last part of the file execve ran; null: argv[0]'s. */
  comm: string | null = null;
  /** The auxiliary vector the program started with, as [type, value] words (/proc/self/auxv). */
  auxv: number[] = [];
  /** Files mapped into the address space, by range (/proc/self/maps). */
  mappingNames: { start: number; end: number; name: string; offset?: number }[] = [];
  /** Resource limits the guest set (setrlimit, prlimit64): [soft, hard]. */
  rlimits = new Map<string, [bigint, bigint]>();
  /** personality(2)'s execution domain and flags: only kept and reported (PER_LINUX and no flags at first). */
  personality = 0;
  /** Arch hooks the CPU layer fills in. */
  setTls: (value: number) => void = () => {};
  invalidateCode: (addr: number, len: number) => void = () => {};
  /** The guest stack pointer (for sigaltstack's "on the alternate stack"). */
  stackPointer: () => number = () => 0;

  /**
   * The guest's umask is the host process's too, so that what urun creates for the guest and
   * the host programs it starts get exactly it (the host kernel applies the process's umask).
   */
  get umask(): number {
    return this.umaskBits;
  }

  set umask(mask: number) {
    this.umaskBits = mask;
    try {
      process.umask(mask);
    } catch {
      // A Worker cannot (its thread's Kernel never sets the process's umask).
    }
  }

  /** What a program this process starts through spawnGuest keeps (see ExecInheritance). */
  execInheritance(fds: number[]): ExecInheritance {
    return { fds, sigmask: this.signals.mask.toString(), ignored: this.ignoredSignals(), rlimits: this.rlimitsState(), personality: this.personality, cwdInSysroot: this.cwdInSysroot, affinity: this.thread.affinity, policy: this.thread.policy };
  }

  /** The signals the guest ignores (guest numbers): they stay ignored across execve. */
  ignoredSignals(): number[] {
    return [...this.sigactions].filter(([, a]) => a.handler === SIG_IGN).map(([sig]) => sig);
  }

  private rlimitsState(): KernelState['rlimits'] {
    return [...this.rlimits].map(([name, [soft, hard]]) => [name, soft.toString(), hard.toString()]);
  }

  private loadRlimits(state: KernelState['rlimits']): void {
    this.rlimits = new Map(state.map(([name, soft, hard]) => [name, [BigInt(soft), BigInt(hard)]]));
    // A process started ahead of the fork (the spare) did not inherit the host's limits.
    for (const name of ['cpu', 'fsize'] as const) {
      const limit = this.rlimits.get(name);
      if (limit) setEnforcedRlimit(name, limit[0], limit[1]);
    }
  }

  constructor(readonly mem: GuestMemory, readonly abi: ArchAbi, readonly opts: KernelOptions) {
    this.layout = abi.layout;
    mem.guestHasOpen = (key) => {
      for (const { file } of this.fds.values()) if (file.hostFd >= 0 && devIno(file.hostFd) === key) return true;
      return false;
    };
    this.sandbox = opts.sandbox ? new Sandbox(opts.sandbox, (kind, msg) => this.warnOnce(kind, msg)) : null;
    // The guest starts with the host's standard descriptors and any it was handed by a
    // guest execve (the same numbers on both sides).
    const inherited = opts.inherited;
    const hostFdOf = (fd: number): number => (fd > 2 ? inherited?.hostFds?.[inherited.fds.indexOf(fd)] ?? fd : fd);
    const fromParent = opts.hostDescriptors ? descriptorsFromParent() : [];
    const closedAtStart = opts.hostDescriptors ? closedStdioAtStart() : [];
    for (const fd of [0, 1, 2, ...(inherited?.fds ?? []), ...fromParent]) {
      if (this.fds.has(fd) || closedAtStart.includes(fd)) continue;
      const hostFd = hostFdOf(fd);
      let st: fs.Stats;
      try {
        st = fs.fstatSync(hostFd);
      } catch {
        continue; // not open on the host: not open for the guest either
      }
      this.fds.set(fd, { cloexec: false, file: hostFile(hostFd, descriptorPath(hostFd, st), st, fd > 2, hostAccessMode(hostFd) ?? (fd === 0 ? 0 : 1)) });
    }
    // Handed-over descriptors arrive without FD_CLOEXEC; urun keeps all of its own close-on-exec
    // and places what a new program gets explicitly.
    if (inherited?.fds.length) for (const fd of [0, 1, 2, ...inherited.fds]) libc().fcntl(hostFdOf(fd), F_SETFD, FD_CLOEXEC);
    // So do those urun's parent left open: Node marks only those up to the first gap past 15
    // (libuv's uv_disable_stdio_inheritance). Else every process urun spawns keeps them, the
    // spare a later fork becomes among them, where the guest's close of one closes the copy it
    // was handed and a host program it runs still gets the host's. They are marked before
    // urun's next spawn (which loads the FFI anyway; loading it here cost every such start ~20 ms).
    let gap = 16;
    while (fromParent.includes(gap)) gap++;
    closeOnExecBeforeSpawn(fromParent.filter((fd) => fd > gap && this.fds.has(fd)));
    // The program urun was started for finds the signals ignored that were where urun started
    // (nohup's SIGHUP; bin/urun reads them before Node resets every disposition).
    if (opts.hostDescriptors) for (const host of ignoredAtStart()) this.sigactions.set(this.guestSignal(host), IGNORED);
    if (inherited) {
      this.signals.mask = BigInt(inherited.sigmask);
      for (const sig of inherited.ignored) this.sigactions.set(sig, IGNORED);
      this.loadRlimits(inherited.rlimits);
      this.personality = inherited.personality;
      this.cwdInSysroot = inherited.cwdInSysroot ?? false;
      if (inherited.affinity) this.thread.affinity = inherited.affinity;
      if (inherited.policy) this.thread.policy = inherited.policy;
    }
  }

  /** What execve keeps: descriptors not marked close-on-exec, ignored signals, the mask, the umask, the resource limits, the personality, the CPU mask. */
  inheritAcrossExec(old: Kernel): void {
    for (const entry of this.fds.values()) this.release(entry.file);
    this.fds.clear();
    for (const [fd, entry] of old.fds) {
      if (entry.cloexec) old.release(entry.file);
      else this.fds.set(fd, { file: entry.file, cloexec: false });
    }
    old.fds.clear();
    for (const sig of old.ignoredSignals()) this.sigactions.set(sig, IGNORED);
    this.signals.mask = old.signals.mask;
    // Pending signals stay pending (a TERM that came while the old program blocked it, or
    // while urun loaded the new one, acts once the new program runs).
    for (const info of old.signals.pending) this.queueSignal(info);
    this.umask = old.umask;
    this.rlimits = new Map(old.rlimits);
    this.personality = old.personality;
    // execve makes the process dumpable again (PR_SET_DUMPABLE is the host process's). Only a
    // process that has loaded the FFI can have cleared it (the guest's prctl, or its fork's state).
    if (libcLoaded()) libc().prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    this.cwdInSysroot = old.cwdInSysroot;
    this.thread.affinity = old.thread.affinity;
    this.thread.policy = old.thread.policy;
  }

  saveState(): KernelState {
    const files: OpenFile[] = [];
    const fds: KernelState['fds'] = [];
    for (const [fd, { file, cloexec }] of this.fds) {
      let i = files.indexOf(file);
      if (i < 0) i = files.push(file) - 1;
      fds.push([fd, file.hostFd, cloexec, i]);
    }
    return {
      layout: this.layout, brkStart: this.brkStart, brk: this.brk, sigactions: [...this.sigactions].map(([sig, a]) => [sig, { ...a, mask: a.mask.toString() }]), sigmask: this.signals.mask.toString(),
      umask: this.umask, fds, argv: this.argv, envp: this.envp, argArea: this.argArea, comm: this.comm, mappingNames: this.mappingNames, auxv: this.auxv,
      files: files.map((f) => ({ hostFd: f.hostFd, path: f.path, isDir: f.isDir, flags: f.flags, ownsFd: f.ownsFd, signalfdMask: f.signalfdMask?.toString() })),
      rlimits: this.rlimitsState(),
      personality: this.personality, dumpable: libc().prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), cwdInSysroot: this.cwdInSysroot, affinity: this.thread.affinity,
      // (A policy set with SCHED_RESET_ON_FORK is not the child's.)
      policy: (this.thread.policy ?? 0) & SCHED_RESET_ON_FORK ? undefined : this.thread.policy,
    };
  }

  loadState(s: KernelState): void {
    this.layout = s.layout;
    this.brkStart = s.brkStart;
    this.brk = s.brk;
    this.sigactions.clear();
    for (const [sig, act] of s.sigactions) this.sigactions.set(sig, { ...act, mask: BigInt(act.mask) });
    this.signals.mask = BigInt(s.sigmask);
    this.umask = s.umask;
    this.loadRlimits(s.rlimits);
    this.personality = s.personality ?? 0;
    if (s.dumpable === 0) libc().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    this.cwdInSysroot = s.cwdInSysroot ?? false;
    if (s.affinity) this.thread.affinity = s.affinity;
    if (s.policy) this.thread.policy = s.policy;
    this.argv = s.argv;
    this.envp = s.envp;
    this.argArea = s.argArea ?? null;
    this.comm = s.comm ?? null;
    this.mappingNames = s.mappingNames;
    this.auxv = s.auxv;
    this.fds.clear();
    const files = s.files.map(({ signalfdMask, ...f }) => ({ ...f, refs: 0, ...(signalfdMask === undefined ? {} : { signalfdMask: BigInt(signalfdMask) }) }));
    for (const [fd, , cloexec, i] of s.fds) {
      files[i].refs++;
      this.fds.set(fd, { file: files[i], cloexec });
    }
  }

  warnOnce(key: string, msg: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.opts.warn(msg);
  }

  /** Guest signal number for a host (generic Linux) one. */
  guestSignal(host: number): number {
    return this.abi.hostToGuestSignal[host] ?? host;
  }

  hostSignal(guest: number): number {
    return this.abi.signals[guest] ?? guest;
  }

  disposition(guestSig: number): SigAction {
    return this.sigactions.get(guestSig) ?? { handler: SIG_DFL, flags: 0, mask: 0n, restorer: 0 };
  }

  /**
   * Queues a signal for the thread. A signal that is ignored (explicitly, or by default)
   * and not blocked is discarded now, as the kernel does; others wait for delivery at the
   * next block boundary.
   */
  queueSignal(info: SigInfo, thread = this.signals): void {
    const host = this.hostSignal(info.signo);
    const { handler } = this.disposition(info.signo);
    const blocked = (thread.mask & sigBit(info.signo)) !== 0n && host !== SIGKILL;
    if (!blocked && (handler === SIG_IGN || (handler === SIG_DFL && IGNORED_BY_DEFAULT.has(host)))) return;
    // A multi-threaded process's threads run elsewhere: one of them takes it (unless a signalfd reads it).
    const forSignalfd = ((this.signalfdSignals?.() ?? 0n) & sigBit(info.signo)) !== 0n;
    if (thread === this.signals && this.threads?.postSignal && !forSignalfd) return this.threads.postSignal(info);
    thread.queue(info);
  }

  /** Sends a guest signal to the process itself, from the kernel (SIGPIPE and the like). */
  raise(guestSig: number): void {
    this.queueSignal({ signo: guestSig, code: SI_KERNEL });
  }

  // ---- file descriptors ----

  /** A resource limit as getrlimit shows it: what the guest set (or inherited through urun), else the host's. */
  rlimit(name: RlimitName): [bigint, bigint] {
    return this.rlimits.get(name) ?? hostLimit(name);
  }

  /** How many descriptors the guest may have: RLIMIT_NOFILE's soft value, as getrlimit shows it. */
  fdLimit(): number {
    const soft = this.rlimit('nofile')[0];
    return Number(soft < NR_OPEN ? soft : NR_OPEN);
  }

  allocFd(file: OpenFile, cloexec: boolean, min = 0): number {
    let fd = min;
    while (this.fds.has(fd)) fd++;
    if (fd >= this.fdLimit()) return -E.EMFILE;
    this.fds.set(fd, { file, cloexec });
    return fd;
  }

  file(fd: number): OpenFile | null {
    return this.fds.get(fd)?.file ?? null;
  }

  closeFd(fd: number): number {
    const entry = this.fds.get(fd);
    if (!entry) return -E.EBADF;
    this.fds.delete(fd);
    this.release(entry.file);
    return 0;
  }

  release(f: OpenFile): void {
    if (--f.refs > 0 || !f.ownsFd) return;
    this.mem.releaseParked(f.hostFd);
    for (const fd of [f.hostFd, ...(f.epollAliases?.values() ?? [])]) {
      try {
        fs.closeSync(fd);
      } catch {
        /* already gone */
      }
    }
  }

  // ---- paths ----

  /**
   * Maps a guest path to the host path to use (sysroot first for absolute paths). With
   * `noFollow` (lstat, readlink), a path that is itself a symlink the guest's view redirects
   * (/proc/self/exe, /dev/stdin) stays the host's link, which is a symlink too.
   */
  hostPath(p: string, dirfd = -100, noFollow = false): string | null {
    if (noFollow && (p === '/proc/self/exe' || STD_STREAM_LINK.test(p))) return p;
    if (p === '/proc/self/exe') return this.opts.exePath;
    if (p.startsWith('/proc/')) p = taskPath(this, p);
    if (p.startsWith('/proc/') || p.startsWith('/dev/')) {
      const viaFd = this.fdLinkPath(p);
      if (viaFd !== null) return viaFd;
    }
    if (p.startsWith('/')) {
      // /proc, /dev and /tmp are the host's, the directories themselves too (a Debian sysroot has
      // empty ones: chdir("/tmp") or a listing of /dev would find those).
      if (this.opts.sysroot && !HOST_TOPS.test(p)) return this.inSysrootPath(p, noFollow) ?? p;
      return p;
    }
    if (dirfd === -100) {
      const cwd = this.cwdInSysroot && p !== '' ? hostCwd() : null;
      return cwd === null ? p : this.fromSysrootDir(cwd, p, noFollow) ?? p;
    }
    const f = this.file(dirfd);
    if (!f) return null;
    if (!f.isDir) return null;
    // urun makes its own /proc entries by name: a path under a /proc directory stays a name
    // (not path.join: ".." after a symlink is the kernel's to resolve).
    if (f.path === '/proc' || f.path.startsWith('/proc/')) return this.hostPath(f.path.endsWith('/') ? f.path + p : `${f.path}/${p}`, -100, noFollow);
    // Anywhere else, relative to the host descriptor (its /proc/self/fd link takes the host's
    // lookup into that directory, as an *at call on it does): no full path to outgrow
    // PATH_MAX in a deep tree, and a directory moved since it was opened is still the one.
    const viaFd = `${HOST_FD_DIR}${f.hostFd}/${p}`;
    if (!this.opts.sysroot || p === '') return viaFd;
    // A directory of the sysroot: as from a working directory there (rsync's statx(fd of "/", "tmp")).
    const dir = hostFdPath(f.hostFd);
    return dir === null ? viaFd : this.fromSysrootDir(dir, p, noFollow) ?? viaFd;
  }

  /**
   * A relative path from a directory of the sysroot (the working directory the guest entered
   * through it, chdir("/") under -L being the sysroot's root, or a descriptor of one) is looked
   * up as its absolute name in the guest's view would be: /tmp, /proc and /dev, and a top-level
   * name the sysroot lacks, are the host's (ncdu's chdir("/") then readlink("tmp") found no tmp
   * in the sysroot), and a symlink in the sysroot is followed with the sysroot as the root.
   * Null (look it up from the directory itself) for a directory outside the sysroot, and for a
   * name the sysroot does not have under a directory it does have (made or looked for there).
   */
  private fromSysrootDir(dir: string, p: string, noFollow: boolean): string | null {
    const view = this.guestView(dir);
    // (A relative step may have left the sysroot since.)
    if (view === dir) return null;
    const name = `${view === '/' ? '' : view}/${p}`;
    const normal = path.posix.normalize(name);
    if (HOST_TOPS.test(normal)) return this.hostPath(normal, -100, noFollow);
    const inRoot = this.inSysrootPath(name, noFollow);
    if (inRoot !== null) return inRoot;
    const top = normal.split('/')[1];
    if (top && !fs.existsSync(path.join(this.opts.sysroot!, top))) return normal;
    return null;
  }

  /**
   * Where an absolute guest path is in the sysroot, or null when the sysroot does not have it
   * (the host's path is used then). A symlink in the sysroot is followed as the guest's kernel
   * would with the sysroot as its root: an absolute target (Debian's /etc/localtime ->
   * /usr/share/zoneinfo/..., /usr/bin/awk -> /etc/alternatives/awk -> /usr/bin/gawk) is the
   * sysroot's, not the host's file of that name (the host resolving it found the host's mawk,
   * or nothing: a zone only the sysroot has, and lstat/readlink of the link itself failed).
   */
  private inSysrootPath(p: string, noFollow: boolean): string | null {
    const root = this.opts.sysroot!;
    const inRoot = path.join(root, p);
    // The common case: the host resolves it to a file inside the sysroot.
    try {
      const real = fs.realpathSync.native(inRoot);
      if (this.inSysroot(real)) return inRoot;
    } catch {
      /* missing, or a link out of the sysroot: resolve it step by step */
    }
    let parts = p.split('/').filter((s) => s !== '' && s !== '.');
    let cur = '';
    let links = 0;
    while (parts.length > 0) {
      const name = parts.shift()!;
      if (name === '..') {
        cur = cur.slice(0, cur.lastIndexOf('/'));
        continue;
      }
      const next = `${cur}/${name}`;
      // A link into /proc, /dev or /tmp (/etc/mtab -> ../proc/self/mounts) leads to the host's.
      if (HOST_TOPS.test(next)) return this.hostPath([next, ...parts].join('/'), -100, noFollow);
      const host = root + next;
      // (No exception for a missing name: a library search misses a lot.) A name under a file
      // (python's import looks for /usr/bin/base64/__init__...so beside its script: ENOTDIR),
      // or a directory urun cannot search, is one the sysroot does not have either.
      let st: fs.Stats | undefined;
      try {
        st = fs.lstatSync(host, { throwIfNoEntry: false });
      } catch {
        return null;
      }
      if (st === undefined) return null;
      if (st.isSymbolicLink() && (parts.length > 0 || !noFollow)) {
        if (++links > 40) return null;
        const target = fs.readlinkSync(host);
        parts = [...target.split('/').filter((s) => s !== '' && s !== '.'), ...parts];
        if (target.startsWith('/')) cur = '';
        continue;
      }
      cur = next;
    }
    return root + (cur || '/');
  }

  /**
   * hostPath for a path whose bytes are not UTF-8 (so none of urun's own /proc, /dev and
   * /proc/self/exe names): the same lookup, kept in bytes.
   */
  private hostPathBytes(p: Buffer, dirfd: number): Buffer | number {
    if (p[0] === 0x2f) {
      const top = p.subarray(0, p.indexOf(0x2f, 1) + 1 || p.length).toString('latin1');
      if (this.opts.sysroot && !HOST_TOPS.test(top)) {
        const inRoot = Buffer.concat([Buffer.from(this.opts.sysroot), p]);
        if (fs.existsSync(inRoot)) return inRoot;
      }
      return p;
    }
    if (dirfd === -100) return p;
    const f = this.file(dirfd);
    if (!f) return -E.EBADF;
    if (!f.isDir) return -E.ENOTDIR;
    if (f.path === '/proc' || f.path.startsWith('/proc/')) return -E.ENOENT;
    return Buffer.concat([Buffer.from(`${HOST_FD_DIR}${f.hostFd}/`), p]);
  }

  /**
   * The guest's name for a host directory (getcwd, /proc/self/cwd): one in the sysroot, where
   * hostPath took a guest's chdir("/usr"), is "/usr" again, as the guest's own lookups would
   * find it, not the sysroot's host path. (Not under /tmp, /proc or /dev, which hostPath never
   * looks for in the sysroot.)
   */
  guestView(host: string): string;
  guestView(host: Buffer): Buffer;
  guestView(host: string | Buffer): string | Buffer {
    // A name that is not UTF-8, as bytesToString keeps it.
    if (typeof host !== 'string') return stringToBytes(this.guestView(bytesToString(host)));
    if (!this.inSysroot(host)) return host;
    const inside = host.slice(this.realSysroot!.length) || '/';
    return HOST_TOPS.test(inside) ? host : inside;
  }
  private realSysroot: string | undefined;

  /** Whether a host path (as the host resolves it) is in the sysroot. */
  inSysroot(host: string): boolean {
    this.realSysroot ??= this.opts.sysroot ? realpathOr(this.opts.sysroot) : '';
    const root = this.realSysroot;
    return root !== '' && root !== '/' && (host === root || host.startsWith(`${root}/`));
  }

  /**
   * /proc/self/fd/N (and /dev/fd/N, /dev/stdin..., /proc/<own pid>/fd/N) name the guest's
   * descriptor N, which is not the host's N: the host path through the host descriptor
   * (a closed one: a path that does not exist), or null when `p` is not such a link. The
   * same for /proc/self/fdinfo/N.
   */
  private fdLinkPath(p: string): string | null {
    const m = FD_LINK.exec(p) ?? FD_INFO.exec(p);
    if (!m) return null;
    if (m[1] !== undefined && m[1] !== 'self' && m[1] !== 'thread-self' && Number(m[1]) !== this.pid) return null;
    const fd = m[2] !== undefined ? Number(m[2]) : STD_STREAMS.indexOf(m[4]);
    const f = this.file(fd);
    // fdinfo/N: the host descriptor's, which procfs.ts makes over with the guest's flags.
    if (m.length === 3) return `/proc/self/fdinfo/${f ? f.hostFd : -1}`;
    return `${HOST_FD_DIR}${f ? f.hostFd : -1}${m[3] ?? ''}`;
  }

  /**
   * Resolves a guest path argument; returns a negative errno on failure. Every path a
   * syscall takes passes here: under --sandbox, this is where it is checked.
   */
  pathArg(addr: number, dirfd = -100, noFollow = false): string | Buffer | number {
    const bytes = this.mem.readCBytes(addr, PATH_MAX);
    // No NUL in PATH_MAX readable bytes: too long; an unreadable byte before the NUL: EFAULT.
    if (bytes === null) return this.mem.checkRange(addr, PATH_MAX, false) ? -E.ENAMETOOLONG : -E.EFAULT;
    const p = bytes.toString('utf8');
    if (p === '') return -E.ENOENT;
    // A name that is not UTF-8 (Latin-1 file names, any byte but NUL and '/') cannot be a
    // JavaScript string without losing bytes: the host gets its bytes as a Buffer.
    if (!this.sandbox && p.includes('\ufffd') && !Buffer.from(p).equals(bytes)) return this.hostPathBytes(bytes, dirfd);
    const h = this.hostPath(p, dirfd, noFollow);
    if (h === null) return this.file(dirfd) ? -E.ENOTDIR : -E.EBADF;
    if (!this.sandbox) return h;
    const call = { name: this.syscallName, args: this.syscallArgs, openFlags: this.abi.openFlags };
    return this.sandbox.checkPath(h, call, ownProcFile(this, h));
  }

  // ---- memory layout ----

  /**
   * Names [start, end) in /proc/self/maps (null: anonymous), mapped from `offset` in the file,
   * trimming the names it replaces (their remains keep their own file offsets).
   */
  nameRange(start: number, end: number, name: string | null, offset = 0): void {
    const kept: Kernel['mappingNames'] = [];
    for (const m of this.mappingNames) {
      if (m.end <= start || m.start >= end) {
        kept.push(m);
        continue;
      }
      if (m.start < start) kept.push({ ...m, end: start });
      if (m.end > end) kept.push({ ...m, start: end, offset: (m.offset ?? 0) + (end - m.start) });
    }
    if (name !== null) kept.push(offset ? { start, end, name, offset } : { start, end, name });
    this.mappingNames = kept;
  }

  /** Places or fixes a mapping; returns the address or a negative errno. */
  mapRegion(addr: number, len: number, prot: number, fixed: boolean, noReplace: boolean, limits: ExpandLimits = {}): number {
    len = pageAlignUp(len);
    if (len === 0 || len > 0xffffffff) return -E.ENOMEM;
    if (fixed) {
      if (addr % PAGE_SIZE !== 0) return -E.EINVAL;
      if (addr + len > this.layout.taskSize) return -E.ENOMEM;
      if (noReplace) {
        if (this.mem.anyMapped(addr, len)) return -E.EEXIST;
      }
      if (!this.mayExpand(addr, len, limits.prot ?? prot, limits)) return -E.ENOMEM;
      this.mem.map(addr, len, prot);
      return addr;
    }
    if (!this.mayExpand(0, len, limits.prot ?? prot, limits)) return -E.ENOMEM;
    const { mmapTop, stackTop, taskSize } = this.layout;
    // A hint is taken where it is free, clear of the stack and its guard gap.
    const stackLow = stackTop - this.layout.stackSize - STACK_GUARD_GAP;
    if (addr !== 0 && addr % PAGE_SIZE === 0 && addr + len <= taskSize && (addr + len <= stackLow || addr >= stackTop)) {
      if (!this.mem.anyMapped(addr, len)) {
        this.mem.map(addr, len, prot);
        return addr;
      }
    }
    let at = -1;
    // Below mmapTop first; when that is full Linux searches the rest of user space: the gap
    // between mmapTop and the stack (its 1 MiB guard gap left free), then above the stack
    // (which the low layout leaves free, see chooseLayout).
    const areas: [number, number][] = [[mmapTop, Math.max(this.mmapBottom, pageAlignUp(this.brk) + 64 * PAGE_SIZE)], [stackLow, mmapTop], [taskSize, stackTop]];
    for (const [top, bottom] of areas) {
      if (top <= bottom) continue;
      try {
        at = this.mem.findFree(len, top, bottom);
        break;
      } catch {
        // The next area.
      }
    }
    if (at < 0) return -E.ENOMEM;
    this.mem.map(at, len, prot);
    return at;
  }

  /** The soft RLIMIT_STACK: what the guest set, else the host's (the stack an execve'd program gets). */
  stackRlimit(): bigint {
    return this.rlimit('stack')[0];
  }

  /**
   * Whether mapping [addr, addr+len) with `prot` (`addr` 0: somewhere free) keeps the process
   * within the RLIMIT_AS and RLIMIT_DATA the guest set, as Linux's may_expand_vm checks at mmap,
   * mremap and brk: pages already mapped there, and `released` bytes the caller unmaps after,
   * are not new. The data limit counts private writable pages. The stack counts as the 132 KiB
   * Linux gives a new program's (urun maps all of it at once; Linux grows it on touch).
   */
  mayExpand(addr: number, len: number, prot: number, { shared = false, released = 0 }: ExpandLimits = {}): boolean {
    const as = this.rlimits.get('as')?.[0] ?? RLIM_INFINITY;
    const data = this.rlimits.get('data')?.[0] ?? RLIM_INFINITY;
    const isData = !shared && (prot & PROT_WRITE) !== 0;
    if (as === RLIM_INFINITY && (data === RLIM_INFINITY || !isData)) return true;
    const stackPages = this.layout.stackSize / PAGE_SIZE;
    const [allPages, dataPages] = this.mem.mappedPages();
    const [stackMapped, stackData] = this.mem.mappedPages((this.layout.stackTop - this.layout.stackSize) / PAGE_SIZE, stackPages);
    const stackCounted = Math.min(stackMapped, INITIAL_STACK_PAGES);
    const there = addr !== 0 ? this.mem.mappedPages(addr / PAGE_SIZE, len / PAGE_SIZE) : [0, 0];
    const more = len / PAGE_SIZE - there[0] - released / PAGE_SIZE;
    const total = BigInt(allPages - stackMapped + stackCounted + more) * BigInt(PAGE_SIZE);
    const dataTotal = BigInt(dataPages - stackData + (isData ? len / PAGE_SIZE - there[1] - released / PAGE_SIZE : 0)) * BigInt(PAGE_SIZE);
    return total <= as && (!isData || dataTotal <= data);
  }

  setBrk(want: number): number {
    if (want === 0 || want < this.brkStart) return this.brk;
    const oldTop = pageAlignUp(this.brk);
    const newTop = pageAlignUp(want);
    if (newTop > oldTop) {
      if (this.mem.anyMapped(oldTop, newTop - oldTop)) return this.brk;
      if (newTop >= this.layout.mmapTop) return this.brk;
      if (!this.mayExpand(oldTop, newTop - oldTop, PROT_READ | PROT_WRITE)) return this.brk;
      this.mem.map(oldTop, newTop - oldTop, PROT_READ | PROT_WRITE);
    } else if (newTop < oldTop) {
      this.mem.unmap(newTop, oldTop - newTop);
    }
    this.brk = want;
    return this.brk;
  }

  // ---- host helpers ----

  static hostStat(s: fs.BigIntStats): HostStat {
    return {
      dev: s.dev, ino: s.ino, mode: Number(s.mode), nlink: Number(s.nlink), uid: Number(s.uid), gid: Number(s.gid),
      rdev: s.rdev, size: s.size, blksize: Number(s.blksize), blocks: s.blocks,
      atimeNs: s.atimeNs, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, birthtimeNs: s.birthtimeNs,
    };
  }

  /** fstat of a guest fd. */
  fstat(fd: number): HostStat | number {
    const f = this.file(fd);
    if (!f) return -E.EBADF;
    try {
      return Kernel.hostStat(fs.fstatSync(f.hostFd, { bigint: true }));
    } catch (e) {
      return hostErrno(e);
    }
  }
}

/** An open file description for a host descriptor. */
/**
 * How a host descriptor was opened (O_RDONLY 0, O_WRONLY 1, O_RDWR 2: the same on every arch),
 * from /proc/self/fdinfo (no FFI at start-up); null when it cannot be read. A terminal on
 * stdin and stdout is usually one O_RDWR description, and a pipe's ends go one way each.
 */
function hostAccessMode(hostFd: number): number | null {
  try {
    const m = /^flags:\s*([0-7]+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${hostFd}`, 'latin1'));
    return m ? parseInt(m[1], 8) & 3 : null;
  } catch {
    return null;
  }
}

export function hostFile(hostFd: number, path: string, st: fs.Stats | null, ownsFd: boolean, flags: number): OpenFile {
  return { hostFd, path, isDir: st?.isDirectory() ?? false, refs: 1, ownsFd, flags };
}

/** sched_setscheduler's flag: the policy is not a forked child's (threads.ts keeps the policy). */
export const SCHED_RESET_ON_FORK = 0x40000000;

const FD_LINK = /^\/(?:proc\/(self|thread-self|\d+)|dev)\/fd\/(\d+)(\/.*)?$|^\/dev\/(stdin|stdout|stderr)$/;
const FD_INFO = /^\/proc\/(self|thread-self|\d+)\/fdinfo\/(\d+)$/;
const STD_STREAMS = ['stdin', 'stdout', 'stderr'];
/** Links that name /proc/self/fd/0..2 (and /proc/self/fd) literally, the same on the host. */
const STD_STREAM_LINK = /^\/dev\/(?:stdin|stdout|stderr|fd)$/;

/** What /proc/self/fd/N shows for a descriptor the guest did not open by path. */
export function descriptorPath(fd: number, st: fs.Stats): string {
  if (st.isFIFO()) return `pipe:[${st.ino}]`;
  if (st.isSocket()) return `socket:[${st.ino}]`;
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return `/dev/fd/${fd}`;
  }
}
