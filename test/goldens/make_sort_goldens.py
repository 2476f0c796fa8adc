#!/usr/bin/env python3
"""Golden values for jnp.sort, jnp.argsort and lax.topK (test/sorting.test.ts).

Run:  python3 test/goldens/make_sort_goldens.py      (python3 + numpy; deterministic)

Writes test/goldens/sort.json: {"cases": [{"op", "dtype", "x", "shape", "axis", "descending", "want", "wantShape"}]}.
Floats are written as numbers or the strings "nan", "inf", "-inf", "-0". The expected values follow
JAX's definitions (jax/_src/numpy/sorting.py, lax.top_k): a stable ascending sort in numpy's order
(NaN last, -0 equal to 0); descending = the ascending sort of the reversed keys, reversed, so equal
keys keep their original order; top_k = the first k of the descending argsort along the last axis.
"""

import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sort.json")
rng = np.random.default_rng(20261126)


def enc(v):
    v = float(v)
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0 and np.signbit(v):
        return "-0"
    return v


def argsort(x, axis, descending):
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    idx = np.indices(x.shape)[axis]
    xr, ir = np.flip(x, axis), np.flip(idx, axis)
    order = np.argsort(xr, axis=axis, kind="stable")
    return np.flip(np.take_along_axis(ir, order, axis), axis)


def case(op, x, axis=-1, descending=False, k=None):
    flat = axis is None
    a = x.ravel() if flat else x
    ax = 0 if flat else axis
    if op == "sort":
        s = np.sort(a, axis=ax, kind="stable")
        want = np.flip(s, ax) if descending else s
    elif op == "argsort":
        want = argsort(a, ax, descending)
    else:  # topk values and indices, concatenated
        idx = argsort(x, -1, True)[..., :k]
        want = np.concatenate([np.take_along_axis(x, idx, -1).ravel().astype(np.float64), idx.ravel().astype(np.float64)])
    return {"op": op, "dtype": str(x.dtype), "x": [enc(v) for v in x.ravel()], "shape": list(x.shape), "axis": axis, "descending": descending,
            "k": k, "want": [enc(v) for v in np.asarray(want).ravel()], "wantShape": list(np.asarray(want).shape)}


ties = (rng.integers(-3, 4, (4, 7)) / 2.0).astype(np.float32)
special = np.array([[1.5, np.nan, -0.0, 0.0, -np.inf, np.inf, 2.0, np.nan, -1.0],
                    [0.0, -0.0, 3.0, 3.0, np.nan, -2.0, np.inf, -np.inf, 0.5]], dtype=np.float32)
ints = rng.integers(-5, 6, (3, 5)).astype(np.int32)
cases = []
for x in (ties, special, ints):
    for axis in (-1, 0, None):
        for desc in (False, True):
            cases.append(case("sort", x, axis, desc))
            cases.append(case("argsort", x, axis, desc))
for x in (ties, special, ints):
    for k in (0, 1, 3):
        cases.append(case("topk", x, -1, True, k))

with open(OUT, "w") as f:
    json.dump({"cases": cases}, f, separators=(",", ":"))
print(f"wrote {OUT}: {len(cases)} cases")
