// lax.scan, lax.whileLoop and lax.foriLoop as primitives holding their body jaxprs.
// scan is reverse-differentiable (its tangent is a linear `scan_tangent`, transposed by running
// the body's VJP backwards over the saved carries); whileLoop is forward-differentiable only.
import { ShapedArray } from "../core/aval.js";
import { promoteTypes } from "../core/dtype.js";
import { NotImplementedError, ShapeError, ValueError } from "../core/errors.js";
import { BatchDim, Primitive, UndefPrimal, Zero } from "../core/primitive.js";
import { flatten, treeDefEqual, treeDefString, unflatten } from "../core/pytree.js";
import { bind } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { ClosedJaxpr, evalJaxpr } from "../jaxpr/jaxpr.js";
import { traceBody } from "../jaxpr/make.js";
import { asArray } from "../api/numpy/creation.js";
import { jvp, vjp } from "../autodiff/api.js";
import { vmap } from "../batching/vmap.js";
import * as A from "../primitives/arith.js";
import { instantiate, zerosLike } from "../primitives/helpers.js";
import { batchAtFront, broadcastInDim, moveAxis, reduceSum, reshape } from "../primitives/layout.js";
import { concatenate, slice } from "../primitives/structural.js";
import { reduceOr } from "../primitives/reduce.js";
import { concreteValue } from "./cond.js";

// ---- scan

export interface ScanParams {
  /** body(consts..., carry..., x...) -> (carry..., y...) */
  body: ClosedJaxpr;
  nConsts: number;
  nCarry: number;
  length: number;
  reverse: boolean;
}

const run = (j: ClosedJaxpr, xs: JaxArray[]) => evalJaxpr(j.jaxpr, [], xs);

/** Element i of each stacked array (axis 0). */
function at(xs: JaxArray[], i: number): JaxArray[] {
  return xs.map((x) => reshape(slice(x, [i, ...x.shape.slice(1).map(() => 0)], [i + 1, ...x.shape.slice(1)]), x.shape.slice(1)));
}

function stack(ys: JaxArray[][], avals: ShapedArray[], length: number): JaxArray[] {
  return avals.map((a, k) => {
    if (length === 0) return zerosLike({ aval: new ShapedArray([0, ...a.shape], a.dtype) });
    return concatenate(ys.map((y) => reshape(y[k], [1, ...a.shape])), 0);
  });
}

function scanLoop(p: ScanParams, consts: JaxArray[], init: JaxArray[], xs: JaxArray[],
  step: (carry: JaxArray[], x: JaxArray[], i: number) => [JaxArray[], JaxArray[]]): [JaxArray[], JaxArray[][]] {
  let carry = init;
  const ys: JaxArray[][] = new Array(p.length);
  for (let s = 0; s < p.length; s++) {
    const i = p.reverse ? p.length - 1 - s : s;
    const [c, y] = step(carry, at(xs, i), i);
    carry = c;
    ys[i] = y;
  }
  void consts;
  return [carry, ys];
}

function splitScanArgs(p: ScanParams, args: JaxArray[]) {
  return { consts: args.slice(0, p.nConsts), init: args.slice(p.nConsts, p.nConsts + p.nCarry), xs: args.slice(p.nConsts + p.nCarry) };
}

export const scanP: Primitive<ScanParams> = new Primitive<ScanParams>("scan", {
  abstractEval(_avals, p) {
    const out = p.body.outAvals;
    return [...out.slice(0, p.nCarry), ...out.slice(p.nCarry).map((a) => new ShapedArray([p.length, ...a.shape], a.dtype, a.weakType))];
  },
  reference() { throw new ValueError("scan runs its body's program."); },
  staged: true,
  inline(args, p) {
    const { consts, init, xs } = splitScanArgs(p, args);
    const [carry, ys] = scanLoop(p, consts, init, xs, (c, x) => {
      const out = run(p.body, [...consts, ...c, ...x]);
      return [out.slice(0, p.nCarry), out.slice(p.nCarry)];
    });
    return [...carry, ...stack(ys, p.body.outAvals.slice(p.nCarry), p.length)];
  },
  jvp(args, tans, p) {
    const outs = bind(scanP, args, p);
    return [outs, bind(scanTangentP, [...args, ...tans], p)];
  },
  batch(args, dims, p) {
    const size = args.map((x, i) => (dims[i] === null ? -1 : x.shape[dims[i]!])).find((s) => s >= 0)!;
    const { consts, init, xs } = splitScanArgs(p, args);
    const dc = dims.slice(0, p.nConsts);
    const xsB = xs.map((x, i) => { const d = dims[p.nConsts + p.nCarry + i]; return d === null ? x : moveAxis(x, d, 1); });
    const initB = init.map((c, i) => batchAtFront(c, dims[p.nConsts + i], size));
    const xsDims: BatchDim[] = xs.map((_, i) => (dims[p.nConsts + p.nCarry + i] === null ? null : 0));
    const avals = [...consts.map((c) => c.aval), ...initB.map((c) => c.aval), ...xsB.map((x) => new ShapedArray(x.shape.slice(1), x.dtype))];
    const body = traceBody((...a: JaxArray[]) => vmap((...b: JaxArray[]) => run(p.body, b), {
      inAxes: [...dc, ...init.map(() => 0), ...xsDims], axisSize: size,
    })(...a), avals, "scan batch");
    const bp: ScanParams = { ...p, body: body.jaxpr, nConsts: body.consts.length + p.nConsts };
    const outs = bind(scanP, [...body.consts, ...consts, ...initB, ...xsB], bp);
    return [outs, outs.map((_, k) => (k < p.nCarry ? 0 : 1))];
  },
  printParams: (p) => ({ jaxpr: p.body, length: p.length, reverse: p.reverse, num_carry: p.nCarry, num_consts: p.nConsts }),
});

/**
 * The tangent of a scan: inputs [consts, init, xs, tconsts, tinit, txs], outputs the tangents of
 * (final carry, ys). Linear in the tangents; the primals are recomputed, not stored.
 */
export const scanTangentP: Primitive<ScanParams> = new Primitive<ScanParams>("scan_tangent", {
  abstractEval: (avals, p) => scanP.rules.abstractEval(avals, p),
  reference() { throw new ValueError("scan_tangent runs its body's program."); },
  inline(args, p) {
    const n = args.length / 2;
    const { consts, init, xs } = splitScanArgs(p, args.slice(0, n));
    const t = splitScanArgs(p, args.slice(n));
    let tc = t.init;
    const f = (...a: JaxArray[]) => run(p.body, a);
    const [, ys] = scanLoop(p, consts, init, xs, (c, x, i) => {
      const [o, to] = jvp(f, [...consts, ...c, ...x], [...t.consts, ...tc, ...at(t.xs, i)]) as [JaxArray[], JaxArray[]];
      tc = to.slice(0, p.nCarry);
      return [o.slice(0, p.nCarry), to.slice(p.nCarry)];
    });
    return [...tc, ...stack(ys, p.body.outAvals.slice(p.nCarry), p.length)];
  },
  transpose(cts, args, p) {
    const n = args.length / 2;
    const prim = args.slice(0, n) as JaxArray[];
    // Known tangent inputs are instantiated zeros (they depend on no differentiated input).
    if (prim.some((x) => x instanceof UndefPrimal)) throw new NotImplementedError("scan_tangent: only its tangent inputs can be transposed.");
    const linear = args.slice(n).map((x) => x instanceof UndefPrimal);
    const { consts, init, xs } = splitScanArgs(p, prim);
    // Forward again to recover the carry entering each step.
    const carries: JaxArray[][] = new Array(p.length);
    scanLoop(p, consts, init, xs, (c, x, i) => {
      carries[i] = c;
      const out = run(p.body, [...consts, ...c, ...x]);
      return [out.slice(0, p.nCarry), out.slice(p.nCarry)];
    });
    const val = instantiate;
    let ctCarry = cts.slice(0, p.nCarry).map(val);
    const ctYs = cts.slice(p.nCarry).map(val);
    let ctConsts = consts.map((c) => zerosLike(c));
    const ctXs: JaxArray[][] = new Array(p.length);
    for (let s = 0; s < p.length; s++) {
      const i = p.reverse ? s : p.length - 1 - s;
      const x = at(xs, i);
      const [, pull] = vjp((...a: JaxArray[]) => run(p.body, a), ...consts, ...carries[i], ...x);
      const g = pull([...ctCarry, ...at(ctYs, i)]) as JaxArray[];
      ctConsts = ctConsts.map((c, k) => A.add(c, g[k]));
      ctCarry = g.slice(p.nConsts, p.nConsts + p.nCarry);
      ctXs[i] = g.slice(p.nConsts + p.nCarry);
    }
    const xsCts = stack(ctXs, xs.map((x) => new ShapedArray(x.shape.slice(1), x.dtype)), p.length);
    return [...prim.map(() => null), ...[...ctConsts, ...ctCarry, ...xsCts].map((c, k) => (linear[k] ? c : null))];
  },
  printParams: (p) => ({ jaxpr: p.body, length: p.length, reverse: p.reverse }),
});

/** `unroll` changes only how the loop is compiled, never its results, so it is accepted and not used. */
export interface ScanOptions { length?: number | null; reverse?: boolean; unroll?: number | boolean }

/**
 * lax.scan(f, init, xs, { length, reverse, unroll }) or JAX's positional scan(f, init, xs, length,
 * reverse, unroll), with f(carry, x) -> [carry, y]; returns [carry, ys].
 */
export function scan(f: (carry: any, x: any) => [any, any], init: unknown, xs: unknown = null,
  ...rest: (ScanOptions | number | boolean | null | undefined)[]): [any, any] {
  const isObj = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  let opts: ScanOptions;
  if (rest.length <= 1 && (rest[0] === undefined || isObj(rest[0]))) opts = (rest[0] ?? {}) as ScanOptions;
  else {
    if (rest.length > 3 || rest.some(isObj)) {
      throw new ValueError("scan: after xs come one options object { length, reverse, unroll } or JAX's positional length, reverse, unroll.");
    }
    opts = { length: rest[0] as number | null | undefined, reverse: rest[1] as boolean | undefined, unroll: rest[2] as number | undefined };
  }
  if (opts.length === null) opts = { ...opts, length: undefined };
  const [initLeaves, carryDef] = flatten(init);
  const [xLeaves, xDef] = flatten(xs);
  let inits = initLeaves.map((l) => asArray(l as any));
  const xArrs = xLeaves.map((l) => asArray(l as any));
  const lengths = new Set(xArrs.map((x) => x.shape[0]));
  if (xArrs.some((x) => x.ndim === 0)) throw new ShapeError("scan: every xs leaf needs a leading axis to scan over.");
  if (lengths.size > 1) throw new ShapeError(`scan got values with different leading axis sizes: ${[...lengths].join(", ")}.`);
  const length = opts.length ?? (xArrs.length ? xArrs[0].shape[0] : undefined);
  if (length === undefined) throw new ValueError("scan: with no xs, pass the number of steps as { length }.");
  if (xArrs.length && opts.length !== undefined && opts.length !== xArrs[0].shape[0]) {
    throw new ShapeError(`scan: length ${opts.length} does not match the xs leading axis ${xArrs[0].shape[0]}.`);
  }
  const xAvals = xArrs.map((x) => new ShapedArray(x.shape.slice(1), x.dtype));
  let yDef: ReturnType<typeof flatten>[1] | undefined;
  const traceScan = (carry: JaxArray[], outAvals: ShapedArray[]) => traceBody((...a: JaxArray[]) => {
    const c = unflatten(carryDef, a.slice(0, carry.length));
    const x = unflatten(xDef, a.slice(carry.length));
    const r = f(c, x);
    if (!Array.isArray(r) || r.length !== 2) throw new ValueError("scan: f must return a pair [carry, y].");
    const [cl, cd] = flatten(r[0]);
    if (!treeDefEqual(cd, carryDef)) {
      throw new ValueError(`scan body function carry input and carry output must have the same pytree structure, but they differ: input ${treeDefString(carryDef)}, output ${treeDefString(cd)}.`);
    }
    const [yl, yd] = flatten(r[1]);
    yDef = yd;
    const outs = cl.map((o) => asArray(o as any));
    outAvals.push(...outs.map((o) => o.aval));
    return [...outs.map((o, i) => A.convertElementType(o, carry[i].dtype)), ...yl];
  }, [...carry.map((c) => c.aval.strong()), ...xAvals], "scan body");
  let carryOut: ShapedArray[] = [];
  let body = traceScan(inits, carryOut);
  const promoted = promoteWeakCarry(inits, carryOut);
  if (promoted) { carryOut = []; body = traceScan(inits = promoted, carryOut); }
  checkCarry("scan body function carry output and carry input", inits, carryOut);
  const p: ScanParams = { body: body.jaxpr, nConsts: body.consts.length, nCarry: inits.length, length, reverse: opts.reverse ?? false };
  const outs = bind(scanP, [...body.consts, ...inits.map((c) => A.convertElementType(c, c.dtype)), ...xArrs], p);
  return [unflatten(carryDef, outs.slice(0, inits.length)), unflatten(yDef!, outs.slice(inits.length))];
}

/**
 * JAX's second pass for weakly typed initial carries (Python scalars there, JS numbers here): a
 * weak carry whose body returns another dtype starts as their promoted type, and the body is traced
 * again. null when nothing changes.
 */
function promoteWeakCarry(init: JaxArray[], out: ShapedArray[]): JaxArray[] | null {
  let changed = false;
  const r = init.map((c, i) => {
    const o = out[i];
    if (!o || !c.aval.weakType || o.dtype === c.dtype) return c;
    changed = true;
    return A.convertElementType(c, promoteTypes(c.dtype, true, o.dtype, o.weakType));
  });
  return changed ? r : null;
}

function checkCarry(what: string, init: JaxArray[], out: ShapedArray[]): void {
  out.forEach((o, i) => {
    if (!o.strong().equals(init[i].aval.strong())) {
      throw new ValueError(`${what} must have equal types: input ${init[i].aval.strong().str()}, output ${o.str()}.`);
    }
  });
}

// ---- while

export interface WhileParams { cond: ClosedJaxpr; body: ClosedJaxpr; nCondConsts: number; nBodyConsts: number }

export const whileP: Primitive<WhileParams> = new Primitive<WhileParams>("while", {
  abstractEval: (_avals, p) => p.body.outAvals,
  reference() { throw new ValueError("while runs its body's program."); },
  staged: true,
  inline(args, p) {
    const cc = args.slice(0, p.nCondConsts), bc = args.slice(p.nCondConsts, p.nCondConsts + p.nBodyConsts);
    let carry = args.slice(p.nCondConsts + p.nBodyConsts);
    for (;;) {
      const [pred] = run(p.cond, [...cc, ...carry]);
      const c = concreteValue(pred);
      if (!c) return bind(whileP, args, p);
      if (!c.item()) return carry;
      carry = run(p.body, [...bc, ...carry]);
    }
  },
  jvp(args, tans, p) {
    // Forward mode: carry (primal, tangent) pairs through the JVP of the body.
    const nc = p.nCondConsts, nb = p.nBodyConsts;
    const cc = args.slice(0, nc), bc = args.slice(nc, nc + nb), init = args.slice(nc + nb);
    const tbc = tans.slice(nc, nc + nb), tinit = tans.slice(nc + nb);
    const k = init.length;
    const cond = traceBody((...a: JaxArray[]) => run(p.cond, [...a.slice(0, nc), ...a.slice(nc, nc + k)]),
      [...cc, ...init, ...tinit].map((x) => x.aval), "while jvp cond");
    const body = traceBody((...a: JaxArray[]) => {
      const b = a.slice(0, nb), tb = a.slice(nb, 2 * nb), c = a.slice(2 * nb, 2 * nb + k), tc = a.slice(2 * nb + k);
      const [o, to] = jvp((...z: JaxArray[]) => run(p.body, z), [...b, ...c], [...tb, ...tc]) as [JaxArray[], JaxArray[]];
      return [...o, ...to];
    }, [...bc, ...tbc, ...init, ...tinit].map((x) => x.aval), "while jvp body");
    const jp: WhileParams = { cond: cond.jaxpr, body: body.jaxpr, nCondConsts: cond.consts.length + nc, nBodyConsts: body.consts.length + 2 * nb };
    const outs = bind(whileP, [...cond.consts, ...cc, ...body.consts, ...bc, ...tbc, ...init, ...tinit], jp);
    return [outs.slice(0, k), outs.slice(k)];
  },
  batch(args, dims, p) {
    const size = args.map((x, i) => (dims[i] === null ? -1 : x.shape[dims[i]!])).find((s) => s >= 0)!;
    const nc = p.nCondConsts, nb = p.nBodyConsts;
    const carry = args.slice(nc + nb).map((c, i) => batchAtFront(c, dims[nc + nb + i], size));
    const consts = args.slice(0, nc + nb);
    const cdims = dims.slice(0, nc + nb);
    const k = carry.length;
    // Every example runs until its own predicate is false: loop while any is true, freezing the rest.
    const predOf = (cs: JaxArray[], c: JaxArray[]) => vmap((...a: JaxArray[]) => run(p.cond, a)[0], {
      inAxes: [...cdims.slice(0, nc), ...c.map(() => 0)], axisSize: size })(...cs.slice(0, nc), ...c);
    const cond = traceBody((...a: JaxArray[]) => reduceOr(predOf(a.slice(0, nc + nb), a.slice(nc + nb)) as JaxArray, [0]),
      [...consts, ...carry].map((x) => x.aval), "while batch cond");
    const body = traceBody((...a: JaxArray[]) => {
      const cs = a.slice(0, nc + nb), c = a.slice(nc + nb);
      const pred = predOf(cs, c) as JaxArray;
      const next = vmap((...z: JaxArray[]) => run(p.body, z), { inAxes: [...cdims.slice(nc), ...c.map(() => 0)], axisSize: size })(...cs.slice(nc), ...c) as JaxArray[];
      return next.map((n, i) => A.select(broadcastInDim(pred, n.shape, [0]), n, c[i]));
    }, [...consts, ...carry].map((x) => x.aval), "while batch body");
    const bp: WhileParams = { cond: cond.jaxpr, body: body.jaxpr, nCondConsts: cond.consts.length + nc + nb, nBodyConsts: body.consts.length + nc + nb };
    const outs = bind(whileP, [...cond.consts, ...consts, ...body.consts, ...consts, ...carry], bp);
    void k;
    return [outs, outs.map(() => 0)];
  },
  printParams: (p) => ({ body_jaxpr: p.body, cond_jaxpr: p.cond }),
});

/** lax.whileLoop(condFun, bodyFun, initVal). Forward-mode differentiable; reverse mode is an error, as in JAX. */
export function whileLoop(condFun: (c: any) => unknown, bodyFun: (c: any) => any, initVal: unknown): any {
  const [leaves, def] = flatten(initVal);
  let init = leaves.map((l) => asArray(l as any));
  const traceLoop = (carry: JaxArray[], outAvals: ShapedArray[]) => {
    const avals = carry.map((c) => c.aval.strong());
    const cond = traceBody((...a: JaxArray[]) => {
      const r = asArray(condFun(unflatten(def, a)) as any);
      if (r.ndim !== 0 || r.dtype !== "bool") throw new ValueError(`whileLoop: cond_fun must return a boolean scalar, but got output type(s) ${r.aval.str()}.`);
      return r;
    }, avals, "while cond");
    const body = traceBody((...a: JaxArray[]) => {
      const [ol, od] = flatten(bodyFun(unflatten(def, a)));
      if (!treeDefEqual(od, def)) throw new ValueError(`whileLoop: body_fun output and input must have identical types: ${treeDefString(od)} vs ${treeDefString(def)}.`);
      const outs = ol.map((o) => asArray(o as any));
      outAvals.push(...outs.map((o) => o.aval));
      return outs.map((x, i) => A.convertElementType(x, avals[i].dtype));
    }, avals, "while body");
    return [cond, body] as const;
  };
  let carryOut: ShapedArray[] = [];
  let [cond, body] = traceLoop(init, carryOut);
  const promoted = promoteWeakCarry(init, carryOut);
  if (promoted) { carryOut = []; [cond, body] = traceLoop(init = promoted, carryOut); }
  checkCarry("whileLoop: body_fun output and input", init, carryOut);
  const p: WhileParams = { cond: cond.jaxpr, body: body.jaxpr, nCondConsts: cond.consts.length, nBodyConsts: body.consts.length };
  const outs = bind(whileP, [...cond.consts, ...body.consts, ...init.map((c) => A.convertElementType(c, c.dtype))], p);
  return unflatten(def, outs);
}

/**
 * lax.foriLoop(lower, upper, body, init): body(i, carry). With JS-number bounds it is a scan
 * (reverse-differentiable); with traced bounds, a whileLoop.
 */
export function foriLoop(lower: unknown, upper: unknown, body: (i: JaxArray, carry: any) => any, initVal: unknown): any {
  if (typeof lower === "number" && typeof upper === "number") {
    const n = Math.max(0, upper - lower);
    const [carry] = scan((c: any, i: JaxArray) => [body(i, c), null], initVal, A.convertElementType(
      asArray(Array.from({ length: n }, (_, k) => lower + k) as any), "int32"), { length: n });
    return carry;
  }
  const lo = A.convertElementType(asArray(lower as any), "int32"), hi = A.convertElementType(asArray(upper as any), "int32");
  const [, out] = whileLoop(
    ([i]: [JaxArray, unknown]) => A.lt(i, hi),
    ([i, c]: [JaxArray, unknown]) => [A.add(i, A.convertElementType(asArray(1), "int32")), body(i, c)],
    [lo, initVal],
  );
  return out;
}

export type { Zero };
export { reduceSum };
