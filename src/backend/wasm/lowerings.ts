import { ShapedArray } from "../../core/aval.js";
import { DeviceBuffer, KernelArg } from "../backend.js";
import { KernelExports } from "./module.js";
import { elementwiseLowerings } from "./lower-elementwise.js";
import { structuralLowerings } from "./lower-structural.js";
import { reduceLowerings } from "./lower-reduce.js";
import { linalgLowerings } from "./lower-linalg.js";
import { prngLowerings } from "./lower-prng.js";
import { softmaxLowerings } from "./lower-softmax.js";
import { convLowerings } from "./lower-conv.js";

/** What a lowering may use of the backend. */
export interface WasmContext {
  readonly k: KernelExports;
  alloc(nbytes: number): DeviceBuffer;
  free(buf: DeviceBuffer): void;
  meta(ints: readonly number[], extra?: number): number;
  /** Runs a kernel once per piece of arguments across worker threads; false when single-threaded. */
  parallel(name: keyof KernelExports, pieces: number[][]): boolean;
  readonly numThreads: number;
}

/**
 * Runs a primitive with Wasm kernels, writing into preallocated outputs. Returns false when it has
 * no kernel for these dtypes/params, and the backend then runs the reference implementation.
 */
export type Lowering = (ctx: WasmContext, ins: KernelArg[], outs: KernelArg[], params: any) => boolean;

export const lowerings: Record<string, Lowering> = {
  ...elementwiseLowerings,
  ...structuralLowerings,
  ...reduceLowerings,
  ...linalgLowerings,
  ...prngLowerings,
  ...softmaxLowerings,
  ...convLowerings,
};

export type { ShapedArray };
