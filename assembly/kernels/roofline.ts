// Roofline probes for the benchmark: this engine's Wasm SIMD arithmetic peak and memory bandwidth,
// so every benchmark figure can be read as a fraction of what the machine can do.

/**
 * Runs `iters` rounds of 16 independent f32x4 multiply-add chains (16 * 8 = 128 flops per round):
 * enough chains to hide latency on every x86/ARM core, no loads. Returns a lane so nothing is
 * dead code.
 */
export function roofline_peak_f32(iters: i32): f32 {
  if (!ASC_FEATURE_SIMD) return 0;
  let a0 = f32x4.splat(1.0), a1 = f32x4.splat(1.1), a2 = f32x4.splat(1.2), a3 = f32x4.splat(1.3);
  let a4 = f32x4.splat(1.4), a5 = f32x4.splat(1.5), a6 = f32x4.splat(1.6), a7 = f32x4.splat(1.7);
  let b0 = f32x4.splat(2.0), b1 = f32x4.splat(2.1), b2 = f32x4.splat(2.2), b3 = f32x4.splat(2.3);
  let b4 = f32x4.splat(2.4), b5 = f32x4.splat(2.5), b6 = f32x4.splat(2.6), b7 = f32x4.splat(2.7);
  const m = f32x4.splat(<f32>iters * 1e-30 + 0.999999), c = f32x4.splat(1e-6);
  for (let i = 0; i < iters; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c); a1 = f32x4.add(f32x4.mul(a1, m), c);
    a2 = f32x4.add(f32x4.mul(a2, m), c); a3 = f32x4.add(f32x4.mul(a3, m), c);
    a4 = f32x4.add(f32x4.mul(a4, m), c); a5 = f32x4.add(f32x4.mul(a5, m), c);
    a6 = f32x4.add(f32x4.mul(a6, m), c); a7 = f32x4.add(f32x4.mul(a7, m), c);
    b0 = f32x4.add(f32x4.mul(b0, m), c); b1 = f32x4.add(f32x4.mul(b1, m), c);
    b2 = f32x4.add(f32x4.mul(b2, m), c); b3 = f32x4.add(f32x4.mul(b3, m), c);
    b4 = f32x4.add(f32x4.mul(b4, m), c); b5 = f32x4.add(f32x4.mul(b5, m), c);
    b6 = f32x4.add(f32x4.mul(b6, m), c); b7 = f32x4.add(f32x4.mul(b7, m), c);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  const t = f32x4.add(f32x4.add(f32x4.add(b0, b1), f32x4.add(b2, b3)), f32x4.add(f32x4.add(b4, b5), f32x4.add(b6, b7)));
  return f32x4.extract_lane(f32x4.add(s, t), 0);
}

/** Copies `bytes` (a multiple of 64) from src to dst with v128 loads and stores. */
export function roofline_copy(dst: usize, src: usize, bytes: i32): void {
  if (!ASC_FEATURE_SIMD) {
    memory.copy(dst, src, <usize>bytes);
    return;
  }
  for (let i: usize = 0; i < <usize>bytes; i += 64) {
    const a = v128.load(src + i), b = v128.load(src + i, 16), c = v128.load(src + i, 32), d = v128.load(src + i, 48);
    v128.store(dst + i, a); v128.store(dst + i, b, 16); v128.store(dst + i, c, 32); v128.store(dst + i, d, 48);
  }
}

/** Reads `bytes` (a multiple of 64) at src with v128 loads (an integer xor, so no FP latency). */
export function roofline_read(src: usize, bytes: i32): i32 {
  if (!ASC_FEATURE_SIMD) return 0;
  let a = i32x4.splat(0), b = a, c = a, d = a;
  for (let i: usize = 0; i < <usize>bytes; i += 64) {
    a = v128.xor(a, v128.load(src + i)); b = v128.xor(b, v128.load(src + i, 16));
    c = v128.xor(c, v128.load(src + i, 32)); d = v128.xor(d, v128.load(src + i, 48));
  }
  return i32x4.extract_lane(v128.xor(v128.xor(a, b), v128.xor(c, d)), 0);
}
