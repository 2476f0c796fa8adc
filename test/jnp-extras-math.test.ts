// jnp's extra math and statistics functions: values and dtypes against numpy goldens
// (test/goldens/make_extras_math_goldens.py), gradients against central differences, jit against
// eager, vmap against a loop, and typed errors for bad input.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import { jnp, jit, grad, vmap, tidy, memoryStats, ConcretizationTypeError, ValueError, ShapeError, DTypeError, NotImplementedError, Array as JArray } from "../src/index.js";
import { randArray, toNumbers } from "./helpers.js";

type V = number | string;
interface Enc { dtype: "float32" | "float64" | "int32" | "bool"; shape: number[]; data: V[] }
interface Case { name: string; fn: string; args: unknown[]; kw: Record<string, unknown>; want: Enc | Enc[]; tol: number }
const cases = (JSON.parse(fs.readFileSync(new URL("../../test/goldens/extras_math.json", import.meta.url), "utf8")) as { cases: Case[] }).cases;
const dec = (v: V) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));
const load = (e: Enc) => jnp.array(e.data.map(dec), { dtype: e.dtype }).reshape(e.shape);
const arg = (v: unknown): unknown => {
  if (v && typeof v === "object" && "arr" in v) return load((v as { arr: Enc }).arr);
  if (v && typeof v === "object" && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, arg(x)]));
  return v;
};
const J = jnp as unknown as Record<string, (...a: unknown[]) => JArray | JArray[]>;
const call = (c: Case) => J[c.fn](...c.args.map(arg), ...(Object.keys(c.kw).length ? [arg(c.kw)] : []));

function close(got: JArray, want: Enc, label: string, tol: number): void {
  assert.equal(got.dtype, want.dtype, `${label}: dtype`);
  assert.equal(got.shape, want.shape, `${label}: shape`);
  const g = toNumbers(got), w = want.data.map(dec);
  const ok = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) ||
    (tol > 0 && Math.abs(a - b) <= tol * (1 + Math.abs(b))) || (tol === 0 && a === b && !Object.is(b, -0) && !Object.is(a, -0));
  const bad = g.findIndex((v, i) => !ok(v, w[i]));
  assert.ok(bad < 0, `${label}: element ${bad}: ${g[bad]} vs ${w[bad]} (got ${g.slice(0, 10)}, want ${w.slice(0, 10)})`);
}

function check(c: Case, got: JArray | JArray[], label = c.name): void {
  if (Array.isArray(c.want)) {
    assert.ok(Array.isArray(got) && got.length === c.want.length, `${label}: ${c.want.length} outputs`);
    c.want.forEach((w, i) => close((got as JArray[])[i], w, `${label}[${i}]`, c.tol));
  } else {
    close(got as JArray, c.want, label, c.tol);
  }
}

test("numpy goldens: values, shapes and JAX's dtypes", () => {
  assert.ok(cases.length > 140);
  for (const c of cases) check(c, call(c));
});

test("jit agrees with eager on every golden case", () => {
  for (const c of cases) {
    // bincount's output size comes from x's values unless `length` is given: no jit (as in JAX).
    if (c.fn === "bincount" && !("length" in c.kw)) continue;
    const arrays = c.args.map(arg);
    const idx = arrays.map((a, i) => (a instanceof JArray ? i : -1)).filter((i) => i >= 0);
    const kw = Object.keys(c.kw).length ? [arg(c.kw)] : [];
    const f = jit((...xs: JArray[]) => {
      const all = [...arrays];
      idx.forEach((j, n) => { all[j] = xs[n]; });
      return J[c.fn](...all, ...kw);
    });
    check(c, f(...idx.map((i) => arrays[i] as JArray)), `${c.name} (jit)`);
  }
});

// ---- gradients vs central differences (float64)
function gradCheck(name: string, f: (x: JArray) => JArray, x: JArray, tol = 1e-6): void {
  const w = randArray(f(x).shape, -1, 1, "float64", 77);
  const loss = (v: JArray) => jnp.sum(jnp.multiply(f(v), w));
  const g = toNumbers(grad(loss)(x)), xs = toNumbers(x), h = 1e-6;
  xs.forEach((_, i) => {
    const p = xs.slice(), m = xs.slice();
    p[i] += h; m[i] -= h;
    const at = (d: number[]) => Number(loss(jnp.array(d, { dtype: "float64" }).reshape(x.shape)).item());
    const num = (at(p) - at(m)) / (2 * h);
    assert.ok(Math.abs(num - g[i]) <= tol * (1 + Math.abs(num)), `${name}: d/dx[${i}] ${g[i]} vs numeric ${num}`);
  });
}

test("gradients match central differences", () => {
  const x = randArray([4, 5], -2, 2, "float64", 3);
  const v = randArray([7], -2, 2, "float64", 4);
  const b = randArray([4, 3], -1, 1, "float64", 5);
  gradCheck("median", (a) => jnp.median(a, { axis: 1 }), x);
  gradCheck("median even", (a) => jnp.median(a), v.get("1:"));
  gradCheck("percentile", (a) => jnp.percentile(a, jnp.array([10, 60, 95], { dtype: "float64" }), { axis: 0 }), x);
  gradCheck("quantile nearest", (a) => jnp.quantile(a, 0.3, { method: "nearest" }), x);
  gradCheck("nanmedian", (a) => jnp.nanmedian(a, 0), x);
  gradCheck("nanmean/nanvar", (a) => jnp.add(jnp.nanmean(a, 1).sum(), jnp.nanvar(a, 0).sum()), x);
  gradCheck("cross", (a) => jnp.cross(a, b), randArray([4, 3], -1, 1, "float64", 6));
  gradCheck("diff", (a) => jnp.diff(a, { n: 2, axis: 0, prepend: 1 }), x);
  gradCheck("gradient", (a) => jnp.gradient(a, jnp.array([0, 0.5, 1.5, 1.7, 3], { dtype: "float64" }), { axis: 1, edgeOrder: 2 }) as JArray, x);
  gradCheck("interp fp/x", (a) => jnp.interp(a.get(0), jnp.array([-3, -1, 0, 2, 3], { dtype: "float64" }), a.get(1)), x);
  gradCheck("trapezoid", (a) => jnp.trapezoid(a, { dx: 0.3, axis: 0 }), x);
  gradCheck("trapezoid x", (a) => jnp.trapezoid(a.get(0), jnp.cumsum(jnp.abs(a.get(1)))), x);
  gradCheck("sinc", (a) => jnp.sinc(a), v);
  gradCheck("copysign", (a) => jnp.copysign(a, jnp.array([1, -1, 1, -1, -1, 1, 1], { dtype: "float64" })), v);
  gradCheck("logaddexp2", (a) => jnp.logaddexp2(a, jnp.flip(a)), v);
  gradCheck("i0", (a) => jnp.i0(jnp.multiply(a, 9)), v, 1e-5);
  gradCheck("ldexp", (a) => jnp.ldexp(a, jnp.array([3, -2, 0, 1, 5, -7, 2], { dtype: "int32" })), v);
  gradCheck("frexp mantissa", (a) => jnp.frexp(a)[0], v);
  gradCheck("cov/corrcoef", (a) => jnp.add(jnp.cov(a).sum(), jnp.corrcoef(a).sum()), x, 1e-5);
  gradCheck("average weights", (a) => jnp.average(a, 1, jnp.abs(a.get(0))) as JArray, x);
  gradCheck("polyval/convolve", (a) => jnp.add(jnp.polyval(a.get(0), a.get(1)), jnp.convolve(a.get(2), a.get(3), "same")), x);
  gradCheck("vecdot/matvec", (a) => jnp.add(jnp.vecdot(a, a, { axis: 0 }), jnp.matvec(a.T, a.get(":", 0))), x);
  // sinc is smooth at 0 with derivative 0 (the safe-division branch would give NaN).
  assert.equal(grad((a: JArray) => jnp.sinc(a))(jnp.array(0, { dtype: "float32" })).item(), 0);
  // Every order is exact at 0 (JAX's Maclaurin rule): the second derivative is -pi^2 / 3, the third 0.
  const sincD = (n: number) => { let f = (a: JArray) => jnp.sinc(a); for (let i = 0; i < n; i++) f = grad(f); return Number(f(jnp.array(0, { dtype: "float64" })).item()); };
  assert.ok(Math.abs(sincD(2) + Math.PI ** 2 / 3) < 1e-9, `second derivative ${sincD(2)}`);
  assert.is(sincD(3), 0);
  assert.ok(Number.isFinite(Number(grad((a: JArray) => jnp.sinc(a))(jnp.array(Infinity)).item())));
});

// ---- vmap vs a loop
function vmapCheck(name: string, f: (x: JArray) => JArray, xs: JArray): void {
  const got = vmap(f)(xs);
  const want = jnp.stack(Array.from({ length: xs.shape[0] }, (_, i) => f(xs.get(i))));
  assert.equal(got.shape, want.shape, `${name}: shape`);
  const g = toNumbers(got), w = toNumbers(want);
  assert.ok(g.every((v, i) => Object.is(v, w[i]) || Math.abs(v - w[i]) <= 1e-5 * (1 + Math.abs(w[i]))), `${name}: ${g} vs ${w}`);
}

test("vmap agrees with a loop", () => {
  const x = randArray([3, 4, 5], -2, 2, "float32", 9);
  vmapCheck("quantile", (a) => jnp.quantile(a, jnp.array([0.2, 0.9]), { axis: 1 }), x);
  vmapCheck("median", (a) => jnp.median(a), x);
  vmapCheck("nanmax", (a) => jnp.nanmax(jnp.where(jnp.greater(a, 1), NaN, a), 0), x);
  vmapCheck("interp", (a) => jnp.interp(a, jnp.array([-1, 0, 1.5]), jnp.array([2, -1, 4])), x);
  vmapCheck("cross", (a) => jnp.cross(a.get(":", ":3"), a.get(":", "2:")), x);
  vmapCheck("gradient", (a) => jnp.gradient(a, { axis: 0 }) as JArray, x);
  vmapCheck("cov", (a) => jnp.cov(a), x);
  vmapCheck("gcd", (a) => jnp.gcd(jnp.round(jnp.multiply(a, 20)).astype("int32"), 12), x);
  vmapCheck("convolve", (a) => jnp.convolve(a.get(0), a.get(1)), x);
  vmapCheck("nextafter", (a) => jnp.nextafter(a, 0), x);
});

test("output dtypes follow JAX", () => {
  const i = jnp.array([[3, 1, 2], [5, 4, 0]]);
  assert.is(jnp.median(i).dtype, "float32");
  assert.is(jnp.quantile(i, 0.5, { method: "lower" }).dtype, "float32");
  assert.is(jnp.countNonzero(i).dtype, "int32");
  assert.is(jnp.cumulativeSum(i, { axis: 1 }).dtype, "int32");
  assert.is(jnp.nanmean(i).dtype, "float32");
  assert.is(jnp.nanargmax(jnp.array([NaN, 1, 2])).item(), 2);
  assert.is(jnp.nanargmax(jnp.array([NaN, NaN])).item(), -1);
  assert.is(jnp.median(jnp.array([1, 2], { dtype: "float64" })).dtype, "float64");
  assert.is(jnp.gcd(12, 18).item(), 6);
  assert.is(jnp.real(i), i);
  assert.equal(jnp.imag(i).toArray(), [[0, 0, 0], [0, 0, 0]]);
  assert.equal(jnp.iscomplex(i).toArray(), [[false, false, false], [false, false, false]]);
  assert.is(jnp.iscomplexobj(i), false);
  assert.is(jnp.isrealobj(i), true);
  assert.ok(jnp.isscalar(1) && jnp.isscalar(jnp.array(2)) && !jnp.isscalar(i) && !jnp.isscalar([1]));
  assert.equal(jnp.broadcastShapes([2, 1], [3], 1), [2, 3]);
  assert.is(jnp.arrayEquiv([1, 2], [[1, 2], [1, 2]]).item(), true);
  assert.is(jnp.arrayEquiv([1, 2], [1, 2, 3]).item(), false);
  assert.equal(jnp.cumulativeSum([true, true, false], { dtype: "bool" }).toArray(), [true, true, true]);
  assert.equal(jnp.nanmin(jnp.array([[NaN, NaN], [1, NaN]]), 1).toArray(), [NaN, 1]);
  assert.equal(jnp.nansum(jnp.array([NaN, NaN])).item(), 0);
  assert.is(jnp.acos, jnp.arccos);
  assert.is(jnp.conjugate(i), i);
});

test("bad input raises typed errors naming the op", () => {
  const x = jnp.ones([3, 4]);
  const throwsAs = (f: () => unknown, C: new (...a: any[]) => Error, re: RegExp) => {
    try { f(); } catch (e) { assert.ok(e instanceof C, `${(e as Error).name}: ${(e as Error).message}`); assert.match((e as Error).message, re); return; }
    assert.unreachable(`expected ${C.name} ${re}`);
  };
  throwsAs(() => jnp.diff(x, -1), ValueError, /diff: the order n/);
  throwsAs(() => jnp.diff(jnp.array(1)), ValueError, /diff: .*scalar/);
  throwsAs(() => jnp.quantile(x, 0.5, { method: "weibull" as never }), ValueError, /quantile: method "weibull"/);
  throwsAs(() => jnp.quantile(x, jnp.ones([2, 2])), ShapeError, /quantile: q must be/);
  throwsAs(() => jnp.quantile(x, 0.5, { weights: x }), NotImplementedError, /quantile: weights/);
  throwsAs(() => jnp.cross(x, x), ShapeError, /cross: vectors must have 2 or 3/);
  throwsAs(() => jnp.gradient(jnp.ones([1])), ValueError, /gradient: shape \[1\]/);
  throwsAs(() => jnp.gradient(x, 1, 2, 3), ValueError, /gradient: got 3 spacings/);
  throwsAs(() => jnp.gradient(x, jnp.ones([5]), { axis: 1 }), ShapeError, /gradient: spacing must be/);
  throwsAs(() => jnp.interp(1, [1, 2], [1, 2, 3]), ShapeError, /interp: xp and fp/);
  throwsAs(() => jnp.interp(1, [1, 2], [1, 2], "nope"), ValueError, /interp: the only string value of left/);
  throwsAs(() => jnp.convolve(x, [1]), ShapeError, /convolve: only 1-d/);
  throwsAs(() => jnp.correlate([1, 2], [1], "wide" as never), ValueError, /correlate: mode must be/);
  throwsAs(() => jnp.gcd(1.5, 2), DTypeError, /gcd: arguments must be integers/);
  throwsAs(() => jnp.ldexp(1, 0.5), DTypeError, /ldexp: the exponent must be an integer/);
  throwsAs(() => jnp.cov(jnp.ones([2, 2, 2])), ShapeError, /cov: m and y/);
  throwsAs(() => jnp.cov(x, { fweights: [1.5, 1, 1, 1] }), DTypeError, /cov: fweights must be integers/);
  throwsAs(() => jnp.average(x, null, jnp.ones([4])), ShapeError, /average: weights of shape \[4\]/);
  throwsAs(() => jnp.cumulativeSum(x), ValueError, /cumulativeSum: an input of rank 2 needs an explicit axis/);
  throwsAs(() => jnp.vecdot(x, jnp.ones([3])), ShapeError, /vecdot: axis -1 has sizes 4 and 3/);
  throwsAs(() => jnp.nanmax(x, { keepDims: true } as never), ValueError, /nanmax: unknown option keepDims/);
  throwsAs(() => jnp.iscomplexobj({ dtype: "complex64" }), DTypeError, /no complex dtypes/);
  throwsAs(() => jnp.polyder([1, 2], -1), ValueError, /polyder: the order m/);
  throwsAs(() => jit((v: JArray) => jnp.bincount(v))(jnp.array([1, 2])), ConcretizationTypeError, /length/);
  throwsAs(() => jnp.bincount([0.5, 1]), DTypeError, /bincount: x must have an integer type/);
  throwsAs(() => jnp.digitize([1], [[1, 2]]), ShapeError, /digitize: bins must be 1-D/);
  throwsAs(() => jnp.histogram([1, 2], 0), ValueError, /histogram\w*: bins must be a positive integer/);
  throwsAs(() => jnp.histogram([1, 2], 3, [0, 1, 2]), ValueError, /histogram\w*: range must be null or \[min, max\]/);
});

test("eager calls free their temporaries (tidy keeps only the results)", () => {
  const x = jnp.array([[1, 5, 2, NaN], [4, 3, 9, 1]]);
  const fs = [() => jnp.gcd(jnp.array([12, 18]), 8), () => jnp.nanmedian(x, 1), () => jnp.i0(x), () => jnp.interp(x, jnp.array([0, 2, 4]), jnp.array([1, 0, 1])),
    () => jnp.frexp(x)[0], () => jnp.histogram(x.get(1))[0], () => jnp.cov(x), () => jnp.nextafter(x, 0)];
  for (const f of fs) {
    tidy(f);
    const before = memoryStats().liveArrays;
    const outs = [tidy(f), tidy(f)];
    assert.is(memoryStats().liveArrays, before + 2, String(f));
    outs.forEach((o) => o.dispose());
  }
});

test.run();
