#!/usr/bin/env python3
"""Golden values for the jnp/lax semantics audit (test/jnp-semantics.test.ts).

Run:  python3 test/goldens/make_semantics_goldens.py      (python3 + numpy; deterministic)

Writes test/goldens/semantics.json: {"cases": [{"name", "op", "x": {"dtype", "shape", "data"}, "params", "want": {...}}]}.
Each case is one call where JAX follows numpy (jnp.pad modes, reshape order="F", take modes, tensordot
axes, reductions with where/initial) or XLA's definition (lax.reduce_window: every window folds its
elements into init_value; padding and base-dilation holes hold init_value). Floats are numbers or the
strings "nan", "inf", "-inf".
"""

import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "semantics.json")
rng = np.random.default_rng(20261126)


def enc(v):
    v = float(v)
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def arr(a):
    a = np.asarray(a)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": [enc(v) for v in a.ravel()]}


cases = []


def add(name, op, x, params, want):
    cases.append({"name": name, "op": op, "x": arr(x), "params": params, "want": arr(want)})


# jnp.pad: every numpy mode tinyjax has, including pads wider than the axis (numpy reflects repeatedly).
v = np.array([1, 2, 3], np.int32)
m = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5
for mode in ("edge", "reflect", "symmetric", "wrap"):
    for pw in (2, [1, 3], [4, 5]):
        add(f"pad {mode} {pw}", "pad", v, {"padWidth": pw, "mode": mode}, np.pad(v, pw, mode=mode))
    add(f"pad {mode} 2-D", "pad", m, {"padWidth": [[1, 2], [3, 1]], "mode": mode}, np.pad(m, [[1, 2], [3, 1]], mode=mode))
add("pad constant pairs", "pad", m, {"padWidth": [[1, 0], [2, 1]], "mode": "constant", "constantValues": [[7, 8], [9, 10]]},
    np.pad(m, [[1, 0], [2, 1]], constant_values=[[7, 8], [9, 10]]))
add("pad constant before/after", "pad", v, {"padWidth": [2, 1], "mode": "constant", "constantValues": [4, 6]},
    np.pad(v, [2, 1], constant_values=[4, 6]))
vi = np.array([[1, 2, 4], [7, 3, 5]], np.int32)
for mode in ("mean", "maximum", "minimum"):
    add(f"pad {mode} 1-D", "pad", np.array([10, 20, 30, 45], np.int32), {"padWidth": 2, "mode": mode}, np.pad(np.array([10, 20, 30, 45], np.int32), 2, mode=mode))
    add(f"pad {mode} 2-D int", "pad", vi, {"padWidth": [[1, 2], [2, 1]], "mode": mode}, np.pad(vi, [[1, 2], [2, 1]], mode=mode))
    add(f"pad {mode} 2-D float statLength", "pad", m, {"padWidth": [[1, 1], [2, 1]], "mode": mode, "statLength": [[1, 2], [2, 5]]},
        np.pad(m, [[1, 1], [2, 1]], mode=mode, stat_length=[[1, 2], [2, 5]]))
add("pad one axis of length 1 reflect", "pad", np.array([5], np.int32), {"padWidth": 2, "mode": "reflect"}, np.pad(np.array([5], np.int32), 2, mode="reflect"))

# reshape with order="F".
x24 = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
for shape in ([4, 6], [6, -1], [3, 2, 4], [24]):
    add(f"reshape F {shape}", "reshapeF", x24, {"shape": shape}, np.reshape(x24, shape, order="F"))

# take with JAX's modes: fill (default; negative indices count from the end, the rest fill), clip
# (no wrapping of negatives), wrap (modulo).
t = np.array([[1.5, -2.0, 3.25], [4.0, 5.5, -6.0]], np.float32)
idx = [-4, -3, -1, 0, 2, 3, 7]
for axis in (None, 1):
    base = t.ravel() if axis is None else t
    n = base.shape[0 if axis is None else axis]
    ii = np.array(idx)
    norm = np.where(ii < 0, ii + n, ii)
    ok = (norm >= 0) & (norm < n)
    filled = np.take(base, np.clip(norm, 0, n - 1), axis=0 if axis is None else axis)
    okb = ok if axis is None else ok[None, :]
    add(f"take fill axis {axis}", "take", t, {"indices": idx, "axis": axis, "mode": "fill", "fillValue": -1},
        np.where(okb, filled, -1).astype(np.float32))
    add(f"take clip axis {axis}", "take", t, {"indices": idx, "axis": axis, "mode": "clip"}, np.take(t, idx, axis=axis, mode="clip"))
    add(f"take wrap axis {axis}", "take", t, {"indices": idx, "axis": axis, "mode": "wrap"}, np.take(t, idx, axis=axis, mode="wrap"))

# tensordot's axes forms.
a = rng.integers(-3, 4, (3, 4, 5)).astype(np.float32)
b = rng.integers(-3, 4, (5, 4, 2)).astype(np.float32)
add("tensordot (int, int)", "tensordot", a, {"y": arr(b), "axes": [2, 0]}, np.tensordot(a, b, (2, 0)))
add("tensordot pairs", "tensordot", a, {"y": arr(b), "axes": [[1, 2], [1, 0]]}, np.tensordot(a, b, ([1, 2], [1, 0])))
add("tensordot 0", "tensordot", a[0, 0], {"y": arr(b[0, 0]), "axes": 0}, np.tensordot(a[0, 0], b[0, 0], 0))

# Reductions with where= and initial=.
r = rng.integers(-9, 10, (3, 4)).astype(np.float32)
mask = rng.random((3, 4)) < 0.6
mask[1] = False  # a fully masked row
for fn in ("sum", "prod", "max", "min"):
    for axis in (None, 0, 1):
        init = {"sum": 0.5, "prod": 2.0, "max": -100.0, "min": 100.0}[fn]
        got = getattr(np, fn if fn in ("sum", "prod") else ("amax" if fn == "max" else "amin"))(r, axis=axis, where=mask, initial=init)
        add(f"{fn} where+initial axis {axis}", "reduce", r, {"fn": fn, "axis": axis, "where": arr(mask), "initial": init}, got)
    got = getattr(np, fn if fn in ("sum", "prod") else ("amax" if fn == "max" else "amin"))(r, axis=1, keepdims=True, initial={"sum": 1.0, "prod": 1.0, "max": 5.0, "min": -5.0}[fn])
    add(f"{fn} initial keepdims", "reduce", r, {"fn": fn, "axis": 1, "keepdims": True, "initial": {"sum": 1.0, "prod": 1.0, "max": 5.0, "min": -5.0}[fn]}, got)
mask2 = mask.copy()
mask2[1, 0] = True
for fn in ("mean", "var", "std"):
    for axis in (None, 1):
        add(f"{fn} where axis {axis}", "reduce", r, {"fn": fn, "axis": axis, "where": arr(mask2)}, getattr(np, fn)(r, axis=axis, where=mask2).astype(np.float32))
add("max initial on empty", "reduce", np.zeros((0, 3), np.float32), {"fn": "max", "axis": 0, "initial": -1.0}, np.max(np.zeros((0, 3), np.float32), axis=0, initial=-1.0))
add("all where", "reduce", np.array([True, False, True]), {"fn": "all", "axis": None, "where": arr(np.array([True, False, True]))}, np.array(True))
add("any where", "reduce", np.array([False, True, False]), {"fn": "any", "axis": None, "where": arr(np.array([True, False, True]))}, np.array(False))


# lax.reduce_window with XLA's definition, computed directly.
def reduce_window(x, init, fn, window, strides, pads, base_dil, win_dil):
    x = np.asarray(x, np.float64)
    # base dilation holes and padding hold init
    shape = [(n - 1) * d + 1 if n else 0 for n, d in zip(x.shape, base_dil)]
    dil = np.full(shape, init, np.float64)
    dil[tuple(slice(None, None, d) for d in base_dil)] = x
    padded = np.pad(dil, pads, constant_values=init)
    eff = [(k - 1) * d + 1 for k, d in zip(window, win_dil)]
    out_shape = [max(0, (n - e) // s + 1) for n, e, s in zip(padded.shape, eff, strides)]
    out = np.full(out_shape, init, np.float64)
    for o in np.ndindex(*out_shape):
        acc = init
        for w in np.ndindex(*window):
            pos = tuple(oi * s + wi * d for oi, s, wi, d in zip(o, strides, w, win_dil))
            acc = fn(acc, padded[pos])
        out[o] = acc
    return out.astype(np.float32)


ops = {"add": lambda p, q: p + q, "mul": lambda p, q: p * q, "max": max, "min": min}
w = rng.integers(-5, 6, (5, 6)).astype(np.float32)
configs = [
    ("max", -np.inf, [2, 2], [2, 2], [[0, 0], [0, 0]], [1, 1], [1, 1]),
    ("add", 0.0, [3, 2], [1, 2], [[1, 1], [0, 1]], [1, 1], [1, 1]),
    ("add", 1.5, [2, 2], [1, 1], [[0, 0], [0, 0]], [1, 1], [1, 1]),
    ("mul", 1.0, [1, 2], [1, 1], [[0, 0], [0, 0]], [1, 1], [1, 1]),
    ("min", np.inf, [2, 2], [1, 1], [[0, 0], [0, 0]], [1, 1], [2, 2]),
    ("max", -np.inf, [2, 3], [1, 2], [[1, 0], [2, 2]], [2, 1], [1, 2]),
    ("add", 0.0, [2, 2], [2, 1], [[0, 1], [1, 0]], [2, 2], [1, 1]),
]
for fn, init, win, st, pads, bd, wd in configs:
    add(f"reduceWindow {fn} init {init} win {win} strides {st} pads {pads} bd {bd} wd {wd}", "reduceWindow", w,
        {"fn": fn, "init": enc(init), "window": win, "strides": st, "padding": pads, "baseDilation": bd, "windowDilation": wd},
        reduce_window(w, init, ops[fn], win, st, pads, bd, wd))

# full with an array fill value broadcasts it (numpy's full).
add("full broadcast fill", "full", np.array([[1.5], [2.0]], np.float32), {"shape": [2, 3]}, np.full([2, 3], np.array([[1.5], [2.0]], np.float32)))

with open(OUT, "w") as f:
    json.dump({"cases": cases}, f, separators=(",", ":"))
print(f"wrote {OUT}: {len(cases)} cases")
