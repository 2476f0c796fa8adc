// conv_general_dilated on float32 1-D and 2-D convolutions (a 1-D one is a 2-D one of height 1)
// through assembly/kernels/conv.ts: the input is copied, read through its strides whatever its
// layout, into a zero-padded NHWC buffer (padding, lhs dilation and cropping in one pass), the
// kernel is packed, and output pixels are split over threads (each pixel's sums are the same on
// any split, so results are bit-identical to one thread). 3x3 stride-1 convolutions with enough
// channels and pixels take Winograd F(2x2, 3x3) instead (assembly/kernels/winograd.ts: 16 instead
// of 36 multiplies per 2x2 outputs; tiles split over threads, again bit-identical). Other ranks and
// dtypes return false and run the reference implementation.
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
  winograd_filter_f32(w: number, skh: number, skw: number, si: number, so: number, ci: number, co: number, dst: number): void;
  winograd_f32_workspace(mb: number, ci: number, co: number): number;
  matmul_f32_packs(m: number, k: number, n: number): number;
  matmul_f32_packed_size(k: number, n: number): number;
  matmul_f32_pack_b(b: number, brs: number, bcs: number, sb: number, batch: number, k: number, n: number, dst: number): void;
  winograd_conv_f32(xp: number, hp: number, wp: number, ci: number, u: number, up: number, co: number,
    out: number, oh: number, ow: number, t0: number, t1: number, mb: number, work: number): void;
}

/**
 * The Winograd F(2x2, 3x3) path (assembly/kernels/winograd.ts) for 3x3, stride-1, undilated,
 * ungrouped 2-D convolutions. `runs` counts its uses (tests check the path was taken).
 * Crossover (1 thread, medians of 15-21 interleaved runs, 1x64x64xI input, SAME, ms Winograd vs
 * direct, 2026-11-26): with few input channels the 16 GEMMs have depth I and run far below the
 * register tile's speed, so Winograd only ties: 3->32 0.72 vs 0.71, 4->16 0.52 vs 0.51, 4->64
 * 1.27 vs 1.42; from I = 6-8 it wins: 6->32 0.83 vs 1.07, 8->8 0.45 vs 0.47, 8->16 0.53 vs 0.69,
 * 8->64 1.81 vs 2.56, 16->4 0.52 vs 0.65, 32->3 1.02 vs 1.46, 32->64 4.1-4.4 vs 7.2-8.2. The
 * kernel transform and packing cost ~I*O*40 memory operations whatever the size, so few tiles lose:
 * 1x4x4x64->64 (4 tiles) 0.22 vs 0.09, 1x8x8x16->16 (16 tiles) 0.042 vs 0.043. Hence I >= 8 and
 * at least 32 tiles. O >= 2 is not a speed rule: one output column takes matmul_f32's gemv paths,
 * whose summation order depends on the number of rows (tile blocking and thread split).
 * `tileFloats` bounds one block's transformed inputs and products (16 x mb x (I + O) floats): at
 * 32->64, 16K-128K floats ran 4.1-4.4 ms, 256K 4.5 ms.
 */
export const winograd = { runs: 0, enabled: true, minIn: 8, minTiles: 32, tileFloats: 65536, prepack: true };

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
    const wino = winograd.enabled && nd === 2 && KH === 3 && KW === 3 && G === 1 && I >= winograd.minIn && O >= 2 &&
      N * Math.ceil(OH / 2) * Math.ceil(OW / 2) >= winograd.minTiles &&
      [...strides, ...rd].every((v) => v === 1) && pads.every(([a, b]) => a >= 0 && b >= 0);
    // Winograd tiles are 2x2 outputs reading 4x4 patches: an odd output size needs one more zero row/column.
    const [Hx, Wx] = wino ? [Math.max(Hp, 2 * Math.ceil(OH / 2) + 2), Math.max(Wp, 2 * Math.ceil(OW / 2) + 2)] : [Hp, Wp];
    const xp = alloc(N * Hx * Wx * C * 4);
    k.conv_pad_input_f32(x.buf.handle, xv.n, xv.strides[0], xv.strides[1], xv.c, N, xv.dims[0], xv.dims[1], C,
      xp, Hx, Wx, pads[0][0], pads[1][0], ld[0], ld[1]);
    // The kernel writes (N, OH, OW, O) contiguous: straight into the output when that is its layout.
    const canon = [ov.n, ov.strides[0], ov.strides[1], ov.c];
    const want = [OH * OW * O, OW * O, O, 1];
    const direct = canon.every((s, i) => s === want[i] || [N, OH, OW, O][i] === 1);
    const y = direct ? out.buf.handle : alloc(out.aval.size * 4);
    if (wino) {
      winograd.runs++;
      const u = alloc(16 * I * O * 4);
      k.winograd_filter_f32(w.buf.handle, wv.strides[0], wv.strides[1], wv.c, wv.n, I, O, u);
      const T = N * Math.ceil(OH / 2) * Math.ceil(OW / 2);
      // The same split rule as the direct path below; any split gives the same bits (winograd.ts).
      const t = T * 4 * 9 * I * O >= PARALLEL_FLOPS ? Math.min(ctx.numThreads, Math.ceil(T / 4)) : 1;
      const per = Math.ceil(T / t);
      // Tiles per block: the block's transformed inputs and products (16 x mb x (I + O) floats) stay in L2.
      const mb = Math.max(2, Math.min(per, Math.max(4, Math.floor(winograd.tileFloats / (16 * (I + O)) / 4) * 4)));
      // The 16 transformed kernels packed once for the GEMM's register tile, not once per block.
      let up = 0;
      if (winograd.prepack && k.matmul_f32_packs(mb, I, O)) {
        up = alloc(16 * k.matmul_f32_packed_size(I, O));
        k.matmul_f32_pack_b(u, O, 1, I * O, 16, I, O, up);
      }
      const pieces: number[][] = [];
      for (let t0 = 0; t0 < T; t0 += per) {
        const work = alloc(k.winograd_f32_workspace(mb, I, O));
        pieces.push([xp, Hx, Wx, C, u, up, O, y, OH, OW, t0, Math.min(T, t0 + per), mb, work]);
      }
      if (pieces.length < 2 || !ctx.parallel("winograd_conv_f32" as keyof KernelExports, pieces)) {
        for (const pc of pieces) (k.winograd_conv_f32 as (...a: number[]) => void)(...pc);
      }
      if (!direct) stridedCopy(ctx, "float32", [N, OH, OW, O], y, stridesOf([N, OH, OW, O]), out.buf.handle, canon);
      return true;
    }
    const wpk = alloc(k.conv_packed_w_size(KH, KW, I, G, Og) * 4);
    k.conv_pack_w_f32(w.buf.handle, wv.strides[0], wv.strides[1], wv.c, wv.n, KH, KW, I, G, Og, wpk);
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
