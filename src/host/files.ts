// Host files urun reads for itself. The descriptors it holds open while the guest runs or
// starts (a program file being loaded, translation cache files) are never taken for
// descriptors the guest inherited from urun's parent (the kernel's scan of the host's open
// descriptors at start).
import * as fs from 'node:fs';

const own = new Set<number>();

/** Opens a file for reading, as one of urun's own descriptors. */
export function openOwn(file: string): number {
  const fd = fs.openSync(file, fs.constants.O_RDONLY);
  own.add(fd);
  return fd;
}

/** Closes a descriptor openOwn gave. */
export function closeOwn(fd: number): void {
  own.delete(fd);
  fs.closeSync(fd);
}

export const isOwnDescriptor = (fd: number): boolean => own.has(fd);

/** Reads `length` bytes at file offset `position` into `target` at `at`, or up to the end of the file; returns how many. */
export function readFully(fd: number, target: Uint8Array, at: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, target, at + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
