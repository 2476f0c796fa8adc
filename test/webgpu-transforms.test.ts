// The generic suites on WebGPU, each case against the same computation on Wasm (float32 inputs):
// values, gradients, vmap and jit over the shared catalog (test/ops.ts), then primitive families
// the catalog and goldens touch lightly (sort, scatter modes, gather modes, arg-reductions, scans,
// integer and bit ops, long reductions, tiled matmul edges), and the coverage of every primitive.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { grad, jit, jnp, lax, vmap, Array as JArray } from "../src/index.js";
import { allPrimitives } from "../src/primitives/index.js";
import { lowerings } from "../src/webgpu/lowerings.js";
import { HOST_ONLY } from "../src/webgpu/backend.js";
import { sort } from "../src/primitives/sort.js";
import { cumulative, cummaxP, cumminP } from "../src/primitives/reduce.js";
import { bitcastConvertType } from "../src/primitives/prng.js";
import { cases } from "./ops.js";
import { randArray } from "./helpers.js";
import { all, CLOSE, EXACT, sameOnBoth, suite, Tol } from "./webgpu-setup.js";

const f32Inputs = (c: { inputs: () => JArray[] }) => () => c.inputs().map((x) => (x.dtype === "float64" ? x.astype("float32") : x));
const GRAD: Tol = { rtol: 1e-4, atol: 1e-4 };

suite("webgpu-transforms", () => {
  test("webgpu catalog: values", async () => {
    await all(cases, (c) => sameOnBoth(c.f, f32Inputs(c), CLOSE));
  });

  test("webgpu catalog: gradients", async () => {
    await all(cases, (c) => sameOnBoth(grad((...z: JArray[]) => jnp.sum(c.f(...z))), f32Inputs(c), GRAD));
  });

  test("webgpu catalog: vmap", async () => {
    await all(cases, (c) => sameOnBoth(vmap(c.f), () => f32Inputs(c)().map((x) => jnp.stack([x, jnp.multiply(x, 1.1)])), CLOSE));
  });

  test("webgpu catalog: jit (fused kernels)", async () => {
    // A fresh jit per device: jit's cache is keyed by shapes and dtypes, not by device.
    await all(cases, (c) => sameOnBoth((...xs) => jit(c.f)(...xs), f32Inputs(c), CLOSE));
  });

  const f32 = (shape: number[], lo = -1, hi = 1, seed = 1) => randArray(shape, lo, hi, "float32", seed);
  const ints = (shape: number[], lo: number, hi: number, seed = 3) => jnp.floor(f32(shape, lo, hi, seed)).astype("int32");
  const special = () => jnp.array([NaN, -0, 0, 1, -1, Infinity, -Infinity, 1e-40, 3, NaN, 2, -2, 3, 0.5], { dtype: "float32" });

  const families: { name: string; f: (...xs: JArray[]) => unknown; inputs: () => JArray[]; tol?: Tol }[] = [
    // sort: stability, NaN last, -0 == 0, several keys, a long lane (many bitonic passes), int keys
    { name: "sort specials", f: (x) => sort([x, jnp.arange(14)], 0, 1), inputs: () => [special()] },
    { name: "sort two keys", f: (a, b) => sort([a, b, jnp.arange(40)], 0, 2), inputs: () => [ints([40], 0, 3), ints([40], 0, 4, 9)] },
    { name: "sort long", f: (x) => sort([x]), inputs: () => [f32([5000], -1, 1, 4)] },
    { name: "sort axis 0 of 2-D ints, with values", f: (x) => sort([x, lax.iota("int32", [33, 5], 0)], 0), inputs: () => [ints([33, 5], -5, 5)] },
    // gather / scatter
    { name: "take clip and fill", f: (x, i) => [jnp.take(x, i, 0, { mode: "clip" }), jnp.take(x, i, 1, { mode: "fill" })], inputs: () => [f32([5, 5]), jnp.array([-2, 0, 4, 7, 2], { dtype: "int32" })] },
    { name: "scatter set with repeats", f: (x, i, u) => x.at(i).set(u), inputs: () => [f32([6, 3]), jnp.array([1, 4, 1, 9, -1, 1], { dtype: "int32" }), f32([6, 3], -5, 5, 2)] },
    { name: "scatter add/mul/min/max", f: (x, i, u) => [x.at(i).add(u), x.at(i).multiply(u), x.at(i).min(u), x.at(i).max(u)], inputs: () => [f32([8]), jnp.array([0, 0, 3, 7, 3], { dtype: "int32" }), f32([5], -2, 2, 5)] },
    { name: "scatter add ints", f: (x, i, u) => x.at(i).add(u), inputs: () => [ints([10], -5, 5), jnp.array([2, 2, 2, 9], { dtype: "int32" }), ints([4], 0, 100, 7)] },
    // reductions, arg-reductions, scans
    { name: "sum of 200k (tree, two passes)", f: (x) => [jnp.sum(x), jnp.max(x), jnp.argmin(x)], inputs: () => [f32([200000], -1, 1, 11)], tol: { rtol: 1e-5, atol: 1e-3 } },
    { name: "sum over non-adjacent axes", f: (x) => [jnp.sum(x, { axis: [0, 2] }), jnp.prod(x, { axis: [0, 2] })], inputs: () => [f32([3, 4, 5], 0.5, 1.5)], tol: CLOSE },
    { name: "rows of 1000 (tree)", f: (x) => [jnp.mean(x, { axis: 1 }), jnp.min(x, { axis: 1 }), jnp.argmax(x, { axis: 1 })], inputs: () => [f32([6, 1000])], tol: CLOSE },
    { name: "argmax/argmin with NaN and ties", f: (x) => [jnp.argmax(x), jnp.argmin(x), jnp.argmax(x.get("3:")), jnp.argmin(x.get("3:9"))], inputs: () => [special()] },
    { name: "all/any", f: (x) => [jnp.all(jnp.greater(x, 0), { axis: 1 }), jnp.any(jnp.greater(x, 0.9), { axis: 0 })], inputs: () => [f32([4, 6])] },
    { name: "cumsum/cumprod/cummax/cummin", f: (x) => [jnp.cumsum(x, { axis: 0 }), jnp.cumprod(x, { axis: 1 }), cumulative(cummaxP, x, 1), cumulative(cumminP, x, 0, true)], inputs: () => [f32([5, 7], 0.5, 1.5)], tol: CLOSE },
    { name: "long scans (blocked), float", f: (x) => [jnp.cumsum(x, { axis: 1 }), cumulative(cumminP, x, 1, true)], inputs: () => [f32([2, 20000], -1, 1, 6)], tol: { rtol: 1e-4, atol: 1e-3 } },
    { name: "long scans (blocked), int", f: (x) => [jnp.cumsum(x), cumulative(cummaxP, x, 0, true)], inputs: () => [ints([9000], -1000, 1000)] },
    { name: "cumsum ints and bools", f: (x) => [jnp.cumsum(x), jnp.cumsum(jnp.greater(x, 0))], inputs: () => [ints([50], -9, 9)] },
    // integer and bit ops
    { name: "int division and remainder", f: (a, b) => [lax.div(a, b), lax.rem(a, b), jnp.floorDivide(a, b), jnp.mod(a, b)], inputs: () => [jnp.array([7, -7, 7, -7, 5, -2147483648, 0], { dtype: "int32" }), jnp.array([2, 2, -2, -2, 0, -1, 3], { dtype: "int32" })] },
    { name: "uint32 ops", f: (a, b) => [lax.div(a, b), lax.rem(a, b), jnp.power(a, jnp.array(3, { dtype: "uint32" })), lax.shiftRight(a, b), lax.shiftLeft(a, b)], inputs: () => [jnp.array([4294967295, 7, 100, 1], { dtype: "uint32" }), jnp.array([2, 0, 33, 31], { dtype: "uint32" })] },
    { name: "shifts and bitwise", f: (a, b) => [lax.shiftLeft(a, b), lax.shiftRight(a, b), jnp.bitwiseAnd(a, b), jnp.bitwiseXor(a, b), jnp.bitwiseNot(a)], inputs: () => [jnp.array([-8, 8, 1, -1, 123], { dtype: "int32" }), jnp.array([1, 35, 31, -1, 3], { dtype: "int32" })] },
    { name: "integer_pow and pow ints", f: (a) => [lax.integerPow(a, 3), lax.integerPow(a.astype("float32"), -2), jnp.power(a, 2)], inputs: () => [ints([20], -6, 6)] },
    { name: "conversions", f: (x) => [x.astype("int32"), x.astype("uint32"), x.astype("bool"), x.astype("bool").astype("float32"), bitcastConvertType(x, "uint32")], inputs: () => [jnp.array([NaN, 3.9, -3.9, 1e10, -1e10, 0, -0, 4294967296, 0.5], { dtype: "float32" })] },
    { name: "rounding on the bits", f: (x) => [jnp.floor(x), jnp.ceil(x), jnp.round(x), jnp.trunc(x), jnp.sign(x)], inputs: () => [jnp.array([-0.5, 0.5, 1.5, 2.5, -2.5, -0.4, 1e-40, -1e-40, 8388609, -0, 0.49999997], { dtype: "float32" })] },
    // tiled matmul: edges that are not multiples of the 64x64 tile, batches, transposed operands
    { name: "matmul 130x70 @ 70x90", f: (a, b) => jnp.matmul(a, b), inputs: () => [f32([130, 70]), f32([70, 90], -1, 1, 2)], tol: { rtol: 1e-4, atol: 1e-4 } },
    { name: "matmul 300x40 @ 40x260 (128x128 tiles), transposed lhs", f: (a, b) => [jnp.matmul(a, b), jnp.matmul(jnp.transpose(jnp.matmul(a, b)), a)], inputs: () => [f32([300, 40]), f32([40, 260], -1, 1, 2)], tol: { rtol: 1e-4, atol: 1e-3 } },
    { name: "batched matmul with a transposed operand", f: (a, b) => jnp.matmul(a, jnp.swapaxes(b, 1, 2)), inputs: () => [f32([3, 17, 9]), f32([3, 21, 9], -1, 1, 2)], tol: { rtol: 1e-4, atol: 1e-4 } },
    { name: "einsum with merged and copied axes", f: (a, b) => jnp.einsum("abcd,cbe->ade", a, b), inputs: () => [f32([2, 3, 4, 5]), f32([4, 3, 6], -1, 1, 2)], tol: { rtol: 1e-4, atol: 1e-4 } },
    { name: "int matmul", f: (a, b) => jnp.matmul(a, b), inputs: () => [ints([5, 6], -9, 9), ints([6, 4], -9, 9, 5)] },
    // movement
    { name: "pad with interior and negative edges", f: (x) => lax.pad(x, jnp.array(-1, { dtype: "float32" }), [[1, -1, 2], [-2, 3, 0]]), inputs: () => [f32([4, 5])] },
    { name: "rev, strided slice, concatenate, iota", f: (x) => [lax.rev(x, [0, 1]), lax.slice(x, [1, 0], [4, 5], [2, 3]), jnp.concatenate([x, x, x], 1), lax.iota("int32", [3, 4], 1)], inputs: () => [f32([4, 5])] },
    { name: "bool arrays", f: (x) => { const b = jnp.greater(x, 0); return [b, jnp.logicalNot(b), jnp.where(b, x, 0), jnp.concatenate([b, b]), b.get("::-1"), jnp.sum(b)]; }, inputs: () => [f32([9])] },
    // stacks of small matrices
    { name: "solve, det, cholesky stacks", f: (a, b) => { const s = jnp.add(jnp.matmul(a, jnp.swapaxes(a, 1, 2)), jnp.multiply(jnp.eye(4), 4)); return [jnp.linalg.solve(s, b), jnp.linalg.det(s), jnp.linalg.cholesky(s)]; }, inputs: () => [f32([5, 4, 4]), f32([5, 4, 2], -1, 1, 2)], tol: { rtol: 1e-4, atol: 1e-4 } },
    // qr, eigh, svd: products that do not depend on the vectors' signs
    { name: "qr complete, svd full (tall, wide)", f: (a, b) => [a, b].flatMap((x) => { const [q, r] = jnp.linalg.qr(x, "complete"), [u, s, vh] = jnp.linalg.svd(x); return [jnp.matmul(q, r), s, jnp.matmul(jnp.swapaxes(q, 1, 2), q), jnp.matmul(u, jnp.swapaxes(u, 1, 2)), jnp.matmul(jnp.swapaxes(vh, 1, 2), vh)]; }), inputs: () => [f32([2, 5, 3]), f32([2, 3, 5], -1, 1, 2)], tol: { rtol: 1e-4, atol: 1e-4 } },
    { name: "qr, eigh, svd stacks (host)", f: (a) => { const [q, r] = jnp.linalg.qr(a), [w, v] = jnp.linalg.eigh(a), [u, s, vh] = jnp.linalg.svd(a, false); return [jnp.matmul(q, r), w, jnp.matmul(jnp.multiply(v, jnp.expandDims(w, -2)), jnp.swapaxes(v, 1, 2)), s, jnp.matmul(jnp.multiply(u, jnp.expandDims(s, -2)), vh)]; }, inputs: () => [f32([3, 4, 4])], tol: { rtol: 1e-4, atol: 1e-4 } },
  ];

  test("webgpu primitive families", async () => {
    await all(families, (c) => sameOnBoth(c.f, c.inputs, c.tol ?? EXACT));
  });

  test("webgpu: every primitive has a shader or is a documented host fallback", () => {
    const aliasing = ["reshape", "stop_gradient"];
    const missing = allPrimitives()
      .filter((p) => !p.rules.impl && !p.rules.inline && !aliasing.includes(p.name))
      .filter((p) => !(p.name in lowerings) && !HOST_ONLY.includes(p.name))
      .map((p) => p.name);
    assert.equal(missing, [], `primitives without a WebGPU lowering: ${missing.join(", ")}`);
  });
});

test.run();
