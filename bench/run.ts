// `npm run bench`: tinyjax against TensorFlow.js (wasm and cpu backends) and jax-js, in one process,
// interleaved (each round times every library once, so drifting machine load hits all alike), on
// the same random inputs, with results checked against tinyjax's. Prints a table and writes
// bench/results/latest.json and bench/RESULTS.md.
//
// Options: --quick (fewer samples), --filter <text> (cases whose name contains it),
//          --peers tinyjax,tfjs-wasm,... (a subset of libraries),
//          --threads N (tinyjax's worker threads; default 1: the figures are single-threaded,
//          and tfjs-wasm runs no threads in Node).
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { config, memoryStats } from "../src/index.js";
import { allCases, Case } from "./cases.js";
import { allPeers, Peer } from "./peers.js";
import { measureRoofline, probePeakGflops, Roofline } from "./roofline.js";
import { formatMarkdown, formatTable, CaseResult, PeerResult } from "./report.js";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const quick = flag("--quick");
const filter = option("--filter");
const peerNames = option("--peers")?.split(",");
const threads = Number(option("--threads") ?? 1);
/** Time per library per case spent on timed samples (ms), and the sample count bounds. */
const BUDGET_MS = quick ? 250 : 900;
const MIN_SAMPLES = 3;
const MAX_SAMPLES = quick ? 5 : 11;
/** Shortest timed sample: cheap operations repeat inside one sample until it takes this long. */
const MIN_SAMPLE_MS = 4;
/**
 * Warm-up per library per case: at least this long, at most WARM_CALLS calls. JavaScript dispatch
 * code needs tens of thousands of calls to reach its optimized tier (tinyjax's tiny add: 50 us per
 * call after 100 calls, 23 us after 2,000, 2.6 us after 100,000), and Wasm needs a few calls.
 */
const WARM_MS = quick ? 100 : 300;
const WARM_CALLS = 100_000;
/** A call slower than this (the plain-JS floor on big inputs) gets one warm-up call and one sample. */
const SLOW_MS = 1000;
/**
 * Calls at least this long get a full garbage collection (with --expose-gc) before each sample, so
 * garbage one library made (tinyjax's conv2d temporaries, tfjs-cpu's big typed arrays) is not
 * collected on the next library's clock: that made tfjs-wasm's conv2d look 3x slower. Shorter calls
 * skip it: a full collection also flushes the caches, which made a 1024x1024 transpose 2x slower.
 */
const GC_ABOVE_MS = 5;

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** mulberry32: a small seeded generator, so every run and every library sees the same inputs. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hostInputs(c: Case, seed: number): Float32Array[] {
  const rnd = random(seed);
  const [lo, hi] = c.range ?? [-1, 1];
  return c.inputs.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const d = new Float32Array(n);
    for (let i = 0; i < n; i++) d[i] = lo + (hi - lo) * rnd();
    return d;
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Per-library state for one case: its inputs and (fresh-B matmul) its pool of B copies. */
interface Bound {
  peer: Peer;
  inputs: unknown[];
  pool: unknown[];
  /** Calls per timed sample. */
  inner: number;
  samples: number[];
  target: number;
  /** Time of one call at the end of warm-up (ms). */
  warmMs: number;
}

/** Full garbage collection (when run with --expose-gc), so one library's garbage is not collected on another's clock. */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function timeSample(b: Bound, c: Case): Promise<number> {
  const { peer } = b;
  const op = c.op;
  if (c.freshB) {
    const bm = b.pool.pop()!;
    const t0 = performance.now();
    const y = peer.run(op, [b.inputs[0], bm]);
    if (peer.ready) await peer.ready(y);
    peer.free(y);
    const t = performance.now() - t0;
    peer.free(bm);
    return t;
  }
  const inputs = b.inputs;
  if (peer.ready) {
    const t0 = performance.now();
    for (let i = 0; i < b.inner; i++) {
      const y = peer.run(op, inputs);
      await peer.ready(y);
      peer.free(y);
    }
    return (performance.now() - t0) / b.inner;
  }
  const t0 = performance.now();
  for (let i = 0; i < b.inner; i++) peer.free(peer.run(op, inputs));
  return (performance.now() - t0) / b.inner;
}

function relErr(got: Float32Array, want: Float32Array, errorScale?: number): number {
  if (got.length !== want.length) return Infinity;
  let err = 0, scale = 0;
  for (let i = 0; i < want.length; i++) {
    const w = want[i], g = got[i];
    if (Number.isNaN(w) || Number.isNaN(g)) { if (Number.isNaN(w) !== Number.isNaN(g)) return Infinity; continue; }
    err = Math.max(err, Math.abs(g - w));
    scale = Math.max(scale, Math.abs(w));
  }
  if (errorScale !== undefined) scale = errorScale;
  return scale === 0 ? err : err / scale;
}

async function runCase(c: Case, peers: Peer[], seed: number): Promise<CaseResult> {
  const data = hostInputs(c, seed);
  const bound: Bound[] = [];
  const skipped: Record<string, string> = {};
  for (const peer of peers) {
    const why = c.skip?.[peer.name];
    if (why) { skipped[peer.name] = why; continue; }
    await peer.activate();
    const inputs = [];
    for (let i = 0; i < data.length; i++) {
      const v = c.layoutIn?.[peer.name]?.(i, data[i], c.inputs[i]) ?? { data: data[i], shape: c.inputs[i] };
      inputs.push(await peer.upload(v.data, v.shape));
    }
    bound.push({ peer, inputs, pool: [], inner: 1, samples: [], target: MIN_SAMPLES, warmMs: 0 });
  }
  const fillPool = async (b: Bound, n: number) => {
    while (b.pool.length < n) b.pool.push(await b.peer.upload(data[1], c.inputs[1]));
  };
  // Warm up (JIT tiers, caches), then size each library's samples from the last warm-up call.
  for (const b of bound) {
    await b.peer.activate();
    // Warm-up in doubling batches, so cheap calls run back to back as they will when timed.
    const start = performance.now();
    let t = 0;
    for (let calls = 0; calls < WARM_CALLS && (calls < 2 || performance.now() - start < WARM_MS) && t < SLOW_MS; calls += b.inner) {
      if (c.freshB) await fillPool(b, 1);
      t = await timeSample(b, c);
      if (!c.freshB && t * b.inner < MIN_SAMPLE_MS) b.inner *= 2;
    }
    b.warmMs = t;
    if (!c.freshB) b.inner = Math.max(1, Math.ceil(MIN_SAMPLE_MS / Math.max(t, 1e-4)));
    b.target = t >= SLOW_MS ? 1 : Math.max(MIN_SAMPLES, Math.min(MAX_SAMPLES, Math.floor(BUDGET_MS / Math.max(t * b.inner, 1e-3))));
    if (c.freshB) await fillPool(b, b.target);
  }
  // Interleaved rounds: every library that still needs samples takes one per round.
  const rounds = Math.max(0, ...bound.map((b) => b.target));
  for (let r = 0; r < rounds; r++) {
    for (const b of bound) {
      if (r >= b.target) continue;
      await b.peer.activate();
      // Only before long calls: for cheap ones a full collection costs more than it attributes (it
      // also throws away the engine's warm state, which made tfjs-wasm's tiny ops 10x slower).
      if (b.warmMs >= GC_ABOVE_MS) collect();
      b.samples.push(await timeSample(b, c));
    }
  }
  // Results must agree with tinyjax's.
  const results: Record<string, PeerResult> = {};
  let reference: Float32Array | null = null;
  for (const b of bound) {
    await b.peer.activate();
    const y = b.peer.run(c.op, b.inputs);
    if (b.peer.ready) await b.peer.ready(y);
    const raw = Float32Array.from(await b.peer.download(y));
    b.peer.free(y);
    const out = c.layoutOut?.[b.peer.name]?.(raw) ?? raw;
    if (!reference) reference = out;
    const err = relErr(out, reference, c.errorScale?.(data));
    const ms = median(b.samples);
    results[b.peer.name] = {
      ms,
      samples: b.samples,
      callsPerSample: b.inner,
      // GFLOP/s (flops / ms / 1e6) or GB/s (bytes / ms / 1e6); microseconds for the latency case.
      rate: c.unit === "us/call" ? ms * 1000 : c.work / ms / 1e6,
      err,
      agrees: err <= c.tol,
    };
    for (const x of b.inputs) b.peer.free(x);
    for (const x of b.pool) b.peer.free(x);
  }
  for (const [name, why] of Object.entries(skipped)) results[name] = { skipped: why };
  return { name: c.name, group: c.group, unit: c.unit, work: c.work, peak: c.peak, tol: c.tol, results, notes: c.notes };
}

async function main(): Promise<void> {
  // tinyjax is the reference every other result is checked against, so it always runs.
  const peers = allPeers.filter((p) => p.name === "tinyjax" || !peerNames || peerNames.includes(p.name));
  const cases = allCases().filter((c) => !filter || c.name.includes(filter));
  const t0 = Date.now();
  const loadBefore = loadavg()[0];
  config.update("numThreads", threads);
  for (const p of peers) await p.activate(); // initialize every backend before timing anything
  await peers[0].activate();
  let roofline: Roofline = measureRoofline();
  const wasmVariant = memoryStats().wasmVariant;
  console.log(`tinyjax Wasm build: ${wasmVariant} (${process.version}, ${process.execArgv.join(" ") || "no flags"})`);
  process.stderr.write(`roofline: ${roofline.peakGflops.toFixed(1)} GFLOP/s SIMD peak, copy ${roofline.copyGBs.toFixed(1)} GB/s, ` +
    `read ${roofline.readGBs.toFixed(1)} GB/s\n`);
  const results: CaseResult[] = [];
  let peakSeen = roofline.peakGflops;
  for (const [i, c] of cases.entries()) {
    const t = Date.now();
    const r = await runCase(c, peers, 1234 + i);
    results.push(r);
    // On a shared machine the peak read at one moment can be low: keep the best seen all run.
    peakSeen = Math.max(peakSeen, probePeakGflops());
    const tj = r.results.tinyjax;
    process.stderr.write(`[${i + 1}/${cases.length}] ${c.name}: ${"ms" in tj ? tj.ms.toFixed(3) : "-"} ms (${((Date.now() - t) / 1000).toFixed(1)} s)\n`);
  }
  // The machine may have been busier at the start: keep the best of two roofline measurements.
  const again = measureRoofline();
  roofline = {
    peakGflops: Math.max(peakSeen, again.peakGflops),
    copyGBs: Math.max(roofline.copyGBs, again.copyGBs),
    readGBs: Math.max(roofline.readGBs, again.readGBs),
  };
  const cpu = cpus()[0];
  const meta = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpu?.model ?? "unknown", cores: cpus().length, memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
      platform: `${platform()} ${process.arch}`, node: process.version, v8: process.versions.v8,
    },
    options: { quick, filter: filter ?? null, peers: peers.map((p) => p.name), threads: config.get("numThreads"), wasmVariant },
    seconds: (Date.now() - t0) / 1000,
    /** One-minute load average before and after: other processes on the machine skew timings. */
    load: [loadBefore, loadavg()[0]],
    roofline,
  };
  const table = formatTable(results, roofline, peers.map((p) => p.name));
  console.log(table);
  const outDir = join(root, "bench", "results");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "latest.json"), JSON.stringify({ ...meta, cases: results }, null, 1) + "\n");
  if (!filter && !peerNames) writeFileSync(join(root, "bench", "RESULTS.md"), formatMarkdown(results, meta, peers.map((p) => p.name)));
  const bad = results.flatMap((r) => Object.entries(r.results).filter(([, v]) => "agrees" in v && !v.agrees).map(([k]) => `${r.name} (${k})`));
  if (bad.length) console.log(`\nresults disagree with tinyjax: ${bad.join(", ")}`);
  console.log(`\nwrote bench/results/latest.json${!filter && !peerNames ? " and bench/RESULTS.md" : ""} in ${meta.seconds.toFixed(0)} s`);
}

await main();
