// Helpers shared by random.ts and random-dists.ts (kept out of the public random namespace).
import { ConcreteArray } from "../core/array.js";
import { DType, isFloat, isInt } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { broadcastShapes, checkShape as validShape, fmtShape, shapesEqual } from "../core/shape.js";
import { ArrayLike, JaxArray } from "../core/value.js";
import * as A from "../primitives/arith.js";
import * as S from "../primitives/structural.js";
import * as jnp from "./numpy/index.js";


export const c = (v: number, dtype: DType): JaxArray => jnp.scalar(v, dtype);
export const bc = (x: JaxArray, shape: readonly number[]): JaxArray => jnp.broadcastTo(x, shape);
export const u32 = (v: number): JaxArray => c(v >>> 0, "uint32");
/** lax.convert_element_type: a JS number goes straight to `dtype` (never through float32). */
export const toDtype = (x: ArrayLike, dtype: DType): JaxArray =>
  typeof x === "number" ? c(x, dtype) : A.convertElementType(jnp.asArray(x), dtype);

export type Shape = number | readonly number[];

export function shapeOf(op: string, shape: Shape | undefined | null): number[] {
  return validShape(op, shape === undefined || shape === null ? [] : typeof shape === "number" ? [shape] : [...shape]);
}

export function floatDtype(op: string, dtype: DType | undefined): DType {
  const d = dtype ?? "float32";
  if (!isFloat(d)) throw new DTypeError(`dtype argument to \`${op}\` must be a float dtype, got ${d}.`);
  return d;
}

/** A raw key: a uint32 array of shape (2,). */
export function checkKey(op: string, key: ArrayLike): JaxArray {
  const k = jnp.asArray(key);
  if (k.dtype !== "uint32") {
    throw new DTypeError(`${op}: invalid PRNG key data: expected a uint32 array of shape (2,) (from random.key), got dtype ${k.dtype}.`);
  }
  if (k.ndim !== 1 || k.shape[0] !== 2) {
    throw new ShapeError(`${op} accepts a single key, but was given a key array of shape ${fmtShape(k.shape)} != (2,). ` +
      `Use vmap for batching.`);
  }
  return k;
}

/** The two key words as rank-0 uint32 arrays. */
export function keyWords(key: JaxArray): [JaxArray, JaxArray] {
  return [S.reshape(S.slice(key, [0], [1]), []), S.reshape(S.slice(key, [1], [2]), [])];
}

/** Checks that `shape` is the broadcast of itself with the parameter shapes (JAX's _check_shape). */
export function checkShape(op: string, shape: readonly number[], ...paramShapes: (readonly number[])[]): void {
  if (!paramShapes.length) return;
  let b: number[];
  try {
    b = broadcastShapes(op, shape, ...paramShapes);
  } catch {
    b = [];
  }
  if (!shapesEqual(b, shape)) {
    throw new ValueError(`${op} parameter shapes must be broadcast-compatible with shape argument, and the result of ` +
      `broadcasting the shapes must equal the shape argument, but got parameter shapes ` +
      `${paramShapes.map(fmtShape).join(", ")} for shape argument ${fmtShape(shape)}.`);
  }
}

/** The integer value of a concrete integer scalar (a JS number or a concrete array). */
export function concreteInt(op: string, x: ArrayLike): number {
  if (typeof x === "number" && Number.isInteger(x)) return x;
  if (x instanceof ConcreteArray && x.size === 1 && isInt(x.dtype)) return Number(x.item());
  throw new ValueError(`${op}: expected a concrete integer, got ${x instanceof JaxArray ? x.aval.str() : String(x)}.`);
}

