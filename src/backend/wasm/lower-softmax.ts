import { sizeOf } from "../../core/shape.js";
import { DeviceBuffer } from "../backend.js";
import { Lowering } from "./lowerings.js";
import { transposeInto } from "./strided.js";

/** The op codes of assembly/kernels/softmax.ts. */
const OPS: Record<string, number> = { softmax: 0, log_softmax: 1, logsumexp: 2 };

/** Elements below which one thread does the whole array (a thread hand-off costs more). */
const PARALLEL_ELEMENTS = 1 << 15;

/**
 * softmax/log_softmax/logsumexp in one kernel call over an (outer, len, inner) view: the axes in
 * place when they are adjacent (after dropping length-1 axes), else moved last by a transposed
 * copy (and the result moved back). Rows are split across threads; each row is computed the same
 * way on any thread, so results do not depend on the thread count.
 */
const softmax: Lowering = (ctx, [x], [out], { op, axes }: { op: string; axes: number[] }) => {
  if (x.aval.dtype !== "float32") return false;
  const shape = x.aval.shape;
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const big = axes.filter((a) => shape[a] !== 1);
  const adjacent = big.length === 0 || (big[big.length - 1] - big[0] === big.length - 1 &&
    kept.every((k) => shape[k] === 1 || k < big[0] || k > big[big.length - 1]));
  const len = sizeOf(axes.map((a) => shape[a]));
  const code = OPS[op];
  const temps: DeviceBuffer[] = [];
  try {
    let src = x.buf.handle, dst = out.buf.handle, outer: number, inner: number;
    let perm: number[] | null = null;
    if (adjacent) {
      const first = big.length ? big[0] : shape.length;
      outer = sizeOf(kept.filter((k) => k < first).map((k) => shape[k]));
      inner = sizeOf(kept.filter((k) => k > first).map((k) => shape[k]));
    } else {
      perm = [...kept, ...axes];
      const t = ctx.alloc(x.aval.size * 4);
      temps.push(t);
      transposeInto(ctx, "float32", shape, perm, src, t.handle);
      src = t.handle;
      outer = sizeOf(kept.map((k) => shape[k]));
      inner = 1;
      // logsumexp's output is already in kept-axis order; softmax's goes back through a copy.
      if (op !== "logsumexp") {
        const o = ctx.alloc(x.aval.size * 4);
        temps.push(o);
        dst = o.handle;
      }
    }
    if (outer * inner === 0) return true;
    const rowBytes = len * inner * 4, outRow = (op === "logsumexp" ? 1 : len) * inner * 4;
    const t = x.aval.size >= PARALLEL_ELEMENTS ? Math.min(ctx.numThreads, outer) : 1;
    const pieces: number[][] = [];
    const per = Math.ceil(outer / t);
    for (let o = 0; o < outer; o += per) {
      // logsumexp stores a row's exponentials before summing them: scratch for each piece.
      let work = 0;
      if (op === "logsumexp" && inner === 1) {
        const w = ctx.alloc(Math.max(1, len) * 4);
        temps.push(w);
        work = w.handle;
      }
      pieces.push([code, src + o * rowBytes, dst + o * outRow, Math.min(per, outer - o), len, inner, work]);
    }
    if (pieces.length < 2 || !ctx.parallel("softmax_f32", pieces)) {
      for (const p of pieces) ctx.k.softmax_f32(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    }
    if (perm && op !== "logsumexp") {
      const inv: number[] = [];
      perm.forEach((p, i) => { inv[p] = i; });
      transposeInto(ctx, "float32", perm.map((p) => shape[p]), inv, dst, out.buf.handle);
    }
  } finally {
    for (const t of temps) ctx.free(t);
  }
  return true;
};

export const softmaxLowerings: Record<string, Lowering> = { softmax };
