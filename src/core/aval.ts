import { DType, shortName } from "./dtype.js";
import { Shape, sizeOf } from "./shape.js";

/**
 * The abstract value of an array: what tracing knows about it. `weakType` marks values that came
 * from JS numbers, which take the dtype of the arrays they meet (JAX's weak types).
 */
export class ShapedArray {
  readonly shape: readonly number[];
  constructor(shape: Shape, readonly dtype: DType, readonly weakType = false) {
    this.shape = [...shape];
  }
  get ndim(): number { return this.shape.length; }
  get size(): number { return sizeOf(this.shape); }
  /** JAX's short form, e.g. `f32[3,4]`. */
  str(): string { return `${shortName[this.dtype]}[${this.shape.join(",")}]`; }
  equals(o: ShapedArray): boolean {
    return this.dtype === o.dtype && this.shape.length === o.shape.length && this.shape.every((d, i) => d === o.shape[i]);
  }
  strong(): ShapedArray { return this.weakType ? new ShapedArray(this.shape, this.dtype) : this; }
}
