// jnp's extra math and statistics functions on WebGPU against the same calls on Wasm, over the
// float32/int32/bool golden cases of jnp-extras-math.test.ts (float64 is Wasm-only).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import { jnp, jit, Array as JArray } from "../src/index.js";
import { CLOSE, compare, onWasm, suite } from "./webgpu-setup.js";

interface Enc { dtype: "float32" | "float64" | "int32" | "bool"; shape: number[]; data: (number | string)[] }
interface Case { name: string; fn: string; args: unknown[]; kw: Record<string, unknown>; want: Enc | Enc[] }
const cases = (JSON.parse(fs.readFileSync(new URL("../../test/goldens/extras_math.json", import.meta.url), "utf8")) as { cases: Case[] }).cases
  // bincount without `length` reads x's values synchronously, which WebGPU cannot.
  .filter((c) => !JSON.stringify(c).includes("float64") && !(c.fn === "bincount" && !("length" in c.kw)));
const dec = (v: number | string) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));
const arg = (v: unknown): unknown => {
  if (v && typeof v === "object" && "arr" in v) { const e = (v as { arr: Enc }).arr; return jnp.array(e.data.map(dec), { dtype: e.dtype }).reshape(e.shape); }
  if (v && typeof v === "object" && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, arg(x)]));
  return v;
};
const J = jnp as unknown as Record<string, (...a: unknown[]) => JArray | JArray[]>;
const call = (c: Case) => J[c.fn](...c.args.map(arg), ...(Object.keys(c.kw).length ? [arg(c.kw)] : []));

suite("jnp extras on WebGPU", () => {
  test("every float32/int32/bool golden case matches Wasm, eager and under jit", async () => {
    assert.ok(cases.length > 140);
    const bad: string[] = [];
    for (const c of cases) {
      const want = onWasm(() => call(c));
      const diff = await compare(call(c), want, CLOSE);
      if (diff) bad.push(`${c.name}: ${diff}`);
      const viaJit = await compare(jit(() => call(c))(), want, CLOSE);
      if (viaJit) bad.push(`${c.name} (jit): ${viaJit}`);
    }
    assert.ok(!bad.length, bad.slice(0, 12).join("\n"));
  });
});

test.run();
