// Data movement: broadcast_in_dim, transpose, slice, rev and concatenate are strided copies through
// the map kernel; pad has its own kernel (each output element asks whether it is padding).
import { stridesOf } from "../core/shape.js";
import { collapse, MAP_WG, mapKernel, mapMeta } from "./kernels/map.js";
import type { GpuArg, GpuCtx, Lowering } from "./lowerings.js";
import { kernel, wgslType } from "./wgsl/builder.js";

/**
 * o[idx over `shape`] (contiguous, or at outOff + idx . outStrides) = x[inOff + idx . inStrides].
 * Strides may be negative (rev) or zero (broadcast).
 */
export function stridedCopy(ctx: GpuCtx, x: GpuArg, o: GpuArg, shape: readonly number[], inOff: number, inStrides: number[],
                            out?: { off: number; strides: number[] }): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) return;
  const t = wgslType(x.aval.dtype);
  const c = collapse(shape, out ? [inStrides, out.strides] : [inStrides]);
  const contiguousIn = !out && inOff === 0 && c.shape.length <= 1 && (c.shape.length === 0 || c.strides[0][0] === 1);
  const k = mapKernel({
    tag: "copy", inputs: [{ type: t, access: contiguousIn ? "full" : "strided" }], outputs: [t], outStrided: !!out,
    body: ([a]) => `  y0 = ${a};`,
  });
  const meta = contiguousIn ? [n] : mapMeta(n, c.shape, out ? [[inOff, c.strides[0]], [out.off, c.strides[1]]] : [[inOff, c.strides[0]]]);
  ctx.dispatch(k, [x.buf, o.buf], meta, ctx.grid(n, MAP_WG));
}

const broadcastInDim: Lowering = (ctx, [x], [o], { shape, broadcastDimensions: bd }: { shape: number[]; broadcastDimensions: number[] }) => {
  const st = stridesOf(x.aval.shape);
  const src = shape.map(() => 0);
  bd.forEach((d, i) => { if (x.aval.shape[i] !== 1) src[d] = st[i]; });
  stridedCopy(ctx, x, o, shape, 0, src);
  return true;
};

const transpose: Lowering = (ctx, [x], [o], { permutation: p }: { permutation: number[] }) => {
  const st = stridesOf(x.aval.shape);
  stridedCopy(ctx, x, o, o.aval.shape, 0, p.map((d) => st[d]));
  return true;
};

const slice: Lowering = (ctx, [x], [o], { startIndices: s, strides }: { startIndices: number[]; strides: number[] | null }) => {
  const st = stridesOf(x.aval.shape);
  const off = s.reduce((acc, v, d) => acc + v * st[d], 0);
  stridedCopy(ctx, x, o, o.aval.shape, off, st.map((v, d) => v * (strides ? strides[d] : 1)));
  return true;
};

const rev: Lowering = (ctx, [x], [o], { dimensions }: { dimensions: number[] }) => {
  const shape = x.aval.shape, st = stridesOf(shape);
  let off = 0;
  const strides = st.map((v, d) => {
    if (!dimensions.includes(d)) return v;
    off += (shape[d] - 1) * v;
    return -v;
  });
  stridedCopy(ctx, x, o, shape, off, strides);
  return true;
};

const concatenate: Lowering = (ctx, ins, [o], { dimension: d }: { dimension: number }) => {
  const ost = stridesOf(o.aval.shape);
  let at = 0;
  for (const x of ins) {
    stridedCopy(ctx, x, o, x.aval.shape, 0, stridesOf(x.aval.shape), { off: at * ost[d], strides: ost });
    at += x.aval.shape[d];
  }
  return true;
};

// pad: meta = n, rank, out shape, then per dim (low, interior + 1, in shape, in stride).
const pad: Lowering = (ctx, [x, v], [o], { paddingConfig: cfg }: { paddingConfig: [number, number, number][] }) => {
  const n = o.aval.size;
  if (n === 0) return true;
  const t = wgslType(x.aval.dtype);
  const r = o.aval.ndim;
  const k = kernel(`pad|${t}`, () => ({
    bindings: [{ name: "x", type: t }, { name: "v", type: t }, { name: "o", type: t, write: true }],
    workgroup: MAP_WG,
    body: `  let n = m(0u);
  if (i >= n) { return; }
  let r = m(1u);
  var rem = i;
  var src = 0u;
  var inside = true;
  for (var d = r; d > 0u; d = d - 1u) {
    let sz = m(1u + d);
    let c = i32(rem % sz);
    rem = rem / sz;
    let b = 2u + r + (d - 1u) * 4u;
    let p = c - mi(b);
    let step = mi(b + 1u);
    let q = p / step;
    if (p < 0 || p % step != 0 || q >= mi(b + 2u)) { inside = false; }
    else { src = src + u32(q) * m(b + 3u); }
  }
  if (inside && m(2u + r + r * 4u) != 0u) { o[i] = x[src]; } else { o[i] = v[0]; }`,
  }));
  const ist = stridesOf(x.aval.shape);
  const meta = [n, r, ...o.aval.shape];
  cfg.forEach(([lo, , int], d) => meta.push(lo, int + 1, x.aval.shape[d], ist[d]));
  meta.push(x.aval.size);
  ctx.dispatch(k, [x.buf, v.buf, o.buf], meta, ctx.grid(n, MAP_WG));
  return true;
};

export const structuralLowerings: Record<string, Lowering> = {
  broadcast_in_dim: broadcastInDim, transpose, slice, rev, concatenate, pad,
};
