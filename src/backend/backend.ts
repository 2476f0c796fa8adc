import { ShapedArray } from "../core/aval.js";
import { TypedArray } from "../core/dtype.js";
import { Primitive } from "../core/primitive.js";
import type { FusedPlan } from "../jit/fusion.js";

/** Memory owned by a backend. Shared by arrays that view the same data (reshape); freed at refs 0. */
export interface DeviceBuffer {
  readonly backend: Backend;
  readonly nbytes: number;
  /** Backend-specific handle: a byte address in Wasm memory, a GPUBuffer, ... */
  readonly handle: number;
  refs: number;
}

export interface KernelArg {
  buf: DeviceBuffer;
  aval: ShapedArray;
}

export interface MemoryStats {
  /** Bytes held by live buffers. */
  liveBytes: number;
  liveBuffers: number;
  /** Bytes the backend has reserved from the platform (Wasm memory size, GPU pool). */
  reservedBytes: number;
}

/**
 * The narrow interface the rest of the library uses to touch device memory and run primitives.
 * Synchronous reads are optional (a GPU backend cannot always do them); async reads always work.
 */
export interface Backend {
  readonly name: string;
  alloc(nbytes: number): DeviceBuffer;
  free(buf: DeviceBuffer): void;
  write(buf: DeviceBuffer, data: TypedArray): void;
  readSync(buf: DeviceBuffer, aval: ShapedArray): TypedArray;
  /** Whether readSync can read this buffer now; absent means always. */
  canReadSync?(buf: DeviceBuffer): boolean;
  read(buf: DeviceBuffer, aval: ShapedArray): Promise<TypedArray>;
  /** Runs one primitive; returns freshly allocated output buffers (refs = 1). */
  execute(prim: Primitive, params: any, ins: KernelArg[], outAvals: ShapedArray[]): DeviceBuffer[];
  stats(): MemoryStats;
  /** Runs a fused elementwise group (jit), where the backend has a fused kernel. */
  runFused?(plan: FusedPlan, ins: DeviceBuffer[], outs: DeviceBuffer[]): void;
}

export function retain(buf: DeviceBuffer): DeviceBuffer {
  buf.refs++;
  return buf;
}

export function release(buf: DeviceBuffer): void {
  if (--buf.refs === 0) buf.backend.free(buf);
}
