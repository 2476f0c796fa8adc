// jax.nn: activations and friends, numerically stable.
import { ArrayLike, JaxArray } from "../core/value.js";
import * as jnp from "./numpy/index.js";
import { logsumexp as lse } from "./numpy/reductions.js";
import * as S from "../primitives/softmax.js";
import { normAxes } from "../core/shape.js";
import { customJvp } from "../autodiff/custom.js";
import { axisOptions, AxisValue } from "./numpy/options.js";
export * as initializers from "./initializers.js";

type Axis = { axis?: number | number[] | null };

/** max(x, 0), with JAX's derivative: 0 at x == 0 (a custom JVP, one select instead of max's rule). */
export const relu = customJvp((x: JaxArray) => jnp.maximum(x, 0)).defjvp(([x]: JaxArray[], [t]: JaxArray[]) =>
  [jnp.maximum(x, 0), jnp.where(jnp.greater(x, 0), t, 0)]) as (x: ArrayLike) => JaxArray;
export const relu6 = (x: ArrayLike) => jnp.clip(x, 0, 6);
export const sigmoid = jnp.sigmoid;
export const softplus = (x: ArrayLike) => jnp.logaddexp(x, 0);
export const silu = (x: ArrayLike) => jnp.multiply(x, jnp.sigmoid(x));
export const swish = silu;
export const logSigmoid = (x: ArrayLike) => jnp.negative(softplus(jnp.negative(x)));
export const leakyRelu = (x: ArrayLike, negativeSlope = 0.01) => jnp.where(jnp.greaterEqual(x, 0), x, jnp.multiply(x, negativeSlope));
export const elu = (x: ArrayLike, alpha = 1) => jnp.where(jnp.greater(x, 0), x, jnp.multiply(alpha, jnp.expm1(jnp.minimum(x, 0))));
export const logsumexp = lse;

/** gelu with the tanh approximation (JAX's default, approximate=true) or the exact erf form. */
export function gelu(x: ArrayLike, approximate = true): JaxArray {
  const a = jnp.promote("gelu", [x], "float")[0];
  if (approximate) {
    const inner = jnp.multiply(Math.sqrt(2 / Math.PI), jnp.add(a, jnp.multiply(0.044715, jnp.power(a, 3))));
    return jnp.multiply(jnp.multiply(0.5, a), jnp.add(1, jnp.tanh(inner)));
  }
  return jnp.multiply(jnp.multiply(0.5, a), jnp.add(1, jnp.erf(jnp.divide(a, Math.SQRT2))));
}

/** exp(x - max) / sum(exp(x - max)) over `axis` (default -1; an array of axes or null for all). */
export function softmax(x: ArrayLike, options?: Axis | AxisValue): JaxArray {
  const opts = axisOptions<Axis>("softmax", options, "axis");
  const a = jnp.promote("softmax", [x], "float")[0];
  return S.softmax(a, "softmax", normAxes("softmax", opts.axis === undefined ? -1 : opts.axis, a.ndim));
}

/** (x - max) - log(sum(exp(x - max))) over `axis`, as softmax. */
export function logSoftmax(x: ArrayLike, options?: Axis | AxisValue): JaxArray {
  const opts = axisOptions<Axis>("logSoftmax", options, "axis");
  const a = jnp.promote("log_softmax", [x], "float")[0];
  return S.softmax(a, "log_softmax", normAxes("log_softmax", opts.axis === undefined ? -1 : opts.axis, a.ndim));
}

/** One-hot encoding of integer labels into `numClasses` (out-of-range labels give all zeros). */
export function oneHot(x: ArrayLike, numClasses: number, opts: { dtype?: "float32" | "float64" | "int32" } = {}): JaxArray {
  const a = jnp.asArray(x);
  const classes = jnp.arange(numClasses);
  return jnp.astype(jnp.equal(jnp.expandDims(a, -1), classes), opts.dtype ?? "float32");
}

export function standardize(x: ArrayLike, options?: (Axis & { epsilon?: number }) | AxisValue): JaxArray {
  const opts = axisOptions<Axis & { epsilon?: number }>("standardize", options, "axis, epsilon");
  const axis = opts.axis === undefined ? -1 : opts.axis;
  const m = jnp.mean(x, { axis, keepdims: true });
  const v = jnp.variance(x, { axis, keepdims: true });
  return jnp.multiply(jnp.subtract(x, m), jnp.rsqrt(jnp.add(v, opts.epsilon ?? 1e-5)));
}
