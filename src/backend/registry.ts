import { DeviceError } from "../core/errors.js";
import { Backend } from "./backend.js";
import { WasmBackend } from "./wasm/backend.js";
import { loadKernels } from "./wasm/module.js";

// Top-level await: the Wasm module is compiled while the package is imported, so Wasm needs no
// init() and the first op pays no compile cost. Browsers forbid large synchronous compiles.
const loaded = await loadKernels();
export const wasm = new WasmBackend(loaded.exports, loaded.variant, loaded.module);

const backends = new Map<string, Backend>([["wasm", wasm]]);
let defaultName = "wasm";

export function registerBackend(b: Backend): void { backends.set(b.name, b); }

export function getBackend(name?: string): Backend {
  const b = backends.get(name ?? defaultName);
  if (!b) {
    throw new DeviceError(`Unknown device ${JSON.stringify(name)}. Available: ${[...backends.keys()].join(", ")}; ` +
      `call await init() first to start the WebGPU backend.`);
  }
  return b;
}

/** Sets the device new arrays are created on; returns the previous one. */
export function defaultDevice(name?: string): string {
  const prev = defaultName;
  if (name !== undefined) {
    getBackend(name);
    defaultName = name;
  }
  return prev;
}

export function backendNames(): string[] { return [...backends.keys()]; }
