// jax.nn.initializers: functions (key, shape, dtype) -> array.
import { DType } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { JaxArray } from "../core/value.js";
import * as jnp from "./numpy/index.js";
import * as random from "./random.js";

export type Initializer = (key: JaxArray, shape: readonly number[], dtype?: DType) => JaxArray;

export const zeros: Initializer = (_k, shape, dtype = "float32") => jnp.zeros(shape, { dtype });
export const ones: Initializer = (_k, shape, dtype = "float32") => jnp.ones(shape, { dtype });
export const constant = (value: number): Initializer => (_k, shape, dtype = "float32") => jnp.full(shape, value, { dtype });

export const normal = (stddev = 1e-2): Initializer => (key, shape, dtype = "float32") =>
  jnp.multiply(random.normal(key, [...shape], { dtype }), stddev).astype(dtype);

export const uniform = (scale = 1e-2): Initializer => (key, shape, dtype = "float32") =>
  random.uniform(key, [...shape], { minval: 0, maxval: scale, dtype });

export const truncatedNormal = (stddev = 1e-2, lower = -2, upper = 2): Initializer => (key, shape, dtype = "float32") =>
  jnp.multiply(random.truncatedNormal(key, lower, upper, [...shape], { dtype }), stddev).astype(dtype);

/** (fan_in, fan_out): the in/out axis sizes times the receptive field (all other axes). */
export function computeFans(shape: readonly number[], inAxis = -2, outAxis = -1): [number, number] {
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const ia = inAxis < 0 ? inAxis + shape.length : inAxis, oa = outAxis < 0 ? outAxis + shape.length : outAxis;
  const receptive = shape.reduce((acc, d, i) => (i === ia || i === oa ? acc : acc * d), 1);
  return [shape[ia] * receptive, shape[oa] * receptive];
}

export type FanMode = "fan_in" | "fan_out" | "fan_avg";
export type Distribution = "truncated_normal" | "normal" | "uniform";

export function varianceScaling(scale: number, mode: FanMode, distribution: Distribution, opts: { inAxis?: number; outAxis?: number } = {}): Initializer {
  return (key, shape, dtype = "float32") => {
    const [fanIn, fanOut] = computeFans(shape, opts.inAxis ?? -2, opts.outAxis ?? -1);
    const denom = mode === "fan_in" ? fanIn : mode === "fan_out" ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / denom;
    if (distribution === "truncated_normal") {
      // The stddev of a unit normal truncated to [-2, 2].
      const stddev = Math.sqrt(variance) / 0.87962566103423978;
      return jnp.multiply(random.truncatedNormal(key, -2, 2, [...shape], { dtype }), stddev).astype(dtype);
    }
    if (distribution === "normal") return jnp.multiply(random.normal(key, [...shape], { dtype }), Math.sqrt(variance)).astype(dtype);
    if (distribution === "uniform") return jnp.multiply(random.uniform(key, [...shape], { minval: -1, maxval: 1, dtype }), Math.sqrt(3 * variance)).astype(dtype);
    throw new ValueError(`varianceScaling: unknown distribution ${JSON.stringify(distribution)}.`);
  };
}

export const glorotUniform = (o: { inAxis?: number; outAxis?: number } = {}) => varianceScaling(1, "fan_avg", "uniform", o);
export const glorotNormal = (o: { inAxis?: number; outAxis?: number } = {}) => varianceScaling(1, "fan_avg", "truncated_normal", o);
export const lecunUniform = (o: { inAxis?: number; outAxis?: number } = {}) => varianceScaling(1, "fan_in", "uniform", o);
export const lecunNormal = (o: { inAxis?: number; outAxis?: number } = {}) => varianceScaling(1, "fan_in", "truncated_normal", o);
export const heUniform = (o: { inAxis?: number; outAxis?: number } = {}) => varianceScaling(2, "fan_in", "uniform", o);
export const heNormal = (o: { inAxis?: number; outAxis?: number } = {}) => varianceScaling(2, "fan_in", "truncated_normal", o);
export const xavierUniform = glorotUniform;
export const xavierNormal = glorotNormal;
export const kaimingUniform = heUniform;
export const kaimingNormal = heNormal;
