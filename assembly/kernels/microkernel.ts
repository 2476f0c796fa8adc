// The 4x8 register tile shared by matmul and the implicit-GEMM convolution: both pack A into
// 4-row panels and B into 8-column panels, and sum each product in the same order. Not re-exported
// from assembly/index.ts, so it is no Wasm export.
export const MR = 4;
export const NR = 8;

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

/**
 * c + a * b. The relaxed-SIMD build (--enable relaxed-simd) fuses it where the engine has FMA: one
 * rounding instead of two, and 1.4-1.8x the tile's throughput on an x86 with FMA3. Every other
 * build rounds the product first, so their results stay bit-identical to the scalar order.
 */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * The register tile: acc[4][8] = Apanel (kc x 4, packed by k) . Bpanel (kc x 8), then stored to C
 * (or added to it when `first` is false). Partial tiles go through the `edge` scratch.
 */
@inline export function kernel4x8(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, first: bool, mr: i32, nr: i32, edge: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(ap);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(ap, 4);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(ap, 8);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(ap, 12);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    ap += 16;
    bp += 32;
  }
  if (mr == MR && nr == NR) {
    const c0 = c, c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc;
    if (!first) {
      c00 = f32x4.add(c00, v128.load(c0)); c01 = f32x4.add(c01, v128.load(c0, 16));
      c10 = f32x4.add(c10, v128.load(c1)); c11 = f32x4.add(c11, v128.load(c1, 16));
      c20 = f32x4.add(c20, v128.load(c2)); c21 = f32x4.add(c21, v128.load(c2, 16));
      c30 = f32x4.add(c30, v128.load(c3)); c31 = f32x4.add(c31, v128.load(c3, 16));
    }
    v128.store(c0, c00); v128.store(c0, c01, 16);
    v128.store(c1, c10); v128.store(c1, c11, 16);
    v128.store(c2, c20); v128.store(c2, c21, 16);
    v128.store(c3, c30); v128.store(c3, c31, 16);
    return;
  }
  v128.store(edge, c00); v128.store(edge, c01, 16);
  v128.store(edge, c10, 32); v128.store(edge, c11, 48);
  v128.store(edge, c20, 64); v128.store(edge, c21, 80);
  v128.store(edge, c30, 96); v128.store(edge, c31, 112);
  for (let r = 0; r < mr; r++) {
    const crow = c + <usize>r * ldc;
    const erow = edge + (<usize>(r * NR) << 2);
    for (let j = 0; j < nr; j++) {
      const v = load<f32>(at(erow, j));
      store<f32>(at(crow, j), first ? v : load<f32>(at(crow, j)) + v);
    }
  }
}
