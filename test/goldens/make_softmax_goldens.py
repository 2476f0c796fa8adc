#!/usr/bin/env python3
"""Golden values for nn.softmax, nn.logSoftmax and jnp.logsumexp (test/softmax.test.ts).

Run:  python3 test/goldens/make_softmax_goldens.py      (python3 + numpy; deterministic)

Writes test/goldens/softmax.json: {"cases": [{"name", "op", "axis", "shape", "x", "want"}, ...]}.
"x" holds float32 inputs and "want" the expected outputs in float64, computed from those float32
values; non-finite numbers are written as the strings "inf", "-inf" and "nan". "axis" is an int, a
list of ints, or null (all axes); logsumexp's "want" has the axes removed (keepdims=False).

The formulas are JAX's (jax.nn.softmax, jax.nn.log_softmax, jax.nn.logsumexp), which fix the
special values numpy leaves to chance: the max is subtracted first, so a row with NaN or +inf gives
NaN (inf - inf) and a row of all -inf gives NaN for softmax/log_softmax; logsumexp shifts by the max
only where it is finite, so all -inf gives -inf, an +inf gives +inf and a NaN gives NaN.
"""

import json
import math
import os
import warnings

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "softmax.json")
rng = np.random.default_rng(20261126)


def enc(a, digits):
    """Shortest decimals: float32 inputs exactly (9 digits round-trip), outputs to 12 digits."""
    out = []
    for v in np.asarray(a).ravel():
        if math.isnan(v):
            out.append("nan")
        elif math.isinf(v):
            out.append("inf" if v > 0 else "-inf")
        else:
            out.append(float(str(v)) if digits is None else float(f"{float(v):.{digits}g}"))
    return out


def axes_of(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = [axis]
    return tuple(sorted(a % ndim for a in axis))


def jax_max(x, axes):
    # np.max propagates NaN like lax.reduce_max; an empty reduction is -inf (JAX's initial value).
    if x.size == 0:
        return np.full([1 if i in axes else d for i, d in enumerate(x.shape)], -np.inf)
    return np.max(x, axis=axes, keepdims=True)


def softmax(x, axes):
    e = np.exp(x - jax_max(x, axes))
    return e / np.sum(e, axis=axes, keepdims=True)


def log_softmax(x, axes):
    shifted = x - jax_max(x, axes)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axes, keepdims=True))


def logsumexp(x, axes):
    m = jax_max(x, axes)
    safe = np.where(np.isfinite(m), m, 0.0)
    out = np.log(np.sum(np.exp(x - safe), axis=axes, keepdims=True)) + safe
    return np.squeeze(out, axis=axes)


OPS = {"softmax": softmax, "log_softmax": log_softmax, "logsumexp": logsumexp}
cases = []


def add(name, x, axis, ops=OPS):
    x = np.asarray(x, dtype=np.float32)
    for op in ops:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = OPS[op](x.astype(np.float64), axes_of(axis, x.ndim))
        cases.append({"name": f"{op} {name}", "op": op, "axis": axis, "shape": list(x.shape),
                      "x": enc(x, None), "want": enc(want, 12)})


def rand(shape, scale=3.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


# Row lengths around the kernel's vector widths (4, 8, 16) and tails, rows of length 1.
for n in [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 33, 100, 257]:
    add(f"rows 3x{n}", rand([3, n]), -1)
add("one row of 1", rand([1]), -1)
add("column of 5 rows of 1", rand([5, 1]), -1)
# Other axes: strided columns (inner > 1) with and without a multiple of 4 columns.
add("axis 0 of 6x8", rand([6, 8]), 0)
add("axis 0 of 9x7", rand([9, 7]), 0)
add("axis 1 of 3x5x6", rand([3, 5, 6]), 1)
add("axis 1 of 2x17x3", rand([2, 17, 3]), 1)
add("axes (0, 2) of 3x4x5", rand([3, 4, 5]), [0, 2])
add("axes (1, 2) of 2x3x5", rand([2, 3, 5]), [1, 2])
add("axes (0, 1) of 4x3x2 (leading)", rand([4, 3, 2]), [0, 1])
add("all axes of 3x7", rand([3, 7]), None)
add("axis 1 of 4x1x6 (length 1)", rand([4, 1, 6]), 1)
add("axis 2 with size-1 axes around", rand([1, 3, 9, 1]), 2)
# Large magnitudes: without the max shift exp would overflow.
add("large values", np.array([[1000, 1001, 999, 998.5, 1002], [-1e4, -1e4 + 1, -1e4 + 2, -1e4 - 3, -1e4]]), -1)
# Results in the subnormal range and below (exp(-100) is subnormal in float32).
add("tiny probabilities", np.array([[0, -50, -87, -88, -100, -104, -110, -200, 3]]), -1)
# Special values, each in its own row so the others stay finite.
special = np.array([
    [-np.inf] * 6,                                # all -inf: NaN (softmax), -inf (logsumexp)
    [1, -np.inf, 2, -np.inf, 3, 0.5],             # masked entries: exp(-inf) = 0
    [1, np.inf, 2, 0, -1, 4],                     # +inf: NaN, logsumexp +inf
    [1, np.nan, 2, 0, -1, 4],                     # NaN anywhere: NaN
    [np.inf, np.inf, 0, 1, 2, 3],
    [-np.inf, np.inf, 0, 1, 2, 3],
    [np.nan, -np.inf, np.inf, 0, 0, 0],
    [0, 0, 0, 0, 0, 0],
    [-0.0, 0.0, -0.0, 0.0, -0.0, -0.0],
])
add("special values along rows", special, -1)
add("special values along columns", special.T.copy(), 0)
# Special values in the vector part and in the tail of a longer row.
long = rand([3, 21])
long[0, 2] = np.nan
long[1, 19] = np.inf
long[2, :] = -np.inf
add("special values in 3x21 rows (vector part and tail)", long, -1)
# Empty arrays: no rows, or rows of length 0 (logsumexp of nothing is -inf).
add("no rows (0x5)", np.zeros([0, 5]), -1)
add("rows of length 0 (3x0)", np.zeros([3, 0]), -1, ops=["softmax", "logsumexp"])

with open(OUT, "w") as f:
    json.dump({"cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {OUT}")
