#!/usr/bin/env python3
"""Golden values for tinyjax's random samplers beyond uniform/normal (src/api/random-dists.ts).

Run:  python3 test/goldens/make_random_dists_goldens.py      (python3 + numpy 2.x; deterministic)

Writes test/goldens/random_dists.json in random.json's format. It extends the numpy port of JAX's
PRNG in make_random_goldens.py (imported from there: threefry, split, uniform, normal, exponential,
bernoulli, XLA:CPU's float32 log/log1p models) with ports of jax/_src/random/core.py's _gamma_one /
random_gamma_p (one split key per element, Marsaglia-Tsang) and _gamma_approx, loggamma, beta, dirichlet, t,
chisquare, f, laplace, logistic, cauchy, lognormal, pareto, rayleigh, wald, weibull_min,
triangular, maxwell, double_sided_maxwell, rademacher, geometric, generalized_normal, ball,
multivariate_normal (cholesky), poisson (_poisson_knuth below lam = 10, _poisson_rejection
above, with XLA's Lanczos lgamma) and binomial (_binomial_inversion / _btrs), in the same order of splits and operations. Products followed
by adds are rounded twice here (no FMA modelling), so float cases carry a tolerance in ulps;
integer-valued cases (rademacher, geometric, poisson, binomial) are exact.
"""

import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_random_goldens as R  # noqa: E402

np.seterr(all="ignore")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "random_dists.json")
f32 = np.float32


def log(x):
  return R.lax_log(np.asarray(x))


def log1p(x):
  return R.lax_log1p(np.asarray(x))


def keys_of(key, n):
  return list(R.split(key, n))


# ---------------------------------------------------------------------------------------------
# gamma (jax/_src/random/core.py _gamma_one, _gamma_impl)

def gamma_one(key, alpha, log_space):
  dt = alpha.dtype.type
  one, zero = dt(1), dt(0)
  boost_mask = alpha >= one
  a = alpha if boost_mask else dt(alpha + one)
  d = dt(a - dt(1. / 3.))
  c = dt(dt(1. / 3.) / np.sqrt(d))

  def cond(X, V, U):
    return (U >= dt(one - dt(dt(0.0331) * dt(X * X)))) and \
        (log(U)[()] >= dt(dt(X * dt(0.5)) + dt(d * dt(dt(one - V) + log(V)[()]))))

  key, subkey = keys_of(key, 2)
  X, V, U = zero, one, dt(2)
  while cond(X, V, U):
    key, x_key, u_key = keys_of(key, 3)
    x, v = zero, dt(-1)
    while v <= zero:
      x_key, sub = keys_of(x_key, 2)
      x = R.normal(sub, (), alpha.dtype)[()]
      v = dt(one + dt(x * c))
    X = dt(x * x)
    V = dt(dt(v * v) * v)
    U = R.uniform(u_key, (), alpha.dtype)[()]
  if log_space:
    log_samples = -R.exponential(subkey, (), alpha.dtype)[()]
    log_boost = zero if (boost_mask or log_samples == 0) else dt(log_samples * dt(one / alpha))
    return dt(dt(log(d)[()] + log(V)[()]) + log_boost)
  samples = dt(one - R.uniform(subkey, (), alpha.dtype)[()])
  boost = one if boost_mask else dt(np.power(samples, dt(one / alpha)))
  return dt(dt(d * V) * boost)


def _gamma(key, a, shape=None, dtype=np.float32, log_space=False):
  a = np.asarray(a, dtype)
  shape = a.shape if shape is None else tuple(shape)
  a = np.broadcast_to(a, shape)
  n = int(np.prod(shape, dtype=np.int64))
  keys = R.split(key, n) if n else []
  out = np.array([gamma_one(keys[i], a.reshape(-1)[i], log_space) for i in range(n)], dtype)
  return out.reshape(shape)


CHI2 = [(1.0, -0.2237368, -0.01513904), (0.4713941, 0.02607083, -0.008986007), (0.0001348028, 0.01128186, 0.02277679),
        (-0.008553069, -0.01153761, -0.01323293), (0.00312558, 0.005169654, -0.006950356),
        (-0.0008426812, 0.00253001, 0.001060438), (0.00009780499, -0.001450117, 0.001565326)]


def gamma_approx(key, a, shape=None, dtype=np.float32, log_space=False):
  """_gamma_approx and _loggamma_chisquare (method='approximate')."""
  a = np.asarray(a, dtype)
  shape = a.shape if shape is None else tuple(shape)
  a = np.broadcast_to(a, shape)
  kb, kboost = keys_of(key, 2)
  ab = a + dtype(4)
  nu = dtype(2) * ab
  x = R.normal(kb, shape, dtype)
  u = dtype(1) / nu
  t = x * (dtype(1) / np.sqrt(nu))
  row = lambda c: dtype(c[0]) + u * (dtype(c[1]) + u * dtype(c[2]))
  poly = row(CHI2[-1])
  for r in reversed(CHI2[:-1]):
    poly = poly * t + row(r)
  poly = np.maximum(poly, np.finfo(dtype).tiny)
  log_base = log(ab) + dtype(3) * log(poly)
  k = np.arange(4, dtype=dtype).reshape((4,) + (1,) * len(shape))
  log_u = -R.exponential(kboost, (4,) + shape, dtype)
  out = log_base + (log_u / (a[None] + k)).sum(0, dtype=dtype)
  return out if log_space else np.exp(out)


def gamma(key, a, shape=None, dtype=np.float32):
  return _gamma(key, a, shape, dtype)


def loggamma(key, a, shape=None, dtype=np.float32):
  return _gamma(key, a, shape, dtype, log_space=True)


def bshape(shape, *params):
  return np.broadcast_shapes(*[np.shape(p) for p in params]) if shape is None else tuple(shape)


def beta(key, a, b, shape=None, dtype=np.float32):
  shape = bshape(shape, a, b)
  ka, kb = keys_of(key, 2)
  a = np.broadcast_to(np.asarray(a, dtype), shape)
  b = np.broadcast_to(np.asarray(b, dtype), shape)
  lga, lgb = loggamma(ka, a, shape, dtype), loggamma(kb, b, shape, dtype)
  lmax = np.maximum(lga, lgb)
  ga, gb = np.exp(lga - lmax), np.exp(lgb - lmax)
  return ga / (ga + gb)


def dirichlet(key, alpha, shape=None, dtype=np.float32):
  alpha = np.asarray(alpha, dtype)
  shape = alpha.shape[:-1] if shape is None else tuple(shape)
  lg = loggamma(key, alpha, shape + alpha.shape[-1:], dtype)
  e = np.exp(lg - lg.max(-1, keepdims=True))
  return e / e.sum(-1, keepdims=True, dtype=dtype)


def t(key, df, shape=None, dtype=np.float32):
  shape = bshape(shape, df)
  kn, kg = keys_of(key, 2)
  n = R.normal(kn, shape, dtype)
  half = np.asarray(df, dtype) / dtype(2)
  g = gamma(kg, half, shape, dtype)
  return n * np.sqrt(half / g)


def chisquare(key, df, shape=None, dtype=np.float32):
  shape = bshape(shape, df)
  half = np.asarray(df, dtype) / dtype(2)
  return np.exp(loggamma(key, half, shape, dtype)) * dtype(2)


def f(key, dfnum, dfden, shape=None, dtype=np.float32):
  shape = bshape(shape, dfnum, dfden)
  kd, kn = keys_of(key, 2)
  dn, dd = np.asarray(dfnum, dtype), np.asarray(dfden, dtype)
  return (chisquare(kn, dn, shape, dtype) / dn) / (chisquare(kd, dd, shape, dtype) / dd)


def rademacher(key, shape=(), dtype=np.int32):
  b = R.bernoulli(key, 0.5, shape).astype(dtype)
  return (dtype(2) * b - dtype(1)).astype(dtype)


def generalized_normal(key, p, shape=(), dtype=np.float32):
  k0, k1 = keys_of(key, 2)
  g = gamma(k0, 1 / p, shape, dtype)
  r = rademacher(k1, shape, dtype)
  return r * np.power(g, dtype(1 / p))


def ball(key, d, p=2, shape=(), dtype=np.float32):
  k1, k2 = keys_of(key, 2)
  g = generalized_normal(k1, p, tuple(shape) + (d,), dtype)
  e = R.exponential(k2, shape, dtype)
  return g / (np.power(np.power(np.abs(g), dtype(p)).sum(-1, dtype=dtype) + e, dtype(1 / p)))[..., None]


# ---------------------------------------------------------------------------------------------
# closed forms

def laplace(key, shape=(), dtype=np.float32):
  u = R.uniform(key, shape, dtype, minval=-1. + float(np.finfo(dtype).epsneg), maxval=1.)
  return np.sign(u) * log1p(-np.abs(u))


def logistic(key, shape=(), dtype=np.float32):
  x = R.uniform(key, shape, dtype, minval=float(np.finfo(dtype).tiny), maxval=1.)
  return log(x) - log1p(-x)


def cauchy(key, shape=(), dtype=np.float32):
  u = R.uniform(key, shape, dtype, minval=float(np.finfo(dtype).eps), maxval=1.)
  return np.tan(dtype(np.pi) * (u - dtype(0.5)))


def lognormal(key, sigma=1., shape=None, dtype=np.float32):
  shape = bshape(shape, sigma)
  return np.exp(R.normal(key, shape, dtype) * np.asarray(sigma, dtype))


def pareto(key, b, shape=None, dtype=np.float32):
  shape = bshape(shape, b)
  return np.exp(R.exponential(key, shape, dtype) / np.asarray(b, dtype))


def rayleigh(key, scale, shape=None, dtype=np.float32):
  shape = bshape(shape, scale)
  u = R.uniform(key, shape, dtype)
  return np.asarray(scale, dtype) * np.sqrt(log(u) * dtype(-2))


def wald(key, mean, shape=None, dtype=np.float32):
  shape = bshape(shape, mean)
  k1, k2 = keys_of(key, 2)
  m = np.broadcast_to(np.asarray(mean, dtype), shape)
  v = R.normal(k1, shape, dtype)
  z = R.uniform(k2, shape, dtype)
  y = v * v
  ysq, msq = y * y, m * m
  root = np.sqrt(dtype(4) * m * y + msq * ysq)
  x = m + msq * y / dtype(2) - m / dtype(2) * root
  return np.where(z <= m / (m + x), x, msq / x)


def weibull_min(key, scale, concentration, shape=(), dtype=np.float32):
  u = R.uniform(key, shape, dtype, minval=0, maxval=1)
  return np.power(-log1p(-u), dtype(1.0 / concentration)) * dtype(scale)


def triangular(key, left, mode, right, shape=None, dtype=np.float32):
  shape = bshape(shape, left, mode, right)
  l, m, r = (np.broadcast_to(np.asarray(v, dtype), shape) for v in (left, mode, right))
  fc = (m - l) / (r - l)
  u = R.uniform(key, shape, dtype)
  out1 = l + np.sqrt(u * (r - l) * (m - l))
  out2 = r - np.sqrt((dtype(1) - u) * (r - l) * (r - m))
  return np.where(u < fc, out1, out2)


def maxwell(key, shape=(), dtype=np.float32):
  x = R.normal(key, tuple(shape) + (3,), dtype)
  return np.sqrt((x * x).sum(-1, dtype=dtype))


def double_sided_maxwell(key, loc, scale, shape=(), dtype=np.float32):
  ps = np.broadcast_shapes(np.shape(loc), np.shape(scale))
  shape = tuple(shape) or ps
  shape = shape + ps
  km, kr = keys_of(key, 2)
  m = maxwell(km, shape, dtype)
  s = rademacher(kr, shape, dtype)
  return s * m * np.asarray(scale, dtype) + np.asarray(loc, dtype)


def multivariate_normal(key, mean, cov, shape=None, dtype=np.float32):
  mean, cov = np.asarray(mean, dtype), np.asarray(cov, dtype)
  shape = np.broadcast_shapes(mean.shape[:-1], cov.shape[:-2]) if shape is None else tuple(shape)
  factor = np.linalg.cholesky(cov.astype(np.float64)).astype(dtype)
  z = R.normal(key, shape + mean.shape[-1:], dtype)
  return mean + (factor @ z[..., None])[..., 0]


# ---------------------------------------------------------------------------------------------
# discrete

def geometric(key, p, shape=None, dtype=np.int32):
  shape = bshape(shape, p)
  p = np.asarray(p, np.float32)
  u = R.uniform(key, shape, p.dtype)
  u = np.where(u == 0, f32(1), u)
  g = np.floor(log(u) / np.broadcast_to(log1p(-p), shape)) + f32(1)
  return g.astype(dtype)


LANCZOS = [676.520368121885098567009190444019, -1259.13921672240287047156078755283, 771.3234287776530788486528258894,
           -176.61502916214059906584551354, 12.507343278686904814458936853, -0.13857109526572011689554707,
           9.984369578019570859563e-6, 1.50563273514931155834e-7]


def lgamma_pos(x):
  """xla/hlo/builder/lib/math.cc Lgamma for x >= 0.5 (float32, no reflection)."""
  z = x - f32(1)
  s = np.full_like(x, f32(0.99999999999980993227684700473478))
  for i, cf in enumerate(LANCZOS):
    s = s + f32(cf) / (z + f32(i) + f32(1))
  tt = f32(7.5) + z
  log_t = f32(math.log(7.5)) + log1p(z / f32(7.5))
  y = f32((math.log(2) + math.log(math.pi)) / 2) + (z + f32(0.5) - tt / log_t) * log_t + log(s)
  return np.where(x <= 0, f32(np.inf), y)


def poisson_knuth(key, lam, shape, dtype):
  i, k, rng, log_prod = 0, np.zeros(shape, dtype), key, np.zeros(shape, np.float32)
  while (log_prod > -lam).any():
    rng, sub = keys_of(rng, 2)
    k = np.where(log_prod > -lam, k + dtype(1), k)
    u = R.uniform(sub, shape, np.float32)
    log_prod = log_prod + log(u)
    i += 1
  return (k - dtype(1)).astype(dtype)


def poisson_rejection(key, lam, shape, dtype):
  log_lam = log(lam)
  b = f32(0.931) + f32(2.53) * np.sqrt(lam)
  a = f32(-0.059) + f32(0.02483) * b
  inv_alpha = f32(1.1239) + f32(1.1328) / (b - f32(3.4))
  v_r = f32(0.9277) - f32(3.6224) / (b - f32(2))
  k_out = np.full(shape, f32(-1))
  accepted = np.zeros(shape, bool)
  while (~accepted).any():
    key, k0, k1 = keys_of(key, 3)
    u = R.uniform(k0, shape, np.float32) - f32(0.5)
    v = R.uniform(k1, shape, np.float32)
    us = f32(0.5) - np.abs(u)
    k = np.floor((f32(2) * a / us + b) * u + lam + f32(0.43))
    s = log(v * inv_alpha / (a / (us * us) + b))
    tt = -lam + k * log_lam - lgamma_pos(k + f32(1))
    accept1 = (us >= f32(0.07)) & (v <= v_r)
    reject = (k < 0) | ((us < f32(0.013)) & (v > us))
    accept = accept1 | (~reject & (s <= tt))
    k_out = np.where(accept, k, k_out)
    accepted |= accept
  return k_out.astype(dtype)


def poisson(key, lam, shape=None, dtype=np.int32):
  shape = np.shape(lam) if shape is None else tuple(shape)
  lam = np.broadcast_to(np.asarray(lam, np.float32), shape)
  use_knuth = np.isnan(lam) | (lam < 10)
  lam_knuth = np.where(use_knuth, lam, f32(0))
  lam_rej = np.where(use_knuth, f32(1e5), lam)
  result = np.where(use_knuth, poisson_knuth(key, lam_knuth, shape, dtype), poisson_rejection(key, lam_rej, shape, dtype))
  return np.where(lam == 0, dtype(0), result).astype(dtype)


STIRLING = np.array([0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
                     0.0138761288230707, 0.0118967099458917, 0.0104112652619720, 0.00925546218271273, 0.00833056343336287],
                    np.float32)


def stirling_tail(k):
  use_tail = k <= 9
  k = np.clip(k, f32(0), f32(9))
  kp1sq = (k + f32(1)) * (k + f32(1))
  approx = (f32(1.0 / 12) - (f32(1.0 / 360) - f32(1.0 / 1260) / kp1sq) / kp1sq) / (k + f32(1))
  return np.where(use_tail, STIRLING[np.floor(k).astype(np.int32)], approx)


def binomial_inversion(key, count, prob, shape):
  log1m = log1p(-prob)
  num, gsum = np.zeros(shape, f32), np.zeros(shape, f32)
  while (gsum <= count).any():
    sub, key = keys_of(key, 2)
    num = np.where(gsum <= count, num + f32(1), num)
    u = R.uniform(sub, shape, np.float32)
    gsum = gsum + np.ceil(log(u) / log1m)
  return num - f32(1)


def btrs(key, count, prob, shape):
  stddev = np.sqrt(count * prob * (f32(1) - prob))
  b = f32(1.15) + f32(2.53) * stddev
  a = f32(-0.0873) + f32(0.0248) * b + f32(0.01) * prob
  c = count * prob + f32(0.5)
  v_r = f32(0.92) - f32(4.2) / b
  r = prob / (f32(1) - prob)
  alpha = (f32(2.83) + f32(5.1) / b) * stddev
  m = np.floor((count + f32(1)) * prob)
  k_out, accepted = np.full(shape, f32(-1)), np.zeros(shape, bool)
  while (~accepted).any():
    key, k0, k1 = keys_of(key, 3)
    u = R.uniform(k0, shape, np.float32) - f32(0.5)
    v = R.uniform(k1, shape, np.float32)
    us = f32(0.5) - np.abs(u)
    accept1 = (us >= f32(0.07)) & (v <= v_r)
    k = np.floor((f32(2) * a / us + b) * u + c)
    reject = (k < 0) | (k > count)
    v = log(v * alpha / (a / (us * us) + b))
    ub = ((m + f32(0.5)) * log((m + f32(1)) / (r * (count - m + f32(1))))
          + (count + f32(1)) * log((count - m + f32(1)) / (count - k + f32(1)))
          + (k + f32(0.5)) * log(r * (count - k + f32(1)) / (k + f32(1)))
          + stirling_tail(m) + stirling_tail(count - m) - stirling_tail(k) - stirling_tail(count - k))
    accept = accept1 | (~reject & (v <= ub))
    k_out = np.where(accept, k, k_out)
    accepted |= accept
  return k_out


def binomial(key, n, p, shape=None, dtype=np.float32):
  shape = bshape(shape, n, p)
  prob = np.broadcast_to(np.asarray(p, f32), shape)
  count = np.broadcast_to(np.asarray(n, f32), shape)
  p_lt_half = prob < f32(0.5)
  q = np.where(p_lt_half, prob, f32(1) - prob)
  count_bad = np.isnan(count) | (count < 0)
  count_inf = np.isinf(count)
  q_nan, q_neg = np.isnan(q), q < 0
  q = np.where(q_nan | q_neg, f32(0.01), q)
  use_inv = count_bad | (count * q <= f32(10))
  count = np.floor(count)
  inv = binomial_inversion(key, np.where(use_inv, count, f32(0)), q, shape)
  rej = btrs(key, np.where(use_inv, f32(1e4), count), np.where(use_inv, f32(0.5), q), shape)
  out = np.where(use_inv, inv, rej).astype(dtype)
  invalid = q_neg | q_nan | count_bad
  out = np.where(invalid, dtype(np.nan), out)
  out = np.where(count_inf & ~invalid, dtype(np.inf), out)
  return np.where(p_lt_half | count_bad | q_nan | count_inf, out, count.astype(dtype) - out).astype(dtype)


# ---------------------------------------------------------------------------------------------

def make_cases():
  R.config.threefry_partitionable = True
  k = R.threefry_seed(42)
  k0 = R.threefry_seed(0)
  enc = R.enc
  C = R.case
  C("gamma/k42/a1.5", "gamma", k, {"a": 1.5, "shape": [16]}, gamma(k, 1.5, (16,)), tol_ulp=8)
  a_arr = np.array([0.3, 1.0, 2.5, 7.0, 0.05, 40.0], np.float32)
  C("gamma/k42/array", "gamma", k, {"a": enc(a_arr)}, gamma(k, a_arr), tol_ulp=64)
  C("gamma/k0/small", "gamma", k0, {"a": 0.2, "shape": [2, 5]}, gamma(k0, 0.2, (2, 5)), tol_ulp=64)
  C("loggamma/k42/array", "loggamma", k, {"a": enc(a_arr)}, loggamma(k, a_arr), tol_ulp=16)
  C("loggamma/k0/tiny", "loggamma", k0, {"a": 0.01, "shape": [8]}, loggamma(k0, 0.01, (8,)), tol_ulp=16)
  C("gamma/k42/approx", "gamma", k, {"a": enc(a_arr), "method": "approximate"}, gamma_approx(k, a_arr), tol_ulp=64)
  C("loggamma/k0/approx", "loggamma", k0, {"a": 0.3, "shape": [8], "method": "approximate"},
    gamma_approx(k0, 0.3, (8,), log_space=True), tol_ulp=64)
  C("beta/k42", "beta", k, {"a": 2.0, "b": 0.5, "shape": [10]}, beta(k, 2.0, 0.5, (10,)), tol_ulp=64)
  alpha = np.array([0.5, 1.0, 3.0], np.float32)
  C("dirichlet/k42", "dirichlet", k, {"alpha": enc(alpha), "shape": [4]}, dirichlet(k, alpha, (4,)), tol_ulp=64)
  C("t/k42", "t", k, {"df": 3.0, "shape": [10]}, t(k, 3.0, (10,)), tol_ulp=64)
  C("chisquare/k42", "chisquare", k, {"df": 4.0, "shape": [10]}, chisquare(k, 4.0, (10,)), tol_ulp=64)
  C("f/k42", "f", k, {"dfnum": 5.0, "dfden": 7.0, "shape": [8]}, f(k, 5.0, 7.0, (8,)), tol_ulp=64)
  C("laplace/k42", "laplace", k, {"shape": [16]}, laplace(k, (16,)), tol_ulp=8)
  C("logistic/k42", "logistic", k, {"shape": [16]}, logistic(k, (16,)), tol_ulp=8)
  C("cauchy/k42", "cauchy", k, {"shape": [16]}, cauchy(k, (16,)), tol_ulp=64)
  C("lognormal/k42", "lognormal", k, {"sigma": 0.5, "shape": [12]}, lognormal(k, 0.5, (12,)), tol_ulp=8)
  C("pareto/k42", "pareto", k, {"b": 3.0, "shape": [12]}, pareto(k, 3.0, (12,)), tol_ulp=16)
  sc = np.array([0.5, 2.0], np.float32)
  C("rayleigh/k42", "rayleigh", k, {"scale": enc(sc), "shape": [3, 2]}, rayleigh(k, sc, (3, 2)), tol_ulp=8)
  C("wald/k42", "wald", k, {"mean": 1.5, "shape": [12]}, wald(k, 1.5, (12,)), tol_ulp=64)
  C("weibullMin/k42", "weibullMin", k, {"scale": 2.0, "concentration": 1.5, "shape": [12]}, weibull_min(k, 2.0, 1.5, (12,)), tol_ulp=64)
  C("triangular/k42", "triangular", k, {"left": -1.0, "mode": 0.5, "right": 3.0, "shape": [16]},
    triangular(k, -1.0, 0.5, 3.0, (16,)), tol_ulp=8)
  C("maxwell/k42", "maxwell", k, {"shape": [10]}, maxwell(k, (10,)), tol_ulp=8)
  C("doublesidedMaxwell/k42", "doublesidedMaxwell", k, {"loc": 1.0, "scale": 2.0, "shape": [10]},
    double_sided_maxwell(k, 1.0, 2.0, (10,)), tol_ulp=8)
  C("rademacher/k42", "rademacher", k, {"shape": [20]}, rademacher(k, (20,)))
  pg = np.array([0.1, 0.5, 0.9], np.float32)
  C("geometric/k42", "geometric", k, {"p": enc(pg), "shape": [4, 3]}, geometric(k, pg, (4, 3)))
  C("generalizedNormal/k42", "generalizedNormal", k, {"p": 1.5, "shape": [10]}, generalized_normal(k, 1.5, (10,)), tol_ulp=64)
  C("ball/k42", "ball", k, {"d": 3, "p": 2, "shape": [4]}, ball(k, 3, 2, (4,)), tol_ulp=64)
  mean = np.array([1.0, -2.0, 0.5], np.float32)
  cov = np.array([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]], np.float32)
  C("multivariateNormal/k42", "multivariateNormal", k, {"mean": enc(mean), "cov": enc(cov), "shape": [5]},
    multivariate_normal(k, mean, cov, (5,)), tol_ulp=64)
  lam = np.array([0.0, 0.5, 3.0, 9.5, 10.0, 25.0, 150.0, 1e4], np.float32)
  C("poisson/k42/array", "poisson", k, {"lam": enc(lam)}, poisson(k, lam))
  C("poisson/k0/small", "poisson", k0, {"lam": 4.0, "shape": [20]}, poisson(k0, 4.0, (20,)))
  nb = np.array([5.0, 20.0, 100.0, 1000.0, 37.0, 0.0], np.float32)
  pb = np.array([0.3, 0.9, 0.25, 0.5, 0.02, 0.5], np.float32)
  C("binomial/k42/array", "binomial", k, {"n": enc(nb), "p": enc(pb)}, binomial(k, nb, pb))
  C("binomial/k0/shape", "binomial", k0, {"n": 60.0, "p": 0.4, "shape": [12]}, binomial(k0, 60.0, 0.4, (12,)))
  C("poisson/k0/large", "poisson", k0, {"lam": 50.0, "shape": [20]}, poisson(k0, 50.0, (20,)))


def check_port():
  """Sanity checks of the port itself: sample moments with fixed keys."""
  g = gamma(R.threefry_seed(7), 2.5, (400,))
  assert abs(g.mean() - 2.5) < 0.3, g.mean()
  p = poisson(R.threefry_seed(7), 30.0, (400,))
  assert abs(p.mean() - 30) < 1.5, p.mean()
  ga = gamma_approx(R.threefry_seed(7), 2.5, (400,))
  assert abs(ga.mean() - 2.5) < 0.3, ga.mean()
  bn = binomial(R.threefry_seed(7), 200.0, 0.3, (400,))
  assert abs(bn.mean() - 60) < 2.5, bn.mean()
  assert np.allclose(np.exp(loggamma(R.threefry_seed(3), 3.0, (20,))), gamma(R.threefry_seed(3), 3.0, (20,)), rtol=1e-5)


def special_goldens():
  """scipy values for lgamma, digamma and random_gamma_grad(a, x) = -(dP(a, x)/da) / p(a, x)."""
  from scipy import special, stats
  pts = [(0.05, 0.01), (0.3, 0.2), (0.3, 2.0), (1.0, 0.5), (1.5, 3.0), (2.5, 1.0), (2.5, 6.0), (7.0, 4.0),
         (7.0, 12.0), (40.0, 35.0), (40.0, 50.0), (0.8, 1e-4), (3.0, 0.0)]
  a = np.array([p[0] for p in pts], np.float32).astype(np.float64)
  x = np.array([p[1] for p in pts], np.float32).astype(np.float64)
  h = 1e-6 * np.maximum(a, 1)
  dp = (special.gammainc(a + h, x) - special.gammainc(a - h, x)) / (2 * h)
  pdf = stats.gamma.pdf(x, a)
  grad = np.where(x == 0, 0.0, -dp / np.where(pdf == 0, 1, pdf))
  z = np.array([0.1, 0.4, 0.5, 0.9, 1.0, 1.5, 2.0, 3.7, 10.0, 55.5, -0.3, -2.5], np.float32).astype(np.float64)
  return {"a": a.tolist(), "x": x.tolist(), "gamma_grad": grad.tolist(), "z": z.tolist(),
          "lgamma": special.gammaln(z).tolist(), "digamma": special.digamma(z).tolist()}


if __name__ == "__main__":
  check_port()
  R.CASES.clear()
  make_cases()
  with open(OUT, "w") as fh:
    json.dump({"cases": R.CASES, "special": special_goldens()}, fh, separators=(",", ":"))
    fh.write("\n")
  print(f"wrote {len(R.CASES)} cases to {OUT}")
