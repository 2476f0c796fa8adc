// Binary search on a sorted 1-d array (numpy's searchsorted) for interp, digitize and histogram.
import { JaxArray } from "../../core/value.js";
import * as A from "../../primitives/arith.js";
import { scalar } from "./creation.js";
import { take } from "./shape.js";
import { broadcastTo_, isnan } from "./ufuncs.js";

/**
 * numpy's searchsorted of x in the sorted 1-d `edges` (side "right": the count of edges <= x; NaN
 * sorts last), as a binary search of ceil(log2(m + 1)) fixed steps: O(size log m), any backend.
 */
export function searchSorted(edges: JaxArray, x: JaxArray, right: boolean): JaxArray {
  const m = edges.shape[0], nan = isnan(x);
  let lo = broadcastTo_(scalar(0, "int32"), x.shape), hi = broadcastTo_(scalar(m, "int32"), x.shape);
  for (let s = 0; 2 ** s <= m; s++) {
    const mid = A.shiftRight(A.add(lo, hi), 1), v = take(edges, mid, 0, { mode: "clip" });
    const go = A.bitwiseOr(right ? A.le(v, x) : A.lt(v, x), nan), live = A.lt(lo, hi);
    lo = A.select(A.bitwiseAnd(live, go), A.add(mid, 1), lo);
    hi = A.select(A.bitwiseAnd(live, A.bitwiseNot(go)), mid, hi);
  }
  return lo;
}
