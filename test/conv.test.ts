import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import { lax, jnp, vjp, vmap, makeJaxpr, config, tidy, Array as JArray } from "../src/index.js";
import { convGeneralDilatedP } from "../src/primitives/conv.js";
import { ShapedArray } from "../src/core/aval.js";
import { loadKernels } from "../src/backend/wasm/module.js";
import { winograd } from "../src/backend/wasm/lower-conv.js";
import { randArray, toNumbers, maxRelErr } from "./helpers.js";
import { all, CLOSE, HAVE_GPU, sameOnBoth, gpu } from "./webgpu-setup.js";

/** Direct-loop convolution, NHWC x HWIO, for checking values. */
function refConv(x: JArray, w: JArray, stride: number[], pads: [number, number][], dil = [1, 1]): number[] {
  const [N, H, W, C] = x.shape, [KH, KW, , O] = w.shape;
  const xv = toNumbers(x), wv = toNumbers(w);
  const OH = Math.floor((H + pads[0][0] + pads[0][1] - ((KH - 1) * dil[0] + 1)) / stride[0]) + 1;
  const OW = Math.floor((W + pads[1][0] + pads[1][1] - ((KW - 1) * dil[1] + 1)) / stride[1]) + 1;
  const out: number[] = [];
  for (let n = 0; n < N; n++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) for (let o = 0; o < O; o++) {
    let s = 0;
    for (let a = 0; a < KH; a++) for (let b = 0; b < KW; b++) for (let c = 0; c < C; c++) {
      const y = i * stride[0] + a * dil[0] - pads[0][0], z = j * stride[1] + b * dil[1] - pads[1][0];
      if (y < 0 || y >= H || z < 0 || z >= W) continue;
      s += xv[((n * H + y) * W + z) * C + c] * wv[((a * KW + b) * C + c) * O + o];
    }
    out.push(s);
  }
  return out;
}

test("convolution matches direct loops (SAME, VALID, strides, dilation)", () => {
  const x = randArray([2, 7, 6, 3], -1, 1, "float64"), w = randArray([3, 2, 3, 4], -1, 1, "float64", 2);
  const dn = { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] as [string, string, string] };
  const same = lax.convGeneralDilated(x, w, [1, 1], "SAME", dn);
  assert.equal(same.shape, [2, 7, 6, 4]);
  assert.ok(maxRelErr(toNumbers(same), refConv(x, w, [1, 1], [[1, 1], [0, 1]])) < 1e-12);
  const valid = lax.convGeneralDilated(x, w, [2, 3], "VALID", dn);
  assert.ok(maxRelErr(toNumbers(valid), refConv(x, w, [2, 3], [[0, 0], [0, 0]])) < 1e-12);
  const dilated = lax.convGeneralDilated(x, w, [1, 1], [[2, 1], [0, 0]], { ...dn, rhsDilation: [2, 1] });
  assert.ok(maxRelErr(toNumbers(dilated), refConv(x, w, [1, 1], [[2, 1], [0, 0]], [2, 1])) < 1e-12);
});

test("reduceWindow max and add", () => {
  const x = randArray([1, 4, 4, 1], -1, 1, "float64");
  const v = toNumbers(x);
  const m = toNumbers(lax.reduceWindow(x, -Infinity, "max", [1, 2, 2, 1], [1, 2, 2, 1], "VALID"));
  const want = [0, 1].flatMap((i) => [0, 1].map((j) => Math.max(v[(2 * i) * 4 + 2 * j], v[(2 * i) * 4 + 2 * j + 1], v[(2 * i + 1) * 4 + 2 * j], v[(2 * i + 1) * 4 + 2 * j + 1])));
  assert.equal(m, want);
  const s = lax.reduceWindow(x, 0, "add", [1, 3, 3, 1], [1, 1, 1, 1], "SAME");
  assert.equal(s.shape, [1, 4, 4, 1]);
  assert.ok(Math.abs(toNumbers(s)[5] - [0, 1, 2].reduce((a, i) => a + [0, 1, 2].reduce((b, j) => b + v[i * 4 + j], 0), 0)) < 1e-12);
});


// ---- the conv_general_dilated primitive against numpy (test/goldens/make_conv_goldens.py)

interface Golden {
  name: string; lhs: { shape: number[]; data: number[] }; rhs: { shape: number[]; data: number[] };
  strides: number[]; padding: [number, number][]; lhsDilation: number[]; rhsDilation: number[]; groups: number;
  out: { shape: number[]; data: number[] };
}
const goldens: Golden[] = JSON.parse(fs.readFileSync(new URL("../../test/goldens/conv.json", import.meta.url), "utf8"));

type Layout = "channels-first" | "channels-last" | "mixed";
/** Dimension numbers for a layout, and the permutations taking NC.../OI... data into it and the output back. */
function layout(nd: number, l: Layout) {
  const sp = "DHW".slice(3 - nd), ids = [...Array(nd).keys()].map((i) => i + 2);
  const last = [0, ...ids, 1], wLast = [...ids, 1, 0];
  if (l === "channels-first") return { dn: ["NC" + sp, "OI" + sp, "NC" + sp] as [string, string, string], xp: [0, 1, ...ids], wp: [0, 1, ...ids], back: [0, 1, ...ids] };
  if (l === "channels-last") return { dn: ["N" + sp + "C", sp + "IO", "N" + sp + "C"] as [string, string, string], xp: last, wp: wLast, back: [0, nd + 1, ...ids.map((i) => i - 1)] };
  // Channels-last input, O-last kernel with I first, channels-first output.
  return { dn: ["N" + sp + "C", "I" + sp + "O", "NC" + sp] as [string, string, string], xp: last, wp: [1, ...ids, 0], back: [0, 1, ...ids] };
}

function runGolden(g: Golden, dtype: "float32" | "float64", l: Layout): { got: number[]; want: number[] } {
  const nd = g.lhs.shape.length - 2;
  const { dn, xp, wp, back } = layout(nd, l);
  const x = jnp.transpose(jnp.array(g.lhs.data, { shape: g.lhs.shape, dtype }), xp);
  const w = jnp.transpose(jnp.array(g.rhs.data, { shape: g.rhs.shape, dtype }), wp);
  const y = lax.convGeneralDilated(x, w, g.strides, g.padding, { lhsDilation: g.lhsDilation, rhsDilation: g.rhsDilation, dimensionNumbers: dn, featureGroupCount: g.groups });
  const yc = jnp.transpose(y, back);
  assert.equal(yc.shape, g.out.shape, `${g.name}: shape`);
  return { got: toNumbers(yc), want: g.out.data };
}

test("conv_general_dilated matches numpy: float64 reference and float32 kernel, three layouts", () => {
  for (const g of goldens) {
    for (const l of ["channels-first", "channels-last", "mixed"] as Layout[]) {
      const r64 = runGolden(g, "float64", l);
      assert.ok(maxRelErr(r64.got, r64.want) < 1e-12, `${g.name} ${l} float64: ${maxRelErr(r64.got, r64.want)}`);
      const runs = winograd.runs;
      const r32 = runGolden(g, "float32", l);
      assert.ok(maxRelErr(r32.got, r32.want) < 2e-5, `${g.name} ${l} float32: ${maxRelErr(r32.got, r32.want)}`);
      // The Winograd cases must not fall back to the direct kernel (and the others must not take Winograd).
      assert.equal(winograd.runs - runs, g.name.includes("winograd") ? 1 : 0, `${g.name} ${l}: Winograd runs`);
    }
  }
});

/** The primitive's plain-TS reference run directly on the same float32 inputs. */
function reference(x: JArray, w: JArray, y: JArray, params: any): number[] {
  const out = new Float32Array(y.size);
  convGeneralDilatedP.rules.reference([{ data: x.dataSync() as Float32Array, aval: x.aval }, { data: w.dataSync() as Float32Array, aval: w.aval }],
    [{ data: out, aval: new ShapedArray(y.shape, "float32") }], params);
  return Array.from(out);
}

test("float32 kernel vs reference: tails of pixels, channels and depth, groups, 1-D, threads", () => {
  const dn = ["NHWC", "HWIO", "NHWC"] as [string, string, string];
  // wino: whether the Winograd path must run (forced: its channel and tile thresholds are lowered to 1).
  const cases: { x: number[]; w: number[]; s: number[]; pad: [number, number][]; g?: number; rd?: number[]; ld?: number[]; dn?: [string, string, string]; wino?: boolean }[] = [
    { x: [1, 1, 1, 1], w: [1, 1, 1, 1], s: [1, 1], pad: [[0, 0], [0, 0]] },
    { x: [1, 3, 5, 3], w: [2, 2, 3, 5], s: [1, 1], pad: [[0, 0], [0, 0]] },
    { x: [3, 9, 7, 17], w: [3, 3, 17, 13], s: [1, 1], pad: [[1, 1], [1, 1]], wino: true }, // Winograd at the default thresholds too
    { x: [2, 11, 13, 8], w: [3, 2, 8, 9], s: [2, 3], pad: [[1, 0], [0, 2]], rd: [2, 1] },
    { x: [1, 6, 6, 12], w: [3, 3, 4, 15], s: [1, 1], pad: [[1, 1], [1, 1]], g: 3 },
    { x: [2, 5, 4, 3], w: [3, 3, 3, 4], s: [1, 1], pad: [[2, 2], [1, 1]], ld: [2, 2] },
    { x: [2, 1, 40, 33], w: [1, 5, 33, 17], s: [1, 2], pad: [[0, 0], [2, 2]] },
    { x: [2, 17, 6], w: [3, 6, 10], s: [1], pad: [[1, 1]], dn: ["NWC", "WIO", "NWC"] },
    { x: [2, 20, 19, 7], w: [5, 4, 7, 21], s: [1, 1], pad: [[2, 2], [1, 2]] },
    // Winograd: odd sizes, channels not multiples of 4, N > 1, SAME and VALID, and (the last) big
    // enough to split tiles over threads, several blocks per thread.
    { x: [2, 7, 9, 5], w: [3, 3, 5, 3], s: [1, 1], pad: [[1, 1], [1, 1]], wino: true },
    { x: [3, 7, 9, 6], w: [3, 3, 6, 9], s: [1, 1], pad: [[0, 0], [0, 0]], wino: true },
    { x: [1, 4, 4, 1], w: [3, 3, 1, 2], s: [1, 1], pad: [[0, 0], [0, 0]], wino: true }, // one tile
    { x: [2, 33, 31, 20], w: [3, 3, 20, 24], s: [1, 1], pad: [[1, 1], [1, 1]], wino: true },
  ];
  const bits = (a: number[]) => Array.from(new Uint32Array(new Float32Array(a).buffer));
  cases.forEach((c, i) => tidy(() => {
    const x = randArray(c.x, -1, 1, "float32", 10 + i), w = randArray(c.w, -1, 1, "float32", 20 + i);
    const run = () => {
      const { minIn, minTiles, runs } = winograd;
      if (c.wino) Object.assign(winograd, { minIn: 1, minTiles: 1 });
      try {
        const r = lax.convGeneralDilated(x, w, c.s, c.pad, { dimensionNumbers: c.dn ?? dn, featureGroupCount: c.g, rhsDilation: c.rd, lhsDilation: c.ld });
        r.dataSync();
        assert.equal(winograd.runs - runs, c.wino ? 1 : 0, `case ${i}: Winograd runs`);
        return r;
      } finally { Object.assign(winograd, { minIn, minTiles }); }
    };
    const y = run();
    const nd = c.x.length - 2, ones = Array(nd).fill(1);
    const { lhsSpec, rhsSpec, outSpec } = layoutNumbers(c.dn ?? dn);
    const params = { windowStrides: c.s, padding: c.pad, lhsDilation: c.ld ?? ones, rhsDilation: c.rd ?? ones, dimensionNumbers: { lhsSpec, rhsSpec, outSpec }, featureGroupCount: c.g ?? 1 };
    const got = toNumbers(y), want = reference(x, w, y, params);
    assert.ok(maxRelErr(got, want) < 1e-5, `case ${i}: ${maxRelErr(got, want)}`);
    const prev = config.get("numThreads");
    config.update("numThreads", 1);
    try { assert.equal(bits(toNumbers(run())), bits(got), `case ${i}: one thread differs`); } finally { config.update("numThreads", prev); }
    return null;
  }));
});

function layoutNumbers([l, r, o]: [string, string, string]) {
  const sp = [...r].filter((ch) => ch !== "O" && ch !== "I");
  const perm = (s: string, a: string, b: string) => [a, b, ...sp].map((ch) => s.indexOf(ch));
  return { lhsSpec: perm(l, "N", "C"), rhsSpec: perm(r, "O", "I"), outSpec: perm(o, "N", "C") };
}

const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
const dotp = (a: JArray, b: JArray) => sum(toNumbers(jnp.multiply(a, b)));

test("transposes: <ct, conv(u, w)> = <conv_lhs^T ct, u> and <ct, conv(x, v)> = <conv_rhs^T ct, v> on every golden case", () => {
  for (const g of goldens) {
    const nd = g.lhs.shape.length - 2;
    for (const l of ["channels-first", "channels-last"] as Layout[]) {
      const { dn, xp, wp } = layout(nd, l);
      const x = jnp.transpose(jnp.array(g.lhs.data, { shape: g.lhs.shape, dtype: "float64" }), xp);
      const w = jnp.transpose(jnp.array(g.rhs.data, { shape: g.rhs.shape, dtype: "float64" }), wp);
      const f = (a: JArray, b: JArray) => lax.convGeneralDilated(a, b, g.strides, g.padding, { lhsDilation: g.lhsDilation, rhsDilation: g.rhsDilation, dimensionNumbers: dn, featureGroupCount: g.groups });
      const [y, back] = vjp(f, x, w);
      const ct = randArray((y as JArray).shape, -1, 1, "float64", 7);
      const [gx, gw] = back(ct) as JArray[];
      assert.equal(gx.shape, x.shape);
      assert.equal(gw.shape, w.shape);
      const u = randArray(x.shape, -1, 1, "float64", 8), v = randArray(w.shape, -1, 1, "float64", 9);
      const lhsSide = dotp(ct, f(u, w)), rhsSide = dotp(gx, u);
      assert.ok(Math.abs(lhsSide - rhsSide) < 1e-10 * Math.max(1, Math.abs(lhsSide)), `${g.name} ${l} lhs: ${lhsSide} vs ${rhsSide}`);
      const a = dotp(ct, f(x, v)), b = dotp(gw, v);
      assert.ok(Math.abs(a - b) < 1e-10 * Math.max(1, Math.abs(a)), `${g.name} ${l} rhs: ${a} vs ${b}`);
    }
  }
});

test("vmap over lhs, rhs and both (with groups) equals a loop", () => {
  const x = randArray([3, 1, 4, 5, 6], -1, 1, "float64", 1), w = randArray([3, 4, 2, 3, 3], -1, 1, "float64", 2);
  for (const G of [1, 2]) {
    const f = (a: JArray, b: JArray) => lax.convGeneralDilated(a, b, [1, 2], [[1, 0], [1, 1]], { featureGroupCount: G, rhsDilation: [2, 1] });
    const wG = G === 1 ? jnp.concatenate([w, w], 2) : w;
    const loop = (xs: (JArray | null), ws: (JArray | null)) =>
      jnp.stack([0, 1, 2].map((i) => f(xs ? xs.get(i) : x.get(0), ws ? ws.get(i) : wG.get(0))));
    const cases: [number | null, number | null][] = [[0, null], [null, 0], [0, 0]];
    for (const [ax, aw] of cases) {
      const got = vmap(f, { inAxes: [ax, aw] })(ax === null ? x.get(0) : x, aw === null ? wG.get(0) : wG) as JArray;
      const want = loop(ax === null ? null : x, aw === null ? null : wG);
      assert.ok(maxRelErr(toNumbers(got), toNumbers(want)) < 1e-12, `G=${G} axes ${ax},${aw}`);
    }
    // A batch axis in the middle of the operand.
    const xm = jnp.moveaxis(x, 0, 2), wm = jnp.moveaxis(wG, 0, 3);
    const got = vmap(f, { inAxes: [2, 3] })(xm, wm) as JArray;
    assert.ok(maxRelErr(toNumbers(got), toNumbers(loop(x, wG))) < 1e-12, `G=${G} middle axes`);
  }
});

test("makeJaxpr prints one conv_general_dilated equation like JAX", () => {
  const x = jnp.zeros([1, 8, 8, 3]), w = jnp.zeros([3, 3, 3, 4]);
  const j = makeJaxpr((a: JArray, b: JArray) => lax.convGeneralDilated(a, b, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }))(x, w);
  const text = j.toString();
  // Too wide for one line: JAX puts each parameter on its own line inside the brackets.
  assert.ok(text.includes("conv_general_dilated[\n      batch_group_count=1\n      dimension_numbers=ConvDimensionNumbers(lhs_spec=(0, 3, 1, 2), " +
    "rhs_spec=(3, 2, 0, 1), out_spec=(0, 3, 1, 2))\n      feature_group_count=1\n      lhs_dilation=(1, 1)\n      padding=((1, 1), (1, 1))\n" +
    "      precision=None\n      preferred_element_type=None\n      rhs_dilation=(1, 1)\n      window_strides=(1, 1)\n    ] a b"), text);
  assert.equal(text.match(/ = /g)?.length, 1, text);
});

test("bad convolutions raise typed errors naming the op", () => {
  const x = jnp.zeros([1, 3, 5, 5]), w = jnp.zeros([4, 2, 3, 3]);
  assert.throws(() => lax.convGeneralDilated(x, w, [1, 1], "VALID"), /conv_general_dilated: lhs features \(3\) must equal rhs input features \(2\)/);
  assert.throws(() => lax.convGeneralDilated(x, jnp.zeros([4, 3, 3]), [1, 1], "VALID"), /conv_general_dilated: .*same rank/);
  assert.throws(() => lax.convGeneralDilated(x, jnp.zeros([4, 3, 3, 3]), [0, 1], "VALID"), /strides and dilations must be positive/);
  assert.throws(() => lax.convGeneralDilated(x, jnp.zeros([4, 3, 3, 3]), [1, 1], "VALID", { dimensionNumbers: ["NCHW", "OIHW", "NCXW"] }), /dimension numbers/);
});

/**
 * A fresh instance of one Wasm build with 1 MiB past its heap base, the input x at X and the kernel
 * w at Wt (64 KiB apart from the base); Y and work are free regions for outputs and scratch.
 */
async function kernelsWith(variant: "simd" | "scalar", x: number[], w: number[]) {
  const k = (await loadKernels(variant)).exports as any;
  const base = (k.heapBase() + 63) & ~63;
  const need = base + (1 << 20) - k.memory.buffer.byteLength;
  if (need > 0) k.memory.grow(Math.ceil(need / 65536));
  const X = base, Wt = base + (1 << 16), Y = base + (3 << 16), work = base + (8 << 16);
  new Float32Array(k.memory.buffer, X, x.length).set(x);
  new Float32Array(k.memory.buffer, Wt, w.length).set(w);
  return { k, base, X, Wt, Y, work };
}

test("the scalar Wasm build's conv kernel is bit-identical to the SIMD build's", async () => {
  // Padded input 2 x 7 x 9 x 6, kernel 3 x 2 x 3 x 10 in 2 groups (5 outputs each: a partial panel),
  // strides (2, 1), dilation (1, 3): 2 x 3 x 6 = 36 output pixels, tiles of 4 plus a block tail.
  const [N, Hp, Wp, C, KH, KW, I, G, Og, sh, sw, dh, dw] = [2, 7, 9, 6, 3, 2, 3, 2, 5, 2, 1, 1, 3];
  const OH = Math.floor((Hp - ((KH - 1) * dh + 1)) / sh) + 1, OW = Math.floor((Wp - ((KW - 1) * dw + 1)) / sw) + 1;
  const x = toNumbers(randArray([N * Hp * Wp * C], -1, 1, "float32", 3)), w = toNumbers(randArray([KH * KW * I * G * Og], -1, 1, "float32", 4));
  const outs: Uint32Array[] = [];
  for (const variant of ["simd", "scalar"] as const) {
    const { k, base, X, Wt, Y, work } = await kernelsWith(variant, x, w);
    const P = base + (2 << 16);
    // HWIO strides: (KW*I*O, I*O, O, 1).
    const O = G * Og;
    k.conv_pack_w_f32(Wt, KW * I * O, I * O, O, 1, KH, KW, I, G, Og, P);
    k.conv2d_f32(X, Hp, Wp, C, P, KH, KW, I, G, Og, Y, OH, OW, sh, sw, dh, dw, 0, N * OH * OW, work);
    outs.push(new Uint32Array(k.memory.buffer.slice(Y, Y + N * OH * OW * O * 4)));
    // The same against the plain-TS reference (VALID on the padded input).
    const ref = new Float32Array(N * OH * OW * O);
    convGeneralDilatedP.rules.reference([{ data: new Float32Array(x), aval: new ShapedArray([N, Hp, Wp, C], "float32") }, { data: new Float32Array(w), aval: new ShapedArray([KH, KW, I, O], "float32") }],
      [{ data: ref, aval: new ShapedArray([N, OH, OW, O], "float32") }],
      { windowStrides: [sh, sw], padding: [[0, 0], [0, 0]], lhsDilation: [1, 1], rhsDilation: [dh, dw], dimensionNumbers: { lhsSpec: [0, 3, 1, 2], rhsSpec: [3, 2, 0, 1], outSpec: [0, 3, 1, 2] }, featureGroupCount: G });
    const got = Array.from(new Float32Array(outs[outs.length - 1].buffer));
    assert.ok(maxRelErr(got, Array.from(ref)) < 1e-5, `${variant}: ${maxRelErr(got, Array.from(ref))}`);
  }
  assert.equal(Array.from(outs[1]), Array.from(outs[0]));
});

test("the scalar Wasm build's Winograd kernel is bit-identical to the SIMD build's", async () => {
  // Padded input 2 x 9 x 10 x 6 (VALID 7 x 8 outputs), kernel 3 x 3 x 6 x 5 (channel tails on both
  // sides), tiles in blocks of 4 over two calls split at tile 13, and an odd 5 x 7 output read from
  // the same buffer (tiles sticking out past the edge).
  const [N, Hp, Wp, C, O] = [2, 9, 10, 6, 5];
  const x = toNumbers(randArray([N * Hp * Wp * C], -1, 1, "float32", 5)), w = toNumbers(randArray([9 * C * O], -1, 1, "float32", 6));
  const outs: Uint32Array[] = [];
  for (const variant of ["simd", "scalar"] as const) {
    const { k, base, X, Wt, Y, work } = await kernelsWith(variant, x, w);
    const U = base + (2 << 16);
    k.winograd_filter_f32(Wt, 3 * C * O, C * O, O, 1, C, O, U);
    // The first size reads the kernels pre-packed for the GEMM (the SIMD build; the scalar one never packs).
    const UP = base + (4 << 16);
    k.matmul_f32_pack_b(U, O, 1, C * O, 16, C, O, UP);
    const bits: number[] = [];
    for (const [OH, OW, up] of [[7, 8, UP], [5, 7, 0]]) {
      const T = N * Math.ceil(OH / 2) * Math.ceil(OW / 2);
      // One call in blocks of 8, then two calls in blocks of 4 (tile 12 alone in its block): the same bits.
      k.winograd_conv_f32(X, Hp, Wp, C, U, up, O, Y, OH, OW, 0, T, 8, work);
      const whole = new Uint32Array(k.memory.buffer.slice(Y, Y + N * OH * OW * O * 4));
      for (const [t0, t1] of [[0, 13], [13, T]]) k.winograd_conv_f32(X, Hp, Wp, C, U, up, O, Y, OH, OW, t0, t1, 4, work);
      const got = new Float32Array(k.memory.buffer.slice(Y, Y + N * OH * OW * O * 4));
      assert.equal(Array.from(new Uint32Array(got.buffer)), Array.from(whole), `${variant} ${OH}x${OW}: split`);
      // Against the plain-TS reference: VALID on the top-left (OH + 2) x (OW + 2) of the padded input.
      const xs = new Float32Array(N * (OH + 2) * (OW + 2) * C);
      for (let n = 0; n < N; n++) for (let i = 0; i < OH + 2; i++) for (let j = 0; j < OW + 2; j++) for (let c = 0; c < C; c++) {
        xs[((n * (OH + 2) + i) * (OW + 2) + j) * C + c] = x[((n * Hp + i) * Wp + j) * C + c];
      }
      const ref = new Float32Array(N * OH * OW * O);
      convGeneralDilatedP.rules.reference([{ data: xs, aval: new ShapedArray([N, OH + 2, OW + 2, C], "float32") }, { data: new Float32Array(w), aval: new ShapedArray([3, 3, C, O], "float32") }],
        [{ data: ref, aval: new ShapedArray([N, OH, OW, O], "float32") }],
        { windowStrides: [1, 1], padding: [[0, 0], [0, 0]], lhsDilation: [1, 1], rhsDilation: [1, 1], dimensionNumbers: { lhsSpec: [0, 3, 1, 2], rhsSpec: [3, 2, 0, 1], outSpec: [0, 3, 1, 2] }, featureGroupCount: 1 });
      assert.ok(maxRelErr(Array.from(got), Array.from(ref)) < 1e-5, `${variant} ${OH}x${OW}: ${maxRelErr(Array.from(got), Array.from(ref))}`);
      bits.push(...new Uint32Array(got.buffer));
    }
    outs.push(Uint32Array.from(bits));
  }
  assert.equal(Array.from(outs[1]), Array.from(outs[0]));
});

test("WebGPU's direct conv shader matches the Wasm kernel on every golden case and layout (when an adapter exists)", async () => {
  if (!HAVE_GPU) { console.log("conv.test: no WebGPU adapter, GPU comparison skipped"); return; }
  const items = goldens.flatMap((g) => (["channels-first", "channels-last", "mixed"] as Layout[]).map((l) => ({ name: `${g.name} ${l}`, g, l })));
  await all(items, ({ g, l }) => {
    const { dn, xp, wp } = layout(g.lhs.shape.length - 2, l);
    const inputs = () => [jnp.transpose(jnp.array(g.lhs.data, { shape: g.lhs.shape, dtype: "float32" }), xp), jnp.transpose(jnp.array(g.rhs.data, { shape: g.rhs.shape, dtype: "float32" }), wp)];
    return sameOnBoth((a, b) => lax.convGeneralDilated(a, b, g.strides, g.padding, { lhsDilation: g.lhsDilation, rhsDilation: g.rhsDilation, dimensionNumbers: dn, featureGroupCount: g.groups }), inputs, CLOSE);
  });
  assert.equal(gpu().counters.hostFallbacks.conv_general_dilated ?? 0, 0, "conv ran on the host");
});

test.run();
