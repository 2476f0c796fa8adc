// The WebGPU suites again under Deno, whose built-in WebGPU is another implementation (wgpu, where
// Node's `webgpu` package is Dawn), on another driver (Mesa's lavapipe where installed, see
// scripts/ci/install-webgpu.sh). Deno comes from the `deno` npm package. Missing Deno or a missing
// adapter fails in CI and skips locally, saying why.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";

const root = new URL("../..", import.meta.url).pathname;
const deno = `${root}node_modules/.bin/deno`;
const LAVAPIPE = "/usr/share/vulkan/icd.d/lvp_icd.x86_64.json";
const CI = process.env.CI === "true";

function run(file: string): { out: string; passed: number; total: number; status: number | null } {
  const env = { ...process.env };
  if (fs.existsSync(LAVAPIPE)) env.VK_ICD_FILENAMES = LAVAPIPE;
  const r = spawnSync(deno, ["run", "-A", `${root}build/test/${file}`], { cwd: root, env, encoding: "utf8", maxBuffer: 64 << 20 });
  const out = (r.stdout ?? "") + (r.stderr ?? "");
  const num = (k: string) => Number((new RegExp(`${k}:\\s+(\\d+)`).exec(out) ?? [])[1] ?? 0);
  return { out, passed: num("Passed"), total: num("Total"), status: r.status };
}

if (!fs.existsSync(deno)) {
  const why = `Deno is not installed (${deno}; it comes with npm ci)`;
  if (CI) test("webgpu under deno: deno is installed in CI", () => { assert.unreachable(why); });
  else {
    console.log(`webgpu-deno.test: SKIPPED locally (${why})`);
    test("webgpu under deno: no deno here, skipped (it fails in CI)", () => {});
    test.skip("webgpu suites under deno", () => {});
  }
} else {
  for (const file of ["webgpu.test.js", "webgpu-transforms.test.js"]) {
    test(`${file} under deno`, () => {
      const r = run(file);
      const skipped = /SKIPPED locally/.test(r.out);
      if (skipped && !CI) {
        console.log(`webgpu-deno.test: ${file} skipped under deno (no adapter)`);
        return;
      }
      const summary = r.out.split("\n").filter((l) => /webgpu.*: .*(llvmpipe|SwiftShader|Device|driver)/i.test(l)).join(" ");
      if (summary) console.log(`deno: ${summary.slice(0, 200)}`);
      assert.ok(r.status === 0 && r.total > 0 && r.passed === r.total,
        `${file} under deno: ${r.passed}/${r.total} passed, exit ${r.status}\n${r.out.split("\n").filter((l) => !/XDG_RUNTIME_DIR/.test(l)).slice(-60).join("\n")}`);
    });
  }
}

test.run();
