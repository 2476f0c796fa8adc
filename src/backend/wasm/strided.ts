import { itemSize, DType } from "../../core/dtype.js";
import { stridesOf } from "../../core/shape.js";
import { WasmContext } from "./lowerings.js";

/**
 * Copies with the strided kernel after dropping size-1 dimensions and merging dimensions that are
 * contiguous in both source and destination (so most copies become one memcpy per row or block).
 * Strides are in elements; `src`/`dst` are byte addresses of element (0, ..., 0).
 */
export function stridedCopy(
  ctx: WasmContext, dtype: DType, shape: readonly number[],
  src: number, srcStrides: readonly number[], dst: number, dstStrides: readonly number[],
): void {
  const s: number[] = [], ss: number[] = [], ds: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 0) return;
    if (shape[i] === 1) continue;
    const n = s.length;
    if (n > 0 && ss[n - 1] === srcStrides[i] * shape[i] && ds[n - 1] === dstStrides[i] * shape[i]) {
      s[n - 1] *= shape[i];
      ss[n - 1] = srcStrides[i];
      ds[n - 1] = dstStrides[i];
    } else {
      s.push(shape[i]);
      ss.push(srcStrides[i]);
      ds.push(dstStrides[i]);
    }
  }
  const nd = s.length;
  // A transpose: the destination is contiguous along the last dimension but the source along an
  // earlier one. Moving that dimension second-to-last lets the kernel copy the pair in tiles.
  if (nd >= 2 && ds[nd - 1] === 1 && ss[nd - 1] !== 1) {
    const q = ss.indexOf(1);
    if (q >= 0 && q < nd - 2) {
      for (const arr of [s, ss, ds]) arr.splice(nd - 2, 0, arr.splice(q, 1)[0]);
    }
  }
  const meta = ctx.meta([...s, ...ss, ...ds], nd);
  ctx.k.copy_strided(nd, meta, src, dst, itemSize[dtype]);
}

/** Copies a contiguous array permuted by `perm` into a contiguous destination. */
export function transposeInto(ctx: WasmContext, dtype: DType, shape: readonly number[], perm: readonly number[], src: number, dst: number): void {
  const st = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  stridedCopy(ctx, dtype, outShape, src, perm.map((p) => st[p]), dst, stridesOf(outShape));
}
