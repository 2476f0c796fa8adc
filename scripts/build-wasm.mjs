// Builds assembly/ (assembly/index.ts, which exports the kernels of every file in assembly/kernels;
// any change there triggers a rebuild) into the Wasm kernels and embeds them in a generated
// TypeScript module, src/backend/wasm/binaries.ts, so every runtime and bundler loads them the same
// way (no fs, no fetch, no asset plugin). What the core bundle carries, smallest first:
//   - the SIMD build, as base64 of its deflate-raw stream (inflated at load by the web-standard
//     DecompressionStream): base64 of raw Wasm gzips badly, base64 of compressed bytes gzips to
//     about the compressed size;
//   - the scalar build (runtimes without Wasm SIMD), as a delta against the SIMD build, deflated:
//     the two share every function without v128 code, so the delta is ~10% of the binary;
//   - the relaxed-SIMD build (f32x4.relaxed_madd in the matmul/conv register tile, where the
//     runtime validates relaxed SIMD), as a delta against the SIMD build, deflated: ~0.1 KB;
//   - no shared-memory build: it is the SIMD build with its memory imported as shared (see
//     importSharedMemory in src/backend/wasm/wasm-binary.ts). asc still builds it here, to check
//     that the derivation gives the same code.
// Decoding is src/backend/wasm/wasm-binary.ts; the encoder below is its inverse.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, statSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync, inflateRawSync, constants } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "build", "wasm");
const target = join(root, "src", "backend", "wasm", "binaries.ts");
mkdirSync(outDir, { recursive: true });

const kernels = join(root, "assembly", "kernels");
const inputs = [join(root, "assembly", "index.ts"), kernels, ...readdirSync(kernels).map((f) => join(kernels, f)), fileURLToPath(import.meta.url),
  join(root, "scripts", "asc-compact-math.mjs")];
const newest = Math.max(...inputs.map((f) => statSync(f).mtimeMs));
try {
  if (statSync(target).mtimeMs > newest) process.exit(0); // up to date
} catch {}
rmSync(join(root, "src", "backend", "wasm", "binaries-threads.ts"), { force: true }); // from older builds

const asc = join(root, "node_modules", "assemblyscript", "bin", "asc.js");
// -O3 for both: the scalar build costs only its delta, so size-optimizing it buys little. The
// standard library's Math comes in its compact, table-free form (scripts/asc-compact-math.mjs).
const common = ["assembly/index.ts", "--runtime", "stub", "-O3", "--noAssert", "--initialMemory", "16", "--maximumMemory", "65536",
  "--transform", join(root, "scripts", "asc-compact-math.mjs")];
const variants = {
  simd: ["--enable", "simd"],
  relaxed: ["--enable", "simd", "--enable", "relaxed-simd"],
  scalar: [],
  threads: ["--enable", "simd", "--enable", "threads", "--sharedMemory", "--importMemory"],
};
const wasm = {};
for (const [name, flags] of Object.entries(variants)) {
  const file = join(outDir, `tinyjax.${name}.wasm`);
  execFileSync(process.execPath, [asc, ...common, ...flags, "-o", file], { cwd: root, stdio: "inherit" });
  wasm[name] = readFileSync(file);
}

// ------------------------------------------------------------------ the shared-memory build
function sections(b) {
  const out = new Map();
  let i = 8;
  while (i < b.length) {
    const id = b[i++];
    let size = 0, shift = 0, x;
    do { x = b[i++]; size += (x & 0x7f) * 2 ** shift; shift += 7; } while (x & 0x80);
    out.set(id, b.subarray(i, i + size));
    i += size;
  }
  return out;
}
{
  const s = sections(wasm.simd), t = sections(wasm.threads);
  // type, import, function, global, export and code sections must match what the derivation gives
  // (data segments may differ: asc writes zero-filled ones for an imported memory).
  const same = (id) => Buffer.compare(s.get(id) ?? Buffer.alloc(0), t.get(id) ?? Buffer.alloc(0)) === 0;
  const bad = [1, 3, 6, 7, 10].filter((id) => !same(id));
  if (bad.length || s.has(2) || !t.has(2) || t.get(2).length !== 18) {
    throw new Error(`build-wasm: the shared-memory build is no longer the SIMD build with an imported shared memory ` +
      `(sections ${bad.join(", ") || "imports"} differ: do the kernels use atomics now?). Embed tinyjax.threads.wasm ` +
      `itself (as a delta against the SIMD build) and load it in src/backend/wasm/module.ts.`);
  }
}

// ------------------------------------------------------------------ the scalar build as a delta
/**
 * Greedy LZ77 of `target` against `base`: [literal length, literals, copy length, copy source as
 * zigzag of its distance from the previous copy's end], LEB128. Sources are found through a hash of
 * 4-byte keys; the longest match wins, ties go to the nearest (small distances deflate well).
 */
function encodeDelta(base, target, minMatch = 8) {
  const key = (b, i) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
  const table = new Map();
  for (let i = 0; i + 4 <= base.length; i++) {
    const k = key(base, i);
    const l = table.get(k) ?? [];
    if (l.length < 64) l.push(i);
    table.set(k, l);
  }
  const out = [], lit = [];
  const leb = (n) => { while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n = Math.floor(n / 128); } out.push(n); };
  let p = 0, lastEnd = 0;
  const emit = (from, len) => {
    leb(lit.length);
    out.push(...lit);
    lit.length = 0;
    leb(len);
    if (len) {
      const d = from - lastEnd;
      leb(d < 0 ? -2 * d + 1 : 2 * d);
      lastEnd = from + len;
    }
  };
  while (p < target.length) {
    let best = 0, at = -1;
    for (const c of p + 4 <= target.length ? table.get(key(target, p)) ?? [] : []) {
      let l = 0;
      while (p + l < target.length && c + l < base.length && base[c + l] === target[p + l]) l++;
      if (l > best || (l === best && Math.abs(c - lastEnd) < Math.abs(at - lastEnd))) { best = l; at = c; }
    }
    if (best >= minMatch) { emit(at, best); p += best; } else lit.push(target[p++]);
  }
  if (lit.length) emit(0, 0);
  return Buffer.from(out);
}

/** The decoder of src/backend/wasm/wasm-binary.ts, to check the round trip here. */
function applyDelta(base, delta) {
  const parts = [];
  let i = 0, lastEnd = 0;
  const leb = () => { let r = 0, s = 0, b; do { b = delta[i++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; };
  while (i < delta.length) {
    const lit = leb();
    parts.push(delta.subarray(i, i + lit));
    i += lit;
    const len = leb();
    if (len) {
      const z = leb(), from = lastEnd + (z & 1 ? -(z - 1) / 2 : z / 2);
      parts.push(base.subarray(from, from + len));
      lastEnd = from + len;
    }
  }
  return Buffer.concat(parts);
}

const deflate = (b) => deflateRawSync(b, { level: constants.Z_BEST_COMPRESSION, memLevel: 9 });
const simd = deflate(wasm.simd);
const delta = encodeDelta(wasm.simd, wasm.scalar);
if (!applyDelta(wasm.simd, delta).equals(wasm.scalar)) throw new Error("build-wasm: the scalar delta does not round-trip");
const scalar = deflate(delta);
if (!inflateRawSync(scalar).equals(delta)) throw new Error("build-wasm: deflate does not round-trip");
const relaxedDelta = encodeDelta(wasm.simd, wasm.relaxed);
if (!applyDelta(wasm.simd, relaxedDelta).equals(wasm.relaxed)) throw new Error("build-wasm: the relaxed-SIMD delta does not round-trip");
const relaxed = deflate(relaxedDelta);

writeFileSync(target, `// Generated by scripts/build-wasm.mjs from assembly/. Do not edit.
// simdWasm: base64 of the deflate-raw stream of the SIMD build. scalarWasmDelta: base64 of the
// deflate-raw stream of the scalar build's delta against the SIMD build (src/backend/wasm/wasm-binary.ts);
// relaxedWasmDelta: the same for the relaxed-SIMD build.
export const simdWasm = ${JSON.stringify(simd.toString("base64"))};
export const scalarWasmDelta = ${JSON.stringify(scalar.toString("base64"))};
export const relaxedWasmDelta = ${JSON.stringify(relaxed.toString("base64"))};
`);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`wasm: SIMD ${kb(wasm.simd.length)} -> ${kb(simd.length)} deflated; scalar ${kb(wasm.scalar.length)} -> delta ${kb(delta.length)} -> ${kb(scalar.length)} deflated; ` +
  `relaxed-SIMD ${kb(wasm.relaxed.length)} -> delta ${kb(relaxedDelta.length)} -> ${kb(relaxed.length)} deflated; shared-memory build derived from the SIMD one (checked); into ${target.slice(root.length + 1)}`);
