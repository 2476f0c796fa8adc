// One adapter per library under test, all driven the same way by bench/run.ts: upload host data,
// run one operation, wait until the result really exists, free it. Inputs stay resident on each
// library's device between iterations (nothing is re-uploaded inside a timed region).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-cpu";
import { lax as jlax, numpy as np, nn as jnn, scipySpecial } from "@jax-js/jax";
import type { Array as JaxJsArray } from "@jax-js/jax";
import { jnp, lax, nn, tidy } from "../src/index.js";
import type { Array as TinyArray } from "../src/index.js";

export type Op =
  | { kind: "matmul" }
  | { kind: "add" } | { kind: "mul" }
  | { kind: "exp" } | { kind: "tanh" } | { kind: "erf" }
  | { kind: "sum"; axis: number | null } | { kind: "max"; axis: number | null }
  | { kind: "transpose" }
  | { kind: "softmax" }
  /** 2-D convolution, NHWC input, HWIO kernel, stride 1, SAME padding (jax-js: NCHW / OIHW). */
  | { kind: "conv2d" };

/** A library under test. Handles are opaque to the runner. */
export interface Peer {
  readonly name: string;
  /** Makes this library's backend the active one (tfjs has one global engine). */
  activate(): Promise<void>;
  upload(data: Float32Array, shape: number[]): Promise<unknown>;
  free(x: unknown): void;
  download(x: unknown): Promise<Float32Array>;
  /** Runs `op` and returns the result handle; a result that may still be pending needs `ready`. */
  run(op: Op, args: unknown[]): unknown;
  /** Resolves when a lazily computed result is materialized (jax-js); absent for eager libraries. */
  ready?(y: unknown): Promise<void>;
}

// ---------------------------------------------------------------- tinyjax

export const tinyjax: Peer = {
  name: "tinyjax",
  async activate() {},
  async upload(data, shape) { return jnp.array(data, { shape }); },
  free(x) { (x as TinyArray).dispose(); },
  async download(x) { return (x as TinyArray).dataSync() as Float32Array; },
  run(op, args) {
    const [a, b] = args as TinyArray[];
    // tidy() frees every temporary (softmax makes several); the result escapes and is freed by free().
    return tidy(() => {
      switch (op.kind) {
        case "matmul": return jnp.matmul(a, b);
        case "add": return jnp.add(a, b);
        case "mul": return jnp.multiply(a, b);
        case "exp": return jnp.exp(a);
        case "tanh": return jnp.tanh(a);
        case "erf": return jnp.erf(a);
        case "sum": return jnp.sum(a, { axis: op.axis });
        case "max": return jnp.max(a, { axis: op.axis });
        case "transpose": return jnp.transpose(a);
        case "softmax": return nn.softmax(a, { axis: -1 });
        case "conv2d": return lax.convGeneralDilated(a, b, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] });
      }
    });
  },
};

// ---------------------------------------------------------------- TensorFlow.js (wasm and cpu)

// Production mode, as deployed: no debug checks, and no tfjs-node advertisement in the table.
tf.env().set("PROD", true);

function tfjs(backend: "wasm" | "cpu"): Peer {
  return {
    name: `tfjs-${backend}`,
    async activate() {
      if (tf.getBackend() === backend) return;
      await tf.setBackend(backend);
      await tf.ready();
    },
    async upload(data, shape) { return tf.tensor(data, shape, "float32"); },
    free(x) { (x as tf.Tensor).dispose(); },
    async download(x) { return (await (x as tf.Tensor).data()) as Float32Array; },
    run(op, args) {
      const [a, b] = args as tf.Tensor[];
      return tf.tidy(() => {
        switch (op.kind) {
          case "matmul": return a.rank === 3 ? tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D) : tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
          case "add": return tf.add(a, b);
          case "mul": return tf.mul(a, b);
          case "exp": return tf.exp(a);
          case "tanh": return tf.tanh(a);
          case "erf": return tf.erf(a);
          case "sum": return tf.sum(a, op.axis ?? undefined);
          case "max": return tf.max(a, op.axis ?? undefined);
          case "transpose": return tf.transpose(a);
          case "softmax": return tf.softmax(a);
          case "conv2d": return tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same");
        }
      });
    },
  };
}

export const tfjsWasm = tfjs("wasm");
export const tfjsCpu = tfjs("cpu");

// ---------------------------------------------------------------- jax-js

// jax-js consumes its arguments (reference counting): every use passes `x.ref`.
export const jaxjs: Peer = {
  name: "jax-js",
  async activate() {},
  async upload(data, shape) {
    const x = np.array(data, { shape });
    await x.blockUntilReady();
    return x;
  },
  free(x) { (x as JaxJsArray).dispose(); },
  async download(x) { return (await (x as JaxJsArray).ref.data()) as Float32Array; },
  run(op, args) {
    const [a, b] = args as JaxJsArray[];
    switch (op.kind) {
      case "matmul": return np.matmul(a.ref, b.ref);
      case "add": return np.add(a.ref, b.ref);
      case "mul": return np.multiply(a.ref, b.ref);
      case "exp": return np.exp(a.ref);
      case "tanh": return np.tanh(a.ref);
      case "erf": return scipySpecial.erf(a.ref);
      case "sum": return np.sum(a.ref, op.axis ?? undefined);
      case "max": return np.max(a.ref, op.axis ?? undefined);
      case "transpose": return np.transpose(a.ref);
      case "softmax": return jnn.softmax(a.ref, -1);
      case "conv2d": return jlax.conv(a.ref, b.ref, [1, 1], "SAME");
    }
  },
  async ready(y) { await (y as JaxJsArray).blockUntilReady(); },
};

export const allPeers: Peer[] = [tinyjax, tfjsWasm, jaxjs, tfjsCpu];

/** Versions, for the record. */
export function peerVersions(): Record<string, string> {
  return { "@tensorflow/tfjs-core": tf.version_core };
}
