// Structural primitives, all linear: rev, slice, pad, concatenate; plus iota. The layout family
// (broadcast_in_dim, reduce_sum, reshape, transpose) is re-exported so callers see one module.
import { ShapedArray } from "../core/aval.js";
import { DType } from "../core/dtype.js";
import { ShapeError } from "../core/errors.js";
import { HostArray, Primitive, UndefPrimal } from "../core/primitive.js";
import { fmtShape, normAxis, stridesOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { select, sub } from "./arith.js";
import { full } from "./helpers.js";
import { batchAtFront, batchSize, broadcastInDim, checkAxes, forEachIndex, linearJvp, moveAxis, reduceSum, shiftAxesBatch } from "./layout.js";

export * from "./layout.js";

function isUndef(x: unknown): x is UndefPrimal { return x instanceof UndefPrimal; }

// ---- rev

export const revP: Primitive<{ dimensions: number[] }> = new Primitive<{ dimensions: number[] }>("rev", {
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
  jvp: linearJvp(() => revP),
  transpose: ([ct]: JaxArray[], _, { dimensions }) => [rev(ct, dimensions)],
  batch: shiftAxesBatch(() => revP, (p) => ({ dimensions: p.dimensions.map((d: number) => d + 1) })),
});

// ---- slice

export interface SliceParams { startIndices: number[]; limitIndices: number[]; strides: number[] | null }

export const sliceP: Primitive<SliceParams> = new Primitive<SliceParams>("slice", {
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
  jvp: linearJvp(() => sliceP),
  transpose([ct]: JaxArray[], [x], { startIndices: s, strides }) {
    const a = (x as UndefPrimal).aval;
    const cfg = a.shape.map((n, i): [number, number, number] => {
      const step = strides ? strides[i] : 1;
      const m = ct.shape[i];
      const hi = m === 0 ? n - s[i] : n - (s[i] + (m - 1) * step + 1);
      return m === 0 ? [s[i], hi, 0] : [s[i], hi, step - 1];
    });
    return [pad(ct, full([], 0, ct.dtype), cfg)];
  },
  batch: shiftAxesBatch(() => sliceP, (p: SliceParams) => ({
    startIndices: [0, ...p.startIndices], limitIndices: [Infinity, ...p.limitIndices], strides: p.strides && [1, ...p.strides],
  }), (p: SliceParams, x: JaxArray) => ({ ...p, limitIndices: [x.shape[0], ...p.limitIndices.slice(1)] })),
});

// ---- pad (negative low/high padding crops, as in lax.pad)

export const padP: Primitive<{ paddingConfig: [number, number, number][] }> = new Primitive<{ paddingConfig: [number, number, number][] }>("pad", {
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
  transpose([ct]: JaxArray[], [x, v], { paddingConfig: cfg }) {
    const ax = isUndef(x) ? x.aval : (x as JaxArray).aval;
    const unpadded = pad(ct, full([], 0, ct.dtype), cfg.map(([lo, hi]) => [-lo, -hi, 0]));
    const tx = slice(unpadded, ax.shape.map(() => 0), [...unpadded.shape], cfg.map(([, , int]) => int + 1));
    const all = (a: JaxArray) => reduceSum(a, a.shape.map((_, i) => i));
    const tv = isUndef(v) ? sub(all(ct), all(tx)) : null;
    return [isUndef(x) ? tx : null, tv];
  },
  printParams: ({ paddingConfig }) => ({ padding_config: `(${paddingConfig.map((c) => `(${c.join(", ")})`).join(", ")})` }),
  batch([x, v], [dx, dv], { paddingConfig }) {
    const size = batchSize([x, v], [dx, dv]);
    const xb = batchAtFront(x, dx, size);
    const cfg: [number, number, number][] = [[0, 0, 0], ...paddingConfig];
    if (dv === null) return [[pad(xb, v, cfg)], [0]];
    // A batched padding value: pad with zeros, then select the value where the mask says padding.
    const zero = full([], 0, x.dtype);
    const padded = pad(xb, zero, cfg);
    const inside = pad(full(xb.shape, 1, "bool"), full([], 0, "bool"), cfg);
    const vb = broadcastInDim(moveAxis(v, dv, 0), padded.shape, [0]);
    return [[select(inside, padded, vb)], [0]];
  },
});

// ---- concatenate

export const concatenateP: Primitive<{ dimension: number }> = new Primitive<{ dimension: number }>("concatenate", {
  abstractEval(avals, { dimension: d }) {
    const [a] = avals;
    if (!avals.length) throw new ShapeError("concatenate: needs at least one array.");
    for (const b of avals) {
      if (b.ndim !== a.ndim || b.shape.some((n, i) => i !== d && n !== a.shape[i]) || b.dtype !== a.dtype) {
        throw new ShapeError(`concatenate: all arrays must have the same dtype and the same shape except along axis ${d}, got ` +
          `${avals.map((x) => x.str()).join(", ")}.`);
      }
    }
    normAxis("concatenate", d, a.ndim, 0);
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
  transpose([ct]: JaxArray[], args, { dimension: d }) {
    let at = 0;
    return args.map((x) => {
      const a = isUndef(x) ? x.aval : (x as JaxArray).aval;
      const start = at;
      at += a.shape[d];
      if (!isUndef(x)) return null;
      const s = a.shape.map((_, i) => (i === d ? start : 0));
      const l = a.shape.map((n, i) => (i === d ? start + n : ct.shape[i]));
      return slice(ct, s, l, null);
    });
  },
  batch(xs, dims, { dimension }) {
    const size = batchSize(xs, dims);
    return [[concatenate(xs.map((x, i) => batchAtFront(x, dims[i], size)), dimension + 1)], [0]];
  },
});

// ---- iota

export const iotaP: Primitive<{ dtype: DType; shape: number[]; dimension: number }> = new Primitive<{ dtype: DType; shape: number[]; dimension: number }>("iota", {
  abstractEval(_, { dtype, shape }) { return [new ShapedArray(shape, dtype)]; },
  reference(_, [o], { shape, dimension }) {
    forEachIndex(shape, (i, idx) => { o.data[i] = idx[dimension]; });
  },
});

// ---- wrappers

export const rev = (x: JaxArray, dimensions: readonly number[]): JaxArray => bind1(revP, [x], { dimensions: [...dimensions] });
export const slice = (x: JaxArray, startIndices: readonly number[], limitIndices: readonly number[], strides: readonly number[] | null = null): JaxArray =>
  bind1(sliceP, [x], { startIndices: [...startIndices], limitIndices: [...limitIndices], strides: strides && strides.every((s) => s === 1) ? null : strides && [...strides] });
export const pad = (x: JaxArray, v: JaxArray, paddingConfig: readonly [number, number, number][]): JaxArray =>
  bind1(padP, [x, v], { paddingConfig: paddingConfig.map((c) => [...c] as [number, number, number]) });
export const concatenate = (xs: JaxArray[], dimension: number): JaxArray => (xs.length === 1 ? xs[0] : bind1(concatenateP, xs, { dimension }));
export const iota = (dtype: DType, shape: readonly number[], dimension: number): JaxArray => bind1(iotaP, [], { dtype, shape: [...shape], dimension });
