import * as O from "../../../assembly/kernels/opcodes.js";
import { ValueError } from "../../core/errors.js";
import { relaxedWasmDelta, scalarWasmDelta, simdWasm } from "./binaries.js";
import { applyDelta, fromBase64, importSharedMemory, inflateRaw } from "./wasm-binary.js";
import { defaultThreadCount } from "./threads.js";

/** The kernel exports of assembly/index.ts. Pointers are byte addresses in the module's memory. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  set_scratch(p: number): void;
  scratch_bytes(): number;
  fused_f32(prog: number, nInstr: number, ins: number, nIn: number, outs: number, nOut: number, nScratch: number, table: number, work: number, n: number): void;
  unary_f32(op: number, x: number, out: number, n: number): void;
  unary_f64(op: number, x: number, out: number, n: number): void;
  unary_i32(op: number, x: number, out: number, n: number): void;
  binary_f32(op: number, a: number, sa: number, b: number, sb: number, out: number, n: number): void;
  binary_f64(op: number, a: number, sa: number, b: number, sb: number, out: number, n: number): void;
  binary_i32(op: number, unsigned: number, a: number, sa: number, b: number, sb: number, out: number, n: number): void;
  compare(op: number, ty: number, a: number, sa: number, b: number, sb: number, out: number, n: number): void;
  select(pred: number, sp: number, f: number, sf: number, t: number, st: number, out: number, n: number, esize: number): void;
  copy_strided(ndim: number, meta: number, src: number, dst: number, esize: number): void;
  fill(dst: number, n: number, esize: number, bits: bigint): void;
  reduce_f32(op: number, x: number, out: number, outer: number, len: number, inner: number): void;
  reduce_f64(op: number, x: number, out: number, outer: number, len: number, inner: number): void;
  reduce_i32(op: number, unsigned: number, x: number, out: number, outer: number, len: number, inner: number): void;
  argreduce_f32(op: number, x: number, out: number, outer: number, len: number, inner: number): void;
  scan_f32(op: number, x: number, out: number, outer: number, len: number, inner: number): void;
  softmax_f32(op: number, x: number, out: number, outer: number, len: number, inner: number, work: number): void;
  /** Batched f32 matmul with element strides (rows, cols, batch) for A and B; C contiguous. */
  matmul_f32(a: number, ars: number, acs: number, sa: number, b: number, brs: number, bcs: number, sb: number,
    c: number, batch: number, m: number, k: number, n: number, work: number): void;
  matmul_f32_workspace(m: number, k: number, n: number): number;
  /** Whole-B packing for the packed-B cache (lower-linalg.ts / packed-b.ts). */
  matmul_f32_packs(m: number, k: number, n: number): number;
  matmul_f32_packed_size(k: number, n: number): number;
  matmul_f32_pack_b(b: number, brs: number, bcs: number, sb: number, batch: number, k: number, n: number, dst: number): void;
  matmul_f32_prepacked(a: number, ars: number, acs: number, sa: number, b: number, brs: number, bcs: number, sb: number,
    bp: number, sbp: number, c: number, batch: number, m: number, k: number, n: number, work: number): void;
  matmul_f64(a: number, b: number, c: number, m: number, k: number, n: number): void;
  /** Benchmark probes (bench/): SIMD multiply-add peak, copy and read bandwidth. */
  roofline_peak_f32(iters: number): number;
  roofline_copy(dst: number, src: number, bytes: number): void;
  roofline_read(src: number, bytes: number): number;
  threefry2x32(k1: number, sk1: number, k2: number, sk2: number, x1: number, sx1: number, x2: number, sx2: number, out1: number, out2: number, n: number): void;
  erf_inv_f32(x: number, out: number, n: number): void;
  fma_f32(a: number, sa: number, b: number, sb: number, c: number, sc: number, out: number, n: number): void;
  fma_f64(a: number, sa: number, b: number, sb: number, c: number, sc: number, out: number, n: number): void;
}

// The smallest module that uses a v128 instruction: validates only where Wasm SIMD exists.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);
// The same with f32x4.relaxed_madd of three splats: validates only where relaxed SIMD exists.
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0,
  65, 0, 253, 15, 65, 0, 253, 15, 65, 0, 253, 15, 253, 133, 2, 11,
]);

function valid(probe: Uint8Array): boolean {
  try {
    return WebAssembly.validate(probe as BufferSource);
  } catch {
    return false;
  }
}

export const simdSupported = (): boolean => valid(SIMD_PROBE);
export const relaxedSimdSupported = (): boolean => valid(RELAXED_PROBE);

/**
 * The builds: scalar; SIMD; relaxed (SIMD whose matmul/conv register tile uses f32x4.relaxed_madd,
 * a fused multiply-add where the hardware has one, so float32 results round differently); and
 * either SIMD build over a shared memory for worker threads.
 */
export type WasmVariant = "simd" | "relaxed" | "scalar" | "threads" | "relaxed-threads";
const LEVELS = ["scalar", "simd", "relaxed"];

/**
 * The most a runtime's Wasm build may use, from TINYJAX_WASM (globalThis.TINYJAX_WASM set before
 * the import, or the environment variable where process.env exists): "scalar", "simd" (no relaxed
 * SIMD, e.g. for results bit-identical across machines) or "relaxed" (the default).
 */
function wasmLevel(): number {
  const g = globalThis as any;
  // Deno's process.env asks for env permission (a prompt, or an error): Deno users set the global.
  const want = g.TINYJAX_WASM ?? (g.Deno ? "" : g.process?.env?.TINYJAX_WASM);
  const level = want ? LEVELS.indexOf(want) : 2;
  if (level < 0) throw new ValueError(`TINYJAX_WASM=${want}: no such Wasm level; use ${LEVELS.join(", ")}.`);
  return level;
}

export interface LoadedKernels {
  exports: KernelExports;
  variant: WasmVariant;
  /** The compiled module and its memory, for worker threads (threaded variants only). */
  module?: WebAssembly.Module;
  memory: WebAssembly.Memory;
}

let simdBytes: Promise<Uint8Array> | null = null;
const compiled = new Map<WasmVariant, Promise<WebAssembly.Module>>();
const threaded = (v: WasmVariant) => v.endsWith("threads");

/** A build's bytes, decoded from the embedded SIMD build (see wasm-binary.ts). */
export async function wasmBytes(v: WasmVariant): Promise<Uint8Array> {
  simdBytes ??= inflateRaw(fromBase64(simdWasm));
  const simd = await simdBytes;
  if (v === "simd") return simd;
  if (v === "threads") return importSharedMemory(simd);
  const b = applyDelta(simd, await inflateRaw(fromBase64(v === "scalar" ? scalarWasmDelta : relaxedWasmDelta)));
  return v === "relaxed-threads" ? importSharedMemory(b) : b;
}

/**
 * Compiles one build (once per variant). Worker threads (threads.ts) get the compiled threads
 * module through LoadedKernels.module, or from here.
 */
export function compileVariant(v: WasmVariant): Promise<WebAssembly.Module> {
  let m = compiled.get(v);
  if (!m) {
    m = wasmBytes(v).then((bytes) => WebAssembly.compile(bytes as BufferSource));
    compiled.set(v, m);
  }
  return m;
}

/** A shared memory for an instance of the threads build (it imports its memory). */
export function sharedMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
}

/**
 * Instantiates the best build this runtime runs (up to TINYJAX_WASM's level): relaxed SIMD where
 * it validates, else SIMD, else scalar; a SIMD build over shared memory where worker threads can
 * share it (SharedArrayBuffer, and cross-origin isolation in browsers).
 */
export async function loadKernels(variant?: WasmVariant): Promise<LoadedKernels> {
  const level = variant ? 0 : wasmLevel();
  const simd = level > 0 && simdSupported(), relaxed = simd && level > 1 && relaxedSimdSupported();
  const v: WasmVariant = variant ?? (simd && defaultThreadCount() > 1 ? (relaxed ? "relaxed-threads" : "threads") : relaxed ? "relaxed" : simd ? "simd" : "scalar");
  const module = await compileVariant(v);
  const env: Record<string, unknown> = { abort: wasmAbort };
  let memory: WebAssembly.Memory | undefined;
  if (threaded(v)) env.memory = memory = sharedMemory();
  const instance = await WebAssembly.instantiate(module, { env } as WebAssembly.Imports);
  if (!memory) memory = (instance.exports as unknown as KernelExports).memory;
  const raw = { ...instance.exports, memory } as unknown as KernelExports;
  // A second instance of the same module, on its own small memory, for warming kernels up (below).
  const spareEnv: Record<string, unknown> = { abort: wasmAbort };
  if (threaded(v)) spareEnv.memory = sharedMemory();
  const spareExports = (await WebAssembly.instantiate(module, { env: spareEnv } as WebAssembly.Imports)).exports;
  const spare = { ...spareExports, memory: spareEnv.memory ?? spareExports.memory } as unknown as KernelExports;
  return { exports: warmOnFirstLargeCall(raw, spare), variant: v, module: threaded(v) ? module : undefined, memory };
}

// ------------------------------------------------------------------ warm-up

/**
 * V8 starts Wasm in its baseline compiler (Liftoff, several times slower for SIMD) and recompiles
 * a function with TurboFan, in the background, once it has used up a call/loop budget; a call
 * never switches tiers midway, so a first large call of a kernel would run at baseline speed.
 * Warming every kernel at import cost ~30 ms of the cold start, so each hot kernel is warmed
 * just before its first large call instead: it runs a few times on small inputs in a spare
 * instance of the same module (compiled code is shared between instances, memory is not, so the
 * arrays in the real memory are never touched). A first small call needs no warm-up.
 */
const LARGE = 1 << 15; // elements (or multiply-adds for matmul)

type Kernel = keyof KernelExports;
/** How much work a call does, from its arguments. */
const work: Partial<Record<Kernel, (a: number[], k: KernelExports) => number>> = {
  unary_f32: (a) => a[3],
  binary_f32: (a) => a[6],
  reduce_f32: (a) => a[3] * a[4] * a[5],
  matmul_f32: (a) => a[9] * a[10] * a[11] * a[12],
  softmax_f32: (a) => a[3] * a[4] * a[5],
  copy_strided: (a, k) => new Int32Array(k.memory.buffer, a[1], a[0]).reduce((p, d) => p * d, 1),
};

/** Small calls that use up each kernel's tier-up budget (x, y: 1024 floats, z: out, w: workspace). */
const warmers: Partial<Record<Kernel, (k: KernelExports, x: number, y: number, z: number, w: number, meta: number) => void>> = {
  unary_f32: (k, x, _y, z) => { for (const op of [O.EXP, O.LOG, O.TANH, O.ERF, O.LOGISTIC, O.NEG, O.SQRT]) k.unary_f32(op, x, z, 1024); },
  binary_f32: (k, x, y, z) => {
    for (const op of [O.ADD, O.SUB, O.MUL, O.DIV, O.MAX]) {
      k.binary_f32(op, x, 1, y, 1, z, 1024);
      k.binary_f32(op, x, 1, y, 0, z, 1024);
    }
  },
  reduce_f32: (k, x, _y, z) => {
    k.reduce_f32(O.R_SUM, x, z, 1, 1024, 1);
    k.reduce_f32(O.R_MAX, x, z, 1, 1024, 1);
    k.reduce_f32(O.R_SUM, x, z, 1, 128, 8);
    k.reduce_f32(O.R_MAX, x, z, 1, 128, 8);
  },
  softmax_f32: (k, x, _y, z, w) => k.softmax_f32(0, x, z, 4, 256, 1, w),
  // 32 x 32 matmul, plain and with B transposed.
  matmul_f32: (k, x, y, z, w) => {
    k.matmul_f32(x, 32, 1, 0, y, 32, 1, 0, z, 1, 32, 32, 32, w);
    k.matmul_f32(x, 32, 1, 0, y, 1, 32, 0, z, 1, 32, 32, 32, w);
  },
  // 32 x 32 transpose through the tiled strided copy.
  copy_strided: (k, x, _y, z, _w, meta) => k.copy_strided(2, meta, x, z, 4),
};

const ROUNDS = 40;

function warm(spare: KernelExports, name: Kernel): void {
  const n = 1024, x = (spare.heapBase() + 63) & ~63, y = x + 4 * n, z = y + 4 * n, w = z + 4 * n, meta = w + 4 * 4 * n;
  if (spare.memory.buffer.byteLength < meta + 64) return;
  new Float32Array(spare.memory.buffer, x, 2 * n).fill(0.5);
  new Int32Array(spare.memory.buffer, meta, 8).set([32, 32, 1, 32, 32, 1, 0, 0]);
  const f = warmers[name]!;
  for (let r = 0; r < ROUNDS; r++) f(spare, x, y, z, w, meta);
}

/** The kernel exports, with each hot kernel warmed in `spare` before its first large call. */
function warmOnFirstLargeCall(k: KernelExports, spare: KernelExports): KernelExports {
  const out = { ...k };
  for (const name of Object.keys(work) as Kernel[]) {
    const fn = k[name] as unknown as (...a: number[]) => void, size = work[name]!;
    (out as any)[name] = (...a: number[]) => {
      if (size(a, k) >= LARGE) {
        warm(spare, name);
        (out as any)[name] = fn;
      }
      return fn(...a);
    };
  }
  return out;
}

function wasmAbort(): never {
  throw new Error("tinyjax: a wasm kernel aborted; this is a bug in tinyjax, please report it");
}
