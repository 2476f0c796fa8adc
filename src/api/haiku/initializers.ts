// Haiku's initializers: (shape, dtype) -> array, drawing keys with nextRngKey().
import { DType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import * as jnp from "../numpy/index.js";
import * as random from "../random.js";
import { HkInitializer, nextRngKey } from "./base.js";

export const Constant = (value: number): HkInitializer => (shape, dtype) => jnp.full(shape, value, { dtype });
export const RandomNormal = (stddev = 1, mean = 0): HkInitializer => (shape, dtype) =>
  jnp.add(jnp.multiply(random.normal(nextRngKey(), [...shape], { dtype }), stddev), mean).astype(dtype);
export const TruncatedNormal = (stddev = 1, mean = 0, lower = -2, upper = 2): HkInitializer => (shape, dtype) =>
  jnp.add(jnp.multiply(random.truncatedNormal(nextRngKey(), lower, upper, [...shape], { dtype }), stddev), mean).astype(dtype);
export const RandomUniform = (minval = 0, maxval = 1): HkInitializer => (shape, dtype: DType) =>
  random.uniform(nextRngKey(), [...shape], { minval, maxval, dtype });

/** Haiku's own fans: 0-d and 1-d shapes are allowed, [in, out] for 2-d, receptive field first otherwise. */
function computeFans(shape: readonly number[], fanInAxes?: readonly number[]): [number, number] {
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  if (fanInAxes) {
    const inAxes = fanInAxes.map((a) => (a < 0 ? a + shape.length : a));
    return [inAxes.reduce((p, a) => p * shape[a], 1), shape.reduce((p, d, i) => (inAxes.includes(i) ? p : p * d), 1)];
  }
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

export type HkFanMode = "fan_in" | "fan_out" | "fan_avg";
export type HkDistribution = "truncated_normal" | "normal" | "uniform";

/** hk.initializers.VarianceScaling(scale, mode, distribution, fanInAxes): scale / max(1, fan). */
export function VarianceScaling(scale = 1, mode: HkFanMode = "fan_in", distribution: HkDistribution = "truncated_normal", fanInAxes?: readonly number[]): HkInitializer {
  if (!(scale > 0)) throw new ValueError(`haiku.initializers.VarianceScaling: scale must be a positive number, but got ${scale}.`);
  if (!["fan_in", "fan_out", "fan_avg"].includes(mode)) throw new ValueError(`haiku.initializers.VarianceScaling: invalid mode ${JSON.stringify(mode)}; use fan_in, fan_out or fan_avg.`);
  if (!["truncated_normal", "normal", "uniform"].includes(distribution)) {
    throw new ValueError(`haiku.initializers.VarianceScaling: invalid distribution ${JSON.stringify(distribution)}; use truncated_normal, normal or uniform.`);
  }
  return (shape, dtype) => {
    const [fanIn, fanOut] = computeFans(shape, fanInAxes);
    const n = mode === "fan_in" ? fanIn : mode === "fan_out" ? fanOut : (fanIn + fanOut) / 2;
    const s = scale / Math.max(1, n);
    if (distribution === "truncated_normal") return TruncatedNormal(Math.sqrt(s) / 0.87962566103423978)(shape, dtype);
    if (distribution === "normal") return RandomNormal(Math.sqrt(s))(shape, dtype);
    const limit = Math.sqrt(3 * s);
    return RandomUniform(-limit, limit)(shape, dtype);
  };
}
