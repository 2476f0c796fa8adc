// Reading the golden files (test/goldens/*.json, written by test/goldens/make_goldens.py) and
// comparing values: shared by the golden suite on the default device (golden.test.ts) and on
// WebGPU (webgpu.test.ts).
import * as fs from "node:fs";
import { jnp } from "../src/index.js";
import * as tinyjax from "../src/index.js";

export type DTypeName = "float32" | "float64" | "int32" | "uint32" | "bool";
export type Tol = "exact" | "f32" | "matmul";
export type Data = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

export interface EncodedArray {
  array: true;
  dtype: DTypeName;
  shape: number[];
  b64: string;
}

export interface GoldenCase {
  name: string;
  fn: string;
  args: unknown[];
  opts?: Record<string, unknown>;
  out: EncodedArray | EncodedArray[];
  tol: Tol;
}

export const FILES = ["unary", "binary", "reductions", "shape", "linalg", "misc"] as const;
export const TOLERANCES: Record<Exclude<Tol, "exact">, { rtol: number; atol: number }> = {
  f32: { rtol: 1e-6, atol: 1e-6 },
  matmul: { rtol: 2e-5, atol: 2e-5 },
};
export const MAX_LISTED_FAILURES = 20;
export const MAX_MISMATCHES_SHOWN = 5;

export const FILTER = makeFilter(process.env.GOLDEN_FILTER);
export const VERBOSE = !!process.env.GOLDEN_VERBOSE && process.env.GOLDEN_VERBOSE !== "0";

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error("golden.test: the golden data is little-endian; this host is big-endian");
}

export function makeFilter(spec: string | undefined): (name: string) => boolean {
  if (!spec) return () => true;
  const m = /^\/(.*)\/([a-z]*)$/.exec(spec);
  if (m) {
    const re = new RegExp(m[1], m[2]);
    return (name) => re.test(name);
  }
  return (name) => name.includes(spec);
}

export function loadCases(file: string): GoldenCase[] {
  const text = fs.readFileSync(new URL(`../../test/goldens/${file}.json`, import.meta.url), "utf8");
  const parsed = JSON.parse(text) as { cases: GoldenCase[] };
  return parsed.cases;
}

export function isEncoded(v: unknown): v is EncodedArray {
  return typeof v === "object" && v !== null && (v as { array?: unknown }).array === true &&
    typeof (v as { b64?: unknown }).b64 === "string";
}

export function decodeData(e: EncodedArray): Data {
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
export function resolveFn(fn: string): { f: (...a: unknown[]) => unknown; self: unknown } | undefined {
  const root = tinyjax as unknown as Record<string, any>;
  const spaces: unknown[] = [jnp, root.nn, root.lax, root.scipy?.special];
  for (const ns of spaces) {
    const f = (ns as Record<string, unknown> | undefined)?.[fn];
    if (typeof f === "function") return { f: f as (...a: unknown[]) => unknown, self: ns };
  }
  return undefined;
}

export function fmt(v: number): string {
  return Object.is(v, -0) ? "-0" : String(v);
}

export function unravel(i: number, shape: readonly number[]): string {
  if (shape.length === 0) return "[]";
  const idx: number[] = new Array(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return `[${idx.join(",")}]`;
}

export function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `JS array of length ${v.length}`;
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return `${typeof v} ${String(v)}`;
}

export function valuesMatch(g: number, w: number, dtype: DTypeName, tol: Tol): boolean {
  if (dtype === "bool") return (g !== 0) === (w !== 0);
  if (dtype === "int32" || dtype === "uint32") return g === w;
  if (tol === "exact") return Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w));
  if (Number.isNaN(w)) return Number.isNaN(g);
  if (!Number.isFinite(w)) return g === w;
  const { rtol, atol } = TOLERANCES[tol];
  return Number.isFinite(g) && Math.abs(g - w) <= atol + rtol * Math.abs(w);
}

