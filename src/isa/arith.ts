// Integer arithmetic helpers shared by the ISAs' instruction templates.

/**
 * Template text: `v` as a signed number ordered as its unsigned value is (the sign bit
 * flipped), for unsigned comparisons that stay on small integers: `v >>> 0` is a heap
 * number for half of all values (every ARM stack and library address).
 */
export const u32 = (v: string): string => `(${v} ^ -0x80000000)`;

/**
 * Template text: the high 32 bits of the 64-bit product of two 32-bit values, as int32; `a` and
 * `b` are register or local names (each may be read twice).
 *
 * Signed: plain arithmetic rather than a helper call, so that V8 drops it where the high word
 * is never read (MIPS HI after mult or madd, mostly overwritten unread: the call stayed, and
 * was ~45% of a 64-bit multiply loop). Exact: the double product and the subtraction of the low
 * word are each within 2^11 of the true values, so (P - low word) / 2^32 comes out within 2^-20
 * of the integer high word, which adding and removing 1.5 * 2^52 rounds it to.
 * Unsigned: the mulhu helper, which V8 inlines where it is hot. Every inline form measured
 * slower on ARM's umull loop (the bench's mul64: 707 ms, against 765 with this formula on
 * unsigned operands and 783 with the signed one corrected).
 */
export const mulhExpr = (signed: boolean, a: string, b: string): string => signed
  ? `((((${a} | 0) * (${b} | 0) - (Math.imul(${a}, ${b}) >>> 0)) * 2.3283064365386963e-10 + 6755399441055744 - 6755399441055744) | 0)`
  : `mulhu(${a}, ${b})`;

/** High 32 bits of the unsigned 64-bit product of two 32-bit values. */
export function mulhu(a: number, b: number): number {
  a >>>= 0;
  b >>>= 0;
  const aL = a & 0xffff, aH = a >>> 16, bL = b & 0xffff, bH = b >>> 16;
  const m1 = aH * bL, m2 = aL * bH;
  const mid = ((aL * bL) >>> 16) + (m1 & 0xffff) + (m2 & 0xffff);
  return (aH * bH + (m1 >>> 16) + (m2 >>> 16) + Math.floor(mid / 65536)) | 0;
}
