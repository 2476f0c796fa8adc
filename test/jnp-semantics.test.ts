// Semantics audit against JAX's documented behaviour: each test pins one place where tinyjax used to
// deviate from JAX (silently wrong values, ignored positional arguments or options, crashes), with
// numpy goldens (test/goldens/make_semantics_goldens.py) where JAX follows numpy or XLA.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import { jnp, lax, random, jit, grad, vmap, ValueError, IndexError, DTypeError, Array as JArray } from "../src/index.js";
import { toNumbers } from "./helpers.js";

type V = number | string;
interface Enc { dtype: "float32" | "int32" | "bool"; shape: number[]; data: V[] }
interface Case { name: string; op: string; x: Enc; params: Record<string, any>; want: Enc }
const cases = (JSON.parse(fs.readFileSync(new URL("../../test/goldens/semantics.json", import.meta.url), "utf8")) as { cases: Case[] }).cases;
const dec = (v: V) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));
const dtypeOf = (d: string) => (d === "float64" ? "float32" : d) as "float32" | "int32" | "bool";
const isA = (C: new (...a: any[]) => Error) => (e: unknown) => e instanceof C;
const load = (e: Enc) => jnp.array(e.data.map(dec), { dtype: dtypeOf(e.dtype) }).reshape(e.shape);

function close(got: JArray, want: Enc, label: string, tol = 1e-5): void {
  assert.equal(got.shape, want.shape, `${label}: shape`);
  const g = toNumbers(got), w = want.data.map(dec);
  const bad = g.findIndex((v, i) => !(Object.is(v, w[i]) || Math.abs(v - w[i]) <= tol * (1 + Math.abs(w[i])) || (Number.isNaN(v) && Number.isNaN(w[i]))));
  assert.ok(bad < 0, `${label}: element ${bad}: ${g[bad]} vs ${w[bad]} (got ${g.slice(0, 12)}, want ${w.slice(0, 12)})`);
}

const laxFns: Record<string, (a: JArray, b: JArray) => JArray> = { add: lax.add, mul: lax.mul, max: lax.max, min: lax.min };
const reducers: Record<string, (x: JArray, o: any) => JArray> = {
  sum: jnp.sum, prod: jnp.prod, max: jnp.max, min: jnp.min, mean: jnp.mean, var: jnp.var, std: jnp.std, all: jnp.all, any: jnp.any,
};

function run(c: Case): JArray {
  const x = load(c.x), p = c.params;
  switch (c.op) {
    case "pad": return jnp.pad(x, p.padWidth, p.mode, { constantValues: p.constantValues, statLength: p.statLength });
    case "reshapeF": return jnp.reshape(x, p.shape, "F");
    case "take": return jnp.take(x, p.indices, { axis: p.axis, mode: p.mode, fillValue: p.fillValue });
    case "tensordot": return jnp.tensordot(x, load(p.y), p.axes);
    case "reduce": {
      const o: Record<string, unknown> = { axis: p.axis, keepdims: p.keepdims, initial: p.initial };
      if (p.where) o.where = load(p.where);
      return reducers[p.fn](x, o);
    }
    case "reduceWindow":
      return lax.reduceWindow(x, dec(p.init), laxFns[p.fn], p.window, p.strides, p.padding, p.baseDilation, p.windowDilation);
    case "full": return jnp.full(p.shape, x);
  }
  throw new Error(`unknown golden op ${c.op}`);
}

test("numpy/XLA goldens: pad modes, reshape order F, take modes, tensordot axes, where/initial reductions, reduceWindow", () => {
  assert.ok(cases.length > 50);
  for (const c of cases) close(run(c), c.want, c.name);
});

// ---- lax

test("lax.reduceWindow: the computation is a function (lax.max was summed), strides/padding default as in JAX", () => {
  const x = jnp.arange(16, 0, -1).reshape(4, 4).astype("float32");
  assert.equal(lax.reduceWindow(x, -Infinity, lax.max, [2, 2], [2, 2], "VALID").toArray(), [[16, 14], [8, 6]]);
  assert.equal(lax.reduceWindow(x, Infinity, lax.min, [2, 2], [2, 2], "VALID").toArray(), [[11, 9], [3, 1]]);
  // JAX's docstring example: a windowed product over pairs, default strides and padding.
  assert.equal(lax.reduceWindow(jnp.arange(10).astype("float32"), 1, lax.mul, [2]).toArray(), [0, 2, 6, 12, 20, 30, 42, 56, 72]);
  // Any binary function, e.g. a user's own.
  const f = (a: JArray, b: JArray) => lax.add(a, lax.mul(b, 2));
  assert.equal(lax.reduceWindow(jnp.ones([3]), 0, f, [2], [1]).toArray(), [4, 4]);
  assert.throws(() => lax.reduceWindow(jnp.ones([3]), 0, "median" as never, [2]), /computation/);
});

test("lax.reduceWindow: SAME padding and gradient through the max", () => {
  assert.equal(lax.reduceWindow(jnp.ones([3, 3]), 0, lax.add, [2, 2], [1, 1], "SAME").toArray(), [[4, 4, 2], [4, 4, 2], [2, 2, 1]]);
  const g = grad((x: JArray) => lax.reduceWindow(x, -Infinity, lax.max, [2], [2]).sum())(jnp.array([1, 3, 2, 0.5]));
  assert.equal(g.toArray(), [0, 1, 1, 0]);
});

test("lax binary and unary wrappers take JS numbers as weakly typed scalars (crashed before)", () => {
  const x = jnp.array([1.5, 2.5]);
  const r = lax.add(x, 1);
  assert.equal([r.toArray(), r.dtype], [[2.5, 3.5], "float32"]);
  assert.equal(lax.mul(2, x).toArray(), [3, 5]);
  assert.equal(lax.max(jnp.array([1, 5]), 3).toArray(), [3, 5]);
  assert.equal(lax.max(jnp.array([1, 5]), 3).dtype, "int32");
  assert.throws(() => lax.add(x, [1, 2] as never), /jnp.array/);
});

test("lax.convGeneralDilated takes JAX's positional lhs_dilation, rhs_dilation, dimension_numbers (ignored before)", () => {
  const lhs = jnp.ones([1, 1, 3]), rhs = jnp.ones([1, 1, 2]);
  const byName = lax.convGeneralDilated(lhs, rhs, [1], [[1, 1]], { lhsDilation: [2] });
  const positional = lax.convGeneralDilated(lhs, rhs, [1], [[1, 1]], [2]);
  assert.equal(positional.toArray(), byName.toArray());
  assert.equal(positional.toArray(), [[[1, 1, 1, 1, 1, 1]]]);
  const x = jnp.arange(5).astype("float32").reshape(1, 1, 5);
  assert.equal(lax.convGeneralDilated(x, rhs, [1], "VALID", null, [2]).toArray(), [[[2, 4, 6]]]);
  const nhwc = lax.convGeneralDilated(jnp.ones([1, 4, 4, 1]), jnp.ones([3, 3, 1, 2]), [1, 1], "VALID", null, null, ["NHWC", "HWIO", "NHWC"]);
  assert.equal(nhwc.shape, [1, 2, 2, 2]);
  // SAME_LOWER puts the odd padding element first.
  const sl = lax.convGeneralDilated(jnp.arange(4).astype("float32").reshape(1, 1, 4), rhs, [1], "SAME_LOWER");
  assert.equal(sl.toArray(), [[[0, 1, 3, 5]]]);
});

test("lax.scan takes JAX's positional length, reverse, unroll (scan(f, init, null, 3) threw)", () => {
  const [c, ys] = lax.scan((c: JArray, _x: unknown) => [c.add(1), c], jnp.array(0), null, 3);
  assert.equal([c.item(), ys.toArray()], [3, [0, 1, 2]]);
  const [c2, ys2] = lax.scan((c: JArray, x: JArray) => [c.add(x), c.add(x)], jnp.array(0), jnp.arange(4), null, true, 2);
  assert.equal([c2.item(), ys2.toArray()], [6, [6, 6, 5, 3]]);
  assert.throws(() => lax.scan((c: JArray, x: JArray) => [c, x], jnp.array(0), jnp.arange(3), 3, { reverse: true } as never), isA(ValueError));
});

// ---- random

test("random.uniform takes JAX's positional dtype, minval, maxval (minval/maxval were ignored)", () => {
  const k = random.key(0);
  const a = random.uniform(k, [3], "float32", 5, 6), b = random.uniform(k, [3], { minval: 5, maxval: 6 });
  assert.equal(a.toArray(), b.toArray());
  assert.ok(toNumbers(a).every((v) => v >= 5 && v < 6));
});

test("random.choice takes positional replace, p, axis (p was ignored)", () => {
  const k = random.key(0);
  const p = jnp.array([0, 0, 1.5]).astype("float32");
  assert.equal(random.choice(k, 3, [5], true, p).toArray(), [2, 2, 2, 2, 2]);
  assert.equal(random.choice(k, 3, [5], true, p).toArray(), random.choice(k, 3, [5], { p }).toArray());
  const rows = random.choice(k, jnp.arange(6).reshape(2, 3), [2], false, null, 1);
  assert.equal(rows.toArray(), random.choice(k, jnp.arange(6).reshape(2, 3), [2], { replace: false, axis: 1 }).toArray());
});

test("random.permutation takes positional independent; random.categorical positional shape (both ignored before)", () => {
  const k = random.key(0);
  const x = jnp.arange(6).reshape(2, 3);
  assert.equal(random.permutation(k, x, 1, true).toArray(), random.permutation(k, x, { axis: 1, independent: true }).toArray());
  const c = random.categorical(k, jnp.zeros([3, 4]), -1, [2, 3]);
  assert.equal(c.shape, [2, 3]);
  assert.equal(c.toArray(), random.categorical(k, jnp.zeros([3, 4]), { axis: -1, shape: [2, 3] }).toArray());
});

test("random.bernoulli and categorical: JS numbers and lists are probabilities/logits (1 and [0, 1] threw: JS has no 1.0)", () => {
  const k = random.key(3);
  assert.equal(random.bernoulli(k, 1, [3]).toArray(), [true, true, true]);
  assert.equal(random.bernoulli(k, [0, 1, 1]).toArray(), [false, true, true]);
  assert.throws(() => random.bernoulli(k, jnp.array([0, 1])), /floating/);
  assert.equal(random.categorical(k, [[0, -Infinity], [-Infinity, 0]]).toArray(), [0, 1]);
});

// ---- jnp

test("jnp.pad: positional mode (\"edge\" gave zeros), the constant mode's per-side values, unknown modes", () => {
  const v = jnp.array([1, 2, 3]);
  assert.equal(jnp.pad(v, [1, 2], "edge").toArray(), [1, 1, 2, 3, 3, 3]);
  assert.equal(jnp.pad(v, [1, 2], "constant", { constantValues: 9 }).toArray(), [9, 1, 2, 3, 9, 9]);
  assert.equal(jnp.pad(v, [1, 1], { mode: "wrap" }).toArray(), [3, 1, 2, 3, 1]);
  assert.throws(() => jnp.pad(v, 1, "median" as never), /not implemented/);
  // JAX's docstring examples.
  const x = jnp.array([10, 20, 30, 40]);
  assert.equal(jnp.pad(x, 2, { mode: "mean" }).toArray(), [25, 25, 10, 20, 30, 40, 25, 25]);
  assert.equal(jnp.pad(x, 2, { mode: "reflect" }).toArray(), [30, 20, 10, 20, 30, 40, 30, 20]);
  assert.equal(jnp.pad(x, 2, { constantValues: 99 }).toArray(), [99, 99, 10, 20, 30, 40, 99, 99]);
  assert.throws(() => jnp.pad(v, 1, "edge", { constantValues: 1 }), /constant/);
});

test("jnp.take: { axis, mode, fillValue } and the wrap mode (the mode was ignored)", () => {
  const x = jnp.array([1.5, 2, 3]);
  assert.equal(jnp.take(x, [5, -1], { mode: "clip" }).toArray(), [3, 1.5]);
  assert.equal(jnp.take(x, [4, -4], { mode: "wrap" }).toArray(), [2, 3]);
  assert.equal(jnp.take(x, [4, -1], { fillValue: 7 }).toArray(), [7, 3]);
  assert.ok(Number.isNaN(toNumbers(jnp.take(x, [3]))[0]));
  assert.equal(jnp.take(jnp.arange(6).reshape(2, 3), [2, 0], 1).toArray(), [[2, 0], [5, 3]]);
});

test("jnp.reshape order \"F\" (ignored before) and x.reshape with numbers", () => {
  const x = jnp.arange(6).reshape(2, 3);
  assert.equal(jnp.reshape(x, [3, 2], "F").toArray(), [[0, 4], [3, 2], [1, 5]]);
  assert.equal(jnp.reshape(x, [3, 2], { order: "F" }).toArray(), [[0, 4], [3, 2], [1, 5]]);
  assert.equal(jnp.reshape(x, [-1], "F").toArray(), [0, 3, 1, 4, 2, 5]);
  assert.throws(() => jnp.reshape(x, [6], "K" as never), isA(ValueError));
});

test("reductions: where/initial honoured (silently ignored before); max/min of an empty axis is an error as in JAX", () => {
  const x = jnp.array([1.5, 9, 3]);
  assert.equal(jnp.max(x, { where: jnp.array([true, false, true]), initial: 0 }).item(), 3);
  assert.equal(jnp.sum(jnp.array([1, 2]), { initial: 10 }).item(), 13);
  assert.throws(() => jnp.max(jnp.zeros([0, 3])), /zero-size array/);
  assert.throws(() => jnp.min(jnp.zeros([2, 0]), 1), /zero-size array/);
  assert.equal(jnp.max(jnp.zeros([2, 0]), 0).shape, [0]);
  assert.throws(() => jnp.max(x, { where: jnp.array([true, false, true]) }), /initial/);
  assert.equal(jnp.sum(jnp.zeros([0, 3])).item(), 0);
  // Under jit and grad: the masked elements get no gradient.
  const f = (v: JArray) => jnp.sum(v.mul(v), { where: jnp.array([true, false, true]) });
  assert.equal(jit(f)(x).item(), f(x).item());
  assert.equal(grad(f)(x).toArray(), [3, 0, 6]);
});

test("jnp.full broadcasts an array fill value (gave NaN/garbage); fullLike's shape option; eye(n, null)", () => {
  assert.equal(jnp.full([2, 3], jnp.array([1, 2, 3])).toArray(), [[1, 2, 3], [1, 2, 3]]);
  assert.equal(jnp.full([2, 3], jnp.array([[1], [2]]), "float32").dtype, "float32");
  assert.throws(() => jnp.full([2, 3], jnp.array([1, 2])), /broadcast/);
  assert.equal(jnp.onesLike(jnp.arange(4), { shape: [2] }).toArray(), [1, 1]);
  assert.equal(jnp.zerosLike(jnp.arange(4), { shape: [2], dtype: "float32" }).dtype, "float32");
  assert.equal(jnp.eye(2, null).toArray(), [[1, 0], [0, 1]]);
});

test("jnp.array([]) is float32 (was bool), broadcastTo takes a number shape (threw a TypeError)", () => {
  assert.equal([jnp.array([]).dtype, jnp.array([]).shape], ["float32", [0]]);
  assert.equal(jnp.array([[]]).shape, [1, 0]);
  assert.equal(jnp.broadcastTo(jnp.array(2), 3).toArray(), [2, 2, 2]);
});

test("jnp.tensordot takes axes (int, int) (threw a TypeError) and checks the forms", () => {
  assert.equal(jnp.tensordot(jnp.ones([3, 4]), jnp.ones([4, 5]), [1, 0]).shape, [3, 5]);
  assert.throws(() => jnp.tensordot(jnp.ones([3, 4]), jnp.ones([4, 5]), [[1], [0, 1]]), isA(ValueError));
});

test("printing: any empty array prints as [] and wrapped lines carry no trailing padding, like numpy; a float index is an IndexError that says so", () => {
  assert.is(String(jnp.zeros([2, 0])), "[]");
  assert.is(String(jnp.zeros([0])), "[]");
  // numpy strips the padding at the end of a wrapped line (str(np.linspace(0, 1, 20, dtype=np.float32))).
  assert.is(String(jnp.linspace(0, 1, 20)), "[0.         0.05263158 0.10526316 0.15789473 0.21052632 0.2631579\n" +
    " 0.31578946 0.36842105 0.42105263 0.47368422 0.5263158  0.57894737\n 0.6315789  0.68421054 0.7368421  0.7894737  0.84210527 0.8947368\n" +
    " 0.94736844 1.        ]");
  assert.throws(() => jnp.arange(3).get(1.5), (e: unknown) => e instanceof IndexError && /not an integer/.test((e as Error).message));
});

test("reductions take numpy's positional order after the array (dtype, keepdims, ddof were ignored)", () => {
  const x = jnp.arange(6).reshape(2, 3);
  assert.equal(jnp.sum(x, 1, "float32").dtype, "float32");
  assert.equal(jnp.sum(x, 1, null, null, true).shape, [2, 1]);
  assert.equal(jnp.max(x, 1, null, true).toArray(), [[2], [5]]);
  assert.equal(jnp.max(jnp.zeros([0]), 0, null, false, -1).item(), -1);
  assert.equal(jnp.mean(x, 1, null, null, true).toArray(), [[1], [4]]);
  assert.equal(jnp.var(x, null, null, null, 1).item(), 3.5);
  assert.equal(jnp.std(x, 0, null, null, 1, true).shape, [1, 3]);
  assert.equal(jnp.all(x, 1, null, true).toArray(), [[false], [true]]);
  assert.equal(jnp.argmax(x, 1, null, true).toArray(), [[2], [2]]);
  assert.equal(jnp.cumsum(x, 1, "float32").dtype, "float32");
  assert.equal(x.sum(1, null, null, true).shape, [2, 1]);
  assert.throws(() => jnp.argmax(x, 1, true as never), /out argument/);
  assert.throws(() => jnp.sum(x, 0, null, null, false, 0, null, 5 as never), isA(ValueError));
});

test("clip({ min, max }) and einsum's trailing options (both were read as arrays); transpose({ axes })", () => {
  assert.equal(jnp.clip(jnp.array([1, 5, 9]), { min: 2, max: 6 }).toArray(), [2, 5, 6]);
  assert.equal(jnp.clip(jnp.array([1, 5, 9]), { max: 6 }).toArray(), [1, 5, 6]);
  const a = jnp.array([[1, 2], [3, 4]]);
  assert.equal(jnp.einsum("ij,jk->ik", a, a, { optimize: "greedy" }).toArray(), [[7, 10], [15, 22]]);
  assert.equal(jnp.transpose(jnp.zeros([2, 3, 4]), { axes: [2, 0, 1] }).shape, [4, 2, 3]);
});

test("repeat with an Array of counts and totalRepeatLength (threw)", () => {
  assert.equal(jnp.repeat(jnp.array([1, 2]), jnp.array([1, 2])).toArray(), [1, 2, 2]);
  assert.equal(jnp.repeat(jnp.array([1, 2]), jnp.array(2)).toArray(), [1, 1, 2, 2]);
  assert.equal(jnp.repeat(jnp.array([1, 2, 3]), [2, 1, 1], { axis: 0, totalRepeatLength: 3 }).toArray(), [1, 1, 2]);
  assert.equal(jnp.repeat(jnp.array([1, 2]), 1, { axis: 0, totalRepeatLength: 4 }).toArray(), [1, 2, 2, 2]);
  assert.throws(() => jnp.repeat(jnp.array([1, 2]), -1), (e: unknown) => e instanceof ValueError && /non-negative/.test((e as Error).message));
});

test("arange with a trailing dtype (gave shape [NaN]); linspace retstep, JAX's positional order, floor for ints", () => {
  assert.equal([jnp.arange(3, "float32").toArray(), jnp.arange(3, "float32").dtype], [[0, 1, 2], "float32"]);
  assert.equal(jnp.arange(1, 4, { dtype: "float32" }).toArray(), [1, 2, 3]);
  assert.throws(() => jnp.arange(NaN), isA(ValueError));
  const [v, step] = jnp.linspace(0, 1, 5, true, true);
  assert.equal([v.toArray(), step.item(), step.dtype, step.shape], [[0, 0.25, 0.5, 0.75, 1], 0.25, "float32", []]);
  assert.equal(jnp.linspace(0, 1, 4, false, false, "float32").toArray(), [0, 0.25, 0.5, 0.75]);
  assert.equal(jnp.linspace(-1, 0, 3, { dtype: "int32" }).toArray(), [-1, -1, 0]);
});

test("linalg.solve: b is a vector only when 1-D (JAX >= 0.5; a 2-D b was read as batched vectors); cholesky upper (ignored)", () => {
  const a = jnp.array([[2, 1], [1, 3]]).astype("float32");
  const stack = jnp.stack([a, a.mul(2)]);
  const b = jnp.array([[1, 2], [3, 4]]).astype("float32");
  const x = jnp.linalg.solve(stack, b);
  assert.equal(x.shape, [2, 2, 2]);
  assert.ok(jnp.allclose(jnp.matmul(stack, x), jnp.broadcastTo(b, [2, 2, 2]), 1e-5, 1e-5).item());
  assert.equal(jnp.linalg.solve(stack, jnp.array([1, 2]).astype("float32")).shape, [2, 2]);
  assert.throws(() => jnp.linalg.solve(jnp.ones([2, 3, 3]), jnp.ones([2, 3])), /b\[\.\.\., None\]/);
  const L = jnp.linalg.cholesky(a), U = jnp.linalg.cholesky(a, { upper: true });
  assert.equal(U.toArray(), L.T.toArray());
  assert.equal(jnp.linalg.cholesky(a, true).toArray(), U.toArray());
  assert.ok(jnp.allclose(jnp.matmul(U.T, U), a, 1e-5, 1e-5).item());
});

test("jnp.asarray (numpy's name; was missing): no copy for arrays, JS numbers weakly typed, a dtype converts", () => {
  const x = jnp.arange(3);
  assert.ok(jnp.asarray(x) === x);
  assert.equal([jnp.asarray(2).weakType, jnp.asarray(2.5).dtype], [true, "float32"]);
  assert.equal(jnp.asarray([1, 2], "float32").dtype, "float32");
  assert.equal(jnp.asarray(x, { dtype: "float32" }).toArray(), [0, 1, 2]);
});

test("takeAlongAxis: an out-of-range index fills (it read the next row's element), { mode: \"clip\" }, fillValue; JAX's docstring examples", () => {
  const x = jnp.array([[1, 2, 3], [4, 5, 6]]).astype("float32");
  assert.equal(jnp.takeAlongAxis(x, jnp.array([[0, 2], [1, 0]]), 1).toArray(), [[1, 3], [5, 4]]);
  const filled = toNumbers(jnp.takeAlongAxis(x, jnp.array([[1, 0, 2]]), 0));
  assert.equal(filled.slice(0, 2), [4, 2]);
  assert.ok(Number.isNaN(filled[2]));
  const past = toNumbers(jnp.takeAlongAxis(x, jnp.array([[3], [0]]), 1));
  assert.ok(Number.isNaN(past[0]) && past[1] === 4, `${past}`);
  assert.equal(jnp.takeAlongAxis(x, jnp.array([[3], [-1]]), 1, { mode: "clip" }).toArray(), [[3], [6]]);
  assert.equal(jnp.takeAlongAxis(x, jnp.array([[3], [-1]]), { axis: 1, fillValue: 0 }).toArray(), [[0], [6]]);
  const y = jnp.array([[5, 3, 4], [0, 2, 1]]);
  assert.equal(jnp.takeAlongAxis(y, jnp.argsort(y, 1), 1).toArray(), [[3, 4, 5], [0, 1, 2]]);
  assert.equal(jnp.takeAlongAxis(y, jnp.argmin(y, { axis: 1, keepdims: true }), 1).toArray(), [[3], [0]]);
});

test("x.at(...).get({ mode: \"fill\", fillValue }) and .set(v, { mode: \"clip\" }) (JAX's out-of-bounds modes; options were ignored)", () => {
  const x = jnp.array([[1, 2, 3], [4, 5, 6]]).astype("float32");
  const got = toNumbers(x.at(jnp.array([[1, 0, 2]]), jnp.arange(3)).get({ mode: "fill" }));
  assert.equal(got.slice(0, 2), [4, 2]);
  assert.ok(Number.isNaN(got[2]));
  assert.equal(x.at(jnp.array([5])).get({ mode: "fill", fillValue: -1 }).toArray(), [[-1, -1, -1]]);
  assert.equal(x.at(jnp.array([5])).get().toArray(), [[4, 5, 6]]);
  assert.equal(jnp.arange(3).at([5]).set(9).toArray(), [0, 1, 2]);
  assert.equal(jnp.arange(3).at([5]).set(9, { mode: "clip" }).toArray(), [0, 1, 9]);
  assert.throws(() => x.at(0).get({ mode: "wrap" as never }), /invalid mode/);
});

test("the new paths under transformations: vmap against a loop, jit against eager, gradients of pad modes and masked means", () => {
  const xs = jnp.arange(12).astype("float32").reshape(3, 4);
  const fs: [string, (v: JArray) => JArray][] = [
    ["pad reflect", (v) => jnp.pad(v, [2, 3], "reflect")],
    ["pad mean", (v) => jnp.pad(v, 1, { mode: "mean" })],
    ["take wrap", (v) => jnp.take(v, [5, -6], { mode: "wrap" })],
    ["takeAlongAxis fill", (v) => jnp.takeAlongAxis(v, jnp.array([4, 1]), 0, { fillValue: -1 })],
    ["max where", (v) => jnp.max(v, { where: jnp.array([true, false, true, false]), initial: -5 })],
    ["reduceWindow", (v) => lax.reduceWindow(v, 0, lax.add, [2], [1], "SAME")],
  ];
  for (const [name, f] of fs) {
    const loop = jnp.stack([...xs].map((r) => f(r)));
    assert.equal(vmap(f)(xs).toArray(), loop.toArray(), `${name}: vmap`);
    assert.equal(jit(f)(xs.get(1)).toArray(), f(xs.get(1)).toArray(), `${name}: jit`);
  }
  // d/dv sum(pad(v, 1, edge)) counts each element once plus once per copy at the edges.
  assert.equal(grad((v: JArray) => jnp.pad(v, 1, "edge").sum())(jnp.array([1, 2, 3]).astype("float32")).toArray(), [2, 1, 2]);
  const g = grad((v: JArray) => jnp.mean(v, { where: jnp.array([true, true, false]) }))(jnp.array([1, 2, 3]).astype("float32"));
  assert.equal(g.toArray(), [0.5, 0.5, 0]);
});

test("Array methods numpy has that were missing: round, sort, argsort, cumprod, repeat, diagonal", () => {
  const x = jnp.array([[3.14159, 1.5], [2.5, 0.25]]);
  assert.equal(x.round(1).toArray(), jnp.round(x, 1).toArray());
  assert.equal(x.sort().toArray(), [[1.5, 3.14159].map(Math.fround), [0.25, 2.5]]);
  assert.equal(x.argsort(0).toArray(), [[1, 1], [0, 0]]);
  assert.equal(jnp.array([1, 2, 3]).cumprod().toArray(), [1, 2, 6]);
  assert.equal(jnp.array([1, 2]).repeat(2).toArray(), [1, 1, 2, 2]);
  assert.equal(jnp.arange(4).reshape(2, 2).diagonal().toArray(), [0, 3]);
});

test("x.at(...).divide and .power (JAX's update methods; were missing), split at an Array of indices (threw)", () => {
  const x = jnp.array([8, 9, 10]).astype("float32");
  assert.equal(x.at([0, 0, 2]).divide(2).toArray(), [2, 9, 5]);
  assert.equal(jnp.array([2, 3, 4]).at(1).power(2).toArray(), [2, 9, 4]);
  const parts = jnp.split(jnp.arange(9), jnp.array([2, 7]));
  assert.equal(parts.map((p) => p.toArray()), [[0, 1], [2, 3, 4, 5, 6], [7, 8]]);
});

test("reduction options: a misspelt key is an error (keepDims was ignored), correction is ddof's array-API name", () => {
  const x = jnp.arange(6).reshape(2, 3);
  assert.throws(() => jnp.sum(x, { axis: 0, keepDims: true } as never), /unknown option keepDims/);
  assert.throws(() => jnp.argmax(x, { axis: 0, initial: 1 } as never), /unknown option/);
  assert.equal(jnp.var(x, { correction: 1 }).item(), 3.5);
  assert.equal(jnp.std(x, { axis: 1, correction: 1 }).toArray(), [1, 1]);
});

test("a JS integer meeting an integer array is parsed as int32, as JAX parses a Python int (checked against JAX 0.11.2)", () => {
  const u = jnp.array([0, 5], { dtype: "uint32" });
  // Outside int32's range: JAX's OverflowError, for a uint32 operand too.
  assert.throws(() => jnp.add(u, 4294967290), (e: unknown) => e instanceof DTypeError && /does not fit in int32/.test(String(e)));
  assert.throws(() => jnp.add(jnp.array([1]), 2 ** 31), (e: unknown) => e instanceof DTypeError && /does not fit in int32/.test(String(e)));
  // Inside it, a uint32 operand takes the value modulo 2^32: u > -1 is false everywhere in JAX too.
  assert.equal(toNumbers(jnp.greater(u, -1)), [0, 0]);
  assert.equal(toNumbers(u.mul(-1)), [0, 4294967291]);
  assert.equal(toNumbers(jnp.greater(u, 0)), [0, 1]);
  assert.equal(toNumbers(jnp.add(jnp.array([1]), -2147483648)), [-2147483647]);
  assert.equal(toNumbers(jnp.add(u, jnp.array(4294967290, { dtype: "uint32" }))), [4294967290, 4294967295]);
});

test("array methods and properties JAX's arrays have: mT, real/imag, itemsize/nbytes, copy, conj, argpartition, compress, nonzero, searchsorted, choose (also on tracers)", () => {
  const x = jnp.array([[1, 5, 2], [4, 0, 6]], { dtype: "float32" });
  assert.equal(x.mT.toArray(), [[1, 4], [5, 0], [2, 6]]);
  assert.equal([x.itemsize, x.nbytes, jnp.array([true]).nbytes, x.astype("int32").itemsize], [4, 24, 1, 4]);
  assert.equal(x.real.toArray(), x.toArray());
  assert.equal(x.imag.toArray(), [[0, 0, 0], [0, 0, 0]]);
  assert.equal(x.copy().toArray(), x.toArray());
  assert.equal(x.conj().toArray(), x.toArray());
  assert.equal(toNumbers(x.argpartition(1).get(":", 1)), toNumbers(jnp.argpartition(x, 1).get(":", 1)));
  assert.equal(x.compress(jnp.array([true, false, true]), 1).toArray(), [[1, 2], [4, 6]]);
  assert.equal(x.nonzero().map((a: JArray) => a.toArray()), [[0, 0, 0, 1, 1], [0, 1, 2, 0, 2]]);
  assert.equal(jnp.array([1, 3, 5]).searchsorted(4).toArray(), 2);
  assert.equal(jnp.array([0, 1, 0]).choose([jnp.array([1, 2, 3]), jnp.array([7, 8, 9])]).toArray(), [1, 8, 3]);
  assert.equal(grad((v: JArray) => jnp.sum(v.mT.mT.mul(v.real)))(x).toArray(), x.mul(2).toArray());
  assert.equal(jit((v: JArray) => v.mT)(x).toArray(), x.T.toArray());
});

test("logsumexp with b, returnSign and where (jax.nn.logsumexp); ravel in F order", () => {
  const x = jnp.array([1, 2, 3], { dtype: "float32" });
  const want = (w: number[]) => Math.log(w.reduce((s, bi, k) => s + bi * Math.exp(k + 1), 0));
  assert.ok(Math.abs(jnp.logsumexp(x, { b: jnp.array([0.5, 1, 2]) }).item() as number - want([0.5, 1, 2])) < 1e-5);
  assert.ok(Number.isNaN(jnp.logsumexp(x, { b: jnp.array([0, 0, -1]) }).item() as number));
  const [v, sign] = jnp.logsumexp(x, { b: jnp.array([0, 0, -1]), returnSign: true });
  assert.equal([sign.item(), +(v.item() as number).toFixed(5)], [-1, 3]);
  assert.ok(Math.abs(jnp.logsumexp(x, { where: jnp.array([true, false, true]) }).item() as number - Math.log(Math.exp(1) + Math.exp(3))) < 1e-5);
  // Its gradient with b: b * exp(x) / sum, by central differences.
  const g = grad((y: JArray) => jnp.logsumexp(y, { b: jnp.array([0.5, 1, 2]) }))(x).toArray() as number[];
  const s = 0.5 * Math.exp(1) + Math.exp(2) + 2 * Math.exp(3);
  g.forEach((gi, k) => assert.ok(Math.abs(gi - [0.5, 1, 2][k] * Math.exp(k + 1) / s) < 1e-5));
  const m = jnp.array([[1, 2, 3], [4, 5, 6]]);
  assert.equal(jnp.ravel(m, "F").toArray(), [1, 4, 2, 5, 3, 6]);
  assert.equal(m.ravel("F").toArray(), [1, 4, 2, 5, 3, 6]);
});

test.run();
