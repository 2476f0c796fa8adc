// A short tour: arrays, math, printing, indexing, and a gradient. Run with `npm start`.
import { jnp, nn, grad, valueAndGrad, makeJaxpr, tidy, memoryStats, vmap, jit, random, Array } from "../src/index.js";
import { main as linearRegression } from "./linear-regression.js";
import { main as mlp } from "./mlp-linen.js";

const x = jnp.arange(12).reshape([3, 4]).astype("float32");
console.log("x =\n" + x);
console.log("x.T @ x =\n" + jnp.matmul(x.T, x));
console.log("mean over rows:", String(x.mean({ axis: 0 })));
console.log("softmax of the last row:", String(nn.softmax(x.get(-1))));
console.log("x[::2, 1:3] =\n" + x.get("::2", "1:3"));
console.log("x.at[0, 0].set(100) =\n" + x.at(0, 0).set(100));

// Reverse-mode autodiff on a tiny least-squares problem.
const xs = jnp.linspace(0, 1, 5);
const ys = xs.mul(3).add(1);
const loss = (p: { w: Array; b: Array }) => jnp.mean(jnp.square(p.w.mul(xs).add(p.b).sub(ys)));
let params = { w: jnp.array(0, { dtype: "float32" }), b: jnp.array(0, { dtype: "float32" }) };
for (let step = 0; step <= 200; step++) {
  params = tidy(() => {
    const [l, g] = valueAndGrad(loss)(params);
    if (step % 50 === 0) console.log(`step ${step}: loss ${(l.item() as number).toFixed(5)}`);
    return { w: params.w.sub(g.w.mul(0.5)), b: params.b.sub(g.b.mul(0.5)) };
  });
}
console.log(`fit: w=${(params.w.item() as number).toFixed(3)} b=${(params.b.item() as number).toFixed(3)} (true 3, 1)`);
console.log("d/dx sin(x) at 0:", String(grad(jnp.sin)(0)));
console.log("the traced program of x -> sum(sin(x) * x):");
console.log(String(makeJaxpr((z: Array) => jnp.sum(jnp.sin(z).mul(z)))(jnp.ones([3]))));
console.log("per-example gradients with vmap(grad):", String(vmap(grad((w: Array, x: Array) => jnp.sum(jnp.sin(w.mul(x)))), { inAxes: [null, 0] })(jnp.ones([2]), jnp.arange(6).reshape([3, 2]).astype("float32"))));
console.log("random.normal(random.key(0), [3]):", String(random.normal(random.key(0), [3])));
const f = jit((z: Array) => jnp.tanh(z).mul(2).add(1));
console.log("jit:", String(f(jnp.linspace(-1, 1, 4))), `(traced ${f.traceCount} time)`);
console.log("memory:", memoryStats());

console.log("\n-- linear regression, as in JAX's tutorials --");
linearRegression({ steps: 100 });
console.log("\n-- an MLP on MNIST digits with linen and optax (300 steps) --");
mlp({ steps: 300 });
