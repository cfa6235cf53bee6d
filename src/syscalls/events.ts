// Waiting on descriptors: poll and select.
import { E } from './errno.js';
import { Kernel } from './kernel.js';
import { R } from './records.js';
import type { SyscallRecord } from './records.js';

function pollReady(k: Kernel, fds: number, n: number): number {
  if (n > 1024) return -E.EINVAL;
  if (!k.mem.checkRange(fds, n * 8, true)) return -E.EFAULT;
  let ready = 0;
  for (let i = 0; i < n; i++) {
    const at = fds + 8 * i;
    const fd = k.mem.view.getInt32(at, k.mem.littleEndian);
    const events = k.mem.view.getInt16(at + 4, k.mem.littleEndian);
    if (fd < 0) {
      k.mem.view.setInt16(at + 6, 0, k.mem.littleEndian);
      continue;
    }
    const revents = k.file(fd) ? events & (0x1 | 0x4 | 0x40 | 0x100) /* IN OUT RDNORM WRNORM */ : 0x20; /* NVAL */
    k.mem.view.setInt16(at + 6, revents, k.mem.littleEndian);
    if (revents) ready++;
  }
  return ready;
}

function selectReady(k: Kernel, nfds: number, sets: number[]): number {
  if (nfds < 0 || nfds > 1024) return -E.EINVAL;
  const bytes = Math.ceil(nfds / 32) * 4;
  let ready = 0;
  for (const set of sets.slice(0, 2)) {
    if (!set) continue;
    if (!k.mem.checkRange(set, bytes, true)) return -E.EFAULT;
    for (let fd = 0; fd < nfds; fd++) {
      const word = set + 4 * (fd >> 5);
      const v = k.mem.read32(word);
      if (v & (1 << (fd & 31))) {
        if (!k.file(fd)) return -E.EBADF;
        ready++;
      }
    }
  }
  if (sets[2]) {
    if (!k.mem.checkRange(sets[2], bytes, true)) return -E.EFAULT;
    k.mem.bytes.fill(0, sets[2], sets[2] + bytes);
  }
  return ready;
}

export const EVENTS_SYSCALLS: SyscallRecord[] = [
  // One thread, blocking I/O: every descriptor a guest polls is reported ready, and the
  // read or write that follows blocks as the host's does.
  R('poll', ['hex', 'uint', 'int'], (k, a) => pollReady(k, a[0], a[1])),
  R('ppoll', ['hex', 'uint', 'hex', 'hex'], (k, a) => pollReady(k, a[0], a[1])),
  R('ppoll_time64', ['hex', 'uint', 'hex', 'hex'], (k, a) => pollReady(k, a[0], a[1])),
  R('_newselect', ['int', 'hex', 'hex', 'hex', 'hex'], (k, a) => selectReady(k, a[0], [a[1], a[2], a[3]])),
  R('pselect6', ['int', 'hex', 'hex', 'hex', 'hex', 'hex'], (k, a) => selectReady(k, a[0], [a[1], a[2], a[3]])),
  R('pselect6_time64', ['int', 'hex', 'hex', 'hex', 'hex', 'hex'], (k, a) => selectReady(k, a[0], [a[1], a[2], a[3]])),
];
