// Winograd F(2x2, 3x3) for stride-1, undilated 3x3 float32 convolutions of one feature group:
// each 2x2 block of output pixels (a tile) takes 16 multiplies per channel pair instead of 36.
// Per tile the 4x4 input patch d of every channel becomes V = B^T d B, the kernel g of every
// (input, output) channel pair becomes U = G g G^T (once), the 16 positions of the 4x4 transform
// domain are 16 independent GEMMs M[k] = V[k] (tiles x ci) . U[k] (ci x co), and A^T M A gives
// the 2x2 outputs. Transforms vectorize over channels (4 per f32x4) with scalar tails; the scalar
// build does the same adds in the same order. matmul_f32 sums each element over depth in one order
// for any number of rows >= 2 and columns >= 2 (sequentially up to its k-block size of 512, then
// block by block), so with co >= 2 (the host's rule) results do not depend on the tile blocking or
// thread split; past 512 input channels the scalar build (sequential sums) differs from the SIMD one.
import { matmul_f32_prepacked, matmul_f32_packed_size, matmul_f32_workspace } from "./matmul";

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

/**
 * U[k, i, o] (16 x ci x co contiguous) = (G g G^T)[k] for g = w[:, :, i, o], w(3, 3, ci, co) read
 * through element strides (skh, skw, si, so).
 */
export function winograd_filter_f32(w: usize, skh: i32, skw: i32, si: i32, so: i32, ci: i32, co: i32, dst: usize): void {
  const plane = <usize>ci * <usize>co;
  const k1 = <usize>skh << 2, k2 = <usize>(2 * skh) << 2;
  for (let i = 0; i < ci; i++) {
    let o = 0;
    if (ASC_FEATURE_SIMD && so == 1) {
      // Four output channels at a time (contiguous in an ...IO layout), the same adds as below.
      for (; o + 4 <= co; o += 4) {
        const s = at(w, i * si + o), c1 = at(s, skw), c2 = at(s, 2 * skw);
        const x0 = v128.load(s), x1 = v128.load(s + k1), x2 = v128.load(s + k2);
        const y0 = v128.load(c1), y1 = v128.load(c1 + k1), y2 = v128.load(c1 + k2);
        const z0 = v128.load(c2), z1 = v128.load(c2 + k1), z2 = v128.load(c2 + k2);
        const d = dst + ((<usize>i * <usize>co + <usize>o) << 2);
        filterRow4(d, plane, 0, x0, y0, z0);
        filterRow4(d, plane, 4, sum4(x0, x1, x2), sum4(y0, y1, y2), sum4(z0, z1, z2));
        filterRow4(d, plane, 8, alt4(x0, x1, x2), alt4(y0, y1, y2), alt4(z0, z1, z2));
        filterRow4(d, plane, 12, x2, y2, z2);
      }
    }
    for (; o < co; o++) {
      // Rows of G g, (g0, (g0+g1+g2)/2, (g0-g1+g2)/2, g2), down each kernel column.
      const s = at(w, i * si + o * so), c1 = at(s, skw), c2 = at(s, 2 * skw);
      const x0 = load<f32>(s), x1 = load<f32>(s + k1), x2 = load<f32>(s + k2);
      const y0 = load<f32>(c1), y1 = load<f32>(c1 + k1), y2 = load<f32>(c1 + k2);
      const z0 = load<f32>(c2), z1 = load<f32>(c2 + k1), z2 = load<f32>(c2 + k2);
      const d = dst + ((<usize>i * <usize>co + <usize>o) << 2);
      filterRow(d, plane, 0, x0, y0, z0);
      filterRow(d, plane, 4, half(x0 + x1 + x2), half(y0 + y1 + y2), half(z0 + z1 + z2));
      filterRow(d, plane, 8, half(x0 - x1 + x2), half(y0 - y1 + y2), half(z0 - z1 + z2));
      filterRow(d, plane, 12, x2, y2, z2);
    }
  }
}

@inline function half(x: f32): f32 { return x * <f32>0.5; }
/** (a + b + c) / 2 and (a - b + c) / 2 per lane, in the scalar order. */
@inline function sum4(a: v128, b: v128, c: v128): v128 { return f32x4.mul(f32x4.add(f32x4.add(a, b), c), f32x4.splat(0.5)); }
@inline function alt4(a: v128, b: v128, c: v128): v128 { return f32x4.mul(f32x4.add(f32x4.sub(a, b), c), f32x4.splat(0.5)); }

/** Row k/4 of G g G^T from row k/4 of G g (g0, g1, g2): positions k..k+3, planes `plane` floats apart. */
@inline function filterRow(d: usize, plane: usize, k: i32, g0: f32, g1: f32, g2: f32): void {
  store<f32>(d + ((<usize>k * plane) << 2), g0);
  store<f32>(d + ((<usize>(k + 1) * plane) << 2), half(g0 + g1 + g2));
  store<f32>(d + ((<usize>(k + 2) * plane) << 2), half(g0 - g1 + g2));
  store<f32>(d + ((<usize>(k + 3) * plane) << 2), g2);
}

@inline function filterRow4(d: usize, plane: usize, k: i32, g0: v128, g1: v128, g2: v128): void {
  v128.store(d + ((<usize>k * plane) << 2), g0);
  v128.store(d + ((<usize>(k + 1) * plane) << 2), sum4(g0, g1, g2));
  v128.store(d + ((<usize>(k + 2) * plane) << 2), alt4(g0, g1, g2));
  v128.store(d + ((<usize>(k + 3) * plane) << 2), g2);
}

/** Bytes of workspace one winograd_conv_f32 call needs for blocks of mb tiles. */
export function winograd_f32_workspace(mb: i32, ci: i32, co: i32): i32 {
  return 16 * mb * (ci + co) * 4 + matmul_f32_workspace(mb, ci, co) + 64;
}

/**
 * out (n, oh, ow, co contiguous) = VALID 3x3 convolution of xp (n, hp, wp, ci contiguous) with the
 * kernel transformed by winograd_filter_f32 (u), for tiles [t0, t1) only (tile (b, i, j) covers
 * output rows 2i, 2i+1 and columns 2j, 2j+1; tiles are numbered b, i, j row-major over
 * ceil(oh/2) x ceil(ow/2) per image). xp must hold every tile's 4x4 patch: hp >= 2*ceil(oh/2) + 2,
 * wp >= 2*ceil(ow/2) + 2. `up` is u packed by matmul_f32_pack_b (batch 16, row stride co), or 0
 * to pack it per block. Tiles are processed mb (>= 2) at a time through `work` (winograd_f32_workspace
 * bytes, 16-byte aligned).
 */
export function winograd_conv_f32(
  xp: usize, hp: i32, wp: i32, ci: i32, u: usize, up: usize, co: i32,
  out: usize, oh: i32, ow: i32, t0: i32, t1: i32, mb: i32, work: usize,
): void {
  const v = (work + 15) & ~15;
  const m = v + (<usize>(16 * mb * ci) << 2);
  const gw = (m + (<usize>(16 * mb * co) << 2) + 15) & ~15;
  const th = (oh + 1) >> 1, tw = (ow + 1) >> 1;
  for (let b0 = t0; b0 < t1; b0 += mb) {
    // A lone tile is transformed twice: matmul_f32 takes another summation order for one row
    // (gemvRow: sequential even past its k-block size), and a thread split must not change bits.
    const nb = min(mb, t1 - b0), mm = max(nb, 2);
    for (let t = 0; t < mm; t++) {
      const tile = b0 + min(t, nb - 1), img = tile / (th * tw), rem = tile - img * th * tw, i = rem / tw, j = rem - i * tw;
      const src = at(xp, ((img * hp + 2 * i) * wp + 2 * j) * ci);
      inputTransform(src, <usize>wp * <usize>ci << 2, ci, v + (<usize>(t * ci) << 2), <usize>(mm * ci) << 2);
    }
    matmul_f32_prepacked(v, ci, 1, mm * ci, u, co, 1, ci * co, up, up ? matmul_f32_packed_size(ci, co) >> 2 : 0, m, 16, mm, ci, co, gw);
    for (let t = 0; t < nb; t++) {
      const tile = b0 + t, img = tile / (th * tw), rem = tile - img * th * tw, i = rem / tw, j = rem - i * tw;
      const rows = min(2, oh - 2 * i), cols = min(2, ow - 2 * j);
      const dst = at(out, ((img * oh + 2 * i) * ow + 2 * j) * co);
      outputTransform(m + (<usize>(t * co) << 2), <usize>(mm * co) << 2, co, dst, <usize>ow * <usize>co << 2, rows, cols);
    }
  }
}

/**
 * V[k] = (B^T d B)[k] of the 4x4 patch at src (row stride rs bytes, channels contiguous) for ci
 * channels, position k stored at dst + k*ks. B^T d takes rows (d0-d2, d1+d2, d2-d1, d1-d3); the
 * same combination then runs along columns.
 */
function inputTransform(src: usize, rs: usize, ci: i32, dst: usize, ks: usize): void {
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 4 <= ci; c += 4) {
      const p = src + (<usize>c << 2), cs = <usize>ci << 2;
      const q = dst + (<usize>c << 2);
      // Patch rows a, b, e, h (columns 0..3 each).
      const a0 = v128.load(p), a1 = v128.load(p + cs), a2 = v128.load(p + 2 * cs), a3 = v128.load(p + 3 * cs);
      const p1 = p + rs, p2 = p + 2 * rs, p3 = p + 3 * rs;
      const b0 = v128.load(p1), b1 = v128.load(p1 + cs), b2 = v128.load(p1 + 2 * cs), b3 = v128.load(p1 + 3 * cs);
      const e0 = v128.load(p2), e1 = v128.load(p2 + cs), e2 = v128.load(p2 + 2 * cs), e3 = v128.load(p2 + 3 * cs);
      const h0 = v128.load(p3), h1 = v128.load(p3 + cs), h2 = v128.load(p3 + 2 * cs), h3 = v128.load(p3 + 3 * cs);
      // Rows of B^T d.
      const r0c0 = f32x4.sub(a0, e0), r0c1 = f32x4.sub(a1, e1), r0c2 = f32x4.sub(a2, e2), r0c3 = f32x4.sub(a3, e3);
      const r1c0 = f32x4.add(b0, e0), r1c1 = f32x4.add(b1, e1), r1c2 = f32x4.add(b2, e2), r1c3 = f32x4.add(b3, e3);
      const r2c0 = f32x4.sub(e0, b0), r2c1 = f32x4.sub(e1, b1), r2c2 = f32x4.sub(e2, b2), r2c3 = f32x4.sub(e3, b3);
      const r3c0 = f32x4.sub(b0, h0), r3c1 = f32x4.sub(b1, h1), r3c2 = f32x4.sub(b2, h2), r3c3 = f32x4.sub(b3, h3);
      storeRow4(q, ks, 0, r0c0, r0c1, r0c2, r0c3);
      storeRow4(q, ks, 4, r1c0, r1c1, r1c2, r1c3);
      storeRow4(q, ks, 8, r2c0, r2c1, r2c2, r2c3);
      storeRow4(q, ks, 12, r3c0, r3c1, r3c2, r3c3);
    }
  }
  for (; c < ci; c++) {
    const p = src + (<usize>c << 2), cs = <usize>ci << 2;
    const q = dst + (<usize>c << 2);
    const p1 = p + rs, p2 = p + 2 * rs, p3 = p + 3 * rs;
    const a0 = load<f32>(p), a1 = load<f32>(p + cs), a2 = load<f32>(p + 2 * cs), a3 = load<f32>(p + 3 * cs);
    const b0 = load<f32>(p1), b1 = load<f32>(p1 + cs), b2 = load<f32>(p1 + 2 * cs), b3 = load<f32>(p1 + 3 * cs);
    const e0 = load<f32>(p2), e1 = load<f32>(p2 + cs), e2 = load<f32>(p2 + 2 * cs), e3 = load<f32>(p2 + 3 * cs);
    const h0 = load<f32>(p3), h1 = load<f32>(p3 + cs), h2 = load<f32>(p3 + 2 * cs), h3 = load<f32>(p3 + 3 * cs);
    storeRow1(q, ks, 0, a0 - e0, a1 - e1, a2 - e2, a3 - e3);
    storeRow1(q, ks, 4, b0 + e0, b1 + e1, b2 + e2, b3 + e3);
    storeRow1(q, ks, 8, e0 - b0, e1 - b1, e2 - b2, e3 - b3);
    storeRow1(q, ks, 12, b0 - h0, b1 - h1, b2 - h2, b3 - h3);
  }
}

/** Row r (k = r..r+3) of B^T d B from row r of B^T d (columns x0..x3). */
@inline function storeRow4(q: usize, ks: usize, k: i32, x0: v128, x1: v128, x2: v128, x3: v128): void {
  v128.store(q + <usize>k * ks, f32x4.sub(x0, x2));
  v128.store(q + <usize>(k + 1) * ks, f32x4.add(x1, x2));
  v128.store(q + <usize>(k + 2) * ks, f32x4.sub(x2, x1));
  v128.store(q + <usize>(k + 3) * ks, f32x4.sub(x1, x3));
}

@inline function storeRow1(q: usize, ks: usize, k: i32, x0: f32, x1: f32, x2: f32, x3: f32): void {
  store<f32>(q + <usize>k * ks, x0 - x2);
  store<f32>(q + <usize>(k + 1) * ks, x1 + x2);
  store<f32>(q + <usize>(k + 2) * ks, x2 - x1);
  store<f32>(q + <usize>(k + 3) * ks, x1 - x3);
}

/**
 * The 2x2 outputs A^T m A of one tile (m[k] at src + k*ks, co channels contiguous), only the
 * rows x cols that lie inside the output (row stride os bytes). A^T m takes rows
 * (m0+m1+m2, m1-m2-m3); the same combination then runs along columns.
 */
function outputTransform(src: usize, ks: usize, co: i32, dst: usize, os: usize, rows: i32, cols: i32): void {
  const cs = <usize>co << 2;
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 4 <= co; c += 4) {
      const p = src + (<usize>c << 2);
      const s0 = col4(p, ks, 0), s1 = col4(p, ks, 1), s2 = col4(p, ks, 2), s3 = col4(p, ks, 3);
      const u0 = col4b(p, ks, 0), u1 = col4b(p, ks, 1), u2 = col4b(p, ks, 2), u3 = col4b(p, ks, 3);
      const q = dst + (<usize>c << 2);
      v128.store(q, f32x4.add(f32x4.add(s0, s1), s2));
      if (cols > 1) v128.store(q + cs, f32x4.sub(f32x4.sub(s1, s2), s3));
      if (rows > 1) {
        v128.store(q + os, f32x4.add(f32x4.add(u0, u1), u2));
        if (cols > 1) v128.store(q + os + cs, f32x4.sub(f32x4.sub(u1, u2), u3));
      }
    }
  }
  for (; c < co; c++) {
    const p = src + (<usize>c << 2);
    const s0 = col1(p, ks, 0), s1 = col1(p, ks, 1), s2 = col1(p, ks, 2), s3 = col1(p, ks, 3);
    const u0 = col1b(p, ks, 0), u1 = col1b(p, ks, 1), u2 = col1b(p, ks, 2), u3 = col1b(p, ks, 3);
    const q = dst + (<usize>c << 2);
    store<f32>(q, (s0 + s1) + s2);
    if (cols > 1) store<f32>(q + cs, (s1 - s2) - s3);
    if (rows > 1) {
      store<f32>(q + os, (u0 + u1) + u2);
      if (cols > 1) store<f32>(q + os + cs, (u1 - u2) - u3);
    }
  }
}

/** Row 0 of A^T m at column x: m[x] + m[4+x] + m[8+x]. */
@inline function col4(p: usize, ks: usize, x: i32): v128 {
  return f32x4.add(f32x4.add(v128.load(p + <usize>x * ks), v128.load(p + <usize>(4 + x) * ks)), v128.load(p + <usize>(8 + x) * ks));
}
/** Row 1 of A^T m at column x: m[4+x] - m[8+x] - m[12+x]. */
@inline function col4b(p: usize, ks: usize, x: i32): v128 {
  return f32x4.sub(f32x4.sub(v128.load(p + <usize>(4 + x) * ks), v128.load(p + <usize>(8 + x) * ks)), v128.load(p + <usize>(12 + x) * ks));
}
@inline function col1(p: usize, ks: usize, x: i32): f32 {
  return (load<f32>(p + <usize>x * ks) + load<f32>(p + <usize>(4 + x) * ks)) + load<f32>(p + <usize>(8 + x) * ks);
}
@inline function col1b(p: usize, ks: usize, x: i32): f32 {
  return (load<f32>(p + <usize>(4 + x) * ks) - load<f32>(p + <usize>(8 + x) * ks)) - load<f32>(p + <usize>(12 + x) * ks);
}
