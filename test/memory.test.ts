import { test } from "uvu";
import * as assert from "uvu/assert";
import { jnp, nn, lax, random, grad, vmap, jit, jvp, tidy, memoryStats, config, OutOfMemoryError, DisposedArrayError, Array as JArray } from "../src/index.js";

const live = () => memoryStats().liveBytes;

test("tidy frees everything but the result, and nests", () => {
  const body = () => {
    const a = jnp.ones([100]);
    const b = a.add(1);
    const inner = tidy(() => b.mul(2).add(a));
    return { inner, sum: jnp.sum(inner) };
  };
  // The first run creates the shared constants for the JS numbers 1 and 2 (kept for reuse).
  const warm = tidy(body);
  warm.inner.dispose();
  warm.sum.dispose();
  const before = live();
  const kept = tidy(body);
  assert.equal(kept.sum.item(), 500);
  assert.ok(live() > before);
  kept.inner.dispose();
  kept.sum.dispose();
  assert.equal(live(), before);
});

test("tidy frees on throw", () => {
  const before = live();
  assert.throws(() => tidy(() => { jnp.ones([1000]); throw new Error("boom"); }), /boom/);
  assert.equal(live(), before);
});

test("dispose, using-style Symbol.dispose, and use after dispose", () => {
  const x = jnp.arange(5);
  const y = x.reshape([5, 1]); // shares the buffer; still valid after x is disposed
  x[Symbol.dispose]();
  assert.equal((y as any).dataSync().length, 5);
  assert.throws(() => x.add(1), (e: unknown) => e instanceof DisposedArrayError && /add/.test((e as Error).message));
  y.dispose();
  y.dispose(); // idempotent
});

test("100,000 add/matmul steps inside tidy keep live bytes flat", () => {
  let w = jnp.ones([8, 8]).mul(0.01);
  const x = jnp.ones([4, 8]);
  const before = live();
  for (let i = 0; i < 100_000; i++) {
    const next = tidy(() => w.add(jnp.matmul(x, w).sum().mul(1e-9)));
    w.dispose();
    w = next;
    if (i % 20_000 === 0) assert.ok(live() <= before + 1024, `step ${i}: live ${live()} vs ${before}`);
  }
  assert.ok(live() <= before + 1024);
  assert.ok(Number.isFinite((jnp.sum(w).item() as number)));
});

test("without tidy, yielding to the event loop keeps memory bounded (FinalizationRegistry)", async () => {
  const x = jnp.ones([256]);
  const start = memoryStats().reservedBytes;
  let peak = 0;
  for (let i = 0; i < 100_000; i++) {
    x.add(i).mul(2);
    if (i % 1000 === 0) {
      await new Promise((r) => setTimeout(r));
      peak = Math.max(peak, live());
    }
  }
  (globalThis as any).gc?.();
  await new Promise((r) => setTimeout(r, 10));
  // 400,000 temporaries of 1 KiB each would be ~400 MiB; collection keeps it far lower.
  assert.ok(peak < 128 * 1024 * 1024, `peak live ${peak}`);
  assert.ok(memoryStats().reservedBytes - start < 128 * 1024 * 1024);
});

test("a tidy loop over big arrays adds no GC pressure (frees count against it)", async () => {
  const { PerformanceObserver, constants } = await import("node:perf_hooks");
  const a = jnp.ones([4 << 20]), b = jnp.ones([4 << 20]);
  tidy(() => a.add(b)).dispose();
  (globalThis as any).gc?.();
  await new Promise((r) => setTimeout(r, 10));
  let major = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as any).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major++;
  });
  obs.observe({ entryTypes: ["gc"] });
  // 1 GiB allocated and freed, 16 MiB at a time: counting allocations attached a 64 MiB
  // ArrayBuffer to every fourth output, and each one started a major collection.
  for (let i = 0; i < 64; i++) tidy(() => a.add(b)).dispose();
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  a.dispose();
  b.dispose();
  assert.ok(major <= 2, `${major} major GCs`);
});

test("a loop that never frees ends in a clear OutOfMemoryError, not a trap", () => {
  const limit = config.get("wasmMemoryLimit");
  config.update("wasmMemoryLimit", memoryStats().reservedBytes + 32 * 1024 * 1024);
  const keep: JArray[] = [];
  let err: unknown;
  try {
    for (let i = 0; i < 1_000_000; i++) keep.push(jnp.ones([4096]).add(i));
  } catch (e) {
    err = e;
  } finally {
    for (const k of keep) k.dispose();
    config.update("wasmMemoryLimit", limit);
  }
  assert.ok(err instanceof OutOfMemoryError, String(err));
  assert.match((err as Error).message, /Out of memory/);
  assert.match((err as Error).message, /tidy/);
  // The library still works afterwards.
  assert.equal(jnp.ones([3]).sum().item(), 3);
});

test("public functions free their own temporaries: disposing the result leaves nothing (no tidy needed)", () => {
  const x = jnp.array([0.5, -1, 2, 3]), k = random.key(0), mask = x.gt(0), m = jnp.ones([3, 4]);
  const calls: [string, () => unknown][] = [
    ["jnp.mod", () => jnp.mod(x, 2)], ["method", () => x.mod(2)], ["x.get mask", () => x.get(mask)],
    ["x.get out of range", () => x.get(7)], ["x.at().add", () => x.at(1).add(3)], ["jnp.linalg.norm", () => jnp.linalg.norm(x)],
    ["nn.logsumexp with b", () => nn.logsumexp(x, { b: x })], ["jnp.nonzero", () => jnp.nonzero(x)],
    ["random.normal", () => random.normal(k, [3])], ["lax.scan", () => lax.scan((c: JArray, v: JArray) => [c.add(v), c.mul(v)], 0.5, x)],
    ["vmap", () => vmap((v: JArray) => jnp.sin(v).mul(2))(m)], ["jit", () => jit((v: JArray) => jnp.sin(v).mul(2))(x)],
    ["vmap of grad", () => vmap(grad((v: JArray) => jnp.sum(jnp.sin(v))))(m)],
  ];
  const free = (r: unknown): void => { if (r instanceof JArray) r.dispose(); else if (Array.isArray(r)) r.forEach(free); };
  for (const [name, f] of calls) {
    free(f()); // warm caches (packed weights, compiled programs) first
    const before = memoryStats().liveArrays;
    for (let i = 0; i < 20; i++) free(f());
    assert.equal(memoryStats().liveArrays - before, 0, name);
  }
  // Results still escape into an enclosing tidy() as before, and aliases stay one function.
  const kept = tidy(() => jnp.mod(x, 2));
  assert.equal(kept.toArray(), [0.5, 1, 0, 1]);
  assert.is(jnp.trueDivide, jnp.divide);
  assert.is(jnp.mod.name, "mod");
  for (const a of [x, k, mask, m, kept]) a.dispose();
});

test("tidy inside vmap and jvp keeps what the traced result holds (its values lived in the scope)", () => {
  const x = jnp.ones([2, 3]);
  assert.equal(vmap((v: JArray) => tidy(() => jnp.sin(v).mul(2)))(x).toArray(), jnp.sin(x).mul(2).toArray());
  const [, t] = jvp((v: JArray) => tidy(() => jnp.sin(v).mul(2)), [x], [jnp.onesLike(x)]);
  assert.equal(t.toArray(), jnp.cos(x).mul(2).toArray());
});

test.run();
