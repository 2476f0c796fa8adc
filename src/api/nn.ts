// jax.nn: activations and friends, numerically stable.
import { ArrayLike, JaxArray } from "../core/value.js";
import * as jnp from "./numpy/index.js";
import { logsumexp as lse } from "./numpy/reductions.js";
import * as S from "../primitives/softmax.js";
import { normAxes } from "../core/shape.js";
import { customJvp } from "../autodiff/custom.js";
import { axisOptions, AxisValue, dtypeOptions } from "./numpy/options.js";
import { ValueError } from "../core/errors.js";
import { DType } from "../core/dtype.js";
export * as initializers from "./initializers.js";
export * from "./nn-extra.js";

type Axis = { axis?: number | number[] | null };

/** max(x, 0), with JAX's derivative: 0 at x == 0 (a custom JVP, one select instead of max's rule). */
export const relu = customJvp((x: JaxArray) => jnp.maximum(x, 0)).defjvp(([x]: JaxArray[], [t]: JaxArray[]) =>
  [jnp.maximum(x, 0), jnp.where(jnp.greater(x, 0), t, 0)]) as (x: ArrayLike) => JaxArray;
/** min(max(x, 0), 6), with JAX's derivative: 0 at both kinks (clip's rule would split it there). */
export const relu6 = customJvp((x: JaxArray) => jnp.clip(x, 0, 6)).defjvp(([x]: JaxArray[], [t]: JaxArray[]) =>
  [jnp.clip(x, 0, 6), jnp.where(jnp.logicalAnd(jnp.greater(x, 0), jnp.less(x, 6)), t, 0)]) as (x: ArrayLike) => JaxArray;
export const sigmoid = jnp.sigmoid;
export const softplus = (x: ArrayLike) => jnp.logaddexp(x, 0);
export const silu = (x: ArrayLike) => jnp.multiply(x, jnp.sigmoid(x));
export const swish = silu;

/** A hyperparameter given bare (JAX's positional form) or as `{ name: value }`; anything else is an error. */
function hyper<T>(op: string, name: string, v: unknown, type: "number" | "boolean", dflt: T): T {
  if (v === undefined) return dflt;
  if (typeof v === type) return v as T;
  if (typeof v === "object" && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const bad = Object.keys(o).filter((k) => k !== name);
    if (bad.length === 0 && (o[name] === undefined || typeof o[name] === type)) return (o[name] ?? dflt) as T;
  }
  throw new ValueError(`nn.${op}: the argument after x is ${name} (a ${type}) or options { ${name} }, but got ${JSON.stringify(v)}. ` +
    `Pass e.g. nn.${op}(x, { ${name}: ... }).`);
}

export function leakyRelu(x: ArrayLike, negativeSlope?: number | { negativeSlope?: number }): JaxArray {
  const s = hyper("leakyRelu", "negativeSlope", negativeSlope, "number", 0.01);
  return jnp.where(jnp.greaterEqual(x, 0), x, jnp.multiply(x, s));
}
export const logsumexp = lse;

/** gelu with the tanh approximation (JAX's default, approximate=true) or the exact erf form. */
export function gelu(x: ArrayLike, options?: boolean | { approximate?: boolean }): JaxArray {
  const approximate = hyper("gelu", "approximate", options, "boolean", true);
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

/**
 * One-hot encoding of integer labels into `numClasses` along `axis` (default -1, the new last
 * axis); out-of-range labels give all zeros. Options { dtype, axis } or a bare dtype.
 */
export function oneHot(x: ArrayLike, numClasses: number, options?: { dtype?: DType; axis?: number } | DType): JaxArray {
  const opts = dtypeOptions<{ dtype?: DType; axis?: number }>("nn.oneHot", options);
  const a = jnp.asArray(x);
  const axis = opts.axis ?? -1;
  const ax = axis < 0 ? axis + a.ndim + 1 : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax > a.ndim) {
    throw new ValueError(`nn.oneHot: axis ${axis} is out of range for the ${a.ndim + 1}-d result; pass an axis in [${-(a.ndim + 1)}, ${a.ndim}].`);
  }
  const classShape = Array.from({ length: a.ndim + 1 }, (_, i) => (i === ax ? numClasses : 1));
  const classes = jnp.reshape(jnp.arange(numClasses), classShape);
  return jnp.astype(jnp.equal(jnp.expandDims(a, ax), classes), opts.dtype ?? "float32");
}

type StandardizeOptions = Axis & { mean?: ArrayLike | null; variance?: ArrayLike | null; epsilon?: number; algorithm?: "fast" | "stable" };

/**
 * (x - mean) / sqrt(variance + epsilon) over `axis` (default -1); mean and variance are computed
 * unless given. Options, or JAX's positional (axis, mean, variance, epsilon).
 */
export function standardize(x: ArrayLike, ...rest: [(StandardizeOptions | AxisValue)?] |
  [axis?: AxisValue, mean?: ArrayLike | null, variance?: ArrayLike | null, epsilon?: number]): JaxArray {
  if (rest.length > 4) throw new ValueError(`nn.standardize: after x come axis, mean, variance, epsilon (as in JAX) or options, but got ${rest.length} arguments.`);
  const opts: StandardizeOptions = rest.length <= 1
    ? axisOptions<StandardizeOptions>("standardize", rest[0] as StandardizeOptions | AxisValue | undefined, "axis, mean, variance, epsilon")
    : { ...axisOptions<StandardizeOptions>("standardize", rest[0] as AxisValue, "axis, mean, variance, epsilon"),
      mean: rest[1] as ArrayLike | null, variance: rest[2] as ArrayLike | null, epsilon: rest[3] as number | undefined };
  const axis = opts.axis === undefined ? -1 : opts.axis;
  const m = opts.mean ?? jnp.mean(x, { axis, keepdims: true });
  // JAX's default ("fast") variance is E[x^2] - mean^2 clipped at 0; "stable" is E[(x - mean)^2].
  const alg = opts.algorithm ?? "fast";
  if (alg !== "fast" && alg !== "stable") throw new ValueError(`nn.standardize: unknown algorithm ${JSON.stringify(alg)}; expected "fast" or "stable".`);
  const v = opts.variance ?? (alg === "stable"
    ? jnp.mean(jnp.square(jnp.subtract(x, m)), { axis, keepdims: true })
    : jnp.maximum(jnp.subtract(jnp.mean(jnp.square(x), { axis, keepdims: true }), jnp.square(m)), 0));
  return jnp.multiply(jnp.subtract(x, m), jnp.rsqrt(jnp.add(v, opts.epsilon ?? 1e-5)));
}
