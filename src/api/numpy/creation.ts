// Making arrays from JS data, and the creation functions (zeros, arange, eye, ...).
import { ConcreteArray, fromHost } from "../../core/array.js";
import { keep } from "../../core/memory.js";
import { ShapedArray } from "../../core/aval.js";
import { dtypeOptions } from "./options.js";
import { checkDType, DType, dtypeOfTypedArray, isFloat, TypedArray, typedArrayFor } from "../../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../../core/errors.js";
import { checkShape, sizeOf } from "../../core/shape.js";
import { JaxArray, ArrayLike } from "../../core/value.js";
import { getBackend } from "../../backend/registry.js";
import { convertElementType } from "../../primitives/arith.js";
import { broadcastInDim, iota, reshape } from "../../primitives/structural.js";
import "../../core/eval.js";

export interface ArrayOptions { dtype?: DType; shape?: readonly number[]; device?: string }

/** Nested JS arrays, numbers, booleans or a TypedArray (with `shape`) to a new array. */
export function array(data: ArrayLike | TypedArray, options?: ArrayOptions | DType): JaxArray {
  const opts = dtypeOptions<ArrayOptions>("array", options);
  const dtype = opts.dtype === undefined ? undefined : checkDType(opts.dtype, "array");
  if (data instanceof JaxArray) return dtype ? convertElementType(data, dtype) : data;
  if (ArrayBuffer.isView(data)) {
    const td = data as TypedArray;
    const shape = opts.shape ? checkShape("array", [...opts.shape]) : [td.length];
    if (sizeOf(shape) !== td.length) {
      throw new ShapeError(`array: a TypedArray of length ${td.length} does not fill shape [${shape}]. Pass a matching shape option.`);
    }
    const src = dtypeOfTypedArray(td);
    if (!src) throw new DTypeError(`array: unsupported TypedArray ${td.constructor.name}; use Float32Array, Float64Array, Int32Array, Uint32Array or Uint8Array (bool).`);
    const want = dtype ?? src;
    const C = typedArrayFor(want);
    const copy = want === src ? td.slice() : (new C(td.length) as TypedArray);
    if (want !== src) for (let i = 0; i < td.length; i++) copy[i] = want === "bool" ? (td[i] ? 1 : 0) : td[i];
    return fromHost(getBackend(opts.device), copy as TypedArray, new ShapedArray(shape, want));
  }
  const shape: number[] = [];
  const flat: (number | boolean)[] = [];
  flattenNested(data, 0, shape, flat);
  // An empty list is float32, as numpy's float default; otherwise the widest kind of its entries.
  let kind: DType = flat.length ? "bool" : "float32";
  for (const v of flat) {
    if (typeof v === "number") {
      if (!Number.isInteger(v)) { kind = "float32"; break; }
      kind = "int32";
    }
  }
  const weak = typeof data === "number" && dtype === undefined;
  const out = dtype ?? kind;
  const C = typedArrayFor(out);
  const td = new C(flat.length) as TypedArray;
  for (let i = 0; i < flat.length; i++) td[i] = +flat[i];
  return fromHost(getBackend(opts.device), td, new ShapedArray(opts.shape ?? shape, out, weak));
}

function flattenNested(x: unknown, depth: number, shape: number[], out: (number | boolean)[]): void {
  if (Array.isArray(x)) {
    if (shape.length <= depth) shape.push(x.length);
    else if (shape[depth] !== x.length) throw new ShapeError(`array: ragged nested list: expected length ${shape[depth]} at depth ${depth}, got ${x.length}.`);
    for (const v of x) flattenNested(v, depth + 1, shape, out);
    return;
  }
  if (typeof x === "number" || typeof x === "boolean") {
    if (depth !== shape.length) throw new ShapeError("array: ragged nested list: a number where a list was expected.");
    out.push(x);
    return;
  }
  if (x instanceof JaxArray) throw new ValueError("array: arrays inside nested lists are not supported; use jnp.stack.");
  throw new ValueError(`array: cannot convert ${typeof x} to an array; pass numbers, booleans, nested lists or a TypedArray.`);
}

/** Any ArrayLike to an array; JS numbers become weakly-typed scalars (JAX's weak types). */
export function asArray(x: ArrayLike): JaxArray {
  if (x instanceof JaxArray) return x;
  if (typeof x === "number") return scalar(x, Number.isInteger(x) ? "int32" : "float32", true);
  if (typeof x === "boolean") return scalar(x ? 1 : 0, "bool", false);
  return array(x);
}

/** numpy's asarray(x, dtype?): an array as is (converted if a dtype is given), anything else as jnp.array. */
export function asarray(x: ArrayLike | TypedArray, options?: ArrayOptions | DType): JaxArray {
  if (x instanceof JaxArray && options === undefined) return x;
  if (typeof x === "number" && options === undefined) return asArray(x);
  return array(x, options);
}

export function scalar(v: number, dtype: DType, weak = false): JaxArray {
  const C = typedArrayFor(dtype);
  const td = new C(1) as TypedArray;
  td[0] = v;
  return fromHost(getBackend(), td, new ShapedArray([], dtype, weak));
}

const constants = new Map<string, JaxArray>();

/**
 * A shared, never-freed scalar for a JS number used as an operand (x.mul(2)): immutable, so one
 * array per (device, value, dtype, weak) serves every op, and no op allocates for its constants.
 */
export function scalarConstant(v: number, dtype: DType, weak: boolean): JaxArray {
  const key = `${getBackend().name}:${dtype}${weak ? "w" : ""}:${Object.is(v, -0) ? "-0" : v}`;
  let c = constants.get(key);
  if (c === undefined || (c as ConcreteArray).isDisposed) {
    if (constants.size >= 1024) constants.clear();
    c = keep(scalar(v, dtype, weak));
    constants.set(key, c);
  }
  return c;
}

type DTypeArg = { dtype?: DType } | DType;

export function full(shape: number | readonly number[], fillValue: ArrayLike, options?: DTypeArg): JaxArray {
  const opts = dtypeOptions("full", options);
  const s = typeof shape === "number" ? [shape] : checkShape("full", [...shape]);
  if (typeof fillValue !== "number" && typeof fillValue !== "boolean") {
    // An array fill value broadcasts to the shape (numpy's full).
    let v = asArray(fillValue);
    if (opts.dtype) v = convertElementType(v, checkDType(opts.dtype, "full"));
    const ok = v.ndim <= s.length && v.shape.every((d, i) => d === 1 || d === s[s.length - v.ndim + i]);
    if (!ok) throw new ShapeError(`full: the fill value of shape [${v.shape}] does not broadcast to shape [${s}].`);
    // broadcast_in_dim needs equal sizes on mapped axes: drop v's size-1 axes first.
    const keep = v.shape.map((d, i) => i).filter((i) => v.shape[i] === s[s.length - v.ndim + i]);
    const squeezed = reshape(v, keep.map((i) => v.shape[i]));
    return broadcastInDim(squeezed, s, keep.map((i) => s.length - v.ndim + i));
  }
  const dtype = opts.dtype ? checkDType(opts.dtype, "full") : typeof fillValue === "boolean" ? "bool" : Number.isInteger(fillValue) ? "int32" : "float32";
  const C = typedArrayFor(dtype);
  const td = new C(sizeOf(s)) as TypedArray;
  // NaN is falsy but still a fill value; only an actual zero can skip the fill.
  if (fillValue !== 0 && fillValue !== false) td.fill(+fillValue as never);
  return fromHost(getBackend(), td, new ShapedArray(s, dtype));
}

export const zeros = (shape: number | readonly number[], opts?: DTypeArg) => full(shape, 0, { dtype: dtypeOptions("zeros", opts).dtype ?? "float32" });
export const ones = (shape: number | readonly number[], opts?: DTypeArg) => full(shape, 1, { dtype: dtypeOptions("ones", opts).dtype ?? "float32" });
type LikeArg = { dtype?: DType; shape?: number | readonly number[] } | DType;
/** fullLike(x, v, dtype? | { dtype, shape }): x's shape and dtype unless given. */
export const fullLike = (x: ArrayLike, v: ArrayLike, opts?: LikeArg) => {
  const o = dtypeOptions<{ dtype?: DType; shape?: number | readonly number[] }>("fullLike", opts);
  const a = asArray(x);
  return full(o.shape ?? a.shape, v, { dtype: o.dtype ?? a.dtype });
};
export const zerosLike = (x: ArrayLike, opts?: LikeArg) => fullLike(x, 0, opts);
export const onesLike = (x: ArrayLike, opts?: LikeArg) => fullLike(x, 1, opts);

/** arange(stop), arange(start, stop, step?, dtype?) with numpy's dtype rule (int32 unless any bound is fractional). */
export function arange(start: number, stop?: number | null | DTypeArg, step: number | null | DTypeArg = 1, options?: DTypeArg): JaxArray {
  // A dtype (or options) may follow the last bound given: arange(5, "float32"), arange(1, 4, { dtype }).
  if (stop !== undefined && stop !== null && typeof stop !== "number") { options = stop; stop = undefined; step = 1; }
  if (step !== null && typeof step !== "number") { options = step; step = 1; }
  const opts = dtypeOptions("arange", options);
  if (stop === undefined || stop === null) { stop = start; start = 0; }
  const st = step ?? 1;
  for (const v of [start, stop, st]) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new ValueError(`arange: start, stop and step must be finite numbers, got ${String(v)}.`);
  }
  if (st === 0) throw new ValueError("arange: step must not be zero.");
  const n = Math.max(0, Math.ceil((stop - start) / st));
  const dtype = opts.dtype ?? ([start, stop, st].every(Number.isInteger) ? "int32" : "float32");
  const C = typedArrayFor(dtype);
  const td = new C(n) as TypedArray;
  for (let i = 0; i < n; i++) td[i] = start + i * st;
  return fromHost(getBackend(), td, new ShapedArray([n], dtype));
}

interface LinspaceOptions { endpoint?: boolean; retstep?: boolean; dtype?: DType }

/**
 * linspace(start, stop, num?, endpoint?, retstep?, dtype?) in JAX's positional order, or
 * linspace(start, stop, num, { endpoint, retstep, dtype }). With retstep it returns [samples, step], the step
 * a 0-d array, float32 for an integer dtype (JAX computes in the inexact type).
 */
export function linspace(start: number, stop: number, num: number, endpoint: boolean | undefined, retstep: true, dtype?: DType): [JaxArray, JaxArray];
export function linspace(start: number, stop: number, num: number, options: LinspaceOptions & { retstep: true }): [JaxArray, JaxArray];
export function linspace(start: number, stop: number, num?: number, options?: LinspaceOptions | boolean | DType, retstep?: boolean, dtype?: DType): JaxArray;
export function linspace(start: number, stop: number, num = 50, options?: LinspaceOptions | boolean | DType, retstepArg?: boolean, dtypeArg?: DType): JaxArray | [JaxArray, JaxArray] {
  const opts: LinspaceOptions = typeof options === "boolean" || retstepArg !== undefined || dtypeArg !== undefined
    ? { endpoint: options as boolean | undefined, retstep: retstepArg, dtype: dtypeArg }
    : dtypeOptions<LinspaceOptions>("linspace", options as LinspaceOptions | DType | undefined);
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`linspace: num must be a non-negative integer, got ${num}.`);
  const endpoint = opts.endpoint ?? true;
  const dtype = opts.dtype ?? "float32";
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : NaN;
  const C = typedArrayFor(dtype);
  const td = new C(num) as TypedArray;
  // Integer dtypes take the floor of the float samples, as numpy's linspace.
  const put = isFloat(dtype) ? (v: number) => v : Math.floor;
  for (let i = 0; i < num; i++) td[i] = put(start + i * (div > 0 ? step : 0));
  if (endpoint && num > 1) td[num - 1] = put(stop);
  const out = fromHost(getBackend(), td, new ShapedArray([num], dtype));
  return opts.retstep ? [out, scalar(step, isFloat(dtype) ? dtype : "float32")] : out;
}

/** eye(n, m?, k? | options?): JAX's third positional argument is the diagonal offset `k`. */
export function eye(n: number, m: number | null = n, options?: { k?: number; dtype?: DType } | number | DType): JaxArray {
  const opts = typeof options === "number" ? { k: options } : dtypeOptions<{ k?: number; dtype?: DType }>("eye", options);
  const k = opts.k ?? 0;
  if (m === null) m = n;
  const dtype = opts.dtype ?? "float32";
  const C = typedArrayFor(dtype);
  const td = new C(n * m) as TypedArray;
  for (let i = 0; i < n; i++) if (i + k >= 0 && i + k < m) td[i * m + i + k] = 1;
  return fromHost(getBackend(), td, new ShapedArray([n, m], dtype));
}
export const identity = (n: number, opts?: DTypeArg) => eye(n, n, dtypeOptions("identity", opts));

/** lax.iota broadcast to `shape` along `dimension` (a traced-friendly index grid). */
export function broadcastedIota(dtype: DType, shape: readonly number[], dimension: number): JaxArray {
  return broadcastInDim(iota(dtype, [shape[dimension]], 0), shape, [dimension]);
}

export function isFloatArray(x: JaxArray): boolean { return isFloat(x.dtype); }
