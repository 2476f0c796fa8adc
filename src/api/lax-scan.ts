// lax.associative_scan over pytrees, and lax's cumulative reductions (operand, axis = 0, reverse = false).
import { isFloat } from "../core/dtype.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { flatten, treeDefEqual, unflatten } from "../core/pytree.js";
import { normAxis } from "../core/shape.js";
import { ArrayLike, JaxArray } from "../core/value.js";
import { assocScan } from "../primitives/assoc-scan.js";
import * as R from "../primitives/reduce.js";
import { rev } from "../primitives/structural.js";
import { asArray } from "./numpy/creation.js";
import { logaddexp } from "./numpy/ufuncs.js";

/**
 * lax.associative_scan(fn, elems, reverse = false, axis = 0): inclusive prefix combination of the
 * pytree `elems` along `axis` by an associative `fn(a, b)` of pytrees like `elems` (slices of it).
 */
export function associativeScan(fn: (a: any, b: any) => any, elems: unknown, reverse: boolean | { reverse?: boolean; axis?: number } = false, axis = 0): any {
  if (typeof reverse === "object") ({ reverse = false, axis = 0 } = reverse);
  const [leaves, def] = flatten(elems);
  const xs = leaves.map((v) => asArray(v as ArrayLike));
  if (!xs.length) return elems;
  const ax = normAxis("associativeScan", axis, xs[0].ndim);
  const n = xs[0].shape[ax];
  if (xs.some((x) => x.ndim <= ax || x.shape[ax] !== n)) {
    throw new ShapeError(`associativeScan: every leaf of elems needs the same length along axis ${axis}, got shapes ${xs.map((x) => `[${x.shape}]`).join(", ")}.`);
  }
  const combine = (a: JaxArray[], b: JaxArray[]) => {
    const [out, odef] = flatten(fn(unflatten(def, a), unflatten(def, b)));
    if (!treeDefEqual(odef, def)) throw new ShapeError("associativeScan: fn must return a pytree of the same structure as elems.");
    return out.map((v) => asArray(v as ArrayLike));
  };
  const r = (ys: JaxArray[]) => (reverse ? ys.map((y) => rev(y, [ax])) : ys);
  return unflatten(def, r(assocScan(combine, r(xs), ax)));
}

export interface CumOptions { axis?: number; reverse?: boolean }

function cumulative(op: string, p: typeof R.cumsumP) {
  return (operand: ArrayLike, axis: number | CumOptions = 0, reverse = false): JaxArray => {
    if (typeof axis === "object") ({ axis = 0, reverse = false } = axis);
    const x = asArray(operand);
    return R.cumulative(p, x, normAxis(op, axis, x.ndim), reverse);
  };
}

/** lax.cumsum(operand, axis = 0, reverse = false). */
export const cumsum = cumulative("cumsum", R.cumsumP);
/** lax.cumprod(operand, axis = 0, reverse = false). */
export const cumprod = cumulative("cumprod", R.cumprodP);
/** lax.cummax(operand, axis = 0, reverse = false). */
export const cummax = cumulative("cummax", R.cummaxP);
/** lax.cummin(operand, axis = 0, reverse = false). */
export const cummin = cumulative("cummin", R.cumminP);

/** lax.cumlogsumexp(operand, axis = 0, reverse = false): log of the running sum of exp, without overflow. */
export function cumlogsumexp(operand: ArrayLike, axis: number | CumOptions = 0, reverse = false): JaxArray {
  if (typeof axis === "object") ({ axis = 0, reverse = false } = axis);
  const x = asArray(operand);
  if (!isFloat(x.dtype)) throw new DTypeError(`cumlogsumexp requires a floating-point array, got ${x.dtype}.`);
  return associativeScan(logaddexp, x, reverse, normAxis("cumlogsumexp", axis, x.ndim));
}
