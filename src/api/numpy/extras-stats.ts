// Statistics on top of the reductions and sort: quantiles (sort + gather, so they differentiate
// like JAX's), NaN-ignoring reductions, weighted averages, covariance, cumulative sums with an
// initial element. Semantics and output dtypes follow jax.numpy (median of int32 is float32, ...).
import { DType, isFloat } from "../../core/dtype.js";
import { NotImplementedError, ShapeError, ValueError, DTypeError } from "../../core/errors.js";
import { normAxes, normAxis, sizeOf } from "../../core/shape.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as A from "../../primitives/arith.js";
import * as S from "../../primitives/structural.js";
import { asArray, scalar } from "./creation.js";
import { dot } from "./linalg.js";
import { AxisValue, positionalOptions, reduceOptions } from "./options.js";
import * as R from "./reductions.js";
import { concatenate, diagonal, moveaxis, takeAlongAxis, transpose } from "./shape.js";
import { sort } from "./sorting.js";
import { broadcastTo_, clip, divide, isnan, logicalNot, multiply, promote, sqrt } from "./ufuncs.js";

type Rest = unknown[];
const k = (x: JaxArray, v: number) => broadcastTo_(scalar(v, x.dtype), x.shape);
const inexact = (op: string, x: ArrayLike) => promote(op, [x], "float")[0];

// ---- quantiles
export type QuantileMethod = "linear" | "lower" | "higher" | "midpoint" | "nearest" | "inverted_cdf";
export interface QuantileOptions { axis?: AxisValue; out?: null; overwriteInput?: boolean; method?: QuantileMethod; keepdims?: boolean; weights?: ArrayLike }
const Q_ORDER = ["axis", "out", "overwriteInput", "method", "keepdims", "weights"];
const METHODS = ["linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf"];

function quantileOf(op: string, x: ArrayLike, q: ArrayLike, rest: Rest, squashNans: boolean, scale = 1): JaxArray {
  const o = reduceOptions<QuantileOptions>(op, rest, Q_ORDER);
  const method = o.method ?? "linear";
  if (!METHODS.includes(method)) throw new ValueError(`${op}: method "${method}" is not one of ${METHODS.join(", ")}.`);
  if (o.overwriteInput) throw new ValueError(`${op}: overwriteInput is not supported (arrays are immutable).`);
  if (o.weights !== undefined) throw new NotImplementedError(`${op}: weights are not supported.`);
  const a0 = inexact(op, x);
  let qa = asArray(q);
  if (qa.ndim > 1) throw new ShapeError(`${op}: q must be a scalar or 1-d array, got shape [${qa.shape}].`);
  qa = A.convertElementType(qa, a0.dtype);
  if (scale !== 1) qa = A.div(qa, k(qa, scale));
  const axes = normAxes(op, o.axis, a0.ndim);
  const keep = a0.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keepShape = keep.map((i) => a0.shape[i]);
  const n = sizeOf(axes.map((i) => a0.shape[i]));
  // The reduced axes become one trailing axis; q's entries index along it.
  let a = S.reshape(S.transpose(a0, [...keep, ...axes]), [...keepShape, n]);
  const nanMask = isnan(a);
  if (!squashNans) a = A.select(broadcastTo_(R.any(nanMask, { axis: -1, keepdims: true }), a.shape), k(a, NaN), a);
  const sorted = sort(a, -1);
  const outShape = [...keepShape, qa.size];
  const cnt = squashNans ? broadcastTo_(R.sum(logicalNot(nanMask), { axis: -1, keepdims: true, dtype: a.dtype }), outShape) : scalar(n, a.dtype);
  const qb = broadcastTo_(S.reshape(qa, [qa.size]), outShape);
  const last = broadcastTo_(A.sub(cnt, k(cnt, 1)), outShape);
  const at = (pos: JaxArray) => {
    const i = A.convertElementType(A.max(A.min(pos, last), k(pos, 0)), "int32");
    return takeAlongAxis(sorted, i, -1, { mode: "clip" });
  };
  let r: JaxArray;
  // numpy's median of an empty axis is NaN.
  if (n === 0) r = broadcastTo_(scalar(NaN, a.dtype), outShape);
  else if (method === "inverted_cdf") {
    r = at(A.sub(A.ceil(A.mul(qb, broadcastTo_(cnt, outShape))), k(qb, 1)));
    if (squashNans) r = A.select(A.eq(broadcastTo_(cnt, outShape), k(r, 0)), k(r, NaN), r);
  } else {
    const pos = A.mul(qb, last);
    const lo = A.floor(pos), hi = A.ceil(pos), hw = A.sub(pos, lo);
    const lv = at(lo), hv = at(hi);
    r = method === "lower" ? lv : method === "higher" ? hv : method === "midpoint" ? A.mul(A.add(lv, hv), k(lv, 0.5))
      : method === "nearest" ? A.select(A.le(hw, k(hw, 0.5)), lv, hv) : A.add(A.mul(lv, A.sub(k(hw, 1), hw)), A.mul(hv, hw));
  }
  r = qa.ndim === 0 ? S.reshape(r, keepShape) : moveaxis(r, -1, 0);
  if (o.keepdims) r = S.reshape(r, [...(qa.ndim ? [qa.size] : []), ...a0.shape.map((d, i) => (axes.includes(i) ? 1 : d))]);
  return r;
}

/** quantile(a, q, axis?, out?, overwriteInput?, method = "linear", keepdims?): q in [0, 1], scalar or 1-d (its axis leads). */
export const quantile = (a: ArrayLike, q: ArrayLike, ...rest: Rest) => quantileOf("quantile", a, q, rest, false);
export const nanquantile = (a: ArrayLike, q: ArrayLike, ...rest: Rest) => quantileOf("nanquantile", a, q, rest, true);
/** As quantile with q in percent. */
export const percentile = (a: ArrayLike, q: ArrayLike, ...rest: Rest) => quantileOf("percentile", a, q, rest, false, 100);
export const nanpercentile = (a: ArrayLike, q: ArrayLike, ...rest: Rest) => quantileOf("nanpercentile", a, q, rest, true, 100);
const MED_ORDER = ["axis", "out", "overwriteInput", "keepdims"];
function med(op: string, nan: boolean) {
  return (a: ArrayLike, ...rest: Rest) => {
    const o = reduceOptions<QuantileOptions>(op, rest, MED_ORDER);
    return quantileOf(op, a, 0.5, [{ ...o, method: "midpoint" }], nan);
  };
}
/** median(a, axis?, out?, overwriteInput?, keepdims?): the midpoint of the two middle values. */
export const median = med("median", false);
export const nanmedian = med("nanmedian", true);

// ---- NaN-ignoring reductions
const nanFree = (a: JaxArray, fill: number) => (isFloat(a.dtype) ? A.select(A.ne(a, a), k(a, fill), a) : a);
const allNan = (a: JaxArray, axis: unknown, keepdims?: boolean) => R.all(isnan(a), { axis: axis as AxisValue, keepdims });

export const nansum = (a: ArrayLike, ...rest: Rest) => R.sum(nanFree(asArray(a), 0), reduceOptions<R.ReduceOptions>("nansum", rest, ["axis", "dtype", "out", "keepdims", "initial", "where"]));
export const nanprod = (a: ArrayLike, ...rest: Rest) => R.prod(nanFree(asArray(a), 1), reduceOptions<R.ReduceOptions>("nanprod", rest, ["axis", "dtype", "out", "keepdims", "initial", "where"]));

function nanExtreme(op: string, f: typeof R.max, fill: number) {
  return (x: ArrayLike, ...rest: Rest) => {
    const o = reduceOptions<R.ReduceOptions>(op, rest, ["axis", "out", "keepdims", "initial", "where"]);
    const a = asArray(x);
    const r = f(nanFree(a, fill), o);
    // All-NaN slices are NaN unless an initial value stands in for them.
    return isFloat(a.dtype) && o.initial === undefined ? A.select(allNan(a, o.axis, o.keepdims), k(r, NaN), r) : r;
  };
}
export const nanmax = nanExtreme("nanmax", R.max, -Infinity);
export const nanmin = nanExtreme("nanmin", R.min, Infinity);

export function nanmean(x: ArrayLike, ...rest: Rest): JaxArray {
  const o = reduceOptions<R.ReduceOptions>("nanmean", rest, ["axis", "dtype", "out", "keepdims", "where"]);
  const a = asArray(x);
  if (!isFloat(a.dtype)) return R.mean(a, o);
  const dtype = o.dtype ?? a.dtype;
  const s = R.sum(nanFree(a, 0), { ...o, dtype });
  return A.div(s, R.sum(logicalNot(isnan(a)), { axis: o.axis, keepdims: o.keepdims, where: o.where, dtype }));
}

export interface NanVarOptions extends R.ReduceOptions { ddof?: number; mean?: ArrayLike }
const VAR_ORDER = ["axis", "dtype", "out", "ddof", "keepdims", "where", "mean"];
function nanvarOf(op: string, x: ArrayLike, rest: Rest): JaxArray {
  const o = reduceOptions<NanVarOptions>(op, rest, VAR_ORDER);
  let a = asArray(x);
  if (!isFloat(a.dtype)) a = A.convertElementType(a, "float32");
  const m = o.mean !== undefined ? A.convertElementType(asArray(o.mean), a.dtype) : nanmean(a, { axis: o.axis, keepdims: true, where: o.where });
  const nan = isnan(a);
  const c = A.select(nan, k(a, 0), A.sub(a, broadcastTo_(m, a.shape)));
  const opts = { axis: o.axis, keepdims: o.keepdims, where: o.where };
  const nrm = A.sub(R.sum(logicalNot(nan), { ...opts, dtype: a.dtype }), o.ddof ?? 0);
  const bad = A.le(nrm, k(nrm, 0));
  const r = A.div(R.sum(A.square(c), opts), A.select(bad, k(nrm, 1), nrm));
  const out = A.select(bad, k(r, NaN), r);
  return o.dtype ? A.convertElementType(out, o.dtype) : out;
}
export const nanvar = (x: ArrayLike, ...rest: Rest) => nanvarOf("nanvar", x, rest);
export const nanstd = (x: ArrayLike, ...rest: Rest) => sqrt(nanvarOf("nanstd", x, rest));

function nanArg(op: string, f: typeof R.argmax, fill: number) {
  return (x: ArrayLike, ...rest: Rest) => {
    const o = reduceOptions<R.ArgOptions>(op, rest, ["axis", "out", "keepdims"]);
    const a = asArray(x);
    const r = f(nanFree(a, fill), o);
    // An all-NaN slice has no answer: -1, as JAX.
    return isFloat(a.dtype) ? A.select(allNan(a, o.axis ?? null, o.keepdims), k(r, -1), r) : r;
  };
}
export const nanargmax = nanArg("nanargmax", R.argmax, -Infinity);
export const nanargmin = nanArg("nanargmin", R.argmin, Infinity);

const CUM_ORDER = ["axis", "dtype", "out"];
export const nancumsum = (x: ArrayLike, ...rest: Rest) => R.cumsum(nanFree(asArray(x), 0), reduceOptions<{ axis?: number | null; dtype?: DType }>("nancumsum", rest, CUM_ORDER));
export const nancumprod = (x: ArrayLike, ...rest: Rest) => R.cumprod(nanFree(asArray(x), 1), reduceOptions<{ axis?: number | null; dtype?: DType }>("nancumprod", rest, CUM_ORDER));

// ---- cumulative sums with an initial element (the array API's names)
export interface CumulativeOptions { axis?: number | null; dtype?: DType; includeInitial?: boolean }
function cumulativeOf(op: string, f: typeof R.cumsum, init: number) {
  return (x: ArrayLike, ...rest: Rest): JaxArray => {
    const o = positionalOptions<CumulativeOptions>(op, rest.length === 1 && (typeof rest[0] === "number" || rest[0] === null) ? [{ axis: rest[0] }] : rest, ["axis", "dtype", "includeInitial"]);
    let a = asArray(x);
    if (a.ndim === 0) throw new ValueError(`${op}: needs an array with at least one axis, got a scalar.`);
    if (o.axis == null && a.ndim > 1) throw new ValueError(`${op}: an input of rank ${a.ndim} needs an explicit axis.`);
    const axis = normAxis(op, o.axis ?? 0, a.ndim);
    if (o.dtype === "bool" && a.dtype !== "bool") a = A.ne(a, k(a, 0));
    let r = f(a, { axis, dtype: o.dtype === "bool" ? undefined : o.dtype });
    if (o.dtype === "bool") r = A.convertElementType(r, "bool");
    if (!o.includeInitial) return r;
    const first = broadcastTo_(scalar(init, r.dtype), r.shape.map((d, i) => (i === axis ? 1 : d)));
    return S.concatenate([first, r], axis);
  };
}
export const cumulativeSum = cumulativeOf("cumulativeSum", R.cumsum, 0);
export const cumulativeProd = cumulativeOf("cumulativeProd", R.cumprod, 1);

// ---- simple statistics
/** Peak to peak: max - min along the axes. */
export function ptp(x: ArrayLike, ...rest: Rest): JaxArray {
  const o = reduceOptions<R.ReduceOptions>("ptp", rest, ["axis", "out", "keepdims"]);
  const a = asArray(x);
  return A.sub(R.max(a, o), R.min(a, o));
}

/** The number of non-zero elements (int32). */
export function countNonzero(x: ArrayLike, ...rest: Rest): JaxArray {
  const o = reduceOptions<R.ReduceOptions>("countNonzero", rest, ["axis", "keepdims"]);
  const a = asArray(x);
  return R.sum(A.ne(a, k(a, 0)), { ...o, dtype: "int32" });
}

export interface AverageOptions { axis?: AxisValue; weights?: ArrayLike | null; returned?: boolean; keepdims?: boolean }
/** average(a, axis?, weights?, returned?, keepdims?): the weighted mean; returned adds the sum of weights. */
export function average(x: ArrayLike, ...rest: Rest): JaxArray | [JaxArray, JaxArray] {
  const o = rest.length === 1 && !isOpts(rest[0]) ? { axis: rest[0] as AxisValue } : positionalOptions<AverageOptions>("average", rest, ["axis", "weights", "returned", "keepdims"]);
  let a = asArray(x);
  const axes = normAxes("average", o.axis, a.ndim);
  let avg: JaxArray, wsum: JaxArray;
  if (o.weights == null) {
    a = inexact("average", a);
    avg = R.mean(a, { axis: axes, keepdims: o.keepdims });
    wsum = scalar(sizeOf(axes.map((i) => a.shape[i])), avg.dtype);
  } else {
    let w: JaxArray;
    [a, w] = promote("average", [a, o.weights], "float");
    if (w.shape.join() !== a.shape.join()) {
      if (o.axis == null) throw new ShapeError(`average: weights of shape [${w.shape}] differ from the array's [${a.shape}]; pass their axis.`);
      // Weights follow the order of `axis`; put their dims in the array's axis order.
      const given = (typeof o.axis === "number" ? [o.axis] : [...o.axis]).map((ax) => normAxis("average", ax, a.ndim));
      const want = given.map((i) => a.shape[i]);
      if (w.shape.join() !== want.join()) throw new ShapeError(`average: weights of shape [${w.shape}] must be [${want}] (the array's shape along axis ${JSON.stringify(o.axis)}).`);
      const order = given.map((ax, i) => [ax, i]).sort((p, q) => p[0] - q[0]).map((p) => p[1]);
      w = S.reshape(transpose(w, order), a.shape.map((d, i) => (axes.includes(i) ? d : 1)));
      w = broadcastTo_(w, a.shape);
    }
    wsum = R.sum(w, { axis: axes, keepdims: o.keepdims });
    avg = A.div(R.sum(A.mul(a, w), { axis: axes, keepdims: o.keepdims }), wsum);
  }
  return o.returned ? [avg, broadcastTo_(wsum, avg.shape)] : avg;
}
const isOpts = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof JaxArray);

export interface CovOptions { y?: ArrayLike | null; rowvar?: boolean; bias?: boolean; ddof?: number | null; fweights?: ArrayLike | null; aweights?: ArrayLike | null; dtype?: DType }
const COV_ORDER = ["y", "rowvar", "bias", "ddof", "fweights", "aweights", "dtype"];

const atleast2d = (x: JaxArray) => (x.ndim >= 2 ? x : S.reshape(x, [1, x.size]));

/** cov(m, y?, rowvar = true, bias = false, ddof?, fweights?, aweights?, dtype?): the covariance matrix (squeezed). */
export function cov(m: ArrayLike, ...rest: Rest): JaxArray {
  const o = positionalOptions<CovOptions>("cov", rest.map((v) => (v === null ? undefined : v)), COV_ORDER as (keyof CovOptions & string)[], isOpts);
  const rowvar = o.rowvar ?? true;
  if (o.dtype !== undefined && !isFloat(o.dtype)) throw new DTypeError(`cov: dtype must be a float dtype, got ${o.dtype}.`);
  let [x, y] = o.y != null ? promote("cov", [m, o.y], "float") : [inexact("cov", m), null];
  if (x.ndim > 2 || (y && y.ndim > 2)) throw new ShapeError(`cov: m and y must have at most 2 dimensions, got shapes [${x.shape}]${y ? ` and [${y.shape}]` : ""}.`);
  let X = atleast2d(x);
  if (!rowvar && x.ndim !== 1) X = transpose(X);
  if (X.shape[0] === 0) return S.reshape(X, [0, 0]);
  if (y) {
    let Y = atleast2d(y);
    if (!rowvar && Y.shape[0] !== 1) Y = transpose(Y);
    X = concatenate([X, Y], 0);
  }
  if (o.dtype) X = A.convertElementType(X, o.dtype);
  const nobs = X.shape[1], nvar = X.shape[0];
  if (nobs === 0) return broadcastTo_(scalar(NaN, X.dtype), nvar === 1 ? [] : [nvar, nvar]);
  const ddof = o.ddof ?? (o.bias ? 0 : 1);
  let w: JaxArray | null = null, aw: JaxArray | null = null;
  const checkW = (name: string, v: ArrayLike) => {
    const t = asArray(v);
    if (t.ndim !== 1 || t.shape[0] !== nobs) throw new ShapeError(`cov: ${name} must have shape [${nobs}] (one per observation), got [${t.shape}].`);
    return A.abs(t);
  };
  if (o.fweights != null) {
    w = checkW("fweights", o.fweights);
    if (isFloat(w.dtype) || w.dtype === "bool") throw new DTypeError(`cov: fweights must be integers, got ${w.dtype}.`);
  }
  if (o.aweights != null) { aw = checkW("aweights", o.aweights); w = w ? multiply(w, aw) : aw; }
  if (w) w = A.convertElementType(w, X.dtype);
  const [avg, wsum] = average(X, 1, w, true) as [JaxArray, JaxArray];
  const ws = S.reshape(S.slice(wsum, [0], [1]), []);
  let f: JaxArray;
  if (!w) f = scalar(nobs - ddof, X.dtype);
  else if (ddof === 0) f = ws;
  else if (!aw) f = A.sub(ws, ddof);
  else f = A.sub(ws, A.div(A.mul(R.sum(A.mul(w, A.convertElementType(aw, X.dtype))), ddof), ws));
  const Xc = A.sub(X, broadcastTo_(S.reshape(avg, [nvar, 1]), X.shape));
  const Xt = transpose(w ? A.mul(Xc, broadcastTo_(w, Xc.shape)) : Xc);
  const c = divide(dot(Xc, Xt), f);
  return S.reshape(c, c.shape.filter((d) => d !== 1));
}

/** Pearson correlation coefficients, clipped to [-1, 1]. */
export function corrcoef(x: ArrayLike, ...rest: Rest): JaxArray {
  const o = positionalOptions<Pick<CovOptions, "y" | "rowvar" | "dtype">>("corrcoef", rest.map((v) => (v === null ? undefined : v)), ["y", "rowvar", "dtype"], isOpts);
  const c = cov(x, { y: o.y, rowvar: o.rowvar, dtype: o.dtype });
  if (c.ndim === 0) return A.div(c, c);
  const sd = sqrt(diagonal(c));
  const n = sd.shape[0];
  const r = A.div(A.div(c, broadcastTo_(S.reshape(sd, [n, 1]), c.shape)), broadcastTo_(S.reshape(sd, [1, n]), c.shape));
  return clip(r, -1, 1);
}
