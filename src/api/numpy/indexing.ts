// numpy indexing: x.get(...idx) and the functional updates x.at(...idx).set/add/mul/min/max.
// Basic indices (ints, slices, null, "...") become slice/rev/reshape; anything with an integer
// array becomes one gather or scatter over the flattened array with computed linear indices.
import { IndexError, ValueError } from "../../core/errors.js";
import { fmtShape, sizeOf, stridesOf } from "../../core/shape.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as A from "../../primitives/arith.js";
import { gather, scatter, ScatterMode } from "../../primitives/indexing.js";
import * as S from "../../primitives/structural.js";
import { arange, asArray, onesLike, scalar } from "./creation.js";
import { broadcastAll, broadcastTo_, divide, power, promote, whereHooks } from "./ufuncs.js";
import { concreteValue } from "./extras-shape.js";

export type Index = number | string | null | JaxArray | readonly number[];

type Part =
  | { kind: "int"; dim: number; i: number }
  | { kind: "slice"; dim: number; start: number; step: number; len: number }
  | { kind: "new" }
  | { kind: "array"; dim: number; idx: JaxArray };

function parseSlice(s: string, n: number, dim: number): Part {
  const parts = s.split(":");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p.trim() !== "" && !/^-?\d+$/.test(p.trim()))) {
    throw new IndexError(`index: invalid slice string "${s}"; use "start:stop:step" with integers, any part optional (":" for all).`);
  }
  const num = (p: string | undefined) => (p === undefined || p.trim() === "" ? undefined : Number(p));
  const step = num(parts[2]) ?? 1;
  if (step === 0) throw new IndexError(`index: slice step cannot be zero in "${s}".`);
  let start = num(parts[0]), stop = num(parts[1]);
  // Python's slice.indices().
  if (step > 0) {
    start = start === undefined ? 0 : start < 0 ? Math.max(0, start + n) : Math.min(start, n);
    stop = stop === undefined ? n : stop < 0 ? Math.max(0, stop + n) : Math.min(stop, n);
  } else {
    start = start === undefined ? n - 1 : start < 0 ? Math.max(-1, start + n) : Math.min(start, n - 1);
    stop = stop === undefined ? -1 : stop < 0 ? Math.max(-1, stop + n) : Math.min(stop, n - 1);
  }
  const len = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  return { kind: "slice", dim, start, step, len };
}

/**
 * Splits an index into parts, numpy's (and JAX's) way: an integer next to an integer array is an
 * advanced index too (so `t[0, :, ix]` puts the index axes first), an integer out of range is
 * clamped by a read and dropped by an update as an array index would be (JAX never raises for it),
 * and a boolean mask becomes the integer arrays of its true entries, which needs concrete values.
 */
function parse(shape: readonly number[], idx: readonly Index[]): Part[] {
  const nEll = idx.filter((i) => i === "...").length;
  if (nEll > 1) throw new IndexError("index: an index can only have a single ellipsis ('...').");
  const entries = idx.map((i) => (i !== null && typeof i === "object" ? asArray(i as ArrayLike) : i));
  const width = (i: typeof entries[number]) =>
    i === null || i === "..." ? 0 : i instanceof JaxArray && i.dtype === "bool" ? i.ndim : 1;
  const used = entries.reduce((n: number, i) => n + width(i), 0);
  if (used > shape.length) {
    throw new IndexError(`index: too many indices for array: array is ${shape.length}-dimensional, but ${used} were indexed.`);
  }
  const advanced = entries.some((i) => i instanceof JaxArray);
  const parts: Part[] = [];
  let dim = 0;
  for (const i of entries) {
    if (i === "...") {
      for (let k = 0; k < shape.length - used; k++, dim++) parts.push(parseSlice(":", shape[dim], dim));
    } else if (i === null) {
      parts.push({ kind: "new" });
    } else if (typeof i === "number") {
      const n = shape[dim];
      if (!Number.isInteger(i)) {
        throw new IndexError(`index: ${i} is not an integer; only integers, slice strings, null, "..." and integer arrays are valid indices.`);
      }
      if (advanced || i < -n || i >= n) parts.push({ kind: "array", dim, idx: scalar(i, "int32") });
      else parts.push({ kind: "int", dim, i: i < 0 ? i + n : i });
      dim++;
    } else if (typeof i === "string") {
      parts.push(parseSlice(i, shape[dim], dim));
      dim++;
    } else if (i.dtype === "bool") {
      const want = shape.slice(dim, dim + i.ndim);
      if (i.ndim === 0 || want.join() !== i.shape.join()) {
        throw new IndexError(`index: a boolean mask of shape ${fmtShape(i.shape)} does not match the indexed axes ${fmtShape(want)} of shape ${fmtShape(shape)}; ` +
          "a mask must have the shape of the axes it selects from.");
      }
      const mask = concreteValue(i, "index: a boolean mask has a data-dependent result shape; under jit/vmap use jnp.where(mask, x, other), or nonzero(mask, { size })");
      for (const ix of whereHooks.nonzero!(mask)) parts.push({ kind: "array", dim: dim++, idx: ix });
    } else {
      if (i.dtype !== "int32" && i.dtype !== "uint32") throw new IndexError(`index: index arrays must be integers or booleans, got ${i.dtype}.`);
      parts.push({ kind: "array", dim, idx: i });
      dim++;
    }
  }
  for (; dim < shape.length; dim++) parts.push(parseSlice(":", shape[dim], dim));
  return parts;
}

/** x[idx] */
export function getItem(x: JaxArray, idx: readonly Index[]): JaxArray {
  const parts = parse(x.shape, idx);
  if (!parts.some((p) => p.kind === "array")) return basicIndex(x, parts);
  const { lin, shape } = linearIndex(x.shape, parts, "clip");
  return S.reshape(gather(S.reshape(x, [x.size]), lin, 0, "clip"), shape);
}

function basicIndex(x: JaxArray, parts: Part[]): JaxArray {
  let a = x;
  const revDims = parts.filter((p): p is Extract<Part, { kind: "slice" }> => p.kind === "slice" && p.step < 0 && p.len > 0).map((p) => p.dim);
  const start = x.shape.map(() => 0), limit = [...x.shape], strides = x.shape.map(() => 1);
  for (const p of parts) {
    if (p.kind === "int") { start[p.dim] = p.i; limit[p.dim] = p.i + 1; }
    if (p.kind === "slice") {
      const n = x.shape[p.dim];
      if (p.len === 0) { start[p.dim] = 0; limit[p.dim] = 0; continue; }
      // On the reversed axis, position j is n-1-j.
      const s = p.step > 0 ? p.start : n - 1 - p.start;
      const st = Math.abs(p.step);
      start[p.dim] = s;
      limit[p.dim] = s + (p.len - 1) * st + 1;
      strides[p.dim] = st;
    }
  }
  if (revDims.length) a = S.rev(a, revDims);
  if (start.some((s, i) => s !== 0 || limit[i] !== x.shape[i] || strides[i] !== 1)) a = S.slice(a, start, limit, strides);
  const shape: number[] = [];
  for (const p of parts) {
    if (p.kind === "new") shape.push(1);
    if (p.kind === "slice") shape.push(p.len);
  }
  return S.reshape(a, shape);
}

/**
 * Linear indices into x.ravel() for every element of the result, with the result's shape (numpy's
 * rule: adjacent advanced indices stay in place, separated ones move to the front). In "drop" mode
 * an out-of-range advanced index gives -1, which scatter ignores.
 */
function linearIndex(shape: readonly number[], parts: Part[], mode: "clip" | "drop"): { lin: JaxArray; shape: number[] } {
  const strides = stridesOf(shape);
  const arrays = parts.filter((p): p is Extract<Part, { kind: "array" }> => p.kind === "array");
  const bcast = broadcastAll("index", arrays.map((p) => p.idx.dtype === "int32" ? p.idx : A.convertElementType(p.idx, "int32")));
  const bshape = bcast[0]?.shape ?? [];
  const advPos = parts.map((p, i) => (p.kind === "array" ? i : -1)).filter((i) => i >= 0);
  const adjacent = advPos.every((p, k) => k === 0 || p === advPos[k - 1] + 1);
  // Result axes: one per slice/new part, plus the broadcast index axes.
  const layout: ({ part: number } | { adv: true })[] = [];
  let advPlaced = false;
  parts.forEach((p, i) => {
    if (p.kind === "array") {
      if (!advPlaced && adjacent) { layout.push({ adv: true }); advPlaced = true; }
      return;
    }
    if (p.kind === "int") return;
    layout.push({ part: i });
  });
  if (!adjacent) layout.unshift({ adv: true });
  const outShape: number[] = [];
  const axisOfPart = new Map<number, number>();
  let advAt = 0;
  for (const l of layout) {
    if ("adv" in l) { advAt = outShape.length; outShape.push(...bshape); continue; }
    const p = parts[l.part];
    axisOfPart.set(l.part, outShape.length);
    outShape.push(p.kind === "slice" ? p.len : 1);
  }
  const n = Math.max(1, outShape.length);
  let lin: JaxArray = broadcastTo_(scalar(0, "int32"), outShape);
  let valid: JaxArray | null = null;
  const c = (v: number) => broadcastTo_(scalar(v, "int32"), outShape);
  parts.forEach((p, i) => {
    if (p.kind === "new") return;
    const st = strides[p.dim];
    if (p.kind === "int") { lin = A.add(lin, c(p.i * st)); return; }
    if (p.kind === "slice") {
      const ax = axisOfPart.get(i)!;
      const vals = A.add(A.mul(arange(p.len), broadcastTo_(scalar(p.step, "int32"), [p.len])), broadcastTo_(scalar(p.start, "int32"), [p.len]));
      lin = A.add(lin, A.mul(S.broadcastInDim(vals, outShape, [ax]), c(st)));
      return;
    }
    const k = arrays.indexOf(p);
    const size = shape[p.dim];
    let iv = bcast[k];
    iv = A.select(A.lt(iv, broadcastTo_(scalar(0, "int32"), iv.shape)), A.add(iv, broadcastTo_(scalar(size, "int32"), iv.shape)), iv);
    if (mode === "clip") {
      iv = A.max(A.min(iv, broadcastTo_(scalar(size - 1, "int32"), iv.shape)), broadcastTo_(scalar(0, "int32"), iv.shape));
    } else {
      const ok = A.bitwiseAnd(A.ge(iv, broadcastTo_(scalar(0, "int32"), iv.shape)), A.lt(iv, broadcastTo_(scalar(size, "int32"), iv.shape)));
      valid = valid ? A.bitwiseAnd(valid, ok) : ok;
    }
    const placed = S.broadcastInDim(iv, outShape, bshape.map((_, j) => advAt + j));
    lin = A.add(lin, A.mul(placed, c(st)));
  });
  void n;
  if (valid) lin = A.select(S.broadcastInDim(valid, outShape, bshape.map((_, j) => advAt + j)), lin, c(-1));
  return { lin, shape: outShape };
}

/** The helper behind x.at(...idx): functional updates that return a new array. */
export interface AtGetOptions { mode?: "fill" | "clip" | "promise_in_bounds"; fillValue?: number }
export interface AtUpdateOptions { mode?: "drop" | "fill" | "clip" | "promise_in_bounds" }

export class AtRef {
  constructor(private readonly x: JaxArray, private readonly idx: readonly Index[]) {}
  /** x[idx], with JAX's out-of-bounds modes: clip (the default, as x.get), or fill with fillValue (NaN for floats). */
  get(opts: AtGetOptions = {}): JaxArray {
    const mode = opts.mode ?? "clip";
    if (mode !== "fill" && mode !== "clip" && mode !== "promise_in_bounds") throw new ValueError(`at[...].get: invalid mode "${mode}"; use "fill", "clip" or "promise_in_bounds".`);
    if (mode !== "fill") {
      if (opts.fillValue !== undefined) throw new ValueError(`at[...].get: fillValue needs mode "fill".`);
      return getItem(this.x, this.idx);
    }
    const x = this.x;
    const parts = parse(x.shape, this.idx);
    if (!parts.some((p) => p.kind === "array")) return basicIndex(x, parts);
    const { lin, shape } = linearIndex(x.shape, parts, "drop");
    // Dropped (out-of-bounds) positions are -1, which the fill-mode gather fills.
    let out = gather(S.reshape(x, [x.size]), lin, 0, "fill");
    if (opts.fillValue !== undefined) {
      const bad = A.lt(lin, broadcastTo_(scalar(0, "int32"), lin.shape));
      out = A.select(bad, broadcastTo_(scalar(opts.fillValue, out.dtype), out.shape), out);
    }
    return S.reshape(out, shape);
  }
  set(v: ArrayLike, opts?: AtUpdateOptions): JaxArray { return this.update(v, "set", opts); }
  add(v: ArrayLike, opts?: AtUpdateOptions): JaxArray { return this.update(v, "add", opts); }
  multiply(v: ArrayLike, opts?: AtUpdateOptions): JaxArray { return this.update(v, "mul", opts); }
  mul(v: ArrayLike, opts?: AtUpdateOptions): JaxArray { return this.update(v, "mul", opts); }
  /** x / v at idx (JAX: x divided by ones with v multiplied in at idx, so repeated indices divide repeatedly). */
  divide(v: ArrayLike, opts?: AtUpdateOptions): JaxArray {
    return divide(this.x, new AtRef(onesLike(this.x), this.idx).mul(v, opts));
  }
  /** x ** v at idx (x to the power of ones with v set at idx). */
  power(v: ArrayLike, opts?: AtUpdateOptions): JaxArray {
    return power(this.x, new AtRef(onesLike(this.x), this.idx).set(v, opts));
  }
  min(v: ArrayLike, opts?: AtUpdateOptions): JaxArray { return this.update(v, "min", opts); }
  max(v: ArrayLike, opts?: AtUpdateOptions): JaxArray { return this.update(v, "max", opts); }

  private update(v: ArrayLike, mode: ScatterMode, opts: AtUpdateOptions = {}): JaxArray {
    const x = this.x;
    const oob = opts.mode ?? "drop";
    if (!["drop", "fill", "clip", "promise_in_bounds"].includes(oob)) throw new ValueError(`at[...].${mode}: invalid mode "${oob}"; use "drop", "clip" or "promise_in_bounds".`);
    const parts = parse(x.shape, this.idx);
    const { lin, shape } = linearIndex(x.shape, parts, oob === "clip" ? "clip" : "drop");
    let u = promoteTo(v, x);
    const us = u.shape;
    if (us.length > shape.length || us.some((d, i) => d !== 1 && d !== shape[shape.length - us.length + i])) {
      throw new ValueError(`at[...].${mode}: cannot broadcast update of shape [${us}] to the indexed shape [${shape}].`);
    }
    u = broadcastTo_(u, shape);
    const m = sizeOf(shape);
    const out = scatter(S.reshape(x, [x.size]), S.reshape(lin, [m]), S.reshape(u, [m]), 0, mode);
    return S.reshape(out, x.shape);
  }
}

function promoteTo(v: ArrayLike, x: JaxArray): JaxArray {
  const [, b] = promote("at", [x, v]);
  return b.dtype === x.dtype ? b : A.convertElementType(b, x.dtype);
}
