// lax.switch clamps its index with a `clamp` equation before the `cond`, as JAX does, so every
// transformation of the cond sees an index in range: out of range selects the nearest branch.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { jnp, lax, jit, grad, vmap, makeJaxpr, Array as JArray } from "../src/index.js";
import { toNumbers } from "./helpers.js";

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
  const m = /(\w+):i32\[\] = clamp 0:i32\[\] a 2:i32\[\]\n\s+\w+:f64\[2\] = cond\[branches=\(.*\)\] (\w+) b\n/s.exec(s);
  assert.ok(m && m[1] === m[2], s);
  const c = String(makeJaxpr((p: JArray, v: JArray) => lax.cond(p, jnp.sin, jnp.cos, v))(jnp.array(true), f64([1, 2])));
  assert.not.match(c, /clamp/);
  assert.match(c, /convert_element_type\[new_dtype=int32 weak_type=False\] a\n\s+\w+:f64\[2\] = cond\[/);
});

test("switch with one branch calls it; a non-integer or non-scalar index is a typed error", () => {
  assert.equal(toNumbers(lax.switch(9, [(v: JArray) => jnp.multiply(v, 2)], f64([1, 2])) as JArray), [2, 4]);
  assert.throws(() => lax.switch(jnp.array(1.5), branches, f64([1])), /switch: the index must be an integer, got float32/);
  assert.throws(() => lax.switch(i32([0, 1]), branches, f64([1])), /switch: the index must be a scalar/);
});

test.run();
