// What differs per architecture in the Linux syscall interface: numbering, errno values,
// flag bits, structure layouts and how arguments and results travel in registers.
// Each arch (src/syscalls/arch/*.ts) provides one ArchAbi; everything else is generic.
import type { AddressLayout, GuestMemory } from '../memory/memory.js';
import type { CpuState } from '../engine/cpu.js';
import type { SocketAbi } from './arch/socket-abi.js';
import { E } from './errno.js';

/** Open flags as names; each arch gives its own bit for each. */
export type OpenFlag = 'O_WRONLY' | 'O_RDWR' | 'O_CREAT' | 'O_EXCL' | 'O_NOCTTY' | 'O_TRUNC' | 'O_APPEND' |
  'O_NONBLOCK' | 'O_DSYNC' | 'O_SYNC' | 'O_DIRECTORY' | 'O_NOFOLLOW' | 'O_CLOEXEC' | 'O_LARGEFILE' |
  'O_DIRECT' | 'O_NOATIME' | 'O_PATH' | 'O_TMPFILE' | 'O_ASYNC';

export interface HostStat {
  dev: bigint; ino: bigint; mode: number; nlink: number; uid: number; gid: number; rdev: bigint;
  size: bigint; blksize: number; blocks: bigint;
  atimeNs: bigint; mtimeNs: bigint; ctimeNs: bigint; birthtimeNs: bigint;
}

export type RlimitName = 'cpu' | 'fsize' | 'data' | 'stack' | 'core' | 'rss' | 'nproc' | 'nofile' | 'memlock' | 'as' |
  'locks' | 'sigpending' | 'msgqueue' | 'nice' | 'rtprio' | 'rttime';
/** asm-generic's numbering (ARM's). */
export const GENERIC_RLIMITS: ArchAbi['rlimits'] = {
  names: ['cpu', 'fsize', 'data', 'stack', 'core', 'rss', 'nproc', 'nofile', 'memlock', 'as', 'locks', 'sigpending',
    'msgqueue', 'nice', 'rtprio', 'rttime'],
  infinity32: 0xffffffff,
};

export interface ArchAbi {
  /** 'mips', 'mipsel', 'armhf', 'armel'. */
  readonly name: string;
  readonly unameMachine: string;
  readonly syscallNames: Record<number, string>;
  /** Guest errno value for a positive generic errno. */
  guestErrno(generic: number): number;
  readonly openFlags: Record<OpenFlag, number>;
  readonly mmap: { SHARED: number; PRIVATE: number; FIXED: number; ANONYMOUS: number; FIXED_NOREPLACE: number; NORESERVE: number };
  /** Guest signal number → host (generic Linux) signal number. */
  readonly signals: Record<number, number>;
  /** Host signal number → guest signal number (the inverse of `signals`). */
  readonly hostToGuestSignal: Record<number, number>;
  /** What differs in the signal interfaces besides the numbers. */
  readonly signalAbi: SignalAbi;
  /** Socket numbering (types, SOL_SOCKET, SO_*). */
  readonly socket: SocketAbi;
  readonly ioctl: { TCGETS: number; TIOCGWINSZ: number; TCSETS: number; TCSETSW: number; TCSETSF: number; TIOCGPGRP: number; FIONREAD: number; FIONBIO: number;
    FICLONE: number; FICLONERANGE: number; FS_IOC_GETFLAGS: number; FS_IOC_SETFLAGS: number;
    /** A socket's: at the urgent mark; the last packet's arrival as a timeval or timespec, 32- or 64-bit seconds. */
    SIOCATMARK: number; SIOCGSTAMP_NEW: number; SIOCGSTAMPNS_NEW: number;
    /** A namespace descriptor's (linux/nsfs.h): its owning user namespace, its parent, its CLONE_NEW* type, its owner's uid. */
    NS_GET_USERNS: number; NS_GET_PARENT: number; NS_GET_NSTYPE: number; NS_GET_OWNER_UID: number;
    /** Any descriptor's file system block size; a file's, directory's or link's bytes on disk (64-bit). */
    FIGETBSZ: number; FIOQSIZE: number;
    /** /dev/random's entropy count; an inode's generation (a 32-bit long); its struct fsxattr (xfs_io, chattr -p). */
    RNDGETENTCNT: number; FS_IOC_GETVERSION: number; FS_IOC_FSGETXATTR: number; FS_IOC_FSSETXATTR: number };
  /**
   * SysV IPC: SHMLBA (shmat addresses are multiples of it), and whose struct layouts apply:
   * MIPS's own (ipc64_perm mode u32, shmid64_ds/semid64_ds with the time's high bits last,
   * msqid64_ds time halves in byte order) or asm-generic's 32-bit ones (ARM: mode u16).
   */
  readonly sysvIpc: { shmlba: number; layout: 'mips' | 'generic' };
  /** Size of the kernel sigset_t in bytes. */
  readonly sigsetBytes: number;
  /**
   * The resource limits by guest number (getrlimit, setrlimit, prlimit64), named as in
   * /proc/self/limits (MIPS numbers NOFILE, AS, RSS, NPROC and MEMLOCK its own way), and
   * RLIM_INFINITY in the 32-bit calls (MIPS: 0x7fffffff).
   */
  readonly rlimits: { readonly names: readonly RlimitName[]; readonly infinity32: number };
  writeStat64(mem: GuestMemory, addr: number, st: HostStat): void;
  /** The old struct stat of stat, lstat and fstat (not the 64-bit one): its size, and its writer. */
  readonly statSize: number;
  writeStat(mem: GuestMemory, addr: number, st: HostStat): void;
  /** Reads a struct sigaction: handler, flags, mask words; restorer where the arch has sa_restorer (ARM). */
  readSigaction(mem: GuestMemory, addr: number): { handler: number; flags: number; mask: number[]; restorer?: number };
  writeSigaction(mem: GuestMemory, addr: number, act: { handler: number; flags: number; mask: number[]; restorer?: number }): void;
  readonly termiosNccs: number;
  /** Terminal ioctl numbers and the struct termios layout (src/syscalls/terminals.ts). */
  readonly terminal: TerminalAbi;
  /** fcntl's lock and owner commands and struct flock (src/syscalls/locks.ts). */
  readonly fcntlLocks: FcntlLockAbi;
  /**
   * The order of struct statfs's fields (statfs64's too: the same, with the counts 64 bits
   * wide), and each struct's size (writeStatfs writes them).
   */
  readonly statfsFields: readonly StatfsField[];
  readonly statfsSize: number;
  readonly statfs64Size: number;
  /** Another size statfs64 accepts for the same struct (ARM: EABI glibc's unpadded 88). */
  readonly statfs64SizeAlias?: number;
  /** The stack pointer's index in the CPU's register file. */
  readonly stackRegister: number;
  /** Where the process's stack and mappings go, and where user space ends. */
  readonly layout: AddressLayout;
  /** Makes `state` (saved at the syscall instruction at `pc`) return `value` from that syscall. */
  syscallReturn(state: CpuState, pc: number, value: number): void;
}

/** Terminal ioctls by name; the values are the arch's request numbers. */
export type TerminalIoctl = 'TCGETS' | 'TCSETS' | 'TCSETSW' | 'TCSETSF' | 'TCSBRK' | 'TCXONC' | 'TCFLSH' |
  'TIOCEXCL' | 'TIOCNXCL' | 'TIOCSCTTY' | 'TIOCGPGRP' | 'TIOCSPGRP' | 'TIOCOUTQ' | 'TIOCSTI' | 'TIOCGWINSZ' |
  'TIOCSWINSZ' | 'TIOCNOTTY' | 'TIOCGSID' | 'TIOCGETD' | 'TIOCSETD' | 'TIOCGPTN' | 'TIOCSPTLCK' | 'TIOCGPTPEER' |
  'TCSBRKP' | 'FIOCLEX' | 'FIONCLEX' | 'FIOASYNC' | 'TIOCPKT' | 'TIOCGPKT' | 'TIOCSIG';

export interface TerminalAbi {
  readonly ioctl: Record<TerminalIoctl, number>;
  /** Entries of c_cc (the struct is 4 flag words, c_line, then c_cc). */
  readonly nccs: number;
  /** For each c_cc slot of the host (x86-64, generic) struct termios, the guest's slot (-1: none). */
  readonly ccFromHost: readonly number[];
  /** c_lflag bits placed differently from the host's, as [guest bit, host bit]. */
  readonly lflagMoved: readonly (readonly [number, number])[];
}

/** fcntl commands whose numbers differ per arch, and where struct flock keeps l_pid. */
export interface FcntlLockAbi {
  readonly GETLK: number; readonly SETLK: number; readonly SETLKW: number;
  readonly GETLK64: number; readonly SETLK64: number; readonly SETLKW64: number;
  readonly SETOWN: number; readonly GETOWN: number;
  /** struct flock (32-bit offsets): its size and l_pid's offset (MIPS o32 has l_sysid before it). */
  readonly flockSize: number;
  readonly flockPidAt: number;
}

export interface SignalAbi {
  /** The SA_SIGINFO bit (MIPS 8, elsewhere 4); the other SA_* flags agree but SA_NOCLDWAIT. */
  readonly saSiginfo: number;
  /** The SA_NOCLDWAIT bit (MIPS 0x10000, elsewhere 2). */
  readonly saNocldwait: number;
  /** Offset of si_code in siginfo_t (MIPS swaps si_code and si_errno). */
  readonly siCodeOffset: number;
  /** si_code of a POSIX timer's signal (MIPS -3, elsewhere -2). */
  readonly siTimer: number;
  /** stack_t member order: MIPS { ss_sp, ss_size, ss_flags }, elsewhere { ss_sp, ss_flags, ss_size }. */
  readonly stackSizeFirst: boolean;
  /** SIG_BLOCK (MIPS 1, elsewhere 0); SIG_UNBLOCK and SIG_SETMASK follow it. */
  readonly sigBlock: number;
}

/** Inverts a guest → host signal map; where two guest signals share a host one, the lower wins. */
export function invertSignals(signals: Record<number, number>): Record<number, number> {
  const out: Record<number, number> = {};
  for (const [guest, host] of Object.entries(signals)) out[host] ??= Number(guest);
  return out;
}

export interface HostStatfs {
  type: number; bsize: number; blocks: number; bfree: number; bavail: number; files: number; ffree: number;
  /** f_fsid's two ints, f_namelen, f_frsize, f_flags (the mount's ST_* flags, ST_VALID among them) */
  fsid: [number, number]; namelen: number; frsize: number; flags: number;
}

export type StatfsField = keyof HostStatfs;
/** The fields a 32-bit struct statfs holds in 32 bits, where statfs64 has 64. */
const STATFS_COUNTS: ReadonlySet<StatfsField> = new Set<StatfsField>(['blocks', 'bfree', 'bavail', 'files', 'ffree']);

/**
 * Writes struct statfs (`wide`: statfs64) in the arch's field order, a count 8-aligned when
 * wide, the spare room zero. -EOVERFLOW when a narrow struct cannot hold a size or count
 * (unknown, -1, inode counts pass), as Linux's put_compat_statfs; else 0.
 */
export function writeStatfs(mem: GuestMemory, addr: number, st: HostStatfs, abi: ArchAbi, wide: boolean): number {
  if (!wide) {
    for (const f of ['blocks', 'bfree', 'bavail', 'bsize', 'frsize', 'files', 'ffree'] as const) {
      if (st[f] > 0xffffffff && !((f === 'files' || f === 'ffree') && st[f] === -1)) return -E.EOVERFLOW;
    }
  }
  mem.bytes.fill(0, addr, addr + (wide ? abi.statfs64Size : abi.statfsSize));
  const w = new StructWriter(mem, addr);
  let at = 0;
  for (const f of abi.statfsFields) {
    if (f === 'fsid') {
      w.u32(at, st.fsid[0]).u32(at + 4, st.fsid[1]);
      at += 8;
    } else if (wide && STATFS_COUNTS.has(f)) {
      at = (at + 7) & ~7;
      w.u64(at, st[f]);
      at += 8;
    } else {
      w.u32(at, st[f]);
      at += 4;
    }
  }
  return 0;
}

/** Little helper to write guest structs in guest byte order. */
export class StructWriter {
  constructor(private readonly mem: GuestMemory, private readonly base: number) {}
  u8(off: number, v: number): this {
    this.mem.bytes[(this.base + off) >>> 0] = v;
    return this;
  }
  u16(off: number, v: number): this {
    this.mem.view.setUint16((this.base + off) >>> 0, v & 0xffff, this.mem.littleEndian);
    return this;
  }
  u32(off: number, v: number): this {
    this.mem.view.setUint32((this.base + off) >>> 0, v >>> 0, this.mem.littleEndian);
    return this;
  }
  i32(off: number, v: number): this {
    this.mem.view.setInt32((this.base + off) >>> 0, v | 0, this.mem.littleEndian);
    return this;
  }
  u64(off: number, v: bigint | number): this {
    this.mem.view.setBigUint64((this.base + off) >>> 0, BigInt.asUintN(64, BigInt(v)), this.mem.littleEndian);
    return this;
  }
}

export const NS = 1_000_000_000n;
/**
 * A time's whole seconds and nanoseconds as a struct timespec holds them: seconds rounded
 * down, so that tv_nsec is never negative (a time before 1970 with a fraction of a second:
 * -0.25 s is { -1, 750000000 }, not { 0, -250000000 }).
 */
export const secBig = (ns: bigint): bigint => (ns >= 0n || ns % NS === 0n ? ns / NS : ns / NS - 1n);
export const sec = (ns: bigint): number => Number(secBig(ns));
export const nsec = (ns: bigint): number => Number(ns - secBig(ns) * NS);
/**
 * Why the old struct stat (32-bit inode, size and link count) cannot hold a file, as Linux's
 * cp_new_stat checks: -EOVERFLOW, or 0 when it fits.
 */
export const oldStatOverflow = (st: HostStat, nlinkMax: number): number =>
  st.ino > 0xffffffffn || st.size > 0x7fffffffn || st.nlink > nlinkMax ? -75 /* EOVERFLOW */ : 0;
