// Forward mode: a trace whose tracers carry a primal and a tangent. Zero tangents stay symbolic.
import { ShapedArray } from "../core/aval.js";
import { isFloat } from "../core/dtype.js";
import { NotImplementedError } from "../core/errors.js";
import { Primitive, Zero } from "../core/primitive.js";
import { bind, Trace, Tracer, withTrace } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { instantiate } from "../primitives/helpers.js";

export class JVPTracer extends Tracer {
  constructor(trace: JVPTrace, readonly primal: JaxArray, readonly tangent: JaxArray | Zero) { super(trace); }
  get aval(): ShapedArray { return this.primal.aval; }
}

/** The aval of a tangent: float dtypes keep theirs; integer and bool values have no tangent space. */
export function tangentAval(a: ShapedArray): ShapedArray {
  return new ShapedArray(a.shape, a.dtype, false);
}

export class JVPTrace extends Trace {
  process(prim: Primitive, args: JaxArray[], params: any): JaxArray[] {
    const primals: JaxArray[] = [];
    const tangents: (JaxArray | Zero)[] = [];
    let anyTangent = false;
    for (const a of args) {
      if (this.owns(a)) {
        const t = a as JVPTracer;
        primals.push(t.primal);
        tangents.push(t.tangent);
        if (!(t.tangent instanceof Zero)) anyTangent = true;
      } else {
        primals.push(a);
        tangents.push(new Zero(tangentAval(a.aval)));
      }
    }
    const parent = this.parent!;
    if (!anyTangent) return withTrace(parent, () => bind(prim, primals, params));
    const rule = prim.rules.jvp;
    if (!rule && prim.rules.inline) return withTrace(this, () => prim.rules.inline!(args, params));
    if (!rule) {
      throw new NotImplementedError(`Differentiation rule for '${prim.name}' not implemented (forward-mode jvp). ` +
        `Wrap the computation with customJvp/customVjp to supply one, or stopGradient its input.`);
    }
    const [outs, outTangents] = withTrace(parent, () => rule(primals, tangents.map(instantiate), params));
    return outs.map((o, i) => {
      const t = outTangents[i];
      return new JVPTracer(this, o, !isFloat(o.dtype) && !(t instanceof Zero) ? new Zero(tangentAval(o.aval)) : t);
    });
  }

  /** Splits a value seen at this level into (primal, tangent). */
  unpack(x: JaxArray): [JaxArray, JaxArray | Zero] {
    if (this.owns(x)) return [(x as JVPTracer).primal, (x as JVPTracer).tangent];
    return [x, new Zero(tangentAval(x.aval))];
  }
}
