// Shape and layout primitives, all linear: broadcast_in_dim and its transpose reduce_sum, reshape,
// transpose, rev, slice, pad, concatenate; plus iota.
import { ShapedArray } from "../core/aval.js";
import { DType } from "../core/dtype.js";
import { ShapeError } from "../core/errors.js";
import { HostArray, Primitive, UndefPrimal, Zero } from "../core/primitive.js";
import { fmtShape, sizeOf, stridesOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { sub } from "./arith.js";
import { full } from "./helpers.js";

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

function isUndef(x: unknown): x is UndefPrimal { return x instanceof UndefPrimal; }

// ---- broadcast_in_dim

export interface BroadcastParams { shape: number[]; broadcastDimensions: number[] }

export const broadcastInDimP: Primitive<BroadcastParams> = new Primitive("broadcast_in_dim", {
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
  jvp: ([x], [t], p) => [[broadcastInDim(x, p.shape, p.broadcastDimensions)], [broadcastInDim(t, p.shape, p.broadcastDimensions)]],
  transpose([ct], [x], { shape, broadcastDimensions: bd }) {
    const a = (x as UndefPrimal).aval;
    if (ct instanceof Zero) return [new Zero(a)];
    const summed = shape.map((_, d) => d).filter((d) => !bd.includes(d) || (a.shape[bd.indexOf(d)] === 1 && shape[d] !== 1));
    const r = summed.length ? reduceSum(ct, summed) : ct;
    return [reshape(r, a.shape)];
  },
});

// ---- reduce_sum (the transpose of broadcasting)

export const reduceSumP: Primitive<{ axes: number[] }> = new Primitive("reduce_sum", {
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
  jvp: ([x], [t], { axes }) => [[reduceSum(x, axes)], [reduceSum(t, axes)]],
  transpose([ct], [x], { axes }) {
    const a = (x as UndefPrimal).aval;
    if (ct instanceof Zero) return [new Zero(a)];
    const keep = a.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    return [broadcastInDim(ct, [...a.shape], keep)];
  },
});

function checkAxes(op: string, axes: number[], ndim: number): void {
  if (!axes.every((a, i) => Number.isInteger(a) && a >= 0 && a < ndim && (i === 0 || a > axes[i - 1]))) {
    throw new ShapeError(`${op}: invalid axes ${JSON.stringify(axes)} for an array of rank ${ndim}; axes must be sorted, unique and in [0, ${ndim}).`);
  }
}

// ---- reshape

export const reshapeP: Primitive<{ newSizes: number[] }> = new Primitive("reshape", {
  abstractEval([x], { newSizes }) {
    if (sizeOf(newSizes) !== x.size) {
      throw new ShapeError(`reshape: cannot reshape an array of shape ${fmtShape(x.shape)} (size ${x.size}) into shape ` +
        `${fmtShape(newSizes)} (size ${sizeOf(newSizes)}). The total size must stay the same; use -1 for one inferred dimension.`);
    }
    return [new ShapedArray(newSizes, x.dtype, x.weakType)];
  },
  reference([x], [o]) { o.data.set(x.data as any); },
  jvp: ([x], [t], { newSizes }) => [[reshape(x, newSizes)], [reshape(t, newSizes)]],
  transpose: ([ct], [x]) => [ct instanceof Zero ? new Zero((x as UndefPrimal).aval) : reshape(ct, (x as UndefPrimal).aval.shape)],
  printParams: ({ newSizes }) => ({ new_sizes: `(${newSizes.join(", ")}${newSizes.length === 1 ? "," : ""})`, dimensions: "None" }),
});

// ---- transpose

export const transposeP: Primitive<{ permutation: number[] }> = new Primitive("transpose", {
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
  jvp: ([x], [t], { permutation }) => [[transpose(x, permutation)], [transpose(t, permutation)]],
  transpose([ct], [x], { permutation }) {
    if (ct instanceof Zero) return [new Zero((x as UndefPrimal).aval)];
    const inv = new Array<number>(permutation.length);
    permutation.forEach((p, i) => { inv[p] = i; });
    return [transpose(ct, inv)];
  },
  printParams: ({ permutation }) => ({ permutation: `(${permutation.join(", ")}${permutation.length === 1 ? "," : ""})` }),
});

// ---- rev

export const revP: Primitive<{ dimensions: number[] }> = new Primitive("rev", {
  abstractEval([x], { dimensions }) {
    checkAxes("rev", dimensions, x.ndim);
    return [x];
  },
  reference([x], [o], { dimensions }) {
    const shape = x.aval.shape, st = stridesOf(shape);
    forEachIndex(shape, (i, idx) => {
      let s = 0;
      for (let d = 0; d < idx.length; d++) s += (dimensions.includes(d) ? shape[d] - 1 - idx[d] : idx[d]) * st[d];
      o.data[i] = x.data[s];
    });
  },
  jvp: ([x], [t], { dimensions }) => [[rev(x, dimensions)], [rev(t, dimensions)]],
  transpose: ([ct], [x], { dimensions }) => [ct instanceof Zero ? new Zero((x as UndefPrimal).aval) : rev(ct, dimensions)],
});

// ---- slice

export interface SliceParams { startIndices: number[]; limitIndices: number[]; strides: number[] | null }

export const sliceP: Primitive<SliceParams> = new Primitive("slice", {
  abstractEval([x], { startIndices: s, limitIndices: l, strides }) {
    const ok = s.length === x.ndim && l.length === x.ndim && s.every((v, i) => v >= 0 && v <= l[i] && l[i] <= x.shape[i]) &&
      (!strides || (strides.length === x.ndim && strides.every((v) => v >= 1)));
    if (!ok) {
      throw new ShapeError(`slice: start ${JSON.stringify(s)}, limit ${JSON.stringify(l)} and strides ${JSON.stringify(strides)} ` +
        `do not fit an operand of shape ${fmtShape(x.shape)}: need 0 <= start <= limit <= shape and strides >= 1.`);
    }
    return [new ShapedArray(s.map((v, i) => Math.ceil((l[i] - v) / (strides ? strides[i] : 1))), x.dtype, x.weakType)];
  },
  reference([x], [o], { startIndices: s, strides }) {
    const st = stridesOf(x.aval.shape);
    forEachIndex(o.aval.shape, (i, idx) => {
      let k = 0;
      for (let d = 0; d < idx.length; d++) k += (s[d] + idx[d] * (strides ? strides[d] : 1)) * st[d];
      o.data[i] = x.data[k];
    });
  },
  jvp: ([x], [t], p) => [[slice(x, p.startIndices, p.limitIndices, p.strides)], [slice(t, p.startIndices, p.limitIndices, p.strides)]],
  transpose([ct], [x], { startIndices: s, strides }) {
    const a = (x as UndefPrimal).aval;
    if (ct instanceof Zero) return [new Zero(a)];
    const cfg = a.shape.map((n, i): [number, number, number] => {
      const step = strides ? strides[i] : 1;
      const m = ct.shape[i];
      const hi = m === 0 ? n - s[i] : n - (s[i] + (m - 1) * step + 1);
      return m === 0 ? [s[i], hi, 0] : [s[i], hi, step - 1];
    });
    return [pad(ct, full([], 0, ct.dtype), cfg)];
  },
});

// ---- pad (negative low/high padding crops, as in lax.pad)

export const padP: Primitive<{ paddingConfig: [number, number, number][] }> = new Primitive("pad", {
  abstractEval([x, v], { paddingConfig: cfg }) {
    if (v.ndim !== 0 || v.dtype !== x.dtype) {
      throw new ShapeError(`pad: the padding value must be a scalar of the operand's dtype ${x.dtype}, got ${v.str()}.`);
    }
    if (cfg.length !== x.ndim || cfg.some(([, , int]) => int < 0)) {
      throw new ShapeError(`pad: padding config ${JSON.stringify(cfg)} does not fit an operand of rank ${x.ndim} (one [low, high, interior] per axis, interior >= 0).`);
    }
    const shape = x.shape.map((n, i) => cfg[i][0] + cfg[i][1] + n + Math.max(0, n - 1) * cfg[i][2]);
    if (shape.some((n) => n < 0)) throw new ShapeError(`pad: negative padding ${JSON.stringify(cfg)} removes more than the operand's shape ${fmtShape(x.shape)}.`);
    return [new ShapedArray(shape, x.dtype, x.weakType)];
  },
  reference([x, v], [o], { paddingConfig: cfg }) {
    o.data.fill(v.data[0] as never);
    const ost = stridesOf(o.aval.shape);
    forEachIndex(x.aval.shape, (i, idx) => {
      let k = 0;
      for (let d = 0; d < idx.length; d++) {
        const p = cfg[d][0] + idx[d] * (cfg[d][2] + 1);
        if (p < 0 || p >= o.aval.shape[d]) return;
        k += p * ost[d];
      }
      o.data[k] = x.data[i];
    });
  },
  jvp: ([x, v], [tx, tv], { paddingConfig }) => [[pad(x, v, paddingConfig)], [pad(tx, tv, paddingConfig)]],
  transpose([ct], [x, v], { paddingConfig: cfg }) {
    const ax = isUndef(x) ? x.aval : (x as JaxArray).aval;
    if (ct instanceof Zero) return [isUndef(x) ? new Zero(ax) : null, isUndef(v) ? new Zero(v.aval) : null];
    const unpadded = pad(ct, full([], 0, ct.dtype), cfg.map(([lo, hi]) => [-lo, -hi, 0]));
    const tx = slice(unpadded, ax.shape.map(() => 0), [...unpadded.shape], cfg.map(([, , int]) => int + 1));
    const all = (a: JaxArray) => reduceSum(a, a.shape.map((_, i) => i));
    const tv = isUndef(v) ? sub(all(ct), all(tx)) : null;
    return [isUndef(x) ? tx : null, tv];
  },
  printParams: ({ paddingConfig }) => ({ padding_config: `(${paddingConfig.map((c) => `(${c.join(", ")})`).join(", ")})` }),
});

// ---- concatenate

export const concatenateP: Primitive<{ dimension: number }> = new Primitive("concatenate", {
  abstractEval(avals, { dimension: d }) {
    const [a] = avals;
    if (!avals.length) throw new ShapeError("concatenate: needs at least one array.");
    for (const b of avals) {
      if (b.ndim !== a.ndim || b.shape.some((n, i) => i !== d && n !== a.shape[i]) || b.dtype !== a.dtype) {
        throw new ShapeError(`concatenate: all arrays must have the same dtype and the same shape except along axis ${d}, got ` +
          `${avals.map((x) => x.str()).join(", ")}.`);
      }
    }
    if (d < 0 || d >= a.ndim) throw new ShapeError(`concatenate: axis ${d} is out of bounds for arrays of rank ${a.ndim}.`);
    const shape = [...a.shape];
    shape[d] = avals.reduce((acc, x) => acc + x.shape[d], 0);
    return [new ShapedArray(shape, a.dtype, avals.every((x) => x.weakType))];
  },
  reference(ins: HostArray[], [o], { dimension: d }) {
    const ost = stridesOf(o.aval.shape);
    let at = 0;
    for (const x of ins) {
      forEachIndex(x.aval.shape, (i, idx) => {
        let k = 0;
        for (let j = 0; j < idx.length; j++) k += (j === d ? idx[j] + at : idx[j]) * ost[j];
        o.data[k] = x.data[i];
      });
      at += x.aval.shape[d];
    }
  },
  jvp: (xs, ts, { dimension }) => [[concatenate(xs, dimension)], [concatenate(ts, dimension)]],
  transpose([ct], args, { dimension: d }) {
    let at = 0;
    return args.map((x) => {
      const a = isUndef(x) ? x.aval : (x as JaxArray).aval;
      const start = at;
      at += a.shape[d];
      if (!isUndef(x)) return null;
      if (ct instanceof Zero) return new Zero(a);
      const s = a.shape.map((_, i) => (i === d ? start : 0));
      const l = a.shape.map((n, i) => (i === d ? start + n : ct.shape[i]));
      return slice(ct, s, l, null);
    });
  },
});

// ---- iota

export const iotaP: Primitive<{ dtype: DType; shape: number[]; dimension: number }> = new Primitive("iota", {
  abstractEval(_, { dtype, shape }) { return [new ShapedArray(shape, dtype)]; },
  reference(_, [o], { shape, dimension }) {
    forEachIndex(shape, (i, idx) => { o.data[i] = idx[dimension]; });
  },
});

// ---- wrappers

export const broadcastInDim = (x: JaxArray, shape: readonly number[], broadcastDimensions: readonly number[]): JaxArray =>
  bind1(broadcastInDimP, [x], { shape: [...shape], broadcastDimensions: [...broadcastDimensions] });
export const reduceSum = (x: JaxArray, axes: readonly number[]): JaxArray => bind1(reduceSumP, [x], { axes: [...axes] });
export const reshape = (x: JaxArray, newSizes: readonly number[]): JaxArray =>
  x.shape.length === newSizes.length && x.shape.every((d, i) => d === newSizes[i]) ? x : bind1(reshapeP, [x], { newSizes: [...newSizes] });
export const transpose = (x: JaxArray, permutation: readonly number[]): JaxArray =>
  permutation.every((p, i) => p === i) ? x : bind1(transposeP, [x], { permutation: [...permutation] });
export const rev = (x: JaxArray, dimensions: readonly number[]): JaxArray => bind1(revP, [x], { dimensions: [...dimensions] });
export const slice = (x: JaxArray, startIndices: readonly number[], limitIndices: readonly number[], strides: readonly number[] | null = null): JaxArray =>
  bind1(sliceP, [x], { startIndices: [...startIndices], limitIndices: [...limitIndices], strides: strides && strides.every((s) => s === 1) ? null : strides && [...strides] });
export const pad = (x: JaxArray, v: JaxArray, paddingConfig: readonly [number, number, number][]): JaxArray =>
  bind1(padP, [x, v], { paddingConfig: paddingConfig.map((c) => [...c] as [number, number, number]) });
export const concatenate = (xs: JaxArray[], dimension: number): JaxArray => (xs.length === 1 ? xs[0] : bind1(concatenateP, xs, { dimension }));
export const iota = (dtype: DType, shape: readonly number[], dimension: number): JaxArray => bind1(iotaP, [], { dtype, shape: [...shape], dimension });
