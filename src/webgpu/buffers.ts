/// <reference types="@webgpu/types" />
// Device memory: one GPUBuffer per array, recycled through a pool of size classes.
import { DType, TypedArray } from "../core/dtype.js";
import type { Backend, DeviceBuffer } from "../backend/backend.js";

// GPUBufferUsage / GPUMapMode values (spec constants; the globals are absent in Node).
export const USAGE = { MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, UNIFORM: 64, STORAGE: 128 } as const;
export const MAP_READ = 1;

/** Bytes per element on the GPU: bool is widened to one u32, float64 keeps its 8 raw bytes. */
export function gpuItemSize(d: DType): number { return d === "float64" ? 8 : 4; }

/**
 * An array's memory on the GPU. `handle` is a serial number (the Backend interface wants a number);
 * the GPUBuffer is made on first use, when the element type is known (an external alloc() is
 * followed by a write of typed data, or by a fused kernel writing float32).
 */
export class GpuBuffer implements DeviceBuffer {
  refs = 1;
  gpu: GPUBuffer | null = null;
  /** A host copy of data written from the host (small arrays only), so dataSync() can read it. */
  host: TypedArray | null = null;
  constructor(readonly backend: Backend, readonly nbytes: number, readonly handle: number) {}
}

/** Size classes: powers of two from 256 B, then eighths of a power of two above 1 MiB. */
export function sizeClass(n: number): number {
  if (n <= 256) return 256;
  const e = Math.ceil(Math.log2(n));
  if (e <= 20) return 2 ** e;
  const step = 2 ** (e - 3);
  return Math.ceil(n / step) * step;
}

/** Free GPUBuffers by size; beyond `cap` bytes, returned buffers are destroyed instead. */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  bytes = 0;
  constructor(public cap: number) {}

  take(size: number): GPUBuffer | undefined {
    const list = this.free.get(size);
    const b = list?.pop();
    if (b) this.bytes -= b.size;
    return b;
  }

  put(b: GPUBuffer): void {
    if (this.bytes + b.size > this.cap) {
      b.destroy();
      return;
    }
    let list = this.free.get(b.size);
    if (!list) this.free.set(b.size, (list = []));
    list.push(b);
    this.bytes += b.size;
  }

  /** Destroys every pooled buffer (returns the memory to the driver). */
  drain(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.bytes = 0;
  }
}
