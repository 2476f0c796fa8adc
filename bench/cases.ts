// The benchmark cases of issue 3. Each says what it computes, its inputs, and the work it does
// (flops for compute-bound cases, bytes moved for memory-bound ones) so rates can be compared with
// the machine's measured peak.
import type { Op } from "./peers.js";

export type Unit = "GFLOP/s" | "GB/s" | "us/call";

export interface Case {
  name: string;
  group: string;
  op: Op;
  /** Input shapes; inputs are uniform random in [lo, hi). */
  inputs: number[][];
  range?: [number, number];
  /** Floating-point operations (matmul) or bytes read + written (everything else). */
  work: number;
  unit: Unit;
  /** Which roofline figure the rate is a percentage of. */
  peak: "flops" | "copy" | "read" | null;
  /** Matmul only: use a fresh copy of B for every iteration (defeats packed-weight caches). */
  freshB?: boolean;
  /** Relative tolerance (max |a - b| / max |ref|, or / errorScale) for agreeing with tinyjax. */
  tol: number;
  /**
   * Reductions: the scale of the rounding error, sum |x| per output, which the tolerance is relative
   * to (a sum of random signs is small; libraries summing naively differ from pairwise by far more
   * than the result's ulp while still being correct).
   */
  errorScale?: (inputs: Float32Array[]) => number;
  /** Libraries to leave out of this case, with the reason shown in the table. */
  skip?: Record<string, string>;
  /** Per-library input layout: maps host input i (data, shape) to what that library takes. */
  layoutIn?: Record<string, (i: number, data: Float32Array, shape: number[]) => { data: Float32Array; shape: number[] }>;
  /** Per-library output layout: maps that library's result back to tinyjax's layout for checking. */
  layoutOut?: Record<string, (out: Float32Array) => Float32Array>;
  /** Remarks shown under the table, per library. */
  notes?: Record<string, string>;
}

/** Permutes a row-major array of `shape` by `perm` (out axis k is input axis perm[k]). */
export function permute(x: Float32Array, shape: number[], perm: number[]): { data: Float32Array; shape: number[] } {
  const nd = shape.length;
  const st = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const outShape = perm.map((p) => shape[p]);
  const out = new Float32Array(x.length);
  const idx = new Array(nd).fill(0);
  for (let o = 0; o < x.length; o++) {
    let s = 0;
    for (let d = 0; d < nd; d++) s += idx[d] * st[perm[d]];
    out[o] = x[s];
    for (let d = nd - 1; d >= 0; d--) { if (++idx[d] < outShape[d]) break; idx[d] = 0; }
  }
  return { data: out, shape: outShape };
}

const F = 4; // bytes per float32

function matmul(n: number, freshB: boolean): Case {
  return {
    name: `matmul ${n}x${n}x${n}${freshB ? " (fresh B)" : ""}`, group: "matmul", op: { kind: "matmul" },
    inputs: [[n, n], [n, n]], work: 2 * n ** 3, unit: "GFLOP/s", peak: "flops", freshB, tol: 1e-5,
    skip: n >= 1024 && freshB ? { "tfjs-cpu": "slow; same as reused B" } : undefined,
  };
}

function elementwise(kind: "add" | "mul" | "exp" | "tanh" | "erf", n: number): Case {
  const binary = kind === "add" || kind === "mul";
  const label = n >= 1 << 20 ? `${n >> 20}M` : `${n >> 10}K`;
  return {
    name: `${kind} ${label}`, group: "elementwise", op: { kind },
    inputs: binary ? [[n], [n]] : [[n]], range: kind === "exp" ? [-10, 10] : [-4, 4],
    work: (binary ? 3 : 2) * n * F, unit: "GB/s", peak: "copy", tol: binary ? 0 : 1e-6,
  };
}

function reduction(kind: "sum" | "max", shape: number[], axis: number | null): Case {
  const size = shape.reduce((a, b) => a * b, 1);
  const where = axis === null ? (shape.length === 1 ? `${size >> 20}M` : shape.join("x")) : `${shape.join("x")} axis ${axis}`;
  const outputs = axis === null ? 1 : size / shape[axis];
  return {
    name: `${kind} ${where}`, group: "reduction", op: { kind, axis },
    inputs: [shape], work: size * F, unit: "GB/s", peak: "read", tol: kind === "sum" ? 1e-4 : 0,
    errorScale: kind === "sum" ? ([x]) => x.reduce((a, v) => a + Math.abs(v), 0) / outputs : undefined,
  };
}

export function allCases(): Case[] {
  const cases: Case[] = [];
  for (const n of [64, 128, 256, 512, 1024]) cases.push(matmul(n, false), matmul(n, true));
  cases.push({
    name: "matmul batched 32x128x128", group: "matmul", op: { kind: "matmul" },
    inputs: [[32, 128, 128], [32, 128, 128]], work: 2 * 32 * 128 ** 3, unit: "GFLOP/s", peak: "flops", tol: 1e-5,
  });
  for (const kind of ["add", "mul", "exp", "tanh"] as const) {
    for (const n of [1 << 10, 1 << 16, 1 << 20, 1 << 24]) cases.push(elementwise(kind, n));
  }
  cases.push(elementwise("erf", 1 << 20));
  cases.push(reduction("sum", [1 << 20], null), reduction("max", [1 << 20], null));
  cases.push(reduction("sum", [1 << 24], null), reduction("max", [1 << 24], null));
  for (const axis of [0, 1]) cases.push(reduction("sum", [1024, 1024], axis), reduction("max", [1024, 1024], axis));
  cases.push({
    name: "transpose 1024x1024", group: "movement", op: { kind: "transpose" },
    inputs: [[1024, 1024]], work: 2 * 1024 * 1024 * F, unit: "GB/s", peak: "copy", tol: 0,
    notes: { "jax-js": "transpose is a lazy view in jax-js: no data moves until a later op reads it" },
  });
  // NHWC input, HWIO kernel; jax-js only takes NCHW / OIHW, so it gets the same data transposed.
  cases.push({
    name: "conv2d 1x64x64x32, 3x3, 32->64, SAME", group: "conv", op: { kind: "conv2d" },
    inputs: [[1, 64, 64, 32], [3, 3, 32, 64]], work: 2 * 64 * 64 * 64 * 9 * 32, unit: "GFLOP/s", peak: "flops", tol: 1e-5,
    layoutIn: { "jax-js": (i, data, shape) => permute(data, shape, i === 0 ? [0, 3, 1, 2] : [3, 2, 0, 1]) },
    layoutOut: { "jax-js": (out) => permute(out, [1, 64, 64, 64], [0, 2, 3, 1]).data },
  });
  cases.push({
    name: "softmax 256x1000", group: "nn", op: { kind: "softmax" },
    inputs: [[256, 1000]], work: 2 * 256 * 1000 * F, unit: "GB/s", peak: "copy", tol: 1e-5,
  });
  cases.push({
    name: "tiny add (4 elements)", group: "latency", op: { kind: "add" },
    inputs: [[4], [4]], work: 0, unit: "us/call", peak: null, tol: 0,
  });
  return cases;
}
