// lax.switch clamps its index with a `clamp` equation before the `cond`, as JAX does, so every
// transformation of the cond sees an index in range: out of range selects the nearest branch.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { jnp, lax, jit, grad, jvp, vmap, makeJaxpr, ShapeError, DTypeError, Array as JArray } from "../src/index.js";
import { ShapedArray } from "../src/core/aval.js";
import { DType, TypedArray, typedArrayFor } from "../src/core/dtype.js";
import { HostArray } from "../src/core/primitive.js";
import { clampP } from "../src/primitives/arith.js";
import { rng, toNumbers } from "./helpers.js";

const branches = [(v: JArray) => jnp.multiply(v, 3), (v: JArray) => jnp.sin(v), (v: JArray) => jnp.add(v, 1)];
/** JAX's semantics written out: index below 0 runs branch 0, above the last runs the last. */
const byHand = (k: number, v: number) => [v * 3, Math.sin(v), v + 1][Math.min(Math.max(k, 0), 2)];
const INDICES = [-7, -1, 0, 1, 2, 3, 100];
const XS = [0.5, -1.25, 2, 0.75, -3, 1.5, 4];
const f64 = (xs: number[]) => jnp.array(xs, { dtype: "float64" });
const i32 = (xs: number[] | number) => jnp.array(xs, { dtype: "int32" });
const close = (got: number[], want: number[], what: string) =>
  got.forEach((g, j) => assert.ok(Math.abs(g - want[j]) <= 1e-12 * Math.max(1, Math.abs(want[j])), `${what}[${j}]: ${g} vs ${want[j]}`));

test("vmap(switch) with batched out-of-range indices clamps like JAX and equals a loop", () => {
  const sw = (i: JArray, v: JArray) => lax.switch(i, branches, v) as JArray;
  const want = INDICES.map((k, j) => byHand(k, XS[j]));
  const loop = INDICES.map((k, j) => (sw(i32(k), f64([XS[j]]).get(0)) as JArray).item() as number);
  close(loop, want, "eager loop");
  close(toNumbers(vmap(sw)(i32(INDICES), f64(XS))), want, "vmap");
  close(toNumbers(jit(vmap(sw))(i32(INDICES), f64(XS))), want, "jit(vmap)");
  // Only the index batched: the operand is shared.
  const shared = toNumbers(vmap(sw, { inAxes: [0, null] })(i32(INDICES), f64([1.5])));
  close(shared, INDICES.map((k) => byHand(k, 1.5)), "vmap over the index only");
});

test("jit(switch) equals eager for indices below, inside and above the branch range", () => {
  const sw = (i: JArray, v: JArray) => lax.switch(i, branches, v) as JArray;
  const js = jit(sw);
  for (const k of INDICES) {
    const eager = toNumbers(sw(i32(k), f64(XS)));
    close(eager, XS.map((v) => byHand(k, v)), `eager index ${k}`);
    close(toNumbers(js(i32(k), f64(XS))), eager, `jit index ${k}`);
  }
});

test("grad through switch with an out-of-range index differentiates the clamped branch", () => {
  const dBranch = (k: number, v: number) => [3, Math.cos(v), 1][Math.min(Math.max(k, 0), 2)];
  const loss = (i: JArray, v: JArray) => jnp.sum(lax.switch(i, branches, v) as JArray);
  const g = grad(loss, { argnums: 1 });
  for (const k of [-4, 5]) {
    const want = XS.map((v) => dBranch(k, v));
    close(toNumbers(g(i32(k), f64(XS)) as JArray), want, `grad index ${k}`);
    close(toNumbers(jit(g)(i32(k), f64(XS)) as JArray), want, `jit(grad) index ${k}`);
  }
  // Per-example gradients with per-example indices (the cond's JVP under a batched index).
  const per = vmap((i: JArray, v: JArray) => g(i, v) as JArray)(i32(INDICES), f64(XS));
  close(toNumbers(per), INDICES.map((k, j) => dBranch(k, XS[j])), "vmap(grad)");
});

test("makeJaxpr(switch) shows JAX's clamp of the index before the cond; lax.cond has none", () => {
  const s = String(makeJaxpr((i: JArray, v: JArray) => lax.switch(i, branches, v))(i32(1), f64([1, 2])));
  const m = /(\w+):i32\[\] = clamp 0:i32\[\] a 2:i32\[\]\n\s+\w+:f64\[2\] = cond\[\s*branches=\(.*\)\s*\] (\w+) b\n/s.exec(s);
  assert.ok(m && m[1] === m[2], s);
  const c = String(makeJaxpr((p: JArray, v: JArray) => lax.cond(p, jnp.sin, jnp.cos, v))(jnp.array(true), f64([1, 2])));
  assert.not.match(c, /clamp/);
  assert.match(c, /convert_element_type\[new_dtype=int32\] a\n\s+\w+:f64\[2\] = cond\[/);
});

test("switch with one branch calls it; a non-integer or non-scalar index is a typed error", () => {
  assert.equal(toNumbers(lax.switch(9, [(v: JArray) => jnp.multiply(v, 2)], f64([1, 2])) as JArray), [2, 4]);
  assert.throws(() => lax.switch(jnp.array(1.5), branches, f64([1])), /switch: the index must be an integer, got float32/);
  assert.throws(() => lax.switch(i32([0, 1]), branches, f64([1])), /switch: the index must be a scalar/);
});

// ---- the clamp primitive itself

function runReference(ins: JArray[]): TypedArray {
  const [a] = clampP.rules.abstractEval(ins.map((x) => x.aval), {}) as ShapedArray[];
  const host = (x: JArray): HostArray => ({ data: x.dataSync() as TypedArray, aval: x.aval });
  const out = { data: new (typedArrayFor(a.dtype))(a.size) as TypedArray, aval: a };
  clampP.rules.reference(ins.map(host), [out], {});
  return out.data;
}
/** numpy's clip, min(max(x, lo), hi), NaN from any operand propagating, as XLA's clamp does. */
const npClip = (lo: number, x: number, hi: number) => (lo !== lo || x !== x || hi !== hi ? NaN : Math.min(Math.max(x, lo), hi));
const sameBits = (got: ArrayLike<number>, want: ArrayLike<number>, what: string) => {
  for (let i = 0; i < want.length; i++) {
    if (!(Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i])))) assert.unreachable(`${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
};

test("lax.clamp: kernels equal the reference and numpy's clip for every dtype, lengths 0..1023, NaN", () => {
  const r = rng(5);
  for (const dtype of ["float32", "float64", "int32", "uint32"] as DType[]) {
    const isF = dtype.startsWith("float");
    const draw = () => (isF ? (r() - 0.5) * 8 : dtype === "uint32" ? Math.floor(r() * 9) : Math.floor((r() - 0.5) * 9));
    for (const n of [0, 1, 3, 4, 5, 17, 1023]) {
      const xs = Array.from({ length: n }, draw);
      if (isF && n > 4) xs[2] = NaN;
      const los = xs.map(() => (isF ? -1.5 : dtype === "uint32" ? 2 : -2)), his = xs.map(draw).map((v, i) => Math.max(v, los[i]));
      if (isF && n > 4) his[4] = NaN;
      const x = jnp.array(xs, { dtype });
      for (const [lo, hi, tag] of [[jnp.array(los[0] ?? 0, { dtype }), jnp.array(isF ? 2.25 : 6, { dtype }), "scalar"], [jnp.array(los, { dtype }), jnp.array(his, { dtype }), "array"]] as const) {
        const got = Array.from(lax.clamp(lo, x, hi).dataSync() as ArrayLike<number>);
        const want = xs.map((v, i) => npClip(lo.ndim ? los[i] : toNumbers(lo)[0], v, hi.ndim ? his[i] : toNumbers(hi)[0]));
        const wantT = Array.from(new (typedArrayFor(dtype))(want as any) as ArrayLike<number>);
        sameBits(got, wantT, `clamp ${dtype} ${tag} n=${n}`);
        sameBits(runReference([lo, x, hi]), wantT, `reference ${dtype} ${tag} n=${n}`);
      }
    }
  }
  // JS-number bounds take the operand's dtype, as JAX's weakly typed scalars do.
  assert.equal(lax.clamp(0, jnp.array([-1, 0.5, 3], { dtype: "float32" }), 1).dtype, "float32");
});

test("lax.clamp JVP follows JAX: x's tangent strictly inside the bounds, each bound's where it is taken", () => {
  const x = f64([-2, -1, 0, 1, 2]), lo = jnp.array(-1, { dtype: "float64" }), hi = jnp.array(1, { dtype: "float64" });
  const [, tx] = jvp((v: JArray) => lax.clamp(lo, v, hi), [x], [jnp.onesLike(x)]) as JArray[];
  assert.equal(toNumbers(tx), [0, 0, 1, 0, 0]);
  const [gl, gx, gh] = grad((l: JArray, v: JArray, h: JArray) => jnp.sum(lax.clamp(l, v, h)), { argnums: [0, 1, 2] })(lo, x, hi) as JArray[];
  assert.equal([toNumbers(gl), toNumbers(gx), toNumbers(gh)], [[1], [0, 0, 1, 0, 0], [1]]);
  // An integer clamp has no derivative: its tangent is zero, as for max and min.
  const [, ti] = jvp((v: JArray) => jnp.add(lax.clamp(0, jnp.array([5, -5]), 3).astype("float64"), v), [f64([1, 2])], [f64([1, 1])]) as JArray[];
  assert.equal(toNumbers(ti), [1, 1]);
});

test("lax.clamp under vmap: batched scalar bounds, unbatched operand, and a loop agree", () => {
  const los = f64([-1, 0, 0.5]), his = f64([1, 0.25, 2]), x = f64([-3, 0.4, 1.5, 0.1]);
  const got = vmap((l: JArray, h: JArray) => lax.clamp(l, x, h))(los, his);
  const want = [0, 1, 2].map((b) => toNumbers(lax.clamp(los.get(b), x, his.get(b))));
  assert.equal(toNumbers(got), want.flat());
  const xs = jnp.stack([x, jnp.negative(x)]);
  assert.equal(toNumbers(vmap((v: JArray) => lax.clamp(-0.5, v, 0.5), { inAxes: 0 })(xs)), toNumbers(lax.clamp(-0.5, xs, 0.5)));
  assert.equal(toNumbers(vmap((v: JArray) => lax.clamp(-0.5, v, 0.5), { inAxes: 1 })(xs)), toNumbers(jnp.transpose(lax.clamp(-0.5, xs, 0.5))));
});

test("lax.clamp: bounds of another shape or dtype are typed errors", () => {
  assert.throws(() => lax.clamp(jnp.zeros([2]), jnp.zeros([3]), 1),
    (e: unknown) => e instanceof ShapeError && /clamp requires min.shape == operand.shape or min.shape == \(\), got min.shape=\(2,\)/.test(String(e)));
  assert.throws(() => lax.clamp(0, jnp.zeros([3]), jnp.zeros([2, 3])), (e: unknown) => e instanceof ShapeError && /max.shape/.test(String(e)));
  assert.throws(() => lax.clamp(jnp.array(0), jnp.zeros([3]), 1), (e: unknown) => e instanceof DTypeError && /clamp requires operands of the same dtype/.test(String(e)));
});

test.run();
