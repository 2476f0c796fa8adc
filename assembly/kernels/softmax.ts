// softmax, log_softmax and logsumexp over the middle axis of an (outer, len, inner) view of a
// contiguous float32 buffer, in one kernel call: max, then exp(x - max) stored and summed, then a
// scale or a shift. The steps are the composite's (jax.nn.softmax): the same
// exp/log polynomials as the elementwise kernels and the same float32 operations per element, so
// results differ from the composite only by the order of the sum (a few ulp).
//
// Special values follow JAX: a row holding NaN or +inf gives NaN (inf - inf), a row of all -inf
// gives NaN for softmax/log_softmax and -inf for logsumexp, whose shift is 0 when the max is not
// finite. Tails go through the vector exp/log one lane at a time, so an element's result does not
// depend on where it sits. No global scratch memory: threads may run pieces of `outer` at once.
import { expV, expUnitV, logV } from "./transcendental";

// The op codes; src/backend/wasm/lower-softmax.ts passes the same numbers.
const SOFTMAX: i32 = 0;
const LOG_SOFTMAX: i32 = 1;
const LOGSUMEXP: i32 = 2;

@inline function expS(x: f32): f32 {
  if (ASC_FEATURE_SIMD) return f32x4.extract_lane(expV(f32x4.splat(x)), 0);
  return Mathf.exp(x);
}

@inline function logS(x: f32): f32 {
  if (ASC_FEATURE_SIMD) return f32x4.extract_lane(logV(f32x4.splat(x)), 0);
  return Mathf.log(x);
}

/** logsumexp's shift: the max where finite, else 0 (so -inf rows give log(0) = -inf, not NaN). */
@inline function safeShift(m: f32): f32 { return Mathf.abs(m) < Infinity ? m : 0; }

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

/** The smallest element rowMax saw: its second result (a Wasm global belongs to one instance, and each thread runs its own). */
let rowLow: f32 = 0;

/**
 * Max of n contiguous floats, and their min in rowLow. pmax drops a NaN that arrives after a number;
 * that cannot change the result, since the NaN then reaches the sum through exp(NaN - max) and
 * every output is NaN.
 */
function rowMax(p: usize, n: i32): f32 {
  let m: f32 = -Infinity, l: f32 = Infinity;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (n >= 8) {
      let a = f32x4.splat(-Infinity), b = a, c = f32x4.splat(Infinity), d = c;
      for (; i + 8 <= n; i += 8) {
        const u = v128.load(at(p, i)), v = v128.load(at(p, i), 16);
        a = f32x4.pmax(a, u);
        b = f32x4.pmax(b, v);
        c = f32x4.pmin(c, u);
        d = f32x4.pmin(d, v);
      }
      a = f32x4.pmax(a, b);
      c = f32x4.pmin(c, d);
      m = max<f32>(max<f32>(f32x4.extract_lane(a, 0), f32x4.extract_lane(a, 1)), max<f32>(f32x4.extract_lane(a, 2), f32x4.extract_lane(a, 3)));
      l = min<f32>(min<f32>(f32x4.extract_lane(c, 0), f32x4.extract_lane(c, 1)), min<f32>(f32x4.extract_lane(c, 2), f32x4.extract_lane(c, 3)));
    }
  }
  for (; i < n; i++) {
    const x = load<f32>(at(p, i));
    m = max<f32>(m, x);
    l = min<f32>(l, x);
  }
  rowLow = l;
  return m;
}

/** Rows longer than this are summed by halves (pairwise), so rounding error grows with log n. */
const PAIRWISE: i32 = 512;

/**
 * q[i] = exp(p[i] - m) over at most PAIRWISE contiguous floats, returning their sum: four
 * independent chains (hiding the polynomial's latency), each with its own accumulator. `unit` (a
 * constant after inlining) says every p[i] - m lies in [-87, 0] (or is NaN), where expUnitV gives
 * expV's results faster.
 */
@inline function expSum(p: usize, q: usize, n: i32, m: f32, unit: bool): f32 {
  let s: f32 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const mv = f32x4.splat(m);
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
    for (; i + 16 <= n; i += 16) {
      const x0 = f32x4.sub(v128.load(at(p, i)), mv), x1 = f32x4.sub(v128.load(at(p, i), 16), mv);
      const x2 = f32x4.sub(v128.load(at(p, i), 32), mv), x3 = f32x4.sub(v128.load(at(p, i), 48), mv);
      const e0 = unit ? expUnitV(x0) : expV(x0);
      const e1 = unit ? expUnitV(x1) : expV(x1);
      const e2 = unit ? expUnitV(x2) : expV(x2);
      const e3 = unit ? expUnitV(x3) : expV(x3);
      v128.store(at(q, i), e0);
      v128.store(at(q, i), e1, 16);
      v128.store(at(q, i), e2, 32);
      v128.store(at(q, i), e3, 48);
      s0 = f32x4.add(s0, e0);
      s1 = f32x4.add(s1, e1);
      s2 = f32x4.add(s2, e2);
      s3 = f32x4.add(s3, e3);
    }
    for (; i + 4 <= n; i += 4) {
      const e = expV(f32x4.sub(v128.load(at(p, i)), mv));
      v128.store(at(q, i), e);
      s0 = f32x4.add(s0, e);
    }
    const v = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
    s = (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
  }
  for (; i < n; i++) {
    const e = expS(load<f32>(at(p, i)) - m);
    store<f32>(at(q, i), e);
    s += e;
  }
  return s;
}

/** expSum over rows of any length: rows above PAIRWISE elements by halves, whose sums are added. */
function expSumRow(p: usize, q: usize, n: i32, m: f32, unit: bool): f32 {
  if (n > PAIRWISE) {
    const h = (n >> 1) & ~15;
    return expSumRow(p, q, h, m, unit) + expSumRow(at(p, h), at(q, h), n - h, m, unit);
  }
  // Literal flags, so each inlined copy of the loop is specialised.
  return unit ? expSum(p, q, n, m, true) : expSum(p, q, n, m, false);
}

/** Sum of exp(p[i] - m), stored to q: the fast exp where the row's range allows (max - min <= 87). */
@inline function rowExpSum(p: usize, q: usize, n: i32, m: f32): f32 {
  // NaN (an all -inf row, or m = +inf) fails the test and takes the general path.
  return expSumRow(p, q, n, m, m - rowLow <= 87);
}

/** Column sums add blocks of this many rows first, then the block sums. */
const COLBLOCK: i32 = 64;

/** q[i] *= r over n contiguous floats. */
@inline function rowScale(q: usize, n: i32, r: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const rv = f32x4.splat(r);
    for (; i + 4 <= n; i += 4) v128.store(at(q, i), f32x4.mul(v128.load(at(q, i)), rv));
  }
  for (; i < n; i++) store<f32>(at(q, i), load<f32>(at(q, i)) * r);
}

/** q[i] = (p[i] - m) - l over n contiguous floats (log_softmax's two subtractions, in its order). */
@inline function rowShift(p: usize, q: usize, n: i32, m: f32, l: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const mv = f32x4.splat(m), lv = f32x4.splat(l);
    for (; i + 4 <= n; i += 4) v128.store(at(q, i), f32x4.sub(f32x4.sub(v128.load(at(p, i)), mv), lv));
  }
  for (; i < n; i++) store<f32>(at(q, i), (load<f32>(at(p, i)) - m) - l);
}

/** One contiguous row of n floats at p; output at q (one float for logsumexp, which uses work). */
function row(op: i32, p: usize, q: usize, n: i32, work: usize): void {
  const m = rowMax(p, n);
  if (op == SOFTMAX) {
    // A multiply by 1/s: s is in [1, n] (or NaN), so 1/s neither overflows nor underflows.
    rowScale(q, n, <f32>1 / rowExpSum(p, q, n, m));
  } else if (op == LOG_SOFTMAX) {
    rowShift(p, q, n, m, logS(rowExpSum(p, q, n, m)));
  } else {
    const c = safeShift(m);
    store<f32>(q, logS(c == m ? rowExpSum(p, work, n, c) : expSumRow(p, work, n, c, false)) + c);
  }
}

/** The same over one column of a strided (len, inner) block: element i at p + i * stride bytes. */
function columnScalar(op: i32, p: usize, q: usize, n: i32, stride: usize): void {
  let m: f32 = -Infinity;
  for (let i = 0; i < n; i++) m = max<f32>(m, load<f32>(p + <usize>i * stride));
  const c = op == LOGSUMEXP ? safeShift(m) : m;
  let s: f32 = 0;
  for (let b = 0; b < n; b += COLBLOCK) {
    let sb: f32 = 0;
    const end = min(n, b + COLBLOCK);
    for (let i = b; i < end; i++) {
      const e = expS(load<f32>(p + <usize>i * stride) - c);
      if (op == SOFTMAX) store<f32>(q + <usize>i * stride, e);
      sb += e;
    }
    s += sb;
  }
  if (op == SOFTMAX) {
    const r = <f32>1 / s;
    for (let i = 0; i < n; i++) store<f32>(q + <usize>i * stride, load<f32>(q + <usize>i * stride) * r);
  } else if (op == LOG_SOFTMAX) {
    const l = logS(s);
    for (let i = 0; i < n; i++) store<f32>(q + <usize>i * stride, (load<f32>(p + <usize>i * stride) - m) - l);
  } else {
    store<f32>(q, logS(s) + c);
  }
}

/** Four adjacent columns at once, one per lane (the same arithmetic as columnScalar per lane). */
function columns4(op: i32, p: usize, q: usize, n: i32, stride: usize): void {
  let m = f32x4.splat(-Infinity);
  for (let i = 0; i < n; i++) m = f32x4.pmax(m, v128.load(p + <usize>i * stride));
  let c = m;
  if (op == LOGSUMEXP) c = v128.and(m, f32x4.lt(f32x4.abs(m), f32x4.splat(Infinity)));
  let s = f32x4.splat(0);
  for (let b = 0; b < n; b += COLBLOCK) {
    let sb = f32x4.splat(0);
    const end = min(n, b + COLBLOCK);
    for (let i = b; i < end; i++) {
      const e = expV(f32x4.sub(v128.load(p + <usize>i * stride), c));
      if (op == SOFTMAX) v128.store(q + <usize>i * stride, e);
      sb = f32x4.add(sb, e);
    }
    s = f32x4.add(s, sb);
  }
  if (op == SOFTMAX) {
    const r = f32x4.div(f32x4.splat(1), s);
    for (let i = 0; i < n; i++) v128.store(q + <usize>i * stride, f32x4.mul(v128.load(q + <usize>i * stride), r));
  } else if (op == LOG_SOFTMAX) {
    const l = logV(s);
    for (let i = 0; i < n; i++) v128.store(q + <usize>i * stride, f32x4.sub(f32x4.sub(v128.load(p + <usize>i * stride), m), l));
  } else {
    v128.store(q, f32x4.add(logV(s), c));
  }
}

/**
 * op (SOFTMAX, LOG_SOFTMAX, LOGSUMEXP) over axis `len` of x viewed as (outer, len, inner), both
 * contiguous float32 and not overlapping. out has x's shape, or (outer, inner) for LOGSUMEXP.
 * Any len >= 0 (an empty logsumexp is -inf), any inner >= 1. work: len floats of scratch for
 * LOGSUMEXP with inner == 1 (unused otherwise), private to this call.
 */
export function softmax_f32(op: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32, work: usize): void {
  const rowBytes = <usize>len * <usize>inner << 2;
  const outRow = op == LOGSUMEXP ? <usize>inner << 2 : rowBytes;
  const stride = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const p = x + <usize>o * rowBytes, q = out + <usize>o * outRow;
    if (inner == 1) {
      row(op, p, q, len, work);
      continue;
    }
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= inner; j += 4) columns4(op, at(p, j), at(q, j), len, stride);
    }
    for (; j < inner; j++) columnScalar(op, at(p, j), at(q, j), len, stride);
  }
}
