// What the A32 and T32 instruction tables share: the register file layout their templates
// index, condition codes, and the flag-setting arithmetic they both spell the same way.
//
// R[0..14] are r0-r14. R[15] is the PC as instructions read it (the ARM CPU sets it before
// each instruction; the translator turns reads into a constant). Templates never write
// R[15]: a write to the PC goes to R[NEXT], the next PC, with bit 0 set for Thumb state
// (interworking is just "the next PC is odd"). R[N..V] hold the flags as 0 or 1, R[Q] the
// sticky saturation flag and R[GE] the four GE bits.
import { mulhExpr, u32 } from '../arith.js';
import type { FieldKind } from '../table.js';

export const PC = 15, N = 16, Z = 17, C = 18, V = 19, Q = 20, GE = 21, NEXT = 22;
export const ARM_REG_COUNT = 23;

/** r0-r15 as objdump names them (the APCS names for r10-r12). */
export const ARM_GPR_NAMES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'sl', 'fp', 'ip', 'sp', 'lr', 'pc'];
export const ARM_STATE_NAMES = [...ARM_GPR_NAMES, 'N', 'Z', 'C', 'V', 'Q', 'GE', 'next'];

export const armRegName = (kind: FieldKind, n: number): string =>
  kind === 'gpr' ? ARM_GPR_NAMES[n] : kind === 'fpr' ? `s${n}` : `${n}`;

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
  // Carry out: the 32-bit sum wrapped below x (or back to x, with a carry in).
  const carry = cin === '0' ? `${u32('r')} < ${u32('x')}` : `(ci === 0 ? ${u32('r')} < ${u32('x')} : ${u32('r')} <= ${u32('x')})`;
  return `${setNZ('r')} R[${C}] = ${carry} ? 1 : 0; R[${V}] = ((x ^ r) & (y ^ r)) < 0 ? 1 : 0;`;
}

/** a - b - (1 - cin): result into `r`, flags when `s` (C is NOT borrow, as ARM defines it). */
export function subWithFlags(a: string, b: string, cin: string, s: boolean): string {
  const borrow = cin === '1' ? '' : ' - (ci ^ 1)';
  return `const x = ${a}, y = ${b}${cin === '1' ? '' : `, ci = ${cin}`}; const r = (x - y${borrow}) | 0;` + (s ? ` ${subFlags(cin)}` : '');
}

/** The flag updates of subWithFlags on its own (after subWithFlags(…, false) with the same cin). */
export function subFlags(cin: string): string {
  // No borrow: x >= y unsigned (x > y when a borrow comes in).
  const carry = cin === '1' ? `${u32('x')} >= ${u32('y')}` : `(ci === 0 ? ${u32('x')} > ${u32('y')} : ${u32('x')} >= ${u32('y')})`;
  return `${setNZ('r')} R[${C}] = ${carry} ? 1 : 0; R[${V}] = ((x ^ y) & (x ^ r)) < 0 ? 1 : 0;`;
}

/**
 * `name` = `v` clamped to [lo, hi], setting Q when it clips. Inline in the templates (not a
 * helper writing R[Q]), since translated code holds Q in a local.
 */
export const saturate = (name: string, v: string, lo: string, hi: string): string =>
  `const ${name}_ = ${v}; const ${name} = ${name}_ > ${hi} ? ${hi} : ${name}_ < ${lo} ? ${lo} : ${name}_; if (${name} !== ${name}_) R[${Q}] = 1;`;

// ---- ARMv6 media instructions that A32 and T32 both have, with their operands named per
// encoding: `f` maps the roles (rd, rn, rm, ra, lo, hi, x) to each table's template fields. ----
export interface MediaFields { rd: string; rn: string; rm: string; ra: string; lo: string; hi: string; x: string }

/**
 * Parallel add/subtract: the lanes (bytes or halfwords) of Rn and Rm, added or subtracted,
 * as signed or unsigned values; plain forms set GE per lane, Q/UQ saturate, SH/UH halve.
 */
function parallel(f: MediaFields, size: 8 | 16, ops: ('+' | '-')[], cross: boolean, signed: boolean, mode: 'ge' | 'sat' | 'half'): string {
  const lanes = 32 / size, lmask = size === 8 ? '0xff' : '0xffff';
  const lane = (reg: string, i: number) => signed
    ? `((${reg} << ${32 - size * (i + 1)}) >> ${32 - size})`
    : `((${reg} >>> ${size * i}) & ${lmask})`;
  let code = `const a = R[${f.rn}], b = R[${f.rm}]; let r = 0;` + (mode === 'ge' ? ' let g = 0;' : '');
  for (let i = 0; i < lanes; i++) {
    const op = ops[i % ops.length];
    // ASX/SAX pair each halfword of Rn with the other halfword of Rm.
    code += ` { const s = ${lane('a', i)} ${op} ${lane('b', cross ? 1 - i : i)};`;
    if (mode === 'ge') {
      const ge = signed || op === '-' ? 's >= 0' : `s > ${lmask}`;
      const bits = size === 8 ? 1 << i : 3 << (2 * i);
      code += ` r |= (s & ${lmask}) << ${size * i}; if (${ge}) g |= ${bits};`;
    } else if (mode === 'sat') {
      const [lo, hi] = signed ? [-(2 ** (size - 1)), 2 ** (size - 1) - 1] : [0, 2 ** size - 1];
      code += ` r |= ((s < ${lo} ? ${lo} : s > ${hi} ? ${hi} : s) & ${lmask}) << ${size * i};`;
    } else {
      code += ` r |= ((s >> 1) & ${lmask}) << ${size * i};`;
    }
    code += ' }';
  }
  return code + (mode === 'ge' ? ` R[${GE}] = g;` : '') + ` R[${f.rd}] = r;`;
}
/** The parallel operations: name, T32 op1, A32 op2, lane size, lane operations, halves crossed. */
const PARALLEL_OPS: [string, number, number, 8 | 16, ('+' | '-')[], boolean][] = [
  ['add8', 0, 4, 8, ['+'], false], ['add16', 1, 0, 16, ['+'], false], ['asx', 2, 1, 16, ['-', '+'], true],
  ['sub8', 4, 7, 8, ['-'], false], ['sub16', 5, 3, 16, ['-'], false], ['sax', 6, 2, 16, ['+', '-'], true],
];
/** Their kinds: prefix, T32 op2 (A32's op1 is one more), signed, result mode. */
const PARALLEL_KINDS: [string, number, boolean, 'ge' | 'sat' | 'half'][] = [
  ['s', 0, true, 'ge'], ['q', 1, true, 'sat'], ['sh', 2, true, 'half'], ['u', 4, false, 'ge'], ['uq', 5, false, 'sat'], ['uh', 6, false, 'half'],
];
/** Every parallel add/subtract (sadd8 ... uhsax) as [name, template, T32 op1, T32 op2, A32 op1, A32 op2]. */
export function parallelDefs(f: MediaFields): [string, string, number, number, number, number][] {
  return PARALLEL_OPS.flatMap(([opName, t32Op, a32Op, size, ops, cross]) => PARALLEL_KINDS.map(([prefix, kind, signed, mode]) =>
    [prefix + opName, parallel(f, size, ops, cross, signed, mode), t32Op, kind, kind + 1, a32Op] as [string, string, number, number, number, number]));
}

// The signed halfword products of Rn and Rm (Rm's halves swapped when X), bottom and top.
const dualProducts = (f: MediaFields) =>
  `const n = R[${f.rn}], m0 = R[${f.rm}], m = ${f.x} ? (m0 >>> 16) | (m0 << 16) : m0; ` +
  'const p1 = Math.imul((n << 16) >> 16, (m << 16) >> 16), p2 = Math.imul(n >> 16, m >> 16);';

/**
 * The byte-pair extends (sxtb16, uxtb16 and their accumulating sxtab16, uxtab16): two bytes of
 * the rotated `rm` widened to halfwords, each added to its half of `rn` when accumulating.
 * Returns [name, code] for the four.
 */
export function pairExtendDefs(f: MediaFields): [string, string][] {
  const rotated = `((R[${f.rm}] >>> $rot8) | (R[${f.rm}] << ((32 - $rot8) & 31)))`;
  const signed = `const x = ${rotated}; const lo = (x << 24) >> 24, hi = (x << 8) >> 24;`;
  const unsigned = `const x = ${rotated} & 0x00ff00ff; const lo = x & 0xffff, hi = x >>> 16;`;
  const plain = `R[${f.rd}] = (lo & 0xffff) | (hi << 16);`;
  const acc = `const n = R[${f.rn}]; R[${f.rd}] = ((n + lo) & 0xffff) | (((n >>> 16) + hi) << 16);`;
  return [['sxtb16', `${signed} ${plain}`], ['sxtab16', `${signed} ${acc}`], ['uxtb16', `${unsigned} ${plain}`], ['uxtab16', `${unsigned} ${acc}`]];
}

/**
 * ssat16 and usat16: each halfword of `rn` saturated to `sat` + 1 bits signed, or `sat` bits
 * unsigned (the field as encoded). Returns [name, code] for the two.
 */
export function pairSaturateDefs(f: MediaFields, sat: string): [string, string][] {
  const halves = `const x = R[${f.rn}];`;
  const both = (lo: string, hi: string) => `${saturate('l', '(x << 16) >> 16', lo, hi)} ${saturate('h', 'x >> 16', lo, hi)} R[${f.rd}] = (l & 0xffff) | (h << 16);`;
  return [['ssat16', `${halves} ${both(`-(2 ** ${sat})`, `(2 ** ${sat} - 1)`)}`], ['usat16', `${halves} ${both('0', `(2 ** ${sat} - 1)`)}`]];
}

/**
 * The dual 16-bit multiplies and the most-significant-word and absolute-difference ones:
 * [name, template, operands]: `acc` adds Ra (whose all-ones number encodes the `plain` form),
 * `long` accumulates into RdHi:RdLo.
 * SMUAD/SMLAD/SMLSD set Q when the 32-bit sum overflows; SMMUL rounds when X (the R bit) is set.
 */
export type MediaMultiplyForm = 'plain' | 'acc' | 'long';
export function mediaMultiplyDefs(f: MediaFields): [string, string, MediaMultiplyForm][] {
  const dual = (op: string, acc: boolean): string =>
    `${dualProducts(f)} const r = p1 ${op} p2${acc ? ` + R[${f.ra}]` : ''}; if ((r | 0) !== r) R[${Q}] = 1; R[${f.rd}] = r;`;
  const dualLong = (op: string): string =>
    `${dualProducts(f)} const s = p1 ${op} p2; const l = (R[${f.lo}] >>> 0) + ((s | 0) >>> 0); ` +
    `R[${f.hi}] = R[${f.hi}] + Math.floor(s / 4294967296) + (l > 0xffffffff ? 1 : 0); R[${f.lo}] = l;`;
  const roundUp = `(${f.x} && (l >>> 0) >= 0x80000000 ? 1 : 0)`;
  const mostSignificant = (acc: string): string =>
    `const x = R[${f.rn}], y = R[${f.rm}]; const l = Math.imul(x, y); R[${f.rd}] = ${acc}${mulhExpr(true, 'x', 'y')} + ${roundUp};`;
  const usad = (acc: boolean): string =>
    `const a = R[${f.rn}], b = R[${f.rm}]; let s = ${acc ? `R[${f.ra}]` : '0'}; ` +
    'for (let i = 0; i < 32; i += 8) s += Math.abs(((a >>> i) & 255) - ((b >>> i) & 255)); ' + `R[${f.rd}] = s;`;
  return [
    ['smuad', dual('+', false), 'plain'], ['smlad', dual('+', true), 'acc'],
    ['smusd', dual('-', false), 'plain'], ['smlsd', dual('-', true), 'acc'],
    ['smlald', dualLong('+'), 'long'], ['smlsld', dualLong('-'), 'long'],
    ['smmul', mostSignificant(''), 'plain'], ['smmla', mostSignificant(`R[${f.ra}] + `), 'acc'],
    // SMMLS: Ra minus the product, as a 64-bit subtraction whose top word is kept.
    ['smmls', `const x = R[${f.rn}], y = R[${f.rm}]; const p = Math.imul(x, y); const l = -p; ` +
      `R[${f.rd}] = R[${f.ra}] - ${mulhExpr(true, 'x', 'y')} - (p !== 0 ? 1 : 0) + ${roundUp};`, 'acc'],
    ['usad8', usad(false), 'plain'], ['usada8', usad(true), 'acc'],
  ];
}

/**
 * The ARMv6 CP15 barriers as [CRm, opc2] of mcr p15, 0, Rt, c7, CRm, opc2 (DMB, DSB, ISB),
 * which Linux still runs for user code (GHC's runtime uses the DMB form); Rt is ignored.
 */
export const CP15_BARRIERS: [number, number][] = [[10, 5], [10, 4], [5, 4]];

/**
 * CPS's forms: cpsie/cpsid with the A, I, F bits they change (imod 2, 3; the 16-bit Thumb
 * encoding has only the low imod bit), and cps (imod 0), which only sets the mode. Without
 * a bit to change and a mode to set (UNPREDICTABLE, a no-op too) there is no such form.
 */
export const CPS_FORMS = [
  { name: 'cps', imod: 0, aif: 0, letters: '' },
  ...[2, 3].flatMap((imod) => [0, 1, 2, 3, 4, 5, 6, 7].map((aif) => ({
    name: imod === 2 ? 'cpsie' : 'cpsid', imod, aif, letters: `${aif & 4 ? 'a' : ''}${aif & 2 ? 'i' : ''}${aif & 1 ? 'f' : ''}`,
  }))),
];
