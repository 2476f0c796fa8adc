// numpy's index arithmetic and selection helpers (ravel/unravel, ix, choose, select, piecewise,
// compress) and the "in-place" ones JAX offers only functionally (place, put, fillDiagonal).
import { NotImplementedError, ShapeError, ValueError } from "../../core/errors.js";
import { fmtShape, normAxis } from "../../core/shape.js";
import { isPlainObject } from "../../core/transform-args.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as A from "../../primitives/arith.js";
import { gather, scatter } from "../../primitives/indexing.js";
import * as S from "../../primitives/structural.js";
import { arange, asArray, full } from "./creation.js";
import { concreteValue as concrete } from "./extras-shape.js";
import { nonzero } from "./extras-sets.js";
import { any as anyR } from "./reductions.js";
import { moveaxis, ravel, reshape, stack, takeAlongAxis, tile } from "./shape.js";
import { argsort } from "./sorting.js";
import { astype, broadcastAll, broadcastTo_, clip, divmod, greater, less, logicalOr, mod, promote, where } from "./ufuncs.js";

const isInt = (x: JaxArray) => x.dtype === "int32" || x.dtype === "uint32";
const trueAnywhere = (x: JaxArray) => !!anyR(x).item();

type RavelOpts = { mode?: "raise" | "wrap" | "clip"; order?: "C" | "F" };
/** ravelMultiIndex(multiIndex, dims, mode="raise", order="C"): flat indices of coordinate arrays. */
export function ravelMultiIndex(multiIndex: readonly ArrayLike[], dims: readonly number[], mode: RavelOpts["mode"] | RavelOpts = "raise", order: "C" | "F" = "C"): JaxArray {
  const o: RavelOpts = isPlainObject(mode) ? mode : { mode, order };
  const m = o.mode ?? "raise", ord = o.order ?? "C";
  if (multiIndex.length !== dims.length) throw new ShapeError(`ravelMultiIndex: ${multiIndex.length} index arrays for ${dims.length} dims.`);
  let idx = multiIndex.map(asArray);
  if (idx.some((i) => !isInt(i))) throw new ValueError("ravelMultiIndex: only integer indices are permitted.");
  if (m === "raise") {
    const ci = idx.map((i) => concrete(i, "ravelMultiIndex with mode \"raise\" (use mode \"wrap\" or \"clip\" under jit)"));
    if (ci.some((i, k) => trueAnywhere(logicalOr(less(i, 0), greater(i, dims[k] - 1))))) throw new ValueError("ravelMultiIndex: invalid entry in coordinates array.");
  } else if (m === "clip") idx = idx.map((i, k) => clip(i, 0, dims[k] - 1));
  else if (m === "wrap") idx = idx.map((i, k) => mod(i, dims[k]));
  else throw new ValueError(`ravelMultiIndex: invalid mode ${JSON.stringify(m)}; use "raise", "wrap" or "clip".`);
  if (ord !== "C" && ord !== "F") throw new ValueError(`ravelMultiIndex: invalid order ${JSON.stringify(ord)}; use "C" or "F".`);
  const ks = [...dims.keys()], strides = ks.map((k) => (ord === "C" ? ks.filter((j) => j > k) : ks.filter((j) => j < k)).reduce((p, j) => p * dims[j], 1));
  const bc = broadcastAll("ravelMultiIndex", idx.map((i) => astype(i, "int32")));
  return bc.reduce((acc, i, k) => A.add(acc, A.mul(i, strides[k])), full(bc[0]?.shape ?? [], 0, "int32"));
}

/** unravelIndex(indices, shape): coordinate arrays; out-of-range indices clip, as JAX's. */
export function unravelIndex(indices: ArrayLike, shape: number | readonly number[]): JaxArray[] {
  let rest = asArray(indices);
  const s = typeof shape === "number" ? [shape] : [...shape];
  const out: JaxArray[] = [];
  for (let i = s.length - 1; i >= 0; i--) [rest, out[i]] = divmod(rest, s[i]);
  const pos = greater(rest, 0), neg = less(rest, -1);
  return s.map((d, i) => where(pos, d - 1, where(neg, 0, out[i])));
}

/** ix(...seqs): 1-D index arrays reshaped to broadcast against each other (numpy's ix_). */
export function ix(...args: ArrayLike[]): JaxArray[] {
  return args.map((v, i) => {
    const a = asArray(v);
    if (a.ndim !== 1) throw new ShapeError(`ix: arguments must be 1-D, got shape ${fmtShape(a.shape)}.`);
    if (a.dtype === "bool") throw new NotImplementedError("ix: boolean arguments are not supported; pass integer indices (jnp.nonzero(mask)[0]).");
    const sh = args.map((_, j) => (j === i ? a.shape[0] : 1));
    return a.size ? S.reshape(a, sh) : full(sh, 0, "int32");
  });
}

/** choose(a, choices, out=null, mode="raise"): picks choices[a[i]][i]; mode "raise" needs a concrete a. */
export function choose(a: ArrayLike, choices: readonly ArrayLike[] | JaxArray, out: null | undefined | { mode?: string } = null, mode = "raise"): JaxArray {
  if (isPlainObject(out)) mode = out.mode ?? mode;
  else if (out != null) throw new ValueError("choose: the out argument is not supported (arrays are immutable).");
  let idx = asArray(a);
  const cs = choices instanceof JaxArray ? [...Array(choices.shape[0]).keys()].map((i) => choices.get(i)) : [...choices];
  if (!isInt(idx)) throw new ValueError(`choose: a must be integer typed, got ${idx.dtype}.`);
  const n = cs.length;
  if (mode === "raise") {
    const ci = concrete(idx, "choose with mode \"raise\" (use mode \"wrap\" or \"clip\" under jit)");
    if (trueAnywhere(logicalOr(less(ci, 0), greater(ci, n - 1)))) throw new ValueError(`choose: invalid entry in choice array (must be in [0, ${n - 1}]).`);
  } else if (mode === "wrap") idx = mod(idx, n);
  else if (mode === "clip") idx = clip(idx, 0, n - 1);
  else throw new ValueError(`choose: mode ${JSON.stringify(mode)} not understood; use "raise", "wrap" or "clip".`);
  const [i, ...bc] = broadcastAll("choose", [idx, ...promote("choose", cs)]);
  return reshape(takeAlongAxis(stack(bc, 0), S.reshape(astype(i, "int32"), [1, ...i.shape]), 0), i.shape);
}

/** select(condlist, choicelist, default=0): the choice of the first true condition, elementwise. */
export function select(condlist: readonly ArrayLike[], choicelist: readonly ArrayLike[], dflt: ArrayLike | { default?: ArrayLike } = 0): JaxArray {
  if (condlist.length !== choicelist.length) throw new ValueError(`select: condlist must have length equal to choicelist (${condlist.length} vs ${choicelist.length}).`);
  if (!condlist.length) throw new ValueError("select: condlist must be non-empty.");
  const d = isPlainObject(dflt) ? dflt.default ?? 0 : dflt;
  const [def, ...cs] = promote("select", [d, ...choicelist]);
  return condlist.reduceRight<JaxArray>((acc, c, i) => where(c, cs[i], acc), def);
}

type Piece = ArrayLike | ((x: JaxArray, ...args: unknown[]) => ArrayLike);
/** piecewise(x, condlist, funclist, ...args): funclist[i](x) where condlist[i] holds (later conditions win); an extra function is the otherwise value. */
export function piecewise(x: ArrayLike, condlist: readonly ArrayLike[] | JaxArray, funclist: readonly Piece[], ...args: unknown[]): JaxArray {
  const a = asArray(x);
  const conds = condlist instanceof JaxArray ? [...Array(condlist.shape[0]).keys()].map((i) => condlist.get(i)) : condlist.map(asArray);
  const nc = conds.length, nf = funclist.length;
  if (nf !== nc && nf !== nc + 1) throw new ValueError(`piecewise: with ${nc} condition(s), either ${nc} or ${nc + 1} functions are expected; got ${nf}.`);
  const val = (f: Piece) => astype(typeof f === "function" ? f(a, ...args) : f, a.dtype);
  let out = broadcastTo_(val(nf === nc + 1 ? funclist[nc] : 0), a.shape);
  conds.forEach((c, i) => { out = where(astype(c, "bool"), val(funclist[i]), out); });
  return out;
}

/** compress(condition, a, axis=null, { size, fillValue=0 }): slices of a where condition holds; `size` makes it jittable. */
export function compress(condition: ArrayLike, a: ArrayLike, axis: number | null | { axis?: number | null; size?: number; fillValue?: ArrayLike } = null,
  opts: { size?: number; fillValue?: ArrayLike } = {}): JaxArray {
  const o = isPlainObject(axis) ? axis : { ...opts, axis };
  let c = astype(condition, "bool"), arr = asArray(a);
  if (c.ndim !== 1) throw new ShapeError(`compress: condition must be 1-D, got shape ${fmtShape(c.shape)}.`);
  const ax = o.axis == null ? 0 : normAxis("compress", o.axis, arr.ndim);
  arr = o.axis == null ? ravel(arr) : moveaxis(arr, ax, 0);
  const n = Math.min(arr.shape[0], c.shape[0]);
  const extra = S.slice(c, [n], [c.shape[0]]);
  c = S.slice(c, [0], [n]);
  arr = S.slice(arr, arr.shape.map(() => 0), [n, ...arr.shape.slice(1)]);
  let res: JaxArray;
  if (o.size === undefined) {
    const what = "compress without size (pass { size } to use it under jit/vmap)";
    concrete(c, what);
    const ce = concrete(extra, what);
    if (ce.size && trueAnywhere(ce)) throw new ValueError("compress: condition contains true entries beyond the array's length.");
    res = gather(arr, nonzero(c)[0], 0);
  } else {
    if (!(o.size >= 0 && o.size <= n)) throw new ValueError(`compress: size must be in [0, ${n}], got ${o.size}.`);
    const filled = where(S.broadcastInDim(c, arr.shape, [0]), arr, astype(o.fillValue ?? 0, arr.dtype));
    res = gather(filled, S.slice(argsort(c, { descending: true }), [0], [o.size]), 0);
  }
  return moveaxis(res, 0, ax);
}

/** extract(condition, arr, { size, fillValue }): the elements of arr where condition (both flattened) is true. */
export const extract = (condition: ArrayLike, arr: ArrayLike, o: { size?: number; fillValue?: ArrayLike } = {}) => compress(ravel(condition), ravel(arr), { ...o, axis: 0 });

const tileTo = (v: JaxArray, n: number) => S.slice(tile(v, Math.ceil(n / v.size)), [0], [n]);
function notInplace(op: string, o: { inplace?: boolean } | undefined, E: typeof ValueError = ValueError): void {
  if (o?.inplace !== false) throw new E(`${op}: JAX arrays are immutable and cannot be modified in place; pass { inplace: false } to get an updated array back.`);
}

/** place(arr, mask, vals, { inplace: false }): arr with its masked elements replaced by vals in order (repeated cyclically). */
export function place(arr: ArrayLike, mask: ArrayLike, vals: ArrayLike, opts?: { inplace?: boolean }): JaxArray {
  notInplace("place", opts);
  const x = asArray(arr), m = asArray(mask), v = ravel(vals);
  if (x.size !== m.size) throw new ShapeError(`place: arr and mask must be the same size, got shapes ${fmtShape(x.shape)} and ${fmtShape(m.shape)}.`);
  if (!v.size) throw new ValueError("place: cannot place values from an empty array.");
  if (!x.size) return x;
  const [idx] = nonzero(ravel(m), { size: m.size, fillValue: m.size });
  return reshape(scatter(ravel(x), idx, astype(tileTo(v, idx.size), x.dtype), 0, "set"), x.shape);
}

/** put(a, ind, v, mode=null, { inplace: false }): a.ravel() with v (repeated cyclically) written at ind. */
export function put(a: ArrayLike, ind: ArrayLike, v: ArrayLike, mode?: null | "clip" | "wrap" | "raise" | { mode?: string; inplace?: boolean }, opts?: { inplace?: boolean }): JaxArray {
  const o = isPlainObject(mode) ? mode : { ...opts, mode };
  notInplace("put", o);
  const x = asArray(a);
  let i = astype(ravel(ind), "int32");
  const vv = ravel(v);
  if (!x.size || !i.size || !vv.size) return x;
  if (o.mode === "clip") i = clip(i, 0, x.size - 1);
  else if (o.mode === "wrap") i = mod(i, x.size);
  else if (o.mode === "raise") throw new NotImplementedError("put: mode \"raise\" is not supported; use null, \"clip\" or \"wrap\".");
  else if (o.mode != null) throw new ValueError(`put: mode must be "clip" or "wrap", got ${JSON.stringify(o.mode)}.`);
  // JAX goes through unravelIndex, which clips indices beyond the array.
  const coords = unravelIndex(i, x.shape);
  return x.at(...coords).set(astype(tileTo(vv, i.size), x.dtype));
}

/** fillDiagonal(a, val, wrap=false, { inplace: false }): a with its main diagonal set to val (repeated cyclically). */
export function fillDiagonal(a: ArrayLike, val: ArrayLike, wrap: boolean | { wrap?: boolean; inplace?: boolean } = false, opts?: { inplace?: boolean }): JaxArray {
  const o = isPlainObject(wrap) ? wrap : { ...opts, wrap };
  notInplace("fillDiagonal", o, NotImplementedError);
  if (o.wrap) throw new NotImplementedError("fillDiagonal: wrap=true is not implemented; use wrap=false.");
  const x = asArray(a), v = asArray(val);
  if (x.ndim < 2) throw new ShapeError(`fillDiagonal: array must be at least 2-D, got shape ${fmtShape(x.shape)}.`);
  if (x.ndim > 2 && x.shape.some((d) => d !== x.shape[0])) throw new ShapeError(`fillDiagonal: all dimensions must be equal, got shape ${fmtShape(x.shape)}.`);
  const n = Math.min(...x.shape), i = arange(n);
  return x.at(...x.shape.map(() => i)).set(v.ndim === 0 ? v : tileTo(ravel(v), n));
}
