// Decoded blocks kept between runs, the translation cache's other half. Every run of a
// program decodes the same blocks again (ld.so's relocation, libc's start, the program's own
// start: 1,700 blocks before a dynamic ARM `true` exits), and decoding is most of what a
// block costs the first time it runs. So each file's blocks are kept as they were scanned:
// where a block starts in the file's mapping, its bytes, and per instruction its def (an
// index into its table) and the rest of its ScannedInsn. A block is used only where the same
// bytes are at the same offset again (so at the same offset in its page): decoding depends on
// nothing else but the CPU model, and each model's blocks are a partition of their own.
//
// One file per mapped file beside its regions (codecache.ts names, writes and evicts both).
// Records are int32 words: [offset, bytes, instructions, table, ...the block's bytes as
// words, then per instruction: word, meta, offset in the block, pc deltas].
import type { InsnTable } from '../isa/table.js';
import type { GuestMemory } from '../memory/memory.js';
import { PAGE_SHIFT, PROT_EXEC } from '../memory/memory.js';
import type { ScannedBlock, ScannedInsn } from './cpu.js';

export const SCAN_MAGIC = 'URUNSC1\n';
const HEADER = 4;
const PER_INSN = 4;
/** Blocks are short (MAX_BLOCK instructions, within one page): anything longer is damage. */
const MAX_INSNS = 4096;
const MAX_BYTES = 1 << 14;

// meta: the def's index, then which optional fields the ScannedInsn has (the scanners' own
// shapes are kept, so the interpreter sees the objects it always sees).
const DEF_MASK = 0xffff;
const COND_SHIFT = 16;
const HAS_COND = 1 << 20;
const COND_DEFINED = 1 << 21;
const HAS_PC_VALUE = 1 << 22;
const HAS_FAULT_PC = 1 << 23;

/** The decoded blocks of one mapped file: those a previous run kept, and those this run added. */
export class ScanPartition {
  /** Block offset in the mapping → where its record starts in `words`. */
  private readonly index = new Map<number, number>();
  private readonly added = new Map<number, Int32Array>();
  /** `words` as bytes (a block's stored bytes are compared with memory's through it). */
  private readonly bytes: Uint8Array;

  /**
   * `words`: a file's records (scanWords; empty: none). Throws on a malformed one: the caller
   * ignores such a file (with a warning) and starts empty. (A def index past its table is
   * found when the record is used: the record is then not used.)
   */
  constructor(private readonly words: Int32Array) {
    this.bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
    for (let at = 0; at < words.length;) {
      const next = recordEnd(words, at);
      if (next < 0 || next > words.length) throw new Error(next < 0 ? 'bad block record' : 'truncated');
      this.index.set(words[at], at);
      at = next;
    }
  }

  get size(): number {
    return this.index.size + this.added.size;
  }

  /**
   * The block at `pc`, `rel` bytes into the mapping, if it was kept with the bytes now there
   * (`tables`: TranslationSpec.tables, which the records' table numbers index).
   */
  find(rel: number, pc: number, mem: GuestMemory, tables: readonly InsnTable[]): ScannedBlock | null {
    const mine = this.added.get(rel);
    if (mine !== undefined) return decodeBlock(mine, new Uint8Array(mine.buffer, mine.byteOffset, mine.byteLength), 0, pc, mem, tables);
    const at = this.index.get(rel);
    return at === undefined ? null : decodeBlock(this.words, this.bytes, at, pc, mem, tables);
  }

  /**
   * Keeps a block this run scanned at `rel` (not one holding an instruction that cannot
   * run), in place of what was kept there for other bytes (a changed file); returns its
   * record, or null when it keeps nothing new.
   */
  add(rel: number, b: ScannedBlock, mem: GuestMemory, tables: readonly InsnTable[]): Int32Array | null {
    if (this.added.has(rel)) return null;
    const record = encodeBlock(rel, b, mem, tables);
    if (record) this.added.set(rel, record);
    return record;
  }

  /** Keeps a record another thread of this process made (see add), if well-formed. */
  adopt(record: Int32Array): void {
    const rel = record[0];
    if (recordEnd(record, 0) === record.length && !this.added.has(rel)) this.added.set(rel, record);
  }

  /** Whether this run added blocks (so the file is to be written). */
  get changed(): boolean {
    return this.added.size > 0;
  }

  /** The file's content: this run's blocks, and the kept ones (from `current`, the file as it now is) at other offsets. */
  serialize(current: Int32Array): Buffer {
    const parts: Int32Array[] = [];
    const seen = new Set<number>();
    for (const [rel, r] of this.added) {
      parts.push(r);
      seen.add(rel);
    }
    for (let at = 0; at < current.length;) {
      const next = recordEnd(current, at);
      if (next < 0 || next > current.length) break; // (damaged since this run read it: the rest is dropped)
      if (!seen.has(current[at])) parts.push(current.subarray(at, next));
      seen.add(current[at]);
      at = next;
    }
    const out = Buffer.alloc(SCAN_MAGIC.length + parts.reduce((s, p) => s + p.byteLength, 0));
    out.write(SCAN_MAGIC, 'latin1');
    let o = SCAN_MAGIC.length;
    for (const p of parts) {
      out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), o);
      o += p.byteLength;
    }
    this.added.clear();
    return out;
  }
}

/** Where the record at `at` ends, or -1 when its header is not a block's. */
function recordEnd(words: Int32Array, at: number): number {
  if (at + HEADER > words.length) return -1;
  const bytes = words[at + 1], n = words[at + 2], t = words[at + 3];
  if (!(bytes > 0 && bytes <= MAX_BYTES && n > 0 && n <= MAX_INSNS && t >= -1 && t < 16)) return -1;
  return at + HEADER + ((bytes + 3) >> 2) + n * PER_INSN;
}

/** A cache file's records as aligned int32 words (empty when `data` is empty); throws when it is not one. */
export function scanWords(data: Buffer): Int32Array {
  if (data.length === 0) return new Int32Array(0);
  if (data.subarray(0, SCAN_MAGIC.length).toString('latin1') !== SCAN_MAGIC) throw new Error('not a urun block cache file');
  if ((data.length - SCAN_MAGIC.length) % 4 !== 0) throw new Error('truncated');
  const words = new Int32Array((data.length - SCAN_MAGIC.length) >> 2);
  new Uint8Array(words.buffer).set(data.subarray(SCAN_MAGIC.length));
  return words;
}

/** The record of block b (null when it holds an instruction that cannot run). */
function encodeBlock(rel: number, b: ScannedBlock, mem: GuestMemory, tables: readonly InsnTable[]): Int32Array | null {
  const first = b.start & ~1, bytes = (b.end & ~1) - first, n = b.insns.length;
  if (n === 0 || n > MAX_INSNS || bytes <= 0 || bytes > MAX_BYTES) return null;
  const t = b.table === undefined ? -1 : tables.indexOf(b.table);
  if (b.table !== undefined && t < 0) return null;
  const table = tables[t < 0 ? 0 : t];
  const padded = (bytes + 3) >> 2;
  const r = new Int32Array(HEADER + padded + n * PER_INSN);
  r[0] = rel;
  r[1] = bytes;
  r[2] = n;
  r[3] = t;
  new Uint8Array(r.buffer, HEADER * 4, bytes).set(mem.bytes.subarray(first >>> 0, (first >>> 0) + bytes));
  for (let k = 0, m = HEADER + padded; k < n; k++, m += PER_INSN) {
    const i: ScannedInsn = b.insns[k];
    if (i.def === null || i.fault !== null) return null;
    const d = table.indexOf(i.def);
    if (d < 0 || d > DEF_MASK) return null;
    let meta = d;
    if ('cond' in i) meta |= HAS_COND | (i.cond === undefined ? 0 : COND_DEFINED | ((i.cond & 15) << COND_SHIFT));
    let deltas = 0;
    if ('pcValue' in i && i.pcValue !== undefined) {
      meta |= HAS_PC_VALUE;
      deltas |= (i.pcValue - i.pc) & 0xffff;
    }
    if ('faultPc' in i && i.faultPc !== undefined) {
      meta |= HAS_FAULT_PC;
      deltas |= ((i.faultPc - i.pc) & 0xffff) << 16;
    }
    r[m] = i.word;
    r[m + 1] = meta;
    r[m + 2] = i.pc - b.start;
    r[m + 3] = deltas;
  }
  return r;
}

/**
 * The block a record at `at` describes, placed at pc, if memory there is executable and holds
 * its bytes (`bytes`: `words` seen as bytes).
 */
function decodeBlock(words: Int32Array, bytes: Uint8Array, at: number, pc: number, mem: GuestMemory, tables: readonly InsnTable[]): ScannedBlock | null {
  const size = words[at + 1], n = words[at + 2], t = words[at + 3];
  const first = (pc & ~1) >>> 0;
  if (first + size > 2 ** 32) return null;
  for (let p = first >>> PAGE_SHIFT; p <= (first + size - 1) >>> PAGE_SHIFT; p++) if ((mem.perm[p] & PROT_EXEC) === 0) return null;
  const code = mem.bytes;
  for (let i = 0, s = (at + HEADER) * 4; i < size; i++, s++) if (code[first + i] !== bytes[s]) return null;
  if (t >= tables.length) return null;
  const table = tables[t < 0 ? 0 : t];
  const insns: ScannedInsn[] = new Array<ScannedInsn>(n);
  for (let k = 0, m = at + HEADER + ((size + 3) >> 2); k < n; k++, m += PER_INSN) {
    const meta = words[m + 1], deltas = words[m + 3];
    if ((meta & DEF_MASK) >= table.defs.length) return null;
    const ipc = (pc + words[m + 2]) | 0;
    const i: ScannedInsn = { pc: ipc, word: words[m], def: table.defs[meta & DEF_MASK], fault: null };
    if (meta & HAS_COND) i.cond = meta & COND_DEFINED ? (meta >>> COND_SHIFT) & 15 : undefined;
    if (meta & HAS_PC_VALUE) i.pcValue = (ipc + ((deltas << 16) >> 16)) | 0;
    if (meta & HAS_FAULT_PC) i.faultPc = (ipc + (deltas >> 16)) | 0;
    insns[k] = i;
  }
  const end = ((pc & ~1) + size) | (pc & 1);
  return t < 0 ? { start: pc, end: end | 0, insns } : { start: pc, end: end | 0, insns, table };
}
