/// <reference types="@webgpu/types" />
// Finding a WebGPU adapter and device: navigator.gpu in browsers and Deno; in Node, the `webgpu`
// package (Dawn), imported only there and only by a computed name so bundlers never see it.

/** The limits the backend reads, at the values the device was created with. */
export interface GpuLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxStorageBuffersPerShaderStage: number;
  maxComputeWorkgroupSizeX: number;
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupsPerDimension: number;
  maxComputeWorkgroupStorageSize: number;
}

export interface GpuContext {
  /**
   * The entry point and adapter, kept referenced for the device's lifetime: in Node, Dawn destroys
   * its instance when the GPU object is garbage collected, and later event processing would crash
   * or never resolve mapAsync.
   */
  gpu: GPU;
  adapter: GPUAdapter;
  device: GPUDevice;
  limits: GpuLimits;
  /** Adapter description for messages and benchmarks, e.g. "google swiftshader". */
  description: string;
}

const LIMIT_NAMES: (keyof GpuLimits)[] = [
  "maxStorageBufferBindingSize", "maxBufferSize", "maxStorageBuffersPerShaderStage", "maxComputeWorkgroupSizeX",
  "maxComputeInvocationsPerWorkgroup", "maxComputeWorkgroupsPerDimension", "maxComputeWorkgroupStorageSize",
];

/** Why the last requestGpu() found nothing (for init()'s callers and the tests' skip message). */
export let unavailableReason = "";

async function gpuEntryPoint(): Promise<GPU | null> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  const proc = (globalThis as { process?: { versions?: { node?: string; bun?: string } } }).process;
  if (!proc?.versions?.node || proc.versions.bun) {
    unavailableReason = "this runtime has no navigator.gpu (WebGPU is off or unsupported)";
    return null;
  }
  // Node: the optional `webgpu` package (Dawn). The specifier is a variable so that bundlers
  // targeting browsers do not try to resolve it.
  const name = "webgpu";
  try {
    const mod = (await import(name)) as { create(flags: string[]): GPU };
    return mod.create([]);
  } catch (e) {
    unavailableReason = `the Node package "webgpu" could not be loaded (${(e as Error).message.split("\n")[0]}); install it with npm i webgpu`;
    return null;
  }
}

/** Requests the adapter and a device with the adapter's full limits; null when there is none. */
export async function requestGpu(): Promise<GpuContext | null> {
  const gpu = await gpuEntryPoint();
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) {
    unavailableReason = "navigator.gpu.requestAdapter() returned null (no GPU; on Linux without one, install a Vulkan " +
      "driver such as SwiftShader (Debian: chromium, then VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json) " +
      "or lavapipe (mesa-vulkan-drivers))";
    return null;
  }
  const requiredLimits: Record<string, number> = {};
  for (const k of LIMIT_NAMES) requiredLimits[k] = (adapter.limits as unknown as Record<string, number>)[k];
  const device = await adapter.requestDevice({ requiredLimits });
  const limits = {} as GpuLimits;
  for (const k of LIMIT_NAMES) limits[k] = (device.limits as unknown as Record<string, number>)[k];
  // Fusion groups as many inputs as this allows; far past 32 a kernel only gains bind-group and
  // compile cost, and NVIDIA's adapter under wgpu reports a limit so large it means "unbounded".
  limits.maxStorageBuffersPerShaderStage = Math.min(limits.maxStorageBuffersPerShaderStage, 32);
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  const description = info ? [info.vendor, info.architecture, info.description].filter(Boolean).join(" ") : "unknown adapter";
  device.lost.then((l) => { if (l.reason !== "destroyed") console.error(`tinyjax: the WebGPU device was lost: ${l.message}`); });
  return { gpu, adapter, device, limits, description };
}
