// Reductions other than sum (which lives with broadcasting, its transpose), arg-reductions and
// cumulative scans.
import { ShapedArray } from "../core/aval.js";
import { DType, isFloat } from "../core/dtype.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { HostArray, Primitive } from "../core/primitive.js";
import { normAxis, sizeOf, stridesOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { add, convertElementType, div, eq, gt, lt, max, min, mul, select } from "./arith.js";
import { assocScan } from "./assoc-scan.js";
import { checkKinds, full, zeroJvp } from "./helpers.js";
import { broadcastInDim, concatenate, forEachIndex, linearJvp, reduceSum, reshape, rev, shiftAxesBatch, slice, transpose } from "./structural.js";

type Combine = (a: number, b: number) => number;

function reduceRef(x: HostArray, o: HostArray, axes: number[], init: number, f: Combine): void {
  const keep = x.aval.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const ost = stridesOf(keep.map((i) => x.aval.shape[i]));
  const acc = new Float64Array(o.data.length).fill(init);
  forEachIndex(x.aval.shape, (i, idx) => {
    let j = 0;
    for (let k = 0; k < keep.length; k++) j += idx[keep[k]] * ost[k];
    acc[j] = f(acc[j], x.data[i]);
  });
  o.data.set(acc as any);
}

const fmax: Combine = (a, b) => (a !== a || b !== b ? NaN : Math.max(a, b));
const fmin: Combine = (a, b) => (a !== a || b !== b ? NaN : Math.min(a, b));

function lowest(d: DType): number { return isFloat(d) ? -Infinity : d === "int32" ? -2147483648 : 0; }
function highest(d: DType): number { return isFloat(d) ? Infinity : d === "int32" ? 2147483647 : d === "uint32" ? 4294967295 : 1; }

function reducerShape(op: string, kinds: "numeric" | "any" | "bool") {
  return ([x]: ShapedArray[], { axes }: { axes: number[] }) => {
    if (kinds === "bool" && x.dtype !== "bool") throw new DTypeError(`${op} takes a bool array, got ${x.dtype}.`);
    if (kinds === "numeric") checkKinds(op, "numeric", [x]);
    if (!axes.every((a, i) => a >= 0 && a < x.ndim && (i === 0 || a > axes[i - 1]))) {
      throw new ShapeError(`${op}: invalid axes ${JSON.stringify(axes)} for an array of rank ${x.ndim}.`);
    }
    return [new ShapedArray(x.shape.filter((_, i) => !axes.includes(i)), x.dtype, x.weakType)];
  };
}

/** JAX's rule for max/min: the tangent is averaged over the positions that attain the extremum. */
function chooserJvp(p: () => Primitive) {
  return ([x]: JaxArray[], [t]: JaxArray[], { axes }: { axes: number[] }): [JaxArray[], JaxArray[]] => {
    const out = bind1(p(), [x], { axes });
    const keep = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const ob = broadcastInDim(out, x.shape, keep);
    const ind = convertElementType(eq(x, ob), x.dtype);
    const counts = reduceSum(ind, axes);
    return [[out], [div(reduceSum(mul(t, ind), axes), counts)]];
  };
}

export const reduceMaxP: Primitive<{ axes: number[] }> = new Primitive<{ axes: number[] }>("reduce_max", {
  abstractEval: reducerShape("reduce_max", "any"),
  reference: ([x], [o], { axes }) => reduceRef(x, o, axes, lowest(x.aval.dtype), fmax),
  jvp: chooserJvp(() => reduceMaxP),
  batch: shiftAxesBatch(() => reduceMaxP, (p) => ({ axes: p.axes.map((a: number) => a + 1) })),
});
export const reduceMinP: Primitive<{ axes: number[] }> = new Primitive<{ axes: number[] }>("reduce_min", {
  abstractEval: reducerShape("reduce_min", "any"),
  reference: ([x], [o], { axes }) => reduceRef(x, o, axes, highest(x.aval.dtype), fmin),
  jvp: chooserJvp(() => reduceMinP),
  batch: shiftAxesBatch(() => reduceMinP, (p) => ({ axes: p.axes.map((a: number) => a + 1) })),
});
export const reduceAndP: Primitive<{ axes: number[] }> = new Primitive<{ axes: number[] }>("reduce_and", {
  abstractEval: reducerShape("reduce_and", "bool"),
  reference: ([x], [o], { axes }) => reduceRef(x, o, axes, 1, (a, b) => a & (b ? 1 : 0)),
  batch: shiftAxesBatch(() => reduceAndP, (p) => ({ axes: p.axes.map((a: number) => a + 1) })),
});
export const reduceOrP: Primitive<{ axes: number[] }> = new Primitive<{ axes: number[] }>("reduce_or", {
  abstractEval: reducerShape("reduce_or", "bool"),
  reference: ([x], [o], { axes }) => reduceRef(x, o, axes, 0, (a, b) => a | (b ? 1 : 0)),
  batch: shiftAxesBatch(() => reduceOrP, (p) => ({ axes: p.axes.map((a: number) => a + 1) })),
});
export const reduceProdP: Primitive<{ axes: number[] }> = new Primitive<{ axes: number[] }>("reduce_prod", {
  abstractEval: reducerShape("reduce_prod", "numeric"),
  reference: ([x], [o], { axes }) => reduceRef(x, o, axes, 1, isFloat(x.aval.dtype) ? (a, b) => a * b : (a, b) => Math.imul(a, b)),
  jvp([x], [t], { axes }) {
    // d prod = sum_i t_i * prod_{j != i} x_j, with the product of the others taken from exclusive
    // cumulative products from both ends, so zeros in x are handled exactly.
    const out = reduceProd(x, axes);
    const keep = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const n = sizeOf(axes.map((a) => x.shape[a]));
    const moved = reshape(transpose(x, [...keep, ...axes]), [...keep.map((k) => x.shape[k]), n]);
    const tm = reshape(transpose(t, [...keep, ...axes]), [...keep.map((k) => x.shape[k]), n]);
    const last = keep.length;
    const others = mul(exclusiveCumprod(moved, last, false), exclusiveCumprod(moved, last, true));
    return [[out], [reduceSum(mul(tm, others), [last])]];
  },
  batch: shiftAxesBatch(() => reduceProdP, (p) => ({ axes: p.axes.map((a: number) => a + 1) })),
});

function exclusiveCumprod(x: JaxArray, axis: number, reverse: boolean): JaxArray {
  const n = x.shape[axis];
  const incl = cumulative(cumprodP, x, axis, reverse);
  const oneShape = x.shape.map((d, i) => (i === axis ? 1 : d));
  const ones = full(oneShape, 1, x.dtype);
  const start = x.shape.map(() => 0);
  const lim = [...x.shape];
  if (reverse) {
    start[axis] = 1;
    return concatenate([slice(incl, start, lim), ones], axis);
  }
  lim[axis] = n - 1;
  return concatenate([ones, slice(incl, start, lim)], axis);
}

// ---- argmax / argmin

function argShape(op: string) {
  return ([x]: ShapedArray[], { axis, indexDtype }: { axis: number; indexDtype: DType }) => {
    normAxis(op, axis, x.ndim, 0);
    if (x.shape[axis] === 0) throw new ShapeError(`${op}: cannot take ${op} of an empty axis (shape [${x.shape}], axis ${axis}).`);
    return [new ShapedArray(x.shape.filter((_, i) => i !== axis), indexDtype)];
  };
}

function argRef(better: (v: number, best: number) => boolean) {
  return ([x]: HostArray[], [o]: HostArray[], { axis }: { axis: number }) => {
    const shape = x.aval.shape;
    const outer = sizeOf(shape.slice(0, axis)), len = shape[axis], inner = sizeOf(shape.slice(axis + 1));
    for (let a = 0; a < outer; a++) {
      for (let j = 0; j < inner; j++) {
        let bi = 0, best = x.data[a * len * inner + j];
        if (best === best) {
          for (let r = 1; r < len; r++) {
            const v = x.data[(a * len + r) * inner + j];
            if (v !== v) { bi = r; break; }
            if (better(v, best)) { best = v; bi = r; }
          }
        }
        o.data[a * inner + j] = bi;
      }
    }
  };
}


export const argmaxP: Primitive<{ axis: number; indexDtype: DType }> = new Primitive<{ axis: number; indexDtype: DType }>("argmax", {
  abstractEval: argShape("argmax"),
  reference: argRef((v, b) => v > b),
  jvp: zeroJvp(() => argmaxP),
  batch: shiftAxesBatch(() => argmaxP, (p) => ({ ...p, axis: p.axis + 1 })),
});
export const argminP: Primitive<{ axis: number; indexDtype: DType }> = new Primitive<{ axis: number; indexDtype: DType }>("argmin", {
  abstractEval: argShape("argmin"),
  reference: argRef((v, b) => v < b),
  jvp: zeroJvp(() => argminP),
  batch: shiftAxesBatch(() => argminP, (p) => ({ ...p, axis: p.axis + 1 })),
});

// ---- cumulative scans

interface CumParams { axis: number; reverse: boolean }

function cumRef(init: (d: DType) => number, f: (d: DType) => Combine) {
  return ([x]: HostArray[], [o]: HostArray[], { axis, reverse }: CumParams) => {
    const shape = x.aval.shape;
    const outer = sizeOf(shape.slice(0, axis)), len = shape[axis], inner = sizeOf(shape.slice(axis + 1));
    const g = f(x.aval.dtype);
    for (let a = 0; a < outer; a++) {
      for (let j = 0; j < inner; j++) {
        let acc = init(x.aval.dtype);
        for (let s = 0; s < len; s++) {
          const r = reverse ? len - 1 - s : s;
          const k = (a * len + r) * inner + j;
          acc = g(acc, x.data[k]);
          o.data[k] = acc;
          acc = o.data[k]; // round to the dtype as a kernel would
        }
      }
    }
  };
}

function cumShape(op: string) {
  return ([x]: ShapedArray[], { axis }: CumParams) => {
    normAxis(op, axis, x.ndim, 0);
    return [x.dtype === "bool" ? new ShapedArray(x.shape, "int32") : x];
  };
}

export const cumsumP: Primitive<CumParams> = new Primitive<CumParams>("cumsum", {
  abstractEval: cumShape("cumsum"),
  reference: cumRef(() => 0, (d) => (isFloat(d) ? (a, b) => a + b : (a, b) => (a + b) | 0)),
  jvp: linearJvp(() => cumsumP),
  transpose: ([ct]: JaxArray[], _, p) => [cumulative(cumsumP, ct, p.axis, !p.reverse)],
  batch: shiftAxesBatch(() => cumsumP, (p) => ({ ...p, axis: p.axis + 1 })),
});
export const cumprodP: Primitive<CumParams> = new Primitive<CumParams>("cumprod", {
  abstractEval: cumShape("cumprod"),
  reference: cumRef(() => 1, (d) => (isFloat(d) ? (a, b) => a * b : Math.imul)),
  jvp: scanJvp(() => cumprodP, mul, (a, ta, b, tb) => add(mul(ta, b), mul(a, tb))),
  batch: shiftAxesBatch(() => cumprodP, (p) => ({ ...p, axis: p.axis + 1 })),
});
// cumprod/cummax/cummin differentiate as JAX's do: as the prefix scan of the (value, tangent)
// pairs, exact at zeros for products and splitting ties evenly for max/min.
type Bin = (a: JaxArray, b: JaxArray) => JaxArray;
function scanJvp(p: () => Primitive<CumParams>, op: Bin, tan: (a: JaxArray, ta: JaxArray, b: JaxArray, tb: JaxArray) => JaxArray) {
  return ([x]: JaxArray[], [t]: JaxArray[], { axis, reverse }: CumParams): [JaxArray[], JaxArray[]] => {
    const r = (a: JaxArray) => (reverse ? rev(a, [axis]) : a);
    const [, tout] = assocScan(([a, ta], [b, tb]) => [op(a, b), tan(a, ta, b, tb)], [r(x), r(t)], axis);
    return [[cumulative(p(), x, axis, reverse)], [r(tout)]];
  };
}
const chooser = (pick: Bin) => (a: JaxArray, ta: JaxArray, b: JaxArray, tb: JaxArray) =>
  select(eq(a, b), mul(add(ta, tb), 0.5), select(pick(a, b), ta, tb));

export const cummaxP: Primitive<CumParams> = new Primitive<CumParams>("cummax", {
  abstractEval: cumShape("cummax"),
  reference: cumRef(lowest, () => fmax),
  jvp: scanJvp(() => cummaxP, max, chooser(gt)),
  batch: shiftAxesBatch(() => cummaxP, (p) => ({ ...p, axis: p.axis + 1 })),
});
export const cumminP: Primitive<CumParams> = new Primitive<CumParams>("cummin", {
  abstractEval: cumShape("cummin"),
  reference: cumRef(highest, () => fmin),
  jvp: scanJvp(() => cumminP, min, chooser(lt)),
  batch: shiftAxesBatch(() => cumminP, (p) => ({ ...p, axis: p.axis + 1 })),
});

export function cumulative(p: Primitive<CumParams>, x: JaxArray, axis: number, reverse = false): JaxArray {
  return bind1(p, [x], { axis, reverse });
}

export const reduceMax = (x: JaxArray, axes: readonly number[]): JaxArray => bind1(reduceMaxP, [x], { axes: [...axes] });
export const reduceMin = (x: JaxArray, axes: readonly number[]): JaxArray => bind1(reduceMinP, [x], { axes: [...axes] });
export const reduceProd = (x: JaxArray, axes: readonly number[]): JaxArray => bind1(reduceProdP, [x], { axes: [...axes] });
export const reduceAnd = (x: JaxArray, axes: readonly number[]): JaxArray => bind1(reduceAndP, [x], { axes: [...axes] });
export const reduceOr = (x: JaxArray, axes: readonly number[]): JaxArray => bind1(reduceOrP, [x], { axes: [...axes] });
export const argmax = (x: JaxArray, axis: number, indexDtype: DType = "int32"): JaxArray => bind1(argmaxP, [x], { axis, indexDtype });
export const argmin = (x: JaxArray, axis: number, indexDtype: DType = "int32"): JaxArray => bind1(argminP, [x], { axis, indexDtype });
