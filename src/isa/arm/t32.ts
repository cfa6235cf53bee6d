// The T32 (Thumb-2) instruction table: 16- and 32-bit Thumb encodings, ARMv7-A user mode,
// with the same template conventions as a32.ts (see common.ts for the register file).
//
// Words: a 16-bit instruction is 0x0000hhhh, with bit 16 set when it sits inside an IT
// block (field `init`): 16-bit data-processing instructions set flags only outside one.
// A 32-bit instruction is (first halfword << 16) | second halfword. Every 16-bit def's
// mask covers bits 31-17 (which are zero). The scanner (cpu.ts) gives each instruction
// the condition of its IT block; templates never test conditions themselves except
// the conditional branches B<c> (one def per condition) and CBZ/CBNZ.
//
// The PC reads as the instruction's address + 4 (R[15]); Align(PC, 4) is `(R[15] & ~3)`,
// and fields that need it (literal addresses, branch targets) compute it from `pc`.
// Branches write R[NEXT] with bit 0 set to stay in Thumb state (clear to go to ARM).
import { FieldDef, InsnDef, InsnFlags, InsnTable, featureScope } from '../table.js';
import { ARM_IDIV, ARM_V6, ARM_V7 } from './models.js';
import { C, COND_NAMES, GE, N, NEXT, Q, V, Z, addFlags, addWithFlags, armRegName, CP15_BARRIERS, CPS_FORMS, conditionCode, mediaMultiplyDefs, pairExtendDefs, pairSaturateDefs, parallelDefs, popcountExpr, saturate, setNZ, subFlags, subWithFlags } from './common.js';
import type { MediaFields } from './common.js';
import { VFP_FIELDS, vfpDefs, vfpThumbForm } from './vfp.js';
import { mulhExpr } from '../arith.js';
import { prebuiltDefs } from '../prebuilt.js';

/** Whether a first halfword starts a 32-bit instruction. */
export const T32_IS_32BIT = (hw: number): boolean => hw >>> 11 >= 0x1d;

/** A field expression counting the set bits of `x` (register lists). */
/** i:imm3:imm8 of the 32-bit data-processing immediates. */
const IMM12 = '(((w >>> 15) & 0x800) | ((w >>> 4) & 0x700) | (w & 0xff))';
/** ThumbExpandImm of `i`: a byte, a byte repeated in a pattern, or 1:imm7 rotated right by i<11:7>. */
const EXPAND = '((i & 0xc00) !== 0 ? ((0x80 | (i & 0x7f)) << (32 - (i >>> 7))) | 0 : (i & 0x300) === 0 ? i & 0xff : ' +
  '(i & 0x300) === 0x100 ? (i & 0xff) * 0x10001 : (i & 0x300) === 0x200 ? ((i & 0xff) * 0x1000100) | 0 : ((i & 0xff) * 0x1010101) | 0)';

/**
 * The branch offsets, one expression for every encoding that has the field `btarget`
 * (so that the translator chains them all): 16-bit B<c> (T1), B (T2), CBZ/CBNZ; 32-bit
 * B<c>.W (T3, second halfword 10x0), B.W (T4) and BL; and BLX (its H bit is 0).
 */
const S = '((w << 5) >> 31)'; // the sign bit (26), as 0 or -1
const IMM11 = '((w & 0x7ff) << 1)';
const BRANCH_OFFSET = '(w >>> 17 === 0' +
  ' ? ((w & 0xf000) === 0xd000 ? (w << 24) >> 23 : (w & 0xf000) === 0xe000 ? (w << 21) >> 20 : ((w >>> 3) & 0x40) | ((w >>> 2) & 0x3e))' +
  ` : (w & 0x5000) === 0 ? (${S} << 20) | (((w >>> 11) & 1) << 19) | (((w >>> 13) & 1) << 18) | (((w >>> 16) & 0x3f) << 12) | ${IMM11}` +
  ` : (${S} << 24) | ((((w >>> 13) ^ (w >>> 26) ^ 1) & 1) << 23) | ((((w >>> 11) ^ (w >>> 26) ^ 1) & 1) << 22) | (((w >>> 16) & 0x3ff) << 12) | ${IMM11})`;

const F: Record<string, FieldDef> = {
  pc: { expr: 'pc', kind: 'hex' },
  init: { expr: '(w >>> 16) & 1', kind: 'int' },
  firstcond: { expr: '(w >>> 4) & 15', kind: 'int' },
  itmask: { expr: 'w & 15', kind: 'hex' },
  btarget: { expr: `(pc + 4 + ${BRANCH_OFFSET}) | 1`, kind: 'target' },
  // BLX imm: to ARM state, from Align(PC, 4).
  xtarget: { expr: `(((pc + 4) & ~3) + ${BRANCH_OFFSET}) | 0`, kind: 'target' },

  // ---- 16-bit encodings ----
  rd3: { expr: 'w & 7', kind: 'gpr' },
  rn3: { expr: '(w >>> 3) & 7', kind: 'gpr' },
  rm3: { expr: '(w >>> 6) & 7', kind: 'gpr' },
  rx: { expr: '(w >>> 8) & 7', kind: 'gpr' },
  rdn: { expr: '((w >>> 4) & 8) | (w & 7)', kind: 'gpr' },
  rm4: { expr: '(w >>> 3) & 15', kind: 'gpr' },
  imm3: { expr: '(w >>> 6) & 7', kind: 'int' },
  imm5: { expr: '(w >>> 6) & 31', kind: 'int' },
  imm5x2: { expr: '(w >>> 5) & 62', kind: 'int' },
  imm5x4: { expr: '(w >>> 4) & 124', kind: 'int' },
  imm7x4: { expr: '(w & 0x7f) << 2', kind: 'int' },
  imm8: { expr: 'w & 0xff', kind: 'int' },
  mode: { expr: 'w & 31', kind: 'int' },
  imm8x4: { expr: '(w & 0xff) << 2', kind: 'int' },
  lit8: { expr: '(((pc + 4) & ~3) + ((w & 0xff) << 2)) | 0', kind: 'hex' },
  list8: { expr: 'w & 0xff', kind: 'hex' },
  count8: { expr: popcountExpr('w & 0xff'), kind: 'int' },
  pushlist: { expr: '(w & 0xff) | ((w & 0x100) << 6)', kind: 'hex' },
  poplist: { expr: '(w & 0xff) | ((w & 0x100) << 7)', kind: 'hex' },
  count9: { expr: popcountExpr('w & 0x1ff'), kind: 'int' },
  // LDM (T1) writes the base back unless it is in the list.
  ldmwb: { expr: '((w >>> ((w >>> 8) & 7)) & 1) ^ 1', kind: 'int' },

  // ---- 32-bit encodings ----
  rn: { expr: '(w >>> 16) & 15', kind: 'gpr' },
  rt: { expr: '(w >>> 12) & 15', kind: 'gpr' },
  rd: { expr: '(w >>> 8) & 15', kind: 'gpr' },
  rm: { expr: 'w & 15', kind: 'gpr' },
  ra: { expr: '(w >>> 12) & 15', kind: 'gpr' },
  rt2: { expr: '(w >>> 8) & 15', kind: 'gpr' },
  rdlo: { expr: '(w >>> 12) & 15', kind: 'gpr' },
  rdhi: { expr: '(w >>> 8) & 15', kind: 'gpr' },
  // A load into the PC branches (interworking): it writes R[NEXT].
  rtw: { expr: `((w >>> 12) & 15) === 15 ? ${NEXT} : (w >>> 12) & 15`, kind: 'gpr' },
  // Immediate-offset forms: P, U, W in the second halfword (imm8) or the first (LDRD/STRD, literals).
  p8: { expr: '(w >>> 10) & 1', kind: 'int' },
  u8: { expr: '(w >>> 9) & 1', kind: 'int' },
  w8: { expr: '(w >>> 8) & 1', kind: 'int' },
  pd: { expr: '(w >>> 24) & 1', kind: 'int' },
  ud: { expr: '(w >>> 23) & 1', kind: 'int' },
  wb: { expr: '(w >>> 21) & 1', kind: 'int' },
  imm12: { expr: 'w & 0xfff', kind: 'int' },
  lit12: { expr: '(((pc + 4) & ~3) + ((w >>> 23) & 1 ? w & 0xfff : -(w & 0xfff))) | 0', kind: 'hex' },
  lit8x4: { expr: '(((pc + 4) & ~3) + ((w >>> 23) & 1 ? (w & 0xff) << 2 : -((w & 0xff) << 2))) | 0', kind: 'hex' },
  sh2: { expr: '(w >>> 4) & 3', kind: 'int' },
  timm: { expr: `((i) => ${EXPAND})(${IMM12})`, kind: 'hex' },
  // ThumbExpandImm's carry out: -1 when it leaves C alone, else bit 31 of the rotated constant.
  timmc: { expr: `((i) => (i & 0xc00) === 0 ? -1 : ${EXPAND} >>> 31)(${IMM12})`, kind: 'int' },
  imm12w: { expr: IMM12, kind: 'int' },
  adr12: { expr: `(((pc + 4) & ~3) + ${IMM12}) | 0`, kind: 'hex' },
  adr12n: { expr: `(((pc + 4) & ~3) - ${IMM12}) | 0`, kind: 'hex' },
  imm16: { expr: '((w >>> 4) & 0xf000) | ((w >>> 15) & 0x800) | ((w >>> 4) & 0x700) | (w & 0xff)', kind: 'hex' },
  // imm3:imm2: shift amounts, bit-field lsb.
  sh5: { expr: '((w >>> 10) & 0x1c) | ((w >>> 6) & 3)', kind: 'int' },
  lsb: { expr: '((w >>> 10) & 0x1c) | ((w >>> 6) & 3)', kind: 'int' },
  widthm1: { expr: 'w & 31', kind: 'int' },
  msb: { expr: 'w & 31', kind: 'int' },
  // Field widths as the assembler writes them (bfi, ubfx...).
  width: { expr: '(w & 31) + 1', kind: 'int' },
  bfwidth: { expr: '(w & 31) - (((w >>> 10) & 0x1c) | ((w >>> 6) & 3)) + 1', kind: 'int' },
  satimm: { expr: 'w & 31', kind: 'int' },
  sat4: { expr: 'w & 15', kind: 'int' },
  rot8: { expr: '(w >>> 1) & 24', kind: 'int' },
  nbit: { expr: '(w >>> 5) & 1', kind: 'int' },
  mbit: { expr: '(w >>> 4) & 1', kind: 'int' },
  list16: { expr: 'w & 0xffff', kind: 'hex' },
  count16: { expr: popcountExpr('w & 0xffff'), kind: 'int' },
  psrmask: { expr: '(w >>> 10) & 3', kind: 'int' },
  ...VFP_FIELDS,
};

/** Makes the T32 defs (VFP and NEON included): at build time for the bundle (isa/prebuilt.ts). */
/** Operand fields of the ARMv6 media instructions shared with A32 (common.ts). */
const T32_MEDIA: MediaFields = { rd: '$rd', rn: '$rn', rm: '$rm', ra: '$ra', lo: '$rdlo', hi: '$rdhi', x: '$mbit' };

function generateT32Defs(): InsnDef[] {
  const defs: InsnDef[] = [];
  /**
   * What the defs need of the CPU (models.ts): ARMv5T's Thumb unless made in a `requiring`
   * block. Every 32-bit encoding but BL/BLX (the only pair ARMv5T has) is Thumb-2.
   */
  const { tag, requiring } = featureScope();
  function def(name: string, mask: number, match: number, asm: string, code: string, flags = InsnFlags.None): InsnDef {
    const thumb2 = match >>> 16 > 1 && name !== 'bl' && name !== 'blx';
    const d = tag({ name, mask: mask >>> 0, match: match >>> 0, asm, code, flags, ...(thumb2 ? { requires: ARM_V7 } : {}) });
    defs.push(d);
    return d;
  }
  const BR = InsnFlags.Branch, END = InsnFlags.EndsBlock;
  /** 16-bit encodings: bits 31-17 are zero, bit 16 (in an IT block) is free. */
  const H = 0xfffe0000;
  const def16 = (name: string, mask: number, match: number, asm: string, code: string, flags = InsnFlags.None) =>
    def(name, H | mask, match, asm, code, flags);

  // ---- arithmetic and logic, shared by the 16- and 32-bit forms ----
  type Kind = 'logic' | 'add' | 'sub';
  /** 'on': set flags; 'off': don't; 'outside': only outside an IT block (16-bit forms). */
  type FlagMode = 'on' | 'off' | 'outside';
  /**
   * Computes `r`: for 'logic', `x` is the whole expression (of `a` and `b`), `carry` the
   * shifter carry out (null: C unchanged); for 'add'/'sub', r = x ± y with carry-in `cin`.
   */
  function alu(kind: Kind, x: string, y: string, cin: string, carry: string | null, mode: FlagMode): string {
    const wrap = (f: string) => (mode === 'on' ? ` ${f}` : mode === 'outside' ? ` if (!$init) { ${f} }` : '');
    if (kind === 'logic') {
      const c = carry !== null && mode !== 'off' ? `const c = ${carry}; ` : '';
      return `${c}const r = (${x}) | 0;` + wrap(setNZ('r') + (carry !== null ? ` R[${C}] = c;` : ''));
    }
    if (kind === 'add') return addWithFlags(x, y, cin, false) + wrap(addFlags(cin));
    return subWithFlags(x, y, cin, false) + wrap(subFlags(cin));
  }

  /** An immediate shift of `reg` by field `amt` (DecodeImmShift: LSR/ASR #0 mean #32, ROR #0 is RRX). */
  function immShift(t: number, reg: string, amt: string): { value: string; carry: string } {
    switch (t) {
      case 0: return { value: `(${reg} << ${amt})`, carry: `(${amt} === 0 ? R[${C}] : (${reg} >>> (32 - ${amt})) & 1)` };
      case 1: return { value: `(${amt} === 0 ? 0 : ${reg} >>> ${amt})`, carry: `((${reg} >>> ((${amt} === 0 ? 32 : ${amt}) - 1)) & 1)` };
      case 2: return { value: `(${reg} >> (${amt} === 0 ? 31 : ${amt}))`, carry: `((${reg} >> ((${amt} === 0 ? 32 : ${amt}) - 1)) & 1)` };
      default: return {
        value: `(${amt} === 0 ? (R[${C}] << 31) | (${reg} >>> 1) : (${reg} >>> ${amt}) | (${reg} << (32 - ${amt})))`,
        carry: `(${amt} === 0 ? ${reg} & 1 : (${reg} >>> (${amt} - 1)) & 1)`,
      };
    }
  }
  const SHIFT_NAMES = ['lsl', 'lsr', 'asr', 'ror'];

  // =====================================================================================
  // 16-bit encodings
  // =====================================================================================

  // ---- shift (immediate), add, subtract, move, compare ----
  for (const t of [0, 1, 2]) {
    const { value, carry } = immShift(t, 'R[$rn3]', '$imm5');
    def16(`${SHIFT_NAMES[t]}s`, 0xf800, t << 11, '$rd3, $rn3, #$imm5', `${alu('logic', value, '', '', carry, 'outside')} R[$rd3] = r;`);
  }
  def16('adds', 0xfe00, 0x1800, '$rd3, $rn3, $rm3', `${alu('add', 'R[$rn3]', 'R[$rm3]', '0', null, 'outside')} R[$rd3] = r;`);
  def16('subs', 0xfe00, 0x1a00, '$rd3, $rn3, $rm3', `${alu('sub', 'R[$rn3]', 'R[$rm3]', '1', null, 'outside')} R[$rd3] = r;`);
  def16('adds', 0xfe00, 0x1c00, '$rd3, $rn3, #$imm3', `${alu('add', 'R[$rn3]', '$imm3', '0', null, 'outside')} R[$rd3] = r;`);
  def16('subs', 0xfe00, 0x1e00, '$rd3, $rn3, #$imm3', `${alu('sub', 'R[$rn3]', '$imm3', '1', null, 'outside')} R[$rd3] = r;`);
  def16('movs', 0xf800, 0x2000, '$rx, #$imm8', `const r = $imm8; if (!$init) { ${setNZ('r')} } R[$rx] = r;`);
  def16('cmp', 0xf800, 0x2800, '$rx, #$imm8', alu('sub', 'R[$rx]', '$imm8', '1', null, 'on'));
  def16('adds', 0xf800, 0x3000, '$rx, #$imm8', `${alu('add', 'R[$rx]', '$imm8', '0', null, 'outside')} R[$rx] = r;`);
  def16('subs', 0xf800, 0x3800, '$rx, #$imm8', `${alu('sub', 'R[$rx]', '$imm8', '1', null, 'outside')} R[$rx] = r;`);

  // ---- data processing (register): Rdn in bits 2-0, Rm in 5-3 ----
  const DP16: [string, Kind, string, string, boolean][] = [
    // name, kind, x (or the logic expression), y, writes Rdn
    ['ands', 'logic', 'a & b', '', true], ['eors', 'logic', 'a ^ b', '', true], ['lsls', 'logic', '', '', true],
    ['lsrs', 'logic', '', '', true], ['asrs', 'logic', '', '', true], ['adcs', 'add', 'a', 'b', true],
    ['sbcs', 'sub', 'a', 'b', true], ['rors', 'logic', '', '', true], ['tst', 'logic', 'a & b', '', false],
    ['negs', 'sub', '0', 'b', true], ['cmp', 'sub', 'a', 'b', false], ['cmn', 'add', 'a', 'b', false],
    ['orrs', 'logic', 'a | b', '', true], ['muls', 'logic', 'Math.imul(a, b)', '', true], ['bics', 'logic', 'a & ~b', '', true],
    ['mvns', 'logic', '~b', '', true],
  ];
  const SHIFT_BY_REG: Record<string, number> = { lsls: 0, lsrs: 1, asrs: 2, rors: 3 };
  DP16.forEach(([name, kind, x, y, writes], op) => {
    const mode: FlagMode = writes ? 'outside' : 'on';
    const cin = name === 'adcs' || name === 'sbcs' ? `R[${C}]` : kind === 'sub' ? '1' : '0';
    let body: string;
    const t = SHIFT_BY_REG[name];
    if (t !== undefined) {
      body = alu('logic', `rsh(${t}, a, n)`, '', '', `rshc(${t}, a, n, R[${C}])`, mode);
    } else {
      body = alu(kind, x, y, cin, null, mode);
    }
    const operands = t !== undefined ? 'const a = R[$rd3], n = R[$rn3] & 255;' : 'const a = R[$rd3], b = R[$rn3];';
    const asm = name === 'negs' ? '$rd3, $rn3, #0' : name === 'muls' ? '$rd3, $rn3, $rd3' : '$rd3, $rn3';
    def16(name, 0xffc0, 0x4000 | (op << 6), asm, `${operands} ${body}${writes ? ' R[$rd3] = r;' : ''}`);
  });

  // ---- special data processing (high registers) and branch/exchange ----
  def16('add', 0xff00, 0x4400, '$rdn, $rm4', 'R[$rdn] = R[$rdn] + R[$rm4];');
  def16('add', 0xff87, 0x4487, 'pc, $rm4', `R[${NEXT}] = (R[15] + R[$rm4]) | 1;`);
  def16('cmp', 0xff00, 0x4500, '$rdn, $rm4', alu('sub', 'R[$rdn]', 'R[$rm4]', '1', null, 'on'));
  def16('mov', 0xff00, 0x4600, '$rdn, $rm4', 'R[$rdn] = R[$rm4];');
  def16('mov', 0xff87, 0x4687, 'pc, $rm4', `R[${NEXT}] = R[$rm4] | 1;`);
  def16('bx', 0xff87, 0x4700, '$rm4', `R[${NEXT}] = R[$rm4];`, BR);
  def16('blx', 0xff87, 0x4780, '$rm4', `const t = R[$rm4]; R[14] = ($pc + 2) | 1; R[${NEXT}] = t;`, BR);

  // ---- loads and stores ----
  def16('ldr', 0xf800, 0x4800, '$rx, [pc, #$imm8x4] ; $lit8', 'R[$rx] = ld32($lit8);');
  const LS16: [string, string, boolean][] = [
    ['str', 'st32(A, R[$rd3])', false], ['strh', 'st16(A, R[$rd3])', false], ['strb', 'st8(A, R[$rd3])', false],
    ['ldrsb', 'ld8s(A)', true], ['ldr', 'ld32(A)', true], ['ldrh', 'ld16u(A)', true], ['ldrb', 'ld8u(A)', true],
    ['ldrsh', 'ld16s(A)', true],
  ];
  LS16.forEach(([name, access, load], op) => {
    const a = access.replace('A', 'R[$rn3] + R[$rm3]');
    def16(name, 0xfe00, 0x5000 | (op << 9), '$rd3, [$rn3, $rm3]', load ? `R[$rd3] = ${a};` : `${a};`);
  });
  const LSI16: [string, number, string, string, boolean][] = [
    ['str', 0x6000, 'st32(A, R[$rd3])', '$imm5x4', false], ['ldr', 0x6800, 'ld32(A)', '$imm5x4', true],
    ['strb', 0x7000, 'st8(A, R[$rd3])', '$imm5', false], ['ldrb', 0x7800, 'ld8u(A)', '$imm5', true],
    ['strh', 0x8000, 'st16(A, R[$rd3])', '$imm5x2', false], ['ldrh', 0x8800, 'ld16u(A)', '$imm5x2', true],
  ];
  for (const [name, match, access, off, load] of LSI16) {
    const a = access.replace('A', `R[$rn3] + ${off}`);
    def16(name, 0xf800, match, `$rd3, [$rn3, #${off}]`, load ? `R[$rd3] = ${a};` : `${a};`);
  }
  def16('str', 0xf800, 0x9000, '$rx, [sp, #$imm8x4]', 'st32(R[13] + $imm8x4, R[$rx]);');
  def16('ldr', 0xf800, 0x9800, '$rx, [sp, #$imm8x4]', 'R[$rx] = ld32(R[13] + $imm8x4);');
  def16('adr', 0xf800, 0xa000, '$rx, $lit8', 'R[$rx] = $lit8;');
  def16('add', 0xf800, 0xa800, '$rx, sp, #$imm8x4', 'R[$rx] = R[13] + $imm8x4;');

  // ---- miscellaneous ----
  def16('add', 0xff80, 0xb000, 'sp, #$imm7x4', 'R[13] = R[13] + $imm7x4;');
  def16('sub', 0xff80, 0xb080, 'sp, #$imm7x4', 'R[13] = R[13] - $imm7x4;');
  requiring(ARM_V7, () => {
    def16('cbz', 0xfd00, 0xb100, '$rd3, $btarget', `if (R[$rd3] === 0) R[${NEXT}] = $btarget;`, BR);
    def16('cbnz', 0xfd00, 0xb900, '$rd3, $btarget', `if (R[$rd3] !== 0) R[${NEXT}] = $btarget;`, BR);
  });
  requiring(ARM_V6, () => {
    def16('sxth', 0xffc0, 0xb200, '$rd3, $rn3', 'R[$rd3] = (R[$rn3] << 16) >> 16;');
    def16('sxtb', 0xffc0, 0xb240, '$rd3, $rn3', 'R[$rd3] = (R[$rn3] << 24) >> 24;');
    def16('uxth', 0xffc0, 0xb280, '$rd3, $rn3', 'R[$rd3] = R[$rn3] & 0xffff;');
    def16('uxtb', 0xffc0, 0xb2c0, '$rd3, $rn3', 'R[$rd3] = R[$rn3] & 0xff;');
  });
  const REV = 'const x = R[RM]; R[RD] = (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);';
  const REV16 = 'const x = R[RM]; R[RD] = ((x & 0x00ff00ff) << 8) | ((x >>> 8) & 0x00ff00ff);';
  const REVSH = 'const x = R[RM]; R[RD] = (((x & 0xff) << 24) >> 16) | ((x >>> 8) & 0xff);';
  const regs = (code: string, rd: string, rm: string) => code.replace(/RD/g, rd).replace(/RM/g, rm);
  requiring(ARM_V6, () => {
    def16('rev', 0xffc0, 0xba00, '$rd3, $rn3', regs(REV, '$rd3', '$rn3'));
    def16('rev16', 0xffc0, 0xba40, '$rd3, $rn3', regs(REV16, '$rd3', '$rn3'));
    def16('revsh', 0xffc0, 0xbac0, '$rd3, $rn3', regs(REVSH, '$rd3', '$rn3'));
  });
  def16('push', 0xfe00, 0xb400, '{$pushlist}',
    'const a = R[13] - 4 * $count9; @bits($pushlist) { st32(a + 4 * @n, R[@k]); } R[13] = a;');
  def16('pop', 0xfe00, 0xbc00, '{$poplist}',
    `const a = R[13]; @bits($poplist & 0xff) { R[@k] = ld32(a + 4 * @n); } ` +
    `if ($poplist & 0x8000) R[${NEXT}] = ld32(a + 4 * ($count9 - 1)); R[13] = a + 4 * $count9;`);
  def16('bkpt', 0xff00, 0xbe00, '#$imm8', 'bkpt($pc);', END);
  // SETEND LE: data stays little-endian (SETEND BE, big-endian data, is not emulated: SIGILL).
  requiring(ARM_V6, () => def16('setend', 0xffff, 0xb650, 'le', ''));
  // CPS is a no-op in user mode, as on Linux.
  requiring(ARM_V6, () => {
    for (const { name, imod, aif, letters } of CPS_FORMS) if (aif !== 0) def16(name, 0xffff, 0xb660 | ((imod & 1) << 4) | aif, letters, '');
  });
  // IT: the scanner reads firstcond/mask from the word itself.
  requiring(ARM_V7, () => def16('it', 0xff00, 0xbf00, '$firstcond, $itmask', ''));
  // Hints (mask 0000): nop, yield, wfe, wfi, sev, and the unallocated ones, which are nops too.
  def16('nop', 0xff0f, 0xbf00, '', '');

  // ---- multiple loads and stores, conditional branch, svc, unconditional branch ----
  def16('stm', 0xf800, 0xc000, '$rx!, {$list8}',
    'const a = R[$rx]; @bits($list8) { st32(a + 4 * @n, R[@k]); } R[$rx] = a + 4 * $count8;');
  def16('ldm', 0xf800, 0xc800, '$rx, {$list8} (wb $ldmwb)',
    'const a = R[$rx]; @bits($list8) { R[@k] = ld32(a + 4 * @n); } if ($ldmwb) R[$rx] = a + 4 * $count8;');
  for (let c = 0; c < 14; c++) {
    def16(`b${COND_NAMES[c]}`, 0xff00, 0xd000 | (c << 8), '$btarget', `if (${conditionCode(c)}) R[${NEXT}] = $btarget;`, BR);
  }
  // 0xde00 is UDF (permanently undefined): not decoded, so it raises SIGILL.
  // The syscall hook gets svc's address with bit 0 set: where it returns to depends on the state.
  def16('svc', 0xff00, 0xdf00, '#$imm8', 'syscall($pc | 1);', END);
  def16('b', 0xf800, 0xe000, '$btarget', `R[${NEXT}] = $btarget;`, BR);

  // =====================================================================================
  // 32-bit encodings
  // =====================================================================================

  // ---- data processing: modified immediate (11110 i 0 op S Rn | 0 imm3 Rd imm8) and
  //      shifted register (1110101 op S Rn | 0 imm3 Rd imm2 type Rm) ----
  interface Operand { asm: string; value: string; carry: string; mask: number; match: number }
  const operands: Operand[] = [
    { asm: '#$timm', value: '$timm', carry: `($timmc < 0 ? R[${C}] : $timmc)`, mask: 0xfa008000, match: 0xf0000000 },
    ...[0, 1, 2, 3].map((t): Operand => ({
      asm: `$rm, ${SHIFT_NAMES[t]} #$sh5`, ...immShift(t, 'R[$rm]', '$sh5'), mask: 0xfe008030, match: 0xea000000 | (t << 4),
    })),
  ];
  const DP32: [string, number, Kind, string, string, string?, string?][] = [
    // name, op, kind, x (or the logic expression), y, the Rd=PC S=1 compare alias, the Rn=PC move alias
    ['and', 0, 'logic', 'a & b', '', 'tst'], ['bic', 1, 'logic', 'a & ~b', ''], ['orr', 2, 'logic', 'a | b', '', undefined, 'mov'],
    ['orn', 3, 'logic', 'a | ~b', '', undefined, 'mvn'], ['eor', 4, 'logic', 'a ^ b', '', 'teq'],
    ['add', 8, 'add', 'a', 'b', 'cmn'], ['adc', 10, 'add', 'a', 'b'], ['sbc', 11, 'sub', 'a', 'b'],
    ['sub', 13, 'sub', 'a', 'b', 'cmp'], ['rsb', 14, 'sub', 'b', 'a'],
  ];
  for (const [name, op, kind, x, y, compare, move] of DP32) {
    const cin = name === 'adc' || name === 'sbc' ? `R[${C}]` : kind === 'sub' ? '1' : '0';
    for (const o of operands) {
      const carry = kind === 'logic' ? o.carry : null;
      const mask = o.mask | 0x01f00000;
      for (const s of [0, 1]) {
        const match = o.match | (op << 21) | (s << 20);
        const mode: FlagMode = s ? 'on' : 'off';
        const sfx = s ? 's' : '';
        def(name + sfx, mask, match, `$rd, $rn, ${o.asm}`, `const a = R[$rn], b = ${o.value}; ${alu(kind, x, y, cin, carry, mode)} R[$rd] = r;`);
        if (move) {
          const mx = move === 'mov' ? 'b' : '~b';
          def(move + sfx, mask | 0x000f0000, match | 0x000f0000, `$rd, ${o.asm}`, `const b = ${o.value}; ${alu('logic', mx, '', '', carry, mode)} R[$rd] = r;`);
        }
      }
      if (compare) {
        def(compare, mask | 0x0f00, o.match | (op << 21) | (1 << 20) | 0x0f00, `$rn, ${o.asm}`,
          `const a = R[$rn], b = ${o.value}; ${alu(kind, x, y, cin, carry, 'on')}`);
      }
    }
  }
  // PKHBT/PKHTB (op 0110, shifted register only).
  def('pkhbt', 0xfff08030, 0xeac00000, '$rd, $rn, $rm, lsl #$sh5', 'R[$rd] = (R[$rn] & 0xffff) | ((R[$rm] << $sh5) & 0xffff0000);');
  def('pkhtb', 0xfff08030, 0xeac00020, '$rd, $rn, $rm, asr #$sh5',
    'R[$rd] = (R[$rn] & 0xffff0000) | ((R[$rm] >> ($sh5 === 0 ? 31 : $sh5)) & 0xffff);');

  // ---- data processing: plain binary immediate (11110 i 1 op Rn | 0 imm3 Rd imm8) ----
  def('addw', 0xfbf08000, 0xf2000000, '$rd, $rn, #$imm12w', 'R[$rd] = R[$rn] + $imm12w;');
  def('adr', 0xfbff8000, 0xf20f0000, '$rd, $adr12', 'R[$rd] = $adr12;');
  def('subw', 0xfbf08000, 0xf2a00000, '$rd, $rn, #$imm12w', 'R[$rd] = R[$rn] - $imm12w;');
  def('adr', 0xfbff8000, 0xf2af0000, '$rd, $adr12n', 'R[$rd] = $adr12n;');
  def('movw', 0xfbf08000, 0xf2400000, '$rd, #$imm16', 'R[$rd] = $imm16;');
  def('movt', 0xfbf08000, 0xf2c00000, '$rd, #$imm16', 'R[$rd] = (R[$rd] & 0xffff) | ($imm16 << 16);');
  // SSAT #n saturates to n bits (the field holds n - 1), USAT #n to n bits unsigned.
  const SMAX = (n: string) => `(2 ** ${n} - 1)`, SMIN = (n: string) => `-(2 ** ${n})`;
  def('ssat', 0xfff08020, 0xf3000000, '$rd, #$satimm, $rn, lsl #$sh5', `${saturate('r', 'R[$rn] << $sh5', SMIN('$satimm'), SMAX('$satimm'))} R[$rd] = r;`);
  def('ssat', 0xfff08020, 0xf3200000, '$rd, #$satimm, $rn, asr #$sh5', `${saturate('r', 'R[$rn] >> $sh5', SMIN('$satimm'), SMAX('$satimm'))} R[$rd] = r;`);
  def('usat', 0xfff08020, 0xf3800000, '$rd, #$satimm, $rn, lsl #$sh5', `${saturate('r', 'R[$rn] << $sh5', '0', SMAX('$satimm'))} R[$rd] = r;`);
  def('usat', 0xfff08020, 0xf3a00000, '$rd, #$satimm, $rn, asr #$sh5', `${saturate('r', 'R[$rn] >> $sh5', '0', SMAX('$satimm'))} R[$rd] = r;`);
  for (const [name, code] of pairSaturateDefs(T32_MEDIA, '$sat4')) def(name, 0xfff0f0f0, name === 'ssat16' ? 0xf3200000 : 0xf3a00000, '$rd, #$sat4, $rn', code);
  def('sbfx', 0xfff08020, 0xf3400000, '$rd, $rn, #$lsb, #$width', 'R[$rd] = (R[$rn] << (31 - $lsb - $widthm1)) >> (31 - $widthm1);');
  def('ubfx', 0xfff08020, 0xf3c00000, '$rd, $rn, #$lsb, #$width',
    'R[$rd] = $widthm1 === 31 ? R[$rn] >>> $lsb : (R[$rn] >>> $lsb) & ((1 << ($widthm1 + 1)) - 1);');
  const FIELD_MASK = 'const m = (($msb - $lsb === 31) ? -1 : (1 << ($msb - $lsb + 1)) - 1) << $lsb;';
  def('bfi', 0xfff08020, 0xf3600000, '$rd, $rn, #$lsb, #$bfwidth', `if ($msb >= $lsb) { ${FIELD_MASK} R[$rd] = (R[$rd] & ~m) | ((R[$rn] << $lsb) & m); }`);
  def('bfc', 0xffff8020, 0xf36f0000, '$rd, #$lsb, #$bfwidth', `if ($msb >= $lsb) { ${FIELD_MASK} R[$rd] = R[$rd] & ~m; }`);

  // ---- branches and miscellaneous control (11110 ... | 1 op1 ...) ----
  for (let c = 0; c < 14; c++) {
    def(`b${COND_NAMES[c]}.w`, 0xfbc0d000, 0xf0008000 | (c << 22), '$btarget', `if (${conditionCode(c)}) R[${NEXT}] = $btarget;`, BR);
  }
  def('b.w', 0xf800d000, 0xf0009000, '$btarget', `R[${NEXT}] = $btarget;`, BR);
  def('bl', 0xf800d000, 0xf000d000, '$btarget', `R[14] = ($pc + 4) | 1; R[${NEXT}] = $btarget;`, BR);
  def('blx', 0xf800d001, 0xf000c000, '$xtarget', `R[14] = ($pc + 4) | 1; R[${NEXT}] = $xtarget;`, BR);
  def('msr', 0xfff0f3ff, 0xf3808000, 'apsr, $rn',
    `const v = R[$rn]; if ($psrmask & 2) { R[${N}] = v >>> 31; R[${Z}] = (v >>> 30) & 1; R[${C}] = (v >>> 29) & 1; ` +
    `R[${V}] = (v >>> 28) & 1; R[${Q}] = (v >>> 27) & 1; } if ($psrmask & 1) R[${GE}] = (v >>> 16) & 15;`);
  def('mrs', 0xfffff0ff, 0xf3ef8000, '$rd, apsr',
    `R[$rd] = (R[${N}] << 31) | (R[${Z}] << 30) | (R[${C}] << 29) | (R[${V}] << 28) | (R[${Q}] << 27) | (R[${GE}] << 16) | 0x10;`);
  def('nop.w', 0xffffff00, 0xf3af8000, '', ''); // nop, yield, wfe, wfi, sev, dbg
  for (const { name, imod, aif, letters } of CPS_FORMS) {
    if (aif !== 0) def(`${name}.w`, 0xffffffff, 0xf3af8000 | (imod << 9) | (aif << 5), letters, ''); // (0xf3af8000 is nop.w)
    def(`${name}.w`, 0xffffffe0, 0xf3af8100 | (imod << 9) | (aif << 5), letters ? `${letters}, #$mode` : '#$mode', '');
  }
  def('clrex', 0xffffffff, 0xf3bf8f2f, '', 'exclClear();');
  def('dsb', 0xfffffff0, 0xf3bf8f40, '', 'fence();');
  def('dmb', 0xfffffff0, 0xf3bf8f50, '', 'fence();');
  def('isb', 0xfffffff0, 0xf3bf8f60, '', '');

  // ---- load/store multiple, dual, exclusive, table branch ----
  // LDM/STM IA (op 01) and DB (op 10): 1110100 op 0 W L Rn | list; PUSH.W/POP.W are STMDB/LDMIA sp!.
  const block32 = `const base = R[$rn]; const a = $ud ? base : base - 4 * $count16;`;
  const block32wb = 'if ($wb) R[$rn] = $ud ? base + 4 * $count16 : base - 4 * $count16;';
  for (const [name, match] of [['ia', 0xe8800000], ['db', 0xe9000000]] as const) {
    def(`ldm${name}`, 0xffd00000, match | 0x00100000, '$rn (wb $wb), {$list16}',
      `${block32} @bits($list16 & 0x7fff) { R[@k] = ld32(a + 4 * @n); } ` +
      `if ($list16 & 0x8000) R[${NEXT}] = ld32(a + 4 * ($count16 - 1)); ${block32wb}`);
    def(`stm${name}`, 0xffd00000, match, '$rn (wb $wb), {$list16}', `${block32} @bits($list16) { st32(a + 4 * @n, R[@k]); } ${block32wb}`);
  }
  // LDRD/STRD (immediate): 1110100 P U 1 W L Rn | Rt Rt2 imm8, P or W set (P = W = 0 is the exclusive space).
  const dual = (load: boolean) => {
    const addr = 'const base = R[$rn]; const off = $ud ? $imm8x4 : -$imm8x4; const a = $pd ? base + off : base;';
    const wb = 'if (!$pd || $wb) R[$rn] = base + off;';
    return load
      ? `${addr} const lo = ld32(a), hi = ld32(a + 4); ${wb} R[$rt] = lo; R[$rt2] = hi;`
      : `${addr} st32(a, R[$rt]); st32(a + 4, R[$rt2]); ${wb}`;
  };
  for (const [l, name] of [[1, 'ldrd'], [0, 'strd']] as const) {
    def(name, 0xff500000, 0xe9400000 | (l << 20), '$rt, $rt2, [$rn, #$imm8x4] ($pd$ud$wb)', dual(l === 1));
    def(name, 0xff700000, 0xe8600000 | (l << 20), '$rt, $rt2, [$rn], #$imm8x4 ($pd$ud$wb)', dual(l === 1));
  }
  const literals: InsnDef[] = [];
  literals.push(def('ldrd', 0xff7f0000, 0xe95f0000, '$rt, $rt2, $lit8x4', 'const a = $lit8x4; R[$rt] = ld32(a); R[$rt2] = ld32(a + 4);'));
  def('ldrex', 0xfff00f00, 0xe8500f00, '$rt, [$rn, #$imm8x4]', 'const a = R[$rn] + $imm8x4; const v = ld32a(a); exclMark(a, v, 0); R[$rt] = v;');
  def('strex', 0xfff00000, 0xe8400000, '$rd, $rt, [$rn, #$imm8x4]', 'R[$rd] = strex(R[$rn] + $imm8x4, R[$rt], 4);');
  for (const [name, op, ld, size] of [['b', 4, 'ld8u', 1], ['h', 5, 'ld16u', 2]] as const) {
    def(`ldrex${name}`, 0xfff00fff, 0xe8d00f0f | (op << 4), '$rt, [$rn]', `const a = R[$rn]; const v = ${ld}(a); exclMark(a, v, 0); R[$rt] = v;`);
    def(`strex${name}`, 0xfff00ff0, 0xe8c00f00 | (op << 4), '$rm, $rt, [$rn]', `R[$rm] = strex(R[$rn], R[$rt], ${size});`);
  }
  def('ldrexd', 0xfff000ff, 0xe8d0007f, '$rt, $rt2, [$rn]',
    'exclLoad64(R[$rn]); R[$rt] = cpu.exclValue; R[$rt2] = cpu.exclHigh;');
  def('strexd', 0xfff000f0, 0xe8c00070, '$rm, $rt, $rt2, [$rn]',
    'R[$rm] = strexd(R[$rn], R[$rt], R[$rt2]);');
  def('tbb', 0xfff0fff0, 0xe8d0f000, '[$rn, $rm]', `R[${NEXT}] = ($pc + 4 + 2 * ld8u(R[$rn] + R[$rm])) | 1;`, BR);
  def('tbh', 0xfff0fff0, 0xe8d0f010, '[$rn, $rm, lsl #1]', `R[${NEXT}] = ($pc + 4 + 2 * ld16u(R[$rn] + (R[$rm] << 1))) | 1;`, BR);

  // ---- single loads and stores: 1111100 S U size L Rn | ... ----
  // imm12 (U = 1): Rt imm12; imm8: Rt 1 P U W imm8 (P = 1, or P = 0 and W = 1; PUW = 110 is the
  // unprivileged LDRT/STRT form); register: Rt 000000 imm2 Rm; literal (Rn = PC): Rt imm12.
  const SINGLE: [string, number, string, boolean][] = [
    ['strb', 0xf8000000, 'st8(A, R[$rt])', false], ['strh', 0xf8200000, 'st16(A, R[$rt])', false],
    ['str', 0xf8400000, 'st32(A, R[$rt])', false], ['ldrb', 0xf8100000, 'ld8u(A)', true],
    ['ldrh', 0xf8300000, 'ld16u(A)', true], ['ldr', 0xf8500000, 'ld32(A)', true],
    ['ldrsb', 0xf9100000, 'ld8s(A)', true], ['ldrsh', 0xf9300000, 'ld16s(A)', true],
  ];
  for (const [name, base, access, load] of SINGLE) {
    // Only LDR may load the PC (a branch); the others' Rt = PC encodings are hints (below) or unpredictable.
    const dest = name === 'ldr' ? '$rtw' : '$rt';
    const put = (addr: string) => (load ? `R[${dest}] = ${access.replace('A', addr)};` : `${access.replace('A', addr)};`);
    def(name, 0xfff00000, base | 0x00800000, `$rt, [$rn, #$imm12]`, put('R[$rn] + $imm12'));
    const indexed = load
      ? `const b = R[$rn], o = $u8 ? $imm8 : -$imm8; const v = ${access.replace('A', '$p8 ? b + o : b')}; if ($w8) R[$rn] = b + o; R[${dest}] = v;`
      : `const b = R[$rn], o = $u8 ? $imm8 : -$imm8; ${access.replace('A', '$p8 ? b + o : b')}; if ($w8) R[$rn] = b + o;`;
    def(name, 0xfff00c00, base | 0x0c00, '$rt, [$rn, #$imm8] ($p8$u8$w8)', indexed);
    def(name, 0xfff00d00, base | 0x0900, '$rt, [$rn], #$imm8 ($p8$u8$w8)', indexed);
    def(`${name}t`, 0xfff00f00, base | 0x0e00, '$rt, [$rn, #$imm8]', put('R[$rn] + $imm8'));
    def(name, 0xfff00fc0, base, '$rt, [$rn, $rm, lsl #$sh2]', put('R[$rn] + (R[$rm] << $sh2)'));
    if (load) literals.push(def(name, 0xff7f0000, base | 0x000f0000, '$rt, $lit12', put('$lit12')));
  }
  const hints: InsnDef[] = [];
  // PLD's W bit (5 of the first halfword) makes PLDW, which has no literal form.
  for (const [name, base] of [['pld', 0xf8100000], ['pldw', 0xf8300000], ['pli', 0xf9100000]] as const) {
    if (name !== 'pldw') hints.push(def(name, 0xff7ff000, base | 0x000ff000, '$lit12', ''));
    hints.push(
      def(name, 0xfff0f000, base | 0x0080f000, '[$rn, #$imm12]', ''),
      def(name, 0xfff0ff00, base | 0xfc00, '[$rn, #-$imm8]', ''),
      def(name, 0xfff0ffc0, base | 0xf000, '[$rn, $rm, lsl #$sh2]', ''),
    );
  }

  // ---- data processing (register): shifts, extends, parallel add/subtract, miscellaneous ----
  for (const t of [0, 1, 2, 3]) {
    for (const s of [0, 1]) {
      def(`${SHIFT_NAMES[t]}${s ? 's' : ''}.w`, 0xfff0f0f0, 0xfa00f000 | (t << 21) | (s << 20), '$rd, $rn, $rm',
        `const a = R[$rn], n = R[$rm] & 255; ${alu('logic', `rsh(${t}, a, n)`, '', '', `rshc(${t}, a, n, R[${C}])`, s ? 'on' : 'off')} R[$rd] = r;`);
    }
  }
  const rotated = '((R[$rm] >>> $rot8) | (R[$rm] << ((32 - $rot8) & 31)))';
  const EXTENDS: [string, number, string][] = [
    ['sxth', 0, '(X << 16) >> 16'], ['uxth', 1, 'X & 0xffff'], ['sxtb', 4, '(X << 24) >> 24'], ['uxtb', 5, 'X & 0xff'],
  ];
  for (const [name, op, ext] of EXTENDS) {
    const match = 0xfa00f080 | (op << 20);
    def(name, 0xfffff0c0, match | 0x000f0000, '$rd, $rm, ror #$rot8', `R[$rd] = ${ext.replace('X', rotated)};`);
    def(name.replace('xt', 'xta'), 0xfff0f0c0, match, '$rd, $rn, $rm, ror #$rot8', `R[$rd] = R[$rn] + (${ext.replace('X', rotated)});`);
  }
  // The byte-pair extends (op 010 signed, 011 unsigned); Rn = 1111 is the plain form.
  for (const [name, code] of pairExtendDefs(T32_MEDIA)) {
    const match = 0xfa00f080 | ((name.startsWith('s') ? 2 : 3) << 20);
    if (name.includes('xta')) def(name, 0xfff0f0c0, match, '$rd, $rn, $rm, ror #$rot8', code);
    else def(name, 0xfffff0c0, match | 0x000f0000, '$rd, $rm, ror #$rot8', code);
  }
  for (const [name, code, op1, op2] of parallelDefs(T32_MEDIA)) def(name, 0xfff0f0f0, 0xfa80f000 | (op1 << 20) | (op2 << 4), '$rd, $rn, $rm', code);
  const INT_MIN = '-0x80000000', INT_MAX = '0x7fffffff';
  def('qadd', 0xfff0f0f0, 0xfa80f080, '$rd, $rm, $rn', `${saturate('r', 'R[$rm] + R[$rn]', INT_MIN, INT_MAX)} R[$rd] = r;`);
  def('qdadd', 0xfff0f0f0, 0xfa80f090, '$rd, $rm, $rn',
    `${saturate('d', '2 * R[$rn]', INT_MIN, INT_MAX)} ${saturate('r', 'R[$rm] + d', INT_MIN, INT_MAX)} R[$rd] = r;`);
  def('qsub', 0xfff0f0f0, 0xfa80f0a0, '$rd, $rm, $rn', `${saturate('r', 'R[$rm] - R[$rn]', INT_MIN, INT_MAX)} R[$rd] = r;`);
  def('qdsub', 0xfff0f0f0, 0xfa80f0b0, '$rd, $rm, $rn',
    `${saturate('d', '2 * R[$rn]', INT_MIN, INT_MAX)} ${saturate('r', 'R[$rm] - d', INT_MIN, INT_MAX)} R[$rd] = r;`);
  def('rev', 0xfff0f0f0, 0xfa90f080, '$rd, $rm', regs(REV, '$rd', '$rm'));
  def('rev16', 0xfff0f0f0, 0xfa90f090, '$rd, $rm', regs(REV16, '$rd', '$rm'));
  def('rbit', 0xfff0f0f0, 0xfa90f0a0, '$rd, $rm',
    'let x = R[$rm]; x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1); x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2); ' +
    'x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4); x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8); R[$rd] = (x >>> 16) | (x << 16);');
  def('revsh', 0xfff0f0f0, 0xfa90f0b0, '$rd, $rm', regs(REVSH, '$rd', '$rm'));
  def('sel', 0xfff0f0f0, 0xfaa0f080, '$rd, $rn, $rm',
    `const g = R[${GE}]; const m = ((g & 1) ? 0xff : 0) | ((g & 2) ? 0xff00 : 0) | ((g & 4) ? 0xff0000 : 0) | ((g & 8) ? 0xff000000 : 0); ` +
    'R[$rd] = (R[$rn] & m) | (R[$rm] & ~m);');
  def('clz', 0xfff0f0f0, 0xfab0f080, '$rd, $rm', 'R[$rd] = Math.clz32(R[$rm]);');

  // ---- multiplies and divides: 11111011 0 op1 Rn | Ra Rd op2 Rm; long: 11111011 1 op1 Rn | RdLo RdHi op2 Rm ----
  const half = (reg: string, bit: string) => `(${bit} ? ${reg} >> 16 : (${reg} << 16) >> 16)`;
  def('mul', 0xfff0f0f0, 0xfb00f000, '$rd, $rn, $rm', 'R[$rd] = Math.imul(R[$rn], R[$rm]);');
  def('mla', 0xfff000f0, 0xfb000000, '$rd, $rn, $rm, $ra', 'R[$rd] = Math.imul(R[$rn], R[$rm]) + R[$ra];');
  def('mls', 0xfff000f0, 0xfb000010, '$rd, $rn, $rm, $ra', 'R[$rd] = R[$ra] - Math.imul(R[$rn], R[$rm]);');
  def('smul<x><y>', 0xfff0f0c0, 0xfb10f000, '$rd, $rn, $rm', `R[$rd] = Math.imul(${half('R[$rn]', '$nbit')}, ${half('R[$rm]', '$mbit')});`);
  def('smla<x><y>', 0xfff000c0, 0xfb100000, '$rd, $rn, $rm, $ra',
    `const r = Math.imul(${half('R[$rn]', '$nbit')}, ${half('R[$rm]', '$mbit')}) + R[$ra]; if ((r | 0) !== r) R[${Q}] = 1; R[$rd] = r;`);
  def('smulw<y>', 0xfff0f0e0, 0xfb30f000, '$rd, $rn, $rm', `R[$rd] = Math.floor((R[$rn] * ${half('R[$rm]', '$mbit')}) / 65536);`);
  def('smlaw<y>', 0xfff000e0, 0xfb300000, '$rd, $rn, $rm, $ra',
    `const r = Math.floor((R[$rn] * ${half('R[$rm]', '$mbit')}) / 65536) + R[$ra]; if ((r | 0) !== r) R[${Q}] = 1; R[$rd] = r;`);
  // The dual halfword, most-significant-word and sum-of-absolute-difference multiplies: an
  // accumulator of all ones makes the plain form, which is more specific and so decodes first.
  const T32_MEDIA_MULTIPLY: Record<string, number> = {
    smuad: 0xfb20f000, smlad: 0xfb200000, smusd: 0xfb40f000, smlsd: 0xfb400000, smlald: 0xfbc000c0, smlsld: 0xfbd000c0,
    smmul: 0xfb50f000, smmla: 0xfb500000, smmls: 0xfb600000, usad8: 0xfb70f000, usada8: 0xfb700000,
  };
  for (const [name, code, form] of mediaMultiplyDefs(T32_MEDIA)) {
    const mask = (name.startsWith('usad') ? 0xfff000f0 : 0xfff000e0) | (form === 'plain' ? 0xf000 : 0);
    const asm = form === 'long' ? '$rdlo, $rdhi, $rn, $rm' : form === 'acc' ? '$rd, $rn, $rm, $ra' : '$rd, $rn, $rm';
    def(name, mask, T32_MEDIA_MULTIPLY[name], asm, code);
  }
  const long = (signed: boolean, acc: boolean) => {
    const sum = acc
      ? 'const l = (R[$rdlo] >>> 0) + (pl >>> 0); const rh = (R[$rdhi] + ph + (l > 0xffffffff ? 1 : 0)) | 0; const rl = l | 0;'
      : 'const rl = pl, rh = ph;';
    return `const x = R[$rn], y = R[$rm]; const pl = Math.imul(x, y), ph = ${mulhExpr(signed, 'x', 'y')}; ${sum} R[$rdlo] = rl; R[$rdhi] = rh;`;
  };
  def('smull', 0xfff000f0, 0xfb800000, '$rdlo, $rdhi, $rn, $rm', long(true, false));
  def('umull', 0xfff000f0, 0xfba00000, '$rdlo, $rdhi, $rn, $rm', long(false, false));
  def('smlal', 0xfff000f0, 0xfbc00000, '$rdlo, $rdhi, $rn, $rm', long(true, true));
  def('umlal', 0xfff000f0, 0xfbe00000, '$rdlo, $rdhi, $rn, $rm', long(false, true));
  def('umaal', 0xfff000f0, 0xfbe00060, '$rdlo, $rdhi, $rn, $rm',
    `const x = R[$rn], y = R[$rm]; const pl = Math.imul(x, y), ph = ${mulhExpr(false, 'x', 'y')}; ` +
    'const l = (pl >>> 0) + (R[$rdlo] >>> 0) + (R[$rdhi] >>> 0); R[$rdhi] = ph + Math.floor(l / 4294967296); R[$rdlo] = l | 0;');
  def('smlal<x><y>', 0xfff000c0, 0xfbc00080, '$rdlo, $rdhi, $rn, $rm',
    `const p = Math.imul(${half('R[$rn]', '$nbit')}, ${half('R[$rm]', '$mbit')}); ` +
    'const l = (R[$rdlo] >>> 0) + (p >>> 0); R[$rdhi] = R[$rdhi] + (p >> 31) + (l > 0xffffffff ? 1 : 0); R[$rdlo] = l;');
  requiring(ARM_IDIV, () => {
    def('sdiv', 0xfff0f0f0, 0xfb90f0f0, '$rd, $rn, $rm',
      'const d = R[$rm]; R[$rd] = d === 0 ? 0 : (R[$rn] === -0x80000000 && d === -1) ? R[$rn] : (R[$rn] / d) | 0;');
    def('udiv', 0xfff0f0f0, 0xfbb0f0f0, '$rd, $rn, $rm', 'const d = R[$rm] >>> 0; R[$rd] = d === 0 ? 0 : ((R[$rn] >>> 0) / d) >>> 0;');
  });

  // ---- system ----
  // The TLS register (TPIDRURO): mrc p15, 0, Rt, c13, c0, 3.
  def('mrc', 0xffff0fff, 0xee1d0f70, '$rt, tpidruro', 'R[$rt] = cpu.tls;');
  for (const [crm, op2] of CP15_BARRIERS) def('mcr', 0xffff0fff, 0xee070f10 | crm | (op2 << 5), `p15, 0, $rt, c7, c${crm}, ${op2}`, 'fence();');

  /**
   * Makes `specials` win wherever they overlap a def the decoder would try first (one with
   * at least as many fixed bits), except those in `above`: literal forms (Rn = PC) and
   * hints (Rt = PC) are special cases of encodings whose masks leave those fields free.
   * Each such overlap gets a copy of the special def with the other's fixed bits added,
   * which is then the more specific.
   */
  function prefer(specials: InsnDef[], above: InsnDef[] = []): void {
    const seen = new Set(defs.map((d) => `${d.mask}:${d.match}`));
    for (const s of specials) {
      for (const d of [...defs]) {
        if (d === s || (d.code === s.code && d.asm === s.asm) || above.includes(d)) continue;
        const overlap = ((s.match ^ d.match) & s.mask & d.mask) === 0;
        if (!overlap || bitCount(d.mask) < bitCount(s.mask) || (d.mask & ~s.mask) === 0) continue;
        const v = { ...s, mask: (s.mask | d.mask) >>> 0, match: (s.match | (d.match & ~s.mask)) >>> 0 };
        const key = `${v.mask}:${v.match}`;
        if (!seen.has(key)) {
          seen.add(key);
          defs.push(v);
        }
      }
    }
  }
  function bitCount(x: number): number {
    let n = 0;
    for (x >>>= 0; x; x &= x - 1) n++;
    return n;
  }
  // A hint with Rn = PC is both: the hint wins.
  prefer(literals, hints);
  prefer(hints);

  // VFP and NEON: the A32 defs with their Thumb encodings.
  for (const d of vfpDefs()) {
    const t = vfpThumbForm(d);
    if (t) defs.push({ ...t, requires: (t.requires ?? 0) | ARM_V7 });
  }
  return defs;
}

export const T32_DEFS = prebuiltDefs('T32') ?? generateT32Defs();
export const T32_FIELDS = F;

export const T32_TABLE = new InsnTable('T32', T32_DEFS, F, (w) => (w >>> 16 > 1 ? 32 + (w >>> 27) : (w >>> 11) & 31), armRegName);
