// Integer arithmetic helpers shared by the ISAs' instruction templates.

/**
 * Template text: `v` as a signed number ordered as its unsigned value is (the sign bit
 * flipped), for unsigned comparisons that stay on small integers: `v >>> 0` is a heap
 * number for half of all values (every ARM stack and library address).
 */
export const u32 = (v: string): string => `(${v} ^ -0x80000000)`;

/** High 32 bits of the unsigned 64-bit product of two 32-bit values. */
export function mulhu(a: number, b: number): number {
  a >>>= 0;
  b >>>= 0;
  const aL = a & 0xffff, aH = a >>> 16, bL = b & 0xffff, bH = b >>> 16;
  const m1 = aH * bL, m2 = aL * bH;
  const mid = ((aL * bL) >>> 16) + (m1 & 0xffff) + (m2 & 0xffff);
  return (aH * bH + (m1 >>> 16) + (m2 >>> 16) + Math.floor(mid / 65536)) | 0;
}

/** High 32 bits of the signed 64-bit product. */
export function mulhs(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}
