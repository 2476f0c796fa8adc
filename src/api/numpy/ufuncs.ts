// numpy's elementwise functions: promotion (JAX's lattice with weak JS numbers), broadcasting, and
// the compositions numpy defines on top of lax (floor_divide, mod, isnan, ...).
import { full as fullP } from "../../primitives/helpers.js";
import { ShapedArray } from "../../core/aval.js";
import { checkDType, DType, isFloat, promoteTypes } from "../../core/dtype.js";
import { DTypeError, NotImplementedError, ValueError } from "../../core/errors.js";
import { Primitive } from "../../core/primitive.js";
import { broadcastShapes, shapesEqual } from "../../core/shape.js";
import { bind1 } from "../../core/trace.js";
import { isPlainObject } from "../../core/transform-args.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as A from "../../primitives/arith.js";
import * as M from "../../primitives/math.js";
import { broadcastInDim } from "../../primitives/structural.js";
import { asArray, scalar, scalarConstant } from "./creation.js";

/** Converts operands to arrays of one dtype (JAX promotion; JS numbers are weak). */
export function promote(op: string, xs: ArrayLike[], atLeast?: "float"): JaxArray[] {
  const arrs = xs.map((x) => (x instanceof JaxArray ? x : null));
  let dtype: DType | null = null;
  let weak = true;
  const kinds = xs.map((x) => {
    if (x instanceof JaxArray) return { dtype: x.dtype, weak: x.weakType };
    if (typeof x === "number") return { dtype: (Number.isInteger(x) ? "int32" : "float32") as DType, weak: true };
    if (typeof x === "boolean") return { dtype: "bool" as DType, weak: false };
    const a = asArray(x);
    return { dtype: a.dtype, weak: false };
  });
  for (const k of kinds) {
    dtype = dtype === null ? k.dtype : promoteTypes(dtype, weak, k.dtype, k.weak);
    weak = weak && k.weak;
  }
  if (dtype === null) throw new DTypeError(`${op}: no operands.`);
  if (atLeast === "float" && !isFloat(dtype)) { dtype = "float32"; }
  const d = dtype;
  return xs.map((x, i) => {
    const a = arrs[i];
    if (a) return A.convertElementType(a, d, weak);
    if (typeof x === "number" && (d === "int32" || d === "uint32")) checkFits(op, x, d);
    if (typeof x === "number" || typeof x === "boolean") return scalarConstant(+x, d, weak);
    return A.convertElementType(asArray(x), d, weak);
  });
}

/**
 * A whole JS number meeting an integer array is parsed as int32 first, as JAX parses a Python int
 * with 64-bit types off: outside int32's range it is JAX's OverflowError; inside, a uint32 operand
 * takes it modulo 2^32 (u * -1 wraps, as in JAX).
 */
function checkFits(op: string, x: number, d: "int32" | "uint32"): void {
  if (x < -2147483648 || x > 2147483647) {
    throw new DTypeError(`${op}: the JS number ${x} does not fit in int32 (-2147483648 to 2147483647), the type JAX parses a ` +
      `Python int as next to an ${d} array (JAX raises OverflowError). Make it an array of the dtype you mean first, ` +
      `e.g. jnp.array(${x}, { dtype: "${d === "uint32" && x > 0 && x <= 4294967295 ? "uint32" : "float32"}" }).`);
  }
}

/**
 * Broadcasts non-scalar arrays to their common shape (numpy rules); scalars stay scalars, which
 * elementwise primitives accept. `op` names the caller in errors.
 */
export function broadcastOperands(op: string, xs: JaxArray[]): JaxArray[] {
  const shape = broadcastShapes(op, ...xs.map((x) => x.shape));
  return xs.map((x) => (x.ndim === 0 ? x : broadcastTo_(x, shape)));
}

/** Broadcasts arrays to their common shape (numpy rules); `op` names the caller in errors. */
export function broadcastAll(op: string, xs: JaxArray[]): JaxArray[] {
  const shape = broadcastShapes(op, ...xs.map((x) => x.shape));
  return xs.map((x) => broadcastTo_(x, shape));
}

export function broadcastTo_(x: JaxArray, shape: readonly number[]): JaxArray {
  if (shapesEqual(x.shape, shape)) return x;
  const off = shape.length - x.ndim;
  return broadcastInDim(x, shape, x.shape.map((_, i) => i + off));
}

function binary(op: string, p: Primitive, atLeast?: "float", onBool?: Primitive) {
  return (x: ArrayLike, y: ArrayLike): JaxArray => {
    const [a, b] = broadcastOperands(op, promote(op, [x, y], atLeast));
    return bind1(onBool && a.dtype === "bool" ? onBool : p, [a, b]);
  };
}

function unary(p: Primitive, float = false) {
  return (x: ArrayLike): JaxArray => {
    let a = asArray(x);
    if (float && !isFloat(a.dtype)) a = A.convertElementType(a, "float32", a.weakType);
    return bind1(p, [a]);
  };
}

// ---- arithmetic
// numpy adds bools as logical or and multiplies them as logical and.
export const add = binary("add", A.addP, undefined, A.orP);
export const subtract = binary("subtract", A.subP);
export const multiply = binary("multiply", A.mulP, undefined, A.andP);
export const divide = binary("divide", A.divP, "float");
export const trueDivide = divide;
export const maximum = binary("maximum", A.maxP);
export const minimum = binary("minimum", A.minP);
export const arctan2 = binary("arctan2", M.atan2P, "float");
/** C's fmod: the result has the sign of the dividend. */
export function fmod(x: ArrayLike, y: ArrayLike): JaxArray {
  const [a, b] = broadcastAll("fmod", promote("fmod", [x, y]));
  if (a.dtype === "bool") throw new DTypeError("fmod: not defined for bool arrays.");
  return A.rem(a, nonzeroDivisor(b));
}

/** An integer divisor of 0 counts as 1 in remainder/fmod (x % 0 is 0), as in JAX; floats keep it (NaN). */
function nonzeroDivisor(b: JaxArray): JaxArray {
  if (isFloat(b.dtype) || b.dtype === "bool") return b;
  const zero = scalarLike(b, 0);
  return A.select(A.eq(b, zero), scalarLike(b, 1), b);
}
export const bitwiseAnd = binary("bitwise_and", A.andP);
export const bitwiseOr = binary("bitwise_or", A.orP);
export const bitwiseXor = binary("bitwise_xor", A.xorP);
export const leftShift = binary("left_shift", A.shiftLeftP);
export const rightShift = binary("right_shift", A.shiftRightP);

function logical(op: string, p: Primitive) {
  return (x: ArrayLike, y: ArrayLike) => {
    const [a, b] = broadcastOperands(op, [toBool(asArray(x)), toBool(asArray(y))]);
    return bind1(p, [a, b]);
  };
}
export const logicalAnd = logical("logical_and", A.andP);
export const logicalOr = logical("logical_or", A.orP);
export const logicalXor = logical("logical_xor", A.xorP);
export const logicalNot = (x: ArrayLike) => A.bitwiseNot(toBool(asArray(x)));
export const bitwiseNot = (x: ArrayLike) => A.bitwiseNot(asArray(x));
export const invert = bitwiseNot;

export function toBool(x: JaxArray): JaxArray {
  return x.dtype === "bool" ? x : A.ne(x, scalarLike(x, 0));
}

function scalarLike(x: JaxArray, v: number): JaxArray {
  return broadcastTo_(scalar(v, x.dtype, x.weakType), x.shape);
}

// ---- comparisons
export const equal = binary("equal", A.eqP);
export const notEqual = binary("not_equal", A.neP);
export const less = binary("less", A.ltP);
export const lessEqual = binary("less_equal", A.leP);
export const greater = binary("greater", A.gtP);
export const greaterEqual = binary("greater_equal", A.geP);

/** numpy's power: a JS integer exponent uses integer_pow (exact for ints, cheap for floats). */
export function power(x: ArrayLike, y: ArrayLike): JaxArray {
  if (typeof y === "number" && Number.isInteger(y) && Math.abs(y) <= 64) {
    const a = asArray(x);
    // A negative exponent of an integer array raises in integer_pow, as in JAX.
    if (a.dtype !== "bool") return y === 2 ? A.square(a) : A.integerPow(a, y);
  }
  const [a, b] = broadcastAll("power", promote("power", [x, y]));
  if (!isFloat(a.dtype) && a.dtype === "bool") throw new DTypeError("power: not defined for bool arrays.");
  return M.pow(a, b);
}
export const pow = power;

/** Python-style modulo: the result has the sign of the divisor. */
export function mod(x: ArrayLike, y: ArrayLike): JaxArray {
  const [a, b0] = broadcastAll("mod", promote("mod", [x, y]));
  const b = nonzeroDivisor(b0);
  if (a.dtype === "uint32") return A.rem(a, b);
  const r = A.rem(a, b);
  const zero = scalarLike(r, 0);
  const fix = A.bitwiseAnd(A.ne(r, zero), A.ne(A.lt(r, zero), A.lt(b, zero)));
  return A.select(fix, A.add(r, b), r);
}
export const remainder = mod;

export function floorDivide(x: ArrayLike, y: ArrayLike): JaxArray {
  const [a, b] = broadcastAll("floor_divide", promote("floor_divide", [x, y]));
  if (a.dtype === "uint32") return A.div(a, b);
  if (!isFloat(a.dtype)) {
    const q = A.div(a, b);
    const zero = scalarLike(a, 0);
    const fix = A.bitwiseAnd(A.ne(A.sign(a), A.sign(b)), A.ne(A.rem(a, b), zero));
    return A.select(fix, A.sub(q, scalarLike(q, 1)), q);
  }
  const m = A.rem(a, b);
  // Division by zero keeps x (so x // 0 is +-inf, not NaN), as JAX's _float_divmod does.
  let d = A.div(A.select(A.eq(b, scalarLike(b, 0)), a, A.sub(a, m)), b);
  const zero = scalarLike(a, 0);
  const fix = A.bitwiseAnd(A.ne(m, zero), A.ne(A.sign(b), A.sign(m)));
  d = A.select(fix, A.sub(d, scalarLike(d, 1)), d);
  return A.round(d);
}

export function divmod(x: ArrayLike, y: ArrayLike): [JaxArray, JaxArray] {
  return [floorDivide(x, y), mod(x, y)];
}

// ---- unary
export const negative = unary(A.negP);
export const positive = (x: ArrayLike) => asArray(x);
export const abs = unary(A.absP);
export const absolute = abs;
export const sign = unary(A.signP);
export const floor = (x: ArrayLike) => { const a = asArray(x); return isFloat(a.dtype) ? A.floor(a) : a; };
export const ceil = (x: ArrayLike) => { const a = asArray(x); return isFloat(a.dtype) ? A.ceil(a) : a; };
/** numpy's round to `decimals` places, halves to even; floats scale by 10^decimals first, as JAX does. */
export function round(x: ArrayLike, decimals = 0): JaxArray {
  const a = asArray(x);
  if (!Number.isInteger(decimals)) throw new ValueError(`round: decimals must be an integer, got ${decimals}.`);
  if (!isFloat(a.dtype)) {
    if (decimals < 0) throw new NotImplementedError("round: integer arrays with decimals < 0 are not supported (nor in JAX).");
    return a;
  }
  if (decimals === 0) return A.round(a);
  if (decimals > Math.log10(a.dtype === "float64" ? Number.MAX_VALUE : 3.4028234663852886e38)) return a;
  const factor = fullP(a.shape, 10 ** decimals, a.dtype);
  return A.div(A.round(A.mul(a, factor)), factor);
}
export const around = round;
export const rint = (x: ArrayLike) => round(x);
export function trunc(x: ArrayLike): JaxArray {
  const a = asArray(x);
  if (!isFloat(a.dtype)) return a;
  return A.select(A.lt(a, scalarLike(a, 0)), A.ceil(a), A.floor(a));
}
export const fix = trunc;
export const square = (x: ArrayLike) => A.square(asArray(x));
export const sqrt = unary(M.sqrtP, true);
export const rsqrt = unary(M.rsqrtP, true);
export const cbrt = unary(M.cbrtP, true);
export const exp = unary(M.expP, true);
export const exp2 = unary(M.exp2P, true);
export const expm1 = unary(M.expm1P, true);
export const log = unary(M.logP, true);
export const log1p = unary(M.log1pP, true);
export const sin = unary(M.sinP, true);
export const cos = unary(M.cosP, true);
export const tan = unary(M.tanP, true);
export const arcsin = unary(M.asinP, true);
export const arccos = unary(M.acosP, true);
export const arctan = unary(M.atanP, true);
export const sinh = unary(M.sinhP, true);
export const cosh = unary(M.coshP, true);
export const tanh = unary(M.tanhP, true);
export const arcsinh = unary(M.asinhP, true);
export const arccosh = unary(M.acoshP, true);
export const arctanh = unary(M.atanhP, true);
export const erf = unary(M.erfP, true);
export const sigmoid = unary(M.logisticP, true);
export function log2(x: ArrayLike): JaxArray {
  const a = log(x);
  return A.div(a, scalarLike(a, Math.LN2));
}
export function log10(x: ArrayLike): JaxArray {
  const a = log(x);
  return A.div(a, scalarLike(a, Math.LN10));
}
export function reciprocal(x: ArrayLike): JaxArray {
  const [a] = promote("reciprocal", [x], "float");
  return A.div(scalarLike(a, 1), a);
}
export const deg2rad = (x: ArrayLike) => multiply(promote("deg2rad", [x], "float")[0], Math.PI / 180);
export const rad2deg = (x: ArrayLike) => multiply(promote("rad2deg", [x], "float")[0], 180 / Math.PI);
export const radians = deg2rad;
export const degrees = rad2deg;

export function isnan(x: ArrayLike): JaxArray {
  const a = asArray(x);
  return isFloat(a.dtype) ? A.ne(a, a) : broadcastTo_(scalar(0, "bool"), a.shape);
}
export function isinf(x: ArrayLike): JaxArray {
  const a = asArray(x);
  return isFloat(a.dtype) ? A.eq(A.abs(a), scalarLike(a, Infinity)) : broadcastTo_(scalar(0, "bool"), a.shape);
}
export function isfinite(x: ArrayLike): JaxArray {
  const a = asArray(x);
  return isFloat(a.dtype) ? A.lt(A.abs(a), scalarLike(a, Infinity)) : broadcastTo_(scalar(1, "bool"), a.shape);
}

export function hypot(x: ArrayLike, y: ArrayLike): JaxArray {
  const [a, b] = broadcastAll("hypot", promote("hypot", [x, y], "float"));
  return M.sqrt(A.add(A.square(a), A.square(b)));
}

/** log(exp(x) + exp(y)) without overflow. */
export function logaddexp(x: ArrayLike, y: ArrayLike): JaxArray {
  const [a, b] = broadcastAll("logaddexp", promote("logaddexp", [x, y], "float"));
  const m = A.max(a, b);
  const d = A.neg(A.abs(A.sub(a, b)));
  const r = A.add(m, M.log1p(M.exp(d)));
  return A.select(A.ne(d, d), A.add(a, b), r); // inf - inf is nan: fall back to a + b
}

type NonzeroOpts = { size?: number; fillValue?: ArrayLike | readonly number[] };
/** Set by extras-sets.ts (which imports this module) so that one-argument where can be nonzero. */
export const whereHooks: { nonzero?: (c: ArrayLike, o?: NonzeroOpts) => JaxArray[] } = {};
/** where(cond, x, y) elementwise; where(cond, { size, fillValue }) is nonzero(cond, ...), as JAX's. */
export function where(cond: ArrayLike, x: ArrayLike, y: ArrayLike): JaxArray;
export function where(cond: ArrayLike, opts?: NonzeroOpts): JaxArray[];
export function where(cond: ArrayLike, x?: ArrayLike | NonzeroOpts, y?: ArrayLike): JaxArray | JaxArray[] {
  if (y === undefined && (x === undefined || isPlainObject(x))) return whereHooks.nonzero!(cond, x as NonzeroOpts);
  if (x === undefined || y === undefined) throw new ValueError("where: pass both x and y (where(cond, x, y)), or neither (where(cond) is nonzero(cond)).");
  const c = toBool(asArray(cond));
  const [a, b] = promote("where", [x as ArrayLike, y]);
  const [cc, aa, bb] = broadcastAll("where", [c, a, b]);
  return A.select(cc, aa, bb);
}

/** clip(x, min?, max?) or clip(x, { min, max }) (JAX's keyword names). */
export function clip(x: ArrayLike, min?: ArrayLike | null | { min?: ArrayLike | null; max?: ArrayLike | null }, max?: ArrayLike | null): JaxArray {
  if (typeof min === "object" && min !== null && !Array.isArray(min) && !(min instanceof JaxArray)) {
    if (max !== undefined) throw new ValueError("clip: pass the bounds positionally (clip(x, min, max)) or as one options object { min, max }, not both.");
    ({ min, max } = min as { min?: ArrayLike | null; max?: ArrayLike | null });
  }
  let r = asArray(x);
  if (min !== undefined && min !== null) r = maximum(r, min);
  if (max !== undefined && max !== null) r = minimum(r, max);
  return r;
}

export function astype(x: ArrayLike, dtype: DType): JaxArray {
  return A.convertElementType(asArray(x), checkDType(dtype, "astype"));
}

export type { ShapedArray };
