// read, write, pread64 and pwrite64 on a regular file, done by the guest thread's own Worker
// instead of forwarded to the main thread. A forwarded call costs a round trip between host
// threads (~15 µs on a quiet machine, 100 µs and more while other threads are busy); a
// read(2) on a file costs ~2 µs, and Go programs make every call from a thread of their own.
//
// The main thread publishes, per guest descriptor, the host descriptor behind it once a call
// on it shows it is a plain file (one whose I/O never waits and that urun does not emulate),
// and clears it whenever the descriptor table changes (FdTable in kernel.ts). A Worker that
// finds no entry, or meets any error, forwards the call as before: the main thread's answer
// is the one that counts (errno, SIGXFSZ, EFAULT).
import * as fs from 'node:fs';
import type { GuestMemory } from '../memory/memory.js';
import type { Kernel, OpenFile } from '../syscalls/kernel.js';
import { arg64 } from '../syscalls/records.js';
import { mayBlock } from '../syscalls/blocking.js';
import { isEventFile } from '../syscalls/eventfds.js';

/** Descriptors below this are published; others are always forwarded. */
export const DIRECT_IO_FDS = 1024;
const CAN_READ = 1, CAN_WRITE = 2;

/** The calls a Worker may do itself, by name: whether each writes, and whether it takes a position. */
const DIRECT_CALLS: Record<string, { write: boolean; positioned: boolean }> = {
  read: { write: false, positioned: false },
  write: { write: true, positioned: false },
  pread64: { write: false, positioned: true },
  pwrite64: { write: true, positioned: true },
};

export const newDirectIoTable = (): Int32Array => new Int32Array(new SharedArrayBuffer(4 * DIRECT_IO_FDS));

/** Main thread, after it answered `name` on guest descriptor `fd`: publishes it if it is a plain file. */
export function publishDirectIo(table: Int32Array, k: Kernel, name: string, fd: number): void {
  if (!(name in DIRECT_CALLS) || fd < 0 || fd >= DIRECT_IO_FDS || table[fd] !== 0) return;
  const f = k.fds.get(fd)?.file;
  if (f && isPlainFile(k, f)) Atomics.store(table, fd, ((f.hostFd + 1) << 2) | modeOf(f));
}

/** Main thread: the descriptor table changed at `fd` (null: all of it). */
export function unpublishDirectIo(table: Int32Array, fd: number | null): void {
  if (fd === null) table.fill(0);
  else if (fd >= 0 && fd < DIRECT_IO_FDS) Atomics.store(table, fd, 0);
}

/** A file whose reads and writes are the host's, unchanged: not a pipe, socket or terminal, nor a file urun emulates. */
function isPlainFile(k: Kernel, f: OpenFile): boolean {
  return !f.isDir && !mayBlock(k, f) && !isEventFile(f) && f.path.startsWith('/') && !f.path.startsWith('/proc/') && !f.path.startsWith('/sys/');
}

const modeOf = (f: OpenFile): number => [CAN_READ, CAN_WRITE, CAN_READ | CAN_WRITE][f.flags & 3] ?? 0;

/** Worker: the call done here, or null to forward it. */
export function directIo(table: Int32Array, k: Kernel, mem: GuestMemory, name: string, args: number[]): number | null {
  const call = DIRECT_CALLS[name];
  const fd = args[0] | 0;
  if (call === undefined || fd < 0 || fd >= DIRECT_IO_FDS) return null;
  const entry = Atomics.load(table, fd);
  if ((entry & (call.write ? CAN_WRITE : CAN_READ)) === 0) return null;
  const len = args[2] >>> 0;
  const pos = call.positioned ? arg64(k, args, 4) : null;
  if (len === 0 || (pos !== null && (pos < 0 || pos + len >= 2 ** 53))) return null;
  const buf = mem.slice(args[1], len, !call.write);
  if (!buf) return null;
  try {
    // (A single read(2) or write(2): when it fails, nothing was transferred.)
    return call.write ? fs.writeSync((entry >>> 2) - 1, buf, 0, len, pos) : fs.readSync((entry >>> 2) - 1, buf, 0, len, pos);
  } catch {
    return null;
  }
}
