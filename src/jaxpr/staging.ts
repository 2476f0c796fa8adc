// Tracing into a jaxpr. One trace serves two purposes: staging everything (makeJaxpr, jit), or
// partial evaluation (linearize), where operations whose inputs are all known run in the parent
// trace and only those touching an unknown value are recorded.
import { ConcreteArray } from "../core/array.js";
import { keep } from "../core/memory.js";
import { ShapedArray } from "../core/aval.js";
import { Primitive } from "../core/primitive.js";
import { NotImplementedError } from "../core/errors.js";
import { Trace, Tracer, withTrace } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { Atom, ClosedJaxpr, Eqn, Jaxpr, Literal, Var } from "./jaxpr.js";

export class StagingTracer extends Tracer {
  constructor(trace: StagingTrace, readonly aval: ShapedArray, readonly v: Var) { super(trace); }
}

export class StagingTrace extends Trace {
  readonly eqns: Eqn[] = [];
  private readonly constVars = new Map<JaxArray, Var>();

  constructor(parent: Trace | null, description: string, readonly partial: boolean) {
    super(parent, description);
  }

  /** A fresh input of the program being built. */
  newArg(aval: ShapedArray): StagingTracer {
    return new StagingTracer(this, aval, new Var(aval));
  }

  private atom(x: JaxArray): Atom {
    if (this.owns(x)) return (x as StagingTracer).v;
    // The program holds on to captured arrays: no enclosing tidy() scope may free them.
    if (x instanceof ConcreteArray) keep(x);
    // Scalars known at trace time print inline, as JAX's literals do.
    if (x instanceof ConcreteArray && x.ndim === 0 && !x.isDisposed) return new Literal(x, x.aval);
    let v = this.constVars.get(x);
    if (!v) this.constVars.set(x, (v = new Var(x.aval)));
    return v;
  }

  process(prim: Primitive, args: JaxArray[], params: any): JaxArray[] {
    if (this.partial && !args.some((a) => this.owns(a))) return this.parent!.process(prim, args, params);
    // Higher-order primitives run inline, except linear ones under partial evaluation: those must
    // stay in the linear program so the backward pass can transpose them.
    // Loops and other staged primitives are never unrolled into a linear program: without a
    // transpose rule they are an error below, as in JAX.
    const keep = this.partial ? prim.rules.transpose || prim.rules.staged : prim.rules.staged;
    if (prim.rules.inline && !keep) return withTrace(this, () => prim.rules.inline!(args, params));
    if (this.partial && !prim.rules.transpose) {
      // Only linear operations touch tangents in a linearized program; anything else cannot be
      // transposed into a backward pass.
      throw new NotImplementedError(prim.name === "while"
        ? "Reverse-mode differentiation does not work for lax.whileLoop or lax.foriLoop with dynamic start/stop values. " +
          "Try using lax.scan, or lax.foriLoop with constant (JS number) bounds, or use forward mode (jvp/jacfwd)."
        : `Reverse-mode differentiation of '${prim.name}' is not supported: it has no transpose rule. Use forward mode (jvp/jacfwd).`);
    }
    const outAvals = prim.rules.abstractEval(args.map((a) => a.aval), params);
    const outs = outAvals.map((a) => new StagingTracer(this, a, new Var(a)));
    this.eqns.push({ prim, inputs: args.map((a) => this.atom(a)), params, outs: outs.map((o) => o.v) });
    return outs;
  }

  /** Closes the program over `ins` -> `outs`; the trace can no longer be used. */
  finish(ins: StagingTracer[], outs: JaxArray[]): ClosedJaxpr {
    const outAtoms = outs.map((o) => this.atom(o));
    this.live = false;
    const consts = [...this.constVars.keys()];
    const jaxpr = new Jaxpr(consts.map((c) => this.constVars.get(c)!), ins.map((t) => t.v), this.eqns, outAtoms);
    return new ClosedJaxpr(jaxpr, consts);
  }
}
