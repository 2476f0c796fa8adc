// Reductions with numpy's axis/keepdims options, and cumulative sums/products.
import { DType, isFloat } from "../../core/dtype.js";
import { broadcastShapes, normAxes, normAxis, sizeOf } from "../../core/shape.js";
import { ShapeError, ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as A from "../../primitives/arith.js";
import * as M from "../../primitives/math.js";
import * as R from "../../primitives/reduce.js";
import { softmax } from "../../primitives/softmax.js";
import { reduceSum, reshape } from "../../primitives/structural.js";
import { asArray, scalar } from "./creation.js";
import { broadcastTo_, toBool } from "./ufuncs.js";
import { axisOptions, AxisValue, reduceOptions } from "./options.js";

export interface ReduceOptions {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
  dtype?: DType;
  /** Combined into the result, as numpy's `initial` (required by max/min over empty or masked axes). */
  initial?: number | boolean;
  /** Only elements where this (broadcast) mask is true take part. */
  where?: ArrayLike;
}

type Kind = "sum" | "prod" | "max" | "min" | "all" | "any";
const INT_LIMITS: Record<string, [number, number]> = { int32: [-2147483648, 2147483647], uint32: [0, 4294967295], bool: [0, 1] };

/** The value that leaves a reduction unchanged, in x's dtype. */
function identityOf(kind: Kind, dtype: DType): number {
  if (kind === "sum" || kind === "any") return 0;
  if (kind === "prod" || kind === "all") return 1;
  if (isFloat(dtype)) return kind === "max" ? -Infinity : Infinity;
  const [lo, hi] = INT_LIMITS[dtype];
  return kind === "max" ? lo : hi;
}

const combine: Record<Kind, (a: JaxArray, b: JaxArray) => JaxArray> = {
  sum: A.add, prod: A.mul, max: A.max, min: A.min, all: A.bitwiseAnd, any: A.bitwiseOr,
};

/** x with the masked-out elements replaced by `fill` (numpy's `where=` for reductions). */
function masked(op: string, x: JaxArray, where: ArrayLike, fill: number): JaxArray {
  let m = toBool(asArray(where));
  m = broadcastWhere(op, m, x.shape);
  return A.select(m, x, broadcastTo_(scalar(fill, x.dtype), x.shape));
}

function broadcastWhere(op: string, m: JaxArray, shape: readonly number[]): JaxArray {
  const ok = m.ndim <= shape.length && m.shape.every((d, i) => d === 1 || d === shape[shape.length - m.ndim + i]);
  if (!ok) throw new ShapeError(`${op}: the where mask of shape [${m.shape}] does not broadcast to the array's shape [${shape}].`);
  return broadcastTo_(m, shape);
}

function finish(x: JaxArray, r: JaxArray, axes: number[], keepdims?: boolean): JaxArray {
  if (!keepdims) return r;
  return reshape(r, x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
}

// numpy's positional order after the array, per reduction.
const ORDER: Record<string, string[]> = {
  sum: ["axis", "dtype", "out", "keepdims", "initial", "where"],
  prod: ["axis", "dtype", "out", "keepdims", "initial", "where"],
  max: ["axis", "out", "keepdims", "initial", "where"],
  min: ["axis", "out", "keepdims", "initial", "where"],
  all: ["axis", "out", "keepdims", "where"],
  any: ["axis", "out", "keepdims", "where"],
  mean: ["axis", "dtype", "out", "keepdims", "where"],
  var: ["axis", "dtype", "out", "ddof", "keepdims", "where", "correction"],
  std: ["axis", "dtype", "out", "ddof", "keepdims", "where", "correction"],
  argmax: ["axis", "out", "keepdims"],
  argmin: ["axis", "out", "keepdims"],
  cumsum: ["axis", "dtype", "out"],
  cumprod: ["axis", "dtype", "out"],
};

function reducer(op: Kind, f: (x: JaxArray, axes: number[]) => JaxArray, prep?: (x: JaxArray) => JaxArray) {
  return (x: ArrayLike, ...rest: (ReduceOptions | AxisValue | DType | boolean | number | ArrayLike | undefined)[]): JaxArray => {
    const opts = reduceOptions<ReduceOptions>(op, rest, ORDER[op]);
    let a = asArray(x);
    if (opts.dtype) a = A.convertElementType(a, opts.dtype);
    if (prep) a = prep(a);
    const axes = normAxes(op, opts.axis, a.ndim);
    if ((op === "max" || op === "min") && opts.initial === undefined) {
      if (axes.some((i) => a.shape[i] === 0)) {
        throw new ValueError(`${op}: zero-size array to reduction operation ${op} which has no identity (shape [${a.shape}]). Pass { initial }.`);
      }
      if (opts.where !== undefined) throw new ValueError(`${op}: reduction operation ${op} with a where mask needs { initial }.`);
    }
    if (opts.where !== undefined) a = masked(op, a, opts.where, identityOf(op, a.dtype));
    let r = axes.length ? f(a, axes) : a;
    if (opts.initial !== undefined) r = combine[op](r, broadcastTo_(scalar(+opts.initial, r.dtype), r.shape));
    return finish(a, r, axes, opts.keepdims);
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

export function mean(x: ArrayLike, ...rest: (ReduceOptions | AxisValue | DType | boolean | ArrayLike | undefined)[]): JaxArray {
  const opts = reduceOptions<ReduceOptions>("mean", rest, ORDER.mean);
  if (opts.initial !== undefined) throw new ValueError("mean: numpy's mean has no `initial`; use sum(x, { initial }) / n.");
  let a = asArray(x);
  if (!isFloat(a.dtype)) a = A.convertElementType(a, opts.dtype ?? "float32");
  const axes = normAxes("mean", opts.axis, a.ndim);
  const s = sum(a, { axis: axes, keepdims: opts.keepdims, where: opts.where });
  if (opts.where !== undefined) {
    // The count of selected elements per output position.
    const m = A.convertElementType(broadcastWhere("mean", toBool(asArray(opts.where)), a.shape), s.dtype);
    return A.div(s, sum(m, { axis: axes, keepdims: opts.keepdims }));
  }
  const n = sizeOf(axes.map((i) => a.shape[i]));
  return A.div(s, broadcastTo_(scalar(n, s.dtype), s.shape));
}

export interface VarOptions extends ReduceOptions { ddof?: number; /** The array API's name for ddof. */ correction?: number }

export function variance(x: ArrayLike, ...rest: (VarOptions | AxisValue | DType | boolean | number | ArrayLike | undefined)[]): JaxArray {
  const opts = reduceOptions<VarOptions>("var", rest, ORDER.var);
  if (opts.initial !== undefined) throw new ValueError("var: numpy's var has no `initial`.");
  let a = asArray(x);
  if (!isFloat(a.dtype)) a = A.convertElementType(a, opts.dtype ?? "float32");
  const axes = normAxes("var", opts.axis, a.ndim);
  const centered = A.sub(a, broadcastTo_(mean(a, { axis: axes, keepdims: true, where: opts.where }), a.shape));
  const ss = sum(A.square(centered), { axis: axes, keepdims: opts.keepdims, where: opts.where });
  let n: JaxArray;
  if (opts.where !== undefined) {
    n = sum(A.convertElementType(broadcastWhere("var", toBool(asArray(opts.where)), a.shape), ss.dtype), { axis: axes, keepdims: opts.keepdims });
  } else {
    n = broadcastTo_(scalar(sizeOf(axes.map((i) => a.shape[i])), ss.dtype), ss.shape);
  }
  if (opts.ddof !== undefined && opts.correction !== undefined) throw new ValueError("var: pass ddof or correction, not both.");
  const ddof = opts.ddof ?? opts.correction ?? 0;
  const dof = A.max(A.sub(n, broadcastTo_(scalar(ddof, ss.dtype), ss.shape)), broadcastTo_(scalar(0, ss.dtype), ss.shape));
  return A.div(ss, dof);
}
export { variance as var };

export function std(x: ArrayLike, ...rest: (VarOptions | AxisValue | DType | boolean | number | ArrayLike | undefined)[]): JaxArray {
  return M.sqrt(variance(x, reduceOptions<VarOptions>("std", rest, ORDER.std)));
}

export interface ArgOptions { axis?: number | null; keepdims?: boolean }

function argReducer(op: string, f: (x: JaxArray, axis: number) => JaxArray) {
  return (x: ArrayLike, ...rest: (ArgOptions | number | null | boolean | undefined)[]): JaxArray => {
    const opts = reduceOptions<ArgOptions>(op, rest, ORDER[op]);
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
  return (x: ArrayLike, ...rest: ({ axis?: number | null; dtype?: DType } | number | null | DType | undefined)[]): JaxArray => {
    const opts = reduceOptions<{ axis?: number | null; dtype?: DType }>(op, rest, ORDER[op]);
    let a = asArray(x);
    if (opts.dtype) a = A.convertElementType(a, opts.dtype);
    if (a.dtype === "bool") a = A.convertElementType(a, "int32");
    if (opts.axis === undefined || opts.axis === null) return R.cumulative(p, reshape(a, [a.size]), 0);
    return R.cumulative(p, a, normAxis(op, opts.axis, a.ndim));
  };
}
export const cumsum = cumulative("cumsum", R.cumsumP);
export const cumprod = cumulative("cumprod", R.cumprodP);

interface LogsumexpOptions { axis?: AxisValue; keepdims?: boolean; b?: ArrayLike | null; returnSign?: boolean; where?: ArrayLike | null }

/**
 * log(sum(b * exp(x))) computed stably (the max is subtracted first and added back), as
 * jax.nn.logsumexp: `b` scales each term, a negative sum gives NaN unless returnSign, which returns
 * [log|sum|, sign(sum)], and `where` leaves out the terms where it is false.
 */
export function logsumexp(x: ArrayLike, options?: LogsumexpOptions | AxisValue): JaxArray;
export function logsumexp(x: ArrayLike, options: LogsumexpOptions & { returnSign: true }): [JaxArray, JaxArray];
export function logsumexp(x: ArrayLike, options?: LogsumexpOptions | AxisValue): JaxArray | [JaxArray, JaxArray] {
  const opts = axisOptions<LogsumexpOptions>("logsumexp", options);
  let a = asArray(x);
  if (!isFloat(a.dtype)) a = A.convertElementType(a, "float32");
  const axes = normAxes("logsumexp", opts.axis, a.ndim);
  const keepdims = !!opts.keepdims;
  if (opts.b == null && !opts.returnSign && opts.where == null) return softmax(a, "logsumexp", axes, keepdims);
  if (opts.where != null) a = A.select(broadcastTo_(toBool(asArray(opts.where)), a.shape), a, broadcastTo_(scalar(-Infinity, a.dtype), a.shape));
  // The shift: the max where finite (else 0), held constant for derivatives, as JAX does.
  const mx = max(a, { axis: axes, keepdims: true });
  const finite = A.lt(A.abs(mx), broadcastTo_(scalar(Infinity, a.dtype), mx.shape));
  const shift = A.stopGradient(A.select(finite, mx, broadcastTo_(scalar(0, a.dtype), mx.shape)));
  let e = M.exp(A.sub(a, broadcastTo_(shift, a.shape)));
  if (opts.b != null) {
    const b = asArray(opts.b);
    const shape = broadcastShapes("logsumexp", a.shape, b.shape);
    e = A.mul(broadcastTo_(e, shape), broadcastTo_(A.convertElementType(b, a.dtype), shape));
  }
  const s = sum(e, { axis: axes, keepdims: true });
  const sign = A.sign(s);
  let out = A.add(M.log(A.abs(s)), shift);
  if (!keepdims) out = reshape(out, out.shape.filter((_, i) => !axes.includes(i)));
  const sg = keepdims ? sign : reshape(sign, sign.shape.filter((_, i) => !axes.includes(i)));
  if (opts.returnSign) return [out, sg];
  return A.select(A.lt(sg, scalar(0, sg.dtype)), broadcastTo_(scalar(NaN, out.dtype), out.shape), out);
}
