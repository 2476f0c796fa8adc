import { ShapedArray } from "../../core/aval.js";
import { itemSize, TypedArray, typedArrayFor } from "../../core/dtype.js";
import { Primitive } from "../../core/primitive.js";
import { Backend, DeviceBuffer, KernelArg, MemoryStats, retain } from "../backend.js";
import { WasmAllocator } from "./allocator.js";
import { lowerings, WasmContext } from "./lowerings.js";
import { packedBIfAny } from "./packed-b.js";
import { OutOfMemoryError } from "../../core/errors.js";
import { KernelExports, WasmVariant } from "./module.js";
import { defaultThreadCount, ThreadPool, WorkerStartError } from "./threads.js";
import type { FusedPlan } from "../../jit/fusion.js";

const SCRATCH_BYTES = 4096;
const PRESSURE_STEP = 64 << 20;
/** Primitives whose output is their input's buffer. */
export const ALIASING = new Set(["reshape", "stop_gradient"]);
/** Floats per tile in assembly/kernels/fused.ts. */
const FUSED_TILE = 512;
/** Elements from which a fused group splits over threads (as elementwise ops do). */
const FUSED_PARALLEL_MIN = 1 << 18;

/**
 * Arrays in one WebAssembly.Memory, run by AssemblyScript kernels. Primitives without a kernel (or
 * a dtype the kernel lacks) run their plain-TS reference implementation on views of the same memory,
 * so data never leaves Wasm memory.
 */
export class WasmBackend implements Backend, WasmContext {
  readonly name = "wasm";
  readonly allocator: WasmAllocator;
  private u8!: Uint8Array;
  private i32!: Int32Array;
  private readonly scratch: number;
  private sincePressure = 0;

  /** Threads kernels may use (1 unless this is the shared-memory build). */
  private threads: number;
  private pool: ThreadPool | null = null;

  constructor(readonly k: KernelExports, readonly variant: WasmVariant, private readonly module?: WebAssembly.Module) {
    this.allocator = new WasmAllocator(k.memory, k.heapBase(), () => this.refreshViews());
    this.refreshViews();
    this.scratch = this.allocator.alloc(SCRATCH_BYTES);
    this.threads = module ? defaultThreadCount() : 1;
  }

  get numThreads(): number { return this.threads; }

  /** Sets the threads kernels may use (capped at 1 without the shared-memory build). */
  setNumThreads(n: number): void {
    const t = this.module ? Math.max(1, Math.floor(n)) : 1;
    if (this.pool && this.pool.size !== t) {
      this.pool.terminate();
      this.pool = null;
    }
    this.threads = t;
  }

  /**
   * Runs kernel `name` once per piece of arguments, spread over the worker threads (the first
   * piece on this thread). Returns false (running nothing) when there is only one thread.
   */
  parallel(name: keyof KernelExports, pieces: number[][]): boolean {
    if (this.threads < 2 || pieces.length < 2 || !this.module) return false;
    const fn = (this.k as any)[name] as (...a: number[]) => void;
    try {
      this.workerPool()!.run(name as string, pieces, (args) => fn(...args));
    } catch (e) {
      if (!(e instanceof WorkerStartError)) throw e;
      // Workers are unavailable here: run single-threaded from now on.
      this.pool?.terminate();
      this.pool = null;
      this.threads = 1;
      return false;
    }
    return true;
  }

  /**
   * The worker pool (started on first use, restarted after a failure left it broken), or null
   * without the shared-memory build or with one thread. Throws WorkerStartError where workers
   * cannot start.
   */
  workerPool(): ThreadPool | null {
    if (this.threads < 2 || !this.module) return null;
    if (this.pool?.broken) this.pool = null;
    if (!this.pool) {
      const names = Object.keys(this.k).filter((n) => typeof (this.k as any)[n] === "function");
      this.pool = new ThreadPool(this.module, this.k.memory, this.threads, (bytes) => this.allocator.alloc(bytes), names, this.k.scratch_bytes());
    }
    return this.pool;
  }

  /** After workers turned out unavailable: run single-threaded from now on. */
  disableThreads(): void {
    this.pool?.terminate();
    this.pool = null;
    this.threads = 1;
  }

  private refreshViews(): void {
    this.u8 = new Uint8Array(this.k.memory.buffer);
    this.i32 = new Int32Array(this.k.memory.buffer);
  }

  alloc(nbytes: number): DeviceBuffer {
    const buf: DeviceBuffer & { pressure?: ArrayBuffer } = { backend: this, nbytes, handle: this.reserve(nbytes), refs: 1 };
    // V8 cannot see Wasm memory, so garbage arrays would pile up between rare major GCs. Once live
    // bytes have grown by PRESSURE_STEP since the last such point, the next array carries an
    // untouched ArrayBuffer of that size, which V8 counts as external memory and collects in
    // proportion to (above malloc's mmap threshold, so it is never zeroed or even backed by
    // pages). Frees count against the growth, so a loop that frees what it makes (tidy, dispose)
    // adds no external memory and triggers no collections: counting allocations instead gave every
    // add of 16M floats in a tidy loop a fresh 64 MiB ArrayBuffer and a major GC.
    if (this.sincePressure >= PRESSURE_STEP) {
      buf.pressure = new ArrayBuffer(this.sincePressure);
      this.sincePressure = 0;
    }
    this.sincePressure += nbytes;
    return buf;
  }

  /** Allocator memory for `nbytes`; when it runs out, cached packed matmul operands go first. */
  private reserve(nbytes: number): number {
    try {
      return this.allocator.alloc(nbytes);
    } catch (e) {
      const cache = packedBIfAny(this);
      if (!(e instanceof OutOfMemoryError) || !cache?.blocks) throw e;
      cache.clear();
      return this.allocator.alloc(nbytes);
    }
  }

  free(buf: DeviceBuffer): void {
    packedBIfAny(this)?.drop(buf);
    this.allocator.release(buf.handle, buf.nbytes);
    this.sincePressure = Math.max(0, this.sincePressure - buf.nbytes);
  }

  /** A typed view of `n` elements at byte address `ptr`, valid until the next allocation. */
  view(ptr: number, aval: ShapedArray): TypedArray {
    if (this.u8.byteLength === 0) this.refreshViews();
    const C = typedArrayFor(aval.dtype);
    return new C(this.k.memory.buffer, ptr, aval.size);
  }

  write(buf: DeviceBuffer, data: TypedArray): void {
    if (this.u8.byteLength === 0) this.refreshViews();
    this.u8.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), buf.handle);
  }

  readSync(buf: DeviceBuffer, aval: ShapedArray): TypedArray {
    return this.view(buf.handle, aval).slice();
  }

  async read(buf: DeviceBuffer, aval: ShapedArray): Promise<TypedArray> {
    return this.readSync(buf, aval);
  }

  /** Writes small integer arguments (shapes, strides) to scratch memory and returns their address. */
  meta(ints: readonly number[], extra = 0): number {
    if ((ints.length + extra) * 4 > SCRATCH_BYTES) throw new RangeError("tinyjax: too many dimensions for a wasm kernel");
    if (this.u8.byteLength === 0) this.refreshViews();
    this.i32.set(ints, this.scratch >>> 2);
    return this.scratch;
  }

  execute(prim: Primitive, params: any, ins: KernelArg[], outAvals: ShapedArray[]): DeviceBuffer[] {
    // Arrays are immutable, so a reshape (or stop_gradient) can share its input's memory.
    if (ALIASING.has(prim.name)) return [retain(ins[0].buf)];
    const outs = outAvals.map((aval) => ({ buf: this.alloc(aval.size * itemSize[aval.dtype]), aval }));
    try {
      const lower = lowerings[prim.name];
      if (!lower || !lower(this, ins, outs, params)) {
        // Views are made after every allocation above, so none is stale.
        const host = (a: KernelArg) => ({ data: this.view(a.buf.handle, a.aval), aval: a.aval });
        prim.rules.reference(ins.map(host), outs.map(host), params);
      }
    } catch (e) {
      for (const o of outs) this.free(o.buf);
      throw e;
    }
    return outs.map((o) => o.buf);
  }

  /**
   * Runs a fused group. pmap's recorder calls this with its per-device context as `this` (so it
   * records the same calls): that path must use only the WasmContext API (k, meta, alloc, free).
   */
  runFused(plan: FusedPlan, ins: DeviceBuffer[], outs: DeviceBuffer[]): void {
    const nIn = ins.length, nOut = outs.length, n = plan.n;
    const nSlots = nIn + nOut + plan.nScratch;
    const tiles = (nIn + plan.nScratch) * FUSED_TILE * 4;
    const parts = this.threads >= 2 && this.module && n >= FUSED_PARALLEL_MIN ? this.threads : 1;
    if (parts < 2) {
      const ints = [...plan.prog];
      ins.forEach((b, i) => ints.push(b.handle, plan.strides[i]));
      outs.forEach((b) => ints.push(b.handle));
      const meta = this.meta(ints);
      const tmp = this.alloc(nSlots * 4 + 64 + tiles);
      try {
        const table = tmp.handle, work = tmp.handle + Math.ceil((nSlots * 4) / 64) * 64 + 64;
        this.k.fused_f32(meta, plan.nInstr, meta + plan.prog.length * 4, nIn, meta + (plan.prog.length + 2 * nIn) * 4,
          nOut, plan.nScratch, table, work, n);
      } finally {
        this.free(tmp);
      }
      return;
    }
    // Large groups split into contiguous ranges, one per thread, each with its own argument block,
    // slot table and tiles (elementwise, so the split changes no result bit).
    const chunk = Math.ceil(n / parts / FUSED_TILE) * FUSED_TILE;
    const starts: number[] = [];
    for (let s = 0; s < n; s += chunk) starts.push(s);
    const align = (b: number) => Math.ceil(b / 64) * 64;
    const argBytes = align((plan.prog.length + 2 * nIn + nOut) * 4), tableBytes = align(nSlots * 4) + 64;
    const per = argBytes + tableBytes + tiles;
    const tmp = this.alloc(per * starts.length);
    try {
      // A fresh view: shared memory grows without detaching old views, which keep their old length.
      const i32 = new Int32Array(this.k.memory.buffer);
      const pieces = starts.map((s, r) => {
        const args = tmp.handle + r * per, table = args + argBytes, work = table + tableBytes;
        const ints = [...plan.prog];
        ins.forEach((b, i) => ints.push(b.handle + (plan.strides[i] ? 4 * s : 0), plan.strides[i]));
        outs.forEach((b) => ints.push(b.handle + 4 * s));
        i32.set(ints, args >>> 2);
        return [args, plan.nInstr, args + plan.prog.length * 4, nIn, args + (plan.prog.length + 2 * nIn) * 4,
          nOut, plan.nScratch, table, work, Math.min(chunk, n - s)];
      });
      if (!this.parallel("fused_f32", pieces)) {
        for (const p of pieces) (this.k.fused_f32 as (...a: number[]) => void)(...p);
      }
    } finally {
      this.free(tmp);
    }
  }

  stats(): MemoryStats {
    // Packed matmul operands (packed-b.ts) belong to their arrays and go with them: not counted.
    const cache = packedBIfAny(this);
    return {
      liveBytes: this.allocator.liveBytes - (cache?.bytes ?? 0),
      liveBuffers: this.allocator.liveBlocks - (cache?.blocks ?? 0),
      reservedBytes: this.allocator.reservedBytes,
    };
  }
}
