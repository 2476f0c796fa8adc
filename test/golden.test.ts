// Golden-value suite: every case in test/goldens/*.json (written by test/goldens/make_goldens.py
// from numpy, with JAX's dtype rules) is run through tinyjax's `jnp` and compared on dtype, shape
// and values. One uvu test per golden file; all failures of a file are collected and reported
// together, so one broken op doesn't hide the others.
//
//   GOLDEN_FILTER=sin         only cases whose name contains "sin" (or GOLDEN_FILTER=/regex/)
//   GOLDEN_VERBOSE=1          print every failure, not just the first 20 per file
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import { jnp } from "../src/index.js";
import * as tinyjax from "../src/index.js";

type DTypeName = "float32" | "float64" | "int32" | "uint32" | "bool";
type Tol = "exact" | "f32" | "matmul";
type Data = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

interface EncodedArray {
  array: true;
  dtype: DTypeName;
  shape: number[];
  b64: string;
}

interface GoldenCase {
  name: string;
  fn: string;
  args: unknown[];
  opts?: Record<string, unknown>;
  out: EncodedArray | EncodedArray[];
  tol: Tol;
}

const FILES = ["unary", "binary", "reductions", "shape", "linalg", "misc"] as const;
const TOLERANCES: Record<Exclude<Tol, "exact">, { rtol: number; atol: number }> = {
  f32: { rtol: 1e-6, atol: 1e-6 },
  matmul: { rtol: 2e-5, atol: 2e-5 },
};
const MAX_LISTED_FAILURES = 20;
const MAX_MISMATCHES_SHOWN = 5;

const FILTER = makeFilter(process.env.GOLDEN_FILTER);
const VERBOSE = !!process.env.GOLDEN_VERBOSE && process.env.GOLDEN_VERBOSE !== "0";

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error("golden.test: the golden data is little-endian; this host is big-endian");
}

function makeFilter(spec: string | undefined): (name: string) => boolean {
  if (!spec) return () => true;
  const m = /^\/(.*)\/([a-z]*)$/.exec(spec);
  if (m) {
    const re = new RegExp(m[1], m[2]);
    return (name) => re.test(name);
  }
  return (name) => name.includes(spec);
}

function loadCases(file: string): GoldenCase[] {
  const text = fs.readFileSync(new URL(`../../test/goldens/${file}.json`, import.meta.url), "utf8");
  const parsed = JSON.parse(text) as { cases: GoldenCase[] };
  return parsed.cases;
}

function isEncoded(v: unknown): v is EncodedArray {
  return typeof v === "object" && v !== null && (v as { array?: unknown }).array === true &&
    typeof (v as { b64?: unknown }).b64 === "string";
}

function decodeData(e: EncodedArray): Data {
  // Copy into a fresh Uint8Array so the ArrayBuffer is our own and aligned (Buffer may pool).
  const bytes = new Uint8Array(Buffer.from(e.b64, "base64"));
  const buf = bytes.buffer;
  let data: Data;
  switch (e.dtype) {
    case "float32": data = new Float32Array(buf); break;
    case "float64": data = new Float64Array(buf); break;
    case "int32": data = new Int32Array(buf); break;
    case "uint32": data = new Uint32Array(buf); break;
    case "bool": data = bytes; break;
    default: throw new Error(`unknown dtype ${JSON.stringify((e as { dtype: unknown }).dtype)} in golden file`);
  }
  const size = e.shape.reduce((a, b) => a * b, 1);
  if (data.length !== size) {
    throw new Error(`golden array has ${data.length} elements but shape [${e.shape}] needs ${size}`);
  }
  return data;
}

/** Finds the function: jnp first, then the namespaces JAX keeps some of these in. */
function resolveFn(fn: string): { f: (...a: unknown[]) => unknown; self: unknown } | undefined {
  const root = tinyjax as unknown as Record<string, any>;
  const spaces: unknown[] = [jnp, root.nn, root.lax, root.scipy?.special];
  for (const ns of spaces) {
    const f = (ns as Record<string, unknown> | undefined)?.[fn];
    if (typeof f === "function") return { f: f as (...a: unknown[]) => unknown, self: ns };
  }
  return undefined;
}

function fmt(v: number): string {
  return Object.is(v, -0) ? "-0" : String(v);
}

function unravel(i: number, shape: readonly number[]): string {
  if (shape.length === 0) return "[]";
  const idx: number[] = new Array(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return `[${idx.join(",")}]`;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `JS array of length ${v.length}`;
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return `${typeof v} ${String(v)}`;
}

function valuesMatch(g: number, w: number, dtype: DTypeName, tol: Tol): boolean {
  if (dtype === "bool") return (g !== 0) === (w !== 0);
  if (dtype === "int32" || dtype === "uint32") return g === w;
  if (tol === "exact") return Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w));
  if (Number.isNaN(w)) return Number.isNaN(g);
  if (!Number.isFinite(w)) return g === w;
  const { rtol, atol } = TOLERANCES[tol];
  return Number.isFinite(g) && Math.abs(g - w) <= atol + rtol * Math.abs(w);
}

/** Compares one result array against its golden; returns a description of the problem or null. */
function compareArray(got: unknown, want: EncodedArray, tol: Tol, label: string): string | null {
  const g = got as { dtype?: unknown; shape?: unknown; dataSync?: () => ArrayLike<number> } | null;
  if (!g || typeof g.dataSync !== "function") {
    return `${label}expected an Array, got ${describe(got)}`;
  }
  if (g.dtype !== want.dtype) {
    return `${label}dtype ${String(g.dtype)}, want ${want.dtype}`;
  }
  const gotShape = Array.from((g.shape ?? []) as ArrayLike<number>);
  if (gotShape.length !== want.shape.length || gotShape.some((d, i) => d !== want.shape[i])) {
    return `${label}shape [${gotShape.join(",")}], want [${want.shape.join(",")}]`;
  }
  const gd = g.dataSync();
  const wd = decodeData(want);
  if (gd.length !== wd.length) {
    return `${label}dataSync() has ${gd.length} elements, want ${wd.length}`;
  }
  let bad = 0;
  const shown: string[] = [];
  for (let i = 0; i < wd.length; i++) {
    const gv = Number(gd[i]);
    const wv = wd[i];
    if (!valuesMatch(gv, wv, want.dtype, tol)) {
      bad++;
      if (shown.length < MAX_MISMATCHES_SHOWN) {
        shown.push(`${unravel(i, want.shape)} got ${fmt(gv)} want ${fmt(wv)}`);
      }
    }
  }
  if (bad === 0) return null;
  return `${label}${bad} of ${wd.length} values differ (tol ${tol}): ${shown.join("; ")}${bad > shown.length ? "; ..." : ""}`;
}

function dispose(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) dispose(x);
    return;
  }
  const d = (v as { dispose?: unknown } | null)?.dispose;
  if (typeof d === "function") {
    try {
      d.call(v);
    } catch {
      // already freed or not disposable: not what this suite tests
    }
  }
}

/** Runs one case; returns a failure description, or null when it passes. */
function runCase(c: GoldenCase): string | null {
  const target = resolveFn(c.fn);
  if (!target) return `jnp.${c.fn} is not a function (nor nn.${c.fn}, lax.${c.fn}, scipy.special.${c.fn})`;
  const made: unknown[] = [];
  const toArray = (e: EncodedArray): unknown => {
    const a = jnp.array(decodeData(e) as any, { dtype: e.dtype, shape: e.shape } as any);
    made.push(a);
    return a;
  };
  let result: unknown;
  try {
    const args = c.args.map((v) => {
      if (isEncoded(v)) return toArray(v);
      if (Array.isArray(v) && v.length > 0 && v.every(isEncoded)) return v.map(toArray);
      return v;
    });
    if (c.opts !== undefined) args.push(c.opts);
    result = target.f.apply(target.self, args);
  } catch (err) {
    dispose(made);
    const e = err as { name?: string; message?: string };
    const msg = String(e?.message ?? err).split("\n")[0];
    return `threw ${e?.name ?? "error"}: ${msg}`;
  }
  try {
    if (Array.isArray(c.out)) {
      if (!Array.isArray(result)) return `expected a list of ${c.out.length} arrays, got ${describe(result)}`;
      if (result.length !== c.out.length) return `expected ${c.out.length} arrays, got ${result.length}`;
      const problems: string[] = [];
      c.out.forEach((w, k) => {
        const p = compareArray(result[k], w, c.tol, `output ${k}: `);
        if (p) problems.push(p);
      });
      return problems.length ? problems.join(" | ") : null;
    }
    return compareArray(result, c.out, c.tol, "");
  } catch (err) {
    const e = err as { name?: string; message?: string };
    return `reading the result threw ${e?.name ?? "error"}: ${String(e?.message ?? err).split("\n")[0]}`;
  } finally {
    dispose(made);
    dispose(result);
  }
}

for (const file of FILES) {
  test(`goldens: ${file}.json`, () => {
    const cases = loadCases(file).filter((c) => FILTER(c.name));
    const failures: { name: string; fn: string; detail: string }[] = [];
    for (const c of cases) {
      const detail = runCase(c);
      if (detail !== null) failures.push({ name: c.name, fn: c.fn, detail });
    }
    if (failures.length === 0) return;

    const byFn = new Map<string, number>();
    for (const f of failures) byFn.set(f.fn, (byFn.get(f.fn) ?? 0) + 1);
    const fnSummary = [...byFn.entries()].sort((a, b) => b[1] - a[1]).map(([fn, n]) => `${fn} (${n})`).join(", ");
    const listed = VERBOSE ? failures : failures.slice(0, MAX_LISTED_FAILURES);
    const lines = [
      `${failures.length} of ${cases.length} golden cases failed in ${file}.json`,
      `failing functions: ${fnSummary}`,
      ...listed.map((f) => `  - ${f.name}: ${f.detail}`),
    ];
    if (listed.length < failures.length) {
      lines.push(`  ... and ${failures.length - listed.length} more (GOLDEN_VERBOSE=1 lists all, GOLDEN_FILTER=name narrows)`);
    }
    assert.ok(false, lines.join("\n"));
  });
}

test.run();
