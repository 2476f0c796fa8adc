// jnp.linalg: the parts built from existing primitives.
import { ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import { broadcastShapes } from "../../core/shape.js";
import * as D from "../../primitives/linalg-decomp.js";
import { asArray, eye } from "./creation.js";
import { matmul } from "./linalg.js";
import { broadcastTo, expandDims, squeeze, swapaxes } from "./shape.js";
import { promote } from "./ufuncs.js";
import { max, sum } from "./reductions.js";
import * as U from "./ufuncs.js";

/** Vector/Frobenius norms: ord 2 (default), 1, Infinity; over `axis` or all elements. */
export function norm(x: ArrayLike, opts: { ord?: number | "fro"; axis?: number | number[] | null; keepdims?: boolean } = {}): JaxArray {
  const a = asArray(x);
  const ord = opts.ord ?? 2;
  const o = { axis: opts.axis ?? null, keepdims: opts.keepdims };
  if (ord === 2 || ord === "fro") return U.sqrt(sum(U.square(U.abs(a)), o));
  if (ord === 1) return sum(U.abs(a), o);
  if (ord === Infinity) return max(U.abs(a), o);
  throw new ValueError(`linalg.norm: ord=${ord} is not supported; use 1, 2, Infinity or "fro".`);
}

const mT = (x: JaxArray) => swapaxes(x, -1, -2);

function floatSquare(op: string, x: ArrayLike): JaxArray {
  const [a] = promote(op, [x], "float");
  return a;
}

/** x with a @ x = b; b may be a vector (..., n) or a stack of columns (..., n, k). */
export function solve(a: ArrayLike, b: ArrayLike): JaxArray {
  const [A, B] = promote("solve", [a, b], "float");
  const vec = B.ndim === A.ndim - 1;
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

/** [sign, log|det|] (computed from det: may overflow for very large or small determinants). */
export function slogdet(a: ArrayLike): [JaxArray, JaxArray] {
  const d = det(a);
  return [U.sign(d), U.log(U.abs(d))];
}

export function cholesky(a: ArrayLike): JaxArray { return D.cholesky(floatSquare("cholesky", a)); }

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

export { mT as matrixTranspose };
