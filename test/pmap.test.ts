import { test } from "uvu";
import * as assert from "uvu/assert";
import { jnp, lax, pmap, vmap, grad, jit, config, devices, ValueError, Array as JArray } from "../src/index.js";
import { main as dataParallel } from "../examples/data-parallel.js";
import { toNumbers } from "./helpers.js";

config.update("cpuDeviceCount", 4);
const x = jnp.arange(8).reshape([4, 2]).astype("float32");

test("devices() lists the CPU devices pmap maps over", () => {
  assert.equal(devices().filter((d) => d.platform === "cpu").length, 4);
});

test("collectives: psum, pmean, pmax, pmin, allGather, axisIndex, ppermute", () => {
  const on = (f: (v: JArray) => JArray) => toNumbers(pmap(f, { axisName: "i" })(x) as JArray);
  assert.equal(on((v) => lax.psum(v, "i")), [12, 16, 12, 16, 12, 16, 12, 16]);
  assert.equal(on((v) => lax.pmean(v, "i")), [3, 4, 3, 4, 3, 4, 3, 4]);
  assert.equal(on((v) => lax.pmax(v, "i")), [6, 7, 6, 7, 6, 7, 6, 7]);
  assert.equal(on((v) => lax.pmin(v, "i")), [0, 1, 0, 1, 0, 1, 0, 1]);
  assert.equal(on((v) => lax.allGather(v, "i")).slice(0, 8), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(toNumbers(pmap((_v: JArray) => lax.axisIndex("i"), { axisName: "i" })(x) as JArray), [0, 1, 2, 3]);
  assert.equal(on((v) => lax.ppermute(v, "i", [[0, 1], [1, 2], [2, 3], [3, 0]])), [6, 7, 0, 1, 2, 3, 4, 5]);
  // vmap with an axis name supports the same collectives.
  assert.equal(toNumbers(vmap((v: JArray) => lax.psum(v, "j"), { axisName: "j" })(x) as JArray), [12, 16, 12, 16, 12, 16, 12, 16]);
});

test("pmap composes with grad, jit and vmap, and accepts pytrees", () => {
  const g = grad((w: JArray) => jnp.sum(pmap((v: JArray) => lax.pmean(jnp.multiply(v, w), "i"), { axisName: "i" })(x) as JArray))(jnp.array(2, { dtype: "float32" })) as JArray;
  assert.equal(g.item(), 28);
  const perDevice = pmap((p: { a: JArray }) => ({ s: lax.psum(p.a, "i") }), { axisName: "i" })({ a: x }) as { s: JArray };
  assert.equal(perDevice.s.shape, [4, 2]);
  const nested = jit(pmap((v: JArray) => vmap((u: JArray) => lax.psum(u, "i"))(v), { axisName: "i" }))(x) as JArray;
  assert.equal(toNumbers(nested), [12, 16, 12, 16, 12, 16, 12, 16]);
});

test("errors: too many devices, unbound axis name", () => {
  assert.throws(() => pmap((v: JArray) => v)(jnp.ones([8, 2])), (e: unknown) => e instanceof ValueError && /requires 8 logical devices, but only 4/.test(String(e)));
  assert.throws(() => lax.psum(x, "i"), /unbound axis name: i/);
  assert.throws(() => pmap((v: JArray) => lax.psum(v, "k"), { axisName: "i" })(x), /unbound axis name: k/);
});

test("data-parallel training over 4 devices equals single-device training on the full batch", () => {
  const r = dataParallel({ log: false });
  assert.equal(r.replicaSpread, 0);
  assert.ok(r.maxParamDiff < 1e-5, `params differ by ${r.maxParamDiff}`);
  assert.ok(r.loss < 0.5, `loss ${r.loss}`);
});

test.run();
