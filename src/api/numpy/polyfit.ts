// jnp.polyfit: least-squares polynomial fit through linalg.lstsq on a column-scaled Vandermonde matrix.
import { ShapeError, ValueError } from "../../core/errors.js";
import { positionalOptions } from "../../core/transform-args.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import { arange, array } from "./creation.js";
import { inv } from "./linalg-extra.js";
import { matmul } from "./linalg.js";
import { lstsq } from "./linalg-more.js";
import { sum } from "./reductions.js";
import { atleast1d, expandDims, swapaxes } from "./shape.js";
import { promote } from "./ufuncs.js";
import * as U from "./ufuncs.js";

export interface PolyfitOptions { rcond?: number | null; full?: boolean; w?: ArrayLike | null; cov?: boolean | "unscaled" }

/**
 * Coefficients (highest power first) of the degree-`deg` polynomial fitting y (n,) or (n, k) at x;
 * with `full` also [resid, rank, s, rcond], with `cov` the coefficients' covariance, as JAX.
 */
export function polyfit(x: ArrayLike, y: ArrayLike, deg: number, ...rest: unknown[]): JaxArray | JaxArray[] {
  const o = positionalOptions<PolyfitOptions>("polyfit", rest, ["rcond", "full", "w", "cov"]);
  const [X, Y] = promote("polyfit", [x, y], "float");
  if (!Number.isInteger(deg) || deg < 0) throw new ValueError(`polyfit: deg must be a non-negative integer, got ${deg}.`);
  if (X.ndim !== 1 || X.size === 0 || Y.ndim < 1 || Y.ndim > 2 || X.shape[0] !== Y.shape[0]) {
    throw new ShapeError(`polyfit: needs x (n,) with n > 0 and y (n,) or (n, k), got [${X.shape}] and [${Y.shape}].`);
  }
  const n = X.shape[0], order = deg + 1;
  const rcond = o.rcond ?? n * (X.dtype === "float64" ? 2 ** -52 : 2 ** -23);
  let lhs = U.power(expandDims(X, 1), U.astype(arange(deg, -1, -1), X.dtype)), rhs = Y;
  if (o.w != null) {
    const w = promote("polyfit", [o.w], "float")[0];
    if (w.ndim !== 1 || w.shape[0] !== n) throw new ShapeError(`polyfit: w must be 1-D of length ${n}, got [${w.shape}].`);
    lhs = U.multiply(lhs, expandDims(w, 1));
    rhs = U.multiply(rhs, Y.ndim === 2 ? expandDims(w, 1) : w);
  }
  // Scaling the columns to unit norm improves the conditioning (as numpy and JAX do).
  const scale = U.sqrt(sum(U.square(lhs), 0));
  lhs = U.divide(lhs, scale);
  const [c0, resid, rank, s] = lstsq(lhs, rhs, rcond);
  const c = U.divide(c0, Y.ndim === 2 ? expandDims(scale, 1) : scale);
  if (o.full) return [c, resid, rank, s, array(rcond, X.dtype)];
  if (!o.cov) return c;
  const sc = expandDims(scale, 1);
  const vbase = U.divide(inv(matmul(swapaxes(lhs, 0, 1), lhs)), U.multiply(sc, swapaxes(sc, 0, 1)));
  if (o.cov !== "unscaled" && n <= order) throw new ValueError(`polyfit: scaling the covariance needs more points (${n}) than deg + 1 (${order}); or pass cov: "unscaled".`);
  const fac = o.cov === "unscaled" ? array(1, X.dtype) : atleast1d(U.divide(resid, n - order));
  return [c, Y.ndim === 1 ? U.multiply(vbase, fac) : U.multiply(expandDims(vbase, 2), fac)];
}
