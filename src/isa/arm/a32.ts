// The A32 (ARM state) instruction table, ARMv5TE through ARMv7-A user mode: the single
// description from which decode, disassembly, interpretation and translation derive.
// Conditions are not part of the templates: the CPU runs each instruction under the
// condition in its top four bits (see cpu.ts). Encodings with condition 1111 are the
// unconditional space; their masks include those bits.
//
// Template environment (see cpu.ts and common.ts): R (registers and flags), memory accessors
// ld8u ld8s ld16u ld16s ld32 st8 st16 st32 (unaligned allowed) and ld32a (aligned),
// mulhu, rsh/rshc (register-controlled shifts),
// excl* (exclusive monitor), cpu (tls), syscall, udf, kuser, VFP/NEON helpers in vfp.ts.
import { FieldDef, InsnDef, InsnFlags, InsnTable, featureScope } from '../table.js';
import { C, GE, N, NEXT, Q, V, Z, addWithFlags, armRegName, CP15_BARRIERS, CPS_FORMS, mediaMultiplyDefs, pairExtendDefs, pairSaturateDefs, parallelDefs, popcountExpr, saturate, setNZ, subWithFlags } from './common.js';
import type { MediaFields } from './common.js';
import { VFP_FIELDS, vfpDefs } from './vfp.js';
import { mulhExpr } from '../arith.js';
import { prebuiltDefs } from '../prebuilt.js';
import { ARM_IDIV, ARM_V6, ARM_V7 } from './models.js';

const F: Record<string, FieldDef> = {
  rn: { expr: '(w >>> 16) & 15', kind: 'gpr' },
  rd: { expr: '(w >>> 12) & 15', kind: 'gpr' },
  rs: { expr: '(w >>> 8) & 15', kind: 'gpr' },
  rm: { expr: 'w & 15', kind: 'gpr' },
  // Destinations: writing r15 means branching, which templates do through R[NEXT].
  rdw: { expr: `((w >>> 12) & 15) === 15 ? ${NEXT} : (w >>> 12) & 15`, kind: 'gpr' },
  rnw: { expr: `((w >>> 16) & 15) === 15 ? ${NEXT} : (w >>> 16) & 15`, kind: 'gpr' },
  rd2: { expr: '((w >>> 12) & 15) + 1', kind: 'gpr' },
  // Multiplies put Rd at 19-16 and the accumulator at 15-12.
  mrd: { expr: '(w >>> 16) & 15', kind: 'gpr' },
  mra: { expr: '(w >>> 12) & 15', kind: 'gpr' },
  s: { expr: '(w >>> 20) & 1', kind: 'int' },
  p: { expr: '(w >>> 24) & 1', kind: 'int' },
  u: { expr: '(w >>> 23) & 1', kind: 'int' },
  wb: { expr: '(w >>> 21) & 1', kind: 'int' },
  imm12: { expr: 'w & 0xfff', kind: 'int' },
  imm8: { expr: '((w >>> 4) & 0xf0) | (w & 15)', kind: 'int' },
  rot: { expr: '(w >>> 7) & 30', kind: 'int' },
  rimm: { expr: '((w & 0xff) >>> ((w >>> 7) & 30)) | ((w & 0xff) << ((32 - ((w >>> 7) & 30)) & 31))', kind: 'hex' },
  sh: { expr: '(w >>> 7) & 31', kind: 'int' },
  rot8: { expr: '(w >>> 7) & 24', kind: 'int' },
  list: { expr: 'w & 0xffff', kind: 'hex' },
  count: { expr: popcountExpr('w & 0xffff'), kind: 'int' },
  btarget: { expr: '(pc + 8 + ((w << 8) >> 6)) | 0', kind: 'target' },
  xtarget: { expr: '((pc + 8 + ((w << 8) >> 6) + ((w >>> 23) & 2)) | 1) | 0', kind: 'target' },
  pc: { expr: 'pc', kind: 'hex' },
  imm16: { expr: '((w >>> 4) & 0xf000) | (w & 0xfff)', kind: 'hex' },
  imm24: { expr: 'w & 0xffffff', kind: 'hex' },
  lsb: { expr: '(w >>> 7) & 31', kind: 'int' },
  widthm1: { expr: '(w >>> 16) & 31', kind: 'int' },
  msb: { expr: '(w >>> 16) & 31', kind: 'int' },
  // Field widths as the assembler writes them (bfi, ubfx...).
  width: { expr: '((w >>> 16) & 31) + 1', kind: 'int' },
  bfwidth: { expr: '((w >>> 16) & 31) - ((w >>> 7) & 31) + 1', kind: 'int' },
  satimm: { expr: '(w >>> 16) & 31', kind: 'int' },
  sat4: { expr: '(w >>> 16) & 15', kind: 'int' },
  shtype: { expr: '(w >>> 6) & 1', kind: 'int' },
  xbit: { expr: '(w >>> 5) & 1', kind: 'int' },
  ybit: { expr: '(w >>> 6) & 1', kind: 'int' },
  psrmask: { expr: '(w >>> 18) & 3', kind: 'int' },
  kindex: { expr: 'w & 0xff', kind: 'int' },
  mode: { expr: 'w & 31', kind: 'int' },
  ...VFP_FIELDS,
};

/** Makes the A32 defs (VFP and NEON included): at build time for the bundle (isa/prebuilt.ts). */
function generateA32Defs(): InsnDef[] {
  const defs: InsnDef[] = [];
  /** What the defs need of the CPU (models.ts): ARMv5TE unless made in a `requiring` block. */
  const { tag, requiring } = featureScope();
  function def(name: string, mask: number, match: number, asm: string, code: string, flags = InsnFlags.None): void {
    defs.push(tag({ name, mask: mask >>> 0, match: match >>> 0, asm, code, flags }));
  }
  const BR = InsnFlags.Branch, END = InsnFlags.EndsBlock;

  // ---- shifter operands: [asm suffix, value, carry out, mask bits, match bits] ----
  interface Operand { asm: string; value: string; carry: string; mask: number; match: number }
  const SHIFT_NAMES = ['lsl', 'lsr', 'asr', 'ror'];
  const operands: Operand[] = [
    { asm: '#$rimm', value: '$rimm', carry: `($rot === 0 ? R[${C}] : $rimm >>> 31)`, mask: 1 << 25, match: 1 << 25 },
    // Immediate shifts; LSR/ASR #0 mean #32 and ROR #0 is RRX.
    { asm: '$rm, lsl #$sh', value: '(R[$rm] << $sh)', carry: `($sh === 0 ? R[${C}] : (R[$rm] >>> (32 - $sh)) & 1)`, mask: (1 << 25) | 0x70, match: 0x00 },
    { asm: '$rm, lsr #$sh', value: '($sh === 0 ? 0 : R[$rm] >>> $sh)', carry: '((R[$rm] >>> (($sh === 0 ? 32 : $sh) - 1)) & 1)', mask: (1 << 25) | 0x70, match: 0x20 },
    { asm: '$rm, asr #$sh', value: '(R[$rm] >> ($sh === 0 ? 31 : $sh))', carry: '((R[$rm] >> (($sh === 0 ? 32 : $sh) - 1)) & 1)', mask: (1 << 25) | 0x70, match: 0x40 },
    {
      asm: '$rm, ror #$sh',
      value: `($sh === 0 ? (R[${C}] << 31) | (R[$rm] >>> 1) : (R[$rm] >>> $sh) | (R[$rm] << (32 - $sh)))`,
      carry: '($sh === 0 ? R[$rm] & 1 : (R[$rm] >>> ($sh - 1)) & 1)', mask: (1 << 25) | 0x70, match: 0x60,
    },
    // Register-controlled shifts (the bottom byte of Rs).
    ...[0, 1, 2, 3].map((t): Operand => ({
      asm: `$rm, ${SHIFT_NAMES[t]} $rs`, value: `rsh(${t}, R[$rm], R[$rs] & 255)`, carry: `rshc(${t}, R[$rm], R[$rs] & 255, R[${C}])`,
      mask: (1 << 25) | 0xf0, match: 0x10 | (t << 5),
    })),
  ];

  // ---- data processing ----
  type Kind = 'logic' | 'add' | 'sub';
  const DP: [string, number, Kind, string, string, boolean, boolean][] = [
    // name, opcode, kind, first operand, second operand (x op y), writes Rd, reads Rn
    ['and', 0, 'logic', 'a & b', '', true, true], ['eor', 1, 'logic', 'a ^ b', '', true, true],
    ['sub', 2, 'sub', 'a', 'b', true, true], ['rsb', 3, 'sub', 'b', 'a', true, true],
    ['add', 4, 'add', 'a', 'b', true, true], ['adc', 5, 'add', 'a', 'b', true, true],
    ['sbc', 6, 'sub', 'a', 'b', true, true], ['rsc', 7, 'sub', 'b', 'a', true, true],
    ['tst', 8, 'logic', 'a & b', '', false, true], ['teq', 9, 'logic', 'a ^ b', '', false, true],
    ['cmp', 10, 'sub', 'a', 'b', false, true], ['cmn', 11, 'add', 'a', 'b', false, true],
    ['orr', 12, 'logic', 'a | b', '', true, true], ['mov', 13, 'logic', 'b', '', true, false],
    ['bic', 14, 'logic', 'a & ~b', '', true, true], ['mvn', 15, 'logic', '~b', '', true, false],
  ];
  for (const [name, opc, kind, x, y, writes, readsRn] of DP) {
    for (const s of writes ? [0, 1] : [1]) {
      for (const o of operands) {
        const flags = s === 1;
        const cin = name === 'adc' || name === 'sbc' || name === 'rsc' ? `R[${C}]` : kind === 'sub' ? '1' : '0';
        let body: string;
        if (kind === 'logic') {
          body = `const r = (${x}) | 0;` + (flags ? ` ${setNZ('r')} R[${C}] = c;` : '');
        } else if (kind === 'add') {
          body = addWithFlags(x, y, cin, flags);
        } else {
          body = subWithFlags(x, y, cin, flags);
        }
        const carryFirst = kind === 'logic' && flags ? `const c = ${o.carry}; ` : '';
        const code = `${readsRn ? 'const a = R[$rn]; ' : ''}const b = ${o.value}; ${carryFirst}${body}${writes ? ' R[$rdw] = r;' : ''}`;
        const asm = writes ? (readsRn ? `$rd, $rn, ${o.asm}` : `$rd, ${o.asm}`) : `$rn, ${o.asm}`;
        const sfx = flags && writes ? 's' : '';
        // Should-be-zero fields are fixed: Rn of MOV/MVN, Rd of TST/TEQ/CMP/CMN (otherwise
        // UNDEFINED to objdump and SIGILL under qemu-user).
        const sbz = (readsRn ? 0 : 0x000f0000) | (writes ? 0 : 0x0000f000);
        def(name + sfx, 0x0ff00000 | o.mask | sbz, (opc << 21) | (s << 20) | o.match, asm, code);
      }
    }
  }
  requiring(ARM_V7, () => {
    def('movw', 0x0ff00000, 0x03000000, '$rd, #$imm16', 'R[$rdw] = $imm16;');
    def('movt', 0x0ff00000, 0x03400000, '$rd, #$imm16', 'R[$rdw] = (R[$rd] & 0xffff) | ($imm16 << 16);');
  });

  // ---- status register, hints ----
  def('mrs', 0x0fff0fff, 0x010f0000, '$rd, apsr',
    `R[$rdw] = (R[${N}] << 31) | (R[${Z}] << 30) | (R[${C}] << 29) | (R[${V}] << 28) | (R[${Q}] << 27) | (R[${GE}] << 16) | 0x10;`);
  const msr = (v: string) =>
    `const v = ${v}; if ($psrmask & 2) { R[${N}] = v >>> 31; R[${Z}] = (v >>> 30) & 1; R[${C}] = (v >>> 29) & 1; ` +
    `R[${V}] = (v >>> 28) & 1; R[${Q}] = (v >>> 27) & 1; } if ($psrmask & 1) R[${GE}] = (v >>> 16) & 15;`;
  def('msr', 0x0ff3fff0, 0x0120f000, 'apsr, $rm', msr('R[$rm]'));
  def('msr', 0x0ff3f000, 0x0320f000, 'apsr, #$rimm', msr('$rimm'));
  def('nop', 0x0fffff00, 0x0320f000, '', ''); // nop, yield, wfe, wfi, sev: hints

  // ---- multiplies ----
  const mulFlags = (r: string) => `if ($s) { ${setNZ(r)} }`;
  // MUL, SMULxy and SMULWy have no accumulator: bits 15-12 should be zero (qemu-user: SIGILL otherwise).
  def('mul', 0x0fe0f0f0, 0x00000090, '$mrd, $rm, $rs', `const r = Math.imul(R[$rm], R[$rs]); ${mulFlags('r')} R[$mrd] = r;`);
  def('mla', 0x0fe000f0, 0x00200090, '$mrd, $rm, $rs, $mra', `const r = (Math.imul(R[$rm], R[$rs]) + R[$mra]) | 0; ${mulFlags('r')} R[$mrd] = r;`);
  requiring(ARM_V7, () => def('mls', 0x0ff000f0, 0x00600090, '$mrd, $rm, $rs, $mra', 'R[$mrd] = R[$mra] - Math.imul(R[$rm], R[$rs]);'));
  // Long multiplies: RdLo at 15-12 (mra), RdHi at 19-16 (mrd).
  const long = (signed: boolean, acc: boolean) => {
    const sum = acc
      ? 'const l = (R[$mra] >>> 0) + (pl >>> 0); const rh = (R[$mrd] + ph + (l > 0xffffffff ? 1 : 0)) | 0; const rl = l | 0;'
      : 'const rl = pl, rh = ph;';
    return `const x = R[$rm], y = R[$rs]; const pl = Math.imul(x, y), ph = ${mulhExpr(signed, 'x', 'y')}; ${sum} ` +
      `if ($s) { R[${N}] = rh >>> 31; R[${Z}] = (rl | rh) === 0 ? 1 : 0; } R[$mra] = rl; R[$mrd] = rh;`;
  };
  def('umull', 0x0fe000f0, 0x00800090, '$mra, $mrd, $rm, $rs', long(false, false));
  def('umlal', 0x0fe000f0, 0x00a00090, '$mra, $mrd, $rm, $rs', long(false, true));
  def('smull', 0x0fe000f0, 0x00c00090, '$mra, $mrd, $rm, $rs', long(true, false));
  def('smlal', 0x0fe000f0, 0x00e00090, '$mra, $mrd, $rm, $rs', long(true, true));
  requiring(ARM_V6, () => def('umaal', 0x0ff000f0, 0x00400090, '$mra, $mrd, $rm, $rs',
    `const x = R[$rm], y = R[$rs]; const pl = Math.imul(x, y), ph = ${mulhExpr(false, 'x', 'y')}; ` +
    'const l = (pl >>> 0) + (R[$mra] >>> 0) + (R[$mrd] >>> 0); R[$mrd] = ph + Math.floor(l / 4294967296); R[$mra] = l | 0;'));
  // DSP (v5TE) halfword multiplies: x/y pick the top (1) or bottom (0) half.
  const half = (reg: string, bit: string) => `(${bit} ? ${reg} >> 16 : (${reg} << 16) >> 16)`;
  def('smul<x><y>', 0x0ff0f090, 0x01600080, '$mrd, $rm, $rs', `R[$mrd] = Math.imul(${half('R[$rm]', '$xbit')}, ${half('R[$rs]', '$ybit')});`);
  def('smla<x><y>', 0x0ff00090, 0x01000080, '$mrd, $rm, $rs, $mra',
    `const r = Math.imul(${half('R[$rm]', '$xbit')}, ${half('R[$rs]', '$ybit')}) + R[$mra]; if ((r | 0) !== r) R[${Q}] = 1; R[$mrd] = r;`);
  def('smulw<y>', 0x0ff0f0b0, 0x012000a0, '$mrd, $rm, $rs',
    `R[$mrd] = Math.floor((R[$rm] * ${half('R[$rs]', '$ybit')}) / 65536);`);
  def('smlaw<y>', 0x0ff000b0, 0x01200080, '$mrd, $rm, $rs, $mra',
    `const r = Math.floor((R[$rm] * ${half('R[$rs]', '$ybit')}) / 65536) + R[$mra]; if ((r | 0) !== r) R[${Q}] = 1; R[$mrd] = r;`);
  def('smlal<x><y>', 0x0ff00090, 0x01400080, '$mra, $mrd, $rm, $rs',
    `const p = Math.imul(${half('R[$rm]', '$xbit')}, ${half('R[$rs]', '$ybit')}); ` +
    'const l = (R[$mra] >>> 0) + (p >>> 0); R[$mrd] = R[$mrd] + (p >> 31) + (l > 0xffffffff ? 1 : 0); R[$mra] = l;');
  requiring(ARM_IDIV, () => {
    def('sdiv', 0x0ff0f0f0, 0x0710f010, '$mrd, $rm, $rs',
      'const d = R[$rs]; R[$mrd] = d === 0 ? 0 : (R[$rm] === -0x80000000 && d === -1) ? R[$rm] : (R[$rm] / d) | 0;');
    def('udiv', 0x0ff0f0f0, 0x0730f010, '$mrd, $rm, $rs', 'const d = R[$rs] >>> 0; R[$mrd] = d === 0 ? 0 : ((R[$rm] >>> 0) / d) >>> 0;');
  });

  // Operand fields of the ARMv6 media instructions shared with T32 (common.ts): these multiplies
  // put Rd at 19-16, Ra (or RdLo) at 15-12, Rm at 11-8 and Rn at 3-0.
  const A32_MEDIA: MediaFields = { rd: '$rdw', rn: '$rn', rm: '$rm', ra: '$mra', lo: '$mra', hi: '$mrd', x: '$xbit' };
  const A32_MEDIA_MULTIPLY_FIELDS: MediaFields = { rd: '$mrd', rn: '$rm', rm: '$rs', ra: '$mra', lo: '$mra', hi: '$mrd', x: '$xbit' };
  const A32_MEDIA_MULTIPLY: Record<string, number> = {
    smuad: 0x0700f010, smlad: 0x07000010, smusd: 0x0700f050, smlsd: 0x07000050, smlald: 0x07400010, smlsld: 0x07400050,
    smmul: 0x0750f010, smmla: 0x07500010, smmls: 0x075000d0, usad8: 0x0780f010, usada8: 0x07800010,
  };

  // ---- saturating arithmetic (v5TE) ----
  const S32 = (name: string, v: string) => saturate(name, v, '-0x80000000', '0x7fffffff');
  def('qadd', 0x0ff00ff0, 0x01000050, '$rd, $rm, $rn', `${S32('s', 'R[$rm] + R[$rn]')} R[$rdw] = s;`);
  def('qsub', 0x0ff00ff0, 0x01200050, '$rd, $rm, $rn', `${S32('s', 'R[$rm] - R[$rn]')} R[$rdw] = s;`);
  def('qdadd', 0x0ff00ff0, 0x01400050, '$rd, $rm, $rn', `${S32('d', '2 * R[$rn]')} ${S32('s', 'R[$rm] + d')} R[$rdw] = s;`);
  def('qdsub', 0x0ff00ff0, 0x01600050, '$rd, $rm, $rn', `${S32('d', '2 * R[$rn]')} ${S32('s', 'R[$rm] - d')} R[$rdw] = s;`);
  const shifted = '($shtype ? R[$rm] >> ($sh === 0 ? 31 : $sh) : R[$rm] << $sh)';
  requiring(ARM_V6, () => {
    def('ssat', 0x0fe00030, 0x06a00010, '$rd, #$satimm, $rm',
      `${saturate('s', shifted, '-(2 ** $satimm)', '2 ** $satimm - 1')} R[$rdw] = s;`);
    def('usat', 0x0fe00030, 0x06e00010, '$rd, #$satimm, $rm', `${saturate('s', shifted, '0', '2 ** $satimm - 1')} R[$rdw] = s;`);
  });

  // ---- bit manipulation (v5 CLZ; v6/v6T2 media) ----
  def('clz', 0x0fff0ff0, 0x016f0f10, '$rd, $rm', 'R[$rdw] = Math.clz32(R[$rm]);');
  requiring(ARM_V6, () => {
    def('rev', 0x0fff0ff0, 0x06bf0f30, '$rd, $rm',
      'const x = R[$rm]; R[$rdw] = (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);');
    def('rev16', 0x0fff0ff0, 0x06bf0fb0, '$rd, $rm', 'const x = R[$rm]; R[$rdw] = ((x & 0x00ff00ff) << 8) | ((x >>> 8) & 0x00ff00ff);');
    def('revsh', 0x0fff0ff0, 0x06ff0fb0, '$rd, $rm', 'const x = R[$rm]; R[$rdw] = (((x & 0xff) << 24) >> 16) | ((x >>> 8) & 0xff);');
  });
  requiring(ARM_V7, () => def('rbit', 0x0fff0ff0, 0x06ff0f30, '$rd, $rm',
    'let x = R[$rm]; x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1); x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2); ' +
    'x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4); x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8); R[$rdw] = (x >>> 16) | (x << 16);'));
  const rotated = '((R[$rm] >>> $rot8) | (R[$rm] << ((32 - $rot8) & 31)))';
  const extend: [string, number, string][] = [
    ['sxtb', 0x06a, '(X << 24) >> 24'], ['sxth', 0x06b, '(X << 16) >> 16'],
    ['uxtb', 0x06e, 'X & 0xff'], ['uxth', 0x06f, 'X & 0xffff'],
  ];
  requiring(ARM_V6, () => {
    for (const [name, op, ext] of extend) {
      def(name, 0x0fff03f0, (op << 20) | 0x000f0070, '$rd, $rm, ror #$rot8', `R[$rdw] = ${ext.replace('X', rotated)};`);
      def(name.replace('xt', 'xta'), 0x0ff003f0, (op << 20) | 0x70, '$rd, $rn, $rm, ror #$rot8', `R[$rdw] = R[$rn] + (${ext.replace('X', rotated)});`);
    }
    // The byte-pair extends (op 000 signed, 100 unsigned); Rn = 1111 is the plain form.
    for (const [name, code] of pairExtendDefs(A32_MEDIA)) {
      const match = (name.startsWith('s') ? 0x06800070 : 0x06c00070);
      if (name.includes('xta')) def(name, 0x0ff003f0, match, '$rd, $rn, $rm, ror #$rot8', code);
      else def(name, 0x0fff03f0, match | 0x000f0000, '$rd, $rm, ror #$rot8', code);
    }
    // ssat16, usat16: cond 0110 1x10 sat Rd 1111 0011 Rn.
    for (const [name, code] of pairSaturateDefs({ ...A32_MEDIA, rn: '$rm' }, '$sat4')) {
      def(name, 0x0ff00ff0, name === 'ssat16' ? 0x06a00f30 : 0x06e00f30, '$rd, #$sat4, $rm', code);
    }
  });
  requiring(ARM_V7, () => {
    def('ubfx', 0x0fe00070, 0x07e00050, '$rd, $rm, #$lsb, #$width',
      'R[$rdw] = $widthm1 === 31 ? R[$rm] >>> $lsb : (R[$rm] >>> $lsb) & ((1 << ($widthm1 + 1)) - 1);');
    def('sbfx', 0x0fe00070, 0x07a00050, '$rd, $rm, #$lsb, #$width',
      'R[$rdw] = (R[$rm] << (31 - $lsb - $widthm1)) >> (31 - $widthm1);');
    def('bfc', 0x0fe0007f, 0x07c0001f, '$rd, #$lsb, #$bfwidth',
      'if ($msb >= $lsb) { const m = (($msb - $lsb === 31) ? -1 : (1 << ($msb - $lsb + 1)) - 1) << $lsb; R[$rdw] = R[$rd] & ~m; }');
    def('bfi', 0x0fe00070, 0x07c00010, '$rd, $rm, #$lsb, #$bfwidth',
      'if ($msb >= $lsb) { const m = (($msb - $lsb === 31) ? -1 : (1 << ($msb - $lsb + 1)) - 1) << $lsb; R[$rdw] = (R[$rd] & ~m) | ((R[$rm] << $lsb) & m); }');
  });
  requiring(ARM_V6, () => {
    def('sel', 0x0ff00ff0, 0x06800fb0, '$rd, $rn, $rm',
      `const g = R[${GE}]; const m = ((g & 1) ? 0xff : 0) | ((g & 2) ? 0xff00 : 0) | ((g & 4) ? 0xff0000 : 0) | ((g & 8) ? 0xff000000 : 0); ` +
      'R[$rdw] = (R[$rn] & m) | (R[$rm] & ~m);');
    def('pkhbt', 0x0ff00070, 0x06800010, '$rd, $rn, $rm, lsl #$sh', 'R[$rdw] = (R[$rn] & 0xffff) | ((R[$rm] << $sh) & 0xffff0000);');
    def('pkhtb', 0x0ff00070, 0x06800050, '$rd, $rn, $rm, asr #$sh',
      'R[$rdw] = (R[$rn] & 0xffff0000) | ((R[$rm] >> ($sh === 0 ? 31 : $sh)) & 0xffff);');
    // Parallel add/subtract (glibc's string functions use uadd8 + sel): cond 0110 0 op1 Rn Rd 1111 op2 1 Rm.
    for (const [name, code, , , op1, op2] of parallelDefs(A32_MEDIA)) def(name, 0x0ff00ff0, 0x06000f10 | (op1 << 20) | (op2 << 5), '$rd, $rn, $rm', code);
    // The dual halfword, most-significant-word and sum-of-absolute-difference multiplies
    // (cond 0111 0 op1 Rd Ra Rm op2 1 Rn): an accumulator of all ones makes the plain form.
    for (const [name, code, form] of mediaMultiplyDefs(A32_MEDIA_MULTIPLY_FIELDS)) {
      const mask = (name.startsWith('usad') ? 0x0ff000f0 : 0x0ff000d0) | (form === 'plain' ? 0xf000 : 0);
      const asm = form === 'long' ? '$mra, $mrd, $rm, $rs' : form === 'acc' ? '$mrd, $rm, $rs, $mra' : '$mrd, $rm, $rs';
      def(name, mask, A32_MEDIA_MULTIPLY[name], asm, code);
    }
  });

  // ---- loads and stores ----
  const offsetOf = (imm: string) => `($u ? ${imm} : -(${imm}))`;
  /** Addressing: P (pre-index), U (add), W (write back); post-indexed forms always write back. */
  function loadStore(access: string, load: boolean, off: string): string {
    const addr = 'const base = R[$rn]; const off = ' + offsetOf(off) + '; const a = $p ? base + off : base;';
    const wb = 'if (!$p || $wb) R[$rnw] = base + off;';
    return load ? `${addr} const v = ${access.replace('A', 'a')}; ${wb} R[$rdw] = v;` : `${addr} ${access.replace('A', 'a')}; ${wb}`;
  }
  const regOffsets = [0, 1, 2, 3].map((t) => [
    `$rm, ${SHIFT_NAMES[t]} #$sh`,
    [ '(R[$rm] << $sh)', '($sh === 0 ? 0 : R[$rm] >>> $sh)', '(R[$rm] >> ($sh === 0 ? 31 : $sh))',
      `($sh === 0 ? (R[${C}] << 31) | (R[$rm] >>> 1) : (R[$rm] >>> $sh) | (R[$rm] << (32 - $sh)))` ][t],
    t,
  ] as const);
  const words: [string, boolean, boolean, string][] = [
    ['str', false, false, 'st32(A, R[$rd])'], ['strb', false, true, 'st8(A, R[$rd])'],
    ['ldr', true, false, 'ld32(A)'], ['ldrb', true, true, 'ld8u(A)'],
  ];
  for (const [name, load, byte, access] of words) {
    const fixed = (byte ? 1 << 22 : 0) | (load ? 1 << 20 : 0);
    def(name, 0x0e500000, (2 << 25) | fixed, '$rd, [$rn, #$imm12] ($p$u$wb)', loadStore(access, load, '$imm12'));
    for (const [asm, value, t] of regOffsets) {
      def(name, 0x0e500070 | 0x10, (3 << 25) | fixed | (t << 5), `$rd, [$rn, ${asm}] ($p$u$wb)`, loadStore(access, load, value));
    }
  }
  const halves: [string, number, number, boolean, string][] = [
    ['strh', 0, 1, false, 'st16(A, R[$rd])'], ['ldrd', 0, 2, true, ''], ['strd', 0, 3, false, ''],
    ['ldrh', 1, 1, true, 'ld16u(A)'], ['ldrsb', 1, 2, true, 'ld8s(A)'], ['ldrsh', 1, 3, true, 'ld16s(A)'],
  ];
  for (const [name, l, sh, load, access] of halves) {
    for (const [imm, off] of [[1, '$imm8'], [0, 'R[$rm]']] as const) {
      const enc = (imm << 22) | (l << 20) | 0x90 | (sh << 5);
      const asm = imm ? '$rd, [$rn, #$imm8] ($p$u$wb)' : '$rd, [$rn, $rm] ($p$u$wb)';
      let code: string;
      if (name === 'ldrd') {
        code = `const base = R[$rn]; const off = ${offsetOf(off)}; const a = $p ? base + off : base; ` +
          'const lo = ld32(a), hi = ld32(a + 4); if (!$p || $wb) R[$rnw] = base + off; R[$rd] = lo; R[$rd2] = hi;';
      } else if (name === 'strd') {
        code = `const base = R[$rn]; const off = ${offsetOf(off)}; const a = $p ? base + off : base; ` +
          'st32(a, R[$rd]); st32(a + 4, R[$rd2]); if (!$p || $wb) R[$rnw] = base + off;';
      } else {
        code = loadStore(access, load, off);
      }
      def(name, 0x0e5000f0, enc, asm, code);
    }
  }
  // Block transfers: P/U/W select IA, IB, DA, DB and write-back. A loaded PC branches (interworking).
  const blockStart = 'const base = R[$rn]; const a = $u ? ($p ? base + 4 : base) : ($p ? base - 4 * $count : base - 4 * $count + 4);';
  const blockEnd = 'if ($wb) R[$rnw] = $u ? base + 4 * $count : base - 4 * $count;';
  def('ldm', 0x0e500000, 0x08100000, '$rn ($p$u$wb), {$list}',
    `${blockStart} @bits($list & 0x7fff) { R[@k] = ld32(a + 4 * @n); } ` +
    `if ($list & 0x8000) R[${NEXT}] = ld32(a + 4 * ($count - 1)); ${blockEnd}`);
  def('stm', 0x0e500000, 0x08000000, '$rn ($p$u$wb), {$list}', `${blockStart} @bits($list) { st32(a + 4 * @n, R[@k]); } ${blockEnd}`);

  // Exclusives: the monitor remembers the address and value a load-exclusive read; the
  // store-exclusive is a compare-and-swap against that value (atomic across guest threads).
  const exclusives: [string, number, number, string, number][] = [
    ['ldrex', 0x0190, 0x0180, 'ld32a', 4], ['ldrexb', 0x01d0, 0x01c0, 'ld8u', 1], ['ldrexh', 0x01f0, 0x01e0, 'ld16u', 2],
  ];
  requiring(ARM_V6, () => {
    for (const [name, l, s, ld, size] of exclusives) {
      def(name, 0x0ff00fff, (l << 16) | 0x0f9f, '$rd, [$rn]', `const a = R[$rn]; const v = ${ld}(a); exclMark(a, v, 0); R[$rdw] = v;`);
      def(name.replace('ld', 'st'), 0x0ff00ff0, (s << 16) | 0x0f90, '$rd, $rm, [$rn]', `R[$rdw] = strex(R[$rn], R[$rm], ${size});`);
    }
    def('ldrexd', 0x0ff00fff, 0x01b00f9f, '$rd, [$rn]',
      'exclLoad64(R[$rn]); R[$rd] = cpu.exclValue; R[$rd2] = cpu.exclHigh;');
    def('strexd', 0x0ff00ff0, 0x01a00f90, '$rd, $rm, [$rn]', 'R[$rdw] = strexd(R[$rn], R[$rm], R[$rm + 1]);');
  });
  def('swp', 0x0ff00ff0, 0x01000090, '$rd, $rm, [$rn]', 'R[$rdw] = xchg32(R[$rn], R[$rm]);');
  def('swpb', 0x0ff00ff0, 0x01400090, '$rd, $rm, [$rn]', 'R[$rdw] = xchg8(R[$rn], R[$rm]);');

  // ---- branches ----
  def('b', 0x0f000000, 0x0a000000, '$btarget', `R[${NEXT}] = $btarget;`, BR);
  def('bl', 0x0f000000, 0x0b000000, '$btarget', `R[14] = $pc + 4; R[${NEXT}] = $btarget;`, BR);
  def('blx', 0xfe000000, 0xfa000000, '$xtarget', `R[14] = $pc + 4; R[${NEXT}] = $xtarget;`, BR);
  def('bx', 0x0ffffff0, 0x012fff10, '$rm', `R[${NEXT}] = R[$rm];`, BR);
  def('blx', 0x0ffffff0, 0x012fff30, '$rm', `const t = R[$rm]; R[14] = $pc + 4; R[${NEXT}] = t;`, BR);

  // ---- system ----
  def('svc', 0x0f000000, 0x0f000000, '#$imm24', 'syscall($pc);', END);
  def('bkpt', 0xfff000f0, 0xe1200070, '', 'bkpt($pc);', END);
  // The TLS register (TPIDRURO): mrc p15, 0, Rd, c13, c0, 3; ARMv6K, like CLREX (an ARMv5
  // program reads its TLS through the kuser helper instead).
  requiring(ARM_V6, () => {
    def('mrc', 0x0fff0fff, 0x0e1d0f70, '$rd, tpidruro', 'R[$rdw] = cpu.tls;');
    def('clrex', 0xffffffff, 0xf57ff01f, '', 'exclClear();');
    for (const [crm, op2] of CP15_BARRIERS) def('mcr', 0x0fff0fff, 0x0e070f10 | crm | (op2 << 5), `p15, 0, $rd, c7, c${crm}, ${op2}`, 'fence();');
  });
  requiring(ARM_V7, () => {
    def('dmb', 0xfffffff0, 0xf57ff050, '', 'fence();');
    def('dsb', 0xfffffff0, 0xf57ff040, '', 'fence();');
    def('isb', 0xfffffff0, 0xf57ff060, '', '');
    // (PLI's P bit is clear, yet its offset is no post-index: P is written as set, W is clear.)
    def('pli', 0xff70f000, 0xf450f000, '[$rn, #$imm12] (1$u$wb)', '');
    for (const [asm, , t] of regOffsets) def('pli', 0xff70f070 | 0x10, 0xf650f000 | (t << 5), `[$rn, ${asm}] (1$u$wb)`, '');
  });
  // PLD, and PLDW (R clear: a prefetch for writing, ARMv7's multiprocessing extension).
  for (const [name, r] of [['pld', 1 << 22], ['pldw', 0]] as const) {
    def(name, 0xff70f000, 0xf510f000 | r, '[$rn, #$imm12] ($p$u$wb)', '');
    for (const [asm, , t] of regOffsets) def(name, 0xff70f070 | 0x10, 0xf710f000 | r | (t << 5), `[$rn, ${asm}] ($p$u$wb)`, '');
  }
  // SETEND LE: data stays little-endian (SETEND BE, big-endian data, is not emulated: SIGILL).
  requiring(ARM_V6, () => def('setend', 0xffffffff, 0xf1010000, 'le', ''));
  // CPS (interrupt masks, processor mode) is a no-op in user mode, as on Linux.
  requiring(ARM_V6, () => {
    for (const { name, imod, aif, letters } of CPS_FORMS) {
      if (aif !== 0) def(name, 0xffffffff, 0xf1000000 | (imod << 18) | (aif << 6), letters, '');
      def(name, 0xffffffe0, 0xf1020000 | (imod << 18) | (aif << 6), letters ? `${letters}, #$mode` : '#$mode', '');
    }
  });
  // The kernel user helpers (cpu.ts places them at 0xffff0f60-0xffff0fff) run natively: a
  // permanently undefined encoding that only means this inside the helper page.
  def('kuser', 0xffffff00, 0xe7fdde00, '#$kindex', 'kuser($kindex, $pc);');

  defs.push(...vfpDefs());
  return defs;
}

export const A32_DEFS = prebuiltDefs('A32') ?? generateA32Defs();
export const A32_FIELDS = F;

export const A32_TABLE = new InsnTable('A32', A32_DEFS, F, (w) => (w >>> 25) & 7, armRegName);

/** The def an A32 word decodes to: condition 1111 is its own encoding space, with its own defs. */
export function decodeA32(table: InsnTable, w: number): InsnDef | null {
  const d = table.decode(w);
  return d && (w >>> 28 === 15) === (d.match >>> 28 === 15) ? d : null;
}
