// 32-bit ARM EABI Linux ABI (armhf: ARMv7-A hard-float, armel: ARMv5TE soft-float; both
// little-endian): numbers, flag bits and struct layouts that differ from the generic ABI, the
// ARM private syscalls (0xf0000 + n) and the EABI syscall convention (number in r7, args in
// r0-r6, result or a negative errno in r0).
//
// Layouts below were checked against arm-linux-gnueabihf / arm-linux-gnueabi programs printing
// offsetof()/sizeof() of the kernel UAPI structs and probing the raw syscalls under qemu-arm.
import { ArchAbi, GENERIC_RLIMITS, HostStat, OpenFlag, StructWriter, TerminalIoctl, nsec, sec } from '../abi.js';
import { ARM_EABI_SYSCALLS } from '../abi/numbers.generated.js';
import { GENERIC_SOCKET_ABI } from './socket-abi.js';
import type { GuestMemory } from '../../memory/memory.js';
import { arg64, type SyscallRecord } from '../records.js';
import { fadvise, syncFileRange } from '../files.js';
import type { Dispatcher } from '../dispatch.js';
import { E } from '../errno.js';
import { GuestFault, ILL_ILLTRP, SIGILL, sigsetFromWords, sigsetWords } from '../../engine/signals.js';
import { sigaction, sigsuspend } from '../signals.js';

/** Where the ARM private syscalls start (ARM_cacheflush is 0xf0002). */
const ARM_PRIVATE_BASE = 0xf0000;

export type ArmVariant = 'armhf' | 'armel';

/** What the syscall hook needs of an ARM CPU: its 16 core registers. */
export interface ArmSyscallCpu {
  readonly R: Int32Array;
}

export type ArmSyscallHook = (cpu: ArmSyscallCpu, pc: number) => void;

// arch/arm/include/uapi/asm/fcntl.h moves four bits; the rest are asm-generic/fcntl.h.
const ARM_OPEN_FLAGS: Record<OpenFlag, number> = {
  O_WRONLY: 0o1, O_RDWR: 0o2, O_CREAT: 0o100, O_EXCL: 0o200, O_NOCTTY: 0o400, O_TRUNC: 0o1000,
  O_APPEND: 0o2000, O_NONBLOCK: 0o4000, O_DSYNC: 0o10000, O_ASYNC: 0o20000,
  O_DIRECTORY: 0o40000, O_NOFOLLOW: 0o100000, O_DIRECT: 0o200000, O_LARGEFILE: 0o400000,
  O_NOATIME: 0o1000000, O_CLOEXEC: 0o2000000,
  O_SYNC: 0o4010000, // __O_SYNC | O_DSYNC
  O_PATH: 0o10000000,
  O_TMPFILE: 0o20040000, // __O_TMPFILE | O_DIRECTORY
};

/** ARM uses the generic signal numbers: the guest number is the host number. */
const IDENTITY_SIGNALS: Record<number, number> = {};
for (let s = 1; s <= 31; s++) IDENTITY_SIGNALS[s] = s;

/** struct stat64, arch/arm/include/uapi/asm/stat.h (EABI: 64-bit members 8-byte aligned). */
const STAT64_SIZE = 104;
/** struct statfs64, asm-generic/statfs.h packed to 4-byte alignment on ARM EABI. */
const STATFS64_SIZE = 84;
/** The kernel's struct sigaction as rt_sigaction sees it: handler, flags, restorer, 64-bit mask. */
const SIGACTION_SIZE = 20;

function writeStat64(mem: GuestMemory, addr: number, st: HostStat): void {
  // 0 st_dev u64 | 8 pad | 12 __st_ino u32 | 16 st_mode | 20 st_nlink | 24 st_uid | 28 st_gid
  // 32 st_rdev u64 | 40 pad | 48 st_size s64 | 56 st_blksize u32 | 60 pad | 64 st_blocks u64
  // 72/76 atime sec/nsec | 80/84 mtime | 88/92 ctime | 96 st_ino u64
  mem.bytes.fill(0, addr, addr + STAT64_SIZE);
  new StructWriter(mem, addr)
    .u64(0, st.dev).u32(12, Number(st.ino & 0xffffffffn)).u32(16, st.mode).u32(20, st.nlink)
    .u32(24, st.uid).u32(28, st.gid).u64(32, st.rdev).u64(48, st.size).u32(56, st.blksize).u64(64, st.blocks)
    .u32(72, sec(st.atimeNs)).u32(76, nsec(st.atimeNs)).u32(80, sec(st.mtimeNs)).u32(84, nsec(st.mtimeNs))
    .u32(88, sec(st.ctimeNs)).u32(92, nsec(st.ctimeNs)).u64(96, st.ino);
}

/**
 * The old struct stat (stat, lstat, fstat), 64 bytes: 0 st_dev | 4 st_ino | 8 st_mode u16 |
 * 10 st_nlink u16 | 12 st_uid u16 | 14 st_gid u16 | 16 st_rdev | 20 st_size | 24 st_blksize |
 * 28 st_blocks | 32/36 atime sec/nsec | 40/44 mtime | 48/52 ctime | 56, 60 unused. A uid or gid
 * beyond 16 bits is the overflow id (65534), as the kernel's SET_UID makes it.
 */
function writeStat(mem: GuestMemory, addr: number, st: HostStat): void {
  const id16 = (id: number): number => (id > 0xffff ? 65534 : id);
  mem.bytes.fill(0, addr, addr + 64);
  new StructWriter(mem, addr)
    .u32(0, Number(st.dev & 0xffffffffn)).u32(4, Number(st.ino)).u16(8, st.mode).u16(10, st.nlink)
    .u16(12, id16(st.uid)).u16(14, id16(st.gid)).u32(16, Number(st.rdev & 0xffffffffn)).u32(20, Number(st.size))
    .u32(24, st.blksize).u32(28, Number(st.blocks & 0xffffffffn))
    .u32(32, sec(st.atimeNs)).u32(36, nsec(st.atimeNs)).u32(40, sec(st.mtimeNs)).u32(44, nsec(st.mtimeNs))
    .u32(48, sec(st.ctimeNs)).u32(52, nsec(st.ctimeNs));
}


/** asm-generic/ioctls.h: ARM's numbers, and the x86-64 host's. */
export const GENERIC_TERMINAL_IOCTLS: Record<TerminalIoctl, number> = {
  TCGETS: 0x5401, TCSETS: 0x5402, TCSETSW: 0x5403, TCSETSF: 0x5404, TCSBRK: 0x5409, TCXONC: 0x540a,
  TCFLSH: 0x540b, TIOCEXCL: 0x540c, TIOCNXCL: 0x540d, TIOCSCTTY: 0x540e, TIOCGPGRP: 0x540f, TIOCSPGRP: 0x5410,
  TIOCOUTQ: 0x5411, TIOCSTI: 0x5412, TIOCGWINSZ: 0x5413, TIOCSWINSZ: 0x5414, TIOCNOTTY: 0x5422, TIOCGSID: 0x5429,
  TIOCGETD: 0x5424, TIOCSETD: 0x5423, TIOCGPTN: 0x80045430, TIOCSPTLCK: 0x40045431, TIOCGPTPEER: 0x5441,
  TCSBRKP: 0x5425, FIOCLEX: 0x5451, FIONCLEX: 0x5450, FIOASYNC: 0x5452,
  TIOCPKT: 0x5420, TIOCGPKT: 0x80045438, TIOCSIG: 0x40045436,
};

export function armAbi(variant: ArmVariant): ArchAbi {
  return {
    name: variant,
    stackRegister: 13,
    // The 3 GB user space of Debian's kernels (VMSPLIT_3G: TASK_SIZE is PAGE_OFFSET - 16 MiB).
    layout: { taskSize: 0xbf000000, stackTop: 0xbf000000, mmapTop: 0xb7000000, stackSize: 8 << 20 },
    // r0 = result. The syscall hook gets svc's address with bit 0 set in Thumb state, where
    // svc is two bytes long.
    syscallReturn: (state, pc, value) => {
      state.R[0] = value;
      state.pc = pc & 1 ? ((pc & ~1) + 2) | 1 : (pc + 4) | 0;
    },
    // What uname(2) says is the CPU, not the userland ABI: qemu-arm's default CPU (and any
    // ARMv7 board running Debian armel) reports armv7l for both; the goldens record that.
    unameMachine: 'armv7l',
    syscallNames: ARM_EABI_SYSCALLS,
    guestErrno: (g) => g, // asm-generic errno numbers
    openFlags: ARM_OPEN_FLAGS,
    mmap: { SHARED: 0x1, PRIVATE: 0x2, FIXED: 0x10, ANONYMOUS: 0x20, NORESERVE: 0x4000, FIXED_NOREPLACE: 0x100000 },
    signals: IDENTITY_SIGNALS,
    hostToGuestSignal: IDENTITY_SIGNALS,
    signalAbi: { saSiginfo: 4, saNocldwait: 2, siCodeOffset: 8, siTimer: -2, stackSizeFirst: false, sigBlock: 0 },
    socket: GENERIC_SOCKET_ABI,
    ioctl: {
      TCGETS: 0x5401, TCSETS: 0x5402, TCSETSW: 0x5403, TCSETSF: 0x5404, TIOCGWINSZ: 0x5413,
      TIOCGPGRP: 0x540f, FIONREAD: 0x541b, FIONBIO: 0x5421,
      FICLONE: 0x40049409, FICLONERANGE: 0x4020940d, FS_IOC_GETFLAGS: 0x80046601, FS_IOC_SETFLAGS: 0x40046602,
      SIOCATMARK: 0x8905, SIOCGSTAMP_NEW: 0x80108906, SIOCGSTAMPNS_NEW: 0x80108907,
      NS_GET_USERNS: 0xb701, NS_GET_PARENT: 0xb702, NS_GET_NSTYPE: 0xb703, NS_GET_OWNER_UID: 0xb704,
      FIGETBSZ: 0x2, FIOQSIZE: 0x545e,
      RNDGETENTCNT: 0x80045200, FS_IOC_GETVERSION: 0x80047601, FS_IOC_FSGETXATTR: 0x801c581f, FS_IOC_FSSETXATTR: 0x401c5820,
    },
    sysvIpc: { shmlba: 0x4000, layout: 'generic' }, // SHMLBA: 4 pages (VIPT caches)
    sigsetBytes: 8,
    rlimits: GENERIC_RLIMITS, // _NSIG (64) / 8
    termiosNccs: 19,
    // ARM uses asm-generic's ioctls and termios, as the x86-64 host does.
    terminal: {
      ioctl: GENERIC_TERMINAL_IOCTLS,
      nccs: 19,
      ccFromHost: Array.from({ length: 19 }, (_, i) => i),
      lflagMoved: [],
    },
    fcntlLocks: {
      GETLK: 5, SETLK: 6, SETLKW: 7, GETLK64: 12, SETLK64: 13, SETLKW64: 14, SETOWN: 8, GETOWN: 9,
      flockSize: 16, flockPidAt: 12,
    },
    writeStat64,
    statSize: 64,
    writeStat,
    // asm-generic/statfs.h: f_type, f_bsize, the counts, f_fsid, f_namelen, f_frsize, f_flags.
    statfsFields: ['type', 'bsize', 'blocks', 'bfree', 'bavail', 'files', 'ffree', 'fsid', 'namelen', 'frsize', 'flags'],
    statfsSize: 64,
    statfs64Size: STATFS64_SIZE,
    // glibc's struct statfs64 is not packed, so it passes 88; the kernel's entry
    // (sys_statfs64_wrapper) takes 88 as 84.
    statfs64SizeAlias: 88,
    readSigaction(mem, addr) {
      return {
        handler: mem.read32(addr), flags: mem.read32(addr + 4), restorer: mem.read32(addr + 8),
        mask: [mem.read32(addr + 12), mem.read32(addr + 16)],
      };
    },
    writeSigaction(mem, addr, act) {
      mem.bytes.fill(0, addr, addr + SIGACTION_SIZE);
      new StructWriter(mem, addr).u32(0, act.handler).u32(4, act.flags).u32(8, act.restorer ?? 0)
        .u32(12, act.mask[0] ?? 0).u32(16, act.mask[1] ?? 0);
    },
  };
}

export const ARMHF_ABI = armAbi('armhf');
export const ARMEL_ABI = armAbi('armel');

/**
 * ARM-only syscalls. Names are those of ARM_EABI_SYSCALLS, so the dispatcher finds them by
 * number: 0xf0002 ARM_cacheflush, 0xf0005 ARM_set_tls, 0xf0006 ARM_get_tls, and ARM's reordered-argument twins
 * of fadvise64_64 and sync_file_range (64-bit arguments must sit in even register pairs).
 */
export const ARM_SYSCALLS: SyscallRecord[] = [
  {
    // cacheflush(start, end, flags): end is exclusive; flags must be 0.
    name: 'ARM_cacheflush', args: ['ptr', 'ptr', 'int'],
    run: (k, a) => {
      const start = a[0] >>> 0, end = a[1] >>> 0;
      if (end < start || a[2] !== 0) return -E.EINVAL;
      k.invalidateCode(start, end - start);
      return 0;
    },
  },
  { name: 'ARM_set_tls', args: ['hex'], run: (k, a) => (k.setTls(a[0] >>> 0), 0) },
  // 0xf0006: the TLS pointer, as `mrc p15, 0, r0, c13, c0, 3` reads it.
  { name: 'ARM_get_tls', args: [], run: (k) => k.cpu!.tls | 0, hexResult: true },
  // The old sigaction: struct old_sigaction { handler; old_sigset_t mask; flags; restorer }.
  {
    name: 'sigaction', args: ['sig', 'ptr', 'ptr'],
    run: (k, a) => {
      const [act, old] = [a[1], a[2]];
      if ((act && !k.mem.checkRange(act, 16, false)) || (old && !k.mem.checkRange(old, 16, true))) return -E.EFAULT;
      const m = k.mem;
      const cur = sigaction(k, a[0], act ? { handler: m.read32(act), mask: sigsetFromWords(m.read32(act + 4), 0), flags: m.read32(act + 8), restorer: m.read32(act + 12) } : null);
      if (typeof cur === 'number') return cur;
      if (old) new StructWriter(m, old).u32(0, cur.handler).u32(4, sigsetWords(cur.mask)[0]).u32(8, cur.flags).u32(12, cur.restorer);
      return 0;
    },
  },
  // sigsuspend(restart, oldmask, mask): the new mask is the third argument's one word.
  { name: 'sigsuspend', args: ['int', 'hex', 'hex'], run: (k, a) => sigsuspend(k, sigsetFromWords(a[2], 0)) },
  // arm_fadvise64_64(fd, advice, offset lo/hi, len lo/hi).
  { name: 'arm_fadvise64_64', args: ['fd', 'int', 'int', 'int', 'int', 'int'], run: (k, a) => fadvise(k, a[0], arg64(k, a, 4), a[1]) },
  // arm_sync_file_range (sync_file_range2)(fd, flags, offset, nbytes).
  {
    name: 'arm_sync_file_range', args: ['fd', 'hex', 'int', 'int', 'int', 'int'],
    run: (k, a) => syncFileRange(k, a[0], arg64(k, a, 2), arg64(k, a, 4), a[1]),
  },
];

/** The EABI calling convention around a dispatcher: `svc 0` with the number in r7. */
export function eabiSyscallHook(dispatcher: Dispatcher): ArmSyscallHook {
  const k = dispatcher.kernel;
  return (cpu: ArmSyscallCpu, pc: number) => {
    const R = cpu.R;
    k.secondResult = null;
    const nr = R[7] >>> 0;
    // Above the ARM private calls' base, Linux answers ENOSYS only in 0xf0000-0xf07ff; any
    // other number there is a bad syscall: SIGILL (ILL_ILLTRP) at the svc (arm_syscall).
    if (nr >= ARM_PRIVATE_BASE && (nr >>> 16 !== ARM_PRIVATE_BASE >>> 16 || (nr & 0xffff) > 0x7ff)) {
      throw new GuestFault(SIGILL, pc & ~1, `bad syscall 0x${nr.toString(16)} at`, ILL_ILLTRP);
    }
    const r = dispatcher.call(nr, [R[0], R[1], R[2], R[3], R[4], R[5], R[6]], pc);
    // Generic errno numbers, so a failure is already the -errno the guest expects in r0.
    R[0] = r;
  };
}
