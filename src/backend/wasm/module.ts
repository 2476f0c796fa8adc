import { scalarWasm, simdWasm } from "./binaries.js";

/** The kernel exports of assembly/index.ts. Pointers are byte addresses in the module's memory. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
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
  matmul_f32(a: number, b: number, c: number, m: number, k: number, n: number): void;
  matmul_f64(a: number, b: number, c: number, m: number, k: number, n: number): void;
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

export type WasmVariant = "simd" | "scalar";

/** Instantiates the SIMD build where the runtime validates SIMD, else the scalar build. */
export async function loadKernels(variant: WasmVariant = simdSupported() ? "simd" : "scalar"): Promise<{ exports: KernelExports; variant: WasmVariant }> {
  const bytes = decode(variant === "simd" ? simdWasm : scalarWasm);
  const { instance } = await WebAssembly.instantiate(bytes as BufferSource, { env: { abort: wasmAbort } }) as unknown as WebAssembly.WebAssemblyInstantiatedSource;
  return { exports: instance.exports as unknown as KernelExports, variant };
}

function wasmAbort(): never {
  throw new Error("tinyjax: a wasm kernel aborted; this is a bug in tinyjax, please report it");
}
