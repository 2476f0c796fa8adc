// The parallel prefix scan (Blelloch-style, as jax.lax.associative_scan): combine neighbouring
// pairs, scan the half-length result recursively, then fill in the even positions. O(n) work in
// O(log n) steps of slicing, padding and concatenation, so it differentiates and batches as they do.
import { JaxArray } from "../core/value.js";
import { add, bitwiseOr } from "./arith.js";
import { full } from "./helpers.js";
import { concatenate, pad, slice } from "./structural.js";

export type Combine = (a: JaxArray[], b: JaxArray[]) => JaxArray[];

/** Elements lo, lo+step, ... below hi (hi < 0 counts from the end) along `axis`. */
function along(x: JaxArray, axis: number, lo: number, hi: number, step = 1): JaxArray {
  const s = x.shape.map(() => 0), l = [...x.shape], st = x.shape.map(() => 1);
  s[axis] = lo; l[axis] = hi < 0 ? x.shape[axis] + hi : hi; st[axis] = step;
  return slice(x, s, l, st);
}

/** a's elements at even positions, b's at odd ones (a is as long as b, or one longer). */
function interleave(a: JaxArray, b: JaxArray, axis: number): JaxArray {
  const same = a.shape[axis] === b.shape[axis] ? 1 : 0;
  const cfg = (lo: number, hi: number) => a.shape.map((_, i): [number, number, number] => (i === axis ? [lo, hi, 1] : [0, 0, 0]));
  const z = full([], 0, a.dtype);
  return (a.dtype === "bool" ? bitwiseOr : add)(pad(a, z, cfg(0, same)), pad(b, z, cfg(1, 1 - same)));
}

/** Inclusive prefix combination of the arrays `elems` (scanned together) along `axis`. */
export function assocScan(combine: Combine, elems: JaxArray[], axis: number): JaxArray[] {
  const n = elems[0].shape[axis];
  if (n < 2) return elems;
  const odd = assocScan(combine, combine(elems.map((e) => along(e, axis, 0, -1, 2)), elems.map((e) => along(e, axis, 1, n, 2))), axis);
  const rest = elems.map((e) => along(e, axis, 2, n, 2));
  const even = combine(n % 2 === 0 ? odd.map((e) => along(e, axis, 0, -1)) : odd, rest);
  return elems.map((e, i) => interleave(concatenate([along(e, axis, 0, 1), even[i]], axis), odd[i], axis));
}
