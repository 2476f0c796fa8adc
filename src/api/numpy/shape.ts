// numpy's shape and movement functions on top of the structural primitives.
import { axisOptions } from "./options.js";
import { ShapeError, ValueError } from "../../core/errors.js";
import { fmtShape, normAxes, normAxis, sizeOf } from "../../core/shape.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as A from "../../primitives/arith.js";
import { gather } from "../../primitives/indexing.js";
import * as S from "../../primitives/structural.js";
import { arange, array, asArray, scalar } from "./creation.js";
import { broadcastAll, broadcastTo_, promote, round as jround } from "./ufuncs.js";
import * as R from "./reductions.js";
import { isFloat } from "../../core/dtype.js";

type AxisArg = number | { axis?: number | null } | undefined | null;
function axisOf(a: AxisArg, dflt: number | null): number | null {
  if (a === undefined) return dflt;
  if (a === null || typeof a === "number") return a;
  return a.axis === undefined ? dflt : a.axis;
}

/** reshape(x, shape, order?): order "F" reads and writes the elements in column-major order, as numpy. */
export function reshape(x: ArrayLike, shape: number | readonly number[], order?: "C" | "F" | "A" | { order?: "C" | "F" | "A" }): JaxArray {
  const ord = order === undefined ? "C" : typeof order === "string" ? order : typeof order === "object" && order !== null ? order.order ?? "C" : order;
  if (ord !== "C" && ord !== "F" && ord !== "A") throw new ValueError(`reshape: order must be "C", "F" or "A", got ${JSON.stringify(ord)}.`);
  if (ord === "F") {
    const a = asArray(x);
    const rev = (t: JaxArray) => S.transpose(t, t.shape.map((_, i) => t.ndim - 1 - i));
    const s = typeof shape === "number" ? [shape] : [...shape];
    return rev(reshape(rev(a), s.reverse()));
  }
  const a = asArray(x);
  const s = typeof shape === "number" ? [shape] : [...shape];
  const neg = s.filter((d) => d === -1).length;
  if (neg > 1 || s.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ShapeError(`reshape: invalid new shape ${fmtShape(s)}: dimensions must be non-negative integers, with at most one -1.`);
  }
  if (neg === 1) {
    const known = sizeOf(s.filter((d) => d !== -1));
    if (known === 0 || a.size % known !== 0) {
      throw new ShapeError(`reshape: cannot reshape an array of shape ${fmtShape(a.shape)} (size ${a.size}) into shape ${fmtShape(s)}: ` +
        `the size is not divisible by ${known}.`);
    }
    s[s.indexOf(-1)] = a.size / known;
  }
  return S.reshape(a, s);
}

/** ravel(x, order = "C"): x flattened, in row-major ("C") or column-major ("F") order. */
export function ravel(x: ArrayLike, order: "C" | "F" | { order?: "C" | "F" } = "C"): JaxArray {
  const o = typeof order === "string" ? order : order.order ?? "C";
  if (o !== "C" && o !== "F") throw new ValueError(`ravel: order must be "C" or "F", got ${JSON.stringify(o)}.`);
  return reshape(x, [-1], { order: o });
}

export function transpose(x: ArrayLike, axesArg?: readonly number[] | null | { axes?: readonly number[] | null }): JaxArray {
  const a = asArray(x);
  const axes = axesArg !== null && typeof axesArg === "object" && !Array.isArray(axesArg) ? (axesArg as { axes?: readonly number[] | null }).axes : axesArg as readonly number[] | null | undefined;
  const perm = axes ? axes.map((ax) => normAxis("transpose", ax, a.ndim)) : a.shape.map((_, i) => a.ndim - 1 - i);
  if (perm.length !== a.ndim || new Set(perm).size !== perm.length) {
    throw new ShapeError(`transpose: axes ${JSON.stringify(axes)} are not a permutation of the ${a.ndim} axes of an array of shape ${fmtShape(a.shape)}.`);
  }
  return S.transpose(a, perm);
}

export function swapaxes(x: ArrayLike, axis1: number, axis2: number): JaxArray {
  const a = asArray(x);
  const perm = a.shape.map((_, i) => i);
  const i = normAxis("swapaxes", axis1, a.ndim), j = normAxis("swapaxes", axis2, a.ndim);
  [perm[i], perm[j]] = [perm[j], perm[i]];
  return S.transpose(a, perm);
}

export function moveaxis(x: ArrayLike, source: number | readonly number[], destination: number | readonly number[]): JaxArray {
  const a = asArray(x);
  const src = (typeof source === "number" ? [source] : [...source]).map((s) => normAxis("moveaxis", s, a.ndim));
  const dst = (typeof destination === "number" ? [destination] : [...destination]).map((s) => normAxis("moveaxis", s, a.ndim));
  if (src.length !== dst.length) throw new ShapeError("moveaxis: source and destination must have the same number of axes.");
  const rest = a.shape.map((_, i) => i).filter((i) => !src.includes(i));
  const perm = new Array<number>(a.ndim).fill(-1);
  dst.forEach((d, k) => { perm[d] = src[k]; });
  let r = 0;
  for (let i = 0; i < a.ndim; i++) if (perm[i] === -1) perm[i] = rest[r++];
  return S.transpose(a, perm);
}

export function expandDims(x: ArrayLike, axisOrOptions: number | readonly number[] | { axis: number | readonly number[] }): JaxArray {
  const a = asArray(x);
  const axis = axisOptions<{ axis?: number | readonly number[] }>("expandDims", axisOrOptions as any).axis;
  if (axis === undefined || axis === null) throw new ShapeError("expandDims: needs the axis (or axes) at which to insert a new axis of size 1, e.g. expandDims(x, 0).");
  const axes = typeof axis === "number" ? [axis] : [...axis];
  const nd = a.ndim + axes.length;
  const norm = normAxes("expand_dims", axes, nd);
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < nd; i++) shape.push(norm.includes(i) ? 1 : a.shape[k++]);
  return S.reshape(a, shape);
}

export function squeeze(x: ArrayLike, axisOrOptions?: number | readonly number[] | null | { axis?: number | readonly number[] | null }): JaxArray {
  const a = asArray(x);
  const axis = axisOptions<{ axis?: number | readonly number[] | null }>("squeeze", axisOrOptions as any).axis;
  const axes = axis === undefined || axis === null ? a.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0) : normAxes("squeeze", axis, a.ndim);
  for (const ax of axes) {
    if (a.shape[ax] !== 1) {
      throw new ShapeError(`squeeze: cannot select an axis to squeeze out which has size not equal to one: axis ${ax} of shape ${fmtShape(a.shape)}.`);
    }
  }
  return S.reshape(a, a.shape.filter((_, i) => !axes.includes(i)));
}

export function broadcastTo(x: ArrayLike, shapeArg: number | readonly number[]): JaxArray {
  const a = asArray(x);
  const shape = typeof shapeArg === "number" ? [shapeArg] : shapeArg;
  const ok = shape.length >= a.ndim && a.shape.every((d, i) => d === 1 || d === shape[shape.length - a.ndim + i]);
  if (!ok) throw new ShapeError(`broadcast_to: cannot broadcast an array of shape ${fmtShape(a.shape)} to shape ${fmtShape(shape)}.`);
  return broadcastTo_(a, shape);
}

export function broadcastArrays(...xs: ArrayLike[]): JaxArray[] {
  return broadcastAll("broadcast_arrays", xs.map(asArray));
}

/** atleast1d(...arys): one array back for one input, else a list (as JAX). */
export function atleast1d(x: ArrayLike): JaxArray;
export function atleast1d(...xs: ArrayLike[]): JaxArray | JaxArray[];
export function atleast1d(...xs: ArrayLike[]): JaxArray | JaxArray[] {
  const out = xs.map((x) => { const a = asArray(x); return a.ndim === 0 ? S.reshape(a, [1]) : a; });
  return out.length === 1 ? out[0] : out;
}

export function concatenate(arrays: readonly ArrayLike[], axis: AxisArg = 0): JaxArray {
  if (!arrays.length) throw new ValueError("concatenate: need at least one array to concatenate.");
  const ax = axisOf(axis, 0);
  let xs = promote("concatenate", [...arrays]);
  if (ax === null) xs = xs.map((x) => S.reshape(x, [x.size]));
  if (xs.some((x) => x.ndim === 0)) throw new ShapeError("concatenate: zero-dimensional arrays cannot be concatenated; use stack.");
  return S.concatenate(xs, normAxis("concatenate", ax ?? 0, xs[0].ndim));
}

export function stack(arrays: readonly ArrayLike[], axis: AxisArg = 0): JaxArray {
  if (!arrays.length) throw new ValueError("stack: need at least one array to stack.");
  const xs = promote("stack", [...arrays]);
  const s0 = xs[0].shape;
  if (xs.some((x) => x.shape.length !== s0.length || x.shape.some((d, i) => d !== s0[i]))) {
    throw new ShapeError(`stack: all input arrays must have the same shape, got ${xs.map((x) => fmtShape(x.shape)).join(", ")}.`);
  }
  const ax = normAxis("stack", axisOf(axis, 0) ?? 0, s0.length + 1);
  return S.concatenate(xs.map((x) => expandDims(x, ax)), ax);
}
export const vstack = (arrays: readonly ArrayLike[]) => concatenate(arrays.map((a) => { const x = asArray(a); return x.ndim < 2 ? reshape(x, [1, x.size]) : x; }), 0);
export const hstack = (arrays: readonly ArrayLike[]) => { const xs = arrays.map(asArray); return concatenate(xs, xs[0].ndim === 1 ? 0 : 1); };

export function split(x: ArrayLike, indicesOrSectionsArg: number | readonly number[] | JaxArray, axis: AxisArg = 0): JaxArray[] {
  const a = asArray(x);
  // Split points decide the output shapes, so an Array of them must be concrete.
  const indicesOrSections = indicesOrSectionsArg instanceof JaxArray ? indicesOrSectionsArg.toArray() as number | number[] : indicesOrSectionsArg;
  const ax = normAxis("split", axisOf(axis, 0) ?? 0, a.ndim);
  const n = a.shape[ax];
  let cuts: number[];
  if (typeof indicesOrSections === "number") {
    if (indicesOrSections <= 0 || n % indicesOrSections !== 0) {
      throw new ShapeError(`split: array split does not result in an equal division: axis ${ax} of size ${n} into ${indicesOrSections} sections. Pass the split indices instead, e.g. split(x, [2, 5]).`);
    }
    const step = n / indicesOrSections;
    cuts = [...Array(indicesOrSections - 1).keys()].map((i) => (i + 1) * step);
  } else {
    cuts = indicesOrSections.map((i) => Math.min(Math.max(i < 0 ? i + n : i, 0), n));
  }
  const bounds = [0, ...cuts, n];
  const out: JaxArray[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = a.shape.map((_, d) => (d === ax ? bounds[i] : 0));
    const limit = a.shape.map((s, d) => (d === ax ? Math.max(bounds[i], bounds[i + 1]) : s));
    out.push(S.slice(a, start, limit));
  }
  return out;
}

export function tile(x: ArrayLike, reps: number | readonly number[]): JaxArray {
  let a = asArray(x);
  const r = typeof reps === "number" ? [reps] : [...reps];
  const nd = Math.max(a.ndim, r.length);
  const shape = [...Array(nd - a.ndim).fill(1), ...a.shape];
  const rr = [...Array(nd - r.length).fill(1), ...r];
  a = S.reshape(a, shape.flatMap((d) => [1, d]));
  const big = shape.flatMap((d, i) => [rr[i], d]);
  return S.reshape(broadcastTo_(a, big), shape.map((d, i) => d * rr[i]));
}

export function repeat(x: ArrayLike, repeatsArg: number | readonly number[] | JaxArray, axis: AxisArg | { axis?: number | null; totalRepeatLength?: number } = null,
  totalRepeatLength?: number): JaxArray {
  let a = asArray(x);
  const total = typeof axis === "object" && axis !== null ? (axis as { totalRepeatLength?: number }).totalRepeatLength : totalRepeatLength;
  let repeats: number | readonly number[];
  if (repeatsArg instanceof JaxArray) {
    // Repeat counts decide the output shape, so they must be concrete (as in JAX without total_repeat_length).
    if (repeatsArg.ndim > 1) throw new ShapeError(`repeat: repeats must be a scalar or 1-D, got shape ${fmtShape(repeatsArg.shape)}.`);
    const v = repeatsArg.toArray();
    repeats = typeof v === "number" || typeof v === "boolean" ? +v : (v as number[]);
  } else repeats = repeatsArg;
  if (total !== undefined) {
    const flatN = axisOf(axis as AxisArg, null) === null ? a.size : a.shape[normAxis("repeat", axisOf(axis as AxisArg, null)!, a.ndim)];
    const counts = typeof repeats === "number" ? Array<number>(flatN).fill(repeats) : [...repeats];
    // JAX: drop what exceeds total_repeat_length, repeat the final element to fill a shortfall.
    const sum = counts.reduce((p, q) => p + q, 0);
    if (sum > total) {
      let left = total;
      for (let i = 0; i < counts.length; i++) { counts[i] = Math.min(counts[i], left); left -= counts[i]; }
    } else if (counts.length) counts[counts.length - 1] += total - sum;
    repeats = counts;
  }
  if ((typeof repeats === "number" ? [repeats] : repeats).some((r) => !Number.isInteger(r) || r < 0)) {
    throw new ValueError(`repeat: repeats must be non-negative integers, got ${JSON.stringify(repeats)}.`);
  }
  let ax = axisOf(axis as AxisArg, null);
  if (ax === null) { a = S.reshape(a, [a.size]); ax = 0; }
  ax = normAxis("repeat", ax, a.ndim);
  const n = a.shape[ax];
  if (typeof repeats === "number") {
    const expanded = S.reshape(a, [...a.shape.slice(0, ax + 1), 1, ...a.shape.slice(ax + 1)]);
    const b = broadcastTo_(expanded, [...a.shape.slice(0, ax + 1), repeats, ...a.shape.slice(ax + 1)]);
    return S.reshape(b, a.shape.map((d, i) => (i === ax ? d * repeats : d)));
  }
  if (repeats.length === 1) return repeat(a, repeats[0], ax);
  if (repeats.length !== n) throw new ShapeError(`repeat: ${repeats.length} repeat counts for an axis of size ${n}.`);
  const idx: number[] = [];
  repeats.forEach((k, i) => { for (let j = 0; j < k; j++) idx.push(i); });
  return gather(a, array(Int32Array.from(idx)), ax);
}

export type PadMode = "constant" | "edge" | "reflect" | "symmetric" | "wrap" | "mean" | "maximum" | "minimum" | "empty";
export interface PadOptions {
  mode?: PadMode;
  constantValues?: number | readonly number[] | readonly (readonly number[])[];
  reflectType?: "even";
  /** For mean/maximum/minimum: how many edge elements the statistic uses (default the whole axis). */
  statLength?: number | readonly number[] | readonly (readonly number[])[];
}
type PadWidth = number | readonly number[] | readonly (readonly number[])[];

/** numpy's pad_width (or constant_values) forms: n, [n], [before, after], [[before, after]], one pair per axis. */
function pairsPerAxis<T>(op: string, what: string, v: T | readonly T[] | readonly (readonly T[])[], ndim: number): [T, T][] {
  if (!Array.isArray(v)) return Array.from({ length: ndim }, () => [v as T, v as T]);
  if (!v.length || !Array.isArray(v[0])) {
    const p = v as readonly T[];
    if (p.length < 1 || p.length > 2) throw new ShapeError(`${op}: ${what} ${JSON.stringify(v)} must be a number, [before, after] or one pair per axis.`);
    return Array.from({ length: ndim }, () => [p[0], p.length > 1 ? p[1] : p[0]]);
  }
  const p = v as readonly (readonly T[])[];
  const pairs = p.map((q) => [q[0], q.length > 1 ? q[1] : q[0]] as [T, T]);
  if (pairs.length === 1) return Array.from({ length: ndim }, () => pairs[0]);
  if (pairs.length !== ndim) throw new ShapeError(`${op}: ${what} ${JSON.stringify(v)} gives ${pairs.length} pairs for an array of rank ${ndim}; give one [before, after] pair per axis.`);
  return pairs;
}

/** For each output position along an axis of size n padded by (lo, hi), the source index under `mode`. */
function padSource(mode: Exclude<PadMode, "constant">, n: number, lo: number, hi: number): Int32Array {
  const out = new Int32Array(lo + n + hi);
  for (let j = 0; j < out.length; j++) {
    const i = j - lo;
    let k: number;
    if (mode === "edge") k = Math.min(Math.max(i, 0), n - 1);
    else if (mode === "wrap") k = ((i % n) + n) % n;
    else if (mode === "symmetric") {
      const m = ((i % (2 * n)) + 2 * n) % (2 * n);
      k = m < n ? m : 2 * n - 1 - m;
    } else if (n === 1) k = 0; // reflect
    else {
      const per = 2 * (n - 1);
      const m = ((i % per) + per) % per;
      k = m < n ? m : per - m;
    }
    out[j] = k;
  }
  return out;
}

/**
 * pad(x, padWidth, mode?, options?) or pad(x, padWidth, { mode, constantValues }): numpy's modes
 * "constant" (default), "edge", "reflect", "symmetric" and "wrap".
 */
export function pad(x: ArrayLike, padWidth: PadWidth, modeOrOpts: PadMode | PadOptions = {}, more: PadOptions = {}): JaxArray {
  const a = asArray(x);
  const opts: PadOptions = typeof modeOrOpts === "string" ? { ...more, mode: modeOrOpts } : { ...modeOrOpts };
  const mode = opts.mode ?? "constant";
  if (!["constant", "edge", "reflect", "symmetric", "wrap", "mean", "maximum", "minimum", "empty"].includes(mode)) {
    throw new ValueError(`pad: mode "${mode}" is not implemented; use "constant", "edge", "reflect", "symmetric", "wrap", "mean", "maximum", "minimum" or "empty".`);
  }
  if (opts.reflectType !== undefined && opts.reflectType !== "even") throw new ValueError(`pad: reflectType "${opts.reflectType}" is not implemented; only "even" is.`);
  const pw = pairsPerAxis<number>("pad", "pad_width", padWidth as never, a.ndim);
  if (pw.some(([l, h]) => !Number.isInteger(l) || !Number.isInteger(h) || l < 0 || h < 0)) {
    throw new ShapeError(`pad: pad_width ${JSON.stringify(padWidth)} must be non-negative integers ([before, after] per axis).`);
  }
  if (mode === "empty") return S.pad(a, scalar(0, a.dtype), pw.map(([l, h]) => [l, h, 0]));
  if (mode === "mean" || mode === "maximum" || mode === "minimum") return padStats(a, pw, mode, opts.statLength);
  if (opts.statLength !== undefined) throw new ValueError(`pad: statLength applies to modes "mean", "maximum" and "minimum", not "${mode}".`);
  if (mode === "constant") {
    const cv = pairsPerAxis<number>("pad", "constantValues", (opts.constantValues ?? 0) as never, a.ndim);
    if (cv.every(([l, h]) => l === cv[0][0] && h === cv[0][0])) return S.pad(a, scalar(cv[0][0], a.dtype), pw.map(([l, h]) => [l, h, 0]));
    // Different values per side: pad one side of one axis at a time (numpy fills axis by axis).
    let r = a;
    pw.forEach(([l, h], d) => {
      const cfg = (lo: number, hi: number) => r.shape.map((_, k) => (k === d ? [lo, hi, 0] : [0, 0, 0]) as [number, number, number]);
      r = S.pad(S.pad(r, scalar(cv[d][0], a.dtype), cfg(l, 0)), scalar(cv[d][1], a.dtype), cfg(0, h));
    });
    return r;
  }
  if (opts.constantValues !== undefined) throw new ValueError(`pad: constantValues applies to mode "constant" only, not "${mode}".`);
  let r = a;
  pw.forEach(([l, h], d) => {
    if (l === 0 && h === 0) return;
    if (a.shape[d] === 0) throw new ValueError(`pad: can't extend the empty axis ${d} of shape ${fmtShape(a.shape)} with mode "${mode}".`);
    r = gather(r, array(padSource(mode as Exclude<PadMode, "constant">, a.shape[d], l, h)), d);
  });
  return r;
}

/** numpy's statistic modes: each side of each axis (in turn) is filled with a statistic of its edge. */
function padStats(x: JaxArray, pw: [number, number][], mode: "mean" | "maximum" | "minimum", statLength: PadOptions["statLength"]): JaxArray {
  const stat = mode === "mean" ? R.mean : mode === "maximum" ? R.max : R.min;
  const lengths = statLength === undefined ? null : pairsPerAxis<number>("pad", "statLength", statLength as never, x.ndim);
  let r = x;
  pw.forEach(([lo, hi], d) => {
    if (lo === 0 && hi === 0) return;
    const n = r.shape[d];
    if (n === 0) throw new ValueError(`pad: can't compute the ${mode} of the empty axis ${d} of shape ${fmtShape(r.shape)}.`);
    const edge = (fromEnd: boolean, len: number) => {
      if (len <= 0) throw new ValueError("pad: statLength of 0 yields no value for padding.");
      const k = Math.min(len, n);
      const start = r.shape.map((_, i) => (i === d && fromEnd ? n - k : 0));
      const limit = r.shape.map((s, i) => (i === d ? (fromEnd ? n : k) : s));
      let v = stat(S.slice(r, start, limit), { axis: d, keepdims: true });
      if (!isFloat(r.dtype)) v = A.convertElementType(jround(v), r.dtype); // numpy/JAX round integer statistics (half to even)
      return v;
    };
    const before = edge(false, lengths ? lengths[d][0] : n), after = edge(true, lengths ? lengths[d][1] : n);
    const rep = (v: JaxArray, k: number) => broadcastTo_(v, v.shape.map((s, i) => (i === d ? k : s)));
    r = S.concatenate([rep(before, lo), r, rep(after, hi)], d);
  });
  return r;
}

export function flip(x: ArrayLike, axis: AxisArg | readonly number[] = null): JaxArray {
  const a = asArray(x);
  const ax = Array.isArray(axis) ? axis : axisOf(axis as AxisArg, null);
  return S.rev(a, normAxes("flip", ax as number | number[] | null, a.ndim));
}
export const fliplr = (x: ArrayLike) => flip(x, 1);
export const flipud = (x: ArrayLike) => flip(x, 0);

/** Integer index array from an ArrayLike, with negative entries counted from the end of `n`. */
export function normalizeIndices(idx: ArrayLike, n: number): JaxArray {
  let i = asArray(idx);
  if (i.dtype !== "int32") i = A.convertElementType(i, "int32");
  const zero = broadcastTo_(scalar(0, "int32"), i.shape);
  return A.select(A.lt(i, zero), A.add(i, broadcastTo_(scalar(n, "int32"), i.shape)), i);
}

export interface TakeOptions { axis?: number | null; mode?: "fill" | "clip" | "wrap"; fillValue?: number }

/** take(x, indices, axis?, options?) or take(x, indices, { axis, mode, fillValue }), modes as JAX's. */
export function take(x: ArrayLike, indices: ArrayLike, axis: number | null | TakeOptions = null, options: TakeOptions = {}): JaxArray {
  const opts: TakeOptions = typeof axis === "object" && axis !== null ? { ...options, ...axis } : { ...options, axis };
  let a = asArray(x);
  let ax = opts.axis ?? null;
  if (ax === null) { a = S.reshape(a, [a.size]); ax = 0; }
  ax = normAxis("take", ax, a.ndim);
  const n = a.shape[ax];
  const mode = opts.mode ?? "fill";
  let idx = asArray(indices);
  if (idx.dtype !== "int32") idx = A.convertElementType(idx, "int32");
  if (mode === "clip") return gather(a, idx, ax, "clip");
  if (mode === "wrap") {
    if (n === 0) throw new ValueError("take: mode \"wrap\" needs a non-empty axis.");
    const nn = broadcastTo_(scalar(n, "int32"), idx.shape);
    return gather(a, A.rem(A.add(A.rem(idx, nn), nn), nn), ax, "clip");
  }
  if (mode !== "fill") throw new ValueError(`take: invalid mode "${mode}"; use "fill", "clip" or "wrap".`);
  idx = normalizeIndices(idx, n);
  const got = gather(a, idx, ax, "fill");
  if (opts.fillValue === undefined) return got;
  // Out-of-range positions (after counting negatives from the end) take fillValue instead.
  const ok = A.bitwiseAnd(A.ge(idx, broadcastTo_(scalar(0, "int32"), idx.shape)), A.lt(idx, broadcastTo_(scalar(n, "int32"), idx.shape)));
  const okOut = S.broadcastInDim(ok, got.shape, idx.shape.map((_, i) => ax! + i));
  return A.select(okOut, got, broadcastTo_(scalar(opts.fillValue, got.dtype), got.shape));
}

/** takeAlongAxis(x, indices, axis, { mode, fillValue }): mode "fill" (default; NaN/fillValue out of bounds) or "clip". */
export function takeAlongAxis(x: ArrayLike, indices: ArrayLike, axis: number | null | { axis?: number | null; mode?: "fill" | "clip"; fillValue?: number },
  options: { mode?: "fill" | "clip"; fillValue?: number } = {}): JaxArray {
  const opts = typeof axis === "object" && axis !== null ? { ...options, ...axis } : { ...options, axis };
  if (opts.axis === undefined) throw new ValueError("takeAlongAxis: needs the axis (a number, or null for the flattened array).");
  const mode = opts.mode ?? "fill";
  if (mode !== "fill" && mode !== "clip") throw new ValueError(`takeAlongAxis: invalid mode "${mode}"; use "fill" or "clip".`);
  axis = opts.axis;
  let a = asArray(x);
  let idx = asArray(indices);
  if (axis === null) { a = S.reshape(a, [a.size]); idx = S.reshape(idx, [idx.size]); axis = 0; }
  if (idx.ndim !== a.ndim) throw new ShapeError(`take_along_axis: indices of rank ${idx.ndim} do not match an array of rank ${a.ndim}.`);
  const ax = normAxis("take_along_axis", axis, a.ndim);
  const outShape = a.shape.map((d, i) => (i === ax ? idx.shape[i] : broadcastDim(d, idx.shape[i])));
  const strides = a.shape.map((_, i) => sizeOf(a.shape.slice(i + 1)));
  const n = a.shape[ax];
  let iv = broadcastTo_(normalizeIndices(idx, n), outShape);
  const zero = broadcastTo_(scalar(0, "int32"), outShape), top = broadcastTo_(scalar(n - 1, "int32"), outShape);
  if (mode === "clip") iv = A.max(A.min(iv, top), zero);
  // Out-of-range entries point past the end of the flattened array, so the fill-mode gather fills them.
  const bad = A.bitwiseOr(A.lt(iv, zero), A.gt(iv, top));
  let lin = A.mul(iv, broadcastTo_(scalar(strides[ax], "int32"), outShape));
  for (let d = 0; d < a.ndim; d++) {
    if (d === ax || a.shape[d] === 1) continue;
    const io = S.broadcastInDim(arange(outShape[d]), outShape, [d]);
    lin = A.add(lin, A.mul(io, broadcastTo_(scalar(strides[d], "int32"), outShape)));
  }
  lin = A.select(bad, broadcastTo_(scalar(a.size, "int32"), outShape), lin);
  const out = gather(S.reshape(a, [a.size]), lin, 0, "fill");
  if (opts.fillValue === undefined) return out;
  return A.select(bad, broadcastTo_(scalar(opts.fillValue, out.dtype), out.shape), out);
}

function broadcastDim(a: number, b: number): number {
  if (a === b || b === 1) return a;
  if (a === 1) return b;
  throw new ShapeError(`take_along_axis: index shape does not broadcast with the array (${a} vs ${b}).`);
}

/** The k-th diagonal over axes (axis1, axis2), as the last axis. */
export function diagonal(x: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): JaxArray {
  const a = asArray(x);
  const i = normAxis("diagonal", axis1, a.ndim), j = normAxis("diagonal", axis2, a.ndim);
  const moved = moveaxis(a, [i, j], [-2, -1]);
  const n = moved.shape[moved.ndim - 2], m = moved.shape[moved.ndim - 1];
  const len = Math.max(0, Math.min(n, m - offset, n + offset, m));
  const rows = arange(len), cols = arange(len);
  const r = offset >= 0 ? rows : A.add(rows, scalar(-offset, "int32"));
  const c = offset >= 0 ? A.add(cols, scalar(offset, "int32")) : cols;
  const flat = reshape(moved, [...moved.shape.slice(0, -2), n * m]);
  const lin = A.add(A.mul(r, scalar(m, "int32")), c);
  return gather(flat, lin, flat.ndim - 1);
}

/** A 1-D input becomes a diagonal matrix; a 2-D input gives its k-th diagonal. */
export function diag(x: ArrayLike, k = 0): JaxArray {
  const a = asArray(x);
  if (a.ndim === 2) return diagonal(a, k);
  if (a.ndim !== 1) throw new ShapeError(`diag: input must be 1-D or 2-D, got shape ${fmtShape(a.shape)}.`);
  const n = a.shape[0] + Math.abs(k);
  const z = broadcastTo_(scalar(0, a.dtype), [n, n]);
  const idx = arange(a.shape[0]);
  const rows = k >= 0 ? idx : A.add(idx, scalar(-k, "int32")), cols = k >= 0 ? A.add(idx, scalar(k, "int32")) : idx;
  return z.at(rows, cols).set(a);
}

export function trace(x: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): JaxArray {
  const d = diagonal(x, offset, axis1, axis2);
  return S.reduceSum(d.dtype === "bool" ? A.convertElementType(d, "int32") : d, [d.ndim - 1]);
}

function triMask(n: number, m: number, k: number, lower: boolean): JaxArray {
  const r = S.broadcastInDim(arange(n), [n, m], [0]), c = S.broadcastInDim(arange(m), [n, m], [1]);
  const diff = A.sub(c, r);
  const kk = broadcastTo_(scalar(k, "int32"), [n, m]);
  return lower ? A.le(diff, kk) : A.ge(diff, kk);
}

/** Lower triangle (elements above the k-th diagonal zeroed). */
export function tril(x: ArrayLike, k = 0): JaxArray {
  const a = asArray(x);
  const [n, m] = a.shape.slice(-2);
  return A.select(S.broadcastInDim(triMask(n, m, k, true), a.shape, [a.ndim - 2, a.ndim - 1]), a, broadcastTo_(scalar(0, a.dtype), a.shape));
}

/** Upper triangle (elements below the k-th diagonal zeroed). */
export function triu(x: ArrayLike, k = 0): JaxArray {
  const a = asArray(x);
  const [n, m] = a.shape.slice(-2);
  return A.select(S.broadcastInDim(triMask(n, m, k, false), a.shape, [a.ndim - 2, a.ndim - 1]), a, broadcastTo_(scalar(0, a.dtype), a.shape));
}
