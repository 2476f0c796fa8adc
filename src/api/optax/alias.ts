// The optimizers users reach for, as chains of transformations (optax's alias.py).
import { chain, GradientTransformation, identity, ScalarOrSchedule } from "./base.js";
import {
  addDecayedWeights, AdamOptions, Mask, scaleByAdam, scaleByLearningRate, scaleByRms, scaleByRss, scaleByStddev, trace,
} from "./transforms.js";

export function sgd(learningRate: ScalarOrSchedule, opts: { momentum?: number | null; nesterov?: boolean } = {}): GradientTransformation {
  const m = opts.momentum;
  return chain(m === undefined || m === null ? identity() : trace(m, opts.nesterov ?? false), scaleByLearningRate(learningRate));
}

export function adam(learningRate: ScalarOrSchedule, opts: AdamOptions = {}): GradientTransformation {
  return chain(scaleByAdam(opts), scaleByLearningRate(learningRate));
}

export function adamw(learningRate: ScalarOrSchedule, opts: AdamOptions & { weightDecay?: number; mask?: Mask } = {}): GradientTransformation {
  return chain(scaleByAdam(opts), addDecayedWeights(opts.weightDecay ?? 1e-4, opts.mask), scaleByLearningRate(learningRate));
}

export interface RmspropOptions {
  decay?: number; eps?: number; initialScale?: number; epsInSqrt?: boolean; centered?: boolean;
  momentum?: number | null; nesterov?: boolean; biasCorrection?: boolean;
}

export function rmsprop(learningRate: ScalarOrSchedule, o: RmspropOptions = {}): GradientTransformation {
  const scaling = o.centered ? scaleByStddev(o) : scaleByRms(o);
  const mom = o.momentum === undefined || o.momentum === null ? identity() : trace(o.momentum, o.nesterov ?? false);
  return chain(scaling, scaleByLearningRate(learningRate), mom);
}

export function adagrad(learningRate: ScalarOrSchedule, opts: { initialAccumulatorValue?: number; eps?: number } = {}): GradientTransformation {
  return chain(scaleByRss(opts), scaleByLearningRate(learningRate));
}
