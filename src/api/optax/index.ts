// optax: optimizers as gradient transformations with explicit state.
export * from "./base.js";
export * from "./transforms.js";
export * from "./alias.js";
export * from "./schedules.js";
export * from "./losses.js";
export * from "./transforms-extra.js";
export * from "./alias-extra.js";
export * from "./wrappers.js";
export * from "./schedules-extra.js";
export * from "./losses-extra.js";
