#!/usr/bin/env python3
"""Golden values for the haiku layers (test/haiku-layers.test.ts).

Run:  python3 test/goldens/make_haiku_goldens.py      (python3 + numpy; deterministic)

Writes test/goldens/haiku.json: {name: {"x": ..., "params": {module: {param: ...}}, "out": ..., ...}}
where every array is {"shape", "data"}. Inputs and parameters are float32 values; outputs are
haiku's formulas (layer_norm.py, rms_norm.py, group_norm.py, embed.py, bias.py, conv.py,
pool.py, attention.py, recurrent.py) evaluated in float64 numpy on those values.
"""

import itertools
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "haiku.json")
rng = np.random.default_rng(20261126)


def f32(*shape, scale=1.0):
    return (rng.normal(0, scale, shape)).astype(np.float32).astype(np.float64)


def enc(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "data": [float("%.9g" % v) for v in a.astype(np.float64).ravel()]}


cases = {}


def case(name, out, params=None, **inputs):
    c = {k: enc(v) for k, v in inputs.items()}
    c["params"] = {m: {p: enc(v) for p, v in d.items()} for m, d in (params or {}).items()}
    c["out"] = [enc(o) for o in out] if isinstance(out, tuple) else enc(out)
    cases[name] = c


# ---- norms
x = f32(2, 3, 4)
s, o = f32(4), f32(4)
m = x.mean(-1, keepdims=True)
case("layer_norm", s * (1 / np.sqrt(x.var(-1, keepdims=True) + 1e-5)) * (x - m) + o, {"layer_norm": {"scale": s, "offset": o}}, x=x)
m = x.mean((1, 2), keepdims=True)
case("layer_norm_axes", s * (1 / np.sqrt(x.var((1, 2), keepdims=True) + 1e-3)) * (x - m) + o, {"layer_norm": {"scale": s, "offset": o}}, x=x)
s5 = f32(5)
x5 = f32(2, 5)
case("rms_norm", x5 * s5 / np.sqrt((x5 ** 2).mean(-1, keepdims=True) + 1e-5), {"rms_norm": {"scale": s5}}, x=x5)


def group_norm(x, groups, nhwc):
    if not nhwc:
        x = np.moveaxis(x, 1, -1)
    n, *sp, c = x.shape
    g = x.reshape(n, *sp, groups, c // groups)
    axes = tuple(range(1, len(sp) + 1)) + (len(sp) + 2,)
    y = ((g - g.mean(axes, keepdims=True)) / np.sqrt(g.var(axes, keepdims=True) + 1e-5)).reshape(x.shape)
    return y if nhwc else np.moveaxis(y, -1, 1)


xg = f32(2, 3, 3, 4)
sg, og = f32(4), f32(4)
case("group_norm", group_norm(xg, 2, True) * sg + og, {"group_norm": {"scale": sg, "offset": og}}, x=xg)
xc = f32(2, 4, 3, 3)
case("group_norm_nchw", group_norm(xc, 2, False) * sg[:, None, None] + og[:, None, None],
     {"group_norm": {"scale": sg.reshape(4, 1, 1), "offset": og.reshape(4, 1, 1)}}, x=xc)

# ---- embed, bias
table = f32(5, 3)
ids = np.array([[0, 3], [4, 1]])
case("embed", table[ids], {"embed": {"embeddings": table}}, ids=ids)
b = f32(3, 1)
case("bias", x + b, {"bias": {"b": b}}, x=x)


# ---- conv: one reference for conv_general_dilated on channels-last data, w [*k, in / groups, out]
def conv(x, w, strides, pads, lhs_dil=None, rhs_dil=None, groups=1):
    nd = x.ndim - 2
    lhs_dil = lhs_dil or [1] * nd
    rhs_dil = rhs_dil or [1] * nd
    n, *sp, c = x.shape
    xd = np.zeros([n] + [(s - 1) * d + 1 for s, d in zip(sp, lhs_dil)] + [c])
    xd[(slice(None),) + tuple(slice(None, None, d) for d in lhs_dil)] = x
    xp = np.pad(xd, [(0, 0)] + [tuple(p) for p in pads] + [(0, 0)])
    k = w.shape[:nd]
    ek = [(kk - 1) * r + 1 for kk, r in zip(k, rhs_dil)]
    out_sp = [(xp.shape[i + 1] - ek[i]) // strides[i] + 1 for i in range(nd)]
    cin, cout = w.shape[-2], w.shape[-1]
    y = np.zeros([n] + out_sp + [cout])
    og = cout // groups
    for off in itertools.product(*[range(kk) for kk in k]):
        sl = tuple(slice(o * r, o * r + (os - 1) * s + 1, s) for o, r, os, s in zip(off, rhs_dil, out_sp, strides))
        patch = xp[(slice(None),) + sl]
        for g in range(groups):
            y[..., g * og:(g + 1) * og] += patch[..., g * cin:(g + 1) * cin] @ w[off][:, g * og:(g + 1) * og]
    return y


def same_pads(sp, k, s):
    res = []
    for n, kk, ss in zip(sp, k, s):
        out = -(-n // ss)
        tot = max((out - 1) * ss + kk - n, 0)
        res.append((tot // 2, tot - tot // 2))
    return res


x1 = f32(2, 7, 3)
w1, b1 = f32(3, 3, 4, scale=0.5), f32(4)
case("conv1d", conv(x1, w1, [2], same_pads([7], [3], [2])) + b1, {"conv1_d": {"w": w1, "b": b1}}, x=x1)
x3 = f32(1, 4, 4, 4, 2)
w3, b3 = f32(2, 2, 2, 2, 3, scale=0.5), f32(3)
case("conv3d", conv(x3, w3, [1, 1, 1], [(0, 0)] * 3) + b3, {"conv3_d": {"w": w3, "b": b3}}, x=x3)
x2 = f32(2, 6, 6, 4)
w2, b2 = f32(3, 3, 2, 6, scale=0.5), f32(6)
# rate 2: effective kernel 5
case("conv2d_rate_groups", conv(x2, w2, [1, 1], same_pads([6, 6], [5, 5], [1, 1]), rhs_dil=[2, 2], groups=2) + b2,
     {"conv2_d": {"w": w2, "b": b2}}, x=x2)
x2c = f32(1, 2, 5, 5)
w2c, b2c = f32(3, 3, 2, 3, scale=0.5), f32(3)
case("conv2d_nchw", np.moveaxis(conv(np.moveaxis(x2c, 1, -1), w2c, [2, 2], [(0, 0)] * 2), -1, 1) + b2c[:, None, None],
     {"conv2_d": {"w": w2c, "b": b2c.reshape(3, 1, 1)}}, x=x2c)

wd, bd = f32(3, 3, 1, 8, scale=0.5), f32(8)  # multiplier 2 over 4 channels
case("depthwise_conv2d", conv(x2, wd, [2, 2], same_pads([6, 6], [3, 3], [2, 2]), groups=4) + bd,
     {"depthwise_conv2_d": {"w": wd, "b": bd}}, x=x2)


def tpad(k, s, padding):  # lax.conv_transpose's padding for the forward conv's SAME / VALID
    if padding == "SAME":
        ln = k + s - 2
        a = k - 1 if s > k - 1 else int(np.ceil(ln / 2))
    else:
        ln = k + s - 2 + max(k - s, 0)
        a = k - 1
    return (a, ln - a)


xt = f32(1, 3, 3, 2)
wt, bt = f32(3, 3, 3, 2, scale=0.5), f32(3)  # [*kernel, out, in]
wt_io = np.swapaxes(wt, -1, -2)
for pad in ("SAME", "VALID"):
    case(f"conv2d_transpose_{pad}", conv(xt, wt_io, [1, 1], [tpad(3, 2, pad)] * 2, lhs_dil=[2, 2]) + bt,
         {"conv2_d_transpose": {"w": wt, "b": bt}}, x=xt)


# output_shape 5 with SAME: haiku's compute_adjusted_padding
def adjusted(i, o, k, s):
    before = max(0, (i - 1) * s + k - o) // 2
    lo = k - 1 - before
    return (lo, o + k - 1 - ((i - 1) * s + 1) - lo)


case("conv2d_transpose_outshape", conv(xt, wt_io, [1, 1], [adjusted(3, 5, 3, 2)] * 2, lhs_dil=[2, 2]) + bt,
     {"conv2_d_transpose": {"w": wt, "b": bt}}, x=xt)


# ---- pooling (haiku: int window covers all axes but batch and channels)
def reduce_window(x, init, fn, window, strides, padding):
    pads = same_pads(x.shape, window, strides) if padding == "SAME" else [(0, 0)] * x.ndim
    xp = np.pad(x, pads, constant_values=init)
    out = [(xp.shape[i] - window[i]) // strides[i] + 1 for i in range(x.ndim)]
    res = np.full(out, init, dtype=np.float64)
    for off in itertools.product(*[range(w) for w in window]):
        res = fn(res, xp[tuple(slice(o, o + (n - 1) * s + 1, s) for o, n, s in zip(off, out, strides))])
    return res


xp = f32(2, 5, 5, 3)
W, S = (1, 3, 3, 1), (1, 2, 2, 1)
for pad in ("SAME", "VALID"):
    case(f"max_pool_{pad}", reduce_window(xp, -np.inf, np.maximum, W, S, pad), x=xp)
    tot = reduce_window(xp, 0.0, np.add, W, S, pad)
    cnt = reduce_window(np.ones_like(xp), 0.0, np.add, W, S, pad) if pad == "SAME" else 9.0
    case(f"avg_pool_{pad}", tot / cnt, x=xp)

# ---- attention: heads 2, key 3, value 2, model 5
q, kv = f32(2, 3, 4), f32(2, 5, 4)
mask = rng.random((2, 1, 3, 5)) > 0.3
mask[..., 0] = True
P = {n: {"w": f32(4, 2 * sz, scale=0.5), "b": f32(2 * sz)} for n, sz in (("query", 3), ("key", 3), ("value", 2))}
P["linear"] = {"w": f32(4, 5, scale=0.5), "b": f32(5)}
qh = (q @ P["query"]["w"] + P["query"]["b"]).reshape(2, 3, 2, 3)
kh = (kv @ P["key"]["w"] + P["key"]["b"]).reshape(2, 5, 2, 3)
vh = (kv @ P["value"]["w"] + P["value"]["b"]).reshape(2, 5, 2, 2)
logits = np.einsum("bthd,bThd->bhtT", qh, kh) / np.sqrt(3)
logits = np.where(mask, logits, -1e30)
wts = np.exp(logits - logits.max(-1, keepdims=True))
wts /= wts.sum(-1, keepdims=True)
attn = np.einsum("bhtT,bThd->bthd", wts, vh).reshape(2, 3, 4)
case("mha", attn @ P["linear"]["w"] + P["linear"]["b"], {f"multi_head_attention/{n}": d for n, d in P.items()}, q=q, kv=kv, mask=mask)

# ---- recurrent cores, unrolled over T = 4 (time-major [T, B, in]) from a zero state
sig = lambda v: 1 / (1 + np.exp(-v))
xs = f32(4, 2, 3)
H = 4
Wi, bi, Wh, bh = f32(3, H, scale=0.5), f32(H), f32(H, H, scale=0.5), f32(H)
h = np.zeros((2, H))
outs = []
for t in range(4):
    h = np.maximum(xs[t] @ Wi + bi + h @ Wh + bh, 0)
    outs.append(h)
case("vanilla_rnn", (np.stack(outs), h), {"vanilla_rnn/linear": {"w": Wi, "b": bi}, "vanilla_rnn/linear_1": {"w": Wh, "b": bh}}, xs=xs)

Wl, bl = f32(3 + H, 4 * H, scale=0.5), f32(4 * H)
h, c = np.zeros((2, H)), np.zeros((2, H))
outs = []
for t in range(4):
    i, g, f, o = np.split(np.concatenate([xs[t], h], -1) @ Wl + bl, 4, -1)
    c = sig(f + 1) * c + sig(i) * np.tanh(g)
    h = sig(o) * np.tanh(c)
    outs.append(h)
case("lstm", (np.stack(outs), h, c), {"lstm/linear": {"w": Wl, "b": bl}}, xs=xs)

Wgi, Wgh, bg = f32(3, 3 * H, scale=0.5), f32(H, 3 * H, scale=0.5), f32(3 * H)
h = np.zeros((2, H))
outs = []
for t in range(4):
    zr_x, a_x = np.split(xs[t] @ Wgi, [2 * H], -1)
    z, r = np.split(sig(zr_x + h @ Wgh[:, :2 * H] + bg[:2 * H]), 2, -1)
    a = np.tanh(a_x + (r * h) @ Wgh[:, 2 * H:] + bg[2 * H:])
    h = (1 - z) * h + z * a
    outs.append(h)
case("gru", (np.stack(outs), h), {"gru": {"w_i": Wgi, "w_h": Wgh, "b": bg}}, xs=xs)

with open(OUT, "w") as fh:
    json.dump(cases, fh, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {OUT}")
