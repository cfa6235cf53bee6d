// Signal syscalls (one record each, as in linux.ts) and signal delivery: dispositions are
// the process's (Kernel.sigactions), masks, pending signals and the alternate stack the
// thread's (ThreadSignals). Signal numbers are the guest's throughout; host numbers appear
// only where a host signal arrives or urun dies of one. Frames are the arch's business
// (Kernel.frames, from src/syscalls/arch/*-signal.ts).
import {
  GuestExit, GuestFault, IGNORED_BY_DEFAULT, NO_SIGNALS, SIGALRM, SIGKILL, SIGSEGV, SI_KERNEL, SI_TKILL,
  SI_USER, SigInfo, SigSet, ThreadSignals, UNBLOCKABLE_HOST, WaitForSignal, hostSignalRoute, sigBit, sigsetFromWords, sigsetFromWordList, sigsetWordList,
  sigsetWords, SIGNAL_NAMES, dieBySignal, SEGV_ACCERR, SEGV_MAPERR, SIGBUS, BUS_ADRALN, SIGILL, ILL_ILLOPC, SIGFPE,
  FPE_INTDIV, SIGTRAP, TRAP_BRKPT, nodeProfiles,
} from '../engine/signals.js';
import * as fs from 'node:fs';
import { SignalTicker } from '../engine/ticker.js';
import { GUEST_THREAD_ARG } from '../host/workers.js';
import { PAGE_SHIFT } from '../memory/memory.js';
import { StructWriter } from './abi.js';
import { clockNs, isProcessCpuClock, writeTimespec } from './time.js';
import { E } from './errno.js';
import { libc } from '../host/libc.js';
import { GuestTimer, Kernel, SIG_DFL, SIG_IGN, SigAction } from './kernel.js';
import type { ArgKind, SyscallRecord } from './records.js';
import { CTL_NEXT_TID } from './threads.js';
import { pendingChildChange, pidfdTarget, raisesSigchld, reapIfUnwaited, stopsRaiseSigchld, takeDescribedAtWait } from './processes.js';
import { awaitChildrenStarted } from '../engine/kin.js';
import { debuggerAttached } from '../debug/thread-debug.js';
import { noteSender, openInbox, takeSender, type Sender } from '../engine/senders.js';

// SA_* flags shared by MIPS and ARM (SA_SIGINFO differs: ArchAbi.signalAbi.saSiginfo).
export const SA_RESTORER = 0x04000000, SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000;
const SS_ONSTACK = 1, SS_DISABLE = 2, MINSIGSTKSZ = 2048;
const SIGVTALRM = 26, SIGPROF = 27, SIGSTOP = 19;
/** Stop signals (host numbers): their default action stops urun's host process, as it would the program. */
const STOP_SIGNALS = new Set([19, 20, 21, 22]);
const SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD_ID = 4;
/** Timer slots: the three itimers, then POSIX timers (timer id + POSIX_TIMER_SLOT). */
const ITIMER_SIGNALS = [SIGALRM, SIGVTALRM, SIGPROF];
const POSIX_TIMER_SLOT = 3;
/**
 * Host signals a guest may catch; urun listens for one only while the guest has a handler for
 * it or ignores it. SIGXCPU (24) comes from the host kernel when RLIMIT_CPU (set on urun's
 * process) runs out. SIGPROF (27) is V8's sampling profiler's while node profiles urun
 * (--cpu-prof): a listener's removal would put the host's default (death) in its place.
 * The stop signals SIGTSTP, SIGTTIN and SIGTTOU (20-22) a guest handles are listened for
 * too (haproxy pauses its listeners on SIGTTOU, an editor restores the terminal on SIGTSTP);
 * one the guest ignores is ignored by the host itself instead (see listenForHostSignals).
 * SIGABRT, SIGPWR and SIGSYS (6, 30, 31) another process sends reach a guest's handler too
 * (a Go program has one for every signal, and prints its "SIGABRT: abort" report); an abort
 * of urun's own still ends it, as abort(3) raises again at the default action. SIGSTKFLT (16)
 * is ARM's (a MIPS guest has no such signal: its 16 is SIGUSR1, host 10). The fault
 * signals (SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV) are not listened for: a listener
 * returning from a real fault of Node's would run the faulting instruction again forever.
 */
const CATCHABLE_HOST = [1, 2, 3, 6, 10, 12, 14, 15, 16, 17, 18, 20, 21, 22, 23, 24, 26, 27, 28, 29, 30, 31].filter((h) => h !== 27 || !nodeProfiles)
  .concat(Array.from({ length: 31 }, (_, i) => 34 + i));

/**
 * Node's process.on listens for the standard signals, by name only. The real-time ones
 * (host 34-64) are listened for through the signal handle process.on itself uses inside
 * (Node's signal_wrap binding), one per signal; without it (a Node that no longer offers
 * the binding) a real-time signal from another process meets the host's default action.
 */
interface SignalHandle { onsignal: () => void; start(signo: number): number; unref(): void; close(): void }
const realTimeHandles = new Map<number, SignalHandle>();
let signalHandleClass: (new () => SignalHandle) | null | undefined;
function newSignalHandle(): SignalHandle | null {
  if (signalHandleClass === undefined) {
    const quiet = process.noDeprecation;
    process.noDeprecation = true; // (its access warning would reach the guest's stderr)
    try {
      signalHandleClass = (process as unknown as { binding(name: string): { Signal?: new () => SignalHandle } }).binding('signal_wrap').Signal ?? null;
    } catch {
      signalHandleClass = null;
    } finally {
      process.noDeprecation = quiet;
    }
  }
  return signalHandleClass ? new signalHandleClass() : null;
}
/** Whether urun listens for a host signal (routeHostSignal). */
function listening(host: number): boolean {
  return host >= 34 ? realTimeHandles.has(host) : process.listeners(SIGNAL_NAMES[host]).includes(routeHostSignal);
}
function listen(host: number): void {
  if (host < 34) {
    process.on(SIGNAL_NAMES[host], routeHostSignal);
    return;
  }
  const handle = newSignalHandle();
  if (handle === null) return;
  handle.onsignal = () => routeHost(host);
  if (handle.start(host) !== 0) return handle.close();
  handle.unref(); // (as process.on's: the guest's program, not a listener, keeps urun running)
  realTimeHandles.set(host, handle);
}
function unlisten(host: number): void {
  parked.delete(host); // (libuv puts the default back itself)
  if (host < 34) {
    process.off(SIGNAL_NAMES[host], routeHostSignal);
    return;
  }
  realTimeHandles.get(host)?.close();
  realTimeHandles.delete(host);
}

/**
 * Host signals whose listener stays while the host kernel has the default action in its
 * place, with the action libuv set (its handler) kept to put back. A listener's removal
 * drops a signal libuv has caught and not dispatched yet (it waits in libuv's pipe until
 * the event loop polls): so a listener leaves in two steps, parked at once (a signal from
 * now on meets the default action in the host kernel, as the guest's does) and removed
 * once the event loop has polled, when what it caught before has reached routeHost.
 */
const parked = new Map<number, Buffer>();
function park(host: number): void {
  if (!parked.has(host)) parked.set(host, libc().exchangeSignalAction(host, null));
}
function unpark(host: number): void {
  const action = parked.get(host);
  if (action === undefined) return;
  parked.delete(host);
  libc().exchangeSignalAction(host, action);
}

/** The highest signal number: _NSIG is 128 on MIPS, 64 elsewhere. */
const maxSignal = (k: Kernel): number => k.abi.sigsetBytes * 8;
/** Every signal the arch has: the set a mask's complement is taken within. */
export const allSignals = (k: Kernel): SigSet => (1n << BigInt(maxSignal(k))) - 1n;

export const unblockable = (k: Kernel): SigSet => UNBLOCKABLE_HOST.reduce((s, h) => s | sigBit(k.guestSignal(h)), NO_SIGNALS);

// ---- guest structures ----

/** Reads a sigset_t: all its words (four on MIPS, whose signals go up to 127). */
export function readSigset(k: Kernel, addr: number): SigSet | null {
  const n = k.abi.sigsetBytes / 4;
  if (!k.mem.checkRange(addr, 4 * n, false)) return null;
  return sigsetFromWordList(Array.from({ length: n }, (_, i) => k.mem.read32(addr + 4 * i)));
}

/** Writes a sigset_t, or its first `bytes` (rt_sigpending's smaller set). */
function writeSigset(k: Kernel, addr: number, set: SigSet, bytes = k.abi.sigsetBytes): boolean {
  if (!k.mem.checkRange(addr, bytes, true)) return false;
  const words = sigsetWordList(set, k.abi.sigsetBytes / 4);
  for (let i = 0; i < bytes >> 2; i++) k.mem.write32(addr + 4 * i, words[i]);
  // (a tail of a word: its bytes in the guest's order)
  for (let i = bytes & ~3; i < bytes; i++) k.mem.write8(addr + i, (words[i >> 2] >>> (8 * (k.mem.littleEndian ? i & 3 : 3 - (i & 3)))) & 0xff);
  return true;
}

/** Writes a siginfo_t (128 bytes) in the arch's layout. */
export function writeSiginfo(k: Kernel, addr: number, info: SigInfo): void {
  const sa = k.abi.signalAbi;
  k.mem.bytes.fill(0, addr, addr + 128);
  const w = new StructWriter(k.mem, addr).i32(0, info.signo).i32(sa.siCodeOffset, info.code);
  if (info.addr !== undefined) w.u32(12, info.addr);
  else if (info.timerId !== undefined) w.i32(12, info.timerId).i32(16, info.overrun ?? 0).i32(20, info.value ?? 0);
  else if (info.child) w.i32(12, info.pid ?? 0).i32(16, info.uid ?? 0).i32(20, info.child.status).i32(24, info.child.utime).i32(28, info.child.stime);
  else w.i32(12, info.pid ?? 0).i32(16, info.uid ?? 0).i32(20, info.value ?? 0);
}

function readSiginfo(k: Kernel, addr: number): SigInfo | null {
  if (!k.mem.checkRange(addr, 32, false)) return null;
  const r = (o: number) => k.mem.read32(addr + o) | 0;
  return { signo: r(0), code: r(k.abi.signalAbi.siCodeOffset), pid: r(12), uid: r(16), value: r(20) };
}

const hostUid = (): number => process.getuid?.() ?? 0;

// ---- dispositions ----

function rtSigaction(k: Kernel, sig: number, act: number, old: number): number {
  if (old && !k.mem.checkRange(old, 16, true)) return -E.EFAULT;
  if (act && !k.mem.checkRange(act, 16, false)) return -E.EFAULT;
  const a = act ? k.abi.readSigaction(k.mem, act) : null;
  const cur = sigaction(k, sig, a && { handler: a.handler, flags: a.flags, mask: sigsetFromWordList(a.mask), restorer: a.restorer ?? 0 });
  if (typeof cur === 'number') return cur;
  if (old) k.abi.writeSigaction(k.mem, old, { ...cur, mask: sigsetWordList(cur.mask, k.abi.sigsetBytes / 4) });
  return 0;
}

/**
 * Sets signal `sig`'s disposition (unless `act` is null); the one it had, or -errno. The
 * rt_sigaction call and each arch's old sigaction (its own struct) read and write through it.
 */
export function sigaction(k: Kernel, sig: number, act: SigAction | null): SigAction | number {
  if (sig < 1 || sig > maxSignal(k)) return -E.EINVAL;
  const host = k.hostSignal(sig);
  if (act && (host === SIGKILL || host === SIGSTOP)) return -E.EINVAL;
  const cur = k.disposition(sig);
  if (act) {
    // (SIG_DFL keeps its flags and mask too: sigaction reads them back.)
    k.sigactions.set(sig, { ...act, mask: act.mask & ~unblockable(k) });
    // Setting SIG_IGN (or SIG_DFL for a default-ignored signal) discards it if pending.
    if (act.handler === SIG_IGN || (act.handler === SIG_DFL && IGNORED_BY_DEFAULT.has(host))) {
      for (const p of k.signals.pending.filter((q) => q.signo === sig)) k.signals.take(p);
    }
    // A handler of its own: this guest may run a while. (A shell's child resets the
    // shell's traps to SIG_DFL before it execs: that changes nothing.)
    if (act.handler !== SIG_DFL && act.handler !== SIG_IGN) k.tickDeferredUntil = null;
    listenForHostSignals(k, host);
  }
  return cur;
}

/**
 * rt_sigprocmask, and (narrow) the old sigprocmask, whose sets are one word: signals 1-32
 * (SIG_SETMASK keeps the others as they were, as Linux does).
 */
function sigprocmask(k: Kernel, how: number, set: number, old: number, narrow = false): number {
  const t = k.signals;
  if (old && !(narrow ? writeWord(k, old, t.mask) : writeSigset(k, old, t.mask))) return -E.EFAULT;
  if (set) {
    const s = narrow ? (k.mem.checkRange(set, 4, false) ? sigsetFromWords(k.mem.read32(set), 0) : null) : readSigset(k, set);
    if (s === null) return -E.EFAULT;
    const op = how - k.abi.signalAbi.sigBlock;
    const before = t.mask;
    if (op === 0) t.mask |= s; // SIG_BLOCK
    else if (op === 1) t.mask &= ~s; // SIG_UNBLOCK
    else if (op === 2) t.mask = narrow ? (t.mask & ~LOW_WORD) | s : s; // SIG_SETMASK
    else return -E.EINVAL;
    t.mask &= ~unblockable(k);
    maskChanged(k, before);
    // Unblocking a pending signal delivers it as the call returns.
    t.interruptIfDeliverable();
  }
  return 0;
}

/** Signals 1-32: what an old (one-word) sigset holds. */
const LOW_WORD = sigsetFromWords(-1, 0);

/** Writes the first word of a set (the old calls' old_sigset_t). */
function writeWord(k: Kernel, addr: number, set: SigSet): boolean {
  if (!k.mem.checkRange(addr, 4, true)) return false;
  k.mem.write32(addr, sigsetWords(set)[0]);
  return true;
}

/** Offsets of ss_size and ss_flags in stack_t. */
const stackTOffsets = (k: Kernel): [number, number] => (k.abi.signalAbi.stackSizeFirst ? [4, 8] : [8, 4]);

/** Writes the thread's alternate stack as a stack_t (sigaltstack, a ucontext's uc_stack), as seen from `sp`. */
export function writeStackT(k: Kernel, addr: number, t: ThreadSignals, sp: number): void {
  const [sizeAt, flagsAt] = stackTOffsets(k);
  const a = t.altStack;
  new StructWriter(k.mem, addr).u32(0, a.sp).u32(sizeAt, a.size).u32(flagsAt, !a.enabled ? SS_DISABLE : t.onAltStack(sp) ? SS_ONSTACK : 0);
}

function sigaltstack(k: Kernel, ss: number, old: number): number {
  const t = k.signals;
  const [sizeAt, flagsAt] = stackTOffsets(k);
  const onAltStack = t.onAltStack(k.stackPointer());
  if (old) {
    if (!k.mem.checkRange(old, 12, true)) return -E.EFAULT;
    writeStackT(k, old, t, k.stackPointer());
  }
  if (ss) {
    if (!k.mem.checkRange(ss, 12, false)) return -E.EFAULT;
    if (onAltStack) return -E.EPERM;
    const flags = k.mem.read32(ss + flagsAt);
    if (flags & ~(SS_DISABLE | SS_ONSTACK | 0x80000000)) return -E.EINVAL; // SS_AUTODISARM is accepted
    if (flags & SS_DISABLE) t.altStack = { sp: 0, size: 0, enabled: false };
    else {
      const size = k.mem.read32(ss + sizeAt) >>> 0;
      if (size < MINSIGSTKSZ) return -E.ENOMEM;
      t.altStack = { sp: k.mem.read32(ss) >>> 0, size, enabled: true };
    }
  }
  return 0;
}

// ---- sending ----

/**
 * Queues a signal on this process from outside the guest's own syscalls (the lead's kill
 * to other pids uses it for the receiving side; host signals come in through it too).
 * `guestSig` is in the guest's numbering.
 */
export function signalProcess(k: Kernel, guestSig: number, info: Partial<SigInfo> = {}): void {
  k.queueSignal({ code: SI_USER, pid: 0, uid: hostUid(), ...info, signo: guestSig });
}

/**
 * Whether `tid` names a running thread of this process. The main thread's host knows the
 * running ones; a Worker knows only which ids were handed out (ids after the process's own:
 * see threads.ts).
 */
function isOwnThread(k: Kernel, tid: number): boolean {
  if (tid === k.pid || tid === k.thread.tid) return true;
  if (k.threads === null) return false;
  // (With those just created, their start not reported yet: pthread_kill right after pthread_create.)
  const running = (k.threads.taskIds ?? k.threads.threadIds)?.call(k.threads);
  if (running) return running.includes(tid);
  return tid > k.pid && tid < Atomics.load(k.threads.control, CTL_NEXT_TID);
}

function killSelf(k: Kernel, pid: number, sig: number, code: number): number {
  if (pid !== 0 && pid !== -1 && !isOwnThread(k, pid)) return -E.ESRCH;
  if (sig < 0 || sig > maxSignal(k)) return -E.EINVAL;
  if (sig === 0) return 0;
  const info: SigInfo = { signo: sig, code, pid: k.pid, uid: hostUid() };
  if (k.threads !== null) {
    // A signal whose action is to end the process (abort() in a thread, an uncaught C++
    // exception) ends it here at once, unless every thread it may go to blocks it (then it
    // stays pending, for sigwait say).
    const { handler } = k.disposition(sig);
    const host = k.hostSignal(sig);
    const fatal = handler === SIG_DFL && !IGNORED_BY_DEFAULT.has(host) && !(signalfdSignals(k) & sigBit(sig));
    const target = code === SI_TKILL ? pid : null;
    // (Under gdb it is delivered as any other, so that gdb hears of it before the process dies.)
    if (fatal && !debuggerAttached() && (k.threads.letsThrough?.(sig, target) ?? true)) dieBySignal(host);
    // tkill/tgkill of one thread (the caller's own included: it runs in a Worker).
    if (target !== null && k.threads.signalThread?.(target, info)) return 0;
  }
  k.queueSignal(info);
  return 0;
}

/**
 * kill(2). Guest pids are host pids: another process, a process group or everyone is the host
 * kernel's to signal (when that includes this process, the host signal comes back to us
 * through the host-signal listeners, as it would to a native process).
 */
function kill(k: Kernel, pid: number, sig: number): number {
  if (pid === k.pid) return killSelf(k, pid, sig, SI_USER);
  if (sig < 0 || sig > maxSignal(k)) return -E.EINVAL;
  const host = k.hostSignal(sig), sender = { code: SI_USER, pid: k.pid, uid: hostUid() };
  beforeSending(k, pid, sig, sender);
  if (sig !== 0 && (pid === 0 || pid < -1)) {
    // Its own process group: Linux delivers the signal to the caller before the call
    // returns, with the caller as its sender, whatever the signal (one Node cannot listen
    // for, SIGPIPE which Node ignores, SIGTSTP...). So the others of the group get the host
    // signal, and the caller queues the signal for itself.
    // Every member's inbox says who sends it before any member is signalled: Linux signals
    // the whole group at once, and a member that hears of it first (a timeout(1) in the
    // group passes a signal to its group) must not send its own before ours is noted.
    const own = libc().getpgid(0);
    if (pid === 0 || -pid === own) {
      const others = groupMembers(own);
      for (const other of others) noteSender(other, host, sender);
      for (const other of others) libc().kill(other, host);
      return killSelf(k, k.pid, sig, SI_USER);
    }
    // Another group: the host kernel signals it, each member told first who sends it.
    if (pid < -1) for (const member of groupMembers(-pid)) noteSender(member, host, sender);
  }
  return libc().kill(pid, sig === 0 ? 0 : host);
}

/**
 * Before signal `sig` goes to another process `pid` (or, 0 or below, a group): its children
 * still starting can take it (awaitChildrenStarted), and a process's inbox says who sends it.
 */
function beforeSending(k: Kernel, pid: number, sig: number, sender: Sender): void {
  if (handleable(k, sig)) awaitChildrenStarted(pid);
  if (sig !== 0 && pid > 0) noteSender(pid, k.hostSignal(sig), sender);
}

/** The host processes in process group `pgid` but this one. */
function groupMembers(pgid: number): number[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  return names.map(Number).filter((pid) => Number.isInteger(pid) && pid > 0 && pid !== process.pid && libc().getpgid(pid) === pgid);
}

/**
 * tgkill: a thread of this process; of another, only its main thread (whose id is the
 * process's): the thread ids a threaded urun gives out are its own, not the host's.
 */
function tgkill(k: Kernel, tgid: number, tid: number, sig: number): number {
  if (tgid === k.pid || tgid === -1) return killSelf(k, tid, sig, SI_TKILL);
  if (tgid <= 0 || tid <= 0) return -E.EINVAL;
  return tid === tgid ? kill(k, tgid, sig) : -E.ESRCH;
}

/** Whether a signal can meet a handler (not 0, SIGKILL or SIGSTOP). */
const handleable = (k: Kernel, sig: number): boolean => sig !== 0 && !UNBLOCKABLE_HOST.includes(k.hostSignal(sig));

/** rt_tgsigqueueinfo (pthread_sigqueue): a signal with its value for one thread of this process. */
function tgsigqueueinfo(k: Kernel, tgid: number, tid: number, sig: number, infoAddr: number): number {
  if (tgid !== k.pid) return -E.ESRCH;
  const full = queuedSiginfo(k, sig, infoAddr, true);
  if (typeof full === 'number') return full;
  if (!isOwnThread(k, tid)) return -E.ESRCH;
  if (sig === 0 || k.threads?.signalThread?.(tid, full)) return 0;
  k.queueSignal(full);
  return 0;
}

/**
 * pidfd_send_signal: to this process, as kill() or rt_sigqueueinfo() would; to another, the
 * host's call on the host pidfd (a siginfo's value does not go with it). Besides a pidfd,
 * Linux takes a descriptor of a /proc/<pid> directory here (psmisc's killall signals so).
 */
function pidfdSendSignal(k: Kernel, fd: number, sig: number, infoAddr: number, flags: number): number {
  if (flags !== 0) return -E.EINVAL;
  const f = k.file(fd);
  const procDir = f?.isDir ? /^\/proc\/(\d+)\/?$/.exec(f.path) : null;
  const target = procDir ? { hostFd: f!.hostFd, pid: Number(procDir[1]) } : pidfdTarget(k, fd);
  if (typeof target === 'number') return target;
  if (sig < 0 || sig > maxSignal(k)) return -E.EINVAL;
  if (target.pid === k.pid) return infoAddr ? sigqueueinfo(k, k.pid, sig, infoAddr) : killSelf(k, k.pid, sig, SI_USER);
  beforeSending(k, target.pid, sig, { code: SI_USER, pid: k.pid, uid: hostUid() });
  return libc().pidfdSendSignal(target.hostFd, sig === 0 ? 0 : k.hostSignal(sig));
}

/**
 * The siginfo a guest queues with signal `sig` (rt_sigqueueinfo, rt_tgsigqueueinfo), or
 * -errno. Signal 0 only checks (glibc's POSIX AIO "notifies" a zeroed sigevent so). A
 * process may not pretend to another to be the kernel or kill(): only negative codes then.
 */
function queuedSiginfo(k: Kernel, sig: number, infoAddr: number, toSelf: boolean): SigInfo | number {
  const info = readSiginfo(k, infoAddr);
  if (info === null) return -E.EFAULT;
  if (!toSelf && (info.code >= 0 || info.code === SI_TKILL)) return -E.EPERM;
  if (sig < 0 || sig > maxSignal(k)) return -E.EINVAL;
  return { ...info, signo: sig };
}

/** rt_sigqueueinfo (sigqueue): queued here with its siginfo; to another process, the host's call. */
function sigqueueinfo(k: Kernel, pid: number, sig: number, infoAddr: number): number {
  const info = queuedSiginfo(k, sig, infoAddr, pid === k.pid);
  if (typeof info === 'number') return info;
  if (pid !== k.pid) beforeSending(k, pid, sig, { code: info.code, pid: info.pid ?? k.pid, uid: info.uid ?? hostUid(), value: info.value });
  if (pid !== k.pid) return libc().sigqueue(pid, sig === 0 ? 0 : k.hostSignal(sig), info.code, info.value ?? 0);
  if (sig !== 0) k.queueSignal(info);
  return 0;
}

// ---- waiting ----

const nowMs = (): number => performance.now();

const sleepWord = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the whole emulator for ms milliseconds (a guest sleep nothing can interrupt). */
export function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(sleepWord, 0, 0, ms);
}

/**
 * Whether anything besides the calling thread can send it a signal: a timer, a caught host
 * signal, or, once the process has threads, another thread (pthread_kill) or the main
 * thread passing on one for the process.
 */
export function signalsCanArrive(k: Kernel): boolean {
  return k.threads !== null || k.timers.size > 0 || (k.ticker?.isTicking ?? false) || hearingHostSignals;
}

/** pause: waits until a signal is delivered; always returns EINTR. */
function pause(k: Kernel): number {
  if (k.signals.interruptIfDeliverable()) return -E.EINTR;
  throw new WaitForSignal(null);
}

export function sigsuspend(k: Kernel, mask: SigSet): number {
  const t = k.signals;
  // The wait may be re-run after an unwind: the mask to restore is the first one.
  t.suspendedMask ??= t.mask;
  t.mask = mask & ~unblockable(k);
  // A signal already pending that the new mask lets through is delivered as the call returns
  // (its frame restores the old mask): without the request it waited for the ticker's next
  // trip to the event loop, the guest calling sigsuspend again and again meanwhile.
  if (t.interruptIfDeliverable()) return -E.EINTR;
  throw new WaitForSignal(null);
}

/**
 * Sleeps until `until` (ms, performance.now()), or until a signal arrives: returns 0, or
 * -EINTR with the ms left. Without any signal source a plain host sleep is enough.
 */
function interruptibleSleep(k: Kernel, ms: number): { result: number; leftMs: number } {
  const t = k.signals;
  if (t.blockedUntil === null && !signalsCanArrive(k)) {
    sleepMs(ms);
    return { result: 0, leftMs: 0 };
  }
  t.blockedUntil ??= nowMs() + ms;
  for (;;) {
    const left = t.blockedUntil - nowMs();
    if (t.deliverable(t.mask)) {
      t.blockedUntil = null;
      return { result: -E.EINTR, leftMs: Math.max(0, left) };
    }
    if (left <= 0) {
      t.blockedUntil = null;
      return { result: 0, leftMs: 0 };
    }
    // (Not thrown where the thread can wait in place: a throw costs more than a short sleep.)
    if (k.waitInPlace === null) throw new WaitForSignal(t.blockedUntil);
    k.waitInPlace(t.blockedUntil, NO_SIGNALS);
  }
}

function readTimespecMs(k: Kernel, addr: number, is64: boolean): number | null {
  if (!k.mem.checkRange(addr, is64 ? 16 : 8, false)) return null;
  const le = k.mem.littleEndian;
  const s = is64 ? Number(k.mem.view.getBigInt64(addr, le)) : k.mem.view.getInt32(addr, le);
  // A 32-bit process's tv_nsec is 32 bits wide in the 64-bit layout too (the kernel drops the padding).
  const ns = is64 ? Number(BigInt.asIntN(32, k.mem.view.getBigInt64(addr + 8, le))) : k.mem.view.getInt32(addr + 4, le);
  if (ns < 0 || ns >= 1e9 || s < 0) return -1;
  return s * 1e3 + ns / 1e6;
}

function writeTimespecMs(k: Kernel, addr: number, ms: number, is64: boolean): void {
  writeTimespec(k, addr, BigInt(Math.round(ms * 1e6)), is64);
}

/** nanosleep / clock_nanosleep: interrupted by a handled signal with EINTR and the time left. */
export function sleepSyscall(k: Kernel, ms: number, rem: number, is64: boolean): number {
  const { result, leftMs } = interruptibleSleep(k, ms);
  if (result === -E.EINTR && rem && k.mem.checkRange(rem, is64 ? 16 : 8, true)) writeTimespecMs(k, rem, leftMs, is64);
  return result;
}

function sigtimedwait(k: Kernel, setAddr: number, infoAddr: number, timeout: number, is64: boolean): number {
  const t = k.signals;
  const set = readSigset(k, setAddr);
  if (set === null) return -E.EFAULT;
  const wanted = t.deliverable(~set & allSignals(k));
  if (wanted) {
    t.take(wanted);
    t.blockedUntil = null;
    if (infoAddr) {
      if (!k.mem.checkRange(infoAddr, 128, true)) return -E.EFAULT;
      writeSiginfo(k, infoAddr, wanted);
    }
    return wanted.signo;
  }
  let ms = Infinity;
  if (timeout) {
    const r = readTimespecMs(k, timeout, is64);
    if (r === null) return -E.EFAULT;
    if (r < 0) return -E.EINVAL;
    ms = r;
  }
  if (t.deliverable(t.mask)) {
    t.blockedUntil = null;
    return -E.EINTR;
  }
  if (ms === Infinity) throw new WaitForSignal(null, set);
  t.blockedUntil ??= nowMs() + ms;
  if (nowMs() >= t.blockedUntil) {
    t.blockedUntil = null;
    return -E.EAGAIN;
  }
  throw new WaitForSignal(t.blockedUntil, set);
}

// ---- timers ----

function ticker(k: Kernel): SignalTicker {
  return (k.ticker ??= new SignalTicker(k.signals.interrupt, k.signals.tick));
}

/** The clocks of the itimers: ITIMER_REAL elapsed time, ITIMER_VIRTUAL the process's user time, ITIMER_PROF all its CPU time. */
const ITIMER_CLOCKS: GuestTimer['cpu'][] = [undefined, 'user', 'all'];

/**
 * Now on a timer's clock (GuestTimer.cpu), in ms. The CPU time is that of urun's main thread,
 * which runs a single-threaded guest: the whole process's would count what Node and V8 do
 * beside it (the ticker Worker's start alone is ~30 ms), so a profiling timer fired while
 * the guest slept. (That thread's is user and system time together.) Once the guest has
 * threads, the clock goes on from there with the whole process's CPU time.
 */
export function clockMs(k: Kernel, cpu: GuestTimer['cpu']): number {
  if (cpu === undefined) return nowMs();
  let mainMs: number | null = null;
  try {
    mainMs = Number(libc().threadCpuNs()) / 1e6;
  } catch {
    // (no FFI on this host: the process's)
  }
  if (mainMs !== null && k.threads === null) return mainMs;
  const u = process.cpuUsage();
  const processMs = (cpu === 'user' ? u.user : u.user + u.system) / 1e3;
  if (mainMs === null) return processMs;
  const offsets = (k.cpuClockOffsets ??= {});
  offsets[cpu] ??= processMs - mainMs;
  return processMs - offsets[cpu];
}

/** The itimers (alarm, setitimer) a program keeps across execve: [slot, ms left, period ms]. */
export function itimersLeft(k: Kernel): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (const [slot, t] of k.timers) if (slot < POSIX_TIMER_SLOT) out.push([slot, Math.max(0, t.due - clockMs(k, t.cpu)), t.period]);
  return out;
}

/** Arms the itimers an execve kept (itimersLeft of the old program). */
export function keepItimers(k: Kernel, kept: [number, number, number][]): void {
  for (const [slot, left, period] of kept) armTimer(k, slot, itimer(k, slot, left, period));
}

/** Itimer `which` (ITIMER_REAL...) due in `first` ms on its clock, then every `period` ms. */
function itimer(k: Kernel, which: number, first: number, period: number): GuestTimer {
  const cpu = ITIMER_CLOCKS[which];
  return { signo: k.guestSignal(ITIMER_SIGNALS[which]), due: clockMs(k, cpu) + first, period, code: SI_KERNEL, value: 0, timerId: 0, overrun: 0, tid: 0, cpu };
}

/** How often (ms of elapsed time, at least) a one-shot CPU-time timer that has not come due is looked at again. */
const CPU_TIMER_RECHECK_MS = 10;

function armTimer(k: Kernel, slot: number, t: GuestTimer | null): void {
  if (t === null) {
    k.timers.delete(slot);
    k.ticker?.disarm(slot);
    return;
  }
  k.timers.set(slot, t);
  // A CPU-time timer comes due no sooner than its CPU time left has passed: the Worker wakes
  // the guest then, and as often again until it fired (timersFired reads the clock; an idle
  // process's timer does not fire).
  const before = clockMs(k, t.cpu);
  const left = t.due - before;
  ticker(k).arm(slot, left, t.cpu === undefined ? t.period : t.period || Math.max(left, CPU_TIMER_RECHECK_MS));
  // (Starting the ticker's Worker is urun's CPU time, not the guest's.)
  if (t.cpu !== undefined) t.due += clockMs(k, t.cpu) - before;
}

/**
 * Queues the signals of the timers that are due, and moves periodic ones on. The worker's
 * wake-up only makes the guest come back here: whether a timer fired is decided by its due
 * time on this thread's clock, so a late, lost or stale wake-up never loses or doubles one.
 */
export function timersFired(k: Kernel): void {
  if (k.timers.size === 0) return;
  const wall = nowMs();
  for (const [slot, t] of k.timers) {
    const now = t.cpu === undefined ? wall : clockMs(k, t.cpu);
    if (t.due > now) continue;
    // Expiries since the last look (a periodic timer may have passed several).
    let expiries = 1;
    if (t.period > 0) {
      t.due += t.period;
      for (; t.due <= now; expiries++) t.due += t.period;
    } else {
      k.timers.delete(slot);
      if (t.cpu !== undefined) k.ticker?.disarm(slot); // (it was woken periodically, see armTimer)
    }
    if (slot >= POSIX_TIMER_SLOT && t.queued !== undefined) {
      // A POSIX timer's signal still pending takes later expiries as its overrun (one signal
      // per timer, as Linux queues); once delivered, its count is timer_getoverrun's.
      if (signalPending(k, t.queued)) {
        t.queued.overrun = Math.min(t.queued.overrun! + expiries, DELAYTIMER_MAX);
        continue;
      }
      t.overrun = t.queued.overrun!;
    }
    const info: SigInfo = slot < POSIX_TIMER_SLOT ? { signo: t.signo, code: SI_KERNEL }
      : { signo: t.signo, code: k.abi.signalAbi.siTimer, timerId: t.timerId, overrun: expiries - 1, value: t.value };
    if (slot >= POSIX_TIMER_SLOT) t.queued = info;
    // (SIGEV_THREAD_ID: glibc's SIGEV_THREAD timers signal the helper thread that sigwaits for them.)
    if (t.signo > 0 && !(t.tid !== 0 && k.threads?.signalThread?.(t.tid, info))) k.queueSignal(info);
  }
}

/** The largest overrun count Linux keeps (DELAYTIMER_MAX). */
const DELAYTIMER_MAX = 0x7fffffff;

/**
 * Whether a signal this kernel queued is still pending (not yet delivered or taken by a wait).
 * With threads: while every thread blocks it (one handed to a thread counts as delivered).
 */
function signalPending(k: Kernel, info: SigInfo): boolean {
  return k.threads ? k.threads.holdsPending?.(info) ?? false : k.signals.pending.includes(info);
}

/** timer_getoverrun: the overrun count of the timer's last signal delivered. */
function timerGetoverrun(k: Kernel, id: number): number {
  if (!k.posixTimers.has(id)) return -E.EINVAL;
  const t = k.timers.get(POSIX_TIMER_SLOT + id);
  if (t === undefined) return 0;
  return t.queued !== undefined && !signalPending(k, t.queued) ? t.queued.overrun! : t.overrun;
}

/**
 * When the next armed timer on elapsed time is due (ms, performance.now()), or null: a signal
 * wait ends then at the latest. (A CPU-time one does not come due while the process waits.)
 */
export function nextTimerDue(k: Kernel): number | null {
  let next: number | null = null;
  for (const t of k.timers.values()) if (t.cpu === undefined && (next === null || t.due < next)) next = t.due;
  return next;
}

/** The time left and period of a timer slot, in ms. */
function timerState(k: Kernel, slot: number): { left: number; period: number } {
  const t = k.timers.get(slot);
  return t ? { left: Math.max(0.001, t.due - clockMs(k, t.cpu)), period: t.period } : { left: 0, period: 0 };
}

const usToMs = (sec: number, usec: number) => sec * 1e3 + usec / 1e3;

function writeItimerval(k: Kernel, addr: number, s: { left: number; period: number }): void {
  const tv = (ms: number) => [Math.floor(ms / 1e3), Math.round((ms % 1e3) * 1e3)];
  const [is, iu] = tv(s.period), [vs, vu] = tv(s.left);
  new StructWriter(k.mem, addr).i32(0, is).i32(4, iu).i32(8, vs).i32(12, vu);
}

function setitimer(k: Kernel, which: number, value: number, old: number): number {
  if (which < 0 || which > 2) return -E.EINVAL;
  if (old) {
    if (!k.mem.checkRange(old, 16, true)) return -E.EFAULT;
    writeItimerval(k, old, timerState(k, which));
  }
  if (!value) return 0;
  if (!k.mem.checkRange(value, 16, false)) return -E.EFAULT;
  const r = (o: number) => k.mem.read32(value + o) | 0;
  if (r(4) < 0 || r(4) >= 1e6 || r(12) < 0 || r(12) >= 1e6) return -E.EINVAL;
  const period = usToMs(r(0), r(4)), first = usToMs(r(8), r(12));
  armTimer(k, which, first === 0 ? null : itimer(k, which, first, period));
  return 0;
}

function alarm(k: Kernel, seconds: number): number {
  const { left } = timerState(k, 0);
  armTimer(k, 0, seconds === 0 ? null : {
    signo: k.guestSignal(SIGALRM), due: nowMs() + seconds * 1e3, period: 0, code: SI_KERNEL, value: 0, timerId: 0, overrun: 0, tid: 0,
  });
  // Linux rounds the seconds left to the nearest, but never to 0 (alarm_setitimer).
  if (left <= 0) return 0;
  const secs = Math.floor(left / 1e3), usecs = Math.floor((left - secs * 1e3) * 1e3);
  return secs === 0 || usecs >= 500000 ? secs + 1 : secs;
}

function timerCreate(k: Kernel, clock: number, sevp: number, idOut: number): number {
  // (A timer on a thread's CPU-time clock runs on elapsed time: the thread's CPU time is
  // its host thread's, which the timers, kept by the process, do not read.)
  if (clockNs(clock) === null) return -E.EINVAL;
  // As many as RLIMIT_SIGPENDING allows: Linux gives each its queued signal ahead, which counts.
  if (BigInt(k.posixTimers.size) >= k.rlimit('sigpending')[0]) return -E.EAGAIN;
  let id = 0;
  while (k.posixTimers.has(id)) id++;
  let ev = { signo: k.guestSignal(SIGALRM), value: id, notify: SIGEV_SIGNAL, tid: 0, clock };
  if (sevp) {
    if (!k.mem.checkRange(sevp, 16, false)) return -E.EFAULT;
    const notify = k.mem.read32(sevp + 8);
    ev = { value: k.mem.read32(sevp) | 0, signo: k.mem.read32(sevp + 4), notify, tid: notify === SIGEV_THREAD_ID ? k.mem.read32(sevp + 12) : 0, clock };
    if (ev.notify !== SIGEV_SIGNAL && ev.notify !== SIGEV_NONE && ev.notify !== SIGEV_THREAD_ID) return -E.EINVAL;
    if (ev.notify !== SIGEV_NONE && (ev.signo < 1 || ev.signo > maxSignal(k))) return -E.EINVAL;
    // SIGEV_THREAD_ID names a thread of this process.
    if (ev.notify === SIGEV_THREAD_ID && !isOwnThread(k, ev.tid)) return -E.EINVAL;
  }
  if (!k.mem.checkRange(idOut, 4, true)) return -E.EFAULT;
  k.posixTimers.set(id, ev);
  k.mem.write32(idOut, id);
  return 0;
}

function timerSettime(k: Kernel, id: number, flags: number, value: number, old: number, is64: boolean): number {
  const ev = k.posixTimers.get(id);
  if (!ev) return -E.EINVAL;
  const ts = is64 ? 16 : 8;
  if (old && timerGettime(k, id, old, is64) < 0) return -E.EFAULT;
  const period = readTimespecMs(k, value, is64), first = readTimespecMs(k, value + ts, is64);
  if (period === null || first === null) return -E.EFAULT;
  if (period < 0 || first < 0) return -E.EINVAL;
  const cpu = isProcessCpuClock(ev.clock) ? 'all' : undefined;
  // TIMER_ABSTIME: a time on the timer's clock, as clock_gettime reads it.
  const due = clockMs(k, cpu) + (flags & 1 ? first - Number(clockNs(ev.clock, k)!) / 1e6 : first);
  armTimer(k, POSIX_TIMER_SLOT + id, first === 0 ? null : {
    signo: ev.notify === SIGEV_NONE ? 0 : ev.signo, due, period, code: k.abi.signalAbi.siTimer, value: ev.value, timerId: id, overrun: 0, tid: ev.tid, cpu,
  });
  return 0;
}

function timerGettime(k: Kernel, id: number, out: number, is64: boolean): number {
  if (!k.posixTimers.has(id)) return -E.EINVAL;
  const ts = is64 ? 16 : 8;
  if (!k.mem.checkRange(out, 2 * ts, true)) return -E.EFAULT;
  const s = timerState(k, POSIX_TIMER_SLOT + id);
  writeTimespecMs(k, out, s.period, is64);
  writeTimespecMs(k, out + ts, s.left, is64);
  return 0;
}

function timerDelete(k: Kernel, id: number): number {
  if (!k.posixTimers.delete(id)) return -E.EINVAL;
  armTimer(k, POSIX_TIMER_SLOT + id, null);
  return 0;
}

// ---- host signals ----

/**
 * Listens for each host signal the guest handles or ignores, and leaves the rest without
 * a listener: the host's default action then kills urun as it would the native program
 * (for SIGUSR1 too, see the CLI). The ticker polls while some host signal has a handler.
 */
const SIGCHLD_HOST = 17;
let childrenIgnored = false;
/**
 * Stop signals the guest ignores, which the host ignores for urun's process: a listener would
 * turn the host kernel's job control against urun (a background read of the terminal by a
 * process that catches SIGTTIN is sent SIGTTIN and restarted, again and again; one that
 * ignores it gets EIO, as the guest should).
 */
const stopsIgnored = new Set<number>();
/** Host signals whose listener is to be removed at the event loop's next turn. */
const leaving = new Set<number>();
/**
 * Whether Node listens for some host signal for the guest: one that comes is then acted on
 * only at the event loop (a wait must go there, not sleep in place, see interruptibleSleep).
 */
let hearingHostSignals = false;
/**
 * Whether a host signal may have come that Node caught but the guest has not heard of yet:
 * Node runs a signal's listener only at the event loop, which a guest that computes (a
 * forked child, whose ticker waits) may not have visited since it came.
 */
export const hostSignalsHeard = (): boolean => hearingHostSignals;
/** Host signals routed to the guest so far (see quietHostSignalsForExec). */
let routedSignals = 0;
export const hostSignalsRouted = (): number => routedSignals;
/** Host signals whose listener quietHostSignalsForExec took from the host kernel. */
const quieted = new Set<number>();

/**
 * Before an execve of a host program. A signal Node has caught acts only when its listener
 * runs, at the event loop: one caught just before the host program replaces urun would be
 * lost. So the host's default action comes back now for the signals the guest neither
 * blocks nor ignores (what the program will have: one that comes from now on acts as after
 * the exec), and the caller visits the event loop, where the signals caught before are
 * delivered to the guest, before the call runs again. Returns hostSignalsRouted() first.
 */
export function quietHostSignalsForExec(k: Kernel): number {
  for (const host of CATCHABLE_HOST) {
    if (!listening(host)) continue;
    const sig = k.guestSignal(host);
    if ((k.signals.mask & sigBit(sig)) !== 0n || k.disposition(sig).handler === SIG_IGN) continue;
    park(host);
    quieted.add(host);
  }
  return routedSignals;
}

/** The exec did not happen (a signal came, whose handler ran): Node's handlers back for the signals quieted. */
export function unquietHostSignals(): void {
  for (const host of quieted) if (!leaving.has(host)) unpark(host);
  quieted.clear();
}
const noteListeners = (): void => {
  hearingHostSignals = CATCHABLE_HOST.some(listening);
};

/** The guest signals an open signalfd waits for: urun listens for them as for handled ones. */
const signalfdSignals = (k: Kernel): SigSet => k.signalfdSignals?.() ?? NO_SIGNALS;

/** The kernel whose dispositions the host listeners follow (the last listenForHostSignals's). */
let listenedFor: Kernel | null = null;

/**
 * A signal at its default action that the guest blocks: another process's kill of it must
 * wait as pending (for sigwait, sigpending, or the unblock that acts on it), not end urun as
 * the host's default action would, so urun listens for it too. Threads in Workers change
 * their masks without the main thread hearing of it: while the process has threads, urun
 * listens for every signal at its default action, and routeHostSignalsTo acts as their
 * masks say when one comes.
 */
const blockedAtDefault = (k: Kernel, host: number): boolean => {
  const sig = k.guestSignal(host);
  // (Under gdb too: a signal from another process reaches gdb's stop before the guest dies
  // of it, as under gdbserver, instead of ending urun at once and gdb's connection with it.)
  return (k.threads !== null || debuggerAttached() || (k.signals.mask & sigBit(sig)) !== 0n) && k.disposition(sig).handler === SIG_DFL;
};

/** The guest signals urun may listen for (CATCHABLE_HOST in the guest's numbering), by ABI. */
const catchableGuest = new WeakMap<object, SigSet>();

/**
 * After the main thread's mask changed from `old`: the listeners of signals at their default
 * action whose blocking changed (see blockedAtDefault).
 */
function maskChanged(k: Kernel, old: SigSet): void {
  // (glibc blocks every signal for a moment around pthread_create, raise, fork...: listening
  // for all of them and letting them go again at each would only churn Node's handlers.)
  if (inGuestThreadWorker || blocksNearlyAll(k.signals.mask) || blocksNearlyAll(old)) return;
  let set = catchableGuest.get(k.abi);
  if (set === undefined) catchableGuest.set(k.abi, (set = CATCHABLE_HOST.reduce((m, h) => m | sigBit(k.guestSignal(h)), NO_SIGNALS)));
  const changed = (old ^ k.signals.mask) & set;
  if (changed === 0n) return;
  for (const host of CATCHABLE_HOST) {
    const sig = k.guestSignal(host);
    if ((changed & sigBit(sig)) !== 0n && k.disposition(sig).handler === SIG_DFL) listenForHostSignals(k, host);
  }
}
const inGuestThreadWorker = process.argv.includes(GUEST_THREAD_ARG);
/** Whether a mask blocks all but a few of the 31 standard signals. */
const blocksNearlyAll = (mask: SigSet): boolean => {
  let n = 0;
  for (let low = Number(mask & 0x7fffffffn); low !== 0; low &= low - 1) n++;
  return n >= 28;
};

/** A parked listener's second step (see listenForHostSignals): gone, unless the guest wants it again. */
function leave(host: number): void {
  leaving.delete(host);
  // (The kernel listened for now: an exec since may have made a new one, which handles it.)
  const now = listenedFor!;
  const sig = now.guestSignal(host);
  if (now.disposition(sig).handler === SIG_DFL && (signalfdSignals(now) & sigBit(sig)) === 0n && !blockedAtDefault(now, host)) {
    unlisten(host);
  }
  noteListeners();
  // The last one gone: the guest's ticking back to what its handlers need.
  if (leaving.size === 0) listenForHostSignals(now, host);
}

export function listenForHostSignals(k: Kernel, changed?: number): void {
  listenedFor = k;
  // After a rt_sigaction only the host signal it changed needs its listener looked at (Go
  // sets a handler for every signal at start: ~130 calls).
  const watchedSet = signalfdSignals(k);
  let handled = false;
  for (const host of CATCHABLE_HOST) {
    // (A host signal the guest's ABI has no twin of: its default action, as before any handler.)
    if (k.hostSignal(k.guestSignal(host)) !== host) continue;
    const { handler } = k.disposition(k.guestSignal(host));
    const watched = (watchedSet & sigBit(k.guestSignal(host))) !== 0n;
    if ((handler !== SIG_DFL && handler !== SIG_IGN) || watched) handled = true;
    if (changed !== undefined && host !== changed) continue;
    // SIGCHLD ignored for real: the host kernel then reaps the children itself, as Linux
    // does for a process that ignores SIGCHLD (wait then reports ECHILD).
    const ignoreChildren = host === SIGCHLD_HOST && handler === SIG_IGN;
    const ignoreStop = STOP_SIGNALS.has(host) && handler === SIG_IGN;
    const want = (handler !== SIG_DFL || watched || blockedAtDefault(k, host)) && !ignoreChildren && !ignoreStop;
    const has = listening(host);
    // A listener for a signal the guest ignores goes now; one for a signal back to its
    // default is parked now and goes two turns of the event loop later (see parked): a
    // signal caught before, its callback not run yet, acts then as the disposition says
    // (death by it). The second turn polls after the park, whatever phase the guest runs in.
    if (!want && has) {
      if (handler !== SIG_DFL) unlisten(host);
      else {
        park(host);
        if (!leaving.has(host)) {
          leaving.add(host);
          setImmediate(() => setImmediate(() => leave(host)));
        }
      }
    }
    // Between the listener's removal (which puts the host's default back) and a new listener
    // (whose host handler the default would otherwise replace: a handler set after SIG_IGN
    // would never hear of a child).
    if (host === SIGCHLD_HOST && ignoreChildren !== childrenIgnored) {
      childrenIgnored = ignoreChildren;
      libc().setSignalDisposition(host, ignoreChildren ? 1 : 0);
    }
    if (STOP_SIGNALS.has(host) && ignoreStop !== stopsIgnored.has(host)) {
      if (ignoreStop) stopsIgnored.add(host);
      else stopsIgnored.delete(host);
      libc().setSignalDisposition(host, ignoreStop ? 1 : 0);
    }
    if (want && !has) listen(host);
    if (want) unpark(host);
  }
  noteListeners();
  // Other urun processes say who sends the signals it now hears (senders.ts).
  if (hearingHostSignals) openInbox();
  // A forked child with its parent's handlers usually execs within a few milliseconds:
  // its ticker (a Worker, tens of milliseconds of CPU to start) waits (see deferTicking).
  const deferred = k.tickDeferredUntil !== null && cpuMs() < k.tickDeferredUntil;
  if (!deferred) k.tickDeferredUntil = null;
  // A listener that is leaving goes only at the event loop, and until then a signal it
  // catches waits there too (a guest that computes without syscalls would run on, past a
  // SIGTERM, and exit as if none had come): the guest ticks until it has gone.
  const tick = (handled && !deferred) || leaving.size > 0;
  if (tick || k.ticker) ticker(k).setTicking(tick);
}

/**
 * How much CPU a forked child spends on its parent's handlers before its ticker starts:
 * about what starting the ticker costs. (CPU, not wall-clock time: on a loaded machine a
 * child that execs at once can take tens of milliseconds to get there.)
 */
const FORK_TICK_DELAY_CPU_MS = 50;

/** CPU time this process has used, in ms. */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};

/**
 * In a forked child: the ticker that takes the guest to the event loop for host signals
 * starts only after FORK_TICK_DELAY_CPU_MS, at a syscall (tickIfDue), or when the guest
 * sets a handler itself. A child that computes without a syscall for longer, on handlers
 * it inherited, notices host signals only at its next syscall or wait.
 */
export function deferTicking(k: Kernel): void {
  k.tickDeferredUntil = cpuMs() + FORK_TICK_DELAY_CPU_MS;
}

/** After a syscall, with the ticker deferred: starts it once the delay is over. */
export function tickIfDue(k: Kernel): void {
  if (k.tickDeferredUntil === null || cpuMs() < k.tickDeferredUntil) return;
  k.tickDeferredUntil = null;
  listenForHostSignals(k);
}

function routeHostSignal(name: NodeJS.Signals): void {
  const host = Object.entries(SIGNAL_NAMES).find(([, n]) => n === name);
  if (host) routeHost(Number(host[0]));
}

/** A host signal urun listened for: to the guest (routeHostSignalsTo). */
function routeHost(host: number): void {
  routedSignals++;
  hostSignalRoute.deliver(host);
}

/** Makes host signals Node catches go to this kernel. */
export function routeHostSignalsTo(k: Kernel): void {
  hostSignalRoute.deliver = (host) => {
    const sig = k.guestSignal(host);
    const { handler } = k.disposition(sig);
    if (handler === SIG_IGN) return;
    // A blocked signal stays pending (for a signalfd, sigwait) instead of acting.
    const blocked = k.threads !== null ? !(k.threads.letsThrough?.(sig, null) ?? true) : (k.signals.mask & sigBit(sig)) !== 0n;
    if (handler === SIG_DFL && STOP_SIGNALS.has(host) && !blocked) {
      // A stop signal at its default (its listener leaving, or there for a blocked one since
      // unblocked): urun's process stops by it, without the listener, which would catch it again.
      unlisten(host);
      noteListeners();
      process.kill(process.pid, SIGNAL_NAMES[host]);
      return;
    }
    // (Under gdb it is queued as any other: gdb stops for it before the guest dies of it.)
    if (handler === SIG_DFL && !IGNORED_BY_DEFAULT.has(host) && !blocked && !debuggerAttached()) dieBySignal(host);
    // Node gives no siginfo: a SIGCHLD's is the child whose change is waiting to be reaped
    // (none: a wait collected it, and may have described it already).
    const sender = takeSender(host);
    const change = host === SIGCHLD_HOST ? pendingChildChange(k) : {};
    if (change === null) return;
    if (host === SIGCHLD_HOST && change.pid === undefined) {
      if (takeDescribedAtWait()) return;
      // No child has a change to tell, and no urun process sent it: a stop or continue the
      // child has left since (a wait collected its exit, and told it), as when a continued
      // child exits before the listener runs. None under SA_NOCLDSTOP.
      if (sender.pid === undefined && !stopsRaiseSigchld(k)) return;
    }
    if (host === SIGCHLD_HOST && change.pid !== undefined) {
      // SA_NOCLDSTOP: no SIGCHLD when a child stops or continues. SA_NOCLDWAIT: the child
      // that ended is reaped now, as Linux never leaves it for a wait.
      if (!raisesSigchld(k, change.code)) return;
      reapIfUnwaited(k, change.pid, change.code);
    }
    signalProcess(k, sig, { ...sender, ...change });
  };
}

// ---- delivery ----

/** The si_code a fault's signal carries. */
function faultCode(k: Kernel, f: GuestFault): number {
  if (f.code !== undefined) return f.code;
  switch (f.signal) {
    case SIGSEGV: return k.mem.isMapped(f.addr >>> PAGE_SHIFT) ? SEGV_ACCERR : SEGV_MAPERR;
    case SIGBUS: return BUS_ADRALN;
    case SIGILL: return ILL_ILLOPC;
    case SIGFPE: return FPE_INTDIV;
    case SIGTRAP: return TRAP_BRKPT;
    default: return SI_KERNEL;
  }
}

/**
 * A synchronous fault at cpu.pc: enters the guest's handler, or (no handler, or the signal
 * blocked or ignored: the kernel forces the default then) rethrows it to end the process.
 */
export function deliverFault(k: Kernel, f: GuestFault): void {
  const signo = k.guestSignal(f.signal);
  const act = k.disposition(signo);
  const blocked = (k.signals.mask & sigBit(signo)) !== 0n;
  if (act.handler === SIG_DFL || act.handler === SIG_IGN || blocked) throw f;
  // cpu.pc is on the faulting instruction (without ARM's Thumb bit, as instructions record it).
  const addr = f.atPc ? k.cpu!.pc & ~1 : f.addr;
  const code = faultCode(k, f);
  // A signal the kernel sends with force_sig (SI_KERNEL: a MIPS trap instruction, reserved
  // instruction, BRK_BUG) carries no address: si_pid and si_uid, there, are 0.
  enterHandler(k, { signo, code, addr: code === SI_KERNEL || f.noAddress ? 0 : addr >>> 0 }, act);
}

/** Whether the process stopped itself (raise(SIGSTOP)) and was continued since the run loop last looked. */
let resumedFromStop = false;
export function takeResumedFromStop(): boolean {
  const r = resumedFromStop;
  resumedFromStop = false;
  return r;
}

/** Delivers every pending signal the thread does not block: handlers are entered (nested, the last one first). */
export function deliverPending(k: Kernel): void {
  const t = k.signals;
  for (let info = t.deliverable(t.mask); info !== null; info = t.deliverable(t.mask)) {
    t.take(info);
    const act = k.disposition(info.signo);
    if (act.handler === SIG_IGN) continue;
    if (act.handler === SIG_DFL) {
      const host = k.hostSignal(info.signo);
      if (IGNORED_BY_DEFAULT.has(host)) continue;
      // A stop signal the process sent itself (raise(SIGTSTP)): urun's process stops by it, so
      // its parent's waitpid (WUNTRACED) and a shell's job control see it; SIGCONT resumes it.
      if (STOP_SIGNALS.has(host)) {
        process.kill(process.pid, host);
        // Continued: the SIGCONT that did it reaches its listener only in the event loop, and
        // its handler runs before the guest goes on (as the syscall returns, on Linux).
        resumedFromStop = true;
        t.requestInterrupt();
        continue;
      }
      throw new GuestExit(128 + host, host);
    }
    enterHandler(k, info, act);
  }
  // A sigsuspend whose signal needed no handler gets its mask back all the same.
  if (t.suspendedMask !== null) {
    t.mask = t.suspendedMask;
    t.suspendedMask = null;
  }
}

function enterHandler(k: Kernel, info: SigInfo, act: SigAction): void {
  const t = k.signals;
  const oldMask = t.suspendedMask ?? t.mask;
  t.suspendedMask = null;
  const siginfo = (act.flags & k.abi.signalAbi.saSiginfo) !== 0;
  if (!k.frames!.enter(info, act, siginfo, oldMask, t)) {
    // No room for the frame (a stack overflow without an alternate stack): SIGSEGV, uncatchable now.
    throw new GuestExit(128 + SIGSEGV, SIGSEGV);
  }
  t.mask = (oldMask | act.mask | ((act.flags & SA_NODEFER) !== 0 ? NO_SIGNALS : sigBit(info.signo))) & ~unblockable(k);
  // SA_RESETHAND resets the handler alone: its flags and mask stay, as sigaction shows.
  if (act.flags & SA_RESETHAND) {
    const reset = { ...act, handler: SIG_DFL };
    k.sigactions.set(info.signo, reset);
    k.onHandlerReset?.(info.signo, reset);
  }
}

/** sigreturn / rt_sigreturn asked at the end of the last block: restores the frame's context and mask. */
export function finishSigreturn(k: Kernel): void {
  const t = k.signals;
  const kind = t.sigreturn;
  if (kind === null) return;
  t.sigreturn = null;
  const mask = k.frames!.restore(kind === 'rt', t);
  if (mask === null) throw new GuestExit(128 + SIGSEGV, SIGSEGV);
  t.mask = mask & ~unblockable(k);
}

/** Whether the stack pointer a frame goes below should move to the alternate stack. */
export function frameStackTop(t: ThreadSignals, act: SigAction, sp: number): number {
  if ((act.flags & SA_ONSTACK) !== 0 && t.altStack.enabled && !t.onAltStack(sp)) return (t.altStack.sp + t.altStack.size) >>> 0;
  return sp >>> 0;
}

// ---- the records ----

const R = (name: string, args: ArgKind[], run: SyscallRecord['run']): SyscallRecord => ({ name, args, run });

/** Ends the block and has the runner restore the signal frame (the registers are not the syscall's to set). */
function sigreturn(k: Kernel, kind: 'rt' | 'plain'): number {
  k.signals.sigreturn = kind;
  k.signals.requestInterrupt();
  return 0;
}

/**
 * The old non-rt calls (one-word sets) are here too: glibc uses only the rt_ ones on these
 * arches, but other C libraries and old programs do not. Their sigaction and sigsuspend
 * differ per arch (src/syscalls/arch).
 */
type SyscallRun = SyscallRecord['run'];
/** A call whose argument `at` is the size of the caller's sigset_t: EINVAL unless it is the kernel's (16 bytes on MIPS, 8 elsewhere). */
const sigsetSized = (at: number, run: SyscallRun): SyscallRun => (k, a) => (a[at] !== k.abi.sigsetBytes ? -E.EINVAL : run(k, a));

export const SIGNAL_SYSCALLS: SyscallRecord[] = [
  R('sigprocmask', ['how', 'ptr', 'ptr'], (k, a) => sigprocmask(k, a[0], a[1], a[2], true)),
  R('sigpending', ['ptr'], (k, a) => (writeWord(k, a[0], k.signals.pendingSet()) ? 0 : -E.EFAULT)),
  // The rt_ calls take the size of the caller's sigset_t, which must be the kernel's (see
  // sigsetSized); rt_sigpending takes a smaller one and fills only that much.
  R('rt_sigaction', ['sig', 'ptr', 'ptr', 'uint'], sigsetSized(3, (k, a) => rtSigaction(k, a[0], a[1], a[2]))),
  R('rt_sigprocmask', ['how', 'ptr', 'ptr', 'uint'], sigsetSized(3, (k, a) => sigprocmask(k, a[0], a[1], a[2]))),
  R('rt_sigpending', ['ptr', 'uint'], (k, a) => {
    if (a[1] >>> 0 > k.abi.sigsetBytes) return -E.EINVAL;
    return writeSigset(k, a[0], k.signals.pendingSet(), a[1] >>> 0) ? 0 : -E.EFAULT;
  }),
  R('rt_sigsuspend', ['ptr', 'uint'], sigsetSized(1, (k, a) => {
    const set = readSigset(k, a[0]);
    return set === null ? -E.EFAULT : sigsuspend(k, set);
  })),
  R('pause', [], (k) => pause(k)),
  R('rt_sigtimedwait', ['ptr', 'ptr', 'ptr', 'uint'], sigsetSized(3, (k, a) => sigtimedwait(k, a[0], a[1], a[2], false))),
  R('rt_sigtimedwait_time64', ['ptr', 'ptr', 'ptr', 'uint'], sigsetSized(3, (k, a) => sigtimedwait(k, a[0], a[1], a[2], true))),
  R('rt_sigqueueinfo', ['int', 'sig', 'ptr'], (k, a) => sigqueueinfo(k, a[0] | 0, a[1], a[2])),
  R('rt_tgsigqueueinfo', ['int', 'int', 'sig', 'ptr'], (k, a) => tgsigqueueinfo(k, a[0] | 0, a[1] | 0, a[2], a[3])),
  R('sigaltstack', ['ptr', 'ptr'], (k, a) => sigaltstack(k, a[0], a[1])),
  R('kill', ['int', 'sig'], (k, a) => kill(k, a[0] | 0, a[1])),
  R('pidfd_send_signal', ['fd', 'sig', 'ptr', 'hex'], (k, a) => pidfdSendSignal(k, a[0], a[1], a[2], a[3])),
  R('tkill', ['int', 'sig'], (k, a) => killSelf(k, a[0] | 0, a[1], SI_TKILL)),
  R('tgkill', ['int', 'int', 'sig'], (k, a) => tgkill(k, a[0] | 0, a[1] | 0, a[2])),
  R('alarm', ['uint'], (k, a) => alarm(k, a[0] >>> 0)),
  R('setitimer', ['int', 'ptr', 'ptr'], (k, a) => setitimer(k, a[0], a[1], a[2])),
  R('getitimer', ['int', 'ptr'], (k, a) => {
    if (a[0] < 0 || a[0] > 2) return -E.EINVAL;
    if (!k.mem.checkRange(a[1], 16, true)) return -E.EFAULT;
    writeItimerval(k, a[1], timerState(k, a[0]));
    return 0;
  }),
  R('timer_create', ['clock', 'ptr', 'ptr'], (k, a) => timerCreate(k, a[0], a[1], a[2])),
  R('timer_settime', ['int', 'int', 'ptr', 'ptr'], (k, a) => timerSettime(k, a[0], a[1], a[2], a[3], false)),
  R('timer_settime64', ['int', 'int', 'ptr', 'ptr'], (k, a) => timerSettime(k, a[0], a[1], a[2], a[3], true)),
  R('timer_gettime', ['int', 'ptr'], (k, a) => timerGettime(k, a[0], a[1], false)),
  R('timer_gettime64', ['int', 'ptr'], (k, a) => timerGettime(k, a[0], a[1], true)),
  R('timer_getoverrun', ['int'], (k, a) => timerGetoverrun(k, a[0])),
  R('timer_delete', ['int'], (k, a) => timerDelete(k, a[0])),
  R('sigreturn', [], (k) => sigreturn(k, 'plain')),
  R('rt_sigreturn', [], (k) => sigreturn(k, 'rt')),
];
