// Data-dependent selections (nonzero, unique, set operations) and sorted-search helpers. As in JAX,
// an output whose length depends on the data needs concrete inputs, or a static `size` (with
// `fillValue` for the padding) to work under jit/vmap; everything else here traces.
import { DeviceError, DTypeError, ShapeError, ValueError } from "../../core/errors.js";
import { fmtShape, normAxis } from "../../core/shape.js";
import { isPlainObject } from "../../core/transform-args.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import { isFloat } from "../../core/dtype.js";
import * as A from "../../primitives/arith.js";
import { gather, scatter } from "../../primitives/indexing.js";
import { sort as sortP } from "../../primitives/sort.js";
import * as R from "../../primitives/reduce.js";
import * as S from "../../primitives/structural.js";
import { arange, asArray, full, onesLike, zeros } from "./creation.js";
import { cumsum, max as maxR, min as minR, sum } from "./reductions.js";
import { atleast1d, concatenate, moveaxis, ravel, reshape, swapaxes, takeAlongAxis } from "./shape.js";
import { argsort, topK } from "./sorting.js";
import { concreteValue, linspaceArrays, posOpts } from "./extras-shape.js";
import { searchSorted } from "./search.js";
import { astype, divide, equal, floorDivide, isnan, logicalAnd, logicalNot, mod, promote, subtract, toBool, where, whereHooks } from "./ufuncs.js";

type SizeOpts = { size?: number; fillValue?: ArrayLike | readonly number[] };
type Fill = ArrayLike | readonly number[] | undefined;
/** A count that sets an output length: concrete, or JAX's ConcretizationTypeError naming `size` as the remedy. */
function staticCount(op: string, n: JaxArray): number {
  const v = concreteValue(n, `${op}: its output length depends on the data; pass a static { size } (and fillValue) to use it under jit/vmap`);
  try { return v.item() as number; } catch (e) {
    // WebGPU reads only asynchronously: a static size avoids the read.
    throw e instanceof DeviceError ? new DeviceError(`${op}: ${e.message} Or pass a static { size } (and fillValue).`) : e;
  }
}
const i32 = (x: ArrayLike) => astype(x, "int32");
/** x[:n] and x[from:] along axis 0. */
const first = (x: JaxArray, n: number) => S.slice(x, x.shape.map(() => 0), x.shape.map((d, i) => (i ? d : n)));
const tail = (x: JaxArray, from: number) => S.slice(x, x.shape.map((_, i) => (i ? 0 : from)), x.shape);
const padWhere = (count: JaxArray, n: number, v: JaxArray, fill: ArrayLike) =>
  where(S.broadcastInDim(A.lt(arange(n), S.broadcastInDim(count, [n], [])), v.shape, [0]), v, astype(fill, v.dtype));

/** nonzero(a, { size, fillValue }): one int32 index array per axis of the nonzero entries, in row-major order. */
export function nonzero(a: ArrayLike, opts: SizeOpts = {}): JaxArray[] {
  const x = asArray(a);
  if (x.ndim === 0) throw new ValueError("nonzero: calling nonzero on 0-d arrays is not allowed; use nonzero(atleast1d(x)).");
  const mask = ravel(toBool(x)), n = mask.size;
  const count = sum(i32(mask));
  const size = opts.size ?? staticCount("nonzero", count);
  if (!Number.isInteger(size) || size < 0) throw new ValueError(`nonzero: size must be a non-negative integer, got ${size}.`);
  if (n === 0 || size === 0) return x.shape.map(() => zeros([size], "int32"));
  // Each true entry's rank among the true entries is its output slot; the rest (-1) are dropped.
  const slot = where(mask, A.sub(cumsum(i32(mask)), 1), -1);
  const flat = scatter(zeros([size], "int32"), slot, arange(n), 0, "set");
  let stride = n;
  const out = x.shape.map((d) => { stride /= d; return mod(floorDivide(flat, stride), d); });
  const fv = opts.fillValue;
  if (fv === undefined || fv === null) return out;
  const fvs = Array.isArray(fv) ? fv : x.shape.map(() => fv);
  if (fvs.length !== x.ndim) throw new ValueError(`nonzero: fillValue must be a scalar or one value per axis (${x.ndim}), got ${JSON.stringify(fv)}.`);
  return out.map((o, i) => padWhere(count, size, o, fvs[i] as ArrayLike));
}
/** argwhere(a, { size, fillValue }): the nonzero coordinates as rows of an [N, ndim] int32 array. */
export function argwhere(a: ArrayLike, opts: SizeOpts = {}): JaxArray {
  const x = asArray(a);
  const cols = nonzero(atleast1d(x), opts);
  const r = S.concatenate(cols.map((c) => S.reshape(c, [c.shape[0], 1])), 1);
  return x.ndim === 0 ? S.slice(r, [0, 0], [r.shape[0], 0]) : r;
}
whereHooks.nonzero = nonzero;
export const flatnonzero = (a: ArrayLike, opts: SizeOpts = {}) => nonzero(ravel(a), opts)[0];

/** Stable sort order of the rows of x [n, ...] (lexicographic, first column most significant). */
function rowOrder(x: JaxArray): JaxArray {
  const n = x.shape[0], flat = S.reshape(x, [n, x.size / n]), m = flat.shape[1];
  const cols = [...Array(m).keys()].map((j) => S.reshape(S.slice(flat, [0, j], [n, j + 1]), [n]));
  return sortP([...cols, arange(n)], 0, m)[m];
}

export interface UniqueOptions extends SizeOpts { returnIndex?: boolean; returnInverse?: boolean; returnCounts?: boolean; axis?: number | null; equalNan?: boolean }
type Named<K extends string> = JaxArray[] & { [k in K]: JaxArray };
const named = <K extends string>(xs: JaxArray[], keys: K[]) => Object.assign(xs, Object.fromEntries(keys.map((k, i) => [k, xs[i]]))) as Named<K>;

/** unique(ar, { returnIndex, returnInverse, returnCounts, axis, equalNan, size, fillValue }): sorted distinct values (rows along axis), then the requested extras. */
export function unique(ar: ArrayLike, ...rest: unknown[]): JaxArray | JaxArray[] {
  const { out } = uniqueImpl(asArray(ar), posOpts<UniqueOptions>("unique", rest, ["returnIndex", "returnInverse", "returnCounts", "axis"]));
  return out.length === 1 ? out[0] : out;
}
function uniqueImpl(x: JaxArray, o: UniqueOptions): { out: JaxArray[]; count: JaxArray } {
  const flat = o.axis == null;
  const ax = flat ? 0 : normAxis("unique", o.axis!, x.ndim);
  const aux0 = flat ? ravel(x) : moveaxis(x, ax, 0), n = aux0.shape[0];
  if (n === 0 && o.size && o.fillValue === undefined) throw new ValueError("unique: for a zero-sized input with a nonzero size, fillValue must be given.");
  const perm = n ? rowOrder(aux0) : arange(0);
  const aux = gather(aux0, perm, 0);
  let mask: JaxArray;
  if (n) {
    const hi = tail(aux, 1), lo = first(aux, n - 1);
    let ne = A.ne(hi, lo);
    if (isFloat(x.dtype) && o.equalNan !== false) ne = logicalAnd(ne, logicalNot(logicalAnd(isnan(hi), isnan(lo))));
    const rowNe = ne.ndim > 1 ? R.reduceMax(i32(ne), [...Array(ne.ndim).keys()].slice(1)) : i32(ne);
    mask = S.concatenate([full([1], true), toBool(rowNe)], 0);
  } else mask = zeros([0], "bool");
  const count = sum(i32(mask));
  const size = o.size ?? staticCount("unique", count);
  const ind = n ? nonzero(mask, { size })[0] : zeros([size], "int32");
  let vals = n ? gather(aux, ind, 0) : full([size, ...aux.shape.slice(1)], o.fillValue ?? 0, x.dtype);
  if (n && o.fillValue !== undefined) vals = padWhere(count, size, vals, o.fillValue as ArrayLike);
  const out = [flat ? vals : moveaxis(vals, 0, ax)];
  if (o.returnIndex) out.push(n ? gather(perm, ind, 0) : zeros([0], "int32"));
  if (o.returnInverse) {
    const inv = n ? scatter(zeros([n], "int32"), perm, A.sub(cumsum(i32(mask)), 1), 0, "set") : zeros([0], "int32");
    out.push(flat ? reshape(inv, x.shape) : inv);
  }
  if (o.returnCounts) {
    if (!n) out.push(zeros([0], "int32"));
    else {
      // Segment starts, with the padding (index 0 past the first) moved to the end: padded counts are 0.
      const starts = nonzero(mask, { size: size + 1 })[0], later = tail(starts, 1);
      const ends = where(A.ne(later, 0), later, n);
      out.push(A.sub(ends, S.concatenate([first(starts, 1), first(ends, size - 1)], 0)));
    }
  }
  return { out, count };
}
type ApiOpts = { size?: number; fillValue?: ArrayLike };
/** The array API's unique functions (NaNs all distinct); results are arrays with named fields too. */
export const uniqueValues = (x: ArrayLike, o: ApiOpts = {}) => unique(x, { ...o, equalNan: false }) as JaxArray;
export const uniqueCounts = (x: ArrayLike, o: ApiOpts = {}) => named(unique(x, { ...o, equalNan: false, returnCounts: true }) as JaxArray[], ["values", "counts"]);
export const uniqueInverse = (x: ArrayLike, o: ApiOpts = {}) => named(unique(x, { ...o, equalNan: false, returnInverse: true }) as JaxArray[], ["values", "inverseIndices"]);
export const uniqueAll = (x: ArrayLike, o: ApiOpts = {}) =>
  named(unique(x, { ...o, equalNan: false, returnIndex: true, returnInverse: true, returnCounts: true }) as JaxArray[], ["values", "indices", "inverseIndices", "counts"]);

/** isin(element, testElements, assumeUnique=false, invert=false): elementwise membership (compare-all, as JAX's default). */
export function isin(element: ArrayLike, testElements: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = posOpts<{ assumeUnique?: boolean; invert?: boolean; method?: string }>("isin", rest, ["assumeUnique", "invert"]);
  const [e, t] = promote("isin", [element, testElements]);
  const a = ravel(e), b = ravel(t);
  let r: JaxArray;
  if (!a.size || !b.size) r = full(a.shape, !!o.invert, "bool");
  else {
    const eq = equal(S.broadcastInDim(a, [a.size, b.size], [0]), S.broadcastInDim(b, [a.size, b.size], [1]));
    r = toBool(R.reduceMax(i32(eq), [1]));
    if (o.invert) r = logicalNot(r);
  }
  return reshape(r, e.shape);
}

/** searchsorted(a, v, side="left", sorter?): insertion points keeping a sorted (int32, v's shape; jittable). */
export function searchsorted(a: ArrayLike, v: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = posOpts<{ side?: "left" | "right"; sorter?: ArrayLike | null; method?: string }>("searchsorted", rest, ["side", "sorter"]);
  const side = o.side ?? "left";
  if (side !== "left" && side !== "right") throw new ValueError(`searchsorted: side must be "left" or "right", got ${JSON.stringify(side)}.`);
  let [s, q] = promote("searchsorted", [a, v]);
  if (s.ndim !== 1) throw new ShapeError(`searchsorted: a must be 1-D, got shape ${fmtShape(s.shape)}.`);
  if (o.sorter != null) s = gather(s, i32(o.sorter), 0);
  return searchSorted(s, q, side === "right");
}

/** digitize(x, bins, right=false): the bin index of each x (bins increasing or decreasing). */
export function digitize(x: ArrayLike, bins: ArrayLike, right: boolean | { right?: boolean } = false): JaxArray {
  const r = isPlainObject(right) ? !!right.right : right;
  const [xx, b] = promote("digitize", [x, bins]);
  if (b.ndim !== 1) throw new ShapeError(`digitize: bins must be 1-D, got shape ${fmtShape(b.shape)}.`);
  const n = b.shape[0];
  if (!n) return zeros(xx.shape, "int32");
  const side = r ? "left" : "right";
  const up = A.ge(S.reshape(S.slice(b, [n - 1], [n]), []), S.reshape(first(b, 1), []));
  return where(up, searchsorted(b, xx, side), A.sub(full(xx.shape, n, "int32"), searchsorted(S.rev(b, [0]), xx, side)));
}

/** bincount(x, weights?, minlength=0, { length }): counts (or summed weights) per non-negative integer. */
export function bincount(x: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = posOpts<{ weights?: ArrayLike | null; minlength?: number; length?: number }>("bincount", rest, ["weights", "minlength"]);
  let xs = asArray(x);
  if (xs.dtype === "bool") xs = i32(xs);
  if (xs.dtype !== "int32" && xs.dtype !== "uint32") throw new DTypeError(`bincount: x must have an integer type, got ${xs.dtype}; convert with astype("int32").`);
  if (xs.ndim !== 1) throw new ShapeError(`bincount: only 1-D input is supported, got shape ${fmtShape(xs.shape)}.`);
  const minlength = o.minlength ?? 0;
  const length = o.length ?? Math.max(minlength, xs.size && Math.max(0, staticCount("bincount", maxR(xs))) + 1);
  const w = o.weights == null ? full(xs.shape, 1, "int32") : asArray(o.weights);
  if (w.ndim !== 1 || w.shape[0] !== xs.shape[0]) throw new ShapeError(`bincount: weights ${fmtShape(w.shape)} must match x ${fmtShape(xs.shape)}.`);
  return scatter(zeros([length], w.dtype), A.max(i32(xs), 0), w, 0, "add");
}

type HistOpts = { bins?: number | ArrayLike; range?: readonly ArrayLike[] | null; weights?: ArrayLike | null; density?: boolean | null };
const histNames: (keyof HistOpts)[] = ["bins", "range", "weights", "density"];
/** histogramBinEdges(a, bins=10, range?, weights?): bins + 1 evenly spaced edges over range (default [min, max]). */
export function histogramBinEdges(a: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = posOpts<HistOpts>("histogramBinEdges", rest, histNames);
  const [x] = promote("histogramBinEdges", [a], "float");
  const bins = o.bins ?? 10;
  if (typeof bins !== "number") {
    const b = asArray(bins);
    if (b.ndim === 1) return astype(b, x.dtype);
    throw new ValueError(`histogramBinEdges: bins must be an integer or a 1-D array of edges, got shape ${fmtShape(b.shape)}.`);
  }
  if (!Number.isInteger(bins) || bins <= 0) throw new ValueError(`histogramBinEdges: bins must be a positive integer, got ${bins}.`);
  const r = o.range ?? [minR(x), maxR(x)];
  if (r.length !== 2) throw new ValueError("histogramBinEdges: range must be null or [min, max].");
  let lo = astype(r[0], x.dtype), hi = astype(r[1], x.dtype);
  const same = equal(lo, hi);
  lo = where(same, A.sub(lo, 0.5), lo); hi = where(same, A.add(hi, 0.5), hi);
  return linspaceArrays(lo, hi, bins + 1);
}
/** histogram(a, bins=10, range?, weights?, density?): [counts, binEdges]; counts have the (float) dtype of the weights, as JAX's. */
export function histogram(a: ArrayLike, ...rest: unknown[]): [JaxArray, JaxArray] {
  const o = posOpts<HistOpts>("histogram", rest, histNames);
  const [x0, w0] = o.weights == null ? [promote("histogram", [a], "float")[0], null] : promote("histogram", [a, o.weights], "float");
  const x = ravel(x0);
  if (w0 && (w0.ndim !== x0.ndim || w0.shape.some((d, i) => d !== x0.shape[i]))) throw new ShapeError(`histogram: weights ${fmtShape(w0.shape)} must have a's shape ${fmtShape(x0.shape)}.`);
  const w = w0 ? ravel(w0) : onesLike(x);
  const edges = histogramBinEdges(x, o.bins ?? 10, o.range ?? null);
  const m = edges.shape[0];
  const last = S.reshape(S.slice(edges, [m - 1], [m]), []);
  const idx = where(equal(x, last), m - 1, searchsorted(edges, x, "right"));
  let counts = tail(scatter(zeros([m], w.dtype), idx, w, 0, "add"), 1);
  if (o.density) counts = divide(divide(counts, subtract(tail(edges, 1), first(edges, m - 1))), sum(counts));
  return [counts, edges];
}

/** Sorted distinct values of x (ravelled), padded to x's length, with how many are real and where each first occurs. */
function uniqueSized(x: JaxArray): { u: JaxArray; idx: JaxArray; valid: JaxArray; count: JaxArray } {
  const n = x.size;
  const { out: [u, idx], count } = uniqueImpl(x, { size: n, returnIndex: true });
  return { u, idx, valid: A.lt(arange(n), S.broadcastInDim(count, [n], [])), count };
}
/** The first `size` (static or, for concrete input, the true count) entries of vals where mask holds, padded as JAX's set functions do. */
function compact(op: string, vals: JaxArray, mask: JaxArray, size: number | undefined, fill: Fill, minPad: boolean): JaxArray {
  const count = sum(i32(mask));
  const n = size ?? staticCount(op, count);
  let out = vals.size ? gather(vals, nonzero(mask, { size: n })[0], 0) : zeros([n], vals.dtype);
  const pad = fill ?? (minPad && vals.size ? where(A.gt(count, 0), S.reshape(first(out.size ? out : zeros([1], vals.dtype), 1), []), 0) : 0);
  if (n) out = padWhere(count, n, out, pad as ArrayLike);
  return out;
}
type SetOpts = { assumeUnique?: boolean; size?: number; fillValue?: ArrayLike };
const setArgs = (op: string, a: ArrayLike, b: ArrayLike) => promote(op, [a, b]).map((v) => ravel(v));

/** union1d(ar1, ar2, { size, fillValue }): sorted values in either. */
export const union1d = (ar1: ArrayLike, ar2: ArrayLike, o: SizeOpts = {}) => unique(concatenate(setArgs("union1d", ar1, ar2), 0), o) as JaxArray;

/** setdiff1d(ar1, ar2, assumeUnique=false, { size, fillValue=0 }): sorted values of ar1 not in ar2. */
export function setdiff1d(ar1: ArrayLike, ar2: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = posOpts<SetOpts>("setdiff1d", rest, ["assumeUnique"]);
  const [a, b] = setArgs("setdiff1d", ar1, ar2);
  if (!a.size) return full([o.size ?? 0], o.fillValue ?? 0, a.dtype);
  const { u, valid } = uniqueSized(a);
  return compact("setdiff1d", u, logicalAnd(valid, isin(u, b, { invert: true })), o.size, o.fillValue ?? 0, false);
}

/** intersect1d(ar1, ar2, assumeUnique=false, returnIndices=false, { size, fillValue }): sorted common values (and first indices in each). */
export function intersect1d(ar1: ArrayLike, ar2: ArrayLike, ...rest: unknown[]): JaxArray | JaxArray[] {
  const o = posOpts<SetOpts & { returnIndices?: boolean }>("intersect1d", rest, ["assumeUnique", "returnIndices"]);
  const [a, b] = setArgs("intersect1d", ar1, ar2);
  const { u, idx, valid } = uniqueSized(a);
  const mask = logicalAnd(valid, isin(u, b));
  const vals = compact("intersect1d", u, mask, o.size, o.fillValue, true);
  if (!o.returnIndices) return vals;
  const k = vals.shape[0], count = sum(i32(mask));
  const i1 = a.size ? padWhere(count, k, gather(idx, nonzero(mask, { size: k })[0], 0), a.size) : zeros([k], "int32");
  const hits = equal(S.broadcastInDim(vals, [k, b.size], [0]), S.broadcastInDim(b, [k, b.size], [1]));
  const i2 = b.size ? padWhere(count, k, R.argmax(i32(hits), 1, "int32"), b.size) : zeros([k], "int32");
  return [vals, i1, i2];
}

/** setxor1d(ar1, ar2, assumeUnique=false, { size, fillValue }): sorted values in exactly one of the inputs. */
export function setxor1d(ar1: ArrayLike, ar2: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = posOpts<SetOpts>("setxor1d", rest, ["assumeUnique"]);
  const [a, b] = setArgs("setxor1d", ar1, ar2);
  const p = uniqueSized(a), q = uniqueSized(b);
  const keep = S.concatenate([logicalAnd(p.valid, isin(p.u, b, { invert: true })), logicalAnd(q.valid, isin(q.u, a, { invert: true }))], 0);
  const [drop, vals] = sortP([i32(logicalNot(keep)), S.concatenate([p.u, q.u], 0)], 0, 2);
  return compact("setxor1d", vals, A.eq(drop, 0), o.size, o.fillValue, true);
}

/** lexsort(keys, axis=-1): int32 indices sorting by the last key, then the one before, ... (stable). */
export function lexsort(keys: readonly ArrayLike[] | JaxArray, axis: number | { axis?: number } = -1): JaxArray {
  const ks = keys instanceof JaxArray ? [...Array(keys.shape[0]).keys()].map((i) => keys.get(i)) : keys.map(asArray);
  if (!ks.length) throw new ValueError("lexsort: need a sequence of keys with length > 0.");
  if (ks.some((k) => k.ndim !== ks[0].ndim || k.shape.some((d, i) => d !== ks[0].shape[i]))) throw new ShapeError("lexsort: all keys need to be the same shape.");
  if (ks[0].ndim === 0) return full([], 0, "int32");
  const ax = normAxis("lexsort", isPlainObject(axis) ? axis.axis ?? -1 : axis, ks[0].ndim);
  return sortP([...ks.reverse(), S.iota("int32", ks[0].shape, ax)], ax, ks.length)[ks.length];
}

function partitionArgs(op: string, a: ArrayLike, kth: number, axis: number | { axis?: number }): [JaxArray, number, number] {
  const x = asArray(a);
  if (x.ndim === 0) throw new ShapeError(`${op}: needs an array with at least one axis.`);
  const ax = normAxis(op, isPlainObject(axis) ? axis.axis ?? -1 : axis, x.ndim);
  const n = x.shape[ax];
  if (!Number.isInteger(kth) || kth < -n || kth >= n) throw new ValueError(`${op}: kth=${kth} is out of bounds for an axis of size ${n}.`);
  return [swapaxes(x, ax, -1), kth < 0 ? kth + n : kth, ax];
}
/**
 * The kth+1 smallest along the last axis, ascending, ties in index order. (JAX negates and takes
 * top_k, whose total order ranks the negated NaN lowest: NaN ends up in the top part, as here.)
 */
const bottomIdx = (x: JaxArray, k: number) => last(argsort(x, -1), k + 1);
const last = (x: JaxArray, n: number) => S.slice(x, x.shape.map(() => 0), x.shape.map((d, i) => (i === x.ndim - 1 ? n : d)));
/** partition(a, kth, axis=-1): JAX's layout: the kth+1 smallest ascending, then the rest descending. */
export function partition(a: ArrayLike, kth: number, axis: number | { axis?: number } = -1): JaxArray {
  const [x, k, ax] = partitionArgs("partition", a, kth, axis), n = x.shape[x.ndim - 1];
  const out = concatenate([takeAlongAxis(x, bottomIdx(x, k), -1), topK(x, n - k - 1)[0]], -1);
  return swapaxes(out, -1, ax);
}
/** argpartition(a, kth, axis=-1): indices of the kth+1 smallest (ascending), then the other indices in increasing order. */
export function argpartition(a: ArrayLike, kth: number, axis: number | { axis?: number } = -1): JaxArray {
  const [x, k, ax] = partitionArgs("argpartition", a, kth, axis), n = x.shape[x.ndim - 1], d = x.ndim;
  const bottom = bottomIdx(x, k);
  const hit = equal(S.broadcastInDim(bottom, [...bottom.shape, n], [...Array(d).keys()]), S.iota("int32", [...bottom.shape, n], d));
  const rest = A.sub(1, R.reduceMax(i32(hit), [d - 1]));
  const out = concatenate([bottom, topK(rest, n - k - 1)[1]], -1);
  return swapaxes(out, -1, ax);
}
