// The emulated process's kernel-side state: file descriptors, the address-space layout
// (brk and mmap placement), signal dispositions, the guest's view of paths. Generic over
// architectures; arch differences come in through the ArchAbi.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GuestMemory, PAGE_SIZE, PROT_READ, PROT_WRITE, pageAlignUp } from '../memory/memory.js';
import type { ArchAbi, HostStat } from './abi.js';
import { E, hostErrno } from './errno.js';
import { GuestExit, IGNORED_BY_DEFAULT } from '../engine/signals.js';
import type { GuestThread, ThreadHost } from './threads.js';

/** An open file description (shared by dup'd descriptors). */
export type OpenFile =
  | { kind: 'host'; hostFd: number; path: string; pos: number; seekable: boolean; append: boolean;
      ownsFd: boolean; isDir: boolean; dirents: Dirent64[] | null; dirPos: number; refs: number;
      accessMode: number; flags: number }
  | { kind: 'pipe'; pipe: Pipe; reading: boolean; refs: number; flags: number };

export interface Dirent64 { ino: bigint; type: number; name: Buffer }
export interface Pipe { chunks: Buffer[]; size: number; readers: number; writers: number }
export interface FdEntry { file: OpenFile; cloexec: boolean }

export interface SigAction { handler: number; flags: number; mask: number[] }

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
  readonly sigactions = new Map<number, SigAction>();
  sigmask: number[] = [0, 0];
  umask = 0o022;
  /** The guest thread this Kernel serves syscalls for (see src/syscalls/threads.ts). */
  thread: GuestThread = { tid: process.pid, clearChildTid: 0, robustList: 0, robustListLen: 0, cpu: null };
  /** The process's threads once it has more than one; null while it runs single-threaded. */
  threads: ThreadHost | null = null;
  /** Makes this process multi-threaded at its first clone (set up with the process). */
  startThreads: (() => ThreadHost) | null = null;
  readonly pid = process.pid;
  /** A second result register (MIPS's legacy pipe() returns its fds in $v0 and $v1). */
  secondResult: number | null = null;
  private readonly warned = new Set<string>();
  /** Arch hooks the CPU layer fills in. */
  setTls: (value: number) => void = () => {};
  invalidateCode: (addr: number, len: number) => void = () => {};

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

  /** Sends a guest signal to the process itself. */
  raise(guestSig: number): void {
    const host = this.abi.signals[guestSig] ?? guestSig;
    const act = this.sigactions.get(guestSig);
    const handler = act?.handler ?? SIG_DFL;
    if (handler === SIG_IGN) return;
    if (handler === SIG_DFL) {
      if (IGNORED_BY_DEFAULT.has(host)) return;
      throw new GuestExit(128 + host, host);
    }
    this.warnOnce(`sig-${guestSig}`,
      `urun: signal ${guestSig} has a guest handler, but urun does not deliver signals to handlers yet; terminating as the default action would`);
    throw new GuestExit(128 + host, host);
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
