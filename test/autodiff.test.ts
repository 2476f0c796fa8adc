import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  jnp, nn, lax, grad, valueAndGrad, jvp, vjp, linearize, jacfwd, jacrev, hessian, makeJaxpr, stopGradient, customJvp,
  customVjp, checkpoint, tree, tidy, Array as JArray, NotImplementedError, UnexpectedTracerError, DTypeError,
} from "../src/index.js";
import { randArray, toNumbers, maxRelErr } from "./helpers.js";

import { cases, F } from "./ops.js";

const EPS = 1e-5;
const TOL = 1e-5;

function perturbed(xs: JArray[], ts: JArray[], s: number): JArray[] {
  return xs.map((x, i) => jnp.add(x, jnp.multiply(ts[i], s)));
}
function numericJvp(f: F, xs: JArray[], ts: JArray[]): number[] {
  const a = toNumbers(f(...perturbed(xs, ts, EPS))), b = toNumbers(f(...perturbed(xs, ts, -EPS)));
  return a.map((v, i) => (v - b[i]) / (2 * EPS));
}
const vdot = (a: JArray, b: JArray) => toNumbers(a).reduce((s, v, i) => s + v * toNumbers(b)[i], 0);

for (const c of cases) {
  test(`gradient check: ${c.name}`, () => {
    tidy(() => {
      const xs = c.inputs();
      const ts = xs.map((x, i) => randArray(x.shape, -1, 1, "float64", 100 + i));
      // Forward mode vs central differences.
      const [y, tOut] = jvp(c.f, xs, ts) as [JArray, JArray];
      const num = numericJvp(c.f, xs, ts);
      assert.ok(maxRelErr(toNumbers(tOut), num) < TOL, `${c.name} jvp: ${toNumbers(tOut).slice(0, 4)} vs ${num.slice(0, 4)}`);
      // Reverse mode: <v, J u> = <J^T v, u>.
      const [y2, pull] = vjp(c.f, ...xs);
      assert.equal(toNumbers(y2 as JArray), toNumbers(y));
      const v = randArray((y as JArray).shape, -1, 1, "float64", 55);
      const cts = pull(v) as JArray[];
      const lhs = vdot(v, tOut), rhs = cts.reduce((s, ct, i) => s + vdot(ct, ts[i]), 0);
      assert.ok(Math.abs(lhs - rhs) <= TOL * Math.max(1, Math.abs(lhs)), `${c.name} vjp identity ${lhs} vs ${rhs}`);
      // Order 2: forward-over-reverse of the scalar <v, f(x)> against differences of its gradient.
      const scalar = (...zs: JArray[]) => jnp.sum(jnp.multiply(c.f(...zs), v));
      const g = (...zs: JArray[]) => grad(scalar, { argnums: zs.map((_, i) => i) })(...zs)[0] as JArray;
      const [, h] = jvp(g, xs, ts) as [JArray, JArray];
      const hNum = numericJvp(g, xs, ts);
      assert.ok(maxRelErr(toNumbers(h), hNum) < 1e-4, `${c.name} order 2: ${toNumbers(h).slice(0, 4)} vs ${hNum.slice(0, 4)}`);
      return null;
    });
  });
}

test("stopGradient blocks the derivative", () => {
  const g = grad((x: JArray) => jnp.multiply(x, stopGradient(x)))(3) as JArray;
  assert.equal(g.item(), 3);
});

test("float32 gradients within JAX's float32 tolerance", () => {
  const x = randArray([5], 0.5, 2, "float32");
  const g = toNumbers(grad((z: JArray) => jnp.sum(jnp.log(jnp.tanh(z))))(x) as JArray);
  const want = toNumbers(x).map((v) => (1 - Math.tanh(v) ** 2) / Math.tanh(v));
  assert.ok(maxRelErr(g, want) < 2e-3);
});

test("gradients at special points", () => {
  const f32 = (v: number[]) => jnp.array(new Float32Array(v), { shape: [v.length] });
  assert.equal(toNumbers(grad((x: JArray) => jnp.sum(jnp.tanh(x)))(f32([0, 1000, -1000])) as JArray), [1, 0, 0]);
  const s = toNumbers(grad((x: JArray) => jnp.sum(jnp.sqrt(x)))(f32([1e-8, 0])) as JArray);
  assert.ok(Math.abs(s[0] - 5000) < 1, `sqrt near 0: ${s[0]}`);
  assert.equal(s[1], Infinity);
  // maximum at a tie splits the gradient evenly (JAX's convention); reduce max averages over ties.
  assert.equal(toNumbers(grad((x: JArray) => jnp.sum(jnp.maximum(x, 1)))(f32([1, 2, 0])) as JArray), [0.5, 1, 0]);
  assert.equal(toNumbers(grad((x: JArray) => jnp.max(x))(f32([1, 3, 3])) as JArray), [0, 0.5, 0.5]);
  assert.equal(toNumbers(grad((x: JArray) => jnp.prod(x))(f32([2, 0, 3])) as JArray), [0, 6, 0]);
  assert.equal(toNumbers(grad((x: JArray) => jnp.sum(jnp.abs(x)))(f32([-2, 3])) as JArray), [-1, 1]);
});

test("nested grad has no perturbation confusion", () => {
  assert.equal(grad((x: JArray) => jnp.multiply(x, grad((y: JArray) => jnp.multiply(x, y))(3)))(2).item(), 4);
  // d/dx [x * d/dy (x + y)] = 1
  assert.equal(grad((x: JArray) => jnp.multiply(x, grad((y: JArray) => jnp.add(x, y))(3)))(2).item(), 1);
  const third = grad(grad(grad((x: JArray) => jnp.power(x, 4))));
  assert.equal(third(2).item(), 48);
});

test("grad over pytrees, argnums and hasAux", () => {
  const params = { w: jnp.array([1, 2], { dtype: "float32" }), b: [jnp.array(0.5, { dtype: "float32" })] };
  const loss = (p: typeof params, x: JArray) => jnp.sum(jnp.add(jnp.multiply(p.w, x), p.b[0]));
  const x = jnp.array([3, 4], { dtype: "float32" });
  const g = grad(loss)(params, x);
  assert.equal(toNumbers(g.w), [3, 4]);
  assert.equal(toNumbers(g.b[0]), [2]);
  const [gp, gx] = grad(loss, { argnums: [0, 1] })(params, x);
  assert.equal(toNumbers(gx), [1, 2]);
  assert.equal(toNumbers(gp.w), [3, 4]);
  const [[v, aux], g2] = valueAndGrad((z: JArray) => [jnp.sum(jnp.square(z)), { n: 7 }], { hasAux: true })(x);
  assert.equal(v.item(), 25);
  assert.equal(aux.n, 7);
  assert.equal(toNumbers(g2), [6, 8]);
});

test("linearize and jacobians", () => {
  const f = (x: JArray) => jnp.multiply(jnp.sin(x), x.get(0));
  const x = jnp.array([0.5, 1, 2], { dtype: "float64" });
  const [y, fJvp] = linearize(f, x);
  const t = jnp.array([1, 0, 0], { dtype: "float64" });
  assert.equal(toNumbers(fJvp(t)), toNumbers((jvp(f, [x], [t]) as JArray[])[1]));
  assert.equal(toNumbers(y), toNumbers(f(x)));
  const jf = jacfwd(f)(x) as JArray, jr = jacrev(f)(x) as JArray;
  assert.equal(jf.shape, [3, 3]);
  assert.ok(maxRelErr(toNumbers(jf), toNumbers(jr)) < 1e-12);
  const h = hessian((z: JArray) => jnp.sum(jnp.power(z, 3)))(x) as JArray;
  assert.ok(maxRelErr(toNumbers(h), [3, 0, 0, 0, 6, 0, 0, 0, 12]) < 1e-12);
  const jt = jacrev((p: { a: JArray }) => ({ out: jnp.multiply(p.a, 2) }))({ a: x });
  assert.equal(jt.out.a.shape, [3, 3]);
});

test("customJvp, customVjp and checkpoint", () => {
  const f = customJvp((x: JArray) => jnp.log1p(jnp.exp(x)));
  f.defjvp(([x]: JArray[], [t]: JArray[]) => [f(x), jnp.multiply(t, jnp.sigmoid(x))]);
  assert.ok(Math.abs((grad(f)(1000) as JArray).item() as number - 1) < 1e-6);
  const clipGrad = customVjp((x: JArray) => x);
  clipGrad.defvjp((x: JArray) => [x, null], (_res: unknown, g: JArray) => [jnp.clip(g, -1, 1)]);
  assert.equal((grad((x: JArray) => jnp.multiply(clipGrad(x), 10))(2) as JArray).item(), 1);
  const body = (x: JArray) => jnp.sin(jnp.sin(x));
  const a = (grad(checkpoint(body))(0.7) as JArray).item(), b = (grad(body)(0.7) as JArray).item();
  assert.ok(Math.abs((a as number) - (b as number)) < 1e-6);
  assert.throws(() => jvp(clipGrad, [jnp.array(1, { dtype: "float32" })], [jnp.array(1, { dtype: "float32" })]), /forward-mode/);
});

test("errors: non-scalar output, integer input/output, missing rule, leaked tracer", () => {
  const x = jnp.array([1, 2, 3], { dtype: "float32" });
  assert.throws(() => grad((z: JArray) => jnp.multiply(z, 2))(x), /Gradient only defined for scalar-output functions. Output had shape: \(3,\)/);
  assert.throws(() => grad((z: JArray) => jnp.sum(z))(jnp.array([1, 2])), (e: unknown) => e instanceof DTypeError && /int32/.test(String(e)));
  assert.throws(() => grad((z: JArray) => jnp.argmax(z))(x), /real-valued outputs/);
  let err: unknown;
  try { jvp((z: JArray) => lax.convertElementType(jnp.sum(z), "float32").add(noJvp(z)), [x], [x]); } catch (e) { err = e; }
  assert.ok(err instanceof NotImplementedError && /'no_jvp'/.test(String(err)), String(err));
  let leaked: JArray | undefined;
  grad(function myLoss(z: JArray) { leaked = z; return jnp.sum(z); })(x);
  assert.throws(() => leaked!.add(1), (e: unknown) => e instanceof UnexpectedTracerError && /myLoss/.test(String(e)));
});

import { bind1 } from "../src/core/trace.js";
import { Primitive } from "../src/core/primitive.js";
// Every float primitive of the library has a JVP rule, so the missing-rule error needs one of its own.
const noJvpP = new Primitive<{}>("no_jvp", { abstractEval: ([a]) => [a], reference: ([a], [o]) => { o.data.set(a.data as never); } });
const noJvp = (z: JArray) => jnp.sum(bind1(noJvpP, [z], {}));

test("jaxpr printing snapshots", () => {
  const x = jnp.ones([3]);
  assert.equal(String(makeJaxpr(jnp.sin)(x)), "{ lambda ; a:f32[3]. let b:f32[3] = sin a in (b,) }");
  assert.equal(String(makeJaxpr((z: JArray) => jnp.sum(jnp.multiply(jnp.sin(z), z)))(x)),
    "{ lambda ; a:f32[3]. let\n    b:f32[3] = sin a\n    c:f32[3] = mul b a\n    d:f32[] = reduce_sum[axes=(0,)] c\n  in (d,) }");
  assert.equal(String(makeJaxpr((z: JArray) => jnp.multiply(z, 2))(x)),
    "{ lambda ; a:f32[3]. let b:f32[3] = mul a 2.0:f32[] in (b,) }");
  const gj = String(makeJaxpr(grad((z: JArray) => jnp.sum(jnp.sin(z))))(x));
  assert.match(gj, /cos a/);
  assert.match(gj, /mul/);
});

test("pytree round trips and tree.map", () => {
  const t = { b: [1, { c: jnp.ones([2]) }], a: null, d: [] };
  const [leaves, def] = tree.flatten(t);
  assert.equal(leaves.length, 2);
  const back = tree.unflatten(def, leaves);
  assert.equal(Object.keys(back).sort(), ["a", "b", "d"]);
  assert.equal(back.b[0], 1);
  const doubled = tree.map((x: any) => jnp.multiply(x, 2), { p: jnp.ones([2]), q: [jnp.ones([1])] });
  assert.equal(toNumbers(doubled.q[0]), [2]);
  const summed = tree.map((x: JArray, y: JArray) => jnp.add(x, y), { p: jnp.ones([2]) }, { p: jnp.ones([2]) });
  assert.equal(toNumbers(summed.p), [2, 2]);
  assert.throws(() => tree.map((x: unknown) => x, { p: 1 }, { q: 1 }), /structure/);
  class Pair { constructor(public x: unknown, public y: unknown) {} }
  tree.registerNode(Pair, (p) => [[p.x, p.y], null], (_aux, [x, y]) => new Pair(x, y));
  const pt = tree.map((v: number) => v + 1, new Pair(1, [2]));
  assert.ok(pt instanceof Pair && pt.x === 2 && (pt.y as number[])[0] === 3);
});

test.run();
