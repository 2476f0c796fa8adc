// lax's dynamic slicing, shape helpers, cumulative reductions, associativeScan, reduce, map, selectN
// and special functions: values vs numpy/scipy goldens (test/goldens/make_lax_goldens.py),
// gradients vs scipy's derivatives and central differences, jit vs eager, vmap vs a loop, errors.
import * as fs from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { jnp, lax, grad, jit, vmap, Array as JArray, DTypeError, ShapeError } from "../src/index.js";
import { randArray, toNumbers } from "./helpers.js";

const G = JSON.parse(fs.readFileSync(new URL("../../test/goldens/lax.json", import.meta.url), "utf8"));
const num = (v: number | string) => (typeof v === "number" ? v : v === "nan" ? NaN : v === "inf" ? Infinity : -Infinity);
const nums = (a: (number | string)[]) => a.map(num);
const ulp32 = (v: number) => (Math.abs(v) < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(Math.abs(v))) - 23));
const f64 = (a: number[], shape?: number[]) => jnp.array(new Float64Array(a), { dtype: "float64", shape: shape ?? [a.length] });
const f32 = (a: number[], shape?: number[]) => jnp.array(new Float32Array(a), { dtype: "float32", shape: shape ?? [a.length] });

function close(got: ArrayLike<number>, want: ArrayLike<number>, tol: (w: number, i: number) => number, what: string): void {
  assert.is(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (!Number.isFinite(w)) { assert.ok(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)), `${what}[${i}]: ${g} vs ${w}`); continue; }
    assert.ok(Math.abs(g - w) <= tol(w, i), `${what}[${i}]: got ${g}, want ${w} (err ${Math.abs(g - w)}, tol ${tol(w, i)})`);
  }
}
const allclose = (a: JArray, b: JArray | number[], rtol = 1e-6, atol = 1e-6, what = "") =>
  close(toNumbers(a), b instanceof JArray ? toNumbers(b) : b, (w) => atol + rtol * Math.abs(w), what);

/** d/dx of sum(w * f(x)) by central differences in float64, one coordinate at a time. */
function numGrad(f: (x: JArray) => JArray, x: number[], shape: number[], h = 1e-6): number[] {
  const w = x.map((_, i) => Math.sin(i + 1));
  const F = (v: number[]) => toNumbers(f(f64(v, shape))).reduce((s, y, i) => s + y * w[i % w.length], 0);
  return x.map((_, i) => {
    const p = [...x], m = [...x];
    p[i] += h; m[i] -= h;
    return (F(p) - F(m)) / (2 * h);
  });
}
/** grad of sum(w * f(x)) (same weights as numGrad) and its central-difference estimate agree. */
function checkGrad(f: (x: JArray) => JArray, x: number[], shape: number[], tol = 1e-6, what = "grad"): void {
  const y0 = f(f64(x, shape));
  const w = f64(toNumbers(y0).map((_, i) => Math.sin(i + 1)), y0.shape);
  const g = grad((v: JArray) => jnp.sum(jnp.multiply(f(v), w)))(f64(x, shape));
  close(toNumbers(g), numGrad(f, x, shape), (v) => tol * (1 + Math.abs(v)), what);
}

// ---- special functions

const specialTol: Record<string, (x: number) => (w: number) => number> = {
  // Positive arguments: a few ulp. Negative ones go through the reflection formula, which subtracts
  // terms of size about |f(1 - x)| + |log(pi / sin(pi x))| (or pi |cot(pi x)|): a few ulp of those.
  lgamma: (x) => (w) => 4 * ulp32(x > 0 ? w : Math.max(Math.abs(w), 2 + Math.abs(1 - x) * Math.log(2 - x))),
  digamma: (x) => (w) => 4 * ulp32(x > 0 ? w : Math.max(Math.abs(w), 2 + Math.log(2 - x) + Math.PI / Math.abs(Math.tan(Math.PI * x)))),
  erfc: () => (w) => 4 * ulp32(w),
  // XLA's float32 erf_inv (Giles' polynomial, as JAX computes it) is good to ~30 ulp near +-1.
  erfInv: () => (w) => 4e-6 * Math.abs(w) + 1e-30,
};

for (const name of ["lgamma", "digamma", "erfc", "erfInv"] as const) {
  const g = G[name], x = nums(g.x), y = nums(g.y), dy = nums(g.dy);
  const fn = lax[name] as (v: JArray) => JArray;
  test(`${name}: float32 vs scipy over ${x.length} points`, () => {
    close(toNumbers(fn(f32(x))), y, (w, i) => specialTol[name](x[i])(w), name);
  });
  test(`${name}: float64 vs scipy`, () => {
    const rel = name === "erfInv" ? 1e-13 : 2e-9;
    close(toNumbers(fn(f64(x))), y, (w, i) => 1e-15 + rel * (x[i] > 0 || name !== "lgamma" && name !== "digamma" ? Math.abs(w) :
      Math.max(Math.abs(w), 2 + Math.abs(1 - x[i]) * Math.log(2 - x[i]) + Math.PI / Math.abs(Math.tan(Math.PI * x[i])))), `${name} f64`);
  });
  test(`${name}: grad vs scipy's derivative (vmap of grad, float32)`, () => {
    const got = toNumbers(vmap(grad(fn))(f32(x)));
    close(got, dy, (w) => (name === "erfInv" ? 1e-4 : 2e-5) * Math.abs(w) + 2e-6, `${name}'`);
  });
  test(`${name}: jit matches eager`, () => {
    const xs = f32(x);
    close(toNumbers(jit(fn)(xs)), toNumbers(fn(xs)), (w) => 2 * ulp32(w), `${name} jit`);
  });
}

test("special values follow JAX: lgamma +inf at poles and +-inf, digamma NaN at poles and -inf", () => {
  const s = G.specials, x = f32(nums(s.x));
  for (const name of ["lgamma", "digamma", "erfc"] as const) {
    close(toNumbers((lax[name] as (v: JArray) => JArray)(x)), nums(s[name]), (w) => 4 * ulp32(Math.max(1, Math.abs(w))), name);
  }
});

test("second derivatives: lgamma'' = trigamma (scipy), digamma'' by central differences", () => {
  const x = [0.3, 1.5, 4.2, 9.5, -2.5];
  const tri = nums(G.digamma.dy), xs = nums(G.digamma.x);
  const d2 = grad(grad((v: JArray) => lax.lgamma(v)));
  for (const v of [1.5, 4.5, 10.5]) {
    const i = xs.findIndex((a) => Math.abs(a - v) < 0.03);
    if (i < 0) continue;
    close([d2(f64([xs[i]], [])).item() as number], [tri[i]], (w) => 1e-6 * Math.abs(w), `lgamma'' at ${xs[i]}`);
  }
  checkGrad((v) => vmap(grad((a: JArray) => lax.digamma(a)))(v), x, [x.length], 1e-5, "digamma''");
  checkGrad((v) => lax.erfc(v), [-1.2, 0.2, 0.5, 2, 7], [5], 1e-6, "erfc'");
});

test("special functions reject integer input", () => {
  for (const f of [lax.lgamma, lax.digamma, lax.erfc]) assert.throws(() => f(jnp.array([1, 2])), (e: Error) => e instanceof DTypeError);
});

// ---- dynamic slicing

const D = G.dynamic;
const X = jnp.arange(D.shape.reduce((a: number, b: number) => a * b, 1), "float32").reshape(D.shape);

test("dynamicSlice / dynamicUpdateSlice vs numpy with XLA's clamping: JS-number and array starts, eager and jit", () => {
  for (const c of D.cases) {
    const arr = c.starts.map((s: number) => jnp.array(s));
    for (const starts of [c.starts, arr, jnp.array(c.starts)]) {
      allclose(lax.dynamicSlice(X, starts, c.sizes), nums(c.slice), 0, 0, `slice ${c.starts}`);
      const upd = f32(nums(c.update), c.sizes);
      allclose(lax.dynamicUpdateSlice(X, upd, starts), nums(c.updated), 0, 0, `update ${c.starts}`);
    }
    const js = jit((...s: JArray[]) => lax.dynamicSlice(X, s, c.sizes));
    allclose(js(...arr), nums(c.slice), 0, 0, `jit slice ${c.starts}`);
    const ju = jit((u: JArray, ...s: JArray[]) => lax.dynamicUpdateSlice(X, u, s));
    allclose(ju(f32(nums(c.update), c.sizes), ...arr), nums(c.updated), 0, 0, `jit update ${c.starts}`);
  }
});

test("vmap over traced start indices matches a loop", () => {
  const starts = jnp.array([[0, 1, 0], [3, -1, 2], [2, 9, 1], [-7, 2, 0]]);
  const f = (s: JArray) => lax.dynamicSlice(X, [s.get(0), s.get(1), s.get(2)], [2, 3, 2]);
  const got = vmap(f)(starts);
  const loop = jnp.stack([0, 1, 2, 3].map((i) => f(starts.get(i))));
  allclose(got, loop, 0, 0, "vmap slice");
  // Batched operand and batched start together, and a batched update.
  const xs = jnp.stack([X, jnp.negative(X)]), i = jnp.array([1, 3]), u = jnp.ones([2, 1, 2, 3]);
  const g = (x: JArray, s: JArray, v: JArray) => lax.dynamicUpdateSliceInDim(lax.dynamicSliceInDim(x, s, 3, 1), v, s, 0);
  allclose(vmap(g)(xs, i, u), jnp.stack([0, 1].map((k) => g(xs.get(k), i.get(k), u.get(k)))), 0, 0, "vmap update");
});

test("grad through dynamicSlice (scatter-add of the cotangent) and dynamicUpdateSlice, vs central differences", () => {
  const x = Array.from({ length: 12 }, (_, i) => Math.cos(i));
  checkGrad((v) => lax.dynamicSlice(v, [jnp.array(1), jnp.array(-3)], [2, 2]), x, [3, 4]);
  checkGrad((v) => lax.dynamicUpdateSlice(v, jnp.multiply(lax.sliceInDim(v, 0, 2, 1, 0), 3), [jnp.array(5), jnp.array(0)]), x, [3, 4]);
  checkGrad((v) => lax.dynamicIndexInDim(jnp.sin(v), jnp.array(2), 1, false), x, [3, 4]);
  // Under jit with the start traced.
  const gj = jit(grad((v: JArray, s: JArray) => jnp.sum(jnp.square(lax.dynamicSliceInDim(v, s, 2, 0)))));
  allclose(gj(f64(x.slice(0, 5)), jnp.array(2)), [0, 0, 2 * x[2], 2 * x[3], 0], 1e-12, 1e-12, "jit grad");
});

test("sliceInDim, dynamicSliceInDim, dynamicIndexInDim, dynamicUpdateSliceInDim: JAX's defaults and negative indices", () => {
  const x = jnp.arange(12).reshape([3, 4]);
  assert.equal(lax.sliceInDim(x, 1, null, 2, 1).toArray(), [[1, 3], [5, 7], [9, 11]]);
  assert.equal(lax.sliceInDim(x, -2, null).toArray(), [[4, 5, 6, 7], [8, 9, 10, 11]]);
  assert.equal(lax.dynamicSliceInDim(x, 2, 2).toArray(), [[4, 5, 6, 7], [8, 9, 10, 11]]);
  assert.equal(lax.dynamicIndexInDim(x, -1).toArray(), [[8, 9, 10, 11]]);
  assert.equal(lax.dynamicIndexInDim(x, 1, 1, false).toArray(), [1, 5, 9]);
  assert.equal(lax.dynamicUpdateSliceInDim(x, jnp.zeros([3, 1], "int32"), 3, 1).toArray(), [[0, 1, 2, 0], [4, 5, 6, 0], [8, 9, 10, 0]]);
  assert.equal(lax.dynamicSlice(x, [0, 0], [0, 4]).shape, [0, 4]);
  // The same as options objects.
  assert.equal(lax.sliceInDim(x, 1, null, { stride: 2, axis: 1 }).toArray(), [[1, 3], [5, 7], [9, 11]]);
  assert.equal(lax.dynamicIndexInDim(x, 1, { axis: 1, keepdims: false }).toArray(), [1, 5, 9]);
  assert.equal(lax.dynamicSliceInDim(x, -1, 2, { axis: 1 }).toArray(), [[2, 3], [6, 7], [10, 11]]);
  assert.equal(lax.dynamicUpdateSliceInDim(x, jnp.zeros([1, 4], "int32"), 0, { axis: 0 }).get(0).toArray(), [0, 0, 0, 0]);
});

test("dynamic slicing errors name the op and the shapes", () => {
  const x = jnp.zeros([3, 4]);
  assert.throws(() => lax.dynamicSlice(x, [1], [2, 2]), (e: Error) => e instanceof ShapeError && /dynamicSlice/.test(e.message) && /\(3,4\)/.test(e.message));
  assert.throws(() => lax.dynamicSlice(x, [1, 1], [4, 2]), (e: Error) => e instanceof ShapeError && /dynamicSlice/.test(e.message) && /\(4,2\)/.test(e.message) && /\(3,4\)/.test(e.message));
  assert.throws(() => lax.dynamicSlice(x, [jnp.array(1.5), 0], [1, 1]), (e: Error) => e instanceof DTypeError);
  assert.throws(() => lax.dynamicUpdateSlice(x, jnp.zeros([4, 1]), [0, 0]), (e: Error) => e instanceof ShapeError && /dynamicUpdateSlice/.test(e.message));
  assert.throws(() => lax.dynamicUpdateSlice(x, jnp.zeros([1, 1], "int32"), [0, 0]), (e: Error) => e instanceof DTypeError);
  assert.throws(() => lax.dynamicUpdateSlice(x, jnp.zeros([1, 1]), [0, 0, 0]), (e: Error) => e instanceof ShapeError);
});

// ---- cumulative reductions and associativeScan

const CUM = ["cumsum", "cumprod", "cummax", "cummin", "cumlogsumexp"] as const;
const A0 = nums(G.cum.a);

test("cumulative reductions vs numpy: both axes, both directions, positional and options, jit", () => {
  const a = f32(A0, G.cum.shape);
  for (const k of CUM) {
    for (const axis of [0, 1]) {
      for (const rev of [false, true]) {
        const want = nums(G.cum.out[`${k}/${axis}/${rev ? 1 : 0}`]);
        const f = lax[k] as (x: JArray, axis?: number | object, reverse?: boolean) => JArray;
        allclose(f(a, axis, rev), want, 2e-6, 2e-6, `${k} ${axis} ${rev}`);
        allclose(f(a, { axis: axis - 2, reverse: rev }), want, 2e-6, 2e-6, `${k} options`);
        allclose(jit((x: JArray) => f(x, axis, rev))(a), want, 2e-6, 2e-6, `${k} jit`);
      }
    }
  }
});

test("cumulative reductions: grads vs central differences (cumprod through zeros), vmap vs loop", () => {
  const x = [0.3, -1.2, 0.7, 2.1, -0.4, 1.6, 0.9, -2.2, 0.5, 1.1, -0.8, 1.9];
  for (const k of CUM) {
    const f = lax[k] as (x: JArray, axis?: number, reverse?: boolean) => JArray;
    for (const [axis, rev] of [[0, false], [1, true]] as const) checkGrad((v) => f(v, axis, rev), x, [3, 4], 1e-6, `${k}'`);
    const b = randArray([3, 4, 5], -1, 1, "float32", 7);
    allclose(vmap((v: JArray) => f(v, 1))(b), jnp.stack([0, 1, 2].map((i) => f(b.get(i), 1))), 1e-6, 1e-6, `${k} vmap`);
  }
  const withZero = [1, 0, 2, 3];
  const g = toNumbers(grad((v: JArray) => jnp.sum(lax.cumprod(v)))(f64(withZero)));
  assert.equal(g, [1, 1 + 2 + 6, 0, 0]);
});

test("associativeScan: pytrees, reverse, axis; an affine-map recurrence vs a sequential loop; grad", () => {
  const n = 11;
  const a = randArray([n, 3], 0.5, 1.5, "float64", 3), b = randArray([n, 3], -1, 1, "float64", 4);
  // Composing x -> a x + b maps: (a1, b1) then (a2, b2) is (a1 a2, a2 b1 + b2).
  const comp = ([a1, b1]: JArray[], [a2, b2]: JArray[]) => [jnp.multiply(a1, a2), jnp.add(jnp.multiply(a2, b1), b2)];
  const [, ys] = lax.associativeScan(comp, [a, b]);
  const A = toNumbers(a), B = toNumbers(b), want: number[] = [];
  const h = [0, 0, 0];
  for (let i = 0; i < n; i++) for (let j = 0; j < 3; j++) { h[j] = A[i * 3 + j] * h[j] + B[i * 3 + j]; want.push(h[j]); }
  allclose(ys, want, 1e-12, 1e-12, "affine scan");
  const x = jnp.arange(12, "float32").reshape([2, 6]);
  allclose(lax.associativeScan(lax.add, x, false, 1), lax.cumsum(x, 1), 0, 0, "axis 1");
  allclose(lax.associativeScan(lax.add, x, { reverse: true, axis: 1 }), lax.cumsum(x, 1, true), 0, 0, "reverse");
  allclose(lax.associativeScan((p: { v: JArray }, q: { v: JArray }) => ({ v: lax.max(p.v, q.v) }), { v: jnp.array([1, 3, 2, 5, 4]) }).v, [1, 3, 3, 5, 5], 0, 0, "dict");
  checkGrad((v) => lax.associativeScan(lax.mul, v), [0.5, 1.5, -2, 0.7, 1.1, 0.9, -0.3], [7], 1e-6, "scan grad");
  assert.throws(() => lax.associativeScan(lax.add, [jnp.zeros([3]), jnp.zeros([4])]), (e: Error) => e instanceof ShapeError);
});

// ---- reduce, map, selectN

test("reduce: monoids (given as lax functions or closures), non-identity init, and a variadic (value, index) reduction", () => {
  const x = f32([3, -1, 4, 1, -5, 9, 2, 6, -5, 3, 5, 8], [3, 4]);
  allclose(lax.reduce(x, 0, lax.add, [0]), jnp.sum(x, 0), 0, 0, "sum");
  allclose(lax.reduce(x, -Infinity, (a: JArray, b: JArray) => lax.max(a, b), [1]), jnp.max(x, 1), 0, 0, "max");
  allclose(lax.reduce(x, 1, lax.mul, [0, 1]), jnp.prod(x), 0, 0, "prod");
  allclose(lax.reduce(x, 10, lax.add, [1]), jnp.add(jnp.sum(x, 1), 10), 0, 0, "init applied once");
  allclose(lax.reduce(jnp.array([[true, false], [true, true]]), true, lax.bitwiseAnd, [1]), [0, 1], 0, 0, "and");
  const idx = jnp.broadcastTo(jnp.arange(4), [3, 4]);
  const argmax = ([v1, i1]: JArray[], [v2, i2]: JArray[]) => {
    const pick = jnp.logicalOr(jnp.greater(v1, v2), jnp.logicalAnd(jnp.equal(v1, v2), jnp.less(i1, i2)));
    return [lax.select(pick, v1, v2), lax.select(pick, i1, i2)];
  };
  const [mv, mi] = lax.reduce([x, idx], [-Infinity, 0], argmax, [1]);
  allclose(mv, jnp.max(x, 1), 0, 0, "argmax value");
  assert.equal(mi.toArray(), toNumbers(jnp.argmax(x, 1)));
  allclose(jit((v: JArray) => lax.reduce(v, 0, lax.add, [1]))(x), jnp.sum(x, 1), 0, 0, "jit");
  checkGrad((v) => lax.reduce(v, 0, (a: JArray, b: JArray) => lax.add(a, b), [0]), toNumbers(x), [3, 4]);
});

test("map: sequential f over the leading axis, with and without batchSize, on pytrees", () => {
  const xs = randArray([7, 3], -1, 1, "float32", 5);
  const f = (r: JArray) => jnp.sum(jnp.sin(r));
  const want = vmap(f)(xs);
  allclose(lax.map(f, xs), want, 1e-6, 1e-6, "map");
  for (const batchSize of [2, 3, 7, 10]) allclose(lax.map(f, xs, { batchSize }), want, 1e-6, 1e-6, `batchSize ${batchSize}`);
  const out = lax.map(({ a, b }: { a: JArray; b: JArray }) => ({ s: jnp.add(a, b) }), { a: xs, b: xs }, { batchSize: 3 });
  allclose(out.s, jnp.multiply(xs, 2), 0, 0, "pytree");
});

test("selectN: bool and int32 which, scalar which, grads through the chosen case", () => {
  const c = [f32([0, 0, 0, 0]), f32([1, 1, 1, 1]), f32([2, 2, 2, 2])];
  allclose(lax.selectN(jnp.array([0, 2, 1, 2]), ...c), [0, 2, 1, 2], 0, 0, "int");
  allclose(lax.selectN(jnp.array([true, false, true, false]), c[0], c[1]), [1, 0, 1, 0], 0, 0, "bool");
  allclose(lax.selectN(jnp.array(1), ...c), [1, 1, 1, 1], 0, 0, "scalar");
  allclose(lax.selectN(jnp.array([0, 0, 0, 0]), c[2]), [2, 2, 2, 2], 0, 0, "one case");
  const g = grad((v: JArray) => jnp.sum(lax.selectN(jnp.array([1, 0, 1]), jnp.zeros([3]), jnp.square(v))))(f32([1, 2, 3]));
  allclose(g, [2, 0, 6], 0, 0, "grad");
  assert.throws(() => lax.selectN(jnp.array(true), ...c), (e: Error) => e.message.includes("selectN"));
});

// ---- shapes, creation, dot

test("full, fullLike: dtype and weak type as JAX; broadcast, collapse, squeeze, expandDims", () => {
  const a = lax.full([2, 3], 1.5);
  assert.equal([a.shape, a.dtype, a.weakType], [[2, 3], "float32", true]);
  const b = lax.full([2], 3, "float32");
  assert.equal([b.dtype, b.weakType, b.toArray()], ["float32", false, [3, 3]]);
  assert.equal(lax.full([2], jnp.array(7, "int32")).dtype, "int32");
  assert.equal(jit((v: JArray) => lax.full([2], v))(jnp.array(2.5)).toArray(), [2.5, 2.5]);
  const x = jnp.array([[1, 2, 3]], "int32");
  const fl = lax.fullLike(x, 4);
  assert.equal([fl.dtype, fl.weakType, fl.toArray()], ["int32", false, [[4, 4, 4]]]);
  assert.equal(lax.fullLike(x, 0.5, "float32", [2]).toArray(), [0.5, 0.5]);
  assert.equal(lax.fullLike(x, 0.5, { dtype: "float32", shape: [2] }).toArray(), [0.5, 0.5]);
  assert.equal(lax.full([1], 2, { dtype: "float32" }).dtype, "float32");
  assert.equal(lax.broadcast(jnp.array([1, 2]), [2, 1]).toArray(), [[[1, 2]], [[1, 2]]]);
  assert.equal(lax.collapse(jnp.zeros([2, 3, 4, 5]), 1, 3).shape, [2, 12, 5]);
  assert.equal(lax.collapse(jnp.zeros([2, 3, 4, 5]), -2).shape, [2, 3, 20]);
  assert.equal(lax.squeeze(jnp.zeros([1, 3, 1]), [0, -1]).shape, [3]);
  assert.equal(lax.expandDims(jnp.zeros([3, 4]), [0, -1]).shape, [1, 3, 4, 1]);
  assert.throws(() => lax.squeeze(jnp.zeros([2, 3]), [0]), (e: Error) => e instanceof ShapeError);
  assert.throws(() => lax.full([2], jnp.zeros([2])), (e: Error) => e instanceof ShapeError);
});

test("dot and batchMatmul: JAX's shapes, preferredElementType, dimension numbers, errors", () => {
  const m = f32([1, 2, 3, 4, 5, 6], [2, 3]), v = f32([1, 0, -1]);
  assert.equal(lax.dot(m, v).toArray(), [-2, -2]);
  assert.equal(lax.dot(v, v).toArray(), 2);
  assert.equal(lax.dot(m, jnp.transpose(m)).toArray(), [[14, 32], [32, 77]]);
  const i = jnp.array([[1, 2], [3, 4]], "int32");
  const p = lax.dot(i, i, null, "float32");
  assert.equal([p.dtype, p.toArray()], ["float32", [[7, 10], [15, 22]]]);
  assert.equal(lax.dot(i, i, { preferredElementType: "float32" }).dtype, "float32");
  assert.equal(lax.dot(m, m, { dimensionNumbers: [[[1], [1]], [[0], [0]]] }).toArray(), [14, 77]);
  assert.throws(() => lax.dot(jnp.zeros([2, 2, 2]), jnp.zeros([2])), (e: Error) => e instanceof ShapeError && e.message.includes("dot"));
  assert.throws(() => lax.dot(m, jnp.zeros([3], "int32")), (e: Error) => e instanceof DTypeError);
  const a = randArray([4, 2, 3], -1, 1, "float32", 1), b = randArray([4, 3, 5], -1, 1, "float32", 2);
  allclose(lax.batchMatmul(a, b), jnp.matmul(a, b), 1e-6, 1e-6, "batchMatmul");
  assert.throws(() => lax.batchMatmul(a, jnp.zeros([3, 5])), (e: Error) => e instanceof ShapeError);
});

test.run();
