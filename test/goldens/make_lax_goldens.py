# Goldens for test/lax-extra.test.ts: scipy's special functions at float32 inputs (values in
# float64), and numpy results for lax's slicing and cumulative functions.
# Run: python3 test/goldens/make_lax_goldens.py  (writes test/goldens/lax.json)
import json
import os
import numpy as np
from scipy import special as sp

def enc(a):
    return [v if np.isfinite(v) else ("nan" if np.isnan(v) else ("inf" if v > 0 else "-inf")) for v in np.asarray(a, np.float64).ravel().tolist()]

def f32(xs):
    return np.unique(np.asarray(xs, np.float32)).astype(np.float64)

rng = np.random.default_rng(0)
pos = np.concatenate([np.geomspace(1e-6, 1e6, 120), np.linspace(0.01, 12, 150), [0.5, 1, 2, 3, 1.4616321, 1.0001, 0.9999, 1.9999, 2.0001, 7.99, 8, 8.01, 3e4, 1e30]])
neg = -np.concatenate([np.linspace(0.05, 9.95, 80), rng.uniform(10, 60, 20)])
neg = neg[np.abs(neg - np.round(neg)) > 0.02]  # off the poles
# lgamma has zeros near -2.457, -2.747, ...: absolute error only is meaningful there, so keep away.
xs_g = f32(np.concatenate([pos, neg]))
xs_e = f32(np.concatenate([np.linspace(-6, 10, 400), [0, 0.49, 0.5, 0.51, 1e-8, 9.9, -1e-8]]))
xs_i = f32(np.concatenate([np.linspace(-0.999, 0.999, 300), [0.9999, -0.99999, 1e-7, 0]]))

out = {
    "lgamma": {"x": enc(xs_g), "y": enc(sp.gammaln(xs_g)), "dy": enc(sp.digamma(xs_g))},
    "digamma": {"x": enc(xs_g), "y": enc(sp.digamma(xs_g)), "dy": enc(sp.polygamma(1, xs_g))},
    "erfc": {"x": enc(xs_e), "y": enc(sp.erfc(xs_e)), "dy": enc(-2 / np.sqrt(np.pi) * np.exp(-xs_e ** 2))},
    "erfInv": {"x": enc(xs_i), "y": enc(sp.erfinv(xs_i)), "dy": enc(np.sqrt(np.pi) / 2 * np.exp(sp.erfinv(xs_i) ** 2))},
    "specials": {
        "x": enc([0, -1, -2.5, np.inf, -np.inf, np.nan]),
        # JAX (XLA) conventions: lgamma is +inf at poles and +-inf; digamma is NaN at poles and -inf.
        "lgamma": enc([np.inf, np.inf, sp.gammaln(-2.5), np.inf, np.inf, np.nan]),
        "digamma": enc([np.nan, np.nan, sp.digamma(-2.5), np.inf, np.nan, np.nan]),
        "erfc": enc(sp.erfc([0, -1, -2.5, np.inf, -np.inf, np.nan])),
    },
}

# Cumulative reductions of one 3x5 array along each axis, both directions.
a = np.round(rng.uniform(-2, 2, (3, 5)), 2).astype(np.float32).astype(np.float64)
cum = {}
for axis in (0, 1):
    for rev in (False, True):
        b = np.flip(a, axis) if rev else a
        r = {"cumsum": np.cumsum(b, axis), "cumprod": np.cumprod(b, axis), "cummax": np.maximum.accumulate(b, axis),
             "cummin": np.minimum.accumulate(b, axis), "cumlogsumexp": np.logaddexp.accumulate(b, axis)}
        for k, v in r.items():
            cum[f"{k}/{axis}/{int(rev)}"] = enc(np.flip(v, axis) if rev else v)
out["cum"] = {"a": enc(a), "shape": list(a.shape), "out": cum}

# dynamic_slice / dynamic_update_slice with XLA's clamping (negative starts wrap once first).
x = np.arange(4 * 5 * 3, dtype=np.float64).reshape(4, 5, 3)
def clampstart(s, n, m):
    s = s + n if s < 0 else s
    return min(max(s, 0), n - m)
cases = []
for starts, sizes in [([1, 2, 0], [2, 2, 3]), ([3, 4, 2], [2, 3, 1]), ([-1, -2, 1], [1, 2, 2]), ([-9, 7, 0], [4, 1, 3]), ([0, 0, 0], [0, 2, 1])]:
    st = [clampstart(s, n, m) for s, n, m in zip(starts, x.shape, sizes)]
    sl = x[tuple(slice(s, s + m) for s, m in zip(st, sizes))]
    upd = -1 - np.arange(int(np.prod(sizes)), dtype=np.float64).reshape(sizes)
    y = x.copy()
    y[tuple(slice(s, s + m) for s, m in zip(st, sizes))] = upd
    cases.append({"starts": starts, "sizes": sizes, "slice": enc(sl), "update": enc(upd), "updated": enc(y)})
out["dynamic"] = {"shape": list(x.shape), "cases": cases}

with open(os.path.join(os.path.dirname(__file__), "lax.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
