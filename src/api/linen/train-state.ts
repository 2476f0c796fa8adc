// flax.training.train_state.TrainState: step, params, optimizer and its state in one pytree.
// Extra fields given to create (flax's **kwargs, e.g. batchStats) ride along as pytree children.
import { JaxArray } from "../../core/value.js";
import { registerNode } from "../../core/pytree.js";
import { ValueError } from "../../core/errors.js";
import * as jnp from "../numpy/index.js";
import { applyUpdates, GradientTransformation, OptState, Params } from "../optax/base.js";

const CORE = new Set(["step", "applyFn", "params", "tx", "optState"]);
type Extras = Record<string, any>;

export class TrainState {
  [field: string]: any;
  constructor(
    readonly step: JaxArray,
    readonly applyFn: (...args: any[]) => any,
    readonly params: Params,
    readonly tx: GradientTransformation,
    readonly optState: OptState,
    extras: Extras = {},
  ) {
    for (const k of Object.keys(extras)) this[k] = extras[k];
  }

  /** The extra fields, by name. */
  extras(): Extras {
    const o: Extras = {};
    for (const k of Object.keys(this)) if (!CORE.has(k)) o[k] = this[k];
    return o;
  }

  /** TrainState.create({ applyFn, params, tx, ...extraFields }): step 0, optState = tx.init(params). */
  static create(o: { applyFn: (...args: any[]) => any; params: Params; tx: GradientTransformation; [field: string]: any }): TrainState {
    const { applyFn, params, tx, ...extras } = o;
    for (const k of ["step", "optState"]) {
      if (k in extras) throw new ValueError(`TrainState.create: ${k} is set by create (step 0, tx.init(params)); use state.replace({ ${k} }) to change it.`);
    }
    return new TrainState(jnp.zeros([], { dtype: "int32" }), applyFn, params, tx, tx.init(params), extras);
  }

  /**
   * One optimizer step: applyGradients(grads), or flax's keyword form applyGradients({ grads, ...fields })
   * which also replaces the other named fields (e.g. batchStats).
   */
  applyGradients(arg: Params): TrainState {
    const keyword = isKeywordForm(arg, this.params);
    const grads = keyword ? arg.grads : arg;
    const { grads: _g, ...fields } = keyword ? arg : { grads: undefined };
    const [updates, optState] = this.tx.update(grads, this.optState, this.params);
    return new TrainState(jnp.add(this.step, 1), this.applyFn, applyUpdates(this.params, updates), this.tx, optState, { ...this.extras(), ...fields });
  }

  /** A copy with some fields replaced (flax's dataclass replace). */
  replace(o: { step?: JaxArray; params?: Params; optState?: OptState; [field: string]: any }): TrainState {
    const { step, params, optState, applyFn, tx, ...fields } = o;
    return new TrainState(step ?? this.step, applyFn ?? this.applyFn, params ?? this.params, tx ?? this.tx, optState ?? this.optState, { ...this.extras(), ...fields });
  }
}

/** `{ grads, ...fields }` rather than a gradient tree: it has a grads key the params tree lacks. */
function isKeywordForm(arg: any, params: Params): boolean {
  if (!arg || typeof arg !== "object" || Array.isArray(arg) || Object.getPrototypeOf(arg) !== Object.prototype || !("grads" in arg)) return false;
  return !(params && typeof params === "object" && !Array.isArray(params) && "grads" in params);
}

registerNode(TrainState,
  (s) => {
    const ex = s.extras(), keys = Object.keys(ex).sort();
    return [[s.step, s.params, s.optState, ...keys.map((k) => ex[k])], [s.applyFn, s.tx, keys]];
  },
  ([applyFn, tx, keys]: any, [step, params, optState, ...rest]) =>
    new TrainState(step as JaxArray, applyFn, params, tx, optState, Object.fromEntries((keys as string[]).map((k, i) => [k, rest[i]]))));
