// What a WebGPU lowering may use of the backend, and the table of lowerings by primitive name.
import { ShapedArray } from "../core/aval.js";
import type { GpuBuffer } from "./buffers.js";
import type { GpuLimits } from "./device.js";
import type { Kernel } from "./wgsl/builder.js";
import { elementwiseLowerings } from "./lower-elementwise.js";
import { structuralLowerings } from "./lower-structural.js";
import { reduceLowerings } from "./lower-reduce.js";
import { scanLowerings } from "./lower-scan.js";
import { linalgLowerings } from "./lower-linalg.js";
import { indexingLowerings } from "./lower-indexing.js";
import { sortLowerings } from "./lower-sort.js";
import { decompLowerings } from "./lower-decomp.js";
import { factorLowerings } from "./lower-factor.js";
import { convLowerings } from "./lower-conv.js";

export interface GpuArg {
  buf: GpuBuffer;
  aval: ShapedArray;
}

export interface GpuCtx {
  readonly limits: GpuLimits;
  /** Workgroup counts covering `threads` invocations in groups of `wg`. */
  grid(threads: number, wg: number): [number, number, number];
  /** Records a dispatch: bindings 1.. are `bufs` in the kernel's order, the uniform block is `meta`. */
  dispatch(k: Kernel, bufs: GpuBuffer[], meta: ArrayLike<number>, groups: [number, number, number]): void;
  /** A scratch buffer for an array of `aval`; give it back with release(). */
  temp(aval: ShapedArray): GpuBuffer;
  release(buf: GpuBuffer): void;
}

/**
 * Records the kernels of one primitive into preallocated outputs. Returns false when there is no
 * shader for these operands; the backend then runs the reference implementation on the host.
 * Lowerings handle float64 (which WGSL lacks) only when they say so.
 */
export type Lowering = ((ctx: GpuCtx, ins: GpuArg[], outs: GpuArg[], params: any) => boolean) & { float64?: boolean };

export const lowerings: Record<string, Lowering> = {
  ...elementwiseLowerings,
  ...structuralLowerings,
  ...reduceLowerings,
  ...scanLowerings,
  ...linalgLowerings,
  ...indexingLowerings,
  ...sortLowerings,
  ...decompLowerings,
  ...factorLowerings,
  ...convLowerings,
};
