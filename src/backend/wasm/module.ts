import * as O from "../../../assembly/kernels/opcodes.js";
import { scalarWasm, simdWasm, threadsWasm } from "./binaries.js";
import { defaultThreadCount } from "./threads.js";

/** The kernel exports of assembly/index.ts. Pointers are byte addresses in the module's memory. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
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

export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

function decode(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export type WasmVariant = "simd" | "scalar" | "threads";

export interface LoadedKernels {
  exports: KernelExports;
  variant: WasmVariant;
  /** The compiled module and its memory, for worker threads (threads variant only). */
  module?: WebAssembly.Module;
  memory: WebAssembly.Memory;
}

/**
 * Instantiates the best build this runtime runs: SIMD over shared memory where worker threads
 * can share it (SharedArrayBuffer, and cross-origin isolation in browsers), else SIMD, else scalar.
 */
export async function loadKernels(variant?: WasmVariant): Promise<LoadedKernels> {
  const simd = simdSupported();
  const v: WasmVariant = variant ?? (simd && defaultThreadCount() > 1 ? "threads" : simd ? "simd" : "scalar");
  const bytes = decode(v === "threads" ? threadsWasm : v === "simd" ? simdWasm : scalarWasm);
  const module = await WebAssembly.compile(bytes as BufferSource);
  const env: Record<string, unknown> = { abort: wasmAbort };
  let memory: WebAssembly.Memory | undefined;
  if (v === "threads") env.memory = memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
  const instance = await WebAssembly.instantiate(module, { env } as WebAssembly.Imports);
  if (!memory) memory = (instance.exports as unknown as KernelExports).memory;
  const exports = { ...instance.exports, memory } as unknown as KernelExports;
  warmUp(exports);
  return { exports, variant: v, module: v === "threads" ? module : undefined, memory };
}

/**
 * Runs every hot kernel a few times on small inputs before the first real call. V8 starts Wasm in
 * its baseline compiler (Liftoff, several times slower for SIMD) and recompiles a function with
 * TurboFan, in the background, once it has used up a call/loop budget; a call never switches
 * tiers midway, so without this the first large call of each kernel ran at baseline speed. Uses
 * the free memory above the heap base (the allocator has not started) and zeroes it afterwards.
 */
function warmUp(k: KernelExports): void {
  const n = 1024, base = (k.heapBase() + 63) & ~63;
  const bytes = 8 * n * 4 + 4096;
  if (k.memory.buffer.byteLength < base + bytes) return;
  const x = base, y = x + 4 * n, z = y + 4 * n, w = z + 4 * n, meta = w + 4 * 4 * n;
  new Float32Array(k.memory.buffer, x, 2 * n).fill(0.5);
  for (let r = 0; r < 40; r++) {
    for (const op of [O.EXP, O.LOG, O.TANH, O.ERF, O.LOGISTIC, O.NEG, O.SQRT]) k.unary_f32(op, x, z, n);
    for (const op of [O.ADD, O.SUB, O.MUL, O.DIV, O.MAX]) {
      k.binary_f32(op, x, 1, y, 1, z, n);
      k.binary_f32(op, x, 1, y, 0, z, n);
    }
    k.reduce_f32(O.R_SUM, x, z, 1, n, 1);
    k.reduce_f32(O.R_MAX, x, z, 1, n, 1);
    k.reduce_f32(O.R_SUM, x, z, 1, 128, 8);
    k.reduce_f32(O.R_MAX, x, z, 1, 128, 8);
    // 32 x 32 matmul, plain and with B transposed.
    k.matmul_f32(x, 32, 1, 0, y, 32, 1, 0, z, 1, 32, 32, 32, w);
    k.matmul_f32(x, 32, 1, 0, y, 1, 32, 0, z, 1, 32, 32, 32, w);
    // 32 x 32 transpose through the tiled strided copy.
    new Int32Array(k.memory.buffer, meta, 8).set([32, 32, 1, 32, 32, 1, 0, 0]);
    k.copy_strided(2, meta, x, z, 4);
  }
  new Uint8Array(k.memory.buffer, base, bytes).fill(0);
}

function wasmAbort(): never {
  throw new Error("tinyjax: a wasm kernel aborted; this is a bug in tinyjax, please report it");
}
