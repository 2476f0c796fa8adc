// 2-D convolution as an implicit GEMM: rows are output pixels, columns output channels, depth the
// kernel taps x input channels of one feature group. The input is first copied into a zero-padded
// NHWC buffer (which also absorbs lhs dilation, negative padding and any input layout), so every
// window lies inside it. The kernel is packed once into 8-channel panels; the patches of a block of
// output pixels are packed (4 pixels interleaved per depth step) into a small per-call buffer that
// stays in L1 with one kernel panel, and a 4x8 register tile (eight f32x4 accumulators) multiplies
// them. Every output element sums depth in the same order whatever the block or thread split, and
// the scalar build computes the same products and sums in the same order.

import { kernel4x8, MR, NR } from "./microkernel";

/** Output pixels per packed block (their patches and one kernel panel share L1). */
const MB = 16;

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

/**
 * Copies x (N, H, W, C) with element strides (sn, sh, sw, sc) into dst (N, Hp, Wp, C) contiguous,
 * element (h, w) landing at (top + h*dh, left + w*dw); the rest is zero. Elements that land outside
 * (negative padding) are dropped. dst must not overlap x.
 */
export function conv_pad_input_f32(
  x: usize, sn: i32, sh: i32, sw: i32, sc: i32, n: i32, h: i32, w: i32, c: i32,
  dst: usize, hp: i32, wp: i32, top: i32, left: i32, dh: i32, dw: i32,
): void {
  memory.fill(dst, 0, <usize>n * <usize>hp * <usize>wp * <usize>c << 2);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      const y = top + i * dh;
      if (y < 0 || y >= hp) continue;
      for (let j = 0; j < w; j++) {
        const z = left + j * dw;
        if (z < 0 || z >= wp) continue;
        const s = at(x, b * sn + i * sh + j * sw);
        const d = at(dst, ((b * hp + y) * wp + z) * c);
        if (sc == 1) memory.copy(d, s, <usize>c << 2);
        else for (let k = 0; k < c; k++) store<f32>(at(d, k), load<f32>(at(s, k * sc)));
      }
    }
  }
}

/** Floats of the packed kernel: per group, ceil(og / 8) panels of kh*kw*ci depth steps x 8. */
export function conv_packed_w_size(kh: i32, kw: i32, ci: i32, g: i32, og: i32): i32 {
  return g * ((og + NR - 1) / NR) * kh * kw * ci * NR;
}

/**
 * Packs a kernel w(kh, kw, ci, o) with element strides (skh, skw, si, so), o = group*og + j, into
 * panels: group g, panel q, depth step p = (a*kw + b)*ci + i holds w[a, b, i, g*og + q*8 + t] at
 * t = 0..7 (zero past og).
 */
export function conv_pack_w_f32(w: usize, skh: i32, skw: i32, si: i32, so: i32, kh: i32, kw: i32, ci: i32, g: i32, og: i32, dst: usize): void {
  const k = kh * kw * ci, panels = (og + NR - 1) / NR;
  for (let gi = 0; gi < g; gi++) {
    for (let q = 0; q < panels; q++) {
      let d = dst + (<usize>((gi * panels + q) * k * NR) << 2);
      const nr = min(NR, og - q * NR);
      for (let a = 0; a < kh; a++) {
        for (let b = 0; b < kw; b++) {
          for (let i = 0; i < ci; i++) {
            const s = at(w, a * skh + b * skw + i * si + (gi * og + q * NR) * so);
            if (ASC_FEATURE_SIMD && nr == NR && so == 1) {
              v128.store(d, v128.load(s));
              v128.store(d, v128.load(s, 16), 16);
            } else {
              for (let t = 0; t < NR; t++) store<f32>(at(d, t), t < nr ? load<f32>(at(s, t * so)) : 0);
            }
            d += NR << 2;
          }
        }
      }
    }
  }
}

/** Bytes of patch workspace one conv2d_f32 call needs for depth kh*kw*ci. */
export function conv2d_f32_workspace(kh: i32, kw: i32, ci: i32): i32 {
  return MB * kh * kw * ci * 4 + MR * NR * 4 + 64;
}

/**
 * VALID convolution of the padded input xp (N, hp, wp, c) with the packed kernel wpk
 * (conv_pack_w_f32) into out (N, oh, ow, g*og) contiguous, strides (sh, sw), kernel dilation
 * (dh, dw), for the flattened output pixels [m0, m1) only (so threads can split them). Every window
 * must lie inside xp. `work` is 16-byte aligned, conv2d_f32_workspace bytes.
 */
export function conv2d_f32(
  xp: usize, hp: i32, wp: i32, c: i32, wpk: usize, kh: i32, kw: i32, ci: i32, g: i32, og: i32,
  out: usize, oh: i32, ow: i32, sh: i32, sw: i32, dh: i32, dw: i32, m0: i32, m1: i32, work: usize,
): void {
  const k = kh * kw * ci, panels = (og + NR - 1) / NR, o = g * og;
  const ap = (work + 15) & ~15;
  const edge = ap + (<usize>(MB * k) << 2);
  const ldc = <usize>o << 2;
  for (let mb = m0; mb < m1; mb += MB) {
    const mc = min(MB, m1 - mb);
    for (let gi = 0; gi < g; gi++) {
      packPatches(xp, hp, wp, c, kh, kw, ci, gi * ci, oh, ow, sh, sw, dh, dw, mb, mc, ap);
      for (let q = 0; q < panels; q++) {
        const nr = min(NR, og - q * NR);
        const bp = wpk + (<usize>((gi * panels + q) * k * NR) << 2);
        for (let r = 0; r < mc; r += MR) {
          const cp = out + <usize>(mb + r) * ldc + (<usize>(gi * og + q * NR) << 2);
          tile(k, ap + (<usize>(r * k) << 2), bp, cp, ldc, min(MR, mc - r), nr, edge);
        }
      }
    }
  }
}

/**
 * Packs the patches of output pixels [m, m + mc) for input channels [c0, c0 + ci): pixel group r
 * (4 pixels) at r*k, depth step p holding its 4 pixels' values; missing pixels of the last group
 * repeat the last pixel (their results are never stored).
 */
function packPatches(
  xp: usize, hp: i32, wp: i32, c: i32, kh: i32, kw: i32, ci: i32, c0: i32,
  oh: i32, ow: i32, sh: i32, sw: i32, dh: i32, dw: i32, m: i32, mc: i32, dst: usize,
): void {
  const k = kh * kw * ci;
  for (let r = 0; r < mc; r += MR) {
    // Each pixel's window origin in xp (pixels of a group may sit on different rows or images).
    let p0: usize = 0, p1: usize = 0, p2: usize = 0, p3: usize = 0;
    for (let t = 0; t < MR; t++) {
      const px = m + min(r + t, mc - 1);
      const n = px / (oh * ow), rem = px - n * oh * ow, y = rem / ow, z = rem - y * ow;
      const base = at(xp, ((n * hp + y * sh) * wp + z * sw) * c + c0);
      if (t == 0) p0 = base; else if (t == 1) p1 = base; else if (t == 2) p2 = base; else p3 = base;
    }
    let d = dst + (<usize>(r * k) << 2);
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const off = <usize>((a * dh * wp + b * dw) * c) << 2;
        const q0 = p0 + off, q1 = p1 + off, q2 = p2 + off, q3 = p3 + off;
        let i = 0;
        if (ASC_FEATURE_SIMD) {
          for (; i + 4 <= ci; i += 4) {
            const o = <usize>i << 2;
            transpose4Store(v128.load(q0 + o), v128.load(q1 + o), v128.load(q2 + o), v128.load(q3 + o), d);
            d += 64;
          }
        }
        for (; i < ci; i++) {
          const o = <usize>i << 2;
          store<f32>(d, load<f32>(q0 + o)); store<f32>(d, load<f32>(q1 + o), 4);
          store<f32>(d, load<f32>(q2 + o), 8); store<f32>(d, load<f32>(q3 + o), 12);
          d += 16;
        }
      }
    }
  }
}

@inline function transpose4Store(r0: v128, r1: v128, r2: v128, r3: v128, d: usize): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(d, i64x2.shuffle(t0, t1, 0, 2));
  v128.store(d, i64x2.shuffle(t0, t1, 1, 3), 16);
  v128.store(d, i64x2.shuffle(t2, t3, 0, 2), 32);
  v128.store(d, i64x2.shuffle(t2, t3, 1, 3), 48);
}

/** acc[4][8] = patches (k x 4) . panel (k x 8), stored to the mr x nr corner of c (row stride ldc bytes). */
@inline function tile(k: i32, ap: usize, bp: usize, c: usize, ldc: usize, mr: i32, nr: i32, edge: usize): void {
  if (!ASC_FEATURE_SIMD) tileScalar(k, ap, bp, c, ldc, mr, nr);
  else kernel4x8(k, ap, bp, c, ldc, true, mr, nr, edge);
}

/** The scalar build's tile: the same products, summed in the same order, one element at a time. */
function tileScalar(k: i32, ap: usize, bp: usize, c: usize, ldc: usize, mr: i32, nr: i32): void {
  for (let r = 0; r < mr; r++) {
    for (let j = 0; j < nr; j++) {
      let s: f32 = 0;
      for (let p = 0; p < k; p++) s += load<f32>(at(ap, p * MR + r)) * load<f32>(at(bp, p * NR + j));
      store<f32>(at(c + <usize>r * ldc, j), s);
    }
  }
}
