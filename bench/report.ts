// Formats benchmark results as a plain-text table (terminal) and as Markdown (bench/RESULTS.md).
import type { Unit } from "./cases.js";
import type { Roofline } from "./roofline.js";

export type PeerResult =
  | { ms: number; samples: number[]; callsPerSample: number; rate: number; err: number; agrees: boolean }
  | { skipped: string };

export interface CaseResult {
  name: string;
  group: string;
  unit: Unit;
  work: number;
  peak: "flops" | "copy" | "read" | null;
  tol: number;
  results: Record<string, PeerResult>;
  notes?: Record<string, string>;
}

function notesOf(results: CaseResult[], peers: string[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    for (const [p, note] of Object.entries(r.notes ?? {})) if (peers.includes(p)) out.push(`${r.name}, ${p}: ${note}.`);
    for (const p of peers) {
      const v = r.results[p];
      if (v && "skipped" in v) out.push(`${r.name}, ${p}: not run (${v.skipped}).`);
    }
  }
  return out;
}

function fmtTime(ms: number, unit: Unit): string {
  if (unit === "us/call") return `${(ms * 1000).toFixed(2)} us`;
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

function fmtNum(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

interface Row { cells: string[] }

function rows(results: CaseResult[], roofline: Roofline, peers: string[]): { head: string[]; body: Row[] } {
  const others = peers.filter((p) => p !== "tinyjax");
  const head = ["case", ...peers.map((p) => `${p} ms`), "tinyjax rate", "% of peak", ...others.map((p) => `x vs ${p}`), "agree"];
  const body: Row[] = [];
  for (const r of results) {
    const tj = r.results.tinyjax;
    const cells = [r.name];
    for (const p of peers) {
      const v = r.results[p];
      cells.push(!v ? "-" : "skipped" in v ? "n/a" : fmtTime(v.ms, r.unit));
    }
    if (tj && "ms" in tj) {
      cells.push(r.unit === "us/call" ? `${(tj.ms * 1000).toFixed(2)} us/call` : `${fmtNum(tj.rate)} ${r.unit}`);
      const peak = r.peak === "flops" ? roofline.peakGflops : r.peak === "copy" ? roofline.copyGBs : r.peak === "read" ? roofline.readGBs : 0;
      cells.push(peak ? `${((100 * tj.rate) / peak).toFixed(0)}%` : "-");
      for (const p of others) {
        const v = r.results[p];
        cells.push(v && "ms" in v ? `${(v.ms / tj.ms).toFixed(2)}x` : "-");
      }
    } else {
      cells.push("-", "-", ...others.map(() => "-"));
    }
    const bad = peers.filter((p) => { const v = r.results[p]; return v && "agrees" in v && !v.agrees; });
    cells.push(bad.length ? `NO: ${bad.join(", ")}` : "yes");
    body.push({ cells });
  }
  return { head, body };
}

/** A fixed-width table for the terminal. */
export function formatTable(results: CaseResult[], roofline: Roofline, peers: string[]): string {
  const { head, body } = rows(results, roofline, peers);
  const all = [head, ...body.map((r) => r.cells)];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [
    `Roofline (this machine, one thread): SIMD f32 mul+add peak ${roofline.peakGflops.toFixed(1)} GFLOP/s, ` +
      `copy ${roofline.copyGBs.toFixed(1)} GB/s (read + write), read ${roofline.readGBs.toFixed(1)} GB/s.`,
    `Times are medians per call; "x vs peer" is peer time / tinyjax time (above 1: tinyjax is faster).`,
    "",
    line(head), rule, ...body.map((r) => line(r.cells)),
    ...notesOf(results, peers).map((n) => `* ${n}`),
  ].join("\n");
}

interface Meta {
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; platform: string; node: string; v8: string };
  options: { threads: number; wasmVariant: string };
  seconds: number;
  load: number[];
  roofline: Roofline;
}

/** bench/RESULTS.md: the latest full run, with the machine and the peak it is measured against. */
export function formatMarkdown(results: CaseResult[], meta: Meta, peers: string[]): string {
  const { head, body } = rows(results, meta.roofline, peers);
  const m = meta.machine;
  return [
    "# Benchmark results",
    "",
    `Latest \`npm run bench\` (${meta.date.slice(0, 10)}): ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, ` +
      `Node ${m.node} (V8 ${m.v8}); ${meta.seconds.toFixed(0)} s in all; one-minute load average ` +
      `${meta.load.map((l) => l.toFixed(1)).join(" before, ")} after (${m.cores} cores: above ~1 other work shared the machine). ` +
      (meta.options.threads === 1 ? "Single-threaded float32 throughout (tinyjax run with `numThreads` 1; " : `Float32; tinyjax on ${meta.options.threads} threads (`) +
      "tfjs-wasm uses no threads in Node; jax-js only spawns Workers where a global `Worker` exists). " +
      `tinyjax's Wasm build: \`${meta.options.wasmVariant}\`` +
      (meta.options.wasmVariant.startsWith("relaxed") ? " (relaxed SIMD: fused multiply-adds in matmul and convolution, so matmul can pass the unfused peak below)." : "."),
    "",
    `Roofline measured by the same run (bench/roofline.ts): Wasm SIMD f32 multiply+add peak ` +
      `**${meta.roofline.peakGflops.toFixed(1)} GFLOP/s**, copy bandwidth **${meta.roofline.copyGBs.toFixed(1)} GB/s** ` +
      `(bytes read + written), read bandwidth **${meta.roofline.readGBs.toFixed(1)} GB/s**. "% of peak" compares tinyjax's ` +
      "rate with the peak (matmul), the copy bandwidth (elementwise, transpose, softmax: bytes of inputs + output) " +
      "or the read bandwidth (reductions: bytes of input).",
    "",
    "Times are medians of interleaved samples, in milliseconds per call; \"x vs peer\" is the peer's time divided by " +
      "tinyjax's (above 1 means tinyjax is faster). \"agree\" says every library's result matched tinyjax's within the " +
      "case's tolerance. \"fresh B\" gives every matmul call a new right-hand array, which defeats packed-weight caches " +
      "(tfjs-wasm's XNNPACK keeps the packed B of a tensor it has seen).",
    "",
    `| ${head.join(" | ")} |`,
    `| ${head.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...body.map((r) => `| ${r.cells.join(" | ")} |`),
    "",
    ...notesOf(results, peers).map((n) => `* ${n}`),
    "",
  ].join("\n");
}
