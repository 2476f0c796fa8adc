// Scalar special functions the AssemblyScript standard library lacks. Computed in f64 so the f32
// kernels round a result that is accurate to far below one f32 ulp.

const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;
const INV_SQRT_PI: f64 = 0.5641895835477563;

/** erf(x): Maclaurin series below |x| = 2 (at most ~e^4 cancellation), continued fraction above. */
export function erf64(x: f64): f64 {
  if (isNaN(x)) return x;
  const ax = abs(x);
  if (ax < 2.0) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / <f64>n;
      const t = term / <f64>(2 * n + 1);
      sum += t;
      if (abs(t) < 1e-17 * abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (ax >= 6.0) return x > 0 ? 1.0 : -1.0;
  const r = 1.0 - erfcLarge(ax);
  return x > 0 ? r : -r;
}

/** erfc(x) for x >= 2 by the Laplace continued fraction, evaluated with the modified Lentz method. */
function erfcLarge(x: f64): f64 {
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  const tiny: f64 = 1e-300;
  let f = x;
  let c = x;
  let d: f64 = 0;
  for (let n = 1; n < 200; n++) {
    const a = <f64>n * 0.5;
    d = x + a * d;
    if (d == 0) d = tiny;
    c = x + a / c;
    if (c == 0) c = tiny;
    d = 1.0 / d;
    const delta = c * d;
    f *= delta;
    if (abs(delta - 1.0) < 1e-16) break;
  }
  return Math.exp(-x * x) * INV_SQRT_PI / f;
}
