// The `lax` namespace: the primitives' own wrappers (strict shapes and dtypes, no broadcasting).
export {
  add, sub, mul, div, rem, max, min, neg, abs, sign, floor, ceil, round, square, integerPow, eq, ne, lt, le, gt, ge,
  bitwiseAnd, bitwiseOr, bitwiseXor, bitwiseNot, shiftLeft, shiftRight, select, clamp, convertElementType,
} from "../primitives/arith.js";
export {
  sqrt, rsqrt, cbrt, exp, exp2, expm1, log, log1p, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh,
  atanh, erf, logistic, pow, atan2,
} from "../primitives/math.js";
export { broadcastInDim, reduceSum, reshape, transpose, rev, slice, concatenate, iota } from "../primitives/structural.js";
export { reduceMax, reduceMin, reduceProd, reduceAnd, reduceOr, argmax, argmin } from "../primitives/reduce.js";
export { gather, scatter } from "../primitives/indexing.js";
export { stopGradient } from "../autodiff/api.js";
export { laxSort as sort, sortKeyVal, topK } from "./numpy/sorting.js";
export { cond, switch_ as switch } from "../control/cond.js";
export { scan, whileLoop, foriLoop } from "../control/loops.js";
export { convGeneralDilated, convTranspose, reduceWindow } from "./conv.js";
export { axisIndex } from "../batching/collectives.js";
export { psum, pmax, pmin, pmean, allGather, ppermute } from "../batching/collective-api.js";
export { dynamicSlice, dynamicUpdateSlice, dynamicSliceInDim, dynamicUpdateSliceInDim, dynamicIndexInDim, sliceInDim } from "./lax-slicing.js";
export { squeeze, expandDims, full, fullLike, broadcast, collapse, dot, batchMatmul, selectN, reduce, map, pad, dotGeneral } from "./lax-extra.js";
export { nextafter } from "./numpy/extras-math.js";
export { associativeScan, cumsum, cumprod, cummax, cummin, cumlogsumexp } from "./lax-scan.js";
export { erfInv } from "../primitives/prng.js";
export { lgamma, digamma, erfc } from "./lax-special.js";
export { randomGammaGrad } from "./random-special.js";
