// numpy's remaining elementwise math (copysign, frexp, nextafter, gcd, i0, ...) composed from
// existing primitives, following jax.numpy's definitions. Bit-level functions read the IEEE words
// through bitcast_convert_type, so they are exact on float32 and float64 alike. tinyjax has no
// complex dtype: real/imag/conj/angle/iscomplex/... are the real-array cases of numpy's functions.
import { DType, isFloat } from "../../core/dtype.js";
import { DTypeError } from "../../core/errors.js";
import { broadcastShapes as bShapes } from "../../core/shape.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import { customJvp } from "../../autodiff/custom.js";
import { foriLoop } from "../../control/loops.js";
import * as A from "../../primitives/arith.js";
import * as M from "../../primitives/math.js";
import { bitcastConvertTypeP } from "../../primitives/prng.js";
import { bind1 } from "../../core/trace.js";
import * as S from "../../primitives/structural.js";
import { asArray, scalar, scalarConstant } from "./creation.js";
import { positionalOptions } from "./options.js";
import * as R from "./reductions.js";
import {
  arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, bitwiseNot, broadcastAll, broadcastTo_, equal, greater, isfinite,
  isinf, isnan, leftShift, less, logicalOr, promote, rightShift, where,
} from "./ufuncs.js";

const inexact = (op: string, x: ArrayLike) => promote(op, [x], "float")[0];
const k = (x: JaxArray, v: number) => broadcastTo_(scalar(v, x.dtype), x.shape);
const bool = (shape: readonly number[], v: boolean) => broadcastTo_(scalar(+v, "bool"), shape);

// IEEE layout per float dtype: the words, the mantissa bits in the word holding sign and exponent,
// the exponent mask and bias, and the total mantissa bits.
const LAYOUT = { float32: { words: 1, mbits: 23, emask: 0xff, bias: 127, nmant: 23 }, float64: { words: 2, mbits: 20, emask: 0x7ff, bias: 1023, nmant: 52 } };
type Layout = typeof LAYOUT.float32;

function layoutOf(op: string, x: JaxArray): Layout {
  const l = LAYOUT[x.dtype as "float32" | "float64"];
  if (!l) throw new DTypeError(`${op}: needs float32 or float64, got ${x.dtype}.`);
  return l;
}
/** The uint32 words of x's IEEE representation (trailing axis: [low, high] for float64). */
function words(x: JaxArray): JaxArray[] {
  const w = bind1(bitcastConvertTypeP, [x], { newDtype: "uint32" });
  if (x.dtype === "float32") return [w];
  const z = x.shape.map(() => 0);
  return [0, 1].map((i) => S.reshape(S.slice(w, [...z, i], [...x.shape, i + 1]), x.shape));
}
function fromWords(ws: JaxArray[], dtype: DType): JaxArray {
  const w = ws.length === 1 ? ws[0] : S.concatenate(ws.map((v) => S.reshape(v, [...v.shape, 1])), ws[0].ndim);
  return bind1(bitcastConvertTypeP, [w], { newDtype: dtype });
}
const u = (x: JaxArray, v: number) => broadcastTo_(scalar(v >>> 0, "uint32"), x.shape);

/** Exactly 2**e for an int32 e within the dtype's normal exponent range. */
function pow2(e: JaxArray, dtype: DType): JaxArray {
  const l = LAYOUT[dtype as "float32" | "float64"];
  const hi = A.shiftLeft(A.convertElementType(A.add(e, l.bias), "uint32"), u(e, l.mbits));
  return fromWords(l.words === 1 ? [hi] : [u(e, 0), hi], dtype);
}

export function signbit(x: ArrayLike): JaxArray {
  const a = asArray(x);
  if (a.dtype === "bool") return bool(a.shape, false);
  if (!isFloat(a.dtype)) return less(a, 0);
  return A.ge(words(a)[layoutOf("signbit", a).words - 1], u(a, 0x80000000));
}

export function copysign(x1: ArrayLike, x2: ArrayLike): JaxArray {
  const [a, b] = broadcastAll("copysign", promote("copysign", [x1, x2], "float"));
  const m = A.abs(a);
  return A.select(signbit(b), A.neg(m), m);
}

/** [mantissa in [0.5, 1), int32 exponent] with x = m * 2**e; m carries x's derivative 2**-e. */
export function frexp(x: ArrayLike): [JaxArray, JaxArray] {
  const a = inexact("frexp", x);
  const l = layoutOf("frexp", a);
  // Subnormals are scaled into the normal range first.
  const sub = A.lt(A.abs(a), k(a, 2 ** (1 - l.bias)));
  const xn = A.select(sub, A.mul(a, k(a, 2 ** l.nmant)), a);
  const ws = words(xn), hi = ws[ws.length - 1];
  const field = A.convertElementType(A.bitwiseAnd(A.shiftRight(hi, u(hi, l.mbits)), u(hi, l.emask)), "int32");
  let e = A.sub(A.sub(field, l.bias - 1), A.mul(A.convertElementType(sub, "int32"), l.nmant));
  const mhi = A.bitwiseOr(A.bitwiseAnd(hi, u(hi, ~(l.emask << l.mbits))), u(hi, (l.bias - 1) << l.mbits));
  const mBits = fromWords([...ws.slice(0, -1), mhi], a.dtype);
  const special = A.bitwiseOr(A.bitwiseNot(isfinite(a)), A.eq(a, k(a, 0)));
  e = A.select(special, broadcastTo_(scalar(0, "int32"), e.shape), e);
  // The derivative path: (xs - stop(xs)) is 0 in value but carries dx * 2**-e.
  const s = A.stopGradient(M.exp2(A.convertElementType(A.min(A.neg(e), broadcastTo_(scalar(l.bias, "int32"), e.shape)), a.dtype)));
  const xs = A.mul(A.select(special, k(a, 0), a), s);
  const m = A.add(A.stopGradient(mBits), A.sub(xs, A.stopGradient(xs)));
  return [A.select(special, a, m), e];
}

/** x1 * 2**x2 for integer x2, rounded once (no overflow of the intermediate power of two). */
export function ldexp(x1: ArrayLike, x2: ArrayLike): JaxArray {
  let n = asArray(x2);
  if (isFloat(n.dtype)) throw new DTypeError(`ldexp: the exponent must be an integer array, got ${n.dtype}. Round it and use astype("int32").`);
  let a = inexact("ldexp", x1);
  [a, n] = broadcastAll("ldexp", [a, A.convertElementType(n, "int32")]);
  const l = layoutOf("ldexp", a), emin = 1 - l.bias, emax = l.bias;
  const [m, e] = frexp(a);
  const c = (x: number) => broadcastTo_(scalar(x, "int32"), e.shape);
  const t = A.max(A.min(A.add(e, n), c(2 * emax)), c(emin - l.nmant - 3));
  // 2**t = 2**p * 2**q with both factors normal and m * 2**p exact, so only the last product rounds.
  const q = A.select(A.lt(t, c(emin)), c(emin), A.max(A.sub(t, c(emax)), c(0)));
  const r = A.mul(A.mul(m, pow2(A.sub(t, q), a.dtype)), pow2(q, a.dtype));
  return A.select(A.bitwiseOr(isinf(a), A.eq(a, k(a, 0))), a, r);
}

/** The next representable value after x toward y (float32/float64). */
export function nextafter(x1: ArrayLike, x2: ArrayLike): JaxArray {
  const [a, b] = broadcastAll("nextafter", promote("nextafter", [x1, x2], "float"));
  layoutOf("nextafter", a);
  // Stepping the magnitude's bits up or down by one ulp, carrying between the two float64 words.
  const ws = words(a), away = A.eq(A.gt(b, a), A.gt(a, k(a, 0)));
  const out: JaxArray[] = [];
  let carry = broadcastTo_(scalar(1, "uint32"), a.shape);
  for (const w of ws) {
    const up = A.add(w, carry), down = A.sub(w, carry);
    out.push(A.select(away, up, down));
    carry = A.convertElementType(A.select(away, A.lt(up, w), A.gt(down, w)), "uint32");
  }
  const step = fromWords(out, a.dtype);
  const tiny = fromWords([...ws.slice(1).map((w) => u(w, 0)), u(a, 1)].reverse(), a.dtype);
  const atZero = A.select(signbit(b), A.neg(tiny), tiny);
  let r = A.select(A.eq(a, k(a, 0)), atZero, step);
  r = A.select(A.eq(a, b), b, r);
  return A.select(A.bitwiseOr(isnan(a), isnan(b)), k(a, NaN), r);
}

/** The distance from x to the next representable value away from zero (signed as x). */
export function spacing(x: ArrayLike): JaxArray {
  const a = inexact("spacing", x);
  const r = A.sub(nextafter(a, copysign(k(a, Infinity), a)), a);
  return A.select(A.eq(r, k(r, 0)), copysign(nextafter(k(a, 0), k(a, 1)), a), r);
}

export const fabs = (x: ArrayLike) => A.abs(inexact("fabs", x));
export const floatPower = (x: ArrayLike, y: ArrayLike) => { const [a, b] = broadcastAll("float_power", promote("float_power", [x, y], "float")); return M.pow(a, b); };

export function modf(x: ArrayLike): [JaxArray, JaxArray] {
  const a = inexact("modf", x);
  const whole = A.select(A.ge(a, k(a, 0)), A.floor(a), A.ceil(a));
  // numpy's fraction of +-inf is +-0 (inf - inf would be NaN).
  return [A.select(isinf(a), copysign(k(a, 0), a), A.sub(a, whole)), whole];
}

/** Elementwise max/min that return the other operand where one is NaN. */
export const fmax = (x1: ArrayLike, x2: ArrayLike) => where(logicalOr(greater(x1, x2), isnan(asArray(x2))), x1, x2);
export const fmin = (x1: ArrayLike, x2: ArrayLike) => where(logicalOr(less(x1, x2), isnan(asArray(x2))), x1, x2);

export function heaviside(x1: ArrayLike, x2: ArrayLike): JaxArray {
  const [a, b] = broadcastAll("heaviside", promote("heaviside", [x1, x2], "float"));
  const z = k(a, 0);
  return A.select(A.lt(a, z), z, A.select(A.gt(a, z), k(a, 1), A.select(A.ne(a, a), a, b)));
}

/** log2(2**x1 + 2**x2) without overflow. */
export function logaddexp2(x1: ArrayLike, x2: ArrayLike): JaxArray {
  const [a, b] = broadcastAll("logaddexp2", promote("logaddexp2", [x1, x2], "float"));
  const d = A.neg(A.abs(A.sub(a, b)));
  const r = A.add(A.max(a, b), A.div(M.log1p(M.exp2(d)), k(d, Math.LN2)));
  return A.select(A.ne(d, d), A.add(a, b), r);
}

/** sin(pi x) / (pi x), 1 at 0 with derivative 0 there. */
export function sinc(x: ArrayLike): JaxArray {
  const a = inexact("sinc", x);
  const zero = A.eq(a, k(a, 0)), inf = A.eq(A.abs(a), k(a, Infinity));
  const px = A.mul(a, k(a, Math.PI));
  const safe = A.select(A.bitwiseOr(zero, inf), k(a, 1), px);
  const r = A.select(zero, maclaurin(0)(A.select(zero, px, k(a, 0))), A.div(M.sin(safe), safe));
  return A.select(inf, k(a, 0), r);
}
// The k-th derivative of sin(x)/x at 0, as a function whose derivative is the (k+1)-th: every
// order of derivative of sinc at 0 is exact (the select above only picks this branch there).
const taylor: ((x: JaxArray) => JaxArray)[] = [];
function maclaurin(n: number): (x: JaxArray) => JaxArray {
  return (taylor[n] ??= customJvp((x: JaxArray) => A.add(A.mul(x, k(x, 0)), k(x, n % 2 ? 0 : (-1) ** (n / 2) / (n + 1))))
    .defjvp(([x]: JaxArray[], [t]: JaxArray[]) => [maclaurin(n)(x), A.mul(maclaurin(n + 1)(x), t)]));
}

/** The modified Bessel function of order 0: its power series below 15, the asymptotic series above. */
export function i0(x: ArrayLike): JaxArray {
  const a = A.abs(inexact("i0", x));
  const big = A.gt(a, k(a, 15));
  const xs = A.select(big, k(a, 0), a), xb = A.select(big, a, k(a, 15));
  // sum_k ((x/2)^2k / k!^2), accumulated from the smallest term for accuracy.
  const y = A.mul(A.square(xs), k(a, 0.25));
  let s = k(a, 1);
  for (let j = 60; j >= 1; j--) s = A.add(k(a, 1), A.mul(s, A.div(y, k(a, j * j))));
  // e^x / sqrt(2 pi x) * sum_k ((2k-1)!!^2 / (k! (8x)^k)).
  let t = k(a, 1);
  for (let j = 24; j >= 1; j--) t = A.add(k(a, 1), A.mul(t, A.div(k(a, (2 * j - 1) ** 2), A.mul(xb, k(a, 8 * j)))));
  const asym = A.mul(A.div(M.exp(xb), M.sqrt(A.mul(xb, k(a, 2 * Math.PI)))), t);
  return A.select(big, asym, s);
}

function intPair(op: string, x1: ArrayLike, x2: ArrayLike): [JaxArray, JaxArray] {
  const [a, b] = broadcastAll(op, promote(op, [x1, x2]));
  if (isFloat(a.dtype) || a.dtype === "bool") throw new DTypeError(`${op}: arguments must be integers, got ${a.dtype}. Convert with astype("int32").`);
  return [A.abs(a), A.abs(b)];
}

/**
 * Greatest common divisor by Euclid's algorithm. 47 steps cover every int32 pair (consecutive
 * Fibonacci numbers are the worst case); a fixed trip count needs no host read of a loop condition,
 * which WebGPU cannot do synchronously.
 */
export function gcd(x1: ArrayLike, x2: ArrayLike): JaxArray {
  const [a, b] = intPair("gcd", x1, x2);
  // The body's constants are shared scalars: fresh ones would live on in the traced body's consts.
  const c = (y: JaxArray, v: number) => broadcastTo_(scalarConstant(v, y.dtype, false), y.shape);
  const [g] = foriLoop(0, 47, (_: JaxArray, [x, y]: JaxArray[]) => {
    const nz = A.ne(y, c(y, 0));
    const p = A.select(nz, y, x), q = A.select(nz, A.rem(x, A.select(nz, y, c(y, 1))), c(y, 0));
    return [A.max(p, q), A.min(p, q)];
  }, [a, b]);
  return g;
}

export function lcm(x1: ArrayLike, x2: ArrayLike): JaxArray {
  const [a, b] = intPair("lcm", x1, x2);
  const d = gcd(a, b), z = A.eq(d, k(d, 0));
  return A.select(z, k(d, 0), A.mul(a, A.div(b, A.select(z, k(d, 1), d))));
}

export function isposinf(x: ArrayLike): JaxArray {
  const a = asArray(x);
  return isFloat(a.dtype) ? A.eq(a, k(a, Infinity)) : bool(a.shape, false);
}
export function isneginf(x: ArrayLike): JaxArray {
  const a = asArray(x);
  return isFloat(a.dtype) ? A.eq(a, k(a, -Infinity)) : bool(a.shape, false);
}

const FMAX: Record<string, number> = { float16: 65504, float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };
export interface NanToNumOptions { copy?: boolean; nan?: number; posinf?: number | null; neginf?: number | null }
/** nanToNum(x, copy?, nan = 0, posinf?, neginf?): infinities default to the dtype's largest finite values. */
export function nanToNum(x: ArrayLike, ...rest: (NanToNumOptions | number | boolean | null | undefined)[]): JaxArray {
  const o = positionalOptions<NanToNumOptions>("nanToNum", rest.map((v) => (v === null ? undefined : v)), ["copy", "nan", "posinf", "neginf"]);
  const a = asArray(x);
  if (!isFloat(a.dtype)) return a;
  const big = FMAX[a.dtype];
  let r = A.select(A.ne(a, a), k(a, o.nan ?? 0), a);
  r = A.select(A.eq(r, k(r, Infinity)), k(r, o.posinf ?? big), r);
  return A.select(A.eq(r, k(r, -Infinity)), k(r, o.neginf ?? -big), r);
}

// ---- the real-array cases of numpy's complex functions
const noComplex = (op: string, x: unknown) => {
  if (typeof x === "string" && x.startsWith("complex")) throw new DTypeError(`${op}: tinyjax has no complex dtypes (got ${x}); use real arrays.`);
};
export const real = (x: ArrayLike) => asArray(x);
export const imag = (x: ArrayLike) => { const a = asArray(x); return broadcastTo_(scalar(0, a.dtype, a.weakType), a.shape); };
export const conj = (x: ArrayLike) => asArray(x);
export const conjugate = conj;
/** The argument of x as a complex number: 0 for x >= 0, pi for x < 0 (or -0). */
export function angle(z: ArrayLike, deg = false): JaxArray {
  const a = inexact("angle", z);
  const r = M.atan2(k(a, 0), a);
  return deg ? A.mul(r, k(r, 180 / Math.PI)) : r;
}
export const iscomplex = (x: ArrayLike) => bool(asArray(x).shape, false);
export const isreal = (x: ArrayLike) => bool(asArray(x).shape, true);
export const iscomplexobj = (x: unknown) => { noComplex("iscomplexobj", (x as { dtype?: unknown })?.dtype ?? x); return false; };
export const isrealobj = (x: unknown) => !iscomplexobj(x);

/** True for JS numbers, booleans and strings and for 0-d arrays (numpy's isscalar, as in JAX). */
export const isscalar = (x: unknown) => typeof x === "number" || typeof x === "boolean" || typeof x === "bigint" || typeof x === "string" ||
  (x instanceof JaxArray && x.ndim === 0);

/** True (a bool scalar) where a1 and a2 broadcast together and are equal everywhere. */
export function arrayEquiv(a1: ArrayLike, a2: ArrayLike): JaxArray {
  const a = asArray(a1), b = asArray(a2);
  try { bShapes("array_equiv", a.shape, b.shape); } catch { return scalar(0, "bool"); }
  return R.all(equal(a, b));
}

/** numpy's broadcast of shapes (numbers count as 1-d shapes). */
export const broadcastShapes = (...shapes: (number | readonly number[])[]) =>
  bShapes("broadcast_shapes", ...shapes.map((s) => (typeof s === "number" ? [s] : s)));

// The array API's names for numpy functions.
export {
  arccos as acos, arcsin as asin, arctan as atan, arctan2 as atan2, arccosh as acosh, arcsinh as asinh, arctanh as atanh,
  bitwiseNot as bitwiseInvert, leftShift as bitwiseLeftShift, rightShift as bitwiseRightShift,
};
