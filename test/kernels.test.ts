// The Wasm kernels against the plain-TS reference implementations of their primitives, per kernel
// family: lengths 0, 1, 3, 4, 5, 17, 1023 (SIMD bodies and every tail), special values, and
// non-contiguous inputs (transposed, sliced, broadcast) made through the public API. Exact ops must
// match bit for bit; transcendentals within 2 ulp of the correctly rounded result; sums and matmuls
// within a bound on their rounding error.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { jnp, lax, tidy } from "../src/index.js";
import type { Array as JaxArray } from "../src/index.js";
import { ShapedArray } from "../src/core/aval.js";
import type { ConcreteArray } from "../src/core/array.js";
import type { Primitive } from "../src/core/primitive.js";
import { erfP, expP, logisticP, logP, sqrtP, tanhP } from "../src/primitives/math.js";
import { absP, addP, ceilP, divP, floorP, maxP, minP, mulP, negP, roundP, squareP, subP } from "../src/primitives/arith.js";
import { reduceMaxP, reduceMinP, reduceProdP } from "../src/primitives/reduce.js";
import { dotGeneralP } from "../src/primitives/linalg.js";
import { wasm } from "../src/backend/registry.js";
import { MAX_BYTES, packedB } from "../src/backend/wasm/packed-b.js";
import { memoryStats, config } from "../src/index.js";
import { loadKernels } from "../src/backend/wasm/module.js";
import * as O from "../assembly/kernels/opcodes.js";

const LENGTHS = [0, 1, 3, 4, 5, 17, 1023];

// ---------------------------------------------------------------- helpers

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uniform(n: number, lo: number, hi: number, seed = n + 1): Float32Array {
  const r = rng(seed);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = lo + (hi - lo) * r();
  return d;
}

/** Values that break careless kernels: NaN, infinities, signed zeros, subnormals, extremes, branch points. */
const SPECIAL = [
  NaN, Infinity, -Infinity, 0, -0, 1.4e-45, -1.4e-45, 1e-40, -1e-40, 1.1754942e-38, 1.17549435e-38,
  3.4028235e38, -3.4028235e38, 1e30, -1e30, 1, -1, 0.5, -0.5, 2, 1e-8, -1e-8, 88.72283, 88.7229, 89, 100,
  -87.33655, -87.4, -103.97, -104, -150, 0.625, -0.625, 0.6249, 1.0000001, 0.99999994, 3.92, 4, -4, 9.01, 10,
  -10, 0.70710677, 0.7071068, 1.4142135, 0.6931472, 2.5, -2.5, 1.5, -1.5, 0.49999997, 8388609, -8388609,
];

/** Values spread over every binade, both signs: random float32 bit patterns (NaNs included). */
function randomBits(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const u = new Uint32Array(n);
  for (let i = 0; i < n; i++) u[i] = Math.floor(r() * 4294967296) >>> 0;
  return new Float32Array(u.buffer);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function ord(x: number): number {
  f32[0] = x;
  const b = u32[0];
  return b & 0x80000000 ? -(b & 0x7fffffff) : b;
}

/** Distance in float32 ulps (NaN to NaN is 0, NaN to a number is infinite, -0 to +0 is 0). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  return Math.abs(ord(a) - ord(b));
}

/** Runs a primitive's plain-TS reference on host data. */
function reference(prim: Primitive, ins: { data: Float32Array; shape: number[] }[], outShape: number[], params: object = {}): Float32Array {
  const out = new Float32Array(outShape.reduce((a, b) => a * b, 1));
  prim.rules.reference(
    ins.map((x) => ({ data: x.data, aval: new ShapedArray(x.shape, "float32") })),
    [{ data: out, aval: new ShapedArray(outShape, "float32") }],
    params as never,
  );
  return out;
}

function arr(data: Float32Array, shape: number[] = [data.length]): JaxArray {
  return jnp.array(data, { shape });
}

/** `got` must equal `want` elementwise within `maxUlps` (0: identical, with the sign of zero). */
function assertUlps(got: ArrayLike<number>, want: ArrayLike<number>, maxUlps: number, what: string, inputs?: ArrayLike<number>[]): void {
  assert.is(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const d = ulps(got[i], want[i]);
    const signOk = maxUlps > 0 || Number.isNaN(want[i]) || Object.is(got[i], want[i]) || got[i] === want[i] && want[i] !== 0;
    if (d > maxUlps || !signOk) {
      const x = inputs ? ` for input ${inputs.map((v) => v[i]).join(", ")}` : "";
      assert.unreachable(`${what}: element ${i} is ${got[i]}, reference ${want[i]} (${d} ulp)${x}`);
    }
  }
}

/** Host transpose of a row-major [r, c] matrix. */
function transpose2(x: Float32Array, r: number, c: number): Float32Array {
  const t = new Float32Array(x.length);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = x[i * c + j];
  return t;
}

// ---------------------------------------------------------------- unary float32

const transcendental: [string, Primitive, (x: JaxArray) => JaxArray][] = [
  ["exp", expP, jnp.exp], ["log", logP, jnp.log], ["tanh", tanhP, jnp.tanh], ["erf", erfP, jnp.erf],
  ["logistic", logisticP, lax.logistic],
];
const exactUnary: [string, Primitive, (x: JaxArray) => JaxArray][] = [
  ["neg", negP, jnp.negative], ["abs", absP, jnp.abs], ["floor", floorP, jnp.floor], ["ceil", ceilP, jnp.ceil],
  ["round", roundP, jnp.round], ["sqrt", sqrtP, jnp.sqrt], ["square", squareP, jnp.square],
];

for (const [name, prim, f] of [...transcendental, ...exactUnary]) {
  const tol = transcendental.some(([n]) => n === name) ? 2 : 0;
  test(`unary ${name}: lengths ${LENGTHS.join(", ")}, special values (${tol ? "<= 2 ulp" : "exact"})`, () => {
    for (const n of LENGTHS) {
      const x = uniform(n, -6, 6);
      for (let i = 0; i < n; i++) if (i % 3 === 1) x[i] = SPECIAL[(i * 7) % SPECIAL.length];
      const got = tidy(() => f(arr(x)).dataSync());
      assertUlps(got, reference(prim, [{ data: x, shape: [n] }], [n]), tol, `${name} n=${n}`, [x]);
    }
    const s = Float32Array.from(SPECIAL);
    const got = tidy(() => f(arr(s)).dataSync());
    assertUlps(got, reference(prim, [{ data: s, shape: [s.length] }], [s.length]), tol, `${name} special`, [s]);
  });
}

for (const [name, prim, f] of transcendental) {
  test(`unary ${name}: 2^18 random float32 bit patterns within 2 ulp`, () => {
    const n = 1 << 18;
    const x = randomBits(n, 99);
    const got = tidy(() => f(arr(x)).dataSync());
    assertUlps(got, reference(prim, [{ data: x, shape: [n] }], [n]), 2, `${name} random bits`, [x]);
  });
}

test("unary: a value gives the same result wherever it sits (SIMD body or tail)", () => {
  for (const [name, , f] of transcendental) {
    for (const v of [0.3, -2.7, 1e-40, 77.7]) {
      const x = new Float32Array(1023).fill(v);
      const got = tidy(() => f(arr(x)).dataSync());
      for (let i = 1; i < got.length; i++) assert.ok(Object.is(got[i], got[0]), `${name}(${v}) differs at ${i}`);
    }
  }
});

test("unary on transposed, sliced and broadcast inputs", () => {
  const r = 17, c = 33;
  const x = uniform(r * c, -3, 3, 5);
  for (const [name, prim, f] of transcendental) {
    tidy(() => {
      const a = arr(x, [r, c]);
      const t = f(jnp.transpose(a)).dataSync();
      assertUlps(t, reference(prim, [{ data: transpose2(x, r, c), shape: [c, r] }], [c, r]), 2, `${name}(x.T)`);
      // Every other column of rows 1..: a strided slice.
      const s = f(lax.slice(a, [1, 0], [r, c], [1, 2])).dataSync();
      const host = new Float32Array((r - 1) * Math.ceil(c / 2));
      let k = 0;
      for (let i = 1; i < r; i++) for (let j = 0; j < c; j += 2) host[k++] = x[i * c + j];
      assertUlps(s, reference(prim, [{ data: host, shape: [host.length] }], [host.length]), 2, `${name}(x[1:, ::2])`);
      // A row broadcast down 5 rows.
      const row = x.subarray(0, c);
      const b = f(jnp.broadcastTo(arr(Float32Array.from(row)), [5, c])).dataSync();
      const hostB = new Float32Array(5 * c);
      for (let i = 0; i < 5; i++) hostB.set(row, i * c);
      assertUlps(b, reference(prim, [{ data: hostB, shape: [5 * c] }], [5 * c]), 2, `${name}(broadcast)`);
    });
  }
});

// ---------------------------------------------------------------- binary float32

const binaryOps: [string, Primitive, (a: JaxArray, b: JaxArray) => JaxArray, number][] = [
  ["add", addP, jnp.add, O.ADD], ["sub", subP, jnp.subtract, O.SUB], ["mul", mulP, jnp.multiply, O.MUL],
  ["div", divP, jnp.divide, O.DIV], ["max", maxP, jnp.maximum, O.MAX], ["min", minP, jnp.minimum, O.MIN],
];

for (const [name, prim, f, op] of binaryOps) {
  test(`binary ${name}: lengths, special values, scalar operands (exact)`, () => {
    for (const n of LENGTHS) {
      const a = uniform(n, -5, 5, n + 11), b = uniform(n, -5, 5, n + 23);
      for (let i = 0; i < n; i++) {
        if (i % 4 === 1) a[i] = SPECIAL[(i * 5) % SPECIAL.length];
        if (i % 5 === 2) b[i] = SPECIAL[(i * 3) % SPECIAL.length];
      }
      const got = tidy(() => f(arr(a), arr(b)).dataSync());
      assertUlps(got, reference(prim, [{ data: a, shape: [n] }, { data: b, shape: [n] }], [n]), 0, `${name} n=${n}`, [a, b]);
      // The kernel's broadcast-scalar paths (stride 0 on either side), called directly.
      for (const side of [0, 1]) {
        const s = new Float32Array([side ? -1.5 : 2.25]);
        const full = side ? a : b;
        const pa = wasm.alloc(4 * Math.max(n, 1)), pb = wasm.alloc(4 * Math.max(n, 1)), po = wasm.alloc(4 * Math.max(n, 1));
        try {
          wasm.write(pa, side ? full : s);
          wasm.write(pb, side ? s : full);
          wasm.k.binary_f32(op, pa.handle, side ? 1 : 0, pb.handle, side ? 0 : 1, po.handle, n);
          const out = new Float32Array(wasm.k.memory.buffer, po.handle, n).slice();
          const sb = new Float32Array(n).fill(s[0]);
          const want = reference(prim, side ? [{ data: full, shape: [n] }, { data: sb, shape: [n] }] : [{ data: sb, shape: [n] }, { data: full, shape: [n] }], [n]);
          assertUlps(out, want, 0, `${name} n=${n} with a scalar ${side ? "rhs" : "lhs"}`);
        } finally {
          wasm.free(pa); wasm.free(pb); wasm.free(po);
        }
      }
    }
  });
}

test("binary on transposed and broadcast operands", () => {
  const r = 5, c = 17;
  const x = uniform(r * c, -2, 2, 1), y = uniform(c, -2, 2, 2);
  for (const [name, prim, f] of binaryOps) {
    const got = tidy(() => f(jnp.transpose(arr(x, [r, c])), jnp.reshape(arr(y), [c, 1])).dataSync());
    const xt = transpose2(x, r, c), yb = new Float32Array(r * c);
    for (let j = 0; j < c; j++) yb.fill(y[j], j * r, (j + 1) * r);
    assertUlps(got, reference(prim, [{ data: xt, shape: [c * r] }, { data: yb, shape: [c * r] }], [c * r]), 0, `${name}(x.T, y[:, None])`);
  }
});

// ---------------------------------------------------------------- reductions

/** float64 sum of x[o, r, i] over r, and of |x|, for a reduction's error bound. */
function sumRef(x: Float32Array, outer: number, len: number, inner: number): { sum: Float64Array; abs: Float64Array } {
  const sum = new Float64Array(outer * inner), abs = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < len; r++) {
      for (let i = 0; i < inner; i++) {
        const v = x[(o * len + r) * inner + i];
        sum[o * inner + i] += v;
        abs[o * inner + i] += Math.abs(v);
      }
    }
  }
  return { sum, abs };
}

function assertSum(got: ArrayLike<number>, x: Float32Array, outer: number, len: number, inner: number, what: string): void {
  const { sum, abs } = sumRef(x, outer, len, inner);
  // Pairwise summation: error below ~log2(len) roundings of the running magnitude.
  const bound = (Math.log2(Math.max(len, 2)) + 2) * 2 ** -24;
  for (let i = 0; i < sum.length; i++) {
    const err = Math.abs(got[i] - sum[i]);
    if (!(err <= bound * abs[i] + 1e-30)) assert.unreachable(`${what}: element ${i} is ${got[i]}, exact sum ${sum[i]} (error ${err}, bound ${bound * abs[i]})`);
  }
}

const SHAPES: number[][] = [...LENGTHS.filter((n) => n > 0).map((n) => [n]), [17, 33], [4, 1023], [1023, 5], [3, 5, 7], [5, 17, 3], [300, 70]];

test("reduce sum over every axis (and axis pairs) within the pairwise error bound", () => {
  for (const shape of SHAPES) {
    const size = shape.reduce((a, b) => a * b, 1);
    const x = uniform(size, -1, 1, size);
    const nd = shape.length;
    const axesList: number[][] = [...Array(nd).keys()].map((a) => [a]);
    if (nd === 3) axesList.push([0, 2], [0, 1], [1, 2], [0, 1, 2]);
    for (const axes of axesList) {
      const got = tidy(() => jnp.sum(arr(x, shape), { axis: axes }).dataSync());
      // Move the reduced axes to the middle of an (outer, len, inner) host view by transposing on the host.
      const kept = [...Array(nd).keys()].filter((a) => !axes.includes(a));
      const perm = [...kept, ...axes];
      const moved = tidy(() => jnp.transpose(arr(x, shape), perm).dataSync()) as Float32Array;
      const len = axes.reduce((a, d) => a * shape[d], 1);
      assertSum(got, moved, size / len, len, 1, `sum ${JSON.stringify(shape)} axes ${axes}`);
    }
  }
});

test("reduce sum: long rows and long columns stay accurate (pairwise, not a running sum)", () => {
  // 2^20 copies of 0.1 then one large value: a naive float32 running sum is off by ~1%.
  const n = 1 << 20;
  const x = new Float32Array(n).fill(0.1);
  const row = tidy(() => jnp.sum(arr(x)).dataSync());
  assertSum(row, x, 1, n, 1, "sum of 2^20 x 0.1");
  const cols = 3, len = 40000;
  const y = new Float32Array(cols * len).fill(0.1);
  const col = tidy(() => jnp.sum(arr(y, [len, cols]), { axis: 0 }).dataSync());
  assertSum(col, y, 1, len, cols, "column sum of 40000 x 0.1");
});

for (const [name, prim, f] of [
  ["max", reduceMaxP, jnp.max], ["min", reduceMinP, jnp.min], ["prod", reduceProdP, jnp.prod],
] as [string, Primitive, (x: JaxArray, o: { axis: number[] }) => JaxArray][]) {
  test(`reduce ${name} over every axis, with NaN and signed zeros`, () => {
    for (const shape of [...SHAPES, [40000, 3], [5, 2000]]) {
      const size = shape.reduce((a, b) => a * b, 1);
      const x = uniform(size, name === "prod" ? 0.9 : -1, name === "prod" ? 1.1 : 1, size + 3);
      for (let i = 0; i < size; i++) {
        if (i % 97 === 5) x[i] = i % 2 ? 0 : -0;
        if (i % 1301 === 7) x[i] = NaN;
      }
      for (let a = 0; a < shape.length; a++) {
        const got = tidy(() => f(arr(x, shape), { axis: [a] }).dataSync());
        const outShape = shape.filter((_, i) => i !== a);
        const want = reference(prim, [{ data: x, shape }], outShape, { axes: [a] });
        if (name === "prod") {
          for (let i = 0; i < want.length; i++) {
            const ok = Number.isNaN(want[i]) ? Number.isNaN(got[i]) : Math.abs(got[i] - want[i]) <= 1e-5 * Math.abs(want[i]) + 1e-30;
            if (!ok) assert.unreachable(`prod ${JSON.stringify(shape)} axis ${a}: element ${i} is ${got[i]}, reference ${want[i]}`);
          }
        } else {
          assertUlps(got, want, 0, `${name} ${JSON.stringify(shape)} axis ${a}`);
        }
      }
    }
    // All zeros of mixed sign: max is +0, min is -0.
    for (const n of [3, 16, 17, 1023]) {
      const z = new Float32Array(n).map((_, i) => (i % 2 ? 0 : -0));
      const got = tidy(() => f(arr(z), { axis: [0] }).dataSync());
      const want = reference(prim, [{ data: z, shape: [n] }], [], { axes: [0] });
      if (name !== "prod") assertUlps(got, want, 0, `${name} of signed zeros n=${n}`);
    }
  });
}

// ---------------------------------------------------------------- matmul

function assertMatmul(got: ArrayLike<number>, a: Float32Array, b: Float32Array, m: number, k: number, n: number, batch: number, what: string): void {
  const want = reference(dotGeneralP, [{ data: a, shape: [batch, m, k] }, { data: b, shape: [batch, k, n] }], [batch, m, n],
    { contracting: [[2], [1]], batch: [[0], [0]] });
  assert.is(got.length, want.length, `${what}: length`);
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let mag = 0;
        for (let p = 0; p < k; p++) mag += Math.abs(a[(t * m + i) * k + p] * b[(t * k + p) * n + j]);
        const q = (t * m + i) * n + j;
        const err = Math.abs(got[q] - want[q]);
        if (!(err <= (k + 2) * 2 ** -24 * mag + 1e-30)) {
          assert.unreachable(`${what}: C[${t},${i},${j}] = ${got[q]}, reference ${want[q]} (error ${err})`);
        }
      }
    }
  }
}

const MATMUL_SHAPES: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [4, 8, 8], [5, 17, 9], [17, 3, 1023], [1, 300, 70], [70, 300, 1], [64, 64, 64],
  [130, 257, 129], [4, 1023, 5], [3, 0, 4], [33, 520, 17],
];

test("matmul: shapes across tile, panel and block edges", () => {
  for (const [m, k, n] of MATMUL_SHAPES) {
    const a = uniform(m * k, -1, 1, m * 31 + k), b = uniform(k * n, -1, 1, n * 17 + k);
    const got = tidy(() => jnp.matmul(arr(a, [m, k]), arr(b, [k, n])).dataSync());
    assertMatmul(got, a, b, m, k, n, 1, `matmul ${m}x${k}x${n}`);
  }
});

// ---------------------------------------------------------------- packed-B cache

const bitsEqual = (x: ArrayLike<number>, y: ArrayLike<number>, what: string) => {
  assert.is(x.length, y.length, `${what}: length`);
  for (let i = 0; i < x.length; i++) {
    if (!Object.is(x[i], y[i])) assert.unreachable(`${what}: element ${i}: ${x[i]} vs ${y[i]}`);
  }
};

test("packed-B cache: a reused B gives bit-identical products to a fresh copy, every layout", () => {
  const cases: [string, number[], number[], (a: JaxArray, b: JaxArray) => JaxArray][] = [
    ["plain", [70, 300], [300, 33], (a, b) => jnp.matmul(a, b)],
    ["B transposed", [64, 70], [33, 70], (a, b) => lax.dotGeneral(a, b, { contracting: [[1], [1]], batch: [[], []] })],
    ["batched", [3, 17, 40], [3, 40, 20], (a, b) => jnp.matmul(a, b)],
    ["broadcast B", [2, 3, 40, 9], [1, 9, 1030], (a, b) => jnp.matmul(a, b)],
    ["stack times matrix", [4, 9, 40], [40, 20], (a, b) => jnp.matmul(a, b)],
    // Big enough to split across threads (rows, then batches) where there are several.
    ["split by rows", [256, 200], [200, 130], (a, b) => jnp.matmul(a, b)],
    ["split by batches", [4, 64, 130], [4, 130, 72], (a, b) => jnp.matmul(a, b)],
    ["same buffer, two layouts", [40, 40], [40, 40], (a, b) => jnp.matmul(a, b).add(lax.dotGeneral(a, b, { contracting: [[1], [1]], batch: [[], []] }))],
  ];
  for (const [what, sa, sb, f] of cases) {
    const na = sa.reduce((x, y) => x * y), nb = sb.reduce((x, y) => x * y);
    const da = uniform(na, -1, 1, na), db = uniform(nb, -1, 1, nb + 7);
    const a = arr(da, sa), b = arr(db, sb);
    // First use marks B, the second packs it into the cache, the third reads the cache.
    const runs = [0, 1, 2].map(() => tidy(() => f(a, b).dataSync()));
    const fresh = tidy(() => f(a, arr(db, sb)).dataSync());
    for (const r of runs) bitsEqual(r, fresh, what);
    assert.ok(packedB(wasm).bytes > 0, `${what}: B was cached`);
    a.dispose();
    b.dispose();
  }
  assert.is(packedB(wasm).bytes, 0, "disposing B drops its packing");
});

test("packed-B cache: a new array at a freed B's address never gets the old packing", () => {
  const [m, k, n] = [20, 64, 48];
  const a = arr(uniform(m * k, -1, 1, 5), [m, k]);
  for (let round = 0; round < 4; round++) {
    const db = uniform(k * n, -1, 1, 100 + round);
    const b = arr(db, [k, n]);
    const addr = (b as unknown as ConcreteArray).buffer("test").handle;
    for (let i = 0; i < 3; i++) {
      const got = tidy(() => jnp.matmul(a, b).dataSync());
      assertMatmul(got, a.dataSync() as Float32Array, db, m, k, n, 1, `round ${round}, call ${i}`);
    }
    b.dispose();
    // The next B must land on the same address, or this test proves nothing.
    const probe = arr(new Float32Array(k * n), [k, n]);
    assert.is((probe as unknown as ConcreteArray).buffer("test").handle, addr, "the allocator reuses the freed address");
    probe.dispose();
  }
  a.dispose();
});

test("packed-B cache: bounded in bytes, left out of liveBytes, and flat in a long loop", () => {
  const before = memoryStats().liveBytes;
  const a = arr(uniform(2 * 512, -1, 1, 9), [2, 512]);
  const bs = Array.from({ length: 40 }, (_, i) => arr(uniform(512 * 1024, -1, 1, i), [512, 1024]));
  const arrays = memoryStats().liveBytes;
  // 40 Bs of 2 MiB, each used three times: 80 MiB of packings would be made without the bound.
  for (const b of bs) for (let i = 0; i < 3; i++) tidy(() => { jnp.matmul(a, b); });
  const cache = packedB(wasm);
  assert.ok(cache.bytes > 0 && cache.bytes <= MAX_BYTES, `cache holds ${cache.bytes} bytes`);
  assert.is(memoryStats().liveBytes, arrays, "packings are not counted as live arrays");
  const reserved = memoryStats().reservedBytes;
  const live = memoryStats().liveBytes;
  for (let i = 0; i < 300; i++) tidy(() => { jnp.matmul(a, bs[i % 3]); });
  assert.is(memoryStats().liveBytes, live, "live bytes flat");
  assert.is(memoryStats().reservedBytes, reserved, "no growth");
  for (const b of bs) b.dispose();
  a.dispose();
  assert.is(cache.bytes, 0);
  assert.is(memoryStats().liveBytes, before);
});

test("matmul: batched, and transposed operands through dot_general strides", () => {
  const [bt, m, k, n] = [3, 17, 33, 9];
  const a = uniform(bt * m * k, -1, 1, 1), b = uniform(bt * k * n, -1, 1, 2);
  const got = tidy(() => jnp.matmul(arr(a, [bt, m, k]), arr(b, [bt, k, n])).dataSync());
  assertMatmul(got, a, b, m, k, n, bt, "batched matmul");
  for (const [mm, kk, nn] of [[5, 17, 9], [64, 70, 33], [130, 257, 20]]) {
    const x = uniform(mm * kk, -1, 1, 3), y = uniform(kk * nn, -1, 1, 4);
    const xT = transpose2(x, mm, kk), yT = transpose2(y, kk, nn);
    // x @ y with y given as y.T ([n, k]) and x given as x.T ([k, m]): einsum contracts without copying.
    const g1 = tidy(() => jnp.einsum("ik,jk->ij", arr(x, [mm, kk]), arr(yT, [nn, kk])).dataSync());
    assertMatmul(g1, x, y, mm, kk, nn, 1, `einsum ik,jk->ij ${mm}x${kk}x${nn}`);
    const g2 = tidy(() => jnp.einsum("ki,kj->ij", arr(xT, [kk, mm]), arr(y, [kk, nn])).dataSync());
    assertMatmul(g2, x, y, mm, kk, nn, 1, `einsum ki,kj->ij ${mm}x${kk}x${nn}`);
    const g3 = tidy(() => jnp.einsum("ki,jk->ij", arr(xT, [kk, mm]), arr(yT, [nn, kk])).dataSync());
    assertMatmul(g3, x, y, mm, kk, nn, 1, `einsum ki,jk->ij ${mm}x${kk}x${nn}`);
  }
  // Contracting two axes at once (they merge into one stride), and in an order that does not merge.
  const p = uniform(2 * 3 * 4, -1, 1, 5), q = uniform(3 * 4 * 5, -1, 1, 6);
  const merged = tidy(() => jnp.tensordot(arr(p, [2, 3, 4]), arr(q, [3, 4, 5]), 2).dataSync());
  assertMatmul(merged, p, q, 2, 12, 5, 1, "tensordot over two axes");
  const swapped = tidy(() => lax.dotGeneral(arr(p, [2, 3, 4]), jnp.transpose(arr(q, [3, 4, 5]), [1, 0, 2]),
    { contracting: [[2, 1], [0, 1]], batch: [[], []] }).dataSync());
  assertMatmul(swapped, p, q, 2, 12, 5, 1, "dot_general over two axes in swapped order");
});

// ---------------------------------------------------------------- data movement

function hostPermute(x: Float32Array, shape: number[], perm: number[]): Float32Array {
  const nd = shape.length;
  const st = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const outShape = perm.map((p) => shape[p]);
  const out = new Float32Array(x.length);
  const idx = new Array(nd).fill(0);
  for (let o = 0; o < x.length; o++) {
    let s = 0;
    for (let d = 0; d < nd; d++) s += idx[d] * st[perm[d]];
    out[o] = x[s];
    for (let d = nd - 1; d >= 0; d--) { if (++idx[d] < outShape[d]) break; idx[d] = 0; }
  }
  return out;
}

test("transpose: 2-D tiles with every edge, all 3-D permutations, every dtype (exact)", () => {
  for (const [r, c] of [[1, 1], [1, 7], [3, 5], [4, 4], [5, 17], [17, 1023], [33, 65], [1023, 17], [64, 96]]) {
    const x = uniform(r * c, -9, 9, r * c);
    const got = tidy(() => jnp.transpose(arr(x, [r, c])).dataSync());
    assertUlps(got, transpose2(x, r, c), 0, `transpose ${r}x${c}`);
  }
  const shape = [3, 5, 7];
  const x = uniform(105, -1, 1, 7);
  for (const perm of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) {
    const got = tidy(() => jnp.transpose(arr(x, shape), perm).dataSync());
    assertUlps(got, hostPermute(x, shape, perm), 0, `transpose [3,5,7] by ${perm}`);
  }
  const big = [9, 40, 36];
  const y = uniform(9 * 40 * 36, -1, 1, 8);
  for (const perm of [[0, 2, 1], [2, 0, 1], [1, 2, 0]]) {
    const got = tidy(() => jnp.transpose(arr(y, big), perm).dataSync());
    assertUlps(got, hostPermute(y, big, perm), 0, `transpose [9,40,36] by ${perm}`);
  }
  for (const dtype of ["float64", "int32", "bool"] as const) {
    const [r, c] = [37, 45];
    const data = Array.from(uniform(r * c, -100, 100, 9), (v) => (dtype === "bool" ? v > 0 : dtype === "int32" ? Math.round(v) : v));
    const got = tidy(() => Array.from(jnp.transpose(jnp.array(data as number[], { dtype, shape: [r, c] })).dataSync() as ArrayLike<number>));
    const host = jnp.array(data as number[], { dtype, shape: [r, c] }).dataSync() as ArrayLike<number>;
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < c; j++) assert.is(Number(got[j * r + i]), Number(host[i * c + j]), `transpose ${dtype} [${j},${i}]`);
    }
  }
});

test("strided copies: slices with steps, reversals, broadcasts (exact)", () => {
  const [r, c] = [17, 33];
  const x = uniform(r * c, -1, 1, 10);
  const got = tidy(() => lax.slice(arr(x, [r, c]), [2, 1], [17, 33], [3, 4]).dataSync());
  const want: number[] = [];
  for (let i = 2; i < 17; i += 3) for (let j = 1; j < 33; j += 4) want.push(x[i * c + j]);
  assertUlps(got, want, 0, "slice with steps");
  const rev = tidy(() => jnp.flip(arr(x, [r, c]), 1).dataSync());
  const wantRev = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) wantRev[i * c + j] = x[i * c + (c - 1 - j)];
  assertUlps(rev, wantRev, 0, "flip axis 1");
  const col = uniform(r, -1, 1, 11);
  const bc = tidy(() => jnp.broadcastTo(arr(col, [r, 1]), [r, c]).dataSync());
  const wantBc = new Float32Array(r * c);
  for (let i = 0; i < r; i++) wantBc.fill(col[i], i * c, (i + 1) * c);
  assertUlps(bc, wantBc, 0, "broadcast a column");
});

// ---------------------------------------------------------------- the scalar (no-SIMD) build

test("scalar build (for engines without Wasm SIMD): kernels agree with the references", async () => {
  const { exports: k } = await loadKernels("scalar");
  const base = (k.heapBase() + 63) & ~63;
  const need = base + (1 << 22) - k.memory.buffer.byteLength;
  if (need > 0) k.memory.grow(Math.ceil(need / 65536));
  const put = (at: number, d: Float32Array) => new Float32Array(k.memory.buffer, at, d.length).set(d);
  const get = (at: number, n: number) => new Float32Array(k.memory.buffer, at, n).slice();
  const X = base, Y = base + (1 << 20), Z = base + (2 << 20), W = base + (3 << 20);
  for (const n of LENGTHS) {
    const x = uniform(n, -6, 6, n + 5);
    for (let i = 0; i < n; i++) if (i % 3 === 1) x[i] = SPECIAL[(i * 7) % SPECIAL.length];
    put(X, x);
    for (const [name, prim] of transcendental) {
      k.unary_f32(O[name.toUpperCase() as "EXP"], X, Z, n);
      assertUlps(get(Z, n), reference(prim, [{ data: x, shape: [n] }], [n]), 2, `scalar ${name} n=${n}`, [x]);
    }
    const y = uniform(n, -5, 5, n + 6);
    put(Y, y);
    for (const [name, prim, , op] of binaryOps) {
      k.binary_f32(op, X, 1, Y, 1, Z, n);
      assertUlps(get(Z, n), reference(prim, [{ data: x, shape: [n] }, { data: y, shape: [n] }], [n]), 0, `scalar ${name} n=${n}`);
    }
  }
  const [m, kk, n] = [13, 37, 11];
  const a = uniform(m * kk, -1, 1, 1), b = uniform(kk * n, -1, 1, 2);
  put(X, a);
  put(Y, b);
  k.matmul_f32(X, kk, 1, 0, Y, n, 1, 0, Z, 1, m, kk, n, W);
  assertMatmul(get(Z, m * n), a, b, m, kk, n, 1, "scalar matmul");
  const [r, c] = [37, 45];
  const t = uniform(r * c, -1, 1, 3);
  put(X, t);
  new Int32Array(k.memory.buffer, W, 8).set([c, r, 1, c, r, 1, 0, 0]);
  k.copy_strided(2, W, X, Z, 4);
  assertUlps(get(Z, r * c), transpose2(t, r, c), 0, "scalar transpose");
  k.reduce_f32(O.R_SUM, X, Z, 1, r, c);
  assertSum(get(Z, c), t, 1, r, c, "scalar column sum");
  k.reduce_f32(O.R_MAX, X, Z, r, c, 1);
  assertUlps(get(Z, r), reference(reduceMaxP, [{ data: t, shape: [r, c] }], [r], { axes: [1] }), 0, "scalar row max");
});

test.run();
