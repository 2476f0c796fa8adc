// flax.linen's DenseGeneral, Einsum, ConvTranspose, GroupNorm/RMSNorm/InstanceNorm, attention,
// recurrent cells, RNN and Bidirectional: param trees as flax builds them, outputs from fixed
// params vs numpy evaluations of flax's formulas (test/goldens/make_linen_goldens.py), gradients vs
// central differences, jit vs eager, and masks.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { jnp, grad, jit, vmap, linen, random, tree, ValueError, ShapeError, Array as JArray } from "../src/index.js";
import { maxRelErr, toNumbers } from "./helpers.js";

type Enc = { s: number[]; d: number[] };
const G = JSON.parse(readFileSync(new URL("../../test/goldens/linen.json", import.meta.url), "utf8"));
const arr = (e: Enc, dtype: "float32" | "float64" = "float32") => jnp.array(e.d, { dtype }).reshape(e.s);
const dec = (t: any, dtype: "float32" | "float64" = "float32"): any =>
  t && Array.isArray(t.s) ? arr(t, dtype) : Array.isArray(t) ? t.map((v) => dec(v, dtype)) : Object.fromEntries(Object.entries(t).map(([k, v]) => [k, dec(v, dtype)]));
const close = (got: JArray, want: Enc | number[], tol = 2e-5, msg = "") => {
  const w = Array.isArray(want) ? want : want.d;
  if (!Array.isArray(want)) assert.equal(got.shape, want.s, `${msg} shape`);
  const g = toNumbers(got);
  const e = maxRelErr(g, w);
  assert.ok(e < tol, `${msg} err ${e}: got ${g.slice(0, 5)} want ${w.slice(0, 5)}`);
};
const shapes = (t: any) => tree.map((x: JArray) => x.shape, t);
const key = random.key(0);
const throwsOf = (f: () => unknown, cls: Function, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof cls && re.test((e as Error).message));

// ---- param trees: names and shapes as flax's modules create them

test("DenseGeneral / Einsum / ConvTranspose: flax's param names and shapes", () => {
  const x = jnp.ones([2, 3, 4]);
  assert.equal(shapes(linen.DenseGeneral([2, 5]).init(key, x)), { params: { kernel: [4, 2, 5], bias: [2, 5] } });
  assert.equal(shapes(linen.DenseGeneral(3, -1, [0]).init(key, x)), { params: { kernel: [2, 4, 3], bias: [2, 3] } });
  assert.equal(shapes(linen.DenseGeneral({ features: 6, axis: [1, 2], useBias: false }).init(key, x)), { params: { kernel: [3, 4, 6] } });
  assert.equal(shapes(linen.Einsum([4, 5], "abc,cd->abd").init(key, x)), { params: { kernel: [4, 5], bias: [5] } });
  assert.equal(shapes(linen.Einsum({ shape: [3, 4, 7] }).init(key, x, "abc,bcd->ad")), { params: { kernel: [3, 4, 7], bias: [7] } });
  const x1 = jnp.ones([2, 5, 2]);
  assert.equal(shapes(linen.ConvTranspose(3, [3], 2).init(key, x1)), { params: { kernel: [3, 2, 3], bias: [3] } });
  assert.equal(shapes(linen.ConvTranspose({ features: 3, kernelSize: 3, transposeKernel: true, useBias: false }).init(key, x1)), { params: { kernel: [3, 3, 2] } });
  assert.equal(linen.ConvTranspose(3, [3], 2).apply(linen.ConvTranspose(3, [3], 2).init(key, x1), x1).shape, [2, 10, 3]);
  assert.equal(linen.ConvTranspose(3, [3], 2, "VALID").apply(linen.ConvTranspose(3, [3], 2).init(key, x1), x1).shape, [2, 11, 3]);
});

test("GroupNorm / RMSNorm / InstanceNorm / PReLU: params, defaults (numGroups 32, epsilon 1e-6)", () => {
  assert.equal(shapes(linen.GroupNorm(3).init(key, jnp.ones([2, 4, 6]))), { params: { scale: [6], bias: [6] } });
  assert.equal(shapes(linen.GroupNorm().init(key, jnp.ones([2, 4, 64]))), { params: { scale: [64], bias: [64] } });
  assert.equal(shapes(linen.RMSNorm().init(key, jnp.ones([2, 6]))), { params: { scale: [6] } });
  assert.equal(shapes(linen.InstanceNorm({ useScale: false }).init(key, jnp.ones([2, 4, 3]))), { params: { bias: [3] } });
  const p = linen.PReLU().init(key, jnp.ones([3]));
  assert.equal(shapes(p), { params: { negative_slope: [] } });
  close(p.params.negative_slope, [0.01], 1e-7);
  close(linen.PReLU().apply(p, jnp.array([-2, 3], { dtype: "float32" })), [-0.02, 3]);
  throwsOf(() => linen.GroupNorm().init(key, jnp.ones([2, 4, 6])), ValueError, /GroupNorm.*numGroups \(32\) does not divide.*6/);
  throwsOf(() => linen.GroupNorm(2, 4).init(key, jnp.ones([2, 8])), ValueError, /exactly one of numGroups and groupSize/);
  assert.equal(shapes(linen.GroupNorm(null, 4).init(key, jnp.ones([2, 8]))), { params: { scale: [8], bias: [8] } });
});

test("MultiHeadDotProductAttention: query/key/value/out DenseGeneral params", () => {
  const m = linen.MultiHeadDotProductAttention(2, { qkvFeatures: 4, outFeatures: 3 });
  const p = m.init(key, jnp.ones([2, 3, 5]));
  const qkv = { kernel: [5, 2, 2], bias: [2, 2] };
  assert.equal(shapes(p), { params: { query: qkv, key: qkv, value: qkv, out: { kernel: [2, 2, 3], bias: [3] } } });
  const n = linen.MultiHeadDotProductAttention({ numHeads: 2, normalizeQk: true, useBias: false }).init(key, jnp.ones([1, 3, 4]));
  assert.equal(shapes(n).params.query_ln, { scale: [2] });
  assert.equal(shapes(n).params.out, { kernel: [2, 2, 4] });
  throwsOf(() => linen.MultiHeadDotProductAttention(3).init(key, jnp.ones([1, 2, 4])), ValueError, /qkvFeatures \(4\) must be divisible by numHeads \(3\)/);
});

test("recurrent cells: flax's param names and shapes; RNN nests them under cell", () => {
  const x = jnp.ones([2, 3]);
  const lstm = { kernel: [3, 5] }, rec = { kernel: [5, 5], bias: [5] };
  const lstmTree = { ii: lstm, if: lstm, ig: lstm, io: lstm, hi: rec, hf: rec, hg: rec, ho: rec };
  for (const Cell of [linen.LSTMCell, linen.OptimizedLSTMCell]) {
    const cell = Cell(5);
    const carry = cell.initializeCarry(key, x.shape);
    assert.equal(carry.map((c: JArray) => c.shape), [[2, 5], [2, 5]]);
    assert.equal(shapes(cell.init(key, carry, x)).params, lstmTree);
  }
  const full = { kernel: [3, 5], bias: [5] }, hk = { kernel: [5, 5] };
  const gru = linen.GRUCell(5);
  assert.equal(shapes(gru.init(key, gru.initializeCarry(key, x.shape), x)).params, { ir: full, iz: full, in: full, hr: hk, hz: hk, hn: rec });
  const simple = linen.SimpleCell({ features: 5 });
  assert.equal(shapes(simple.init(key, jnp.zeros([2, 5]), x)).params, { i: full, h: hk });
  const mgu = linen.MGUCell(5);
  const mp = mgu.init(key, jnp.zeros([2, 5]), x).params;
  assert.equal(shapes(mp), { if: full, hf: hk, in: full, hn: rec });
  close(mp.if.bias, Array(5).fill(1)); // forget bias starts at ones
  const seq = jnp.ones([2, 4, 3]);
  assert.equal(shapes(linen.RNN(linen.LSTMCell(5)).init(key, seq)).params, { cell: lstmTree });
  const bi = linen.Bidirectional(linen.RNN(linen.SimpleCell(5)), linen.RNN(linen.GRUCell(4)));
  const bp = bi.init(key, seq);
  assert.equal(Object.keys(bp.params).sort(), ["backward_rnn", "forward_rnn"]);
  assert.equal(shapes(bp.params.forward_rnn.cell.h), hk);
  assert.equal(bi.apply(bp, seq).shape, [2, 4, 9]);
});

test("orthogonal recurrent kernels; lecun-normal input kernels; zero carries", () => {
  const p = linen.LSTMCell(6).init(random.key(3), [jnp.zeros([1, 6]), jnp.zeros([1, 6])], jnp.ones([1, 4])).params;
  const k = p.hf.kernel;
  close(jnp.matmul(k.T, k), toNumbers(jnp.eye(6)), 1e-5, "K^T K");
  assert.ok(Math.abs(Number(jnp.std(p.if.kernel).item()) - 0.5) < 0.3);
  close(p.hf.bias, Array(6).fill(0));
});

// ---- outputs vs numpy goldens from fixed params

const applyG = (m: any, c: any, ...args: unknown[]) => m.apply({ params: dec(c.params) }, ...args);

test("DenseGeneral / Einsum outputs match flax's formulas", () => {
  const c = G;
  close(applyG(linen.DenseGeneral([2, 5]), c.dense_general, arr(c.dense_general.x)), c.dense_general.out, 2e-5, "features (2, 5)");
  close(applyG(linen.DenseGeneral(3, { batchDims: [0] }), c.dense_general_batch, arr(c.dense_general_batch.x)), c.dense_general_batch.out, 2e-5, "batchDims");
  close(applyG(linen.DenseGeneral({ features: 6, axis: [1, 2], useBias: false }), c.dense_general_axes, arr(c.dense_general_axes.x)), c.dense_general_axes.out, 2e-5, "axes");
  close(applyG(linen.Einsum({ shape: [4, 5], einsumStr: "abc,cd->abd" }), c.einsum, arr(c.einsum.x)), c.einsum.out, 2e-5, "einsum");
});

test("ConvTranspose outputs (SAME, VALID, explicit, 2-d transposeKernel, CIRCULAR) match lax.conv_transpose", () => {
  const c = G;
  close(applyG(linen.ConvTranspose(3, [3], 2), c.conv_transpose_same, arr(c.conv_transpose_same.x)), c.conv_transpose_same.out, 2e-5, "SAME");
  close(applyG(linen.ConvTranspose(3, [3], 2, "VALID"), c.conv_transpose_valid, arr(c.conv_transpose_valid.x)), c.conv_transpose_valid.out, 2e-5, "VALID");
  close(applyG(linen.ConvTranspose(3, [3], 1, [[1, 2]]), c.conv_transpose_pad, arr(c.conv_transpose_pad.x)), c.conv_transpose_pad.out, 2e-5, "pads");
  close(applyG(linen.ConvTranspose({ features: 4, kernelSize: [2, 3], strides: [2, 1], transposeKernel: true, useBias: false }), c.conv_transpose_2d_tk, arr(c.conv_transpose_2d_tk.x)),
    c.conv_transpose_2d_tk.out, 2e-5, "2-d");
  const zeroMask = linen.ConvTranspose({ features: 3, kernelSize: [3], strides: 2, mask: jnp.zeros([3, 2, 3]) });
  close(applyG(zeroMask, c.conv_transpose_same, arr(c.conv_transpose_same.x)), toNumbers(jnp.broadcastTo(arr(c.conv_transpose_same.params.bias), [2, 10, 3])), 1e-7, "mask");
  throwsOf(() => linen.ConvTranspose({ features: 3, kernelSize: [3], mask: jnp.ones([3]) }).init(key, arr(c.conv_transpose_same.x)), ValueError, /ConvTranspose: mask shape \[3\] must equal the kernel shape \[3,2,3\]/);
  close(applyG(linen.ConvTranspose(3, 4, 2, "CIRCULAR"), c.conv_transpose_circular, arr(c.conv_transpose_circular.x)), c.conv_transpose_circular.out, 2e-5, "CIRCULAR");
});

test("ConvLocal: unshared kernels (*outSpatial, window * in, features) and outputs match numpy", () => {
  const c = G;
  assert.equal(shapes(linen.ConvLocal(4, [3]).init(key, arr(c.conv_local_same.x))), { params: { kernel: [5, 6, 4], bias: [5, 4] } });
  close(applyG(linen.ConvLocal(4, [3]), c.conv_local_same, arr(c.conv_local_same.x)), c.conv_local_same.out, 2e-5, "SAME");
  close(applyG(linen.ConvLocal({ features: 3, kernelSize: [2, 2], strides: 2, padding: "VALID", useBias: false }), c.conv_local_2d, arr(c.conv_local_2d.x)), c.conv_local_2d.out, 2e-5, "2-d");
  throwsOf(() => linen.ConvLocal({ features: 2, kernelSize: 3, featureGroupCount: 2 }).init(key, jnp.ones([1, 4, 2])), Error, /ConvLocal: featureGroupCount must be 1/);
});

test("GroupNorm / RMSNorm / InstanceNorm outputs match flax's statistics", () => {
  const c = G;
  close(applyG(linen.GroupNorm(3), c.group_norm, arr(c.group_norm.x)), c.group_norm.out, 1e-4, "group");
  close(applyG(linen.GroupNorm({ numGroups: null, groupSize: 2 }), c.group_norm, arr(c.group_norm.x)), c.group_norm.out, 1e-4, "groupSize");
  close(applyG(linen.RMSNorm(), c.rms_norm, arr(c.rms_norm.x)), c.rms_norm.out, 1e-4, "rms");
  close(applyG(linen.InstanceNorm(), c.instance_norm, arr(c.instance_norm.x)), c.instance_norm.out, 1e-4, "instance");
  // A mask restricts the statistics: masked-out entries do not move the normalized rest.
  const x = jnp.array([[1, 2, 3, 100]]), m = jnp.array([[true, true, true, false]]);
  const p = linen.RMSNorm().init(key, x);
  const y = linen.RMSNorm().apply(p, x, { mask: m });
  close(y.get(0, ":3"), toNumbers(jnp.divide(jnp.array([1, 2, 3]), Math.sqrt(14 / 3 + 1e-6))), 1e-5);
});

test("dotProductAttention and its weights match numpy, masked entries get zero weight", () => {
  const c = G.dot_product_attention;
  const [q, k, v, mask] = [c.q, c.k, c.v, c.mask].map((e: Enc) => arr(e));
  const w = linen.dotProductAttentionWeights(q, k, { mask });
  close(w, c.weights, 2e-5, "weights");
  close(linen.dotProductAttention(q, k, v, null, mask), c.out, 2e-5, "out");
  assert.equal(toNumbers(jnp.where(jnp.equal(jnp.broadcastTo(mask, w.shape), 0), w, 0)).every((e) => e === 0), true);
  throwsOf(() => linen.dotProductAttention(q, k, q), ShapeError, /key\/value lengths/);
});

test("MultiHeadDotProductAttention: cross and causal self attention match numpy; SelfAttention agrees", () => {
  const c = G.mha_cross, s = G.mha_self_causal;
  const m = linen.MultiHeadDotProductAttention({ numHeads: 2, qkvFeatures: 4, outFeatures: 3 });
  const xq = arr(c.xq), xkv = arr(c.xkv);
  close(applyG(m, c, xq, xkv), c.out, 5e-5, "cross");
  close(applyG(m, c, xq, xkv, xkv), c.out, 5e-5, "k and v");
  close(applyG(m, c, xq, { inputsKv: xkv }), c.out, 5e-5, "inputsKv");
  const causal = linen.makeCausalMask(jnp.ones([2, 3]));
  close(applyG(m, s, xq, { mask: causal }), s.out, 5e-5, "causal");
  close(applyG(linen.SelfAttention({ numHeads: 2, qkvFeatures: 4, outFeatures: 3 }), s, xq, causal), s.out, 5e-5, "SelfAttention");
});

test("causality: outputs at t do not depend on inputs after t", () => {
  const m = linen.MultiHeadDotProductAttention(2);
  const x = random.normal(random.key(1), [1, 5, 4]);
  const p = m.init(key, x);
  const mask = linen.makeCausalMask(jnp.ones([1, 5]));
  const y1 = m.apply(p, x, { mask });
  const y2 = m.apply(p, x.at(0, 4).set(jnp.array([9, -9, 9, -9])), { mask });
  close(y2.get(0, ":4"), toNumbers(y1.get(0, ":4")), 1e-6);
  assert.ok(maxRelErr(toNumbers(y2.get(0, 4)), toNumbers(y1.get(0, 4))) > 1e-3);
});

test("decode: the autoregressive cache reproduces causal attention one step at a time", () => {
  const m = linen.MultiHeadDotProductAttention({ numHeads: 2, decode: true });
  const full = linen.MultiHeadDotProductAttention({ numHeads: 2 });
  const x = random.normal(random.key(4), [2, 4, 6]);
  const vars = m.init(key, x);
  assert.equal(shapes(vars.cache), { cached_key: [2, 4, 2, 3], cached_value: [2, 4, 2, 3], cache_index: [] });
  const want = full.apply({ params: vars.params }, x, { mask: linen.makeCausalMask(jnp.ones([2, 4])) });
  let cache = vars.cache;
  for (let t = 0; t < 4; t++) {
    const [y, upd] = m.apply({ params: vars.params, cache }, x.get(":", `${t}:${t + 1}`), { mutable: ["cache"] });
    cache = upd.cache;
    close(y.get(":", 0), toNumbers(want.get(":", t)), 1e-5, `step ${t}`);
  }
  assert.equal(cache.cache_index.item(), 4);
  throwsOf(() => m.apply({ params: vars.params, cache }, x, { mutable: ["cache"] }), ValueError, /cache shape error/);
});

test("makeAttentionMask / makeCausalMask / combineMasks", () => {
  const causal = linen.makeCausalMask(jnp.ones([2, 3]));
  assert.equal(causal.shape, [2, 1, 3, 3]);
  assert.equal(causal.dtype, "float32");
  assert.equal(causal.get(1, 0).toArray(), [[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
  const pad = linen.makeAttentionMask(jnp.array([[1, 1, 0]]), jnp.array([[1, 0]]));
  assert.equal(pad.shape, [1, 1, 3, 2]);
  assert.equal(pad.get(0, 0).toArray(), [[1, 0], [1, 0], [0, 0]]);
  assert.equal(linen.makeCausalMask(jnp.ones([3]), 2, "bool").shape, [1, 1, 1, 3, 3]);
  assert.equal(linen.makeAttentionMask(jnp.array([1, 2]), jnp.array([2, 2]), jnp.greaterEqual).get(0).toArray(), [[0, 0], [1, 1]]);
  const both = linen.combineMasks(causal, null, linen.makeAttentionMask(jnp.ones([2, 3]), jnp.array([[1, 1, 0], [1, 1, 1]])))!;
  assert.equal(both.get(0, 0).toArray(), [[1, 0, 0], [1, 1, 0], [1, 1, 0]]);
  assert.equal(linen.combineMasks(null, undefined), null);
  assert.equal(linen.combineMasks(causal, { dtype: "bool" })!.dtype, "bool");
  throwsOf(() => linen.combineMasks(causal, jnp.ones([3, 3])), ShapeError, /same rank/);
});

test("recurrent cells: one step matches numpy (LSTM, fused LSTM, GRU, Simple, MGU)", () => {
  const l = G.lstm_step;
  for (const Cell of [linen.LSTMCell, linen.OptimizedLSTMCell]) {
    const [[c, h], y] = applyG(Cell(5), l, [arr(l.c), arr(l.h)], arr(l.x));
    close(c, l.outC, 2e-5, `${Cell.name} c`);
    close(h, l.outH, 2e-5, `${Cell.name} h`);
    close(y, l.outH, 2e-5);
  }
  for (const [name, Cell] of [["gru_step", linen.GRUCell], ["simple_step", linen.SimpleCell], ["mgu_step", linen.MGUCell]] as const) {
    const g = G[name];
    const [h, y] = applyG((Cell as any)(5), g, arr(g.h), arr(g.x));
    close(h, g.out, 2e-5, name);
    close(y, g.out, 2e-5, name);
  }
});

test("RNN: scan over time, returnCarry, reverse, timeMajor, seqLengths; Bidirectional", () => {
  const c = G.rnn_lstm, x = arr(c.x);
  const rnn = linen.RNN(linen.LSTMCell(5));
  close(applyG(rnn, c, x), c.out, 5e-5, "outputs");
  const [[cc, hh], ys] = applyG(linen.RNN(linen.LSTMCell(5), { returnCarry: true }), c, x);
  close(cc, c.outC, 5e-5, "c");
  close(hh, c.outH, 5e-5, "h");
  close(ys, c.out, 5e-5);
  const tm = applyG(linen.RNN(linen.LSTMCell(5), true), c, jnp.swapaxes(x, 0, 1));
  close(jnp.swapaxes(tm, 0, 1), c.out, 5e-5, "timeMajor");
  close(applyG(rnn, G.rnn_lstm_reverse, x, { reverse: true }), G.rnn_lstm_reverse.out, 5e-5, "reverse");
  const rk = applyG(rnn, G.rnn_lstm_reverse, x, { reverse: true, keepOrder: true });
  close(jnp.flip(rk, 1), G.rnn_lstm_reverse.out, 5e-5, "keepOrder");
  const s = G.rnn_gru_seq;
  const [carry, out] = applyG(linen.RNN(linen.GRUCell(5)), s, x, { seqLengths: jnp.array([4, 2], { dtype: "int32" }), returnCarry: true });
  close(carry, s.carry, 5e-5, "seqLengths carry");
  close(out, s.out, 5e-5);
  const b = G.bidirectional;
  close(applyG(linen.Bidirectional(linen.RNN(linen.SimpleCell(5)), linen.RNN(linen.GRUCell(5))), b, x), b.out, 5e-5, "bidirectional");
  const init = [jnp.ones([2, 5]), jnp.ones([2, 5])];
  const [[c2]] = applyG(rnn, c, x.get(":", ":1"), { initialCarry: init, returnCarry: true });
  const [[c3]] = applyG(linen.LSTMCell(5), { params: c.params.cell }, init, x.get(":", 0));
  close(c2, toNumbers(c3), 1e-6, "initialCarry");
});

test("RNN scans a user-defined cell (call(carry, x) and initializeCarry), as flax's RNN does", () => {
  class Accum extends linen.Module {
    call(c: JArray, x: JArray): [JArray, JArray] {
      const s = this.param("s", () => jnp.array(2, { dtype: "float32" }));
      const n = jnp.add(c, jnp.multiply(s, x));
      return [n, n];
    }
    initializeCarry(_rng: JArray, shape: readonly number[]) { return jnp.zeros(shape); }
  }
  const rnn = linen.RNN(new Accum());
  const x = jnp.array([[[1], [2], [3]]], { dtype: "float32" });
  const p = rnn.init(key, x);
  assert.equal(shapes(p), { params: { cell: { s: [] } } });
  close(rnn.apply(p, x), [2, 6, 12]);
  throwsOf(() => linen.RNN(linen.Dense(3) as any), ValueError, /RNN: cell must be a recurrent cell/);
});

test("activations flax.linen re-exports: celu, selu, softSign, hardTanh, hardSigmoid, hardSilu, glu, tanh", () => {
  const a = G.activations, x = arr(a.x);
  close(linen.celu(x, 0.5), a.celu, 2e-6, "celu");
  close(linen.celu(x, { alpha: 0.5 }), a.celu, 2e-6);
  close(linen.selu(x), a.selu, 2e-6, "selu");
  close(linen.softSign(x), a.softSign, 2e-6, "softSign");
  close(linen.hardTanh(x), a.hardTanh, 2e-6, "hardTanh");
  close(linen.hardSigmoid(x), a.hardSigmoid, 2e-6, "hardSigmoid");
  close(linen.hardSilu(x), a.hardSilu, 2e-6, "hardSilu");
  close(linen.hardSwish(x), a.hardSilu, 2e-6);
  close(linen.glu(x), a.glu, 2e-6, "glu");
  close(linen.tanh(x), toNumbers(jnp.tanh(x)), 1e-9);
  throwsOf(() => linen.glu(jnp.ones([3])), ValueError, /glu.*even/);
  assert.equal(typeof linen.normalize, "function");
});

// ---- gradients vs central differences (float64), jit vs eager

/** d/dparams of sum(apply(params, ...) * w) at a few entries, vs (f(p + h) - f(p - h)) / 2h. */
function checkGrads(name: string, m: any, params: any, args: unknown[], pick: (p: any) => [any, (p: any, v: JArray) => any][]) {
  const out0 = m.apply(params, ...args);
  const y0 = Array.isArray(out0) ? out0[1] : out0;
  const w = random.normal(random.key(7), y0.shape, { dtype: "float64" });
  const f = (p: any) => { const o = m.apply(p, ...args); return jnp.sum(jnp.multiply(Array.isArray(o) ? o[1] : o, w)); };
  const g = grad(f)(params);
  for (const [get, set] of pick(params)) {
    const leaf: JArray = get(params), gl: JArray = get(g);
    const n = leaf.size, flat = jnp.reshape(leaf, [n]);
    for (const i of [0, Math.floor(n / 2), n - 1]) {
      const h = 1e-5;
      const bump = (d: number) => set(params, jnp.reshape(flat.at(i).add(d), leaf.shape));
      const fd = (Number(f(bump(h)).item()) - Number(f(bump(-h)).item())) / (2 * h);
      const an = Number(jnp.reshape(gl, [n]).get(i).item());
      assert.ok(Math.abs(fd - an) <= 1e-5 * Math.max(1, Math.abs(fd)), `${name}[${i}]: grad ${an} vs central difference ${fd}`);
    }
  }
}
const at = (path: string[]) => [
  (p: any) => path.reduce((o, k) => o[k], p),
  (p: any, v: JArray) => { const q = tree.map((x: JArray) => x, p); let o = q; for (const k of path.slice(0, -1)) o = o[k]; o[path[path.length - 1]] = v; return q; },
] as [any, any];

test("gradients through DenseGeneral, ConvTranspose, GroupNorm, attention, RNN(LSTM), RNN(GRU) match central differences", () => {
  const f64 = (c: any) => ({ params: dec(c.params, "float64") });
  const c = G;
  checkGrads("DenseGeneral", linen.DenseGeneral(3, { batchDims: [0] }), f64(c.dense_general_batch), [arr(c.dense_general_batch.x, "float64")], () => [at(["params", "kernel"]), at(["params", "bias"])]);
  checkGrads("ConvTranspose", linen.ConvTranspose(3, [3], 2), f64(c.conv_transpose_same), [arr(c.conv_transpose_same.x, "float64")], () => [at(["params", "kernel"])]);
  checkGrads("GroupNorm", linen.GroupNorm(3), f64(c.group_norm), [arr(c.group_norm.x, "float64")], () => [at(["params", "scale"]), at(["params", "bias"])]);
  const mask = linen.makeCausalMask(jnp.ones([2, 3]));
  checkGrads("MHA", linen.MultiHeadDotProductAttention({ numHeads: 2, qkvFeatures: 4, outFeatures: 3 }), f64(c.mha_cross), [arr(c.mha_cross.xq, "float64"), { mask }],
    () => [at(["params", "query", "kernel"]), at(["params", "key", "bias"]), at(["params", "out", "kernel"])]);
  checkGrads("RNN(LSTM)", linen.RNN(linen.LSTMCell(5)), f64(c.rnn_lstm), [arr(c.rnn_lstm.x, "float64"), { initialCarry: [jnp.zeros([2, 5], { dtype: "float64" }), jnp.zeros([2, 5], { dtype: "float64" })] }], () => [at(["params", "cell", "hf", "kernel"]), at(["params", "cell", "ii", "kernel"])]);
  checkGrads("RNN(GRU) reverse", linen.RNN(linen.GRUCell(5), { reverse: true }), f64(c.rnn_gru_seq), [arr(c.rnn_gru_seq.x, "float64"), { initialCarry: jnp.zeros([2, 5], { dtype: "float64" }) }], () => [at(["params", "cell", "hn", "bias"])]);
});

test("jit(apply) equals eager apply; vmap of attention equals a loop", () => {
  const cases: [any, any, unknown[]][] = [
    [linen.MultiHeadDotProductAttention({ numHeads: 2, qkvFeatures: 4, outFeatures: 3 }), G.mha_cross, [arr(G.mha_cross.xq), arr(G.mha_cross.xkv)]],
    [linen.RNN(linen.LSTMCell(5)), G.rnn_lstm, [arr(G.rnn_lstm.x)]],
    [linen.ConvTranspose(3, [3], 2), G.conv_transpose_same, [arr(G.conv_transpose_same.x)]],
    [linen.GroupNorm(3), G.group_norm, [arr(G.group_norm.x)]],
    [linen.DenseGeneral([2, 5]), G.dense_general, [arr(G.dense_general.x)]],
  ];
  for (const [m, c, args] of cases) {
    const p = { params: dec(c.params) };
    const eager = m.apply(p, ...args);
    const jitted = jit((pp: any, ...a: unknown[]) => m.apply(pp, ...a))(p, ...args);
    close(jitted, toNumbers(eager), 1e-5, m.constructor.name);
  }
  const d = G.dot_product_attention, [q, k, v] = [d.q, d.k, d.v].map((e: Enc) => arr(e));
  const mapped = vmap((a: JArray, b: JArray, c2: JArray) => linen.dotProductAttention(a, b, c2))(q, k, v);
  const loop = jnp.stack([0, 1].map((i) => linen.dotProductAttention(q.get(i), k.get(i), v.get(i))));
  close(mapped, toNumbers(loop), 1e-6, "vmap");
  // An RNN over one unbatched sequence [time, features], vmapped over the batch, equals the batched RNN.
  const rnn = linen.RNN(linen.GRUCell(5)), p = { params: dec(G.rnn_gru_seq.params) }, xs = arr(G.rnn_gru_seq.x);
  close(vmap((s: JArray) => rnn.apply(p, s))(xs), G.rnn_gru_seq.out.d, 5e-5, "vmap RNN");
});

test("positional and options forms, callable without new; typed errors name the layer", () => {
  assert.ok(linen.DenseGeneral(3) instanceof linen.DenseGeneral);
  assert.ok(new linen.RNN(new linen.GRUCell(2)) instanceof linen.RNN);
  const a = linen.MultiHeadDotProductAttention(4, undefined, undefined, 8);
  assert.equal(shapes(a.init(key, jnp.ones([1, 2, 3]))).params.query.kernel, [3, 4, 2]);
  throwsOf(() => linen.DenseGeneral(3, { batchDims: [1] }).init(key, jnp.ones([2, 3, 4])), ValueError, /DenseGeneral: batchDims \[1\] must be consecutive/);
  throwsOf(() => linen.Einsum([4, 5], "abc,cd").init(key, jnp.ones([2, 3, 4])), ValueError, /Einsum.*"->"/);
  throwsOf(() => linen.DenseGeneral(3, -1, { axis: 0 }), ValueError, /axis given both/);
  throwsOf(() => (linen.RNN as any)({ timeMajor: true }), ValueError, /RNN: missing field cell/);
  throwsOf(() => linen.MultiHeadDotProductAttention({ numHeads: 1, dropoutRate: 0.5 }).init(key, jnp.ones([1, 2, 2])), ValueError, /deterministic must be set/);
  // Dropout on the attention weights uses the "dropout" rng stream when not deterministic.
  const m = linen.MultiHeadDotProductAttention({ numHeads: 1, dropoutRate: 0.5 });
  const x = random.normal(key, [1, 4, 2]);
  const p = m.init({ params: key, dropout: key }, x, { deterministic: false });
  const y1 = m.apply(p, x, { deterministic: false }, { rngs: { dropout: random.key(1) } });
  const y2 = m.apply(p, x, { deterministic: false }, { rngs: { dropout: random.key(2) } });
  throwsOf(() => linen.MultiHeadDotProductAttention({ numHeads: 1, dropoutRate: 0.5, deterministic: true }).apply(p, x, { deterministic: true }), ValueError, /deterministic.*both/);
  assert.ok(maxRelErr(toNumbers(y1), toNumbers(y2)) > 1e-4);
  close(m.apply(p, x, { deterministic: true }), toNumbers(linen.MultiHeadDotProductAttention({ numHeads: 1 }).apply(p, x)), 1e-6);
});

test.run();
