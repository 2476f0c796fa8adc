// The real-JAX conformance cases (jax-conformance.test.ts) again with WebGPU as the default device,
// in a child process (the device is chosen at import): Node's `webgpu` package on SwiftShader here,
// a real adapter with WEBGPU_ADAPTER=system. Cases that need a synchronous read must raise the
// documented DeviceError; every other case must match JAX as on Wasm. No adapter fails in CI and
// skips locally, as the other WebGPU suites do.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";

const ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";
const env: Record<string, string | undefined> = { ...process.env, TINYJAX_TEST_DEVICE: "webgpu" };
if (!env.VK_ICD_FILENAMES && env.WEBGPU_ADAPTER !== "system" && fs.existsSync(ICD)) env.VK_ICD_FILENAMES = ICD;
const r = spawnSync(process.execPath, [new URL("./jax-conformance.test.js", import.meta.url).pathname], { env, encoding: "utf8", maxBuffer: 64 << 20 });
const out = (r.stdout ?? "") + (r.stderr ?? "");
const noAdapter = /TINYJAX_TEST_DEVICE=webgpu, but this runtime has only/.test(out);

if (noAdapter && process.env.CI !== "true") {
  console.log("webgpu-conformance.test: SKIPPED locally (no WebGPU adapter)");
  test("webgpu conformance: no adapter here, skipped (it fails in CI)", () => {});
  test.skip("jax-conformance on webgpu", () => {});
} else {
  test("jax-conformance cases on webgpu match JAX (or raise the documented DeviceError where a synchronous read is needed)", () => {
    const num = (k: string) => Number((new RegExp(`${k}:\\s+(\\d+)`).exec(out) ?? [])[1] ?? 0);
    const hostOnly = /(\d+) cases need a synchronous read/.exec(out);
    if (hostOnly) console.log(`webgpu-conformance: ${hostOnly[0]}`);
    assert.ok(r.status === 0 && num("Total") > 300 && num("Passed") === num("Total"),
      `jax-conformance on webgpu: ${num("Passed")}/${num("Total")} passed, exit ${r.status}\n${out.split("\n").filter((l) => /FAIL|✘|Error|SKIPPED|only/.test(l)).slice(0, 40).join("\n")}`);
  });
}

test.run();
