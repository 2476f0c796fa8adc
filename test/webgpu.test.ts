// The conformance suite on the WebGPU backend: numpy goldens, gradients, vmap, jit (fused
// shaders), PRNG bit-identity with Wasm, memory and error behaviour. In CI (CI=true) a missing
// adapter fails the suite; locally it is skipped with the reason. Without a GPU, Node finds one
// through the `webgpu` package and SwiftShader's Vulkan driver from Debian's chromium package
// (scripts/ci/install-webgpu.sh); VK_ICD_FILENAMES is pointed at it when unset.
//
// Tolerances: WGSL's own built-ins are loose (sin/cos 2^-11 absolute, exp 3+2|x| ulp, x/y 2.5 ulp,
// subnormals may flush to zero), so the backend computes transcendentals itself (src/webgpu/wgsl/
// lib-math.ts, within 3 ulp) and handles NaN, infinities, signed zeros and subnormal operands on
// the bits: the numpy goldens pass with their own bounds (float32: 1e-6 relative + 1e-6 absolute;
// the absolute part also admits a subnormal result flushed to zero).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { devicePut, devicePutAsync, DeviceError, grad, jit, jnp, lax, OutOfMemoryError, random, tidy } from "../src/index.js";
import {
  decodeData, describe, EncodedArray, FILES, FILTER, fmt, GoldenCase, isEncoded, loadCases, MAX_LISTED_FAILURES,
  MAX_MISMATCHES_SHOWN, resolveFn, Tol, unravel, valuesMatch, VERBOSE,
} from "./goldens-io.js";
import { all, compare, EXACT, gpu, onWasm, suite } from "./webgpu-setup.js";

interface Readable { dtype: string; shape: readonly number[]; data(): Promise<ArrayLike<number>> }

async function compareAsync(got: unknown, want: EncodedArray, tol: Tol, label: string): Promise<string | null> {
  const g = got as Readable | null;
  if (!g || typeof g.data !== "function") return `${label}expected an Array, got ${describe(got)}`;
  if (g.dtype !== want.dtype) return `${label}dtype ${String(g.dtype)}, want ${want.dtype}`;
  const gotShape = Array.from(g.shape);
  if (gotShape.length !== want.shape.length || gotShape.some((d, i) => d !== want.shape[i])) {
    return `${label}shape [${gotShape.join(",")}], want [${want.shape.join(",")}]`;
  }
  const gd = await g.data();
  const wd = decodeData(want);
  let bad = 0;
  const shown: string[] = [];
  for (let i = 0; i < wd.length; i++) {
    if (!valuesMatch(Number(gd[i]), wd[i], want.dtype, tol)) {
      bad++;
      if (shown.length < MAX_MISMATCHES_SHOWN) shown.push(`${unravel(i, want.shape)} got ${fmt(Number(gd[i]))} want ${fmt(wd[i])}`);
    }
  }
  return bad ? `${label}${bad} of ${wd.length} values differ (tol ${tol}): ${shown.join("; ")}${bad > shown.length ? "; ..." : ""}` : null;
}

function disposeAll(v: unknown): void {
  if (Array.isArray(v)) { for (const x of v) disposeAll(x); return; }
  const d = (v as { dispose?: () => void } | null)?.dispose;
  if (typeof d === "function") try { d.call(v); } catch { /* already freed */ }
}

async function runCase(c: GoldenCase): Promise<string | null> {
  const target = resolveFn(c.fn);
  if (!target) return `jnp.${c.fn} is not a function`;
  const made: unknown[] = [];
  const toArray = (e: EncodedArray) => {
    const a = jnp.array(decodeData(e) as any, { dtype: e.dtype, shape: e.shape } as any);
    made.push(a);
    return a;
  };
  let result: unknown;
  try {
    const args = c.args.map((v) => (isEncoded(v) ? toArray(v) : Array.isArray(v) && v.length > 0 && v.every(isEncoded) ? v.map(toArray) : v));
    if (c.opts !== undefined) args.push(c.opts);
    result = target.f.apply(target.self, args);
  } catch (err) {
    disposeAll(made);
    return `threw ${(err as Error).name}: ${String((err as Error).message).split("\n")[0]}`;
  }
  try {
    if (Array.isArray(c.out)) {
      if (!Array.isArray(result) || result.length !== c.out.length) return `expected ${c.out.length} arrays, got ${describe(result)}`;
      const problems: string[] = [];
      for (let k = 0; k < c.out.length; k++) {
        const p = await compareAsync(result[k], c.out[k], c.tol, `output ${k}: `);
        if (p) problems.push(p);
      }
      return problems.length ? problems.join(" | ") : null;
    }
    return await compareAsync(result, c.out, c.tol, "");
  } catch (err) {
    return `reading the result threw ${(err as Error).name}: ${String((err as Error).message).split("\n")[0]}`;
  } finally {
    disposeAll(made);
    disposeAll(result);
  }
}

suite("webgpu", () => {
  for (const file of FILES) {
    test(`webgpu goldens: ${file}.json`, async () => {
      const cases = loadCases(file).filter((c) => FILTER(c.name));
      const failures: { name: string; fn: string; detail: string }[] = [];
      for (const c of cases) {
        const detail = await runCase(c);
        if (detail !== null) failures.push({ name: c.name, fn: c.fn, detail });
      }
      if (!failures.length) return;
      const byFn = new Map<string, number>();
      for (const f of failures) byFn.set(f.fn, (byFn.get(f.fn) ?? 0) + 1);
      const listed = VERBOSE ? failures : failures.slice(0, MAX_LISTED_FAILURES);
      assert.ok(false, [
        `${failures.length} of ${cases.length} golden cases failed on webgpu in ${file}.json`,
        `failing functions: ${[...byFn].map(([f, n]) => `${f} (${n})`).join(", ")}`,
        ...listed.map((f) => `  - ${f.name}: ${f.detail}`),
      ].join("\n"));
    });
  }
  registerPrng();
  registerMemory();
});

test.run();

// ---- PRNG: bit-identical to Wasm (threefry is integer arithmetic; uniform's fma and normal's
// erf_inv are exactly rounded in integer code on the GPU, src/webgpu/wgsl/lib-exact.ts).

function registerPrng(): void {
  const k = () => random.key(42);
  const exactCases: { name: string; f: (key: any) => unknown }[] = [
    { name: "key(-1), split, foldIn", f: (key) => [random.key(-1), random.split(key, 3), random.foldIn(key, 7)] },
    { name: "bits", f: (key) => random.bits(key, [1000]) },
    { name: "uniform", f: (key) => random.uniform(key, [1000]) },
    { name: "uniform [-3, 5)", f: (key) => random.uniform(key, [257], { minval: -3, maxval: 5 }) },
    { name: "normal", f: (key) => random.normal(key, [2000]) },
    { name: "randint", f: (key) => random.randint(key, [500], 0, 100) },
    { name: "bernoulli", f: (key) => random.bernoulli(key, 0.3, [500]) },
    { name: "permutation (sort)", f: (key) => random.permutation(key, 300) },
    { name: "choice", f: (key) => random.choice(key, 50, [20]) },
    { name: "partitionable threefry", f: (key) => {
      random.setThreefryPartitionable(true);
      try { return [random.bits(key, [3, 5]), random.uniform(key, [100]), random.split(key, 4)]; } finally { random.setThreefryPartitionable(false); }
    } },
    // A jitted function per device: jit's cache is keyed by shapes and dtypes, not by device.
    { name: "jit(normal)", f: (key) => jit((kk: any) => random.normal(kk, [512]))(key) },
  ];
  test("webgpu PRNG: bit-identical to wasm", async () => {
    await all(exactCases, async (c) => {
      const key = onWasm(k);
      const want = onWasm(() => c.f(key));
      return compare(c.f(devicePut(key, "webgpu")), want, EXACT);
    });
  });
  test("webgpu PRNG: samplers built on log/exp agree closely", async () => {
    const close = [
      { name: "exponential", f: (key: any) => random.exponential(key, [300]) },
      { name: "gumbel", f: (key: any) => random.gumbel(key, [300]) },
      { name: "truncatedNormal", f: (key: any) => random.truncatedNormal(key, -1, 2, [300]) },
    ];
    await all(close, async (c) => {
      const key = onWasm(k);
      const want = onWasm(() => c.f(key));
      return compare(c.f(devicePut(key, "webgpu")), want, { rtol: 1e-5, atol: 1e-5 });
    });
  });
}

// ---- memory, limits and errors

function registerMemory(): void {
  test("webgpu memory: freed arrays return their buffers to the pool", async () => {
    const step = () => tidy(() => { jnp.sin(jnp.ones([4096])).add(1); });
    step(); // the shared constant for `1` stays alive
    // A first round fills the pool: while a readback is in flight, buffers freed in the open
    // command buffer cannot be recycled yet, so how many a round needs depends on timing.
    for (let i = 0; i < 20; i++) step();
    // Arrays earlier tests dropped are freed by the FinalizationRegistry whenever this test yields:
    // collect them all first, so only this loop's allocations are compared.
    const settle = async () => {
      for (let i = 0; i < 3; i++) { (globalThis as { gc?: () => void }).gc?.(); await new Promise((r) => setTimeout(r, 0)); }
      await gpu().sync();
    };
    await settle();
    const before = gpu().stats();
    for (let i = 0; i < 20; i++) step();
    await settle();
    const after = gpu().stats();
    // No growth. (Less is possible: where gc() is not exposed, as in Deno, the finalizers of
    // arrays that earlier tests dropped may only run during the second settle.)
    assert.ok(after.liveBytes <= before.liveBytes, `live bytes grew from ${before.liveBytes} to ${after.liveBytes}`);
    assert.ok(after.liveBuffers <= before.liveBuffers, `live buffers grew from ${before.liveBuffers} to ${after.liveBuffers}`);
    assert.ok(after.reservedBytes <= before.reservedBytes + 4 * 16384, `reserved grew from ${before.reservedBytes} to ${after.reservedBytes}`);
  });

  test("webgpu: synchronous reads of computed arrays say to await data()", async () => {
    const small = jnp.array([1, 2, 3]);
    assert.equal(Array.from(small.dataSync()), [1, 2, 3]);
    const y = small.mul(2);
    assert.throws(() => y.dataSync(), (e: unknown) => e instanceof DeviceError && /await x\.data\(\)/.test(String(e)));
    assert.equal(Array.from(await y.data()), [2, 4, 6]);
    assert.equal(await y.toArrayAsync(), [2, 4, 6]);
  });

  test("webgpu control flow: host-known predicates and counters work, GPU-computed ones say why", async () => {
    const x = jnp.arange(4).astype("float32");
    const c = lax.cond(true, (v: any) => v.mul(2), (v: any) => v, x);
    assert.equal(Array.from(await c.data()), [0, 2, 4, 6]);
    const [, w] = lax.whileLoop(([i]: any[]) => i.lt(3), ([i, v]: any[]) => [i.add(1), jnp.sin(v).add(v)], [jnp.array(0), x]);
    const wantW = onWasm(() => lax.whileLoop(([i]: any[]) => i.lt(3), ([i, v]: any[]) => [i.add(1), jnp.sin(v).add(v)], [jnp.array(0), jnp.arange(4).astype("float32")])[1]);
    assert.is(await compare(w, wantW, { rtol: 1e-6, atol: 1e-6 }), null);
    const f = lax.foriLoop(0, 3, (_i: any, v: any) => v.mul(2), x);
    assert.equal(Array.from(await f.data()), [0, 8, 16, 24]);
    // A GPU-computed predicate: cond/switch run every branch and select on the GPU (no readback);
    // a while loop must read its predicate each step, which WebGPU cannot do synchronously.
    const pred = jnp.sum(jnp.ones([10]).mul(x.get(1))).gt(0);
    const branches = [(v: any) => v.mul(3), (v: any) => jnp.sin(v), (v: any) => v.add(1)];
    for (const [k, want] of [[-1, [0, 3, 6, 9]], [1, Array.from(onWasm(() => jnp.sin(jnp.arange(4).astype("float32"))).dataSync())], [7, [1, 2, 3, 4]]] as const) {
      const idx = jnp.sum(jnp.ones([2]).mul(k / 2)).astype("int32");
      const ib = (idx as any).buffer("test");
      assert.ok(!ib.backend.canReadSync(ib), "the index lives on the GPU only");
      assert.is(await compare(lax.switch(idx, branches, x), jnp.array(want as number[], { dtype: "float32" }), { rtol: 1e-6, atol: 1e-6 }), null, `switch ${k}`);
      assert.is(await compare(jit((i: any, v: any) => lax.switch(i, branches, v))(idx, x), jnp.array(want as number[], { dtype: "float32" }), { rtol: 1e-6, atol: 1e-6 }), null, `jit switch ${k}`);
    }
    assert.equal(Array.from(await lax.cond(pred, (v: any) => v.mul(2), (v: any) => v, x).data()), [0, 2, 4, 6]);
    const g = grad((v: any) => jnp.sum(lax.cond(pred, (u: any) => u.mul(u), (u: any) => u, v)))(x);
    assert.equal(Array.from(await g.data()), [0, 2, 4, 6]);
    assert.throws(() => lax.whileLoop(([i]: any[]) => i.lt(pred.astype("int32")), ([i, v]: any[]) => [i.add(1), v], [jnp.array(0), x]),
      (e: unknown) => e instanceof DeviceError && /await x\.data\(\)/.test(String(e)));
  });

  test("webgpu: mixing devices in one op says to devicePut", () => {
    const w = onWasm(() => jnp.ones([2]));
    assert.throws(() => jnp.add(w, jnp.ones([2])), (e: unknown) => e instanceof DeviceError && /devicePut/.test(String(e)));
  });

  test("webgpu: devicePut to the GPU and devicePutAsync back", async () => {
    const w = onWasm(() => jnp.arange(6).reshape([2, 3]));
    const g = devicePut(w, "webgpu");
    assert.is(g.device, "webgpu");
    const back = await devicePutAsync(g.mul(10), "wasm");
    assert.is(back.device, "wasm");
    assert.equal(back.toArray(), [[0, 10, 20], [30, 40, 50]]);
  });

  test("webgpu: arrays beyond the adapter's binding limit are refused, naming the limit", () => {
    const limit = gpu().limits.maxStorageBufferBindingSize;
    assert.throws(() => gpu().alloc(limit + 4), (e: unknown) => e instanceof OutOfMemoryError && /maxStorageBufferBindingSize/.test(String(e)));
  });

  test("webgpu: float64 runs on the host, in order with GPU work", async () => {
    const before = gpu().counters.hostFallbacks.sin ?? 0;
    const x = jnp.array([0.5, 1, 2], { dtype: "float64" });
    const y = jnp.sin(x).mul(2).astype("float32").add(1);
    const want = [0.5, 1, 2].map((v) => Math.fround(Math.sin(v) * 2 + 1));
    assert.equal(Array.from(await y.data()), want);
    assert.is(gpu().counters.hostFallbacks.sin, before + 1);
  });

  test("webgpu jit: a program is one submission, elementwise chains one fused kernel", async () => {
    const body = (x: any, y: any) => jnp.tanh(x.mul(y).add(1)).sub(jnp.exp(y)).mul(0.5);
    const f = jit(body);
    const xw = onWasm(() => jnp.linspace(-1, 1, 1000)), yw = onWasm(() => jnp.linspace(0, 2, 1000));
    const x = devicePut(xw, "webgpu"), y = devicePut(yw, "webgpu");
    await f(x, y).data();
    const c0 = { ...gpu().counters };
    const out = f(x, y);
    assert.is(gpu().counters.submits, c0.submits, "nothing submitted before the result is needed");
    assert.is(gpu().counters.dispatches - c0.dispatches, 1, "one fused dispatch");
    const got = await out.data();
    assert.is(gpu().counters.submits, c0.submits + 1);
    const want = onWasm(() => jit(body)(xw, yw)).dataSync();
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 2e-6, `${i}: ${got[i]} vs ${want[i]}`);
  });

  test("webgpu jit: a fused group wider than the binding limit runs op by op", async () => {
    const n = gpu().limits.maxStorageBuffersPerShaderStage + 2;
    const body = (...xs: any[]) => xs.reduce((a, b) => jnp.sin(a).add(b));
    const xw = onWasm(() => Array.from({ length: n }, (_, i) => jnp.full([64], i / n)));
    const got = jit(body)(...xw.map((x) => devicePut(x, "webgpu")));
    const want = onWasm(() => jit(body)(...xw));
    assert.is(await compare(got, want, { rtol: 1e-5, atol: 1e-6 }), null);
  });
}
