// The optimizers users reach for, as chains of transformations (optax's alias.py).
import { chain, GradientTransformation, identity, ScalarOrSchedule } from "./base.js";
import {
  addDecayedWeights, AdamOptions, Mask, scaleByAdam, scaleByLearningRate, scaleByRms, scaleByRss, scaleByStddev, trace,
} from "./transforms.js";
import { positionalOptions } from "../numpy/options.js";
import { DType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { lrArgs, WithLr } from "./util.js";


type SgdOptions = { momentum?: number | null; nesterov?: boolean };
export function sgd(learningRate: ScalarOrSchedule | WithLr<SgdOptions>, ...restArgs: [SgdOptions?] | [momentum?: number | null, nesterov?: boolean]): GradientTransformation {
  const [lr, rest] = lrArgs<SgdOptions>("optax.sgd", learningRate, restArgs);
  const opts = positionalOptions<SgdOptions>("optax.sgd", rest, ["momentum", "nesterov"]);
  const m = opts.momentum;
  return chain(m === undefined || m === null ? identity() : trace(m, opts.nesterov ?? false), scaleByLearningRate(lr));
}

const ADAM: (keyof AdamOptions)[] = ["b1", "b2", "eps", "epsRoot", "muDtype"];
type AdamArgs = [AdamOptions?] | [b1?: number, b2?: number, eps?: number, epsRoot?: number, muDtype?: DType | null];

export function adam(learningRate: ScalarOrSchedule | WithLr<AdamOptions>, ...restArgs: AdamArgs): GradientTransformation {
  const [lr, rest] = lrArgs<AdamOptions>("optax.adam", learningRate, restArgs);
  return chain(scaleByAdam(positionalOptions<AdamOptions>("optax.adam", rest, ADAM)), scaleByLearningRate(lr));
}

type AdamwOptions = AdamOptions & { weightDecay?: number; mask?: Mask | null };
export function adamw(learningRate: ScalarOrSchedule | WithLr<AdamwOptions>, ...restArgs: [AdamwOptions?] |
  [b1?: number, b2?: number, eps?: number, epsRoot?: number, muDtype?: DType | null, weightDecay?: number, mask?: Mask | null]): GradientTransformation {
  const [lr, rest] = lrArgs<AdamwOptions>("optax.adamw", learningRate, restArgs);
  // The 7th positional value is the mask, itself often an object (a pytree of booleans).
  const opts = rest.length >= 7
    ? { ...positionalOptions<AdamwOptions>("optax.adamw", rest.slice(0, 6), [...ADAM, "weightDecay"]), mask: rest[6] as Mask | null }
    : positionalOptions<AdamwOptions>("optax.adamw", rest, [...ADAM, "weightDecay"]);
  if (rest.length > 7) throw new ValueError(`optax.adamw: at most 7 hyperparameters follow the learning rate (b1, b2, eps, epsRoot, muDtype, weightDecay, mask), but got ${rest.length}; pass nesterov as { nesterov }.`);
  return chain(scaleByAdam(opts), addDecayedWeights(opts.weightDecay ?? 1e-4, opts.mask ?? undefined), scaleByLearningRate(lr));
}

export interface RmspropOptions {
  decay?: number; eps?: number; initialScale?: number; epsInSqrt?: boolean; centered?: boolean;
  momentum?: number | null; nesterov?: boolean; biasCorrection?: boolean;
}

export function rmsprop(learningRate: ScalarOrSchedule | WithLr<RmspropOptions>, ...restArgs: [RmspropOptions?] |
  [decay?: number, eps?: number, initialScale?: number, epsInSqrt?: boolean, centered?: boolean, momentum?: number | null, nesterov?: boolean,
    biasCorrection?: boolean]): GradientTransformation {
  const [lr, rest] = lrArgs<RmspropOptions>("optax.rmsprop", learningRate, restArgs);
  const o = positionalOptions<RmspropOptions>("optax.rmsprop", rest, ["decay", "eps", "initialScale", "epsInSqrt", "centered", "momentum", "nesterov", "biasCorrection"]);
  const scaling = o.centered ? scaleByStddev(o) : scaleByRms(o);
  const mom = o.momentum === undefined || o.momentum === null ? identity() : trace(o.momentum, o.nesterov ?? false);
  return chain(scaling, scaleByLearningRate(lr), mom);
}

type AdagradOptions = { initialAccumulatorValue?: number; eps?: number };
export function adagrad(learningRate: ScalarOrSchedule | WithLr<AdagradOptions>, ...restArgs: [AdagradOptions?] | [initialAccumulatorValue?: number, eps?: number]): GradientTransformation {
  const [lr, rest] = lrArgs<AdagradOptions>("optax.adagrad", learningRate, restArgs);
  return chain(scaleByRss(positionalOptions<AdagradOptions>("optax.adagrad", rest, ["initialAccumulatorValue", "eps"])), scaleByLearningRate(lr));
}
