// Runs the smoke suite in a JS runtime with a command line: Node, Deno or Bun.
//   node test/runtimes/cli.mjs [dist/tinyjax.js]
//   deno run --allow-read=. test/runtimes/cli.mjs dist/tinyjax.min.js   (no other permission)
//   bun test/runtimes/cli.mjs
// Prints the checks, then one line `SMOKE {json}` that the drivers parse, and exits non-zero on a
// failure where the runtime lets a script set its exit code (an edge runtime has no process).
import { runSmokeAll, describe } from "./smoke.mjs";

const g = globalThis;
const args = g.Deno ? g.Deno.args : g.process?.argv.slice(2) ?? [];
const bundle = resolveBundle(args[0]);

/** A bundle path: absolute, a file: URL, or relative to the working directory. */
function resolveBundle(arg) {
  if (!arg) return new URL("../../dist/tinyjax.js", import.meta.url);
  if (arg.startsWith("file:")) return new URL(arg);
  if (arg.startsWith("/")) return new URL(`file://${arg}`);
  return new URL(arg, `file://${g.Deno ? g.Deno.cwd() : g.process.cwd()}/`);
}

const t0 = performance.now();
const tj = await import(bundle.href);
const tImport = performance.now() - t0;
const summary = await runSmokeAll(tj);
summary.runtime = runtimeName();
summary.bundle = args[0] ?? "dist/tinyjax.js";
summary.importMs = Math.round(tImport);
console.log(`${summary.runtime}: ${summary.bundle} imported in ${summary.importMs} ms`);
console.log(describe(summary));
console.log("SMOKE " + JSON.stringify(summary));
if (!summary.ok) {
  if (g.Deno) g.Deno.exit(1);
  else if (g.process) g.process.exitCode = 1;
}

function runtimeName() {
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  if (g.process?.versions?.node) return `node ${g.process.versions.node}`;
  return typeof navigator !== "undefined" ? navigator.userAgent : "unknown runtime";
}
