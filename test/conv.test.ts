import { test } from "uvu";
import * as assert from "uvu/assert";
import { lax, Array as JArray } from "../src/index.js";
import { randArray, toNumbers, maxRelErr } from "./helpers.js";

/** Direct-loop convolution, NHWC x HWIO, for checking values. */
function refConv(x: JArray, w: JArray, stride: number[], pads: [number, number][], dil = [1, 1]): number[] {
  const [N, H, W, C] = x.shape, [KH, KW, , O] = w.shape;
  const xv = toNumbers(x), wv = toNumbers(w);
  const OH = Math.floor((H + pads[0][0] + pads[0][1] - ((KH - 1) * dil[0] + 1)) / stride[0]) + 1;
  const OW = Math.floor((W + pads[1][0] + pads[1][1] - ((KW - 1) * dil[1] + 1)) / stride[1]) + 1;
  const out: number[] = [];
  for (let n = 0; n < N; n++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) for (let o = 0; o < O; o++) {
    let s = 0;
    for (let a = 0; a < KH; a++) for (let b = 0; b < KW; b++) for (let c = 0; c < C; c++) {
      const y = i * stride[0] + a * dil[0] - pads[0][0], z = j * stride[1] + b * dil[1] - pads[1][0];
      if (y < 0 || y >= H || z < 0 || z >= W) continue;
      s += xv[((n * H + y) * W + z) * C + c] * wv[((a * KW + b) * C + c) * O + o];
    }
    out.push(s);
  }
  return out;
}

test("convolution matches direct loops (SAME, VALID, strides, dilation)", () => {
  const x = randArray([2, 7, 6, 3], -1, 1, "float64"), w = randArray([3, 2, 3, 4], -1, 1, "float64", 2);
  const dn = { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] as [string, string, string] };
  const same = lax.convGeneralDilated(x, w, [1, 1], "SAME", dn);
  assert.equal(same.shape, [2, 7, 6, 4]);
  assert.ok(maxRelErr(toNumbers(same), refConv(x, w, [1, 1], [[1, 1], [0, 1]])) < 1e-12);
  const valid = lax.convGeneralDilated(x, w, [2, 3], "VALID", dn);
  assert.ok(maxRelErr(toNumbers(valid), refConv(x, w, [2, 3], [[0, 0], [0, 0]])) < 1e-12);
  const dilated = lax.convGeneralDilated(x, w, [1, 1], [[2, 1], [0, 0]], { ...dn, rhsDilation: [2, 1] });
  assert.ok(maxRelErr(toNumbers(dilated), refConv(x, w, [1, 1], [[2, 1], [0, 0]], [2, 1])) < 1e-12);
});

test("reduceWindow max and add", () => {
  const x = randArray([1, 4, 4, 1], -1, 1, "float64");
  const v = toNumbers(x);
  const m = toNumbers(lax.reduceWindow(x, -Infinity, "max", [1, 2, 2, 1], [1, 2, 2, 1], "VALID"));
  const want = [0, 1].flatMap((i) => [0, 1].map((j) => Math.max(v[(2 * i) * 4 + 2 * j], v[(2 * i) * 4 + 2 * j + 1], v[(2 * i + 1) * 4 + 2 * j], v[(2 * i + 1) * 4 + 2 * j + 1])));
  assert.equal(m, want);
  const s = lax.reduceWindow(x, 0, "add", [1, 3, 3, 1], [1, 1, 1, 1], "SAME");
  assert.equal(s.shape, [1, 4, 4, 1]);
  assert.ok(Math.abs(toNumbers(s)[5] - [0, 1, 2].reduce((a, i) => a + [0, 1, 2].reduce((b, j) => b + v[i * 4 + j], 0), 0)) < 1e-12);
});

test.run();
