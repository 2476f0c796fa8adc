// tinyjax against real JAX: test/goldens/jax_conformance.json holds, per case, a Python expression,
// JAX's result for it (JAX, optax and flax on CPU; test/goldens/jax_conformance.py made the file on
// a machine with JAX) and the tinyjax expression a JAX user would write. Each case checks dtype,
// shape and values (float tolerance 1e-5 relative + 1e-6 absolute unless the case says otherwise).
// Where JAX itself raised, tinyjax must raise a typed error too.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as tj from "../src/index.js";
import { Array as JArray } from "../src/index.js";

const { jnp, lax, nn, random, optax, linen, tree, grad, vmap, jit, jacfwd, jacrev, hessian, jvp, vjp, linearize, valueAndGrad, stopGradient, checkpoint, makeJaxpr, pmap } = tj;

// TINYJAX_TEST_DEVICE=webgpu runs every case on the WebGPU backend (e.g. under Deno on a real GPU).
const device = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.TINYJAX_TEST_DEVICE;
if (device) {
  const have = await tj.init();
  if (!have.includes(device)) throw new Error(`TINYJAX_TEST_DEVICE=${device}, but this runtime has only ${have.join(", ")}`);
  tj.defaultDevice(device);
}

type Enc =
  | { dict: Record<string, Enc> }
  | { list: Enc[] }
  | { py: "number" | "bool"; data: number | boolean | string }
  | { str: string }
  | { dtype: string; shape: number[]; data: (number | boolean | string)[] };
interface Case { name: string; py: string; js: string; tol?: number; want?: Enc; raises?: string }
const file = JSON.parse(fs.readFileSync(new URL("../../test/goldens/jax_conformance.json", import.meta.url), "utf8")) as
  { about: string; inputs: Record<string, Enc & { dtype: string }>; cases: Case[] };

const num = (v: number | boolean | string): number =>
  v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : typeof v === "boolean" ? Number(v) : (v as number);

function load(e: { dtype: string; shape: number[]; data: (number | boolean | string)[] }): JArray {
  return jnp.array(e.data.map(num), { dtype: e.dtype as "float32" }).reshape(e.shape);
}
const inputs: Record<string, JArray> = {};
for (const [k, e] of Object.entries(file.inputs)) inputs[k] = load(e as { dtype: string; shape: number[]; data: number[] });
const { a, b } = inputs;

// The helpers jax_conformance.py's PRELUDE defines, written the same way.
function det(shape: readonly number[], dtype = "float32"): JArray {
  const size = shape.reduce((p, d) => p * d, 1);
  const data = Float64Array.from({ length: size }, (_, k) => Math.sin(k * 0.7 + 0.3) * 0.5);
  return jnp.array(data, { shape: [...shape], dtype: dtype as "float32" });
}
const isFloat = (d: string) => d.startsWith("float");
const detp = (t: unknown) => tree.map((x: JArray) => (isFloat(x.dtype) ? det(x.shape, x.dtype) : x), t as never);
const shapes = (t: unknown) => tree.map((x: JArray) => [...x.shape], t as never);
function steps(opt: { init: (p: unknown) => unknown; update: (g: unknown, s: unknown, p?: unknown) => [unknown, unknown] }, n = 3): unknown {
  let params: unknown = { w: a, b };
  let state = opt.init(params);
  const loss = (p: { w: JArray; b: JArray }) => jnp.sum(jnp.sin(p.w).pow(2)).add(jnp.sum(p.b.sub(1).pow(2)));
  for (let s = 0; s < n; s++) {
    const g = grad(loss as never)(params as never);
    const [updates, next] = opt.update(g, state, params);
    state = next;
    params = optax.applyUpdates(params as never, updates as never);
  }
  return params;
}
function sched(f: (s: number) => unknown, at: number[]): JArray {
  return jnp.stack(at.map((s) => jnp.asarray(f(s) as number).astype("float32")));
}

const scope: Record<string, unknown> = { ...inputs, jnp, lax, nn, random, optax, linen, tree, grad, vmap, jit, jacfwd, jacrev, hessian,
  jvp, vjp, linearize, valueAndGrad, stopGradient, checkpoint, makeJaxpr, pmap, det, detp, shapes, steps, sched };
const names = Object.keys(scope);
const evaluate = (js: string): unknown => new Function(...names, `return (${js});`)(...names.map((n) => scope[n]));

/** null when `got` matches `want`, else where and how it differs. */
async function diff(got: unknown, want: Enc, tol: number, at = "out"): Promise<string | null> {
  // Printing: JAX's str(x) is numpy's, character for character.
  if ("str" in want) return got === want.str ? null : `${at}: printed\n${String(got)}\nJAX printed\n${want.str}`;
  if ("dict" in want) {
    if (got === null || typeof got !== "object" || got instanceof JArray || Array.isArray(got)) return `${at}: want an object, got ${describe(got)}`;
    const gk = Object.keys(got as object).sort(), wk = Object.keys(want.dict).sort();
    if (gk.join() !== wk.join()) return `${at}: keys [${gk}] vs JAX's [${wk}]`;
    for (const k of wk) { const d = await diff((got as Record<string, unknown>)[k], want.dict[k], tol, `${at}.${k}`); if (d) return d; }
    return null;
  }
  if ("list" in want) {
    if (!Array.isArray(got)) return `${at}: want a sequence of ${want.list.length}, got ${describe(got)}`;
    if (got.length !== want.list.length) return `${at}: length ${got.length} vs JAX's ${want.list.length}`;
    for (let k = 0; k < got.length; k++) { const d = await diff(got[k], want.list[k], tol, `${at}[${k}]`); if (d) return d; }
    return null;
  }
  if ("py" in want) {
    const g = got instanceof JArray && got.size === 1 ? Number((await got.data())[0]) : typeof got === "boolean" ? Number(got) : got;
    if (typeof g !== "number") return `${at}: want a ${want.py}, got ${describe(got)}`;
    return close(g, num(want.data), tol) ? null : `${at}: ${g} vs JAX's ${want.data}`;
  }
  if (!(got instanceof JArray)) return `${at}: want a ${want.dtype}${JSON.stringify(want.shape)} array, got ${describe(got)}`;
  if (got.dtype !== want.dtype) return `${at}: dtype ${got.dtype} vs JAX's ${want.dtype}`;
  if (got.shape.join() !== want.shape.join()) return `${at}: shape [${got.shape}] vs JAX's [${want.shape}]`;
  const g = Array.from(await got.data() as ArrayLike<number>, Number), w = want.data.map(num);
  const bad = g.findIndex((v, k) => !close(v, w[k], tol));
  return bad < 0 ? null : `${at}: element ${bad} is ${g[bad]}, JAX's ${w[bad]} (got ${g.slice(0, 8).map((v) => +v.toPrecision(6))}, JAX ${w.slice(0, 8).map((v) => +v.toPrecision(6))})`;
}
const close = (g: number, w: number, tol: number) => Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)) || Math.abs(g - w) <= tol * Math.abs(w) + tol / 10;
function describe(x: unknown): string {
  if (x instanceof JArray) return `a ${x.dtype}[${x.shape}] array`;
  if (Array.isArray(x)) return `a JS array of ${x.length}`;
  return x === null ? "null" : typeof x;
}

test("the goldens come from real JAX", () => {
  assert.match(file.about, /jax \d+\.\d+/);
  assert.ok(file.cases.length >= 250);
});

// Where JAX raised, tinyjax must raise too: one of its typed errors (or the TypeError JAX itself
// raises, as grad of a non-scalar does), never a JS engine error such as "x is not a function".
const engineError = /is not a function|Cannot read prop|is not iterable|is not defined|is not a constructor/;
for (const c of file.cases) {
  if (!c.raises) continue;
  test(`jax raises: ${c.name}: ${c.js}`, () => {
    let result: unknown;
    try {
      result = evaluate(c.js);
    } catch (e) {
      const typed = e instanceof tj.TinyJaxError || (e instanceof TypeError && !engineError.test(e.message));
      if (!typed) assert.unreachable(`${c.js} threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}, not a typed error; JAX: ${c.raises}`);
      return;
    }
    assert.unreachable(`${c.js} returned ${describe(result)}; JAX raised ${c.raises}`);
  });
}

const hostOnly: string[] = [];
for (const c of file.cases) {
  if (!c.want) continue;
  test(`jax: ${c.name}: ${c.js}`, async () => {
    let got: unknown;
    try {
      got = evaluate(c.js);
    } catch (e) {
      // WebGPU cannot read synchronously: what needs a value on the host (a data-dependent size, an
      // index check) must raise the DeviceError that says so, and nothing else may fail.
      if (device === "webgpu" && e instanceof tj.DeviceError && /synchronously/.test(e.message)) { hostOnly.push(c.name); return; }
      assert.unreachable(`${c.js} threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}; JAX: ${c.py}`);
    }
    const d = await diff(got, c.want!, c.tol ?? 1e-5);
    if (d) assert.unreachable(`${d}\n  tinyjax: ${c.js}\n  JAX:     ${c.py}`);
  });
}

if (device === "webgpu") {
  test("webgpu: the cases that need a synchronous read are the documented few", () => {
    console.log(`jax-conformance on webgpu: ${hostOnly.length} cases need a synchronous read and raised DeviceError as documented: ${hostOnly.join(", ")}`);
    // Data-dependent sizes without a static size, index checks of mode "raise", printing (String(x)
    // reads the values) and the rejection samplers (a whileLoop whose predicate the host must read)
    // are the documented synchronous reads.
    const documented = /^(unique|nonzero|argwhere|trim_zeros|setdiff1d|setxor1d|union1d|intersect1d|ravel_multi_index|choose|compress|boolean mask index|where one argument|str |random (gamma|beta|dirichlet|poisson|binomial|ball)$)/;
    const other = hostOnly.filter((n) => !documented.test(n));
    assert.equal(other, [], `cases that could not run on webgpu without being a documented synchronous read: ${other.join(", ")}`);
  });
}

test.run();
