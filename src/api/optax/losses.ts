// Loss functions (optax.losses): elementwise or per-example, no reduction, as in optax.
import { axisOptions } from "../numpy/options.js";
import { ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import * as nn from "../nn.js";

export function l2Loss(predictions: ArrayLike, targets?: ArrayLike | null): JaxArray {
  const err = targets === undefined || targets === null ? jnp.asArray(predictions) : jnp.subtract(predictions, targets);
  return jnp.multiply(0.5, jnp.square(err));
}

export function squaredError(predictions: ArrayLike, targets?: ArrayLike | null): JaxArray {
  const err = targets === undefined || targets === null ? jnp.asArray(predictions) : jnp.subtract(predictions, targets);
  return jnp.square(err);
}

/**
 * -sum(labels * log_softmax(logits)) over `axis` (default -1); `where` (a mask, like optax's)
 * leaves entries out of both the softmax and the sum. Pass (logits, labels, axis, where) or options.
 */
export function softmaxCrossEntropy(logits: ArrayLike, labels: ArrayLike, options?: { axis?: number | number[] | null; where?: ArrayLike | null } | number | number[] | null,
  where?: ArrayLike | null): JaxArray {
  const opts = axisOptions<{ axis?: number | number[] | null; where?: ArrayLike | null }>("optax.softmaxCrossEntropy", options as any, "axis, where");
  const axis = opts.axis === undefined ? -1 : opts.axis;
  let m = opts.where ?? where ?? undefined;
  if (m === undefined) return jnp.negative(jnp.sum(jnp.multiply(labels, nn.logSoftmax(logits, { axis })), { axis }));
  const x = jnp.asArray(logits);
  m = jnp.asArray(m);
  if (m.ndim !== x.ndim) m = jnp.expandDims(m, axis ?? 0);
  const logp = nn.logSoftmax(jnp.where(m, x, -Infinity), { axis });
  return jnp.negative(jnp.sum(jnp.multiply(labels, logp), { axis, where: m }));
}

/** logsumexp(logits) - logits[label], for integer labels. */
export function softmaxCrossEntropyWithIntegerLabels(logits: ArrayLike, labels: ArrayLike, options?: { axis?: number } | number): JaxArray {
  const opts = axisOptions<{ axis?: number }>("optax.softmaxCrossEntropyWithIntegerLabels", options, "axis");
  const l = jnp.asArray(logits);
  const axis = opts.axis ?? -1;
  const ax = axis < 0 ? axis + l.ndim : axis;
  const lab = jnp.expandDims(jnp.astype(labels, "int32"), ax);
  const labelLogits = jnp.squeeze(jnp.takeAlongAxis(l, lab, ax), ax);
  return jnp.subtract(jnp.logsumexp(l, { axis: ax }), labelLogits);
}

/** -labels*log(sigmoid(logits)) - (1-labels)*log(1-sigmoid(logits)), computed stably. */
export function sigmoidBinaryCrossEntropy(logits: ArrayLike, labels: ArrayLike): JaxArray {
  const logP = nn.logSigmoid(logits), logNotP = nn.logSigmoid(jnp.negative(logits));
  return jnp.subtract(jnp.negative(jnp.multiply(labels, logP)), jnp.multiply(jnp.subtract(1, labels), logNotP));
}

/** Quadratic within delta of the target, linear beyond. */
export function huberLoss(predictions: ArrayLike, targets?: ArrayLike | null, deltaArg: number | { delta?: number } = 1): JaxArray {
  const delta = typeof deltaArg === "number" ? deltaArg : deltaArg && typeof deltaArg === "object" && Object.keys(deltaArg).every((k) => k === "delta") ? deltaArg.delta ?? 1 : NaN;
  if (Number.isNaN(delta)) throw new ValueError(`optax.huberLoss: delta is a number or options { delta }, but got ${JSON.stringify(deltaArg)}.`);
  const err = targets === undefined || targets === null ? jnp.asArray(predictions) : jnp.subtract(predictions, targets);
  const absErr = jnp.abs(err);
  const quadratic = jnp.minimum(absErr, delta);
  const linear = jnp.subtract(absErr, quadratic);
  return jnp.add(jnp.multiply(0.5, jnp.square(quadratic)), jnp.multiply(delta, linear));
}
