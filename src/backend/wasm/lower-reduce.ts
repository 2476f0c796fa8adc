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

function reducer(op: number): Lowering {
  return (ctx, [x], [out], { axes }: { axes: number[] }) => {
    const dt = x.aval.dtype;
    if (dt === "bool" || x.aval.size === 0) return false;
    withMiddle(ctx, x, axes, (ptr, outer, len, inner) => {
      if (dt === "float32") ctx.k.reduce_f32(op, ptr, out.buf.handle, outer, len, inner);
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
