// flax.training.train_state.TrainState: step, params, optimizer and its state in one pytree.
import { JaxArray } from "../../core/value.js";
import { registerNode } from "../../core/pytree.js";
import * as jnp from "../numpy/index.js";
import { applyUpdates, GradientTransformation, OptState, Params } from "../optax/base.js";

export class TrainState {
  constructor(
    readonly step: JaxArray,
    readonly applyFn: (...args: any[]) => any,
    readonly params: Params,
    readonly tx: GradientTransformation,
    readonly optState: OptState,
  ) {}

  static create(o: { applyFn: (...args: any[]) => any; params: Params; tx: GradientTransformation }): TrainState {
    return new TrainState(jnp.zeros([], { dtype: "int32" }), o.applyFn, o.params, o.tx, o.tx.init(o.params));
  }

  /** One optimizer step: applyGradients(grads) or applyGradients({ grads }). */
  applyGradients(arg: Params): TrainState {
    const grads = arg && typeof arg === "object" && !Array.isArray(arg) && Object.keys(arg).length === 1 && "grads" in arg ? arg.grads : arg;
    const [updates, optState] = this.tx.update(grads, this.optState, this.params);
    return new TrainState(jnp.add(this.step, 1), this.applyFn, applyUpdates(this.params, updates), this.tx, optState);
  }

  replace(o: Partial<{ step: JaxArray; params: Params; optState: OptState }>): TrainState {
    return new TrainState(o.step ?? this.step, this.applyFn, o.params ?? this.params, this.tx, o.optState ?? this.optState);
  }
}

registerNode(TrainState,
  (s) => [[s.step, s.params, s.optState], [s.applyFn, s.tx]],
  ([applyFn, tx]: any, [step, params, optState]) => new TrainState(step as JaxArray, applyFn, params, tx, optState));
