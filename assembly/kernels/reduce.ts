// Reductions and scans over the middle axis of an (outer, len, inner) view of a contiguous buffer.
// float32 sums are pairwise along every axis (contiguous rows by recursive halving, strided columns
// by a cascade of row blocks), so rounding error grows with log(len), not len. max/min run on the
// one-instruction pmax/pmin with NaN and signed-zero cases detected and redone exactly.
import * as O from "./opcodes";
import { scratch } from "./scratch";

const BLOCK: i32 = 512;
/** Rows per block of a column reduction; blocks are then combined pairwise. */
const ROWBLOCK: i32 = 64;
/** Columns per chunk of a column reduction and levels of its pairwise stack. */
const COLCHUNK: i32 = 256;
const LEVELS: i32 = 26;


@inline function identityF32(op: i32): f32 {
  return op == O.R_SUM ? 0 : op == O.R_PROD ? 1 : op == O.R_MAX ? -Infinity : Infinity;
}

@inline function combineF32(op: i32, a: f32, b: f32): f32 {
  return op == O.R_SUM ? a + b : op == O.R_PROD ? a * b : op == O.R_MAX ? max<f32>(a, b) : min<f32>(a, b);
}

@inline function combineV(op: i32, a: v128, b: v128): v128 {
  return op == O.R_SUM ? f32x4.add(a, b) : op == O.R_PROD ? f32x4.mul(a, b) : op == O.R_MAX ? f32x4.max(a, b) : f32x4.min(a, b);
}

@inline function horizontal(op: i32, v: v128): f32 {
  return combineF32(op, combineF32(op, f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)),
    combineF32(op, f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/**
 * Reduces n (a multiple of 16) contiguous f32 at p to four lanes: pairwise halving above BLOCK
 * elements, four accumulators below (each lane sums at most BLOCK/16 values in a row).
 */
function reduceBlocksV(op: i32, p: usize, n: i32): v128 {
  if (n > BLOCK) {
    const h = (n >> 1) & ~15;
    return combineV(op, reduceBlocksV(op, p, h), reduceBlocksV(op, p + (<usize>h << 2), n - h));
  }
  const id = f32x4.splat(identityF32(op));
  let a0 = id, a1 = id, a2 = id, a3 = id;
  for (let i = 0; i < n; i += 16) {
    const q = p + (<usize>i << 2);
    a0 = combineV(op, a0, v128.load(q));
    a1 = combineV(op, a1, v128.load(q, 16));
    a2 = combineV(op, a2, v128.load(q, 32));
    a3 = combineV(op, a3, v128.load(q, 48));
  }
  return combineV(op, combineV(op, a0, a1), combineV(op, a2, a3));
}

/**
 * max/min of n (a multiple of 16) contiguous f32 with the one-instruction pmax/pmin, NaNs tracked
 * on the side. Returns NaN when there is one; a zero result is recomputed by the caller, since
 * pmax/pmin do not order -0 and +0 as max/min do.
 */
function extremumBlocksF32(op: i32, p: usize, n: i32): f32 {
  const id = f32x4.splat(identityF32(op));
  let a0 = id, a1 = id, a2 = id, a3 = id;
  let nan = f32x4.splat(0);
  for (let i = 0; i < n; i += 16) {
    const q = p + (<usize>i << 2);
    const v0 = v128.load(q), v1 = v128.load(q, 16), v2 = v128.load(q, 32), v3 = v128.load(q, 48);
    if (op == O.R_MAX) {
      a0 = f32x4.pmax(a0, v0); a1 = f32x4.pmax(a1, v1); a2 = f32x4.pmax(a2, v2); a3 = f32x4.pmax(a3, v3);
    } else {
      a0 = f32x4.pmin(a0, v0); a1 = f32x4.pmin(a1, v1); a2 = f32x4.pmin(a2, v2); a3 = f32x4.pmin(a3, v3);
    }
    nan = v128.or(nan, v128.or(v128.or(f32x4.ne(v0, v0), f32x4.ne(v1, v1)), v128.or(f32x4.ne(v2, v2), f32x4.ne(v3, v3))));
  }
  if (v128.any_true(nan)) return NaN;
  return horizontal(op, combineV(op, combineV(op, a0, a1), combineV(op, a2, a3)));
}

/** Reduces n contiguous f32 at p (pairwise for sums: error grows with log n). */
function reduceRowF32(op: i32, p: usize, n: i32): f32 {
  let acc = identityF32(op);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (n >= 16) {
      i = n & ~15;
      if (op == O.R_MAX || op == O.R_MIN) {
        acc = extremumBlocksF32(op, p, i);
        if (acc == 0) acc = horizontal(op, reduceBlocksV(op, p, i));
      } else {
        acc = horizontal(op, reduceBlocksV(op, p, i));
      }
    }
  }
  for (; i < n; i++) acc = combineF32(op, acc, load<f32>(p + (<usize>i << 2)));
  return acc;
}

/** dst[j] = (op) over r < rows of src[r * rowBytes + j], for j < w; a running reduction. */
@inline function reduceRowsInto(op: i32, src: usize, rowBytes: usize, rows: i32, dst: usize, w: i32): void {
  memory.copy(dst, src, <usize>w << 2);
  for (let r = 1; r < rows; r++) {
    const s = src + <usize>r * rowBytes;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 8 <= w; j += 8) {
        const q = dst + (<usize>j << 2), t = s + (<usize>j << 2);
        v128.store(q, combineV(op, v128.load(q), v128.load(t)));
        v128.store(q, combineV(op, v128.load(q, 16), v128.load(t, 16)), 16);
      }
      for (; j + 4 <= w; j += 4) {
        const q = dst + (<usize>j << 2);
        v128.store(q, combineV(op, v128.load(q), v128.load(s + (<usize>j << 2))));
      }
    }
    for (; j < w; j++) {
      const q = dst + (<usize>j << 2);
      store<f32>(q, combineF32(op, load<f32>(q), load<f32>(s + (<usize>j << 2))));
    }
  }
}

/**
 * The fast path of a column max/min: one-instruction pmax/pmin, with a single flag for NaNs seen
 * anywhere. Returns false (the caller then redoes the exact reduction) when there was a NaN or a
 * result is zero, since pmax/pmin neither propagate NaN nor order -0 and +0 as max/min must.
 */
function extremumRowsInto(op: i32, src: usize, rowBytes: usize, rows: i32, dst: usize, w: i32): bool {
  const w4 = w & ~3;
  memory.copy(dst, src, <usize>w4 << 2);
  let nan = f32x4.splat(0);
  for (let j = 0; j < w4; j += 4) {
    const v = v128.load(src + (<usize>j << 2));
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  for (let r = 1; r < rows; r++) {
    const s = src + <usize>r * rowBytes;
    let j = 0;
    for (; j + 8 <= w4; j += 8) {
      const q = dst + (<usize>j << 2), t = s + (<usize>j << 2);
      const v0 = v128.load(t), v1 = v128.load(t, 16);
      nan = v128.or(nan, v128.or(f32x4.ne(v0, v0), f32x4.ne(v1, v1)));
      if (op == O.R_MAX) {
        v128.store(q, f32x4.pmax(v128.load(q), v0));
        v128.store(q, f32x4.pmax(v128.load(q, 16), v1), 16);
      } else {
        v128.store(q, f32x4.pmin(v128.load(q), v0));
        v128.store(q, f32x4.pmin(v128.load(q, 16), v1), 16);
      }
    }
    for (; j < w4; j += 4) {
      const q = dst + (<usize>j << 2);
      const v = v128.load(s + (<usize>j << 2));
      nan = v128.or(nan, f32x4.ne(v, v));
      v128.store(q, op == O.R_MAX ? f32x4.pmax(v128.load(q), v) : f32x4.pmin(v128.load(q), v));
    }
  }
  if (v128.any_true(nan)) return false;
  let zero = f32x4.splat(0);
  for (let j = 0; j < w4; j += 4) zero = v128.or(zero, f32x4.eq(v128.load(dst + (<usize>j << 2)), f32x4.splat(0)));
  if (v128.any_true(zero)) return false;
  // Columns past the last multiple of 4 go the exact way.
  if (w4 < w) reduceRowsInto(op, src + (<usize>w4 << 2), rowBytes, rows, dst + (<usize>w4 << 2), w - w4);
  return true;
}

/** dst[j] = a[j] (op) b[j] for j < w. */
@inline function combineInto(op: i32, a: usize, b: usize, dst: usize, w: i32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 4 <= w; j += 4) {
      const o = <usize>j << 2;
      v128.store(dst + o, combineV(op, v128.load(a + o), v128.load(b + o)));
    }
  }
  for (; j < w; j++) {
    const o = <usize>j << 2;
    store<f32>(dst + o, combineF32(op, load<f32>(a + o), load<f32>(b + o)));
  }
}

/**
 * out[j] = reduce over r < len of x[r * inner + j] for j < inner (a strided, non-last axis).
 * Rows stream through memory in order; max/min keep one running row (pmax/pmin first, the exact
 * combine when that meets a NaN or a zero). Sums and products reduce
 * blocks of ROWBLOCK rows, then merge the block results pairwise through a binary-counter stack
 * (numpy's cascade), so rounding error grows with log(len), like the contiguous case.
 */
function reduceColumnsF32(op: i32, x: usize, out: usize, len: i32, inner: i32): void {
  const rowBytes = <usize>inner << 2;
  if (op == O.R_MAX || op == O.R_MIN) {
    if (!ASC_FEATURE_SIMD || !extremumRowsInto(op, x, rowBytes, len, out, inner)) reduceRowsInto(op, x, rowBytes, len, out, inner);
    return;
  }
  if (len <= ROWBLOCK) {
    reduceRowsInto(op, x, rowBytes, len, out, inner);
    return;
  }
  // The pairwise stack: LEVELS rows of COLCHUNK partial sums, then the current block's.
  const stack = scratch(); // (LEVELS + 1) * COLCHUNK floats: SCRATCH_BYTES
  const block = stack + <usize>(LEVELS * COLCHUNK * 4);
  for (let j0 = 0; j0 < inner; j0 += COLCHUNK) {
    const w = min(COLCHUNK, inner - j0);
    const src = x + (<usize>j0 << 2);
    let count: u32 = 0;
    for (let r0 = 0; r0 < len; r0 += ROWBLOCK) {
      reduceRowsInto(op, src + <usize>r0 * rowBytes, rowBytes, min(ROWBLOCK, len - r0), block, w);
      let level = 0;
      while ((count >> level) & 1) {
        const s = stack + <usize>(level * COLCHUNK * 4);
        combineInto(op, s, block, block, w);
        level++;
      }
      memory.copy(stack + <usize>(level * COLCHUNK * 4), block, <usize>w << 2);
      count++;
    }
    // Fold what the stack holds, smallest blocks first.
    let have = false;
    const dst = out + (<usize>j0 << 2);
    for (let level = 0; level < LEVELS; level++) {
      if (!((count >> level) & 1)) continue;
      const s = stack + <usize>(level * COLCHUNK * 4);
      if (have) combineInto(op, dst, s, dst, w);
      else memory.copy(dst, s, <usize>w << 2);
      have = true;
    }
  }
}

/** out[o, j] = reduce_r x[o, r, j] for float32. */
export function reduce_f32(op: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  if (inner == 1) {
    for (let o = 0; o < outer; o++) store<f32>(out + (<usize>o << 2), reduceRowF32(op, x + (<usize>(o * len) << 2), len));
    return;
  }
  if (len == 0) {
    const id = identityF32(op);
    for (let j = 0; j < outer * inner; j++) store<f32>(out + (<usize>j << 2), id);
    return;
  }
  for (let o = 0; o < outer; o++) {
    reduceColumnsF32(op, x + (<usize>o * <usize>len * <usize>inner << 2), out + (<usize>(o * inner) << 2), len, inner);
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
