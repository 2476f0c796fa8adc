// The one shader builder: a kernel is its bindings, its body and the library functions the body
// names. Every kernel gets the same preamble: binding 0 is a uniform block of u32 parameters read
// with m(i) (shapes, strides, sizes: so one pipeline serves every shape), bindings 1.. are storage
// arrays, and `i` is the flat invocation index over a 2-D grid of workgroups (a dimension holds at
// most 65535 of them).
import { DType } from "../../core/dtype.js";
import { BASIC } from "./lib-basic.js";
import { EXACT } from "./lib-exact.js";
import { MATH } from "./lib-math.js";

export type Scalar = "f32" | "i32" | "u32";

/** WGSL element type of a dtype's storage (bool is stored as one u32 per element, 0 or 1). */
export function wgslType(d: DType): Scalar {
  return d === "float32" ? "f32" : d === "int32" ? "i32" : "u32";
}

export interface BindingDecl {
  name: string;
  type: Scalar;
  write?: boolean;
}

/** u32 slots in the uniform parameter block (vec4<u32> x META_VEC4). */
export const META_SLOTS = 256;
const META_VEC4 = META_SLOTS / 4;

const LIB: Record<string, string> = { ...BASIC, ...MATH, ...EXACT };
const LIB_RE = new RegExp(`\\b(${Object.keys(LIB).join("|")})\\b`, "g");

/** The library functions `code` uses, with their own dependencies, as WGSL source. */
export function libraryFor(code: string): string {
  const used = new Set<string>();
  const visit = (src: string) => {
    for (const m of src.matchAll(LIB_RE)) {
      if (used.has(m[1])) continue;
      used.add(m[1]);
      visit(LIB[m[1]]);
    }
  };
  visit(code);
  return [...used].map((k) => LIB[k]).join("\n");
}

export interface ModuleSpec {
  bindings: BindingDecl[];
  /** Statements of main(); `i` (flat index), `l` (local id), `w` (workgroup id), `nw` are in scope. */
  body: string;
  /** Workgroup size (x, y); the flat index assumes y = 1. */
  workgroup: number | [number, number];
  /** Module-scope declarations (workgroup arrays, helper functions). */
  decls?: string;
}

export function buildModule(spec: ModuleSpec): string {
  const [wx, wy] = typeof spec.workgroup === "number" ? [spec.workgroup, 1] : spec.workgroup;
  const binds = spec.bindings.map((b, k) =>
    `@group(0) @binding(${k + 1}) var<storage, ${b.write ? "read_write" : "read"}> ${b.name}: array<${b.type}>;`).join("\n");
  const code = `${spec.decls ?? ""}\n${spec.body}`;
  return `struct Meta { v: array<vec4<u32>, ${META_VEC4}> }
@group(0) @binding(0) var<uniform> M: Meta;
${binds}
var<private> Z: u32;
fn m(k: u32) -> u32 { return M.v[k >> 2u][k & 3u]; }
fn mi(k: u32) -> i32 { return bitcast<i32>(M.v[k >> 2u][k & 3u]); }
${libraryFor(code)}
${spec.decls ?? ""}
@compute @workgroup_size(${wx}, ${wy})
fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(local_invocation_id) l: vec3<u32>,
        @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  Z = m(0u) & 0u;
  let i = g.x + g.y * nw.x * ${wx}u;
${spec.body}
}
`;
}

/** A shader plus what the backend needs to run it: a cache key and the binding access pattern. */
export interface Kernel {
  key: string;
  /** Access of bindings 1..: "r" read-only storage, "w" read-write storage. */
  access: string;
  source(): string;
}

export function kernel(key: string, spec: () => ModuleSpec): Kernel {
  let access: string | undefined;
  let built: ModuleSpec | undefined;
  const get = () => (built ??= spec());
  return {
    key,
    get access() { return (access ??= get().bindings.map((b) => (b.write ? "w" : "r")).join("")); },
    source: () => buildModule(get()),
  };
}
