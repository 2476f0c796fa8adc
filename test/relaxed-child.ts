// Run by relaxed.test.ts in a child process (node --experimental-wasm-relaxed-simd): matmul and
// convolution on whatever Wasm build this process chose, checked against float64 references and
// the numpy conv goldens; prints one JSON line for the parent to judge.
import * as fs from "node:fs";
import { config, jnp, lax, memoryStats } from "../src/index.js";
import { loadKernels, relaxedSimdSupported } from "../src/backend/wasm/module.js";
import { winograd } from "../src/backend/wasm/lower-conv.js";
import { rng, toNumbers, maxRelErr } from "./helpers.js";

function data(n: number, seed: number): Float32Array {
  const r = rng(seed), d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = 2 * r() - 1;
  return d;
}

/** Largest |got - want| / (2e-5 + 2e-5 |want|): the goldens' "matmul" tolerance is <= 1. */
function matmulError(m: number, k: number, n: number, seed: number): { err: number; bits: Uint32Array } {
  const a = data(m * k, seed), b = data(k * n, seed + 1);
  const got = jnp.matmul(jnp.array(a, { shape: [m, k] }), jnp.array(b, { shape: [k, n] })).dataSync() as Float32Array;
  let err = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      err = Math.max(err, Math.abs(got[i * n + j] - s) / (2e-5 + 2e-5 * Math.abs(s)));
    }
  }
  return { err, bits: new Uint32Array(Float32Array.from(got).buffer) };
}

// Edges: 1, below a 4-row panel, not multiples of 4 or 8, past one k-block (512) and past MC/NC.
const SIZES: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [4, 8, 8], [13, 17, 19], [33, 65, 31], [64, 64, 64], [127, 600, 67], [257, 100, 130]];
const matmul = SIZES.map(([m, k, n], i) => ({ size: `${m}x${k}x${n}`, err: matmulError(m, k, n, 10 + i).err }));

// A thread split must not change bits in this build either.
const threads = config.get("numThreads");
const [m, k, n] = [257, 100, 130];
const many = matmulError(m, k, n, 99).bits;
config.update("numThreads", 1);
const one = matmulError(m, k, n, 99).bits;
config.update("numThreads", threads);
const threadSplitIdentical = many.every((x, i) => x === one[i]);

// The conv goldens (test/goldens/make_conv_goldens.py), float32, channels-last (the implicit GEMM
// and Winograd kernels) and channels-first.
interface Golden {
  name: string; lhs: { shape: number[]; data: number[] }; rhs: { shape: number[]; data: number[] };
  strides: number[]; padding: [number, number][]; lhsDilation: number[]; rhsDilation: number[]; groups: number;
  out: { shape: number[]; data: number[] };
}
const goldens: Golden[] = JSON.parse(fs.readFileSync(new URL("../../test/goldens/conv.json", import.meta.url), "utf8"));
const conv: { name: string; err: number }[] = [];
const winogradBefore = winograd.runs;
for (const g of goldens) {
  const nd = g.lhs.shape.length - 2, sp = "DHW".slice(3 - nd), ids = [...Array(nd).keys()].map((i) => i + 2);
  for (const last of [true, false]) {
    const x0 = jnp.array(g.lhs.data, { shape: g.lhs.shape, dtype: "float32" }), w0 = jnp.array(g.rhs.data, { shape: g.rhs.shape, dtype: "float32" });
    const x = last ? jnp.transpose(x0, [0, ...ids, 1]) : x0, w = last ? jnp.transpose(w0, [...ids, 1, 0]) : w0;
    const dn: [string, string, string] = last ? ["N" + sp + "C", sp + "IO", "N" + sp + "C"] : ["NC" + sp, "OI" + sp, "NC" + sp];
    let y = lax.convGeneralDilated(x, w, g.strides, g.padding, { lhsDilation: g.lhsDilation, rhsDilation: g.rhsDilation, dimensionNumbers: dn, featureGroupCount: g.groups });
    if (last) y = jnp.transpose(y, [0, nd + 1, ...ids.map((i) => i - 1)]);
    conv.push({ name: `${g.name} ${last ? "channels-last" : "channels-first"}`, err: maxRelErr(toNumbers(y), g.out.data) });
  }
}

// The relaxed build's tile against the SIMD build's, on the same inputs: where the engine fuses
// the multiply-add, some results round differently.
let differsFromSimd: number | null = null;
if (relaxedSimdSupported()) {
  const outs: Uint32Array[] = [];
  for (const v of ["simd", "relaxed"] as const) {
    const kx = (await loadKernels(v)).exports;
    const base = (kx.heapBase() + 63) & ~63, [M, K, N] = [64, 96, 40];
    const A = base, B = A + 4 * M * K, C = B + 4 * K * N, W = (C + 4 * M * N + 63) & ~63;
    if (W + kx.matmul_f32_workspace(M, K, N) > kx.memory.buffer.byteLength) kx.memory.grow(64);
    new Float32Array(kx.memory.buffer, A, M * K).set(data(M * K, 5));
    new Float32Array(kx.memory.buffer, B, K * N).set(data(K * N, 6));
    kx.matmul_f32(A, K, 1, 0, B, N, 1, 0, C, 1, M, K, N, W);
    outs.push(new Uint32Array(kx.memory.buffer.slice(C, C + 4 * M * N)));
  }
  differsFromSimd = outs[0].filter((x, i) => x !== outs[1][i]).length;
}

console.log(JSON.stringify({
  variant: memoryStats().wasmVariant, matmul, threadSplitIdentical, conv, winogradRuns: winograd.runs - winogradBefore, differsFromSimd,
}));
