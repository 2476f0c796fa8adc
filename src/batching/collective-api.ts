// Collectives built from the primitives in collectives.ts.
import { bind1, currentTrace, Trace } from "../core/trace.js";
import { broadcastInDimP } from "../primitives/layout.js";
import { BatchTrace } from "./vmap.js";
import { ArrayLike, JaxArray } from "../core/value.js";
import { asArray } from "../api/numpy/creation.js";
import * as A from "../primitives/arith.js";
import { flatten, unflatten } from "../core/pytree.js";
import { boundAxisSize } from "./axis-env.js";
import { allGatherP, pmax as pmaxP1, pmin as pminP1, ppermuteP, psum as psumP1 } from "./collectives.js";

/** Applies a collective to every leaf of a pytree (JAX's collectives accept pytrees). */
function leafwise<T>(x: T, f: (a: JaxArray) => JaxArray): T {
  const [leaves, def] = flatten(x);
  return unflatten(def, leaves.map((l) => f(asArray(l as ArrayLike))));
}

export const psum = <T>(x: T, axisName: string): T => leafwise(x, (a) => psumP1(a, axisName));
export const pmax = <T>(x: T, axisName: string): T => leafwise(x, (a) => pmaxP1(a, axisName));
export const pmin = <T>(x: T, axisName: string): T => leafwise(x, (a) => pminP1(a, axisName));

/** The mean over the named axis. */
export function pmean<T>(x: T, axisName: string): T {
  return leafwise(x, (a) => pmeanLeaf(a, axisName));
}

function pmeanLeaf(a: JaxArray, axisName: string): JaxArray {
  const n = psumP1(A.convertElementType(asArray(1), a.dtype === "float64" ? "float64" : "float32"), axisName);
  return A.div(psumP1(a, axisName), A.convertElementType(bcast(n, a), a.dtype));
}

function bcast(s: JaxArray, like: JaxArray): JaxArray {
  return like.ndim === 0 ? s : bind1(broadcastInDimP, [s], { shape: [...like.shape], broadcastDimensions: [] });
}

/** Every example's value, stacked along a new axis 0 (or concatenated along axis 0 when tiled). */
export function allGather<T>(x: T, axisName: string, opts: { tiled?: boolean; axisSize?: number } = {}): T {
  return leafwise(x, (a) => bind1(allGatherP, [a], { axisName, tiled: opts.tiled ?? false, size: opts.axisSize ?? axisSizeHint(axisName) }));
}

/** Sends the value of example src to example dst for each [src, dst] pair (others get zeros). */
export function ppermute<T>(x: T, axisName: string, perm: [number, number][]): T {
  return leafwise(x, (a) => bind1(ppermuteP, [a], { axisName, perm }));
}

function axisSizeHint(name: string): number {
  for (let t: Trace | null = currentTrace(); t; t = t.parent) {
    if (t instanceof BatchTrace && t.axisName === name) return t.axisSize;
  }
  return boundAxisSize(name) ?? 1;
}
