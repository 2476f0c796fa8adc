// Bundle size and cold start budgets, with jax-js and TensorFlow.js measured side by side from
// node_modules. Run after `npm run bundle`:
//
//   node scripts/size-budget.mjs [--runs 9] [--json] [--no-peers] [--report-only]
//
// Budgets (issue 10): the core bundle with both Wasm binaries <= 100 KB gzipped, and cold start
// (a fresh Node process: import the package, compute a first op, read its result) <= 30 ms.
// Exits 1 when a budget is exceeded, unless --report-only.
//
// Sizes are gzip -9 of what a browser downloads (sum over files where a library ships several);
// brotli is shown for reference. Peers: jax-js's published ESM (index + the chunks it imports
// statically; its WebGL/WebGPU chunks load lazily and are listed apart), minified here with terser
// because it ships unminified; tfjs-core + tfjs-backend-wasm as published minified (fesm builds) plus
// the two Wasm binaries that match ours (plain and SIMD; the threaded one is listed apart).
import { execFileSync } from "node:child_process";
import os from "node:os";
import { existsSync, readFileSync, readdirSync, mkdirSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync, brotliCompressSync, inflateRawSync, constants } from "node:zlib";
import { declaresV128 } from "./wasm-types.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (n) => args.includes(n);
const opt = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const RUNS = Number(opt("--runs", 9));

export const BUDGET = { gzipBytes: 100 * 1024, coldStartMs: 30 };

const gz = (b) => gzipSync(b, { level: 9 }).length;
const br = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const nm = (...p) => join(root, "node_modules", ...p);
const version = (pkg) => JSON.parse(readFileSync(nm(pkg, "package.json"), "utf8")).version;

// ------------------------------------------------------------------ tinyjax
/** The files a browser fetches for `import "tinyjax"`: the entry and the chunks it imports statically. */
function coreFiles(entry) {
  const files = [entry];
  for (const f of files) {
    const code = readFileSync(join(root, "dist", f), "utf8");
    for (const m of code.matchAll(/(?:^|[;}\n])\s*(?:import|export)\b[^"'();]*?from\s*["']\.\/([^"']+)["']/g)) {
      const dep = join(dirname(f), m[1]);
      if (!files.includes(dep)) files.push(dep);
    }
  }
  return files;
}

async function ours() {
  const entry = "tinyjax.min.js";
  if (!existsSync(join(root, "dist", entry))) throw new Error("dist/tinyjax.min.js is missing: run `npm run bundle` first");
  const files = coreFiles(entry);
  const texts = files.map((f) => readFileSync(join(root, "dist", f), "utf8"));
  const esm = coreFiles("tinyjax.js").map((f) => readFileSync(join(root, "dist", f)));
  // The embedded binaries (scripts/build-wasm.mjs): base64 of deflate-raw streams, one the SIMD
  // build, the others the scalar and relaxed-SIMD builds' deltas against it. Decoded here as
  // tinyjax decodes them.
  const { applyDelta } = await import(pathToFileURL(join(root, "build", "src", "backend", "wasm", "wasm-binary.js")).href);
  const blobs = texts.flatMap((t) => [...t.matchAll(/["'`]([A-Za-z0-9+/]{100,}={0,2})["'`]/g)].map((m) => m[1]));
  const streams = blobs.map((b) => inflateRawSync(Buffer.from(b, "base64")));
  const simd = streams.find((b) => b.readUInt32LE(0) === 0x6d736100); // "\0asm"
  if (blobs.length !== 3 || !simd || !declaresV128(simd)) throw new Error(`expected the SIMD Wasm build and the scalar and relaxed-SIMD builds' deltas embedded in dist/${entry}, found ${blobs.length} binaries`);
  const [scalar, relaxed] = [false, true].map((v128) => {
    const i = streams.findIndex((d) => d !== simd && declaresV128(Buffer.from(applyDelta(simd, d))) === v128);
    if (i < 0) throw new Error(`no delta in dist/${entry} decodes to the ${v128 ? "relaxed-SIMD" : "scalar"} Wasm module`);
    return { wasm: Buffer.from(applyDelta(simd, streams[i])), embedded: Buffer.from(blobs[i], "base64").length };
  });
  new WebAssembly.Module(scalar.wasm); // validates (the relaxed build validates only under a flag in Node 20)
  const gzAll = (ts) => ts.reduce((s, t) => s + gz(Buffer.from(t)), 0);
  const strip = (t) => blobs.reduce((s, b) => s.split(b).join(""), t);
  const total = gzAll(texts);
  const jsOnly = gzAll(texts.map(strip));
  return {
    name: `tinyjax ${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version}`,
    files: files.map((f) => `dist/${f}`).join(" + "),
    raw: texts.reduce((s, t) => s + Buffer.byteLength(t), 0), gzip: total, brotli: texts.reduce((s, t) => s + br(Buffer.from(t)), 0),
    esmRaw: esm.reduce((s, b) => s + b.length, 0), esmGzip: esm.reduce((s, b) => s + gz(b), 0),
    note: lazyNote(),
    breakdown: {
      jsGzip: jsOnly,
      binariesInBundleGzip: total - jsOnly,
      wasmRaw: { simd: simd.length, scalar: scalar.wasm.length, relaxed: relaxed.wasm.length },
      wasmGzip: { simd: gz(simd), scalar: gz(scalar.wasm) },
      embedded: { simd: Buffer.from(blobs[streams.indexOf(simd)], "base64").length, scalarDelta: scalar.embedded, relaxedDelta: relaxed.embedded },
    },
  };
}

/** The lazily loaded chunks (the WebGPU backend, loaded by init()), not part of the core. */
function lazyNote() {
  const dir = join(root, "dist", "chunks");
  if (!existsSync(dir)) return "";
  const lazy = readdirSync(dir).filter((f) => f.endsWith(".min.js"));
  return lazy.length ? `+ ${lazy.map((f) => `${f} ${kb(gz(readFileSync(join(dir, f))))}`).join(", ")} gzip loaded lazily (init())` : "";
}

// ------------------------------------------------------------------ peers
async function jaxjs() {
  const dir = nm("@jax-js", "jax", "dist");
  const { minify } = await import("terser");
  const files = readdirSync(dir).filter((f) => f.endsWith(".js"));
  const entry = "index.js";
  // Static imports from the entry, transitively.
  const staticSet = new Set([entry]);
  for (const f of staticSet) {
    const src = readFileSync(join(dir, f), "utf8");
    for (const m of src.matchAll(/^import\s[^;]*?from\s*"\.\/([^"]+)"/gm)) staticSet.add(m[1]);
  }
  const core = { raw: 0, min: 0, gzip: 0, brotli: 0 }, lazy = { raw: 0, min: 0, gzip: 0, brotli: 0 };
  for (const f of files) {
    const src = readFileSync(join(dir, f), "utf8");
    const min = Buffer.from((await minify(src, { module: true, ecma: 2020, compress: { passes: 1 } })).code);
    const into = staticSet.has(f) ? core : lazy;
    into.raw += src.length; into.min += min.length; into.gzip += gz(min); into.brotli += br(min);
  }
  return {
    name: `jax-js ${version("@jax-js/jax")}`,
    files: [...staticSet].join(" + ") + " (minified with terser)",
    raw: core.min, gzip: core.gzip, brotli: core.brotli,
    note: `+ ${kb(lazy.gzip)} gzip in lazily loaded WebGL/WebGPU chunks`,
  };
}

function tfjs() {
  const core = nm("@tensorflow", "tfjs-core", "dist", "tf-core.fesm.min.js");
  const backend = nm("@tensorflow", "tfjs-backend-wasm", "dist", "tf-backend-wasm.fesm.min.js");
  const wasm = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm"].map((f) => nm("@tensorflow", "tfjs-backend-wasm", "dist", f));
  const threaded = nm("@tensorflow", "tfjs-backend-wasm", "dist", "tfjs-backend-wasm-threaded-simd.wasm");
  const parts = [core, backend, ...wasm].map((f) => readFileSync(f));
  return {
    name: `TensorFlow.js ${version("@tensorflow/tfjs-core")}`,
    files: "tf-core.fesm.min.js + tf-backend-wasm.fesm.min.js + tfjs-backend-wasm{,-simd}.wasm",
    raw: parts.reduce((s, b) => s + b.length, 0),
    gzip: parts.reduce((s, b) => s + gz(b), 0),
    brotli: parts.reduce((s, b) => s + br(b), 0),
    note: `JS ${kb(gz(parts[0]) + gz(parts[1]))} + Wasm ${kb(gz(parts[2]) + gz(parts[3]))} gzip; the threaded SIMD binary adds ${kb(gz(readFileSync(threaded)))}`,
  };
}

/** Peers don't change between runs: cache their (slow: terser) measurement by version. */
async function peers() {
  const cacheFile = join(root, "build", "size-budget-peers.json");
  const key = `${version("@jax-js/jax")}|${version("@tensorflow/tfjs-core")}|${version("@tensorflow/tfjs-backend-wasm")}|2`;
  try {
    const c = JSON.parse(readFileSync(cacheFile, "utf8"));
    if (c.key === key) return c.rows;
  } catch {}
  const rows = [await jaxjs(), tfjs()];
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(cacheFile, JSON.stringify({ key, rows }));
  return rows;
}

// ------------------------------------------------------------------ cold start
const probes = {
  // cpuMs: this thread's CPU time over the same span (Linux), which a loaded machine inflates less.
  tinyjax: (url) => `const { readFileSync, existsSync } = await import("node:fs");
const cpu = existsSync("/proc/thread-self/schedstat") ? () => +readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0] / 1e6 : () => NaN;
const c0 = cpu(), t0 = performance.now();
const tj = await import(${JSON.stringify(url)});
const v = tj.jnp.arange(6).astype("float32").mul(2).sum().item();
const t1 = performance.now(), c1 = cpu();
if (v !== 30) throw new Error("wrong result " + v);
console.log(JSON.stringify({ ms: t1 - t0, sinceStart: t1, cpuMs: c1 - c0 }));`,
  "jax-js": () => `const t0 = performance.now();
const jax = await import("@jax-js/jax");
const v = (await jax.numpy.arange(6).mul(2).sum().data())[0];
const t1 = performance.now();
if (v !== 30) throw new Error("wrong result " + v);
console.log(JSON.stringify({ ms: t1 - t0, sinceStart: t1 }));`,
  "tfjs-wasm": () => `const t0 = performance.now();
const tf = await import("@tensorflow/tfjs-core");
await import("@tensorflow/tfjs-backend-wasm");
tf.env().set("PROD", true);
await tf.setBackend("wasm");
const v = tf.sum(tf.mul(tf.range(0, 6), 2)).dataSync()[0];
const t1 = performance.now();
if (v !== 30) throw new Error("wrong result " + v);
console.log(JSON.stringify({ ms: t1 - t0, sinceStart: t1 }));`,
};

function coldStart(name, runs, url) {
  const code = probes[name](url);
  const times = [], since = [], cpu = [];
  for (let i = 0; i <= runs; i++) {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const r = JSON.parse(out.trim().split("\n").pop());
    if (i === 0) continue; // the first run warms the disk cache
    times.push(r.ms); since.push(r.sinceStart); if (r.cpuMs !== undefined) cpu.push(r.cpuMs);
  }
  const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { name, runs, medianMs: med(times), minMs: Math.min(...times), maxMs: Math.max(...times), medianSinceProcessStartMs: med(since), medianCpuMs: cpu.length ? med(cpu) : undefined };
}

// ------------------------------------------------------------------ main
export async function measure({ runs = RUNS, withPeers = true } = {}) {
  const sizes = [await ours(), ...(withPeers ? await peers() : [])];
  // Cold start of what `import "tinyjax"` loads (the package's "." export).
  const entry = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).exports["."].import;
  const esmUrl = pathToFileURL(join(root, entry)).href;
  const cold = [coldStart("tinyjax", runs, esmUrl)];
  if (withPeers) cold.push(coldStart("jax-js", Math.min(runs, 5)), coldStart("tfjs-wasm", Math.min(runs, 5)));
  const failures = [];
  if (sizes[0].gzip > BUDGET.gzipBytes) failures.push(`bundle ${kb(sizes[0].gzip)} gzipped > ${kb(BUDGET.gzipBytes)}`);
  if (cold[0].medianMs > BUDGET.coldStartMs) failures.push(`cold start ${cold[0].medianMs.toFixed(1)} ms > ${BUDGET.coldStartMs} ms`);
  return { budget: BUDGET, sizes, cold, failures, ok: failures.length === 0, node: process.version, loadavg: os.loadavg(), cpus: os.cpus().length };
}

export function report(r) {
  const lines = [];
  lines.push(`bundle sizes (gzip -9; budget for tinyjax ${kb(r.budget.gzipBytes)}):`);
  for (const s of r.sizes) {
    lines.push(`  ${s.name.padEnd(22)} ${kb(s.gzip).padStart(9)} gzip  ${kb(s.brotli).padStart(9)} brotli  ${kb(s.raw).padStart(9)} min   ${s.files}${s.note ? `; ${s.note}` : ""}`);
  }
  const o = r.sizes[0];
  lines.push(`  tinyjax breakdown: JS ${kb(o.breakdown.jsGzip)} + embedded binaries ${kb(o.breakdown.binariesInBundleGzip)} ` +
    `(SIMD ${kb(o.breakdown.wasmRaw.simd)} raw, ${kb(o.breakdown.embedded.simd)} deflated; scalar ${kb(o.breakdown.wasmRaw.scalar)} raw, ` +
    `${kb(o.breakdown.embedded.scalarDelta)} as a deflated delta against SIMD; each alone gzips to ${kb(o.breakdown.wasmGzip.simd)} / ${kb(o.breakdown.wasmGzip.scalar)}; ` +
    `relaxed SIMD ${kb(o.breakdown.wasmRaw.relaxed)} raw, ${kb(o.breakdown.embedded.relaxedDelta)} as a deflated delta); ` +
    `unminified ESM dist/tinyjax.js ${kb(o.esmGzip)} gzip`);
  lines.push(`cold start in Node ${r.node} (import + first op result, fresh process; budget ${r.budget.coldStartMs} ms; ` +
    `load average ${r.loadavg.map((x) => x.toFixed(1)).join(" ")} on ${r.cpus} CPUs):`);
  for (const c of r.cold) {
    lines.push(`  ${c.name.padEnd(10)} median ${c.medianMs.toFixed(1)} ms (min ${c.minMs.toFixed(1)}, max ${c.maxMs.toFixed(1)}, ${c.runs} runs); ` +
      `${c.medianSinceProcessStartMs.toFixed(0)} ms from process start` +
      (c.medianCpuMs !== undefined && !Number.isNaN(c.medianCpuMs) ? `; main-thread CPU median ${c.medianCpuMs.toFixed(1)} ms` : ""));
  }
  lines.push(r.ok ? "budgets: ok" : `budgets: EXCEEDED: ${r.failures.join("; ")}`);
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await measure({ withPeers: !flag("--no-peers") });
  console.log(flag("--json") ? JSON.stringify(r, null, 2) : report(r));
  if (!r.ok && !flag("--report-only")) process.exitCode = 1;
}
