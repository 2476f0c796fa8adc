import { itemSize } from "../../core/dtype.js";
import { sizeOf } from "../../core/shape.js";
import { DeviceBuffer, KernelArg } from "../backend.js";
import { Lowering, WasmContext } from "./lowerings.js";
import { transposeInto } from "./strided.js";

export interface DotParams {
  /** [lhs contracting axes, rhs contracting axes] */
  contracting: [number[], number[]];
  /** [lhs batch axes, rhs batch axes] */
  batch: [number[], number[]];
}

/** Makes `x` contiguous in `perm` order (batch, then rows, then columns), copying only if needed. */
function arrange(ctx: WasmContext, x: KernelArg, perm: number[], temps: DeviceBuffer[]): number {
  if (perm.every((p, i) => p === i)) return x.buf.handle;
  const t = ctx.alloc(x.aval.size * itemSize[x.aval.dtype]);
  temps.push(t);
  transposeInto(ctx, x.aval.dtype, x.aval.shape, perm, x.buf.handle, t.handle);
  return t.handle;
}

const dotGeneral: Lowering = (ctx, [a, b], [out], { contracting: [ca, cb], batch: [ba, bb] }: DotParams) => {
  const dt = a.aval.dtype;
  if (dt !== "float32" && dt !== "float64") return false;
  const fa = a.aval.shape.map((_, i) => i).filter((i) => !ca.includes(i) && !ba.includes(i));
  const fb = b.aval.shape.map((_, i) => i).filter((i) => !cb.includes(i) && !bb.includes(i));
  const B = sizeOf(ba.map((i) => a.aval.shape[i]));
  const M = sizeOf(fa.map((i) => a.aval.shape[i]));
  const K = sizeOf(ca.map((i) => a.aval.shape[i]));
  const N = sizeOf(fb.map((i) => b.aval.shape[i]));
  if (out.aval.size === 0) return true;
  const temps: DeviceBuffer[] = [];
  try {
    const pa = arrange(ctx, a, [...ba, ...fa, ...ca], temps);
    const pb = arrange(ctx, b, [...bb, ...cb, ...fb], temps);
    const es = itemSize[dt];
    const mm = dt === "float32" ? ctx.k.matmul_f32 : ctx.k.matmul_f64;
    for (let i = 0; i < B; i++) mm(pa + i * M * K * es, pb + i * K * N * es, out.buf.handle + i * M * N * es, M, K, N);
  } finally {
    for (const t of temps) ctx.free(t);
  }
  return true;
};

export const linalgLowerings: Record<string, Lowering> = { dot_general: dotGeneral };
