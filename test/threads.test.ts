import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { jit, jnp, memoryStats, config, tidy, Array as JArray } from "../src/index.js";
import { relaxedSimdSupported } from "../src/backend/wasm/module.js";
import { randArray } from "./helpers.js";

const bits = (x: JArray) => Array.from(new Uint32Array((x.dataSync() as Float32Array).buffer));

function withThreads<T>(n: number, f: () => T): T {
  const prev = config.get("numThreads");
  config.update("numThreads", n);
  try { return f(); } finally { config.update("numThreads", prev); }
}

test("Node gets the shared-memory build with worker threads", () => {
  // Derived from the relaxed-SIMD build where it validates (Node 20: --experimental-wasm-relaxed-simd).
  assert.equal(memoryStats().wasmVariant, relaxedSimdSupported() ? "relaxed-threads" : "threads");
  assert.ok(config.get("numThreads") >= 1);
});

test("multithreaded kernels are bit-identical to one thread (matmul, batched matmul, elementwise)", () => {
  tidy(() => {
    const a = randArray([300, 257], -1, 1, "float32"), b = randArray([257, 129], -1, 1, "float32", 2);
    const batchedA = randArray([6, 64, 70], -1, 1, "float32", 3), batchedB = randArray([6, 70, 33], -1, 1, "float32", 4);
    const big = randArray([1 << 19], -3, 3, "float32", 5);
    const run = () => [jnp.matmul(a, b), jnp.matmul(batchedA, batchedB), jnp.tanh(big), jnp.multiply(big, 1.5), jnp.add(big, big)];
    const one = withThreads(1, run).map(bits);
    const two = withThreads(2, run).map(bits);
    one.forEach((r, i) => assert.ok(r.length === two[i].length && r.every((v, k) => v === two[i][k]), `result ${i} differs`));
    return null;
  });
});

test("jit's fused elementwise groups split over threads bit-identically (with a tail and broadcast scalars)", () => {
  tidy(() => {
    const x = randArray([(1 << 19) + 37], -3, 3, "float32", 6), y = randArray([(1 << 19) + 37], -3, 3, "float32", 7);
    const f = jit((a: JArray, b: JArray) => [jnp.tanh(a.mul(b).add(1)).mul(0.5), jnp.sqrt(jnp.abs(a)).sub(b)]);
    const run = () => f(x, y) as JArray[];
    const one = withThreads(1, run).map(bits);
    const two = withThreads(2, run).map(bits);
    one.forEach((r, i) => assert.ok(r.length === two[i].length && r.every((v, k) => v === two[i][k]), `output ${i} differs`));
    const eager = [jnp.tanh(x.mul(y).add(1)).mul(0.5), jnp.sqrt(jnp.abs(x)).sub(y)].map(bits);
    eager.forEach((r, i) => assert.ok(r.every((v, k) => v === two[i][k]), `output ${i} differs from eager`));
    return null;
  });
});

test("reductions split over threads give the same bits for any thread count (rows, and a long row in chunks)", () => {
  tidy(() => {
    const rows = randArray([600, 1000], -1, 1, "float32", 8), long = randArray([3 * (1 << 20) + 5], -1, 1, "float32", 9);
    const run = () => [jnp.sum(rows, { axis: 1 }), jnp.max(rows, { axis: 1 }), jnp.sum(long), jnp.max(long), jnp.min(long), jnp.mean(long)];
    const one = withThreads(1, run).map(bits);
    const two = withThreads(2, run).map(bits);
    one.forEach((r, i) => assert.ok(r.length === two[i].length && r.every((v, k) => v === two[i][k]), `result ${i} differs`));
    // The chunked long sum is still accurate: compare with a float64 sum of the same floats.
    const xs = long.dataSync() as Float32Array;
    let exact = 0;
    for (let i = 0; i < xs.length; i++) exact += xs[i];
    const got = withThreads(2, () => jnp.sum(long).item()) as number;
    assert.ok(Math.abs(got - exact) <= 1e-6 * Math.sqrt(xs.length) * 4, `sum ${got} vs ${exact}`);
    return null;
  });
});

test("without SharedArrayBuffer the single-threaded SIMD build loads and works", () => {
  const url = new URL("../src/index.js", import.meta.url).href;
  const out = execFileSync(process.execPath, ["--no-harmony-sharedarraybuffer", "--input-type=module", "-e",
    `const { jnp, memoryStats } = await import(${JSON.stringify(url)}); console.log(memoryStats().wasmVariant, typeof SharedArrayBuffer, jnp.sum(jnp.matmul(jnp.ones([300, 300]), jnp.ones([300, 300]))).item());`],
  { encoding: "utf8" }).trim();
  assert.equal(out, "simd undefined 27000000");
});

test("worker threads do not keep a Node process alive", () => {
  const url = new URL("../src/index.js", import.meta.url).href;
  const t0 = Date.now();
  execFileSync(process.execPath, ["--input-type=module", "-e",
    `const { jnp } = await import(${JSON.stringify(url)}); jnp.matmul(jnp.ones([512, 512]), jnp.ones([512, 512])).dataSync();`], { timeout: 20_000 });
  assert.ok(Date.now() - t0 < 20_000);
});

test.run();
