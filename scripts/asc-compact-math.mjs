// An asc transform (scripts/build-wasm.mjs passes it with --transform): compiles the standard
// library's Math/Mathf in their compact forms while binaryen still optimizes at -O3.
//
// asc picks between two implementations of exp, log, pow, exp2, log2 (f64 and f32) by its shrink
// level: at 0 the table-driven ones, whose lookup tables are ~8 KB of incompressible data segments
// (a fifth of the deflated binary); at 1 and up the table-free musl ones, accurate to the same
// 1 ulp. Our hot f32 kernels use their own SIMD polynomials, so the tables only speed up scalar
// float64 and uncommon float32 ops. But -O3s also makes binaryen inline less, which slowed conv,
// transpose and exp 16M by 20-40% in the bench. So: shrink level 0 for binaryen, and the hint that
// the standard library reads (ASC_SHRINK_LEVEL) set to 1 here, after parsing and before the
// program is initialized, which is when that constant is declared.
export default class CompactMath {
  afterParse() {
    this.program.options.shrinkLevelHint = 1;
  }
}
