// Learning-rate schedules: functions of the int32 step count (optax.schedules).
import { positionalOptions } from "../numpy/options.js";
import { isPlainObject } from "../../core/transform-args.js";
import { f32, scheduleArgs } from "./util.js";
import { ValueError } from "../../core/errors.js";
import { JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";

export type Schedule = (count: JaxArray | number) => JaxArray;
export function constantSchedule(...args: [value: number] | [{ value: number }]): Schedule {
  const [value] = scheduleArgs("constantSchedule", args, ["value"], 1);
  return (c) => jnp.fullLike(f32(c), value);
}

type PolyOptions = { initValue: number; endValue: number; power: number; transitionSteps: number; transitionBegin?: number };
export function polynomialSchedule(...args: [initValue: number, endValue: number, power: number, transitionSteps: number, transitionBegin?: number] | [PolyOptions]): Schedule {
  const [initValue, endValue, power, transitionSteps, transitionBegin = 0] =
    scheduleArgs("polynomialSchedule", args, ["initValue", "endValue", "power", "transitionSteps", "transitionBegin"], 4) as number[];
  return (c) => {
    if (transitionSteps <= 0) return jnp.fullLike(f32(c), initValue);
    const count = jnp.clip(jnp.subtract(f32(c), Math.max(0, transitionBegin)), 0, transitionSteps);
    const frac = jnp.subtract(1, jnp.divide(count, transitionSteps));
    return jnp.add(jnp.multiply(initValue - endValue, jnp.power(frac, power)), endValue);
  };
}

export function linearSchedule(...args: [initValue: number, endValue: number, transitionSteps: number, transitionBegin?: number] | [Omit<PolyOptions, "power">]): Schedule {
  const [initValue, endValue, transitionSteps, transitionBegin = 0] =
    scheduleArgs("linearSchedule", args, ["initValue", "endValue", "transitionSteps", "transitionBegin"], 3) as number[];
  return polynomialSchedule(initValue, endValue, 1, transitionSteps, transitionBegin);
}

export interface ExponentialDecayOptions { transitionBegin?: number; staircase?: boolean; endValue?: number }

export function exponentialDecay(...args: [initValue: number, transitionSteps: number, decayRate: number,
  ...rest: [ExponentialDecayOptions?] | [transitionBegin?: number, staircase?: boolean, endValue?: number | null]] |
  [ExponentialDecayOptions & { initValue: number; transitionSteps: number; decayRate: number }]): Schedule {
  const names = ["initValue", "transitionSteps", "decayRate", "transitionBegin", "staircase", "endValue"];
  // Forms: one options object; three values then one options object; up to six values.
  const flat = args.length === 4 && isPlainObject(args[3]) ? [...args.slice(0, 3), ...names.slice(3).map((n) => (args[3] as any)[n])] : args;
  if (args.length === 4 && isPlainObject(args[3])) positionalOptions<ExponentialDecayOptions>("optax.exponentialDecay", [args[3]], ["transitionBegin", "staircase", "endValue"]);
  const [initValue, transitionSteps, decayRate, transitionBegin, staircase, endValue] = scheduleArgs("exponentialDecay", flat, names, 3);
  const o: ExponentialDecayOptions = { transitionBegin, staircase, endValue: endValue ?? undefined };
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

type CosineOptions = { initValue: number; decaySteps: number; alpha?: number; exponent?: number };
export function cosineDecaySchedule(...args: [initValue: number, decaySteps: number, alpha?: number, exponent?: number] | [CosineOptions]): Schedule {
  const [initValue, decaySteps, alpha = 0, exponent = 1] = scheduleArgs("cosineDecaySchedule", args, ["initValue", "decaySteps", "alpha", "exponent"], 2) as number[];
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

type WarmupCosineOptions = { initValue: number; peakValue: number; warmupSteps: number; decaySteps: number; endValue?: number; exponent?: number };
export function warmupCosineDecaySchedule(...args: [initValue: number, peakValue: number, warmupSteps: number, decaySteps: number, endValue?: number, exponent?: number] |
  [WarmupCosineOptions]): Schedule {
  const [initValue, peakValue, warmupSteps, decaySteps, endValue = 0, exponent = 1] =
    scheduleArgs("warmupCosineDecaySchedule", args, ["initValue", "peakValue", "warmupSteps", "decaySteps", "endValue", "exponent"], 4) as number[];
  const alpha = peakValue === 0 ? 0 : endValue / peakValue;
  return joinSchedules([linearSchedule(initValue, peakValue, warmupSteps), cosineDecaySchedule(peakValue, decaySteps - warmupSteps, alpha, exponent)], [warmupSteps]);
}
