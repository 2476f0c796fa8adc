// Reductions with numpy's axis/keepdims options, and cumulative sums/products.
import { DType, isFloat } from "../../core/dtype.js";
import { normAxes, normAxis, sizeOf } from "../../core/shape.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as A from "../../primitives/arith.js";
import * as M from "../../primitives/math.js";
import * as R from "../../primitives/reduce.js";
import { softmax } from "../../primitives/softmax.js";
import { reduceSum, reshape } from "../../primitives/structural.js";
import { asArray, scalar } from "./creation.js";
import { broadcastTo_, toBool } from "./ufuncs.js";
import { axisOptions, AxisValue } from "./options.js";

export interface ReduceOptions {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
  dtype?: DType;
}

function finish(x: JaxArray, r: JaxArray, axes: number[], keepdims?: boolean): JaxArray {
  if (!keepdims) return r;
  return reshape(r, x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
}

function reducer(op: string, f: (x: JaxArray, axes: number[]) => JaxArray, prep?: (x: JaxArray) => JaxArray) {
  return (x: ArrayLike, options?: ReduceOptions | AxisValue): JaxArray => {
    const opts = axisOptions<ReduceOptions>(op, options, "axis, keepdims, dtype");
    let a = asArray(x);
    if (opts.dtype) a = A.convertElementType(a, opts.dtype);
    if (prep) a = prep(a);
    const axes = normAxes(op, opts.axis, a.ndim);
    return finish(a, axes.length ? f(a, axes) : a, axes, opts.keepdims);
  };
}

// numpy sums bool as int; JAX sums ints in their own dtype (x32 mode).
const intSum = (x: JaxArray) => (x.dtype === "bool" ? A.convertElementType(x, "int32") : x);

export const sum = reducer("sum", reduceSum, intSum);
export const prod = reducer("prod", R.reduceProd, intSum);
export const max = reducer("max", R.reduceMax);
export const min = reducer("min", R.reduceMin);
export const amax = max;
export const amin = min;
export const all = reducer("all", R.reduceAnd, toBool);
export const any = reducer("any", R.reduceOr, toBool);

export function mean(x: ArrayLike, options?: ReduceOptions | AxisValue): JaxArray {
  const opts = axisOptions<ReduceOptions>("mean", options, "axis, keepdims, dtype");
  let a = asArray(x);
  if (!isFloat(a.dtype)) a = A.convertElementType(a, opts.dtype ?? "float32");
  const axes = normAxes("mean", opts.axis, a.ndim);
  const n = sizeOf(axes.map((i) => a.shape[i]));
  const s = sum(a, { axis: axes, keepdims: opts.keepdims });
  return A.div(s, broadcastTo_(scalar(n, s.dtype), s.shape));
}

export interface VarOptions extends ReduceOptions { ddof?: number }

export function variance(x: ArrayLike, options?: VarOptions | AxisValue): JaxArray {
  const opts = axisOptions<VarOptions>("var", options, "axis, keepdims, ddof");
  let a = asArray(x);
  if (!isFloat(a.dtype)) a = A.convertElementType(a, "float32");
  const axes = normAxes("var", opts.axis, a.ndim);
  const n = sizeOf(axes.map((i) => a.shape[i]));
  const centered = A.sub(a, broadcastTo_(mean(a, { axis: axes, keepdims: true }), a.shape));
  const ss = sum(A.square(centered), { axis: axes, keepdims: opts.keepdims });
  return A.div(ss, broadcastTo_(scalar(Math.max(0, n - (opts.ddof ?? 0)), ss.dtype), ss.shape));
}
export { variance as var };

export function std(x: ArrayLike, options?: VarOptions | AxisValue): JaxArray {
  return M.sqrt(variance(x, axisOptions<VarOptions>("std", options, "axis, keepdims, ddof")));
}

export interface ArgOptions { axis?: number | null; keepdims?: boolean }

function argReducer(op: string, f: (x: JaxArray, axis: number) => JaxArray) {
  return (x: ArrayLike, options?: ArgOptions | number | null): JaxArray => {
    const opts = axisOptions<ArgOptions>(op, options);
    let a = asArray(x);
    if (opts.axis === undefined || opts.axis === null) {
      const r = f(reshape(a, [a.size]), 0);
      return opts.keepdims ? reshape(r, a.shape.map(() => 1)) : r;
    }
    const axis = normAxis(op, opts.axis, a.ndim);
    if (a.dtype === "bool") a = A.convertElementType(a, "int32");
    const r = f(a, axis);
    return opts.keepdims ? reshape(r, a.shape.map((d, i) => (i === axis ? 1 : d))) : r;
  };
}
export const argmax = argReducer("argmax", (x, axis) => R.argmax(x, axis));
export const argmin = argReducer("argmin", (x, axis) => R.argmin(x, axis));

function cumulative(op: string, p: typeof R.cumsumP) {
  return (x: ArrayLike, options?: { axis?: number | null; dtype?: DType } | number | null): JaxArray => {
    const opts = axisOptions<{ axis?: number | null; dtype?: DType }>(op, options, "axis, dtype");
    let a = asArray(x);
    if (opts.dtype) a = A.convertElementType(a, opts.dtype);
    if (a.dtype === "bool") a = A.convertElementType(a, "int32");
    if (opts.axis === undefined || opts.axis === null) return R.cumulative(p, reshape(a, [a.size]), 0);
    return R.cumulative(p, a, normAxis(op, opts.axis, a.ndim));
  };
}
export const cumsum = cumulative("cumsum", R.cumsumP);
export const cumprod = cumulative("cumprod", R.cumprodP);

/** log(sum(exp(x))) computed stably (the max is subtracted first and added back). */
export function logsumexp(x: ArrayLike, options?: { axis?: AxisValue; keepdims?: boolean } | AxisValue): JaxArray {
  const opts = axisOptions<{ axis?: AxisValue; keepdims?: boolean }>("logsumexp", options);
  let a = asArray(x);
  if (!isFloat(a.dtype)) a = A.convertElementType(a, "float32");
  const axes = normAxes("logsumexp", opts.axis, a.ndim);
  return softmax(a, "logsumexp", axes, !!opts.keepdims);
}
