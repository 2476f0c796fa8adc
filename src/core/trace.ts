import { ShapedArray } from "./aval.js";
import { ConcretizationTypeError, UnexpectedTracerError } from "./errors.js";
import { Primitive } from "./primitive.js";
import { JaxArray } from "./value.js";

/**
 * An interpreter. Traces form a chain through `parent` (Autodidax's "stackless" design): a trace
 * handles values it owns, and anything else is a value of an outer level, handed to the parent.
 * Tags are the trace objects themselves, so two nested transformations never confuse tracers.
 */
export abstract class Trace {
  /** False once the transformation that created this trace has returned. */
  live = true;
  constructor(readonly parent: Trace | null, readonly description: string) {}
  abstract process(prim: Primitive, args: JaxArray[], params: any): JaxArray[];
  /** True when `x` is one of this trace's tracers. */
  owns(x: JaxArray): x is Tracer { return x instanceof Tracer && x.trace === this; }
}

export abstract class Tracer extends JaxArray {
  constructor(readonly trace: Trace) { super(); }
  get device(): string { return "tracer"; }
  /** Tracers have no value: reading one is JAX's ConcretizationTypeError. */
  concretizationError(what: string): never {
    // JAX's wording first (tests and users match on it), then where and what to do instead.
    const a = this.aval;
    throw new ConcretizationTypeError(
      `Abstract tracer value encountered where concrete value is expected: traced array with shape ` +
        `${a.dtype}[${a.shape.join(",")}] (inside ${this.trace.description}).\nThe problem arose with ${what}. ` +
        `The value of a traced array is not known while the function is being transformed. Use ` +
        `lax.cond/lax.whileLoop/lax.foriLoop for control flow on traced values, jnp.where for elementwise choices, ` +
        `or mark the argument static (jit's staticArgnums).`,
    );
  }
  dataSync(): never { return this.concretizationError("dataSync()"); }
  data(): never { return this.concretizationError("data()"); }
  toArray(): never { return this.concretizationError("toArray()"); }
  toArrayAsync(): never { return this.concretizationError("toArrayAsync()"); }
  item(): never { return this.concretizationError("item()"); }
  /** Tracers own no memory. */
  dispose(): void {}
  override toString(): string { return `Traced<${this.aval.str()}> of ${this.trace.description}`; }
}

let current: Trace;

export function setBaseTrace(t: Trace): void { current = t; }
export function currentTrace(): Trace { return current; }

/** Runs `fn` with `t` as the current trace (the trace `bind` goes to). */
export function withTrace<T>(t: Trace, fn: () => T): T {
  const prev = current;
  current = t;
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/** Applies a primitive in the current trace. Every public op ends here. */
export function bind(prim: Primitive, args: JaxArray[], params: object = {}): JaxArray[] {
  for (const a of args) if (a instanceof Tracer && !a.trace.live) leaked(prim, a);
  return current.process(prim, args, params);
}

export function bind1(prim: Primitive, args: JaxArray[], params: object = {}): JaxArray {
  return bind(prim, args, params)[0];
}

function leaked(prim: Primitive, t: Tracer): never {
  throw new UnexpectedTracerError(
    `${prim.name}: encountered a leaked tracer ${t.aval.str()} created inside ${t.trace.description}, whose ` +
      `transformation has already returned. A traced value was stored outside the function (a global, a closure ` +
      `or an object) and used afterwards. Return it from the function instead of saving it.`,
  );
}

export function avalOf(x: JaxArray): ShapedArray { return x.aval; }
