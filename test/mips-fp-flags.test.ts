// FCSR exception bits that the random-instruction tester (test/fuzz/risu.ts) found differing
// from qemu-user, checked in the interpreter: IEEE overflow of a single result that the
// rounding mode delivers as the largest finite single, and Cause holding only the last
// operation's exceptions (a compare's too) while Flags accumulate; the sign of a negated
// multiply-add's default NaN.
import { describe, expect, it } from 'vitest';
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../src/memory/memory.js';
import { MipsCpu } from '../src/isa/mips/cpu.js';
import { Engine } from '../src/engine/engine.js';
import { GuestFault, SIGTRAP } from '../src/engine/signals.js';

const CODE = 0x10000, DATA = 0x20000, A0 = 4;
const lwc1 = (ft: number, off: number) => ((0x31 << 26) | (A0 << 21) | (ft << 16) | off) >>> 0;
const swc1 = (ft: number, off: number) => ((0x39 << 26) | (A0 << 21) | (ft << 16) | off) >>> 0;
const CFC1_T0_FCSR = 0x4448f800, BREAK = 0x0000000d;
const NMADD_S = 0x4c2274b0; // nmadd.s $f18, $f1, $f14, $f2: -(f14 * f2 + f1)
const ADD_S_F4_F0_F0 = 0x46000100; // add.s $f4, $f0, $f0
const C_EQ_S_F0_F0 = 0x46000032; // c.eq.s $f0, $f0 (1.0 = 1.0: no exception)
const CAUSE = 0x3f000, FLAGS = 0x7c, O = 4, I = 1;

/** Runs `words` (after loading f0, f1, f14, f2 from DATA) in the interpreter from FCSR `fcsr`. */
function run(words: number[], fcsr: number, data = [0x3f800000, 0x80000000, 0xdfb08201, 0xfd41b105]) {
  const mem = new GuestMemory(false);
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  // 1.0, -0, -2.54e19, -1.6e37: the product overflows single precision.
  data.forEach((v, i) => mem.write32(DATA + 4 * i, v));
  const code = [lwc1(0, 0), lwc1(1, 4), lwc1(14, 8), lwc1(2, 12), CFC1_T0_FCSR, ...words, swc1(18, 16), BREAK];
  code.forEach((w, i) => mem.view.setUint32(CODE + 4 * i, w, false));
  const cpu = new MipsCpu(mem, () => {});
  cpu.fcsr = fcsr;
  cpu.R[A0] = DATA;
  cpu.pc = CODE;
  let fault: unknown = null;
  try {
    new Engine(cpu, mem, { translate: false }).run();
  } catch (e) {
    fault = e;
  }
  expect(fault).toBeInstanceOf(GuestFault);
  expect((fault as GuestFault).signal).toBe(SIGTRAP);
  return { fcsr: cpu.fcsr, f18: mem.read32(DATA + 16) >>> 0 };
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
});
