// Matrix multiply C[m,n] = A[m,k] @ B[k,n] (batched), GotoBLAS/BLIS style: B is packed into
// KC x NR micro-panels (one panel stays in L1), A into MR x KC micro-panels (the MC x KC block stays
// in L2), and a 4x8 register tile (eight f32x4 accumulators) runs the inner product. Larger tiles
// spill registers in V8's Wasm compiler. Packing also absorbs transposed operands: A and B take
// arbitrary element strides, so `x @ w.T` never makes a transposed copy.

import { kernel4x8, MR, NR } from "./microkernel";

/**
 * Most k per packed block; k is split into equal blocks of at most this (288 = 1 x 288, not 256 + 32).
 * 512 keeps a B micro-panel (16 KiB) and an A micro-panel (8 KiB) in L1 and halves the passes over C
 * at k = 1024 against 320 (1024: 18.2 vs 17.1 GFLOP/s, medians of CPU time on the shared machine).
 */
const KC = 512;
const MC = 128;
const NC = 1024;

/** The k-block size for depth k: ceil(k / blocks) with as few blocks as KC allows. */
@inline function kcFor(k: i32): i32 {
  const blocks = (k + KC - 1) / KC;
  return (k + blocks - 1) / blocks;
}


@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

/** Bytes of workspace `matmul_f32` needs for these sizes (host allocates and passes it). */
export function matmul_f32_workspace(m: i32, k: i32, n: i32): i32 {
  const kc = k > 0 ? kcFor(k) : 0;
  const mc = (min(m, MC) + MR - 1) / MR * MR;
  const nc = (min(n, NC) + NR - 1) / NR * NR;
  // Packed A and B panels, then MR x NR floats for partial (edge) tiles: all in the caller's
  // workspace, so concurrent calls from worker threads share no scratch.
  return (mc * kc + kc * nc + MR * NR) * 4 + 64;
}

/**
 * float32 batched matmul. A(b, i, p) is at a + 4*(b*sa + i*ars + p*acs), B(b, p, j) at
 * b + 4*(b*sb + p*brs + j*bcs) (strides in elements, any sign-free layout: row-major, transposed,
 * or batch stride 0 for a broadcast operand); C is contiguous [batch, m, n] and must not overlap
 * A or B. `work` is a 16-byte aligned buffer of matmul_f32_workspace(m, k, n) bytes.
 */
export function matmul_f32(
  a: usize, ars: i32, acs: i32, sa: i32,
  b: usize, brs: i32, bcs: i32, sb: i32,
  c: usize, batch: i32, m: i32, k: i32, n: i32, work: usize,
): void {
  matmulBatches(a, ars, acs, sa, b, brs, bcs, sb, 0, 0, c, batch, m, k, n, work);
}

/** Floats per batch of a B packed whole by matmul_f32_pack_b: k rows of n rounded up to NR. */
@inline function packedFloats(k: i32, n: i32): i32 { return k * ((n + NR - 1) / NR * NR); }

/** Bytes of one batch of B packed by matmul_f32_pack_b. */
export function matmul_f32_packed_size(k: i32, n: i32): i32 {
  return packedFloats(k, n) << 2;
}

/** Whether matmul_f32 runs the packed path for these sizes (only then is a pre-packed B read). */
export function matmul_f32_packs(m: i32, k: i32, n: i32): i32 {
  return ASC_FEATURE_SIMD && m > 1 && n > 1 && <i64>m * <i64>n * <i64>k >= 512 ? 1 : 0;
}

/**
 * Packs all of B (batch t at dst + t * matmul_f32_packed_size(k, n)) in the order gemm reads its
 * blocks: NC-column blocks, then KC-row blocks, each in NR-column micro-panels. A B used by many
 * products is then packed once (the host caches it per buffer).
 */
export function matmul_f32_pack_b(b: usize, brs: i32, bcs: i32, sb: i32, batch: i32, k: i32, n: i32, dst: usize): void {
  // The scalar build never takes the packed path (matmul_f32_packs says 0), so it packs nothing.
  if (!ASC_FEATURE_SIMD || k == 0 || n == 0) return;
  const kcMax = kcFor(k);
  for (let t = 0; t < batch; t++) {
    const bt = b + (<usize>t * <usize>sb << 2);
    const dt = dst + (<usize>t * <usize>packedFloats(k, n) << 2);
    for (let jc = 0; jc < n; jc += NC) {
      const nc = min(NC, n - jc);
      for (let pc = 0; pc < k; pc += kcMax) {
        packB(at(bt, pc * brs + jc * bcs), brs, bcs, min(kcMax, k - pc), nc, dt + (<usize>packedBlock(jc, pc, k, nc) << 2));
      }
    }
  }
}

/** Float offset of the (jc, pc) block in a whole packed B: full NC blocks before it, then pc rows of nc padded. */
@inline function packedBlock(jc: i32, pc: i32, k: i32, nc: i32): i32 {
  return jc * k + pc * ((nc + NR - 1) / NR * NR);
}

/**
 * matmul_f32 with B already packed by matmul_f32_pack_b at `bp` (batch stride `sbp` floats: 0 for
 * a B shared by every batch, or matmul_f32_packed_size(k, n) / 4). `b` and its strides are still
 * needed: sizes matmul_f32_packs rejects read B directly. Results are identical to matmul_f32.
 */
export function matmul_f32_prepacked(
  a: usize, ars: i32, acs: i32, sa: i32,
  b: usize, brs: i32, bcs: i32, sb: i32, bp: usize, sbp: i32,
  c: usize, batch: i32, m: i32, k: i32, n: i32, work: usize,
): void {
  matmulBatches(a, ars, acs, sa, b, brs, bcs, sb, bp, sbp, c, batch, m, k, n, work);
}

@inline function matmulBatches(
  a: usize, ars: i32, acs: i32, sa: i32,
  b: usize, brs: i32, bcs: i32, sb: i32, bp: usize, sbp: i32,
  c: usize, batch: i32, m: i32, k: i32, n: i32, work: usize,
): void {
  for (let t = 0; t < batch; t++) {
    const at_ = a + (<usize>t * <usize>sa << 2);
    const bt = b + (<usize>t * <usize>sb << 2);
    const ct = c + (<usize>t * <usize>m * <usize>n << 2);
    if (!ASC_FEATURE_SIMD || <i64>m * <i64>n * <i64>k < 512) {
      gemmScalar(at_, ars, acs, bt, brs, bcs, ct, m, k, n);
    } else if (m == 1) {
      gemvRow(at_, acs, bt, brs, bcs, ct, k, n);
    } else if (n == 1) {
      gemvCol(at_, ars, acs, bt, brs, ct, m, k);
    } else {
      gemm(at_, ars, acs, bt, brs, bcs, bp ? bp + (<usize>t * <usize>sbp << 2) : 0, ct, m, k, n, work);
    }
  }
}

/**
 * Tiny products, and everything in the scalar build: rows of B streamed (i, p, j order) when B is
 * row-major, one dot product per element otherwise. Both sum over p in order.
 */
function gemmScalar(a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, c: usize, m: i32, k: i32, n: i32): void {
  if (bcs == 1) {
    for (let i = 0; i < m; i++) {
      const crow = at(c, i * n);
      memory.fill(crow, 0, <usize>n << 2);
      for (let p = 0; p < k; p++) {
        const x = load<f32>(at(a, i * ars + p * acs));
        const brow = at(b, p * brs);
        for (let j = 0; j < n; j++) store<f32>(at(crow, j), load<f32>(at(crow, j)) + x * load<f32>(at(brow, j)));
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s: f32 = 0;
      for (let p = 0; p < k; p++) s += load<f32>(at(a, i * ars + p * acs)) * load<f32>(at(b, p * brs + j * bcs));
      store<f32>(at(c, i * n + j), s);
    }
  }
}

/** c[j] = sum_p a[p] * B[p, j] for one row of A: a pass over B with no packing (memory-bound). */
function gemvRow(a: usize, acs: i32, b: usize, brs: i32, bcs: i32, c: usize, k: i32, n: i32): void {
  if (bcs != 1) {
    // Columns of B are contiguous (brs == 1 for a transposed B) or strided: one dot product each.
    for (let j = 0; j < n; j++) {
      const col = at(b, j * bcs);
      let acc = f32x4.splat(0);
      let p = 0;
      if (brs == 1 && acs == 1) {
        for (; p + 4 <= k; p += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(at(a, p)), v128.load(at(col, p))));
      }
      let s: f32 = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
      for (; p < k; p++) s += load<f32>(at(a, p * acs)) * load<f32>(at(col, p * brs));
      store<f32>(at(c, j), s);
    }
    return;
  }
  memory.fill(c, 0, <usize>n << 2);
  for (let p = 0; p < k; p++) {
    const x = f32x4.splat(load<f32>(at(a, p * acs)));
    const xs = load<f32>(at(a, p * acs));
    const row = at(b, p * brs);
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const q = at(c, j), r = at(row, j);
      v128.store(q, f32x4.add(v128.load(q), f32x4.mul(x, v128.load(r))));
      v128.store(q, f32x4.add(v128.load(q, 16), f32x4.mul(x, v128.load(r, 16))), 16);
    }
    for (; j < n; j++) store<f32>(at(c, j), load<f32>(at(c, j)) + xs * load<f32>(at(row, j)));
  }
}

/** c[i] = sum_p A[i, p] * b[p] for a single column of B: one dot product per row of A. */
function gemvCol(a: usize, ars: i32, acs: i32, b: usize, brs: i32, c: usize, m: i32, k: i32): void {
  for (let i = 0; i < m; i++) {
    const row = at(a, i * ars);
    let p = 0;
    let s: f32 = 0;
    if (acs == 1 && brs == 1) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
      for (; p + 8 <= k; p += 8) {
        a0 = f32x4.add(a0, f32x4.mul(v128.load(at(row, p)), v128.load(at(b, p))));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(at(row, p), 16), v128.load(at(b, p), 16)));
      }
      const v = f32x4.add(a0, a1);
      s = (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
    }
    for (; p < k; p++) s += load<f32>(at(row, p * acs)) * load<f32>(at(b, p * brs));
    store<f32>(at(c, i), s);
  }
}

/** The blocked product; `pre` is a whole packed B (matmul_f32_pack_b) or 0 to pack block by block into `work`. */
function gemm(a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, pre: usize, c: usize, m: i32, k: i32, n: i32, work: usize): void {
  if (k == 0) {
    memory.fill(c, 0, <usize>m * <usize>n << 2);
    return;
  }
  const kcMax = kcFor(k);
  const ap = work;
  const bp = work + (<usize>((min(m, MC) + MR - 1) / MR * MR * kcMax) << 2);
  const edge = (bp + (<usize>(kcMax * ((min(n, NC) + NR - 1) / NR * NR)) << 2) + 15) & ~15;
  const ldc = <usize>n << 2;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = min(kcMax, k - pc);
      let bblock = bp;
      if (pre) bblock = pre + (<usize>packedBlock(jc, pc, k, nc) << 2);
      else packB(at(b, pc * brs + jc * bcs), brs, bcs, kc, nc, bp);
      const first = pc == 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(at(a, ic * ars + pc * acs), ars, acs, mc, kc, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bpanel = bblock + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const cp = c + <usize>(ic + ir) * ldc + (<usize>(jc + jr) << 2);
            kernel4x8(kc, ap + (<usize>(ir * kc) << 2), bpanel, cp, ldc, first, mr, nr, edge);
          }
        }
      }
    }
  }
}

/** Packs rows [0, mc) x cols [0, kc) of A into MR-row panels: panel r holds A[r*MR + i, p] at p*MR + i. */
function packA(a: usize, ars: i32, acs: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const d = dst + (<usize>(ir * kc) << 2);
    const src = at(a, ir * ars);
    if (mr == MR && acs == 1) {
      // Four rows, contiguous along p: 4x4 transposes.
      const r0 = src, r1 = at(src, ars), r2 = at(src, 2 * ars), r3 = at(src, 3 * ars);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        transpose4Store(v128.load(r0 + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o), d + (o << 2));
      }
      for (; p < kc; p++) {
        const q = d + (<usize>(p * MR) << 2);
        store<f32>(q, load<f32>(at(r0, p))); store<f32>(q, load<f32>(at(r1, p)), 4);
        store<f32>(q, load<f32>(at(r2, p)), 8); store<f32>(q, load<f32>(at(r3, p)), 12);
      }
    } else if (mr == MR && ars == 1) {
      // A transposed: the four rows of one p are contiguous.
      for (let p = 0; p < kc; p++) v128.store(d + (<usize>(p * MR) << 2), v128.load(at(src, p * acs)));
    } else {
      for (let p = 0; p < kc; p++) {
        const q = d + (<usize>(p * MR) << 2);
        for (let i = 0; i < MR; i++) store<f32>(at(q, i), i < mr ? load<f32>(at(src, i * ars + p * acs)) : 0);
      }
    }
  }
}

/** Packs rows [0, kc) x cols [0, nc) of B into NR-column panels: panel j holds B[p, j*NR + t] at p*NR + t. */
function packB(b: usize, brs: i32, bcs: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const d = dst + (<usize>(jr * kc) << 2);
    const src = at(b, jr * bcs);
    if (nr == NR && bcs == 1) {
      for (let p = 0; p < kc; p++) {
        const s = at(src, p * brs), q = d + (<usize>(p * NR) << 2);
        v128.store(q, v128.load(s));
        v128.store(q, v128.load(s, 16), 16);
      }
    } else if (nr == NR && brs == 1) {
      // B transposed (columns contiguous): 4x4 transposes of columns t..t+3 at p..p+3.
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const q = d + (<usize>(p * NR) << 2);
        const s = at(src, p);
        for (let t = 0; t < NR; t += 4) {
          const c0 = at(s, t * bcs), c1 = at(s, (t + 1) * bcs), c2 = at(s, (t + 2) * bcs), c3 = at(s, (t + 3) * bcs);
          transpose4StoreStrided(v128.load(c0), v128.load(c1), v128.load(c2), v128.load(c3), q + (<usize>t << 2), NR * 4);
        }
      }
      for (; p < kc; p++) {
        const q = d + (<usize>(p * NR) << 2);
        for (let t = 0; t < NR; t++) store<f32>(at(q, t), load<f32>(at(src, p + t * bcs)));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const q = d + (<usize>(p * NR) << 2);
        for (let t = 0; t < NR; t++) store<f32>(at(q, t), t < nr ? load<f32>(at(src, p * brs + t * bcs)) : 0);
      }
    }
  }
}

/** Stores the transpose of the 4x4 block with rows r0..r3 as 16 consecutive floats. */
@inline function transpose4Store(r0: v128, r1: v128, r2: v128, r3: v128, d: usize): void {
  transpose4StoreStrided(r0, r1, r2, r3, d, 16);
}

@inline function transpose4StoreStrided(r0: v128, r1: v128, r2: v128, r3: v128, d: usize, stride: usize): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5); // a0 b0 a1 b1
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5); // c0 d0 c1 d1
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7); // a2 b2 a3 b3
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7); // c2 d2 c3 d3
  v128.store(d, i64x2.shuffle(t0, t1, 0, 2));
  v128.store(d + stride, i64x2.shuffle(t0, t1, 1, 3));
  v128.store(d + 2 * stride, i64x2.shuffle(t2, t3, 0, 2));
  v128.store(d + 3 * stride, i64x2.shuffle(t2, t3, 1, 3));
}

/** float64 matmul, row-major contiguous (ikj order so B is read along rows). */
export function matmul_f64(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  for (let i = 0; i < m; i++) {
    const crow = c + (<usize>(i * n) << 3);
    memory.fill(crow, 0, <usize>n << 3);
    for (let p = 0; p < k; p++) {
      const x = load<f64>(a + (<usize>(i * k + p) << 3));
      const brow = b + (<usize>(p * n) << 3);
      let j = 0;
      if (ASC_FEATURE_SIMD) {
        const xv = f64x2.splat(x);
        for (; j + 4 <= n; j += 4) {
          const q = crow + (<usize>j << 3), r = brow + (<usize>j << 3);
          v128.store(q, f64x2.add(v128.load(q), f64x2.mul(xv, v128.load(r))));
          v128.store(q, f64x2.add(v128.load(q, 16), f64x2.mul(xv, v128.load(r, 16))), 16);
        }
      }
      for (; j < n; j++) {
        const q = crow + (<usize>j << 3);
        store<f64>(q, load<f64>(q) + x * load<f64>(brow + (<usize>j << 3)));
      }
    }
  }
}
