#!/usr/bin/env python3
"""Goldens for jax.nn's activations and dot_product_attention (src/api/nn-extra.ts).

Run:  python3 test/goldens/make_nn_extra_goldens.py   (numpy 2.x; deterministic)

Writes test/goldens/nn_extra.json: {"x": [...], "act": {name: [...]}, "attn": [case, ...]}. Values
are computed in float64 from float32 inputs, following jax/_src/nn/functions.py's formulas (the
attention path is _dot_product_attention_xla: grouped heads, scale, bias, masks with
-0.7 * finfo(float32).max, float32 softmax); tinyjax's float32 results are compared with a
relative tolerance.
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_extra.json")


def softplus(x):
  return np.logaddexp(x, 0)


def sigmoid(x):
  return 1 / (1 + np.exp(-x))


def elu(x, a=1.0):
  return np.where(x > 0, x, a * np.expm1(np.where(x > 0, 0, x)))


ACTS = {
  "celu": lambda x: np.maximum(x, 0) + 1.0 * np.expm1(np.minimum(x, 0) / 1.0),
  "celu_a0.5": lambda x: np.maximum(x, 0) + 0.5 * np.expm1(np.minimum(x, 0) / 0.5),
  "selu": lambda x: 1.0507009873554804934193349852946 * elu(x, 1.6732632423543772848170429916717),
  "elu": elu,
  "elu_a2": lambda x: elu(x, 2.0),
  "hardTanh": lambda x: np.where(x > 1, 1, np.where(x < -1, -1, x)),
  "hardSigmoid": lambda x: np.clip(x + 3, 0, 6) / 6,
  "hardSilu": lambda x: x * np.clip(x + 3, 0, 6) / 6,
  "sparsePlus": lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
  "sparseSigmoid": lambda x: 0.5 * np.clip(x + 1, 0, 2),
  "squareplus": lambda x: (x + np.sqrt(x * x + 4)) / 2,
  "squareplus_b1": lambda x: (x + np.sqrt(x * x + 1)) / 2,
  "mish": lambda x: x * np.tanh(softplus(x)),
  "softSign": lambda x: x / (np.abs(x) + 1),
  "logSigmoid": lambda x: -softplus(-x),
}


def attention(q, k, v, bias=None, mask=None, scale=None, is_causal=False, q_len=None, kv_len=None, window=None):
  B, T, N, H = q.shape
  _, S, K, _ = k.shape
  G = N // K
  scale = 1 / np.sqrt(H) if scale is None else scale
  qg = q.reshape(B, T, K, G, H)
  logits = np.einsum("btkgh,bskh->bkgts", qg, k) * scale

  def grouped(t):
    tB, tN, tT, tS = t.shape
    return t.reshape(tB, 1, 1, tT, tS) if tN == 1 else t.reshape(tB, K, G, tT, tS)
  if bias is not None:
    logits = logits + grouped(bias)
  keep = np.ones(logits.shape, bool)
  if mask is not None:
    keep &= grouped(mask)
  tp, sp = np.arange(T)[:, None], np.arange(S)[None, :]
  if is_causal:
    keep &= sp <= tp
  if window is not None:
    keep &= (tp <= sp + window[0]) & (tp >= sp - window[1])
  if q_len is not None:
    keep &= np.arange(T)[None, None, None, :, None] < q_len[:, None, None, None, None]
  if kv_len is not None:
    keep &= np.arange(S)[None, None, None, None, :] < kv_len[:, None, None, None, None]
  logits = np.where(keep, logits, -0.7 * float(np.finfo(np.float32).max))
  e = np.exp(logits - logits.max(-1, keepdims=True))
  probs = e / e.sum(-1, keepdims=True)
  enc = np.einsum("bkgts,bskh->btkgh", probs, v)
  if q_len is not None:
    enc = enc * (np.arange(T)[None, :, None, None, None] < q_len[:, None, None, None, None])
  lse = np.log(np.exp(logits - logits.max(-1, keepdims=True)).sum(-1)) + logits.max(-1)
  return enc.reshape(B, T, N, H), lse.transpose(0, 3, 1, 2).reshape(B, T, N)


def f32list(a):
  return np.asarray(a, np.float32).astype(np.float64).ravel().tolist()


def main():
  rng = np.random.default_rng(0)
  x = np.concatenate([np.linspace(-4, 4, 33), [-1, 1, 0, -3, 3, 1e-3, -1e-3]]).astype(np.float32)
  act = {n: np.asarray(f(x.astype(np.float64)), np.float64).tolist() for n, f in ACTS.items()}
  g = rng.standard_normal((2, 3, 6)).astype(np.float32)
  a, b = g[..., :3].astype(np.float64), g[..., 3:].astype(np.float64)
  glu = {"x": f32list(g), "shape": [2, 3, 6], "out": (a * sigmoid(b)).ravel().tolist()}

  cases = []

  def case(name, B, T, S, N, K, H, **kw):
    q = rng.standard_normal((B, T, N, H)).astype(np.float32)
    k = rng.standard_normal((B, S, K, H)).astype(np.float32)
    v = rng.standard_normal((B, S, K, H)).astype(np.float32)
    c = {"name": name, "q": f32list(q), "k": f32list(k), "v": f32list(v), "qShape": list(q.shape), "kShape": list(k.shape)}
    args = {}
    if "bias" in kw:
      bias = rng.standard_normal(kw["bias"]).astype(np.float32)
      c["bias"], c["biasShape"], args["bias"] = f32list(bias), list(bias.shape), bias.astype(np.float64)
    if "mask" in kw:
      mask = rng.random(kw["mask"]) > 0.3
      mask[..., 0] = True
      c["mask"], c["maskShape"], args["mask"] = mask.astype(int).ravel().tolist(), list(mask.shape), mask
    for key in ("scale", "is_causal", "window"):
      if key in kw:
        c[key], args[key] = kw[key], kw[key]
    for key in ("q_len", "kv_len"):
      if key in kw:
        c[key], args[key] = kw[key], np.array(kw[key])
    out, lse = attention(q.astype(np.float64), k.astype(np.float64), v.astype(np.float64), **args)
    c["out"], c["lse"] = out.ravel().tolist(), lse.ravel().tolist()
    cases.append(c)

  case("plain", 2, 4, 5, 2, 2, 8)
  case("gqa", 1, 3, 4, 4, 2, 4)
  case("causal", 2, 5, 5, 2, 1, 4, is_causal=True)
  case("bias-mask", 2, 3, 4, 2, 2, 4, bias=(2, 2, 3, 4), mask=(1, 1, 3, 4))
  case("bias-bcast-scale", 1, 3, 3, 2, 2, 4, bias=(1, 1, 3, 3), scale=0.3)
  case("seqlens", 2, 4, 4, 2, 2, 4, q_len=[2, 4], kv_len=[3, 1])
  case("window", 1, 6, 6, 1, 1, 4, window=[1, 2])
  with open(OUT, "w") as fh:
    json.dump({"x": x.astype(np.float64).tolist(), "act": act, "glu": glu, "attn": cases}, fh, separators=(",", ":"))
    fh.write("\n")
  print(f"wrote {len(act)} activations and {len(cases)} attention cases to {OUT}")


if __name__ == "__main__":
  main()
