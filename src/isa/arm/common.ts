// What the A32 and T32 instruction tables share: the register file layout their templates
// index, condition codes, and the flag-setting arithmetic they both spell the same way.
//
// R[0..14] are r0-r14. R[15] is the PC as instructions read it (the ARM CPU sets it before
// each instruction; the translator turns reads into a constant). Templates never write
// R[15]: a write to the PC goes to R[NEXT], the next PC, with bit 0 set for Thumb state
// (interworking is just "the next PC is odd"). R[N..V] hold the flags as 0 or 1, R[Q] the
// sticky saturation flag and R[GE] the four GE bits.
import type { FieldKind } from '../table.js';

export const PC = 15, N = 16, Z = 17, C = 18, V = 19, Q = 20, GE = 21, NEXT = 22;
export const ARM_REG_COUNT = 23;

const GPR_NAMES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'fp', 'ip', 'sp', 'lr', 'pc'];
export const ARM_STATE_NAMES = [...GPR_NAMES, 'N', 'Z', 'C', 'V', 'Q', 'GE', 'next'];

export const armRegName = (kind: FieldKind, n: number): string =>
  kind === 'gpr' ? GPR_NAMES[n] : kind === 'fpr' ? `s${n}` : `${n}`;

export const COND_NAMES = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', '', ''];

/** The conditions of the instructions a Thumb IT instruction covers (ITSTATE as the ARM ARM steps it). */
export function itConditions(w: number): number[] {
  let state = w & 0xff;
  const conds: number[] = [];
  while ((state & 0xf) !== 0) {
    conds.push(state >>> 4);
    state = (state & 0xe0) | ((state << 1) & 0x1f);
  }
  return conds;
}

/**
 * An instruction as objdump writes it, from the table's disassembly `text`: an A32
 * condition as a mnemonic suffix (addne), IT's mask as then/else letters (itte ne).
 */
export function armSyntax(text: string, w: number, a32: boolean): string {
  if (!a32) {
    if (!text.startsWith('it ')) return text;
    const conds = itConditions(w);
    return 'it' + conds.slice(1).map((c) => (c === conds[0] ? 't' : 'e')).join('') + ' ' + COND_NAMES[conds[0]];
  }
  const cond = w >>> 28;
  if (cond >= 14) return text;
  const sp = text.indexOf(' ');
  return sp < 0 ? text + COND_NAMES[cond] : text.slice(0, sp) + COND_NAMES[cond] + text.slice(sp);
}

/** Condition `c` (0-14) as a JavaScript expression over the flag registers. */
export function conditionCode(c: number): string {
  switch (c) {
    case 0: return `R[${Z}] !== 0`;
    case 1: return `R[${Z}] === 0`;
    case 2: return `R[${C}] !== 0`;
    case 3: return `R[${C}] === 0`;
    case 4: return `R[${N}] !== 0`;
    case 5: return `R[${N}] === 0`;
    case 6: return `R[${V}] !== 0`;
    case 7: return `R[${V}] === 0`;
    case 8: return `(R[${C}] !== 0 && R[${Z}] === 0)`;
    case 9: return `(R[${C}] === 0 || R[${Z}] !== 0)`;
    case 10: return `R[${N}] === R[${V}]`;
    case 11: return `R[${N}] !== R[${V}]`;
    case 12: return `(R[${Z}] === 0 && R[${N}] === R[${V}])`;
    case 13: return `(R[${Z}] !== 0 || R[${N}] !== R[${V}])`;
    default: return 'true';
  }
}

/** An interpreter-side test of condition `c`, built from the same expressions. */
export function makeConditionTest(R: Int32Array): (c: number) => boolean {
  const tests = Array.from({ length: 16 }, (_, c) => new Function('R', `return ${conditionCode(c)};`) as (r: Int32Array) => boolean);
  return (c) => tests[c](R);
}

/** A field expression counting the set bits of `x` (register-list lengths). */
export const popcountExpr = (x: string): string => `((v) => { let c = 0; for (; v; v &= v - 1) c++; return c; })(${x})`;

// ---- flag-setting snippets (templates; `r` is the 32-bit result) ----
export const setNZ = (r: string) => `R[${N}] = ${r} >>> 31; R[${Z}] = ${r} === 0 ? 1 : 0;`;

/** a + b + cin: result into `r`, flags when `s`. */
export function addWithFlags(a: string, b: string, cin: string, s: boolean): string {
  const sum = cin === '0' ? `x + y` : `x + y + ci`;
  return `const x = ${a}, y = ${b}${cin === '0' ? '' : `, ci = ${cin}`}; const r = (${sum}) | 0;` + (s ? ` ${addFlags(cin)}` : '');
}

/** The flag updates of addWithFlags on its own (after addWithFlags(…, false) with the same cin). */
export function addFlags(cin: string): string {
  const carry = cin === '0' ? `(x >>> 0) + (y >>> 0)` : `(x >>> 0) + (y >>> 0) + ci`;
  return `${setNZ('r')} R[${C}] = ${carry} > 0xffffffff ? 1 : 0; R[${V}] = ((x ^ r) & (y ^ r)) < 0 ? 1 : 0;`;
}

/** a - b - (1 - cin): result into `r`, flags when `s` (C is NOT borrow, as ARM defines it). */
export function subWithFlags(a: string, b: string, cin: string, s: boolean): string {
  const borrow = cin === '1' ? '' : ' - (ci ^ 1)';
  return `const x = ${a}, y = ${b}${cin === '1' ? '' : `, ci = ${cin}`}; const r = (x - y${borrow}) | 0;` + (s ? ` ${subFlags(cin)}` : '');
}

/** The flag updates of subWithFlags on its own (after subWithFlags(…, false) with the same cin). */
export function subFlags(cin: string): string {
  const borrow = cin === '1' ? '' : ' - (ci ^ 1)';
  return `${setNZ('r')} R[${C}] = (x >>> 0) - (y >>> 0)${borrow} >= 0 ? 1 : 0; R[${V}] = ((x ^ y) & (x ^ r)) < 0 ? 1 : 0;`;
}

/**
 * `name` = `v` clamped to [lo, hi], setting Q when it clips. Inline in the templates (not a
 * helper writing R[Q]), since translated code holds Q in a local.
 */
export const saturate = (name: string, v: string, lo: string, hi: string): string =>
  `const ${name}_ = ${v}; const ${name} = ${name}_ > ${hi} ? ${hi} : ${name}_ < ${lo} ? ${lo} : ${name}_; if (${name} !== ${name}_) R[${Q}] = 1;`;
