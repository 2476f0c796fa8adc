// Collectives over a named mapped axis (vmap's or pmap's axisName): psum, pmean, pmax, pmin,
// allGather, axisIndex, ppermute. Under the mapped axis each is a rule over the batch dimension;
// anywhere else the axis name is unbound, which is an error.
import { ShapedArray } from "../core/aval.js";
import { ValueError } from "../core/errors.js";
import { BatchDim, Primitive, UndefPrimal, Zero } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import * as A from "../primitives/arith.js";
import { full } from "../primitives/helpers.js";
import { batchAtFront, broadcastInDim, elementwiseBatch, linearJvp, moveAxis, reduceSum, reshape } from "../primitives/layout.js";
import { gather } from "../primitives/indexing.js";
import { reduceMax, reduceMin } from "../primitives/reduce.js";
import { iota } from "../primitives/structural.js";
import { array, asArray } from "../api/numpy/creation.js";

interface AxisParams { axisName: string }

function unbound(name: string): never {
  throw new ValueError(`unbound axis name: ${name}. Collectives such as lax.psum need to run inside pmap or vmap with axisName "${name}".`);
}

const shapeRule = ([x]: ShapedArray[]) => [x];
const noRef = (p: AxisParams) => unbound(p.axisName);

/** Reduce across the batch and give every example the result (the batch axis stays, at 0). */
function reduceAcross(reduce: (x: JaxArray) => JaxArray) {
  return ([x]: JaxArray[], [d]: BatchDim[], _p: AxisParams, size: number): [JaxArray[], BatchDim[]] => {
    if (d === null) return [[reduce(broadcastInDim(x, [size, ...x.shape], x.shape.map((_, i) => i + 1)))], [null]];
    const xb = moveAxis(x, d, 0);
    return [[reduce(xb)], [null]];
  };
}

export const psumP: Primitive<AxisParams> = new Primitive<AxisParams>("psum", {
  abstractEval: shapeRule,
  reference: (_i, _o, p) => noRef(p),
  jvp: ([x], [t], p) => [[psum(x, p.axisName)], [psum(t, p.axisName)]],
  transpose: ([ct]: JaxArray[], _args, p) => [psum(ct, p.axisName)],
  batch: elementwiseBatch(() => psumP),
  collective: reduceAcross((xb) => reduceSum(xb, [0])),
});

/** pmax/pmin: the extremum across the axis; its tangent averages over the examples attaining it. */
function defChooser(name: string, reduce: (xb: JaxArray) => JaxArray, apply: (x: JaxArray, axis: string) => JaxArray): Primitive<AxisParams> {
  const p: Primitive<AxisParams> = new Primitive<AxisParams>(name, {
    abstractEval: shapeRule,
    reference: (_i, _o, q) => noRef(q),
    batch: elementwiseBatch(() => p),
    collective: reduceAcross(reduce),
    jvp([x], [t], q) {
      const m = apply(x, q.axisName);
      const hit = A.convertElementType(A.eq(x, m), x.dtype);
      return [[m], [A.div(psum(A.mul(t, hit), q.axisName), psum(hit, q.axisName))]];
    },
  });
  return p;
}

export const pmaxP = defChooser("pmax", (xb) => reduceMax(xb, [0]), (x, a) => pmax(x, a));
export const pminP = defChooser("pmin", (xb) => reduceMin(xb, [0]), (x, a) => pmin(x, a));

/** Stacks every example's value along a new leading axis (tiled: concatenated along axis 0). */
export const allGatherP: Primitive<AxisParams & { tiled: boolean; size: number }> = new Primitive<AxisParams & { tiled: boolean; size: number }>("all_gather", {
  abstractEval: ([x], p) => [new ShapedArray(p.tiled ? [x.shape[0] * p.size, ...x.shape.slice(1)] : [p.size, ...x.shape], x.dtype, x.weakType)],
  reference: (_i, _o, p) => noRef(p),
  jvp: linearJvp(() => allGatherP),
  transpose([ct]: JaxArray[], [x], p) {
    // Each example takes its own slice of the summed cotangent.
    const summed = psum(ct, p.axisName);
    const i = axisIndex(p.axisName);
    const a = (x as UndefPrimal).aval;
    const rows = p.tiled ? reshape(summed, [p.size, ...a.shape]) : summed;
    return [reshape(gather(rows, reshape(i, [1]), 0), a.shape)];
  },
  batch([x], [d], p) {
    // Keep the outer batch axis out of the gathered axis 0: at 0 for stacking, at 1 for tiling.
    const xb = moveAxis(x, d!, p.tiled ? 1 : 0);
    return [[bind1(allGatherP, [xb], p)], [1]];
  },
  collective([x], [d], p, size) {
    const xb = batchAtFront(x, d, size);
    const whole = p.tiled ? reshape(xb, [size * xb.shape[1], ...xb.shape.slice(2)]) : xb;
    return [[whole], [null]];
  },
});

/** This example's position along the named axis (int32). */
export const axisIndexP: Primitive<AxisParams> = new Primitive<AxisParams>("axis_index", {
  abstractEval: () => [new ShapedArray([], "int32")],
  reference: (_i, _o, p) => noRef(p),
  jvp: (_x, _t, p) => { const o = axisIndex(p.axisName); return [[o], [new Zero(o.aval)]]; },
  collective: (_args, _dims, _p, size) => [[iota("int32", [size], 0)], [0]],
});

/** Sends example src's value to example dst for each [src, dst] pair; others receive zeros. */
export const ppermuteP: Primitive<AxisParams & { perm: [number, number][] }> = new Primitive<AxisParams & { perm: [number, number][] }>("ppermute", {
  abstractEval: shapeRule,
  reference: (_i, _o, p) => noRef(p),
  jvp: linearJvp(() => ppermuteP),
  transpose: ([ct]: JaxArray[], _a, p) => [bind1(ppermuteP, [ct], { ...p, perm: p.perm.map(([s, d]) => [d, s] as [number, number]) })],
  batch: elementwiseBatch(() => ppermuteP),
  collective([x], [d], p, size) {
    const xb = batchAtFront(x, d, size);
    const src = new Int32Array(size).fill(-1);
    for (const [s, t] of p.perm) src[t] = s;
    const g = gather(xb, array(src.map((s) => Math.max(s, 0))), 0, "clip");
    const has = broadcastInDim(asArray(Array.from(src, (s) => s >= 0)), g.shape, [0]);
    return [[A.select(has, g, full(g.shape, 0, g.dtype))], [0]];
  },
});

export const psum = (x: JaxArray, axisName: string): JaxArray => bind1(psumP, [x], { axisName });
export const pmax = (x: JaxArray, axisName: string): JaxArray => bind1(pmaxP, [x], { axisName });
export const pmin = (x: JaxArray, axisName: string): JaxArray => bind1(pminP, [x], { axisName });
export const axisIndex = (axisName: string): JaxArray => bind1(axisIndexP, [], { axisName });
export { unbound };
