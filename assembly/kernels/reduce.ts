// Reductions and scans over the middle axis of an (outer, len, inner) view of a contiguous buffer.
// Sums over a contiguous axis (inner == 1) are pairwise, so error grows with log(len), not len.
import * as O from "./opcodes";

const BLOCK: i32 = 128;

@inline function identityF32(op: i32): f32 {
  return op == O.R_SUM ? 0 : op == O.R_PROD ? 1 : op == O.R_MAX ? -Infinity : Infinity;
}

@inline function combineF32(op: i32, a: f32, b: f32): f32 {
  return op == O.R_SUM ? a + b : op == O.R_PROD ? a * b : op == O.R_MAX ? max<f32>(a, b) : min<f32>(a, b);
}

@inline function combineV(op: i32, a: v128, b: v128): v128 {
  return op == O.R_SUM ? f32x4.add(a, b) : op == O.R_PROD ? f32x4.mul(a, b) : op == O.R_MAX ? f32x4.max(a, b) : f32x4.min(a, b);
}

/** Reduces n contiguous f32 at p; pairwise above BLOCK elements, 16 SIMD lanes below. */
function reduceRowF32(op: i32, p: usize, n: i32): f32 {
  if (n > BLOCK) {
    const h = (n >> 1) & ~15;
    return combineF32(op, reduceRowF32(op, p, h), reduceRowF32(op, p + (<usize>h << 2), n - h));
  }
  let acc = identityF32(op);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (n >= 16) {
      const id = f32x4.splat(acc);
      let a0 = id, a1 = id, a2 = id, a3 = id;
      for (; i + 16 <= n; i += 16) {
        const q = p + (<usize>i << 2);
        a0 = combineV(op, a0, v128.load(q));
        a1 = combineV(op, a1, v128.load(q, 16));
        a2 = combineV(op, a2, v128.load(q, 32));
        a3 = combineV(op, a3, v128.load(q, 48));
      }
      const v = combineV(op, combineV(op, a0, a1), combineV(op, a2, a3));
      acc = combineF32(op, combineF32(op, f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)),
        combineF32(op, f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
    }
  }
  for (; i < n; i++) acc = combineF32(op, acc, load<f32>(p + (<usize>i << 2)));
  return acc;
}

/** out[o, j] = reduce_r x[o, r, j] for float32. */
export function reduce_f32(op: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  if (inner == 1) {
    for (let o = 0; o < outer; o++) store<f32>(out + (<usize>o << 2), reduceRowF32(op, x + (<usize>(o * len) << 2), len));
    return;
  }
  const id = identityF32(op);
  for (let o = 0; o < outer; o++) {
    const dst = out + (<usize>(o * inner) << 2);
    for (let j = 0; j < inner; j++) store<f32>(dst + (<usize>j << 2), id);
    for (let r = 0; r < len; r++) {
      const src = x + (<usize>((o * len + r) * inner) << 2);
      let j = 0;
      if (ASC_FEATURE_SIMD) {
        for (; j + 4 <= inner; j += 4) {
          const q = dst + (<usize>j << 2);
          v128.store(q, combineV(op, v128.load(q), v128.load(src + (<usize>j << 2))));
        }
      }
      for (; j < inner; j++) {
        const q = dst + (<usize>j << 2);
        store<f32>(q, combineF32(op, load<f32>(q), load<f32>(src + (<usize>j << 2))));
      }
    }
  }
}

@inline function combineF64(op: i32, a: f64, b: f64): f64 {
  return op == O.R_SUM ? a + b : op == O.R_PROD ? a * b : op == O.R_MAX ? max<f64>(a, b) : min<f64>(a, b);
}

function reduceRowF64(op: i32, p: usize, stride: i32, n: i32): f64 {
  if (n > BLOCK) {
    const h = n >> 1;
    return combineF64(op, reduceRowF64(op, p, stride, h), reduceRowF64(op, p + (<usize>(h * stride) << 3), stride, n - h));
  }
  let acc: f64 = op == O.R_SUM ? 0 : op == O.R_PROD ? 1 : op == O.R_MAX ? -Infinity : Infinity;
  for (let i = 0; i < n; i++) acc = combineF64(op, acc, load<f64>(p + (<usize>(i * stride) << 3)));
  return acc;
}

/** out[o, j] = reduce_r x[o, r, j] for float64 (pairwise along r). */
export function reduce_f64(op: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const p = x + (<usize>(o * len * inner + j) << 3);
      store<f64>(out + (<usize>(o * inner + j) << 3), reduceRowF64(op, p, inner, len));
    }
  }
}

/** out[o, j] = reduce_r x[o, r, j] for int32/uint32 (wrapping sum/prod). */
export function reduce_i32(op: i32, unsigned: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc: i32 = op == O.R_SUM ? 0 : op == O.R_PROD ? 1 : op == O.R_MAX ? (unsigned ? 0 : i32.MIN_VALUE) : (unsigned ? -1 : i32.MAX_VALUE);
      for (let r = 0; r < len; r++) {
        const v = load<i32>(x + (<usize>((o * len + r) * inner + j) << 2));
        if (op == O.R_SUM) acc += v;
        else if (op == O.R_PROD) acc *= v;
        else if (op == O.R_MAX) acc = unsigned ? <i32>max<u32>(<u32>acc, <u32>v) : max<i32>(acc, v);
        else acc = unsigned ? <i32>min<u32>(<u32>acc, <u32>v) : min<i32>(acc, v);
      }
      store<i32>(out + (<usize>(o * inner + j) << 2), acc);
    }
  }
}

/**
 * Index of the max (op R_MAX) or min (R_MIN) along r for float32; the first NaN wins, as in numpy,
 * and ties keep the first index.
 */
export function argreduce_f32(op: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let best: f32 = load<f32>(x + (<usize>(o * len * inner + j) << 2));
      let bi = 0;
      if (!isNaN(best)) {
        for (let r = 1; r < len; r++) {
          const v = load<f32>(x + (<usize>((o * len + r) * inner + j) << 2));
          if (isNaN(v)) { bi = r; break; }
          if (op == O.R_MAX ? v > best : v < best) { best = v; bi = r; }
        }
      }
      store<i32>(out + (<usize>(o * inner + j) << 2), bi);
    }
  }
}

/** Inclusive scan along r: out[o, r, j] = x[o, 0, j] (op) ... (op) x[o, r, j], float32. */
export function scan_f32(op: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc = identityF32(op);
      for (let r = 0; r < len; r++) {
        const off = <usize>(((o * len + r) * inner + j) << 2);
        acc = combineF32(op, acc, load<f32>(x + off));
        store<f32>(out + off, acc);
      }
    }
  }
}
