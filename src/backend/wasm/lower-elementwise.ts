import * as O from "../../../assembly/kernels/opcodes.js";
import { DType } from "../../core/dtype.js";
import { Lowering, WasmContext } from "./lowerings.js";
import { KernelExports } from "./module.js";

const unaryOps: Record<string, number> = {
  neg: O.NEG, abs: O.ABS, sign: O.SIGN, floor: O.FLOOR, ceil: O.CEIL, round: O.ROUND, sqrt: O.SQRT,
  rsqrt: O.RSQRT, exp: O.EXP, exp2: O.EXP2, expm1: O.EXPM1, log: O.LOG, log1p: O.LOG1P, sin: O.SIN,
  cos: O.COS, tan: O.TAN, asin: O.ASIN, acos: O.ACOS, atan: O.ATAN, sinh: O.SINH, cosh: O.COSH,
  tanh: O.TANH, asinh: O.ASINH, acosh: O.ACOSH, atanh: O.ATANH, erf: O.ERF, logistic: O.LOGISTIC,
  square: O.SQUARE, cbrt: O.CBRT, not: O.NOT,
};
// Integer unary ops the i32 kernel implements; unsigned ones are those whose bits don't care.
const intUnary = new Set([O.NEG, O.ABS, O.SIGN, O.SQUARE, O.NOT]);
const uintUnary = new Set([O.NEG, O.SQUARE, O.NOT]);

const binaryOps: Record<string, number> = {
  add: O.ADD, sub: O.SUB, mul: O.MUL, div: O.DIV, rem: O.REM, pow: O.POW, max: O.MAX, min: O.MIN,
  atan2: O.ATAN2, and: O.AND, or: O.OR, xor: O.XOR, shift_left: O.SHL, shift_right: O.SHR,
};
const compareOps: Record<string, number> = { eq: O.EQ, ne: O.NE, lt: O.LT, le: O.LE, gt: O.GT, ge: O.GE };
const typeCode: Record<DType, number> = { float32: O.T_F32, float64: O.T_F64, int32: O.T_I32, uint32: O.T_U32, bool: O.T_BOOL };

/** Elements below which one thread does the whole op (thread handoff costs a few microseconds). */
const PARALLEL_MIN = 1 << 18;

/**
 * Splits [0, n) into one contiguous range per thread (64-element aligned, byte offsets of `esize`
 * elements) and runs the kernel call `piece(byteOffset, length)` describes on each.
 */
function splitRange(ctx: WasmContext, n: number, esize: number, piece: (byteOffset: number, len: number) => [string, ...number[]]): boolean {
  const t = ctx.numThreads;
  if (t < 2 || n < PARALLEL_MIN) return false;
  const chunk = Math.ceil(n / t / 64) * 64;
  const calls: [string, ...number[]][] = [];
  for (let s = 0; s < n; s += chunk) calls.push(piece(s * esize, Math.min(chunk, n - s)));
  return ctx.parallel(calls[0][0] as keyof KernelExports, calls.map((c) => c.slice(1) as number[]));
}

function unary(op: number): Lowering {
  return (ctx, [x], [out]) => {
    const n = x.aval.size;
    switch (x.aval.dtype) {
      case "float32":
        if (!splitRange(ctx, n, 4, (s, len) => ["unary_f32", op, x.buf.handle + s, out.buf.handle + s, len])) ctx.k.unary_f32(op, x.buf.handle, out.buf.handle, n);
        return true;
      case "float64": ctx.k.unary_f64(op, x.buf.handle, out.buf.handle, n); return true;
      case "int32": if (!intUnary.has(op)) return false; break;
      case "uint32": if (!uintUnary.has(op)) return false; break;
      default: return false;
    }
    ctx.k.unary_i32(op, x.buf.handle, out.buf.handle, n);
    return true;
  };
}

function binary(op: number): Lowering {
  return (ctx, [a, b], [out]) => {
    const n = out.aval.size;
    const sa = a.aval.size === 1 ? 0 : 1, sb = b.aval.size === 1 ? 0 : 1;
    switch (a.aval.dtype) {
      case "float32":
        if (op > O.ATAN2) return false;
        if (!splitRange(ctx, n, 4, (s, len) => ["binary_f32", op, a.buf.handle + s * sa, sa, b.buf.handle + s * sb, sb, out.buf.handle + s, len])) {
          ctx.k.binary_f32(op, a.buf.handle, sa, b.buf.handle, sb, out.buf.handle, n);
        }
        return true;
      case "float64": if (op > O.ATAN2) return false; ctx.k.binary_f64(op, a.buf.handle, sa, b.buf.handle, sb, out.buf.handle, n); return true;
      case "int32": case "uint32":
        if (op === O.ATAN2) return false;
        ctx.k.binary_i32(op, a.aval.dtype === "uint32" ? 1 : 0, a.buf.handle, sa, b.buf.handle, sb, out.buf.handle, n);
        return true;
      default: return false;
    }
  };
}

function compare(op: number): Lowering {
  return (ctx, [a, b], [out]) => {
    const sa = a.aval.size === 1 ? 0 : 1, sb = b.aval.size === 1 ? 0 : 1;
    ctx.k.compare(op, typeCode[a.aval.dtype], a.buf.handle, sa, b.buf.handle, sb, out.buf.handle, out.aval.size);
    return true;
  };
}

const select: Lowering = (ctx, [p, f, t], [out]) => {
  if (p.aval.dtype !== "bool") return false;
  const s = (x: { aval: { size: number } }) => (x.aval.size === 1 ? 0 : 1);
  const esize = out.aval.dtype === "float64" ? 8 : out.aval.dtype === "bool" ? 1 : 4;
  ctx.k.select(p.buf.handle, s(p), f.buf.handle, s(f), t.buf.handle, s(t), out.buf.handle, out.aval.size, esize);
  return true;
};

/** clamp as max then min in place: out = max(x, lo), then out = min(out, hi) (the kernels alias safely). */
const clamp: Lowering = (ctx, [lo, x, hi], [out], params) => {
  const mx = binary(O.MAX), mn = binary(O.MIN);
  if (!mx(ctx, [x, lo], [out], params)) return false;
  return mn(ctx, [out, hi], [out], params);
};

export const elementwiseLowerings: Record<string, Lowering> = {
  ...Object.fromEntries(Object.entries(unaryOps).map(([k, op]) => [k, unary(op)])),
  ...Object.fromEntries(Object.entries(binaryOps).map(([k, op]) => [k, binary(op)])),
  ...Object.fromEntries(Object.entries(compareOps).map(([k, op]) => [k, compare(op)])),
  select_n: select,
  clamp,
};
