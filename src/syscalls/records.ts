// One record per syscall: name, argument kinds and handler. The same record drives
// dispatch and --strace. Handlers get the raw argument words and return a result or a
// negative generic errno. The records are grouped by family in files.ts, memory.ts,
// time.ts, system.ts, events.ts, sockets.ts, processes.ts, signals.ts and threads.ts.
import type { Kernel } from './kernel.js';

/** How --strace shows an argument. */
export type ArgKind =
  | 'int' | 'uint' | 'hex' | 'fd' | 'dirfd' | 'path' | 'str' | 'inbuf' | 'outbuf' | 'oflags' | 'mode'
  | 'prot' | 'mflags' | 'sig' | 'clock' | 'whence' | 'ioctl' | 'fcntl' | 'atflags' | 'how' | 'family' | 'ptr';

/**
 * The kinds that are guest addresses or unsigned sizes. Registers hold them as signed 32-bit
 * words; the dispatcher hands them to handlers as unsigned numbers, so an address at or above
 * 0x80000000 indexes guest memory like any other and a 2 GiB length is not negative ('hex' is
 * a value or flags shown in hex, passed on as the register held it).
 */
const UNSIGNED_KINDS: ReadonlySet<ArgKind> = new Set<ArgKind>(['ptr', 'path', 'str', 'inbuf', 'outbuf', 'uint']);

/** The positions of a record's unsigned arguments (addresses and sizes). */
export const unsignedArgs = (kinds: ArgKind[]): number[] =>
  kinds.flatMap((kind, i) => (UNSIGNED_KINDS.has(kind) ? [i] : []));

export interface SyscallRecord {
  name: string;
  args: ArgKind[];
  run(k: Kernel, a: number[]): number;
  /** Show the result in hex (addresses). */
  hexResult?: boolean;
}

export const R = (name: string, args: ArgKind[], run: SyscallRecord['run'], hexResult = false): SyscallRecord =>
  ({ name, args, run, hexResult });

/** A 64-bit argument in an aligned register pair, in guest word order (rounded past 2^53). */
export function arg64(k: Kernel, a: number[], i: number): number {
  return Number(arg64Exact(k, a, i));
}

/**
 * A 64-bit argument as arg64, exactly: a bigint when it is past what a number holds exactly
 * (2^53), as a file position or length can be.
 */
export function arg64Exact(k: Kernel, a: number[], i: number): number | bigint {
  return k.mem.littleEndian ? exact64(a[i], a[i + 1]) : exact64(a[i + 1], a[i]);
}

/** A signed 64-bit value from its low and high words: a number while exact, else a bigint. */
export function exact64(lo: number, hi: number): number | bigint {
  const v = (hi | 0) * 4294967296 + (lo >>> 0);
  return Number.isSafeInteger(v) ? v : (BigInt(hi | 0) << 32n) | BigInt(lo >>> 0);
}

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;
