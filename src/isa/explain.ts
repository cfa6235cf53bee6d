// A one-line, plain-language description of every instruction table entry, shown by
// `urun disasm --explain` and `urun --trace --explain`. Entries are keyed by the table
// entry's name; the variants a table spells out (ARM's flag-setting `s` forms and
// conditional branches, Thumb's `.w` widths, NEON/VFP element types, MIPS FPU formats) are
// described through their base instruction, so the tables themselves stay as they are.
// test/inspect.test.ts checks that every entry of every table has a description. What an
// instruction does to its own operands comes from effect.ts.
import { effectOf } from './effect.js';

const MIPS: Record<string, string> = {
  nop: 'do nothing', ssnop: 'do nothing (superscalar no-op)', ehb: 'execution hazard barrier (no effect here)',
  sll: 'shift left by a constant', srl: 'shift right logically by a constant', rotr: 'rotate right by a constant',
  sra: 'shift right arithmetically by a constant', sllv: 'shift left by a register', srlv: 'shift right logically by a register',
  rotrv: 'rotate right by a register', srav: 'shift right arithmetically by a register',
  movz: 'copy a register if another is zero', movn: 'copy a register if another is not zero',
  movf: 'copy a register if an FP condition flag is false', movt: 'copy a register if an FP condition flag is true',
  mfhi: 'copy HI to a register', mthi: 'copy a register to HI', mflo: 'copy LO to a register', mtlo: 'copy a register to LO',
  mult: 'signed 32×32 multiply into HI:LO', multu: 'unsigned 32×32 multiply into HI:LO',
  div: 'signed divide: quotient to LO, remainder to HI', divu: 'unsigned divide: quotient to LO, remainder to HI',
  add: 'add, trapping on signed overflow', addu: 'add (no overflow trap)', sub: 'subtract, trapping on signed overflow',
  subu: 'subtract (no overflow trap)', and: 'bitwise and', or: 'bitwise or (with $zero: a register copy)', xor: 'bitwise exclusive or',
  nor: 'bitwise not-or', slt: 'set to 1 if less than (signed), else 0', sltu: 'set to 1 if less than (unsigned), else 0',
  addi: 'add a constant, trapping on signed overflow', addiu: 'add a constant (no overflow trap)',
  slti: 'set to 1 if less than a constant (signed)', sltiu: 'set to 1 if less than a constant (unsigned compare)',
  andi: 'bitwise and with a zero-extended constant', ori: 'bitwise or with a zero-extended constant',
  xori: 'bitwise exclusive or with a zero-extended constant', lui: 'load a constant into the upper 16 bits',
  madd: 'signed multiply and add to HI:LO', maddu: 'unsigned multiply and add to HI:LO', mul: 'multiply, low 32 bits to a register',
  msub: 'signed multiply and subtract from HI:LO', msubu: 'unsigned multiply and subtract from HI:LO',
  clz: 'count leading zero bits', clo: 'count leading one bits', ext: 'extract a bit field', ins: 'insert a bit field',
  wsbh: 'swap the bytes within each halfword', seb: 'sign-extend the low byte', seh: 'sign-extend the low halfword',
  rdhwr: 'read a hardware register (the TLS pointer, a counter)',
  lb: 'load a byte, sign-extended', lh: 'load a halfword, sign-extended', lwl: 'load the left part of an unaligned word',
  lw: 'load a word', lbu: 'load a byte, zero-extended', lhu: 'load a halfword, zero-extended',
  lwr: 'load the right part of an unaligned word', sb: 'store a byte', sh: 'store a halfword',
  swl: 'store the left part of an unaligned word', sw: 'store a word', swr: 'store the right part of an unaligned word',
  cache: 'cache maintenance (no effect here)', ll: 'load a word and watch it (load-linked)',
  sc: 'store a word if unchanged since ll (store-conditional); 1 on success', pref: 'prefetch hint (no effect here)',
  sync: 'memory barrier', synci: 'make new code visible to instruction fetch',
  j: 'jump (after the delay slot)', jal: 'call: jump and put the return address in $ra', jr: 'jump to an address in a register',
  'jr.hb': 'jump to an address in a register, clearing hazards', jalr: 'call the address in a register',
  'jalr.hb': 'call the address in a register, clearing hazards',
  jalx: 'call, switching between MIPS32 and MIPS16e code',
  // MIPS16e (the compressed ISA; T is $t8, where its compares put their result).
  b: 'branch', beqz: 'branch if zero', bnez: 'branch if not zero', bteqz: 'branch if T ($t8) is zero',
  btnez: 'branch if T ($t8) is not zero', jrc: 'jump to an address in a register (no delay slot)',
  jalrc: 'call the address in a register (no delay slot)', li: 'load a constant', move: 'copy a register',
  cmp: 'compare: T ($t8) = exclusive or of two registers', cmpi: 'compare: T ($t8) = exclusive or with a constant',
  neg: 'negate', not: 'bitwise not', zeb: 'zero-extend the low byte', zeh: 'zero-extend the low halfword',
  save: 'function entry: store $ra and saved registers, make the stack frame',
  restore: 'function exit: reload $ra and saved registers, drop the stack frame',
  beq: 'branch if equal', bne: 'branch if not equal', blez: 'branch if ≤ 0', bgtz: 'branch if > 0', bltz: 'branch if < 0',
  bgez: 'branch if ≥ 0', beql: 'branch if equal (likely: the delay slot runs only if taken)',
  bnel: 'branch if not equal (likely)', blezl: 'branch if ≤ 0 (likely)', bgtzl: 'branch if > 0 (likely)',
  bltzl: 'branch if < 0 (likely)', bgezl: 'branch if ≥ 0 (likely)', bal: 'call a nearby address (branch and link)',
  bltzal: 'call if < 0', bgezal: 'call if ≥ 0', bltzall: 'call if < 0 (likely)', bgezall: 'call if ≥ 0 (likely)',
  syscall: 'system call: ask the kernel (number in $v0)', break: 'breakpoint trap (SIGTRAP; codes 6 and 7: SIGFPE)',
  tge: 'trap if ≥ (signed)', tgeu: 'trap if ≥ (unsigned)', tlt: 'trap if < (signed)', tltu: 'trap if < (unsigned)',
  teq: 'trap if equal', tne: 'trap if not equal', tgei: 'trap if ≥ a constant', tgeiu: 'trap if ≥ a constant (unsigned)',
  tlti: 'trap if < a constant', tltiu: 'trap if < a constant (unsigned)', teqi: 'trap if equal to a constant',
  tnei: 'trap if not equal to a constant',
  mfc1: 'copy an FPU register to a general register', mfhc1: 'copy the high half of an FPU double to a general register',
  mtc1: 'copy a general register to an FPU register', mthc1: 'copy a general register to the high half of an FPU double',
  cfc1: 'read an FPU control register (FCSR...)', ctc1: 'write an FPU control register (FCSR...)',
  bc1f: 'branch if an FP condition flag is false', bc1t: 'branch if an FP condition flag is true',
  bc1fl: 'branch if an FP condition flag is false (likely)', bc1tl: 'branch if an FP condition flag is true (likely)',
  lwc1: 'load a word into an FPU register', swc1: 'store an FPU register', ldc1: 'load a double into an FPU register pair',
  sdc1: 'store an FPU register pair (a double)', lwxc1: 'load a word into an FPU register (indexed)',
  ldxc1: 'load a double (indexed)', luxc1: 'load a double from an aligned-down address (indexed)',
  swxc1: 'store an FPU register (indexed)', sdxc1: 'store a double (indexed)', suxc1: 'store a double to an aligned-down address (indexed)',
  prefx: 'prefetch hint, indexed (no effect here)',
  // FPU arithmetic: the format suffix (.s, .d, .w, .l) says on what.
  'add.': 'floating-point add', 'sub.': 'floating-point subtract', 'mul.': 'floating-point multiply', 'div.': 'floating-point divide',
  'sqrt.': 'square root', 'recip.': 'reciprocal (1/x)', 'rsqrt.': 'reciprocal square root', 'mov.': 'copy an FPU value',
  'abs.': 'absolute value', 'neg.': 'negate', 'movf.': 'copy an FPU value if an FP condition flag is false',
  'movt.': 'copy an FPU value if an FP condition flag is true', 'movz.': 'copy an FPU value if a register is zero',
  'movn.': 'copy an FPU value if a register is not zero', 'round.': 'round to the nearest integer',
  'trunc.': 'convert to an integer, rounding toward zero', 'ceil.': 'convert to an integer, rounding up',
  'floor.': 'convert to an integer, rounding down', 'cvt.': 'convert between formats', 'c.cond.': 'compare, setting an FP condition flag',
  'madd.': 'multiply and add', 'msub.': 'multiply and subtract', 'nmadd.': 'negated multiply and add', 'nmsub.': 'negated multiply and subtract',
};

const MIPS_FORMATS: Record<string, string> = { s: 'single-precision', d: 'double-precision', w: '32-bit integer', l: '64-bit integer' };

const ARM: Record<string, string> = {
  and: 'bitwise and', eor: 'bitwise exclusive or', sub: 'subtract', rsb: 'reverse subtract (operand minus register)',
  add: 'add', adc: 'add with carry', sbc: 'subtract with carry (borrow)', rsc: 'reverse subtract with carry',
  tst: 'set the flags from a bitwise and', teq: 'set the flags from an exclusive or', cmp: 'compare: set the flags from a subtraction',
  cmn: 'compare negative: set the flags from an addition', orr: 'bitwise or', orn: 'bitwise or with the complement',
  mov: 'copy a value into a register', bic: 'bit clear (and with the complement)', mvn: 'copy the complement of a value',
  movw: 'load a 16-bit constant, clearing the top half', movt: 'load a 16-bit constant into the top half',
  mrs: 'read the flags (APSR) into a register', msr: 'write the flags (APSR) from a register', nop: 'do nothing',
  mul: 'multiply (low 32 bits)', mla: 'multiply and add', mls: 'multiply and subtract', umull: 'unsigned 32×32→64 multiply',
  umlal: 'unsigned 32×32→64 multiply and accumulate', smull: 'signed 32×32→64 multiply', smlal: 'signed 32×32→64 multiply and accumulate',
  umaal: 'unsigned multiply, add two 32-bit values', smul: 'signed 16×16 multiply of chosen halves', smla: 'signed 16×16 multiply and accumulate',
  smulw: 'signed 32×16 multiply (top 32 bits)', smlaw: 'signed 32×16 multiply and accumulate', smlal16: 'signed 16×16 multiply, 64-bit accumulate',
  sdiv: 'signed divide', udiv: 'unsigned divide', qadd: 'saturating add', qsub: 'saturating subtract', qdadd: 'saturating double and add',
  qdsub: 'saturating double and subtract', ssat: 'saturate to a signed bit width', usat: 'saturate to an unsigned bit width',
  ssat16: 'saturate two halfwords (signed)', usat16: 'saturate two halfwords (unsigned)',
  clz: 'count leading zero bits', rev: 'reverse the byte order of a word', rev16: 'reverse the bytes in each halfword',
  revsh: 'reverse the bytes of the low halfword, sign-extended', rbit: 'reverse the bit order',
  sxtb: 'sign-extend a byte', sxtab: 'sign-extend a byte and add', sxth: 'sign-extend a halfword', sxtah: 'sign-extend a halfword and add',
  uxtb: 'zero-extend a byte', uxtab: 'zero-extend a byte and add', uxth: 'zero-extend a halfword', uxtah: 'zero-extend a halfword and add',
  uxtb16: 'zero-extend two bytes to halfwords', uxtab16: 'zero-extend two bytes to halfwords and add',
  sxtb16: 'sign-extend two bytes to halfwords', sxtab16: 'sign-extend two bytes to halfwords and add',
  ubfx: 'extract an unsigned bit field', sbfx: 'extract a signed bit field', bfc: 'clear a bit field', bfi: 'insert a bit field',
  sel: 'select bytes by the GE flags', pkhbt: 'pack the bottom and top halfwords of two registers', pkhtb: 'pack the top and bottom halfwords of two registers',
  str: 'store a word', strb: 'store a byte', ldr: 'load a word', ldrb: 'load a byte, zero-extended', strh: 'store a halfword',
  ldrd: 'load two words into two registers', strd: 'store two registers as two words', ldrh: 'load a halfword, zero-extended',
  ldrsb: 'load a byte, sign-extended', ldrsh: 'load a halfword, sign-extended', ldm: 'load several registers from consecutive words',
  stm: 'store several registers to consecutive words', ldmia: 'load several registers (increment after)', stmia: 'store several registers (increment after)',
  ldmdb: 'load several registers (decrement before)', stmdb: 'store several registers (decrement before)',
  push: 'push registers onto the stack', pop: 'pop registers from the stack (pc among them: a return)',
  strt: 'store a word (unprivileged)', strbt: 'store a byte (unprivileged)', strht: 'store a halfword (unprivileged)',
  ldrt: 'load a word (unprivileged)', ldrbt: 'load a byte (unprivileged)', ldrht: 'load a halfword (unprivileged)',
  ldrsbt: 'load a signed byte (unprivileged)', ldrsht: 'load a signed halfword (unprivileged)',
  ldrex: 'load a word exclusively (watch it)', strex: 'store a word if still exclusive; 0 on success',
  ldrexb: 'load a byte exclusively', strexb: 'store a byte if still exclusive', ldrexh: 'load a halfword exclusively',
  strexh: 'store a halfword if still exclusive', ldrexd: 'load two words exclusively', strexd: 'store two words if still exclusive',
  swp: 'swap a register with a word in memory', swpb: 'swap a register with a byte in memory',
  b: 'branch', bl: 'call: branch and put the return address in lr', blx: 'call, switching between ARM and Thumb',
  bx: 'branch to an address in a register (bit 0 chooses Thumb)', svc: 'system call: ask the kernel (number in r7)',
  bkpt: 'breakpoint (SIGTRAP)', mrc: 'read a coprocessor register (the TLS pointer)', clrex: 'forget the exclusive access',
  dmb: 'memory barrier', dsb: 'data synchronisation barrier', isb: 'instruction synchronisation barrier',
  pld: 'preload data hint (no effect here)', pldw: 'preload data for writing hint (no effect here)', setend: 'set the data byte order (little-endian only here)', cps: 'change the processor mode (no effect in user mode)', cpsie: 'enable interrupts (no effect in user mode)', cpsid: 'disable interrupts (no effect in user mode)', pli: 'preload instructions hint (no effect here)', kuser: "the kernel's user helper (atomic operations, TLS)",
  lsl: 'shift left', lsr: 'shift right logically', asr: 'shift right arithmetically', ror: 'rotate right', neg: 'negate',
  adr: 'form a pc-relative address', cbz: 'branch forward if zero', cbnz: 'branch forward if not zero',
  it: 'make the next 1-4 instructions conditional (If-Then)', addw: 'add a 12-bit constant', subw: 'subtract a 12-bit constant',
  tbb: 'branch through a table of byte offsets', tbh: 'branch through a table of halfword offsets',
  sadd8: 'add bytes (signed, GE flags)', qadd8: 'saturating add of bytes', shadd8: 'halving add of bytes (signed)', uqadd8: 'saturating add of bytes (unsigned)',
  uhadd8: 'halving add of bytes (unsigned)', uadd8: 'add bytes (unsigned, GE flags)', sadd16: 'add halfwords (signed, GE flags)', qadd16: 'saturating add of halfwords',
  shadd16: 'halving add of halfwords (signed)', uadd16: 'add halfwords (unsigned, GE flags)', uqadd16: 'saturating add of halfwords (unsigned)',
  uhadd16: 'halving add of halfwords (unsigned)', sasx: 'add and subtract exchanged halfwords (signed)', qasx: 'saturating add and subtract exchanged',
  shasx: 'halving add and subtract exchanged (signed)', uasx: 'add and subtract exchanged halfwords (unsigned)', uqasx: 'saturating add and subtract exchanged (unsigned)',
  uhasx: 'halving add and subtract exchanged (unsigned)', ssub8: 'subtract bytes (signed, GE flags)', qsub8: 'saturating subtract of bytes',
  shsub8: 'halving subtract of bytes (signed)', uqsub8: 'saturating subtract of bytes (unsigned)', uhsub8: 'halving subtract of bytes (unsigned)',
  usub8: 'subtract bytes (unsigned, GE flags)', ssub16: 'subtract halfwords (signed, GE flags)', qsub16: 'saturating subtract of halfwords',
  shsub16: 'halving subtract of halfwords (signed)', usub16: 'subtract halfwords (unsigned, GE flags)', uqsub16: 'saturating subtract of halfwords (unsigned)',
  uhsub16: 'halving subtract of halfwords (unsigned)', ssax: 'subtract and add exchanged halfwords (signed)', qsax: 'saturating subtract and add exchanged',
  shsax: 'halving subtract and add exchanged (signed)', usax: 'subtract and add exchanged halfwords (unsigned)', uqsax: 'saturating subtract and add exchanged (unsigned)',
  uhsax: 'halving subtract and add exchanged (unsigned)', smmul: 'signed multiply, top 32 bits', smmla: 'signed multiply-accumulate, top 32 bits',
  smmls: 'signed multiply-subtract, top 32 bits',
  smuad: 'multiply both signed halfword pairs and add the products', smlad: 'multiply both signed halfword pairs, add both products to the accumulator',
  smusd: 'multiply both signed halfword pairs and subtract the products', smlsd: 'multiply both signed halfword pairs, add their difference to the accumulator',
  smlald: 'multiply both signed halfword pairs, add both products to a 64-bit accumulator',
  smlsld: 'multiply both signed halfword pairs, add their difference to a 64-bit accumulator',
  usad8: 'sum of absolute differences of bytes', usada8: 'sum of absolute differences of bytes, accumulated',
  mcr: 'write a coprocessor register (a CP15 memory barrier)',
  // VFP and NEON (the element type follows the name).
  vldr: 'load a VFP register', vstr: 'store a VFP register', vldmia: 'load several VFP registers (increment after)',
  vstmia: 'store several VFP registers (increment after)', vldmdb: 'load several VFP registers (decrement before)',
  vstmdb: 'store several VFP registers (decrement before)', vmov: 'copy between VFP/NEON and general registers, or a constant',
  vdup: 'copy a value into every lane', vmrs: 'read a VFP system register (FPSCR flags)', vmsr: 'write a VFP system register (FPSCR)',
  vadd: 'add', vsub: 'subtract', vmul: 'multiply', vdiv: 'divide', vnmul: 'multiply and negate', vmla: 'multiply and add',
  vmls: 'multiply and subtract', vnmls: 'multiply, subtract the accumulator', vnmla: 'multiply and add, negated', vfma: 'fused multiply-add',
  vfms: 'fused multiply-subtract', vfnms: 'fused negated multiply-subtract', vfnma: 'fused negated multiply-add', vabs: 'absolute value',
  vneg: 'negate', vsqrt: 'square root', vcmp: 'compare, setting the FPSCR flags', vcvt: 'convert between formats',
  vcvtr: 'convert to integer with the FPSCR rounding mode', vcvtb: 'convert to/from half precision (bottom half)',
  vcvtt: 'convert to/from half precision (top half)', vhadd: 'halving add per lane', vqadd: 'saturating add per lane',
  vrhadd: 'rounding halving add per lane', vhsub: 'halving subtract per lane', vqsub: 'saturating subtract per lane',
  vcgt: 'per lane: all ones if greater than', vcge: 'per lane: all ones if greater or equal', vceq: 'per lane: all ones if equal',
  vcle: 'per lane: all ones if less or equal', vclt: 'per lane: all ones if less than', vacge: 'per lane: |a| ≥ |b|', vacgt: 'per lane: |a| > |b|',
  vtst: 'per lane: all ones if any bit in common', vshl: 'shift left per lane', vqshl: 'saturating shift left per lane',
  vrshl: 'rounding shift per lane', vqrshl: 'saturating rounding shift per lane', vmax: 'maximum per lane', vmin: 'minimum per lane',
  vabd: 'absolute difference per lane', vaba: 'absolute difference and accumulate', vqdmulh: 'saturating doubling multiply, high half',
  vqrdmulh: 'saturating rounding doubling multiply, high half', vpmax: 'pairwise maximum', vpmin: 'pairwise minimum', vpadd: 'pairwise add',
  vand: 'bitwise and', vbic: 'bit clear', vorr: 'bitwise or', vorn: 'bitwise or with the complement', veor: 'bitwise exclusive or',
  vbsl: 'bitwise select', vbit: 'insert bits where true', vbif: 'insert bits where false', vrecps: 'reciprocal refinement step',
  vrsqrts: 'reciprocal square root refinement step', vaddl: 'add, widening', vaddw: 'add a narrow vector to a wide one',
  vsubl: 'subtract, widening', vsubw: 'subtract a narrow vector from a wide one', vaddhn: 'add, keeping the high halves',
  vraddhn: 'rounding add, keeping the high halves', vabal: 'absolute difference and accumulate, widening', vsubhn: 'subtract, keeping the high halves',
  vrsubhn: 'rounding subtract, keeping the high halves', vabdl: 'absolute difference, widening', vmlal: 'multiply-accumulate, widening',
  vmlsl: 'multiply-subtract, widening', vmull: 'multiply, widening', vqdmlal: 'saturating doubling multiply-accumulate, widening',
  vqdmlsl: 'saturating doubling multiply-subtract, widening', vqdmull: 'saturating doubling multiply, widening', vshr: 'shift right per lane',
  vsra: 'shift right and accumulate', vrshr: 'rounding shift right', vrsra: 'rounding shift right and accumulate', vsri: 'shift right and insert',
  vsli: 'shift left and insert', vqshlu: 'saturating shift left, unsigned result', vshrn: 'shift right and narrow',
  vrshrn: 'rounding shift right and narrow', vqshrun: 'saturating shift right and narrow, unsigned result',
  vqrshrun: 'saturating rounding shift right and narrow, unsigned result', vqshrn: 'saturating shift right and narrow',
  vqrshrn: 'saturating rounding shift right and narrow', vshll: 'shift left and widen', vmvn: 'bitwise not (of a constant or vector)',
  vext: 'extract a vector from a pair', vtbl: 'table lookup', vtbx: 'table lookup, keeping misses', vrev64: 'reverse elements in each doubleword',
  vrev32: 'reverse elements in each word', vrev16: 'reverse bytes in each halfword', vpaddl: 'pairwise add, widening',
  vcls: 'count leading sign bits per lane', vclz: 'count leading zeros per lane', vcnt: 'count set bits per byte',
  vpadal: 'pairwise add and accumulate, widening', vqabs: 'saturating absolute value', vqneg: 'saturating negate', vswp: 'swap two vectors',
  vtrn: 'transpose elements', vuzp: 'unzip (de-interleave) elements', vzip: 'zip (interleave) elements', vrecpe: 'reciprocal estimate',
  vrsqrte: 'reciprocal square root estimate', vmovn: 'narrow each lane', vqmovun: 'saturating narrow, unsigned result',
  vqmovn: 'saturating narrow', vld1: 'load vector elements', vst1: 'store vector elements', vld2: 'load 2-element structures (de-interleaving)',
  vst2: 'store 2-element structures (interleaving)', vld3: 'load 3-element structures', vst3: 'store 3-element structures',
  vld4: 'load 4-element structures', vst4: 'store 4-element structures',
};

const ARM_CONDITIONS: Record<string, string> = {
  eq: 'equal (Z)', ne: 'not equal', cs: 'carry set (unsigned ≥)', cc: 'carry clear (unsigned <)', mi: 'negative', pl: 'positive or zero',
  vs: 'overflow', vc: 'no overflow', hi: 'unsigned >', ls: 'unsigned ≤', ge: 'signed ≥', lt: 'signed <', gt: 'signed >', le: 'signed ≤',
};

const TYPES: Record<string, string> = {
  f16: 'half-precision floats', f32: 'single-precision floats', f64: 'double-precision floats',
  s8: 'signed bytes', s16: 'signed halfwords', s32: 'signed words', s64: 'signed doublewords',
  u8: 'unsigned bytes', u16: 'unsigned halfwords', u32: 'unsigned words', u64: 'unsigned doublewords',
  i8: 'bytes', i16: 'halfwords', i32: 'words', i64: 'doublewords', p8: 'polynomial bytes', 8: 'bytes', 16: 'halfwords', 32: 'words', 64: 'doublewords',
};

function explainMips(name: string): string | undefined {
  if (MIPS[name]) return MIPS[name];
  const dot = name.lastIndexOf('.');
  const base = MIPS[name.slice(0, dot + 1)] ?? MIPS[name.split('.')[0] + '.'] ?? MIPS[name.slice(0, name.indexOf('.') + 1) + 'cond.'];
  if (!base) return undefined;
  const formats = name.split('.').slice(1).filter((f) => f in MIPS_FORMATS);
  if (formats.length === 0) return base;
  return formats.length === 2 ? `${base} (${MIPS_FORMATS[formats[1]]} to ${MIPS_FORMATS[formats[0]]})` : `${base} (${MIPS_FORMATS[formats[0]]})`;
}

function explainArm(name: string): string | undefined {
  // Placeholders a table entry stands for (smul<x><y>, vcmp<e>, vcvt.s<16|32>...) and Thumb widths go.
  const plain = name.replace(/<[^>]*>/g, '').replace(/\.w$/, '');
  const [head, ...types] = plain.split('.');
  const typed = (d: string): string => {
    const t = types.filter((x) => TYPES[x]).map((x) => TYPES[x]);
    return t.length === 0 ? d : t.length === 1 ? `${d} (${t[0]})` : `${d} (${t[1]} to ${t[0]})`;
  };
  if (ARM[head]) return typed(ARM[head]);
  // Before the flag-setting forms: bls is "branch if lower or same", not a flag-setting bl.
  if (head.startsWith('b') && ARM_CONDITIONS[head.slice(1)]) return `branch if ${ARM_CONDITIONS[head.slice(1)]}`;
  if (head.length > 1 && head.endsWith('s') && ARM[head.slice(0, -1)]) return typed(`${ARM[head.slice(0, -1)]}, setting the flags`);
  if (head.startsWith('smlal')) return ARM.smlal16;
  return undefined;
}

/** The one-line description of a table entry, by its name within an ISA ('mips' or 'arm'). */
export function explainInsn(name: string, isa: string): string | undefined {
  return isa === 'mips' ? explainMips(name) : explainArm(name);
}

/**
 * The description of an instruction as disassembled (`text`, of table entry `name`): its
 * entry's description, then what it does to its operands when that can be written plainly
 * ("add a constant (no overflow trap): $sp ← $sp + -32").
 */
export function explainInstruction(name: string, text: string, isa: string): string | undefined {
  // MIPS's b is objdump's alias of beq $zero, $zero.
  const what = isa === 'mips' && text.startsWith('b ') ? 'branch' : explainInsn(name, isa);
  const effect = effectOf(text, name, isa);
  return effect === undefined ? what : what === undefined ? effect : `${what}: ${effect}`;
}
