// The jax.random namespace: the samplers of random.ts and those built on linear algebra.
export * from "./random.js";
export { orthogonal } from "./random-orthogonal.js";
