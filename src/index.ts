// tinyjax's public surface.
import "./core/eval.js";
// The array methods' type declarations (module augmentation) must reach index.d.ts.
import "./api/methods.js";
import { installArrayMethods } from "./api/methods.js";

installArrayMethods();

export { JaxArray as Array } from "./core/value.js";
export type { ArrayLike } from "./core/value.js";
export type { DType } from "./core/dtype.js";
import * as jnpNs from "./api/numpy/index.js";
import * as laxNs from "./api/lax.js";
import * as nnNs from "./api/nn.js";
import * as randomNs from "./api/random-all.js";
import { scopedNamespace } from "./core/memory.js";
// Each public array function frees its own temporaries (core/memory.ts scoped()); the modules
// themselves stay plain so the library's internal calls pay nothing for it.
export const jnp: typeof jnpNs = scopedNamespace(jnpNs, ["linalg"]);
export const lax: typeof laxNs = scopedNamespace(laxNs);
export const nn: typeof nnNs = scopedNamespace(nnNs);
export { tidy, keep } from "./core/memory.js";
export { memoryStats, config, devices, init, defaultDevice, devicePut, devicePutAsync } from "./api/runtime.js";
export * from "./core/errors.js";
export * as tree from "./api/tree.js";
import * as AD from "./autodiff/api.js";
import { vmap as vmapRaw } from "./batching/vmap.js";
import { scoped } from "./core/memory.js";
// The functions these transformations return free their own temporaries too; vjp and linearize
// are left plain: the functions they return hold residuals made during the call.
const scopedTransform = <T extends (...a: any[]) => (...b: any[]) => any>(t: T): T => ((...a: any[]) => scoped(t(...a))) as unknown as T;
export const grad = scopedTransform(AD.grad);
export const valueAndGrad = scopedTransform(AD.valueAndGrad);
export const jacfwd = scopedTransform(AD.jacfwd);
export const jacrev = scopedTransform(AD.jacrev);
export const hessian = scopedTransform(AD.hessian);
export const vmap = scopedTransform(vmapRaw);
export { jvp, vjp, linearize, stopGradient } from "./autodiff/api.js";
export { customJvp, customVjp, checkpoint } from "./autodiff/custom.js";
export { makeJaxpr } from "./jaxpr/make.js";
export { ClosedJaxpr, Jaxpr } from "./jaxpr/jaxpr.js";
export { jit } from "./jit/jit.js";
export const random: typeof randomNs = scopedNamespace(randomNs);
export * as optax from "./api/optax/index.js";
export * as linen from "./api/linen/index.js";
export * as haiku from "./api/haiku/index.js";
export { pmap, startDeviceThreads } from "./batching/pmap.js";
