// Layout primitives: broadcast_in_dim and its transpose reduce_sum, reshape and transpose; the
// batching helpers every family uses to move and add batch axes live here too.
import { ShapedArray } from "../core/aval.js";
import { DType } from "../core/dtype.js";
import { ShapeError } from "../core/errors.js";
import { BatchDim, Primitive, UndefPrimal } from "../core/primitive.js";
import { fmtShape, sizeOf, stridesOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";

/** Calls f(outFlatIndex, multiIndex) for every element of `shape`, row-major. */
export function forEachIndex(shape: readonly number[], f: (i: number, idx: number[]) => void): void {
  const n = sizeOf(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    f(i, idx);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

// ---- broadcast_in_dim

export interface BroadcastParams { shape: number[]; broadcastDimensions: number[] }

export const broadcastInDimP: Primitive<BroadcastParams> = new Primitive<BroadcastParams>("broadcast_in_dim", {
  abstractEval([x], { shape, broadcastDimensions: bd }) {
    const ok = bd.length === x.ndim && bd.every((d, i) => d >= 0 && d < shape.length && (i === 0 || d > bd[i - 1]) &&
      (x.shape[i] === 1 || x.shape[i] === shape[d]));
    if (!ok) {
      throw new ShapeError(`broadcast_in_dim: cannot broadcast an operand of shape ${fmtShape(x.shape)} to ${fmtShape(shape)} ` +
        `with broadcast_dimensions ${JSON.stringify(bd)}: each operand dimension must be 1 or equal the target dimension it maps to.`);
    }
    return [new ShapedArray(shape, x.dtype, x.weakType)];
  },
  reference([x], [o], { shape, broadcastDimensions: bd }) {
    const st = stridesOf(x.aval.shape);
    const src = shape.map(() => 0);
    bd.forEach((d, i) => { if (x.aval.shape[i] !== 1) src[d] = st[i]; });
    forEachIndex(shape, (i, idx) => {
      let s = 0;
      for (let d = 0; d < idx.length; d++) s += idx[d] * src[d];
      o.data[i] = x.data[s];
    });
  },
  jvp: linearJvp(() => broadcastInDimP),
  transpose([ct]: JaxArray[], [x], { shape, broadcastDimensions: bd }) {
    const a = (x as UndefPrimal).aval;
    const summed = shape.map((_, d) => d).filter((d) => !bd.includes(d) || (a.shape[bd.indexOf(d)] === 1 && shape[d] !== 1));
    const r = summed.length ? reduceSum(ct, summed) : ct;
    return [reshape(r, a.shape)];
  },
  batch([x], [d], { shape, broadcastDimensions }) {
    const xb = moveAxis(x, d!, 0);
    return [[broadcastInDim(xb, [xb.shape[0], ...shape], [0, ...plus1(broadcastDimensions)])], [0]];
  },
});

// ---- reduce_sum (the transpose of broadcasting)

export const reduceSumP: Primitive<{ axes: number[] }> = new Primitive<{ axes: number[] }>("reduce_sum", {
  abstractEval([x], { axes }) {
    checkAxes("reduce_sum", axes, x.ndim);
    const dtype: DType = x.dtype === "bool" ? "int32" : x.dtype;
    return [new ShapedArray(x.shape.filter((_, i) => !axes.includes(i)), dtype, x.weakType)];
  },
  reference([x], [o], { axes }) {
    const keep = x.aval.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const ost = stridesOf(keep.map((i) => x.aval.shape[i]));
    const acc = new Float64Array(o.data.length);
    const isInt = o.aval.dtype === "int32" || o.aval.dtype === "uint32";
    forEachIndex(x.aval.shape, (i, idx) => {
      let j = 0;
      for (let k = 0; k < keep.length; k++) j += idx[keep[k]] * ost[k];
      acc[j] = isInt ? (acc[j] + x.data[i]) % 4294967296 : acc[j] + x.data[i];
    });
    o.data.set(acc as any);
  },
  jvp: linearJvp(() => reduceSumP),
  transpose([ct]: JaxArray[], [x], { axes }) {
    const a = (x as UndefPrimal).aval;
    const keep = a.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    return [broadcastInDim(ct, [...a.shape], keep)];
  },
  batch: shiftAxesBatch(() => reduceSumP, (p) => ({ axes: plus1(p.axes) })),
});

export function checkAxes(op: string, axes: number[], ndim: number): void {
  if (!axes.every((a, i) => Number.isInteger(a) && a >= 0 && a < ndim && (i === 0 || a > axes[i - 1]))) {
    throw new ShapeError(`${op}: invalid axes ${JSON.stringify(axes)} for an array of rank ${ndim}; axes must be sorted, unique and in [0, ${ndim}).`);
  }
}

// ---- reshape

export const reshapeP: Primitive<{ newSizes: number[] }> = new Primitive<{ newSizes: number[] }>("reshape", {
  abstractEval([x], { newSizes }) {
    if (sizeOf(newSizes) !== x.size) {
      throw new ShapeError(`reshape: cannot reshape an array of shape ${fmtShape(x.shape)} (size ${x.size}) into shape ` +
        `${fmtShape(newSizes)} (size ${sizeOf(newSizes)}). The total size must stay the same; use -1 for one inferred dimension.`);
    }
    return [new ShapedArray(newSizes, x.dtype, x.weakType)];
  },
  reference([x], [o]) { o.data.set(x.data as any); },
  jvp: linearJvp(() => reshapeP),
  transpose: ([ct]: JaxArray[], [x]) => [reshape(ct, x.aval.shape)],
  printParams: ({ newSizes }) => ({ newSizes, dimensions: null }),
  batch([x], [d], { newSizes }) {
    const xb = moveAxis(x, d!, 0);
    return [[reshape(xb, [xb.shape[0], ...newSizes])], [0]];
  },
});

// ---- transpose

export const transposeP: Primitive<{ permutation: number[] }> = new Primitive<{ permutation: number[] }>("transpose", {
  abstractEval([x], { permutation: p }) {
    const sorted = [...p].sort((a, b) => a - b);
    if (p.length !== x.ndim || !sorted.every((v, i) => v === i)) {
      throw new ShapeError(`transpose: permutation ${JSON.stringify(p)} is not a permutation of the ${x.ndim} axes of shape ${fmtShape(x.shape)}.`);
    }
    return [new ShapedArray(p.map((i) => x.shape[i]), x.dtype, x.weakType)];
  },
  reference([x], [o], { permutation: p }) {
    const st = stridesOf(x.aval.shape);
    forEachIndex(o.aval.shape, (i, idx) => {
      let s = 0;
      for (let d = 0; d < p.length; d++) s += idx[d] * st[p[d]];
      o.data[i] = x.data[s];
    });
  },
  jvp: linearJvp(() => transposeP),
  transpose([ct]: JaxArray[], _, { permutation }) {
    const inv = new Array<number>(permutation.length);
    permutation.forEach((p, i) => { inv[p] = i; });
    return [transpose(ct, inv)];
  },
  batch([x], [d], { permutation }) {
    const xb = moveAxis(x, d!, 0);
    return [[transpose(xb, [0, ...plus1(permutation)])], [0]];
  },
});

export const broadcastInDim = (x: JaxArray, shape: readonly number[], broadcastDimensions: readonly number[]): JaxArray =>
  bind1(broadcastInDimP, [x], { shape: [...shape], broadcastDimensions: [...broadcastDimensions] });
export const reduceSum = (x: JaxArray, axes: readonly number[]): JaxArray => bind1(reduceSumP, [x], { axes: [...axes] });
export const reshape = (x: JaxArray, newSizes: readonly number[]): JaxArray =>
  x.shape.length === newSizes.length && x.shape.every((d, i) => d === newSizes[i]) ? x : bind1(reshapeP, [x], { newSizes: [...newSizes] });
export const transpose = (x: JaxArray, permutation: readonly number[]): JaxArray =>
  permutation.every((p, i) => p === i) ? x : bind1(transposeP, [x], { permutation: [...permutation] });

// ---- batching helpers (used by every family's vmap rule)

/** Moves axis `from` of x to position `to`. */
export function moveAxis(x: JaxArray, from: number, to: number): JaxArray {
  if (from === to) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}

/** x with its batch axis at 0; an unbatched x gets a new axis 0 of length `size` (broadcast). */
export function batchAtFront(x: JaxArray, d: BatchDim, size: number): JaxArray {
  if (d === null) return broadcastInDim(x, [size, ...x.shape], x.shape.map((_, i) => i + 1));
  return moveAxis(x, d, 0);
}

export function batchSize(args: JaxArray[], dims: BatchDim[]): number {
  for (let i = 0; i < args.length; i++) {
    const d = dims[i];
    if (d !== null) return args[i].shape[d];
  }
  return 1;
}

/**
 * vmap rule of a primitive mapping elementwise over same-shaped operands (scalars broadcast):
 * batch axes are aligned at 0; an unbatched scalar stays a scalar.
 */
export function elementwiseBatch(prim: () => Primitive) {
  return (args: JaxArray[], dims: BatchDim[], params: any): [JaxArray[], BatchDim[]] => {
    if (args.length === 1) return [[bind1(prim(), args, params)], [dims[0]]];
    const rank = (x: JaxArray, d: BatchDim) => x.ndim - (d === null ? 0 : 1);
    const outRank = Math.max(...args.map((x, i) => rank(x, dims[i])));
    const first = dims.find((d) => d !== null)!;
    // Common case: every operand batched along the same axis with the full per-example shape.
    if (args.every((x, i) => (dims[i] === first && rank(x, first) === outRank) || (dims[i] === null && x.ndim === 0))) {
      return [[bind1(prim(), args, params)], [first]];
    }
    const size = batchSize(args, dims);
    let full: readonly number[] | null = null;
    args.forEach((x, i) => {
      if (full === null && rank(x, dims[i]) === outRank) full = dims[i] === null ? x.shape : x.shape.filter((_, k) => k !== dims[i]);
    });
    const target = [size, ...(full ?? [])];
    const moved = args.map((x, i) => {
      if (dims[i] === null && x.ndim === 0) return x;
      const b = batchAtFront(x, dims[i], size);
      return b.ndim < target.length ? broadcastInDim(b, target, [0]) : b;
    });
    return [[bind1(prim(), moved, params)], [0]];
  };
}

/** JVP rule of a primitive linear in its one operand: the primitive itself on primal and tangent. */
export function linearJvp(prim: () => Primitive) {
  return ([x]: JaxArray[], [t]: JaxArray[], p: any): [JaxArray[], JaxArray[]] => [[bind1(prim(), [x], p)], [bind1(prim(), [t], p)]];
}

/** vmap rule for ops that act on the trailing axes given by params: batch at 0, axes shifted by one. */
export function shiftAxesBatch(prim: () => Primitive, shift: (params: any) => any, fix?: (params: any, xb: JaxArray) => any) {
  return ([x]: JaxArray[], [d]: BatchDim[], params: any): [JaxArray[], BatchDim[]] => {
    const xb = moveAxis(x, d!, 0);
    const p = shift(params);
    return [[bind1(prim(), [xb], fix ? fix(p, xb) : p)], [0]];
  };
}

const plus1 = (a: number[]) => a.map((v) => v + 1);
