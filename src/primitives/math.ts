// Transcendental elementwise primitives: each is its reference function and its JVP.
import { isFloat } from "../core/dtype.js";
import { DTypeError } from "../core/errors.js";
import { Primitive } from "../core/primitive.js";
import { JaxArray } from "../core/value.js";
import { add, div, eq, ipow, mul, neg, select, sub, square } from "./arith.js";
import { LaxOperand, apply1, apply2, defElementwise, full } from "./helpers.js";
import { erf as erfRef } from "./special.js";

// C99 pow, where 1^y = 1 and (-1)^(+-inf) = 1 even for NaN y (JS's Math.pow says NaN).
const cPow = (a: number, b: number) => (a === 1 ? 1 : a === -1 && (b === Infinity || b === -Infinity) ? 1 : Math.pow(a, b));
const c = (x: JaxArray, v: number) => full(x.shape, v, x.dtype);

/** A float unary primitive: reference `f` and the derivative `d(x, out)` that multiplies the tangent. */
function defMath(name: string, f: (x: number) => number, d: (x: JaxArray, out: JaxArray) => JaxArray): Primitive {
  const p: Primitive = defElementwise(name, () => f, {
    kinds: "float",
    jvp: ([x], [t]) => {
      const out = apply1(p, x);
      return [[out], [mul(t, d(x, out))]];
    },
  });
  return p;
}

const logisticRef = (x: number) => 1 / (1 + Math.exp(-x));

export const sqrtP = defMath("sqrt", Math.sqrt, (_x, y) => div(c(y, 0.5), y));
export const rsqrtP = defMath("rsqrt", (x) => 1 / Math.sqrt(x), (x, y) => mul(c(x, -0.5), div(y, x)));
export const cbrtP = defMath("cbrt", Math.cbrt, (_x, y) => div(c(y, 1 / 3), square(y)));
export const expP = defMath("exp", Math.exp, (_x, y) => y);
export const exp2P = defMath("exp2", (x) => 2 ** x, (_x, y) => mul(y, c(y, Math.LN2)));
export const expm1P = defMath("expm1", Math.expm1, (_x, y) => add(y, c(y, 1)));
export const logP = defMath("log", Math.log, (x) => div(c(x, 1), x));
export const log1pP = defMath("log1p", Math.log1p, (x) => div(c(x, 1), add(x, c(x, 1))));
export const sinP = defMath("sin", Math.sin, (x) => cos(x));
export const cosP = defMath("cos", Math.cos, (x) => neg(sin(x)));
export const tanP = defMath("tan", Math.tan, (_x, y) => add(c(y, 1), square(y)));
export const asinP = defMath("asin", Math.asin, (x) => rsqrt(sub(c(x, 1), square(x))));
export const acosP = defMath("acos", Math.acos, (x) => neg(rsqrt(sub(c(x, 1), square(x)))));
export const atanP = defMath("atan", Math.atan, (x) => div(c(x, 1), add(c(x, 1), square(x))));
export const sinhP = defMath("sinh", Math.sinh, (x) => cosh(x));
export const coshP = defMath("cosh", Math.cosh, (x) => sinh(x));
export const tanhP = defMath("tanh", Math.tanh, (_x, y) => sub(c(y, 1), square(y)));
export const asinhP = defMath("asinh", Math.asinh, (x) => rsqrt(add(square(x), c(x, 1))));
export const acoshP = defMath("acosh", Math.acosh, (x) => rsqrt(mul(sub(x, c(x, 1)), add(x, c(x, 1)))));
export const atanhP = defMath("atanh", Math.atanh, (x) => div(c(x, 1), sub(c(x, 1), square(x))));
export const erfP = defMath("erf", erfRef, (x) => mul(c(x, 2 / Math.sqrt(Math.PI)), exp(neg(square(x)))));
export const logisticP = defMath("logistic", logisticRef, (_x, y) => mul(y, sub(c(y, 1), y)));

export const powP: Primitive = defElementwise("pow", (d) => (isFloat(d) ? cPow : (a, b) => ipow(a, b, d === "uint32")), {
  kinds: "numeric",
  jvp: ([x, y], [tx, ty]) => {
    const out = pow(x, y);
    // d/dx: y * x^(y-1), defined as 0 where y == 0 (so 0^0 has zero slope);
    // d/dy: log(x) * x^y, with log(0) replaced by 0 as JAX does.
    const dx = select(eq(y, c(y, 0)), c(x, 0), mul(y, pow(x, sub(y, c(y, 1)))));
    const safeX = select(eq(x, c(x, 0)), c(x, 1), x);
    const dy = mul(log(safeX), out);
    return [[out], [add(mul(tx, dx), mul(ty, dy))]];
  },
});

export const atan2P: Primitive = defElementwise("atan2", () => Math.atan2, {
  kinds: "float",
  jvp: ([x, y], [tx, ty]) => {
    const den = add(square(x), square(y));
    return [[atan2(x, y)], [div(sub(mul(tx, y), mul(ty, x)), den)]];
  },
});

export const sqrt = (x: LaxOperand): JaxArray => apply1(sqrtP, x);
export const rsqrt = (x: LaxOperand): JaxArray => apply1(rsqrtP, x);
export const cbrt = (x: LaxOperand): JaxArray => apply1(cbrtP, x);
export const exp = (x: LaxOperand): JaxArray => apply1(expP, x);
export const exp2 = (x: LaxOperand): JaxArray => apply1(exp2P, x);
export const expm1 = (x: LaxOperand): JaxArray => apply1(expm1P, x);
export const log = (x: LaxOperand): JaxArray => apply1(logP, x);
export const log1p = (x: LaxOperand): JaxArray => apply1(log1pP, x);
export const sin = (x: LaxOperand): JaxArray => apply1(sinP, x);
export const cos = (x: LaxOperand): JaxArray => apply1(cosP, x);
export const tan = (x: LaxOperand): JaxArray => apply1(tanP, x);
export const asin = (x: LaxOperand): JaxArray => apply1(asinP, x);
export const acos = (x: LaxOperand): JaxArray => apply1(acosP, x);
export const atan = (x: LaxOperand): JaxArray => apply1(atanP, x);
export const sinh = (x: LaxOperand): JaxArray => apply1(sinhP, x);
export const cosh = (x: LaxOperand): JaxArray => apply1(coshP, x);
export const tanh = (x: LaxOperand): JaxArray => apply1(tanhP, x);
export const asinh = (x: LaxOperand): JaxArray => apply1(asinhP, x);
export const acosh = (x: LaxOperand): JaxArray => apply1(acoshP, x);
export const atanh = (x: LaxOperand): JaxArray => apply1(atanhP, x);
export const erf = (x: LaxOperand): JaxArray => apply1(erfP, x);
export const logistic = (x: LaxOperand): JaxArray => apply1(logisticP, x);
export const pow = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(powP, x, y);
export const atan2 = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(atan2P, x, y);

export function requireFloat(op: string, x: JaxArray): void {
  if (!isFloat(x.dtype)) throw new DTypeError(`${op} requires a floating-point array, got ${x.dtype}.`);
}
