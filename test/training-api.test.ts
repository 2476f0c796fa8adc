// The training APIs against what optax, flax.linen, dm-haiku, jax.nn and jax.tree_util document:
// each test pins one behaviour that tinyjax once got silently wrong (or lacked).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { jnp, nn, grad, optax, linen, haiku as hk, random, tree, ValueError, Array as JArray } from "../src/index.js";
import { maxRelErr, toNumbers } from "./helpers.js";
import { readFileSync } from "node:fs";

const isValueError = (e: unknown) => e instanceof ValueError;
const f32 = (v: number | number[] | number[][]) => jnp.array(v, { dtype: "float32" });
const close = (got: JArray | number[], want: number[], tol = 1e-6, msg = "") => {
  const g = Array.isArray(got) ? got : toNumbers(got);
  assert.ok(maxRelErr(g, want) < tol, `${msg} got ${g.slice(0, 6)} want ${want.slice(0, 6)}`);
};

// ---- tree ----

test("tree.map: the other trees may be deeper, the first tree is their prefix (jax.tree.map)", () => {
  const out = tree.map((x: number, y: unknown) => [x, y], { a: 1, b: 2 }, { a: [1, 2], b: { c: 3 } });
  assert.equal(out, { a: [1, [1, 2]], b: [2, { c: 3 }] });
  assert.throws(() => tree.map((x: number, y: number) => x + y, { a: [1, 2] }, { a: 1 }), isValueError);
});

test("tree: null is an empty node, keys sort, leaves of null are []", () => {
  assert.equal(tree.leaves(null), []);
  assert.equal(tree.leaves({ b: 1, a: 2, c: null }), [2, 1]);
  assert.equal(tree.map((x: number) => x * 10, { a: null, b: [1, undefined] }), { a: null, b: [10, undefined] });
});

test("tree.map / leaves take JAX's is_leaf as { isLeaf }", () => {
  const t = { a: [1, 2], b: [3] };
  const isPair = (x: unknown) => Array.isArray(x) && x.length === 2;
  assert.equal(tree.map((x: unknown) => (Array.isArray(x) ? "pair" : x), t, { isLeaf: isPair }), { a: "pair", b: [3] });
  assert.equal(tree.leaves(t, { isLeaf: isPair }), [[1, 2], 3]);
  assert.equal(tree.leaves(t, isPair), [[1, 2], 3]);
  assert.equal(tree.map((x: unknown, y: unknown) => [x, y], { a: null }, { a: null }, { isLeaf: (x: unknown) => x === null }), { a: [null, null] });
});

// ---- nn ----

test("nn.gelu(x, { approximate: false }) is the exact erf form (an options object was read as approximate)", () => {
  close(nn.gelu(f32([1, -0.5]), { approximate: false }), [0.8413447460685429, -0.15426876936299344], 1e-6);
  close(nn.gelu(f32([1, -0.5]), false), [0.8413447460685429, -0.15426876936299344], 1e-6);
  const tanhForm = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
  close(nn.gelu(f32([1, -0.5])), [tanhForm(1), tanhForm(-0.5)], 1e-6);
  assert.throws(() => nn.gelu(f32(1), "yes" as any), isValueError);
});

test("nn.leakyRelu / elu take their hyperparameter positionally or as options", () => {
  close(nn.leakyRelu(f32([-2, 3]), { negativeSlope: 0.2 }), [-0.4, 3]);
  close(nn.leakyRelu(f32([-2, 3])), [-0.02, 3]);
  close(nn.elu(f32([-1, 2]), { alpha: 2 }), [2 * Math.expm1(-1), 2]);
  close(nn.elu(f32([-1, 2]), 2), [2 * Math.expm1(-1), 2]);
});

test("nn.relu6 has JAX's gradient: 0 at both kinks", () => {
  const g = (v: number) => grad((x: JArray) => nn.relu6(x))(f32(v)).item();
  assert.equal([g(0), g(3), g(6), g(-1), g(7)], [0, 1, 0, 0, 0]);
});

test("nn.oneHot: axis, dtype, and out-of-range labels give zero rows", () => {
  const y = nn.oneHot(jnp.array([0, 2, 3, -1]), 3);
  assert.equal(y.dtype, "float32");
  assert.equal(y.toArray(), [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]]);
  const t = nn.oneHot(jnp.array([0, 2]), 3, { axis: 0, dtype: "int32" });
  assert.equal(t.dtype, "int32");
  assert.equal(t.toArray(), [[1, 0], [0, 0], [0, 1]]);
});

test("nn.standardize: JAX's positional (axis, mean, variance, epsilon)", () => {
  const x = f32([[1, 3], [2, 6]]);
  close(nn.standardize(x), [-1 / Math.sqrt(1 + 1e-5), 1 / Math.sqrt(1 + 1e-5), -2 / Math.sqrt(4 + 1e-5), 2 / Math.sqrt(4 + 1e-5)], 1e-6);
  close(nn.standardize(x, 0, 0, 1, 0), [1, 3, 2, 6]);
  close(nn.standardize(x, { axis: 0, mean: 0, variance: 4, epsilon: 0 }), [0.5, 1.5, 1, 3]);
  close(nn.standardize(x, 0), [-1, -1, 1, 1].map((e, i) => e * [0.5, 1.5][i % 2] / Math.sqrt([0.25, 2.25][i % 2] + 1e-5)), 1e-5);
});

// ---- nn.initializers ----

const key = random.key(3);

test("varianceScaling: each mode and distribution is the documented scaled draw", () => {
  const shape = [3, 5, 4, 6]; // receptive field 15, fan_in 60, fan_out 90
  const vs = nn.initializers.varianceScaling;
  close(vs(2, "fan_in", "normal")(key, shape), toNumbers(jnp.multiply(random.normal(key, shape), Math.sqrt(2 / 60))), 1e-6);
  close(vs(1, "fan_out", "uniform")(key, shape), toNumbers(jnp.multiply(random.uniform(key, shape, { minval: -1 }), Math.sqrt(3 / 90))), 1e-6);
  close(vs(1, "fan_avg", "truncated_normal")(key, shape),
    toNumbers(jnp.multiply(random.truncatedNormal(key, -2, 2, shape), Math.sqrt(1 / 75) / 0.87962566103423978)), 1e-6);
  close(vs(1, "fan_geo_avg", "normal")(key, shape), toNumbers(jnp.multiply(random.normal(key, shape), Math.sqrt(1 / Math.sqrt(60 * 90)))), 1e-6);
});

test("varianceScaling: a bad mode is an error, not fan_avg; 1-D shapes need an explicit inAxis", () => {
  assert.throws(() => nn.initializers.varianceScaling(1, "fan_sum" as any, "normal")(key, [2, 2]), isValueError);
  assert.throws(() => nn.initializers.lecunNormal()(key, [4]), isValueError);
  assert.throws(() => nn.initializers.glorotUniform()(key, []), isValueError);
});

test("initializers take JAX's positional axes and dtype (inAxis, outAxis, batchAxis, dtype)", () => {
  const shape = [4, 3, 5]; // in_axis 0 -> 4, out_axis 1 -> 3, receptive 5
  const want = toNumbers(jnp.multiply(random.uniform(key, shape, { minval: -1 }), Math.sqrt(3 * 1 / ((20 + 15) / 2))));
  close(nn.initializers.glorotUniform(0, 1)(key, shape), want, 1e-6);
  close(nn.initializers.glorotUniform({ inAxis: 0, outAxis: 1 })(key, shape), want, 1e-6);
  // batch_axis: axis 0 of [2, 3, 4] is left out of the fans -> fan_in 3.
  close(nn.initializers.lecunNormal(-2, -1, 0)(key, [2, 3, 4]),
    toNumbers(jnp.multiply(random.truncatedNormal(key, -2, 2, [2, 3, 4]), Math.sqrt(1 / 3) / 0.87962566103423978)), 1e-6);
  // in_axis as a sequence: fan_in = 2 * 3.
  close(nn.initializers.heNormal({ inAxis: [0, 1], outAxis: -1 })(key, [2, 3, 4]),
    toNumbers(jnp.multiply(random.truncatedNormal(key, -2, 2, [2, 3, 4]), Math.sqrt(2 / 6) / 0.87962566103423978)), 1e-6);
  assert.equal(nn.initializers.heNormal(-2, -1, [], "float64")(key, [2, 2]).dtype, "float64");
});

test("normal/uniform/truncatedNormal: (stddev|scale, dtype[, lower, upper]) in JAX's order", () => {
  assert.equal(nn.initializers.normal(0.5, "float64")(key, [3]).dtype, "float64");
  assert.equal(nn.initializers.uniform(2, "float64")(key, [3]).dtype, "float64");
  const t = nn.initializers.truncatedNormal(1, "float32", -0.5, 0.5)(key, [200]);
  const v = toNumbers(t);
  assert.ok(Math.min(...v) >= -0.5 && Math.max(...v) <= 0.5, "truncated to [lower, upper]");
  close(t, toNumbers(random.truncatedNormal(key, -0.5, 0.5, [200])));
  close(nn.initializers.truncatedNormal({ stddev: 3, lower: -1, upper: 1 })(key, [5]), toNumbers(jnp.multiply(random.truncatedNormal(key, -1, 1, [5]), 3)));
});

// ---- optax ----

const golden = JSON.parse(readFileSync(new URL("../../test/goldens/training.json", import.meta.url), "utf8"));
const goldenOptimizers: Record<string, () => optax.GradientTransformation> = {
  "adam nesterov": () => optax.adam(0.01, { nesterov: true }),
  "adam epsRoot": () => optax.adam(0.01, 0.9, 0.999, 1e-8, 1e-3),
  "rmsprop centered biasCorrection nesterov": () => optax.rmsprop(0.01, { centered: true, biasCorrection: true, momentum: 0.9, nesterov: true }),
  "rmsprop eps outside sqrt": () => optax.rmsprop(0.01, 0.9, 1e-2, 0, false),
  "adamw masked": () => optax.adamw(0.01, { weightDecay: 0.3, mask: { w: true, b: false } }),
  "sgd staircase exponentialDecay": () => optax.sgd(optax.exponentialDecay(0.1, 2, 0.5, 1, true, 0.02)),
};
for (const [name, make] of Object.entries(goldenOptimizers)) {
  test(`optax ${name} matches optax's formulas (goldens/make_training_goldens.py)`, () => {
    const opt = make();
    const toTree = (t: any) => ({ w: f32(t.w), b: f32(t.b) });
    let params = toTree(golden.params0);
    let state = opt.init(params);
    golden.grads.forEach((g: any, t: number) => {
      const [u, next] = opt.update(toTree(g), state, params);
      state = next;
      params = optax.applyUpdates(params, u);
      for (const k of ["w", "b"] as const) close(params[k], golden.cases[name][t][k].flat(), 3e-6, `${name} step ${t} ${k}`);
    });
  });
}

test("optax.adamw takes every hyperparameter in optax's positional order (muDtype, weightDecay, mask)", () => {
  const params = { w: f32([1, -2]), b: f32([0.5]) };
  const grads = { w: f32([0.1, 0.2]), b: f32([0.3]) };
  const a = optax.adamw(0.1, 0.9, 0.999, 1e-8, 0, null, 0.5, { w: true, b: false });
  const b = optax.adamw(0.1, { weightDecay: 0.5, mask: { w: true, b: false } });
  const [ua] = a.update(grads, a.init(params), params);
  const [ub] = b.update(grads, b.init(params), params);
  close(ua.w, toNumbers(ub.w));
  close(ua.b, toNumbers(ub.b));
  // First adam step is -lr * sign(g) (eps aside); decay adds -lr * wd * p on masked leaves only.
  close(ua.w, [-0.1 - 0.1 * 0.5 * 1, -0.1 - 0.1 * 0.5 * -2], 1e-5);
  close(ua.b, [-0.1], 1e-5);
});

test("optax.adam muDtype keeps the first moment in that dtype (positional 5th hyperparameter)", () => {
  const p = { w: f32([1, 2]) };
  const tx = optax.adam(0.1, 0.9, 0.999, 1e-8, 0, "float64");
  const [u, s] = tx.update({ w: f32([0.5, -1]) }, tx.init(p), p);
  assert.equal(s[0].mu.w.dtype, "float64");
  assert.equal(s[0].nu.w.dtype, "float32");
  assert.equal(optax.applyUpdates(p, u).w.dtype, "float32");
  close(optax.applyUpdates(p, u).w, [0.9, 2.1], 1e-6);
});

test("optax masks may be a prefix of the params tree (optax.masked)", () => {
  const params = { dense: { kernel: f32([2]), bias: f32([4]) }, norm: { scale: f32([8]) } };
  const grads = tree.map((p: JArray) => jnp.zerosLike(p), params);
  const tx = optax.addDecayedWeights(0.5, { dense: true, norm: false });
  const [u] = tx.update(grads, tx.init(params), params);
  assert.equal([u.dense.kernel.item(), u.dense.bias.item(), u.norm.scale.item()], [1, 2, 0]);
  const fnMask = optax.adamw(1, { weightDecay: 0.5, mask: (p: any) => tree.map(() => false, p) });
  const [u2] = fnMask.update(grads, fnMask.init(params), params);
  assert.equal(u2.norm.scale.item(), 0);
});

test("optax.rmsprop: biasCorrection is the 9th positional argument; the state has a count only when it is used", () => {
  const p = { w: f32([1]) }, g = { w: f32([0.5]) };
  const plain = optax.rmsprop(0.1);
  assert.equal(Object.keys(plain.init(p)[0]), ["nu"]);
  const bc = optax.rmsprop(0.1, 0.9, 1e-8, 0, true, false, null, false, true);
  const s = bc.init(p);
  assert.equal(Object.keys(s[0]).sort(), ["count", "nu"]);
  const [u] = bc.update(g, s, p);
  // nu = 0.1 * 0.25; bias-corrected by 1 - 0.9 -> 0.25; update = -0.1 * 0.5 / sqrt(0.25 + eps).
  close(u.w, [-0.1], 1e-5);
});

test("optax building blocks take optax's positional hyperparameters (scaleByAdam, scaleByRms, scaleByRss)", () => {
  const p = { w: f32([2]) }, g = { w: f32([2]) };
  const [, sa] = optax.scaleByAdam(0.5, 0.75).update(g, optax.scaleByAdam(0.5, 0.75).init(p));
  close(sa.mu.w, [1]);
  close(sa.nu.w, [1]);
  const rms = optax.scaleByRms(0.5, 0);
  const [ur] = rms.update(g, rms.init(p));
  close(ur.w, [2 / Math.sqrt(2)], 1e-6);
  const rss = optax.scaleByRss(0, 0);
  const [us] = rss.update(g, rss.init(p));
  close(us.w, [1]);
  assert.throws(() => optax.scaleByAdam(0.9, { b2: 0.9 } as any), isValueError);
});

test("optax.exponentialDecay: transitionSteps <= 0 or decayRate 0 give the constant initValue", () => {
  assert.equal(toNumbers(optax.exponentialDecay(0.5, 0, 0.1)(jnp.array(7))), [0.5]);
  assert.equal(toNumbers(optax.exponentialDecay(0.5, 10, 0)(jnp.array(7))), [0.5]);
  close(optax.exponentialDecay(1, 2, 0.5, 4)(jnp.array(8)), [0.25]);
});

test("optax schedules: boundaries as optax defines them", () => {
  const s = optax.warmupCosineDecaySchedule(0, 1, 4, 10, 0.1);
  close([0, 2, 4, 7, 10, 20].map((c) => s(jnp.array(c)).item() as number), [0, 0.5, 1, 0.1 + 0.9 * 0.5, 0.1, 0.1], 1e-6);
  assert.throws(() => optax.cosineDecaySchedule(1, 0), isValueError);
  const poly = optax.polynomialSchedule(1, 0, 2, 4, 2);
  close([0, 2, 4, 6, 9].map((c) => poly(jnp.array(c)).item() as number), [1, 1, 0.25, 0, 0]);
});

test("optax optimizers and schedules take optax's keyword arguments as one options object", () => {
  const p = { w: f32([1]) }, g = { w: f32([2]) };
  const step = (tx: optax.GradientTransformation) => toNumbers(tx.update(g, tx.init(p), p)[0].w)[0];
  close([step(optax.sgd({ learningRate: 0.5, momentum: 0.9 }))], [-1]);
  close([step(optax.adam({ learningRate: 0.1, b1: 0.5 }))], [-0.1], 1e-5);
  close([step(optax.adamw({ learningRate: 0.1, weightDecay: 1 }))], [-0.2], 1e-5);
  assert.throws(() => optax.sgd({ momentum: 0.9 } as any), isValueError);
  assert.throws(() => optax.adam("0.1" as any), isValueError);
  const aw = optax.adamw(0.1);
  assert.throws(() => aw.update(g, aw.init(p)), isValueError);
  const w = optax.warmupCosineDecaySchedule({ initValue: 0, peakValue: 1, warmupSteps: 4, decaySteps: 10, endValue: 0.1 });
  close([2, 4, 10].map((c) => w(c).item() as number), [0.5, 1, 0.1], 1e-6);
  close([optax.cosineDecaySchedule({ initValue: 2, decaySteps: 4, alpha: 0.5 })(4).item() as number], [1]);
  close([optax.exponentialDecay({ initValue: 1, transitionSteps: 1, decayRate: 0.5, endValue: 0.2 })(3).item() as number], [0.2]);
  close([optax.linearSchedule({ initValue: 1, endValue: 0, transitionSteps: 4 })(1).item() as number], [0.75]);
  // Positional values, then the rest as options (optax's keywords).
  close([optax.cosineDecaySchedule(0.1, 100, { alpha: 0.1 } as any)(50).item() as number], [optax.cosineDecaySchedule(0.1, 100, 0.1)(50).item() as number]);
  assert.throws(() => optax.cosineDecaySchedule(0.1, 100, { decaySteps: 5 } as any), isValueError);
  assert.throws(() => optax.cosineDecaySchedule({ initValue: 1, decaySteps: 4, alfa: 0 } as any), isValueError);
  close(optax.huberLoss(f32([3]), null, { delta: 2 }), [2 * 3 - 2]);
});

test("optax losses are per example, not reduced", () => {
  const logits = f32([[1, 2, 3], [0, 0, 0]]);
  const ce = optax.softmaxCrossEntropyWithIntegerLabels(logits, jnp.array([2, 0]));
  assert.equal(ce.shape, [2]);
  const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
  close(ce, [lse - 3, Math.log(3)], 1e-6);
  assert.equal(optax.sigmoidBinaryCrossEntropy(f32([[0, 1]]), f32([[1, 0]])).shape, [1, 2]);
  close(optax.huberLoss(f32([0.5, 3]), f32([0, 0]), 1), [0.125, 2.5]);
  close(optax.l2Loss(f32([2])), [2]);
});

// ---- linen ----

test("linen.Dropout: deterministic positionally in the call, as flax's __call__(x, deterministic)", () => {
  const m = linen.Dropout(0.5);
  const x = jnp.ones([4, 8]);
  const v = m.init({ params: key, dropout: key }, x, true);
  assert.equal(toNumbers(m.apply(v, x, true)), toNumbers(x));
  const y = toNumbers(m.apply(v, x, false, { rngs: { dropout: key } }));
  assert.ok(y.some((e) => e === 0) && y.every((e) => e === 0 || e === 2));
  assert.throws(() => m.apply(v, x, "no" as any, { rngs: { dropout: key } }), isValueError);
});

test("linen.Dropout broadcastDims shares the mask along those axes", () => {
  const m = linen.Dropout({ rate: 0.5, broadcastDims: [0] });
  const x = jnp.ones([6, 10]);
  const y = m.apply({}, x, { deterministic: false }, { rngs: { dropout: key } }).toArray() as number[][];
  for (const row of y) assert.equal(row, y[0]);
});

test("linen.BatchNorm: useRunningAverage positionally, in the constructor or the call", () => {
  const x = f32([[1, 2], [3, 6]]);
  const bn = linen.BatchNorm(true);
  const v = bn.init(key, x);
  assert.equal(Object.keys(v).sort(), ["batch_stats", "params"]);
  assert.equal(Object.keys(v.batch_stats).sort(), ["mean", "var"]);
  // Running stats 0 / 1: the output is x / sqrt(1 + eps).
  close(bn.apply(v, x), toNumbers(x).map((e) => e / Math.sqrt(1 + 1e-5)), 1e-6);
  const bn2 = linen.BatchNorm({ momentum: 0.5 });
  const v2 = bn2.init(key, x, false);
  close(bn2.apply(v2, x, true), toNumbers(x).map((e) => e / Math.sqrt(1 + 1e-5)), 1e-6);
  const [, upd] = bn2.apply(v2, x, false, { mutable: ["batch_stats"] });
  close(upd.batch_stats.mean, [0.5 * 2, 0.5 * 4]);
});

test("linen.LayerNorm(epsilon) positionally, and its options", () => {
  const x = f32([[1, 3]]);
  const ln = linen.LayerNorm(0.5);
  const v = ln.init(key, x);
  assert.equal(Object.keys(v.params).sort(), ["bias", "scale"]);
  close(ln.apply(v, x), [-1 / Math.sqrt(1.5), 1 / Math.sqrt(1.5)], 1e-6);
  const ln2 = linen.LayerNorm({ useBias: false, scaleInit: nn.initializers.constant(2) });
  const v2 = ln2.init(key, x);
  assert.equal(Object.keys(v2.params), ["scale"]);
  close(ln2.apply(v2, x), [-2 / Math.sqrt(1 + 1e-6), 2 / Math.sqrt(1 + 1e-6)], 1e-6);
});

test("linen.avgPool / maxPool take flax's positional strides and padding, and countIncludePad", () => {
  const x = jnp.reshape(f32([1, 2, 3, 4, 5, 6]), [1, 6, 1]);
  close(linen.avgPool(x, [2], [2]), [1.5, 3.5, 5.5]);
  close(linen.maxPool(x, [2], [2], "VALID"), [2, 4, 6]);
  close(linen.avgPool(x, [2], [2], [[1, 1]]), [0.5, 2.5, 4.5, 3]);
  close(linen.avgPool(x, [2], [2], [[1, 1]], false), [1, 2.5, 4.5, 6]);
  close(linen.avgPool(x, [2], { strides: [2], padding: [[1, 1]], countIncludePad: false }), [1, 2.5, 4.5, 6]);
});

test("linen modules auto-name Dense_0, Dense_1 with kernel/bias in params", () => {
  class MLP extends linen.Module {
    call(x: JArray) { return linen.Dense(3).call(nn.relu(linen.Dense(4).call(x))); }
  }
  const v = new MLP().init(key, jnp.ones([2, 5]));
  assert.equal(Object.keys(v.params).sort(), ["Dense_0", "Dense_1"]);
  assert.equal(v.params.Dense_0.kernel.shape, [5, 4]);
  assert.equal(v.params.Dense_1.bias.shape, [3]);
});

test("linen.Conv: flax's padding forms (int, per-dim pairs, CIRCULAR, CAUSAL)", () => {
  const x = jnp.reshape(f32([1, 2, 3, 4]), [1, 4, 1]);
  const ones3 = () => jnp.ones([3, 1, 1]);
  const run = (padding: any) => {
    const m = linen.Conv({ features: 1, kernelSize: [3], padding, useBias: false, kernelInit: ones3 as any });
    return toNumbers(m.apply(m.init(key, x), x));
  };
  assert.equal(run(1), [3, 6, 9, 7]);
  assert.equal(run([[2, 0]]), [1, 3, 6, 9]);
  assert.equal(run("CAUSAL"), [1, 3, 6, 9]);
  assert.equal(run("CIRCULAR"), [7, 6, 9, 8]);
  assert.equal(run("VALID"), [6, 9]);
  assert.throws(() => run("FULL"), isValueError);
});

test("linen.Conv and pools take any number of batch axes (none, one, several), as flax", () => {
  const c = linen.Conv(2, [3], { padding: "VALID" });
  const x = jnp.reshape(jnp.arange(2 * 3 * 5 * 1).astype("float32"), [2, 3, 5, 1]);
  const v = c.init(key, x);
  const y = c.apply(v, x);
  assert.equal(y.shape, [2, 3, 3, 2]);
  close(y.get(1, 2), toNumbers(c.apply(v, x.get(1, 2))));
  close(y.get(1), toNumbers(c.apply(v, x.get(1))));
  const p = linen.maxPool(x, [2], [2]);
  assert.equal(p.shape, [2, 3, 2, 1]);
  close(p.get(0, 1), toNumbers(linen.maxPool(x.get(0, 1), [2], [2])));
  assert.throws(() => linen.Sequential([]), isValueError);
});

test("linen.Embed needs integer indices, as flax", () => {
  const m = linen.Embed(5, 2);
  const v = m.init(key, jnp.array([0, 3]));
  assert.equal(v.params.embedding.shape, [5, 2]);
  assert.throws(() => m.apply(v, f32([0, 1])), isValueError);
});

test("TrainState.create keeps extra fields (flax's **kwargs); applyGradients({ grads, ...fields }) replaces them", () => {
  const params = { w: f32([1, 2]) };
  const s0 = linen.TrainState.create({ applyFn: () => 0, params, tx: optax.sgd(0.5), batchStats: { mean: f32([0]) } });
  assert.equal(toNumbers(s0.batchStats.mean), [0]);
  const s1 = s0.applyGradients({ grads: { w: f32([1, 1]) }, batchStats: { mean: f32([3]) } });
  assert.equal(toNumbers(s1.params.w), [0.5, 1.5]);
  assert.equal(toNumbers(s1.batchStats.mean), [3]);
  assert.equal(s1.step.item(), 1);
  const s2 = s1.applyGradients({ w: f32([1, 1]) });
  assert.equal(toNumbers(s2.batchStats.mean), [3]);
  assert.equal(tree.leaves(s2).length, 3); // step, w, batchStats.mean (sgd has no state leaves)
  const back = tree.unflatten(tree.structure(s2), tree.leaves(s2));
  assert.equal(toNumbers(back.batchStats.mean), [3]);
});

test("linen layers take flax's next positional field or options, and reject anything else", () => {
  const d = linen.Dense(3, false);
  assert.equal(Object.keys(d.init(key, jnp.ones([1, 2])).params), ["kernel"]);
  const c = linen.Conv(2, [3], 2);
  assert.equal(c.apply(c.init(key, jnp.ones([1, 8, 1])), jnp.ones([1, 8, 1])).shape, [1, 4, 2]);
  assert.throws(() => linen.Dense(3, "yes" as any), isValueError);
  assert.throws(() => linen.Embed(3, 2, 7 as any), isValueError);
  assert.throws(() => linen.LayerNorm(1e-3, 5 as any), isValueError);
});

test("linen: a second param of one name is NameInUseError; a stored param of the wrong shape is ScopeParamShapeError", () => {
  class Twice extends linen.Module {
    call(x: JArray) { this.param("w", nn.initializers.ones, [2]); this.param("w", nn.initializers.zeros, [2]); return x; }
  }
  assert.throws(() => new Twice().init(key, f32(1)), (e: unknown) => e instanceof ValueError && /NameInUse/.test((e as Error).message));
  const d = linen.Dense(5);
  assert.throws(() => d.apply({ params: { kernel: jnp.ones([4, 3]), bias: jnp.ones([3]) } }, jnp.ones([1, 4])),
    (e: unknown) => e instanceof ValueError && /ScopeParamShapeError/.test((e as Error).message));
  // Calling one submodule twice shares its params (not a name clash).
  class Shared extends linen.Module {
    override setup() { (this as any).d = linen.Dense(4); }
    call(x: JArray) { return (this as any).d.call((this as any).d.call(x)); }
  }
  const v = new Shared().init(key, jnp.ones([1, 4]));
  assert.equal(Object.keys(v.params), ["d"]);
});

// ---- haiku ----

test("haiku transformWithState.init returns the initial state, not the state after the first step", () => {
  const f = hk.transformWithState((x: JArray) => hk.BatchNorm(true, true, 0.9).call(x, true));
  const x = f32([[1, 2], [3, 6]]);
  const [params, state] = f.init(key, x);
  assert.equal(Object.keys(params), ["batch_norm"]);
  const ema = state["batch_norm/~/mean_ema"];
  assert.equal(ema.counter.item(), 0);
  assert.equal(toNumbers(ema.hidden), [0, 0]);
  // average did not exist before set_state, so its initial value is the one set.
  close(ema.average, [2, 4]);
  const [, s1] = f.apply(params, state, null, x);
  assert.equal(s1["batch_norm/~/mean_ema"].counter.item(), 1);
  close(s1["batch_norm/~/mean_ema"].hidden, [0.2, 0.4]);
});

test("haiku getParameter / getState take (name, shape, dtype, init) positionally", () => {
  const f = hk.transformWithState(() => {
    const w = hk.getParameter("w", [2], "float32", (s: readonly number[], d: any) => jnp.full(s, 3, { dtype: d }));
    const c = hk.getState("c", [], "int32", (s: readonly number[], d: any) => jnp.zeros(s, { dtype: d }));
    return [w, c];
  });
  const [p, s] = f.init(key);
  assert.equal(toNumbers(p["~"].w), [3, 3]);
  assert.equal(s["~"].c.dtype, "int32");
});

test("haiku Linear(outputSize, withBias, wInit, bInit, name) positionally", () => {
  const f = hk.withoutApplyRng(hk.transform((x: JArray) => hk.Linear(3, false, undefined, undefined, "proj").call(x)));
  const p = f.init(key, jnp.ones([1, 2]));
  assert.equal(Object.keys(p), ["proj"]);
  assert.equal(Object.keys(p.proj), ["w"]);
});

test("haiku Conv2D in NCHW has a bias of shape [C, 1, 1]; unbatched input works", () => {
  const f = hk.transform((x: JArray) => hk.Conv2D({ outputChannels: 3, kernelShape: 3, dataFormat: "NCHW" }).call(x));
  const p = f.init(key, jnp.ones([1, 2, 5, 5]));
  assert.equal(p.conv2_d.b.shape, [3, 1, 1]);
  assert.equal(p.conv2_d.w.shape, [3, 3, 2, 3]);
  const g = hk.transform((x: JArray) => hk.Conv2D(4, 3).call(x));
  const pg = g.init(key, jnp.ones([5, 5, 2]));
  assert.equal(g.apply(pg, null, jnp.ones([5, 5, 2])).shape, [5, 5, 4]);
});

test("haiku MLP / BatchNorm take haiku's positional arguments", () => {
  const f = hk.transform((x: JArray) => hk.MLP([4, 2], null, hk.initializers.Constant(0.5), false).call(x));
  const p = f.init(key, jnp.ones([1, 3]));
  assert.equal(Object.keys(p).sort(), ["mlp/~/linear_0", "mlp/~/linear_1"]);
  assert.equal(Object.keys(p["mlp/~/linear_0"]), ["w"]);
  const g = hk.transformWithState((x: JArray) => hk.BatchNorm(false, false, 0.9, 0.5).call(x, true));
  const x = f32([[1], [3]]);
  const [gp, gs] = g.init(key, x);
  close(g.apply(gp, gs, null, x)[0], [-1 / Math.sqrt(1.5), 1 / Math.sqrt(1.5)], 1e-6);
  assert.throws(() => hk.transform(() => hk.MLP([2], 3 as any)).init(key), isValueError);
});

test("haiku MLP call(x, dropoutRate, rng): dropout before each hidden activation, keys as hk.PRNGSequence draws them", () => {
  const init = hk.initializers.Constant(1);
  const f = hk.transform((x: JArray, rate?: number, rng?: JArray) => hk.MLP([6, 2], { wInit: init, activation: (z: JArray) => z }).call(x, rate, rng));
  const x = jnp.ones([1, 3]);
  const p = f.init(key, x);
  const [, sub] = random.split(key);
  const h = toNumbers(hk.dropout(sub, 0.5, jnp.full([1, 6], 3)));
  const s = h.reduce((a, b) => a + b, 0);
  close(f.apply(p, null, x, 0.5, key), [s, s]);
  assert.throws(() => f.apply(p, null, x, 0.5), isValueError);
  assert.throws(() => f.apply(p, null, x, undefined, key), isValueError);
});

test("haiku init takes an integer seed, as hk.PRNGSequence does", () => {
  const f = hk.transform((x: JArray) => hk.Linear(2).call(x));
  const a = f.init(7 as any, jnp.ones([1, 3])), b = f.init(random.key(7), jnp.ones([1, 3]));
  assert.equal(toNumbers(a.linear.w), toNumbers(b.linear.w));
});

test("haiku.initializers.VarianceScaling uses haiku's fans (1-D shapes, max(1, fan))", () => {
  const f = hk.transform(() => hk.getParameter("v", [4], { init: hk.initializers.VarianceScaling(2, "fan_in", "normal") }));
  const v = f.init(key)["~"].v;
  const [, k2] = random.split(key);
  close(v, toNumbers(jnp.multiply(random.normal(k2, [4]), Math.sqrt(2 / 4))), 1e-6);
});

test("haiku.withoutApplyRng keeps the state argument of a transformWithState", () => {
  const f = hk.withoutApplyRng(hk.transformWithState((x: JArray) => {
    const c = hk.getState("n", [], "float32", (s: readonly number[], d: any) => jnp.zeros(s, { dtype: d }));
    hk.setState("n", jnp.add(c, 1));
    return jnp.add(x, c);
  }));
  const [p, s] = f.init(null, f32(10));
  const [out, s1] = f.apply(p, s, f32(10));
  assert.equal(out.item(), 10);
  assert.equal(s1["~"].n.item(), 1);
});

test("haiku.dropout: rate must be in [0, 1)", () => {
  assert.throws(() => hk.dropout(key, 1, jnp.ones([3])), isValueError);
  assert.equal(toNumbers(hk.dropout(key, 0, jnp.ones([3]))), [1, 1, 1]);
});

test.run();
