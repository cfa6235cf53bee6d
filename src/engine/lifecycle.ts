// A guest process's life: fork, vfork, execve, exit, and the run loop that carries it
// through them. One guest process is one host process (so pids, wait4, process groups,
// signals between processes, descriptors and their offsets are the host kernel's):
// - fork starts a fresh urun (posix_spawn of node) that inherits the guest's descriptors
//   at the same numbers and receives the address space, registers and kernel state through
//   a memfd (Node cannot fork itself: V8's heap does not survive it);
// - vfork/posix_spawn (CLONE_VFORK) runs the child in place, in the shared address space,
//   until it execs (then the new program is spawned with the child's descriptors) or exits;
// - execve of a guest program replaces the image inside this process (same pid); of a host
//   program, it is a real execve once the descriptors sit at the guest's numbers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DebuggerHandOff } from './debug-hook.js';
import type { CloneRequest, ExecInheritance, FdEntry, KernelState, ProcessHooks, VforkOwn, VforkTables } from '../syscalls/kernel.js';
import { Kernel, hostCwd } from '../syscalls/kernel.js';
import { E, errnoName } from '../syscalls/errno.js';
import { setEnvironSource } from '../host/bytes.js';
import { deferTicking, hostSignalsHeard, hostSignalsRouted, listenForHostSignals, quietHostSignalsForExec, routeHostSignalsTo, unquietHostSignals } from '../syscalls/signals.js';
import { socketsBlockingForHostExec } from '../syscalls/sockets.js';
import { adoptSignalfds } from '../syscalls/eventfds.js';
import { urunProcessEnv, withUrunNodeOptions } from '../host/kept-env.js';
import { FD_CLOEXEC, FD_MESSAGE_MAX, F_SETFD, HOST_O_CLOEXEC, libc, type SpawnExtras } from '../host/libc.js';
import { GuestMemory, PAGE_SHARED, PAGE_SHIFT, PAGE_SIZE, PROT_READ, PROT_WRITE, mappedRuns, type SharedRegion } from '../memory/memory.js';
import { ExecGuest, SwitchContext } from './control.js';
import { argumentsTooLong } from '../elf/load.js';
import type { CpuState, GuestCpu } from './cpu.js';
import { GuestExit, WaitForHostFds, wallMs } from './signals.js';
import { adoptChild, closeParentChannel, kinPair, setParentChannel } from './kin.js';
import type { SandboxPolicy } from '../syscalls/sandbox.js';
import { assemble, GuestProcess, makeAbi, prepareImage, ProcessConfig, showGuestName, UrunError, type ElfTarget } from './process.js';

export const CLONE_VM = 0x100, CLONE_VFORK = 0x4000, CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000;
export const CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000;

/** The hidden first argument that makes urun resume a forked child instead of loading a program. */
export const RESUME_ARG = '--urun-resume-fork';
/** The hidden first argument that hands a spawned guest program what its execve keeps: `=` and ExecInheritance as JSON. */
export const INHERIT_ARG = '--urun-inherit';
/** A sandboxed guest's policy, exactly, for the urun its execve starts (hidden option). */
export const SANDBOX_POLICY_ARG = '--sandbox-policy';

/** The snapshot a forked child starts from. */
interface ForkSnapshot {
  target: ElfTarget;
  cpu: Omit<CpuState, 'R' | 'fpu'> & { R: number[]; fpu: number[] };
  kernel: KernelState;
  exePath: string;
  config: Omit<ProcessConfig, 'warn'>;
  request: CloneRequest;
  /** Runs of mapped pages: first page, count, permission byte, and the pages that are not all
   * zeros, whose bytes follow the header in this order. */
  runs: [number, number, number, number[]][];
  /** The shared mappings, mapped again by the child from the same host descriptors. */
  shared: SharedRegion[];
  /**
   * With SysV segments attached: a pipe's write end the child closes once it has attached
   * them (fork returns then, as on Linux, where the child holds them from the start: a
   * segment marked for removal would otherwise vanish if the parent detached first).
   */
  attachedFd?: number;
  /** The child's end of the socket its parent asks it through (kin.ts). */
  kinFd?: number;
  /**
   * Under gdb with fork events: gdb's connection, a pipe on which the child hears, before it
   * runs, whether gdb follows it (then it takes the connection over), keeps it too (then its
   * stub serves gdb through the parent's, on the relay socket) or lets it go.
   */
  gdb?: { socketFd: number; decisionFd: number; relayFd: number };
}

/** A vfork child running in place: what its parent resumes with (its registers, and its own VforkOwn). */
interface VforkParent extends VforkOwn {
  state: CpuState;
  pc: number;
  /**
   * Under a debugger told of vforks: the pid the child will have, a spare's kept for it (the
   * program it execs, or its exit status, becomes that process), else null.
   */
  debugPid: number | null;
}

export function processHooks(proc: GuestProcess): ProcessHooks {
  const k = proc.kernel;
  let parent: VforkParent | null = null;
  /** What the vfork child asked for its group or session, for the spawn of what it execs. */
  let childGroup: SpawnExtras = {};
  /** A thread's vfork child whose call is being answered (asVforkChild). */
  let threadChild: VforkTables | null = null;

  const childState = (req: CloneRequest): CpuState => cloneChildState(k, proc.cpu, req);

  /** Ends the vfork child's turn: the parent continues, its syscall returning the child's pid. */
  const resumeParent = (p: VforkParent, pid: number): never => {
    for (const entry of k.fds.values()) k.release(entry.file);
    exchangeTables(k, p);
    parent = null;
    k.abi.syscallReturn(p.state, p.pc, pid);
    throw new SwitchContext(p.state);
  };

  return {
    fork(req) {
      return forkProcess(proc, childState(req), req);
    },

    vfork(req) {
      if (parent) return -E.EAGAIN; // a vfork inside a vfork child: not supported
      const child = childState(req);
      const saved = proc.cpu.saveState();
      const debugPid = proc.debug?.reportsVforks?.() ? reserveSpare(proc.cpu.isa) : null;
      // The child runs on copies of the descriptor table (sharing the open files), dispositions
      // and the rest of VforkOwn; the parent keeps the originals.
      parent = { state: saved, pc: k.syscallPc, debugPid, ...ownCopy(k) };
      exchangeTables(k, parent);
      childGroup = {};
      if (debugPid !== null) {
        // gdb sees the parent as it will resume, the vfork returning the child's pid.
        k.abi.syscallReturn(saved, k.syscallPc, debugPid);
        proc.debug!.vforked!(debugPid, saved);
      }
      throw new SwitchContext(child);
    },

    exec(file, argv, envp) {
      // (An execve run again after its visit to the event loop, below.)
      const turn = k.execTurn;
      k.execTurn = null;
      const target = argumentsTooLong(argv, envp, k.stackRlimit()) ? -E.E2BIG : resolveExecutable(k, file, argv, 0);
      if (typeof target === 'number') {
        if (turn !== null) unquietHostSignals();
        return target;
      }
      // A signal that came before the execve (Node caught it; its listener runs only at the
      // event loop, which a computing forked child may not have visited since) is delivered
      // first, as Linux delivers it before the call: its handler runs, or its default action
      // ends the process. The exec would lose it (a host program never hears of it). The
      // call runs again after one turn of the event loop; before a host program, Node's
      // handlers are taken from the host first (quietHostSignalsForExec), so that none is
      // caught after that turn.
      if (!parent && k.threads === null && (turn !== null || hostSignalsHeard())) {
        if (turn !== null && hostSignalsRouted() !== turn) unquietHostSignals(); // a handler ran: go again
        if (turn === null || hostSignalsRouted() !== turn) {
          k.execTurn = target.guest ? hostSignalsRouted() : quietHostSignalsForExec(k);
          throw new WaitForHostFds([], wallMs(), 'always');
        }
      }
      if (threadChild) {
        const pid = target.guest ? spawnGuest(proc, target.path, target.argv, envp, threadChild.group) : spawnHost(k, target.path, target.argv, envp, threadChild.group);
        if (pid >= 0) threadChild.became = pid;
        return pid;
      }
      if (parent) {
        // The vfork child becomes the new program as a new host process (the spare kept for
        // it, with gdb's connection when gdb follows it).
        const handOff = target.guest && parent.debugPid !== null ? proc.debug!.vforkExec!(target.path) : null;
        const pid = target.guest ? spawnGuest(proc, target.path, target.argv, envp, childGroup, handOff ?? undefined)
          : (parent.debugPid !== null ? hostInSpare(k, target.path, target.argv, envp, childGroup) : null) ?? spawnHost(k, target.path, target.argv, envp, childGroup);
        if (pid < 0) return pid;
        if (parent.debugPid !== null) proc.debug!.vforkDone!(pid, null);
        return resumeParent(parent, pid);
      }
      if (target.guest) {
        let image;
        try {
          image = prepareImage(target.path, target.argv, envp, proc.config.sysroot, proc.config.cpu, k.stackRlimit());
          if (target.file !== undefined) image.file = target.file;
        } catch (e) {
          if (e instanceof UrunError) return -e.errno;
          throw e;
        }
        closeParentChannel(); // the parent can no longer move this process to another group
        throw new ExecGuest(image);
      }
      const failed = execHost(k, target.path, target.argv, envp);
      unquietHostSignals();
      return failed;
    },

    vforkGroup(pid, pgid) {
      if (!parent && !threadChild) return null;
      const group = threadChild ? threadChild.group : childGroup;
      const set = (g: SpawnExtras): void => void (threadChild ? (threadChild.group = g) : (childGroup = g));
      // The child's pid is the parent's until it execs (getpid says so too).
      if (pgid === 'setsid') {
        if (group.setsid || group.pgroup === 0) return -E.EPERM; // already a group leader
        set({ setsid: true });
        return k.pid;
      }
      if (pid !== 0 && pid !== k.pid) return null;
      if (pgid < 0) return -E.EINVAL;
      if (group.setsid) return -E.EPERM; // a session leader stays in its group
      set({ pgroup: pgid === k.pid ? 0 : pgid });
      return 0;
    },

    vforkTables() {
      return { ...ownCopy(k), group: {}, became: null };
    },

    asVforkChild(child, sigmask, answer) {
      child.sigmask = sigmask;
      exchangeTables(k, child);
      threadChild = child;
      try {
        return answer();
      } finally {
        threadChild = null;
        exchangeTables(k, child);
      }
    },

    endVforkChild(child, status) {
      for (const e of child.fds.values()) k.release(e.file);
      child.fds.clear();
      return status === null ? child.became ?? 0 : exitedChild(status);
    },

    exit(status) {
      if (parent) {
        // A real child for the parent to reap, with the status this one exited with (the spare
        // kept for it when its pid was told to a debugger).
        const pid = (parent.debugPid !== null ? exitInSpare(status & 0xff) : null) ??
          exitedChild(status);
        if (parent.debugPid !== null) proc.debug!.vforkDone!(pid, status & 0xff);
        resumeParent(parent, pid);
      }
      throw new GuestExit(status & 0xff);
    },
  };
}

/**
 * A copy of what a vfork child has of its own, from the Kernel: the descriptor table (its
 * entries copied, their open files referenced once more), dispositions, mask, working
 * directory and umask.
 */
function ownCopy(k: Kernel): VforkOwn {
  const fds = new Map<number, FdEntry>();
  for (const [fd, e] of k.fds) {
    e.file.refs++;
    fds.set(fd, { ...e });
  }
  return { fds, sigactions: new Map(k.sigactions), sigmask: k.signals.mask, cwd: currentDir(), cwdInSysroot: k.cwdInSysroot, umask: k.umask };
}

/** A vfork child's _exit: a real child process for the parent to reap, which exited with `status`. */
const exitedChild = (status: number): number => libc().spawn('/bin/sh', ['sh', '-c', `exit ${status & 0xff}`], [], [], null);

/** Swaps the Kernel's descriptor table, dispositions, mask, working directory and umask with a vfork child's or its parent's. */
function exchangeTables(k: Kernel, child: VforkOwn): void {
  const fds = new Map(k.fds), sigactions = new Map(k.sigactions), sigmask = k.signals.mask, umask = k.umask;
  k.umask = child.umask;
  child.umask = umask;
  const cwd = currentDir(), cwdInSysroot = k.cwdInSysroot;
  changeDir(k, child.cwd, child.cwdInSysroot);
  child.cwd = cwd;
  child.cwdInSysroot = cwdInSysroot;
  k.fds.clear();
  for (const [fd, e] of child.fds) k.fds.set(fd, e);
  k.sigactions.clear();
  for (const [sig, a] of child.sigactions) k.sigactions.set(sig, a);
  k.signals.mask = child.sigmask;
  child.fds = fds;
  child.sigactions = sigactions;
  child.sigmask = sigmask;
}

/** The host's working directory, or null when it has none (removed). */
function currentDir(): string | null {
  try {
    return process.cwd();
  } catch {
    return null;
  }
}

/** Back to a working directory a vfork child may have left (posix_spawn's addchdir). */
function changeDir(k: Kernel, dir: string | null, inSysroot: boolean): void {
  if (dir === null) return;
  try {
    if (dir !== currentDir()) process.chdir(dir);
    k.cwdInSysroot = inSysroot;
  } catch {
    // Removed meanwhile: the directory stays the child's.
  }
}

/**
 * The registers a clone's child starts with: the caller's at its syscall, which returns 0
 * there, on the stack and with the TLS pointer the clone asked for.
 */
export function cloneChildState(k: Kernel, cpu: GuestCpu, req: CloneRequest): CpuState {
  const s = cpu.saveState();
  k.abi.syscallReturn(s, k.syscallPc, 0);
  if (req.stack) s.R[k.abi.stackRegister] = req.stack;
  if (req.flags & CLONE_SETTLS) s.tls = req.tls;
  return s;
}

/** Starts a child process from `state` (the forking thread's registers); its pid or -errno. */
export function forkProcess(proc: GuestProcess, state: CpuState, req: CloneRequest): number {
  const pid = spawnForkedChild(proc, state, req);
  if (pid > 0 && req.flags & CLONE_PARENT_SETTID) proc.kernel.mem.write32(req.parentTid, pid);
  return pid;
}

// ---- execve ----

interface ExecTarget {
  /** Host path of the program to run. */
  path: string;
  argv: string[];
  /** A guest (MIPS/ARM) program, or a host one. */
  guest: boolean;
  /** The file execve was given (a script's, not its interpreter's): the new program's comm and AT_EXECFN. */
  file?: string;
}

const EM_MIPS = 8, EM_ARM = 40;

/**
 * What execve(file) runs, as Linux decides it: an ELF program (guest or host), or a `#!`
 * script's interpreter (looked up under the sysroot first) with the script as argument.
 */
function resolveExecutable(k: Kernel, file: string, argv: string[], depth: number): ExecTarget | number {
  if (depth > 4) return -E.ELOOP;
  const hostPath = k.hostPath(file);
  if (hostPath === null) return -E.ENOENT;
  let head: Buffer;
  try {
    const st = fs.statSync(hostPath);
    if (!st.isFile()) return -E.EACCES;
    fs.accessSync(hostPath, fs.constants.X_OK);
    const fd = fs.openSync(hostPath, 'r');
    head = Buffer.alloc(256);
    head = head.subarray(0, fs.readSync(fd, head, 0, 256, 0));
    fs.closeSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? -E.ENOENT : code === 'ENOTDIR' ? -E.ENOTDIR : code === 'ELOOP' ? -E.ELOOP : -E.EACCES;
  }
  if (head.length >= 20 && head.readUInt32BE(0) === 0x7f454c46) {
    const machine = head[5] === 2 ? head.readUInt16BE(18) : head.readUInt16LE(18);
    const guest = machine === EM_MIPS || machine === EM_ARM;
    const denied = k.sandbox?.checkExec(hostPath, guest) ?? 0;
    return denied < 0 ? denied : { path: hostPath, argv, guest, file };
  }
  if (head[0] === 0x23 && head[1] === 0x21) { // #!
    // The interpreter reads the script: under --sandbox it must be readable.
    const denied = k.sandbox?.checkExec(hostPath, true) ?? 0;
    if (denied < 0) return denied;
    const nl = head.indexOf(10);
    const line = head.subarray(2, nl < 0 ? head.length : nl).toString('latin1').trim();
    if (line === '') return -E.ENOEXEC;
    const sp = line.search(/[ \t]/);
    const interp = sp < 0 ? line : line.slice(0, sp);
    const arg = sp < 0 ? '' : line.slice(sp).trim();
    const target = resolveExecutable(k, interp, [], depth + 1);
    if (typeof target === 'number') return target;
    // A host interpreter opens the script by its host path; a guest one through the sysroot.
    const script = target.guest ? file : hostPath;
    return { ...target, file, argv: [interp, ...(arg ? [arg] : []), script, ...argv.slice(1)] };
  }
  return -E.ENOEXEC;
}

/** Guest descriptors that survive exec: [guest fd, host fd]. */
function keptDescriptors(k: Kernel): [number, number][] {
  return [...k.fds].filter(([, e]) => !e.cloexec).map(([fd, e]) => [fd, e.file.hostFd]);
}

/** Host signals the guest ignores (they stay ignored across exec); the rest go back to default. */
function ignoredHostSignals(k: Kernel): Set<number> {
  return new Set(k.ignoredSignals().map((sig) => k.abi.signals[sig] ?? sig));
}

/** Replaces this process with a host program: descriptors moved to the guest's numbers first. */
function execHost(k: Kernel, file: string, argv: string[], envp: string[]): number {
  dropSpare();
  socketsBlockingForHostExec(k);
  return becomeHost(file, argv, envp, keptDescriptors(k), ignoredHostSignals(k), blockedHostSignals(k), hostProgramCwd(k));
}

/**
 * Execs host program `file` in this process, its descriptors `kept` ([guest number, host
 * descriptor]) placed at the guest's numbers, host signals `ignored` ignored and the rest at
 * their default, `blocked` blocked, in directory `dir` when given. Returns (-EMFILE) only
 * before it has changed anything; a failed execve ends the process.
 */
function becomeHost(file: string, argv: string[], envp: string[], kept: [number, number][], ignored: Set<number>, blocked: number[], dir?: string): number {
  const h = libc();
  // Park every source above the targets, then place them; anything else stays close-on-exec.
  const parked = kept.map(([, hostFd]) => h.fcntl(hostFd, 1030, 1000)); // F_DUPFD_CLOEXEC
  if (parked.some((fd) => fd < 0)) return -E.EMFILE;
  for (let fd = 0; fd < 3; fd++) h.fcntl(fd, 2, 1); // F_SETFD FD_CLOEXEC: closed unless the guest keeps it
  kept.forEach(([guestFd], i) => h.dup2(parked[i], guestFd));
  // Every signal, the real-time ones too: a urun started by posix_spawn (a spare, a fork's
  // child) has glibc's SIGCANCEL (32) ignored, which a program it execs would keep.
  for (let sig = 1; sig <= 64; sig++) if (sig !== 9 && sig !== 19) h.setSignalDisposition(sig, ignored.has(sig) ? 1 : 0);
  h.setSignalMask(blocked);
  if (dir !== undefined) h.chdir(dir);
  const r = h.execve(file, argv, envp);
  // The descriptors are rearranged: this process cannot go back to the guest.
  process.stderr.write(`urun: execve of host program ${file} failed (errno ${-r})\n`);
  process.exit(127);
}

/** Starts a host program as a new process with the guest's descriptors and signal mask; returns its pid. */
function spawnHost(k: Kernel, file: string, argv: string[], envp: string[], group: SpawnExtras): number {
  socketsBlockingForHostExec(k);
  return libc().spawn(file, argv, envp, keptDescriptors(k), ignoredHostSignals(k), { ...group, blocked: blockedHostSignals(k), cwd: hostProgramCwd(k) });
}

/**
 * Where a host program the guest runs starts: the guest's own name for its directory when
 * that is one of the host's. A guest's chdir("/") under -L is in the sysroot, which a host
 * program would show (pwd) as the sysroot's host path; qemu-user leaves the guest in the
 * host's "/", where the host program starts too. (Only when the guest got there through the
 * sysroot: urun started in a directory of the sysroot runs host programs there.)
 */
function hostProgramCwd(k: Kernel): string | undefined {
  if (!k.cwdInSysroot) return undefined;
  const cwd = hostCwd();
  if (cwd === null) return undefined;
  const view = k.guestView(cwd);
  if (view === cwd) return undefined;
  try {
    return fs.statSync(view).isDirectory() ? view : undefined;
  } catch {
    return undefined;
  }
}

/** The guest's blocked signals, as host signal numbers (those the host has). */
function blockedHostSignals(k: Kernel): number[] {
  const out: number[] = [];
  for (let sig = 1; sig <= 64; sig++) if ((k.signals.mask >> BigInt(sig - 1)) & 1n) out.push(k.abi.signals[sig] ?? sig);
  return out.filter((sig) => sig !== 9 && sig !== 19);
}

/** The node command line that runs urun itself, in the same way this process runs. */
/**
 * The command that starts urun again: this node with its flags, and the CLI. Not an `-e`
 * script that loaded urun (a forked child would run that script, and fork again).
 */
function urunCommand(): string[] {
  const flags: string[] = [];
  let evaluated = false;
  const execArgv = withUrunNodeOptions(process.execArgv);
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i];
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') {
      evaluated = true;
      i++;
    } else if (/^--(eval|print)=/.test(a)) evaluated = true;
    else flags.push(a);
  }
  const script = process.argv[1];
  return [process.execPath, ...flags, !evaluated && script ? script : cliEntry()];
}

/** bin/urun, found upwards from this module (dist/urun.cjs, or src/engine under tsx). */
function cliEntry(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'bin', 'urun');
    if (fs.existsSync(bin)) return bin;
    if (path.dirname(dir) === dir) throw new Error('cannot find bin/urun to start a forked process');
  }
}

/**
 * The policy itself for a started urun: it must not add its own current directory to what
 * the guest may read (the guest may have moved to "/" first).
 */
function sandboxArgs(policy: SandboxPolicy | null | undefined): string[] {
  return policy ? [SANDBOX_POLICY_ARG, JSON.stringify(policy)] : [];
}

function configArgs(config: ProcessConfig): string[] {
  return [...(config.sysroot ? ['-L', config.sysroot] : []), ...(config.strace ? ['--strace'] : []),
    ...(config.checkJit ? ['--check-jit'] : []), ...(config.cache ? [] : ['--no-cache']), ...(config.cpu ? ['--cpu', config.cpu] : []),
    ...sandboxArgs(config.sandbox)];
}

/**
 * Starts a guest program in a new urun process with the guest's descriptors; returns its pid.
 * The spare, when there is one, becomes that process (no node to start); a spare is then
 * started for the next one.
 */
function spawnGuest(proc: GuestProcess, file: string, argv: string[], envp: string[], group: SpawnExtras, debug?: DebuggerHandOff): number {
  const kept = keptDescriptors(proc.kernel);
  const inherited = proc.kernel.execInheritance(kept.map(([fd]) => fd));
  const cli = [...configArgs(proc.config), '-0', argv[0] ?? file, '--', file, ...argv.slice(1)];
  // (Only the spare takes gdb's connection: the debugger learns that from the pid.)
  const pid = (spareCanExec(envp, group) ? execInSpare(kept, inherited, envp, cli, debug) : null) ??
    libc().spawn(process.execPath, [...urunCommand(), `${INHERIT_ARG}=${JSON.stringify(inherited)}`, ...cli], urunProcessEnv(envp), kept,
      ignoredHostSignals(proc.kernel), group);
  if (pid > 0) startSpare(proc.cpu.isa);
  return pid;
}

// ---- fork ----

function spawnForkedChild(proc: GuestProcess, state: CpuState, request: CloneRequest): number {
  const { mem, kernel } = proc;
  const runs: ForkSnapshot['runs'] = [];
  const chunks: Uint8Array[] = [];
  for (const [first, count, perm] of mappedRuns(mem.perm)) {
    // Pages of zeros (most of a stack, fresh heap) are mapped zeroed by the child: only
    // the others travel.
    const present: number[] = [];
    for (let page = first; page < first + count; page++) {
      if (!(perm & PAGE_SHARED) && !mem.holdsOnlyZeros(page)) {
        present.push(page);
        chunks.push(mem.bytes.subarray(page * PAGE_SIZE, (page + 1) * PAGE_SIZE));
      }
    }
    runs.push([first, count, perm, present]);
  }
  const h = libc();
  let attached: [number, number] | null = null;
  if (mem.sharedRegions.some((r) => r.shmid !== undefined)) {
    const pipe = h.pipe2(HOST_O_CLOEXEC);
    if (typeof pipe === 'number') return pipe;
    attached = pipe;
  }
  let kin = kinPair();
  // Under gdb with fork events: the pipe gdb's choice travels on (the child reads [0]).
  const gdbFd = proc.debug?.forkHold?.() ?? null;
  const pipe = gdbFd === null ? null : h.pipe2(HOST_O_CLOEXEC);
  const relayPair = gdbFd === null ? null : h.socketpair(true);
  // The decision pipe's ends, then the relay socket's (the parent keeps [3]).
  let held = pipe !== null && typeof pipe !== 'number' && relayPair !== null && typeof relayPair !== 'number' ? [...pipe, ...relayPair] : null;
  if (held === null) for (const fd of [pipe, relayPair]) if (fd !== null && typeof fd !== 'number') fd.forEach((x) => fs.closeSync(x));
  const snapshot: ForkSnapshot = {
    target: proc.target,
    cpu: { ...state, R: [...state.R], fpu: [...state.fpu] },
    kernel: kernel.saveState(),
    exePath: kernel.opts.exePath,
    config: { sysroot: proc.config.sysroot, strace: proc.config.strace, checkJit: proc.config.checkJit, cache: proc.config.cache, cpu: proc.config.cpu, sandbox: proc.config.sandbox },
    request,
    runs,
    shared: mem.sharedRegions,
    attachedFd: attached?.[1],
    kinFd: kin?.[1],
    gdb: held ? { socketFd: gdbFd!, decisionFd: held[0], relayFd: held[2] } : undefined,
  };
  const header = Buffer.from(JSON.stringify(snapshot));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const memfd = h.memfd('urun-fork');
  if (memfd < 0) {
    for (const fd of [...(attached ?? []), ...(kin ?? []), ...(held ?? [])]) fs.closeSync(fd);
    return memfd;
  }
  try {
    writeAll(memfd, len);
    writeAll(memfd, header);
    // Many pages per system call (IOV_MAX is 1024).
    for (let i = 0; i < chunks.length; i += 1024) {
      const batch = chunks.slice(i, i + 1024);
      const total = batch.length * PAGE_SIZE;
      const done = fs.writevSync(memfd, batch);
      if (done < total) writeAll(memfd, Buffer.concat(batch).subarray(done));
    }
    const regionFds = mem.sharedRegions.flatMap((r) => (r.hostFd === undefined ? [] : [r.hostFd]));
    const hostFds = [...new Set([...snapshot.kernel.fds.map(([, hostFd]) => hostFd), ...regionFds, ...(attached ? [attached[1]] : []), ...(kin ? [kin[1]] : []),
      ...(held ? [gdbFd!, held[0], held[2]] : [])])];
    const pid = handToSpare(memfd, hostFds) ??
      h.spawn(process.execPath, [...urunCommand(), `${RESUME_ARG}=${memfd}`, TITLE_ROOM], urunProcessEnv(envOf(process.env)),
        [...hostFds, memfd].map((fd) => [fd, fd]), null);
    if (attached) {
      fs.closeSync(attached[1]);
      // End of file once the child has attached its segments (or died).
      if (pid > 0) for (const buf = Buffer.alloc(1); readOrEnd(attached[0], buf) > 0;);
      fs.closeSync(attached[0]);
      attached = null;
    }
    if (kin) {
      fs.closeSync(kin[1]);
      if (pid > 0) adoptChild(pid, kin[0]);
      else fs.closeSync(kin[0]);
      kin = null;
    }
    if (held) {
      fs.closeSync(held[0]);
      fs.closeSync(held[2]);
      if (pid > 0) proc.debug!.forked!(pid, held[1], held[3]);
      else [held[1], held[3]].forEach((fd) => fs.closeSync(fd));
      held = null;
    }
    startSpare(proc.cpu.isa);
    return pid;
  } finally {
    fs.closeSync(memfd);
    for (const fd of [...(attached ?? []), ...(kin ?? []), ...(held ?? [])]) fs.closeSync(fd);
  }
}

/** A blocking read: bytes read, 0 at end of file (or on an error). */
function readOrEnd(fd: number, buf: Buffer): number {
  try {
    return fs.readSync(fd, buf, 0, buf.length, null);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EINTR' || (e as NodeJS.ErrnoException).code === 'EAGAIN' ? 1 : 0;
  }
}

// ---- spare processes ----
// Starting node costs most of a fork. After a process's first fork, a spare urun is started
// ahead of need: it loads urun and waits on a socket. The next fork hands it the snapshot
// and the guest's descriptors (SCM_RIGHTS) instead of starting node. The spare is a child of
// this process (so the guest can wait for it) and in its process group (a child must be in
// it the moment fork returns); a spare started before the group changed is not used.

/**
 * A last argument (ignored) for the urun processes whose own arguments are short, a forked
 * child and a spare: room for the guest's command line that showGuestName writes over them.
 * Node's title cannot be longer than the arguments it replaces, so without it another
 * process (ps, pgrep -f, dbus-daemon's comm=) read a long guest command line cut to ~100 bytes.
 */
const TITLE_ROOM = ' '.repeat(4096);

/** The hidden first argument that makes urun a spare, waiting on the socket named. */
export const SPARE_ARG = '--urun-spare';
const SPARE_SOCKET_FD = 1000;

let spare: { pid: number; sock: number; pgid: number } | null = null;

/** What the parent asks a spare to become, besides the descriptors it sends. */
type SpareWork =
  /** A forked child: a memfd with its snapshot is sent first, then the descriptors the snapshot names. */
  | {
    kind: 'fork';
    /** The parent's host numbers of the descriptors sent after the memfd, in order. */
    hostFds: number[];
  }
  /**
   * The program a vfork child execs, as spawnGuest would start it: these urun arguments and
   * environment, this umask, and the descriptors sent, which are the guest's `inherited.fds`.
   */
  | {
    kind: 'exec'; argv: string[]; env: string[]; umask: number; inherited: ExecInheritance;
    /** gdb follows the program (a vfork child's): its connection arrives after the guest's descriptors, with the stub's state. */
    debuggerState?: unknown;
  }
  /** A vfork child that exited, its pid told to gdb: the spare exits with its status. */
  | { kind: 'exit'; status: number }
  /**
   * A host program a vfork child execs, its pid told to gdb: the spare becomes it, with the
   * descriptors sent at the guest's numbers `fds` and the guest's signal state (as execHost).
   */
  | { kind: 'host'; file: string; argv: string[]; env: string[]; umask: number; fds: number[]; ignored: number[]; blocked: number[]; dir?: string };

/**
 * What a forked child inherits of its parent's host process, which the spare has as its parent
 * had it when the spare started: a guest may have changed any of it since (renice, a root
 * program giving up root, no_new_privs). Each is the host's answer, or a negative errno.
 */
interface InheritedHostState {
  /** Scheduling priority (getpriority's 20 - nice) and I/O priority. */
  priority: number;
  ioPriority: number;
  /** [real, effective, saved] uid and gid, and the supplementary groups. */
  uids: number[] | number;
  gids: number[] | number;
  groups: number[] | number;
  /** prctl's no_new_privs, keep-capabilities flag and timer slack. */
  noNewPrivs: number;
  keepCaps: number;
  timerSlack: number;
}

/** The order a spare receives: the work, the working directory to take, and the host state to take. */
type SpareOrder = SpareWork & InheritedHostState & { cwd: string };

/** An exec order, as a spare carries it out: what main() runs, as if urun had been started so. */
export interface SpareExec {
  argv: string[];
  inherited: ExecInheritance;
  /** gdb's connection and the stub's state, when gdb follows the program (see GdbStub.adopt). */
  debugger?: { fd: number; state: unknown };
}

function startSpare(isa: string): void {
  if (spare || process.env.URUN_NO_SPARE) return;
  const h = libc();
  const pair = h.socketpair();
  if (typeof pair === 'number') return;
  const pid = h.spawn(process.execPath, [...urunCommand(), `${SPARE_ARG}=${SPARE_SOCKET_FD}:${isa}`, TITLE_ROOM], urunProcessEnv(envOf(process.env)),
    [[SPARE_SOCKET_FD, pair[1]]], null, { devNull: [0, 1, 2] });
  fs.closeSync(pair[1]);
  if (pid < 0) fs.closeSync(pair[0]);
  else spare = { pid, sock: pair[0], pgid: h.getpgid(0) };
}

const PRIO_PROCESS = 0, IOPRIO_WHO_PROCESS = 1;
const PR_GET_KEEPCAPS = 7, PR_SET_KEEPCAPS = 8, PR_GET_TIMERSLACK = 30, PR_SET_TIMERSLACK = 29, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;

/** This process's (this thread's, for the priorities and prctls) InheritedHostState. */
function hostState(): InheritedHostState {
  const h = libc();
  return {
    priority: h.priority(false, PRIO_PROCESS, 0, 0), ioPriority: h.ioprio(false, IOPRIO_WHO_PROCESS, 0, 0),
    uids: h.getResIds('uid'), gids: h.getResIds('gid'), groups: h.getGroups(),
    noNewPrivs: h.prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), keepCaps: h.prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), timerSlack: h.prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0),
  };
}

/**
 * In a spare: takes the forking parent's host state, each part only where it differs (an I/O
 * priority never set reads as one, and setting it is seen). The keep-capabilities flag goes
 * before the uids change (it decides whether that drops the capabilities); the groups and gids
 * next, while the spare may still change them; the uids last. A child that cannot take its
 * parent's credentials does not run with other ones (root's, say).
 */
function takeHostState(want: InheritedHostState, warn: (msg: string) => void): void {
  const h = libc();
  const now = hostState();
  if (want.priority > 0 && now.priority !== want.priority) h.priority(true, PRIO_PROCESS, 0, 20 - want.priority);
  if (now.ioPriority !== want.ioPriority && want.ioPriority >= 0) h.ioprio(true, IOPRIO_WHO_PROCESS, 0, want.ioPriority);
  if (want.keepCaps >= 0 && now.keepCaps !== want.keepCaps) h.prctl(PR_SET_KEEPCAPS, want.keepCaps, 0, 0, 0);
  if (want.timerSlack > 0 && now.timerSlack !== want.timerSlack) h.prctl(PR_SET_TIMERSLACK, want.timerSlack, 0, 0, 0);
  const same = (a: number[] | number, b: number[] | number) => JSON.stringify(a) === JSON.stringify(b);
  const taken = (r: number) => {
    if (r >= 0) return;
    warn(`urun: a forked child cannot take its parent's user and group ids (${errnoName(-r)}); it does not run`);
    process.exit(1);
  };
  if (typeof want.groups !== 'number' && !same(now.groups, want.groups)) taken(h.setGroups(want.groups));
  if (typeof want.gids !== 'number' && !same(now.gids, want.gids)) taken(h.setIds('setresgid', want.gids));
  if (typeof want.uids !== 'number' && !same(now.uids, want.uids)) taken(h.setIds('setresuid', want.uids));
  // (Once set it cannot be cleared: the spare never had it where the parent did not.)
  if (want.noNewPrivs === 1 && now.noNewPrivs !== 1) h.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/** Gives the fork to the spare; its pid, or null to spawn the usual way. */
function handToSpare(memfd: number, hostFds: number[]): number | null {
  return orderSpare({ kind: 'fork', hostFds }, [memfd, ...hostFds]);
}

/**
 * Node reads these variables as it starts (NODE_OPTIONS, UV_THREADPOOL_SIZE...): a program
 * whose environment changes them gets a node of its own, as it always did.
 */
const NODE_STARTUP_VARIABLE = /^(NODE_|UV_)/;

/**
 * Whether the spare can become the program a vfork child execs: only in this process group
 * (a spare cannot be moved to another group or session once it runs) and with an environment
 * it can take as its own.
 */
function spareCanExec(envp: string[], group: SpawnExtras): boolean {
  if (!spare || group.setsid || group.pgroup !== undefined) return false;
  const names = new Set<string>();
  for (const kv of envp) {
    const eq = kv.indexOf('=');
    const name = kv.slice(0, eq);
    // process.env holds neither entries without '=' nor a name twice.
    if (eq <= 0 || names.has(name)) return false;
    names.add(name);
    if (NODE_STARTUP_VARIABLE.test(name) && process.env[name] !== kv.slice(eq + 1)) return false;
  }
  return Object.keys(process.env).every((name) => !NODE_STARTUP_VARIABLE.test(name) || names.has(name));
}

/** Gives a vfork child's exec of a guest program to the spare (with gdb's connection, `debug`); its pid, or null to spawn the usual way. */
function execInSpare(kept: [number, number][], inherited: ExecInheritance, env: string[], argv: string[], debug?: DebuggerHandOff): number | null {
  return orderSpare({ kind: 'exec', argv, env, umask: process.umask(), inherited, debuggerState: debug?.state },
    [...kept.map(([, hostFd]) => hostFd), ...(debug ? [debug.fd] : [])]);
}

/**
 * Gives a vfork child's exec of a host program to the spare kept for it, whose pid gdb was
 * told (vfork events): the spare execs the program itself. Its pid, or null to spawn it.
 */
function hostInSpare(k: Kernel, file: string, argv: string[], envp: string[], group: SpawnExtras): number | null {
  if (!spareCanExec(envp, group)) return null;
  socketsBlockingForHostExec(k);
  const kept = keptDescriptors(k);
  return orderSpare({
    kind: 'host', file, argv, env: envp, umask: process.umask(), fds: kept.map(([fd]) => fd),
    ignored: [...ignoredHostSignals(k)], blocked: blockedHostSignals(k), dir: hostProgramCwd(k),
  }, kept.map(([, hostFd]) => hostFd));
}

/** The spare kept for a vfork child whose pid a debugger was told: it exits with the child's status; its pid, or null. */
function exitInSpare(status: number): number | null {
  return orderSpare({ kind: 'exit', status }, []);
}

/**
 * The pid a vfork child will have when a debugger must be told it at once: the spare's (one is
 * started if need be), which becomes what the child execs or exits with. Null without a spare.
 */
function reserveSpare(isa: string): number | null {
  if (spare && spare.pgid !== libc().getpgid(0)) dropSpare();
  startSpare(isa);
  return spare?.pid ?? null;
}

/** Sends the spare an order with these descriptors; the spare's pid, or null (then there is no spare any more). */
function orderSpare(what: SpareWork, fds: number[]): number | null {
  const s = spare;
  if (!s) return null;
  const h = libc();
  if (s.pgid !== h.getpgid(0)) {
    dropSpare();
    return null;
  }
  // A working directory that was removed cannot be named to the spare, but a child the host
  // starts inherits it.
  const cwd = hostCwd();
  if (cwd === null) {
    dropSpare();
    return null;
  }
  const order = Buffer.from(JSON.stringify({ ...what, cwd, ...hostState() } satisfies SpareOrder));
  if (order.length > FD_MESSAGE_MAX) return null; // a huge environment: the spare waits for another order
  if (h.sendFds(s.sock, order, fds) < 0) {
    // It died (a signal to our process group, say): reap it and start the slow way.
    dropSpare();
    return null;
  }
  fs.closeSync(s.sock);
  spare = null;
  return s.pid;
}

/** Ends the spare (before this process becomes a host program, which would not know it). */
export function dropSpare(): void {
  if (!spare) return;
  const h = libc();
  fs.closeSync(spare.sock);
  h.kill(spare.pid, 9);
  h.wait4(spare.pid, new Int32Array(1), 0, Buffer.alloc(144));
  spare = null;
}

/** Whether `pid` is the spare (a child of ours that the guest must not see). */
export function isSpare(pid: number): boolean {
  return spare !== null && spare.pid === pid;
}

/** Whether the guest has children of its own (the spare aside). */
export function hasGuestChildren(): boolean {
  if (!spare) return true; // the kernel answers exactly
  return guestChildren()?.length !== 0;
}

/** The pids of the guest's children (the spare aside); null if the host does not say. */
export function guestChildren(): number[] | null {
  try {
    // Every child is started by Node's main thread, so that task's list has them all.
    const list = fs.readFileSync(`/proc/self/task/${process.pid}/children`, 'latin1').trim().split(/\s+/).filter(Boolean);
    return list.map(Number).filter((p) => !isSpare(p));
  } catch {
    return null;
  }
}

/** In a spare: waits for an order, then becomes that forked child, or says what program to start. */
export async function runSpare(arg: string, warn: (msg: string) => void): Promise<GuestProcess | SpareExec> {
  const [sock, isa] = [Number(arg.split(':')[0]), arg.split(':')[1]];
  // Load the forking process's CPU module (its tables take tens of milliseconds to build)
  // before the fork arrives.
  await (isa === 'arm' ? import('../isa/arm/cpu.js') : import('../isa/mips/cpu.js'));
  const h = libc();
  const msg = h.recvFds(sock);
  if (msg === null || typeof msg === 'number') process.exit(0); // the parent is gone
  fs.closeSync(sock);
  const order = JSON.parse(msg.data.toString()) as SpareOrder;
  if (order.kind === 'exit') process.exit(order.status);
  h.chdir(order.cwd);
  takeHostState(order, warn);
  if (order.kind === 'exec') return becomeExecedProgram(order, msg.fds);
  if (order.kind === 'host') {
    process.umask(order.umask);
    becomeHost(order.file, order.argv, order.env, order.fds.map((fd, i) => [fd, msg.fds[i]]), new Set(order.ignored), order.blocked, order.dir);
    process.exit(127);
  }
  const [memfd, ...received] = msg.fds;
  const renumber = new Map(order.hostFds.map((fd, i) => [fd, received[i]]));
  return resumeForkedChild(memfd, warn, renumber);
}

/**
 * A spare takes what a new urun process started by spawnGuest would have: the umask, the
 * environment, and the guest's descriptors, its standard ones at their own numbers (urun's
 * messages go where the guest's do; a closed one stays /dev/null, as node opens it then) and
 * the others where they arrived.
 */
function becomeExecedProgram(order: Extract<SpareWork, { kind: 'exec' }>, received: number[]): SpareExec {
  process.umask(order.umask);
  for (const name of Object.keys(process.env)) delete process.env[name];
  for (const kv of order.env) process.env[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
  // (process.env cannot hold bytes that are not UTF-8: main takes the values from the order.)
  setEnvironSource(order.env);
  const h = libc();
  const hostFds = order.inherited.fds.map((guestFd, i) => {
    if (guestFd > 2) return received[i];
    h.dup2(received[i], guestFd);
    fs.closeSync(received[i]);
    return guestFd;
  });
  const debuggerFd = received[order.inherited.fds.length];
  return { argv: order.argv, inherited: { ...order.inherited, hostFds }, debugger: order.debuggerState === undefined ? undefined : { fd: debuggerFd, state: order.debuggerState } };
}

function writeAll(fd: number, data: Uint8Array): void {
  for (let done = 0; done < data.length;) done += fs.writeSync(fd, data, done, data.length - done);
}

function envOf(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
}

/** In the forked child: rebuilds the process from the snapshot in descriptor `fd`. */
export async function resumeForkedChild(fd: number, warn: (msg: string) => void, renumber?: Map<number, number>): Promise<GuestProcess> {
  const len = Buffer.alloc(4);
  fs.readSync(fd, len, 0, 4, 0);
  const header = Buffer.alloc(len.readUInt32LE());
  fs.readSync(fd, header, 0, header.length, 4);
  const snap = JSON.parse(header.toString()) as ForkSnapshot;
  if (renumber) {
    // A spare received the descriptors at numbers of its own.
    for (const f of snap.kernel.files) f.hostFd = renumber.get(f.hostFd) ?? f.hostFd;
    for (const e of snap.kernel.fds) e[1] = renumber.get(e[1]) ?? e[1];
    for (const r of snap.shared) if (r.hostFd !== undefined) r.hostFd = renumber.get(r.hostFd) ?? r.hostFd;
    if (snap.attachedFd !== undefined) snap.attachedFd = renumber.get(snap.attachedFd) ?? snap.attachedFd;
    if (snap.kinFd !== undefined) snap.kinFd = renumber.get(snap.kinFd) ?? snap.kinFd;
    if (snap.gdb) {
      const { socketFd, decisionFd, relayFd } = snap.gdb;
      snap.gdb = { socketFd: renumber.get(socketFd) ?? socketFd, decisionFd: renumber.get(decisionFd) ?? decisionFd, relayFd: renumber.get(relayFd) ?? relayFd };
    }
    // Its own standard descriptors become the guest's, so urun's messages go where the guest's do.
    for (const [guestFd, hostFd] of snap.kernel.fds) if (guestFd <= 2) libc().dup2(hostFd, guestFd);
  }
  // Every host descriptor stays close-on-exec (the spawn that made us cleared it): a process
  // this one starts gets exactly the descriptors it is given, so pipes see EOF when they should.
  for (const fd of new Set([0, 1, 2, ...snap.kernel.fds.map(([, hostFd]) => hostFd)])) libc().fcntl(fd, F_SETFD, FD_CLOEXEC);
  const mem = new GuestMemory(snap.target.littleEndian);
  let at = 4 + header.length;
  for (const [first, count, perm, present] of snap.runs) {
    // Mapped as writable, since the pages take data whatever their protection (set below).
    mem.map(first << PAGE_SHIFT, count << PAGE_SHIFT, PROT_READ | PROT_WRITE);
    // Consecutive pages in one read.
    for (let i = 0; i < present.length;) {
      let n = 1;
      while (i + n < present.length && present[i + n] === present[i] + n) n++;
      const view = mem.bytes.subarray(present[i] * PAGE_SIZE, (present[i] + n) * PAGE_SIZE);
      for (let done = 0; done < view.length;) {
        const got = fs.readSync(fd, view, done, view.length - done, at + done);
        if (got === 0) throw new Error('fork snapshot truncated');
        done += got;
      }
      at += view.length;
      i += n;
    }
    mem.perm.fill(perm & ~PAGE_SHARED, first, first + count);
  }
  fs.closeSync(fd);
  for (const r of snap.shared) {
    const prot = mem.perm[r.addr >>> PAGE_SHIFT] & 7;
    const err = r.hostFd === undefined ? mem.attachSysv(r.addr, r.len, prot, r.shmid, r.offset, r.size, r.writable)
      : mem.mapShared(r.addr, r.len, prot, r.hostFd, r.offset, r.writable);
    if (err < 0) throw new Error(`fork: cannot map the shared pages at 0x${r.addr.toString(16)} again (errno ${-err})`);
    if (r.hostFd !== undefined) fs.closeSync(r.hostFd); // mapShared took its own
  }
  if (snap.attachedFd !== undefined) fs.closeSync(snap.attachedFd); // the parent's fork returns

  const config: ProcessConfig = { ...snap.config, warn };
  const kernel = new Kernel(mem, makeAbi(snap.target), { exePath: snap.exePath, sysroot: config.sysroot, warn, sandbox: config.sandbox });
  kernel.loadState(snap.kernel);
  adoptSignalfds(kernel);
  deferTicking(kernel);
  const proc = await assemble(mem, kernel, snap.target, config);
  proc.cpu.loadState({ ...snap.cpu, R: Int32Array.from(snap.cpu.R), fpu: Uint8Array.from(snap.cpu.fpu) });
  const req = snap.request;
  if (req.flags & CLONE_CHILD_SETTID) mem.write32(req.childTid, process.pid);
  if (req.flags & CLONE_CHILD_CLEARTID) kernel.thread.clearChildTid = req.childTid;
  // The parent's signals to its child wait for this (awaitChildrenStarted): its handlers hear them from now on.
  routeHostSignalsTo(kernel);
  listenForHostSignals(kernel);
  showGuestName(kernel);
  if (snap.kinFd !== undefined) setParentChannel(snap.kinFd);
  if (snap.gdb) proc.pendingDebugger = awaitGdbDecision(snap.gdb.socketFd, snap.gdb.decisionFd, snap.gdb.relayFd);
  return proc;
}

/**
 * A child forked under gdb waits, before it runs, for what gdb decided (the parent's stub
 * writes it): to follow it (gdb's connection and the stub's state are then this process's),
 * to keep it as well as the parent (its stub serves gdb on the relay socket, through the
 * parent's), or to let it run free.
 */
function awaitGdbDecision(socketFd: number, decisionFd: number, relayFd: number): GuestProcess['pendingDebugger'] {
  const chunks: Buffer[] = [];
  for (const buf = Buffer.alloc(4096); ;) {
    const n = readOrEnd(decisionFd, buf);
    if (n <= 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  fs.closeSync(decisionFd);
  let decision: { follow?: boolean; relay?: boolean; state?: unknown } = {};
  try {
    decision = JSON.parse(Buffer.concat(chunks).toString() || '{}') as typeof decision;
  } catch {
    // The parent died before deciding: run free.
  }
  const kept = decision.follow === true ? socketFd : decision.relay === true ? relayFd : null;
  for (const fd of [socketFd, relayFd]) if (fd !== kept) fs.closeSync(fd);
  return kept === null ? undefined : { fd: kept, state: decision.state };
}

