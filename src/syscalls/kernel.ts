// The emulated process's kernel-side state: file descriptors, the address-space layout
// (brk and mmap placement), signal dispositions, the guest's view of paths. Generic over
// architectures; arch differences come in through the ArchAbi.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GuestMemory, PAGE_SIZE, PROT_READ, PROT_WRITE, pageAlignUp } from '../memory/memory.js';
import type { ArchAbi, HostStat } from './abi.js';
import { E, hostErrno } from './errno.js';
import { SIGKILL, SigInfo, SI_KERNEL, SigSet, ThreadSignals, sigBit, IGNORED_BY_DEFAULT } from '../engine/signals.js';
import type { SignalTicker } from '../engine/ticker.js';

/** An open file description (shared by dup'd descriptors). */
export type OpenFile =
  | { kind: 'host'; hostFd: number; path: string; pos: number; seekable: boolean; append: boolean;
      ownsFd: boolean; isDir: boolean; dirents: Dirent64[] | null; dirPos: number; refs: number;
      accessMode: number; flags: number }
  | { kind: 'pipe'; pipe: Pipe; reading: boolean; refs: number; flags: number };

export interface Dirent64 { ino: bigint; type: number; name: Buffer }
export interface Pipe { chunks: Buffer[]; size: number; readers: number; writers: number }
export interface FdEntry { file: OpenFile; cloexec: boolean }

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
  /** Expiry and period in ms on performance.now()'s clock; period 0 for a one-shot timer. */
  due: number;
  period: number;
  code: number;
  value: number;
  timerId: number;
  overrun: number;
}

export interface KernelOptions {
  /** Host path of the running guest program (what /proc/self/exe names). */
  exePath: string;
  sysroot: string | null;
  warn: (msg: string) => void;
}

export const SIG_DFL = 0, SIG_IGN = 1;

export class Kernel {
  readonly fds = new Map<number, FdEntry>();
  brkStart = 0;
  brk = 0;
  /** mmap places mappings below this address, searching down. */
  mmapTop = 0x77000000;
  mmapBottom = 0x01000000;
  /** Dispositions by guest signal number (absent: SIG_DFL). */
  readonly sigactions = new Map<number, SigAction>();
  /** The signal state of the (one) guest thread. */
  thread = new ThreadSignals();
  /** Armed timers by slot (0-2 the itimers REAL, VIRTUAL, PROF; POSIX timers after). */
  readonly timers = new Map<number, GuestTimer>();
  /** POSIX timers created (timer_create) by id: their signal and value, whether armed or not. */
  readonly posixTimers = new Map<number, { signo: number; value: number; notify: number }>();
  /** Arch code that builds and unwinds signal frames (set up with the CPU). */
  frames: SignalFrames | null = null;
  /** The worker behind timers and host-signal polling, started on first use. */
  ticker: SignalTicker | null = null;
  umask = 0o022;
  tidAddress = 0;
  readonly pid = process.pid;
  /** A second result register (MIPS's legacy pipe() returns its fds in $v0 and $v1). */
  secondResult: number | null = null;
  private readonly warned = new Set<string>();
  /** Arch hooks the CPU layer fills in. */
  setTls: (value: number) => void = () => {};
  invalidateCode: (addr: number, len: number) => void = () => {};
  /** The guest stack pointer (for sigaltstack's "on the alternate stack"). */
  stackPointer: () => number = () => 0;

  constructor(readonly mem: GuestMemory, readonly abi: ArchAbi, readonly opts: KernelOptions) {
    for (const fd of [0, 1, 2]) {
      let seekable = false;
      try {
        seekable = fs.fstatSync(fd).isFile();
      } catch {
        continue; // not open on the host: not open for the guest either
      }
      this.fds.set(fd, {
        cloexec: false,
        file: { kind: 'host', hostFd: fd, path: `/dev/fd/${fd}`, pos: -1, seekable, append: false, ownsFd: false,
          isDir: false, dirents: null, dirPos: 0, refs: 1, accessMode: fd === 0 ? 0 : 1, flags: 0 },
      });
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
  queueSignal(info: SigInfo, thread = this.thread): void {
    const host = this.hostSignal(info.signo);
    const { handler } = this.disposition(info.signo);
    const blocked = (thread.mask & sigBit(info.signo)) !== 0n && host !== SIGKILL;
    if (!blocked && (handler === SIG_IGN || (handler === SIG_DFL && IGNORED_BY_DEFAULT.has(host)))) return;
    thread.queue(info);
  }

  /** Sends a guest signal to the process itself, from the kernel (SIGPIPE and the like). */
  raise(guestSig: number): void {
    this.queueSignal({ signo: guestSig, code: SI_KERNEL });
  }

  // ---- file descriptors ----

  allocFd(file: OpenFile, cloexec: boolean, min = 0): number {
    let fd = min;
    while (this.fds.has(fd)) fd++;
    if (fd >= 1024) return -E.EMFILE;
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
    if (--f.refs > 0) return;
    if (f.kind === 'host') {
      if (f.ownsFd) {
        try {
          fs.closeSync(f.hostFd);
        } catch {
          /* already gone */
        }
      }
    } else if (f.reading) f.pipe.readers--;
    else f.pipe.writers--;
  }

  // ---- paths ----

  /** Maps a guest path to the host path to use (sysroot first for absolute paths). */
  hostPath(p: string, dirfd = -100): string | null {
    if (p === '/proc/self/exe') return this.opts.exePath;
    if (p.startsWith('/')) {
      if (this.opts.sysroot && !p.startsWith('/proc/') && !p.startsWith('/dev/') && !p.startsWith('/tmp/')) {
        const inRoot = path.join(this.opts.sysroot, p);
        if (fs.existsSync(inRoot)) return inRoot;
      }
      return p;
    }
    if (dirfd === -100) return p;
    const f = this.file(dirfd);
    if (!f) return null;
    if (f.kind !== 'host' || !f.isDir) return null;
    return path.join(f.path, p);
  }

  /** Resolves a guest path argument; returns a negative errno on failure. */
  pathArg(addr: number, dirfd = -100): string | number {
    const bytes = this.mem.readCBytes(addr);
    if (bytes === null) return -E.EFAULT;
    const p = bytes.toString('utf8');
    if (p === '') return -E.ENOENT;
    const h = this.hostPath(p, dirfd);
    if (h === null) return this.file(dirfd) ? -E.ENOTDIR : -E.EBADF;
    return h;
  }

  // ---- memory layout ----

  /** Places or fixes a mapping; returns the address or a negative errno. */
  mapRegion(addr: number, len: number, prot: number, fixed: boolean, noReplace: boolean): number {
    len = pageAlignUp(len);
    if (len === 0 || len > 0xffffffff) return -E.ENOMEM;
    if (fixed) {
      if (addr % PAGE_SIZE !== 0) return -E.EINVAL;
      if (addr + len > 2 ** 32) return -E.ENOMEM;
      if (noReplace) {
        for (let p = addr / PAGE_SIZE; p < (addr + len) / PAGE_SIZE; p++) if (this.mem.isMapped(p)) return -E.EEXIST;
      }
      this.mem.map(addr, len, prot);
      return addr;
    }
    if (addr !== 0 && addr % PAGE_SIZE === 0 && addr + len <= this.mmapTop) {
      let free = true;
      for (let p = addr / PAGE_SIZE; p < (addr + len) / PAGE_SIZE && free; p++) free = !this.mem.isMapped(p);
      if (free) {
        this.mem.map(addr, len, prot);
        return addr;
      }
    }
    let at: number;
    try {
      at = this.mem.findFree(len, this.mmapTop, Math.max(this.mmapBottom, pageAlignUp(this.brk) + 64 * PAGE_SIZE));
    } catch {
      return -E.ENOMEM;
    }
    this.mem.map(at, len, prot);
    return at;
  }

  setBrk(want: number): number {
    if (want === 0 || want < this.brkStart) return this.brk;
    const oldTop = pageAlignUp(this.brk);
    const newTop = pageAlignUp(want);
    if (newTop > oldTop) {
      for (let p = oldTop / PAGE_SIZE; p < newTop / PAGE_SIZE; p++) if (this.mem.isMapped(p)) return this.brk;
      if (newTop >= this.mmapTop) return this.brk;
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

  /** fstat of a guest fd (pipes get a synthesized FIFO stat). */
  fstat(fd: number): HostStat | number {
    const f = this.file(fd);
    if (!f) return -E.EBADF;
    if (f.kind === 'pipe') {
      return { dev: 12n, ino: 1n, mode: 0o10600, nlink: 1, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0,
        rdev: 0n, size: 0n, blksize: 4096, blocks: 0n, atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n, birthtimeNs: 0n };
    }
    try {
      return Kernel.hostStat(fs.fstatSync(f.hostFd, { bigint: true }));
    } catch (e) {
      return hostErrno(e);
    }
  }
}
