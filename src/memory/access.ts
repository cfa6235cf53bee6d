// Guest memory accessors for instruction templates: loads and stores with the page
// permission and alignment checks a CPU makes, as functions (for the interpreter) and as
// inline JavaScript (for the translator). Both raise the same faults through GuestMemory.
import { GuestMemory, PAGE_CODE, PAGE_SHIFT, PROT_READ, PROT_WRITE } from './memory.js';

export type Accessors = ReturnType<typeof makeAccessors>;

/**
 * Guest memory accessors with the permission and alignment checks inlined in their fast
 * path. A misaligned access is a SIGBUS unless `unaligned` (ARMv7 allows plain loads and
 * stores at any address); then each page it touches is checked.
 */
export function makeAccessors(mem: GuestMemory, unaligned = false) {
  const perm = mem.perm, dv = mem.view, u8 = mem.bytes, le = mem.littleEndian;
  const buf = mem.buffer, i32 = new Int32Array(buf), u16 = new Uint16Array(buf), i64 = new BigInt64Array(buf);
  // Atomics work on host-order elements: a big-endian guest's words are swapped on the way.
  const host32 = le ? (v: number) => v | 0 : bswap32;
  const host16 = le ? (v: number) => v & 0xffff : bswap16;
  const R = PROT_READ, W = PROT_WRITE, WC = PROT_WRITE | PAGE_CODE;
  const badRead = (a: number, size: number): void => {
    if (a & (size - 1)) {
      if (!unaligned) mem.misaligned(a, false);
      // (MIPS's fix-up refuses a range reaching kernel addresses as a whole: access_ok.)
      if (a + size > mem.addressErrorFrom) throw mem.addressError(a, 'misaligned read from');
      if (a + size > 2 ** 32) mem.fault(a, false);
      mem.checkRead(a);
      mem.checkRead(a + size - 1);
      return;
    }
    mem.fault(a, false);
  };
  const slowWrite = (a: number, size: number): void => {
    if (a & (size - 1)) {
      if (!unaligned) mem.misaligned(a, true);
      if (a + size > mem.addressErrorFrom) throw mem.addressError(a, 'misaligned write to');
      if (a + size > 2 ** 32) mem.fault(a, true);
      mem.checkWrite(a);
      mem.checkWrite(a + size - 1);
      return;
    }
    mem.checkWrite(a);
  };
  const { be16u, be16s, be32, setBe16, setBe32 } = bigEndianWords(mem);
  // The fast paths take the address signed, as the translator's code passes it: `a >>> 0` of
  // one at or above 0x80000000 (ARM's stack and libraries) is not a small integer, which
  // unoptimised code boxes at every call. Little-endian guests index typed arrays (by
  // address >>> size, a small integer); the slow paths take the address unsigned.
  const i16 = new Int16Array(buf);
  const acc = {
    ld8u(a: number): number {
      if ((perm[a >>> 12] & R) === 0) badRead(a >>> 0, 1);
      return u8[a >>> 0];
    },
    ld8s(a: number): number {
      if ((perm[a >>> 12] & R) === 0) badRead(a >>> 0, 1);
      return (u8[a >>> 0] << 24) >> 24;
    },
    ld16u(a: number): number {
      if ((a & 1) === 0 && (perm[a >>> 12] & R) !== 0) return le ? u16[a >>> 1] : be16u(a);
      badRead(a >>> 0, 2);
      return dv.getUint16(a >>> 0, le);
    },
    ld16s(a: number): number {
      if ((a & 1) === 0 && (perm[a >>> 12] & R) !== 0) return le ? i16[a >>> 1] : be16s(a);
      badRead(a >>> 0, 2);
      return dv.getInt16(a >>> 0, le);
    },
    ld32(a: number): number {
      if ((a & 3) === 0 && (perm[a >>> 12] & R) !== 0) return le ? i32[a >>> 2] : be32(a);
      badRead(a >>> 0, 4);
      return dv.getInt32(a >>> 0, le);
    },
    st8(a: number, v: number): void {
      if ((perm[a >>> 12] & WC) !== W) slowWrite(a >>> 0, 1);
      u8[a >>> 0] = v;
    },
    st16(a: number, v: number): void {
      if ((a & 1) === 0 && (perm[a >>> 12] & WC) === W) {
        if (le) i16[a >>> 1] = v;
        else setBe16(a, v);
        return;
      }
      slowWrite(a >>> 0, 2);
      dv.setInt16(a >>> 0, v, le);
    },
    st32(a: number, v: number): void {
      if ((a & 3) === 0 && (perm[a >>> 12] & WC) === W) {
        if (le) i32[a >>> 2] = v;
        else setBe32(a, v);
        return;
      }
      slowWrite(a >>> 0, 4);
      dv.setInt32(a >>> 0, v, le);
    },
    // Atomic read-modify-writes, for store-conditionals, swaps and the ARM kernel helpers:
    // atomic against guest threads in other Workers. They need natural alignment (SIGBUS).
    /** Compare-and-swap of a word: stores v if it holds `expect`; returns the old value. */
    cas32(a: number, expect: number, v: number): number {
      atomicCheck(a, 4);
      return host32(Atomics.compareExchange(i32, (a >>> 0) >>> 2, host32(expect), host32(v)));
    },
    cas16(a: number, expect: number, v: number): number {
      atomicCheck(a, 2);
      return host16(Atomics.compareExchange(u16, (a >>> 0) >>> 1, host16(expect), host16(v)));
    },
    cas8(a: number, expect: number, v: number): number {
      atomicCheck(a, 1);
      return Atomics.compareExchange(u8, a >>> 0, expect & 0xff, v & 0xff);
    },
    /** 64-bit compare-and-swap of the words (lo at a, hi at a + 4: little-endian guests only). */
    cas64(a: number, expectLo: number, expectHi: number, lo: number, hi: number): boolean {
      atomicCheck(a, 8);
      const expect = BigInt.asIntN(64, (BigInt(expectHi) << 32n) | BigInt(expectLo >>> 0));
      const value = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0));
      return Atomics.compareExchange(i64, (a >>> 0) / 8, expect, value) === expect;
    },
    /** 64-bit load in one piece (another thread's 64-bit store is never seen half done). */
    ld64atomic(a: number): bigint {
      a >>>= 0;
      if (a & 7) mem.misaligned(a, false);
      if ((perm[a >>> 12] & R) === 0) mem.fault(a, false);
      return Atomics.load(i64, a / 8);
    },
    xchg32(a: number, v: number): number {
      atomicCheck(a, 4);
      return host32(Atomics.exchange(i32, (a >>> 0) >>> 2, host32(v)));
    },
    xchg8(a: number, v: number): number {
      atomicCheck(a, 1);
      return Atomics.exchange(u8, a >>> 0, v & 0xff);
    },
  };
  WORD_COPIES.set(acc, {
    load(a, dst, k, words) {
      a >>>= 0;
      if (!pagesAllow(a, 4 * words, R, R)) return false;
      for (let i = 0; i < words; i++) dst[k + i] = dv.getInt32(a + 4 * i, le);
      return true;
    },
    store(a, src, k, words) {
      a >>>= 0;
      if (!pagesAllow(a, 4 * words, WC, W)) return false;
      for (let i = 0; i < words; i++) dv.setInt32(a + 4 * i, src[k + i], le);
      return true;
    },
  });
  return acc;

  /** Whether every page of [a, a + len) has `perm & mask` equal to `want`. */
  function pagesAllow(a: number, len: number, mask: number, want: number): boolean {
    if (a + len > 2 ** 32) return false;
    for (let p = a >>> 12; p <= (a + len - 1) >>> 12; p++) if ((perm[p] & mask) !== want) return false;
    return true;
  }

  /** Faults an atomic access a store could not make (or that is misaligned); notes a store into code. */
  function atomicCheck(a: number, size: number): void {
    a >>>= 0;
    if (a & (size - 1)) mem.misaligned(a, true);
    if ((perm[a >>> 12] & WC) !== W) mem.checkWrite(a);
    if ((perm[a >>> 12] & R) === 0) mem.fault(a, false);
  }
}

/**
 * Word-block transfers between guest memory and a host word array (NEON and VFP multiple
 * loads and stores: memcpy's inner loop), at any alignment, with one permission check per
 * page. Each returns false, having moved nothing, when a page does not allow it (or holds
 * translated code): the caller then moves word by word through the accessors, which fault.
 */
export interface WordCopies {
  load(a: number, dst: Int32Array, k: number, words: number): boolean;
  store(a: number, src: Int32Array, k: number, words: number): boolean;
}
const WORD_COPIES = new WeakMap<object, WordCopies>();

/**
 * The word-block transfers of accessors made by makeAccessors; null for wrapped ones (a
 * debugger's watchpoints, --trace, lockstep), which must see every access.
 */
export const wordCopiesOf = (acc: Accessors): WordCopies | null => WORD_COPIES.get(acc) ?? null;

export const bswap32 = (v: number): number => ((v << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) | 0;
const bswap16 = (v: number): number => ((v & 0xff) << 8) | ((v >>> 8) & 0xff);


/**
 * A big-endian guest's aligned halfword and word accesses (address signed, as the fast paths
 * take it). DataView's, which V8 optimises into one load or store and a byte swap; but while
 * the code runs unoptimised, DataView's builtins move one byte at a time, so where other
 * threads share the memory (mem.threads: Workers) another thread could load half of one
 * store and half of another (Go's sync/atomic TestHammerStoreLoad on mips). There, whole
 * typed-array elements, byte-swapped: single-copy atomic however V8 runs them (and ~14%
 * slower in hot loops than DataView optimised, so only there).
 */
function bigEndianWords(mem: GuestMemory) {
  const dv = mem.view;
  if (!mem.threads) {
    return {
      be16u: (a: number): number => dv.getUint16(a >>> 0), be16s: (a: number): number => dv.getInt16(a >>> 0),
      be32: (a: number): number => dv.getInt32(a >>> 0),
      setBe16: (a: number, v: number): void => dv.setInt16(a >>> 0, v), setBe32: (a: number, v: number): void => dv.setInt32(a >>> 0, v),
    };
  }
  const u16 = new Uint16Array(mem.buffer), i32 = new Int32Array(mem.buffer);
  return {
    be16u: (a: number): number => bswap16(u16[a >>> 1]), be16s: (a: number): number => (bswap16(u16[a >>> 1]) << 16) >> 16,
    be32: (a: number): number => bswap32(i32[a >>> 2]),
    setBe16: (a: number, v: number): void => {
      u16[a >>> 1] = bswap16(v);
    },
    setBe32: (a: number, v: number): void => {
      i32[a >>> 2] = bswap32(v);
    },
  };
}

/**
 * A full memory barrier on the host, for the guest's (ARM DMB/DSB and the kuser barrier,
 * MIPS SYNC): guest threads run in parallel Workers, and an x86-64 host lets a plain store
 * wait in its store buffer while a later load to another address goes ahead. A locked
 * read-modify-write drains it; this Worker's own word keeps other threads' lines alone.
 */
const FENCE_WORD = new Int32Array(new SharedArrayBuffer(4));
export function fence(): void {
  Atomics.add(FENCE_WORD, 0, 0);
}

/** The typed views the inline accessors use; they go into a translation's environment. */
export function memoryViews(mem: GuestMemory) {
  const b = mem.buffer;
  return {
    perm: mem.perm, dv: mem.view, u8: mem.bytes, i8: new Int8Array(b),
    u16: new Uint16Array(b), i16: new Int16Array(b), i32: new Int32Array(b), ...bigEndianWords(mem),
  };
}

/**
 * Expands a call `name(args)` into inline JavaScript; `t` is a scratch local to use, and
 * `afterSlowStore` an expression the translator wants evaluated after a slow-path store
 * (which may have invalidated translated code).
 */
export type InlineExpander = (args: string[], t: string, afterSlowStore: string) => string;

/**
 * Inline versions of the accessors above: a fast path for an aligned access to a page with
 * the right permission (and, for stores, not holding translated code), else a call to the
 * accessor, which raises the fault or invalidates the code. Little-endian guests index
 * typed arrays directly; big-endian ones go through bigEndianWords. With `journal`, fast-path
 * stores also call `journalStore(addr, size)` (lockstep checking).
 *
 * The address stays a signed 32-bit number (`| 0`, the accessors take either sign): one at
 * or above 0x80000000 (all of ARM's stack and libraries) made unsigned is not a small
 * integer, so unoptimised code boxed it at every access, and optimised code that had seen
 * only low addresses was thrown away at the first high one.
 */
export function inlineAccessors(littleEndian: boolean, journal: boolean): Record<string, InlineExpander> {
  const page = (t: string) => `perm[${t} >>> ${PAGE_SHIFT}]`;
  const misaligned = (t: string, size: number) => (size > 1 ? `(${t} & ${size - 1}) | ` : '');
  const at = (t: string, size: number) => `${t} >>> ${Math.log2(size)}`;
  const load = (name: string, size: number, array: string, beGet: string): InlineExpander => ([addr], t) => {
    // (Big-endian: through bigEndianWords.)
    const fast = size === 1 || littleEndian ? `${array}[${at(t, size)}]` : `${beGet}(${t})`;
    return `((${t} = (${addr}) | 0), (${misaligned(t, size)}(~${page(t)} & ${PROT_READ})) !== 0 ? ${name}(${t}) : ${fast})`;
  };
  const store = (name: string, size: number, array: string, beSet: string): InlineExpander => ([addr, v], t, after) => {
    const write = size === 1 || littleEndian ? `${array}[${at(t, size)}] = ${v}` : `${beSet}(${t}, ${v})`;
    const fast = journal ? `(journalStore(${t}, ${size}), ${write})` : `(${write})`;
    const bad = `((${page(t)} & ${PROT_WRITE | PAGE_CODE}) ^ ${PROT_WRITE})`;
    return `((${t} = (${addr}) | 0), (${misaligned(t, size)}${bad}) !== 0 ? (${name}(${t}, ${v}), ${after}) : ${fast})`;
  };
  // 64-bit FPU transfers, ld64(a, W, k) and st64(a, W, k): the double's low word is W[k], its
  // high word W[k + 1] (at the lower address on a little-endian guest). The fast path takes
  // an address aligned to 8 (so on one page); the helpers do the rest (faults, fix-ups).
  const load64: InlineExpander = ([addr, W, k], t) => {
    const [lo, hi] = littleEndian ? [`i32[${t} >>> 2]`, `i32[(${t} >>> 2) + 1]`] : [`be32(${t} + 4)`, `be32(${t})`];
    return `((${t} = (${addr}) | 0), ((${t} & 7) | (~${page(t)} & ${PROT_READ})) !== 0 ? ld64(${t}, ${W}, ${k}) : (${W}[${k}] = ${lo}, ${W}[${k} + 1] = ${hi}))`;
  };
  const store64: InlineExpander = ([addr, W, k], t, after) => {
    const [lo, hi] = [`${W}[${k}]`, `${W}[${k} + 1]`];
    const write = littleEndian ? `i32[${t} >>> 2] = ${lo}, i32[(${t} >>> 2) + 1] = ${hi}` : `setBe32(${t} + 4, ${lo}), setBe32(${t}, ${hi})`;
    const fast = journal ? `(journalStore(${t}, 8), ${write})` : `(${write})`;
    return `((${t} = (${addr}) | 0), ((${t} & 7) | ((${page(t)} & ${PROT_WRITE | PAGE_CODE}) ^ ${PROT_WRITE})) !== 0 ? (st64(${t}, ${W}, ${k}), ${after}) : ${fast})`;
  };
  return {
    ld64: load64,
    st64: store64,
    ld8u: load('ld8u', 1, 'u8', ''),
    ld8s: load('ld8s', 1, 'i8', ''),
    ld16u: load('ld16u', 2, 'u16', 'be16u'),
    ld16s: load('ld16s', 2, 'i16', 'be16s'),
    ld32: load('ld32', 4, 'i32', 'be32'),
    st8: store('st8', 1, 'u8', ''),
    st16: store('st16', 2, 'i16', 'setBe16'),
    st32: store('st32', 4, 'i32', 'setBe32'),
  };
}

/**
 * The accessors as plain calls, in place of inlineAccessors' expansions (same names and
 * arguments): for code V8 runs mostly unoptimised (see the translator's CALLED_MEMORY_ACCESSES). A store
 * is followed by `afterSlowStore`, as any store may have written translated code.
 */
export const MEMORY_CALLS: Record<string, InlineExpander> = (() => {
  const load = (name: string): InlineExpander => ([addr]) => `${name}((${addr}) | 0)`;
  const store = (name: string): InlineExpander => ([addr, v], _t, after) => `(${name}((${addr}) | 0, ${v}), ${after})`;
  return { ld8u: load('ld8u'), ld8s: load('ld8s'), ld16u: load('ld16u'), ld16s: load('ld16s'), ld32: load('ld32'),
    st8: store('st8'), st16: store('st16'), st32: store('st32'),
    ld64: ([addr, W, k]) => `ld64((${addr}) | 0, ${W}, ${k})`, st64: ([addr, W, k], _t, after) => `(st64((${addr}) | 0, ${W}, ${k}), ${after})` };
})();
