// jnp.linalg: the parts built from existing primitives.
import { ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import { asArray } from "./creation.js";
import { max, sum } from "./reductions.js";
import * as U from "./ufuncs.js";

/** Vector/Frobenius norms: ord 2 (default), 1, Infinity; over `axis` or all elements. */
export function norm(x: ArrayLike, opts: { ord?: number | "fro"; axis?: number | number[] | null; keepdims?: boolean } = {}): JaxArray {
  const a = asArray(x);
  const ord = opts.ord ?? 2;
  const o = { axis: opts.axis ?? null, keepdims: opts.keepdims };
  if (ord === 2 || ord === "fro") return U.sqrt(sum(U.square(U.abs(a)), o));
  if (ord === 1) return sum(U.abs(a), o);
  if (ord === Infinity) return max(U.abs(a), o);
  throw new ValueError(`linalg.norm: ord=${ord} is not supported; use 1, 2, Infinity or "fro".`);
}
