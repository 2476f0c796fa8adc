// The WebGPU backend against the Wasm backend, in one process, on the adapter this runtime finds
// (run under Deno, whose WebGPU is built in: `deno run -A build/bench/webgpu.js`; under Node it
// needs the optional `webgpu` package). Each case times the op and the read-back of its result
// (`await data()`), median of the samples after warm-up, and checks GPU against Wasm first.
// Prints a markdown table; on a software adapter the figures say nothing about GPUs.
import { init, jnp, jit, lax, nn, defaultDevice, devicePut, tidy, Array as TArray } from "../src/index.js";
import { webgpuUnavailableReason } from "../src/webgpu/index.js";
import { getBackend } from "../src/backend/registry.js";

function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1);
}

async function timeMs(f: () => Promise<unknown>, minMs = 600, maxIters = 200): Promise<number> {
  for (let i = 0; i < 3; i++) await f();
  const samples: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs && samples.length < maxIters) {
    const t0 = performance.now();
    await f();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

interface Case { name: string; flops?: number; bytes?: number; inputs: Float32Array[]; shapes: number[][]; f: (...xs: TArray[]) => TArray }

function cases(): Case[] {
  const mm = (n: number): Case => ({ name: `matmul ${n}`, flops: 2 * n ** 3, inputs: [rand(n * n, 1), rand(n * n, 2)], shapes: [[n, n], [n, n]], f: (a, b) => jnp.matmul(a, b) });
  const N = 1 << 24;
  return [
    mm(256), mm(1024), mm(2048), mm(4096),
    { name: "add 16M", bytes: 12 * N, inputs: [rand(N, 3), rand(N, 4)], shapes: [[N], [N]], f: (a, b) => a.add(b) },
    { name: "exp 16M", bytes: 8 * N, inputs: [rand(N, 5)], shapes: [[N]], f: (a) => jnp.exp(a) },
    { name: "sum 4096x4096 axis 1", bytes: 4 * N, inputs: [rand(N, 6)], shapes: [[4096, 4096]], f: (a) => a.sum(1) },
    { name: "softmax 256x1000", inputs: [rand(256000, 7)], shapes: [[256, 1000]], f: (a) => nn.softmax(a) },
    { name: "conv2d 8x64x64x32 3x3 32->64 SAME", flops: 2 * 8 * 64 * 64 * 64 * 9 * 32, inputs: [rand(8 * 64 * 64 * 32, 8), rand(9 * 32 * 64, 9)], shapes: [[8, 64, 64, 32], [3, 3, 32, 64]],
      f: (x, w) => lax.convGeneralDilated(x, w, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }) },
  ];
}

async function main(): Promise<void> {
  const backends = await init();
  if (!backends.includes("webgpu")) {
    console.log(`no WebGPU adapter: ${webgpuUnavailableReason()}`);
    return;
  }
  console.log(`adapter: ${(getBackend("webgpu") as unknown as { description: string }).description}`);
  const rows: string[] = ["| case | WebGPU | Wasm | GPU rate | Wasm/WebGPU |", "| --- | --- | --- | --- | --- |"];
  for (const c of cases()) {
    const onWasm = c.inputs.map((d, i) => jnp.array(d, { shape: c.shapes[i] }));
    const onGpu = onWasm.map((x) => devicePut(x, "webgpu"));
    const fj = jit(c.f);
    const want = await fj(...onWasm).data();
    const got = await fj(...onGpu).data();
    let err = 0;
    for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]) / (1e-3 + Math.abs(want[i])));
    const g = await timeMs(() => tidy(() => fj(...onGpu)).data());
    const w = c.name === "matmul 4096" ? NaN : await timeMs(() => tidy(() => fj(...onWasm)).data(), 600, 20);
    const rate = c.flops ? `${(c.flops / g / 1e6).toFixed(0)} GFLOP/s` : c.bytes ? `${(c.bytes / g / 1e6).toFixed(0)} GB/s` : "";
    const line = `| ${c.name} | ${g.toFixed(3)} ms | ${Number.isNaN(w) ? "-" : `${w.toFixed(2)} ms`} | ${rate} | ${Number.isNaN(w) ? "-" : `${(w / g).toFixed(1)}x`} |`;
    rows.push(line);
    console.log(`${line}   (max rel err vs Wasm ${err.toExponential(1)})`);
  }
  defaultDevice("wasm");
  console.log(rows.join("\n"));
}

await main();
