// Binary search on a sorted 1-d array: jnp.searchsorted (JAX's default method, "scan", is a binary
// search too), digitize, histogram and interp.
import { isFloat } from "../../core/dtype.js";
import { JaxArray } from "../../core/value.js";
import * as A from "../../primitives/arith.js";
import { scalar } from "./creation.js";
import { take } from "./shape.js";
import { broadcastTo_, isnan, logicalAnd, logicalNot } from "./ufuncs.js";

/** x < y in sort order (NaN after everything). */
export function sortLt(x: JaxArray, y: JaxArray): JaxArray {
  const lt = A.lt(x, y);
  return isFloat(x.dtype) ? A.bitwiseOr(lt, logicalAnd(isnan(y), logicalNot(isnan(x)))) : lt;
}

/**
 * numpy's searchsorted of x in the sorted 1-d `edges` (left: the count of edges before x in sort
 * order, NaN last; right: of edges not after x), as a binary search of ceil(log2(m + 1)) fixed
 * steps: O(size log m), any backend.
 */
export function searchSorted(edges: JaxArray, x: JaxArray, right: boolean): JaxArray {
  const m = edges.shape[0];
  let lo = broadcastTo_(scalar(0, "int32"), x.shape), hi = broadcastTo_(scalar(m, "int32"), x.shape);
  for (let s = 0; 2 ** s <= m; s++) {
    const mid = A.shiftRight(A.add(lo, hi), 1), v = take(edges, mid, 0, { mode: "clip" });
    const go = right ? logicalNot(sortLt(x, v)) : sortLt(v, x), live = A.lt(lo, hi);
    lo = A.select(A.bitwiseAnd(live, go), A.add(mid, 1), lo);
    hi = A.select(A.bitwiseAnd(live, A.bitwiseNot(go)), mid, hi);
  }
  return lo;
}
