// jnp's structure, creation, indexing and set extras against numpy goldens
// (test/goldens/make_extras_shape_goldens.py; JAX's definitions where numpy leaves a part open or
// JAX differs), plus jit vs eager, vmap vs a loop, gradients vs central differences, JAX's
// size/fillValue rule under tracing, and typed errors for bad input.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import { jnp, jit, vmap, grad, ConcretizationTypeError, DTypeError, NotImplementedError, ShapeError, ValueError, Array as JArray } from "../src/index.js";
import { toNumbers } from "./helpers.js";

type V = number | string | boolean;
interface Enc { shape: number[]; dtype: "float32" | "int32" | "bool"; data: V[] }
const G = (JSON.parse(fs.readFileSync(new URL("../../test/goldens/extras_shape.json", import.meta.url), "utf8")) as { cases: Record<string, Enc[]> }).cases;
const dec = (v: V) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : +v);
const isA = (C: new (...a: any[]) => Error, re?: RegExp) => (e: unknown) => e instanceof C && (!re || re.test(String(e)));

const A = (v: any, dtype?: "float32" | "int32" | "bool") => jnp.array(v, dtype ? { dtype } : undefined);
const x1 = jnp.arange(10), x2 = jnp.arange(12).reshape([3, 4]), x3 = jnp.arange(24).reshape([2, 3, 4]);
const a = A([1, 2, 3]), b = A([4, 5]), c = A([6.5, 7.5]);
const pa = A([7, 2, 9, 2, 5, 1, 8], "float32"), pm = A([[3, 1, 2, 9], [4, 4, 0, 1], [8, 6, 7, 5]], "float32");
const u = A([3, 1, 2, 3, 1, 5, NaN, NaN, 2], "float32"), u2 = A([[4, 1, 4], [2, 2, 1]]);
const rows = A([[1, 0], [0, 1], [1, 0], [0, 1], [2, 2], [0, 0]]), ui = A([5, 2, 2, 7]);
const sa = A([1, 2, 3, 4, 5], "float32"), sv = A([3, 0, 6, 2.5, 5], "float32"), na = A([1, 2, NaN], "float32"), nv = A([NaN, 3, 1], "float32");
const dx = A([0.2, 6.4, 3.0, 1.6, 10.0, -1], "float32"), db = A([0, 1, 2.5, 4, 10], "float32"), dbr = jnp.flip(db);
const bx = A([0, 1, 1, 3, 2, 1, 7]);
const hd = A([0.5, 1.5, 2.0, 2.0, 3.7, 4.0, 9.0, 1.0, 2.5], "float32"), hw = jnp.linspace(0.1, 0.9, 9);
const s1 = A([1, 2, 3, 2, 4, 1]), s2 = A([3, 4, 5, 6]), i1 = A([1, 3, 4, 3]), i2 = A([3, 1, 2, 1]);
const xs1 = A([1, 2, 3, 2, 4]), xs2 = A([2, 3, 5, 7, 5]);
const xp = jnp.linspace(-2.5, 2.5, 6), xf = jnp.arange(10);
const lk = A([[[3, 1], [1, 1]], [[0, 2], [1, 0]]]);
const choices = [[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23], [30, 31, 32, 33]];
const NI = { inplace: false };
type Out = JArray | JArray[];

const cases: Record<string, () => Out> = {
  "roll_1d_2": () => jnp.roll(x1, 2), "roll_1d_-3": () => jnp.roll(x1, -3), "roll_2d_flat": () => jnp.roll(x2, 1),
  "roll_2d_ax1": () => jnp.roll(x2, 1, 1), "roll_2d_tuple": () => jnp.roll(x2, [1, 2], [0, 1]), "roll_2d_-1_ax0": () => jnp.roll(x2, -1, { axis: 0 }),
  "roll_2d_5_ax1": () => jnp.roll(x2, 5, 1), "roll_2d_both_same_axis": () => jnp.roll(x2, [1, 2], 1),
  "rot90_k1": () => jnp.rot90(x2), "rot90_k2": () => jnp.rot90(x2, 2), "rot90_k3": () => jnp.rot90(x2, 3), "rot90_k-1": () => jnp.rot90(x2, -1),
  "rot90_k4": () => jnp.rot90(x2, { k: 4 }), "rot90_3d_12": () => jnp.rot90(x3, 1, [1, 2]), "rot90_3d_20": () => jnp.rot90(x3, { k: 3, axes: [2, 0] }),
  "meshgrid_xy": () => jnp.meshgrid(a, b), "meshgrid_ij": () => jnp.meshgrid(a, b, { indexing: "ij" }),
  "meshgrid_sparse": () => jnp.meshgrid(a, b, { sparse: true }), "meshgrid_3": () => jnp.meshgrid(a, b, c),
  "tri_3": () => jnp.tri(3), "tri_3_4_1": () => jnp.tri(3, 4, 1), "tri_4_3_-1_int": () => jnp.tri(4, { M: 3, k: -1, dtype: "int32" }),
  "tril_indices_4": () => jnp.trilIndices(4), "tril_indices_4_1": () => jnp.trilIndices(4, 1), "tril_indices_3_-1_5": () => jnp.trilIndices(3, -1, 5),
  "triu_indices_4": () => jnp.triuIndices(4), "triu_indices_4_1_6": () => jnp.triuIndices(4, { k: 1, m: 6 }),
  "tril_indices_from": () => jnp.trilIndicesFrom(jnp.ones([3, 5]), 1), "triu_indices_from": () => jnp.triuIndicesFrom(jnp.ones([3, 5]), -1),
  "diag_indices_3": () => jnp.diagIndices(3), "diag_indices_2_3": () => jnp.diagIndices(2, 3), "diag_indices_from": () => jnp.diagIndicesFrom(jnp.ones([3, 3, 3])),
  "diagflat_2d": () => jnp.diagflat([[1, 2], [3, 4]]), "diagflat_k1": () => jnp.diagflat([1, 2], 1), "diagflat_k-2": () => jnp.diagflat([1.5, 2.5], -2),
  "indices_23": () => jnp.indices([2, 3]) as JArray, "indices_sparse": () => jnp.indices([2, 3], { sparse: true }),
  "atleast_2d": () => jnp.atleast2d(5, [1, 2], x2), "atleast_3d": () => jnp.atleast3d(5, [1, 2], x2, x3),
  "dstack": () => jnp.dstack([x2, x2.mul(10)]), "dstack_1d": () => jnp.dstack([a, a.add(1)]),
  "column_stack": () => jnp.columnStack([a, a.mul(2), jnp.arange(6).reshape([3, 2])]),
  "hsplit": () => jnp.hsplit(x2, 2), "hsplit_1d": () => jnp.hsplit(jnp.arange(6), [2, 5]), "vsplit": () => jnp.vsplit(jnp.arange(16).reshape([4, 4]), 2),
  "dsplit": () => jnp.dsplit(x3, [1, 3]), "array_split_10_3": () => jnp.arraySplit(x1, 3), "array_split_ax1": () => jnp.arraySplit(x2, 3, 1),
  "array_split_list": () => jnp.arraySplit(x1, [3, 7]),
  "logspace_0_2_5": () => jnp.logspace(0, 2, 5), "logspace_base2": () => jnp.logspace(1, 3, 4, { endpoint: false, base: 2 }),
  "geomspace_1_1000_4": () => jnp.geomspace(1, 1000, 4), "geomspace_neg": () => jnp.geomspace(-1, -16, 5), "geomspace_down": () => jnp.geomspace(2, 0.5, { num: 3 }),
  "logspace_arrays": () => jnp.logspace(A([0, 5]), A([5, 0]), { num: 5, base: A([2, 3]) }),
  "geomspace_arrays": () => jnp.geomspace(A([1, 1000]), A([27, 1]), 4), "geomspace_axis1": () => jnp.geomspace([1, 2], [16, 32], { num: 5, axis: 1 }),
  "vsplit_1d": () => jnp.vsplit(jnp.arange(1, 7), 2),
  "insert_scalar": () => jnp.insert(jnp.arange(5), 2, 99), "insert_list": () => jnp.insert(jnp.arange(5), [1, 3], [10, 20]),
  "insert_neg": () => jnp.insert(jnp.arange(5), [-1, 0], 7), "insert_row": () => jnp.insert(x2, 1, 5, 0), "insert_col": () => jnp.insert(x2, 2, [7, 8, 9], { axis: 1 }),
  "insert_slice": () => jnp.insert(jnp.arange(5), "1:4", [10, 20, 30]), "insert_end": () => jnp.insert(jnp.arange(5), 5, [8, 9]), "insert_flat": () => jnp.insert(x2, 3, -1),
  "delete_scalar": () => jnp.delete(jnp.arange(6), 2), "delete_list": () => jnp.delete(jnp.arange(6), [0, 3, 5]), "delete_row": () => jnp.delete(x2, 1, 0),
  "delete_cols": () => jnp.delete(x2, A([0, 2]), { axis: 1, assumeUniqueIndices: true }), "delete_neg": () => jnp.delete(jnp.arange(6), -1),
  "delete_slice": () => jnp.delete(jnp.arange(6), "::2"), "delete_mask": () => jnp.delete(jnp.arange(4), A([true, false, true, false])),
  "append_flat": () => jnp.append(jnp.arange(3), [[4, 5]]), "append_ax0": () => jnp.append(x2, x2.get("0:1"), 0),
  "resize_2_4": () => jnp.resize(jnp.arange(3), [2, 4]), "resize_5": () => jnp.resize(x2, 5), "resize_up": () => jnp.resize(A([[1.5, 2.5]]), [3, 3]),
  "kron_2d": () => jnp.kron([[1, 2], [3, 4]], [[0, 1], [1, 0]]), "kron_1d": () => jnp.kron([1, 2], [3, 4, 5]),
  "kron_mixed": () => jnp.kron(jnp.arange(4).reshape([2, 2]), A([1.5, 2.0])), "kron_3d": () => jnp.kron(x3.get(":", "0:2", "0:2"), [[1, -1]]),
  "ravel_multi_index": () => jnp.ravelMultiIndex([A([3, 6, 6]), A([4, 5, 1])], [7, 6]),
  "ravel_multi_index_F": () => jnp.ravelMultiIndex([A([3, 6, 6]), A([4, 5, 1])], [7, 6], { order: "F" }),
  "ravel_multi_index_clip": () => jnp.ravelMultiIndex([A([-1, 8]), A([2, 9])], [7, 6], "clip"),
  "ravel_multi_index_wrap": () => jnp.ravelMultiIndex([A([-1, 8]), A([2, 9])], [7, 6], "wrap"),
  "unravel_index": () => jnp.unravelIndex(A([22, 41, 37]), [7, 6]), "unravel_index_2d": () => jnp.unravelIndex(A([[1, 5], [23, 0]]), [2, 3, 4]),
  "unravel_index_oob": () => jnp.unravelIndex(A([-1, 42, -43, 100, 5]), [7, 6]),
  "ix": () => jnp.ix([0, 1], [2, 4, 5]),
  "choose": () => jnp.choose([2, 3, 1, 0], choices), "choose_wrap": () => jnp.choose([5, -1, 2], [[1, 2, 3], [4, 5, 6]], null, "wrap"),
  "choose_clip": () => jnp.choose([5, -1, 1], A([[1, 2, 3], [4, 5, 6]]), { mode: "clip" }), "choose_bcast": () => jnp.choose([[1, 0, 1], [0, 1, 0]], [[-1], [10, 20, 30]]),
  "select": () => jnp.select([xf.lt(3), xf.gt(5)], [xf, xf.mul(xf)], 42),
  "select_first_wins": () => jnp.select([xf.lt(6), xf.gt(3)], [xf.mul(1.5), jnp.negative(xf)], 0.5),
  "piecewise": () => jnp.piecewise(xp, [xp.lt(0), xp.ge(0)], [(v: JArray) => v.neg(), (v: JArray) => v.mul(v)]),
  "piecewise_otherwise": () => jnp.piecewise(xp, [xp.lt(-1), xp.gt(1)], [-1, 1, (v: JArray) => v.mul(10)]),
  "compress_rows": () => jnp.compress([false, true, true], x2, 0), "compress_cols": () => jnp.compress([false, true], x2, { axis: 1 }),
  "compress_flat": () => jnp.compress([1, 0, 1, 1, 0], jnp.arange(5).mul(1.5)),
  "compress_sized": () => jnp.compress([false, true, false], x2, { axis: 0, size: 3, fillValue: -1 }),
  "extract": () => jnp.extract(jnp.equal(jnp.mod(x2, 3), 0), x2.mul(2)),
  "extract_sized": () => jnp.extract(jnp.equal(jnp.mod(x2, 3), 0), x2.mul(2), { size: 6 }),
  "place": () => { const p = jnp.arange(6).reshape([2, 3]); return jnp.place(p, p.gt(2), [44, 55], NI); },
  "put": () => jnp.put(jnp.arange(5), [0, 2], [-44, -55], null, NI), "put_wrap": () => jnp.put(jnp.arange(5), [7, -1], [1, 2], { mode: "wrap", inplace: false }),
  "put_clip": () => jnp.put(jnp.arange(5), [7, -9], [1, 2], "clip", NI),
  "fill_diagonal": () => jnp.fillDiagonal(jnp.zeros([3, 3]), 5, false, NI), "fill_diagonal_wide": () => jnp.fillDiagonal(jnp.zeros([3, 4], "int32"), [1, 2], { inplace: false }),
  "nonzero_2d": () => jnp.nonzero(x2.gt(5)), "nonzero_1d": () => jnp.nonzero([0, 1, 0, 2]), "nonzero_3d": () => jnp.nonzero(jnp.equal(jnp.mod(x3, 7), 0)),
  "nonzero_size_fill": () => jnp.nonzero(jnp.equal(jnp.mod(x2, 5), 0), { size: 6, fillValue: -1 }),
  "nonzero_size_pad0": () => jnp.nonzero(jnp.equal(jnp.mod(x2, 5), 0), { size: 6 }),
  "nonzero_size_trunc": () => jnp.nonzero(jnp.equal(jnp.mod(x2, 5), 0), { size: 2 }),
  "argwhere": () => jnp.argwhere(jnp.equal(jnp.mod(x2, 3), 0)), "argwhere_0d": () => jnp.argwhere(5), "flatnonzero": () => jnp.flatnonzero([[0, 2], [3, 0]]),
  "unique": () => jnp.unique(u) as JArray, "unique_all_flags": () => jnp.unique(u, true, true, true),
  "unique_inverse_2d": () => jnp.unique(u2, { returnInverse: true }), "unique_rows": () => jnp.unique(rows, { axis: 0, returnIndex: true, returnCounts: true }),
  "unique_cols": () => jnp.unique(rows.T, { axis: 1 }) as JArray,
  "unique_size_fill": () => jnp.unique(ui, { size: 5, fillValue: -1 }) as JArray, "unique_size_pad_min": () => jnp.unique(ui, { size: 5 }) as JArray,
  "unique_size_counts": () => jnp.unique(ui, { size: 5, fillValue: -1, returnCounts: true }),
  "unique_values": () => jnp.uniqueValues(u), "unique_counts": () => jnp.uniqueCounts(u), "unique_inverse": () => jnp.uniqueInverse(u2),
  "unique_all": () => jnp.uniqueAll([3, 1, 3, 2, 1]),
  "isin": () => jnp.isin(x2, [1, 5, 7]), "isin_invert": () => jnp.isin(x2, [1, 5, 7], { invert: true }), "isin_float_int": () => jnp.isin([1.0, 1.5, 2.0], [1, 2]),
  "searchsorted_left": () => jnp.searchsorted(sa, sv), "searchsorted_right": () => jnp.searchsorted(sa, sv, "right"),
  "searchsorted_nan_left": () => jnp.searchsorted(na, nv), "searchsorted_nan_right": () => jnp.searchsorted(na, nv, { side: "right" }),
  "searchsorted_2d_v": () => jnp.searchsorted(sa, A([[1, 4], [9, -1]], "float32")),
  "searchsorted_sorter": () => jnp.searchsorted([3, 1, 2], [2, 3], "left", jnp.argsort(A([3, 1, 2]))),
  "digitize": () => jnp.digitize(dx, db), "digitize_right": () => jnp.digitize(dx, db, true),
  "digitize_decreasing": () => jnp.digitize(dx, dbr), "digitize_decreasing_right": () => jnp.digitize(dx, dbr, { right: true }),
  "bincount": () => jnp.bincount(bx), "bincount_weights": () => jnp.bincount(bx, jnp.linspace(0, 1, 7)), "bincount_minlength": () => jnp.bincount(bx, null, 10),
  "bincount_length": () => jnp.bincount(bx, null, 2, { length: 4 }), "bincount_negative": () => jnp.bincount([-1, 0, 2], { length: 3 }),
  "histogram": () => jnp.histogram(hd, 5), "histogram_range": () => jnp.histogram(hd, 4, [1, 3]),
  "histogram_weights_density": () => jnp.histogram(hd, { bins: 3, weights: hw, density: true }), "histogram_edges": () => jnp.histogram(hd, [0, 1, 2.5, 10]),
  "histogram_int_range": () => jnp.histogram([1, 2, 3, 10, 11, 15, 19, 25], { range: [0, 25], bins: 5 }),
  "partition_nan": () => jnp.partition(A([3, NaN, 1, 2], "float32"), 1), "argpartition_nan": () => jnp.argpartition(A([3, NaN, 1, 2], "float32"), 1),
  "histogram_bin_edges": () => jnp.histogramBinEdges(hd, 6), "histogram_bin_edges_const": () => jnp.histogramBinEdges(A([2.0, 2.0], "float32"), 2),
  "setdiff1d": () => jnp.setdiff1d(s1, s2), "setdiff1d_size": () => jnp.setdiff1d(s1, s2, { size: 5 }),
  "setdiff1d_size_fill": () => jnp.setdiff1d(s1, s2, { size: 5, fillValue: -9 }),
  "union1d": () => jnp.union1d([-1, 0, 1], [-2, 0, 2]), "union1d_size": () => jnp.union1d([-1, 0, 1], [-2, 0, 2], { size: 7 }),
  "intersect1d": () => jnp.intersect1d(i1, i2), "intersect1d_indices": () => jnp.intersect1d(i1, i2, false, true),
  "intersect1d_size": () => jnp.intersect1d(i1, i2, { size: 4 }), "intersect1d_size_indices": () => jnp.intersect1d(i1, i2, false, true, { size: 4 }),
  "intersect1d_size_empty": () => jnp.intersect1d([1, 2], [3, 4], { size: 2 }),
  "setxor1d": () => jnp.setxor1d(xs1, xs2), "setxor1d_size": () => jnp.setxor1d(xs1, xs2, { size: 6 }),
  "setxor1d_size_fill": () => jnp.setxor1d(xs1, xs2, { size: 5, fillValue: 0 }),
  "setxor1d_nan": () => jnp.setxor1d(A([1, NaN], "float32"), A([NaN, 2], "float32")),
  "lexsort": () => jnp.lexsort([A([9, 4, 0, 4, 0, 2, 1]), A([1, 5, 1, 4, 3, 4, 4])]), "lexsort_2d_axis0": () => jnp.lexsort(lk, 0),
  "lexsort_2d_axis-1": () => jnp.lexsort(lk),
  "partition_2d_ax0": () => jnp.partition(pm, 1, 0), "argpartition_2d": () => jnp.argpartition(pm, 2),
};
for (const k of [0, 3, 6, -2]) {
  cases[`partition_${k}`] = () => jnp.partition(pa, k);
  cases[`argpartition_${k}`] = () => jnp.argpartition(pa, k);
}

function check(label: string, got: Out, want: Enc[]): void {
  const outs = Array.isArray(got) ? got : [got];
  assert.is(outs.length, want.length, `${label}: number of outputs`);
  outs.forEach((g, i) => {
    const w = want[i], l = `${label}[${i}]`;
    assert.equal(g.shape, w.shape, `${l}: shape`);
    assert.is(g.dtype, w.dtype, `${l}: dtype`);
    const gv = toNumbers(g), wv = w.data.map(dec);
    const bad = gv.findIndex((v, j) => !(v === wv[j] || (Number.isNaN(v) && Number.isNaN(wv[j])) || (w.dtype === "float32" && Math.abs(v - wv[j]) <= 2e-6 + 2e-6 * Math.abs(wv[j]))));
    assert.ok(bad < 0, `${l}: element ${bad}: got ${gv.slice(0, 16)} want ${wv.slice(0, 16)}`);
  });
}

test("every golden case has a computation, and every computation a golden", () => {
  assert.equal(Object.keys(cases).sort(), Object.keys(G).sort());
});

test("values, shapes and dtypes match numpy (JAX's definitions where they differ)", () => {
  for (const [name, f] of Object.entries(cases)) check(name, f(), G[name]);
});

test("jit matches eager (size-static data-dependent ops, traced shifts, insert, histogram)", () => {
  const cmp = (name: string, f: (...a: JArray[]) => Out, ...args: JArray[]) => check(`jit ${name}`, jit(f)(...args) as Out, G[name]);
  cmp("roll_2d_tuple", (x) => jnp.roll(x, [1, 2], [0, 1]), x2);
  cmp("roll_2d_ax1", (x, s) => jnp.roll(x, s, 1), x2, A(1));
  cmp("roll_2d_tuple", (x, s) => jnp.roll(x, s, [0, 1]), x2, A([1, 2]));
  cmp("rot90_3d_12", (x) => jnp.rot90(x, 1, [1, 2]), x3);
  cmp("nonzero_size_fill", (m) => jnp.nonzero(m, { size: 6, fillValue: -1 }), jnp.equal(jnp.mod(x2, 5), 0));
  cmp("unique_size_counts", (v) => jnp.unique(v, { size: 5, fillValue: -1, returnCounts: true }), ui);
  cmp("intersect1d_size_indices", (p, q) => jnp.intersect1d(p, q, { size: 4, returnIndices: true }), i1, i2);
  cmp("setxor1d_size", (p, q) => jnp.setxor1d(p, q, { size: 6 }), xs1, xs2);
  cmp("setdiff1d_size", (p, q) => jnp.setdiff1d(p, q, { size: 5 }), s1, s2);
  cmp("insert_list", (x, v) => jnp.insert(x, [1, 3], v), jnp.arange(5), A([10, 20]));
  cmp("delete_cols", (x, i) => jnp.delete(x, i, { axis: 1, assumeUniqueIndices: true }), x2, A([0, 2]));
  cmp("histogram", (h) => jnp.histogram(h, 5), hd);
  cmp("geomspace_arrays", (p, q) => jnp.geomspace(p, q, 4), A([1, 1000]), A([27, 1]));
  cmp("searchsorted_nan_right", (s, v) => jnp.searchsorted(s, v, "right"), na, nv);
  cmp("compress_sized", (cc, x) => jnp.compress(cc, x, { axis: 0, size: 3, fillValue: -1 }), A([false, true, false]), x2);
  cmp("place", (p) => jnp.place(p, p.gt(2), [44, 55], NI), jnp.arange(6).reshape([2, 3]));
  cmp("choose_clip", (i) => jnp.choose(i, [[1, 2, 3], [4, 5, 6]], { mode: "clip" }), A([5, -1, 1]));
  cmp("bincount_length", (x) => jnp.bincount(x, { length: 4 }), bx);
  cmp("argpartition_2d", (x) => jnp.argpartition(x, 2), pm);
  cmp("lexsort", (p, q) => jnp.lexsort([p, q]), A([9, 4, 0, 4, 0, 2, 1]), A([1, 5, 1, 4, 3, 4, 4]));
});

test("vmap matches a loop (roll with per-row shifts, searchsorted, nonzero with size, partition)", () => {
  const m = A([[0, 3, 0, 1], [2, 0, 0, 0], [0, 0, 0, 0]]);
  const loop = (f: (r: JArray, i: number) => JArray) => [0, 1, 2].flatMap((i) => toNumbers(f(m.get(i), i)));
  const nz = (r: JArray) => jnp.nonzero(r, { size: 3, fillValue: 9 })[0];
  assert.equal(toNumbers(vmap(nz)(m) as JArray), loop(nz));
  const shifts = A([1, -1, 2]);
  assert.equal(toNumbers(vmap((r: JArray, s: JArray) => jnp.roll(r, s))(m, shifts) as JArray), loop((r, i) => jnp.roll(r, [1, -1, 2][i])));
  const ss = (r: JArray) => jnp.searchsorted(A([0, 1, 2, 3]), r, "right");
  assert.equal(toNumbers(vmap(ss)(m) as JArray), loop(ss));
  const pt = (r: JArray) => jnp.partition(r, 1);
  assert.equal(toNumbers(vmap(pt)(m) as JArray), loop(pt));
  const ex = (cc: JArray, r: JArray) => jnp.extract(cc, r, { size: 4, fillValue: 0 });
  assert.equal(toNumbers(vmap(ex)(m.gt(0), m) as JArray), [0, 1, 2].flatMap((i) => toNumbers(ex(m.get(i).gt(0), m.get(i)))));
  const us = (r: JArray) => jnp.unique(r, { size: 4, fillValue: -1 }) as JArray;
  assert.equal(toNumbers(vmap(us)(m) as JArray), loop(us));
});

function numGrad(f: (x: JArray) => JArray, x: JArray, eps = 1e-3): number[] {
  const v = toNumbers(x);
  return v.map((_, i) => {
    const hi = v.slice(), lo = v.slice();
    hi[i] += eps; lo[i] -= eps;
    const F = (w: number[]) => toNumbers(f(jnp.array(Float32Array.from(w), { shape: x.shape })))[0];
    return (F(hi) - F(lo)) / (2 * eps);
  });
}

test("gradients match central differences (roll, rot90, kron, insert, delete, choose, select, piecewise, partition, resize, histogram weights)", () => {
  const x = jnp.array(Float32Array.from([0.3, -1.2, 0.8, 2.1, -0.4, 1.7]), { shape: [2, 3] });
  const w = jnp.array(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]));
  const dot = (y: JArray) => jnp.sum(jnp.multiply(jnp.sin(jnp.ravel(y)), w.get(`0:${y.size}`)));
  const fs: [string, (t: JArray) => JArray][] = [
    ["roll", (t) => dot(jnp.roll(t, [1, -1], [0, 1]))],
    ["rot90", (t) => dot(jnp.rot90(t, 3))],
    ["kron", (t) => dot(jnp.kron(t, t.get(0)))],
    ["insert", (t) => dot(jnp.insert(t, [0, 2], t.get(1), 0))],
    ["delete", (t) => dot(jnp.delete(t, 1, 1))],
    ["choose", (t) => dot(jnp.choose([[1, 0, 1], [0, 1, 1]], [t, t.mul(t)], { mode: "wrap" }))],
    ["select", (t) => dot(jnp.select([t.gt(0), t.lt(-1)], [t.mul(t), jnp.exp(t)], 0.5))],
    ["piecewise", (t) => dot(jnp.piecewise(t, [t.lt(0)], [(v: JArray) => v.mul(3), (v: JArray) => jnp.sin(v)]))],
    ["partition", (t) => dot(jnp.partition(t, 1, 1))],
    ["resize", (t) => dot(jnp.resize(t, [3, 3]))],
    ["histogram", (t) => dot(jnp.histogram(A([0.5, 1.5, 2.5, 0.2, 2.9, 1.1], "float32"), 3, null, jnp.ravel(t))[0])],
    ["append+meshgrid", (t) => dot(jnp.append(jnp.meshgrid(t.get(0), t.get(1))[1], t))],
  ];
  for (const [name, f] of fs) {
    const g = toNumbers(grad(f)(x) as JArray), n = numGrad(f, x);
    assert.ok(g.every((v, i) => Math.abs(v - n[i]) <= 2e-2 * (1 + Math.abs(n[i]))), `${name}: grad ${g} vs numeric ${n}`);
  }
});

test("data-dependent output lengths need concrete input or a static size, as in JAX", () => {
  const conc = isA(ConcretizationTypeError, /size/);
  assert.throws(() => jit((m: JArray) => jnp.nonzero(m)[0])(A([1, 0, 1])), conc);
  assert.throws(() => jit((m: JArray) => jnp.argwhere(m))(A([1, 0, 1])), conc);
  assert.throws(() => jit((m: JArray) => jnp.unique(m) as JArray)(A([1, 0, 1])), conc);
  assert.throws(() => jit((m: JArray) => jnp.union1d(m, m))(A([1, 0, 1])), conc);
  assert.throws(() => jit((m: JArray) => jnp.bincount(m))(A([1, 0, 1])), conc);
  assert.throws(() => jit((m: JArray) => jnp.compress(m, jnp.arange(3)))(A([true, false, true])), isA(ConcretizationTypeError));
  assert.throws(() => jit((m: JArray) => jnp.choose(m, [[1, 2], [3, 4]]))(A([1, 0])), isA(ConcretizationTypeError, /wrap/));
  assert.throws(() => vmap((m: JArray) => jnp.flatnonzero(m))(A([[1, 0], [0, 1]])), conc);
  assert.equal(toNumbers(jit((m: JArray) => jnp.flatnonzero(m, { size: 2 }))(A([0, 1, 1]))), [1, 2]);
  // Under grad the values are concrete (JAX reads a JVP tracer's primal): the first occurrence of each value gets its weight.
  const gu = grad((t: JArray) => jnp.sum(jnp.multiply(jnp.unique(t) as JArray, A([1, 2, 3], "float32"))))(A([3, 1, 3, 2], "float32")) as JArray;
  assert.equal(toNumbers(gu), [3, 1, 0, 2]);
  const gc = grad((t: JArray) => jnp.sum(jnp.compress(t.gt(0), t).mul(t.get(jnp.nonzero(t.lt(0))[0]).sum())))(A([1, -2, 3], "float32")) as JArray;
  assert.equal(toNumbers(gc), [-2, 4, -2]);
  assert.throws(() => jit(grad((t: JArray) => jnp.sum(jnp.unique(t) as JArray)))(A([1, 2], "float32")), conc);
});

test("bad input: typed errors naming the op", () => {
  assert.throws(() => jnp.place(jnp.arange(3), A([true, false, true]), [1]), isA(ValueError, /place.*inplace: false/));
  assert.throws(() => jnp.put(jnp.arange(3), [0], [1]), isA(ValueError, /put.*inplace/));
  assert.throws(() => jnp.fillDiagonal(jnp.zeros([2, 2]), 1), isA(NotImplementedError, /fillDiagonal/));
  assert.throws(() => jnp.put(jnp.arange(3), [0], [1], "raise", NI), isA(NotImplementedError, /raise/));
  assert.throws(() => jnp.rot90(jnp.arange(3)), isA(ShapeError, /rot90/));
  assert.throws(() => jnp.rot90(x2, 1, [1, 1]), isA(ValueError, /different/));
  assert.throws(() => jnp.meshgrid(x2, a), isA(ShapeError, /meshgrid.*1-D/));
  assert.throws(() => jnp.nonzero(5), isA(ValueError, /0-d/));
  assert.throws(() => jnp.choose([0, 2], [[1, 2], [3, 4]]), isA(ValueError, /choose: invalid entry/));
  assert.throws(() => jnp.ravelMultiIndex([A([7])], [7]), isA(ValueError, /invalid entry/));
  assert.throws(() => jnp.select([xf.lt(1)], [], 0), isA(ValueError, /select/));
  assert.throws(() => jnp.searchsorted(x2, 1), isA(ShapeError, /searchsorted/));
  assert.throws(() => jnp.bincount(A([1.5])), isA(DTypeError, /bincount.*integer/));
  assert.throws(() => jnp.partition(pa, 7), isA(ValueError, /partition: kth/));
  assert.throws(() => jnp.vsplit(jnp.array(4), 2), isA(ShapeError, /vsplit/));
  assert.throws(() => jnp.dsplit(x2, 2), isA(ShapeError, /dsplit/));
  assert.throws(() => jnp.insert(jnp.arange(3), A([0.5]), 1), isA(ValueError, /insert.*integer/));
  assert.throws(() => jnp.unique(jnp.zeros([0]), { size: 2 }), isA(ValueError, /fillValue/));
  assert.throws(() => jnp.compress([true, false, true], jnp.arange(2)), isA(ValueError, /compress/));
  assert.throws(() => jnp.lexsort([]), isA(ValueError, /lexsort/));
  assert.throws(() => jnp.matrixTranspose(a), isA(ShapeError, /matrixTranspose/));
});

test("small functions: shape/ndim/size, copy, empty, permuteDims, matrixTranspose, atleast1d with several", () => {
  assert.equal([jnp.shape(x3), jnp.ndim(x3), jnp.size(x3), jnp.size(x3, 1), jnp.ndim(3), jnp.size(x3, [0, -1]), jnp.shape([[1, 2]])], [[2, 3, 4], 3, 24, 3, 0, 8, [1, 2]]);
  const y = jnp.copy(x2);
  assert.ok(y !== x2);
  y.dispose();
  assert.equal(toNumbers(x2).length, 12);
  const e = jnp.empty([2, 2], "int32");
  assert.equal([e.dtype, toNumbers(e)], ["int32", [0, 0, 0, 0]]);
  assert.equal(jnp.emptyLike(pa).shape, [7]);
  assert.equal(jnp.permuteDims(x3, [2, 0, 1]).shape, [4, 2, 3]);
  assert.equal(toNumbers(jnp.matrixTranspose(x3)), toNumbers(jnp.swapaxes(x3, 1, 2)));
  const [p, q] = jnp.atleast1d(1, [2, 3]) as JArray[];
  assert.equal([p.shape, q.shape], [[1], [2]]);
  // One-argument where is nonzero (JAX's docs: ravelMultiIndex of where(x % 2 == 0) over x.shape).
  const xe = A([[2, 3, 4], [5, 6, 7]], "float32"), ind = jnp.where(jnp.equal(jnp.mod(xe, 2), 0));
  assert.equal(ind.map(toNumbers), [[0, 0, 1], [0, 2, 1]]);
  assert.equal(toNumbers(jnp.ravelMultiIndex(ind, xe.shape)), [0, 2, 4]);
  assert.equal(jnp.where(A([0, 1, 1]), { size: 3, fillValue: -1 }).map(toNumbers), [[1, 2, -1]]);
  assert.throws(() => jnp.where(A([true]), 1, undefined as never), isA(ValueError, /where: pass both/));
  const uc = jnp.uniqueCounts([2, 1, 2]);
  assert.equal([toNumbers(uc.values), toNumbers(uc.counts)], [[1, 2], [1, 2]]);
});

test.run();
