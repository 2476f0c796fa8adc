#!/usr/bin/env python3
"""Golden outputs for the flax.linen layers in test/linen-layers.test.ts.

Run:  python3 test/goldens/make_linen_goldens.py      (python3 + numpy; deterministic)

Writes test/goldens/linen.json: {case: {"params": tree, "x": arr, ..., "out": arr}} where an array
is {"s": shape, "d": flat float32 values}. Parameters are fixed random values (not initializers), so
the test feeds them to model.apply and compares with flax's formulas evaluated here in float64.
"""

import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "linen.json")
rng = np.random.default_rng(20261126)


def r(*shape, scale=1.0):
    return (rng.normal(0, scale, shape)).astype(np.float32).astype(np.float64)


def enc(a):
    if isinstance(a, dict):
        return {k: enc(v) for k, v in a.items()}
    if isinstance(a, (list, tuple)):
        return [enc(v) for v in a]
    a = np.asarray(a, np.float64)
    return {"s": list(a.shape), "d": [float(v) for v in a.ravel()]}


sig = lambda x: 1 / (1 + np.exp(-x))
cases = {}

# DenseGeneral: features (2, 5) over the last axis; and batch_dims (0,) with axis -1.
x = r(2, 3, 4)
k, b = r(4, 2, 5), r(2, 5)
cases["dense_general"] = {"x": x, "params": {"kernel": k, "bias": b}, "out": np.einsum("abi,ihf->abhf", x, k) + b}
k, b = r(2, 4, 3), r(2, 3)
cases["dense_general_batch"] = {"x": x, "params": {"kernel": k, "bias": b}, "out": np.einsum("bsi,bio->bso", x, k) + b[:, None, :]}
k = r(3, 4, 6)
cases["dense_general_axes"] = {"x": x, "params": {"kernel": k}, "out": np.einsum("bsi,sif->bf", x, k)}

# Einsum "abc,cd->abd" with kernel (4, 5): bias (5,).
k, b = r(4, 5), r(5)
cases["einsum"] = {"x": x, "params": {"kernel": k, "bias": b}, "out": np.einsum("abc,cd->abd", x, k) + b}


def correlate(x, k, pads):
    """Channels-last cross-correlation, stride 1: x (N, *S, I), k (*K, I, O), pads [(lo, hi)] per spatial dim."""
    nd = k.ndim - 2
    x = np.pad(x, [(0, 0)] + list(pads) + [(0, 0)])
    out_sp = [x.shape[1 + i] - k.shape[i] + 1 for i in range(nd)]
    y = np.zeros([x.shape[0]] + out_sp + [k.shape[-1]])
    for idx in np.ndindex(*k.shape[:nd]):
        sl = tuple(slice(idx[i], idx[i] + out_sp[i]) for i in range(nd))
        y += np.einsum("n...i,io->n...o", x[(slice(None),) + sl], k[idx])
    return y


def dilate(x, s):
    nd = x.ndim - 2
    shape = [x.shape[0]] + [(x.shape[1 + i] - 1) * s[i] + 1 for i in range(nd)] + [x.shape[-1]]
    y = np.zeros(shape)
    y[(slice(None),) + tuple(slice(None, None, s[i]) for i in range(nd))] = x
    return y


def conv_transpose(x, k, strides, padding, transpose_kernel=False):
    """lax.conv_transpose: a stride-1 correlation of the stride-dilated input (kernel flipped and I/O swapped if transpose_kernel)."""
    nd = k.ndim - 2
    pads = []
    for i in range(nd):
        kk, s = k.shape[i], strides[i]
        if padding == "SAME":
            n = kk + s - 2
            lo = kk - 1 if s > kk - 1 else int(np.ceil(n / 2))
        elif padding == "VALID":
            n = kk + s - 2 + max(kk - s, 0)
            lo = kk - 1
        else:
            lo, n = padding[i][0], padding[i][0] + padding[i][1]
        pads.append((lo, n - lo))
    if transpose_kernel:
        k = np.swapaxes(np.flip(k, tuple(range(nd))), nd, nd + 1)
    return correlate(dilate(x, strides), k, pads)


x1 = r(2, 5, 2)
k, b = r(3, 2, 3), r(3)
cases["conv_transpose_same"] = {"x": x1, "params": {"kernel": k, "bias": b}, "out": conv_transpose(x1, k, [2], "SAME") + b}
cases["conv_transpose_valid"] = {"x": x1, "params": {"kernel": k, "bias": b}, "out": conv_transpose(x1, k, [2], "VALID") + b}
cases["conv_transpose_pad"] = {"x": x1, "params": {"kernel": k, "bias": b}, "out": conv_transpose(x1, k, [1], [(1, 2)]) + b}
x2 = r(1, 3, 4, 2)
k = r(2, 3, 4, 2)  # transpose_kernel: (*kernel, features, in)
cases["conv_transpose_2d_tk"] = {"x": x2, "params": {"kernel": k}, "out": conv_transpose(x2, k, [2, 1], "SAME", True)}
# CIRCULAR (1-d, stride 2): VALID transpose conv, padded to whole periods of in*stride and folded.
k, b = r(4, 2, 3), r(3)
y = conv_transpose(x1, k, [2], "VALID")
per = x1.shape[1] * 2
d = -(y.shape[1] - per) % (2 * per)
y = np.pad(y, [(0, 0), ((d + 1) // 2, d // 2), (0, 0)])
y = y.reshape(y.shape[0], -1, per, y.shape[-1]).sum(1)
cases["conv_transpose_circular"] = {"x": x1, "params": {"kernel": k, "bias": b}, "out": y + b}



def conv_local(x, k, ks, strides, pads):
    """Unshared conv: at each output position, the window's values (feature c * K + offset) dot that position's kernel."""
    nd = len(ks)
    x = np.pad(x, [(0, 0)] + list(pads) + [(0, 0)])
    out_sp = [(x.shape[1 + i] - ks[i]) // strides[i] + 1 for i in range(nd)]
    y = np.zeros([x.shape[0]] + out_sp + [k.shape[-1]])
    for pos in np.ndindex(*out_sp):
        win = x[(slice(None),) + tuple(slice(pos[i] * strides[i], pos[i] * strides[i] + ks[i]) for i in range(nd))]
        patch = np.moveaxis(win, -1, 1).reshape(x.shape[0], -1)  # (N, C * K), channel-major
        y[(slice(None),) + pos] = patch @ k[pos]
    return y


k, b = r(5, 3 * 2, 4), r(5, 4)
cases["conv_local_same"] = {"x": x1, "params": {"kernel": k, "bias": b}, "out": conv_local(x1, k, [3], [1], [(1, 1)]) + b}
k = r(1, 2, 4 * 2, 3)
cases["conv_local_2d"] = {"x": x2, "params": {"kernel": k}, "out": conv_local(x2, k, [2, 2], [2, 2], [(0, 0), (0, 0)])}

# Norms (eps 1e-6, fast variance = E[x^2] - E[x]^2 clipped at 0).
x = r(2, 3, 4, 6)
s, b = r(6), r(6)
g = x.reshape(2, 3, 4, 3, 2)
m = g.mean((1, 2, 4), keepdims=True)
v = np.maximum((g * g).mean((1, 2, 4), keepdims=True) - m * m, 0)
y = ((g - m) / np.sqrt(v + 1e-6)).reshape(x.shape) * s + b
cases["group_norm"] = {"x": x, "params": {"scale": s, "bias": b}, "out": y}
x = r(2, 5, 6)
s = r(6)
cases["rms_norm"] = {"x": x, "params": {"scale": s}, "out": x / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-6) * s}
x = r(2, 4, 4, 3)
s, b = r(3), r(3)
m = x.mean((1, 2), keepdims=True)
v = np.maximum((x * x).mean((1, 2), keepdims=True) - m * m, 0)
cases["instance_norm"] = {"x": x, "params": {"scale": s, "bias": b}, "out": (x - m) / np.sqrt(v + 1e-6) * s + b}


# Attention.
def softmax(z):
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


def attn(q, k, v, mask=None):
    w = np.einsum("...qhd,...khd->...hqk", q / np.sqrt(q.shape[-1]), k)
    if mask is not None:
        w = np.where(mask, w, np.finfo(np.float32).min)
    w = softmax(w)
    return w, np.einsum("...hqk,...khd->...qhd", w, v)


q, kk, vv = r(2, 3, 2, 4), r(2, 5, 2, 4), r(2, 5, 2, 3)
mask = rng.random((2, 1, 3, 5)) > 0.3
mask[..., 0] = True
w, o = attn(q, kk, vv, mask)
cases["dot_product_attention"] = {"q": q, "k": kk, "v": vv, "mask": mask.astype(np.float64), "weights": w, "out": o}

H, D, F, OUTF = 2, 2, 5, 3
xq, xkv = r(2, 3, F), r(2, 4, F)
p = {n: {"kernel": r(F, H, D, scale=0.5), "bias": r(H, D, scale=0.1)} for n in ("query", "key", "value")}
p["out"] = {"kernel": r(H, D, OUTF, scale=0.5), "bias": r(OUTF, scale=0.1)}
proj = lambda n, t: np.einsum("...f,fhd->...hd", t, p[n]["kernel"]) + p[n]["bias"]
_, o = attn(proj("query", xq), proj("key", xkv), proj("value", xkv))
cases["mha_cross"] = {"xq": xq, "xkv": xkv, "params": p, "out": np.einsum("...hd,hdo->...o", o, p["out"]["kernel"]) + p["out"]["bias"]}
causal = np.tril(np.ones((3, 3), bool))[None, None]
_, o = attn(proj("query", xq), proj("key", xq), proj("value", xq), causal)
cases["mha_self_causal"] = {"xq": xq, "params": p, "out": np.einsum("...hd,hdo->...o", o, p["out"]["kernel"]) + p["out"]["bias"]}

# Recurrent cells: one step, and RNN scans over (batch 2, time 4, in 3) with features 5.
IN, HF, B, T = 3, 5, 2, 4
xs = r(B, T, IN)


def dense(pp, t):
    return t @ pp["kernel"] + (pp["bias"] if "bias" in pp else 0)


lstm_p = {}
for gname in "ifgo":
    lstm_p["i" + gname] = {"kernel": r(IN, HF, scale=0.5)}
    lstm_p["h" + gname] = {"kernel": r(HF, HF, scale=0.5), "bias": r(HF, scale=0.1)}


def lstm(c, h, x):
    gg = lambda n, f: f(dense(lstm_p["i" + n], x) + dense(lstm_p["h" + n], h))
    i, f, g, o = gg("i", sig), gg("f", sig), gg("g", np.tanh), gg("o", sig)
    c = f * c + i * g
    h = o * np.tanh(c)
    return c, h


gru_p = {n: {"kernel": r(IN, HF, scale=0.5), "bias": r(HF, scale=0.1)} for n in ("ir", "iz", "in")}
gru_p.update({n: {"kernel": r(HF, HF, scale=0.5)} for n in ("hr", "hz")})
gru_p["hn"] = {"kernel": r(HF, HF, scale=0.5), "bias": r(HF, scale=0.1)}


def gru(h, x):
    rr = sig(dense(gru_p["ir"], x) + dense(gru_p["hr"], h))
    z = sig(dense(gru_p["iz"], x) + dense(gru_p["hz"], h))
    n = np.tanh(dense(gru_p["in"], x) + rr * dense(gru_p["hn"], h))
    return (1 - z) * n + z * h


simple_p = {"i": {"kernel": r(IN, HF, scale=0.5), "bias": r(HF, scale=0.1)}, "h": {"kernel": r(HF, HF, scale=0.5)}}
simple = lambda h, x: np.tanh(dense(simple_p["i"], x) + dense(simple_p["h"], h))

mgu_p = {"if": {"kernel": r(IN, HF, scale=0.5), "bias": r(HF, scale=0.1)}, "hf": {"kernel": r(HF, HF, scale=0.5)},
         "in": {"kernel": r(IN, HF, scale=0.5), "bias": r(HF, scale=0.1)}, "hn": {"kernel": r(HF, HF, scale=0.5), "bias": r(HF, scale=0.1)}}


def mgu(h, x):
    f = sig(dense(mgu_p["if"], x) + dense(mgu_p["hf"], h))
    n = np.tanh(dense(mgu_p["in"], x) + f * dense(mgu_p["hn"], h))
    return (1 - f) * n + f * h


c0, h0 = r(B, HF), r(B, HF)
c1, h1 = lstm(c0, h0, xs[:, 0])
cases["lstm_step"] = {"x": xs[:, 0], "c": c0, "h": h0, "params": lstm_p, "outC": c1, "outH": h1}
cases["gru_step"] = {"x": xs[:, 0], "h": h0, "params": gru_p, "out": gru(h0, xs[:, 0])}
cases["simple_step"] = {"x": xs[:, 0], "h": h0, "params": simple_p, "out": simple(h0, xs[:, 0])}
cases["mgu_step"] = {"x": xs[:, 0], "h": h0, "params": mgu_p, "out": mgu(h0, xs[:, 0])}


def run_lstm(xs, order):
    c = h = np.zeros((xs.shape[0], HF))
    ys = np.zeros((xs.shape[0], xs.shape[1], HF))
    for t in order:
        c, h = lstm(c, h, xs[:, t])
        ys[:, t] = h
    return c, h, ys


c, h, ys = run_lstm(xs, range(T))
cases["rnn_lstm"] = {"x": xs, "params": {"cell": lstm_p}, "outC": c, "outH": h, "out": ys}
# reverse without keep_order: the scan runs over the flipped sequence and its outputs stay flipped.
c, h, ys = run_lstm(xs[:, ::-1], range(T))
cases["rnn_lstm_reverse"] = {"x": xs, "params": {"cell": lstm_p}, "out": ys}
# seq_lengths [4, 2]: the returned carry is the one after each sequence's last real step.
hs = []
h = np.zeros((B, HF))
for t in range(T):
    h = gru(h, xs[:, t])
    hs.append(h)
lens = np.array([4, 2])
cases["rnn_gru_seq"] = {"x": xs, "params": {"cell": gru_p}, "lens": lens.astype(np.float64),
                        "carry": np.stack([hs[lens[b] - 1][b] for b in range(B)]), "out": np.stack(hs, 1)}
# Bidirectional (SimpleCell forward, GRU backward with keep_order): outputs concatenated.
hf = np.zeros((B, HF))
outf = []
for t in range(T):
    hf = simple(hf, xs[:, t])
    outf.append(hf)
hb = np.zeros((B, HF))
outb = [None] * T
for t in reversed(range(T)):
    hb = gru(hb, xs[:, t])
    outb[t] = hb
cases["bidirectional"] = {"x": xs, "params": {"forward_rnn": {"cell": simple_p}, "backward_rnn": {"cell": gru_p}},
                          "out": np.concatenate([np.stack(outf, 1), np.stack(outb, 1)], -1)}

# Activations.
a = np.concatenate([np.linspace(-4, 4, 17), r(7)])
cases["activations"] = {
    "x": a,
    "celu": np.where(a > 0, a, 0.5 * np.expm1(a / 0.5)),
    "selu": 1.0507009873554805 * np.where(a > 0, a, 1.6732632423543772 * np.expm1(a)),
    "softSign": a / (np.abs(a) + 1),
    "hardTanh": np.clip(a, -1, 1),
    "hardSigmoid": np.clip(a + 3, 0, 6) / 6,
    "hardSilu": a * np.clip(a + 3, 0, 6) / 6,
    "glu": a[:12] * sig(a[12:]),
}

with open(OUT, "w") as f:
    json.dump({k: enc(v) for k, v in cases.items()}, f, separators=(",", ":"))
print(f"wrote {OUT}: {len(cases)} cases")
