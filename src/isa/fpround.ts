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

function nextUp(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0] += x > 0 ? 1n : -1n;
  return f64[0];
}
const nextDown = (x: number): number => -nextUp(-x);

function nextUpF(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return 1.401298464324817e-45;
  f32[0] = x;
  i32[0] += x > 0 ? 1 : -1;
  return f32[0];
}
const nextDownF = (x: number): number => -nextUpF(-x);

/** Rounds the exact value hi + lo (hi = hi + lo rounded to nearest) to a double in `mode`. */
function roundD(hi: number, lo: number, mode: number): number {
  if (lo === 0 || lo !== lo) return hi;
  if (mode === 2) return lo > 0 ? nextUp(hi) : hi;
  if (mode === 3) return lo < 0 ? nextDown(hi) : hi;
  // toward zero
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


function dirD(r: number, err: number, m: number, finiteIn: boolean): number {
  if (!Number.isFinite(r)) return finiteIn && r === r ? overflowD(r, m) : r;
  return roundD(r, err, m);
}

/**
 * A guest FPU's arithmetic, reading the current rounding mode through `mode()`. The
 * nearest-even path is one comparison more than plain JavaScript arithmetic, and nothing
 * here allocates.
 */
export function makeFpArith(mode: () => number) {
  const fin = Number.isFinite;
  return {
    dadd: (a: number, b: number) => {
      const r = a + b, m = mode();
      return m === 0 ? r : dirD(r, sumErr(a, b, r), m, fin(a) && fin(b));
    },
    dsub: (a: number, b: number) => {
      const r = a - b, m = mode();
      return m === 0 ? r : dirD(r, sumErr(a, -b, r), m, fin(a) && fin(b));
    },
    dmul: (a: number, b: number) => {
      const r = a * b, m = mode();
      return m === 0 ? r : dirD(r, prodErr(a, b, r), m, fin(a) && fin(b));
    },
    ddiv: (a: number, b: number) => {
      const r = a / b, m = mode();
      return m === 0 ? r : dirD(r, fin(r) ? divErr(a, b, r) : 0, m, fin(a) && fin(b) && b !== 0);
    },
    dsqrt: (a: number) => {
      const r = Math.sqrt(a), m = mode();
      return m === 0 || !(r > 0) || !fin(r) ? r : roundD(r, sqrtErr(a, r), m);
    },
    sadd: (a: number, b: number) => {
      const r = a + b, m = mode();
      return m === 0 ? Math.fround(r) : roundS(r, fin(r) ? sumErr(a, b, r) : 0, m);
    },
    ssub: (a: number, b: number) => {
      const r = a - b, m = mode();
      return m === 0 ? Math.fround(r) : roundS(r, fin(r) ? sumErr(a, -b, r) : 0, m);
    },
    smul: (a: number, b: number) => {
      const r = a * b, m = mode();
      return m === 0 ? Math.fround(r) : roundS(r, fin(r) ? prodErr(a, b, r) : 0, m);
    },
    sdiv: (a: number, b: number) => {
      const r = a / b, m = mode();
      return m === 0 ? Math.fround(r) : roundS(r, fin(r) && r !== 0 ? divErr(a, b, r) : 0, m);
    },
    ssqrt: (a: number) => {
      const r = Math.sqrt(a), m = mode();
      return m === 0 ? Math.fround(r) : roundS(r, r > 0 && fin(r) ? sqrtErr(a, r) : 0, m);
    },
    /** A double (or integer) value rounded to single precision in the current mode. */
    tosingle: (a: number) => {
      const m = mode();
      return m === 0 ? Math.fround(a) : roundS(a, 0, m);
    },
  };
}
