/// <reference types="@webgpu/types" />
// The WebGPU backend. Every operation is recorded in order into one open command encoder (one
// compute pass for runs of dispatches), which is submitted when something needs the results (a
// read, a host fallback), every MAX_BATCH dispatches, or at the end of the current JS task (a
// microtask): a jitted program, or a synchronous loop of eager ops, becomes one submission.
//
// Ordering: buffers freed by arrays go back to the pool at the next submission, so a buffer handed
// out for host data is never referenced by unsubmitted commands and may be written at once
// (queue.writeBuffer runs before the open command buffer). Until then they are reused as outputs of
// later kernels in the same command buffer, whose commands run in order: memory is recycled within
// a synchronous loop too.
// A primitive that has no shader for its dtypes (float64, which WGSL lacks) runs its reference
// implementation on the host: its inputs are read back asynchronously, and until its outputs are
// written every later operation (dispatch, write, free, read) waits in a queue, in order.
import { ShapedArray } from "../core/aval.js";
import { itemSize, TypedArray, typedArrayFor } from "../core/dtype.js";
import { DeviceError, OutOfMemoryError } from "../core/errors.js";
import { Primitive } from "../core/primitive.js";
import { Backend, DeviceBuffer, KernelArg, MemoryStats, retain } from "../backend/backend.js";
import type { FusedPlan } from "../jit/fusion.js";
import { BufferPool, GpuBuffer, gpuItemSize, MAP_READ, sizeClass, USAGE } from "./buffers.js";
import type { GpuContext, GpuLimits } from "./device.js";
import { runFusedPlan } from "./fused.js";
import { GpuArg, GpuCtx, lowerings } from "./lowerings.js";
import { Kernel, META_SLOTS } from "./wgsl/builder.js";

const ALIASING = new Set(["reshape", "stop_gradient"]);

/**
 * Primitives with no shader, which always run their reference implementation on the host (a
 * stopgap; see onHost): none. Any primitive with a float64 operand or result runs there too (WGSL
 * has no f64), as do sort with more keys than the storage-buffer limit allows and dot_general on
 * bool or beyond the workgroup-count limits.
 */
export const HOST_ONLY: string[] = [];
/** Dispatches per command buffer before it is submitted anyway. */
const MAX_BATCH = 1024;
/** Arrays written from the host up to this size keep a host copy, so dataSync() works on them. */
const SHADOW_BYTES = 4096;
const META_BYTES = META_SLOTS * 4;

interface PipelineEntry { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout }

export interface GpuStats {
  dispatches: number;
  submits: number;
  pipelines: number;
  /** Primitives that ran their reference implementation on the host, with counts. */
  hostFallbacks: Record<string, number>;
  fusedKernels: number;
}

export class WebGpuBackend implements Backend, GpuCtx {
  readonly name = "webgpu";
  readonly context: GpuContext;
  readonly device: GPUDevice;
  readonly limits: GpuLimits;
  readonly description: string;
  readonly pool: BufferPool;
  readonly counters: GpuStats = { dispatches: 0, submits: 0, pipelines: 0, hostFallbacks: {}, fusedKernels: 0 };

  private nextHandle = 1;
  private liveBytes = 0;
  private liveBuffers = 0;
  private gpuBytes = 0;
  private readonly pipelines = new Map<string, PipelineEntry>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private batched = 0;
  private flushScheduled = false;
  /** Freed since the last submission, by size: reusable only by kernels recorded after the free. */
  private pendingFree = new Map<number, GPUBuffer[]>();
  private metaFree: GPUBuffer[] = [];
  private metaUsed: GPUBuffer[] = [];
  /** Upload buffers of the open command buffer, destroyed once it is submitted. */
  private stagingUsed: GPUBuffer[] = [];
  private pendingMaps: (() => void)[] = [];
  /** A host step is in flight: operations wait in `waiting`. */
  private busy = false;
  private readonly waiting: (() => void)[] = [];
  private deferredError: Error | null = null;

  constructor(ctx: GpuContext) {
    this.context = ctx;
    this.device = ctx.device;
    this.limits = ctx.limits;
    this.description = ctx.description;
    this.pool = new BufferPool(Math.min(1 << 30, ctx.limits.maxBufferSize));
    this.device.addEventListener("uncapturederror", (ev) => {
      const msg = (ev as GPUUncapturedErrorEvent).error.message;
      this.deferredError ??= new DeviceError(`WebGPU reported an error: ${msg}`);
    });
  }

  // ---- memory

  alloc(nbytes: number): DeviceBuffer {
    this.checkSize(nbytes, `an array of ${nbytes} bytes`);
    this.liveBytes += nbytes;
    this.liveBuffers++;
    return new GpuBuffer(this, nbytes, this.nextHandle++);
  }

  /** A buffer for an array of `aval`, with its GPU memory. */
  allocFor(aval: ShapedArray): GpuBuffer {
    this.checkSize(aval.size * gpuItemSize(aval.dtype), `an array ${aval.str()}`);
    const b = this.alloc(aval.size * itemSize[aval.dtype]) as GpuBuffer;
    this.materialize(b, aval.size * gpuItemSize(aval.dtype), aval.str(), true);
    return b;
  }

  temp(aval: ShapedArray): GpuBuffer { return this.allocFor(aval); }
  release(buf: GpuBuffer): void { this.free(buf); }

  private checkSize(bytes: number, what: string): void {
    const l = this.limits;
    if (bytes > l.maxStorageBufferBindingSize) {
      throw new OutOfMemoryError(`webgpu: ${what} needs ${bytes} bytes on the GPU, more than this adapter's ` +
        `maxStorageBufferBindingSize (${l.maxStorageBufferBindingSize} bytes), the most one shader can address. ` +
        `Split the array, or keep it on the "wasm" device.`);
    }
    if (bytes > l.maxBufferSize) {
      throw new OutOfMemoryError(`webgpu: ${what} needs ${bytes} bytes, more than this adapter's maxBufferSize ` +
        `(${l.maxBufferSize} bytes). Split the array, or keep it on the "wasm" device.`);
    }
  }

  /**
   * Gives `b` its GPUBuffer of at least `bytes` (once). `forKernel`: it will first be written by a
   * kernel recorded from now on (not by the host), so a buffer freed in the open command buffer will do.
   */
  materialize(b: GpuBuffer, bytes: number, what = "an array", forKernel = false): GPUBuffer {
    if (b.gpu) return b.gpu;
    this.checkSize(bytes, what);
    const size = Math.min(sizeClass(bytes), Math.max(256, this.limits.maxBufferSize));
    const recycled = forKernel && !this.busy ? this.pendingFree.get(size)?.pop() : undefined;
    b.gpu = recycled ?? this.pool.take(size) ?? this.device.createBuffer({ size, usage: USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST });
    this.gpuBytes += b.gpu.size;
    return b.gpu;
  }

  free(buf: DeviceBuffer): void {
    const b = buf as GpuBuffer;
    this.liveBytes -= b.nbytes;
    this.liveBuffers--;
    b.host = null;
    const g = b.gpu;
    if (!g) return;
    b.gpu = null;
    this.gpuBytes -= g.size;
    this.run(() => {
      let list = this.pendingFree.get(g.size);
      if (!list) this.pendingFree.set(g.size, (list = []));
      list.push(g);
    });
  }

  write(buf: DeviceBuffer, data: TypedArray): void {
    const b = buf as GpuBuffer;
    const words = data instanceof Uint8Array ? Uint32Array.from(data) : data;
    if (data.byteLength <= SHADOW_BYTES) b.host = data.slice();
    // A buffer freed in the open command buffer is written by a copy recorded after its last use;
    // any other buffer directly (queue.writeBuffer runs before the open command buffer).
    const size = Math.min(sizeClass(words.byteLength), Math.max(256, this.limits.maxBufferSize));
    const recycled = !b.gpu && !this.busy ? this.pendingFree.get(size)?.pop() : undefined;
    if (recycled) {
      this.checkSize(words.byteLength, "an array");
      b.gpu = recycled;
      this.gpuBytes += recycled.size;
      if (words.byteLength === 0) return;
      const staging = this.device.createBuffer({ size: Math.ceil(words.byteLength / 4) * 4, usage: USAGE.COPY_SRC, mappedAtCreation: true });
      new Uint8Array(staging.getMappedRange()).set(new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
      staging.unmap();
      const enc = this.commandEncoder();
      this.endPass();
      enc.copyBufferToBuffer(staging, 0, recycled, 0, staging.size);
      this.stagingUsed.push(staging);
      return;
    }
    this.materialize(b, words.byteLength);
    if (words.byteLength === 0) return;
    const g = b.gpu!;
    const copy = this.busy && words === data ? data.slice() : words;
    this.run(() => this.device.queue.writeBuffer(g, 0, copy.buffer, copy.byteOffset, copy.byteLength));
  }

  canReadSync(buf: DeviceBuffer): boolean {
    return !!(buf as GpuBuffer).host;
  }

  readSync(buf: DeviceBuffer, aval: ShapedArray): TypedArray {
    const b = buf as GpuBuffer;
    if (b.host) return b.host.slice();
    throw new DeviceError(`Reading a ${aval.str()} array on the webgpu device synchronously (dataSync, item, toArray, ` +
      `toString, or control flow on its value) is not possible: WebGPU only reads asynchronously. Use ` +
      `\`await x.data()\` or \`await x.toArrayAsync()\`, or move it first with \`await devicePutAsync(x, "wasm")\`.`);
  }

  read(buf: DeviceBuffer, aval: ShapedArray): Promise<TypedArray> {
    const b = buf as GpuBuffer;
    if (this.deferredError) return Promise.reject(this.takeError());
    if (b.host) return Promise.resolve(b.host.slice());
    const g = b.gpu!;
    return new Promise<TypedArray>((resolve, reject) => {
      this.run(() => {
        const p = this.encodeRead(g, aval);
        this.flush();
        p.then((d) => (this.deferredError ? reject(this.takeError()) : resolve(d)), reject);
      });
    });
  }

  private takeError(): Error {
    const e = this.deferredError!;
    this.deferredError = null;
    return e;
  }

  /** Copies `b` to a mappable buffer in the open encoder; resolves after the next flush. */
  private encodeRead(g: GPUBuffer, aval: ShapedArray): Promise<TypedArray> {
    const bytes = Math.max(4, aval.size * gpuItemSize(aval.dtype));
    const staging = this.device.createBuffer({ size: Math.ceil(bytes / 4) * 4, usage: USAGE.MAP_READ | USAGE.COPY_DST });
    const enc = this.commandEncoder();
    this.endPass();
    if (aval.size > 0) enc.copyBufferToBuffer(g, 0, staging, 0, staging.size);
    return new Promise<TypedArray>((resolve, reject) => {
      this.pendingMaps.push(() => {
        staging.mapAsync(MAP_READ).then(() => {
          const raw = staging.getMappedRange().slice(0, aval.size * gpuItemSize(aval.dtype));
          staging.unmap();
          staging.destroy();
          if (aval.dtype === "bool") resolve(Uint8Array.from(new Uint32Array(raw)));
          else resolve(new (typedArrayFor(aval.dtype))(raw, 0, aval.size));
        }, reject);
      });
    });
  }

  stats(): MemoryStats {
    return { liveBytes: this.liveBytes, liveBuffers: this.liveBuffers, reservedBytes: this.gpuBytes + this.pool.bytes };
  }

  // ---- ordering

  /** Runs `op` now, or after the host step in flight. */
  private run(op: () => void): void {
    if (this.busy) this.waiting.push(op);
    else op();
  }

  private drain(): void {
    while (!this.busy && this.waiting.length) this.waiting.shift()!();
  }

  private commandEncoder(): GPUCommandEncoder {
    if (!this.encoder) {
      this.encoder = this.device.createCommandEncoder();
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        queueMicrotask(() => { this.flushScheduled = false; if (!this.busy) this.flush(); });
      }
    }
    return this.encoder;
  }

  private endPass(): void {
    if (this.pass) { this.pass.end(); this.pass = null; }
  }

  /** Submits everything recorded so far and recycles what it freed. */
  flush(): void {
    this.endPass();
    if (this.encoder) {
      this.device.queue.submit([this.encoder.finish()]);
      this.encoder = null;
      this.counters.submits++;
    }
    this.batched = 0;
    for (const list of this.pendingFree.values()) for (const g of list) this.pool.put(g);
    this.pendingFree.clear();
    this.metaFree.push(...this.metaUsed);
    this.metaUsed = [];
    for (const st of this.stagingUsed) st.destroy();
    this.stagingUsed = [];
    const maps = this.pendingMaps;
    this.pendingMaps = [];
    for (const m of maps) m();
  }

  /** Waits until the GPU has finished everything submitted so far. */
  async sync(): Promise<void> {
    await new Promise<void>((resolve) => this.run(() => { this.flush(); resolve(); }));
    await this.device.queue.onSubmittedWorkDone();
    if (this.deferredError) throw this.takeError();
  }

  // ---- kernels

  private pipeline(k: Kernel): PipelineEntry {
    let p = this.pipelines.get(k.key);
    if (p) return p;
    const access = k.access;
    let layout = this.layouts.get(access);
    if (!layout) {
      layout = this.device.createBindGroupLayout({
        entries: [
          { binding: 0, visibility: 4 /* COMPUTE */, buffer: { type: "uniform" } },
          ...[...access].map((a, i) => ({
            binding: i + 1, visibility: 4, buffer: { type: (a === "w" ? "storage" : "read-only-storage") as GPUBufferBindingType },
          })),
        ],
      });
      this.layouts.set(access, layout);
    }
    const module = this.device.createShaderModule({ code: k.source() });
    // Compilation errors are reported asynchronously; surface them (naming the kernel) at the next read.
    module.getCompilationInfo?.().then((info) => {
      const errors = info.messages.filter((msg) => msg.type === "error");
      if (errors.length) {
        this.deferredError ??= new DeviceError(`webgpu: kernel ${k.key} failed to compile: ` +
          errors.map((e) => `${e.lineNum}:${e.linePos} ${e.message}`).join("; "));
      }
    }, () => {});
    const pipeline = this.device.createComputePipeline({
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: "main" },
    });
    this.counters.pipelines++;
    p = { pipeline, layout };
    this.pipelines.set(k.key, p);
    return p;
  }

  /** Workgroup counts for `threads` invocations in groups of `wg`, over x and y. */
  grid(threads: number, wg: number): [number, number, number] {
    const groups = Math.ceil(threads / wg);
    const max = this.limits.maxComputeWorkgroupsPerDimension;
    const x = Math.min(groups, max), y = Math.ceil(groups / x);
    if (y > max) {
      throw new DeviceError(`webgpu: ${threads} invocations need ${groups} workgroups of ${wg}, more than ` +
        `maxComputeWorkgroupsPerDimension^2 (${max}^2) allows.`);
    }
    return [x, y, 1];
  }

  dispatch(k: Kernel, bufs: GpuBuffer[], meta: ArrayLike<number>, groups: [number, number, number]): void {
    if (groups[0] * groups[1] * groups[2] === 0) return;
    if (meta.length > META_SLOTS) throw new DeviceError(`webgpu: kernel ${k.key} has ${meta.length} parameters, more than ${META_SLOTS}.`);
    if (bufs.length > this.limits.maxStorageBuffersPerShaderStage) {
      throw new DeviceError(`webgpu: kernel ${k.key} binds ${bufs.length} storage buffers, more than this adapter's ` +
        `maxStorageBuffersPerShaderStage (${this.limits.maxStorageBuffersPerShaderStage}).`);
    }
    const gpus = bufs.map((b) => b.gpu!);
    const words = new Uint32Array(Math.max(4, Math.ceil(meta.length / 4) * 4));
    for (let j = 0; j < meta.length; j++) words[j] = meta[j] >>> 0;
    this.run(() => {
      const p = this.pipeline(k);
      const mb = this.metaFree.pop() ?? this.device.createBuffer({ size: META_BYTES, usage: USAGE.UNIFORM | USAGE.COPY_DST });
      this.metaUsed.push(mb);
      this.device.queue.writeBuffer(mb, 0, words);
      const bg = this.device.createBindGroup({
        layout: p.layout,
        entries: [{ binding: 0, resource: { buffer: mb } }, ...gpus.map((g, j) => ({ binding: j + 1, resource: { buffer: g } }))],
      });
      const enc = this.commandEncoder();
      if (!this.pass) this.pass = enc.beginComputePass();
      this.pass.setPipeline(p.pipeline);
      this.pass.setBindGroup(0, bg);
      this.pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
      this.counters.dispatches++;
      if (++this.batched >= MAX_BATCH) this.flush();
    });
  }

  // ---- primitives

  execute(prim: Primitive, params: any, ins: KernelArg[], outAvals: ShapedArray[]): DeviceBuffer[] {
    this.checkOwned(prim.name, ins.map((a) => a.buf));
    if (ALIASING.has(prim.name)) return [retain(ins[0].buf)];
    const args = ins as GpuArg[];
    if (outAvals.every((a) => a.size <= 1) && args.every((a) => a.buf.host)) return this.scalarOnHost(prim, params, args, outAvals);
    const outs: GpuArg[] = outAvals.map((aval) => ({ buf: this.allocFor(aval), aval }));
    try {
      const lower = lowerings[prim.name];
      const f64 = args.some((a) => a.aval.dtype === "float64") || outs.some((o) => o.aval.dtype === "float64");
      if (!lower || (f64 && !lower.float64) || !lower(this, args, outs, params)) this.onHost(prim, params, args, outs);
    } catch (e) {
      for (const o of outs) this.free(o.buf);
      throw e;
    }
    return outs.map((o) => o.buf);
  }

  /**
   * Scalar results of operands whose values the host knows (uploaded, or computed here) are computed
   * on the host, synchronously, and keep host copies: a kernel launch costs more than the math, and
   * control flow (cond, while, fori loops) can read predicates and counters derived from host values.
   */
  private scalarOnHost(prim: Primitive, params: any, args: GpuArg[], outAvals: ShapedArray[]): DeviceBuffer[] {
    const host = outAvals.map((aval) => ({ data: new (typedArrayFor(aval.dtype))(aval.size), aval }));
    prim.rules.reference(args.map((a) => ({ data: a.buf.host!, aval: a.aval })), host, params);
    return host.map((h) => {
      const b = this.alloc(h.data.byteLength);
      this.write(b, h.data);
      return b;
    });
  }

  /** Runs the primitive's reference implementation on host copies of its inputs (see the top). */
  private onHost(prim: Primitive, params: any, ins: GpuArg[], outs: GpuArg[]): void {
    this.counters.hostFallbacks[prim.name] = (this.counters.hostFallbacks[prim.name] ?? 0) + 1;
    const inGpu = ins.map((a) => a.buf.gpu!), outGpu = outs.map((o) => o.buf.gpu!);
    this.run(() => {
      this.busy = true;
      const reads = ins.map((a, i) => this.encodeRead(inGpu[i], a.aval));
      this.flush();
      Promise.all(reads).then((datas) => {
        const host = outs.map((o) => ({ data: new (typedArrayFor(o.aval.dtype))(o.aval.size), aval: o.aval }));
        prim.rules.reference(ins.map((a, i) => ({ data: datas[i], aval: a.aval })), host, params);
        host.forEach((h, i) => {
          const w = h.data instanceof Uint8Array ? Uint32Array.from(h.data) : h.data;
          if (w.byteLength) this.device.queue.writeBuffer(outGpu[i], 0, w.buffer, w.byteOffset, w.byteLength);
        });
      }).catch((e) => {
        this.deferredError ??= e instanceof Error ? e : new DeviceError(String(e));
      }).finally(() => {
        this.busy = false;
        this.drain();
      });
    });
  }

  /** Operands from another backend reach here only through a jitted program reused across devices. */
  private checkOwned(op: string, bufs: DeviceBuffer[]): void {
    const other = bufs.find((b) => b.backend !== this);
    if (other) {
      throw new DeviceError(`webgpu: ${op} got an operand on the ${other.backend.name} device. Operands must live on ` +
        `one device: move them with devicePut. A jitted function called on arrays of another device than its first ` +
        `call does this (its compiled program keeps constants on the first device): make one jit(f) per device.`);
    }
  }

  runFused(plan: FusedPlan, ins: DeviceBuffer[], outs: DeviceBuffer[]): void {
    this.checkOwned("a fused jit kernel", ins);
    for (const o of outs) this.materialize(o as GpuBuffer, plan.n * 4, "a fused result", true);
    runFusedPlan(this, plan, ins as GpuBuffer[], outs as GpuBuffer[]);
  }

  /** Destroys pooled buffers (memory held for reuse). */
  trim(): void {
    this.run(() => { this.flush(); this.pool.drain(); });
  }
}
