// conv_general_dilated on float32 1-D and 2-D convolutions (a 1-D one is a 2-D one of height 1)
// through assembly/kernels/conv.ts: the input is copied, read through its strides whatever its
// layout, into a zero-padded NHWC buffer (padding, lhs dilation and cropping in one pass), the
// kernel is packed, and output pixels are split over threads (each pixel's sums are the same on
// any split, so results are bit-identical to one thread). Other ranks and dtypes return false and
// run the reference implementation.
import { stridesOf } from "../../core/shape.js";
import type { ConvParams } from "../../primitives/conv.js";
import { DeviceBuffer } from "../backend.js";
import { Lowering } from "./lowerings.js";
import { KernelExports } from "./module.js";
import { stridedCopy } from "./strided.js";

/** The conv kernels' exports (assembly/kernels/conv.ts). */
interface ConvKernels {
  conv_pad_input_f32(x: number, sn: number, sh: number, sw: number, sc: number, n: number, h: number, w: number, c: number,
    dst: number, hp: number, wp: number, top: number, left: number, dh: number, dw: number): void;
  conv_packed_w_size(kh: number, kw: number, ci: number, g: number, og: number): number;
  conv_pack_w_f32(w: number, skh: number, skw: number, si: number, so: number, kh: number, kw: number, ci: number, g: number, og: number, dst: number): void;
  conv2d_f32_workspace(kh: number, kw: number, ci: number): number;
  conv2d_f32(xp: number, hp: number, wp: number, c: number, wpk: number, kh: number, kw: number, ci: number, g: number, og: number,
    out: number, oh: number, ow: number, sh: number, sw: number, dh: number, dw: number, m0: number, m1: number, work: number): void;
}

/** Multiply-adds below which a convolution stays on one thread. */
const PARALLEL_FLOPS = 1 << 21;

const dilate = (d: number, r: number) => (d === 0 ? 0 : 1 + r * (d - 1));

const conv: Lowering = (ctx, [x, w], [out], p: ConvParams) => {
  const nd = x.aval.ndim - 2;
  if (x.aval.dtype !== "float32" || (nd !== 1 && nd !== 2)) return false;
  if (out.aval.size === 0) return true;
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const k = ctx.k as unknown as ConvKernels;
  // Spatial (height, width) of each operand with element strides; a 1-D conv has height 1.
  const hw = (shape: readonly number[], spec: number[]) => {
    const st = stridesOf(shape);
    const ax = nd === 2 ? spec.slice(2) : [-1, spec[2]];
    return { dims: ax.map((a) => (a < 0 ? 1 : shape[a])), strides: ax.map((a) => (a < 0 ? 0 : st[a])), n: st[spec[0]], c: st[spec[1]] };
  };
  const two = <T,>(v: T[], one: T): T[] => (nd === 2 ? v : [one, v[0]]);
  const xv = hw(x.aval.shape, lhsSpec), wv = hw(w.aval.shape, rhsSpec), ov = hw(out.aval.shape, outSpec);
  const N = x.aval.shape[lhsSpec[0]], C = x.aval.shape[lhsSpec[1]];
  const I = w.aval.shape[rhsSpec[1]], O = w.aval.shape[rhsSpec[0]], G = p.featureGroupCount, Og = O / G;
  const [KH, KW] = wv.dims, [OH, OW] = ov.dims;
  if (KH * KW * I === 0) return false;
  const strides = two(p.windowStrides, 1), ld = two(p.lhsDilation, 1), rd = two(p.rhsDilation, 1);
  const pads = two(p.padding, [0, 0] as [number, number]);
  const [Hp, Wp] = xv.dims.map((d, i) => dilate(d, ld[i]) + pads[i][0] + pads[i][1]);
  const temps: DeviceBuffer[] = [];
  const alloc = (bytes: number) => { const b = ctx.alloc(bytes); temps.push(b); return b.handle; };
  try {
    const xp = alloc(N * Hp * Wp * C * 4);
    k.conv_pad_input_f32(x.buf.handle, xv.n, xv.strides[0], xv.strides[1], xv.c, N, xv.dims[0], xv.dims[1], C,
      xp, Hp, Wp, pads[0][0], pads[1][0], ld[0], ld[1]);
    const wpk = alloc(k.conv_packed_w_size(KH, KW, I, G, Og) * 4);
    k.conv_pack_w_f32(w.buf.handle, wv.strides[0], wv.strides[1], wv.c, wv.n, KH, KW, I, G, Og, wpk);
    // The kernel writes (N, OH, OW, O) contiguous: straight into the output when that is its layout.
    const canon = [ov.n, ov.strides[0], ov.strides[1], ov.c];
    const want = [OH * OW * O, OW * O, O, 1];
    const direct = canon.every((s, i) => s === want[i] || [N, OH, OW, O][i] === 1);
    const y = direct ? out.buf.handle : alloc(out.aval.size * 4);
    const M = N * OH * OW;
    const t = M * KH * KW * I * O >= PARALLEL_FLOPS ? Math.min(ctx.numThreads, Math.ceil(M / 16)) : 1;
    const per = Math.ceil(M / t / 4) * 4;
    const pieces: number[][] = [];
    for (let m0 = 0; m0 < M; m0 += per) {
      const work = alloc(k.conv2d_f32_workspace(KH, KW, I));
      pieces.push([xp, Hp, Wp, C, wpk, KH, KW, I, G, Og, y, OH, OW, strides[0], strides[1], rd[0], rd[1], m0, Math.min(M, m0 + per), work]);
    }
    if (pieces.length < 2 || !ctx.parallel("conv2d_f32" as keyof KernelExports, pieces)) {
      for (const pc of pieces) (k.conv2d_f32 as (...a: number[]) => void)(...pc);
    }
    if (!direct) stridedCopy(ctx, "float32", [N, OH, OW, O], y, stridesOf([N, OH, OW, O]), out.buf.handle, canon);
  } finally {
    for (const b of temps) ctx.free(b);
  }
  return true;
};

export const convLowerings: Record<string, Lowering> = { conv_general_dilated: conv };
