// Finds the runtimes the smoke suite runs on, builds the bundle when it is stale, and runs the
// command-line drivers. Used by test/runtimes.test.ts.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

function executable(p) {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** The Deno binary: $DENO_BIN, the npm package `deno` (a devDependency), or PATH. */
export function findDeno() {
  const candidates = [process.env.DENO_BIN, join(root, "node_modules/deno/deno")];
  const scoped = join(root, "node_modules/@deno");
  if (existsSync(scoped)) for (const d of readdirSync(scoped)) candidates.push(join(scoped, d, "deno"));
  return candidates.find((p) => p && executable(p)) ?? onPath("deno");
}

/** The Bun binary: $BUN_BIN, the npm package `bun` (a devDependency), or PATH. */
export function findBun() {
  const candidates = [process.env.BUN_BIN, join(root, "node_modules/bun/bin/bun.exe")];
  const scoped = join(root, "node_modules/@oven");
  if (existsSync(scoped)) for (const d of readdirSync(scoped)) candidates.push(join(scoped, d, "bin/bun"));
  return candidates.find((p) => p && executable(p)) ?? onPath("bun");
}

export function findPlaywright() {
  return existsSync(join(root, "node_modules/playwright-core/package.json"));
}

// ------------------------------------------------------------------ the bundle

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  }).sort();
}

/** A hash of everything the bundle is made from (tsc's output and the rollup config). */
function inputsHash() {
  const h = createHash("sha256");
  const inputs = [...filesUnder(join(root, "build/src")), ...filesUnder(join(root, "build/assembly")), join(root, "rollup.config.js")];
  for (const f of inputs) {
    if (!/\.(js|d\.ts)$/.test(f)) continue;
    h.update(f).update(readFileSync(f));
  }
  return h.digest("hex");
}

const outputs = ["dist/tinyjax.js", "dist/tinyjax.min.js", "dist/tinyjax.d.ts", "dist/chunks/webgpu.js", "dist/chunks/webgpu.min.js"];

/**
 * Runs rollup (`rollup -c`) unless dist/ was already built from the current build/src (needs
 * `npm run build` first). Returns { built, ms }.
 */
export function ensureBundle() {
  if (!existsSync(join(root, "build/src/index.js"))) throw new Error("build/src/index.js is missing: run `npm run build` first");
  const stamp = join(root, "build/bundle-inputs-hash");
  const hash = inputsHash();
  const fresh = outputs.every((f) => existsSync(join(root, f))) && existsSync(stamp) && readFileSync(stamp, "utf8") === hash;
  if (fresh) return { built: false, ms: 0 };
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(root, "node_modules/rollup/dist/bin/rollup"), "-c", "--silent"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`rollup -c failed:\n${r.stdout}${r.stderr}`);
  writeFileSync(stamp, hash);
  return { built: true, ms: Date.now() - t0 };
}

// ------------------------------------------------------------------ drivers

/**
 * Runs a command-line driver and returns { summary, output, status }. summary is the parsed
 * `SMOKE {...}` line, or null when the driver died before printing it.
 */
export function runDriver(cmd, args, { timeout = 120_000, env } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: root, encoding: "utf8", timeout, maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? `\n${r.error}` : ""}`;
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("SMOKE "));
  return { summary: line ? JSON.parse(line.slice(6)) : null, output, status: r.status };
}

export const drivers = {
  node: (bundle) => [process.execPath, [join(root, "test/runtimes/cli.mjs"), bundle]],
  edge: (bundle, extra = []) => [process.execPath, ["--disallow-code-generation-from-strings", join(root, "test/runtimes/edge.mjs"), bundle, ...extra]],
  // No permission but reading the repository: no env, net, write, run or FFI.
  deno: (bundle, bin) => [bin, ["run", "--no-prompt", `--allow-read=${root}`, join(root, "test/runtimes/cli.mjs"), join(root, bundle)]],
  bun: (bundle, bin) => [bin, [join(root, "test/runtimes/cli.mjs"), join(root, bundle)]],
};
