// jnp.sort, jnp.argsort, lax.sort, lax.sortKeyVal and lax.topK against numpy goldens (JAX's
// definitions: NaN last, stable, descending keeps ties in order), plus vmap against a loop and jit
// against eager for the integer-valued argsort (the float ops are in the shared catalog, test/ops.ts).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import { jnp, lax, vmap, jit, ValueError, Array as JArray } from "../src/index.js";
import { randArray, toNumbers } from "./helpers.js";

type V = number | string;
interface Case { op: "sort" | "argsort" | "topk"; dtype: "float32" | "int32"; x: V[]; shape: number[]; axis: number | null; descending: boolean; k: number | null; want: V[]; wantShape: number[] }
const cases = (JSON.parse(fs.readFileSync(new URL("../../test/goldens/sort.json", import.meta.url), "utf8")) as { cases: Case[] }).cases;
const dec = (v: V) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "-0" ? -0 : (v as number));
const sameBits = (a: number, b: number) => Object.is(a, b) || (a === 0 && b === 0) || (Number.isNaN(a) && Number.isNaN(b));

test("sort, argsort and topK match numpy goldens (ties, NaN, -0, inf, axes, descending)", () => {
  for (const c of cases) {
    const dtype = c.dtype;
    const x = jnp.array(c.x.map(dec), { dtype }).reshape(c.shape);
    const label = `${c.op} ${dtype} [${c.shape}] axis ${c.axis} desc ${c.descending} k ${c.k}`;
    let got: number[], shape: number[];
    if (c.op === "topk") {
      const [v, i] = lax.topK(x, c.k!);
      got = [...toNumbers(v), ...toNumbers(i)];
      shape = [got.length];
      assert.is(i.dtype, "int32", label);
    } else {
      const r = (c.op === "sort" ? jnp.sort : jnp.argsort)(x, { axis: c.axis, descending: c.descending });
      got = toNumbers(r);
      shape = r.shape;
      assert.is(r.dtype, c.op === "sort" ? dtype : "int32", label);
    }
    if (c.op !== "topk") assert.equal(shape, c.wantShape, label);
    const want = c.want.map(dec);
    assert.ok(got.length === want.length && got.every((v, i) => sameBits(v, want[i])), `${label}: ${got} vs ${want}`);
  }
});

test("argsort and lax.sort: vmap against a loop, jit against eager; several operands", () => {
  const x = randArray([4, 6], -1, 1, "float32", 21);
  const rows = Array.from({ length: 4 }, (_, i) => toNumbers(jnp.argsort(x.get(i), { descending: true })));
  assert.equal(toNumbers(vmap((r: JArray) => jnp.argsort(r, { descending: true }))(x) as JArray), rows.flat());
  assert.equal(toNumbers(jit((a: JArray) => jnp.argsort(a, 0))(x) as JArray), toNumbers(jnp.argsort(x, 0)));
  const keys = jnp.array([3, 1, 2, 1]), vals = jnp.array([10, 20, 30, 40]);
  const [k, v] = lax.sortKeyVal(keys, vals);
  assert.equal(toNumbers(k), [1, 1, 2, 3]);
  assert.equal(toNumbers(v), [20, 40, 30, 10]);
  const [a, b, c] = lax.sort([jnp.array([1, 0, 1, 0]), jnp.array([2, 9, 1, 3]), jnp.array([5, 6, 7, 8])], { numKeys: 2 }) as JArray[];
  assert.equal([toNumbers(a), toNumbers(b), toNumbers(c)], [[0, 0, 1, 1], [3, 9, 1, 2], [8, 6, 7, 5]]);
  assert.equal(toNumbers(lax.sort(jnp.array([[3, 1], [0, 2]]), 0) as JArray), [0, 1, 3, 2]);
});

test("bad input: a scalar, k out of range", () => {
  assert.throws(() => jnp.sort(jnp.array(3)), (e: unknown) => e instanceof ValueError && /sort/.test(String(e)));
  assert.throws(() => lax.topK(jnp.ones([2, 3]), 4), (e: unknown) => e instanceof ValueError && /topK: k must be/.test(String(e)));
});

test.run();
