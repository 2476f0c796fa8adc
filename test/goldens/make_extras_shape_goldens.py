#!/usr/bin/env python3
"""Golden values for jnp's structure/creation/indexing/set extras (test/jnp-extras-shape.test.ts).

Run:  python3 test/goldens/make_extras_shape_goldens.py      (python3 + numpy 2.x; deterministic)

Writes test/goldens/extras_shape.json: {"cases": {name: [output, ...]}}, each output
{"shape", "dtype", "data"} (data row-major; "nan"/"inf"/"-inf" strings for non-finite floats).
The test computes each named case with tinyjax on the same literal inputs. Values are numpy's; where
numpy leaves a result unspecified or JAX defines it differently (static `size` padding, partition's
layout, out-of-range unravel/put, insert of several values), the expected value follows JAX's
definition (jax/_src/numpy/lax_numpy.py, setops.py), built here from numpy pieces.
"""

import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "extras_shape.json")
cases = {}


def enc(a):
    a = np.asarray(a)
    kind = "bool" if a.dtype == bool else "float32" if a.dtype.kind == "f" else "int32"
    data = []
    for v in a.ravel().tolist():
        if isinstance(v, float) and not np.isfinite(v):
            v = "nan" if np.isnan(v) else ("inf" if v > 0 else "-inf")
        data.append(v)
    return {"shape": list(a.shape), "dtype": kind, "data": data}


def case(name, *outs):
    assert name not in cases, name
    cases[name] = [enc(o) for o in outs]


x1 = np.arange(10)
x2 = np.arange(12).reshape(3, 4)
x3 = np.arange(24).reshape(2, 3, 4)

case("roll_1d_2", np.roll(x1, 2))
case("roll_1d_-3", np.roll(x1, -3))
case("roll_2d_flat", np.roll(x2, 1))
case("roll_2d_ax1", np.roll(x2, 1, axis=1))
case("roll_2d_tuple", np.roll(x2, (1, 2), axis=(0, 1)))
case("roll_2d_-1_ax0", np.roll(x2, -1, axis=0))
case("roll_2d_5_ax1", np.roll(x2, 5, axis=1))
case("roll_2d_both_same_axis", np.roll(x2, (1, 2), axis=1))
for k in (1, 2, 3, -1, 4):
    case(f"rot90_k{k}", np.rot90(x2, k))
case("rot90_3d_12", np.rot90(x3, 1, (1, 2)))
case("rot90_3d_20", np.rot90(x3, 3, (2, 0)))
a, b, c = np.array([1, 2, 3]), np.array([4, 5]), np.array([6.5, 7.5])
case("meshgrid_xy", *np.meshgrid(a, b))
case("meshgrid_ij", *np.meshgrid(a, b, indexing="ij"))
case("meshgrid_sparse", *np.meshgrid(a, b, sparse=True))
case("meshgrid_3", *np.meshgrid(a, b, c))
case("tri_3", np.tri(3).astype(np.float32))
case("tri_3_4_1", np.tri(3, 4, 1).astype(np.float32))
case("tri_4_3_-1_int", np.tri(4, 3, -1, dtype=np.int32))
case("tril_indices_4", *np.tril_indices(4))
case("tril_indices_4_1", *np.tril_indices(4, 1))
case("tril_indices_3_-1_5", *np.tril_indices(3, -1, 5))
case("triu_indices_4", *np.triu_indices(4))
case("triu_indices_4_1_6", *np.triu_indices(4, 1, 6))
case("tril_indices_from", *np.tril_indices_from(np.ones((3, 5)), 1))
case("triu_indices_from", *np.triu_indices_from(np.ones((3, 5)), -1))
case("diag_indices_3", *np.diag_indices(3))
case("diag_indices_2_3", *np.diag_indices(2, 3))
case("diag_indices_from", *np.diag_indices_from(np.ones((3, 3, 3))))
case("diagflat_2d", np.diagflat([[1, 2], [3, 4]]))
case("diagflat_k1", np.diagflat([1, 2], 1))
case("diagflat_k-2", np.diagflat([1.5, 2.5], -2).astype(np.float32))
case("indices_23", np.indices((2, 3)))
case("indices_sparse", *np.indices((2, 3), sparse=True))
case("atleast_2d", *np.atleast_2d(5, [1, 2], x2))
case("atleast_3d", *np.atleast_3d(5, [1, 2], x2, x3))
case("dstack", np.dstack([x2, x2 * 10]))
case("dstack_1d", np.dstack([a, a + 1]))
case("column_stack", np.column_stack([a, a * 2, np.arange(6).reshape(3, 2)]))
case("hsplit", *np.hsplit(x2, 2))
case("hsplit_1d", *np.hsplit(np.arange(6), [2, 5]))
case("vsplit", *np.vsplit(np.arange(16).reshape(4, 4), 2))
case("dsplit", *np.dsplit(x3, [1, 3]))
case("array_split_10_3", *np.array_split(x1, 3))
case("array_split_ax1", *np.array_split(x2, 3, axis=1))
case("array_split_list", *np.array_split(x1, [3, 7]))
f32 = lambda v: np.asarray(v, dtype=np.float32)
case("logspace_0_2_5", f32(np.logspace(0, 2, 5)))
case("logspace_base2", f32(np.logspace(1, 3, 4, endpoint=False, base=2)))
case("geomspace_1_1000_4", f32(np.geomspace(1, 1000, 4)))
case("geomspace_neg", f32(np.geomspace(-1, -16, 5)))
case("geomspace_down", f32(np.geomspace(2, 0.5, 3)))
# JAX's linspace-based forms with array bounds (values from jnp.logspace/geomspace's documented examples)
case("logspace_arrays", f32(np.array([[2.0 ** t, 3.0 ** (5 - t)] for t in np.linspace(0, 5, 5)])))
case("geomspace_arrays", f32(np.stack([np.geomspace(1, 27, 4), np.geomspace(1000, 1, 4)], 1)))
case("geomspace_axis1", f32(np.geomspace([1, 2], [16, 32], 5, axis=1)))
case("vsplit_1d", *np.split(np.arange(1, 7), 2))
case("insert_scalar", np.insert(np.arange(5), 2, 99))
case("insert_list", np.insert(np.arange(5), [1, 3], [10, 20]))
case("insert_neg", np.insert(np.arange(5), [-1, 0], 7))
case("insert_row", np.insert(x2, 1, 5, axis=0))
case("insert_col", np.insert(x2, 2, [7, 8, 9], axis=1))
case("insert_slice", np.insert(np.arange(5), slice(1, 4), [10, 20, 30]))
case("insert_end", np.insert(np.arange(5), 5, [8, 9]))
case("insert_flat", np.insert(x2, 3, -1))
case("delete_scalar", np.delete(np.arange(6), 2))
case("delete_list", np.delete(np.arange(6), [0, 3, 5]))
case("delete_row", np.delete(x2, 1, axis=0))
case("delete_cols", np.delete(x2, [0, 2], axis=1))
case("delete_neg", np.delete(np.arange(6), -1))
case("delete_slice", np.delete(np.arange(6), slice(None, None, 2)))
case("delete_mask", np.delete(np.arange(4), np.array([True, False, True, False])))
case("append_flat", np.append(np.arange(3), [[4, 5]]))
case("append_ax0", np.append(x2, x2[:1], axis=0))
case("resize_2_4", np.resize(np.arange(3), (2, 4)))
case("resize_5", np.resize(x2, 5))
case("resize_up", np.resize(np.array([[1.5, 2.5]], np.float32), (3, 3)))
case("kron_2d", np.kron(np.array([[1, 2], [3, 4]]), np.array([[0, 1], [1, 0]])))
case("kron_1d", np.kron([1, 2], [3, 4, 5]))
case("kron_mixed", np.kron(np.arange(4).reshape(2, 2), np.array([1.5, 2.0], np.float32)))
case("kron_3d", np.kron(x3[:, :2, :2], np.array([[1, -1]])))
case("ravel_multi_index", np.ravel_multi_index(([3, 6, 6], [4, 5, 1]), (7, 6)))
case("ravel_multi_index_F", np.ravel_multi_index(([3, 6, 6], [4, 5, 1]), (7, 6), order="F"))
case("ravel_multi_index_clip", np.ravel_multi_index(([-1, 8], [2, 9]), (7, 6), mode="clip"))
case("ravel_multi_index_wrap", np.ravel_multi_index(([-1, 8], [2, 9]), (7, 6), mode="wrap"))
case("unravel_index", *np.unravel_index([22, 41, 37], (7, 6)))
case("unravel_index_2d", *np.unravel_index(np.array([[1, 5], [23, 0]]), (2, 3, 4)))


def jax_unravel(idx, shape):
    idx = np.asarray(idx)
    out = [None] * len(shape)
    for i in reversed(range(len(shape))):
        idx, out[i] = np.divmod(idx, shape[i])
    return [np.where(idx > 0, s - 1, np.where(idx < -1, 0, o)) for s, o in zip(shape, out)]


case("unravel_index_oob", *jax_unravel([-1, 42, -43, 100, 5], (7, 6)))
case("ix", *np.ix_([0, 1], [2, 4, 5]))
choices = [[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23], [30, 31, 32, 33]]
case("choose", np.choose([2, 3, 1, 0], choices))
case("choose_wrap", np.choose([5, -1, 2], [[1, 2, 3], [4, 5, 6]], mode="wrap"))
case("choose_clip", np.choose([5, -1, 1], [[1, 2, 3], [4, 5, 6]], mode="clip"))
case("choose_bcast", np.choose([[1, 0, 1], [0, 1, 0]], [[-1], [10, 20, 30]]))
xf = np.arange(10)
case("select", np.select([xf < 3, xf > 5], [xf, xf ** 2], 42))
case("select_first_wins", np.select([xf < 6, xf > 3], [xf * 1.5, -xf], 0.5).astype(np.float32))
xp = np.linspace(-2.5, 2.5, 6).astype(np.float32)
case("piecewise", np.piecewise(xp, [xp < 0, xp >= 0], [lambda v: -v, lambda v: v * v]).astype(np.float32))
case("piecewise_otherwise", np.piecewise(xp, [xp < -1, xp > 1], [-1, 1, lambda v: v * 10]).astype(np.float32))
case("compress_rows", np.compress([False, True, True], x2, axis=0))
case("compress_cols", np.compress([False, True], x2, axis=1))
case("compress_flat", np.compress([1, 0, 1, 1, 0], np.arange(5) * 1.5).astype(np.float32))
# JAX's sized compress: the selected rows in order, then rows of fill_value.
case("compress_sized", np.array([[4, 5, 6, 7], [-1, -1, -1, -1], [-1, -1, -1, -1]]))
case("extract", np.extract(x2 % 3 == 0, x2 * 2))
case("extract_sized", np.array([0, 6, 12, 18, 0, 0]))
p = np.arange(6).reshape(2, 3)
np.place(p, p > 2, [44, 55])
case("place", p)
p = np.arange(5)
np.put(p, [0, 2], [-44, -55])
case("put", p)
p = np.arange(5)
np.put(p, [7, -1], [1, 2], mode="wrap")
case("put_wrap", p)
p = np.arange(5)
np.put(p, [7, -9], [1, 2], mode="clip")
case("put_clip", p)
p = np.zeros((3, 3), np.float32)
np.fill_diagonal(p, 5)
case("fill_diagonal", p)
p = np.zeros((3, 4), np.int32)
np.fill_diagonal(p, [1, 2])
case("fill_diagonal_wide", p)
case("nonzero_2d", *np.nonzero(x2 > 5))
case("nonzero_1d", *np.nonzero([0, 1, 0, 2]))
case("nonzero_3d", *np.nonzero(x3 % 7 == 0))
nz = np.nonzero(x2 % 5 == 0)
case("nonzero_size_fill", *[np.concatenate([v, [-1] * (6 - len(v))]) for v in nz])
case("nonzero_size_pad0", *[np.concatenate([v, [0] * (6 - len(v))]) for v in nz])
case("nonzero_size_trunc", *[v[:2] for v in nz])
case("argwhere", np.argwhere(x2 % 3 == 0))
case("argwhere_0d", np.argwhere(np.array(5)))
case("flatnonzero", np.flatnonzero([[0, 2], [3, 0]]))
u = np.array([3, 1, 2, 3, 1, 5, np.nan, np.nan, 2], np.float32)
case("unique", np.unique(u))
case("unique_all_flags", *np.unique(u, return_index=True, return_inverse=True, return_counts=True))
u2 = np.array([[4, 1, 4], [2, 2, 1]])
vals, inv = np.unique(u2.ravel(), return_inverse=True)
case("unique_inverse_2d", vals, inv.reshape(u2.shape))
rows = np.array([[1, 0], [0, 1], [1, 0], [0, 1], [2, 2], [0, 0]])
case("unique_rows", *np.unique(rows, axis=0, return_index=True, return_counts=True))
case("unique_cols", np.unique(rows.T, axis=1))
ui = np.array([5, 2, 2, 7])
case("unique_size_fill", np.array([2, 5, 7, -1, -1]))
case("unique_size_pad_min", np.array([2, 5, 7, 2, 2]))
# counts with size: padded counts are 0 (JAX's diff of starts padded with the length)
case("unique_size_counts", np.array([2, 5, 7, -1, -1]), np.array([2, 1, 1, 0, 0]))
case("unique_values", np.unique_values(u))
case("unique_counts", *np.unique_counts(u))
case("unique_inverse", *np.unique_inverse(u2))
ua = np.unique_all(np.array([3, 1, 3, 2, 1]))
case("unique_all", ua.values, ua.indices, ua.inverse_indices, ua.counts)
case("isin", np.isin(x2, [1, 5, 7]))
case("isin_invert", np.isin(x2, [1, 5, 7], invert=True))
case("isin_float_int", np.isin(np.array([1.0, 1.5, 2.0]), [1, 2]))
sa = np.array([1, 2, 3, 4, 5], np.float32)
sv = np.array([3, 0, 6, 2.5, 5], np.float32)
case("searchsorted_left", np.searchsorted(sa, sv).astype(np.int32))
case("searchsorted_right", np.searchsorted(sa, sv, side="right").astype(np.int32))
na = np.array([1, 2, np.nan], np.float32)
case("searchsorted_nan_left", np.searchsorted(na, np.array([np.nan, 3, 1], np.float32)).astype(np.int32))
case("searchsorted_nan_right", np.searchsorted(na, np.array([np.nan, 3, 1], np.float32), side="right").astype(np.int32))
case("searchsorted_2d_v", np.searchsorted(sa, np.array([[1, 4], [9, -1]], np.float32)).astype(np.int32))
uns = np.array([3, 1, 2])
case("searchsorted_sorter", np.searchsorted(uns, [2, 3], sorter=np.argsort(uns)).astype(np.int32))
dx = np.array([0.2, 6.4, 3.0, 1.6, 10.0, -1], np.float32)
db = np.array([0, 1, 2.5, 4, 10], np.float32)
case("digitize", np.digitize(dx, db))
case("digitize_right", np.digitize(dx, db, right=True))
case("digitize_decreasing", np.digitize(dx, db[::-1]))
case("digitize_decreasing_right", np.digitize(dx, db[::-1], right=True))
bx = np.array([0, 1, 1, 3, 2, 1, 7])
case("bincount", np.bincount(bx))
case("bincount_weights", np.bincount(bx, weights=np.linspace(0, 1, 7)).astype(np.float32))
case("bincount_minlength", np.bincount(bx, minlength=10))
case("bincount_length", np.bincount(bx[bx < 4], minlength=4))
case("bincount_negative", np.array([2, 0, 1]))  # JAX clips -1 to bin 0: bincount([-1, 0, 2], length=3)
hd = np.array([0.5, 1.5, 2.0, 2.0, 3.7, 4.0, 9.0, 1.0, 2.5], np.float32)
h, e = np.histogram(hd, bins=5)
case("histogram", h.astype(np.float32), e.astype(np.float32))
h, e = np.histogram(hd, bins=4, range=(1, 3))
case("histogram_range", h.astype(np.float32), e.astype(np.float32))
hw = np.linspace(0.1, 0.9, 9).astype(np.float32)
h, e = np.histogram(hd, bins=3, weights=hw, density=True)
case("histogram_weights_density", h.astype(np.float32), e.astype(np.float32))
h, e = np.histogram(hd, bins=[0, 1, 2.5, 10])
case("histogram_edges", h.astype(np.float32), e.astype(np.float32))
h, e = np.histogram(np.array([1, 2, 3, 10, 11, 15, 19, 25]), range=(0, 25), bins=5)
case("histogram_int_range", h.astype(np.float32), e.astype(np.float32))  # 15 sits on an edge: edges must be exact
case("histogram_bin_edges", np.histogram_bin_edges(hd, bins=6).astype(np.float32))
case("histogram_bin_edges_const", np.histogram_bin_edges(np.array([2.0, 2.0], np.float32), bins=2).astype(np.float32))
s1, s2 = np.array([1, 2, 3, 2, 4, 1]), np.array([3, 4, 5, 6])
case("setdiff1d", np.setdiff1d(s1, s2))
case("setdiff1d_size", np.array([1, 2, 0, 0, 0]))
case("setdiff1d_size_fill", np.array([1, 2, -9, -9, -9]))
case("union1d", np.union1d([-1, 0, 1], [-2, 0, 2]))
case("union1d_size", np.array([-2, -1, 0, 1, 2, -2, -2]))
i1, i2 = np.array([1, 3, 4, 3]), np.array([3, 1, 2, 1])
case("intersect1d", np.intersect1d(i1, i2))
case("intersect1d_indices", *np.intersect1d(i1, i2, return_indices=True))
case("intersect1d_size", np.array([1, 3, 1, 1]))
case("intersect1d_size_indices", np.array([1, 3, 1, 1]), np.array([0, 1, 4, 4]), np.array([1, 0, 4, 4]))
case("intersect1d_size_empty", np.array([0, 0]))
x1s, x2s = np.array([1, 2, 3, 2, 4]), np.array([2, 3, 5, 7, 5])
case("setxor1d", np.setxor1d(x1s, x2s))
case("setxor1d_size", np.array([1, 4, 5, 7, 1, 1]))
case("setxor1d_size_fill", np.array([1, 4, 5, 7, 0]))
case("setxor1d_nan", np.setxor1d(np.array([1, np.nan], np.float32), np.array([np.nan, 2], np.float32)))
k1 = np.array([1, 5, 1, 4, 3, 4, 4])
k2 = np.array([9, 4, 0, 4, 0, 2, 1])
case("lexsort", np.lexsort((k2, k1)).astype(np.int32))
lk = np.array([[[3, 1], [1, 1]], [[0, 2], [1, 0]]])  # keys [2][2,2]
case("lexsort_2d_axis0", np.lexsort(lk, axis=0).astype(np.int32))
case("lexsort_2d_axis-1", np.lexsort(lk).astype(np.int32))


def jax_partition(a, k, axis=-1):
    a = np.moveaxis(np.asarray(a), axis, -1)
    k %= a.shape[-1]
    s = np.sort(a, -1, kind="stable")
    out = np.concatenate([s[..., :k + 1], s[..., k + 1:][..., ::-1]], -1)
    return np.moveaxis(out, -1, axis)


def jax_argpartition(a, k, axis=-1):
    a = np.moveaxis(np.asarray(a), axis, -1)
    k %= a.shape[-1]
    o = np.argsort(a, -1, kind="stable")[..., :k + 1]
    rest = np.array([[j for j in range(a.shape[-1]) if j not in set(r)] for r in o.reshape(-1, k + 1)]).reshape(*a.shape[:-1], -1)
    return np.moveaxis(np.concatenate([o, rest], -1).astype(np.int32), -1, axis)


pa = np.array([7, 2, 9, 2, 5, 1, 8], np.float32)
pm = np.array([[3, 1, 2, 9], [4, 4, 0, 1], [8, 6, 7, 5]], np.float32)
for k in (0, 3, 6, -2):
    case(f"partition_{k}", jax_partition(pa, k))
    case(f"argpartition_{k}", jax_argpartition(pa, k))
    assert np.partition(pa, k)[k] == jax_partition(pa, k)[k]
pn = np.array([3, np.nan, 1, 2], np.float32)
case("partition_nan", jax_partition(pn, 1))
case("argpartition_nan", jax_argpartition(pn, 1))
case("partition_2d_ax0", jax_partition(pm, 1, 0))
case("argpartition_2d", jax_argpartition(pm, 2))

with open(OUT, "w") as f:
    json.dump({"cases": cases}, f, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {OUT}")
