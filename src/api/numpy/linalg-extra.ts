// jnp.linalg: the parts built from existing primitives.
import { ShapeError, ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import { broadcastShapes } from "../../core/shape.js";
import { isPlainObject, positionalOptions } from "../../core/transform-args.js";
import * as D from "../../primitives/linalg-decomp.js";
import { eye } from "./creation.js";
import { matmul } from "./linalg.js";
import { broadcastTo, expandDims, moveaxis, squeeze, swapaxes } from "./shape.js";
import { svdvals } from "./linalg-factor.js";
import { named } from "./named.js";
import { promote } from "./ufuncs.js";
import { max, min, sum } from "./reductions.js";
import * as U from "./ufuncs.js";

type Ord = number | "fro" | "nuc" | null;
export interface NormOptions { ord?: Ord; axis?: number | readonly number[] | null; keepdims?: boolean }

/**
 * numpy's norm: norm(x), norm(x, ord, axis?, keepdims?), norm(x, { ord, axis, keepdims }) or positional
 * values followed by the rest as options, norm(x, null, { axis, keepdims }).
 * Without axis, a 1-D x takes a vector norm, a 2-D x a matrix norm, and with ord unset any x the
 * 2-norm of all its elements. Matrix ord 2, -2 and "nuc" come from the singular values.
 */
export function norm(x: ArrayLike, ...rest: (Ord | number | readonly number[] | boolean | NormOptions | undefined)[]): JaxArray {
  // JAX's positional order, optionally ending in the keyword arguments: norm(a, null, { axis: 1 }).
  const last = rest[rest.length - 1];
  const o: NormOptions = rest.length > 1 && isPlainObject(last)
    ? { ...positionalOptions<NormOptions>("linalg.norm", rest.slice(0, -1), ["ord", "axis", "keepdims"]), ...(last as NormOptions) }
    : positionalOptions<NormOptions>("linalg.norm", rest, ["ord", "axis", "keepdims"]);
  const a = U.promote("linalg.norm", [x], "float")[0];
  const ord = o.ord ?? null, keepdims = !!o.keepdims;
  let axes = o.axis === undefined || o.axis === null ? null : typeof o.axis === "number" ? [o.axis] : [...o.axis];
  if (axes === null) {
    if (ord === null) return U.sqrt(sum(U.square(U.abs(a)), { keepdims }));
    if (a.ndim !== 1 && a.ndim !== 2) throw new ValueError(`linalg.norm: ord=${ord} needs a 1-D or 2-D array or an axis, but the array has shape [${a.shape}]. Pass { axis }.`);
    axes = a.ndim === 1 ? [0] : [0, 1];
  }
  const abs = U.abs(a);
  if (axes.length === 1) {
    const v = { axis: axes, keepdims };
    if (ord === null || ord === 2) return U.sqrt(sum(U.square(abs), v));
    if (ord === Infinity) return max(abs, v);
    if (ord === -Infinity) return min(abs, v);
    if (ord === 0) return sum(U.astype(U.notEqual(a, 0), a.dtype), v);
    if (ord === 1) return sum(abs, v);
    if (typeof ord === "number") return U.power(sum(U.power(abs, ord), v), 1 / ord);
    throw new ValueError(`linalg.norm: ord=${JSON.stringify(ord)} is a matrix norm, but one axis was given. Use a number for a vector norm.`);
  }
  if (axes.length !== 2) throw new ValueError(`linalg.norm: axis takes one axis (vector norm) or two (matrix norm), but got [${axes}].`);
  const [r, c] = axes.map((ax) => (ax < 0 ? ax + a.ndim : ax));
  if (ord === null || ord === "fro") return U.sqrt(sum(U.square(abs), { axis: axes, keepdims }));
  // Matrix 1/inf norms: the largest absolute column/row sum (-1/-inf: the smallest).
  const byCols = ord === 1 || ord === -1, pick = ord === 1 || ord === Infinity ? max : min;
  if (byCols || ord === Infinity || ord === -Infinity) {
    const inner = byCols ? r : c, outer = byCols ? c : r;
    const sums = sum(abs, { axis: inner, keepdims: true });
    const out = pick(sums, { axis: outer, keepdims: true });
    return keepdims ? out : squeeze(out, [r, c]);
  }
  if (ord !== 2 && ord !== -2 && ord !== "nuc") {
    throw new ValueError(`linalg.norm: invalid matrix norm ord=${JSON.stringify(ord)}; use "fro", "nuc", 1, -1, 2, -2, Infinity or -Infinity.`);
  }
  const s = svdvals(moveaxis(a, [r, c], [-2, -1]));
  const out = (ord === 2 ? max : ord === -2 ? min : sum)(s, -1);
  return keepdims ? expandDims(out, [r, c].sort()) : out;
}


function floatSquare(op: string, x: ArrayLike): JaxArray {
  const [a] = promote(op, [x], "float");
  return a;
}

/** x with a @ x = b; b may be a vector (..., n) or a stack of columns (..., n, k). */
export function solve(a: ArrayLike, b: ArrayLike): JaxArray {
  const [A, B] = promote("solve", [a, b], "float");
  if (A.ndim < 2) throw new ShapeError(`solve: the left-hand array must be at least two-dimensional, got shape [${A.shape}].`);
  // As JAX (since 0.5): b is a vector only when 1-D; otherwise a stack of (m, k) matrices.
  if (B.ndim > 1 && A.ndim === B.ndim + 1 && A.shape[A.ndim - 1] === B.shape[B.ndim - 1] && A.shape[A.ndim - 1] !== B.shape[B.ndim - 2]) {
    throw new ValueError(`solve: invalid shapes [${A.shape}] and [${B.shape}]: a batch of vectors must be given as solve(a, b[..., None]) and squeezed.`);
  }
  const vec = B.ndim === 1;
  const batch = broadcastShapes("solve", A.shape.slice(0, -2), (vec ? B.shape.slice(0, -1) : B.shape.slice(0, -2)));
  const Ab = broadcastTo(A, [...batch, ...A.shape.slice(-2)]);
  const Bm = vec ? expandDims(B, -1) : B;
  const Bb = broadcastTo(Bm, [...batch, ...Bm.shape.slice(-2)]);
  const x = D.solve(Ab, Bb);
  return vec ? squeeze(x, -1) : x;
}

export function inv(a: ArrayLike): JaxArray {
  const A = floatSquare("inv", a);
  const n = A.shape[A.ndim - 1];
  return D.solve(A, broadcastTo(eye(n, n, { dtype: A.dtype }), A.shape));
}

export function det(a: ArrayLike): JaxArray { return D.det(floatSquare("det", a)); }

/** [sign, logabsdet] (also by name; computed from det: may overflow for very large or small determinants). */
export function slogdet(a: ArrayLike): [JaxArray, JaxArray] & { sign: JaxArray; logabsdet: JaxArray } {
  const d = det(a);
  return named([U.sign(d), U.log(U.abs(d))], ["sign", "logabsdet"]);
}

/** The lower Cholesky factor L (a = L Lᵀ), or its transpose with `upper` (JAX's cholesky(a, upper=...)). */
export function cholesky(a: ArrayLike, upper: boolean | { upper?: boolean } = false): JaxArray {
  const up = typeof upper === "boolean" ? upper : !!upper?.upper;
  const L = D.cholesky(floatSquare("cholesky", a));
  return up ? swapaxes(L, -1, -2) : L;
}

export function matrixPower(a: ArrayLike, n: number): JaxArray {
  let A = floatSquare("matrix_power", a);
  if (n < 0) { A = inv(A); n = -n; }
  let result = broadcastTo(eye(A.shape[A.ndim - 1], undefined, { dtype: A.dtype }), A.shape);
  while (n > 0) {
    if (n & 1) result = matmul(result, A);
    A = matmul(A, A);
    n >>= 1;
  }
  return result;
}

export { matrixTranspose } from "./extras-shape.js";
