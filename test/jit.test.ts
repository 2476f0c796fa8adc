import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  jnp, lax, jit, grad, vmap, jvp, makeJaxpr, tidy, memoryStats, valueAndGrad, Array as JArray,
  ConcretizationTypeError, DisposedArrayError, NotImplementedError,
} from "../src/index.js";
import { cases } from "./ops.js";
import { randArray, toNumbers, maxRelErr } from "./helpers.js";

for (const c of cases) {
  test(`jit equals eager: ${c.name}`, () => {
    tidy(() => {
      const xs = c.inputs();
      const eager = c.f(...xs);
      const jf = jit(c.f);
      const once = jf(...xs) as JArray;
      assert.equal(once.shape, eager.shape);
      assert.equal(once.dtype, eager.dtype);
      assert.ok(maxRelErr(toNumbers(once), toNumbers(eager)) < 1e-12, `${c.name}: ${toNumbers(once).slice(0, 4)} vs ${toNumbers(eager).slice(0, 4)}`);
      // Compositions: jit of grad, grad of jit, vmap of jit.
      const s = (...z: JArray[]) => jnp.sum(c.f(...z));
      const g1 = toNumbers(jit(grad(s))(...xs) as JArray), g2 = toNumbers(grad(jit(s))(...xs) as JArray), g0 = toNumbers(grad(s)(...xs) as JArray);
      assert.ok(maxRelErr(g1, g0) < 1e-12 && maxRelErr(g2, g0) < 1e-12, `${c.name}: grads differ`);
      const batched = xs.map((x) => jnp.stack([x, jnp.multiply(x, 1.1)]));
      const vj = toNumbers(vmap(jit(c.f))(...batched) as JArray), ve = toNumbers(vmap(c.f)(...batched) as JArray);
      assert.ok(maxRelErr(vj, ve) < 1e-12, `${c.name}: vmap of jit differs`);
      return null;
    });
  });
}

test("traces once per signature; static args are part of the key", () => {
  let traces = 0;
  const f = jit((x: JArray, n: number) => { traces++; return jnp.multiply(x, n); }, { staticArgnums: 1 });
  const x = jnp.ones([3]);
  f(x, 2); f(x, 2); f(jnp.zeros([3]), 2);
  assert.equal(traces, 1);
  f(x, 3);
  assert.equal(traces, 2);
  f(jnp.ones([4]), 3);
  assert.equal(traces, 3);
  f(jnp.ones([4], { dtype: "int32" }), 3);
  assert.equal(traces, 4);
  f(x, 2);
  assert.equal(traces, 4);
  assert.equal(f.traceCount, 4);
  const g = jit((p: { a: JArray; b: JArray[] }) => { traces++; return jnp.add(p.a, p.b[0]); });
  g({ a: x, b: [x] }); g({ a: x, b: [x] });
  assert.equal(traces, 5);
  g({ a: x, b: [x, x] });
  assert.equal(traces, 6);
});

test("Python-style control flow on traced values is a ConcretizationTypeError", () => {
  const f = jit(function branchy(x: JArray) { return (jnp.sum(x).item() as number) > 0 ? x : jnp.negative(x); });
  assert.throws(() => f(jnp.ones([2])), (e: unknown) => e instanceof ConcretizationTypeError &&
    /jit\(branchy\)/.test(String(e)) && /lax\.cond/.test(String(e)) && /staticArgnums/.test(String(e)));
  const g = jit((x: JArray) => (+(jnp.sum(x) as any) > 0 ? x : x));
  assert.throws(() => g(jnp.ones([2])), (e: unknown) => e instanceof ConcretizationTypeError);
});

test("makeJaxpr of jitted and control-flow programs prints nested jaxprs", () => {
  const inner = jit(function inner(x: JArray) { return jnp.sin(x); });
  const s = String(makeJaxpr((x: JArray) => inner(jnp.cos(x)))(jnp.ones([2])));
  // JAX's layout: name first; the inner program's variables named after the call's.
  assert.match(s, /(\w+):f32\[2\] = jit\[\n\s+name=inner\n\s+jaxpr=\{ lambda ; (\w+):f32\[2\]\. let \1:f32\[2\] = sin \2 in \(\1,\) \}\n\s+\] \2\n/);
  const c = String(makeJaxpr((x: JArray) => lax.cond(jnp.greater(jnp.sum(x), 0), jnp.sin, jnp.cos, x))(jnp.ones([2])));
  assert.match(c, /cond\[\n\s+branches=\(\n\s+\{ lambda ; (\w+):f32\[2\]\. let (\w+):f32\[2\] = cos \1 in \(\2,\) \}\n\s+\{ lambda ; (\w+):f32\[2\]\. let (\w+):f32\[2\] = sin \3 in \(\4,\) \}\n\s+\)\n\s+\]/);
  const sc = String(makeJaxpr((x: JArray) => lax.scan((c: JArray, v: JArray) => [jnp.add(c, v), c], jnp.zeros([]), x))(jnp.ones([3])));
  assert.match(sc, /scan\[\n?\s*jaxpr=\{ lambda ; (\w+):f32\[\] (\w+):f32\[\]\. let (\w+):f32\[\] = add \1 \2 in \(\3, \1\) \}\s+length=3/);
});

test("optimizations: DCE, CSE and constant folding", () => {
  const f = (x: JArray) => {
    const unused = jnp.exp(x);
    void unused;
    const a = jnp.sin(x), b = jnp.sin(x);
    return jnp.add(jnp.add(a, b), jnp.sum(jnp.multiply(jnp.ones([3]), 2)));
  };
  const x = randArray([3], -1, 1, "float32");
  assert.ok(maxRelErr(toNumbers(jit(f)(x) as JArray), toNumbers(f(x))) < 1e-7);
  const { optimize } = passes;
  const cj = makeJaxpr(f)(x);
  const opt = String(optimize(cj));
  assert.not.match(opt, /exp/);
  assert.equal((opt.match(/sin/g) ?? []).length, 1);
  assert.not.match(opt, /reduce_sum/);
});
import * as passes from "../src/jit/passes.js";

test("donateArgnums: a jitted step loop runs in constant memory; donated arrays are invalid", () => {
  const step = jit((p: { w: JArray }, g: JArray) => ({ w: jnp.subtract(p.w, jnp.multiply(g, 0.1)) }), { donateArgnums: 0 });
  const g = jnp.ones([4096]);
  let p = { w: jnp.zeros([4096]) };
  p = step(p, g);
  const before = memoryStats().liveBytes;
  for (let i = 0; i < 2000; i++) p = step(p, g);
  assert.equal(memoryStats().liveBytes, before);
  assert.ok(Math.abs((p.w.get(0).item() as number) + 200.1) < 1e-2);
  const old = jnp.ones([4096]);
  step({ w: old }, g);
  assert.throws(() => jnp.add(old, 1), (e: unknown) => e instanceof DisposedArrayError && /donated/.test(String(e)));
});

test("control flow: values and gradients match loops", () => {
  const xs = randArray([6, 3], -1, 1, "float64");
  const w = randArray([3], -1, 1, "float64", 2);
  const rnnScan = (w: JArray, xs: JArray) => jnp.sum(lax.scan((h: JArray, x: JArray) => {
    const h2 = jnp.tanh(jnp.add(jnp.multiply(h, w), x));
    return [h2, jnp.sum(h2)];
  }, jnp.zeros([3], { dtype: "float64" }), xs)[1]);
  const rnnLoop = (w: JArray, xs: JArray) => {
    let h = jnp.zeros([3], { dtype: "float64" });
    let total: JArray = jnp.zeros([], { dtype: "float64" });
    for (let i = 0; i < 6; i++) { h = jnp.tanh(jnp.add(jnp.multiply(h, w), xs.get(i))); total = jnp.add(total, jnp.sum(h)); }
    return total;
  };
  assert.ok(Math.abs((rnnScan(w, xs).item() as number) - (rnnLoop(w, xs).item() as number)) < 1e-12);
  const gs = grad(rnnScan, { argnums: [0, 1] })(w, xs) as JArray[], gl = grad(rnnLoop, { argnums: [0, 1] })(w, xs) as JArray[];
  assert.ok(maxRelErr(toNumbers(gs[0]), toNumbers(gl[0])) < 1e-10 && maxRelErr(toNumbers(gs[1]), toNumbers(gl[1])) < 1e-10);
  const gj = jit(grad(rnnScan))(w, xs) as JArray;
  assert.ok(maxRelErr(toNumbers(gj), toNumbers(gl[0])) < 1e-10);
  // reverse scan and vmap of scan
  const [, rev] = lax.scan((c: JArray, x: JArray) => [jnp.add(c, x), jnp.add(c, x)], jnp.zeros([]), jnp.arange(4).astype("float32"), { reverse: true });
  assert.equal(toNumbers(rev), [6, 6, 5, 3]);
  const vs = vmap((v: JArray) => lax.scan((c: JArray, x: JArray) => [jnp.add(c, x), c], jnp.zeros([]), v)[0])(jnp.ones([2, 5]));
  assert.equal(toNumbers(vs), [5, 5]);
  // cond: both branches, under grad and vmap
  const f = (x: JArray) => lax.cond(jnp.greater(jnp.sum(x), 0), (a: JArray) => jnp.multiply(a, a), (a: JArray) => jnp.negative(a), x);
  const x = jnp.array([1, 2], { dtype: "float32" });
  assert.equal(toNumbers(grad((z: JArray) => jnp.sum(f(z)))(x) as JArray), [2, 4]);
  assert.equal(toNumbers(jit(grad((z: JArray) => jnp.sum(f(z))))(jnp.negative(x)) as JArray), [-1, -1]);
  assert.equal(toNumbers(vmap(f)(jnp.array([[1, 2], [-1, -2]], { dtype: "float32" }))), [1, 4, 1, 2]);
  assert.equal((lax.switch(2, [() => 0, () => 1, () => 2]) as JArray).item(), 2);
  // while: forward mode works, reverse raises JAX's error; foriLoop with constant bounds is reversible
  const wl = (x: JArray) => lax.whileLoop((c: JArray) => jnp.less(c, 10), (c: JArray) => jnp.multiply(c, 2), x);
  assert.equal((wl(jnp.array(1)) as JArray).item(), 16);
  assert.equal(((jvp(wl, [jnp.array(1, { dtype: "float32" })], [jnp.array(1, { dtype: "float32" })]) as JArray[])[1]).item(), 16);
  assert.throws(() => grad(wl)(1), (e: unknown) => e instanceof NotImplementedError && /Reverse-mode differentiation does not work for lax.whileLoop/.test(String(e)));
  const fl = (x: JArray) => lax.foriLoop(0, 3, (_i: JArray, c: JArray) => jnp.multiply(c, c), x);
  assert.ok(Math.abs((grad(fl)(1.1) as JArray).item() as number - 8 * 1.1 ** 7) < 1e-4);
  assert.equal(toNumbers(vmap(wl)(jnp.array([1, 3, 20]))), [16, 12, 20]);
  assert.equal((jit((n: JArray) => lax.foriLoop(0, n, (i: JArray, c: JArray) => jnp.add(c, i), jnp.array(0)))(jnp.array(5)) as JArray).item(), 10);
});

test("jitted training step equals eager", () => {
  const loss = (p: { w: JArray; b: JArray }, x: JArray, y: JArray) => jnp.mean(jnp.square(jnp.subtract(jnp.add(jnp.matmul(x, p.w), p.b), y)));
  const x = randArray([8, 3], -1, 1, "float32"), y = randArray([8, 1], -1, 1, "float32", 3);
  const p = { w: randArray([3, 1], -1, 1, "float32", 4), b: jnp.zeros([1]) };
  const [l1, g1] = valueAndGrad(loss)(p, x, y);
  const [l2, g2] = jit(valueAndGrad(loss))(p, x, y);
  assert.ok(Math.abs((l1.item() as number) - (l2.item() as number)) < 1e-6);
  assert.ok(maxRelErr(toNumbers(g1.w), toNumbers(g2.w)) < 1e-6);
});

test.run();
