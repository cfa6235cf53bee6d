// MIPS o32 Linux ABI: numbers, flag bits and struct layouts that differ from the generic ABI,
// and the o32 syscall convention (number in $v0, args in $a0-$a3 then on the stack at $sp+16,
// result in $v0 with $a3 = 0, or a positive errno in $v0 with $a3 = 1).
import { ArchAbi, HostStat, StructWriter, invertSignals, nsec, sec } from '../abi.js';
import { GENERIC_ERRNO, MIPS_ERRNO, MIPS_O32_SYSCALLS } from '../abi/numbers.generated.js';
import { MIPS_SOCKET_ABI } from './socket-abi.js';
import type { GuestMemory } from '../../memory/memory.js';
import type { SyscallRecord } from '../records.js';
import type { Dispatcher } from '../dispatch.js';
import type { MipsCpu, MipsSyscallHook } from '../../isa/mips/cpu.js';
import { sigsetFromWords, sigsetWords } from '../../engine/signals.js';
import { readSigset, sigaction, sigsuspend } from '../signals.js';
import { E } from '../errno.js';

const genericToMips: Record<number, number> = {};
for (const [name, n] of Object.entries(GENERIC_ERRNO)) genericToMips[n] = MIPS_ERRNO[name] ?? n;

/** MIPS's signal numbers (arch/mips/include/uapi/asm/signal.h) as host ones. */
const MIPS_SIGNALS: Record<number, number> = {
  1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 5 /* SIGEMT: no host twin */, 8: 8, 9: 9, 10: 7, 11: 11, 12: 31,
  13: 13, 14: 14, 15: 15, 16: 10, 17: 12, 18: 17, 19: 30, 20: 28, 21: 23, 22: 29, 23: 19, 24: 20, 25: 18,
  26: 21, 27: 22, 28: 26, 29: 27, 30: 24, 31: 25,
};

function mipsAbi(littleEndian: boolean): ArchAbi {
  return {
    name: littleEndian ? 'mipsel' : 'mips',
    stackRegister: 29,
    // The 2 GB user space of MIPS32 (kseg0 starts at 0x80000000; TASK_SIZE leaves 32 KiB below it).
    layout: { taskSize: 0x7fff8000, stackTop: 0x7fff0000, mmapTop: 0x77000000, stackSize: 8 << 20 },
    // $v0 = result, $a3 = 0 (success); a syscall is never in a delay slot.
    syscallReturn: (state, pc, value) => {
      state.R[2] = value;
      state.R[7] = 0;
      state.pc = (pc + 4) | 0;
    },
    unameMachine: 'mips',
    syscallNames: MIPS_O32_SYSCALLS,
    guestErrno: (g) => genericToMips[g] ?? g,
    openFlags: {
      O_WRONLY: 1, O_RDWR: 2, O_APPEND: 0x8, O_DSYNC: 0x10, O_NONBLOCK: 0x80, O_CREAT: 0x100, O_TRUNC: 0x200,
      O_EXCL: 0x400, O_NOCTTY: 0x800, O_LARGEFILE: 0x2000, O_SYNC: 0x4010, O_DIRECT: 0x8000,
      O_DIRECTORY: 0x10000, O_NOFOLLOW: 0x20000, O_NOATIME: 0x40000, O_CLOEXEC: 0x80000, O_PATH: 0x200000,
      O_TMPFILE: 0x410000, O_ASYNC: 0x1000,
    },
    mmap: { SHARED: 1, PRIVATE: 2, FIXED: 0x10, NORESERVE: 0x400, ANONYMOUS: 0x800, FIXED_NOREPLACE: 0x100000 },
    signals: MIPS_SIGNALS,
    hostToGuestSignal: invertSignals(MIPS_SIGNALS),
    signalAbi: { saSiginfo: 8, saNocldwait: 0x10000, siCodeOffset: 4, siTimer: -3, stackSizeFirst: true, sigBlock: 1 },
    socket: MIPS_SOCKET_ABI,
    ioctl: {
      TCGETS: 0x540d, TCSETS: 0x540e, TCSETSW: 0x540f, TCSETSF: 0x5410, TIOCGWINSZ: 0x40087468,
      TIOCGPGRP: 0x40047477, FIONREAD: 0x467f, FIONBIO: 0x667e,
      // MIPS's _IOW direction bit is 0x80000000 (the generic one is 0x40000000)
      FICLONE: 0x80049409, FICLONERANGE: 0x8020940d, FS_IOC_GETFLAGS: 0x40046601, FS_IOC_SETFLAGS: 0x80046602,
      SIOCATMARK: 0x40047307, SIOCGSTAMP_NEW: 0x40108906, SIOCGSTAMPNS_NEW: 0x40108907,
      // _IO's: MIPS's no-direction bit is 0x20000000 (the generic one is 0)
      NS_GET_USERNS: 0x2000b701, NS_GET_PARENT: 0x2000b702, NS_GET_NSTYPE: 0x2000b703, NS_GET_OWNER_UID: 0x2000b704,
      FIGETBSZ: 0x20000002, FIOQSIZE: 0x667f,
      RNDGETENTCNT: 0x40045200, FS_IOC_GETVERSION: 0x40047601, FS_IOC_FSGETXATTR: 0x401c581f, FS_IOC_FSSETXATTR: 0x801c5820,
    },
    sysvIpc: { shmlba: 0x40000, layout: 'mips' },
    sigsetBytes: 16,
    // arch/mips/include/uapi/asm/resource.h
    rlimits: {
      names: ['cpu', 'fsize', 'data', 'stack', 'core', 'nofile', 'as', 'rss', 'nproc', 'memlock', 'locks', 'sigpending',
        'msgqueue', 'nice', 'rtprio', 'rttime'],
      infinity32: 0x7fffffff,
    },
    termiosNccs: 23,
    // arch/mips/include/uapi/asm/{ioctls,termbits}.h: _IOR/_IOW put the direction in bits 29-31.
    terminal: {
      ioctl: {
        TCGETS: 0x540d, TCSETS: 0x540e, TCSETSW: 0x540f, TCSETSF: 0x5410, TCSBRK: 0x5405, TCXONC: 0x5406,
        TCFLSH: 0x5407, TIOCEXCL: 0x740d, TIOCNXCL: 0x740e, TIOCSCTTY: 0x5480, TIOCGPGRP: 0x40047477,
        TIOCSPGRP: 0x80047476, TIOCOUTQ: 0x7472, TIOCSTI: 0x5472, TIOCGWINSZ: 0x40087468, TIOCSWINSZ: 0x80087467,
        TIOCNOTTY: 0x5471, TIOCGSID: 0x7416, TIOCGETD: 0x7400, TIOCSETD: 0x7401, TIOCGPTN: 0x40045430,
        TIOCSPTLCK: 0x80045431, TIOCGPTPEER: 0x20005441, TCSBRKP: 0x5486, FIOCLEX: 0x6601, FIONCLEX: 0x6602,
        FIOASYNC: 0x667d, TIOCPKT: 0x5470, TIOCGPKT: 0x40045438, TIOCSIG: 0x80045436,
      },
      nccs: 23,
      // VEOF and VEOL sit at 16/17, VMIN at 4 and VEOL2 at 6 (generic: 4/11, 6, 16).
      ccFromHost: [0, 1, 2, 3, 16, 5, 4, 7, 8, 9, 10, 17, 12, 13, 14, 15, 6, -1, -1],
      // IEXTEN and TOSTOP trade places; FLUSHO is 0x2000 (generic 0x1000).
      lflagMoved: [[0x100, 0x8000], [0x8000, 0x100], [0x2000, 0x1000]],
    },
    // arch/mips/include/uapi/asm/fcntl.h: o32 struct flock has l_sysid before l_pid and 4 pad words.
    fcntlLocks: {
      GETLK: 14, SETLK: 6, SETLKW: 7, GETLK64: 33, SETLK64: 34, SETLKW64: 35, SETOWN: 24, GETOWN: 23,
      flockSize: 36, flockPidAt: 16,
    },
    writeStat64(mem: GuestMemory, addr: number, st: HostStat): void {
      // struct stat64 from arch/mips/include/uapi/asm/stat.h (o32): 104 bytes.
      mem.bytes.fill(0, addr, addr + 104);
      new StructWriter(mem, addr)
        .u32(0, Number(st.dev & 0xffffffffn)).u64(16, st.ino).u32(24, st.mode).u32(28, st.nlink)
        .u32(32, st.uid).u32(36, st.gid).u32(40, Number(st.rdev & 0xffffffffn)).u64(56, st.size)
        .i32(64, sec(st.atimeNs)).u32(68, nsec(st.atimeNs)).i32(72, sec(st.mtimeNs)).u32(76, nsec(st.mtimeNs))
        .i32(80, sec(st.ctimeNs)).u32(84, nsec(st.ctimeNs)).u32(88, st.blksize).u64(96, st.blocks);
    },
    statSize: 144,
    writeStat(mem, addr, st) {
      // The old struct stat (o32, arch/mips/include/uapi/asm/stat.h): 144 bytes, 32-bit
      // inode and size, padded.
      mem.bytes.fill(0, addr, addr + 144);
      new StructWriter(mem, addr)
        .u32(0, Number(st.dev & 0xffffffffn)).u32(16, Number(st.ino)).u32(20, st.mode).u32(24, st.nlink)
        .u32(28, st.uid).u32(32, st.gid).u32(36, Number(st.rdev & 0xffffffffn)).u32(48, Number(st.size))
        .i32(56, sec(st.atimeNs)).u32(60, nsec(st.atimeNs)).i32(64, sec(st.mtimeNs)).u32(68, nsec(st.mtimeNs))
        .i32(72, sec(st.ctimeNs)).u32(76, nsec(st.ctimeNs)).u32(80, st.blksize).u32(84, Number(st.blocks & 0xffffffffn));
    },
    // arch/mips/include/uapi/asm/statfs.h (o32): f_frsize third, f_bavail after the file counts.
    statfsFields: ['type', 'bsize', 'frsize', 'blocks', 'bfree', 'files', 'ffree', 'bavail', 'fsid', 'namelen', 'flags'],
    statfsSize: 72,
    statfs64Size: 96,
    readSigaction(mem, addr) {
      // sa_mask is a whole sigset_t: four words (signals 1-127).
      return { flags: mem.read32(addr), handler: mem.read32(addr + 4), mask: [0, 1, 2, 3].map((i) => mem.read32(addr + 8 + 4 * i)) };
    },
    writeSigaction(mem, addr, act) {
      new StructWriter(mem, addr).u32(0, act.flags).u32(4, act.handler).u32(8, act.mask[0] ?? 0)
        .u32(12, act.mask[1] ?? 0).u32(16, act.mask[2] ?? 0).u32(20, act.mask[3] ?? 0);
    },
  };
}

export const MIPS_ABI = mipsAbi(false);
export const MIPSEL_ABI = mipsAbi(true);

/** MIPS-only syscalls. */
export const MIPS_SYSCALLS: SyscallRecord[] = [
  { name: 'set_thread_area', args: ['hex'], run: (k, a) => (k.setTls(a[0]), 0) },
  { name: 'cacheflush', args: ['ptr', 'uint', 'int'], run: (k, a) => (k.invalidateCode(a[0], a[1]), 0) },
  // The old sigaction: MIPS's struct sigaction { flags; handler; sigset_t mask } of which it
  // takes the mask's first word, and writes back that word alone (the others zero).
  {
    name: 'sigaction', args: ['sig', 'ptr', 'ptr'],
    run: (k, a) => {
      const [act, old] = [a[1], a[2]];
      if ((act && !k.mem.checkRange(act, 24, false)) || (old && !k.mem.checkRange(old, 24, true))) return -E.EFAULT;
      const m = k.mem;
      const cur = sigaction(k, a[0], act ? { flags: m.read32(act), handler: m.read32(act + 4), mask: sigsetFromWords(m.read32(act + 8), 0), restorer: 0 } : null);
      if (typeof cur === 'number') return cur;
      if (old) new StructWriter(m, old).u32(0, cur.flags).u32(4, cur.handler).u32(8, sigsetWords(cur.mask)[0]).u32(12, 0).u32(16, 0).u32(20, 0);
      return 0;
    },
  },
  // MIPS's sigsuspend takes a whole sigset_t, as rt_sigsuspend does.
  {
    name: 'sigsuspend', args: ['ptr'],
    run: (k, a) => {
      const set = readSigset(k, a[0]);
      return set === null ? -E.EFAULT : sigsuspend(k, set);
    },
  },
];

/** The o32 calling convention around a dispatcher. */
export function o32SyscallHook(dispatcher: Dispatcher): MipsSyscallHook {
  const k = dispatcher.kernel;
  const mem = k.mem;
  return (cpu: MipsCpu, pc: number) => {
    const R = cpu.R;
    const sp = R[29] >>> 0;
    const args = [R[4], R[5], R[6], R[7], 0, 0, 0, 0];
    for (let i = 4; i < 8; i++) {
      const at = sp + 4 * i;
      if (mem.checkRange(at, 4, false)) args[i] = mem.view.getInt32(at, mem.littleEndian);
    }
    k.secondResult = null;
    const r = dispatcher.call(R[2] >>> 0, args, pc);
    if (r < 0 && r > -4096) {
      R[2] = k.abi.guestErrno(-r);
      R[7] = 1;
    } else {
      R[2] = r;
      R[7] = 0;
      if (k.secondResult !== null) R[3] = k.secondResult;
    }
  };
}
