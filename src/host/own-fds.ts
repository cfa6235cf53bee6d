// Host descriptors urun holds open for itself while the guest runs or starts (a program file
// being loaded, translation cache files): never taken for descriptors the guest inherited
// from urun's parent (the kernel's scan of the host's open descriptors at start).
const own = new Set<number>();

/** Marks a descriptor urun opened for itself; returns it. */
export function ownDescriptor(fd: number): number {
  own.add(fd);
  return fd;
}

/** The descriptor is closed (or no longer urun's own). */
export function releaseDescriptor(fd: number): void {
  own.delete(fd);
}

export const isOwnDescriptor = (fd: number): boolean => own.has(fd);
