// The rest of optax's optimizers (alias.py) as chains, with optax's positional order and defaults.
import { isPlainObject } from "../../core/transform-args.js";
import { ValueError } from "../../core/errors.js";
import { DType } from "../../core/dtype.js";
import { JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import { chain, GradientTransformation, ScalarOrSchedule } from "./base.js";
import { lrArgs } from "./util.js";
import { addDecayedWeights, Mask, scale, scaleByAdam, scaleByLearningRate, trace } from "./transforms.js";
import {
  addNoise, clipByBlockRms, ema, scaleByAdadelta, scaleByAdamax, scaleByAmsgrad, scaleByBelief, scaleByFactoredRms, scaleByLion,
  scaleByNovograd, scaleByParamBlockRms, scaleByRadam, scaleBySign, scaleByTrustRatio, scaleByYogi,
} from "./transforms-extra.js";
import { masked } from "./wrappers.js";

type Num = number | JaxArray;
type O = Record<string, any>;

/**
 * (learningRate, ...hyperparameters in optax's order), (learningRate, { ...options }) or
 * ({ learningRate, ...options }); masks are often objects, so at a mask's position an object is a value.
 */
function hp(op: string, args: unknown[], names: string[], lrOptional = false): [ScalarOrSchedule, O] {
  const [lr, rest] = lrArgs<O>(`optax.${op}`, args[0], args.slice(1), lrOptional);
  const isMask = (i: number) => /mask/i.test(names[i] ?? "");
  let kw: O = {};
  if (rest.length && isPlainObject(rest[rest.length - 1]) && !isMask(rest.length - 1)) kw = rest.pop() as O;
  if (rest.length > names.length || rest.some((v, i) => isPlainObject(v) && !isMask(i))) {
    throw new ValueError(`optax.${op}: after the learning rate come up to ${names.length} values in optax's order (${names.join(", ")}) and/or one options object, but got ${rest.length + 1} arguments.`);
  }
  const o: O = { ...kw };
  rest.forEach((v, i) => { if (v !== undefined) o[names[i]] = v; });
  return [lr, o];
}

type Args = unknown[];
const withDecay = (tx: GradientTransformation, wd: ScalarOrSchedule | null | undefined, mask: Mask | null | undefined, lr: ScalarOrSchedule) =>
  chain(tx, ...(wd === null || wd === undefined ? [] : [addDecayedWeights(wd, mask)]), scaleByLearningRate(lr));

export function adamax(...args: Args): GradientTransformation {
  const [lr, o] = hp("adamax", args, ["b1", "b2", "eps"]);
  return chain(scaleByAdamax(o), scaleByLearningRate(lr));
}
export function adamaxw(...args: Args): GradientTransformation {
  const [lr, o] = hp("adamaxw", args, ["b1", "b2", "eps", "weightDecay", "mask"]);
  return withDecay(scaleByAdamax(o), o.weightDecay ?? 1e-4, o.mask, lr);
}
const ADAM = ["b1", "b2", "eps", "epsRoot", "muDtype"];
/** Adam with Nesterov momentum (optax.nadam = adam(..., nesterov=True)). */
export function nadam(...args: Args): GradientTransformation {
  const [lr, o] = hp("nadam", args, ADAM);
  return chain(scaleByAdam({ ...o, nesterov: true }), scaleByLearningRate(lr));
}
export function nadamw(...args: Args): GradientTransformation {
  const [lr, o] = hp("nadamw", args, [...ADAM, "weightDecay", "mask"]);
  return withDecay(scaleByAdam({ ...o, nesterov: true }), o.weightDecay ?? 1e-4, o.mask, lr);
}
export function radam(...args: Args): GradientTransformation {
  const [lr, o] = hp("radam", args, ["b1", "b2", "eps", "epsRoot", "threshold"]);
  return chain(scaleByRadam(o), scaleByLearningRate(lr));
}
export function amsgrad(...args: Args): GradientTransformation {
  const [lr, o] = hp("amsgrad", args, [...ADAM, "biasCorrectionMu", "biasCorrectionNu"]);
  return chain(scaleByAmsgrad(o), scaleByLearningRate(lr));
}
export function lamb(...args: Args): GradientTransformation {
  const [lr, o] = hp("lamb", args, ["b1", "b2", "eps", "epsRoot", "weightDecay", "mask"]);
  return chain(scaleByAdam({ b1: o.b1, b2: o.b2, eps: o.eps ?? 1e-6, epsRoot: o.epsRoot }), addDecayedWeights(o.weightDecay ?? 0, o.mask),
    scaleByTrustRatio(), scaleByLearningRate(lr));
}
export function lars(...args: Args): GradientTransformation {
  const [lr, o] = hp("lars", args, ["weightDecay", "weightDecayMask", "trustCoefficient", "eps", "trustRatioMask", "momentum", "nesterov"]);
  return chain(addDecayedWeights(o.weightDecay ?? 0, o.weightDecayMask ?? true),
    masked(scaleByTrustRatio({ trustCoefficient: o.trustCoefficient ?? 1e-3, eps: o.eps ?? 0 }), o.trustRatioMask ?? true),
    scaleByLearningRate(lr), trace(o.momentum ?? 0.9, o.nesterov ?? false));
}
export function lion(...args: Args): GradientTransformation {
  const [lr, o] = hp("lion", args, ["b1", "b2", "muDtype", "weightDecay", "mask"]);
  return withDecay(scaleByLion(o), o.weightDecay ?? 1e-3, o.mask, lr);
}
export function adabelief(...args: Args): GradientTransformation {
  const [lr, o] = hp("adabelief", args, ["b1", "b2", "eps", "epsRoot", "weightDecay", "weightDecayMask"]);
  return withDecay(scaleByBelief(o), o.weightDecay, o.weightDecayMask, lr);
}
export function yogi(...args: Args): GradientTransformation {
  const [lr, o] = hp("yogi", args, ["b1", "b2", "eps"]);
  return chain(scaleByYogi(o), scaleByLearningRate(lr));
}
export function novograd(...args: Args): GradientTransformation {
  const [lr, o] = hp("novograd", args, ["b1", "b2", "eps", "epsRoot", "weightDecay"]);
  return chain(scaleByNovograd({ ...o, eps: o.eps ?? 1e-6 }), scaleByLearningRate(lr));
}
export function adadelta(...args: Args): GradientTransformation {
  const [lr, o] = hp("adadelta", args, ["rho", "eps", "weightDecay", "weightDecayMask"], true);
  return chain(addDecayedWeights(o.weightDecay ?? 0, o.weightDecayMask), scaleByAdadelta(o), ...(lr === null || lr === undefined ? [] : [scaleByLearningRate(lr)]));
}

/**
 * Adafactor: factored second moments, update clipping by block RMS and relative step sizes
 * (optax's defaults: decayRate 0.8, clippingThreshold 1, multiplyByParameterScale, eps 1e-30).
 */
export function adafactor(...args: Args): GradientTransformation {
  const [lr, o] = hp("adafactor", args, ["minDimSizeToFactor", "decayRate", "decayOffset", "multiplyByParameterScale", "clippingThreshold",
    "momentum", "dtypeMomentum", "weightDecayRate", "eps", "factored", "weightDecayMask"], true);
  const txs = [scaleByFactoredRms(o.factored ?? true, o.decayRate ?? 0.8, o.decayOffset ?? 0, o.minDimSizeToFactor ?? 128, o.eps ?? 1e-30)];
  const clipT = o.clippingThreshold === undefined ? 1 : o.clippingThreshold;
  if (clipT !== null) txs.push(clipByBlockRms(clipT));
  if (lr !== null && lr !== undefined) txs.push(scaleByLearningRate(lr, false));
  if (o.multiplyByParameterScale ?? true) txs.push(scaleByParamBlockRms());
  if (o.momentum !== null && o.momentum !== undefined) txs.push(ema(o.momentum, false, (o.dtypeMomentum ?? "float32") as DType));
  if (o.weightDecayRate !== null && o.weightDecayRate !== undefined) txs.push(addDecayedWeights(o.weightDecayRate, o.weightDecayMask));
  return chain(...txs, scale(-1));
}

/** Fromage: trust-ratio steps with a shrinking of the params by 1/sqrt(1 + lr^2). */
export function fromage(...args: Args): GradientTransformation {
  const [lr, o] = hp("fromage", args, ["minNorm"]);
  const mult = (l: Num) => jnp.rsqrt(jnp.add(1, jnp.square(l)));
  const minNorm = o.minNorm ?? 1e-6;
  if (typeof lr === "function") {
    const at = (c: JaxArray) => jnp.asArray(lr(c));
    return chain(scaleByTrustRatio(minNorm), scaleByLearningRate((c) => jnp.multiply(mult(at(c)), at(c))),
      addDecayedWeights((c) => jnp.subtract(mult(at(c)), 1)));
  }
  const m = typeof lr === "number" ? 1 / Math.sqrt(1 + lr * lr) : mult(lr);
  return chain(scaleByTrustRatio(minNorm), scaleByLearningRate(typeof lr === "number" ? lr * (m as number) : jnp.multiply(lr, m)),
    addDecayedWeights(typeof m === "number" ? m - 1 : jnp.subtract(m, 1)));
}

/** SGD with annealed Gaussian gradient noise (optax's eta 0.01, gamma 0.55). */
export function noisySgd(...args: Args): GradientTransformation {
  const [lr, o] = hp("noisySgd", args, ["eta", "gamma", "key"]);
  return chain(addNoise(o.eta ?? 0.01, o.gamma ?? 0.55, o.key ?? 0), scaleByLearningRate(lr));
}
export function signSgd(...args: Args): GradientTransformation {
  const [lr] = hp("signSgd", args, []);
  return chain(scaleBySign(), scaleByLearningRate(lr));
}
/** Sign of an (un-debiased) momentum: SignSGD with momentum. */
export function signum(...args: Args): GradientTransformation {
  const [lr, o] = hp("signum", args, ["beta", "accumulatorDtype"]);
  return chain(ema(o.beta ?? 0.9, false, o.accumulatorDtype ?? null), scaleBySign(), scaleByLearningRate(lr));
}
