// Syscall dispatch: number → record (through the arch's numbering) → handler, with
// --strace output produced from the same record.
import { fileSizeLimited, HOST_SIGXFSZ, Kernel, withFileSizeLimit } from './kernel.js';
import { GENERIC_SYSCALLS } from './linux.js';
import { unsignedArgs, type ArgKind, type SyscallRecord } from './records.js';
import { E, errnoName, strerror } from './errno.js';
import { FAMILY_NAMES } from './socket-data.js';
import { tickIfDue } from './signals.js';
import { WaitForHostFds, WaitForSignal } from '../engine/signals.js';

/** How far past a syscall number in urun's table an unknown one may be a call Linux added since. */
const NEWER_CALLS = 100;

export class Dispatcher {
  private readonly byNumber = new Map<number, SyscallRecord>();
  /** The arch's syscall numbers, for telling a call Linux lacks from one urun lacks (made at the first unknown call). */
  private knownNumbers: number[] | null = null;
  /** Per record, the positions of its address and size arguments (see unsignedArgs). */
  private readonly unsignedArgs = new Map<string, number[]>();

  constructor(
    readonly kernel: Kernel,
    archRecords: SyscallRecord[],
    private readonly strace: ((line: string) => void) | null,
  ) {
    const byName = new Map(GENERIC_SYSCALLS);
    for (const r of archRecords) byName.set(r.name, r);
    for (const [n, name] of Object.entries(kernel.abi.syscallNames)) {
      // ARM's 32-bit-id calls (getuid32, chown32, ...) are the generic ones under another name.
      const alias = name.endsWith('32') ? byName.get(name.slice(0, -2)) : undefined;
      const r = byName.get(name) ?? (alias && { ...alias, name });
      if (r) {
        this.byNumber.set(Number(n), r);
        this.unsignedArgs.set(r.name, unsignedArgs(r.args));
      }
    }
  }

  /**
   * Sends every syscall whose record is not named in `local` to `forward` instead (a guest
   * thread in a Worker: the process's Kernel lives on the main thread).
   */
  forwardExcept(local: Set<string>, forward: (nr: number, args: number[]) => number): void {
    for (const [nr, rec] of this.byNumber) {
      if (!local.has(rec.name)) this.byNumber.set(nr, { ...rec, run: (_k, a) => forward(nr, a) });
    }
  }

  /** Runs syscall `nr` for a thread that has logged it itself (see forwardExcept). */
  callForwarded(nr: number, args: number[]): number {
    const rec = this.byNumber.get(nr);
    if (!rec) return -E.ENOSYS;
    this.unsign(rec, args);
    this.kernel.syscallName = rec.name;
    this.kernel.syscallArgs = args;
    return runRecord(rec, this.kernel, args);
  }

  /** Runs syscall `nr`; returns its result (negative generic errno on failure). */
  call(nr: number, args: number[], pc: number): number {
    for (;;) {
      try {
        return this.callOnce(nr, args, pc);
      } catch (e) {
        // (A thread that may block waits here, see Kernel.waitInPlace.)
        if (this.kernel.waitInPlace === null || !(e instanceof WaitForSignal)) throw e;
        this.kernel.waitInPlace(e.until, e.wanted);
      }
    }
  }

  private unsign(rec: SyscallRecord, args: number[]): void {
    for (const i of this.unsignedArgs.get(rec.name)!) args[i] >>>= 0;
  }

  private callOnce(nr: number, args: number[], pc: number): number {
    const k = this.kernel;
    k.syscallPc = pc;
    pc &= ~1; // the Thumb bit, for messages
    const rec = this.byNumber.get(nr);
    if (!rec) {
      const name = k.abi.syscallNames[nr] ?? 'unknown';
      // A call the arch's Linux has warns, and so does a number just past the table's last
      // (a call newer than urun's table). A number far from any (a MIPS number below 4000, as
      // git-annex's libraries try) is ENOSYS from the kernel too, so nothing urun lacks: no
      // warning, as under qemu-user; so is one in a hole of the table, a call Linux has on
      // other arches only (memfd_secret, 447, on ARM).
      const known = (this.knownNumbers ??= Object.keys(k.abi.syscallNames).map(Number));
      const linuxMayHave = name !== 'unknown' ||
        (known.some((n) => nr > n && nr - n <= NEWER_CALLS) && !known.some((n) => n > nr && n - nr <= NEWER_CALLS));
      if (linuxMayHave) {
        k.warnOnce(`sys-${nr}`, `urun: unsupported syscall ${name} (number ${nr}, ${k.abi.name}) at pc 0x${(pc >>> 0).toString(16)}: returning ENOSYS`);
      }
      this.strace?.(`${name}(${args.slice(0, 4).map((a) => '0x' + (a >>> 0).toString(16)).join(', ')}) = -1 ENOSYS (Function not implemented)`);
      return -E.ENOSYS;
    }
    if (k.tickDeferredUntil !== null) tickIfDue(k);
    this.unsign(rec, args);
    k.syscallName = rec.name;
    k.syscallArgs = args;
    if (!this.strace) {
      const r = runRecord(rec, k, args);
      k.signals.waitDeadline = null;
      k.signals.waitInterrupted = false; // a call that found its descriptors ready after a signal ended its wait
      return r;
    }
    const shown = rec.args.map((kind, i) => formatArg(k, kind, args[i], args[i + 1]));
    const head = `${rec.name}(${shown.join(', ')})`;
    let r: number;
    try {
      r = runRecord(rec, k, args);
    } catch (e) {
      // A call that waits runs again afterwards, and is shown then.
      if (!(e instanceof WaitForHostFds || e instanceof WaitForSignal)) this.strace(`${head} = ?`);
      throw e;
    }
    const res = r < 0 && r > -4096 ? `-1 ${errnoName(-r)} (${strerror(-r)})`
      : rec.hexResult ? `0x${(r >>> 0).toString(16)}` : String(r);
    const denial = k.sandbox?.lastDenial;
    if (denial) k.sandbox!.lastDenial = null;
    this.strace(`${head} = ${res}${denial ? ` (${denial})` : ''}`);
    k.signals.waitDeadline = null;
    k.signals.waitInterrupted = false; // a call that found its descriptors ready after a signal ended its wait
    return r;
  }
}

/**
 * The calls that write to or grow a file: past RLIMIT_FSIZE (which the host enforces, see
 * withFileSizeLimit) they fail with EFBIG, and Linux also sends the caller SIGXFSZ. Past
 * the file system's largest file (ext4: 16 TiB; `truncate -s 20T`) they fail with EFBIG
 * too, but with no signal: SIGXFSZ only where the guest has a limit.
 */
const FILE_SIZE_CALLS = new Set(['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2', 'ftruncate', 'ftruncate64', 'truncate',
  'truncate64', 'fallocate', 'sendfile', 'sendfile64', 'splice', 'tee', 'vmsplice', 'copy_file_range']);

/** Runs a syscall; under --sandbox what it does beyond its paths is checked first (its paths are checked as it resolves them). */
function runRecord(rec: SyscallRecord, k: Kernel, args: number[]): number {
  const denied = k.sandbox ? k.sandbox.checkCall(k, rec.name, args) : 0;
  if (denied < 0) return denied;
  if (!FILE_SIZE_CALLS.has(rec.name)) return rec.run(k, args);
  const r = withFileSizeLimit(k, () => rec.run(k, args));
  if (r === -E.EFBIG && fileSizeLimited(k)) k.raise(k.guestSignal(HOST_SIGXFSZ));
  return r;
}

const O_NAMES = ['O_WRONLY', 'O_RDWR'];
function formatArg(k: Kernel, kind: ArgKind, v: number, next: number): string {
  const hex = (x: number) => (x === 0 ? '0' : `0x${(x >>> 0).toString(16)}`);
  switch (kind) {
    case 'int': case 'fd': return String(v | 0);
    case 'uint': return String(v >>> 0);
    case 'dirfd': return (v | 0) === -100 ? 'AT_FDCWD' : String(v | 0);
    case 'path': case 'str': {
      const s = k.mem.readCString(v, 256);
      return s === null ? hex(v) : JSON.stringify(s);
    }
    case 'inbuf': {
      const len = Math.min(next >>> 0, 32);
      const b = k.mem.slice(v, len, false);
      if (!b) return hex(v);
      return JSON.stringify(Buffer.from(b).toString('latin1')) + ((next >>> 0) > 32 ? '...' : '');
    }
    case 'mode': return '0' + (v >>> 0).toString(8);
    case 'oflags': {
      const names = [(v & 3) === 0 ? 'O_RDONLY' : O_NAMES[(v & 3) - 1] ?? 'O_ACCMODE'];
      for (const [n, bit] of Object.entries(k.abi.openFlags)) {
        if (n !== 'O_WRONLY' && n !== 'O_RDWR' && (v & bit) === bit) names.push(n);
      }
      return names.join('|');
    }
    case 'prot': {
      const n = ['PROT_READ', 'PROT_WRITE', 'PROT_EXEC'].filter((_, i) => v & (1 << i));
      return n.length ? n.join('|') : 'PROT_NONE';
    }
    case 'mflags': {
      const n = Object.entries(k.abi.mmap).filter(([, bit]) => (v & bit) === bit).map(([x]) => `MAP_${x}`);
      return n.length ? n.join('|') : hex(v);
    }
    case 'whence': return ['SEEK_SET', 'SEEK_CUR', 'SEEK_END'][v] ?? String(v);
    case 'clock': return ['CLOCK_REALTIME', 'CLOCK_MONOTONIC', 'CLOCK_PROCESS_CPUTIME_ID', 'CLOCK_THREAD_CPUTIME_ID',
      'CLOCK_MONOTONIC_RAW', 'CLOCK_REALTIME_COARSE', 'CLOCK_MONOTONIC_COARSE', 'CLOCK_BOOTTIME'][v] ?? String(v);
    case 'sig': return String(v);
    case 'atflags': return hex(v);
    case 'family': return FAMILY_NAMES[v] ?? String(v);
    default: return hex(v);
  }
}
