// WebGPU figures next to Wasm: float32 matmul (GFLOP/s), an elementwise chain eager and jitted
// (one fused shader), and a sum (GB/s). Run after `npm run build`:
//
//   node scripts/bench-webgpu.mjs [--sizes 256,512,1024] [--elems 1048576,4194304] [--reps 10] [--json]
//
// GPU times cover recorded work until the device reports it done (queue.onSubmittedWorkDone), not
// the readback. On a machine without a GPU the adapter is SwiftShader (a CPU emulation): its figures
// only show that the kernels run. In Node the adapter comes from the `webgpu` package, which needs
// a Vulkan driver (on Linux, VK_ICD_FILENAMES may select one, e.g. /usr/lib/chromium/
// vk_swiftshader_icd.json or a vendor's ICD).
import { performance } from "node:perf_hooks";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizes = opt("sizes", "256,512,1024").split(",").map(Number);
const elems = opt("elems", "1048576,4194304").split(",").map(Number);
const reps = Number(opt("reps", "10"));
const asJson = args.includes("--json");

const tj = await import("../build/src/index.js");
const { getBackend } = await import("../build/src/backend/registry.js");
const { jnp, jit, random, defaultDevice, devicePut } = tj;
const names = await tj.init();
if (!names.includes("webgpu")) {
  const { webgpuUnavailableReason } = await import("../build/src/webgpu/index.js");
  console.error(`bench-webgpu: no WebGPU adapter (${webgpuUnavailableReason()})`);
  process.exit(1);
}
const gpu = getBackend("webgpu");

/** Median seconds per call of `run` (which returns arrays to dispose) on `device`. */
async function time(device, run) {
  const once = async () => {
    const outs = [run()].flat();
    if (device === "webgpu") await gpu.sync();
    for (const o of outs) o.dispose();
  };
  await once();
  const samples = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await once();
    samples.push((performance.now() - t0) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

function inputs(device, shapes) {
  defaultDevice("wasm");
  const xs = shapes.map((s, i) => random.normal(random.key(i), s));
  defaultDevice(device);
  return device === "wasm" ? xs : xs.map((x) => devicePut(x, device));
}

const rows = [];
for (const device of ["wasm", "webgpu"]) {
  for (const n of sizes) {
    if (device === "wasm" && n > 1024) continue;
    const [a, b] = inputs(device, [[n, n], [n, n]]);
    const s = await time(device, () => jnp.matmul(a, b));
    rows.push({ device, case: `matmul ${n}x${n}x${n}`, ms: s * 1e3, rate: `${((2 * n ** 3) / s / 1e9).toFixed(1)} GFLOP/s` });
  }
  for (const n of elems) {
    const [x, y] = inputs(device, [[n], [n]]);
    const chain = (p, q) => jnp.tanh(p.mul(q).add(1)).mul(0.5);
    const jitted = jit(chain);
    const bytes = 3 * 4 * n;
    const se = await time(device, () => chain(x, y));
    rows.push({ device, case: `tanh(x*y+1)*0.5 eager, n=${n}`, ms: se * 1e3, rate: `${(bytes / se / 1e9).toFixed(2)} GB/s (3 arrays)` });
    const sj = await time(device, () => jitted(x, y));
    rows.push({ device, case: `same, jit (fused), n=${n}`, ms: sj * 1e3, rate: `${(bytes / sj / 1e9).toFixed(2)} GB/s` });
    const ss = await time(device, () => jnp.sum(x));
    rows.push({ device, case: `sum, n=${n}`, ms: ss * 1e3, rate: `${((4 * n) / ss / 1e9).toFixed(2)} GB/s` });
  }
}

if (asJson) {
  console.log(JSON.stringify({ adapter: gpu.description, rows }, null, 2));
} else {
  console.log(`WebGPU adapter: ${gpu.description}`);
  for (const r of rows) console.log(`${r.device.padEnd(7)} ${r.case.padEnd(34)} ${r.ms.toFixed(3).padStart(10)} ms  ${r.rate}`);
}
process.exit(0);
