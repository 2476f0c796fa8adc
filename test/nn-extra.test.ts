// jax.nn activations and dot_product_attention: values vs numpy goldens
// (test/goldens/make_nn_extra_goldens.py), gradients vs central differences, jit/vmap, errors.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import { nn, jnp, grad, jit, vmap, ValueError, ShapeError, Array as JArray } from "../src/index.js";

const G = JSON.parse(fs.readFileSync(new URL("../../test/goldens/nn_extra.json", import.meta.url), "utf8"));
const vals = (x: JArray): number[] => Array.from(x.dataSync() as ArrayLike<number>);
const f32 = (data: number[], shape: number[]) => jnp.array(Float32Array.from(data), { shape });

function close(got: number[], want: number[], rtol = 2e-6, atol = 2e-6): string | null {
  const i = got.findIndex((g, j) => !(Math.abs(g - want[j]) <= atol + rtol * Math.abs(want[j])));
  return i < 0 && got.length === want.length ? null : `[${i}] got ${got[i]} want ${want[i]} (n ${got.length}/${want.length})`;
}

const ACTS: Record<string, (x: JArray) => JArray> = {
  celu: (x) => nn.celu(x), "celu_a0.5": (x) => nn.celu(x, 0.5), selu: nn.selu, elu: (x) => nn.elu(x), elu_a2: (x) => nn.elu(x, { alpha: 2 }),
  hardTanh: nn.hardTanh, hardSigmoid: nn.hardSigmoid, hardSilu: nn.hardSilu, sparsePlus: nn.sparsePlus,
  sparseSigmoid: nn.sparseSigmoid, squareplus: (x) => nn.squareplus(x), squareplus_b1: (x) => nn.squareplus(x, 1),
  mish: nn.mish, softSign: nn.softSign, logSigmoid: nn.logSigmoid,
};

test("activations: values vs numpy (float32)", () => {
  const x = jnp.array(Float32Array.from(G.x));
  for (const [name, want] of Object.entries(G.act) as [string, number[]][]) {
    const y = ACTS[name](x);
    assert.is(y.dtype, "float32", name);
    const err = close(vals(y), want, 4e-6, 1e-6);
    assert.ok(!err, `${name}: ${err}`);
  }
  assert.is(nn.hardSwish, nn.hardSilu);
  assert.equal(vals(nn.identity([1, 2])), [1, 2]);
  const gl = nn.glu(f32(G.glu.x, G.glu.shape));
  assert.equal(gl.shape, [2, 3, 3]);
  assert.ok(!close(vals(gl), G.glu.out, 4e-6, 1e-6));
  assert.equal(nn.glu(jnp.ones([4, 2]), 0).shape, [2, 2]);
  assert.is(nn.selu(jnp.array([1, 2], { dtype: "int32" })).dtype, "float32");
});

test("activations: gradients vs central differences, JAX's values at the kinks", () => {
  const xs = [-2.5, -1.3, -0.4, 0.3, 0.9, 1.7, 3.2];
  for (const [name, f] of Object.entries(ACTS)) {
    for (const x0 of xs) {
      const g = grad((x: JArray) => f(x))(jnp.array(x0, { dtype: "float64" })).item() as number;
      const h = 1e-6, at = (v: number) => f(jnp.array(v, { dtype: "float64" })).item() as number;
      const fd = (at(x0 + h) - at(x0 - h)) / (2 * h);
      assert.ok(Math.abs(g - fd) < 1e-5 * Math.max(1, Math.abs(fd)), `${name}'(${x0}): ${g} vs ${fd}`);
    }
  }
  const d = (f: (x: JArray) => JArray, x: number) => grad(f)(jnp.array(x, { dtype: "float32" })).item();
  assert.is(d(nn.elu, 0), 1); // JAX: alpha * exp(0) from the expm1 branch
  assert.is(d(nn.hardTanh, 1), 1); // where(x > 1, ...) keeps x's derivative at 1
  assert.is(d(nn.hardSigmoid, -3), 0); // relu6's derivative is 0 at its kinks
  assert.is(d(nn.sparsePlus, 1), 1);
});

function attnArgs(c: any) {
  return {
    q: f32(c.q, c.qShape), k: f32(c.k, c.kShape), v: f32(c.v, c.kShape),
    bias: c.bias ? f32(c.bias, c.biasShape) : null,
    mask: c.mask ? jnp.array(Uint8Array.from(c.mask), { shape: c.maskShape, dtype: "bool" }) : null,
    opts: {
      scale: c.scale, isCausal: c.is_causal, localWindowSize: c.window,
      querySeqLengths: c.q_len ? jnp.array(c.q_len, { dtype: "int32" }) : undefined,
      keyValueSeqLengths: c.kv_len ? jnp.array(c.kv_len, { dtype: "int32" }) : undefined,
      returnResidual: true,
    },
  };
}

test("dotProductAttention: values and logsumexp residual vs numpy", () => {
  for (const c of G.attn) {
    const a = attnArgs(c);
    const [out, lse] = nn.dotProductAttention(a.q, a.k, a.v, a.bias, a.mask, a.opts);
    assert.equal(out.shape, c.qShape, c.name);
    assert.ok(!close(vals(out), c.out, 1e-5, 1e-5), `${c.name}: ${close(vals(out), c.out, 1e-5, 1e-5)}`);
    assert.ok(!close(vals(lse), c.lse, 1e-5, 1e-5), `${c.name} lse: ${close(vals(lse), c.lse, 1e-5, 1e-5)}`);
    const plain = nn.dotProductAttention(a.q, a.k, a.v, a.bias, a.mask, { ...a.opts, returnResidual: false });
    assert.equal(vals(plain), vals(out));
  }
});

test("dotProductAttention: 3-d inputs, options in place of bias, grad vs central differences, jit, vmap", () => {
  const c = G.attn[0];
  const a = attnArgs(c);
  const x = f32(c.q.slice(0, 4 * 2 * 8), [4, 2, 8]), k = f32(c.k.slice(0, 5 * 2 * 8), [5, 2, 8]);
  const y3 = nn.dotProductAttention(x, k, k, { isCausal: false });
  const y4 = nn.dotProductAttention(jnp.expandDims(x, 0), jnp.expandDims(k, 0), jnp.expandDims(k, 0));
  assert.equal(y3.shape, [4, 2, 8]);
  assert.equal(vals(y3), vals(y4));
  const f = (q: JArray) => jnp.sum(jnp.square(nn.dotProductAttention(q, a.k.astype("float64"), a.v.astype("float64"), null, null, { isCausal: true })));
  const q64 = a.q.astype("float64");
  const g = vals(grad(f)(q64));
  const qv = vals(q64);
  for (const i of [0, 7, 19, 40]) {
    // the softmax runs in float32 (as in JAX) even for float64 inputs: a wider step and tolerance
    const h = 1e-3, e = (d: number) => f(jnp.reshape(jnp.array(qv.map((v, j) => (j === i ? v + d : v)), { dtype: "float64" }), c.qShape)).item() as number;
    const fd = (e(h) - e(-h)) / (2 * h);
    assert.ok(Math.abs(g[i] - fd) < 2e-3 * Math.max(1, Math.abs(fd)), `dq[${i}]: ${g[i]} vs ${fd}`);
  }
  const att = (q: JArray, kk: JArray, v: JArray) => nn.dotProductAttention(q, kk, v, null, null, { isCausal: true });
  const eager = att(a.q, a.k, a.v);
  assert.ok(!close(vals(jit(att)(a.q, a.k, a.v)), vals(eager), 1e-6, 1e-6));
  const batched = vmap(att)(a.q, a.k, a.v); // over B: each item is a 3-d call
  assert.ok(!close(vals(batched), vals(eager), 1e-6, 1e-6));
});

test("errors name the op and the remedy", () => {
  const q = jnp.ones([1, 2, 3, 4]), k = jnp.ones([1, 2, 2, 4]);
  assert.throws(() => nn.dotProductAttention(q, k, k), (e: Error) => e instanceof ValueError && /multiple of key\/value heads/.test(e.message));
  assert.throws(() => nn.dotProductAttention(jnp.ones([1, 2, 2, 3]), k, k), (e: Error) => e instanceof ValueError && /query shape/.test(e.message));
  assert.throws(() => nn.dotProductAttention(k, k, k, null, jnp.ones([1, 1, 2, 2])), (e: Error) => e instanceof ValueError && /mask dtype/.test(e.message));
  assert.throws(() => nn.glu(jnp.ones([3])), (e: Error) => e instanceof ShapeError && /glu/.test(e.message));
  assert.throws(() => nn.celu(jnp.ones([3]), { beta: 1 } as never), (e: Error) => e instanceof ValueError && /celu/.test(e.message));
});

test.run();
