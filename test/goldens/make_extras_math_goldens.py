"""Goldens for jnp's extra math and statistics functions (test/jnp-extras-math.test.ts).

Each case names a jnp function, its arguments as tinyjax takes them (arrays encoded, options as a
trailing object with camelCase keys) and numpy's result on the same float32-rounded inputs. The
expected dtype is JAX's (x32 mode), which differs from numpy's float64 for float results.
Run: python3 test/goldens/make_extras_math_goldens.py
"""
import json
import math
import os

import numpy as np

rng = np.random.default_rng(7)
cases = []


def enc(x, dtype=None):
    x = np.asarray(x)
    dtype = dtype or {"f": "float32", "i": "int32", "u": "uint32", "b": "bool"}[x.dtype.kind]
    data = []
    for v in x.astype(np.float64 if dtype.startswith("float") else np.int64).ravel().tolist():
        if isinstance(v, float) and math.isnan(v):
            data.append("nan")
        elif isinstance(v, float) and math.isinf(v):
            data.append("inf" if v > 0 else "-inf")
        else:
            data.append(v)
    return {"dtype": dtype, "shape": list(x.shape), "data": data}


def f32(*shape, lo=-2.0, hi=2.0):
    return rng.uniform(lo, hi, shape).astype(np.float32)


def case(name, fn, args, want, dtype=None, kw=None, tol=2e-5):
    """args: numpy arrays (encoded) or plain JSON values; want: numpy result(s)."""
    a = [{"arr": enc(v)} if isinstance(v, np.ndarray) else v for v in args]
    outs = want if isinstance(want, tuple) else (want,)
    dts = dtype if isinstance(dtype, tuple) else (dtype,) * len(outs)
    e = [enc(np.asarray(o), d) for o, d in zip(outs, dts)]
    cases.append({"name": name, "fn": fn, "args": a, "kw": kw or {}, "want": e if isinstance(want, tuple) else e[0], "tol": tol})


F = "float32"
x = f32(4, 5)
xi = rng.integers(-5, 6, (4, 5)).astype(np.int32)
v = f32(7)

# ---- differences, gradient, integration
case("diff default", "diff", [x], np.diff(x), F)
case("diff n=2 axis 0", "diff", [x, 2, 0], np.diff(x, 2, 0), F)
case("diff int", "diff", [xi], np.diff(xi), "int32")
case("diff bool", "diff", [xi > 0], np.diff(xi > 0), "bool")
case("diff prepend/append scalars", "diff", [x], np.diff(x, axis=1, prepend=0.5, append=-1.0), F, kw={"axis": 1, "prepend": 0.5, "append": -1.0})
pre = f32(1, 5)
case("diff prepend array axis 0", "diff", [x], np.diff(x, axis=0, prepend=pre), F, kw={"axis": 0, "prepend": {"arr": enc(pre)}})
case("diff n=0", "diff", [x], x, F, kw={"n": 0})
case("ediff1d", "ediff1d", [x], np.ediff1d(x), F)
case("ediff1d to_end/to_begin", "ediff1d", [v], np.ediff1d(v, to_end=[9.0, 8.0], to_begin=-3.0), F, kw={"toEnd": [9.0, 8.0], "toBegin": -3.0})
case("gradient 1d", "gradient", [v], np.gradient(v), F)
case("gradient 1d spacing", "gradient", [v, 0.5], np.gradient(v, 0.5), F)
coords = np.cumsum(rng.uniform(0.2, 1.0, 7)).astype(np.float32)
case("gradient 1d coords", "gradient", [v, coords], np.gradient(v, coords), F)
case("gradient edge 2", "gradient", [v], np.gradient(v, edge_order=2), F, kw={"edgeOrder": 2})
case("gradient edge 2 coords", "gradient", [v, coords], np.gradient(v, coords, edge_order=2), F, kw={"edgeOrder": 2}, tol=1e-4)
case("gradient 2d all axes", "gradient", [x], tuple(np.gradient(x)), F)
case("gradient 2d axis 1 spacing", "gradient", [x, 2.0], np.gradient(x, 2.0, axis=1), F, kw={"axis": 1})
case("gradient 2d per-axis spacing", "gradient", [x, 0.5, coords[:5]], tuple(np.gradient(x, 0.5, coords[:5])), F, tol=1e-4)
case("trapezoid", "trapezoid", [x], np.trapezoid(x), F)
case("trapezoid dx axis 0", "trapezoid", [x], np.trapezoid(x, dx=0.3, axis=0), F, kw={"dx": 0.3, "axis": 0})
case("trapezoid x", "trapezoid", [v, coords], np.trapezoid(v, coords), F)
case("trapezoid x 2d", "trapezoid", [x, np.sort(x, axis=1)], np.trapezoid(x, np.sort(x, axis=1)), F)
case("trapezoid int", "trapezoid", [xi], np.trapezoid(xi), F)

# ---- products
a3, b3 = f32(4, 3), f32(4, 3)
case("cross 3d", "cross", [a3, b3], np.cross(a3, b3), F)
case("cross broadcast", "cross", [a3, b3[:1]], np.cross(a3, b3[:1]), F)
a3t, b3t = f32(3, 4), f32(4, 3)
case("cross axisa axisc", "cross", [a3t, b3t], np.cross(a3t, b3t, axisa=0, axisc=0), F, kw={"axisa": 0, "axisc": 0})
case("cross axis", "cross", [a3t, a3t[::-1].copy()], np.cross(a3t, a3t[::-1], axis=0), F, kw={"axis": 0})
a2, b2 = f32(5, 2), f32(5, 2)
case("cross 2d", "cross", [a2, b2], np.cross(np.pad(a2, ((0, 0), (0, 1))), np.pad(b2, ((0, 0), (0, 1))))[:, 2], F)
case("cross 2d x 3d", "cross", [a2, b3[:1]], np.cross(np.pad(a2, ((0, 0), (0, 1))), b3[:1]), F)
case("cross int", "cross", [xi[:, :3].copy(), xi[::-1, :3].copy()], np.cross(xi[:, :3], xi[::-1, :3]), "int32")
case("vecdot", "vecdot", [x, x[::-1].copy()], np.vecdot(x, x[::-1]), F)
w41 = f32(4, 1)
case("vecdot axis 0 broadcast", "vecdot", [x, w41], np.vecdot(x, w41, axis=0), F, kw={"axis": 0})
m = f32(2, 3, 4)
vv = f32(4)
case("matvec", "matvec", [m, vv], np.matvec(m, vv), F)
uu = f32(2, 3)
case("vecmat", "vecmat", [uu, m], np.vecmat(uu, m), F)

# ---- quantiles and statistics
y = f32(5, 6)
for meth in ["linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf"]:
    q = np.array([0.0, 0.33, 0.77, 1.0], np.float32)
    case(f"quantile {meth}", "quantile", [y, q], np.quantile(y, q.astype(np.float64), axis=1, method=meth), F, kw={"axis": 1, "method": meth})
case("quantile all", "quantile", [y, 0.37], np.quantile(y, 0.37), F)
case("quantile axes keepdims", "quantile", [m, np.array([0.1, 0.9], np.float32)], np.quantile(m, [0.1, 0.9], axis=(0, 2), keepdims=True), F, kw={"axis": [0, 2], "keepdims": True})
case("percentile", "percentile", [y, np.array([10.0, 50.0, 95.0], np.float32)], np.percentile(y, [10, 50, 95], axis=0), F, kw={"axis": 0})
case("median", "median", [y], np.median(y), F)
case("median axis 1 keepdims", "median", [y], np.median(y, axis=1, keepdims=True), F, kw={"axis": 1, "keepdims": True})
case("median int -> float32", "median", [xi], np.median(xi, axis=0), F, kw={"axis": 0})
case("median empty", "median", [np.zeros((2, 0), np.float32)], np.median(np.zeros((2, 0)), axis=1), F, kw={"axis": 1})
case("median even length", "median", [v[:6].copy()], np.median(v[:6]), F)
yn = y.copy()
yn[0, 1] = np.nan
yn[2, :] = np.nan
yn[3, 4] = np.nan
case("median nan propagates", "median", [yn], np.median(yn, axis=1), F, kw={"axis": 1})
case("nanmedian", "nanmedian", [yn], np.nanmedian(yn, axis=1), F, kw={"axis": 1})
case("nanquantile", "nanquantile", [yn, np.array([0.25, 0.6], np.float32)], np.nanquantile(yn, [0.25, 0.6], axis=1), F, kw={"axis": 1})
case("nanpercentile all", "nanpercentile", [yn, 40.0], np.nanpercentile(yn, 40.0), F)
for fn in ["nansum", "nanmean", "nanmax", "nanmin", "nanprod", "nanstd", "nanvar"]:
    with np.errstate(all="ignore"):
        import warnings
        warnings.simplefilter("ignore")
        case(f"{fn} axis 1", fn, [yn, 1], getattr(np, fn)(yn, axis=1), F)
        case(f"{fn} all", fn, [yn], getattr(np, fn)(yn), F)
case("nanvar ddof keepdims", "nanvar", [yn], np.nanvar(yn, axis=0, ddof=1, keepdims=True), F, kw={"axis": 0, "ddof": 1, "keepdims": True})
case("nansum int", "nansum", [xi, 0], np.sum(xi, 0), "int32")
yn2 = yn.copy()
yn2[2, 0] = 5.0  # row 2 is no longer all-NaN for argmax
case("nanargmax", "nanargmax", [yn2, 1], np.nanargmax(yn2, axis=1), "int32")
case("nanargmin", "nanargmin", [yn2, 1], np.nanargmin(yn2, axis=1), "int32")
case("nanargmax flat", "nanargmax", [yn], np.nanargmax(yn), "int32")
case("nancumsum", "nancumsum", [yn, 1], np.nancumsum(yn, axis=1), F)
case("nancumprod flat", "nancumprod", [yn], np.nancumprod(yn), F, tol=1e-4)
case("average", "average", [y], np.average(y), F)
wts = rng.uniform(0.1, 1, 6).astype(np.float32)
case("average weights axis", "average", [y, 1, wts], np.average(y, 1, wts), F)
wfull = rng.uniform(0.1, 1, (5, 6)).astype(np.float32)
case("average returned", "average", [y], np.average(y, 0, wfull, returned=True), F, kw={"axis": 0, "weights": {"arr": enc(wfull)}, "returned": True})
w23 = rng.uniform(0.1, 1, (4, 2)).astype(np.float32)
case("average weights of two axes reordered", "average", [m], np.average(m, (2, 0), w23), F, kw={"axis": [2, 0], "weights": {"arr": enc(w23)}})
case("average int", "average", [xi, 0], np.average(xi, 0), F)
obs = f32(3, 8)
case("cov", "cov", [obs], np.cov(obs), F)
case("cov rowvar false bias", "cov", [obs.T.copy()], np.cov(obs.T, rowvar=False, bias=True), F, kw={"rowvar": False, "bias": True})
case("cov y", "cov", [obs[0].copy(), obs[1].copy()], np.cov(obs[0], obs[1]), F)
case("cov 1d scalar", "cov", [obs[0].copy()], np.cov(obs[0]), F)
fw = rng.integers(1, 4, 8).astype(np.int32)
aw = rng.uniform(0.2, 1.0, 8).astype(np.float32)
case("cov weights", "cov", [obs], np.cov(obs, fweights=fw, aweights=aw), F, kw={"fweights": {"arr": enc(fw)}, "aweights": {"arr": enc(aw)}})
case("cov fweights ddof 0", "cov", [obs], np.cov(obs, fweights=fw, ddof=0), F, kw={"fweights": {"arr": enc(fw)}, "ddof": 0})
case("cov fweights only", "cov", [obs], np.cov(obs, fweights=fw), F, kw={"fweights": {"arr": enc(fw)}})
case("corrcoef", "corrcoef", [obs], np.corrcoef(obs), F)
o2 = f32(8, 1)
case("corrcoef y rowvar false", "corrcoef", [obs.T.copy(), o2, False], np.corrcoef(obs.T, o2, rowvar=False), F)
case("ptp", "ptp", [y, 0], np.ptp(y, 0), F)
case("ptp int all", "ptp", [xi], np.ptp(xi), "int32")
case("countNonzero", "countNonzero", [xi], np.count_nonzero(xi), "int32")
case("countNonzero axis keepdims", "countNonzero", [xi], np.count_nonzero(xi, axis=1, keepdims=True), "int32", kw={"axis": 1, "keepdims": True})
case("cumulativeSum", "cumulativeSum", [v], np.cumulative_sum(v), F)
case("cumulativeSum axis includeInitial", "cumulativeSum", [x], np.cumulative_sum(x, axis=1, include_initial=True), F, kw={"axis": 1, "includeInitial": True})
case("cumulativeSum int", "cumulativeSum", [xi], np.cumulative_sum(xi, axis=0), "int32", kw={"axis": 0})
case("cumulativeSum bool", "cumulativeSum", [xi[0] > 0], np.cumulative_sum(xi[0] > 0), "int32")
case("cumulativeProd includeInitial", "cumulativeProd", [v], np.cumulative_prod(v, include_initial=True), F, kw={"includeInitial": True})

# ---- interpolation, polynomials, convolution
xp = np.sort(f32(6, lo=-3, hi=3))
fp = f32(6)
xq = np.concatenate([f32(9, lo=-4, hi=4), xp[:2], [xp[-1]]]).astype(np.float32)
case("interp", "interp", [xq, xp, fp], np.interp(xq, xp, fp), F)
case("interp left right", "interp", [xq, xp, fp, -9.0, 9.0], np.interp(xq, xp, fp, left=-9.0, right=9.0), F)
xp2 = np.array([0.0, 1.0, 1.0, 2.0], np.float32)
case("interp repeated xp", "interp", [np.array([0.5, 1.5, 1.0, 3.0], np.float32), xp2, np.array([0.0, 1.0, 3.0, 5.0], np.float32)],
     np.interp([0.5, 1.5, 1.0, 3.0], xp2, [0.0, 1.0, 3.0, 5.0]), F)
xper = f32(8, lo=-400, hi=400)
xpp = np.array([190, -190, 350, -350], np.float32)
fpp = np.array([5, 10, 3, 4], np.float32)
case("interp period", "interp", [xper, xpp, fpp], np.interp(xper, xpp, fpp, period=360), F, kw={"period": 360}, tol=1e-4)
case("interp 2d x", "interp", [x, xp, fp], np.interp(x, xp, fp), F)
p = np.array([3.0, -2.0, 0.5, 1.0], np.float32)
case("polyval", "polyval", [p, x], np.polyval(p, x), F)
case("polyval int", "polyval", [np.array([1, 2, 3], np.int32), xi], np.polyval([1, 2, 3], xi), "int32")
case("polyadd", "polyadd", [p, np.array([1.0, 2.0], np.float32)], np.polyadd(p, [1.0, 2.0]), F)
case("polysub", "polysub", [np.array([1.0, 2.0], np.float32), p], np.polysub([1.0, 2.0], p), F)
case("polymul", "polymul", [p, np.array([1.0, -2.0, 4.0], np.float32)], np.polymul(p, [1.0, -2.0, 4.0]), F)
case("polyder", "polyder", [p], np.polyder(p), F)
case("polyder 2", "polyder", [p, 2], np.polyder(p, 2), F)
case("polyint", "polyint", [p], np.polyint(p), F)
case("polyint 2 k", "polyint", [p, 2, np.array([1.0, -1.0], np.float32)], np.polyint(p, 2, [1.0, -1.0]), F)
sig, ker = f32(9), f32(4)
for mode in ["full", "same", "valid"]:
    case(f"convolve {mode}", "convolve", [sig, ker, mode], np.convolve(sig, ker, mode), F)
    case(f"convolve short first {mode}", "convolve", [ker, sig, mode], np.convolve(ker, sig, mode), F)
    case(f"correlate {mode}", "correlate", [sig, ker, mode], np.correlate(sig, ker, mode), F)
    case(f"correlate short first {mode}", "correlate", [ker, sig, mode], np.correlate(ker, sig, mode), F)
ph = np.cumsum(f32(12, lo=-2.5, hi=2.5)).astype(np.float32)
wrapped = (np.mod(ph + np.pi, 2 * np.pi) - np.pi).astype(np.float32)
case("unwrap", "unwrap", [wrapped], np.unwrap(wrapped), F, tol=1e-4)
case("unwrap period discont", "unwrap", [wrapped], np.unwrap(wrapped, discont=4.0, period=5.0), F, kw={"discont": 4.0, "period": 5.0}, tol=1e-4)
wi = np.array([0, 3, 6, 1, 4, 0, 7], np.int32)
case("unwrap int", "unwrap", [wi], np.unwrap(wi, period=8), "int32", kw={"period": 8})
case("vander", "vander", [v[:4].copy()], np.vander(v[:4]), F)
case("vander N increasing int", "vander", [np.array([1, 2, 3], np.int32), 4, True], np.vander([1, 2, 3], 4, True), "int32")

# ---- elementwise
e = np.array([-2.5, -1.0, -0.0, 0.0, 0.3, 1.0, 7.25, np.inf, -np.inf, np.nan, 1e-40, -3e-39], np.float32)
e2 = np.array([1.0, -1.0, -0.0, 0.0, -2.0, np.nan, 3.0, -1.0, 2.0, 1.0, -0.0, 5.0], np.float32)
case("copysign", "copysign", [e, e2[::-1].copy()], np.copysign(e, e2[::-1]), F)
case("signbit", "signbit", [e], np.signbit(e), "bool")
case("signbit int", "signbit", [xi], np.signbit(xi), "bool")
s = np.concatenate([f32(8, lo=-3, hi=3), [0.0, 1.0, -2.0, np.inf]]).astype(np.float32)
case("sinc", "sinc", [s], np.where(np.isinf(s), 0.0, np.sinc(s)), F)  # JAX defines sinc(+-inf) = 0 (numpy: nan)
case("fmax", "fmax", [e, e2], np.fmax(e, e2), F)
case("fmin", "fmin", [e, e2], np.fmin(e, e2), F)
case("heaviside", "heaviside", [e, e2], np.heaviside(e, e2), F)
la, lb = f32(10, lo=-50, hi=50), f32(10, lo=-50, hi=50)
case("logaddexp2", "logaddexp2", [la, lb], np.logaddexp2(la, lb), F)
case("logaddexp2 inf", "logaddexp2", [np.array([-np.inf, np.inf, -np.inf], np.float32), np.array([-np.inf, np.inf, 1.0], np.float32)],
     np.logaddexp2([-np.inf, np.inf, -np.inf], [-np.inf, np.inf, 1.0]), F)
ex = np.array([0, 1, -1, 3, 100, -100, 130, -149, -160, 200, 5, 0], np.int32)
lm = np.array([1.5, -0.75, 3.0, 1e-40, 1.0, 1.0, 0.6, 1.0, 1.0, 1.0, np.inf, 0.0], np.float32)
case("ldexp", "ldexp", [lm, ex], np.ldexp(lm, ex), F, tol=0)
fr = np.array([0.0, -0.0, 1.0, -3.5, 1e-40, 6e20, np.inf, np.nan, 0.75, -1e-45], np.float32)
case("frexp", "frexp", [fr], np.frexp(fr), (F, "int32"), tol=0)
fr64 = np.array([0.0, 1.0, -3.5, 1e-310, 6e200, 0.1], np.float64)
case("frexp float64", "frexp", [{"arr": enc(fr64, "float64")}], np.frexp(fr64), ("float64", "int32"), tol=0)
case("ldexp float64", "ldexp", [{"arr": enc(fr64, "float64")}, np.array([3, -2, 1000, 30, -700, -1074], np.int32)],
     np.ldexp(fr64, [3, -2, 1000, 30, -700, -1074]), "float64", tol=0)
g1 = rng.integers(-60, 60, 12).astype(np.int32)
g2 = rng.integers(-60, 60, 12).astype(np.int32)
g1[0], g2[0] = 0, 0
g1[1], g2[1] = 0, 12
case("gcd", "gcd", [g1, g2], np.gcd(g1, g2), "int32")
case("lcm", "lcm", [g1, g2], np.lcm(g1, g2), "int32")
case("gcd big", "gcd", [np.array([2 ** 30, 1836311903, 1134903170], np.int32), np.array([3 * 2 ** 20, 1134903170, 701408733], np.int32)],
     np.gcd([2 ** 30, 1836311903, 1134903170], [3 * 2 ** 20, 1134903170, 701408733]), "int32")
iz = np.array([0.0, 0.5, -1.0, 3.0, 10.0, 14.9, 15.1, 40.0, -60.0], np.float32)
case("i0", "i0", [iz], np.i0(iz.astype(np.float64)), F, tol=1e-5)
case("floatPower", "floatPower", [np.array([2, 3, 4], np.int32), np.array([-1, 2, 0], np.int32)], np.float_power([2, 3, 4], [-1, 2, 0]), F)
na = np.array([1.0, 1.0, 0.0, 0.0, -1.0, 3e38, np.inf, 1e-45, -2.0, 5.0, np.nan], np.float32)
nb = np.array([2.0, 0.0, 1.0, -1.0, -2.0, np.inf, 0.0, 0.0, -2.0, 4.0, 1.0], np.float32)
case("nextafter", "nextafter", [na, nb], np.nextafter(na, nb), F, tol=0)
n64 = np.array([1.0, 0.0, -1.0, 2.0 ** -1022], np.float64)
case("nextafter float64", "nextafter", [{"arr": enc(n64, "float64")}, {"arr": enc(np.array([2.0, -1.0, -2.0, 0.0]), "float64")}],
     np.nextafter(n64, [2.0, -1.0, -2.0, 0.0]), "float64", tol=0)
sp = np.array([1.0, -1.0, 0.0, 1e-40, 1024.0, -3e38], np.float32)
case("spacing", "spacing", [sp], np.spacing(sp), F, tol=0)
case("fabs", "fabs", [xi], np.fabs(xi), F)
case("modf", "modf", [e], np.modf(e), (F, F))
case("nanToNum", "nanToNum", [e], np.nan_to_num(e), F)
case("nanToNum values", "nanToNum", [e], np.nan_to_num(e, nan=-1.0, posinf=9.0, neginf=-9.0), F, kw={"nan": -1.0, "posinf": 9.0, "neginf": -9.0})
case("angle", "angle", [e], np.angle(e), F)
case("angle deg int", "angle", [xi, True], np.angle(xi, deg=True), F)
case("isposinf", "isposinf", [e], np.isposinf(e), "bool")
case("isneginf", "isneginf", [e], np.isneginf(e), "bool")

# ---- kron, window functions, poly/polydiv
ka, kb = f32(2, 3), f32(3, 2)
case("kron", "kron", [ka, kb], np.kron(ka, kb), F)
case("kron ranks", "kron", [v[:3].copy(), ka], np.kron(v[:3], ka), F)
case("kron int", "kron", [xi[:2, :2].copy(), xi[2:, 3:].copy()], np.kron(xi[:2, :2], xi[2:, 3:]), "int32")
for fn in ["bartlett", "blackman", "hamming", "hanning"]:
    for M in [0, 1, 6, 7]:
        case(f"{fn} {M}", fn, [M], getattr(np, fn)(M), F, tol=1e-6)
case("kaiser 7", "kaiser", [7, 5.0], np.kaiser(7, 5.0), F)
case("kaiser 1", "kaiser", [1, 5.0], np.kaiser(1, 5.0), F)
rts = np.array([1.0, -2.0, 0.5], np.float32)
case("poly", "poly", [rts], np.poly(rts), F)
case("poly empty", "poly", [np.zeros(0, np.float32)], np.poly(np.zeros(0)), F)
u5 = np.array([2.0, -3.0, 1.0, 4.0, 0.5], np.float32)
dv = np.array([1.5, 0.5, -1.0], np.float32)
qd, rd = np.polydiv(u5, dv)
case("polydiv", "polydiv", [u5, dv], (qd, np.concatenate([np.zeros(len(u5) - len(rd)), rd])), (F, F), tol=1e-5)

# ---- counting and histograms (JAX's histogram counts are floats)
bc = rng.integers(0, 6, 15).astype(np.int32)
bw = f32(15)
case("bincount", "bincount", [bc], np.bincount(bc), "int32")
case("bincount weights minlength", "bincount", [bc, bw, 9], np.bincount(bc, bw, 9), F)
case("bincount length drops", "bincount", [bc], np.bincount(bc)[:4], "int32", kw={"length": 4})
dx = np.array([-1.0, 0.0, 0.5, 1.0, 2.5, 3.0, 9.0, np.nan], np.float32)
db = np.array([0.0, 1.0, 2.5, 3.0], np.float32)
case("digitize", "digitize", [dx, db], np.digitize(dx, db), "int32")
case("digitize right", "digitize", [dx, db, True], np.digitize(dx, db, right=True), "int32")
case("digitize decreasing", "digitize", [dx, db[::-1].copy()], np.digitize(dx, db[::-1]), "int32")
case("digitize decreasing right", "digitize", [dx, db[::-1].copy()], np.digitize(dx, db[::-1], right=True), "int32", kw={"right": True})
ha = f32(50, lo=-3, hi=3)
hc, he = np.histogram(ha)
case("histogram", "histogram", [ha], (hc, he), F)
hc, he = np.histogram(ha, 4, (-2, 2.5), weights=np.abs(ha))
case("histogram range weights", "histogram", [ha, 4, [-2, 2.5], np.abs(ha)], (hc, he), F)
hc, he = np.histogram(ha, db, density=True)
case("histogram edges density", "histogram", [ha], (hc, he), F, kw={"bins": {"arr": enc(db)}, "density": True})
case("histogramBinEdges", "histogramBinEdges", [ha, 7], np.histogram_bin_edges(ha, 7), F)
case("histogramBinEdges empty range", "histogramBinEdges", [np.ones(3, np.float32), 2], np.histogram_bin_edges(np.ones(3), 2), F)

out = {"cases": cases}
path = os.path.join(os.path.dirname(__file__), "extras_math.json")
with open(path, "w") as fh:
    json.dump(out, fh, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {path}")
