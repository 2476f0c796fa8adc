import { ShapedArray } from "./aval.js";
import { DType, TypedArray } from "./dtype.js";

/**
 * The public `Array` type: concrete arrays and tracers alike, so user code is typed once and runs
 * under every transformation. Methods mirroring `jnp` are installed by the api layer
 * (`installArrayMethods`), which keeps the core free of any primitive.
 */
export abstract class JaxArray {
  abstract get aval(): ShapedArray;
  get shape(): number[] { return this.aval.shape as number[]; }
  get dtype(): DType { return this.aval.dtype; }
  get ndim(): number { return this.aval.shape.length; }
  get size(): number { return this.aval.size; }
  get weakType(): boolean { return this.aval.weakType; }
  abstract get device(): string;
  /** The elements as a TypedArray copy (synchronous where the backend allows it). */
  abstract dataSync(): TypedArray;
  abstract data(): Promise<TypedArray>;
  /** The elements as nested JS arrays (numbers, or booleans for bool arrays). */
  abstract toArray(): Nested;
  abstract toArrayAsync(): Promise<Nested>;
  /** The single element of a size-1 array. */
  abstract item(): number | boolean;
  /** Frees the array's memory now (idempotent); later use is an error. */
  abstract dispose(): void;
  [Symbol.dispose](): void { this.dispose(); }
}

export type Nested = number | boolean | Nested[];

/** What an op accepts where an array is expected: an array, a JS number/boolean, or nested lists. */
export type ArrayLike = JaxArray | number | boolean | NestedArray;
export type NestedArray = readonly (number | boolean | NestedArray)[];
