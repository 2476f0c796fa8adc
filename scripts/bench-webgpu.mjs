// WebGPU figures next to Wasm: float32 matmul (GFLOP/s), an elementwise chain eager and jitted
// (one fused shader), and a sum (GB/s). Run after `npm run build`:
//
//   node scripts/bench-webgpu.mjs [--sizes 256,512,1024] [--elems 1048576,4194304] [--reps 10] [--json] [--no-tfjs]
//
// TensorFlow.js's WebGPU backend (@tensorflow/tfjs-backend-webgpu, a devDependency) runs the same
// cases on the same adapter in the same process, and every tinyjax/tfjs pair prints its ratio.
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
const withTfjs = !args.includes("--no-tfjs");

const tj = await import("../build/src/index.js");
const { getBackend } = await import("../build/src/backend/registry.js");
const { jnp, jit, random, defaultDevice, devicePut, tidy } = tj;
const names = await tj.init();
if (!names.includes("webgpu")) {
  const { webgpuUnavailableReason } = await import("../build/src/webgpu/index.js");
  console.error(`bench-webgpu: no WebGPU adapter (${webgpuUnavailableReason()})`);
  process.exit(1);
}
const gpu = getBackend("webgpu");

/** Median seconds of `once` (awaited) over `reps` calls, after one warm-up call. */
async function median(once) {
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

/** Median seconds per call of `run` (which returns arrays to dispose) on `device`. */
async function time(device, run) {
  const once = async () => {
    // tidy: an eager chain's intermediates are freed at once, not whenever the GC finds them
    // (Deno's collector let 16M-element temporaries pile up to the Wasm heap's 4 GiB).
    const outs = [tidy(run)].flat();
    if (device === "webgpu") await gpu.sync();
    for (const o of outs) o.dispose();
  };
  return median(once);
}

function inputs(device, shapes) {
  defaultDevice("wasm");
  const xs = shapes.map((s, i) => random.normal(random.key(i), s));
  defaultDevice(device);
  return device === "wasm" ? xs : xs.map((x) => devicePut(x, device));
}

/**
 * tfjs-backend-webgpu on the adapter ours uses. In Node it finds navigator.gpu only if we put one
 * there (Node 20 has no navigator); browsers and Deno already have it. Returns why it cannot run.
 */
async function tfjsWebgpu() {
  try {
    if (!globalThis.navigator?.gpu) {
      const { create, globals } = await import("webgpu");
      Object.assign(globalThis, globals);
      Object.defineProperty(globalThis, "navigator", { value: { ...(globalThis.navigator ?? {}), gpu: create([]) }, configurable: true });
    }
    const tf = await import("@tensorflow/tfjs-core");
    await import("@tensorflow/tfjs-backend-webgpu");
    if (!(await tf.setBackend("webgpu"))) return "tf.setBackend('webgpu') failed";
    await tf.ready();
    return tf;
  } catch (e) {
    return String(e?.message ?? e);
  }
}

/** Median seconds per call of tfjs `run`, until the GPU is done (tfjs queues commands; submit them first). */
async function timeTf(tf, run) {
  const backend = tf.backend();
  const once = async () => {
    const out = run();
    // tfjs's own flush before a readback: close the open compute pass, then submit.
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    backend.submitQueue();
    await backend.queue.onSubmittedWorkDone();
    out.dispose();
  };
  return median(once);
}

const rows = [];
const ours = {};
for (const device of ["wasm", "webgpu"]) {
  for (const n of sizes) {
    if (device === "wasm" && n > 1024) continue;
    const [a, b] = inputs(device, [[n, n], [n, n]]);
    const s = await time(device, () => jnp.matmul(a, b));
    rows.push({ device, case: `matmul ${n}x${n}x${n}`, ms: s * 1e3, rate: `${((2 * n ** 3) / s / 1e9).toFixed(1)} GFLOP/s` });
    if (device === "webgpu") ours[`matmul ${n}`] = { s, a: await a.data(), b: await b.data() };
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
    if (device === "webgpu") Object.assign(ours, { [`chain ${n}`]: { s: sj }, [`sum ${n}`]: { s: ss } });
  }
}

// tfjs-webgpu on the same inputs (matmul: results compared with ours), after ours so that both
// libraries never hold the adapter's queue at once.
let tfjsStatus = "not run (--no-tfjs)";
if (withTfjs) {
  const tf = await tfjsWebgpu();
  if (typeof tf === "string") tfjsStatus = `unavailable: ${tf}`;
  else {
    tfjsStatus = "ran";
    const vs = (key, st) => (ours[key] ? `${(st / ours[key].s).toFixed(2)}x tinyjax faster` : "");
    for (const n of sizes) {
      const { a, b } = ours[`matmul ${n}`];
      const [ta, tb] = [tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])];
      const st = await timeTf(tf, () => tf.matMul(ta, tb));
      const mine = devicePut(jnp.array(a).reshape([n, n]), "webgpu"), other = devicePut(jnp.array(b).reshape([n, n]), "webgpu");
      const [ref, got] = [await jnp.matmul(mine, other).data(), await tf.matMul(ta, tb).data()];
      let err = 0;
      for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(ref[i] - got[i]) / (1 + Math.abs(ref[i])));
      rows.push({ device: "tfjs-gpu", case: `matmul ${n}x${n}x${n}`, ms: st * 1e3, rate: `${((2 * n ** 3) / st / 1e9).toFixed(1)} GFLOP/s; ${vs(`matmul ${n}`, st)}; max rel diff ${err.toExponential(1)}` });
    }
    for (const n of elems) {
      const [x, y] = [tf.randomNormal([n]), tf.randomNormal([n])];
      const st = await timeTf(tf, () => tf.tidy(() => tf.mul(tf.tanh(tf.add(tf.mul(x, y), 1)), 0.5)));
      rows.push({ device: "tfjs-gpu", case: `tanh(x*y+1)*0.5, n=${n}`, ms: st * 1e3, rate: `${((3 * 4 * n) / st / 1e9).toFixed(2)} GB/s; ${vs(`chain ${n}`, st)} (jit)` });
      const ss = await timeTf(tf, () => tf.sum(x));
      rows.push({ device: "tfjs-gpu", case: `sum, n=${n}`, ms: ss * 1e3, rate: `${((4 * n) / ss / 1e9).toFixed(2)} GB/s; ${vs(`sum ${n}`, ss)}` });
    }
  }
}

if (asJson) {
  console.log(JSON.stringify({ adapter: gpu.description, tfjsWebgpu: tfjsStatus, rows }, null, 2));
} else {
  console.log(`WebGPU adapter: ${gpu.description}; tfjs-backend-webgpu: ${tfjsStatus}`);
  for (const r of rows) console.log(`${r.device.padEnd(7)} ${r.case.padEnd(34)} ${r.ms.toFixed(3).padStart(10)} ms  ${r.rate}`);
}
process.exit(0);
