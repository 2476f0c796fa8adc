// Shared setup of the WebGPU suites: finding an adapter (SwiftShader's Vulkan driver from Debian's
// chromium package when VK_ICD_FILENAMES is unset; WEBGPU_ADAPTER=system keeps the machine's own
// drivers, for a run on a real GPU), failing in CI when there is none (skipping locally, saying
// why), and comparing a function's results on WebGPU with the same function on Wasm.
//
// Tolerances (GPU against Wasm, both float32): 2e-5 relative + 2e-5 absolute for values; the GPU
// rounds transcendentals within 3 ulp (src/webgpu/wgsl/lib-math.ts) and sums in another order
// (tree reductions, tiled matmul), so results are close but not identical. Integer, boolean,
// movement and PRNG results must match exactly.
import * as fs from "node:fs";
const ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";
if (!process.env.VK_ICD_FILENAMES && process.env.WEBGPU_ADAPTER !== "system" && fs.existsSync(ICD)) process.env.VK_ICD_FILENAMES = ICD;

import { test } from "uvu";
import * as assert from "uvu/assert";
import { defaultDevice, devicePut, init, Array as JArray } from "../src/index.js";
import { getBackend } from "../src/backend/registry.js";
import { webgpuUnavailableReason } from "../src/webgpu/index.js";
import type { WebGpuBackend } from "../src/webgpu/backend.js";

export const HAVE_GPU = (await init()).includes("webgpu");

export function gpu(): WebGpuBackend { return getBackend("webgpu") as WebGpuBackend; }

/**
 * Registers the suite, or (without an adapter) one failing test in CI / one skipped test locally.
 * The suite runs with "webgpu" as the default device.
 */
export function suite(name: string, register: () => void): void {
  if (!HAVE_GPU) {
    const why = `no WebGPU adapter: ${webgpuUnavailableReason()}`;
    if (process.env.CI === "true") test(`${name}: a WebGPU adapter is available in CI`, () => { assert.unreachable(why); });
    else {
      // One passing test besides the skipped one: test/run.mjs counts a file with no tests run as failed.
      console.log(`${name}: SKIPPED locally (${why})`);
      test(`${name}: no adapter here, suite skipped (it fails in CI)`, () => {});
      test.skip(`${name} (no adapter)`, () => {});
    }
    return;
  }
  defaultDevice("webgpu");
  register();
  test.after(() => { console.log(`${name}: ${gpu().description}; ${JSON.stringify(gpu().counters)}`); });
}

/** Runs `f` with "wasm" as the default device. */
export function onWasm<T>(f: () => T): T {
  const prev = defaultDevice("wasm");
  try { return f(); } finally { defaultDevice(prev); }
}

function leaves(x: unknown): JArray[] {
  if (Array.isArray(x)) return x.flatMap(leaves);
  if (x && typeof x === "object" && !("dtype" in (x as object))) return Object.values(x as object).flatMap(leaves);
  return [x as JArray];
}

export interface Tol { rtol: number; atol: number }
export const CLOSE: Tol = { rtol: 2e-5, atol: 2e-5 };
export const EXACT: Tol = { rtol: 0, atol: 0 };

/** Compares every leaf of `got` (read asynchronously) with `want` (read synchronously); null when equal. */
export async function compare(got: unknown, want: unknown, tol: Tol): Promise<string | null> {
  const g = leaves(got), w = leaves(want);
  if (g.length !== w.length) return `${g.length} outputs, want ${w.length}`;
  for (let k = 0; k < w.length; k++) {
    if (g[k].dtype !== w[k].dtype || g[k].shape.join() !== w[k].shape.join()) {
      return `output ${k}: ${g[k].dtype}[${g[k].shape}] vs ${w[k].dtype}[${w[k].shape}]`;
    }
    const gd = await g[k].data(), wd = w[k].dataSync();
    for (let i = 0; i < wd.length; i++) {
      const a = Number(gd[i]), b = Number(wd[i]);
      const ok = Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) ||
        (tol.rtol + tol.atol > 0 && Number.isFinite(b) && Math.abs(a - b) <= tol.atol + tol.rtol * Math.abs(b));
      if (!ok) return `output ${k} [${i}]: webgpu ${a}, wasm ${b}`;
    }
  }
  return null;
}

/**
 * Runs `f` on inputs made on Wasm and on copies of them on WebGPU; returns a description of the
 * first difference, or null.
 */
export async function sameOnBoth(f: (...xs: JArray[]) => unknown, inputs: () => JArray[], tol: Tol): Promise<string | null> {
  const xs = onWasm(inputs);
  const want = onWasm(() => f(...xs));
  const gx = xs.map((x) => devicePut(x, "webgpu"));
  const got = f(...gx);
  return compare(got, want, tol);
}

/** Runs `check` for every item and fails once, listing every failure (so one bug doesn't hide others). */
export async function all<T extends { name: string }>(items: T[], check: (item: T) => Promise<string | null>): Promise<void> {
  const failures: string[] = [];
  for (const it of items) {
    let r: string | null;
    try { r = await check(it); } catch (e) { r = `threw ${(e as Error).name}: ${(e as Error).message.split("\n")[0]}`; }
    if (r) failures.push(`  - ${it.name}: ${r}`);
  }
  if (failures.length) assert.unreachable(`${failures.length} of ${items.length} failed:\n${failures.join("\n")}`);
}
