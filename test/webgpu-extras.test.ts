// The shape/index/set extras on WebGPU against the same calls on Wasm (whose values the numpy
// goldens in jnp-extras-shape.test.ts pin). Only the static-size forms: WebGPU reads back
// asynchronously, so data-dependent lengths there need `size`, as under jit.
import { test } from "uvu";
import { jnp, jit, Array as JArray } from "../src/index.js";
import { all, CLOSE, EXACT, sameOnBoth, suite, Tol } from "./webgpu-setup.js";

const A = (v: any, dtype?: "float32" | "int32" | "bool") => jnp.array(v, dtype ? { dtype } : undefined);
type Item = { name: string; f: (...xs: JArray[]) => unknown; inputs: () => JArray[]; tol?: Tol };
const f32 = () => [A([3, NaN, 1, 2, 1, 7, 3, -1], "float32")];
const i32 = () => [A([5, 2, 2, 7, 0, 2, 9, 5])];
const m34 = () => [jnp.arange(12).reshape([3, 4])];
const pair = () => [A([1, 2, 3, 2, 4, 1]), A([3, 4, 5, 6, 1])];

const items: Item[] = [
  { name: "roll static", f: (x) => jnp.roll(x, [1, -2], [0, 1]), inputs: m34 },
  { name: "roll traced", f: (x, s) => jit((a: JArray, t: JArray) => jnp.roll(a, t, 1))(x, s), inputs: () => [...m34(), A(3)] },
  { name: "rot90", f: (x) => jnp.rot90(x, 3), inputs: m34 },
  { name: "meshgrid", f: (a, b) => jnp.meshgrid(a, b, { indexing: "ij" }), inputs: () => [A([1, 2, 3]), A([4.5, 5.5])] },
  { name: "kron", f: (a, b) => jnp.kron(a, b), inputs: () => [A([[1, 2], [3, 4]], "float32"), A([[0, 1.5], [1, 0]], "float32")] },
  { name: "insert", f: (x, v) => jnp.insert(x, [4, 2, 5], v), inputs: () => [jnp.arange(5), A([10, 11, 12])] },
  { name: "delete unique", f: (x, i) => jnp.delete(x, i, { axis: 1, assumeUniqueIndices: true }), inputs: () => [...m34(), A([3, 0])] },
  { name: "append+resize", f: (x) => [jnp.append(x, x, 0), jnp.resize(x, [5, 5])], inputs: m34 },
  { name: "choose clip", f: (i, c) => jnp.choose(i, c, { mode: "clip" }), inputs: () => [A([2, 0, 1, 4]), A([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])] },
  { name: "select+piecewise", f: (x) => [jnp.select([x.lt(2), x.gt(5)], [x, x.mul(x)], -1), jnp.piecewise(x, [x.lt(3)], [(v: JArray) => v.neg(), 7])], inputs: () => [jnp.arange(8)] },
  { name: "compress sized", f: (c, x) => jnp.compress(c, x, { axis: 1, size: 3, fillValue: -1 }), inputs: () => [A([true, false, true, true]), ...m34()] },
  { name: "place/put/fillDiagonal", f: (x) => [jnp.place(x, x.gt(6), [44, 55], { inplace: false }), jnp.put(x, [0, 13, -1], [7, 8, 9], "clip", { inplace: false }),
    jnp.fillDiagonal(x, [1, 2], { inplace: false })], inputs: m34 },
  { name: "ravel/unravel", f: (i) => [jnp.unravelIndex(i, [3, 4]), jnp.ravelMultiIndex([i, i], [20, 20], "clip")], inputs: () => [A([0, 5, 11, 13, -2])] },
  { name: "nonzero/argwhere sized", f: (x) => [jnp.nonzero(x.gt(3), { size: 10, fillValue: -1 }), jnp.argwhere(x.gt(8), { size: 5 })], inputs: m34 },
  { name: "unique sized", f: (x) => jnp.unique(x, { size: 8, returnIndex: true, returnInverse: true, returnCounts: true }), inputs: f32 },
  { name: "unique rows sized", f: (x) => jnp.unique(x, { axis: 0, size: 4, fillValue: 0, returnCounts: true }), inputs: () => [A([[1, 0], [0, 1], [1, 0], [2, 2]])] },
  { name: "isin/searchsorted/digitize", f: (x, b) => [jnp.isin(x, b), jnp.searchsorted(b, x, "right"), jnp.digitize(x, b, true)], inputs: () => [...f32(), A([-1, 1, 2.5, 3], "float32")] },
  { name: "bincount/histogram", f: (i, w) => [jnp.bincount(i, w, { length: 8 }), jnp.histogram(w, 4, [-1, 8], i)], inputs: () => [...i32(), A([0.5, 1, 2, 3, 7.5, 1, 2, 0], "float32")], tol: CLOSE },
  { name: "set ops sized", f: (a, b) => [jnp.setdiff1d(a, b, { size: 4 }), jnp.union1d(a, b, { size: 9 }), jnp.intersect1d(a, b, { size: 4, returnIndices: true }),
    jnp.setxor1d(a, b, { size: 5, fillValue: -7 })], inputs: pair },
  { name: "lexsort/partition", f: (a, b) => [jnp.lexsort([a, b]), jnp.partition(a, 2), jnp.argpartition(b, 3)], inputs: () => [A([9, 4, 0, 4, 0, 2, 1], "float32"), A([1, 5, 1, 4, 3, 4, 4], "float32")] },
  { name: "logspace/geomspace arrays", f: (a, b) => [jnp.logspace(a, b, { num: 5, base: 2 }), jnp.geomspace(a.add(1), b.add(1), 4)], inputs: () => [A([0, 5], "float32"), A([5, 0], "float32")], tol: CLOSE },
];

suite("webgpu-extras", () => {
  test("jnp extras (static sizes) give Wasm's results on WebGPU", async () => {
    await all(items, (it) => sameOnBoth(it.f, it.inputs, it.tol ?? EXACT));
  });
});

test.run();
