import { itemSize } from "../../core/dtype.js";
import { stridesOf } from "../../core/shape.js";
import { Lowering } from "./lowerings.js";
import { stridedCopy } from "./strided.js";

const transpose: Lowering = (ctx, [x], [out], { permutation }: { permutation: number[] }) => {
  const st = stridesOf(x.aval.shape);
  stridedCopy(ctx, x.aval.dtype, out.aval.shape, x.buf.handle, permutation.map((p) => st[p]), out.buf.handle, stridesOf(out.aval.shape));
  return true;
};

const broadcastInDim: Lowering = (ctx, [x], [out], { broadcastDimensions }: { broadcastDimensions: number[] }) => {
  const st = stridesOf(x.aval.shape);
  const src = out.aval.shape.map(() => 0);
  broadcastDimensions.forEach((d, i) => { if (x.aval.shape[i] !== 1) src[d] = st[i]; });
  stridedCopy(ctx, x.aval.dtype, out.aval.shape, x.buf.handle, src, out.buf.handle, stridesOf(out.aval.shape));
  return true;
};

const rev: Lowering = (ctx, [x], [out], { dimensions }: { dimensions: number[] }) => {
  const shape = x.aval.shape;
  const st = stridesOf(shape);
  let off = 0;
  const src = st.map((s, i) => {
    if (!dimensions.includes(i)) return s;
    off += (shape[i] - 1) * s;
    return -s;
  });
  if (x.aval.size === 0) return true;
  stridedCopy(ctx, x.aval.dtype, shape, x.buf.handle + off * itemSize[x.aval.dtype], src, out.buf.handle, stridesOf(shape));
  return true;
};

const slice: Lowering = (ctx, [x], [out], p: { startIndices: number[]; strides: number[] | null }) => {
  const st = stridesOf(x.aval.shape);
  const off = p.startIndices.reduce((acc, s, i) => acc + s * st[i], 0);
  const src = st.map((s, i) => s * (p.strides ? p.strides[i] : 1));
  if (out.aval.size === 0) return true;
  stridedCopy(ctx, x.aval.dtype, out.aval.shape, x.buf.handle + off * itemSize[x.aval.dtype], src, out.buf.handle, stridesOf(out.aval.shape));
  return true;
};

const pad: Lowering = (ctx, [x, v], [out], { paddingConfig }: { paddingConfig: [number, number, number][] }) => {
  const interior = paddingConfig.some(([, , i]) => i > 0);
  if (interior && paddingConfig.some(([lo, hi]) => lo < 0 || hi < 0)) return false;
  const es = itemSize[out.aval.dtype];
  const ost = stridesOf(out.aval.shape), ist = stridesOf(x.aval.shape);
  // Fill with the padding value by broadcasting the scalar, then copy the operand over it; a
  // negative low/high pad crops the operand instead.
  stridedCopy(ctx, out.aval.dtype, out.aval.shape, v.buf.handle, ost.map(() => 0), out.buf.handle, ost);
  const shape = x.aval.shape.map((n, i) => n - Math.max(0, -paddingConfig[i][0]) - Math.max(0, -paddingConfig[i][1]));
  if (shape.some((n) => n <= 0)) return true;
  const srcOff = paddingConfig.reduce((acc, [lo], i) => acc + Math.max(0, -lo) * ist[i], 0);
  const dstOff = paddingConfig.reduce((acc, [lo], i) => acc + Math.max(0, lo) * ost[i], 0);
  const dst = ost.map((s, i) => s * (paddingConfig[i][2] + 1));
  stridedCopy(ctx, x.aval.dtype, shape, x.buf.handle + srcOff * es, ist, out.buf.handle + dstOff * es, dst);
  return true;
};

const concatenate: Lowering = (ctx, ins, [out], { dimension }: { dimension: number }) => {
  const ost = stridesOf(out.aval.shape);
  const es = itemSize[out.aval.dtype];
  let at = 0;
  for (const x of ins) {
    stridedCopy(ctx, x.aval.dtype, x.aval.shape, x.buf.handle, stridesOf(x.aval.shape), out.buf.handle + at * ost[dimension] * es, ost);
    at += x.aval.shape[dimension];
  }
  return true;
};

export const structuralLowerings: Record<string, Lowering> = {
  transpose,
  broadcast_in_dim: broadcastInDim,
  rev,
  slice,
  pad,
  concatenate,
};
