// The translator: compiles a region of hot guest blocks into one JavaScript function that
// V8 then optimises. It inlines the same per-instruction templates the interpreter runs
// (InsnTable.specialise turns fields into constants), with three rewrites:
//   - integer registers `R[n]` become JS locals `rN`, loaded on entry and written back on
//     exit (and around instructions that end a block, such as syscall, whose helpers read R);
//   - `cpu.next = …` (a branch choosing the next PC) sets a local `nx`, and the block's end
//     dispatches on it: a successor inside the region is a jump within a `for (;;) switch`,
//     so guest loops stay JS loops; anything else leaves the function;
//   - `return 1` (a branch-likely annulling its delay slot) skips the rest of its block;
// and memory accessors are expanded inline (src/memory/access.ts).
// A guest fault thrown inside the function writes the registers back and records the PC of
// the faulting instruction, so the state the rest of urun sees matches the interpreter's.
import { writeSync } from 'node:fs';
import type { ScannedBlock, ScannedInsn, TranslationSpec } from './cpu.js';
import { InsnFlags, type InsnDef } from '../isa/table.js';
import { MEMORY_CALLS, type InlineExpander } from '../memory/access.js';
import { IRQ } from './signals.js';
import { REGION_PARAMS, regionBaseOf, type RegionFactory } from './codecache.js';

/** Counters the translated code adds to. */
export interface InstructionCounter {
  instructions: number;
}

/** A compiled region, as the engine calls it: runs, sets cpu.next, returns instructions run. */
export type RegionFn = () => number;

/** Raised for a template this translator cannot compile; the code stays interpreted. */
export class Untranslatable extends Error {}

/**
 * Lockstep checking: when given, the code calls `check(block)` at every block start and
 * `check(null)` before leaving, each time with all registers written back to the CPU.
 */
export interface LockstepHook {
  check(block: ScannedBlock | null): void;
}

export interface LocalizeState {
  gprCount: number;
  zeroReg: number;
  reads: Set<number>;
  writes: Set<number>;
  /** Reads of pcReg become the constant pcValue; writes to nextReg set `nx`. */
  pcReg?: number;
  pcValue?: number;
  nextReg?: number;
}

/** Where the expression starting at `i` ends: a `;` or `,` at depth 0, or an unmatched closer. */
function exprEnd(code: string, i: number): number {
  let depth = 0;
  for (; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if ((c === ';' || c === ',') && depth === 0) return i;
  }
  return i;
}

const ASSIGN = /^\s*(=(?!=)|[-+*/%&|^]=|<<=|>>>?=|\+\+|--)\s*/;

/** The index of the parenthesis closing the one at `open`, or -1. */
function closing(e: string, open: number): number {
  let depth = 0;
  for (let i = open; i < e.length; i++) {
    if (e[i] === '(' || e[i] === '[' || e[i] === '{') depth++;
    else if ((e[i] === ')' || e[i] === ']' || e[i] === '}') && --depth === 0) return i;
  }
  return -1;
}

/** Operators at depth 0, longest first; each with its precedence class. */
const OPERATORS: [string, 'low' | 'bitwise' | 'compare' | 'shift' | 'arith' | 'choice'][] = [
  ['>>>=', 'low'], ['>>>', 'shift'], ['<<=', 'low'], ['>>=', 'low'], ['===', 'compare'], ['!==', 'compare'],
  ['<<', 'shift'], ['>>', 'shift'], ['<=', 'compare'], ['>=', 'compare'], ['==', 'compare'], ['!=', 'compare'],
  ['&&', 'low'], ['||', 'low'], ['??', 'low'], ['=>', 'low'], ['?.', 'arith'],
  ['&=', 'low'], ['|=', 'low'], ['^=', 'low'], ['+=', 'low'], ['-=', 'low'], ['*=', 'low'], ['/=', 'low'], ['%=', 'low'],
  ['=', 'low'], [',', 'low'], ['<', 'compare'], ['>', 'compare'], ['&', 'bitwise'], ['|', 'bitwise'], ['^', 'bitwise'],
  ['?', 'choice'], ['+', 'arith'], ['-', 'arith'], ['*', 'arith'], ['/', 'arith'], ['%', 'arith'],
];

const OPERATOR_STARTS = [...new Set(OPERATORS.map(([op]) => op[0]))].join('');

/**
 * Whether the expression `e` certainly gives a 32-bit integer, so that `| 0` after it would
 * cost an operation for nothing (in unoptimised code, a call): an int32 literal, a register
 * local, Math.imul, or an expression whose outermost operator is bitwise, a shift other
 * than `>>>` (or `>>>` by a constant 1-31), or a choice between two such expressions.
 * Conservative: anything else keeps its `| 0`.
 */
export function isInt32Expr(e: string): boolean {
  // The same few hundred expressions recur in every region (templates with constants put in).
  let known = int32Exprs.get(e);
  if (known === undefined) {
    if (int32Exprs.size >= MEMO_LIMIT) int32Exprs.clear();
    int32Exprs.set(e, (known = int32Expr(e)));
  }
  return known;
}
const int32Exprs = new Map<string, boolean>();
/** Bounds the memo (each distinct expression with its constants is an entry). */
const MEMO_LIMIT = 50_000;

function int32Expr(e: string): boolean {
  e = e.trim();
  while (e.startsWith('(') && closing(e, 0) === e.length - 1) e = e.slice(1, -1).trim();
  const literal = /^(-?)(\d+|0x[0-9a-f]+)$/i.exec(e);
  if (literal) {
    const v = (literal[1] ? -1 : 1) * Number(literal[2]);
    return Object.is(v, v | 0);
  }
  // A register local, or a guest address or offset mark (each becomes an int32 expression).
  if (/^r\d+$/.test(e) || /^__[AO]\(-?\d+\)$/.test(e)) return true;
  if (e.startsWith('Math.imul(') && closing(e, 9) === e.length - 1) return true;
  const found: { op: string; at: number; kind: (typeof OPERATORS)[number][1] }[] = [];
  for (let i = 0; i < e.length;) {
    const c = e[i];
    if (c === '(' || c === '[' || c === '{') {
      const end = closing(e, i);
      if (end < 0) return false;
      i = end + 1;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') return false;
    // (Most characters start no operator: the list is searched only where one may start.)
    const hit = OPERATOR_STARTS.includes(c) ? OPERATORS.find(([op]) => e.startsWith(op, i)) : undefined;
    if (hit) {
      found.push({ op: hit[0], at: i, kind: hit[1] });
      i += hit[0].length;
    } else i++;
  }
  const has = (kind: string) => found.some((f) => f.kind === kind);
  if (has('low')) return false;
  if (has('choice')) {
    // cond ? a : b, with the ':' that pairs with the first '?' at depth 0.
    const q = found.find((f) => f.op === '?')!.at;
    let nested = 0;
    for (let i = q + 1; i < e.length; i++) {
      if (e[i] === '(' || e[i] === '[' || e[i] === '{') i = closing(e, i);
      else if (e[i] === '?' && e[i + 1] !== '.' && e[i + 1] !== '?') nested++;
      else if (e[i] === ':' && nested-- === 0) return isInt32Expr(e.slice(q + 1, i)) && isInt32Expr(e.slice(i + 1));
    }
    return false;
  }
  if (has('bitwise')) return true;
  if (has('compare')) return false;
  if (has('shift')) {
    const last = found.filter((f) => f.kind === 'shift').pop()!;
    if (last.op !== '>>>') return true;
    const by = e.slice(last.at + 3).trim();
    return /^\d+$/.test(by) && Number(by) >= 1 && Number(by) <= 31;
  }
  return found.length === 0 && e.startsWith('~');
}

/** `rhs | 0`, or rhs alone when it is an int32 already. */
const asInt32 = (rhs: string): string => (isInt32Expr(rhs) ? `(${rhs})` : `(${rhs}) | 0`);

/** Rewrites `R[n]` register accesses into locals; see the file comment. */
export function localizeRegisters(code: string, st: LocalizeState): string {
  let out = '';
  let i = 0;
  for (;;) {
    const j = code.indexOf('R[', i);
    if (j < 0) return out + code.slice(i);
    if (j > 0 && /[\w$.]/.test(code[j - 1])) {
      out += code.slice(i, j + 2);
      i = j + 2;
      continue;
    }
    out += code.slice(i, j);
    const close = code.indexOf(']', j);
    const indexText = code.slice(j + 2, close).trim();
    if (!/^\d+$/.test(indexText)) throw new Untranslatable(`register index '${indexText}' is not a constant`);
    const reg = Number(indexText);
    const after = close + 1;
    if (reg >= st.gprCount) {
      out += code.slice(j, after);
      i = after;
      continue;
    }
    const m = ASSIGN.exec(code.slice(after));
    if (m && m[1] !== '=') throw new Untranslatable(`'${m[1]}' on a register`);
    if (m) {
      const rhsStart = after + m[0].length;
      const rhsEnd = exprEnd(code, rhsStart);
      const rhs = localizeRegisters(code.slice(rhsStart, rhsEnd), st);
      if (reg === st.pcReg) throw new Untranslatable('a template writes the PC register directly');
      if (reg === st.nextReg) {
        out += `nx = ${asInt32(rhs)}`;
      } else if (reg === st.zeroReg) {
        out += `(${rhs})`;
      } else {
        st.writes.add(reg);
        // Int32Array stores wrap to 32 bits; `| 0` does the same for a local.
        out += `r${reg} = ${asInt32(rhs)}`;
      }
      i = rhsEnd;
    } else {
      if (reg === st.pcReg) {
        if (st.pcValue === undefined) throw new Untranslatable('PC read without a pcValue');
        out += guestAddress(st.pcValue);
      } else if (reg === st.zeroReg) out += '0';
      else {
        st.reads.add(reg);
        out += `r${reg}`;
      }
      i = after;
    }
  }
}

/** Per set of inline helpers: the pattern of a call to one (made once, not at each expansion). */
const inlineCalls = new WeakMap<Record<string, InlineExpander>, RegExp | null>();

/** Replaces calls to the spec's inline helpers by their expansions, using scratch locals m0, m1, … */
export function expandInline(code: string, inline: Record<string, InlineExpander>, temps: { count: number }, afterSlowStore = '0'): string {
  let call = inlineCalls.get(inline);
  if (call === undefined) {
    const names = Object.keys(inline);
    inlineCalls.set(inline, (call = names.length === 0 ? null : new RegExp(`(?<![\\w$.])(${names.join('|')})\\(`, 'g')));
  }
  if (call === null) return code;
  let out = '';
  let i = 0;
  for (;;) {
    call.lastIndex = i;
    const m = call.exec(code);
    if (!m) return out + code.slice(i);
    out += code.slice(i, m.index);
    const args: string[] = [];
    let p = m.index + m[0].length;
    for (;;) {
      const e = exprEnd(code, p);
      args.push(expandInline(code.slice(p, e).trim(), inline, temps, afterSlowStore));
      if (code[e] === ',') p = e + 1;
      else if (code[e] === ')') {
        p = e + 1;
        break;
      } else throw new Untranslatable(`unbalanced call to ${m[1]}`);
    }
    out += inline[m[1]](args, `m${temps.count++}`, afterSlowStore);
    i = p;
  }
}

/**
 * Evaluated after anything that may have written to guest code: the region's code is
 * dropped by the engine (self.valid) and its loops leave at their next backward edge.
 */
const STALE_CHECK = '(self.valid || (stale = true))';
/** At a backward branch: leave when the code went stale or an interrupt (a signal) is requested. */
const LEAVE_LOOP = `stale || irq[${IRQ}] !== 0`;
/**
 * Back to the region's entry: also leave after LOOP_BUDGET trips, so that a loop running for
 * seconds does not stay in the code V8 made for it on-stack (OSR) during its first call. That
 * code ran the threads `compute` loop about twice as slowly as the function's regular optimised
 * code, which the next call enters; and every guest thread's Worker paid it again (a 2-thread
 * run took 25% more CPU than a 1-thread one). Only the entry: the engine re-enters a region there.
 */
const LEAVE_ENTRY_LOOP = `${LEAVE_LOOP} || --budget === 0`;
const LOOP_BUDGET = 1000;

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

/**
 * Guest addresses in generated code are relative to the region's base (its entry's page,
 * the parameter `B`), so that the same code, mapped elsewhere at the same page offset (a
 * shared library in another program), can run the cached translation. Fragments mark them
 * `__A(address)` (InsnTable.specialise does too, for fields computed from the PC); the
 * region rewrites the marks once its base is known.
 */
const guestAddress = (a: number) => `__A(${a | 0})`;
const ADDRESS_MARK = /__A\((-?\d+)\)/g;
/**
 * An address plus a constant (a return address, a fall-through), folded into one address:
 * wrapped as `(A + k) | 0`, or bare where nothing binds it tighter on either side (see
 * foldAddressSums; one regular expression with a look-behind there cost generateRegion a
 * tenth of its time, tried at every character of the source).
 */
const ADDRESS_PLUS_CONSTANT = /(\()?__A\((-?\d+)\) \+ (\d+)\b(\) \| 0)?/g;
const isBlank = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

function foldAddressSums(src: string): string {
  return src.replace(ADDRESS_PLUS_CONSTANT, (m: string, open: string | undefined, a: string, k: string, close: string | undefined, at: number) => {
    const sum = `__A(${(Number(a) + Number(k)) | 0})`;
    if (open && close) return sum;
    // Bare: after the start of a line or one of ( = ? : , [ (blanks between), and not before * / %.
    let j = (open ? at + 1 : at) - 1, lineStart = false;
    for (; j >= 0 && isBlank(src.charCodeAt(j)); j--) if (src.charCodeAt(j) === 10 || src.charCodeAt(j) === 13) lineStart = true;
    if (!(j < 0 || lineStart || '(=?:,['.includes(src[j]))) return m;
    let e = at + m.length - (close ? close.length : 0);
    while (e < src.length && isBlank(src.charCodeAt(e))) e++;
    if (e < src.length && '*/%'.includes(src[e])) return m;
    return (open ?? '') + sum + (close ?? '');
  });
}
const IDENTIFIERS = /[A-Za-z_$][\w$]*/g;
/**
 * The guest address of the instruction running, for a fault or a system call, is kept as its
 * offset from `B` (`ip`): a small constant to store before each access, where an address is
 * an addition. Marked `__O(address)` like the addresses.
 */
const ipOffset = (a: number) => `__O(${a | 0})`;
const OFFSET_MARK = /__O\((-?\d+)\)/g;
const IP_ADDRESS = '((B + ip) | 0)';
/** A fragment's write of the next PC (see localizeRegisters). */
const NX_WRITE = /\bnx = /;

/** One instruction, translated: the same for every region that includes it, so cached. */
interface Fragment {
  code: string;
  reads: number[];
  writes: number[];
  /** How many scratch locals (m0, m1, ...) it uses. */
  temps: number;
  /** ends: ends the block (syscall); store: may write code; call: may throw; plain: neither. */
  kind: 'ends' | 'store' | 'call' | 'plain';
  /** Writes of the spec's flag registers that always run (at the fragment's top level): where they are in `code`. */
  flagWrites: { reg: number; start: number; end: number }[];
  /** The flag registers it reads (or may: any mention that is not one of flagWrites' targets). */
  flagReads: number[];
}

interface SpecPatterns { calls: RegExp; storeHelper: RegExp; linkWrite: RegExp; nextWrite: RegExp; accessorCall: RegExp }
const patternCache = new WeakMap<object, SpecPatterns>();
/** Per spec, per instruction: its fragment with memory accesses inline ([0]) and as calls ([1]). */
const fragmentCache = new WeakMap<object, [WeakMap<object, Fragment>, WeakMap<object, Fragment>]>();
const kindCache = new WeakMap<object, { call: boolean; indirect: boolean }>();

function patternsOf(spec: TranslationSpec): SpecPatterns {
  let p = patternCache.get(spec.env);
  if (!p) {
    const callable = Object.keys(spec.env).filter((k) => typeof spec.env[k] === 'function');
    const writes = (reg: number) => new RegExp(`R\\[${reg}\\]\\s*=(?!=)`);
    p = {
      calls: new RegExp(`(?<![\\w$.])(?:${callable.join('|')})\\(|\\bthrow\\b`),
      storeHelper: new RegExp(`(?<![\\w$.])(?:${spec.storeHelpers.join('|') || '$^'})\\(`),
      linkWrite: writes(spec.linkReg),
      nextWrite: writes(spec.nextReg),
      accessorCall: new RegExp(`(?<![\\w$.])(?:${Object.keys(spec.inline).join('|')})\\(`, 'g'),
    };
    patternCache.set(spec.env, p);
  }
  return p;
}

/**
 * The static branch targets of an instruction (its target fields: MIPS btarget, ARM xtarget…).
 * Which fields a def's template uses is worked out once per def: this runs for the last
 * instructions of every new block (Engine.thresholdOf), where searching the template each
 * time cost python3's start 40 ms.
 */
export function staticTargets(spec: TranslationSpec, b: ScannedBlock, ins: ScannedInsn): readonly number[] {
  const fields = targetFields(spec, ins);
  if (fields.length === 0) return NO_TARGETS;
  const t = b.table ?? spec.table;
  return fields.map((f) => t.field(f, ins.word, ins.pc) | 0);
}

/** Whether a static target of ins is at or below `limit` (Thumb bits aside), without building the list of them. */
export function branchesBack(spec: TranslationSpec, b: ScannedBlock, ins: ScannedInsn, limit: number): boolean {
  const fields = targetFields(spec, ins);
  const t = b.table ?? spec.table;
  for (let i = 0; i < fields.length; i++) if ((t.field(fields[i], ins.word, ins.pc) & ~1) <= limit) return true;
  return false;
}

/** The fields of ins's template that hold a branch target. */
function targetFields(spec: TranslationSpec, ins: ScannedInsn): readonly string[] {
  const d = ins.def;
  if (!d) return NO_FIELDS;
  let fields = targetFieldsOf.get(d);
  if (fields === undefined) targetFieldsOf.set(d, (fields = spec.targetFields.filter((f) => d.code.includes(`$${f}`))));
  return fields;
}
const NO_FIELDS: readonly string[] = Object.freeze([]);
const targetFieldsOf = new WeakMap<InsnDef, string[]>();
const NO_TARGETS: readonly number[] = Object.freeze([]);

function fragmentOf(spec: TranslationSpec, b: ScannedBlock, ins: ScannedInsn, st: LocalizeState, inlineMemory: boolean): Fragment {
  let caches = fragmentCache.get(spec.env);
  if (!caches) fragmentCache.set(spec.env, (caches = [new WeakMap(), new WeakMap()]));
  const cache = caches[inlineMemory ? 0 : 1];
  const hit = cache.get(ins);
  if (hit) return hit;
  const d = ins.def;
  if (!d) throw new Untranslatable(`block ${hex(b.start)} holds an instruction that cannot run`);
  const t = b.table ?? spec.table;
  const { calls, storeHelper } = patternsOf(spec);
  let code = t.specialise(d, ins.word, ins.pc);
  if (ins.cond !== undefined && spec.condition) code = `if (${spec.condition(ins.cond)}) { ${code} }`;
  const local: LocalizeState = { ...st, reads: new Set(), writes: new Set(), pcValue: ins.pcValue };
  code = withoutIdentityOps(localizeRegisters(code, local).replace(/\bcpu\.next\b/g, 'nx'));
  const temps = { count: 0 };
  code = expandInline(code, inlineMemory ? spec.inline : MEMORY_CALLS, temps, STALE_CHECK);
  // Each instruction gets its own scope: templates declare their own temporaries. The
  // scratch locals of inline accessors (m0, m1, ...) are the region's, shared.
  code = `{ ${code} }`;
  const flags = flagUses(code, spec.flagRegs ?? []);
  const f: Fragment = {
    code, reads: [...local.reads], writes: [...local.writes], temps: temps.count,
    kind: d.flags & InsnFlags.EndsBlock ? 'ends' : storeHelper.test(code) ? 'store' : calls.test(code) ? 'call' : 'plain',
    flagWrites: flags.writes, flagReads: flags.reads,
  };
  cache.set(ins, f);
  return f;
}

/**
 * The fragment without operations that give back their operand: `(NAME) | 0` assigned, where
 * every initialiser of the fragment's const NAME is an int32 expression (`const r = (x - y) | 0;
 * ... r5 = (r) | 0`), and `(rN << 0)` (a register shifted by a zero immediate). Each is one
 * operation less for V8's baseline code, where regions run until they are optimised, and in
 * the graph it optimises (sqlite3's regions had ~1,600 such in 4,700 instructions).
 */
export function withoutIdentityOps(code: string): string {
  code = code.replace(SHIFT_BY_ZERO, '$1');
  if (!code.includes(') | 0')) return code;
  const int32Consts = new Map<string, boolean>();
  for (const m of code.matchAll(CONST_DECLARATION)) {
    let p = m.index! + m[0].length;
    for (;;) {
      DECLARED_NAME.lastIndex = p;
      const id = DECLARED_NAME.exec(code);
      if (!id) break; // a destructuring pattern
      const start = p + id[0].length, end = exprEnd(code, start);
      int32Consts.set(id[1], (int32Consts.get(id[1]) ?? true) && isInt32Expr(code.slice(start, end)));
      if (code[end] !== ',') break;
      p = end + 1;
    }
  }
  return code.replace(NAME_OR_ZERO, (all, name: string) => (int32Consts.get(name) ? `(${name})` : all));
}
/** A parenthesised `rN << 0`, not a call's parentheses. */
const SHIFT_BY_ZERO = /(?<![\w$)\]])\((r\d+) << 0\)/g;
const CONST_DECLARATION = /\bconst\s+/g;
const DECLARED_NAME = /\s*([A-Za-z_$][\w$]*)\s*=(?!=)\s*/y;
/** `(NAME) | 0` as a whole assigned value (`x = (r) | 0;`), so that the `| 0` applies to NAME alone. */
const NAME_OR_ZERO = /(?<=(?:^|[^=!<>])=\s*)\(([A-Za-z_$][\w$]*)\) \| 0(?=\s*[;,)}])/g;

/**
 * A fragment's uses of the flag registers (as localised: `rN`): the writes at its top level
 * (statements of its outer block, not under an `if`), with where they are, and every other
 * mention, counted as a read.
 */
function flagUses(code: string, regs: number[]): { writes: Fragment['flagWrites']; reads: number[] } {
  const writes: Fragment['flagWrites'] = [];
  const reads = new Set<number>();
  if (regs.length === 0) return { writes, reads: [] };
  const key = regs.join('|');
  let mention = mentionPatterns.get(key);
  if (!mention) mentionPatterns.set(key, (mention = new RegExp(`(?<![\\w$.])r(${key})(?![\\w$])`, 'g')));
  // The bracket depth is counted along, left to right, as the mentions are met.
  let depth = 0, counted = 0;
  for (const m of code.matchAll(mention)) {
    const at = m.index!, reg = Number(m[1]);
    for (; counted < at; counted++) {
      const c = code[counted];
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
    }
    ASSIGNMENT_AT.lastIndex = at + m[0].length;
    const assign = ASSIGNMENT_AT.exec(code);
    if (assign && depth === 1 && /[;{}]\s*$/.test(code.slice(Math.max(0, at - 8), at))) {
      const rhs = at + m[0].length + assign[0].length;
      const stop = exprEnd(code, rhs);
      writes.push({ reg, start: at, end: code[stop] === ';' || code[stop] === ',' ? stop + 1 : stop });
    } else reads.add(reg);
  }
  return { writes, reads: [...reads] };
}
const mentionPatterns = new Map<string, RegExp>();
/** An assignment (not a comparison) starting where lastIndex is set. */
const ASSIGNMENT_AT = /\s*=(?!=)\s*/y;

/**
 * The block's fragments' code with the flag writes nothing can observe left out: a write
 * a later fragment of the block overwrites, with nothing in between that reads it or can
 * fault (a fault shows the guest every flag). Flags are live at the block's end.
 */
function withoutDeadFlags(frags: Fragment[], regs: number[]): string[] {
  const out = frags.map((f) => f.code);
  if (regs.length === 0) return out;
  let live = new Set(regs);
  for (let k = frags.length - 1; k >= 0; k--) {
    const f = frags[k];
    if (f.kind !== 'plain') {
      live = new Set(regs);
      continue;
    }
    const dead = f.flagWrites.filter((w) => !live.has(w.reg));
    if (dead.length > 0) {
      let code = '', at = 0;
      for (const w of dead) {
        code += f.code.slice(at, w.start);
        at = w.end;
      }
      out[k] = code + f.code.slice(at);
    }
    for (const w of f.flagWrites) live.delete(w.reg);
    for (const r of f.flagReads) live.add(r);
  }
  return out;
}

/** Whether a block ends in a call (its end is a return site) or an indirect jump. */
function blockKind(spec: TranslationSpec, b: ScannedBlock): { call: boolean; indirect: boolean } {
  let k = kindCache.get(b);
  if (k) return k;
  const { linkWrite, nextWrite } = patternsOf(spec);
  const last = b.insns[b.insns.length - 1];
  const branch = b.insns.find((i) => i.def && i.def.flags & InsnFlags.Branch) ?? last;
  const d = branch.def;
  if (!d) k = { call: false, indirect: false };
  else {
    const code = (b.table ?? spec.table).specialise(d, branch.word, branch.pc);
    const jumps = (d.flags & InsnFlags.Branch) !== 0 || (spec.nextReg >= 0 && nextWrite.test(code));
    k = {
      call: jumps && spec.linkReg >= 0 && linkWrite.test(code),
      indirect: jumps && !spec.targetFields.some((f) => d.code.includes(`$${f}`)),
    };
  }
  kindCache.set(b, k);
  return k;
}

/**
 * Compiles the blocks (the first is the entry) into one function. `self.valid` going false
 * (the code was invalidated) makes loops inside the region leave at their next backward edge.
 */
export function translateRegion(
  spec: TranslationSpec,
  blocks: ScannedBlock[],
  counter: InstructionCounter,
  self: { valid: boolean },
  lockstep: LockstepHook | null,
  /** Successors each block was seen to take (for indirect jumps), beyond its static ones. */
  observed: Map<ScannedBlock, number[]> = new Map(),
  /** The interrupt-request word: loops leave at a backward branch, and syscalls end the region, when it is set. */
  interrupt: Int32Array = new Int32Array(1),
): RegionFn {
  const src = generateRegion(spec, blocks, lockstep !== null, observed);
  let factory: RegionFactory;
  try {
    factory = new Function(...REGION_PARAMS, src) as RegionFactory;
  } catch (e) {
    throw new Untranslatable(`generated code does not compile (${(e as Error).message})`);
  }
  return instantiateRegion(factory, spec, counter, self, lockstep, blocks, interrupt);
}

/** Runs a region factory (compiled from generateRegion's source) for the region entered at blocks[0].start. */
export function instantiateRegion(
  factory: RegionFactory, spec: TranslationSpec, counter: InstructionCounter, self: { valid: boolean },
  lockstep: LockstepHook | null, blocks: ScannedBlock[] | null, interrupt: Int32Array, start = blocks![0].start,
): RegionFn {
  return factory(spec.env, counter, self, lockstep, blocks, interrupt, regionBaseOf(start));
}

/**
 * A region without a loop (no block that may go back to itself or an earlier one) that makes
 * at least this many memory accesses calls the accessors instead of expanding them inline.
 * Such code runs at most once a call, mostly before V8 has optimised it: there a call to the
 * (soon optimised) accessor costs less than an inline check's dozen unoptimised operations,
 * and V8 compiles the smaller code sooner, the compile being what an inline check costs most
 * (one region of sha512's unrolled rounds, 192 instructions, 50 accesses: 18 ms to optimise
 * inline, 14 ms with calls, 8 ms with neither checks nor calls). Measured, 3 interleaved warm runs: mipsel sha512sum 2.09 ->
 * 1.26 s, b2sum 1.66 -> 0.98 s, md5sum 189 -> 177 ms; armhf sort 847 -> 900 ms. Loops keep
 * their accesses inline: V8 optimises them soon, and calls made armhf matmul 1.46 -> 1.55
 * to 1.88 s. Every straight region calling instead (no threshold): armhf sort 935 ms.
 */
const CALLED_MEMORY_ACCESSES = 16;

/**
 * Each block's successors: its fall-through, the targets it was seen to jump to, the return
 * sites when it ends in an indirect jump (a return may go to any), and its static targets.
 */
function successorsOf(spec: TranslationSpec, blocks: ScannedBlock[], observed: Map<ScannedBlock, number[]>): Set<number>[] {
  // Return sites: where the region's calls come back to.
  const kinds = blocks.map((b) => blockKind(spec, b));
  const returnSites = blocks.filter((_, i) => kinds[i].call).map((b) => b.end);
  return blocks.map((b, bi) => {
    const successors = new Set<number>([b.end, ...(observed.get(b) ?? [])]);
    if (kinds[bi].indirect) for (const r of returnSites) successors.add(r);
    for (const ins of b.insns) for (const t of staticTargets(spec, b, ins)) successors.add(t);
    return successors;
  });
}

/** How many calls to memory accessors the templates of the region's instructions make. */
function memoryAccesses(spec: TranslationSpec, blocks: ScannedBlock[]): number {
  let n = 0;
  for (const b of blocks) {
    for (const ins of b.insns) {
      const d = ins.def;
      if (d === null) continue;
      let count = accessesOf.get(d);
      if (count === undefined) accessesOf.set(d, (count = d.code.match(patternsOf(spec).accessorCall)?.length ?? 0));
      n += count;
    }
  }
  return n;
}
const accessesOf = new WeakMap<InsnDef, number>();

/**
 * The JavaScript of a region: the body of a factory taking REGION_PARAMS and returning the
 * region's function. It depends only on the blocks' instructions and their offsets from the
 * region's base (so it may be cached and reused wherever the same code is mapped).
 */
export function generateRegion(
  spec: TranslationSpec,
  blocks: ScannedBlock[],
  lockstep: boolean,
  observed: Map<ScannedBlock, number[]>,
): string {
  const { env } = spec;
  const envNames = Object.keys(env);
  const st: LocalizeState = {
    gprCount: spec.gprCount, zeroReg: spec.zeroReg, reads: new Set(), writes: new Set(), pcReg: spec.pcReg, nextReg: spec.nextReg,
  };
  const index = new Map(blocks.map((b, i) => [b.start, i]));
  const flushPlaceholder = '/*FLUSH*/', reloadPlaceholder = '/*RELOAD*/';

  const cases: string[] = [];
  let temps = 0;
  const successorSets = successorsOf(spec, blocks, observed);
  // A loop: some block may go back to itself or an earlier one.
  const loops = successorSets.some((successors, bi) => [...successors].some((s) => (index.get(s) ?? Infinity) <= bi));
  const inlineMemory = loops || memoryAccesses(spec, blocks) < CALLED_MEMORY_ACCESSES;

  blocks.forEach((b, bi) => {
    const lines: string[] = [];
    const successors = successorSets[bi];
    const frags = b.insns.map((ins) => fragmentOf(spec, b, ins, st, inlineMemory));
    const codes = withoutDeadFlags(frags, spec.flagRegs ?? []);
    b.insns.forEach((ins, k) => {
      const f = frags[k];
      for (const r of f.reads) st.reads.add(r);
      for (const r of f.writes) st.writes.add(r);
      temps = Math.max(temps, f.temps);
      const rest = b.insns.length - 1 - k;
      let code = codes[k].replace(/\breturn 1;/g, `{ n -= ${rest}; break b${bi}; }`);
      // A PC write before the block's last instruction (UNPREDICTABLE: one inside an IT block
      // but not last) is void, as in the interpreter, which sets the next PC anew for each
      // instruction (the nextReg ISAs; a MIPS branch's choice holds through its delay slot).
      if (spec.nextReg >= 0 && rest > 0 && NX_WRITE.test(code)) code += ` nx = ${guestAddress(b.end)};`;
      const pcSet = `ip = ${ipOffset(ins.faultPc ?? ins.pc)};`;
      if (f.kind === 'ends') {
        // Its helpers (syscall, break) see the CPU's registers, not our locals; a syscall
        // (cacheflush, mprotect, munmap, mmap) may drop this very code.
        lines.push(`${pcSet} cpu.pc = ${IP_ADDRESS}; ${flushPlaceholder} ${code} ${reloadPlaceholder} ${STALE_CHECK};`);
      } else if (f.kind === 'store') {
        lines.push(`${pcSet} ${code} ${STALE_CHECK};`);
      } else if (f.kind === 'call') {
        lines.push(`${pcSet} ${code}`);
      } else {
        lines.push(code);
      }
    });
    // A block branching to itself loops in place; other successors in the region are
    // reached through the switch. Backward edges re-check that the region is still valid
    // (self-modifying code).
    const selfLoop = successors.has(b.start) ? `if (nx === ${guestAddress(b.start)}) { if (${bi === 0 ? LEAVE_ENTRY_LOOP : LEAVE_LOOP}) break region; continue; }\n` : '';
    // A signal a syscall raised is delivered as the syscall returns.
    const afterSyscall = frags.some((f) => f.kind === 'ends') ? `if (irq[${IRQ}] !== 0) break region;\n` : '';
    // A store into code, or a syscall that dropped it (cacheflush, mprotect...), may have
    // changed any block of the region, those ahead too: leave for the engine to decode the
    // next block anew rather than branch to its old translation (a JIT that patches code
    // and then calls it).
    const afterStale = frags.some((f) => f.kind === 'ends' || f.kind === 'store') ? 'if (stale) break region;\n' : '';
    const dispatch: string[] = [];
    for (const s of successors) {
      const target = index.get(s);
      if (target === undefined || s === b.start) continue;
      const guard = target <= bi ? `if (${target === 0 ? LEAVE_ENTRY_LOOP : LEAVE_LOOP}) break region; ` : '';
      dispatch.push(`if (nx === ${guestAddress(s)}) { ${guard}L = ${target}; continue region; }`);
    }
    const check = lockstep ? `${flushPlaceholder} lockstep.check(blocks[${bi}]); ${STALE_CHECK};` : '';
    cases.push(`case ${bi}: for (;;) { // ${hex(b.start)}\n${check} n += ${b.insns.length}; nx = ${guestAddress(b.end)};\n` +
      `b${bi}: {\n${lines.join('\n')}\n}\n${afterSyscall}${afterStale}${selfLoop}${dispatch.join('\n')}\nbreak region; }`);
  });

  const loaded = [...new Set([...st.reads, ...st.writes])].sort((a, b) => a - b);
  const written = [...st.writes].sort((a, b) => a - b);
  const flush = written.map((r) => `R[${r}] = r${r};`).join(' ');
  const reload = loaded.map((r) => `r${r} = R[${r}];`).join(' ');
  const decl = loaded.map((r) => `r${r} = R[${r}]`).join(', ');
  const body = cases.join('\n').split(flushPlaceholder).join(flush).split(reloadPlaceholder).join(reload);
  const name = `region_${(blocks[0].start >>> 0).toString(16)}`;
  const fn =
    // Parenthesised, so V8 compiles it now rather than at its first call (compileMs).
    `return (function ${name}() {\n` +
    (decl ? `let ${decl};\n` : '') +
    `let nx = 0, n = 0, ip = ${ipOffset(blocks[0].start)}, L = 0, stale = false, budget = ${LOOP_BUDGET};\n` +
    Array.from({ length: temps }, (_, k) => `let m${k} = 0;\n`).join('') +
    `try {\n region: for (;;) switch (L) {\n${body}\n }\n} catch (e) {\n` +
    ` ${flush} cpu.pc = ${IP_ADDRESS}; counter.instructions += n; throw e;\n}\n` +
    `${flush}\ncpu.next = nx;\n${lockstep ? 'lockstep.check(null);' : ''}\nreturn n;\n});`;
  // Only the names the region uses, of ~100 (sqlite3's regions: 15% less source for V8 to parse).
  const words = new Set(fn.match(IDENTIFIERS));
  const src = `const { ${envNames.filter((k) => words.has(k)).join(', ')} } = env;\n${fn}`;
  const base = regionBaseOf(blocks[0].start);
  // Each address is a constant of the factory (B + offset, computed once per instance), not an
  // addition in the region: an addition V8 has not seen run has no type feedback, and the first
  // run of one (a loop's exit, long after V8 optimised the loop) threw the optimised code away.
  const names = new Map<number, string>();
  const code = foldAddressSums(src)
    .replace(ADDRESS_MARK, (_, a: string) => {
      const offset = (Number(a) - base) | 0;
      let name = names.get(offset);
      if (name === undefined) names.set(offset, (name = `__a${names.size}`));
      return name;
    })
    .replace(OFFSET_MARK, (_, a: string) => `${(Number(a) - base) | 0}`);
  const constants = [...names].map(([offset, name]) => `${name} = (B + ${offset}) | 0`);
  const factory = (constants.length ? `const ${constants.join(', ')};\n` : '') + code;
  // (Written at once: a guest thread's Worker would lose what is still queued when urun exits.)
  if (process.env.URUN_DUMP_REGIONS) writeSync(2, factory + '\n\n');
  return factory;
}
