// The special functions random's samplers need, as XLA computes them (xla/hlo/builder/lib/math.cc:
// Lanczos lgamma and digamma) and JAX's random_gamma_grad (jax/_src/lax/special.py: the derivative
// of a Gamma(a) sample x with respect to a, -(dP(a, x)/da) / p(a, x), from igamma's series or
// continued fraction), composed from primitives. lax.lgamma/digamma (lax-special.ts) are more
// accurate; the samplers keep XLA's Lanczos form because their accept/reject tests must round as
// JAX's do for the integer samples to stay bit-identical.
import { whileLoop } from "../control/loops.js";
import { broadcastShapes } from "../core/shape.js";
import { ArrayLike, JaxArray } from "../core/value.js";
import * as A from "../primitives/arith.js";
import * as M from "../primitives/math.js";
import * as jnp from "./numpy/index.js";
import { bc, c } from "./random-util.js";

const LANCZOS = [676.520368121885098567009190444019, -1259.13921672240287047156078755283, 771.3234287776530788486528258894,
  -176.61502916214059906584551354, 12.507343278686904814458936853, -0.13857109526572011689554707,
  9.984369578019570859563e-6, 1.50563273514931155834e-7];

const consts = (x: JaxArray) => (v: number) => bc(c(v, x.dtype), x.shape);

/** Shared Lanczos terms: z (reflected below 1/2), the series and log(t). */
function lanczos(x: JaxArray) {
  const k = consts(x);
  const reflect = A.lt(x, k(0.5));
  const z = A.select(reflect, A.neg(x), A.sub(x, k(1)));
  let num = k(0), den = k(0.99999999999980993227684700473478);
  LANCZOS.forEach((cf, i) => {
    const zi = A.add(A.add(z, k(i)), k(1));
    num = A.sub(num, A.div(k(cf), A.mul(zi, zi)));
    den = A.add(den, A.div(k(cf), zi));
  });
  const t = A.add(k(7.5), z);
  const logT = A.add(k(Math.log(7.5)), M.log1p(A.div(z, k(7.5))));
  return { k, reflect, z, num, den, t, logT };
}

/** log|Gamma(x)| (XLA's Lgamma). */
export function lgamma(x: JaxArray): JaxArray {
  const { k, reflect, z, den, t, logT } = lanczos(x);
  const logY = A.add(A.add(k((Math.log(2) + Math.log(Math.PI)) / 2), A.mul(A.sub(A.add(z, k(0.5)), A.div(t, logT)), logT)), M.log(den));
  const ax = A.abs(x);
  let frac = A.sub(ax, A.floor(ax));
  frac = A.select(A.gt(frac, k(0.5)), A.sub(k(1), frac), frac);
  const rden = M.log(M.sin(A.mul(k(Math.PI), frac)));
  const finite = A.lt(A.abs(rden), k(Infinity));
  const refl = A.select(finite, A.sub(A.sub(k(Math.log(Math.PI)), rden), logY), A.neg(rden));
  return A.select(A.eq(ax, k(Infinity)), k(Infinity), A.select(reflect, refl, logY));
}

/** digamma(x) (XLA's Digamma). */
export function digamma(x: JaxArray): JaxArray {
  const { k, reflect, num, den, t, logT } = lanczos(x);
  const y = A.sub(A.add(logT, A.div(num, den)), A.div(k(7), t));
  const red = A.add(x, A.abs(A.floor(A.add(x, k(0.5)))));
  const refl = A.sub(y, A.div(A.mul(k(Math.PI), M.cos(A.mul(k(Math.PI), red))), M.sin(A.mul(k(Math.PI), red))));
  const pole = A.bitwiseAnd(A.le(x, k(0)), A.eq(x, A.floor(x)));
  return A.select(pole, k(NaN), A.select(reflect, refl, y));
}

const eps = (x: JaxArray) => (x.dtype === "float32" ? 2 ** -23 : 2 ** -52);
const sel = (m: JaxArray, a: JaxArray[], b: JaxArray[]) => a.map((v, i) => A.select(m, v, b[i]));

/** igamma's power series, differentiated in a (IgammaMode.SAMPLE_DERIVATIVE). */
function series(x: JaxArray, a: JaxArray, enabled: JaxArray): JaxArray {
  const k = consts(a), e = k(eps(a));
  const [, , , ans, , , dans] = whileLoop((v: JaxArray[]) => jnp.any(v[0]), (v: JaxArray[]) => {
    const [en, r0, c0, ans0, xx, dc0, dans0] = v;
    const r = A.add(r0, k(1));
    const dc = A.sub(A.mul(dc0, A.div(xx, r)), A.div(A.mul(c0, xx), A.mul(r, r)));
    const dans = A.add(dans0, dc);
    const cc = A.mul(c0, A.div(xx, r));
    const ans = A.add(ans0, cc);
    const more = A.bitwiseAnd(en, A.gt(A.abs(A.div(dc, dans)), e));
    return [more, ...sel(en, [r, cc, ans, xx, dc, dans], v.slice(1))];
  }, [enabled, a, k(1), k(1), x, k(0), k(0)]) as JaxArray[];
  const dlogax = A.sub(M.log(x), digamma(A.add(a, k(1))));
  return A.div(A.mul(A.neg(A.add(dans, A.mul(ans, dlogax))), x), a);
}

/** igammac's continued fraction, differentiated in a (at most 2000 steps, as XLA). */
function contFrac(x: JaxArray, a: JaxArray, enabled: JaxArray): JaxArray {
  const k = consts(x), e = k(eps(x));
  const y0 = A.sub(k(1), a), z0 = A.add(A.add(x, y0), k(1));
  const pkm1 = A.add(x, k(1)), qkm1 = A.mul(z0, x);
  const ans0 = A.div(pkm1, qkm1);
  const dqkm1 = A.neg(x);
  const dans0 = A.div(A.sub(k(0), A.mul(ans0, dqkm1)), qkm1);
  const init = [enabled, ans0, k(1), y0, z0, c(0, x.dtype), pkm1, qkm1, k(1), x, k(0), k(0), k(0), dqkm1, dans0];
  const out = whileLoop((v: JaxArray[]) => A.bitwiseAnd(A.lt(v[5], c(2000, x.dtype)), jnp.any(v[0])), (v: JaxArray[]) => {
    const [en, ans0, , y0, z0, c0, pkm1, qkm1, pkm2, qkm2, dpkm2, dqkm2, dpkm1, dqkm1, dans0] = v;
    const cc = A.add(c0, c(1, x.dtype)), cb = bc(cc, x.shape);
    const y = A.add(y0, k(1)), z = A.add(z0, k(2)), yc = A.mul(y, cb);
    const pk = A.sub(A.mul(pkm1, z), A.mul(pkm2, yc));
    const qk = A.sub(A.mul(qkm1, z), A.mul(qkm2, yc));
    const nz = A.ne(qk, k(0));
    const r = A.div(pk, qk);
    const t = A.select(nz, A.abs(A.div(A.sub(ans0, r), r)), k(1));
    const ans = A.select(nz, r, ans0);
    const dpk = A.add(A.sub(A.sub(A.mul(dpkm1, z), pkm1), A.mul(dpkm2, yc)), A.mul(pkm2, cb));
    const dqk = A.add(A.sub(A.sub(A.mul(dqkm1, z), qkm1), A.mul(dqkm2, yc)), A.mul(qkm2, cb));
    const dansNew = A.select(nz, A.div(A.sub(dpk, A.mul(ans, dqk)), qk), dans0);
    const gcond = A.select(nz, A.abs(A.sub(dansNew, dans0)), k(1));
    const rescale = A.gt(A.abs(pk), A.div(k(1), e));
    const sc = (u: JaxArray) => A.select(rescale, A.mul(u, e), u);
    const more = A.bitwiseAnd(en, A.gt(gcond, e));
    return [more, ...sel(en, [ans, t, y, z], v.slice(1, 5)), cc,
      ...sel(en, [sc(pk), sc(qk), sc(pkm1), sc(qkm1), sc(dpkm1), sc(dqkm1), sc(dpk), sc(dqk), dansNew], v.slice(6))];
  }, init) as JaxArray[];
  const dlogax = A.sub(M.log(x), digamma(a));
  return A.mul(A.neg(A.add(out[14], A.mul(out[1], dlogax))), x);
}

/**
 * lax.random_gamma_grad(a, x): the derivative of a Gamma(a, 1) sample x with respect to a, by
 * implicit differentiation of the CDF (what grad of random.gamma uses). Elementwise, broadcasting.
 */
export function randomGammaGrad(a: ArrayLike, x: ArrayLike): JaxArray {
  let [aa, xx] = jnp.promote("randomGammaGrad", [a, x], "float");
  const s = broadcastShapes("randomGammaGrad", aa.shape, xx.shape);
  aa = jnp.broadcastTo(aa, s);
  xx = jnp.broadcastTo(xx, s);
  const k = consts(aa);
  const isNan = A.bitwiseOr(A.ne(aa, aa), A.ne(xx, xx));
  const xZero = A.eq(xx, k(0));
  const domain = A.bitwiseOr(A.lt(xx, k(0)), A.le(aa, k(0)));
  const useC = A.bitwiseAnd(A.gt(xx, k(1)), A.gt(xx, aa));
  const ax = A.sub(A.sub(A.mul(aa, M.log(xx)), xx), lgamma(aa));
  const underflow = A.lt(ax, k(-Math.log(aa.dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE)));
  const enabled = A.bitwiseNot(A.bitwiseOr(A.bitwiseOr(xZero, domain), A.bitwiseOr(underflow, isNan)));
  let out = A.select(useC, A.neg(contFrac(xx, aa, A.bitwiseAnd(enabled, useC))),
    series(xx, aa, A.bitwiseAnd(enabled, A.bitwiseNot(useC))));
  out = A.select(xZero, k(0), out);
  return A.select(A.bitwiseOr(domain, isNan), k(NaN), out);
}
