// The differentiation API: jvp, linearize, vjp, grad, valueAndGrad, jacfwd, jacrev, hessian.
// Reverse mode is JVP -> partial evaluation -> transpose: the traced linear program is the tape.
import { positionalOptions } from "../core/transform-args.js";
import { fromHost } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { isFloat, TypedArray, typedArrayFor } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { Zero } from "../core/primitive.js";
import { flatten, TreeDef, treeDefEqual, treeDefString, unflatten } from "../core/pytree.js";
import { currentTrace, withTrace } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { getBackend } from "../backend/registry.js";
import { ClosedJaxpr, evalJaxpr } from "../jaxpr/jaxpr.js";
import { StagingTrace, StagingTracer } from "../jaxpr/staging.js";
import { instantiate, zerosLike } from "../primitives/helpers.js";
import { concatenate, reshape, transpose } from "../primitives/structural.js";
import { stopGradient as stopGradientArray } from "../primitives/arith.js";
import { asArray, scalar } from "../api/numpy/creation.js";
import { JVPTrace, JVPTracer, tangentAval } from "./jvp.js";
import { backwardPass } from "./transpose.js";

type Fn = (...args: any[]) => any;

const fname = (f: Fn) => f.name || "<anonymous>";

/** Leaves of a pytree as arrays (JS numbers become weakly-typed scalars). */
function leavesOf(tree: unknown): [JaxArray[], TreeDef] {
  const [leaves, def] = flatten(tree);
  return [leaves.map((l) => asArray(l as any)), def];
}

function mapNumbers(tree: unknown): unknown {
  const [leaves, def] = flatten(tree);
  return unflatten(def, leaves.map((l) => (typeof l === "number" ? scalar(l, "float32", true) : l)));
}

/** A shape as Python prints a tuple, as JAX's messages show it. */
const pyShape = (s: readonly number[]) => (s.length === 1 ? `(${s[0]},)` : `(${s.join(", ")})`);

/** stopGradient(x): JAX's lax.stop_gradient over any pytree (JS numbers become weak scalars); non-float leaves pass through. */
export function stopGradient<T>(x: T): T {
  const [leaves, def] = flatten(x);
  return unflatten(def, leaves.map((l) => {
    const a = asArray(l as any);
    return isFloat(a.dtype) ? stopGradientArray(a) : a;
  }));
}

// ---- forward mode

/** jvp(f, primals, tangents) -> [f(...primals), J·tangents], over pytrees. */
export function jvp(f: Fn, primals: readonly unknown[], tangents: readonly unknown[]): [any, any] {
  const kind = (v: unknown) => (Array.isArray(v) ? "array" : v instanceof JaxArray ? "Array" : typeof v);
  if (!Array.isArray(primals) || !Array.isArray(tangents)) {
    throw new TypeError(`primal and tangent arguments to jvp must be tuples or lists (JS arrays of the arguments); ` +
      `found ${kind(primals)} and ${kind(tangents)}. Write jvp(f, [x], [t]).`);
  }
  const [ps, pdef] = leavesOf(mapNumbers(primals));
  const [ts, tdef] = leavesOf(mapNumbers(tangents));
  if (!treeDefEqual(pdef, tdef)) {
    throw new TypeError(`primal and tangent arguments to jvp must have the same tree structure; primals have tree structure ` +
      `${treeDefString(pdef)} whereas tangents have tree structure ${treeDefString(tdef)}.`);
  }
  ps.forEach((p, i) => {
    const t = ts[i];
    if (p.shape.join() !== t.shape.join()) {
      throw new ShapeError(`jvp called with different primal and tangent shapes;Got primal shape ${pyShape(p.shape)} and tangent shape as ${pyShape(t.shape)}`);
    }
  });
  const trace = new JVPTrace(currentTrace(), `jvp of ${fname(f)}`);
  let out: unknown;
  try {
    const ins = ps.map((p, i) => new JVPTracer(trace, p, isFloat(p.dtype) ? ts[i] : new Zero(tangentAval(p.aval))));
    out = withTrace(trace, () => f(...unflatten(pdef, ins)));
  } finally {
    trace.live = false;
  }
  const [outs, odef] = leavesOf(out);
  const pairs = outs.map((o) => trace.unpack(o));
  return [unflatten(odef, pairs.map((p) => p[0])), unflatten(odef, pairs.map((p) => instantiate(p[1])))];
}

interface Linearized {
  outPrimals: JaxArray[];
  outDef: TreeDef;
  lin: ClosedJaxpr;
  aux?: unknown;
}

/** Traces f's JVP with unknown tangents: primal values come out computed, the tangent map as a linear jaxpr. */
function linearizeFlat(f: Fn, primals: JaxArray[], rebuild: (leaves: JaxArray[]) => unknown[], hasAux: boolean): Linearized {
  const parent = currentTrace();
  const pe = new StagingTrace(parent, `linearize of ${fname(f)}`, true);
  const jt = new JVPTrace(pe, `jvp of ${fname(f)}`);
  const tanIns: StagingTracer[] = [];
  let out: unknown;
  try {
    const ins = primals.map((p) => {
      if (!isFloat(p.dtype)) return new JVPTracer(jt, p, new Zero(tangentAval(p.aval)));
      const t = pe.newArg(tangentAval(p.aval));
      tanIns.push(t);
      return new JVPTracer(jt, p, t);
    });
    out = withTrace(jt, () => f(...rebuild(ins)));
  } finally {
    jt.live = false;
  }
  let aux: unknown;
  if (hasAux) {
    if (!Array.isArray(out) || out.length !== 2) throw new ValueError("hasAux: the function must return a pair [output, aux].");
    [out, aux] = out as [unknown, unknown];
    const [auxLeaves, auxDef] = flatten(aux);
    aux = unflatten(auxDef, auxLeaves.map((a) => (a instanceof JaxArray ? jt.unpack(a)[0] : a)));
  }
  const [outs, outDef] = leavesOf(out);
  const pairs = outs.map((o) => jt.unpack(o));
  const lin = withTrace(pe, () => pe.finish(tanIns, pairs.map((p) => instantiate(p[1]))));
  // The linear program's inputs are only the float primals; remember where they go.
  (lin as any).floatMask = primals.map((p) => isFloat(p.dtype));
  return { outPrimals: pairs.map((p) => p[0]), outDef, lin, aux };
}

function applyLinear(lin: ClosedJaxpr, primals: JaxArray[], tangents: JaxArray[]): JaxArray[] {
  const mask: boolean[] = (lin as any).floatMask;
  return evalJaxpr(lin.jaxpr, lin.consts, tangents.filter((_, i) => mask[i] && isFloat(primals[i].dtype)));
}

/** linearize(f, ...primals) -> [out, fJvp] where fJvp(...tangents) evaluates the linear map. */
export function linearize(f: Fn, ...primals: unknown[]): [any, (...tangents: unknown[]) => any] {
  const [ps, pdef] = leavesOf(mapNumbers(primals));
  const r = linearizeFlat(f, ps, (l) => unflatten(pdef, l), false);
  const fJvp = (...tangents: unknown[]) => {
    const [ts, tdef] = leavesOf(mapNumbers(tangents));
    if (!treeDefEqual(pdef, tdef)) {
      throw new TypeError(`linearize: the linearized function takes tangents with the structure of the primals, ` +
        `${treeDefString(pdef)}, but got ${treeDefString(tdef)}.`);
    }
    ts.forEach((t, i) => {
      if (t.shape.join() !== ps[i].shape.join()) {
        throw new ShapeError(`linearize: tangent shape ${pyShape(t.shape)} does not match the primal shape ${pyShape(ps[i].shape)}.`);
      }
    });
    return unflatten(r.outDef, applyLinear(r.lin, ps, ts));
  };
  return [unflatten(r.outDef, r.outPrimals), fJvp];
}

/** vjp(f, ...primals) -> [out, vjpFn] with vjpFn(cotangent) returning one cotangent per primal. */
export function vjp(f: Fn, ...primals: unknown[]): [any, (ct: unknown) => any[]] {
  const [out, fn] = vjpWithAux(f, primals, false);
  return [out, fn];
}

function vjpWithAux(f: Fn, primals: unknown[], hasAux: boolean): [any, (ct: unknown) => any[], unknown] {
  const [ps, pdef] = leavesOf(mapNumbers(primals));
  const r = linearizeFlat(f, ps, (l) => unflatten(pdef, l), hasAux);
  const mask: boolean[] = (r.lin as any).floatMask;
  const vjpFn = (ct: unknown): any[] => {
    const [cts, cdef] = leavesOf(mapNumbers(ct));
    if (cts.length !== r.outPrimals.length) {
      throw new ValueError(`vjp: the cotangent must have the structure of the primal output (${r.outPrimals.length} leaves), got ${cts.length}.`);
    }
    void cdef;
    cts.forEach((c, i) => {
      const o = r.outPrimals[i];
      if (c.shape.join() !== o.shape.join()) throw new ShapeError(`vjp: cotangent shape [${c.shape}] does not match the primal output shape [${o.shape}].`);
    });
    const inCts = backwardPass(r.lin.jaxpr, r.lin.consts, cts);
    let k = 0;
    const all = ps.map((p, i) => (mask[i] ? instantiate(inCts[k++]) : zerosLike(p)));
    return unflatten(pdef, all);
  };
  return [unflatten(r.outDef, r.outPrimals), vjpFn, r.aux];
}

export interface GradOptions { argnums?: number | readonly number[]; hasAux?: boolean }

function checkScalarOut(op: string, out: JaxArray): void {
  if (!(out instanceof JaxArray)) {
    throw new TypeError(`Gradient only defined for scalar-output functions. Output was ${String(out)}. ${op} needs f to return one scalar array.`);
  }
  if (out.ndim !== 0) {
    const extract = out.size === 1 ? `extract the scalar with output.reshape([])${out.ndim === 1 ? " or output.index(0)" : ""}, ` : "";
    throw new TypeError(`Gradient only defined for scalar-output functions. Output had shape: ${pyShape(out.shape)}. ` +
      `To get the gradient, ${extract}reduce the output to a scalar with output.sum(), or use jacobian (jacrev/jacfwd) to ` +
      `differentiate a function with a non-scalar output.`);
  }
  if (!isFloat(out.dtype)) {
    throw new DTypeError(`${op} requires real-valued outputs (output dtype that is a floating type), but got ${out.dtype}. ` +
      `Convert the output with astype("float32") if that is what you mean.`);
  }
}

/**
 * argnums resolved against the call's argument count: negative counts from the end, as in JAX;
 * out of range is JAX's error.
 */
function resolveArgnums(op: string, argnums: number | readonly number[], nargs: number): number[] {
  const nums = typeof argnums === "number" ? [argnums] : [...argnums];
  const max = Math.max(...nums);
  if (max >= nargs) {
    throw new ValueError(`${op}: differentiating with respect to argnums=${pyArgnums(argnums)} requires at least ${max + 1} ` +
      `positional arguments to be passed by the caller, but got only ${nargs} positional arguments.`);
  }
  return nums.map((n) => {
    if (!Number.isInteger(n) || n < -nargs) {
      throw new ValueError(`${op}: positional argument indices, e.g. for argnums, must have value greater than or equal to ` +
        `-len(args) and less than len(args), but got value ${n} for len(args) == ${nargs}.`);
    }
    return n < 0 ? n + nargs : n;
  });
}

const pyArgnums = (a: number | readonly number[]) => (typeof a === "number" ? String(a) : pyShape(a));

function checkFloatInputs(op: string, tree: unknown): void {
  const [leaves] = leavesOf(tree);
  for (const l of leaves) {
    if (!isFloat(l.dtype)) {
      throw new DTypeError(`${op} requires real-valued inputs (input dtype that is a sub-dtype of np.floating), but got ${l.dtype}. ` +
        `If you want to use integer-valued inputs, use vjp, or convert them with astype("float32").`);
    }
  }
}

/** valueAndGrad(f, { argnums, hasAux })(...args) -> [value, grads] (or [[value, aux], grads]). */
export function valueAndGrad(f: Fn, ...options: [GradOptions?] | [argnums?: number | readonly number[], hasAux?: boolean]): (...args: any[]) => [any, any] {
  const opts = positionalOptions<GradOptions>("valueAndGrad", options, ["argnums", "hasAux"]);
  const argnums = opts.argnums ?? 0;
  const op = "grad";
  return (...args: any[]) => {
    const nums = resolveArgnums(op, argnums, args.length);
    // A JS number is a Python float here: differentiable, weakly typed float32.
    args = args.map((a, i) => (nums.includes(i) ? mapNumbers(a) : a));
    for (const n of nums) {
      const [leaves] = leavesOf(args[n]);
      for (const l of leaves) {
        if (!isFloat(l.dtype)) {
          throw new DTypeError(`${op} requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got ${l.dtype}. ` +
            `If you want to use integer-valued inputs, use vjp or convert them with astype("float32").`);
        }
      }
    }
    const g = (...diff: unknown[]) => {
      const full = [...args];
      nums.forEach((n, i) => { full[n] = diff[i]; });
      return f(...full);
    };
    Object.defineProperty(g, "name", { value: fname(f) });
    const [out, vjpFn, aux] = vjpWithAux(g, nums.map((n) => args[n]), opts.hasAux ?? false);
    checkScalarOut(op, out);
    const ct = fromHost(getBackend(), onesData(out.aval), out.aval.strong());
    const grads = vjpFn(ct);
    const result = typeof argnums === "number" ? grads[0] : grads;
    return [opts.hasAux ? [out, aux] : out, result];
  };
}

function onesData(a: ShapedArray): TypedArray {
  const C = typedArrayFor(a.dtype);
  const d = new C(1) as TypedArray;
  d[0] = 1;
  return d;
}

/** grad(f, { argnums, hasAux })(...args) -> gradient of the scalar f with respect to args[argnums]. */
export function grad(f: Fn, ...options: [GradOptions?] | [argnums?: number | readonly number[], hasAux?: boolean]): (...args: any[]) => any {
  const opts = positionalOptions<GradOptions>("grad", options, ["argnums", "hasAux"]);
  const vg = valueAndGrad(f, opts);
  const wrapped = (...args: any[]) => {
    const [v, g] = vg(...args);
    return opts.hasAux ? [g, v[1]] : g;
  };
  Object.defineProperty(wrapped, "name", { value: `grad(${fname(f)})` });
  return wrapped;
}

// ---- Jacobians (one linear evaluation per basis vector)

function basis(aval: ShapedArray, i: number): JaxArray {
  const C = typedArrayFor(aval.dtype);
  const d = new C(aval.size) as TypedArray;
  d[i] = 1;
  return fromHost(getBackend(), d, new ShapedArray(aval.shape, aval.dtype));
}

function stackRows(rows: JaxArray[], lead: readonly number[], tail: readonly number[], rowsFirst: boolean): JaxArray {
  const n = rows.length;
  const flat = rows.map((r) => reshape(r, [1, r.size]));
  const m = n ? concatenate(flat, 0) : zerosLike({ aval: new ShapedArray([0, 0], "float32") });
  // m is (n, size(rowShape)); the jacobian wants lead + tail.
  if (rowsFirst) return reshape(m, [...lead, ...tail]);
  return reshape(transposeMatrix(m), [...lead, ...tail]);
}

function transposeMatrix(m: JaxArray): JaxArray {
  return transpose(m, [1, 0]);
}

function diffArgs(op: string, f: Fn, argnums: number | readonly number[], args: any[]) {
  const nums = resolveArgnums(op, argnums, args.length);
  args = args.map((a, i) => (nums.includes(i) ? mapNumbers(a) : a));
  const sel = typeof argnums === "number" ? args[nums[0]] : nums.map((n) => args[n]);
  checkFloatInputs(op, sel);
  const g = (x: unknown) => {
    const full = [...args];
    if (typeof argnums === "number") full[nums[0]] = x;
    else nums.forEach((n, i) => { full[n] = (x as unknown[])[i]; });
    return f(...full);
  };
  return { sel, g };
}

/** Jacobian by forward mode: one JVP per input element. Leaves have shape out.shape + in.shape. */
type JacOptions = { argnums?: number | readonly number[]; hasAux?: boolean };
type JacArgs = [JacOptions?] | [argnums?: number | readonly number[], hasAux?: boolean];
export function jacfwd(f: Fn, ...options: JacArgs): (...args: any[]) => any {
  const opts = positionalOptions<JacOptions>("jacfwd", options, ["argnums", "hasAux"]);
  return (...args: any[]) => {
    const { sel, g } = diffArgs("jacfwd", f, opts.argnums ?? 0, args);
    const [ins, inDef] = leavesOf(sel);
    const r = linearizeFlat(g, ins, (l) => [unflatten(inDef, l)], opts.hasAux ?? false);
    const outDef = r.outDef;
    const outLeaves = r.outPrimals;
    const cols: JaxArray[][][] = []; // [in leaf][element] -> out leaves
    ins.forEach((x, k) => {
      cols.push([]);
      for (let e = 0; e < x.size; e++) {
        const ts = ins.map((y, j) => (j === k ? basis(y.aval, e) : zerosLike(y)));
        cols[k].push(applyLinear(r.lin, ins, ts));
      }
    });
    const perOut = outLeaves.map((o, j) =>
      unflatten(inDef, ins.map((x, k) => stackRows(cols[k].map((c) => c[j]), o.shape, x.shape, false))));
    const jac = unflatten(outDef, perOut);
    return opts.hasAux ? [jac, r.aux] : jac;
  };
}

/** Jacobian by reverse mode: one VJP per output element. */
export function jacrev(f: Fn, ...options: JacArgs): (...args: any[]) => any {
  const opts = positionalOptions<JacOptions>("jacrev", options, ["argnums", "hasAux"]);
  return (...args: any[]) => {
    const { sel, g } = diffArgs("jacrev", f, opts.argnums ?? 0, args);
    const [out, vjpFn, aux] = vjpWithAux(g, [sel], opts.hasAux ?? false);
    const [outs, outDef] = leavesOf(out);
    const [ins, inDef] = leavesOf(sel);
    const perOut = outs.map((o, j) => {
      const rows: JaxArray[][] = [];
      for (let e = 0; e < o.size; e++) {
        const cts = outs.map((y, i) => (i === j ? basis(tangentAval(y.aval), e) : zerosLike(y)));
        const [gs] = leavesOf(vjpFn(unflatten(outDef, cts))[0]);
        rows.push(gs);
      }
      return unflatten(inDef, ins.map((x, k) => stackRows(rows.map((r) => r[k]), o.shape, x.shape, true)));
    });
    const jac = unflatten(outDef, perOut);
    return opts.hasAux ? [jac, aux] : jac;
  };
}

/** hessian(f, { argnums, hasAux }) = jacfwd(jacrev(f)), as JAX defines it. */
export function hessian(f: Fn, ...options: JacArgs): (...args: any[]) => any {
  const opts = positionalOptions<JacOptions>("hessian", options, ["argnums", "hasAux"]);
  return jacfwd(jacrev(f, opts), opts);
}
