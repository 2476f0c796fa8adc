// The generic elementwise kernel: one invocation per output element, operands read whole
// (x[i]), as a broadcast scalar (x[0]) or through an offset and per-dimension strides (broadcast,
// transpose, slice, rev), and the output written whole or strided (concatenate). The per-element
// body is WGSL statements from the op tables. Shapes and strides travel in the uniform block, so
// one pipeline serves every shape of a given operand pattern.
import { Kernel, kernel, Scalar } from "../wgsl/builder.js";

export type Access = "full" | "scalar" | "strided";

export interface MapSpec {
  /** Names the body; with the operand pattern, the pipeline cache key. */
  tag: string;
  inputs: { type: Scalar; access: Access }[];
  outputs: Scalar[];
  outStrided?: boolean;
  /** Statements computing y0.. from x0.. (the loaded operands); `i` is the flat output index. */
  body: (x: string[]) => string;
}

export const MAP_WG = 256;

export function mapKernel(s: MapSpec): Kernel {
  const key = `map|${s.tag}|${s.inputs.map((x) => x.type + x.access[0]).join(",")}|${s.outputs.join(",")}|${s.outStrided ? "os" : ""}`;
  return kernel(key, () => {
    const strided = s.inputs.map((x, k) => (x.access === "strided" ? k : -1)).filter((k) => k >= 0);
    const anyIndex = strided.length > 0 || s.outStrided;
    const lines: string[] = ["  let n = m(0u);", "  if (i >= n) { return; }"];
    if (anyIndex) {
      lines.push("  let r = m(1u);", "  var rem = i;");
      strided.forEach((k, j) => lines.push(`  let b${k} = 2u + r + ${j}u * (r + 1u);`, `  var o${k} = mi(b${k});`));
      if (s.outStrided) lines.push(`  let bo = 2u + r + ${strided.length}u * (r + 1u);`, "  var oo = mi(bo);");
      lines.push("  for (var d = r; d > 0u; d = d - 1u) {", "    let sz = m(1u + d);", "    let c = i32(rem % sz);", "    rem = rem / sz;");
      for (const k of strided) lines.push(`    o${k} = o${k} + c * mi(b${k} + d);`);
      if (s.outStrided) lines.push("    oo = oo + c * mi(bo + d);");
      lines.push("  }");
    }
    const xs = s.inputs.map((x, k) => {
      const at = x.access === "full" ? "i" : x.access === "scalar" ? "0u" : `u32(o${k})`;
      lines.push(`  let x${k} = a${k}[${at}];`);
      return `x${k}`;
    });
    s.outputs.forEach((t, k) => lines.push(`  var y${k}: ${t};`));
    lines.push(s.body(xs));
    const at = s.outStrided ? "u32(oo)" : "i";
    s.outputs.forEach((_, k) => lines.push(`  out${k}[${at}] = y${k};`));
    return {
      bindings: [
        ...s.inputs.map((x, k) => ({ name: `a${k}`, type: x.type })),
        ...s.outputs.map((t, k) => ({ name: `out${k}`, type: t, write: true })),
      ],
      body: lines.join("\n"),
      workgroup: MAP_WG,
    };
  });
}

/**
 * Drops size-1 dimensions and merges neighbours that every stride list traverses contiguously, so a
 * strided copy runs with the fewest index divisions.
 */
export function collapse(shape: readonly number[], strides: number[][]): { shape: number[]; strides: number[][] } {
  const keep = shape.map((_, d) => d).filter((d) => shape[d] !== 1);
  let sh = keep.map((d) => shape[d]);
  let st = strides.map((s) => keep.map((d) => s[d]));
  for (let d = sh.length - 2; d >= 0; d--) {
    if (st.every((s) => s[d] === s[d + 1] * sh[d + 1])) {
      sh = [...sh.slice(0, d), sh[d] * sh[d + 1], ...sh.slice(d + 2)];
      st = st.map((s) => [...s.slice(0, d), s[d + 1], ...s.slice(d + 2)]);
    }
  }
  return { shape: sh, strides: st };
}

/** The uniform block of a map kernel: n, rank, shape, then (offset, strides) per strided array. */
export function mapMeta(n: number, shape: number[], offsetsAndStrides: [number, number[]][]): number[] {
  const meta = [n, shape.length, ...shape];
  for (const [off, st] of offsetsAndStrides) meta.push(off, ...st);
  return meta;
}
