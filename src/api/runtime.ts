// Devices, memory statistics and configuration.
import { ConcreteArray, fromHost } from "../core/array.js";
import { ValueError } from "../core/errors.js";
import { JaxArray } from "../core/value.js";
import { flatten, unflatten } from "../core/pytree.js";
import { asArray } from "./numpy/creation.js";
import { backendNames, defaultDevice as setDefault, getBackend, registerBackend, wasm } from "../backend/registry.js";
import { cpuDeviceCount, setCpuDeviceCount } from "../batching/pmap.js";

export interface MemoryInfo {
  /** Bytes held by live arrays (and jit buffers), by size class. */
  liveBytes: number;
  /** Number of live device buffers. */
  liveArrays: number;
  /** Bytes reserved from the platform (the Wasm memory's current size). */
  reservedBytes: number;
  /**
   * Which Wasm build is running: "simd", "relaxed" (SIMD with fused multiply-adds in matmul and
   * convolution), "scalar", or "threads" / "relaxed-threads" (a SIMD build whose memory worker
   * threads share). TINYJAX_WASM caps it (src/backend/wasm/module.ts).
   */
  wasmVariant: string;
}

export function memoryStats(): MemoryInfo {
  const s = wasm.stats();
  return { liveBytes: s.liveBytes, liveArrays: s.liveBuffers - 1, reservedBytes: s.reservedBytes, wasmVariant: wasm.variant };
}

const settings = {
  /** Cap on Wasm linear memory in bytes (default 4 GiB, the Wasm32 ceiling). */
  wasmMemoryLimit: 4 * 1024 ** 3,
  /** CPU devices pmap maps over (like XLA's --xla_force_host_platform_device_count). */
  cpuDeviceCount: 1,
  /** Threads Wasm kernels use (default: the cores, where shared memory and blocking waits exist). */
  numThreads: wasm.numThreads,
};
export type ConfigName = keyof typeof settings;

/** JAX-style configuration: config.update("wasmMemoryLimit", bytes). */
export const config = {
  update(name: ConfigName, value: number): void {
    if (!(name in settings)) throw new ValueError(`config.update: unknown option ${JSON.stringify(name)}; known: ${Object.keys(settings).join(", ")}.`);
    if (name === "wasmMemoryLimit") wasm.allocator.limit = value;
    if (name === "cpuDeviceCount") setCpuDeviceCount(value);
    if (name === "numThreads") { wasm.setNumThreads(value); value = wasm.numThreads; }
    settings[name] = value;
  },
  get(name: ConfigName): number { return settings[name]; },
};

/** A device as JAX describes one (`platform`, `device_kind` as deviceKind); `kind` names the backend. */
export interface Device { id: number; platform: string; deviceKind: string; kind: string }

const device = (id: number, backend: string): Device => {
  const platform = backend === "wasm" ? "cpu" : backend === "webgpu" ? "gpu" : backend;
  return { id, platform, deviceKind: backend, kind: backend, toString: () => `${platform === "cpu" ? "Cpu" : "Gpu"}Device(id=${id})` } as Device;
};

/** The devices pmap maps over: cpuDeviceCount CPU (Wasm) devices, then any other backend. */
export function devices(): Device[] {
  const cpu = Array.from({ length: cpuDeviceCount() }, (_, id) => device(id, "wasm"));
  return [...cpu, ...backendNames().filter((b) => b !== "wasm").map((b, i) => device(cpu.length + i, b))];
}

/**
 * Starts every backend this runtime has and returns their names: Wasm is always ready; "webgpu"
 * joins where an adapter exists (navigator.gpu in browsers and Deno, the `webgpu` package in Node).
 */
export async function init(): Promise<string[]> {
  // Imported here, not at the top: the WebGPU backend (WGSL generators, its math library) is a
  // separate chunk of the bundle that only init() loads, which keeps the core download small.
  const { startWebGpu } = await import("../webgpu/index.js");
  const gpu = await startWebGpu();
  if (gpu) registerBackend(gpu);
  return backendNames();
}

/** Sets (or, without an argument, reads) the default device: a name ("wasm", "webgpu") or a Device. */
export const defaultDevice = (d?: string | Device): string => setDefault(typeof d === "object" ? d.kind : d);

/**
 * Copies every array of a pytree (JS numbers become arrays) to a device (a no-op where a leaf is
 * already there; traced values pass through, as placement inside a traced function is not ours to
 * choose). Needs a synchronous read of the source: from "webgpu", use devicePutAsync.
 */
export function devicePut<T>(x: T, device?: string | Device): T {
  const b = getBackend(typeof device === "object" ? device.kind : device);
  const [leaves, def] = flatten(x);
  return unflatten(def, leaves.map((l) => {
    const a = asArray(l as any);
    if (!(a instanceof ConcreteArray) || a.backend === b) return a;
    return fromHost(b, a.dataSync(), a.aval);
  })) as T;
}

/** devicePut that reads the source asynchronously (works from every device, "webgpu" included). */
export async function devicePutAsync(x: JaxArray, device?: string | Device): Promise<JaxArray> {
  const b = getBackend(typeof device === "object" ? device.kind : device);
  if (!(x instanceof ConcreteArray)) throw new ValueError("devicePutAsync: expected a concrete array, got a tracer.");
  if (x.backend === b) return x;
  return fromHost(b, await x.data(), x.aval);
}
