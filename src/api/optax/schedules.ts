// Learning-rate schedules: functions of the int32 step count (optax.schedules).
import { positionalOptions } from "../numpy/options.js";
import { ValueError } from "../../core/errors.js";
import { JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";

export type Schedule = (count: JaxArray | number) => JaxArray;
const f32 = (c: JaxArray | number) => jnp.astype(jnp.asArray(c), "float32");

export function constantSchedule(value: number): Schedule {
  return (c) => jnp.fullLike(f32(c), value);
}

export function polynomialSchedule(initValue: number, endValue: number, power: number, transitionSteps: number, transitionBegin = 0): Schedule {
  return (c) => {
    if (transitionSteps <= 0) return jnp.fullLike(f32(c), initValue);
    const count = jnp.clip(jnp.subtract(f32(c), Math.max(0, transitionBegin)), 0, transitionSteps);
    const frac = jnp.subtract(1, jnp.divide(count, transitionSteps));
    return jnp.add(jnp.multiply(initValue - endValue, jnp.power(frac, power)), endValue);
  };
}

export function linearSchedule(initValue: number, endValue: number, transitionSteps: number, transitionBegin = 0): Schedule {
  return polynomialSchedule(initValue, endValue, 1, transitionSteps, transitionBegin);
}

export interface ExponentialDecayOptions { transitionBegin?: number; staircase?: boolean; endValue?: number }

export function exponentialDecay(initValue: number, transitionSteps: number, decayRate: number,
  ...rest: [ExponentialDecayOptions?] | [transitionBegin?: number, staircase?: boolean, endValue?: number]): Schedule {
  const o = positionalOptions<ExponentialDecayOptions>("optax.exponentialDecay", rest, ["transitionBegin", "staircase", "endValue"]);
  // optax returns the constant init value for these degenerate settings (with a warning).
  if (transitionSteps <= 0 || decayRate === 0) return constantSchedule(initValue);
  return (c) => {
    const begin = Math.max(0, o.transitionBegin ?? 0);
    const count = jnp.subtract(f32(c), begin);
    let p = jnp.divide(count, transitionSteps);
    if (o.staircase) p = jnp.floor(p);
    let decayed = jnp.multiply(initValue, jnp.power(decayRate, p));
    decayed = jnp.where(jnp.lessEqual(count, 0), initValue, decayed);
    if (o.endValue !== undefined) decayed = decayRate < 1 ? jnp.maximum(decayed, o.endValue) : jnp.minimum(decayed, o.endValue);
    return decayed;
  };
}

export function cosineDecaySchedule(initValue: number, decaySteps: number, alpha = 0, exponent = 1): Schedule {
  if (!(decaySteps > 0)) throw new ValueError(`optax.cosineDecaySchedule requires positive decaySteps, but got ${decaySteps}.`);
  return (c) => {
    const count = jnp.minimum(f32(c), decaySteps);
    const cosine = jnp.multiply(0.5, jnp.add(1, jnp.cos(jnp.multiply(Math.PI / decaySteps, count))));
    const decayed = jnp.add(jnp.multiply(1 - alpha, jnp.power(cosine, exponent)), alpha);
    return jnp.multiply(initValue, decayed);
  };
}

/** Piecewise: schedules[i + 1] takes over at boundaries[i], counting from there. */
export function joinSchedules(schedules: Schedule[], boundaries: number[]): Schedule {
  return (c) => {
    let out = schedules[0](c);
    boundaries.forEach((b, i) => { out = jnp.where(jnp.less(f32(c), b), out, schedules[i + 1](jnp.subtract(f32(c), b))); });
    return out;
  };
}

export function warmupCosineDecaySchedule(initValue: number, peakValue: number, warmupSteps: number, decaySteps: number, endValue = 0, exponent = 1): Schedule {
  const alpha = peakValue === 0 ? 0 : endValue / peakValue;
  return joinSchedules([linearSchedule(initValue, peakValue, warmupSteps), cosineDecaySchedule(peakValue, decaySteps - warmupSteps, alpha, exponent)], [warmupSteps]);
}
