// Accuracy scan of the float32 SIMD transcendentals against the float64 result rounded to float32.
// Not part of `npm test` (the full scan is 5 x 2^32 evaluations): after `npm run build`,
//   node bench/ulp-scan.mjs [step] [fn ...]
// checks every `step`-th float32 bit pattern (default 1: all 2^32), split over one worker thread per
// core, and prints the largest error in ulps and where it occurs. test/kernels.test.ts runs a sampled
// version on every `npm test`.
import { availableParallelism } from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const FNS = ["exp", "log", "tanh", "erf", "logistic"];

async function scanRange(name, start, end, step) {
  const { loadKernels } = await import("../build/src/backend/wasm/module.js");
  const O = await import("../build/assembly/kernels/opcodes.js");
  const { erf } = await import("../build/src/primitives/special.js");
  const refs = {
    exp: [O.EXP, Math.exp], log: [O.LOG, Math.log], tanh: [O.TANH, Math.tanh], erf: [O.ERF, erf],
    logistic: [O.LOGISTIC, (x) => 1 / (1 + Math.exp(-x))],
  };
  const [op, ref] = refs[name];
  const { exports: k } = await loadKernels("simd");
  const CHUNK = 1 << 18;
  const base = (k.heapBase() + 63) & ~63;
  const need = base + 2 * CHUNK * 4 - k.memory.buffer.byteLength;
  if (need > 0) k.memory.grow(Math.ceil(need / 65536));
  const xin = new Uint32Array(k.memory.buffer, base, CHUNK);
  const xf = new Float32Array(k.memory.buffer, base, CHUNK);
  const yout = new Float32Array(k.memory.buffer, base + CHUNK * 4, CHUNK);
  const yb = new Uint32Array(k.memory.buffer, base + CHUNK * 4, CHUNK);
  const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
  // Position on the number line, so ulp distance is a difference (-0 and +0 coincide).
  const ord = (b) => (b & 0x80000000 ? -(b & 0x7fffffff) : b);
  const r = { worst: 0, at: 0, got: 0, want: 0, count: 0, hist: [0, 0, 0, 0] };
  for (let s = start; s < end; s += CHUNK * step) {
    let n = 0;
    for (; n < CHUNK && s + n * step < end; n++) xin[n] = s + n * step;
    k.unary_f32(op, base, base + CHUNK * 4, n);
    for (let i = 0; i < n; i++) {
      f32[0] = ref(xf[i]);
      const w = u32[0], g = yb[i];
      const nw = Number.isNaN(f32[0]), ng = Number.isNaN(yout[i]);
      const d = nw || ng ? (nw && ng ? 0 : Infinity) : Math.abs(ord(g) - ord(w));
      r.hist[Math.min(d, 3)]++;
      r.count++;
      if (d > r.worst) Object.assign(r, { worst: d, at: xf[i], got: yout[i], want: f32[0] });
    }
  }
  return r;
}

if (isMainThread) {
  const step = Number(process.argv[2] ?? 1);
  const names = process.argv.length > 3 ? process.argv.slice(3) : FNS;
  const workers = Math.max(1, availableParallelism());
  for (const name of names) {
    const t0 = Date.now();
    const span = Math.ceil(2 ** 32 / workers / step) * step;
    const parts = await Promise.all([...Array(workers).keys()].map((w) => new Promise((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { name, start: w * span, end: Math.min(2 ** 32, (w + 1) * span), step } });
      worker.once("message", resolve);
      worker.once("error", reject);
    })));
    const t = { worst: 0, at: 0, got: 0, want: 0, count: 0, hist: [0, 0, 0, 0] };
    for (const p of parts) {
      t.count += p.count;
      p.hist.forEach((v, i) => (t.hist[i] += v));
      if (p.worst > t.worst) Object.assign(t, { worst: p.worst, at: p.at, got: p.got, want: p.want });
    }
    console.log(`${name.padEnd(8)} max ${t.worst} ulp at x=${t.at} (got ${t.got}, want ${t.want}); ` +
      `0 ulp ${t.hist[0]}, 1 ulp ${t.hist[1]}, 2 ulp ${t.hist[2]}, >2 ulp ${t.hist[3]} of ${t.count} inputs ` +
      `(${((Date.now() - t0) / 1000).toFixed(0)} s, ${workers} threads)`);
  }
} else {
  const { name, start, end, step } = workerData;
  parentPort.postMessage(await scanRange(name, start, end, step));
}
