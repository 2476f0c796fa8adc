// The transformations checked against JAX's documented behaviour (jax/_src/api.py docstrings,
// custom_derivatives docs, the jaxpr docs): positional options, argnums resolution, output
// structures, error texts, and the jaxpr layout.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  jnp, lax, grad, valueAndGrad, jvp, vjp, linearize, jacfwd, jacrev, hessian, customJvp, customVjp, checkpoint, stopGradient, jit, vmap, makeJaxpr,
  Array as JArray, ConcretizationTypeError, DTypeError, ShapeError, ValueError,
} from "../src/index.js";
import { toNumbers } from "./helpers.js";

const f32 = (x: number | number[]) => jnp.array(x, { dtype: "float32" });

function close(got: JArray | number[], want: number[], what: string, tol = 1e-4) {
  const g = Array.isArray(got) ? got : toNumbers(got);
  assert.is(g.length, want.length, `${what}: length`);
  g.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= tol * Math.max(1, Math.abs(want[i])), `${what}[${i}]: ${v} vs ${want[i]}`));
}

/** Central difference of a scalar JS function. */
const central = (h: (v: number) => number, v: number, eps = 1e-3) => (h(v + eps) - h(v - eps)) / (2 * eps);

test("grad: a negative argnums counts from the end, as JAX resolves it", () => {
  const f = (a: JArray, b: JArray) => jnp.multiply(jnp.sin(a), jnp.multiply(b, b));
  const g = grad(f, -1)(0.7, 1.3) as JArray;
  close(g, [central((b) => Math.sin(0.7) * b * b, 1.3)], "d/db");
  const [ga, gb] = grad(f, [-2, -1])(0.7, 1.3) as JArray[];
  close(ga, [central((a) => Math.sin(a) * 1.69, 0.7)], "d/da");
  close(gb, [central((b) => Math.sin(0.7) * b * b, 1.3)], "d/db tuple");
  close(jacfwd(f, -1)(0.7, 1.3) as JArray, [central((b) => Math.sin(0.7) * b * b, 1.3)], "jacfwd -1");
  close(jacrev(f, { argnums: -2 })(0.7, 1.3) as JArray, [central((a) => Math.sin(a) * 1.69, 0.7)], "jacrev -2");
});

test("grad: JAX's errors for too few arguments, non-scalar outputs and integer inputs", () => {
  assert.throws(() => grad((a: JArray) => a, 2)(1.5),
    /differentiating with respect to argnums=2 requires at least 3 positional arguments to be passed by the caller, but got only 1/);
  assert.throws(() => grad((a: JArray) => jnp.multiply(a, 2))(f32([1, 2, 3])), (e: unknown) => e instanceof TypeError &&
    /Gradient only defined for scalar-output functions\. Output had shape: \(3,\)\./.test(String(e)));
  assert.throws(() => valueAndGrad((a: JArray) => jnp.ones([2, 3]))(f32(1)), /Output had shape: \(2, 3\)\./);
  assert.throws(() => grad((a: JArray) => jnp.sum(a))(jnp.array([1, 2])), (e: unknown) => e instanceof DTypeError &&
    /grad requires real- or complex-valued inputs \(input dtype that is a sub-dtype of np\.inexact\), but got int32/.test(String(e)));
  assert.throws(() => jacfwd((a: JArray) => a)(jnp.array([1, 2])), /jacfwd requires real-valued inputs.*but got int32/);
  assert.throws(() => jacrev((a: JArray) => a)(jnp.array([1, 2])), /jacrev requires real-valued inputs.*but got int32/);
});

test("jvp, vjp, linearize: JS numbers are Python floats (differentiable), even when integral", () => {
  const f = (a: JArray, b: JArray) => jnp.multiply(a, b);
  const [y, t] = jvp(f, [2, 3], [1, 0.5]) as JArray[];
  assert.is(y.dtype, "float32");
  close(y, [6], "jvp out");
  close(t, [1 * 3 + 2 * 0.5], "jvp tangent");
  const [out, pull] = vjp(f, 2, 3);
  close(out as JArray, [6], "vjp out");
  const cts = pull(1) as JArray[];
  assert.is(cts.length, 2);
  close(cts[0], [3], "vjp ct a");
  close(cts[1], [2], "vjp ct b");
  const [lo, fJvp] = linearize(f, 2, 3);
  close(lo as JArray, [6], "linearize out");
  close(fJvp(1, 1) as JArray, [5], "linearize tangent");
  assert.throws(() => fJvp(1), /linearize: the linearized function takes tangents with the structure of the primals/);
  assert.throws(() => fJvp(f32([1, 1]), 1), /linearize: tangent shape \(2,\) does not match the primal shape \(\)/);
  // jvp's primals and tangents are argument lists (JAX's tuples).
  assert.throws(() => jvp(jnp.sin, f32(1) as any, f32(1) as any), (e: unknown) => e instanceof TypeError && /must be tuples or lists/.test(String(e)));
  assert.throws(() => jvp(jnp.sin, [f32([1, 2])], [f32([1, 2, 3])]), /jvp called with different primal and tangent shapes;Got primal shape \(2,\) and tangent shape as \(3,\)/);
  assert.throws(() => jvp((a: JArray, b: JArray) => a, [f32(1), f32(2)], [f32(1)]), (e: unknown) => e instanceof TypeError && /must have the same tree structure/.test(String(e)));
});

test("customJvp with nondiffArgnums: the rule gets the nondiff arguments first (JAX's app example)", () => {
  const app = customJvp((f: (x: JArray) => JArray, x: JArray) => f(x), { nondiffArgnums: [0] });
  app.defjvp((f: (x: JArray) => JArray, primals: JArray[], tangents: JArray[]) => [f(primals[0]), jnp.multiply(f(tangents[0]), 10)]);
  const double = (y: JArray) => jnp.multiply(y, 2);
  close(grad((x: JArray) => app(double, x))(3) as JArray, [20], "grad");
  const [y, t] = jvp((x: JArray) => app(double, x), [3], [1]) as JArray[];
  close(y, [6], "jvp out");
  close(t, [20], "jvp tangent");
  close(vmap(grad((x: JArray) => app(double, x)))(f32([1, 2])), [20, 20], "vmap(grad)");
  close(jit(grad((x: JArray) => app(double, x)))(f32(3)) as JArray, [20], "jit(grad)");
  const positional = customJvp((n: number, x: JArray) => jnp.multiply(x, n), 0);
  positional.defjvp((n: number, [x]: JArray[], [tx]: JArray[]) => [jnp.multiply(x, n), jnp.multiply(tx, n + 1)]);
  close(grad((x: JArray) => positional(4, x))(1) as JArray, [5], "positional nondiff_argnums");
});

test("customJvp.defjvps: one tangent function per argument, summed (checked against central differences)", () => {
  const f = customJvp((x: JArray, y: JArray) => jnp.multiply(jnp.sin(x), y));
  f.defjvps((xd: JArray, _ans: JArray, x: JArray, y: JArray) => jnp.multiply(jnp.multiply(jnp.cos(x), xd), y),
    (yd: JArray, _ans: JArray, x: JArray) => jnp.multiply(jnp.sin(x), yd));
  const [gx, gy] = grad(f, [0, 1])(2, 3) as JArray[];
  close(gx, [central((v) => Math.sin(v) * 3, 2)], "d/dx", 1e-3);
  close(gy, [central((v) => Math.sin(2) * v, 3)], "d/dy", 1e-3);
});

test("customVjp: bwd may return null for an argument's cotangent; nondiffArgnums go to bwd first", () => {
  // JAX's clip_gradient example: the identity forward, a clipped cotangent backward.
  const clipGradient = customVjp((lo: number, hi: number, x: JArray) => x, { nondiffArgnums: [0, 1] });
  clipGradient.defvjp((lo: number, hi: number, x: JArray) => [x, null],
    (lo: number, hi: number, _res: unknown, g: JArray) => [jnp.clip(g, lo, hi)]);
  close(grad((x: JArray) => jnp.multiply(clipGradient(-0.5, 0.5, x), 3))(2) as JArray, [0.5], "clipped");
  close(grad((x: JArray) => jnp.multiply(clipGradient(-0.5, 0.5, x), 0.25))(2) as JArray, [0.25], "unclipped");
  // null cotangents for non-differentiated arguments, JAX's None.
  const scale = customVjp((x: JArray, s: JArray) => jnp.multiply(x, s));
  scale.defvjp((x: JArray, s: JArray) => [jnp.multiply(x, s), s], (s: JArray, g: JArray) => [jnp.multiply(g, s), null]);
  const [gx, gs] = grad((x: JArray, s: JArray) => scale(x, s), [0, 1])(2, 3) as JArray[];
  close(gx, [3], "d/dx");
  close(gs, [0], "null cotangent is zero");
  assert.throws(() => {
    const bad = customVjp((x: JArray, s: JArray) => jnp.multiply(x, s));
    bad.defvjp((x: JArray, s: JArray) => [jnp.multiply(x, s), s], (s: JArray, g: JArray) => [g]);
    grad(bad)(2, 3);
  }, /one cotangent per differentiable primal input \(2\), got an array of length 1/);
});

test("jacfwd, jacrev, hessian: hasAux returns [jacobian, aux]; pytree and argnums structures nest out-then-in", () => {
  const f = (x: JArray) => [jnp.sin(x), { norm: jnp.sum(jnp.multiply(x, x)) }];
  const xs = [0.3, -1.2];
  for (const [name, jac] of [["jacfwd", jacfwd(f, { hasAux: true })], ["jacrev", jacrev(f, 0, true)]] as const) {
    const [j, aux] = jac(f32(xs)) as [JArray, { norm: JArray }];
    assert.equal(j.shape, [2, 2], name);
    close(j, [Math.cos(0.3), 0, 0, Math.cos(-1.2)], `${name} jacobian`);
    close(aux.norm, [0.09 + 1.44], `${name} aux`);
  }
  const [h, aux] = hessian((x: JArray) => [jnp.sum(jnp.multiply(jnp.multiply(x, x), x)), jnp.max(x)], { hasAux: true })(f32(xs)) as JArray[];
  close(h, [6 * 0.3, 0, 0, 6 * -1.2], "hessian");
  close(aux, [0.3], "hessian aux");
  // JAX: outputs outermost, then the argnums tuple, then each argument's own structure.
  const jt = jacrev((a: JArray, b: { w: JArray }) => ({ y: jnp.multiply(a, b.w) }), [0, 1])(f32([1, 2]), { w: f32([3, 4]) }) as any;
  close(jt.y[0], [3, 0, 0, 4], "dy/da");
  close(jt.y[1].w, [1, 0, 0, 2], "dy/db.w");
});

test("stopGradient takes any pytree and JS numbers, as lax.stop_gradient does", () => {
  const r = stopGradient({ a: f32([1.5]), b: [f32(2.5)] }) as { a: JArray; b: JArray[] };
  close(r.b[0], [2.5], "leaf");
  // d/dx sum(sg(x) * x) = sg(x) = x
  close(grad((x: JArray) => jnp.sum(jnp.multiply((stopGradient([x, x]) as JArray[])[0], x)))(f32([1.5, -2])) as JArray, [1.5, -2], "grad");
  close(stopGradient(2) as unknown as JArray, [2], "number");
});

test("checkpoint: staticArgnums are not traced (JS control flow on them works), gradients unchanged", () => {
  const f = (x: JArray, n: number) => (n > 1 ? jnp.multiply(jnp.sin(x), n) : x);
  const g = grad(checkpoint(f, { staticArgnums: [1] }))(f32(0.5), 3) as JArray;
  close(g, [central((v) => Math.sin(v) * 3, 0.5)], "d/dx", 1e-3);
  close(grad(checkpoint(f, { staticArgnums: -1 }))(f32(0.5), 0) as JArray, [1], "other branch");
});

test("makeJaxpr prints JAX's docstring example on one line with '; ' between equations", () => {
  const f = (x: JArray) => jnp.sin(jnp.cos(x));
  assert.is(String(makeJaxpr(f)(f32(3))), "{ lambda ; a:f32[]. let b:f32[] = cos a; c:f32[] = sin b in (c,) }");
  // No equations: JAX's two spaces between `let` and `in`.
  assert.is(String(makeJaxpr((x: JArray) => x)(f32([1, 2]))), "{ lambda ; a:f32[2]. let  in (a,) }");
  // Too wide for 80 columns: one equation per line.
  const wide = String(makeJaxpr((x: JArray, y: JArray) => jnp.sum(jnp.add(x, jnp.multiply(jnp.sin(y), 3))))(jnp.zeros([8]), jnp.ones([8])));
  assert.is(wide, "{ lambda ; a:f32[8] b:f32[8]. let\n    c:f32[8] = sin b\n    d:f32[8] = mul c 3.0:f32[]\n" +
    "    e:f32[8] = add a d\n    f:f32[] = reduce_sum[axes=(0,)] e\n  in (f,) }");
});

test("makeJaxpr: literals print as numpy's .item() in Python's repr, with their type", () => {
  const s = String(makeJaxpr((x: JArray) => jnp.add(jnp.multiply(x, 0.1), 1e-5))(jnp.zeros([])));
  assert.is(s, "{ lambda ; a:f32[]. let\n    b:f32[] = mul a 0.10000000149011612:f32[]\n    c:f32[] = add b 9.999999747378752e-06:f32[]\n  in (c,) }");
  assert.is(String(makeJaxpr((x: JArray) => jnp.logicalAnd(x, true))(jnp.array(true))),
    "{ lambda ; a:bool[]. let b:bool[] = and a True:bool[] in (b,) }");
});

test("makeJaxpr: staticArgnums (JAX's static_argnums) keeps those arguments out of the program", () => {
  const f = (x: JArray, n: number) => (n > 1 ? jnp.multiply(x, n) : x);
  assert.is(String(makeJaxpr(f, { staticArgnums: 1 })(jnp.zeros([2]), 3)), "{ lambda ; a:f32[2]. let b:f32[2] = mul a 3.0:f32[] in (b,) }");
  assert.is(String(makeJaxpr(f, -1)(jnp.zeros([2]), 0)), "{ lambda ; a:f32[2]. let  in (a,) }");
});

test("makeJaxpr: nested programs share one naming context; a jit call puts name= first", () => {
  const inner = jit(function inner(x: JArray) { return jnp.sin(x); });
  const s = String(makeJaxpr((x: JArray) => jnp.multiply(inner(jnp.cos(x)), 2))(jnp.ones([2])));
  assert.is(s, "{ lambda ; a:f32[2]. let\n    b:f32[2] = cos a\n    c:f32[2] = jit[\n      name=inner\n" +
    "      jaxpr={ lambda ; b:f32[2]. let c:f32[2] = sin b in (c,) }\n    ] b\n    d:f32[2] = mul c 2.0:f32[]\n  in (d,) }");
  const c = String(makeJaxpr((p: JArray, x: JArray) => lax.cond(p, jnp.sin, jnp.cos, x))(jnp.array(true), jnp.ones([2])));
  // Branch variables continue the outer names (JAX's globally unique names), not a fresh 'a'.
  assert.not.match(c, /\{ lambda ; a:f32\[2\]\. let/);
});

test("jit: negative staticArgnums is static (usable in JS control flow) and keyed by value", () => {
  const f = jit((x: JArray, n: number) => (n > 1 ? jnp.multiply(x, n) : jnp.negative(x)), { staticArgnums: -1 });
  close(f(f32([1, 2]), 3), [3, 6], "n=3");
  close(f(f32([1, 2]), 0), [-1, -2], "n=0");
  close(f(f32([1, 2]), 3), [3, 6], "n=3 again");
  assert.is(f.traceCount, 2);
});

test("jit: static functions are keyed by identity, arrays as statics are JAX's non-hashable error", () => {
  const apply = jit((g: (x: JArray) => JArray, x: JArray) => g(x), { staticArgnums: 0 });
  const mk = (k: number) => { const step = (x: JArray) => jnp.multiply(x, k); return step; };
  close(apply(mk(2), f32([1])), [2], "first closure");
  close(apply(mk(5), f32([1])), [5], "second closure, same name");
  assert.is(apply.traceCount, 2);
  const h = jit((x: JArray, s: JArray) => jnp.add(x, s), { staticArgnums: 1 });
  assert.throws(() => h(f32([1]), f32([2])), (e: unknown) => e instanceof ValueError && /Non-hashable static arguments are not supported/.test(String(e)));
});

test("jit: a traced value in JS control flow is a ConcretizationTypeError in JAX's words", () => {
  const f = jit((x: JArray) => ((jnp.sum(x) as any) > 0 ? x : jnp.negative(x)));
  assert.throws(() => f(f32([1, 2])), (e: unknown) => e instanceof ConcretizationTypeError &&
    /^Abstract tracer value encountered where concrete value is expected: traced array with shape float32\[\]/.test((e as Error).message));
});

test("vmap: JAX's messages for mismatched sizes, axisSize conflicts, no mapped argument, out_axes None", () => {
  const f = (a: JArray, b: JArray, c: JArray) => jnp.add(jnp.add(a, b), c);
  assert.throws(() => vmap((d: { a: JArray; b: JArray }) => d.a, [{ a: 0 }])({ a: f32([1]), b: f32([2]) }), /tree prefix/);
  assert.throws(() => vmap(f)(jnp.ones([3]), jnp.ones([3]), jnp.ones([4])), (e: unknown) => e instanceof ShapeError &&
    (e as Error).message === "vmap got inconsistent sizes for array axes to be mapped:\n" +
      "  * most axes (2 of them) had size 3, e.g. axis 0 of args[0] of type float32[3];\n" +
      "  * one axis had size 4: axis 0 of args[2] of type float32[4]");
  assert.throws(() => vmap((d: { w: JArray }) => d.w, { inAxes: 0, axisSize: 5 })({ w: jnp.ones([3]) }),
    /the `axisSize` argument was 5;\n  \* one axis had size 3: axis 0 of args\[0\]\['w'\] of type float32\[3\]/);
  close(vmap((x: JArray) => jnp.multiply(x, 2), { inAxes: 0, axisSize: 2 })(f32([1, 2])), [2, 4], "matching axisSize");
  assert.throws(() => vmap(() => jnp.ones([]))(), /vmap wrapped function must be passed at least one argument containing an array or axisSize must be specified/);
  assert.throws(() => vmap((x: JArray) => x, 0, null)(f32([1, 2])),
    /at vmap out_axes, got axis spec None but output was batched on axis 0/);
  assert.throws(() => vmap((x: JArray) => [x, x], 0, [0, null])(f32([1, 2])),
    /at vmap out_axes\[1\], got axis spec None but output was batched on axis 0/);
});

test("loops: a weakly typed initial carry (a JS number) takes the body's dtype, as JAX's second tracing pass does; a strong one must match", () => {
  const [c, ys] = lax.scan((c: JArray, x: JArray) => [c.add(x), c.mul(x)], 0, f32([0.5, 1.5, 2]));
  assert.is(c.dtype, "float32");
  assert.equal(toNumbers(c), [4]);
  assert.equal(toNumbers(ys), [0, 0.75, 4]);
  const w = lax.whileLoop((x: JArray) => x.lt(10), (x: JArray) => x.mul(2.5), 1);
  assert.is(w.dtype, "float32");
  assert.equal(toNumbers(w), [15.625]);
  assert.throws(() => lax.scan((c: JArray, x: JArray) => [c.add(x), x], jnp.array(0, { dtype: "int32" }), f32([1])), /must have equal types: input i32\[\], output f32\[\]/);
  const g = grad((x: JArray) => lax.scan((c: JArray, e: JArray) => [c.mul(e).add(1), c], 1, x)[0])(f32([0.5, -1, 2]));
  assert.equal(toNumbers(g), [-2, 3, -0.5]);
});

test("grad of abs at 0 is 1, as JAX's select(x >= 0, t, -t)", () => {
  assert.equal(toNumbers(grad((x: JArray) => jnp.sum(jnp.abs(x)))(f32([-2, 0, 3]))), [-1, 1, 1]);
});

test.run();
