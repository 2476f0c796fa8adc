// Haiku's initializers: (shape, dtype) -> array, drawing keys with nextRngKey().
import { DType } from "../../core/dtype.js";
import * as jnp from "../numpy/index.js";
import * as init from "../initializers.js";
import { HkInitializer, nextRngKey } from "./base.js";

export const Constant = (value: number): HkInitializer => (shape, dtype) => jnp.full(shape, value, { dtype });
export const RandomNormal = (stddev = 1, mean = 0): HkInitializer => (shape, dtype) =>
  jnp.add(init.normal(stddev)(nextRngKey(), shape, dtype), mean).astype(dtype);
export const TruncatedNormal = (stddev = 1, mean = 0): HkInitializer => (shape, dtype) =>
  jnp.add(init.truncatedNormal(stddev)(nextRngKey(), shape, dtype), mean).astype(dtype);
export const RandomUniform = (minval = 0, maxval = 1): HkInitializer => (shape, dtype: DType) =>
  jnp.add(init.uniform(maxval - minval)(nextRngKey(), shape, dtype), minval).astype(dtype);
export const VarianceScaling = (scale = 1, mode: init.FanMode = "fan_in", distribution: init.Distribution = "truncated_normal"): HkInitializer =>
  (shape, dtype) => init.varianceScaling(scale, mode, distribution)(nextRngKey(), shape, dtype);
