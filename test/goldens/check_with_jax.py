#!/usr/bin/env python3
"""Checks the PRNG goldens against real JAX, and records real JAX's samplers for new goldens.

The goldens in random.json come from a numpy port of JAX's PRNG (make_random_goldens.py), because
JAX cannot be installed on the development machine. Where JAX is installed (a machine with jaxlib,
CPU is enough: JAX_PLATFORMS=cpu), this script

  1. recomputes every random.json case with jax.random and reports, per case, whether the golden is
     bit-identical to JAX (integers, keys, bools) or how many float ulps apart it is; it exits 1 if
     an integer case differs or a float case is further from JAX than its own tol_ulp allows;
  2. writes jax_random_dists.json: jax.random's other samplers (gamma, beta, poisson, ...) on fixed
     keys, in random.json's format, so tinyjax's ports of them can be checked against real JAX.

Run:  JAX_PLATFORMS=cpu python3 test/goldens/check_with_jax.py [--write DIR]
float64 cases need x64, which changes JAX's defaults process-wide, so the script runs them in a
second process of itself (--x64).
"""

import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
X64 = "--x64" in sys.argv
if X64:
  os.environ["JAX_ENABLE_X64"] = "1"

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402


def dec(a):
  """random.json's array encoding -> numpy."""
  dt, shape, data = a["dtype"], a["shape"], a["data"]
  if dt == "float32":
    return np.array(data, np.uint32).view(np.float32).reshape(shape)
  if dt == "float64":
    w = np.array(data, np.uint64).reshape(-1, 2)
    return ((w[:, 0] << np.uint64(32)) | w[:, 1]).view(np.float64).reshape(shape)
  return np.array(data, {"bool": np.bool_, "int32": np.int32, "uint32": np.uint32}[dt]).reshape(shape)


def enc(a):
  a = np.asarray(a)
  if a.dtype == np.float32:
    data = a.view(np.uint32).ravel().tolist()
  elif a.dtype == np.float64:
    u = a.view(np.uint64).ravel()
    data = np.stack([u >> np.uint64(32), u & np.uint64(0xFFFFFFFF)], 1).ravel().tolist()
  else:
    data = a.astype(np.int64).ravel().tolist()
  return {"dtype": str(a.dtype), "shape": list(a.shape), "data": data}


def arg(v):
  return jnp.asarray(dec(v)) if isinstance(v, dict) else v


def run_case(c):
  jax.config.update("jax_threefry_partitionable", c["scheme"] == "partitionable")
  key = jnp.array(c["key"], jnp.uint32)
  a = {k: arg(v) for k, v in c["args"].items()}
  fn = c["fn"]
  if "shape" in a:
    a["shape"] = tuple(a["shape"])
  if fn == "split":
    num = a["num"]
    return jax.random.split(key, tuple(num) if isinstance(num, list) else num)
  if fn == "foldIn":
    return jax.random.fold_in(key, a["data"])
  if fn == "truncatedNormal":
    return jax.random.truncated_normal(key, a.pop("lower"), a.pop("upper"), **a)
  if fn == "randint":
    if a.get("dtype") == "uint32":  # a Python int above 2**31 would be a weak int32 to JAX
      a["minval"], a["maxval"] = np.uint32(a["minval"]), np.uint32(a["maxval"])
    return jax.random.randint(key, a.pop("shape"), a.pop("minval"), a.pop("maxval"), **a)
  names = {"bits": "bits", "uniform": "uniform", "normal": "normal", "bernoulli": "bernoulli",
           "permutation": "permutation", "choice": "choice", "gumbel": "gumbel",
           "exponential": "exponential", "categorical": "categorical"}
  return getattr(jax.random, names[fn])(key, **a)


def ulps(x, y):
  """Largest float distance in ulps (NaN-equal, signed zeros equal)."""
  def ordered(a):
    bits = a.view(np.int32 if a.dtype == np.float32 else np.int64).ravel().tolist()
    mask = (1 << (31 if a.dtype == np.float32 else 63)) - 1
    return [-(b & mask) if b < 0 else b for b in bits]
  nan = (np.isnan(x) & np.isnan(y)).ravel().tolist()
  d = [0 if n else abs(p - q) for n, p, q in zip(nan, ordered(x), ordered(y))]
  return max(d) if d else 0


def check_goldens():
  cases = json.load(open(os.path.join(HERE, "random.json")))["cases"]
  bad, report = 0, []
  for c in cases:
    wants64 = c["out"]["dtype"] == "float64"
    if wants64 != X64:
      continue
    want = dec(c["out"])
    try:
      got = np.asarray(run_case(c))
    except Exception as e:  # noqa: BLE001 - reported per case
      report.append(f"ERROR {c['name']} ({c['scheme']}): {type(e).__name__}: {e}")
      bad += 1
      continue
    if got.dtype != want.dtype or got.shape != want.shape:
      report.append(f"DIFF  {c['name']} ({c['scheme']}): jax {got.dtype}{list(got.shape)} vs golden {want.dtype}{list(want.shape)}")
      bad += 1
    elif got.dtype.kind == "f":
      u = ulps(got, want)
      tol = c.get("tol_ulp", 0)
      ok = u <= max(tol, 0) or (tol == 0 and u == 0)
      report.append(f"{'ok   ' if u == 0 else 'ulps ' if ok else 'DIFF '} {c['name']} ({c['scheme']}): {u} ulp from jax (tol_ulp {tol})")
      bad += 0 if ok else 1
    else:
      same = np.array_equal(got, want)
      report.append(f"{'ok   ' if same else 'DIFF '} {c['name']} ({c['scheme']})" + ("" if same else f": jax {got.ravel()[:8].tolist()} golden {want.ravel()[:8].tolist()}"))
      bad += 0 if same else 1
  print("\n".join(report))
  print(f"{'x64' if X64 else 'x32'}: {len(report)} cases checked, {bad} differ from jax {jax.__version__}")
  return bad


def f32(x):
  return {"dtype": "float32", **{k: v for k, v in enc(np.asarray(x, np.float32)).items() if k != "dtype"}}


# (name, fn as tinyjax names it, jax callable, tinyjax args as JSON)
def dist_cases():
  k = [0, 42]
  A = lambda *v: np.array(v, np.float32)  # noqa: E731
  cov = np.array([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]], np.float32)
  r = jax.random
  yield "gamma/a", "gamma", lambda key: r.gamma(key, A(0.3, 1.0, 2.5, 10.0, 0.01, 100.0)), {"a": f32(A(0.3, 1.0, 2.5, 10.0, 0.01, 100.0))}
  yield "gamma/shape", "gamma", lambda key: r.gamma(key, 3.0, (8,)), {"a": 3.0, "shape": [8]}
  yield "loggamma/a", "loggamma", lambda key: r.loggamma(key, A(0.01, 0.5, 4.0)), {"a": f32(A(0.01, 0.5, 4.0))}
  yield "beta", "beta", lambda key: r.beta(key, 2.0, 5.0, (8,)), {"a": 2.0, "b": 5.0, "shape": [8]}
  yield "dirichlet", "dirichlet", lambda key: r.dirichlet(key, A(0.5, 1.0, 3.0), (4,)), {"alpha": f32(A(0.5, 1.0, 3.0)), "shape": [4]}
  yield "laplace", "laplace", lambda key: r.laplace(key, (8,)), {"shape": [8]}
  yield "logistic", "logistic", lambda key: r.logistic(key, (8,)), {"shape": [8]}
  yield "cauchy", "cauchy", lambda key: r.cauchy(key, (8,)), {"shape": [8]}
  yield "t", "t", lambda key: r.t(key, 4.0, (8,)), {"df": 4.0, "shape": [8]}
  yield "chisquare", "chisquare", lambda key: r.chisquare(key, 3.0, (8,)), {"df": 3.0, "shape": [8]}
  yield "f", "f", lambda key: r.f(key, 3.0, 7.0, (8,)), {"dfnum": 3.0, "dfden": 7.0, "shape": [8]}
  yield "poisson/small", "poisson", lambda key: r.poisson(key, 3.0, (12,)), {"lam": 3.0, "shape": [12]}
  yield "poisson/large", "poisson", lambda key: r.poisson(key, 40.0, (12,)), {"lam": 40.0, "shape": [12]}
  yield "poisson/mixed", "poisson", lambda key: r.poisson(key, A(0.0, 0.5, 9.0, 11.0, 1000.0)), {"lam": f32(A(0.0, 0.5, 9.0, 11.0, 1000.0))}
  yield "rademacher", "rademacher", lambda key: r.rademacher(key, (16,)), {"shape": [16]}
  yield "multivariateNormal", "multivariateNormal", lambda key: r.multivariate_normal(key, A(1.0, -1.0, 0.5), cov, (4,)), {"mean": f32(A(1.0, -1.0, 0.5)), "cov": f32(cov), "shape": [4]}
  yield "multivariateNormal/eigh", "multivariateNormal", lambda key: r.multivariate_normal(key, A(1.0, -1.0, 0.5), cov, (4,), method="eigh"), {"mean": f32(A(1.0, -1.0, 0.5)), "cov": f32(cov), "shape": [4], "method": "eigh"}
  yield "multivariateNormal/svd", "multivariateNormal", lambda key: r.multivariate_normal(key, A(1.0, -1.0, 0.5), cov, (4,), method="svd"), {"mean": f32(A(1.0, -1.0, 0.5)), "cov": f32(cov), "shape": [4], "method": "svd"}
  yield "ball", "ball", lambda key: r.ball(key, 3, 2.0, (4,)), {"d": 3, "p": 2.0, "shape": [4]}
  yield "lognormal", "lognormal", lambda key: r.lognormal(key, 0.5, (8,)), {"sigma": 0.5, "shape": [8]}
  yield "pareto", "pareto", lambda key: r.pareto(key, 3.0, (8,)), {"b": 3.0, "shape": [8]}
  yield "weibullMin", "weibullMin", lambda key: r.weibull_min(key, 2.0, 1.5, (8,)), {"scale": 2.0, "concentration": 1.5, "shape": [8]}
  yield "geometric", "geometric", lambda key: r.geometric(key, 0.3, (12,)), {"p": 0.3, "shape": [12]}
  yield "maxwell", "maxwell", lambda key: r.maxwell(key, (8,)), {"shape": [8]}
  yield "doublesidedMaxwell", "doublesidedMaxwell", lambda key: r.double_sided_maxwell(key, 1.0, 2.0, (8,)), {"loc": 1.0, "scale": 2.0, "shape": [8]}
  yield "rayleigh", "rayleigh", lambda key: r.rayleigh(key, 2.0, (8,)), {"scale": 2.0, "shape": [8]}
  yield "triangular", "triangular", lambda key: r.triangular(key, 0.0, 1.0, 3.0, (8,)), {"left": 0.0, "mode": 1.0, "right": 3.0, "shape": [8]}
  yield "generalizedNormal", "generalizedNormal", lambda key: r.generalized_normal(key, 1.5, (8,)), {"p": 1.5, "shape": [8]}
  yield "binomial", "binomial", lambda key: r.binomial(key, 20.0, 0.3, (12,)), {"n": 20.0, "p": 0.3, "shape": [12]}
  yield "orthogonal", "orthogonal", lambda key: r.orthogonal(key, 4), {"n": 4}
  yield "orthogonal/batch", "orthogonal", lambda key: r.orthogonal(key, 3, (2,)), {"n": 3, "shape": [2]}
  yield "keyData", "keyData", lambda key: r.key_data(r.split(r.key(7))), {"split_of_key": 7}


def write_dists(out_dir):
  cases, errors = [], []
  for scheme in ("partitionable", "original"):
    jax.config.update("jax_threefry_partitionable", scheme == "partitionable")
    for name, fn, call, args in dist_cases():
      if scheme == "original" and fn not in ("gamma", "poisson", "beta", "binomial"):
        continue
      key = jnp.array([0, 42], jnp.uint32)
      try:
        out = np.asarray(call(key))
      except Exception as e:  # noqa: BLE001
        errors.append(f"{name}: {type(e).__name__}: {e}")
        continue
      cases.append({"name": name, "fn": fn, "key": [0, 42], "args": args, "scheme": scheme, "out": enc(out)})
  about = (f"jax.random samplers computed by real JAX {jax.__version__} (jaxlib, XLA:CPU) with "
           "test/goldens/check_with_jax.py; format as random.json (float32 as uint32 bits); args use "
           "tinyjax's argument names; key is the raw uint32[2] key [0, 42]; 'keyData' is key_data(split(key(7))).")
  path = os.path.join(out_dir, "jax_random_dists.json")
  json.dump({"about": about, "cases": cases}, open(path, "w"))
  print(f"wrote {len(cases)} cases to {path}; not available in this JAX: {errors}")


if __name__ == "__main__":
  bad = check_goldens()
  if not X64:
    r = subprocess.run([sys.executable, __file__, "--x64"], env=os.environ)
    bad += r.returncode
    out_dir = sys.argv[sys.argv.index("--write") + 1] if "--write" in sys.argv else HERE
    write_dists(out_dir)
  sys.exit(1 if bad else 0)
