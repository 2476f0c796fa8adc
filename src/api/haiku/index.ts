// dm-haiku-style modules and transforms.
import * as H from "./modules.js";
import { newOptional } from "../new-optional.js";
export { transform, transformWithState, withoutApplyRng, getParameter, getState, setState, nextRngKey, Module } from "./base.js";
export type { Transformed, TransformedWithState, HkInitializer } from "./base.js";
export { dropout } from "./modules.js";
export type { Conv2DOptions, BatchNormOptions } from "./modules.js";
export * as initializers from "./initializers.js";

// The modules construct with or without `new` (see new-optional.ts).
export const Linear = newOptional(H.Linear);
export type Linear = H.Linear;
export const Conv2D = newOptional(H.Conv2D);
export type Conv2D = H.Conv2D;
export const BatchNorm = newOptional(H.BatchNorm);
export type BatchNorm = H.BatchNorm;
export const MLP = newOptional(H.MLP);
export type MLP = H.MLP;
export const ExponentialMovingAverage = newOptional(H.ExponentialMovingAverage);
export type ExponentialMovingAverage = H.ExponentialMovingAverage;
