// More of optax's schedules: piecewise, one-cycle, warm restarts.
import { ValueError } from "../../core/errors.js";
import { JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import { exponentialDecay, joinSchedules, linearSchedule, Schedule, warmupCosineDecaySchedule } from "./schedules.js";
import { f32, scheduleArgs } from "./util.js";

/** Boundaries and scales as an object `{ 100: 0.5 }`, a Map or [boundary, scale] pairs, sorted by boundary. */
export type BoundariesAndScales = Record<number, number> | Map<number, number> | [number, number][] | null;
function pairs(op: string, bs: BoundariesAndScales | undefined): [number, number][] {
  if (bs === null || bs === undefined) return [];
  const p = (bs instanceof Map ? [...bs] : Array.isArray(bs) ? bs : Object.entries(bs)).map(([b, s]) => [Number(b), s] as [number, number]);
  if (p.some(([b, s]) => !Number.isFinite(b) || typeof s !== "number")) throw new ValueError(`optax.${op}: boundariesAndScales maps integer steps to numbers, e.g. { 100: 0.5 }.`);
  if (p.some(([, s]) => s < 0)) throw new ValueError(`optax.${op} expects non-negative scale factors, but got ${p.map(([, s]) => s).join(", ")}.`);
  return p.sort((a, b) => a[0] - b[0]);
}

/** init_value, multiplied by each scale once the count reaches its boundary. */
export function piecewiseConstantSchedule(initValue: number | { initValue: number; boundariesAndScales?: BoundariesAndScales }, boundariesAndScales?: BoundariesAndScales): Schedule {
  const [iv, bs] = typeof initValue === "object" ? [initValue.initValue, initValue.boundariesAndScales] : [initValue, boundariesAndScales];
  const ps = pairs("piecewiseConstantSchedule", bs);
  return (c) => {
    const count = jnp.asArray(c);
    let v: JaxArray = jnp.fullLike(f32(c), iv);
    for (const [b, s] of ps) {
      const ind = jnp.maximum(0, jnp.sign(jnp.subtract(b, count))).astype("float32");
      v = jnp.add(jnp.multiply(v, ind), jnp.multiply(jnp.multiply(jnp.subtract(1, ind), s), v));
    }
    return v;
  };
}

/** Interpolates (linearly or by half cosines) between init_value * cumulative scales at the boundaries. */
export function piecewiseInterpolateSchedule(interpolateType: "linear" | "cosine" | { interpolateType: string; initValue: number; boundariesAndScales?: BoundariesAndScales },
  initValue?: number, boundariesAndScales?: BoundariesAndScales): Schedule {
  const o = typeof interpolateType === "object" ? interpolateType : { interpolateType, initValue: initValue as number, boundariesAndScales };
  if (o.interpolateType !== "linear" && o.interpolateType !== "cosine") {
    throw new ValueError(`optax.piecewiseInterpolateSchedule: interpolateType must be "linear" or "cosine", but got ${JSON.stringify(o.interpolateType)}.`);
  }
  const ps = pairs("piecewiseInterpolateSchedule", o.boundariesAndScales);
  const bounds = [0, ...ps.map(([b]) => b)];
  // float32 running products, as optax's jnp.cumprod.
  const values = [Math.fround(o.initValue)];
  ps.forEach(([, s]) => values.push(Math.fround(values[values.length - 1] * Math.fround(s))));
  const lo = jnp.array(bounds.slice(0, -1), { dtype: "int32" }), hi = jnp.array(bounds.slice(1), { dtype: "int32" });
  const sizes = jnp.array(bounds.slice(1).map((b, i) => Math.max(b - bounds[i], 1)), { dtype: "int32" });
  const start = jnp.array(values.slice(0, -1), { dtype: "float32" }), end = jnp.array(values.slice(1), { dtype: "float32" });
  const last = values[values.length - 1], lastB = bounds[bounds.length - 1];
  return (c) => {
    const count = jnp.expandDims(jnp.asArray(c), -1);
    const ind = jnp.logicalAnd(jnp.lessEqual(lo, count), jnp.less(count, hi)).astype("float32");
    const pct = jnp.divide(jnp.subtract(count, lo), sizes).astype("float32");
    const interp = o.interpolateType === "linear"
      ? jnp.add(jnp.multiply(jnp.subtract(end, start), pct), start)
      : jnp.add(end, jnp.multiply(jnp.divide(jnp.subtract(start, end), 2), jnp.add(jnp.cos(jnp.multiply(Math.PI, pct)), 1)));
    return jnp.add(jnp.sum(jnp.multiply(ind, interp), { axis: -1 }), jnp.multiply(jnp.lessEqual(lastB, jnp.asArray(c)).astype("float32"), last));
  };
}

type OnecycleOptions = { transitionSteps: number; peakValue: number; pctStart?: number; pctFinal?: number; divFactor?: number; finalDivFactor?: number };
/** Linear warm-up to peak_value, back down, then annealing to peak / (div * final_div). */
export function linearOnecycleSchedule(...args: [transitionSteps: number, peakValue: number, pctStart?: number, pctFinal?: number, divFactor?: number, finalDivFactor?: number] | [OnecycleOptions]): Schedule {
  const [t, peak, pctStart = 0.3, pctFinal = 0.85, div = 25, finalDiv = 1e4] =
    scheduleArgs("linearOnecycleSchedule", args, ["transitionSteps", "peakValue", "pctStart", "pctFinal", "divFactor", "finalDivFactor"], 2) as number[];
  if (t <= 0) throw new ValueError(`optax.linearOnecycleSchedule: transitionSteps must be positive, but got ${t}.`);
  return piecewiseInterpolateSchedule("linear", peak / div, [[Math.trunc(pctStart * t), div], [Math.trunc(pctFinal * t), 1 / div], [t, 1 / finalDiv]]);
}

/** Cosine warm-up to peak_value over pctStart of the steps, then cosine annealing. */
export function cosineOnecycleSchedule(...args: [transitionSteps: number, peakValue: number, pctStart?: number, divFactor?: number, finalDivFactor?: number] | [Omit<OnecycleOptions, "pctFinal">]): Schedule {
  const [t, peak, pctStart = 0.3, div = 25, finalDiv = 1e4] =
    scheduleArgs("cosineOnecycleSchedule", args, ["transitionSteps", "peakValue", "pctStart", "divFactor", "finalDivFactor"], 2) as number[];
  if (t <= 0) throw new ValueError(`optax.cosineOnecycleSchedule: transitionSteps must be positive, but got ${t}.`);
  return piecewiseInterpolateSchedule("cosine", peak / div, [[Math.trunc(pctStart * t), div], [Math.trunc(t), 1 / (div * finalDiv)]]);
}

export function warmupConstantSchedule(...args: [initValue: number, peakValue: number, warmupSteps: number] | [{ initValue: number; peakValue: number; warmupSteps: number }]): Schedule {
  const [iv, peak, w] = scheduleArgs("warmupConstantSchedule", args, ["initValue", "peakValue", "warmupSteps"], 3) as number[];
  return linearSchedule(iv, peak, w);
}

type WarmupExpOptions = { initValue: number; peakValue: number; warmupSteps: number; transitionSteps: number; decayRate: number; transitionBegin?: number; staircase?: boolean; endValue?: number | null };
/** Linear warm-up to peak_value, then exponential decay from there. */
export function warmupExponentialDecaySchedule(...args: [initValue: number, peakValue: number, warmupSteps: number, transitionSteps: number, decayRate: number,
  transitionBegin?: number, staircase?: boolean, endValue?: number | null] | [WarmupExpOptions]): Schedule {
  const [iv, peak, w, t, rate, begin = 0, staircase = false, endValue = null] = scheduleArgs("warmupExponentialDecaySchedule", args,
    ["initValue", "peakValue", "warmupSteps", "transitionSteps", "decayRate", "transitionBegin", "staircase", "endValue"], 5);
  return joinSchedules([linearSchedule(iv, peak, w), exponentialDecay(peak, t, rate, begin, staircase, endValue)], [w]);
}

type CosineKwargs = { initValue: number; peakValue: number; warmupSteps: number; decaySteps: number; endValue?: number; exponent?: number };
/** SGD with warm restarts: warmup-cosine cycles back to back (each cycle's decaySteps long). */
export function sgdrSchedule(cosineKwargs: CosineKwargs[]): Schedule {
  if (!Array.isArray(cosineKwargs)) throw new ValueError("optax.sgdrSchedule: pass an array of warmupCosineDecaySchedule options, one per cycle.");
  let step = 0;
  const bounds: number[] = [];
  const scheds = cosineKwargs.map((k) => { bounds.push((step += k.decaySteps)); return warmupCosineDecaySchedule(k); });
  return joinSchedules(scheds, bounds.slice(0, -1));
}
