// A catalog of jnp/nn/lax entry points with inputs inside their smooth domains, shared by the
// generic suites (gradient checks, vmap against a loop, jit against eager).
import { jnp, nn, lax, Array as JArray } from "../src/index.js";
import { randArray } from "./helpers.js";

export type F = (...xs: JArray[]) => JArray;
export interface Case { name: string; f: F; inputs: () => JArray[] }

const S = [3, 4];
const u = (lo: number, hi: number, seed = 1, shape = S) => randArray(shape, lo, hi, "float64", seed);
const un = (name: string, f: (x: JArray) => JArray, lo = -1, hi = 1): Case => ({ name, f, inputs: () => [u(lo, hi)] });
const bi = (name: string, f: (x: JArray, y: JArray) => JArray, lo = -1, hi = 1, lo2 = lo, hi2 = hi): Case =>
  ({ name, f, inputs: () => [u(lo, hi, 1), u(lo2, hi2, 7)] });

// Every differentiable jnp/nn/lax entry point, with inputs inside its smooth domain.
export const cases: Case[] = [
  un("negative", jnp.negative), un("abs", jnp.abs, 0.2, 1), un("sqrt", jnp.sqrt, 0.5, 2), un("rsqrt", jnp.rsqrt, 0.5, 2),
  un("cbrt", jnp.cbrt, 0.5, 2), un("exp", jnp.exp), un("exp2", jnp.exp2), un("expm1", jnp.expm1), un("log", jnp.log, 0.5, 2),
  un("log1p", jnp.log1p, -0.5, 1), un("log2", jnp.log2, 0.5, 2), un("log10", jnp.log10, 0.5, 2), un("sin", jnp.sin),
  un("cos", jnp.cos), un("tan", jnp.tan), un("arcsin", jnp.arcsin, -0.8, 0.8), un("arccos", jnp.arccos, -0.8, 0.8),
  un("arctan", jnp.arctan), un("sinh", jnp.sinh), un("cosh", jnp.cosh), un("tanh", jnp.tanh), un("arcsinh", jnp.arcsinh),
  un("arccosh", jnp.arccosh, 1.2, 3), un("arctanh", jnp.arctanh, -0.8, 0.8), un("erf", jnp.erf), un("sigmoid", jnp.sigmoid),
  un("square", jnp.square), un("reciprocal", jnp.reciprocal, 0.5, 2), un("power int", (x) => jnp.power(x, 3)),
  un("floor (zero grad)", jnp.floor, 0.1, 0.9), un("sign (zero grad)", jnp.sign, 0.1, 0.9),
  
  bi("add", jnp.add), bi("subtract", jnp.subtract), bi("multiply", jnp.multiply), bi("divide", jnp.divide, -1, 1, 0.5, 2),
  bi("power", jnp.power, 0.5, 2), bi("maximum", jnp.maximum), bi("minimum", jnp.minimum), bi("arctan2", jnp.arctan2, -1, 1, 0.5, 2),
  bi("hypot", jnp.hypot), bi("logaddexp", jnp.logaddexp), bi("mod", jnp.mod, 0.1, 0.9, 1.1, 2),
  bi("add broadcast", (x, y) => jnp.add(x, y.get(0))),
  bi("scalar operands", (x, y) => jnp.divide(jnp.multiply(x, jnp.sum(y)), jnp.add(jnp.max(y), 3))),
  un("JS number operands", (x) => jnp.subtract(2, jnp.power(jnp.multiply(x, 3), 2))),
  bi("scalar max/pow", (x, y) => jnp.add(jnp.maximum(x, jnp.mean(y)), jnp.power(jnp.exp(jnp.sum(x)), jnp.abs(y)))),
  { name: "where", f: (x, y) => jnp.where(jnp.greater(x, 0), x, y), inputs: () => [u(-1, 1, 1), u(-1, 1, 2)] },
  un("clip", (x) => jnp.clip(x, -0.5, 0.5)),
  un("lax.clamp", (x) => lax.clamp(-0.5, x, 0.5)),
  un("sort", (x) => jnp.sort(x)), un("sort axis 0 descending", (x) => jnp.sort(x, { axis: 0, descending: true })),
  un("sort flattened", (x) => jnp.sort(x, null)), un("lax.topK values", (x) => lax.topK(x, 2)[0]),
  bi("lax.clamp array bounds", (x, y) => lax.clamp(jnp.subtract(jnp.multiply(y, 0.5), 0.5), x, jnp.add(jnp.multiply(y, 0.5), 0.25))),
  bi("lax.clamp scalar bounds", (x, y) => lax.clamp(jnp.subtract(jnp.mean(y), 0.5), x, jnp.add(jnp.max(y), 0.5))),
  un("sum axis", (x) => jnp.sum(x, { axis: 1 })), un("sum all", (x) => jnp.sum(x)), un("mean", (x) => jnp.mean(x, { axis: 0 })),
  un("prod", (x) => jnp.prod(x, { axis: 1 }), 0.5, 2), un("max", (x) => jnp.max(x, { axis: 1 })),
  un("min", (x) => jnp.min(x, { axis: 0, keepdims: true })), un("var", (x) => jnp.var(x, { axis: 1 })),
  un("std", (x) => jnp.std(x)), un("cumsum", (x) => jnp.cumsum(x, { axis: 1 })), un("cumprod", (x) => jnp.cumprod(x, { axis: 0 }), 0.5, 2),
  un("logsumexp", (x) => jnp.logsumexp(x, { axis: 1 })), un("softmax", (x) => nn.softmax(x)), un("logSoftmax", (x) => nn.logSoftmax(x, { axis: 0 })),
  un("gelu", (x) => nn.gelu(x)), un("gelu exact", (x) => nn.gelu(x, false)), un("silu", nn.silu), un("softplus", nn.softplus),
  un("relu", nn.relu, 0.1, 1),
  un("reshape", (x) => jnp.reshape(x, [2, 6])), un("transpose", (x) => jnp.transpose(x)), un("swapaxes", (x) => jnp.swapaxes(x, 0, 1)),
  un("moveaxis", (x) => jnp.moveaxis(jnp.reshape(x, [2, 3, 2]), 0, 2)), un("expandDims", (x) => jnp.expandDims(x, 1)),
  un("squeeze", (x) => jnp.squeeze(jnp.reshape(x, [1, 12]))), un("broadcastTo", (x) => jnp.broadcastTo(x, [2, 3, 4])),
  bi("concatenate", (x, y) => jnp.concatenate([x, y], 1)), bi("stack", (x, y) => jnp.stack([x, y], 1)),
  un("split", (x) => jnp.split(x, 2, 1)[1]), un("tile", (x) => jnp.tile(x, [2, 1])), un("repeat", (x) => jnp.repeat(x, 2, 0)),
  un("pad", (x) => jnp.pad(x, [[1, 2], [0, 1]], { constantValues: 0 })), un("flip", (x) => jnp.flip(x, 1)),
  un("take", (x) => jnp.take(x, jnp.array([2, 0, 2]), 1)),
  un("takeAlongAxis", (x) => jnp.takeAlongAxis(x, jnp.array([[0, 3], [1, 1], [2, 0]]), 1)),
  un("get slices", (x) => x.get("::2", "1:-1")), un("get reversed", (x) => x.get("::-1", 2)),
  un("get int array", (x) => x.get(jnp.array([2, 0, 0]), "1:3")),
  bi("at set", (x, y) => x.at(1, "1:3").set(y.get(0, "0:2"))), bi("at add", (x, y) => x.at(jnp.array([0, 0, 2])).add(y)),
  { name: "matmul", f: (x, y) => jnp.matmul(x, y), inputs: () => [u(-1, 1, 1, [3, 4]), u(-1, 1, 2, [4, 2])] },
  { name: "matmul batched", f: (x, y) => jnp.matmul(x, y), inputs: () => [u(-1, 1, 1, [2, 3, 4]), u(-1, 1, 2, [4, 2])] },
  { name: "dot vec", f: (x, y) => jnp.dot(x, y), inputs: () => [u(-1, 1, 1, [4]), u(-1, 1, 2, [4, 3])] },
  { name: "outer", f: (x, y) => jnp.outer(x, y), inputs: () => [u(-1, 1, 1, [3]), u(-1, 1, 2, [4])] },
  { name: "einsum", f: (x, y) => jnp.einsum("ij,kj->ik", x, y), inputs: () => [u(-1, 1, 1, [3, 4]), u(-1, 1, 2, [2, 4])] },
  { name: "tensordot", f: (x, y) => jnp.tensordot(x, y, 1), inputs: () => [u(-1, 1, 1, [2, 3]), u(-1, 1, 2, [3, 4])] },
  { name: "conv NHWC SAME", f: (x, w) => lax.convGeneralDilated(x, w, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }),
    inputs: () => [u(-1, 1, 1, [1, 5, 5, 2]), u(-1, 1, 2, [3, 3, 2, 3])] },
  { name: "conv NCHW strided dilated", f: (x, w) => lax.convGeneralDilated(x, w, [2, 1], [[1, 0], [2, 1]], { rhsDilation: [1, 2] }),
    inputs: () => [u(-1, 1, 1, [2, 2, 6, 6]), u(-1, 1, 2, [3, 2, 3, 2])] },
  { name: "conv groups", f: (x, w) => lax.convGeneralDilated(x, w, [1], "VALID", { featureGroupCount: 2 }),
    inputs: () => [u(-1, 1, 1, [1, 4, 7]), u(-1, 1, 2, [4, 2, 3])] },
  un("maxPool", (x) => lax.reduceWindow(jnp.reshape(x, [1, 3, 4, 1]), -Infinity, "max", [1, 2, 2, 1], [1, 1, 2, 1], "VALID")),
  un("avgPool SAME", (x) => jnp.divide(lax.reduceWindow(jnp.reshape(x, [1, 3, 4, 1]), 0, "add", [1, 2, 2, 1], [1, 2, 2, 1], "SAME"), 4)),
  { name: "linalg.solve", f: (a, b) => jnp.linalg.solve(jnp.add(a, jnp.multiply(jnp.eye(3, 3, { dtype: "float64" }), 3)), b),
    inputs: () => [u(-1, 1, 1, [3, 3]), u(-1, 1, 2, [3, 2])] },
  { name: "linalg.inv", f: (a) => jnp.linalg.inv(jnp.add(a, jnp.multiply(jnp.eye(3, 3, { dtype: "float64" }), 3))), inputs: () => [u(-1, 1, 1, [3, 3])] },
  { name: "linalg.det", f: (a) => jnp.linalg.det(a), inputs: () => [u(-1, 1, 1, [2, 3, 3])] },
  { name: "linalg.cholesky", f: (a) => jnp.linalg.cholesky(jnp.add(jnp.matmul(a, jnp.swapaxes(a, -1, -2)), jnp.multiply(jnp.eye(3, 3, { dtype: "float64" }), 3))),
    inputs: () => [u(-1, 1, 1, [3, 3])] },
  // Sign-independent functions of the factors (vectors are unique up to sign)
  un("linalg.qr", (a) => { const [q, r] = jnp.linalg.qr(jnp.transpose(a)); return jnp.concatenate([jnp.ravel(q), jnp.ravel(r)]); }),
  un("linalg.eigh", (a) => { const [w, v] = jnp.linalg.eigh(jnp.matmul(a, jnp.transpose(a))); return jnp.concatenate([w, jnp.ravel(jnp.multiply(v, v))]); }),
  un("linalg.svd", (a) => { const [u, s, vh] = jnp.linalg.svd(a, false); return jnp.concatenate([s, jnp.ravel(jnp.matmul(jnp.multiply(u, jnp.array([1, 2, 3], { dtype: "float64" })), vh))]); }),
  un("trace/diagonal", (x) => jnp.add(jnp.trace(x, 1), jnp.sum(jnp.diagonal(x, -1)))),
  un("tril/triu", (x) => jnp.add(jnp.tril(x), jnp.triu(x, 2))),
  un("lax.erf", lax.erf), un("lax.logistic", lax.logistic), un("lax.integerPow", (x) => lax.integerPow(x, 4)),
];

