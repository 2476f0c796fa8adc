// Accuracy of the WebGPU backend's float32 math (src/webgpu/wgsl/lib-math.ts) on this machine's
// adapter: for each function, random arguments over its domain, the largest distance in ulps from
// the correctly rounded result (JS's double-precision Math, rounded to float32). Subnormal results
// are skipped (WGSL lets a GPU flush them to zero). Run after `npm run build`:
//
//   node scripts/webgpu-accuracy.mjs [--n 200000]
//
// Expected: at most 4 ulp everywhere (measured on SwiftShader and Mesa's lavapipe). A larger figure
// on a real GPU means its compiler transforms float code in a way the library does not anticipate.
const args = process.argv.slice(2);
const N = Number(args.includes("--n") ? args[args.indexOf("--n") + 1] : 200000);

const tj = await import("../build/src/index.js");
const { erf } = await import("../build/src/primitives/special.js");
const names = await tj.init();
if (!names.includes("webgpu")) {
  console.error("webgpu-accuracy: no WebGPU adapter");
  process.exit(1);
}
tj.defaultDevice("webgpu");
const { getBackend } = await import("../build/src/backend/registry.js");
const { jnp } = tj;

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const ord = (x) => { f32[0] = x; const b = u32[0]; return b & 0x80000000 ? -(b & 0x7fffffff) : b; };
let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
function sample(lo, hi, logScale) {
  const d = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    d[i] = logScale ? Math.exp(Math.log(lo) + rand() * (Math.log(hi) - Math.log(lo))) * (rand() < 0.5 ? -1 : 1) : lo + (hi - lo) * rand();
  }
  return d;
}

const unary = [
  ["exp", Math.exp, -87, 88], ["exp2", (x) => 2 ** x, -126, 127], ["expm1", Math.expm1, -5, 5], ["log", Math.log, 1e-30, 1e30, true],
  ["log1p", Math.log1p, -0.999, 10], ["sin", Math.sin, -10, 10], ["sin", Math.sin, 1e4, 1e30, true], ["cos", Math.cos, -100, 100],
  ["tan", Math.tan, -10, 10], ["arcsin", Math.asin, -1, 1], ["arccos", Math.acos, -1, 1], ["arctan", Math.atan, -100, 100],
  ["sinh", Math.sinh, -88, 88], ["cosh", Math.cosh, -88, 88], ["tanh", Math.tanh, -12, 12], ["arcsinh", Math.asinh, 1e-6, 1e20, true],
  ["arccosh", Math.acosh, 1, 1e6], ["arctanh", Math.atanh, -1, 1], ["erf", erf, -5, 5], ["sigmoid", (x) => 1 / (1 + Math.exp(-x)), -80, 80],
  ["cbrt", Math.cbrt, 1e-30, 1e30, true], ["sqrt", Math.sqrt, 1e-30, 1e30], ["rsqrt", (x) => 1 / Math.sqrt(x), 1e-30, 1e30],
];

function worst(args, got, ref) {
  let w = 0, at = 0;
  for (let i = 0; i < got.length; i++) {
    const want = Math.fround(ref(...args.map((a) => a[i])));
    if (!Number.isFinite(want) || Math.abs(want) < 1.2e-38) continue;
    const e = Math.abs(ord(got[i]) - ord(want));
    if (!(e <= w)) { w = Number.isNaN(e) ? Infinity : e; at = i; }
  }
  return { w, at };
}

console.log(`adapter: ${getBackend("webgpu").description}; ${N} arguments per row`);
for (const [name, ref, lo, hi, logScale] of unary) {
  const x = sample(lo, hi, logScale);
  if (name === "sqrt" || name === "rsqrt" || name === "cbrt" || name === "log") for (let i = 0; i < N; i++) x[i] = Math.abs(x[i]);
  const got = await jnp[name](jnp.array(x)).data();
  const { w, at } = worst([x], got, ref);
  console.log(`${name.padEnd(8)} [${lo}, ${hi}]`.padEnd(34) + `max ${String(w).padStart(3)} ulp   (x = ${x[at]})`);
}
for (const [name, ref, a, b] of [
  ["power", (p, q) => p ** q, sample(0.01, 100, true).map(Math.abs), sample(-30, 30)],
  ["arctan2", Math.atan2, sample(-30, 30), sample(-30, 30)],
  ["divide", (p, q) => p / q, sample(1e-20, 1e20, true), sample(1e-20, 1e20, true)],
]) {
  const got = await jnp[name](jnp.array(a), jnp.array(b)).data();
  const { w, at } = worst([a, b], got, ref);
  console.log(`${name.padEnd(8)}`.padEnd(34) + `max ${String(w).padStart(3)} ulp   (args ${a[at]}, ${b[at]})`);
}
process.exit(0);
