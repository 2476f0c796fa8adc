// The runtime smoke suite: one plain ESM module, no imports, no Node or DOM API, so the same file
// runs on Node, Deno, Bun, an edge-like Node with its globals hidden, and in Chromium. A driver
// imports the bundle (dist/tinyjax.js or dist/tinyjax.min.js) and passes its namespace in:
//
//   const result = await runSmoke(await import(bundleUrl), { device: "wasm" });
//   // { ok, passed, failed, device, variant, checks: [{ name, ok, ms, error? }] }
//
// Each check compares against fixed numbers (JAX's own for the PRNG), so a runtime that computes
// anything differently fails, not just one that throws.

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// Results are read asynchronously everywhere (x.toArrayAsync(), x.data()): WebGPU has no
// synchronous read, and the same checks run on every device.
const read = (x) => x.toArrayAsync();
const num = async (x) => (await x.data())[0];

// Float32 on a GPU differs from the Wasm kernels in the last bits (other transcendental
// implementations, other summation orders): tolerances are looser there.
let looseTol = 0;

function close(got, want, tol = 1e-5, what = "value") {
  tol = Math.max(tol, looseTol);
  const g = Array.isArray(got) ? got.flat(Infinity) : [got];
  const w = Array.isArray(want) ? want.flat(Infinity) : [want];
  assert(g.length === w.length, `${what}: expected ${w.length} numbers, got ${g.length}`);
  for (let i = 0; i < g.length; i++) {
    const ok = Math.abs(g[i] - w[i]) <= tol * Math.max(1, Math.abs(w[i]));
    assert(ok, `${what}: [${g.join(", ")}] != [${w.join(", ")}] (element ${i})`);
  }
}

function same(got, want, what) {
  assert(JSON.stringify(got) === JSON.stringify(want), `${what}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
}

function dispose(tree, tj) {
  for (const leaf of tj.tree.leaves(tree)) leaf.dispose?.();
}

/** The checks, in order. Each takes the package namespace. */
export const checks = {
  async arrays(tj) {
    const { jnp } = tj;
    const x = jnp.arange(6).reshape([2, 3]).astype("float32");
    same(x.shape, [2, 3], "shape");
    same(x.dtype, "float32", "dtype");
    close(await read(x.T.matmul(x)), [[9, 12, 15], [12, 17, 22], [15, 22, 29]], 1e-6, "x.T @ x");
    close(await read(x.sum({ axis: 0 })), [3, 5, 7], 1e-6, "sum(axis=0)");
    close(await read(x.get(-1, "::2")), [3, 5], 0, "x[-1, ::2]");
    close(await read(x.at(0, 0).set(100).get(0)), [100, 1, 2], 0, "x.at[0, 0].set");
    close(await read(jnp.exp(jnp.array([0, 1], { dtype: "float32" }))), [1, Math.E], 1e-6, "exp");
    same(jnp.array([1, 2, 3]).dtype, "int32", "integer literals are int32");
    const y = tj.tidy(() => x.mul(2).add(1).sum());
    close(await num(y), 36, 1e-6, "tidy result");
    // Printing reads synchronously, so only where that is possible (not WebGPU).
    if (tj.defaultDevice() !== "webgpu") {
      const s = String(jnp.array([1.5, 2], { dtype: "float32" }));
      assert(s === "[1.5 2. ]", `str(): ${s}`);
    }
  },

  async grad(tj) {
    const { jnp, grad, valueAndGrad } = tj;
    const f = (x) => jnp.sum(jnp.sin(x).mul(x));
    const xs = [0.1, 0.5, 1.0, 2.0];
    const g = grad(f)(jnp.array(xs, { dtype: "float32" }));
    close(await read(g), xs.map((v) => Math.sin(v) + v * Math.cos(v)), 1e-5, "d/dx sum(sin(x) x)");
    const [v, gw] = valueAndGrad((p) => jnp.square(p.w.mul(3).sub(1)).sum())({ w: jnp.array([1, 2], { dtype: "float32" }) });
    close(await num(v), 4 + 25, 1e-6, "valueAndGrad value");
    close(await read(gw.w), [12, 30], 1e-6, "valueAndGrad grad");
    close(await num(grad(grad(jnp.tanh))(0.5)), -2 * Math.tanh(0.5) * (1 - Math.tanh(0.5) ** 2), 1e-5, "second derivative of tanh");
  },

  async jit(tj) {
    const { jnp, jit } = tj;
    const f = jit((x, y) => jnp.tanh(x.matmul(y)).mul(2).add(1));
    const a = jnp.linspace(-1, 1, 6).reshape([2, 3]);
    const b = jnp.linspace(0, 1, 3);
    const eager = await read(jnp.tanh(a.matmul(b)).mul(2).add(1));
    close(await read(f(a, b)), eager, 1e-5, "jit == eager");
    close(await read(f(a.mul(0.5), b)), await read(jnp.tanh(a.mul(0.5).matmul(b)).mul(2).add(1)), 1e-5, "jit second call");
    if (typeof f.traceCount === "number") assert(f.traceCount === 1, `jit traced ${f.traceCount} times for one shape`);
    const jaxpr = String(tj.makeJaxpr((x) => jnp.sin(x).mul(2))(jnp.ones([3])));
    assert(/sin/.test(jaxpr) && /mul/.test(jaxpr), `makeJaxpr printed:\n${jaxpr}`);
  },

  async vmap(tj) {
    const { jnp, vmap, grad } = tj;
    const xs = jnp.arange(12).reshape([4, 3]).astype("float32");
    const w = jnp.array([1, -1, 0.5], { dtype: "float32" });
    const batched = vmap((x) => jnp.dot(x, w))(xs);
    close(await read(batched), [0 - 1 + 1, 3 - 4 + 2.5, 6 - 7 + 4, 9 - 10 + 5.5], 1e-6, "vmap(dot)");
    // Per-example gradients: d/dw sum(sin(w * x)) for each row x.
    const pe = vmap(grad((wv, x) => jnp.sum(jnp.sin(wv.mul(x)))), { inAxes: [null, 0] })(w, xs);
    same(pe.shape, [4, 3], "per-example gradient shape");
    const rows = await read(xs);
    close(await read(pe), rows.map((r) => r.map((xv, j) => xv * Math.cos([1, -1, 0.5][j] * xv))), 1e-4, "per-example gradients");
  },

  async random(tj) {
    const { random } = tj;
    const k = random.key(0);
    // JAX's values (default threefry, partitionable scheme).
    same(await read(random.split(k)), [[1797259609, 2579123966], [928981903, 3453687069]], "random.split(key(0))");
    close(await read(random.uniform(k, [3])), [0.947667, 0.9785799, 0.33229148], 1e-6, "random.uniform(key(0), [3])");
    const n = random.normal(random.key(1), [2000]);
    const mean = await num(n.mean()), std = await num(n.std());
    assert(Math.abs(mean) < 0.1 && Math.abs(std - 1) < 0.1, `normal: mean ${mean}, std ${std}`);
    const [a, b] = random.split(random.key(7));
    assert(await num(random.bits(a)) !== await num(random.bits(b)), "split keys give different bits");
  },

  async train(tj) {
    // A two-layer MLP on XOR-like points: one jit-compiled step of valueAndGrad + optax.adam, as
    // JAX users write it.
    const { jnp, random, jit, valueAndGrad, optax } = tj;
    const [k1, k2, kx] = random.split(random.key(0), 3);
    const x = random.uniform(kx, [64, 2], { minval: -1, maxval: 1 });
    const y = jnp.where(jnp.greater(jnp.prod(x, { axis: 1 }), 0), 1, 0).astype("float32");
    let params = {
      w1: random.normal(k1, [2, 16]).mul(0.7), b1: jnp.zeros([16]),
      w2: random.normal(k2, [16]).mul(0.25), b2: jnp.zeros([]),
    };
    const logits = (p, xb) => jnp.tanh(xb.matmul(p.w1).add(p.b1)).matmul(p.w2).add(p.b2);
    const loss = (p, xb, yb) => jnp.mean(optax.sigmoidBinaryCrossEntropy(logits(p, xb), yb));
    const opt = optax.adam(0.05);
    const step = jit((p, s, xb, yb) => {
      const [l, g] = valueAndGrad(loss)(p, xb, yb);
      const [updates, s2] = opt.update(g, s, p);
      return [l, optax.applyUpdates(p, updates), s2];
    });
    let state = opt.init(params);
    const losses = [];
    for (let i = 0; i < 60; i++) {
      const [l, p2, s2] = step(params, state, x, y);
      dispose([params, state], tj);
      params = p2;
      state = s2;
      losses.push(await num(l));
      l.dispose();
    }
    assert(losses.every(Number.isFinite), `non-finite loss: ${losses}`);
    assert(losses.at(-1) < 0.6 * losses[0], `loss did not fall: ${losses[0].toFixed(4)} -> ${losses.at(-1).toFixed(4)}`);
    const acc = await num(jnp.mean(jnp.equal(logits(params, x).gt(0), y.gt(0.5)).astype("float32")));
    assert(acc >= 0.8, `training accuracy ${acc}`);
  },

  async names(tj) {
    // Names the library reads from its classes must survive minification (error.name is the
    // class name; haiku names a module after its class).
    const { jnp, haiku, random, ShapeError } = tj;
    let err = null;
    try { jnp.ones([2]).add(jnp.ones([3])); } catch (e) { err = e; }
    assert(err instanceof ShapeError && err.name === "ShapeError" && String(err).startsWith("ShapeError: add:"), `error name: ${err}`);
    const f = haiku.transform((x) => new haiku.Linear(2).call(x));
    const params = f.init(random.key(0), jnp.ones([1, 3]));
    same(Object.keys(params), ["linear"], "haiku module name");
    dispose(params, tj);
  },

  async memory(tj) {
    const { jnp, tidy, memoryStats } = tj;
    const body = () => { jnp.ones([64, 64]).matmul(jnp.ones([64, 64])).sum(); };
    tidy(body); // the first run may create constants the library keeps for reuse
    const before = memoryStats().liveBytes;
    for (let i = 0; i < 50; i++) tidy(body);
    const after = memoryStats().liveBytes;
    assert(after === before, `tidy leaked: ${before} -> ${after} live bytes`);
  },
};

/**
 * Runs every check on one device (default: the current default device) and returns a summary.
 * Never throws: a failing check is recorded with its message.
 */
export async function runSmoke(tj, { device, only } = {}) {
  const names = Object.keys(checks).filter((n) => !only || only.includes(n));
  const prev = device ? tj.defaultDevice(device) : undefined;
  looseTol = (device ?? tj.defaultDevice()) === "webgpu" ? 2e-4 : 0;
  const results = [];
  try {
    for (const name of names) {
      const t0 = performance.now();
      try {
        await checks[name](tj);
        results.push({ name, ok: true, ms: Math.round(performance.now() - t0) });
      } catch (e) {
        results.push({ name, ok: false, ms: Math.round(performance.now() - t0), error: String(e && e.stack || e) });
      }
    }
  } finally {
    if (prev !== undefined) tj.defaultDevice(prev);
  }
  const stats = tj.memoryStats();
  const failed = results.filter((r) => !r.ok).length;
  return {
    ok: failed === 0,
    passed: results.length - failed,
    failed,
    device: device ?? tj.defaultDevice(),
    variant: stats.wasmVariant,
    checks: results,
  };
}

/** Runs the suite on every device `init()` reports (wasm always; webgpu where it exists). */
export async function runSmokeAll(tj, opts = {}) {
  const devices = await tj.init();
  const runs = [];
  for (const device of devices) runs.push(await runSmoke(tj, { ...opts, device }));
  return { ok: runs.every((r) => r.ok), devices, runs };
}

/** One line per check, for logs. */
export function describe(summary) {
  const lines = [];
  for (const r of summary.runs) {
    lines.push(`${r.device}${r.device === "wasm" ? ` (${r.variant})` : ""}: ${r.passed} passed, ${r.failed} failed`);
    for (const c of r.checks) lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.name} (${c.ms} ms)${c.ok ? "" : "\n" + c.error}`);
  }
  return lines.join("\n");
}
