import { test } from "uvu";
import * as assert from "uvu/assert";
import { jnp, Array as JArray } from "../src/index.js";
import { randArray, toNumbers, maxRelErr } from "./helpers.js";

const spd = () => {
  const a = randArray([4, 4], -1, 1, "float64");
  return jnp.add(jnp.matmul(a, a.T), jnp.multiply(jnp.eye(4, 4, { dtype: "float64" }), 4));
};

test("solve, inv, det, cholesky satisfy their definitions", () => {
  const a = spd(), b = randArray([4], -1, 1, "float64", 2);
  const x = jnp.linalg.solve(a, b);
  assert.ok(maxRelErr(toNumbers(jnp.matmul(a, x)), toNumbers(b)) < 1e-12);
  const ai = jnp.linalg.inv(a);
  assert.ok(maxRelErr(toNumbers(jnp.matmul(ai, a)), toNumbers(jnp.eye(4, 4, { dtype: "float64" }))) < 1e-12);
  const l = jnp.linalg.cholesky(a);
  assert.ok(maxRelErr(toNumbers(jnp.matmul(l, l.T)), toNumbers(a)) < 1e-12);
  assert.equal(toNumbers(jnp.triu(l, 1)), new Array(16).fill(0));
  const diag = toNumbers(jnp.diagonal(l));
  const d = jnp.linalg.det(a).item() as number;
  assert.ok(Math.abs(d - diag.reduce((p, v) => p * v * v, 1)) < 1e-9 * Math.abs(d));
  const [sign, logdet] = jnp.linalg.slogdet(a);
  assert.equal(sign.item(), 1);
  assert.ok(Math.abs((logdet.item() as number) - Math.log(d)) < 1e-12);
  assert.equal(toNumbers(jnp.linalg.matrixPower(jnp.array([[1, 1], [0, 1]], { dtype: "float32" }), 5)), [1, 5, 0, 1]);
});

test("diag, trace, tril, triu follow numpy", () => {
  const m = jnp.arange(12).reshape([3, 4]);
  assert.equal(toNumbers(jnp.diagonal(m)), [0, 5, 10]);
  assert.equal(toNumbers(jnp.diagonal(m, 1)), [1, 6, 11]);
  assert.equal(toNumbers(jnp.diagonal(m, -1)), [4, 9]);
  assert.equal((jnp.trace(m) as JArray).item(), 15);
  assert.equal(toNumbers(jnp.diag(jnp.array([1, 2]))), [1, 0, 0, 2]);
  assert.equal(toNumbers(jnp.diag(jnp.array([1, 2]), 1)), [0, 1, 0, 0, 0, 2, 0, 0, 0]);
  assert.equal(toNumbers(jnp.tril(m)), [0, 0, 0, 0, 4, 5, 0, 0, 8, 9, 10, 0]);
  assert.equal(toNumbers(jnp.triu(m, 1)), [0, 1, 2, 3, 0, 0, 6, 7, 0, 0, 0, 11]);
});

test("singular matrices give inf/nan, not a crash", () => {
  const s = jnp.array([[1, 2], [2, 4]], { dtype: "float32" });
  assert.equal(jnp.linalg.det(s).item(), 0);
  assert.ok(toNumbers(jnp.linalg.solve(s, jnp.ones([2]))).every((v) => Number.isNaN(v)));
});

test.run();
