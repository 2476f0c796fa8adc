import { test } from "uvu";
import * as assert from "uvu/assert";
import { jnp, grad, customJvp, ShapeError, DTypeError, IndexError, ValueError, TinyJaxError, Array as JArray } from "../src/index.js";

const x = jnp.array([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
const before = Array.from(x.dataSync());

function throwsTyped(f: () => unknown, cls: Function, ...patterns: RegExp[]) {
  let err: unknown;
  try { f(); } catch (e) { err = e; }
  assert.ok(err instanceof cls, `expected ${cls.name}, got ${err}`);
  assert.ok(err instanceof TinyJaxError);
  for (const p of patterns) assert.match((err as Error).message, p);
}

test("broadcasting mismatch names the op and shapes", () => {
  throwsTyped(() => jnp.add(jnp.ones([3]), jnp.ones([4])), ShapeError, /^add: incompatible shapes for broadcasting: \(3,\) and \(4,\)/);
  throwsTyped(() => x.mul(jnp.ones([4])), ShapeError, /multiply/, /\(2,3\)/);
});

test("matmul contraction mismatch", () => {
  throwsTyped(() => jnp.matmul(x, x), ShapeError, /matmul: contraction dimension mismatch/, /\(2,3\) @ \(2,3\)/, /transpose/);
});

test("bad axis, reshape size, squeeze", () => {
  throwsTyped(() => jnp.sum(x, { axis: 2 }), ShapeError, /sum: axis 2 is out of bounds for an array of rank 2/);
  throwsTyped(() => x.reshape([4, 2]), ShapeError, /reshape: cannot reshape an array of shape \(2,3\) \(size 6\) into shape \(4,2\)/);
  throwsTyped(() => x.reshape([-1, 4]), ShapeError, /not divisible/);
  throwsTyped(() => jnp.squeeze(x, 0), ShapeError, /squeeze/);
  throwsTyped(() => jnp.concatenate([x, jnp.ones([3, 3])], 1), ShapeError, /concatenate/);
});

test("out-of-range and malformed indices", () => {
  // An integer out of range is no error in JAX: reads clamp it, updates drop it.
  assert.equal(x.get(2).toArray(), x.get(1).toArray());
  assert.equal(x.get(0, -4).item(), x.get(0, 0).item());
  assert.equal(x.at(5).set(7).toArray(), x.toArray());
  throwsTyped(() => x.get(0, 0, 0), IndexError, /too many indices/);
  throwsTyped(() => x.get("1:2:0"), IndexError, /step cannot be zero/);
  throwsTyped(() => x.get("a:b"), IndexError, /invalid slice/);
});

test("unknown dtypes and dtype errors", () => {
  throwsTyped(() => jnp.zeros([2], { dtype: "float8" as any }), DTypeError, /full: unknown dtype "float8"/);
  throwsTyped(() => x.astype("complex64" as any), DTypeError, /unknown dtype|convert/);
  throwsTyped(() => jnp.bitwiseAnd(x, x), DTypeError, /and does not accept dtype float32/);
  throwsTyped(() => jnp.array([[1, 2], [3]]), ShapeError, /ragged/);
  throwsTyped(() => jnp.array({} as any), ValueError, /cannot convert/);
});

test("item of a non-scalar", () => {
  throwsTyped(() => x.item(), ValueError, /item: can only convert an array of size 1/);
});

test("a customJvp rule nonlinear in its tangents: reverse mode says so (was a bare 'got object')", () => {
  const f = customJvp((a: JArray) => jnp.sin(a));
  f.defjvp(([a]: JArray[], [t]: JArray[]) => [jnp.sin(a), jnp.multiply(t, t)]);
  throwsTyped(() => grad(f)(jnp.array(1, { dtype: "float32" })), ValueError, /mul: reverse mode met a product/, /linear in the tangent inputs/);
  const g = customJvp((a: JArray) => jnp.sum(a));
  g.defjvp(([a]: JArray[], [t]: JArray[]) => [jnp.sum(a), jnp.dot(t, t)]);
  throwsTyped(() => grad(g)(jnp.ones([3])), ValueError, /dot_general: reverse mode/);
});

test("inputs are left intact after errors", () => {
  assert.equal(Array.from(x.dataSync()), before);
  assert.equal(x.shape, [2, 3]);
});

test.run();
