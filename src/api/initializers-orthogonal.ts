// jax.nn.initializers.orthogonal.
import { DType } from "../core/dtype.js";
import { ShapeError } from "../core/errors.js";
import type { Initializer } from "./initializers.js";
import * as jnp from "./numpy/index.js";
import { orthogonal as randomOrthogonal } from "./random-orthogonal.js";

/** Orthogonal matrices over `columnAxis` against the other axes flattened, times `scale` (JAX's orthogonal). */
export function orthogonal(scale: number | { scale?: number; columnAxis?: number; dtype?: DType } = 1, columnAxis = -1, dtype?: DType): Initializer {
  const o = typeof scale === "object" ? scale : { scale, columnAxis, dtype };
  const sc = o.scale ?? 1, axis = o.columnAxis ?? -1;
  return (key, shape, dt = o.dtype ?? "float32") => {
    if (shape.length < 2) throw new ShapeError(`initializers.orthogonal: needs a shape of at least 2 dimensions, got [${shape}].`);
    if (shape.includes(0)) return jnp.zeros(shape, { dtype: dt });
    const ax = axis < 0 ? axis + shape.length : axis;
    const cols = shape[ax], rest = shape.filter((_, i) => i !== ax);
    const q = jnp.reshape(randomOrthogonal(key, rest.reduce((a, b) => a * b, 1), [], dt, cols), [...rest, cols]);
    return jnp.multiply(jnp.moveaxis(q, -1, ax), jnp.array(sc, { dtype: dt }));
  };
}
