import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { jnp, optax, tree, grad, jit, vmap, random, ValueError, Array as JArray } from "../src/index.js";
import { maxRelErr, toNumbers } from "./helpers.js";

const data = JSON.parse(readFileSync(new URL("../../test/goldens/optax_extra.json", import.meta.url), "utf8"));
const arr = (v: unknown, dtype: "float32" | "float64" = "float32") => jnp.array(v as number[], { dtype });
const toTree = (t: Record<string, unknown>) => ({ w: arr(t.w), b: arr(t.b) });
const flat = (v: unknown) => (v as number[][]).flat ? (v as number[][]).flat() as number[] : (v as number[]);
type P = { w: JArray; b: JArray };
const keysOf = (s: unknown) => Object.keys(s as object).sort();

const optimizers: Record<string, () => optax.GradientTransformation> = {
  "adamax": () => optax.adamax(0.01),
  "adamaxw": () => optax.adamaxw(0.01, { weightDecay: 0.1 }),
  "nadam": () => optax.nadam(0.01),
  "nadamw": () => optax.nadamw({ learningRate: 0.01, weightDecay: 0.1 }),
  "radam": () => optax.radam(0.01),
  "radam b2=0.9": () => optax.radam(0.01, 0.9, 0.9),
  "amsgrad": () => optax.amsgrad(0.01),
  "lamb": () => optax.lamb(0.01, { weightDecay: 0.01 }),
  "lars": () => optax.lars(0.1, 0.01),
  "lion": () => optax.lion(0.01),
  "adabelief": () => optax.adabelief(0.01),
  "yogi": () => optax.yogi(0.01),
  "novograd": () => optax.novograd(0.01),
  "novograd wd": () => optax.novograd(0.01, 0.9, 0.25, 1e-6, 0, 0.1),
  "adadelta": () => optax.adadelta(0.5),
  "adafactor": () => optax.adafactor(),
  "adafactor factored": () => optax.adafactor({ learningRate: 0.01, minDimSizeToFactor: 2, momentum: 0.9, weightDecayRate: 0.01 }),
  "fromage": () => optax.fromage(0.01),
  "sign sgd": () => optax.signSgd(0.01),
  "signum": () => optax.signum(0.01),
};

function runSteps(opt: optax.GradientTransformation, n = data.grads.length, step?: (p: P, s: unknown, g: P) => [P, unknown]) {
  let params = toTree(data.params0);
  let state = opt.init(params);
  const out: P[] = [];
  for (let t = 0; t < n; t++) {
    const g = toTree(data.grads[t]);
    if (step) [params, state] = step(params, state, g);
    else {
      const [u, next] = opt.update(g, state, params);
      state = next;
      params = optax.applyUpdates(params, u);
    }
    out.push(params);
  }
  return { out, state };
}

for (const [name, make] of Object.entries(optimizers)) {
  test(`optax.${name} matches optax's formulas step by step, eager and jitted`, () => {
    const want = data.optimizers[name] as Record<string, number[][]>[];
    const opt = make();
    const eager = runSteps(opt).out;
    const step = jit((p: P, s: unknown, g: P) => {
      const [u, s2] = opt.update(g, s, p);
      return [optax.applyUpdates(p, u), s2] as [P, unknown];
    });
    const jitted = runSteps(opt, undefined, step as any).out;
    eager.forEach((p, t) => {
      for (const k of ["w", "b"] as const) {
        const exp = flat(want[t][k]);
        assert.ok(maxRelErr(toNumbers(p[k]), exp) < 3e-6, `${name} step ${t} ${k}: ${toNumbers(p[k]).slice(0, 3)} vs ${exp.slice(0, 3)}`);
        assert.ok(maxRelErr(toNumbers(jitted[t][k]), exp) < 3e-6, `${name} jitted step ${t} ${k}`);
      }
    });
    assert.is(step.traceCount, 1);
  });
}

test("state structures carry optax's field names", () => {
  const p = { w: jnp.zeros([3, 4]), b: jnp.zeros([4]) };
  const st = (t: optax.GradientTransformation) => t.init(p);
  assert.equal(keysOf(st(optax.scaleByAdamax())), ["count", "mu", "nu"]);
  assert.equal(keysOf(st(optax.scaleByAmsgrad())), ["count", "mu", "nu", "nuMax"]);
  assert.equal(keysOf(st(optax.scaleByLion())), ["count", "mu"]);
  assert.equal(keysOf(st(optax.scaleByAdadelta())), ["eG", "eX"]);
  assert.equal(keysOf(st(optax.scaleByNovograd())), ["count", "mu", "nu"]);
  assert.equal(st(optax.scaleByNovograd()).nu.w.shape, []);
  assert.equal(keysOf(st(optax.ema(0.9))), ["count", "ema"]);
  assert.equal(keysOf(st(optax.addNoise(0.1, 0.5, 0))), ["count", "rngKey"]);
  assert.equal(keysOf(st(optax.zeroNans())), ["foundNan"]);
  const f = st(optax.scaleByFactoredRms({ minDimSizeToFactor: 3 }));
  assert.equal(keysOf(f), ["count", "v", "vCol", "vRow"]);
  assert.equal([f.vRow.w.shape, f.vCol.w.shape, f.v.w.shape, f.v.b.shape, f.vRow.b.shape], [[3], [4], [1], [4], [1]]);
  assert.equal(keysOf(st(optax.masked(optax.adam(0.1), { w: true, b: false }))), ["innerState"]);
  assert.equal(keysOf(st(optax.partition({ a: optax.adam(0.1) }, { w: "a", b: "a" }))), ["innerStates"]);
  assert.equal(keysOf(st(optax.applyIfFinite(optax.sgd(0.1), 2))), ["innerState", "lastFinite", "notfiniteCount", "totalNotfinite"]);
  assert.equal(keysOf(new optax.MultiSteps(optax.sgd(0.1), 2).init(p)), ["accGrads", "gradientStep", "innerOptState", "miniStep", "skipState"]);
  const inj = optax.injectHyperparams(optax.adam)({ learningRate: 0.1, b1: 0.8 }).init(p);
  assert.equal(keysOf(inj), ["count", "hyperparams", "hyperparamsStates", "innerState"]);
  assert.equal(keysOf(inj.hyperparams), ["b1", "learningRate"]);
  assert.is(inj.hyperparams.learningRate.dtype, "float32");
  assert.equal(keysOf(st(optax.namedChain(["clip", optax.clip(1)], ["adam", optax.adam(0.1)]))), ["adam", "clip"]);
});

test("MultiSteps steps the inner optimizer on the mean of every k gradients", () => {
  const k = 3, inner = optax.sgd(0.1, 0.9);
  const ms = new optax.MultiSteps(inner, k);
  const tx = ms.gradientTransformation();
  const stepJ = jit((p: P, s: any, g: P) => { const [u, s2] = tx.update(g, s, p); return [optax.applyUpdates(p, u), s2]; });
  let p = toTree(data.params0), s = tx.init(p);
  let q = toTree(data.params0), qs = inner.init(q);
  let acc: P[] = [];
  for (let t = 0; t < 6; t++) {
    const g = toTree(data.grads[t]);
    [p, s] = stepJ(p, s, g) as [P, any];
    acc.push(g);
    if (acc.length === k) {
      const mean = tree.map((...xs: JArray[]) => jnp.divide(xs.reduce((a, b) => jnp.add(a, b)), k), ...(acc as [P, ...P[]]));
      const [u, qs2] = inner.update(mean, qs, q);
      qs = qs2; q = optax.applyUpdates(q, u); acc = [];
    }
    assert.is(toNumbers(ms.hasUpdated(s))[0], t % k === k - 1 ? 1 : 0);
    assert.is(toNumbers(s.gradientStep)[0], Math.floor((t + 1) / k));
    assert.is(toNumbers(s.miniStep)[0], (t + 1) % k);
    assert.ok(maxRelErr(toNumbers(p.w), toNumbers(q.w)) < 1e-6, `step ${t}`);
  }
  assert.is(stepJ.traceCount, 1);
  // A summing accumulator and a skip function.
  const skip = new optax.MultiSteps(optax.sgd(1), 2, false, (u: P) => [jnp.any(jnp.isnan(u.b)), []]);
  let ss = skip.init(p);
  const g = { w: jnp.onesLike(p.w), b: jnp.onesLike(p.b) }, bad = { w: jnp.onesLike(p.w), b: jnp.full([2], NaN) };
  let u: P;
  [u, ss] = skip.update(g, ss, p);
  [u, ss] = skip.update(bad, ss, p);
  assert.equal(toNumbers(u.w), [0, 0, 0, 0, 0, 0]);
  assert.is(toNumbers(ss.miniStep)[0], 1);
  [u, ss] = skip.update(g, ss, p);
  assert.equal(toNumbers(u.b), [-2, -2]);
  assert.throws(() => new optax.MultiSteps(optax.sgd(1), 0), (e: unknown) => e instanceof ValueError && /MultiSteps/.test(String(e)));
});

test("applyIfFinite skips non-finite updates, then gives up after maxConsecutiveErrors", () => {
  const tx = optax.applyIfFinite(optax.adam(0.1), 2);
  const p = { x: jnp.array([1, 2]) };
  let s = tx.init(p);
  const nan = { x: jnp.array([NaN, 1]) }, ok = { x: jnp.array([0.5, -1]) };
  let u: { x: JArray };
  [u, s] = tx.update(ok, s, p);
  const mu1 = toNumbers(s.innerState[0].mu.x);
  for (let i = 1; i <= 2; i++) {
    [u, s] = tx.update(nan, s, p);
    assert.equal(toNumbers(u.x), [0, 0]);
    assert.equal(toNumbers(s.innerState[0].mu.x), mu1);
    assert.is(toNumbers(s.notfiniteCount)[0], i);
    assert.is(toNumbers(s.lastFinite)[0], 0);
  }
  [u, s] = tx.update(nan, s, p);
  assert.ok(Number.isNaN(toNumbers(u.x)[0]));
  assert.is(toNumbers(s.totalNotfinite)[0], 3);
  [u, s] = tx.update(ok, s, p);
  assert.is(toNumbers(s.notfiniteCount)[0], 0);
  assert.is(toNumbers(s.totalNotfinite)[0], 3);
});

test("injectHyperparams: hyperparameters in the state, settable between (jitted) steps", () => {
  const adamInj = optax.injectHyperparams(optax.adam)({ learningRate: 0.01 });
  const want = runSteps(optax.adam(0.01), 4).out;
  const got = runSteps(adamInj, 4).out;
  got.forEach((p, t) => assert.ok(maxRelErr(toNumbers(p.w), toNumbers(want[t].w)) < 1e-6));
  // Setting the learning rate: an sgd step with the new value, without retracing.
  const sgdInj = optax.injectHyperparams(optax.sgd)(0.1, { momentum: 0.5 });
  const step = jit((p: P, s: any, g: P) => { const [u, s2] = sgdInj.update(g, s, p); return [optax.applyUpdates(p, u), s2]; });
  let p = toTree(data.params0), s = sgdInj.init(p);
  const g = toTree(data.grads[0]);
  [p, s] = step(p, s, g) as [P, any];
  s.hyperparams.learningRate = jnp.array(0.2, { dtype: "float32" });
  s.hyperparams.momentum = jnp.array(0, { dtype: "float32" });
  const before = toNumbers(p.w);
  [p, s] = step(p, s, g) as [P, any];
  const gw = toNumbers(g.w);
  toNumbers(p.w).forEach((v, i) => assert.ok(Math.abs(v - (before[i] - 0.2 * gw[i])) < 1e-6));
  assert.is(step.traceCount, 1);
  // A schedule is evaluated at the count and recorded.
  const sch = optax.injectHyperparams(optax.sgd)({ learningRate: optax.linearSchedule(1, 0, 4) });
  let ss = sch.init(p);
  for (let i = 0; i < 3; i++) [, ss] = sch.update(g, ss, p);
  assert.ok(Math.abs(toNumbers(ss.hyperparams.learningRate)[0] - 0.5) < 1e-7);
  assert.is(toNumbers(ss.hyperparamsStates.learningRate.count)[0], 3);
  // Other optimizers take array hyperparameters too.
  const lionInj = runSteps(optax.injectHyperparams(optax.lion)({ learningRate: 0.01 }), 3).out;
  assert.ok(maxRelErr(toNumbers(lionInj[2].b), flat(data.optimizers.lion[2].b)) < 3e-6);
  assert.throws(() => optax.injectHyperparams(optax.adam)(0.1, 0.9), (e: unknown) => e instanceof ValueError);
});

test("masked, partition, namedChain, flatten, setToZero", () => {
  const adam = runSteps(optax.adam(0.01), 3).out, sgd = runSteps(optax.sgd(0.1), 3).out;
  const part = runSteps(optax.partition({ a: optax.adam(0.01), s: optax.sgd(0.1) }, { w: "a", b: "s" }), 3).out;
  const part2 = runSteps(optax.multiTransform({ a: optax.adam(0.01), s: optax.sgd(0.1) }, (p: P) => ({ w: "a", b: tree.map(() => "s", p.b) })), 3).out;
  const msk = runSteps(optax.chain(optax.masked(optax.adam(0.01), { w: true, b: false })), 3).out;
  for (let t = 0; t < 3; t++) {
    assert.ok(maxRelErr(toNumbers(part[t].w), toNumbers(adam[t].w)) < 1e-7);
    assert.ok(maxRelErr(toNumbers(part[t].b), toNumbers(sgd[t].b)) < 1e-7);
    assert.ok(maxRelErr(toNumbers(part2[t].b), toNumbers(sgd[t].b)) < 1e-7);
    assert.ok(maxRelErr(toNumbers(msk[t].w), toNumbers(adam[t].w)) < 1e-7);
  }
  // Masked-out leaves pass through unchanged (the raw gradient is added).
  const gsum = toNumbers(toTree(data.params0).b).map((v, i) => v + [0, 1, 2].reduce((s, t) => s + flat(data.grads[t].b)[i], 0));
  assert.ok(maxRelErr(toNumbers(msk[2].b), gsum) < 1e-6);
  const flatAdam = runSteps(optax.flatten(optax.adam(0.01)), 3).out;
  assert.ok(maxRelErr(toNumbers(flatAdam[2].w), toNumbers(adam[2].w)) < 1e-7);
  const named = runSteps(optax.namedChain(["a", optax.scaleByAdam()], ["lr", optax.scale(-0.01)]), 3);
  assert.ok(maxRelErr(toNumbers(named.out[2].w), toNumbers(adam[2].w)) < 1e-7);
  assert.equal(keysOf((named.state as any).a), ["count", "mu", "nu"]);
  const frozen = runSteps(optax.partition({ t: optax.adam(0.01), f: optax.setToZero() }, { w: "t", b: "f" }), 2).out;
  assert.equal(toNumbers(frozen[1].b), toNumbers(toTree(data.params0).b));
  assert.throws(() => optax.partition({ a: optax.adam(1) }, { w: "a", b: "zzz" }).init(toTree(data.params0)),
    (e: unknown) => e instanceof ValueError && /zzz/.test(String(e)));
  assert.throws(() => optax.namedChain(["a", optax.identity()], ["a", optax.identity()]), (e: unknown) => e instanceof ValueError);
});

test("small transforms: zeroNans, keepParamsNonnegative, centralize, clipByBlockRms, trust ratio needs params", () => {
  // jnp.full once skipped the fill for NaN (a falsy number): zeroNans and skip functions rely on it.
  assert.ok(toNumbers(jnp.full([2], NaN)).every(Number.isNaN));
  assert.ok(toNumbers(jnp.fullLike(jnp.zeros([2], { dtype: "int32" }), NaN, "float32")).every(Number.isNaN));
  const [u, s] = optax.zeroNans().update({ a: jnp.array([NaN, 2]), b: jnp.array([1]) }, optax.zeroNans().init({ a: jnp.zeros([2]), b: jnp.zeros([1]) }));
  assert.equal(toNumbers(u.a), [0, 2]);
  assert.equal([toNumbers(s.foundNan.a)[0], toNumbers(s.foundNan.b)[0]], [1, 0]);
  const [k] = optax.keepParamsNonnegative().update(jnp.array([-3, -1, 1]), {}, jnp.array([2, 2, 2]));
  assert.equal(toNumbers(k), [-2, -1, 1]);
  const [c] = optax.centralize().update({ m: jnp.array([[1, 3], [0, 4]]), v: jnp.array([1, 3]) }, {});
  assert.equal([toNumbers(c.m), toNumbers(c.v)], [[-1, 1, -2, 2], [1, 3]]);
  const [r] = optax.clipByBlockRms(1).update(jnp.array([3, 4]), {});
  const rms = Math.sqrt(12.5);
  assert.ok(maxRelErr(toNumbers(r), [3 / rms, 4 / rms]) < 1e-6);
  assert.throws(() => optax.scaleByTrustRatio().update({ a: jnp.ones([2]) }, {}), (e: unknown) => e instanceof ValueError && /params/.test(String(e)));
});

test("noisySgd adds N(0, eta / t^gamma) noise, reproducibly from its key", () => {
  const p = { x: jnp.zeros([20000]) }, g = { x: jnp.ones([20000]) };
  const opt = optax.noisySgd(0.1, { eta: 0.04, gamma: 0.55, key: random.key(3) });
  let s = opt.init(p);
  for (let t = 1; t <= 2; t++) {
    let u: { x: JArray };
    [u, s] = opt.update(g, s, p);
    const noise = toNumbers(u.x).map((v) => -v / 0.1 - 1);
    const mean = noise.reduce((a, b) => a + b, 0) / noise.length;
    const sd = Math.sqrt(noise.reduce((a, b) => a + (b - mean) ** 2, 0) / noise.length);
    assert.ok(Math.abs(mean) < 0.01 && Math.abs(sd - Math.sqrt(0.04 / t ** 0.55)) < 0.01, `t=${t}: ${mean} ${sd}`);
  }
  const a = opt.update(g, opt.init(p), p)[0], b = opt.update(g, opt.init(p), p)[0];
  assert.equal(toNumbers(a.x).slice(0, 5), toNumbers(b.x).slice(0, 5));
});

test("schedules match optax's formulas, eager and jitted", () => {
  const scheds: Record<string, optax.Schedule> = {
    piecewiseConstant: optax.piecewiseConstantSchedule(0.5, { 5: 0.5, 12: 0.1, 20: 2 }),
    piecewiseLinear: optax.piecewiseInterpolateSchedule("linear", 0.5, { 4: 2, 10: 0.25, 25: 0.1 }),
    piecewiseCosine: optax.piecewiseInterpolateSchedule({ interpolateType: "cosine", initValue: 0.5, boundariesAndScales: new Map([[10, 0.25], [4, 2], [25, 0.1]]) }),
    linearOnecycle: optax.linearOnecycleSchedule(20, 0.2),
    cosineOnecycle: optax.cosineOnecycleSchedule({ transitionSteps: 20, peakValue: 0.2 }),
    warmupExponential: optax.warmupExponentialDecaySchedule(0, 1, 4, 3, 0.5, 2, true, 0.1),
    warmupConstant: optax.warmupConstantSchedule(0.1, 1, 5),
    sgdr: optax.sgdrSchedule([{ initValue: 0, peakValue: 1, warmupSteps: 2, decaySteps: 10, endValue: 0.1 },
      { initValue: 0, peakValue: 0.5, warmupSteps: 3, decaySteps: 12, endValue: 0.05 }]),
  };
  for (const [name, f] of Object.entries(scheds)) {
    const want = data.schedules[name] as number[];
    const jf = jit((c: JArray) => f(c));
    const got = (data.steps as number[]).map((c) => toNumbers(f(jnp.array(c, { dtype: "int32" })))[0]);
    const gotJ = (data.steps as number[]).map((c) => toNumbers(jf(jnp.array(c, { dtype: "int32" })))[0]);
    assert.ok(maxRelErr(got, want) < 2e-6, `${name}: ${got.slice(0, 8)} vs ${want.slice(0, 8)}`);
    assert.ok(maxRelErr(gotJ, want) < 2e-6, `${name} jitted`);
  }
  // A vector of counts evaluates elementwise.
  const many = toNumbers(scheds.piecewiseLinear(jnp.arange(0, 31, 1, "int32")));
  assert.ok(maxRelErr(many, data.schedules.piecewiseLinear) < 2e-6);
  assert.throws(() => optax.piecewiseConstantSchedule(1, { 3: -1 }), (e: unknown) => e instanceof ValueError && /non-negative/.test(String(e)));
  assert.throws(() => optax.cosineOnecycleSchedule(0, 1), (e: unknown) => e instanceof ValueError);
  assert.throws(() => optax.piecewiseInterpolateSchedule("cubic" as any, 1), (e: unknown) => e instanceof ValueError);
});

test("lookahead, skipNotFinite/skipLargeUpdates, incrementalUpdate, periodicUpdate", () => {
  const opt = optax.lookahead(optax.sgd(0.1), 2, 0.5);
  const step = jit((p: any, s: any, g: any) => { const [u, s2] = opt.update(g, s, p); return [optax.applyUpdates(p, u), s2]; });
  let p: any = optax.LookaheadParams.initSynced({ x: arr([1, -1]) }), s = opt.init(p);
  let fast = [1, -1], slow = [1, -1];
  for (let t = 0; t < 5; t++) {
    const g = [0.5 * t + 1, -0.25 * t];
    [p, s] = step(p, s, { x: arr(g) }) as [any, any];
    fast = fast.map((f, i) => f - 0.1 * g[i]);
    if (t % 2 === 1) { slow = slow.map((v, i) => v + 0.5 * (fast[i] - v)); fast = [...slow]; }
    assert.ok(maxRelErr(toNumbers(p.fast.x), fast) < 1e-6 && maxRelErr(toNumbers(p.slow.x), slow) < 1e-6, `step ${t}`);
  }
  assert.equal(keysOf(s), ["fastState", "stepsSinceSync"]);
  assert.throws(() => opt.update({ x: jnp.ones([2]) }, s, { x: jnp.ones([2]) }), (e: unknown) => e instanceof ValueError && /initSynced/.test(String(e)));
  const [skip, st] = optax.skipNotFinite({ a: jnp.array([NaN, Infinity, 1]), b: jnp.array([2]) });
  assert.is(toNumbers(skip)[0], 1);
  assert.is(toNumbers(st.numNotFinite)[0], 2);
  const [big, st2] = optax.skipLargeUpdates({ a: jnp.array([3, 4]) }, undefined, undefined, 24);
  assert.equal([toNumbers(big)[0], toNumbers(st2.normSquared)[0]], [1, 25]);
  const ms = new optax.MultiSteps(optax.sgd(1), 2, true, optax.skipNotFinite);
  assert.equal(keysOf(ms.init({ a: jnp.zeros([2]) }).skipState), ["numNotFinite", "shouldSkip"]);
  assert.equal(toNumbers(optax.incrementalUpdate({ a: jnp.array([1, 2]) }, { a: jnp.array([3, 4]) }, 0.25).a), [2.5, 3.5]);
  assert.equal(toNumbers(optax.periodicUpdate({ a: jnp.array([1]) }, { a: jnp.array([3]) }, jnp.array(4), 2).a), [1]);
  assert.equal(toNumbers(optax.periodicUpdate({ a: jnp.array([1]) }, { a: jnp.array([3]) }, 5, 2).a), [3]);
});

const L = data.losses;
const x32 = arr(L.x), y32 = arr(L.y), probs = arr(L.probs), logp = arr(L.logp), lab = arr(L.labels01), mask = jnp.array(L.mask, { dtype: "bool" });

test("losses match numpy", () => {
  const cases: [string, JArray, number][] = [
    ["logCosh", optax.logCosh(x32, y32), 2e-6],
    ["cosineSimilarity", optax.cosineSimilarity(x32, y32), 2e-6],
    ["cosineSimilarityAxis0", optax.cosineSimilarity(x32, y32, { axis: 0, epsilon: 0.1 }), 2e-6],
    ["cosineDistance", optax.cosineDistance(x32, y32), 2e-6],
    ["hingeLoss", optax.hingeLoss(x32, jnp.sign(y32)), 1e-6],
    ["klDivergence", optax.klDivergence(logp, probs), 2e-6],
    ["klDivergenceWithLogTargets", optax.klDivergenceWithLogTargets(logp, arr(L.logq)), 2e-6],
    ["convexKlDivergence", optax.convexKlDivergence(logp, probs), 2e-6],
    ["sigmoidFocalLoss", optax.sigmoidFocalLoss(x32, lab), 2e-6],
    ["sigmoidFocalLossAlpha", optax.sigmoidFocalLoss(x32, lab, { alpha: 0.25, gamma: 1.5 }), 2e-6],
    ["smoothLabels", optax.smoothLabels(probs, 0.1), 1e-6],
    ["smoothLabelsWhere", optax.smoothLabels(probs, 0.1, { where: mask }), 1e-6],
    ["softmaxCrossEntropyWhere", optax.softmaxCrossEntropy(x32, probs, { where: mask }), 2e-6],
  ];
  for (const [name, got, tol] of cases) {
    assert.ok(maxRelErr(toNumbers(got), flat(L[name])) < tol, `${name}: ${toNumbers(got).slice(0, 4)} vs ${flat(L[name]).slice(0, 4)}`);
  }
  assert.equal(toNumbers(optax.softmaxCrossEntropy(x32, probs, -1, mask)), toNumbers(optax.softmaxCrossEntropy(x32, probs, { where: mask })));
  assert.ok(maxRelErr(toNumbers(optax.klDivergence(logp, probs, { axis: -1, where: jnp.onesLike(mask) })), flat(L.klDivergence)) < 2e-6);
  assert.throws(() => optax.klDivergence(jnp.array([1, 2]), jnp.array([1, 2])), (e: unknown) => e instanceof ValueError && /float/.test(String(e)));
});

test("loss gradients match central differences (float64), and vmap matches a loop", () => {
  const x64 = arr(L.x, "float64"), y64 = arr(L.y, "float64"), p64 = arr(L.probs, "float64"), l64 = arr(L.labels01, "float64");
  const fns: Record<string, (a: JArray) => JArray> = {
    logCosh: (a) => jnp.sum(optax.logCosh(a, y64)),
    cosineSimilarity: (a) => jnp.sum(optax.cosineSimilarity(a, y64)),
    klDivergence: (a) => jnp.sum(optax.klDivergence(nnLogSoftmax(a), p64)),
    convexKlDivergence: (a) => jnp.sum(optax.convexKlDivergence(a, p64)),
    sigmoidFocalLoss: (a) => jnp.sum(optax.sigmoidFocalLoss(a, l64, { alpha: 0.25 })),
    safeSoftmaxCrossEntropy: (a) => jnp.sum(optax.safeSoftmaxCrossEntropy(a, p64)),
    softmaxCrossEntropyWhere: (a) => jnp.sum(optax.softmaxCrossEntropy(a, p64, { where: mask })),
    hingeLoss: (a) => jnp.sum(optax.hingeLoss(a, jnp.sign(y64))),
  };
  const base = toNumbers(x64);
  for (const [name, f] of Object.entries(fns)) {
    const g = toNumbers(grad(f)(x64));
    const h = 1e-6;
    const num = base.map((_, i) => {
      const at = (d: number) => toNumbers(f(jnp.array(base.map((v, j) => (j === i ? v + d : v)), { dtype: "float64", shape: [3, 4] } as any)))[0];
      return (at(h) - at(-h)) / (2 * h);
    });
    assert.ok(maxRelErr(g, num) < 1e-5, `${name}: ${g.slice(0, 4)} vs ${num.slice(0, 4)}`);
  }
  const vm = toNumbers(vmap((a: JArray, b: JArray) => optax.cosineSimilarity(a, b))(x32, y32));
  assert.ok(maxRelErr(vm, flat(L.cosineSimilarity)) < 2e-6);
});

test("safeSoftmaxCrossEntropy stays finite with -inf logits under zero labels", () => {
  const logits = jnp.array([[0, -Infinity, 1]]), labels = jnp.array([[0.5, 0, 0.5]]);
  const v = toNumbers(optax.safeSoftmaxCrossEntropy(logits, labels))[0];
  const lse = Math.log(1 + Math.E);
  assert.ok(Math.abs(v - (lse - 0.5)) < 1e-6, String(v));
  const g = toNumbers(grad((l: JArray) => jnp.sum(optax.safeSoftmaxCrossEntropy(l, labels)))(logits));
  assert.ok(g.every(Number.isFinite), String(g));
  assert.ok(Math.abs(g[0] - (1 / (1 + Math.E) - 0.5)) < 1e-6);
});

function nnLogSoftmax(a: JArray): JArray {
  return jnp.subtract(a, jnp.logsumexp(a, { axis: -1, keepdims: true }));
}

test.run();
