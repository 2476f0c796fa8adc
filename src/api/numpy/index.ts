// The `jnp` namespace: numpy's API in camelCase.
export * from "./creation.js";
export {
  add, subtract, multiply, divide, trueDivide, maximum, minimum, arctan2, fmod, bitwiseAnd, bitwiseOr, bitwiseXor,
  leftShift, rightShift, logicalAnd, logicalOr, logicalXor, logicalNot, bitwiseNot, invert, equal, notEqual, less,
  lessEqual, greater, greaterEqual, power, pow, mod, remainder, floorDivide, divmod, negative, positive, abs, absolute,
  sign, floor, ceil, round, around, rint, trunc, fix, square, sqrt, rsqrt, cbrt, exp, exp2, expm1, log, log1p, sin, cos,
  tan, arcsin, arccos, arctan, sinh, cosh, tanh, arcsinh, arccosh, arctanh, erf, sigmoid, log2, log10, reciprocal,
  deg2rad, rad2deg, radians, degrees, isnan, isinf, isfinite, hypot, logaddexp, where, clip, astype, promote,
} from "./ufuncs.js";
export * from "./reductions.js";
export * from "./shape.js";
export { sort, argsort } from "./sorting.js";
export { matmul, dot, vdot, inner, outer, tensordot, einsum } from "./linalg.js";
export { allclose, isclose, arrayEqual } from "./compare.js";
export {
  roll, rot90, meshgrid, tri, trilIndices, triuIndices, trilIndicesFrom, triuIndicesFrom, diagIndices, diagIndicesFrom, diagflat, indices,
  atleast2d, atleast3d, dstack, columnStack, hsplit, vsplit, dsplit, arraySplit, logspace, geomspace, empty, emptyLike, copy, ndim, shape,
  size, permuteDims, matrixTranspose, append, resize, kron, insert, del as delete, trimZeros, block,
} from "./extras-shape.js";
export { ravelMultiIndex, unravelIndex, ix, choose, select, piecewise, compress, extract, place, put, fillDiagonal } from "./extras-index.js";
export {
  nonzero, argwhere, flatnonzero, unique, uniqueValues, uniqueCounts, uniqueInverse, uniqueAll, isin, searchsorted, digitize, bincount,
  histogram, histogramBinEdges, union1d, setdiff1d, intersect1d, setxor1d, lexsort, partition, argpartition,
} from "./extras-sets.js";
export * as linalg from "./linalg-ns.js";
export { polyfit } from "./polyfit.js";
export * from "./extras-math.js";
export * from "./extras-stats.js";
export * from "./extras-calc.js";
export const float32 = "float32", float64 = "float64", int32 = "int32", uint32 = "uint32", bool_ = "bool";
export const pi = Math.PI, e = Math.E, inf = Infinity, nan = NaN, eulerGamma = 0.5772156649015329;
