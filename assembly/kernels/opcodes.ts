// Operation codes shared by the AssemblyScript kernels and the TypeScript side that calls them.
// Plain `export const` lines only, so the same file compiles as AssemblyScript and TypeScript.

// Unary float ops.
export const NEG = 0;
export const ABS = 1;
export const SIGN = 2;
export const FLOOR = 3;
export const CEIL = 4;
export const ROUND = 5;
export const SQRT = 6;
export const RSQRT = 7;
export const EXP = 8;
export const EXP2 = 9;
export const EXPM1 = 10;
export const LOG = 11;
export const LOG1P = 12;
export const SIN = 13;
export const COS = 14;
export const TAN = 15;
export const ASIN = 16;
export const ACOS = 17;
export const ATAN = 18;
export const SINH = 19;
export const COSH = 20;
export const TANH = 21;
export const ASINH = 22;
export const ACOSH = 23;
export const ATANH = 24;
export const ERF = 25;
export const LOGISTIC = 26;
export const SQUARE = 27;
export const TRUNC = 28;
export const CBRT = 29;
export const NOT = 30;

// Binary ops.
export const ADD = 0;
export const SUB = 1;
export const MUL = 2;
export const DIV = 3;
export const REM = 4;
export const POW = 5;
export const MAX = 6;
export const MIN = 7;
export const ATAN2 = 8;
export const AND = 9;
export const OR = 10;
export const XOR = 11;
export const SHL = 12;
export const SHR = 13;

// Comparisons (bool output).
export const EQ = 0;
export const NE = 1;
export const LT = 2;
export const LE = 3;
export const GT = 4;
export const GE = 5;

// Reductions and scans.
export const R_SUM = 0;
export const R_PROD = 1;
export const R_MAX = 2;
export const R_MIN = 3;

// Dtype codes.
export const T_F32 = 0;
export const T_F64 = 1;
export const T_I32 = 2;
export const T_U32 = 3;
export const T_BOOL = 4;
