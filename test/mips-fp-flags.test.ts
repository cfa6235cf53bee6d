// FCSR exception bits that the random-instruction tester (test/fuzz/risu.ts) found differing
// from qemu-user, checked in the interpreter: IEEE overflow of a single result that the
// rounding mode delivers as the largest finite single, and Cause holding only the last
// operation's exceptions (a compare's too) while Flags accumulate; the sign of a negated
// multiply-add's default NaN; Invalid for legacy signalling NaN operands (the quiet bit set)
// and for signalling compares of any NaN; doubles near the ends of the exponent range (where
// the error-free transforms fail) and underflow detected after rounding, as qemu's MIPS does;
// the sign of an exact zero sum rounding toward minus infinity.
import { describe, expect, it } from 'vitest';
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../src/memory/memory.js';
import { MipsCpu } from '../src/isa/mips/cpu.js';
import { SIGTRAP } from '../src/engine/signals.js';
import { runUntil, type Engine } from './support/arm.js';

const CODE = 0x10000, DATA = 0x20000, A0 = 4;
const lwc1 = (ft: number, off: number) => ((0x31 << 26) | (A0 << 21) | (ft << 16) | off) >>> 0;
const swc1 = (ft: number, off: number) => ((0x39 << 26) | (A0 << 21) | (ft << 16) | off) >>> 0;
const CFC1_T0_FCSR = 0x4448f800, BREAK = 0x0000000d;
const CFC1_T1_FCSR = 0x4449f800, SW_T1_24 = 0xac890018; // sw $t1, 24($a0): the test reads t1 back
const NMADD_S = 0x4c2274b0; // nmadd.s $f18, $f1, $f14, $f2: -(f14 * f2 + f1)
const ADD_S_F4_F0_F0 = 0x46000100; // add.s $f4, $f0, $f0
const C_EQ_S_F0_F0 = 0x46000032; // c.eq.s $f0, $f0 (1.0 = 1.0: no exception)
const ADD_S_F18_F0_F2 = 0x46020480, C_SEQ_S_F0_F2 = 0x4602003a, C_EQ_S_F0_F2 = 0x46020032;
const CVT_D_S_F18_F0 = 0x460004a1, MADD_S = 0x4c2274a0; // madd.s $f18, $f1, $f14, $f2: f14 * f2 + f1
const MUL_D_F18_F0_F2 = 0x46220482, SUB_D_F18_F0_F0 = 0x46200481, SQRT_D_F18_F0 = 0x46200484;
const CAUSE = 0x3f000, FLAGS = 0x7c, O = 4, I = 1, INVALID = 16;
const SNAN = 0x7fc00000, QNAN = 0x7fbfffff, ONE = 0x3f800000; // legacy MIPS NaNs: the quiet bit set signals

/** Runs `words` (after loading f0, f1, f14, f2 from DATA) in the interpreter from FCSR `fcsr`. */
function run(words: number[], fcsr: number, data = [0x3f800000, 0x80000000, 0xdfb08201, 0xfd41b105]) {
  // 1.0, -0, -2.54e19, -1.6e37: the product overflows single precision.
  return runWith(words, fcsr, { 0: data[0], 1: data[1], 14: data[2], 2: data[3] });
}

/** Runs `words` after loading the FPU registers given, in both engines (which must agree); returns FCSR and f18, f19. */
function runWith(words: number[], fcsr: number, fpr: Record<number, number>) {
  const interpreted = runIn('interpreter', words, fcsr, fpr);
  expect(runIn('translator', words, fcsr, fpr), 'translated').toEqual(interpreted);
  return interpreted;
}

function runIn(engine: Engine, words: number[], fcsr: number, fpr: Record<number, number>) {
  const mem = new GuestMemory(false);
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  const regs = Object.keys(fpr).map(Number);
  regs.forEach((f, i) => mem.write32(DATA + 32 + 4 * i, fpr[f]));
  const code = [...regs.map((f, i) => lwc1(f, 32 + 4 * i)), CFC1_T0_FCSR, ...words, swc1(18, 16), swc1(19, 20), SW_T1_24, BREAK];
  code.forEach((w, i) => mem.view.setUint32(CODE + 4 * i, w, false));
  const cpu = new MipsCpu(mem, () => {});
  cpu.fcsr = fcsr;
  cpu.R[A0] = DATA;
  cpu.pc = CODE;
  // The program ends at its BREAK (SIGTRAP); any other fault fails the test.
  runUntil(cpu, engine, CODE, (e) => e.signal === SIGTRAP);
  // (FCSR as anything outside the CPU reads it: Cause may be left to work out, see MipsCpu.lazyCause.)
  return { fcsr: cpu.saveState().fpControl, f18: mem.read32(DATA + 16) >>> 0, f19: mem.read32(DATA + 20) >>> 0, t1: mem.read32(DATA + 24) };
}

describe('MIPS FCSR exception bits', () => {
  it('a product overflowing single precision raises Overflow even when rounding toward zero', () => {
    const r = run([NMADD_S], 1 /* RZ */);
    expect(r.f18).toBe(0xff7fffff); // the product rounds to the largest single, negated
    expect((r.fcsr & CAUSE) >>> 12).toBe(O | I);
    expect((r.fcsr & FLAGS) >>> 2).toBe(O | I);
  });

  it('Cause holds only the last operation\'s exceptions; Flags keep them all', () => {
    const r = run([NMADD_S, ADD_S_F4_F0_F0], 0);
    expect(r.fcsr & CAUSE).toBe(0); // 1 + 1 is exact
    expect((r.fcsr & FLAGS) >>> 2).toBe(O | I);
  });

  it('nmadd.s negates a NaN result too: the default NaN comes out with its sign bit set, as under qemu-user', () => {
    // f14 = +inf, f2 = 0: inf * 0 is Invalid, a NaN.
    const r = run([NMADD_S], 0, [0x3f800000, 0x3f800000, 0x7f800000, 0]);
    expect(r.f18).toBe(0xffbfffff);
    expect((r.fcsr & CAUSE) >>> 12).toBe(16); // Invalid
  });

  it('a compare is an arithmetic instruction: its Cause (none here) replaces the last one', () => {
    const r = run([NMADD_S, C_EQ_S_F0_F0], 0);
    expect(r.fcsr & CAUSE).toBe(0);
    expect((r.fcsr & FLAGS) >>> 2).toBe(O | I);
    expect(r.fcsr & (1 << 23)).toBe(1 << 23); // the condition: equal
  });

  it('an arithmetic operation on a signalling NaN (quiet bit set, legacy MIPS) is Invalid; on a quiet one it is not', () => {
    const sig = run([ADD_S_F18_F0_F2], 0, [SNAN, 0, 0, ONE]);
    expect(sig.f18).toBe(QNAN); // the default NaN
    expect((sig.fcsr & CAUSE) >>> 12).toBe(INVALID);
    const quiet = run([ADD_S_F18_F0_F2], 0, [QNAN, 0, 0, ONE]);
    expect(quiet.f18).toBe(QNAN);
    expect(quiet.fcsr & CAUSE).toBe(0);
  });

  it('a multiply-add with a signalling NaN addend, and cvt.d.s of one, are Invalid', () => {
    expect((run([MADD_S], 0, [ONE, SNAN, ONE, ONE]).fcsr & CAUSE) >>> 12).toBe(INVALID);
    const cvt = run([CVT_D_S_F18_F0], 0, [SNAN, 0, 0, 0]);
    expect(cvt.f18).toBe(0xffffffff); // the low word of the default NaN
    expect((cvt.fcsr & CAUSE) >>> 12).toBe(INVALID);
  });

  it('compares: a quiet one is Invalid only for a signalling NaN, a signalling one (c.seq) for any NaN', () => {
    expect((run([C_EQ_S_F0_F2], 0, [QNAN, 0, 0, ONE]).fcsr & CAUSE) >>> 12).toBe(0);
    expect((run([C_EQ_S_F0_F2], 0, [SNAN, 0, 0, ONE]).fcsr & CAUSE) >>> 12).toBe(INVALID);
    expect((run([C_SEQ_S_F0_F2], 0, [QNAN, 0, 0, ONE]).fcsr & CAUSE) >>> 12).toBe(INVALID);
  });

  // Doubles as FR=0 pairs: the even register holds the low word. Results from qemu-mips.
  it('a product with a huge operand is inexact (TwoProduct\'s splitting would overflow)', () => {
    const r = runWith([MUL_D_F18_F0_F2], 1 /* RZ */, { 0: 0xe2fc9a2b, 1: 0x7f800000, 2: 0x85a2912b, 3: 0x3f1c34b8 });
    expect([r.f19, r.f18]).toEqual([0x7eac34ba, 0x15c88dac]);
    expect((r.fcsr & CAUSE) >>> 12).toBe(I);
  });

  it('underflow is detected after rounding: a product rounding up to the smallest normal is only inexact', () => {
    // (1 + 2^-52) * the largest subnormal
    const r = runWith([MUL_D_F18_F0_F2], 0, { 0: 1, 1: 0x3ff00000, 2: 0xffffffff, 3: 0x000fffff });
    expect([r.f19, r.f18]).toEqual([0x00100000, 0]);
    expect((r.fcsr & CAUSE) >>> 12).toBe(I);
  });

  it('square roots of a huge and of a subnormal double round as the mode says', () => {
    const up = runWith([SQRT_D_F18_F0], 2 /* RP */, { 0: 1, 1: 0x7fe00000 });
    expect([up.f19, up.f18]).toEqual([0x5fe6a09e, 0x667f3bce]);
    const zero = runWith([SQRT_D_F18_F0], 1 /* RZ */, { 0: 3, 1: 0 });
    expect([zero.f19, zero.f18]).toEqual([0x1e6bb67a, 0xe8584caa]);
    expect((zero.fcsr & CAUSE) >>> 12).toBe(I);
  });

  it('an exact zero difference is -0 when rounding toward minus infinity', () => {
    expect(runWith([SUB_D_F18_F0_F0], 3 /* RM */, { 0: 0, 1: 0x3ff00000 }).f19).toBe(0x80000000);
    expect(runWith([SUB_D_F18_F0_F0], 3, { 0: 0, 1: 0 }).f19).toBe(0x80000000); // +0 - +0
    expect(runWith([SUB_D_F18_F0_F0], 0, { 0: 0, 1: 0x3ff00000 }).f19).toBe(0);
  });

  // FCSR.FS under qemu-user: results whose exact value is below the smallest normal become
  // zeros of their sign and raise nothing; operands are not flushed. Results from qemu-mipsel.
  const FS = 1 << 24, MUL_S_F18_F0_F2 = 0x46020482, DIV_S_F18_F0_F2 = 0x46020483;
  it('FS flushes a tiny product to zero with no flags, in every rounding mode', () => {
    for (const rm of [0, 1, 2, 3]) {
      const flushed = runWith([MUL_S_F18_F0_F2], FS | rm, { 0: 0x1e3ce508, 2: 0x1e3ce508 }); // 1e-20 * 1e-20
      expect(flushed.f18, `mode ${rm}`).toBe(0);
      expect(flushed.fcsr & (CAUSE | FLAGS)).toBe(0);
    }
    const kept = runWith([MUL_S_F18_F0_F2], 0, { 0: 0x1e3ce508, 2: 0x1e3ce508 });
    expect(kept.f18).toBe(0x000116c2);
  });

  it('FS flushes a product tiny before rounding even when it rounds to the smallest normal', () => {
    // 2^-126 * (1 - 2^-24): nearest-even rounding gives 2^-126 without FS.
    expect(runWith([MUL_S_F18_F0_F2], 0, { 0: 0x00800000, 2: 0x3f7fffff }).f18).toBe(0x00800000);
    expect(runWith([MUL_S_F18_F0_F2], FS, { 0: 0x00800000, 2: 0x3f7fffff }).f18).toBe(0);
    expect(runWith([MUL_S_F18_F0_F2], FS, { 0: 0x80800000, 2: 0x3f7fffff }).f18).toBe(0x80000000);
  });

  it('FS flushes a subnormal sum but not a subnormal operand', () => {
    expect(runWith([ADD_S_F18_F0_F2], FS, { 0: 0x0020aac8, 2: 0 }).f18).toBe(0); // 3e-39 + 0
    expect(runWith([DIV_S_F18_F0_F2], FS, { 0: 0x006ce3ee, 2: 0x3f000000 }).f18).toBe(0x00d9c7dc); // 1e-38 / 0.5
  });

  it('FS flushes a tiny double product', () => {
    // 1e-300 * 1e-10, rounding up: a subnormal without FS, +0 with it.
    const operands = { 0: 0xc2f8f359, 1: 0x01a56e1f, 2: 0xd9d7bdbb, 3: 0x3ddb7cdf };
    expect(runWith([MUL_D_F18_F0_F2], 2, operands)).toMatchObject({ f18: 0x8b70e62c, f19: 0x00001268 });
    expect(runWith([MUL_D_F18_F0_F2], FS | 2, operands)).toMatchObject({ f18: 0, f19: 0 });
  });

  // Once Flags say Inexact (bit 2) and its trap is off, add/sub/mul/div/sqrt with an ordinary
  // result leave Cause's Inexact to be worked out when FCSR is read: it must still be the last
  // instruction's alone, near the ends of the range too (there the error-free transforms fail).
  const DIV_D_F18_F0_F2 = 0x46220483, MUL_D_F18_F0_F0 = 0x46200482, DIV_S_F18_F0_F2_ = 0x46020483;
  const FLAG_I = 4, ONE_D = { 0: 0, 1: 0x3ff00000 }, THREE_D = { 2: 0, 3: 0x40080000 };
  it('with Inexact flagged, Cause still says whether the last instruction was inexact', () => {
    expect((runWith([DIV_D_F18_F0_F2], FLAG_I, { ...ONE_D, ...THREE_D }).fcsr & CAUSE) >>> 12).toBe(I); // 1 / 3
    const exact = runWith([DIV_D_F18_F0_F2, MUL_D_F18_F0_F0], FLAG_I, { ...ONE_D, ...THREE_D }); // then 1 * 1
    expect(exact.fcsr & (CAUSE | FLAGS)).toBe(FLAG_I);
    expect([exact.f19, exact.f18]).toEqual([0x3ff00000, 0]);
    expect(runWith([DIV_D_F18_F0_F2], FLAG_I, { 0: 0, 1: 0x40180000, ...THREE_D }).fcsr & CAUSE).toBe(0); // 6 / 3
    expect((runWith([DIV_S_F18_F0_F2_], FLAG_I, { 0: ONE, 2: 0x40400000 }).fcsr & CAUSE) >>> 12).toBe(I); // 1 / 3 in singles
    expect(runWith([DIV_S_F18_F0_F2_], FLAG_I, { 0: ONE, 2: 0x3f000000 }).fcsr & CAUSE).toBe(0); // 1 / 0.5
  });

  it('with Inexact flagged, a product near the top of the range is exact or not as it is', () => {
    const exact = runWith([MUL_D_F18_F0_F2], FLAG_I, { 0: 0, 1: 0x7e700000, 2: 0, 3: 0x41300000 }); // 2^1000 * 2^20
    expect([exact.f19, exact.f18]).toEqual([0x7fb00000, 0]);
    expect(exact.fcsr & CAUSE).toBe(0);
    const inexact = runWith([MUL_D_F18_F0_F2], FLAG_I, { 0: 1, 1: 0x7e700000, ...THREE_D }); // 2^1000 (1 + 2^-52) * 3
    expect((inexact.fcsr & CAUSE) >>> 12).toBe(I);
  });

  it('with Inexact flagged, cfc1 reads the Cause of the instruction before it, and an exact one after it clears Cause', () => {
    const r = runWith([DIV_D_F18_F0_F2, CFC1_T1_FCSR, MUL_D_F18_F0_F0], FLAG_I, { ...ONE_D, ...THREE_D });
    expect((r.t1 & CAUSE) >>> 12).toBe(I);
    expect(r.fcsr & CAUSE).toBe(0);
  });

  it('with Inexact flagged, overflow and invalid operations still raise their flags', () => {
    const huge = runWith([MUL_D_F18_F0_F0], FLAG_I, { 0: 0, 1: 0x7e700000 }); // 2^1000 squared
    expect((huge.fcsr & CAUSE) >>> 12).toBe(O | I);
    expect((huge.fcsr & FLAGS) >>> 2).toBe(O | I);
    const zero = runWith([DIV_D_F18_F0_F2], FLAG_I, { 0: 0, 1: 0, 2: 0, 3: 0 }); // 0 / 0
    expect((zero.fcsr & CAUSE) >>> 12).toBe(INVALID);
  });
});
