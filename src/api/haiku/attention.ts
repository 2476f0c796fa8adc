// hk.MultiHeadAttention: projections "query", "key", "value" and the output "linear" (Linears made
// in call, so named "multi_head_attention/query", ...); logits scaled by 1 / sqrt(keySize).
import { ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import { softmax } from "../nn.js";
import { HkInitializer, Module } from "./base.js";
import { hkArgs } from "./args.js";
import { VarianceScaling } from "./initializers.js";
import { Linear } from "./modules.js";

export interface MultiHeadAttentionOptions {
  numHeads: number; keySize: number; wInitScale?: number; wInit?: HkInitializer; withBias?: boolean; bInit?: HkInitializer;
  valueSize?: number; modelSize?: number; name?: string;
}

export class MultiHeadAttention extends Module {
  readonly numHeads: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly modelSize: number;
  readonly o: MultiHeadAttentionOptions;
  /** MultiHeadAttention(numHeads, keySize, wInitScale?, { wInit, withBias, bInit, valueSize, modelSize, name }) or options; wInit or wInitScale is required. */
  constructor(...args: [MultiHeadAttentionOptions] | [numHeads: number, keySize: number, wInitScale?: number | null | Omit<MultiHeadAttentionOptions, "numHeads" | "keySize">,
    options?: Omit<MultiHeadAttentionOptions, "numHeads" | "keySize" | "wInitScale">]) {
    const o = hkArgs<MultiHeadAttentionOptions>("MultiHeadAttention", args, ["numHeads", "keySize", "wInitScale"], 2, ["wInit", "withBias", "bInit", "valueSize", "modelSize", "name"]);
    super(o.name);
    if (o.wInit && o.wInitScale) throw new ValueError("haiku.MultiHeadAttention: provide only wInit, not wInitScale.");
    if (!o.wInit && o.wInitScale === undefined) throw new ValueError("haiku.MultiHeadAttention: give wInit (or the deprecated wInitScale).");
    this.o = { ...o, wInit: o.wInit ?? VarianceScaling(o.wInitScale) };
    this.numHeads = o.numHeads;
    this.keySize = o.keySize;
    this.valueSize = o.valueSize || o.keySize;
    this.modelSize = o.modelSize || o.keySize * o.numHeads;
  }
  /** call(query [..., T', D], key [..., T, D], value [..., T, D], mask? [..., H|1, T', T]) -> [..., T', modelSize]. */
  call(query: ArrayLike, key: ArrayLike, value: ArrayLike, mask?: ArrayLike | null): JaxArray {
    const q = jnp.asArray(query), k = jnp.asArray(key), h = this.numHeads;
    const lead = q.shape.slice(0, -2), t = q.shape[q.ndim - 2];
    const proj = (x: JaxArray, size: number, name: string) => {
      const y = new Linear(h * size, { wInit: this.o.wInit, withBias: this.o.withBias ?? true, bInit: this.o.bInit, name }).call(x);
      // [..., T, H, size] with the leading axes flattened into one for einsum.
      return jnp.reshape(y, [-1, x.shape[x.ndim - 2], h, size]);
    };
    const qh = proj(q, this.keySize, "query"), kh = proj(k, this.keySize, "key"), vh = proj(jnp.asArray(value), this.valueSize, "value");
    let logits = jnp.divide(jnp.einsum("bthd,bThd->bhtT", qh, kh), Math.sqrt(this.keySize));
    if (mask !== undefined && mask !== null) {
      const m = jnp.asArray(mask), nd = lead.length + 3;
      if (m.ndim !== nd) throw new ValueError(`haiku.MultiHeadAttention: mask rank ${m.ndim} (shape [${m.shape}]) must match the logits' rank ${nd}.`);
      const mb = jnp.reshape(jnp.broadcastTo(m, [...lead, h, t, k.shape[k.ndim - 2]]), logits.shape);
      logits = jnp.where(mb, logits, -1e30);
    }
    const attn = jnp.einsum("bhtT,bThd->bthd", softmax(logits), vh);
    return new Linear(this.modelSize, { wInit: this.o.wInit, withBias: this.o.withBias ?? true, bInit: this.o.bInit }).call(jnp.reshape(attn, [...lead, t, h * this.valueSize]));
  }
}
