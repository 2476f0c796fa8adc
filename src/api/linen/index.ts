// flax.linen-style modules.
export { Module, Variable } from "./module.js";
export type { ModuleOptions } from "./module.js";
export { Dense, Conv, BatchNorm, LayerNorm, Dropout, Embed, Sequential, avgPool, maxPool } from "./layers.js";
export { TrainState } from "./train-state.js";
export * from "../nn.js";
