// The new lax functions on WebGPU (erfInv is the PRNG's primitive, covered by the random suites) against the same computation on Wasm (float32): special
// functions, dynamic slicing with traced starts (eager, jit, vmap, grad), cumulative reductions.
import { test } from "uvu";
import { grad, jit, jnp, lax, vmap, Array as JArray } from "../src/index.js";
import { randArray } from "./helpers.js";
import { all, CLOSE, EXACT, sameOnBoth, suite } from "./webgpu-setup.js";

suite("webgpu-lax", () => {
  const grid = () => [jnp.concatenate([jnp.linspace(-7.9, 12, 157), jnp.array([0.5, 1, 2, 1.4616321, 30, 1e4])]).astype("float32")];
  const x34 = () => [randArray([3, 4, 5], -2, 2, "float32", 1), jnp.array(2), jnp.array(-1)];
  const cases = [
    { name: "lgamma", f: (x: JArray) => lax.lgamma(x), inputs: grid },
    { name: "digamma", f: (x: JArray) => lax.digamma(x), inputs: grid },
    { name: "erfc", f: (x: JArray) => lax.erfc(x), inputs: grid },
    { name: "lgamma'", f: vmap(grad((x: JArray) => lax.lgamma(x))), inputs: grid },
    { name: "digamma'", f: vmap(grad((x: JArray) => lax.digamma(x))), inputs: grid },
    { name: "cumlogsumexp", f: (x: JArray) => lax.cumlogsumexp(x, 1, true), inputs: x34 },
    { name: "cummax grad", f: grad((x: JArray) => jnp.sum(jnp.sin(lax.cummax(x, 2)))), inputs: x34 },
    { name: "cumprod grad", f: grad((x: JArray) => jnp.sum(lax.cumprod(x, 0))), inputs: x34 },
  ];
  test("webgpu lax: special functions, their grads, cumulative reductions", async () => {
    await all(cases, (c) => sameOnBoth(c.f, c.inputs, { rtol: 2e-5, atol: 2e-6 }));
  });
  const slicing = [
    { name: "dynamicSlice eager", f: (x: JArray, i: JArray, j: JArray) => lax.dynamicSlice(x, [i, j, 1], [2, 3, 2]) },
    { name: "dynamicSlice jit", f: jit((x: JArray, i: JArray, j: JArray) => lax.dynamicSlice(x, [i, j, 1], [2, 3, 2])) },
    { name: "dynamicUpdateSlice jit", f: jit((x: JArray, i: JArray, j: JArray) => lax.dynamicUpdateSlice(x, jnp.ones([2, 2, 5]), [j, i, 0])) },
    { name: "vmap dynamicSliceInDim", f: (x: JArray, i: JArray) => vmap((s: JArray) => lax.dynamicSliceInDim(x, s, 2, 1))(jnp.stack([i, i.add(1), i.sub(5)])) },
  ];
  test("webgpu lax: dynamic slicing with traced starts", async () => {
    await all(slicing, (c) => sameOnBoth(c.f as (...x: JArray[]) => JArray, x34, EXACT));
    await all([{ name: "grad dynamicSlice" }], () => sameOnBoth(grad((x: JArray, i: JArray) => jnp.sum(jnp.square(lax.dynamicSlice(x, [i, i, i], [2, 2, 2])))),
      () => x34().slice(0, 2), CLOSE));
  });
});

test.run();
