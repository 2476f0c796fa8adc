// optax: optimizers as gradient transformations with explicit state.
export * from "./base.js";
export * from "./transforms.js";
export * from "./alias.js";
export * from "./schedules.js";
export * from "./losses.js";
