// The smoke suite in a browser page (browser.html). The Chromium driver reads window.__smoke.
import { runSmokeAll, describe } from "./smoke.mjs";

const bundle = new URLSearchParams(location.search).get("bundle") ?? "/dist/tinyjax.min.js";
const out = document.getElementById("out");
try {
  const t0 = performance.now();
  const tj = await import(bundle);
  const importMs = Math.round(performance.now() - t0);
  const summary = await runSmokeAll(tj);
  Object.assign(summary, {
    runtime: navigator.userAgent, bundle, importMs,
    webgpu: { navigatorGpu: "gpu" in navigator, adapter: await hasAdapter() },
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  });
  out.textContent = `${bundle} imported in ${importMs} ms\n${describe(summary)}`;
  window.__smoke = summary;
} catch (e) {
  out.textContent = String(e && e.stack || e);
  window.__smoke = { ok: false, error: String(e && e.stack || e), runs: [] };
}
document.title = `tinyjax smoke: ${window.__smoke.ok ? "ok" : "FAILED"}`;

async function hasAdapter() {
  try {
    return !!(navigator.gpu && await navigator.gpu.requestAdapter());
  } catch {
    return false;
  }
}
