// The WebGPU backend's entry point: started by init() where an adapter exists.
import { WebGpuBackend } from "./backend.js";
import { requestGpu, unavailableReason } from "./device.js";

export { WebGpuBackend } from "./backend.js";

let started: Promise<WebGpuBackend | null> | null = null;
let failure = "";

/** Finds an adapter and creates the backend once; null (see webgpuUnavailableReason) when there is none. */
export function startWebGpu(): Promise<WebGpuBackend | null> {
  started ??= requestGpu().then((ctx) => (ctx ? new WebGpuBackend(ctx) : null), (e) => {
    failure = `requesting a WebGPU device failed: ${(e as Error).message}`;
    return null;
  });
  return started;
}

/** Why startWebGpu() found no device ("" when it did, or before it ran). */
export function webgpuUnavailableReason(): string { return failure || unavailableReason; }
