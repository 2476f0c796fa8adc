// jit fusion on WebGPU: each fused group of float32 elementwise steps (src/jit/fusion.ts) becomes
// one shader, generated from the same op tables as single ops: every slot is a local variable, the
// program runs once per element, inputs are read once and outputs written once. Pipelines are
// cached by the program text. A group needing more storage buffers than the adapter allows runs
// step by step instead.
import * as O from "../../assembly/kernels/opcodes.js";
import { ShapedArray } from "../core/aval.js";
import type { FusedPlan } from "../jit/fusion.js";
import { FUSED_UNARY } from "../jit/fusion.js";
import type { GpuBuffer } from "./buffers.js";
import { MAP_WG } from "./kernels/map.js";
import { runMap } from "./lower-elementwise.js";
import type { GpuArg, GpuCtx } from "./lowerings.js";
import { binaryExpr, unaryExpr } from "./ops.js";
import { kernel } from "./wgsl/builder.js";

const UNARY_NAMES: Record<number, string> = {
  [O.NEG]: "neg", [O.ABS]: "abs", [O.FLOOR]: "floor", [O.CEIL]: "ceil", [O.ROUND]: "round", [O.SQRT]: "sqrt",
  [O.RSQRT]: "rsqrt", [O.EXP]: "exp", [O.EXP2]: "exp2", [O.EXPM1]: "expm1", [O.LOG]: "log", [O.LOG1P]: "log1p",
  [O.SIN]: "sin", [O.COS]: "cos", [O.TAN]: "tan", [O.ASIN]: "asin", [O.ACOS]: "acos", [O.ATAN]: "atan",
  [O.SINH]: "sinh", [O.COSH]: "cosh", [O.TANH]: "tanh", [O.ASINH]: "asinh", [O.ACOSH]: "acosh", [O.ATANH]: "atanh",
  [O.ERF]: "erf", [O.LOGISTIC]: "logistic", [O.SQUARE]: "square", [O.CBRT]: "cbrt", [O.SIGN]: "sign",
};
const BINARY_NAMES: Record<number, string> = {
  [O.ADD]: "add", [O.SUB]: "sub", [O.MUL]: "mul", [O.DIV]: "div", [O.REM]: "rem", [O.POW]: "pow",
  [O.MAX]: "max", [O.MIN]: "min", [O.ATAN2]: "atan2",
};

function opExpr(kind: number, code: number): ((a: string, b: string) => string) {
  if (kind === FUSED_UNARY) {
    const f = unaryExpr(UNARY_NAMES[code], "float32");
    if (!f) throw new Error(`webgpu fusion: unknown unary opcode ${code}`);
    return (a) => f(a);
  }
  const f = binaryExpr(BINARY_NAMES[code], "float32");
  if (!f) throw new Error(`webgpu fusion: unknown binary opcode ${code}`);
  return f;
}

export function fusedKernelKey(plan: FusedPlan): string {
  return `fused|${plan.strides.join("")}|${plan.nOut}|${plan.nScratch}|${Array.from(plan.prog.subarray(0, plan.nInstr * 5)).join(",")}`;
}

export function runFusedPlan(ctx: GpuCtx & { counters: { fusedKernels: number } }, plan: FusedPlan, ins: GpuBuffer[], outs: GpuBuffer[]): void {
  const nIn = ins.length;
  if (plan.n === 0) return;
  if (nIn + outs.length > ctx.limits.maxStorageBuffersPerShaderStage) return runStepwise(ctx, plan, ins, outs);
  const k = kernel(fusedKernelKey(plan), () => {
    const nSlots = nIn + plan.nOut + plan.nScratch;
    const lines = ["  if (i >= m(0u)) { return; }"];
    for (let s = 0; s < nSlots; s++) lines.push(`  var s${s}: f32;`);
    for (let s = 0; s < nIn; s++) lines.push(`  s${s} = a${s}[${plan.strides[s] ? "i" : "0u"}];`);
    for (let q = 0; q < plan.nInstr; q++) {
      const [kind, code, dst, a, b] = plan.prog.subarray(q * 5, q * 5 + 5);
      lines.push(`  s${dst} = ${opExpr(kind, code)(`s${a}`, `s${b}`)};`);
    }
    for (let j = 0; j < plan.nOut; j++) lines.push(`  out${j}[i] = s${nIn + j};`);
    return {
      bindings: [
        ...ins.map((_, s) => ({ name: `a${s}`, type: "f32" as const })),
        ...outs.map((_, j) => ({ name: `out${j}`, type: "f32" as const, write: true })),
      ],
      body: lines.join("\n"),
      workgroup: MAP_WG,
    };
  });
  ctx.counters.fusedKernels++;
  ctx.dispatch(k, [...ins, ...outs], [plan.n], ctx.grid(plan.n, MAP_WG));
}

/** The plan one op at a time (when it binds more buffers than a shader may). */
function runStepwise(ctx: GpuCtx, plan: FusedPlan, ins: GpuBuffer[], outs: GpuBuffer[]): void {
  const full = new ShapedArray([plan.n], "float32"), scalar = new ShapedArray([], "float32");
  const slots: GpuArg[] = [
    ...ins.map((buf, s) => ({ buf, aval: plan.strides[s] ? full : scalar })),
    ...outs.map((buf) => ({ buf, aval: full })),
  ];
  const temps: GpuBuffer[] = [];
  for (let s = 0; s < plan.nScratch; s++) {
    const buf = ctx.temp(full);
    temps.push(buf);
    slots.push({ buf, aval: full });
  }
  try {
    for (let q = 0; q < plan.nInstr; q++) {
      const [kind, code, dst, a, b] = plan.prog.subarray(q * 5, q * 5 + 5);
      const f = opExpr(kind, code);
      const args = kind === FUSED_UNARY ? [slots[a]] : [slots[a], slots[b]];
      runMap(ctx, `fstep:${kind}:${code}`, args, [slots[dst]], (x) => `  y0 = ${f(x[0], x[1])};`);
    }
  } finally {
    for (const t of temps) ctx.release(t);
  }
}
