#!/usr/bin/env python3
"""Golden values for jnp.linalg.norm (test/options.test.ts).

Run:  python3 test/goldens/make_norm_goldens.py      (python3 + numpy; deterministic)

Writes test/goldens/norm.json: {"cases": [{"x", "shape", "ord", "axis", "keepdims", "want", "wantShape"}]}.
"x" holds float32 inputs (exact decimals) and "want" numpy.linalg.norm of those float32 values in
float64. "ord" is a number, "inf"/"-inf", "fro" or null; "axis" an int, a list of two ints, or null.
"""

import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "norm.json")
rng = np.random.default_rng(20261126)


def ordname(o):
    return "inf" if o == np.inf else "-inf" if o == -np.inf else o


cases = []
vec = (rng.integers(-8, 9, 7) / 2.0).astype(np.float32)
mat = (rng.integers(-8, 9, (3, 4)) / 2.0).astype(np.float32)
cube = rng.normal(0, 1, (2, 3, 4)).astype(np.float32)
specs = [(vec, o, None, False) for o in (None, 1, 2, 3, 0.5, 0, np.inf, -np.inf)]
specs += [(mat, o, None, False) for o in (None, "fro", 1, -1, np.inf, -np.inf)]
specs += [(mat, o, ax, kd) for o in (None, 1, np.inf) for ax in (0, 1, -1) for kd in (False, True)]
specs += [(cube, o, ax, kd) for o in (None, "fro", 1, np.inf, -1) for ax in ([0, 2], [2, 1]) for kd in (False, True)]
specs += [(cube, None, None, False), (cube, None, None, True), (cube, 2, 1, False)]
for x, o, ax, kd in specs:
    want = np.linalg.norm(x.astype(np.float64), ord=o, axis=tuple(ax) if isinstance(ax, list) else ax, keepdims=kd)
    want = np.asarray(want)
    cases.append({"x": [float(v) for v in x.ravel()], "shape": list(x.shape), "ord": ordname(o), "axis": ax, "keepdims": kd,
                  "want": [float(v) for v in want.ravel()], "wantShape": list(want.shape)})

with open(OUT, "w") as f:
    json.dump({"cases": cases}, f, separators=(",", ":"))
print(f"wrote {OUT}: {len(cases)} cases")
