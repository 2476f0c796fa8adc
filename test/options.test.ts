// JAX's positional arguments (`jnp.sum(x, 0)`, `jnp.zeros(s, "int32")`, `nn.softmax(x, 0)`,
// `random.normal(k, s, "float32")`, `linalg.norm(x, 1, 0)`) mean the same as the options form; a
// value of the wrong kind is a ValueError naming the op, never silently ignored.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import { jnp, nn, random, optax, tree, linen, haiku, grad, valueAndGrad, vmap, pmap, jacfwd, jacrev, hessian, lax, devices, devicePut, defaultDevice, ValueError, Array as JArray } from "../src/index.js";
import { randArray, toNumbers, maxRelErr } from "./helpers.js";

const x = randArray([2, 3, 4], -2, 2, "float32", 3);
const same = (a: JArray, b: JArray, what: string) => {
  assert.equal(a.shape, b.shape, `${what}: shape`);
  assert.is(a.dtype, b.dtype, `${what}: dtype`);
  assert.equal(toNumbers(a), toNumbers(b), `${what}: values`);
};

test("a bare axis is the options' axis: reductions, cumulative ops, softmax, methods", () => {
  type F = (a: JArray, o?: any) => JArray;
  const fns: [string, F][] = [
    ["sum", jnp.sum], ["prod", jnp.prod], ["max", jnp.max], ["min", jnp.min], ["mean", jnp.mean], ["var", jnp.var],
    ["std", jnp.std], ["all", jnp.all], ["any", jnp.any], ["argmax", jnp.argmax], ["argmin", jnp.argmin],
    ["cumsum", jnp.cumsum], ["cumprod", jnp.cumprod], ["logsumexp", jnp.logsumexp], ["nn.softmax", nn.softmax],
    ["nn.logSoftmax", nn.logSoftmax], ["nn.standardize", nn.standardize],
    ["x.sum", (a, o) => a.sum(o)], ["x.mean", (a, o) => a.mean(o)], ["x.argmax", (a, o) => a.argmax(o)], ["x.cumsum", (a, o) => a.cumsum(o)],
  ];
  for (const [name, f] of fns) {
    for (const axis of [0, 1, -1]) same(f(x, axis), f(x, { axis }), `${name}(x, ${axis})`);
  }
  same(jnp.sum(x, [0, 2]), jnp.sum(x, { axis: [0, 2] }), "sum over two axes");
  same(jnp.sum(x, null), jnp.sum(x), "axis null: all axes");
  // numpy's varargs methods, and options objects where a bare axis is the usual form.
  assert.equal(x.reshape(4, 6).shape, [4, 6]);
  assert.equal(x.transpose(2, 0, 1).shape, [4, 2, 3]);
  same(x.transpose(2, 0, 1), x.transpose([2, 0, 1]), "transpose varargs");
  same(jnp.expandDims(x, { axis: 1 }), jnp.expandDims(x, 1), "expandDims options");
  same(jnp.squeeze(jnp.ones([1, 2, 1]), { axis: 0 }), jnp.squeeze(jnp.ones([1, 2, 1]), 0), "squeeze options");
  // jnp.round's decimals (was ignored); expected values from numpy: round(x * 10^d) / 10^d in float32.
  assert.equal(toNumbers(jnp.round(jnp.array([1.234, 5.675, -2.5, 0.125]), 1)), [1.2, 5.7, -2.5, 0.1].map(Math.fround));
  assert.equal(toNumbers(jnp.round(jnp.array([1.234, 5.675]), 2)), [1.23, 5.68].map(Math.fround));
  assert.equal(toNumbers(jnp.round(jnp.array([0.5, 1.5, 2.5]))), [0, 2, 2]);
  // One-argument where is JAX's nonzero; x without y is an error.
  assert.equal(toNumbers(jnp.where(jnp.array([false, true]))[0]), [1]);
  assert.throws(() => (jnp.where as any)(jnp.array([true]), 1), (e: unknown) => e instanceof ValueError && /where: pass both x and y/.test(String(e)));
  // numpy's positional rtol, atol (and equal_nan) for isclose/allclose.
  same(jnp.isclose(1, 1.05, 0.1), jnp.isclose(1, 1.05, { rtol: 0.1 }), "isclose rtol");
  assert.is(jnp.allclose(1, 1.05, 0, 0.1).item(), true);
  assert.is(jnp.allclose(1, 1.05).item(), false);
  assert.is(jnp.allclose(NaN, NaN, 1e-5, 1e-8, true).item(), true);
  assert.equal(jnp.sum(x, 1).shape, [2, 4]);
  assert.equal(jnp.argmax(x, -1).shape, [2, 3]);
});

test("a bare dtype is the options' dtype: creation and random", () => {
  assert.is(jnp.array([1, 2], "float32").dtype, "float32");
  assert.is(jnp.zeros([2], "int32").dtype, "int32");
  assert.is(jnp.ones([2], "bool").dtype, "bool");
  assert.is(jnp.full([2], 3, "float32").dtype, "float32");
  assert.is(jnp.zerosLike(x, "int32").dtype, "int32");
  assert.is(jnp.onesLike(x, "int32").dtype, "int32");
  assert.is(jnp.fullLike(x, 1, "int32").dtype, "int32");
  assert.is(jnp.arange(0, 4, 1, "float32").dtype, "float32");
  assert.is(jnp.identity(2, "int32").dtype, "int32");
  assert.equal(toNumbers(jnp.eye(3, 3, 1)), [0, 1, 0, 0, 0, 1, 0, 0, 0]);
  assert.equal(toNumbers(jnp.linspace(0, 1, 4, false)), [0, 0.25, 0.5, 0.75]);
  const k = random.key(0);
  same(random.normal(k, [3], "float32"), random.normal(k, [3], { dtype: "float32" }), "random.normal");
  same(random.uniform(k, [3], "float32"), random.uniform(k, [3]), "random.uniform");
  same(random.randint(k, [3], 0, 9, "int32"), random.randint(k, [3], 0, 9), "random.randint");
  same(random.categorical(k, x, 1), random.categorical(k, x, { axis: 1 }), "random.categorical");
  same(random.permutation(k, x, 1), random.permutation(k, x, { axis: 1 }), "random.permutation");
  same(random.choice(k, 5, [3], false), random.choice(k, 5, [3], { replace: false }), "random.choice");
});

test("a value of the wrong kind is a ValueError naming the op", () => {
  const bad: [string, () => unknown][] = [
    ["sum", () => jnp.sum(x, "1" as any)], ["argmax", () => jnp.argmax(x, true as any)], ["softmax", () => nn.softmax(x, "x" as any)],
    ["zeros", () => jnp.zeros([2], 5 as any)], ["array", () => jnp.array([1], 3 as any)], ["random.normal", () => random.normal(random.key(0), [2], 1 as any)],
  ];
  for (const [op, f] of bad) assert.throws(f, (e: unknown) => e instanceof ValueError && String(e).includes(op), op);
});

test("optax: JAX's positional hyperparameters equal the options form", () => {
  const params = { w: randArray([3, 2], -1, 1, "float32", 5), b: randArray([2], -1, 1, "float32", 6) };
  const grads = { w: randArray([3, 2], -1, 1, "float32", 7), b: randArray([2], -1, 1, "float32", 8) };
  const step = (tx: optax.GradientTransformation) => {
    let s = tx.init(params), p = params;
    for (let i = 0; i < 3; i++) { const [u, s2] = tx.update(grads, s, p); p = optax.applyUpdates(p, u) as typeof params; s = s2; }
    return (tree.leaves(p) as JArray[]).flatMap(toNumbers);
  };
  const pairs: [string, optax.GradientTransformation, optax.GradientTransformation][] = [
    ["sgd", optax.sgd(0.1, 0.9, true), optax.sgd(0.1, { momentum: 0.9, nesterov: true })],
    ["adam", optax.adam(0.1, 0.8, 0.9, 1e-3), optax.adam(0.1, { b1: 0.8, b2: 0.9, eps: 1e-3 })],
    ["adamw", optax.adamw(0.1, 0.8), optax.adamw(0.1, { b1: 0.8 })],
    ["rmsprop", optax.rmsprop(0.1, 0.5, 1e-3), optax.rmsprop(0.1, { decay: 0.5, eps: 1e-3 })],
    ["adagrad", optax.adagrad(0.1, 0.5), optax.adagrad(0.1, { initialAccumulatorValue: 0.5 })],
  ];
  for (const [name, a, b] of pairs) {
    assert.equal(step(a), step(b), name);
    assert.is.not(JSON.stringify(step(a)), JSON.stringify(step(name === "sgd" ? optax.sgd(0.1) : name === "adagrad" ? optax.adagrad(0.1) : name === "rmsprop" ? optax.rmsprop(0.1) : optax.adam(0.1))), `${name}: the positional values are used`);
  }
  const sched = optax.exponentialDecay(1, 10, 0.5, 5, true), schedOpts = optax.exponentialDecay(1, 10, 0.5, { transitionBegin: 5, staircase: true });
  for (const c of [0, 7, 18, 40]) assert.is(Number(sched(c)), Number(schedOpts(c)));
  const logits = randArray([2, 3], -1, 1, "float32", 9), labels = nn.softmax(randArray([2, 3], -1, 1, "float32", 10));
  same(optax.softmaxCrossEntropy(logits, labels, 0), optax.softmaxCrossEntropy(logits, labels, { axis: 0 }), "softmaxCrossEntropy axis");
  assert.throws(() => optax.adam(0.1, 0.9, { b2: 0.99 } as any), (e: unknown) => e instanceof ValueError && /optax.adam/.test(String(e)));
  assert.throws(() => (optax.sgd as any)(0.1, 0.9, true, 3), (e: unknown) => e instanceof ValueError && /optax.sgd/.test(String(e)));
});

test("layers: flax's and haiku's positional arguments, with or without new", () => {
  const k = random.key(1), x = randArray([2, 3], -1, 1, "float32", 12);
  const run = (m: linen.Module, input: JArray) => { const v = m.init(k, input); return { v, y: m.apply(v, input) as JArray }; };
  const a = run(linen.Dense(4), x), b = run(new linen.Dense({ features: 4 }), x);
  same(a.y, b.y, "linen.Dense(4) = new linen.Dense({ features: 4 })");
  assert.ok(linen.Dense(4) instanceof linen.Dense && linen.Dense(4) instanceof linen.Module);
  same(run(new linen.Dense(4, { useBias: false }), x).y, run(linen.Dense({ features: 4, useBias: false }), x).y, "Dense(features, options)");
  // Inline submodules are still named after their class; a subclass of an exported layer works.
  class Two extends linen.Module { call(h: JArray) { return linen.Dense(2).call(linen.Dense(3).call(h)); } }
  assert.equal(Object.keys((run(new Two(), x).v as any).params), ["Dense_0", "Dense_1"]);
  class Wide extends linen.Dense { constructor() { super(5); } }
  assert.equal(run(new Wide(), x).y.shape, [2, 5]);
  const img = randArray([1, 5, 5, 2], -1, 1, "float32", 13);
  same(run(linen.Conv(4, [3, 3]), img).y, run(new linen.Conv({ features: 4, kernelSize: [3, 3] }), img).y, "linen.Conv(features, kernelSize)");
  const ids = jnp.array([1, 4]);
  same(run(linen.Embed(6, 3), ids).y, run(new linen.Embed({ numEmbeddings: 6, features: 3 }), ids).y, "linen.Embed(num, features)");
  assert.is(linen.Dropout(0.25).o.rate, 0.25);
  assert.throws(() => linen.Conv(4, "3" as any), (e: unknown) => e instanceof ValueError && /kernelSize/.test(String(e)));
  // haiku: modules built by a call inside transform, named as with `new`.
  const hk = (mk: () => (h: JArray) => JArray) => { const f = haiku.transform((h: JArray) => mk()(h)); const p = f.init(k, x); return { p, y: f.apply(p, null, x) as JArray }; };
  const h1 = hk(() => (h) => haiku.Linear(4).call(h)), h2 = hk(() => (h) => new haiku.Linear(4).call(h));
  same(h1.y, h2.y, "haiku.Linear(4)");
  assert.equal(Object.keys(h1.p as object), ["linear"]);
  const c1 = haiku.transform((h: JArray) => haiku.Conv2D(3, 2).call(h)), c2 = haiku.transform((h: JArray) => new haiku.Conv2D({ outputChannels: 3, kernelShape: 2 }).call(h));
  same(c1.apply(c1.init(k, img), null, img) as JArray, c2.apply(c2.init(k, img), null, img) as JArray, "haiku.Conv2D(channels, kernel)");
  const bn = haiku.transformWithState((h: JArray) => haiku.BatchNorm(true, true, 0.9).call(h, true));
  const [bp, bs] = bn.init(k, x);
  assert.equal(Object.keys(bp as object), ["batch_norm"]);
  assert.ok(Object.keys(bs as object).length > 0);
});

test("transformations: JAX's positional argnums, hasAux, in_axes/out_axes and axis_name", () => {
  const a = randArray([3], -1, 1, "float32", 14), b = randArray([3], -1, 1, "float32", 15);
  const f = (u: JArray, v: JArray) => jnp.sum(jnp.multiply(jnp.square(u), jnp.sin(v)));
  same(grad(f, 1)(a, b) as JArray, grad(f, { argnums: 1 })(a, b) as JArray, "grad(f, 1)");
  assert.not.equal(toNumbers(grad(f, 1)(a, b) as JArray), toNumbers(grad(f)(a, b) as JArray), "grad(f, 1) is not grad(f)");
  const both = grad(f, [0, 1])(a, b) as JArray[];
  same(both[1], grad(f, 1)(a, b) as JArray, "grad(f, [0, 1])");
  const withAux = (u: JArray, v: JArray) => [f(u, v), jnp.add(u, v)];
  const [[val, aux], g] = valueAndGrad(withAux, 0, true)(a, b) as [[JArray, JArray], JArray];
  same(g, grad(f)(a, b) as JArray, "valueAndGrad(f, 0, true)");
  same(aux, jnp.add(a, b), "aux");
  assert.is(val.ndim, 0);
  same(jacfwd(f, 1)(a, b) as JArray, jacrev(f, { argnums: 1 })(a, b) as JArray, "jacfwd(f, 1) = jacrev(f, { argnums: 1 })");
  same(hessian(f, 1)(a, b) as JArray, hessian(f, { argnums: 1 })(a, b) as JArray, "hessian(f, 1)");
  const m = randArray([2, 3], -1, 1, "float32", 16);
  same(vmap((r: JArray) => jnp.sum(r), 1)(m) as JArray, vmap((r: JArray) => jnp.sum(r), { inAxes: 1 })(m) as JArray, "vmap(f, 1)");
  assert.equal((vmap((r: JArray) => jnp.sum(r), 1)(m) as JArray).shape, [3]);
  assert.equal((vmap((r: JArray) => jnp.multiply(r, 2), 0, 1)(m) as JArray).shape, [3, 2]);
  same(vmap((u: JArray, v: JArray) => jnp.add(u, v), [0, null])(m, b) as JArray, jnp.add(m, b), "vmap(f, [0, null])");
  const one = jnp.expandDims(b, 0); // one device: the default CPU device count
  same(pmap((r: JArray) => lax.psum(r, "i"), "i")(one) as JArray, pmap((r: JArray) => lax.psum(r, "i"), { axisName: "i" })(one) as JArray, "pmap(f, \"i\")");
  assert.throws(() => (grad as any)(f, 1, false, 3), (e: unknown) => e instanceof ValueError && /grad/.test(String(e)));
});

test("devices: JAX's platform/deviceKind, devicePut over pytrees and numbers, lax.stopGradient over pytrees", () => {
  const d = devices()[0];
  assert.is(d.platform, "cpu");
  assert.is(d.deviceKind, "wasm");
  assert.is(String(d), "CpuDevice(id=0)");
  const put = devicePut({ a: jnp.ones([2]), b: 3 } as Record<string, unknown>, d) as { a: JArray; b: JArray };
  assert.equal(toNumbers(put.a), [1, 1]);
  assert.ok(put.b instanceof JArray && put.b.item() === 3);
  assert.is(defaultDevice(d), "wasm");
  const g = grad((x: JArray) => jnp.sum(jnp.multiply(x, (lax.stopGradient({ y: x }) as { y: JArray }).y)))(jnp.array([1, 2], { dtype: "float32" })) as JArray;
  assert.equal(toNumbers(g), [1, 2]);
});

interface NormCase { x: number[]; shape: number[]; ord: number | string | null; axis: number | number[] | null; keepdims: boolean; want: number[]; wantShape: number[] }
const normCases = (JSON.parse(fs.readFileSync(new URL("../../test/goldens/norm.json", import.meta.url), "utf8")) as { cases: NormCase[] }).cases;

test("linalg.norm matches numpy: vector norms, matrix norms, axes, keepdims (goldens)", () => {
  for (const c of normCases) {
    const ord = c.ord === "inf" ? Infinity : c.ord === "-inf" ? -Infinity : (c.ord as number | "fro" | null);
    const a = jnp.array(c.x, { dtype: "float32" }).reshape(c.shape);
    const what = `norm(shape [${c.shape}], ord ${c.ord}, axis ${JSON.stringify(c.axis)}, keepdims ${c.keepdims})`;
    const positional = jnp.linalg.norm(a, ord, c.axis, c.keepdims);
    const opts = jnp.linalg.norm(a, { ord, axis: c.axis, keepdims: c.keepdims });
    assert.equal(positional.shape, c.wantShape, what);
    assert.ok(maxRelErr(toNumbers(positional), c.want) < 2e-6, `${what}: ${toNumbers(positional)} vs ${c.want}`);
    assert.equal(toNumbers(opts), toNumbers(positional), `${what}: options form`);
  }
  assert.ok(Math.abs((jnp.linalg.norm(jnp.ones([2, 2]), 2).item() as number) - 2) < 1e-6);
  assert.throws(() => jnp.linalg.norm(jnp.ones([2, 2]), 3), (e: unknown) => e instanceof ValueError && /norm/.test(String(e)));
  assert.throws(() => jnp.linalg.norm(jnp.ones([2, 2, 2]), 1), (e: unknown) => e instanceof ValueError && /axis/.test(String(e)));
});

test.run();
