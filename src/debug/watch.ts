// gdb's hardware watchpoints (Z2 write, Z3 read, Z4 access), for the single-threaded stub
// and for each guest thread's Worker alike. A watched step runs through the interpreter
// with wrapped memory accessors: the first access to a watched range is noted, and every
// store is journalled so that the step can be undone: the guest stops before the
// instruction that touches the range, as MIPS and ARM hardware do and as gdb expects.
import type { Accessors } from '../memory/access.js';

export type WatchKind = 'watch' | 'rwatch' | 'awatch';
export interface Watchpoint {
  kind: WatchKind;
  addr: number;
  len: number;
}
export interface WatchHit {
  wp: Watchpoint;
  /** The accessed address. */
  addr: number;
}

/** gdb's Z packet types for watchpoints, and back. */
export const WATCH_KINDS: readonly WatchKind[] = ['watch', 'rwatch', 'awatch'];
export const watchKindOf = (ztype: string): WatchKind | undefined => WATCH_KINDS[Number(ztype) - 2];

/** The first watched byte a hit's access touched. */
export const hitAddress = (hit: WatchHit): number => Math.max(hit.addr >>> 0, hit.wp.addr);
/** What a stop reply says of a hit: `watch:ADDR;` (see hitAddress). */
export const watchStopPart = (kind: WatchKind, addr: number): string => `${kind}:${(addr >>> 0).toString(16)};`;

/** Inserts a watchpoint into a list (once), or removes it. */
export function setWatchpoint(list: Watchpoint[], insert: boolean, wp: Watchpoint): void {
  const i = list.findIndex((w) => w.kind === wp.kind && w.addr === wp.addr && w.len === wp.len);
  if (insert && i < 0) list.push(wp);
  else if (!insert && i >= 0) list.splice(i, 1);
}

export class WatchedMemory {
  readonly watchpoints: Watchpoint[] = [];
  /** The watchpoint the running step touched, if any. */
  hit: WatchHit | null = null;
  /** (address, old byte) of every store of the running step while watching. */
  private readonly undo: number[] = [];

  /** `bytes`: the guest memory (read at each store); `onStore`: told of every store (the reverse-execution history). */
  constructor(private readonly bytes: () => Uint8Array, private readonly onStore?: (addr: number, size: number) => void) {}

  get active(): boolean {
    return this.watchpoints.length > 0;
  }

  /** Starts a step: no hit, nothing to undo. */
  begin(): void {
    this.hit = null;
    this.undo.length = 0;
  }

  /** Puts back the bytes the step stored. */
  rollback(): void {
    const bytes = this.bytes();
    for (let i = this.undo.length - 2; i >= 0; i -= 2) bytes[this.undo[i]] = this.undo[i + 1];
    this.undo.length = 0;
  }

  set(insert: boolean, wp: Watchpoint): void {
    setWatchpoint(this.watchpoints, insert, wp);
  }

  /** Accessors that note the first access to a watched range and journal every store. */
  wrap(acc: Accessors): Accessors {
    const touch = (a: number, size: number, write: boolean, read: boolean): void => {
      a >>>= 0;
      if (write) {
        this.onStore?.(a, size);
        if (this.watchpoints.length > 0) {
          const bytes = this.bytes();
          for (let i = 0; i < size; i++) this.undo.push((a + i) >>> 0, bytes[(a + i) >>> 0]);
        }
      }
      if (this.hit) return;
      for (const wp of this.watchpoints) {
        if (a + size <= wp.addr || a >= wp.addr + wp.len) continue;
        if ((wp.kind === 'watch' && write) || (wp.kind === 'rwatch' && read) || wp.kind === 'awatch') {
          this.hit = { wp, addr: a };
          return;
        }
      }
    };
    const ld = <F extends (a: number) => number>(f: F, size: number) => (a: number) => (touch(a, size, false, true), f(a));
    const st = (f: (a: number, v: number) => void, size: number) => (a: number, v: number) => (touch(a, size, true, false), f(a, v));
    return {
      ...acc,
      ld8u: ld(acc.ld8u, 1), ld8s: ld(acc.ld8s, 1), ld16u: ld(acc.ld16u, 2), ld16s: ld(acc.ld16s, 2), ld32: ld(acc.ld32, 4),
      st8: st(acc.st8, 1), st16: st(acc.st16, 2), st32: st(acc.st32, 4),
      cas32: (a, e, v) => (touch(a, 4, true, true), acc.cas32(a, e, v)),
      cas16: (a, e, v) => (touch(a, 2, true, true), acc.cas16(a, e, v)),
      cas8: (a, e, v) => (touch(a, 1, true, true), acc.cas8(a, e, v)),
      cas64: (a, el, eh, l, h) => (touch(a, 8, true, true), acc.cas64(a, el, eh, l, h)),
      xchg32: (a, v) => (touch(a, 4, true, true), acc.xchg32(a, v)),
      xchg8: (a, v) => (touch(a, 1, true, true), acc.xchg8(a, v)),
    };
  }
}
