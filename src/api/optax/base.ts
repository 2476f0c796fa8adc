// optax's core abstraction: a gradient transformation is a pair of pure functions over pytrees.
import { JaxArray } from "../../core/value.js";
import * as tree from "../tree.js";
import * as jnp from "../numpy/index.js";

export type Params = any;
export type Updates = any;
export type OptState = any;

export interface GradientTransformation {
  init(params: Params): OptState;
  update(updates: Updates, state: OptState, params?: Params): [Updates, OptState];
}

/** A learning rate: a number, or a schedule from the step count to a number/array. */
export type ScalarOrSchedule = number | JaxArray | ((count: JaxArray) => JaxArray | number);

/** params + updates, leaf by leaf (optax.apply_updates). */
export function applyUpdates(params: Params, updates: Updates): Params {
  return tree.map((p: JaxArray, u: JaxArray | null) => (u === null || u === undefined ? p : jnp.astype(jnp.add(p, u), p.dtype)), params, updates);
}

/** Applies transformations in sequence; the state is the list of their states (optax.chain). */
export function chain(...txs: GradientTransformation[]): GradientTransformation {
  return {
    init: (params) => txs.map((t) => t.init(params)),
    update(updates, state, params) {
      const next: OptState[] = [];
      txs.forEach((t, i) => {
        const [u, s] = t.update(updates, state[i], params);
        updates = u;
        next.push(s);
      });
      return [updates, next];
    },
  };
}

export function identity(): GradientTransformation {
  return { init: () => ({}), update: (u, s) => [u, s] };
}

/** The int32 step counter, incremented without overflow (optax's safe_increment). */
export function safeIncrement(count: JaxArray): JaxArray {
  return jnp.where(jnp.less(count, 2147483647), jnp.add(count, 1), 2147483647).astype("int32");
}

export const zerosLikeTree = (t: Params) => tree.map((x: JaxArray) => jnp.zerosLike(x), t);
export const fullLikeTree = (t: Params, v: number) => tree.map((x: JaxArray) => jnp.fullLike(x, v), t);
