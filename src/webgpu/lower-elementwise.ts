// Elementwise primitives: every unary and binary op through the op tables, plus integer_pow,
// convert_element_type, select_n, clamp, fma, threefry2x32, bitcast_convert_type and iota.
import { DType } from "../core/dtype.js";
import { Access, MAP_WG, mapKernel } from "./kernels/map.js";
import type { GpuArg, GpuCtx, Lowering } from "./lowerings.js";
import { binaryExpr, convertExpr, integerPowExpr, unaryExpr } from "./ops.js";
import { Scalar, wgslType } from "./wgsl/builder.js";

/** Runs `body` once per output element; operands are whole arrays or broadcast scalars. */
export function runMap(ctx: GpuCtx, tag: string, ins: GpuArg[], outs: GpuArg[], body: (x: string[]) => string,
                       types?: { ins?: Scalar[]; outs?: Scalar[]; n?: number }): boolean {
  const n = types?.n ?? outs[0].aval.size;
  if (n === 0) return true;
  const inputs = ins.map((a, k) => ({
    type: types?.ins?.[k] ?? wgslType(a.aval.dtype),
    access: (a.aval.size === 1 && n !== 1 ? "scalar" : "full") as Access,
  }));
  const k = mapKernel({ tag, inputs, outputs: outs.map((o, j) => types?.outs?.[j] ?? wgslType(o.aval.dtype)), body });
  ctx.dispatch(k, [...ins.map((a) => a.buf), ...outs.map((o) => o.buf)], [n], ctx.grid(n, MAP_WG));
  return true;
}

function unary(name: string): Lowering {
  return (ctx, [x], [o]) => {
    const f = unaryExpr(name, x.aval.dtype);
    if (!f) return false;
    return runMap(ctx, `${name}:${x.aval.dtype}`, [x], [o], ([a]) => `  y0 = ${f(a)};`);
  };
}

function binary(name: string): Lowering {
  return (ctx, [x, y], [o]) => {
    const f = binaryExpr(name, x.aval.dtype);
    if (!f) return false;
    return runMap(ctx, `${name}:${x.aval.dtype}`, [x, y], [o], ([a, b]) => `  y0 = ${f(a, b)};`);
  };
}

const ROT = [[13, 15, 26, 6], [17, 29, 16, 24]];

/** Threefry-2x32, 20 rounds, unrolled (src/primitives/prng.ts threefryHash is the spec). */
function threefryBody([k1, k2, x1, x2]: string[]): string {
  const l = [`  let ks = array<u32, 3>(${k1}, ${k2}, ${k1} ^ ${k2} ^ 0x1bd11bdau);`, `  var a = ${x1} + ks[0];`, `  var b = ${x2} + ks[1];`];
  for (let g = 0; g < 5; g++) {
    for (const r of ROT[g % 2]) l.push(`  a = a + b; b = ((b << ${r}u) | (b >> ${32 - r}u)) ^ a;`);
    l.push(`  a = a + ks[${(g + 1) % 3}]; b = b + ks[${(g + 2) % 3}] + ${g + 1}u;`);
  }
  l.push("  y0 = a; y1 = b;");
  return l.join("\n");
}

const bitcast: Lowering = (ctx, [x], [o], { newDtype }: { newDtype: DType }) => {
  const from = x.aval.dtype;
  if (from === "float64" || newDtype === "float64") {
    // float64 is stored as its raw bytes, so a bitcast to or from it is a copy of 32-bit words.
    return runMap(ctx, "copy:u32", [x], [o], ([a]) => `  y0 = ${a};`, { ins: ["u32"], outs: ["u32"], n: x.aval.size * (from === "float64" ? 2 : 1) });
  }
  const t = wgslType(newDtype);
  return runMap(ctx, `bitcast:${from}:${newDtype}`, [x], [o], ([a]) => `  y0 = bitcast<${t}>(${a});`);
};
bitcast.float64 = true;

const iota: Lowering = (ctx, _ins, [o], { shape, dimension }: { shape: number[]; dimension: number }) => {
  const n = o.aval.size;
  if (n === 0) return true;
  const inner = shape.slice(dimension + 1).reduce((a, b) => a * b, 1);
  const to = convertExpr("uint32", o.aval.dtype)!;
  const k = mapKernel({ tag: `iota:${o.aval.dtype}`, inputs: [], outputs: [wgslType(o.aval.dtype)], body: () => `  y0 = ${to("((i / m(1u)) % m(2u))")};` });
  ctx.dispatch(k, [o.buf], [n, inner, shape[dimension]], ctx.grid(n, MAP_WG));
  return true;
};

export const elementwiseLowerings: Record<string, Lowering> = {
  integer_pow: (ctx, [x], [o], { y }: { y: number }) => {
    if (x.aval.dtype === "float64") return false;
    const f = integerPowExpr(y, x.aval.dtype);
    return runMap(ctx, `ipow:${y}:${x.aval.dtype}`, [x], [o], ([a]) => `  y0 = ${f(a)};`);
  },
  convert_element_type: (ctx, [x], [o]) => {
    const f = convertExpr(x.aval.dtype, o.aval.dtype);
    if (!f) return false;
    return runMap(ctx, `convert:${x.aval.dtype}:${o.aval.dtype}`, [x], [o], ([a]) => `  y0 = ${f(a)};`);
  },
  select_n: (ctx, ins, [o]) => runMap(ctx, "select_n", ins, [o], ([p, f, t]) => `  y0 = select(${f}, ${t}, ${p} != 0u);`),
  clamp: (ctx, ins, [o]) => {
    const d = o.aval.dtype, mx = binaryExpr("max", d), mn = binaryExpr("min", d);
    if (!mx || !mn) return false;
    return runMap(ctx, `clamp:${d}`, ins, [o], ([lo, x, hi]) => `  y0 = ${mn(mx(x, lo), hi)};`);
  },
  fma: (ctx, ins, [o]) => runMap(ctx, "fma", ins, [o], ([a, b, c]) => `  y0 = x_fma(${a}, ${b}, ${c});`),
  threefry2x32: (ctx, ins, outs) => runMap(ctx, "threefry", ins, outs, threefryBody),
  bitcast_convert_type: bitcast,
  iota,
};

const UNARY = ["neg", "abs", "sign", "floor", "ceil", "round", "sqrt", "rsqrt", "cbrt", "exp", "exp2", "expm1", "log",
  "log1p", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf",
  "logistic", "square", "erf_inv", "not"];
const BINARY = ["add", "sub", "mul", "div", "rem", "pow", "max", "min", "atan2", "and", "or", "xor", "shift_left",
  "shift_right", "eq", "ne", "lt", "le", "gt", "ge"];
for (const name of UNARY) elementwiseLowerings[name] = unary(name);
for (const name of BINARY) elementwiseLowerings[name] = binary(name);
