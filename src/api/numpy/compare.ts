import { ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import { asArray } from "./creation.js";
import { all } from "./reductions.js";
import * as U from "./ufuncs.js";

export interface CloseOptions { rtol?: number; atol?: number; equalNan?: boolean }

/** Options, or numpy's positional (rtol, atol, equalNan). */
function closeOptions(op: string, o: CloseOptions | number | undefined, atol?: number, equalNan?: boolean): CloseOptions {
  if (o === undefined || typeof o === "number") return { rtol: o, atol, equalNan };
  if (typeof o === "object" && o !== null && !Array.isArray(o)) return o;
  throw new ValueError(`${op}: the third argument is rtol (a number) or options { rtol, atol, equalNan }, but got ${JSON.stringify(o)}.`);
}

/** |a - b| <= atol + rtol * |b| elementwise (numpy's isclose; infinities must match exactly). */
export function isclose(a: ArrayLike, b: ArrayLike, rtolOrOpts?: CloseOptions | number, atolArg?: number, equalNanArg?: boolean): JaxArray {
  const opts = closeOptions("isclose", rtolOrOpts, atolArg, equalNanArg);
  const rtol = opts.rtol ?? 1e-5, atol = opts.atol ?? 1e-8;
  const [x, y] = U.promote("isclose", [a, b], "float");
  const close = U.lessEqual(U.abs(U.subtract(x, y)), U.add(atol, U.multiply(rtol, U.abs(y))));
  const finite = U.logicalAnd(U.isfinite(x), U.isfinite(y));
  let r = U.where(finite, close, U.equal(x, y));
  if (opts.equalNan) r = U.logicalOr(r, U.logicalAnd(U.isnan(x), U.isnan(y)));
  return r;
}

export function allclose(a: ArrayLike, b: ArrayLike, rtolOrOpts?: CloseOptions | number, atolArg?: number, equalNanArg?: boolean): JaxArray {
  return all(isclose(a, b, closeOptions("allclose", rtolOrOpts, atolArg, equalNanArg)));
}

export function arrayEqual(a: ArrayLike, b: ArrayLike): JaxArray {
  const x = asArray(a), y = asArray(b);
  if (x.shape.length !== y.shape.length || x.shape.some((d, i) => d !== y.shape[i])) return asArray(false);
  return all(U.equal(x, y));
}
