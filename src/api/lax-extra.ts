// lax's convenience wrappers over the primitives: shapes, creation, dot, select_n, reduce and map.
import { ShapedArray } from "../core/aval.js";
import { checkDType, DType, isFloat } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { flatten, treeDefEqual, unflatten } from "../core/pytree.js";
import { fmtShape, normAxis, sizeOf } from "../core/shape.js";
import { isPlainObject, positionalOptions } from "../core/transform-args.js";
import { ArrayLike, JaxArray } from "../core/value.js";
import { makeJaxpr } from "../jaxpr/make.js";
import { vmap } from "../batching/vmap.js";
import { scan } from "../control/loops.js";
import * as A from "../primitives/arith.js";
import { dotGeneral as dotGeneralP, DotParams } from "../primitives/linalg.js";
import * as R from "../primitives/reduce.js";
import * as S from "../primitives/structural.js";
import { asArray, scalar } from "./numpy/creation.js";
import { squeeze as jnpSqueeze, expandDims as jnpExpandDims } from "./numpy/shape.js";
import { sliceInDim } from "./lax-slicing.js";

/** lax.squeeze(array, dimensions): drops the listed axes, each of size 1. */
export const squeeze = (array: ArrayLike, dimensions: readonly number[]): JaxArray => jnpSqueeze(array, [...dimensions]);
/** lax.expand_dims(array, dimensions): inserts size-1 axes at positions of the result. */
export const expandDims = (array: ArrayLike, dimensions: readonly number[]): JaxArray => jnpExpandDims(array, [...dimensions]);

/** lax.full(shape, fillValue, dtype?): a scalar fill value (possibly traced) broadcast; weakly typed for a JS number without dtype. */
export function full(shape: number | readonly number[], fillValue: ArrayLike, dtype?: DType | null | { dtype?: DType | null }): JaxArray {
  if (isPlainObject(dtype)) ({ dtype } = dtype);
  const v = asArray(fillValue);
  if (v.ndim !== 0) throw new ShapeError(`full: the fill value must be a scalar, got shape ${fmtShape(v.shape)}.`);
  const d = dtype ? checkDType(dtype as DType, "full") : v.dtype;
  return S.broadcastInDim(A.convertElementType(v, d, !dtype && v.weakType), typeof shape === "number" ? [shape] : [...shape], []);
}

/** lax.full_like(x, fillValue, dtype?, shape?): x's shape and dtype (and weak type) unless given. */
export function fullLike(x: ArrayLike, fillValue: ArrayLike, dtype?: DType | null | { dtype?: DType | null; shape?: readonly number[] | null },
  shape?: readonly number[] | null): JaxArray {
  if (isPlainObject(dtype)) ({ dtype, shape } = dtype);
  const a = asArray(x);
  const d = dtype ? checkDType(dtype as DType, "fullLike") : a.dtype;
  const v = A.convertElementType(asArray(fillValue), d, !dtype && a.weakType);
  return full(shape ?? a.shape, v);
}

/** lax.broadcast(operand, sizes): new leading axes of the given sizes. */
export function broadcast(operand: ArrayLike, sizes: readonly number[]): JaxArray {
  const x = asArray(operand);
  return S.broadcastInDim(x, [...sizes, ...x.shape], x.shape.map((_, i) => i + sizes.length));
}

/** lax.collapse(operand, start, stop?): merges axes [start, stop) into one (Python slice bounds). */
export function collapse(operand: ArrayLike, startDimension: number, stopDimension: number | null = null): JaxArray {
  const x = asArray(operand), n = x.ndim;
  const bound = (v: number, d: number) => (v === null || v === undefined ? d : Math.min(Math.max(v < 0 ? v + n : v, 0), n));
  const lo = bound(startDimension, 0), hi = bound(stopDimension as number, n);
  if (hi < lo) throw new ShapeError(`collapse: invalid dimension range [${startDimension}:${stopDimension}] for shape ${fmtShape(x.shape)}.`);
  return S.reshape(x, [...x.shape.slice(0, lo), sizeOf(x.shape.slice(lo, hi)), ...x.shape.slice(hi)]);
}

type DimNums = readonly [readonly [readonly number[], readonly number[]], readonly [readonly number[], readonly number[]]];
interface DotOptions { precision?: unknown; preferredElementType?: DType | null; dimensionNumbers?: DimNums | null }

function dotOperands(op: string, lhs: ArrayLike, rhs: ArrayLike, pref?: DType | null): [JaxArray, JaxArray] {
  let a = asArray(lhs), b = asArray(rhs);
  const d = pref ? checkDType(pref, op) : a.dtype;
  if (!pref && a.dtype !== b.dtype) {
    throw new DTypeError(`${op}: operands have dtypes ${a.dtype} and ${b.dtype}; lax does not promote. Convert one, or pass preferredElementType.`);
  }
  a = A.convertElementType(a, d, a.weakType); b = A.convertElementType(b, d, b.weakType);
  return [a, b];
}

/**
 * lax.dot(lhs, rhs, precision?, preferredElementType?) or (lhs, rhs, { dimensionNumbers, precision,
 * preferredElementType }): vector/matrix products, or any dot_general given its dimension numbers.
 */
export function dot(lhs: ArrayLike, rhs: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = positionalOptions<DotOptions>("dot", rest, ["precision", "preferredElementType"]);
  const [a, b] = dotOperands("dot", lhs, rhs, o.preferredElementType);
  let dn = o.dimensionNumbers;
  if (!dn) {
    if (!(a.ndim >= 1 && a.ndim <= 2 && b.ndim >= 1 && b.ndim <= 2 && a.shape[a.ndim - 1] === b.shape[0])) {
      throw new ShapeError(`dot: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not a vector/matrix product with ` +
        `lhs.shape[-1] == rhs.shape[0]; pass dimensionNumbers or use dotGeneral.`);
    }
    dn = [[[a.ndim - 1], [0]], [[], []]];
  }
  return dotGeneralP(a, b, { contracting: [[...dn[0][0]], [...dn[0][1]]], batch: [[...dn[1][0]], [...dn[1][1]]] });
}

/** lax.batch_matmul(lhs, rhs): matrix products over equal leading batch axes. */
export function batchMatmul(lhs: ArrayLike, rhs: ArrayLike, _precision?: unknown): JaxArray {
  const [a, b] = dotOperands("batchMatmul", lhs, rhs);
  if (Math.min(a.ndim, b.ndim) < 2 || a.ndim !== b.ndim) {
    throw new ShapeError(`batchMatmul: operands must be at least 2-D and of equal rank, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}.`);
  }
  const bd = a.shape.slice(2).map((_, i) => i);
  return dotGeneralP(a, b, { contracting: [[a.ndim - 1], [b.ndim - 2]], batch: [bd, bd] });
}

/** lax.select_n(which, ...cases): cases[which], elementwise; `which` is bool (two cases) or an integer. */
export function selectN(which: ArrayLike, ...cases: ArrayLike[]): JaxArray {
  if (!cases.length) throw new ValueError("selectN: needs at least one case.");
  const w = asArray(which), cs = cases.map(asArray);
  if (w.dtype === "bool") {
    if (cs.length > 2) throw new ValueError(`selectN: a bool which selects between at most 2 cases, got ${cs.length}; use an int32 which.`);
  } else if (isFloat(w.dtype)) throw new DTypeError(`selectN: which must be bool or an integer, got ${w.dtype}.`);
  const pick = (v: JaxArray, c: JaxArray[]): JaxArray => {
    if (c.length === 1) return c[0];
    if (v.dtype === "bool") return A.select(v, c[1], c[0]);
    const mid = c.length >> 1;
    return A.select(A.lt(v, mid), pick(v, c.slice(0, mid)), pick(A.sub(v, mid), c.slice(mid)));
  };
  return pick(w, cs);
}

// ---- reduce

type Reducer = (x: JaxArray, axes: readonly number[]) => JaxArray;
const MONOIDS: Record<string, [Reducer, (x: JaxArray, y: JaxArray) => JaxArray]> = {
  add: [S.reduceSum, A.add], mul: [R.reduceProd, A.mul], max: [R.reduceMax, A.max], min: [R.reduceMin, A.min],
  and: [R.reduceAnd, A.bitwiseAnd], or: [R.reduceOr, A.bitwiseOr],
};
const BY_FN = new Map<unknown, string>([[A.add, "add"], [A.mul, "mul"], [A.max, "max"], [A.min, "min"], [A.bitwiseAnd, "and"], [A.bitwiseOr, "or"]]);

/** The monoid a binary computation is, when its program is a single add/mul/max/min/and/or of its two arguments. */
function monoidOf(f: (a: any, b: any) => any, x: JaxArray): string | undefined {
  const sc = new ShapedArray([], x.dtype);
  let m = BY_FN.get(f);
  if (!m) {
    try {
      const j = makeJaxpr(f)(sc, sc).jaxpr, [e] = j.eqns;
      if (j.eqns.length === 1 && j.outs.length === 1 && j.outs[0] === e.outs[0] && e.inputs.length === 2 &&
        j.invars.every((v) => e.inputs.includes(v))) m = e.prim.name;
    } catch { /* not traceable on scalars: the general path reports it */ }
  }
  return m && m in MONOIDS && (x.dtype === "bool" || (m !== "and" && m !== "or")) ? m : undefined;
}

/**
 * lax.reduce(operands, initValues, computation, dimensions): operands and initValues are matching
 * pytrees. A computation that is add/mul/max/min/and/or runs as that reduction; any other
 * associative computation (e.g. on (value, index) pairs) reduces by halving each axis, as a tree.
 */
export function reduce(operands: unknown, initValues: unknown, computation: (a: any, b: any) => any, dimensions: readonly number[]): any {
  const [xs, def] = flatten(operands), [inits, idef] = flatten(initValues);
  if (!treeDefEqual(def, idef)) throw new ValueError("reduce: operands and initValues must have the same tree structure.");
  const ops = xs.map((v) => asArray(v as ArrayLike));
  // A JS-number init value takes its operand's dtype (a weakly typed scalar).
  const ivs = inits.map((v, i) => (typeof v === "number" && ops[i] ? A.convertElementType(asArray(v), ops[i].dtype) : asArray(v as ArrayLike)));
  if (!ops.length) throw new ValueError("reduce: needs at least one operand.");
  const nd = ops[0].ndim;
  const dims = [...new Set(dimensions.map((d) => normAxis("reduce", d, nd, 0)))].sort((a, b) => a - b);
  ops.forEach((o, i) => {
    if (o.ndim !== nd || o.shape.some((n, k) => n !== ops[0].shape[k]) || ivs[i].ndim !== 0) {
      throw new ShapeError(`reduce: operands must share one shape and init values must be scalars, got ${ops.map((v) => fmtShape(v.shape)).join(", ")} ` +
        `and init ${ivs.map((v) => fmtShape(v.shape)).join(", ")}.`);
    }
  });
  const m = ops.length === 1 ? monoidOf(computation, ops[0]) : undefined;
  if (m) {
    const [red, op] = MONOIDS[m];
    const r = red(ops[0], dims);
    return unflatten(def, [op(r, S.broadcastInDim(A.convertElementType(ivs[0], r.dtype, r.weakType), r.shape, []))]);
  }
  const comb = (a: JaxArray[], b: JaxArray[]) => flatten(computation(unflatten(def, a), unflatten(def, b)))[0].map((v) => asArray(v as ArrayLike));
  let cur = ops;
  for (const d of dims) {
    while (cur[0].shape[d] > 1) {
      const n = cur[0].shape[d], h = n >> 1;
      const c = comb(cur.map((v) => sliceInDim(v, 0, 2 * h, 2, d)), cur.map((v) => sliceInDim(v, 1, 2 * h, 2, d)));
      cur = n & 1 ? c.map((v, i) => S.concatenate([v, sliceInDim(cur[i], n - 1, n, 1, d)], d)) : c;
    }
  }
  const shape = ops[0].shape.filter((_, i) => !dims.includes(i));
  const init = ivs.map((v) => S.broadcastInDim(v, shape, []));
  if (ops[0].shape.some((n, i) => dims.includes(i) && n === 0)) return unflatten(def, init);
  return unflatten(def, comb(init, cur.map((v) => S.reshape(v, shape))));
}

/** lax.map(f, xs, { batchSize }): f over the leading axis of the pytree xs, one slice (or batch) at a time. */
export function map(f: (x: any) => any, xs: unknown, options?: { batchSize?: number | null }): any {
  const bs = options?.batchSize;
  const g = (_: null, x: unknown) => [null, f(x)] as [null, unknown];
  if (!bs || bs <= 1) return scan(g, null, xs)[1];
  const [leaves, def] = flatten(xs);
  const ls = leaves.map((v) => asArray(v as ArrayLike));
  const n = ls[0].shape[0], nb = Math.floor(n / bs), rem = n - nb * bs;
  const fv = vmap(f);
  if (!nb) return fv(xs);
  const main = scan((_: null, x: unknown) => [null, fv(x)] as [null, unknown], null,
    unflatten(def, ls.map((v) => S.reshape(sliceInDim(v, 0, nb * bs), [nb, bs, ...v.shape.slice(1)]))))[1];
  const [ml, mdef] = flatten(main);
  const flat = ml.map((v) => { const a = v as JaxArray; return S.reshape(a, [nb * bs, ...a.shape.slice(2)]); });
  if (!rem) return unflatten(mdef, flat);
  const [tl] = flatten(fv(unflatten(def, ls.map((v) => sliceInDim(v, nb * bs, n)))));
  return unflatten(mdef, flat.map((v, i) => S.concatenate([v, tl[i] as JaxArray], 0)));
}

/** lax.pad(operand, paddingValue, [[low, high, interior], ...]): the value may be a JS number (taken in operand's dtype). */
export function pad(x: ArrayLike, paddingValue: ArrayLike, paddingConfig: readonly (readonly [number, number, number])[]): JaxArray {
  const a = asArray(x);
  const v = typeof paddingValue === "number" ? scalar(paddingValue, a.dtype) : asArray(paddingValue);
  if (!Array.isArray(paddingConfig) || paddingConfig.length !== a.ndim || paddingConfig.some((c) => !Array.isArray(c) || c.length !== 3)) {
    throw new ValueError(`lax.pad: the padding config needs one [low, high, interior] triple per axis of ${a.aval.str()}, got ${JSON.stringify(paddingConfig)}.`);
  }
  return S.pad(a, v, paddingConfig as [number, number, number][]);
}

type DotDims = readonly [readonly [readonly number[], readonly number[]], readonly [readonly number[], readonly number[]]];

/**
 * lax.dotGeneral(lhs, rhs, dimensionNumbers): JAX's ((lhsContracting, rhsContracting), (lhsBatch,
 * rhsBatch)), the batch pair optional, or { contracting, batch }.
 */
export function dotGeneral(lhs: ArrayLike, rhs: ArrayLike, dims: DotDims | readonly [readonly [readonly number[], readonly number[]]] | DotParams): JaxArray {
  const p: DotParams = Array.isArray(dims)
    ? { contracting: [[...dims[0][0]], [...dims[0][1]]], batch: dims[1] ? [[...dims[1][0]], [...dims[1][1]]] : [[], []] }
    : { contracting: (dims as DotParams).contracting, batch: (dims as DotParams).batch ?? [[], []] };
  return dotGeneralP(asArray(lhs), asArray(rhs), p);
}
