"""Goldens for conv_general_dilated (test/goldens/conv.json), computed with numpy only.

Each case stores lhs (N, C, spatial...), rhs (O, I, spatial...) and the output (N, O, spatial...)
of lax.conv_general_dilated with explicit (lo, hi) padding, strides, lhs/rhs dilation and feature
groups. The convolution here is built independently of tinyjax: zeros inserted for dilation, np.pad
(negative padding crops), sliding windows, and one tensordot per group.
Run: python3 test/goldens/make_conv_goldens.py
"""
import json
import os

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def dilate(a, rates, first_axis):
  shape = list(a.shape)
  for i, r in enumerate(rates):
    n = shape[first_axis + i]
    shape[first_axis + i] = 0 if n == 0 else (n - 1) * r + 1
  out = np.zeros(shape, a.dtype)
  idx = [slice(None)] * a.ndim
  for i, r in enumerate(rates):
    idx[first_axis + i] = slice(None, None, r)
  out[tuple(idx)] = a
  return out


def conv(x, w, strides, padding, lhs_dil, rhs_dil, groups):
  nd = x.ndim - 2
  x = dilate(x, lhs_dil, 2)
  x = np.pad(x, [(0, 0), (0, 0)] + [(max(lo, 0), max(hi, 0)) for lo, hi in padding])
  crop = [slice(None), slice(None)] + [slice(-min(lo, 0), x.shape[2 + i] + min(hi, 0)) for i, (lo, hi) in enumerate(padding)]
  x = x[tuple(crop)]
  w = dilate(w, rhs_dil, 2)
  win = sliding_window_view(x, w.shape[2:], axis=tuple(range(2, 2 + nd)))  # N C out... k...
  win = win[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in strides)]
  c_in = x.shape[1] // groups
  o_g = w.shape[0] // groups
  outs = []
  for g in range(groups):
    xg = win[:, g * c_in:(g + 1) * c_in]
    wg = w[g * o_g:(g + 1) * o_g]
    y = np.tensordot(xg, wg, axes=([1] + list(range(2 + nd, 2 + 2 * nd)), [1] + list(range(2, 2 + nd))))  # N out... O
    outs.append(np.moveaxis(y, -1, 1))
  return np.concatenate(outs, axis=1)


CASES = [
  # name, lhs shape, rhs shape, strides, padding, lhs_dilation, rhs_dilation, groups
  ("2d same", (2, 3, 7, 6), (5, 3, 3, 3), (1, 1), ((1, 1), (1, 1)), (1, 1), (1, 1), 1),
  ("2d strided odd", (1, 5, 9, 11), (7, 5, 3, 2), (2, 3), ((0, 1), (2, 0)), (1, 1), (1, 1), 1),
  ("2d rhs dilation", (2, 4, 10, 9), (9, 4, 3, 3), (1, 2), ((2, 2), (1, 3)), (1, 1), (2, 3), 1),
  ("2d lhs dilation", (1, 3, 5, 4), (4, 3, 3, 2), (1, 1), ((2, 2), (1, 1)), (2, 3), (1, 1), 1),
  ("2d negative padding", (1, 4, 8, 8), (3, 4, 2, 3), (1, 2), ((-1, 0), (1, -2)), (1, 1), (1, 1), 1),
  ("2d groups", (2, 6, 6, 7), (9, 2, 3, 3), (1, 1), ((1, 1), (0, 2)), (1, 1), (1, 1), 3),
  ("2d depthwise", (1, 4, 5, 5), (8, 1, 3, 3), (2, 2), ((1, 1), (1, 1)), (1, 1), (1, 1), 4),
  ("2d many channels", (1, 37, 6, 5), (19, 37, 2, 2), (1, 1), ((0, 0), (0, 0)), (1, 1), (1, 1), 1),
  ("1d", (3, 5, 13), (6, 5, 4), (2,), ((1, 2),), (1,), (2,), 1),
  ("1d groups", (2, 4, 9), (6, 2, 3), (1,), ((0, 0),), (1,), (1,), 2),
  ("3d", (1, 2, 4, 5, 3), (3, 2, 2, 3, 2), (1, 2, 1), ((1, 0), (1, 1), (0, 1)), (1, 1, 2), (2, 1, 1), 1),
  # Enough channels for the Wasm backend's Winograd path (src/backend/wasm/lower-conv.ts): odd
  # output sizes, channel counts not multiples of 4, lhs dilation and uneven padding.
  ("2d winograd same odd", (2, 13, 7, 9), (6, 13, 3, 3), (1, 1), ((1, 1), (1, 1)), (1, 1), (1, 1), 1),
  ("2d winograd lhs dilation", (1, 16, 9, 9), (5, 16, 3, 3), (1, 1), ((0, 1), (2, 0)), (2, 1), (1, 1), 1),
]


def main():
  rng = np.random.default_rng(20261126)
  out = []
  for name, xs, ws, strides, padding, ld, rd, groups in CASES:
    x = np.round(rng.uniform(-1, 1, xs), 6)
    w = np.round(rng.uniform(-1, 1, ws), 6)
    y = conv(x, w, strides, padding, ld, rd, groups)
    out.append({
      "name": name, "lhs": {"shape": list(xs), "data": x.ravel().tolist()}, "rhs": {"shape": list(ws), "data": w.ravel().tolist()},
      "strides": list(strides), "padding": [list(p) for p in padding], "lhsDilation": list(ld), "rhsDilation": list(rd),
      "groups": groups, "out": {"shape": list(y.shape), "data": y.ravel().tolist()},
    })
  path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv.json")
  with open(path, "w") as f:
    json.dump(out, f)
  print(f"wrote {len(out)} cases to {path}")


if __name__ == "__main__":
  main()
