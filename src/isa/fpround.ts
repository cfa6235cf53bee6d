// IEEE arithmetic under directed rounding modes. JavaScript only rounds to nearest, so
// each operation also computes its exact rounding error (error-free transformations:
// TwoSum, Dekker's TwoProduct, remainder for division and square root) and steps the
// nearest result one ulp when the mode says so. Shared by every guest FPU.
//
// Modes: 0 nearest-even, 1 toward zero, 2 toward +inf, 3 toward -inf (MIPS FCSR.RM order).

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The next double above x (the next single, for nextUpF); the down versions mirror them. */
export function nextUp(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0] += x > 0 ? 1n : -1n;
  return f64[0];
}
export const nextDown = (x: number): number => -nextUp(-x);

export function nextUpF(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return 1.401298464324817e-45;
  f32[0] = x;
  i32[0] += x > 0 ? 1 : -1;
  return f32[0];
}
export const nextDownF = (x: number): number => -nextUpF(-x);

/** Rounds the exact value hi + lo (hi = hi + lo rounded to nearest) to a double in `mode`. */
function roundD(hi: number, lo: number, mode: number): number {
  if (lo === 0 || lo !== lo) return hi;
  if (mode === 2) return lo > 0 ? nextUp(hi) : hi;
  if (mode === 3) return lo < 0 ? nextDown(hi) : hi;
  // toward zero (a zero stays zero: the exact value is smaller than any subnormal)
  if (hi === 0) return hi;
  if (hi > 0) return lo < 0 ? nextDown(hi) : hi;
  return lo > 0 ? nextUp(hi) : hi;
}

/** Rounds the exact value hi + lo to a single in `mode`. */
function roundS(hi: number, lo: number, mode: number): number {
  const f = Math.fround(hi);
  if (f !== f || mode === 0) return f;
  // f - hi is exact (both are close); diff > 0 means f lies above the exact value.
  const diff = f - hi - lo;
  if (diff === 0) return f;
  if (!Number.isFinite(f) && Number.isFinite(hi)) {
    // Overflowed to infinity while rounding toward zero or away from this infinity.
    if (mode === 1 || (mode === 3 && f > 0) || (mode === 2 && f < 0)) return f > 0 ? 3.4028234663852886e38 : -3.4028234663852886e38;
    return f;
  }
  if (mode === 2) return diff < 0 ? nextUpF(f) : f;
  if (mode === 3) return diff > 0 ? nextDownF(f) : f;
  if (f > 0) return diff > 0 ? nextDownF(f) : f;
  return diff < 0 ? nextUpF(f) : f;
}

const MAX_S = 3.4028234663852886e38, TWO_128 = 2 ** 128;
/**
 * IEEE overflow of a single result r (a double, or an infinity): the value rounded as if the
 * exponent were unbounded exceeds the largest single, whatever finite value the mode
 * delivers (toward zero, a huge product gives the largest single and still overflows).
 */
function overflowsS(r: number, mode: number): boolean {
  const ar = Math.abs(r);
  if (ar >= TWO_128) return true;
  if (ar <= MAX_S) return false;
  return mode === 0 ? !Number.isFinite(Math.fround(r)) : mode === 2 ? r > 0 : mode === 3 ? r < 0 : false;
}

function overflowD(r: number, mode: number): number {
  if (mode === 1 || (mode === 3 && r > 0) || (mode === 2 && r < 0)) return r > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
  return r;
}

function sumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

const SPLIT = 134217729; // 2^27 + 1
function prodErr(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a), al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b), bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

const SCALE = 2 ** 300;
/**
 * Products and quotients in the subnormal range: the error-free transforms underflow, so
 * redo the operation scaled up and return only the error's direction (all rounding and
 * flag logic needs), as a signed tiny value.
 */
function tinyErr(r: number, scaledExact: number, scaledErr: number): number {
  const d = scaledExact - r * SCALE + scaledErr;
  return d === 0 ? 0 : d > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
}
/** A nonzero exact result that rounded to zero: its error is all of it, of the operands' sign. */
const lostToZero = (a: number, b: number): number => ((a < 0) !== (b < 0) ? -Number.MIN_VALUE : Number.MIN_VALUE);
function mulErr(a: number, b: number, r: number): number {
  if (Math.abs(r) >= 1e-290 || r !== r) return prodErr(a, b, r);
  // Even scaled by 2^300 such a product would still be zero (1e-200 * 1e-200).
  if (r === 0) return a === 0 || b === 0 ? 0 : lostToZero(a, b);
  const as = a * SCALE, p = as * b;
  return tinyErr(r, p, prodErr(as, b, p));
}
function quotErr(a: number, b: number, r: number): number {
  if (Math.abs(r) >= 1e-290 || r !== r) return divErr(a, b, r);
  const as = a * SCALE, q = as / b;
  return tinyErr(r, q, divErr(as, b, q));
}

/** Error of q ≈ a/b, as a value with the sign of (a/b - q). */
function divErr(a: number, b: number, q: number): number {
  const p = q * b;
  const r = a - p - prodErr(q, b, p);
  return r / b;
}

function sqrtErr(a: number, s: number): number {
  const p = s * s;
  return (a - p - prodErr(s, s, p)) / (2 * s);
}

/** Whether the error-free transforms are exact for this double and its partners (far from both ends of the range). */
function safeD(x: number): boolean {
  const v = Math.abs(x);
  return v < 2 ** 900 && v > 2 ** -900;
}

/** Exception flag bits, in the order MIPS FCSR and ARM FPSCR both list them. */
export const FP_INEXACT = 1, FP_UNDERFLOW = 2, FP_OVERFLOW = 4, FP_DIVZERO = 8, FP_INVALID = 16;
const MIN_NORMAL_D = 2.2250738585072014e-308, MIN_NORMAL_S = 1.1754943508222875e-38;

// ---- exact rounding (BigInt), for what the error-free transforms cannot do ----
// Near the ends of the exponent range TwoProduct's splitting overflows or underflows, an
// underflow's tininess depends on the unrounded value, and a directed rounding to the
// largest finite value still overflows: there the operations are computed exactly.

/** Flags raised by the exact routines below (FP_* bits). */
export let roundFlags = 0;
/**
 * Bits added to a rounding mode for the exact routines. RM_FTZ: flush-to-zero (ARM
 * FPSCR.FZ, MIPS FCSR.FS), a result tiny before rounding becomes a zero of its sign, raising
 * Underflow alone (no Inexact, as under qemu), or nothing with RM_FTZ_QUIET (MIPS: qemu's
 * MIPS FCSR has no flag for a flushed result). RM_TINY_AFTER: tininess is detected after
 * rounding (MIPS under qemu; ARM detects it before).
 */
export const RM_FTZ = 4, RM_TINY_AFTER = 8, RM_FTZ_QUIET = 16;

/** keep = m * 2^e rounded to a multiple of 2^q in mode rm (0-3), and whether that was inexact. */
function roundAt(neg: boolean, m: bigint, e: number, q: number, rm: number): [bigint, boolean] {
  if (q <= e) return [m << BigInt(e - q), false];
  const sh = BigInt(q - e);
  let keep = m >> sh;
  const rem = m - (keep << sh), half = 1n << (sh - 1n);
  if (rem === 0n) return [keep, false];
  const up = rm === 0 ? rem > half || (rem === half && (keep & 1n) === 1n) : rm === 2 ? !neg : rm === 3 ? neg : false;
  if (up) keep += 1n;
  return [keep, true];
}

/**
 * Rounds the exact value (-1)^neg * m * 2^e (m > 0) to a binary format with p significant
 * bits and exponents emin..emax, in mode `mode` (0-3, plus RM_FTZ, RM_TINY_AFTER); sets
 * roundFlags.
 */
export function roundExact(neg: boolean, m: bigint, e: number, p: number, emin: number, emax: number, mode: number): number {
  roundFlags = 0;
  const rm = mode & 3;
  const top = e + m.toString(2).length - 1; // the exponent of the leading bit
  if (mode & RM_FTZ && top < emin) {
    roundFlags = mode & RM_FTZ_QUIET ? 0 : FP_UNDERFLOW;
    return neg ? -0 : 0;
  }
  const q = Math.max(top - p + 1, emin - p + 1); // the exponent of the result's last bit
  const rounded = roundAt(neg, m, e, q, rm), inexact = rounded[1];
  let keep = rounded[0], qq = q;
  if (inexact) {
    roundFlags |= FP_INEXACT;
    // Tiny: below the smallest normal before rounding, or (after) once rounded to p bits
    // with an unbounded exponent.
    let tiny = top < emin;
    if (tiny && mode & RM_TINY_AFTER && top === emin - 1) tiny = roundAt(neg, m, e, top - p + 1, rm)[0] < 1n << BigInt(p);
    if (tiny) roundFlags |= FP_UNDERFLOW;
  }
  if (keep >= 1n << BigInt(p)) {
    keep >>= 1n;
    qq++;
  }
  const maxFinite = (2 - 2 ** (1 - p)) * 2 ** emax;
  let v: number;
  if (keep !== 0n && qq + p - 1 > emax) {
    roundFlags = FP_OVERFLOW | FP_INEXACT;
    const toInf = rm === 0 || (rm === 2 && !neg) || (rm === 3 && neg);
    v = toInf ? Infinity : maxFinite;
  } else {
    v = Number(keep) * 2 ** qq;
  }
  return neg ? -v : v;
}

/** A finite nonzero double as [negative, integer significand, exponent]. */
export function decompose(x: number): [boolean, bigint, number] {
  f64[0] = x;
  const bits = BigInt.asUintN(64, i64[0]);
  const be = Number((bits >> 52n) & 0x7ffn);
  const m = bits & 0xfffffffffffffn;
  return be === 0 ? [x < 0, m, -1074] : [x < 0, m | (1n << 52n), be - 1075];
}

/** Formats for the exact routines: significant bits, minimum and maximum exponents. */
export type Format = readonly [number, number, number];
export const FMT_D: Format = [53, -1022, 1023], FMT_S: Format = [24, -126, 127];

/** An exact zero result of a sum: negative when rounding toward minus infinity. */
const exactZero = (mode: number) => ((mode & 3) === 3 ? -0 : 0);

/** a * b + c, all finite and the product nonzero, exactly rounded. */
export function fmaExact(a: number, b: number, c: number, f: Format, mode: number): number {
  const [na, ma, ea] = decompose(a);
  const [nb, mb, eb] = decompose(b);
  let pm = ma * mb;
  let pe = ea + eb;
  let pneg = na !== nb;
  if (c !== 0) {
    const [nc, mc0, ec] = decompose(c);
    const e = Math.min(pe, ec);
    const s = (pneg ? -pm : pm) * (1n << BigInt(pe - e)) + (nc ? -mc0 : mc0) * (1n << BigInt(ec - e));
    if (s === 0n) {
      roundFlags = 0;
      return exactZero(mode);
    }
    pneg = s < 0n;
    pm = pneg ? -s : s;
    pe = e;
  }
  return roundExact(pneg, pm, pe, f[0], f[1], f[2], mode);
}
/** a + b (finite, not both zero) exactly rounded; an exact zero gets the sign IEEE gives it. */
export function addExact(a: number, b: number, mode: number, f: Format): number {
  if (a === 0 || b === 0) {
    roundFlags = 0;
    return a === 0 ? b : a;
  }
  return fmaExact(a, 1, b, f, mode);
}
/** a * b (finite, nonzero) exactly rounded. */
export function mulExact(a: number, b: number, mode: number, f: Format): number {
  return fmaExact(a, b, 0, f, mode);
}
/** a / b (finite, nonzero) exactly rounded: a 120-bit quotient with a sticky bit. */
export function divExact(a: number, b: number, mode: number, f: Format): number {
  const [na, ma, ea] = decompose(a);
  const [nb, mb, eb] = decompose(b);
  const num = ma << 120n;
  const q = num / mb, sticky = num % mb === 0n ? 0n : 1n;
  return roundExact(na !== nb, (q << 1n) | sticky, ea - eb - 121, f[0], f[1], f[2], mode);
}
/** sqrt(a) (finite, positive) exactly rounded to a double. */
export function sqrtExact(a: number, mode: number): number {
  const [, m0, e0] = decompose(a);
  const odd = (e0 & 1) !== 0;
  const m = (odd ? m0 << 1n : m0) << 240n, e = (odd ? e0 - 1 : e0) - 240;
  // Integer square root by Newton's method.
  let x = 1n << BigInt(Math.ceil(m.toString(2).length / 2) + 1);
  for (;;) {
    const y = (x + m / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  const sticky = x * x === m ? 0n : 1n;
  return roundExact(false, (x << 1n) | sticky, e / 2 - 1, 53, -1022, 1023, mode);
}

// ---- round to nearest, flags tracked: the common case, cheaply ----

/** Operations for nearResult, ordinaryResult and inexactOf: OP_SINGLE marks single precision (subtraction is OP_ADD of -b). */
export const OP_ADD = 1, OP_MUL = 2, OP_DIV = 3, OP_SQRT = 4, OP_SINGLE = 8;

/** The result of `op` on a and b (b unused by OP_SQRT) rounded to nearest, as JavaScript gives it. */
export function nearResult(op: number, a: number, b: number): number {
  const kind = op & 7;
  const r = kind === OP_ADD ? a + b : kind === OP_MUL ? a * b : kind === OP_DIV ? a / b : Math.sqrt(a);
  return op & OP_SINGLE ? Math.fround(r) : r;
}

/**
 * Whether a result r of `op`, rounded to nearest, raised at most Inexact: it is finite and,
 * unless it is a sum, above the smallest normal (rounding is monotonic, so the exact value
 * was not tiny either; a sum of two floating-point numbers is exact whenever it is tiny).
 */
export function ordinaryResult(op: number, r: number): boolean {
  const v = Math.abs(r);
  return (op & 7) === OP_ADD ? v < Infinity : v > (op & OP_SINGLE ? MIN_NORMAL_S : MIN_NORMAL_D) && v < Infinity;
}
/** ordinaryResult as template code, for translated code to test inline (V8 would not always inline the call). */
export const ordinaryResultCode = (op: number, r: string): string =>
  (op & 7) === OP_ADD ? `Math.abs(${r}) < Infinity` : `(Math.abs(${r}) > ${op & OP_SINGLE ? MIN_NORMAL_S : MIN_NORMAL_D} && Math.abs(${r}) < Infinity)`;

/**
 * Whether `op` on a and b, its result ordinary, was rounded (Inexact): by the error-free
 * transforms where they are exact, by the exact routines near the ends of the range.
 */
export function inexactOf(op: number, a: number, b: number): boolean {
  const kind = op & 7;
  if (op & OP_SINGLE) {
    // Single operands: the double result r is exact, or within a double ulp (its error err
    // is exact: no transform over- or underflows at single magnitudes); rounded to single
    // it is exact only if r was exact and is a single already.
    const r = nearResult(op & 7, a, b);
    const err = kind === OP_ADD ? sumErr(a, b, r) : kind === OP_MUL ? prodErr(a, b, r) : kind === OP_DIV ? divErr(a, b, r) : sqrtErr(a, r);
    return err !== 0 || Math.fround(r) !== r;
  }
  if (kind === OP_ADD) {
    const r = a + b;
    if (Math.abs(r) < 2 ** 1023) return r !== 0 && sumErr(a, b, r) !== 0;
    addExact(a, b, 0, FMT_D);
  } else if (kind === OP_SQRT) {
    const r = Math.sqrt(a);
    if (safeD(a)) return sqrtErr(a, r) !== 0;
    sqrtExact(a, 0);
  } else {
    const r = kind === OP_MUL ? a * b : a / b;
    if (safeD(a) && safeD(b) && safeD(r)) {
      if (kind === OP_MUL) return prodErr(a, b, r) !== 0;
      // A quotient is exact only if r * b is exactly a: then their rounded product is a, without error.
      const p = r * b;
      return p !== a || prodErr(r, b, p) !== 0;
    }
    if (kind === OP_MUL) mulExact(a, b, 0, FMT_D);
    else divExact(a, b, 0, FMT_D);
  }
  return (roundFlags & FP_INEXACT) !== 0;
}

/** Mode bits: track exception flags (set once the guest looks at them); flush tiny results to zero (ARM FPSCR.FZ, MIPS FCSR.FS). */
export const FP_TRACK = 4, FP_FTZ = 8;

/**
 * A guest FPU's arithmetic. `mode()` gives the rounding mode (low 2 bits) plus FP_TRACK
 * when exception flags must be computed; `raise(bits)` accumulates flags. The common
 * case (nearest, no tracking) costs one comparison more than plain JavaScript
 * arithmetic, and nothing here allocates.
 */
export function makeFpArith(mode: () => number, raise: (flags: number) => void, { tininessAfterRounding = false, quietFlush = false } = {}) {
  const fin = Number.isFinite;
  /** The exact routines' result, its flags raised when tracked. */
  const exact = (m: number, r: number) => {
    if (m & FP_TRACK && roundFlags) raise(roundFlags);
    return r;
  };
  const exactMode = (m: number) => (m & 3) | (tininessAfterRounding ? RM_TINY_AFTER : 0) | (m & FP_FTZ ? RM_FTZ | (quietFlush ? RM_FTZ_QUIET : 0) : 0);
  /**
   * Under FP_FTZ, whether a result r of finite operands may be tiny: then the exact routines
   * redo it, flushing (rounding is monotonic, so a larger |r| had a normal exact value).
   */
  const mayFlush = (m: number, r: number, minNormal: number) => (m & FP_FTZ) !== 0 && Math.abs(r) <= minNormal;
  /** The same for a sum r of a and b, finite and not both zero. */
  const sumMayFlush = (m: number, a: number, b: number, r: number, minNormal: number) => mayFlush(m, r, minNormal) && fin(a) && fin(b) && (a !== 0 || b !== 0);
  /** An exact routine's result under FP_FTZ: a subnormal one (an operand returned as is) flushed too. */
  const flushed = (m: number, r: number, minNormal: number) => {
    const v = exact(m, r);
    return v !== 0 && v < minNormal && v > -minNormal ? (v < 0 ? -0 : 0) : v;
  };
  /** A sum of finite nonzero operands needs exact rounding: a cancellation (its zero's sign), or near overflow. */
  const sumNeedsExact = (a: number, b: number, r: number, huge: number) => a !== 0 && b !== 0 && fin(a) && fin(b) && (r === 0 || !(Math.abs(r) < huge));
  /** A single result near underflow or overflow (operands finite and nonzero) needs exact rounding. */
  const edgeS = (r: number) => !(Math.abs(r) >= 2 ** -125 && Math.abs(r) < 2 ** 127);
  /** Same for doubles: the transforms may fail, or the result be tiny. */
  const edgeD = (a: number, b: number, r: number) => !(safeD(a) && safeD(b) && safeD(r));
  const finiteNonzero = (a: number, b: number) => a !== 0 && b !== 0 && fin(a) && fin(b);
  /** a + b of two zeros rounding toward minus infinity: negative unless both are +0 (JavaScript gives +0). */
  const zerosDown = (m: number, a: number, b: number) => (m & 3) === 3 && a === 0 && b === 0;
  const zeroSumDown = (a: number, b: number) => (Object.is(a, 0) && Object.is(b, 0) ? 0 : -0);
  /** Finishes a double result r of exact value r + err from inputs a, b. */
  const finD = (r: number, err: number, m: number, a: number, b: number, divZero: boolean): number => {
    const rm = m & 3;
    const inNaN = a !== a || b !== b;
    const inFinite = fin(a) && fin(b);
    let out = r;
    if (rm !== 0) out = fin(r) ? roundD(r, err, rm) : inFinite && r === r && !divZero ? overflowD(r, rm) : r;
    if (m & FP_TRACK) {
      let f = 0;
      if (r !== r && !inNaN) f |= FP_INVALID;
      else if (divZero) f |= FP_DIVZERO;
      else if (!fin(r) && inFinite) f |= FP_OVERFLOW | FP_INEXACT;
      else if (fin(r) && err !== 0 && err === err) {
        f |= FP_INEXACT;
        const ar = Math.abs(r);
        if (ar < MIN_NORMAL_D || (ar === MIN_NORMAL_D && (err < 0) !== (r < 0))) f |= FP_UNDERFLOW;
      }
      if (f) raise(f);
    }
    return out;
  };
  /** Finishes a single result: r is the double result, exact value r + err. */
  const finS = (r: number, err: number, m: number, a: number, b: number, divZero: boolean): number => {
    const rm = m & 3;
    const out = rm === 0 ? Math.fround(r) : roundS(r, err, rm);
    if (m & FP_TRACK) {
      let f = 0;
      const inNaN = a !== a || b !== b;
      if (r !== r && !inNaN) f |= FP_INVALID;
      else if (divZero) f |= FP_DIVZERO;
      else if (fin(a) && fin(b) && overflowsS(r, rm)) f |= FP_OVERFLOW | FP_INEXACT;
      else if (fin(r)) {
        const near = Math.fround(r);
        const diff = near - r - err;
        if (diff !== 0 && diff === diff) {
          f |= FP_INEXACT;
          const ar = Math.abs(near);
          if (ar < MIN_NORMAL_S || (ar === MIN_NORMAL_S && (diff > 0) === (near > 0))) f |= FP_UNDERFLOW;
        }
      }
      if (f) raise(f);
    }
    return out;
  };
  const tinyOfSign = (a: number, b: number) => ((a > 0) === (b > 0) ? Number.MIN_VALUE : -Number.MIN_VALUE);
  const dz = (a: number, b: number) => b === 0 && a === a && a !== 0 && fin(a);
  // Round to nearest with flags tracked (mode FP_TRACK alone) is how most programs run once
  // libc has read the FP control register (strtod and float printing do). near(op, a, b)
  // takes that case when the result is ordinary (see ordinaryResult): it raises Inexact if
  // the result was rounded and returns true, or returns false, raising nothing, for the
  // general path. It returns a boolean, not the result: translated code recomputes the
  // result inline, as a call's double result would be boxed on the heap.
  const near = (op: number, a: number, b: number): boolean => {
    if (!ordinaryResult(op, nearResult(op, a, b))) return false;
    if (inexactOf(op, a, b)) raise(FP_INEXACT);
    return true;
  };
  const arith = {
    near,
    dadd: (a: number, b: number) => {
      const r = a + b, m = mode();
      if (m === 0 || (m === FP_TRACK && near(OP_ADD, a, b))) return r;
      if (sumNeedsExact(a, b, r, 2 ** 1023)) return exact(m, addExact(a, b, exactMode(m), FMT_D));
      if (sumMayFlush(m, a, b, r, MIN_NORMAL_D)) return flushed(m, addExact(a, b, exactMode(m), FMT_D), MIN_NORMAL_D);
      if (zerosDown(m, a, b)) return zeroSumDown(a, b);
      return finD(r, fin(r) ? sumErr(a, b, r) : 0, m, a, b, false);
    },
    dsub: (a: number, b: number) => {
      const r = a - b, m = mode();
      if (m === 0 || (m === FP_TRACK && near(OP_ADD, a, -b))) return r;
      if (sumNeedsExact(a, b, r, 2 ** 1023)) return exact(m, addExact(a, -b, exactMode(m), FMT_D));
      if (sumMayFlush(m, a, b, r, MIN_NORMAL_D)) return flushed(m, addExact(a, -b, exactMode(m), FMT_D), MIN_NORMAL_D);
      if (zerosDown(m, a, b)) return zeroSumDown(a, -b);
      return finD(r, fin(r) ? sumErr(a, -b, r) : 0, m, a, b, false);
    },
    dmul: (a: number, b: number) => {
      const r = a * b, m = mode();
      if (m === 0 || (m === FP_TRACK && near(OP_MUL, a, b))) return r;
      if (finiteNonzero(a, b) && (edgeD(a, b, r) || mayFlush(m, r, MIN_NORMAL_D))) return exact(m, mulExact(a, b, exactMode(m), FMT_D));
      return finD(r, fin(r) ? mulErr(a, b, r) : 0, m, a, b, false);
    },
    ddiv: (a: number, b: number) => {
      const r = a / b, m = mode();
      if (m === 0 || (m === FP_TRACK && near(OP_DIV, a, b))) return r;
      if (finiteNonzero(a, b) && (edgeD(a, b, r) || mayFlush(m, r, MIN_NORMAL_D))) return exact(m, divExact(a, b, exactMode(m), FMT_D));
      const err = fin(r) && r !== 0 ? quotErr(a, b, r) : r === 0 && a !== 0 && fin(a) && fin(b) ? tinyOfSign(a, b) : 0;
      return finD(r, err, m, a, b, dz(a, b));
    },
    dsqrt: (a: number) => {
      const r = Math.sqrt(a), m = mode();
      if (m === 0 || (m === FP_TRACK && near(OP_SQRT, a, 0))) return r;
      if (a > 0 && fin(a) && !safeD(a)) return exact(m, sqrtExact(a, exactMode(m)));
      return finD(r, r > 0 && fin(r) ? sqrtErr(a, r) : 0, m, a, 0, false);
    },
    sadd: (a: number, b: number) => {
      const r = a + b, m = mode();
      if (m === 0 || (m === FP_TRACK && near(OP_ADD | OP_SINGLE, a, b))) return Math.fround(r);
      if (sumNeedsExact(a, b, r, 2 ** 127)) return exact(m, addExact(a, b, exactMode(m), FMT_S));
      if (sumMayFlush(m, a, b, r, MIN_NORMAL_S)) return flushed(m, addExact(a, b, exactMode(m), FMT_S), MIN_NORMAL_S);
      if (zerosDown(m, a, b)) return zeroSumDown(a, b);
      return finS(r, fin(r) ? sumErr(a, b, r) : 0, m, a, b, false);
    },
    ssub: (a: number, b: number) => {
      const r = a - b, m = mode();
      if (m === 0 || (m === FP_TRACK && near(OP_ADD | OP_SINGLE, a, -b))) return Math.fround(r);
      if (sumNeedsExact(a, b, r, 2 ** 127)) return exact(m, addExact(a, -b, exactMode(m), FMT_S));
      if (sumMayFlush(m, a, b, r, MIN_NORMAL_S)) return flushed(m, addExact(a, -b, exactMode(m), FMT_S), MIN_NORMAL_S);
      if (zerosDown(m, a, b)) return zeroSumDown(a, -b);
      return finS(r, fin(r) ? sumErr(a, -b, r) : 0, m, a, b, false);
    },
    smul: (a: number, b: number) => {
      const r = a * b, m = mode();
      if (m === 0 || (m === FP_TRACK && near(OP_MUL | OP_SINGLE, a, b))) return Math.fround(r);
      if (finiteNonzero(a, b) && (edgeS(r) || mayFlush(m, r, MIN_NORMAL_S))) return exact(m, mulExact(a, b, exactMode(m), FMT_S));
      return finS(r, fin(r) ? prodErr(a, b, r) : 0, m, a, b, false);
    },
    sdiv: (a: number, b: number) => {
      const r = a / b, m = mode();
      if (m === 0 || (m === FP_TRACK && near(OP_DIV | OP_SINGLE, a, b))) return Math.fround(r);
      if (finiteNonzero(a, b) && (edgeS(r) || mayFlush(m, r, MIN_NORMAL_S))) return exact(m, divExact(a, b, exactMode(m), FMT_S));
      return finS(r, fin(r) && r !== 0 ? divErr(a, b, r) : 0, m, a, b, dz(a, b));
    },
    ssqrt: (a: number) => {
      const r = Math.sqrt(a), m = mode();
      return m === 0 || (m === FP_TRACK && near(OP_SQRT | OP_SINGLE, a, 0)) ? Math.fround(r) : finS(r, r > 0 && fin(r) ? sqrtErr(a, r) : 0, m, a, 0, false);
    },
    /** A double (or integer) value rounded to single precision in the current mode. */
    tosingle: (a: number) => {
      const m = mode();
      if (m === 0) return Math.fround(a);
      if (a !== 0 && fin(a) && (edgeS(a) || mayFlush(m, a, MIN_NORMAL_S))) {
        const [neg, mant, e] = decompose(a);
        return exact(m, roundExact(neg, mant, e, ...FMT_S, exactMode(m)));
      }
      return finS(a, 0, m, a, 0, false);
    },
  };
  /** Operation `op` (OP_*; b unused by OP_SQRT) in the current mode: one entry for translated code's general path. */
  const operate = (op: number, a: number, b: number): number => {
    switch (op) {
      case OP_ADD: return arith.dadd(a, b);
      case OP_MUL: return arith.dmul(a, b);
      case OP_DIV: return arith.ddiv(a, b);
      case OP_SQRT: return arith.dsqrt(a);
      case OP_ADD | OP_SINGLE: return arith.sadd(a, b);
      case OP_MUL | OP_SINGLE: return arith.smul(a, b);
      case OP_DIV | OP_SINGLE: return arith.sdiv(a, b);
      default: return arith.ssqrt(a);
    }
  };
  return { ...arith, operate };
}
