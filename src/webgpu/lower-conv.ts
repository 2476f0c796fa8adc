// conv_general_dilated as a direct convolution: one invocation per output element sums its window
// over kernel taps and the input features of its group, reading both operands through strides (any
// layout, no copies). Up to 3 spatial dimensions (missing ones have size 1); padding, strides and
// both dilations are index arithmetic: a tap that lands in padding or between dilated input
// elements is skipped.
import { stridesOf } from "../core/shape.js";
import type { ConvParams } from "../primitives/conv.js";
import type { Lowering } from "./lowerings.js";
import { kernel, Scalar, wgslType } from "./wgsl/builder.js";

const WG = 64;
const D = 3;

/** Meta slots: sizes, then per operand (batch, feature, spatial x3) strides, then per-dim params. */
const S = { total: 0, N: 1, O: 2, I: 3, Og: 4, outSp: 5, outSt: 8, xSt: 13, inSp: 18, wSt: 21, kSp: 26, stride: 29, lo: 32, ld: 35, rd: 38 };

function convKernel(t: Scalar) {
  return kernel(`conv|${t}`, () => {
    const zero = t === "f32" ? "0.0" : t === "i32" ? "0" : "0u";
    const dim = (d: number) => `let c${d} = i32(p${d} * m(${S.stride + d}u) + k${d} * m(${S.rd + d}u)) - mi(${S.lo + d}u);
      if (c${d} < 0 || u32(c${d}) % m(${S.ld + d}u) != 0u || u32(c${d}) / m(${S.ld + d}u) >= m(${S.inSp + d}u)) { continue; }
      let y${d} = u32(c${d}) / m(${S.ld + d}u);`;
    return {
      bindings: [{ name: "X", type: t }, { name: "W", type: t }, { name: "Y", type: t, write: true }],
      workgroup: WG,
      body: `  if (i >= m(${S.total}u)) { return; }
  var r = i;
  let p2 = r % m(${S.outSp + 2}u); r = r / m(${S.outSp + 2}u);
  let p1 = r % m(${S.outSp + 1}u); r = r / m(${S.outSp + 1}u);
  let p0 = r % m(${S.outSp}u); r = r / m(${S.outSp}u);
  let o = r % m(${S.O}u); let n = r / m(${S.O}u);
  let xb = n * m(${S.xSt}u) + (o / m(${S.Og}u)) * m(${S.I}u) * m(${S.xSt + 1}u);
  let wb = o * m(${S.wSt}u);
  var acc: ${t} = ${zero};
  for (var k0 = 0u; k0 < m(${S.kSp}u); k0 = k0 + 1u) {
    ${dim(0)}
    for (var k1 = 0u; k1 < m(${S.kSp + 1}u); k1 = k1 + 1u) {
      ${dim(1)}
      for (var k2 = 0u; k2 < m(${S.kSp + 2}u); k2 = k2 + 1u) {
        ${dim(2)}
        let xo = xb + y0 * m(${S.xSt + 2}u) + y1 * m(${S.xSt + 3}u) + y2 * m(${S.xSt + 4}u);
        let wo = wb + k0 * m(${S.wSt + 2}u) + k1 * m(${S.wSt + 3}u) + k2 * m(${S.wSt + 4}u);
        for (var c = 0u; c < m(${S.I}u); c = c + 1u) {
          acc = acc + X[xo + c * m(${S.xSt + 1}u)] * W[wo + c * m(${S.wSt + 1}u)];
        }
      }
    }
  }
  Y[n * m(${S.outSt}u) + o * m(${S.outSt + 1}u) + p0 * m(${S.outSt + 2}u) + p1 * m(${S.outSt + 3}u) + p2 * m(${S.outSt + 4}u)] = acc;`,
    };
  });
}

const conv: Lowering = (ctx, [x, w], [y], p: ConvParams) => {
  const nd = x.aval.ndim - 2;
  if (nd > D || x.aval.dtype === "bool") return false;
  const total = y.aval.size;
  if (total === 0) return true;
  if (total >= 2 ** 32) return false;
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  // Operand axes as (batch, feature, spatial...) padded to D spatial dims of size 1 / stride 0.
  const view = (shape: readonly number[], spec: number[]) => {
    const st = stridesOf(shape);
    const pad = Array(D - nd).fill(0);
    return { sizes: [...spec.slice(2).map((a) => shape[a]), ...pad.map(() => 1)], strides: [st[spec[0]], st[spec[1]], ...spec.slice(2).map((a) => st[a]), ...pad] };
  };
  const xv = view(x.aval.shape, lhsSpec), wv = view(w.aval.shape, rhsSpec), yv = view(y.aval.shape, outSpec);
  const fill = (v: number[], d: number) => [...v, ...Array(D - nd).fill(d)];
  const O = w.aval.shape[rhsSpec[0]];
  const meta = [
    total, x.aval.shape[lhsSpec[0]], O, w.aval.shape[rhsSpec[1]], O / p.featureGroupCount,
    ...yv.sizes, ...yv.strides, ...xv.strides, ...xv.sizes, ...wv.strides, ...wv.sizes,
    ...fill(p.windowStrides, 1), ...fill(p.padding.map(([lo]) => lo >>> 0), 0), ...fill(p.lhsDilation, 1), ...fill(p.rhsDilation, 1),
  ];
  ctx.dispatch(convKernel(wgslType(x.aval.dtype)), [x.buf, w.buf, y.buf], meta, ctx.grid(total, WG));
  return true;
};

export const convLowerings: Record<string, Lowering> = { conv_general_dilated: conv };
