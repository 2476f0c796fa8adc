import * as O from "../../../assembly/kernels/opcodes.js";
import { ShapedArray } from "../../core/aval.js";
import { itemSize } from "../../core/dtype.js";
import { sizeOf } from "../../core/shape.js";
import { DeviceBuffer, KernelArg } from "../backend.js";
import { Lowering, WasmContext } from "./lowerings.js";
import { transposeInto } from "./strided.js";

/**
 * Views `x` as (outer, len, inner) with `axes` as the middle. When the axes are not adjacent, a
 * transposed copy moves them last first; the caller frees the returned temporary.
 */
function asMiddle(ctx: WasmContext, x: KernelArg, axes: number[]): { ptr: number; outer: number; len: number; inner: number; tmp?: DeviceBuffer } {
  const shape = x.aval.shape;
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const len = sizeOf(axes.map((a) => shape[a]));
  // Axes of size 1 do not affect adjacency.
  const big = axes.filter((a) => shape[a] !== 1);
  const adjacent = big.length === 0 || big[big.length - 1] - big[0] === big.length - 1 &&
    kept.every((k) => shape[k] === 1 || k < big[0] || k > big[big.length - 1]);
  if (adjacent) {
    const first = big.length ? big[0] : shape.length;
    const outer = sizeOf(kept.filter((k) => k < first).map((k) => shape[k]));
    return { ptr: x.buf.handle, outer, len, inner: x.aval.size / Math.max(1, outer * len) || 1 };
  }
  const tmp = ctx.alloc(x.aval.size * itemSize[x.aval.dtype]);
  transposeInto(ctx, x.aval.dtype, shape, [...kept, ...axes], x.buf.handle, tmp.handle);
  return { ptr: tmp.handle, outer: x.aval.size / len, len, inner: 1, tmp };
}

function withMiddle(ctx: WasmContext, x: KernelArg, axes: number[], fn: (ptr: number, outer: number, len: number, inner: number) => void): void {
  const v = asMiddle(ctx, x, axes);
  try {
    fn(v.ptr, v.outer, v.len, v.inner);
  } finally {
    if (v.tmp) ctx.free(v.tmp);
  }
}

/** Elements from which a float32 row reduction splits over threads. */
const PARALLEL_MIN = 1 << 18;
/**
 * A row longer than this is reduced in chunks of this many elements whose partial results are
 * then reduced: the chunks can run on different threads, and because the chunking does not depend
 * on the thread count, neither does any result bit.
 */
const CHUNK = 1 << 20;

/** reduce_f32 over `rows` contiguous rows of `len` (inner 1), the rows split over threads. */
function rowsF32(ctx: WasmContext, op: number, ptr: number, out: number, rows: number, len: number): void {
  const t = ctx.numThreads;
  if (t >= 2 && rows >= 2 && rows * len >= PARALLEL_MIN) {
    const per = Math.ceil(rows / t), pieces: number[][] = [];
    for (let r = 0; r < rows; r += per) pieces.push([op, ptr + 4 * r * len, out + 4 * r, Math.min(per, rows - r), len, 1]);
    if (ctx.parallel("reduce_f32", pieces)) return;
  }
  ctx.k.reduce_f32(op, ptr, out, rows, len, 1);
}

function reduceF32(ctx: WasmContext, op: number, ptr: number, out: number, outer: number, len: number, inner: number): void {
  if (inner !== 1) { ctx.k.reduce_f32(op, ptr, out, outer, len, inner); return; }
  if (outer !== 1 || len <= CHUNK) { rowsF32(ctx, op, ptr, out, outer, len); return; }
  const full = Math.floor(len / CHUNK), tail = len - full * CHUNK, parts = full + (tail ? 1 : 0);
  const partial = ctx.alloc(4 * parts);
  try {
    rowsF32(ctx, op, ptr, partial.handle, full, CHUNK);
    if (tail) ctx.k.reduce_f32(op, ptr + 4 * full * CHUNK, partial.handle + 4 * full, 1, tail, 1);
    ctx.k.reduce_f32(op, partial.handle, out, 1, parts, 1);
  } finally {
    ctx.free(partial);
  }
}

function reducer(op: number): Lowering {
  return (ctx, [x], [out], { axes }: { axes: number[] }) => {
    const dt = x.aval.dtype;
    if (dt === "bool" || x.aval.size === 0) return false;
    withMiddle(ctx, x, axes, (ptr, outer, len, inner) => {
      if (dt === "float32") reduceF32(ctx, op, ptr, out.buf.handle, outer, len, inner);
      else if (dt === "float64") ctx.k.reduce_f64(op, ptr, out.buf.handle, outer, len, inner);
      else ctx.k.reduce_i32(op, dt === "uint32" ? 1 : 0, ptr, out.buf.handle, outer, len, inner);
    });
    return true;
  };
}

function argReducer(op: number): Lowering {
  return (ctx, [x], [out], { axis }: { axis: number }) => {
    if (x.aval.dtype !== "float32" || x.aval.size === 0) return false;
    withMiddle(ctx, x, [axis], (ptr, outer, len, inner) => ctx.k.argreduce_f32(op, ptr, out.buf.handle, outer, len, inner));
    return true;
  };
}

function scanner(op: number): Lowering {
  return (ctx, [x], [out], { axis, reverse }: { axis: number; reverse: boolean }) => {
    if (x.aval.dtype !== "float32" || reverse || x.aval.size === 0) return false;
    const shape = x.aval.shape;
    const outer = sizeOf(shape.slice(0, axis)), inner = sizeOf(shape.slice(axis + 1));
    ctx.k.scan_f32(op, x.buf.handle, out.buf.handle, outer, shape[axis], inner);
    return true;
  };
}

export const reduceLowerings: Record<string, Lowering> = {
  reduce_sum: reducer(O.R_SUM),
  reduce_prod: reducer(O.R_PROD),
  reduce_max: reducer(O.R_MAX),
  reduce_min: reducer(O.R_MIN),
  argmax: argReducer(O.R_MAX),
  argmin: argReducer(O.R_MIN),
  cumsum: scanner(O.R_SUM),
  cumprod: scanner(O.R_PROD),
  cummax: scanner(O.R_MAX),
  cummin: scanner(O.R_MIN),
};

export type { ShapedArray };
