// dm-haiku-style modules and transforms.
export { transform, transformWithState, withoutApplyRng, getParameter, getState, setState, nextRngKey, Module } from "./base.js";
export type { Transformed, TransformedWithState, HkInitializer } from "./base.js";
export { Linear, Conv2D, BatchNorm, MLP, ExponentialMovingAverage, dropout } from "./modules.js";
export * as initializers from "./initializers.js";
