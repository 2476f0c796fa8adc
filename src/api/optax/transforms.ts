// optax's building-block transformations, following optax's update formulas.
import { JaxArray } from "../../core/value.js";
import { DType } from "../../core/dtype.js";
import { positionalOptions } from "../numpy/options.js";
import { ValueError } from "../../core/errors.js";
import * as tree from "../tree.js";
import * as jnp from "../numpy/index.js";
import { masked } from "./wrappers.js";
import { biasCorrection, castTree, count0, moment, muHat } from "./util.js";
import { fullLikeTree, GradientTransformation, Params, safeIncrement, ScalarOrSchedule, zerosLikeTree } from "./base.js";


/** updates * step_size (a number, or an array such as an injected hyperparameter). */
export function scale(stepSize: number | JaxArray): GradientTransformation {
  return { init: () => ({}), update: (u, s) => [tree.map((g: JaxArray) => jnp.multiply(g, stepSize), u), s] };
}

/** updates * schedule(count), with count starting at 0. */
export function scaleBySchedule(stepSizeFn: (count: JaxArray) => JaxArray | number): GradientTransformation {
  return {
    init: () => ({ count: count0() }),
    update(u, s) {
      const step = stepSizeFn(s.count);
      return [tree.map((g: JaxArray) => jnp.astype(jnp.multiply(g, step), g.dtype), u), { count: safeIncrement(s.count) }];
    },
  };
}

/** -learning_rate * updates (a number or a schedule). */
export function scaleByLearningRate(lr: ScalarOrSchedule, flipSign = true): GradientTransformation {
  const m = flipSign ? -1 : 1;
  if (typeof lr === "function") return scaleBySchedule((c) => jnp.multiply(lr(c), m));
  return scale(typeof lr === "number" ? m * lr : jnp.multiply(lr, m));
}

/** Momentum: trace = g + decay * trace (Nesterov: g + decay * new trace). */
export function trace(decay: number, nesterov = false): GradientTransformation {
  return {
    init: (p) => ({ trace: zerosLikeTree(p) }),
    update(u, s) {
      const f = (g: JaxArray, t: JaxArray) => jnp.add(g, jnp.multiply(decay, t));
      const next = tree.map(f, u, s.trace);
      return [nesterov ? tree.map(f, u, next) : next, { trace: next }];
    },
  };
}


export interface AdamOptions { b1?: number; b2?: number; eps?: number; epsRoot?: number; muDtype?: DType | null; nesterov?: boolean }

/** Adam's scaling: bias-corrected first over root of second moment. */
export function scaleByAdam(...rest: [AdamOptions?] | [b1?: number, b2?: number, eps?: number, epsRoot?: number, muDtype?: DType | null]): GradientTransformation {
  const o = positionalOptions<AdamOptions>("optax.scaleByAdam", rest, ["b1", "b2", "eps", "epsRoot", "muDtype"]);
  const b1 = o.b1 ?? 0.9, b2 = o.b2 ?? 0.999, eps = o.eps ?? 1e-8, epsRoot = o.epsRoot ?? 0;
  return {
    init: (p) => ({ count: count0(), mu: castTree(zerosLikeTree(p), o.muDtype), nu: zerosLikeTree(p) }),
    update(u, s) {
      // optax keeps the first moment in mu_dtype but computes with the updates' precision.
      const mu = castTree(tree.map((g: JaxArray, t: JaxArray) => moment(g, t, b1, 1), u, s.mu), o.muDtype);
      const nu = tree.map((g: JaxArray, t: JaxArray) => moment(g, t, b2, 2), u, s.nu);
      const count = safeIncrement(s.count);
      const mh = muHat(mu, u, b1, count, o.nesterov);
      const nuHat = tree.map((v: JaxArray) => biasCorrection(v, b2, count), nu);
      const out = tree.map((m: JaxArray, v: JaxArray) => jnp.divide(m, jnp.add(jnp.sqrt(jnp.add(v, epsRoot)), eps)), mh, nuHat);
      return [out, { count, mu, nu }];
    },
  };
}

export interface RmsOptions { decay?: number; eps?: number; initialScale?: number; epsInSqrt?: boolean; biasCorrection?: boolean }

const RMS: (keyof RmsOptions)[] = ["decay", "eps", "initialScale", "epsInSqrt", "biasCorrection"];
type RmsArgs = [RmsOptions?] | [decay?: number, eps?: number, initialScale?: number, epsInSqrt?: boolean, biasCorrection?: boolean];

export function scaleByRms(...rest: RmsArgs): GradientTransformation {
  const o = positionalOptions<RmsOptions>("optax.scaleByRms", rest, RMS);
  const decay = o.decay ?? 0.9, eps = o.eps ?? 1e-8, epsInSqrt = o.epsInSqrt ?? true, bc = o.biasCorrection ?? false;
  return {
    // As in optax, the state has a step count only when it is needed for bias correction.
    init: (p) => (bc ? { count: count0(), nu: fullLikeTree(p, o.initialScale ?? 0) } : { nu: fullLikeTree(p, o.initialScale ?? 0) }),
    update(u, s) {
      const nu = tree.map((g: JaxArray, t: JaxArray) => moment(g, t, decay, 2), u, s.nu);
      const count = bc ? safeIncrement(s.count) : undefined;
      const nuHat = count ? tree.map((v: JaxArray) => biasCorrection(v, decay, count), nu) : nu;
      const out = tree.map((v: JaxArray, g: JaxArray) => jnp.multiply(
        epsInSqrt ? jnp.rsqrt(jnp.add(v, eps)) : jnp.divide(1, jnp.add(jnp.sqrt(v), eps)), g), nuHat, u);
      return [out, count ? { count, nu } : { nu }];
    },
  };
}

/** Centered RMS: divides by the standard deviation estimate (rmsprop with centered=true). */
export function scaleByStddev(...rest: RmsArgs): GradientTransformation {
  const o = positionalOptions<RmsOptions>("optax.scaleByStddev", rest, RMS);
  const decay = o.decay ?? 0.9, eps = o.eps ?? 1e-8, epsInSqrt = o.epsInSqrt ?? true, bc = o.biasCorrection ?? false;
  return {
    init: (p) => {
      const mu = zerosLikeTree(p), nu = fullLikeTree(p, o.initialScale ?? 0);
      return bc ? { count: count0(), mu, nu } : { mu, nu };
    },
    update(u, s) {
      const mu = tree.map((g: JaxArray, t: JaxArray) => moment(g, t, decay, 1), u, s.mu);
      const nu = tree.map((g: JaxArray, t: JaxArray) => moment(g, t, decay, 2), u, s.nu);
      const count = bc ? safeIncrement(s.count) : undefined;
      const muHat = count ? tree.map((m: JaxArray) => biasCorrection(m, decay, count), mu) : mu;
      const nuHat = count ? tree.map((v: JaxArray) => biasCorrection(v, decay, count), nu) : nu;
      const out = tree.map((m: JaxArray, v: JaxArray, g: JaxArray) => {
        const varr = jnp.subtract(v, jnp.square(m));
        return jnp.multiply(epsInSqrt ? jnp.rsqrt(jnp.add(varr, eps)) : jnp.divide(1, jnp.add(jnp.sqrt(varr), eps)), g);
      }, muHat, nuHat, u);
      return [out, count ? { count, mu, nu } : { mu, nu }];
    },
  };
}

/** Adagrad's scaling by the root of the running sum of squares. */
export function scaleByRss(...rest: [{ initialAccumulatorValue?: number; eps?: number }?] | [initialAccumulatorValue?: number, eps?: number]): GradientTransformation {
  const o = positionalOptions<{ initialAccumulatorValue?: number; eps?: number }>("optax.scaleByRss", rest, ["initialAccumulatorValue", "eps"]);
  const eps = o.eps ?? 1e-7;
  return {
    init: (p) => ({ sumOfSquares: fullLikeTree(p, o.initialAccumulatorValue ?? 0.1) }),
    update(u, s) {
      const ss = tree.map((g: JaxArray, t: JaxArray) => jnp.add(jnp.square(g), t), u, s.sumOfSquares);
      const out = tree.map((t: JaxArray, g: JaxArray) => jnp.multiply(jnp.where(jnp.greater(t, 0), jnp.rsqrt(jnp.add(t, eps)), 0), g), ss, u);
      return [out, { sumOfSquares: ss }];
    },
  };
}

export type Mask = Params | ((params: Params) => Params);

/**
 * updates + weight_decay * params (a number or a schedule of the step), on the leaves the mask
 * selects (all when no mask); as in optax, a mask wraps the transformation in optax.masked.
 */
export function addDecayedWeights(weightDecay: ScalarOrSchedule = 0, mask?: Mask | null): GradientTransformation {
  const sched = typeof weightDecay === "function";
  const tx: GradientTransformation = {
    init: () => (sched ? { count: count0() } : {}),
    update(u, s, params) {
      if (params === undefined || params === null) {
        throw new ValueError("optax.addDecayedWeights: update needs the params; call update(grads, state, params).");
      }
      const w = sched ? (weightDecay as (c: JaxArray) => JaxArray)(s.count) : weightDecay;
      const next = sched ? { count: safeIncrement(s.count) } : s;
      if (w === 0) return [u, next];
      return [tree.map((g: JaxArray, p: JaxArray) => jnp.astype(jnp.add(g, jnp.multiply(w, p)), g.dtype), u, params), next];
    },
  };
  return mask === undefined || mask === null ? tx : masked(tx, mask);
}

/** Rescales all updates when their global L2 norm exceeds maxNorm. */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation {
  return {
    init: () => ({}),
    update(u, s) {
      const norm = globalNorm(u);
      const trigger = jnp.less(norm, maxNorm);
      return [tree.map((t: JaxArray) => jnp.where(trigger, t, jnp.multiply(jnp.divide(t, norm.astype(t.dtype)), maxNorm)), u), s];
    },
  };
}

export function globalNorm(t: Params): JaxArray {
  const leaves = tree.leaves(t) as JaxArray[];
  return jnp.sqrt(leaves.reduce((acc: JaxArray, l) => jnp.add(acc, jnp.sum(jnp.square(l))), jnp.zeros([])));
}

/** Clips each update to [-maxDelta, maxDelta]. */
export function clip(maxDelta: number): GradientTransformation {
  return { init: () => ({}), update: (u, s) => [tree.map((g: JaxArray) => jnp.clip(g, -maxDelta, maxDelta), u), s] };
}
