// VFPv3-D32 and Advanced SIMD (NEON): instruction defs (in A32 encoding; t32.ts derives the
// Thumb forms with vfpThumbForm) and the run-time helpers their templates call.
//
// State (cpu.ts): D (Float64Array, D0-D31), S (Float32Array, S0-S31 overlapping D0-D15),
// VI (Int32Array over the same bytes: VI[2n] is the low word of Dn), cpu.fpscr.
//
// Floating point: JavaScript arithmetic rounds to nearest and forgets NaN payloads, so the
// templates run the plain JavaScript operation and fall back to a helper that works on the
// raw register bits when the result is a NaN (ARM NaN propagation, default NaN), and the
// arithmetic helpers switch to fpround.ts's directed rounding and exception flags only when
// FPSCR asks for a rounding mode other than nearest or the guest has looked at FPSCR
// (TRACK, a bit of FPSCR that reads as zero: flags are computed from then on, as for MIPS)
// or flush-to-zero (FZ). Fused multiply-add is computed exactly. NEON arithmetic uses the "standard FPSCR value":
// round to nearest, flush-to-zero, default NaN.
//
// Field names all start with 'v' (they are merged into the A32 and T32 field tables).
import { featureScope, type InsnDef, type FieldDef } from '../table.js';
import { ARM_NEON, ARM_VFP, ARM_VFP3, ARM_VFP4 } from './models.js';
import { wordCopiesOf, type Accessors } from '../../memory/access.js';
import {
  FMT_D, FMT_S, FP_DIVZERO, FP_FTZ, FP_INEXACT, FP_INVALID, FP_OVERFLOW, FP_TRACK, FP_UNDERFLOW, RM_FTZ, decompose, fmaExact,
  makeFpArith, nextDown, nextDownF, nextUp, nextUpF, OP_ADD, OP_DIV, OP_MUL, OP_SINGLE, OP_SQRT, ordinaryResultCode, roundExact, roundFlags, type Format,
} from '../fpround.js';
import { C, N, V, Z } from './common.js';
import { GuestFault, SIGBUS } from '../../engine/signals.js';
import { mulhExpr } from '../arith.js';

// ---------------------------------------------------------------------------------------
// Fields. Bits 27-0 of a VFP instruction are the same in A32 and T32; NEON data-processing
// instructions move the U bit from 24 (A32 1111001U) to 28 (T32 111U1111).
// ---------------------------------------------------------------------------------------
const UBIT = '(((w >>> 24) & 0xef) === 0xef ? (w >>> 28) & 1 : (w >>> 24) & 1)';
const IMM8 = '(((w >>> 12) & 0xf0) | (w & 15))';
/** AdvSIMDExpandImm as statements over `w`, leaving the 64-bit immediate in lo and hi. */
const MODIMM = `const i = (${UBIT} << 7) | ((w >>> 12) & 0x70) | (w & 15), c = (w >>> 8) & 15, op = (w >>> 5) & 1;
  let lo = 0, hi = 0;
  if (c === 14 && op) {
    for (let k = 0; k < 4; k++) lo |= (i >>> k) & 1 ? 0xff << (8 * k) : 0;
    for (let k = 0; k < 4; k++) hi |= (i >>> (k + 4)) & 1 ? 0xff << (8 * k) : 0;
  } else {
    switch (c >>> 1) {
      case 0: lo = i; break;
      case 1: lo = i << 8; break;
      case 2: lo = i << 16; break;
      case 3: lo = i << 24; break;
      case 4: lo = i * 0x10001; break;
      case 5: lo = (i << 8) * 0x10001; break;
      case 6: lo = c & 1 ? (i << 16) | 0xffff : (i << 8) | 0xff; break;
      default: lo = c & 1 ? ((i & 0x80) << 24) | ((((i >>> 6) & 1) ^ 1) << 30) | ((i & 0x40) ? 0x3e000000 : 0) | ((i & 0x3f) << 19)
        : i * 0x01010101;
    }
    hi = lo;
  }`;

export const VFP_FIELDS: Record<string, FieldDef> = {
  // Single registers are Vx:B (B the extra bit), double registers B:Vx.
  vsd: { expr: '((w >>> 11) & 0x1e) | ((w >>> 22) & 1)', kind: 'int' },
  vsn: { expr: '((w >>> 15) & 0x1e) | ((w >>> 7) & 1)', kind: 'int' },
  vsm: { expr: '((w << 1) & 0x1e) | ((w >>> 5) & 1)', kind: 'int' },
  vdd: { expr: '((w >>> 18) & 0x10) | ((w >>> 12) & 15)', kind: 'int' },
  vdn: { expr: '((w >>> 3) & 0x10) | ((w >>> 16) & 15)', kind: 'int' },
  vdm: { expr: '((w >>> 1) & 0x10) | (w & 15)', kind: 'int' },
  // Quad registers (for disassembly): Qn is D2n, D2n+1.
  vqd: { expr: '(((w >>> 18) & 0x10) | ((w >>> 12) & 15)) >>> 1', kind: 'int' },
  vqn: { expr: '(((w >>> 3) & 0x10) | ((w >>> 16) & 15)) >>> 1', kind: 'int' },
  vqm: { expr: '(((w >>> 1) & 0x10) | (w & 15)) >>> 1', kind: 'int' },
  vrt: { expr: '(w >>> 12) & 15', kind: 'gpr' },
  vrt2: { expr: '(w >>> 16) & 15', kind: 'gpr' },
  vrn: { expr: '(w >>> 16) & 15', kind: 'gpr' },
  vrm: { expr: 'w & 15', kind: 'gpr' },
  // VLDR/VSTR: the base is Align(PC, 4) when it is the PC (Thumb), and a signed offset.
  vbase: { expr: '((w >>> 16) & 15) === 15 ? -4 : -1', kind: 'int' },
  voff: { expr: '(w & 0x800000) ? (w & 0xff) << 2 : -((w & 0xff) << 2)', kind: 'int' },
  // VLDM/VSTM: first register as a word index into VI, words transferred, bytes spanned.
  vfirst: { expr: '(w & 0x100) ? (((w >>> 18) & 0x10) | ((w >>> 12) & 15)) << 1 : ((w >>> 11) & 0x1e) | ((w >>> 22) & 1)', kind: 'int' },
  vcnt: { expr: '(w & 0x100) ? w & 0xfe : w & 0xff', kind: 'int' },
  vbytes: { expr: '(w & 0xff) << 2', kind: 'int' },
  vw: { expr: '(w >>> 21) & 1', kind: 'int' },
  ve: { expr: '(w >>> 7) & 1', kind: 'int' },
  vop: { expr: '(w >>> 7) & 1', kind: 'int' },
  // VMOV immediate (VFPExpandImm): the single's bits, the double's high word.
  vimms: {
    expr: `((i) => ((i & 0x80) << 24) | (((i >>> 6) & 1) ^ 1) << 30 | ((i & 0x40) ? 0x3e000000 : 0) | ((i & 0x3f) << 19))(${IMM8})`,
    kind: 'hex',
  },
  vimmd: {
    expr: `((i) => ((i & 0x80) << 24) | (((i >>> 6) & 1) ^ 1) << 30 | ((i & 0x40) ? 0x3fc00000 : 0) | ((i & 0x3f) << 16))(${IMM8})`,
    kind: 'hex',
  },
  // Fixed-point VCVT: sx (bit 7) chooses 32- or 16-bit integers; fbits = size - imm4:i.
  vsx: { expr: '(w >>> 7) & 1', kind: 'int' },
  vfbits: { expr: '((w & 0x80) ? 32 : 16) - (((w & 15) << 1) | ((w >>> 5) & 1))', kind: 'int' },
  // Scalars (VMOV core <-> scalar): the index within the D register for 8/16/32-bit lanes.
  vx8: { expr: '((w >>> 19) & 4) | ((w >>> 5) & 3)', kind: 'int' },
  vx16: { expr: '((w >>> 20) & 2) | ((w >>> 6) & 1)', kind: 'int' },
  vx32: { expr: '(w >>> 21) & 1', kind: 'int' },
  // ---- NEON ----
  // Shifts by immediate: L:imm6 gives the element size and the shift.
  vshr: {
    expr: '(w & 0x80) ? 64 - ((w >>> 16) & 63) : ((w & 0x200000) ? 64 : (w & 0x100000) ? 32 : 16) - ((w >>> 16) & 63)',
    kind: 'int',
  },
  vshl: {
    expr: '(w & 0x80) ? (w >>> 16) & 63 : ((w >>> 16) & 63) - ((w & 0x200000) ? 32 : (w & 0x100000) ? 16 : 8)',
    kind: 'int',
  },
  // One register and a modified immediate (AdvSIMDExpandImm): the low and high words.
  vimlo: { expr: `((w) => { ${MODIMM} return lo; })(w)`, kind: 'hex' },
  vimhi: { expr: `((w) => { ${MODIMM} return hi; })(w)`, kind: 'hex' },
  vimm4: { expr: '(w >>> 8) & 15', kind: 'int' },
  vlen: { expr: '((w >>> 8) & 3) + 1', kind: 'int' },
  // VDUP (scalar): the lane.
  vdx8: { expr: '(w >>> 17) & 7', kind: 'int' },
  vdx16: { expr: '(w >>> 18) & 3', kind: 'int' },
  vdx32: { expr: '(w >>> 19) & 1', kind: 'int' },
  // Scalar operands: 16-bit scalars are Dm = Vm<2:0>, lane M:Vm<3>; 32-bit ones Dm = Vm, lane M.
  vscm: { expr: '((w >>> 20) & 3) === 1 ? w & 7 : w & 15', kind: 'int' },
  vscx: { expr: '((w >>> 20) & 3) === 1 ? ((w >>> 4) & 2) | ((w >>> 3) & 1) : (w >>> 5) & 1', kind: 'int' },
  // Element and structure loads and stores.
  vlsz: { expr: '(w >>> 6) & 3', kind: 'int' },
  vlidx: { expr: '((w >>> 4) & 15) >>> (((w >>> 10) & 3) + 1)', kind: 'int' },
  vlinc: { expr: '((w >>> 10) & 3) === 0 ? 1 : ((w >>> 4) & (((w >>> 10) & 3) === 1 ? 2 : 4)) ? 2 : 1', kind: 'int' },
  vlt: { expr: '(w >>> 5) & 1', kind: 'int' },
  // The alignment (as a mask of the address bits that must be 0) a NEON transfer asks for:
  // multiple structures (align, bits 5-4), one lane (size 11-10, n - 1 9-8, index_align 7-4),
  // all lanes (size 7-6, n - 1 9-8, a 4). VLD3/VST3 never have one.
  vlam: { expr: '((w >>> 4) & 3) ? (4 << ((w >>> 4) & 3)) - 1 : 0', kind: 'int' },
  vlal: {
    expr: '((sz, n, ia) => n === 0 ? (sz === 0 ? 0 : sz === 1 ? ia & 1 : (ia & 3) === 3 ? 3 : 0) : n === 1 ? ((ia & 1) ? (2 << sz) - 1 : 0) : n === 2 ? 0 : sz < 2 ? ((ia & 1) ? (4 << sz) - 1 : 0) : (ia & 3) === 1 ? 7 : (ia & 3) === 2 ? 15 : 0)((w >>> 10) & 3, (w >>> 8) & 3, (w >>> 4) & 15)',
    kind: 'int',
  },
  vlaa: {
    expr: '((sz, n, a) => !a ? 0 : n === 0 ? (1 << sz) - 1 : n === 1 ? (2 << sz) - 1 : n === 3 ? (sz === 0 ? 3 : sz === 3 ? 15 : 7) : 0)((w >>> 6) & 3, (w >>> 8) & 3, (w >>> 4) & 1)',
    kind: 'int',
  },
};

/** FPSCR bits. */
export const FPSCR_DN = 1 << 25, FPSCR_FZ = 1 << 24;
/** Cumulative saturation (NEON's saturating operations set it). */
const FPSCR_QC = 1 << 27;
/** Alternative half-precision: exponent 31 is a normal exponent (no infinities or NaNs, up to 131008). */
const FPSCR_AHP = 1 << 26;
/** The smallest normal single and double: FPSCR.FZ flushes anything nonzero below them. */
const MIN_NORMAL_S = 2 ** -126, MIN_NORMAL_D = 2 ** -1022;
const RMODE = 3 << 22;
/** A reserved FPSCR bit that reads as zero: set once the guest has read or written FPSCR. */
export const FPSCR_TRACK = 1 << 13;
/**
 * True while plain JavaScript arithmetic is what the FPU computes: round to nearest, and no
 * exception flags tracked (FPSCR_TRACK). The templates test it inline, so that the common
 * case neither calls a helper nor boxes its double result (V8 returns doubles from calls
 * that it does not inline as heap numbers: 1.4 GB of garbage in 100k n-body steps).
 */
const FP_PLAIN = `(cpu.fpscr & ${RMODE | FPSCR_TRACK | FPSCR_FZ}) === 0`;
/** FPSCR's cumulative flags: IOC, DZC, OFC, UFC, IXC (bits 0-4), IDC (bit 7). */
const IOC = 1, DZC = 2, OFC = 4, UFC = 8, IXC = 16, IDC = 128;
/**
 * True while plain JavaScript arithmetic also leaves the flags as they should be, once they
 * are tracked (as after glibc's strtod or float printing): round to nearest, no flush, and
 * Inexact already raised (FPSCR's flags are cumulative). A result that is then `ordinary`
 * raises nothing new: only a NaN, an infinity or a tiny result would.
 */
const FP_SETTLED = `(cpu.fpscr & ${RMODE | FPSCR_TRACK | FPSCR_FZ | IXC}) === ${FPSCR_TRACK | IXC}`;
/**
 * The result r of operation `op` (fpround.ts OP_*): `plain` (JavaScript's, rounded to nearest)
 * unless FPSCR asks for more, then `helper`'s. Either way a NaN comes out as a NaN, for the
 * template to make the ARM one.
 */
const fpResult = (op: number, plain: string, helper: string) =>
  `let r = ${plain}; if (!(${FP_PLAIN} || (${FP_SETTLED} && ${ordinaryResultCode(op, 'r')}))) r = ${helper};`;

// ---------------------------------------------------------------------------------------
// Defs.
// ---------------------------------------------------------------------------------------
// Operation numbers shared by the defs and the helpers.
const enum Op {
  HADD, QADD, RHADD, HSUB, QSUB, CGT, CGE, SHL, QSHL, RSHL, QRSHL, MAX, MIN, ABD, ABA, ADD, SUB, TST, CEQ, MLA, MLS,
  MUL, PMUL, QDMULH, QRDMULH, PMAX, PMIN, PADD,
  // float
  FADD, FSUB, FPADD, FABD, FMLA, FMLS, FMUL, FCEQ, FCGE, FCGT, FACGE, FACGT, FMAX, FMIN, FPMAX, FPMIN, FRECPS, FRSQRTS,
  FFMA, FFMS,
  // long, wide, narrow
  ADDL, ADDW, SUBL, SUBW, ADDHN, RADDHN, SUBHN, RSUBHN, ABAL, ABDL, MLAL, MLSL, MULL, PMULL, QDMLAL, QDMLSL, QDMULL,
  // shifts by immediate
  SHR, SRA, RSHR, RSRA, SRI, SHLI, SLI, QSHLI, QSHLU, SHRN, RSHRN, QSHRN, QRSHRN, QSHRUN, QRSHRUN, SHLL,
  // two registers, miscellaneous
  REV64, REV32, REV16, PADDL, PADAL, CLS, CLZ, CNT, QABS, QNEG, CGT0, CGE0, CEQ0, CLE0, CLT0, ABS, NEG,
  FCGT0, FCGE0, FCEQ0, FCLE0, FCLT0, FABS, FNEG, SWP, TRN, UZP, ZIP, MOVN, QMOVUN, QMOVN, SHLLMAX,
  RECPE, RSQRTE, FRECPE, FRSQRTE, CVTFS, CVTFU, CVTSF, CVTUF,
}

/**
 * Makes the VFP and NEON defs (A32 encodings; vfpThumbForm gives their Thumb forms). Run
 * once per process (vfpDefs), and not at all by the bundle, which has the ARM tables made
 * at build time (isa/prebuilt.ts).
 */
function generateVfpDefs(): InsnDef[] {
  const VFP_DEFS: InsnDef[] = [];
  /** What the defs need of the CPU (models.ts): VFPv2, and more inside `requiring` blocks. */
  const { tag, requiring } = featureScope();
  function def(name: string, mask: number, match: number, asm: string, code: string): void {
    VFP_DEFS.push(tag({ name, mask: mask >>> 0, match: match >>> 0, asm, code, flags: 0, requires: ARM_VFP }));
  }

  // ---- loads and stores ----
  def('vldr', 0x0f300f00, 0x0d100a00, 's$vsd, [$vrn, #$voff]', 'VI[$vsd] = ld32(valign((R[$vrn] & $vbase) + $voff, 3));');
  // (64-bit transfers: one inline accessor for both words, ld64 and st64, memory/access.ts.)
  def('vldr', 0x0f300f00, 0x0d100b00, 'd$vdd, [$vrn, #$voff]', 'ld64((R[$vrn] & $vbase) + $voff, VI, 2 * $vdd);');
  def('vstr', 0x0f300f00, 0x0d000a00, 's$vsd, [$vrn, #$voff]', 'st32(valign((R[$vrn] & $vbase) + $voff, 3), VI[$vsd]);');
  def('vstr', 0x0f300f00, 0x0d000b00, 'd$vdd, [$vrn, #$voff]', 'st64((R[$vrn] & $vbase) + $voff, VI, 2 * $vdd);');
  // VLDM/VSTM (VPUSH = vstmdb sp!, VPOP = vldmia sp!): increment after, or decrement before with
  // write-back. Coprocessor 10 (S registers) and 11 (D registers; an odd count is FLDMX/FSTMX).
  for (const cp of [0xa00, 0xb00]) {
    const regs = cp === 0xa00 ? 's$vsd' : 'd$vdd';
    def('vldmia', 0x0f900f00, 0x0c900000 | cp, `$vrn($vw), {${regs}+}, words $vcnt`,
      'const a = R[$vrn]; vmld(a, $vfirst, $vcnt, 3); if ($vw) R[$vrn] = a + $vbytes;');
    def('vstmia', 0x0f900f00, 0x0c800000 | cp, `$vrn($vw), {${regs}+}, words $vcnt`,
      'const a = R[$vrn]; vmst(a, $vfirst, $vcnt, 3); if ($vw) R[$vrn] = a + $vbytes;');
    def('vldmdb', 0x0fb00f00, 0x0d300000 | cp, `$vrn!, {${regs}+}, words $vcnt`,
      'const a = R[$vrn] - $vbytes; vmld(a, $vfirst, $vcnt, 3); R[$vrn] = a;');
    def('vstmdb', 0x0fb00f00, 0x0d200000 | cp, `$vrn!, {${regs}+}, words $vcnt`,
      'const a = R[$vrn] - $vbytes; vmst(a, $vfirst, $vcnt, 3); R[$vrn] = a;');
  }

  // ---- register transfers ----
  def('vmov', 0x0ff00f7f, 0x0e000a10, 's$vsn, $vrt', 'VI[$vsn] = R[$vrt];');
  def('vmov', 0x0ff00f7f, 0x0e100a10, '$vrt, s$vsn', 'R[$vrt] = VI[$vsn];');
  def('vmov', 0x0ff00fd0, 0x0c400a10, 's$vsm, s$vsm+1, $vrt, $vrt2', 'VI[$vsm] = R[$vrt]; VI[$vsm + 1] = R[$vrt2];');
  def('vmov', 0x0ff00fd0, 0x0c500a10, '$vrt, $vrt2, s$vsm, s$vsm+1', 'R[$vrt] = VI[$vsm]; R[$vrt2] = VI[$vsm + 1];');
  def('vmov', 0x0ff00fd0, 0x0c400b10, 'd$vdm, $vrt, $vrt2', 'VI[2 * $vdm] = R[$vrt]; VI[2 * $vdm + 1] = R[$vrt2];');
  def('vmov', 0x0ff00fd0, 0x0c500b10, '$vrt, $vrt2, d$vdm', 'R[$vrt] = VI[2 * $vdm]; R[$vrt2] = VI[2 * $vdm + 1];');
  // Core register <-> scalar (Dn at Vn:N here, whichever the direction).
  def('vmov.32', 0x0fd00f7f, 0x0e000b10, 'd$vdn[$vx32], $vrt', 'VI[2 * $vdn + $vx32] = R[$vrt];');
  requiring(ARM_NEON, () => def('vmov.16', 0x0fd00f3f, 0x0e000b30, 'd$vdn[$vx16], $vrt', 'VH[4 * $vdn + $vx16] = R[$vrt];'));
  requiring(ARM_NEON, () => def('vmov.8', 0x0fd00f1f, 0x0e400b10, 'd$vdn[$vx8], $vrt', 'VB[8 * $vdn + $vx8] = R[$vrt];'));
  def('vmov.32', 0x0fd00f7f, 0x0e100b10, '$vrt, d$vdn[$vx32]', 'R[$vrt] = VI[2 * $vdn + $vx32];');
  requiring(ARM_NEON, () => def('vmov.s16', 0x0fd00f3f, 0x0e100b30, '$vrt, d$vdn[$vx16]', 'R[$vrt] = VHs[4 * $vdn + $vx16];'));
  requiring(ARM_NEON, () => def('vmov.u16', 0x0fd00f3f, 0x0e900b30, '$vrt, d$vdn[$vx16]', 'R[$vrt] = VH[4 * $vdn + $vx16];'));
  requiring(ARM_NEON, () => def('vmov.s8', 0x0fd00f1f, 0x0e500b10, '$vrt, d$vdn[$vx8]', 'R[$vrt] = VBs[8 * $vdn + $vx8];'));
  requiring(ARM_NEON, () => def('vmov.u8', 0x0fd00f1f, 0x0ed00b10, '$vrt, d$vdn[$vx8]', 'R[$vrt] = VB[8 * $vdn + $vx8];'));
  // VDUP from a core register: B (bit 22) and E (bit 5) give the size, Q (bit 21) the length.
  requiring(ARM_NEON, () => {
    for (const [b, e, size] of [[0, 0, 32], [0, 1, 16], [1, 0, 8]]) {
      for (const q of [0, 1]) {
        const view = size === 32 ? 'VI' : size === 16 ? 'VH' : 'VB';
        const per = 64 / size;
        def(`vdup.${size}`, 0x0ff00f7f | (q ? 0x10000 : 0), 0x0e800b10 | (b << 22) | (q << 21) | (e << 5),
          q ? 'q$vqn, $vrt' : 'd$vdn, $vrt',
          `${view}.fill(R[$vrt], ${per} * $vdn, ${per} * ($vdn + ${q + 1}));`);
      }
    }
  });
  // FPSCR. Reading it (or writing it) starts exception-flag tracking.
  def('vmrs', 0x0fffffff, 0x0ef1fa10, 'APSR_nzcv, fpscr',
    `const f = cpu.fpscr; R[${N}] = f >>> 31; R[${Z}] = (f >>> 30) & 1; R[${C}] = (f >>> 29) & 1; R[${V}] = (f >>> 28) & 1;`);
  def('vmrs', 0x0fff0fff, 0x0ef10a10, '$vrt, fpscr', 'R[$vrt] = vfmrs();');
  def('vmsr', 0x0fff0fff, 0x0ee10a10, 'fpscr, $vrt', 'vfmsr(R[$vrt]);');

  // ---- data processing ----
  // cond 1110 opc1 Vn Vd 101 sz N op M 0 Vm: opc1 is bits 23, 21, 20 (bit 22 is D).
  const DP = 0x0e000a00, DP_MASK = 0x0fb00f50;
  const S3 = 's$vsd, s$vsn, s$vsm', D3 = 'd$vdd, d$vdn, d$vdm';
  /** A two-operand arithmetic op: plain JavaScript unless the result is a NaN. */
  function arith(name: string, opc: number, fs: string, fd: string, op: string): void {
    const kind = op === '*' ? OP_MUL : op === '/' ? OP_DIV : OP_ADD;
    def(`${name}.f32`, DP_MASK, DP | opc, S3,
      `${fpResult(kind | OP_SINGLE, `Math.fround(S[$vsn] ${op} S[$vsm])`, `${fs}(S[$vsn], S[$vsm])`)} if (r === r) S[$vsd] = r; else VI[$vsd] = vfnans(VI[$vsn], VI[$vsm]);`);
    def(`${name}.f64`, DP_MASK, DP | 0x100 | opc, D3,
      `${fpResult(kind, `D[$vdn] ${op} D[$vdm]`, `${fd}(D[$vdn], D[$vdm])`)} if (r === r) D[$vdd] = r; else vfnand($vdd, $vdn, $vdm);`);
  }
  arith('vadd', 0x300000, 'vfadds', 'vfaddd', '+');
  arith('vsub', 0x300040, 'vfsubs', 'vfsubd', '-');
  arith('vmul', 0x200000, 'vfmuls', 'vfmuld', '*');
  arith('vdiv', 0x800000, 'vfdivs', 'vfdivd', '/');
  // VNMUL: the negated product (a NaN product gets its sign flipped too).
  def('vnmul.f32', DP_MASK, DP | 0x200040, S3,
    'const r = vfmuls(S[$vsn], S[$vsm]); if (r === r) S[$vsd] = -r; else VI[$vsd] = vfnans(VI[$vsn], VI[$vsm]) ^ 0x80000000;');
  def('vnmul.f64', DP_MASK, DP | 0x100 | 0x200040, D3,
    'const r = vfmuld(D[$vdn], D[$vdm]); if (r === r) D[$vdd] = -r; else { vfnand($vdd, $vdn, $vdm); VI[2 * $vdd + 1] ^= 0x80000000; }');
  // Multiply-accumulate: op is 0 VMLA (d + p), 1 VMLS (d - p), 2 VNMLS (-d + p), 3 VNMLA (-d - p).
  // Chained ones round the product; fused ones (v4) do not (op: 0 VFMA, 1 VFMS, 2 VFNMS, 3 VFNMA).
  const MAC: [string, number, number][] = [
    ['vmla', 0x000000, 0], ['vmls', 0x000040, 1], ['vnmls', 0x100000, 2], ['vnmla', 0x100040, 3],
    ['vfma', 0xa00000, 0], ['vfms', 0xa00040, 1], ['vfnms', 0x900000, 2], ['vfnma', 0x900040, 3],
  ];
  for (const [name, opc, op] of MAC) {
    if (name.startsWith('vf')) {
      requiring(ARM_VFP4, () => {
        def(`${name}.f32`, DP_MASK, DP | opc, S3, `vffmas($vsd, $vsn, $vsm, ${op});`);
        def(`${name}.f64`, DP_MASK, DP | 0x100 | opc, D3, `vffmad($vdd, $vdn, $vdm, ${op});`);
      });
      continue;
    }
    // Chained: inline unless the result is a NaN (then the helper redoes it on the bits).
    const acc = op & 2 ? '-' : '', prod = op & 1 ? '-p' : 'p';
    // (Settled, an ordinary product and sum raise nothing new either.)
    const mac = (reg: string, n: string, m: string, d: string, round: (x: string) => string, mul: string, add: string, single: number) =>
      `const plain = ${FP_PLAIN}; let p = ${round(`${reg}[${n}] * ${reg}[${m}]`)}; ` +
      `const settled = !plain && ${FP_SETTLED} && ${ordinaryResultCode(OP_MUL | single, 'p')}; if (!plain && !settled) p = ${mul}(${reg}[${n}], ${reg}[${m}]); ` +
      `let r = ${round(`${acc}${reg}[${d}] + ${prod}`)}; if (!plain && !(settled && ${ordinaryResultCode(OP_ADD | single, 'r')})) r = ${add}(${acc}${reg}[${d}], ${prod}); `;
    def(`${name}.f32`, DP_MASK, DP | opc, S3,
      `${mac('S', '$vsn', '$vsm', '$vsd', (x) => `Math.fround(${x})`, 'vfmuls', 'vfadds', OP_SINGLE)}if (r === r) S[$vsd] = r; else vfmlas($vsd, $vsn, $vsm, ${op});`);
    def(`${name}.f64`, DP_MASK, DP | 0x100 | opc, D3,
      `${mac('D', '$vdn', '$vdm', '$vdd', (x) => x, 'vfmuld', 'vfaddd', 0)}if (r === r) D[$vdd] = r; else vfmlad($vdd, $vdn, $vdm, ${op});`);
  }

  // cond 1110 1D11 opc2 Vd 101 sz opc3 M 0 Vm: the other operations.
  const OT = 0x0eb00a40, OT_MASK = 0x0fbf0fd0;
  const S2 = 's$vsd, s$vsm', D2 = 'd$vdd, d$vdm';
  requiring(ARM_VFP3, () => {
    def('vmov.f32', 0x0fb00ff0, 0x0eb00a00, 's$vsd, #$vimms', 'VI[$vsd] = $vimms;');
    def('vmov.f64', 0x0fb00ff0, 0x0eb00b00, 'd$vdd, #$vimmd', 'VI[2 * $vdd] = 0; VI[2 * $vdd + 1] = $vimmd;');
  });
  def('vmov.f32', OT_MASK, OT, S2, 'VI[$vsd] = VI[$vsm];');
  def('vmov.f64', OT_MASK, OT | 0x100, D2, 'VI[2 * $vdd] = VI[2 * $vdm]; VI[2 * $vdd + 1] = VI[2 * $vdm + 1];');
  def('vabs.f32', OT_MASK, OT | 0x80, S2, 'VI[$vsd] = VI[$vsm] & 0x7fffffff;');
  def('vabs.f64', OT_MASK, OT | 0x180, D2, 'VI[2 * $vdd] = VI[2 * $vdm]; VI[2 * $vdd + 1] = VI[2 * $vdm + 1] & 0x7fffffff;');
  def('vneg.f32', OT_MASK, OT | 0x10000, S2, 'VI[$vsd] = VI[$vsm] ^ 0x80000000;');
  def('vneg.f64', OT_MASK, OT | 0x10100, D2, 'VI[2 * $vdd] = VI[2 * $vdm]; VI[2 * $vdd + 1] = VI[2 * $vdm + 1] ^ 0x80000000;');
  def('vsqrt.f32', OT_MASK, OT | 0x10080, S2,
    `${fpResult(OP_SQRT | OP_SINGLE, 'Math.fround(Math.sqrt(S[$vsm]))', 'vfsqrts(S[$vsm])')} if (r === r) S[$vsd] = r; else VI[$vsd] = vfnans(VI[$vsm], 0);`);
  def('vsqrt.f64', OT_MASK, OT | 0x10180, D2,
    `${fpResult(OP_SQRT, 'Math.sqrt(D[$vdm])', 'vfsqrtd(D[$vdm])')} if (r === r) D[$vdd] = r; else vfnand($vdd, $vdm, -1);`);
  // Comparisons set FPSCR.NZCV; VCMPE (E, bit 7) also signals on quiet NaNs.
  def('vcmp<e>.f32', 0x0fbf0f50, OT | 0x40000, 's$vsd, s$vsm ($ve)', 'vfcmps($vsd, $vsm, $ve);');
  def('vcmp<e>.f64', 0x0fbf0f50, OT | 0x40100, 'd$vdd, d$vdm ($ve)', 'vfcmpd($vdd, $vdm, $ve);');
  def('vcmp<e>.f32', 0x0fbf0f7f, OT | 0x50000, 's$vsd, #0 ($ve)', 'vfcmps($vsd, -1, $ve);');
  def('vcmp<e>.f64', 0x0fbf0f7f, OT | 0x50100, 'd$vdd, #0 ($ve)', 'vfcmpd($vdd, -1, $ve);');
  // Conversions between single and double.
  def('vcvt.f64.f32', OT_MASK, OT | 0x700c0, 'd$vdd, s$vsm',
    `const x = S[$vsm]; if (x === x && (cpu.fpscr & ${FPSCR_FZ}) === 0) D[$vdd] = x; else vfcvtds($vdd, $vsm);`);
  def('vcvt.f32.f64', OT_MASK, OT | 0x701c0, 's$vsd, d$vdm',
    'const x = D[$vdm]; if (x === x) S[$vsd] = vftos(x); else VI[$vsd] = vfnand2s($vdm);');
  // Integer to floating point (op, bit 7: signed); the source is always a single register.
  def('vcvt.f32.u32', OT_MASK, OT | 0x80000, 's$vsd, s$vsm', 'S[$vsd] = vftos(VI[$vsm] >>> 0);');
  def('vcvt.f32.s32', OT_MASK, OT | 0x80080, 's$vsd, s$vsm', 'S[$vsd] = vftos(VI[$vsm]);');
  def('vcvt.f64.u32', OT_MASK, OT | 0x80100, 'd$vdd, s$vsm', 'D[$vdd] = VI[$vsm] >>> 0;');
  def('vcvt.f64.s32', OT_MASK, OT | 0x80180, 'd$vdd, s$vsm', 'D[$vdd] = VI[$vsm];');
  // Floating point to integer: VCVT rounds toward zero, VCVTR (op = 0) in the FPSCR mode.
  for (const [signed, sfx] of [[0, 'u32'], [1, 's32']] as const) {
    for (const [rz, name] of [[1, 'vcvt'], [0, 'vcvtr']] as const) {
      const enc = OT | 0xc0000 | (signed << 16) | (rz << 7);
      def(`${name}.${sfx}.f32`, OT_MASK, enc, 's$vsd, s$vsm', `VI[$vsd] = vftoi(S[$vsm], ${signed}, ${rz}, ${MIN_NORMAL_S});`);
      def(`${name}.${sfx}.f64`, OT_MASK, enc | 0x100, 's$vsd, d$vdm', `VI[$vsd] = vftoi(D[$vdm], ${signed}, ${rz}, ${MIN_NORMAL_D});`);
    }
  }
  // Fixed point (the register is both source and destination): bits 18 (to fixed) and 16 (unsigned).
  requiring(ARM_VFP3, () => {
    for (const toFixed of [0, 1]) {
      for (const unsigned of [0, 1]) {
        const enc = OT | 0xa0000 | (toFixed << 18) | (unsigned << 16);
        const t = `${unsigned ? 'u' : 's'}<16|32>`;
        const [n32, n64] = toFixed ? [`vcvt.${t}.f32`, `vcvt.${t}.f64`] : [`vcvt.f32.${t}`, `vcvt.f64.${t}`];
        def(n32, 0x0fbf0f50, enc, 's$vsd, s$vsd, #$vfbits ($vsx)', `vfixs($vsd, ${toFixed}, ${unsigned}, $vsx, $vfbits);`);
        def(n64, 0x0fbf0f50, enc | 0x100, 'd$vdd, d$vdd, #$vfbits ($vsx)', `vfixd($vdd, ${toFixed}, ${unsigned}, $vsx, $vfbits);`);
      }
    }
    // Half precision (bit 7: the top half): VCVTB/VCVTT.
    def('vcvt<bt>.f32.f16', 0x0fbf0f50, OT | 0x20000, 's$vsd, s$vsm ($vop)', 'vfh2s($vsd, VI[$vsm], $vop);');
    def('vcvt<bt>.f16.f32', 0x0fbf0f50, OT | 0x30000, 's$vsd, s$vsm ($vop)', 'vfs2h($vsd, S[$vsm], VI[$vsm], $vop);');
  });

  // ---------------------------------------------------------------------------------------
  // Advanced SIMD (NEON). A32 encodings 1111 001U ... (data processing) and 1111 0100 ...
  // (element and structure loads and stores); masks always fix the U bit (T32 moves it into
  // the top byte). Element sizes that are UNDEFINED for an operation get no def. Helpers take
  // D register numbers (Qn is D2n, D2n+1) and a count of D registers.
  // ---------------------------------------------------------------------------------------
  function ndef(name: string, mask: number, match: number, asm: string, code: string): void {
    requiring(ARM_NEON, () => def(name, mask | 0xff000000, match | 0xf2000000, asm, code));
  }
  const Qd = (q: number) => (q ? 'q$vqd' : 'd$vdd'), Qn = (q: number) => (q ? 'q$vqn' : 'd$vdn'), Qm = (q: number) => (q ? 'q$vqm' : 'd$vdm');
  /** Q=0 and Q=1 forms; with Q=1 the named operands must be even (else UNDEFINED). */
  function qforms(name: string, mask: number, match: number, asm: (q: number) => string, code: (regs: number) => string, quads = 'dnm', qs = [0, 1]): void {
    for (const q of qs) {
      let m = mask | 0x40;
      if (q) m |= (quads.includes('d') ? 0x1000 : 0) | (quads.includes('n') ? 0x10000 : 0) | (quads.includes('m') ? 1 : 0);
      ndef(name, m, match | (q << 6), asm(q), code(q + 1));
    }
  }
  const SIZES = (list: number[]) => list.map((s) => [s, 8 << s] as const);
  const U_BIT = 0x01000000;

  // The common integer lane operations are written inline, on the view of their lane size (or
  // the register file's words), so that translated code does a few integer operations per lane
  // where the general helpers (nv3, nvsh) loop over a view chosen at run time, with a switch per
  // lane, and use BigInt for 64-bit lanes: 7-20 times slower. Hash functions and ciphers (SHA-256,
  // SHA-512, ChaCha in OpenSSL's NEON code) are made of the shifts and adds; vectorised loops of
  // the rest. A 64-bit lane k of D register d is VI[2 * (d + k)] (low word) and VI[2 * (d + k) + 1].

  /** The lanes of one size and signedness as the template environment names them. */
  const LANE_VIEWS = [['VBs', 'VHs', 'VI'], ['VB', 'VH', 'VU']];
  /** Element expressions (a: Vn's lane, b: Vm's, c: Vd's) of the same-length integer ops written inline. */
  const LANE_OPS = new Map<Op, (size: number) => string>([
    [Op.ADD, () => 'a + b'], [Op.SUB, () => 'a - b'],
    [Op.HADD, () => 'Math.floor((a + b) / 2)'], [Op.RHADD, () => 'Math.floor((a + b + 1) / 2)'], [Op.HSUB, () => 'Math.floor((a - b) / 2)'],
    [Op.CGT, () => '(a > b ? -1 : 0)'], [Op.CGE, () => '(a >= b ? -1 : 0)'], [Op.CEQ, () => '(a === b ? -1 : 0)'], [Op.TST, () => '((a & b) !== 0 ? -1 : 0)'],
    [Op.MAX, () => '(a > b ? a : b)'], [Op.MIN, () => '(a < b ? a : b)'], [Op.ABD, () => 'Math.abs(a - b)'], [Op.ABA, () => 'c + Math.abs(a - b)'],
    [Op.MUL, (size) => (size === 2 ? 'Math.imul(a, b)' : 'a * b')],
    [Op.MLA, (size) => (size === 2 ? 'c + Math.imul(a, b)' : 'c + a * b')], [Op.MLS, (size) => (size === 2 ? 'c - Math.imul(a, b)' : 'c - a * b')],
  ]);

  /** The same-length integer ops (VADD, VQADD, VMUL, VMLA, VMAX, VCEQ...), but for the shifts and doubling multiplies; null for those. */
  function laneIntCode(op: Op, sz: number, u: number, regs: number): string | null {
    if (sz === 3) return laneAddCode(op, regs);
    const v = LANE_VIEWS[u][sz], per = 8 >> sz;
    const lanes = (body: string) =>
      `for (let i = 0; i < ${per * regs}; i++) { const a = ${v}[${per} * $vdn + i], b = ${v}[${per} * $vdm + i], c = ${v}[${per} * $vdd + i]; ${body} }`;
    if (op === Op.QADD || op === Op.QSUB) {
      // Saturating: a result out of range is clamped and sets FPSCR.QC.
      const bits = 8 << sz, lo = u ? 0 : -(2 ** (bits - 1)), hi = u ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
      return lanes(`let r = a ${op === Op.QADD ? '+' : '-'} b; if (r > ${hi}) { r = ${hi}; cpu.fpscr |= ${FPSCR_QC}; } ` +
        `else if (r < ${lo}) { r = ${lo}; cpu.fpscr |= ${FPSCR_QC}; } ${v}[${per} * $vdd + i] = r;`);
    }
    const expr = LANE_OPS.get(op)?.(sz);
    return expr === undefined ? null : lanes(`${v}[${per} * $vdd + i] = ${expr};`);
  }

  /** VADD/VSUB on 64-bit lanes. */
  function laneAddCode(op: Op, regs: number): string | null {
    if (op !== Op.ADD && op !== Op.SUB) return null;
    const o = op === Op.ADD ? '+' : '-';
    const carry = op === Op.ADD ? '(lo > 0xffffffff ? 1 : 0)' : '(lo < 0 ? -1 : 0)';
    return `for (let i = 0; i < ${regs}; i++) { const d2 = 2 * ($vdd + i), n2 = 2 * ($vdn + i), m2 = 2 * ($vdm + i); ` +
      `const lo = (VI[n2] >>> 0) ${o} (VI[m2] >>> 0); VI[d2 + 1] = VI[n2 + 1] ${o} VI[m2 + 1] + ${carry}; VI[d2] = lo; }`;
  }

  /** VSHR, VSRA, VSHL, VSLI and VSRI by an immediate on 32- or 64-bit lanes; null for the rest. */
  function laneShiftCode(op: Op, sz: number, u: number, regs: number, amt: string): string | null {
    if (op !== Op.SHR && op !== Op.SRA && op !== Op.SHLI && op !== Op.SLI && op !== Op.SRI) return null;
    const left = op === Op.SHLI || op === Op.SLI, signed = !u && op !== Op.SRI;
    if (sz === 2) {
      const a = 'VI[2 * $vdm + i]', dst = 'VI[2 * $vdd + i]';
      const shifted = left ? `${a} << sh` : signed ? `${a} >> (sh > 31 ? 31 : sh)` : `(sh > 31 ? 0 : ${a} >>> sh)`;
      const store = op === Op.SHR || op === Op.SHLI ? `${dst} = ${shifted};`
        : op === Op.SRA ? `${dst} += ${shifted};`
        : op === Op.SLI ? `${dst} = (${dst} & ~(-1 << sh)) | ${shifted};`
        : `if (sh < 32) ${dst} = (${dst} & ~(-1 >>> sh)) | ${shifted};`;
      return `{ const sh = ${amt}; for (let i = 0; i < ${2 * regs}; i++) ${store} }`;
    }
    if (sz !== 3) return null;
    const rs = signed ? '>>' : '>>>', fill = signed ? 'hi >> 31' : '0';
    const shift = left // by 0..63
      ? 'const rhi = sh === 0 ? hi : sh < 32 ? (hi << sh) | (lo >>> (32 - sh)) : lo << (sh - 32), rlo = sh < 32 ? lo << sh : 0;'
      : `const rlo = sh < 32 ? (lo >>> sh) | (hi << (32 - sh)) : sh < 64 ? hi ${rs} (sh - 32) : ${fill}, ` + // by 1..64
        `rhi = sh < 32 ? hi ${rs} sh : ${fill};`;
    const store = op === Op.SHR || op === Op.SHLI ? 'VI[d2] = rlo; VI[d2 + 1] = rhi;'
      : op === Op.SRA ? 'const sum = (VI[d2] >>> 0) + (rlo >>> 0); VI[d2 + 1] += rhi + (sum > 0xffffffff ? 1 : 0); VI[d2] = sum;'
      : op === Op.SLI ? 'VI[d2] = (VI[d2] & (sh >= 32 ? -1 : ~(-1 << sh))) | rlo; VI[d2 + 1] = (VI[d2 + 1] & (sh >= 32 ? ~(-1 << (sh - 32)) : 0)) | rhi;'
      : 'VI[d2] = (VI[d2] & (sh >= 64 ? -1 : sh > 32 ? ~(-1 >>> (sh - 32)) : 0)) | rlo; VI[d2 + 1] = (VI[d2 + 1] & (sh >= 32 ? -1 : ~(-1 >>> sh))) | rhi;';
    return `{ const sh = ${amt}; for (let i = 0; i < ${regs}; i++) { const d2 = 2 * ($vdd + i), m2 = 2 * ($vdm + i); ` +
      `const lo = VI[m2], hi = VI[m2 + 1]; ${shift} ${store} } }`;
  }

  // ---- three registers of the same length: 1111 001U 0 D size Vn Vd opc N Q M B Vm ----
  const THREE = 0x00800f10;
  const sameInt: [string, number, number, number[], number, Op][] = [
    // name, opc, B, U values (-1: both, signed/unsigned), sizes, op
    ['vhadd', 0, 0, [0, 1, 2], -1, Op.HADD], ['vqadd', 0, 1, [0, 1, 2, 3], -1, Op.QADD],
    ['vrhadd', 1, 0, [0, 1, 2], -1, Op.RHADD], ['vhsub', 2, 0, [0, 1, 2], -1, Op.HSUB], ['vqsub', 2, 1, [0, 1, 2, 3], -1, Op.QSUB],
    ['vcgt', 3, 0, [0, 1, 2], -1, Op.CGT], ['vcge', 3, 1, [0, 1, 2], -1, Op.CGE],
    ['vshl', 4, 0, [0, 1, 2, 3], -1, Op.SHL], ['vqshl', 4, 1, [0, 1, 2, 3], -1, Op.QSHL],
    ['vrshl', 5, 0, [0, 1, 2, 3], -1, Op.RSHL], ['vqrshl', 5, 1, [0, 1, 2, 3], -1, Op.QRSHL],
    ['vmax', 6, 0, [0, 1, 2], -1, Op.MAX], ['vmin', 6, 1, [0, 1, 2], -1, Op.MIN],
    ['vabd', 7, 0, [0, 1, 2], -1, Op.ABD], ['vaba', 7, 1, [0, 1, 2], -1, Op.ABA],
    ['vadd.i', 8, 0, [0, 1, 2, 3], 0, Op.ADD], ['vsub.i', 8, 0, [0, 1, 2, 3], 1, Op.SUB],
    ['vtst.', 8, 1, [0, 1, 2], 0, Op.TST], ['vceq.i', 8, 1, [0, 1, 2], 1, Op.CEQ],
    ['vmla.i', 9, 0, [0, 1, 2], 0, Op.MLA], ['vmls.i', 9, 0, [0, 1, 2], 1, Op.MLS],
    ['vmul.i', 9, 1, [0, 1, 2], 0, Op.MUL], ['vmul.p', 9, 1, [0], 1, Op.PMUL],
    ['vqdmulh.s', 11, 0, [1, 2], 0, Op.QDMULH], ['vqrdmulh.s', 11, 0, [1, 2], 1, Op.QRDMULH],
  ];
  for (const [name, opc, b, sizes, us, op] of sameInt) {
    for (const u of us < 0 ? [0, 1] : [us]) {
      const nm = us < 0 ? `${name}.${u ? 'u' : 's'}` : name;
      // The register shifts take the value from Vm and the shift from Vn.
      const shift = op === Op.SHL || op === Op.QSHL || op === Op.RSHL || op === Op.QRSHL;
      for (const [sz, es] of SIZES(sizes)) {
        qforms(`${nm}${es}`, THREE | 0x300000, (u ? U_BIT : 0) | (sz << 20) | (opc << 8) | (b << 4),
          (q) => (shift ? `${Qd(q)}, ${Qm(q)}, ${Qn(q)}` : `${Qd(q)}, ${Qn(q)}, ${Qm(q)}`),
          (regs) => {
            // (For VQ(R)DMULH, U is the rounding bit: the elements are signed.)
            const sg = op === Op.QDMULH || op === Op.QRDMULH ? 0 : u;
            if (shift) return `nv3(${op}, ${sz}, ${sg}, $vdd, $vdm, $vdn, ${regs});`;
            return laneIntCode(op, sz, sg, regs) ?? `nv3(${op}, ${sz}, ${sg}, $vdd, $vdn, $vdm, ${regs});`;
          });
      }
    }
  }
  // Pairwise (D registers only).
  for (const [name, opc, b, us, op] of [['vpmax', 10, 0, -1, Op.PMAX], ['vpmin', 10, 1, -1, Op.PMIN], ['vpadd.i', 11, 1, 0, Op.PADD]] as const) {
    for (const u of us < 0 ? [0, 1] : [us]) {
      for (const [sz, es] of SIZES([0, 1, 2])) {
        ndef(`${us < 0 ? `${name}.${u ? 'u' : 's'}` : name}${es}`, THREE | 0x300040, (u ? U_BIT : 0) | (sz << 20) | (opc << 8) | (b << 4),
          'd$vdd, d$vdn, d$vdm', `nvp(${op}, ${sz}, ${u}, $vdd, $vdn, $vdm);`);
      }
    }
  }
  // Bitwise: opc 0001, B 1; U and size choose the operation. Done on words, in the template.
  const LOGIC: [string, number, number, string][] = [
    ['vand', 0, 0, 'a & b'], ['vbic', 0, 1, 'a & ~b'], ['vorr', 0, 2, 'a | b'], ['vorn', 0, 3, 'a | ~b'],
    ['veor', 1, 0, 'a ^ b'], ['vbsl', 1, 1, '(a & c) | (b & ~c)'], ['vbit', 1, 2, '(a & b) | (c & ~b)'], ['vbif', 1, 3, '(c & b) | (a & ~b)'],
  ];
  for (const [name, u, sz, expr] of LOGIC) {
    qforms(name, THREE | 0x300000, (u ? U_BIT : 0) | (sz << 20) | 0x110, (q) => `${Qd(q)}, ${Qn(q)}, ${Qm(q)}`, (regs) =>
      `for (let i = 0; i < ${2 * regs}; i++) { const a = VI[2 * $vdn + i], b = VI[2 * $vdm + i], c = VI[2 * $vdd + i]; VI[2 * $vdd + i] = ${expr}; }`);
  }
  // Floating point (F32; bit 20 is the size, bit 21 part of the opcode).
  const sameFloat: [string, number, number, number, number, Op, boolean][] = [
    // name, opc, B, U, bit 21, op, pairwise
    ['vadd.f32', 13, 0, 0, 0, Op.FADD, false], ['vsub.f32', 13, 0, 0, 1, Op.FSUB, false],
    ['vpadd.f32', 13, 0, 1, 0, Op.FPADD, true], ['vabd.f32', 13, 0, 1, 1, Op.FABD, false],
    ['vmla.f32', 13, 1, 0, 0, Op.FMLA, false], ['vmls.f32', 13, 1, 0, 1, Op.FMLS, false], ['vmul.f32', 13, 1, 1, 0, Op.FMUL, false],
    ['vceq.f32', 14, 0, 0, 0, Op.FCEQ, false], ['vcge.f32', 14, 0, 1, 0, Op.FCGE, false], ['vcgt.f32', 14, 0, 1, 1, Op.FCGT, false],
    ['vacge.f32', 14, 1, 1, 0, Op.FACGE, false], ['vacgt.f32', 14, 1, 1, 1, Op.FACGT, false],
    ['vmax.f32', 15, 0, 0, 0, Op.FMAX, false], ['vmin.f32', 15, 0, 0, 1, Op.FMIN, false],
    ['vpmax.f32', 15, 0, 1, 0, Op.FPMAX, true], ['vpmin.f32', 15, 0, 1, 1, Op.FPMIN, true],
    ['vrecps.f32', 15, 1, 0, 0, Op.FRECPS, false], ['vrsqrts.f32', 15, 1, 0, 1, Op.FRSQRTS, false],
    ['vfma.f32', 12, 1, 0, 0, Op.FFMA, false], ['vfms.f32', 12, 1, 0, 1, Op.FFMS, false],
  ];
  for (const [name, opc, b, u, op21, op, pairwise] of sameFloat) {
    const match = (u ? U_BIT : 0) | (op21 << 21) | (opc << 8) | (b << 4);
    if (pairwise) ndef(name, THREE | 0x300040, match, 'd$vdd, d$vdn, d$vdm', `nvpf(${op}, $vdd, $vdn, $vdm);`);
    else qforms(name, THREE | 0x300000, match, (q) => `${Qd(q)}, ${Qn(q)}, ${Qm(q)}`, (regs) => `nv3f(${op}, $vdd, $vdn, $vdm, ${regs});`);
  }

  // ---- three registers of different lengths: 1111 001U 1 D size Vn Vd opc N 0 M 0 Vm ----
  const DIFF = 0x00b00f50;
  /** Element expressions (a: Vn's lane, b: Vm's, c: Qd's) of the long ops written inline (results twice as wide). */
  const LONG_OPS = new Map<Op, string>([
    [Op.ADDL, 'a + b'], [Op.ADDW, 'a + b'], [Op.SUBL, 'a - b'], [Op.SUBW, 'a - b'], [Op.ABAL, 'c + Math.abs(a - b)'],
    [Op.ABDL, 'Math.abs(a - b)'], [Op.MLAL, 'c + a * b'], [Op.MLSL, 'c - a * b'], [Op.MULL, 'a * b'],
  ]);

  /**
   * VADDL, VADDW, VSUBL, VSUBW, VABAL, VABDL, VMLAL, VMLSL and VMULL (8 and 16-bit lanes; VMULL,
   * VMLAL and VMLSL on 32-bit lanes too, from the words of the product); null for the rest. The
   * lanes go through LT first: the Q destination may be one of the D sources.
   */
  function laneLongCode(op: Op, sz: number, u: number): string | null {
    const per = 8 >> sz, wper = per >> 1;
    if (sz === 2) {
      if (op !== Op.MULL && op !== Op.MLAL && op !== Op.MLSL) return null;
      const v = LANE_VIEWS[u][2];
      const acc = op === Op.MULL ? 'LT[2 * i] = plo; LT[2 * i + 1] = phi;'
        : op === Op.MLAL ? 'const lo = (VI[2 * ($vdd + i)] >>> 0) + (plo >>> 0); LT[2 * i] = lo; LT[2 * i + 1] = VI[2 * ($vdd + i) + 1] + phi + (lo > 0xffffffff ? 1 : 0);'
        : 'const lo = (VI[2 * ($vdd + i)] >>> 0) - (plo >>> 0); LT[2 * i] = lo; LT[2 * i + 1] = VI[2 * ($vdd + i) + 1] - phi - (lo < 0 ? 1 : 0);';
      return `for (let i = 0; i < 2; i++) { const a = ${v}[2 * $vdn + i], b = ${v}[2 * $vdm + i], plo = Math.imul(a, b), phi = ${mulhExpr(u === 0, 'a', 'b')}; ${acc} } ` +
        'for (let i = 0; i < 4; i++) VI[2 * $vdd + i] = LT[i];';
    }
    const expr = LONG_OPS.get(op);
    if (expr === undefined) return null;
    const narrow = LANE_VIEWS[u][sz], wide = LANE_VIEWS[u][sz + 1];
    const a = op === Op.ADDW || op === Op.SUBW ? `${wide}[${wper} * $vdn + i]` : `${narrow}[${per} * $vdn + i]`;
    return `for (let i = 0; i < ${per}; i++) { const a = ${a}, b = ${narrow}[${per} * $vdm + i], c = ${wide}[${wper} * $vdd + i]; LT[i] = ${expr}; } ` +
      `for (let i = 0; i < ${per}; i++) ${wide}[${wper} * $vdd + i] = LT[i];`;
  }

  const diff: [string, number, number, Op, string][] = [
    // name, opc, U (-1: both), op, operand shapes (d: Q or D, n: Q or D)
    ['vaddl', 0, -1, Op.ADDL, 'QDD'], ['vaddw', 1, -1, Op.ADDW, 'QQD'], ['vsubl', 2, -1, Op.SUBL, 'QDD'], ['vsubw', 3, -1, Op.SUBW, 'QQD'],
    ['vaddhn.i', 4, 0, Op.ADDHN, 'DQQ'], ['vraddhn.i', 4, 1, Op.RADDHN, 'DQQ'], ['vabal', 5, -1, Op.ABAL, 'QDD'],
    ['vsubhn.i', 6, 0, Op.SUBHN, 'DQQ'], ['vrsubhn.i', 6, 1, Op.RSUBHN, 'DQQ'], ['vabdl', 7, -1, Op.ABDL, 'QDD'],
    ['vmlal', 8, -1, Op.MLAL, 'QDD'], ['vmlsl', 10, -1, Op.MLSL, 'QDD'], ['vmull', 12, -1, Op.MULL, 'QDD'],
    ['vqdmlal.s', 9, 0, Op.QDMLAL, 'QDD'], ['vqdmlsl.s', 11, 0, Op.QDMLSL, 'QDD'], ['vqdmull.s', 13, 0, Op.QDMULL, 'QDD'],
  ];
  for (const [name, opc, us, op, shape] of diff) {
    for (const u of us < 0 ? [0, 1] : [us]) {
      const sizes = op === Op.QDMLAL || op === Op.QDMLSL || op === Op.QDMULL ? [1, 2] : [0, 1, 2];
      for (const [sz, es] of SIZES(sizes)) {
        const nm = us < 0 ? `${name}.${u ? 'u' : 's'}${es}` : `${name}${es * (shape === 'DQQ' ? 2 : 1)}`;
        const even = (shape[0] === 'Q' ? 0x1000 : 0) | (shape[1] === 'Q' ? 0x10000 : 0) | (shape[2] === 'Q' ? 1 : 0);
        const r = (c: string, f: string) => (c === 'Q' ? `q$vq${f}` : `d$vd${f}`);
        ndef(nm, DIFF | even, (u ? U_BIT : 0) | 0x800000 | (sz << 20) | (opc << 8),
          `${r(shape[0], 'd')}, ${r(shape[1], 'n')}, ${r(shape[2], 'm')}`, laneLongCode(op, sz, u) ?? `nvl(${op}, ${sz}, ${u}, $vdd, $vdn, $vdm);`);
      }
    }
  }
  for (const u of [0]) {
    ndef('vmull.p8', DIFF | 0x1000, (u ? U_BIT : 0) | 0x800e00, 'q$vqd, d$vdn, d$vdm', `nvl(${Op.PMULL}, 0, 1, $vdd, $vdn, $vdm);`);
  }

  // ---- two registers and a scalar: 1111 001Q 1 D size Vn Vd opc N 1 M 0 Vm ----
  const scalarOps: [string, number, Op, boolean, boolean][] = [
    // name, opc, op, long (bit 24 is U, not Q), float
    ['vmla.i', 0, Op.MLA, false, false], ['vmla.f32', 1, Op.FMLA, false, true], ['vmls.i', 4, Op.MLS, false, false],
    ['vmls.f32', 5, Op.FMLS, false, true], ['vmul.i', 8, Op.MUL, false, false], ['vmul.f32', 9, Op.FMUL, false, true],
    ['vqdmulh.s', 12, Op.QDMULH, false, false], ['vqrdmulh.s', 13, Op.QRDMULH, false, false],
    ['vmlal', 2, Op.MLAL, true, false], ['vmlsl', 6, Op.MLSL, true, false], ['vmull', 10, Op.MULL, true, false],
    ['vqdmlal.s', 3, Op.QDMLAL, true, false], ['vqdmlsl.s', 7, Op.QDMLSL, true, false], ['vqdmull.s', 11, Op.QDMULL, true, false],
  ];
  for (const [name, opc, op, long, float] of scalarOps) {
    for (const bit24 of [0, 1]) {
      if (long && op >= Op.QDMLAL && bit24) continue;
      for (const [sz, es] of SIZES(float ? [2] : [1, 2])) {
        const match = (bit24 ? U_BIT : 0) | 0x800040 | (sz << 20) | (opc << 8);
        if (long) {
          const nm = op >= Op.QDMLAL ? `${name}${es}` : `${name}.${bit24 ? 'u' : 's'}${es}`;
          ndef(nm, DIFF | 0x1000, match, 'q$vqd, d$vdn, d$vscm[$vscx]', `nvsl(${op}, ${sz}, ${bit24}, $vdd, $vdn, $vscm, $vscx);`);
        } else {
          const nm = float ? name : `${name}${es}`;
          const even = bit24 ? 0x11000 : 0;
          ndef(nm, DIFF | even, match, `${Qd(bit24)}, ${Qn(bit24)}, d$vscm[$vscx]`,
            `nvs(${op}, ${sz}, $vdd, $vdn, $vscm, $vscx, ${bit24 + 1});`);
        }
      }
    }
  }

  // ---- two registers and a shift amount: 1111 001U 1 D imm6 Vd opc L Q M 1 Vm ----
  // Size variants: L=1 (64-bit), else the leading one of imm6 (bit 21: 32, bit 20: 16, bit 19: 8).
  const SHIFT_SIZES: [number, number, number][] = [[3, 0x80, 0x80], [2, 0x200080, 0x200000], [1, 0x300080, 0x100000], [0, 0x380080, 0x080000]];
  const shifts: [string, number, number, Op, number[], boolean][] = [
    // name, opc, U (-1 both), op, sizes, right shift
    ['vshr', 0, -1, Op.SHR, [0, 1, 2, 3], true], ['vsra', 1, -1, Op.SRA, [0, 1, 2, 3], true],
    ['vrshr', 2, -1, Op.RSHR, [0, 1, 2, 3], true], ['vrsra', 3, -1, Op.RSRA, [0, 1, 2, 3], true],
    ['vsri.', 4, 1, Op.SRI, [0, 1, 2, 3], true], ['vshl.i', 5, 0, Op.SHLI, [0, 1, 2, 3], false], ['vsli.', 5, 1, Op.SLI, [0, 1, 2, 3], false],
    ['vqshlu.s', 6, 1, Op.QSHLU, [0, 1, 2, 3], false], ['vqshl', 7, -1, Op.QSHLI, [0, 1, 2, 3], false],
  ];
  for (const [name, opc, us, op, sizes, right] of shifts) {
    for (const u of us < 0 ? [0, 1] : [us]) {
      for (const [sz, mask, match] of SHIFT_SIZES.filter(([s]) => sizes.includes(s))) {
        const nm = `${us < 0 ? `${name}.${u ? 'u' : 's'}` : name}${8 << sz}`;
        const amt = right ? '$vshr' : '$vshl';
        qforms(nm, 0x00800f10 | mask, (u ? U_BIT : 0) | 0x800010 | match | (opc << 8), (q) => `${Qd(q)}, ${Qm(q)}, #${amt}`,
          (regs) => laneShiftCode(op, sz, u, regs, amt) ?? `nvsh(${op}, ${sz}, ${u}, $vdd, $vdm, ${amt}, ${regs});`, 'dm');
      }
    }
  }
  // Narrowing right shifts (Dd from Qm; bit 6 chooses rounding) and the long left shift.
  const narrow: [string, number, number, number, Op][] = [
    // name, opc, U, bit 6, op
    ['vshrn.i', 8, 0, 0, Op.SHRN], ['vrshrn.i', 8, 0, 1, Op.RSHRN], ['vqshrun.s', 8, 1, 0, Op.QSHRUN], ['vqrshrun.s', 8, 1, 1, Op.QRSHRUN],
    ['vqshrn.s', 9, 0, 0, Op.QSHRN], ['vqrshrn.s', 9, 0, 1, Op.QRSHRN], ['vqshrn.u', 9, 1, 0, Op.QSHRN], ['vqrshrn.u', 9, 1, 1, Op.QRSHRN],
  ];
  for (const [name, opc, u, b6, op] of narrow) {
    for (const [sz, mask, match] of SHIFT_SIZES.slice(1)) {
      ndef(`${name}${16 << sz}`, 0x00800fd0 | 0x1 | mask, (u ? U_BIT : 0) | 0x800010 | match | (opc << 8) | (b6 << 6),
        'd$vdd, q$vqm, #$vshr', `nvsh(${op}, ${sz}, ${u}, $vdd, $vdm, $vshr, 1);`);
    }
  }
  for (const u of [0, 1]) {
    for (const [sz, mask, match] of SHIFT_SIZES.slice(1)) {
      ndef(`vshll.${u ? 'u' : 's'}${8 << sz}`, 0x00800fd0 | 0x1000 | mask, (u ? U_BIT : 0) | 0x800a10 | match,
        'q$vqd, d$vdm, #$vshl', `nvsh(${Op.SHLL}, ${sz}, ${u}, $vdd, $vdm, $vshl, 1);`);
    }
  }
  // Fixed-point conversions (imm6 = 64 - fbits; bit 8: to fixed).
  for (const u of [0, 1]) {
    for (const toFixed of [0, 1]) {
      const t = u ? 'u32' : 's32';
      qforms(toFixed ? `vcvt.${t}.f32` : `vcvt.f32.${t}`, 0x00a00f90, (u ? U_BIT : 0) | 0xa00e10 | (toFixed << 8),
        (q) => `${Qd(q)}, ${Qm(q)}, #$vshr`, (regs) => `nvcvtx(${toFixed}, ${u}, $vdd, $vdm, $vshr, ${regs});`, 'dm');
    }
  }

  // ---- one register and a modified immediate: 1111 001i 1 D 000 imm3 Vd cmode 0 Q op 1 imm4 ----
  // cmode groups: [mask bits of cmode, value]; kinds: 0 move, 1 move inverted, 2 or, 3 and-not.
  const MODIMM_GROUPS: [number, number, number, number, string][] = [
    // cmode mask, cmode, op, kind, name
    [0x9, 0x0, 0, 0, 'vmov.i32'], [0xd, 0x8, 0, 0, 'vmov.i16'], [0xe, 0xc, 0, 0, 'vmov.i32'], [0xf, 0xe, 0, 0, 'vmov.i8'],
    [0xf, 0xf, 0, 0, 'vmov.f32'], [0xf, 0xe, 1, 0, 'vmov.i64'],
    [0x9, 0x0, 1, 1, 'vmvn.i32'], [0xd, 0x8, 1, 1, 'vmvn.i16'], [0xe, 0xc, 1, 1, 'vmvn.i32'],
    [0x9, 0x1, 0, 2, 'vorr.i32'], [0xd, 0x9, 0, 2, 'vorr.i16'], [0x9, 0x1, 1, 3, 'vbic.i32'], [0xd, 0x9, 1, 3, 'vbic.i16'],
  ];
  for (const [cmask, cmode, op, kind, name] of MODIMM_GROUPS) {
    for (const i of [0, 1]) {
      const value = kind === 1 || kind === 3 ? ['~$vimlo', '~$vimhi'] : ['$vimlo', '$vimhi'];
      const body = (w: string, v: string) =>
        kind === 2 ? `VI[${w}] |= ${v};` : kind === 3 ? `VI[${w}] &= ${v};` : `VI[${w}] = ${v};`;
      qforms(name, 0x00b80090 | (cmask << 8) | 0x20, (i ? U_BIT : 0) | 0x800010 | (cmode << 8) | (op << 5),
        (q) => `${Qd(q)}, #$vimhi:$vimlo`, (regs) =>
          `for (let i = 0; i < ${2 * regs}; i += 2) { ${body('2 * $vdd + i', value[0])} ${body('2 * $vdd + i + 1', value[1])} }`, 'd');
    }
  }

  // ---- VEXT, VTBL/VTBX, VDUP (scalar) ----
  // (A D-register VEXT takes bytes 0-7 only.)
  ndef('vext.8', 0x00b00850, 0x00b00000, 'd$vdd, d$vdn, d$vdm, #$vimm4', 'nvext($vdd, $vdn, $vdm, $vimm4, 1);');
  ndef('vext.8', 0x00b11051, 0x00b00040, 'q$vqd, q$vqn, q$vqm, #$vimm4', 'nvext($vdd, $vdn, $vdm, $vimm4, 2);');
  ndef('vtbl.8', 0x00b00c50, 0x01b00800, 'd$vdd, {d$vdn}+$vlen, d$vdm', 'nvtbl($vdd, $vdn, $vlen, $vdm, 0);');
  ndef('vtbx.8', 0x00b00c50, 0x01b00840, 'd$vdd, {d$vdn}+$vlen, d$vdm', 'nvtbl($vdd, $vdn, $vlen, $vdm, 1);');
  for (const [sz, mask, match, x] of [[0, 0x10000, 0x10000, '$vdx8'], [1, 0x30000, 0x20000, '$vdx16'], [2, 0x70000, 0x40000, '$vdx32']] as const) {
    qforms(`vdup.${8 << sz}`, 0x00b00f90 | mask, 0x01b00c00 | match, (q) => `${Qd(q)}, d$vdm[${x}]`,
      (regs) => `nvdup(${sz}, $vdd, $vdm, ${x}, ${regs});`, 'd');
  }

  // ---- two registers, miscellaneous: 1111 0011 1 D 11 size A Vd 0 opc Q M 0 Vm ----
  const misc: [string, number, number, Op, number[], string][] = [
    // name (with .s/.u or not), A (bits 17-16), opc (bits 10-7), op, sizes, quads ('dm' or '' for shapes below)
    ['vrev64.', 0, 0x0, Op.REV64, [0, 1, 2], 'dm'], ['vrev32.', 0, 0x1, Op.REV32, [0, 1], 'dm'], ['vrev16.', 0, 0x2, Op.REV16, [0], 'dm'],
    ['vpaddl.s', 0, 0x4, Op.PADDL, [0, 1, 2], 'dm'], ['vpaddl.u', 0, 0x5, Op.PADDL, [0, 1, 2], 'dm'],
    ['vcls.s', 0, 0x8, Op.CLS, [0, 1, 2], 'dm'], ['vclz.i', 0, 0x9, Op.CLZ, [0, 1, 2], 'dm'], ['vcnt.', 0, 0xa, Op.CNT, [0], 'dm'],
    ['vmvn', 0, 0xb, Op.NEG, [0], 'dm'], ['vpadal.s', 0, 0xc, Op.PADAL, [0, 1, 2], 'dm'], ['vpadal.u', 0, 0xd, Op.PADAL, [0, 1, 2], 'dm'],
    ['vqabs.s', 0, 0xe, Op.QABS, [0, 1, 2], 'dm'], ['vqneg.s', 0, 0xf, Op.QNEG, [0, 1, 2], 'dm'],
    ['vcgt.s', 1, 0x0, Op.CGT0, [0, 1, 2], 'dm'], ['vcge.s', 1, 0x1, Op.CGE0, [0, 1, 2], 'dm'], ['vceq.i', 1, 0x2, Op.CEQ0, [0, 1, 2], 'dm'],
    ['vcle.s', 1, 0x3, Op.CLE0, [0, 1, 2], 'dm'], ['vclt.s', 1, 0x4, Op.CLT0, [0, 1, 2], 'dm'],
    ['vabs.s', 1, 0x6, Op.ABS, [0, 1, 2], 'dm'], ['vneg.s', 1, 0x7, Op.NEG, [0, 1, 2], 'dm'],
    ['vcgt.f', 1, 0x8, Op.FCGT0, [2], 'dm'], ['vcge.f', 1, 0x9, Op.FCGE0, [2], 'dm'], ['vceq.f', 1, 0xa, Op.FCEQ0, [2], 'dm'],
    ['vcle.f', 1, 0xb, Op.FCLE0, [2], 'dm'], ['vclt.f', 1, 0xc, Op.FCLT0, [2], 'dm'], ['vabs.f', 1, 0xe, Op.FABS, [2], 'dm'],
    ['vneg.f', 1, 0xf, Op.FNEG, [2], 'dm'],
    ['vswp', 2, 0x0, Op.SWP, [0], 'dm'], ['vtrn.', 2, 0x1, Op.TRN, [0, 1, 2], 'dm'], ['vuzp.', 2, 0x2, Op.UZP, [0, 1, 2], 'dm'],
    ['vzip.', 2, 0x3, Op.ZIP, [0, 1, 2], 'dm'],
    ['vrecpe.u', 3, 0x8, Op.RECPE, [2], 'dm'], ['vrsqrte.u', 3, 0x9, Op.RSQRTE, [2], 'dm'],
    ['vrecpe.f', 3, 0xa, Op.FRECPE, [2], 'dm'], ['vrsqrte.f', 3, 0xb, Op.FRSQRTE, [2], 'dm'],
    ['vcvt.f32.s', 3, 0xc, Op.CVTFS, [2], 'dm'], ['vcvt.f32.u', 3, 0xd, Op.CVTFU, [2], 'dm'],
    ['vcvt.s32.f', 3, 0xe, Op.CVTSF, [2], 'dm'], ['vcvt.u32.f', 3, 0xf, Op.CVTUF, [2], 'dm'],
  ];
  const MISC = 0x00b30f90;
  for (const [name, a, opc, op, sizes, quads] of misc) {
    for (const sz of sizes) {
      // VMVN is a bitwise NOT; the helper knows it by its opc.
      const code = (regs: number) => `nvmisc(${name === 'vmvn' ? -1 : op}, ${sz}, ${opc & 1}, $vdd, $vdm, ${regs});`;
      // VUZP.32 and VZIP.32 of D registers are UNDEFINED (two words: VTRN.32 does it).
      const qs = (name === 'vuzp.' || name === 'vzip.') && sz === 2 ? [1] : [0, 1];
      qforms(`${name}${name === 'vmvn' || name === 'vswp' ? '' : 8 << sz}`, MISC | 0xc0000, 0x01b00000 | (sz << 18) | (a << 16) | (opc << 7),
        (q) => `${Qd(q)}, ${Qm(q)}`, code, quads, qs);
    }
  }
  // Narrowing moves (Dd from Qm) and the maximum long shift (Qd from Dm).
  for (const [name, b, op] of [['vmovn.i', 0x8, Op.MOVN], ['vqmovun.s', 0x9, Op.QMOVUN], ['vqmovn.s', 0xa, Op.QMOVN], ['vqmovn.u', 0xb, Op.QMOVN]] as const) {
    for (const sz of [0, 1, 2]) {
      ndef(`${name}${16 << sz}`, MISC | 0xc0000 | 0x40 | 1, 0x01b20000 | (sz << 18) | (b << 6), 'd$vdd, q$vqm',
        `nvmisc(${op}, ${sz}, ${b & 1}, $vdd, $vdm, 1);`);
    }
  }
  // Half precision (the half-precision extension): four singles of Qm to halves in Dd, and back.
  ndef('vcvt.f16.f32', MISC | 0xc0000 | 0x40 | 1, 0x01b60600, 'd$vdd, q$vqm', 'nvcvth(1, $vdd, $vdm);');
  ndef('vcvt.f32.f16', MISC | 0xc0000 | 0x40 | 0x1000, 0x01b60700, 'q$vqd, d$vdm', 'nvcvth(0, $vdd, $vdm);');
  for (const sz of [0, 1, 2]) {
    ndef(`vshll.i${8 << sz}`, MISC | 0xc0000 | 0x40 | 0x1000, 0x01b20300 | (sz << 18), `q$vqd, d$vdm, #${8 << sz}`,
      `nvmisc(${Op.SHLLMAX}, ${sz}, 0, $vdd, $vdm, 1);`);
  }

  // ---- element and structure loads and stores: 1111 0100 A D L 0 Rn Vd type size align Rm ----
  function ldef(name: string, mask: number, match: number, asm: string, code: string): void {
    requiring(ARM_NEON, () => def(name, mask | 0xff000000, match | 0xf4000000, asm, code));
  }
  /** Write-back: none (Rm = 15), by the transfer size (Rm = 13), or by Rm. */
  const WB = (bytes: string) => `if ($vrm === 13) R[$vrn] = a0 + ${bytes}; else if ($vrm !== 15) R[$vrn] = a0 + R[$vrm];`;
  // Multiple structures: type -> [structure elements n, registers per element, register spacing].
  const MULTI: [number, number, number, number][] = [
    [0x7, 1, 1, 1], [0xa, 1, 2, 1], [0x6, 1, 3, 1], [0x2, 1, 4, 1],
    [0x8, 2, 1, 1], [0x9, 2, 1, 2], [0x3, 2, 2, 2], [0x4, 3, 1, 1], [0x5, 3, 1, 2], [0x0, 4, 1, 1], [0x1, 4, 1, 2],
  ];
  /**
   * The align values (bits 5-4) a multiple-structure transfer allows, as [mask, match] pairs
   * (others are UNDEFINED): none with bit 1 set for one or three registers of VLD1 and for
   * VLD3, not 11 for two registers of VLD1 or VLD2, any for the rest.
   */
  function multiAligns(type: number): number[][] {
    if (type === 0x7 || type === 0x6 || type === 0x4 || type === 0x5) return [[0x20, 0]];
    if (type === 0xa || type === 0x8 || type === 0x9) return [[0x20, 0], [0x30, 0x20]];
    return [[0, 0]];
  }
  for (const [type, n, regs, inc] of MULTI) {
    for (const load of [true, false]) {
      const name = `${load ? 'vld' : 'vst'}${n}`;
      // VLD1/VST1 keep memory order whatever the element size: they move words (vmld/vmst).
      const body = n === 1
        ? `${load ? 'vmld' : 'vmst'}(a0, 2 * $vdd, ${2 * regs});`
        : `nvstruct(${load ? 1 : 0}, a0, $vdd, ${n}, ${regs}, ${inc}, $vlsz);`;
      // VLD2-4 have no 64-bit elements (size 11 is UNDEFINED for them).
      for (const sz of n === 1 ? [-1] : [0, 1, 2]) {
        for (const [am, amatch] of multiAligns(type)) {
          const mask = 0x00b00f00 | am | (sz < 0 ? 0 : 0xc0), match = (load ? 0x200000 : 0) | (type << 8) | amatch | (sz < 0 ? 0 : sz << 6);
          ldef(sz < 0 ? name : `${name}.${8 << sz}`, mask, match, `{d$vdd}x${n * regs}, [$vrn], $vrm`,
            `const a0 = R[$vrn]; if ($vlam) { valign(a0, $vlam); } ${body} ${WB(String(8 * n * regs))}`);
        }
      }
    }
  }
  /** The index_align values a single-lane transfer allows, as [mask, match] pairs on bits 7-4 (others are UNDEFINED). */
  function laneAligns(n: number, sz: number): number[][] {
    if (n === 1) return sz === 2 ? [[0x70, 0x00], [0x70, 0x30]] : [[sz === 0 ? 0x10 : 0x20, 0]];
    if (n === 2) return [[sz === 2 ? 0x20 : 0, 0]];
    if (n === 3) return [[sz === 2 ? 0x30 : 0x10, 0]];
    return sz === 2 ? [[0x20, 0x00], [0x30, 0x20]] : [[0, 0]];
  }
  // Single lane: size (bits 11-10) 0-2, n - 1 in bits 9-8; lane and spacing from index_align.
  for (let n = 1; n <= 4; n++) {
    for (const load of [true, false]) {
      for (const sz of [0, 1, 2]) {
        for (const [am, amatch] of laneAligns(n, sz)) {
          ldef(`${load ? 'vld' : 'vst'}${n}.${8 << sz}`, 0x00b00f00 | am, 0x800000 | (load ? 0x200000 : 0) | (sz << 10) | ((n - 1) << 8) | amatch,
            `{d$vdd[$vlidx]}x${n}+$vlinc, [$vrn], $vrm`,
            `const a0 = R[$vrn]; if ($vlal) { valign(a0, $vlal); } nvlane(${load ? 1 : 0}, a0, $vdd, ${n}, $vlinc, ${sz}, $vlidx); ${WB(String(n << sz))}`);
        }
      }
    }
  }
  // Single element to all lanes (loads only): VLD1 fills T+1 registers; VLDn spaces them T+1 apart
  // (VLD4 with size 11 loads 32-bit elements).
  // The a bit (4) must be 0 for VLD1 of bytes and for VLD3, 1 for VLD4 with size 11 (UNDEFINED otherwise).
  for (let n = 1; n <= 4; n++) {
    for (const sz of n === 4 ? [0, 1, 2, 3] : [0, 1, 2]) {
      const eb = sz === 3 ? 4 : 1 << sz;
      const a = (n === 1 && sz === 0) || n === 3 ? [0x10, 0] : n === 4 && sz === 3 ? [0x10, 0x10] : [0, 0];
      ldef(`vld${n}.${8 * eb}`, 0x00b00fc0 | a[0], 0xa00c00 | ((n - 1) << 8) | (sz << 6) | a[1], `{d$vdd[]}x${n}, [$vrn], $vrm ($vlt)`,
        `const a0 = R[$vrn]; if ($vlaa) { valign(a0, $vlaa); } nvall(a0, $vdd, ${n}, $vlt, ${Math.min(sz, 2)}); ${WB(String(n * eb))}`);
    }
  }
  return VFP_DEFS;
}

let generated: InsnDef[] | null = null;
/** The VFP and NEON defs, the same objects at every call. */
export const vfpDefs = (): InsnDef[] => (generated ??= generateVfpDefs());

/** The helpers that store to guest memory (the translator checks for changed code after them). */
export const VFP_STORE_HELPERS = ['vmst', 'nvstruct', 'nvlane'];

// ---------------------------------------------------------------------------------------
// Thumb forms.
// ---------------------------------------------------------------------------------------
/** The Thumb (T32) form of an A32 VFP/NEON def: same fields, different fixed top bits. */
export function vfpThumbForm(d: InsnDef): InsnDef | null {
  const top = d.match >>> 24;
  let mask: number, match: number;
  if (top >>> 4 !== 0xf) {
    // VFP and the register transfers: the condition field becomes 1110.
    mask = d.mask | 0xf0000000;
    match = d.match | 0xe0000000;
  } else if (top === 0xf2 || top === 0xf3) {
    // NEON data processing: 1111 001U -> 111U 1111 (A32 masks always fix U).
    const u = top & 1;
    mask = (d.mask & 0x00ffffff) | 0xff000000;
    match = (d.match & 0x00ffffff) | 0xef000000 | (u << 28);
  } else if (top === 0xf4) {
    // NEON element and structure loads and stores: 1111 0100 -> 1111 1001.
    mask = d.mask | 0xff000000;
    match = (d.match & 0x00ffffff) | 0xf9000000;
  } else {
    return null;
  }
  return { ...d, mask: mask >>> 0, match: match >>> 0 };
}

// ---------------------------------------------------------------------------------------
// Run-time helpers.
// ---------------------------------------------------------------------------------------
/** What VMSR can change: NZCV, QC, AHP, DN, FZ, RMode, Stride, Len, the flags (no trap enables, as qemu). */
const FPSCR_WRITABLE = 0xffff009f;
/** ARM RMode (nearest, +inf, -inf, zero) to fpround.ts's order (nearest, zero, +inf, -inf). */
const RM_MAP = [0, 2, 3, 1];
/** fpround.ts flag bits to FPSCR flag bits. */
const FLAG_MAP = Array.from({ length: 32 }, (_, f) =>
  (f & FP_INVALID ? IOC : 0) | (f & FP_DIVZERO ? DZC : 0) | (f & FP_OVERFLOW ? OFC : 0) |
  (f & FP_UNDERFLOW ? UFC : 0) | (f & FP_INEXACT ? IXC : 0));

const SIGN = -0x80000000;
const DEFAULT_NAN_S = 0x7fc00000, DEFAULT_NAN_HI = 0x7ff80000;
const MAX_S = 3.4028234663852886e38;
const isNaNs = (x: number) => (x & 0x7fffffff) > 0x7f800000;
const isSNaNs = (x: number) => (x & 0x7fffffff) > 0x7f800000 && (x & 0x400000) === 0;
const isNaNd = (hi: number, lo: number) => (hi & 0x7fffffff) > 0x7ff00000 || ((hi & 0x7fffffff) === 0x7ff00000 && lo !== 0);
const isSNaNd = (hi: number, lo: number) => isNaNd(hi, lo) && (hi & 0x80000) === 0;

// Scratch for bit access.
const f64 = new Float64Array(1);
const f64w = new Int32Array(f64.buffer);
const f32 = new Float32Array(1);
const f32w = new Int32Array(f32.buffer);


/** The error of s = a + b (exact when nothing overflows). */
function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}
const SPLIT = 134217729; // 2^27 + 1
/** The error of p = a * b (exact when nothing underflows or overflows). */
function twoProdErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

interface VfpState {
  D: Float64Array;
  S: Float32Array;
  VI: Int32Array;
  fpscr: number;
}

/**
 * Helpers for the VFP/NEON templates, bound to a CPU. (Memory goes through the templates'
 * own ld and st accessors, which the translator expands inline and journals: no helper
 * touches guest memory, so `acc` is unused; no helper reads or writes R either.)
 */
export function makeVfpEnv(cpu: VfpState, acc: Accessors): Record<string, unknown> {
  void acc;
  const { D, S, VI } = cpu;
  const buf = VI.buffer;
  // VFP transfers need word alignment, NEON ones what their qualifier asks: Linux does not fix those up.
  const misaligned = (a: number): never => {
    throw new GuestFault(SIGBUS, a >>> 0, 'misaligned VFP/NEON access to');
  };
  const VB = new Uint8Array(buf), VBs = new Int8Array(buf), VH = new Uint16Array(buf), VHs = new Int16Array(buf), VU = new Uint32Array(buf);
  /** Scratch lanes for the inline long operations (their Q destination may overlap a source). */
  const LT = new Float64Array(8);
  /** Slow path needed: a directed rounding mode, flags being tracked, or flush-to-zero. */
  const SLOW = RMODE | FPSCR_TRACK | FPSCR_FZ;
  const mode = () => {
    const f = cpu.fpscr;
    return (f & SLOW) === 0 ? 0 : RM_MAP[(f >>> 22) & 3] | (f & FPSCR_TRACK ? FP_TRACK : 0) | (f & FPSCR_FZ ? FP_FTZ : 0);
  };
  const rmode = () => RM_MAP[(cpu.fpscr >>> 22) & 3];
  const tracking = () => (cpu.fpscr & FPSCR_TRACK) !== 0;
  const raise = (f: number) => {
    cpu.fpscr |= FLAG_MAP[f];
  };
  const raiseIf = (f: number) => {
    if (f !== 0 && cpu.fpscr & FPSCR_TRACK) cpu.fpscr |= FLAG_MAP[f];
  };
  const A = makeFpArith(mode, raise);
  const dn = () => (cpu.fpscr & FPSCR_DN) !== 0;

  // ---- flush-to-zero (FPSCR.FZ; NEON always flushes, see makeNeonEnv) ----
  // Inputs: a subnormal operand counts as a zero of its sign and raises IDC. Results: one
  // tiny before rounding becomes a zero of its sign, raising UFC but not IXC; the ops compute
  // as usual and, near the subnormal range, redo the operation with the exact routines.
  const ftz = () => (cpu.fpscr & FPSCR_FZ) !== 0;
  /** The exact routines' rounding mode: the FPSCR's, and whether to flush. */
  const exactMode = () => rmode() | (ftz() ? RM_FTZ : 0);
  const flushIn = (x: number, minNormal: number): number => {
    if (x === 0 || !(x < minNormal && x > -minNormal)) return x;
    if (tracking()) cpu.fpscr |= IDC;
    return x < 0 ? -0 : 0;
  };
  const flushS = (x: number) => (ftz() ? flushIn(x, MIN_NORMAL_S) : x);
  const flushD = (x: number) => (ftz() ? flushIn(x, MIN_NORMAL_D) : x);
  /**
   * Under FZ, a result r that may be tiny (|r| at most the smallest normal: rounding is
   * monotonic, so a larger r had a normal exact value) is redone by `exact`, its flags in
   * place of those raised since `before` (the FPSCR then).
   */
  const flushOut = (r: number, minNormal: number, before: number, exact: () => number): number => {
    if (!(Math.abs(r) <= minNormal)) return r;
    cpu.fpscr = before;
    return exactly(exact());
  };

  // ---- arithmetic: fpround's, on flushed operands (its FP_FTZ flushes tiny results) ----
  const exactly = (r: number) => {
    raiseIf(roundFlags);
    return r;
  };
  const fin = Number.isFinite;
  const finiteNonzero = (a: number, b: number) => a !== 0 && b !== 0 && fin(a) && fin(b);
  const addD = (a: number, b: number) => ((cpu.fpscr & SLOW) === 0 ? a + b : A.dadd(flushD(a), flushD(b)));
  const addS = (a: number, b: number) => ((cpu.fpscr & SLOW) === 0 ? Math.fround(a + b) : A.sadd(flushS(a), flushS(b)));
  const mulD = (a: number, b: number) => ((cpu.fpscr & SLOW) === 0 ? a * b : A.dmul(flushD(a), flushD(b)));
  const mulS = (a: number, b: number) => ((cpu.fpscr & SLOW) === 0 ? Math.fround(a * b) : A.smul(flushS(a), flushS(b)));
  const divD = (a: number, b: number) => ((cpu.fpscr & SLOW) === 0 ? a / b : A.ddiv(flushD(a), flushD(b)));
  const divS = (a: number, b: number) => ((cpu.fpscr & SLOW) === 0 ? Math.fround(a / b) : A.sdiv(flushS(a), flushS(b)));
  // (The square root of a normal number is normal: only the input flushes.)
  const sqrtD = (x: number) => ((cpu.fpscr & SLOW) === 0 ? Math.sqrt(x) : A.dsqrt(flushD(x)));

  // ---- NaNs, on the raw bits ----
  /** The NaN an operation on singles a, b (bits) returns, at least one a NaN or the op invalid. */
  const nanS = (a: number, b: number): number => {
    let r: number;
    if (isSNaNs(a)) r = a | 0x400000;
    else if (isSNaNs(b)) r = b | 0x400000;
    else if (isNaNs(a)) r = a;
    else if (isNaNs(b)) r = b;
    else return DEFAULT_NAN_S; // an invalid operation: the arithmetic raised Invalid
    if ((isSNaNs(a) || isSNaNs(b)) && tracking()) raise(FP_INVALID);
    return dn() ? DEFAULT_NAN_S : r;
  };
  let nanHi = 0, nanLo = 0;
  /** nanS for doubles at register indices n, m (m = -1: no second operand); sets nanHi/nanLo. */
  const nanD = (n: number, m: number): void => {
    const ah = VI[2 * n + 1], al = VI[2 * n];
    const bh = m < 0 ? 0 : VI[2 * m + 1], bl = m < 0 ? 0 : VI[2 * m];
    const sa = isSNaNd(ah, al), sb = isSNaNd(bh, bl);
    if (sa) [nanHi, nanLo] = [ah | 0x80000, al];
    else if (sb) [nanHi, nanLo] = [bh | 0x80000, bl];
    else if (isNaNd(ah, al)) [nanHi, nanLo] = [ah, al];
    else if (isNaNd(bh, bl)) [nanHi, nanLo] = [bh, bl];
    else [nanHi, nanLo] = [DEFAULT_NAN_HI, 0];
    if ((sa || sb) && tracking()) raise(FP_INVALID);
    if (dn()) [nanHi, nanLo] = [DEFAULT_NAN_HI, 0];
  };
  const setNaND = (d: number, hi: number, lo: number) => {
    VI[2 * d] = lo;
    VI[2 * d + 1] = hi;
  };

  // ---- multiply-accumulate ----
  // op bit 0 negates the product (or the multiplicand), bit 1 the accumulator.
  /** Chained (the product rounded, then the sum) on singles. */
  const mlaS = (d: number, n: number, m: number, op: number) => {
    let p = mulS(S[n], S[m]);
    let pb = 0;
    const pnan = p !== p;
    if (pnan) pb = nanS(VI[n], VI[m]);
    if (op & 1) {
      if (pnan) pb ^= SIGN;
      else p = -p;
    }
    let a = S[d], ab = VI[d];
    if (op & 2) {
      a = -a;
      ab ^= SIGN;
    }
    if (a === a && !pnan) {
      const r = addS(a, p);
      if (r === r) S[d] = r;
      else VI[d] = DEFAULT_NAN_S;
      return;
    }
    VI[d] = nanS(ab, pb);
  };
  const mlaD = (d: number, n: number, m: number, op: number) => {
    let p = mulD(D[n], D[m]);
    let ph = 0, pl = 0;
    const pnan = p !== p;
    if (pnan) {
      nanD(n, m);
      [ph, pl] = [nanHi, nanLo];
    }
    if (op & 1) {
      if (pnan) ph ^= SIGN;
      else p = -p;
    }
    let a = D[d], ah = VI[2 * d + 1];
    const al = VI[2 * d];
    if (op & 2) {
      a = -a;
      ah ^= SIGN;
    }
    if (a === a && !pnan) {
      const r = addD(a, p);
      if (r === r) D[d] = r;
      else setNaND(d, DEFAULT_NAN_HI, 0);
      return;
    }
    // FPAdd(a, p): p is a quiet NaN if a NaN at all.
    if (isSNaNd(ah, al)) {
      if (tracking()) raise(FP_INVALID);
      [ph, pl] = [ah | 0x80000, al];
    } else if (isNaNd(ah, al)) [ph, pl] = [ah, al];
    if (dn()) [ph, pl] = [DEFAULT_NAN_HI, 0];
    setNaND(d, ph, pl);
  };

  /**
   * Fused a * b + c on doubles (all not NaN), rounded once in the FPSCR mode, flags raised
   * when tracking. Returns NaN for the invalid cases.
   */
  const fmaD = (a: number, b: number, c: number): number => {
    const rm = rmode();
    const fa = Number.isFinite(a), fb = Number.isFinite(b), fc = Number.isFinite(c);
    if (!fa || !fb || !fc) {
      const infP = !fa || !fb, signP = (a < 0) !== (b < 0);
      if ((infP && (a === 0 || b === 0)) || (!fc && infP && (c < 0) !== signP)) {
        raiseIf(FP_INVALID);
        return NaN;
      }
      return !fc ? c : signP ? -Infinity : Infinity;
    }
    if (a === 0 || b === 0) {
      const signP = (Object.is(a, -0) || a < 0) !== (Object.is(b, -0) || b < 0);
      if (c !== 0) return c;
      const signC = Object.is(c, -0);
      if (signP === signC) return c;
      return rm === 3 ? -0 : 0;
    }
    if (c === 0) {
      const p = a * b;
      if (rm === 0 && !tracking()) return p;
      const [na, ma, ea] = decompose(a);
      const [, mb, eb] = decompose(b);
      const r = roundExact(na !== (b < 0), ma * mb, ea + eb, ...FMT_D, rm);
      raiseIf(roundFlags);
      return r;
    }
    const uh = a * b;
    const au = Math.abs(uh);
    if (au > 2 ** -900 && au < 2 ** 1000 && Math.abs(a) < 2 ** 995 && Math.abs(b) < 2 ** 995 && Math.abs(c) < 2 ** 1000) {
      // Boldo and Melquiond's emulation: exact product and sum, the low parts added with
      // rounding to odd, then one rounding of the sum.
      const ul = twoProdErr(a, b, uh);
      const th = c + uh, tl = twoSumErr(c, uh, th);
      let v = tl + ul;
      const ve = twoSumErr(tl, ul, v);
      if (ve !== 0) {
        f64[0] = v;
        if ((f64w[0] & 1) === 0) v = ve > 0 ? nextUp(v) : nextDown(v);
      }
      let r = th + v;
      const re = twoSumErr(th, v, r);
      if (r === 0 && re === 0 && ve === 0) return rm === 3 ? -0 : 0;
      if (re !== 0) {
        if (rm === 2 && re > 0) r = nextUp(r);
        else if (rm === 3 && re < 0) r = nextDown(r);
        else if (rm === 1 && (r > 0 ? re < 0 : re > 0)) r = r > 0 ? nextDown(r) : nextUp(r);
      }
      if (re !== 0 || ve !== 0) raiseIf(FP_INEXACT);
      return r;
    }
    const r = fmaExact(a, b, c, FMT_D, rm);
    raiseIf(roundFlags);
    return r;
  };
  /** Fused a * b + c on singles (doubles holding singles, not NaN). */
  const fmaS = (a: number, b: number, c: number): number => {
    const rm = rmode();
    const fa = Number.isFinite(a), fb = Number.isFinite(b), fc = Number.isFinite(c);
    if (!fa || !fb || !fc || a === 0 || b === 0) return Math.fround(fmaD(a, b, c));
    const p = a * b; // exact
    const s = p + c, e = twoSumErr(p, c, s); // exact: the value is s + e
    if (s === 0) return rm === 3 ? -0 : 0;
    let r = Math.fround(s);
    const abs = Math.abs(s);
    let flags = 0;
    if (!Number.isFinite(r)) {
      // |s| is at least the midpoint between the largest single and 2^128: infinity or the
      // largest single by mode, with Overflow when the exact value is beyond that bound.
      const neg = s < 0, out = (x: number) => x > 0 === !neg; // e points away from zero
      const MID = 2 ** 128 - 2 ** 103;
      const big = abs > 2 ** 128 || (abs === 2 ** 128 && (e === 0 || out(e)));
      const aboveMid = abs > MID || e === 0 || out(e);
      const toInf = rm === 0 ? aboveMid : (rm === 2 && !neg) || (rm === 3 && neg);
      raiseIf(FP_INEXACT | (toInf || big ? FP_OVERFLOW : 0));
      return toInf ? (neg ? -Infinity : Infinity) : neg ? -MAX_S : MAX_S;
    }
    const d1 = s - r; // exact; the exact value lies at r + d1 + e
    const diff = d1 + e; // its sign is exact
    if (diff !== 0) {
      flags |= FP_INEXACT;
      if (rm === 0) {
        // Only a tie in s can hide which way the exact value lies.
        const other = d1 > 0 ? nextUpF(r) : nextDownF(r);
        if (d1 !== 0 && other - s === s - r && e !== 0 && (e > 0) === (d1 > 0)) r = other;
      } else if (rm === 2) {
        if (diff > 0) r = nextUpF(r);
      } else if (rm === 3) {
        if (diff < 0) r = nextDownF(r);
      } else if (s > 0 ? diff < 0 : diff > 0) r = s > 0 ? nextDownF(r) : nextUpF(r);
      if (!Number.isFinite(r)) flags |= FP_OVERFLOW;
      if (abs < MIN_NORMAL_S || (abs === MIN_NORMAL_S && (e < 0) !== (s < 0) && e !== 0)) flags |= FP_UNDERFLOW;
    }
    raiseIf(flags);
    return r;
  };
  /** The fused ops, NaNs included (FPProcessNaNs3 with the addend first, then the (inf, 0, qNaN) rule). */
  /** Under FZ, a fused result that may be tiny, redone exactly (see flushOut). */
  const fusedFlushed = (a: number, b: number, c: number, r: number, f: Format, minNormal: number, before: number) =>
    ftz() && finiteNonzero(a, b) && fin(c) ? flushOut(r, minNormal, before, () => fmaExact(a, b, c, f, exactMode())) : r;
  const fusedS = (d: number, n: number, m: number, op: number) => {
    let cb = VI[d], ab = VI[n];
    const bb = VI[m];
    if (op & 1) ab ^= SIGN;
    if (op & 2) cb ^= SIGN;
    const c = flushS((op & 2) ? -S[d] : S[d]), a = flushS((op & 1) ? -S[n] : S[n]), b = flushS(S[m]);
    // (After the inputs are flushed: an exact recomputation keeps their IDC.)
    const before = cpu.fpscr;
    if (a === a && b === b && c === c) {
      const r = fusedFlushed(a, b, c, fmaS(a, b, c), FMT_S, MIN_NORMAL_S, before);
      if (r === r) S[d] = r;
      else VI[d] = DEFAULT_NAN_S;
      return;
    }
    const infzero = (Math.abs(a) === Infinity && b === 0) || (a === 0 && Math.abs(b) === Infinity);
    let r: number;
    if (infzero && isNaNs(cb) && !isSNaNs(cb)) {
      raiseIf(FP_INVALID);
      r = DEFAULT_NAN_S;
    } else {
      const any = isSNaNs(cb) || isSNaNs(ab) || isSNaNs(bb);
      if (any) raiseIf(FP_INVALID);
      r = isSNaNs(cb) ? cb | 0x400000 : isSNaNs(ab) ? ab | 0x400000 : isSNaNs(bb) ? bb | 0x400000
        : isNaNs(cb) ? cb : isNaNs(ab) ? ab : bb;
      if (dn()) r = DEFAULT_NAN_S;
    }
    VI[d] = r;
  };
  const fusedD = (d: number, n: number, m: number, op: number) => {
    let ch = VI[2 * d + 1], ah = VI[2 * n + 1];
    const cl = VI[2 * d], al = VI[2 * n], bh = VI[2 * m + 1], bl = VI[2 * m];
    if (op & 1) ah ^= SIGN;
    if (op & 2) ch ^= SIGN;
    const c = flushD((op & 2) ? -D[d] : D[d]), a = flushD((op & 1) ? -D[n] : D[n]), b = flushD(D[m]);
    const before = cpu.fpscr;
    if (a === a && b === b && c === c) {
      const r = fusedFlushed(a, b, c, fmaD(a, b, c), FMT_D, MIN_NORMAL_D, before);
      if (r === r) D[d] = r;
      else setNaND(d, DEFAULT_NAN_HI, 0);
      return;
    }
    const infzero = (Math.abs(a) === Infinity && b === 0) || (a === 0 && Math.abs(b) === Infinity);
    if (infzero && isNaNd(ch, cl) && !isSNaNd(ch, cl)) {
      raiseIf(FP_INVALID);
      setNaND(d, DEFAULT_NAN_HI, 0);
      return;
    }
    let rh: number, rl: number;
    if (isSNaNd(ch, cl)) [rh, rl] = [ch | 0x80000, cl];
    else if (isSNaNd(ah, al)) [rh, rl] = [ah | 0x80000, al];
    else if (isSNaNd(bh, bl)) [rh, rl] = [bh | 0x80000, bl];
    else if (isNaNd(ch, cl)) [rh, rl] = [ch, cl];
    else if (isNaNd(ah, al)) [rh, rl] = [ah, al];
    else [rh, rl] = [bh, bl];
    if (isSNaNd(ch, cl) || isSNaNd(ah, al) || isSNaNd(bh, bl)) raiseIf(FP_INVALID);
    if (dn()) [rh, rl] = [DEFAULT_NAN_HI, 0];
    setNaND(d, rh, rl);
  };

  // ---- comparisons ----
  const setNZCV = (nzcv: number) => {
    cpu.fpscr = (cpu.fpscr & 0x0fffffff) | (nzcv << 28);
  };
  const compare = (a: number, b: number, quietSignals: boolean, snan: boolean) => {
    if (a !== a || b !== b) {
      if (quietSignals || snan) raiseIf(FP_INVALID);
      setNZCV(0x3);
    } else setNZCV(a === b ? 0x6 : a < b ? 0x8 : 0x2);
  };

  // ---- conversions ----
  /** Rounds a double to an integer in fpround mode rm. */
  const roundInt = (x: number, rm: number): number => {
    switch (rm) {
      case 0: {
        const f = Math.floor(x), d = x - f;
        return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
      }
      case 1: return Math.trunc(x);
      case 2: return Math.ceil(x);
      default: return Math.floor(x);
    }
  };
  /** Floating point to a saturated integer of `bits` bits; NaN gives 0 (Invalid). */
  const toInt = (v: number, signed: number, rm: number, bits: number, minNormal: number): number => {
    const x = ftz() ? flushIn(v, minNormal) : v;
    if (x !== x) {
      raiseIf(FP_INVALID);
      return 0;
    }
    const r = roundInt(x, rm);
    const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1, min = signed ? -(2 ** (bits - 1)) : 0;
    if (r > max) {
      raiseIf(FP_INVALID);
      return max;
    }
    if (r < min) {
      raiseIf(FP_INVALID);
      return min;
    }
    if (r !== x) raiseIf(FP_INEXACT);
    return r;
  };
  /** An exact double to the nearest single in the FPSCR mode. */
  const toS = (v: number) => {
    if ((cpu.fpscr & SLOW) === 0) return Math.fround(v);
    return A.tosingle(flushD(v));
  };
  /** The same, always rounding to nearest (fixed-point sources). */
  const toSNearest = (x: number) => {
    const r = Math.fround(x);
    if (r !== x) raiseIf(FP_INEXACT);
    return r;
  };

  // Half precision: bits <-> value, IEEE or (FPSCR.AHP) the alternative format.
  const ahp = () => (cpu.fpscr & FPSCR_AHP) !== 0;
  const halfToSingleBits = (h: number): number => {
    const sign = (h & 0x8000) << 16, e = (h >>> 10) & 31, m = h & 0x3ff;
    if (e === 31 && !ahp()) {
      if (m === 0) return sign | 0x7f800000;
      if ((m & 0x200) === 0) raiseIf(FP_INVALID);
      return dn() ? DEFAULT_NAN_S : sign | 0x7fc00000 | (m << 13);
    }
    f32[0] = (e === 0 ? m * 2 ** -24 : (1024 + m) * 2 ** (e - 25)) * (sign ? -1 : 1);
    return f32w[0];
  };
  const singleToHalf = (x: number, bits: number): number => {
    const sign = (bits >>> 16) & 0x8000, alt = ahp();
    // The alternative format has no NaNs or infinities: a NaN becomes a zero of its sign, an
    // infinity or an overflow the largest value of its sign, all Invalid (and only that).
    if (x !== x) {
      if (alt || (bits & 0x400000) === 0) raiseIf(FP_INVALID);
      return alt ? sign : dn() ? 0x7e00 : sign | 0x7e00 | ((bits >>> 13) & 0x3ff);
    }
    if (x === Infinity || x === -Infinity) {
      if (alt) raiseIf(FP_INVALID);
      return sign | (alt ? 0x7fff : 0x7c00);
    }
    if (x === 0) return sign;
    const [neg, m, e] = decompose(x);
    const r = Math.abs(roundExact(neg, m, e, 11, -14, alt ? 16 : 15, rmode()));
    if (alt && roundFlags & FP_OVERFLOW) {
      raiseIf(FP_INVALID);
      return sign | 0x7fff;
    }
    raiseIf(roundFlags);
    if (r === Infinity) return sign | 0x7c00;
    if (r < 2 ** -14) return sign | (r * 2 ** 24);
    const ex = Math.floor(Math.log2(r));
    const ee = r >= 2 ** (ex + 1) ? ex + 1 : r < 2 ** ex ? ex - 1 : ex;
    return sign | ((ee + 15) << 10) | ((r / 2 ** ee - 1) * 1024);
  };

  // ---- multiple-register and structure transfers (through the accessors, so journaled) ----
  const { ld8u, ld16u, ld32, st8, st16, st32 } = acc;
  const blocks = wordCopiesOf(acc);
  /** Transfers one element of 1 << size bytes between lane `lane` of Dreg and address a. */
  const elem = (load: number, a: number, reg: number, size: number, lane: number) => {
    if (load) {
      if (size === 0) VB[8 * reg + lane] = ld8u(a);
      else if (size === 1) VH[4 * reg + lane] = ld16u(a);
      else VI[2 * reg + lane] = ld32(a);
    } else if (size === 0) st8(a, VB[8 * reg + lane]);
    else if (size === 1) st16(a, VH[4 * reg + lane]);
    else st32(a, VI[2 * reg + lane]);
  };

  /**
   * VLDR.64, VLDM and VLD1: `words` words into VI from word k, in one block when the pages
   * allow it; else word by word (bytes when unaligned), so that a fault is raised at its
   * address and a debugger's watchpoints see each access. An address with any bit of
   * `align` set is SIGBUS (VLDR and VLDM need words, VLD1 what its qualifier asks).
   */
  const vmld = (a: number, k: number, words: number, align = 0) => {
    if (a & align) misaligned(a);
    if (blocks?.load(a, VI, k, words)) return;
    if ((a & 3) === 0) {
      if (words === 2) {
        const lo = ld32(a), hi = ld32(a + 4);
        VI[k] = lo;
        VI[k + 1] = hi;
      } else for (let i = 0; i < words; i++) VI[k + i] = ld32(a + 4 * i);
    } else for (let j = 0; j < 4 * words; j++) VB[4 * k + j] = ld8u(a + j);
  };
  /** VSTR.64, VSTM and VST1. */
  const vmst = (a: number, k: number, words: number, align = 0) => {
    if (a & align) misaligned(a);
    if (blocks?.store(a, VI, k, words)) return;
    if ((a & 3) === 0) for (let i = 0; i < words; i++) st32(a + 4 * i, VI[k + i]);
    else for (let j = 0; j < 4 * words; j++) st8(a + j, VB[4 * k + j]);
  };

  return {
    VB, VBs, VH, VHs, VU, LT, vmld, vmst,
    // VLDR.64 and VSTR.64 off their inline accessors' fast path (memory/access.ts): W is VI.
    ld64: (a: number, W: Int32Array, k: number) => vmld(a, k, 2, 3),
    st64: (a: number, W: Int32Array, k: number) => vmst(a, k, 2, 3),
    /** VLD2-4/VST2-4 (multiple structures): n-element structures, de-interleaved into registers `inc` apart. */
    nvstruct: (load: number, a: number, d: number, n: number, regs: number, inc: number, size: number) => {
      const eb = 1 << size;
      for (let r = 0; r < regs; r++) {
        for (let e = 0; e < 8 >> size; e++) {
          for (let s = 0; s < n; s++, a += eb) elem(load, a, d + r + s * inc, size, e);
        }
      }
    },
    /** VLDn/VSTn (single structure, one lane). */
    nvlane: (load: number, a: number, d: number, n: number, inc: number, size: number, lane: number) => {
      for (let s = 0; s < n; s++) elem(load, a + (s << size), d + s * inc, size, lane);
    },
    /** VLDn (single structure to all lanes); VLD1 fills t + 1 registers, VLD2-4 space them t + 1 apart. */
    nvall: (a: number, d: number, n: number, t: number, size: number) => {
      const per = 8 >> size, view = size === 0 ? VB : size === 1 ? VH : VI;
      for (let s = 0; s < n; s++) {
        const v = size === 0 ? ld8u(a + s) : size === 1 ? ld16u(a + 2 * s) : ld32(a + 4 * s);
        if (n === 1) view.fill(v, per * d, per * (d + t + 1));
        else view.fill(v, per * (d + s * (t + 1)), per * (d + s * (t + 1) + 1));
      }
    },
    vfadds: addS,
    vfaddd: addD,
    vfsubs: (a: number, b: number) => addS(a, -b),
    vfsubd: (a: number, b: number) => addD(a, -b),
    vfmuls: mulS,
    vfmuld: mulD,
    vfdivs: divS,
    vfdivd: divD,
    vfsqrts: (a: number) => ((cpu.fpscr & SLOW) === 0 ? Math.fround(Math.sqrt(a)) : A.ssqrt(flushS(a))),
    vfsqrtd: sqrtD,
    vfnans: nanS,
    /** Writes to Dd the NaN an operation on Dn, Dm (m = -1: unary) returns. */
    vfnand: (d: number, n: number, m: number) => {
      nanD(n, m);
      setNaND(d, nanHi, nanLo);
    },
    vfmlas: mlaS,
    vfmlad: mlaD,
    vffmas: fusedS,
    vffmad: fusedD,
    vfcmps: (n: number, m: number, e: number) =>
      compare(flushS(S[n]), m < 0 ? 0 : flushS(S[m]), e !== 0, isSNaNs(VI[n]) || (m >= 0 && isSNaNs(VI[m]))),
    vfcmpd: (n: number, m: number, e: number) =>
      compare(flushD(D[n]), m < 0 ? 0 : flushD(D[m]), e !== 0, isSNaNd(VI[2 * n + 1], VI[2 * n]) || (m >= 0 && isSNaNd(VI[2 * m + 1], VI[2 * m]))),
    vftos: toS,
    /** VCVT.F64.F32 of Sm into Dd when Sm is a NaN or FPSCR.FZ is set. */
    vfcvtds: (d: number, m: number) => {
      const x = S[m], bits = VI[m];
      if (x === x) {
        D[d] = flushS(x);
        return;
      }
      if (isSNaNs(bits)) raiseIf(FP_INVALID);
      if (dn()) setNaND(d, DEFAULT_NAN_HI, 0);
      else setNaND(d, (bits & SIGN) | 0x7ff80000 | ((bits >>> 3) & 0x7ffff), bits << 29);
    },
    /** A double NaN (Dm) narrowed to a single's bits. */
    vfnand2s: (m: number) => {
      const hi = VI[2 * m + 1], lo = VI[2 * m];
      if (isSNaNd(hi, lo)) raiseIf(FP_INVALID);
      if (dn()) return DEFAULT_NAN_S;
      return (hi & SIGN) | 0x7fc00000 | ((hi & 0x7ffff) << 3) | (lo >>> 29);
    },
    vftoi: (x: number, signed: number, rz: number, minNormal: number) => toInt(x, signed, rz ? 1 : rmode(), 32, minNormal),
    /** Fixed-point VCVT on a single register (both ways; 16-bit values are extended). */
    vfixs: (d: number, toFixed: number, unsigned: number, sx: number, fbits: number) => {
      const bits = sx ? 32 : 16;
      if (toFixed) {
        const v = toInt(flushS(S[d]) * 2 ** fbits, unsigned ^ 1, 1, bits, 0);
        VI[d] = v;
      } else {
        const raw = VI[d];
        const v = sx ? (unsigned ? raw >>> 0 : raw) : unsigned ? raw & 0xffff : (raw << 16) >> 16;
        S[d] = toSNearest(v / 2 ** fbits);
      }
    },
    vfixd: (d: number, toFixed: number, unsigned: number, sx: number, fbits: number) => {
      const bits = sx ? 32 : 16;
      if (toFixed) {
        const v = toInt(flushD(D[d]) * 2 ** fbits, unsigned ^ 1, 1, bits, 0);
        VI[2 * d] = v;
        VI[2 * d + 1] = unsigned || v >= 0 ? 0 : -1;
      } else {
        const raw = VI[2 * d];
        const v = sx ? (unsigned ? raw >>> 0 : raw) : unsigned ? raw & 0xffff : (raw << 16) >> 16;
        const r = v / 2 ** fbits; // exact
        D[d] = r;
      }
    },
    vfh2s: (d: number, src: number, top: number) => {
      VI[d] = halfToSingleBits(top ? src >>> 16 : src & 0xffff);
    },
    vfs2h: (d: number, x: number, bits: number, top: number) => {
      // (FZ flushes the single input; the half-precision result is never flushed.)
      const h = singleToHalf(flushS(x), bits);
      VI[d] = top ? (VI[d] & 0xffff) | (h << 16) : (VI[d] & ~0xffff) | h;
    },
    /**
     * NEON VCVT between halves and singles (toHalf: Dd from Qm, else Qd from Dm; the sources
     * are read first, they may overlap), with the standard FPSCR value: round to nearest,
     * flush-to-zero (of single inputs), default NaN; the flags accumulate in FPSCR.
     */
    nvcvth: (toHalf: number, d: number, m: number) => {
      const saved = cpu.fpscr;
      cpu.fpscr = (saved & ~RMODE) | FPSCR_FZ | FPSCR_DN;
      if (toHalf) {
        const h = [0, 1, 2, 3].map((i) => singleToHalf(flushS(S[2 * m + i]), VI[2 * m + i]));
        VI[2 * d] = h[0] | (h[1] << 16);
        VI[2 * d + 1] = h[2] | (h[3] << 16);
      } else {
        const lo = VI[2 * m], hi = VI[2 * m + 1];
        const w = [lo & 0xffff, lo >>> 16, hi & 0xffff, hi >>> 16].map(halfToSingleBits);
        for (let i = 0; i < 4; i++) VI[2 * d + i] = w[i];
      }
      cpu.fpscr = saved | (cpu.fpscr & (IOC | DZC | OFC | UFC | IXC | IDC));
    },
    ...makeNeonEnv(cpu, raiseIf),
    vfmrs: () => {
      cpu.fpscr |= FPSCR_TRACK;
      return cpu.fpscr & ~FPSCR_TRACK;
    },
    vfmsr: (v: number) => {
      cpu.fpscr = (v & FPSCR_WRITABLE) | FPSCR_TRACK;
    },
  };
}

/** Single-precision a * b + c (finite, nonzero product) rounded to nearest, exactly. */
function fmaNearestS(a: number, b: number, c: number): number {
  const p = a * b; // exact
  const s = p + c, e = twoSumErr(p, c, s);
  if (e === 0) return Math.fround(s);
  const r = Math.fround(s), d1 = s - r;
  if (d1 === 0 || !Number.isFinite(r)) return r;
  const other = d1 > 0 ? nextUpF(r) : nextDownF(r);
  return other - s === s - r && (e > 0) === (d1 > 0) ? other : r;
}

/** RecipEstimate (ARM ARM) of q/512 in [0.5, 1): the 9-bit estimate s of 256/x. */
const recipEstimate = (q: number) => Math.floor(256 / ((q + 0.5) / 512) + 0.5); // q: 256..511
/** RecipSqrtEstimate (ARM ARM) of a in [0.25, 1): the 9-bit estimate s of 256/sqrt(a). */
function rsqrtEstimate(a: number): number {
  const r = a < 0.5 ? 1 / Math.sqrt((Math.floor(a * 512) + 0.5) / 512) : 1 / Math.sqrt((Math.floor(a * 256) + 0.5) / 256);
  return Math.floor(256 * r + 0.5);
}

/**
 * The NEON helpers: element loops over views of the register file. Floating point uses the
 * standard FPSCR value (round to nearest, flush-to-zero, default NaN); exception flags and
 * QC still accumulate in FPSCR.
 */
function makeNeonEnv(cpu: VfpState, raiseIf: (f: number) => void): Record<string, unknown> {
  const { S, VI } = cpu;
  const buf = VI.buffer;
  const U8 = new Uint8Array(buf), I8 = new Int8Array(buf), U16 = new Uint16Array(buf), I16 = new Int16Array(buf);
  const U32 = new Uint32Array(buf), U64 = new BigUint64Array(buf), I64 = new BigInt64Array(buf);
  type View = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
  const VIEWS: View[][] = [[I8, I16, VI], [U8, U16, U32]];
  const view = (size: number, u: number): View => VIEWS[u][size];
  const big = (u: number) => (u ? U64 : I64);
  const QC = FPSCR_QC;
  const LO = [[-128, -32768, -(2 ** 31)], [0, 0, 0]], HI = [[127, 32767, 2 ** 31 - 1], [255, 65535, 2 ** 32 - 1]];
  const LOB = [-(2n ** 63n), 0n], HIB = [2n ** 63n - 1n, 2n ** 64n - 1n];
  const sat = (v: number, size: number, u: number): number => {
    const l = LO[u][size], h = HI[u][size];
    if (v > h) {
      cpu.fpscr |= QC;
      return h;
    }
    if (v < l) {
      cpu.fpscr |= QC;
      return l;
    }
    return v;
  };
  const satB = (v: bigint, u: number): bigint => {
    if (v > HIB[u]) {
      cpu.fpscr |= QC;
      return HIB[u];
    }
    if (v < LOB[u]) {
      cpu.fpscr |= QC;
      return LOB[u];
    }
    return v;
  };
  const T = new Float64Array(16);
  const TB: bigint[] = new Array<bigint>(4).fill(0n);
  const pmul = (a: number, b: number) => {
    let r = 0;
    for (let k = 0; k < 8; k++) if ((b >>> k) & 1) r ^= a << k;
    return r;
  };
  /** The signed low byte of a shift operand. */
  const shiftOf = (b: number) => (b << 24) >> 24;
  /** a shifted by sh (negative: right), optionally rounding right shifts. */
  const shiftN = (a: number, sh: number, round: boolean) =>
    sh >= 0 ? a * 2 ** sh : Math.floor((round ? a + 2 ** (-sh - 1) : a) / 2 ** -sh);
  const shiftB = (a: bigint, sh: number, round: boolean) =>
    sh >= 0 ? a << BigInt(sh) : ((round ? a + (1n << BigInt(-sh - 1)) : a) >> BigInt(-sh));

  // ---- integer, three registers of the same length (and by scalar: x >= 0 is the lane of Dm) ----
  const nv3 = (op: number, size: number, u: number, d: number, n: number, m: number, regs: number, x = -1): void => {
    if (size === 3) {
      const A = big(u);
      for (let i = 0; i < regs; i++) {
        const a = A[n + i], b = A[m + i];
        let r: bigint;
        switch (op) {
          case Op.QADD: r = satB(a + b, u); break;
          case Op.QSUB: r = satB(a - b, u); break;
          case Op.ADD: r = a + b; break;
          case Op.SUB: r = a - b; break;
          case Op.SHL: r = shiftB(a, Number(BigInt.asIntN(8, b)), false); break;
          case Op.RSHL: r = shiftB(a, Number(BigInt.asIntN(8, b)), true); break;
          case Op.QSHL: case Op.QRSHL: {
            const sh = Number(BigInt.asIntN(8, b));
            r = sh > 0 ? satB(a << BigInt(sh), u) : shiftB(a, sh, op === Op.QRSHL);
            break;
          }
          default: throw new Error(`nv3: op ${op} on 64-bit elements`);
        }
        if (u) U64[d + i] = BigInt.asUintN(64, r);
        else I64[d + i] = BigInt.asIntN(64, r);
      }
      return;
    }
    const A = view(size, u), per = 8 >> size, cnt = per * regs;
    const D0 = d * per, N0 = n * per, M0 = m * per;
    const sc = x >= 0 ? A[M0 + x] : 0;
    for (let i = 0; i < cnt; i++) {
      const a = A[N0 + i], b = x >= 0 ? sc : A[M0 + i];
      let r: number;
      switch (op) {
        case Op.HADD: r = Math.floor((a + b) / 2); break;
        case Op.QADD: r = sat(a + b, size, u); break;
        case Op.RHADD: r = Math.floor((a + b + 1) / 2); break;
        case Op.HSUB: r = Math.floor((a - b) / 2); break;
        case Op.QSUB: r = sat(a - b, size, u); break;
        case Op.CGT: r = a > b ? -1 : 0; break;
        case Op.CGE: r = a >= b ? -1 : 0; break;
        case Op.SHL: r = shiftN(a, shiftOf(b), false); break;
        case Op.RSHL: r = shiftN(a, shiftOf(b), true); break;
        case Op.QSHL: case Op.QRSHL: {
          const sh = shiftOf(b);
          r = sh > 0 ? sat(a * 2 ** sh, size, u) : shiftN(a, sh, op === Op.QRSHL);
          break;
        }
        case Op.MAX: r = a > b ? a : b; break;
        case Op.MIN: r = a < b ? a : b; break;
        case Op.ABD: r = Math.abs(a - b); break;
        case Op.ABA: r = A[D0 + i] + Math.abs(a - b); break;
        case Op.ADD: r = a + b; break;
        case Op.SUB: r = a - b; break;
        case Op.TST: r = (a & b) !== 0 ? -1 : 0; break;
        case Op.CEQ: r = a === b ? -1 : 0; break;
        case Op.MLA: r = A[D0 + i] + (size === 2 ? Math.imul(a, b) : a * b); break;
        case Op.MLS: r = A[D0 + i] - (size === 2 ? Math.imul(a, b) : a * b); break;
        case Op.MUL: r = size === 2 ? Math.imul(a, b) : a * b; break;
        case Op.PMUL: r = pmul(a, b); break;
        case Op.QDMULH: case Op.QRDMULH: {
          const rnd = op === Op.QRDMULH;
          if (size === 1) r = sat(Math.floor((2 * a * b + (rnd ? 32768 : 0)) / 65536), 1, 0);
          else r = sat(Number((2n * BigInt(a) * BigInt(b) + (rnd ? 1n << 31n : 0n)) >> 32n), 2, 0);
          break;
        }
        default: throw new Error(`nv3: op ${op}`);
      }
      A[D0 + i] = r;
    }
  };
  /** Pairwise on D registers: the pairs of Dn, then those of Dm. */
  const nvp = (op: number, size: number, u: number, d: number, n: number, m: number): void => {
    const A = view(size, u), per = 8 >> size, half = per >> 1;
    for (let i = 0; i < per; i++) {
      const base = (i < half ? n * per : m * per) + 2 * (i % half);
      const a = A[base], b = A[base + 1];
      T[i] = op === Op.PMAX ? Math.max(a, b) : op === Op.PMIN ? Math.min(a, b) : a + b;
    }
    for (let i = 0; i < per; i++) A[d * per + i] = T[i];
  };

  // ---- floating point with the standard FPSCR value ----
  const MIN_NORMAL = 2 ** -126;
  let flags = 0, idc = false;
  /** An input: subnormals flush to zero. */
  const inF = (x: number): number => {
    if (x !== 0 && Math.abs(x) < MIN_NORMAL) {
      idc = true;
      return x < 0 ? -0 : 0;
    }
    return x;
  };
  /** A result (exact value r + err): flushed to zero when tiny, else rounded; NaN is the default NaN. */
  const roundF = (r: number, err = 0): number => {
    if (r !== r) return r;
    if (r !== 0 && Math.abs(r) < MIN_NORMAL) {
      flags |= FP_UNDERFLOW;
      return r < 0 ? -0 : 0;
    }
    const f = Math.fround(r);
    if (!Number.isFinite(f) && Number.isFinite(r)) flags |= FP_OVERFLOW | FP_INEXACT;
    else if (f !== r || err !== 0) flags |= FP_INEXACT;
    return f;
  };
  const outF = (k: number, r: number) => {
    if (r === r) S[k] = r;
    else VI[k] = DEFAULT_NAN_S;
  };
  const begin = () => {
    flags = 0;
    idc = false;
  };
  const end = () => {
    if (cpu.fpscr & FPSCR_TRACK) {
      raiseIf(flags);
      if (idc) cpu.fpscr |= IDC;
    }
  };
  /** Whether any operand (bits) is a NaN: Invalid for a signalling one (or any, for a signalling comparison). */
  const nanIn = (signalling: boolean, ...bits: number[]): boolean => {
    let nan = false;
    for (const b of bits) {
      if (isNaNs(b)) {
        nan = true;
        if (signalling || isSNaNs(b)) flags |= FP_INVALID;
      }
    }
    return nan;
  };
  const fadd = (a: number, b: number) => {
    const r = a + b;
    if (r !== r) {
      flags |= FP_INVALID;
      return r;
    }
    return roundF(r, Number.isFinite(r) ? twoSumErr(a, b, r) : 0);
  };
  const fmul = (a: number, b: number) => {
    const r = a * b;
    if (r !== r) flags |= FP_INVALID;
    return roundF(r);
  };
  const fmaxmin = (a: number, b: number, max: boolean) => {
    if (a === 0 && b === 0) return max ? (Object.is(a, -0) && Object.is(b, -0) ? -0 : 0) : Object.is(a, -0) || Object.is(b, -0) ? -0 : 0;
    return max ? (a > b ? a : b) : a < b ? a : b;
  };
  const isMask = (op: number) => op === Op.FCEQ || op === Op.FCGE || op === Op.FCGT || op === Op.FACGE || op === Op.FACGT;
  /** One element of a three-register float op: raw values and bits of the operands (c: the destination). */
  const fop = (op: number, ra: number, ba: number, rb: number, bb: number, rc: number, bc: number): number => {
    const a = inF(ra), b = inF(rb);
    if (op === Op.FMLA || op === Op.FMLS || op === Op.FFMA || op === Op.FFMS) {
      const c = inF(rc);
      if (op === Op.FFMA || op === Op.FFMS) {
        if (nanIn(false, bc, ba, bb)) {
          // A NaN addend does not hide an invalid product (infinity times a zero, flushed or not).
          if ((Math.abs(a) === Infinity && b === 0) || (a === 0 && Math.abs(b) === Infinity)) flags |= FP_INVALID;
          return NaN;
        }
        const aa = op === Op.FFMS ? -a : a;
        if (!Number.isFinite(aa) || !Number.isFinite(b) || !Number.isFinite(c) || aa === 0 || b === 0) {
          const r = aa * b + c;
          if (r !== r) flags |= FP_INVALID;
          return r;
        }
        // The exact value is s + e: flushed when tiny, else rounded once.
        const p = aa * b, s = p + c, e = twoSumErr(p, c, s);
        if (s === 0 && e === 0) return 0;
        if (Math.abs(s) < MIN_NORMAL || (Math.abs(s) === MIN_NORMAL && e !== 0 && (e < 0) !== (s < 0))) {
          flags |= FP_UNDERFLOW;
          return s < 0 ? -0 : 0;
        }
        const r = fmaNearestS(aa, b, c);
        if (!Number.isFinite(r)) flags |= FP_OVERFLOW | FP_INEXACT;
        else if (r !== s || e !== 0) flags |= FP_INEXACT;
        return r;
      }
      // Chained: the product is rounded (a NaN product makes the sum the default NaN).
      if (nanIn(false, ba, bb)) {
        nanIn(false, bc);
        return NaN;
      }
      const p = fmul(a, b);
      if (p !== p || nanIn(false, bc)) return NaN;
      return fadd(c, op === Op.FMLS ? -p : p);
    }
    if (nanIn(op === Op.FCGE || op === Op.FCGT || op === Op.FACGE || op === Op.FACGT, ba, bb)) return isMask(op) ? 0 : NaN;
    switch (op) {
      case Op.FADD: case Op.FPADD: return fadd(a, b);
      case Op.FSUB: return fadd(a, -b);
      case Op.FABD: return Math.abs(fadd(a, -b));
      case Op.FMUL: return fmul(a, b);
      case Op.FCEQ: return a === b ? -1 : 0;
      case Op.FCGE: return a >= b ? -1 : 0;
      case Op.FCGT: return a > b ? -1 : 0;
      case Op.FACGE: return Math.abs(a) >= Math.abs(b) ? -1 : 0;
      case Op.FACGT: return Math.abs(a) > Math.abs(b) ? -1 : 0;
      case Op.FMAX: case Op.FPMAX: return fmaxmin(a, b, true);
      case Op.FMIN: case Op.FPMIN: return fmaxmin(a, b, false);
      case Op.FRECPS: case Op.FRSQRTS: {
        const infzero = (Math.abs(a) === Infinity && b === 0) || (a === 0 && Math.abs(b) === Infinity);
        const p = infzero ? 0 : fmul(a, b);
        if (op === Op.FRECPS) return fadd(2, -p);
        // (3 - p) / 2: the halving is exact, the difference may not be (a tiny p vanishes in 3 - p, yet the result is inexact).
        const diff = 3 - p;
        return roundF(diff / 2, Number.isFinite(diff) ? twoSumErr(3, -p, diff) : 0);
      }
      default: throw new Error(`fop: op ${op}`);
    }
  };
  const nv3f = (op: number, d: number, n: number, m: number, regs: number, x = -1): void => {
    begin();
    // A scalar operand is read before any element is written (it may be in Dd).
    const sv = x >= 0 ? S[2 * m + x] : 0, sb = x >= 0 ? VI[2 * m + x] : 0;
    for (let i = 0; i < 2 * regs; i++) {
      const kd = 2 * d + i, ka = 2 * n + i, kb = 2 * m + i;
      const r = x >= 0 ? fop(op, S[ka], VI[ka], sv, sb, S[kd], VI[kd]) : fop(op, S[ka], VI[ka], S[kb], VI[kb], S[kd], VI[kd]);
      if (isMask(op)) VI[kd] = r;
      else outF(kd, r);
    }
    end();
  };
  const nvpf = (op: number, d: number, n: number, m: number): void => {
    begin();
    const r0 = fop(op, S[2 * n], VI[2 * n], S[2 * n + 1], VI[2 * n + 1], 0, 0);
    const r1 = fop(op, S[2 * m], VI[2 * m], S[2 * m + 1], VI[2 * m + 1], 0, 0);
    outF(2 * d, r0);
    outF(2 * d + 1, r1);
    end();
  };

  // ---- long, wide and narrow (and long by scalar: x >= 0) ----
  const nvl = (op: number, size: number, u: number, d: number, n: number, m: number, x = -1): void => {
    const es = 8 << size, per = 8 >> size;
    const narrow = op === Op.ADDHN || op === Op.RADDHN || op === Op.SUBHN || op === Op.RSUBHN;
    if (narrow) {
      // Dd (es) from Qn, Qm (2 es): the high halves.
      const round = op === Op.RADDHN || op === Op.RSUBHN, sub = op === Op.SUBHN || op === Op.RSUBHN;
      if (size === 2) {
        for (let i = 0; i < per; i++) {
          const v = sub ? U64[n + i] - U64[m + i] : U64[n + i] + U64[m + i];
          TB[i] = (v + (round ? 1n << 31n : 0n)) >> 32n;
        }
        for (let i = 0; i < per; i++) VI[2 * d + i] = Number(BigInt.asIntN(32, TB[i]));
        return;
      }
      const W = view(size + 1, 1), A = view(size, 1);
      for (let i = 0; i < per; i++) {
        const wn = W[n * (per >> 1) + i], wm = W[m * (per >> 1) + i];
        const v = sub ? wn - wm : wn + wm;
        T[i] = Math.floor((v + (round ? 2 ** (es - 1) : 0)) / 2 ** es);
      }
      for (let i = 0; i < per; i++) A[d * per + i] = T[i];
      return;
    }
    const A = view(size, u);
    const wide = op === Op.ADDW || op === Op.SUBW;
    const sc = x >= 0 ? A[m * per + x] : 0;
    if (size === 2) {
      const W = big(u);
      for (let i = 0; i < per; i++) {
        const a = wide ? W[n + i] : BigInt(A[n * per + i]), b = BigInt(x >= 0 ? sc : A[m * per + i]);
        const dv = W[d + i];
        let r: bigint;
        switch (op) {
          case Op.ADDL: case Op.ADDW: r = a + b; break;
          case Op.SUBL: case Op.SUBW: r = a - b; break;
          case Op.ABAL: r = dv + (a > b ? a - b : b - a); break;
          case Op.ABDL: r = a > b ? a - b : b - a; break;
          case Op.MLAL: r = dv + a * b; break;
          case Op.MLSL: r = dv - a * b; break;
          case Op.MULL: r = a * b; break;
          case Op.QDMULL: r = satB(2n * a * b, 0); break;
          case Op.QDMLAL: r = satB(dv + satB(2n * a * b, 0), 0); break;
          case Op.QDMLSL: r = satB(dv - satB(2n * a * b, 0), 0); break;
          default: throw new Error(`nvl: op ${op}`);
        }
        TB[i] = r;
      }
      for (let i = 0; i < per; i++) I64[d + i] = BigInt.asIntN(64, TB[i]);
      return;
    }
    const W = view(size + 1, u), wper = per >> 1;
    for (let i = 0; i < per; i++) {
      const a = wide ? W[n * wper + i] : A[n * per + i], b = x >= 0 ? sc : A[m * per + i];
      const dv = W[d * wper + i];
      let r: number;
      switch (op) {
        case Op.ADDL: case Op.ADDW: r = a + b; break;
        case Op.SUBL: case Op.SUBW: r = a - b; break;
        case Op.ABAL: r = dv + Math.abs(a - b); break;
        case Op.ABDL: r = Math.abs(a - b); break;
        case Op.MLAL: r = dv + a * b; break;
        case Op.MLSL: r = dv - a * b; break;
        case Op.MULL: r = a * b; break;
        case Op.PMULL: r = pmul(a, b); break;
        case Op.QDMULL: r = sat(2 * a * b, size + 1, 0); break;
        case Op.QDMLAL: r = sat(dv + sat(2 * a * b, size + 1, 0), size + 1, 0); break;
        case Op.QDMLSL: r = sat(dv - sat(2 * a * b, size + 1, 0), size + 1, 0); break;
        default: throw new Error(`nvl: op ${op}`);
      }
      T[i] = r;
    }
    for (let i = 0; i < per; i++) W[d * wper + i] = T[i];
  };

  // ---- shifts by immediate ----
  const nvsh = (op: number, size: number, u: number, d: number, m: number, sh: number, regs: number): void => {
    const es = 8 << size;
    if (op === Op.SHLL) {
      // Qd (2 es) from Dm (es).
      const per = 8 >> size, A = view(size, u);
      for (let i = 0; i < per; i++) T[i] = A[m * per + i] * 2 ** sh;
      if (size === 2) for (let i = 0; i < per; i++) I64[d + i] = BigInt(T[i]);
      else {
        const W = view(size + 1, u);
        for (let i = 0; i < per; i++) W[(d * per >> 1) + i] = T[i];
      }
      return;
    }
    if (op >= Op.SHRN && op <= Op.QRSHRUN) {
      // Dd (es) from Qm (2 es).
      const per = 8 >> size;
      const round = op === Op.RSHRN || op === Op.QRSHRN || op === Op.QRSHRUN;
      const srcU = op === Op.QSHRN || op === Op.QRSHRN ? u : op === Op.SHRN || op === Op.RSHRN ? 1 : 0;
      const dstU = op === Op.QSHRUN || op === Op.QRSHRUN ? 1 : u;
      const saturate = op !== Op.SHRN && op !== Op.RSHRN;
      for (let i = 0; i < per; i++) {
        if (size === 2) {
          // 64-bit sources: saturate (or wrap) before leaving BigInt.
          const v = shiftB(big(srcU)[m + i], -sh, round);
          T[i] = saturate ? sat(v > 2n ** 33n ? 2 ** 33 : v < -(2n ** 33n) ? -(2 ** 33) : Number(v), size, dstU) : Number(BigInt.asUintN(32, v));
        } else {
          const v = shiftN(view(size + 1, srcU)[m * (per >> 1) + i], -sh, round);
          T[i] = saturate ? sat(v, size, dstU) : v;
        }
      }
      const A = view(size, 1);
      for (let i = 0; i < per; i++) A[d * per + i] = T[i];
      return;
    }
    if (size === 3) {
      for (let i = 0; i < regs; i++) {
        const A = big(op === Op.QSHLU ? 0 : u), a = A[m + i], dv = U64[d + i];
        let r: bigint;
        switch (op) {
          case Op.SHR: r = a >> BigInt(sh); break;
          case Op.SRA: r = BigInt.asUintN(64, dv + (a >> BigInt(sh))); break;
          case Op.RSHR: r = shiftB(a, -sh, true); break;
          case Op.RSRA: r = BigInt.asUintN(64, dv + shiftB(a, -sh, true)); break;
          case Op.SRI: {
            const mask = sh === 64 ? 0n : (2n ** 64n - 1n) >> BigInt(sh);
            r = (dv & ~mask & (2n ** 64n - 1n)) | (BigInt.asUintN(64, a) >> BigInt(sh));
            break;
          }
          case Op.SHLI: r = a << BigInt(sh); break;
          case Op.SLI: {
            const mask = ((2n ** 64n - 1n) << BigInt(sh)) & (2n ** 64n - 1n);
            r = (dv & ~mask & (2n ** 64n - 1n)) | ((a << BigInt(sh)) & mask);
            break;
          }
          case Op.QSHLI: r = satB(a << BigInt(sh), u); break;
          case Op.QSHLU: r = satB(a << BigInt(sh), 1); break;
          default: throw new Error(`nvsh: op ${op}`);
        }
        U64[d + i] = BigInt.asUintN(64, r);
      }
      return;
    }
    const per = 8 >> size, cnt = per * regs, D0 = d * per, M0 = m * per;
    const A = view(size, op === Op.QSHLU ? 0 : u), AU = view(size, 1);
    const ones = 2 ** es - 1;
    for (let i = 0; i < cnt; i++) {
      const a = A[M0 + i];
      let r: number;
      switch (op) {
        case Op.SHR: r = Math.floor(a / 2 ** sh); break;
        case Op.SRA: r = A[D0 + i] + Math.floor(a / 2 ** sh); break;
        case Op.RSHR: r = shiftN(a, -sh, true); break;
        case Op.RSRA: r = A[D0 + i] + shiftN(a, -sh, true); break;
        case Op.SRI: {
          const mask = sh === es ? 0 : Math.floor(ones / 2 ** sh);
          r = (AU[D0 + i] & ~mask) | Math.floor(AU[M0 + i] / 2 ** sh);
          break;
        }
        case Op.SHLI: r = a * 2 ** sh; break;
        case Op.SLI: {
          const mask = (ones * 2 ** sh) % 2 ** es;
          r = (AU[D0 + i] & ~mask) | ((AU[M0 + i] * 2 ** sh) % 2 ** es);
          break;
        }
        case Op.QSHLI: r = sat(a * 2 ** sh, size, u); break;
        case Op.QSHLU: r = sat(a * 2 ** sh, size, 1); break;
        default: throw new Error(`nvsh: op ${op}`);
      }
      A[D0 + i] = r;
    }
  };
  /** Fixed point <-> F32 (toward zero to fixed, to nearest from fixed). */
  const nvcvtx = (toFixed: number, u: number, d: number, m: number, fbits: number, regs: number): void => {
    begin();
    for (let i = 0; i < 2 * regs; i++) {
      const km = 2 * m + i, kd = 2 * d + i;
      if (toFixed) VI[kd] = toFix(km, u, fbits);
      else outF(kd, roundF((u ? VI[km] >>> 0 : VI[km]) / 2 ** fbits));
    }
    end();
  };
  const toFix = (k: number, u: number, fbits: number): number => {
    const x = inF(S[k]);
    if (x !== x) {
      flags |= FP_INVALID;
      return 0;
    }
    const v = Math.trunc(x * 2 ** fbits);
    const lo = u ? 0 : -(2 ** 31), hi = u ? 2 ** 32 - 1 : 2 ** 31 - 1;
    if (v > hi || v < lo) {
      flags |= FP_INVALID;
      return v > hi ? hi : lo;
    }
    if (v !== x * 2 ** fbits) flags |= FP_INEXACT;
    return v;
  };

  // ---- two registers, miscellaneous ----
  const nvmisc = (op: number, size: number, u: number, d: number, m: number, regs: number): void => {
    const per = 8 >> size, cnt = per * regs, es = 8 << size;
    switch (op) {
      case -1: // VMVN
        for (let i = 0; i < 2 * regs; i++) VI[2 * d + i] = ~VI[2 * m + i];
        return;
      case Op.REV64: case Op.REV32: case Op.REV16: {
        const group = op === Op.REV64 ? 8 : op === Op.REV32 ? 4 : 2, eb = 1 << size, k = group / eb;
        for (let j = 0; j < 8 * regs; j++) {
          const g = j - (j % group), e = Math.floor((j % group) / eb), b = j % eb;
          T[j] = U8[8 * m + g + (k - 1 - e) * eb + b];
        }
        for (let j = 0; j < 8 * regs; j++) U8[8 * d + j] = T[j];
        return;
      }
      case Op.PADDL: case Op.PADAL: {
        const A = view(size, u), acc = op === Op.PADAL;
        if (size === 2) {
          const W = big(u);
          for (let i = 0; i < regs * 2; i += 2) {
            const j = i >> 1;
            TB[j] = BigInt(A[2 * m + i]) + BigInt(A[2 * m + i + 1]) + (acc ? W[d + j] : 0n);
          }
          for (let j = 0; j < regs; j++) I64[d + j] = BigInt.asIntN(64, TB[j]);
          return;
        }
        const W = view(size + 1, u), half = cnt >> 1;
        for (let j = 0; j < half; j++) T[j] = A[m * per + 2 * j] + A[m * per + 2 * j + 1] + (acc ? W[(d * per >> 1) + j] : 0);
        for (let j = 0; j < half; j++) W[(d * per >> 1) + j] = T[j];
        return;
      }
      case Op.SWP:
        for (let i = 0; i < 2 * regs; i++) {
          const t = VI[2 * d + i];
          VI[2 * d + i] = VI[2 * m + i];
          VI[2 * m + i] = t;
        }
        return;
      case Op.TRN: case Op.UZP: case Op.ZIP: {
        const A = view(size, 1), D0 = d * per, M0 = m * per;
        const a = Array.from({ length: cnt }, (_, i) => A[D0 + i]), b = Array.from({ length: cnt }, (_, i) => A[M0 + i]);
        if (op === Op.TRN) {
          for (let i = 0; i < cnt; i += 2) {
            A[D0 + i + 1] = b[i];
            A[M0 + i] = a[i + 1];
          }
        } else if (op === Op.ZIP) {
          const all = [];
          for (let i = 0; i < cnt; i++) all.push(a[i], b[i]);
          for (let i = 0; i < cnt; i++) {
            A[D0 + i] = all[i];
            A[M0 + i] = all[cnt + i];
          }
        } else {
          const all = [...a, ...b];
          for (let i = 0; i < cnt; i++) {
            A[D0 + i] = all[2 * i];
            A[M0 + i] = all[2 * i + 1];
          }
        }
        return;
      }
      case Op.MOVN: case Op.QMOVN: case Op.QMOVUN: {
        // Dd (es) from Qm (2 es).
        const srcU = op === Op.QMOVN ? u : op === Op.QMOVUN ? 0 : 1, dstU = op === Op.QMOVUN ? 1 : u;
        for (let i = 0; i < per; i++) {
          const v = size === 2 ? Number(big(srcU)[m + i]) : view(size + 1, srcU)[m * (per >> 1) + i];
          const vv = size === 2 && op === Op.MOVN ? Number(BigInt.asUintN(32, big(srcU)[m + i])) : v;
          T[i] = op === Op.MOVN ? vv : sat(v, size, dstU);
        }
        const A = view(size, 1);
        for (let i = 0; i < per; i++) A[d * per + i] = T[i];
        return;
      }
      case Op.SHLLMAX:
        nvsh(Op.SHLL, size, 1, d, m, es, 1);
        return;
      case Op.FABS: case Op.FNEG:
        for (let i = 0; i < 2 * regs; i++) VI[2 * d + i] = op === Op.FABS ? VI[2 * m + i] & 0x7fffffff : VI[2 * m + i] ^ SIGN;
        return;
      case Op.FCGT0: case Op.FCGE0: case Op.FCEQ0: case Op.FCLE0: case Op.FCLT0:
      case Op.CVTFS: case Op.CVTFU: case Op.CVTSF: case Op.CVTUF: case Op.FRECPE: case Op.FRSQRTE:
        begin();
        for (let i = 0; i < 2 * regs; i++) {
          const km = 2 * m + i, kd = 2 * d + i;
          if (op === Op.CVTFS || op === Op.CVTFU) outF(kd, roundF(op === Op.CVTFU ? VI[km] >>> 0 : VI[km]));
          else if (op === Op.CVTSF || op === Op.CVTUF) VI[kd] = toFix(km, op === Op.CVTUF ? 1 : 0, 0);
          else if (op === Op.FRECPE || op === Op.FRSQRTE) VI[kd] = estimate(km, op === Op.FRSQRTE);
          else {
            const x = inF(S[km]);
            if (nanIn(op !== Op.FCEQ0, VI[km])) VI[kd] = 0;
            else {
              const t = op === Op.FCGT0 ? x > 0 : op === Op.FCGE0 ? x >= 0 : op === Op.FCEQ0 ? x === 0 : op === Op.FCLE0 ? x <= 0 : x < 0;
              VI[kd] = t ? -1 : 0;
            }
          }
        }
        end();
        return;
      case Op.RECPE: case Op.RSQRTE:
        for (let i = 0; i < 2 * regs; i++) {
          const v = VI[2 * m + i] >>> 0;
          let r: number;
          if (op === Op.RECPE) r = v < 2 ** 31 ? -1 : recipEstimate(v >>> 23) << 23;
          else if (v < 2 ** 30) r = -1;
          else r = (v >= 2 ** 31 ? rsqrtEstimate((256 + ((v >>> 23) & 255)) / 512) : rsqrtEstimate((256 + ((v >>> 22) & 255)) / 1024)) << 23;
          VI[2 * d + i] = r;
        }
        return;
      default:
        break;
    }
    // Element-wise integer ops.
    const A = view(size, op === Op.CLZ || op === Op.CNT ? 1 : 0), D0 = d * per, M0 = m * per;
    for (let i = 0; i < cnt; i++) {
      const a = A[M0 + i];
      let r: number;
      switch (op) {
        case Op.CLS: {
          let c = 0;
          const top = a < 0 ? 1 : 0;
          for (let b = es - 2; b >= 0 && ((a >>> b) & 1) === top; b--) c++;
          r = c;
          break;
        }
        case Op.CLZ: r = Math.clz32(a) - (32 - es); break;
        case Op.CNT: {
          let c = 0;
          for (let v = a; v; v &= v - 1) c++;
          r = c;
          break;
        }
        case Op.QABS: r = sat(Math.abs(a), size, 0); break;
        case Op.QNEG: r = sat(-a, size, 0); break;
        case Op.CGT0: r = a > 0 ? -1 : 0; break;
        case Op.CGE0: r = a >= 0 ? -1 : 0; break;
        case Op.CEQ0: r = a === 0 ? -1 : 0; break;
        case Op.CLE0: r = a <= 0 ? -1 : 0; break;
        case Op.CLT0: r = a < 0 ? -1 : 0; break;
        case Op.ABS: r = Math.abs(a); break;
        case Op.NEG: r = -a; break;
        default: throw new Error(`nvmisc: op ${op}`);
      }
      A[D0 + i] = r;
    }
  };
  /** VRECPE.F32 / VRSQRTE.F32: the ARM ARM estimates, with flush-to-zero. */
  const estimate = (k: number, rsqrt: boolean): number => {
    const x = inF(S[k]);
    const bits = VI[k], sign = bits & SIGN;
    if (x !== x) {
      if (isSNaNs(bits)) flags |= FP_INVALID;
      return DEFAULT_NAN_S;
    }
    if (x === 0) {
      flags |= FP_DIVZERO;
      return sign | 0x7f800000;
    }
    if (rsqrt) {
      if (x < 0) {
        flags |= FP_INVALID;
        return DEFAULT_NAN_S;
      }
      if (x === Infinity) return 0;
      const e = (bits >>> 23) & 255, frac = bits & 0x7fffff;
      const a = (1 + frac / 2 ** 23) / ((e & 1) === 0 ? 2 : 4);
      const s = rsqrtEstimate(a);
      const re = Math.floor((380 - e) / 2);
      return (re << 23) | ((s - 256) << 15);
    }
    if (Math.abs(x) === Infinity) return sign;
    if (Math.abs(x) >= 2 ** 126) {
      flags |= FP_UNDERFLOW;
      return sign;
    }
    const e = (bits >>> 23) & 255, frac = bits & 0x7fffff;
    const s = recipEstimate(256 + (frac >>> 15));
    return sign | ((253 - e) << 23) | ((s - 256) << 15);
  };

  return {
    nv3, nvp, nv3f, nvpf, nvl, nvsh, nvcvtx, nvmisc,
    nvs: (op: number, size: number, d: number, n: number, m: number, x: number, regs: number) =>
      op === Op.FMLA || op === Op.FMLS || op === Op.FMUL ? nv3f(op, d, n, m, regs, x) : nv3(op, size, 0, d, n, m, regs, x),
    nvsl: (op: number, size: number, u: number, d: number, n: number, m: number, x: number) => nvl(op, size, u, d, n, m, x),
    nvext: (d: number, n: number, m: number, imm: number, regs: number) => {
      const len = 8 * regs;
      for (let j = 0; j < len; j++) T[j] = imm + j < len ? U8[8 * n + imm + j] : U8[8 * m + imm + j - len];
      for (let j = 0; j < len; j++) U8[8 * d + j] = T[j];
    },
    nvtbl: (d: number, n: number, len: number, m: number, tbx: number) => {
      for (let j = 0; j < 8; j++) {
        const idx = U8[8 * m + j];
        T[j] = idx < 8 * len ? U8[8 * ((n + (idx >>> 3)) & 31) + (idx & 7)] : tbx ? U8[8 * d + j] : 0;
      }
      for (let j = 0; j < 8; j++) U8[8 * d + j] = T[j];
    },
    nvdup: (size: number, d: number, m: number, x: number, regs: number) => {
      const A = view(size, 1), per = 8 >> size, v = A[m * per + x];
      A.fill(v, d * per, (d + regs) * per);
    },
  };
}
