// More of optax.losses: regression, classification and divergence losses, unreduced as in optax.
import { ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import * as nn from "../nn.js";
import { sigmoidBinaryCrossEntropy } from "./losses.js";

import { Axis, axisWhere, AxisWhere } from "./util.js";

const sumAW = (x: JaxArray, a: { axis: Axis; where?: ArrayLike }, keepdims = false) => jnp.sum(x, { axis: a.axis, where: a.where, keepdims });
const errorOf = (p: ArrayLike, t?: ArrayLike | null) => (t === undefined || t === null ? jnp.asArray(p) : jnp.subtract(p, t));
const floats = (op: string, ...xs: ArrayLike[]) => {
  for (const x of xs) {
    const d = jnp.asArray(x).dtype;
    if (!d.startsWith("float")) throw new ValueError(`optax.${op}: expects floating-point inputs, but got ${d}; cast with jnp.astype(x, "float32").`);
  }
};

/** log(cosh(predictions - targets)), computed without overflow. */
export function logCosh(predictions: ArrayLike, targets?: ArrayLike | null): JaxArray {
  floats("logCosh", predictions);
  const e = errorOf(predictions, targets);
  return jnp.subtract(jnp.logaddexp(e, jnp.negative(e)), jnp.astype(Math.LN2, e.dtype));
}

type CosOptions = AxisWhere & { epsilon?: number };
/** Cosine of the angle between predictions and targets along `axis` (norms clipped below at sqrt(epsilon)). */
export function cosineSimilarity(predictions: ArrayLike, targets: ArrayLike, options: CosOptions = {}): JaxArray {
  floats("cosineSimilarity", predictions, targets);
  const aw = axisWhere("cosineSimilarity", [{ axis: options.axis, where: options.where }]);
  const eps = options.epsilon ?? 0;
  const unit = (x: ArrayLike) => jnp.divide(x, jnp.sqrt(jnp.maximum(sumAW(jnp.square(x), aw, true), eps)));
  return sumAW(jnp.multiply(unit(predictions), unit(targets)), aw);
}

export function cosineDistance(predictions: ArrayLike, targets: ArrayLike, options: CosOptions = {}): JaxArray {
  return jnp.subtract(1, cosineSimilarity(predictions, targets, options));
}

/** max(0, 1 - outputs * targets), targets in {-1, 1}. */
export const hingeLoss = (predictorOutputs: ArrayLike, targets: ArrayLike) => jnp.maximum(0, jnp.subtract(1, jnp.multiply(predictorOutputs, targets)));
/** max(0, -outputs * targets). */
export const perceptronLoss = (predictorOutputs: ArrayLike, targets: ArrayLike) => jnp.maximum(0, jnp.negative(jnp.multiply(predictorOutputs, targets)));

/** KL(targets || predictions) from log-predictions and probability targets (0 log 0 = 0). */
export function klDivergence(logPredictions: ArrayLike, targets: ArrayLike, ...rest: [AxisWhere?] | [axis?: Axis, where?: ArrayLike | null]): JaxArray {
  floats("klDivergence", logPredictions, targets);
  const t = jnp.asArray(targets), zero = jnp.equal(t, 0);
  // The inner where keeps log's gradient finite where the target is 0.
  const logT = jnp.where(zero, 0, jnp.log(jnp.where(zero, 1, t)));
  return sumAW(jnp.multiply(t, jnp.subtract(logT, logPredictions)), axisWhere("klDivergence", rest));
}

export function klDivergenceWithLogTargets(logPredictions: ArrayLike, logTargets: ArrayLike, ...rest: [AxisWhere?] | [axis?: Axis, where?: ArrayLike | null]): JaxArray {
  floats("klDivergenceWithLogTargets", logPredictions, logTargets);
  return sumAW(jnp.multiply(jnp.exp(logTargets), jnp.subtract(logTargets, logPredictions)), axisWhere("klDivergenceWithLogTargets", rest));
}

/** KL plus sum(exp(logPredictions) - targets): a divergence for unnormalized measures. */
export function generalizedKlDivergence(logPredictions: ArrayLike, targets: ArrayLike, ...rest: [AxisWhere?] | [axis?: Axis, where?: ArrayLike | null]): JaxArray {
  const aw = axisWhere("generalizedKlDivergence", rest);
  return jnp.add(klDivergence(logPredictions, targets, aw), sumAW(jnp.subtract(jnp.exp(logPredictions), targets), aw));
}
export const convexKlDivergence = generalizedKlDivergence;

/** Focal loss: the sigmoid cross-entropy weighted by (1 - p_t)^gamma, and by alpha for positives. */
export function sigmoidFocalLoss(logits: ArrayLike, labels: ArrayLike, options: { alpha?: number | null; gamma?: number } = {}): JaxArray {
  floats("sigmoidFocalLoss", logits);
  const x = jnp.asArray(logits), y = jnp.astype(labels, x.dtype);
  const pos = jnp.greaterEqual(y, 0.5);
  const yp = jnp.where(pos, y, jnp.subtract(1, y)), xp = jnp.where(pos, jnp.negative(x), x);
  // log(1 - p_t), stable for soft labels too (optax's formulation).
  const logOneMinusPt = jnp.add(jnp.add(nn.logSigmoid(xp), jnp.log(yp)),
    nn.softplus(jnp.subtract(jnp.add(jnp.negative(xp), jnp.log1p(jnp.negative(yp))), jnp.log(yp))));
  const loss = jnp.multiply(sigmoidBinaryCrossEntropy(x, y), jnp.exp(jnp.multiply(options.gamma ?? 2, logOneMinusPt)));
  const a = options.alpha;
  return a === undefined || a === null ? loss : jnp.multiply(jnp.add(jnp.multiply(a, y), jnp.multiply(1 - a, jnp.subtract(1, y))), loss);
}

/** (1 - alpha) * labels + alpha / num_categories along `axis` (the where-selected ones when masked). */
export function smoothLabels(labels: ArrayLike, alpha: number, options: AxisWhere = {}): JaxArray {
  floats("smoothLabels", labels);
  const l = jnp.asArray(labels), axis = options.axis === undefined ? -1 : options.axis;
  const axes = axis === null ? l.shape.map((_, i) => i) : typeof axis === "number" ? [axis] : axis;
  const n = options.where === undefined || options.where === null
    ? axes.reduce((acc, a) => acc * l.shape[a < 0 ? a + l.ndim : a], 1)
    : jnp.sum(options.where, { axis, keepdims: true });
  return jnp.add(jnp.multiply(1 - alpha, l), jnp.divide(alpha, n));
}

/** Softmax cross-entropy that stays finite where logits are -inf and their labels are 0. */
export function safeSoftmaxCrossEntropy(logits: ArrayLike, labels: ArrayLike): JaxArray {
  floats("safeSoftmaxCrossEntropy", logits);
  const w = jnp.asArray(labels), nz = jnp.notEqual(w, 0);
  const ls = nn.logSoftmax(logits, { axis: -1 });
  // Where a weight is 0, its log-probability (possibly -inf) never enters, not even as 0 * -inf in the gradient.
  return jnp.negative(jnp.sum(jnp.where(nz, jnp.multiply(w, jnp.where(nz, ls, 0)), 0), { axis: -1 }));
}
