// nn.softmax, nn.logSoftmax and jnp.logsumexp: the fused Wasm kernel (eager float32), the staged
// composite (jit), the float64 composite and the plain-TS reference, all against numpy goldens
// (test/goldens/make_softmax_goldens.py); then kernel vs composite, threads, derivatives, vmap,
// the traced program, memory and errors.
import * as fs from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  jnp, nn, jit, grad, jvp, vmap, makeJaxpr, config, memoryStats, tidy, Array as JArray, DTypeError, ShapeError,
} from "../src/index.js";
import { ShapedArray } from "../src/core/aval.js";
import { softmax as softmaxPrim, softmaxP, SoftmaxOp } from "../src/primitives/softmax.js";
import { loadKernels } from "../src/backend/wasm/module.js";
import { randArray, toNumbers } from "./helpers.js";

interface Case { name: string; op: SoftmaxOp; axis: number | number[] | null; shape: number[]; x: (number | string)[]; want: (number | string)[] }
const cases = (JSON.parse(fs.readFileSync(new URL("../../test/goldens/softmax.json", import.meta.url), "utf8")) as { cases: Case[] }).cases;
const num = (v: number | string) => (typeof v === "number" ? v : v === "nan" ? NaN : v === "inf" ? Infinity : -Infinity);

function apply(op: SoftmaxOp, x: JArray, axis: number | number[] | null): JArray {
  if (op === "softmax") return nn.softmax(x, { axis });
  if (op === "log_softmax") return nn.logSoftmax(x, { axis });
  return jnp.logsumexp(x, { axis });
}

/** Spacing of float32 numbers at |v| (2^-149 for subnormals). */
function ulp32(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

type Tol = (op: SoftmaxOp, want: number) => number;

/**
 * float32: the log outputs within 4 ulps of max(1, |want|) (they subtract); softmax within 4 ulps
 * plus the float32 composite's own error: exp amplifies the rounding of x - max by |x - max|, about
 * |log want|, so a probability of 1e-8 is only good to ~10 ulps in JAX too.
 */
const F32: Tol = (op, w) => op === "softmax"
  ? 4 * ulp32(w) + (w === 0 ? 0 : w * (Math.abs(Math.log(w)) + 1) * 2 ** -23)
  : 4 * ulp32(Math.max(1, Math.abs(w)));
/** float64 against goldens written to 12 significant digits. */
const F64: Tol = (op, w) => 1e-11 * (op === "softmax" ? Math.abs(w) : Math.max(1, Math.abs(w))) + 1e-300;
/** The same float32 operations summed in another order: a few ulps. */
const ULPS = (n: number): Tol => (op, w) => n * ulp32(op === "softmax" ? w : Math.max(1, Math.abs(w)));

/** got vs want within `tol`, with NaN and infinities in the same places. */
function mismatch(op: SoftmaxOp, got: ArrayLike<number>, want: ArrayLike<number>, tol: Tol): string | null {
  if (got.length !== want.length) return `length ${got.length} vs ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      if (!Object.is(g, w) && !(Number.isNaN(g) && Number.isNaN(w))) return `[${i}] ${g} vs ${w}`;
      continue;
    }
    if (!(Math.abs(g - w) <= tol(op, w))) return `[${i}] ${g} vs ${w} (${(Math.abs(g - w) / ulp32(w)).toFixed(1)} ulp)`;
  }
  return null;
}

function check(label: string, f: (c: Case, x: JArray) => JArray, dtype: "float32" | "float64", tol: Tol): void {
  const bad: string[] = [];
  for (const c of cases) {
    tidy(() => {
      // The goldens are computed from the float32 inputs, also for float64.
      const x = jnp.array(Array.from(Float32Array.from(c.x.map(num))), { shape: c.shape, dtype });
      const y = f(c, x);
      assert.equal(y.dtype, dtype, c.name);
      const m = mismatch(c.op, toNumbers(y), c.want.map(num), tol);
      if (m) bad.push(`${c.name}: ${m}`);
    });
  }
  assert.equal(bad, [], `${label}: ${bad.length} cases differ:\n${bad.slice(0, 10).join("\n")}`);
}

test("goldens: eager float32 (the fused kernel)", () => {
  check("kernel", (c, x) => apply(c.op, x, c.axis), "float32", F32);
});

test("goldens: jit float32 (the staged composite)", () => {
  check("jit", (c, x) => jit((z: JArray) => apply(c.op, z, c.axis))(x), "float32", F32);
});

test("goldens: eager float64 (the composite on float64 kernels)", () => {
  check("float64", (c, x) => apply(c.op, x, c.axis), "float64", F64);
});

test("goldens: the plain-TS reference implementation", () => {
  const bad: string[] = [];
  for (const c of cases) {
    const axes = c.axis === null ? c.shape.map((_, i) => i) : (typeof c.axis === "number" ? [c.axis] : c.axis)
      .map((a) => (a + c.shape.length) % c.shape.length).sort((a, b) => a - b);
    const xa = new ShapedArray(c.shape, "float32", false);
    const [oa] = softmaxP.rules.abstractEval([xa], { op: c.op, axes, keepdims: false });
    const out = new Float32Array(oa.size);
    softmaxP.rules.reference([{ data: Float32Array.from(c.x.map(num)), aval: xa }], [{ data: out, aval: oa }], { op: c.op, axes, keepdims: false });
    const m = mismatch(c.op, out, c.want.map(num), F32);
    if (m) bad.push(`${c.name}: ${m}`);
  }
  assert.equal(bad, [], bad.join("\n"));
});

test("the kernel in the SIMD and the scalar builds, called directly (rows, columns, tails)", async () => {
  const codes: Record<SoftmaxOp, number> = { softmax: 0, log_softmax: 1, logsumexp: 2 };
  for (const variant of ["simd", "scalar"] as const) {
    const { exports: k } = await loadKernels(variant);
    const base = (k.heapBase() + 63) & ~63;
    const bad: string[] = [];
    let ran = 0;
    for (const c of cases) {
      if (c.shape.length !== 2 || (c.axis !== -1 && c.axis !== 0)) continue;
      const [r, n] = c.shape, size = r * n;
      const [outer, len, inner] = c.axis === -1 ? [r, n, 1] : [1, r, n];
      const xp = base, op = base + 4 * size + 64, wp = op + 4 * size + 64;
      new Float32Array(k.memory.buffer, xp, size).set(c.x.map(num));
      k.softmax_f32(codes[c.op], xp, op, outer, len, inner, wp);
      const got = new Float32Array(k.memory.buffer, op, c.want.length);
      const m = mismatch(c.op, got, c.want.map(num), F32);
      if (m) bad.push(`${variant} ${c.name}: ${m}`);
      ran++;
    }
    assert.ok(ran > 60, `${ran} cases`);
    assert.equal(bad, [], bad.join("\n"));
  }
});

test("kernel vs composite: within 4 ulp, NaN and inf in the same places", () => {
  const bad: string[] = [];
  // Rows spanning less than 87 take the kernel's fast exp; wider rows (and -inf entries) the general one.
  const shapes: [number[], number | number[], number][] = [[[7, 1000], -1, 20], [[64, 5], -1, 20], [[5, 3, 33], 1, 20],
    [[6, 4, 10], [0, 2], 20], [[300, 6], 0, 20], [[9, 777], -1, 70], [[40, 37], -1, 60]];
  for (const [shape, axis, range] of shapes) {
    for (const op of ["softmax", "log_softmax", "logsumexp"] as SoftmaxOp[]) {
      tidy(() => {
        const x = randArray(shape, -range, range, "float32", shape[0] + shape.length);
        const eager = toNumbers(apply(op, x, axis));
        const staged = toNumbers(jit((z: JArray) => apply(op, z, axis))(x));
        const m = mismatch(op, eager, staged, ULPS(4));
        if (m) bad.push(`${op} ${JSON.stringify(shape)} axis ${JSON.stringify(axis)}: ${m}`);
      });
    }
  }
  assert.equal(bad, [], bad.join("\n"));
});

test("threads: rows split over threads give bit-identical results", () => {
  const before = config.get("numThreads") as number;
  try {
    for (const [shape, axis] of [[[300, 257], -1], [[257, 300], 0], [[40, 2000], -1]] as [number[], number][]) {
      for (const op of ["softmax", "log_softmax", "logsumexp"] as SoftmaxOp[]) {
        tidy(() => {
          const x = randArray(shape, -10, 10, "float32", 7);
          config.update("numThreads", 1);
          const one = apply(op, x, axis).dataSync();
          config.update("numThreads", 2);
          const two = apply(op, x, axis).dataSync();
          assert.equal(Buffer.from(two.buffer), Buffer.from(one.buffer), `${op} ${JSON.stringify(shape)}`);
        });
      }
    }
  } finally {
    config.update("numThreads", before);
  }
});

test("makeJaxpr: the JAX composite, as before the kernel existed", () => {
  const text = makeJaxpr((x: JArray) => nn.softmax(x))(jnp.ones([2, 5])).toString();
  assert.equal(text, [
    "{ lambda ; a:f32[2,5]. let",
    "    b:f32[2] = reduce_max[axes=(1,)] a",
    "    c:f32[2,1] = reshape[dimensions=None new_sizes=(2, 1)] b",
    "    d:f32[2,1] = stop_gradient c",
    "    e:f32[2,5] = broadcast_in_dim[broadcast_dimensions=(0, 1) shape=(2, 5)] d",
    "    f:f32[2,5] = sub a e",
    "    g:f32[2,5] = exp f",
    "    h:f32[2] = reduce_sum[axes=(1,)] g",
    "    i:f32[2,1] = reshape[dimensions=None new_sizes=(2, 1)] h",
    "    j:f32[2,5] = broadcast_in_dim[broadcast_dimensions=(0, 1) shape=(2, 5)] i",
    "    k:f32[2,5] = div g j",
    "  in (k,) }",
  ].join("\n"));
  const lse = makeJaxpr((x: JArray) => jnp.logsumexp(x, { axis: 0 }))(jnp.ones([3, 2])).toString();
  assert.ok(/select_n/.test(lse) && /add o i/.test(lse) && !/softmax/.test(lse), lse);
});

const EPS = 1e-6;

/** Directional derivative of sum(w * f(x)) along t by central differences, in float64. */
function numeric(f: (x: JArray) => JArray, x: JArray, t: JArray, w: JArray): number {
  const at = (s: number) => toNumbers(jnp.sum(jnp.multiply(w, f(jnp.add(x, jnp.multiply(t, s))))))[0];
  return (at(EPS) - at(-EPS)) / (2 * EPS);
}

test("derivatives: jvp and grad vs central differences, every op and several axes", () => {
  for (const [shape, axis] of [[[3, 5], -1], [[4, 3], 0], [[2, 3, 4], [0, 2]], [[2, 6], null]] as [number[], number | number[] | null][]) {
    for (const op of ["softmax", "log_softmax", "logsumexp"] as SoftmaxOp[]) {
      tidy(() => {
        const f = (z: JArray) => apply(op, z, axis);
        const x = randArray(shape, -3, 3, "float64", 3), t = randArray(shape, -1, 1, "float64", 4);
        const w = randArray(f(x).shape, -1, 1, "float64", 5);
        const want = numeric(f, x, t, w);
        const [, tOut] = jvp(f, [x], [t]) as [JArray, JArray];
        const fwd = toNumbers(jnp.sum(jnp.multiply(w, tOut)))[0];
        const g = grad((z: JArray) => jnp.sum(jnp.multiply(w, f(z))))(x) as JArray;
        const rev = toNumbers(jnp.sum(jnp.multiply(g, t)))[0];
        const label = `${op} ${JSON.stringify(shape)} axis ${JSON.stringify(axis)}`;
        assert.ok(Math.abs(fwd - want) < 1e-7 * Math.max(1, Math.abs(want)), `${label} jvp ${fwd} vs ${want}`);
        assert.ok(Math.abs(rev - want) < 1e-7 * Math.max(1, Math.abs(want)), `${label} grad ${rev} vs ${want}`);
        // The float32 kernel's gradient agrees with float64.
        const g32 = grad((z: JArray) => jnp.sum(jnp.multiply(jnp.astype(w, "float32"), f(z))))(jnp.astype(x, "float32")) as JArray;
        const a = toNumbers(g32), b = toNumbers(g);
        assert.ok(a.every((v, i) => Math.abs(v - b[i]) < 1e-5), `${label} float32 grad ${a.slice(0, 4)} vs ${b.slice(0, 4)}`);
      });
    }
  }
});

test("derivatives: second order (grad of grad) vs differences of the gradient", () => {
  for (const op of ["softmax", "log_softmax", "logsumexp"] as SoftmaxOp[]) {
    tidy(() => {
      const x = randArray([2, 4], -2, 2, "float64", 8), t = randArray([2, 4], -1, 1, "float64", 9);
      const w = randArray(apply(op, x, -1).shape, -1, 1, "float64", 10);
      const s = (z: JArray) => jnp.sum(jnp.multiply(w, apply(op, z, -1)));
      const gdotT = (z: JArray) => jnp.sum(jnp.multiply(grad(s)(z) as JArray, t));
      const h = toNumbers(jnp.sum(jnp.multiply(grad(gdotT)(x) as JArray, t)))[0];
      const d = (toNumbers(gdotT(jnp.add(x, jnp.multiply(t, EPS))))[0] - toNumbers(gdotT(jnp.subtract(x, jnp.multiply(t, EPS))))[0]) / (2 * EPS);
      assert.ok(Math.abs(h - d) < 1e-6 * Math.max(1, Math.abs(d)), `${op}: ${h} vs ${d}`);
    });
  }
});

test("derivatives: masked (-inf) entries get zero gradient, never NaN", () => {
  tidy(() => {
    const x = jnp.array([[1, -Infinity, 2, 0.5], [-Infinity, 3, -Infinity, -1]], { dtype: "float32" });
    const w = jnp.array([[0.3, -1, 2, 1], [1, -0.5, 2, 0.25]], { dtype: "float32" });
    for (const op of ["softmax", "log_softmax", "logsumexp"] as SoftmaxOp[]) {
      const g = toNumbers(grad((z: JArray) => jnp.sum(jnp.multiply(op === "logsumexp" ? jnp.ones([2]) : w, apply(op, z, -1))))(x) as JArray);
      assert.ok(g.every(Number.isFinite), `${op}: ${g}`);
      if (op !== "log_softmax") assert.equal([g[1], g[4], g[6]], [0, 0, 0], `${op}: ${g}`);
    }
  });
});

test("vmap: any in_axes and axis agree with a loop (batching rule, then the kernel)", () => {
  tidy(() => {
    const x = randArray([4, 3, 5], -3, 3, "float32", 11);
    for (const op of ["softmax", "log_softmax", "logsumexp"] as SoftmaxOp[]) {
      for (const [inAxes, axis] of [[0, -1], [1, 0], [2, 1]] as [number, number][]) {
        const got = vmap((z: JArray) => apply(op, z, axis), { inAxes })(x) as JArray;
        const rows = Array.from({ length: x.shape[inAxes] }, (_, i) => apply(op, jnp.take(x, i, inAxes), axis));
        const m = mismatch(op, toNumbers(got), toNumbers(jnp.stack(rows)), ULPS(0));
        assert.equal(m, null, `${op} inAxes ${inAxes} axis ${axis}: ${m}`);
      }
    }
  });
});

test("memory: eager calls leave nothing behind (kernel, transposed axes, float64 composite)", () => {
  const x32 = randArray([6, 4, 10], -3, 3, "float32", 12), x64 = randArray([6, 4, 10], -3, 3, "float64", 12);
  for (const x of [x32, x64]) {
    for (const axis of [-1, 1, [0, 2]]) {
      for (const op of ["softmax", "log_softmax", "logsumexp"] as SoftmaxOp[]) {
        const before = memoryStats().liveBytes;
        apply(op, x, axis).dispose();
        assert.equal(memoryStats().liveBytes, before, `${op} ${x.dtype} axis ${JSON.stringify(axis)}`);
      }
    }
  }
  x32.dispose();
  x64.dispose();
});

test("errors: bad axes and non-float inputs name the op", () => {
  const x = jnp.ones([2, 3]);
  assert.throws(() => nn.softmax(x, { axis: 2 }), (e: Error) => e instanceof ShapeError && /softmax/.test(e.message));
  assert.throws(() => nn.logSoftmax(x, { axis: [1, -1] }), (e: Error) => e instanceof ShapeError && /log_softmax: repeated axis/.test(e.message));
  assert.throws(() => softmaxPrim(jnp.ones([2], { dtype: "int32" }), "logsumexp", [0]),
    (e: Error) => e instanceof DTypeError && /logsumexp: takes a floating-point array, got i32\[2\]/.test(e.message));
  // Integer inputs to the public functions are promoted, as in JAX.
  assert.equal(toNumbers(nn.softmax(jnp.array([0, 0], { dtype: "int32" }))), [0.5, 0.5]);
});

test.run();
