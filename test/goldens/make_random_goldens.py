#!/usr/bin/env python3
"""Golden values for tinyjax's `random` module: a numpy port of JAX's PRNG, followed line by line.

Run:  python3 test/goldens/make_random_goldens.py      (python3 + numpy 2.x; deterministic)

Writes test/goldens/random.json. JAX itself cannot be installed here, so this file re-implements,
with numpy and in the same order of operations, what JAX's sources do:

  jax/_src/random/threefry2x32.py  threefry2x32_p (Random123 Threefry-2x32, 20 rounds), threefry_seed,
                                   threefry_2x32, threefry_split (both schemes), threefry_fold_in,
                                   threefry_random_bits (partitionable and original)
  jax/_src/random/prng.py          iota_2x32_shape, random_seed (x32 and x64 seeds)
  jax/_src/random/core.py          _uniform, _normal_real, _randint, _shuffle / permutation, choice,
                                   _bernoulli, _truncated_normal, _exponential, _gumbel ("low"),
                                   _categorical

Checked against real JAX 0.11.2 (jaxlib, XLA:CPU) with check_with_jax.py on 2026-11-26: 200 of the
204 cases were bit-identical to JAX, truncatedNormal/k42/0_1.5 was 3-4 ulp away (inside its
tol_ulp), and the two uint32 randint cases needed the check script to pass np.uint32 bounds.

Every function below carries the JAX name it ports. The integer parts are exact by construction.
Float parts follow XLA:CPU, which is what JAX runs on CPU:
  * XLA:CPU compiles with LLVM's AllowFPOpFusion=Fast, so a multiply whose only use is an add
    becomes one fused multiply-add (single rounding). `uniform`'s `floats * (maxval - minval) +
    minval` is therefore an FMA, and so is every Horner step of the polynomials below.
  * lax.erf_inv is StableHLO's ChloLegalizeToStablehlo `erfInv32` (Giles' single-precision
    polynomial) for float32 and `erfInv64` for float64; its log1p is XLA's Log1p intrinsic (Cephes
    rational for |x| < sqrt(2)-1, log(1+x) otherwise) and float32 log is XLA:CPU's Cephes polynomial
    (polynomial_approximations.cc, GenerateVF32Log). These details changed between jaxlib versions;
    the goldens model the 2025 XLA:CPU. float64 log is the C library's (math.log here).
  * lax.log / lax.log1p as used by gumbel and exponential use the same XLA:CPU models.

Output: {"cases": [case, ...]} with case = {"name", "fn", "key": [k1, k2], "args": {...},
"scheme": "partitionable" | "original", "out": ARRAY} where ARRAY is {"dtype", "shape",
"data"}: uint32/int32/bool values as JSON integers, float32 as uint32 bit patterns, float64 as two
uint32 words [hi, lo] per element. "tol_ulp" (optional) is the number of float32 ulps a tinyjax
result may differ by where tinyjax's own transcendental primitives (log, log1p, erf) are not XLA's
approximations. The script also asserts JAX's published known answers before writing anything.
"""

import json
import math
import os
import zlib
from fractions import Fraction

import numpy as np

np.seterr(all="ignore")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "random.json")

u32 = np.uint32
f32 = np.float32


class Config:
  threefry_partitionable = True


config = Config()


# ---------------------------------------------------------------------------------------------
# exact float helpers (what the hardware does; Python floats are IEEE doubles)

def round_f32(fr):
  """Rounds an exact Fraction to the nearest float32, ties to even."""
  d = float(fr)  # correctly rounded to double
  f = f32(d)
  if Fraction(float(f)) == fr:
    return f
  # the true value lies between f and its neighbour toward fr; pick the nearer, ties to even
  g = np.nextafter(f, f32(np.inf) if Fraction(float(f)) < fr else f32(-np.inf))
  df, dg = abs(Fraction(float(f)) - fr), abs(Fraction(float(g)) - fr)
  if df < dg:
    return f
  if dg < df:
    return g
  return f if (int(np.array(f).view(np.uint32)) & 1) == 0 else g


def fmaf(a, b, c):
  """float32 fused multiply-add, one rounding (the FMA instruction)."""
  a, b, c = f32(a), f32(b), f32(c)
  if not (np.isfinite(a) and np.isfinite(b) and np.isfinite(c)):
    return f32(float(a) * float(b) + float(c))
  return round_f32(Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c)))


def fma64(a, b, c):
  if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
    return a * b + c
  return float(Fraction(a) * Fraction(b) + Fraction(c))


def vec(f, *xs, otype=None):
  """Applies a scalar function elementwise (numpy arrays in, array of the first input's dtype out)."""
  xs = np.broadcast_arrays(*[np.asarray(x) for x in xs])
  out = np.empty(xs[0].shape, dtype=otype or xs[0].dtype)
  for idx in np.ndindex(out.shape):
    out[idx] = f(*[x[idx] for x in xs])
  return out


def bits32(x):
  return int(np.array(f32(x)).view(np.uint32))


def from_bits32(b):
  return np.array(u32(b)).view(np.float32)[()]


# ---------------------------------------------------------------------------------------------
# XLA:CPU float32 math (see the module docstring)

# xla/backends/cpu/codegen/polynomial_approximations.cc: GenerateVF32Log. Every vb.MulAdd is an
# fmul+fadd pair that LLVM fuses; `y * x3 + q1 * e` fuses the first product (DAGCombiner prefers
# operand 0); the products with 0.5 and q2 are exact so their fusion does not matter.
LOG_P = [f32(v) for v in (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
                          1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
                          3.3333331174e-1)]
LOG_Q1, LOG_Q2 = f32(-2.12194440e-4), f32(0.693359375)
SQRTHF = f32(0.707106781186547524)


def xla_log_f32(x):
  x = f32(x)
  if np.isnan(x) or x < 0:
    return f32(np.nan)
  if x == 0:
    return f32(-np.inf)
  if x == np.inf:
    return f32(np.inf)
  t = max(from_bits32(0x00800000), x)
  b = bits32(t)
  emm0 = (b >> 23) - 0x7F
  t = from_bits32((b & ~0x7F800000 & 0xFFFFFFFF) | 0x3F000000)
  e = f32(1) + f32(emm0)
  mask = t < SQRTHF
  tmp1 = t if mask else f32(0)
  t = f32(t - f32(1))
  e = f32(e - (f32(1) if mask else f32(0)))
  t = f32(t + tmp1)
  x2 = f32(t * t)
  x3 = f32(x2 * t)
  y = fmaf(t, LOG_P[0], LOG_P[1])
  y1 = fmaf(t, LOG_P[3], LOG_P[4])
  y2 = fmaf(t, LOG_P[6], LOG_P[7])
  y = fmaf(y, t, LOG_P[2])
  y1 = fmaf(y1, t, LOG_P[5])
  y2 = fmaf(y2, t, LOG_P[8])
  y = fmaf(y, x3, y1)
  y = fmaf(y, x3, y2)
  y = fmaf(y, x3, f32(LOG_Q1 * e))  # y * x3 + q1 * e
  t = f32(t - f32(f32(0.5) * x2))
  t = f32(t + y)
  t = f32(t + f32(LOG_Q2 * e))
  return t


# xla/codegen/intrinsic/log1p.cc (Log1p::CreateDefinition); EvaluatePolynomial's steps are FMAs.
LOG1P_DEN = [1., 1.5062909083469192043167E1, 8.3047565967967209469434E1, 2.2176239823732856465394E2,
             3.0909872225312059774938E2, 2.1642788614495947685003E2, 6.0118660497603843919306E1]
LOG1P_NUM = [4.5270000862445199635215E-5, 4.9854102823193375972212E-1, 6.5787325942061044846969E0,
             2.9911919328553073277375E1, 6.0949667980987787057556E1, 5.7112963590585538103336E1,
             2.0039553499201281259648E1]


def xla_log1p_f32(x):
  x = f32(x)
  if abs(x) < f32(0.41421356237309504880):
    x2 = f32(x * x)
    den = f32(0)
    for c in LOG1P_DEN:
      den = fmaf(den, x, f32(c))
    num = f32(0)
    for c in LOG1P_NUM:
      num = fmaf(num, x, f32(c))
    r = f32(num / den)
    r = f32(f32(x * x2) * r)
    r = fmaf(f32(-0.5), x2, r)
    return f32(x + r)
  return xla_log_f32(f32(x + f32(1)))


def xla_log1p_f64(x):
  if abs(x) < 0.41421356237309504880:
    x2 = x * x
    den = 0.0
    for c in LOG1P_DEN:
      den = fma64(den, x, c)
    num = 0.0
    for c in LOG1P_NUM:
      num = fma64(num, x, c)
    r = (x * x2) * (num / den)
    r = fma64(-0.5, x2, r)
    return x + r
  y = x + 1.0
  return math.log(y) if y > 0 else (-math.inf if y == 0 else math.nan)


# stablehlo/transforms/ChloLegalizeToStablehlo.cpp: erfInv32 / erfInv64. `p = c + p * w` is an FMA.
ERFINV_LT5 = [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
              -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]
ERFINV_GE5 = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
              -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]


def xla_erf_inv_f32(x):
  x = f32(x)
  w = -xla_log1p_f32(f32(x * -x))
  lt = w < f32(5)
  w = f32(w - f32(2.5)) if lt else f32(f32(np.sqrt(w)) - f32(3))
  cs = ERFINV_LT5 if lt else ERFINV_GE5
  p = f32(cs[0])
  for c in cs[1:]:
    p = fmaf(p, w, f32(c))
  if abs(x) == 1:
    return f32(x * np.inf)
  return f32(p * x)


ERFINV64_LT625 = [
    -3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18,
    1.115787767802518096e-17, -1.333171662854620906e-16, 2.0972767875968561637e-17,
    6.6376381343583238325e-15, -4.0545662729752068639e-14, -8.1519341976054721522e-14,
    2.6335093153082322977e-12, -1.2975133253453532498e-11, -5.4154120542946279317e-11,
    1.051212273321532285e-09, -4.1126339803469836976e-09, -2.9070369957882005086e-08,
    4.2347877827932403518e-07, -1.3654692000834678645e-06, -1.3882523362786468719e-05,
    0.0001867342080340571352, -0.00074070253416626697512, -0.0060336708714301490533,
    0.24015818242558961693, 1.6536545626831027356]
ERFINV64_LT16 = [
    2.2137376921775787049e-09, 9.0756561938885390979e-08, -2.7517406297064545428e-07,
    1.8239629214389227755e-08, 1.5027403968909827627e-06, -4.013867526981545969e-06,
    2.9234449089955446044e-06, 1.2475304481671778723e-05, -4.7318229009055733981e-05,
    6.8284851459573175448e-05, 2.4031110387097893999e-05, -0.0003550375203628474796,
    0.00095328937973738049703, -0.0016882755560235047313, 0.0024914420961078508066,
    -0.0037512085075692412107, 0.005370914553590063617, 1.0052589676941592334,
    3.0838856104922207635]
ERFINV64_GE16 = [
    -2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-09,
    -3.7894654401267369937e-09, 7.6157012080783393804e-09, -1.4960026627149240478e-08,
    2.9147953450901080826e-08, -6.7711997758452339498e-08, 2.2900482228026654717e-07,
    -9.9298272942317002539e-07, 4.5260625972231537039e-06, -1.9681778105531670567e-05,
    7.5995277030017761139e-05, -0.00021503011930044477347, -0.00013871931833623122026,
    1.0103004648645343977, 4.8499064014085844221]


def xla_erf_inv_f64(x):
  x = float(x)
  w = -xla_log1p_f64(x * -x)
  lt625, lt16 = w < 6.25, w < 16
  if lt625:
    cs = ERFINV64_LT625
    w = w - 3.125
  elif lt16:
    cs = ERFINV64_LT16
    w = math.sqrt(w) - 3.25
  else:
    cs = ERFINV64_GE16
    w = math.sqrt(w) - 5.0
  p = cs[0]
  for c in cs[1:]:
    p = fma64(p, w, c)
  if abs(x) == 1:
    return x * math.inf
  return p * x


# xla/codegen/intrinsic/erf.cc (EmitErfF32, explicit llvm.fma calls), the f32 lax.erf on XLA:CPU.
ERF_A = [f32(v) for v in (1.128379143519084, 0.18520832239976145, 0.050955695062380861,
                          0.0034082910107109506, 0.00022905065861350646)]
ERF_B = [f32(v) for v in (1.0, 0.49746925110067538, 0.11098505178285362, 0.014070470171167667,
                          0.0010179625278914885, 0.000023547966471313185, -1.1791602954361697e-7)]


def xla_erf_f32(x):
  x = f32(x)
  if f32(3.832506856900711) <= abs(x):
    return f32(math.copysign(1.0, float(x)))
  x2 = f32(x * x)
  p = fmaf(x2, ERF_A[4], ERF_A[3])
  p = fmaf(x2, p, ERF_A[2])
  p = fmaf(x2, p, ERF_A[1])
  p = fmaf(x2, p, ERF_A[0])
  p = f32(x * p)
  q = fmaf(x2, ERF_B[6], ERF_B[5])
  for c in (ERF_B[4], ERF_B[3], ERF_B[2], ERF_B[1], ERF_B[0]):
    q = fmaf(x2, q, c)
  return f32(p / q)


def lax_log(x):
  return vec(xla_log_f32, x) if x.dtype == np.float32 else np.log(x)


def lax_log1p(x):
  return vec(xla_log1p_f32, x) if x.dtype == np.float32 else vec(xla_log1p_f64, x)


def lax_erf_inv(x):
  return vec(xla_erf_inv_f32, x) if x.dtype == np.float32 else vec(xla_erf_inv_f64, x)


def lax_erf(x):
  if x.dtype == np.float32:
    return vec(xla_erf_f32, x)
  return vec(math.erf, x)  # float64: Cephes in XLA; ~correctly rounded, close enough for goldens


# ---------------------------------------------------------------------------------------------
# jax/_src/random/threefry2x32.py

def rotate_left(x, d):
  return (x << u32(d)) | (x >> u32(32 - d))


def apply_round(v, rot):
  v = v[:]
  v[0] = v[0] + v[1]
  v[1] = rotate_left(v[1], rot)
  v[1] = v[0] ^ v[1]
  return v


def threefry2x32_p(key1, key2, x1, x2):
  """The primitive: Random123 Threefry-2x32, 20 rounds (the unrolled _threefry2x32_lowering)."""
  key1, key2, x1, x2 = np.broadcast_arrays(*[np.asarray(a, dtype=np.uint32) for a in (key1, key2, x1, x2)])
  x = [x1.astype(np.uint32), x2.astype(np.uint32)]
  rotations = [[13, 15, 26, 6], [17, 29, 16, 24]]
  ks = [key1, key2, key1 ^ key2 ^ u32(0x1BD11BDA)]
  x[0] = x[0] + ks[0]
  x[1] = x[1] + ks[1]
  for r in rotations[0]:
    x = apply_round(x, r)
  x[0] = x[0] + ks[1]
  x[1] = x[1] + ks[2] + u32(1)
  for r in rotations[1]:
    x = apply_round(x, r)
  x[0] = x[0] + ks[2]
  x[1] = x[1] + ks[0] + u32(2)
  for r in rotations[0]:
    x = apply_round(x, r)
  x[0] = x[0] + ks[0]
  x[1] = x[1] + ks[1] + u32(3)
  for r in rotations[1]:
    x = apply_round(x, r)
  x[0] = x[0] + ks[1]
  x[1] = x[1] + ks[2] + u32(4)
  for r in rotations[0]:
    x = apply_round(x, r)
  x[0] = x[0] + ks[2]
  x[1] = x[1] + ks[0] + u32(5)
  return x[0].astype(np.uint32), x[1].astype(np.uint32)


def threefry_seed(seed, x64=False):
  """prng.random_seed + threefry_seed for a Python int: x32 mode wraps it to int32 first."""
  if x64:
    s = seed & 0xFFFFFFFFFFFFFFFF
    k1 = s >> 32  # shift_right_logical on int64, then convert to uint32
  else:
    s = seed & 0xFFFFFFFF  # jnp.asarray(np.int64(seed)) canonicalized to int32
    k1 = 0  # shift_right_logical(int32, 32) is 0 in XLA
  k2 = s & 0xFFFFFFFF
  return np.array([k1, k2], dtype=np.uint32)


def threefry_2x32(keypair, count):
  key1, key2 = keypair
  flat_count = np.asarray(count, dtype=np.uint32).ravel()
  odd_size = flat_count.shape[0] % 2
  if odd_size:
    x = list(np.split(np.concatenate([flat_count, np.uint32([0])]), 2))
  else:
    x = list(np.split(flat_count, 2))
  x = threefry2x32_p(key1, key2, x[0], x[1])
  out = np.concatenate(x)
  return (out[:-1] if odd_size else out).reshape(np.shape(count))


def iota_2x32_shape(shape):
  n = int(np.prod(shape, dtype=np.int64))
  counts = np.arange(n, dtype=np.uint64).reshape(shape)
  return (counts >> np.uint64(32)).astype(np.uint32), (counts & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def threefry_split(key, shape):
  shape = tuple(shape)
  if config.threefry_partitionable:
    k1, k2 = key
    counts1, counts2 = iota_2x32_shape(shape)
    bits1, bits2 = threefry2x32_p(k1, k2, counts1, counts2)
    return np.stack([bits1, bits2], axis=bits1.ndim)
  num = int(np.prod(shape, dtype=np.int64))
  counts = np.arange(num * 2, dtype=np.uint32)
  return threefry_2x32(key, counts).reshape((*shape, 2))


def threefry_fold_in(key, data):
  return threefry_2x32(key, threefry_seed(int(data) & 0xFFFFFFFF))


def threefry_random_bits(key, bit_width, shape):
  """Returns uint32 (bit_width 32) or uint64 (bit_width 64) numpy arrays."""
  shape = tuple(shape)
  if config.threefry_partitionable:
    k1, k2 = key
    counts1, counts2 = iota_2x32_shape(shape)
    bits1, bits2 = threefry2x32_p(k1, k2, counts1, counts2)
    if bit_width == 64:
      return (bits1.astype(np.uint64) << np.uint64(32)) | bits2.astype(np.uint64)
    if bit_width == 32:
      return bits1 ^ bits2
    return (bits1 ^ bits2).astype({8: np.uint8, 16: np.uint16}[bit_width])
  size = int(np.prod(shape, dtype=np.int64))
  max_count, r = divmod(bit_width * size, 32)
  if r > 0:
    max_count += 1
  assert max_count < 0xFFFFFFFF  # nblocks == 0 for every size a test uses
  bits = threefry_2x32(key, np.arange(max_count, dtype=np.uint32))
  if bit_width == 64:
    hi, lo = np.split(bits, 2)
    bits = (hi.astype(np.uint64) << np.uint64(32)) | lo.astype(np.uint64)
  elif bit_width in (8, 16):
    dt = {8: np.uint8, 16: np.uint16}[bit_width]
    bits = np.bitwise_and(np.uint32(np.iinfo(dt).max),
                          bits[None, :] >> (np.uint32(bit_width) * np.arange(32 // bit_width, dtype=np.uint32))[:, None])
    bits = bits.T.reshape(max_count * 32 // bit_width).astype(dt)[:size]
  return bits.reshape(shape)


# ---------------------------------------------------------------------------------------------
# jax/_src/random/core.py

def split(key, num=2):
  shape = tuple(num) if isinstance(num, (tuple, list)) else (num,)
  return threefry_split(key, shape)


def fold_in(key, data):
  return threefry_fold_in(key, data)


def bits(key, shape=(), dtype=np.uint32):
  return threefry_random_bits(key, np.dtype(dtype).itemsize * 8, shape)


def uniform(key, shape=(), dtype=np.float32, minval=0., maxval=1.):
  dtype = np.dtype(dtype)
  minval = np.asarray(minval).astype(dtype)  # lax.convert_element_type
  maxval = np.asarray(maxval).astype(dtype)
  nbits, nmant = (32, 23) if dtype == np.float32 else (64, 52)
  rng_bits = nbits
  b = threefry_random_bits(key, rng_bits, shape)
  uint_dtype = np.uint32 if nbits == 32 else np.uint64
  float_bits = (b >> uint_dtype(rng_bits - nmant)) | np.array(1.0, dtype).view(uint_dtype)
  floats = float_bits.view(dtype) - dtype.type(1.)
  span = (maxval - minval).astype(dtype)
  fma = fmaf if dtype == np.float32 else fma64
  scaled = vec(lambda f, s, m: dtype.type(fma(f, s, m)), np.broadcast_to(floats, shape), span, minval)
  return np.maximum(minval, scaled.reshape(shape)).astype(dtype)


def normal(key, shape=(), dtype=np.float32):
  dtype = np.dtype(dtype)
  lo = np.nextafter(np.array(-1., dtype), np.array(0., dtype), dtype=dtype)
  hi = np.array(1., dtype)
  u = uniform(key, shape, dtype, lo, hi)
  return (np.array(np.sqrt(2), dtype) * lax_erf_inv(u)).astype(dtype)


def _convert_and_clip_integer(val, dtype):
  info = np.iinfo(dtype)
  return np.clip(val, info.min, info.max).astype(dtype)


def randint(key, shape, minval, maxval, dtype=np.int32):
  """_randint for 32-bit dtypes; minval/maxval are Python ints or int arrays (int64 here)."""
  dtype = np.dtype(dtype)
  shape = tuple(shape)
  minval = np.asarray(minval, dtype=np.int64)
  maxval = np.asarray(maxval, dtype=np.int64)
  maxval_out_of_range = maxval > np.iinfo(dtype).max
  minval = _convert_and_clip_integer(minval, dtype)
  maxval = _convert_and_clip_integer(maxval, dtype)
  k1, k2 = split(key)
  higher_bits, lower_bits = bits(k1, shape), bits(k2, shape)
  span = (maxval.astype(np.int64) - minval.astype(np.int64)).astype(np.int64) & 0xFFFFFFFF
  span = span.astype(np.uint32)  # lax.convert_element_type(maxval - minval, uint32): wraps
  span = np.where(maxval <= minval, np.uint32(1), span)
  span = np.where(maxval_out_of_range & (maxval > minval), span + np.uint32(1), span).astype(np.uint32)
  with np.errstate(all="ignore"):
    def urem(a, b):  # XLA: x % 0 == x
      a, b = np.broadcast_arrays(a, b)
      return np.where(b == 0, a, a % np.where(b == 0, 1, b)).astype(np.uint32)
    multiplier = urem(np.uint32(2 ** 16), span)
    multiplier = urem((multiplier.astype(np.uint32) * multiplier.astype(np.uint32)).astype(np.uint32), span)
    random_offset = (urem(higher_bits, span) * multiplier).astype(np.uint32) + urem(lower_bits, span)
    random_offset = urem(random_offset.astype(np.uint32), span)
  return (minval + random_offset.astype(dtype)).astype(dtype)


def _shuffle(key, x, axis):
  exponent = 3
  uint32max = np.iinfo(np.uint32).max
  num_rounds = int(np.ceil(exponent * np.log(max(1, x.size)) / np.log(uint32max)))
  for _ in range(num_rounds):
    key, subkey = split(key)
    sort_keys = bits(subkey, x.shape)
    order = np.argsort(sort_keys, axis=axis, kind="stable")
    x = np.take_along_axis(x, order, axis=axis)
  return x


def permutation(key, x, axis=0, independent=False):
  if np.ndim(x) == 0:
    return _shuffle(key, np.arange(int(x), dtype=np.int32), axis)
  x = np.asarray(x)
  if independent or x.ndim == 1:
    return _shuffle(key, x, axis)
  ind = _shuffle(key, np.arange(x.shape[axis], dtype=np.int32), 0)
  return np.take(x, ind, axis)


def gumbel(key, shape=(), dtype=np.float32):
  dtype = np.dtype(dtype)
  tiny = np.finfo(dtype).tiny
  u = uniform(key, shape, dtype, minval=tiny, maxval=1.)
  return (-lax_log(-lax_log(u))).astype(dtype)


def exponential(key, shape=(), dtype=np.float32):
  u = uniform(key, shape, dtype)
  return (-lax_log1p(-u)).astype(dtype)


def bernoulli(key, p=0.5, shape=None):
  p = np.asarray(p, dtype=np.float32)
  if shape is None:
    shape = p.shape
  return uniform(key, shape, p.dtype) < p


def truncated_normal(key, lower, upper, shape=None, dtype=np.float32):
  dtype = np.dtype(dtype)
  if shape is None:
    shape = np.broadcast_shapes(np.shape(lower), np.shape(upper))
  sqrt2 = np.array(np.sqrt(2), dtype)
  lower = np.asarray(lower).astype(dtype)
  upper = np.asarray(upper).astype(dtype)
  a = lax_erf((lower / sqrt2).astype(dtype))
  b = lax_erf((upper / sqrt2).astype(dtype))
  u = uniform(key, shape, dtype, minval=a, maxval=b)
  out = (sqrt2 * lax_erf_inv(u)).astype(dtype)
  lo = np.nextafter(lower, np.array(np.inf, dtype=dtype))
  hi = np.nextafter(upper, np.array(-np.inf, dtype=dtype))
  return np.minimum(np.maximum(out, lo), hi).astype(dtype)  # jnp.clip


def categorical(key, logits, axis=-1, shape=None):
  logits = np.asarray(logits)
  batch_shape = tuple(np.delete(logits.shape, axis))
  if shape is None:
    shape = batch_shape
  shape_prefix = shape[:len(shape) - len(batch_shape)]
  if axis >= 0:
    axis -= len(logits.shape)
  logits_shape = list(shape[len(shape) - len(batch_shape):])
  logits_shape.insert(axis % len(logits.shape), logits.shape[axis])
  g = gumbel(key, (*shape_prefix, *logits_shape), logits.dtype)
  expanded = logits.reshape((1,) * len(shape_prefix) + logits.shape)
  return np.argmax((g + expanded).astype(logits.dtype), axis=axis).astype(np.int32)


def categorical_noreplace(key, logits, shape, axis=-1):
  """_categorical with replace=False: gumbel top-k along the category axis."""
  logits = np.asarray(logits)
  batch_shape = tuple(np.delete(logits.shape, axis))
  shape_prefix = shape[:len(shape) - len(batch_shape)]
  logits = (logits + gumbel(key, logits.shape, logits.dtype)).astype(logits.dtype)
  k = int(np.prod(shape_prefix, dtype=np.int64))
  indices = top_k_indices(np.moveaxis(logits, axis, -1), k)
  dimensions = (indices.ndim - 1, *range(indices.ndim - 1))
  return np.transpose(indices, dimensions).reshape(shape).astype(np.int32)


def top_k_indices(x, k):
  """lax.top_k's indices along the last axis (ties: the lower index first)."""
  order = np.argsort(-x, axis=-1, kind="stable")
  return order[..., :k]


def choice(key, a, shape=(), replace=True, p=None, axis=0):
  arr = np.asarray(a)
  if arr.ndim == 0:
    n_inputs = int(a)
  else:
    n_inputs = arr.shape[axis]
  n_draws = int(np.prod(shape, dtype=np.int64))
  if n_draws == 0:
    return np.zeros(shape, dtype=arr.dtype)
  if p is None:
    if replace:
      ind = randint(key, shape, 0, n_inputs)
      result = ind if arr.ndim == 0 else np.take(arr, ind, axis)
    else:
      perm = permutation(key, n_inputs if arr.ndim == 0 else arr, axis)
      result = np.take(perm, np.arange(n_draws), axis=axis)
  else:
    p_arr = np.asarray(p, dtype=np.float32)
    if replace:
      p_cuml = np.cumsum(p_arr, dtype=np.float32)
      r = (p_cuml[-1] * (np.float32(1) - uniform(key, shape, dtype=p_cuml.dtype))).astype(np.float32)
      ind = np.searchsorted(p_cuml, r).astype(np.int32)
    else:
      g = (gumbel(key, (n_inputs,), dtype=p_arr.dtype) + lax_log(p_arr)).astype(np.float32)
      ind = top_k_indices(g, n_draws).astype(np.int32)
    result = ind if arr.ndim == 0 else np.take(arr, ind, axis)
  return result.reshape(shape if arr.ndim == 0 else arr.shape[0:axis] + tuple(shape) + arr.shape[axis + 1:])


# ---------------------------------------------------------------------------------------------
# known answers published by JAX and Random123 (the script refuses to write goldens otherwise)

def adler_seed(name, impl="threefry2x32"):
  return zlib.adler32((name + impl).encode())


def close6(actual, expected, rtol=1e-6, atol=1e-6):
  """jtu.JaxTestCase.assertAllClose's float32 default tolerance."""
  return np.allclose(np.asarray(actual, np.float64), np.asarray(expected, np.float64), rtol=rtol, atol=atol)


def check_known_answers():
  def hexpair(r):
    return tuple(hex(int(v)) for v in r)
  # Random123 (tests/random_test.py testThreefry2x32)
  assert hexpair(threefry_2x32(np.uint32([0, 0]), np.uint32([0, 0]))) == ("0x6b200159", "0x99ba4efe")
  m = 0xFFFFFFFF
  assert hexpair(threefry_2x32(np.uint32([m, m]), np.uint32([m, m]))) == ("0x1cb996fc", "0xbb002be7")
  assert hexpair(threefry_2x32(np.uint32([0x13198a2e, 0x03707344]), np.uint32([0x243f6a88, 0x85a308d3]))) == ("0xc4923a9c", "0x483df7a0")

  # seeds (tests/random_test.py test_prng_seeds_and_keys)
  assert list(threefry_seed(-1)) == [0, 4294967295] and list(threefry_seed(-1, x64=True)) == [4294967295, 4294967295]
  assert list(threefry_seed(2**31 - 1 + 100)) == [0, 2147483747]
  assert list(threefry_seed(-(2**31) - 100)) == [0, 2147483548]
  assert list(threefry_seed(-(2**31) - 100, x64=True)) == [4294967295, 2147483548]

  # default (partitionable) scheme: the values
  config.threefry_partitionable = True
  k0 = threefry_seed(0)
  assert int(bits(k0)) == 4070199207
  assert split(k0).tolist() == [[1797259609, 2579123966], [928981903, 3453687069]]
  # test_threefry_split_fold_in_symmetry
  k72 = threefry_seed(72)
  assert all((fold_in(k72, i) == split(k72, 3)[i]).all() for i in range(3))
  # jax/docs/jep/9263-typed-keys.md: jax.random.uniform(key(0), shape=(3,))
  assert close6(uniform(k0, (3,)), [0.947667, 0.9785799, 0.33229148])
  # jax/_src/numpy/ufuncs.py doctests (printed to 2 decimals)
  x = uniform(threefry_seed(42), (3, 3), minval=-5, maxval=5)
  assert np.allclose(x, [[-0.11, 1.8, 1.16], [0.61, -0.49, 0.86], [-4.25, 2.75, 1.99]], atol=0.006)
  x = uniform(threefry_seed(1), (3, 3), minval=-5, maxval=5)
  assert np.allclose(x, [[-0.61, 0.34, -0.54], [-0.62, 3.97, 0.59], [4.84, 3.42, -1.14]], atol=0.006)
  x = uniform(threefry_seed(42), (3, 3), minval=-10, maxval=10)  # lax_numpy.py trunc doctest
  assert np.allclose(x, [[-0.23, 3.6, 2.33], [1.22, -0.99, 1.72], [-8.5, 5.5, 3.98]], atol=0.006)
  # lax_numpy.py cov / corrcoef doctests: normal(key(0), (3, 100))
  x = normal(k0, (3, 100)).astype(np.float64)
  assert np.allclose(np.cov(x), [[0.9, 0.03, 0.1], [0.03, 1., 0.01], [0.1, 0.01, 0.85]], atol=0.006)
  assert np.allclose(np.corrcoef(x), [[1., 0.03, 0.12], [0.03, 1., 0.01], [0.12, 0.01, 1.]], atol=0.006)

  # legacy scheme (tests/random_test.py: testRngRandomBits, testPRNGValues, _RANDOM_VALUES_CASES)
  config.threefry_partitionable = False
  try:
    # api.py jit doctest (skipped there, written before the switch): selu(normal(key(0), (10,)))
    x = normal(k0, (10,)).astype(np.float64)
    selu = 1.05 * np.where(x > 0, x, 1.67 * np.exp(x) - 1.67)
    assert np.allclose(selu, [-0.54485, 0.27744, -0.29255, -0.91421, -0.62452, -0.24748, -0.85743,
                              -0.78232, 0.76827, 0.59566], atol=6e-6)
    k = threefry_seed(1701)
    assert bits(k, (3,), np.uint32).tolist() == [56197195, 4200222568, 961309823]
    assert bits(k, (3,), np.uint8).tolist() == [216, 115, 43]
    assert bits(k, (3,), np.uint16).tolist() == [41682, 1300, 55017]
    assert bits(k, (3,), np.uint64).tolist() == [3982329540505020460, 16822122385914693683, 7882654074788531506]
    assert randint(k0, (3, 3), 0, 8).tolist() == [[2, 1, 3], [6, 1, 5], [6, 3, 4]]
    assert split(k0, 4).tolist() == [[2285895361, 1501764800], [1518642379, 4090693311],
                                     [433833334, 4221794875], [839183663, 3740430601]]
    assert fold_in(k0, 4).tolist() == [2285895361, 433833334]
    ka = lambda name: threefry_seed(adler_seed(name))
    assert bits(ka("bits"), (5,), np.uint32).tolist() == [1978747883, 4134381225, 3628107870, 689687174, 2788938207]
    assert bits(ka("bits"), (5,), np.uint8).tolist() == [10, 158, 82, 54, 158]
    assert bits(ka("bits"), (5,), np.uint16).tolist() == [6738, 38161, 50695, 57337, 61600]
    assert bits(ka("bits"), (5,), np.uint64).tolist() == [17649965731882839947, 1415307058040849897, 8282622628079774249,
                                                          14024425113645909402, 2012979996110532418]
    assert bernoulli(ka("bernoulli"), 0.5, (5,)).tolist() == [False, True, True, True, False]
    assert close6(uniform(ka("uniform"), (5,)), [0.298671, 0.073213, 0.873356, 0.260549, 0.412797])
    assert close6(normal(ka("normal"), (5,)), [-1.173234, -1.511662, 0.070593, -0.099764, 1.052845])
    assert close6(exponential(ka("exponential"), (5,)), [0.526067, 0.043046, 0.039932, 0.46427, 0.123886])
    assert close6(gumbel(ka("gumbel"), (5,)), [2.06701, 0.911726, 0.145736, 0.185427, -0.00711])
    assert randint(ka("randint"), (5,), 0, 10).tolist() == [0, 5, 7, 7, 5]
    assert close6(truncated_normal(ka("truncated_normal"), 0, 2, (5,)), [0.582807, 1.709771, 0.159513, 0.861376, 0.36148])
    # internal_test_util/export_back_compat_test_data/cuda_threefry2x32.py: uniform(key [42, 43], (2, 4))
    u = uniform(np.array([42, 43], np.uint32), (2, 4))
    assert u.tolist() == np.array([[0.42591238, 0.076994896, 0.44370103, 0.72904015],
                                   [0.17879379, 0.81439507, 0.0019190311, 0.68608475]], np.float32).tolist()
  finally:
    config.threefry_partitionable = True


# ---------------------------------------------------------------------------------------------
# encoding and cases

def enc(a):
  a = np.asarray(a)
  if a.dtype == np.float32:
    data = a.view(np.uint32).ravel().tolist()
    dt = "float32"
  elif a.dtype == np.float64:
    w = a.view(np.uint64).ravel()
    data = [[int(v >> np.uint64(32)), int(v & np.uint64(0xFFFFFFFF))] for v in w]
    dt = "float64"
  elif a.dtype == np.bool_:
    data = a.astype(np.int32).ravel().tolist()
    dt = "bool"
  elif a.dtype == np.uint32:
    data = a.ravel().tolist()
    dt = "uint32"
  elif a.dtype in (np.int32, np.int64):
    assert a.dtype == np.int32 or (a.min(initial=0) >= -2**31 and a.max(initial=0) < 2**31)
    data = a.astype(np.int64).ravel().tolist()
    dt = "int32"
  else:
    raise TypeError(a.dtype)
  return {"dtype": dt, "shape": list(a.shape), "data": data}


CASES = []


def case(name, fn, key, args, out, tol_ulp=0):
  c = {"name": name, "fn": fn, "key": [int(v) for v in key], "args": args,
       "scheme": "partitionable" if config.threefry_partitionable else "original", "out": enc(out)}
  if tol_ulp:
    c["tol_ulp"] = tol_ulp
  CASES.append(c)


def make_cases():
  keys = {"k0": threefry_seed(0), "k42": threefry_seed(42), "k1701": threefry_seed(1701),
          "kneg": threefry_seed(-7), "kbig": threefry_seed(2**40 + 12345, x64=True)}
  for scheme in (True, False):
    config.threefry_partitionable = scheme
    for kn, k in keys.items():
      case(f"split/{kn}", "split", k, {"num": 3}, split(k, 3))
      case(f"foldIn/{kn}", "foldIn", k, {"data": 123456789}, fold_in(k, 123456789))
      for shape in [(), (1,), (3,), (5,), (2, 3), (4, 5)]:
        s = "x".join(map(str, shape)) or "scalar"
        case(f"bits/{kn}/{s}", "bits", k, {"shape": list(shape)}, bits(k, shape))
      for shape in [(7,), (2, 3)]:
        s = "x".join(map(str, shape))
        case(f"uniform/{kn}/{s}", "uniform", k, {"shape": list(shape)}, uniform(k, shape))
        case(f"normal/{kn}/{s}", "normal", k, {"shape": list(shape)}, normal(k, shape))
    k = keys["k42"]
    case("split/k42/shape2x2", "split", k, {"num": [2, 2]}, split(k, (2, 2)))
    case("uniform/k42/f64", "uniform", k, {"shape": [5], "dtype": "float64"}, uniform(k, (5,), np.float64))
    case("uniform/k42/minmax", "uniform", k, {"shape": [9], "minval": -3.5, "maxval": 7.25}, uniform(k, (9,), minval=-3.5, maxval=7.25))
    case("uniform/k42/minmax-odd", "uniform", k, {"shape": [64], "minval": 0.1, "maxval": 0.7}, uniform(k, (64,), minval=0.1, maxval=0.7))
    case("uniform/k42/minmax-f64", "uniform", k, {"shape": [6], "minval": -1.5, "maxval": 2.3, "dtype": "float64"},
         uniform(k, (6,), np.float64, -1.5, 2.3))
    case("normal/k42/256", "normal", k, {"shape": [256]}, normal(k, (256,)))
    case("normal/k42/f64", "normal", k, {"shape": [8], "dtype": "float64"}, normal(k, (8,), np.float64))
    for lo, hi in [(0, 10), (-5, 5), (3, 4), (7, 2), (-2**31, 2**31 - 1), (0, 2**31 - 1)]:
      case(f"randint/k42/{lo}_{hi}", "randint", k, {"shape": [12], "minval": lo, "maxval": hi}, randint(k, (12,), lo, hi))
    case("randint/k1701/2x3", "randint", keys["k1701"], {"shape": [2, 3], "minval": -100, "maxval": 1000},
         randint(keys["k1701"], (2, 3), -100, 1000))
    case("randint/k42/uint32", "randint", k, {"shape": [6], "minval": 0, "maxval": 4000000000, "dtype": "uint32"},
         randint(k, (6,), 0, 4000000000, np.uint32))
    for p in (0.5, 0.1, 0.9):
      case(f"bernoulli/k42/{p}", "bernoulli", k, {"p": p, "shape": [16]}, bernoulli(k, p, (16,)))
    case("permutation/k42/int10", "permutation", k, {"x": 10}, permutation(k, 10))
    case("permutation/k0/int100", "permutation", keys["k0"], {"x": 100}, permutation(keys["k0"], 100))
    arr = np.arange(12, dtype=np.int32).reshape(3, 4)
    case("permutation/k42/array-axis0", "permutation", k, {"x": enc(arr), "axis": 0}, permutation(k, arr, 0))
    case("permutation/k42/array-axis1", "permutation", k, {"x": enc(arr), "axis": 1}, permutation(k, arr, 1))
    case("permutation/k42/independent", "permutation", k, {"x": enc(arr), "axis": 1, "independent": True},
         permutation(k, arr, 1, True))
    case("choice/k42/replace", "choice", k, {"a": 10, "shape": [8]}, choice(k, 10, (8,)))
    case("choice/k42/noreplace", "choice", k, {"a": 10, "shape": [5], "replace": False}, choice(k, 10, (5,), replace=False))
    case("choice/k42/array", "choice", k, {"a": enc(np.arange(20, 26, dtype=np.int32)), "shape": [2, 3]},
         choice(k, np.arange(20, 26, dtype=np.int32), (2, 3)))
    pr = np.array([0.1, 0.2, 0.3, 0.4], np.float32)
    case("choice/k42/p", "choice", k, {"a": 4, "shape": [10], "p": enc(pr)}, choice(k, 4, (10,), p=pr))
    case("choice/k42/p-noreplace", "choice", k, {"a": 4, "shape": [3], "p": enc(pr), "replace": False},
         choice(k, 4, (3,), replace=False, p=pr))
    case("gumbel/k42", "gumbel", k, {"shape": [8]}, gumbel(k, (8,)), tol_ulp=8)
    case("exponential/k42", "exponential", k, {"shape": [8]}, exponential(k, (8,)), tol_ulp=8)
    case("truncatedNormal/k42/-2_2", "truncatedNormal", k, {"lower": -2, "upper": 2, "shape": [16]},
         truncated_normal(k, -2, 2, (16,)), tol_ulp=16)
    case("truncatedNormal/k42/0_1.5", "truncatedNormal", k, {"lower": 0, "upper": 1.5, "shape": [8]},
         truncated_normal(k, 0, 1.5, (8,)), tol_ulp=16)
    case("bits/k42/empty", "bits", k, {"shape": [0, 3]}, bits(k, (0, 3)))
    case("normal/k42/empty", "normal", k, {"shape": [3, 0]}, normal(k, (3, 0)))
    lo_arr, hi_arr = np.array([[-1.0], [0.5], [2.0]], np.float32), np.array([1.0, 2.0, 4.0, 8.0], np.float32)
    case("uniform/k42/array-bounds", "uniform", k, {"shape": [3, 4], "minval": enc(lo_arr), "maxval": enc(hi_arr)},
         uniform(k, (3, 4), minval=lo_arr, maxval=hi_arr))
    mn_arr, mx_arr = np.array([[0], [-50], [7]], np.int32), np.array([3, 100, 8, 1000], np.int32)
    case("randint/k42/array-bounds", "randint", k, {"shape": [3, 4], "minval": enc(mn_arr), "maxval": enc(mx_arr)},
         randint(k, (3, 4), mn_arr, mx_arr))
    case("permutation/k42/int2000", "permutation", k, {"x": 2000}, permutation(k, 2000))
    arr2 = np.arange(15, dtype=np.float32).reshape(3, 5) * np.float32(1.5)
    case("choice/k42/noreplace-axis1", "choice", k, {"a": enc(arr2), "shape": [2], "replace": False, "axis": 1},
         choice(k, arr2, (2,), replace=False, axis=1))
    case("truncatedNormal/k42/array-bounds", "truncatedNormal", k, {"lower": enc(np.array([-1.0, 0.0], np.float32)),
         "upper": enc(np.array([1.0, 3.0], np.float32)), "shape": [3, 2]},
         truncated_normal(k, np.array([-1.0, 0.0], np.float32), np.array([1.0, 3.0], np.float32), (3, 2)), tol_ulp=16)
    logits = np.array([[0.5, 1.5, -1.0, 0.0], [3.0, -2.0, 0.25, 1.0]], np.float32)
    case("categorical/k42", "categorical", k, {"logits": enc(logits)}, categorical(k, logits))
    case("categorical/k42/axis0-shape", "categorical", k, {"logits": enc(logits), "axis": 0, "shape": [3, 4]},
         categorical(k, logits, 0, (3, 4)))
    case("categorical/k42/noreplace", "categorical", k, {"logits": enc(logits), "shape": [3, 2], "replace": False},
         categorical_noreplace(k, logits, (3, 2)))
  config.threefry_partitionable = True


def agreement_report():
  """How often float32 normal() would change if XLA's log were glibc's (correctly rounded) logf."""
  k = threefry_seed(0)
  u = uniform(k, (4000,), np.float32, np.nextafter(f32(-1), f32(0)), f32(1))
  global xla_log_f32
  model = vec(xla_erf_inv_f32, u)
  saved = xla_log_f32
  xla_log_f32 = lambda x: f32(math.log(float(x))) if x > 0 else saved(x)
  try:
    alt = vec(xla_erf_inv_f32, u)
  finally:
    xla_log_f32 = saved
  diff = int(np.sum(model.view(np.uint32) != alt.view(np.uint32)))
  print(f"normal(): {diff} of {u.size} samples differ if float32 log were correctly rounded")


if __name__ == "__main__":
  check_known_answers()
  make_cases()
  with open(OUT, "w") as f:
    json.dump({"cases": CASES}, f, separators=(",", ":"))
    f.write("\n")
  print(f"wrote {len(CASES)} cases to {OUT}")
  agreement_report()
