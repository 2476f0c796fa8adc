// jnp.linalg's factorizations (qr, eigh, svd and their value-only forms). Results that JAX returns as
// named tuples are JS arrays in the same order that also carry the field names.
import { NotImplementedError, ValueError } from "../../core/errors.js";
import { positionalOptions } from "../../core/transform-args.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as F from "../../primitives/linalg-factor.js";
import { checkFloatMatrix } from "../../primitives/linalg-decomp.js";
import { named } from "./named.js";
import { promote } from "./ufuncs.js";
import * as U from "./ufuncs.js";
import { expandDims, flip, swapaxes, takeAlongAxis } from "./shape.js";
import { argsort, sort } from "./sorting.js";

const float = (op: string, a: ArrayLike) => promote(op, [a], "float")[0];

export type QRResult = [JaxArray, JaxArray] & { Q: JaxArray; R: JaxArray };
/** QR by Householder reflections: mode "reduced" (default), "complete" or "r" (R only). */
export function qr(a: ArrayLike, mode: "r" | { mode: "r" }): JaxArray;
export function qr(a: ArrayLike, mode?: "reduced" | "complete" | "full" | { mode?: string }): QRResult;
export function qr(a: ArrayLike, mode: string | { mode?: string } = "reduced"): QRResult | JaxArray {
  const m = (typeof mode === "object" ? mode.mode : mode) ?? "reduced";
  if (!["reduced", "complete", "r", "full"].includes(m)) throw new ValueError(`qr: unsupported mode "${m}"; use "reduced", "complete" or "r".`);
  const [q, r] = F.qr(float("qr", a), m === "complete");
  return m === "r" ? r : named<QRResult>([q, r], ["Q", "R"]);
}

export type EighResult = [JaxArray, JaxArray] & { eigenvalues: JaxArray; eigenvectors: JaxArray };
export interface EighOptions { UPLO?: "L" | "U" | null; symmetrizeInput?: boolean }

/** Eigenvalues (ascending) and eigenvectors (columns) of symmetric matrices. */
export function eigh(a: ArrayLike, ...rest: unknown[]): EighResult {
  const o = positionalOptions<EighOptions>("eigh", rest, ["UPLO", "symmetrizeInput"]);
  const uplo = o.UPLO ?? "L";
  if (uplo !== "L" && uplo !== "U") throw new ValueError(`eigh: UPLO must be "L" or "U", got ${JSON.stringify(uplo)}.`);
  let x = float("eigh", a);
  checkFloatMatrix("eigh", x.aval, true);
  // As JAX: symmetrize in traced ops, so derivatives see a symmetric perturbation.
  if (o.symmetrizeInput ?? true) x = U.divide(U.add(x, swapaxes(x, -1, -2)), 2);
  const [v, w] = F.eigh(x, uplo === "L");
  return named<EighResult>([w, v], ["eigenvalues", "eigenvectors"]);
}

export function eigvalsh(a: ArrayLike, ...rest: unknown[]): JaxArray {
  const o = positionalOptions<EighOptions>("eigvalsh", rest, ["UPLO", "symmetrizeInput"]);
  return eigh(a, o)[0];
}

export type SVDResult = [JaxArray, JaxArray, JaxArray] & { U: JaxArray; S: JaxArray; Vh: JaxArray };
export interface SvdOptions { fullMatrices?: boolean; computeUv?: boolean; hermitian?: boolean }

/** [U, S, Vh] with S descending (a = U diag(S) Vh), or S alone with computeUv false. */
export function svd(a: ArrayLike, fullMatrices: false | true | undefined, computeUv: false, hermitian?: boolean): JaxArray;
export function svd(a: ArrayLike, opts: SvdOptions & { computeUv: false }): JaxArray;
export function svd(a: ArrayLike, ...rest: unknown[]): SVDResult;
export function svd(a: ArrayLike, ...rest: unknown[]): SVDResult | JaxArray {
  const o = positionalOptions<SvdOptions>("svd", rest, ["fullMatrices", "computeUv", "hermitian"]);
  const x = float("svd", a), uv = o.computeUv ?? true;
  if (o.hermitian) {
    // From eigh: singular values are |w|, sorted descending; Vh absorbs the eigenvalues' signs.
    const [w, v] = eigh(x);
    const s = U.abs(w);
    if (!uv) return flip(sort(s, -1), -1);
    const idx = flip(argsort(s, -1), -1);
    const u = takeAlongAxis(v, expandDims(idx, -2), -1);
    const sg = takeAlongAxis(U.sign(w), idx, -1);
    return named<SVDResult>([u, takeAlongAxis(s, idx, -1), swapaxes(U.multiply(u, expandDims(sg, -2)), -1, -2)], ["U", "S", "Vh"]);
  }
  const out = F.svd(x, o.fullMatrices ?? true, uv);
  return uv ? named<SVDResult>([out[1], out[0], out[2]], ["U", "S", "Vh"]) : out[0];
}

/** Singular values, descending. */
export function svdvals(x: ArrayLike): JaxArray { return F.svd(float("svdvals", x), false, false)[0]; }

const noEig = (op: string) => new NotImplementedError(`linalg.${op}: general (non-symmetric) eigendecomposition has complex results, ` +
  `which tinyjax does not support. For symmetric (Hermitian) input use linalg.eigh / linalg.eigvalsh.`);
export function eig(_a: ArrayLike): never { throw noEig("eig"); }
export function eigvals(_a: ArrayLike): never { throw noEig("eigvals"); }
