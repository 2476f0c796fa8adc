import { test } from "uvu";
import * as assert from "uvu/assert";
import { jnp } from "../src/index.js";

const f32 = (v: number[], shape = [v.length]) => jnp.array(new Float32Array(v), { shape });

test("numpy str formatting", () => {
  assert.equal(String(f32([1, 2, 3, 4], [2, 2])), "[[1. 2.]\n [3. 4.]]");
  assert.equal(String(f32([0.1, 0.25])), "[0.1  0.25]");
  assert.equal(String(f32([1.5, -0, 2, NaN, -Infinity])), "[ 1.5 -0.   2.   nan -inf]");
  assert.equal(String(jnp.array([[1, -20], [3, 4]])), "[[  1 -20]\n [  3   4]]");
  assert.equal(String(jnp.array([true, false])), "[ True False]");
  assert.equal(String(f32([1e-5, 1])), "[1.e-05 1.e+00]");
  assert.equal(String(jnp.ones([2, 1, 2])), "[[[1. 1.]]\n\n [[1. 1.]]]");
  assert.equal(String(jnp.arange(2000)), "[   0    1    2 ... 1997 1998 1999]");
  assert.equal(String(jnp.zeros([0])), "[]");
});

test("scalars print as Python would", () => {
  assert.equal(String(f32([1], [])), "1.0");
  assert.equal(String(f32([0.1], [])), "0.1");
  assert.equal(String(jnp.array(3)), "3");
  assert.equal(String(jnp.array(true)), "True");
});

test("repr is JAX's Array(...) form", () => {
  assert.equal((f32([1, 2]) as any).repr(), "Array([1., 2.], dtype=float32)");
  assert.equal((jnp.array([[1, 2], [3, 4]]) as any).repr(), "Array([[1, 2],\n       [3, 4]], dtype=int32)");
});

test("toArray, dataSync, item, iteration", async () => {
  const x = jnp.array([[1, 2], [3, 4]]);
  assert.equal(x.toArray(), [[1, 2], [3, 4]]);
  assert.equal(await x.toArrayAsync(), [[1, 2], [3, 4]]);
  assert.ok(x.dataSync() instanceof Int32Array);
  assert.equal(Array.from(await x.data()), [1, 2, 3, 4]);
  assert.equal(jnp.array([true]).toArray(), [true]);
  const [a, b] = x;
  assert.equal(a.toArray(), [1, 2]);
  assert.equal(b.toArray(), [3, 4]);
});

test.run();
