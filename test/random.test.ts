// random: known answers (Random123, JAX's published values), goldens from a numpy port of JAX's
// PRNG (test/goldens/make_random_goldens.py), the Wasm kernel against the reference, statistical
// sanity checks with fixed keys, and the primitives under transformations.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import { random, jnp, grad, jvp, vmap, jit, tidy, DTypeError, ShapeError, ValueError, Array as JArray } from "../src/index.js";
import { ShapedArray } from "../src/core/aval.js";
import { DType, TypedArray, typedArrayFor } from "../src/core/dtype.js";
import { HostArray, Primitive } from "../src/core/primitive.js";
import { loadKernels } from "../src/backend/wasm/module.js";
import {
  bitcastConvertType, erfInv, erfInvF32, erfInvP, fma, fma64, fmaF32, fmaP, threefry2x32, threefry2x32P, threefryHash,
} from "../src/primitives/prng.js";
import { sort, sortP } from "../src/primitives/sort.js";
import { erf as erf64 } from "../src/primitives/special.js";
import { withScheme } from "./helpers.js";

const u32 = (xs: number[] | number) => jnp.array(xs, { dtype: "uint32" });
const vals = (x: JArray): number[] => Array.from(x.dataSync() as ArrayLike<number>);
const f32Bits = (xs: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(xs).buffer));

// ---------------------------------------------------------------------------------------------
// known answers

test("threefry2x32: Random123 known answers (kernel and reference)", () => {
  const cases: [number[], number[], number[]][] = [
    [[0, 0], [0, 0], [0x6b200159, 0x99ba4efe]],
    [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x1cb996fc, 0xbb002be7]],
    [[0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3], [0xc4923a9c, 0x483df7a0]],
  ];
  for (const [k, x, want] of cases) {
    const [y1, y2] = threefry2x32(u32(k[0]), u32(k[1]), u32([x[0]]), u32([x[1]]));
    assert.equal([...vals(y1), ...vals(y2)], want);
    const out = [0, 0];
    threefryHash(k[0], k[1], x[0], x[1], out);
    assert.equal(out, want);
  }
});

test("JAX's values for the default (partitionable) scheme", () => {
  const k = random.key(0);
  assert.equal(k.toArray(), [0, 0]);
  assert.is(random.bits(k).item(), 4070199207);
  assert.equal(random.split(k).toArray(), [[1797259609, 2579123966], [928981903, 3453687069]]);
  // jax/docs/jep/9263-typed-keys.md: jax.random.uniform(key(0), shape=(3,)) printed to float32 precision
  assert.equal(f32Bits(vals(random.uniform(k, [3]))), f32Bits([0.947667, 0.9785799, 0.33229148]));
  // tests/random_test.py test_threefry_split_fold_in_symmetry
  const k72 = random.key(72);
  const s = random.split(k72, 3).toArray() as number[][];
  for (let i = 0; i < 3; i++) assert.equal(random.foldIn(k72, i).toArray(), s[i]);
});

test("JAX's values for the original scheme (tests/random_test.py)", () => {
  withScheme(false, () => {
    const k0 = random.key(0);
    assert.equal(random.bits(random.key(1701), [3]).toArray(), [56197195, 4200222568, 961309823]);
    assert.equal(random.randint(k0, [3, 3], 0, 8).toArray(), [[2, 1, 3], [6, 1, 5], [6, 3, 4]]);
    assert.equal(random.split(k0, 4).toArray(),
      [[2285895361, 1501764800], [1518642379, 4090693311], [433833334, 4221794875], [839183663, 3740430601]]);
    assert.equal(random.foldIn(k0, 4).toArray(), [2285895361, 433833334]);
    // internal_test_util/export_back_compat_test_data/cuda_threefry2x32.py: uniform(key [42, 43], (2, 4))
    const u = random.uniform(u32([42, 43]), [2, 4]);
    assert.equal(f32Bits(vals(u)), f32Bits([0.42591238, 0.076994896, 0.44370103, 0.72904015,
      0.17879379, 0.81439507, 0.0019190311, 0.68608475]));
  });
});

/** zlib.adler32, which tests/random_test.py uses to derive a seed per case. */
function adler32(str: string): number {
  let a = 1, b = 0;
  for (const ch of Buffer.from(str)) { a = (a + ch) % 65521; b = (b + a) % 65521; }
  return ((b << 16) | a) >>> 0;
}

test("JAX's tests/random_test.py _RANDOM_VALUES_CASES (original scheme, printed to 6 decimals)", () => {
  const close = (got: number[], want: number[]) =>
    got.every((g, i) => Math.abs(g - want[i]) <= 1e-6 + 1e-6 * Math.abs(want[i])); // assertAllClose for float32
  withScheme(false, () => {
    const key = (name: string) => random.key(adler32(name + "threefry2x32"));
    assert.equal(vals(random.bits(key("bits"), [5])), [1978747883, 4134381225, 3628107870, 689687174, 2788938207]);
    assert.equal(vals(random.bernoulli(key("bernoulli"), 0.5, [5])), [0, 1, 1, 1, 0]);
    assert.equal(vals(random.randint(key("randint"), [5], 0, 10)), [0, 5, 7, 7, 5]);
    const cases: [string, JArray, number[]][] = [
      ["uniform", random.uniform(key("uniform"), [5]), [0.298671, 0.073213, 0.873356, 0.260549, 0.412797]],
      ["normal", random.normal(key("normal"), [5]), [-1.173234, -1.511662, 0.070593, -0.099764, 1.052845]],
      ["exponential", random.exponential(key("exponential"), [5]), [0.526067, 0.043046, 0.039932, 0.46427, 0.123886]],
      ["gumbel", random.gumbel(key("gumbel"), [5]), [2.06701, 0.911726, 0.145736, 0.185427, -0.00711]],
      ["truncated_normal", random.truncatedNormal(key("truncated_normal"), 0, 2, [5]), [0.582807, 1.709771, 0.159513, 0.861376, 0.36148]],
    ];
    for (const [name, got, want] of cases) assert.ok(close(vals(got), want), `${name}: ${vals(got)} vs ${want}`);
  });
});

test("key: JAX's handling of negative and 64-bit seeds", () => {
  assert.equal(random.key(1).toArray(), [0, 1]);
  assert.equal(random.key(-1).toArray(), [0, 4294967295]); // x32: the low 32 bits
  assert.equal(random.key(2 ** 31 - 1 + 100).toArray(), [0, 2147483747]);
  assert.equal(random.key(-(2 ** 31) - 100).toArray(), [0, 2147483548]);
  assert.equal(random.key(-1n).toArray(), [4294967295, 4294967295]); // 64-bit seeds keep the high word
  assert.equal(random.key(BigInt(-(2 ** 31) - 100)).toArray(), [4294967295, 2147483548]);
  assert.equal(random.key(2n ** 40n + 7n).toArray(), [256, 7]);
  assert.equal(random.key(jnp.array(5, { dtype: "int32" })).toArray(), [0, 5]);
  assert.equal(random.PRNGKey(3).toArray(), [0, 3]);
});

// ---------------------------------------------------------------------------------------------
// goldens

interface Enc { dtype: DType; shape: number[]; data: any[] }
interface Case { name: string; fn: string; key: number[]; args: Record<string, any>; scheme: string; out: Enc; tol_ulp?: number }

const GOLDENS: Case[] = JSON.parse(fs.readFileSync(new URL("../../test/goldens/random.json", import.meta.url), "utf8")).cases;

function decode(e: Enc): JArray {
  if (e.dtype === "float32") return jnp.array(new Float32Array(new Uint32Array(e.data).buffer), { shape: e.shape });
  if (e.dtype === "float64") {
    const w = new Uint32Array(e.data.flatMap(([hi, lo]: number[]) => [lo, hi]));
    return jnp.array(new Float64Array(w.buffer), { shape: e.shape });
  }
  const data = e.dtype === "uint32" ? Uint32Array.from(e.data) : e.dtype === "bool" ? Uint8Array.from(e.data) : Int32Array.from(e.data);
  return jnp.array(data, { shape: e.shape });
}

const arg = (v: any) => (v && typeof v === "object" && !Array.isArray(v) && "dtype" in v ? decode(v) : v);

function run(c: Case): JArray {
  const k = u32(c.key);
  const a = Object.fromEntries(Object.entries(c.args).map(([n, v]) => [n, arg(v)]));
  switch (c.fn) {
    case "split": return random.split(k, a.num);
    case "foldIn": return random.foldIn(k, a.data);
    case "bits": return random.bits(k, a.shape);
    case "uniform": return random.uniform(k, a.shape, { minval: a.minval, maxval: a.maxval, dtype: a.dtype });
    case "normal": return random.normal(k, a.shape, { dtype: a.dtype });
    case "randint": return random.randint(k, a.shape, a.minval, a.maxval, { dtype: a.dtype });
    case "bernoulli": return random.bernoulli(k, a.p, a.shape);
    case "permutation": return random.permutation(k, a.x, { axis: a.axis, independent: a.independent });
    case "choice": return random.choice(k, a.a, a.shape, { replace: a.replace, p: a.p, axis: a.axis });
    case "gumbel": return random.gumbel(k, a.shape);
    case "exponential": return random.exponential(k, a.shape);
    case "truncatedNormal": return random.truncatedNormal(k, a.lower, a.upper, a.shape);
    case "categorical": return random.categorical(k, a.logits, { axis: a.axis, shape: a.shape, replace: a.replace });
    default: throw new Error(`unknown golden function ${c.fn}`);
  }
}

/** Words to compare: float32 bit patterns (as signed ints, so ulp distance is a difference), else values. */
function words(x: ArrayLike<number>, dtype: DType): number[] {
  if (dtype === "float32") return Array.from(new Int32Array(Float32Array.from(x).buffer));
  if (dtype === "float64") {
    const w = new Uint32Array(Float64Array.from(x).buffer);
    return Array.from({ length: w.length / 2 }, (_, i) => w[2 * i + 1] * 2 ** 32 + w[2 * i]);
  }
  return Array.from(x);
}
function expectedWords(e: Enc): number[] {
  if (e.dtype === "float32") return Array.from(new Int32Array(new Uint32Array(e.data).buffer));
  if (e.dtype === "float64") return e.data.map(([hi, lo]: number[]) => hi * 2 ** 32 + lo);
  return e.data;
}

const groups = new Map<string, Case[]>();
for (const c of GOLDENS) {
  const g = `${c.fn} (${c.scheme})`;
  groups.set(g, [...(groups.get(g) ?? []), c]);
}
for (const [g, cases] of groups) {
  test(`goldens: ${g}`, () => {
    const failures: string[] = [];
    for (const c of cases) {
      tidy(() => withScheme(c.scheme === "partitionable", () => {
        const out = run(c);
        if (out.dtype !== c.out.dtype || JSON.stringify(out.shape) !== JSON.stringify(c.out.shape)) {
          failures.push(`${c.name}: got ${out.dtype}${JSON.stringify(out.shape)}, want ${c.out.dtype}${JSON.stringify(c.out.shape)}`);
          return;
        }
        const got = words(out.dataSync() as ArrayLike<number>, out.dtype), want = expectedWords(c.out);
        const tol = c.tol_ulp ?? 0;
        const bad = got.findIndex((v, i) => Math.abs(v - want[i]) > tol);
        if (bad >= 0) failures.push(`${c.name}[${bad}]: got ${vals(out)[bad]} (word ${got[bad]}), want word ${want[bad]} (tol ${tol} ulp)`);
      }));
    }
    assert.ok(failures.length === 0, `${failures.length} of ${cases.length} cases differ:\n  ${failures.slice(0, 10).join("\n  ")}`);
  });
}

// ---------------------------------------------------------------------------------------------
// the Wasm kernel against the reference

const LENGTHS = [0, 1, 3, 4, 5, 17, 1023];

/** Deterministic uint32 test data. */
function u32Data(n: number, seed: number): Uint32Array {
  const a = new Uint32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s ^ (i * 0x9e3779b9);
  }
  return a;
}

function referenceHash(k1: ArrayLike<number>, k2: ArrayLike<number>, x1: ArrayLike<number>, x2: ArrayLike<number>, n: number): number[][] {
  const out = [0, 0], y1: number[] = [], y2: number[] = [];
  const at = (a: ArrayLike<number>, i: number) => a[a.length === 1 ? 0 : i];
  for (let i = 0; i < n; i++) {
    threefryHash(at(k1, i), at(k2, i), at(x1, i), at(x2, i), out);
    y1.push(out[0]);
    y2.push(out[1]);
  }
  return [y1, y2];
}

test("threefry2x32 kernel = reference on lengths 0..1023, broadcast and per-element keys", () => {
  for (const n of LENGTHS) {
    const x1 = u32Data(n, 1), x2 = u32Data(n, 2), k1 = u32Data(n, 3), k2 = u32Data(n, 4);
    const X1 = jnp.array(x1), X2 = jnp.array(x2);
    // rank-0 keys broadcast (the kernel's stride-0 path)
    let [y1, y2] = threefry2x32(u32(0x13198a2e), u32(0x03707344), X1, X2);
    assert.equal([vals(y1), vals(y2)], referenceHash([0x13198a2e], [0x03707344], x1, x2, n), `broadcast keys, n=${n}`);
    // per-element keys, and a rank-0 counter word
    [y1, y2] = threefry2x32(jnp.array(k1), jnp.array(k2), u32(7), X2);
    assert.equal([vals(y1), vals(y2)], referenceHash(k1, k2, [7], x2, n), `per-element keys, n=${n}`);
  }
});

test("threefry2x32: SIMD and scalar Wasm builds agree with the reference", async () => {
  for (const variant of ["simd", "scalar"] as const) {
    const { exports: k } = await loadKernels(variant);
    for (const n of LENGTHS) {
      const base = (k.heapBase() + 15) & ~15;
      const x1 = u32Data(n, 5), x2 = u32Data(n, 6);
      const mem = () => new Uint32Array(k.memory.buffer);
      const keys = base, p1 = base + 16, p2 = p1 + 4 * n + 4, o1 = p2 + 4 * n + 4, o2 = o1 + 4 * n + 4; // odd offsets: unaligned
      mem().set([42, 4242], keys >> 2);
      mem().set(x1, p1 >> 2);
      mem().set(x2, p2 >> 2);
      k.threefry2x32(keys, 0, keys + 4, 0, p1, 1, p2, 1, o1, o2, n);
      const got = [Array.from(mem().subarray(o1 >> 2, (o1 >> 2) + n)), Array.from(mem().subarray(o2 >> 2, (o2 >> 2) + n))];
      assert.equal(got, referenceHash([42], [4242], x1, x2, n), `${variant} n=${n}`);
    }
  }
});

function runReference(p: Primitive, ins: JArray[], params: object = {}): TypedArray[] {
  const avals = p.rules.abstractEval(ins.map((x) => x.aval), params);
  const host = (x: JArray): HostArray => ({ data: x.dataSync() as TypedArray, aval: x.aval });
  const outs = avals.map((a: ShapedArray) => ({ data: new (typedArrayFor(a.dtype))(a.size) as TypedArray, aval: a }));
  p.rules.reference(ins.map(host), outs, params);
  return outs.map((o) => o.data);
}

test("threefry2x32: backend result equals the primitive's reference rule", () => {
  for (const n of LENGTHS) {
    const ins = [u32(9), jnp.array(u32Data(n, 7)), u32(0), jnp.array(u32Data(n, 8))];
    const [r1, r2] = runReference(threefry2x32P, ins);
    const [y1, y2] = threefry2x32(ins[0], ins[1], ins[2], ins[3]);
    assert.equal([vals(y1), vals(y2)], [Array.from(r1), Array.from(r2)]);
  }
});

test("erf_inv and fma kernels = reference, on lengths 0..1023 and special values", () => {
  const specials = [0, -0, 1, -1, 0.5, -0.5, 0.6436, -0.6436, 0.99999994, -0.99999994, 1e-30, -1e-40, 2 ** -149, 1.5, -7,
    NaN, Infinity, -Infinity, 0.41421357, 0.9966, -0.9966];
  const sweep = Float32Array.from({ length: 20001 }, (_, i) => -1 + i / 10000);
  for (const data of [...LENGTHS.map((n) => Float32Array.from(u32Data(n, 9), (v) => v / 2 ** 31 - 1)), Float32Array.from(specials), sweep]) {
    const x = jnp.array(data);
    // Bit patterns must agree, except that any NaN matches any NaN.
    const same = (p: ArrayLike<number>, q: ArrayLike<number>) => {
      const pb = f32Bits(p), qb = f32Bits(q);
      return pb.findIndex((v, i) => v !== qb[i] && !(Number.isNaN(p[i]) && Number.isNaN(q[i])));
    };
    const got = vals(erfInv(x));
    const bad = same(got, Array.from(data, erfInvF32));
    assert.is(bad, -1, `erf_inv(${data[bad]}): kernel ${got[bad]}, reference ${erfInvF32(data[bad])}`);
    assert.is(same(got, runReference(erfInvP, [x])[0]), -1);
  }
  for (const n of LENGTHS) {
    for (const dtype of ["float32", "float64"] as const) {
      const mk = (seed: number) => Float64Array.from(u32Data(n, seed), (v) => (v / 2 ** 32 - 0.5) * 2 ** ((v % 13) - 6));
      const a = jnp.array(mk(1), { dtype }), b = jnp.array(mk(2), { dtype }), cc = jnp.array(mk(3), { dtype });
      const [want] = runReference(fmaP, [a, b, cc]);
      assert.equal(vals(fma(a, b, cc)), Array.from(want), `fma ${dtype} n=${n}`);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// statistical sanity (fixed keys, thresholds far in the tails)

function moments(xs: ArrayLike<number>): { mean: number; variance: number; skew: number; kurt: number } {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i];
  m /= n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i] - m;
    m2 += d * d; m3 += d * d * d; m4 += d * d * d * d;
  }
  m2 /= n; m3 /= n; m4 /= n;
  return { mean: m, variance: m2, skew: m3 / m2 ** 1.5, kurt: m4 / (m2 * m2) - 3 };
}

/** Kolmogorov-Smirnov statistic of samples against a CDF. */
function ks(xs: ArrayLike<number>, cdf: (x: number) => number): number {
  const s = Float64Array.from(xs).sort();
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const f = cdf(s[i]);
    d = Math.max(d, (i + 1) / s.length - f, f - i / s.length);
  }
  return d;
}
const KS_CRIT = (n: number) => 1.95 / Math.sqrt(n); // alpha = 0.001

/** Pearson's chi-square statistic of counts against expected probabilities. */
function chiSquare(counts: number[], probs: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.reduce((s, c, i) => s + (c - n * probs[i]) ** 2 / (n * probs[i]), 0);
}
/** Chi-square critical value at alpha ~ 1e-4 (Wilson-Hilferty, z = 3.72). */
const CHI_CRIT = (df: number) => df * (1 - 2 / (9 * df) + 3.72 * Math.sqrt(2 / (9 * df))) ** 3;

const PHI = (x: number) => 0.5 * (1 + erf64(x / Math.SQRT2));
const N = 100_000;

test("uniform: moments, chi-square and KS", () => {
  tidy(() => {
    const xs = vals(random.uniform(random.key(11), [N]));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const m = moments(xs);
    assert.ok(Math.abs(m.mean - 0.5) < 5 * Math.sqrt(1 / 12 / N), `mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - 1 / 12) < 0.003, `variance ${m.variance}`);
    const counts = new Array(50).fill(0);
    for (const x of xs) counts[Math.floor(x * 50)]++;
    const chi = chiSquare(counts, counts.map(() => 1 / 50));
    assert.ok(chi < CHI_CRIT(49), `chi-square ${chi}`);
    assert.ok(ks(xs, (x) => Math.min(1, Math.max(0, x))) < KS_CRIT(N));
    const ys = vals(random.uniform(random.key(12), [1000], { minval: -3, maxval: 5 }));
    assert.ok(ys.every((y) => y >= -3 && y < 5) && Math.abs(moments(ys).mean - 1) < 0.3);
  });
});

test("normal: moments and KS against Phi (float32 and float64)", () => {
  tidy(() => {
    const xs = vals(random.normal(random.key(21), [N]));
    const m = moments(xs);
    assert.ok(Math.abs(m.mean) < 5 / Math.sqrt(N), `mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - 1) < 5 * Math.sqrt(2 / N), `variance ${m.variance}`);
    assert.ok(Math.abs(m.skew) < 0.05 && Math.abs(m.kurt) < 0.1, `skew ${m.skew} kurtosis ${m.kurt}`);
    assert.ok(ks(xs, PHI) < KS_CRIT(N), `KS ${ks(xs, PHI)}`);
    const ys = random.normal(random.key(22), [20_000], { dtype: "float64" });
    assert.is(ys.dtype, "float64");
    const y = vals(ys);
    assert.ok(ks(y, PHI) < KS_CRIT(y.length));
    // float64 draws use all 52 mantissa bits: most are not float32 values.
    assert.ok(y.filter((v) => Math.fround(v) !== v).length > y.length * 0.99);
  });
});

test("randint, bernoulli, choice and categorical frequencies", () => {
  tidy(() => {
    const r = vals(random.randint(random.key(31), [N], -3, 7));
    const counts = new Array(10).fill(0);
    for (const v of r) counts[v + 3]++;
    assert.ok(chiSquare(counts, counts.map(() => 0.1)) < CHI_CRIT(9));
    const b = vals(random.bernoulli(random.key(32), 0.3, [N]));
    const p = b.reduce((s, v) => s + v, 0) / N;
    assert.ok(Math.abs(p - 0.3) < 5 * Math.sqrt(0.21 / N), `bernoulli ${p}`);
    const probs = [0.1, 0.2, 0.3, 0.4];
    const ch = vals(random.choice(random.key(33), 4, [20_000], { p: probs }));
    const cc = [0, 0, 0, 0];
    for (const v of ch) cc[v]++;
    assert.ok(chiSquare(cc, probs) < CHI_CRIT(3), `choice ${cc}`);
    const logits = [1, 0, -1, 2.5];
    const z = logits.reduce((s, l) => s + Math.exp(l), 0);
    const cat = vals(random.categorical(random.key(34), jnp.array(logits, { dtype: "float32" }), { shape: [20_000] }));
    const kc = [0, 0, 0, 0];
    for (const v of cat) kc[v]++;
    assert.ok(chiSquare(kc, logits.map((l) => Math.exp(l) / z)) < CHI_CRIT(3), `categorical ${kc}`);
  });
});

test("exponential, gumbel and truncatedNormal distributions", () => {
  tidy(() => {
    const e = vals(random.exponential(random.key(41), [N]));
    assert.ok(ks(e, (x) => 1 - Math.exp(-x)) < KS_CRIT(N));
    const g = vals(random.gumbel(random.key(42), [N]));
    assert.ok(ks(g, (x) => Math.exp(-Math.exp(-x))) < KS_CRIT(N));
    const m = moments(g);
    assert.ok(Math.abs(m.mean - 0.5772156649) < 0.02 && Math.abs(m.variance - Math.PI ** 2 / 6) < 0.05);
    const [lo, hi] = [-1, 2];
    const t = vals(random.truncatedNormal(random.key(43), lo, hi, [N]));
    assert.ok(t.every((v) => v > lo && v < hi));
    const mass = PHI(hi) - PHI(lo);
    assert.ok(ks(t, (x) => (PHI(x) - PHI(lo)) / mass) < KS_CRIT(N));
  });
});

test("permutation: a permutation, with uniform positions over many keys", () => {
  tidy(() => {
    const n = 5, trials = 2000;
    const keys = random.split(random.key(51), trials).toArray() as number[][];
    const pos = Array.from({ length: n }, () => new Array(n).fill(0));
    for (const k of keys) {
      const p = vals(random.permutation(u32(k), n));
      assert.equal([...p].sort(), [0, 1, 2, 3, 4]);
      p.forEach((v, i) => pos[v][i]++);
    }
    const flat = pos.flat();
    assert.ok(chiSquare(flat, flat.map(() => 1 / flat.length)) < CHI_CRIT(flat.length - 1), `${flat}`);
    const big = vals(random.permutation(random.key(52), 3000)); // two sort rounds
    assert.equal(Float64Array.from(big).sort(), Float64Array.from({ length: 3000 }, (_, i) => i));
  });
});

test("split streams are uncorrelated", () => {
  tidy(() => {
    const [a, b] = (random.split(random.key(61)).toArray() as number[][]).map(u32);
    const x = vals(random.normal(a, [N])), y = vals(random.normal(b, [N]));
    const r = x.reduce((s, v, i) => s + v * y[i], 0) / N;
    assert.ok(Math.abs(r) < 5 / Math.sqrt(N), `correlation ${r}`);
  });
});

// ---------------------------------------------------------------------------------------------
// the float primitives

test("erf_inv: accuracy, special values, float64", () => {
  // High-precision inverse by Newton's method on the double erf.
  const inv = (y: number) => {
    let x = 0;
    for (let i = 0; i < 100; i++) {
      const dx = (erf64(x) - y) / (2 / Math.sqrt(Math.PI) * Math.exp(-x * x));
      x -= dx;
      if (Math.abs(dx) < 1e-17 * Math.max(1, Math.abs(x))) break;
    }
    return x;
  };
  const ulp32 = (x: number) => { const a = Math.abs(Math.fround(x)); return Math.fround(a * (1 + 2 ** -23)) - a || 2 ** -149; };
  for (let y = -0.99999; y < 1; y += 0.0137) {
    const yf = Math.fround(y);
    const got = erfInvF32(yf), want = inv(yf);
    assert.ok(Math.abs(got - want) <= 4 * ulp32(want), `erfinv(${yf}) = ${got}, want ${want}`);
    // The Newton reference is only as good as erf64 allows: its 1e-16 error grows by 1/erf'(x) near +-1.
    const g64 = vals(erfInv(jnp.array([y], { dtype: "float64" })))[0], w64 = inv(y);
    const tol = 1e-14 * Math.abs(w64) + 4e-16 / (2 / Math.sqrt(Math.PI) * Math.exp(-w64 * w64));
    assert.ok(Math.abs(g64 - w64) <= tol, `f64 erfinv(${y}) = ${g64}, want ${w64}`);
  }
  assert.equal(vals(erfInv(jnp.array([1, -1, 0, 1.5, NaN], { dtype: "float32" }))), [Infinity, -Infinity, 0, NaN, NaN]);
});

test("erf_inv: JVP and grad are sqrt(pi)/2 exp(erfinv(x)^2)", () => {
  for (const x of [-0.7, 0, 0.3, 0.95]) {
    const g = grad((z: JArray) => erfInv(z))(jnp.array(x, { dtype: "float64" })) as JArray;
    const want = (Math.sqrt(Math.PI) / 2) * Math.exp(erfInvF32(x) ** 2);
    assert.ok(Math.abs(g.item() as number - want) < 1e-5 * want, `grad at ${x}: ${g.item()} vs ${want}`);
  }
});

/** Exact a*b+c rounded to float32 or float64, with BigInt arithmetic. */
function exactFma(a: number, b: number, c: number, mant: number): number {
  const parts = (x: number): [bigint, number] => {
    const w = new BigUint64Array(new Float64Array([x]).buffer)[0];
    const s = w >> 63n ? -1n : 1n, e = Number((w >> 52n) & 0x7ffn), f = w & ((1n << 52n) - 1n);
    return e === 0 ? [s * f, -1074] : [s * (f | (1n << 52n)), e - 1075];
  };
  const [ma, ea] = parts(a), [mb, eb] = parts(b), [mc, ec] = parts(c);
  const e = Math.min(ea + eb, ec);
  let m = ma * mb * (1n << BigInt(ea + eb - e)) + mc * (1n << BigInt(ec - e));
  if (m === 0n) return 0;
  const neg = m < 0n;
  if (neg) m = -m;
  let ex = e;
  const extra = m.toString(2).length - mant;
  if (extra > 0) {
    const sh = BigInt(extra), rem = m & ((1n << sh) - 1n), half = 1n << (sh - 1n);
    m >>= sh;
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
    ex += extra;
  }
  const v = Number(m) * 2 ** ex;
  return neg ? -v : v;
}

test("fma: one rounding in float32 and float64", () => {
  // a*b + c lands, in double, exactly halfway between two float32s: a double rounding would tie to even.
  const a = 1 + 2 ** -12;
  assert.is(fmaF32(a, a, 2 ** -60), Math.fround(1 + 2 ** -11 + 2 ** -23));
  assert.is(exactFma(a, a, 2 ** -60, 24), 1 + 2 ** -11 + 2 ** -23);
  let s = 12345;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5;
  for (let i = 0; i < 20000; i++) {
    const x = rnd() * 2 ** Math.round(rnd() * 20), y = rnd() * 2 ** Math.round(rnd() * 20), z = rnd() * 2 ** Math.round(rnd() * 40);
    assert.is(fma64(x, y, z), exactFma(x, y, z, 53));
    const [xf, yf, zf] = [Math.fround(x), Math.fround(y), Math.fround(z)];
    assert.is(fmaF32(xf, yf, zf), exactFma(xf, yf, zf, 24));
  }
  const r = fma(jnp.array([a], { dtype: "float32" }), jnp.array([a], { dtype: "float32" }), jnp.array([2 ** -60], { dtype: "float32" }));
  assert.equal(vals(r), [Math.fround(1 + 2 ** -11 + 2 ** -23)]);
});

test("bitcast_convert_type: same width and paired words", () => {
  assert.equal(vals(bitcastConvertType(jnp.array([1, -2, 0.5], { dtype: "float32" }), "uint32")), [0x3f800000, 0xc0000000, 0x3f000000]);
  assert.equal(vals(bitcastConvertType(u32([0x3f800000, 0x7f800000]), "float32")), [1, Infinity]);
  const w = bitcastConvertType(jnp.array([1, -0.5], { dtype: "float64" }), "uint32");
  assert.equal(w.toArray(), [[0, 0x3ff00000], [0, 0xbfe00000]]);
  assert.equal(vals(bitcastConvertType(w, "float64")), [1, -0.5]);
  assert.throws(() => bitcastConvertType(u32([1, 2, 3]), "float64"), (e: unknown) => e instanceof ShapeError);
});

test("sort: stable, NaN last, -0 equal to 0, several operands, any axis", () => {
  const x = jnp.array([3, NaN, -0, 1, 0, -Infinity, 1, NaN], { dtype: "float32" });
  const [k, v] = sort([x, jnp.arange(8)]);
  assert.equal(vals(v), [5, 2, 4, 3, 6, 0, 1, 7]);
  assert.equal(vals(k).slice(0, 7), [-Infinity, -0, 0, 1, 1, 3, NaN]);
  const m = jnp.array([[3, 1], [1, 2], [2, 0]], { dtype: "int32" });
  assert.equal(sort([m], 0)[0].toArray(), [[1, 0], [2, 1], [3, 2]]);
  // Two keys: the second breaks ties of the first.
  const [a, b, c] = sort([u32([2, 1, 2, 1]), u32([9, 8, 7, 8]), jnp.arange(4)], -1, 2);
  assert.equal([vals(a), vals(b), vals(c)], [[1, 1, 2, 2], [8, 8, 7, 9], [1, 3, 2, 0]]);
  const f64 = sort([jnp.array([0.5, -1, 2], { dtype: "float64" })])[0];
  assert.equal(vals(f64), [-1, 0.5, 2]);
  assert.equal(runReference(sortP, [x], { dimension: 0, numKeys: 1 })[0].length, 8);
});

// ---------------------------------------------------------------------------------------------
// transformations

test("vmap(random.normal) over split keys equals drawing with each key", () => {
  const keys = random.split(random.key(7), 8);
  const batched = vmap((k: JArray) => random.normal(k, [3]))(keys) as JArray;
  const rows = (keys.toArray() as number[][]).map((k) => vals(random.normal(u32(k), [3])));
  assert.equal(batched.toArray(), rows);
  const ks = vmap((d: JArray) => random.foldIn(random.key(72), d))(jnp.arange(3)) as JArray;
  assert.equal(ks.toArray(), random.split(random.key(72), 3).toArray());
  const perms = vmap((k: JArray) => random.permutation(k, 6))(random.split(random.key(8), 4)) as JArray;
  const loop = (random.split(random.key(8), 4).toArray() as number[][]).map((k) => vals(random.permutation(u32(k), 6)));
  assert.equal(perms.toArray(), loop);
});

test("jit(random.*) equals eager", () => {
  const f = jit((k: JArray) => [random.normal(k, [5]), random.randint(k, [4], 0, 100), random.split(k, 2)]);
  const k = random.key(5);
  const [n, r, s] = f(k) as JArray[];
  assert.equal(vals(n), vals(random.normal(k, [5])));
  assert.equal(vals(r), vals(random.randint(k, [4], 0, 100)));
  assert.equal(s.toArray(), random.split(k, 2).toArray());
});

test("grad: keys have zero derivative; uniform is differentiable in minval and maxval", () => {
  const k = random.key(9);
  const f = vals(random.uniform(k, [4]));
  const dmin = grad((m: JArray) => jnp.sum(random.uniform(k, [4], { minval: m, maxval: 3 })))(jnp.array(0.5)) as JArray;
  assert.ok(Math.abs((dmin.item() as number) - f.reduce((s, v) => s + 1 - v, 0)) < 1e-5);
  const dmax = grad((m: JArray) => jnp.sum(random.uniform(k, [4], { minval: 0.5, maxval: m })))(jnp.array(3, { dtype: "float32" })) as JArray;
  assert.ok(Math.abs((dmax.item() as number) - f.reduce((s, v) => s + v, 0)) < 1e-5);
  const [, t] = jvp((x: JArray) => jnp.multiply(random.normal(k, [2]), x), [jnp.array(2, { dtype: "float32" })], [jnp.array(1, { dtype: "float32" })]) as [JArray, JArray];
  assert.equal(vals(t), vals(random.normal(k, [2])));
  const [, tb] = jvp((a: JArray) => threefry2x32(a, a, a, a)[0], [u32(1)], [u32(0)]) as [JArray, JArray];
  assert.is(tb.dtype, "uint32");
});

// ---------------------------------------------------------------------------------------------
// errors

test("errors name the op and the remedy", () => {
  assert.throws(() => random.split(jnp.array([0, 1])), (e: unknown) => e instanceof DTypeError && /uint32/.test((e as Error).message));
  assert.throws(() => random.split(random.split(random.key(0))), (e: unknown) => e instanceof ShapeError && /vmap/.test((e as Error).message));
  assert.throws(() => random.uniform(random.key(0), [2], { dtype: "int32" }), (e: unknown) => e instanceof DTypeError);
  assert.throws(() => random.bits(random.key(0), [2], { dtype: "int32" }), (e: unknown) => e instanceof DTypeError);
  assert.throws(() => random.choice(random.key(0), 3, [5], { replace: false }), (e: unknown) => e instanceof ValueError);
  assert.throws(() => random.normal(random.key(0), [-1]), (e: unknown) => e instanceof ShapeError);
  assert.throws(() => random.randint(random.key(0), [2], [0, 1, 2], 5), (e: unknown) => e instanceof ValueError);
  assert.throws(() => threefry2x32(u32([1, 2]), u32(0), u32([1, 2, 3]), u32(0)), (e: unknown) => e instanceof ShapeError);
  assert.throws(() => random.key(1.5), (e: unknown) => e instanceof DTypeError);
});

test.run();
