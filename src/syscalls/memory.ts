// Memory syscalls: the program break and mappings.
import * as fs from 'node:fs';
import { PAGE_PAST_EOF_R, PAGE_PAST_EOF_W, PAGE_SHARED, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, pageAlignUp, type SharedRegion } from '../memory/memory.js';
import { E, hostErrno } from './errno.js';
import { F_DUPFD_CLOEXEC, libc } from '../host/libc.js';
import { readFully } from '../host/files.js';
import { Kernel, OpenFile } from './kernel.js';
import { R } from './records.js';
import { isTerminal } from './terminals.js';
import type { SyscallRecord } from './records.js';

/** mprotect's flags beyond rwx (the same on MIPS and ARM): PROT_SEM is accepted and ignored, as Linux does. */
const PROT_SEM = 0x8, PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000;

/** fcntl's F_GET_SEALS and the seals that forbid writing (the same on every arch). */
const F_GET_SEALS = 1034, F_SEAL_WRITE = 0x8, F_SEAL_FUTURE_WRITE = 0x10;

/**
 * MAP_SHARED: the guest pages become a host mapping of the file (of a memfd for anonymous
 * memory), so writes reach the file and other processes, and theirs reach the guest.
 */
function mmapShared(k: Kernel, addr: number, len: number, prot: number, fixed: boolean, noReplace: boolean,
  file: OpenFile | null, offset: number): number {
  const o = k.abi.openFlags;
  const accmode = file ? file.flags & 3 : o.O_RDWR;
  if (file && accmode === o.O_WRONLY) return -E.EACCES;
  let writable = accmode === o.O_RDWR;
  if (prot & PROT_WRITE && !writable) return -E.EACCES;
  // A memfd sealed against writes (F_SEAL_WRITE, F_SEAL_FUTURE_WRITE) maps read-only without
  // VM_MAYWRITE, as Linux does: the host refuses a writable mapping (EPERM, which a PROT_WRITE
  // request gets too), and a later mprotect to write is EACCES.
  if (file && writable && !(prot & PROT_WRITE)) {
    const seals = libc().fcntl(file.hostFd, F_GET_SEALS, 0);
    if (seals > 0 && seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) writable = false;
  }
  const size = pageAlignUp(len);
  let hostFd: number;
  // All of it is the file's, past its end too: what the file gains later shows there (a
  // database that maps more than it has written, LMDB's way). A touch of a page past the end
  // is the guest's SIGBUS (GuestMemory.syncSharedEof), never the host's.
  if (file) {
    hostFd = file.hostFd;
  } else {
    hostFd = libc().memfd('urun-shared');
    if (hostFd < 0) return hostFd;
    fs.ftruncateSync(hostFd, size);
  }
  try {
    const at = k.mapRegion(addr, size, prot, fixed, noReplace, { shared: true });
    if (at < 0) return at;
    const r = k.mem.mapShared(at, size, prot, hostFd, offset, writable);
    if (r < 0) {
      k.mem.unmap(at, size);
      return r;
    }
    if (file) {
      k.nameRange(at, at + size, file.path, offset);
    }
    return at;
  } finally {
    if (!file) fs.closeSync(hostFd);
  }
}

/** Whether the pages from old+oldLen up to old+newLen are free: a mapping can grow in place. */
function freeAfter(k: Kernel, old: number, oldLen: number, newLen: number): boolean {
  return old + newLen <= k.layout.taskSize && !k.mem.anyMapped(old + oldLen, newLen - oldLen);
}

/** mremap of a shared mapping: the pages are the file's, so growing or moving maps the file again. */
function mremapShared(k: Kernel, old: number, oldLen: number, newLen: number, flags: number, r: SharedRegion): number {
  const prot = k.mem.perm[old / PAGE_SIZE] & 7;
  const offset = r.offset + (old - r.addr);
  const free = freeAfter(k, old, oldLen, newLen);
  let at = old;
  if (!free) {
    if (!(flags & 1)) return -E.ENOMEM; // MREMAP_MAYMOVE
    at = k.mapRegion(0, newLen, prot, false, false, { shared: true, released: oldLen });
    if (at < 0) return at;
  } else {
    if (!k.mayExpand(old + oldLen, newLen - oldLen, prot, { shared: true })) return -E.ENOMEM;
    k.mem.map(old + oldLen, newLen - oldLen, prot);
  }
  if (r.hostFd === undefined) {
    // A SysV attachment: the new range is attached before the old one goes, so the segment is
    // never left unattached. Pages past the segment's end stay private zero pages (Linux
    // would raise SIGBUS on touching them).
    const res = k.mem.attachSysv(at, Math.min(newLen, r.size - offset), prot, r.shmid, offset, r.size, r.writable);
    if (res < 0) {
      if (at !== old) k.mem.unmap(at, newLen);
      return res;
    }
    if (at !== old) k.mem.unmap(old, oldLen);
    return at;
  }
  // The region's descriptor stays open when the old range goes (GuestMemory.parkedFds), or
  // is a memfd's, whose duplicate is taken first: closing a file's would drop its locks.
  const hostFd = libc().fcntl(r.hostFd, F_DUPFD_CLOEXEC, 0);
  if (hostFd < 0) return hostFd;
  if (at !== old) k.mem.unmap(old, oldLen);
  const res = k.mem.mapShared(at, newLen, prot, hostFd, offset, r.writable);
  k.mem.dropRegionFd(hostFd);
  return res < 0 ? res : at;
}

const MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;

/**
 * mremap: shrinks in place, grows in place when the pages after are free, or (MAYMOVE) moves
 * to a new place, or (FIXED) to `to`, replacing what is there; DONTUNMAP leaves the old range
 * mapped (its private pages zero).
 */
function mremap(k: Kernel, old: number, oldLenArg: number, newLenArg: number, flags: number, to: number): number {
  const oldLen = pageAlignUp(oldLenArg), newLen = pageAlignUp(newLenArg);
  if (old % PAGE_SIZE || newLen === 0 || flags & ~7) return -E.EINVAL;
  if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP) && !(flags & MREMAP_MAYMOVE)) return -E.EINVAL;
  if (flags & MREMAP_DONTUNMAP && oldLen !== newLen) return -E.EINVAL;
  const fixed = (flags & MREMAP_FIXED) !== 0;
  if (fixed && (to % PAGE_SIZE || (to < old + Math.max(oldLen, 1) && old < to + newLen) || to + newLen > k.layout.taskSize)) return -E.EINVAL;
  if (!k.mem.allMapped(old, Math.max(oldLen, PAGE_SIZE))) return -E.EFAULT;
  const shared = k.mem.sharedRegions.find((r) => r.addr <= old && old < r.addr + r.len);
  // An old length of 0 asks for a second mapping of the same pages: only a shared mapping has
  // them to give (Linux refuses a private one since 4.14's vma_to_resize check).
  if (oldLen === 0 && !shared) return -E.EINVAL;
  const prot = k.mem.perm[old / PAGE_SIZE] & 7;
  if (!fixed && !(flags & MREMAP_DONTUNMAP)) {
    if (newLen <= oldLen) {
      if (newLen < oldLen) k.mem.unmap(old + newLen, oldLen - newLen);
      return old;
    }
    if (shared) return mremapShared(k, old, oldLen, newLen, flags, shared);
    if (freeAfter(k, old, oldLen, newLen)) {
      if (!k.mayExpand(old + oldLen, newLen - oldLen, prot)) return -E.ENOMEM;
      k.mem.map(old + oldLen, newLen - oldLen, prot);
      return old;
    }
    if (!(flags & MREMAP_MAYMOVE)) return -E.ENOMEM;
  }
  if (shared) return -E.EINVAL; // (moving a shared mapping to a given place: not done)
  const named = k.mappingNames.find((m) => m.start <= old && old < m.end);
  const name = named?.name ?? null;
  const at = k.mapRegion(fixed ? to : 0, newLen, PROT_READ | PROT_WRITE, fixed, false, { prot, released: flags & MREMAP_DONTUNMAP ? 0 : oldLen });
  if (at < 0) return at;
  k.mem.bytes.copyWithin(at, old, old + Math.min(oldLen, newLen));
  k.mem.protect(at, newLen, prot);
  k.nameRange(at, at + newLen, name, named ? (named.offset ?? 0) + (old - named.start) : 0);
  if (flags & MREMAP_DONTUNMAP) k.mem.discardPages(old / PAGE_SIZE, oldLen / PAGE_SIZE);
  else {
    k.mem.unmap(old, oldLen);
    k.nameRange(old, old + oldLen, null);
  }
  return at;
}

/** mlock, mlock2 and munlock: the range (widened to whole pages) must be mapped; MLOCK_ONFAULT
 * is the only flag. Nothing is locked: guest memory is never paged out. */
function lockRange(k: Kernel, addr: number, len: number, flags: number): number {
  if (flags & ~1) return -E.EINVAL;
  if (pageAlignUp(addr + len) > 2 ** 32) return -E.ENOMEM;
  return k.mem.allMapped(addr, len) ? 0 : -E.ENOMEM;
}

/**
 * The flags MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK, and MAP_FIXED_NOREPLACE),
 * in MIPS's numbering (MAP_ANONYMOUS 0x800) and ARM's; any other bit is EOPNOTSUPP.
 */
const VALIDATED_MMAP_FLAGS_MIPS = 0x0f | 0x10 | 0x400 | 0x800 | 0x1000 | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000 | 0x40000 | 0x80000 | 0x100000 | 0x4000000;
const VALIDATED_MMAP_FLAGS_ARM = 0x0f | 0x10 | 0x20 | 0x100 | 0x800 | 0x1000 | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000 | 0x40000 | 0x100000 | 0x4000000;

function mmap(k: Kernel, addr: number, len: number, prot: number, flags: number, fd: number, offset: number): number {
  const m = k.abi.mmap;
  if (len === 0) return -E.EINVAL;
  if (offset % PAGE_SIZE !== 0) return -E.EINVAL;
  const anon = (flags & m.ANONYMOUS) !== 0;
  const fixed = (flags & (m.FIXED | m.FIXED_NOREPLACE)) !== 0;
  let file: OpenFile | null = null;
  if (!anon) {
    file = k.file(fd);
    if (!file) return -E.EBADF;
  }
  // The mapping's type (MAP_TYPE, 0xf on every arch): shared or private, or for a file
  // MAP_SHARED_VALIDATE (3), which refuses flags it does not know; anything else is EINVAL.
  const type = flags & 0xf;
  if (type === (m.SHARED | m.PRIVATE) && file) {
    if (flags & ~(m.ANONYMOUS === 0x800 ? VALIDATED_MMAP_FLAGS_MIPS : VALIDATED_MMAP_FLAGS_ARM)) return -E.EOPNOTSUPP;
  } else if (type !== m.SHARED && type !== m.PRIVATE) return -E.EINVAL;
  if (file?.isDir || (file && !mappableHostFile(file.hostFd))) return -E.ENODEV;
  if (flags & m.SHARED) return mmapShared(k, addr, len, prot, fixed, (flags & m.FIXED_NOREPLACE) !== 0, file, offset);
  const at = k.mapRegion(addr, len, prot | (file ? PROT_WRITE : 0), fixed, (flags & m.FIXED_NOREPLACE) !== 0, { prot });
  if (at < 0) return at;
  k.nameRange(at, at + pageAlignUp(len), file ? file.path : null, offset);
  if (file) {
    let done: number;
    try {
      done = readFully(file.hostFd, k.mem.bytes, at, len, offset);
    } catch (e) {
      k.mem.unmap(at, pageAlignUp(len));
      return hostErrno(e);
    }
    k.mem.protect(at, pageAlignUp(len), prot);
    // Pages wholly past the end of the file: SIGBUS when touched (the partial last page reads zeros past the end).
    if (done < len) k.mem.markPastEof(at + pageAlignUp(done), pageAlignUp(len) - pageAlignUp(done));
  }
  return at;
}

/**
 * Whether Linux can map what a descriptor holds: a regular file or a device (/dev/zero), not a
 * pipe, socket, terminal or an anonymous inode (eventfd, epoll...), which have no mmap: ENODEV.
 */
function mappableHostFile(hostFd: number): boolean {
  try {
    const st = fs.fstatSync(hostFd);
    return st.isFile() || st.isBlockDevice() || (st.isCharacterDevice() && !isTerminal(hostFd));
  } catch {
    return true; // (the mapping's own read reports the error)
  }
}

/**
 * After MADV_DONTNEED over [start, end): the pages of a private file mapping, which were
 * discarded (see GuestMemory.discardPages), get the file's bytes again, read through its
 * (absolute) path (a file gone since keeps the zeros).
 */
function rereadPrivateFilePages(k: Kernel, start: number, end: number): void {
  for (const m of k.mappingNames) {
    const from = Math.max(start, m.start), to = Math.min(end, m.end);
    if (from >= to || !m.name.startsWith('/') || m.name.startsWith('/SYSV')) continue;
    let fd = -1;
    try {
      for (let p = from; p < to; p += PAGE_SIZE) {
        if ((k.mem.perm[p / PAGE_SIZE] & (PAGE_SHARED | PAGE_PAST_EOF_R | PAGE_PAST_EOF_W)) !== 0) continue;
        if (fd < 0) fd = fs.openSync(k.hostPath(m.name) ?? m.name, 'r');
        fs.readSync(fd, k.mem.bytes, p, PAGE_SIZE, (m.offset ?? 0) + (p - m.start));
      }
    } catch {
      // The file is gone or unreadable now: its pages stay zero.
    } finally {
      if (fd >= 0) fs.closeSync(fd);
    }
  }
}

/** The advice madvise knows (the same numbers on MIPS and ARM): NORMAL..WILLNEED, DONTNEED, FREE..COLLAPSE, HWPOISON, SOFT_OFFLINE. */
const MADV_REMOVE = 9;
const MADV_ADVICE = new Set([0, 1, 2, 3, 4, ...Array.from({ length: 18 }, (_, i) => 8 + i), 100, 101]);

/** pkey_alloc's access rights: PKEY_DISABLE_ACCESS, PKEY_DISABLE_WRITE. */
const PKEY_ACCESS_MASK = 3;

/** mprotect and pkey_mprotect (`pkey` -1 for mprotect; see pkey_alloc). */
function mprotect(k: Kernel, addr: number, length: number, protection: number, pkey: number): number {
  let start = addr >>> 0, len = pageAlignUp(length);
  const prot = protection >>> 0;
  if (start % PAGE_SIZE || prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM | PROT_GROWSDOWN | PROT_GROWSUP)) return -E.EINVAL;
  // Above user space there is no mapping of the process's to change (ARM's vectors page).
  if (start + len > k.layout.taskSize) return len === 0 ? 0 : -E.ENOMEM;
  if (pkey !== -1 && pkey !== 0) return len === 0 ? 0 : -E.EINVAL;
  // PROT_GROWSDOWN (what glibc's _dl_make_stack_executable passes for the page at
  // __libc_stack_end when a library wants an executable stack, MIPS's libc and libgcc_s)
  // extends the change down to the start of the stack's mapping, so the stack stays one
  // mapping in /proc/self/maps, where pthread_getattr_np looks for its size. Only the main
  // stack grows down; no mapping grows up on ARM or MIPS.
  if (prot & PROT_GROWSUP) return -E.EINVAL;
  if (prot & PROT_GROWSDOWN) {
    const { stackTop, stackSize } = k.layout;
    if (len === 0) return 0;
    if (start < stackTop - stackSize || start >= stackTop) return -E.EINVAL;
    let low = start;
    while (low > stackTop - stackSize && k.mem.allMapped(low - PAGE_SIZE, PAGE_SIZE)) low -= PAGE_SIZE;
    len += start - low;
    start = low;
  }
  if (prot & PROT_WRITE && k.mem.sharedReadOnly(start, len)) return -E.EACCES;
  return k.mem.protect(start, len, prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) ? 0 : -E.ENOMEM;
}

export const MEMORY_SYSCALLS: SyscallRecord[] = [
  R('brk', ['ptr'], (k, a) => k.setBrk(a[0] >>> 0), true),
  // MIPS o32's mmap (the only arch here that has one) takes six arguments like any other call,
  // the offset in bytes; only i386-style old_mmap reads them through a pointer.
  R('mmap', ['ptr', 'uint', 'prot', 'mflags', 'fd', 'hex'],
    (k, a) => ((a[5] >>> 0) % PAGE_SIZE ? -E.EINVAL : mmap(k, a[0], a[1], a[2], a[3], a[4] | 0, a[5] >>> 0)), true),
  R('mmap2', ['ptr', 'uint', 'prot', 'mflags', 'fd', 'hex'], (k, a) => mmap(k, a[0], a[1], a[2], a[3], a[4] | 0, a[5] * 4096), true),
  R('munmap', ['ptr', 'uint'], (k, a) => {
    if (a[0] % PAGE_SIZE) return -E.EINVAL;
    const len = pageAlignUp(a[1]);
    // Nothing above user space can go (ARM's vectors page, the kuser helpers, stays).
    if (len === 0 || a[0] + len > k.layout.taskSize) return -E.EINVAL;
    k.mem.unmap(a[0], len);
    k.nameRange(a[0], a[0] + len, null);
    return 0;
  }),
  R('mprotect', ['ptr', 'uint', 'prot'], (k, a) => mprotect(k, a[0], a[1], a[2], -1)),
  // ARM and MIPS have no memory protection keys: as their kernels, none can be allocated
  // (ENOSPC), none freed (EINVAL), and pkey_mprotect takes only -1 or the default key 0.
  R('pkey_mprotect', ['ptr', 'uint', 'prot', 'int'], (k, a) => mprotect(k, a[0], a[1], a[2], a[3] | 0)),
  R('pkey_alloc', ['hex', 'hex'], (_k, a) => (a[0] !== 0 || a[1] & ~PKEY_ACCESS_MASK ? -E.EINVAL : -E.ENOSPC)),
  R('pkey_free', ['int'], () => -E.EINVAL),
  R('mremap', ['ptr', 'uint', 'uint', 'hex', 'ptr'], (k, a) => mremap(k, a[0], a[1], a[2], a[3], a[4]), true),
  R('msync', ['ptr', 'uint', 'hex'], (k, a) => {
    if (a[0] % PAGE_SIZE || a[2] & ~7 || (a[2] & 5) === 5) return -E.EINVAL; // MS_ASYNC|MS_SYNC together
    const len = pageAlignUp(a[1]);
    if (!k.mem.allMapped(a[0], len)) return -E.ENOMEM;
    for (const r of k.mem.sharedRegions) {
      const from = Math.max(r.addr, a[0]), to = Math.min(r.addr + r.len, a[0] + len);
      if (from < to) libc().msync(k.mem.hostAddress(from), to - from, 4); // MS_SYNC
    }
    return 0;
  }),
  // Guest memory is never paged out, so locking it changes nothing; what is checked is what
  // Linux checks: the flags, and (for a range) that every page is mapped.
  R('mlock', ['ptr', 'uint'], (k, a) => lockRange(k, a[0], a[1], 0)),
  R('mlock2', ['ptr', 'uint', 'hex'], (k, a) => lockRange(k, a[0], a[1], a[2])),
  R('munlock', ['ptr', 'uint'], (k, a) => lockRange(k, a[0], a[1], 0)),
  R('mlockall', ['hex'], (_k, a) => (a[0] & ~7 || !(a[0] & 3) ? -E.EINVAL : 0)), // MCL_CURRENT|MCL_FUTURE, MCL_ONFAULT only with one
  R('munlockall', [], () => 0),
  R('madvise', ['ptr', 'uint', 'int'], (k, a) => {
    if (a[0] % PAGE_SIZE || !MADV_ADVICE.has(a[2])) return -E.EINVAL;
    const len = pageAlignUp(a[1]);
    if (a[0] + len > 2 ** 32) return -E.EINVAL;
    if (len === 0) return 0;
    // MADV_DONTNEED: anonymous private pages read back as zero (shared ones are the file's),
    // those of a private file mapping as the file has them now. (What lies above user space,
    // ARM's vectors page, is no mapping of the process's.)
    const end = Math.min(a[0] + len, k.layout.taskSize);
    if (a[2] === 4 && a[0] < end) {
      k.mem.discardPages(a[0] / PAGE_SIZE, (end - a[0]) / PAGE_SIZE);
      rereadPrivateFilePages(k, a[0], end);
    }
    // The advice is taken where there are mappings; a hole in the range is ENOMEM.
    if (end < a[0] + len) return -E.ENOMEM;
    if (!k.mem.allMapped(a[0], len)) return -E.ENOMEM;
    // MADV_REMOVE frees a shared mapping's backing store: a private mapping refuses it.
    if (a[2] === MADV_REMOVE) {
      for (let p = a[0] / PAGE_SIZE; p < end / PAGE_SIZE; p++) if (!(k.mem.perm[p] & PAGE_SHARED)) return -E.EINVAL;
    }
    return 0;
  }),
  // NUMA memory policy: a 32-bit ARM or MIPS kernel has none (no CONFIG_NUMA), so ENOSYS,
  // quietly: libnuma (loaded by graphviz's, ImageMagick's codecs...) asks at start-up.
  ...['mbind', 'get_mempolicy', 'set_mempolicy', 'migrate_pages', 'move_pages', 'set_mempolicy_home_node']
    .map((name) => R(name, ['hex', 'hex', 'hex'], () => -E.ENOSYS)),
];
