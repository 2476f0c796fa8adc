// haiku's layers against dm-haiku: parameter trees (names, shapes), values vs numpy goldens of
// haiku's formulas (test/goldens/make_haiku_goldens.py) from the same parameters, gradients vs
// central differences, jit vs eager, vmap vs a loop, the unrolls vs a manual loop, and errors.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { jnp, nn, grad, jit, vmap, haiku as hk, random, tree, ValueError, Array as JArray } from "../src/index.js";
import { maxRelErr, randArray, toNumbers } from "./helpers.js";

type Enc = { shape: number[]; data: number[] };
const G: Record<string, Record<string, any>> = JSON.parse(readFileSync(new URL("../../test/goldens/haiku.json", import.meta.url), "utf8"));
const dec = (e: Enc, dtype: "float32" | "int32" | "bool" = "float32") =>
  dtype === "bool" ? jnp.array(e.data.map((v) => v !== 0), { dtype: "bool" }).reshape(e.shape) : jnp.array(Float64Array.from(e.data), { dtype }).reshape(e.shape);
const params = (c: Record<string, any>) => tree.map((e: Enc) => dec(e), c.params, { isLeaf: (v: unknown) => !!v && typeof v === "object" && "data" in (v as object) });
const key = random.key(0);
const isValueError = (e: unknown) => e instanceof ValueError;
const close = (got: JArray, want: Enc | number[], tol = 2e-5, msg = "") => {
  const w = Array.isArray(want) ? want : want.data;
  if (!Array.isArray(want)) assert.equal(got.shape, want.shape, `${msg} shape`);
  const g = toNumbers(got);
  assert.ok(maxRelErr(g, w) < tol, `${msg} err ${maxRelErr(g, w)} got ${g.slice(0, 5)} want ${w.slice(0, 5)}`);
};
const shapes = (p: Record<string, Record<string, JArray>>) => tree.map((a: JArray) => a.shape, p, { isLeaf: (v: unknown) => v instanceof JArray });

// ---- parameter trees as haiku names and shapes them

test("param trees: names and shapes as haiku's", () => {
  const cases: [() => unknown, JArray, object][] = [
    [() => hk.LayerNorm(-1, true, true), jnp.ones([2, 3, 4]), { layer_norm: { scale: [4], offset: [4] } }],
    [() => hk.LayerNorm(-1, true, false, { paramAxis: [1, 2] }), jnp.ones([2, 3, 4]), { layer_norm: { scale: [1, 3, 4] } }],
    [() => hk.RMSNorm(-1), jnp.ones([2, 5]), { rms_norm: { scale: [5] } }],
    [() => hk.GroupNorm(2), jnp.ones([2, 3, 3, 4]), { group_norm: { scale: [4], offset: [4] } }],
    [() => hk.GroupNorm(2, null, true, true, 1e-5, null, null, "NCHW"), jnp.ones([2, 4, 3, 3]), { group_norm: { scale: [4, 1, 1], offset: [4, 1, 1] } }],
    [() => hk.Conv1D(4, 3), jnp.ones([2, 7, 3]), { conv1_d: { w: [3, 3, 4], b: [4] } }],
    [() => hk.Conv2D(6, 3, 1, 2, "SAME", true, null, null, "NHWC", null, 2), jnp.ones([1, 5, 5, 4]), { conv2_d: { w: [3, 3, 2, 6], b: [6] } }],
    [() => hk.Conv3D({ outputChannels: 3, kernelShape: 2, dataFormat: "NCDHW" }), jnp.ones([1, 2, 4, 4, 4]), { conv3_d: { w: [2, 2, 2, 2, 3], b: [3, 1, 1, 1] } }],
    [() => hk.Conv2DTranspose(3, 3, 2), jnp.ones([1, 3, 3, 2]), { conv2_d_transpose: { w: [3, 3, 3, 2], b: [3] } }],
    [() => hk.DepthwiseConv2D({ channelMultiplier: 3, kernelShape: [2, 3], dataFormat: "NCHW" }), jnp.ones([1, 2, 5, 5]), { depthwise_conv2_d: { w: [2, 3, 1, 6], b: [6, 1, 1] } }],
    [() => hk.Bias(), jnp.ones([1, 2, 3, 4]), { bias: { b: [2, 3, 4] } }],
    [() => hk.Bias({ biasDims: [1] }), jnp.ones([1, 2, 3, 4]), { bias: { b: [2, 1, 1] } }],
    [() => hk.Bias(null, [-1]), jnp.ones([1, 2, 3, 4]), { bias: { b: [4] } }],
    [() => hk.Bias(null, []), jnp.ones([1, 2, 3, 4]), { bias: { b: [] } }],
    [() => hk.MLP([3, 2]), jnp.ones([1, 4]), { "mlp/~/linear_0": { w: [4, 3], b: [3] }, "mlp/~/linear_1": { w: [3, 2], b: [2] } }],
  ];
  for (const [make, x, want] of cases) {
    const f = hk.transform((x: JArray) => (make() as any).call(x));
    assert.equal(shapes(f.init(key, x)), want);
  }
  const e = hk.transform((ids: JArray) => hk.Embed(5, 3).call(ids)).init(key, jnp.array([1, 2]));
  assert.equal(shapes(e), { embed: { embeddings: [5, 3] } });
  assert.equal(e.embed.embeddings.dtype, "float32");
});

test("param trees: modules made in call are 'parent/name' (MHA, RNN cores), in the constructor 'parent/~/name'", () => {
  const mha = hk.transform((q: JArray) => hk.MultiHeadAttention(2, 3, { wInit: hk.initializers.VarianceScaling(1), valueSize: 2, modelSize: 5 }).call(q, q, q));
  assert.equal(shapes(mha.init(key, jnp.ones([3, 4]))), {
    "multi_head_attention/query": { w: [4, 6], b: [6] }, "multi_head_attention/key": { w: [4, 6], b: [6] },
    "multi_head_attention/value": { w: [4, 4], b: [4] }, "multi_head_attention/linear": { w: [4, 5], b: [5] },
  });
  const x = jnp.ones([2, 3]);
  const rnn = hk.transform((x: JArray) => { const c = hk.VanillaRNN(4); return c.call(x, c.initialState(2)); });
  assert.equal(shapes(rnn.init(key, x)), { "vanilla_rnn/linear": { w: [3, 4], b: [4] }, "vanilla_rnn/linear_1": { w: [4, 4], b: [4] } });
  const lstm = hk.transform((x: JArray) => { const c = hk.LSTM(4); return c.call(x, c.initialState(2)); });
  assert.equal(shapes(lstm.init(key, x)), { "lstm/linear": { w: [7, 16], b: [16] } });
  const gru = hk.transform((x: JArray) => { const c = hk.GRU(4); return c.call(x, c.initialState(2)); });
  assert.equal(shapes(gru.init(key, x)), { gru: { w_i: [3, 12], w_h: [4, 12], b: [12] } });
  const deep = hk.transform((x: JArray) => { const c = hk.DeepRNN([hk.LSTM(4), nn.relu, hk.GRU(2)]); return c.call(x, c.initialState(2)); });
  const dp = deep.init(key, x);
  assert.equal(Object.keys(dp).sort(), ["gru", "lstm/linear"]);
  // A module's call run twice (as an unroll does) makes the same inner names, so parameters are shared.
  const twice = hk.transform((x: JArray) => { const c = hk.LSTM(4); const s = c.initialState(2); return c.call(x, c.call(x, s)[1]); });
  assert.equal(Object.keys(twice.init(key, x)), ["lstm/linear"]);
  // Sequential holds modules made outside it.
  const seq = hk.transform((x: JArray) => hk.Sequential([hk.Linear(3), nn.relu, hk.Linear(2)]).call(x));
  assert.equal(Object.keys(seq.init(key, x)).sort(), ["linear", "linear_1"]);
});

test("default initializers: LayerNorm ones/zeros, Conv TruncatedNormal(1/sqrt(fan_in)), GRU VarianceScaling, Embed TruncatedNormal(1)", () => {
  const p = hk.transform((x: JArray) => hk.LayerNorm(-1, true, true).call(x)).init(key, jnp.ones([2, 3]));
  assert.equal(toNumbers(p.layer_norm.scale), [1, 1, 1]);
  assert.equal(toNumbers(p.layer_norm.offset), [0, 0, 0]);
  const c = hk.transform((x: JArray) => hk.Conv1D(2, 3).call(x)).init(key, jnp.ones([1, 5, 4]));
  const [, k1] = random.split(key);
  close(c.conv1_d.w, toNumbers(jnp.multiply(random.truncatedNormal(k1, -2, 2, [3, 4, 2]), 1 / Math.sqrt(12))), 1e-6);
  const e = hk.transform((ids: JArray) => hk.Embed(5, 3).call(ids)).init(key, jnp.array([1]));
  close(e.embed.embeddings, toNumbers(random.truncatedNormal(k1, -2, 2, [5, 3])), 1e-6);
});

test("InstanceNorm normalizes each example's spatial axes per channel (haiku's LayerNorm over slice(1, -1))", () => {
  const x = randArray([2, 3, 3, 4], -1, 1, "float32", 51);
  const f = hk.transform((x: JArray) => hk.InstanceNorm(true, true).call(x));
  const p = f.init(key, x);
  assert.equal(shapes(p), { instance_norm: { scale: [4], offset: [4] } });
  const m = jnp.mean(x, { axis: [1, 2], keepdims: true }), v = jnp.var(x, { axis: [1, 2], keepdims: true });
  close(f.apply(p, null, x), toNumbers(jnp.divide(jnp.subtract(x, m), jnp.sqrt(jnp.add(v, 1e-5)))), 1e-5);
  const c = hk.transform((x: JArray) => hk.InstanceNorm({ createScale: true, createOffset: false, dataFormat: "NCHW" }).call(x));
  assert.equal(shapes(c.init(key, x)), { instance_norm: { scale: [1, 3, 1, 1] } });
});

// ---- values vs goldens

const apply = (fn: (...a: any[]) => any, p: object, ...args: unknown[]) => hk.transform(fn).apply(p as any, null, ...args);

test("values vs numpy goldens of haiku's formulas", () => {
  const run: Record<string, (c: Record<string, any>) => JArray | JArray[]> = {
    layer_norm: (c) => apply((x) => hk.LayerNorm(-1, true, true).call(x), params(c), dec(c.x)),
    layer_norm_axes: (c) => apply((x) => hk.LayerNorm({ axis: [1, 2], createScale: true, createOffset: true, eps: 1e-3 }).call(x), params(c), dec(c.x)),
    rms_norm: (c) => apply((x) => hk.RMSNorm(-1).call(x), params(c), dec(c.x)),
    group_norm: (c) => apply((x) => hk.GroupNorm(2).call(x), params(c), dec(c.x)),
    group_norm_nchw: (c) => apply((x) => hk.GroupNorm(2, { dataFormat: "channels_first" }).call(x), params(c), dec(c.x)),
    embed: (c) => apply((i) => hk.Embed(5, 3).call(i), params(c), dec(c.ids, "int32")),
    bias: (c) => apply((x) => hk.Bias({ biasDims: [1] }).call(x), params(c), dec(c.x)),
    conv1d: (c) => apply((x) => hk.Conv1D(4, 3, 2).call(x), params(c), dec(c.x)),
    conv3d: (c) => apply((x) => hk.Conv3D(3, 2, { padding: "VALID" }).call(x), params(c), dec(c.x)),
    conv2d_rate_groups: (c) => apply((x) => hk.Conv2D(6, 3, { rate: 2, featureGroupCount: 2 }).call(x), params(c), dec(c.x)),
    depthwise_conv2d: (c) => apply((x) => hk.DepthwiseConv2D(2, 3, 2).call(x), params(c), dec(c.x)),
    conv2d_nchw: (c) => apply((x) => hk.Conv2D(3, [3, 3], 2, 1, "VALID", true, null, null, "NCHW").call(x), params(c), dec(c.x)),
    conv2d_transpose_SAME: (c) => apply((x) => hk.Conv2DTranspose(3, 3, 2).call(x), params(c), dec(c.x)),
    conv2d_transpose_VALID: (c) => apply((x) => hk.Conv2DTranspose(3, 3, 2, null, "VALID").call(x), params(c), dec(c.x)),
    conv2d_transpose_outshape: (c) => apply((x) => hk.Conv2DTranspose(3, 3, 2, 5).call(x), params(c), dec(c.x)),
    max_pool_SAME: (c) => hk.maxPool(dec(c.x), 3, 2, "SAME"),
    max_pool_VALID: (c) => apply((x) => hk.MaxPool([3, 3, 1], [2, 2, 1], "VALID").call(x), {}, dec(c.x)),
    avg_pool_SAME: (c) => hk.avgPool(dec(c.x), { windowShape: [1, 3, 3, 1], strides: [1, 2, 2, 1], padding: "SAME" }),
    avg_pool_VALID: (c) => apply((x) => hk.AvgPool(3, 2, "VALID").call(x), {}, dec(c.x)),
    mha: (c) => apply((q, kv, m) => hk.MultiHeadAttention(2, 3, 1.0, { valueSize: 2, modelSize: 5 }).call(q, kv, kv, m), params(c), dec(c.q), dec(c.kv), dec(c.mask, "bool")),
    vanilla_rnn: (c) => unrolled(() => hk.VanillaRNN(4), params(c), dec(c.xs)),
    lstm: (c) => unrolled(() => hk.LSTM(4), params(c), dec(c.xs)),
    gru: (c) => unrolled(() => hk.GRU(4), params(c), dec(c.xs)),
  };
  assert.equal(Object.keys(run).sort(), Object.keys(G).sort());
  for (const [name, f] of Object.entries(run)) {
    const got = f(G[name]), want = G[name].out;
    if (Array.isArray(got)) got.forEach((g, i) => close(g, want[i], 2e-5, name));
    else close(got, want, 2e-5, name);
  }
});

/** dynamicUnroll from a zero state: [outputs, ...final state leaves]. */
function unrolled(make: () => hk.RNNCore, p: object, xs: JArray): JArray[] {
  return apply((xs: JArray) => {
    const core = make();
    const [out, s] = hk.dynamicUnroll(core, xs, core.initialState(xs.shape[1]));
    return [out, ...(s.hidden ? [s.hidden, s.cell] : [s])];
  }, p, xs);
}

// ---- gradients vs central differences (float64)

function checkGrad(name: string, fn: (x: JArray) => JArray, x: JArray) {
  const f = hk.withoutApplyRng(hk.transform(fn));
  const p = f.init(key, x) as Record<string, Record<string, JArray>>;
  const pert = tree.map((a: JArray) => randArray(a.shape, 0.5, 1.5, "float64", a.size + 7), p, { isLeaf: (v: unknown) => v instanceof JArray });
  const w = randArray(f.apply(p, x).shape, -1, 1, "float64", 3);
  const loss = (pp: any, xx: JArray) => jnp.sum(jnp.multiply(f.apply(pp, xx), w));
  const p1 = tree.map((a: JArray, b: JArray) => jnp.multiply(a, b), p, pert, { isLeaf: (v: unknown) => v instanceof JArray });
  const [gp, gx] = grad(loss, [0, 1])(p1, x);
  const fd = (get: (d: number) => number) => (get(1e-6) - get(-1e-6)) / 2e-6;
  const bump = (a: JArray, i: number, d: number) => jnp.add(a, jnp.reshape(jnp.zeros([a.size], { dtype: "float64" }).at(i).set(d), a.shape));
  for (const [mod, ps] of Object.entries(p1)) {
    for (const [pn, a] of Object.entries(ps as Record<string, JArray>)) {
      for (const i of [0, Math.floor(a.size / 2), a.size - 1]) {
        const num = fd((d) => loss({ ...p1, [mod]: { ...(p1 as any)[mod], [pn]: bump(a, i, d) } }, x).item() as number);
        const got = toNumbers(gp[mod][pn])[i];
        assert.ok(Math.abs(got - num) < 1e-5 * Math.max(1, Math.abs(num)), `${name} d/d${mod}.${pn}[${i}]: ${got} vs ${num}`);
      }
    }
  }
  for (const i of [0, x.size - 1]) {
    const num = fd((d) => loss(p1, bump(x, i, d)).item() as number);
    assert.ok(Math.abs(toNumbers(gx)[i] - num) < 1e-5 * Math.max(1, Math.abs(num)), `${name} d/dx[${i}]: ${toNumbers(gx)[i]} vs ${num}`);
  }
}

test("grad through each module vs central differences", () => {
  const x4 = randArray([2, 3, 3, 4], -1, 1, "float64", 11);
  checkGrad("LayerNorm", (x) => hk.LayerNorm(-1, true, true).call(x), x4);
  checkGrad("RMSNorm", (x) => hk.RMSNorm([1, 2]).call(x), x4);
  checkGrad("GroupNorm", (x) => hk.GroupNorm(2).call(x), x4);
  checkGrad("Bias", (x) => hk.Bias().call(x, 2), x4);
  checkGrad("Conv1D", (x) => hk.Conv1D(2, 3, 2).call(x), randArray([2, 5, 3], -1, 1, "float64", 12));
  checkGrad("Conv2DTranspose", (x) => hk.Conv2DTranspose(2, 3, 2).call(x), randArray([1, 3, 3, 2], -1, 1, "float64", 13));
  checkGrad("DepthwiseConv2D", (x) => hk.DepthwiseConv2D(2, 2).call(x), randArray([1, 3, 3, 2], -1, 1, "float64", 17));
  checkGrad("Conv3D", (x) => hk.Conv3D(2, 2).call(x), randArray([1, 3, 3, 3, 2], -1, 1, "float64", 14));
  checkGrad("avg/max pool", (x) => jnp.add(hk.avgPool(x, 2, 1, "SAME"), hk.maxPool(x, 3, 2, "VALID").sum()), x4);
  checkGrad("MultiHeadAttention", (x) => hk.MultiHeadAttention(2, 3, 1.0).call(x, x, x), randArray([2, 4, 5], -1, 1, "float64", 15));
  const xs = randArray([3, 2, 3], -1, 1, "float64", 16);
  for (const [n, make] of [["LSTM", () => hk.LSTM(3)], ["GRU", () => hk.GRU(3)], ["VanillaRNN", () => hk.VanillaRNN(3)]] as const) {
    checkGrad(n, (xs) => { const c = make(); return hk.dynamicUnroll(c, xs, tree.map((a: JArray) => a.astype("float64"), c.initialState(2)))[0]; }, xs);
  }
  // Embeddings: the gradient is one-hot rows.
  const f = hk.withoutApplyRng(hk.transform((ids: JArray) => hk.Embed(4, 2).call(ids)));
  const ids = jnp.array([[1, 3], [1, 0]]);
  const g = grad((p: any) => jnp.sum(f.apply(p, ids)))(f.init(key, ids));
  assert.equal(toNumbers(g.embed.embeddings), [1, 1, 2, 2, 0, 0, 1, 1]);
});

// ---- jit vs eager, vmap vs loop

test("jit(apply) equals eager apply", () => {
  const x = randArray([2, 4, 4, 4], -1, 1, "float32", 21);
  const f = hk.withoutApplyRng(hk.transform((x: JArray) => {
    let y = hk.Conv2D(4, 3).call(x);
    y = hk.GroupNorm(2).call(y);
    y = hk.maxPool(y, 2, 2, "VALID");
    y = hk.Flatten().call(y);
    y = hk.LayerNorm(-1, true, true).call(y);
    const t = hk.Reshape([4, -1]).call(y);
    return hk.MultiHeadAttention(2, 2, { wInit: hk.initializers.VarianceScaling(1) }).call(t, t, t);
  }));
  const p = f.init(key, x);
  close(jit((p: any, x: JArray) => f.apply(p, x))(p, x), toNumbers(f.apply(p, x)), 1e-5, "jit");
  const xs = randArray([5, 2, 3], -1, 1, "float32", 22);
  const u = hk.withoutApplyRng(hk.transform((xs: JArray) => { const c = hk.LSTM(4); return hk.dynamicUnroll(c, xs, c.initialState(2)); }));
  const pu = u.init(key, xs);
  const [eo, es] = u.apply(pu, xs), [jo, js] = jit((p: any, xs: JArray) => u.apply(p, xs))(pu, xs);
  close(jo, toNumbers(eo), 1e-5, "jit unroll");
  close(js.cell, toNumbers(es.cell), 1e-5, "jit unroll state");
});

test("vmap(apply) over examples equals a loop", () => {
  const xs = randArray([3, 5, 4], -1, 1, "float32", 23);
  const f = hk.withoutApplyRng(hk.transform((x: JArray) => hk.LayerNorm(-1, true, true).call(hk.Conv1D(4, 2).call(x))));
  const p = f.init(key, jnp.take(xs, 0, 0));
  const v = vmap((x: JArray) => f.apply(p, x))(xs);
  for (let i = 0; i < 3; i++) close(jnp.take(v, i, 0), toNumbers(f.apply(p, jnp.take(xs, i, 0))), 1e-5, `vmap ${i}`);
});

// ---- unrolls

test("dynamicUnroll / staticUnroll equal a manual loop (time-major, batch-major, reverse, all states)", () => {
  const xs = randArray([4, 2, 3], -1, 1, "float32", 31);
  const f = hk.withoutApplyRng(hk.transform((xs: JArray, mode: string) => {
    const core = hk.DeepRNN([hk.LSTM(3), nn.relu, hk.GRU(2)]);
    const s0 = core.initialState(2);
    if (mode === "dynamic") return hk.dynamicUnroll(core, xs, s0);
    if (mode === "static") return hk.staticUnroll(core, xs, s0);
    if (mode === "batch") return hk.dynamicUnroll(core, jnp.swapaxes(xs, 0, 1), s0, false);
    if (mode === "staticBatch") return hk.staticUnroll(core, jnp.swapaxes(xs, 0, 1), s0, false);
    if (mode === "reverse") return hk.dynamicUnroll(core, xs, s0, { reverse: true });
    if (mode === "all") return hk.dynamicUnroll(core, xs, s0, { returnAllStates: true });
    const outs: JArray[] = [];
    let s = s0;
    const order = mode === "loopReverse" ? [3, 2, 1, 0] : [0, 1, 2, 3];
    const states: any[] = [];
    for (const t of order) {
      const [y, n] = core.call(jnp.take(xs, t, 0), s);
      outs[t] = y;
      states[t] = n;
      s = n;
    }
    return [jnp.stack(outs), s, states];
  }));
  const p = f.init(key, xs, "dynamic");
  const [lo, ls, lstates] = f.apply(p, xs, "loop") as any[];
  for (const mode of ["dynamic", "static"]) {
    const [o, s] = f.apply(p, xs, mode);
    close(o, toNumbers(lo), 1e-6, mode);
    close(s[0].cell, toNumbers(ls[0].cell), 1e-6, mode);
    close(s[1], toNumbers(ls[1]), 1e-6, mode);
  }
  for (const mode of ["batch", "staticBatch"]) close(jnp.swapaxes(f.apply(p, xs, mode)[0], 0, 1), toNumbers(lo), 1e-6, mode);
  const [ro, rs] = f.apply(p, xs, "reverse"), [rlo, rls] = f.apply(p, xs, "loopReverse");
  close(ro, toNumbers(rlo), 1e-6, "reverse");
  close(rs[1], toNumbers(rls[1]), 1e-6, "reverse state");
  const [ao, as] = f.apply(p, xs, "all");
  close(ao, toNumbers(lo), 1e-6, "all");
  assert.equal(as[0].hidden.shape, [4, 2, 3]);
  close(as[1], toNumbers(jnp.stack(lstates.map((s: any) => s[1]))), 1e-6, "all states");
  // An empty sequence still creates the parameters during init, and gives [0, ...] outputs.
  const e = hk.transform((xs: JArray) => { const c = hk.GRU(2); return hk.dynamicUnroll(c, xs, c.initialState(2)); });
  const pe = e.init(key, jnp.zeros([0, 2, 3]));
  assert.equal(shapes(pe), { gru: { w_i: [3, 6], w_h: [2, 6], b: [6] } });
  assert.equal((e.apply(pe, null, jnp.zeros([0, 2, 3])) as any)[0].shape, [0, 2, 2]);
  // init's parameters are the ones the loop creates.
  assert.equal(Object.keys(p).sort(), ["gru", "lstm/linear"]);
});

test("initialState: zeros, batched by addBatch; LSTMState is { hidden, cell }", () => {
  hk.transform(() => {
    const s = hk.LSTM(3).initialState(2);
    assert.equal(Object.keys(s).sort(), ["cell", "hidden"]);
    assert.equal(s.hidden.shape, [2, 3]);
    assert.equal(hk.GRU(4).initialState(null).shape, [4]);
    assert.equal(hk.DeepRNN([hk.VanillaRNN(2), nn.relu]).initialState(5).map((a: JArray) => a.shape), [[5, 2]]);
    assert.equal(hk.LSTMState(jnp.ones([1]), jnp.zeros([1])).cell.shape, [1]);
  }).init(null);
});

// ---- shapes, rng, options, errors

test("Reshape / Flatten follow haiku's preserveDims examples", () => {
  const x = jnp.ones([1, 2, 3, 4, 5]);
  hk.transform(() => {
    assert.equal(hk.Reshape([-1, 5]).call(x).shape, [1, 24, 5]);
    assert.equal(hk.Reshape([-1, 5], 2).call(x).shape, [1, 2, 12, 5]);
    assert.equal(hk.Reshape([-1, 5], 4).call(x).shape, [1, 2, 3, 4, 1, 5]);
    assert.equal(hk.Reshape([-1, 5], -3).call(x).shape, [1, 2, 12, 5]);
    assert.equal(hk.Flatten().call(jnp.ones([3, 2, 4])).shape, [3, 8]);
    assert.equal(hk.Flatten().call(jnp.ones([3])).shape, [3]);
    assert.equal(hk.Flatten(-2).call(jnp.ones([2, 4])).shape, [8]);
    assert.throws(() => hk.Reshape([-1, -1]), isValueError);
    assert.equal(hk.Reshape({ outputShape: [-1], preserveDims: 3 }).call(x).shape, [1, 2, 3, 20]);
    assert.equal(hk.Flatten({ preserveDims: 2 }).call(x).shape, [1, 2, 60]);
    assert.equal(hk.LSTM({ hiddenSize: 2, name: "cell" }).moduleName, "cell");
    assert.equal(hk.VanillaRNN({ hiddenSize: 2 }).doubleBias, true);
  }).init(null);
});

test("pooling: an int window skips the batch and channel axes; channelAxis null pools every non-batch axis", () => {
  const x = jnp.arange(2 * 4 * 4 * 2).astype("float32").reshape([2, 4, 4, 2]);
  assert.equal(hk.maxPool(x, 2, 2, "VALID").shape, [2, 2, 2, 2]);
  assert.equal(hk.maxPool(x, 2, 2, "VALID", null).shape, [2, 2, 2, 1]);
  assert.equal(hk.avgPool(jnp.ones([4, 4]), [2], [2], "SAME").shape, [4, 2]);
  assert.throws(() => hk.maxPool(x, 2, 2, "same" as any), isValueError);
});

test("Embed: ONE_HOT equals ARRAY_INDEX; embeddingMatrix fixes the table; float ids are an error", () => {
  const m = jnp.arange(12).astype("float32").reshape([4, 3]);
  const ids = jnp.array([[3, 0], [2, 2]]);
  const f = hk.transform((ids: JArray, style?: any) => hk.Embed({ embeddingMatrix: m }).call(ids, style));
  const p = f.init(null, ids);
  assert.equal(toNumbers(f.apply(p, null, ids)), toNumbers(f.apply(p, null, ids, "one_hot")));
  assert.equal(toNumbers(f.apply(p, null, ids)), [9, 10, 11, 0, 1, 2, 6, 7, 8, 6, 7, 8]);
  assert.throws(() => f.apply(p, null, jnp.array([1.5])), isValueError);
  // The embeddings getter reads the module's parameter from outside call (tied output weights).
  const tied = hk.transform((ids: JArray) => { const e = hk.Embed(4, 3); return jnp.matmul(e.call(ids), e.embeddings.T); });
  const pt = tied.init(key, ids);
  assert.equal(Object.keys(pt), ["embed"]);
  assert.equal(tied.apply(pt, null, ids).shape, [2, 2, 4]);
  assert.throws(() => hk.transform(() => hk.Embed(4)).init(null), isValueError);
});

test("rng: reserveRngKeys splits n + 1 and hands the keys out in order; maybeNextRngKey is null without an rng", () => {
  const f = hk.transform(() => {
    hk.reserveRngKeys(2);
    return [hk.nextRngKey(), hk.nextRngKey(), hk.nextRngKey(), hk.maybeNextRngKey()];
  });
  const got = f.apply({}, key) as JArray[];
  const [k0, s1, s2] = random.split(key, 3);
  const [k1, s3] = random.split(k0);
  const s4 = jnp.take(random.split(k1), 1, 0);
  assert.equal(got.map(toNumbers), [s1, s2, s3, s4].map(toNumbers));
  assert.equal(hk.transform(() => hk.maybeNextRngKey()).apply({}, null), null);
  assert.equal(hk.transform(() => hk.nextRngKeys(3)).apply({}, key).shape[0], 3);
  assert.throws(() => hk.transform(() => hk.nextRngKey()).apply({}, null), isValueError);
  assert.ok(hk.nets.MLP === hk.MLP);
});

test("BatchApply merges the leading axes for f and splits them back; ranks below numDims pass through", () => {
  const f = hk.withoutApplyRng(hk.transform((x: JArray) => hk.BatchApply((x: JArray, s: number) => hk.Linear(2).call(jnp.multiply(x, s)))(x, 2)));
  const x = randArray([3, 4, 5], -1, 1, "float32", 41);
  const p = f.init(key, x);
  const y = f.apply(p, x);
  assert.equal(y.shape, [3, 4, 2]);
  const want = jnp.add(jnp.matmul(jnp.multiply(x, 2), p.linear.w), p.linear.b);
  close(y, toNumbers(want), 1e-5);
  assert.throws(() => hk.BatchApply((x: JArray) => x, 3)(jnp.ones([2, 2])), isValueError);
});

test("bad arguments are ValueErrors naming the module", () => {
  const bad: (() => unknown)[] = [
    () => hk.LayerNorm(-1, false, true, 1e-5, hk.initializers.Constant(1)),
    () => hk.LayerNorm(-1, true, true, { epsilon: 1 } as any),
    () => hk.LayerNorm(-1, true, true).call(jnp.ones([2, 3]), jnp.ones([3])),
    () => hk.GroupNorm(3).call(jnp.ones([1, 2, 4])),
    () => hk.Conv2D(3, 3).call(jnp.ones([2, 3])),
    () => hk.Conv2D(3, 3, { featureGroupCount: 2 }).call(jnp.ones([1, 3, 3, 3])),
    () => hk.Conv2DTranspose(3, 3, 2, 7).call(jnp.ones([1, 3, 3, 2])),
    () => hk.MultiHeadAttention(2, 3),
    () => hk.MultiHeadAttention(2, 3, 1.0).call(jnp.ones([3, 4]), jnp.ones([3, 4]), jnp.ones([3, 4]), jnp.ones([3, 3])),
    () => hk.LSTM(3).call(jnp.ones([1, 1, 2]), hk.LSTM(3).initialState(1)),
    () => hk.Bias({ biasDims: [0] }).call(jnp.ones([2, 3])),
    () => hk.GroupNorm(2, { dataFormat: "NHCW" }),
  ];
  bad.forEach((b, i) => assert.throws(() => hk.transform(b).init(key), (e: unknown) => isValueError(e) && /haiku\./.test(String((e as Error).message)), `case ${i}`));
});

test.run();
