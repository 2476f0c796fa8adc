import { itemSize } from "../../core/dtype.js";
import { sizeOf, stridesOf } from "../../core/shape.js";
import { DeviceBuffer, KernelArg } from "../backend.js";
import { Lowering, WasmContext } from "./lowerings.js";
import { packedB } from "./packed-b.js";
import { transposeInto } from "./strided.js";

export interface DotParams {
  /** [lhs contracting axes, rhs contracting axes] */
  contracting: [number[], number[]];
  /** [lhs batch axes, rhs batch axes] */
  batch: [number[], number[]];
}

/**
 * The single element stride that walks the axes `group` (in that order) as one flattened axis of a
 * contiguous array with `strides`, or null when they do not flatten (then the caller copies).
 * An empty group is one axis of size 1 (stride 0).
 */
export function groupStride(shape: readonly number[], strides: readonly number[], group: readonly number[]): number | null {
  const big = group.filter((d) => shape[d] !== 1);
  if (big.length === 0) return 0;
  for (let i = 0; i + 1 < big.length; i++) {
    if (strides[big[i]] !== strides[big[i + 1]] * shape[big[i + 1]]) return null;
  }
  return strides[big[big.length - 1]];
}

/** Makes `x` contiguous in `perm` order, copying; the copy is pushed to `temps`. */
function arrange(ctx: WasmContext, x: KernelArg, perm: number[], temps: DeviceBuffer[]): number {
  if (perm.every((p, i) => p === i)) return x.buf.handle;
  const t = ctx.alloc(x.aval.size * itemSize[x.aval.dtype]);
  temps.push(t);
  transposeInto(ctx, x.aval.dtype, x.aval.shape, perm, x.buf.handle, t.handle);
  return t.handle;
}

interface Operand { ptr: number; batch: number; rows: number; cols: number }

/**
 * Strides (batch, rows, cols) of `x` viewed as [batch axes][row axes][col axes] without moving data;
 * when an axis group does not flatten to one stride, the operand is first copied in that order.
 */
function strided(ctx: WasmContext, x: KernelArg, b: number[], r: number[], c: number[], temps: DeviceBuffer[]): Operand {
  const shape = x.aval.shape, st = stridesOf(shape);
  const sb = groupStride(shape, st, b), sr = groupStride(shape, st, r), sc = groupStride(shape, st, c);
  if (sb !== null && sr !== null && sc !== null) return { ptr: x.buf.handle, batch: sb, rows: sr, cols: sc };
  const ptr = arrange(ctx, x, [...b, ...r, ...c], temps);
  const nr = sizeOf(r.map((d) => shape[d])), nc = sizeOf(c.map((d) => shape[d]));
  return { ptr, batch: nr * nc, rows: nc, cols: 1 };
}

/** Multiply-adds below which a matmul stays on one thread. */
const PARALLEL_FLOPS = 1 << 21;

/**
 * Two matrices contracted on one axis each (x @ y, x @ y.T, x.T @ y): the operands' strides read
 * off directly. Small products are dominated by dispatch, and this skips the general axis algebra.
 */
function plain2d(a: KernelArg, b: KernelArg, ca: number[], cb: number[], ba: number[]): [Operand, Operand, number, number, number] | null {
  const sa = a.aval.shape, sb = b.aval.shape;
  if (sa.length !== 2 || sb.length !== 2 || ba.length !== 0 || ca.length !== 1 || cb.length !== 1) return null;
  const A: Operand = ca[0] === 1 ? { ptr: a.buf.handle, batch: 0, rows: sa[1], cols: 1 } : { ptr: a.buf.handle, batch: 0, rows: 1, cols: sa[1] };
  const Bv: Operand = cb[0] === 0 ? { ptr: b.buf.handle, batch: 0, rows: sb[1], cols: 1 } : { ptr: b.buf.handle, batch: 0, rows: 1, cols: sb[1] };
  return [A, Bv, sa[1 - ca[0]], sa[ca[0]], sb[1 - cb[0]]];
}

const dotGeneral: Lowering = (ctx, [a, b], [out], { contracting: [ca, cb], batch: [ba, bb] }: DotParams) => {
  const dt = a.aval.dtype;
  if (dt !== "float32" && dt !== "float64") return false;
  if (out.aval.size === 0) return true;
  const temps: DeviceBuffer[] = [];
  const fast = dt === "float32" ? plain2d(a, b, ca, cb, ba) : null;
  let fa: number[] = [], fb: number[] = [], B = 1, M: number, K: number, N: number;
  if (fast) {
    [, , M, K, N] = fast;
  } else {
    fa = a.aval.shape.map((_, i) => i).filter((i) => !ca.includes(i) && !ba.includes(i));
    fb = b.aval.shape.map((_, i) => i).filter((i) => !cb.includes(i) && !bb.includes(i));
    B = sizeOf(ba.map((i) => a.aval.shape[i]));
    M = sizeOf(fa.map((i) => a.aval.shape[i]));
    K = sizeOf(ca.map((i) => a.aval.shape[i]));
    N = sizeOf(fb.map((i) => b.aval.shape[i]));
  }
  try {
    if (dt === "float32") {
      // A as (batch, M, K) and B as (batch, K, N) with any strides: packing absorbs transposes.
      const A = fast ? fast[0] : strided(ctx, a, ba, fa, ca, temps);
      const Bv = fast ? fast[1] : strided(ctx, b, bb, cb, fb, temps);
      // A B seen before comes packed from the cache (packed-b.ts); only the packed path reads it.
      let pre = 0, sbp = 0;
      if (Bv.ptr === b.buf.handle && ctx.k.matmul_f32_packs(M, K, N)) {
        const batches = Bv.batch === 0 ? 1 : B;
        pre = packedB(ctx).get(b.buf, { ptr: Bv.ptr, rows: Bv.rows, cols: Bv.cols, batch: Bv.batch, batches, k: K, n: N });
        if (pre && batches > 1) sbp = ctx.k.matmul_f32_packed_size(K, N) >> 2;
      }
      // Split across threads by batch, or by blocks of rows (multiples of the 4-row tile, so every
      // element is computed exactly as on one thread): each piece packs into its own workspace.
      const t = B * M * N * K >= PARALLEL_FLOPS ? ctx.numThreads : 1;
      if (t < 2) {
        const work = ctx.alloc(ctx.k.matmul_f32_workspace(M, K, N));
        temps.push(work);
        if (pre) ctx.k.matmul_f32_prepacked(A.ptr, A.rows, A.cols, A.batch, Bv.ptr, Bv.rows, Bv.cols, Bv.batch, pre, sbp, out.buf.handle, B, M, K, N, work.handle);
        else ctx.k.matmul_f32(A.ptr, A.rows, A.cols, A.batch, Bv.ptr, Bv.rows, Bv.cols, Bv.batch, out.buf.handle, B, M, K, N, work.handle);
        return true;
      }
      const pieces: number[][] = [];
      const call = (aPtr: number, cPtr: number, bt: number, m: number, bPtr: number, pPtr: number) => {
        const work = ctx.alloc(ctx.k.matmul_f32_workspace(m, K, N));
        temps.push(work);
        pieces.push([aPtr, A.rows, A.cols, A.batch, bPtr, Bv.rows, Bv.cols, Bv.batch, pPtr, sbp, cPtr, bt, m, K, N, work.handle]);
      };
      if (B >= t) {
        const per = Math.ceil(B / t);
        for (let s = 0; s < B; s += per) {
          call(A.ptr + s * A.batch * 4, out.buf.handle + s * M * N * 4, Math.min(per, B - s), M, Bv.ptr + s * Bv.batch * 4, pre && pre + s * sbp * 4);
        }
      } else if (B === 1 && M >= 8 * t) {
        const per = Math.ceil(M / t / 4) * 4;
        for (let r = 0; r < M; r += per) call(A.ptr + r * A.rows * 4, out.buf.handle + r * N * 4, 1, Math.min(per, M - r), Bv.ptr, pre);
      } else {
        call(A.ptr, out.buf.handle, B, M, Bv.ptr, pre);
      }
      if (pieces.length < 2 || !ctx.parallel("matmul_f32_prepacked", pieces)) {
        for (const p of pieces) (ctx.k.matmul_f32_prepacked as (...a: number[]) => void)(...p);
      }
      return true;
    }
    const pa = arrange(ctx, a, [...ba, ...fa, ...ca], temps);
    const pb = arrange(ctx, b, [...bb, ...cb, ...fb], temps);
    for (let i = 0; i < B; i++) ctx.k.matmul_f64(pa + i * M * K * 8, pb + i * K * N * 8, out.buf.handle + i * M * N * 8, M, K, N);
  } finally {
    for (const t of temps) ctx.free(t);
  }
  return true;
};

export const linalgLowerings: Record<string, Lowering> = { dot_general: dotGeneral };
