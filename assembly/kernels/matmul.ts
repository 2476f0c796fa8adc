// Matrix multiply C[m,n] = A[m,k] @ B[k,n], row-major and contiguous. A 4x8 register tile
// (eight f32x4 accumulators) walks k; rows and columns past the last full tile take scalar paths.

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

export function matmul_f32(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= m; i += 4) {
      const a0 = at(a, i * k), a1 = at(a, (i + 1) * k), a2 = at(a, (i + 2) * k), a3 = at(a, (i + 3) * k);
      let j = 0;
      for (; j + 8 <= n; j += 8) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
        let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
        let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
        let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
        for (let p = 0; p < k; p++) {
          const bp = at(b, p * n + j);
          const b0 = v128.load(bp);
          const b1 = v128.load(bp, 16);
          const x0 = f32x4.splat(load<f32>(at(a0, p)));
          const x1 = f32x4.splat(load<f32>(at(a1, p)));
          const x2 = f32x4.splat(load<f32>(at(a2, p)));
          const x3 = f32x4.splat(load<f32>(at(a3, p)));
          c00 = f32x4.add(c00, f32x4.mul(x0, b0)); c01 = f32x4.add(c01, f32x4.mul(x0, b1));
          c10 = f32x4.add(c10, f32x4.mul(x1, b0)); c11 = f32x4.add(c11, f32x4.mul(x1, b1));
          c20 = f32x4.add(c20, f32x4.mul(x2, b0)); c21 = f32x4.add(c21, f32x4.mul(x2, b1));
          c30 = f32x4.add(c30, f32x4.mul(x3, b0)); c31 = f32x4.add(c31, f32x4.mul(x3, b1));
        }
        v128.store(at(c, i * n + j), c00); v128.store(at(c, i * n + j), c01, 16);
        v128.store(at(c, (i + 1) * n + j), c10); v128.store(at(c, (i + 1) * n + j), c11, 16);
        v128.store(at(c, (i + 2) * n + j), c20); v128.store(at(c, (i + 2) * n + j), c21, 16);
        v128.store(at(c, (i + 3) * n + j), c30); v128.store(at(c, (i + 3) * n + j), c31, 16);
      }
      for (; j < n; j++) {
        for (let r = 0; r < 4; r++) store<f32>(at(c, (i + r) * n + j), dotCol(at(a, (i + r) * k), b, j, k, n));
      }
    }
  }
  for (; i < m; i++) {
    for (let j = 0; j < n; j++) store<f32>(at(c, i * n + j), dotCol(at(a, i * k), b, j, k, n));
  }
}

@inline function dotCol(arow: usize, b: usize, j: i32, k: i32, n: i32): f32 {
  let s: f32 = 0;
  for (let p = 0; p < k; p++) s += load<f32>(at(arow, p)) * load<f32>(at(b, p * n + j));
  return s;
}

/** float64 matmul, same layout (ikj order so B is read along rows). */
export function matmul_f64(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  for (let i = 0; i < m; i++) {
    const crow = c + (<usize>(i * n) << 3);
    memory.fill(crow, 0, <usize>n << 3);
    for (let p = 0; p < k; p++) {
      const x = load<f64>(a + (<usize>(i * k + p) << 3));
      const brow = b + (<usize>(p * n) << 3);
      for (let j = 0; j < n; j++) {
        const q = crow + (<usize>j << 3);
        store<f64>(q, load<f64>(q) + x * load<f64>(brow + (<usize>j << 3)));
      }
    }
  }
}
