import { ShapedArray } from "./aval.js";
import { DType } from "./dtype.js";

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
}

/** What an op accepts where an array is expected: an array, a JS number/boolean, or nested lists. */
export type ArrayLike = JaxArray | number | boolean | NestedArray;
export type NestedArray = readonly (number | boolean | NestedArray)[];
