// IEEE flags and directed rounding of JavaScript arithmetic (src/isa/fpround.ts) where the
// exact result is far below the smallest subnormal: found by bench/compat.mjs, where a MIPS
// program's fetestexcept(FE_UNDERFLOW) after 1e-308 * 1e-308 said no under urun.
import { describe, expect, it } from 'vitest';
import { FP_INEXACT, FP_TRACK, FP_UNDERFLOW, makeFpArith } from '../src/isa/fpround.js';

/** The arithmetic with rounding mode `rm` (0 nearest, 1 zero, 2 up, 3 down) and the flags it raised. */
function arith(rm: number) {
  const state = { flags: 0 };
  const fp = makeFpArith(() => rm | FP_TRACK, (f) => { state.flags |= f; });
  return { fp, state };
}

describe('results that round to zero from far below the subnormals', () => {
  it('a product raises Underflow and Inexact, and rounding up or down gives the smallest subnormal', () => {
    for (const [rm, want] of [[0, 0], [1, 0], [2, Number.MIN_VALUE], [3, 0]] as const) {
      const { fp, state } = arith(rm);
      expect(fp.dmul(1e-200, 1e-200), `mode ${rm}`).toBe(want);
      expect(state.flags).toBe(FP_UNDERFLOW | FP_INEXACT);
    }
    const { fp } = arith(3);
    expect(fp.dmul(-1e-200, 1e-200)).toBe(-Number.MIN_VALUE);
  });

  it('a product with a zero operand is exact', () => {
    const { fp, state } = arith(0);
    expect(fp.dmul(0, 1e-200)).toBe(0);
    expect(state.flags).toBe(0);
  });

  it('a quotient raises the same flags', () => {
    const { fp, state } = arith(2);
    expect(fp.ddiv(1e-200, 1e200)).toBe(Number.MIN_VALUE);
    expect(state.flags).toBe(FP_UNDERFLOW | FP_INEXACT);
  });
});
