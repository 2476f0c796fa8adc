import { test } from "uvu";
import * as assert from "uvu/assert";
import { jnp, vmap, grad, tidy, Array as JArray, ShapeError, ValueError } from "../src/index.js";
import { cases } from "./ops.js";
import { randArray, toNumbers } from "./helpers.js";

/** Stacks per-example results along `axis` (what vmap must equal). */
function stackAlong(xs: JArray[], axis: number): JArray {
  return jnp.stack(xs, axis);
}

function same(a: JArray, b: JArray, exact: boolean, what: string) {
  assert.equal(a.shape, b.shape, `${what}: shape`);
  assert.equal(a.dtype, b.dtype, `${what}: dtype`);
  const x = toNumbers(a), y = toNumbers(b);
  for (let i = 0; i < y.length; i++) {
    const ok = exact ? Object.is(x[i], y[i]) || x[i] === y[i] : Math.abs(x[i] - y[i]) <= 1e-6 * Math.max(1, Math.abs(y[i]));
    if (!ok) assert.unreachable(`${what}: element ${i}: vmap ${x[i]} vs loop ${y[i]}`);
  }
}

// Ops computed with the same kernel on the same data per example are bit-exact; reductions and
// contractions may sum in another order once batched, so they get a float tolerance.
const inexact = /sum|mean|prod|var|std|logsumexp|softmax|matmul|dot|outer|einsum|tensordot|cumsum|cumprod|gelu/;

for (const c of cases) {
  test(`vmap equals a loop: ${c.name}`, () => {
    tidy(() => {
      const proto = c.inputs();
      const n = proto.length;
      // Every placement for every argument: not mapped, first axis, last axis.
      const choices = proto.map((x) => [null, 0, x.ndim]);
      const combos: (number | null)[][] = [[]];
      for (const ch of choices) {
        const next: (number | null)[][] = [];
        for (const c0 of combos) for (const a of ch) next.push([...c0, a]);
        combos.splice(0, combos.length, ...next);
      }
      for (const axes of combos) {
        if (axes.every((a) => a === null)) continue;
        for (const B of [10, 0]) {
          const examples = [...Array(B).keys()].map((b) => proto.map((x, i) => (axes[i] === null ? x : randArray(x.shape, -1, 1, "float64", 1000 + 17 * b + i)))
            .map((x, i) => (axes[i] === null ? x : jnp.add(jnp.multiply(x, 0.5), proto[i]))));
          const batched = proto.map((x, i) => {
            if (axes[i] === null) return x;
            if (B === 0) return jnp.zeros([...x.shape.slice(0, axes[i]!), 0, ...x.shape.slice(axes[i]!)], { dtype: x.dtype });
            return jnp.stack(examples.map((e) => e[i]), axes[i]!);
          });
          const out = vmap(c.f, { inAxes: axes })(...batched) as JArray;
          if (B === 0) {
            const one = c.f(...proto);
            assert.equal(out.shape, [0, ...one.shape], `${c.name} axes ${JSON.stringify(axes)} batch 0`);
            continue;
          }
          const loop = stackAlong(examples.map((e) => c.f(...e)), 0);
          same(out, loop, !inexact.test(c.name), `${c.name} axes ${JSON.stringify(axes)}`);
        }
      }
      return null;
    });
  });
}

test("integer and bool ops batch bit-exactly", () => {
  const x = jnp.array([[1, -2, 3], [4, 5, -6]]), y = jnp.array([[2, 2, -3], [1, -5, 4]]);
  const f = (a: JArray, b: JArray) => jnp.stack([jnp.floorDivide(a, b), jnp.mod(a, b), jnp.maximum(a, b), jnp.where(jnp.greater(a, b), a, b)]);
  same(vmap(f)(x, y), jnp.stack([f(x.get(0), y.get(0)), f(x.get(1), y.get(1))]), true, "int ops");
  const m = vmap((a: JArray) => jnp.argmax(a))(jnp.array([[1, 5, 2], [9, 0, 1]]));
  assert.equal(m.toArray(), [1, 0]);
});

test("outAxes, nested vmap, constants stay unbatched", () => {
  const x = randArray([3, 4], -1, 1, "float32");
  const r = vmap((v: JArray) => jnp.multiply(v, 2), { outAxes: 1 })(x);
  assert.equal(r.shape, [4, 3]);
  const outer = vmap(vmap((a: JArray, b: JArray) => jnp.dot(a, b), { inAxes: [null, 0] }), { inAxes: [0, null] });
  const A = randArray([2, 5], -1, 1, "float32"), Bm = randArray([3, 5], -1, 1, "float32", 4);
  same(outer(A, Bm), jnp.matmul(A, Bm.T), false, "nested vmap");
  const c = vmap((v: JArray) => [v, jnp.ones([2])], { outAxes: [0, null] })(x);
  assert.equal(c[1].shape, [2]);
  const bcast = vmap(() => jnp.ones([2]), { axisSize: 3, inAxes: [] })();
  assert.equal(bcast.shape, [3, 2]);
});

test("per-example gradients: vmap(grad(loss), inAxes [null, 0, 0]) matches a loop", () => {
  const w = randArray([3], -1, 1, "float64");
  const xs = randArray([6, 3], -1, 1, "float64", 2), ys = randArray([6], -1, 1, "float64", 3);
  const loss = (w: JArray, x: JArray, y: JArray) => jnp.square(jnp.subtract(jnp.dot(x, w), y));
  const per = vmap(grad(loss), { inAxes: [null, 0, 0] })(w, xs, ys) as JArray;
  const loop = jnp.stack([...Array(6).keys()].map((i) => grad(loss)(w, xs.get(i), ys.get(i)) as JArray));
  same(per, loop, false, "per-example grads");
  // grad of vmap
  const total = (w: JArray) => jnp.sum(vmap(loss, { inAxes: [null, 0, 0] })(w, xs, ys));
  const g1 = grad(total)(w) as JArray;
  same(g1, jnp.sum(per, { axis: 0 }), false, "grad of vmap");
});

test("errors: inconsistent sizes, axis out of range, bad outAxes", () => {
  const f = (a: JArray, b: JArray) => jnp.add(a, b);
  assert.throws(() => vmap(f)(jnp.ones([3]), jnp.ones([4])), (e: unknown) => e instanceof ShapeError &&
    /vmap got inconsistent sizes for array axes to be mapped:\n  \* one axis had size 3: axis 0 of args\[0\] of type float32\[3\];\n  \* one axis had size 4: axis 0 of args\[1\] of type float32\[4\]$/.test(String((e as Error).message)));
  assert.throws(() => vmap(jnp.sin, { inAxes: 2 })(jnp.ones([3, 4])), /vmap was requested to map its argument along axis 2, which implies that its rank should be at least 3, but is only 2/);
  assert.throws(() => vmap((a: JArray) => a, { outAxes: null })(jnp.ones([3])), (e: unknown) => e instanceof ValueError && /out_axes is None/.test(String(e)));
  assert.throws(() => vmap(f, { inAxes: [0] })(jnp.ones([3]), jnp.ones([3])), /in_axes/);
});


test.run();
