// The jnp.linalg namespace.
export * from "./linalg-extra.js";
export * from "./linalg-factor.js";
export * from "./linalg-more.js";
