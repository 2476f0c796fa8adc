// Runs every compiled test file under build/test with uvu (one process per file, so a crash in
// one file cannot hide the others), then prints the one summary line CI reads.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const dir = join(root, "build", "test");
const only = process.argv[2];

function files(d) {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".test.js") ? [p] : [];
  }).sort();
}

let passed = 0, failed = 0, skipped = 0;
const broken = [];
for (const f of files(dir)) {
  if (only && !f.includes(only)) continue;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ["--expose-gc", f], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const out = (r.stdout ?? "") + (r.stderr ?? "");
  const num = (k) => Number((new RegExp(`${k}:\\s+(\\d+)`).exec(out) ?? [])[1] ?? 0);
  const total = num("Total"), ok = num("Passed"), skip = num("Skipped");
  // uvu's Total leaves skipped tests out.
  const bad = total - ok;
  passed += ok; skipped += skip; failed += bad;
  const name = relative(dir, f);
  if (r.status !== 0 || bad > 0 || total === 0) {
    if (bad === 0) { failed += 1; }
    broken.push(name);
    process.stdout.write(out);
  }
  console.log(`${r.status === 0 && bad === 0 && total > 0 ? "ok  " : "FAIL"} ${name}: ${ok}/${total} passed${skip ? `, ${skip} skipped` : ""} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
}
if (broken.length) console.log(`\nfailing files: ${broken.join(", ")}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed ? 1 : 0);
