import { Backend, KernelArg } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { ConcreteArray } from "./array.js";
import { DeviceError, UnexpectedTracerError } from "./errors.js";
import { Primitive } from "./primitive.js";
import { setBaseTrace, Trace, Tracer } from "./trace.js";
import { JaxArray } from "./value.js";

/** The bottom of every trace chain: runs primitives on the arrays' backend. */
export class EvalTrace extends Trace {
  constructor() { super(null, "eager evaluation"); }

  process(prim: Primitive, args: JaxArray[], params: any): JaxArray[] {
    if (prim.rules.impl) return prim.rules.impl(args, params);
    if (prim.rules.inline) return prim.rules.inline(args, params);
    const ins: KernelArg[] = new Array(args.length);
    let backend: Backend | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (!(a instanceof ConcreteArray)) {
        const t = a as Tracer;
        throw new UnexpectedTracerError(
          `${prim.name}: got a tracer ${t.aval.str()} from ${t.trace.description} outside its transformation. ` +
            `A traced value escaped (a global, a closure or a saved object); return it from the function instead.`,
        );
      }
      const buf = a.buffer(prim.name);
      if (backend && buf.backend !== backend) {
        throw new DeviceError(
          `${prim.name}: arguments live on different devices (${backend.name} and ${buf.backend.name}). ` +
            `Move them to one device first with devicePut(x, "${backend.name}").`,
        );
      }
      backend = buf.backend;
      ins[i] = { buf, aval: a.aval };
    }
    const outAvals = prim.rules.abstractEval(ins.map((x) => x.aval), params);
    const bufs = (backend ?? getBackend()).execute(prim, params, ins, outAvals);
    return bufs.map((b, i) => new ConcreteArray(b, outAvals[i]));
  }
}

export const evalTrace = new EvalTrace();
setBaseTrace(evalTrace);
