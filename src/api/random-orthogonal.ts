// jax.random.orthogonal: Haar-distributed orthogonal matrices from the QR of a normal sample.
import { DType } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { positionalOptions } from "../core/transform-args.js";
import { ArrayLike, JaxArray } from "../core/value.js";
import { qr } from "./numpy/linalg-factor.js";
import { diagonal, expandDims, swapaxes } from "./numpy/shape.js";
import { multiply, sign } from "./numpy/ufuncs.js";
import { normal } from "./random.js";

/**
 * An n x m (m defaults to n) matrix with orthonormal columns (rows when n < m), batched over `shape`:
 * Q of a normal sample's QR times sign(diag R), which makes the distribution uniform.
 */
export function orthogonal(key: ArrayLike, n: number, ...rest: unknown[]): JaxArray {
  const { shape = [], dtype = "float32", m } = positionalOptions<{ shape?: readonly number[]; dtype?: DType; m?: number | null }>("random.orthogonal", rest, ["shape", "dtype", "m"]);
  const mm = m ?? n;
  if (![n, mm].every((d) => Number.isInteger(d) && d >= 0)) throw new ValueError(`random.orthogonal: n and m must be non-negative integers, got ${n} and ${mm}.`);
  const z = normal(key, [...shape, Math.max(n, mm), Math.min(n, mm)], dtype);
  const [q, r] = qr(z);
  const x = multiply(q, expandDims(sign(diagonal(r, 0, -2, -1)), -2));
  return n < mm ? swapaxes(x, -1, -2) : x;
}
