// The machinery shared by every ISA's instruction table. An ISA describes each instruction
// once: its encoding (mask/match), its assembly syntax and its semantics as a JavaScript
// code template. From that one record urun derives the decoder, the disassembler and the
// interpreter handlers (and the translator, which inlines the same templates with the
// instruction's fields turned into constants).
//
// Template tokens: `$name` stands for the value of field `name` of the instruction, as
// computed by the ISA's field expressions from the instruction word `w` and its address `pc`.
// `@bits(MASK) { BODY }` runs BODY once per set bit of MASK, lowest first, with `@k` the bit
// number and `@n` how many set bits came before it (register lists: LDM, STM, PUSH, POP);
// the interpreter loops, the translator unrolls.
import { functionSet } from '../host/v8cache.js';
import { hashName } from '../host/hash.js';

export const enum InsnFlags {
  None = 0,
  /** A control transfer; on MIPS it is followed by a delay slot in the same block. */
  Branch = 1,
  /** Branch-likely: the template returns 1 when not taken, annulling the delay slot. */
  Likely = 2,
  /** Ends the block right after itself (syscall, break, traps back to the engine). */
  EndsBlock = 4,
}

/** How disassembly shows a field: a register, a number (decimal or hex), or a branch target (an address, as objdump writes it). */
export type FieldKind = 'gpr' | 'fpr' | 'int' | 'hex' | 'fcc' | 'target';

export interface FieldDef {
  /** A JavaScript expression in `w` (the instruction word) and `pc`. */
  expr: string;
  kind: FieldKind;
}

export interface InsnDef {
  name: string;
  mask: number;
  match: number;
  /** Assembly operands, e.g. '$rd, $rs, $rt' or '$rt, $imm($rs)'. */
  asm: string;
  /** Semantics template. */
  code: string;
  flags: InsnFlags;
  /**
   * The ISA features (bits the ISA defines: an architecture level, an FPU, ...) a CPU must
   * have for this instruction to exist; on a CPU model without them it is undefined (SIGILL).
   */
  requires?: number;
}

/**
 * Tags the defs a table file makes with the CPU features they need: `tag` gives a def the
 * features of the `requiring` blocks it is made in (nested blocks add up).
 */
export function featureScope(): { tag(d: InsnDef): InsnDef; requiring(features: number, make: () => void): void } {
  let needs = 0;
  return {
    tag: (d) => (needs ? { ...d, requires: (d.requires ?? 0) | needs } : d),
    requiring: (features, make) => {
      const outer = needs;
      needs |= features;
      try {
        make();
      } finally {
        needs = outer;
      }
    },
  };
}

/** An interpreter handler: executes one instruction; a return of 1 ends the block early. */
export type Handler = (w: number, pc: number) => number | void;

const TOKEN = /\$([a-z][a-z0-9]*)/g;
const PC_WORD = /\bpc\b/g;
const USES_PC = /\bpc\b/;
const W_WORD = /\bw\b/g;
/** Moves of code by whole pages (regions are relocated by their page), both ways and across the sign bit. */
const PAGE_STEPS = [0x1000, -0x1000, 0x7fff0000, -0x80000000];

/**
 * One decode bucket (the defs whose fixed bits agree with one value of the ISA's bucketOf),
 * split further by the bits most of its defs fix: `key` gathers them from a word, and each
 * key's short list of candidates is built the first time a word with that key is decoded.
 */
class DecodeBucket {
  private readonly runs: { shift: number; mask: number; at: number }[] = [];
  private readonly keyMask: number;
  /**
   * The candidate lists by key. A Map, not an array of 2^bits: a program meets a few of a
   * bucket's keys, and the first store into a 16K-entry holey array copied it (ARM's start
   * allocated 1.8 MB that way).
   */
  private readonly byKey = new Map<number, InsnDef[]>();

  constructor(readonly defs: InsnDef[]) {
    // The bits fixed by the most defs: only bits some defs fix, and few enough that the
    // lists (2^bits of them) stay in proportion to the defs.
    const count = new Array<number>(32).fill(0);
    // By 16-bit halves: a whole mask is past V8's small integers, so each shift of it made a
    // heap number in this cold code (a megabyte at every ARM start).
    for (const d of defs) {
      const lo = d.mask & 0xffff, hi = (d.mask >>> 16) & 0xffff;
      for (let b = 0; b < 16; b++) {
        count[b] += (lo >> b) & 1;
        count[b + 16] += (hi >> b) & 1;
      }
    }
    const bits = [...count.keys()].filter((b) => count[b] > 0 && count[b] < defs.length + 1)
      .sort((a, b) => count[b] - count[a] || b - a).slice(0, Math.min(KEY_BITS, Math.ceil(Math.log2(defs.length + 1)) + 3))
      .sort((a, b) => a - b);
    let keyMask = 0, at = 0;
    for (let i = 0; i < bits.length;) {
      let j = i;
      while (j + 1 < bits.length && bits[j + 1] === bits[j] + 1) j++;
      const width = j - i + 1;
      this.runs.push({ shift: bits[i], mask: (2 ** width - 1) >>> 0, at });
      keyMask |= (2 ** width - 1) * 2 ** bits[i];
      at += width;
      i = j + 1;
    }
    this.keyMask = keyMask | 0;
  }

  // (Indexed loops: this runs for every instruction of every new block, mostly before V8 has
  // optimised it, where for-of allocates an iterator and its results.)
  decode(w: number): InsnDef | null {
    let key = 0;
    const runs = this.runs;
    for (let i = 0; i < runs.length; i++) key |= ((w >>> runs[i].shift) & runs[i].mask) << runs[i].at;
    let list = this.byKey.get(key);
    if (list === undefined) {
      // Defs whose fixed bits among the key's bits agree with this word's; most specific first.
      const km = this.keyMask;
      list = this.defs.filter((d) => ((w ^ d.match) & d.mask & km) === 0);
      this.byKey.set(key, list);
    }
    for (let i = 0; i < list.length; i++) if (((w & list[i].mask) ^ list[i].match) === 0) return list[i];
    return null;
  }
}

/** How many bits pick a bucket's candidate list (2^KEY_BITS lists at most, built lazily). */
const KEY_BITS = 14;

export class InsnTable {
  /** Each bucket's defs, most specific first; a bucket's DecodeBucket is built at its first decode. */
  private readonly lists = new Map<number, InsnDef[]>();
  private readonly buckets = new Map<number, DecodeBucket>();
  private readonly fieldFns = new Map<string, (w: number, pc: number) => number>();
  /** Each def's position in defs (which names its cached handler); made at the first handler asked for. */
  private defIndex: Map<InsnDef, number> | null = null;
  private readonly byFeatures = new Map<number, InsnTable>();
  /** Which feature subset this table is (forFeatures), '' for the whole table: names its cached handlers. */
  private variant = '';

  constructor(
    readonly isaName: string,
    readonly defs: InsnDef[],
    readonly fields: Record<string, FieldDef>,
    /** Which bits choose the decode bucket (a pre-filter; every def is still mask-checked). */
    private readonly bucketOf: (w: number) => number,
    readonly regName: (kind: FieldKind, n: number) => string,
  ) {
    // Try the most specific encodings first (ties in table order): a bucket per count of fixed
    // bits, not a sort, whose comparator runs as cold code at start-up (A32 and T32 have 1,500
    // defs each; sorting them cost ARM starts 10-20 ms).
    const byFixedBits = Array.from({ length: 33 }, () => [] as InsnDef[]);
    for (const d of defs) byFixedBits[32 - popcount(d.mask)].push(d);
    const sorted = byFixedBits.flat();
    for (const d of sorted) {
      // A def belongs to every bucket its fixed bits allow; buckets use only fixed bits here.
      const b = this.bucketOf(d.match);
      let list = this.lists.get(b);
      if (!list) this.lists.set(b, (list = []));
      list.push(d);
    }
  }

  /**
   * What a table must satisfy (checked by the tests, not at every start): no two defs share
   * an encoding, matches have no bits outside their masks, templates use only known fields.
   */
  problems(): string[] {
    const out: string[] = [];
    const seen = new Map<string, InsnDef>();
    for (const d of this.defs) {
      const key = `${d.mask >>> 0}:${d.match >>> 0}`;
      const dup = seen.get(key);
      if (dup) out.push(`${this.isaName}: ${d.name} and ${dup.name} have the same encoding`);
      seen.set(key, d);
      if ((d.match & ~d.mask) !== 0) out.push(`${this.isaName}: ${d.name} match has bits outside its mask`);
      for (const [, f] of d.code.matchAll(TOKEN)) {
        if (!(f in this.fields)) out.push(`${this.isaName}: ${d.name} uses unknown field $${f}`);
      }
    }
    return out;
  }

  /**
   * This table as a CPU with only `features` decodes it: the defs that need more are left
   * out of its buckets, so they decode as undefined at no cost per instruction. The table
   * itself when the CPU has everything its defs need.
   */
  forFeatures(features: number): InsnTable {
    if (this.defs.every((d) => ((d.requires ?? 0) & ~features) === 0)) return this;
    let t = this.byFeatures.get(features);
    if (!t) {
      const defs = this.defs.filter((d) => ((d.requires ?? 0) & ~features) === 0);
      t = new InsnTable(this.isaName, defs, this.fields, this.bucketOf, this.regName);
      t.variant = `-f${features.toString(16)}`;
      this.byFeatures.set(features, t);
    }
    return t;
  }

  decode(w: number): InsnDef | null {
    const b = this.bucketOf(w);
    let bucket = this.buckets.get(b);
    if (bucket === undefined) {
      // (Built when first needed: a program decodes from a few of ARM's buckets, and every
      // start, forked child and guest thread's Worker builds its tables again.)
      const list = this.lists.get(b);
      if (list === undefined) return null;
      this.buckets.set(b, (bucket = new DecodeBucket(list)));
    }
    return bucket.decode(w);
  }

  /** The position of `d` in defs, or -1. */
  indexOf(d: InsnDef): number {
    return (this.defIndex ??= new Map(this.defs.map((def, k) => [def, k]))).get(d) ?? -1;
  }

  field(name: string, w: number, pc: number): number {
    return this.fieldFn(name)(w, pc);
  }

  /** The function computing field `name` from an instruction word and its address. */
  fieldFn(name: string): (w: number, pc: number) => number {
    let fn = this.fieldFns.get(name);
    if (!fn) {
      fn = new Function('w', 'pc', `return ${this.fields[name].expr};`) as (w: number, pc: number) => number;
      this.fieldFns.set(name, fn);
    }
    return fn;
  }

  disassemble(w: number, pc: number): string {
    const d = this.decode(w);
    if (!d) return `.word 0x${(w >>> 0).toString(16).padStart(8, '0')}`;
    const ops = d.asm.replace(TOKEN, (_, f: string) => {
      const v = this.field(f, w, pc);
      const kind = this.fields[f].kind;
      if (kind === 'gpr' || kind === 'fpr' || kind === 'fcc') return this.regName(kind, v);
      if (kind === 'hex') return `0x${(v >>> 0).toString(16)}`;
      // Without ARM's state bit (bit 0 of a Thumb target says Thumb, not where).
      if (kind === 'target') return ((v & ~1) >>> 0).toString(16);
      return String(v);
    });
    return ops ? `${d.name} ${ops}` : d.name;
  }

  /** Names of the fields a template uses, in first-use order. */
  static fieldsOf(code: string): string[] {
    return [...new Set([...code.matchAll(TOKEN)].map((m) => m[1]))];
  }

  /**
   * The template with its fields replaced by constants for this instruction (for
   * translation). A field computed from the PC becomes its expression over the marked
   * address `__A(pc)`, which the translator makes relative to the region's base.
   */
  specialise(d: InsnDef, w: number, pc: number): string {
    const code = d.code.replace(TOKEN, (_, f: string) => {
      const expr = this.fields[f].expr;
      if (USES_PC.test(expr)) {
        // Most such fields (branch targets, literal addresses) are the PC plus something:
        // their value, moved with the code by whole pages, moves the same. Those become one
        // marked address rather than their whole expression (a Thumb branch target's ran to
        // 900 characters, which V8 parsed and compiled in every region).
        const v = this.field(f, w, pc);
        if (PAGE_STEPS.every((s) => this.field(f, w, (pc + s) | 0) === ((v + s) | 0))) return `__A(${v | 0})`;
        return `(${expr.replace(W_WORD, `(${w | 0})`).replace(PC_WORD, `__A(${pc | 0})`)})`;
      }
      const v = this.field(f, w, pc);
      return v < 0 ? `(${v})` : String(v);
    });
    // With the mask known, an @bits loop unrolls into one copy of its body per set bit.
    return foldConstantIfs(expandBits(code, (mask, body) => {
      // The mask is constant arithmetic on field values by now.
      const m = constantValue(mask) >>> 0;
      let out = '';
      for (let k = 0, n = 0; k < 32; k++) {
        if ((m >>> k) & 1) out += `{ ${body.replace(/@k/g, String(k)).replace(/@n/g, String(n++))} }\n`;
      }
      return out;
    }));
  }

  /**
   * The interpreter's handlers over `env` (the values templates may use: registers, memory
   * accessors, the CPU), by def. Each is built from its template on first use (or taken
   * from the handlers a previous run cached, host/v8cache.ts) and computes the fields it
   * needs from the word at run time.
   */
  handlers(envNames: string[], env: Record<string, unknown>): (d: InsnDef) => Handler {
    const set = functionSet(`${this.isaName.toLowerCase()}${this.variant}-handlers-${hashName(envNames.join(',')).slice(0, 8)}`,
      `const { ${envNames.join(', ')} } = env;`);
    const get = set.instantiate(env);
    return (d) => {
      return get(this.indexOf(d), () => this.handlerSource(d)) as Handler;
    };
  }

  private handlerSource(d: InsnDef): string {
    const prelude = InsnTable.fieldsOf(d.code)
      .map((f) => `const $${f} = ${this.fields[f].expr};`)
      .join(' ');
    // `$name` is a valid JavaScript identifier, so the template runs as written.
    const body = expandBits(d.code, (mask, b) =>
      `for (let k_ = 0, n_ = 0; k_ < 32; k_++) if (((${mask}) >>> k_) & 1) { ${b.replace(/@k/g, 'k_').replace(/@n/g, 'n_')}; n_++; }`);
    return `function insn_${d.name.replace(/\W/g, '_')}(w, pc) { ${prelude}\n${body}\n}`;
  }
}

/**
 * The value of a constant expression (an @bits mask once its fields are numbers), computed
 * once per distinct text: compiling a function for each was most of specialising a push or pop.
 */
function constantValue(expr: string): number {
  let v = constantValues.get(expr);
  if (v === undefined) constantValues.set(expr, (v = new Function(`return ${expr};`)() as number));
  return v;
}
const constantValues = new Map<string, number>();

/** Just past the bracket that closes the one at `open` (the end of the code if none does). */
function pastClosing(code: string, open: number): number {
  const opener = code[open], closer = opener === '(' ? ')' : '}';
  let j = open + 1;
  for (let depth = 1; depth > 0 && j < code.length; j++) depth += code[j] === opener ? 1 : code[j] === closer ? -1 : 0;
  return j;
}

/** Rewrites every `@bits(mask) { body }` in a template with `expand(mask, body)`. */
function expandBits(code: string, expand: (mask: string, body: string) => string): string {
  for (;;) {
    const at = code.indexOf('@bits(');
    if (at < 0) return code;
    const i = pastClosing(code, at + '@bits'.length);
    const mask = code.slice(at + '@bits('.length, i - 1);
    const open = code.indexOf('{', i);
    const j = pastClosing(code, open);
    code = code.slice(0, at) + expand(mask, code.slice(open + 1, j - 1)) + code.slice(j);
  }
}

const CONSTANT_IF = /\bif \((!?)(\d+)\) \{/g;
/**
 * `if (N) { body }` and `if (!N) { body }` with N a number (a field the template tests,
 * such as Thumb's "outside an IT block" or A32's S bit, once it is a constant): the body, or
 * nothing. The body's statements join the enclosing block when it declares nothing, so the
 * translator sees its flag writes as unconditional. Left as written when an `else` follows.
 */
function foldConstantIfs(code: string): string {
  let out = '', at = 0;
  for (const m of code.matchAll(CONSTANT_IF)) {
    if (m.index! < at) continue;
    const open = m.index! + m[0].length - 1;
    const j = pastClosing(code, open);
    if (/^\s*else\b/.test(code.slice(j))) continue;
    const body = foldConstantIfs(code.slice(open + 1, j - 1));
    const holds = (Number(m[2]) !== 0) !== (m[1] === '!');
    out += code.slice(at, m.index!) + (!holds ? '' : /\b(const|let|var|function|class)\b/.test(body) ? `{${body}}` : body);
    at = j;
  }
  return out + code.slice(at);
}

function popcount(x: number): number {
  // (By halves, as DecodeBucket counts bits: small integers only.)
  let n = 0;
  for (let h = x & 0xffff; h; h &= h - 1) n++;
  for (let h = (x >>> 16) & 0xffff; h; h &= h - 1) n++;
  return n;
}
