import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { jnp, optax, tree, grad, jit, Array as JArray } from "../src/index.js";
import { maxRelErr, toNumbers } from "./helpers.js";

const data = JSON.parse(readFileSync(new URL("../../test/goldens/optax.json", import.meta.url), "utf8"));
const arr = (v: unknown) => jnp.array(v as number[], { dtype: "float32" });
const toTree = (t: Record<string, unknown>) => ({ w: arr(t.w), b: arr(t.b) });

const optimizers: Record<string, () => optax.GradientTransformation> = {
  "sgd": () => optax.sgd(0.1),
  "sgd momentum": () => optax.sgd(0.1, { momentum: 0.9 }),
  "sgd nesterov": () => optax.sgd(0.1, { momentum: 0.9, nesterov: true }),
  "adam": () => optax.adam(0.01),
  "adamw": () => optax.adamw(0.01, { weightDecay: 0.1 }),
  "rmsprop": () => optax.rmsprop(0.01),
  "adagrad": () => optax.adagrad(0.1),
  "clip sgd": () => optax.chain(optax.clipByGlobalNorm(1.0), optax.sgd(0.1)),
  "exp decay sgd": () => optax.sgd(optax.exponentialDecay(0.1, 2, 0.5)),
  "cosine sgd": () => optax.sgd(optax.cosineDecaySchedule(0.1, 4)),
  "warmup cosine sgd": () => optax.sgd(optax.warmupCosineDecaySchedule(0, 0.1, 2, 5, 0.01)),
};

for (const [name, make] of Object.entries(optimizers)) {
  test(`optax ${name} matches optax's formulas step by step`, () => {
    const opt = make();
    let params = toTree(data.params0);
    let state = opt.init(params);
    const want = data.cases[name] as Record<string, number[][]>[];
    data.grads.forEach((g: Record<string, unknown>, t: number) => {
      const [updates, next] = opt.update(toTree(g), state, params);
      state = next;
      params = optax.applyUpdates(params, updates);
      for (const k of ["w", "b"] as const) {
        const got = toNumbers(params[k]), exp = (want[t][k] as unknown as number[][]).flat();
        assert.ok(maxRelErr(got, exp) < 2e-6, `${name} step ${t} ${k}: ${got.slice(0, 3)} vs ${exp.slice(0, 3)}`);
      }
    });
  });
}

test("optimizer state is a pytree that jits", () => {
  const opt = optax.adam(0.1);
  const loss = (p: { x: JArray }) => jnp.sum(jnp.square(jnp.subtract(p.x, 3)));
  const step = jit((p: { x: JArray }, s: unknown) => {
    const g = grad(loss)(p);
    const [u, s2] = opt.update(g, s, p);
    return [optax.applyUpdates(p, u), s2];
  });
  let p = { x: jnp.zeros([2]) };
  let s = opt.init(p);
  for (let i = 0; i < 200; i++) [p, s] = step(p, s) as [typeof p, unknown];
  assert.ok(maxRelErr(toNumbers(p.x), [3, 3]) < 1e-3, String(p.x));
  assert.equal(step.traceCount, 1);
  assert.ok(tree.leaves(s).length > 0);
});

test("losses follow optax", () => {
  const logits = jnp.array([[1, 2, 3], [1, 0, -1]], { dtype: "float32" });
  const onehot = jnp.array([[0, 0, 1], [1, 0, 0]], { dtype: "float32" });
  const ce = toNumbers(optax.softmaxCrossEntropy(logits, onehot));
  const ci = toNumbers(optax.softmaxCrossEntropyWithIntegerLabels(logits, jnp.array([2, 0])));
  const lse = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
  assert.ok(maxRelErr(ce, [lse([1, 2, 3]) - 3, lse([1, 0, -1]) - 1]) < 1e-6);
  assert.ok(maxRelErr(ci, ce) < 1e-6);
  assert.ok(maxRelErr(toNumbers(optax.l2Loss(jnp.array([3], { dtype: "float32" }), jnp.array([1], { dtype: "float32" }))), [2]) < 1e-7);
  assert.ok(maxRelErr(toNumbers(optax.huberLoss(jnp.array([0.5, 3], { dtype: "float32" }))), [0.125, 2.5]) < 1e-7);
  const sb = toNumbers(optax.sigmoidBinaryCrossEntropy(jnp.array([0, 100], { dtype: "float32" }), jnp.array([1, 0], { dtype: "float32" })));
  assert.ok(maxRelErr(sb, [Math.LN2, 100]) < 1e-6);
});

test.run();
