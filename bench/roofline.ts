// This machine's limits for single-threaded Wasm SIMD, measured with tinyjax's own module: the
// multiply-add peak (16 independent f32x4 chains, no memory traffic) and the bandwidth of a v128
// copy and a v128 read over buffers far larger than the caches.
import { wasm } from "../src/backend/registry.js";

export interface Roofline {
  /** f32x4 mul + add, GFLOP/s (no FMA in Wasm SIMD: one mul and one add count as 2 flops per lane). */
  peakGflops: number;
  /** Bytes read plus bytes written per second, GB/s. */
  copyGBs: number;
  /** Bytes read per second, GB/s. */
  readGBs: number;
}

function best(reps: number, f: () => void): number {
  let t = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}

/** A quick re-measurement of the arithmetic peak (about 10 ms), to take between benchmark cases. */
export function probePeakGflops(): number {
  const iters = 500_000;
  return (iters * 128) / best(3, () => wasm.k.roofline_peak_f32(iters)) / 1e6;
}

export function measureRoofline(): Roofline {
  const k = wasm.k;
  // Warm up into the optimizing tier first (a call never changes tier midway).
  for (let i = 0; i < 50; i++) k.roofline_peak_f32(2000);
  const iters = 2_000_000;
  const peakMs = best(7, () => k.roofline_peak_f32(iters));
  const bytes = 64 * 2 ** 20;
  const src = wasm.alloc(bytes), dst = wasm.alloc(bytes);
  try {
    new Uint8Array(k.memory.buffer, src.handle, bytes).fill(1);
    new Uint8Array(k.memory.buffer, dst.handle, bytes).fill(2);
    for (let i = 0; i < 20; i++) { k.roofline_copy(dst.handle, src.handle, 65536); k.roofline_read(src.handle, 65536); }
    const copyMs = best(7, () => k.roofline_copy(dst.handle, src.handle, bytes));
    const readMs = best(7, () => k.roofline_read(src.handle, bytes));
    return {
      peakGflops: (iters * 128) / peakMs / 1e6,
      copyGBs: (2 * bytes) / copyMs / 1e6,
      readGBs: bytes / readMs / 1e6,
    };
  } finally {
    wasm.free(dst);
    wasm.free(src);
  }
}
