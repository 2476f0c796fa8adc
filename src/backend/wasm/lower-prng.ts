import { itemSize } from "../../core/dtype.js";
import { KernelArg } from "../backend.js";
import { Lowering } from "./lowerings.js";

/** Element stride of an operand: 0 for a rank-0 operand broadcast against the others. */
const stride = (x: KernelArg) => (x.aval.ndim === 0 ? 0 : 1);

const threefry2x32: Lowering = (ctx, [k1, k2, x1, x2], [o1, o2]) => {
  const n = o1.aval.size;
  if (n === 0) return true;
  ctx.k.threefry2x32(k1.buf.handle, stride(k1), k2.buf.handle, stride(k2), x1.buf.handle, stride(x1),
    x2.buf.handle, stride(x2), o1.buf.handle, o2.buf.handle, n);
  return true;
};

/** Bits are bits: a bitcast is a copy within Wasm memory. */
const bitcastConvertType: Lowering = (ctx, [x], [out]) => {
  const nbytes = out.aval.size * itemSize[out.aval.dtype];
  if (nbytes > 0) new Uint8Array(ctx.k.memory.buffer).copyWithin(out.buf.handle, x.buf.handle, x.buf.handle + nbytes);
  return true;
};

/** float32 erf_inv in Wasm (float64 runs the reference). */
const erfInv: Lowering = (ctx, [x], [out]) => {
  if (x.aval.dtype !== "float32") return false;
  ctx.k.erf_inv_f32(x.buf.handle, out.buf.handle, out.aval.size);
  return true;
};

const fma: Lowering = (ctx, [a, b, c], [out]) => {
  const n = out.aval.size;
  const s = (x: KernelArg) => (x.aval.size === 1 ? 0 : 1);
  const f = out.aval.dtype === "float32" ? ctx.k.fma_f32 : ctx.k.fma_f64;
  f(a.buf.handle, s(a), b.buf.handle, s(b), c.buf.handle, s(c), out.buf.handle, n);
  return true;
};

export const prngLowerings: Record<string, Lowering> = {
  threefry2x32,
  bitcast_convert_type: bitcastConvertType,
  erf_inv: erfInv,
  fma,
};
