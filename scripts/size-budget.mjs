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
import { existsSync, readFileSync, readdirSync, mkdirSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync, brotliCompressSync, deflateRawSync, constants } from "node:zlib";

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
function ours() {
  const file = join(root, "dist", "tinyjax.min.js");
  if (!existsSync(file)) throw new Error("dist/tinyjax.min.js is missing: run `npm run bundle` first");
  const text = readFileSync(file, "utf8");
  const esm = readFileSync(join(root, "dist", "tinyjax.js"));
  // The embedded binaries: the base64 string literals that decode to Wasm modules; the one whose
  // type section declares v128 values is the SIMD build.
  const b64 = {};
  for (const m of text.matchAll(/["'`]([A-Za-z0-9+/]{1000,}={0,2})["'`]/g)) {
    const bytes = Buffer.from(m[1], "base64");
    if (bytes.readUInt32LE(0) !== 0x6d736100) continue; // "\0asm"
    b64[hasV128(bytes) ? "simd" : "scalar"] = m[1];
  }
  if (!b64.simd || !b64.scalar) throw new Error(`expected a SIMD and a scalar Wasm binary embedded in dist/tinyjax.min.js, found: ${Object.keys(b64).join(", ") || "none"}`);
  const wasm = Object.fromEntries(Object.entries(b64).map(([k, v]) => [k, Buffer.from(v, "base64")]));
  const without = (t, names) => names.reduce((s, n) => s.split(b64[n]).join(""), t);
  const replace = (t, f) => Object.keys(b64).reduce((s, n) => s.split(b64[n]).join(f(n)), t);
  const total = gz(Buffer.from(text));
  const jsOnly = gz(Buffer.from(without(text, Object.keys(b64))));
  const row = {
    name: `tinyjax ${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version}`,
    files: "dist/tinyjax.min.js",
    raw: Buffer.byteLength(text), gzip: total, brotli: br(Buffer.from(text)),
    esmRaw: esm.length, esmGzip: gz(esm),
    breakdown: {
      jsGzip: jsOnly,
      binariesInBundleGzip: total - jsOnly,
      wasmRaw: Object.fromEntries(Object.entries(wasm).map(([k, v]) => [k, v.length])),
      wasmGzip: Object.fromEntries(Object.entries(wasm).map(([k, v]) => [k, gz(v)])),
    },
    // What other encodings of the same two binaries would give (the whole bundle, gzipped).
    projections: {
      "binaries as base64 of deflate-raw (DecompressionStream at load)": gz(Buffer.from(replace(text, (n) => deflateRawSync(wasm[n], { level: 9 }).toString("base64")))),
      "SIMD binary only in the core (scalar loaded on demand)": gz(Buffer.from(without(text, Object.keys(b64).filter((n) => n !== "simd")))),
      "SIMD only, deflate-raw": gz(Buffer.from(replace(without(text, Object.keys(b64).filter((n) => n !== "simd")), (n) => n === "simd" ? deflateRawSync(wasm.simd, { level: 9 }).toString("base64") : ""))),
      "no binaries (the JS alone)": jsOnly,
    },
  };
  return row;
}

/** Whether a Wasm module's type section uses the v128 value type (0x7b). */
function hasV128(b) {
  let i = 8;
  while (i < b.length) {
    const id = b[i++];
    let size = 0, shift = 0, byte;
    do { byte = b[i++]; size |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
    if (id === 1) return b.subarray(i, i + size).includes(0x7b);
    i += size;
  }
  return false;
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
  tinyjax: (url) => `const t0 = performance.now();
const tj = await import(${JSON.stringify(url)});
const v = tj.jnp.arange(6).astype("float32").mul(2).sum().item();
const t1 = performance.now();
if (v !== 30) throw new Error("wrong result " + v);
console.log(JSON.stringify({ ms: t1 - t0, sinceStart: t1 }));`,
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
  const times = [], since = [];
  for (let i = 0; i <= runs; i++) {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const r = JSON.parse(out.trim().split("\n").pop());
    if (i === 0) continue; // the first run warms the disk cache
    times.push(r.ms); since.push(r.sinceStart);
  }
  const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { name, runs, medianMs: med(times), minMs: Math.min(...times), maxMs: Math.max(...times), medianSinceProcessStartMs: med(since) };
}

// ------------------------------------------------------------------ main
export async function measure({ runs = RUNS, withPeers = true } = {}) {
  const sizes = [ours(), ...(withPeers ? await peers() : [])];
  const esmUrl = pathToFileURL(join(root, "dist", "tinyjax.js")).href;
  const cold = [coldStart("tinyjax", runs, esmUrl)];
  if (withPeers) cold.push(coldStart("jax-js", Math.min(runs, 5)), coldStart("tfjs-wasm", Math.min(runs, 5)));
  const failures = [];
  if (sizes[0].gzip > BUDGET.gzipBytes) failures.push(`bundle ${kb(sizes[0].gzip)} gzipped > ${kb(BUDGET.gzipBytes)}`);
  if (cold[0].medianMs > BUDGET.coldStartMs) failures.push(`cold start ${cold[0].medianMs.toFixed(1)} ms > ${BUDGET.coldStartMs} ms`);
  return { budget: BUDGET, sizes, cold, failures, ok: failures.length === 0, node: process.version };
}

export function report(r) {
  const lines = [];
  lines.push(`bundle sizes (gzip -9; budget for tinyjax ${kb(r.budget.gzipBytes)}):`);
  for (const s of r.sizes) {
    lines.push(`  ${s.name.padEnd(22)} ${kb(s.gzip).padStart(9)} gzip  ${kb(s.brotli).padStart(9)} brotli  ${kb(s.raw).padStart(9)} min   ${s.files}${s.note ? `; ${s.note}` : ""}`);
  }
  const o = r.sizes[0];
  lines.push(`  tinyjax breakdown: JS ${kb(o.breakdown.jsGzip)} + embedded binaries ${kb(o.breakdown.binariesInBundleGzip)} ` +
    `(Wasm ${Object.entries(o.breakdown.wasmRaw).map(([k, v]) => `${k} ${kb(v)} raw / ${kb(o.breakdown.wasmGzip[k])} gzip`).join(", ")}); ` +
    `unminified ESM dist/tinyjax.js ${kb(o.esmGzip)} gzip`);
  lines.push("  the same bundle with the binaries encoded otherwise (projections, whole bundle gzipped):");
  for (const [k, v] of Object.entries(o.projections)) lines.push(`    ${kb(v).padStart(9)}  ${k}`);
  lines.push(`cold start in Node ${r.node} (import + first op result, fresh process; budget ${r.budget.coldStartMs} ms):`);
  for (const c of r.cold) {
    lines.push(`  ${c.name.padEnd(10)} median ${c.medianMs.toFixed(1)} ms (min ${c.minMs.toFixed(1)}, max ${c.maxMs.toFixed(1)}, ${c.runs} runs); ` +
      `${c.medianSinceProcessStartMs.toFixed(0)} ms from process start`);
  }
  lines.push(r.ok ? "budgets: ok" : `budgets: EXCEEDED: ${r.failures.join("; ")}`);
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await measure({ withPeers: !flag("--no-peers") });
  console.log(flag("--json") ? JSON.stringify(r, null, 2) : report(r));
  if (!r.ok && !flag("--report-only")) process.exitCode = 1;
}
