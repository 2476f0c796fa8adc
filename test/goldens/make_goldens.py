#!/usr/bin/env python3
"""Golden values for tinyjax's jnp functions, computed with numpy but with JAX's semantics.

Run:  python3 test/goldens/make_goldens.py      (python3 + numpy 2.x; deterministic)

Writes test/goldens/{unary,binary,reductions,shape,linalg,misc}.json, each {"cases": [case, ...]}:

  {"name": unique readable name,
   "fn":   name of a function in tinyjax's `jnp` namespace (numpy's name in camelCase),
   "args": [ARG, ...]          positional arguments,
   "opts": {...}               (optional) passed as one extra last argument,
   "out":  ARRAY | [ARRAY...]  expected result (a list for functions returning several arrays),
   "tol":  "exact" | "f32" | "matmul"}

ARG is an encoded array {"array": true, "dtype", "shape", "b64": little-endian raw bytes, bool as
one byte each} or a plain JSON value (number, shape list, axes list, einsum subscripts, null, or a
list of encoded arrays for concatenate/stack).

Expected outputs carry JAX's result dtype (x32 mode, plus float64 where an input is float64), not
numpy's: int32+float32 -> float32, float functions of ints -> float32, sum of int32/bool -> int32,
int32 op uint32 -> int32 (the uint32 operand is reinterpreted as int32 first, as x32 JAX does),
argmax -> int32, comparisons -> bool. Float results are computed in float64 from the float32 inputs
(after JAX's promotion) and rounded to the result dtype once at the end.

Where numpy and JAX disagree, the golden follows JAX (see the notes at each place), e.g.
sign(-0.0) is -0.0 (XLA) rather than numpy's +0.0, reciprocal of int32 is float32, floor/ceil/round
of int32 return the int32 input unchanged.
"""

import base64
import json
import math
import os
import warnings

import numpy as np

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
SEED = 20240611

warnings.simplefilter("ignore")  # numpy warns on nan/inf/overflow/empty means; all intended here
np.seterr(all="ignore")

F32, F64, I32, U32, BOOL = np.float32, np.float64, np.int32, np.uint32, np.bool_
DT = {"float32": F32, "float64": F64, "int32": I32, "uint32": U32, "bool": BOOL}
NAME = {np.dtype(v): k for k, v in DT.items()}
SHORT = {"float32": "f32", "float64": "f64", "int32": "i32", "uint32": "u32", "bool": "bool"}

NAN, INF = float("nan"), float("inf")
I32_MIN, I32_MAX = -(2**31), 2**31 - 1

# JAX's shape set.
SHAPES = [(), (4,), (3, 4), (3, 1), (1, 4), (2, 1, 4), (2, 3, 4), (0,), (0, 4), (3, 0)]


# --------------------------------------------------------------------------------------------
# encoding / case bookkeeping

def dname(a):
    return NAME[np.asarray(a).dtype]


def enc(a):
    a = np.asarray(a)
    name = NAME[a.dtype]
    if name == "bool":
        raw = np.ascontiguousarray(a).astype(np.uint8).tobytes()
    else:
        raw = np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes()
    return {"array": True, "dtype": name, "shape": [int(d) for d in a.shape],
            "b64": base64.b64encode(raw).decode("ascii")}


def enc_arg(v):
    assert not isinstance(v, np.generic), f"numpy scalar {v!r} would be written as a plain number"
    if isinstance(v, np.ndarray):
        return enc(v)
    if isinstance(v, list) and v and all(isinstance(x, np.ndarray) for x in v):
        return [enc(x) for x in v]
    return v


def shp(s):
    return "(" + ",".join(str(d) for d in s) + ("," if len(s) == 1 else "") + ")"


class Family:
    def __init__(self, filename):
        self.filename = filename
        self.cases = []
        self.names = set()

    def add(self, name, fn, args, out, tol, opts=None):
        assert name not in self.names, f"duplicate case name: {name}"
        self.names.add(name)
        case = {"name": name, "fn": fn, "args": [enc_arg(a) for a in args]}
        if opts is not None:
            case["opts"] = opts
        if isinstance(out, (list, tuple)):
            case["out"] = [enc(np.asarray(o)) for o in out]
        else:
            case["out"] = enc(np.asarray(out))
        case["tol"] = tol
        self.cases.append(case)

    def write(self):
        path = os.path.join(OUT_DIR, self.filename)
        with open(path, "w") as f:
            json.dump({"cases": self.cases}, f, separators=(",", ":"))
            f.write("\n")
        return path, len(self.cases), os.path.getsize(path)


# --------------------------------------------------------------------------------------------
# dtype rules (JAX, x32 lattice over our dtypes; float64 where present)

RANK = {"bool": 0, "uint32": 1, "int32": 1, "float32": 2, "float64": 3}


def promote(a, b):
    if a == b:
        return a
    if RANK[a] == RANK[b]:
        return "int32"  # int32 with uint32: int64 in JAX, truncated to int32 in x32 mode
    return a if RANK[a] > RANK[b] else b


def is_float(d):
    return d in ("float32", "float64")


def inexact(d):
    return d if is_float(d) else "float32"


def cast(a, d):
    """JAX's convert_element_type: ints wrap, float->f32 rounds, nonzero->True."""
    a = np.asarray(a)
    if d == "bool":
        return a != 0
    return a.astype(DT[d])


def as64(a):
    return np.asarray(a).astype(F64)


def rnd(x, d):
    """Round a float64 result to dtype d once."""
    return np.asarray(np.asarray(x, dtype=F64).astype(DT[d]))


# --------------------------------------------------------------------------------------------
# value generators

def f32(x):
    return np.asarray(x, dtype=F32)


SPECIALS = f32([NAN, INF, -INF, 0.0, -0.0, 1e-40, -1e-40, 1e-45, 1e30, -3e38, 3.4e38, 1.0,
                -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.1, -7.25, 100.0, -100.0, 1e-7, 3.0])
assert SPECIALS.size == 24
# a smaller set for binary "specials grids" (12 x 12 broadcast)
GRID = f32([NAN, INF, -INF, 0.0, -0.0, 1e-40, 1e30, -3e38, 1.0, -1.0, 2.5, -0.5])


def fill(rng, shape, draw):
    n = int(np.prod(shape)) if len(shape) else 1
    return np.asarray(draw(rng, n)).reshape(shape)


def mixed_f32(rng, shape, special_frac=0.15):
    """Ordinary values (half-integers to make ties/equalities likely, and normals) with some
    NaN/inf/-0/subnormal/huge values sprinkled in."""
    def draw(rng, n):
        v = np.where(rng.random(n) < 0.5, rng.integers(-8, 9, n) / 2.0, rng.normal(0, 5, n))
        sp = rng.random(n) < special_frac
        v = np.where(sp, rng.choice(GRID, n), v)
        return v.astype(F32)
    return fill(rng, shape, draw)


def finite_f32(rng, shape, lo=-10.0, hi=10.0):
    return fill(rng, shape, lambda r, n: r.uniform(lo, hi, n).astype(F32))


def rand_i32(rng, shape, lo=-1000, hi=1000):
    return fill(rng, shape, lambda r, n: r.integers(lo, hi + 1, n).astype(I32))


def wide_i32(rng, shape):
    """int32s including the extremes, to exercise wrap-around."""
    def draw(r, n):
        v = r.integers(-1000, 1001, n)
        big = r.random(n) < 0.3
        v = np.where(big, r.choice([I32_MIN, I32_MAX, -2_000_000_000, 2_000_000_000, 123456789,
                                    -1, 0, 65536], n), v)
        return v.astype(I32)
    return fill(rng, shape, draw)


def rand_u32(rng, shape):
    def draw(r, n):
        v = r.integers(0, 2**32, n, dtype=np.int64)
        small = r.random(n) < 0.4
        v = np.where(small, r.integers(0, 20, n), v)
        return v.astype(U32)
    return fill(rng, shape, draw)


def rand_bool(rng, shape):
    return fill(rng, shape, lambda r, n: r.random(n) < 0.5)


def gen(rng, d, shape):
    if d == "float32":
        return mixed_f32(rng, shape)
    if d == "float64":
        return np.asarray(mixed_f32(rng, shape).astype(F64) + fill(rng, shape, lambda r, n: r.normal(0, 1e-9, n)))
    if d == "int32":
        return wide_i32(rng, shape)
    if d == "uint32":
        return rand_u32(rng, shape)
    return rand_bool(rng, shape)


# ============================================================================================
# unary

def sign_jax(x):
    # XLA's sign keeps the zero's sign: sign(-0.0) = -0.0 (numpy 2.x returns +0.0); NaN -> NaN.
    return np.where(x == 0, x, np.sign(x))


def vec(f):
    return np.vectorize(lambda t: f(float(t)), otypes=[F64])


def _erf(x):
    x = np.asarray(x, F64)
    return vec(math.erf)(x) if x.size else x.copy()


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# name -> (f64 function, tol, domain (lo, hi, kind) for ordinary values, int32 domain or None)
# "kind": "u" uniform, "logu" log-uniform positive
FLOAT_UNARY = {
    "sqrt": (np.sqrt, "f32", (1e-3, 1e3, "logu"), (0, 1000)),
    "rsqrt": (lambda x: 1.0 / np.sqrt(x), "f32", (1e-3, 1e3, "logu"), None),  # lax.rsqrt: no ints
    "exp": (np.exp, "f32", (-20, 20, "u"), (-20, 20)),
    "exp2": (np.exp2, "f32", (-60, 60, "u"), (-30, 30)),
    "expm1": (np.expm1, "f32", (-5, 5, "u"), (-10, 10)),
    "log": (np.log, "f32", (1e-3, 1e3, "logu"), (0, 1000)),
    "log2": (np.log2, "f32", (1e-3, 1e3, "logu"), (0, 1000)),
    "log1p": (np.log1p, "f32", (-0.9, 20, "u"), (0, 100)),
    "sin": (np.sin, "f32", (-10, 10, "u"), (-100, 100)),
    "cos": (np.cos, "f32", (-10, 10, "u"), (-100, 100)),
    "tan": (np.tan, "f32", (-1.4, 1.4, "u"), (-1, 1)),
    "arcsin": (np.arcsin, "f32", (-0.999, 0.999, "u"), (-1, 1)),
    "arccos": (np.arccos, "f32", (-0.999, 0.999, "u"), (-1, 1)),
    "arctan": (np.arctan, "f32", (-10, 10, "u"), (-100, 100)),
    "sinh": (np.sinh, "f32", (-20, 20, "u"), (-20, 20)),
    "cosh": (np.cosh, "f32", (-20, 20, "u"), (-20, 20)),
    "tanh": (np.tanh, "f32", (-10, 10, "u"), (-20, 20)),
    "arcsinh": (np.arcsinh, "f32", (-100, 100, "u"), (-100, 100)),
    "arctanh": (np.arctanh, "f32", (-0.999, 0.999, "u"), (-1, 1)),
    "erf": (_erf, "f32", (-4, 4, "u"), None),          # jax.scipy.special.erf / lax.erf
    "sigmoid": (_sigmoid, "f32", (-20, 20, "u"), None),  # jax.nn.sigmoid (lax.logistic): floats
    "reciprocal": (lambda x: 1.0 / x, "f32", (-10, 10, "u"), (-10, 10)),  # ints -> float32 in JAX
    "square": (np.square, "f32", (-100, 100, "u"), None),  # int square is in EXACT_UNARY
}
TRIG_PERIODIC = ("sin", "cos", "tan")
# small-argument accuracy checks (expm1/log1p near 0, sinh/tanh/arcsinh/arctanh/erf near 0)
TINY_ARGS = ("expm1", "log1p", "sinh", "tanh", "arcsinh", "arctanh", "arctan", "arcsin", "sin",
             "tan", "erf")

# exact ops: f32 impl, int32 impl (None: not for ints)
EXACT_UNARY = {
    "negative": (np.negative, np.negative),
    "abs": (np.abs, np.abs),
    "sign": (sign_jax, np.sign),
    "floor": (np.floor, lambda x: x),   # jnp.floor of an int returns the input unchanged
    "ceil": (np.ceil, lambda x: x),
    "round": (np.round, lambda x: x),   # half to even; ints unchanged
    "square": (None, np.square),        # int32 square wraps
}
PRED_UNARY = {
    "isnan": np.isnan,
    "isinf": np.isinf,
    "isfinite": np.isfinite,
    "logicalNot": lambda x: np.logical_not(x != 0),
}


def domain_values(rng, shape, dom):
    lo, hi, kind = dom
    if kind == "logu":
        return fill(rng, shape, lambda r, n: np.exp(r.uniform(np.log(lo), np.log(hi), n)).astype(F32))
    return fill(rng, shape, lambda r, n: r.uniform(lo, hi, n).astype(F32))


def float_unary_out(f, x):
    d = inexact(dname(x))
    xin = cast(x, d)
    return rnd(f(as64(xin)), d)


def make_unary():
    fam = Family("unary.json")
    rng = np.random.default_rng(SEED + 1)
    special = SPECIALS.reshape(2, 3, 4)
    no_huge = f32([v for v in SPECIALS if not (np.isfinite(v) and abs(v) >= 1e29)])
    dom_shapes = [(), (4,), (3, 4), (2, 1, 4)]

    for op, (f, tol, dom, idom) in FLOAT_UNARY.items():
        if op in TRIG_PERIODIC:
            # Huge arguments need exact range reduction; they get a case of their own.
            x = no_huge.reshape(-1)
            fam.add(f"{op} f32 specials", op, [x], float_unary_out(f, x), tol)
            xh = f32([1e30, -3e38, 3.4e38, 1e10, -12345.678, 65536.0, 1e6, -1e7])
            fam.add(f"{op} f32 huge args", op, [xh], float_unary_out(f, xh), tol)
        else:
            fam.add(f"{op} f32 specials {shp(special.shape)}", op, [special],
                    float_unary_out(f, special), tol)
        for s in dom_shapes:
            x = domain_values(rng, s, dom)
            fam.add(f"{op} f32 domain {shp(s)}", op, [x], float_unary_out(f, x), tol)
        if op in TINY_ARGS:
            x = f32([1e-7, -1e-7, 3e-9, -2.5e-12, 1e-20, 1e-30, 1e-38, -1e-38])
            fam.add(f"{op} f32 tiny args", op, [x], float_unary_out(f, x), tol)
        for s in [(0,), (0, 4), (3, 0)]:
            x = np.zeros(s, F32)
            fam.add(f"{op} f32 empty {shp(s)}", op, [x], float_unary_out(f, x), tol)
        if idom is not None:
            x = rand_i32(rng, (3, 4), *idom)
            fam.add(f"{op} i32 {shp(x.shape)} -> f32", op, [x], float_unary_out(f, x), tol)
        if op in ("sqrt", "exp", "log", "sin", "tanh", "erf", "expm1"):
            x = domain_values(rng, (3, 4), dom).astype(F64) * (1 + 1e-9)
            fam.add(f"{op} f64 domain (3,4)", op, [x], float_unary_out(f, x), tol)

    # inverse trig and friends: every value strictly inside the domain, incl. the ends
    for op, xs in [("arcsin", [-1, -0.999, -0.5, -0.0, 0.0, 1e-40, 0.25, 0.7071, 0.999, 1]),
                   ("arccos", [-1, -0.999, -0.5, -0.0, 0.0, 1e-40, 0.25, 0.7071, 0.999, 1]),
                   ("arctanh", [-0.999, -0.5, -0.0, 0.0, 1e-40, 0.25, 0.7071, 0.9, 0.99, 0.999]),
                   ("arctan", [-1e30, -1e3, -1, -0.0, 0.0, 1e-40, 0.5, 1, 1e3, 1e30]),
                   ("arcsinh", [-3e38, -1e30, -1e3, -1, -0.0, 0.0, 1e-40, 1, 1e3, 1e30])]:
        x = f32(xs).reshape(2, 5)
        fam.add(f"{op} f32 in-domain edges", op, [x], float_unary_out(FLOAT_UNARY[op][0], x), "f32")

    for op, (ff, fi) in EXACT_UNARY.items():
        if ff is not None:
            fam.add(f"{op} f32 specials {shp(special.shape)}", op, [special],
                    np.asarray(ff(special)).astype(F32), "exact")
            for s in [(), (4,), (3, 4), (2, 3, 4), (0, 4)]:
                # half-integers and nearby values exercise rounding directions
                x = fill(rng, s, lambda r, n: (r.integers(-20, 21, n) / 2.0 +
                                                r.choice([0, 0, 0.01, -0.01, 0.49], n)).astype(F32))
                fam.add(f"{op} f32 {shp(s)}", op, [x], np.asarray(ff(x)).astype(F32), "exact")
            x = f32([8388607.5, 8388608.0, -8388609.0, 4194304.5, -4194304.5, 0.49999997, -0.49999997,
                     1.5, 2.5, 3.5, -1.5, -2.5])
            fam.add(f"{op} f32 near 2^23 and 0.5", op, [x], np.asarray(ff(x)).astype(F32), "exact")
            xd = (finite_f32(rng, (3, 4)).astype(F64) + 0.5).round(1) + 1e-12
            fam.add(f"{op} f64 (3,4)", op, [xd], np.asarray(ff(xd)).astype(F64), "exact")
        for s in [(), (3, 4), (2, 1, 4), (0,)]:
            x = wide_i32(rng, s) if op not in ("square",) else rand_i32(rng, s, -46340, 46340)
            fam.add(f"{op} i32 {shp(s)}", op, [x], np.asarray(fi(x)).astype(I32), "exact")
        if op in ("negative", "abs", "sign", "square"):
            x = np.asarray([I32_MIN, I32_MAX, -1, 0, 1, 65536, 46341, -46341], I32)
            fam.add(f"{op} i32 extremes (wrap)", op, [x], np.asarray(fi(x)).astype(I32), "exact")

    for op, f in PRED_UNARY.items():
        fam.add(f"{op} f32 specials {shp(special.shape)}", op, [special], np.asarray(f(special)), "exact")
        for s in [(), (4,), (3, 1), (0, 4)]:
            x = mixed_f32(rng, s, special_frac=0.5)
            fam.add(f"{op} f32 {shp(s)}", op, [x], np.asarray(f(x)), "exact")
        x = wide_i32(rng, (3, 4))
        x[0, 0] = 0
        fam.add(f"{op} i32 (3,4)", op, [x], np.asarray(f(x)), "exact")
        if op == "logicalNot":
            b = rand_bool(rng, (2, 3, 4))
            fam.add(f"{op} bool (2,3,4)", op, [b], np.logical_not(b), "exact")
            b = rand_bool(rng, ())
            fam.add(f"{op} bool ()", op, [b], np.asarray(np.logical_not(b)), "exact")
            u = rand_u32(rng, (4,))
            u[0] = 0
            fam.add(f"{op} u32 (4,)", op, [u], np.asarray(f(u)), "exact")
    return fam


# ============================================================================================
# binary

def arith(np_op, bool_op=None, int_safe=None):
    def f(a, b):
        d = promote(dname(a), dname(b))
        x, y = cast(a, d), cast(b, d)
        if d == "bool":
            return np.asarray(bool_op(x, y))
        if is_float(d):
            return rnd(np_op(as64(x), as64(y)), d)
        return np.asarray(np_op(x, y)).astype(DT[d])
    return f


def true_div(np_op):
    def f(a, b):
        d = inexact(promote(dname(a), dname(b)))
        return rnd(np_op(as64(cast(a, d)), as64(cast(b, d))), d)
    return f


def compare(np_op):
    def f(a, b):
        d = promote(dname(a), dname(b))
        x, y = cast(a, d), cast(b, d)
        if is_float(d):
            x, y = as64(x), as64(y)
        return np.asarray(np_op(x, y))
    return f


def logical(np_op):
    def f(a, b):
        return np.asarray(np_op(np.asarray(a) != 0, np.asarray(b) != 0))
    return f


def bitwise(np_op):
    def f(a, b):
        d = promote(dname(a), dname(b))
        return np.asarray(np_op(cast(a, d), cast(b, d))).astype(DT[d])
    return f


BINARY = {
    "add": (arith(np.add, np.logical_or), "exact"),
    "subtract": (arith(np.subtract), "exact"),
    "multiply": (arith(np.multiply, np.logical_and), "exact"),
    "divide": (true_div(np.divide), "f32"),
    # float floor_divide/mod: JAX and numpy may differ in the sign of a zero result, hence f32 tol
    "floorDivide": (arith(np.floor_divide), "f32"),
    "mod": (arith(np.remainder), "f32"),
    "power": (arith(np.power), "f32"),
    # NaN propagates; max(-0, +0) is unspecified in XLA, hence f32 tol for floats
    "maximum": (arith(np.maximum, np.logical_or), "f32"),
    "minimum": (arith(np.minimum, np.logical_and), "f32"),
    "arctan2": (true_div(np.arctan2), "f32"),
    "equal": (compare(np.equal), "exact"),
    "notEqual": (compare(np.not_equal), "exact"),
    "less": (compare(np.less), "exact"),
    "lessEqual": (compare(np.less_equal), "exact"),
    "greater": (compare(np.greater), "exact"),
    "greaterEqual": (compare(np.greater_equal), "exact"),
    "logicalAnd": (logical(np.logical_and), "exact"),
    "logicalOr": (logical(np.logical_or), "exact"),
    "logicalXor": (logical(np.logical_xor), "exact"),
    "bitwiseAnd": (bitwise(np.bitwise_and), "exact"),
    "bitwiseOr": (bitwise(np.bitwise_or), "exact"),
    "bitwiseXor": (bitwise(np.bitwise_xor), "exact"),
}


def tol_for(op, out):
    tol = BINARY[op][1]
    if dname(out) not in ("float32", "float64"):
        return "exact"  # ints and bools always compare exactly
    return tol


def broadcast_pairs():
    pairs = []
    for a in SHAPES:
        for b in SHAPES:
            try:
                np.broadcast_shapes(a, b)
            except ValueError:
                continue
            pairs.append((a, b))
    return pairs


REP_PAIRS = [((3, 4), (3, 4)), ((3, 1), (1, 4)), ((), (2, 3, 4)), ((2, 1, 4), (3, 4)),
             ((4,), (3, 1)), ((2, 3, 4), (1, 4)), ((0, 4), (1, 4)), ((3, 0), (3, 1)), ((), ())]


def operands(rng, op, da, db, sa, sb):
    """Inputs suited to op: avoid zero int divisors, INT_MIN // -1, negative int exponents."""
    a, b = gen(rng, da, sa), gen(rng, db, sb)
    d = promote(da, db)
    if op in ("floorDivide", "mod") and not is_float(d):
        if d == "uint32" or (da == "uint32" and db == "uint32"):
            b = fill(rng, sb, lambda r, n: r.integers(1, 1000, n)).astype(DT[db])
        else:
            a = fill(rng, sa, lambda r, n: r.integers(-1000, 1001, n)).astype(DT[da])
            b = fill(rng, sb, lambda r, n: r.choice([-7, -3, -2, -1, 1, 2, 3, 5, 13, 100], n)).astype(DT[db])
    if op == "power":
        if not is_float(d):
            a = fill(rng, sa, lambda r, n: r.integers(-5, 6, n)).astype(DT[da])
            b = fill(rng, sb, lambda r, n: r.integers(0, 6, n)).astype(DT[db])
        elif not is_float(db):  # float base, int exponent: negative exponents are fine
            a = fill(rng, sa, lambda r, n: r.uniform(-3, 3, n)).astype(DT[da])
            b = fill(rng, sb, lambda r, n: r.integers(-3, 4, n)).astype(DT[db])
        else:
            # positive bases with any exponent (negative bases: see the explicit cases below)
            a = fill(rng, sa, lambda r, n: r.uniform(0.1, 4, n)).astype(DT[da])
            b = fill(rng, sb, lambda r, n: r.uniform(-3, 3, n)).astype(DT[db])
    if op == "divide" and not is_float(db):
        b = np.where(b == 0, 1, b).astype(DT[db])  # no zero int divisors
    return a, b


def make_binary():
    fam = Family("binary.json")
    rng = np.random.default_rng(SEED + 2)
    pairs = broadcast_pairs()

    def case(op, a, b, label=""):
        f, _ = BINARY[op]
        out = f(a, b)
        name = f"{op} {SHORT[dname(a)]}{shp(a.shape)} {SHORT[dname(b)]}{shp(b.shape)}{label}"
        fam.add(name, op, [a, b], out, tol_for(op, out))

    # add: every broadcast-compatible pair of the shape set, for every dtype combination
    add_dtypes = [("float32", "float32"), ("int32", "int32"), ("uint32", "uint32"),
                  ("float32", "int32"), ("int32", "float32"), ("int32", "uint32"),
                  ("bool", "int32"), ("float32", "bool"), ("float64", "float64")]
    for da, db in add_dtypes:
        for sa, sb in pairs:
            case("add", *operands(rng, "add", da, db, sa, sb))
    for sa, sb in REP_PAIRS[:4]:
        case("add", rand_bool(rng, sa), rand_bool(rng, sb))           # bool + bool -> bool (or)
        case("add", gen(rng, "float32", sa), gen(rng, "float64", sb))  # -> float64

    # the rest: a representative subset of pairs per dtype combination
    fl = [("float32", "float32"), ("float32", "int32"), ("int32", "float32")]
    it = [("int32", "int32"), ("uint32", "uint32"), ("int32", "uint32")]
    op_dtypes = {
        "subtract": fl + it + [("float64", "float64")],
        "multiply": fl + it + [("bool", "bool"), ("float64", "float64")],
        "divide": fl + [("int32", "int32"), ("float64", "float64")],
        "floorDivide": fl + it,
        "mod": fl + it,
        "power": [("float32", "float32"), ("float32", "int32"), ("int32", "int32")],
        "maximum": fl + it + [("bool", "bool")],
        "minimum": fl + it + [("bool", "bool")],
        "arctan2": [("float32", "float32"), ("int32", "int32"), ("float32", "int32")],
        "logicalAnd": [("bool", "bool"), ("float32", "float32"), ("int32", "bool")],
        "logicalOr": [("bool", "bool"), ("float32", "float32"), ("int32", "bool")],
        "logicalXor": [("bool", "bool"), ("float32", "float32"), ("int32", "bool")],
        "bitwiseAnd": [("int32", "int32"), ("uint32", "uint32"), ("bool", "bool"), ("int32", "uint32")],
        "bitwiseOr": [("int32", "int32"), ("uint32", "uint32"), ("bool", "bool"), ("int32", "uint32")],
        "bitwiseXor": [("int32", "int32"), ("uint32", "uint32"), ("bool", "bool"), ("int32", "uint32")],
    }
    for op in ("equal", "notEqual", "less", "lessEqual", "greater", "greaterEqual"):
        op_dtypes[op] = fl + it + [("bool", "bool")]
    for op, dts in op_dtypes.items():
        for da, db in dts:
            for sa, sb in REP_PAIRS:
                case(op, *operands(rng, op, da, db, sa, sb))

    # specials grids: every pair of NaN/inf/-0/subnormal/huge/ordinary values, (12,1) op (1,12)
    for op in BINARY:
        if op.startswith("bitwise"):
            continue
        a, b = GRID.reshape(-1, 1), GRID.reshape(1, -1)
        case(op, a, b, " specials grid")

    # int32 wrap-around and Python-style signs
    a = np.asarray([I32_MAX, I32_MIN, I32_MAX, 2_000_000_000, -2_000_000_000, 65536], I32)
    b = np.asarray([1, -1, I32_MAX, 2_000_000_000, 2_000_000_000, 65536], I32)
    for op in ("add", "subtract", "multiply"):
        case(op, a, b, " wrap")
    a = np.asarray([7, -7, 7, -7, 0, 1, -1, 6, -6, 1000, -1000, 5], I32)
    b = np.asarray([3, 3, -3, -3, 5, -5, 5, 3, 3, -7, -7, 1], I32)
    for op in ("floorDivide", "mod"):
        case(op, a, b, " signs")
        case(op, a.astype(F32), b.astype(F32), " signs")
    a = f32([7.5, -7.5, 7.5, -7.5, 1e-3, -1e-3, 5.0, -0.0, 1e30, 3.0, -1.0, 1.0])
    b = f32([2.0, 2.0, -2.0, -2.0, 1.0, 1.0, 0.5, 3.0, 3.0, INF, INF, -INF])
    for op in ("floorDivide", "mod"):
        case(op, a, b, " float signs")
    a = np.asarray([4000000000, 1, 0, 4294967295, 2147483648, 7], U32)
    b = np.asarray([1000000000, 2, 4294967295, 1, 2147483648, 3], U32)
    for op in ("add", "subtract", "multiply", "floorDivide", "mod", "maximum", "less"):
        case(op, a, b, " u32 extremes")
    # int32 with uint32: x32 JAX reinterprets the uint32 bits as int32 before the op
    a = np.asarray([-1, 5, -5, 100], I32)
    b = np.asarray([4294967295, 2147483648, 3, 4000000000], U32)
    for op in ("add", "multiply", "less", "equal", "maximum", "bitwiseAnd", "bitwiseXor"):
        case(op, a, b, " u32 high bit")
    # power: ints and float/int corner cases
    a = np.asarray([0, 0, 1, -1, -1, 2, -2, 3, 5, -5, 10, 2], I32)
    b = np.asarray([0, 3, 5, 4, 5, 10, 9, 5, 0, 3, 9, 30], I32)
    case("power", a, b, " ints")
    a = f32([0.0, -0.0, 0.0, -0.0, 2.0, -2.0, 2.0, -2.0, NAN, 1.0, 0.5, -8.0])
    b = np.asarray([-1, -1, -2, -3, -2, -3, 31, 3, 0, 7, -3, 3], I32)
    case("power", a, b, " float^int corners")
    a = f32([-2.0, -0.5, -3.0, -1.5, -1.0, -4.0, -0.25, -2.5])
    b = f32([2.0, 3.0, -1.0, -2.0, 7.0, 0.5, 1.5, 0.0])
    case("power", a, b, " negative bases")
    return fam


# ============================================================================================
# where / clip (misc)

def make_misc():
    fam = Family("misc.json")
    rng = np.random.default_rng(SEED + 6)

    def where_case(c, x, y, label=""):
        d = promote(dname(x), dname(y))
        out = np.where(c, cast(x, d), cast(y, d))
        fam.add(f"where c{shp(c.shape)} {SHORT[dname(x)]}{shp(x.shape)} {SHORT[dname(y)]}{shp(y.shape)}{label}",
                "where", [c, x, y], np.asarray(out).astype(DT[d]), "exact")

    for sc, sx, sy in [((3, 4), (3, 4), (3, 4)), ((3, 1), (1, 4), ()), ((), (2, 3, 4), (2, 3, 4)),
                       ((2, 1, 4), (3, 4), (3, 1)), ((4,), (2, 3, 4), ()), ((0, 4), (4,), (1, 4)),
                       ((3, 0), (3, 1), ()), ((), (), ())]:
        where_case(rand_bool(rng, sc), gen(rng, "float32", sx), gen(rng, "float32", sy))
    where_case(rand_bool(rng, (3, 4)), rand_i32(rng, (3, 4)), rand_i32(rng, (1, 4)))
    where_case(rand_bool(rng, (3, 4)), rand_i32(rng, (3, 4)), gen(rng, "float32", (3, 1)))
    where_case(rand_bool(rng, (2, 3, 4)), rand_bool(rng, (2, 3, 4)), rand_bool(rng, ()))
    where_case(rand_bool(rng, (4,)), rand_u32(rng, (4,)), rand_u32(rng, (4,)))
    where_case(rand_bool(rng, (3, 4)), f32(SPECIALS[:12]).reshape(3, 4), f32(SPECIALS[12:]).reshape(3, 4), " specials")

    def clip_case(x, lo, hi, label=""):
        d = dname(x)
        if d == "float32":
            y = as64(x)
            if lo is not None:
                y = np.maximum(y, lo)
            if hi is not None:
                y = np.minimum(y, hi)
            out = rnd(y, d)
            tol = "exact"
        else:
            y = x.astype(np.int64)
            if lo is not None:
                y = np.maximum(y, lo)
            if hi is not None:
                y = np.minimum(y, hi)
            out = y.astype(DT[d])
            tol = "exact"
        fam.add(f"clip {SHORT[d]}{shp(x.shape)} [{lo}, {hi}]{label}", "clip", [x, lo, hi], out, tol)

    for s in [(), (4,), (3, 4), (2, 3, 4), (0, 4)]:
        x = finite_f32(rng, s, -5, 5)
        clip_case(x, -1.5, 2.25)
    x = SPECIALS.reshape(4, 6)
    clip_case(x, -1.0, 2.0, " specials")  # NaN stays NaN (JAX's minimum/maximum propagate NaN)
    clip_case(finite_f32(rng, (3, 4), -5, 5), None, 0.5)
    clip_case(finite_f32(rng, (3, 4), -5, 5), -0.5, None)
    clip_case(rand_i32(rng, (3, 4), -20, 20), -3, 7)
    clip_case(wide_i32(rng, (2, 3, 4)), -100, 100)
    return fam


# ============================================================================================
# reductions

def red_dtype(fn, d):
    if fn in ("sum", "prod", "cumsum"):
        return "int32" if d == "bool" else d  # JAX promotes ints to the default int (int32 in x32)
    if fn in ("mean", "var", "std", "logsumexp"):
        return inexact(d)
    if fn in ("all", "any"):
        return "bool"
    if fn in ("argmax", "argmin"):
        return "int32"
    return d  # max, min


def np_axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def logsumexp64(x, axis, keepdims):
    amax = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    amax = np.where(np.isfinite(amax), amax, 0.0)
    s = np.sum(np.exp(x - amax), axis=axis, keepdims=True)
    out = np.log(s) + amax
    if not keepdims:
        if axis is None:
            out = out.reshape(())
        else:
            out = np.squeeze(out, axis=axis)
    return out


def reduce_ref(fn, x, opts):
    d = dname(x)
    rd = red_dtype(fn, d)
    axis = np_axis(opts.get("axis")) if opts else None
    keepdims = bool(opts.get("keepdims", False)) if opts else False
    ddof = opts.get("ddof", 0) if opts else 0
    if fn in ("sum", "prod", "cumsum"):
        f = {"sum": np.sum, "prod": np.prod, "cumsum": np.cumsum}[fn]
        if is_float(rd):
            src = as64(x)
        else:
            src = cast(x, rd).astype(np.int64)  # int64 accumulation wraps identically mod 2^32
        if fn == "cumsum":
            out = np.cumsum(src, axis=axis)
        else:
            out = f(src, axis=axis, keepdims=keepdims)
        return rnd(out, rd) if is_float(rd) else np.asarray(out).astype(DT[rd])
    if fn in ("max", "min"):
        f = np.max if fn == "max" else np.min
        return np.asarray(f(x, axis=axis, keepdims=keepdims)).astype(DT[rd])
    if fn in ("mean", "var", "std"):
        src = as64(cast(x, rd))
        if fn == "mean":
            out = np.mean(src, axis=axis, keepdims=keepdims)
        else:
            f = np.var if fn == "var" else np.std
            out = f(src, axis=axis, keepdims=keepdims, ddof=ddof)
        return rnd(out, rd)
    if fn in ("all", "any"):
        f = np.all if fn == "all" else np.any
        return np.asarray(f(x != 0, axis=axis, keepdims=keepdims))
    if fn in ("argmax", "argmin"):
        f = np.argmax if fn == "argmax" else np.argmin
        return np.asarray(f(x, axis=axis, keepdims=keepdims)).astype(I32)
    if fn == "logsumexp":
        return rnd(logsumexp64(as64(cast(x, rd)), axis, keepdims), rd)
    raise KeyError(fn)


def red_tol(fn, out):
    if dname(out) not in ("float32", "float64"):
        return "exact"
    if fn in ("max", "min"):
        return "exact"
    return "matmul"  # accumulation order differs between implementations


def make_reductions():
    fam = Family("reductions.json")
    rng = np.random.default_rng(SEED + 3)

    def case(fn, x, opts=None, label=""):
        out = reduce_ref(fn, x, opts or {})
        o = "" if opts is None else " " + json.dumps(opts, separators=(",", ":"))
        name = f"{fn} {SHORT[dname(x)]}{shp(x.shape)}{o}{label}"
        fam.add(name, fn, [x], out, red_tol(fn, out), opts)

    x3f = finite_f32(rng, (2, 3, 4), -3, 3)
    x3i = rand_i32(rng, (2, 3, 4), -50, 50)
    x3b = rand_bool(rng, (2, 3, 4))
    x3u = rand_u32(rng, (2, 3, 4))
    axes_kd = [None, {"axis": None, "keepdims": False}, {"axis": None, "keepdims": True},
               {"axis": 0}, {"axis": 1}, {"axis": 2}, {"axis": -1}, {"axis": -3},
               {"axis": 1, "keepdims": True}, {"axis": -1, "keepdims": True},
               {"axis": [0, 2]}, {"axis": [2, 0], "keepdims": True}, {"axis": [-1, -2]},
               {"axis": [0, 1, 2]}]
    core = ("sum", "prod", "mean", "max", "min", "var", "std", "all", "any", "logsumexp")
    for fn in core:
        for opts in axes_kd:
            case(fn, x3f, opts)
    for fn in ("sum", "prod", "mean", "max", "min", "var", "all", "any"):
        for opts in [None, {"axis": 1}, {"axis": [0, 2], "keepdims": True}, {"axis": -1}]:
            case(fn, x3i, opts)
    for fn in ("sum", "all", "any", "mean", "prod"):
        for opts in [None, {"axis": 0}, {"axis": -1, "keepdims": True}]:
            case(fn, x3b, opts)
    for fn in ("sum", "max", "min", "prod"):
        for opts in [None, {"axis": 2}]:
            case(fn, x3u, opts)
    for fn in ("var", "std"):
        for opts in [{"ddof": 1}, {"axis": 1, "ddof": 1}, {"axis": [0, 2], "ddof": 1, "keepdims": True}]:
            case(fn, x3f, opts)
        case(fn, x3i, {"axis": 0, "ddof": 1})
    case("sum", x3f, {"axis": []}, " (no axes)")
    case("logsumexp", x3i, {"axis": 1})

    # every shape of the set, full and per-axis reductions
    for s in SHAPES:
        x = finite_f32(rng, s, 0.5, 1.5)
        lb = " [shape set]"
        for fn in ("sum", "prod", "mean", "all", "any"):
            case(fn, x, label=lb)
        if len(s) >= 1 and 0 not in s:
            for fn in ("max", "min", "argmax", "argmin", "logsumexp", "var"):
                case(fn, x, {"axis": -1}, lb)
        elif len(s) == 0:
            for fn in ("max", "min", "argmax", "argmin", "logsumexp"):
                case(fn, x, label=lb)
        if len(s) >= 2:
            for fn in ("sum", "prod", "any"):
                case(fn, x, {"axis": 0}, lb)
                case(fn, x, {"axis": 1, "keepdims": True}, lb)

    # length-1023 vector and 17x5
    v = finite_f32(rng, (1023,), -1, 1)
    vp = finite_f32(rng, (1023,), 0.995, 1.005)
    m = finite_f32(rng, (17, 5), -2, 2)
    mi = rand_i32(rng, (17, 5), -1000, 1000)
    for fn in ("sum", "mean", "max", "min", "argmax", "argmin", "var", "std", "all", "any",
               "logsumexp", "cumsum"):
        # cumsum: positive values, so sequential and blocked scans agree to rtol (no cancellation)
        case(fn, v if fn != "cumsum" else finite_f32(rng, (1023,), 0, 1))
        for opts in ([None, {"axis": 0}, {"axis": 1}, {"axis": -1, "keepdims": True}]
                     if fn not in ("argmax", "argmin", "cumsum") else [None, {"axis": 0}, {"axis": 1}]):
            case(fn, m, opts)
    case("prod", vp)
    case("prod", m, {"axis": 0})
    case("var", v, {"ddof": 1})
    case("std", m, {"axis": 0, "ddof": 1})
    for fn in ("sum", "max", "min", "argmax", "argmin", "prod", "cumsum", "mean"):
        case(fn, mi, {"axis": 0})
    case("sum", wide_i32(rng, (17, 5)), {"axis": 1}, " wrap")
    case("sum", rand_i32(rng, (1023,), -5, 5))
    case("sum", rand_bool(rng, (1023,)))
    case("cumsum", rand_i32(rng, (1023,), -5, 5))

    # ties, NaN and inf
    t = np.asarray([[1, 3, 3, 0], [2, 2, 2, 2], [-1, -5, -5, 4]], I32)
    for fn in ("argmax", "argmin"):
        case(fn, t, {"axis": 1}, " ties")
        case(fn, t, {"axis": 0}, " ties")
        case(fn, t, None, " ties")
        case(fn, t.astype(F32), {"axis": 1}, " ties")
    xn = f32([[1, NAN, 3, NAN], [2, 5, -INF, 0.5], [INF, 1, 2, 3]])
    for fn in ("max", "min", "argmax", "argmin", "sum", "mean", "prod", "all", "any", "logsumexp"):
        case(fn, xn, {"axis": 1}, " nan/inf")
    case("sum", xn, {"axis": 0}, " nan/inf")
    case("max", xn, None, " nan/inf")
    case("argmax", xn, None, " nan/inf")
    case("argmin", xn, None, " nan/inf")
    xl = f32([[1000, 1000, -INF, 0], [-INF, -INF, -INF, -INF], [1, INF, 2, 3], [-1000, -1000, -1000, -1000],
              [88, 89, 90, 91]])
    case("logsumexp", xl, {"axis": 1}, " overflow-safe")
    case("logsumexp", xl, {"axis": 1, "keepdims": True}, " overflow-safe")
    case("logsumexp", finite_f32(rng, (3, 4), -5, 5), {"axis": [0, 1]})
    z = f32([[0.0, 1.0], [NAN, 0.0], [-0.0, 0.0], [1e-40, 2.0]])
    for fn in ("all", "any"):
        case(fn, z, {"axis": 1}, " truthiness")

    # cumsum
    for opts in [None, {"axis": 0}, {"axis": 1}, {"axis": 2}, {"axis": -1}, {"axis": -2}]:
        case("cumsum", x3f, opts)
    for opts in [None, {"axis": 1}]:
        case("cumsum", x3i, opts)
        case("cumsum", x3b, opts)      # bool -> int32
        case("cumsum", x3u, opts)      # uint32 stays uint32
    case("cumsum", f32(3.5))
    case("cumsum", wide_i32(rng, (2, 6)), {"axis": 1}, " wrap")

    # empty axes: sum=0, prod=1, all=True, any=False, max over a non-empty axis of an empty array
    e0, e04, e30 = np.zeros((0,), F32), np.zeros((0, 4), F32), np.zeros((3, 0), F32)
    for fn in ("sum", "prod", "all", "any"):
        case(fn, e0)
        case(fn, e04, {"axis": 0})
        case(fn, e30, {"axis": 1})
        case(fn, e30, {"axis": 0})
        case(fn, e04, {"axis": 0, "keepdims": True})
    case("sum", np.zeros((0, 4), I32), {"axis": 0})
    case("prod", np.zeros((3, 0), I32), {"axis": 1})
    case("sum", np.zeros((0,), BOOL))
    case("max", e04, {"axis": 1})
    case("min", e30, {"axis": 0})
    case("argmax", e04, {"axis": 1})
    case("mean", e04, {"axis": 0}, " (nan)")  # 0/0 -> NaN in JAX
    case("cumsum", e0)
    case("cumsum", e04, {"axis": 1})
    case("cumsum", e30, {"axis": 0})
    case("logsumexp", e04, {"axis": 1})
    return fam


# ============================================================================================
# shape / movement

def make_shape():
    fam = Family("shape.json")
    rng = np.random.default_rng(SEED + 4)
    x3 = finite_f32(rng, (2, 3, 4), -10, 10)
    x3[0, 0, 0], x3[1, 2, 3] = NAN, -0.0
    x2 = finite_f32(rng, (3, 4))
    x1 = finite_f32(rng, (4,))
    i2 = rand_i32(rng, (3, 4))
    b3 = rand_bool(rng, (2, 3, 4))
    used = set()

    def case(fn, args, out, opts=None, label=""):
        x = args[0]
        if isinstance(x, list):
            head = "[" + ", ".join(f"{SHORT[dname(a)]}{shp(a.shape)}" for a in x) + "]"
        else:
            head = f"{SHORT[dname(x)]}{shp(x.shape)}"
        rest = ", ".join(json.dumps(a, separators=(",", ":")) if not isinstance(a, np.ndarray)
                         else f"{SHORT[dname(a)]}{shp(a.shape)}" for a in args[1:])
        o = "" if opts is None else " " + json.dumps(opts, separators=(",", ":"))
        name = f"{fn} {head}{', ' + rest if rest else ''}{o}{label}"
        k = 2
        base = name
        while name in used:
            name = f"{base} #{k}"
            k += 1
        used.add(name)
        fam.add(name, fn, args, out, "exact", opts)

    for x, s in [(x3, [6, 4]), (x3, [-1]), (x3, [4, -1, 2]), (x3, [24]), (x3, [2, 12]),
                 (x2, [2, 2, 3]), (x2, [12, 1]), (f32(7.0), [1, 1]), (x1, [2, 2]),
                 (finite_f32(rng, (1, 1)), []), (np.zeros((0, 4), F32), [4, 0]),
                 (np.zeros((0, 4), F32), [-1]), (np.zeros((0, 4), F32), [2, -1, 2]),
                 (i2, [4, 3]), (b3, [3, 8]), (x1, [-1, 1])]:
        case("reshape", [x, s], np.reshape(x, s))

    for x, axes in [(x3, None), (x3, [1, 0, 2]), (x3, [2, 0, 1]), (x3, [0, 2, 1]), (x2, None),
                    (x2, [1, 0]), (x1, None), (f32(2.0), None), (i2, None), (b3, [2, 1, 0]),
                    (np.zeros((3, 0), F32), None), (finite_f32(rng, (2, 1, 4)), [2, 1, 0]),
                    (x3, [-1, 0, 1])]:
        if axes is None:
            case("transpose", [x], np.transpose(x))
        else:
            case("transpose", [x, axes], np.transpose(x, axes))

    for x, a, b in [(x3, 0, 2), (x3, -1, 0), (x3, 1, 1), (x2, 0, 1), (i2, 1, 0)]:
        case("swapaxes", [x, a, b], np.swapaxes(x, a, b))

    for x, s, d in [(x3, 0, -1), (x3, 2, 0), (x3, 1, 2), (x3, -1, 1), (x3, [0, 1], [-1, -2]),
                    (x2, 0, 1), (b3, 0, 2)]:
        case("moveaxis", [x, s, d], np.moveaxis(x, s, d))

    for x, a in [(x2, 0), (x2, 1), (x2, 2), (x2, -1), (x2, -3), (x1, 0), (f32(1.5), 0), (x2, [0, 3]),
                 (i2, 1), (np.zeros((0,), F32), 1)]:
        case("expandDims", [x, a], np.expand_dims(x, tuple(a) if isinstance(a, list) else a))

    y214 = finite_f32(rng, (2, 1, 4))
    y31 = finite_f32(rng, (3, 1))
    y14 = finite_f32(rng, (1, 4))
    y11 = finite_f32(rng, (1, 1))
    for x, a in [(y214, None), (y214, 1), (y214, -2), (y31, 1), (y31, -1), (y14, 0), (y11, None),
                 (y11, [0, 1]), (y11, 0), (f32(3.0), None), (x2, None), (np.zeros((0, 1), F32), 1)]:
        if a is None:
            case("squeeze", [x], np.squeeze(x))
        else:
            case("squeeze", [x, a], np.squeeze(x, tuple(a) if isinstance(a, list) else a))

    for x, s in [(y31, [3, 4]), (f32(2.5), [2, 3, 4]), (x1, [2, 3, 4]), (y14, [0, 4]), (y214, [2, 3, 4]),
                 (y14, [3, 4]), (x2, [3, 4]), (f32(1.0), []), (rand_i32(rng, (3, 1)), [2, 3, 5]),
                 (rand_bool(rng, (1,)), [4]), (np.zeros((3, 0), F32), [2, 3, 0])]:
        case("broadcastTo", [x, s], np.broadcast_to(x, s))

    a34, b34 = finite_f32(rng, (3, 4)), finite_f32(rng, (3, 4))
    for xs, axis in [([a34, b34], 0), ([a34, b34], 1), ([a34, b34], -1), ([x3, y214], 1),
                     ([np.zeros((0, 4), F32), a34], 0), ([a34, np.zeros((3, 0), F32)], 1),
                     ([x1, np.zeros((0,), F32), finite_f32(rng, (2,))], 0), ([x3, x3, x3], 2),
                     ([i2, rand_i32(rng, (1, 4))], 0), ([b3, b3], 0)]:
        case("concatenate", [xs], np.concatenate(xs, axis=axis), {"axis": axis})
    case("concatenate", [[a34, b34]], np.concatenate([a34, b34]), label=" default axis")
    case("concatenate", [[i2, a34]], np.concatenate([i2.astype(F32), a34]), {"axis": 0}, " i32+f32 -> f32")

    for xs, axis in [([a34, b34, a34], 0), ([a34, b34, a34], 1), ([a34, b34, a34], 2),
                     ([a34, b34], -1), ([f32(1.0), f32(2.0)], 0), ([np.zeros((0, 4), F32)] * 2, 0),
                     ([x1, x1], 1), ([i2, i2], 1), ([b3, b3], -2)]:
        case("stack", [xs], np.stack(xs, axis=axis), {"axis": axis})
    case("stack", [[x1, x1, x1]], np.stack([x1, x1, x1]), label=" default axis")

    x6 = finite_f32(rng, (6, 4))
    for x, n, axis in [(x2, 3, 0), (x3, [1, 3], 2), (x1, 2, None), (x2, [1, 3], 1), (x1, [0, 4], None),
                       (x6, 3, 0), (x6, [2, 5], 0), (x3, 2, 0), (x3, 1, -1), (i2, 2, 1),
                       (finite_f32(rng, (9,)), [2, 2, 7], None)]:
        if axis is None:
            case("split", [x, n], list(np.split(x, n)))
        else:
            case("split", [x, n], list(np.split(x, n, axis=axis)), {"axis": axis})

    for x, reps in [(x2, [2, 1]), (x1, 3), (x2, [2, 1, 2]), (x1, [2, 2]), (f32(5.0), [3]), (x3, [1, 2, 1]),
                    (i2, 2), (x2, [0, 1]), (b3, [1, 1, 2])]:
        case("tile", [x, reps], np.tile(x, reps))

    for x, r, axis in [(x2, 2, 1), (x2, 3, None), (x2, [1, 0, 2], 0), (x1, 2, 0), (x3, 2, -1),
                       (x1, [1, 2, 3, 0], None), (i2, 2, 0), (f32(4.0), 3, None), (b3, 2, 1)]:
        if axis is None:
            case("repeat", [x, r], np.repeat(x, r))
        else:
            case("repeat", [x, r], np.repeat(x, r, axis=axis), {"axis": axis})

    for x, pw, cv in [(x2, [[1, 2], [0, 3]], 0.0), (x2, [[1, 1], [1, 1]], 7.5), (x1, [[2, 1]], None),
                      (i2, [[0, 1], [2, 0]], -1), (x3, [[0, 0], [1, 1], [2, 0]], 0.0),
                      (np.zeros((0, 4), F32), [[1, 1], [0, 0]], 3.0), (f32([NAN, 1.0]), [[1, 1]], -0.0),
                      (b3, [[1, 0], [0, 0], [0, 1]], None)]:
        kw = {} if cv is None else {"constant_values": cv}
        out = np.pad(x, [tuple(p) for p in pw], **kw)
        if cv is None:
            case("pad", [x, pw], out)
        else:
            case("pad", [x, pw], out, {"constantValues": cv})

    for x, axis in [(x3, None), (x3, 1), (x3, [0, 2]), (x3, -1), (x1, None), (x2, 0), (i2, 1), (b3, 2),
                    (f32(1.0), None), (np.zeros((0, 4), F32), 1)]:
        if axis is None:
            case("flip", [x], np.flip(x))
        else:
            case("flip", [x], np.flip(x, tuple(axis) if isinstance(axis, list) else axis), {"axis": axis})

    idx = lambda v: np.asarray(v, I32)
    for x, ind, axis in [(x2, idx([2, 0, 0, 1]), 0), (x2, idx([3, 1]), 1), (x2, idx([[0, 1], [2, 3]]), 1),
                         (x3, idx([1, 0, 1]), 0), (x3, idx([-1, 0]), 2), (x2, idx([5, 11, 0]), None),
                         (x1, idx(2), 0), (i2, idx([0, 0, 3]), 1), (x2, idx([], ), 0), (b3, idx([2, 0]), 1)]:
        if axis is None:
            case("take", [x, ind], np.take(x, ind))
        else:
            case("take", [x, ind], np.take(x, ind, axis=axis), {"axis": axis})

    for x, ind, axis in [(x2, np.argsort(x2, axis=1).astype(I32), 1),
                         (x2, np.argsort(x2, axis=0).astype(I32), 0),
                         (x2, idx([[0], [3], [1]]), 1), (x2, idx([[2, 1, 0, 0]]), 0),
                         (x3, np.argsort(x3, axis=-1).astype(I32), -1),
                         (x3, idx(rng.integers(0, 3, (2, 5, 4))), 1), (i2, idx([[1, 1], [0, 2], [3, 3]]), 1),
                         (x1, idx([3, 3, 0]), 0)]:
        case("takeAlongAxis", [x, ind, axis], np.take_along_axis(x, ind, axis=axis))
    return fam


# ============================================================================================
# linear algebra

def make_linalg():
    fam = Family("linalg.json")
    rng = np.random.default_rng(SEED + 5)
    used = set()

    def case(fn, args, ref, label=""):
        arrs = [a for a in args if isinstance(a, np.ndarray)]
        d = arrs[0].dtype.name if arrs else "float32"
        for a in arrs[1:]:
            d = promote(d, a.dtype.name)
        vals = [as64(cast(a, d)) if isinstance(a, np.ndarray) else a for a in args]
        out = ref(*vals)
        if is_float(d):
            out, tol = rnd(out, d), "matmul"
        else:
            out, tol = np.asarray(cast(np.asarray(out).astype(np.int64), d)), "exact"
        head = ", ".join(f"{SHORT[dname(a)]}{shp(a.shape)}" if isinstance(a, np.ndarray) else json.dumps(a)
                         for a in args)
        name = f"{fn} {head}{label}"
        assert name not in used, name
        used.add(name)
        fam.add(name, fn, args, out, tol)

    r = lambda *s: finite_f32(rng, s, -1, 1)
    for a, b in [(r(3, 4), r(4, 5)), (r(4), r(4, 5)), (r(3, 4), r(4)), (r(4), r(4)),
                 (r(2, 3, 4), r(4, 5)), (r(2, 1, 3, 4), r(5, 4, 6)), (r(2, 3, 4), r(2, 4, 5)),
                 (r(4), r(2, 4, 5)), (r(2, 3, 4), r(4)), (r(3, 0), r(0, 4)), (r(0, 4), r(4, 5)),
                 (r(1, 1), r(1, 1)), (r(17, 33), r(33, 9)), (r(64, 96), r(96, 48)), (r(1, 7), r(7, 1)),
                 (r(5, 1), r(1, 5)), (r(3, 2, 1, 4), r(1, 4, 3))]:
        case("matmul", [a, b], np.matmul)
    case("matmul", [rand_i32(rng, (3, 4), -20, 20), rand_i32(rng, (4, 5), -20, 20)], np.matmul)
    case("matmul", [rand_i32(rng, (3, 4), -20, 20), r(4, 2)], np.matmul, " -> f32")
    case("matmul", [r(3, 4).astype(F64), r(4, 2).astype(F64)], np.matmul)

    for a, b in [(r(4), r(4)), (r(3, 4), r(4, 5)), (r(3, 4), r(4)), (r(4), r(4, 5)),
                 (r(2, 3, 4), r(5, 4, 6)), (r(2, 3, 4), r(4)), (f32(2.5), r(3, 4)), (r(3, 4), f32(-2.0)),
                 (r(0), r(0)), (r(13, 31), r(31, 7))]:
        case("dot", [a, b], np.dot)
    case("dot", [rand_i32(rng, (5,), -9, 9), rand_i32(rng, (5,), -9, 9)], np.dot)

    for a, b in [(r(4), r(3)), (r(3, 4), r(2)), (r(1), r(5)), (r(0), r(3)), (f32(3.0), r(4))]:
        case("outer", [a, b], np.outer)
    case("outer", [rand_i32(rng, (3,), -9, 9), rand_i32(rng, (4,), -9, 9)], np.outer)

    for sub, shapes in [("ij,jk->ik", [(3, 4), (4, 5)]), ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
                        ("i,i->", [(7,), (7,)]), ("ij->ji", [(3, 4)]), ("ij->j", [(3, 4)]),
                        ("bi,bi->b", [(5, 6), (5, 6)]), ("i,j->ij", [(3,), (4,)]),
                        ("ij,ij->ij", [(3, 4), (3, 4)]), ("bij,bkj->bik", [(2, 3, 4), (2, 5, 4)]),
                        ("ij->", [(3, 4)]), ("ii->i", [(4, 4)]), ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
                        ("...ij,...jk->...ik", [(2, 3, 4), (2, 4, 5)])]:
        ops = [r(*s) for s in shapes]
        case("einsum", [sub] + ops, lambda s, *xs: np.einsum(s, *xs))
    return fam


# ============================================================================================

def main():
    families = [make_unary(), make_binary(), make_reductions(), make_shape(), make_linalg(), make_misc()]
    total, total_bytes = 0, 0
    for fam in families:
        path, n, size = fam.write()
        total += n
        total_bytes += size
        print(f"{os.path.relpath(path)}: {n} cases, {size / 1024:.0f} KiB")
    print(f"total: {total} cases, {total_bytes / 1024 / 1024:.2f} MiB")


if __name__ == "__main__":
    main()
