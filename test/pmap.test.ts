import { test } from "uvu";
import * as assert from "uvu/assert";
import { jnp, lax, pmap, vmap, grad, jit, config, devices, nn, optax, tree, valueAndGrad, DeviceError, ValueError, Array as JArray } from "../src/index.js";
import { main as dataParallel } from "../examples/data-parallel.js";
import { wasm } from "../src/backend/registry.js";
import { pmapDebug } from "../src/batching/pmap.js";
import { randArray, toNumbers } from "./helpers.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// Worker threads exist where the shared-memory build loaded (Node here); elsewhere pmap is batched.
const threadsBuild = wasm.variant.endsWith("threads");
const defaultThreads = config.get("numThreads");

config.update("cpuDeviceCount", 4);
const x = jnp.arange(8).reshape([4, 2]).astype("float32");

test("devices() lists the CPU devices pmap maps over", () => {
  assert.equal(devices().filter((d) => d.platform === "cpu").length, 4);
});

test("collectives: psum, pmean, pmax, pmin, allGather, axisIndex, ppermute", () => {
  const on = (f: (v: JArray) => JArray) => toNumbers(pmap(f, { axisName: "i" })(x) as JArray);
  assert.equal(on((v) => lax.psum(v, "i")), [12, 16, 12, 16, 12, 16, 12, 16]);
  assert.equal(on((v) => lax.pmean(v, "i")), [3, 4, 3, 4, 3, 4, 3, 4]);
  assert.equal(on((v) => lax.pmax(v, "i")), [6, 7, 6, 7, 6, 7, 6, 7]);
  assert.equal(on((v) => lax.pmin(v, "i")), [0, 1, 0, 1, 0, 1, 0, 1]);
  assert.equal(on((v) => lax.allGather(v, "i")).slice(0, 8), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(toNumbers(pmap((_v: JArray) => lax.axisIndex("i"), { axisName: "i" })(x) as JArray), [0, 1, 2, 3]);
  assert.equal(on((v) => lax.ppermute(v, "i", [[0, 1], [1, 2], [2, 3], [3, 0]])), [6, 7, 0, 1, 2, 3, 4, 5]);
  // vmap with an axis name supports the same collectives.
  assert.equal(toNumbers(vmap((v: JArray) => lax.psum(v, "j"), { axisName: "j" })(x) as JArray), [12, 16, 12, 16, 12, 16, 12, 16]);
});

test("pmap composes with grad, jit and vmap, and accepts pytrees", () => {
  const g = grad((w: JArray) => jnp.sum(pmap((v: JArray) => lax.pmean(jnp.multiply(v, w), "i"), { axisName: "i" })(x) as JArray))(jnp.array(2, { dtype: "float32" })) as JArray;
  assert.equal(g.item(), 28);
  const perDevice = pmap((p: { a: JArray }) => ({ s: lax.psum(p.a, "i") }), { axisName: "i" })({ a: x }) as { s: JArray };
  assert.equal(perDevice.s.shape, [4, 2]);
  const nested = jit(pmap((v: JArray) => vmap((u: JArray) => lax.psum(u, "i"))(v), { axisName: "i" }))(x) as JArray;
  assert.equal(toNumbers(nested), [12, 16, 12, 16, 12, 16, 12, 16]);
});

test("errors: too many devices, unbound axis name", () => {
  assert.throws(() => pmap((v: JArray) => v)(jnp.ones([8, 2])), (e: unknown) => e instanceof ValueError && /requires 8 logical devices, but only 4/.test(String(e)));
  assert.throws(() => lax.psum(x, "i"), /unbound axis name: i/);
  assert.throws(() => pmap((v: JArray) => lax.psum(v, "k"), { axisName: "i" })(x), /unbound axis name: k/);
});

test("data-parallel training over 4 devices equals single-device training on the full batch", () => {
  const r = dataParallel({ log: false });
  assert.equal(r.replicaSpread, 0);
  assert.ok(r.maxParamDiff < 1e-5, `params differ by ${r.maxParamDiff}`);
  assert.ok(r.loss < 0.5, `loss ${r.loss}`);
});

/** Runs g on the per-device (threads) path and the batched path; both results as flat bit patterns. */
function bothPaths(g: () => unknown): { threads: number[][]; batched: number[][]; mode: string; placement: number[] } {
  const bits = (r: unknown) => (tree.leaves(r) as JArray[]).map((a) => {
    const d = a.dataSync();
    return Array.from(d instanceof Float32Array ? new Uint32Array(d.buffer, d.byteOffset, d.length) : d instanceof Float64Array ? Array.from(d, (v) => v) : d as ArrayLike<number>);
  });
  pmapDebug.useThreads = true;
  const t = bits(g());
  const { mode, threads: placement } = pmapDebug.lastRun;
  pmapDebug.useThreads = false;
  try {
    return { threads: t, batched: bits(g()), mode, placement };
  } finally {
    pmapDebug.useThreads = true;
  }
}

test("per-device programs on worker threads: bit-identical to the batched path for every collective", () => {
  if (!threadsBuild) return;
  config.update("numThreads", 4);
  try {
    const v = randArray([4, 3, 5], -2, 2, "float32", 7);
    const cases: [string, (a: JArray) => unknown][] = [
      ["psum", (a) => lax.psum(jnp.exp(a), "i")],
      ["pmean", (a) => lax.pmean(jnp.tanh(a), "i")],
      ["pmax", (a) => lax.pmax(jnp.sin(a), "i")],
      ["pmin", (a) => lax.pmin(a, "i")],
      ["allGather", (a) => lax.allGather(jnp.multiply(a, 3), "i")],
      ["allGather tiled", (a) => lax.allGather(a, "i", { tiled: true })],
      ["ppermute", (a) => lax.ppermute(a, "i", [[0, 2], [2, 1], [1, 0]])],
      ["axisIndex", (a) => jnp.add(a, lax.axisIndex("i"))],
      ["int psum", (a) => lax.psum(a.astype("int32"), "i")],
      ["pytree", (a) => ({ s: lax.psum({ x: a, y: jnp.square(a) }, "i"), m: lax.pmean(jnp.sum(a), "i") })],
    ];
    for (const [name, f] of cases) {
      const r = bothPaths(() => pmap(f, { axisName: "i" })(v));
      assert.is(r.mode, "threads", `${name} ran on the per-device path`);
      assert.equal(r.threads, r.batched, `${name}: per-device programs differ from the batched path`);
    }
  } finally {
    config.update("numThreads", defaultThreads);
  }
});

test("shards run on different threads, one per device, in turn where devices outnumber threads", () => {
  if (!threadsBuild) return;
  const f = pmap((a: JArray) => lax.psum(jnp.square(a), "i"), { axisName: "i" });
  config.update("numThreads", 4);
  try {
    assert.equal(toNumbers(f(x) as JArray), [56, 84, 56, 84, 56, 84, 56, 84]);
    // Thread 0 is the calling thread; 1..3 are workers. All on one thread would give [0, 0, 0, 0].
    assert.equal(pmapDebug.lastRun, { mode: "threads", threads: [0, 1, 2, 3], reason: "" });
    config.update("numThreads", 2);
    assert.equal(toNumbers(f(x) as JArray), [56, 84, 56, 84, 56, 84, 56, 84]);
    assert.equal(pmapDebug.lastRun.threads, [0, 1, 0, 1]);
  } finally {
    config.update("numThreads", defaultThreads);
  }
});

test("fallback: one thread, or what cannot be recorded, runs batched with the same results", () => {
  const f = pmap((a: JArray) => lax.pmean(jnp.multiply(a, lax.axisIndex("i")), "i"), { axisName: "i" });
  const want = toNumbers(f(x) as JArray);
  config.update("numThreads", 1);
  try {
    assert.equal(toNumbers(f(x) as JArray), want);
    assert.is(pmapDebug.lastRun.mode, "batched");
  } finally {
    config.update("numThreads", defaultThreads);
  }
  // Control flow inside the shard runs a nested program: not recordable, so batched.
  const c = pmap((a: JArray) => lax.psum(lax.cond(jnp.greater(jnp.sum(a), 3), (u: JArray) => jnp.negative(u), (u: JArray) => u, a), "i"), { axisName: "i" });
  // Device 0's shard sums to 1 (kept), the others to 5, 9, 13 (negated).
  assert.equal(toNumbers(c(x) as JArray), [-12, -14, -12, -14, -12, -14, -12, -14]);
  assert.is(pmapDebug.lastRun.mode, "batched");
});

test("a failing device gives a clear error, not a hang, and the next call works", () => {
  if (!threadsBuild) return;
  const f = pmap((a: JArray) => lax.psum(a, "i"), { axisName: "i" });
  config.update("numThreads", 2);
  try {
    for (const dev of [1, 0]) {
      pmapDebug.faultDevice = dev;
      try {
        assert.throws(() => f(x), (e: unknown) => e instanceof DeviceError && new RegExp(`failed on thread ${dev}`).test(String(e)));
      } finally {
        pmapDebug.faultDevice = null;
      }
      assert.equal(toNumbers(f(x) as JArray), [12, 16, 12, 16, 12, 16, 12, 16]);
    }
    // A worker that died: the others stop waiting for it after the stall timeout.
    const stall = pmapDebug.stallMs;
    pmapDebug.stallMs = 300;
    try {
      (wasm.workerPool() as any).workers[0].terminate();
      const t0 = Date.now();
      assert.throws(() => f(x), (e: unknown) => e instanceof DeviceError && /stopped responding/.test(String(e)));
      assert.ok(Date.now() - t0 < 5000);
    } finally {
      pmapDebug.stallMs = stall;
    }
    assert.equal(toNumbers(f(x) as JArray), [12, 16, 12, 16, 12, 16, 12, 16]);
    assert.is(pmapDebug.lastRun.mode, "threads");
  } finally {
    config.update("numThreads", defaultThreads);
  }
});

test("per-device programs running at once keep their kernels' scratch apart", () => {
  // Column sums over more than 64 rows keep a pairwise stack in scratch memory (so do the tails of
  // transcendental loops). Every instance once used the same static block, so two devices summing
  // at the same time overwrote each other's partial sums: wrong results in a fraction of runs.
  if (!threadsBuild) return;
  config.update("numThreads", 2);
  try {
    const v = randArray([2, 40000, 67], -1, 1, "float32", 11);
    const f = pmap((a: JArray) => jnp.sum(a, { axis: 0 }));
    const bits = (r: unknown) => Array.from(new Uint32Array((r as JArray).dataSync().buffer));
    pmapDebug.useThreads = false;
    const batched = bits(f(v));
    pmapDebug.useThreads = true;
    for (let run = 0; run < 20; run++) {
      const r = bits(f(v));
      assert.equal(pmapDebug.lastRun.threads, [0, 1]);
      assert.ok(r.every((b, j) => b === batched[j]), `run ${run}: per-device column sums differ from the batched path`);
    }
  } finally {
    pmapDebug.useThreads = true;
    config.update("numThreads", defaultThreads);
  }
});

test("per-device path: a training step with grad inside pmap is bit-identical to the batched path", () => {
  const sizes = [12, 16, 10];
  const params = sizes.slice(0, -1).map((n, i) => ({ w: randArray([n, sizes[i + 1]], -0.5, 0.5, "float32", 3 + i), b: randArray([sizes[i + 1]], -0.1, 0.1, "float32", 9 + i) }));
  type P = typeof params;
  const mlp = (p: P, h: JArray) => p.reduce((a, l, i) => { const z = jnp.add(jnp.matmul(a, l.w), l.b); return i < p.length - 1 ? nn.relu(z) : z; }, h);
  const loss = (p: P, h: JArray, y: JArray) => jnp.mean(optax.softmaxCrossEntropyWithIntegerLabels(mlp(p, h), y));
  const opt = optax.adam(1e-2);
  const step = pmap((p: P, s: unknown, h: JArray, y: JArray) => {
    const [l, g] = valueAndGrad(loss)(p, h, y) as [JArray, P];
    const [u, s2] = opt.update(lax.pmean(g, "d"), s, p);
    return [optax.applyUpdates(p, u), s2, lax.pmean(l, "d")];
  }, { axisName: "d", inAxes: [null, null, 0, 0] });
  const h = randArray([4, 6, 12], -1, 1, "float32", 5);
  const y = jnp.array(Int32Array.from({ length: 24 }, (_, i) => (i * 7) % 10), { shape: [4, 6] });
  const r = bothPaths(() => step(params, opt.init(params), h, y));
  if (threadsBuild) assert.is(r.mode, "threads");
  assert.equal(r.threads, r.batched);
  // vmap of pmap and pmap of vmap compose (the outer transformation traces the batched program).
  const vp = vmap(pmap((a: JArray) => lax.psum(a, "i"), { axisName: "i" }))(jnp.stack([x, jnp.multiply(x, 2)])) as JArray;
  assert.equal(toNumbers(vp), [12, 16, 12, 16, 12, 16, 12, 16, 24, 32, 24, 32, 24, 32, 24, 32]);
  // outAxes 1 and an unmapped (null) input.
  const oa = pmap((a: JArray, b: JArray) => jnp.add(a, b), { inAxes: [0, null], outAxes: 1 })(x, jnp.array([10, 20])) as JArray;
  assert.equal(oa.shape, [2, 4]);
  assert.equal(toNumbers(oa), [10, 12, 14, 16, 21, 23, 25, 27]);
});

test("Deno and Bun: per-device programs on their workers", async () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const R = await import(pathToFileURL(join(root, "test/runtimes/runtimes.mjs")).href);
  const src = (p: string) => pathToFileURL(join(root, "build/src", p)).href;
  const dir = mkdtempSync(join(tmpdir(), "tinyjax-pmap-"));
  const script = join(dir, "pmap.mjs");
  writeFileSync(script, `import { jnp, lax, pmap, config } from ${JSON.stringify(src("index.js"))};
import { pmapDebug } from ${JSON.stringify(src("batching/pmap.js"))};
config.update("cpuDeviceCount", 4);
config.update("numThreads", 4);
const x = jnp.arange(8).reshape([4, 2]).astype("float32");
const r = pmap((v) => lax.ppermute(lax.psum(jnp.square(v), "i"), "i", [[0, 1], [1, 2], [2, 3], [3, 0]]), { axisName: "i" })(x);
console.log("RESULT " + JSON.stringify({ r: Array.from(r.dataSync()), run: pmapDebug.lastRun }));
`);
  const runtimes: [string, string | null, string[]][] = [["deno", R.findDeno(), ["run", "--allow-read"]], ["bun", R.findBun(), []]];
  for (const [name, bin, args] of runtimes) {
    if (!bin) { console.log(`  pmap on ${name}: skipped, no ${name} binary`); continue; }
    const p = spawnSync(bin, [...args, script], { encoding: "utf8", timeout: 60_000, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" } });
    const line = (p.stdout ?? "").split("\n").find((l) => l.startsWith("RESULT "));
    assert.ok(line, `${name}: no result (exit ${p.status}):\n${p.stdout}${p.stderr}`);
    const { r, run } = JSON.parse(line!.slice(7));
    assert.equal(r, [56, 84, 56, 84, 56, 84, 56, 84], name);
    assert.equal(run, { mode: "threads", threads: [0, 1, 2, 3], reason: "" }, name);
  }
});

/**
 * Serves the repository and, at /__pmap.html, a page whose module worker runs pmap on build/src
 * (a browser's main thread may not block, so tinyjax's threads build loads only in a worker).
 * With `isolated`, COOP/COEP make the page cross-origin isolated (SharedArrayBuffer exists).
 */
async function pmapInChromium(isolated: boolean): Promise<any> {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const worker = `import { jnp, lax, pmap, config } from "/build/src/index.js";
import { pmapDebug, startDeviceThreads } from "/build/src/batching/pmap.js";
try {
  config.update("cpuDeviceCount", 4);
  config.update("numThreads", 4);
  const started = await startDeviceThreads();
  const x = jnp.arange(8).reshape([4, 2]).astype("float32");
  const r = pmap((v) => lax.allGather(lax.psum(jnp.square(v), "i"), "i"), { axisName: "i" })(x);
  postMessage({ r: Array.from(r.dataSync()).slice(0, 8), run: pmapDebug.lastRun, sab: typeof SharedArrayBuffer !== "undefined", started });
} catch (e) { postMessage({ error: String(e && e.stack || e) }); }`;
  const page = `<!doctype html><script type="module">
const w = new Worker("/__pmap-worker.js", { type: "module" });
w.onmessage = (e) => { window.__pmap = e.data; };
w.onerror = (e) => { window.__pmap = { error: String(e.message) }; };
</script>`;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const headers: Record<string, string> = isolated ? { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" } : {};
    let body: string | Buffer | null = path === "/__pmap.html" ? page : path === "/__pmap-worker.js" ? worker : null;
    if (body === null && path.startsWith("/build/") && !path.includes("..")) body = (() => { try { return readFileSync(join(root, path)); } catch { return null; } })();
    if (body === null) { res.writeHead(404, headers).end(); return; }
    res.writeHead(200, { ...headers, "Content-Type": path.endsWith(".html") ? "text/html" : "text/javascript" }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const { withChromium, waitForValue } = await import(pathToFileURL(join(root, "test/runtimes/chromium.mjs")).href);
    return await withChromium(async (context: any) => {
      const p = await context.newPage();
      await p.goto(`http://127.0.0.1:${(server.address() as any).port}/__pmap.html`);
      return waitForValue(p, () => (window as any).__pmap, { timeout: 60_000 });
    });
  } finally {
    server.close();
  }
}

test("headless Chromium: per-device programs in a cross-origin-isolated worker, batched without SharedArrayBuffer", async () => {
  const { chromiumAvailable } = await import(pathToFileURL(fileURLToPath(new URL("../../test/runtimes/chromium.mjs", import.meta.url))).href);
  if (!chromiumAvailable()) { console.log("  pmap in Chromium: skipped, no Chromium"); return; }
  const want = [56, 84, 56, 84, 56, 84, 56, 84];
  const iso = await pmapInChromium(true);
  assert.is(iso.error, undefined, iso.error);
  assert.equal(iso.r, want);
  assert.is(iso.started, 4);
  assert.equal(iso.run, { mode: "threads", threads: [0, 1, 2, 3], reason: "" });
  const plain = await pmapInChromium(false);
  assert.is(plain.error, undefined, plain.error);
  assert.is(plain.sab, false);
  assert.is(plain.started, 1);
  assert.equal(plain.r, want);
  assert.is(plain.run.mode, "batched");
});

test.run();
