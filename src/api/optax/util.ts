// Helpers shared by the optax modules; not part of the public namespace.
import { ArrayLike, JaxArray } from "../../core/value.js";
import { DType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { isPlainObject } from "../../core/transform-args.js";
import * as tree from "../tree.js";
import * as jnp from "../numpy/index.js";
import { Params, safeIncrement, ScalarOrSchedule } from "./base.js";

export const count0 = () => jnp.zeros([], { dtype: "int32" });
export const castTree = (t: Params, dtype: DType | null | undefined) => (dtype ? tree.map((x: JaxArray) => jnp.astype(x, dtype), t) : t);

// Hyperparameters may be arrays (injectHyperparams puts them in the state), so no JS arithmetic on them.
export const oneMinus = (d: number | JaxArray) => (typeof d === "number" ? 1 - d : jnp.subtract(1, d));
export const moment = (g: JaxArray, t: JaxArray, decay: number | JaxArray, order: 1 | 2) =>
  jnp.add(jnp.multiply(oneMinus(decay), order === 1 ? g : jnp.square(g)), jnp.multiply(decay, t));
export const biasCorrection = (t: JaxArray, decay: number | JaxArray, count: JaxArray) =>
  jnp.divide(t, jnp.subtract(1, jnp.power(decay, jnp.astype(count, "float32"))).astype(t.dtype));

export type WithLr<T> = T & { learningRate: ScalarOrSchedule };

/**
 * The learning rate and the rest: positional (`adam(1e-3, 0.9)`), or, as optax's keyword call
 * `adam(learning_rate=1e-3, b1=0.9)`, one options object holding learningRate too.
 */
export function lrArgs<T>(op: string, first: unknown, rest: unknown[], optional = false): [ScalarOrSchedule, unknown[]] {
  const isLr = (v: unknown) => typeof v === "number" || typeof v === "function" || v instanceof JaxArray || (optional && (v === null || v === undefined));
  if (isLr(first)) return [first as ScalarOrSchedule, rest];
  if (first !== null && typeof first === "object" && !Array.isArray(first) && Object.getPrototypeOf(first) === Object.prototype) {
    const { learningRate, ...others } = first as WithLr<T>;
    if (rest.length) throw new ValueError(`${op}: with an options object first, put every hyperparameter in it (${op}({ learningRate, ... })).`);
    if (!isLr(learningRate)) {
      throw new ValueError(`${op}: the options need learningRate, a number or a schedule, but got ${JSON.stringify(learningRate)}.`);
    }
    return [learningRate, [others]];
  }
  throw new ValueError(`${op}: the learning rate is a number or a schedule (count => value), or pass ${op}({ learningRate, ... }); got ${JSON.stringify(first)}.`);
}

export const f32 = (c: JaxArray | number) => jnp.astype(jnp.asArray(c), "float32");

/**
 * A schedule's arguments in optax's order, given positionally or as one object of optax's keyword
 * names in camelCase (`cosineDecaySchedule({ initValue: 0.1, decaySteps: 100 })`).
 */
export function scheduleArgs(op: string, args: readonly unknown[], names: readonly string[], required: number): any[] {
  let vals: unknown[];
  const last = args[args.length - 1];
  if (args.length >= 1 && isPlainObject(last)) {
    // One options object, or positional values followed by the rest as options (optax's keywords).
    const o = last as Record<string, unknown>;
    const unknown = Object.keys(o).filter((k) => !names.includes(k));
    if (unknown.length) throw new ValueError(`optax.${op}: unknown option(s) ${unknown.join(", ")}; the options are ${names.join(", ")}.`);
    const pos = args.slice(0, -1);
    if (pos.length > names.length) throw new ValueError(`optax.${op}: takes at most ${names.length} arguments (${names.join(", ")}), but got ${pos.length} before the options.`);
    const twice = names.filter((n, i) => i < pos.length && n in o);
    if (twice.length) throw new ValueError(`optax.${op}: ${twice.join(", ")} given both positionally and as an option.`);
    vals = names.map((n, i) => (i < pos.length ? pos[i] : o[n]));
  } else {
    if (args.length > names.length) throw new ValueError(`optax.${op}: takes at most ${names.length} arguments (${names.join(", ")}), but got ${args.length}.`);
    vals = names.map((_, i) => args[i]);
  }
  vals.forEach((v, i) => {
    const ok = v === undefined || typeof v === "number" || (names[i] === "staircase" && typeof v === "boolean") || (/xponential/.test(op) && names[i] === "endValue" && v === null);
    if (!ok || (i < required && v === undefined)) {
      throw new ValueError(`optax.${op}: ${names[i]} must be a number${i < required ? "" : " or left out"}, but got ${JSON.stringify(v)}. ` +
        `Pass ${names.slice(0, required).join(", ")} positionally (in optax's order) or as one options object.`);
    }
  });
  return vals;
}

export type Axis = number | number[] | null;
export interface AxisWhere { axis?: Axis; where?: ArrayLike | null }

/** (axis, where) given positionally or as one options object; optax's default axis is -1. */
export function axisWhere(op: string, rest: unknown[]): { axis: Axis; where?: ArrayLike } {
  const o = (rest.length === 1 && isPlainObject(rest[0]) ? rest[0] : { axis: rest[0], where: rest[1] }) as AxisWhere;
  if (rest.length > 2 || (o.axis !== undefined && o.axis !== null && typeof o.axis !== "number" && !Array.isArray(o.axis))) {
    throw new ValueError(`optax.${op}: after the arrays come axis (a number, numbers or null) and where (a boolean mask), or one options object { axis, where }.`);
  }
  return { axis: o.axis === undefined ? -1 : o.axis, where: o.where ?? undefined };
}

/** The bias-corrected first moment; with Nesterov, optax's look-ahead mix of it and the gradient. */
export function muHat(mu: Params, u: Params, b1: number | JaxArray, count: JaxArray, nesterov?: boolean): Params {
  if (!nesterov) return tree.map((m: JaxArray) => biasCorrection(m, b1, count), mu);
  return tree.map((m: JaxArray, g: JaxArray) => jnp.add(jnp.multiply(b1, biasCorrection(m, b1, safeIncrement(count))),
    jnp.multiply(oneMinus(b1), biasCorrection(g, b1, count))), mu, u);
}

