// numpy's structure and creation helpers that compose existing jnp functions: rolling, rotating,
// grids, triangles, stacking/splitting variants, log-spaced ranges, kron, insert/delete.
import { DType } from "../../core/dtype.js";
import { ShapeError, ValueError } from "../../core/errors.js";
import { bind1, Tracer } from "../../core/trace.js";
import { JVPTracer } from "../../autodiff/jvp.js";
import { fmtShape, normAxis, sizeOf } from "../../core/shape.js";
import { isPlainObject, positionalOptions } from "../../core/transform-args.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import { gather, scatter } from "../../primitives/indexing.js";
import * as A from "../../primitives/arith.js";
import { sort as sortP } from "../../primitives/sort.js";
import * as S from "../../primitives/structural.js";
import { arange, array, asArray, broadcastedIota, full, zeros, zerosLike } from "./creation.js";
import { concatenate, diag, flip, moveaxis, ravel, reshape, split, swapaxes, tile, transpose } from "./shape.js";
import { argsort } from "./sorting.js";
import { add, astype, broadcastAll, broadcastTo_, divide, greaterEqual, log10, mod, multiply, power, promote, sign, subtract, where } from "./ufuncs.js";

/** x's value; under grad that of its primal, as JAX reads a JVP tracer's. Other tracers: ConcretizationTypeError naming `what`. */
export function concreteValue(x: JaxArray, what: string): JaxArray {
  while (x instanceof JVPTracer) x = x.primal;
  if (x instanceof Tracer) x.concretizationError(what);
  return x;
}
/** JAX's positional values, optionally followed by its keyword arguments as one options object. */
export function posOpts<T extends object>(op: string, rest: unknown[], names: (keyof T & string)[]): T {
  const last = rest[rest.length - 1];
  return rest.length > 1 && isPlainObject(last) ? { ...positionalOptions<T>(op, rest.slice(0, -1), names), ...last } : positionalOptions<T>(op, rest, names);
}
type Axes = number | readonly number[];
const list = (v: Axes) => (typeof v === "number" ? [v] : [...v]);
/** The value of an optional trailing argument given bare or as { name }. */
const opt = <T>(v: unknown, name: string): T | undefined => (isPlainObject(v) ? (v[name] as T) : (v as T));
const iota = (n: number) => arange(n);

/** roll(a, shift, axis?): shift and axis may be tuples (broadcast together); a traced shift works too. */
export function roll(a: ArrayLike, shift: Axes | JaxArray, axis?: Axes | null | { axis?: Axes | null }): JaxArray {
  const x = asArray(a);
  const ax = opt<Axes | null>(axis, "axis");
  if (ax == null) return reshape(roll(ravel(x), shift, 0), x.shape);
  let axes = list(ax).map((i) => normAxis("roll", i, x.ndim));
  const sh = shift instanceof JaxArray ? shift : list(shift);
  const ns = shift instanceof JaxArray ? (shift.ndim === 0 ? 1 : shift.shape[0]) : (sh as number[]).length;
  if ((shift instanceof JaxArray && shift.ndim > 1) || (ns !== axes.length && ns !== 1 && axes.length !== 1)) {
    throw new ShapeError(`roll: shift (${ns} values) and axis (${axes.length}) must be scalars or 1-D of one length.`);
  }
  if (axes.length === 1) axes = Array(ns).fill(axes[0]);
  let out = x;
  axes.forEach((d, k) => {
    const n = out.shape[d];
    if (n === 0) return;
    if (Array.isArray(sh)) {
      const i = (((-sh[ns === 1 ? 0 : k] % n) + n) % n);
      if (i) out = S.concatenate([S.slice(out, out.shape.map(() => 0).map((z, j) => (j === d ? i : z)), out.shape),
        S.slice(out, out.shape.map(() => 0), out.shape.map((s, j) => (j === d ? i : s)))], d);
    } else {
      const t = sh as JaxArray;
      const s = t.ndim === 0 ? t : reshape(S.slice(t, [ns === 1 ? 0 : k], [ns === 1 ? 1 : k + 1]), []);
      out = gather(out, mod(subtract(iota(n), astype(s, "int32")), n), d);
    }
  });
  return out;
}

/** rot90(m, k=1, axes=[0, 1]): rotates by 90 degrees k times from the first axis towards the second. */
export function rot90(m: ArrayLike, k: number | { k?: number; axes?: readonly number[] } = 1, axesArg: readonly number[] = [0, 1]): JaxArray {
  const o = isPlainObject(k) ? k : { k, axes: axesArg };
  const x = asArray(m);
  if (x.ndim < 2) throw new ShapeError(`rot90: needs an array with ndim >= 2, got shape ${fmtShape(x.shape)}.`);
  const axes = o.axes ?? [0, 1];
  if (axes.length !== 2) throw new ValueError(`rot90: axes must hold two axes, got ${JSON.stringify(axes)}.`);
  const a1 = normAxis("rot90", axes[0], x.ndim), a2 = normAxis("rot90", axes[1], x.ndim);
  if (a1 === a2) throw new ValueError("rot90: the two axes must be different.");
  const kk = (((o.k ?? 1) % 4) + 4) % 4;
  if (kk === 0) return x;
  if (kk === 2) return flip(flip(x, a1), a2);
  return kk === 1 ? swapaxes(flip(x, a2), a1, a2) : flip(swapaxes(x, a1, a2), a2);
}

export interface MeshgridOptions { indexing?: "xy" | "ij"; sparse?: boolean; copy?: boolean }
/** meshgrid(...xi, { indexing = "xy", sparse, copy }): coordinate grids from 1-D arrays. */
export function meshgrid(...args: (ArrayLike | MeshgridOptions)[]): JaxArray[] {
  const o: MeshgridOptions = args.length && isPlainObject(args[args.length - 1]) ? args.pop() as MeshgridOptions : {};
  const indexing = o.indexing ?? "xy";
  if (o.copy === false) throw new ValueError("meshgrid: only copy=true is supported (arrays are immutable).");
  if (indexing !== "xy" && indexing !== "ij") throw new ValueError(`meshgrid: indexing must be "xy" or "ij", got ${JSON.stringify(indexing)}.`);
  const xs = (args as ArrayLike[]).map(asArray);
  if (xs.some((a) => a.ndim !== 1)) throw new ShapeError(`meshgrid: arguments must be 1-D, got shapes ${xs.map((a) => fmtShape(a.shape)).join(", ")}.`);
  const swap = indexing === "xy" && xs.length >= 2;
  if (swap) [xs[0], xs[1]] = [xs[1], xs[0]];
  const full = xs.map((a) => a.shape[0]);
  const out = xs.map((a, i) => S.broadcastInDim(a, o.sparse ? full.map((d, j) => (j === i ? d : 1)) : full, [i]));
  if (swap) [out[0], out[1]] = [out[1], out[0]];
  return out;
}

/** tri(N, M?, k=0, dtype=float32): ones at and below the k-th diagonal. */
export function tri(N: number, ...rest: unknown[]): JaxArray {
  const o = posOpts<{ M?: number | null; k?: number; dtype?: DType }>("tri", rest, ["M", "k", "dtype"]);
  const M = o.M ?? N, sh = [N, M];
  const mask = greaterEqual(A.add(broadcastedIota("int32", sh, 0), o.k ?? 0), broadcastedIota("int32", sh, 1));
  return astype(mask, o.dtype ?? "float32");
}

function triPairs(op: string, n: number, k: number, m: number, lower: boolean): [JaxArray, JaxArray] {
  for (const v of [n, k, m]) if (!Number.isInteger(v)) throw new ValueError(`${op}: n, k and m must be integers, got ${v}.`);
  const r: number[] = [], c: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) if (lower ? j - i <= k : j - i >= k) { r.push(i); c.push(j); }
  return [array(Int32Array.from(r)), array(Int32Array.from(c))];
}
type TriOpts = { k?: number; m?: number | null };
const triOpts = (op: string, rest: unknown[]) => posOpts<TriOpts>(op, rest, ["k", "m"]);
/** trilIndices(n, k=0, m?): row and column indices of the lower triangle (int32). */
export function trilIndices(n: number, ...rest: unknown[]) { const o = triOpts("trilIndices", rest); return triPairs("trilIndices", n, o.k ?? 0, o.m ?? n, true); }
export function triuIndices(n: number, ...rest: unknown[]) { const o = triOpts("triuIndices", rest); return triPairs("triuIndices", n, o.k ?? 0, o.m ?? n, false); }
function from2d(op: string, arr: ArrayLike): number[] {
  const s = asArray(arr).shape;
  if (s.length !== 2) throw new ShapeError(`${op}: input array must be 2-D, got shape ${fmtShape(s)}.`);
  return s;
}
export function trilIndicesFrom(arr: ArrayLike, k: number | { k?: number } = 0) { const [n, m] = from2d("trilIndicesFrom", arr); return triPairs("trilIndicesFrom", n, opt<number>(k, "k") ?? 0, m, true); }
export function triuIndicesFrom(arr: ArrayLike, k: number | { k?: number } = 0) { const [n, m] = from2d("triuIndicesFrom", arr); return triPairs("triuIndicesFrom", n, opt<number>(k, "k") ?? 0, m, false); }

/** diagIndices(n, ndim=2): ndim copies of arange(n), indexing the main diagonal. */
export function diagIndices(n: number, ndim: number | { ndim?: number } = 2): JaxArray[] {
  const d = opt<number>(ndim, "ndim") ?? 2;
  if (!(n >= 0) || !(d >= 0)) throw new ValueError(`diagIndices: n and ndim must be non-negative, got n=${n}, ndim=${d}.`);
  return Array.from({ length: d }, () => iota(n));
}
export function diagIndicesFrom(arr: ArrayLike): JaxArray[] {
  const s = asArray(arr).shape;
  if (s.length < 2 || s.some((d) => d !== s[0])) throw new ShapeError(`diagIndicesFrom: needs an array of ndim >= 2 with equal dimensions, got shape ${fmtShape(s)}.`);
  return diagIndices(s[0], s.length);
}
/** diagflat(v, k=0): the flattened input on the k-th diagonal of a square matrix. */
export const diagflat = (v: ArrayLike, k: number | { k?: number } = 0) => diag(ravel(v), opt<number>(k, "k") ?? 0);

/** indices(dimensions, dtype=int32, sparse=false): a grid of index arrays, stacked, or a list of broadcastable ones when sparse. */
export function indices(dimensions: readonly number[], ...rest: unknown[]): JaxArray | JaxArray[] {
  const o = posOpts<{ dtype?: DType; sparse?: boolean }>("indices", rest, ["dtype", "sparse"]);
  const dt = o.dtype ?? "int32", n = dimensions.length;
  const out = dimensions.map((d, i) => S.broadcastInDim(arange(d, dt), o.sparse ? dimensions.map((e, j) => (i === j ? e : 1)) : dimensions, [i]));
  if (o.sparse) return out;
  return n ? S.concatenate(out.map((a) => S.reshape(a, [1, ...dimensions])), 0) : zeros([0], dt);
}

function atleast(nd: number, xs: ArrayLike[]): JaxArray | JaxArray[] {
  const out = xs.map((v) => {
    const a = asArray(v);
    if (a.ndim >= nd) return a;
    if (nd === 3 && a.ndim > 0) return S.reshape(a, a.ndim === 1 ? [1, a.shape[0], 1] : [...a.shape, 1]);
    return S.reshape(a, [...Array(nd - a.ndim).fill(1), ...a.shape]);
  });
  return out.length === 1 ? out[0] : out;
}
/** atleast2d(...arys): one array back for one input, else a list. */
export function atleast2d(x: ArrayLike): JaxArray;
export function atleast2d(...xs: ArrayLike[]): JaxArray | JaxArray[];
export function atleast2d(...xs: ArrayLike[]) { return atleast(2, xs); }
export function atleast3d(x: ArrayLike): JaxArray;
export function atleast3d(...xs: ArrayLike[]): JaxArray | JaxArray[];
export function atleast3d(...xs: ArrayLike[]) { return atleast(3, xs); }
export const dstack = (tup: readonly ArrayLike[]) => concatenate(tup.map((t) => atleast(3, [t]) as JaxArray), 2);
export const columnStack = (tup: readonly ArrayLike[]) =>
  concatenate(tup.map((t) => { const a = asArray(t); return a.ndim < 2 ? S.reshape(a, [a.size, 1]) : a; }), 1);

type Sections = number | readonly number[] | JaxArray;
function splitAt(op: string, x: ArrayLike, ios: Sections, minNd: number, axisFor: (nd: number) => number): JaxArray[] {
  const a = asArray(x);
  if (a.ndim < minNd) throw new ShapeError(`${op}: needs an array with ndim >= ${minNd}, got shape ${fmtShape(a.shape)}.`);
  return split(a, ios, axisFor(a.ndim));
}
export const hsplit = (x: ArrayLike, ios: Sections) => splitAt("hsplit", x, ios, 1, (nd) => (nd === 1 ? 0 : 1));
export const vsplit = (x: ArrayLike, ios: Sections) => splitAt("vsplit", x, ios, 1, () => 0);
export const dsplit = (x: ArrayLike, ios: Sections) => splitAt("dsplit", x, ios, 3, () => 2);
/** arraySplit(x, sections, axis=0): like split, but sections need not divide the axis (the first ones get one more). */
export function arraySplit(x: ArrayLike, ios: Sections, axis: number | { axis?: number } = 0): JaxArray[] {
  const a = asArray(x), ax = normAxis("arraySplit", opt<number>(axis, "axis") ?? 0, a.ndim);
  if (typeof ios !== "number") return split(a, ios, ax);
  if (!Number.isInteger(ios) || ios <= 0) throw new ValueError(`arraySplit: the number of sections must be a positive integer, got ${ios}.`);
  const n = a.shape[ax], q = Math.floor(n / ios), r = n % ios, cuts: number[] = [];
  for (let i = 1, c = 0; i < ios; i++) cuts.push((c += q + (i <= r ? 1 : 0)));
  return split(a, cuts, ax);
}

/**
 * linspace on arrays (start/stop may be traced), as (start * (div - i) + stop * i) / div along a new
 * axis: exact where numpy's float64 samples are representable (histogram edges land on the data).
 */
export function linspaceArrays(start: ArrayLike, stop: ArrayLike, num: number, endpoint = true, axis = 0): JaxArray {
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`linspace: num must be a non-negative integer, got ${num}.`);
  const [s, e] = broadcastAll("linspace", promote("linspace", [start, stop], "float")), sh = s.shape;
  const div = endpoint ? num - 1 : num, col = (x: JaxArray) => S.reshape(x, [1, ...sh]);
  let out = num === 1 ? col(s) : zeros([0, ...sh], s.dtype);
  if (num > 1) {
    const i = S.reshape(arange(div, s.dtype), [div, ...sh.map(() => 1)]);
    out = divide(add(multiply(s, subtract(div, i)), multiply(e, i)), div);
    if (endpoint) out = S.concatenate([out, col(e)], 0);
  }
  return moveaxis(out, 0, axis);
}

type SpaceOpts = { num?: number; endpoint?: boolean; base?: ArrayLike; dtype?: DType; axis?: number };
/** logspace(start, stop, num=50, endpoint=true, base=10, dtype?, axis=0): base ** linspace(start, stop); arrays broadcast. */
export function logspace(start: ArrayLike, stop: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = posOpts<SpaceOpts>("logspace", rest, ["num", "endpoint", "base", "dtype", "axis"]);
  const out = moveaxis(power(o.base ?? 10, linspaceArrays(start, stop, o.num ?? 50, o.endpoint ?? true)), 0, o.axis ?? 0);
  return o.dtype ? astype(out, o.dtype) : out;
}
/** geomspace(start, stop, num=50, endpoint=true, dtype?, axis=0): a geometric progression (JAX's sign * 10**linspace(log10 ...)). */
export function geomspace(start: ArrayLike, stop: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = posOpts<SpaceOpts>("geomspace", rest, ["num", "endpoint", "dtype", "axis"]);
  const [a, b] = promote("geomspace", [start, stop], "float"), sg = sign(a);
  const out = moveaxis(multiply(sg, logspace(log10(divide(a, sg)), log10(divide(b, sg)), o.num ?? 50, o.endpoint ?? true)), 0, o.axis ?? 0);
  return o.dtype ? astype(out, o.dtype) : out;
}

/** empty(shape, dtype=float32): JAX has no uninitialised memory, so this is zeros. */
export const empty = (shape: number | readonly number[], dtype?: DType | { dtype?: DType }) => zeros(shape, dtype);
export const emptyLike = (x: ArrayLike, o?: Parameters<typeof zerosLike>[1]) => zerosLike(x, o);
/** copy(a): a new array with a's values (its own buffer, so disposing one leaves the other). */
export const copy = (a: ArrayLike) => { const x = asArray(a); return bind1(S.reshapeP, [x], { newSizes: [...x.shape] }); };
export const ndim = (a: ArrayLike) => asArray(a).ndim;
export const shape = (a: ArrayLike) => [...asArray(a).shape];
/** size(a, axis?): the element count, or the product of the lengths of the given axes. */
export function size(a: ArrayLike, axis?: Axes | null | { axis?: Axes | null }): number {
  const x = asArray(a), ax = opt<Axes | null>(axis, "axis");
  return ax == null ? x.size : list(ax).reduce((p, i) => p * x.shape[normAxis("size", i, x.ndim)], 1);
}
export function permuteDims(a: ArrayLike, axes: readonly number[] | { axes: readonly number[] }): JaxArray {
  return transpose(a, Array.isArray(axes) ? axes : (axes as { axes: readonly number[] }).axes);
}
/** matrixTranspose(x): swaps the last two axes of an array with ndim >= 2. */
export function matrixTranspose(x: ArrayLike): JaxArray {
  const a = asArray(x);
  if (a.ndim < 2) throw new ShapeError(`matrixTranspose: needs ndim >= 2, got shape ${fmtShape(a.shape)}; use transpose for vectors.`);
  return swapaxes(a, -1, -2);
}

/** append(arr, values, axis?): concatenation, flattening both when axis is null. */
export function append(arr: ArrayLike, values: ArrayLike, axis?: number | null | { axis?: number | null }): JaxArray {
  const ax = opt<number | null>(axis, "axis");
  return ax == null ? concatenate([ravel(arr), ravel(values)], 0) : concatenate([arr, values], ax);
}

/** resize(a, newShape): the flattened input repeated cyclically to fill the new shape. */
export function resize(a: ArrayLike, newShape: number | readonly number[]): JaxArray {
  const s = list(newShape), x = ravel(a);
  if (s.some((d) => !Number.isInteger(d) || d < 0)) throw new ValueError(`resize: new shape ${fmtShape(s)} must hold non-negative integers.`);
  const n = sizeOf(s);
  if (x.size === 0 || n === 0) return zeros(s, x.dtype);
  return reshape(S.slice(tile(x, Math.ceil(n / x.size)), [0], [n]), s);
}

/** kron(a, b): the Kronecker product (ranks padded with leading 1s to match). */
export function kron(a: ArrayLike, b: ArrayLike): JaxArray {
  let [x, y] = promote("kron", [a, b]);
  const nd = Math.max(x.ndim, y.ndim);
  const pad = (t: JaxArray) => S.reshape(t, [...Array(nd - t.ndim).fill(1), ...t.shape]);
  x = pad(x); y = pad(y);
  const xs = S.reshape(x, x.shape.flatMap((d) => [d, 1])), ys = S.reshape(y, y.shape.flatMap((d) => [1, d]));
  return reshape(multiply(xs, ys), x.shape.map((d, i) => d * y.shape[i]));
}

/** Normalised integer positions for insert/delete: a number, a JS array, an Array or a slice string "start:stop:step". */
function positions(op: string, obj: ArrayLike | string, n: number): JaxArray {
  if (typeof obj === "string") {
    const [p0, p1, p2] = obj.split(":").map((p) => (p.trim() === "" ? undefined : Number(p)));
    const step = p2 ?? 1, r: number[] = [];
    const norm = (v: number | undefined, d: number) => (v === undefined ? d : v < 0 ? Math.max(v + n, step < 0 ? -1 : 0) : Math.min(v, step < 0 ? n - 1 : n));
    const lo = norm(p0, step > 0 ? 0 : n - 1), hi = norm(p1, step > 0 ? n : -1);
    for (let i = lo; step > 0 ? i < hi : i > hi; i += step) r.push(i);
    return array(Int32Array.from(r));
  }
  const x = asArray(obj);
  if (x.dtype !== "int32" && x.dtype !== "uint32" && !(x.size === 0 && !(obj instanceof JaxArray))) {
    throw new ValueError(`${op}: index array must be integer typed, got ${x.dtype}.`);
  }
  if (x.ndim > 1) throw new ShapeError(`${op}: obj must be a slice string, a scalar or a 1-D array, got shape ${fmtShape(x.shape)}.`);
  return astype(x, "int32");
}

/** insert(arr, obj, values, axis?): values inserted before the given positions (jittable; JAX's placement of several). */
export function insert(arr: ArrayLike, obj: ArrayLike | string, values: ArrayLike, axis?: number | null | { axis?: number | null }): JaxArray {
  let a = asArray(arr), ax = opt<number | null>(axis, "axis") ?? null;
  if (ax === null) { a = ravel(a); ax = 0; }
  ax = normAxis("insert", ax, a.ndim);
  const n = a.shape[ax];
  let idx = positions("insert", obj, n);
  let v = astype(values, a.dtype);
  if (v.ndim < a.ndim) v = S.reshape(v, [...Array(a.ndim - v.ndim).fill(1), ...v.shape]);
  if (idx.size === 1) {
    if (idx.ndim === 0) v = S.transpose(v, [...Array(v.ndim).keys()].map((i) => (i < ax! ? i + 1 : i === ax ? 0 : i)));
    idx = broadcastTo_(S.reshape(idx, [1]), [v.shape[ax]]);
  }
  const k = idx.shape[0];
  if (v.shape[ax] !== 1 && v.shape[ax] !== k) throw new ShapeError(`insert: ${v.shape[ax]} values along axis ${ax} for ${k} positions.`);
  idx = broadcastTo_(idx, [k]);
  idx = A.clamp(0, where(A.lt(idx, 0), A.add(idx, n), idx), n);
  // Each inserted slot lands at its position plus the number of insertions sorted before it.
  const order = argsort(idx);
  const vIdx = scatter(idx, order, A.add(gather(idx, order, 0), iota(k)), 0, "set");
  const keep = scatter(full([n + k], true), vIdx, full([k], false), 0, "set");
  const aIdx = S.slice(argsort(keep, { descending: true }), [0], [n]);
  const outShape = a.shape.map((d, i) => (i === ax ? n + k : d));
  const vShape = a.shape.map((d, i) => (i === ax ? k : d));
  let out = scatter(zeros(outShape, a.dtype), vIdx, broadcastTo_(v, vShape), ax, "set");
  out = scatter(out, aIdx, a, ax, "set");
  return out;
}

/** delete(arr, obj, axis?, { assumeUniqueIndices }): removes entries; with unique indices (or a slice) this is jittable. */
export function del(arr: ArrayLike, obj: ArrayLike | string, axis?: number | null | { axis?: number | null; assumeUniqueIndices?: boolean },
  opts: { assumeUniqueIndices?: boolean } = {}): JaxArray {
  let a = asArray(arr), ax = opt<number | null>(axis, "axis") ?? null;
  const unique = (isPlainObject(axis) ? axis.assumeUniqueIndices : opts.assumeUniqueIndices) || typeof obj === "string";
  if (ax === null) { a = ravel(a); ax = 0; }
  ax = normAxis("delete", ax, a.ndim);
  const n = a.shape[ax];
  if (typeof obj === "number") {
    const i = normAxis("delete", obj, n);
    return S.concatenate([S.slice(a, a.shape.map(() => 0), a.shape.map((d, j) => (j === ax ? i : d))),
      S.slice(a, a.shape.map((_, j) => (j === ax ? i + 1 : 0)), a.shape)], ax);
  }
  const o = obj instanceof JaxArray && obj.dtype === "bool" ? obj : typeof obj === "string" ? positions("delete", obj, n) : asArray(obj);
  if (o.dtype === "bool") {
    if (o.ndim !== 1 || o.shape[0] !== n) throw new ShapeError(`delete: a boolean obj must be 1-D of length ${n}, got shape ${fmtShape(o.shape)}.`);
    const m = concreteValue(o, "delete with a boolean obj").dataSync(), keep: number[] = [];
    m.forEach((bit, i) => { if (!bit) keep.push(i); });
    return gather(a, array(Int32Array.from(keep)), ax);
  }
  const idx = positions("delete", o, n);
  if (unique) {
    const m = idx.size, wrap = where(A.lt(idx, 0), A.add(idx, n), idx);
    const sorted = A.sub(argsortValues(A.clamp(0, wrap, n)), iota(m));
    const i = iota(n - m);
    const shiftBy = S.reduceSum(astype(A.ge(S.broadcastInDim(i, [m, n - m], [1]), S.broadcastInDim(sorted, [m, n - m], [0])), "int32"), [0]);
    return gather(a, A.add(i, shiftBy), ax);
  }
  const what = "delete with traced indices (pass { assumeUniqueIndices: true } to use it under jit)";
  const drop = new Set(Array.from(concreteValue(idx, what).dataSync() as Int32Array, (i) => {
    if (i < -n || i >= n) throw new ValueError(`delete: index ${i} is out of bounds for axis ${ax} with size ${n}.`);
    return i < 0 ? i + n : i;
  }));
  return gather(a, array(Int32Array.from([...Array(n).keys()].filter((i) => !drop.has(i)))), ax);
}
const argsortValues = (x: JaxArray) => sortP([x], 0)[0];

/** trimZeros(filt, trim = "fb"): the 1-D filt without its leading ("f") and/or trailing ("b") zeros; its length depends on the data, so filt must be concrete. */
export function trimZeros(filt: ArrayLike, trim: string | { trim?: string } = "fb"): JaxArray {
  const t = (typeof trim === "string" ? trim : trim.trim ?? "fb").toLowerCase();
  if (!/^[fb]*$/.test(t)) throw new ValueError(`trim_zeros: trim must hold only "f" and "b", got ${JSON.stringify(t)}.`);
  const x = asArray(filt);
  if (x.ndim !== 1) throw new ShapeError(`trim_zeros: filt must be 1-D, got shape ${fmtShape(x.shape)}.`);
  const nz = Array.from(concreteValue(A.ne(x, zerosLike(x)), "trim_zeros: its output length depends on the data, which must be concrete (not under jit/vmap)").dataSync() as Iterable<number>);
  let lo = 0, hi = nz.length;
  if (t.includes("f")) while (lo < hi && !nz[lo]) lo++;
  if (t.includes("b")) while (hi > lo && !nz[hi - 1]) hi--;
  return S.slice(x, [lo], [hi]);
}

/** block(arrays): numpy's block assembly from nested lists; the innermost lists join along the last axis, the next along the one before, and so on. */
export function block(arrays: unknown): JaxArray {
  const depthOf = (a: unknown): number => (Array.isArray(a) && !(a.length && typeof a[0] === "number") ? 1 + Math.max(...a.map(depthOf), 0) : 0);
  const depth = depthOf(arrays);
  if (depth === 0) return asArray(arrays as ArrayLike);
  const leaves: JaxArray[] = [];
  const collect = (a: unknown, d: number): void => {
    if (d === 0) leaves.push(asArray(a as ArrayLike));
    else if (!Array.isArray(a) || a.length === 0) throw new ValueError(`block: lists must be non-empty and nested to the same depth (${depth}).`);
    else a.forEach((e) => collect(e, d - 1));
  };
  collect(arrays, depth);
  const nd = Math.max(depth, ...leaves.map((l) => l.ndim));
  const lift = (x: JaxArray) => (x.ndim === nd ? x : S.reshape(x, [...Array(nd - x.ndim).fill(1), ...x.shape]));
  const join = (a: unknown, d: number): JaxArray => (d === 0 ? lift(asArray(a as ArrayLike)) : concatenate((a as unknown[]).map((e) => join(e, d - 1)), nd - d));
  return join(arrays, depth);
}
