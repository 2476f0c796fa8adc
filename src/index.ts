// tinyjax's public surface.
import "./core/eval.js";
// The array methods' type declarations (module augmentation) must reach index.d.ts.
import "./api/methods.js";
import { installArrayMethods } from "./api/methods.js";

installArrayMethods();

export { JaxArray as Array } from "./core/value.js";
export type { ArrayLike } from "./core/value.js";
export type { DType } from "./core/dtype.js";
export * as jnp from "./api/numpy/index.js";
export * as lax from "./api/lax.js";
export * as nn from "./api/nn.js";
export { tidy, keep } from "./core/memory.js";
export { memoryStats, config, devices, init, defaultDevice, devicePut, devicePutAsync } from "./api/runtime.js";
export * from "./core/errors.js";
export * as tree from "./api/tree.js";
export { grad, valueAndGrad, jvp, vjp, linearize, jacfwd, jacrev, hessian, stopGradient } from "./autodiff/api.js";
export { customJvp, customVjp, checkpoint } from "./autodiff/custom.js";
export { makeJaxpr } from "./jaxpr/make.js";
export { ClosedJaxpr, Jaxpr } from "./jaxpr/jaxpr.js";
export { vmap } from "./batching/vmap.js";
export { jit } from "./jit/jit.js";
export * as random from "./api/random-all.js";
export * as optax from "./api/optax/index.js";
export * as linen from "./api/linen/index.js";
export * as haiku from "./api/haiku/index.js";
export { pmap, startDeviceThreads } from "./batching/pmap.js";
