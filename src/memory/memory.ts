// Guest memory: the whole 32-bit address space as one lazily committed host buffer,
// with a permission byte per 4 KiB page. Every guest access goes through the checks
// here (or their inlined copies in translated code), so a guest can only touch this
// buffer and only the pages it has mapped.
import * as fs from 'node:fs';
import { BUS_ADRERR, GuestFault, SIGBUS, SIGSEGV, SI_KERNEL } from '../engine/signals.js';
import { F_DUPFD_CLOEXEC, libc, libcLoaded } from '../host/libc.js';

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;
const PAGE_COUNT = 1 << (32 - PAGE_SHIFT);

/**
 * Where Linux lays out a process of an arch, without address randomisation: user space ends at
 * `taskSize` (TASK_SIZE), the stack grows down from `stackTop`, and mmap places mappings
 * downwards from `mmapTop` (mm->mmap_base: 128 MiB below the stack).
 */
export interface AddressLayout {
  readonly taskSize: number;
  readonly stackTop: number;
  readonly mmapTop: number;
  /** The size of the stack mapping below stackTop (elf/load.ts stackSizeFor). */
  readonly stackSize: number;
}

/** Page permission bits. CODE marks a page holding translated guest code. */
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
export const PAGE_CODE = 8;
/** The page is part of a SharedRegion. */
export const PAGE_SHARED = 0x10;
const PROT_MASK = PROT_READ | PROT_WRITE | PROT_EXEC;
/**
 * A page of a file mapping wholly past the end of the file (see markPastEof, syncSharedEof):
 * no access, so that a touch faults, and the fault is SIGBUS, as Linux gives. The protection
 * it was mapped with is kept in these bits (readable or executable; writable), for
 * /proc/self/maps and mprotect. (A shared one keeps PAGE_SHARED: the file may grow to it.)
 */
export const PAGE_PAST_EOF_R = 0x20, PAGE_PAST_EOF_W = 0x40;
const PAST_EOF = PAGE_PAST_EOF_R | PAGE_PAST_EOF_W;
/** A past-EOF page's bits for protection `prot` (none for PROT_NONE: such a page faults as SIGSEGV anyway). */
const pastEofBits = (prot: number): number => (prot & (PROT_READ | PROT_EXEC) ? PAGE_PAST_EOF_R : 0) | (prot & PROT_WRITE ? PAGE_PAST_EOF_W : 0);

/**
 * The access bits of pages mapped with protection `prot`: a writable or executable page is
 * readable too, as the page tables of ARM and of MIPS CPUs without RI/XI (all the models
 * here) make it on Linux (an ARM JIT's literal pools in PROT_EXEC code). (/proc/self/maps
 * then shows such a page as readable, where Linux keeps the protection asked for.)
 */
const accessBits = (prot: number): number => (prot & PROT_MASK) | (prot & (PROT_WRITE | PROT_EXEC) ? PROT_READ : 0);

export const pageAlignDown = (a: number): number => a - (a % PAGE_SIZE);
export const pageAlignUp = (a: number): number => Math.ceil(a / PAGE_SIZE) * PAGE_SIZE;

const ZERO_PAGE = new Uint8Array(PAGE_SIZE);
const MADV_DONTNEED = 4;
/** Pages this thread has discarded by checking them one by one (GuestMemory.discardPages). */
let discardedByChecking = 0;
/** About 20 ms of checking pages: then the FFI's host madvise pays for its loading. */
const CHECKED_DISCARDS_BEFORE_FFI = 16384;

/**
 * The mapped ranges of a permission table as runs of pages with equal permissions (PAGE_CODE
 * ignored): [first page, count, permission byte]. Unmapped stretches are skipped 4096 pages at
 * a time with a native compare, so this costs little even before V8 optimises it.
 */
export function mappedRuns(perm: Uint8Array): [number, number, number][] {
  const runs: [number, number, number][] = [];
  for (let p = 0; p < perm.length;) {
    if ((p & (PAGE_SIZE - 1)) === 0 && Buffer.compare(perm.subarray(p, p + PAGE_SIZE), ZERO_PAGE) === 0) {
      p += PAGE_SIZE;
      continue;
    }
    const v = perm[p] & ~PAGE_CODE;
    if (v === 0) {
      p++;
      continue;
    }
    let q = p + 1;
    while (q < perm.length && (perm[q] & ~PAGE_CODE) === v) q++;
    runs.push([p, q - p, v]);
    p = q;
  }
  return runs;
}

/**
 * A shared range: guest pages that are a host mapping placed into the guest buffer itself, so
 * that every process mapping the same object sees the same bytes, as on Linux. Either a
 * MAP_SHARED mapping of a file (a memfd for shared anonymous memory): the region owns `hostFd`
 * (close-on-exec), which a fork hands to the child to map the same pages; or (SysvRegion) an
 * attachment of a host SysV shared memory segment, which a forked child attaches again.
 * `offset` is where the range starts in the file or segment.
 */
export type SharedRegion = FileRegion | SysvRegion;
interface RegionBase { addr: number; len: number; offset: number; writable: boolean }
export interface FileRegion extends RegionBase { hostFd: number; shmid?: undefined }
/** Part of (or all of) an attachment of host segment `shmid`, whose page-rounded size is `size`. */
export interface SysvRegion extends RegionBase { shmid: number; size: number; hostFd?: undefined }

/** The host's fcntl F_GETFL. */
const F_GETFL = 3;

const fileId = (st: fs.BigIntStats): string => `${st.dev}:${st.ino}`;

/** A descriptor's file as "dev:ino", or null when fstat refuses it. */
export function devIno(fd: number): string | null {
  try {
    return fileId(fs.fstatSync(fd, { bigint: true }));
  } catch {
    return null;
  }
}

/** The "dev:ino" of a file whose record locks a close would drop; null for a memfd (shared anonymous memory), a non-file or a descriptor that fstat refuses. */
function fileKey(fd: number): string | null {
  try {
    const st = fs.fstatSync(fd, { bigint: true });
    if (!st.isFile() || fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith('/memfd:')) return null;
    return fileId(st);
  } catch {
    return null;
  }
}

/** The host's shmat flags (x86-64, as on every Linux arch). */
const SHM_RDONLY = 0o10000;

/** The whole 32-bit space, as a shared WebAssembly memory: its buffer is page-aligned on the host. */
const WASM_PAGES = 65536;

/** Raised to the caller when a mapping cannot be made (the guest sees ENOMEM). */
export class OutOfGuestMemory extends Error {}

/**
 * The host buffers behind a guest address space. They are SharedArrayBuffers (as fast as
 * plain ones, and as lazily committed) so that the Workers running guest threads share them.
 */
export interface SharedGuestMemory {
  buffer: SharedArrayBuffer;
  perm: SharedArrayBuffer;
  mayHoldData: SharedArrayBuffer;
}

export class GuestMemory {
  readonly buffer: SharedArrayBuffer;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** The memory as host-order words, for Atomics (futexes). */
  readonly i32: Int32Array;
  /** Permission byte per page; 0 means unmapped. */
  readonly perm: Uint8Array;
  private readonly mayHoldData: Uint8Array;
  /** The buffers, to hand to another thread (new GuestMemory(littleEndian, shared)). */
  readonly shared: SharedGuestMemory;
  /**
   * Called with a page number when a write or remapping hits a page marked PAGE_CODE. The
   * engine owns that bit: it sets it when it caches code from a page and clears it here.
   */
  onCodeWrite: (page: number) => void = () => {};
  /** The MAP_SHARED regions, kept by the thread that maps (the main thread). */
  readonly sharedRegions: SharedRegion[] = [];
  /**
   * Looks again whether the file behind the shared page at `addr`, past the end of its file
   * when last seen, now reaches it (syncSharedEof). A guest thread's Worker, whose view holds
   * no regions, asks the main thread.
   */
  syncSharedPage: (addr: number) => void = (addr) => this.syncSharedEof(addr, PAGE_SIZE);
  private hostBase: bigint | null = null;

  /** Guest threads in Workers run over this memory (see access.ts bigEndianWords). */
  threads = false;

  constructor(readonly littleEndian: boolean, shared?: SharedGuestMemory) {
    // A shared WebAssembly memory rather than a plain SharedArrayBuffer: equally fast and lazily
    // committed, but page-aligned on the host, so shared mappings can be placed into it.
    this.shared = shared ?? {
      buffer: new WebAssembly.Memory({ initial: WASM_PAGES, maximum: WASM_PAGES, shared: true }).buffer as unknown as SharedArrayBuffer,
      perm: new SharedArrayBuffer(PAGE_COUNT), mayHoldData: new SharedArrayBuffer(PAGE_COUNT),
    };
    this.buffer = this.shared.buffer;
    this.perm = new Uint8Array(this.shared.perm);
    this.mayHoldData = new Uint8Array(this.shared.mayHoldData);
    this.bytes = new Uint8Array(this.buffer);
    this.view = new DataView(this.buffer);
    this.i32 = new Int32Array(this.buffer);
  }

  // ---- checked guest accesses (the architectural view) ----

  /** Whether a page is a shared file's page past the end of its file when last seen (the file may have grown since). */
  private sharedPastEof(page: number): boolean {
    const v = this.perm[page];
    return (v & PAGE_SHARED) !== 0 && (v & PAST_EOF) !== 0;
  }

  /**
   * Where user mode's address errors begin: MIPS's kseg0 (0x80000000, set by its CPU), which a
   * user access cannot reach whatever the page tables hold. Linux's do_ade answers such an
   * access with SIGBUS from the kernel (SI_KERNEL, no address), not SIGSEGV. 2^32: none (ARM).
   */
  addressErrorFrom = 2 ** 32;

  /** The fault of a user access at or above addressErrorFrom. */
  addressError(addr: number, what: string): GuestFault {
    return new GuestFault(SIGBUS, addr >>> 0, `${what} kernel address`, SI_KERNEL);
  }

  /** Raises the fault an access to `addr` meets; returns when it meets none now (a shared file grew to the page). */
  fault(addr: number, write: boolean): void {
    if (addr >>> 0 >= this.addressErrorFrom) throw this.addressError(addr, write ? 'write to' : 'read from');
    const page = addr >>> PAGE_SHIFT;
    if (this.sharedPastEof(page)) {
      this.syncSharedPage(page * PAGE_SIZE);
      if ((this.perm[page] & (write ? PROT_WRITE : PROT_READ)) !== 0) return;
    }
    if ((this.perm[page] & PAST_EOF) !== 0) {
      throw new GuestFault(SIGBUS, addr >>> 0, write ? 'write past the end of a mapped file at' : 'read past the end of a mapped file at', BUS_ADRERR);
    }
    throw new GuestFault(SIGSEGV, addr >>> 0, write ? 'write to' : 'read from');
  }

  misaligned(addr: number, write: boolean): never {
    throw new GuestFault(SIGBUS, addr >>> 0, write ? 'misaligned write to' : 'misaligned read from');
  }

  checkRead(addr: number): void {
    if ((this.perm[addr >>> PAGE_SHIFT] & PROT_READ) === 0) this.fault(addr, false);
  }

  /** Slow path of every store: permission fault, or a store into translated code. */
  checkWrite(addr: number): void {
    const page = addr >>> PAGE_SHIFT;
    const p = this.perm[page];
    if ((p & PROT_WRITE) === 0) this.fault(addr, true);
    if (p & PAGE_CODE) this.onCodeWrite(page);
  }

  /** Checks a whole range for read (or write) permission, as a syscall copying guest memory does. */
  checkRange(addr: number, len: number, write: boolean): boolean {
    if (len === 0) return true;
    addr >>>= 0;
    const end = addr + len;
    if (end > 2 ** 32) return false;
    const need = write ? PROT_WRITE : PROT_READ;
    for (let page = addr >>> PAGE_SHIFT; page <= (end - 1) >>> PAGE_SHIFT; page++) {
      if (this.sharedPastEof(page)) this.syncSharedPage(page * PAGE_SIZE);
      const p = this.perm[page];
      if ((p & need) === 0) return false;
      if (write && p & PAGE_CODE) this.onCodeWrite(page);
    }
    return true;
  }

  // ---- helpers for the emulator itself (syscalls, loader): checked, fault on error ----

  read8(a: number): number {
    this.checkRead(a);
    return this.bytes[a >>> 0];
  }
  read16(a: number): number {
    if (a & 1) this.misaligned(a, false);
    this.checkRead(a);
    return this.view.getUint16(a >>> 0, this.littleEndian);
  }
  read32(a: number): number {
    if (a & 3) this.misaligned(a, false);
    this.checkRead(a);
    return this.view.getUint32(a >>> 0, this.littleEndian);
  }
  write8(a: number, v: number): void {
    this.checkWrite(a);
    this.bytes[a >>> 0] = v;
  }
  write16(a: number, v: number): void {
    if (a & 1) this.misaligned(a, true);
    this.checkWrite(a);
    this.view.setUint16(a >>> 0, v, this.littleEndian);
  }
  write32(a: number, v: number): void {
    if (a & 3) this.misaligned(a, true);
    this.checkWrite(a);
    this.view.setUint32(a >>> 0, v >>> 0, this.littleEndian);
  }

  /** A view of guest bytes for a syscall; null if any page is not accessible. */
  slice(addr: number, len: number, write: boolean): Uint8Array | null {
    if (!this.checkRange(addr, len, write)) return null;
    return this.bytes.subarray(addr >>> 0, (addr >>> 0) + len);
  }

  /** Reads a NUL-terminated string; null on a fault before the terminator. */
  readCString(addr: number, max = 4096): string | null {
    const bytes: number[] = [];
    for (let a = addr >>> 0; bytes.length < max; a++) {
      if (a >= 2 ** 32 || (this.perm[a >>> PAGE_SHIFT] & PROT_READ) === 0) return null;
      const b = this.bytes[a];
      if (b === 0) return Buffer.from(bytes).toString('utf8');
      bytes.push(b);
    }
    return Buffer.from(bytes).toString('utf8');
  }

  /** Reads raw bytes as a Buffer (for paths we must pass to the host verbatim). */
  readCBytes(addr: number, max = 4096): Buffer | null {
    const start = addr >>> 0;
    for (let a = start; a - start < max; a++) {
      if (a >= 2 ** 32 || (this.perm[a >>> PAGE_SHIFT] & PROT_READ) === 0) return null;
      if (this.bytes[a] === 0) return Buffer.from(this.bytes.subarray(start, a));
    }
    return null;
  }

  /**
   * Zeroes a page. One that reads as zero already is left untouched, so that host memory
   * it never used stays uncommitted (glibc's madvise of a dead thread's 8 MiB stack).
   */
  clearPage(page: number): void {
    if (!this.holdsOnlyZeros(page)) this.bytes.fill(0, page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  }

  /**
   * Whether a page reads as zeros. A page that cannot have held data since it was mapped
   * (mayHoldData: a PROT_NONE reservation never opened) is known to without reading it: Go's
   * runtime reserves ~770 MiB that way, and reading each page (which faults in the host's
   * zero page) made every fork of a Go program cost ~200 ms more.
   */
  holdsOnlyZeros(page: number): boolean {
    return this.mayHoldData[page] === 0 || Buffer.compare(this.bytes.subarray(page * PAGE_SIZE, (page + 1) * PAGE_SIZE), ZERO_PAGE) === 0;
  }

  /**
   * MADV_DONTNEED over guest pages: the private ones read back as zeros, whatever their
   * protection (shared ones keep the file's bytes; a private file mapping's get the file's
   * again from the caller; one past the end of the file has none). glibc does it at every thread exit over the dead thread's unused
   * stack, ~2,000 pages that are mostly never touched: checking each page costs ~1-3 ms (the
   * reads fault in the zero page), the host's madvise a few microseconds. The host call
   * needs the FFI, whose first use costs ~20 ms, so a thread that has not loaded it checks
   * pages until it has spent about as much on them.
   */
  discardPages(first: number, count: number): void {
    const hostCall = libcLoaded() || (discardedByChecking += count) > CHECKED_DISCARDS_BEFORE_FFI;
    const kept = PAGE_SHARED | PAST_EOF;
    for (let p = first; p < first + count;) {
      if ((this.perm[p] & kept) !== 0) {
        p++;
        continue;
      }
      let end = p;
      for (; end < first + count && (this.perm[end] & kept) === 0; end++) {
        if (this.perm[end] & PAGE_CODE) this.onCodeWrite(end);
      }
      this.zeroPages(p, end - p, hostCall);
      p = end;
    }
  }

  /**
   * Zeroes pages that may hold data without committing host memory to those that never did:
   * a guest that maps, touches a page of and unmaps 64 MiB again and again (malloc of large
   * blocks) would otherwise have urun's resident size grow by all of it. With `hostCall` (by
   * default, when the FFI is loaded) the host's madvise gives the memory back; otherwise, or
   * when it fails, each page not already zero is cleared.
   */
  private zeroPages(first: number, count: number, hostCall = libcLoaded()): void {
    if (hostCall && libc().madvise(this.hostAddress(first << PAGE_SHIFT), count << PAGE_SHIFT, MADV_DONTNEED) >= 0) return;
    for (let p = first; p < first + count; p++) this.clearPage(p);
  }

  /** Copies host bytes in without permission checks (loader use: pages are being set up). */
  poke(addr: number, data: Uint8Array): void {
    this.bytes.set(data, addr >>> 0);
    this.mayHoldData.fill(1, addr >>> PAGE_SHIFT, Math.ceil(((addr >>> 0) + data.length) / PAGE_SIZE));
  }

  // ---- mappings ----

  // (A page marked PAGE_CODE alone is not mapped: the engine marks the pages of a block that
  // was to run from an unmapped address, whose fetch faults, as any block's.)
  isMapped(page: number): boolean {
    return (this.perm[page] & ~PAGE_CODE) !== 0;
  }

  /**
   * Mapped pages in [first, first+count) (PROT_NONE ones too), and of them the private writable
   * ones: Linux's total_vm and data_vm, which RLIMIT_AS and RLIMIT_DATA bound (from mappedRuns,
   * which skips unmapped stretches cheaply).
   */
  mappedPages(first = 0, count = this.perm.length): [number, number] {
    let all = 0, data = 0;
    for (const [, n, v] of mappedRuns(this.perm.subarray(first, first + count))) {
      all += n;
      if ((v & (PROT_WRITE | PAGE_SHARED)) === PROT_WRITE) data += n;
    }
    return [all, data];
  }

  /** Whether every page holding a byte of [addr, addr+len) is mapped. */
  allMapped(addr: number, len: number): boolean {
    for (let p = Math.floor(addr / PAGE_SIZE); p < Math.ceil((addr + len) / PAGE_SIZE); p++) if ((this.perm[p] & ~PAGE_CODE) === 0) return false;
    return true;
  }

  /** Whether any page holding a byte of [addr, addr+len) is mapped. */
  anyMapped(addr: number, len: number): boolean {
    for (let p = Math.floor(addr / PAGE_SIZE); p < Math.ceil((addr + len) / PAGE_SIZE); p++) if ((this.perm[p] & ~PAGE_CODE) !== 0) return true;
    return false;
  }

  /** Maps [addr, addr+len) with the given protection, zero-filled. addr and len page-aligned. */
  map(addr: number, len: number, prot: number): void {
    const first = addr >>> PAGE_SHIFT;
    const count = len >>> PAGE_SHIFT;
    this.releaseShared(addr, len);
    // Pages that never held data are still untouched zeros; only those that may have need
    // clearing, so a large anonymous mapping commits no host memory until the guest touches
    // it. A PROT_NONE page cannot get data (neither the guest nor a syscall writes there)
    // until mprotect opens it (see protect): Go and other runtimes reserve hundreds of MB
    // that way and map it in pieces later, which then needs no clearing either.
    const opens = (prot & PROT_MASK) !== 0 ? 1 : 0;
    // Before the table is refilled: the fill clears the PAGE_CODE marks that say which
    // pages' translated code the new contents (a file mapped over code) must drop.
    this.dropCode(first, count);
    for (let p = first; p < first + count;) {
      if (!this.mayHoldData[p]) {
        p++;
        continue;
      }
      let end = p + 1;
      while (end < first + count && this.mayHoldData[end]) end++;
      this.zeroPages(p, end - p);
      p = end;
    }
    this.mayHoldData.fill(opens, first, first + count);
    // PROT_NONE pages are still mapped: mark them with a bit no access checks for.
    this.perm.fill(accessBits(prot) | 0x80, first, first + count);
  }

  unmap(addr: number, len: number): void {
    const first = addr >>> PAGE_SHIFT;
    const count = len >>> PAGE_SHIFT;
    this.dropCode(first, count);
    this.releaseShared(addr, len);
    this.perm.fill(0, first, first + count);
  }

  protect(addr: number, len: number, prot: number): boolean {
    const first = addr >>> PAGE_SHIFT;
    const count = len >>> PAGE_SHIFT;
    for (let p = first; p < first + count; p++) if (this.perm[p] === 0) return false;
    this.dropCode(first, count);
    if ((prot & PROT_MASK) !== 0) this.mayHoldData.fill(1, first, first + count);
    for (let p = first; p < first + count; p++) {
      const shared = this.perm[p] & PAGE_SHARED;
      this.perm[p] = this.perm[p] & PAST_EOF && pastEofBits(prot) ? 0x80 | pastEofBits(prot) | shared : accessBits(prot) | 0x80 | shared;
    }
    return true;
  }

  /** Makes the mapped pages of [addr, addr+len) (page-aligned) pages past the end of their file (PAGE_PAST_EOF_R), shared ones still shared. */
  markPastEof(addr: number, len: number): void {
    const first = addr >>> PAGE_SHIFT, count = len >>> PAGE_SHIFT;
    this.dropCode(first, count);
    for (let p = first; p < first + count; p++) {
      const bits = pastEofBits(this.perm[p]);
      if (bits) this.perm[p] = 0x80 | bits | (this.perm[p] & PAGE_SHARED);
    }
  }

  // ---- shared mappings ----

  /** The host address of guest address `addr` (only shared mappings and futexes need it). */
  hostAddress(addr: number): bigint {
    this.hostBase ??= libc().addressOf(this.bytes);
    return this.hostBase + BigInt(addr >>> 0);
  }

  /**
   * Makes [addr, addr+len) (page-aligned, already mapped) a shared mapping of host descriptor
   * `hostFd` at `offset`; the region takes its own duplicate of the descriptor. Returns 0 or
   * -errno (host numbering).
   */
  mapShared(addr: number, len: number, prot: number, hostFd: number, offset: number, writable: boolean): number {
    const key = fileKey(hostFd);
    const own = (key !== null ? this.takeParked(key, writable) : undefined) ?? libc().fcntl(hostFd, F_DUPFD_CLOEXEC, 0);
    if (own < 0) return own;
    this.releaseShared(addr, len);
    const r = libc().mapFixed(this.hostAddress(addr), len, writable ? 3 : 1, own, offset);
    if (r < 0) {
      this.dropRegionFd(own);
      return r;
    }
    this.sharedRegions.push({ addr, len, hostFd: own, offset, writable });
    this.markShared(addr, len, prot);
    this.syncSharedEof(addr, len);
    return 0;
  }

  /**
   * Makes the pages of shared file mappings in [addr, addr+len) that lie wholly past the end
   * of their file pages past EOF, and those the file reaches again ordinary shared pages.
   * The host raises SIGBUS in urun itself at a touch of such a page, which no guest handler
   * could catch; the guest's touch faults here instead. Called at mmap, at a fault on such
   * a page (the file may have grown: a database that maps ahead of what it has written) and
   * after the guest truncates a file.
   */
  syncSharedEof(addr = 0, len = 2 ** 32): void {
    // (This instance's regions: the process's, unless it is a guest thread's Worker's view.)
    for (const r of this.sharedRegions) {
      if (r.hostFd === undefined || r.addr + r.len <= addr || addr + len <= r.addr) continue;
      let size: number;
      try {
        size = fs.fstatSync(r.hostFd).size;
      } catch {
        continue;
      }
      const firstPast = r.addr + pageAlignUp(Math.max(0, size - r.offset));
      const from = Math.max(addr, r.addr) / PAGE_SIZE, to = Math.min(addr + len, r.addr + r.len) / PAGE_SIZE;
      for (let p = from; p < to; p++) {
        const v = this.perm[p];
        if ((v & PAGE_SHARED) === 0) continue;
        if (p * PAGE_SIZE >= firstPast) {
          if ((v & PAST_EOF) === 0) this.markPastEof(p * PAGE_SIZE, PAGE_SIZE);
        } else if ((v & PAST_EOF) !== 0) {
          this.perm[p] = 0x80 | (v & PAGE_PAST_EOF_R ? PROT_READ : 0) | (v & PAGE_PAST_EOF_W ? PROT_WRITE : 0) | PAGE_SHARED;
        }
      }
    }
  }

  /**
   * Makes [addr, addr+len) (page-aligned, already mapped) the part of host SysV segment
   * `shmid` (page-rounded size `size`) that starts at `offset`. The segment is attached where
   * the host likes, and that attachment moved into place, so that nothing in the guest range
   * changes unless the attach succeeds (permissions, a removed segment), and an attachment of
   * the same segment being replaced never leaves it unattached (it would be destroyed after
   * IPC_RMID). Returns 0 or -errno (host numbering).
   */
  attachSysv(addr: number, len: number, prot: number, shmid: number, offset: number, size: number, writable: boolean): number {
    const h = libc();
    if (offset < 0 || len <= 0 || offset + len > size) return -22; // EINVAL
    const tmp = h.shmat(shmid, writable ? 0 : SHM_RDONLY);
    if (typeof tmp === 'number') return tmp;
    this.releaseShared(addr, len);
    const r = h.moveMapping(tmp + BigInt(offset), len, this.hostAddress(addr));
    // Only what is still ours (the parts not moved) is unmapped: the moved range is free host
    // address space again, which another thread may already have taken.
    if (r < 0) {
      h.munmap(tmp, size);
      return r;
    }
    if (offset > 0) h.munmap(tmp, offset);
    if (offset + len < size) h.munmap(tmp + BigInt(offset + len), size - offset - len);
    this.sharedRegions.push({ addr, len, shmid, size, offset, writable });
    this.markShared(addr, len, prot);
    return 0;
  }

  /** The permission table's side of a new shared region. */
  private markShared(addr: number, len: number, prot: number): void {
    const first = addr >>> PAGE_SHIFT;
    const count = len >>> PAGE_SHIFT;
    this.dropCode(first, count);
    for (let p = first; p < first + count; p++) this.mayHoldData[p] = 1;
    this.perm.fill(accessBits(prot) | 0x80 | PAGE_SHARED, first, first + count);
  }

  /** Ends every shared mapping (execve: the new image starts without them, as on Linux). */
  dropShared(): void {
    for (const r of [...this.sharedRegions]) this.releaseShared(r.addr, r.len);
  }

  /** Whether [addr, addr+len) holds shared pages whose file is not open for writing. */
  sharedReadOnly(addr: number, len: number): boolean {
    return this.sharedRegions.some((r) => !r.writable && r.addr < addr + len && addr < r.addr + r.len);
  }

  /** Turns the shared pages in [addr, addr+len) back into private zero pages (host and table). */
  private releaseShared(addr: number, len: number): void {
    if (this.sharedRegions.length === 0) return;
    const end = addr + len;
    for (const r of [...this.sharedRegions]) {
      const rEnd = r.addr + r.len;
      if (rEnd <= addr || r.addr >= end) continue;
      const from = Math.max(addr, r.addr), to = Math.min(end, rEnd);
      // Fresh anonymous memory in its place: what the buffer had before the mapping. (For a
      // SysV segment, that is the host's detach.)
      libc().mapFixed(this.hostAddress(from), to - from, 3, -1, 0);
      for (let p = from >>> PAGE_SHIFT; p < to >>> PAGE_SHIFT; p++) this.perm[p] &= ~PAGE_SHARED;
      this.sharedRegions.splice(this.sharedRegions.indexOf(r), 1);
      const pieces: SharedRegion[] = [];
      if (r.addr < from) pieces.push({ ...r, len: from - r.addr });
      if (to < rEnd) pieces.push({ ...r, addr: to, len: rEnd - to, offset: r.offset + (to - r.addr) });
      if (r.hostFd === undefined) {
        this.sharedRegions.push(...pieces);
        continue;
      }
      const hostFd = r.hostFd;
      pieces.forEach((piece, i) => {
        // Each piece owns a descriptor: the first keeps the region's, others get duplicates.
        const fd = i === 0 ? hostFd : libc().fcntl(hostFd, F_DUPFD_CLOEXEC, 0);
        this.sharedRegions.push({ ...piece, hostFd: fd } as FileRegion);
      });
      if (pieces.length === 0) this.dropRegionFd(hostFd);
    }
  }

  /**
   * Descriptors of file regions gone (munmap, a mapping replaced), by file ("dev:ino"), still
   * open: closing a descriptor of a file drops every fcntl record lock the (host) process holds
   * on it, which the guest's munmap must not do (SQLite, TDB and LMDB lock, unmap and map
   * again while holding their locks). They are closed when the guest closes a descriptor of
   * the same file (which drops those locks on Linux too: releaseParked), and reused by the
   * next mapping of that file, so that a program mapping and unmapping keeps a few at most.
   * Only while the guest has the file open: without a descriptor it can hold no lock on it.
   */
  private readonly parkedFds = new Map<string, number[]>();
  /** Whether the guest has a descriptor of the file `key` ("dev:ino", see devIno) open (the Kernel's table says). */
  guestHasOpen: ((key: string) => boolean) | null = null;

  /** A parked descriptor of file `key` that can map it (writable: opened O_RDWR), taken out of the list. */
  private takeParked(key: string, writable: boolean): number | undefined {
    const list = this.parkedFds.get(key);
    const i = list?.findIndex((fd) => !writable || (libc().fcntl(fd, F_GETFL, 0) & 3) === 2) ?? -1;
    return i < 0 ? undefined : list!.splice(i, 1)[0];
  }

  /** Closes a region's descriptor, or parks it if closing could drop the guest's locks (see parkedFds). */
  dropRegionFd(fd: number): void {
    const key = fileKey(fd);
    if (key === null || this.guestHasOpen?.(key) !== true) {
      fs.closeSync(fd);
      return;
    }
    const list = this.parkedFds.get(key);
    if (list) list.push(fd);
    else this.parkedFds.set(key, [fd]);
  }

  /** The guest is closing host descriptor `hostFd`: parked descriptors of the same file close too (the locks go either way). */
  releaseParked(hostFd: number): void {
    if (this.parkedFds.size === 0) return;
    const key = fileKey(hostFd);
    const list = key === null ? undefined : this.parkedFds.get(key);
    if (!list) return;
    this.parkedFds.delete(key!);
    for (const fd of list) fs.closeSync(fd);
  }

  private dropCode(first: number, count: number): void {
    for (let p = first; p < first + count; p++) {
      if (this.perm[p] & PAGE_CODE) this.onCodeWrite(p);
    }
  }

  /** Finds a free, page-aligned range of len bytes searching down from below `top`. */
  findFree(len: number, top: number, bottom: number): number {
    const count = len >>> PAGE_SHIFT;
    let run = 0;
    for (let p = (top >>> PAGE_SHIFT) - 1; p >= bottom >>> PAGE_SHIFT; p--) {
      if (this.perm[p] === 0) {
        if (++run === count) return p * PAGE_SIZE;
      } else run = 0;
    }
    throw new OutOfGuestMemory(`no free guest range of ${len} bytes`);
  }
}
