// Stands in for an edge runtime (Cloudflare Workers, Vercel Edge, Deno Deploy): runs the smoke
// suite in Node with every Node-only global removed, Node built-in imports refused (edge-hooks.mjs)
// and code generation from strings disabled. Run as
//   node --disallow-code-generation-from-strings test/runtimes/edge.mjs <bundle> [--no-simd]
// --no-simd makes WebAssembly.validate reject SIMD modules first, as on a runtime without Wasm
// SIMD, so the scalar binary is the one loaded.
// With no `process`, a failure is reported by throwing at the top level (exit code 1).
import { register } from "node:module";
import { pathToFileURL } from "node:url";
import { runSmokeAll, describe } from "./smoke.mjs";
import { declaresV128 } from "../../scripts/wasm-types.mjs";

const args = process.argv.slice(2);
const noSimd = args.includes("--no-simd");
const file = args.find((a) => !a.startsWith("--")) ?? "dist/tinyjax.js";
const bundle = pathToFileURL(file).href;
const nodeVersion = process.versions.node;
register("./edge-hooks.mjs", import.meta.url);

// What only Node has. (navigator is also absent from Node 20; fetch, crypto, atob, TextEncoder,
// WebAssembly, performance, structuredClone and queueMicrotask are web APIs that edge runtimes have.)
const nodeOnly = ["process", "Buffer", "global", "setImmediate", "clearImmediate", "require", "module",
  "exports", "__filename", "__dirname"];
for (const name of nodeOnly) {
  if (!(name in globalThis)) continue;
  delete globalThis[name];
  if (name in globalThis) Object.defineProperty(globalThis, name, { value: undefined, configurable: true, writable: true });
}
const stillThere = nodeOnly.filter((n) => globalThis[n] !== undefined);
if (stillThere.length) throw new Error(`could not hide ${stillThere.join(", ")}`);
let codegen = "allowed";
try { (0, eval)("1"); } catch { codegen = "disallowed"; }

if (noSimd) {
  const validate = WebAssembly.validate;
  // The SIMD probe and the SIMD binary both contain v128 opcodes; reject any module that
  // declares a v128 value type (0x7b) in its type section, like a runtime without SIMD would.
  WebAssembly.validate = (bytes) => validate(bytes) && !declaresV128(new Uint8Array(bytes.buffer ?? bytes));
}

const t0 = performance.now();
const tj = await import(bundle);
const importMs = Math.round(performance.now() - t0);
const summary = await runSmokeAll(tj);
Object.assign(summary, {
  runtime: `node ${nodeVersion} as an edge runtime${noSimd ? " without Wasm SIMD" : ""}`,
  bundle: file, importMs, hidden: nodeOnly, codegen,
});
console.log(`${summary.runtime}: ${file} imported in ${importMs} ms; hidden: ${nodeOnly.join(", ")}; eval ${codegen}`);
console.log(describe(summary));
console.log("SMOKE " + JSON.stringify(summary));
if (!summary.ok) throw new Error("smoke suite failed");
