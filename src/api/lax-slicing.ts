// lax's dynamic slicing, built on one-axis gather/scatter: a start index may be traced. As in
// JAX, a negative start counts from the end once, then XLA clamps it so the slice stays in bounds.
import { isFloat } from "../core/dtype.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { fmtShape, normAxis } from "../core/shape.js";
import { isPlainObject } from "../core/transform-args.js";
import { JaxArray } from "../core/value.js";
import { add, clamp, convertElementType, lt, select } from "../primitives/arith.js";
import { full } from "../primitives/helpers.js";
import { gather, scatter } from "../primitives/indexing.js";
import { broadcastInDim, iota, reshape, slice } from "../primitives/structural.js";
import { asArray } from "./numpy/creation.js";

export type Index = JaxArray | number;

/** The start indices as JS numbers or int32 scalars: a list, or a 1-D integer array. */
function starts(op: string, x: JaxArray, s: readonly Index[] | JaxArray, what = "start indices"): Index[] {
  let list: Index[];
  if (s instanceof JaxArray) {
    if (s.ndim !== 1) throw new ShapeError(`${op}: ${what} must be a list or a 1-D array, got shape ${fmtShape(s.shape)}.`);
    list = Array.from({ length: s.shape[0] }, (_, i) => reshape(slice(s, [i], [i + 1]), []));
  } else list = [...s];
  if (list.length !== x.ndim) {
    throw new ShapeError(`${op}: got ${list.length} ${what} for an operand of shape ${fmtShape(x.shape)}; pass one per axis (${x.ndim}).`);
  }
  return list.map((i) => {
    if (typeof i === "number") {
      if (!Number.isInteger(i)) throw new DTypeError(`${op}: ${what} must be integers, got ${i}.`);
      return i;
    }
    const a = asArray(i);
    if (a.ndim !== 0 || isFloat(a.dtype) || a.dtype === "bool") {
      throw new DTypeError(`${op}: each start index must be an integer scalar, got ${a.aval.str()}. Convert with astype("int32").`);
    }
    return a;
  });
}

/** Start of a length-`m` window on an axis of length `n`: wrapped once if negative, then clamped into [0, n - m]. */
function clampStart(i: Index, n: number, m: number): Index {
  if (typeof i === "number") return Math.min(Math.max(i < 0 ? i + n : i, 0), n - m);
  const s = convertElementType(i, "int32");
  return clamp(0, select(lt(s, 0), add(s, n), s), n - m);
}

/** The indices start, start+1, ..., start+m-1 of a window. */
function windowIndices(start: Index, m: number): JaxArray {
  const r = iota("int32", [m], 0);
  return typeof start === "number" ? add(r, full([m], start, "int32")) : add(r, broadcastInDim(start, [m], []));
}

function takeWindow(x: JaxArray, start: Index, m: number, axis: number): JaxArray {
  const n = x.shape[axis];
  if (m === n) return x;
  const s = clampStart(start, n, m);
  if (typeof s === "number") {
    const lo = x.shape.map(() => 0), hi = [...x.shape];
    lo[axis] = s; hi[axis] = s + m;
    return slice(x, lo, hi);
  }
  return gather(x, windowIndices(s, m), axis);
}

function checkSizes(op: string, x: JaxArray, sizes: readonly number[], what: string): void {
  if (sizes.length !== x.ndim || sizes.some((m, i) => !Number.isInteger(m) || m < 0 || m > x.shape[i])) {
    throw new ShapeError(`${op}: ${what} ${fmtShape(sizes)} do not fit operand shape ${fmtShape(x.shape)}: ` +
      `need one size per axis with 0 <= size <= the axis length.`);
  }
}

/** lax.dynamic_slice: the window of `sliceSizes` at `startIndices` (clamped into bounds). */
export function dynamicSlice(operand: JaxArray, startIndices: readonly Index[] | JaxArray, sliceSizes: readonly number[]): JaxArray {
  const x = asArray(operand);
  const s = starts("dynamicSlice", x, startIndices);
  checkSizes("dynamicSlice", x, sliceSizes, "slice sizes");
  return s.reduce<JaxArray>((acc, i, d) => takeWindow(acc, i, sliceSizes[d], d), x);
}

/** lax.dynamic_update_slice: `operand` with `update` written at `startIndices` (clamped so it fits). */
export function dynamicUpdateSlice(operand: JaxArray, update: JaxArray, startIndices: readonly Index[] | JaxArray): JaxArray {
  const x = asArray(operand), u = asArray(update);
  const s = starts("dynamicUpdateSlice", x, startIndices);
  if (u.dtype !== x.dtype) {
    throw new DTypeError(`dynamicUpdateSlice: update dtype ${u.dtype} differs from operand dtype ${x.dtype}; convert it first.`);
  }
  if (u.ndim !== x.ndim) {
    throw new ShapeError(`dynamicUpdateSlice: update shape ${fmtShape(u.shape)} must have the rank of operand shape ${fmtShape(x.shape)}.`);
  }
  checkSizes("dynamicUpdateSlice", x, u.shape, "update shape");
  return writeWindow(x, u, s.map((i, d) => clampStart(i, x.shape[d], u.shape[d])), 0);
}

// Axis by axis: take the rows the update covers, write the rest of the update into them, put them back.
function writeWindow(x: JaxArray, u: JaxArray, s: Index[], d: number): JaxArray {
  if (d === x.ndim) return u;
  const m = u.shape[d];
  if (m === x.shape[d]) return writeWindow(x, u, s, d + 1);
  const idx = windowIndices(s[d], m);
  return scatter(x, idx, writeWindow(gather(x, idx, d), u, s, d + 1), d, "set");
}

const oneAxis = (op: string, x: JaxArray, axis: number, v: Index): Index[] => {
  const a = normAxis(op, axis, x.ndim);
  return x.shape.map((_, i) => (i === a ? v : 0));
};

/** lax.dynamic_slice_in_dim(operand, startIndex, sliceSize, axis = 0). */
export function dynamicSliceInDim(operand: JaxArray, startIndex: Index, sliceSize: number, axis: number | { axis?: number } = 0): JaxArray {
  if (isPlainObject(axis)) ({ axis = 0 } = axis);
  const x = asArray(operand);
  const a = normAxis("dynamicSliceInDim", axis, x.ndim);
  return dynamicSlice(x, oneAxis("dynamicSliceInDim", x, a, startIndex), x.shape.map((n, i) => (i === a ? sliceSize : n)));
}

/** lax.dynamic_update_slice_in_dim(operand, update, startIndex, axis). */
export function dynamicUpdateSliceInDim(operand: JaxArray, update: JaxArray, startIndex: Index, axis: number | { axis: number }): JaxArray {
  if (isPlainObject(axis)) ({ axis } = axis);
  const x = asArray(operand);
  return dynamicUpdateSlice(x, update, oneAxis("dynamicUpdateSliceInDim", x, axis, startIndex));
}

/** lax.dynamic_index_in_dim(operand, index, axis = 0, keepdims = true). */
export function dynamicIndexInDim(operand: JaxArray, index: Index, axis: number | { axis?: number; keepdims?: boolean } = 0, keepdims = true): JaxArray {
  if (isPlainObject(axis)) ({ axis = 0, keepdims = true } = axis);
  const x = asArray(operand);
  const a = normAxis("dynamicIndexInDim", axis, x.ndim);
  const out = dynamicSliceInDim(x, index, 1, a);
  return keepdims ? out : reshape(out, x.shape.filter((_, i) => i !== a));
}

/** lax.slice_in_dim(operand, startIndex, limitIndex, stride = 1, axis = 0): static; null means the axis end. */
export function sliceInDim(operand: JaxArray, startIndex: number | null, limitIndex: number | null,
  stride: number | { stride?: number; axis?: number } = 1, axis = 0): JaxArray {
  if (isPlainObject(stride)) ({ stride = 1, axis = 0 } = stride);
  const x = asArray(operand);
  const a = normAxis("sliceInDim", axis, x.ndim), n = x.shape[a];
  const wrap = (v: number | null, dflt: number) => (v === null || v === undefined ? dflt : v < 0 ? v + n : v);
  const lo = x.shape.map(() => 0), hi = [...x.shape], st = x.shape.map(() => 1);
  lo[a] = wrap(startIndex, 0); hi[a] = wrap(limitIndex, n); st[a] = stride;
  return slice(x, lo, hi, st);
}
