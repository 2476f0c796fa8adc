// flax.linen-style modules.
import * as L from "./layers.js";
import { newOptional } from "../new-optional.js";
export { Module, Variable } from "./module.js";
export type { ModuleOptions } from "./module.js";
export { avgPool, maxPool } from "./layers.js";
export type { DenseOptions, ConvOptions, BatchNormOptions, LayerNormOptions, DropoutOptions, EmbedOptions } from "./layers.js";
export { TrainState } from "./train-state.js";
export * from "../nn.js";

// The layers construct with or without `new` (see new-optional.ts).
export const Dense = newOptional(L.Dense);
export type Dense = L.Dense;
export const Conv = newOptional(L.Conv);
export type Conv = L.Conv;
export const BatchNorm = newOptional(L.BatchNorm);
export type BatchNorm = L.BatchNorm;
export const LayerNorm = newOptional(L.LayerNorm);
export type LayerNorm = L.LayerNorm;
export const Dropout = newOptional(L.Dropout);
export type Dropout = L.Dropout;
export const Embed = newOptional(L.Embed);
export type Embed = L.Embed;
export const Sequential = newOptional(L.Sequential);
export type Sequential = L.Sequential;
