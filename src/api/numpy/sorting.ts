// jnp.sort, jnp.argsort and lax.sort / sortKeyVal / topK on the stable `sort` primitive, the way
// JAX builds them: NaN sorts last (-0 equals 0), descending order reverses the ascending sort, and
// argsort sorts an iota along with the keys so ties keep their original order.
import { ValueError } from "../../core/errors.js";
import { normAxis } from "../../core/shape.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import { sort as sortP, sortKeyVal as sortKeyValP } from "../../primitives/sort.js";
import { iota, reshape, rev, slice } from "../../primitives/structural.js";
import { asArray } from "./creation.js";
import { axisOptions } from "./options.js";
import { takeAlongAxis } from "./shape.js";

export interface SortOptions { axis?: number | null; stable?: boolean; descending?: boolean }

/** The array and axis to sort along: axis null sorts the flattened array. */
function prepare(op: string, x: ArrayLike, axis: number | null | undefined): [JaxArray, number] {
  const a = asArray(x);
  if (axis === null) return [reshape(a, [a.size]), 0];
  if (a.ndim === 0) throw new ValueError(`${op}: needs an array with at least one axis, got a scalar. Pass a 1-D array, or axis: null.`);
  return [a, normAxis(op, axis ?? -1, a.ndim)];
}

/** numpy's sort along `axis` (default -1; null flattens), ascending unless `descending`. */
export function sort(x: ArrayLike, options?: SortOptions | number | null): JaxArray {
  const opts = axisOptions<SortOptions>("sort", options, "axis, stable, descending");
  const [a, d] = prepare("sort", x, opts.axis);
  const [out] = sortP([a], d);
  return opts.descending ? rev(out, [d]) : out;
}

/** Indices that sort `x` along `axis` (int32); equal elements keep their order, also when descending. */
export function argsort(x: ArrayLike, options?: SortOptions | number | null): JaxArray {
  const opts = axisOptions<SortOptions>("argsort", options, "axis, stable, descending");
  let [a, d] = prepare("argsort", x, opts.axis);
  let idx = iota("int32", a.shape, d);
  // Descending and stable: reverse the keys and their indices before the ascending sort, so equal
  // keys come out in their original order once the result is reversed.
  if (opts.descending) { a = rev(a, [d]); idx = rev(idx, [d]); }
  const [, sorted] = sortKeyValP(a, idx, d);
  return opts.descending ? rev(sorted, [d]) : sorted;
}

/** lax.sort: one operand, or several permuted together by the first `numKeys`, along `dimension`. */
export function laxSort(operand: JaxArray | JaxArray[], options?: { dimension?: number; isStable?: boolean; numKeys?: number } | number): JaxArray | JaxArray[] {
  const o = typeof options === "number" ? { dimension: options } : options ?? {};
  const ops = Array.isArray(operand) ? operand.map(asArray) : [asArray(operand)];
  const out = sortP(ops, o.dimension ?? -1, o.numKeys ?? 1);
  return Array.isArray(operand) ? out : out[0];
}

export function sortKeyVal(keys: ArrayLike, values: ArrayLike, dimension = -1): [JaxArray, JaxArray] {
  return sortKeyValP(asArray(keys), asArray(values), dimension);
}

/** lax.top_k: the k largest entries along the last axis, largest first, and their indices (ties: lower index first). */
export function topK(operand: ArrayLike, k: number): [JaxArray, JaxArray] {
  const a = asArray(operand);
  if (a.ndim === 0) throw new ValueError("topK: needs an array with at least one axis, got a scalar.");
  const n = a.shape[a.ndim - 1];
  if (!Number.isInteger(k) || k < 0 || k > n) throw new ValueError(`topK: k must be an integer in [0, ${n}] for an operand of shape [${a.shape}], got ${k}.`);
  const idx = argsort(a, { axis: -1, descending: true });
  const d = a.ndim - 1, start = a.shape.map(() => 0), end = [...a.shape.slice(0, -1), k];
  const top = slice(idx, start, end);
  return [takeAlongAxis(a, top, d), top];
}
