// op -> WGSL expression tables: for each elementwise primitive and storage type, the expression
// over operand expressions. The same tables serve single ops and fused jit kernels.
import { DType } from "../core/dtype.js";
import { Scalar, wgslType } from "./wgsl/builder.js";

type Unary = (a: string) => string;
type Binary = (a: string, b: string) => string;

const F32_UNARY: Record<string, Unary> = {
  neg: (a) => `f_neg(${a})`, abs: (a) => `f_abs(${a})`, sign: (a) => `f_sign(${a})`,
  floor: (a) => `f_floor(${a})`, ceil: (a) => `f_ceil(${a})`, round: (a) => `f_round(${a})`,
  sqrt: (a) => `f_sqrt(${a})`, rsqrt: (a) => `f_rsqrt(${a})`, cbrt: (a) => `f_cbrt(${a})`,
  exp: (a) => `f_exp(${a})`, exp2: (a) => `f_exp2(${a})`, expm1: (a) => `f_expm1(${a})`,
  log: (a) => `f_log(${a})`, log1p: (a) => `f_log1p(${a})`,
  sin: (a) => `f_sin(${a})`, cos: (a) => `f_cos(${a})`, tan: (a) => `f_tan(${a})`,
  asin: (a) => `f_asin(${a})`, acos: (a) => `f_acos(${a})`, atan: (a) => `f_atan(${a})`,
  sinh: (a) => `f_sinh(${a})`, cosh: (a) => `f_cosh(${a})`, tanh: (a) => `f_tanh(${a})`,
  asinh: (a) => `f_asinh(${a})`, acosh: (a) => `f_acosh(${a})`, atanh: (a) => `f_atanh(${a})`,
  erf: (a) => `f_erf(${a})`, logistic: (a) => `f_logistic(${a})`, square: (a) => `(${a} * ${a})`,
  erf_inv: (a) => `x_erfinv(${a})`, stop_gradient: (a) => a,
};

const I32_UNARY: Record<string, Unary> = {
  neg: (a) => `(0 - ${a})`, abs: (a) => `abs(${a})`, sign: (a) => `sign(${a})`, square: (a) => `(${a} * ${a})`,
  not: (a) => `(~${a})`, stop_gradient: (a) => a,
};
const U32_UNARY: Record<string, Unary> = {
  neg: (a) => `(0u - ${a})`, abs: (a) => a, sign: (a) => `select(0u, 1u, ${a} > 0u)`, square: (a) => `(${a} * ${a})`,
  not: (a) => `(~${a})`, stop_gradient: (a) => a,
};
const BOOL_UNARY: Record<string, Unary> = { not: (a) => `(${a} ^ 1u)`, stop_gradient: (a) => a };

const cmp = (ty: "f" | "x") => ({
  eq: ty === "f" ? (a: string, b: string) => `f_eq(${a}, ${b})` : (a: string, b: string) => `(${a} == ${b})`,
  ne: ty === "f" ? (a: string, b: string) => `f_ne(${a}, ${b})` : (a: string, b: string) => `(${a} != ${b})`,
  lt: ty === "f" ? (a: string, b: string) => `f_lt(${a}, ${b})` : (a: string, b: string) => `(${a} < ${b})`,
  le: ty === "f" ? (a: string, b: string) => `f_le(${a}, ${b})` : (a: string, b: string) => `(${a} <= ${b})`,
  gt: ty === "f" ? (a: string, b: string) => `f_gt(${a}, ${b})` : (a: string, b: string) => `(${a} > ${b})`,
  ge: ty === "f" ? (a: string, b: string) => `f_ge(${a}, ${b})` : (a: string, b: string) => `(${a} >= ${b})`,
});
/** Comparisons: boolean WGSL expressions. */
export const COMPARE = { f32: cmp("f"), int: cmp("x") };

const F32_BINARY: Record<string, Binary> = {
  add: (a, b) => `f_add(${a}, ${b})`, sub: (a, b) => `f_sub(${a}, ${b})`, mul: (a, b) => `f_mul(${a}, ${b})`,
  div: (a, b) => `f_div(${a}, ${b})`, rem: (a, b) => `f_fmod(${a}, ${b})`, pow: (a, b) => `f_pow(${a}, ${b})`,
  max: (a, b) => `f_max(${a}, ${b})`, min: (a, b) => `f_min(${a}, ${b})`, atan2: (a, b) => `f_atan2(${a}, ${b})`,
};
const I32_BINARY: Record<string, Binary> = {
  add: (a, b) => `(${a} + ${b})`, sub: (a, b) => `(${a} - ${b})`, mul: (a, b) => `(${a} * ${b})`,
  div: (a, b) => `i_div(${a}, ${b})`, rem: (a, b) => `i_rem(${a}, ${b})`, pow: (a, b) => `i_pow(${a}, ${b})`,
  max: (a, b) => `max(${a}, ${b})`, min: (a, b) => `min(${a}, ${b})`,
  and: (a, b) => `(${a} & ${b})`, or: (a, b) => `(${a} | ${b})`, xor: (a, b) => `(${a} ^ ${b})`,
  shift_left: (a, b) => `i_shl(${a}, ${b})`, shift_right: (a, b) => `i_shr(${a}, ${b})`,
};
const U32_BINARY: Record<string, Binary> = {
  add: (a, b) => `(${a} + ${b})`, sub: (a, b) => `(${a} - ${b})`, mul: (a, b) => `(${a} * ${b})`,
  div: (a, b) => `u_div(${a}, ${b})`, rem: (a, b) => `u_rem(${a}, ${b})`, pow: (a, b) => `u_pow(${a}, ${b})`,
  max: (a, b) => `max(${a}, ${b})`, min: (a, b) => `min(${a}, ${b})`,
  and: (a, b) => `(${a} & ${b})`, or: (a, b) => `(${a} | ${b})`, xor: (a, b) => `(${a} ^ ${b})`,
  shift_left: (a, b) => `u_shl(${a}, ${b})`, shift_right: (a, b) => `u_shr(${a}, ${b})`,
};
const BOOL_BINARY: Record<string, Binary> = {
  and: (a, b) => `(${a} & ${b})`, or: (a, b) => `(${a} | ${b})`, xor: (a, b) => `(${a} ^ ${b})`,
  max: (a, b) => `max(${a}, ${b})`, min: (a, b) => `min(${a}, ${b})`,
};

export function unaryExpr(name: string, d: DType): Unary | undefined {
  return (d === "float32" ? F32_UNARY : d === "int32" ? I32_UNARY : d === "uint32" ? U32_UNARY : d === "bool" ? BOOL_UNARY : {})[name];
}

export function binaryExpr(name: string, d: DType): Binary | undefined {
  const c = (d === "float32" ? COMPARE.f32 : COMPARE.int) as Record<string, Binary>;
  if (c[name]) return (a, b) => `select(0u, 1u, ${c[name](a, b)})`;
  return (d === "float32" ? F32_BINARY : d === "int32" ? I32_BINARY : d === "uint32" ? U32_BINARY : d === "bool" ? BOOL_BINARY : {})[name];
}

/** integer_pow with a static exponent (repeated squaring; lib functions f_powi, i_pow, u_pow). */
export function integerPowExpr(y: number, d: DType): Unary {
  const ty = wgslType(d);
  if (ty === "f32") return (a) => `f_powi(${a}, ${y})`;
  if (ty === "i32") return (a) => `i_pow(${a}, ${y})`;
  return (a) => `u_pow(${a}, ${y >>> 0}u)`;
}

/** convert_element_type between the 32-bit storage types (bool is u32 0/1). */
export function convertExpr(from: DType, to: DType): Unary | undefined {
  if (from === to) return (a) => a;
  const t: Scalar = wgslType(to);
  if (to === "bool") return from === "float32" ? (a) => `f_to_bool(${a})` : (a) => `select(0u, 1u, ${a} != ${from === "int32" ? "0" : "0u"})`;
  if (from === "bool") return t === "f32" ? (a) => `f32(${a})` : t === "i32" ? (a) => `i32(${a})` : (a) => a;
  if (from === "float32") return to === "int32" ? (a) => `f_to_i32(${a})` : (a) => `f_to_u32(${a})`;
  if (to === "float32") return (a) => `f32(${a})`;
  return (a) => `bitcast<${t}>(${a})`;
}
