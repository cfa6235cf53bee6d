// Process syscalls: creation (fork, vfork, clone), execve, exit, waiting, identity and
// groups, kill. Guest pids are host pids (one guest process is one host process), so
// waiting, groups and sessions are the host kernel's; statuses and signal numbers are
// converted to the guest's numbering at this edge.
import { StructWriter } from './abi.js';
import { E } from './errno.js';
import type { Kernel, CloneRequest } from './kernel.js';
import { hostFile, SIG_DFL, SIG_IGN } from './kernel.js';
import type { ArgKind, SyscallRecord } from './records.js';
import { libc } from '../host/libc.js';
import { bytesToString } from '../host/bytes.js';
import { GuestExit, type SigInfo } from '../engine/signals.js';
import * as fs from 'node:fs';
import { dropSpare, guestChildren, hasGuestChildren, isSpare } from '../engine/lifecycle.js';
import { POLLIN, type HostWait } from '../engine/signals.js';
import { waitForFds } from './blocking.js';
import { startThread } from './threads.js';
import { askChildSetpgid, forgetChild } from '../engine/kin.js';
import { MAX_ARG_STRLEN, MAX_ARG_TOTAL } from '../elf/load.js';

const CLONE_VM = 0x100, CLONE_VFORK = 0x4000, CLONE_THREAD = 0x10000;

/** Reads a NULL-terminated array of C strings (argv, envp); a negative errno if it cannot. */
function stringArray(k: Kernel, addr: number): string[] | number {
  const out: string[] = [];
  if (addr === 0) return out;
  let total = 0;
  for (let i = 0; ; i++) {
    if (!k.mem.checkRange(addr + 4 * i, 4, false)) return -E.EFAULT;
    const p = k.mem.read32(addr + 4 * i);
    if (p === 0) return out;
    const s = k.mem.readCBytes(p, MAX_ARG_STRLEN);
    if (s === null) return k.mem.readCBytes(p, 1 << 30) === null ? -E.EFAULT : -E.E2BIG;
    total += s.length + 1 + 4;
    if (total > MAX_ARG_TOTAL) return -E.E2BIG;
    out.push(bytesToString(s));
  }
}

function execve(k: Kernel, pathAddr: number, argvAddr: number, envpAddr: number, dirfd: number, flags: number): number {
  const AT_EMPTY_PATH = 0x1000;
  const name = k.mem.readCBytes(pathAddr);
  if (name === null) return -E.EFAULT;
  let file = name.toString('utf8');
  if (file === '') {
    const f = (flags & AT_EMPTY_PATH) !== 0 ? k.file(dirfd) : null;
    if (!f) return (flags & AT_EMPTY_PATH) !== 0 ? -E.EBADF : -E.ENOENT;
    file = f.path;
  } else if (!file.startsWith('/') && dirfd !== -100) {
    const base = k.file(dirfd);
    if (!base) return -E.EBADF;
    file = `${base.path}/${file}`;
  }
  const argv = stringArray(k, argvAddr);
  if (typeof argv === 'number') return argv;
  const envp = stringArray(k, envpAddr);
  if (typeof envp === 'number') return envp;
  return k.process ? k.process.exec(file, argv, envp) : -E.ENOSYS;
}

function clone(k: Kernel, req: CloneRequest): number {
  if (req.flags & CLONE_THREAD) return startThread(k, req);
  if (!k.process) return -E.ENOSYS;
  // glibc's posix_spawn (system, popen) gives its vfork child a stack of its own and runs only
  // descriptor set-up and execve there: that child runs in place. A plain vfork() child
  // shares the caller's stack (no stack, or MIPS glibc's vfork passing the caller's sp) and
  // may do anything (busybox's timeout vforks again and signals its getppid()): it gets a
  // copy of the process, as under qemu-user.
  if (req.flags & CLONE_VFORK) {
    const callerSp = k.cpu ? k.cpu.R[k.abi.stackRegister] >>> 0 : 0;
    const ownStack = req.stack !== 0 && req.stack !== callerSp;
    return req.flags & CLONE_VM && ownStack ? k.process.vfork(req) : k.process.fork(req);
  }
  if (req.flags & CLONE_VM) {
    k.warnOnce('clone-vm', `urun: clone of a process sharing memory (flags 0x${(req.flags >>> 0).toString(16)}) is not supported: returning ENOSYS`);
    return -E.ENOSYS;
  }
  return k.process.fork(req);
}

/** A wait status with the signal numbers in it renumbered for the guest. */
function guestStatus(k: Kernel, st: number): number {
  const low = st & 0x7f;
  if (low === 0 || st === 0xffff) return st; // exited, continued
  if ((st & 0xff) === 0x7f) return (k.guestSignal((st >> 8) & 0xff) << 8) | 0x7f; // stopped
  return (st & ~0x7f) | k.guestSignal(low); // killed (core-dump bit kept)
}

/** The host's struct rusage (x86-64, 144 bytes) as a 32-bit guest's (72 bytes). */
function writeRusage(k: Kernel, addr: number, host: Buffer): void {
  const w = new StructWriter(k.mem, addr);
  for (let i = 0; i < 18; i++) w.i32(4 * i, Number(host.readBigInt64LE(8 * i)));
}

const WNOHANG = 1, WUNTRACED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x1000000;
/** Every option waitid takes: the above and __WNOTHREAD, __WALL, __WCLONE. */
const WAITID_OPTIONS = WNOHANG | WUNTRACED | WEXITED | WCONTINUED | WNOWAIT | 0x20000000 | 0x40000000 | 0x80000000;
/** Whether a wait status is an exit or a death (the child is reaped), not a stop or a continue. */
const exitedOrKilled = (st: number): boolean => (st & 0xff) !== 0x7f && st !== 0xffff;
const P_ALL = 0, P_PID = 1, P_PGID = 2;

/**
 * Host pidfds of the children a wait is waiting for, by pid. Process-wide (one guest process
 * is this host process, across its guest execs): pidfds are opened on the first wait that
 * needs them and closed once their child is no longer ours (reaped).
 */
const childPidfds = new Map<number, number>();

/** The children a wait covers: one, those of a process group, or all. */
type Waited = { pid: number } | { pgid: number } | 'all';

/**
 * A wait that found no child to report: the calling thread waits (WaitForHostFds), never
 * the handler, so the main thread of a threaded process goes on serving the other threads
 * (Go's os/exec feeds the child's stdin from another thread while one waits), and a signal
 * ends the wait with EINTR, or restarts it after a SA_RESTART handler. The wait is on the
 * pidfds of the children it covers (`which`: all children, or those of one group), which
 * become readable when they exit; stops and continues, and children that other threads
 * start meanwhile, are caught by trying again every few milliseconds.
 */
function awaitChildren(k: Kernel, which: Waited | null, exits: boolean, stopsOrContinues: boolean): number {
  const children = guestChildren() ?? [];
  for (const [pid, fd] of childPidfds) {
    if (children.includes(pid)) continue;
    fs.closeSync(fd);
    childPidfds.delete(pid);
  }
  const fds: HostWait[] = [];
  if (exits && which !== null) {
    for (const pid of children) {
      if (which !== 'all' && ('pid' in which ? pid !== which.pid : libc().getpgid(pid) !== which.pgid)) continue;
      let fd = childPidfds.get(pid);
      if (fd === undefined) {
        fd = libc().pidfdOpen(pid);
        if (fd < 0) continue;
        childPidfds.set(pid, fd);
      }
      fds.push({ fd, events: POLLIN });
    }
  }
  const onePid = which !== null && which !== 'all' && 'pid' in which;
  const retryMs = stopsOrContinues ? 10 : fds.length === 0 || (k.threads !== null && !onePid) ? 50 : undefined;
  waitForFds(k, fds, null, true, retryMs); // (returns only when a signal ended the wait)
  return -E.EINTR;
}

/**
 * Whether the guest has no child (the spare aside) in process group `pgid`: the host's wait
 * then still finds the spare, which is in urun's group, where Linux answers ECHILD.
 */
function noGuestChildInGroup(pgid: number): boolean {
  const children = guestChildren();
  return children !== null && !children.some((pid) => libc().getpgid(pid) === pgid);
}

function wait4(k: Kernel, pid: number, statusAddr: number, options: number, rusageAddr: number): number {
  if (statusAddr && !k.mem.checkRange(statusAddr, 4, true)) return -E.EFAULT;
  if (rusageAddr && !k.mem.checkRange(rusageAddr, 72, true)) return -E.EFAULT;
  const status = new Int32Array(1);
  const ru = Buffer.alloc(144);
  // A spare urun (lifecycle.ts) is our child too, but never the guest's.
  if (pid === -1 && !hasGuestChildren()) return -E.ECHILD;
  let r = libc().wait4(pid, status, options | WNOHANG, ru);
  while (r > 0 && isSpare(r)) {
    dropSpare();
    r = libc().wait4(pid, status, options | WNOHANG, ru);
  }
  // SA_NOCLDWAIT: the children that end are not left for a wait (Linux reaps them at once;
  // their SIGCHLD still comes): the wait goes on for the others, ECHILD when none is left.
  while (r > 0 && childrenNotWaited(k) && exitedOrKilled(status[0])) {
    if (!isSpare(r)) {
      describeAtWait(k, r, status[0], ru);
      forgetChild(r);
    } else dropSpare();
    r = libc().wait4(pid, status, options | WNOHANG, ru);
  }
  // (The group waited for: 0 is the caller's own.)
  const pgid = r === 0 && (pid === 0 || pid < -1) ? (pid === 0 ? libc().getpgid(0) : -pid) : null;
  if (pgid !== null && noGuestChildInGroup(pgid)) return -E.ECHILD;
  if (r === 0 && !(options & WNOHANG)) {
    const which: Waited = pid > 0 ? { pid } : pgid === null ? 'all' : { pgid };
    return awaitChildren(k, which, true, (options & (WUNTRACED | WCONTINUED)) !== 0);
  }
  if (r <= 0) return r;
  describeAtWait(k, r, status[0], ru);
  if (exitedOrKilled(status[0])) forgetChild(r);
  if (statusAddr) k.mem.write32(statusAddr, guestStatus(k, status[0]));
  if (rusageAddr) writeRusage(k, rusageAddr, ru);
  return r;
}

/** SA_NOCLDSTOP (1 on MIPS and ARM alike), and the si_codes of a child that stopped or continued. */
const SA_NOCLDSTOP = 1, CLD_STOPPED = 5, CLD_CONTINUED = 6;

const stopOrContinue = (code: number | undefined): boolean => code === CLD_STOPPED || code === CLD_CONTINUED;

/** Whether a child's change (its si_code) raises SIGCHLD: a stop or continue does not under SA_NOCLDSTOP. */
export const raisesSigchld = (k: Kernel, code: number | undefined): boolean =>
  !stopOrContinue(code) || (k.disposition(k.guestSignal(SIGCHLD_HOST)).flags & SA_NOCLDSTOP) === 0;

/** Whether a child's stop or continue raises SIGCHLD (no SA_NOCLDSTOP). */
export const stopsRaiseSigchld = (k: Kernel): boolean => raisesSigchld(k, CLD_STOPPED);

/** Whether the guest's SIGCHLD action has SA_NOCLDWAIT. */
const childrenNotWaited = (k: Kernel): boolean => (k.disposition(k.guestSignal(SIGCHLD_HOST)).flags & k.abi.signalAbi.saNocldwait) !== 0;

/** A child's change (its si_code) just signalled: under SA_NOCLDWAIT a child that ended is reaped now (Linux does not keep it). */
export function reapIfUnwaited(k: Kernel, pid: number, code: number | undefined): void {
  if (stopOrContinue(code) || !childrenNotWaited(k)) return;
  if (libc().wait4(pid, new Int32Array(1), WNOHANG, Buffer.alloc(144)) === pid) forgetChild(pid);
}

/** Per child, the change of state ("code status") the last SIGCHLD described. */
const describedChange = new Map<number, string>();

/** SIGCHLDs queued by a wait (describeAtWait) whose host SIGCHLD has not come yet. */
let describedAtWait = 0;

/** A host siginfo's si_status for the guest: a signal number (killed, dumped, stopped, continued) in guest numbering. */
const childStatusOf = (k: Kernel, code: number, status: number): number =>
  code === 2 || code === 3 || code === 5 || code === 6 ? k.guestSignal(status) : status;

/**
 * A wait collects a child's change that no SIGCHLD described yet (the host's SIGCHLD reaches
 * urun through Node's event loop, later): the guest that handles SIGCHLD gets it now, with
 * the child's siginfo, delivered as the wait returns, as Linux has it by then. The host's
 * SIGCHLD for it, when it comes, is then dropped (takeDescribedAtWait).
 */
function describeAtWait(k: Kernel, pid: number, st: number, ru: Buffer): void {
  const sigchld = k.guestSignal(SIGCHLD_HOST);
  const { handler } = k.disposition(sigchld);
  if (handler === SIG_DFL || handler === SIG_IGN) return;
  const low = st & 0x7f;
  const code = st === 0xffff ? CLD_CONTINUED : (st & 0xff) === 0x7f ? CLD_STOPPED
    : low === 0 ? 1 /* CLD_EXITED */ : st & 0x80 ? 3 /* CLD_DUMPED */ : 2; /* CLD_KILLED */
  if (!raisesSigchld(k, code)) return;
  const status = childStatusOf(k, code, code === 1 || code === 5 ? (st >> 8) & 0xff : code === 6 ? SIGCONT_HOST : low);
  const key = `${code} ${status}`;
  if (describedChange.get(pid) === key) return;
  describedChange.set(pid, key);
  // (Clock ticks of 10 ms, from the rusage's user and system timevals.)
  const ticks = (at: number): number => Number(ru.readBigInt64LE(at)) * 100 + Math.floor(Number(ru.readBigInt64LE(at + 8)) / 10000);
  k.queueSignal({ signo: sigchld, code, pid, uid: process.getuid?.() ?? 0, child: { status, utime: ticks(0), stime: ticks(16) } });
  describedAtWait++;
}

/** Whether a host SIGCHLD that finds no change to describe is one a wait described already (it is then dropped). */
export function takeDescribedAtWait(): boolean {
  if (describedAtWait === 0) return false;
  describedAtWait--;
  return true;
}

/**
 * The SIGCHLD siginfo of a child whose change of state waits to be collected, found without
 * collecting it (WNOWAIT): one no earlier SIGCHLD described, so that a handler that does
 * not reap learns of each child in turn; none when there is none.
 */
export function pendingChildChange(k: Kernel): Partial<SigInfo> | null {
  const children = guestChildren();
  for (const pid of describedChange.keys()) if (!children?.includes(pid)) describedChange.delete(pid);
  const info = Buffer.alloc(128);
  let first: Partial<SigInfo> = {};
  for (const child of children ?? [0]) {
    info.fill(0);
    const options = WEXITED | WUNTRACED | WCONTINUED | WNOHANG | WNOWAIT;
    if (libc().waitid(child === 0 ? P_ALL : P_PID, child, info, options) < 0) continue;
    const pid = info.readInt32LE(16);
    if (pid === 0 || isSpare(pid)) continue;
    const code = info.readInt32LE(8);
    let status = info.readInt32LE(24);
    status = childStatusOf(k, code, status);
    const change: Partial<SigInfo> = { code, pid, uid: info.readInt32LE(20),
      child: { status, utime: Number(info.readBigInt64LE(32)), stime: Number(info.readBigInt64LE(40)) } };
    const key = `${code} ${status}`;
    if (describedChange.get(pid) !== key) {
      describedChange.set(pid, key);
      return change;
    }
    if (first.pid === undefined) first = change;
  }
  // Every waiting change was described already: this SIGCHLD is about one no longer to be
  // seen, a stop or continue the child has left since (an exit raises one, described), as
  // when the listener runs late and the continued child has exited. None under SA_NOCLDSTOP
  // (null); else it is told as the first waiting one.
  return first.pid !== undefined && !stopsRaiseSigchld(k) ? null : first;
}

function waitid(k: Kernel, idtype: number, id: number, infoAddr: number, options: number, rusageAddr: number): number {
  if (infoAddr && !k.mem.checkRange(infoAddr, 128, true)) return -E.EFAULT;
  const info = Buffer.alloc(128);
  // Linux checks the options before it looks for children (kernel_waitid): EINVAL for an
  // unknown bit, or for none of WEXITED, WSTOPPED (WUNTRACED's value) and WCONTINUED.
  if (options & ~WAITID_OPTIONS || !(options & (WEXITED | WUNTRACED | WCONTINUED))) return -E.EINVAL;
  if (idtype === P_ALL && !hasGuestChildren()) return -E.ECHILD; // the spare is not the guest's
  // P_PIDFD: the host waits on the host descriptor; urun's own wait is for its process.
  const target = idtype === P_PIDFD ? pidfdTarget(k, id) : null;
  if (typeof target === 'number') return target;
  const r = libc().waitid(idtype, target?.hostFd ?? id, info, options | WNOHANG);
  if (r < 0) return r;
  const pid = info.readInt32LE(16);
  if (pid === 0 && idtype === P_PGID && noGuestChildInGroup(id === 0 ? libc().getpgid(0) : id)) return -E.ECHILD;
  if (pid === 0 && !(options & WNOHANG)) {
    const which: Waited | null = idtype === P_ALL ? 'all' : idtype === P_PID ? { pid: id } : target ? { pid: target.pid }
      : idtype === P_PGID ? { pgid: id === 0 ? libc().getpgid(0) : id } : null;
    return awaitChildren(k, which, (options & WEXITED) !== 0, (options & (WUNTRACED | WCONTINUED)) !== 0);
  }
  // CLD_EXITED, CLD_KILLED, CLD_DUMPED without WNOWAIT: reaped
  if (pid !== 0 && info.readInt32LE(8) <= 3 && !(options & WNOWAIT)) forgetChild(pid);
  if (infoAddr) {
    k.mem.bytes.fill(0, infoAddr, infoAddr + 128);
    if (pid !== 0) {
      const code = info.readInt32LE(8);
      let st = info.readInt32LE(24);
      st = childStatusOf(k, code, st);
      new StructWriter(k.mem, infoAddr).i32(0, k.guestSignal(info.readInt32LE(0))).i32(k.abi.signalAbi.siCodeOffset, code)
        .i32(12, pid).i32(16, info.readInt32LE(20)).i32(20, st)
        .i32(24, Number(info.readBigInt64LE(32))).i32(28, Number(info.readBigInt64LE(40)));
    }
  }
  if (rusageAddr && k.mem.checkRange(rusageAddr, 72, true)) k.mem.bytes.fill(0, rusageAddr, rusageAddr + 72);
  return 0;
}

/**
 * setpgid on the host; a forked child that has not exec'd is asked to move itself (the host
 * counts every urun as exec'd, so it refuses the parent: see kin.ts).
 */
function setpgid(k: Kernel, pid: number, pgid: number): number {
  const v = k.process?.vforkGroup?.(pid, pgid);
  if (v !== undefined && v !== null) return v;
  const r = libc().setpgid(pid, pgid);
  if (r !== -E.EACCES || pid <= 0 || pid === k.pid) return r;
  return askChildSetpgid(pid, pgid === 0 ? pid : pgid) ?? r;
}

export function exit(k: Kernel, status: number): never {
  if (k.process) k.process.exit(status);
  throw new GuestExit(status & 0xff);
}

// ---- pidfds ----

const P_PIDFD = 3;
const PIDFD_PATH = 'anon_inode:[pidfd]';

/** pidfd_open: the host's pidfd on the process (guest pids are host pids), always close-on-exec. */
function pidfdOpen(k: Kernel, pid: number, flags: number): number {
  const nonblock = k.abi.openFlags.O_NONBLOCK;
  if (flags & ~nonblock || pid <= 0) return -E.EINVAL;
  const hostFd = libc().pidfdOpen(pid);
  if (hostFd < 0) return hostFd;
  const file = hostFile(hostFd, PIDFD_PATH, null, true, 2 /* O_RDWR */ | (flags & nonblock));
  const fd = k.allocFd(file, true);
  if (fd < 0) k.release(file);
  return fd;
}

/** The host descriptor behind a guest pidfd and the pid it names (-1 once reaped: its fdinfo says), or -errno. */
export function pidfdTarget(k: Kernel, fd: number): { hostFd: number; pid: number } | number {
  const f = k.file(fd);
  if (!f) return -E.EBADF;
  if (f.path !== PIDFD_PATH) return -E.EBADF;
  const pid = /^Pid:\s*(-?\d+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${f.hostFd}`, 'latin1'));
  return { hostFd: f.hostFd, pid: pid ? Number(pid[1]) : -1 };
}

const R = (name: string, args: ArgKind[], run: SyscallRecord['run']): SyscallRecord => ({ name, args, run });
const noClone = { stack: 0, parentTid: 0, childTid: 0, tls: 0 };
const SIGCHLD_HOST = 17, SIGCONT_HOST = 18;

export const PROCESS_SYSCALLS: SyscallRecord[] = [
  R('exit', ['int'], (k, a) => exit(k, a[0])),
  R('exit_group', ['int'], (k, a) => exit(k, a[0])),
  R('fork', [], (k) => clone(k, { flags: SIGCHLD_HOST, ...noClone })),
  R('vfork', [], (k) => clone(k, { flags: CLONE_VM | CLONE_VFORK | SIGCHLD_HOST, ...noClone })),
  // MIPS and ARM both take clone's arguments in the "backwards" order: flags, stack, parent_tid, tls, child_tid.
  R('clone', ['hex', 'ptr', 'ptr', 'hex', 'ptr'], (k, a) =>
    clone(k, { flags: a[0], stack: a[1] >>> 0, parentTid: a[2] >>> 0, tls: a[3] >>> 0, childTid: a[4] >>> 0 })),
  // Not provided, quietly: its callers (glibc, Rust, systemd) fall back on clone when it
  // answers ENOSYS, as on a kernel before 5.3.
  R('clone3', ['ptr', 'uint'], () => -E.ENOSYS),
  // No tracing of one guest process by another (strace, gdb's attach): ENOSYS, quietly, as
  // qemu-user answers; the tracer reports it itself.
  R('ptrace', ['int', 'int', 'hex', 'hex'], () => -E.ENOSYS),
  R('execve', ['path', 'ptr', 'ptr'], (k, a) => execve(k, a[0], a[1], a[2], -100, 0)),
  R('execveat', ['dirfd', 'path', 'ptr', 'ptr', 'atflags'], (k, a) => execve(k, a[1], a[2], a[3], a[0] | 0, a[4])),
  R('wait4', ['int', 'ptr', 'int', 'ptr'], (k, a) => wait4(k, a[0] | 0, a[1], a[2], a[3])),
  R('waitpid', ['int', 'ptr', 'int'], (k, a) => wait4(k, a[0] | 0, a[1], a[2], 0)),
  R('waitid', ['int', 'int', 'ptr', 'int', 'ptr'], (k, a) => waitid(k, a[0], a[1] | 0, a[2], a[3], a[4])),
  R('pidfd_open', ['int', 'oflags'], (k, a) => pidfdOpen(k, a[0] | 0, a[1])),
  R('getpid', [], (k) => k.pid),
  R('getppid', [], () => process.ppid),
  R('getpgrp', [], () => libc().getpgid(0)),
  R('getpgid', ['int'], (k, a) => libc().getpgid(a[0] | 0)),
  R('setpgid', ['int', 'int'], (k, a) => setpgid(k, a[0] | 0, a[1] | 0)),
  R('getsid', ['int'], (k, a) => libc().getsid(a[0] | 0)),
  R('setsid', [], (k) => k.process?.vforkGroup?.(0, 'setsid') ?? libc().setsid()),
];
