// jnp.linalg functions composed from the factorizations and jnp: pseudo-inverse, least squares, rank,
// condition number, and the array-API helpers (vector/matrix norms, vecdot, cross, ...).
import { customJvp } from "../../autodiff/custom.js";
import { DType } from "../../core/dtype.js";
import { ShapeError, ValueError } from "../../core/errors.js";
import { positionalOptions } from "../../core/transform-args.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import { array, asArray } from "./creation.js";
import { inv, norm, solve } from "./linalg-extra.js";
import { matmul } from "./linalg.js";
import { svd, svdvals } from "./linalg-factor.js";
import { any, max, min, sum } from "./reductions.js";
import * as Sh from "./shape.js";
import { promote } from "./ufuncs.js";
import * as U from "./ufuncs.js";

export { matmul };
const mT = (x: JaxArray) => Sh.swapaxes(x, -1, -2);
const eps = (dtype: DType) => (dtype === "float64" ? 2 ** -52 : 2 ** -23);
const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function pinvImpl(a: JaxArray, rtol: ArrayLike | null, hermitian: boolean): JaxArray {
  const [m, n] = a.shape.slice(-2);
  if (m === 0 || n === 0) return U.astype(Sh.broadcastTo(0, [...a.shape.slice(0, -2), n, m]), a.dtype);
  const r = rtol ?? 10 * Math.max(m, n) * eps(a.dtype);
  const [u, s, vh] = svd(a, false, true, hermitian);
  const cutoff = U.multiply(Sh.expandDims(asArray(r), -1), Sh.take(s, [0], -1));
  const sInv = U.where(U.greater(s, cutoff), s, Infinity);
  return matmul(mT(vh), U.divide(mT(u), Sh.expandDims(sInv, -1)));
}

// Golub & Pereyra's derivative of the pseudo-inverse (as JAX): defined for rank-deficient input and
// for repeated singular values, where the SVD's derivative is not.
const pinvJ = customJvp(pinvImpl, [1, 2]).defjvp((rtol: ArrayLike | null, herm: boolean, [a]: JaxArray[], [da]: JaxArray[]) => {
  const p = pinvJ(a, rtol, herm);
  if (herm) { a = sym(a); da = sym(da); }
  const s = matmul(matmul(p, mT(p)), mT(da)), t = matmul(matmul(mT(da), mT(p)), p);
  const pd = U.add(U.subtract(U.add(U.negative(matmul(matmul(p, da), p)), s), matmul(matmul(s, a), p)), U.subtract(t, matmul(matmul(p, a), t)));
  return [p, pd];
});
const sym = (x: JaxArray) => U.divide(U.add(x, mT(x)), 2);

export interface PinvOptions { rtol?: ArrayLike | null; hermitian?: boolean; rcond?: ArrayLike | null }
/** Moore-Penrose pseudo-inverse from the SVD; singular values <= rtol * largest count as zero. */
export function pinv(a: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = positionalOptions<PinvOptions>("pinv", rest, ["rtol", "hermitian"]);
  if (o.rcond != null && o.rtol != null) throw new ValueError("pinv: only one of rtol and rcond may be specified.");
  return pinvJ(promote("pinv", [a], "float")[0], o.rtol ?? o.rcond ?? null, !!o.hermitian);
}

export type LstsqResult = [JaxArray, JaxArray, JaxArray, JaxArray];
/** Least squares [x, resid, rank, s] via the SVD (JAX's lstsq: 2-D a, 1-D or 2-D b). */
export function lstsq(a: ArrayLike, b: ArrayLike, ...rest: unknown[]): LstsqResult {
  const o = positionalOptions<{ rcond?: number | null; numpyResid?: boolean }>("lstsq", rest, ["rcond"]);
  const [A, B0] = promote("lstsq", [a, b], "float");
  if (A.ndim !== 2 || B0.ndim < 1 || B0.ndim > 2 || A.shape[0] !== B0.shape[0]) {
    throw new ShapeError(`lstsq: needs a (m, n) and b (m,) or (m, k), got [${A.shape}] and [${B0.shape}].`);
  }
  const [m, n] = A.shape, B = B0.ndim === 1 ? Sh.expandDims(B0, 1) : B0;
  let x: JaxArray, rank: JaxArray, s: JaxArray;
  if (A.size === 0) {
    s = array([], A.dtype); rank = array(0, "int32");
    x = U.astype(Sh.broadcastTo(0, [n, B.shape[1]]), A.dtype);
  } else {
    const rc = o.rcond == null ? eps(A.dtype) * Math.max(m, n) : o.rcond < 0 ? eps(A.dtype) : o.rcond;
    let u: JaxArray, vt: JaxArray;
    [u, s, vt] = svd(A, false);
    const mask = U.logicalAnd(U.greater(s, 0), U.greaterEqual(s, U.multiply(Sh.take(s, 0), rc)));
    rank = sum(mask);
    const sInv = U.where(mask, U.divide(1, U.where(mask, s, 1)), 0);
    x = matmul(mT(vt), U.multiply(Sh.expandDims(sInv, 1), matmul(mT(u), B)));
  }
  const resid = o.numpyResid && ((rank.item() as number) < n || m <= n) ? array([], A.dtype)
    : U.square(norm(U.subtract(B, matmul(A, x)), { axis: 0 }));
  return [B0.ndim === 1 ? Sh.ravel(x) : x, resid, rank, s];
}

/** Number of singular values above rtol * largest (default max(m, n) * eps). */
export function matrixRank(M: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = positionalOptions<{ rtol?: ArrayLike | null; hermitian?: boolean; tol?: ArrayLike | null }>("matrix_rank", rest, ["rtol"]);
  if (o.tol != null && o.rtol != null) throw new ValueError("matrix_rank: only one of tol or rtol may be specified.");
  const x = promote("matrix_rank", [M], "float")[0];
  if (x.ndim < 2) return U.astype(any(U.notEqual(x, 0)), "int32");
  const S = svd(x, false, false, !!o.hermitian) as JaxArray;
  const r = o.rtol ?? o.tol ?? U.multiply(max(S, -1), Math.max(...x.shape.slice(-2)) * eps(x.dtype));
  return sum(U.greater(S, Sh.expandDims(asArray(r), -1)), -1);
}

/** Condition number in the p-norm (default 2: ratio of extreme singular values); NaN becomes inf. */
export function cond(x: ArrayLike, p: number | "fro" | "nuc" | null = null): JaxArray {
  const a = promote("cond", [x], "float")[0];
  if (a.ndim < 2 || a.shape[a.ndim - 1] === 0 || a.shape[a.ndim - 2] === 0) throw new ShapeError(`cond: needs non-empty (..., m, n) matrices, got [${a.shape}].`);
  let r: JaxArray;
  if (p === null || p === 2 || p === -2) {
    const s = svdvals(a), hi = Sh.take(s, 0, -1), lo = Sh.take(s, -1, -1);
    r = p === -2 ? U.divide(lo, hi) : U.divide(hi, lo);
    if (p !== -2) return r;
  } else {
    if (a.shape[a.ndim - 1] !== a.shape[a.ndim - 2]) throw new ShapeError(`cond: p=${p} needs square matrices, got [${a.shape}].`);
    r = U.multiply(norm(a, p, [-2, -1]), norm(inv(a), p, [-2, -1]));
  }
  return U.where(U.logicalAnd(U.isnan(r), U.logicalNot(any(U.isnan(a), [-2, -1]))), Infinity, r);
}

/** a[0] @ a[1] @ ...; the first may be 1-D (a row) and the last 1-D (a column). */
export function multiDot(arrays: readonly ArrayLike[]): JaxArray {
  const xs = arrays.map(asArray);
  if (xs.length < 2) throw new ValueError(`multi_dot: needs at least two arrays, got ${xs.length}.`);
  const bad = xs.some((x, i) => x.ndim !== 2 && !(x.ndim === 1 && (i === 0 || i === xs.length - 1)));
  if (bad || xs.some((x, i) => i > 0 && xs[i - 1].shape[xs[i - 1].ndim - 1] !== x.shape[0])) {
    throw new ShapeError(`multi_dot: needs 2-D arrays (first and last may be 1-D) that chain, got ${xs.map((x) => `[${x.shape}]`)}.`);
  }
  return xs.reduce((acc, x) => matmul(acc, x));
}

export function trace(x: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = positionalOptions<{ offset?: number; dtype?: DType }>("linalg.trace", rest, ["offset", "dtype"]);
  const t = Sh.trace(x, o.offset ?? 0, -2, -1);
  return o.dtype ? U.astype(t, o.dtype) : t;
}

export function diagonal(x: ArrayLike, ...rest: unknown[]): JaxArray {
  return Sh.diagonal(x, positionalOptions<{ offset?: number }>("linalg.diagonal", rest, ["offset"]).offset ?? 0, -2, -1);
}

export interface VectorNormOptions { axis?: number | readonly number[] | null; keepdims?: boolean; ord?: number }
export function vectorNorm(x: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = positionalOptions<VectorNormOptions>("vector_norm", rest, ["axis", "keepdims", "ord"]);
  const a = promote("vector_norm", [x], "float")[0], r = { axis: o.axis ?? null, keepdims: !!o.keepdims }, ord = o.ord ?? 2;
  if (typeof ord !== "number") throw new ValueError(`vector_norm: ord must be a number (Infinity for max), got ${JSON.stringify(ord)}.`);
  const abs = U.abs(a);
  if (ord === 2) return U.sqrt(sum(U.square(abs), r));
  if (ord === Infinity) return max(abs, { ...r, initial: 0 });
  if (ord === -Infinity) return min(abs, r);
  if (ord === 0) return sum(U.astype(U.notEqual(a, 0), a.dtype), r);
  if (ord === 1) return sum(abs, r);
  return U.power(sum(U.power(abs, ord), r), 1 / ord);
}

export function matrixNorm(x: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = positionalOptions<{ keepdims?: boolean; ord?: number | "fro" | "nuc" }>("matrix_norm", rest, ["keepdims", "ord"]);
  return norm(x, { ord: o.ord ?? "fro", axis: [-2, -1], keepdims: !!o.keepdims });
}

export function outer(x1: ArrayLike, x2: ArrayLike): JaxArray {
  const [a, b] = promote("linalg.outer", [x1, x2]);
  if (a.ndim !== 1 || b.ndim !== 1) throw new ShapeError(`linalg.outer: inputs must be 1-D, got [${a.shape}] and [${b.shape}]. Use jnp.outer to flatten.`);
  return U.multiply(Sh.expandDims(a, 1), Sh.expandDims(b, 0));
}

/** Cross product of 3-vectors along `axis` (broadcasting the rest). */
export function cross(x1: ArrayLike, x2: ArrayLike, ...rest: unknown[]): JaxArray {
  const axis = positionalOptions<{ axis?: number }>("linalg.cross", rest, ["axis"]).axis ?? -1;
  const [a, b] = promote("linalg.cross", [x1, x2]).map((v) => Sh.moveaxis(v, axis, -1));
  if (a.shape[a.ndim - 1] !== 3 || b.shape[b.ndim - 1] !== 3) {
    throw new ShapeError(`linalg.cross: both inputs need size 3 along axis ${axis}, got [${asArray(x1).shape}] and [${asArray(x2).shape}].`);
  }
  const c = (v: JaxArray, i: number) => Sh.take(v, i, -1);
  const term = (i: number, j: number) => U.subtract(U.multiply(c(a, i), c(b, j)), U.multiply(c(a, j), c(b, i)));
  return Sh.moveaxis(Sh.stack([term(1, 2), term(2, 0), term(0, 1)], -1), -1, axis);
}

export function vecdot(x1: ArrayLike, x2: ArrayLike, ...rest: unknown[]): JaxArray {
  const axis = positionalOptions<{ axis?: number }>("vecdot", rest, ["axis"]).axis ?? -1;
  const [a, b] = promote("vecdot", [x1, x2]).map((v) => Sh.moveaxis(v, axis, -1));
  if (a.shape[a.ndim - 1] !== b.shape[b.ndim - 1]) throw new ShapeError(`vecdot: sizes along axis ${axis} differ: [${a.shape}] vs [${b.shape}].`);
  return sum(U.multiply(a, b), -1);
}

/** The inverse of a tensor, for tensordot with `ind` axes: shape a.shape[ind:] + a.shape[:ind]. */
export function tensorinv(a: ArrayLike, ind = 2): JaxArray {
  const x = asArray(a);
  if (!Number.isInteger(ind) || ind <= 0) throw new ValueError(`tensorinv: ind must be a positive integer, got ${ind}.`);
  const head = x.shape.slice(0, ind), tail = x.shape.slice(ind);
  if (prod(head) !== prod(tail)) throw new ShapeError(`tensorinv: [${x.shape}] needs prod(shape[:${ind}]) == prod(shape[${ind}:]).`);
  return Sh.reshape(inv(Sh.reshape(x, [prod(head), prod(tail)])), [...tail, ...head]);
}

/** x with tensordot(a, x, x.ndim) = b; `axes` of a are first moved to the end. */
export function tensorsolve(a: ArrayLike, b: ArrayLike, axes: readonly number[] | null = null): JaxArray {
  let x = asArray(a);
  const y = asArray(b);
  if (axes) x = Sh.moveaxis(x, [...axes], axes.map(() => x.ndim - 1));
  const out = x.shape.slice(y.ndim);
  if (x.shape.slice(0, y.ndim).join() !== y.shape.join() || y.size !== prod(out)) {
    throw new ShapeError(`tensorsolve: a [${x.shape}] must be b's shape [${y.shape}] then axes of the same total size.`);
  }
  return Sh.reshape(solve(Sh.reshape(x, [y.size, prod(out)]), Sh.ravel(y)), out);
}

