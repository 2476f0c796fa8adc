// The relaxed-SIMD build (f32x4.relaxed_madd in the matmul/conv register tile and the polynomial
// steps of the transcendentals): chosen where
// relaxed SIMD validates (Node 20: only under --experimental-wasm-relaxed-simd), capped by
// TINYJAX_WASM, and accurate. Each case runs test/relaxed-child.ts in a fresh Node process, since
// the build is chosen once, at import.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { relaxedSimdSupported } from "../src/backend/wasm/module.js";

const FLAG = "--experimental-wasm-relaxed-simd";
const child = fileURLToPath(new URL("./relaxed-child.js", import.meta.url));
const goldens: { name: string }[] = JSON.parse(fs.readFileSync(new URL("../../test/goldens/conv.json", import.meta.url), "utf8"));

function run(flags: string[], env: Record<string, string> = {}, args = [child]) {
  const p = spawnSync(process.execPath, [...flags, ...args], { encoding: "utf8", timeout: 120_000, env: { ...process.env, TINYJAX_WASM: "", ...env } });
  return { status: p.status, out: p.stdout, err: p.stderr };
}

/** Node rejects V8 flags it does not know (a later V8 may drop this one once relaxed SIMD ships). */
const flagKnown = run([FLAG], {}, ["-e", "0"]).status === 0;
// Arm64 always has FMA; x86 has it where the CPU lists it (Linux tells; elsewhere: unknown).
const hasFma = process.arch === "arm64" ||
  (process.arch === "x64" && fs.existsSync("/proc/cpuinfo") ? /\bfma\b/.test(fs.readFileSync("/proc/cpuinfo", "utf8")) : null);

function check(where: string, flags: string[], env: Record<string, string>, relaxed: boolean): void {
  const r = run(flags, env);
  assert.is(r.status, 0, `${where}: child exited ${r.status}\n${r.err}`);
  const s = JSON.parse(r.out.trim().split("\n").pop()!);
  assert.ok(s.variant.startsWith("relaxed") === relaxed, `${where}: Wasm variant ${s.variant}`);
  for (const m of s.matmul) assert.ok(m.err <= 1, `${where}: matmul ${m.size} off by ${m.err.toFixed(2)} x the matmul tolerance`);
  for (const c of s.conv) assert.ok(c.err < 2e-5, `${where}: conv ${c.name}: ${c.err}`);
  assert.is(s.conv.length, 2 * goldens.length, `${where}: conv cases`);
  assert.is(s.winogradRuns, 2 * goldens.filter((g) => g.name.includes("winograd")).length, `${where}: Winograd runs`);
  assert.ok(s.threadSplitIdentical, `${where}: matmul bits depend on the thread count`);
  if (relaxed && hasFma) assert.ok(s.differsFromSimd > 0, `${where}: the relaxed build gave the SIMD build's bits on an FMA machine`);
  const worst = (xs: { err: number }[]) => Math.max(...xs.map((x) => x.err)).toPrecision(2);
  console.log(`  ${where}: ${s.variant}; worst matmul ${worst(s.matmul)} x tol, worst conv ${worst(s.conv)}; ` +
    `${s.differsFromSimd ?? "-"} of 2560 tile results differ from the SIMD build's`);
}

test("the default Node run picks a build by validation: relaxed only where relaxed SIMD validates", () => {
  check("node", [], {}, relaxedSimdSupported());
});

test(`under ${FLAG} the relaxed build runs and matmul/conv meet the float64 references and goldens`, () => {
  if (!flagKnown) return console.log(`  skipped: this Node (${process.version}) rejects ${FLAG}`);
  check(`node ${FLAG}`, [FLAG], {}, true);
});

test(`under ${FLAG} the fused polynomials of exp, log, tanh, erf and logistic stay within 2 ulp (the kernel suite)`, () => {
  if (!flagKnown) return console.log(`  skipped: this Node (${process.version}) rejects ${FLAG}`);
  // test/kernels.test.ts checks every transcendental against its reference on 2^18 random bit
  // patterns, special values and tails; run whole under the flag, it tests the relaxed build.
  const r = run([FLAG], {}, [fileURLToPath(new URL("./kernels.test.js", import.meta.url))]);
  assert.is(r.status, 0, `kernels suite on the relaxed build failed:\n${r.out.slice(-3000)}${r.err}`);
  assert.match(r.out, /Passed:\s+(\d+)/);
});

test("TINYJAX_WASM=simd keeps the plain SIMD build where relaxed SIMD validates; a bad level is a ValueError", () => {
  if (flagKnown) check(`node ${FLAG}, TINYJAX_WASM=simd`, [FLAG], { TINYJAX_WASM: "simd" }, false);
  const g = run(flagKnown ? [FLAG] : [], {}, ["--input-type=module", "-e",
    `globalThis.TINYJAX_WASM = "scalar"; const { memoryStats } = await import(${JSON.stringify(new URL("../src/index.js", import.meta.url).href)}); console.log(memoryStats().wasmVariant);`]);
  assert.is(g.out.trim(), "scalar", `globalThis.TINYJAX_WASM = "scalar": ${g.err}`);
  const bad = run([], { TINYJAX_WASM: "fma" });
  assert.is.not(bad.status, 0);
  assert.match(bad.err, /ValueError: TINYJAX_WASM=fma: no such Wasm level; use scalar, simd, relaxed/);
});

test.run();
